"""001, "Gradient Flow and SGD": the sqrt(N)-block argument (eta sqrt N -> 0, Phi_sqrtN ~ Phi_0 - eta sqrt(N) g).

The slide divides Phi_1, ..., Phi_N into sqrt(N) blocks and argues: "For eta -> 0 and
N = t/eta we have eta sqrt(N) -> 0 which implies Phi_sqrtN ~ Phi_0 - eta sqrt(N) g where g
is the average (non-stochastic) gradient. Since the gradients within each block become
non-stochastic, we are back to gradient flow."

Encoded: the first block's displacement over -eta sqrt(N) g tends to 1 (``ratio_limit``).
The derivation (:mod:`derivations.experiments.blocks`) adds what makes the argument work:
the block's time eta sqrt(N) = sqrt(t eta) -> 0, the ratio approaches 1 like sqrt(eta)
with slope -g'(Phi_0)/2, and the block average of the sampled gradients has
sd = sqrt(Sigma(Phi_0)) (eta/t)^(1/4): non-stochastic in the limit, but only at the
rate eta^(1/4). The mutants are that rate off by a factor 2 either way (eta^(1/2) would
be an average over all N gradients, not over a block).

The block list on this slide ends with "(Phi_{T-sqrt N+1}, ..., Phi_N)": T is undefined
and must be N for the last block to have sqrt(N) members; a notational slip recorded in
the coverage table, not a claim of its own.
"""

from derivations.experiments.blocks import block_quantity_parameters, block_table, block_witness
from derivations.experiments.sgd_flow import QUARTIC
from derivations.model import (Claim, Comparison, Derivation, Equivalence, Relation, Source,
                               Statement, Verdict, single_case)
from derivations.symbols import ETA, PHI
from derivations.tables import entry_scaled, table

import sympy as sp

QUOTE = (r"For  $\eta \rightarrow 0$  and  $N = t/\eta$  we have  $\eta\sqrt{N} \rightarrow 0$  which "
         r"implies $$\Phi_{\sqrt{N}} \sim \Phi_0 - \eta\sqrt{N}g$$")

DATA, PHI0, T = QUARTIC, 0.3, 1.0
SQUARES = (256, 1024, 4096, 16384, 65536)
BUDGETS = {"quick": 20000, "full": 200000}


def derive() -> Derivation:
    result, steps = block_table(DATA, PHI0, T)
    return Derivation(result, steps, Comparison(
        Equivalence.PROVED, "expansion of the block's sum of gradients (sympy)",
        "R -> 1 as eta -> 0 since the block's time sqrt(t eta) -> 0; the block average's "
        "spread falls like eta^(1/4)"))


CLAIM = Claim(
    id="001-sqrt-n-blocks",
    title="The sqrt(N)-block argument: eta sqrt(N) -> 0 and Phi_sqrtN ~ Phi_0 - eta sqrt(N) g (block noise ~ eta^(1/4))",
    source=Source("001_f7b24b47ec34203a.txt", "Gradient Flow and SGD"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE, encoding=table(ratio_limit=1),
        latex_names=None,
        parse_note="prose with an asymptotic '~'; encoded as the ratio of the first block's "
                   "displacement to -eta sqrt(N) g tending to 1"),
    setting=(PHI, ETA, *block_quantity_parameters()),
    assumptions=("N = t/eta a perfect square, t = 1", "SGD drawing one training example per step",
                 f"training set {DATA.label}, Phi_0 = {PHI0}"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=single_case(derive, (block_witness(DATA, PHI0, T, SQUARES, BUDGETS),)),
    mutants=(entry_scaled("c_sd", 2, "block noise ~ eta^(1/2) (exponent x 2)"),
             entry_scaled("c_sd", sp.Rational(1, 2), "block noise ~ eta^(1/8) (exponent x 1/2)")),
    expected=Verdict.HOLDS,
    notes=("Deck 002's copy of this slide writes the second block's first index as "
           "Phi_{sqrt(N+1)} (for Phi_{sqrt(N)+1}); both decks end the list with Phi_{T-sqrt N+1} "
           "for Phi_{N-sqrt N+1}. The conclusion also needs the blocks' errors to add up to "
           "little: sqrt(N) blocks of noise eta N^(1/4) sqrt(Sigma) add (independently) to "
           "sqrt(t eta Sigma), the spread measured by 001-sgd-to-flow."),
)
