"""A claim of issue 7 through the whole pipeline: engine record -> HTML report.

Its derivation has steps without an expression (``Step.expr`` is optional), which the
report must render; and its hypotheses are tables (``derivations.tables``), which must
print as MathML.
"""

from derivations.registry import get_claim
from reports.engine import check_claims
from reports.render import render_html


def test_table_claim_renders_in_the_report():
    results = check_claims([get_claim("001-brownian-n-steps")], budget="quick", seed=0)
    assert results["claims"][0]["verdict"] == "HOLDS"
    html = render_html(results)
    assert "001-brownian-n-steps" in html and "<math" in html
