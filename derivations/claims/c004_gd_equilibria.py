"""004, "Gradient Variance": "Places where G is zero and the gradient of G is positive are the stable equilibrium points with regards to gradient descent".

For the gradient flow dW/dt = -eta G the statement is the textbook criterion. Gradient
descent is the map W -> W - eta G(W); at a zero W* of G its multiplier is 1 - eta G'(W*),
so W* attracts nearby points iff |1 - eta G'(W*)| < 1, i.e. 0 < eta G'(W*) < 2. The
statement therefore holds when the step is small enough (eta G' < 2) and fails beyond: a
minimum with eta G'(W*) > 2 repels gradient descent (the post itself notes that high eta
breaks its model). The locations "(at ~1 and 2)" belong to the post's earlier loss, which
is not given: not checkable.

Simulation: gradient descent on G = W^3 - W (minima at +-1 with G' = 2, a maximum at 0 with
G' = -1) from random points within 0.05 of the fixed point, at learning rates putting
eta G'(W*) at 0.5, 1.5, -0.25 (small steps) and 2.5, 3 (large): the fraction that has
converged (to within 1e-6) after 200 steps against each hypothesis's verdict (1 if it calls the point
stable, else 0).
"""

import sympy as sp

from derivations.blog_model import DECK, W, eta
from derivations.experiments.blog_steps import FixedPointFate, StepSetting
from derivations.model import (Case, Claim, Comparison, Confidence, Derivation, Equivalence,
                               Mutant, Reconstruction, Relation, Source, Statement, Step, Verdict)
from derivations.mutants import replaced
from derivations.symbols import positive, real

QUOTE = ("Places where  is zero and the gradient of  is positive are the stable equilibrium "
         "points with regards to gradient descent")
k = sp.Symbol("k", real=True)  # G'(W*) at a zero W* of G
STATED = sp.StrictGreaterThan(k, 0)
LOSS_GRADIENT = W**3 - W
CURVATURE = real(k, "G'(W^*)", "slope of the mean gradient at a zero W* of G", (-3.0, 3.0))
STEP = positive(eta, r"\eta", "learning rate", (1e-3, 2.0))


def _setting(rate):
    return StepSetting(f"gradient descent on G = W^3 - W, eta = {rate:g}", W, LOSS_GRADIENT,
                       sp.Integer(0), eta=rate)


def _point(desc, rate, w_star):
    slope = float(sp.diff(LOSS_GRADIENT, W).subs(W, w_star))
    return (f"{desc}: eta G'(W*) = {rate * slope:g}", _setting(rate), w_star,
            {k: sp.Float(slope, 30), eta: sp.Float(rate, 30)})


def _canonical(b: sp.Basic) -> sp.Basic:
    """Every relation in its canonical orientation (``0 < k`` and ``k > 0`` become one)."""
    return b.xreplace({r: r.canonical for r in b.atoms(sp.core.relational.Relational)})


def derive_for(assumption: sp.Basic, label: str, counterexample: dict | None):
    """The derivation for a case whose points satisfy ``assumption`` (a condition on k, eta)."""

    def derive() -> Derivation:
        multiplier = sp.diff(W - eta * sp.Function("G")(W), W)
        stable = sp.solve_univariate_inequality(sp.Abs(1 - eta * k) < 1, k, relational=True)
        if counterexample is None:
            # Under the assumption both criteria are the same conjunction (structural equality).
            same = _canonical(sp.And(assumption, stable)) == _canonical(sp.And(assumption, STATED))
            cmp = Comparison(Equivalence.PROVED if same else Equivalence.UNDECIDED,
                             f"under {assumption}: ({stable}) and (k > 0) coincide (structural)")
        else:
            holds = bool(assumption.subs(counterexample))
            s_val, d_val = STATED.subs(counterexample), stable.subs(counterexample)
            cmp = Comparison(Equivalence.REFUTED if holds and s_val != d_val else Equivalence.UNDECIDED,
                             f"a point satisfying {assumption}",
                             f"k > 0 is {s_val} but the derived criterion is {d_val}: a minimum "
                             "with eta k > 2 repels gradient descent",
                             {str(a): str(b) for a, b in counterexample.items()})
        return Derivation(stable, (
            Step("Gradient descent map phi(W) = W - eta G(W); at a zero W* of G, phi'(W*) is",
                 multiplier.subs(sp.Derivative(sp.Function("G")(W), W), k)),
            Step("Linear stability of the fixed point, |1 - eta k| < 1, solves to", stable),
            Step(f"Case ({label}): the statement's criterion k > 0 against it: {cmp.detail or cmp.method}"),
        ), cmp, correction_latex=(r"G(W^*) = 0 \text{ is a stable equilibrium of gradient descent iff } "
                                  r"0 < \eta\, G'(W^*) < 2"))
    return derive


BUDGET = {"quick": 1000, "full": 10000}
SMALL = FixedPointFate(
    points=(_point("minimum W* = 1", 0.25, 1.0), _point("minimum W* = 1, oscillating", 0.75, 1.0),
            _point("maximum W* = 0", 0.25, 0.0)),
    offset=0.05, steps=200, tolerance=1e-6, chains=BUDGET,
    name="Monte Carlo: gradient descent from random points near W*, small steps")
LARGE = FixedPointFate(
    points=(_point("minimum W* = 1", 1.25, 1.0), _point("minimum W* = -1", 1.5, -1.0)),
    offset=0.05, steps=200, tolerance=1e-6, chains=BUDGET,
    name="Monte Carlo: gradient descent from random points near W*, large steps")

CLAIM = Claim(
    id="004-gd-equilibria",
    title="Zeros of G with G' > 0 are the stable equilibria of gradient descent",
    source=Source(DECK, "Gradient Variance"),
    statement=Statement(quote=QUOTE, latex=r"G(W^*) = 0,\ G'(W^*) > 0 \iff W^* \text{ stable}",
                        encoding=sp.Equivalent(sp.Symbol("stable"), STATED), result=STATED,
                        latex_names=None, parse_note="a criterion stated in words",
                        reconstruction=Reconstruction(
                            "Words with the symbols stripped: G (mean gradient) zero, its gradient G' "
                            "positive; read as the criterion for a stable fixed point of gradient descent.",
                            Confidence.HIGH)),
    setting=(CURVATURE, STEP),
    assumptions=("gradient descent W' = W - eta G(W) with a fixed learning rate",
                 "non-degenerate zeros (G'(W*) != 0)"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(Case("small step: eta G'(W*) < 2", derive_for(k < 2 / eta, "eta k < 2", None), (SMALL,),
                assumptions=("eta G'(W*) < 2",)),
           Case("large step: eta G'(W*) > 2",
                derive_for(k > 2 / eta, "eta k > 2", {k: sp.Integer(2), eta: sp.Rational(5, 4)}),
                (LARGE,), assumptions=("eta G'(W*) > 2",))),
    mutants=(Mutant("stability reversed", lambda d: sp.Not(d)),
             replaced("every zero of G is stable", sp.true)),
    expected=Verdict.CONDITIONAL,
    notes=("Holds for the gradient flow and for gradient descent with eta G'(W*) < 2; a minimum "
           "with eta G'(W*) > 2 is an unstable fixed point of gradient descent."),
)
