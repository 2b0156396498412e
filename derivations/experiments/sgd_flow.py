"""SGD on a finite training set against gradient flow: the setting, its derived limits, its witnesses.

A :class:`TrainingSet` is a list of per-example losses ``l_i(Phi)`` (sympy polynomials in
one parameter). From them, once, in sympy:

- the mean gradient ``g = (1/n) sum l_i'`` and the per-example gradient variance
  ``Sigma(Phi) = (1/n) sum (l_i' - g)^2``;
- the kernel's data: each example's gradient as a coefficient array
  (:func:`numerics.paths_1d.run_data_sgd` draws one example per step);
- the leading-order behaviour of SGD with ``N = t / eta`` steps (the linear-noise
  expansion of the one-step moments ``E[dPhi] = -eta g``, ``Var[dPhi] = eta^2 Sigma``):
  ``E Phi_N = Phi(t) + eta C(t) + O(eta^2)`` and ``Var Phi_N = eta V(t) + O(eta^2)`` with

      Phi' = -g(Phi),   V' = -2 g'(Phi) V + Sigma(Phi),
      C'   = -g'(Phi) C - (1/2) g'(Phi) g(Phi) - (1/2) g''(Phi) V,

  all from ``Phi(0) = Phi_init``, ``V(0) = C(0) = 0``. The three terms of ``C'`` are the
  propagated error, Euler's local error ``-(eta^2/2) Phi''`` per step with
  ``Phi'' = g' g``, and the noise's shift of the mean gradient ``(1/2) g'' Var``.
  These ODEs are integrated numerically (classical RK4, 1000 steps per unit time: error
  ~1e-12, far below any standard error here).

For losses whose gradients are linear in ``Phi`` (least squares), SGD's mean and second
moment obey exact linear recursions at every finite ``eta``; :meth:`TrainingSet.exact_moments`
runs them, which gives a deterministic third witness.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import sympy as sp

from numerics.paths_1d import run_data_sgd

from ..codegen import polynomial_coefficients

__all__ = ["TrainingSet", "rk4", "LEAST_SQUARES", "QUARTIC", "FLOW_QUANTITIES",
           "flow_quantity_parameters", "flow_limit_witnesses"]


def rk4(rhs, y0, t: float, steps: int) -> np.ndarray:
    """Classical Runge-Kutta for ``y' = rhs(y)`` (autonomous) from 0 to ``t``."""
    y = np.array(y0, dtype=float)
    h = t / steps
    for _ in range(steps):
        k1 = rhs(y)
        k2 = rhs(y + 0.5 * h * k1)
        k3 = rhs(y + 0.5 * h * k2)
        k4 = rhs(y + h * k3)
        y = y + (h / 6.0) * (k1 + 2 * k2 + 2 * k3 + k4)
    return y


@dataclass(frozen=True)
class TrainingSet:
    """Per-example losses of one parameter ``state``; SGD draws one example per step."""

    label: str
    losses: tuple[sp.Expr, ...]
    state: sp.Symbol

    def __post_init__(self):
        if len(self.losses) < 2:
            raise ValueError(f"{self.label}: a training set needs >= 2 examples")

    @cached_property
    def gradients(self) -> tuple[sp.Expr, ...]:
        return tuple(sp.expand(sp.diff(l, self.state)) for l in self.losses)

    @cached_property
    def mean_gradient(self) -> sp.Expr:
        return sp.expand(sum(self.gradients) / len(self.gradients))

    @cached_property
    def noise_variance(self) -> sp.Expr:
        """``Sigma(Phi)``: the variance over examples of the per-example gradient."""
        g = self.mean_gradient
        return sp.expand(sum((gi - g) ** 2 for gi in self.gradients) / len(self.gradients))

    @cached_property
    def coefficients(self) -> np.ndarray:
        """``(examples, degree + 1)``: each example's gradient, lowest degree first."""
        rows = [polynomial_coefficients(gi, self.state, f"gradient of example {i}")
                for i, gi in enumerate(self.gradients)]
        width = max(r.size for r in rows)
        return np.array([np.pad(r, (0, width - r.size)) for r in rows])

    @property
    def is_linear(self) -> bool:
        return self.coefficients.shape[1] <= 2

    def _numeric(self):
        x = self.state
        g = self.mean_gradient
        f = [sp.lambdify(x, e, "math") for e in (g, sp.diff(g, x), sp.diff(g, x, 2), self.noise_variance)]
        return f

    def leading_order(self, phi0: float, t: float) -> dict[str, float]:
        """``Phi(t)``, ``V(t)`` and ``C(t)`` of the expansion (module docstring)."""
        g, g1, g2, sig = self._numeric()

        def rhs(y):
            p, v, c = y
            return np.array([-g(p), -2 * g1(p) * v + sig(p),
                             -g1(p) * c - 0.5 * g1(p) * g(p) - 0.5 * g2(p) * v])

        p, v, c = rk4(rhs, [phi0, 0.0, 0.0], t, max(1000, int(1000 * t)))
        return {"flow": float(p), "V": float(v), "C": float(c)}

    def flow(self, phi0: float, t: float) -> float:
        return self.leading_order(phi0, t)["flow"]

    def simulate(self, etas: np.ndarray, phi0: float, paths: int, seed: int) -> np.ndarray:
        """``Phi`` after the schedule ``etas`` for ``paths`` independent SGD runs."""
        return run_data_sgd(self.coefficients, etas, x0=np.full(paths, float(phi0)),
                            checkpoints=[len(etas)], seed=seed)[:, 0]

    def exact_moments(self, etas: np.ndarray, phi0: float) -> tuple[float, float]:
        """Exact mean and variance after the schedule (linear gradients only).

        With ``ghat_i = X_i Phi - Y_i``: ``Phi' = (1 - eta X) Phi + eta Y`` with ``(X, Y)``
        drawn independently of ``Phi``, so ``E Phi' = (1 - eta EX) m + eta EY`` and
        ``E Phi'^2 = E(1 - eta X)^2 s + 2 eta E[(1 - eta X) Y] m + eta^2 E Y^2``.
        """
        if not self.is_linear:
            raise ValueError(f"{self.label}: exact moments need gradients linear in {self.state}")
        c = self.coefficients
        X, Y = c[:, 1] if c.shape[1] > 1 else np.zeros(len(c)), -c[:, 0]
        m, s = float(phi0), float(phi0) ** 2
        for eta in etas:
            a = 1.0 - eta * X
            m, s = (float(np.mean(a)) * m + eta * float(np.mean(Y)),
                    float(np.mean(a * a)) * s + 2 * eta * float(np.mean(a * Y)) * m
                    + eta**2 * float(np.mean(Y * Y)))
        return m, s - m * m


# --- the witnesses of "SGD with N = t/eta steps converges to gradient flow" -----------------

#: The quantities a flow-limit table holds, with LaTeX and meaning (declared in claims' settings).
FLOW_QUANTITIES = {
    "gap_limit": (r"\lim_{\eta\to 0} E\Phi_N - \Phi(t)", "limit of SGD's mean minus the flow"),
    "var_limit": (r"\lim_{\eta\to 0} \mathrm{Var}\,\Phi_N", "limit of SGD's variance"),
    "a_bias": (r"a", "exponent of the bias: |E Phi_N - Phi(t)| ~ eta^a"),
    "b_spread": (r"b", "exponent of the spread: sd(Phi_N) ~ eta^b"),
    "bias_coef": (r"C(t)", "lim (E Phi_N - Phi(t)) / eta"),
    "var_coef": (r"V(t)", "lim Var(Phi_N) / eta"),
}


def flow_quantity_parameters(keys=tuple(FLOW_QUANTITIES)) -> tuple:
    from ..tables import declare

    return tuple(declare(k, *FLOW_QUANTITIES[k]) for k in keys)


def flow_limit_witnesses(data: TrainingSet, phi0: float, t: float, steps: tuple[int, ...],
                         budgets: dict, keys=tuple(FLOW_QUANTITIES)) -> tuple:
    """Monte Carlo (and, for linear gradients, exact) witnesses on the ladder ``eta = t / N``.

    Observables by key: ``gap_limit`` (E Phi_N - Phi(t), extrapolated), ``var_limit``,
    ``a_bias`` and ``b_spread`` (exponents in eta), ``bias_coef`` and ``var_coef``
    ((E Phi_N - Phi(t)) / eta and Var / eta, extrapolated).
    """
    from .ladder import (ExactLadder, LadderExperiment, LadderObservable, mean_stat, sd_stat,
                         var_stat)

    flow = data.flow(phi0, t)
    gap = mean_stat(transform=lambda m, h: m - flow)
    stats = {
        "gap_limit": LadderObservable("gap_limit", "E Phi_N - Phi(t)", "limit", gap),
        "var_limit": LadderObservable("var_limit", "Var Phi_N", "limit", var_stat()),
        "a_bias": LadderObservable("a_bias", "E Phi_N - Phi(t)", "exponent", gap),
        "b_spread": LadderObservable("b_spread", "sd Phi_N", "exponent", sd_stat()),
        "bias_coef": LadderObservable("bias_coef", "(E Phi_N - Phi(t)) / eta", "limit",
                                      mean_stat(transform=lambda m, h: (m - flow) / h)),
        "var_coef": LadderObservable("var_coef", "Var Phi_N / eta", "limit", var_stat(per=lambda h: h)),
    }
    observables = tuple(stats[k] for k in keys)
    rungs = tuple(t / n for n in steps)

    def simulate(eta, paths, seed):
        return data.simulate(np.full(int(round(t / eta)), eta), phi0, paths, seed)

    setup = {"process": f"SGD on {data.label}, one example per step",
             "per-example gradients": [sp.sstr(gi) for gi in data.gradients],
             "Phi_init": phi0, "t": t, "N": list(steps), "flow Phi(t)": flow}
    mc = LadderExperiment(f"Monte Carlo: SGD on {data.label}", "eta", rungs, simulate, observables,
                          budgets, setup, steps_per_replicate=lambda eta: int(round(t / eta)))
    if not data.is_linear:
        return (mc,)

    def exact(eta):
        m, v = data.exact_moments(np.full(int(round(t / eta)), eta), phi0)
        return {"gap_limit": m - flow, "var_limit": v, "a_bias": m - flow, "b_spread": v**0.5,
                "bias_coef": (m - flow) / eta, "var_coef": v / eta}

    fine = tuple(t / n for n in (4 * steps[-1], 2 * steps[-1], steps[-1]))
    return (mc, ExactLadder(f"exact moment recursion: SGD on {data.label}", "eta", fine, exact,
                            observables, setup))


# --- standard training sets (one parameter Phi) ------------------------------------------------

def _training_sets():
    from ..symbols import Phi

    r = sp.Rational
    least_squares = TrainingSet(
        "least squares (x_i Phi - y_i)^2/2, 8 examples",
        tuple((r(xv) * Phi - r(yv)) ** 2 / 2 for xv, yv in zip(
            "0.8 0.9 1.0 1.1 1.2 0.95 1.05 1.0".split(), "0.7 0.2 0.5 0.8 0.3 0.6 0.4 0.5".split())),
        Phi)
    quartic = TrainingSet(
        "(Phi^2 - y_i)^2/4, 8 examples",
        tuple((Phi**2 - r(yv)) ** 2 / 4 for yv in "0.85 1.15 0.9 1.1 1.0 0.95 1.05 1.0".split()),
        Phi)
    return least_squares, quartic


#: Least squares, l_i = (x_i Phi - y_i)^2 / 2: gradients linear in Phi (exact moments exist).
#: A non-quadratic loss, l_i = (Phi^2 - y_i)^2 / 4: mean gradient Phi^3 - Phi, noise ~ Phi^2.
LEAST_SQUARES, QUARTIC = _training_sets()
