"""000, "Gradient Flow also Models SGD" (OCR): sqrt(N) blocks of sqrt(N) updates; time per block t/sqrt(N) -> 0; the block's average update -> g.

Reconstructed: "To see this note that we can divide the updates into sqrt(N) blocks each of
size sqrt(N). The 'time' spent within each block is t/sqrt(N) which converges to 0. But the
number of updates within each block grows as sqrt(N) and hence the average update within a
block converges to g." (the 2020 version of 001-sqrt-n-blocks, for the update
DeltaPhi = -ghat Delta t with Delta t the learning rate).

Checked as there: with N = t/Delta t updates a block lasts sqrt(N) Delta t = t/sqrt(N) -> 0;
the block's average sampled gradient, over g(Phi_0), tends to 1 (slope -g'(Phi_0)/2 in the
block time), and its spread falls like Delta t^(1/4) (mutants: rates off by 2).
"""

import sympy as sp

from derivations.claims.c001_sqrt_n_blocks import BUDGETS, DATA, PHI0, SQUARES, T
from derivations.experiments.blocks import block_quantity_parameters, block_table, block_witness
from derivations.model import (Claim, Comparison, Confidence, Derivation, Equivalence,
                               Reconstruction, Relation, Source, Statement, Step, Verdict,
                               single_case)
from derivations.symbols import ETA, PHI
from derivations.tables import entry_scaled, table

QUOTE = ("To see this note that we can divide the updates into v/ N blocks\neach of size v/N. The "
         "“time” spent within each block is ¢ /v N\nwhich converges to 0. But the number of updates "
         "within each\nblock grows as v/ N and hence the average update within a\nblock converges to g.")
LATEX = (r"\text{divide the updates into } \sqrt{N} \text{ blocks each of size } \sqrt{N}\text{; the time "
         r"within each block is } t/\sqrt{N} \to 0\text{; the average update within a block} \to g")


def derive():
    result, steps = block_table(DATA, PHI0, T)
    N, t = sp.symbols("N t", positive=True)
    block_time = sp.sqrt(N) * (t / N)  # sqrt(N) updates of Delta t = t / N
    extra = Step("sqrt(N) updates of Delta t = t/N last", sp.Eq(sp.Symbol("block time"), sp.simplify(block_time)))
    ok = sp.simplify(block_time - t / sp.sqrt(N)) == 0 and sp.limit(block_time, N, sp.oo) == 0
    return Derivation(result, (extra, *steps), Comparison(
        Equivalence.PROVED if ok else Equivalence.REFUTED, "block arithmetic and expansion (sympy)",
        "block time t/sqrt(N) -> 0; block average / g -> 1 with spread ~ Delta t^(1/4)"))


CLAIM = Claim(
    id="000-sqrt-n-blocks",
    title="sqrt(N) blocks: time per block t/sqrt(N) -> 0 and the block's average update -> g (OCR)",
    source=Source("000_9b52c8c934a61faf.txt", "Gradient Flow also Models SGD"),
    statement=Statement(
        quote=QUOTE, latex=LATEX, encoding=table(ratio_limit=1),
        reconstruction=Reconstruction(
            note="OCR: 'v/ N' and 'v/N' are sqrt(N), '¢ /v N' is t/sqrt(N); the words are clean.",
            confidence=Confidence.HIGH),
        latex_names=None, parse_note="prose; encoded as the block average over g tending to 1"),
    setting=(PHI, ETA, *block_quantity_parameters()),
    assumptions=("N = t / Delta t updates, N a perfect square, t = 1", "one training example per update",
                 f"training set {DATA.label}, Phi_0 = {PHI0}"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=single_case(derive, (block_witness(DATA, PHI0, T, SQUARES, BUDGETS),)),
    mutants=(entry_scaled("c_sd", 2, "block noise ~ Delta t^(1/2)"),
             entry_scaled("c_sd", sp.Rational(1, 2), "block noise ~ Delta t^(1/8)")),
    expected=Verdict.HOLDS,
)
