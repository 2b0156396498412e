"""Plots of 2-D stationary laws, as data for the report: densities and current fields.

Plot kinds: ``density-2d`` (the chains' histogram against the hypotheses' densities) and
``current-2d`` (a current field, from the grid or from the chains). The data keys are listed
in each builder's docstring; the report renders them.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from numerics.chains_nd import HistogramSpec

from ..codegen import concrete
from ..codegen_nd import np_callable_2d
from ..model import Plot
from ..symbols import normalisers
from .spec_nd import StationarySpecND

__all__ = ["density_plot", "simulated_current_plot", "current_plot"]


def _density_on_bins(spec: StationarySpecND, expr, k, xe, ye):
    values = {**spec.values(k), **{z: 1 for z in normalisers()}}
    dens = concrete(expr, values, spec.functions)
    xc, yc = 0.5 * (xe[1:] + xe[:-1]), 0.5 * (ye[1:] + ye[:-1])
    X, Y = np.meshgrid(xc, yc, indexing="ij")
    logd = sp.expand_log(sp.log(dens), force=True)
    with np.errstate(all="ignore"):
        lp = np_callable_2d(logd, *spec.state)(X, Y)
        w = np.exp(lp - np.nanmax(lp))
    area = (xe[1] - xe[0]) * (ye[1] - ye[0])
    mass = np.nansum(w) * area
    return (w / mass).tolist() if np.isfinite(mass) and mass > 0 else None


def density_plot(spec: StationarySpecND, hypotheses, k: int, hist: np.ndarray,
                 hspec: HistogramSpec, kept: int) -> Plot:
    """Plot kind ``density-2d``: the chains' histogram against the hypotheses' densities.

    Data keys: ``x_edges``, ``y_edges`` (bin edges), ``simulation`` (density per bin,
    ``[i][j]`` with ``i`` along x), ``laws`` (label -> density per bin, normalised on the
    box), ``state`` (the two coordinate names), ``rung`` (parameters).
    """
    xe, ye = hspec.edges(0), hspec.edges(1)
    area = (xe[1] - xe[0]) * (ye[1] - ye[0])
    laws = {}
    for label in spec.plot_labels:
        if label in hypotheses and not isinstance(hypotheses[label], sp.logic.boolalg.Boolean):
            d = _density_on_bins(spec, hypotheses[label], k, xe, ye)
            if d is not None:
                laws[label] = d
    return Plot("density-2d", f"{spec.label}: stationary histogram against the laws",
                {"x_edges": xe.tolist(), "y_edges": ye.tolist(),
                 "simulation": (hist / (kept * area)).tolist(), "laws": laws,
                 "state": [str(s) for s in spec.state],
                 "rung": {str(s): float(v) for s, v in spec.rungs[k].items()}})


def simulated_current_plot(spec: StationarySpecND, run, hspec: HistogramSpec, kept: int,
                           tau: float) -> Plot:
    """Plot kind ``current-2d`` from the chains: displacements binned at the step's midpoint.

    ``J(bin) ~ sum of displacements / (kept states * step time * bin area)`` (the midpoint
    rule), on 2 x 2 merged bins. Same keys as :func:`current_plot`.
    """
    d = run.displacement.reshape(2, hspec.bins[0] // 2, 2, hspec.bins[1] // 2, 2).sum(axis=(2, 4))
    h = run.hist.reshape(hspec.bins[0] // 2, 2, hspec.bins[1] // 2, 2).sum(axis=(1, 3))
    xe, ye = hspec.edges(0)[::2], hspec.edges(1)[::2]
    area = (xe[1] - xe[0]) * (ye[1] - ye[0])
    J = d / (kept * tau * area)
    return Plot("current-2d", f"{spec.label}: stationary current (simulation)",
                {"x": (0.5 * (xe[1:] + xe[:-1])).tolist(), "y": (0.5 * (ye[1:] + ye[:-1])).tolist(),
                 "jx": J[0].tolist(), "jy": J[1].tolist(), "density": (h / (kept * area)).tolist(),
                 "state": [str(s) for s in spec.state],
                 "source": "simulation: midpoint-binned displacements per unit time"})


def current_plot(spec: StationarySpecND, st, title: str) -> Plot:
    """Plot kind ``current-2d``: the grid's stationary current field and density.

    Data keys: ``x``, ``y`` (cell centres, subsampled), ``jx``, ``jy`` (current components
    ``[i][j]``), ``density`` (same cells), ``state``, ``source``.
    """
    J = st.current_field()
    dens = st.density
    step = max(1, st.grid.n[0] // 24), max(1, st.grid.n[1] // 24)
    sl = (slice(None, None, step[0]), slice(None, None, step[1]))
    return Plot("current-2d", title,
                {"x": st.grid.centres(0)[sl[0]].tolist(), "y": st.grid.centres(1)[sl[1]].tolist(),
                 "jx": J[0][sl].tolist(), "jy": J[1][sl].tolist(), "density": dens[sl].tolist(),
                 "state": [str(s) for s in spec.state],
                 "source": "stationary Fokker-Planck grid (SDE limit)"})
