"""001, "Gradient Flow and SGD": with N = t/eta and eta -> 0, SGD's Phi_N converges to the flow's Phi(t).

The slide: "Take eta -> 0 and N -> oo using N = t/eta. We will show that in this limit for
SGD we have that Phi_N converges to Phi(t) as defined by gradient flow." The statement is
encoded as convergence in mean square: lim E Phi_N - Phi(t) = 0 and lim Var Phi_N = 0.

The derivation (:mod:`derivations.flow_limits`) starts from SGD's update on a finite
training set and also finds the rates the slide leaves implicit: the bias falls like
eta^1 (Euler's error plus the noise's shift of the mean gradient), the spread like
eta^(1/2) (N eta^2 Sigma = eta t Sigma), with coefficients C(t) and V(t) from the
linear-noise ODEs. The simulation runs SGD that draws one training example per step on a
ladder eta = 1/N, N = 10 ... 160, and fits the rates; the mutants are the rates a wrong
argument would give (a spread like eta or eta^(1/4), a bias like eta^(1/2), a diffusion
off by 2). Two training sets: least squares (gradients linear in Phi: exact moments are a
third witness) and a non-quadratic per-example loss (Phi^2 - y_i)^2 / 4.
"""

import sympy as sp

from derivations.experiments.sgd_flow import (LEAST_SQUARES, QUARTIC, flow_limit_witnesses,
                                              flow_quantity_parameters)
from derivations.flow_limits import derive_flow_limit
from derivations.model import Case, Claim, Relation, Source, Statement, Verdict
from derivations.symbols import ETA, PHI
from derivations.tables import entry_scaled, table

QUOTE = (r"Take  $\eta \rightarrow 0$  and  $N \rightarrow \infty$  using  $N = t/\eta$ . We will "
         r"show that in this limit for SGD we have that  $\Phi_N$  converges to  $\Phi(t)$  as "
         r"defined by gradient flow.")

_r = sp.Rational
STEPS = (10, 20, 40, 80, 160)  # eta = 1/N at t = 1
#: Paths per rung. The quartic loss's bias is small against its noise, and its rate's next
#: order is fitted (no exact moments), so it needs more paths to separate a bias ~ eta^(1/2).
SETTINGS = ((LEAST_SQUARES, 2.5, {"quick": 20000, "full": 200000}),
            (QUARTIC, 0.3, {"quick": 100000, "full": 1000000}))


def _case(data, phi0, budgets):
    return Case(name=data.label, derive=lambda: derive_flow_limit(data, phi0, 1.0),
                experiments=flow_limit_witnesses(data, phi0, 1.0, STEPS, budgets),
                assumptions=(f"Phi_init = {phi0}, t = 1", "one training example drawn uniformly per step"))


CLAIM = Claim(
    id="001-sgd-to-flow",
    title="SGD with N = t/eta steps converges to gradient flow as eta -> 0 (bias ~ eta, spread ~ eta^(1/2))",
    source=Source("001_f7b24b47ec34203a.txt", "Gradient Flow and SGD"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE, encoding=table(gap_limit=0, var_limit=0),
        latex_names=None,
        parse_note="a sentence about a limit; encoded as convergence in mean square "
                   "(lim E Phi_N - Phi(t) = 0, lim Var Phi_N = 0)"),
    setting=(PHI, ETA, *flow_quantity_parameters()),
    assumptions=(r"\Phi_{i+1} = \Phi_i - \eta \hat g_i, \hat g_i the gradient of a training example "
                 "drawn uniformly (the slide's SGD)", "N = t/eta, t fixed"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=tuple(_case(d, p, b) for d, p, b in SETTINGS),
    mutants=(entry_scaled("b_spread", 2, "spread ~ eta (exponent x 2)"),
             entry_scaled("b_spread", _r(1, 2), "spread ~ eta^(1/4) (exponent x 1/2)"),
             entry_scaled("a_bias", _r(1, 2), "bias ~ eta^(1/2) (exponent x 1/2)"),
             entry_scaled("var_coef", 2, "diffusion V(t) x 2")),
    expected=Verdict.HOLDS,
    notes=("The slide states the limit; the rates are the derivation's. Var Phi_N = eta V(t) "
           "+ O(eta^2) is also what makes the SGD SDE's noise scale sqrt(eta) (001, 'Gradient Noise')."),
)
