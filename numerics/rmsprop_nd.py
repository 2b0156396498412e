"""RMSProp chains in n dimensions with Gaussian gradient noise, many independent ones at once.

The update of deck 003 ("RMSProp"), per coordinate ``i``:

    g_hat = G(x) + C xi,                       xi ~ N(0, I_m)
    s[i]  <- (1 - 1/N_s) s[i] + (1/N_s) g_hat[i]^2
    x[i]  <- x[i] - eta g_hat[i] / sqrt(s[i] + eps)

with ``G`` the loss gradient (a :class:`numerics.polynd.PolySystem`) and ``C`` a constant noise
matrix. After burn-in each chain accumulates time averages of polynomial observables of ``x``
and of ``s`` itself. Chain ``c`` draws from its own stream ``(seed, c)``: results do not depend
on the thread count.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numba as nb
import numpy as np

from .polynd import PolySystem, eval_system, eval_system_numpy, fill_powers
from .rng import next_normal, normals, seed_states
from .threads import run_chunked

__all__ = ["RMSPropRun", "run_rmsprop", "run_rmsprop_reference"]


@dataclass(frozen=True)
class RMSPropRun:
    """``observables[c, k]`` and ``s_mean[c, i]``: chain ``c``'s time averages after burn-in."""

    observables: np.ndarray
    s_mean: np.ndarray
    final: np.ndarray
    n_steps: int
    burn_in: int
    seed: int
    seconds: float

    @property
    def chain_steps(self) -> int:
        return self.final.shape[0] * self.n_steps


@nb.njit(nogil=True, cache=True)
def _run(lo, hi, x0, s0, ge, gc, go, C, oe, oc, oo, degree, eta, inv_ns, eps, n_steps, burn_in,
         states, obs, smean, final, status):
    """Chains ``lo .. hi - 1`` (see :mod:`numerics.threads`)."""
    n = x0.shape[1]
    m = C.shape[1]
    n_obs = obs.shape[1]
    kept = n_steps - burn_in
    for c in range(lo, hi):
        powers = np.empty((n, degree + 1))
        x = np.empty(n)
        s = np.empty(n)
        g = np.empty(n)
        xi = np.empty(m)
        ov = np.empty(max(n_obs, 1))
        for i in range(n):
            x[i] = x0[c, i]
            s[i] = s0[i]
        for t in range(n_steps):
            fill_powers(x, powers)
            eval_system(ge, gc, go, powers, g)
            for l in range(m):
                xi[l] = next_normal(states, c)
            bad = False
            for i in range(n):
                gh = g[i]
                for l in range(m):
                    gh += C[i, l] * xi[l]
                s[i] = (1.0 - inv_ns) * s[i] + inv_ns * gh * gh
                x[i] = x[i] - eta * gh / np.sqrt(s[i] + eps)
                if not abs(x[i]) <= 1e6:
                    bad = True
            if bad:
                status[c] = t + 1
                break
            if t >= burn_in:
                if n_obs > 0:
                    fill_powers(x, powers)
                    eval_system(oe, oc, oo, powers, ov)
                    for k in range(n_obs):
                        obs[c, k] += ov[k]
                for i in range(n):
                    smean[c, i] += s[i]
        for i in range(n):
            final[c, i] = x[i]
            smean[c, i] /= kept
        for k in range(n_obs):
            obs[c, k] /= kept


def _prepare(gradient: PolySystem, C, x0, n_steps, burn_in, eta, n_s):
    n = gradient.n_vars
    if gradient.n_outputs != n:
        raise ValueError(f"gradient has {gradient.n_outputs} components; it must have {n}")
    C = np.ascontiguousarray(np.asarray(C, dtype=float))
    if C.ndim != 2 or C.shape[0] != n:
        raise ValueError(f"C must be an {n} x m noise matrix; got shape {C.shape}")
    x0 = np.ascontiguousarray(np.asarray(x0, dtype=float))
    if x0.ndim != 2 or x0.shape[1] != n or not np.all(np.isfinite(x0)):
        raise ValueError(f"x0 must be a finite (chains, {n}) array")
    if not (isinstance(n_steps, (int, np.integer)) and 0 <= burn_in < n_steps):
        raise ValueError(f"burn_in={burn_in!r} must be an integer in [0, n_steps={n_steps!r})")
    if not (eta > 0 and n_s >= 1):
        raise ValueError(f"eta={eta!r} must be > 0 and n_s={n_s!r} >= 1")
    return n, C, x0


def run_rmsprop(gradient: PolySystem, C, *, eta: float, n_s: float, x0, n_steps: int, burn_in: int,
                seed: int, s0=None, eps: float = 1e-8, observables: PolySystem | None = None) -> RMSPropRun:
    """Run ``len(x0)`` independent RMSProp chains (see the module docstring).

    ``s0`` (default 1 in every coordinate) starts the running averages; raises
    ``FloatingPointError`` if a chain leaves ``|x_i| <= 1e6``.
    """
    n, C, x0 = _prepare(gradient, C, x0, n_steps, burn_in, eta, n_s)
    s0 = np.ones(n) if s0 is None else np.asarray(s0, dtype=float)
    obs_sys = observables if observables is not None else PolySystem.from_components([], n)
    chains = x0.shape[0]
    obs = np.zeros((chains, obs_sys.n_outputs))
    smean = np.zeros((chains, n))
    final = np.empty((chains, n))
    status = np.zeros(chains, dtype=np.int64)
    degree = max(1, gradient.max_degree, obs_sys.max_degree)
    start = time.perf_counter()
    run_chunked(_run, chains, x0, s0, gradient.exponents, gradient.coefficients, gradient.offsets,
                C, obs_sys.exponents, obs_sys.coefficients, obs_sys.offsets, degree, float(eta),
                1.0 / n_s, float(eps), int(n_steps), int(burn_in), seed_states(seed, chains), obs,
                smean, final, status)
    seconds = time.perf_counter() - start
    if status.any():
        c = int(np.flatnonzero(status)[0])
        raise FloatingPointError(f"RMSProp chain {c} diverged at step {int(status[c])}: reduce eta={eta}")
    return RMSPropRun(obs, smean, final, int(n_steps), int(burn_in), int(seed), seconds)


def run_rmsprop_reference(gradient: PolySystem, C, *, eta, n_s, x0, n_steps, burn_in, seed, s0=None,
                          eps=1e-8, observables: PolySystem | None = None):
    """Plain numpy version: ``(observables, s_mean, final)``, the same streams in the same order."""
    n, C, x = _prepare(gradient, C, x0, n_steps, burn_in, eta, n_s)
    x = x.copy()
    m = C.shape[1]
    chains = x.shape[0]
    s = np.tile(np.ones(n) if s0 is None else np.asarray(s0, dtype=float), (chains, 1))
    xi = normals(seed, chains, n_steps * m).reshape(chains, n_steps, m)
    obs_sys = observables if observables is not None else PolySystem.from_components([], n)
    obs = np.zeros((chains, obs_sys.n_outputs))
    smean = np.zeros((chains, n))
    inv_ns = 1.0 / n_s
    for t in range(n_steps):
        g = eval_system_numpy(gradient, x)
        for i in range(n):
            gh = g[:, i]
            for l in range(m):
                gh = gh + C[i, l] * xi[:, t, l]
            s[:, i] = (1.0 - inv_ns) * s[:, i] + inv_ns * gh * gh
            x[:, i] = x[:, i] - eta * gh / np.sqrt(s[:, i] + eps)
        if t >= burn_in:
            if obs_sys.n_outputs:
                obs += eval_system_numpy(obs_sys, x)
            smean += s
    kept = n_steps - burn_in
    return obs / kept, smean / kept, x
