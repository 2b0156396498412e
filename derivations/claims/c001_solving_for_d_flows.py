"""001, "Solving for D": gradient flow = -p D g, diffusion flow = -(1/2) eta D Sigma(Phi) D grad p.

For Phi <- Phi - eta D g_hat the slides give the two flows per unit time (t = n eta). The
derivation takes the update's per-step moments with a fully symbolic symmetric D, a general
noise factor C (Sigma = sigma^2 s(Phi)^2 C C^T, any SPD matrix times a state-dependent level
s(Phi)) and a general loss, and builds the Ito current J = b p - (1/2) div(D_eff p) with
b = -D grad L and D_eff = eta D Sigma(Phi) D:

- the gradient flow b p = -p D g is exact;
- the diffusion flow is -(1/2) eta div(D Sigma(Phi) D p), which equals the slide's
  -(1/2) eta D Sigma D grad p only when D Sigma(Phi) D is constant; with Sigma(Phi) it misses
  -(1/2) eta p div(D Sigma(Phi) D).

The slide writes Sigma(Phi), so both settings are in scope: CONDITIONAL. The simulations measure the current
one SGD step carries from Gaussian particles, tested against constant and linear fields
(int J . G dx; a linear G reads off each entry of the diffusion part), per unit time, on a
ladder of eta at fixed eta sigma^2.
"""

import math

import sympy as sp

from derivations.experiments.flux_1d import FluxBudget
from derivations.experiments.flux_nd import DENSITY, TEST_FIELDS, FlowSpecND, flow_witnesses
from derivations.experiments.settings_nd import H_TILTED, L2, LOSS2, SIGMA_CORR, XI2, Y, function2, loss_2d
from derivations.fokker_planck_nd import current, sde_coefficients
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Mutant, Relation,
                               Source, Statement, Step, Verdict)
from derivations.symbols import ETA, SIGMA, X, eta, positive, real, sigma, x, y

d11, d22 = sp.symbols("d_11 d_22", positive=True)
d12 = sp.Symbol("d_12", real=True)
c11, c22 = sp.symbols("c_11 c_22", positive=True)
c21 = sp.Symbol("c_21", real=True)
s_fn = sp.Function("s", positive=True)
D_SYM = sp.Matrix([[d11, d12], [d12, d22]])
C_SYM = sp.Matrix([[c11, 0], [c21, c22]])
PARAMS = (positive(d11, "d_{11}", "preconditioner entry", (0.5, 2.0)),
          real(d12, "d_{12}", "preconditioner entry", (-0.4, 0.4)),
          positive(d22, "d_{22}", "preconditioner entry", (0.5, 2.0)),
          positive(c11, "c_{11}", "noise factor entry", (0.5, 2.0)),
          real(c21, "c_{21}", "noise factor entry", (-1.0, 1.0)),
          positive(c22, "c_{22}", "noise factor entry", (0.5, 2.0)),
          function2(s_fn, "s", "state-dependent noise level, Sigma(Phi) = sigma^2 s^2 C C^T",
                    positive_values=True))

p = DENSITY(x, y)
G = sp.Matrix([sp.diff(L2(x, y), x), sp.diff(L2(x, y), y)])
SIGMA_PHI = sigma**2 * s_fn(x, y) ** 2 * C_SYM * C_SYM.T
GRADIENT_FLOW = -p * D_SYM * G
STATED = GRADIENT_FLOW - eta / 2 * D_SYM * SIGMA_PHI * D_SYM * sp.Matrix([sp.diff(p, x), sp.diff(p, y)])
UPDATE_VARIABLE = -eta * D_SYM * (G + sigma * s_fn(x, y) * C_SYM * sp.Matrix(XI2))
UPDATE_CONSTANT = UPDATE_VARIABLE.subs(s_fn(x, y), 1)

QUOTE = (r"\text{gradient flow} = -pDg$$ $$\text{diffusion flow} = "
         r"-\frac{1}{2}\eta D\Sigma(\Phi)D\nabla_{\Phi}p")
_D, _S = sp.MatrixSymbol("D", 2, 2), sp.MatrixSymbol(r"\Sigma(\Phi)", 2, 2)
_g, _gp = sp.MatrixSymbol("g", 2, 1), sp.MatrixSymbol(r"\nabla_{\Phi} p", 2, 1)
ENCODING = sp.Tuple(sp.Eq(sp.Symbol(r"\text{gradient flow}"), -sp.Symbol("p") * _D * _g),
                    sp.Eq(sp.Symbol(r"\text{diffusion flow}"), -eta / 2 * _D * _S * _D * _gp))


def _derive(update, stated, what) -> Derivation:
    b, Deff = sde_coefficients(update, XI2, eta)
    J = sp.simplify(current(b, Deff, p, (x, y)))
    diff = sp.simplify(stated - J)
    ok = all(e == 0 for e in diff)
    detail = (f"{what}: the Ito current equals the slides' flows" if ok else
              f"{what}: stated - derived = {sp.sstr(diff.T)} (the term (1/2) eta p div(D Sigma D))")
    return Derivation(J, (
        Step(f"SGD step with preconditioner D ({what})", sp.Eq(sp.Symbol(r"\Delta"), update)),
        Step("Drift and diffusion per unit time t = n eta", sp.Tuple(b, Deff)),
        Step("Ito current J = b p - (1/2) div(D_eff p)", sp.Eq(sp.Symbol("J"), J)),
        Step("The slides' flows minus the current", diff)),
        comparison=Comparison(Equivalence.PROVED if ok else Equivalence.REFUTED,
                              "symbolic: stated flows minus the Ito current, simplified", detail))


def derive_constant() -> Derivation:
    return _derive(UPDATE_CONSTANT, STATED.subs(s_fn(x, y), 1), "Sigma constant")


def derive_variable() -> Derivation:
    return _derive(UPDATE_VARIABLE, STATED, "Sigma(Phi) = sigma^2 s(Phi)^2 C C^T")


_C0 = SIGMA_CORR.cholesky(hermitian=False)
_VALUES = {d11: 1.0, d12: 0.3, d22: 0.6, c11: float(_C0[0, 0]), c21: float(_C0[1, 0]),
           c22: float(_C0[1, 1])}
_BUDGETS = {"quick": FluxBudget(32, 20_000), "full": FluxBudget(128, 100_000)}
_u, _v = sp.symbols("u v")


def _spec(label, level) -> FlowSpecND:
    return FlowSpecND(
        label=label, update=UPDATE_VARIABLE, state=(x, y), draws=XI2, step_time=eta,
        functions={L2: loss_2d((sp.Matrix([x, y]).T * H_TILTED * sp.Matrix([x, y]))[0] / 2, x, y),
                   s_fn: sp.Lambda((_u, _v), level)},
        mean=(0.2, -0.1), cov=((1.0, 0.3), (0.3, 0.8)), fields=TEST_FIELDS(x, y),
        rungs=tuple({eta: h, sigma: math.sqrt(1.0 / h), **_VALUES} for h in (0.01, 0.02, 0.03)),
        ladder=eta, budgets=_BUDGETS)


SPEC_CONSTANT = _spec("SGD step, D and Sigma constant (correlated, not commuting), tilted quadratic",
                      sp.Integer(1))
SPEC_VARIABLE = _spec("SGD step, Sigma(Phi) = sigma^2 (1 + x^2/4 + y^2/8)^2 C C^T, tilted quadratic",
                      1 + _u**2 / 4 + _v**2 / 8)

CLAIM = Claim(
    id="001-solving-for-d-flows",
    title="Flows of preconditioned SGD: -p D g and -(1/2) eta D Sigma D grad p",
    source=Source("001_f7b24b47ec34203a.txt", "Solving for $D$"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=ENCODING, result=STATED,
                        latex_names=None,
                        parse_note="two labelled vector equations of matrices; encoded by hand"),
    setting=(X, Y, ETA, SIGMA, LOSS2, *PARAMS),
    assumptions=(r"\Phi_{i+1} = \Phi_i - \eta D \hat g_i, D symmetric",
                 r"flows per unit time t = \sum \eta; \hat g - g \sim N(0, \Sigma(\Phi))"),
    relation=Relation.CUSTOM,
    variables=(x, y),
    cases=(
        Case("D Sigma D constant", derive_constant, flow_witnesses(SPEC_CONSTANT),
             assumptions=(r"\Sigma constant",)),
        Case("Sigma depends on Phi", derive_variable, flow_witnesses(SPEC_VARIABLE),
             assumptions=(r"\Sigma(\Phi) varies",)),
    ),
    mutants=(Mutant("diffusion flow x 2", lambda d: 2 * d - GRADIENT_FLOW),
             Mutant("gradient flow without D", lambda d: d - GRADIENT_FLOW - p * G)),
    expected=Verdict.CONDITIONAL,
    notes=("The diffusion flow is -(1/2) eta div(D Sigma(Phi) D p) (Ito). It equals the slide's "
           "-(1/2) eta D Sigma D grad p only when D Sigma(Phi) D is constant; otherwise add "
           "-(1/2) eta p div(D Sigma(Phi) D)."),
)
