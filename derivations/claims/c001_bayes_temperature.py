"""001, "A Bayesian Interpretation of Langevin Dynamics": "Setting sigma^2 = 1/(2n) gives p_Langevin(Phi) = p(Phi|Train)".

The slide puts p(Phi|Train) = (1/Z) e^(-n L(Phi)) beside p_Langevin(Phi) = (1/Z) exp(-2 L(Phi)/sigma^2).
The exponents agree when 2/sigma^2 = n, i.e. sigma^2 = 2/n; at sigma^2 = 1/(2n) the Langevin
law is exp(-4 n L): the posterior at a quarter of its temperature, too concentrated by a
factor 4 in variance on a quadratic loss.

The derivation does not use the slide's p_Langevin: it takes the Langevin SDE's Euler step
(the deck's "The Langevin SDE") with sigma^2 = 1/(2n), its per-step moments and the
zero-flux Fokker-Planck equation, and finds exp(-4 n L). The simulations run that
Euler-Maruyama chain on a ladder of dt (n = 2) for two losses: the loss of a conjugate
Gaussian model (y_i ~ N(Phi, 1), prior N(0, 1), data y = (1, 1/2)), whose posterior is
exactly Gaussian. On a quadratic loss the Euler-Maruyama chain is AR(1), with an exactly
Gaussian stationary law of known variance at every dt: that closed form bounds the
extrapolation and is the deterministic third witness
(:mod:`derivations.experiments.gaussian_chain`). (With the double well as L, through
:mod:`derivations.experiments.stationary_1d`, the verdict is the same: both witnesses give
exp(-4 n L); it costs some twenty times more, so the catalogue keeps the conjugate model.) Out of scope, the corrected setting sigma^2 = 2/n, where the Langevin law is the
posterior.
"""

import sympy as sp

from derivations.experiments.gaussian_chain import (QuadraticLangevin, QuadraticLangevinExact,
                                                    QuadraticLangevinMC)
from derivations.fokker_planck import XI, zero_flux_density_1d
from derivations.model import (Case, Claim, Derivation, Relation, Source, Statement, Step, Verdict)
from derivations.mutants import temperature_scaled
from derivations.symbols import DT, LOSS, NORMALISER, PHI, L, Phi, Z, dt, integer

QUOTE = (r"Setting  $\sigma^2 = \frac{1}{2n}$  gives $$p_{\text{Langevin}}(\Phi) = p(\Phi|\text{Train})$$")
CORRECTION = (r"\text{Setting } \sigma^2 = \frac{2}{n} \text{ gives } p_{\text{Langevin}}(\Phi) = "
              r"p(\Phi|\text{Train}) \quad (\sigma^2 = \tfrac{1}{2n} \text{ gives } "
              r"\tfrac{1}{Z} e^{-4n\mathcal{L}(\Phi)})")
n = sp.Symbol("n", positive=True, integer=True)
N_DATA = 2
p = sp.Function("p")
POSTERIOR = sp.exp(-n * L(Phi)) / Z


def euler_step(sigma_squared):
    """The Langevin SDE's Euler step, Phi(t + dt) - Phi(t) = -g dt + sigma eps sqrt(dt)."""
    return -sp.diff(L(Phi), Phi) * dt + sp.sqrt(sigma_squared) * XI * sp.sqrt(dt)


def _derive(sigma_squared, note):
    def derive() -> Derivation:
        density, steps = zero_flux_density_1d(euler_step(sigma_squared), Phi, Z, step_name="time step")
        return Derivation(density, (Step(note, sp.Eq(sp.Symbol(r"\sigma^2"), sigma_squared)), *steps),
                          correction_latex=CORRECTION)
    return derive


def conjugate_loss() -> sp.Lambda:
    """The slide's L for y_i ~ N(Phi, 1), prior N(0, 1), y = (1, 1/2): (1/n) sum -ln P - (1/n) ln p."""
    u = sp.Symbol("u", real=True)
    ys = (sp.Integer(1), sp.Rational(1, 2))
    normal_log = lambda v, m: -(v - m) ** 2 / 2 - sp.log(2 * sp.pi) / 2  # noqa: E731
    loss = (sum(-normal_log(y, u) for y in ys) - normal_log(u, 0)) / len(ys)
    return sp.Lambda(u, sp.expand(loss))


def _witnesses(sigma_squared):
    setting = QuadraticLangevin(
        state=Phi, loss_symbol=L, loss=conjugate_loss(),
        sigma_squared=float(sigma_squared.subs(n, N_DATA)), rungs=(0.01, 0.02, 0.03),
        values={n: N_DATA, Z: 1}, budgets={"quick": (2000, 8.0), "full": (20000, 16.0)})
    return (QuadraticLangevinMC(setting), QuadraticLangevinExact(setting))


CLAIM = Claim(
    id="001-bayes-temperature",
    title="sigma^2 = 1/(2n) makes the Langevin law the posterior e^(-n L)/Z: no, it needs sigma^2 = 2/n",
    source=Source("001_f7b24b47ec34203a.txt", "A Bayesian Interpretation of Langevin Dynamics"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE, encoding=sp.Eq(p(Phi), POSTERIOR), latex_names=None,
        parse_note="a setting and an equality of densities in prose; encoded as: at sigma^2 = 1/(2n) "
                   "the Langevin SDE's stationary law equals the slide's posterior (1/Z) e^(-n L)"),
    setting=(PHI, DT, NORMALISER, LOSS, integer(n, "n", "number of training examples", 1, 1000)),
    assumptions=(r"the Langevin SDE \Phi(t+\Delta t) = \Phi(t) - g\Delta t + \sigma\epsilon\sqrt{\Delta t}, g = \mathcal{L}'",
                 r"p(\Phi|\text{Train}) = \frac{1}{Z}e^{-n\mathcal{L}(\Phi)} (the previous slide)"),
    relation=Relation.DENSITY,
    variables=(Phi,),
    cases=(Case("sigma^2 = 1/(2n), as the slide sets it", _derive(1 / (2 * n), "The slide's setting"),
                _witnesses(1 / (2 * n))),
           Case("sigma^2 = 2/n (the corrected setting)", _derive(2 / n, "The corrected setting"),
                _witnesses(2 / n), assumptions=("sigma^2 = 2/n",), in_scope=False)),
    mutants=(temperature_scaled(2), temperature_scaled(sp.Rational(1, 2))),
    expected=Verdict.ERRATUM,
    notes=("-2 L / sigma^2 = -n L needs sigma^2 = 2/n; the slide's 1/(2n) is off by a factor 4 "
           "(perhaps 2/n and 1/(2n) confused). At sigma^2 = 1/(2n) Langevin samples the posterior "
           "at temperature 1/4: on the conjugate model its variance is a quarter of the posterior's."),
)
