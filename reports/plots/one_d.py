"""One-dimensional plots: histograms against densities, ladders, series, fits, rates."""

from __future__ import annotations

import math

import numpy as np

from . import PlotDataError, finite, hypothesis_style, plotter


def _array(values, name: str) -> np.ndarray:
    if not isinstance(values, (list, tuple)):
        raise PlotDataError(f"{name} must be a list of numbers, not {type(values).__name__}")
    return np.array([finite(v) for v in values], dtype=float)


def _legend(ax, **kw) -> None:
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(fontsize=6.5, frameon=False, **kw)


@plotter("histogram-vs-densities", left=0.09)
def histogram_vs_densities(fig, data) -> None:
    """A stationary histogram against each hypothesis's normalised density.

    ``{"x": bin centres, "density": histogram normalised to unit mass, "curve_x": points,
    "curves": {hypothesis label: density at curve_x}, "state": axis label}``.
    """
    ax = fig.subplots()
    x, dens = _array(data["x"], "x"), _array(data["density"], "density")
    if x.size != dens.size or x.size < 1:
        raise PlotDataError(f"x ({x.size}) and density ({dens.size}) must have one value per bin")
    width = x[1] - x[0] if x.size > 1 else 1.0
    edges = np.concatenate([x - width / 2, [x[-1] + width / 2]])
    ax.stairs(dens, edges, fill=True, color="#c8d6e5", label="simulation")
    cx = _array(data["curve_x"], "curve_x")
    # the derived curve last, dashed on top, so that a stated curve it equals still shows
    for label, ys in sorted(data.get("curves", {}).items(), key=lambda kv: kv[0] == "derived"):
        colour, ls = hypothesis_style(label)
        ax.plot(cx, _array(ys, f"curves[{label!r}]"), color=colour, linestyle=ls,
                lw=1.6 if label in ("stated", "derived") else 1.0, label=label)
    ax.set_xlabel(str(data.get("state", "x")))
    ax.set_ylabel("density")
    _legend(ax)


def _ladder_panel(ax, series: dict, predictions: dict, j: int, ladder: str) -> list[str]:
    """One series on its ladder; returns the predictions too far off to draw, as text."""
    h, y = _array(series["h"], "h"), _array(series["y"], "y")
    se = _array(series.get("se", [0.0] * len(h)), "se")
    ax.errorbar(h, y, yerr=2 * se, fmt="o", ms=3, color="#34495e", capsize=2,
                label="simulation (±2 se)")
    ext = series.get("extrapolated")
    shown = list(y[np.isfinite(y)])
    if ext is not None:
        v, vse = finite(ext[0]), finite(ext[1])
        ax.errorbar([0.0], [v], yerr=[2 * vse], fmt="s", ms=4, color="#16a085", capsize=2,
                    label=f"{ladder} → 0 (±2 se)")
        order = np.argsort(h)
        ax.plot([0.0, *h[order]], [v, *y[order]], color="#16a085", lw=0.6, alpha=0.6)
        shown.append(v)
    span = (max(shown) - min(shown)) if shown else 1.0
    lo, hi = (min(shown), max(shown)) if shown else (0.0, 1.0)
    pad = max(span, 1e-12) * 0.6
    off = []
    for label, values in predictions.items():
        p = finite(values[j]) if isinstance(values, (list, tuple)) and j < len(values) else finite(values)
        if not math.isfinite(p):
            continue
        if label in ("stated", "derived") or lo - pad <= p <= hi + pad:
            colour, ls = hypothesis_style(label)
            ax.axhline(p, color=colour, linestyle=ls, lw=1.2 if label in ("stated", "derived") else 0.8,
                       label=label)
        else:
            off.append(f"{label}: {p:.4g}")
    ax.set_xlim(left=-0.06 * max(h.max(), 1e-12), right=1.06 * h.max())
    ax.set_title(str(series.get("observable", "")), fontsize=7.5)
    ax.set_xlabel(ladder)
    return off


@plotter("ladder", size=(7.2, 3.2), left=0.08, right=0.98, bottom=0.27, top=0.84, wspace=0.28)
def ladder(fig, data) -> None:
    """Estimates on a ladder of step sizes, extrapolated to zero, against the hypotheses.

    ``{"ladder": step name, "series": [{"observable", "h": steps, "y": estimates,
    "se": standard errors, "extrapolated": [value, se]}], "predictions": {hypothesis
    label: [prediction per series]}}``: one panel per series (at most four).
    """
    series = data["series"]
    if not isinstance(series, list) or not series:
        raise PlotDataError("series must be a non-empty list")
    series = series[:4]
    axes = fig.subplots(1, len(series), squeeze=False)[0]
    off = []
    for j, (ax, s) in enumerate(zip(axes, series)):
        off += [f"{s.get('observable', j)}: {o}"
                for o in _ladder_panel(ax, s, data.get("predictions", {}), j, str(data.get("ladder", "h")))]
    handles, labels = [], []
    for ax in axes:
        for hd, lb in zip(*ax.get_legend_handles_labels()):
            if lb not in labels:
                handles.append(hd)
                labels.append(lb)
    fig.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 0.04),
               ncol=min(len(labels), 5), fontsize=6.5, frameon=False)
    if off:
        note = "off scale: " + "; ".join(off)
        fig.text(0.5, 0.01, note if len(note) < 190 else note[:187] + "...", ha="center",
                 fontsize=5.5, color="#6c7a89")


@plotter("series")
def series(fig, data) -> None:
    """Curves over a common x.

    ``{"x": values, "series": {name: values}, "se": {name: standard errors} (optional),
    "xlabel", "ylabel", "logx", "logy" (optional booleans)}``.
    """
    ax = fig.subplots()
    x = _array(data["x"], "x")
    errors = data.get("se", {})
    for name, ys in data["series"].items():
        y = _array(ys, f"series[{name!r}]")
        if name in errors:
            ax.errorbar(x, y, yerr=2 * _array(errors[name], f"se[{name!r}]"), fmt="-o", ms=2.5,
                        capsize=2, label=f"{name} (±2 se)")
        else:
            colour, ls = hypothesis_style(name) if name in ("stated", "derived") or \
                name.startswith(("mutant", "reading")) else (None, "-")
            ax.plot(x, y, color=colour, linestyle=ls, label=name)
    if data.get("logx"):
        ax.set_xscale("log")
    if data.get("logy"):
        ax.set_yscale("log")
    ax.set_xlabel(str(data.get("xlabel", "")))
    ax.set_ylabel(str(data.get("ylabel", "")))
    _legend(ax)


@plotter("fit")
def fit(fig, data) -> None:
    """Measured points with error bars against fitted or predicted lines (e.g. a temperature fit).

    ``{"x", "y", "se" (optional), "xlabel", "ylabel", "fits": {label: {"x": [...], "y": [...]}
    or {"slope": a, "intercept": b}}}``; labels ``stated``/``derived``/``mutant: ...`` are
    drawn in the hypotheses' styles.
    """
    ax = fig.subplots()
    x, y = _array(data["x"], "x"), _array(data["y"], "y")
    if "se" in data:
        ax.errorbar(x, y, yerr=2 * _array(data["se"], "se"), fmt="o", ms=3, color="#34495e",
                    capsize=2, label="measured (±2 se)")
    else:
        ax.plot(x, y, "o", ms=3, color="#34495e", label="measured")
    grid = np.linspace(np.nanmin(x), np.nanmax(x), 50)
    for label, f in data.get("fits", {}).items():
        colour, ls = hypothesis_style(label)
        if "slope" in f:
            ax.plot(grid, finite(f["slope"]) * grid + finite(f.get("intercept", 0.0)), color=colour,
                    linestyle=ls, label=f"{label} (slope {finite(f['slope']):.4g})")
        else:
            ax.plot(_array(f["x"], f"fits[{label!r}].x"), _array(f["y"], f"fits[{label!r}].y"),
                    color=colour, linestyle=ls, label=label)
    ax.set_xlabel(str(data.get("xlabel", "")))
    ax.set_ylabel(str(data.get("ylabel", "")))
    _legend(ax)


@plotter("rate", bottom=0.15)
def rate(fig, data) -> None:
    """A convergence rate: an error against a step on log-log axes, with reference slopes.

    ``{"h": steps, "error": |quantity - limit| per step, "se": standard errors (optional),
    "xlabel", "ylabel", "slopes": {label: order}}``: each reference slope is drawn through
    the smallest step's point; the least-squares slope of the data is given in the legend.
    """
    ax = fig.subplots()
    h, err = _array(data["h"], "h"), _array(data["error"], "error")
    ok = (h > 0) & (err > 0) & np.isfinite(h) & np.isfinite(err)
    if ok.sum() < 2:
        raise PlotDataError("a rate needs two or more positive (h, error) points")
    fitted = np.polyfit(np.log(h[ok]), np.log(err[ok]), 1)[0]
    if "se" in data:
        ax.errorbar(h, err, yerr=2 * _array(data["se"], "se"), fmt="o", ms=3, color="#34495e",
                    capsize=2, label=f"measured (±2 se), slope {fitted:.3g}")
    else:
        ax.plot(h, err, "o", ms=3, color="#34495e", label=f"measured, slope {fitted:.3g}")
    i0 = int(np.argmin(np.where(ok, h, np.inf)))
    grid = np.geomspace(h[ok].min(), h[ok].max(), 20)
    for label, order in data.get("slopes", {}).items():
        colour, ls = hypothesis_style(label)
        ax.plot(grid, err[i0] * (grid / h[i0]) ** finite(order), color=colour, linestyle=ls,
                label=f"{label}: order {finite(order):g}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(str(data.get("xlabel", "step")))
    ax.set_ylabel(str(data.get("ylabel", "error")))
    _legend(ax)
