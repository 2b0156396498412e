"""The post's two basins: "exactly the same, except one is twice as wide (in all W)".

A narrow basin on the left and its copy, mirrored and stretched twice in W, on the right:

    G(W) = -k W (W + 1)                 W < 0      narrow basin, centre -1, top at 0
         = 0                            0 <= W < d a flat top between the basins
         = (k/8) (W - d) (W - d - 2)    W >= d     wide basin, centre d + 2: G_w(W) = G_n(-(W-d)/2) / 2

and the gradient noise's sd proportional to S = 1 on the left, S = 1/2 on the right (per-example
gradients halve when the landscape is stretched twice, so V quarters), joined across the
flat top by a C^1 smoothstep. With ``eta V = c S^2`` the narrow basin's integral from its
centre to the top is ``I = int_-1^0 2G/(eta V) dW = k / (3c)``, the wide one's ``4 I``.

The flat top keeps V smooth on the scale of a step (a chain whose noise jumps within one
step does not follow any of the three conventions at the jump) and carries no drift, so
the end state's temperature ``V p`` is constant across it: the two basins are compared
through the same "maximum", as the post's argument does.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import sympy as sp

from ..blog_model import W
from .blog_landscape import Landscape

__all__ = ["two_basins", "FLAT_TOP", "NARROW_CENTRE", "WIDE_CENTRE", "TEMPERATURE",
           "interval", "HALF_WIDTH", "integral_of", "log_v", "centre_ratio_observable",
           "wide_integral_observable", "number_or_density"]

FLAT_TOP = sp.Rational(1, 2)
NARROW_CENTRE = -1.0
WIDE_CENTRE = float(FLAT_TOP) + 2.0
TEMPERATURE = 1.0
HALF_WIDTH = 0.05


def interval(x: float, half: float = HALF_WIDTH) -> tuple[float, float]:
    return (round(x - half, 10), round(x + half, 10))


@lru_cache(maxsize=None)
def two_basins(depth: float) -> Landscape:
    """The landscape whose narrow basin has ``I = int_centre^top 2G/(eta V) dW = depth``
    (one object per depth, so claims on the same landscape share its operators' cache)."""
    d = FLAT_TOP
    k = sp.nsimplify(3 * TEMPERATURE * depth)
    u = (W / d)
    smooth = 3 * u**2 - 2 * u**3
    G = sp.Piecewise((-k * W * (W + 1), W < 0), (sp.Integer(0), W < d),
                     (k / 8 * (W - d) * (W - d - 2), True))
    S = sp.Piecewise((sp.Integer(1), W < 0), (1 - smooth / 2, W < d), (sp.Rational(1, 2), True))
    return Landscape(
        label=(f"two basins, the right one twice as wide; narrow basin's integral I = {depth:g} "
               f"(k = {float(k):g}, eta V = {TEMPERATURE:g} S^2)"),
        x=W, gradient=G, amplitude=S, temperature=TEMPERATURE, etas=(0.01, 0.02, 0.03, 0.04),
        domain=(-5.0, 7.0), start=(-2.0, 4.0), cells=240)


def integral_of(land: Landscape, lo: float, hi: float) -> float:
    """``int_lo^hi 2 G / (eta V) dW = int 2 G / (c S^2)`` on the landscape, by quadrature."""
    xs = np.linspace(lo, hi, 20001)
    y = 2 * land.G(xs) / (land.temperature * land.S(xs) ** 2)
    return float(np.trapezoid(y, xs))


def log_v(land: Landscape, x: float) -> float:
    """``ln V(x)`` up to the constant ``ln(c / eta)``: ``2 ln S(x)``."""
    return 2 * math.log(float(land.S(np.array([x]))[0]))


def centre_ratio_observable(predict=None):
    """``ln[p(wide centre) / p(narrow centre)]`` from intervals of width 0.1 around the centres."""
    from .blog_stationary import EndStateObservable

    return EndStateObservable(
        "ln[p(wide centre) / p(narrow centre)]",
        (interval(WIDE_CENTRE), interval(NARROW_CENTRE)),
        lambda m: math.log(m[0] / m[1]), predict=predict,
        point_fn=lambda dens: float(np.log(dens(np.array([WIDE_CENTRE]))[0]
                                           / dens(np.array([NARROW_CENTRE]))[0])))


def wide_integral_observable(land: Landscape, ratio_of):
    """The wider basin's integral from its centre to the top, read off the end state.

    Within the wide basin V is constant, so ``int_top^centre 2G/(eta V) = ln[p(c_w)/p(top)]``
    whatever the convention. A hypothesis "I_w = r I_n" predicts ``r`` times the narrower
    basin's integral, which is computed by quadrature of the landscape's G and V.
    ``ratio_of(label, h)`` returns ``r`` for a hypothesis (None: no prediction).
    """
    from .blog_stationary import EndStateObservable

    top_w = float(FLAT_TOP)
    narrow = integral_of(land, NARROW_CENTRE, 0.0)

    def predict(label, h):
        r = ratio_of(label, h)
        return None if r is None else r * narrow

    return EndStateObservable(
        f"ln[p(wide centre) / p(top)] = I_wide (I_narrow = {narrow:.6g} by quadrature)",
        (interval(WIDE_CENTRE), interval(top_w)),
        lambda m: math.log(m[0] / m[1]) + log_v(land, WIDE_CENTRE) - log_v(land, top_w),
        predict=predict,
        point_fn=lambda dens: float(np.log(dens(np.array([WIDE_CENTRE]))[0]
                                           / dens(np.array([top_w]))[0])))


def number_or_density(label, h):
    """``predict`` for observables whose hypotheses may be numbers (a claimed ratio): a
    number's logarithm; None (use the density) for anything depending on the state."""
    h = sp.sympify(h)
    if isinstance(h, sp.Expr) and not h.free_symbols:
        return math.log(float(h))
    return None
