"""004, "Gradient Variance": "If G and V are both zero at the same place, then this is an equilibrium point with regards to SGD".

V is the variance of the per-example gradients, so V(W*) = 0 means every example's gradient
equals the mean G(W*); if that is zero too, every SGD step leaves W* where it is: a point
mass at W* is invariant. Conversely a zero of G with V > 0 is not an equilibrium of SGD
(the step from W* has variance eta^2 V > 0), nor is a zero of V with G != 0 (the step moves
it by -eta G). The derivation reads this off the step's mean and variance at W*; the
locations "(only at 2)" belong to the post's earlier loss (not given).

Simulation: SGD on two data points (per-example gradients G +- sqrt V, each with
probability 1/2) with G = (W-1)(W-2) and sqrt V = (W-2)(W-1/2)/2: at W = 2 both vanish, at
W = 1 only G, at W = 1/2 only V. Chains start exactly at the point; the fraction still
exactly there after 100 steps is compared with each hypothesis's verdict (1 equilibrium,
0 not).
"""

import sympy as sp

from derivations.blog_model import DECK, SGD_STEP, G, V, W, eta
from derivations.experiments.blog_steps import FixedPointFate, StepSetting
from derivations.fokker_planck import gaussian_moments
from derivations.model import (Claim, Comparison, Confidence, Derivation, Equivalence,
                               Reconstruction, Relation, Source, Statement, Step, Verdict,
                               single_case)
from derivations.mutants import replaced
from derivations.symbols import real

QUOTE = ("If  and  are both zero at the same place, then this is an equilibrium point with "
         "regards to SGD")
g0, v0 = sp.symbols("g_0 v_0", real=True)  # G(W*), V(W*)
STATED = sp.And(sp.Eq(g0, 0), sp.Eq(v0, 0))
GRADIENT = (W - 1) * (W - 2)
AMPLITUDE = (W - 2) * (W - sp.Rational(1, 2)) / 2
SETTING = StepSetting("SGD on two data points, per-example gradients G +- sqrt(V), "
                      "G = (W-1)(W-2), sqrt(V) = (W-2)(W-1/2)/2", W, GRADIENT, AMPLITUDE,
                      eta=0.1, noise="sign")


def _point(desc, w_star):
    g = GRADIENT.subs(W, w_star)
    v = (AMPLITUDE**2).subs(W, w_star)
    return (f"{desc} (G = {float(g):g}, V = {float(v):g})", SETTING, float(w_star),
            {g0: sp.nsimplify(g), v0: sp.nsimplify(v)})


def derive() -> Derivation:
    m, v = gaussian_moments(SGD_STEP)
    at = {G(W): g0, V(W): v0}
    mean, var = m.subs(at), v.subs(at)
    # A point mass stays a point mass at W* iff the step's mean and variance both vanish.
    solutions = sp.solve([mean, var], [g0, v0], dict=True)  # eta > 0
    if len(solutions) != 1:
        raise ArithmeticError(f"expected one solution of mean = var = 0, got {solutions}")
    condition = sp.And(*(sp.Eq(s, val) for s, val in sorted(solutions[0].items(), key=str)))
    same = condition == STATED
    return Derivation(condition, (
        Step("One SGD step from W*: mean and variance of the displacement", sp.Tuple(mean, var)),
        Step("delta at W* is invariant iff both vanish; with eta > 0 that is", condition),
    ), Comparison(Equivalence.PROVED if same else Equivalence.UNDECIDED,
                  "the step's mean and variance at W* vanish exactly when G = V = 0"))


CLAIM = Claim(
    id="004-sgd-equilibria",
    title="Where G and V both vanish, SGD has an equilibrium (and only there)",
    source=Source(DECK, "Gradient Variance"),
    statement=Statement(quote=QUOTE, latex=r"G(W^*) = 0 \wedge V(W^*) = 0 \iff \delta_{W^*} \text{ invariant under SGD}",
                        encoding=sp.Equivalent(sp.Symbol("equilibrium"), STATED), result=STATED,
                        latex_names=None, parse_note="a criterion stated in words",
                        reconstruction=Reconstruction(
                            "Words with the symbols stripped: G and V both zero at W*; read as the "
                            "criterion (the next sentence contrasts a pit where they are not).",
                            Confidence.HIGH)),
    setting=(real(g0, "G(W^*)", "mean gradient at the point"),
             real(v0, "V(W^*)", "per-example gradient variance at the point", (0.0, 3.0))),
    assumptions=("SGD on one example per step; V is the per-example gradients' variance",
                 "equilibrium: a point mass there stays there"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=single_case(derive, (FixedPointFate(
        points=(_point("W* = 2, both vanish", 2), _point("W* = 1, only G vanishes", 1),
                _point("W* = 1/2, only V vanishes", sp.Rational(1, 2))),
        offset=0.0, steps=100, tolerance=1e-12, chains={"quick": 1000, "full": 10000},
        name="Monte Carlo: SGD chains started exactly at the point"),)),
    mutants=(replaced("G = 0 suffices", sp.Eq(g0, 0)), replaced("V = 0 suffices", sp.Eq(v0, 0))),
    expected=Verdict.HOLDS,
)
