"""Render a results document into HTML and LaTeX; never runs a simulation.

One render context (:func:`reports.view.view`), one jinja2 template per format
(``templates/report.html.j2``, ``templates/errata.tex.j2``). HTML autoescapes; MathML
reaches the page only through :mod:`reports.mathml`, which re-serialises presentation
MathML from its parse and escapes anything else; plots are drawn by :mod:`reports.plots`
from the data the experiments recorded, as inline SVG. The LaTeX template uses delimiters
that do not collide with braces (``((* *))`` blocks, ``((( )))`` values) and gets its text
and formulas through :mod:`reports.texfmt`, so that the document compiles with pdflatex.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import jinja2

from .mathml import (deck_quote_html, expr_html, latex_source_html, latex_to_mathml, prose_html,
                     safe_mathml)
from .plots import data_table, render_plot
from .results import dumps, write_atomically
from .texfmt import tex_display, tex_id, tex_prose, tex_source, tex_text
from .view import number, view

__all__ = ["render_html", "render_latex", "write_report", "json_safe", "REPORT_FILES"]

_TEMPLATES = Path(__file__).with_name("templates")
#: What ``report`` and ``render`` write, in this order (all or none).
REPORT_FILES = ("results.json", "report.html", "errata.tex")


def _fmt(value, digits: int = 4) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    v = number(value)
    if v is None:
        return str(value)
    return f"{v:.{digits}g}"


def _environment(latex: bool) -> jinja2.Environment:
    if latex:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(_TEMPLATES), autoescape=False,
            block_start_string="((*", block_end_string="*))",
            variable_start_string="(((", variable_end_string=")))",
            comment_start_string="((=", comment_end_string="=))",
            trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
        env.filters.update(tex=tex_text, tex_prose=tex_prose, tex_display=tex_display,
                           tex_source=tex_source, tex_id=tex_id)
    else:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(_TEMPLATES),
                                 autoescape=jinja2.select_autoescape(["html", "j2"]),
                                 undefined=jinja2.StrictUndefined)
        env.filters.update(mathml=safe_mathml, latex_mathml=latex_to_mathml,
                           latex_source=latex_source_html, prose=prose_html, plot=render_plot,
                           deck_quote=deck_quote_html, expr=expr_html,
                           plot_data=data_table)
    env.filters["fmt"] = _fmt
    return env


def render_html(results: dict) -> str:
    """The self-contained HTML report (no script or style from anywhere else)."""
    return _environment(latex=False).get_template("report.html.j2").render(**view(results))


def render_latex(results: dict) -> str:
    """The LaTeX errata document (pdflatex)."""
    return _environment(latex=True).get_template("errata.tex.j2").render(**view(results))


def json_safe(obj):
    """``obj`` with every non-finite float written as a string (``"nan"``, ``"inf"``).

    JSON has no NaN; the engine already writes non-finite z-scores this way, and plot data
    (a hypothesis whose density does not normalise has no prediction) get the same rule.
    """
    if isinstance(obj, float) and not math.isfinite(obj):
        return str(obj)
    if isinstance(obj, dict):
        return {k: json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    return obj


def write_report(results: dict, out_dir) -> list[Path]:
    """Render everything first, then write ``results.json``, ``report.html`` and
    ``errata.tex`` atomically: a failure leaves no half-written report."""
    text = dumps(json_safe(results)) + "\n"
    # Render from the canonical JSON, so that `render` of the saved file gives the same pages.
    canonical = json.loads(text)
    files = {"results.json": text, "report.html": render_html(canonical),
             "errata.tex": render_latex(canonical)}
    return write_atomically(files, out_dir)
