"""Run a ``nogil`` kernel over chunks of ``range(n)`` on a few plain Python threads.

The chain kernels are serial ``@nb.njit(nogil=True, cache=True)`` functions
``kernel(lo, hi, *args)`` that advance items (chains, or blocks of chains) ``lo .. hi - 1``;
:func:`run_chunked` splits ``range(n)`` into consecutive chunks and runs them on a thread
pool. Why not numba's ``parallel=True`` with ``prange``: the parallel compiler optimises
the whole inlined kernel a second time (the random streams are ``inline="always"``), which
roughly doubled each kernel's cold-start compilation (issue 3); a serial kernel called from
threads runs as fast once compiled, since it releases the GIL.

Reproducibility: chunk boundaries depend on the thread count, so a kernel must give each
item a result that does not depend on which chunk or thread runs it: item ``c`` draws from
its own stream and writes only its own outputs (a reduction across items goes to per-item,
or per-fixed-block, outputs summed afterwards in a fixed order). Then results are
bit-identical at any thread count. Chunks are taken from a queue, several per thread, so a
thread slowed by other load does not hold up the call.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Callable

import numba as nb
import numpy as np

__all__ = ["run_chunked", "chunk_bounds", "default_threads", "TASKS_PER_THREAD"]

#: Chunks per thread: enough for a thread under load to hand work to the others, few
#: enough that each chunk's cost (~20 us of queueing and dispatch, measured; the pool's
#: start adds ~0.5 ms per call) stays small next to a kernel's work.
TASKS_PER_THREAD = 8


def default_threads() -> int:
    """The thread count of a call that names none: numba's, ``numba.get_num_threads()``
    (set by ``NUMBA_NUM_THREADS``, ``numba.set_num_threads`` and the CLI's ``--threads``)."""
    return nb.get_num_threads()


def chunk_bounds(n: int, n_tasks: int) -> list[tuple[int, int]]:
    """``n_tasks`` consecutive ``(lo, hi)`` of near-equal sizes that cover ``range(n)``."""
    if not (isinstance(n, (int, np.integer)) and n >= 1):
        raise ValueError(f"n={n!r} must be an integer >= 1")
    if not (isinstance(n_tasks, (int, np.integer)) and 1 <= n_tasks <= n):
        raise ValueError(f"n_tasks={n_tasks!r} must be an integer in [1, n={n}]")
    edges = np.linspace(0, n, n_tasks + 1).round().astype(np.int64).tolist()
    return list(zip(edges[:-1], edges[1:]))


def run_chunked(kernel: Callable, n: int, *args, threads: int | None = None) -> None:
    """Call ``kernel(lo, hi, *args)`` on chunks covering ``range(n)``, on ``threads`` threads.

    ``threads`` defaults to :func:`default_threads`. With one thread, or ``n <= 1``, the
    kernel is called once, directly, on ``(0, n)``; otherwise ``range(n)`` is cut into
    ``min(n, TASKS_PER_THREAD * threads)`` chunks. ``kernel`` should be compiled with
    ``nogil=True``, or the threads take turns. If chunks raise, the exception of the first
    of them (in the order of ``lo``) is raised here, after every chunk has run.
    """
    if threads is None:
        threads = default_threads()
    if not (isinstance(threads, (int, np.integer)) and threads >= 1):
        raise ValueError(f"threads={threads!r} must be an integer >= 1")
    if not (isinstance(n, (int, np.integer)) and n >= 0):
        raise ValueError(f"n={n!r} must be an integer >= 0")
    n, threads = int(n), int(threads)
    n_tasks = min(n, TASKS_PER_THREAD * threads)
    if threads == 1 or n_tasks <= 1:
        kernel(0, n, *args)
        return
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(kernel, lo, hi, *args) for lo, hi in chunk_bounds(n, n_tasks)]
        for future in futures:
            future.result()
