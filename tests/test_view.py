"""The one-line evidence of a claim (reports.view.evidence_line) on synthetic records."""

from reports.view import evidence_line


def _claim(estimate, se, bias_bound, prediction, accepted):
    z = (estimate - prediction) / se
    check = {"prediction": prediction, "z": z, "accepted": accepted}
    return {"cases": [{"in_scope": True, "outcome": "holds",
                       "symbolic": {"status": "proved equal", "method": "structural equality"},
                       "numeric": {"experiments": [{"kind": "monte-carlo", "measurements": [{
                           "observable": "R1", "estimate": estimate, "se": se,
                           "bias_bound": bias_bound,
                           "checks": {"stated": dict(check), "derived": dict(check)}}]}]}}]}


def test_a_pass_by_the_statistical_error_quotes_z():
    line = evidence_line(_claim(1.0 + 2e-3, 1e-3, 0.0, 1.0, True), z_crit=5.03)
    assert "simulation accepts it at |z| = 2.0 on R1" in line
    assert "bias bound" not in line


def test_a_pass_by_the_bias_bound_says_so_instead_of_quoting_a_large_z_as_a_pass():
    # 003-scaling-eta-linear-rule's shape: difference 1.5e-6, se 1.2e-9, bias bound 3.3e-4.
    line = evidence_line(_claim(1.0 - 1.5e-6, 1.2e-9, 3.3e-4, 1.0, True), z_crit=5.03)
    assert "accepts it within the stated bias bound 0.00033 (difference 1.5e-06; |z| = 1250.0" in line
    assert "derived result accepted everywhere (|z| ≤ 1250.0 or within the stated bias bound)" in line


def test_a_rejection_quotes_z():
    line = evidence_line(_claim(1.5, 1e-3, 1e-4, 1.0, False), z_crit=5.03)
    assert "simulation rejects it at |z| = 500.0" in line
