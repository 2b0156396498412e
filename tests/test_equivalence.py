"""The symbolic witness's cascade, rung by rung."""

import sympy as sp
import pytest

from derivations.equivalence import compare
from derivations.model import Equivalence, Relation
from derivations.symbols import ETA, LOSS, NORMALISER, SIGMA, X, L, Z, eta, positive, sigma, x

SETTING = (X, ETA, SIGMA, NORMALISER, LOSS)


def test_structural_equality():
    c = compare(x**2 + 1, x**2 + 1, relation=Relation.IDENTITY, variables=(x,), setting=SETTING)
    assert c.status is Equivalence.PROVED and c.method == "structural equality"


def test_simplification_proves():
    c = compare(sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1), relation=Relation.IDENTITY,
                variables=(x,), setting=SETTING)
    assert c.status is Equivalence.PROVED and "simplify" in c.method


def test_simplify_cannot_settle_but_random_points_do():
    # asinh(x) = log(x + sqrt(x^2 + 1)) for real x: sympy's simplify leaves the difference.
    stated, derived = sp.asinh(x), sp.log(x + sp.sqrt(x**2 + 1))
    assert sp.simplify(stated - derived) != 0
    c = compare(stated, derived, relation=Relation.IDENTITY, variables=(x,), setting=SETTING)
    assert c.status is Equivalence.NUMERICALLY_EQUAL
    assert "not proved" in c.status.value


def test_random_points_refute_with_a_counterexample():
    c = compare(sp.asinh(x), sp.log(x + sp.sqrt(x**2 + 2)), relation=Relation.IDENTITY,
                variables=(x,), setting=SETTING)
    assert c.status is Equivalence.REFUTED
    assert "x" in c.counterexample


def test_density_up_to_normalisation():
    stated = sp.exp(-2 * L(x) / (eta * sigma**2)) / Z
    derived = 7 * sp.exp(-2 * L(x) / (eta * sigma**2))
    c = compare(stated, derived, relation=Relation.DENSITY, variables=(x,), setting=SETTING)
    assert c.status is Equivalence.PROVED
    wrong = sp.exp(-L(x) / (eta * sigma**2))
    c = compare(stated, wrong, relation=Relation.DENSITY, variables=(x,), setting=SETTING)
    assert c.status is Equivalence.REFUTED and "L" in c.counterexample


def test_equations_with_the_same_solutions():
    p = sp.Function("p")
    from derivations.symbols import function
    P = function(p, "p", "density")
    a = sp.Eq(sigma**2 * sp.Derivative(p(x), x) / 2, -p(x) * sp.Derivative(L(x), x))
    b = sp.Eq(sigma**2 * sp.Derivative(p(x), x) + 2 * p(x) * sp.Derivative(L(x), x), 0)
    c = compare(a, b, relation=Relation.IDENTITY, variables=(x,), setting=SETTING + (P,))
    assert c.status.agrees


def test_undeclared_symbol_is_an_error_naming_it():
    k = sp.Symbol("k")
    with pytest.raises(ValueError, match="symbol k"):
        compare(sp.asinh(k), sp.log(k + sp.sqrt(k**2 + 1)), relation=Relation.IDENTITY,
                variables=(), setting=SETTING)


def test_undecided_when_nothing_evaluates():
    a = sp.Symbol("a", positive=True)
    A = positive(a, "a", "a positive number", (1, 2))
    # log(-a - 1) is complex: both sides evaluate to complex numbers and agree...
    c = compare(sp.log(-a - 1), sp.log(a + 1) + sp.I * sp.pi, relation=Relation.IDENTITY,
                variables=(), setting=(A,))
    assert c.status in (Equivalence.PROVED, Equivalence.NUMERICALLY_EQUAL)
    # ...whereas a pole at every sample point leaves the cascade with nothing to compare.
    c = compare(1 / (a - a), sp.Integer(1), relation=Relation.IDENTITY, variables=(), setting=(A,))
    assert c.status is Equivalence.UNDECIDED
