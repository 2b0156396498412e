"""001, "The SGD SDE": sqrt(eta) eps sqrt(dt) with eps ~ N(0, Sigma) equals sqrt(eta) sigma(Phi) eps sqrt(dt) with eps ~ N(0, I), sigma the square root of Sigma.

The slide rewrites the noise term with a standard normal and "the matrix sigma(Phi) is the
square root of the covariance matrix Sigma(Phi)". Equality in law: sigma eps with
eps ~ N(0, I) is Gaussian with covariance sigma sigma^T, which is Sigma for the symmetric
square root (and for any factor with sigma sigma^T = Sigma, e.g. Cholesky's). The
derivation computes the symmetric square root of a 2x2 test covariance with sympy and
checks sigma sigma^T = Sigma exactly. The simulation draws sqrt(eta) sigma eps sqrt(dt) on a
ladder of eta (dt = 1) and measures the three covariance entries over eta Sigma. Mutants:
sigma = Sigma itself (covariance Sigma^2) and the entrywise square root (a common slip).
"""

import numpy as np
import sympy as sp

from derivations.experiments.ladder import LadderExperiment, LadderObservable, MomentStatistic
from derivations.model import (Claim, Comparison, Derivation, Equivalence, Relation, Source,
                               Statement, Step, Verdict, single_case)
from derivations.symbols import ETA
from derivations.tables import declare, entry_replaced, table
from numerics.rng import normals

QUOTE = (r"= \Phi(t) - g(\Phi)\Delta t + \sqrt{\eta}\sigma(\Phi)\epsilon\sqrt{\Delta t}, \quad "
         r"\epsilon \sim \mathcal{N}(0, I)$$ Here the matrix  $\sigma(\Phi)$  is the square root of the "
         r"covariance matrix  $\Sigma(\Phi)$ .")
SIGMA_TEST = sp.Matrix([[2, sp.Rational(3, 5)], [sp.Rational(3, 5), sp.Rational(1, 2)]])
ETAS = (0.01, 0.02, 0.04)
BUDGETS = {"quick": 65536, "full": 1048576}
ENTRIES = ((0, 0), (0, 1), (1, 1))
KEYS = ("c11", "c12", "c22")


def symmetric_sqrt(m: sp.Matrix) -> sp.Matrix:
    P, D = m.diagonalize(normalize=True)
    return sp.simplify(P * D.applyfunc(sp.sqrt) * P.T)


def _ratios(cov: sp.Matrix) -> dict:
    return {k: sp.nsimplify(sp.simplify(cov[i, j] / SIGMA_TEST[i, j])) for k, (i, j) in zip(KEYS, ENTRIES)}


SQRT = symmetric_sqrt(SIGMA_TEST)
ENTRYWISE = SIGMA_TEST.applyfunc(sp.sqrt)


def derive() -> Derivation:
    cov = sp.simplify(SQRT * SQRT.T)
    ok = sp.simplify(cov - SIGMA_TEST) == sp.zeros(2, 2)
    steps = (
        Step("eps ~ N(0, I): sigma eps is Gaussian with covariance sigma sigma^T"),
        Step("Test covariance", sp.Eq(sp.Symbol(r"\Sigma"), SIGMA_TEST)),
        Step("Its symmetric square root (eigendecomposition, sympy)", sp.Eq(sp.Symbol(r"\sigma"), SQRT)),
        Step("sigma sigma^T", sp.Eq(sp.Symbol(r"\sigma\sigma^T"), cov)),
        Step("so sqrt(eta) sigma eps sqrt(dt) ~ N(0, eta Sigma dt), as sqrt(eta) eps' sqrt(dt) with eps' ~ N(0, Sigma)"),
    )
    return Derivation(table(c11=1, c12=1, c22=1), steps, Comparison(
        Equivalence.PROVED if ok else Equivalence.REFUTED, "matrix square root (sympy)",
        "equal in law"))


_sqrt = np.array(SQRT.evalf(17), dtype=float)


def _simulate(eta, n, seed):
    eps = normals(seed, n, 2)
    return np.sqrt(eta) * eps @ _sqrt.T  # rows: sqrt(eta) sigma eps, dt = 1


def _cov(i, j):
    def features(s, h):
        return np.column_stack([s[:, i], s[:, j], s[:, i] * s[:, j]])
    sij = float(SIGMA_TEST[i, j])
    return MomentStatistic(features, lambda m, h: (m[2] - m[0] * m[1]) / (h * sij))


OBSERVABLES = tuple(LadderObservable(k, f"Cov[{i + 1}{j + 1}] / (eta Sigma[{i + 1}{j + 1}])", "pooled", _cov(i, j))
                    for k, (i, j) in zip(KEYS, ENTRIES))

CLAIM = Claim(
    id="001-sgd-sde-sqrt-cov",
    title="sqrt(eta) sigma(Phi) eps, eps ~ N(0, I), with sigma the square root of Sigma, is the noise sqrt(eta) eps, eps ~ N(0, Sigma)",
    source=Source("001_f7b24b47ec34203a.txt", "The SGD SDE"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE, encoding=table(c11=1, c12=1, c22=1), latex_names=None,
        parse_note="an equality in law across two lines and a sentence; encoded as the covariance of "
                   "sqrt(eta) sigma eps being eta Sigma, entry by entry"),
    setting=(ETA, *(declare(k, f"C_{{{k[1:]}}}", f"covariance entry {k[1:]} over eta Sigma") for k in KEYS)),
    assumptions=("two dimensions, Sigma = [[2, 3/5], [3/5, 1/2]]", "sigma the symmetric square root"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=single_case(derive, (LadderExperiment(
        "Monte Carlo: sqrt(eta) sigma eps, eps ~ N(0, I)", "eta", ETAS, _simulate, OBSERVABLES, BUDGETS,
        {"Sigma": str(SIGMA_TEST.tolist()), "sigma": str(_sqrt.tolist())}),)),
    # Each wrong factor predicts all three entries; the off-diagonal one separates them most.
    mutants=(entry_replaced("c12", _ratios(SIGMA_TEST * SIGMA_TEST.T)["c12"], "sigma = Sigma (no square root)"),
             entry_replaced("c12", _ratios(ENTRYWISE * ENTRYWISE.T)["c12"], "entrywise square root of Sigma")),
    expected=Verdict.HOLDS,
)
