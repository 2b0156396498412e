"""Running averages of batch statistics at several batch sizes, measured in units of examples.

The deck's "Scaling N_mu" and "Scaling N_s" ask what a running average over batches keeps
invariant when the batch size B changes and its length is rescaled. With per-example
values u = m + sd e (e iid, variance 1), a batch statistic (the batch mean, or the mean of
per-example squares) has variance V/B, V the per-example variance of what is averaged. A
1/N_B running average over batches then has, at stationarity,

    Var = (V / B) / (2 N_B - 1)                         -> n_eff = V / Var = B (2 N_B - 1),
    lag behind the mean of the newest batch, m(k) = r k (k counts examples) = B (N_B - 1) examples.

:func:`batch_scaling_spec` declares the experiment at one batch size: the mean path per
step is the average of its examples' means, so the batch statistic's expectation is exact.
Observables are ``n_eff(B = 1) / n_eff`` (a variance ratio), ``lag / lag(B = 1)`` and the
mean against its target (stationary, after 30 time constants: the start-up transient is
below 1e-11 relative).
"""

from __future__ import annotations

from typing import Callable

import sympy as sp

from numerics.running_average import BATCH_MEAN

from ..recurrences import N, ema, t
from .running_averages import Filter, FilterSpec, InputModel, Lag, Mean, Variance

__all__ = ["batch_scaling_spec", "E_FOLDS"]

#: Steps after which the running average counts as stationary, in time constants N_B.
E_FOLDS = 30


def batch_scaling_spec(*, label: str, batch: int, n_batches: float, reference_count: float,
                       reference_lag: float | None, sd: float, drift: float, mean: float,
                       per_example_variance: float, predict_count: Callable | None,
                       predict_lag: Callable | None,
                       predict_target: Callable | None = None, target_unit: float = 1.0,
                       channel: int = BATCH_MEAN, chains: int = 3000,
                       stated_tolerance: float | None = None) -> FilterSpec:
    """One batch size: a 1/``n_batches`` running average of batch statistics.

    Measures ``reference_count / n_eff`` with ``n_eff = per_example_variance / Var``, the lag
    in examples (behind a drift of ``drift`` per example) over ``reference_lag`` (omitted if
    None), and the mean over ``target_unit``.
    """
    steps = int(round(E_FOLDS * n_batches))
    # Mean of the examples of step t: examples (t-1)B+1..tB have means mean + drift * k.
    path = sp.Float(mean) + sp.Float(drift) * (batch * t - sp.Rational(batch - 1, 2))
    inputs = InputModel(f"{label}: per-example values, batches of {batch}", path, sd, batch=batch)
    filt = Filter("running average", ema(), {N: n_batches}, channel=channel)
    obs = []
    if predict_count is not None:
        obs.append(Variance(name=f"n_eff(B = 1) / n_eff at B = {batch} (N_B = {n_batches:g})",
                            filt="running average", time=steps, unit=per_example_variance / reference_count,
                            predict=predict_count, stated_tolerance=stated_tolerance))
    if reference_lag is not None and predict_lag is not None:
        obs.append(Lag(name=f"lag in examples / reference lag at B = {batch}", filt="running average",
                       time=steps, unit=reference_lag / batch, predict=predict_lag,
                       stated_tolerance=stated_tolerance))
    if predict_target is not None:
        obs.append(Mean(name=f"E (running average) / target at B = {batch}", filt="running average",
                        time=steps, unit=target_unit, predict=predict_target, stated_tolerance=stated_tolerance))
    return FilterSpec(label=label, inputs=inputs, filters=(filt,), observables=tuple(obs), steps=steps,
                      budgets={"quick": chains, "full": 10 * chains},
                      note=f"{E_FOLDS} time constants: stationary to < 1e-11 relative")
