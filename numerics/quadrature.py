"""Expectations under a density known up to normalisation.

``E_p[f] = int f p / int p`` over the real line, two ways:

- :func:`expectations_1d` works from the *log*-density on a uniform grid with the
  trapezoidal rule, which converges geometrically for smooth densities decaying faster
  than any power (L. N. Trefethen, J. A. C. Weideman, SIAM Rev. 56 (2014) 385, sec. 5).
  The range is grown until the density has fallen by ``e^-80`` on both sides; a density
  that never falls that far is refused as not normalisable. Fast: used for every
  hypothesis of every experiment.
- :func:`expectations_1d_mpmath`: tanh-sinh quadrature at ``dps`` digits on
  ``(-inf, inf)``; slow, the reference the tests hold the fast one to.
"""

from __future__ import annotations

from typing import Callable, Sequence

import mpmath
import numpy as np

__all__ = ["DensityNotNormalisable", "expectations_1d", "expectations_1d_mpmath"]

_TAIL = 80.0  # e^-80 ~ 1.8e-35 relative to the peak: beyond double precision
_POINTS = 8001


class DensityNotNormalisable(ValueError):
    """The integral of a proposed density is not finite and positive."""


def _support(log_density: Callable, centre_lo: float, centre_hi: float, name: str):
    """An interval outside which ``log_density`` is below its maximum minus ``_TAIL``."""
    lo, hi = float(centre_lo), float(centre_hi)
    width = max(hi - lo, 1.0)
    for _ in range(40):
        x = np.linspace(lo, hi, _POINTS)
        with np.errstate(all="ignore"):
            lp = np.asarray(log_density(x), dtype=float)
        if np.any(np.isnan(lp)) or np.any(lp == np.inf):
            raise DensityNotNormalisable(f"{name} is not a finite non-negative function on "
                                         f"[{lo:g}, {hi:g}]")
        top = lp.max()
        if not np.isfinite(top):
            raise DensityNotNormalisable(f"{name} vanishes on [{lo:g}, {hi:g}]")
        left_ok = lp[0] < top - _TAIL
        right_ok = lp[-1] < top - _TAIL
        if left_ok and right_ok:
            return x, lp - top
        if not left_ok:
            lo -= width
        if not right_ok:
            hi += width
        width *= 2
    raise DensityNotNormalisable(
        f"{name} does not normalise (or has tails too heavy to integrate here): it has not "
        f"decayed by e^-{_TAIL:g} within [{lo:.3g}, {hi:.3g}]")


def expectations_1d(log_density: Callable, observables: Sequence[Callable],
                    centre: tuple[float, float] = (-2.0, 2.0), name: str = "density") -> list[float]:
    """``[E_p[f] for f in observables]`` for ``p = exp(log_density)``, unnormalised.

    ``log_density`` and the observables are vectorised numpy callables.
    """
    x, lp = _support(log_density, centre[0], centre[1], name)
    # Refine until the spacing resolves the density's width: the trapezoid rule's error
    # falls geometrically in (width / spacing).
    w = np.exp(lp)
    mass = np.trapezoid(w, x) if hasattr(np, "trapezoid") else np.trapz(w, x)
    if not (np.isfinite(mass) and mass > 0):
        raise DensityNotNormalisable(f"{name} does not normalise (integral {mass!r})")
    sd = np.sqrt(max(np.sum(w * x**2) / np.sum(w) - (np.sum(w * x) / np.sum(w)) ** 2, 0.0))
    if sd > 0 and (x[1] - x[0]) > sd / 50:
        n = int(min(2_000_001, np.ceil((x[-1] - x[0]) / (sd / 50))))
        x = np.linspace(x[0], x[-1], n)
        with np.errstate(all="ignore"):
            lp = np.asarray(log_density(x), dtype=float)
        w = np.exp(lp - lp.max())
    trap = np.trapezoid if hasattr(np, "trapezoid") else np.trapz
    mass = trap(w, x)
    return [float(trap(np.asarray(f(x), dtype=float) * w, x) / mass) for f in observables]


def expectations_1d_mpmath(density: Callable, observables: Sequence[Callable],
                           breakpoints: Sequence[float] = (-2.0, -1.0, 0.0, 1.0, 2.0),
                           dps: int = 30, name: str = "density") -> list[float]:
    """Reference: tanh-sinh quadrature of the unnormalised ``density`` (mpmath callables)."""
    pts = [mpmath.ninf, *map(mpmath.mpf, sorted(breakpoints)), mpmath.inf]
    with mpmath.workdps(dps):
        try:
            mass = mpmath.quad(density, pts)
        except (OverflowError, ValueError, ZeroDivisionError) as exc:
            raise DensityNotNormalisable(f"{name}: integral failed ({exc})") from exc
        if not (mpmath.isfinite(mass) and mass > 0) or mass > mpmath.mpf(10) ** 300:
            raise DensityNotNormalisable(
                f"{name} does not normalise: its integral over R is {mpmath.nstr(mass, 5)}, "
                "not a finite positive number")
        return [float(mpmath.quad(lambda u, f=f: f(u) * density(u), pts) / mass)
                for f in observables]
