"""003, "Estimating g_hat_B*": the mean of B* examples as the mean of N = B*/B batch means.

    g_hat_B* = (1/B*) sum_{(x,y) ~ Batch(B*)} dLoss/dbeta = (1/N) sum_{s=t-N+1}^t g^^s,  N = B*/B,
    g~^{t+1} = (1 - B/B*) g~^t + (B/B*) g^^{t+1}.

Derivation: ``(1/N) sum_s (1/B) sum_{b in batch s} x_b = (1/(N B)) sum of all N B = B*
examples`` (exact at a fixed parameter; while the parameter moves it averages gradients taken
at N different points). Its variance is ``sigma^2/B*``: effective batch size ``B*``. The
running average that replaces the window has the same mean and the variance
``(w/(2-w)) sigma^2/B`` with ``w = B/B*``: effective batch size ``2B* - B``, about twice the
window's (an exponential average with time constant N weighs about 2N batches).

Compared quantity: the effective batch size of the window mean, ``B*``. The simulation
measures it (and that of the running average) from simulated batches at a fixed parameter.
"""

import sympy as sp

from derivations.experiments.window_average import WindowAverages
from derivations.model import Claim, Derivation, Mutant, Relation, Statement, Step, Verdict, single_case
from derivations.mutants import scaled
from derivations.symbols import positive
from numerics.batch_noise import STUDENT_T

from ._deck003 import source

QUOTE = r"\begin{aligned}\hat{g}_{B^*} &= \frac{1}{B^*} \sum_{(x,y) \sim \text{Batch}(B^*)} \frac{d \text{ Loss}(\beta, x, y)}{d\beta} \\ &= \frac{1}{N} \sum_{s=t-N+1}^t \hat{g}^s \quad \text{with } N = \frac{B^*}{B} \text{ for batch size } B\end{aligned}"
Bs, Bst = sp.symbols("B B_star", positive=True)
SETTING = (positive(Bs, "B", "batch size", (1.0, 100.0)), positive(Bst, "B^*", "optimal batch size", (10.0, 1000.0)))
BATCH, BSTAR = 4, 64


def derive() -> Derivation:
    N, sig2 = Bst / Bs, sp.Symbol("sigma", positive=True) ** 2
    var_window = (sig2 / Bs) / N
    w = Bs / Bst
    var_running = w / (2 - w) * sig2 / Bs
    return Derivation(sp.simplify(sig2 / var_window), (
        Step("(1/N) sum of N batch means of B examples = the mean of N B = B* examples; its variance", var_window),
        Step("effective batch size sigma^2 / Var", sp.simplify(sig2 / var_window)),
        Step("running average with w = B/B*: stationary variance (w/(2-w)) sigma^2/B", var_running),
        Step("its effective batch size", sp.simplify(sig2 / var_running))))


CLAIM = Claim(
    id="003-estimating-g-bstar",
    title="g_hat_B* = (1/N) sum of the last N = B*/B batch gradients",
    source=source(r"Estimating $\hat{g}_{B^*}$"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(sp.Symbol("effective_batch"), Bst), result=Bst,
                        latex_names=None,
                        parse_note="an aligned chain of sums; compared as the effective batch size of the window "
                                   "mean, which the identity makes B*"),
    setting=SETTING,
    assumptions=("the N batches are drawn at the same parameter",),
    relation=Relation.IDENTITY,
    variables=(),
    cases=single_case(derive, [WindowAverages(BATCH, BSTAR, STUDENT_T, running_derived=2 * Bst - Bs,
                                              values={Bs: BATCH, Bst: BSTAR})]),
    mutants=(Mutant("batches counted as examples: effective batch N = B*/B", lambda d: Bst / Bs), scaled(2)),
    expected=Verdict.HOLDS,
    notes=("Exact at a fixed parameter. The running average that replaces the window is as accurate as a "
           "batch of 2B* - B examples (measured), and lags by about N batches instead of N/2."),
)
