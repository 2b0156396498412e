"""Math for the HTML report: LaTeX to MathML, sympy's MathML cleaned, everything whitelisted.

Browsers render MathML natively (MathML Core), so the report needs no script and no CDN.
Two sources reach the page:

- the slides' own LaTeX, converted by latex2mathml (:func:`latex_to_mathml`). Slide
  fragments are often not complete formulas: an aligned chain quoted without its
  environment (``a &= b \\\\ &= c``), an OCR reconstruction with ``\\quad`` and ``\\tag``.
  :func:`complete_formula` wraps a bare chain in ``aligned``, and the environments that
  latex2mathml does not know are rewritten to ones it does (``aligned`` -> ``align*``);
- sympy's presentation printer (results carry its output), whose ``mfenced`` MathML Core
  no longer renders and whose named entities (``&InvisibleTimes;``) are not XML.

:func:`safe_mathml` parses the markup as XML, admits only presentation-MathML elements and
attributes, rewrites ``mfenced`` to ``mrow``/``mo``, and serialises the tree itself, so
nothing but MathML (and escaped text) reaches the page. Anything it cannot admit is shown
as its escaped source, never dropped silently.

:func:`latex_problems` is the strict check behind the renderer's graceful one: it lists
what is wrong with a statement's LaTeX (unbalanced braces or environments, commands that no
converter knows), so that ``slidecheck check`` can refuse a claim whose LaTeX does not parse.
"""

from __future__ import annotations

import functools
import html.entities
import re
import xml.etree.ElementTree as ET

from markupsafe import Markup, escape

__all__ = ["MATHML_NS", "complete_formula", "formula_pieces", "latex_problems", "latex_to_mathml", "safe_mathml",
           "prose_segments", "prose_html", "is_prose", "mixed_segments", "deck_quote_html", "expr_html",
           "latex_source_html"]

MATHML_NS = "http://www.w3.org/1998/Math/MathML"

#: Presentation MathML (MathML Core plus ``mfenced``, which is rewritten, and ``mstyle``).
_TAGS = frozenset({
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "mfrac", "msqrt", "mroot",
    "msup", "msub", "msubsup", "mover", "munder", "munderover", "mmultiscripts", "mprescripts",
    "none", "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose", "merror",
    "semantics", "mfenced", "maligngroup", "malignmark"})
#: Attributes with no behaviour beyond layout; values are escaped when serialised.
_ATTRS = frozenset({
    "display", "displaystyle", "scriptlevel", "mathvariant", "mathsize", "dir", "stretchy",
    "fence", "form", "separator", "separators", "lspace", "rspace", "largeop", "movablelimits",
    "symmetric", "minsize", "maxsize", "accent", "accentunder", "linethickness", "numalign",
    "denomalign", "bevelled", "width", "height", "depth", "voffset", "linebreak",
    "columnalign", "rowalign", "columnspacing", "rowspacing", "columnlines", "rowlines",
    "frame", "framespacing", "equalrows", "equalcolumns", "rowspan", "columnspan", "align",
    "notation", "open", "close"})
#: sympy's printer writes a few HTML named entities; MathML Core shows these best as plain
#: letters (U+2147 DOUBLE-STRUCK ITALIC SMALL E is hard to read as Euler's number).
_READABLE = {"ExponentialE": "e", "ImaginaryI": "i", "dd": "d", "DifferentialD": "d"}
_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_BARE_TOKEN = re.compile(r"<(mo|mi|mn|mtext)>([<>&])</\1>")


def _named_entities_to_text(markup: str) -> str:
    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name in _READABLE:
            return _READABLE[name]
        if name in ("lt", "gt", "amp", "quot", "apos"):
            return m.group(0)  # XML's own
        ch = html.entities.html5.get(name + ";")
        return str(escape(ch)) if ch is not None else m.group(0)
    return _ENTITY.sub(sub, markup)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _unfence(el: ET.Element) -> ET.Element:
    """``<mfenced open="(" close=")" separators=",">a b</mfenced>`` as ``<mrow>(a,b)</mrow>``."""
    for i, child in enumerate(list(el)):
        el[i] = _unfence(child)
    if _local(el.tag) != "mfenced":
        return el
    row = ET.Element("mrow")
    row.tail = el.tail
    seps = (el.get("separators", ",") or "").split() or [""]
    seps = list("".join(seps)) or [""]

    def mo(text):
        node = ET.SubElement(row, "mo")
        node.text = text
        return node

    mo(el.get("open", "("))
    children = list(el)
    for i, child in enumerate(children):
        child_tail, child.tail = child.tail, None
        row.append(child)
        if i < len(children) - 1 and seps != [""]:
            mo(seps[min(i, len(seps) - 1)])
        del child_tail
    mo(el.get("close", ")"))
    return row


_ALIGN = {"left": "text-align: left; padding-left: 0", "right": "text-align: right; padding-right: 0",
          "center": "text-align: center"}


def _cell_alignment(table: ET.Element) -> None:
    """MathML Core ignores ``columnalign``: carry it to each cell as CSS (from our fixed set)."""
    default = (table.get("columnalign") or "").split()
    for row in table:
        if _local(row.tag) != "mtr":
            continue
        row_default = (row.get("columnalign") or "").split() or default
        for j, cell in enumerate(row):
            align = cell.get("columnalign") or (row_default[min(j, len(row_default) - 1)]
                                                if row_default else None)
            if align in _ALIGN:
                cell.set("style", _ALIGN[align])


_BRACKETS = set("()[]{}|\u2016\u27e8\u27e9")
_TALL = {"mfrac", "mtable", "munderover", "munder", "msqrt", "mroot"}


def _tighten_fences(row: ET.Element) -> None:
    """Brackets around flat content as non-stretchy: Chromium pads stretchy ones (``p ( x )``)."""
    brackets = [c for c in row if _local(c.tag) == "mo" and (c.text or "").strip() in _BRACKETS
                and c.get("stretchy") != "false"]
    if brackets and not any(_local(d.tag) in _TALL for c in row if c not in brackets for d in c.iter()):
        for c in brackets:
            c.set("stretchy", "false")


def _serialise(el: ET.Element, out: list[str]) -> None:
    tag = _local(el.tag)
    if tag == "mtable":
        _cell_alignment(el)
    if tag in ("mrow", "math"):
        _tighten_fences(el)
    if tag == "mo" and (el.text or "").strip() == "-":
        el.text = "\u2212"  # a minus sign, not a hyphen
    attrs = "".join(f' {k}="{escape(v)}"' for k, v in sorted(el.attrib.items()))
    if tag == "math":
        attrs = f' xmlns="{MATHML_NS}"' + attrs
    out.append(f"<{tag}{attrs}>")
    if el.text:
        out.append(str(escape(el.text)))
    for child in el:
        _serialise(child, out)
    out.append(f"</{tag}>")
    if el.tail and el.tail.strip():
        out.append(str(escape(el.tail)))


def _admit(el: ET.Element) -> str | None:
    """The first thing in the tree that is not presentation MathML, or None."""
    ns = el.tag[1:].split("}", 1)[0] if el.tag.startswith("{") else MATHML_NS
    if ns != MATHML_NS:
        return f"element {el.tag!r} outside the MathML namespace"
    if _local(el.tag) not in _TAGS:
        return f"element <{_local(el.tag)}>"
    for name in el.attrib:
        if name.startswith("{") or name not in _ATTRS:
            return f"attribute {name!r} on <{_local(el.tag)}>"
    for child in el:
        problem = _admit(child)
        if problem:
            return problem
    return None


def _parse(markup: str) -> ET.Element:
    """MathML text as an element tree; raises ``ValueError`` on anything but plain elements."""
    if re.search(r"<[!?]", markup):  # comments, CDATA, doctypes, processing instructions
        raise ValueError("markup holds a comment, CDATA section, doctype or processing instruction")
    text = _BARE_TOKEN.sub(lambda m: f"<{m[1]}>{escape(m[2])}</{m[1]}>", markup)
    text = _named_entities_to_text(text)
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ValueError(f"not well-formed MathML: {exc}") from None
    if _local(root.tag) != "math":
        root = _wrap(root)
    problem = _admit(root)
    if problem:
        raise ValueError(f"not presentation MathML: {problem}")
    return _unfence(root)


@functools.lru_cache(maxsize=512)
def _latex_name_tree(text: str) -> ET.Element | None:
    """Token text that is LaTeX (``\\Delta``, ``E\\|\\hat{g}\\|``) as one MathML element, or None."""
    if latex_problems(text):
        return None
    tree = ET.fromstring(_named_entities_to_text(_convert(text)))
    body = list(tree)
    while len(body) == 1 and _local(body[0].tag) == "mrow" and len(list(body[0])) == 1:
        body = list(body[0])
    if len(body) == 1:
        return body[0]
    row = ET.Element("mrow")
    row.extend(body)
    return row


def _command_names_to_symbols(root: ET.Element) -> None:
    """sympy prints a symbol named ``\\Delta`` as ``<mi>\\Delta</mi>`` (and splits longer LaTeX
    names at ``^`` and ``_``): typeset each token whose text is LaTeX instead."""
    import copy

    for parent in root.iter():
        for i, el in enumerate(list(parent)):
            text = (el.text or "").strip()
            if _local(el.tag) in ("mi", "mo", "mn") and "\\" in text and len(text) > 1 and len(el) == 0:
                tree = _latex_name_tree(text)
                if tree is not None:
                    new = copy.deepcopy(tree)
                    new.tail = el.tail
                    parent[i] = new


def _fallback(source: str) -> Markup:
    return Markup('<code class="math-source">{}</code>').format(source)


def safe_mathml(markup: str | None, display: bool = False, *, symbol_names: bool = True) -> Markup:
    """Admit presentation MathML, re-serialised from its parse; anything else is escaped.

    ``symbol_names``: typeset token text that is LaTeX (sympy prints a symbol named
    ``\\Delta`` as ``<mi>\\Delta</mi>``).
    """
    if not markup:
        return Markup("")
    try:
        root = _parse(markup)
    except ValueError:
        return _fallback(markup)
    if symbol_names:
        _command_names_to_symbols(root)
    if display:
        root.set("display", "block")
    out: list[str] = []
    _serialise(root, out)
    return Markup("".join(out))


# --- the slides' LaTeX -------------------------------------------------------------------

_ENV = re.compile(r"\\(begin|end)\s*\{([^{}]*)\}")
#: Environments latex2mathml does not know, and what to give it instead.
_ENV_FOR_MATHML = {"aligned": "align*", "alignedat": "align*", "alignat": "align*",
                   "alignat*": "align*", "align": "align*", "eqnarray": "align*",
                   "eqnarray*": "align*", "gathered": "gather", "gather": "gather",
                   "gather*": "gather", "multline": "gather", "multline*": "gather",
                   "equation": "", "equation*": "", "displaymath": ""}


def _top_level_alignment(latex: str) -> bool:
    """Whether ``&`` or ``\\\\`` occur outside every environment (a bare aligned chain)."""
    depth = 0
    i = 0
    while i < len(latex):
        m = _ENV.match(latex, i)
        if m:
            depth += 1 if m.group(1) == "begin" else -1
            i = m.end()
            continue
        ch = latex[i]
        if ch == "\\":
            if latex.startswith("\\\\", i) and depth == 0:
                return True
            i += 2  # skip the escaped character or the command's first letter
            continue
        if ch == "&" and depth == 0:
            return True
        i += 1
    return False


def complete_formula(latex: str) -> str:
    """A slide fragment as a complete formula: a bare ``&``/``\\\\`` chain wrapped in ``aligned``.

    ``\\tag`` is dropped inside alignments, where amsmath forbids it.
    """
    text = latex.strip()
    if _top_level_alignment(text):
        if "&" not in text:  # rows without alignment points
            return "\\begin{gathered}" + text + "\\end{gathered}"
        return "\\begin{aligned}" + re.sub(r"\\tag\*?\{[^{}]*\}", "", text) + "\\end{aligned}"
    return text


_DISPLAY = re.compile(r"(?<!\\)\$\$")


def _restore_environments(text: str) -> str:
    """A fragment cut out of an environment gets its ends back: ``a &= b \\end{aligned}``
    becomes ``\\begin{aligned}a &= b \\end{aligned}``, and an unclosed ``\\begin`` is closed.
    Crossed environments are left as they are (:func:`latex_problems` reports them)."""
    stack, opened_before = [], []
    for m in _ENV.finditer(text):
        name = m.group(2)
        if m.group(1) == "begin":
            stack.append(name)
        elif stack and stack[-1] == name:
            stack.pop()
        elif not stack:
            opened_before.append(name)
        else:
            return text
    return ("".join(f"\\begin{{{n}}}" for n in reversed(opened_before)) + text
            + "".join(f"\\end{{{n}}}" for n in reversed(stack)))


def formula_pieces(latex: str) -> list[str]:
    """A quote as the display formulas it holds: split at ``$$`` (a quote may run across two
    formulas of a slide), each with the environments it cuts through restored."""
    return [_restore_environments(p.strip()) for p in _DISPLAY.split(latex or "") if p.strip()]


def _for_latex2mathml(latex: str) -> str:
    text = complete_formula(latex)

    def env(m: re.Match) -> str:
        name = m.group(2).strip()
        if name not in _ENV_FOR_MATHML:
            return m.group(0)
        new = _ENV_FOR_MATHML[name]
        if name == "gathered" or new == "gather":
            return "\\begin{array}{c}" if m.group(1) == "begin" else "\\end{array}"
        return f"\\{m.group(1)}{{{new}}}" if new else ""
    text = _ENV.sub(env, text)
    # \begin{alignedat}{2} carries a column count that align* would typeset.
    return re.sub(r"(\\begin\{align\*\})\s*\{\d+\}", r"\1", text)


@functools.lru_cache(maxsize=4096)
def _convert(latex: str) -> str:
    import latex2mathml.converter

    return latex2mathml.converter.convert(_for_latex2mathml(latex))


def _leftover_latex(root: ET.Element) -> str | None:
    """Text in the converted tree that is still LaTeX: an unknown command or a stray ``&``."""
    for el in root.iter():
        text = (el.text or "")
        if _local(el.tag) in ("mi", "mo", "mn") and (text.startswith("\\") and len(text) > 1):
            return f"unknown command {text}"
        if _local(el.tag) == "mi" and text == "&":
            return "an alignment '&' outside any alignment environment"
    return None


def _balance(latex: str) -> str | None:
    depth, envs, lefts = 0, [], 0
    i = 0
    while i < len(latex):
        m = _ENV.match(latex, i)
        if m:
            if m.group(1) == "begin":
                envs.append(m.group(2))
            elif not envs:
                return f"\\end{{{m.group(2)}}} without \\begin"
            elif envs[-1] != m.group(2):
                return f"\\begin{{{envs[-1]}}} closed by \\end{{{m.group(2)}}}"
            else:
                envs.pop()
            i = m.end()
            continue
        ch = latex[i]
        if ch == "\\":
            word = re.match(r"\\([A-Za-z]+)", latex[i:])
            if word:
                lefts += {"left": 1, "right": -1}.get(word.group(1), 0)
                i += len(word.group(0))
            else:
                i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return "a '}' closes no '{'"
        i += 1
    if depth:
        return f"{depth} unclosed '{{'"
    if envs:
        return f"\\begin{{{envs[-1]}}} is never closed"
    if lefts:
        return f"\\left and \\right do not pair ({'+' if lefts > 0 else ''}{lefts})"
    return None


def latex_problems(latex: str) -> list[str]:
    """What keeps ``latex`` from being formulas the report can typeset; empty when fine.

    For a statement in words (``$`` delimiters), the problems of its formulas.
    """
    if not isinstance(latex, str) or not latex.strip():
        return ["the LaTeX is empty"]
    if is_prose(latex):
        return [p for kind, seg in mixed_segments(latex) if kind != "text" for p in _latex_problems(seg)]
    if not formula_pieces(latex):
        return ["the LaTeX is empty"]
    return [p for piece in formula_pieces(latex) for p in _latex_problems(piece)]


@functools.lru_cache(maxsize=8192)
def _latex_problems(latex: str) -> tuple[str, ...]:
    problem = _balance(latex)
    if problem:
        return (problem,)
    try:
        root = _parse(_convert(latex))
    except Exception as exc:  # latex2mathml raises many types on odd input
        return (f"the LaTeX-to-MathML converter fails: {type(exc).__name__}: {exc}",)
    leftover = _leftover_latex(root)
    return (leftover,) if leftover else ()


def is_prose(latex: str) -> bool:
    """Whether ``latex`` is text with math in ``$``/``$$`` delimiters (a slide's sentence,
    ``... $\\hat\\mu_t$ is ...``, perhaps cut mid-formula), not bare formulas."""
    return bool(re.search(r"(?<!\\)\$", latex or ""))


def _looks_like_math(text: str) -> bool:
    """No English word left once commands and ``\\text{...}`` are removed."""
    t = re.sub(r"\\(?:text|mathrm|operatorname|begin|end)\{[^{}]*\}", "", text)
    t = re.sub(r"\\[A-Za-z]+", "", t)
    return bool(text.strip()) and not re.search(r"[A-Za-z]{4,}", t)


def mixed_segments(latex: str) -> list[tuple[str, str]]:
    """A statement in words as ``(kind, text)`` pieces, kind ``text``, ``inline`` or ``display``.

    ``$$`` delimit display formulas, ``$`` inline ones (and bare LaTeX runs in the words
    count as inline, see :func:`prose_segments`). A quote may start or end inside a display
    formula: it starts inside when its first piece reads as math (and, for an even number of
    ``$$``, ends inside when its last one does too).
    """
    parts = _DISPLAY.split(latex)
    # An odd count of $$ starts or ends inside a formula; an even count may do both.
    odd = (len(parts) - 1) % 2 == 1
    start_math = _looks_like_math(parts[0]) and (odd or _looks_like_math(parts[-1]))
    out: list[tuple[str, str]] = []
    for i, part in enumerate(parts):
        if (i % 2 == 0) == start_math:
            if part.strip():
                out.append(("display", _restore_environments(part.strip())))
        else:
            out += [("inline", _restore_environments(seg)) if m else ("text", seg)
                    for m, seg in prose_segments(part)]
    return out


def _formula(latex: str, display: bool) -> Markup:
    pieces = formula_pieces(latex)
    if latex_problems(latex) or not pieces:
        return _fallback(latex)
    if len(pieces) == 1:
        return safe_mathml(_convert(pieces[0]), display=display, symbol_names=False)
    return Markup("").join(safe_mathml(_convert(p), display=True, symbol_names=False) for p in pieces)


_TEXT_BLOCK = re.compile(r"\\text\{([^{}]*)\}")


def _text_formula_as_prose(latex: str) -> str:
    """A sentence written as one formula (``\\text{By the law ...} N \\text{ random ...}``)
    becomes words with inline ``$...$`` math, so that it wraps like the sentence it is.
    Formulas with a short label in ``\\text`` (fewer than eight words) stay formulas."""
    if is_prose(latex) or "&" in latex or "\\\\" in latex:
        return latex
    words = sum(len(m.group(1).split()) for m in _TEXT_BLOCK.finditer(latex))
    if words < 8:
        return latex
    out, pos = [], 0
    for m in _TEXT_BLOCK.finditer(latex):
        between = latex[pos:m.start()].strip()
        if between:
            out.append(f" ${between}$ ")
        out.append(m.group(1))
        pos = m.end()
    rest = latex[pos:].strip()
    if rest:
        out.append(f" ${rest}$")
    return "".join(out).strip()


def latex_to_mathml(latex: str | None, display: bool = False) -> Markup:
    """A slide's LaTeX as MathML; where it cannot be converted, its source (escaped).

    A statement in words (``$``/``$$`` delimiters) is shown as its words with its math.
    """
    if not latex:
        return Markup("")
    latex = _text_formula_as_prose(latex)
    if not is_prose(latex):
        return _formula(latex, display)
    parts = [escape(seg) if kind == "text" else _formula(seg, kind == "display")
             for kind, seg in mixed_segments(latex)]
    return Markup('<span class="prose-statement">{}</span>').format(Markup("").join(parts))


def expr_html(expr, display: bool = False) -> Markup:
    """A recorded expression (``{"latex", "mathml", "srepr"}``) for the page.

    sympy's presentation MathML, cleaned; but a symbol *named* in LaTeX
    (``\\frac{p(c_w)}{p(c_n)}``) is split by that printer at ``_`` and ``^`` into pieces that
    are no longer LaTeX, while sympy's LaTeX printer keeps the name whole: then the LaTeX.
    """
    out = safe_mathml(expr.get("mathml"), display)
    text = re.sub(r"<[^>]+>", "", str(out))
    latex = expr.get("latex")
    if ("\\" in text or out.startswith('<code class="math-source">')) and latex and not latex_problems(latex):
        return latex_to_mathml(latex, display)
    return out


def deck_quote_html(quote: str) -> Markup:
    """The deck's own text: LaTeX shown typeset with its source beside it, other text as is."""
    if quote and re.search(r"\\[A-Za-z]", quote) and (is_prose(quote) or not latex_problems(quote)):
        return latex_to_mathml(quote, display=True) + latex_source_html(quote)
    return Markup('<div class="quote">{}</div>').format(quote or "")


def latex_source_html(latex: str) -> Markup:
    """LaTeX to paste, in a block the report marks as source (the browser test skips it)."""
    return Markup('<pre class="latex-source">{}</pre>').format(latex)


# --- prose with LaTeX in it ---------------------------------------------------------------

#: An English word (hyphenated words and the article "a" included), with its punctuation.
_WORD = re.compile(r"^[(\"'\u201c\u2018]*(?:[A-Za-z]{2,}(?:-[A-Za-z]+)*|a|A)(?:'s|'t)?[)\"'\u201d\u2019,.;:!?]*$")
_INLINE = re.compile(r"\$([^$]+)\$")


def _chunk_segments(text: str) -> list[tuple[bool, str]]:
    """Split prose on whitespace: English words are text; runs of other chunks that hold a
    LaTeX command (``\\sigma^2``, ``\\int_0^\\infty u\\Phi(-u)\\,du``) are math."""
    parts = re.split(r"(\s+)", text)
    out: list[tuple[bool, str]] = []
    run: list[str] = []

    def flush():
        if not run:
            return
        span = "".join(run)
        core = span.rstrip()
        trail = span[len(core):]
        stripped = core.rstrip(",.;:")
        punct = core[len(stripped):]
        if re.search(r"\\[A-Za-z|{}]", stripped) and not latex_problems(stripped):
            out.append((True, stripped))
            out.append((False, punct + trail))
        else:
            out.append((False, span))
        run.clear()

    for part in parts:
        if not part:
            continue
        if part.isspace():
            (run if run else out).append(part if run else (False, part))
            continue
        if _WORD.match(part) and not part.startswith("\\"):
            flush()
            out.append((False, part))
        else:
            run.append(part)
    flush()
    return out


def prose_segments(text) -> list[tuple[bool, str]]:
    """``text`` as ``(is_math, piece)`` pieces: ``$...$`` and bare LaTeX runs are math."""
    text = "" if text is None else str(text)
    out: list[tuple[bool, str]] = []
    pos = 0
    for m in _INLINE.finditer(text):
        out += _chunk_segments(text[pos:m.start()])
        out.append((not latex_problems(m.group(1)), m.group(1) if not latex_problems(m.group(1)) else m.group(0)))
        pos = m.end()
    out += _chunk_segments(text[pos:])
    return [(is_math, piece) for is_math, piece in out if piece]


def prose_html(text) -> Markup:
    """Prose for the page, its LaTeX as inline MathML."""
    return Markup("").join(latex_to_mathml(piece) if is_math else escape(piece)
                           for is_math, piece in prose_segments(text))
