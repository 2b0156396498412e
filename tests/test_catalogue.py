"""The catalogue as a regression suite: one item per claim, asserting its pinned verdict.

Quick budget by default; ``pytest -m full`` reruns every claim at the report's full budget.
A failure message carries the verdict, the pin and the evidence, so a broken claim can be
read from the test log alone. Select claims with ``-k``, e.g. ``pytest -k langevin``.
"""

import pytest

from derivations.registry import all_claims

CLAIMS = all_claims()


def _evidence(record: dict) -> str:
    lines = [f"{record['id']}: verdict {record['verdict']}, pinned {record['expected_verdict']}"]
    for case in record["cases"]:
        sym = case["symbolic"]
        lines.append(f"  case {case['name']!r} ({'in' if case['in_scope'] else 'out of'} scope): "
                     f"{case['outcome']}; symbolic {sym['status']} ({sym['method']}); "
                     + "; ".join(case["reasons"]))
        for e in case["numeric"]["experiments"]:
            for m in e["measurements"]:
                zs = ", ".join(f"{k}: z={v['z'] if isinstance(v['z'], str) else round(v['z'], 2)}"
                               f"{'' if v['accepted'] else ' (rejected)'}" for k, v in m["checks"].items())
                lines.append(f"    {e['name']} | {m['observable']}: {m['estimate']:.6g} "
                             f"+/- {m['se']:.3g} (bias <= {m['bias_bound']:.2g}) | {zs}")
    return "\n".join(lines)


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_verdict_as_pinned(claim, quick_results):
    record = quick_results(claim.id)
    assert record["verdict"] == claim.expected.value, _evidence(record)


@pytest.mark.full
@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_verdict_as_pinned_full_budget(claim):
    from reports.engine import check_claim

    record = check_claim(claim, budget="full", seed=0)
    assert record["verdict"] == claim.expected.value, _evidence(record)
