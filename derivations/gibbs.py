"""Is a stationary law Gibbs? The symbolic test and its verdict as a Comparison.

A law is *Gibbs* for a loss ``L`` when it is ``exp(-L / T) / Z`` with one constant ``T``
(the decks' usage: "We get a Gibbs distribution!" for ``exp(-L/(alpha eta sigma^2))``).
Two symbolic tests, from :mod:`derivations.fokker_planck_nd`:

- is ``p`` a function of ``L`` at all (every minor ``d_i ln p d_j L - d_j ln p d_i L`` zero)?
- is ``-grad L / grad ln p`` one constant ``T`` in every coordinate?
"""

from __future__ import annotations

import sympy as sp

from .fokker_planck_nd import gibbs_minors, gibbs_temperature
from .model import Comparison, Equivalence, Step

__all__ = ["gibbs_report", "NOT_GIBBS", "IS_GIBBS"]

#: Propositions as statements: the encoding names the proposition, the result is ``true``.
NOT_GIBBS = sp.Symbol(r"p\ \mathrm{is\ not\ Gibbs}")
IS_GIBBS = sp.Symbol(r"p\ \mathrm{is\ Gibbs}")


def gibbs_report(p: sp.Expr, L: sp.Expr, xs, claims_gibbs: bool) -> tuple[Comparison, tuple[Step, ...]]:
    """Compare the proposition "p is Gibbs" (or "not Gibbs") with the symbolic test."""
    minors = gibbs_minors(p, L, xs)
    T = gibbs_temperature(p, L, xs)
    steps = (Step("Gibbs test: minors d_i ln p d_j L - d_j ln p d_i L (all 0 iff p is a function of L)",
                  sp.Matrix(minors)),
             Step("Temperature T with grad ln p = -grad L / T (None: no single constant T)",
                  T if T is not None else sp.Symbol(r"\mathrm{none}")))
    is_gibbs = T is not None
    if is_gibbs:
        detail = f"p = exp(-L/T)/Z with T = {sp.sstr(T)}"
    elif all(m == 0 for m in minors):
        detail = "p is a function of L but not exp(-L/T) with a constant T"
    else:
        detail = f"p is not a function of L: minor {sp.sstr(minors[0])} != 0"
    agrees = is_gibbs == claims_gibbs
    return (Comparison(Equivalence.PROVED if agrees else Equivalence.REFUTED,
                       "symbolic Gibbs test (gradient minors and temperature)", detail), steps)
