"""The layout of ``results.json``, version 1, as data: documented here, checked by :func:`validate`.

``slidecheck render`` checks a results file against this layout before it renders
anything, so a corrupted or hand-edited file is refused with the path of the first bad
value (``claims[2].cases[0].numeric.experiments[1].measurements[0].se: ...``) instead of
failing half-way through a template. Keys not listed are allowed (a later minor addition
does not break an older renderer); a change to a listed key's meaning or type is a new
``schema_version`` (:data:`reports.results.SCHEMA_VERSION`).

Layout (``?`` optional or null; ``number``: a finite JSON number, or one of the strings
``"nan"``, ``"inf"``, ``"-inf"``, which is how slidecheck writes non-finite values)::

    {
      "meta": {"schema_version": 1, "slidecheck": str, "budget": "quick"|"full",
               "seed": int, "threads": int, "versions": {package: version str},
               "false_alarm": {"total", "max_assertions", "alpha_each", "z_crit",
                               "power", "z_power"}, "n_assertions": int,
               "seconds": number, "started": ISO-8601 str},
      "claims": [{
        "id", "title", "deck", "slide": str, "line": int?,
        "quote": str (verbatim deck text), "statement_latex": str (LaTeX on the slide,
        or its reconstruction), "statement": expr,
        "reconstruction": {"note", "confidence", "readings": [{"label", "latex", "note"}]}?,
        "setting": [{"symbol", "latex", "meaning", "domain"}], "assumptions": [str],
        "relation": "identity"|"density"|"custom", "notes": str,
        "verdict", "expected_verdict": HOLDS|ERRATUM|CONDITIONAL|CONFLICT|INCONCLUSIVE,
        "matches_pin": bool, "correction_latex": str?,
        "conditions": {"holds_under": [[str]], "fails_under": [[str]]}?,
        "key_z": {hypothesis label: number}, "seconds": number,
        "cases": [{
          "name": str, "assumptions": [str], "in_scope": bool,
          "outcome": "holds"|"fails"|"conflict"|"inconclusive", "reasons": [str],
          "symbolic": {"status", "method", "detail": str, "counterexample": {str: any}?,
                       "derived": expr, "steps": [{"text": str, + expr keys?}],
                       "readings": [{"label", "symbolic", "method"}]},
          "hypotheses": {label: expr},
          "numeric": {"derived_accepted", "stated_accepted": bool,
                      "unresolved": {label: number}, "mutants_not_rejected": [str],
                      "experiments": [{
                        "name", "kind": "monte-carlo"|"deterministic", "seed": int,
                        "seconds": number, "chain_steps": int, "setup": {...},
                        "plots": [{"kind": str, "title": str, "data": {...}}],
                        "measurements": [{
                          "observable", "se_method", "bias_note": str,
                          "estimate", "se", "bias_bound": number,
                          "checks": {label: {"prediction", "z": number, "accepted": bool,
                                             "power": number?, "note": str}}}]}]}}]}]
    }

where ``expr`` is ``{"latex": str, "mathml": str (presentation MathML), "srepr": str
(sympy's srepr, to rebuild the expression)}``. Plot data layouts by kind are documented in
:mod:`reports.plots`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

__all__ = ["LAYOUT", "validate", "SchemaError"]


class SchemaError(ValueError):
    """A value of a results document that does not have the documented layout."""


# --- a tiny vocabulary of shapes -------------------------------------------------------------

@dataclass(frozen=True)
class Shape:
    name: str
    check: Callable[[Any, str], None]

    def __call__(self, value, path):
        self.check(value, path)


def _fail(path: str, value, want: str):
    shown = repr(value)
    raise SchemaError(f"{path}: {shown[:80]}{'...' if len(shown) > 80 else ''} must be {want}")


def _type(name: str, pred) -> Shape:
    def check(v, path):
        if not pred(v):
            _fail(path, v, name)
    return Shape(name, check)


STR = _type("a string", lambda v: isinstance(v, str))
INT = _type("an integer", lambda v: isinstance(v, int) and not isinstance(v, bool))
BOOL = _type("true or false", lambda v: isinstance(v, bool))
ANY = Shape("anything", lambda v, p: None)
NUMBER = _type('a finite number or "nan"/"inf"/"-inf"',
               lambda v: (isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v))
               or v in ("nan", "inf", "-inf"))


def OPT(shape: Shape) -> Shape:
    return Shape(f"{shape.name} or null", lambda v, p: None if v is None else shape(v, p))


def ONE_OF(*values) -> Shape:
    return _type("one of " + ", ".join(map(repr, values)), lambda v: v in values)


def LIST(item: Shape) -> Shape:
    def check(v, path):
        if not isinstance(v, list):
            _fail(path, v, f"a list of {item.name}")
        for i, u in enumerate(v):
            item(u, f"{path}[{i}]")
    return Shape(f"a list of {item.name}", check)


def DICT(value: Shape) -> Shape:
    def check(v, path):
        if not isinstance(v, dict):
            _fail(path, v, f"an object of {value.name}")
        for k, u in v.items():
            value(u, f"{path}.{k}")
    return Shape(f"an object of {value.name}", check)


def OBJ(fields: dict[str, Shape]) -> Shape:
    def check(v, path):
        if not isinstance(v, dict):
            _fail(path, v, "an object")
        missing = [k for k in fields if k not in v]
        if missing:
            raise SchemaError(f"{path}: lacks {', '.join(map(repr, missing))}")
        for k, shape in fields.items():
            shape(v[k], f"{path}.{k}")
    return Shape("an object", check)


# --- the layout -------------------------------------------------------------------------------

VERDICT = ONE_OF("HOLDS", "ERRATUM", "CONDITIONAL", "CONFLICT", "INCONCLUSIVE")
EXPR = OBJ({"latex": STR, "mathml": STR, "srepr": STR})
META = OBJ({
    "schema_version": INT, "slidecheck": STR, "budget": ONE_OF("quick", "full"), "seed": INT,
    "threads": INT,
    "versions": DICT(STR),
    "false_alarm": OBJ({"total": NUMBER, "max_assertions": INT, "alpha_each": NUMBER,
                        "z_crit": NUMBER, "power": NUMBER, "z_power": NUMBER}),
    "n_assertions": INT, "seconds": NUMBER, "started": STR})
CHECK = OBJ({"prediction": NUMBER, "z": NUMBER, "accepted": BOOL, "power": OPT(NUMBER)})
MEASUREMENT = OBJ({"observable": STR, "estimate": NUMBER, "se": NUMBER, "se_method": STR,
                   "bias_bound": NUMBER, "bias_note": STR, "checks": DICT(CHECK)})
EXPERIMENT = OBJ({"name": STR, "kind": ONE_OF("monte-carlo", "deterministic"), "seed": INT,
                  "seconds": NUMBER, "chain_steps": INT, "setup": DICT(ANY),
                  "plots": LIST(OBJ({"kind": STR, "title": STR, "data": ANY})),
                  "measurements": LIST(MEASUREMENT)})
CASE = OBJ({
    "name": STR, "assumptions": LIST(STR), "in_scope": BOOL,
    "outcome": ONE_OF("holds", "fails", "conflict", "inconclusive"), "reasons": LIST(STR),
    "symbolic": OBJ({"status": STR, "method": STR, "detail": STR, "counterexample": OPT(DICT(ANY)),
                     "derived": EXPR, "steps": LIST(OBJ({"text": STR})),
                     "readings": LIST(OBJ({"label": STR, "symbolic": STR, "method": STR}))}),
    "hypotheses": DICT(EXPR),
    "numeric": OBJ({"derived_accepted": BOOL, "stated_accepted": BOOL,
                    "unresolved": DICT(NUMBER), "mutants_not_rejected": LIST(STR),
                    "experiments": LIST(EXPERIMENT)})})
CLAIM = OBJ({
    "id": STR, "title": STR, "deck": STR, "slide": STR, "line": OPT(INT), "quote": STR,
    "statement_latex": STR, "statement": EXPR,
    "reconstruction": OPT(OBJ({"note": STR, "confidence": STR,
                               "readings": LIST(OBJ({"label": STR, "latex": STR, "note": STR}))})),
    "setting": LIST(OBJ({"symbol": STR, "latex": STR, "meaning": STR, "domain": STR})),
    "assumptions": LIST(STR), "relation": STR, "notes": STR,
    "verdict": VERDICT, "expected_verdict": VERDICT, "matches_pin": BOOL,
    "correction_latex": OPT(STR),
    "conditions": OPT(OBJ({"holds_under": LIST(LIST(STR)), "fails_under": LIST(LIST(STR))})),
    "key_z": DICT(NUMBER), "cases": LIST(CASE), "seconds": NUMBER})
LAYOUT = OBJ({"meta": META, "claims": LIST(CLAIM)})


def validate(doc) -> None:
    """Raise :class:`SchemaError` at the first value that does not fit :data:`LAYOUT`."""
    LAYOUT(doc, "results")
