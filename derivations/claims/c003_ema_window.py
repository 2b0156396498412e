"""003, "Digression on Running Averages": mu_hat_t ~ mu_tilde_t for t > N, i.e. the 1/N running
average approximates the mean of the N most recent values.

What "approximately" can mean is checked four ways, each a case, each read with a 10 %
tolerance (1 % ranges are reported as well):

- the expectation for a constant mean just past t = N (t = N + 1) and well past it
  (t = 5N): E mu_hat_t = (1 - (1 - 1/N)^t) mu against E mu_tilde_t = mu; the relative error
  -(1 - 1/N)^t is 1/8 at N = 2 and grows to 1/e (it increases with N), so it exceeds 10 %
  at t = N + 1 for every N; it is below 10 % for t >= ln 10 / -ln(1 - 1/N) (~2.30 N) and
  below 1 % for t >= ln 100 / -ln(1 - 1/N) (~4.61 N);
- the lag behind a drifting mean: N - 1 steps for the running average (its weights' mean
  age), (N - 1)/2 for the window: twice as long, at every t >> N;
- the values themselves: E (mu_hat_t - mu_tilde_t)^2 / Var mu_tilde_t tends to
  N/(2N - 1) + 1 - 2(1 - (1 - 1/N)^N) (0.230 at N = 20, 0.236 as N -> oo): the two differ
  by about half the window average's standard deviation (the running average behaves like
  a window of 2N - 1 values, not N).

Each case's derivation computes its error from the weights (the running average's from its
unrolled recurrence, the window's 1/N on the last N values), symbolically in N; the
simulations run both averages on the same random sequences.
"""

import math
from functools import lru_cache

import sympy as sp

from derivations.experiments.averages_settings import (DECK, N_PARAM, S_PARAM, T_PARAM, budgets,
                                                       constant, drifting)
from derivations.experiments.running_averages import (Filter, FilterSpec, Lag, Mean,
                                                      MeanSquareDifference, filter_witnesses)
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Mutant, Plot,
                               Relation, Source, Statement, Step, Verdict)
from derivations.recurrences import (LinearRecurrence, N, ema, numeric, t, unrolled_weight, weight_moments,
                                     weight_values, window_weight)

QUOTE = r"\hat{\mu}_t \approx \tilde{\mu}_t \quad t > N"
TOL = 0.10
SIZE = 20
CORRECTION = (r"E\,\hat{\mu}_t \approx E\,\tilde{\mu}_t \text{ for } t \gtrsim 2.3N \text{ (10\%)}, "
              r"t \gtrsim 4.6N \text{ (1\%)}; \text{ as a tracker } \hat{\mu}_t \text{ resembles a window of } "
              r"2N-1 \text{ values: lag } N-1, \ \mathrm{Var} = \sigma^2/(2N-1)")
MU_HAT, MU_TILDE = sp.Function("muhat"), sp.Function("mutilde")
SD, SLOPE = 0.5, 0.1


def _ema_weight():
    return unrolled_weight(ema())


@lru_cache(maxsize=1)
def _gain_error():
    """Relative error of E mu_hat_t against E mu_tilde_t = mu (constant mean): gain - 1."""
    return weight_moments(_ema_weight()).gain - 1


@lru_cache(maxsize=1)
def _lag_ema():
    """(m_t - E mu_hat_t) / r for m_s = r s: t (1 - sum w) + sum w (t - s)."""
    mom = weight_moments(_ema_weight())
    return t * (1 - mom.gain) + mom.age


def _thresholds():
    """Smallest t/N at which |error of the mean| <= 10 % and <= 1 % (exact at N = SIZE, and N -> oo)."""
    out = {}
    for tol in (0.10, 0.01):
        exact = math.log(1 / tol) / -math.log(1 - 1 / SIZE)
        out[tol] = (exact / SIZE, math.log(1 / tol))
    return out


def _decide(value: float, admitted: tuple[float, float], what: str, general: str) -> Comparison:
    lo, hi = admitted
    ok = lo <= value <= hi
    return Comparison(Equivalence.PROVED if ok else Equivalence.REFUTED,
                      "exact weights (sympy sums), evaluated at N = 20",
                      f"{what} = {value:.4g}; '≈' admits [{lo:.4g}, {hi:.4g}]. {general}")


@lru_cache(maxsize=None)
def derive_mean(at_steps: int) -> Derivation:
    err = _gain_error()
    value = float(err.subs({N: SIZE, t: at_steps}))
    th = _thresholds()
    steps = (Step("Weights of the running average (unrolled recurrence)", _ema_weight()),
             Step("Window mean weights (t >= N)", window_weight()),
             Step("Relative error of E mu_hat_t against E mu_tilde_t = mu", err),
             Step(f"at N = {SIZE}, t = {at_steps}", sp.Float(value, 6)),
             Step("d/dN of (N+1) ln(1 - 1/N): positive since ln(1 - 1/N) >= -1/(N-1), so "
                  "(1 - 1/N)^(N+1) rises from 1/8 (N = 2) to 1/e",
                  sp.simplify(sp.diff((N + 1) * sp.log(1 - 1 / N), N))))
    general = (f"|error| <= 10 % iff t >= ln 10 / -ln(1 - 1/N) = {th[0.1][0]:.2f} N at N = {SIZE} "
               f"({th[0.1][1]:.2f} N as N -> oo); <= 1 % iff t >= {th[0.01][0]:.2f} N "
               f"({th[0.01][1]:.2f} N)")
    return Derivation(_ema_weight(), steps, correction_latex=CORRECTION, comparison=_decide(1 + value, (1 - TOL, 1 + TOL),
                                                    f"E mu_hat_{at_steps} / E mu_tilde", general))


@lru_cache(maxsize=1)
def derive_lag() -> Derivation:
    w = _ema_weight()
    lag_ema = _lag_ema()
    lag_window = weight_moments(sp.Integer(1) / N).age.subs(t, N)  # (N - 1)/2
    # t -> oo: (1 - 1/N)^t and t (1 - 1/N)^t vanish, which the substitution does term by term.
    limit = sp.simplify(sp.expand(lag_ema).subs((1 - 1 / N) ** t, 0))
    value = float(lag_ema.subs({N: SIZE, t: 10 * SIZE}))
    steps = (Step("Lag of the running average behind m_s = r s: t (1 - sum w) + sum w (t - s)", lag_ema),
             Step("Lag of the window mean (t >= N): mean age of N equal weights", lag_window),
             Step("Running average's lag as t -> oo ((1 - 1/N)^t and t (1 - 1/N)^t -> 0)", limit))
    return Derivation(w, steps, correction_latex=CORRECTION, comparison=_decide(value / float(lag_window.subs(N, SIZE)), (1 - TOL, 1 + TOL),
                                        "lag of mu_hat / lag of mu_tilde at t = 10 N",
                                        "the running average trails a drift by N - 1 steps, the "
                                        "window by (N - 1)/2: ratio 2 for every N > 1"))


@lru_cache(maxsize=1)
def derive_paths() -> Derivation:
    w = _ema_weight()
    power = weight_moments(w).power
    ratio = N * power + 1 - 2 * (1 - (1 - 1 / N) ** N)
    stationary = sp.simplify(N * power.subs((1 - 1 / N) ** t, 0) + 1 - 2 * (1 - (1 - 1 / N) ** N))
    value = float(ratio.subs({N: SIZE, t: 10 * SIZE}))
    steps = (Step("E (mu_hat_t - mu_tilde_t)^2 / (sigma^2/N) for iid values (bias^2 aside): "
                  "N sum (w - 1/N [s > t-N])^2", ratio),
             Step("as t -> oo", stationary),
             Step(f"at N = {SIZE}", sp.Float(stationary.subs(N, SIZE), 6)),
             Step("as N -> oo: 3/2 - 2(1 - 1/e)", sp.Float(1.5 - 2 * (1 - math.exp(-1)), 6)))
    return Derivation(w, steps, correction_latex=CORRECTION, comparison=_decide(value, (0.0, TOL**2), "mean square difference / Var mu_tilde at t = 10 N",
                                        "an rms difference of 10 % of the window mean's sd admits 0.01"))


# --- hypotheses: weights (t, s) of mu_hat; the statement's are the window's -------------------
def _values(h, at):
    return weight_values(h, {N: SIZE}, at)


def _mean(h, inputs, at):
    return float(_values(h, at) @ inputs.mean_path(at)) / float(inputs.mean_path(1)[0])


def _lag(h, inputs, at):
    path = inputs.mean_path(at)
    return float(path[-1] - _values(h, at) @ path) / inputs.slope()


def _msd(h, at, mean=1.0):
    """E (y_t - mu_tilde_t)^2 / (sigma^2/N) for weights ``h``, iid values of mean ``mean``."""
    d = _values(h, at) - _values(window_weight(), at)
    return SIZE * (float(d @ d) + (mean * float(d.sum()) / SD) ** 2)


def _spec_mean(at):
    inputs = constant(1.0, SD)
    obs = (Mean(name=f"E mu_hat_{at} / mu (t = {at / SIZE:g} N)", filt="running average", time=at,
                predict=lambda h: _mean(h, inputs, at), stated_tolerance=TOL),)
    return FilterSpec(label=f"constant mean 1, Gaussian sd {SD}, N = {SIZE}, t = {at}", inputs=inputs,
                      filters=_filters(), observables=obs, steps=at, budgets=budgets(20_000),
                      plot=_plot if at == SIZE + 1 else None)


def _spec_lag():
    at = 10 * SIZE
    inputs = drifting(SLOPE, SD)
    obs = (Lag(name=f"lag of mu_hat_{at} behind the drift (steps)", filt="running average", time=at,
               predict=lambda h: _lag(h, inputs, at), stated_tolerance=TOL),)
    return FilterSpec(label=f"mean {SLOPE} t, Gaussian sd {SD}, N = {SIZE}, t = {at}", inputs=inputs,
                      filters=_filters(), observables=obs, steps=at, budgets=budgets(20_000))


def _spec_paths():
    at = 10 * SIZE
    inputs = constant(1.0, SD)
    obs = (MeanSquareDifference(name=f"E (mu_hat_{at} - mu_tilde_{at})^2 / (sigma^2/N)",
                                filt="running average", other="window", time=at,
                                unit=SD**2 / SIZE, predict=lambda h: _msd(h, at),
                                stated_interval=(0.0, TOL**2)),)
    return FilterSpec(label=f"constant mean 1, Gaussian sd {SD}, N = {SIZE}, t = {at}", inputs=inputs,
                      filters=_filters(), observables=obs, steps=at, budgets=budgets(20_000))


def _filters():
    return (Filter("running average", ema(), {N: SIZE}), Filter("window", window=SIZE))


def _plot(hypotheses):
    """Exact errors against t/N at N = 20: mean (constant input), lag ratio, rms difference."""
    ts = list(range(SIZE, 8 * SIZE + 1, 4))
    w = _ema_weight()
    gain_f, lag_f = numeric(_gain_error().subs(N, SIZE), t), numeric(_lag_ema().subs(N, SIZE), t)
    gain = [float(gain_f(k)) for k in ts]
    lag_ratio = [float(lag_f(k)) / ((SIZE - 1) / 2) - 1 for k in ts]
    msd = [math.sqrt(_msd(w, k, mean=0.0)) for k in ts]
    return Plot("series", f"running average vs window mean, N = {SIZE}: relative errors against t/N",
                {"x": [k / SIZE for k in ts],
                 "series": {"E mu_hat / E mu_tilde - 1": gain, "lag ratio - 1": lag_ratio,
                            "rms(mu_hat - mu_tilde) / sd(mu_tilde)": msd,
                            "+10 %": [TOL] * len(ts), "-10 %": [-TOL] * len(ts)},
                 "xlabel": "t / N", "ylabel": "relative error"})


def _ema_mutant(name, size):
    return Mutant(name, lambda d, m=size: unrolled_weight(LinearRecurrence("ema", 1 - 1 / m, 1 / m)))


CLAIM = Claim(
    id="003-ema-window",
    title="The 1/N running average approximates the mean of the last N values for t > N",
    source=Source(DECK, "Digression on Running Averages"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(MU_HAT(t), MU_TILDE(t)),
                        result=window_weight(), latex_names=None,
                        parse_note="an approximation with a range condition (\\approx ... \\quad t > N); "
                                   "the statement is compared through the weights it implies"),
    setting=(N_PARAM, T_PARAM, S_PARAM),
    assumptions=(r"\hat{\mu}_0 = 0, \hat{\mu}_t = (1 - 1/N)\hat{\mu}_{t-1} + (1/N) x_t",
                 r"\tilde{\mu}_t = \frac{1}{N}\sum_{s=t-N+1}^t x_s",
                 "'≈' read as: within 10 % (relative), or an rms difference within 10 % of "
                 r"sd(\tilde{\mu}_t)"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(
        Case("expectation just past N (t = N + 1), constant mean", lambda: derive_mean(SIZE + 1),
             filter_witnesses(_spec_mean(SIZE + 1)), ("iid values with a constant mean", "t = N + 1")),
        Case("expectation well past N (t = 5N), constant mean", lambda: derive_mean(5 * SIZE),
             filter_witnesses(_spec_mean(5 * SIZE)), ("iid values with a constant mean", "t >= 2.3 N")),
        Case("lag behind a drifting mean (t = 10N)", derive_lag, filter_witnesses(_spec_lag()),
             ("mean drifting linearly", "t >> N")),
        Case("the values themselves (t = 10N)", derive_paths, filter_witnesses(_spec_paths()),
             ("iid values", "t >> N", "pathwise: rms difference against sd of the window mean")),
    ),
    mutants=(_ema_mutant("running average with 2N", 2 * N), _ema_mutant("running average with N/2", N / 2)),
    expected=Verdict.CONDITIONAL,
    notes=("The running average does approximate the window mean's expectation once t is a few N "
           "(10 % from t ~ 2.3 N, 1 % from t ~ 4.6 N), but not just past N (at t = N + 1 it is "
           "still 1 - (1 - 1/N)^(N+1) ~ 0.64 of it, the bias the deck treats two slides later), "
           "and as a tracker it matches a window of 2N - 1 values rather than N: lag N - 1 instead "
           "of (N - 1)/2, variance sigma^2/(2N - 1) instead of sigma^2/N, and a pathwise rms "
           "difference of ~0.48 sd of the window mean."),
)
