"""Shared pieces of the deck-003 batch-size claims (not a claim: the registry skips ``_`` modules).

The settings follow the slides' own example ("A One Dimensional Example"): a per-example
loss whose gradient is ``loss'(beta) + sigma xi`` with ``xi`` standardised noise; the
population gradient ``g`` is chosen in units of the noise, ``a = g / sigma``, with
``|a| sqrt(B) = 6`` where the sign of ``g_hat`` must equal that of ``g`` (a flip then has
probability ``Phi(-6) = 1e-9`` for Gaussian noise and 0 for the two-point law at B = 16).
"""

from __future__ import annotations

import sympy as sp

from derivations.batch_theory import normal_cdf, two_sided_normal
from derivations.experiments.batch_events import BatchSetting, quadratic_loss
from derivations.model import Mutant, Source
from numerics.batch_noise import NOISE_NAMES

DECK = "003_874bf7fcc03d5f2a.txt"


def source(slide: str) -> Source:
    return Source(DECK, slide)


def one_sided_2sigma() -> Mutant:
    """"Holds with the one-sided normal probability Phi(2)" (a 2-sigma reading)."""
    return Mutant("holds with probability Phi(2) = 0.977 (one-sided 2-sigma)", lambda d: normal_cdf(2))


def two_sided_2sigma() -> Mutant:
    return Mutant("holds with probability 2 Phi(2) - 1 = 0.954 (the +- event)", lambda d: two_sided_normal(2))


def complement(label: str = "1 - derived (the opposite outcome)") -> Mutant:
    """The probability of the opposite outcome (e.g. the sign of g_hat ignored)."""
    return Mutant(label, lambda d: 1 - d)


def quadratic_setting(label: str, *, a: float, batch: int, kind: int, sigma: float = 1.0,
                      curvature: float = 1.0, **values) -> BatchSetting:
    """The slide's one-dimensional example: loss ``c beta^2 / 2`` at ``beta = a sigma / c``."""
    return BatchSetting(f"{label}, {NOISE_NAMES[kind]} noise, B = {batch}", quadratic_loss(curvature),
                        a * sigma / curvature, sigma, batch, kind,
                        {sp.Symbol(k, **_ASSUME.get(k, {})): v for k, v in values.items()})


_ASSUME = {"eta": {"positive": True}, "L": {"positive": True}}


_READABLE = {"G": "g_hat", "S": "sigma_hat"}


def readable(point) -> dict:
    """A counterexample's point with the deck's names (g_hat, sigma_hat) as keys."""
    return {_READABLE.get(str(k), str(k)): str(v) for k, v in point.items()}


# --- the adaptive algorithm's 1-D setting -------------------------------------------------
from derivations.batch_theory import BATCH, G, LSMOOTH, B, Lsm, g  # noqa: E402
from derivations.experiments.adaptive import AlgorithmSetup  # noqa: E402
from derivations.symbols import SIGMA, positive, sigma  # noqa: E402

epsilon = sp.Symbol("epsilon", positive=True)
EPSILON = positive(epsilon, r"\epsilon", "the meta-parameter guarding B*(t) against g~ = 0", (1e-10, 1e-6))
ALGORITHM_SETTING = (G, SIGMA, BATCH, LSMOOTH, EPSILON)
#: Population values of the 1-D estimator checks: g = sigma/4, so B* = 16 sigma^2/g^2 = 256.
G0, SIGMA0, EPS0, K0 = 0.25, 1.0, 1e-8, 50


def one_d_setup(label: str, batch: int, kind: int, *, offset: float = G0, fixed_weight: bool = True,
                **kw) -> AlgorithmSetup:
    """The 1-D slides' algorithm (lam_B = 16, lam_eta = 1/(32 L), L = 1) on loss Phi^2/2."""
    return AlgorithmSetup(label, ((1.0,),), (offset,), (SIGMA0,), batch, kind, K0, EPS0, 16.0, 1 / 32,
                          weight_bstar=16 * SIGMA0**2 / offset**2 if fixed_weight else 0.0, **kw)


def algorithm_values(batch: int) -> dict:
    return {g: G0, sigma: SIGMA0, B: batch, Lsm: 1, epsilon: EPS0}


#: "A Complete Algorithm": two parameters with a separable quadratic loss (H = I, L = 1), one
#: whose gradient is weak against the batch noise (g = sigma/4) and one strong (g = 8 sigma);
#: B = 8, lam_B = 16 B (the 1-D constant with the batch-mean variance scaled back to per-example:
#: the consistent choice of the meta-parameter), lam_eta = 1/32, two-point (bounded) noise.
STRONG_G, ALG_B = 8.0, 8


def two_parameter_setup(label: str) -> AlgorithmSetup:
    from numerics.batch_noise import TWO_POINT

    return AlgorithmSetup(label, ((1.0, 0.0), (0.0, 1.0)), (G0, STRONG_G), (SIGMA0, SIGMA0), ALG_B, TWO_POINT,
                          K0, EPS0, 16.0 * ALG_B, 1 / 32)


def strong_signal_failure_steps():
    """Exact bounds showing that B/B*(K+1) > 1 on every run of :func:`two_parameter_setup`.

    After the warm-up (K + 1 updates of weight B/K, at t = 0..K, parameter fixed) the averages
    of the strong coordinate are weighted means of batch means in [g + sigma lo, g + sigma hi]
    with total weight W = 1 - (1 - B/K)^(K+1); for weights summing to W,
    s~ - g~^2 = W Var_w + W (1 - W) m^2 with Var_w <= ((hi - lo) sigma / 2)^2,
    m <= g + hi sigma, and g~ >= W (g + lo sigma).
    """
    from derivations.model import Step
    from numerics.batch_noise import TWO_POINT_VALUES

    hi, lo = (sp.nsimplify(v) for v in TWO_POINT_VALUES)
    Bv, K, gv, sv = ALG_B, K0, sp.nsimplify(STRONG_G), sp.nsimplify(SIGMA0)
    W = 1 - (1 - sp.Rational(Bv, K)) ** (K + 1)
    var_max = ((hi - lo) * sv / 2) ** 2 + W * (1 - W) * (gv + hi * sv) ** 2  # W Var_w <= Var_w
    g_min = W * (gv + lo * sv)
    bstar_max = 16 * Bv * var_max / g_min**2
    weight_min = Bv / bstar_max
    if not weight_min > 1:
        raise AssertionError(f"bounds do not force a weight > 1: {float(weight_min)}")
    v_min = (1 - W) * g_min**2 / W  # W (1 - W) m^2 with the weighted mean m >= g~/W
    steps = (Step("Total weight of the warm-up, W = 1 - (1 - B/K)^(K+1) (B = 8, K = 50)", sp.Float(W, 8)),
             Step("Strong coordinate (g = 8 sigma): s~ - g~^2 <= ((hi - lo) sigma/2)^2 + W (1-W)(g + hi sigma)^2",
                  sp.Float(var_max, 8)),
             Step("and g~ >= W (g + lo sigma)", sp.Float(g_min, 8)),
             Step("so B*(K+1) = lam_B sigma~^2/(g~^2 + eps) <= ", sp.Float(bstar_max, 8)),
             Step("and the weight B/B*(K+1) >= (greater than 1 on every run)", sp.Float(weight_min, 8)),
             Step("With w > 1: s~' - g~'^2 = (1 - w)(s~ - g~^2) + w (1 - w)(g^ - g~)^2 < 0, since s~ - g~^2 >= "
                  "W (1 - W) m^2 >", sp.Float(v_min, 8)),
             Step("so sigma~ is undefined at t = K + 2 on every run: P(defined through T) =", sp.Integer(0)))
    return steps
