"""Per-chain random streams: xoshiro256++ seeded by SplitMix64, normals by the ziggurat.

Every chain owns a 256-bit xoshiro256++ state derived from ``(seed, chain index)`` alone,
so a chain draws the same numbers whichever thread runs it and however many chains run
beside it. numba's global ``np.random`` state is per thread and not seeded by numpy,
which would make results depend on the thread count; it is never used here.

Sources:
- D. Blackman, S. Vigna, "Scrambled linear pseudorandom number generators",
  ACM TOMS 47 (2021); reference code at prng.di.unimi.it (xoshiro256++, splitmix64).
- G. Marsaglia, W. W. Tsang, "The ziggurat method for generating random variables",
  J. Stat. Softw. 5(8) (2000), with the 256-layer, 52-bit-mantissa layout used by numpy.

The ``@njit(inline="always")`` primitives take the state array and a row index, so a
kernel keeps all chains' states in one ``(n_chains, 4)`` uint64 array.

Lockstep kernels advance a block of ``W`` chains together (the lanes of a block), so
that the update's latency is hidden behind the other lanes' work and the compiler can
vectorise across lanes. They keep the block's states transposed in a flat buffer
(:func:`lanes_from_states`) and draw one normal per lane in three passes:
:func:`draw_lanes` (vectorised xoshiro, scalar table look-ups), :func:`lane_normal` in
the kernel's own lane loop (the ziggurat's fast path, branch-free), and
:func:`finish_lane_normal` for the ~1.5 % of draws that miss it. Lane ``l`` draws exactly
the numbers chain ``c0 + l`` would draw with :func:`next_normal`, in the same order: the
streams are those of the scalar sampler, unchanged.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from .intrinsics import no_vectorize, trailing_zeros

__all__ = [
    "seed_states",
    "next_u64",
    "next_double",
    "next_normal",
    "LANE_ROWS",
    "lanes_from_states",
    "lanes_to_states",
    "next_u64_lane",
    "draw_lanes",
    "lane_normal",
    "finish_lane_normal",
    "next_normal_lane",
    "normals",
    "uniforms",
    "ZIGGURAT_R",
    "derive_seed",
]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
# A second odd constant so that (seed, chain) and (chain, seed) give different streams.
_CHAIN_SALT = np.uint64(0xD1B54A32D192ED03)


@nb.njit(inline="always", cache=True)
def _rotl(x, k):
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@nb.njit(inline="always", cache=True)
def _splitmix64_mix(z):
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


@nb.njit(cache=True)
def _seed_states(seed, first_chain, n_chains, out):
    for c in range(n_chains):
        chain = np.uint64(first_chain + c)
        # Hash (seed, chain) into a SplitMix64 starting point, then draw four words:
        # the state is a deterministic function of (seed, chain) and of nothing else.
        z = _splitmix64_mix(seed ^ _splitmix64_mix(chain * _CHAIN_SALT + _GOLDEN))
        for j in range(4):
            z = z + _GOLDEN
            out[c, j] = _splitmix64_mix(z)


def seed_states(seed: int, n_chains: int, first_chain: int = 0) -> np.ndarray:
    """States of chains ``first_chain, ..., first_chain + n_chains - 1`` for ``seed``.

    Returns a C-contiguous ``(n_chains, 4)`` uint64 array. Chain ``c``'s state depends on
    ``(seed, c)`` only, so any slice of chains can be regenerated independently.
    """
    if not isinstance(seed, (int, np.integer)) or not 0 <= int(seed) < 2**64:
        raise ValueError(f"seed={seed!r} must be an integer in [0, 2**64)")
    if n_chains < 0 or first_chain < 0:
        raise ValueError(f"n_chains={n_chains}, first_chain={first_chain} must be >= 0")
    out = np.empty((n_chains, 4), dtype=np.uint64)
    _seed_states(np.uint64(int(seed)), np.uint64(first_chain), n_chains, out)
    return out


@nb.njit(inline="always", cache=True)
def next_u64(s, i):
    """xoshiro256++: next 64-bit output of row ``i`` of the state array ``s``."""
    s0 = s[i, 0]
    s1 = s[i, 1]
    s2 = s[i, 2]
    s3 = s[i, 3]
    result = _rotl(s0 + s3, 23) + s0
    t = s1 << np.uint64(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, 45)
    s[i, 0] = s0
    s[i, 1] = s1
    s[i, 2] = s2
    s[i, 3] = s3
    return result


@nb.njit(inline="always", cache=True)
def next_double(s, i):
    """Uniform on [0, 1) with 53 random bits."""
    return np.float64(next_u64(s, i) >> np.uint64(11)) * (1.0 / 9007199254740992.0)


# --- ziggurat tables (Marsaglia & Tsang 2000; 256 layers, 52-bit mantissa) -------------
ZIGGURAT_R = 3.6541528853610088  # start of the tail
_ZIGGURAT_V = 0.00492867323399  # area of each layer (and of base strip + tail)


def _ziggurat_tables():
    """Layer tables: ``ki`` acceptance thresholds, ``wi`` widths, ``fi`` heights.

    Layer ``i`` spans [0, x_i]; a 52-bit integer ``j`` is accepted at once when
    ``j < ki[i]``, i.e. when ``j * wi[i]`` lies under the layer above.
    """
    m = 2.0**52
    ki = np.zeros(256, dtype=np.uint64)
    wi = np.zeros(256)
    fi = np.zeros(256)
    dn = ZIGGURAT_R
    tn = dn
    q = _ZIGGURAT_V / math.exp(-0.5 * dn * dn)
    ki[0] = np.uint64((dn / q) * m)
    ki[1] = np.uint64(0)
    wi[0] = q / m
    wi[255] = dn / m
    fi[0] = 1.0
    fi[255] = math.exp(-0.5 * dn * dn)
    for i in range(254, 0, -1):
        dn = math.sqrt(-2.0 * math.log(_ZIGGURAT_V / dn + math.exp(-0.5 * dn * dn)))
        ki[i + 1] = np.uint64((dn / tn) * m)
        tn = dn
        fi[i] = math.exp(-0.5 * dn * dn)
        wi[i] = dn / m
    return ki, wi, fi


_KI, _WI, _FI = _ziggurat_tables()
_INV_R = 1.0 / ZIGGURAT_R
_MASK52 = np.uint64(0x000FFFFFFFFFFFFF)


@nb.njit(inline="always", cache=True)
def next_normal(s, i):
    """Standard normal by the ziggurat; ~99 % of draws cost one 64-bit output."""
    while True:
        r = next_u64(s, i)
        idx = np.int64(r & np.uint64(0xFF))
        r >>= np.uint64(8)
        negative = (r & np.uint64(1)) != np.uint64(0)
        rabs = (r >> np.uint64(1)) & _MASK52
        x = np.float64(rabs) * _WI[idx]
        if negative:
            x = -x
        if rabs < _KI[idx]:
            return x
        if idx == 0:
            # Tail beyond R (Marsaglia 1964): exponential proposals, accept-reject.
            while True:
                xx = -_INV_R * math.log1p(-next_double(s, i))
                yy = -math.log1p(-next_double(s, i))
                if yy + yy > xx * xx:
                    if ((rabs >> np.uint64(8)) & np.uint64(1)) != np.uint64(0):
                        return -(ZIGGURAT_R + xx)
                    return ZIGGURAT_R + xx
        else:
            if (_FI[idx - 1] - _FI[idx]) * next_double(s, i) + _FI[idx] < math.exp(-0.5 * x * x):
                return x


# --- lockstep (lane) primitives ---------------------------------------------------------
# A block of W chains advanced together keeps its streams in one flat uint64 buffer
# ``lanes``: word j of lane l's state at ``lanes[j*W + l]`` (rows 0-3), then the row of
# each lane's last raw output (row RAW) and two float64 rows (through a ``.view``) for
# the ziggurat layer it selected: the layer width (ROW_W) and acceptance threshold
# (ROW_K). A kernel appends its own rows after LANE_ROWS. One buffer with rows at
# constant offsets lets LLVM see that the rows never overlap, so the lane loops
# vectorise without run-time alias checks.
LANE_ROWS = 7
_RAW, _ROW_W, _ROW_K = 4, 5, 6
# The acceptance thresholds as doubles: exact (all < 2**53), so ``float(rabs) < k`` is the
# integer test ``rabs < ki`` of the scalar sampler, decided the same way.
_KF = _KI.astype(np.float64)
assert np.array_equal(_KF.astype(np.uint64), _KI)


@nb.njit(cache=True)
def lanes_from_states(states, c0, m, lanes, width):
    """Lanes ``0 .. m-1`` of the block take the states of chains ``c0 .. c0 + m - 1``."""
    for j in range(4):
        for l in range(m):
            lanes[j * width + l] = states[c0 + l, j]


@nb.njit(cache=True)
def lanes_to_states(lanes, c0, m, states, width):
    """Inverse of :func:`lanes_from_states`: write the lanes' states back to their chains."""
    for j in range(4):
        for l in range(m):
            states[c0 + l, j] = lanes[j * width + l]


@nb.njit(cache=True)
def next_u64_lane(lanes, l, width):
    """xoshiro256++: next 64-bit output of lane ``l`` of a block of ``width`` lanes."""
    s0 = lanes[l]
    s1 = lanes[width + l]
    s2 = lanes[2 * width + l]
    s3 = lanes[3 * width + l]
    result = _rotl(s0 + s3, 23) + s0
    t = s1 << np.uint64(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, 45)
    lanes[l] = s0
    lanes[width + l] = s1
    lanes[2 * width + l] = s2
    lanes[3 * width + l] = s3
    return result


@nb.njit(cache=True)
def _next_double_lane(lanes, l, width):
    return np.float64(next_u64_lane(lanes, l, width) >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@nb.njit(cache=True)
def draw_lanes(lanes, flt, width, n):
    """Start one normal in each of lanes ``0 .. n-1``: a raw output and its layer's table entries.

    ``flt`` is ``lanes.view(np.float64)``. The xoshiro loop vectorises; the look-up loop is
    kept scalar on purpose (:func:`numerics.intrinsics.no_vectorize`): vector gathers from
    the tables are slower than scalar loads on the machines measured.
    """
    for l in range(n):
        lanes[_RAW * width + l] = next_u64_lane(lanes, l, width)
    for l in range(n):
        no_vectorize()
        idx = lanes[_RAW * width + l] & np.uint64(0xFF)
        flt[_ROW_W * width + l] = _WI[idx]
        flt[_ROW_K * width + l] = _KF[idx]


@nb.njit(cache=True)
def lane_normal(lanes, flt, width, l):
    """``(z, miss)`` of lane ``l`` after :func:`draw_lanes`: the ziggurat's fast path.

    ``z`` is the lane's normal unless ``miss``; then :func:`finish_lane_normal` gives it.
    Branch-free, so a loop over lanes that calls it vectorises.
    """
    r = lanes[_RAW * width + l] >> np.uint64(8)
    rabs = np.float64((r >> np.uint64(1)) & _MASK52)
    x = rabs * flt[_ROW_W * width + l]
    z = -x if (r & np.uint64(1)) != np.uint64(0) else x
    return z, not rabs < flt[_ROW_K * width + l]


@nb.njit(cache=True)
def finish_lane_normal(lanes, width, l):
    """Complete lane ``l``'s normal from its raw output (drawn by :func:`draw_lanes`).

    Needed only when :func:`lane_normal` reports a miss, but correct for any raw output.
    Mirrors :func:`next_normal` from its first rejection on, drawing any further numbers
    from lane ``l``, so the normal and the stream position equal the scalar sampler's.
    """
    r = lanes[_RAW * width + l]
    while True:
        idx = np.int64(r & np.uint64(0xFF))
        r >>= np.uint64(8)
        negative = (r & np.uint64(1)) != np.uint64(0)
        rabs = (r >> np.uint64(1)) & _MASK52
        x = np.float64(rabs) * _WI[idx]
        if negative:
            x = -x
        if rabs < _KI[idx]:
            return x
        if idx == 0:
            while True:
                xx = -_INV_R * math.log1p(-_next_double_lane(lanes, l, width))
                yy = -math.log1p(-_next_double_lane(lanes, l, width))
                if yy + yy > xx * xx:
                    if ((rabs >> np.uint64(8)) & np.uint64(1)) != np.uint64(0):
                        return -(ZIGGURAT_R + xx)
                    return ZIGGURAT_R + xx
        elif (_FI[idx - 1] - _FI[idx]) * _next_double_lane(lanes, l, width) + _FI[idx] < \
                math.exp(-0.5 * x * x):
            return x
        r = next_u64_lane(lanes, l, width)


@nb.njit(cache=True)
def next_normal_lane(lanes, width, l):
    """Lane ``l``'s next normal drawn on its own (the scalar sampler on a lane's stream)."""
    lanes[_RAW * width + l] = next_u64_lane(lanes, l, width)
    return finish_lane_normal(lanes, width, l)


@nb.njit(cache=True)
def _fill_normals_lanes(states, out, width):
    """``out[c, k]``: chain c's k-th normal, drawn by blocks of ``width`` lanes (tests)."""
    n_chains, n = out.shape
    lanes = np.empty((LANE_ROWS + 1) * width, dtype=np.uint64)
    flt = lanes.view(np.float64)
    z_row = LANE_ROWS * width
    for c0 in range(0, n_chains, width):
        m = min(width, n_chains - c0)
        lanes_from_states(states, c0, m, lanes, width)
        for k in range(n):
            draw_lanes(lanes, flt, width, m)
            misses = np.uint64(0)
            for l in range(m):
                z, miss = lane_normal(lanes, flt, width, l)
                flt[z_row + l] = z
                misses |= np.uint64(miss) << np.uint64(l)
            while misses:
                l = np.int64(trailing_zeros(misses))
                misses &= misses - np.uint64(1)
                flt[z_row + l] = finish_lane_normal(lanes, width, l)
            for l in range(m):
                out[c0 + l, k] = flt[z_row + l]
        lanes_to_states(lanes, c0, m, states, width)


@nb.njit(cache=True)
def _fill_normals(states, out):
    n_chains, n = out.shape
    for c in range(n_chains):
        for k in range(n):
            out[c, k] = next_normal(states, c)


@nb.njit(cache=True)
def _fill_uniforms(states, out):
    n_chains, n = out.shape
    for c in range(n_chains):
        for k in range(n):
            out[c, k] = next_double(states, c)


def normals(seed: int, n_chains: int, n_per_chain: int, first_chain: int = 0) -> np.ndarray:
    """The first ``n_per_chain`` normals of each chain's stream, shape ``(n_chains, n)``.

    The same draws a kernel sees, for tests and for numpy reference implementations.
    """
    out = np.empty((n_chains, n_per_chain))
    _fill_normals(seed_states(seed, n_chains, first_chain), out)
    return out


def uniforms(seed: int, n_chains: int, n_per_chain: int, first_chain: int = 0) -> np.ndarray:
    """The first ``n_per_chain`` uniforms on [0, 1) of each chain's stream."""
    out = np.empty((n_chains, n_per_chain))
    _fill_uniforms(seed_states(seed, n_chains, first_chain), out)
    return out


def derive_seed(*parts: object) -> int:
    """A 64-bit seed from a parent seed and labels (claim id, case, rung index, ...).

    BLAKE2b of the parts' ``repr``: stable across runs, machines and Python versions,
    and unrelated for different labels, so adding an experiment never shifts another's
    random numbers.
    """
    import hashlib

    h = hashlib.blake2b(repr(parts).encode(), digest_size=8)
    return int.from_bytes(h.digest(), "little")
