"""001, "Langevin-Adaptive SGD": D maps dual vectors to primal vectors, with a meaning free of coordinates.

The slide: "Consider SGD where the update direction is determined by a matrix D, Phi <- Phi -
eta D g_hat. D defines a linear map from dual vectors to primal vectors. The function defined by
D has a meaning indepent of the choice of coordinates." For the Langevin-adaptive choice
D = Sigma^{-1} that the deck goes on to make, this is checkable: computed in coordinates psi
(Phi = F(psi), Jacobian J) from the psi-gradients' own covariance, D_psi = Sigma_psi^{-1} =
J^{-1} Sigma_Phi^{-1} J^{-T} (a (2,0) tensor), so the step direction -D_psi g_psi mapped back by J
is the same primal vector -Sigma_Phi^{-1} g_Phi as computed in Phi.

The derivation takes the gradient and its covariance in psi for linear-regression examples
(chain rule by differentiation, Isserlis) and maps the adaptive direction back. The simulation
does what an adaptive optimiser does: per chain it estimates g_psi and Sigma_psi from sampled
examples in psi coordinates, forms -Sigma_psi_hat^{-1} g_psi_hat and maps it by J. Mutants: a D
whose matrix is the same in every coordinate system, and a D transformed like Sigma ((0,2)).
"""

import sympy as sp

from derivations.experiments.noise_2d import (LINEAR_MAP, NONLINEAR_MAP, PSI, PSI0, F1, F2, NoiseSpec,
                                              concrete_map, generic_map, noise_witnesses, psi1, psi2,
                                              psi_moments)
from derivations.experiments.settings_nd import function2
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Relation, Source,
                               Statement, Step, Verdict)
from derivations.mutants_nd import fixed
from derivations.symbols import real

QUOTE = ("$D$  defines a linear map from dual vectors to primal vectors.\n\nThe function defined by  "
         "$D$  has a meaning indepent of the choice of coordinates.")
PSI_PARAMS = (real(psi1, r"\psi_1", "coordinate of the new system"),
              real(psi2, r"\psi_2", "coordinate of the new system"),
              function2(F1, "F_1", "coordinate map Phi = F(psi), first component"),
              function2(F2, "F_2", "coordinate map Phi = F(psi), second component"))


def sigma_phi(phi: sp.Matrix) -> sp.Matrix:
    return (1 + phi[0] ** 2 + phi[1] ** 2) * sp.eye(2) + phi * phi.T


def sigma_phi_inv(phi: sp.Matrix) -> sp.Matrix:
    """Sherman-Morrison: ((1 + r^2) I + phi phi^T)^{-1} = (I - phi phi^T / (1 + 2 r^2)) / (1 + r^2)."""
    r2 = phi[0] ** 2 + phi[1] ** 2
    return (sp.eye(2) - phi * phi.T / (1 + 2 * r2)) / (1 + r2)


F = generic_map()
J = F.jacobian(sp.Matrix(PSI))
G_PHI = F  # the mean gradient of linear regression at Phi is Phi itself
#: The adaptive direction as a primal vector, computed in Phi: -Sigma_Phi^{-1} g_Phi, which for
#: linear regression (g = Phi, Sigma Phi = (1 + 2|Phi|^2) Phi) is -Phi / (1 + 2 |Phi|^2).
STATED = -G_PHI / (1 + 2 * (F[0] ** 2 + F[1] ** 2))


def _psi_moments(mapping):
    return psi_moments(mapping)


def _derive(mapping, what) -> Derivation:
    g_hat, g_psi, S_psi = _psi_moments(mapping)
    Fc = concrete_map(mapping)
    Jc = Fc.jacobian(sp.Matrix(PSI))
    # Two polynomial identities, computed in psi: the covariance is J^T Sigma_Phi J (a (0,2)
    # tensor) and the mean gradient is J^T g_Phi (a dual vector) ...
    cov_gap = (S_psi - Jc.T * sigma_phi(Fc) * Jc).applyfunc(sp.expand)
    grad_gap = (g_psi - Jc.T * Fc).applyfunc(sp.expand)
    # ... and one matrix identity, for any invertible J and SPD Sigma (generic symbols):
    # J (J^T Sigma J)^{-1} J^T = Sigma^{-1}, so D_psi = Sigma_psi^{-1} is a (2,0) tensor and the
    # step -D_psi g_psi, mapped back by J, is -Sigma_Phi^{-1} g_Phi.
    Jg = sp.Matrix(2, 2, sp.symbols("j_11 j_12 j_21 j_22", real=True))
    Sg = sp.Matrix([[sp.Symbol("s_11"), sp.Symbol("s_12")], [sp.Symbol("s_12"), sp.Symbol("s_22")]])
    algebra = (Jg * (Jg.T * Sg * Jg).inv() * Jg.T - Sg.inv()).applyfunc(sp.simplify)
    ok = all(e == 0 for e in (*cov_gap, *grad_gap, *algebra))
    # What the three identities give for J (-D_psi g_psi): -Sigma_Phi^{-1} g_Phi, with
    # Sigma_Phi g_Phi = (1 + 2|Phi|^2) g_Phi for linear regression.
    sm_gap = (sigma_phi(Fc) * Fc - (1 + 2 * (Fc[0] ** 2 + Fc[1] ** 2)) * Fc).applyfunc(sp.expand)
    ok = ok and all(e == 0 for e in sm_gap)
    result = -Fc / (1 + 2 * (Fc[0] ** 2 + Fc[1] ** 2))
    return Derivation(result, (
        Step(f"Coordinates ({what})", sp.Eq(sp.Symbol(r"\Phi"), Fc)),
        Step("Mean gradient and noise covariance computed in psi (Isserlis)", sp.Tuple(g_psi, S_psi)),
        Step("Sigma_psi - J^T Sigma_Phi J (zero: a (0,2) tensor)", cov_gap),
        Step("g_psi - J^T g_Phi (zero: a dual vector)", grad_gap),
        Step("J (J^T Sigma J)^{-1} J^T - Sigma^{-1} for generic J, Sigma (zero: D_psi is (2,0))", algebra),
        Step("Hence J (-D_psi g_psi) = -Sigma_Phi^{-1} g_Phi: the same primal vector", result)),
        comparison=Comparison(Equivalence.PROVED if ok else Equivalence.REFUTED,
                              "symbolic: polynomial identities in psi and a generic matrix identity",
                              f"{what}: " + ("the adaptive direction is the same primal vector" if ok
                                             else "an identity fails")))


def _predict_with(mapping):
    def predict(h, values):
        e = sp.Matrix(h).replace(F1, mapping[F1]).replace(F2, mapping[F2]).doit()
        return [float(v.subs({k: sp.Float(val, 30) for k, val in values.items()})) for v in e]
    return predict


def _spec(mapping, what) -> NoiseSpec:
    g_hat, _, _ = _psi_moments(mapping)
    Jn = sp.matrix2numpy(concrete_map(mapping).jacobian(sp.Matrix(PSI)).subs(PSI0), dtype=float)
    import numpy as np

    def direction(m, V, i):
        return float((Jn @ -np.linalg.solve(V, m))[i])
    n = 20_000
    return NoiseSpec(
        label=f"adaptive direction from psi-gradient samples, {what}", quantities=tuple(g_hat),
        values=PSI0,
        statistics=tuple((f"(J (-Sigma_psi_hat^-1 g_psi_hat))_{i + 1}",
                          lambda m, V, i=i: direction(m, V, i)) for i in range(2)),
        predict=_predict_with(mapping), budgets={"quick": (48, n), "full": (128, 4 * n)},
        bias_relative=5 * 4 / n,
        bias_note=("the inverse of a sample covariance is biased by O(1/n) (Wishart: (p+1)/(n-p-2)); "
                   "bounded by 5 (p+2)/n with p = 2 and n examples per chain"))


def _case(mapping, what):
    return Case(what, lambda: _derive(mapping, what), noise_witnesses(_spec(mapping, what)),
                assumptions=(what,))


CLAIM = Claim(
    id="001-adaptive-d-coordinates",
    title="D = Sigma^{-1} maps dual to primal vectors: the adaptive step is the same in any coordinates",
    source=Source("001_f7b24b47ec34203a.txt", "Langevin-Adaptive SGD"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE,
        encoding=sp.Eq(sp.Symbol(r"J(-D_\psi g_\psi)"), sp.Symbol(r"-D_\Phi g_\Phi")),
        result=STATED, latex_names=None,
        parse_note="words; encoded as the (2,0) rule's consequence for the adaptive D = Sigma^{-1}"),
    setting=PSI_PARAMS,
    assumptions=("D = Sigma^{-1}, computed in each coordinate system from its own gradients",
                 "gradient noise of linear regression (examples a ~ N(0, I), b ~ N(0, 1))"),
    relation=Relation.CUSTOM,
    variables=PSI,
    cases=(_case(LINEAR_MAP, "linear coordinates Phi = A psi"),
           _case(NONLINEAR_MAP, "nonlinear coordinates Phi = (psi_1 + psi_2^2/2, psi_2 + psi_1^3/3)")),
    mutants=(fixed("D's matrix the same in every coordinate system", -J * sigma_phi_inv(F) * J.T * G_PHI),
             fixed("D transformed like Sigma ((0,2) rule)",
                   -J * (J.T * sigma_phi_inv(F) * J) * J.T * G_PHI)),
    expected=Verdict.HOLDS,
    notes=("True pointwise for any smooth coordinates: Sigma is a (0,2) tensor, so Sigma^{-1} is a "
           "(2,0) tensor, a map from dual to primal vectors. A fixed matrix D (plain SGD's D = I) "
           "has no such meaning: its step depends on the coordinates."),
)
