"""000, "Langevin Dynamics" (OCR): "By the law of large numbers a sum (not the average) of N random vectors will approximate a Gaussian distribution where the standard deviation grows like sqrt(N)."

The conclusion is the central limit theorem's, and it needs what the CLT needs: a finite
covariance (which the next slide does assume, "Let Sigma be the covariance matrix of the
random variable ghat"). The law of large numbers needs only a finite mean, and under that
hypothesis alone the conclusion is false: for i.i.d. symmetric alpha-stable steps with
1 < alpha < 2 (finite mean, so the LLN holds; infinite variance) the sum is exactly
N^(1/alpha) times one step: never Gaussian, and spreading like N^(1/alpha), not sqrt(N).

Encoded: the sum's spread grows like N^b with b = 1/2 and its shape tends to the
Gaussian's. Since the variance may be infinite, both are measured with fractional
moments, which exist for every law with a finite mean: spread s(N) = (E|S_N|^(1/2))^2 and
shape r = (E|S_N|^(1/4))^2 / E|S_N|^(1/2) (scale-free; Gaussian value from
E|Z|^p = 2^(p/2) Gamma((p+1)/2) / sqrt(pi)). The in-scope case is the theorem the slide
invokes: steps satisfying the LLN's hypothesis (alpha = 1.5 stable): b = 2/3 and the
stable shape, both exact at every N. Out of scope, the corrected statement's setting
(finite variance: uniform steps): b -> 1/2 and the shape -> Gaussian, as the CLT says.
"""

import sympy as sp

from derivations.experiments.ladder import LadderExperiment, LadderObservable, MomentStatistic
from derivations.experiments.walks import walk_increments
from derivations.model import (Case, Claim, Comparison, Confidence, Derivation, Equivalence,
                               Reconstruction, Relation, Source, Statement, Step, Verdict)
from derivations.tables import declare, entry_scaled, table
from numerics.paths_1d import StepLaw

import numpy as np

QUOTE = ("By the law of large numbers a sum (not the average) of N ran-\ndom vectors will approximate "
         "a Gaussian distribution where\nthe standard deviation grows like v/ V.")
LATEX = (r"\text{By the law of large numbers a sum (not the average) of } N \text{ random vectors will "
         r"approximate a Gaussian distribution where the standard deviation grows like } \sqrt{N}.")
CORRECTION = (r"\text{By the central limit theorem (the vectors have a finite covariance } \Sigma\text{), "
              r"a sum of } N \text{ i.i.d. zero-mean random vectors is approximately } "
              r"\mathcal{N}(0, N\Sigma)\text{: its standard deviation grows like } \sqrt{N}.")
ALPHA = sp.Rational(3, 2)
NS = (2, 4, 8, 16, 32)
BUDGETS = {"quick": 32768, "full": 524288}
p = sp.Symbol("p", positive=True)


def gaussian_abs_moment(q):
    return 2 ** (q / 2) * sp.gamma((q + 1) / 2) / sp.sqrt(sp.pi)


def stable_abs_moment(q, alpha):
    """E|X|^q for the symmetric alpha-stable law with E exp(isX) = exp(-|s|^alpha), q < alpha."""
    return 2**q * sp.gamma((1 + q) / 2) * sp.gamma(1 - q / alpha) / (sp.gamma(1 - q / 2) * sp.sqrt(sp.pi))


def shape(moment):
    return sp.simplify(moment(sp.Rational(1, 4)) ** 2 / moment(sp.Rational(1, 2)))


GAUSSIAN_SHAPE = shape(gaussian_abs_moment)
STATED = table(b_N=sp.Rational(1, 2), shape_limit=GAUSSIAN_SHAPE)


def derive_lln_only() -> Derivation:
    a = ALPHA
    check = sp.simplify(stable_abs_moment(p, 2) - 2 ** (p / 2) * gaussian_abs_moment(p))
    r = shape(lambda q: stable_abs_moment(q, a))
    steps = (
        Step("Steps: symmetric alpha-stable, E exp(isX) = exp(-|s|^alpha), alpha = 3/2: E|X| < oo (the "
             "LLN holds: S_N / N -> 0) but Var X = oo"),
        Step("Sum of N: E exp(is S_N) = exp(-N|s|^alpha) = E exp(i s N^(1/alpha) X), so S_N = N^(1/alpha) X "
             "in law: spread exponent", sp.Eq(sp.Symbol("b"), 1 / a)),
        Step("Fractional moments E|X|^q = 2^q Gamma((1+q)/2) Gamma(1 - q/alpha) / (Gamma(1 - q/2) sqrt(pi)); "
             "at alpha = 2 (N(0, 2)) minus the Gaussian's 2^(q/2) E|Z|^q", sp.Eq(sp.Symbol("check"), check)),
        Step("Shape (E|S|^(1/4))^2 / E|S|^(1/2) of the stable law, at every N", sp.Eq(sp.Symbol("r"), r)),
        Step("versus the Gaussian's", sp.Eq(sp.Symbol("r_G"), GAUSSIAN_SHAPE)),
    )
    refuted = check == 0 and sp.N(r - GAUSSIAN_SHAPE) != 0
    return Derivation(table(b_N=1 / a, shape_limit=r), steps, Comparison(
        Equivalence.REFUTED if refuted else Equivalence.UNDECIDED, "stable laws (sympy)",
        "under the LLN's hypothesis (finite mean) the sum need not be Gaussian nor spread like sqrt(N)",
        {"steps": "symmetric 3/2-stable: finite mean, infinite variance"}), correction_latex=CORRECTION)


def derive_finite_variance() -> Derivation:
    N, s = sp.symbols("N s", positive=True)
    kappa = sp.Rational(-6, 5)  # uniform law's excess kurtosis
    steps = (
        Step("Steps uniform on [-sqrt 3, sqrt 3]: mean 0, variance 1, excess kurtosis", sp.Eq(sp.Symbol(r"\kappa"), kappa)),
        Step("CLT: S_N / sqrt(N) -> N(0, 1); cumulants add, so the excess kurtosis of S_N is kappa / N -> 0",
             sp.Eq(sp.Symbol(r"\kappa_N"), kappa / N)),
        Step("Spread exponent 1/2, shape -> the Gaussian's", sp.Eq(sp.Symbol("r_G"), GAUSSIAN_SHAPE)),
    )
    return Derivation(STATED, steps, Comparison(Equivalence.PROVED, "central limit theorem",
                                                "with a finite variance the conclusion holds"))


def _experiment(law: StepLaw, label: str, exact: bool):
    def simulate(h, n_sums, seed):
        return walk_increments(1.0, [int(round(1 / h))], seed, n_sums, law=law, alpha=float(ALPHA))[:, 0]

    def feats(s, h):
        a = np.abs(s)
        return np.column_stack([a**0.25, a**0.5])

    spread = MomentStatistic(feats, lambda m, h: m[1] ** 2)
    shape_ = MomentStatistic(feats, lambda m, h: m[0] ** 2 / m[1])
    note = "exact: S_N = N^(1/alpha) X in law" if exact else ""
    observables = (
        LadderObservable("b_N", "(E|S_N|^(1/2))^2", "exponent", spread, sign=-1,
                         correction=0.0 if exact else None, correction_note=note),
        LadderObservable("shape_limit", "(E|S_N|^(1/4))^2 / E|S_N|^(1/2)", "limit", shape_,
                         curvature=0.0 if exact else None, correction_note=note),
    )
    return LadderExperiment(f"Monte Carlo: sums of N {label} steps", "1/N", tuple(1 / n for n in NS),
                            simulate, observables, BUDGETS, {"steps": label, "N": list(NS)},
                            steps_per_replicate=lambda h: int(round(1 / h)))


CLAIM = Claim(
    id="000-langevin-lln",
    title="'By the law of large numbers' a sum of N random vectors is ~Gaussian with sd ~ sqrt(N): the CLT, needing finite variance (OCR)",
    source=Source("000_9b52c8c934a61faf.txt", "Langevin Dynamics"),
    statement=Statement(
        quote=QUOTE, latex=LATEX, encoding=STATED,
        reconstruction=Reconstruction(
            note="OCR: 'ran-/dom' is a hyphenated 'random', 'v/ V' is sqrt(N); otherwise clean.",
            confidence=Confidence.HIGH),
        latex_names=None,
        parse_note="prose; encoded as the sum's spread exponent 1/2 and Gaussian limiting shape"),
    setting=(declare("b_N", "b", "spread of the sum ~ N^b (fractional-moment scale)"),
             declare("shape_limit", "r", "(E|S|^(1/4))^2 / E|S|^(1/2) as N -> oo")),
    assumptions=("i.i.d. zero-mean (symmetric) steps", "what the law of large numbers assumes: a finite mean"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(Case("steps with a finite mean only (the LLN's hypothesis): 3/2-stable", derive_lln_only,
                (_experiment(StepLaw.STABLE, "symmetric 3/2-stable", exact=True),),
                assumptions=("finite mean, infinite variance",)),
           Case("steps with a finite variance (the CLT's hypothesis): uniform", derive_finite_variance,
                (_experiment(StepLaw.UNIFORM, "uniform (variance 1)", exact=False),),
                assumptions=("finite covariance, as the next slide assumes",), in_scope=False)),
    mutants=(entry_scaled("b_N", 2, "spread exponent x 2"), entry_scaled("b_N", sp.Rational(1, 2), "spread exponent x 1/2")),
    expected=Verdict.ERRATUM,
    notes=("The mathematical content holds under the deck's own next assumption (a covariance Sigma "
           "exists): it is the central limit theorem. The erratum is the theorem named: the law of "
           "large numbers concerns the average, converging to the mean, and does not give a Gaussian "
           "or the sqrt(N) growth."),
)
