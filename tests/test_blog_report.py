"""The blog's claims (deck 004) reach the report: every record is canonical JSON.

Uses the session's quick results (no extra simulation). A numpy scalar that slips into a
measurement (a numpy bool from a comparison, a float64 estimate) would make
``slidecheck report`` fail at the very end; this catches it at once.
"""

import pytest

from derivations.registry import all_claims
from reports.results import dumps

BLOG = [c for c in all_claims() if c.id.startswith("004-")]


@pytest.mark.parametrize("claim", BLOG, ids=lambda c: c.id)
def test_record_serialises(claim, quick_results):
    text = dumps(quick_results(claim.id))
    assert claim.id in text
