"""000, "Langevin and RMSProp": "RMSProp sets eta_y = eta/sigma_y rather than eta_y = eta'/sigma_y^2."

RMSProp (deck 003) divides each coordinate's step by sqrt(s[i]), s[i] a running average of
g_hat[i]^2, so its effective rate is eta / sqrt(s[i]) with s[i] -> E[g_hat[i]^2] = g[i]^2 +
sigma[i]^2 (the running average of a stationary sequence has that mean). The derivation closes
the loop at stationarity for a quadratic loss of curvature h: E[g_i^2] = h T_i with the
temperature T_i = eta_i sigma_i^2 / 2, so eta_i = eta / (sigma_i sqrt(1 + h eta_i / 2)) =
(eta / sigma_i)(1 - h eta / (4 sigma_i) + ...): eta/sigma_i to leading order in eta, as the
slide says. Under it the temperatures are eta sigma_i / 2, proportional to sigma_i (not Gibbs),
where the rates eta'/sigma_i^2 of the previous slide give one temperature eta'/2.

The simulations run RMSProp (N_s = 100) on x^2/2 + y^2/2 with sigma_x = 2, sigma_y = 1 on a
ladder of eta and measure sqrt(E[s_i]) / sigma_i and T_x / T_y.
"""

import sympy as sp

from derivations.experiments.rmsprop_2d import MonteCarloRMSProp, RMSPropSpec
from derivations.experiments.settings_nd import SIGMA_X, SIGMA_Y, Y
from derivations.experiments.stationary_1d import MonteCarloBudget
from derivations.model import (Claim, Comparison, Confidence, Derivation, Equivalence, Mutant,
                               Reconstruction, Relation,
                               Source, Statement, Step, Verdict, single_case)
from derivations.symbols import ETA, X, eta, sigma_x, sigma_y, x, y

QUOTE = "RMSProp sets 1y = n/oy rather than n, = 7'/o2."
LATEX = r"\eta_y = \eta/\sigma_y \text{ rather than } \eta_y = \eta'/\sigma_y^2"
RATES = sp.Matrix([eta / sigma_x, eta / sigma_y])
h = sp.Symbol("h", positive=True)


def derive() -> Derivation:
    out, steps = [], []
    for s in (sigma_x, sigma_y):
        r = sp.Symbol("r", positive=True)
        # s_i -> E[g_hat_i^2] = E[g_i^2] + sigma_i^2 with E[g_i^2] = h T_i, T_i = r sigma_i^2 / 2.
        fixed_point = sp.Eq(r, eta / sp.sqrt(s**2 + h * r * s**2 / 2))
        # Iterate the fixed point from r = 0: each pass is exact one order further in eta.
        rate = sp.Integer(0)
        for _ in range(3):
            rate = fixed_point.rhs.subs(r, rate)
        series = sp.series(rate, eta, 0, 3).removeO()
        leading = sp.simplify(sp.limit(rate / eta, eta, 0) * eta)
        steps += [Step(f"RMSProp's rate in {s}: fixed point of r = eta / sqrt(E[g_hat^2])", fixed_point),
                  Step("Its expansion in eta (three fixed-point passes)", sp.simplify(series))]
        out.append(leading)
    result = sp.Matrix(out)
    diff = sp.simplify(RATES - result)
    ok = all(e == 0 for e in diff)
    return Derivation(result, (*steps, Step("Leading order in eta", result)),
                      comparison=Comparison(Equivalence.PROVED if ok else Equivalence.REFUTED,
                                            "symbolic: stated rates minus the leading-order rates",
                                            "equal to leading order in eta" if ok else sp.sstr(diff.T)))


SPEC = RMSPropSpec(
    label="RMSProp (N_s = 100) on x^2/2 + y^2/2, sigma_x = 2, sigma_y = 1",
    gradient=sp.Matrix([x, y]), noise=sp.diag(sigma_x, sigma_y), state=(x, y), eta=eta,
    sigmas=(sigma_x, sigma_y), n_s=100.0,
    rungs=tuple({eta: e, sigma_x: 2.0, sigma_y: 1.0} for e in (0.01, 0.02, 0.03)),
    budgets={"quick": MonteCarloBudget(600, 16), "full": MonteCarloBudget(4000, 32)}, curvature=1.0)

CLAIM = Claim(
    id="000-rmsprop-rates",
    title="RMSProp's per-parameter rate is eta/sigma_i (not eta'/sigma_i^2)",
    source=Source("000_9b52c8c934a61faf.txt", "Langevin and RMSProp"),
    statement=Statement(
        quote=QUOTE, latex=LATEX, encoding=sp.Eq(sp.Symbol("eta_y"), eta / sigma_y), result=RATES,
        reconstruction=Reconstruction(
            note=("OCR: '1y = n/oy' is eta_y = eta/sigma_y and 'n, = 7'/o2' is eta_y = eta'/sigma_y^2 "
                  "(the previous slide's rule); the same holds per parameter, so the statement is "
                  "read for both coordinates."),
            confidence=Confidence.HIGH),
        latex_names=None, parse_note="reconstructed from OCR"),
    setting=(X, Y, ETA, SIGMA_X, SIGMA_Y),
    assumptions=("RMSProp as in deck 003: s <- (1 - 1/N_s) s + g_hat^2/N_s, step eta g_hat / sqrt(s + eps)",
                 "stationary regime, gradient noise dominating the mean gradient (small eta)"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=single_case(derive, (MonteCarloRMSProp(SPEC, name=f"Monte Carlo: {SPEC.label}"),)),
    mutants=(Mutant("rates eta/sigma^2 (the Gibbs rule)", lambda d: sp.Matrix([eta / sigma_x**2, eta / sigma_y**2])),
             Mutant("rate eta (plain SGD)", lambda d: sp.Matrix([eta, eta]))),
    expected=Verdict.HOLDS,
    notes=("To leading order in eta (the noise dominating the gradient at stationarity). Under "
           "RMSProp the temperatures are eta sigma_i / 2: proportional to sigma_i, so its stationary "
           "law is not Gibbs, unlike the rates eta'/sigma_i^2."),
)
