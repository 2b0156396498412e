"""The symbolic witness's cascade: is the statement's result the derived one?

Three rungs, cheapest first (DESIGN.md, "The verdict"):

1. structure: the two expressions are identical once sympy has built them;
2. simplification: ``simplify(stated - derived) == 0`` for an identity; for a density,
   ``d/dv log(stated / derived)`` simplifies to 0 for every state variable ``v`` (equal
   up to a normalising factor);
3. random points: both sides evaluated with mpmath at ``dps`` digits at ``n_points``
   random points of the declared domain, every function symbol replaced by a random
   polynomial. A clear difference at one point refutes, with that point as the
   counterexample; agreement at every point is reported as *equal at random points, not
   proved*, never as a proof.

Anything else is *undecided*.
"""

from __future__ import annotations

import random
from typing import Iterable, Sequence

import mpmath
import sympy as sp

from .model import Comparison, Equivalence, Parameter, Relation

__all__ = ["compare", "evaluate_at", "as_difference"]

#: A relative difference above this at ``dps`` >= 30 digits is a real difference, not
#: rounding: evaluation error is ~10^(10 - dps) even after heavy cancellation.
_REFUTE_REL = mpmath.mpf("1e-15")


def as_difference(expr: sp.Basic) -> sp.Basic:
    """``lhs - rhs`` for an equation, the expression itself otherwise."""
    if isinstance(expr, sp.Equality):
        return expr.lhs - expr.rhs
    return expr


def _simplifies_to_zero(expr: sp.Basic) -> str | None:
    """The name of the first transformation that reduces ``expr`` to 0, or None."""
    for name, f in (("expand", sp.expand), ("cancel", sp.cancel), ("simplify", sp.simplify)):
        try:
            if f(expr) == 0:
                return name
        except (TypeError, ValueError, NotImplementedError, RecursionError):
            continue
    return None


def _random_substitution(setting: Sequence[Parameter], free: Iterable[sp.Basic],
                         rng: random.Random) -> tuple[dict, dict]:
    """Values for the free symbols and Lambdas for the function symbols, by declaration."""
    declared = {p.symbol: p for p in setting}
    values, functions = {}, {}
    for s in sorted(free, key=str):
        if s not in declared:
            raise ValueError(
                f"symbol {s} appears in a compared expression but is not declared in the "
                "claim's setting: declare it (with its domain) so random points can be drawn")
        values[s] = declared[s].sample(rng)
    for p in setting:
        if isinstance(p.symbol, sp.FunctionClass):
            functions[p.symbol] = p.sample(rng)
    return values, functions


def evaluate_at(expr: sp.Basic, values: dict, functions: dict, dps: int):
    """``expr`` at a point, functions replaced by Lambdas, to ``dps`` digits (mpmath)."""
    e = expr
    for f, lam in functions.items():
        e = e.replace(f, lam)
    e = e.doit()
    with mpmath.workdps(dps):
        v = sp.N(e.subs({k: sp.Float(str(val), dps) for k, val in values.items()}), dps)
        if v.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or not v.is_number:
            return None
        try:
            return mpmath.mpc(complex(v)) if not v.is_real else mpmath.mpf(str(v))
        except TypeError:
            return None


def _free_symbols(*exprs: sp.Basic) -> set:
    out: set = set()
    for e in exprs:
        out |= {s for s in e.free_symbols if isinstance(s, sp.Symbol)}
    return out


def _invariant_probe(stated: sp.Basic, derived: sp.Basic, relation: Relation):
    """The quantity that must not change with the state variables, or None.

    Densities equal up to normalisation have a log-ratio free of the state; two equations
    with the same solutions have (lhs - rhs) in a ratio free of the state. Two plain
    expressions must instead have a zero difference (None here).
    """
    if relation is Relation.DENSITY:
        return sp.expand_log(sp.log(stated) - sp.log(derived), force=True), "log(stated/derived)"
    if isinstance(stated, sp.Equality) or isinstance(derived, sp.Equality):
        return as_difference(stated) / as_difference(derived), "(lhs-rhs) ratio"
    return None, ""


def compare(stated: sp.Basic, derived: sp.Basic, *, relation: Relation,
            variables: Sequence[sp.Symbol], setting: Sequence[Parameter],
            n_points: int = 50, dps: int = 50, seed: int = 20261123) -> Comparison:
    """Run the cascade; ``variables`` are the state variables (for invariance checks)."""
    if relation is Relation.CUSTOM:
        raise ValueError("relation=CUSTOM: the derivation must return its own Comparison")
    if n_points < 1 or dps < 30:
        raise ValueError(f"n_points={n_points} must be >= 1 and dps={dps} >= 30")
    stated, derived = sp.sympify(stated), sp.sympify(derived)

    # 1. structure
    if stated == derived:
        return Comparison(Equivalence.PROVED, "structural equality")

    # 2. simplification
    invariant, name = _invariant_probe(stated, derived, relation)
    if invariant is None:
        how = _simplifies_to_zero(stated - derived)
        if how:
            return Comparison(Equivalence.PROVED, f"{how}(stated - derived) = 0")
        probe = stated - derived
    else:
        if not variables:
            raise ValueError(f"relation={relation.value} needs the state variables")
        hows = [_simplifies_to_zero(sp.diff(invariant, v)) for v in variables]
        if all(hows):
            wrt = ", ".join(map(str, variables))
            return Comparison(Equivalence.PROVED, f"{hows[0]}: d {name} / d({wrt}) = 0")
        probe = invariant

    # 3. random points
    rng = random.Random(seed)
    declared = {p.symbol: p for p in setting}
    free = _free_symbols(probe)
    agree, tried = 0, 0
    while agree < n_points and tried < 3 * n_points:
        tried += 1
        values, functions = _random_substitution(setting, free, rng)
        if invariant is None:
            a = evaluate_at(stated, values, functions, dps)
            b = evaluate_at(derived, values, functions, dps)
            moved = {}
        else:  # the invariant at two states, same parameters and functions
            moved = {v: declared[v].sample(rng) for v in variables}
            a = evaluate_at(probe, values, functions, dps)
            b = evaluate_at(probe, {**values, **moved}, functions, dps)
        if a is None or b is None:
            continue
        if abs(a - b) > _REFUTE_REL * max(abs(a), abs(b), mpmath.mpf(1)):
            point = {str(k): mpmath.nstr(v, 12) for k, v in values.items()}
            point.update({f"{v} (second state)": mpmath.nstr(val, 12) for v, val in moved.items()})
            point.update({str(f): str(lam) for f, lam in functions.items()})
            what = f"{name} differs between two states" if invariant is not None else "values differ"
            return Comparison(Equivalence.REFUTED, f"random point (mpmath, {dps} digits)",
                              f"{what}: {mpmath.nstr(a, 15)} vs {mpmath.nstr(b, 15)}", point)
        agree += 1
    if agree >= n_points:
        return Comparison(Equivalence.NUMERICALLY_EQUAL,
                          f"equal at {agree} random points (mpmath, {dps} digits)",
                          "simplification did not reduce the difference to 0")
    return Comparison(Equivalence.UNDECIDED, "cascade exhausted",
                      f"only {agree} of {tried} random points could be evaluated")
