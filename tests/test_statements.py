"""Two guards against a statement drifting from its slide (issue 2, item 2).

1. Each claim's quote occurs in its deck, whitespace-normalised, and the slide title too.
2. Where sympy's LaTeX parser reads the quote, the parse equals the hand-written encoding
   (by the equivalence cascade). Claims the parser cannot read say why (``parse_note``).
"""

import pytest

from derivations.decks import deck_text, decks_folder, normalise, quote_occurs
from derivations.equivalence import compare
from derivations.latex import parse_quote, rename_to
from derivations.model import Relation
from derivations.registry import all_claims

CLAIMS = all_claims()
needs_decks = pytest.mark.skipif(decks_folder() is None,
                                 reason="decks not found (set SLIDECHECK_DECKS or provide ../shared/seeds)")


@needs_decks
@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_quote_occurs_in_deck(claim):
    assert quote_occurs(claim.statement.quote, claim.source.deck), (
        f"{claim.id}: quote not found verbatim in {claim.source.deck}")
    assert normalise(claim.source.slide) in normalise(deck_text(claim.source.deck)), (
        f"{claim.id}: slide title {claim.source.slide!r} not in {claim.source.deck}")


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_parse_equals_encoding(claim):
    st = claim.statement
    if st.latex_names is None:
        assert st.parse_note, f"{claim.id}: no parser guard and no parse_note saying why"
        pytest.skip(f"parser guard not applicable: {st.parse_note}")
    parsed = rename_to(parse_quote(st.latex, st.latex_names), st.encoding)
    assert _same(parsed, st.encoding, claim), f"{claim.id}: parse {parsed} differs from encoding {st.encoding}"


def _same(parsed, encoding, claim) -> bool:
    """Equations side by side (left sides structurally, right sides by the cascade)."""
    import sympy as sp

    if isinstance(parsed, sp.Equality) != isinstance(encoding, sp.Equality):
        return False
    pairs = [(parsed.lhs, encoding.lhs), (parsed.rhs, encoding.rhs)] if isinstance(
        parsed, sp.Equality) else [(parsed, encoding)]
    for a, b in pairs:
        if sp.simplify(a - b) == 0:
            continue
        cmp = compare(a, b, relation=Relation.IDENTITY, variables=claim.variables, setting=claim.setting)
        if not cmp.status.agrees:
            return False
    return True


def test_the_guard_catches_a_drifted_encoding():
    """A statement whose encoding lost its factor 2 must fail the parser guard."""
    import sympy as sp

    from derivations.symbols import L, Z, eta, sigma, x

    claim = next(c for c in CLAIMS if c.id == "001-sgd-sde-1d")
    p = sp.Function("p")
    drifted = sp.Eq(p(x), sp.exp(-L(x) / (eta * sigma**2)) / Z)
    parsed = rename_to(parse_quote(claim.statement.latex, claim.statement.latex_names), drifted)
    assert _same(parsed, claim.statement.encoding, claim)
    assert not _same(parsed, drifted, claim)
