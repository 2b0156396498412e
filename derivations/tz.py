"""Symbolic steps for deck 000's "A Nice Theorem (TZ)": the converged loss of SGD to first order in eta.

Setting: SGD at batch size ``B`` on a finite training set, ``Phi' = Phi - eta ghat`` with
``ghat`` the mean of ``grad L_i(Phi)`` over ``B`` examples drawn uniformly, independently
of the past; ``Phi*`` a local optimum of ``L = E_i L_i``; ``DeltaPhi = Phi - Phi*``;
``g_i = grad L_i(Phi*)``, ``H_i`` the Hessian of ``L_i`` at ``Phi*``; ``p_eta`` the
stationary law and ``L(eta) = E_{p_eta} L(Phi)``.

The derivations here start from the chain, never from the slide:

- :func:`second_moment_balance`: stationarity of ``E ||DeltaPhi||^2`` for *any* loss,
  ``2 E[DeltaPhi^T grad L(Phi)] = eta E E_b ||ghat||^2`` (uses only that the batch is
  independent of ``DeltaPhi``);
- :func:`leading_order`: for a quadratic model in two dimensions with symbolic
  ``Hbar = E_i H_i`` and ``C = E_i g_i g_i^T``, the exact second-moment (discrete
  Lyapunov) equation, its solution to first order in eta, and ``L(eta) - L(Phi*)`` to first
  order: ``eta tr(C) / (4 B)``;
- :func:`trace_identity`: the exact finite-eta identity of the quadratic chain,
  ``(1/2) E DeltaPhi^T Hbar DeltaPhi - (eta/4) E E_i ||g_i + H_i DeltaPhi||^2 =
  -(1/(4 eta)) (E||DeltaPhi'||^2 - E||DeltaPhi||^2)``, proved by expansion for two symbolic
  examples with symbolic moments;
- :func:`quartic_equipartition`: the small-eta law at a degenerate minimum ``L = a Phi^4``
  (zero-flux Fokker-Planck of the per-step moments) and ``E[L] = T / 4``.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from .fokker_planck import XI, flux_1d, gaussian_moments
from .model import Parameter, Step
from .symbols import eta, integer, positive

__all__ = ["G2", "BATCH", "G2_PARAMETER", "BATCH_PARAMETER", "second_moment_balance",
           "leading_order", "trace_identity", "quartic_equipartition", "DL0", "DL0_PARAMETER"]

#: ``E_i ||g_i||^2``, the mean squared per-example gradient at the optimum.
G2 = sp.Symbol("G_2", positive=True)
G2_PARAMETER = positive(G2, r"E_i \|g_i\|^2", "mean squared per-example gradient at Phi*",
                        (0.1, 10.0))
#: Batch size.
BATCH = sp.Symbol("B", positive=True, integer=True)
BATCH_PARAMETER = integer(BATCH, "B", "batch size (indices drawn with replacement)", 1, 64)
#: ``dL(eta)/deta`` at ``eta = 0``, the theorem's left-hand side.
DL0 = sp.Symbol("dL0", real=True)
DL0_PARAMETER = Parameter(DL0, r"\left.\frac{d\mathcal{L}(\eta)}{d\eta}\right|_{\eta=0}",
                          "slope of the converged loss at eta = 0", "R",
                          lambda rng: 0)


@lru_cache(maxsize=None)
def second_moment_balance() -> tuple[Step, ...]:
    """Stationarity of ``E||DeltaPhi||^2`` for any loss: the exact balance."""
    E_dgrad, E_norm = sp.symbols(r"E[\Delta\Phi^{T}\nabla\mathcal{L}] E[\|\hat{g}\|^2]")
    E_sq = sp.Symbol(r"E\|\Delta\Phi\|^2")
    expanded = E_sq - 2 * eta * E_dgrad + eta**2 * E_norm
    balance = sp.solve(sp.Eq(expanded, E_sq), E_dgrad)[0]
    return (
        Step(r"One step: \Delta\Phi' = \Delta\Phi - \eta \hat g, with \hat g the batch gradient at "
             r"\Phi, the batch drawn independently of \Delta\Phi; so E[\Delta\Phi^T \hat g] = "
             r"E[\Delta\Phi^T \nabla\mathcal{L}(\Phi)]",
             sp.Eq(sp.Symbol(r"E\|\Delta\Phi'\|^2"), expanded)),
        Step(r"Stationarity, E\|\Delta\Phi'\|^2 = E\|\Delta\Phi\|^2, solved for the cross term "
             r"(exact for any loss)", sp.Eq(E_dgrad, balance)),
    )


def _symmetric(name: str, d: int = 2) -> sp.Matrix:
    return sp.Matrix(d, d, lambda a, b: sp.Symbol(f"{name}_{min(a, b) + 1}{max(a, b) + 1}", real=True))


@lru_cache(maxsize=None)
def leading_order(batch: sp.Expr = 1) -> tuple[sp.Expr, tuple[Step, ...]]:
    """``dL/deta`` at 0 for SGD near a non-degenerate optimum, with its steps.

    Symbolic 2-D: ``Hbar`` (positive definite), ``C = E_i g_i g_i^T``, ``K(S) = E_i H_i S H_i``.
    The exact stationary second moment of the quadratic model solves
    ``eta (Hbar S + S Hbar) - eta^2 E_b[H_b S H_b] = eta^2 C / B``, so ``S = O(eta)`` and
    ``S_1 = lim S / eta`` solves ``Hbar S_1 + S_1 Hbar = C / B``. Returns ``tr(C)/(4B)``
    expressed with ``G2 = tr C = E_i ||g_i||^2``.
    """
    Hb, C, S1 = _symmetric("h"), _symmetric("c"), _symmetric("s")
    unknowns = sorted(S1.free_symbols, key=str)
    equation = Hb * S1 + S1 * Hb - C / batch
    A, b = sp.linear_eq_to_matrix(list(equation[0, :]) + [equation[1, 1]], unknowns)
    if A.det() == 0:
        raise ArithmeticError("the first-order Lyapunov equation is singular")
    S1_sol = S1.subs(dict(zip(unknowns, A.LUsolve(b))))
    slope = sp.simplify((Hb * S1_sol).trace() / 2)
    expected = C.trace() / (4 * batch)
    if sp.simplify(slope - expected) != 0:
        raise ArithmeticError(f"(1/2) tr(Hbar S_1) = {slope}, not tr(C)/(4B)")
    result = sp.simplify(expected.subs(C[1, 1], G2 - C[0, 0]))
    S = sp.Symbol("S")
    steps = (
        Step(r"Second-order model at \Phi^*: \hat g = g_b + H_b \Delta\Phi (batch means), "
             r"E_i g_i = 0; with the batch independent of \Delta\Phi the mean stays 0 and the "
             r"second moment S = E[\Delta\Phi\Delta\Phi^T] of the stationary law solves the "
             r"discrete Lyapunov equation \eta(\bar H S + S \bar H) - \eta^2 E_b[H_b S H_b] = "
             r"\eta^2 E_b[g_b g_b^T], with E_b[g_b g_b^T] = C/B for B draws with replacement",
             sp.Eq(S, sp.Symbol(r"\eta S_1 + O(\eta^2)"))),
        Step(r"Order \eta: \bar H S_1 + S_1 \bar H = C/B, solved for symbolic 2x2 \bar H, C",
             sp.Eq(sp.Symbol("S_1"), S1_sol)),
        Step(r"L(\eta) - L(\Phi^*) = \frac12 tr(\bar H S) + O(\eta^{3/2}) (third-order Taylor terms "
             r"of a smooth loss are O(\|\Delta\Phi\|^3) with \Delta\Phi = O(\sqrt\eta)); its slope "
             r"at 0 is \frac12 tr(\bar H S_1), which simplifies to", slope),
        Step(r"tr C = E_i \|g_i\|^2 = G_2: the slope is", result),
    )
    return result, steps


@lru_cache(maxsize=None)
def trace_identity() -> tuple[sp.Expr, tuple[Step, ...]]:
    """The exact identity behind Step 3, for two symbolic examples in 2-D with symbolic moments.

    Returns ``(residual, steps)``: ``residual`` is
    ``(1/2) tr(Hbar S) - (eta/4) E_i E||g_i + H_i DeltaPhi||^2 + (1/(4 eta)) (E||DeltaPhi'||^2 - E||DeltaPhi||^2)``
    expanded, which must be 0 (raises otherwise). Moments: ``m = E DeltaPhi``, ``S``;
    the example drawn is independent of ``DeltaPhi``; ``g_2 = -g_1`` so ``E_i g_i = 0``.
    """
    H1, H2, S = _symmetric("a"), _symmetric("b"), _symmetric("s")
    u, v = sp.symbols("u v", real=True)
    m = sp.Matrix(sp.symbols("m_1 m_2", real=True))
    g = (sp.Matrix([u, v]), sp.Matrix([-u, -v]))
    H = (H1, H2)
    Hb = (H1 + H2) / 2

    def expect_sq(A: sp.Matrix, b: sp.Matrix) -> sp.Expr:
        """``E ||A DeltaPhi + b||^2`` from ``m`` and ``S`` (b constant)."""
        return (A.T * A * S).trace() + 2 * (b.T * A * m)[0] + (b.T * b)[0]

    I2 = sp.eye(2)
    after = sum(expect_sq(I2 - eta * Hi, -eta * gi) for gi, Hi in zip(g, H)) / 2
    before = S.trace()
    model_norm = sum(expect_sq(Hi, gi) for gi, Hi in zip(g, H)) / 2
    lhs = (Hb * S).trace() / 2
    residual = sp.expand(lhs - eta / 4 * model_norm + (after - before) / (4 * eta))
    if residual != 0:
        raise ArithmeticError(f"the Step 3 identity fails: residual {residual}")
    steps = (
        Step(r"E\|\Delta\Phi'\|^2 with \Delta\Phi' = \Delta\Phi - \eta(g_i + H_i\Delta\Phi), i "
             r"uniform on two examples independent of \Delta\Phi, g_2 = -g_1, moments m, S",
             sp.Eq(sp.Symbol(r"E\|\Delta\Phi'\|^2"), sp.factor_terms(sp.expand(after)))),
        Step(r"\frac12 E\Delta\Phi^T\bar H\Delta\Phi - \frac{\eta}{4} E E_i\|g_i + H_i\Delta\Phi\|^2 "
             r"+ \frac{1}{4\eta}(E\|\Delta\Phi'\|^2 - E\|\Delta\Phi\|^2) expands to", residual),
        Step(r"So at stationarity (E\|\Delta\Phi'\|^2 = E\|\Delta\Phi\|^2), exactly at every \eta: "
             r"\frac12 E\Delta\Phi^T\bar H\Delta\Phi = \frac{\eta}{4} E E_i\|g_i + H_i\Delta\Phi\|^2; "
             r"the mean m drops out because E_i g_i = 0 and i is independent of \Delta\Phi",
             sp.Eq(sp.Symbol(r"\frac12 E\Delta\Phi^T\bar H\Delta\Phi"),
                   sp.Symbol(r"\frac{\eta}{4} E E_i\|g_i + H_i\Delta\Phi\|^2"))),
    )
    return residual, steps


@lru_cache(maxsize=None)
def quartic_equipartition() -> tuple[sp.Expr, tuple[Step, ...]]:
    """``dL/deta`` at 0 at the degenerate minimum ``L = Phi^4/4`` with per-example noise of variance G2.

    Per step the update has mean ``-eta L'(Phi)`` and variance ``eta^2 G2`` (the noise
    ``a_i`` does not depend on ``Phi`` here); its zero-flux law (Fokker-Planck, the small-eta
    limit) is ``exp(-2 L / (eta G2))``, and ``E[L] = eta G2 / 8`` (equipartition for a quartic:
    ``E[L] = T/4`` at temperature ``T = eta G2 / 2``).
    """
    x = sp.Symbol("Phi", real=True)
    u = sp.Symbol("u", positive=True)
    loss = x**4 / 4
    m, v = gaussian_moments(-eta * (sp.diff(loss, x) + sp.sqrt(G2) * XI))
    p = sp.Function("p")
    # Zero flux m p - (1/2) d(v p)/dx = 0 with v constant: (log p)' = 2 m / v.
    log_density = sp.integrate(sp.simplify(2 * m / v), x)
    density = sp.exp(log_density)
    if sp.simplify(flux_1d(m, v, density, x)) != 0:
        raise ArithmeticError("the quartic density does not have zero flux")
    # E[L] = int L e^{-L/T} / int e^{-L/T} on the half line, by u = x^4 (even integrands).
    T = sp.simplify(-loss / log_density)
    half = lambda f: sp.integrate(f.subs(x, u ** sp.Rational(1, 4)) * sp.diff(u ** sp.Rational(1, 4), u),
                                  (u, 0, sp.oo))
    mean_loss = sp.simplify(sp.gammasimp(half(loss * density) / half(density)))
    slope = sp.simplify(sp.diff(mean_loss, eta))
    steps = (
        Step("One SGD step at the degenerate minimum, noise a_i of variance G_2 independent of Phi",
             sp.Eq(sp.Symbol(r"\Delta"), -eta * (sp.diff(loss, x) + sp.sqrt(G2) * XI))),
        Step("Per-step mean and variance", sp.Tuple(m, v)),
        Step("Zero flux m p - (1/2)(v p)' = 0 (Fokker-Planck, the small-eta limit of the chain)",
             sp.Eq(p(x), density)),
        Step("A Gibbs law at temperature", sp.Eq(sp.Symbol("T"), T)),
        Step(r"E[\mathcal{L}] under that law, \mathcal{L} = \Phi^4/4 (equipartition: T/4)",
             mean_loss),
        Step(r"Slope at \eta = 0", slope),
    )
    return slope, steps


def reshuffle_partial_sums(g: tuple[sp.Matrix, ...]) -> tuple[sp.Expr, tuple[Step, ...]]:
    """Random reshuffling: ``dL/deta`` at 0 is 0, from the epoch's partial sums of ``g_i``.

    Within an epoch the examples are a uniform random permutation ``pi``; to first order in
    eta, after ``k`` steps ``DeltaPhi = DeltaPhi_0 - eta sum_{l<=k} g_{pi_l} + O(eta DeltaPhi)``.
    The partial sums are enumerated exactly over all ``n!`` orders: their mean square is
    ``k (n - k) / (n - 1) * E_i ||g_i||^2`` (sampling without replacement), bounded in ``k``,
    and 0 at the end of the epoch (``sum_i g_i = 0``). The first-order noise cancels over an
    epoch, so the epoch-to-epoch chain has noise O(eta^2) and contraction ``1 - O(eta)``:
    ``DeltaPhi = O(eta)`` and ``L(eta) - L(Phi*) = O(eta^2)``.
    """
    from itertools import permutations

    n = len(g)
    g2 = sp.nsimplify(sum((gi.T * gi)[0] for gi in g) / n)
    mean_sq = []
    for k in range(1, n + 1):
        total = sp.Integer(0)
        count = 0
        for perm in permutations(range(n)):
            s = sum((g[j] for j in perm[:k]), sp.zeros(g[0].shape[0], 1))
            total += (s.T * s)[0]
            count += 1
        mean_sq.append(sp.nsimplify(total / count))
    formula = [sp.Rational(k * (n - k), n - 1) * g2 for k in range(1, n + 1)]
    if any(sp.simplify(a - b) != 0 for a, b in zip(mean_sq, formula)):
        raise ArithmeticError(f"partial sums {mean_sq} differ from k(n-k)/(n-1) G2 = {formula}")
    steps = (
        Step(r"E_\pi \|\sum_{l \le k} g_{\pi_l}\|^2 for k = 1..n, enumerated over all n! orders",
             sp.Tuple(*mean_sq)),
        Step(r"equal to k(n-k)/(n-1) E_i\|g_i\|^2: bounded, and 0 after a full epoch",
             sp.Tuple(*formula)),
        Step(r"So \Delta\Phi = O(\eta) (no \sqrt\eta random walk), L(\eta) - L(\Phi^*) = O(\eta^2), "
             r"and the slope at \eta = 0 is", sp.Integer(0)),
    )
    return sp.Integer(0), steps
