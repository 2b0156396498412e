"""Small training sets shared by the finite-sum SGD claims (deck 000's TZ theorem, deck 003).

Each is a :class:`derivations.finite_sum.FiniteSumProblem` with its optimum at ``Phi* = 0``:

- :func:`quadratic_2d`: four examples in two dimensions, ``L_i = g_i^T Phi + (1/2) Phi^T H_i Phi``
  with ``sum g_i = 0``; the ``H_i`` do not commute and one is indefinite (an example may
  curve down where the average curves up); ``E_i H_i`` is positive definite (eigenvalues
  0.514 and 1.436); ``E_i ||g_i||^2 = 5/4``.
- :func:`nonquadratic_2d`: the same plus per-example cubic terms and a common quartic
  ``||Phi||^4 / 24``: second-order Taylor expansion at ``Phi*`` is the quadratic set, so
  the theorem's ``g_i``, ``H_i`` and ``E_i ||g_i||^2`` are unchanged, while Steps 1-3's
  expansions are only approximate. ``Phi* = 0`` is the only minimum of the mean loss on
  ``[-6, 6]^2`` (checked on a grid when the module was written).
- :func:`degenerate_1d`: ``L_i = a_i Phi + Phi^4 / 4`` with ``a_i = +-1``: a local (global)
  minimum at 0 whose averaged Hessian ``E_i H_i`` is 0, positive semi-definite but not
  positive definite.
- :func:`pm_one_quadratic_1d`: ``L_i = (1/2)(Phi - a_i)^2`` with ``a_i = +-1``: the 1-D
  quadratic of the convergence experiments (``L(Phi*) = 1/2``).
- :func:`offset_quadratic_1d`: ``a_i = 1, 3``, optimum ``Phi* = 2`` (for an update whose
  fixed point is 0).
"""

from __future__ import annotations

import sympy as sp

from ..finite_sum import FiniteSumProblem

__all__ = ["PHI_1", "PHI_2", "PHI", "quadratic_2d", "nonquadratic_2d", "degenerate_1d",
           "pm_one_quadratic_1d", "offset_quadratic_1d"]

PHI_1, PHI_2 = sp.symbols("Phi_1 Phi_2", real=True)
PHI = sp.Symbol("Phi", real=True)

_R = sp.Rational
_HESSIANS = (
    sp.Matrix([[2, _R(1, 2)], [_R(1, 2), 1]]),
    sp.Matrix([[1, -_R(3, 10)], [-_R(3, 10), _R(1, 2)]]),
    sp.Matrix([[_R(6, 5), 0], [0, -_R(2, 5)]]),
    sp.Matrix([[_R(3, 2), _R(1, 5)], [_R(1, 5), 1]]),
)
_GRADIENTS = ((1, _R(1, 2)), (-_R(1, 2), 1), (-1, -1), (_R(1, 2), -_R(1, 2)))
#: Per-example cubic coefficients (c_i, e_i) of c_i Phi_1^3 / 6 + e_i Phi_1 Phi_2^2 / 2.
_CUBICS = ((1, _R(1, 2)), (_R(1, 2), -_R(1, 2)), (-_R(1, 2), 1), (1, 0))


def _quadratic_losses():
    v = sp.Matrix([PHI_1, PHI_2])
    return tuple(sp.expand((sp.Matrix(g).T * v)[0] + (v.T * H * v)[0] / 2)
                 for g, H in zip(_GRADIENTS, _HESSIANS))


def quadratic_2d() -> FiniteSumProblem:
    return FiniteSumProblem("four quadratic examples in 2-D", (PHI_1, PHI_2), _quadratic_losses())


def nonquadratic_2d() -> FiniteSumProblem:
    quartic = (PHI_1**2 + PHI_2**2) ** 2 / 24
    losses = tuple(sp.expand(q + c * PHI_1**3 / 6 + e * PHI_1 * PHI_2**2 / 2 + quartic)
                   for q, (c, e) in zip(_quadratic_losses(), _CUBICS))
    return FiniteSumProblem("four examples in 2-D with cubic and quartic terms", (PHI_1, PHI_2),
                            losses)


def degenerate_1d() -> FiniteSumProblem:
    return FiniteSumProblem("two examples a_i Phi + Phi^4/4, a_i = +-1 (degenerate minimum)",
                            (PHI,), (PHI + PHI**4 / 4, -PHI + PHI**4 / 4))


def pm_one_quadratic_1d() -> FiniteSumProblem:
    return FiniteSumProblem("two examples (Phi - a_i)^2 / 2, a_i = +-1", (PHI,),
                            (sp.expand((PHI - 1) ** 2 / 2), sp.expand((PHI + 1) ** 2 / 2)))


def offset_quadratic_1d() -> FiniteSumProblem:
    """``L_i = (Phi - a_i)^2 / 2`` with ``a_i = 1, 3``: the optimum ``Phi* = 2`` is away from 0."""
    return FiniteSumProblem("two examples (Phi - a_i)^2 / 2, a_i = 1, 3", (PHI,),
                            (sp.expand((PHI - 1) ** 2 / 2), sp.expand((PHI - 3) ** 2 / 2)),
                            optimum=(2,))
