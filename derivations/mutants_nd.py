"""Wrong alternatives for several-dimensional laws, built from the derived result.

Beside the 1-D mutants of :mod:`derivations.mutants` (a temperature off by a factor), the
2-D claims need mutants that change the *structure* of a law: one temperature for every
coordinate (a Gibbs law), or the coordinates' temperatures exchanged.
"""

from __future__ import annotations

import sympy as sp

from .model import Mutant

__all__ = ["substituted", "fixed"]


def substituted(label: str, mapping: dict) -> Mutant:
    """The derived result with symbols exchanged, e.g. ``{sigma_x: sigma_y, sigma_y: sigma_x}``."""
    return Mutant(label, lambda d, m=dict(mapping): d.xreplace(m) if m else d)


def fixed(label: str, value) -> Mutant:
    """A fixed wrong law, e.g. the Gibbs law at some temperature (built from the claim's symbols)."""
    return Mutant(label, lambda d, v=sp.sympify(value): v)
