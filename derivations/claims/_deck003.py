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
