"""Checks on an experiment's parameters, so that bad values fail early and say why.

- :func:`check_rungs`: every value of every rung is a finite number that satisfies its
  symbol's declared domain (``eta`` is declared positive, so ``eta=-0.01`` is refused).
- :func:`check_stable`: the chain ``x' = x - F(x) + S(x) xi`` must not blow up at a point
  the noise-free dynamics attracts to. At a fixed point ``x*`` (``F(x*) = 0``) with
  ``F'(x*) > 0`` (stable for the flow ``dx/dt = -F``), the map ``x -> x - F(x)`` is stable
  iff ``|1 - F'(x*)| < 1``, i.e. ``F'(x*) < 2``: for SGD on a quadratic of curvature ``h``,
  ``F' = eta h`` and the classical condition ``eta h < 2``.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np
import sympy as sp

__all__ = ["check_rungs", "check_stable"]


def check_rungs(label: str, rungs: Sequence[Mapping[sp.Symbol, float]]) -> None:
    """Refuse rung values that are not finite numbers in their symbols' domains."""
    for k, rung in enumerate(rungs):
        for symbol, value in rung.items():
            where = f"{label}: rung {k}: {symbol}={value!r}"
            try:
                v = float(value)
            except (TypeError, ValueError):
                raise ValueError(f"{where} must be a number") from None
            if not math.isfinite(v):
                raise ValueError(f"{where} must be finite")
            if getattr(symbol, "is_positive", None) and not v > 0:
                raise ValueError(f"{where} must be > 0 ({symbol} is declared positive)")
            if getattr(symbol, "is_nonnegative", None) and not v >= 0:
                raise ValueError(f"{where} must be >= 0 ({symbol} is declared nonnegative)")
            if getattr(symbol, "is_integer", None) and v != int(v):
                raise ValueError(f"{where} must be an integer ({symbol} is declared integer)")


def check_stable(label: str, rung: Mapping[sp.Symbol, float], F: np.ndarray) -> None:
    """Refuse a rung whose step overshoots a stable fixed point (``F'(x*) >= 2``).

    ``F`` holds the drift polynomial's coefficients, lowest degree first.
    """
    F = np.trim_zeros(np.asarray(F, dtype=float), "b")
    if F.size < 2:
        return  # no drift (a pure diffusion step): nothing to overshoot
    roots = np.roots(F[::-1])
    slope = np.polynomial.polynomial.polyder(F)
    for r in roots[np.abs(roots.imag) < 1e-9].real:
        d = float(np.polynomial.polynomial.polyval(r, slope))
        if 0 < d and d >= 2:
            values = ", ".join(f"{s}={float(v):g}" for s, v in rung.items())
            raise ValueError(
                f"{label}: rung ({values}) is unstable: at the fixed point x*={r:.4g} the step "
                f"x' = x - F(x) has 1 - F'(x*) = {1 - d:.4g}, outside (-1, 1) (F'(x*) = {d:.4g} "
                "must be < 2; for SGD on a quadratic of curvature h, eta*h < 2): reduce the step")
