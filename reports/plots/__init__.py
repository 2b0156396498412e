"""Plots for the report: recorded data in, inline SVG out, dispatched by the plot's kind.

An experiment records a plot as data (``derivations.model.Plot(kind, title, data)``); the
report draws it here. Each kind has one plot function, registered with :func:`plotter`;
the modules of this package are imported on first use, so a new kind is a new module with
a decorated function and nothing else changes. A kind with no plot function, or data its
function cannot draw, is shown as a table of its data with a note saying why: a report
never fails over a figure.

The kinds and their data layouts are documented in each plot function's docstring
(``one_d.py``: ``histogram-vs-densities``, ``ladder``, ``series``, ``fit``, ``rate``;
``two_d.py``: ``density-2d``, ``current-2d``). Numbers that JSON cannot hold (NaN,
infinities) arrive as strings (``"nan"``) and are drawn as gaps.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import math
import pkgutil
import threading
from typing import Callable, Mapping

from markupsafe import Markup, escape

__all__ = ["plotter", "plotters", "render_plot", "data_table", "PlotDataError", "HYPOTHESIS_STYLE",
           "finite"]

PlotFunction = Callable[["matplotlib.figure.Figure", Mapping], None]  # noqa: F821

_REGISTRY: dict[str, tuple[PlotFunction, tuple[float, float], dict]] = {}
#: Figure margins (fractions of the figure): fixed, because tight layout draws the figure
#: twice and would double the cost of a report with hundreds of plots.
MARGINS = {"left": 0.11, "right": 0.97, "bottom": 0.14, "top": 0.88}
_LOADED = False
_LOCK = threading.Lock()


class PlotDataError(ValueError):
    """The data of a plot do not have the layout its kind documents."""


def plotter(kind: str, size: tuple[float, float] = (6.0, 3.4), **margins: float):
    """Register ``fn(fig, data)`` as the drawing of plots of ``kind``.

    ``size`` is the figure's size in inches; ``margins`` override :data:`MARGINS`.
    """
    def register(fn: PlotFunction) -> PlotFunction:
        if kind in _REGISTRY and _REGISTRY[kind][0] is not fn:
            raise ValueError(f"plot kind {kind!r} is drawn by both {_REGISTRY[kind][0].__module__}"
                             f".{_REGISTRY[kind][0].__name__} and {fn.__module__}.{fn.__name__}")
        _REGISTRY[kind] = (fn, size, {**MARGINS, **margins})
        return fn
    return register


def _load() -> None:
    global _LOADED
    with _LOCK:
        if _LOADED:
            return
        for info in pkgutil.iter_modules(__path__):
            if not info.name.startswith("_"):
                importlib.import_module(f"{__name__}.{info.name}")
        _LOADED = True


def plotters() -> dict[str, PlotFunction]:
    """Every registered kind and its plot function."""
    _load()
    return {k: entry[0] for k, entry in _REGISTRY.items()}


#: How each hypothesis is drawn everywhere: colour, line style, and its z-order.
HYPOTHESIS_STYLE = {"stated": ("#c0392b", "-"), "derived": ("#1f3a5f", "--")}


def hypothesis_style(label: str) -> tuple[str, str]:
    if label in HYPOTHESIS_STYLE:
        return HYPOTHESIS_STYLE[label]
    if label.startswith("reading"):
        return "#7d3c98", "-."
    return "#8a8f94", ":"


def finite(value) -> float:
    """A recorded number as a float; strings such as ``"nan"`` and None become NaN."""
    if value is None or isinstance(value, str):
        try:
            return float(value) if value is not None else math.nan
        except ValueError:
            return math.nan
    return float(value)


def _svg(fn: PlotFunction, size, margins: dict, data: Mapping, title: str, salt: str) -> str:
    import matplotlib
    from matplotlib.figure import Figure

    # Text as <text> (not glyph outlines): a tenth of the size, and searchable. A salt
    # from the plot's content keeps element ids reproducible and distinct between plots.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt,
                                "font.family": "DejaVu Sans", "font.size": 8}):
        fig = Figure(figsize=size)
        fig.subplots_adjust(**margins)
        fn(fig, data)
        if title:
            fig.suptitle(title, fontsize=8.5)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]  # drop the XML prolog and doctype for inlining


#: Drawn plots by the SHA-256 of their recorded data: the same data always give the same
#: SVG, so re-rendering a results document in one process draws nothing twice.
_SVG_CACHE: dict[str, str] = {}
_SVG_CACHE_SIZE = 512


def _remember(digest: str, svg: str) -> None:
    with _LOCK:
        if len(_SVG_CACHE) >= _SVG_CACHE_SIZE:
            _SVG_CACHE.pop(next(iter(_SVG_CACHE)))
        _SVG_CACHE[digest] = svg


def render_plot(plot: Mapping) -> Markup:
    """One recorded plot as a ``<figure>``: inline SVG, or its data as a table."""
    _load()
    kind, title, data = plot.get("kind"), plot.get("title", ""), plot.get("data", {})
    entry = _REGISTRY.get(kind)
    caption = Markup('<figcaption class="small">{}</figcaption>').format(title)
    if entry is None:
        note = f"no drawing for plot kind {kind!r}; its data:"
        return Markup('<figure class="plot-data" data-kind="{}">{}<p class="small">{}</p>{}</figure>').format(
            kind, caption, note, data_table(data))
    digest = hashlib.sha256(json.dumps(plot, sort_keys=True, default=str).encode()).hexdigest()
    try:
        svg = _SVG_CACHE.get(digest)
        if svg is None:
            svg = _svg(*entry, data, title, digest[:12])
            _remember(digest, svg)
    except (PlotDataError, KeyError, TypeError, ValueError, IndexError) as exc:
        note = f"plot kind {kind!r} could not be drawn ({type(exc).__name__}: {exc}); its data:"
        return Markup('<figure class="plot-data" data-kind="{}">{}<p class="small">{}</p>{}</figure>').format(
            kind, caption, note, data_table(data))
    return Markup('<figure class="plot" data-kind="{}">{}</figure>').format(kind, Markup(svg))


# --- data as a table -------------------------------------------------------------------------

_MAX_ROWS = 40


def _cell(v) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, (list, tuple)) and all(not isinstance(u, (list, dict)) for u in v):
        head = ", ".join(_cell(u) for u in v[:8])
        return f"[{head}{', ...' if len(v) > 8 else ''}] ({len(v)})" if len(v) > 8 else f"[{head}]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_cell(u)}" for k, u in list(v.items())[:8]) + "}"
    return str(v)


def data_table(data) -> Markup:
    """Any JSON-like plot data as HTML: equal-length columns side by side, the rest nested."""
    if isinstance(data, dict):
        columns = {k: v for k, v in data.items()
                   if isinstance(v, list) and v and all(not isinstance(u, (list, dict)) for u in v)}
        lengths = {len(v) for v in columns.values()}
        parts = []
        if columns and len(lengths) == 1:
            n = lengths.pop()
            head = "".join(f"<th>{escape(k)}</th>" for k in columns)
            rows = "".join("<tr>" + "".join(f'<td class="num">{escape(_cell(columns[k][i]))}</td>'
                                            for k in columns) + "</tr>" for i in range(min(n, _MAX_ROWS)))
            more = (f'<tr><td colspan="{len(columns)}" class="small">... {n - _MAX_ROWS} more rows</td></tr>'
                    if n > _MAX_ROWS else "")
            parts.append(f'<table class="data">{"<tr>" + head + "</tr>"}{rows}{more}</table>')
            rest = {k: v for k, v in data.items() if k not in columns}
        else:
            rest = data
        if rest:
            items = "".join(f"<tr><th>{escape(k)}</th><td>{data_table(v)}</td></tr>" for k, v in rest.items())
            parts.append(f'<table class="data">{items}</table>')
        return Markup("".join(parts))
    if isinstance(data, list) and data and all(isinstance(u, dict) for u in data):
        keys = list(dict.fromkeys(k for u in data for k in u))
        head = "".join(f"<th>{escape(k)}</th>" for k in keys)
        rows = "".join("<tr>" + "".join(f"<td>{escape(_cell(u.get(k, '')))}</td>" for k in keys) + "</tr>"
                       for u in data[:_MAX_ROWS])
        return Markup(f'<table class="data"><tr>{head}</tr>{rows}</table>')
    if isinstance(data, list) and data and all(isinstance(u, list) for u in data):
        rows = "".join("<tr>" + "".join(f'<td class="num">{escape(_cell(x))}</td>' for x in u[:_MAX_ROWS])
                       + "</tr>" for u in data[:_MAX_ROWS])
        return Markup(f'<table class="data">{rows}</table>')
    return Markup(escape(_cell(data)))
