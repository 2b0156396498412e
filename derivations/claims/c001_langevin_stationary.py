"""001, "The Langevin Stationary Distribution": the Langevin SDE's stationary law is Gibbs at temperature sigma^2 / 2.

The slide solves its flow balance (1/2) sigma^2 p' = -p L' to
p(Phi) = (1/Z) exp(-2 L(Phi) / sigma^2). The derivation starts from the SDE's Euler step
Phi(t + dt) = Phi(t) - g dt + sigma eps sqrt(dt) (the deck's "The Langevin SDE"), takes
its per-step moments and solves the zero-flux Fokker-Planck equation. The simulations run
that Euler-Maruyama step on a ladder of dt at fixed sigma and extrapolate to dt -> 0.
"""

import sympy as sp

from derivations.experiments.settings import double_well, quadratic
from derivations.experiments.stationary_1d import (MonteCarloBudget, StationarySpec1D,
                                                   stationary_witnesses)
from derivations.fokker_planck import XI, zero_flux_density_1d
from derivations.model import (Claim, Derivation, Relation, Source, Statement, Verdict,
                               single_case)
from derivations.mutants import temperature_scaled
from derivations.symbols import DT, LOSS, NORMALISER, PHI, SIGMA, L, Phi, Z, dt, sigma

p = sp.Function("p")

QUOTE = r"p(\Phi) = \frac{1}{Z} \exp\left(\frac{-2\mathcal{L}(\Phi)}{\sigma^2}\right)"

#: The Langevin SDE's Euler step, as the deck writes it on "The Langevin SDE".
EULER_STEP = -sp.diff(L(Phi), Phi) * dt + sigma * XI * sp.sqrt(dt)


def derive() -> Derivation:
    density, steps = zero_flux_density_1d(EULER_STEP, Phi, Z, step_name="time step")
    return Derivation(density, steps)


def _spec(label, loss):
    # sigma^2 = 1/2: temperature sigma^2/2 = 1/4, as in the SGD experiments.
    return StationarySpec1D(
        label=label, update=EULER_STEP, state=Phi, functions={L: loss},
        rungs=tuple({dt: h, sigma: 0.5**0.5} for h in (0.01, 0.02, 0.03)), ladder=dt,
        observables=(Phi**2, Phi**4),
        budgets={"quick": MonteCarloBudget(2000, 8), "full": MonteCarloBudget(20000, 16)})


CLAIM = Claim(
    id="001-langevin-stationary",
    title="The Langevin SDE's stationary law is Gibbs with temperature sigma^2/2",
    source=Source("001_f7b24b47ec34203a.txt", "The Langevin Stationary Distribution"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE,
        encoding=sp.Eq(p(Phi), sp.exp(-2 * L(Phi) / sigma**2) / Z),
        latex_names={r"\mathcal{L}": "L"}),
    setting=(PHI, SIGMA, DT, NORMALISER, LOSS),
    assumptions=(r"\Phi(t+\Delta t) = \Phi(t) - g(\Phi)\Delta t + \sigma\epsilon\sqrt{\Delta t}, "
                 r"\epsilon \sim N(0, 1), in one dimension",
                 r"g = \mathcal{L}'; \sigma constant"),
    relation=Relation.DENSITY,
    variables=(Phi,),
    cases=single_case(derive, [
        *stationary_witnesses(_spec("Euler-Maruyama on the double well (Phi^2-1)^2/4", double_well())),
        *stationary_witnesses(_spec("Euler-Maruyama on the quadratic Phi^2/2", quadratic())),
    ]),
    mutants=(temperature_scaled(2), temperature_scaled(sp.Rational(1, 2))),
    expected=Verdict.HOLDS,
)
