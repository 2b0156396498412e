"""003, "Scaling N_mu": N_{mu,B} = N_{mu,1}/B holds the number of averaged gradients constant.

The slide: "For batch size B, mu_hat_t is averaging over N_{mu,B} B gradient values. Holding
the number of included gradients constant gives N_{mu,B} B = N_{mu,1} or N_{mu,B} = N_{mu,1}/B."

Derivation. With the deck's own semantics of a running average of length N as an average
of the N most recent values (003-ema-window), N_B batches hold N_B B examples, and
N_B B = N_1 gives N_B = N_1/B exactly. For the running average itself "the number of
included gradients" has two measurable forms (see
:mod:`derivations.experiments.batch_scaling`): the effective count n_eff = V / Var =
B (2 N_B - 1) and the lag behind a drift, B (N_B - 1) examples. Under the slide's rule
they become 2 N_1 - B and N_1 - B instead of 2 N_1 - 1 and N_1 - 1: invariant up to
(B - 1)/(2 N_1 - B) and (B - 1)/(N_1 - 1), i.e. within 10 % while N_B >= ~10 and within
1 % while N_B >= ~100 (the exactly invariant lengths are (2 N_1 - 1 + B)/(2B) and
(N_1 - 1)/B + 1, half a batch or less from the rule).

Simulation: the optimiser's average of batch means at B = 1, 5, 10 with N_B = 100/B, run
for 30 time constants on many sequences; n_eff (from the variance) and the lag (behind a
drift per example) against their B = 1 values. B = 50 (N_B = 2, below the deck's typical
N_mu of 10 to 100) shows where the rule stops holding the count.
"""

from functools import lru_cache

import sympy as sp

from derivations.experiments.averages_settings import DECK
from derivations.experiments.batch_scaling import batch_scaling_spec
from derivations.experiments.running_averages import filter_witnesses
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Mutant, Relation,
                               Source, Statement, Step, Verdict)
from derivations.symbols import integer, positive

QUOTE = r"N_{\mu,B} = N_{\mu,1}/B"
M = sp.Symbol("M", positive=True)  # N_{mu,B}
K = sp.Symbol("K", positive=True)  # N_{mu,1}
B = sp.Symbol("B", integer=True, positive=True)
N1_VALUE, TOL = 100, 0.10
IN_SCOPE, OUTSIDE = (1, 5, 10), (50,)


@lru_cache(maxsize=1)
def _general():
    NB = sp.Symbol("N_B", positive=True)
    window = sp.solve(sp.Eq(NB * B, K), NB)[0]
    n_eff = B * (2 * NB - 1)
    lag = B * (NB - 1)
    count_ratio = sp.simplify((2 * K - 1) / n_eff.subs(NB, K / B))  # n_eff(1) / n_eff(B)
    lag_ratio = sp.simplify(lag.subs(NB, K / B) / (K - 1))
    exact_count = sp.solve(sp.Eq(n_eff, 2 * K - 1), NB)[0]
    exact_lag = sp.solve(sp.Eq(lag, K - 1), NB)[0]
    steps = (Step("Window semantics: N_B batches of B examples hold N_B B; N_B B = N_1 gives", window),
             Step("Running average over batch means (variance V/B each): n_eff = V / Var", n_eff),
             Step("its lag behind the newest batch, in examples", lag),
             Step("Under N_B = N_1/B: n_eff(1) / n_eff(B)", count_ratio),
             Step("and lag(B) / lag(1)", lag_ratio),
             Step("N_B that keeps n_eff exactly: (differs from N_1/B by < 1/2)", exact_count),
             Step("N_B that keeps the lag exactly", exact_lag))
    return window, sp.Tuple(count_ratio, lag_ratio), steps


@lru_cache(maxsize=None)
def derive(batches: tuple) -> Derivation:
    window, ratios, steps = _general()
    worst = max(abs(float(r.subs({K: N1_VALUE, B: b})) - 1) for b in batches for r in ratios)
    ok = worst <= TOL and sp.simplify(window - K / B) == 0
    cmp = Comparison(Equivalence.PROVED if ok else Equivalence.REFUTED,
                     "solve (window count) and the running average's n_eff and lag",
                     f"exact for the window count; for the running average at N_1 = {N1_VALUE}, "
                     f"B in {list(batches)} the count and lag change by at most {worst:.1%}"
                     + ("" if ok else f" (> {TOL:.0%})"))
    return Derivation(ratios, steps, cmp)


def _ratio(h, index, batch):
    return float(sp.sympify(h)[index].subs({K: N1_VALUE, B: batch}))


def _spec(batch):
    return batch_scaling_spec(
        label=f"N_mu,1 = {N1_VALUE}, B = {batch}, N_mu,B = {N1_VALUE / batch:g}", batch=batch,
        n_batches=N1_VALUE / batch, reference_count=2 * N1_VALUE - 1, reference_lag=N1_VALUE - 1,
        sd=1.0, drift=0.01, mean=0.0, per_example_variance=1.0,
        predict_count=lambda h: _ratio(h, 0, batch), predict_lag=lambda h: _ratio(h, 1, batch),
        stated_tolerance=TOL)


def _scaled(name, factor):
    return Mutant(name, lambda d: sp.Tuple(*[e * factor for e in d]))


CLAIM = Claim(
    id="003-scaling-n-mu",
    title="N_{mu,B} = N_{mu,1}/B holds the number of averaged gradients constant (to O(B/N_{mu,1}))",
    source=Source(DECK, "Scaling $N_\\mu$"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(M, K / B), result=sp.Tuple(1, 1),
                        latex_names={r"N_{\mu,B}": "M", r"N_{\mu,1}": "K"}),
    setting=(positive(M, r"N_{\mu,B}", "momentum length for batch size B (in batches)", (1.0, 1000.0)),
             positive(K, r"N_{\mu,1}", "momentum length for batch size 1", (1.0, 1000.0)),
             integer(B, "B", "batch size", 1, 1024)),
    assumptions=("the optimiser's running average of batch-mean gradients, per-example noise iid",
                 "'the number of included gradients' measured as the effective count V/Var and as "
                 "the lag in examples; the invariance read with a 10 % tolerance",
                 r"N_{\mu,B} \geq 10 (the deck's typical N_\mu is 10 or 100)"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(
        Case("N_mu,B >= 10 (B = 1, 5, 10 at N_mu,1 = 100)", lambda: derive(IN_SCOPE),
             tuple(w for b in IN_SCOPE for w in filter_witnesses(_spec(b)))),
        Case("N_mu,B = 2 (B = 50)", lambda: derive(OUTSIDE),
             tuple(w for b in OUTSIDE for w in filter_witnesses(_spec(b))),
             ("N_mu,B = 2, below the deck's typical range",), in_scope=False),
    ),
    mutants=(_scaled("batches counted as single gradients (x B)", B),
             _scaled("count per batch squared (x 1/B)", 1 / B)),
    expected=Verdict.HOLDS,
    notes=("Exact for the window semantics the deck gives running averages; for the running average "
           "itself the rule keeps the effective count and the lag to within (B-1)/(2N_1-B) and "
           "(B-1)/(N_1-1)."),
)
