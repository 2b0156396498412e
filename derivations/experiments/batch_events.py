"""Witnesses for single batch updates: how often does a slide's relation hold?

A :class:`BatchSetting` fixes one batch update of deck 003's analysis: a loss (a sympy
``Lambda``), the point ``beta``, the per-example noise law and sd ``sigma``, the batch size
``B`` and the values of ``eta``, ``L``. :class:`BatchFrequencies` draws many batches
(:func:`numerics.batch_noise.batch_moments`), forms ``g_hat`` and ``sigma_hat`` as the slide
does, and measures for each :class:`Frequency` the fraction of batches on which the
slide's relation (a sympy relation, evaluated numerically: the defendant) holds among
those where a condition holds (the "+-" event, the sign of ``g_hat``...).

Predictions: a frequency marked ``primary`` is the claim's compared quantity, predicted by
every hypothesis; a frequency with an ``exact`` event gets the derivation's prediction
``P(exact | given)`` from :func:`derivations.batch_theory.conditional_probability`
(Gaussian and two-point noise). Other laws (Student-t) appear in the plots only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import sympy as sp

from numerics.batch_noise import NOISE_NAMES, batch_moments
from numerics.chain_stats import frequency_over_chains
from numerics.rng import derive_seed

from ..batch_theory import B, conditional_probability, g, ghat, sigmahat
from ..model import ExperimentResult, Measurement, Plot

__all__ = ["BatchBudget", "BatchSetting", "Frequency", "BatchFrequencies", "BUDGETS", "beta",
           "ell", "log_cosh", "quadratic_loss", "series_plot", "Mean", "BatchMeans",
           "expectation_over_batch", "FrequencyLadder"]

#: The loss as a function symbol, and the point where the update starts.
ell = sp.Function("ell", real=True)
beta = sp.Symbol("beta", real=True)
_u = sp.Symbol("u", real=True)


def log_cosh() -> sp.Lambda:
    """``log cosh(u)``: smooth, not quadratic, ``0 < loss'' = sech^2 <= 1 = L``."""
    return sp.Lambda(_u, sp.log(sp.cosh(_u)))


def quadratic_loss(curvature) -> sp.Lambda:
    """``c u^2 / 2``: ``loss'' = c`` everywhere, so the smoothness bound is an equality at L = c."""
    return sp.Lambda(_u, sp.nsimplify(curvature) * _u**2 / 2)


@dataclass(frozen=True)
class BatchBudget:
    chains: int
    per_chain: int


#: 64 k batches per setting (quick) and 2.56 M (full): a frequency near 1/2 has se 2e-3
#: and 3e-4; separating 0 from 1, or 0.95 from 0.98, needs far less.
BUDGETS = {"quick": BatchBudget(16, 4000), "full": BatchBudget(64, 40000)}


@dataclass(frozen=True)
class BatchSetting:
    """One batch update. ``values`` gives ``eta``, ``L`` and any other symbol a relation uses."""

    label: str
    loss: sp.Lambda
    point: float
    sigma: float
    batch: int
    kind: int
    values: Mapping[sp.Symbol, float] = field(default_factory=dict)

    def __post_init__(self):
        if self.batch < 2:
            raise ValueError(f"{self.label}: batch={self.batch} must be >= 2 (sigma_hat needs two examples)")
        if not self.sigma > 0:
            raise ValueError(f"{self.label}: sigma={self.sigma!r} must be > 0")

    @property
    def gradient(self) -> float:
        return float(sp.diff(self.loss(_u), _u).subs(_u, sp.nsimplify(self.point)))

    @property
    def a(self) -> float:
        """The population gradient in units of the per-example sd, ``g / sigma``."""
        return self.gradient / self.sigma

    def constants(self) -> dict:
        return {g: self.gradient, B: self.batch, beta: self.point, **self.values}

    def evaluator(self, relation: sp.Basic):
        """A numpy function of ``(g_hat, sigma_hat)`` arrays deciding ``relation``."""
        e = sp.sympify(relation).replace(ell, self.loss).subs(self.constants())
        extra = e.free_symbols - {ghat, sigmahat}
        if extra:
            raise ValueError(f"{self.label}: relation {relation} still depends on {sorted(map(str, extra))}")
        f = sp.lambdify((ghat, sigmahat), e, "numpy")

        def decide(gh, sh):
            # A batch with g_hat = 0 exactly (possible for lattice noise) makes eta*(B) infinite;
            # the comparison is then False, and such batches lie outside every conditioning event.
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                return np.broadcast_to(np.asarray(f(gh, sh), dtype=bool), np.shape(gh))

        return decide

    def describe(self) -> dict:
        return {"setting": self.label, "loss": sp.sstr(self.loss(_u)), "beta": self.point,
                "g": self.gradient, "sigma": self.sigma, "B": self.batch,
                "noise": NOISE_NAMES[self.kind],
                "values": {str(k): float(v) for k, v in self.values.items()}}


@dataclass(frozen=True)
class Frequency:
    """``P(holds | given)`` on one setting.

    ``holds`` is the slide's relation as written (evaluated numerically); ``exact`` the
    derivation's event equivalent to it under ``given`` (for the exact prediction).
    """

    observable: str
    setting: BatchSetting
    holds: sp.Basic
    given: sp.Basic = sp.true
    exact: sp.Basic | None = None
    primary: bool = False

    def __post_init__(self):
        if self.exact is None and not self.primary:
            raise ValueError(f"{self.observable}: a frequency needs an exact event or primary=True "
                             "(every measurement predicts 'derived')")


@dataclass(frozen=True)
class BatchFrequencies:
    """Monte Carlo witness: the frequencies of one or more relations over simulated batches."""

    frequencies: tuple[Frequency, ...]
    name: str = "Monte Carlo batches"
    kind: str = "monte-carlo"
    budgets: Mapping[str, BatchBudget] = field(default_factory=lambda: dict(BUDGETS))

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        if budget not in self.budgets:
            raise ValueError(f"budget={budget!r} must be one of {sorted(self.budgets)}")
        bud = self.budgets[budget]
        start = time.perf_counter()
        draws, steps = {}, 0
        measurements, rows = [], []
        for k, fr in enumerate(self.frequencies):
            st = fr.setting
            key = (st.kind, st.batch)
            if key not in draws:
                draws[key] = batch_moments(st.kind, st.batch, bud.chains, bud.per_chain,
                                           derive_seed(seed, *key))
                steps += bud.chains * bud.per_chain * st.batch
            mean, sd = draws[key]
            gh, sh = st.gradient + st.sigma * mean, st.sigma * sd
            cond = st.evaluator(fr.given)(gh, sh)
            hits = (st.evaluator(fr.holds)(gh, sh) & cond).sum(axis=1)
            trials = cond.sum(axis=1)
            est = frequency_over_chains(hits, trials)
            preds = {}
            if fr.primary:
                preds = {lab: float(sp.sympify(h).subs(st.constants())) for lab, h in hypotheses.items()}
            if fr.exact is not None:
                exact = conditional_probability(fr.exact.subs(st.constants()), fr.given.subs(st.constants()),
                                                a=st.a, batch=st.batch, kind=st.kind, sigma=st.sigma)
                if fr.primary and abs(exact - preds["derived"]) > 1e-9:
                    raise AssertionError(f"{fr.observable}: the derived result {preds['derived']} and the "
                                         f"exact probability {exact} of the derived event disagree")
                preds["derived"] = exact
            measurements.append(Measurement(fr.observable, est.value, est.se, est.method, preds))
            rows.append({"observable": fr.observable, **st.describe(), "frequency": est.value,
                         "se": est.se, "conditioning_trials": int(trials.sum()),
                         "predictions": preds})
        setup = {"batches_per_setting": bud.chains * bud.per_chain, "chains": bud.chains,
                 "sigma_hat": "sqrt(E_batch (x - g_hat)^2), the slide's biased sd", "seed": seed,
                 "frequencies": rows}
        series = {"simulated": [r["frequency"] for r in rows]}
        if all("derived" in r["predictions"] for r in rows):
            series["derived (exact)"] = [r["predictions"]["derived"] for r in rows]
        plot = series_plot("frequency of each relation (x: the measurements, in order)",
                           list(range(1, len(rows) + 1)), series, "measurement", "frequency")
        return ExperimentResult(tuple(measurements), setup, (plot,), time.perf_counter() - start, steps)


def series_plot(title: str, x, series: Mapping[str, Sequence[float]], xlabel: str,
                ylabel: str) -> Plot:
    """A line plot in the report's generic form (``x``, named ``series``, axis labels)."""
    return Plot("series", title, {"x": [float(v) for v in x],
                                  "series": {k: [float(v) for v in ys] for k, ys in series.items()},
                                  "xlabel": xlabel, "ylabel": ylabel})


def expectation_over_batch(expr: sp.Basic, setting: BatchSetting, rename: Mapping = ()) -> float:
    """``E[expr]`` over the batch for a polynomial of degree <= 2 in ``g_hat`` (no ``sigma_hat``).

    ``rename`` maps symbols to expressions first (e.g. ``loss_beta -> ell(beta)``). Uses only
    ``E g_hat = g`` and ``E g_hat^2 = g^2 + sigma^2 / B``, true for any noise law
    with the setting's variance: the prediction does not assume Gaussian noise.
    """
    e = sp.sympify(expr).subs(dict(rename))
    e = sp.expand(e.replace(ell, setting.loss).subs(setting.constants()))
    if e.has(sigmahat):
        raise ValueError(f"{expr} depends on sigma_hat; only polynomials in g_hat are supported")
    poly = sp.Poly(e, ghat)
    if poly.degree() > 2:
        raise ValueError(f"{expr} has degree {poly.degree()} in g_hat; at most 2 is supported")
    gv = setting.gradient
    moments = [1.0, gv, gv**2 + setting.sigma**2 / setting.batch]
    extra = poly.free_symbols - {ghat}
    if extra:
        raise ValueError(f"{expr} still depends on {sorted(map(str, extra))}")
    return float(sum(float(c) * moments[k] for (k,), c in poly.terms()))


@dataclass(frozen=True)
class Mean:
    """``E[source]`` over batches; each hypothesis predicts ``E[hypothesis]`` by its moments."""

    observable: str
    setting: BatchSetting
    source: sp.Basic
    rename: Mapping = field(default_factory=dict)
    #: True: a fact about the world (e.g. the expected progress at a given rate), predicted by
    #: the derivation only (the exact expectation of ``source``), not by the hypotheses.
    derived_only: bool = False


@dataclass(frozen=True)
class BatchMeans:
    """Monte Carlo witness for an identity in ``g_hat``: means of one side over simulated batches."""

    means: tuple[Mean, ...]
    name: str = "Monte Carlo batch means"
    kind: str = "monte-carlo"
    budgets: Mapping[str, BatchBudget] = field(default_factory=lambda: dict(BUDGETS))

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        from numerics.stats import mean_over_chains

        if budget not in self.budgets:
            raise ValueError(f"budget={budget!r} must be one of {sorted(self.budgets)}")
        bud = self.budgets[budget]
        start = time.perf_counter()
        measurements, rows, steps = [], [], 0
        for k, mn in enumerate(self.means):
            st = mn.setting
            mean, _ = batch_moments(st.kind, st.batch, bud.chains, bud.per_chain,
                                    derive_seed(seed, st.kind, st.batch, k))
            steps += mean.size * st.batch
            src = sp.sympify(mn.source).subs(dict(mn.rename)).replace(ell, st.loss).subs(st.constants())
            f = sp.lambdify(ghat, src, "numpy")
            values = np.broadcast_to(np.asarray(f(st.gradient + st.sigma * mean), dtype=float), mean.shape)
            est = mean_over_chains(values.mean(axis=1))
            if mn.derived_only:
                preds = {"derived": expectation_over_batch(mn.source, st, mn.rename)}
            else:
                preds = {lab: expectation_over_batch(h, st, mn.rename) for lab, h in hypotheses.items()}
            measurements.append(Measurement(mn.observable, est.value, est.se, est.method, preds))
            rows.append({"observable": mn.observable, **st.describe(), "mean": est.value, "se": est.se,
                         "predictions": preds})
        setup = {"batches_per_setting": bud.chains * bud.per_chain, "seed": seed, "means": rows}
        return ExperimentResult(tuple(measurements), setup, (), time.perf_counter() - start, steps)


@dataclass(frozen=True)
class FrequencyLadder:
    """A frequency measured on a ladder of batch sizes and extrapolated to ``B -> infinity``.

    The rungs are ``h = 1/B``; the frequency is a line in ``h`` plus ``O(h^2)``, whose
    curvature comes from the exact probabilities of the derived event at each rung (so the
    bias bound is not noise-limited): :func:`numerics.stats.extrapolate_to_zero`.
    """

    observable: str
    settings: tuple[BatchSetting, ...]
    holds: sp.Basic
    exact: sp.Basic
    given: sp.Basic = sp.true
    name: str = "Monte Carlo batches on a ladder of B"
    kind: str = "monte-carlo"
    budgets: Mapping[str, BatchBudget] = field(default_factory=lambda: dict(BUDGETS))

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        from numerics.stats import extrapolate_to_zero

        if len(self.settings) < 3:
            raise ValueError(f"{self.observable}: a ladder needs >= 3 batch sizes")
        bud = self.budgets[budget]
        start = time.perf_counter()
        h, y, se, exact, steps = [], [], [], [], 0
        for k, st in enumerate(self.settings):
            mean, sd = batch_moments(st.kind, st.batch, bud.chains, bud.per_chain, derive_seed(seed, k))
            steps += mean.size * st.batch
            gh, sh = st.gradient + st.sigma * mean, st.sigma * sd
            cond = st.evaluator(self.given)(gh, sh)
            est = frequency_over_chains((st.evaluator(self.holds)(gh, sh) & cond).sum(axis=1), cond.sum(axis=1))
            h.append(1.0 / st.batch)
            y.append(est.value)
            se.append(est.se)
            exact.append(conditional_probability(self.exact.subs(st.constants()), self.given.subs(st.constants()),
                                                 a=st.a, batch=st.batch, kind=st.kind, sigma=st.sigma))
        h, y, se, exact = map(np.array, (h, y, se, exact))
        curvature = float(np.polyfit(h, exact, 2)[0])
        ext = extrapolate_to_zero(h, y, se, curvature=curvature,
                                  curvature_note="exact probabilities of the derived event at each rung")
        preds = {lab: float(sp.sympify(hyp)) for lab, hyp in hypotheses.items()}
        m = Measurement(f"{self.observable}, B -> infinity", ext.value, ext.se,
                        f"frequencies at B = {', '.join(str(s.batch) for s in self.settings)}; {ext.method}",
                        preds, ext.bias_bound, ext.bias_note)
        plot = Plot("ladder", f"{self.observable} against 1/B",
                    {"ladder": "1/B", "series": [{"observable": self.observable, "h": h.tolist(),
                                                  "y": y.tolist(), "se": se.tolist(),
                                                  "extrapolated": [ext.value, ext.se]}],
                     "predictions": {k: [v] for k, v in preds.items()}})
        setup = {"settings": [s.describe() for s in self.settings], "exact_by_rung": exact.tolist(),
                 "frequencies": y.tolist(), "se": se.tolist(), "seed": seed,
                 "batches_per_rung": bud.chains * bud.per_chain}
        return ExperimentResult((m,), setup, (plot,), time.perf_counter() - start, steps)
