"""001, "Solving for $D$ to Get Langevin": N = Delta t / eta steps of Phi <- Phi - eta D g_hat.

The slide: "Setting Delta t = N eta we get Phi(t + Delta t) = Phi(t) - D g Delta t + sqrt(eta) D
eps sqrt(Delta t), eps ~ N(0, Sigma(Phi))". The derivation sums N updates with the gradient
and the noise covariance frozen over the window (the slides' approximation, first order in
Delta t): the mean is -eta N D g = -D g Delta t and, the N noise terms being independent, the
covariance is eta^2 N D Sigma D^T = eta Delta t D Sigma D^T, which is the law of
sqrt(eta) D eps sqrt(Delta t). D need not be symmetric (the covariance carries D^T).

The simulations run N = 10 steps from a fixed point for a quadratic loss (so the gradient does
change within the window) with a non-symmetric D and correlated noise, and measure the
increment's mean per Delta t and covariance per eta Delta t on a ladder of Delta t, extrapolated
to Delta t -> 0 (the exact N-step law of the linear chain gives the curvature).
"""

import sympy as sp

from derivations.experiments.increments_nd import IncrementSpec, increment_witnesses
from derivations.experiments.settings_nd import H_TILTED, L2, LOSS2, SIGMA_CORR, XI2, Y, loss_2d
from derivations.fokker_planck_nd import step_moments
from derivations.model import (Claim, Comparison, Derivation, Equivalence, Mutant, Relation, Source,
                               Statement, Step, Verdict, single_case)
from derivations.symbols import DT, ETA, X, dt, eta, positive, real, x, y

d11, d12, d21, d22 = sp.symbols("d_11 d_12 d_21 d_22", real=True)
c11, c22 = sp.symbols("c_11 c_22", positive=True)
c21 = sp.Symbol("c_21", real=True)
N = sp.Symbol("N", positive=True, integer=True)
D = sp.Matrix([[d11, d12], [d21, d22]])
C = sp.Matrix([[c11, 0], [c21, c22]])
SIGMA = C * C.T
G = sp.Matrix([sp.diff(L2(x, y), x), sp.diff(L2(x, y), y)])
PARAMS = tuple(real(s, sp.latex(s), "preconditioner entry", (-1.0, 1.0)) for s in (d11, d12, d21, d22)) + (
    positive(c11, "c_{11}", "noise factor entry", (0.5, 2.0)),
    real(c21, "c_{21}", "noise factor entry", (-1.0, 1.0)),
    positive(c22, "c_{22}", "noise factor entry", (0.5, 2.0)))


def _moments(mean: sp.Matrix, cov: sp.Matrix) -> sp.Matrix:
    return sp.Matrix([mean[0], mean[1], cov[0, 0], cov[0, 1], cov[1, 1]])


QUOTE = (r"\Phi(t + \Delta t) = \Phi(t) - Dg\Delta t + \sqrt{\eta}D\epsilon\sqrt{\Delta t}, "
         r"\quad \epsilon \sim \mathcal{N}(0, \Sigma(\Phi))")
_Dm, _g, _e = sp.MatrixSymbol("D", 2, 2), sp.MatrixSymbol("g", 2, 1), sp.MatrixSymbol(r"\epsilon", 2, 1)
_P = sp.Function(r"\Phi")
ENCODING = sp.Eq(sp.Symbol(r"\Phi(t+\Delta t) - \Phi(t)"),
                 -_Dm * _g * dt + sp.sqrt(eta) * sp.sqrt(dt) * _Dm * _e)
#: The statement's moments: mean per Delta t, covariance per eta Delta t.
STATED = _moments(-D * G, D * SIGMA * D.T)


def derive() -> Derivation:
    one = -eta * D * (G + C * sp.Matrix(XI2))
    m1, v1 = step_moments(one, XI2)
    mean, cov = N * m1, N * v1  # independent draws, frozen g and Sigma over the window
    deltat = N * eta
    result = sp.simplify(_moments(mean / deltat, cov / (eta * deltat)))
    diff = sp.simplify(STATED - result)
    ok = all(e == 0 for e in diff)
    return Derivation(result, (
        Step("One update Phi' = Phi - eta D (g + C xi), Sigma = C C^T", sp.Eq(sp.Symbol(r"\Delta"), one)),
        Step("Its mean and covariance", sp.Tuple(m1, v1)),
        Step("N updates with g, Sigma frozen: mean N m, covariance N v (independent draws)",
             sp.Tuple(mean, cov)),
        Step("Per Delta t = N eta (mean) and per eta Delta t (covariance)", result)),
        comparison=Comparison(Equivalence.PROVED if ok else Equivalence.REFUTED,
                              "symbolic: the statement's moments minus the N-step moments",
                              "equal to first order in Delta t" if ok else sp.sstr(diff.T)))


_C0 = SIGMA_CORR.cholesky(hermitian=False)
_VALUES = {d11: 1.0, d12: 0.4, d21: 0.1, d22: 0.6, c11: float(_C0[0, 0]), c21: float(_C0[1, 0]),
           c22: float(_C0[1, 1])}
_N = 10
SPEC = IncrementSpec(
    label="N = 10 steps of eta D g_hat, non-symmetric D, correlated noise, tilted quadratic",
    update=-eta * D * (G + C * sp.Matrix(XI2)), state=(x, y), draws=XI2,
    functions={L2: loss_2d((sp.Matrix([x, y]).T * H_TILTED * sp.Matrix([x, y]))[0] / 2, x, y)},
    start=(1.0, -0.5), n_steps=_N,
    rungs=tuple({dt: h, eta: h / _N, **_VALUES} for h in (0.05, 0.1, 0.15)), ladder=dt, eta=eta,
    budgets={"quick": 20_000, "full": 200_000})

CLAIM = Claim(
    id="001-solving-for-d-increment",
    title="N = Delta t/eta preconditioned steps: Phi(t+Delta t) = Phi(t) - D g Delta t + sqrt(eta) D eps sqrt(Delta t)",
    source=Source("001_f7b24b47ec34203a.txt", "Solving for $D$ to Get Langevin"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=ENCODING, result=STATED, latex_names=None,
                        parse_note="a stochastic update with a distribution clause; compared through "
                                   "its mean and covariance"),
    setting=(X, Y, ETA, DT, LOSS2, *PARAMS),
    assumptions=(r"\Phi_{i+1} = \Phi_i - \eta D \hat g_i, \hat g - g \sim N(0, \Sigma)",
                 r"\Delta t = N\eta small: g and \Sigma frozen over the window (first order in \Delta t)"),
    relation=Relation.CUSTOM,
    variables=(x, y),
    cases=single_case(derive, increment_witnesses(SPEC)),
    mutants=(Mutant("noise without D (covariance Sigma)", lambda d: _moments(sp.Matrix(d[:2]), SIGMA)),
             Mutant("covariance D Sigma D (no transpose)",
                    lambda d: _moments(sp.Matrix(d[:2]), D * SIGMA * D)),
             Mutant("drift without D (mean -g)", lambda d: sp.Matrix([-G[0], -G[1], *d[2:]]))),
    expected=Verdict.HOLDS,
    notes="Holds to first order in Delta t; the noise's covariance is eta Delta t D Sigma D^T.",
)
