"""A deterministic witness for optima: minimise the slide's objective numerically.

The slides derive learning rates and batch sizes by calculus (first-order conditions). This
witness checks the *location* of the optimum directly: the objective (a sympy expression,
the derivation's own, e.g. the valid progress bound) is minimised numerically at chosen
parameter points, over a box, by a dense log- or linear-spaced grid that brackets the
minimum followed by golden-section refinement; each hypothesis predicts the optimum as its
formula evaluated at the point. Nested variables (minimise over ``B`` of the minimum over
``eta``) are supported by minimising the inner one at each outer evaluation.

The bias bound of each measurement is the refinement tolerance (relative 1e-9 of the
bracket), far below any difference the mutants make.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import sympy as sp

from ..model import ExperimentResult, Measurement

__all__ = ["Axis", "OptimumPoint", "NumericalOptimum", "golden_minimum"]

_PHI = (math.sqrt(5) - 1) / 2


def golden_minimum(f, lo: float, hi: float, *, log: bool = False, grid: int = 400,
                   rtol: float = 1e-11) -> float:
    """The minimiser of ``f`` on ``[lo, hi]``: grid bracket, then golden section.

    ``f`` must be unimodal near its grid minimum; a minimum on the boundary is returned
    as the boundary (a constrained optimum).
    """
    if not (lo < hi) or (log and lo <= 0):
        raise ValueError(f"bracket [{lo}, {hi}] must satisfy lo < hi (and lo > 0 on a log axis)")
    xs = np.geomspace(lo, hi, grid) if log else np.linspace(lo, hi, grid)
    vals = np.array([f(x) for x in xs])
    k = int(np.nanargmin(vals))
    if k == 0 and vals[0] <= vals[1]:
        return float(xs[0])
    if k == grid - 1 and vals[-1] <= vals[-2]:
        return float(xs[-1])
    a, b = xs[max(k - 1, 0)], xs[min(k + 1, grid - 1)]
    tr = (lambda x: math.log(x)) if log else (lambda x: x)
    inv = (lambda y: math.exp(y)) if log else (lambda y: y)
    a, b = tr(a), tr(b)
    c, d = b - _PHI * (b - a), a + _PHI * (b - a)
    fc, fd = f(inv(c)), f(inv(d))
    while abs(b - a) > rtol * max(abs(a), abs(b), 1.0):
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - _PHI * (b - a)
            fc = f(inv(c))
        else:
            a, c, fc = c, d, fd
            d = a + _PHI * (b - a)
            fd = f(inv(d))
    return float(inv((a + b) / 2))


@dataclass(frozen=True)
class Axis:
    symbol: sp.Symbol
    lo: float
    hi: float
    log: bool = False


@dataclass(frozen=True)
class OptimumPoint:
    """Parameter values at which the optimum is located."""

    label: str
    values: Mapping[sp.Symbol, float]


@dataclass(frozen=True)
class NumericalOptimum:
    """Minimise ``objective`` over ``axes[0]`` (and, nested, over ``axes[1]`` at each value).

    ``report`` is the variable whose optimal value is measured (an axis symbol), or an
    expression of the optimal point (e.g. ``eta*`` at the optimal ``B``).
    """

    objective: sp.Expr
    axes: tuple[Axis, ...]
    points: tuple[OptimumPoint, ...]
    report: sp.Basic
    observable: str
    name: str = "numerical optimum (deterministic)"
    kind: str = "deterministic"

    def _solve(self, values) -> dict:
        obj = sp.sympify(self.objective).subs(values)
        syms = [ax.symbol for ax in self.axes]
        extra = obj.free_symbols - set(syms)
        if extra:
            raise ValueError(f"objective still depends on {sorted(map(str, extra))}")
        f = sp.lambdify(syms, obj, "math")
        if len(self.axes) == 1:
            ax = self.axes[0]
            return {ax.symbol: golden_minimum(lambda x: f(x), ax.lo, ax.hi, log=ax.log)}
        outer, inner = self.axes

        def best_inner(xo):
            return golden_minimum(lambda xi: f(xo, xi), inner.lo, inner.hi, log=inner.log, grid=120)

        xo = golden_minimum(lambda x: f(x, best_inner(x)), outer.lo, outer.hi, log=outer.log, grid=120)
        return {outer.symbol: xo, inner.symbol: best_inner(xo)}

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        start = time.perf_counter()
        measurements, rows = [], []
        for pt in self.points:
            opt = self._solve(pt.values)
            value = float(sp.sympify(self.report).subs({**pt.values, **opt}))
            preds = {}
            for lab, h in hypotheses.items():
                v = sp.sympify(h).subs(pt.values)
                preds[lab] = float(v) if v.is_number and v.is_real else math.nan
            bound = 1e-7 * max(abs(value), 1e-3)
            measurements.append(Measurement(
                f"{self.observable} at {pt.label}", value, 0.0,
                "deterministic (grid bracket + golden section)", preds, bound,
                "refinement tolerance (relative 1e-11 in the optimised variable; 1e-7 stated)"))
            rows.append({"point": pt.label, "optimum": {str(k): v for k, v in opt.items()},
                         "reported": value})
        setup = {"objective": sp.sstr(self.objective),
                 "axes": [{"symbol": str(a.symbol), "range": [a.lo, a.hi], "log": a.log} for a in self.axes],
                 "points": rows}
        return ExperimentResult(tuple(measurements), setup, (), time.perf_counter() - start, 0)


def points(label_values: Sequence[tuple[str, Mapping[sp.Symbol, float]]]) -> tuple[OptimumPoint, ...]:
    return tuple(OptimumPoint(lab, vals) for lab, vals in label_values)
