"""Two-dimensional plots: a density on a grid, a probability current as arrows."""

from __future__ import annotations

import numpy as np

from . import PlotDataError, finite, plotter


def _grid(data, key: str, nx: int, ny: int) -> np.ndarray:
    rows = data[key]
    z = np.array([[finite(v) for v in row] for row in rows], dtype=float)
    if z.shape != (ny, nx):
        raise PlotDataError(f"{key} must have len(y)={ny} rows of len(x)={nx} values, not {z.shape}")
    return z


def _axes(data):
    x = np.array([finite(v) for v in data["x"]])
    y = np.array([finite(v) for v in data["y"]])
    if x.size < 2 or y.size < 2:
        raise PlotDataError("x and y need two or more grid values each")
    return x, y


@plotter("density-2d", size=(4.6, 3.8), left=0.13, right=0.95, bottom=0.13)
def density_2d(fig, data) -> None:
    """A density (or any scalar field) on a grid, with optional contour overlays.

    ``{"x": nx values, "y": ny values, "z": ny rows of nx values, "xlabel", "ylabel",
    "zlabel", "contours": {hypothesis label: ny rows of nx values} (optional)}``.
    """
    from . import hypothesis_style

    ax = fig.subplots()
    x, y = _axes(data)
    z = _grid(data, "z", x.size, y.size)
    mesh = ax.pcolormesh(x, y, z, shading="nearest", cmap="Blues", rasterized=False)
    fig.colorbar(mesh, ax=ax, label=str(data.get("zlabel", "")))
    for label in data.get("contours", {}):
        colour, ls = hypothesis_style(label)
        c = _grid(data["contours"], label, x.size, y.size)
        ax.contour(x, y, c, levels=4, colors=colour, linestyles=ls, linewidths=0.8)
        ax.plot([], [], color=colour, linestyle=ls, label=label)
    ax.set_xlabel(str(data.get("xlabel", "x")))
    ax.set_ylabel(str(data.get("ylabel", "y")))
    if data.get("contours"):
        ax.legend(fontsize=6.5, frameon=False)


@plotter("current-2d", size=(4.6, 3.8), left=0.13, right=0.95, bottom=0.13)
def current_2d(fig, data) -> None:
    """A vector field (e.g. the stationary probability current) as arrows over a grid.

    ``{"x": nx values, "y": ny values, "u": ny rows of nx x-components, "v": same for y,
    "background": ny rows of nx values (optional, e.g. the density), "xlabel", "ylabel"}``.
    """
    ax = fig.subplots()
    x, y = _axes(data)
    u = _grid(data, "u", x.size, y.size)
    v = _grid(data, "v", x.size, y.size)
    if "background" in data:
        bg = _grid(data, "background", x.size, y.size)
        mesh = ax.pcolormesh(x, y, bg, shading="nearest", cmap="Greys", alpha=0.5)
        fig.colorbar(mesh, ax=ax, label=str(data.get("zlabel", "")))
    speed = np.hypot(u, v)
    ax.quiver(x, y, u, v, speed, cmap="viridis", angles="xy", pivot="mid")
    ax.set_xlabel(str(data.get("xlabel", "x")))
    ax.set_ylabel(str(data.get("ylabel", "y")))
    ax.set_aspect("equal", adjustable="box")
