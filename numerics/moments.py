"""Exact first and second moments of SGD on a finite set of quadratic losses.

Each example's loss is ``L_i(Phi) = c_i + g_i^T Phi + (1/2) Phi^T H_i Phi`` (so its
gradient is ``g_i + H_i Phi``). With ``B`` indices drawn with replacement, the minibatch
gradient is ``g_b + H_b Phi`` with ``g_b, H_b`` the means over the batch, and

    Phi' = (I - eta H_b) Phi - eta g_b,

with ``(g_b, H_b)`` independent of ``Phi``. Its mean ``m`` and second moment
``S = E[Phi Phi^T]`` obey, exactly and whatever the (non-Gaussian) law of the examples,

    m' = (I - eta Hbar) m - eta gbar,
    S' = E[(I - eta H_b) S (I - eta H_b)^T] - eta E[(I - eta H_b) m g_b^T]
         - eta E[g_b m^T (I - eta H_b)^T] + eta^2 E[g_b g_b^T],

where for ``B`` draws with replacement ``E[X_b Y X_b^T] = Xbar Y Xbar^T + (E[X_i Y X_i^T] -
Xbar Y Xbar^T) / B`` (and likewise for the mixed terms): the across-draw terms factorise.
The stationary ``S`` solves a generalised (discrete) Lyapunov equation, linear in ``S``;
here it is solved exactly as a ``d^2 x d^2`` linear system. ``moment_trajectory`` runs the
recursion under a schedule ``eta_t`` (numba), ``moment_trajectory_reference`` in numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba as nb
import numpy as np

__all__ = ["QuadraticExamples", "stationary_moments", "second_moment_operator",
           "moment_trajectory", "moment_trajectory_reference"]


@dataclass(frozen=True)
class QuadraticExamples:
    """``n`` quadratic examples in ``d`` dimensions: Hessians ``H (n, d, d)``, gradients at 0 ``g (n, d)``."""

    H: np.ndarray
    g: np.ndarray

    def __post_init__(self):
        H = np.ascontiguousarray(self.H, dtype=np.float64)
        g = np.ascontiguousarray(self.g, dtype=np.float64)
        if H.ndim != 3 or H.shape[1] != H.shape[2] or g.shape != H.shape[:2]:
            raise ValueError(f"H has shape {H.shape} and g {g.shape}; need (n, d, d) and (n, d)")
        if not (np.all(np.isfinite(H)) and np.all(np.isfinite(g))):
            raise ValueError("H and g must be finite")
        if not np.allclose(H, np.swapaxes(H, 1, 2), rtol=0, atol=1e-14 * (1 + np.abs(H).max())):
            raise ValueError("every H_i must be symmetric (a Hessian)")
        object.__setattr__(self, "H", H)
        object.__setattr__(self, "g", g)

    @property
    def d(self) -> int:
        return self.H.shape[1]

    @property
    def Hbar(self) -> np.ndarray:
        return self.H.mean(axis=0)

    @property
    def gbar(self) -> np.ndarray:
        return self.g.mean(axis=0)


def _batch_terms(ex: QuadraticExamples, S: np.ndarray, m: np.ndarray, batch: int):
    """``E[H_b S H_b]``, ``E[H_b m g_b^T]``, ``E[g_b g_b^T]`` for ``batch`` draws with replacement."""
    Hb, gb = ex.Hbar, ex.gbar
    HSH = np.einsum("iab,bc,idc->ad", ex.H, S, ex.H) / ex.H.shape[0]
    Hmg = np.einsum("iab,b,ic->ac", ex.H, m, ex.g) / ex.H.shape[0]
    gg = np.einsum("ia,ib->ab", ex.g, ex.g) / ex.g.shape[0]
    return (Hb @ S @ Hb + (HSH - Hb @ S @ Hb) / batch,
            np.outer(Hb @ m, gb) + (Hmg - np.outer(Hb @ m, gb)) / batch,
            np.outer(gb, gb) + (gg - np.outer(gb, gb)) / batch)


def _step_second(ex, S, m, eta, batch):
    I = np.eye(ex.d)
    Hb = ex.Hbar
    HSH, Hmg, gg = _batch_terms(ex, S, m, batch)
    cross = np.outer(m, ex.gbar) - eta * Hmg  # E[(I - eta H_b) m g_b^T]
    return (S - eta * (Hb @ S + S @ Hb) + eta**2 * HSH) - eta * (cross + cross.T) + eta**2 * gg, \
        (I - eta * Hb) @ m - eta * ex.gbar


def second_moment_operator(ex: QuadraticExamples, eta: float, batch: int = 1) -> np.ndarray:
    """The linear map ``S -> E[(I - eta H_b) S (I - eta H_b)^T]`` as a ``d^2 x d^2`` matrix (C order)."""
    d = ex.d
    A = np.empty((d * d, d * d))
    zero = np.zeros(d)
    for k in range(d * d):
        E = np.zeros(d * d)
        E[k] = 1.0
        S = E.reshape(d, d)
        HSH, _, _ = _batch_terms(ex, S, zero, batch)
        A[:, k] = (S - eta * (ex.Hbar @ S + S @ ex.Hbar) + eta**2 * HSH).reshape(-1)
    return A


def stationary_moments(ex: QuadraticExamples, eta: float, batch: int = 1):
    """Exact stationary ``(m, S, rho)``: mean, second moment, and the spectral radius of the
    second-moment map (the chain is mean-square stable iff ``rho < 1``; ``-log rho`` is the
    per-step relaxation rate of the second moments).

    Raises ``ValueError`` when ``eta`` is not mean-square stable (``rho >= 1``).
    """
    if not (np.isfinite(eta) and eta > 0):
        raise ValueError(f"eta={eta!r} must be finite and > 0")
    if not (isinstance(batch, (int, np.integer)) and batch >= 1):
        raise ValueError(f"batch={batch!r} must be an integer >= 1")
    d = ex.d
    A = second_moment_operator(ex, eta, batch)
    rho = float(np.max(np.abs(np.linalg.eigvals(A))))
    if rho >= 1:
        raise ValueError(f"eta={eta!r} with batch={batch} is not mean-square stable "
                         f"(spectral radius {rho:.4f} >= 1): reduce eta")
    m = np.linalg.solve(ex.Hbar, -ex.gbar) if np.any(ex.gbar) else np.zeros(d)
    # Constant part of the second-moment map at this mean: S' = A S + b.
    zero_S = np.zeros((d, d))
    b = _step_second(ex, zero_S, m, eta, batch)[0].reshape(-1)
    S = np.linalg.solve(np.eye(d * d) - A, b).reshape(d, d)
    return m, 0.5 * (S + S.T), rho


@nb.njit(cache=True)
def _trajectory(H, g, eta, batch, m0, S0, checkpoints, out_m, out_S):
    n, d, _ = H.shape
    Hb = np.zeros((d, d))
    gb = np.zeros(d)
    for i in range(n):
        for a in range(d):
            gb[a] += g[i, a] / n
            for b in range(d):
                Hb[a, b] += H[i, a, b] / n
    m = m0.copy()
    S = S0.copy()
    HSH = np.empty((d, d))
    Hmg = np.empty((d, d))
    gg = np.zeros((d, d))
    for i in range(n):
        for a in range(d):
            for b in range(d):
                gg[a, b] += g[i, a] * g[i, b] / n
    p = 0
    for t in range(eta.shape[0]):
        e = eta[t]
        # E[H_i S H_i], E[H_i m g_i^T] over examples
        for a in range(d):
            for b in range(d):
                HSH[a, b] = 0.0
                Hmg[a, b] = 0.0
        for i in range(n):
            for a in range(d):
                Hm = 0.0
                for c in range(d):
                    Hm += H[i, a, c] * m[c]
                for b in range(d):
                    Hmg[a, b] += Hm * g[i, b] / n
                    acc = 0.0
                    for c in range(d):
                        for f in range(d):
                            acc += H[i, a, c] * S[c, f] * H[i, b, f]
                    HSH[a, b] += acc / n
        newS = np.empty((d, d))
        newm = np.empty(d)
        for a in range(d):
            acc = m[a]
            for c in range(d):
                acc -= e * Hb[a, c] * m[c]
            newm[a] = acc - e * gb[a]
        for a in range(d):
            for b in range(d):
                HbSHb = 0.0
                HbS = 0.0
                SHb = 0.0
                for c in range(d):
                    HbS += Hb[a, c] * S[c, b]
                    SHb += S[a, c] * Hb[c, b]
                    for f in range(d):
                        HbSHb += Hb[a, c] * S[c, f] * Hb[b, f]
                Hbm_a = 0.0
                Hbm_b = 0.0
                for c in range(d):
                    Hbm_a += Hb[a, c] * m[c]
                    Hbm_b += Hb[b, c] * m[c]
                hsh = HbSHb + (HSH[a, b] - HbSHb) / batch
                hmg_ab = Hbm_a * gb[b] + (Hmg[a, b] - Hbm_a * gb[b]) / batch
                hmg_ba = Hbm_b * gb[a] + (Hmg[b, a] - Hbm_b * gb[a]) / batch
                ggb = gb[a] * gb[b] + (gg[a, b] - gb[a] * gb[b]) / batch
                cross_ab = m[a] * gb[b] - e * hmg_ab
                cross_ba = m[b] * gb[a] - e * hmg_ba
                newS[a, b] = (S[a, b] - e * (HbS + SHb) + e * e * hsh
                              - e * (cross_ab + cross_ba) + e * e * ggb)
        m = newm
        S = newS
        while p < checkpoints.shape[0] and checkpoints[p] == t + 1:
            for a in range(d):
                out_m[p, a] = m[a]
                for b in range(d):
                    out_S[p, a, b] = S[a, b]
            p += 1


def _check_schedule(ex, eta, m0, S0, checkpoints, batch):
    eta = np.ascontiguousarray(np.asarray(eta, dtype=np.float64))
    if eta.ndim != 1 or eta.size == 0 or not np.all(np.isfinite(eta)) or np.any(eta < 0):
        raise ValueError("eta must be a non-empty 1-D array of finite learning rates >= 0")
    m0 = np.ascontiguousarray(np.asarray(m0, dtype=np.float64))
    S0 = np.ascontiguousarray(np.asarray(S0, dtype=np.float64))
    if m0.shape != (ex.d,) or S0.shape != (ex.d, ex.d):
        raise ValueError(f"m0 {m0.shape} and S0 {S0.shape} must be ({ex.d},) and ({ex.d}, {ex.d})")
    cp = np.ascontiguousarray(np.asarray(checkpoints, dtype=np.int64).reshape(-1))
    if cp.size == 0 or np.any(np.diff(cp) <= 0) or cp[0] < 1 or cp[-1] > eta.size:
        raise ValueError(f"checkpoints={cp.tolist()} must be non-empty, increasing, within "
                         f"[1, {eta.size}]")
    if not (isinstance(batch, (int, np.integer)) and batch >= 1):
        raise ValueError(f"batch={batch!r} must be an integer >= 1")
    return eta, m0, S0, cp


def moment_trajectory(ex: QuadraticExamples, eta, m0, S0, checkpoints, batch: int = 1):
    """Exact ``(m_t, S_t)`` after each checkpoint's number of steps under the schedule ``eta``.

    Returns arrays of shapes ``(P, d)`` and ``(P, d, d)``.
    """
    eta, m0, S0, cp = _check_schedule(ex, eta, m0, S0, checkpoints, batch)
    out_m = np.empty((cp.size, ex.d))
    out_S = np.empty((cp.size, ex.d, ex.d))
    _trajectory(ex.H, ex.g, eta, int(batch), m0, S0, cp, out_m, out_S)
    return out_m, out_S


def moment_trajectory_reference(ex: QuadraticExamples, eta, m0, S0, checkpoints, batch: int = 1):
    """The same recursion written with numpy matrix algebra (the kernel's reference)."""
    eta, m, S, cp = _check_schedule(ex, eta, m0, S0, checkpoints, batch)
    out_m, out_S = [], []
    for t, e in enumerate(eta):
        S, m = _step_second(ex, S, m, e, batch)
        if t + 1 in cp:
            out_m.append(m.copy())
            out_S.append(S.copy())
    return np.array(out_m), np.array(out_S)
