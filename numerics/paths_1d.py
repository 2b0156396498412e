"""Finite-horizon paths in one dimension, recorded at checkpoints: SGD on data, and noisy steps.

The stationary kernels (:mod:`.chains_1d`) average over a long run; the limits the decks
take (eta -> 0 at a fixed time, N steps of SGD, Brownian motion at time t) need the
*state at given steps* of many independent paths instead. Two processes:

- :func:`run_data_sgd`: SGD that draws one training example per step, uniformly with
  replacement, ``x_{k+1} = x_k - eta_k ghat_i(x_k)``, where example ``i``'s gradient is
  the polynomial ``ghat_i(x) = sum_j coef[i, j] x^j`` (the slides' "gradient of the i-th
  randomly selected training point"); ``eta_k`` is a schedule (an array, one per step).
- :func:`run_noise_paths`: ``x_{k+1} = x_k - a f(x_k) + b s(x_k) xi_k`` with i.i.d. steps
  ``xi`` of a chosen law (standard normal, Rademacher, uniform of unit variance, or the
  symmetric alpha-stable law with characteristic function ``exp(-|s|^alpha)``, whose
  variance is infinite for ``alpha < 2`` and whose mean exists for ``alpha > 1``); it
  also returns the running sum ``w_k = xi_1 + ... + xi_k`` at each
  checkpoint (the driving random walk, for path-by-path comparisons);
- :func:`gradient_flow`: the flow ``x' = -f(x)`` itself by classical RK4, from many starts,
  with the coefficient of Euler's global error (the reference the limits are taken to).

Each path ``c`` draws from its own stream ``(seed, c)`` (:mod:`.rng`) and writes only its own
row of the outputs, so results are bit-identical at any thread count. Plain-numpy
references consume the same streams in the same order; the tests hold the kernels to them.
"""

from __future__ import annotations

import enum
import math

import numba as nb
import numpy as np

from .poly import as_coefficients, horner, horner_numpy
from .rng import next_double, next_normal, normals, seed_states, uniforms
from .threads import run_chunked

__all__ = ["StepLaw", "run_data_sgd", "run_data_sgd_reference", "run_noise_paths",
           "run_noise_paths_reference", "gradient_flow", "gradient_flow_reference"]


class StepLaw(enum.IntEnum):
    """The law of one noise step ``xi`` (all symmetric; the first three have variance 1)."""

    NORMAL = 0
    RADEMACHER = 1  # +-1 with probability 1/2
    UNIFORM = 2  # uniform on [-sqrt 3, sqrt 3]
    STABLE = 3  # symmetric alpha-stable, E exp(i s xi) = exp(-|s|^alpha) (Chambers-Mallows-Stuck)


@nb.njit(inline="always", cache=True)
def _cms(u, v, alpha):
    angle = math.pi * (u - 0.5)
    w = -math.log1p(-v)
    if w <= 0.0:  # v == 0 (probability 2^-53): the limit of the formula is 0
        return 0.0
    return (math.sin(alpha * angle) / math.cos(angle) ** (1.0 / alpha)
            * (math.cos((1.0 - alpha) * angle) / w) ** ((1.0 - alpha) / alpha))


@nb.njit(inline="always", cache=True)
def _draw(states, c, law, alpha):
    if law == 0:
        return next_normal(states, c)
    u = next_double(states, c)
    if law == 1:
        return 1.0 if u < 0.5 else -1.0
    if law == 2:
        return 3.0**0.5 * (2.0 * u - 1.0)
    # Symmetric alpha-stable by Chambers, Mallows & Stuck (JASA 71 (1976) 340):
    # U uniform on [-pi/2, pi/2), W exponential(1) from the second double.
    v = next_double(states, c)
    return _cms(u, v, alpha)


@nb.njit(nogil=True, cache=True)
def _data_sgd(lo, hi, coef, x0, etas, checkpoints, states, out, status):
    """Paths ``lo .. hi - 1`` (see :mod:`numerics.threads`)."""
    n_examples = coef.shape[0]
    n_steps = etas.shape[0]
    n_check = checkpoints.shape[0]
    for c in range(lo, hi):
        x = x0[c]
        j = 0
        for t in range(n_steps + 1):
            while j < n_check and checkpoints[j] == t:
                out[c, j] = x
                j += 1
            if t == n_steps:
                break
            i = int(next_double(states, c) * n_examples)
            x = x - etas[t] * horner(coef[i], x)
            if not abs(x) <= 1e6:
                status[c] = t + 1
                break


@nb.njit(nogil=True, cache=True)
def _noise_paths(lo, hi, f, s, a, b, x0, n_steps, checkpoints, law, alpha, states, out_x, out_w,
                 status):
    """Paths ``lo .. hi - 1`` (see :mod:`numerics.threads`)."""
    n_check = checkpoints.shape[0]
    for c in range(lo, hi):
        x = x0[c]
        w = 0.0
        j = 0
        for t in range(n_steps + 1):
            while j < n_check and checkpoints[j] == t:
                out_x[c, j] = x
                out_w[c, j] = w
                j += 1
            if t == n_steps:
                break
            xi = _draw(states, c, law, alpha)
            x = x - a * horner(f, x) + b * horner(s, x) * xi
            w += xi
            if not abs(x) <= 1e12:
                status[c] = t + 1
                break


def _checkpoints(checkpoints, n_steps: int) -> np.ndarray:
    cp = np.ascontiguousarray(np.asarray(checkpoints, dtype=np.int64))
    if cp.ndim != 1 or cp.size == 0 or np.any(np.diff(cp) <= 0) or cp[0] < 0 or cp[-1] > n_steps:
        raise ValueError(f"checkpoints={checkpoints!r} must be strictly increasing step indices "
                         f"in [0, n_steps={n_steps}]")
    return cp


def _starts(x0) -> np.ndarray:
    x0 = np.ascontiguousarray(np.asarray(x0, dtype=np.float64))
    if x0.ndim != 1 or x0.size == 0 or not np.all(np.isfinite(x0)):
        raise ValueError("x0 must be a non-empty 1-D array of finite starting points")
    return x0


def _raise_if_diverged(status, what):
    bad = np.flatnonzero(status)
    if bad.size:
        c = int(bad[0])
        raise FloatingPointError(f"path {c} of {what} diverged at step {int(status[c])} "
                                 f"({bad.size} of {status.size} paths): reduce the step size")


def run_data_sgd(coef, etas, *, x0, checkpoints, seed: int) -> np.ndarray:
    """States ``(paths, checkpoints)`` of SGD on a finite training set.

    ``coef[i]`` are example ``i``'s gradient coefficients (lowest degree first), ``etas``
    the learning rate of each step; ``checkpoints`` are step indices (0 is the start).
    """
    coef = np.ascontiguousarray(np.asarray(coef, dtype=np.float64))
    if coef.ndim != 2 or coef.shape[0] < 1 or coef.shape[1] < 1 or not np.all(np.isfinite(coef)):
        raise ValueError(f"coef has shape {coef.shape}; need a finite (examples, degree+1) array")
    etas = np.ascontiguousarray(np.asarray(etas, dtype=np.float64))
    if etas.ndim != 1 or not np.all(np.isfinite(etas)) or np.any(etas <= 0):
        raise ValueError("etas must be a 1-D array of finite learning rates > 0")
    x0 = _starts(x0)
    cp = _checkpoints(checkpoints, etas.size)
    states = seed_states(seed, x0.size)
    out = np.zeros((x0.size, cp.size))
    status = np.zeros(x0.size, dtype=np.int64)
    run_chunked(_data_sgd, x0.size, coef, x0, etas, cp, states, out, status)
    _raise_if_diverged(status, "SGD")
    return out


def run_data_sgd_reference(coef, etas, *, x0, checkpoints, seed: int) -> np.ndarray:
    """Plain numpy version of :func:`run_data_sgd` (same streams, same order)."""
    coef = np.asarray(coef, dtype=float)
    etas = np.asarray(etas, dtype=float)
    x = np.array(x0, dtype=float)
    u = uniforms(seed, x.size, etas.size)
    cp = list(checkpoints)
    out = np.zeros((x.size, len(cp)))
    for t in range(etas.size + 1):
        if t in cp:
            out[:, cp.index(t)] = x
        if t == etas.size:
            break
        i = (u[:, t] * coef.shape[0]).astype(int)
        g = np.array([horner_numpy(coef[i[c]], np.array([x[c]]))[0] for c in range(x.size)])
        x = x - etas[t] * g
    return out


def run_noise_paths(f, s, *, a: float, b: float, x0, n_steps: int, checkpoints, seed: int,
                    law: StepLaw = StepLaw.NORMAL, alpha: float = 1.5) -> tuple[np.ndarray, np.ndarray]:
    """``(x, w)`` at the checkpoints for ``x' = x - a f(x) + b s(x) xi``, ``w`` = sum of ``xi``.

    ``f`` and ``s`` are coefficient arrays; ``alpha`` is the stable index (law STABLE).
    """
    f = as_coefficients(f, "f")
    s = as_coefficients(s, "s")
    if not (np.isfinite(a) and np.isfinite(b)):
        raise ValueError(f"a={a!r}, b={b!r} must be finite")
    if not (isinstance(n_steps, (int, np.integer)) and n_steps >= 1):
        raise ValueError(f"n_steps={n_steps!r} must be an integer >= 1")
    law = StepLaw(law)
    if law is StepLaw.STABLE and not (0 < alpha <= 2 and alpha != 1):
        raise ValueError(f"alpha={alpha!r} (stable index) must be in (0, 2], not 1")
    x0 = _starts(x0)
    cp = _checkpoints(checkpoints, int(n_steps))
    states = seed_states(seed, x0.size)
    out_x = np.zeros((x0.size, cp.size))
    out_w = np.zeros((x0.size, cp.size))
    status = np.zeros(x0.size, dtype=np.int64)
    run_chunked(_noise_paths, x0.size, f, s, float(a), float(b), x0, int(n_steps), cp, int(law),
                float(alpha), states, out_x, out_w, status)
    _raise_if_diverged(status, "the noisy recursion")
    return out_x, out_w


def _cms_numpy(u, v, alpha):
    angle = math.pi * (u - 0.5)
    w = -math.log1p(-v)
    if w <= 0.0:
        return 0.0
    return (math.sin(alpha * angle) / math.cos(angle) ** (1.0 / alpha)
            * (math.cos((1.0 - alpha) * angle) / w) ** ((1.0 - alpha) / alpha))


def run_noise_paths_reference(f, s, *, a, b, x0, n_steps, checkpoints, seed,
                              law=StepLaw.NORMAL, alpha=1.5):
    """Plain numpy version of :func:`run_noise_paths` (same streams, same order)."""
    f, s = np.asarray(f, dtype=float), np.asarray(s, dtype=float)
    x = np.array(x0, dtype=float)
    law = StepLaw(law)
    if law is StepLaw.NORMAL:
        xi = normals(seed, x.size, n_steps)
    elif law is StepLaw.STABLE:
        u = uniforms(seed, x.size, 2 * n_steps)
        xi = np.vectorize(_cms_numpy)(u[:, 0::2], u[:, 1::2], alpha)
    else:
        u = uniforms(seed, x.size, n_steps)
        xi = np.where(u < 0.5, 1.0, -1.0) if law is StepLaw.RADEMACHER else 3.0**0.5 * (2 * u - 1)
    cp = list(checkpoints)
    out_x, out_w = np.zeros((x.size, len(cp))), np.zeros((x.size, len(cp)))
    w = np.zeros_like(x)
    for t in range(n_steps + 1):
        if t in cp:
            out_x[:, cp.index(t)] = x
            out_w[:, cp.index(t)] = w
        if t == n_steps:
            break
        x = x - a * horner_numpy(f, x) + b * horner_numpy(s, x) * xi[:, t]
        w = w + xi[:, t]
    return out_x, out_w


# --- gradient flow itself: classical RK4 for dx/dt = -f(x), with Euler's error coefficient ---

@nb.njit(inline="always", cache=True)
def _flow_rhs(f, df, x, e):
    fx = horner(f, x)
    dfx = horner(df, x)
    return -fx, -dfx * e - 0.5 * dfx * fx


@nb.njit(nogil=True, cache=True)
def _flow_rk4(lo, hi, f, df, x0, t, steps, out_x, out_e):
    """Starts ``lo .. hi - 1`` (see :mod:`numerics.threads`)."""
    h = t / steps
    for c in range(lo, hi):
        x = x0[c]
        e = 0.0
        for _ in range(steps):
            k1x, k1e = _flow_rhs(f, df, x, e)
            k2x, k2e = _flow_rhs(f, df, x + 0.5 * h * k1x, e + 0.5 * h * k1e)
            k3x, k3e = _flow_rhs(f, df, x + 0.5 * h * k2x, e + 0.5 * h * k2e)
            k4x, k4e = _flow_rhs(f, df, x + h * k3x, e + h * k3e)
            x = x + (h / 6.0) * (k1x + 2.0 * k2x + 2.0 * k3x + k4x)
            e = e + (h / 6.0) * (k1e + 2.0 * k2e + 2.0 * k3e + k4e)
        out_x[c] = x
        out_e[c] = e


def gradient_flow(f, df, *, x0, t: float, steps: int = 4000) -> tuple[np.ndarray, np.ndarray]:
    """``(x(t), E(t))`` for ``x' = -f(x)`` from each start, by classical RK4.

    ``E`` is the coefficient of Euler's global error, ``x_N - x(t) = dt E(t) + O(dt^2)``:
    ``E' = -f'(x) E - f'(x) f(x) / 2``, ``E(0) = 0`` (``df`` holds ``f'``'s coefficients).
    RK4's error is O((t/steps)^4): ~1e-14 at the default for t ~ 1 and slopes ~ 1.
    """
    f = as_coefficients(f, "f")
    df = as_coefficients(df, "df")
    x0 = _starts(x0)
    if not (np.isfinite(t) and t >= 0):
        raise ValueError(f"t={t!r} must be finite and >= 0")
    if not (isinstance(steps, (int, np.integer)) and steps >= 1):
        raise ValueError(f"steps={steps!r} must be an integer >= 1")
    out_x, out_e = np.empty(x0.size), np.empty(x0.size)
    run_chunked(_flow_rk4, x0.size, f, df, x0, float(t), int(steps), out_x, out_e)
    return out_x, out_e


def gradient_flow_reference(f, df, *, x0, t, steps=4000):
    """Plain numpy version of :func:`gradient_flow` (same arithmetic, vectorised)."""
    f, df = np.asarray(f, dtype=float), np.asarray(df, dtype=float)
    x = np.array(x0, dtype=float)
    e = np.zeros_like(x)
    h = t / steps

    def rhs(x, e):
        fx, dfx = horner_numpy(f, x), horner_numpy(df, x)
        return -fx, -dfx * e - 0.5 * dfx * fx

    for _ in range(steps):
        k1x, k1e = rhs(x, e)
        k2x, k2e = rhs(x + 0.5 * h * k1x, e + 0.5 * h * k1e)
        k3x, k3e = rhs(x + 0.5 * h * k2x, e + 0.5 * h * k2e)
        k4x, k4e = rhs(x + h * k3x, e + h * k3e)
        x = x + (h / 6.0) * (k1x + 2.0 * k2x + 2.0 * k3x + k4x)
        e = e + (h / 6.0) * (k1e + 2.0 * k2e + 2.0 * k3e + k4e)
    return x, e
