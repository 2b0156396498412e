"""Double entry: the symbolic and the numeric witness judged together (DESIGN.md, "The verdict").

Per measurement and hypothesis the numeric witness *accepts* a prediction within
``z_crit * se + bias_bound`` of the estimate and *rejects* it otherwise. Per case:

- the derived result must be accepted by every measurement, or the simulation disagrees
  with the derivation: CONFLICT;
- every wrong alternative (each mutant, and the statement when the derivation refutes it)
  must be *resolvable* (separated from the derived prediction by ``z_crit + z_power``
  standard errors after paying the bias bound twice) by at least one measurement, or the
  experiment lacks power: INCONCLUSIVE, with the budget factor it would need;
- every mutant must be rejected;
- then the statement holds in this case when both witnesses accept it, fails when both
  reject it, and the two witnesses disagree (CONFLICT) otherwise.

Over the cases: any CONFLICT or in-scope INCONCLUSIVE decides; else all in-scope cases
hold (HOLDS), all fail (ERRATUM), or some hold and some fail (CONDITIONAL).
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field

from derivations.model import Comparison, ExperimentResult, Measurement, Verdict
from numerics.stats import (FalseAlarmBudget, budget_factor_needed, resolving_power,
                            within_tolerance, z_score)

__all__ = ["CaseOutcome", "HypothesisCheck", "JudgedMeasurement", "NumericJudgement",
           "judge_measurement", "judge_numeric", "case_outcome", "aggregate"]


class CaseOutcome(enum.Enum):
    HOLDS = "holds"
    FAILS = "fails"
    CONFLICT = "conflict"
    INCONCLUSIVE = "inconclusive"


@dataclass(frozen=True)
class HypothesisCheck:
    """One hypothesis against one measurement."""

    label: str
    prediction: float
    z: float  # (estimate - prediction) / se, or / bias_bound for deterministic witnesses
    accepted: bool
    power: float | None  # separation from the derived prediction, in se, after bias; None for derived
    note: str = ""


@dataclass(frozen=True)
class JudgedMeasurement:
    measurement: Measurement
    checks: dict[str, HypothesisCheck]


@dataclass
class NumericJudgement:
    """The numeric witness's view of one case."""

    measurements: list[JudgedMeasurement]
    derived_accepted: bool
    stated_accepted: bool
    unresolved: dict[str, float] = field(default_factory=dict)  # label -> budget factor needed
    mutants_not_rejected: list[str] = field(default_factory=list)

    @property
    def powered(self) -> bool:
        return not self.unresolved


def _scale(m: Measurement) -> float:
    """The unit of z: the standard error, or the error bound of a deterministic witness."""
    if m.standard_error > 0:
        return m.standard_error
    return m.bias_bound if m.bias_bound > 0 else 0.0


def judge_measurement(m: Measurement, alarm: FalseAlarmBudget) -> JudgedMeasurement:
    if "derived" not in m.predictions:
        raise ValueError(f"measurement {m.observable!r} has no prediction for 'derived'")
    if not (math.isfinite(m.estimate) and m.standard_error >= 0 and m.bias_bound >= 0):
        raise ValueError(f"measurement {m.observable!r}: estimate={m.estimate}, "
                         f"se={m.standard_error}, bias_bound={m.bias_bound} must be finite, >= 0")
    right = m.predictions["derived"]
    checks = {}
    for label, pred in m.predictions.items():
        if not math.isfinite(pred):
            checks[label] = HypothesisCheck(label, pred, math.nan, False, math.inf,
                                            "no finite prediction (e.g. a density that does not normalise)")
            continue
        accepted = within_tolerance(m.estimate, pred, m.standard_error, m.bias_bound, alarm.z_crit)
        power = None if label == "derived" else resolving_power(right, pred, m.standard_error, m.bias_bound)
        checks[label] = HypothesisCheck(label, pred, z_score(m.estimate, pred, _scale(m)), accepted, power)
    return JudgedMeasurement(m, checks)


def judge_numeric(results: list[ExperimentResult], alarm: FalseAlarmBudget,
                  must_reject: list[str]) -> NumericJudgement:
    """Judge every measurement of a case; ``must_reject`` lists the wrong alternatives."""
    judged = [judge_measurement(m, alarm) for r in results for m in r.measurements]
    if not judged:
        raise ValueError("a case needs at least one measurement")
    derived_ok = all(j.checks["derived"].accepted for j in judged)
    stated_ok = all(j.checks["stated"].accepted for j in judged if "stated" in j.checks)
    needed = alarm.z_crit + alarm.z_power
    unresolved, not_rejected = {}, []
    for label in must_reject:
        rows = [j for j in judged if label in j.checks]
        if not rows:
            raise ValueError(f"no measurement predicts {label!r}; every wrong alternative needs one")
        if not any((j.checks[label].power or 0) >= needed for j in rows):
            unresolved[label] = min(
                budget_factor_needed(j.checks["derived"].prediction, j.checks[label].prediction,
                                     j.measurement.standard_error, j.measurement.bias_bound, needed)
                if math.isfinite(j.checks[label].prediction) else 1.0
                for j in rows)
        if label.startswith("mutant") and all(j.checks[label].accepted for j in rows):
            not_rejected.append(label)
    return NumericJudgement(judged, derived_ok, stated_ok, unresolved, not_rejected)


def case_outcome(comparison: Comparison, numeric: NumericJudgement) -> tuple[CaseOutcome, list[str]]:
    """One case's outcome and the reasons, in words a lecturer can check."""
    reasons = []
    agrees = comparison.status.agrees
    if agrees is None:
        return CaseOutcome.INCONCLUSIVE, [f"symbolic witness {comparison.status.value}: {comparison.detail}"]
    if not numeric.derived_accepted:
        bad = [j.measurement.observable for j in numeric.measurements if not j.checks["derived"].accepted]
        return CaseOutcome.CONFLICT, [f"the simulation rejects the derived result on {', '.join(bad)}"]
    if numeric.unresolved:
        for label, factor in numeric.unresolved.items():
            need = ("a smaller step (the bias bound eats the separation)" if math.isinf(factor)
                    else f"about {factor:.1f}x the budget")
            reasons.append(f"cannot resolve {label} from the derived result: needs {need}")
        return CaseOutcome.INCONCLUSIVE, reasons
    if numeric.mutants_not_rejected:
        return CaseOutcome.CONFLICT, [f"the simulation accepts {', '.join(numeric.mutants_not_rejected)} "
                                      "although it has the power to reject it"]
    if agrees and numeric.stated_accepted:
        return CaseOutcome.HOLDS, ["derivation and simulation both agree with the statement; "
                                   "every mutant rejected"]
    if not agrees and not numeric.stated_accepted:
        return CaseOutcome.FAILS, ["derivation refutes the statement and the simulation rejects it; "
                                   "the derived result is accepted"]
    if agrees:
        return CaseOutcome.CONFLICT, ["derivation agrees with the statement but the simulation rejects it"]
    return CaseOutcome.CONFLICT, ["derivation refutes the statement but the simulation accepts it"]


def aggregate(outcomes: list[tuple[CaseOutcome, bool]]) -> Verdict:
    """Claim verdict from ``(outcome, in_scope)`` per case."""
    if any(o is CaseOutcome.CONFLICT for o, _ in outcomes):
        return Verdict.CONFLICT
    in_scope = [o for o, s in outcomes if s]
    if any(o is CaseOutcome.INCONCLUSIVE for o in in_scope):
        return Verdict.INCONCLUSIVE
    if all(o is CaseOutcome.HOLDS for o in in_scope):
        return Verdict.HOLDS
    if all(o is CaseOutcome.FAILS for o in in_scope):
        return Verdict.ERRATUM
    return Verdict.CONDITIONAL

