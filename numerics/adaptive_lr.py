"""The adaptive learning-rate algorithm of deck 003 ("A Complete Algorithm"), run as stated.

Per parameter ``i`` of ``Phi`` (the 1-D slides are ``d = 1`` with ``lam_B = 16``,
``lam_eta = 1 / (32 L)``), with batch size ``B`` and meta-parameters ``K``, ``eps``::

    g~^{t+1}  = (1 - w_t) g~^t + w_t g^^{t+1},        w_t = B / B*(t)
    s~^{t+1}  = (1 - w_t) s~^t + w_t (g^^{t+1})^2
    sigma~^t  = sqrt(s~^t - (g~^t)^2)
    B*(t)     = K                                       for t <= K
              = lam_B sigma~^2 / ((g~^t)^2 + eps)        otherwise
    eta^t     = 0                                       for t <= K
              = lam_eta (g~^t)^2 / (sigma~^t)^2          otherwise
    Phi^{t+1} = Phi^t - eta^t g^^t

with ``g~^0 = s~^0 = 0`` and ``g^^t`` the mean of ``B`` per-example gradients at ``Phi^t``:
``(H (Phi^t - Phi*))_i + sigma_i xi_{b,i}``. Iteration ``t`` computes ``B*(t)`` and
``eta^t`` from the averages (which already hold ``g^^t``), steps, draws ``g^^{t+1}`` at the
new point and updates the averages with weight ``B / B*(t)``: the slides' indices read
literally.

Knobs that are *not* on the slides, for the corrected variant a claim may test (their
defaults reproduce the slides): ``bstar_scale`` multiplies ``sigma~^2`` inside ``B*(t)``
(``B`` turns the variance of a batch mean into a per-example variance), ``w_max`` caps the
weight, ``eta_cap`` caps the learning rate, ``freeze`` keeps ``Phi`` fixed (estimators only),
``weight_bstar > 0`` averages with the fixed weight ``B / weight_bstar`` after the warm-up
(a running average with a fixed time constant, as on "Estimating g_hat_B*"; ``B*(t)`` and
``eta^t`` are still computed and recorded by the formulas).

A chain *fails* (and stops) at the first step where ``sigma~^2 <= 0`` after the warm-up
(``sigma~`` undefined, code 1; the weight ``B/B*(t)`` can exceed 1, and then ``s~ - g~^2``
can turn negative), or where ``|Phi - Phi*|`` exceeds ``escape`` or is not finite (code 2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba as nb
import numpy as np

from .batch_noise import check_kind, next_noise, noise_reference
from .rng import seed_states
from .threads import run_chunked

__all__ = ["AdaptiveRun", "run_adaptive", "run_adaptive_reference", "OK", "SIGMA_UNDEFINED",
           "DIVERGED"]

OK, SIGMA_UNDEFINED, DIVERGED = 0, 1, 2


@dataclass(frozen=True)
class AdaptiveRun:
    """Records at the start of iteration ``t`` for each ``t`` in ``record_t``.

    ``phi``, ``g_tilde``, ``s_tilde``, ``bstar``, ``eta``: ``(chains, records, d)``, NaN
    after a chain failed. ``fail_step``/``fail_code``: per chain (``0``/``OK`` if it never
    failed). ``weight_over_one``: per chain and parameter, the number of steps whose weight
    ``B / B*(t)`` exceeded 1 (counted before any cap).
    """

    record_t: np.ndarray
    phi: np.ndarray
    g_tilde: np.ndarray
    s_tilde: np.ndarray
    bstar: np.ndarray
    eta: np.ndarray
    fail_step: np.ndarray
    fail_code: np.ndarray
    weight_over_one: np.ndarray
    memory: np.ndarray

    @property
    def sigma_tilde(self) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            return np.sqrt(self.s_tilde - self.g_tilde**2)


@nb.njit(nogil=True, cache=True)
def _run(lo, hi, H, x_star, sigma, B, kind, K, eps, lam_B, lam_eta, bstar_scale, w_max, eta_cap,
         freeze, weight_bstar, x0, n_steps, record_t, escape, states,
         phi_r, g_r, s_r, bstar_r, eta_r, fail_step, fail_code, over, memory):
    """Chains ``lo .. hi - 1`` (see :mod:`numerics.threads`)."""
    d = x0.shape[1]
    n_rec = record_t.shape[0]
    for c in range(lo, hi):
        phi = x0[c].copy()
        gt = np.zeros(d)
        st = np.zeros(d)
        ghat = np.zeros(d)
        bstar = np.zeros(d)
        eta = np.zeros(d)
        r = 0
        failed = False
        for i in range(d):
            memory[c, i] = 1.0
        for t in range(n_steps + 1):
            # B*(t) and eta^t from the averages, which hold g^^t.
            for i in range(d):
                if t <= K:
                    bstar[i] = K
                    eta[i] = 0.0
                else:
                    v = st[i] - gt[i] * gt[i]
                    if not v > 0.0:
                        fail_step[c] = t
                        fail_code[c] = 1
                        failed = True
                        break
                    bstar[i] = lam_B[i] * bstar_scale * v / (gt[i] * gt[i] + eps)
                    eta[i] = min(lam_eta[i] * gt[i] * gt[i] / v, eta_cap[i])
            if failed:
                break
            while r < n_rec and record_t[r] == t:
                for i in range(d):
                    phi_r[c, r, i] = phi[i]
                    g_r[c, r, i] = gt[i]
                    s_r[c, r, i] = st[i]
                    bstar_r[c, r, i] = bstar[i]
                    eta_r[c, r, i] = eta[i]
                r += 1
            if t == n_steps:
                break
            if not freeze:
                for i in range(d):
                    phi[i] = phi[i] - eta[i] * ghat[i]
                for i in range(d):
                    if not abs(phi[i] - x_star[i]) <= escape:
                        fail_step[c] = t + 1
                        fail_code[c] = 2
                        failed = True
                if failed:
                    break
            # g^^{t+1} at Phi^{t+1}, then the averages with weight B / B*(t).
            for i in range(d):
                m = 0.0
                for j in range(d):
                    m += H[i, j] * (phi[j] - x_star[j])
                acc = 0.0
                for _ in range(B):
                    acc += m + sigma[i] * next_noise(states, c, kind)
                ghat[i] = acc / B
            for i in range(d):
                w = B / bstar[i]
                if weight_bstar > 0.0 and t > K:
                    w = B / weight_bstar
                if w > 1.0:
                    over[c, i] += 1
                w = min(w, w_max)
                memory[c, i] *= 1.0 - w
                gt[i] = (1.0 - w) * gt[i] + w * ghat[i]
                st[i] = (1.0 - w) * st[i] + w * ghat[i] * ghat[i]
        for q in range(r, n_rec):
            for i in range(d):
                phi_r[c, q, i] = np.nan
                g_r[c, q, i] = np.nan
                s_r[c, q, i] = np.nan
                bstar_r[c, q, i] = np.nan
                eta_r[c, q, i] = np.nan


def _vector(v, d, name, positive=False):
    a = np.ascontiguousarray(np.broadcast_to(np.asarray(v, dtype=np.float64), (d,)))
    if np.any(np.isnan(a)) or (positive and np.any(a <= 0)):
        raise ValueError(f"{name}={v!r} must be {'> 0' if positive else 'numbers'} (one or {d} values)")
    return a.copy()


def _prepare(H, x_star, sigma, B, kind, K, eps, lam_B, lam_eta, bstar_scale, w_max, eta_cap,
             x0, n_steps, record_t):
    H = np.ascontiguousarray(np.atleast_2d(np.asarray(H, dtype=np.float64)))
    d = H.shape[0]
    if H.shape != (d, d) or not np.all(np.isfinite(H)):
        raise ValueError(f"H has shape {H.shape}; it must be a finite square matrix")
    x0 = np.ascontiguousarray(np.asarray(x0, dtype=np.float64))
    if x0.ndim == 1 and d == 1:
        x0 = x0[:, None]
    if x0.ndim != 2 or x0.shape[1] != d or x0.shape[0] < 1 or not np.all(np.isfinite(x0)):
        raise ValueError(f"x0 has shape {x0.shape}; it must be (chains, {d}) finite starting points")
    if not (isinstance(B, (int, np.integer)) and B >= 1):
        raise ValueError(f"B={B!r} must be an integer >= 1")
    if not (isinstance(K, (int, np.integer)) and K >= 1):
        raise ValueError(f"K={K!r} must be an integer >= 1")
    if not (isinstance(n_steps, (int, np.integer)) and n_steps >= 1):
        raise ValueError(f"n_steps={n_steps!r} must be an integer >= 1")
    if not (np.isfinite(eps) and eps >= 0):
        raise ValueError(f"eps={eps!r} must be finite and >= 0")
    if not (np.isfinite(bstar_scale) and bstar_scale > 0):
        raise ValueError(f"bstar_scale={bstar_scale!r} must be finite and > 0")
    if not w_max > 0:
        raise ValueError(f"w_max={w_max!r} must be > 0")
    rec = np.ascontiguousarray(np.asarray(record_t, dtype=np.int64))
    if rec.ndim != 1 or rec.size == 0 or np.any(np.diff(rec) < 0) or rec[0] < 0 or rec[-1] > n_steps:
        raise ValueError(f"record_t={record_t!r} must be a non-empty sorted list of steps in [0, {n_steps}]")
    return (H, _vector(x_star, d, "x_star"), _vector(sigma, d, "sigma"), int(B), check_kind(kind),
            int(K), float(eps), _vector(lam_B, d, "lam_B", True), _vector(lam_eta, d, "lam_eta", True),
            float(bstar_scale), float(w_max), _vector(eta_cap, d, "eta_cap", True), x0, int(n_steps), rec)


def run_adaptive(H, *, x_star, sigma, B, kind, K, eps, lam_B, lam_eta, x0, n_steps, record_t,
                 seed, bstar_scale=1.0, w_max=math.inf, eta_cap=math.inf, freeze=False,
                 weight_bstar=0.0, escape=1e8) -> AdaptiveRun:
    """Run ``len(x0)`` independent chains of the algorithm (see the module docstring).

    ``x0`` is ``(chains, d)`` (or ``(chains,)`` when ``d = 1``); ``lam_B``, ``lam_eta``,
    ``sigma``, ``eta_cap``, ``x_star`` take one value or ``d``. Chain ``c`` draws from stream
    ``(seed, c)``; results are bit-identical at any thread count.
    """
    (H, x_star, sigma, B, kind, K, eps, lam_B, lam_eta, bstar_scale, w_max, eta_cap, x0, n_steps,
     rec) = _prepare(H, x_star, sigma, B, kind, K, eps, lam_B, lam_eta, bstar_scale, w_max,
                     eta_cap, x0, n_steps, record_t)
    n, d = x0.shape
    shape = (n, rec.size, d)
    out = [np.empty(shape) for _ in range(5)]
    fail_step = np.zeros(n, dtype=np.int64)
    fail_code = np.zeros(n, dtype=np.int64)
    over = np.zeros((n, d), dtype=np.int64)
    memory = np.ones((n, d))
    if not (np.isfinite(weight_bstar) and weight_bstar >= 0):
        raise ValueError(f"weight_bstar={weight_bstar!r} must be finite and >= 0 (0: use B*(t))")
    run_chunked(_run, n, H, x_star, sigma, B, kind, K, eps, lam_B, lam_eta, bstar_scale, w_max,
                eta_cap, bool(freeze), float(weight_bstar), x0, n_steps, rec, float(escape),
                seed_states(seed, n), *out, fail_step, fail_code, over, memory)
    return AdaptiveRun(rec, *out, fail_step, fail_code, over, memory)


def run_adaptive_reference(H, *, x_star, sigma, B, kind, K, eps, lam_B, lam_eta, x0, n_steps,
                           record_t, seed, bstar_scale=1.0, w_max=math.inf, eta_cap=math.inf,
                           freeze=False, weight_bstar=0.0, escape=1e8) -> AdaptiveRun:
    """Plain numpy :func:`run_adaptive`, vectorised over chains, for small inputs.

    It consumes each chain's stream in the kernel's order (step, parameter, example) and
    does the arithmetic in the same order, so it must agree bit for bit.
    """
    (H, x_star, sigma, B, kind, K, eps, lam_B, lam_eta, bstar_scale, w_max, eta_cap, x0, n_steps,
     rec) = _prepare(H, x_star, sigma, B, kind, K, eps, lam_B, lam_eta, bstar_scale, w_max,
                     eta_cap, x0, n_steps, record_t)
    n, d = x0.shape
    xi = noise_reference(kind, seed, n, n_steps * d * B).reshape(n, n_steps, d, B)
    phi, gt, st, ghat = x0.copy(), np.zeros((n, d)), np.zeros((n, d)), np.zeros((n, d))
    alive = np.ones(n, dtype=bool)
    fail_step = np.zeros(n, dtype=np.int64)
    fail_code = np.zeros(n, dtype=np.int64)
    over = np.zeros((n, d), dtype=np.int64)
    memory = np.ones((n, d))
    recs = [np.full((n, rec.size, d), np.nan) for _ in range(5)]
    for t in range(n_steps + 1):
        if t <= K:
            bstar, eta = np.full((n, d), float(K)), np.zeros((n, d))
        else:
            v = st - gt * gt
            bad = alive & ~np.all(v > 0, axis=1)
            fail_step[bad], fail_code[bad] = t, 1
            alive &= ~bad
            with np.errstate(all="ignore"):
                bstar = lam_B * bstar_scale * v / (gt * gt + eps)
                eta = np.minimum(lam_eta * gt * gt / v, eta_cap)
        for r in np.flatnonzero(rec == t):
            for arr, val in zip(recs, (phi, gt, st, bstar, eta)):
                arr[alive, r] = val[alive]
        if t == n_steps:
            break
        if not freeze:
            phi = np.where(alive[:, None], phi - eta * ghat, phi)
            with np.errstate(invalid="ignore"):
                bad = alive & ~np.all(np.abs(phi - x_star) <= escape, axis=1)
            fail_step[bad], fail_code[bad] = t + 1, 2
            alive &= ~bad
        m = np.zeros((n, d))  # H (Phi - Phi*), in the kernel's summation order
        for i in range(d):
            for j in range(d):
                m[:, i] = m[:, i] + H[i, j] * (phi[:, j] - x_star[j])
        new = np.zeros((n, d))
        for i in range(d):
            acc = np.zeros(n)
            for b in range(B):
                acc = acc + (m[:, i] + sigma[i] * xi[:, t, i, b])
            new[:, i] = acc / B
        ghat = np.where(alive[:, None], new, ghat)
        with np.errstate(all="ignore"):
            w = B / bstar
        if weight_bstar > 0 and t > K:
            w = np.full((n, d), B / weight_bstar)
        over += (alive[:, None] & (w > 1)).astype(np.int64)
        w = np.minimum(w, w_max)
        memory = np.where(alive[:, None], memory * (1.0 - w), memory)
        gt = np.where(alive[:, None], (1.0 - w) * gt + w * ghat, gt)
        st = np.where(alive[:, None], (1.0 - w) * st + w * ghat * ghat, st)
    return AdaptiveRun(rec, *recs, fail_step, fail_code, over, memory)
