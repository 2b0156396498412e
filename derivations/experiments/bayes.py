"""A Bayesian model with a known generative process: the witness of the posterior identities.

The 2023 deck's Bayesian slides write the posterior of Phi given Train = (x_1, y_1), ...,
(x_n, y_n) in several forms. The test model is a one-parameter probit classifier:
``Phi ~ N(0, 1)``, inputs ``x_i`` uniform on {-1, 1/2, 2} (a law free of Phi, as the slides
assume: "The parameters Phi determine P_Phi(y|x)"), labels ``y_i = 1[Phi x_i + xi_i > 0]``
with independent ``xi_i ~ N(0, 1)``, so ``P_Phi(y_i | x_i) = Phi_N((2 y_i - 1) x_i Phi)``.
Observed: x = (2, -1, 1/2), y = (1, 0, 0).

:class:`PosteriorRejection` samples the posterior by rejection from the generative process
(:func:`numerics.rejection.probit_rejection`): no density is evaluated. It measures
``E[Phi | Train]`` and ``E[Phi^2 | Train]`` and predicts them for every hypothesis (a
density in Phi with the claim's function symbols) by quadrature, after making the symbols
concrete with :data:`MODEL_FUNCTIONS`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import sympy as sp

from numerics.quadrature import DensityNotNormalisable, expectations_1d
from numerics.rates import jackknife_means
from numerics.rejection import probit_rejection

from ..codegen import concrete
from ..model import ExperimentResult, Measurement

__all__ = ["X_SUPPORT", "OBS_X", "OBS_Y", "PRIOR_SD", "prior_density", "example_likelihood",
           "joint_likelihood", "PosteriorRejection", "N_EXAMPLES", "BUDGETS"]

#: (chains, attempts per chain): about 1 in 220 attempts is accepted.
BUDGETS = {"quick": (64, 40000), "full": (256, 400000)}

X_SUPPORT = (sp.Integer(-1), sp.Rational(1, 2), sp.Integer(2))
OBS_X = (2, 0, 1)  # indices into X_SUPPORT: x = (2, -1, 1/2)
OBS_Y = (1, 0, 0)
PRIOR_SD = 1
N_EXAMPLES = len(OBS_X)
_u = sp.Symbol("u", real=True)


def prior_density() -> sp.Lambda:
    return sp.Lambda(_u, sp.exp(-_u**2 / (2 * PRIOR_SD**2)) / (PRIOR_SD * sp.sqrt(2 * sp.pi)))


def example_likelihood(i: int) -> sp.Lambda:
    """``P_Phi(y_i | x_i) = Phi_N((2 y_i - 1) x_i Phi)`` of the probit model.

    Written with erfc, ``Phi_N(z) = erfc(-z / sqrt 2) / 2``, which keeps its relative
    accuracy in the far tail (``(1 + erf)/2`` cancels to 0 there and its log fails).
    """
    x, y = X_SUPPORT[OBS_X[i]], OBS_Y[i]
    z = (2 * y - 1) * x * _u
    return sp.Lambda(_u, sp.erfc(-z / sp.sqrt(2)) / 2)


def _safe_log(v: float) -> float:
    return math.log(v) if v > 0 else -math.inf


def joint_likelihood() -> sp.Lambda:
    """``P_Phi(y_1..y_n | x_1..x_n)``: independent examples given Phi, so the product."""
    return sp.Lambda(_u, sp.Mul(*(example_likelihood(i)(_u) for i in range(N_EXAMPLES))))


@dataclass(frozen=True)
class PosteriorRejection:
    """Rejection samples of the posterior; predictions by quadrature of each hypothesis.

    ``functions`` makes the claim's function symbols concrete (Lambdas of one variable),
    ``constants`` are symbols free of Phi (normalisers, p(x_1..x_n), ...) set to 1.
    """

    state: sp.Symbol
    functions: Mapping[sp.FunctionClass, sp.Lambda]
    constants: tuple[sp.Symbol, ...]
    budgets: Mapping[str, tuple[int, int]]  # budget -> (chains, attempts per chain)
    name: str = "rejection sampling from the generative model"
    kind: str = "monte-carlo"

    def _predict(self, expr: sp.Basic) -> list[float] | None:
        e = concrete(expr, {c: 1 for c in self.constants}, self.functions)
        log_density = sp.expand_log(sp.log(e), force=True)
        # A likelihood factor can underflow to 0 far in the tail; its log is then -inf (density 0).
        f = np.vectorize(sp.lambdify(self.state, log_density, modules=[{"log": _safe_log}, "math"]),
                         otypes=[float])
        try:
            return expectations_1d(f, [lambda v: v, lambda v: v * v], (-4.0, 4.0))
        except (DensityNotNormalisable, ValueError, OverflowError):
            return None

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        if budget not in self.budgets:
            raise ValueError(f"budget={budget!r} must be one of {sorted(self.budgets)}")
        chains, attempts = self.budgets[budget]
        start = time.perf_counter()
        xs = np.array([float(v) for v in X_SUPPORT])
        draws = probit_rejection(xs, OBS_X, OBS_Y, prior_sd=float(PRIOR_SD), chains=chains,
                                 attempts=attempts, seed=seed)
        preds = {label: self._predict(h) for label, h in hypotheses.items()}
        if preds.get("derived") is None:
            raise ValueError("the derived posterior does not normalise under the test model")
        feats = np.column_stack([draws, draws * draws])
        out = []
        for j, name in enumerate(("E[Phi | Train]", "E[Phi^2 | Train]")):
            est = jackknife_means(feats, lambda m, j=j: m[j], 128)
            out.append(Measurement(name, est.value, est.se, est.method + f" ({draws.size} accepted draws)",
                                   {k: (math.nan if v is None else v[j]) for k, v in preds.items()}))
        setup = {"model": "Phi ~ N(0,1); x_i uniform on {-1, 1/2, 2}; y_i = 1[Phi x_i + xi_i > 0]",
                 "observed x": [str(X_SUPPORT[i]) for i in OBS_X], "observed y": list(OBS_Y),
                 "chains": chains, "attempts per chain": attempts, "accepted": int(draws.size),
                 "acceptance rate": draws.size / (chains * attempts), "seed": seed,
                 "not normalisable": [k for k, v in preds.items() if v is None]}
        return ExperimentResult(tuple(out), setup, (), time.perf_counter() - start, chains * attempts)
