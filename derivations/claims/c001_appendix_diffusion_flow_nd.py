"""001, "Appendix: Diffusion Flow" (last slide): in several dimensions, diffusion flow = -(1/2) Sigma grad p.

The slide: "For dimension larger than 1 we have Diffusion flow = -(1/2) Sigma grad_x p_x, where
Sigma = E (g_hat - g)(g_hat - g)^T is the covariance matrix of the gradient noise." The
appendix derived the 1-D flow for the step x(t + dt) = x(t) + sigma eps sqrt(dt); the
derivation here takes the n-D step's moments and builds the Ito current
J = -(1/2) div(D p) with D the noise covariance per unit time, in three settings:

- the appendix's own step with a constant matrix sigma: D = sigma sigma^T, and the flow is
  -(1/2) sigma sigma^T grad p: the statement with Sigma = sigma sigma^T;
- SGD's gradient noise (the slide's identification): Phi' = Phi - eta g_hat with noise
  covariance Sigma per step of time eta: D = eta Sigma, the flow is -(1/2) eta Sigma grad p;
  the slide's -(1/2) Sigma grad p misses the factor eta (the 2023 deck's own "Solving for D"
  slides carry it);
- a covariance that depends on x: the flow is -(1/2) div(Sigma(x) p), which differs from
  -(1/2) Sigma(x) grad p by -(1/2) p div Sigma.

All three are in scope (the slide names Sigma the gradient-noise covariance, which varies with
the parameters in general): CONDITIONAL. The simulations measure the current one pure-noise
step carries from Gaussian particles, tested against constant and linear fields.
"""

import math

import sympy as sp

from derivations.experiments.flux_1d import FluxBudget
from derivations.experiments.flux_nd import DENSITY, TEST_FIELDS, FlowSpecND, flow_witnesses
from derivations.experiments.settings_nd import SIGMA_CORR, XI2, Y, function2
from derivations.fokker_planck_nd import current, sde_coefficients
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Relation, Source,
                               Statement, Step, Verdict)
from derivations.mutants import scaled
from derivations.symbols import DT, ETA, SIGMA, X, dt, eta, positive, real, sigma, x, y

p = DENSITY(x, y)
S11, S12, S22 = (sp.Function(n) for n in ("Sigma_11", "Sigma_12", "Sigma_22"))
SIGMA_FN = sp.Matrix([[S11(x, y), S12(x, y)], [S12(x, y), S22(x, y)]])
GRAD_P = sp.Matrix([sp.diff(p, x), sp.diff(p, y)])
STATED = -SIGMA_FN * GRAD_P / 2

QUOTE = r"\text{Diffusion flow} = -\frac{1}{2} \Sigma \nabla_x p_x"
ENCODING = sp.Eq(sp.Symbol(r"\text{Diffusion flow}"),
                 -sp.MatrixSymbol(r"\Sigma", 2, 2) * sp.MatrixSymbol(r"\nabla_x p_x", 2, 1) / 2)

m11, m22 = sp.symbols("m_11 m_22", positive=True)
m21 = sp.Symbol("m_21", real=True)
MATRIX = sp.Matrix([[m11, 0], [m21, m22]])  # the step's noise matrix sigma (or the noise factor C)
level = sp.Function("s", positive=True)
PARAMS = (positive(m11, "m_{11}", "noise matrix entry", (0.5, 2.0)),
          real(m21, "m_{21}", "noise matrix entry", (-1.0, 1.0)),
          positive(m22, "m_{22}", "noise matrix entry", (0.5, 2.0)),
          *(function2(f, rf"\Sigma_{{{n}}}", "an entry of Sigma", degree=2) for f, n in
            ((S11, "11"), (S12, "12"), (S22, "22"))),
          function2(level, "s", "noise level, sigma(x) = s(x) sigma", positive_values=True))

#: The appendix's step with a matrix sigma, and with a level s(x); SGD's pure-noise step.
APPENDIX_STEP = MATRIX * sp.Matrix(XI2) * sp.sqrt(dt)
VARYING_STEP = level(x, y) * MATRIX * sp.Matrix(XI2) * sp.sqrt(dt)
SGD_NOISE_STEP = -eta * sigma * MATRIX * sp.Matrix(XI2)


def _derive(update, tau, sigma_of_case: sp.Matrix, what: str) -> Derivation:
    b, D = sde_coefficients(update, XI2, tau)
    J = sp.simplify(current(b, D, p, (x, y)))
    stated = STATED.subs({S11(x, y): sigma_of_case[0, 0], S12(x, y): sigma_of_case[0, 1],
                          S22(x, y): sigma_of_case[1, 1]})
    diff = sp.simplify(stated - J)
    ok = all(e == 0 for e in diff)
    return Derivation(J, (
        Step(f"One step ({what})", sp.Eq(sp.Symbol(r"\Delta"), update)),
        Step("Noise covariance per unit time D (no drift)", sp.Eq(sp.Symbol("D"), D)),
        Step("Ito current J = -(1/2) div(D p)", sp.Eq(sp.Symbol("J"), J)),
        Step("Sigma in this setting", sp.Eq(sp.Symbol(r"\Sigma"), sigma_of_case)),
        Step("Stated minus derived", diff)),
        comparison=Comparison(Equivalence.PROVED if ok else Equivalence.REFUTED,
                              "symbolic: stated flow minus the Ito current, simplified",
                              f"{what}: " + ("equal" if ok else f"stated - derived = {sp.sstr(diff.T)}")))


def derive_appendix() -> Derivation:
    return _derive(APPENDIX_STEP, dt, MATRIX * MATRIX.T, "x + sigma eps sqrt(dt), Sigma = sigma sigma^T")


def derive_sgd() -> Derivation:
    return _derive(SGD_NOISE_STEP, eta, sigma**2 * MATRIX * MATRIX.T,
                   "SGD noise step, Sigma = gradient-noise covariance, time eta per step")


def derive_varying() -> Derivation:
    return _derive(VARYING_STEP, dt, level(x, y) ** 2 * MATRIX * MATRIX.T,
                   "x + s(x) sigma eps sqrt(dt), Sigma(x) = s(x)^2 sigma sigma^T")


_C0 = SIGMA_CORR.cholesky(hermitian=False)
_M = {m11: float(_C0[0, 0]), m21: float(_C0[1, 0]), m22: float(_C0[1, 1])}
_BUDGETS = {"quick": FluxBudget(32, 20_000), "full": FluxBudget(128, 100_000)}
_u, _v = sp.symbols("u v")


def _sigma_functions(matrix: sp.Matrix) -> dict:
    return {S11: sp.Lambda((_u, _v), matrix[0, 0].subs({x: _u, y: _v})),
            S12: sp.Lambda((_u, _v), matrix[0, 1].subs({x: _u, y: _v})),
            S22: sp.Lambda((_u, _v), matrix[1, 1].subs({x: _u, y: _v}))}


def _spec(label, update, tau, ladder, rungs, sigma_matrix, extra=None) -> FlowSpecND:
    return FlowSpecND(label=label, update=update, state=(x, y), draws=XI2, step_time=tau,
                      functions={**_sigma_functions(sigma_matrix), **(extra or {})},
                      mean=(0.2, -0.1), cov=((1.0, 0.3), (0.3, 0.8)), fields=DIFFUSION_FIELDS,
                      rungs=rungs, ladder=ladder, budgets=_BUDGETS)


#: Linear fields read off the diffusion part (a constant field sees only drift, and these steps
#: have none: its functional is 0 by symmetry).
DIFFUSION_FIELDS = {k: v for k, v in TEST_FIELDS(x, y).items() if k not in ("G = (1, 0)", "G = (0, 1)")}
_LEVEL = 1 + _u**2 / 4 + _v**2 / 8
SPEC_APPENDIX = _spec("x + sigma eps sqrt(dt), sigma a constant matrix", APPENDIX_STEP, dt, dt,
                      tuple({dt: h, **_M} for h in (0.02, 0.04, 0.06)), MATRIX * MATRIX.T)
SPEC_SGD = _spec("SGD pure-noise step -eta g_hat, Sigma = sigma^2 C C^T (eta sigma^2 = 1)",
                 SGD_NOISE_STEP, eta, eta,
                 tuple({eta: h, sigma: math.sqrt(1.0 / h), **_M} for h in (0.01, 0.02, 0.03)),
                 sigma**2 * MATRIX * MATRIX.T)
SPEC_VARYING = _spec("x + s(x) sigma eps sqrt(dt), s = 1 + x^2/4 + y^2/8", VARYING_STEP, dt, dt,
                     tuple({dt: h, **_M} for h in (0.02, 0.04, 0.06)),
                     level(x, y) ** 2 * MATRIX * MATRIX.T, {level: sp.Lambda((_u, _v), _LEVEL)})

CLAIM = Claim(
    id="001-appendix-diffusion-flow-nd",
    title="In several dimensions the diffusion flow is -(1/2) Sigma grad p",
    source=Source("001_f7b24b47ec34203a.txt", "Appendix: Diffusion Flow"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=ENCODING, result=STATED,
                        latex_names=None,
                        parse_note="a matrix-vector product with a text label; encoded by hand"),
    setting=(X, Y, DT, ETA, SIGMA, *PARAMS),
    assumptions=(r"Sigma = E(\hat g - g)(\hat g - g)^T, the gradient-noise covariance (the slide)",
                 "flows per unit time of the process's own clock"),
    relation=Relation.CUSTOM,
    variables=(x, y),
    cases=(
        Case("the appendix's step, constant matrix sigma (Sigma = sigma sigma^T)", derive_appendix,
             flow_witnesses(SPEC_APPENDIX), assumptions=(r"x + \sigma\epsilon\sqrt{\Delta t}, \sigma constant",)),
        Case("SGD's gradient noise, Sigma its covariance", derive_sgd, flow_witnesses(SPEC_SGD),
             assumptions=(r"\Phi - \eta\hat g, time \eta per step",)),
        Case("Sigma depends on x", derive_varying, flow_witnesses(SPEC_VARYING),
             assumptions=(r"\Sigma(x) varies",)),
    ),
    mutants=(scaled(2), scaled(sp.Rational(1, 2))),
    expected=Verdict.CONDITIONAL,
    notes=("Right for the appendix's own process with Sigma = sigma sigma^T, the noise covariance per "
           "unit time. With Sigma the gradient-noise covariance of SGD the flow is -(1/2) eta Sigma "
           "grad p (per unit of t = sum of learning rates), and with a Sigma(x) that varies it is "
           "-(1/2) div(Sigma p)."),
)
