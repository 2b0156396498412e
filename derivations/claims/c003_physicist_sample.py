"""003, "Physicist's Proof of the Convergence Theorem": a large sample of gradients estimates the full gradient accurately.

The slide: "An arbitrarily large sample will become arbitrarily accurate as an estimate of
the full gradient." Encoded: the mean squared error of the mean of N sampled per-example
gradients (at one parameter value, as the previous sentence's "at essentially the same
parameter value" supposes) tends to 0 as N -> oo. Derivation: the draws are independent
and unbiased, so the error is tr(Cov_i g_i) / N (a law of large numbers with its rate);
the limit is 0. Simulation: the mean squared error on a ladder of N, extrapolated in 1/N.
"""

import sympy as sp

from derivations.experiments.sampling import MonteCarloSampleMean, SampleMeanSpec
from derivations.experiments.training_sets import quadratic_2d
from derivations.model import (Claim, Derivation, Mutant, Relation, Source, Statement, Step,
                               Verdict, single_case)
from derivations.symbols import positive, real
from derivations.tz import G2, G2_PARAMETER

QUOTE = "An arbitrarily large sample will become arbitrarily accurate as an estimate of the full gradient."
MSE_LIMIT = sp.Symbol("MSE_oo", real=True)
PROBLEM = quadratic_2d()


def derive() -> Derivation:
    N = sp.Symbol("N", positive=True, integer=True)
    gbar = sum(PROBLEM.g, sp.zeros(2, 1)) / PROBLEM.n
    trace_cov = sp.nsimplify(sum(((gi - gbar).T * (gi - gbar))[0] for gi in PROBLEM.g) / PROBLEM.n)
    mse = trace_cov / N
    return Derivation(sp.Integer(0), (
        Step(r"N independent draws, each unbiased for E_i g_i: E\|\bar g_N - E_i g_i\|^2 = tr Cov_i(g_i) / N",
             mse),
        Step(r"tr Cov_i(g_i) for the training set (at \Phi^*, = E_i\|g_i\|^2 since E_i g_i = 0)", trace_cov),
        Step(r"limit N \to \infty", sp.limit(mse, N, sp.oo)),
    ))


def _floor(fraction) -> Mutant:
    return Mutant(f"an error floor of {fraction} E_i||g_i||^2", lambda d, f=fraction: d + f * G2)


CLAIM = Claim(
    id="003-physicist-sample",
    title="The mean of an arbitrarily large sample of gradients is arbitrarily accurate",
    source=Source("003_874bf7fcc03d5f2a.txt", "Physicist's Proof of the Convergence Theorem", line=67),
    statement=Statement(
        quote=QUOTE, latex=QUOTE, encoding=sp.Eq(MSE_LIMIT, 0), latex_names=None,
        parse_note="prose; encoded as lim_{N->oo} E||mean of N sampled gradients - full gradient||^2 = 0"),
    setting=(real(MSE_LIMIT, r"\lim_N MSE_N", "limit of the sample mean's squared error"),
             G2_PARAMETER),
    assumptions=("examples drawn uniformly and independently (with replacement)",
                 "all gradients taken at the same parameter value (the previous sentence's premise)"),
    relation=Relation.IDENTITY,
    variables=(),
    cases=single_case(derive, [MonteCarloSampleMean(SampleMeanSpec(
        "sample means of the four 2-D examples' gradients at Phi*", PROBLEM, (8, 16, 32),
        {G2: float(PROBLEM.G2)}, {"quick": 4096, "full": 65536}))]),
    mutants=(_floor(sp.Rational(1, 4)), _floor(sp.Rational(1, 16))),
    expected=Verdict.HOLDS,
    notes=("The law of large numbers with rate 1/N. Along an SGD trajectory the sample is not "
           "at one parameter value: the window's gradients drift by O(eta N), which is what the "
           "'sufficiently small learning rates' of the previous sentence controls."),
    tags=("convergence",),
)
