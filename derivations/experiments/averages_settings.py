"""Shared setting of the deck-003 running-average claims: parameters, inputs, budgets.

The running average's length ``N`` is declared once here with its domain; the input models
are the three the issue asks for (a constant mean, a drifting mean, heavy tails). Budgets
are numbers of independent sequences: the quick budget keeps a claim near 1 s, the full
budget has 10x the sequences (standard errors shrink by ~3.2).
"""

from __future__ import annotations

import sympy as sp

from ..recurrences import N, mu, r, s, sigma, t
from ..symbols import integer, positive, real
from .running_averages import InputModel

__all__ = ["DECK", "N_PARAM", "T_PARAM", "S_PARAM", "MU_PARAM", "SIGMA_PARAM", "R_PARAM",
           "budgets", "constant", "drifting", "heavy_tailed"]

DECK = "003_874bf7fcc03d5f2a.txt"

N_PARAM = positive(N, "N", "length of the running average (weight 1/N on the newest value)", (2.0, 1000.0))
T_PARAM = integer(t, "t", "step (number of values seen)", 1, 1000)
S_PARAM = integer(s, "s", "index of a past value x_s", 1, 1000)
MU_PARAM = real(mu, r"\mu", "mean of the values, E x")
SIGMA_PARAM = positive(sigma, r"\sigma", "standard deviation of one value", (0.1, 10.0))
R_PARAM = positive(r, "r", "drift of the mean per step", (0.01, 1.0))


def budgets(quick: int) -> dict[str, int]:
    """Sequences per budget: ``quick`` for pytest, ten times as many for the report."""
    return {"quick": int(quick), "full": 10 * int(quick)}


def constant(mean: float = 1.0, sd: float = 1.0, batch: int = 1) -> InputModel:
    return InputModel(f"constant mean {mean:g}, Gaussian noise sd {sd:g}", sp.Float(mean), sd, batch=batch)


def drifting(slope: float = 0.1, sd: float = 1.0, batch: int = 1) -> InputModel:
    return InputModel(f"mean drifting by {slope:g} per step, Gaussian noise sd {sd:g}",
                      sp.Float(slope) * t, sd, batch=batch)


def heavy_tailed(mean: float = 1.0, sd: float = 1.0, dof: int = 5, batch: int = 1) -> InputModel:
    return InputModel(f"constant mean {mean:g}, Student t({dof}) noise scaled to sd {sd:g}",
                      sp.Float(mean), sd, law="student-t", dof=dof, batch=batch)
