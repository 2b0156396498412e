"""Check claims in worker processes, several at once.

Most of a claim's time at the quick budget is its sympy derivation, which runs on one
core; worker processes check several claims at once (the Monte Carlo kernels already use
every core by threads). A record does not depend on the process that computed it: each
experiment's seed derives from the run seed and the claim's id (:mod:`reports.engine`), and
the kernels give the same bits at any thread count.

Workers are started with ``spawn``, not ``fork``: forking a process whose numba thread pool
is running is unsafe.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Iterable, Iterator

import numba

__all__ = ["available_cores", "check_in_processes"]


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


def check_in_processes(claim_ids: Iterable[str], *, budget: str = "quick", seed: int = 0,
                       processes: int = 2) -> Iterator[tuple[str, dict | BaseException]]:
    """Yield ``(claim id, record)`` for each id as its worker finishes, in completion order;
    a claim whose check raised yields the exception instead, so one broken claim does not
    hide the others.

    Each worker runs numba on ``max(1, NUMBA_NUM_THREADS // processes)`` threads.
    """
    claim_ids = list(claim_ids)
    if not (isinstance(processes, int) and processes >= 1):
        raise ValueError(f"processes={processes!r} must be an integer >= 1")
    threads = max(1, numba.config.NUMBA_NUM_THREADS // processes)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        futures = {pool.submit(_check_by_id, cid, budget, seed, threads): cid for cid in claim_ids}
        for future in as_completed(futures):
            error = future.exception()
            yield futures[future], (future.result() if error is None else error)
