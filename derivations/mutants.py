"""Wrong alternatives built from the derived result, for the simulation to reject.

A simulation that cannot tell right from wrong proves nothing (DESIGN.md): every check
names the mutants it must reject, e.g. a density at the wrong temperature.
"""

from __future__ import annotations

import sympy as sp

from .model import Mutant

__all__ = ["temperature_scaled", "scaled", "replaced"]


def temperature_scaled(factor) -> Mutant:
    """``p -> p^(1/factor)``: for ``p = exp(-L/T)/Z`` the same law at temperature ``factor T``."""
    factor = sp.nsimplify(factor)
    return Mutant(f"temperature x {factor}",
                  lambda d: sp.powsimp(sp.expand_power_base(d ** (1 / factor), force=True),
                                       combine="exp", force=True))


def scaled(factor, label: str | None = None) -> Mutant:
    """``r -> factor r``: a constant off by ``factor`` (a factor 2 in a rate, say)."""
    factor = sp.nsimplify(factor)
    return Mutant(label or f"x {factor}", lambda d: factor * d)


def replaced(label: str, value) -> Mutant:
    """A fixed wrong value, e.g. a competing closed form."""
    return Mutant(label, lambda d, v=sp.sympify(value): v)
