"""numerics.threads: chunks cover range(n) once, at any thread count; errors surface."""

import numba as nb
import numpy as np
import pytest

from numerics import threads
from numerics.threads import TASKS_PER_THREAD, chunk_bounds, run_chunked


@nb.njit(nogil=True, cache=True)
def _mark(lo, hi, visits, first):
    """Count each item's visits and record the first item of its chunk."""
    for c in range(lo, hi):
        visits[c] += 1
        first[c] = lo


@nb.njit(nogil=True, cache=True)
def _fail_at(lo, hi, bad):
    for c in range(lo, hi):
        if c == bad:
            raise ValueError("item failed")


@pytest.mark.parametrize("n", [0, 1, 2, 7, 16, 17, 100, 1001])
@pytest.mark.parametrize("n_threads", [1, 2, 3, 5])
def test_every_item_runs_exactly_once(n, n_threads):
    visits = np.zeros(n, dtype=np.int64)
    first = np.full(n, -1, dtype=np.int64)
    run_chunked(_mark, n, visits, first, threads=n_threads)
    np.testing.assert_array_equal(visits, 1)
    # Chunks are consecutive: the first item of each chunk increases with the item.
    assert np.all(np.diff(first) >= 0)
    n_chunks = np.unique(first).size
    assert n_chunks == min(n, 1 if n_threads == 1 else TASKS_PER_THREAD * n_threads)


def test_default_is_numbas_thread_count(monkeypatch):
    calls = []
    monkeypatch.setattr(threads, "default_threads", lambda: calls.append(1) or 3)
    visits, first = np.zeros(50, dtype=np.int64), np.zeros(50, dtype=np.int64)
    run_chunked(_mark, 50, visits, first)
    assert calls and np.unique(first).size == 3 * TASKS_PER_THREAD
    monkeypatch.undo()
    assert threads.default_threads() == nb.get_num_threads()


@pytest.mark.parametrize("n, n_tasks", [(10, 1), (10, 3), (10, 10), (1001, 16)])
def test_chunk_bounds_tile_the_range_evenly(n, n_tasks):
    b = chunk_bounds(n, n_tasks)
    assert len(b) == n_tasks and b[0][0] == 0 and b[-1][1] == n
    assert all(hi == lo2 for (_, hi), (lo2, _) in zip(b, b[1:]))
    sizes = [hi - lo for lo, hi in b]
    assert min(sizes) >= 1 and max(sizes) - min(sizes) <= 1


def test_an_error_in_a_chunk_is_raised():
    with pytest.raises(ValueError, match="item failed"):
        run_chunked(_fail_at, 40, 33, threads=2)


@pytest.mark.parametrize("call, match", [
    (lambda: run_chunked(_mark, 4, np.zeros(4, np.int64), np.zeros(4, np.int64), threads=0), "threads=0"),
    (lambda: run_chunked(_mark, -1, np.zeros(4, np.int64), np.zeros(4, np.int64)), "n=-1"),
    (lambda: chunk_bounds(5, 6), "n_tasks=6"),
])
def test_bad_arguments_name_themselves(call, match):
    with pytest.raises(ValueError, match=match):
        call()
