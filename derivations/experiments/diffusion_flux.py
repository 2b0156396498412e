"""The appendix's setting as an experiment: a pure diffusion step, mass counted across points.

A step ``x' = x + s xi`` (``s`` from the rung's parameters) is applied to particles drawn
from ``p = N(0, 1)``; the flux per step at ``c`` divided by ``s^2 (-p'(c))`` is the
coefficient ``alpha`` of ``diffusion flow = -alpha s^2 p'`` per step, and tends to it as
``s -> 0`` (the ladder runs in ``s^2``, where the bias is linear).
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

import sympy as sp

from ..symbols import dt, sigma
from .flux_1d import FluxBudget, FluxSpec1D, flux_witnesses, gaussian_density

__all__ = ["diffusion_flux_witnesses", "APPENDIX_RUNGS"]

#: The appendix's step sigma eps sqrt(dt) with sigma = 1, dt from 0.05 to 0.15: sd 0.22 to 0.39.
APPENDIX_RUNGS = tuple({sigma: 1.0, dt: h} for h in (0.05, 0.1, 0.15))

BUDGETS = {"quick": FluxBudget(64, 100_000), "full": FluxBudget(256, 400_000)}


def diffusion_flux_witnesses(x: sp.Symbol, step: sp.Expr, step_variance: sp.Expr,
                             rungs: Sequence[Mapping[sp.Symbol, float]],
                             coefficient: Callable[[sp.Basic], float], label: str) -> tuple:
    """Witnesses measuring ``alpha``; ``coefficient`` maps a hypothesis to its ``alpha``.

    ``step`` is the update (linear in ``xi``), ``step_variance`` its variance per step.
    Choose rungs with step sd between ~0.2 and ~0.4: the O(s^2) bias is then removed by the
    ladder while the crossing signal (~ s^2) stays large against its noise (~ s^(1/2)).
    """
    p = gaussian_density(x, 0.0, 1.0)
    spec = FluxSpec1D(
        label=label, update=step, state=x, mean=0.0, sd=1.0, points=(0.5, 1.0, 1.5),
        rungs=tuple(rungs), ladder=step_variance, unit=step_variance * (-sp.diff(p, x)),
        observable="flux / (step variance * (-p'))", coefficient=coefficient, budgets=BUDGETS)
    return flux_witnesses(spec)
