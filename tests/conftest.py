"""Shared fixtures: the quick-budget results of every claim, computed once per session.

When a session needs many claims (the whole catalogue, say), the first request checks all
of them at once in worker processes, one per core (:mod:`reports.pool`): the derivations
are single-threaded sympy, so this nearly halves the suite's time on two cores. A record
is the same whichever process computed it (``test_pool.py``). ``SLIDECHECK_TEST_PROCESSES=1``
checks every claim in the test process instead, lazily.
"""

import os

import pytest

from derivations.registry import all_claims

#: Fewer claims than this are checked in the test process: a worker's start-up (imports,
#: numba's cache) costs about as much as a few quick claims.
PREFETCH_AT_LEAST = 8


def _processes() -> int:
    from reports.pool import available_cores

    value = os.environ.get("SLIDECHECK_TEST_PROCESSES", "")
    if not value:
        return available_cores()
    if not value.isdigit() or int(value) < 1:
        raise pytest.UsageError(f"SLIDECHECK_TEST_PROCESSES={value!r} must be an integer >= 1")
    return int(value)


def _claims_wanted(session: pytest.Session) -> list[str]:
    """Ids of the claims that the selected tests pass to ``quick_results``."""
    wanted = {}
    for item in session.items:
        claim = getattr(item, "callspec", None) and item.callspec.params.get("claim")
        if claim is not None and "quick_results" in getattr(item, "fixturenames", ()):
            wanted[claim.id] = None
    return list(wanted)


@pytest.fixture(scope="session")
def quick_results(request):
    """``claim id -> results record`` at the quick budget, seed 0."""
    from reports.engine import check_claim

    cache: dict[str, dict | BaseException] = {}
    prefetched = False

    def prefetch() -> None:
        from reports.pool import check_in_processes

        wanted = _claims_wanted(request.session)
        processes = min(_processes(), len(wanted))
        if len(wanted) >= PREFETCH_AT_LEAST and processes > 1:
            cache.update(check_in_processes(wanted, budget="quick", seed=0, processes=processes))

    def get(claim_id: str) -> dict:
        nonlocal prefetched
        if not prefetched:
            prefetched = True
            prefetch()
        if claim_id not in cache:
            claim = next(c for c in all_claims() if c.id == claim_id)
            cache[claim_id] = check_claim(claim, budget="quick", seed=0)
        found = cache[claim_id]
        if isinstance(found, BaseException):
            raise found
        return found

    return get
