"""The contract every claim meets, checked generically over the registry (STYLE.md, practice 1)."""

import pytest
import sympy as sp

from derivations.model import Claim, Relation, Verdict
from derivations.registry import all_claims

CLAIMS = all_claims()


def test_catalogue_is_not_empty_and_ids_are_unique():
    ids = [c.id for c in CLAIMS]
    assert ids and len(ids) == len(set(ids))


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_claim_is_complete(claim: Claim):
    assert claim.source.deck.endswith(".txt") and claim.source.slide
    assert claim.statement.quote.strip() and claim.statement.latex.strip()
    assert isinstance(claim.expected, Verdict)
    assert claim.mutants, "a simulation must name the wrong alternatives it rejects"
    for case in claim.cases:
        assert case.experiments, f"case {case.name!r} has no experiment"
        kinds = {e.kind for e in case.experiments}
        assert kinds <= {"monte-carlo", "deterministic"}
        assert "monte-carlo" in kinds, f"case {case.name!r} has no Monte Carlo witness"
    if claim.statement.reconstruction is None:
        assert claim.statement.latex == claim.statement.quote, (
            "a clean deck's statement is its quote; only reconstructions may differ")


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_compared_symbols_are_declared(claim: Claim):
    declared = {p.symbol for p in claim.setting}
    free = {s for s in sp.sympify(claim.statement.claimed).free_symbols if isinstance(s, sp.Symbol)}
    assert free <= declared | set(claim.variables), f"undeclared: {free - declared}"
    if claim.relation is Relation.DENSITY:
        assert claim.variables, "a density needs its state variables"


def _modules_by_claim_id():
    import importlib
    import pkgutil

    import derivations.claims as pkg

    mods = (importlib.import_module(f"{pkg.__name__}.{i.name}")
            for i in pkgutil.iter_modules(pkg.__path__) if not i.name.startswith("_"))
    return {m.CLAIM.id: m for m in mods}


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_module_docstring_names_its_deck(claim: Claim):
    mod = _modules_by_claim_id()[claim.id]
    assert mod.__doc__ and mod.__doc__.startswith(claim.source.deck[:3]), (
        "a claim module's docstring opens with its deck's number and slide title")
