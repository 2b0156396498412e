"""Shared fixtures: the quick-budget results of every claim, computed once per session.

When the selected tests need many claims (the whole catalogue, say), they are submitted,
as soon as collection ends, to worker processes, one per core (:class:`reports.pool.ClaimPool`):
the derivations are single-threaded sympy, and the other tests run meanwhile. A record is
the same whichever process computed it (``test_pool.py``). ``SLIDECHECK_TEST_PROCESSES=1``
checks every claim in the test process instead, when a test first asks for it.
"""

import os
import threading

import pytest

from derivations.registry import all_claims

#: Fewer claims than this are checked in the test process: a worker's start-up (imports,
#: numba's cache) costs about as much as a few quick claims.
PREFETCH_AT_LEAST = 8
MAX_PROCESSES = 8
_POOL = pytest.StashKey()


def _processes() -> int:
    from reports.pool import available_cores

    value = os.environ.get("SLIDECHECK_TEST_PROCESSES", "")
    if not value:  # one per core, at most MAX_PROCESSES (each holds a few hundred MB)
        return min(available_cores(), MAX_PROCESSES)
    if not value.isdigit() or int(value) < 1:
        raise pytest.UsageError(f"SLIDECHECK_TEST_PROCESSES={value!r} must be an integer >= 1")
    return int(value)


def _claims_wanted(session: pytest.Session) -> list[str]:
    """Ids of the claims that the selected tests pass to ``quick_results``, in test order."""
    wanted = {}
    for item in session.items:
        claim = getattr(item, "callspec", None) and item.callspec.params.get("claim")
        if claim is not None and "quick_results" in getattr(item, "fixturenames", ()):
            wanted[claim.id] = None
    return list(wanted)


def pytest_collection_modifyitems(session, config, items):
    """Tests that read claim records go last (in their order), so the other tests run while
    the workers check the claims instead of after them, on one core."""
    items.sort(key=lambda item: "quick_results" in getattr(item, "fixturenames", ()))


def pytest_collection_finish(session):
    from reports.pool import ClaimPool

    wanted = _claims_wanted(session)
    processes = min(_processes(), len(wanted))
    # fork: the workers inherit the imported catalogue instead of importing it again; safe
    # here, as collection runs on the session's only thread.
    if len(wanted) >= PREFETCH_AT_LEAST and processes > 1 and threading.active_count() == 1:
        session.stash[_POOL] = ClaimPool(wanted, budget="quick", seed=0, processes=processes,
                                         start_method="fork")


def pytest_sessionfinish(session):
    pool = session.stash.get(_POOL, None)
    if pool is not None:
        pool.shutdown()


@pytest.fixture(scope="session")
def quick_results(request):
    """``claim id -> results record`` at the quick budget, seed 0."""
    from reports.engine import check_claim

    pool = request.session.stash.get(_POOL, None)
    local: dict[str, dict] = {}

    def get(claim_id: str) -> dict:
        if pool is not None and claim_id in pool:
            return pool.result(claim_id)
        if claim_id not in local:
            claim = next(c for c in all_claims() if c.id == claim_id)
            local[claim_id] = check_claim(claim, budget="quick", seed=0)
        return local[claim_id]

    return get
