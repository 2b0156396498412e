"""000, " Stationary Distributions": under Langevin dynamics the stationary distribution is a continuous density.

The slide (OCR): "SGD at B = 1 defines a Markov process ... Under Langevin dynamics the
stationary distribution is a continuous density in parameter space." (Its next sentence,
the Gibbs law for isotropic covariance, is another claim.) Encoded by the correlation
dimension a bounded density has: D_2 = 1. Derivation: the Langevin SDE dPhi = -L'(Phi) dt
+ sigma dB with sigma > 0 has the zero-flux stationary density p ~ exp(-2 L / sigma^2)
(Fokker-Planck; smooth, bounded, positive), so C(eps) = 2 eps int p^2 (1 + O(eps^2)) and
D_2 = 1. Simulation: Euler-Maruyama chains (Gaussian increments: every step has a density)
on a quadratic and on a double well, the correlation dimension of their stationary draws.
Outside the slide's model, SGD itself on two training examples at eta h = 3/4 is the
contraction Phi' = Phi/4 +- 3/4, whose stationary law is a Cantor-like singular measure
with D_2 = log 2 / log 4 = 1/2: the density is a property of the Langevin model, not of
finite-data SGD at finite eta.
"""

import math
from functools import lru_cache

import numpy as np
import sympy as sp

from derivations.codegen import concrete, update_polynomials
from derivations.experiments.dimension import DimensionSpec, MonteCarloDimension
from derivations.experiments.settings import double_well, quadratic
from derivations.experiments.training_sets import pm_one_quadratic_1d
from derivations.fokker_planck import XI, zero_flux_density_1d
from derivations.model import (Case, Claim, Confidence, Derivation, Reconstruction, Relation,
                               Source, Statement, Step, Verdict)
from derivations.mutants import scaled
from derivations.symbols import DT, SIGMA, L, Z, dt, positive, sigma, x
from numerics.chains_1d import run_chains_1d
from numerics.finite_sum import run_finite_sum

QUOTE = "Under Langevin dynamics the stationary distribution is a con-\ntinuous density in parameter space."
D2 = sp.Symbol("D_2", positive=True)
CHAINS = {"quick": 8192, "full": 65536}
EULER = -sp.diff(L(x), x) * dt + sigma * XI * sp.sqrt(dt)
#: sigma^2 = 1/2 (temperature 1/4), dt = 0.05: relaxation ~1 (quadratic) to ~5.3 (double well).
RUNG = {dt: 0.05, sigma: math.sqrt(0.5)}


def _langevin_steps(relaxation_time: float) -> int:
    """16 relaxation times of burn-in (the start spread's memory decays like e^-16)."""
    return int(math.ceil(16 * relaxation_time / RUNG[dt]))


def _langevin_sampler(loss: sp.Lambda, relaxation_time: float):
    F, S = update_polynomials(concrete(EULER, RUNG, {L: loss}), x, XI)
    steps = _langevin_steps(relaxation_time)

    def sample(seed: int, chains: int) -> np.ndarray:
        x0 = np.linspace(-1.5, 1.5, chains)
        return run_chains_1d(F, S, a=1.0, b=1.0, x0=x0, n_steps=steps, burn_in=steps - 1,
                             seed=seed, n_moments=1).final
    return sample


def _sgd_sampler(seed: int, chains: int) -> np.ndarray:
    # 40 contractions by 1/4 leave 4^-40 ~ 1e-24 of the start: below double precision.
    p = pm_one_quadratic_1d()
    run = run_finite_sum(p.gradient_polynomials(), p.observable_polynomials([p.state[0]]),
                         x0=np.zeros((chains, 1)), eta=np.full(40, 0.75), seed=seed)
    return run.final[:, 0]


@lru_cache(maxsize=None)
def derive_langevin() -> Derivation:
    _, steps = zero_flux_density_1d(EULER, x, Z, step_name="time step")
    return Derivation(sp.Integer(1), steps + (
        Step(r"p is smooth and bounded: C(\epsilon) = 2\epsilon\int p^2 (1 + O(\epsilon^2)), "
             r"so the correlation dimension is", sp.Integer(1)),
    ))


def derive_sgd() -> Derivation:
    lam = sp.Rational(1, 4)
    d2 = sp.log(2) / sp.log(1 / lam)
    return Derivation(sp.simplify(d2), (
        Step(r"SGD on (\Phi \mp 1)^2/2 at \eta = 3/4: \Phi' = \Phi/4 \pm 3/4, each with probability 1/2",
             sp.Symbol(r"\lambda") - lam),
        Step(r"the stationary law is self-similar: two copies scaled by 1/4, weight 1/2 each, a gap "
             r"of 1 between them, so C(\epsilon/4) = C(\epsilon)/2 for \epsilon \le 1 and "
             r"D_2 = log 2 / log 4 =", sp.simplify(d2)),
    ))


CLAIM = Claim(
    id="000-langevin-density",
    title="Under Langevin dynamics the stationary law has a continuous density",
    source=Source("000_9b52c8c934a61faf.txt", "Stationary Distributions", line=233),
    statement=Statement(
        quote=QUOTE, latex=r"p_\infty(\Phi) \text{ is a continuous density} \quad (D_2 = 1)",
        encoding=sp.Eq(D2, 1),
        reconstruction=Reconstruction(
            note=("OCR prose, clean but hyphenated across a line break ('con-tinuous'). A "
                  "proposition, encoded by the correlation dimension D_2 = 1 that a bounded density has."),
            confidence=Confidence.HIGH),
        latex_names=None, parse_note="prose; encoded as the correlation dimension"),
    setting=(positive(D2, "D_2", "correlation dimension of the stationary law", (0.1, 2.0)),
             SIGMA, DT),
    assumptions=(r"Langevin dynamics d\Phi = -\mathcal{L}'(\Phi) dt + \sigma dB, \sigma > 0, "
                 r"\mathcal{L} smooth and confining", "one dimension"),
    relation=Relation.IDENTITY,
    variables=(),
    cases=(
        Case("Langevin, quadratic loss", derive_langevin, (MonteCarloDimension(DimensionSpec(
            "Euler-Maruyama, L = Phi^2/2, sigma^2 = 1/2, dt = 0.05", _langevin_sampler(quadratic(), 1.0),
            _langevin_steps(1.0), 0.1, 8, {}, CHAINS)),)),
        Case("Langevin, double well", derive_langevin, (MonteCarloDimension(DimensionSpec(
            "Euler-Maruyama, L = (Phi^2 - 1)^2/4, sigma^2 = 1/2, dt = 0.05",
            _langevin_sampler(double_well(), 5.3), _langevin_steps(5.3), 0.1, 8, {}, CHAINS)),)),
        Case("SGD on two examples at eta h = 3/4", derive_sgd, (MonteCarloDimension(DimensionSpec(
            "SGD on (Phi -+ 1)^2/2, eta = 3/4", _sgd_sampler, 40, 0.5, 8, {}, CHAINS)),),
            assumptions=("finite-data SGD at finite eta, not the Langevin model",), in_scope=False),
    ),
    mutants=(scaled(sp.Rational(1, 2)), scaled(sp.Rational(3, 4))),
    expected=Verdict.HOLDS,
    notes=("Holds for the Langevin model. The SGD chain it models need not have a density: with "
           "two examples and eta h = 3/4 its stationary law is a Cantor-like measure "
           "(correlation dimension 1/2). 'SGD at B = 1 defines a Markov process' on the same "
           "slide is true by construction (a fresh example each step) and is not simulated."),
    tags=("mcmc",),
)
