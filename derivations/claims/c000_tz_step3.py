"""000, "Proof: Step 3 (TZ)": stationarity gives L(eta) = L(Phi*) + (eta/4) E E_i ||g_i + H_i DeltaPhi||^2.

The slide (OCR): "Because p_eta is a stationary distribution we must have
E ||DeltaPhi - eta (g_i + H_i DeltaPhi)||^2 = E ||DeltaPhi||^2", hence
E E_i [-2 eta DeltaPhi^T (g_i + H_i DeltaPhi) + eta^2 ||g_i + H_i DeltaPhi||^2] = 0, hence
E (1/2) DeltaPhi^T (E_i H_i) DeltaPhi = (eta/4) E E_i ||g_i + H_i DeltaPhi||^2, and with Step 2
L(eta) = L(Phi*) + (eta/4) E E_i ||g_i + H_i DeltaPhi||^2. Encoded as the ratio
R_3 = (L(eta) - L(Phi*)) / ((eta/4) E E_i ||g_i + H_i DeltaPhi||^2) = 1.

Derivation: an exact polynomial identity (two symbolic examples, symbolic moments),
(1/2) E DeltaPhi^T Hbar DeltaPhi - (eta/4) E E_i ||g_i + H_i DeltaPhi||^2 =
-(E||DeltaPhi'||^2 - E||DeltaPhi||^2) / (4 eta), which needs E_i g_i = 0 and the example
drawn independently of DeltaPhi (the cross term E DeltaPhi^T g_i = E[DeltaPhi]^T E_i g_i).
So on a quadratic training set R_3 = 1 exactly at every eta; on a non-quadratic one the
chain steps with grad L_i, not with g_i + H_i DeltaPhi, and R_3 = 1 + O(eta). The hidden
condition shows when it fails: with random reshuffling the next example depends on the
recent past, the first-order noise cancels over an epoch, and R_3 -> 0.
"""

import sympy as sp

from derivations.experiments.finite_sum_sgd import (ETA, FiniteSumBudget, LadderSpec, Statistic,
                                                    ladder_witnesses)
from derivations.experiments.training_sets import nonquadratic_2d, quadratic_2d
from derivations.model import (Case, Claim, Confidence, Derivation, Mutant, Reading,
                               Reconstruction, Relation, Source, Statement, Step, Verdict)
from derivations.symbols import positive
from derivations.tz import reshuffle_partial_sums, second_moment_balance, trace_identity

QUOTE = "Ln) = L@+ Exanp,Bi ||(g; + HiAD)|"
LATEX = (r"\mathcal{L}(\eta) = \mathcal{L}(\Phi^*) + \frac{\eta}{4} E_{\Delta\Phi\sim p_\eta} E_i "
         r"\|g_i + H_i\Delta\Phi\|^2")

R3 = sp.Symbol("R_3", positive=True)
BUDGETS = {"quick": FiniteSumBudget(64, 60), "full": FiniteSumBudget(256, 400)}


def _statistic(problem):
    return Statistic("R_3 = (L(eta) - L(Phi*)) / ((eta/4) E E_i ||g_i + H_i DeltaPhi||^2)",
                     problem.excess_loss, problem.model_gradient_norm, 4 / ETA)


def derive_quadratic() -> Derivation:
    _, steps = trace_identity()
    return Derivation(sp.Integer(1), second_moment_balance() + steps + (
        Step(r"Quadratic losses: \mathcal{L}(\eta) - \mathcal{L}(\Phi^*) = \frac12 E\Delta\Phi^T\bar H"
             r"\Delta\Phi (Step 2, exact), so R_3 at every \eta =", sp.Integer(1)),))


def derive_nonquadratic() -> Derivation:
    _, steps = trace_identity()
    return Derivation(sp.Integer(1), second_moment_balance() + steps + (
        Step(r"Non-quadratic losses: the chain steps with \nabla\mathcal{L}_i(\Phi) = g_i + H_i\Delta\Phi "
             r"+ O(\|\Delta\Phi\|^2); the exact balance holds with \nabla\mathcal{L}_i, the slide's with "
             r"the model gradient up to relative O(\eta) (\Delta\Phi = O(\sqrt\eta), E\Delta\Phi = "
             r"O(\eta)); likewise Step 2. So R_3 \to", sp.Integer(1)),))


def derive_reshuffle() -> Derivation:
    _, steps = reshuffle_partial_sums(quadratic_2d().g)
    return Derivation(sp.Integer(0), steps + (
        Step(r"Reshuffling breaks the step the slide takes silently: the next example is not "
             r"independent of \Delta\Phi, so E\Delta\Phi^T g_i \neq E[\Delta\Phi]^T E_i g_i. With "
             r"\mathcal{L}(\eta) - \mathcal{L}(\Phi^*) = O(\eta^2) and (\eta/4)E E_i\|g_i + "
             r"H_i\Delta\Phi\|^2 = (\eta/4) E_i\|g_i\|^2 + O(\eta^2), R_3 \to", sp.Integer(0)),))


def _shift(sign):
    coefficient = "3 eta/8" if sign > 0 else "eta/8"
    return Mutant(f"R_3 {'+' if sign > 0 else '-'} 1/2 (coefficient {coefficient})",
                  lambda d, s=sign: d + s * sp.Rational(1, 2))


CASES = (
    Case("quadratic training set", derive_quadratic, ladder_witnesses(LadderSpec(
        "SGD, B = 1, four quadratic examples", quadratic_2d(), _statistic(quadratic_2d()),
        (0.05, 0.1), {}, BUDGETS, limit=False)),
        assumptions=("quadratic per-example losses", "a fresh uniform example each step")),
    Case("non-quadratic training set", derive_nonquadratic, ladder_witnesses(LadderSpec(
        "SGD, B = 1, four examples with cubic and quartic terms", nonquadratic_2d(),
        _statistic(nonquadratic_2d()), (0.025, 0.05, 0.075, 0.1), {}, BUDGETS, limit=True)),
        assumptions=("smooth losses; Step 1's expansion holds as eta -> 0",
                     "a fresh uniform example each step")),
    Case("random reshuffling", derive_reshuffle, ladder_witnesses(LadderSpec(
        "SGD, B = 1, four quadratic examples reshuffled every epoch", quadratic_2d(),
        _statistic(quadratic_2d()), (0.025, 0.05, 0.1), {}, BUDGETS, limit=True,
        sampling="reshuffle")),
        assumptions=("examples without replacement, a fresh random order per epoch",),
        in_scope=False),
)

CLAIM = Claim(
    id="000-tz-step3",
    title="Step 3: L(eta) = L(Phi*) + (eta/4) E E_i ||g_i + H_i DeltaPhi||^2",
    source=Source("000_9b52c8c934a61faf.txt", "Proof: Step 3 (TZ)", line=140),
    statement=Statement(
        quote=QUOTE, latex=LATEX, encoding=sp.Eq(R3, 1),
        reconstruction=Reconstruction(
            note=("OCR of the slide's last line 'Ln) = L@+ Exanp,Bi ||(g; + HiAD)|': L(eta) = "
                  "L(Phi*) + ... E_{DeltaPhi ~ p_eta} E_i ||g_i + H_i DeltaPhi||^2; the coefficient "
                  "is lost, but the line above ('=7' over '1 U') carries eta/4, which the "
                  "derivation confirms, and Step 4 repeats it. Encoded as the ratio R_3 of the "
                  "two sides' excess over L(Phi*)."),
            confidence=Confidence.MEDIUM,
            alternatives=(Reading(
                "no coefficient",
                r"\mathcal{L}(\eta) = \mathcal{L}(\Phi^*) + E E_i \|g_i + H_i\Delta\Phi\|^2",
                4 / ETA, "the OCR line read literally, without eta/4 (R_3 = 4/eta)"),)),
        latex_names=None, parse_note="expectations over p_eta and E_i: encoded as a ratio"),
    setting=(positive(R3, "R_3", "(L(eta) - L(Phi*)) / ((eta/4) E E_i||g_i + H_i DeltaPhi||^2)",
                      (0.5, 2.0)),
             positive(ETA, r"\eta", "learning rate", (1e-3, 1.0))),
    assumptions=("p_eta stationary for SGD with one example per step",
                 "the example drawn uniformly and independently of DeltaPhi",
                 "Step 1's expansion and E_i g_i = 0; Step 2"),
    relation=Relation.IDENTITY,
    variables=(),
    cases=CASES,
    mutants=(_shift(1), _shift(-1)),
    expected=Verdict.HOLDS,
    notes=("Exact at every eta on quadratic losses (an identity of the second moments, needing "
           "only stationarity, E_i g_i = 0 and a fresh example each step); to leading order "
           "on non-quadratic ones (about -1.4% at eta = 0.1 on the test set, see the ladder). "
           "Random reshuffling (out of scope) breaks the independence the cross term needs."),
    tags=("tz",),
)
