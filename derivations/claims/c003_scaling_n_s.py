"""003, "Scaling N_s": with per-example squares, N_s counted in examples should not change with B.

The slide: the analysis for N_mu fails for N_s; to estimate E g[i]^2 average g_hat_t[i]^2 over
batch elements rather than batch averages; N_s should be a number of gradients (batch
elements); "under this semantics, N_s should be constant independent of batch size".

Derivation. Per-example gradients g + sigma e_b (e_b iid, mean 0, variance 1). The squared
batch mean has E g_hat^2 = g^2 + sigma^2/B (003-rmsprop-second-moment): its target moves
with B, which no rescaling of N_s can undo - the simple analysis fails. The mean of the
per-example squares has E = g^2 + sigma^2 = E g[i]^2 at every B and variance V/B with
V = Var(g_b^2) = 4 g^2 sigma^2 + 2 sigma^4 (Gaussian). A running average over batches with
N_s examples, i.e. N_s/B batches, then has n_eff = V/Var = 2 N_s - B examples: the target
is B-independent exactly and the number of examples averaged to within (B - 1)/(2 N_s - B).

Simulation: g = 0.5, sigma = 2 (sigma >> g), N_s = 100 examples at B = 1, 5, 10; the mean of
s against g^2 + sigma^2 and n_eff against its B = 1 value; the mutants are the target of
squared batch means and N_s counted in batches.
"""

from functools import lru_cache

import sympy as sp

from derivations.experiments.averages_settings import DECK
from derivations.experiments.batch_scaling import batch_scaling_spec
from derivations.experiments.running_averages import filter_witnesses
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Mutant, Relation,
                               Source, Statement, Step, Verdict)
from derivations.symbols import integer, positive, real
from numerics.running_average import MEAN_OF_SQUARES

QUOTE = r"Under this semantics,  $N_s$  should be constant independent of batch size."
g = sp.Symbol("g", real=True)
sigma = sp.Symbol("sigma", positive=True)
B = sp.Symbol("B", integer=True, positive=True)
K = sp.Symbol("K", positive=True)  # N_s in examples
NSB = sp.Symbol("N_sB", positive=True)
G_VALUE, SIGMA_VALUE, NS_VALUE, TOL = 0.5, 2.0, 100, 0.10
BATCHES = (1, 5, 10)
VALUES = {g: G_VALUE, sigma: SIGMA_VALUE, K: NS_VALUE}


@lru_cache(maxsize=1)
def derive() -> Derivation:
    target = g**2 + sigma**2
    v_example = 4 * g**2 * sigma**2 + 2 * sigma**4
    count_ratio = (2 * K - 1) / (2 * K - B)
    steps = (Step("E of the squared batch mean (the N_mu-style s): moves with B", g**2 + sigma**2 / B),
             Step("E of the mean of per-example squares, at any B", target),
             Step("Var of one per-example square (Gaussian e)", v_example),
             Step("n_eff of a 1/(N_s/B) running average over batches of V/B: B (2 N_s/B - 1)", 2 * K - B),
             Step("n_eff(1)/n_eff(B)", count_ratio))
    worst = max(abs(float(count_ratio.subs({K: NS_VALUE, B: b})) - 1) for b in BATCHES)
    ok = worst <= TOL
    detail = (f"target g^2 + sigma^2 exactly at every B; n_eff changes by at most {worst:.1%} "
              f"for B in {list(BATCHES)} at N_s = {NS_VALUE}")
    return Derivation(sp.Tuple(sp.Integer(1), count_ratio), steps, Comparison(
        Equivalence.PROVED if ok else Equivalence.REFUTED, "expectations of the batch statistics", detail))


def _value(h, index, batch):
    return float(sp.sympify(h)[index].subs({**VALUES, B: batch}))


def _spec(batch, channel, with_count):
    v = 4 * G_VALUE**2 * SIGMA_VALUE**2 + 2 * SIGMA_VALUE**4
    target = G_VALUE**2 + SIGMA_VALUE**2
    return batch_scaling_spec(
        label=f"{'per-example squares' if channel == MEAN_OF_SQUARES else 'squared batch means'}, "
              f"N_s = {NS_VALUE} examples, B = {batch} ({NS_VALUE / batch:g} batches)",
        batch=batch, n_batches=NS_VALUE / batch, reference_count=2 * NS_VALUE - 1, reference_lag=None,
        sd=SIGMA_VALUE, drift=0.0, mean=G_VALUE, per_example_variance=v,
        predict_count=(lambda h: _value(h, 1, batch)) if with_count else None, predict_lag=None,
        predict_target=lambda h: _value(h, 0, batch), target_unit=target, channel=channel,
        chains=3000, stated_tolerance=TOL)


def _mutant(name, f):
    return Mutant(name, lambda d: sp.Tuple(*f(d)))


CLAIM = Claim(
    id="003-scaling-n-s",
    title="Averaging per-example squares with N_s counted in examples keeps s's target and count at any B",
    source=Source(DECK, "Scaling $N_s$"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(NSB, K), result=sp.Tuple(1, 1),
                        latex_names=None,
                        parse_note="prose; encoded as N_{s,B} = N_s (examples), i.e. s's target and "
                                   "effective count independent of B"),
    setting=(real(g, "g[i]", "expected gradient"), positive(sigma, r"\sigma[i]", "per-example gradient sd"),
             integer(B, "B", "batch size", 1, 1024),
             positive(K, "N_s", "length of the second-moment average, in examples", (1.0, 10000.0)),
             positive(NSB, "N_{s,B}", "N_s used at batch size B, in examples", (1.0, 10000.0))),
    assumptions=("per-example gradients g + sigma e_b, e_b iid N(0, 1), at a fixed parameter",
                 "'this semantics': s averages per-example squares g_b[i]^2, N_s counts examples "
                 "(N_s/B batches of B)",
                 "invariance read with a 10 % tolerance; target = E g[i]^2 = g^2 + sigma^2"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(
        Case("per-example squares, N_s = 100 examples, B = 1, 5, 10", derive,
             tuple(w for b in BATCHES for w in filter_witnesses(_spec(b, MEAN_OF_SQUARES, True)))),
    ),
    mutants=(_mutant("target of squared batch means g^2 + sigma^2/B",
                     lambda d: ((g**2 + sigma**2 / B) / (g**2 + sigma**2), d[1])),
             _mutant("N_s counted in batches (count x B)", lambda d: (d[0], d[1] * B))),
    expected=Verdict.HOLDS,
    notes=("The slide's first line (the N_mu analysis fails for squared batch means) is the mutant "
           "'target of squared batch means': E g_hat^2 = g^2 + sigma^2/B moves with B whatever N_s, "
           "measured directly in 003-rmsprop-second-moment (B = 16). Under the per-example semantics "
           "N_s in examples is the same rule as N_mu,B = N_mu,1/B in batches."),
)
