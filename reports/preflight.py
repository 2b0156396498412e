"""Checks a claim must pass before anything is simulated: its LaTeX must parse.

A statement whose LaTeX does not parse cannot be shown to a reader (the report would fall
back to its source) nor guarded against its encoding (sympy's parser): an author meets the
error at ``slidecheck check``, before minutes of simulation, with the claim, the field, the
value and the rule named.
"""

from __future__ import annotations

from derivations.model import Claim

from .mathml import latex_problems

__all__ = ["ClaimInputError", "preflight"]


class ClaimInputError(ValueError):
    """A claim module's declaration that cannot be checked as written."""


def _latex(claim: Claim, field: str, latex: str) -> None:
    problems = latex_problems(latex)
    if problems:
        raise ClaimInputError(f"claim {claim.id!r}: {field}={latex!r} does not parse: {problems[0]} "
                              "(it must be LaTeX a reader can typeset; fix the module)")


def preflight(claim: Claim) -> None:
    """Raise :class:`ClaimInputError` if ``claim``'s LaTeX does not parse."""
    st = claim.statement
    _latex(claim, "statement.latex", st.latex)
    for r in (st.reconstruction.alternatives if st.reconstruction else ()):
        _latex(claim, f"reading {r.label!r} latex", r.latex)
    if st.latex_names is not None:
        from derivations.latex import LatexParseError, parse_quote

        try:
            parse_quote(st.latex, st.latex_names)
        except LatexParseError as exc:
            lines = str(exc).splitlines()
            caret = next((ln for ln in lines[1:] if ln.rstrip().endswith("^")), None)
            where = f" at column {len(caret.rstrip())}" if caret else ""
            raise ClaimInputError(f"claim {claim.id!r}: {lines[0]}{where}, with "
                                  f"latex_names={dict(st.latex_names)!r} "
                                  "(fix the LaTeX or the names, or set latex_names=None with a "
                                  "parse_note saying why)") from None
