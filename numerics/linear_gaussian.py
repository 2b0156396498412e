"""Exact stationary laws of linear Gaussian chains and their SDE limits.

For an affine drift and a constant noise matrix, the chain

    x' = x - (K x + f0) + S xi,   xi ~ N(0, I_m)

is ``x' = M x + c + S xi`` with ``M = I - K``, ``c = -f0``; when the spectral radius of
``M`` is below 1 it has a Gaussian stationary law ``N(mu, Sigma_d)`` with

    mu = -K^{-1} f0,   Sigma_d = M Sigma_d M^T + S S^T   (discrete Lyapunov equation).

The same chain read as the Euler step of an SDE with time step ``tau`` (``tau = eta`` for
SGD) has drift ``-(K x + f0) / tau`` and diffusion ``C = S S^T / tau``; its stationary law
is ``N(mu, Sigma_c)`` with ``A Sigma_c + Sigma_c A^T = C``, ``A = K / tau`` (continuous
Lyapunov equation). ``Sigma_d - Sigma_c = O(tau)``: the discretisation bias of SGD's
stationary covariance, known here in closed form (DESIGN.md, "Discrete SGD is not the SDE").

Expectations of polynomials under Gaussian laws (and of current functionals under the
joint law of a step) use tensor Gauss-Hermite rules, exact for polynomials of degree up to
``2 q - 1`` in each variable.

Both Lyapunov equations are solved through their Kronecker forms (``n <= 8``); with the
row-major ``vec``, ``vec(A X B) = (A kron B^T) vec(X)``.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from .polynd import PolySystem, eval_system_numpy

__all__ = ["discrete_lyapunov", "continuous_lyapunov", "LinearChain", "gaussian_expectations",
           "sqrt_psd", "tensor_rule",
           "gauss_hermite_nodes"]


def _square(name: str, a: np.ndarray, n: int | None = None) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or (n is not None and a.shape[0] != n):
        raise ValueError(f"{name} must be a square matrix{'' if n is None else f' of size {n}'}; "
                         f"got shape {a.shape}")
    if a.shape[0] > 8:
        raise ValueError(f"{name} is {a.shape[0]} x {a.shape[0]}: the Kronecker solve is for n <= 8")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite")
    return a


def discrete_lyapunov(M, Q) -> np.ndarray:
    """``Sigma`` with ``Sigma = M Sigma M^T + Q``; needs spectral radius of ``M`` < 1."""
    M = _square("M", M)
    Q = _square("Q", Q, M.shape[0])
    rho = float(np.max(np.abs(np.linalg.eigvals(M))))
    if not rho < 1:
        raise ValueError(f"M has spectral radius {rho:.6g}; it must be < 1 for a stationary law "
                         "(the step size is unstable)")
    n = M.shape[0]
    vec = np.linalg.solve(np.eye(n * n) - np.kron(M, M), Q.reshape(-1))
    S = vec.reshape(n, n)
    return 0.5 * (S + S.T)


def continuous_lyapunov(A, C) -> np.ndarray:
    """``Sigma`` with ``A Sigma + Sigma A^T = C``; needs every eigenvalue of ``A`` in Re > 0."""
    A = _square("A", A)
    C = _square("C", C, A.shape[0])
    ev = np.linalg.eigvals(A)
    if not np.all(ev.real > 0):
        raise ValueError(f"A has eigenvalues {ev}; all must have positive real part (a stable drift)")
    n = A.shape[0]
    I = np.eye(n)
    vec = np.linalg.solve(np.kron(A, I) + np.kron(I, A), C.reshape(-1))
    S = vec.reshape(n, n)
    return 0.5 * (S + S.T)


def gauss_hermite_nodes(q: int) -> tuple[np.ndarray, np.ndarray]:
    """Probabilists' Gauss-Hermite rule: ``E[f(z)], z ~ N(0,1)`` exact for degree <= 2q-1."""
    z, w = np.polynomial.hermite_e.hermegauss(q)
    return z, w / math.sqrt(2 * math.pi)


def tensor_rule(dim: int, q: int) -> tuple[np.ndarray, np.ndarray]:
    z, w = gauss_hermite_nodes(q)
    pts = np.array(list(itertools.product(z, repeat=dim)))
    wts = np.array([np.prod(c) for c in itertools.product(w, repeat=dim)])
    return pts, wts


def sqrt_psd(S: np.ndarray) -> np.ndarray:
    """A matrix ``R`` with ``R R^T = S`` for a positive semi-definite ``S``."""
    vals, vecs = np.linalg.eigh(0.5 * (S + S.T))
    if vals.min() < -1e-12 * max(1.0, abs(vals.max())):
        raise ValueError(f"covariance has a negative eigenvalue {vals.min():.3g}")
    return vecs * np.sqrt(np.clip(vals, 0.0, None))


def gaussian_expectations(mean, cov, system: PolySystem, q: int = 8) -> np.ndarray:
    """``E[P_k(x)]`` for ``x ~ N(mean, cov)``, exact for degree <= ``2q - 1`` per variable."""
    mean = np.asarray(mean, dtype=float)
    R = sqrt_psd(np.asarray(cov, dtype=float))
    pts, wts = tensor_rule(mean.size, q)
    return wts @ eval_system_numpy(system, mean + pts @ R.T)


@dataclass(frozen=True)
class LinearChain:
    """``x' = x - (K x + f0) + S xi`` with time step ``tau``; see the module docstring."""

    K: np.ndarray
    f0: np.ndarray
    S: np.ndarray
    tau: float

    @classmethod
    def from_polynomials(cls, drift: PolySystem, noise: PolySystem, tau: float) -> "LinearChain":
        """Read ``K``, ``f0``, ``S`` off an affine drift and a constant noise (else ValueError)."""
        if not drift.is_affine():
            raise ValueError("drift is not affine: the chain is not linear")
        if not noise.is_constant():
            raise ValueError("noise depends on the state: the chain is not linear Gaussian")
        n = drift.n_vars
        m = noise.n_outputs // n
        f0 = drift(np.zeros((1, n)))[0]
        K = np.column_stack([drift(np.eye(n)[j][None, :])[0] - f0 for j in range(n)])
        S = noise(np.zeros((1, n)))[0].reshape(n, m)
        return cls(K, f0, S, float(tau))

    @property
    def n(self) -> int:
        return self.K.shape[0]

    @property
    def M(self) -> np.ndarray:
        return np.eye(self.n) - self.K

    @property
    def mean(self) -> np.ndarray:
        return -np.linalg.solve(self.K, self.f0)

    def covariance_discrete(self) -> np.ndarray:
        return discrete_lyapunov(self.M, self.S @ self.S.T)

    def covariance_continuous(self) -> np.ndarray:
        return continuous_lyapunov(self.K / self.tau, self.S @ self.S.T / self.tau)

    def relaxation_steps(self) -> float:
        """Steps per e-fold of the slowest mode: ``-1 / ln(spectral radius of M)``."""
        rho = float(np.max(np.abs(np.linalg.eigvals(self.M))))
        if not rho < 1:
            raise ValueError(f"M has spectral radius {rho:.6g} >= 1: no stationary law")
        return -1.0 / math.log(rho)

    def expectations(self, system: PolySystem, continuous: bool) -> np.ndarray:
        """Stationary ``E[P_k(x)]``: the chain's own (``continuous=False``) or the SDE's."""
        cov = self.covariance_continuous() if continuous else self.covariance_discrete()
        return gaussian_expectations(self.mean, cov, system)

    def current_functionals(self, fields: PolySystem, continuous: bool, q: int = 6) -> np.ndarray:
        """Stationary mean per unit time of ``(x' - x) . G_p(midpoint)``, per field ``p``.

        Discrete (``continuous=False``): the chain's own, by Gauss-Hermite over the joint law
        of ``(x, xi)``, divided by ``tau``. Continuous: ``int J . G dx = E[b . G] +
        (1/2) E[C : grad G]`` (integration by parts of the Ito current ``J = b p -
        (1/2) div(C p)``), exact for the SDE.
        """
        n, m = self.n, self.S.shape[1]
        P = fields.n_outputs // n
        if not continuous:
            R = sqrt_psd(self.covariance_discrete())
            pts, wts = tensor_rule(n + m, q)
            x = self.mean + pts[:, :n] @ R.T
            xn = x @ self.M.T - self.f0 + pts[:, n:] @ self.S.T
            g = fields(0.5 * (x + xn)).reshape(-1, P, n)
            return (wts @ np.einsum("ti,tpi->tp", xn - x, g)) / self.tau
        R = sqrt_psd(self.covariance_continuous())
        pts, wts = tensor_rule(n, q)
        x = self.mean + pts @ R.T
        b = -(x @ self.K.T + self.f0) / self.tau
        C = self.S @ self.S.T / self.tau
        g = fields(x).reshape(-1, P, n)
        # grad G by central differences is not exact; differentiate the polynomials instead.
        jac = _field_jacobians(fields, x, n, P)  # (T, P, n_i, n_j) = d G_p,i / d x_j
        return wts @ (np.einsum("ti,tpi->tp", b, g) + 0.5 * np.einsum("ij,tpij->tp", C, jac))


def _field_jacobians(fields: PolySystem, x: np.ndarray, n: int, P: int) -> np.ndarray:
    """``d G_{p,i} / d x_j`` at points ``x`` from the packed monomials, exactly."""
    out = np.zeros((x.shape[0], P, n, n))
    for k in range(fields.n_outputs):
        p, i = divmod(k, n)
        for t in range(fields.offsets[k], fields.offsets[k + 1]):
            e = fields.exponents[t]
            c = fields.coefficients[t]
            for j in range(n):
                if e[j] == 0:
                    continue
                d = e.copy()
                d[j] -= 1
                out[:, p, i, j] += c * e[j] * np.prod(x ** d, axis=1)
    return out
