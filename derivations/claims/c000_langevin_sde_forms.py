"""000, "Langevin Dynamics" (OCR): Phi(t + Dt) = Phi(t) - g Dt + eps sqrt(eta Dt), eps ~ N(0, Sigma) = ... + eps sqrt(Dt), eps ~ N(0, eta Sigma); dPhi = -g dt + eps sqrt(dt).

Deck 000 is an OCR of slide images; this slide reads, reconstructed:

  Phi(t + Delta t) = Phi(t) - g(Phi) Delta t + eps sqrt(eta Delta t),   eps ~ N(0, Sigma)
                   = Phi(t) - g(Phi) Delta t + eps sqrt(Delta t),       eps ~ N(0, eta Sigma)
  "This can be modeled by a continuous time stochastic process - Langevin dynamics -
  defined by the notation dPhi = -g(Phi) dt + eps sqrt(dt), eps ~ N(0, eta Sigma)."

It is the 2023 deck's "Gradient Noise" argument (001-gradient-noise) written with the
learning rate moved into the noise's covariance: both say the increment over Delta t = N eta
SGD steps has mean -g Delta t and variance eta Sigma Delta t, approximately Gaussian. The
same derivation and the same kind of witness (SGD on constant, non-Gaussian per-example
gradients, ladder of eta at Delta t = 0.2) check it; the alternative reading without the
eta in the covariance (noise eps sqrt(Delta t), eps ~ N(0, Sigma)) is shown and rejected.
"""

import sympy as sp

from derivations.claims.c001_gradient_noise import BUDGETS, DT_VALUE, KEYS, STEPS, derive_noise_sum
from derivations.experiments.noise_sums import noise_quantity_parameters, noise_sum_witness
from derivations.model import (Claim, Confidence, Reading, Reconstruction, Relation, Source,
                               Statement, Verdict, single_case)
from derivations.symbols import DT, ETA
from derivations.tables import entry_scaled, table

QUOTE = ("Ot + At) = O(t) — g(P)AL + en/nAL € ~ N(0,%)\n\nQ\n\n— O(t) — g(P)At + VAL € ~ N(0,7%)\n\n"
         "This can be modeled by a continuous time stochastic process\n— Langevin dynamics — "
         "defined by the notation\n\ndD = —g(D)dt + eVdt €~ N(0,n%)")
LATEX = (r"\Phi(t+\Delta t) = \Phi(t) - g(\Phi)\Delta t + \epsilon\sqrt{\eta\Delta t},\ \epsilon\sim\mathcal{N}(0,\Sigma)"
         r" = \Phi(t) - g(\Phi)\Delta t + \epsilon\sqrt{\Delta t},\ \epsilon\sim\mathcal{N}(0,\eta\Sigma);"
         r"\quad d\Phi = -g(\Phi)dt + \epsilon\sqrt{dt},\ \epsilon\sim\mathcal{N}(0,\eta\Sigma)")
STATED = table(drift_ratio=1, var_ratio=1, b_eta=sp.Rational(1, 2), kurt_limit=0)

CLAIM = Claim(
    id="000-langevin-sde-forms",
    title="The SGD increment over Delta t: -g Delta t + eps sqrt(Delta t), eps ~ N(0, eta Sigma) (OCR)",
    source=Source("000_9b52c8c934a61faf.txt", "Langevin Dynamics"),
    statement=Statement(
        quote=QUOTE, latex=LATEX, encoding=STATED,
        reconstruction=Reconstruction(
            note=("OCR: 'O(t)'/'D(t)' are Phi(t), 'At'/'AL' Delta t, '€' epsilon, '%' Sigma, '7' and "
                  "'n' eta (as in the deck's 'Converged Loss as a Function of 7'), 'en/nAL' "
                  "eps sqrt(eta Delta t), 'VAL' and 'Vdt' sqrt(Delta t) and sqrt(dt). The line 'Q' "
                  "is debris. The two lines are the 2023 deck's 'Gradient Noise' result with eta "
                  "moved into the covariance."),
            confidence=Confidence.HIGH,
            alternatives=(Reading(
                "noise eps sqrt(Delta t), eps ~ N(0, Sigma)",
                r"\Phi(t+\Delta t) = \Phi(t) - g\Delta t + \epsilon\sqrt{\Delta t},\ \epsilon\sim\mathcal{N}(0,\Sigma)",
                table(drift_ratio=1, b_eta=0),
                "'7%' read as Sigma alone: a noise that does not shrink with eta"),)),
        latex_names=None,
        parse_note="reconstructed from OCR; a chain of equalities in law with side conditions"),
    setting=(ETA, DT, *noise_quantity_parameters(KEYS)),
    assumptions=("the gradient's law is the same over the N = Delta t / eta steps",
                 "batch size 1 (the deck's 'Consider SGD with B = 1')"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=single_case(derive_noise_sum, (noise_sum_witness(DT_VALUE, STEPS, BUDGETS, KEYS),)),
    mutants=(entry_scaled("b_eta", 2, "noise ~ eta (eps ~ N(0, eta^2 Sigma))"),
             entry_scaled("var_ratio", 2, "variance 2 eta Sigma Delta t")),
    expected=Verdict.HOLDS,
    notes="The previous OCR slide's '... + eta eps sqrt(N) = ... + eta eps sqrt(Delta t/eta)' is the same step.",
)
