"""Text and formulas for the LaTeX errata document, made safe for pdflatex.

- :func:`tex_text` escapes prose (deck names, slide titles, reasons) and spells the
  Unicode it knows (dashes, quotes, Greek letters, relations) as LaTeX; other characters
  that pdflatex cannot typeset become ``[U+XXXX]``, so the document always compiles.
- :func:`tex_display` typesets a slide's formula: a bare aligned chain in ``aligned``,
  top-level environments (``align*``) as their inner forms, ``\\tag`` as a right-hand
  label; a formula that does not parse (:func:`reports.mathml.latex_problems`) is shown
  as its escaped source with a note, rather than breaking the document.
- :func:`tex_source` is LaTeX ready to paste, in a ``listings`` block.
"""

from __future__ import annotations

import re
import unicodedata

from .mathml import (complete_formula, formula_pieces, is_prose, latex_problems, mixed_segments,
                     prose_segments)

__all__ = ["tex_text", "tex_prose", "tex_display", "tex_source", "tex_id"]

_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
             "#": r"\#", "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}",
             "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}",
             "|": r"\textbar{}"}
_GREEK = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi " \
         "rho sigma tau upsilon phi chi psi omega".split()
_MATH_UNICODE = {
    "\u03c2": r"\varsigma", "\u03d5": r"\phi", "\u03c6": r"\varphi", "\u0393": r"\Gamma",
    "\u0394": r"\Delta", "\u0398": r"\Theta", "\u039b": r"\Lambda", "\u039e": r"\Xi",
    "\u03a0": r"\Pi", "\u03a3": r"\Sigma", "\u03a6": r"\Phi", "\u03a8": r"\Psi", "\u03a9": r"\Omega",
    "\u2248": r"\approx", "\u2264": r"\leq", "\u2265": r"\geq", "\u2260": r"\neq", "\u2192": r"\to",
    "\u221e": r"\infty", "\u00d7": r"\times", "\u00b7": r"\cdot", "\u2202": r"\partial",
    "\u2207": r"\nabla", "\u221d": r"\propto", "\u2211": r"\sum", "\u222b": r"\int",
    "\u00b1": r"\pm", "\u2212": "-", "\u2208": r"\in", "\u223c": r"\sim", "\u226a": r"\ll",
    "\u226b": r"\gg", "\u2261": r"\equiv", "\u2026": r"\dots", "\u2032": "'", "\u00b2": "^2",
    "\u2112": r"\mathcal{L}", "\u221a": r"\surd",
}
_MATH_UNICODE.update({unicodedata.lookup("GREEK SMALL LETTER " + {"lambda": "LAMDA"}.get(g, g.upper())): "\\" + g
                      for g in _GREEK if g != "omicron"})
_MATH_UNICODE[unicodedata.lookup("GREEK SMALL LETTER OMICRON")] = "o"
_TEXT_UNICODE = {"\u2014": "---", "\u2013": "--", "\u2018": "`", "\u2019": "'", "\u201c": "``",
                 "\u201d": "''", "\u2026": r"\dots{}", "\u00a0": "~", "\u00e9": r"\'e",
                 "\u00e8": r"\`e", "\u00fc": r'\"u', "\u00f6": r'\"o', "\u00e4": r'\"a',
                 "\u00df": r"\ss{}", "\u2022": r"\textbullet{}", "\u00b0": r"\textdegree{}"}


def _unicode_in_text(ch: str) -> str:
    if ch in _TEXT_UNICODE:
        return _TEXT_UNICODE[ch]
    if ch in _MATH_UNICODE:
        return f"${_MATH_UNICODE[ch]}$"
    return f"[U+{ord(ch):04X}]"


def tex_text(text) -> str:
    """Prose for LaTeX: specials escaped, known Unicode spelled out, the rest as code points."""
    out = []
    for ch in str(text if text is not None else ""):
        if ch in _SPECIALS:
            out.append(_SPECIALS[ch])
        elif ch == "\n":
            out.append(" ")
        elif ord(ch) < 128:
            out.append(ch)
        else:
            out.append(_unicode_in_text(ch))
    return "".join(out)


_ENV = re.compile(r"\\(begin|end)\s*\{([^{}]*)\}")
_ENV_FOR_LATEX = {"align": "aligned", "align*": "aligned", "eqnarray": "aligned",
                  "eqnarray*": "aligned", "alignat": "alignedat", "alignat*": "alignedat",
                  "gather": "gathered", "gather*": "gathered", "multline": "gathered",
                  "multline*": "gathered", "equation": "", "equation*": "", "displaymath": ""}


def _math_body(latex: str) -> str:
    text = complete_formula(latex)
    text = re.sub(r"\\tag\*?\{([^{}]*)\}", r"\\qquad(\1)", text)
    text = _ENV.sub(lambda m: m.group(0) if m.group(2).strip() not in _ENV_FOR_LATEX else
                    (f"\\{m.group(1)}{{{_ENV_FOR_LATEX[m.group(2).strip()]}}}"
                     if _ENV_FOR_LATEX[m.group(2).strip()] else ""), text)
    return "".join(_MATH_UNICODE.get(ch, ch) if ord(ch) >= 128 else ch for ch in text)


def tex_display(latex: str | None) -> str:
    """A formula as display math, or (if it does not parse) its source with a note."""
    if not latex:
        return ""
    if is_prose(latex):  # a statement in words with its math
        return r"\begin{quote}" + "".join(_mixed(kind, seg) for kind, seg in mixed_segments(latex)) + r"\end{quote}"
    problems = latex_problems(latex)
    bodies = [_math_body(p) for p in formula_pieces(latex)] if not problems else []
    if problems or any(ord(ch) >= 128 for b in bodies for ch in b):
        why = problems[0] if problems else "characters pdflatex cannot typeset in math"
        return (r"\begin{quote}\small\texttt{" + tex_text(latex) + r"}\\ \emph{(shown as source: "
                + tex_text(why) + r")}\end{quote}")
    return "\n".join(r"\[ " + b + r" \]" for b in bodies)


def _mixed(kind: str, seg: str) -> str:
    if kind == "text":
        return tex_text(seg)
    body = _math_body(seg)
    if latex_problems(seg) or any(ord(ch) >= 128 for ch in body):
        return r"\texttt{" + tex_text(seg) + "}"
    if kind == "display":
        return r"\[ " + body + r" \]"
    return "$" + body + "$" if "\\begin" not in body else r"\[ " + body + r" \]"


def tex_source(latex: str | None) -> str:
    """LaTeX ready to paste, verbatim in a ``listings`` block (ASCII only, else escaped)."""
    if not latex:
        return ""
    if any(ord(ch) >= 128 for ch in latex) or "\\end{lstlisting}" in latex:
        return r"\begin{quote}\small\texttt{" + tex_text(latex) + r"}\end{quote}"
    return "\\begin{lstlisting}\n" + latex.strip() + "\n\\end{lstlisting}"


def tex_prose(text) -> str:
    """Prose whose LaTeX runs (``\\sigma^2``, ``$...$``) are typeset as inline math."""
    out = []
    for is_math, piece in prose_segments(text):
        body = _math_body(piece) if is_math else ""
        if is_math and "\\begin" not in body and all(ord(ch) < 128 for ch in body):
            out.append(f"${body}$")
        else:
            out.append(tex_text(piece))
    return "".join(out)


def tex_id(text) -> str:
    """A claim id in typewriter type, breakable after each hyphen."""
    return r"\texttt{" + tex_text(text).replace("-", r"-\allowbreak{}") + "}"
