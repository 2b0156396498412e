"""001, "Coordinate Independent Formulation of Gradient Noise": Sigma(Phi) = E_g_hat (g_hat - g)(g_hat_i - g)^T.

The slide defines the gradient-noise covariance with two different gradients in the outer
product: g_hat and g_hat_i (the deck's name for the gradient of the i-th sampled example).
Read as written, with the expectation over g_hat and g_hat_i another draw (or a fixed one),
E_g_hat[(g_hat - g)] (g_hat_i - g)^T = 0: the formula defines the zero matrix. The covariance
is E (g_hat - g)(g_hat - g)^T (the next line of the same slide, and the appendix, write it so):
an index slip. The alternative reading "g_hat_i is g_hat" is checked beside it.

The derivation uses per-example gradients of linear regression, g_hat = a (a . Phi - b) with
a ~ N(0, I), b ~ N(0, 1), whose covariance (1 + |Phi|^2) I + Phi Phi^T follows from Isserlis'
theorem; the simulation samples examples and measures the covariance.
"""

import sympy as sp

from derivations.experiments.noise_2d import (NoiseSpec, covariance_statistics,
                                              example_loss, gaussian_expectation, noise_witnesses)
from derivations.experiments.settings_nd import Y
from derivations.model import (Claim, Comparison, Derivation, Equivalence, Mutant, Relation, Source,
                               Statement, Step, Verdict, single_case)
from derivations.symbols import X, x, y

QUOTE = r"\Sigma(\Phi) = E_{\hat{g}} (\hat{g} - g)(\hat{g}_i - g)^\top"
PHI = sp.Matrix([x, y])
G_HAT = sp.Matrix([sp.diff(example_loss(PHI), v) for v in (x, y)])
LITERAL = sp.Matrix([0, 0, 0])


def entries(M: sp.Matrix) -> sp.Matrix:
    return sp.Matrix([M[0, 0], M[0, 1], M[1, 1]])


def covariance() -> tuple[sp.Matrix, sp.Matrix]:
    g = G_HAT.applyfunc(gaussian_expectation)
    d = G_HAT - g
    return g, (d * d.T).applyfunc(gaussian_expectation)


def derive() -> Derivation:
    g, S = covariance()
    second = (G_HAT * G_HAT.T).applyfunc(gaussian_expectation)
    # The literal formula: g_hat_i an independent draw (or fixed): E over g_hat of (g_hat - g) is 0.
    other = sp.Matrix(sp.symbols("gi_1 gi_2", real=True))
    literal = ((G_HAT - g) * (other - g).T).applyfunc(gaussian_expectation)
    return Derivation(entries(S), (
        Step("Per-example gradient of (a . Phi - b)^2 / 2", sp.Eq(sp.Symbol(r"\hat g"), G_HAT)),
        Step("Mean gradient g = E g_hat (a ~ N(0, I), b ~ N(0, 1))", sp.Eq(sp.Symbol("g"), g)),
        Step("Covariance E (g_hat - g)(g_hat - g)^T (Isserlis)", sp.Eq(sp.Symbol(r"\Sigma"), S)),
        Step("The slide's E_g_hat (g_hat - g)(g_hat_i - g)^T with g_hat_i another draw", literal),
        Step("(For comparison: the uncentred E g_hat g_hat^T = Sigma + g g^T)", second)),
        comparison=Comparison(Equivalence.REFUTED, "symbolic expectation of the formula as written",
                              "E_g_hat (g_hat - g)(g_hat_i - g)^T = 0 for any g_hat_i not the same "
                              "draw; the covariance needs (g_hat - g)(g_hat - g)^T"),
        correction_latex=r"\Sigma(\Phi) = E_{\hat{g}} (\hat{g} - g)(\hat{g} - g)^\top")


_G_MEAN, _S = covariance()
POINT = {x: 0.6, y: -0.4}


def _predict(h, values):
    vals = {k: sp.Float(v, 30) for k, v in values.items()}
    return [float(sp.sympify(e).subs(vals)) for e in sp.Matrix(h)]


SPEC = NoiseSpec(
    label="linear-regression examples at Phi = (0.6, -0.4)", quantities=tuple(G_HAT), values=POINT,
    statistics=covariance_statistics(2), predict=_predict,
    budgets={"quick": (64, 4000), "full": (256, 20000)})

CLAIM = Claim(
    id="001-noise-covariance-index",
    title="The gradient-noise covariance, written with g_hat and g_hat_i",
    source=Source("001_f7b24b47ec34203a.txt", "Coordinate Independent Formulation of Gradient Noise"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE,
        encoding=sp.Eq(sp.Symbol(r"\Sigma(\Phi)"),
                       sp.Symbol(r"E_{\hat g}(\hat g - g)(\hat g_i - g)^T")),
        result=LITERAL, latex_names=None,
        parse_note="an expectation over a random vector; evaluated symbolically instead"),
    setting=(X, Y),
    assumptions=(r"g_hat_i: the gradient of the i-th sampled example (the deck's notation), not the "
                 r"draw g_hat the expectation runs over",
                 "gradient noise of linear regression with Gaussian inputs (the simulations' model)"),
    relation=Relation.CUSTOM,
    variables=(x, y),
    cases=single_case(derive, noise_witnesses(SPEC)),
    mutants=(Mutant("uncentred second moment E g_hat g_hat^T",
                    lambda d: d + entries(_G_MEAN * _G_MEAN.T)),
             Mutant("x 2", lambda d: 2 * d)),
    expected=Verdict.ERRATUM,
    notes=("An index slip: as written the formula is the zero matrix. Correct: "
           "Sigma(Phi) = E (g_hat - g)(g_hat - g)^T, as the slide's next line uses."),
)
