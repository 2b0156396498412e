"""Heavy-ball chains on a one-dimensional quadratic loss with additive Gaussian gradient noise.

Each chain runs Polyak's heavy ball (Polyak 1964) on ``loss(x) = h x^2 / 2``:

    x_{t+1} = x_t - a (h x_t + sigma xi_t) + beta (x_t - x_{t-1}),   xi_t ~ N(0, 1) iid,

started at rest, ``x_0 = x_{-1} = x0`` (the counterpart of a zero velocity). Per chain it
returns ``x_T^2`` after ``T = n_steps`` updates and the time average of ``x_t^2`` over
``t = burn_in + 1 .. n_steps``. Chain ``c`` draws from its own stream (``numerics.rng``) and
writes only its own outputs, so results do not depend on the thread count.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from .rng import next_normal, seed_states
from .threads import run_chunked

__all__ = ["run_heavy_ball", "heavy_ball_reference"]


@nb.njit(nogil=True, cache=True)
def _kernel(lo, hi, states, a, beta, h, sigma, x0, n_steps, burn_in, last_sq, avg_sq):
    for c in range(lo, hi):
        x, prev, acc = x0, x0, 0.0
        for t in range(n_steps):
            nxt = x - a * (h * x + sigma * next_normal(states, c)) + beta * (x - prev)
            prev, x = x, nxt
            if t >= burn_in:
                acc += x * x
        last_sq[c] = x * x
        avg_sq[c] = acc / max(n_steps - burn_in, 1)


def _check(a, beta, h, sigma, n_chains, n_steps, burn_in):
    for name, v in (("a", a), ("h", h), ("sigma", sigma)):
        if not (np.isfinite(v) and v > 0):
            raise ValueError(f"{name}={v!r} must be finite and > 0")
    if not 0 <= beta < 1:
        raise ValueError(f"beta={beta!r} must be in [0, 1)")
    if not (n_chains >= 2 and n_steps >= 1 and 0 <= burn_in < n_steps):
        raise ValueError(f"n_chains={n_chains!r} must be >= 2, n_steps={n_steps!r} >= 1 and "
                         f"burn_in={burn_in!r} in [0, n_steps)")


def run_heavy_ball(a: float, beta: float, h: float, sigma: float, x0: float, n_chains: int,
                   n_steps: int, burn_in: int, seed: int, threads: int | None = None):
    """``(x_T^2, mean of x_t^2 over t > burn_in)`` per chain, two arrays of length ``n_chains``."""
    _check(a, beta, h, sigma, n_chains, n_steps, burn_in)
    states = seed_states(seed, n_chains)
    last_sq, avg_sq = np.empty(n_chains), np.empty(n_chains)
    run_chunked(_kernel, n_chains, states, float(a), float(beta), float(h), float(sigma), float(x0),
                int(n_steps), int(burn_in), last_sq, avg_sq, threads=threads)
    return last_sq, avg_sq


def heavy_ball_reference(a, beta, h, sigma, x0, noise: np.ndarray, burn_in: int):
    """Plain-numpy reference of :func:`run_heavy_ball` on given normals ``noise[c, t]``."""
    n_chains, n_steps = noise.shape
    x, prev = np.full(n_chains, float(x0)), np.full(n_chains, float(x0))
    acc = np.zeros(n_chains)
    for t in range(n_steps):
        x, prev = x - a * (h * x + sigma * noise[:, t]) + beta * (x - prev), x
        if t >= burn_in:
            acc += x * x
    return x * x, acc / max(n_steps - burn_in, 1)
