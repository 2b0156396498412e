"""Several small-batch SGD steps against one large-batch step on the same examples.

Deck 003 ("Scaling eta") compares ``n`` consecutive updates with batch ``b`` and learning
rate ``eta_small``, each on fresh examples,

    Phi <- Phi - eta_small * mean_{k in batch j} (f(Phi) + sigma xi_k),   j = 1..n,

with one update on the union of those ``n b`` examples at learning rate ``eta_big``,

    Phi' = Phi_0 - eta_big * mean_{all n b examples} (f(Phi_0) + sigma xi_k).

Both paths use the *same* draws (common random numbers), so their difference isolates the
"gradient drift" the slide neglects. ``f`` (the mean gradient, a polynomial given by its
coefficients) is the loss's derivative; per-example noise is ``sigma xi`` with ``xi`` from
:mod:`numerics.batch_noise`.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from .batch_noise import check_kind, next_noise, noise_reference
from .poly import as_coefficients, horner, horner_numpy
from .rng import seed_states
from .threads import run_chunked

__all__ = ["small_vs_big_steps", "small_vs_big_steps_reference"]


@nb.njit(nogil=True, cache=True)
def _run(lo, hi, f, x0, sigma, kind, b, n, eta_small, eta_big, states, small, big):
    """Chains ``lo .. hi - 1`` (see :mod:`numerics.threads`)."""
    per = small.shape[1]
    for c in range(lo, hi):
        for k in range(per):
            x = x0
            total = 0.0
            for j in range(n):
                acc = 0.0
                for _ in range(b):
                    xi = next_noise(states, c, kind)
                    acc += xi
                    total += xi
                x = x - eta_small * (horner(f, x) + sigma * (acc / b))
            small[c, k] = x
            big[c, k] = x0 - eta_big * (horner(f, x0) + sigma * (total / (n * b)))


def _validate(x0, sigma, kind, b, n, eta_small, eta_big, n_chains, n_per_chain):
    kind = check_kind(kind)
    if not np.isfinite(x0):
        raise ValueError(f"x0={x0!r} must be finite")
    if not (np.isfinite(sigma) and sigma >= 0):
        raise ValueError(f"sigma={sigma!r} must be finite and >= 0")
    for name, v in (("b", b), ("n", n), ("n_chains", n_chains), ("n_per_chain", n_per_chain)):
        if not (isinstance(v, (int, np.integer)) and v >= 1):
            raise ValueError(f"{name}={v!r} must be an integer >= 1")
    for name, v in (("eta_small", eta_small), ("eta_big", eta_big)):
        if not (np.isfinite(v) and v >= 0):
            raise ValueError(f"{name}={v!r} must be finite and >= 0")
    return kind


def small_vs_big_steps(f, *, x0: float, sigma: float, kind: int, b: int, n: int,
                       eta_small: float, eta_big: float, n_chains: int, n_per_chain: int,
                       seed: int):
    """End points ``(small, big)`` of both paths, each ``(n_chains, n_per_chain)``.

    Chain ``c`` draws from stream ``(seed, c)``; results do not depend on the thread count.
    """
    f = as_coefficients(f, "f")
    kind = _validate(x0, sigma, kind, b, n, eta_small, eta_big, n_chains, n_per_chain)
    small = np.empty((n_chains, n_per_chain))
    big = np.empty((n_chains, n_per_chain))
    run_chunked(_run, n_chains, f, float(x0), float(sigma), kind, int(b), int(n),
                float(eta_small), float(eta_big), seed_states(seed, n_chains), small, big)
    return small, big


def small_vs_big_steps_reference(f, *, x0, sigma, kind, b, n, eta_small, eta_big, n_chains,
                                 n_per_chain, seed):
    """Plain numpy version: the same draws, summed in the same order."""
    f = as_coefficients(f, "f")
    kind = _validate(x0, sigma, kind, b, n, eta_small, eta_big, n_chains, n_per_chain)
    xi = noise_reference(kind, seed, n_chains, n_per_chain * n * b).reshape(n_chains, n_per_chain, n, b)
    x = np.full((n_chains, n_per_chain), float(x0))
    total = np.zeros_like(x)
    for j in range(n):
        acc = np.zeros_like(x)
        for k in range(b):
            acc = acc + xi[:, :, j, k]
            total = total + xi[:, :, j, k]
        x = x - eta_small * (horner_numpy(f, x) + sigma * (acc / b))
    big = x0 - eta_big * (horner_numpy(f, np.full_like(x, float(x0))) + sigma * (total / (n * b)))
    return x, big
