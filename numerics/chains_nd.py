"""n-dimensional chains ``x' = x - F(x) + S(x) xi``, many independent ones at once.

``F`` is a vector of ``n`` polynomials, ``S`` an ``n x m`` matrix of polynomials (row-major),
``xi ~ N(0, I_m)``; both arrive as :class:`numerics.polynd.PolySystem` data. One update
covers the decks' n-D processes:

- SGD with correlated Gaussian gradient noise and a preconditioner ``D`` (constant or
  polynomial), ``x' = x - eta D (grad L + C xi)``: ``F = eta D grad L``, ``S = -eta D C``
  (the sign of ``xi`` is immaterial);
- Euler-Maruyama for ``dx = -f dt + s dB``: ``F = f dt``, ``S = s sqrt(dt)``.

After ``burn_in`` steps each chain accumulates time averages of

- ``K`` polynomial observables of the state (``observables``), e.g. ``x^2``, ``(dL/dx)^2``;
- ``P`` *current functionals* ``(x' - x) . G_p((x + x') / 2) - (S(x) xi) . G_p(x)`` for
  polynomial vector fields ``G_p`` (``fields``, ``P * n`` components): the midpoint
  (Stratonovich) rule, whose stationary mean per unit time is ``int J . G_p dx`` with ``J``
  the probability current (e.g. ``G = (-y, x)`` measures the current's circulation; it is 0
  under detailed balance). The second term has mean exactly 0 (``xi`` is independent of
  ``x``) and removes the noise's leading, O(1/sqrt(step)) fluctuation: a control variate;

and, for the first two coordinates, a histogram of the states and the sum of the
displacements binned at the step's midpoint (the current field, for plots).

Reproducibility: chain ``c`` draws from its own stream ``(seed, c)``; histograms are
accumulated per fixed block of chains and the blocks summed in order, so results are
bit-identical whatever the thread count.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numba as nb
import numpy as np

from .polynd import LANES, PolySystem, eval_lanes, eval_system_numpy, fill_powers_lanes
from .rng import (LANE_ROWS, draw_lanes, finish_lane_normal, lane_normal, lanes_from_states,
                  normals, seed_states)
from .threads import run_chunked

__all__ = ["HistogramSpec", "ChainRunND", "run_chains_nd", "run_chains_nd_reference", "BLOCK"]

#: Chains per block: the unit of parallel work and of histogram accumulation.
BLOCK = 16


@dataclass(frozen=True)
class HistogramSpec:
    """Bins on ``[lo[0], hi[0]) x [lo[1], hi[1])`` for the first two coordinates."""

    lo: tuple[float, float]
    hi: tuple[float, float]
    bins: tuple[int, int]

    def __post_init__(self):
        if not all(np.isfinite(v) for v in (*self.lo, *self.hi)) or not all(
                a < b for a, b in zip(self.lo, self.hi)):
            raise ValueError(f"histogram box lo={self.lo}, hi={self.hi} must be finite with lo < hi")
        if not all(isinstance(b, int) and b >= 1 for b in self.bins):
            raise ValueError(f"bins={self.bins!r} must be two integers >= 1")

    def edges(self, axis: int) -> np.ndarray:
        return np.linspace(self.lo[axis], self.hi[axis], self.bins[axis] + 1)


@dataclass(frozen=True)
class ChainRunND:
    """Per-chain results of :func:`run_chains_nd`.

    ``observables[c, k]``: chain ``c``'s time average of observable ``k`` over the kept
    steps (evaluated at the state after each step); ``currents[c, p]``: its time average of
    ``(x' - x) . G_p(midpoint)`` (minus the control variate); ``hist[i, j]`` the count of kept
    states in bin ``(i, j)``; ``displacement[a, i, j]`` the sum of coordinate ``a`` of the
    displacements whose midpoint lies in bin ``(i, j)``, minus the noise of the steps that
    start in it (a control variate of mean 0); ``final`` each chain's last state.
    """

    observables: np.ndarray
    currents: np.ndarray
    hist: np.ndarray | None
    displacement: np.ndarray | None
    hist_spec: HistogramSpec | None
    final: np.ndarray
    n_steps: int
    burn_in: int
    seed: int
    seconds: float

    @property
    def chain_steps(self) -> int:
        return self.final.shape[0] * self.n_steps

    @property
    def kept(self) -> int:
        return self.n_steps - self.burn_in


@nb.njit(inline="always", cache=True)
def _bin(v, lo, hi, nb_):
    if lo <= v < hi:
        j = int((v - lo) * (nb_ / (hi - lo)))
        if j < nb_:
            return j
    return -1


@nb.njit(inline="always", cache=True)
def _half_power(q, twice):
    """``q^(twice/2)`` by sqrt, products and one division (all correctly rounded, so the numpy
    reference reproduces it bit for bit, which ``**`` with a float exponent does not promise)."""
    r = np.sqrt(q)
    v = 1.0
    for _ in range(abs(twice)):
        v *= r
    return 1.0 / v if twice < 0 else v


def _half_power_numpy(q, twice):
    r = np.sqrt(q)
    v = np.ones_like(q)
    for _ in range(abs(twice)):
        v = v * r
    return 1.0 / v if twice < 0 else v




@nb.njit(nogil=True, cache=True)
def _run(first, last, x0, de, dc, do, se, sc, so, oe, oc, oo, ge, gc, go, qe, qc, qo, q_pow_f,
         q_pow_s, n_noise, degree, n_steps, burn_in,
         states, h_lo, h_hi, h_bins, escape, block, obs, cur, hist, disp, final, status):
    """Blocks ``first .. last - 1`` of ``block`` chains (see :mod:`numerics.threads`), each
    in groups of ``LANES`` chains advanced in lockstep. A lane past the block's end, or whose
    chain has escaped, is still computed (on finite values) but records nothing, so every
    chain's outputs are those of the chain run alone (an escaped lane goes on drawing, but
    its numbers are never used: the run raises)."""
    n_chains, n = x0.shape
    n_obs = obs.shape[1]
    n_fields = cur.shape[1]
    use_hist = hist.shape[0] > 0
    use_q = qo.shape[0] > 1
    kept = n_steps - burn_in
    powers = np.empty((n, degree + 1, LANES))
    x = np.empty((n, LANES))
    xn = np.empty((n, LANES))
    mid = np.empty((n, LANES))
    f = np.empty((n, LANES))
    s = np.empty((n * n_noise, LANES))
    xi = np.zeros((n_noise, LANES))
    ov = np.empty((max(n_obs, 1), LANES))
    gv = np.empty((max(n_fields * n, 1), LANES))
    g0 = np.empty((max(n_fields * n, 1), LANES))
    noise = np.empty((n, LANES))
    qv = np.empty((1, LANES))
    term = np.empty(LANES)
    live = np.zeros(LANES, dtype=np.bool_)
    # The lanes' random streams (numerics.rng's lane layout): lane l draws chain c0 + l's
    # numbers in the scalar sampler's order; lanes past the block's end copy lane 0's
    # state and draw nothing.
    lanes = np.empty(LANE_ROWS * LANES, dtype=np.uint64)
    flt = lanes.view(np.float64)
    for b in range(first, last):
        c_end = min(n_chains, (b + 1) * block)
        for c0 in range(b * block, c_end, LANES):
            width = min(LANES, c_end - c0)
            lanes_from_states(states, c0, width, lanes, LANES)
            for l in range(LANES):
                live[l] = l < width
                for i in range(n):
                    x[i, l] = x0[c0 + l, i] if l < width else 0.0
                if l >= width:
                    for j in range(4):
                        lanes[j * LANES + l] = lanes[j * LANES]
            for t in range(n_steps):
                fill_powers_lanes(x, powers)
                eval_lanes(de, dc, do, powers, term, f)
                eval_lanes(se, sc, so, powers, term, s)
                if use_q:
                    eval_lanes(qe, qc, qo, powers, term, qv)
                    for l in range(LANES):
                        mf = _half_power(qv[0, l], q_pow_f)
                        ms = _half_power(qv[0, l], q_pow_s)
                        for i in range(n):
                            f[i, l] *= mf
                        for i in range(n * n_noise):
                            s[i, l] *= ms
                if n_fields > 0 and t >= burn_in:
                    eval_lanes(ge, gc, go, powers, term, g0)
                # An escaped lane goes on drawing: its numbers are never used (the run raises).
                for k in range(n_noise):
                    draw_lanes(lanes, flt, LANES, width)
                    for l in range(width):
                        z, miss = lane_normal(lanes, flt, LANES, l)
                        xi[k, l] = finish_lane_normal(lanes, LANES, l) if miss else z
                for i in range(n):
                    for l in range(LANES):
                        acc = 0.0
                        for k in range(n_noise):
                            acc += s[i * n_noise + k, l] * xi[k, l]
                        noise[i, l] = acc
                        xn[i, l] = x[i, l] - f[i, l] + acc
                for l in range(width):
                    if live[l]:
                        for i in range(n):
                            if not abs(xn[i, l]) <= escape:  # also catches NaN
                                status[c0 + l] = t + 1
                                live[l] = False
                                break
                if t >= burn_in:
                    if n_obs > 0:
                        fill_powers_lanes(xn, powers)
                        eval_lanes(oe, oc, oo, powers, term, ov)
                        for l in range(width):
                            if live[l]:
                                for k in range(n_obs):
                                    obs[c0 + l, k] += ov[k, l]
                    if n_fields > 0 or use_hist:
                        for i in range(n):
                            for l in range(LANES):
                                mid[i, l] = 0.5 * (x[i, l] + xn[i, l])
                    if n_fields > 0:
                        fill_powers_lanes(mid, powers)
                        eval_lanes(ge, gc, go, powers, term, gv)
                        for l in range(width):
                            if live[l]:
                                for p in range(n_fields):
                                    acc = 0.0
                                    for i in range(n):
                                        # Minus the control variate S xi . G(x), whose mean is exactly 0.
                                        acc += ((xn[i, l] - x[i, l]) * gv[p * n + i, l]
                                                - noise[i, l] * g0[p * n + i, l])
                                    cur[c0 + l, p] += acc
                    if use_hist:
                        for l in range(width):
                            if not live[l]:
                                continue
                            i0 = _bin(xn[0, l], h_lo[0], h_hi[0], h_bins[0])
                            j0 = _bin(xn[1, l], h_lo[1], h_hi[1], h_bins[1])
                            if i0 >= 0 and j0 >= 0:
                                hist[b, i0, j0] += 1
                            i1 = _bin(mid[0, l], h_lo[0], h_hi[0], h_bins[0])
                            j1 = _bin(mid[1, l], h_lo[1], h_hi[1], h_bins[1])
                            if i1 >= 0 and j1 >= 0:
                                disp[b, 0, i1, j1] += xn[0, l] - x[0, l]
                                disp[b, 1, i1, j1] += xn[1, l] - x[1, l]
                            # Control variate: the noise binned where the step starts (mean 0).
                            i2 = _bin(x[0, l], h_lo[0], h_hi[0], h_bins[0])
                            j2 = _bin(x[1, l], h_lo[1], h_hi[1], h_bins[1])
                            if i2 >= 0 and j2 >= 0:
                                disp[b, 0, i2, j2] -= noise[0, l]
                                disp[b, 1, i2, j2] -= noise[1, l]
                for l in range(width):
                    if live[l]:
                        for i in range(n):
                            x[i, l] = xn[i, l]
            for l in range(width):
                c = c0 + l
                for i in range(n):
                    final[c, i] = x[i, l]
                for k in range(n_obs):
                    obs[c, k] /= kept
                for p in range(n_fields):
                    cur[c, p] /= kept


def _empty_system(n: int) -> PolySystem:
    return PolySystem.from_components([], n)


def _modulation(modulation, n: int) -> tuple[PolySystem, int, int]:
    """``(q, 2a, 2b)``: the powers travel as twice their value (half-integers only)."""
    if modulation is None:
        return _empty_system(n), 0, 0
    q, a, b = modulation
    if not isinstance(q, PolySystem) or q.n_vars != n or q.n_outputs != 1:
        raise ValueError(f"modulation q must be one polynomial in n={n} variables")
    twice = []
    for name, v in (("a", a), ("b", b)):
        t = 2 * float(v)
        if t != round(t) or abs(t) > 8:
            raise ValueError(f"modulation power {name}={v!r} must be a multiple of 1/2 in [-4, 4]")
        twice.append(int(round(t)))
    return q, twice[0], twice[1]


def _validate(drift: PolySystem, noise: PolySystem, x0, n_steps, burn_in):
    if not isinstance(drift, PolySystem) or not isinstance(noise, PolySystem):
        raise TypeError("drift and noise must be PolySystem instances")
    n = drift.n_vars
    if drift.n_outputs != n:
        raise ValueError(f"drift has {drift.n_outputs} components; it must have n_vars={n}")
    if noise.n_vars != n or noise.n_outputs % n or noise.n_outputs == 0:
        raise ValueError(f"noise has {noise.n_outputs} components in {noise.n_vars} variables; it "
                         f"must be an n x m matrix (row-major) in n={n} variables")
    x0 = np.ascontiguousarray(np.asarray(x0, dtype=np.float64))
    if x0.ndim != 2 or x0.shape[1] != n or x0.shape[0] == 0 or not np.all(np.isfinite(x0)):
        raise ValueError(f"x0 must be a finite array of shape (chains, {n}); got {x0.shape}")
    if not (isinstance(n_steps, (int, np.integer)) and n_steps >= 1):
        raise ValueError(f"n_steps={n_steps!r} must be an integer >= 1")
    if not (isinstance(burn_in, (int, np.integer)) and 0 <= burn_in < n_steps):
        raise ValueError(f"burn_in={burn_in!r} must be an integer in [0, n_steps={n_steps})")
    return x0, n, noise.n_outputs // n


def run_chains_nd(drift: PolySystem, noise: PolySystem, *, x0, n_steps: int, burn_in: int,
                  seed: int, observables: PolySystem | None = None,
                  fields: PolySystem | None = None, hist: HistogramSpec | None = None,
                  modulation: tuple[PolySystem, float, float] | None = None,
                  escape: float = 1e6, threads: int | None = None) -> ChainRunND:
    """Run ``len(x0)`` independent chains of ``x' = x - F(x) + S(x) xi``.

    ``modulation = (q, a, b)`` (optional): a scalar polynomial ``q > 0`` that scales the drift
    by ``q(x)^a`` and the noise by ``q(x)^b``, i.e. ``x' = x - q^a F + q^b S xi``: rational
    preconditioners such as ``Sigma(x)^{-1} = Sigma^{-1} / q(x)`` (``a = -1, b = -1/2``);
    ``a`` and ``b`` must be multiples of 1/2.

    Raises ``FloatingPointError`` naming the step and chain if a chain leaves
    ``|x_i| <= escape`` (an unstable step size). ``threads`` is the number of threads
    (default: numba's thread count); the results do not depend on it.
    """
    x0, n, m = _validate(drift, noise, x0, n_steps, burn_in)
    obs_sys = observables if observables is not None else _empty_system(n)
    fld_sys = fields if fields is not None else _empty_system(n)
    q_sys, q_a, q_b = _modulation(modulation, n)
    for name, sys_ in (("observables", obs_sys), ("fields", fld_sys)):
        if sys_.n_vars != n:
            raise ValueError(f"{name} must be polynomials in n_vars={n} variables")
    if fld_sys.n_outputs % n:
        raise ValueError(f"fields has {fld_sys.n_outputs} components: it must hold P vector "
                         f"fields of n={n} components each")
    if hist is not None and n < 2:
        raise ValueError("a 2-D histogram needs n >= 2 coordinates")
    n_chains = x0.shape[0]
    n_blocks = (n_chains + BLOCK - 1) // BLOCK
    degree = max(1, drift.max_degree, noise.max_degree, obs_sys.max_degree, fld_sys.max_degree,
                 q_sys.max_degree)
    obs = np.zeros((n_chains, obs_sys.n_outputs))
    cur = np.zeros((n_chains, fld_sys.n_outputs // n))
    if hist is not None:
        hb = np.zeros((n_blocks, *hist.bins), dtype=np.int64)
        db = np.zeros((n_blocks, 2, *hist.bins))
        lo, hi, bins = (np.array(hist.lo, dtype=np.float64), np.array(hist.hi, dtype=np.float64),
                        np.array(hist.bins, dtype=np.int64))
    else:
        hb = np.zeros((0, 1, 1), dtype=np.int64)
        db = np.zeros((0, 2, 1, 1))
        lo, hi, bins = np.zeros(2), np.ones(2), np.ones(2, dtype=np.int64)
    final = np.empty((n_chains, n))
    status = np.zeros(n_chains, dtype=np.int64)
    states = seed_states(seed, n_chains)
    start = time.perf_counter()
    run_chunked(_run, n_blocks, x0, drift.exponents, drift.coefficients, drift.offsets,
                noise.exponents, noise.coefficients, noise.offsets,
                obs_sys.exponents, obs_sys.coefficients, obs_sys.offsets,
                fld_sys.exponents, fld_sys.coefficients, fld_sys.offsets,
                q_sys.exponents, q_sys.coefficients, q_sys.offsets, int(q_a), int(q_b),
                int(m), int(degree), int(n_steps), int(burn_in), states, lo, hi, bins,
                float(escape), BLOCK, obs, cur, hb, db, final, status, threads=threads)
    seconds = time.perf_counter() - start
    bad = np.flatnonzero(status)
    if bad.size:
        c = int(bad[0])
        raise FloatingPointError(
            f"chain {c} left |x_i| <= {escape:g} at step {int(status[c])} ({bad.size} of "
            f"{n_chains} chains diverged): the step size is unstable for this drift; reduce it")
    return ChainRunND(
        observables=obs, currents=cur,
        hist=hb.sum(axis=0) if hist is not None else None,
        displacement=db.sum(axis=0) if hist is not None else None, hist_spec=hist,
        final=final, n_steps=int(n_steps), burn_in=int(burn_in), seed=int(seed), seconds=seconds)


def run_chains_nd_reference(drift: PolySystem, noise: PolySystem, *, x0, n_steps: int,
                            burn_in: int, seed: int, observables: PolySystem | None = None,
                            fields: PolySystem | None = None,
                            modulation: tuple[PolySystem, float, float] | None = None):
    """Plain numpy version of :func:`run_chains_nd`: ``(observables, currents, final)``.

    It consumes the same per-chain streams in the same order and evaluates the same
    polynomials in the same order, so on small inputs it agrees with the kernel to the
    last bit (the division by the number of kept steps excepted).
    """
    x0, n, m = _validate(drift, noise, x0, n_steps, burn_in)
    obs_sys = observables if observables is not None else _empty_system(n)
    fld_sys = fields if fields is not None else _empty_system(n)
    q_sys, q_a, q_b = _modulation(modulation, n)
    C = x0.shape[0]
    xi = normals(seed, C, n_steps * m).reshape(C, n_steps, m)
    x = x0.copy()
    obs = np.zeros((C, obs_sys.n_outputs))
    P = fld_sys.n_outputs // n
    cur = np.zeros((C, P))
    for t in range(n_steps):
        f = eval_system_numpy(drift, x)
        s = eval_system_numpy(noise, x)
        if q_sys.n_outputs:
            qv = eval_system_numpy(q_sys, x)[:, 0]
            f = f * _half_power_numpy(qv, q_a)[:, None]
            s = s * _half_power_numpy(qv, q_b)[:, None]
        xn = np.empty_like(x)
        nz = np.empty_like(x)
        for i in range(n):
            acc = np.zeros(C)
            for l in range(m):
                acc = acc + s[:, i * m + l] * xi[:, t, l]
            nz[:, i] = acc
            xn[:, i] = x[:, i] - f[:, i] + acc
        if t >= burn_in:
            if obs_sys.n_outputs:
                obs += eval_system_numpy(obs_sys, xn)
            if P:
                g = eval_system_numpy(fld_sys, 0.5 * (x + xn))
                g0 = eval_system_numpy(fld_sys, x)
                for p in range(P):
                    acc = np.zeros(C)
                    for i in range(n):
                        acc = acc + ((xn[:, i] - x[:, i]) * g[:, p * n + i] - nz[:, i] * g0[:, p * n + i])
                    cur[:, p] += acc
        x = xn
    kept = n_steps - burn_in
    return obs / kept, cur / kept, x
