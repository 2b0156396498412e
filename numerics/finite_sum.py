"""SGD on a finite training set: ``Phi <- Phi - (eta_t / B) sum_b grad L_{i_b}(Phi)``.

The per-example noise of real SGD is not Gaussian: at each step the gradient is that of
one training example (or the mean over a minibatch of ``B``), drawn afresh. This kernel
runs exactly that chain in ``d`` dimensions, for many independent chains at once:

- the per-example gradients are polynomials in ``Phi`` given as data (a sparse monomial
  basis ``exps`` shared by all examples, and coefficients ``coefs[i, k, m]`` of component
  ``k`` of example ``i``), so one compiled kernel serves every loss;
- the indices are drawn with replacement (``sampling=0``: ``i`` uniform on ``0..n-1``,
  independent of the past; the Markov chain of the decks) or by random reshuffling
  (``sampling=1``: a fresh random permutation per epoch, taken in chunks of ``B``);
- the learning rate is an array ``eta[t]`` (constant, or a schedule ``eta_t``);
- after ``burn_in`` steps every ``every``-th state adds polynomial observables (sparse
  polynomials on a second basis) to per-chain time averages, and the observables are also
  recorded at given ``checkpoints`` (step counts).

Each chain ``c`` draws uniforms from its own stream ``(seed, c)`` (:mod:`numerics.rng`)
and writes only its own outputs, so results are bit-identical at any thread count.
``run_finite_sum_reference`` is the plain-numpy reference the tests hold the kernel to.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numba as nb
import numpy as np

from .rng import next_double, seed_states, uniforms
from .threads import run_chunked

__all__ = ["SparsePolynomials", "FiniteSumRun", "run_finite_sum", "run_finite_sum_reference",
           "SAMPLING", "UPDATES"]

#: Index sampling schemes, by name.
SAMPLING = {"with-replacement": 0, "reshuffle": 1}
#: Update rules, by name: SGD ``Phi <- Phi - eta ghat``, or the assignment ``Phi <- eta ghat``
#: (deck 003 writes the convergence theorem's update that way; it is simulated as written).
UPDATES = {"sgd": False, "assign": True}


@dataclass(frozen=True)
class SparsePolynomials:
    """Polynomials in ``d`` variables on a shared monomial basis.

    ``exps[m, j]`` is the power of variable ``j`` in monomial ``m``; ``coefs[..., m]`` the
    coefficient of monomial ``m`` (any leading shape). ``value(x)`` evaluates them all.
    """

    exps: np.ndarray
    coefs: np.ndarray

    def __post_init__(self):
        exps = np.ascontiguousarray(self.exps, dtype=np.int64)
        coefs = np.ascontiguousarray(self.coefs, dtype=np.float64)
        if exps.ndim != 2 or exps.shape[0] == 0 or np.any(exps < 0):
            raise ValueError(f"exps has shape {exps.shape}; need (monomials, variables) of powers >= 0")
        if coefs.shape[-1] != exps.shape[0]:
            raise ValueError(f"coefs has shape {coefs.shape}; its last axis must have "
                             f"{exps.shape[0]} entries (one per monomial)")
        if not np.all(np.isfinite(coefs)):
            raise ValueError("coefs must be finite")
        object.__setattr__(self, "exps", exps)
        object.__setattr__(self, "coefs", coefs)

    @property
    def dimension(self) -> int:
        return self.exps.shape[1]

    def monomials(self, x: np.ndarray) -> np.ndarray:
        """Monomial values at points ``x`` of shape ``(..., d)``: shape ``(..., M)``."""
        x = np.asarray(x, dtype=float)
        out = np.ones(x.shape[:-1] + (self.exps.shape[0],))
        for m in range(self.exps.shape[0]):
            for j in range(self.dimension):
                p = np.ones(x.shape[:-1])
                for _ in range(self.exps[m, j]):  # repeated products, as in the kernel
                    p = p * x[..., j]
                out[..., m] = out[..., m] * p
        return out


@dataclass(frozen=True)
class FiniteSumRun:
    """Per-chain outputs of :func:`run_finite_sum`.

    ``averages[c, j]``: chain ``c``'s time average of observable ``j`` over the kept states;
    ``maxima[c, j]``: its maximum over the kept states (``-inf`` when none are kept);
    ``snapshots[c, p, j]``: observable ``j`` after ``checkpoints[p]`` steps; ``final[c]``
    the last state.
    """

    averages: np.ndarray
    maxima: np.ndarray
    snapshots: np.ndarray
    final: np.ndarray
    kept: int
    seconds: float

    @property
    def chains(self) -> int:
        return self.final.shape[0]


@nb.njit(inline="always", cache=True)
def _fill_monomials(x, exps, pw, out):
    d = x.shape[0]
    for j in range(d):
        pw[j, 0] = 1.0
        for e in range(1, pw.shape[1]):
            pw[j, e] = pw[j, e - 1] * x[j]
    for m in range(exps.shape[0]):
        v = 1.0
        for j in range(d):
            v *= pw[j, exps[m, j]]
        out[m] = v


@nb.njit(nogil=True, cache=True)
def _run(lo, hi, x0, gexps, gcoefs, oexps, ocoefs, eta, batch, sampling, assign, burn_in, every,
         checkpoints, states, escape, averages, maxima, snapshots, final, status):
    """Chains ``lo .. hi - 1`` (see :mod:`numerics.threads`)."""
    d = x0.shape[1]
    n = gcoefs.shape[0]
    n_steps = eta.shape[0]
    n_obs = ocoefs.shape[0]
    deg_g = 0
    for m in range(gexps.shape[0]):
        for j in range(d):
            deg_g = max(deg_g, gexps[m, j])
    deg_o = 0
    for m in range(oexps.shape[0]):
        for j in range(d):
            deg_o = max(deg_o, oexps[m, j])
    for c in range(lo, hi):
        x = x0[c].copy()
        grad = np.zeros(d)
        pw_g = np.empty((d, deg_g + 1))
        pw_o = np.empty((d, deg_o + 1))
        mono_g = np.empty(gexps.shape[0])
        mono_o = np.empty(oexps.shape[0])
        perm = np.arange(n)
        pos = n  # forces a shuffle before the first draw (reshuffling)
        kept = 0
        p_next = 0
        for t in range(n_steps):
            _fill_monomials(x, gexps, pw_g, mono_g)
            for k in range(d):
                grad[k] = 0.0
            for b in range(batch):
                if sampling == 0:
                    i = int(next_double(states, c) * n)
                else:
                    if pos == n:
                        # Fisher-Yates, one uniform per position from the top down.
                        for k in range(n - 1, 0, -1):
                            j = int(next_double(states, c) * (k + 1))
                            tmp = perm[k]
                            perm[k] = perm[j]
                            perm[j] = tmp
                        pos = 0
                    i = perm[pos]
                    pos += 1
                for k in range(d):
                    acc = 0.0
                    for m in range(gexps.shape[0]):
                        acc += gcoefs[i, k, m] * mono_g[m]
                    grad[k] += acc
            step = eta[t] / batch
            bad = False
            for k in range(d):
                if assign:
                    x[k] = step * grad[k]
                else:
                    x[k] -= step * grad[k]
                if not abs(x[k]) <= escape:  # also catches NaN
                    bad = True
            if bad:
                status[c] = t + 1
                break
            record = t >= burn_in and (t - burn_in) % every == 0
            snap = p_next < checkpoints.shape[0] and checkpoints[p_next] == t + 1
            if record or snap:
                _fill_monomials(x, oexps, pw_o, mono_o)
                for jo in range(n_obs):
                    v = 0.0
                    for m in range(oexps.shape[0]):
                        v += ocoefs[jo, m] * mono_o[m]
                    if record:
                        averages[c, jo] += v
                        if v > maxima[c, jo]:
                            maxima[c, jo] = v
                    if snap:
                        snapshots[c, p_next, jo] = v
                if record:
                    kept += 1
                if snap:
                    p_next += 1
        for k in range(d):
            final[c, k] = x[k]
        if kept > 0:
            for jo in range(n_obs):
                averages[c, jo] /= kept


def _validate(x0, gradients, observables, eta, batch, sampling, burn_in, every, checkpoints,
              update="sgd"):
    if update not in UPDATES:
        raise ValueError(f"update={update!r} must be one of {sorted(UPDATES)}")
    x0 = np.ascontiguousarray(np.atleast_2d(np.asarray(x0, dtype=np.float64)))
    if x0.ndim != 2 or x0.shape[0] == 0 or not np.all(np.isfinite(x0)):
        raise ValueError("x0 must be a (chains, d) array of finite starting points")
    d = x0.shape[1]
    if gradients.coefs.ndim != 3 or gradients.coefs.shape[1] != d or gradients.dimension != d:
        raise ValueError(f"gradients.coefs has shape {gradients.coefs.shape}; need "
                         f"(examples, {d}, monomials) on a {d}-variable basis")
    if observables.coefs.ndim != 2 or observables.dimension != d:
        raise ValueError(f"observables.coefs has shape {observables.coefs.shape}; need "
                         f"(observables, monomials) on a {d}-variable basis")
    eta = np.ascontiguousarray(np.asarray(eta, dtype=np.float64))
    if eta.ndim != 1 or eta.size == 0 or not np.all(np.isfinite(eta)) or np.any(eta < 0):
        raise ValueError("eta must be a non-empty 1-D array of finite learning rates >= 0 "
                         "(one per step)")
    n = gradients.coefs.shape[0]
    if not (isinstance(batch, (int, np.integer)) and batch >= 1):
        raise ValueError(f"batch={batch!r} must be an integer >= 1")
    if sampling not in SAMPLING:
        raise ValueError(f"sampling={sampling!r} must be one of {sorted(SAMPLING)}")
    if sampling == "reshuffle" and n % batch:
        raise ValueError(f"batch={batch} must divide the {n} examples when reshuffling")
    if not (isinstance(burn_in, (int, np.integer)) and 0 <= burn_in <= eta.size):
        raise ValueError(f"burn_in={burn_in!r} must be an integer in [0, {eta.size}]")
    if not (isinstance(every, (int, np.integer)) and every >= 1):
        raise ValueError(f"every={every!r} must be an integer >= 1")
    checkpoints = np.ascontiguousarray(np.asarray(checkpoints, dtype=np.int64).reshape(-1))
    if checkpoints.size and (np.any(np.diff(checkpoints) <= 0) or checkpoints[0] < 1
                             or checkpoints[-1] > eta.size):
        raise ValueError(f"checkpoints={checkpoints.tolist()} must increase strictly within "
                         f"[1, {eta.size}]")
    return x0, eta, checkpoints


def run_finite_sum(gradients: SparsePolynomials, observables: SparsePolynomials, *, x0, eta,
                   seed: int, batch: int = 1, sampling: str = "with-replacement",
                   burn_in: int = 0, every: int = 1, checkpoints=(), update: str = "sgd",
                   escape: float = 1e6, threads: int | None = None) -> FiniteSumRun:
    """Run ``len(x0)`` independent finite-sum SGD chains for ``len(eta)`` steps.

    ``gradients.coefs[i, k, m]``: component ``k`` of example ``i``'s gradient on monomial
    ``m``. Raises ``FloatingPointError`` naming the step and chain if a chain leaves
    ``|Phi_k| <= escape`` (an unstable learning rate). ``threads`` is the number of
    threads (default: numba's thread count); the results do not depend on it.
    """
    x0, eta, checkpoints = _validate(x0, gradients, observables, eta, batch, sampling, burn_in,
                                     every, checkpoints, update)
    n_chains, d = x0.shape
    n_obs = observables.coefs.shape[0]
    maxima = np.full((n_chains, n_obs), -np.inf)
    states = seed_states(seed, n_chains)
    averages = np.zeros((n_chains, n_obs))
    snapshots = np.full((n_chains, checkpoints.size, n_obs), np.nan)
    final = np.empty((n_chains, d))
    status = np.zeros(n_chains, dtype=np.int64)
    start = time.perf_counter()
    run_chunked(_run, n_chains, x0, gradients.exps, gradients.coefs, observables.exps,
                observables.coefs, eta, int(batch), SAMPLING[sampling], UPDATES[update],
                int(burn_in), int(every), checkpoints, states, float(escape), averages, maxima,
                snapshots, final, status, threads=threads)
    bad = np.flatnonzero(status)
    if bad.size:
        c = int(bad[0])
        raise FloatingPointError(
            f"chain {c} left |Phi| <= {escape:g} at step {int(status[c])} ({bad.size} of "
            f"{n_chains} chains diverged): the learning rate is unstable for this loss; reduce it")
    kept = len(range(burn_in, eta.size, every))
    return FiniteSumRun(averages, maxima, snapshots, final, kept, time.perf_counter() - start)


def _sequential_dot(a, b) -> float:
    """``sum_m a[m] b[m]`` left to right, the kernel's order (numpy's dot may reorder)."""
    acc = 0.0
    for u, v in zip(a, b):
        acc += u * v
    return acc


def run_finite_sum_reference(gradients: SparsePolynomials, observables: SparsePolynomials, *,
                             x0, eta, seed: int, batch: int = 1,
                             sampling: str = "with-replacement", burn_in: int = 0,
                             every: int = 1, checkpoints=(), update: str = "sgd"):
    """Plain numpy version of :func:`run_finite_sum`: ``(averages, maxima, snapshots, final)``.

    It consumes each chain's uniforms in the kernel's order (``batch`` per step with
    replacement; ``n - 1`` per epoch, Fisher-Yates from the top, when reshuffling), so on
    small inputs it agrees with the kernel bit for bit (sums are taken in the same order).
    """
    x0, eta, checkpoints = _validate(x0, gradients, observables, eta, batch, sampling, burn_in,
                                     every, checkpoints, update)
    n_chains, d = x0.shape
    n = gradients.coefs.shape[0]
    T = eta.size
    draws = T * batch if sampling == "with-replacement" else -(-T * batch // n) * (n - 1)
    u = uniforms(seed, n_chains, max(draws, 1))
    averages = np.zeros((n_chains, observables.coefs.shape[0]))
    maxima = np.full((n_chains, observables.coefs.shape[0]), -np.inf)
    snapshots = np.full((n_chains, checkpoints.size, observables.coefs.shape[0]), np.nan)
    final = np.empty((n_chains, d))
    for c in range(n_chains):
        x = x0[c].copy()
        used, perm, pos, kept = 0, np.arange(n), n, 0
        for t in range(T):
            mono = gradients.monomials(x)
            grad = np.zeros(d)
            for _ in range(batch):
                if sampling == "with-replacement":
                    i = int(u[c, used] * n)
                    used += 1
                else:
                    if pos == n:
                        for k in range(n - 1, 0, -1):
                            j = int(u[c, used] * (k + 1))
                            used += 1
                            perm[k], perm[j] = perm[j], perm[k]
                        pos = 0
                    i = perm[pos]
                    pos += 1
                for k in range(d):
                    grad[k] += _sequential_dot(gradients.coefs[i, k], mono)
            x = (eta[t] / batch) * grad if update == "assign" else x - (eta[t] / batch) * grad
            omono = observables.monomials(x)
            values = np.array([_sequential_dot(row, omono) for row in observables.coefs])
            if t >= burn_in and (t - burn_in) % every == 0:
                averages[c] += values
                maxima[c] = np.maximum(maxima[c], values)
                kept += 1
            hit = np.flatnonzero(checkpoints == t + 1)
            if hit.size:
                snapshots[c, hit[0]] = values
        final[c] = x
        if kept:
            averages[c] /= kept
    return averages, maxima, snapshots, final
