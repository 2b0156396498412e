"""Plots of 2-D stationary laws, as data for the report: densities and current fields.

Plot kinds: ``density-2d`` (the chains' histogram against the hypotheses' densities) and
``current-2d`` (the grid's stationary current field; the chains measure the current through
scalar functionals such as its circulation, which a per-bin field at the quick budget would
show only as noise). The data keys are listed
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

__all__ = ["density_plot", "current_plot"]


def _window(density: np.ndarray, pad: int = 1) -> tuple[slice, slice]:
    """Index ranges of the box around the cells holding density >= 1e-3 of the peak.

    Arrow plots autoscale on the mean arrow: cropping the empty tails keeps the arrows readable.
    """
    mask = density >= 1e-3 * np.nanmax(density)
    ii, jj = np.nonzero(mask)
    if ii.size == 0:
        return slice(None), slice(None)
    return (slice(max(0, ii.min() - pad), ii.max() + pad + 1),
            slice(max(0, jj.min() - pad), jj.max() + pad + 1))


def _rows(a: np.ndarray) -> list:
    """An array indexed ``[i along x][j along y]`` as the report's ``ny`` rows of ``nx`` values."""
    return np.asarray(a).T.tolist()


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
    return _rows(w / mass) if np.isfinite(mass) and mass > 0 else None


def density_plot(spec: StationarySpecND, hypotheses, k: int, hist: np.ndarray,
                 hspec: HistogramSpec, kept: int) -> Plot:
    """Plot kind ``density-2d`` (layout of :func:`reports.plots.two_d.density_2d`).

    ``x``, ``y``: bin centres; ``z``: the chains' histogram as a density, ``ny`` rows of ``nx``;
    ``contours``: each plotted hypothesis's density on the same bins (normalised on the box);
    ``xlabel``, ``ylabel``, ``zlabel``; ``rung``: the parameters of the run shown.
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
                {"x": (0.5 * (xe[1:] + xe[:-1])).tolist(), "y": (0.5 * (ye[1:] + ye[:-1])).tolist(),
                 "z": _rows(hist / (kept * area)), "contours": laws,
                 "xlabel": str(spec.state[0]), "ylabel": str(spec.state[1]),
                 "zlabel": "density (simulation)",
                 "rung": {str(s): float(v) for s, v in spec.rungs[k].items()}})


def current_plot(spec: StationarySpecND, st, title: str) -> Plot:
    """Plot kind ``current-2d`` (layout of :func:`reports.plots.two_d.current_2d`).

    ``x``, ``y``: cell centres (cropped to where the density exceeds 1e-3 of its peak,
    subsampled to ~20 per axis); ``u``, ``v``: the current's
    components, ``ny`` rows of ``nx``; ``background``: the stationary density on the same
    cells; ``xlabel``, ``ylabel``, ``zlabel``; ``source``: where the field comes from.
    """
    wi, wj = _window(st.density)
    J = st.current_field()[:, wi, wj]
    dens = st.density[wi, wj]
    xc, yc = st.grid.centres(0)[wi], st.grid.centres(1)[wj]
    step = max(1, xc.size // 20), max(1, yc.size // 20)
    sl = (slice(None, None, step[0]), slice(None, None, step[1]))
    return Plot("current-2d", title,
                {"x": xc[sl[0]].tolist(), "y": yc[sl[1]].tolist(),
                 "u": _rows(J[0][sl]), "v": _rows(J[1][sl]), "background": _rows(dens[sl]),
                 "xlabel": str(spec.state[0]), "ylabel": str(spec.state[1]), "zlabel": "density",
                 "source": "stationary Fokker-Planck grid (SDE limit)"})
