"""001, "The Gibbs distribution": "This equation is independent of coordinates."

After cancelling Sigma^{-1}, the slide reaches (1/2) eta grad ln p = -grad L and says the
equation is independent of coordinates. Both sides look like gradients of scalars, but p is a
density: in coordinates psi = G(Phi) the density of the same process is
p_psi = p_Phi / |det dG/dPhi|, so ln p changes by a log-Jacobian. The derivation writes the
equation in psi for the true p_psi and finds the residual

    (1/2) eta grad_psi ln p_psi + grad_psi L = -(1/2) eta (dG/dPhi)^{-T} grad_Phi ln|det dG/dPhi|,

zero exactly when det dG/dPhi is constant: linear (and volume-preserving) changes of
coordinates, not general ones. "Independent of coordinates" unqualified includes nonlinear
reparametrisations, so both are in scope: CONDITIONAL.

The simulations run the adaptive chain (constant correlated Sigma, D = Sigma^{-1}) in Phi and
compare its law with what the equation, imposed in psi, predicts for it: exp(-2L/eta) in psi,
i.e. exp(-2L/eta) |det dG/dPhi| as a density over Phi.
"""

import dataclasses

import sympy as sp

from derivations.experiments.adaptive_2d import (ADAPTIVE_UPDATE, PARAMETERS, adaptive_linear_spec)
from derivations.experiments.settings_nd import L2, LOSS2, XI2, Y, function2
from derivations.experiments.stationary_nd import stationary_nd_witnesses
from derivations.fokker_planck_nd import sde_coefficients, zero_current_density
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Relation, Source,
                               Statement, Step, Verdict)
from derivations.mutants import temperature_scaled
from derivations.symbols import ETA, NORMALISER, X, Z, eta, x, y

QUOTE = "This equation is independent of coordinates."
JDET = sp.Function("J_G", positive=True)
JDET_PARAM = function2(JDET, "|\\det \\partial\\psi/\\partial\\Phi|", "Jacobian determinant of the "
                       "change of coordinates", positive_values=True)
#: What the equation imposed in psi predicts, as a density over Phi.
STATED = sp.exp(-2 * L2(x, y) / eta) * JDET(x, y) / Z

_u, _v = sp.symbols("u v", real=True)
#: psi = G(Phi): a linear map and a nonlinear one (psi_1 = Phi_1 + Phi_1^3/3, psi_2 = Phi_2).
LINEAR = sp.Matrix([[sp.Rational(6, 5), sp.Rational(1, 2)], [-sp.Rational(3, 10), sp.Rational(4, 5)]])
MAPS = {"linear coordinates psi = A Phi": LINEAR * sp.Matrix([x, y]),
        "nonlinear coordinates psi = (Phi_1 + Phi_1^3/3, Phi_2)": sp.Matrix([x + x**3 / 3, y])}


def _derive(name: str) -> Derivation:
    b, D = sde_coefficients(ADAPTIVE_UPDATE, XI2, eta)
    p_phi, _, _, steps = zero_current_density(b, D, (x, y), Z)
    G = MAPS[name]
    JG = G.jacobian(sp.Matrix([x, y]))
    det = sp.simplify(JG.det())
    grad = lambda f: sp.Matrix([sp.diff(f, x), sp.diff(f, y)])  # noqa: E731
    ln_p_psi = sp.expand_log(sp.log(p_phi), force=True) - sp.log(sp.Abs(det))
    residual = sp.simplify(JG.inv().T * (eta / 2 * grad(ln_p_psi) + grad(L2(x, y))))
    ok = all(e == 0 for e in residual)
    return Derivation(p_phi, (
        *steps,
        Step(f"Coordinates ({name})", sp.Eq(sp.Symbol(r"\psi"), G)),
        Step("|det dpsi/dPhi|", det),
        Step("(1/2) eta grad_psi ln p_psi + grad_psi L for the true p_psi = p_Phi / |det|", residual)),
        comparison=Comparison(Equivalence.PROVED if ok else Equivalence.REFUTED,
                              "symbolic: the equation's residual in the new coordinates",
                              f"{name}: residual {sp.sstr(residual.T)}"))


def _case(name: str) -> Case:
    det = sp.simplify(MAPS[name].jacobian(sp.Matrix([x, y])).det())
    base = adaptive_linear_spec()
    spec = dataclasses.replace(base, label=f"{base.label}; equation imposed in {name}",
                               functions={**base.functions,
                                          JDET: sp.Lambda((_u, _v), det.subs({x: _u, y: _v}))},
                               _cache={})
    return Case(name, lambda: _derive(name), stationary_nd_witnesses(spec), assumptions=(name,))


CLAIM = Claim(
    id="001-gibbs-coordinate-independence",
    title="(1/2) eta grad ln p = -grad L holds in every coordinate system",
    source=Source("001_f7b24b47ec34203a.txt", "The Gibbs distribution"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE,
        encoding=sp.Symbol(r"\frac{1}{2}\eta\nabla_\psi \ln p_\psi = -\nabla_\psi\mathcal{L}\ \text{in all coordinates}\ \psi"),
        result=STATED, latex_names=None,
        parse_note="a sentence; encoded as the law the equation predicts when imposed in psi"),
    setting=(X, Y, ETA, NORMALISER, LOSS2, *PARAMETERS, JDET_PARAM),
    assumptions=("the adaptive update with constant Sigma, whose law in Phi is exp(-2L/eta)",
                 "p_psi: the density of the same process in the coordinates psi"),
    relation=Relation.CUSTOM,
    variables=(x, y),
    cases=tuple(_case(name) for name in MAPS),
    mutants=(temperature_scaled(2), temperature_scaled(sp.Rational(1, 2))),
    expected=Verdict.CONDITIONAL,
    notes=("Both sides are dual vectors, but ln p is not a scalar: a change of coordinates adds "
           "ln|det|, so the equation survives only maps with constant Jacobian determinant "
           "(linear or volume-preserving)."),
)
