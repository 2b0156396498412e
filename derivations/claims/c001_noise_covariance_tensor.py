"""001, "Coordinate Independent Formulation of Gradient Noise": Sigma maps primal vectors to dual vectors.

The slide: "The gradient noise covariance matrix Sigma(Phi) defines a linear map from the primal
vectors to dual vectors (independent of coordinates). Sigma(Phi) Delta Phi = E (g_hat - g)((g_hat
- g)^T Delta Phi)." A map from primal (displacements) to dual (gradients) vectors is a (0,2)
tensor: in coordinates psi with Phi = F(psi), Jacobian J, it must read Sigma_psi = J^T Sigma_Phi J,
so that Sigma_psi Delta psi = J^T (Sigma_Phi Delta Phi) transforms as a gradient when
Delta Phi = J Delta psi.

The derivation does not assume that rule: it differentiates the per-example loss of linear
regression in the psi coordinates themselves (chain rule by sympy), takes the covariance of
those gradients over examples (Isserlis), and compares with J^T Sigma_Phi(F(psi)) J, for a
linear and a nonlinear F. The simulation samples examples at a point psi_0 and measures the
covariance of the psi-gradients. Mutants: the (2,0) rule J^{-1} Sigma J^{-T} (what a map from
dual to primal vectors would obey) and an "invariant" Sigma that ignores the coordinates.
"""

import sympy as sp

from derivations.experiments.noise_2d import (LINEAR_MAP, NONLINEAR_MAP, PSI, PSI0, F1, F2,
                                              NoiseSpec, concrete_map, covariance_statistics,
                                              generic_map, noise_witnesses, psi1, psi2, psi_moments)
from derivations.experiments.settings_nd import function2
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Relation, Source,
                               Statement, Step, Verdict)
from derivations.mutants_nd import fixed
from derivations.symbols import real

QUOTE = r"\Sigma(\Phi)\Delta\Phi = E_{\hat{g}} (\hat{g} - g)((\hat{g} - g)^\top \Delta\Phi)"
PSI_PARAMS = (real(psi1, r"\psi_1", "coordinate of the new system"),
              real(psi2, r"\psi_2", "coordinate of the new system"),
              function2(F1, "F_1", "coordinate map Phi = F(psi), first component"),
              function2(F2, "F_2", "coordinate map Phi = F(psi), second component"))


def entries(M: sp.Matrix) -> sp.Matrix:
    return sp.Matrix([M[0, 0], M[0, 1], M[1, 1]])


def sigma_phi(phi: sp.Matrix) -> sp.Matrix:
    """Sigma_Phi at the point phi: (1 + |phi|^2) I + phi phi^T (linear-regression noise)."""
    return (1 + phi[0] ** 2 + phi[1] ** 2) * sp.eye(2) + phi * phi.T


F = generic_map()
J = F.jacobian(sp.Matrix(PSI))
STATED = entries(J.T * sigma_phi(F) * J)


def _sigma_psi(mapping) -> tuple[sp.Matrix, sp.Matrix]:
    g_hat, _, S_psi = psi_moments(mapping)
    return g_hat, S_psi


def _derive(mapping, what) -> Derivation:
    g_hat, S_psi = _sigma_psi(mapping)
    Fc = concrete_map(mapping)
    Jc = Fc.jacobian(sp.Matrix(PSI))
    law = Jc.T * sigma_phi(Fc) * Jc
    diff = (S_psi - law).applyfunc(sp.simplify)
    ok = all(e == 0 for e in diff)
    dpsi = sp.Matrix(sp.symbols("dpsi_1 dpsi_2", real=True))
    pairing = sp.simplify(S_psi * dpsi - Jc.T * (sigma_phi(Fc) * (Jc * dpsi)))
    return Derivation(entries(S_psi), (
        Step(f"Coordinates ({what}): Phi = F(psi)", sp.Eq(sp.Symbol(r"\Phi"), Fc)),
        Step("Per-example gradient computed in psi (chain rule by differentiation)", g_hat),
        Step("Its covariance over examples (Isserlis)", sp.Eq(sp.Symbol(r"\Sigma_\psi"), S_psi)),
        Step("Minus J^T Sigma_Phi(F(psi)) J", diff),
        Step("Sigma_psi dpsi - J^T (Sigma_Phi (J dpsi)): the image of a displacement is a dual vector",
             pairing)),
        comparison=Comparison(Equivalence.PROVED if ok else Equivalence.REFUTED,
                              "symbolic: covariance of the psi-gradients minus J^T Sigma J",
                              f"{what}: " + ("Sigma_psi = J^T Sigma_Phi J, a (0,2) tensor" if ok
                                             else sp.sstr(diff))))


def _predict_with(mapping):
    def predict(h, values):
        e = sp.Matrix(h).replace(F1, mapping[F1]).replace(F2, mapping[F2]).doit()
        return [float(v.subs({k: sp.Float(val, 30) for k, val in values.items()})) for v in e]
    return predict


def _spec(mapping, what) -> NoiseSpec:
    g_hat, _ = _sigma_psi(mapping)
    return NoiseSpec(label=f"psi-gradients of linear-regression examples, {what}, psi_0 = (0.5, -0.6)",
                     quantities=tuple(g_hat), values=PSI0, statistics=covariance_statistics(2),
                     predict=_predict_with(mapping), budgets={"quick": (64, 4000), "full": (256, 20000)})


def _case(mapping, what):
    return Case(what, lambda: _derive(mapping, what), noise_witnesses(_spec(mapping, what)),
                assumptions=(what,))


CLAIM = Claim(
    id="001-noise-covariance-tensor",
    title="The gradient-noise covariance maps primal to dual vectors: Sigma_psi = J^T Sigma_Phi J",
    source=Source("001_f7b24b47ec34203a.txt", "Coordinate Independent Formulation of Gradient Noise"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE,
        encoding=sp.Eq(sp.MatrixSymbol(r"\Sigma(\Phi)", 2, 2) * sp.MatrixSymbol(r"\Delta\Phi", 2, 1),
                       sp.Symbol(r"E_{\hat g}(\hat g - g)((\hat g - g)^T \Delta\Phi)")),
        result=STATED, latex_names=None,
        parse_note=("an expectation identity whose content, with the slide's words 'a linear map from "
                    "primal to dual vectors', is the (0,2) transformation rule, encoded by hand")),
    setting=PSI_PARAMS,
    assumptions=("gradient noise of linear regression (examples a ~ N(0, I), b ~ N(0, 1))",
                 "coordinates psi with Phi = F(psi); gradients taken in psi"),
    relation=Relation.CUSTOM,
    variables=PSI,
    cases=(_case(LINEAR_MAP, "linear coordinates Phi = A psi"),
           _case(NONLINEAR_MAP, "nonlinear coordinates Phi = (psi_1 + psi_2^2/2, psi_2 + psi_1^3/3)")),
    mutants=(fixed("(2,0) rule J^{-1} Sigma J^{-T}", entries(J.inv() * sigma_phi(F) * J.inv().T)),
             fixed("invariant Sigma (coordinates ignored)", entries(sigma_phi(F)))),
    expected=Verdict.HOLDS,
    notes="Holds pointwise for any smooth change of coordinates (J is the Jacobian at the point).",
)
