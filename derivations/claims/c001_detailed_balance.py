"""001, "Solving for D": "Detailed Balance", (1/2) eta D Sigma D grad p = -p D grad L, met by D = Sigma^{-1}.

The slides ask for the stationary flows to cancel pointwise (zero probability current,
detailed balance) rather than merely to have zero divergence (stationarity), and then set
D = Sigma^{-1}. What is checkable: the stationary law of Phi <- Phi - eta Sigma^{-1} g_hat
carries no probability current. (Whether the slide's *expression* for the diffusion flow is
right when Sigma depends on Phi is judged by 001-solving-for-d-flows; here the current is the
true Ito current.) The derivation builds the n-D Fokker-Planck current from the update's
moments and asks whether a zero-current law exists (curl of D^{-1}(2b - div D) = 0):

- D = Sigma^{-1}, Sigma constant (fully symbolic, any L): yes, exp(-2L/eta);
- D = Sigma(Phi)^{-1} with Sigma(Phi) = k(Phi) Sigma (any L, any k): yes, k exp(-2L/eta);
- out of scope, to show that detailed balance is a real condition and not a consequence of
  stationarity: plain SGD (D = I) with a tilted Hessian and correlated noise: no zero-current
  law; the stationary law carries a rotating current.

The simulations measure the circulation int J . (-y, x) dx of the stationary current by the
midpoint rule along the chains (0 under detailed balance), beside the temperatures.
"""

import sympy as sp

from derivations.experiments.adaptive_2d import (ADAPTIVE_UPDATE, K_PARAMETER, MODULATED_UPDATE,
                                                 PARAMETERS, adaptive_linear_spec,
                                                 adaptive_modulated_spec)
from derivations.experiments.settings_nd import (BUDGETS_LINEAR, H_TILTED, LOSS2, SIGMA_CORR, XI2,
                                                 Y)
from derivations.experiments.stationary_nd import (CIRCULATION, CURRENT_SYMBOL, ZERO_CURRENT,
                                                   StationarySpecND,
                                                   configurational_temperatures,
                                                   stationary_nd_witnesses)
from derivations.fokker_planck_nd import current, lyapunov_symbolic, sde_coefficients, zero_current_density
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Relation,
                               Source, Statement, Step, Verdict)
from derivations.mutants import temperature_scaled
from derivations.symbols import ETA, NORMALISER, SIGMA, X, Z, eta, real, sigma, x, y

QUOTE = r"\frac{1}{2}\eta D\Sigma(\Phi)D\nabla_{\Phi} p = -pD\nabla_{\Phi}\mathcal{L}"
_D, _S = sp.MatrixSymbol("D", 2, 2), sp.MatrixSymbol(r"\Sigma", 2, 2)
_gp, _gL = sp.MatrixSymbol(r"\nabla p", 2, 1), sp.MatrixSymbol(r"\nabla \mathcal{L}", 2, 1)
_p = sp.Symbol("p")
ENCODING = sp.Eq(eta / 2 * _D * _S * _D * _gp, -_p * _D * _gL)

PHI = sp.Matrix([x, y])
CHOL = SIGMA_CORR.cholesky(hermitian=False)
PLAIN_UPDATE = -eta * (H_TILTED * PHI + sigma * CHOL * sp.Matrix(XI2))


def _zero_current(update, what: str) -> Derivation:
    b, D = sde_coefficients(update, XI2, eta)
    density, F, curls, steps = zero_current_density(b, D, (x, y), Z)
    ok = density is not None
    detail = (f"{what}: a law with J = 0 exists ({sp.sstr(density)}); being stationary, it is the "
              "stationary law" if ok else f"{what}: curl {sp.sstr(curls[0])} != 0, no law has J = 0")
    if not ok:  # the stationary law of the linear case, from the Lyapunov equation
        S = sp.simplify(lyapunov_symbolic(-b.jacobian(PHI), D))
        density = sp.exp(-sp.simplify((PHI.T * S.inv() * PHI)[0]) / 2) / Z
        J = current(b, D, density, (x, y))
        steps = (*steps, Step("Stationary covariance (Lyapunov) and its current, which does not vanish",
                              sp.Tuple(S, sp.simplify(J / density))))
    return Derivation(density, (Step(f"{what}: drift and diffusion per unit time", sp.Tuple(b, D)),
                                *steps),
                      comparison=Comparison(Equivalence.PROVED if ok else Equivalence.REFUTED,
                                            "zero-current test on the n-D Fokker-Planck current", detail))


def derive_constant() -> Derivation:
    return _zero_current(ADAPTIVE_UPDATE, "D = Sigma^{-1}, Sigma constant")


def derive_modulated() -> Derivation:
    return _zero_current(MODULATED_UPDATE, "D = Sigma(Phi)^{-1}, Sigma(Phi) = k(Phi) Sigma")


def derive_plain() -> Derivation:
    return _zero_current(PLAIN_UPDATE, "D = I (plain SGD), tilted Hessian, correlated noise")


_OBS, _STATS = configurational_temperatures((PHI.T * H_TILTED * PHI)[0] / 2, (x, y), pooled=True)
SPEC_PLAIN = StationarySpecND(
    label="plain SGD (D = I), tilted quadratic, correlated noise (eta = 0.05, sigma^2 = 10)",
    update=PLAIN_UPDATE, state=(x, y), draws=XI2, step_time=eta, functions={},
    rungs=({eta: 0.05, sigma: 10**0.5},), observables=_OBS, statistics=_STATS + (CIRCULATION[1],),
    currents={"circulation": (-y, x)}, budgets=BUDGETS_LINEAR, bias="exact-linear",
    domain=((-4.0, 4.0), (-4.0, 4.0)))

CLAIM = Claim(
    id="001-solving-for-d-detailed-balance",
    title="With D = Sigma^{-1} the stationary law satisfies detailed balance (zero current)",
    source=Source("001_f7b24b47ec34203a.txt", "Solving for $D$"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=ENCODING, result=ZERO_CURRENT,
                        latex_names=None,
                        parse_note="a vector equation of matrices; encoded with matrix symbols, and "
                                   "checked as the property it names: the stationary current J = 0"),
    setting=(X, Y, ETA, SIGMA, NORMALISER, LOSS2, *PARAMETERS, K_PARAMETER,
             real(CURRENT_SYMBOL, "J", "the stationary probability current (a vector field)")),
    assumptions=(r"\Phi_{i+1} = \Phi_i - \eta D \hat g_i with D = \Sigma(\Phi)^{-1} (the slides' choice)",
                 "detailed balance = zero probability current of the stationary law"),
    relation=Relation.CUSTOM,
    variables=(x, y),
    cases=(
        Case("D = Sigma^{-1}, Sigma constant", derive_constant,
             stationary_nd_witnesses(adaptive_linear_spec()), assumptions=(r"\Sigma constant",)),
        Case("D = Sigma(Phi)^{-1}, Sigma(Phi) = k Sigma", derive_modulated,
             stationary_nd_witnesses(adaptive_modulated_spec()), assumptions=(r"\Sigma(\Phi)",)),
        Case("D = I (plain SGD), Hessian not commuting with Sigma", derive_plain,
             stationary_nd_witnesses(SPEC_PLAIN), assumptions=("D not Sigma^{-1}",), in_scope=False),
    ),
    mutants=(temperature_scaled(2), temperature_scaled(sp.Rational(1, 2))),
    expected=Verdict.HOLDS,
    notes=("Zero current is stronger than stationarity: with D = I, a Hessian that does not "
           "commute with Sigma leaves a stationary law whose current circulates. Choosing "
           "D = Sigma^{-1} removes it (also when Sigma depends on Phi, though the law is then "
           "not Gibbs: see 001-adaptive-gibbs)."),
)
