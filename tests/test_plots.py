"""Plots: every registered kind draws its documented layout; anything else becomes a table."""

import re

import pytest

from plot_examples import EXAMPLES
from reports.plots import plotters, render_plot


def test_every_registered_kind_has_an_example():
    assert set(plotters()) == set(EXAMPLES), "add an example of each new kind to tests/plot_examples.py"


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_kind_draws_inline_svg(kind):
    out = render_plot({"kind": kind, "title": f"an example {kind}", "data": EXAMPLES[kind]})
    assert out.startswith(f'<figure class="plot" data-kind="{kind}"><svg')
    assert "<text" in out  # text as text (svg.fonttype none), not glyph outlines
    # nothing fetched: the only URLs are XML namespaces, the only hrefs internal or data:
    assert not re.search(r'(?:href|src)="(?!#|data:)', out)
    assert out == render_plot({"kind": kind, "title": f"an example {kind}", "data": EXAMPLES[kind]})


def test_unknown_kind_is_shown_as_its_data():
    out = render_plot({"kind": "phase-portrait", "title": "t", "data": {"t": [0, 1], "y": [2.5, 3.5],
                                                                       "note": {"k": "v"}}})
    assert 'class="plot-data"' in out and "no drawing for plot kind" in out
    assert "<td class=\"num\">2.5</td>" in out and "<svg" not in out


@pytest.mark.parametrize("data, why", [
    ({"series": "not a list"}, "series must be a non-empty list"),
    ({"x": [1, 2], "density": [1]}, "must have one value per bin"),
    ({}, "KeyError"),
])
def test_malformed_data_says_why_instead_of_failing(data, why):
    kind = "ladder" if "series" in data else "histogram-vs-densities"
    out = render_plot({"kind": kind, "title": "t", "data": {**data, "curve_x": [], "curves": {}}
                       if kind != "ladder" else data})
    assert "could not be drawn" in out and why in out


def test_non_finite_values_written_as_strings_are_gaps():
    data = dict(EXAMPLES["series"], series={"a": [1, "nan", 3, "inf"]})
    assert "<svg" in render_plot({"kind": "series", "title": "t", "data": data})
