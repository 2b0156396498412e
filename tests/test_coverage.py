"""The coverage table: every slide of every deck is accounted for, and COVERAGE.md is current."""

from pathlib import Path

import pytest

from derivations.coverage import (ENTRIES, NO_CLAIM, PENDING, SAME_AS, Entry, coverage_rows,
                                  render_markdown)
from derivations.decks import decks_folder, normalise
from derivations.registry import all_claims
from derivations.slides import DECKS, slide_titles

needs_decks = pytest.mark.skipif(decks_folder() is None, reason="decks not found (set SLIDECHECK_DECKS)")
ROOT = Path(__file__).resolve().parent.parent


@needs_decks
def test_every_slide_of_every_deck_is_accounted_for():
    missing = [f"{r['deck']} / {r['slide']!r}" for r in coverage_rows() if r["kind"] == "uncovered"]
    assert not missing, ("slides with no claim and no coverage entry (add a claim module or an Entry "
                         "in derivations/coverage.py):\n" + "\n".join(missing))


@needs_decks
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: f"{e.deck[:3]}-{e.kind}-{e.slide[:30]}")
def test_entry_names_a_slide_of_its_deck(entry):
    assert normalise(entry.slide) in {normalise(t) for t in slide_titles(entry.deck)}, (
        f"{entry.slide!r} is not a slide title of {entry.deck} (titles: {slide_titles(entry.deck)})")


@needs_decks
@pytest.mark.parametrize("claim", all_claims(), ids=lambda c: c.id)
def test_claim_names_a_slide_the_parser_finds(claim):
    assert normalise(claim.source.slide) in {normalise(t) for t in slide_titles(claim.source.deck)}, (
        f"{claim.id}: slide {claim.source.slide!r} is not among {claim.source.deck}'s slide titles")


@needs_decks
def test_pending_entries_are_not_stale():
    """A slide whose owner has filed a claim or an entry must leave PENDING."""
    done = {(r["deck"], r["slide"]) for r in coverage_rows() if r["kind"] not in (PENDING, "uncovered")}
    stale = [f"{e.deck} / {e.slide!r}" for e in ENTRIES
             if e.kind == PENDING and (e.deck, normalise(e.slide)) in done]
    assert not stale, "remove these PENDING entries, their slides are covered:\n" + "\n".join(stale)


@needs_decks
def test_no_slide_is_pending():
    pending = sorted({(e.owner, e.slide) for e in ENTRIES if e.kind == PENDING})
    if pending:
        owners = sorted({o for o, _ in pending})
        pytest.skip(f"{len(pending)} slides still pending ({'; '.join(owners)})")


@needs_decks
def test_coverage_file_is_current():
    stored = (ROOT / "COVERAGE.md").read_text() if (ROOT / "COVERAGE.md").exists() else ""
    assert stored == render_markdown(coverage_rows()), (
        "COVERAGE.md is out of date: regenerate it with `python -m derivations.coverage`")


@needs_decks
def test_same_as_rows_carry_the_claims_verdict():
    pinned = {c.id: c.expected.value for c in all_claims()}
    for r in coverage_rows():
        if r["kind"] == SAME_AS:
            assert r["verdict"] == pinned[r["claim"]]


@needs_decks
def test_results_verdicts_replace_pinned_ones():
    some = all_claims()[0]
    rows = coverage_rows({"claims": [{"id": some.id, "verdict": "CONFLICT"}]})
    assert {r["verdict"] for r in rows if r["claim"] == some.id} == {"CONFLICT"}


@pytest.mark.parametrize("kwargs, match", [
    (dict(kind="maybe"), "kind='maybe'"),
    (dict(kind=SAME_AS), "names its claim"),
    (dict(kind=NO_CLAIM, claim="001-euler-step"), "names its claim"),
    (dict(kind=PENDING), "names its owner"),
])
def test_bad_entries_name_the_rule(kwargs, match):
    base = dict(deck=DECKS[1], slide="Gradient Flow", reason="r")
    with pytest.raises(ValueError, match=match):
        Entry(**{**base, **kwargs})


@needs_decks
def test_slide_parser_reads_each_kind_of_deck():
    ocr = slide_titles(DECKS[0])
    assert "Proof: Step 2 (TZ)" in ocr and "Langevin Dynaimcs" in ocr
    assert not any(t.startswith("These Plots") for t in ocr)  # body text after a page break
    assert slide_titles(DECKS[1])[:3] == ["TTIC 31230, Fundamentals of Deep Learning",
                                          "Continuous Time Models of SGD", "Gradient Flow"]
    assert "END" not in slide_titles(DECKS[2])
    blog = slide_titles(DECKS[4])
    assert blog[0] == "Gradient Variance" and "New Comment" in blog
    assert not any(t.endswith(".") for t in blog)
