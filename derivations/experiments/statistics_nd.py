"""Statistics of 2-D stationary laws: Gibbs tests that need no temperature, and the current.

A :class:`Statistic` is a function of stationary means of named inputs (polynomial
observables, or current functionals ``int J . G dx``). The builders here give the ones the
claims share: configurational temperatures (equal for every Gibbs law, whatever the loss),
two temperatures that agree for every Gibbs law (shape), and the circulation of the current
(0 under detailed balance). :data:`ZERO_CURRENT` is the hypothesis "the current vanishes".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import sympy as sp

__all__ = ["Statistic", "configurational_temperatures", "gibbs_shape_statistics", "CIRCULATION",
           "rotation_field", "ZERO_CURRENT", "CURRENT_SYMBOL", "json_safe"]

#: The hypothesis "the stationary probability current vanishes" (detailed balance): it
#: predicts 0 for every statistic built from current functionals alone, nothing else.
CURRENT_SYMBOL = sp.Symbol("J")
ZERO_CURRENT = sp.Eq(CURRENT_SYMBOL, 0, evaluate=False)


@dataclass(frozen=True)
class Statistic:
    """``f(*means of inputs)``; inputs name observables or current fields of the spec."""

    name: str
    inputs: tuple[str, ...]
    f: Callable[..., float]


def configurational_temperatures(loss: sp.Expr, xs, pooled: bool = False) -> tuple[dict, tuple[Statistic, ...]]:
    """Observables and statistics ``T_i = E[(d_i L)^2] / E[d_ii L]`` and their ratio.

    For ``p = exp(-sum_i L_i(x_i) / T_i)`` (separable) ``T_i`` is coordinate ``i``'s
    temperature; for a Gibbs law ``exp(-L/T)`` every ``T_i = T`` whatever ``L`` (integrate
    ``d_i(p d_i L)`` by parts), so ``T_x / T_y = 1`` for *every* Gibbs law.
    """
    obs, stats = {}, []
    names = [str(x) for x in xs]
    for x, nm in zip(xs, names):
        obs[f"(d{nm} L)^2"] = sp.expand(sp.diff(loss, x) ** 2)
        obs[f"d{nm}{nm} L"] = sp.expand(sp.diff(loss, x, 2))
        stats.append(Statistic(f"T_{nm} = E[(d{nm} L)^2]/E[d{nm}{nm} L]",
                               (f"(d{nm} L)^2", f"d{nm}{nm} L"), lambda a, b: a / b))
    a, b = names[:2]
    stats.append(Statistic(f"T_{a}/T_{b}", (f"(d{a} L)^2", f"d{a}{a} L", f"(d{b} L)^2", f"d{b}{b} L"),
                           lambda p, q, r, s: (p / q) / (r / s)))
    if pooled:
        stats.append(Statistic("T = E[|grad L|^2]/E[lap L]",
                               (f"(d{a} L)^2", f"d{a}{a} L", f"(d{b} L)^2", f"d{b}{b} L"),
                               lambda p, q, r, s: (p + r) / (q + s)))
    cross = sp.expand(sp.diff(loss, xs[0], xs[1]))
    if cross != 0:
        # E[d_x L d_y L] = T E[d_xy L] for a Gibbs law too: a third temperature that must agree.
        obs[f"d{a}L d{b}L"] = sp.expand(sp.diff(loss, xs[0]) * sp.diff(loss, xs[1]))
        obs[f"d{a}{b} L"] = cross
        stats.append(Statistic(f"T_{a}{b}/T_{a}, T_{a}{b} = E[d{a}L d{b}L]/E[d{a}{b} L]",
                               (f"d{a}L d{b}L", f"d{a}{b} L", f"(d{a} L)^2", f"d{a}{a} L"),
                               lambda p, q, r, s: (p / q) / (r / s)))
    return obs, tuple(stats)


#: The current's circulation ``int J . (-y, x) dx`` (angular momentum of the probability flow):
#: 0 under detailed balance; a rotating stationary current makes it non-zero.
CIRCULATION = ("circulation", Statistic("circulation int J . (-y, x) dx", ("circulation",), lambda c: c))


def rotation_field(xs) -> tuple[sp.Expr, sp.Expr]:
    return (-xs[1], xs[0])


def gibbs_shape_statistics(loss: sp.Expr, xs) -> tuple[dict, tuple[Statistic, ...]]:
    """Two configurational temperatures that agree for every Gibbs law, and their ratio.

    For ``p = exp(-L/T)``, ``E[grad L . grad f] = T E[lap f]`` for every ``f``; ``f = L``
    gives ``T_1 = E[|grad L|^2] / E[lap L]`` and ``f = L^2/2`` gives
    ``T_2 = E[L |grad L|^2] / E[|grad L|^2 + L lap L]``. A law that is a function of ``L``
    but not exponential in it (a temperature that varies with ``L``) has ``T_2 != T_1``.
    """
    grad2 = sp.expand(sum(sp.diff(loss, x) ** 2 for x in xs))
    lap = sp.expand(sum(sp.diff(loss, x, 2) for x in xs))
    obs = {"|grad L|^2": grad2, "lap L": lap, "L |grad L|^2": sp.expand(loss * grad2),
           "L lap L": sp.expand(loss * lap)}
    t1 = Statistic("T_1 = E[|grad L|^2]/E[lap L]", ("|grad L|^2", "lap L"), lambda a, b: a / b)
    t21 = Statistic("T_2/T_1, T_2 = E[L|grad L|^2]/E[|grad L|^2 + L lap L]",
                    ("|grad L|^2", "lap L", "L |grad L|^2", "L lap L"),
                    lambda a, b, c, d: (c / (a + d)) / (a / b))
    return obs, (t1, t21)



def json_safe(obj):
    """Plot data and setups as JSON allows them: non-finite numbers become ``None``."""
    if isinstance(obj, dict):
        return {k: json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    if isinstance(obj, (float, np.floating)):
        return float(obj) if math.isfinite(obj) else None
    if isinstance(obj, np.integer):
        return int(obj)
    return obj
