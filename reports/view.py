"""What the templates show, computed from a results document: plain data, no markup.

The results document (:mod:`reports.results`) records everything; this module picks what a
reader needs first: the errata (statement, correction, evidence in one line), the summary
row of each claim (key z-scores), the interval each measurement accepts predictions in,
and the run's timings. Both templates (HTML and LaTeX) render the same view.
"""

from __future__ import annotations

import math

from numerics.stats import FalseAlarmBudget

__all__ = ["VERDICTS", "ERRATA_VERDICTS", "view", "evidence_line", "number"]

VERDICTS = ("HOLDS", "ERRATUM", "CONDITIONAL", "CONFLICT", "INCONCLUSIVE")
#: Verdicts whose claims head the report: the slide needs a correction or a condition.
ERRATA_VERDICTS = ("ERRATUM", "CONDITIONAL")


def number(value) -> float | None:
    """A recorded number (JSON writes NaN and infinities as strings) as a float, else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _measurements(claim: dict, in_scope_only: bool = True, kind: str | None = None):
    for case in claim["cases"]:
        if in_scope_only and not case.get("in_scope", True):
            continue
        for exp in case["numeric"]["experiments"]:
            if kind and exp.get("kind") != kind:
                continue
            for m in exp["measurements"]:
                yield case, exp, m


def _strongest(claim: dict, label: str, kind: str | None = "monte-carlo"):
    """The measurement where ``label``'s |z| is largest (its clearest rejection)."""
    best = None
    for case, exp, m in _measurements(claim, kind=kind):
        chk = m["checks"].get(label)
        z = number(chk["z"]) if chk else None
        if z is None or not math.isfinite(z):
            continue
        if best is None or abs(z) > abs(best[0]):
            best = (z, case, exp, m)
    return best


def _weakest_rejection(claim: dict) -> tuple[int, float | None]:
    """How many mutants there are, and the smallest of their strongest |z| (Monte Carlo)."""
    labels = {lab for _, _, m in _measurements(claim) for lab in m["checks"] if lab.startswith("mutant")}
    strongest = []
    for lab in labels:
        s = _strongest(claim, lab)
        if s is not None:
            strongest.append(abs(s[0]))
    return len(labels), (min(strongest) if strongest else None)


def evidence_line(claim: dict, z_crit: float = FalseAlarmBudget().z_crit) -> str:
    """The evidence for a verdict in one line a lecturer can check.

    A prediction is accepted within ``z_crit`` standard errors plus the measurement's stated
    bias bound; where the bias bound is what accepts it (|z| > ``z_crit`` on the statistical
    error alone), the line says so instead of quoting a large z as if it were a pass.
    """
    parts = []
    failing = [c for c in claim["cases"] if c.get("in_scope", True) and c["outcome"] == "fails"]
    sym = (failing or claim["cases"])[0]["symbolic"]
    parts.append(f"derivation: statement {sym['status']} ({sym['method']})")
    stated = _strongest(claim, "stated")
    if stated is not None:
        z, _, _, m = stated
        chk = m["checks"]["stated"]
        derived = m["checks"].get("derived", {})
        if chk["accepted"] and abs(z) > z_crit:
            diff = abs((number(m["estimate"]) or 0.0) - (number(chk["prediction"]) or 0.0))
            verdict = (f"accepts it within the stated bias bound {_g(m['bias_bound'], 2)} "
                       f"(difference {_g(diff, 2)}; |z| = {_z(abs(z))} on the statistical error alone)")
        else:
            verdict = f"{'accepts' if chk['accepted'] else 'rejects'} it at |z| = {_z(abs(z))}"
        parts.append(
            f"simulation {verdict} on {m['observable']} "
            f"(measured {_g(m['estimate'])} ± {_g(m['se'], 2)}, stated {_g(chk['prediction'])}, "
            f"derived {_g(derived.get('prediction'))})")
    d = [abs(number(m["checks"]["derived"]["z"]) or 0.0)
         for _, _, m in _measurements(claim, kind="monte-carlo") if "derived" in m["checks"]]
    if d:
        bound = " or within the stated bias bound" if max(d) > z_crit else ""
        parts.append(f"derived result accepted everywhere (|z| ≤ {_z(max(d))}{bound})"
                     if all(m["checks"]["derived"]["accepted"] for _, _, m in _measurements(claim))
                     else f"derived result rejected somewhere (|z| up to {_z(max(d))})")
    n, weakest = _weakest_rejection(claim)
    if n:
        parts.append(f"{n} mutant{'s' if n > 1 else ''} rejected (|z| ≥ {_z(weakest)})"
                     if weakest is not None else f"{n} mutant{'s' if n > 1 else ''}")
    det = [m for _, e, m in _measurements(claim, kind="deterministic")]
    if det:
        agree = all(m["checks"].get("derived", {}).get("accepted") for m in det)
        parts.append("deterministic third witness " + ("agrees with the derivation" if agree
                                                       else "disagrees with the derivation"))
    return "; ".join(parts)


def _z(z: float) -> str:
    """A |z| for a sentence: one decimal, or three digits and an exponent when it is huge."""
    return f"{z:.1f}" if abs(z) < 1e4 else f"{z:.3g}"


def _g(value, digits: int = 4) -> str:
    v = number(value)
    return "n/a" if v is None else f"{v:.{digits}g}"


def _key_z(claim: dict) -> dict:
    kz = claim.get("key_z") or {}
    muts = [abs(number(v)) for k, v in kz.items() if k.startswith("mutant") and number(v) is not None]
    return {"stated": number(kz.get("stated")), "derived": number(kz.get("derived")),
            "weakest_mutant": min(muts) if muts else None}


def _intervals(claim: dict, z_crit: float) -> None:
    """Each measurement's acceptance interval: estimate ± (z_crit se + bias bound)."""
    for case in claim["cases"]:
        for exp in case["numeric"]["experiments"]:
            for m in exp["measurements"]:
                est, se, bias = number(m["estimate"]), number(m["se"]) or 0.0, number(m.get("bias_bound")) or 0.0
                half = z_crit * se + bias
                m["view_interval"] = None if est is None else (est - half, est + half)


def view(results: dict) -> dict:
    """The render context: meta, claims (annotated copies), errata, conflicts, counts, timings."""
    import copy

    meta = results["meta"]
    z_crit = number(meta.get("false_alarm", {}).get("z_crit")) or 5.0
    claims = copy.deepcopy(results["claims"])
    counts = {v: 0 for v in VERDICTS}
    for c in claims:
        counts[c["verdict"]] = counts.get(c["verdict"], 0) + 1
        c["view"] = {"evidence": evidence_line(c, z_crit), "z": _key_z(c)}
        _intervals(c, z_crit)
    errata = [c for c in claims if c["verdict"] in ERRATA_VERDICTS]
    conflicts = [c for c in claims if c["verdict"] == "CONFLICT"]
    timings = sorted(((c["id"], number(c.get("seconds")) or 0.0) for c in claims),
                     key=lambda t: -t[1])
    seeds = [(c["id"], case["name"], e["name"], e.get("seed"))
             for c in claims for case in c["cases"] for e in case["numeric"]["experiments"]]
    return {"meta": meta, "claims": claims, "counts": counts, "errata": errata,
            "conflicts": conflicts, "verdicts": VERDICTS, "timings": timings, "seeds": seeds,
            "mismatches": [c for c in claims if not c.get("matches_pin", True)],
            "z_crit": z_crit}
