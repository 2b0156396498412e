"""Claims checked in worker processes give the records the test process gives."""

import pytest

from derivations.registry import UnknownClaimError, get_claim
from reports.engine import check_claim
from reports.pool import check_in_processes
from reports.results import digest

FAST = ["003-one-dim-gradient", "004-sgd-equilibria", "003-bias-first-step"]


def test_workers_record_what_the_test_process_records():
    got = dict(check_in_processes(FAST + ["no-such-claim"], budget="quick", seed=3, processes=2))
    assert set(got) == set(FAST) | {"no-such-claim"}
    assert isinstance(got["no-such-claim"], UnknownClaimError)  # one bad id spoils nothing else
    for cid in FAST:
        here = check_claim(get_claim(cid), budget="quick", seed=3)
        assert digest({"claim": got[cid]}) == digest({"claim": here}), cid


def test_process_count_is_checked():
    with pytest.raises(ValueError, match="processes=0 must be an integer >= 1"):
        list(check_in_processes(FAST, processes=0))
