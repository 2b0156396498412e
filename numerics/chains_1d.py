"""One-dimensional chains ``x' = x - a f(x) + b s(x) xi``, many independent ones at once.

This one update covers both processes the decks discuss:

- SGD with additive Gaussian gradient noise, ``x' = x - eta (L'(x) + sigma(x) xi)``:
  ``a = eta``, ``f = L'``, ``b = eta``, ``s = sigma`` (the sign of ``xi`` is immaterial);
- Euler-Maruyama for ``dx = -f(x) dt + s(x) dB``: ``a = dt``, ``b = sqrt(dt)``.

``f`` and ``s`` are polynomials given by coefficient arrays (see :mod:`numerics.poly`).
Each chain ``c`` draws from its own stream ``(seed, c)`` (see :mod:`numerics.rng`), and
writes only its own outputs, so the result is bit-identical whatever the number of
threads. After ``burn_in`` steps each chain accumulates the time averages of
``x, x^2, ..., x^K`` and a histogram; statistics across chains are then over independent
replicates, which is what makes their standard errors honest.

Speed (issue 3; ``python -m numerics.bench``): a thread advances a block of LANES chains
in lockstep, all of a block's working data in one flat buffer (the lanes' streams, states
and sums, a row per quantity), so that each step is a few loops over the lanes that
vectorise. Each lane performs exactly the scalar update, operation for operation, so a
chain's trajectory is that of :func:`run_chains_1d_reference`, bit for bit.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numba as nb
import numpy as np

from .intrinsics import trailing_zeros
from .poly import as_coefficients, horner, horner_numpy
from .rng import (LANE_ROWS, draw_lanes, finish_lane_normal, lane_normal, lanes_from_states,
                  lanes_to_states, next_normal_lane, normals, seed_states)
from .threads import run_chunked

__all__ = ["ChainRun1D", "run_chains_1d", "run_chains_1d_reference"]


@dataclass(frozen=True)
class ChainRun1D:
    """Per-chain results of :func:`run_chains_1d`.

    ``moments[c, k-1]`` is chain ``c``'s time average of ``x^k`` over the steps after
    burn-in; ``hist_counts`` the histogram of those states summed over chains (edges in
    ``hist_edges``; states outside fall in no bin); ``final`` each chain's last state.
    """

    moments: np.ndarray
    hist_edges: np.ndarray
    hist_counts: np.ndarray
    final: np.ndarray
    n_steps: int
    burn_in: int
    seed: int
    seconds: float

    @property
    def chain_steps(self) -> int:
        return self.moments.shape[0] * self.n_steps


#: Chains a thread advances together, as the lanes of a block. One chain's next state
#: waits on its last through the drift polynomial (a chain of dependent multiply-adds),
#: so a chain alone leaves the core idle most of the time; with a block of independent
#: chains in flight the work is throughput-bound and every lane loop vectorises. 64 (the
#: width of a lane mask) amortises each loop's set-up best (measured: 16 lanes ~25 %
#: slower). A block runs its lanes in multiples of 8 (the widest vector of doubles).
LANES = 64
_VECTOR = 8
# Rows of the block buffer after the stream rows of numerics.rng (see rng.LANE_ROWS):
_X = LANE_ROWS  # the lanes' states
_D = LANE_ROWS + 1  # x - a f(x) of the current step (to redo x after a slow normal)
_G = LANE_ROWS + 2  # b s(x) of the current step
_BIN = LANE_ROWS + 3  # histogram bin of the current state (n_bins: outside the range)
_P = LANE_ROWS + 4  # powers of x, for more than _FUSED_MOMENTS moments
_ACC = LANE_ROWS + 5  # first of the rows of running sums of x, x^2, ...
#: Moments up to this order are summed in the fused lane loop (the rows exist anyway).
_FUSED_MOMENTS = 4
#: Specialised coefficient lengths (drift, noise): polynomials up to these lengths are
#: padded with zero coefficients of higher degree, which changes no bit of Horner's
#: result for finite x (``0*x + 0 = +0``, then ``+0*x + c = c``), and evaluated with the
#: loop unrolled, so that the lane loop vectorises. Up to cubic drift (quadratic or
#: quartic loss) and quadratic noise covers the catalogue; anything longer takes the
#: general loop (lengths at run time: scalar lanes, about half the speed). Each tier
#: costs ~1.5 s of compilation on a cold cache; a second tier for constant noise alone
#: would gain ~3 % (measured), not worth it.
_TIERS = ((4, 3),)
#: A block counts its histogram in this many copies, lane l in copy l % _HIST_COPIES:
#: with one copy, lanes landing in the same bin in one step would wait on each other's
#: increments; with a row per chain the counters would not stay in L1 cache. Counts are
#: integers, so their sum does not depend on how they were split.
_HIST_COPIES = 4


@nb.njit(cache=True)
def _horner_n(c, x, n):
    """Horner on ``c[:n]``; with a literal ``n`` (the tiers) the loop unrolls."""
    acc = c[n - 1]
    for k in range(n - 2, -1, -1):
        acc = acc * x + c[k]
    return acc


@nb.njit(cache=True)
def _bin(x, hist_lo, hist_hi, inv_width, n_bins):
    """Histogram bin of the finite ``x``, or ``n_bins`` outside ``[hist_lo, hist_hi)``.

    Branch-free (it runs inside a vectorised lane loop); the bin of an in-range state is
    the scalar kernel's ``int((x - hist_lo) * inv_width)``, the clamp only keeps the
    float-to-int conversion defined for states outside the range.
    """
    v = min(max((x - hist_lo) * inv_width, 0.0), np.float64(n_bins))
    j = np.int64(v)
    inside = (hist_lo <= x) & (x < hist_hi) & (j < n_bins)
    return j if inside else n_bins


@nb.njit(cache=True)
def _finish_lane(l, t, f, s, a, b, n_steps, burn_in, escape, lanes, flt, n_moments, hist, c,
                 hist_lo, hist_hi, inv_width, n_bins, status):
    """Continue lane ``l`` alone from step ``t`` (its state updated, not yet checked).

    Used once some lane of the block has left ``|x| <= escape``: every lane then runs on
    by itself, drawing from its own stream exactly as the lockstep loop would have.
    """
    W = LANES
    xl = flt[_X * W + l]
    while True:
        if not abs(xl) <= escape:
            status[c] = t + 1
            return xl
        if t >= burn_in:
            p = 1.0
            for k in range(n_moments):
                p *= xl
                flt[(_ACC + k) * W + l] += p
            hist[l % _HIST_COPIES, _bin(xl, hist_lo, hist_hi, inv_width, n_bins)] += 1
        t += 1
        if t == n_steps:
            return xl
        xl = xl - a * horner(f, xl) + b * horner(s, xl) * next_normal_lane(lanes, W, l)


@nb.njit(inline="always", cache=True)
def _block(c0, m, x0, f, nf, s, ns, a, b, n_steps, burn_in, escape, states, hist_lo, hist_hi,
           inv_width, moments, hist, final, status):
    """Chains ``c0 .. c0 + m - 1`` in lockstep; ``f[:nf]``, ``s[:ns]`` the coefficients."""
    W = LANES
    n_moments = moments.shape[1]
    n_bins = hist.shape[1] - 1
    n_acc = max(n_moments, _FUSED_MOMENTS)
    # Lanes m .. mm-1 (at most 7) shadow lane 0, draw for draw; their results are dropped.
    mm = (m + _VECTOR - 1) // _VECTOR * _VECTOR
    lanes = np.empty((_ACC + n_acc) * W, dtype=np.uint64)
    flt = lanes.view(np.float64)
    lanes_from_states(states, c0, m, lanes, W)
    for l in range(m):
        flt[_X * W + l] = x0[c0 + l]
    for l in range(m, mm):
        for j in range(4):
            lanes[j * W + l] = lanes[j * W]
        flt[_X * W + l] = flt[_X * W]
    for k in range(n_acc):
        for l in range(mm):
            flt[(_ACC + k) * W + l] = 0.0
    stopped = -1
    for t in range(n_steps):
        draw_lanes(lanes, flt, W, mm)
        misses = np.uint64(0)
        for l in range(mm):
            # The scalar update x - a f(x) + b s(x) xi, operation for operation.
            z, miss = lane_normal(lanes, flt, W, l)
            misses |= np.uint64(miss) << np.uint64(l)
            x = flt[_X * W + l]
            d = x - a * _horner_n(f, x, nf)
            g = b * _horner_n(s, x, ns)
            flt[_D * W + l] = d
            flt[_G * W + l] = g
            flt[_X * W + l] = d + g * z
        while misses:  # the ~1.5 % of normals off the ziggurat's fast path
            l = np.int64(trailing_zeros(misses))
            misses &= misses - np.uint64(1)
            flt[_X * W + l] = flt[_D * W + l] + flt[_G * W + l] * finish_lane_normal(lanes, W, l)
        escaped = 0
        for l in range(mm):
            escaped += np.int64(not abs(flt[_X * W + l]) <= escape)  # also counts NaN
        if escaped:
            stopped = t
            break
        if t >= burn_in:
            if n_moments <= _FUSED_MOMENTS:
                for l in range(mm):
                    x = flt[_X * W + l]
                    p = x  # the scalar kernel's p = 1.0 * x, bit for bit
                    flt[_ACC * W + l] += p
                    p *= x
                    flt[(_ACC + 1) * W + l] += p
                    p *= x
                    flt[(_ACC + 2) * W + l] += p
                    p *= x
                    flt[(_ACC + 3) * W + l] += p
                    lanes[_BIN * W + l] = _bin(x, hist_lo, hist_hi, inv_width, n_bins)
            else:
                for l in range(mm):
                    flt[_P * W + l] = flt[_X * W + l]
                    flt[_ACC * W + l] += flt[_P * W + l]
                for k in range(1, n_moments):
                    for l in range(mm):
                        flt[_P * W + l] *= flt[_X * W + l]
                        flt[(_ACC + k) * W + l] += flt[_P * W + l]
                for l in range(mm):
                    lanes[_BIN * W + l] = _bin(flt[_X * W + l], hist_lo, hist_hi, inv_width,
                                               n_bins)
            for l in range(m):
                hist[l % _HIST_COPIES, np.int64(lanes[_BIN * W + l])] += 1
    if stopped >= 0:
        for l in range(m):
            flt[_X * W + l] = _finish_lane(l, stopped, f, s, a, b, n_steps, burn_in, escape,
                                           lanes, flt, n_moments, hist, c0 + l, hist_lo,
                                           hist_hi, inv_width, n_bins, status)
    kept = n_steps - burn_in
    for l in range(m):
        final[c0 + l] = flt[_X * W + l]
        for k in range(n_moments):
            moments[c0 + l, k] = flt[(_ACC + k) * W + l] / kept
    lanes_to_states(lanes, c0, m, states, W)


@nb.njit(nogil=True, cache=True)
def _run_blocks(first, last, tier, x0, f, s, a, b, n_steps, burn_in, escape, states, hist_lo,
                hist_hi, moments, hist, final, status):
    """Blocks ``first .. last - 1`` (LANES chains each), with the GIL released.

    ``tier`` selects the specialisation (``_TIERS``; ``f``, ``s`` padded to its lengths)
    or, past them, the general loop. Each is a copy of :func:`_block`, the tier's with
    its lengths as literals, so that its Horner loops unroll and its lane loops vectorise.
    """
    n_chains = x0.shape[0]
    inv_width = (hist.shape[2] - 1) / (hist_hi - hist_lo)
    for blk in range(first, last):
        c0 = blk * LANES
        m = min(LANES, n_chains - c0)
        h = hist[blk]
        if tier == 0:
            _block(c0, m, x0, f, 4, s, 3, a, b, n_steps, burn_in, escape, states, hist_lo,
                   hist_hi, inv_width, moments, h, final, status)
        else:
            _block(c0, m, x0, f, f.shape[0], s, s.shape[0], a, b, n_steps, burn_in, escape,
                   states, hist_lo, hist_hi, inv_width, moments, h, final, status)


def _run(threads: int, tier, x0, f, s, *args) -> None:
    """All blocks of chains, spread over ``threads`` threads (:func:`numerics.threads.run_chunked`).

    Plain threads calling a ``nogil`` kernel, not a numba ``prange``: the parallel
    compiler would re-optimise the whole inlined kernel a second time (cold start ~3x
    longer). Which thread runs a block never changes its result.
    """
    n_blocks = (x0.shape[0] + LANES - 1) // LANES
    run_chunked(_run_blocks, n_blocks, tier, x0, f, s, *args, threads=threads)


def _tier(f: np.ndarray, s: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """The specialised kernel for these lengths and the coefficients padded to it."""
    for k, (nf, ns) in enumerate(_TIERS):
        if f.size <= nf and s.size <= ns:
            return k, _padded(f, nf), _padded(s, ns)
    return len(_TIERS), f, s


def _padded(c: np.ndarray, n: int) -> np.ndarray:
    """``c`` (at most ``n`` long) with zero coefficients of higher degree up to length ``n``."""
    out = np.zeros(n)
    out[: c.size] = c
    return out


def _validate(x0, n_steps, burn_in, n_moments, a, b):
    x0 = np.ascontiguousarray(np.asarray(x0, dtype=np.float64))
    if x0.ndim != 1 or x0.size == 0 or not np.all(np.isfinite(x0)):
        raise ValueError("x0 must be a non-empty 1-D array of finite starting points")
    if not (isinstance(n_steps, (int, np.integer)) and n_steps >= 1):
        raise ValueError(f"n_steps={n_steps!r} must be an integer >= 1")
    if not (isinstance(burn_in, (int, np.integer)) and 0 <= burn_in < n_steps):
        raise ValueError(f"burn_in={burn_in!r} must be an integer in [0, n_steps={n_steps})")
    if not (isinstance(n_moments, (int, np.integer)) and 1 <= n_moments <= 16):
        raise ValueError(f"n_moments={n_moments!r} must be an integer in [1, 16]")
    if not (np.isfinite(a) and a > 0):
        raise ValueError(f"a={a!r} (step size) must be finite and > 0")
    if not (np.isfinite(b) and b >= 0):
        raise ValueError(f"b={b!r} (noise scale) must be finite and >= 0")
    return x0


def run_chains_1d(
    f, s, *, a: float, b: float, x0, n_steps: int, burn_in: int, seed: int,
    n_moments: int = 4, hist_range: tuple[float, float] = (-3.0, 3.0), n_bins: int = 120,
    escape: float = 1e6, threads: int | None = None,
) -> ChainRun1D:
    """Run ``len(x0)`` independent chains of ``x' = x - a f(x) + b s(x) xi``.

    Raises ``FloatingPointError`` naming the step and chain if any chain leaves
    ``|x| <= escape`` (an unstable step size, e.g. ``eta h >= 2`` on a quadratic).
    ``threads`` is the number of threads (default: numba's thread count); results do not
    depend on it.
    """
    # "+ 0.0" turns a -0.0 coefficient into +0.0 (and changes nothing else), so that the
    # zero-padding of the specialised kernels is exact in every case; the reference does
    # the same.
    f = as_coefficients(f, "f") + 0.0
    s = as_coefficients(s, "s") + 0.0
    x0 = _validate(x0, n_steps, burn_in, n_moments, a, b)
    lo, hi = map(float, hist_range)
    if not lo < hi:
        raise ValueError(f"hist_range={hist_range!r} must satisfy lo < hi")
    if not (isinstance(n_bins, (int, np.integer)) and n_bins >= 1):
        raise ValueError(f"n_bins={n_bins!r} must be an integer >= 1")
    if not (math.isfinite(escape) and escape > 0):
        raise ValueError(f"escape={escape!r} must be finite and > 0")
    n_chains = x0.size
    states = seed_states(seed, n_chains)
    moments = np.zeros((n_chains, n_moments))
    # Counters per block (so threads never share one), in _HIST_COPIES copies, plus a
    # last column that collects the states outside the range.
    n_blocks = (n_chains + LANES - 1) // LANES
    hist = np.zeros((n_blocks, _HIST_COPIES, n_bins + 1), dtype=np.int64)
    final = np.empty(n_chains)
    status = np.zeros(n_chains, dtype=np.int64)
    if threads is None:
        threads = nb.get_num_threads()
    if not (isinstance(threads, (int, np.integer)) and threads >= 1):
        raise ValueError(f"threads={threads!r} must be an integer >= 1")
    tier, f_k, s_k = _tier(f, s)
    start = time.perf_counter()
    _run(int(threads), tier, x0, f_k, s_k, float(a), float(b), int(n_steps), int(burn_in),
         float(escape), states, lo, hi, moments, hist, final, status)
    seconds = time.perf_counter() - start
    bad = np.flatnonzero(status)
    if bad.size:
        c = int(bad[0])
        raise FloatingPointError(
            f"chain {c} left |x| <= {escape:g} at step {int(status[c])} "
            f"({bad.size} of {n_chains} chains diverged): the step size a={a:g} is unstable "
            "for this drift; reduce it"
        )
    return ChainRun1D(
        moments=moments,
        hist_edges=np.linspace(lo, hi, n_bins + 1),
        hist_counts=hist[:, :, :n_bins].sum(axis=(0, 1)),
        final=final,
        n_steps=int(n_steps),
        burn_in=int(burn_in),
        seed=int(seed),
        seconds=seconds,
    )


def run_chains_1d_reference(f, s, *, a, b, x0, n_steps, burn_in, seed, n_moments=4,
                            hist_range=None, n_bins=120):
    """Plain numpy version of :func:`run_chains_1d`: ``(moments, final)``, and the
    histogram counts as a third item when ``hist_range`` is given.

    It consumes the same per-chain streams in the same order, so on small inputs it
    must agree with the kernel to the last bit; the tests hold the kernel to that.
    No escape check: a diverging chain runs on to inf/nan without touching the others.
    """
    f = as_coefficients(f, "f") + 0.0
    s = as_coefficients(s, "s") + 0.0
    x = np.array(x0, dtype=np.float64)
    xi = normals(seed, x.size, n_steps)
    moments = np.zeros((x.size, n_moments))
    counts = np.zeros(n_bins, dtype=np.int64)
    for t in range(n_steps):
        x = x - a * horner_numpy(f, x) + b * horner_numpy(s, x) * xi[:, t]
        if t >= burn_in:
            p = np.ones_like(x)
            for k in range(n_moments):
                p = p * x
                moments[:, k] += p
            if hist_range is not None:
                lo, hi = hist_range
                inside = (lo <= x) & (x < hi)
                j = ((x[inside] - lo) * (n_bins / (hi - lo))).astype(np.int64)
                counts += np.bincount(j[j < n_bins], minlength=n_bins)
    if hist_range is None:
        return moments / (n_steps - burn_in), x
    return moments / (n_steps - burn_in), x, counts
