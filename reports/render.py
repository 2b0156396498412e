"""Render a results document into HTML and LaTeX; never runs a simulation.

One render context, one jinja2 template per format. HTML autoescapes; MathML reaches
the page only through :func:`safe_mathml`, which admits presentation-MathML elements and
nothing else. The slides' own LaTeX becomes MathML with latex2mathml; derived results
carry MathML from sympy's presentation printer. Plots are drawn here, from the data the
experiments recorded, as inline SVG.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from .results import dumps, write_atomically

__all__ = ["render_html", "render_latex", "write_report", "safe_mathml", "latex_to_mathml",
           "svg_plot"]

_TEMPLATES = Path(__file__).with_name("templates")
_MATHML_TAGS = {"math", "mrow", "mi", "mn", "mo", "mfrac", "msup", "msub", "msubsup", "msqrt",
                "mroot", "mtext", "mspace", "mfenced", "mtable", "mtr", "mtd", "mover",
                "munder", "munderover", "mstyle", "mpadded", "mphantom", "menclose", "semantics",
                "annotation", "merror"}
_TAG = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
_ALLOWED_ATTR = re.compile(
    r'^(\s+(xmlns|display|stretchy|fence|form|separator|mathvariant|columnalign|rowspacing|'
    r'columnspacing|lspace|rspace|accent|accentunder|movablelimits|width|linethickness|'
    r'encoding|notation|open|close|separators|largeop|symmetric|minsize|maxsize)="[^"<>]*")*\s*/?$')


def safe_mathml(markup: str) -> Markup:
    """Trust MathML only if every tag and attribute is presentation MathML; else escape."""
    for m in _TAG.finditer(markup or ""):
        if m.group(1).lower() not in _MATHML_TAGS or not _ALLOWED_ATTR.match(m.group(2)):
            return Markup(f"<code>{escape(markup)}</code>")
    if "<script" in (markup or "").lower() or "javascript:" in (markup or "").lower():
        return Markup(f"<code>{escape(markup)}</code>")
    return Markup(markup)


def latex_to_mathml(latex: str) -> Markup:
    """A slide's LaTeX as MathML (latex2mathml); the source is kept in a title for copying."""
    import latex2mathml.converter

    try:
        mml = latex2mathml.converter.convert(latex)
    except Exception:  # latex2mathml raises many types on odd input; show the source instead
        return Markup(f"<code>{escape(latex)}</code>")
    return safe_mathml(mml)


def svg_plot(plot: dict) -> Markup:
    """One recorded plot as an inline SVG (matplotlib, Agg-free SVG backend)."""
    import matplotlib

    matplotlib.use("svg", force=True)
    import matplotlib.pyplot as plt

    matplotlib.rcParams["svg.hashsalt"] = "slidecheck"

    kind, data = plot["kind"], plot["data"]
    fig, ax = plt.subplots(figsize=(6.0, 3.4))
    try:
        if kind == "histogram-vs-densities":
            x = data["x"]
            width = x[1] - x[0] if len(x) > 1 else 1.0
            ax.bar(x, data["density"], width=width, color="#c8d6e5", label="simulation")
            styles = {"stated": ("#c0392b", "-"), "derived": ("#2c3e50", "--")}
            for label, ys in data["curves"].items():
                colour, ls = styles.get(label, ("#7f8c8d", ":"))
                ax.plot(data["curve_x"], ys, color=colour, linestyle=ls, lw=1.4, label=label)
            ax.set_xlabel(data.get("state", "x"))
            ax.set_ylabel("density")
        elif kind == "ladder":
            for series in data["series"]:
                line = ax.errorbar(series["h"], series["y"], yerr=series["se"], fmt="o", ms=3,
                                   label=series["observable"])
                v, se = series["extrapolated"]
                ax.errorbar([0.0], [v], yerr=[se], fmt="s", ms=4, color=line[0].get_color())
            ax.set_xlabel(f"{data['ladder']} (ladder; square: extrapolated to 0)")
            ax.set_ylabel("estimate")
            ax.set_xlim(left=-0.002)
        else:
            for name, ys in data.get("series", {}).items():
                ax.plot(data["x"], ys, label=name)
            ax.set_xlabel(data.get("xlabel", ""))
            ax.set_ylabel(data.get("ylabel", ""))
        ax.set_title(plot["title"], fontsize=9)
        ax.legend(fontsize=7, frameon=False)
        fig.tight_layout()
        buf = io.StringIO()
        # No timestamp, fixed ids: the same data always give the same bytes.
        fig.savefig(buf, format="svg", metadata={"Date": None})
    finally:
        plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and doctype for inlining
    return Markup(svg)


def _fmt(value, digits: int = 4) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}g}"


def _environment(latex: bool) -> jinja2.Environment:
    if latex:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(_TEMPLATES), autoescape=False,
            block_start_string="((*", block_end_string="*))",
            variable_start_string="(((", variable_end_string=")))",
            comment_start_string="((=", comment_end_string="=))",
            trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
        env.filters["tex"] = _tex_escape
    else:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(_TEMPLATES),
                                 autoescape=jinja2.select_autoescape(["html", "j2"]),
                                 undefined=jinja2.StrictUndefined)
        env.filters["mathml"] = safe_mathml
        env.filters["latex_mathml"] = latex_to_mathml
        env.filters["svg"] = svg_plot
    env.filters["fmt"] = _fmt
    return env


_TEX_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
                 "#": r"\#", "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}",
                 "^": r"\textasciicircum{}"}


def _tex_escape(text) -> str:
    return "".join(_TEX_SPECIALS.get(ch, ch) for ch in str(text))


def _context(results: dict) -> dict:
    claims = results["claims"]
    counts: dict[str, int] = {}
    for c in claims:
        counts[c["verdict"]] = counts.get(c["verdict"], 0) + 1
    errata = [c for c in claims if c["verdict"] in ("ERRATUM", "CONDITIONAL", "CONFLICT")]
    return {"meta": results["meta"], "claims": claims, "counts": counts, "errata": errata,
            "verdicts": ["HOLDS", "ERRATUM", "CONDITIONAL", "CONFLICT", "INCONCLUSIVE"]}


def render_html(results: dict) -> str:
    return _environment(latex=False).get_template("report.html.j2").render(**_context(results))


def render_latex(results: dict) -> str:
    return _environment(latex=True).get_template("errata.tex.j2").render(**_context(results))


def write_report(results: dict, out_dir) -> list[Path]:
    """Render everything first, then write ``results.json``, ``report.html`` and
    ``errata.tex`` atomically: a failure leaves no half-written report."""
    text = dumps(results) + "\n"
    # Render from the canonical JSON, so that `render` of the saved file gives the same pages.
    canonical = json.loads(text)
    files = {"results.json": text, "report.html": render_html(canonical),
             "errata.tex": render_latex(canonical)}
    return write_atomically(files, out_dir)
