"""Running averages over many random input sequences: linear filters, one stream per sequence.

Each sequence ``c`` draws, at every step ``t = 1..T``, a batch of ``B`` per-example values

    u[t, b] = m[t] + sd * e[t, b],   e iid with mean 0 and variance 1,

with ``e`` standard normal (``law = GAUSSIAN``) or a Student t with ``dof`` degrees of
freedom scaled to unit variance (``law = STUDENT_T``, heavy tailed; ``dof >= 5`` keeps the
fourth moment finite so that variances of squares have honest standard errors). Three
*channels* summarise the batch:

    channel 0  BATCH_MEAN           x_t = (1/B) sum_b u[t, b]       (the batch gradient g-hat)
    channel 1  BATCH_MEAN_SQUARED   x_t^2                            (what RMSProp averages)
    channel 2  MEAN_OF_SQUARES      (1/B) sum_b u[t, b]^2            (per-example squares)

and ``K`` filters run on them side by side, on the same draws:

- a first-order linear recurrence ``a_t = alpha[k, t] a_{t-1} + beta[k, t] x_t``,
  ``y_t = scale[k, t] a_t``, ``a_0 = 0``: the running average with 1/N, the cumulative
  mean (1/t), the 1/min(N, t) schedule, Kingma and Ba's ``m_t / (1 - beta^t)``, momentum;
- or (``window[k] = W > 0``) the mean of the last ``W`` inputs, ``(1/W) sum_{s=t-W+1}^t x_s``
  (inputs before step 1 count as 0).

The schedules are data (arrays computed from the sympy recurrences by the caller), so one
compiled kernel serves every filter. Each sequence writes only its own rows of the outputs
and draws from its own stream ``(seed, c)`` (:mod:`numerics.rng`): results are bit-identical
at any thread count. :func:`run_filters_reference` is the plain-numpy version the tests
compare with; :func:`filter_weights` and :func:`channel_moments` give the exact weights and
input moments for deterministic witnesses.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numba as nb
import numpy as np

from .rng import next_normal, normals, seed_states
from .threads import run_chunked

__all__ = ["GAUSSIAN", "STUDENT_T", "BATCH_MEAN", "BATCH_MEAN_SQUARED", "MEAN_OF_SQUARES",
           "FilterRun", "run_filters", "run_filters_reference", "filter_weights",
           "ChannelMoments", "channel_moments"]

GAUSSIAN, STUDENT_T = 0, 1
BATCH_MEAN, BATCH_MEAN_SQUARED, MEAN_OF_SQUARES = 0, 1, 2
_N_CHANNELS = 3


@dataclass(frozen=True)
class FilterRun:
    """Per-sequence outputs of :func:`run_filters`.

    ``values[c, k, j]`` is filter ``k``'s output at step ``record[j]`` in sequence ``c``;
    ``probes[c, p]`` is the batch mean ``x_t`` at step ``probe[p]`` (for covariances).
    """

    values: np.ndarray
    probes: np.ndarray
    record: np.ndarray
    probe: np.ndarray
    seed: int
    seconds: float

    @property
    def chains(self) -> int:
        return self.values.shape[0]


@nb.njit(inline="always", cache=True)
def _draw(states, c, law, dof):
    z = next_normal(states, c)
    if law == GAUSSIAN:
        return z
    chi2 = 0.0
    for _ in range(dof):
        v = next_normal(states, c)
        chi2 += v * v
    # t = z / sqrt(chi2 / dof) has variance dof / (dof - 2); scale it to 1.
    return z * math.sqrt((dof - 2.0) / chi2)


@nb.njit(nogil=True, cache=True)
def _run(lo, hi, mean_path, sd, law, dof, batch, alpha, beta, scale, channel, window, wmax,
         record, probe, states, values, probes):
    """Sequences ``lo .. hi - 1`` (see :mod:`numerics.threads`)."""
    n_filters = alpha.shape[0]
    n_steps = mean_path.shape[0]
    n_record = record.shape[0]
    n_probe = probe.shape[0]
    for c in range(lo, hi):
        acc = np.zeros(n_filters)
        ring = np.zeros((n_filters, wmax))
        xin = np.zeros(_N_CHANNELS)
        j = 0
        p = 0
        for t in range(n_steps):
            m = mean_path[t]
            s1 = 0.0
            s2 = 0.0
            for _ in range(batch):
                u = m + sd * _draw(states, c, law, dof)
                s1 += u
                s2 += u * u
            xb = s1 / batch
            xin[0] = xb
            xin[1] = xb * xb
            xin[2] = s2 / batch
            for k in range(n_filters):
                x = xin[channel[k]]
                w = window[k]
                if w > 0:
                    slot = t % w
                    acc[k] += x - ring[k, slot]
                    ring[k, slot] = x
                else:
                    acc[k] = alpha[k, t] * acc[k] + beta[k, t] * x
            while p < n_probe and probe[p] == t + 1:
                probes[c, p] = xb
                p += 1
            while j < n_record and record[j] == t + 1:
                for k in range(n_filters):
                    if window[k] > 0:
                        values[c, k, j] = acc[k] / window[k]
                    else:
                        values[c, k, j] = scale[k, t] * acc[k]
                j += 1


def _times(name: str, times, n_steps: int) -> np.ndarray:
    arr = np.ascontiguousarray(np.asarray(times, dtype=np.int64))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name}={times!r} must be a non-empty 1-D sequence of steps")
    if np.any(arr < 1) or np.any(arr > n_steps) or np.any(np.diff(arr) <= 0):
        raise ValueError(f"{name}={times!r} must be strictly increasing steps in [1, {n_steps}]")
    return arr


def _validate(mean_path, sd, law, dof, batch, alpha, beta, scale, channel, window, record, probe):
    mean_path = np.ascontiguousarray(np.asarray(mean_path, dtype=np.float64))
    if mean_path.ndim != 1 or mean_path.size == 0 or not np.all(np.isfinite(mean_path)):
        raise ValueError("mean_path must be a non-empty 1-D array of finite means, one per step")
    T = mean_path.size
    if not (np.isfinite(sd) and sd >= 0):
        raise ValueError(f"sd={sd!r} must be finite and >= 0")
    if law not in (GAUSSIAN, STUDENT_T):
        raise ValueError(f"law={law!r} must be GAUSSIAN ({GAUSSIAN}) or STUDENT_T ({STUDENT_T})")
    if law == STUDENT_T and not (isinstance(dof, (int, np.integer)) and dof >= 5):
        raise ValueError(f"dof={dof!r} must be an integer >= 5 (finite fourth moment)")
    if not (isinstance(batch, (int, np.integer)) and batch >= 1):
        raise ValueError(f"batch={batch!r} must be an integer >= 1")
    arrays = []
    for name, a in (("alpha", alpha), ("beta", beta), ("scale", scale)):
        a = np.ascontiguousarray(np.asarray(a, dtype=np.float64))
        if a.ndim != 2 or a.shape[1] != T or a.shape[0] == 0:
            raise ValueError(f"{name} has shape {a.shape}; need (filters, {T}) schedules")
        if not np.all(np.isfinite(a)):
            raise ValueError(f"{name} must be finite")
        arrays.append(a)
    alpha, beta, scale = arrays
    if not alpha.shape == beta.shape == scale.shape:
        raise ValueError(f"alpha {alpha.shape}, beta {beta.shape}, scale {scale.shape} must match")
    K = alpha.shape[0]
    channel = np.ascontiguousarray(np.asarray(channel, dtype=np.int64))
    window = np.ascontiguousarray(np.asarray(window, dtype=np.int64))
    if channel.shape != (K,) or np.any((channel < 0) | (channel >= _N_CHANNELS)):
        raise ValueError(f"channel={channel.tolist()!r} must give each of the {K} filters a "
                         f"channel in 0..{_N_CHANNELS - 1}")
    if window.shape != (K,) or np.any(window < 0):
        raise ValueError(f"window={window.tolist()!r} must give each of the {K} filters a "
                         "window length >= 0 (0: a recurrence)")
    record = _times("record", record, T)
    probe = _times("probe", probe, T) if len(probe) else np.zeros(0, dtype=np.int64)
    return mean_path, alpha, beta, scale, channel, window, record, probe


def run_filters(mean_path, *, sd: float, alpha, beta, scale, channel, window, record,
                probe=(), batch: int = 1, law: int = GAUSSIAN, dof: int = 5, chains: int,
                seed: int, threads: int | None = None) -> FilterRun:
    """Run ``chains`` independent input sequences through every filter; see the module doc.

    ``alpha, beta, scale`` are ``(K, T)`` schedules (entry ``t - 1`` is used at step ``t``;
    ignored for window filters); ``channel`` and ``window`` have one entry per filter;
    ``record`` and ``probe`` are strictly increasing steps in ``[1, T]``.
    """
    mean_path, alpha, beta, scale, channel, window, record, probe = _validate(
        mean_path, sd, law, dof, batch, alpha, beta, scale, channel, window, record, probe)
    if not (isinstance(chains, (int, np.integer)) and chains >= 2):
        raise ValueError(f"chains={chains!r} must be an integer >= 2")
    states = seed_states(seed, int(chains))
    values = np.zeros((chains, alpha.shape[0], record.size))
    probes = np.zeros((chains, probe.size))
    start = time.perf_counter()
    run_chunked(_run, int(chains), mean_path, float(sd), int(law), int(dof), int(batch), alpha,
                beta, scale, channel, window, int(max(1, window.max())), record, probe, states,
                values, probes, threads=threads)
    return FilterRun(values, probes, record, probe, int(seed), time.perf_counter() - start)


def run_filters_reference(mean_path, *, sd, alpha, beta, scale, channel, window, record,
                          probe=(), batch=1, law=GAUSSIAN, dof=5, chains, seed):
    """Plain numpy version of :func:`run_filters`, vectorised over sequences.

    It consumes each sequence's stream in the kernel's order (per step, per example: the
    normal, then ``dof`` more for a Student t), so on small inputs it agrees with the kernel
    to the last bit. Returns ``(values, probes)``.
    """
    mean_path, alpha, beta, scale, channel, window, record, probe = _validate(
        mean_path, sd, law, dof, batch, alpha, beta, scale, channel, window, record, probe)
    T, K = mean_path.size, alpha.shape[0]
    per_draw = 1 if law == GAUSSIAN else 1 + dof
    z = normals(seed, chains, T * batch * per_draw).reshape(chains, T, batch, per_draw)
    if law == GAUSSIAN:
        e = z[..., 0]
    else:
        chi2 = np.zeros((chains, T, batch))
        for i in range(1, per_draw):
            chi2 = chi2 + z[..., i] * z[..., i]
        e = z[..., 0] * np.sqrt((dof - 2.0) / chi2)
    acc = np.zeros((K, chains))
    rings = [np.zeros((max(1, w), chains)) for w in window]
    values = np.zeros((chains, K, record.size))
    probes = np.zeros((chains, probe.size))
    for t in range(T):
        s1 = np.zeros(chains)
        s2 = np.zeros(chains)
        for b in range(batch):
            u = mean_path[t] + sd * e[:, t, b]
            s1 = s1 + u
            s2 = s2 + u * u
        xb = s1 / batch
        xin = (xb, xb * xb, s2 / batch)
        for k in range(K):
            x = xin[channel[k]]
            if window[k] > 0:
                slot = t % window[k]
                acc[k] = acc[k] + (x - rings[k][slot])
                rings[k][slot] = x
            else:
                acc[k] = alpha[k, t] * acc[k] + beta[k, t] * x
        for p in np.flatnonzero(probe == t + 1):
            probes[:, p] = xb
        for j in np.flatnonzero(record == t + 1):
            for k in range(K):
                values[:, k, j] = acc[k] / window[k] if window[k] > 0 else scale[k, t] * acc[k]
    return values, probes


def filter_weights(alpha, beta, scale, window, record, n_steps: int) -> np.ndarray:
    """Exact weights ``w[k, j, s-1]`` of input ``x_s`` in filter ``k``'s output at ``record[j]``.

    Runs each recurrence on unit impulses (in float64, no sampling): the deterministic
    counterpart of :func:`run_filters`, free of any closed form.
    """
    alpha = np.asarray(alpha, dtype=float)
    beta = np.asarray(beta, dtype=float)
    scale = np.asarray(scale, dtype=float)
    record = _times("record", record, n_steps)
    K = alpha.shape[0]
    out = np.zeros((K, record.size, n_steps))
    for k in range(K):
        w = int(window[k])
        j = 0
        a = np.zeros(n_steps)
        for t in range(n_steps):
            if w > 0:
                a = np.zeros(n_steps)
                a[max(0, t - w + 1):t + 1] = 1.0 / w
            else:
                a = alpha[k, t] * a
                a[t] += beta[k, t]
            while j < record.size and record[j] == t + 1:
                out[k, j] = a if w > 0 else scale[k, t] * a
                j += 1
    return out


@dataclass(frozen=True)
class ChannelMoments:
    """Mean ``E x_t`` and variance ``Var x_t`` of each channel at every step, and
    ``Cov(x_t, batch mean_t)`` (for weights measured by covariance with the batch mean)."""

    mean: np.ndarray  # (channels, T)
    variance: np.ndarray  # (channels, T)
    cov_with_batch_mean: np.ndarray  # (channels, T)


def channel_moments(mean_path, sd: float, batch: int, law: int = GAUSSIAN,
                    dof: int = 5) -> ChannelMoments:
    """Exact moments of the three channels for the input model of :func:`run_filters`.

    With ``v = sd^2 / B`` the batch mean's variance and kurtosis ``k`` of one example
    (3 for Gaussian, ``3 + 6 / (dof - 4)`` for the unit Student t), the batch mean's
    kurtosis is ``k_B = 3 + (k - 3) / B``; odd central moments vanish (symmetric laws), so

        E xb^2 = m^2 + v,           Var xb^2 = 4 m^2 v + (k_B - 1) v^2,   Cov(xb^2, xb) = 2 m v,
        E (1/B) sum u^2 = m^2 + sd^2,   Var = (4 m^2 sd^2 + (k - 1) sd^4) / B,
        Cov((1/B) sum u^2, xb) = 2 m sd^2 / B.
    """
    m = np.asarray(mean_path, dtype=float)
    kurt = 3.0 if law == GAUSSIAN else 3.0 + 6.0 / (dof - 4)
    v = sd**2 / batch
    kb = 3.0 + (kurt - 3.0) / batch
    mean = np.vstack([m, m**2 + v, m**2 + sd**2])
    var = np.vstack([np.full_like(m, v), 4 * m**2 * v + (kb - 1) * v**2,
                     (4 * m**2 * sd**2 + (kurt - 1) * sd**4) / batch])
    cov = np.vstack([np.full_like(m, v), 2 * m * v, 2 * m * sd**2 / batch])
    return ChannelMoments(mean, var, cov)
