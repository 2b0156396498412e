"""The HTML report in a real browser: math laid out as MathML, plots drawn, nothing fetched.

Headless Chromium (Debian's ``chromium``; ``.ci/run`` installs it) loads the report with a
measuring script injected (``tests/headless.py``). Skips, saying why, where Chromium is
not installed.
"""

import pytest

import headless
from reportdocs import small_results  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(headless.chromium() is None,
                                 reason="chromium not installed (.ci/run installs Debian's chromium "
                                        "package; apt-get install chromium)")]


@pytest.fixture(scope="module")
def measured(small_results, tmp_path_factory):
    from reports.render import render_html

    page = render_html(small_results)
    return headless.measure(page, tmp_path_factory.mktemp("browser")), small_results


def test_math_is_laid_out_as_mathml(measured):
    m, _ = measured
    assert m["n_math"] > 20
    # MathML Core layout: the UA gives <math> display "math"/"block math"; an unsupported
    # element would be "inline" and its fractions would not stack.
    assert set(m["displays"]) <= {"math", "block math", "inline math"}, m["displays"]
    assert m["empty_math"] == []
    assert m["n_frac"] > 0 and m["stacked_frac"] == m["n_frac"]


def test_no_raw_latex_is_left_on_the_page(measured):
    m, _ = measured
    assert m["raw_latex"] == [], "LaTeX shown as text outside the paste-ready source blocks"
    assert m["source_fallbacks"] == 0


def test_every_plot_is_drawn_and_unknown_kinds_become_tables(measured):
    from reports.plots import plotters

    m, doc = measured
    plots = [p for c in doc["claims"] for case in c["cases"] for e in case["numeric"]["experiments"]
             for p in e["plots"]]
    drawable = [p for p in plots if p["kind"] in plotters()]
    assert len(m["plots"]) == len(drawable) >= len(plotters())
    assert all(w > 200 and h > 100 for w, h in m["plots"]), m["plots"]
    assert m["data_tables"] == len(plots) - len(drawable) == 1


def test_page_is_self_contained_and_errata_come_first(measured):
    m, doc = measured
    assert m["external"] == []
    assert m["h2"] == ["Errata", "Summary", "Claims", "Run"]
    assert m["errata"] == sum(c["verdict"] in ("ERRATUM", "CONDITIONAL") for c in doc["claims"]) >= 2
