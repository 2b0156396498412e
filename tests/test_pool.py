"""Claims checked in worker processes give the records the test process gives."""

import threading

import pytest

from derivations.registry import UnknownClaimError, get_claim
from reports.engine import check_claim
from reports.pool import ClaimPool
from reports.results import digest

FAST = ["003-one-dim-gradient", "004-sgd-equilibria", "003-bias-first-step"]


@pytest.mark.skipif(threading.active_count() > 1, reason="fork needs a single-threaded process")
def test_workers_record_what_the_test_process_records():
    pool = ClaimPool(FAST + ["no-such-claim"], budget="quick", seed=3, processes=2,
                     start_method="fork")  # as conftest.py starts them
    try:
        with pytest.raises(UnknownClaimError, match="no-such-claim"):
            pool.result("no-such-claim")  # and one bad id spoils nothing else:
        for cid in FAST:
            here = check_claim(get_claim(cid), budget="quick", seed=3)
            assert digest({"claim": pool.result(cid)}) == digest({"claim": here}), cid
    finally:
        pool.shutdown()


@pytest.mark.parametrize("kwargs, match", [
    ({"processes": 0, "start_method": "spawn"}, "processes=0 must be an integer >= 1"),
    ({"processes": 2, "start_method": "clone"}, "start_method='clone' must be one of"),
])
def test_bad_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ClaimPool(FAST, **kwargs)
