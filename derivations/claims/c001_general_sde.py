"""001, "A General SDE": the Euler form (1) x(t + dt) = x + mu dt + sigma eps sqrt(dt) and dx = mu dt + sigma dB (2) "are the same thing".

(2) is notation for the limit of (1) as Delta t -> 0; with a state-dependent sigma(x, t) the
limit of (1), which evaluates sigma at the start of each step, is the Ito solution of (2),
and "conventionally written" is Ito's convention. So the claim holds with that reading, in
the limit: at a finite Delta t, (1) is a discretisation, weakly first-order and strongly
(path by path) half-order accurate.

The test SDE is geometric Brownian motion, dx = mu x dt + sigma x dB (mu = -1/4, sigma = 0.8,
x(0) = 1, T = 1), where the readings differ: Ito E x(T) = e^(mu T), E x(T)^2 = e^((2 mu +
sigma^2) T); Stratonovich multiplies them by e^(sigma^2 T / 2) and e^(sigma^2 T). The
derivation takes the limits of the Euler scheme's exact moments with sympy and compares
them with Ito's solution (Ito's formula). The simulation runs (1) on a ladder of Delta t and
measures both moments (extrapolated), and the path-by-path distance to the exact Ito
solution x0 exp((mu - sigma^2/2) T + sigma B_T) driven by the same Brownian increments, with
its rate (exponent 1/2; mutants 1 and 1/4). The Stratonovich reading is shown and rejected.
"""

import math

import numpy as np
import sympy as sp

from derivations.codegen import update_polynomials
from derivations.experiments.ladder import LadderExperiment, LadderObservable, MomentStatistic, mean_stat
from derivations.fokker_planck import XI
from derivations.model import (Claim, Comparison, Confidence, Derivation, Equivalence, Reading,
                               Reconstruction, Relation, Source, Statement, Step, Verdict, single_case)
from derivations.symbols import DT, X, dt, x
from derivations.tables import declare, entry_replaced, entry_scaled, table
from numerics.paths_1d import run_noise_paths

QUOTE = (r"x(t + \Delta t) = x(t) + \mu(x, t)\Delta t + \sigma(x, t)\epsilon\sqrt{\Delta t}, \quad "
         r"\epsilon \sim \mathcal{N}(0, I) \quad (1)")
MU, SIG, X0, T = -0.25, 0.8, 1.0, 1.0
STEPS = (40, 80, 160, 320, 640)
BUDGETS = {"quick": 20000, "full": 200000}
mu_, s_ = sp.Rational(-1, 4), sp.Rational(4, 5)
#: The Euler form (1) for geometric Brownian motion, one source for derivation and kernel.
EULER = mu_ * x * dt + s_ * x * XI * sp.sqrt(dt)
ITO = table(mean_ratio=1, m2_ratio=1, path_limit=0, strong_order=sp.Rational(1, 2))
STRATONOVICH = table(mean_ratio=sp.exp(s_**2 * T / 2), m2_ratio=sp.exp(s_**2 * T))


def derive() -> Derivation:
    N, t = sp.symbols("N t", positive=True)
    mu, sg = sp.symbols("mu sigma", real=True)
    m1 = (1 + mu * dt) ** N  # E x_N / x_0: one step multiplies the mean by 1 + mu dt
    m2 = ((1 + mu * dt) ** 2 + sg**2 * dt) ** N  # E[(1 + mu dt + sigma eps sqrt dt)^2]
    lim1 = sp.limit(m1.subs(N, t / dt), dt, 0)
    lim2 = sp.limit(m2.subs(N, t / dt), dt, 0)
    # Ito's formula for log x: d log x = (mu - sigma^2/2) dt + sigma dB, so log x(t) ~ N(m, v).
    m, v = (mu - sg**2 / 2) * t, sg**2 * t
    ito1, ito2 = sp.exp(m + v / 2), sp.exp(2 * m + 2 * v)
    strat1, strat2 = sp.exp(mu * t), sp.exp(2 * mu * t + 2 * sg**2 * t)
    ok = sp.simplify(lim1 - ito1) == 0 and sp.simplify(lim2 - ito2) == 0
    steps = (
        Step("Euler form (1) for dx = mu x dt + sigma x dB: one step multiplies x by", sp.Eq(sp.Symbol("x'/x"), 1 + EULER / x)),
        Step("E x_N / x_0 and its limit with N = t / Delta t", sp.Eq(sp.Symbol("E x_N/x_0"), m1)),
        Step("limit", sp.Eq(sp.Symbol(r"\lim E x_N / x_0"), lim1)),
        Step("E x_N^2 / x_0^2 and its limit", sp.Eq(sp.Symbol(r"\lim E x_N^2 / x_0^2"), lim2)),
        Step("Ito solution of (2): log x(t) ~ N((mu - sigma^2/2) t, sigma^2 t); moments",
             sp.Eq(sp.Symbol("(E x, E x^2) Ito"), sp.Tuple(sp.simplify(ito1), sp.simplify(ito2)))),
        Step("Stratonovich solution of (2): log x(t) ~ N(mu t, sigma^2 t); moments",
             sp.Eq(sp.Symbol("(E x, E x^2) Strat."), sp.Tuple(strat1, sp.simplify(strat2)))),
        Step("Path by path, Euler-Maruyama's error with multiplicative noise is O(Delta t^(1/2)) "
             "(the neglected sigma sigma' (dB^2 - dt) / 2 terms): strong order 1/2"),
    )
    return Derivation(ITO, steps, Comparison(
        Equivalence.PROVED if ok else Equivalence.REFUTED, "limits of the scheme's exact moments; Ito's formula",
        "(1) converges to the Ito solution of (2) as Delta t -> 0"))


#: (1) as x' = x - F(x) dt + S(x) eps sqrt(dt): the coefficients per unit dt (dt = 1 in EULER).
_F, _S = update_polynomials(EULER.subs(dt, 1), x, XI)


def _simulate(h, paths, seed):
    n = int(round(T / h))
    xs, ws = run_noise_paths(_F, _S, a=h, b=math.sqrt(h), x0=np.full(paths, X0),
                             n_steps=n, checkpoints=[n], seed=seed)
    exact = X0 * np.exp((MU - SIG**2 / 2) * T + SIG * math.sqrt(h) * ws[:, 0])
    return np.column_stack([xs[:, 0], exact])


_ito1, _ito2 = X0 * math.exp(MU * T), X0**2 * math.exp((2 * MU + SIG**2) * T)
OBSERVABLES = (
    LadderObservable("mean_ratio", "E x_N / (x_0 e^(mu T))", "limit", mean_stat(transform=lambda m, h: m / _ito1)),
    LadderObservable("m2_ratio", "E x_N^2 / (x_0^2 e^((2 mu + sigma^2) T))", "limit",
                     MomentStatistic(lambda s, h: (s[:, 0] ** 2)[:, None], lambda m, h: m[0] / _ito2)),
    LadderObservable("path_limit", "E|x_N - x_Ito(T)|", "limit",
                     MomentStatistic(lambda s, h: np.abs(s[:, 0] - s[:, 1])[:, None], lambda m, h: m[0]),
                     limit_power=0.5),
    LadderObservable("strong_order", "E|x_N - x_Ito(T)|", "exponent",
                     MomentStatistic(lambda s, h: np.abs(s[:, 0] - s[:, 1])[:, None], lambda m, h: m[0]),
                     correction_power=0.5),
)

CLAIM = Claim(
    id="001-general-sde",
    title="The Euler form (1) and dx = mu dt + sigma dB (2) are the same thing: as dt -> 0, in Ito's sense",
    source=Source("001_f7b24b47ec34203a.txt", "A General SDE"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE, encoding=table(mean_ratio=1, m2_ratio=1, path_limit=0),
        reconstruction=Reconstruction(
            note=("The deck is clean; the statement '(1) ... is conventionally written as dx = mu(x, t) dt + "
                  "sigma(x, t) dB (2) ... they are the same thing' has two readings of (2) when sigma "
                  "depends on x. Chosen: Ito's, the convention. Shown: Stratonovich's."),
            confidence=Confidence.HIGH,
            alternatives=(Reading("(2) in Stratonovich's sense", r"dx = \mu\,dt + \sigma \circ dB", STRATONOVICH,
                                  "midpoint convention: the limit of a scheme evaluating sigma mid-step"),)),
        latex_names=None,
        parse_note="an SDE's Euler form with a numbered label; encoded as the limit of (1) being the Ito "
                   "solution of (2): moments and path-by-path distance"),
    setting=(X, DT, declare("mean_ratio", r"E x / (x_0 e^{\mu T})", "first moment over Ito's"),
             declare("m2_ratio", r"E x^2 / (x_0^2 e^{(2\mu+\sigma^2)T})", "second moment over Ito's"),
             declare("path_limit", r"\lim E|x_N - x(T)|", "path-by-path distance to the Ito solution"),
             declare("strong_order", r"\gamma", "E|x_N - x(T)| ~ Delta t^gamma")),
    assumptions=("test SDE: geometric Brownian motion mu(x) = -x/4, sigma(x) = 0.8 x, x(0) = 1, T = 1",),
    relation=Relation.CUSTOM,
    variables=(),
    cases=single_case(derive, (LadderExperiment(
        "Monte Carlo: Euler form (1) for geometric Brownian motion", "Delta t", tuple(T / n for n in STEPS),
        _simulate, OBSERVABLES, BUDGETS, {"SDE": "dx = mu x dt + sigma x dB", "mu": MU, "sigma": SIG, "x0": X0, "T": T},
        steps_per_replicate=lambda h: int(round(T / h))),)),
    mutants=(entry_replaced("mean_ratio", STRATONOVICH[0].rhs, "Stratonovich limit (mean x e^(sigma^2 T/2))"),
             entry_scaled("strong_order", 2, "strong order 1"),
             entry_scaled("strong_order", sp.Rational(1, 2), "strong order 1/4")),
    expected=Verdict.HOLDS,
    notes=("Holds as a statement about the limit Delta t -> 0 with (2) read in Ito's sense (the "
           "convention); at finite Delta t, (1) is only a first-order weak approximation of (2)."),
)
