"""A finite training set, written once in sympy, for the SGD-on-examples claims.

Deck 000's "A Nice Theorem (TZ)" and its proof are about SGD on a *finite* set of
training examples: ``L(Phi) = E_i L_i(Phi)``, one example ``i`` drawn uniformly per step,
``g_i = grad L_i(Phi*)`` and ``H_i`` its Hessian at a local optimum ``Phi*``. A
:class:`FiniteSumProblem` holds the per-example losses ``L_i`` as sympy polynomials in the
state, with the optimum placed at ``Phi* = 0`` (checked: ``grad L(0) = 0``). Everything the
claims and the kernels need comes from those expressions, nowhere else: ``g_i``, ``H_i``,
``E_i ||g_i||^2``, the gradient coefficients the kernel runs on
(:func:`numerics.finite_sum.run_finite_sum`), the polynomial observables it averages, and
the ``(g_i, H_i)`` arrays of the exact moment equations (:mod:`numerics.moments`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

import numpy as np
import sympy as sp

from numerics.finite_sum import SparsePolynomials
from numerics.moments import QuadraticExamples

__all__ = ["FiniteSumProblem", "sparse_polynomials", "exact_expectation"]


def sparse_polynomials(exprs: Sequence[sp.Expr], state: Sequence[sp.Symbol],
                       shape: tuple[int, ...] | None = None) -> SparsePolynomials:
    """Polynomials in ``state`` on their union monomial basis (coefficients as float64).

    ``shape`` reshapes the leading axis (e.g. ``(n, d)`` for per-example gradients).
    """
    polys = [sp.Poly(sp.expand(e), *state) for e in exprs]
    basis = sorted({m for p in polys for m in p.monoms()} or {(0,) * len(state)})
    index = {m: k for k, m in enumerate(basis)}
    coefs = np.zeros((len(polys), len(basis)))
    for r, p in enumerate(polys):
        for m, c in p.terms():
            coefs[r, index[m]] = float(c)
    if shape is not None:
        coefs = coefs.reshape(shape + (len(basis),))
    return SparsePolynomials(np.array(basis, dtype=np.int64).reshape(len(basis), len(state)), coefs)


def exact_expectation(expr: sp.Expr, state: Sequence[sp.Symbol], m: np.ndarray,
                      S: np.ndarray) -> float:
    """``E[expr(Phi)]`` from the first two moments (``m = E Phi``, ``S = E Phi Phi^T``).

    Exact for polynomials of degree <= 2, which is all a quadratic problem needs.
    """
    poly = sp.Poly(sp.expand(expr), *state)
    if poly.total_degree() > 2:
        raise ValueError(f"{expr} has degree {poly.total_degree()} > 2: the first two moments "
                         "do not determine its expectation")
    total = 0.0
    for powers, c in poly.terms():
        idx = [j for j, p in enumerate(powers) for _ in range(p)]
        if not idx:
            total += float(c)
        elif len(idx) == 1:
            total += float(c) * m[idx[0]]
        else:
            total += float(c) * S[idx[0], idx[1]]
    return total


@dataclass(frozen=True)
class FiniteSumProblem:
    """``n`` per-example losses ``L_i(Phi)`` (sympy polynomials) and ``Phi*`` a critical point of their mean.

    ``optimum`` is ``Phi*`` (default the origin); ``DeltaPhi = Phi - Phi*``.
    """

    label: str
    state: tuple[sp.Symbol, ...]
    losses: tuple[sp.Expr, ...]
    optimum: tuple | None = None

    def __post_init__(self):
        if len(self.losses) < 2:
            raise ValueError(f"{self.label}: a training set needs >= 2 examples, got {len(self.losses)}")
        for e in self.losses:
            extra = sp.sympify(e).free_symbols - set(self.state)
            if extra:
                raise ValueError(f"{self.label}: loss {e} depends on {sorted(map(str, extra))}; "
                                 "give every parameter a value")
        if self.optimum is None:
            object.__setattr__(self, "optimum", (sp.Integer(0),) * len(self.state))
        if len(self.optimum) != len(self.state):
            raise ValueError(f"{self.label}: optimum={self.optimum} needs {len(self.state)} coordinates")
        object.__setattr__(self, "optimum", tuple(sp.nsimplify(v) for v in self.optimum))
        g = [sum(sp.diff(L, s) for L in self.losses).subs(self.zero) for s in self.state]
        if any(sp.simplify(c) != 0 for c in g):
            raise ValueError(f"{self.label}: grad L(Phi*) = {g} != 0 at Phi* = {self.optimum}")

    @property
    def n(self) -> int:
        return len(self.losses)

    @property
    def d(self) -> int:
        return len(self.state)

    @property
    def zero(self) -> dict:
        """The substitution ``Phi = Phi*``."""
        return dict(zip(self.state, self.optimum))

    @property
    def delta(self) -> sp.Matrix:
        """``DeltaPhi = Phi - Phi*`` as a column."""
        return sp.Matrix([s - o for s, o in zip(self.state, self.optimum)])

    def in_delta(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` with ``Phi = Phi* + DeltaPhi``, written in the state symbols as ``DeltaPhi``."""
        return sp.expand(sp.sympify(expr).xreplace({s: s + o for s, o in zip(self.state, self.optimum)}))

    def start(self, chains: int) -> np.ndarray:
        """Every chain at ``Phi*``: shape ``(chains, d)``."""
        return np.tile(self.optimum_array, (chains, 1))

    @property
    def optimum_array(self) -> np.ndarray:
        return np.array([float(v) for v in self.optimum])

    @cached_property
    def loss(self) -> sp.Expr:
        """The training loss ``L = E_i L_i``."""
        return sp.expand(sum(self.losses) / self.n)

    @cached_property
    def loss_at_optimum(self) -> sp.Expr:
        return self.loss.subs(self.zero)

    @cached_property
    def gradients(self) -> tuple[tuple[sp.Expr, ...], ...]:
        """``grad L_i(Phi)`` per example, as polynomials."""
        return tuple(tuple(sp.expand(sp.diff(L, s)) for s in self.state) for L in self.losses)

    @cached_property
    def g(self) -> tuple[sp.Matrix, ...]:
        """``g_i = grad L_i(Phi*)`` (column vectors)."""
        return tuple(sp.Matrix([c.subs(self.zero) for c in gi]) for gi in self.gradients)

    @cached_property
    def H(self) -> tuple[sp.Matrix, ...]:
        """``H_i``: Hessian of ``L_i`` at ``Phi*``."""
        return tuple(sp.hessian(L, self.state).subs(self.zero) for L in self.losses)

    @cached_property
    def Hbar(self) -> sp.Matrix:
        return sum(self.H, sp.zeros(self.d)) / self.n

    @cached_property
    def G2(self) -> sp.Expr:
        """``E_i ||g_i||^2``."""
        return sp.nsimplify(sum((gi.T * gi)[0] for gi in self.g) / self.n)

    @property
    def is_quadratic(self) -> bool:
        return all(sp.Poly(L, *self.state).total_degree() <= 2 for L in self.losses)

    @property
    def hessian_positive_definite(self) -> bool:
        return bool(self.Hbar.is_positive_definite)

    # --- observables (polynomials in the state) ------------------------------------------
    @cached_property
    def excess_loss(self) -> sp.Expr:
        """``L(Phi) - L(Phi*)``."""
        return sp.expand(self.loss - self.loss_at_optimum)

    @cached_property
    def quadratic_form(self) -> sp.Expr:
        """``(1/2) DeltaPhi^T (E_i H_i) DeltaPhi``."""
        v = self.delta
        return sp.expand((v.T * self.Hbar * v)[0] / 2)

    @cached_property
    def model_gradient_norm(self) -> sp.Expr:
        """``E_i ||g_i + H_i DeltaPhi||^2`` (the second-order model's per-example gradient)."""
        v = self.delta
        return sp.expand(sum(((gi + Hi * v).T * (gi + Hi * v))[0]
                             for gi, Hi in zip(self.g, self.H)) / self.n)

    @cached_property
    def gradient_norm(self) -> sp.Expr:
        """``E_i ||grad L_i(Phi)||^2`` (the true per-example gradient)."""
        return sp.expand(sum(sum(c**2 for c in gi) for gi in self.gradients) / self.n)

    @cached_property
    def squared_distance(self) -> sp.Expr:
        """``||DeltaPhi||^2``."""
        return sp.expand(sum(c**2 for c in self.delta))

    # --- data for the kernels ---------------------------------------------------------
    def gradient_polynomials(self) -> SparsePolynomials:
        flat = [c for gi in self.gradients for c in gi]
        return sparse_polynomials(flat, self.state, shape=(self.n, self.d))

    def observable_polynomials(self, exprs: Sequence[sp.Expr]) -> SparsePolynomials:
        return sparse_polynomials(exprs, self.state)

    def quadratic_examples(self) -> QuadraticExamples:
        """``(H_i, g_i)`` at the optimum, as arrays: the exact moments of ``DeltaPhi``."""
        H = np.array([[[float(h) for h in Hi.row(a)] for a in range(self.d)] for Hi in self.H])
        g = np.array([[float(c) for c in gi] for gi in self.g])
        return QuadraticExamples(H, g)
