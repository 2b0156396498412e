"""Every claim's record is what the report writes: strict JSON (no NaN, no numpy scalars).

Uses the session's quick-budget records (the ``quick_results`` fixture), so after the
catalogue test it costs no simulation. A numpy bool or float in a measurement, a plot or a
setup would make ``slidecheck report`` fail at the very end of a long run.
"""

import pytest

from derivations.registry import all_claims
from reports.results import dumps

CLAIMS = all_claims()


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_record_is_strict_json(claim, quick_results):
    dumps(quick_results(claim.id))  # raises TypeError (numpy types) or ValueError (NaN, inf)
