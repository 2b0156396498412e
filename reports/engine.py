"""The engine: every claim derived, simulated and judged the same way.

``check_claim`` runs one claim's cases (derivation, symbolic comparison, experiments,
judgement) and returns its record in the results schema (:mod:`reports.results`);
``check_claims`` runs several and adds the run's metadata. Seeds: each experiment's seed
is ``derive_seed(run seed, claim id, case, experiment)``, recorded in the results, so any
one experiment can be rerun alone and gives the same numbers at any thread count.
"""

from __future__ import annotations

import math
import re
import time
from typing import Callable, Iterable

import numba
import sympy as sp

from derivations.equivalence import compare
from derivations.latex import to_latex, to_mathml
from derivations.model import Claim, Relation, Verdict
from numerics.rng import derive_seed
from numerics.stats import FalseAlarmBudget

from .verdicts import CaseOutcome, aggregate, case_outcome, judge_numeric

__all__ = ["BUDGETS", "check_claim", "check_claims", "Progress"]

BUDGETS = ("quick", "full")

Progress = Callable[[str], None]


def _expr(expr: sp.Basic, claim: Claim) -> dict:
    return {"latex": to_latex(expr, claim.setting), "mathml": to_mathml(expr, claim.setting),
            "srepr": _stable_srepr(expr)}


def _stable_srepr(expr: sp.Basic) -> str:
    """``sp.srepr(expr)`` with the Dummy indices renumbered 0, 1, ... by first appearance.

    A Dummy's index is drawn at random per process and ``srepr`` writes it: without this,
    two runs of one claim would record different results (and digests). The renumbered
    text still rebuilds the expression (distinct Dummies stay distinct).
    """
    numbers: dict[str, int] = {}

    def renumber(m: re.Match) -> str:
        return f"dummy_index={numbers.setdefault(m.group(1), len(numbers))}"

    return re.sub(r"dummy_index=(-?\d+)", renumber, sp.srepr(expr))


def _finite(v: float):
    """JSON has no NaN or infinity: such values are written as strings."""
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    return v


def _measurement_record(j) -> dict:
    m = j.measurement
    return {
        "observable": m.observable, "estimate": m.estimate, "se": m.standard_error,
        "se_method": m.se_method, "bias_bound": m.bias_bound, "bias_note": m.bias_note,
        "checks": {label: {"prediction": _finite(c.prediction), "z": _finite(c.z),
                           "accepted": c.accepted,
                           "power": None if c.power is None else _finite(c.power), "note": c.note}
                   for label, c in j.checks.items()},
    }


def _correction(claim: Claim, derived: sp.Basic) -> sp.Basic:
    enc = claim.statement.encoding
    return sp.Eq(enc.lhs, derived, evaluate=False) if isinstance(enc, sp.Equality) else derived


def check_claim(claim: Claim, *, budget: str = "quick", seed: int = 0,
                alarm: FalseAlarmBudget = FalseAlarmBudget(),
                progress: Progress | None = None) -> dict:
    """Run one claim through both witnesses and judge it; returns its results record."""
    if budget not in BUDGETS:
        raise ValueError(f"budget={budget!r} must be one of {', '.join(BUDGETS)}")
    say = progress or (lambda _msg: None)
    start = time.perf_counter()
    stmt = claim.statement
    cases, outcomes = [], []
    correction = None
    for case in claim.cases:
        say(f"{claim.id} [{case.name}]: derivation")
        derivation = case.derive()
        if derivation.comparison is not None:
            comparison = derivation.comparison
        elif claim.relation is Relation.CUSTOM:
            raise ValueError(f"claim {claim.id!r}, case {case.name!r}: relation CUSTOM needs "
                             "the derivation to return its Comparison")
        else:
            comparison = compare(stmt.claimed, derivation.result, relation=claim.relation,
                                 variables=claim.variables, setting=claim.setting,
                                 seed=derive_seed(seed, claim.id, case.name, "cascade") % 2**32)
        hypotheses = claim.hypotheses(derivation.result)
        must_reject = [h for h in hypotheses if h.startswith("mutant")]
        if comparison.status.agrees is False:
            must_reject.append("stated")
        results, records = [], []
        for exp in case.experiments:
            say(f"{claim.id} [{case.name}]: {exp.name}")
            exp_seed = derive_seed(seed, claim.id, case.name, exp.name)
            r = exp.run(hypotheses, budget, exp_seed)
            results.append(r)
            records.append({"name": exp.name, "kind": exp.kind, "seed": exp_seed,
                            "seconds": r.seconds, "chain_steps": r.chain_steps,
                            "setup": r.setup,
                            "plots": [{"kind": p.kind, "title": p.title, "data": p.data}
                                      for p in r.plots]})
        numeric = judge_numeric(results, alarm, must_reject)
        outcome, reasons = case_outcome(comparison, numeric)
        outcomes.append((outcome, case.in_scope))
        # Attach the judged measurements to their experiments, in order.
        k = 0
        for rec, r in zip(records, results):
            n = len(r.measurements)
            rec["measurements"] = [_measurement_record(j) for j in numeric.measurements[k:k + n]]
            k += n
        readings = []
        rec_ = stmt.reconstruction
        for reading in (rec_.alternatives if rec_ else ()):
            if claim.relation is Relation.CUSTOM:
                break
            cmp = compare(reading.result, derivation.result, relation=claim.relation,
                          variables=claim.variables, setting=claim.setting)
            readings.append({"label": reading.label, "latex": reading.latex, "note": reading.note,
                             "symbolic": cmp.status.value, "method": cmp.method})
        if outcome is CaseOutcome.FAILS and case.in_scope and correction is None:
            # The claim's own corrected statement when it gives one; else the derived result
            # in the statement's shape (used for an ERRATUM only: for a CONDITIONAL claim the
            # failing case's result is rarely a statement of the claim, its conditions are).
            correction = (derivation.correction_latex, to_latex(_correction(claim, derivation.result),
                                                                claim.setting))
        cases.append({
            "name": case.name, "assumptions": list(case.assumptions), "in_scope": case.in_scope,
            "outcome": outcome.value, "reasons": reasons,
            "symbolic": {"status": comparison.status.value, "method": comparison.method,
                         "detail": comparison.detail, "counterexample": comparison.counterexample,
                         "derived": _expr(derivation.result, claim),
                         "steps": [{"text": s.text, **(_expr(s.expr, claim) if s.expr is not None else {})}
                                   for s in derivation.steps],
                         "readings": readings},
            "hypotheses": {label: _expr(h, claim) for label, h in hypotheses.items()},
            "numeric": {"derived_accepted": numeric.derived_accepted,
                        "stated_accepted": numeric.stated_accepted,
                        "unresolved": {k: _finite(v) for k, v in numeric.unresolved.items()},
                        "mutants_not_rejected": numeric.mutants_not_rejected,
                        "experiments": records},
        })
    verdict = aggregate(outcomes)
    holds = [c for c in cases if c["in_scope"] and c["outcome"] == CaseOutcome.HOLDS.value]
    fails = [c for c in cases if c["in_scope"] and c["outcome"] == CaseOutcome.FAILS.value]
    rec_ = stmt.reconstruction
    return {
        "id": claim.id, "title": claim.title, "deck": claim.source.deck,
        "slide": claim.source.slide, "line": claim.source.line,
        "quote": stmt.quote, "statement_latex": stmt.latex,
        "statement": _expr(stmt.encoding, claim),
        "reconstruction": None if rec_ is None else {
            "note": rec_.note, "confidence": rec_.confidence.value,
            "readings": [{"label": r.label, "latex": r.latex, "note": r.note} for r in rec_.alternatives]},
        "setting": [{"symbol": str(p.symbol), "latex": p.latex, "meaning": p.meaning,
                     "domain": p.domain} for p in claim.setting],
        "assumptions": list(claim.assumptions), "relation": claim.relation.value,
        "notes": claim.notes,
        "verdict": verdict.value, "expected_verdict": claim.expected.value,
        "matches_pin": verdict is claim.expected,
        "correction_latex": _correction_for(verdict, correction),
        "conditions": {"holds_under": [c["assumptions"] or [c["name"]] for c in holds],
                       "fails_under": [c["assumptions"] or [c["name"]] for c in fails]}
        if verdict is Verdict.CONDITIONAL else None,
        "key_z": _key_z(cases),
        "cases": cases,
        "seconds": time.perf_counter() - start,
    }


def _correction_for(verdict: Verdict, correction: tuple[str | None, str] | None) -> str | None:
    """ERRATUM: the claim's correction, or the derived result; CONDITIONAL: only the claim's own."""
    if correction is None:
        return None
    explicit, derived = correction
    if verdict is Verdict.ERRATUM:
        return explicit or derived
    if verdict is Verdict.CONDITIONAL:
        return explicit
    return None


def _key_z(cases: list[dict]) -> dict:
    """Per hypothesis, the z of largest magnitude over the in-scope Monte Carlo measurements.

    For an accepted hypothesis that is its worst agreement; for a rejected one its
    strongest rejection; always in standard errors (deterministic witnesses, whose z is in
    units of their error bound, are left to the claim's card). The summary table shows these.
    """
    out: dict[str, float] = {}
    for c in cases:
        if not c["in_scope"]:
            continue
        for e in c["numeric"]["experiments"]:
            if e["kind"] != "monte-carlo":
                continue
            for m in e["measurements"]:
                for label, chk in m["checks"].items():
                    z = chk["z"]
                    if isinstance(z, str):
                        continue
                    if label not in out or abs(z) > abs(out[label]):
                        out[label] = z
    return out


def check_claims(claims: Iterable[Claim], *, budget: str = "quick", seed: int = 0,
                 threads: int | None = None, alarm: FalseAlarmBudget = FalseAlarmBudget(),
                 progress: Progress | None = None) -> dict:
    """Check every claim; returns the full results document (``meta`` and ``claims``)."""
    from .results import run_metadata

    claims = list(claims)
    if threads is not None:
        if not (isinstance(threads, int) and 1 <= threads <= numba.config.NUMBA_NUM_THREADS):
            raise ValueError(f"threads={threads!r} must be an integer in "
                             f"[1, {numba.config.NUMBA_NUM_THREADS}]")
        numba.set_num_threads(threads)
    start = time.perf_counter()
    records = []
    for i, claim in enumerate(claims, 1):
        records.append(check_claim(
            claim, budget=budget, seed=seed, alarm=alarm,
            progress=(lambda msg, i=i: progress(f"[{i}/{len(claims)}] {msg}")) if progress else None))
    n_assertions = sum(len(e["measurements"]) for r in records for c in r["cases"]
                       for e in c["numeric"]["experiments"])
    if n_assertions > alarm.max_assertions:
        raise RuntimeError(
            f"{n_assertions} statistical assertions exceed the false-alarm budget's "
            f"max_assertions={alarm.max_assertions}; raise it (z_crit grows slowly)")
    meta = run_metadata(budget=budget, seed=seed, alarm=alarm, n_assertions=n_assertions,
                        seconds=time.perf_counter() - start)
    return {"meta": meta, "claims": records}
