"""001, "Gradient Flow": for small Delta t the flow dPhi/dt = -g(Phi) is approximated by DeltaPhi = -g(Phi) Delta t.

The update is Euler's scheme for the flow. The derivation expands the flow's solution in
Delta t (Phi'' = g'(Phi) g(Phi)): one step agrees with the flow to first order, with local
error (Delta t^2 / 2) g' g, so the error at a fixed time t = N Delta t is first order in
Delta t, with coefficient E(t) solving E' = -g'(Phi) E - (1/2) g'(Phi) g(Phi), E(0) = 0.

The Monte Carlo witness draws random starting points (the statement is for any
Phi_init), runs the scheme on a ladder of Delta t to t = 1 on the double-well gradient
g = Phi^3 - Phi, and measures the mean error (its limit), the rate of the RMS error
(exponent 1; the mutants are a second-order scheme's 2 and a half-order 1/2) and the mean
error coefficient against E(t) averaged over the starts. A deterministic witness runs
the scheme from one start.
"""

import math

import numpy as np
import sympy as sp

from derivations.experiments.ladder import (ExactLadder, LadderExperiment, LadderObservable,
                                            MomentStatistic, mean_stat)
from derivations.model import (Claim, Comparison, Derivation, Equivalence, Relation, Source,
                               Statement, Step, Verdict, single_case)
from derivations.codegen import polynomial_coefficients
from derivations.symbols import DT, PHI, Phi, dt
from derivations.tables import declare, entry_scaled, table
from numerics.paths_1d import gradient_flow, run_noise_paths
from numerics.rng import uniforms

QUOTE = r"\Delta\Phi = -g(\Phi)\Delta t"

#: The double well's gradient (the deck's g for L = (Phi^2 - 1)^2 / 4).
GRADIENT = Phi**3 - Phi
T = 1.0
START = (0.2, 0.8)  # starts drawn uniformly here: the flow rises monotonically to 1
STEPS = (10, 20, 40, 80, 160)
BUDGETS = {"quick": 2048, "full": 32768}
_F = polynomial_coefficients(GRADIENT, Phi)
_DF = polynomial_coefficients(sp.diff(GRADIENT, Phi), Phi)


def flow_and_error_coefficient(phi0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``Phi(T)`` and ``E(T)`` for each start (RK4 kernel).

    400 RK4 steps: the error is O(h^4) ~ 1e-11 at h = 1/400, five orders below the
    smallest standard error measured here (~1e-5).
    """
    return gradient_flow(_F, _DF, x0=np.asarray(phi0, dtype=float), t=T, steps=400)


def mean_error_coefficient() -> float:
    """``E(T)`` averaged over the uniform start law (Gauss-Legendre, 40 nodes)."""
    nodes, weights = np.polynomial.legendre.leggauss(40)
    lo, hi = START
    x = 0.5 * (hi - lo) * nodes + 0.5 * (hi + lo)
    return float(0.5 * np.sum(weights * flow_and_error_coefficient(x)[1]))


def derive() -> Derivation:
    g = sp.Function("g")
    s = sp.Symbol("s")
    P = sp.Function("Phi")
    # Taylor expansion of the flow's solution: Phi' = -g(Phi), Phi'' = d/dt(-g(Phi(t))).
    d1 = -g(P(s))
    d2 = sp.diff(d1, s).subs(sp.Derivative(P(s), s), d1)
    exact_step = d1 * dt + d2 * dt**2 / 2
    euler_step = -g(P(s)) * dt
    local = sp.simplify(exact_step - euler_step)
    first_order = sp.simplify((exact_step - euler_step).coeff(dt, 1))
    e_coef = mean_error_coefficient()
    result = table(err_limit=0, p_order=1, err_coef=sp.Float(e_coef, 15))
    steps = (
        Step("The flow's solution to second order in Delta t (Phi' = -g, Phi'' = g'(Phi) g(Phi))",
             sp.Eq(sp.Symbol(r"\Phi(t+\Delta t) - \Phi(t)"), exact_step)),
        Step("The slide's update", sp.Eq(sp.Symbol(r"\Delta\Phi"), euler_step)),
        Step("Flow minus update: the first-order terms cancel", sp.Eq(sp.Symbol("first order"), first_order)),
        Step("Local error per step (second order)", sp.Eq(sp.Symbol("local error"), local)),
        Step("N = t / Delta t local errors, propagated by the flow's linearisation: the error "
             "at time t is Delta t E(t) + O(Delta t^2) with E' = -g'(Phi) E - g'(Phi) g(Phi) / 2"),
        Step(f"For g = {GRADIENT}, t = {T}, starts uniform on {START}: mean E(t)", sp.Float(e_coef, 12)),
    )
    ok = first_order == 0 and local != 0
    return Derivation(result, steps, Comparison(
        Equivalence.PROVED if ok else Equivalence.REFUTED, "Taylor expansion of the flow (sympy)",
        "the update agrees with the flow to first order in Delta t; the scheme's error at a "
        "fixed time is first order (it vanishes as Delta t -> 0)"))


def _starts(seed: int, n: int) -> np.ndarray:
    lo, hi = START
    return lo + (hi - lo) * uniforms(seed, 1, n)[0]


def _simulate(h: float, n: int, seed: int) -> np.ndarray:
    """Columns: the scheme's Phi_N - Phi(T), and the start's own E(T) (not used as data)."""
    x0 = _starts(seed, n)
    steps = int(round(T / h))
    xN, _ = run_noise_paths(_F, [0.0], a=h, b=0.0, x0=x0, n_steps=steps, checkpoints=[steps], seed=seed)
    flow, _ = flow_and_error_coefficient(x0)
    return xN[:, 0] - flow


OBSERVABLES = (
    LadderObservable("err_limit", "mean error Phi_N - Phi(t)", "limit", mean_stat()),
    LadderObservable("p_order", "RMS error", "exponent",
                     MomentStatistic(lambda s, h: (s * s)[:, None], lambda m, h: math.sqrt(m[0]))),
    LadderObservable("err_coef", "mean error / Delta t", "limit", mean_stat(transform=lambda m, h: m / h)),
)


def _exact(h: float) -> dict:
    steps = int(round(T / h))
    x = 0.5
    for _ in range(steps):
        x = x - h * float(np.polyval(_F[::-1], x))
    err = x - _FLOW_FROM_HALF
    return {"err_limit": err, "p_order": abs(err)}


_FLOW_FROM_HALF = float(flow_and_error_coefficient(np.array([0.5]))[0][0])


SETUP = {"process": "Euler's scheme Phi <- Phi - g(Phi) Delta t", "g": str(GRADIENT), "t": T,
         "starts": f"uniform on {START} (own stream per rung)"}

CLAIM = Claim(
    id="001-euler-step",
    title="Euler's step DeltaPhi = -g(Phi) Delta t approximates gradient flow, with error O(Delta t)",
    source=Source("001_f7b24b47ec34203a.txt", "Gradient Flow"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE, encoding=table(err_limit=0),
        latex_names=None,
        parse_note="an update rule whose claim is an approximation; encoded as its consequence, "
                   "the scheme's error at a fixed time vanishing as Delta t -> 0"),
    setting=(PHI, DT, declare("err_limit", r"\lim_{\Delta t\to 0}\Phi_N - \Phi(t)", "limit of the error"),
             declare("p_order", "p", "order: RMS error ~ Delta t^p"),
             declare("err_coef", "E(t)", "lim (Phi_N - Phi(t)) / Delta t, mean over starts")),
    assumptions=("t = N Delta t fixed", "g smooth (here the double-well gradient)"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=single_case(derive, (
        LadderExperiment("Monte Carlo over random starts: Euler's scheme", "Delta t",
                         tuple(T / n for n in STEPS), _simulate, OBSERVABLES, BUDGETS, SETUP,
                         steps_per_replicate=lambda h: int(round(T / h))),
        ExactLadder("Euler's scheme from Phi_init = 0.5", "Delta t", tuple(T / n for n in (1280, 640, 320)),
                    _exact, OBSERVABLES[:2], {**SETUP, "starts": "Phi_init = 0.5"}),
    )),
    mutants=(entry_scaled("p_order", 2, "second order (p = 2)"),
             entry_scaled("p_order", sp.Rational(1, 2), "half order (p = 1/2)")),
    expected=Verdict.HOLDS,
)
