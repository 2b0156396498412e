"""LaTeX in both directions: printing derived results, and reading a slide's statement.

:func:`to_latex` prints a sympy result with the claim's own notation (``\\mathcal{L}`` for
the loss, ``\\eta`` for the learning rate), so a correction can be pasted into the slide.
:func:`parse_quote` reads a statement's LaTeX with sympy's parser (ANTLR backend) after
mapping the deck's macros to symbol names; the guard test compares that parse with the
hand-written encoding, so an encoding cannot drift from its slide.
"""

from __future__ import annotations

import re
from typing import Mapping, Sequence

import sympy as sp

from .model import Parameter

__all__ = ["LatexParseError", "to_latex", "to_mathml", "parse_quote", "rename_to"]


class LatexParseError(ValueError):
    """A statement's LaTeX could not be read."""


def to_latex(expr: sp.Basic, setting: Sequence[Parameter] = ()) -> str:
    """``expr`` as LaTeX, function and symbol names printed as the setting declares them."""
    names, funcs = {}, {}
    for p in setting:
        if isinstance(p.symbol, sp.FunctionClass):
            funcs[p.symbol] = sp.Function(p.latex)
        else:
            names[p.symbol] = p.latex
    e = expr
    for f, g in funcs.items():
        e = e.replace(f, g)
    return sp.latex(e, symbol_names=names)


#: How declared LaTeX names print in MathML (sympy's presentation printer takes names).
_UNICODE = {r"\mathcal{L}": "\u2112", r"\Phi": "\u03a6", r"\hat{g}": "\u011d", r"\Sigma": "\u03a3",
            r"\mathcal{N}": "\U0001d4a9"}


def to_mathml(expr: sp.Basic, setting: Sequence[Parameter] = ()) -> str:
    """Presentation MathML (sympy's printer) with the setting's names, wrapped in ``<math>``."""
    from sympy.printing.mathml import mathml

    e = expr
    for p in setting:
        name = _UNICODE.get(p.latex)
        if name is None:
            continue
        if isinstance(p.symbol, sp.FunctionClass):
            e = e.replace(p.symbol, sp.Function(name))
        else:
            e = e.xreplace({p.symbol: sp.Symbol(name, **p.symbol.assumptions0)})
    body = mathml(e, printer="presentation")
    return f'<math xmlns="http://www.w3.org/1998/Math/MathML">{body}</math>'


_SIZING = re.compile(r"\\(left|right|big|Big|bigg|Bigg)(?![a-zA-Z])")


def parse_quote(latex: str, names: Mapping[str, str]) -> sp.Basic:
    """Parse ``latex`` after replacing each macro in ``names`` by its symbol name.

    Sizing commands (``\\left``, ``\\right``) are dropped; everything else is left to the
    parser. Raises :class:`LatexParseError` naming the input when the parser fails.
    """
    from sympy.parsing.latex import parse_latex
    from sympy.parsing.latex.errors import LaTeXParsingError

    text = _SIZING.sub("", latex)
    for macro, name in sorted(names.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(macro, f" {name} ")
    try:
        return parse_latex(text)
    except (LaTeXParsingError, TypeError, ValueError) as exc:
        raise LatexParseError(f"statement LaTeX {latex!r} does not parse: {exc}") from None


def rename_to(parsed: sp.Basic, reference: sp.Basic) -> sp.Basic:
    """Give the parsed expression the reference's symbols and functions, matched by name.

    The parser creates plain symbols (no assumptions); the encoding's symbols carry
    domains. Matching by name makes the two comparable.
    """
    by_name = {str(s): s for s in reference.free_symbols}
    mapping = {s: by_name[str(s)] for s in parsed.free_symbols if str(s) in by_name}
    out = parsed.xreplace(mapping)
    ref_funcs = {type(f).__name__: type(f) for f in reference.atoms(sp.core.function.AppliedUndef)}
    for f in out.atoms(sp.core.function.AppliedUndef):
        name = type(f).__name__
        if name in ref_funcs:
            out = out.replace(type(f), ref_funcs[name])
    return out
