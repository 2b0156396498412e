"""Limits and rates measured on a ladder: the witness for claims of the form "as h -> 0, ...".

Claims such as "SGD with N = t/eta converges to gradient flow" or "the sum of N gradient
noises is approximately Gaussian with standard deviation growing like sqrt N" hold in a
limit. They are tested as the style guide asks (STYLE.md, practice 8): on a ladder of the
parameter ``h`` that goes to its limit, with

- ``limit`` observables: a statistic extrapolated to ``h = 0`` by a WLS line with a bound
  on the curvature it ignores (:func:`numerics.stats.extrapolate_to_zero`);
- ``exponent`` observables: the rate, i.e. the exponent ``b`` of ``|statistic| ~ C h^b``
  fitted on a log scale with a bound on the next order (:func:`numerics.rates.power_law_exponent`);
- ``pooled`` observables: a statistic the derivation says is the same at every rung
  (e.g. ``Var / (eta Delta t)``), pooled by inverse-variance weights.

The statistic at each rung is computed from independent replicates with a jackknife
standard error (:func:`numerics.rates.jackknife`), so one experiment serves means,
standard deviations, kurtoses and quantiles alike. Hypotheses are tables of named
quantities (:mod:`derivations.tables`); each observable predicts the entry it measures
for every hypothesis that has it.

:class:`ExactLadder` is the deterministic counterpart: the same observables computed from
exact values of the statistic at each rung (e.g. SGD's exact moments on a quadratic loss).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np
import sympy as sp

from numerics.rates import jackknife, jackknife_means, power_law_exponent
from numerics.rng import derive_seed
from numerics.stats import extrapolate_to_zero

from ..model import ExperimentResult, Measurement, Plot
from ..tables import entries

__all__ = ["LadderObservable", "LadderExperiment", "ExactLadder", "predictions_for",
           "MomentStatistic", "mean_stat", "var_stat", "sd_stat", "kurt_stat", "corr_stat"]

MODES = ("limit", "exponent", "pooled")


@dataclass(frozen=True)
class MomentStatistic:
    """A statistic that is a smooth function of sample means of per-replicate features.

    ``features(samples, h)`` gives an ``(n, k)`` array, ``of_means(means, h)`` the statistic
    from its column means. Such statistics get the fast jackknife
    (:func:`numerics.rates.jackknife_means`) with many groups; calling the object
    evaluates it on the full sample like any other statistic.
    """

    features: Callable[[np.ndarray, float], np.ndarray]
    of_means: Callable[[np.ndarray, float], float]

    def __call__(self, samples, h):
        return float(self.of_means(np.asarray(self.features(samples, h)).mean(axis=0), h))


def _col(s, c):
    s = np.asarray(s, dtype=float)
    return s if s.ndim == 1 else s[:, c]


def mean_stat(col: int = 0, transform: Callable[[float, float], float] = lambda m, h: m) -> MomentStatistic:
    """``transform(mean of column col, h)``."""
    return MomentStatistic(lambda s, h: _col(s, col)[:, None], lambda m, h: transform(float(m[0]), h))


def var_stat(col: int = 0, per: Callable[[float], float] = lambda h: 1.0) -> MomentStatistic:
    """Variance of one column divided by ``per(h)`` (centred on the full-sample mean first)."""
    def features(s, h):
        x = _col(s, col)
        d = x - x.mean()
        return np.column_stack([d, d * d])
    return MomentStatistic(features, lambda m, h: (m[1] - m[0] ** 2) / per(h))


def sd_stat(col: int = 0, per: Callable[[float], float] = lambda h: 1.0) -> MomentStatistic:
    v = var_stat(col)
    return MomentStatistic(v.features, lambda m, h: math.sqrt(v.of_means(m, h)) / per(h))


def kurt_stat(col: int = 0) -> MomentStatistic:
    """Excess kurtosis ``mu4 / mu2^2 - 3`` of one column."""
    def features(s, h):
        x = _col(s, col)
        d = x - x.mean()
        d2 = d * d
        return np.column_stack([d, d2, d2 * d, d2 * d2])

    def of_means(m, h):
        m1, m2, m3, m4 = m
        mu2 = m2 - m1**2
        mu4 = m4 - 4 * m1 * m3 + 6 * m1**2 * m2 - 3 * m1**4
        return mu4 / mu2**2 - 3.0
    return MomentStatistic(features, of_means)


def corr_stat(first: int = 0, second: int = 1) -> MomentStatistic:
    """Correlation of two columns."""
    def features(s, h):
        x, y = _col(s, first), _col(s, second)
        x, y = x - x.mean(), y - y.mean()
        return np.column_stack([x, y, x * x, y * y, x * y])

    def of_means(m, h):
        mx, my, mxx, myy, mxy = m
        return (mxy - mx * my) / math.sqrt((mxx - mx**2) * (myy - my**2))
    return MomentStatistic(features, of_means)


@dataclass(frozen=True)
class LadderObservable:
    """One measured quantity: which table entry it predicts, and how it is computed.

    ``statistic(samples, h)`` maps a rung's replicates (axis 0) to a number; ``mode`` is
    ``"limit"``, ``"exponent"`` or ``"pooled"``; ``sign=-1`` reports the exponent of
    ``1/h`` instead of ``h`` (ladders in ``h = 1/N`` for rates in ``N``). ``correction``:
    the next-order coefficient of an exponent fit if known (else fitted). ``limit_power``:
    a limit is extrapolated linearly in ``h^limit_power`` (e.g. 1/2 when the statistic
    approaches its limit like ``sqrt(h)``); ``correction_power``: the next order of an
    exponent fit is ``h^correction_power`` (likewise); ``curvature``: the limit's quadratic
    coefficient if known (e.g. 0 for a statistic exactly linear in ``h``), else fitted.
    """

    key: str
    label: str
    mode: str
    statistic: Callable[[np.ndarray, float], float]
    sign: int = 1
    correction: float | None = None
    correction_note: str = ""
    limit_power: float = 1.0
    correction_power: float = 1.0
    curvature: float | None = None

    def __post_init__(self):
        if not self.limit_power > 0:
            raise ValueError(f"limit_power={self.limit_power!r} must be > 0")
        if self.mode not in MODES:
            raise ValueError(f"mode={self.mode!r} must be one of {MODES}")
        if self.sign not in (1, -1):
            raise ValueError(f"sign={self.sign!r} must be 1 or -1")


def predictions_for(key: str, hypotheses: Mapping[str, sp.Basic]) -> dict[str, float]:
    """``{label: value of entry key}`` for every hypothesis table that has the entry."""
    out = {}
    for label, h in hypotheses.items():
        found = entries(h)
        if key in found:
            out[label] = float(found[key])
    if "derived" not in out:
        raise ValueError(f"the derived table has no entry {key!r}; every observable must "
                         "predict the derived result")
    return out


def _reciprocal(name: str) -> str:
    return name[2:] if name.startswith("1/") else f"1/{name}"


def _measure(obs: LadderObservable, h: np.ndarray, y: np.ndarray, se: np.ndarray,
             hypotheses, se_method: str, ladder_name: str) -> Measurement:
    preds = predictions_for(obs.key, hypotheses)
    if obs.mode == "limit":
        ext = extrapolate_to_zero(h**obs.limit_power, y, se, curvature=obs.curvature,
                                  curvature_note=obs.correction_note)
        how = "" if obs.limit_power == 1 else f" (linear in {ladder_name}^{obs.limit_power:g})"
        return Measurement(f"{obs.label} as {ladder_name} -> 0{how}", ext.value, ext.se,
                           f"{se_method} at each rung; {ext.method}", preds,
                           ext.bias_bound, ext.bias_note)
    if obs.mode == "exponent":
        mag = np.abs(y)
        if np.any(mag <= 0) or np.any(se >= mag):
            # A rate needs every rung resolved from zero; otherwise the log is meaningless.
            raise ValueError(f"{obs.label}: values {y.tolist()} with se {se.tolist()} are not "
                             "resolved from 0 at every rung; increase the budget or move the ladder")
        fit = power_law_exponent(h, mag, se / mag, obs.correction, obs.correction_note,
                                 obs.correction_power)
        what = f"exponent of |{obs.label}| in {_reciprocal(ladder_name) if obs.sign < 0 else ladder_name}"
        return Measurement(what, obs.sign * fit.value, fit.se, f"{se_method} at each rung; {fit.method}",
                           preds, fit.bias_bound, fit.bias_note)
    w = 1.0 / se**2
    value = float(np.sum(w * y) / np.sum(w))
    chi2 = float(np.sum(w * (y - value) ** 2))
    return Measurement(f"{obs.label}, pooled over the {ladder_name} ladder", value,
                       float(1.0 / math.sqrt(np.sum(w))),
                       f"{se_method} at each rung; inverse-variance pooled (chi2 = {chi2:.2f} "
                       f"on {len(y) - 1} dof)", preds)


def _plot(title: str, ladder_name: str, h, series: dict) -> Plot:
    return Plot("series", title, {"x": [float(v) for v in h], "xlabel": ladder_name,
                                  "ylabel": "statistic at each rung", "series": series})


@dataclass(frozen=True)
class LadderExperiment:
    """Independent Monte Carlo replicates at each rung of a ladder.

    ``simulate(h, replicates, seed)`` returns an array with replicates along axis 0 (its
    seed is ``derive_seed(experiment seed, rung index)``); ``budgets`` maps a budget name
    to the replicates per rung. Standard errors are jackknifed over ``groups`` groups: 128
    by default, because the budget's critical value z = 5.03 assumes a known error: with
    an error estimated on 31 degrees of freedom the t tail there is 40 times the nominal
    5e-7, on 127 it is 3 times, and a pooled or fitted value over five rungs (~600
    degrees of freedom) 1.3 times.
    """

    name: str
    ladder_name: str
    rungs: tuple[float, ...]
    simulate: Callable[[float, int, int], np.ndarray]
    observables: tuple[LadderObservable, ...]
    budgets: Mapping[str, int]
    setup: Mapping[str, object] = field(default_factory=dict)
    steps_per_replicate: Callable[[float], int] = lambda h: 1
    groups: int = 128
    kind: str = "monte-carlo"

    def __post_init__(self):
        if len(self.rungs) < 3 or len(set(self.rungs)) != len(self.rungs) or min(self.rungs) <= 0:
            raise ValueError(f"{self.name}: rungs={self.rungs} must be >= 3 distinct values > 0")

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        if budget not in self.budgets:
            raise ValueError(f"budget={budget!r} must be one of {sorted(self.budgets)}")
        m = self.budgets[budget]
        start = time.perf_counter()
        h = np.array(self.rungs, dtype=float)
        values = np.zeros((len(self.observables), h.size))
        errors = np.zeros_like(values)
        steps = 0
        for k, hk in enumerate(h):
            samples = self.simulate(float(hk), m, derive_seed(seed, k))
            steps += m * int(self.steps_per_replicate(float(hk)))
            for j, obs in enumerate(self.observables):
                st = obs.statistic
                if isinstance(st, MomentStatistic):
                    est = jackknife_means(st.features(samples, float(hk)),
                                          lambda m, st=st, hk=hk: st.of_means(m, float(hk)), self.groups)
                else:
                    est = jackknife(samples, lambda s, f=st, hk=hk: f(s, float(hk)), self.groups)
                values[j, k], errors[j, k] = est.value, est.se
        se_method = f"delete-a-group jackknife ({self.groups} groups of {m // self.groups} replicates)"
        measurements = tuple(_measure(obs, h, values[j], errors[j], hypotheses, se_method, self.ladder_name)
                             for j, obs in enumerate(self.observables))
        series = {obs.label: values[j].tolist() for j, obs in enumerate(self.observables)}
        setup = {**self.setup, "ladder": self.ladder_name, "rungs": h.tolist(),
                 "replicates_per_rung": m, "seed": seed,
                 "per_rung": {obs.label: {"value": values[j].tolist(), "se": errors[j].tolist()}
                              for j, obs in enumerate(self.observables)}}
        return ExperimentResult(measurements, setup, (_plot(self.name, self.ladder_name, h, series),),
                                time.perf_counter() - start, steps)


def _richardson_limit(h: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Value at 0 of the line through the two smallest rungs, bounded by twice its change
    when the line through the next two is used instead (the same reasoning as
    :func:`_local_exponent`)."""
    order = np.argsort(h)
    h0, h1, h2 = h[order[:3]]
    y0, y1, y2 = y[order[:3]]
    line = (y0 * h1 - y1 * h0) / (h1 - h0)
    upper = (y1 * h2 - y2 * h1) / (h2 - h1)
    return float(line), float(2 * abs(line - upper))


def _local_exponent(h: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The exponent from the two smallest rungs, bounded by twice its change to the next pair.

    With a next order ``d h`` the local slope moves by about ``d h``; on a ladder of ratio 2
    the change between successive pairs is about the first pair's own deviation, so twice
    the change bounds it with room for the order after.
    """
    order = np.argsort(h)
    h0, h1, h2 = h[order[:3]]
    y0, y1, y2 = np.abs(y[order[:3]])
    s01 = math.log(y1 / y0) / math.log(h1 / h0)
    s12 = math.log(y2 / y1) / math.log(h2 / h1)
    return s01, 2 * abs(s01 - s12)


@dataclass(frozen=True)
class ExactLadder:
    """Deterministic witness: exact values of each observable's statistic at each rung.

    ``exact(h)`` returns ``{observable key: exact value of its statistic at h}``. A limit
    is the line through the two smallest rungs; an exponent the slope between them; each is
    bounded by how much it moves when the next rung is used instead. Pooled observables
    are exact at every rung; the bound is their spread over the rungs.
    """

    name: str
    ladder_name: str
    rungs: tuple[float, ...]
    exact: Callable[[float], Mapping[str, float]]
    observables: tuple[LadderObservable, ...]
    setup: Mapping[str, object] = field(default_factory=dict)
    kind: str = "deterministic"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        start = time.perf_counter()
        h = np.array(self.rungs, dtype=float)
        table = [self.exact(float(v)) for v in h]
        out = []
        for obs in self.observables:
            y = np.array([float(t[obs.key]) for t in table])
            preds = predictions_for(obs.key, hypotheses)
            if obs.mode == "limit":
                value, bound = _richardson_limit(h**obs.limit_power, y)
                what, how = f"{obs.label} as {self.ladder_name} -> 0", "line through the two smallest rungs"
            elif obs.mode == "exponent":
                value, bound = _local_exponent(h, y)
                value *= obs.sign
                what = (f"exponent of |{obs.label}| in "
                        f"{_reciprocal(self.ladder_name) if obs.sign < 0 else self.ladder_name}")
                how = "log-slope between the two smallest rungs"
            else:
                value, bound = float(y.mean()), float(np.ptp(y))
                what, how = f"{obs.label}, exact at every rung", "mean over rungs"
            out.append(Measurement(what, value, 0.0, "deterministic (exact values, no sampling error)",
                                   preds, bound + 1e-12 * max(1.0, abs(value)),
                                   f"{how}; bound = twice the change when the next rung is used (+ rounding)"))
        setup = {**self.setup, "ladder": self.ladder_name, "rungs": h.tolist(),
                 "exact": [{k: float(v) for k, v in t.items()} for t in table]}
        return ExperimentResult(tuple(out), setup, (), time.perf_counter() - start, 0)
