"""Rendering: one data model, two templates, errata first, self-contained, written all or none."""

import copy
import json
import re

import pytest

from reportdocs import small_results  # noqa: F401  (a fixture)
from reports.render import json_safe, render_html, render_latex, write_report


@pytest.fixture(scope="module")
def page(small_results):
    return render_html(small_results)


def test_sections_come_in_order_errata_first(page):
    positions = [page.index(f'<section id="{s}">') for s in ("errata", "summary", "claims", "run")]
    assert positions == sorted(positions)


def test_each_erratum_shows_slide_statement_correction_source_and_evidence(page, small_results):
    errata = page[page.index('<section id="errata">'):page.index('<section id="summary">')]
    for c in small_results["claims"]:
        if c["verdict"] not in ("ERRATUM", "CONDITIONAL"):
            assert f'id="erratum-{c["id"]}"' not in errata
            continue
        block = errata[errata.index(f'id="erratum-{c["id"]}"'):]
        block = block[:block.find('<div class="erratum', 10)] if '<div class="erratum' in block[10:] else block
        assert c["slide"] in block and c["deck"] in block
        assert '<pre class="latex-source"' in block and "Evidence:" in block
        from markupsafe import escape

        assert str(escape(c["correction_latex"])) in block


def test_summary_has_one_row_per_claim_with_key_z(page, small_results):
    summary = page[page.index('<section id="summary">'):page.index('<section id="claims">')]
    assert summary.count("<tr><td><a href=") == len(small_results["claims"])
    z = small_results["claims"][0]["key_z"]["stated"]
    assert f"{z:.3g}" in summary


def test_page_is_self_contained(page):
    assert "<link" not in page and not re.search(r"<script[^>]+src=", page)
    assert not re.search(r'\s(?:src|href)="(?!#|data:)', page)


def test_markup_in_data_is_escaped(small_results):
    doc = copy.deepcopy(small_results)
    doc["claims"][0]["title"] = "<script>alert(1)</script>"
    doc["claims"][0]["cases"][0]["symbolic"]["derived"]["mathml"] = "<math><script>alert(2)</script></math>"
    out = render_html(doc)
    assert "<script>alert" not in out and "&lt;script&gt;alert(1)" in out


def test_latex_document_lists_errata_and_every_claim(small_results):
    tex = render_latex(small_results)
    assert tex.index(r"\section{Errata}") < tex.index(r"\section{Summary}")
    for c in small_results["claims"]:
        assert c["id"].replace("-", r"-\allowbreak{}") in tex
    assert r"\begin{lstlisting}" in tex


def test_write_then_render_gives_the_same_pages_without_simulating(small_results, tmp_path, monkeypatch):
    from reports.cli import main

    write_report(small_results, tmp_path / "a")
    saved = (tmp_path / "a" / "results.json").read_text()
    import derivations.experiments.stationary_1d as s1

    monkeypatch.setattr(s1.MonteCarloStationary1D, "run", lambda *a, **k: 1 / 0)
    assert main(["render", str(tmp_path / "a" / "results.json"), "--out", str(tmp_path / "b")]) == 0
    for name in ("results.json", "report.html", "errata.tex"):
        assert (tmp_path / "a" / name).read_text() == (tmp_path / "b" / name).read_text()
    assert json.loads(saved)["meta"] == small_results["meta"]


def test_a_failed_render_writes_nothing(small_results, tmp_path, monkeypatch):
    import reports.render as render

    monkeypatch.setattr(render, "render_latex", lambda results: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        write_report(small_results, tmp_path / "out")
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_non_finite_numbers_are_written_as_strings(small_results, tmp_path):
    doc = copy.deepcopy(small_results)
    doc["claims"][0]["cases"][0]["numeric"]["experiments"][0]["plots"].append(
        {"kind": "series", "title": "t", "data": {"x": [1, 2], "series": {"a": [float("nan"), 1.0]}}})
    write_report(doc, tmp_path)
    assert '"nan"' in (tmp_path / "results.json").read_text()
    assert json_safe([float("inf"), {"a": float("-inf")}]) == ["inf", {"a": "-inf"}]


def test_results_pass_the_documented_layout(small_results):
    from reports.schema import validate

    validate(small_results)


def test_layout_docstring_names_every_key():
    import reports.schema as schema

    def keys(shape):
        cell = getattr(shape.check, "__closure__", None) or ()
        for c in cell:
            v = c.cell_contents
            if isinstance(v, dict):
                for k, sub in v.items():
                    yield k
                    yield from keys(sub)
            elif isinstance(v, schema.Shape):
                yield from keys(v)

    missing = sorted({k for k in keys(schema.LAYOUT) if f'"{k}"' not in schema.__doc__})
    assert missing == []


def test_every_claim_passes_preflight():
    """Each catalogue claim's LaTeX can be typeset (the report would show its source otherwise)."""
    from derivations.registry import all_claims
    from reports.preflight import preflight

    for claim in all_claims():
        preflight(claim)
