"""Expectations under a 2-D density known up to normalisation (the hypotheses' predictions).

``E_p[f] = int f p / int p`` by the tensor trapezoidal rule on the log-density, which
converges geometrically for smooth densities decaying faster than any power (Trefethen
and Weideman, SIAM Rev. 56 (2014) 385, the 2-D tensor form of
:func:`numerics.quadrature.expectations_1d`). The box is grown until the density has
fallen by ``e^-60`` on its whole boundary (else the density is refused as not
normalisable), then the spacing is refined to a 25th of each marginal standard deviation
(the rule's error then falls like exp(-2 pi^2 25^2) for a Gaussian: far below rounding).
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from .quadrature import DensityNotNormalisable

__all__ = ["expectations_2d", "DensityNotNormalisable"]

_TAIL = 60.0
_COARSE = 161
_MAX_POINTS = 1201


def _evaluate(log_density, x, y):
    X, Y = np.meshgrid(x, y, indexing="ij")
    with np.errstate(all="ignore"):
        lp = np.asarray(log_density(X, Y), dtype=float)
    return np.broadcast_to(lp, X.shape), X, Y


def expectations_2d(log_density: Callable, observables: Sequence[Callable],
                    box: tuple[tuple[float, float], tuple[float, float]] = ((-3, 3), (-3, 3)),
                    name: str = "density") -> list[float]:
    """``[E_p[f] for f in observables]`` for ``p = exp(log_density(x, y))``, unnormalised.

    ``log_density(X, Y)`` and each ``f(X, Y)`` are vectorised numpy callables on meshes.
    """
    (x0, x1), (y0, y1) = (map(float, box[0]), map(float, box[1]))
    for _ in range(30):
        x, y = np.linspace(x0, x1, _COARSE), np.linspace(y0, y1, _COARSE)
        lp, X, Y = _evaluate(log_density, x, y)
        if np.any(np.isnan(lp)) or np.any(lp == np.inf):
            raise DensityNotNormalisable(f"{name} is not a finite non-negative function on "
                                         f"[{x0:g}, {x1:g}] x [{y0:g}, {y1:g}]")
        top = lp.max()
        if not np.isfinite(top):
            raise DensityNotNormalisable(f"{name} vanishes on the box")
        edges = {"x0": lp[0, :].max(), "x1": lp[-1, :].max(), "y0": lp[:, 0].max(), "y1": lp[:, -1].max()}
        grow = {k for k, v in edges.items() if v >= top - _TAIL}
        if not grow:
            break
        wx, wy = x1 - x0, y1 - y0
        x0 -= wx / 2 if "x0" in grow else 0
        x1 += wx / 2 if "x1" in grow else 0
        y0 -= wy / 2 if "y0" in grow else 0
        y1 += wy / 2 if "y1" in grow else 0
    else:
        raise DensityNotNormalisable(
            f"{name} does not normalise (or has tails too heavy to integrate here): it has not "
            f"decayed by e^-{_TAIL:g} on the boundary of [{x0:.3g}, {x1:.3g}] x [{y0:.3g}, {y1:.3g}]")
    w = np.exp(lp - top)
    mass = w.sum()
    sx = np.sqrt(max((w * X**2).sum() / mass - ((w * X).sum() / mass) ** 2, 0.0))
    sy = np.sqrt(max((w * Y**2).sum() / mass - ((w * Y).sum() / mass) ** 2, 0.0))
    nx = int(min(_MAX_POINTS, max(_COARSE, np.ceil((x1 - x0) / (sx / 25)) if sx > 0 else _COARSE)))
    ny = int(min(_MAX_POINTS, max(_COARSE, np.ceil((y1 - y0) / (sy / 25)) if sy > 0 else _COARSE)))
    x, y = np.linspace(x0, x1, nx), np.linspace(y0, y1, ny)
    lp, X, Y = _evaluate(log_density, x, y)
    w = np.exp(lp - lp.max())
    # Trapezoid weights (the end points carry half weight; they hold ~e^-60 anyway).
    wx = np.ones(nx)
    wx[[0, -1]] = 0.5
    wy = np.ones(ny)
    wy[[0, -1]] = 0.5
    W = w * wx[:, None] * wy[None, :]
    mass = W.sum()
    if not (np.isfinite(mass) and mass > 0):
        raise DensityNotNormalisable(f"{name} does not normalise (integral {mass!r})")
    return [float((np.asarray(np.broadcast_to(f(X, Y), X.shape), dtype=float) * W).sum() / mass)
            for f in observables]
