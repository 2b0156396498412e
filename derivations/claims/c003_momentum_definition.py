"""003, "Momentum": the slide's update is Polyak's heavy ball with beta = 1 - 1/N, steps -> N eta g.

The slide: v_t = (1 - 1/N) v_{t-1} + eta * g_hat_t, Phi_{t+1} = Phi_t - v_t. Calling it
momentum asserts, implicitly, that it is Polyak's heavy-ball method (Polyak 1964)

    Phi_{t+1} = Phi_t - a g_hat_t + beta (Phi_t - Phi_{t-1})

with momentum coefficient beta = 1 - 1/N and step size a = eta (the coefficients the slide's
velocity recurrence carries), read here as the pair (beta, a).

Derivation: v_t = Phi_t - Phi_{t+1} and v_{t-1} = Phi_{t-1} - Phi_t (the position update at
t and t - 1) substituted into the velocity recurrence, solved for Phi_{t+1} (sympy), give
the heavy-ball form; beta and a are read off as coefficients, and the remaining terms must
vanish. The identity is then proved pathwise: both forms iterated for symbolic N, eta and
gradients g_1..g_6 (heavy ball started at rest, Phi_0 = Phi_1, the counterpart of v_0 = 0)
give the same Phi_1..Phi_7. For a gradient of constant mean g the step
Phi_t - Phi_{t+1} = v_t has mean m_t = beta m_{t-1} + a g, m_0 = 0 (linearity of E), so
(rsolve) E[step_t] = a g (1 - beta^t)/(1 - beta) = N eta g (1 - (1 - 1/N)^t), which tends to
the terminal step N eta g (limit t -> oo for N > 1): momentum multiplies the step by N.

Simulation: the slide's velocity recurrence runs on many gradient sequences of constant
mean g with noise (Student t heavy tails at N = 10, Gaussian at N = 100); it measures the
mean step E[step_t]/(eta g) at three t, the step variance, and the mean square difference
between the slide's steps and those of the heavy-ball recurrence built from the derived
coefficients, on the same draws. Mutants: N - 1 or 2N in place of N, and the running-average
gain eta/N (a step tending to eta g, momentum's factor N forgotten).
"""

from functools import lru_cache

import sympy as sp

from derivations.experiments.averages_settings import DECK, N_PARAM, budgets, constant, heavy_tailed
from derivations.experiments.running_averages import (Filter, FilterSpec, Mean, MeanSquareDifference,
                                                      Variance, filter_witnesses)
from derivations.model import (Case, Claim, Comparison, Derivation, Equivalence, Mutant, Relation,
                               Source, Statement, Step, Verdict)
from derivations.recurrences import LinearRecurrence, N, momentum_velocity, numeric, t
from derivations.symbols import ETA, eta

QUOTE = (r"v_t = \left(1 - \frac{1}{N}\right) v_{t-1} + \eta * \hat{g}_t$$" "\n\n"
         r"$$\Phi_{t+1} = \Phi_t - v_t")
PHI, V, G_HAT = sp.Function("Phi"), sp.Function("v"), sp.Function("g_hat")
#: The slide's coefficients read as Polyak's (momentum coefficient beta, step size a).
STATED = sp.Tuple(1 - 1 / N, eta)
ENCODING = sp.Tuple(sp.Eq(V(t), (1 - 1 / N) * V(t - 1) + eta * G_HAT(t)), sp.Eq(PHI(t + 1), PHI(t) - V(t)))

_b, _a = sp.symbols("beta a", positive=True)
_g, _sd = sp.Symbol("g", real=True), sp.Symbol("sigma", positive=True)
_k = sp.Symbol("k", integer=True, nonnegative=True)
_PATH_STEPS = 6


def _heavy_ball_coefficients():
    """Eliminate v: (beta, a, what is left over) with Phi_{t+1} = Phi_t - a g_t + beta (Phi_t - Phi_{t-1}) + rest."""
    nxt = sp.Symbol("Phi_next")
    v_t, v_prev = PHI(t) - nxt, PHI(t - 1) - PHI(t)
    solved = sp.expand(sp.solve(sp.Eq(v_t, momentum_velocity(N, eta).step(v_prev, G_HAT(t))), nxt)[0])
    beta, a = sp.factor(-solved.coeff(PHI(t - 1))), sp.factor(-solved.coeff(G_HAT(t)))
    rest = sp.simplify(solved - (PHI(t) - a * G_HAT(t) + beta * (PHI(t) - PHI(t - 1))))
    return solved, beta, a, rest


def _pathwise_differences(beta, a):
    """Phi_k of the slide's update minus Phi_k of the heavy ball, k = 1..T+1, symbolic gradients."""
    gs, start = sp.symbols(f"g_1:{_PATH_STEPS + 1}"), sp.Symbol("Phi_1")
    vel = momentum_velocity(N, eta)
    slide, v = [start], sp.Integer(0)
    for g in gs:
        v = vel.step(v, g)
        slide.append(slide[-1] - v)
    ball = [start, start]  # Phi_0 = Phi_1: at rest, as v_0 = 0
    for g in gs:
        ball.append(ball[-1] - a * g + beta * (ball[-1] - ball[-2]))
    return [sp.simplify(p - q) for p, q in zip(slide, ball[1:])]


@lru_cache(maxsize=1)
def mean_step() -> sp.Expr:
    """E[step_t] for a heavy ball (beta, a) and gradients of mean g: m_t = beta m_{t-1} + a g, m_0 = 0."""
    m = sp.Function("m")
    return sp.factor(sp.rsolve(m(t) - _b * m(t - 1) - _a * _g, m(t), {m(0): 0}))


@lru_cache(maxsize=1)
def step_variance() -> sp.Expr:
    """Var[step_t] for iid gradient noise of variance sigma^2: a^2 sigma^2 sum_k beta^(2k)."""
    total = sp.summation((_b**2) ** _k, (_k, 0, t - 1))
    total = total.args[-1][0] if isinstance(total, sp.Piecewise) else total  # beta != 1
    return sp.factor(_a**2 * _sd**2 * total)


@lru_cache(maxsize=1)
def derive() -> Derivation:
    solved, beta, a, rest = _heavy_ball_coefficients()
    paths = _pathwise_differences(beta, a)
    step = sp.simplify(mean_step().subs({_b: beta, _a: a}))
    M = sp.Symbol("M", positive=True)  # beta = 1/(1 + M) in (0, 1), as 1 - 1/N is for N > 1
    limit = sp.limit(mean_step().subs(_b, 1 / (1 + M)), t, sp.oo).subs(M, 1 / _b - 1)
    terminal = sp.simplify(limit.subs({_b: beta, _a: a}))
    # Written as terminal x (1 - ...) for reading; a product, so nothing is assumed of its form.
    step = sp.Mul(terminal, sp.powsimp(sp.expand(step / terminal), force=True), evaluate=False)
    same = all(sp.simplify(d - s) == 0 for d, s in zip((beta, a), STATED))
    ok = rest == 0 and all(p == 0 for p in paths) and same
    steps = (Step("v_t = Phi_t - Phi_{t+1} and v_{t-1} = Phi_{t-1} - Phi_t in the velocity recurrence, "
                  "solved for Phi_{t+1}", sp.Eq(PHI(t + 1), solved)),
             Step("Heavy-ball momentum coefficient beta = -(coefficient of Phi_{t-1})", beta),
             Step("Heavy-ball step size a = -(coefficient of g_hat_t)", a),
             Step("Left over after Phi_t - a g_hat_t + beta (Phi_t - Phi_{t-1})", rest),
             Step(f"Pathwise: slide's Phi_k minus heavy ball's (Phi_0 = Phi_1), k = 1..{_PATH_STEPS + 1}, "
                  "symbolic N, eta, gradients", sp.Tuple(*paths)),
             Step("Mean step of a heavy ball (beta, a) for gradients of mean g: m_t = beta m_{t-1} + a g, "
                  "m_0 = 0 (rsolve)", mean_step()),
             Step("With the derived beta, a: E[Phi_t - Phi_{t+1}]", step),
             Step("Terminal step of a heavy ball, t -> oo (0 < beta < 1)", sp.simplify(limit)),
             Step("With the derived beta, a (N > 1)", terminal),
             Step("Step variance for iid noise of variance sigma^2", step_variance()))
    detail = (f"Phi_(t+1) = Phi_t - ({a}) g_hat_t + ({beta}) (Phi_t - Phi_(t-1)), equal to the slide's update "
              f"for every gradient sequence; E step_t = {step}, tending to {terminal}")
    return Derivation(sp.Tuple(beta, a), steps, Comparison(
        Equivalence.PROVED if ok else Equivalence.REFUTED,
        "elimination of v (solve), coefficients against (1 - 1/N, eta), pathwise iteration", detail))


# --- numeric witnesses -----------------------------------------------------------------------
def _pair(h, values):
    """(beta, a) of a hypothesis at the experiment's N and eta."""
    return tuple(float(sp.sympify(c).subs(values)) for c in h)


def _mean(h, values, k, g):
    """E[step_k] / (eta g) under the heavy ball h."""
    b, a = _pair(h, values)
    return numeric(mean_step(), _b, _a, _g, t)(b, a, g, k) / (values[eta] * g)


def _variance(h, values, k, sd):
    b, a = _pair(h, values)
    return numeric(step_variance(), _b, _a, _sd, t)(b, a, sd, k) / (values[eta] * sd) ** 2


def _msd(h, values, k, g, sd):
    """E (step_k under h - step_k under the derived heavy ball)^2 / (eta sd)^2: the two
    recurrences on the same gradients differ by weights d_s = a b^(k-s) - a* b*^(k-s)."""
    (b, a), (b0, a0) = _pair(h, values), _pair(derive().result, values)
    d = [a * b ** (k - s) - a0 * b0 ** (k - s) for s in range(1, k + 1)]
    return (sum(x * x for x in d) * sd**2 + (sum(d) * g) ** 2) / (values[eta] * sd) ** 2


def _spec(size, rate, inputs, times, chains, label):
    values = {N: size, eta: rate}
    g, sd = float(inputs.mean), inputs.sd
    beta, a = derive().result
    filters = (Filter("velocity v", momentum_velocity(N, eta), values),
               Filter("heavy-ball step", LinearRecurrence("heavy-ball step Phi_t - Phi_(t+1)", beta, a), values))
    last = max(times)
    obs = tuple(Mean(name=f"E step_{k} / (eta g)", filt="velocity v", time=k, unit=rate * g,
                     predict=lambda h, k=k: _mean(h, values, k, g)) for k in times)
    obs += (Variance(name=f"Var step_{last} / (eta sigma)^2", filt="velocity v", time=last,
                     unit=(rate * sd) ** 2, predict=lambda h: _variance(h, values, last, sd)),
            MeanSquareDifference(name=f"E (v_{last} - heavy-ball step_{last})^2 / (eta sigma)^2",
                                 filt="velocity v", other="heavy-ball step", time=last,
                                 unit=(rate * sd) ** 2, rounding=1e-12,
                                 predict=lambda h: _msd(h, values, last, g, sd)))
    return FilterSpec(label=label, inputs=inputs, filters=filters, observables=obs, steps=last,
                      budgets=budgets(chains),
                      note="step_t = Phi_t - Phi_(t+1) = v_t; 'heavy-ball step' is the recurrence "
                           "step_t = beta step_(t-1) + a g_hat_t of the derived heavy ball, on the same draws")


CLAIM = Claim(
    id="003-momentum-definition",
    title="The slide's momentum is Polyak's heavy ball with beta = 1 - 1/N; its steps tend to N eta g",
    source=Source(DECK, "Momentum"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=ENCODING, result=STATED, latex_names=None,
                        parse_note="two displayed equations (a definition, with '*' for the product); the "
                                   "claim is what the name 'momentum' implies: Polyak's heavy ball with "
                                   "the slide's coefficients (beta, a) = (1 - 1/N, eta)"),
    setting=(N_PARAM, ETA),
    assumptions=(r"v_0 = 0 (the heavy ball starts at rest, \Phi_0 = \Phi_1)",
                 "gradients with constant mean g for the mean step (any noise with finite variance)"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=(
        Case("N = 10, heavy-tailed gradients", derive,
             filter_witnesses(_spec(10, 0.1, heavy_tailed(1.0, 1.0), (5, 20, 60), 20_000,
                                    "g_hat mean 1, Student t(5) sd 1, N = 10, eta = 0.1"))),
        Case("N = 100, Gaussian gradients", derive,
             filter_witnesses(_spec(100, 0.01, constant(1.0, 1.0), (50, 150, 400), 10_000,
                                    "g_hat mean 1, Gaussian sd 1, N = 100, eta = 0.01"))),
    ),
    mutants=(Mutant("N - 1 in place of N (beta = 1 - 1/(N - 1))", lambda d: sp.Tuple(d[0].subs(N, N - 1), d[1])),
             Mutant("2N in place of N (beta = 1 - 1/(2N))", lambda d: sp.Tuple(d[0].subs(N, 2 * N), d[1])),
             Mutant("step size eta/N (steps tend to eta g)", lambda d: sp.Tuple(d[0], d[1] / N))),
    expected=Verdict.HOLDS,
    notes=("The slide's last line, 'The theory of momentum is generally given in terms of second order "
           "structure', is a statement about the literature, not checkable (coverage table). The identity "
           "is pathwise, so it holds for gradients that depend on Phi; the mean-step formula needs a "
           "constant mean gradient (a linear loss). With beta = "
           "1 - 1/N, N = 1/(1 - beta) is the usual 'effective step multiplier' of momentum: the terminal "
           "step N eta g is that of plain SGD at rate N eta (003-momentum-reparameterization)."),
)
