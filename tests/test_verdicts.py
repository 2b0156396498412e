"""The double-entry judge on synthetic evidence: every row of DESIGN.md's verdict table."""

import math

import pytest

from derivations.model import Comparison, Equivalence, ExperimentResult, Measurement, Verdict
from numerics.stats import FalseAlarmBudget
from reports.verdicts import CaseOutcome, aggregate, case_outcome, judge_numeric

ALARM = FalseAlarmBudget()
PROVED = Comparison(Equivalence.PROVED, "test")
REFUTED = Comparison(Equivalence.REFUTED, "test")
UNDECIDED = Comparison(Equivalence.UNDECIDED, "test")


def _result(estimate, se, **predictions):
    return [ExperimentResult((Measurement("q", estimate, se, "test", predictions),), {})]


def _judge(cmp, estimate, se, must_reject, **preds):
    numeric = judge_numeric(_result(estimate, se, **preds), ALARM, must_reject)
    return case_outcome(cmp, numeric)


def test_holds():
    out, _ = _judge(PROVED, 1.0, 0.01, ["mutant: x2"], stated=1.0, derived=1.0, **{"mutant: x2": 2.0})
    assert out is CaseOutcome.HOLDS


def test_fails_when_both_witnesses_reject():
    out, _ = _judge(REFUTED, 1.0, 0.01, ["mutant: x2", "stated"], stated=0.1, derived=1.0,
                    **{"mutant: x2": 2.0})
    assert out is CaseOutcome.FAILS


def test_conflict_when_simulation_rejects_derivation():
    out, reasons = _judge(PROVED, 1.5, 0.01, ["mutant: x2"], stated=1.0, derived=1.0, **{"mutant: x2": 2.0})
    assert out is CaseOutcome.CONFLICT and "rejects the derived" in reasons[0]


def test_conflict_when_derivation_refutes_but_simulation_accepts_stated():
    # Stated 1.0 vs derived 1.0 + 12 se: resolvable, yet the estimate sits on... both? No:
    # put the estimate on the stated value, then the derived value is rejected -> conflict.
    out, _ = _judge(REFUTED, 1.0, 0.01, ["stated", "mutant: x2"], stated=1.0, derived=1.12,
                    **{"mutant: x2": 2.0})
    assert out is CaseOutcome.CONFLICT


def test_inconclusive_without_power_names_the_budget():
    # Mutant 0.03 away with se 0.01: 3 sigma < z_crit + z_power = 8.1 -> needs (8.1/3)^2 = 7.3x.
    out, reasons = _judge(PROVED, 1.0, 0.01, ["mutant: near"], stated=1.0, derived=1.0,
                          **{"mutant: near": 1.03})
    assert out is CaseOutcome.INCONCLUSIVE
    assert "7.3x the budget" in reasons[0]


def test_inconclusive_when_symbolic_undecided():
    out, _ = _judge(UNDECIDED, 1.0, 0.01, ["mutant: x2"], stated=1.0, derived=1.0, **{"mutant: x2": 2.0})
    assert out is CaseOutcome.INCONCLUSIVE


def test_bias_bound_counts_against_power():
    numeric = judge_numeric([ExperimentResult((Measurement("q", 1.0, 0.001, "t",
                             {"derived": 1.0, "stated": 1.0, "mutant: m": 1.02}, bias_bound=0.011),), {})],
                            ALARM, ["mutant: m"])
    assert math.isinf(numeric.unresolved["mutant: m"])


def test_unnormalisable_prediction_counts_as_rejected():
    out, _ = _judge(PROVED, 1.0, 0.01, ["mutant: bad"], stated=1.0, derived=1.0,
                    **{"mutant: bad": float("nan")})
    assert out is CaseOutcome.HOLDS


@pytest.mark.parametrize("outcomes, verdict", [
    ([(CaseOutcome.HOLDS, True)], Verdict.HOLDS),
    ([(CaseOutcome.FAILS, True)], Verdict.ERRATUM),
    ([(CaseOutcome.HOLDS, True), (CaseOutcome.FAILS, True)], Verdict.CONDITIONAL),
    ([(CaseOutcome.HOLDS, True), (CaseOutcome.FAILS, False)], Verdict.HOLDS),
    ([(CaseOutcome.HOLDS, True), (CaseOutcome.CONFLICT, False)], Verdict.CONFLICT),
    ([(CaseOutcome.HOLDS, True), (CaseOutcome.INCONCLUSIVE, True)], Verdict.INCONCLUSIVE),
    ([(CaseOutcome.HOLDS, True), (CaseOutcome.INCONCLUSIVE, False)], Verdict.HOLDS),
])
def test_aggregate(outcomes, verdict):
    assert aggregate(outcomes) is verdict
