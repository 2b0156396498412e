"""Coverage: every slide of every deck, with its claims and verdicts or the reason it has none.

The registry knows which slides have claim modules. This module adds, as data, what the
registry cannot know, one :class:`Entry` per (deck, slide title):

- ``NO_CLAIM``: the slide asserts nothing checkable (a title page, an agenda, a definition,
  motivation); ``reason`` says which;
- ``NOT_CHECKABLE``: it asserts something slidecheck cannot check (a statement about
  practice or the literature, a missing figure, a matter of taste); ``reason`` says why;
- ``SAME_AS``: it makes the claim a catalogued module checks for another deck or slide
  (the 2020 fragment 002 repeats 001; the OCR deck 000 repeats both); the row carries
  that claim's verdict;
- ``NOTATION``: a notational slip (an undefined index, a misplaced subscript), recorded
  with its correction; not a mathematical claim, so no verdict;
- ``PENDING``: the slide belongs to another issue whose entries are not in yet (``owner``).

:func:`coverage_rows` joins the entries with the registry over the slides each deck has
(:func:`derivations.slides.slide_titles`) and returns plain dicts for any renderer;
:func:`render_markdown` writes the table that ``python -m derivations.coverage`` stores as
``COVERAGE.md``. Verdicts are the claims' pinned verdicts unless a results document (the
report's ``results.json``) is given.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .decks import normalise
from .registry import all_claims
from .slides import DECKS, slide_titles

__all__ = ["Entry", "ENTRIES", "KINDS", "coverage_rows", "coverage_counts", "render_markdown",
           "NO_CLAIM", "NOT_CHECKABLE", "SAME_AS", "NOTATION", "PENDING"]

NO_CLAIM, NOT_CHECKABLE, SAME_AS, NOTATION, PENDING = (
    "no claim", "not checkable", "same as", "notation", "pending")
KINDS = (NO_CLAIM, NOT_CHECKABLE, SAME_AS, NOTATION, PENDING)

D000, D001, D002, D003, D004 = DECKS


@dataclass(frozen=True)
class Entry:
    """One judgement about a slide that is not (or not only) a claim module."""

    deck: str
    slide: str
    kind: str
    reason: str
    claim: str | None = None  # SAME_AS: the catalogued claim it repeats
    owner: str = ""  # PENDING: who files the entries

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind={self.kind!r} must be one of {KINDS}")
        if (self.kind == SAME_AS) != (self.claim is not None):
            raise ValueError(f"{self.deck} / {self.slide!r}: a SAME_AS entry names its claim, others do not")
        if self.kind == PENDING and not self.owner:
            raise ValueError(f"{self.deck} / {self.slide!r}: a PENDING entry names its owner")


def _e(deck, slide, kind, reason, claim=None, owner=""):
    return Entry(deck, slide, kind, reason, claim, owner)


_GF = "Gradient Flow"
_GFSGD = "Gradient Flow and SGD"
_TIME = "Time as the Sum of the Learning Rates"
_BAYES = "A Bayesian Interpretation of Langevin Dynamics"

#: Gradient flow, SGD -> gradient flow, Brownian motion and SGD noise, the Bayesian reading
#: of Langevin dynamics (decks 000, 001, 002) and 003's one-dimensional example (issue 7).
FLOW_ENTRIES = (
    # --- deck 001 ---
    _e(D001, "TTIC 31230, Fundamentals of Deep Learning", NO_CLAIM, "title page"),
    _e(D001, "Continuous Time Models of SGD", NO_CLAIM, "agenda"),
    _e(D001, _GF, NO_CLAIM, "first slide of the title: the definition of gradient flow, dPhi/dt = "
       "-g(Phi) with g the gradient of the training loss, Phi(0) = Phi_init; that it models SGD is "
       "001-sgd-to-flow"),
    _e(D001, _TIME, NOTATION, "Phi_{t+eta} ~ Phi_t - eta_t ghat: the subscript should read t + eta_t "
       "(the step's own rate); the claim itself is 001-time-sum-of-rates"),
    _e(D001, _GFSGD, NOTATION, "the block list ends with (Phi_{T-sqrt N+1}, ..., Phi_N): T is undefined and "
       "must be N for the last block to have sqrt(N) members"),
    _e(D001, "Stochastic Differential Equations (SDEs)", NOT_CHECKABLE,
       "motivation and a statement about practice ('Brownian motion is the SDE used in diffusion "
       "models'): not mathematics on the slide"),
    _e(D001, "Sampling from a Bayesian Posterior: Langevin Dynamics", NOTATION,
       "second slide of the title defines L(Phi) = E_{(x,y)~Pop} L(Phi, x, y), the population loss; "
       "the Bayesian reading around it needs the training loss with the prior term, "
       "L = (1/n) sum_i -ln P_Phi(y_i|x_i) - (1/n) ln p(Phi) (001-bayes-loss)"),
    _e(D001, "The SGD SDE", NO_CLAIM, "first slide of the title: the setting (Phi_i and Phi_{i+N} with "
       "N small enough that Phi_{i+N} ~ Phi_i), the assumption of 001-gradient-noise"),
    _e(D001, "Gradient Noise", NOTATION, "the second slide's sum is written over ghat_i with index j "
       "(sum_{j=1}^N (ghat_i - g)); the first slide has ghat_j"),
    # --- issue 4 ---
    _e(D000, "A 2-D Langevin Stationary Distribution", SAME_AS,
       "second slide: 'This is not a Gibbs distribution! It has two different temperature "
       "parameters!' is the 2023 counterexample's proposition (temperatures alpha eta sigma_x^2, "
       "alpha eta sigma_y^2; the law itself is 000-langevin-2d)", claim="001-counterexample-not-gibbs"),
    _e(D001, "Coordinate Independent Formulation of Gradient Noise", NOTATION,
       "Sigma(Phi) = E_ghat (ghat - g)(ghat_i - g)^T: the second factor should be (ghat - g); read "
       "literally (ghat_i another example's gradient) the expectation over ghat is the zero matrix. "
       "The slide's next line and the appendix use E (ghat - g)(ghat - g)^T, the covariance whose "
       "transformation law 001-noise-covariance-tensor checks"),
    # --- deck 002 (a markdown fragment of the 2020 lecture: the 2023 deck's slides) ---
    _e(D002, "TTIC 31230, Fundamentals of Deep Learning David McAllester, Winter 2020", NO_CLAIM,
       "title page (with the agenda line 'Gradient Flow')"),
    _e(D002, _GF, SAME_AS, "Delta Phi = -g(Phi) Delta t approximates the flow: the same statement as 001",
       "001-euler-step"),
    _e(D002, _TIME, SAME_AS, "Delta Phi = -g Delta t read as a learning rate: 'the sum of the learning "
       "rates as time in SGD'", "001-time-sum-of-rates"),
    _e(D002, _GFSGD, SAME_AS, "'Take eta -> 0 and N -> oo using N = t/eta ... Phi_N converges to Phi(t)', "
       "word for word as 001", "001-sgd-to-flow"),
    _e(D002, _GFSGD, SAME_AS, "the sqrt(N)-block argument, eta sqrt(N) -> 0 and Phi_sqrtN ~ Phi_0 - "
       "eta sqrt(N) g, as 001", "001-sqrt-n-blocks"),
    _e(D002, _GFSGD, NOTATION, "the second block is written (Phi_{sqrt(N+1)}, ..., Phi_{2 sqrt N}): "
       "read Phi_{sqrt(N)+1} as in 001 (sqrt(N+1) is not an index, and (sqrt N + 1)^2 != N + 1)"),
    _e(D002, _GFSGD, NOTATION, "the last block (Phi_{T-sqrt(N+1)}, ..., Phi_N): T undefined, read "
       "Phi_{N-sqrt(N)+1}"),
    # --- deck 000 (OCR of the 2020 slides) ---
    _e(D000, "Stochastic Gradient Descent (SGD)", NO_CLAIM, "title page ('Gradient Flow and Langevin "
       "Dynamics')"),
    _e(D000, _GF, NO_CLAIM, "first slide of the title: the definition of gradient flow (OCR 'dd E B "
       "—g(q)) g(@) = Vo E<£If,y)NTrain L(va Ly y)' is dPhi/dt = -g(Phi), g = grad E_Train L; high "
       "confidence)"),
    _e(D000, _GF, SAME_AS, "second slide: OCR 'AP = —g(P)At' is Delta Phi = -g(Phi) Delta t (high "
       "confidence), 'for small values of Delta t this differential equation can be approximated "
       "by' it; 'Here Delta t can be interpreted as a learning rate'", "001-euler-step"),
    _e(D000, "Gradient Flow also Models SGD", SAME_AS, "'Consider the SGD update with ghat from a random "
       "data point, Delta Phi = -ghat Delta t (OCR 'AD = — AL'). This also converges to deterministic "
       "gradient flow as Delta t goes to zero'", "001-sgd-to-flow"),
    _e(D000, "Gradient Flow also Models SGD", SAME_AS, "second slide: 'The sum of the learning rates can "
       "be interpreted as time'", "001-time-sum-of-rates"),
    _e(D000, "Langevin Dynamics", NO_CLAIM, "first slide of the title: motivation ('Can we analytically "
       "solve for stationary distributions?', 'Langevin dynamics models both ...')"),
    _e(D000, "Langevin Dynamics", SAME_AS, "'Phi(t + Delta t) = Phi(t) - g Delta t + eta sum_j (g - ghat_j)' "
       "(if g is constant over Delta t = N eta) and '~ Phi(t) - g Delta t + eta eps sqrt(N) = ... + eta "
       "eps sqrt(Delta t / eta)' (OCR 'neV' N', 'neﬁ'; medium confidence on the last): the 2023 "
       "'Gradient Noise' argument", "001-gradient-noise"),
    _e(D000, "Langevin Dynamics", NO_CLAIM, "'In Langevin dynamics we hold eta > 0 fixed' (twice): the "
       "model's regime, not a claim"),
    _e(D000, "Langevin Dynaimcs", NO_CLAIM, "(title misspelt in the deck) the setting: SGD with B = 1, "
       "Delta t = N eta, eta fixed, Delta t 'large compared to 1' (OCR; most likely 'compared to eta', "
       "medium confidence) but small enough that the gradient's law does not change over Delta t: the "
       "assumptions of 000-langevin-sde-forms"),
    # --- deck 003 ---
    _e(D003, "TTIC 31230, Fundamentals of Deep Learning", NO_CLAIM, "title page"),
    _e(D003, "Stochastic Gradient Descent (SGD)", NO_CLAIM, "agenda"),
    _e(D003, "Vanilla SGD", NO_CLAIM, "definitions: Phi -= eta ghat, ghat the batch mean gradient, g the "
       "population mean gradient"),
)

_I7TZ = "issue 7 (TZ theorem, classical convergence theorem, SGD as MCMC)"
_CORE = "issue 2 (the core Langevin claims)"

#: Slides of other issues whose entries are not in yet, as
#: ``_e(deck, slide, PENDING, "entries to be filed by their owner", owner=...)``: each helper
#: replaces its own. None are left.
PENDING_ENTRIES: tuple[Entry, ...] = ()

#: Running averages, momentum, RMSProp and Adam (deck 003, issue 5): the slides, or parts of
#: slides, that its claims do not cover.
AVERAGES_ENTRIES = (
    _e(D003, "Standard Non-Vanilla SGD Algorithms", NO_CLAIM, "section title"),
    _e(D003, "Momentum", NOT_CHECKABLE,
       "first slide: 'The theory of momentum is generally given in terms of second order structure' "
       "is a statement about the literature (analyses of the heavy ball on quadratics, via the "
       "Hessian's spectrum), not a mathematical claim; the update itself is 003-momentum-definition"),
    _e(D003, "Momentum", NOT_CHECKABLE,
       "second slide: 'second order analyses are controversial in Deep Learning' is an opinion about "
       "the field, and 'We can perhaps get insight by reparameterizing the momentum equations' the "
       "motivation for the next slide (003-momentum-reparameterization)"),
)

#: The TZ theorem, the classical convergence theorem and the "SGD as MCMC" remarks (issue 7),
#: and the core Langevin slides (issue 2).
TZ_AND_CORE_ENTRIES = (
    _e(D000, "MCMC models of SGD", NOT_CHECKABLE,
       "a fact about a cited paper's figures ('in all cases eta is reduced twice, each time by a "
       "factor of 2', of the ResNet plots): neither derivable nor simulable; for the record, He et "
       "al. (2016) divide the learning rate by 10, twice"),
    _e(D003, "Issues", NO_CLAIM, "an agenda of topics (gradient estimation, drift, convergence, exploration)"),
    _e(D003, "SGD as a form of MCMC", NO_CLAIM, "section title"),
    _e(D003, "Learning Rate as a Temperature Parameter", NOT_CHECKABLE,
       "a title and a citation (Huang et al., ICLR 2017) with no statement; its content, a "
       "stationary spread proportional to eta, is checked by 000-converged-loss and 000-tz-theorem"),
    _e(D001, "The Langevin SDE", SAME_AS,
       "the flows (gradient flow -p g, diffusion flow -(1/2) sigma^2 grad p) and their balance "
       "(1/2) sigma^2 grad p = -p grad L are the first line of the next slide's chain; the "
       "diffusion flow itself is 001-appendix-diffusion-flow", claim="001-langevin-stationary"),
)

#: The batch-size slides of deck 003 (issue 6) that carry no claim of their own; every other
#: slide of that part has claim modules (003-scaling-eta-*, 003-progress-guarantee*, ...).
BATCH_SIZE_ENTRIES = (
    _e(D003, r"Scaling $\eta$ , $N_\mu$ and $N_s$ Batch Size", NOT_CHECKABLE,
       "section title and a claim about the literature ('recent work has shown that scaling "
       "hyper-parameters with the batch size can lead to effective learning with very large batches', "
       "citing Goyal et al. 2017 and Smith et al. 2018); the scaling rules themselves are "
       "003-scaling-eta-*, 003-scaling-n-mu and 003-scaling-n-s"),
    _e(D003, "An Original Algorithm Derivation", NO_CLAIM,
       "the plan ('derive a learning rate by maximizing a lower bound on the rate of reduction in "
       "training loss') and the two issues it must handle; the derivation's steps are the claims that "
       "follow (003-smoothness-bound to 003-optimizing-b)"),
    _e(D003, "Analysis Plan", NO_CLAIM,
       "the plan (B* and eta* from a single-update guarantee, then eta_B by learning-rate scaling for "
       "B << B*); its steps are 003-optimizing-b-eta and 003-deriving-learning-rates"),
)

#: The blog post (deck 004, issue 7): what its claims (c004_*) do not cover.
BLOG_ENTRIES = (
    _e(D004, "Gradient Variance", NOT_CHECKABLE,
       "the locations '(at ~1 and 2)', '(only at 2)' and 'the zero points for G and V around the pit "
       "at 1 are not quite in the same place' belong to the loss of the author's previous post, which "
       "the text does not give; the criteria themselves are 004-gd-equilibria and 004-sgd-equilibria"),
    _e(D004, "Gradient Variance", NOT_CHECKABLE,
       "'eta will likely be much smaller for larger models but as long as [...] grows larger with the "
       "number of datapoints used, this will compensate': a speculation about larger models, its "
       "quantity stripped; the remarks on writing the equation in V rather than sqrt(V) and on the "
       "notation d vs partial are not claims. The expanded ('unwieldy') form of the master equation "
       "is a derivation step of 004-master-equation"),
    _e(D004, "Validation of the First Term of the Equations", NOT_CHECKABLE,
       "the author's own runs (T = 0.02; 1000 Monte Carlo points from N(0.5, 0.175^2); 'This looks "
       "about right!', 'Yes there are two lines there'; the sd gap 'most likely due to imperfect "
       "matching of our initial data', a truncated normal): they use the previous post's loss, not "
       "given, so their numbers cannot be reproduced; the same comparison on a stated landscape is "
       "004-first-term-gd (no noise) and 004-master-equation (with noise)"),
    _e(D004, "Evolution of W values against t", NO_CLAIM,
       "a figure caption (the figure is not in the text)"),
    _e(D004, "Validation of the Second Term of the Equations", NOT_CHECKABLE,
       "the author's spreading and 'moves from the left to the centre but doesn't concentrate' runs "
       "('Looking good, errors here may also be due to truncation') use the previous post's G and V, "
       "not given; 'the computational modelling seems to fall apart ... the large first and second "
       "derivatives of V lead to a lot of instability' is about the author's unpublished explicit "
       "solver: the positivity-preserving finite-volume solver (numerics/fv_1d.py, implicit Euler with "
       "Scharfetter-Gummel fluxes) is stable at any step (tests/test_blog_numerics.py) and is the "
       "master-equation witness of 004-master-equation; 'High values of eta also cause the model to "
       "break down' has no threshold to check: the O(eta) gap between the chain and the model is "
       "recorded on the ladders of 004-master-equation and 004-first-term-gd"),
    _e(D004, "Solving for End-States", NOT_CHECKABLE,
       "'When V vanishes, our equations don't work terribly well ... This is probably the source of "
       "instability': a remark (the end state carries a 1/V, singular where V = 0) and a guess about "
       "the author's solver, not a statement with a truth value; the end-state claims use V > 0"),
    _e(D004, "What's the point?", NOT_CHECKABLE,
       "'SGD is believed to have certain bias towards low-entropy models ... a preference for broader "
       "rather than narrower minima': a reported belief about trained networks; its model version is "
       "004-wider-basin-higher"),
    _e(D004, "Further Investigation", NOT_CHECKABLE,
       "speculation: V 'looks like a metric', a space with 'V = 1 everywhere', an 'energy' that 'must "
       "exist assuming SGD converges' (true only as -ln p of the end state, which in one dimension is "
       "ln V + int 2G/(eta V), 004-end-state-density; no local form is claimed in higher dimensions); "
       "the higher-dimensional transformations were stripped"),
    _e(D004, "New Comment", NOT_CHECKABLE,
       "a reader's comment: opinions ('makes intuitive sense') and claims about trained networks "
       "(good initialisations, second-order optimisers overfitting) outside the model"),
)

#: Everything, in one list: each issue adds its entries here (and removes its PENDING ones).
ENTRIES: tuple[Entry, ...] = (FLOW_ENTRIES + TZ_AND_CORE_ENTRIES + BATCH_SIZE_ENTRIES + BLOG_ENTRIES
                              + AVERAGES_ENTRIES + PENDING_ENTRIES)


def _key(deck: str, slide: str) -> tuple[str, str]:
    return deck, normalise(slide)


def coverage_rows(results: dict | None = None) -> list[dict]:
    """One row per claim and per entry, grouped by deck and slide in deck order.

    Each row: ``deck``, ``slide``, ``kind`` (``"claim"`` or an entry kind), ``claim`` (id or
    None), ``title``, ``verdict`` (the results' verdict if ``results`` is given, else the
    pinned one; None for entries without a claim), ``reason``, ``owner``, and ``found``
    (whether the slide title is among the deck's parsed slides).
    """
    claims = all_claims()
    by_id = {c.id: c for c in claims}
    measured = {r["id"]: r["verdict"] for r in (results or {}).get("claims", [])}

    def verdict(cid: str) -> str:
        return measured.get(cid, by_id[cid].expected.value)

    rows_by_slide: dict[tuple[str, str], list[dict]] = {}
    for c in claims:
        rows_by_slide.setdefault(_key(c.source.deck, c.source.slide), []).append(
            {"kind": "claim", "claim": c.id, "title": c.title, "verdict": verdict(c.id),
             "reason": "", "owner": ""})
    for e in ENTRIES:
        if e.claim is not None and e.claim not in by_id:
            raise KeyError(f"coverage entry {e.deck} / {e.slide!r} names claim {e.claim!r}, "
                           "which is not in the catalogue")
        rows_by_slide.setdefault(_key(e.deck, e.slide), []).append(
            {"kind": e.kind, "claim": e.claim, "title": by_id[e.claim].title if e.claim else "",
             "verdict": verdict(e.claim) if e.claim else None, "reason": e.reason, "owner": e.owner})
    out = []
    for deck in DECKS:
        titles = slide_titles(deck)
        order = {normalise(t): i for i, t in enumerate(titles)}
        keys = sorted((k for k in rows_by_slide if k[0] == deck),
                      key=lambda k: (order.get(k[1], len(order)), k[1]))
        for t in titles:  # slides with nothing at all still get a row: "uncovered"
            if _key(deck, t) not in rows_by_slide:
                keys.append(_key(deck, t))
                rows_by_slide[_key(deck, t)] = [{"kind": "uncovered", "claim": None, "title": "",
                                                 "verdict": None, "reason": "no claim and no entry",
                                                 "owner": ""}]
        keys.sort(key=lambda k: (order.get(k[1], len(order)), k[1]))
        for k in keys:
            for r in rows_by_slide[k]:
                out.append({"deck": deck, "slide": k[1], "found": k[1] in order, **r})
    return out


def coverage_counts(rows: list[dict]) -> dict:
    """Counts by deck: slides, rows of each kind, claims by verdict."""
    out = {}
    for deck in DECKS:
        mine = [r for r in rows if r["deck"] == deck]
        out[deck] = {"slides": len({r["slide"] for r in mine}),
                     "rows": dict(Counter(r["kind"] for r in mine)),
                     "verdicts": dict(Counter(r["verdict"] for r in mine if r["kind"] == "claim"))}
    return out


def _cell(text) -> str:
    return "" if text is None else str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(rows: list[dict], source: str = "pinned verdicts") -> str:
    """The coverage table as markdown, with counts per deck."""
    lines = ["# Coverage of the decks", "",
             f"Generated by `python -m derivations.coverage` from the registry and "
             f"`derivations/coverage.py` ({source}); do not edit by hand.", "",
             "Kinds: **claim** (a module with a verdict), **same as** (the slide repeats a catalogued "
             "claim; its verdict), **no claim** (title, agenda, definition, motivation), **not "
             "checkable** (with the reason), **notation** (a slip, with its correction; no verdict), "
             "**pending** (another issue's slide, entries not yet filed).", "",
             "| deck | slides | " + " | ".join(("claim", *KINDS)) + " | verdicts of its claims |",
             "| --- | --- | " + " | ".join("---" for _ in ("claim", *KINDS)) + " | --- |"]
    for deck, c in coverage_counts(rows).items():
        lines.append(f"| {deck[:3]} | {c['slides']} | "
                     + " | ".join(str(c["rows"].get(k, 0)) for k in ("claim", *KINDS)) + " | "
                     + ", ".join(f"{v}: {n}" for v, n in sorted(c["verdicts"].items())) + " |")
    for deck in DECKS:
        lines += ["", f"## {deck}", "", "| slide | kind | claim | verdict | reason / title |",
                  "| --- | --- | --- | --- | --- |"]
        for r in (r for r in rows if r["deck"] == deck):
            slide = r["slide"] + ("" if r["found"] else " (title not found among the deck's slides)")
            what = r["reason"] or r["title"]
            if r["kind"] == PENDING:
                what = f"{r['owner']}: {r['reason']}"
            elif r["kind"] == SAME_AS:
                what = f"{r['reason']} ({r['title']})"
            lines.append(f"| {_cell(slide)} | {r['kind']} | {_cell(r['claim'])} | {_cell(r['verdict'])} | {_cell(what)} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m derivations.coverage",
                                 description="write the coverage table (COVERAGE.md)")
    ap.add_argument("--out", default="COVERAGE.md", help="output file, '-' for stdout")
    ap.add_argument("--results", help="a results.json whose verdicts replace the pinned ones")
    args = ap.parse_args(argv)
    results = json.loads(Path(args.results).read_text()) if args.results else None
    text = render_markdown(coverage_rows(results), "verdicts of " + args.results if args.results
                           else "pinned verdicts")
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
