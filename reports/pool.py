"""Check claims in worker processes, several at once.

Most of a claim's time at the quick budget is its sympy derivation, which runs on one
core; worker processes check several claims at once. A record does not depend on the
process that computed it: each experiment's seed derives from the run seed and the
claim's id (:mod:`reports.engine`), and the kernels give the same bits at any thread count.

Start methods (the caller chooses): ``spawn`` starts each worker afresh, which is always safe and
costs a few seconds of imports per worker; ``fork`` copies the parent with everything it
imported, and is safe only from a process with a single thread (the chain kernels run
their threads within a call and join them, so between calls slidecheck has one).
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Iterable

import numba

__all__ = ["available_cores", "ClaimPool"]


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the OS tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _check_by_id(claim_id: str, budget: str, seed: int, threads: int) -> dict:
    from derivations.registry import get_claim

    from .engine import check_claim

    numba.set_num_threads(threads)
    return check_claim(get_claim(claim_id), budget=budget, seed=seed)


class ClaimPool:
    """Claims submitted at once to ``processes`` workers; :meth:`result` waits for one.

    Claims are checked in the order given. Each worker runs numba on
    ``max(1, NUMBA_NUM_THREADS // processes)`` threads.
    """

    def __init__(self, claim_ids: Iterable[str], *, budget: str = "quick", seed: int = 0,
                 processes: int, start_method: str):
        if not (isinstance(processes, int) and processes >= 1):
            raise ValueError(f"processes={processes!r} must be an integer >= 1")
        if start_method not in multiprocessing.get_all_start_methods():
            raise ValueError(f"start_method={start_method!r} must be one of "
                             f"{', '.join(multiprocessing.get_all_start_methods())}")
        threads = max(1, numba.config.NUMBA_NUM_THREADS // processes)
        self._executor = ProcessPoolExecutor(
            max_workers=processes, mp_context=multiprocessing.get_context(start_method))
        self.futures: dict[str, Future] = {}
        for cid in dict.fromkeys(claim_ids):
            self.futures[cid] = self._executor.submit(_check_by_id, cid, budget, seed, threads)

    def __contains__(self, claim_id: str) -> bool:
        return claim_id in self.futures

    def result(self, claim_id: str) -> dict:
        """The claim's record; raises what its check raised."""
        return self.futures[claim_id].result()

    def shutdown(self) -> None:
        """Stop the workers; claims not yet started are dropped."""
        self._executor.shutdown(wait=True, cancel_futures=True)
