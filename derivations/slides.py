"""The slides of each deck: their titles, found in the text, for the coverage table.

A claim names its slide by title (:class:`derivations.model.Source`); the coverage table
(:mod:`derivations.coverage`) must account for every slide of every deck. The titles are
read from the decks themselves, so a slide cannot be forgotten by forgetting to list it:

- markdown decks (001, 002, 003): heading lines (``#``, ``##``, ``###``) and lines that are
  bold only (``**...**``), emphasis stripped; the closing ``**END**`` / ``# END`` is not a slide;
- the OCR deck (000): a page's first line, where pages are separated by three or more blank
  lines or begin with a short line that has one leading space (the OCR's page breaks);
- the blog post (004): short lines that open a paragraph (blank line before, at most 60
  characters, capitalised, not ending in sentence punctuation other than '?'): its section
  headings (and figure captions, which the coverage lists as having no claim).

Titles are returned in deck order, whitespace-normalised, each once.
"""

from __future__ import annotations

import re

from .decks import deck_text, normalise

__all__ = ["DECKS", "slide_titles"]

DECKS = ("000_9b52c8c934a61faf.txt", "001_f7b24b47ec34203a.txt", "002_4f78e2bd19edaa26.txt",
         "003_874bf7fcc03d5f2a.txt", "004_211a2daec53ab305.txt")

_BOLD = re.compile(r"^\*\*(.+?)\*\*\s*$")
_END = {"END"}


def _clean(title: str) -> str:
    return normalise(title.replace("**", "").strip().strip("#").strip())


def _markdown(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("#"):
            out.append(_clean(s.lstrip("#")))
        elif _BOLD.match(s):
            out.append(_clean(_BOLD.match(s).group(1)))
    return [t for t in out if t and t not in _END]


def _ocr(text: str) -> list[str]:
    lines = text.splitlines()
    out, blank = [], 3  # the first line opens a page
    for line in lines:
        if not line.strip():
            blank += 1
            continue
        page_break = blank >= 3 or (re.match(r"^ [A-Z]", line) and len(line) <= 60
                                    and not line.rstrip().endswith((".", ",")))
        if page_break:
            out.append(_clean(line))
        blank = 0
    return out


def _blog(text: str) -> list[str]:
    lines = text.splitlines()
    out = []
    for i, line in enumerate(lines):
        s = line.strip()
        before = i == 0 or not lines[i - 1].strip()
        if (before and 0 < len(s) <= 60 and s[0].isupper()
                and not s.endswith((".", ":", ",", ";", "!"))):
            out.append(_clean(s))
    return out


def slide_titles(deck: str) -> list[str]:
    """The deck's slide titles (section headings for the blog), in order, each once."""
    text = deck_text(deck)
    if deck.startswith("000"):
        found = _ocr(text)
    elif deck.startswith("004"):
        found = _blog(text)
    else:
        found = _markdown(text)
    seen, out = set(), []
    for t in found:
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out
