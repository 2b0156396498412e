"""004, "Solving for End-States": the wider basin's centre is "a lot higher" in density (the edited claim).

After the edit the post says the density at the centre of the wider basin will be "a lot
higher" than at the narrower one's. From the end state (004-wider-basin-number) the ratio is
4 exp(3I) with I >= 0 the narrower basin's integral of 2G/(eta V) from centre to top: at
least 4, for any depth, and growing exponentially with it. The simulations measure it at
two depths; the mutants are no preference (ratio 1) and the narrower basin favoured.
"""

import sympy as sp

from derivations.blog_model import DECK, SGD_STEP, G, V, Z, eta, zero_current_density
from derivations.claims.c004_wider_basin_number import BUDGETS, DEPTH, RATIO, general_ratio, I
from derivations.experiments.blog_basins import (centre_ratio_observable, number_or_density,
                                                 two_basins)
from derivations.experiments.blog_stationary import OMIT, EndStateSpec, end_state_witnesses
from derivations.model import (Case, Claim, Comparison, Confidence, Derivation, Equivalence,
                               Mutant, Reconstruction, Relation, Source, Statement, Step, Verdict)
from derivations.mutants import replaced

QUOTE = ("Therefore the probability density at the centre of the wider minimum's basin will be "
         "e^4 = 56 times Edit: a lot higher.")
REFERENCE = zero_current_density(SGD_STEP)[0]


def _predict(label, h):
    return OMIT if label == "stated" else number_or_density(label, h)


def case(depth):
    land = two_basins(depth)
    spec = EndStateSpec(land, (centre_ratio_observable(predict=_predict),), G, V, eta,
                        budgets=BUDGETS, extra_values={Z: 1}, reference=REFERENCE)

    def derive() -> Derivation:
        general, steps = general_ratio()
        lower = sp.simplify(general.subs(I, 0))
        monotone = sp.simplify(sp.diff(general, I))
        ok = bool(lower == 4 and monotone.is_positive)
        value = general.subs(I, sp.nsimplify(depth))
        return Derivation(value, steps + (
            Step("At I = 0 the ratio is", lower),
            Step("and it increases with the depth: d/dI", monotone),
            Step(f"At I = {depth:g}", sp.Eq(RATIO, value)),
        ), Comparison(Equivalence.PROVED if ok else Equivalence.REFUTED,
                      "ratio 4 e^(3I) >= 4 > 1 for every I >= 0",
                      f"{float(value):.4g} at I = {depth:g}"))

    return Case(name=f"narrow basin's integral I = {depth:g}", derive=derive,
                experiments=end_state_witnesses(spec), assumptions=(f"I = {depth:g}",))


CLAIM = Claim(
    id="004-wider-basin-higher",
    title="The wider basin's centre is much denser than the narrower one's (the edited claim)",
    source=Source(DECK, "Solving for End-States"),
    statement=Statement(quote=QUOTE, latex=r"\frac{p(c_w)}{p(c_n)} \gg 1",
                        encoding=sp.StrictGreaterThan(RATIO, 1), result=sp.true, latex_names=None,
                        parse_note="a qualitative comparison in words",
                        reconstruction=Reconstruction(
                            "The edited sentence: the density at the wider basin's centre is much higher "
                            "than at the narrower one's.", Confidence.HIGH)),
    setting=(DEPTH,),
    assumptions=("the post's two basins: identical except one twice as wide in W, sharing a "
                 "maximum", "V > 0 everywhere"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(case(0.25), case(0.5)),
    mutants=(replaced("no preference (ratio 1)", 1),
             Mutant("narrower basin favoured (ratio inverted)", lambda d: 1 / d)),
    expected=Verdict.HOLDS,
    notes="At least a factor 4 (the 1/V prefactor alone), times exp(3I).",
)
