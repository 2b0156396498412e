"""Witnesses for deck 003's adaptive algorithm ("A Complete Calculation of eta", "A Complete Algorithm").

:class:`AlgorithmSetup` declares one configuration of :func:`numerics.adaptive_lr.run_adaptive`
(the quadratic ``(1/2)(Phi - Phi*)^T H (Phi - Phi*)``, the noise, the meta-parameters, and the
off-slide knobs of a corrected variant). Two witnesses:

- :class:`FrozenEstimators`: the parameter is held fixed (``freeze``), so the batch
  gradients are iid with mean ``g`` and variance ``sigma^2/B``; over independent chains it
  measures what the running averages converge to. With a fixed time constant (weight
  ``B/B*`` with ``B*`` the population value, as on "Estimating g_hat_B*"),
  ``E[g~_T] = g (1 - m_T)`` and ``E[s~_T] = (g^2 + sigma^2/B)(1 - m_T)`` *exactly*, ``m_T``
  the weight the zero start still carries. Dividing by ``1 - m_T`` gives the averages'
  targets; ``sigma~^2``, ``B*(t)`` and ``eta^t`` then have plug-in targets (the values the
  slides' formulas take at those limits), with standard errors by the delta method. With
  the slides' own data-dependent weights ``B/B*(t)`` the averages carry an extra bias of
  relative order ``B/B*(t) * B*/(16 B)`` (the weight grows with ``|g~|``); those runs are
  reported alongside (quantiles and plug-in values), not judged.
- :class:`RunOutcome`: the algorithm runs; it measures the fraction of chains that stay
  well defined (``sigma~^2 > 0``) and bounded through ``T``, and records the median
  trajectories of ``eta^t`` and ``|Phi - Phi*|`` for the report.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from typing import Mapping

import numpy as np
import sympy as sp

from numerics.adaptive_lr import run_adaptive
from numerics.batch_noise import NOISE_NAMES
from numerics.chain_stats import frequency_over_chains, function_of_means
from numerics.rng import derive_seed

from ..model import ExperimentResult, Measurement, Plot
from .batch_events import series_plot

__all__ = ["AlgorithmSetup", "AlgorithmBudget", "FrozenEstimators", "RunOutcome", "TARGETS"]


@dataclass(frozen=True)
class AlgorithmBudget:
    chains: int
    steps: int


@dataclass(frozen=True)
class AlgorithmSetup:
    label: str
    hessian: tuple[tuple[float, ...], ...]
    offset: tuple[float, ...]  # Phi_0 - Phi*
    sigma: tuple[float, ...]
    batch: int
    kind: int
    K: int
    eps: float
    lam_B: float
    lam_eta: float
    bstar_scale: float = 1.0
    w_max: float = math.inf
    eta_cap: float = math.inf
    weight_bstar: float = 0.0

    @property
    def d(self) -> int:
        return len(self.offset)

    @property
    def gradient(self) -> np.ndarray:
        return np.array(self.hessian) @ np.array(self.offset)

    def corrected(self, label: str | None = None, scale_bstar: bool = True) -> "AlgorithmSetup":
        """The variant this project proposes.

        ``B*(t)`` from a per-example variance (``B sigma~^2``); averaging weight at most 1/2
        (a window of at least two batches keeps ``s~ - g~^2 > 0``:
        ``v' = (1-w) v + w (1-w)(g^ - g~)^2 >= (1-w) v``); and ``eta^t <= 16 lam_eta``, i.e.
        ``eta_B <= eta* = 1/(2L)`` (linear scaling from B* holds for B <= B* only).
        ``scale_bstar=False`` when ``lam_B`` already carries the factor B.
        """
        return replace(self, label=label or f"{self.label}, corrected",
                       bstar_scale=float(self.batch) if scale_bstar else self.bstar_scale, w_max=0.5,
                       eta_cap=16 * self.lam_eta)

    def run(self, chains: int, steps: int, seed: int, freeze: bool, record):
        x0 = np.tile(np.array(self.offset, dtype=float), (chains, 1))
        return run_adaptive(np.array(self.hessian, dtype=float), x_star=0.0, sigma=np.array(self.sigma),
                            B=self.batch, kind=self.kind, K=self.K, eps=self.eps, lam_B=self.lam_B,
                            lam_eta=self.lam_eta, x0=x0, n_steps=steps, record_t=record, seed=seed,
                            bstar_scale=self.bstar_scale, w_max=self.w_max, eta_cap=self.eta_cap,
                            freeze=freeze, weight_bstar=self.weight_bstar)

    def describe(self) -> dict:
        return {"setup": self.label, "H": [list(r) for r in self.hessian], "Phi_0 - Phi*": list(self.offset),
                "g at Phi_0": self.gradient.tolist(), "sigma (per example)": list(self.sigma),
                "B": self.batch, "noise": NOISE_NAMES[self.kind], "K": self.K, "eps": self.eps,
                "lam_B": self.lam_B, "lam_eta": self.lam_eta, "bstar_scale": self.bstar_scale,
                "w_max": _json_number(self.w_max), "eta_cap": _json_number(self.eta_cap),
                "averaging weight": (f"fixed B/{self.weight_bstar:g}" if self.weight_bstar > 0 else "B/B*(t)")}


def _json_number(v: float):
    """JSON has no infinity: an absent cap is written as the string "none"."""
    return v if math.isfinite(v) else "none"


#: Plug-in targets as functions of (limit of g~, limit of s~, setup): the slides' formulas at the limits.
TARGETS = {
    "g~": lambda gl, sl, st: gl,
    "s~": lambda gl, sl, st: sl,
    "sigma~^2": lambda gl, sl, st: sl - gl**2,
    "B sigma~^2": lambda gl, sl, st: st.batch * (sl - gl**2),
    "sigma~": lambda gl, sl, st: math.sqrt(max(sl - gl**2, 0.0)),
    "B*(t)": lambda gl, sl, st: st.lam_B * st.bstar_scale * (sl - gl**2) / (gl**2 + st.eps),
    "eta^t": lambda gl, sl, st: st.lam_eta * gl**2 / (sl - gl**2),
}


@dataclass(frozen=True)
class FrozenEstimators:
    """What the running averages estimate, at a fixed parameter (coordinate 0).

    ``observables`` maps a name of :data:`TARGETS` to ``(role, derived)``: role ``"primary"``
    (predicted by the hypotheses, evaluated at ``values``) or ``"derived"`` (predicted by the
    sympy expression ``derived`` at ``values`` only). ``extra`` adds the same for other setups
    (e.g. the corrected estimator). ``trajectory`` optionally runs an unfrozen setup for plots.
    """

    setup: AlgorithmSetup
    observables: tuple[tuple[str, str, sp.Basic | None], ...]
    values: Mapping[sp.Symbol, float]
    extra: tuple[tuple[AlgorithmSetup, str, sp.Basic], ...] = ()
    trajectory: tuple[AlgorithmSetup, ...] = ()
    name: str = "Monte Carlo: running averages at a fixed parameter"
    kind: str = "monte-carlo"
    budgets: Mapping[str, AlgorithmBudget] = field(default_factory=lambda: {
        "quick": AlgorithmBudget(500, 2000), "full": AlgorithmBudget(8000, 6000)})

    def _limits(self, setup, bud, seed):
        run = setup.run(bud.chains, bud.steps, seed, True, [bud.steps])
        if np.any(run.fail_code != 0):
            raise FloatingPointError(f"{setup.label}: {int(np.sum(run.fail_code != 0))} frozen chains failed; "
                                     "the estimator check needs a setting where the averages stay defined")
        cols = np.column_stack([run.g_tilde[:, -1, 0], run.s_tilde[:, -1, 0], 1.0 - run.memory[:, 0]])
        return run, cols

    def _measure(self, setup, cols, name):
        f = TARGETS[name]
        return function_of_means(cols, lambda mm: f(mm[0] / mm[2], mm[1] / mm[2], setup),
                                 f"plug-in target of {name} (means divided by 1 - memory)")

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        bud = self.budgets[budget]
        start = time.perf_counter()
        run, cols = self._limits(self.setup, bud, derive_seed(seed, 0))
        measurements, info = [], {}
        for name, role, derived in self.observables:
            est = self._measure(self.setup, cols, name)
            if role == "primary":
                preds = {lab: float(sp.sympify(h).subs(self.values)) for lab, h in hypotheses.items()}
            else:
                preds = {"derived": float(sp.sympify(derived).subs(self.values))}
            measurements.append(Measurement(f"limit of {name} ({self.setup.label})", est.value, est.se,
                                            est.method, preds))
        if self.setup.weight_bstar > 0:
            adaptive = replace(self.setup, weight_bstar=0.0)
            run = adaptive.run(bud.chains, bud.steps, derive_seed(seed, "adaptive"), True, [bud.steps])
            alive = run.fail_code == 0
            block = {"chains whose sigma~^2 turned <= 0 (weight B/B*(t) > 1)": int((~alive).sum()),
                     "of": int(alive.size)}
            if alive.sum() >= 2:
                acols = np.column_stack([run.g_tilde[alive, -1, 0], run.s_tilde[alive, -1, 0],
                                         1.0 - run.memory[alive, 0]])
                block["plug-in values over the surviving chains"] = {
                    name: self._measure(adaptive, acols, name).value for name, _, _ in self.observables}
            info["with the slides' adaptive weights B/B*(t) (not judged)"] = block
            run = run if alive.any() else None
        if run is None:
            setup = {**self.setup.describe(), "chains": bud.chains, "steps": bud.steps, "seed": seed, **info}
            return ExperimentResult(tuple(measurements), setup, (), time.perf_counter() - start, 0)
        keep = run.fail_code == 0
        sig2 = run.s_tilde[keep, -1, 0] - run.g_tilde[keep, -1, 0] ** 2
        info["per-step estimates at T with the slides' weights (quantiles 10/50/90 % over chains)"] = {
            "B*(T)": np.quantile(run.bstar[keep, -1, 0], [0.1, 0.5, 0.9]).tolist(),
            "eta^T": np.quantile(run.eta[keep, -1, 0], [0.1, 0.5, 0.9]).tolist(),
            "sigma~^2(T)": np.quantile(sig2, [0.1, 0.5, 0.9]).tolist(),
            "memory of the zero start": float(np.mean(run.memory[:, 0]))}
        for k, (setup, name, derived) in enumerate(self.extra, 1):
            _, c2 = self._limits(setup, bud, derive_seed(seed, k))
            est = self._measure(setup, c2, name)
            measurements.append(Measurement(f"limit of {name} ({setup.label})", est.value, est.se, est.method,
                                            {"derived": float(sp.sympify(derived).subs(self.values))}))
        plots = [trajectory_plot(s, bud, derive_seed(seed, "trajectory", j), info)
                 for j, s in enumerate(self.trajectory)]
        setup = {**self.setup.describe(), "chains": bud.chains, "steps": bud.steps, "seed": seed, **info}
        steps = bud.chains * bud.steps * self.setup.batch * self.setup.d * (1 + len(self.extra))
        return ExperimentResult(tuple(measurements), setup, tuple(plots), time.perf_counter() - start, steps)


def trajectory_plot(setup: AlgorithmSetup, bud: AlgorithmBudget, seed: int, info: dict) -> Plot:
    """Median eta^t[i] and |Phi[i] - Phi*[i]| over 64 unfrozen chains, on a log grid of t."""
    steps = max(bud.steps * 4, 4000)
    record = np.unique(np.geomspace(setup.K + 1, steps, 24).astype(int))
    run = setup.run(64, steps, seed, False, record)
    ok = run.fail_code == 0
    series, block = {}, {"t": record.tolist(), "failed chains": int((~ok).sum()), "of": 64}
    if ok.any():
        for i in range(setup.d):
            tag = f"[{i}]" if setup.d > 1 else ""
            eta = np.median(run.eta[ok, :, i], axis=0).tolist()
            dist = np.median(np.abs(run.phi[ok, :, i]), axis=0).tolist()
            series[f"median eta^t{tag}"] = eta
            series[f"median |Phi - Phi*|{tag}"] = dist
            block[f"median eta^t{tag}"], block[f"median |Phi - Phi*|{tag}"] = eta, dist
    else:
        series = {"failed chains (all 64)": [64.0] * record.size}
    info[f"trajectory: {setup.label}"] = block
    return series_plot(f"{setup.label}: a run (median over {int(ok.sum())} surviving of 64 chains)",
                       record.tolist(), series, "t", "value")


@dataclass(frozen=True)
class RunOutcome:
    """P(a run stays defined and bounded through T), as stated (primary) and corrected (derived 1)."""

    setup: AlgorithmSetup
    corrected: AlgorithmSetup | None = None
    freeze: bool = False
    name: str = "Monte Carlo: runs of the algorithm"
    kind: str = "monte-carlo"
    budgets: Mapping[str, AlgorithmBudget] = field(default_factory=lambda: {
        "quick": AlgorithmBudget(256, 2000), "full": AlgorithmBudget(2048, 8000)})

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        bud = self.budgets[budget]
        start = time.perf_counter()
        measurements, info, plots, steps = [], {}, [], 0
        for k, setup in enumerate([self.setup] + ([self.corrected] if self.corrected else [])):
            run = setup.run(bud.chains, bud.steps, derive_seed(seed, k), self.freeze, [bud.steps])
            steps += bud.chains * bud.steps * setup.batch * setup.d
            ok = (run.fail_code == 0).astype(float)
            est = frequency_over_chains(ok.reshape(16, -1).sum(axis=1), np.full(16, ok.size / 16))
            what = "estimators only, parameter fixed" if self.freeze else "the algorithm running"
            if k == 0:
                preds = {lab: float(sp.sympify(h)) for lab, h in hypotheses.items()}
            else:
                preds = {"derived": 1.0}
            measurements.append(Measurement(f"P(sigma~^2 > 0 and |Phi - Phi*| bounded through T = {bud.steps}), "
                                            f"{setup.label} ({what})", est.value, est.se,
                                            f"{est.method} (chains grouped in 16 blocks)", preds))
            codes = {int(c): int(np.sum(run.fail_code == c)) for c in np.unique(run.fail_code)}
            info[setup.label] = {"failure codes (0 ok, 1 sigma~^2 <= 0, 2 diverged)": codes,
                                 "median failure step": float(np.median(run.fail_step[run.fail_code != 0]))
                                 if np.any(run.fail_code != 0) else None,
                                 "steps with weight B/B*(t) > 1 (mean per chain and parameter)":
                                     run.weight_over_one.mean(axis=0).tolist()}
            if not self.freeze:
                plots.append(trajectory_plot(setup, bud, derive_seed(seed, "trajectory", k), info))
        setup_rec = {**self.setup.describe(), "chains": bud.chains, "steps": bud.steps, "seed": seed, **info}
        return ExperimentResult(tuple(measurements), setup_rec, tuple(plots), time.perf_counter() - start, steps)
