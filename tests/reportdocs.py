"""A small but complete results document for the rendering tests, and its rendered report.

Two real claims at the quick budget (from the session's ``quick_results`` cache, which the
catalogue tests fill anyway): ``000-langevin-1d`` (an ERRATUM from an OCR reconstruction,
with a histogram and ladders) and ``001-appendix-alpha`` (a bare aligned chain on the
slide). A third, synthetic record derived from the second covers what the catalogue may
not have today: a CONDITIONAL verdict with conditions, a CONFLICT, every registered plot
kind, and a plot kind nobody draws.
"""

import copy

import pytest

from plot_examples import EXAMPLES

REAL = ("000-langevin-1d", "001-appendix-alpha")


def _meta(records):
    from numerics.stats import FalseAlarmBudget
    from reports.results import run_metadata

    n = sum(len(e["measurements"]) for r in records for c in r["cases"] for e in c["numeric"]["experiments"])
    return run_metadata(budget="quick", seed=0, alarm=FalseAlarmBudget(), n_assertions=n,
                        seconds=sum(r["seconds"] for r in records))


def synthetic(record: dict) -> list[dict]:
    """A CONDITIONAL and a CONFLICT record built from a real one (layout exercised, not claims)."""
    cond = copy.deepcopy(record)
    cond.update(id="999-synthetic-conditional", title="Synthetic: holds under one assumption only",
                verdict="CONDITIONAL", expected_verdict="CONDITIONAL", matches_pin=True,
                correction_latex=r"\alpha = \frac{1}{2} \quad \text{when } \sigma \text{ is constant}",
                conditions={"holds_under": [[r"noise of constant \sigma"]],
                            "fails_under": [[r"noise \sigma(x) varying with x"]]})
    extra = copy.deepcopy(cond["cases"][0])
    extra.update(name="state-dependent noise", assumptions=[r"noise \sigma(x) varying with x"],
                 outcome="fails")
    cond["cases"][0]["assumptions"] = [r"noise of constant \sigma"]
    cond["cases"].append(extra)
    plots = [{"kind": k, "title": f"example {k}", "data": d} for k, d in EXAMPLES.items()]
    plots.append({"kind": "no-such-kind", "title": "a kind nobody draws", "data": {"t": [1, 2], "y": [3, 4]}})
    cond["cases"][0]["numeric"]["experiments"][0]["plots"] = plots
    conflict = copy.deepcopy(record)
    # What other decks bring: a slide title with inline math, a statement in words with
    # inline math, a clean deck's LaTeX quoted under a reconstruction, and a sympy symbol
    # whose name is LaTeX (its MathML token holds the LaTeX).
    conflict.update(id="999-synthetic-conflict", title="Synthetic: the witnesses disagree",
                    slide=r"Scaling $N_\mu$", verdict="CONFLICT", expected_verdict="HOLDS",
                    matches_pin=False,
                    statement_latex=(r"the running average $\hat\mu_t$ is the mean of $x_1,\dots,x_t$, "
                                     r"so $$\hat\mu_t = \frac{1}{t}\sum_{s \le t} x_s$$"),
                    quote=r"\Phi_{t+1}[i] = \Phi_t - \frac{\eta}{\sqrt{s_t[i]} + \epsilon} \mu_t[i]",
                    reconstruction={"note": r"read per coordinate, \Phi_t[i]", "confidence": "high",
                                    "readings": []})
    conflict["cases"][0].update(outcome="conflict",
                                reasons=["the simulation rejects the derived result on E[x**2]"])
    conflict["cases"][0]["symbolic"]["steps"] += [
        {"text": r"tr C = E_i \|g_i\|^2 = G_2: the slope is", "latex": r"E\|\hat{g}\|^{2}",
         "mathml": r"<math><msup><mi>E\|\hat{g}\|</mi><mn>2</mn></msup></math>", "srepr": "Symbol('x')"},
        _latex_named_step()]
    return [cond, conflict]


def _latex_named_step() -> dict:
    """A derivation step whose symbol is named in LaTeX (sympy's MathML printer splits it)."""
    import sympy as sp

    from derivations.latex import to_latex, to_mathml

    eq = sp.Eq(sp.Symbol(r"\frac{p(c_w)}{p(c_n)}", positive=True),
               4 * sp.exp(3 * sp.Symbol("I", positive=True)))
    return {"text": "Ratio of the densities at the two centres", "latex": to_latex(eq),
            "mathml": to_mathml(eq), "srepr": sp.srepr(eq)}


@pytest.fixture(scope="module")
def small_results(quick_results):
    records = [quick_results(cid) for cid in REAL]
    records += synthetic(records[1])
    from reports.render import json_safe

    return {"meta": _meta(records), "claims": json_safe(copy.deepcopy(records))}
