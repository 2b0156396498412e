"""Witnesses for running averages: many random input sequences through the slide's recurrences.

A :class:`FilterSpec` declares the input sequences (:class:`InputModel`: a mean path ``m(t)``
written in sympy, per-example noise, batch size, Gaussian or heavy-tailed), the filters
(sympy recurrences from :mod:`derivations.recurrences`, or an ``N``-window mean), and the
observables. Two witnesses measure every observable:

- :class:`MonteCarloFilters` runs the recurrences on ``chains`` independent sequences
  (:func:`numerics.running_average.run_filters`, one random stream per sequence) and
  averages a per-sequence statistic; the standard error is over sequences, which are
  independent, so it is honest whatever the correlation inside a sequence;
- :class:`ExactFilters` (deterministic) runs the same recurrences on unit impulses
  (:func:`numerics.running_average.filter_weights`) and combines the weights with the exact
  input moments; it uses no closed form, so it checks the derivation's sums independently.

Each observable carries ``predict``: a function from a hypothesis (a sympy result) to the
value it predicts, or ``None`` where the hypothesis says nothing about that observable.

Approximations. A statement "A is approximately B" is read with a stated relative tolerance
``tol`` (the claim says which, e.g. 10 %), or an absolute interval for quantities that
should vanish: the statement then admits any value within that band; its prediction handed
to the judge is the point of the band nearest to the derived value (the most favourable
reading), so it is accepted exactly when the derived value lies in the band, and rejected,
with the usual power requirement, when it does not.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable, Mapping, Optional

import numpy as np
import sympy as sp

from numerics.running_average import (BATCH_MEAN, GAUSSIAN, STUDENT_T, channel_moments,
                                      filter_weights, run_filters)
from numerics.stats import mean_over_chains

from ..model import ExperimentResult, Measurement, Plot
from ..recurrences import LinearRecurrence, t

__all__ = ["InputModel", "Filter", "Mean", "Variance", "Weight", "Lag", "MeanSquareDifference",
           "VarianceDifference", "AdamStep", "FilterSpec", "MonteCarloFilters", "ExactFilters",
           "filter_witnesses", "approximate", "Predict"]

Predict = Callable[[sp.Basic], Optional[float]]

#: Relative rounding bound of the deterministic witness: T <= 10^4 float64 steps of a
#: contracting recurrence accumulate at most ~T * 2^-52 ~ 2e-12 relative error; 1e-9 leaves
#: a wide margin while staying far below any difference the claims turn on (>= 1e-3).
_EXACT_REL = 1e-9


@dataclass(frozen=True)
class InputModel:
    """Per-example values ``m(t) + sd * e`` in batches of ``batch``; ``e`` unit variance.

    ``law`` is ``"gaussian"`` or ``"student-t"`` (``dof`` degrees of freedom, heavy tailed).
    """

    label: str
    mean: sp.Expr
    sd: float
    law: str = "gaussian"
    dof: int = 5
    batch: int = 1

    def __post_init__(self):
        if self.law not in ("gaussian", "student-t"):
            raise ValueError(f"law={self.law!r} must be 'gaussian' or 'student-t'")
        if sp.sympify(self.mean).free_symbols - {t}:
            raise ValueError(f"mean={self.mean} may depend on t only")

    @property
    def law_code(self) -> int:
        return GAUSSIAN if self.law == "gaussian" else STUDENT_T

    def mean_path(self, n_steps: int) -> np.ndarray:
        f = sp.lambdify(t, sp.sympify(self.mean), modules="math")
        return np.array([float(f(k)) for k in range(1, n_steps + 1)])

    def slope(self) -> float:
        """``dm/dt`` of a linear mean path (for lags)."""
        d = sp.diff(sp.sympify(self.mean), t)
        if d.free_symbols:
            raise ValueError(f"mean path {self.mean} is not linear in t: no constant lag rate")
        return float(d)

    def describe(self) -> str:
        noise = "N(0, 1)" if self.law == "gaussian" else f"Student t({self.dof}) scaled to variance 1"
        return (f"per-example values m(t) + {self.sd:g} e, m(t) = {sp.sstr(self.mean)}, e ~ {noise}, "
                f"batches of {self.batch}")


@dataclass(frozen=True)
class Filter:
    """A recurrence (sympy) with its parameter values, or an ``N``-window mean; its channel."""

    label: str
    recurrence: LinearRecurrence | None = None
    values: Mapping[sp.Symbol, float] = field(default_factory=dict)
    window: int = 0
    channel: int = BATCH_MEAN

    def __post_init__(self):
        if (self.recurrence is None) == (self.window <= 0):
            raise ValueError(f"filter {self.label!r}: give a recurrence or a window > 0, not both")

    def describe(self) -> str:
        if self.window:
            return f"{self.label}: mean of the last {self.window} inputs"
        r = self.recurrence
        vals = {str(k): v for k, v in self.values.items()}
        return (f"{self.label}: a_t = ({sp.sstr(r.alpha)}) a_(t-1) + ({sp.sstr(r.beta)}) x_t, "
                f"y_t = ({sp.sstr(r.scale)}) a_t, a_0 = 0, with {vals}")


def approximate(stated: float, derived: float, tol: float) -> float:
    """The point of ``[stated (1 - tol), stated (1 + tol)]`` nearest to ``derived``."""
    lo, hi = sorted((stated * (1 - tol), stated * (1 + tol)))
    return min(max(derived, lo), hi)


# --- observables ------------------------------------------------------------------------
@dataclass
class _Context:
    """What observables read: the run's outputs and, for the exact witness, weights and moments."""

    spec: "FilterSpec"
    values: np.ndarray | None = None  # (chains, filters, record)
    probes: np.ndarray | None = None  # (chains, probe)
    weights: np.ndarray | None = None  # (filters, record, T)
    moments: object = None

    def y(self, filt: str, time_: int) -> np.ndarray:
        return self.values[:, self.spec.filter_index(filt), self.spec.record_index(time_)]

    def w(self, filt: str, time_: int) -> np.ndarray:
        return self.weights[self.spec.filter_index(filt), self.spec.record_index(time_)]

    def channel(self, filt: str) -> int:
        return self.spec.filters[self.spec.filter_index(filt)].channel

    def centred(self, filt: str, time_: int) -> np.ndarray:
        y = self.y(filt, time_)
        c = y.size
        return (y - y.mean()) * math.sqrt(c / (c - 1))


@dataclass(frozen=True)
class _Observable:
    """Common fields: ``stated_tolerance`` (relative) or ``stated_interval`` (absolute, in
    units) is what the statement's "approximately" admits (see the module doc); ``rounding``
    is the float64 resolution of a difference of two forms of the same average: a
    per-sequence difference below it (in raw units) counts as 0, so that an exact identity
    measures exactly 0 instead of resolving rounding noise."""

    name: str
    predict: Predict
    unit: float = 1.0
    stated_tolerance: float | None = None
    stated_interval: tuple[float, float] | None = None
    rounding: float = 0.0

    #: Whether :meth:`exact` gives the value from weights and moments (linear observables).
    linear = True


@dataclass(frozen=True)
class Mean(_Observable):
    """``E y_t / unit`` for filter ``filt``."""

    filt: str = ""
    time: int = 1

    def per_chain(self, ctx):
        return ctx.y(self.filt, self.time) / self.unit

    def exact(self, ctx):
        m = ctx.moments.mean[ctx.channel(self.filt)]
        return float(ctx.w(self.filt, self.time) @ m) / self.unit


@dataclass(frozen=True)
class Variance(_Observable):
    """``Var y_t / unit`` (per-sequence squared deviation from the mean over sequences, ``c/(c-1)``)."""

    filt: str = ""
    time: int = 1

    def per_chain(self, ctx):
        return ctx.centred(self.filt, self.time) ** 2 / self.unit

    def exact(self, ctx):
        v = ctx.moments.variance[ctx.channel(self.filt)]
        return float(ctx.w(self.filt, self.time) ** 2 @ v) / self.unit


@dataclass(frozen=True)
class Weight(_Observable):
    """The weight of input ``x_s`` in ``y_t``: ``Cov(y_t, x_s) / Var(x_s)`` (batch-mean channel)."""

    filt: str = ""
    time: int = 1
    source: int = 1

    def per_chain(self, ctx):
        if ctx.channel(self.filt) != BATCH_MEAN:
            raise ValueError(f"{self.name}: weights are measured on the batch-mean channel")
        k = ctx.spec.probe_index(self.source)
        m = ctx.spec.inputs.mean_path(self.source)[-1]
        var = ctx.spec.inputs.sd**2 / ctx.spec.inputs.batch
        return ctx.centred(self.filt, self.time) * (ctx.probes[:, k] - m) / (var * self.unit)

    def exact(self, ctx):
        return float(ctx.w(self.filt, self.time)[self.source - 1]) / self.unit


@dataclass(frozen=True)
class Lag(_Observable):
    """``(m(t) - E y_t) / m'``: how many steps ``y_t`` trails a linear drift."""

    filt: str = ""
    time: int = 1

    def per_chain(self, ctx):
        m = ctx.spec.inputs.mean_path(self.time)[-1]
        return (m - ctx.y(self.filt, self.time)) / (ctx.spec.inputs.slope() * self.unit)

    def exact(self, ctx):
        mp = ctx.spec.inputs.mean_path(ctx.spec.steps)
        e = float(ctx.w(self.filt, self.time) @ ctx.moments.mean[ctx.channel(self.filt)])
        return (mp[self.time - 1] - e) / (ctx.spec.inputs.slope() * self.unit)


@dataclass(frozen=True)
class MeanSquareDifference(_Observable):
    """``E (y_t - z_t)^2 / unit`` for two filters on the same channel and the same draws."""

    filt: str = ""
    other: str = ""
    time: int = 1

    def per_chain(self, ctx):
        d = ctx.y(self.filt, self.time) - ctx.y(self.other, self.time)
        d = np.where(np.abs(d) <= self.rounding, 0.0, d)
        return d**2 / self.unit

    def exact(self, ctx):
        if ctx.channel(self.filt) != ctx.channel(self.other):
            raise ValueError(f"{self.name}: both filters must read the same channel")
        ch = ctx.channel(self.filt)
        d = ctx.w(self.filt, self.time) - ctx.w(self.other, self.time)
        return (float(d**2 @ ctx.moments.variance[ch]) + float(d @ ctx.moments.mean[ch]) ** 2) / self.unit


@dataclass(frozen=True)
class VarianceDifference(_Observable):
    """``(Var y_t - Var z_t) / unit``, paired on the same draws (the common noise cancels)."""

    filt: str = ""
    other: str = ""
    time: int = 1

    def per_chain(self, ctx):
        return (ctx.centred(self.filt, self.time) ** 2 - ctx.centred(self.other, self.time) ** 2) / self.unit

    def exact(self, ctx):
        ch = ctx.channel(self.filt)
        v = ctx.moments.variance[ch]
        return float((ctx.w(self.filt, self.time) ** 2 - ctx.w(self.other, self.time) ** 2) @ v) / self.unit


@dataclass(frozen=True)
class AdamStep(_Observable):
    """``E |y_t| / (sqrt(z_t) + eps) / unit``: the size of an Adam-type step (in units of the
    learning rate) from a first-moment filter ``filt`` and a second-moment filter ``other``
    (``signed``: the step itself, not its size).

    Nonlinear in the draws, so it has no exact counterpart from weights (Monte Carlo only);
    with ``versus`` (a pair of filters) it measures ``E (step - versus step)^2`` instead,
    the pathwise difference of two update rules on the same draws.
    """

    filt: str = ""
    other: str = ""
    time: int = 1
    eps: float = 1e-8
    versus: tuple[str, str] | None = None
    signed: bool = False

    def _step(self, ctx, first, second):
        return ctx.y(first, self.time) / (np.sqrt(ctx.y(second, self.time)) + self.eps)

    def per_chain(self, ctx):
        u = self._step(ctx, self.filt, self.other)
        if self.versus is None:
            return (u if self.signed else np.abs(u)) / self.unit
        d = u - self._step(ctx, *self.versus)
        d = np.where(np.abs(d) <= self.rounding, 0.0, d)
        return d**2 / self.unit

    linear = False

    def exact(self, ctx):
        return None


# --- the spec and its witnesses -----------------------------------------------------------
@dataclass(frozen=True)
class FilterSpec:
    """One experiment: inputs, filters, observables, number of steps, budgets (sequences).

    ``plot`` optionally turns the hypotheses into a figure (exact curves, e.g. an
    approximation's error against ``t/N``); it is drawn by the Monte Carlo witness.
    """

    label: str
    inputs: InputModel
    filters: tuple[Filter, ...]
    observables: tuple
    steps: int
    budgets: Mapping[str, int]
    plot: Callable[[Mapping[str, sp.Basic]], Plot] | None = None
    note: str = ""

    def __post_init__(self):
        labels = [f.label for f in self.filters]
        if len(set(labels)) != len(labels):
            raise ValueError(f"{self.label}: filter labels {labels} must be distinct")
        for o in self.observables:
            names = [getattr(o, "filt", ""), getattr(o, "other", ""), *(getattr(o, "versus", None) or ())]
            for name in names:
                if name and name not in labels:
                    raise ValueError(f"{self.label}: observable {o.name!r} names unknown filter {name!r}")
            if not 1 <= o.time <= self.steps:
                raise ValueError(f"{self.label}: observable {o.name!r} at t={o.time} outside [1, {self.steps}]")

    def filter_index(self, label: str) -> int:
        return [f.label for f in self.filters].index(label)

    @property
    def record(self) -> list[int]:
        return sorted({o.time for o in self.observables})

    def filter_labels(self) -> list[str]:
        return [f.label for f in self.filters]

    @property
    def probe(self) -> list[int]:
        return sorted({o.source for o in self.observables if isinstance(o, Weight)})

    def record_index(self, time_: int) -> int:
        return self.record.index(time_)

    def probe_index(self, time_: int) -> int:
        return self.probe.index(time_)

    def schedules(self):
        T, K = self.steps, len(self.filters)
        alpha, beta, scale = np.zeros((K, T)), np.zeros((K, T)), np.ones((K, T))
        for k, f in enumerate(self.filters):
            if f.recurrence is not None:
                alpha[k], beta[k], scale[k] = f.recurrence.schedules(f.values, T)
        return alpha, beta, scale

    def windows(self) -> np.ndarray:
        return np.array([f.window for f in self.filters], dtype=np.int64)

    def channels(self) -> np.ndarray:
        return np.array([f.channel for f in self.filters], dtype=np.int64)

    def predictions(self, obs, hypotheses) -> dict[str, float]:
        out = {}
        for label, h in hypotheses.items():
            v = obs.predict(h)
            if v is not None:
                out[label] = float(v)
        if "derived" not in out:
            raise ValueError(f"{self.label}: observable {obs.name!r} has no prediction for 'derived'")
        if obs.stated_tolerance is not None and "stated" in out:
            out["stated"] = approximate(out["stated"], out["derived"], obs.stated_tolerance)
        if obs.stated_interval is not None and "stated" in out:
            lo, hi = obs.stated_interval
            out["stated"] = min(max(out["derived"], lo), hi)
        return out

    def setup(self, hypotheses) -> dict:
        raw = {}
        for o in self.observables:
            if o.stated_tolerance is not None and "stated" in hypotheses:
                v = o.predict(hypotheses["stated"])
                if v is not None:
                    raw[o.name] = {"stated value": float(v), "relative tolerance": o.stated_tolerance}
            if o.stated_interval is not None:
                raw[o.name] = {"admitted interval": list(o.stated_interval)}
        return {"experiment": self.label, "inputs": self.inputs.describe(), "steps": self.steps,
                "filters": [f.describe() for f in self.filters],
                "approximations (statement's own value and the relative tolerance read into '≈')": raw,
                "note": self.note}


def _label(spec: FilterSpec, obs) -> str:
    return f"{spec.label}: {obs.name}"


@dataclass(frozen=True)
class MonteCarloFilters:
    spec: FilterSpec
    name: str = "Monte Carlo sequences"
    kind: str = "monte-carlo"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        if budget not in spec.budgets:
            raise ValueError(f"budget={budget!r} must be one of {sorted(spec.budgets)}")
        chains = int(spec.budgets[budget])
        start = time.perf_counter()
        alpha, beta, scale = spec.schedules()
        inp = spec.inputs
        run = run_filters(inp.mean_path(spec.steps), sd=inp.sd, alpha=alpha, beta=beta, scale=scale,
                          channel=spec.channels(), window=spec.windows(), record=spec.record,
                          probe=spec.probe, batch=inp.batch, law=inp.law_code, dof=inp.dof,
                          chains=chains, seed=seed)
        ctx = _Context(spec, values=run.values, probes=run.probes)
        measurements = []
        for o in spec.observables:
            est = mean_over_chains(o.per_chain(ctx))
            method = est.method + (f"; differences below {o.rounding:.0e} (float64 rounding) count as 0"
                                    if o.rounding else "")
            measurements.append(Measurement(_label(spec, o), est.value, est.se, method,
                                            spec.predictions(o, hypotheses)))
        plots = (spec.plot(hypotheses),) if spec.plot else ()
        setup = {**spec.setup(hypotheses), "sequences": chains, "seed": seed,
                 "streams": "one xoshiro256++ stream per sequence (seed, sequence index)"}
        return ExperimentResult(tuple(measurements), setup, plots, time.perf_counter() - start,
                                chains * spec.steps * inp.batch)


@dataclass(frozen=True)
class ExactFilters:
    spec: FilterSpec
    name: str = "exact weights (impulse responses)"
    kind: str = "deterministic"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        start = time.perf_counter()
        alpha, beta, scale = spec.schedules()
        inp = spec.inputs
        W = filter_weights(alpha, beta, scale, spec.windows(), spec.record, spec.steps)
        moments = channel_moments(inp.mean_path(spec.steps), inp.sd, inp.batch, inp.law_code, inp.dof)
        ctx = _Context(spec, weights=W, moments=moments)
        measurements = []
        for o in spec.observables:
            v = o.exact(ctx)
            if v is None:  # nonlinear observables: Monte Carlo only
                continue
            v = float(v)  # plain floats in the results (JSON)
            measurements.append(Measurement(
                _label(spec, o), v, 0.0, "deterministic: recurrence run on unit impulses, exact "
                "input moments", spec.predictions(o, hypotheses),
                bias_bound=_EXACT_REL * (abs(v) + 1e-3),
                bias_note="float64 rounding over the recurrence's steps (< 1e-9 relative)"))
        return ExperimentResult(tuple(measurements), spec.setup(hypotheses), (),
                                time.perf_counter() - start, 0)


def filter_witnesses(spec: FilterSpec) -> tuple:
    """Both witnesses of a spec: Monte Carlo sequences and (for linear observables) exact
    impulse responses."""
    mc = MonteCarloFilters(spec, name=f"Monte Carlo: {spec.label}")
    if not any(o.linear for o in spec.observables):
        return (mc,)
    return (mc, ExactFilters(spec, name=f"exact weights: {spec.label}"))
