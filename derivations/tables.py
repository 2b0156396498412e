"""Hypotheses as tables of named quantities, for claims about limits and rates.

A density or an identity is one sympy expression; a claim such as "SGD with N = t/eta
converges to gradient flow" is several numbers at once: the limit of the mean, the limit
of the variance, the rate at which the bias falls (an exponent of eta), the rate of the
spread. Such a hypothesis is written as a sympy ``Tuple`` of equations ``name = value``
(it prints as LaTeX and MathML like any other result), and an experiment reads the
entries it measures. The statement's table holds what the slide asserts (often only the
limits); the derived table holds everything the derivation found; a mutant changes one
entry (a rate off by a factor 2 in the exponent, say).
"""

from __future__ import annotations

import sympy as sp

from .model import Mutant

__all__ = ["table", "entries", "entry_scaled", "entry_replaced", "quantity", "declare"]


def quantity(name: str) -> sp.Symbol:
    """The symbol that names a quantity in a table (e.g. ``b_spread``)."""
    return sp.Symbol(name)


def table(**values) -> sp.Tuple:
    """``Tuple(Eq(name, value), ...)`` in the order given."""
    return sp.Tuple(*(sp.Eq(quantity(k), sp.sympify(v), evaluate=False) for k, v in values.items()))


def entries(hypothesis: sp.Basic) -> dict[str, sp.Basic]:
    """``{name: value}`` of a table; raises on anything that is not one."""
    if not isinstance(hypothesis, sp.Tuple) or not all(isinstance(e, sp.Equality) for e in hypothesis):
        raise TypeError(f"hypothesis {hypothesis} is not a table of named quantities")
    return {str(e.lhs): e.rhs for e in hypothesis}


def _with(hypothesis: sp.Tuple, name: str, value) -> sp.Tuple:
    found = entries(hypothesis)
    if name not in found:
        raise KeyError(f"table has no entry {name!r}; it has {sorted(found)}")
    return sp.Tuple(*(sp.Eq(e.lhs, sp.sympify(value), evaluate=False) if str(e.lhs) == name else e
                      for e in hypothesis))


def entry_scaled(name: str, factor, label: str | None = None) -> Mutant:
    """The derived table with entry ``name`` multiplied by ``factor``."""
    factor = sp.nsimplify(factor)
    return Mutant(label or f"{name} x {factor}",
                  lambda d: _with(d, name, factor * entries(d)[name]))


def entry_replaced(name: str, value, label: str) -> Mutant:
    """The derived table with entry ``name`` set to ``value``."""
    return Mutant(label, lambda d: _with(d, name, value))


def declare(name: str, latex: str, meaning: str):
    """A table entry declared as a parameter of the claim's setting (LaTeX and meaning).

    Entries are numbers the experiments measure (limits, exponents, coefficients); the
    sampler draws a real value for the equivalence cascade, which never compares tables
    (claims with tables use ``Relation.CUSTOM``).
    """
    from .symbols import real

    return real(quantity(name), latex, meaning)
