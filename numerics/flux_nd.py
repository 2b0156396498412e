"""The probability current of one step of an n-D chain, by Monte Carlo and by quadrature.

Particles start from ``X ~ N(mean, cov)`` and make one step ``X' = X - F(X) + S(X) xi``
(``F``, ``S`` polynomial systems, :mod:`numerics.polynd`). For a polynomial vector field
``G`` the *current functional* of the step is

    E[(X' - X) . G((X + X') / 2)] - E[(S(X) xi) . G(X)],

(the midpoint, Stratonovich rule; the second term is exactly 0 and serves as a control
variate that removes the O(sqrt(step)) noise of the first). Divided by the step's time it
tends to ``int J . G dx`` with ``J`` the probability current of the density ``N(mean,
cov)`` under the process: the "gradient flow" plus the "diffusion flow" of the slides,
tested against ``G``. :func:`step_currents` measures it chain by chain (each chain a block
of particles with its own stream); :func:`exact_step_currents` computes it exactly by a
tensor Gauss-Hermite rule over ``(X, xi)`` (the integrand is a polynomial).
"""

from __future__ import annotations

import numba as nb
import numpy as np

from .linear_gaussian import sqrt_psd, tensor_rule
from .polynd import PolySystem, eval_system, eval_system_numpy, fill_powers
from .rng import next_normal, seed_states
from .threads import run_chunked

__all__ = ["step_currents", "exact_step_currents", "integral_2d"]


@nb.njit(nogil=True, cache=True)
def _currents(lo, hi, mean, root, de, dc, do, se, sc, so, ge, gc, go, n_noise, degree, per_chain,
              states, out):
    """Chains ``lo .. hi - 1`` (see :mod:`numerics.threads`)."""
    P = out.shape[1]
    n = mean.shape[0]
    for ch in range(lo, hi):
        powers = np.empty((n, degree + 1))
        z = np.empty(n)
        x = np.empty(n)
        xn = np.empty(n)
        mid = np.empty(n)
        f = np.empty(n)
        s = np.empty(n * n_noise)
        g0 = np.empty(P * n)
        g1 = np.empty(P * n)
        noise = np.empty(n)
        xi = np.empty(n_noise)
        for _ in range(per_chain):
            for i in range(n):
                z[i] = next_normal(states, ch)
            for i in range(n):
                acc = mean[i]
                for j in range(n):
                    acc += root[i, j] * z[j]
                x[i] = acc
            fill_powers(x, powers)
            eval_system(de, dc, do, powers, f)
            eval_system(se, sc, so, powers, s)
            eval_system(ge, gc, go, powers, g0)
            for l in range(n_noise):
                xi[l] = next_normal(states, ch)
            for i in range(n):
                acc = 0.0
                for l in range(n_noise):
                    acc += s[i * n_noise + l] * xi[l]
                noise[i] = acc
                xn[i] = x[i] - f[i] + acc
                mid[i] = 0.5 * (x[i] + xn[i])
            fill_powers(mid, powers)
            eval_system(ge, gc, go, powers, g1)
            for p in range(P):
                acc = 0.0
                for i in range(n):
                    acc += (xn[i] - x[i]) * g1[p * n + i] - noise[i] * g0[p * n + i]
                out[ch, p] += acc
        for p in range(P):
            out[ch, p] /= per_chain


def _check(F: PolySystem, S: PolySystem, G: PolySystem, mean, cov):
    n = F.n_vars
    if F.n_outputs != n or S.n_vars != n or S.n_outputs % n or G.n_vars != n or G.n_outputs % n:
        raise ValueError(f"F must be {n} polynomials, S an {n} x m matrix and G P vector fields, "
                         f"all in {n} variables")
    mean = np.ascontiguousarray(np.asarray(mean, dtype=float))
    cov = np.asarray(cov, dtype=float)
    if mean.shape != (n,) or cov.shape != (n, n) or not np.allclose(cov, cov.T):
        raise ValueError(f"mean={mean!r} must have shape ({n},) and cov be symmetric {n} x {n}")
    return mean, cov


def step_currents(F: PolySystem, S: PolySystem, G: PolySystem, *, mean, cov, chains: int,
                  per_chain: int, seed: int) -> np.ndarray:
    """Per-chain averages of the current functional per step, ``(chains, P)``; chains independent."""
    mean, cov = _check(F, S, G, mean, cov)
    if chains < 2 or per_chain < 1:
        raise ValueError(f"chains={chains} must be >= 2 and per_chain={per_chain} >= 1")
    n = mean.size
    out = np.zeros((chains, G.n_outputs // n))
    root = np.ascontiguousarray(np.linalg.cholesky(cov))
    degree = max(1, F.max_degree, S.max_degree, G.max_degree)
    run_chunked(_currents, chains, mean, root, F.exponents, F.coefficients, F.offsets,
                S.exponents, S.coefficients, S.offsets, G.exponents, G.coefficients, G.offsets,
                S.n_outputs // n, degree, int(per_chain), seed_states(seed, chains), out)
    return out


def exact_step_currents(F: PolySystem, S: PolySystem, G: PolySystem, *, mean, cov, q: int = 8) -> np.ndarray:
    """The current functional per step, exactly (Gauss-Hermite over ``(X, xi)``, degree <= 2q-1)."""
    mean, cov = _check(F, S, G, mean, cov)
    n = mean.size
    m = S.n_outputs // n
    P = G.n_outputs // n
    pts, wts = tensor_rule(n + m, q)
    x = mean + pts[:, :n] @ sqrt_psd(cov).T
    s = eval_system_numpy(S, x).reshape(-1, n, m)
    noise = np.einsum("til,tl->ti", s, pts[:, n:])
    xn = x - eval_system_numpy(F, x) + noise
    g1 = eval_system_numpy(G, 0.5 * (x + xn)).reshape(-1, P, n)
    g0 = eval_system_numpy(G, x).reshape(-1, P, n)
    vals = np.einsum("ti,tpi->tp", xn - x, g1) - np.einsum("ti,tpi->tp", noise, g0)
    return wts @ vals


def integral_2d(f, box, n: int = 401) -> float:
    """``int f(x, y) dx dy`` over a box by the tensor trapezoidal rule (``f`` vectorised, decaying).

    For a smooth integrand that has decayed to rounding at the box's edges the rule converges
    geometrically; a Gaussian over +-12 sd on 401 points is exact to ~1e-15.
    """
    (x0, x1), (y0, y1) = box
    x, y = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    X, Y = np.meshgrid(x, y, indexing="ij")
    vals = np.broadcast_to(np.asarray(f(X, Y), dtype=float), X.shape)
    trap = np.trapezoid if hasattr(np, "trapezoid") else np.trapz
    return float(trap(trap(vals, y, axis=1), x))
