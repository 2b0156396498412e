"""``slidecheck new ID``: a claim module and its test, scaffolded from a template that runs.

The new module checks a stand-in statement of the template's kind until its author
replaces each ``TODO`` (the module's docstring lists them), so ``slidecheck check ID`` and
``pytest -k ID`` work from the first minute. The slide's own text is copied into the module
as a comment, to quote from.

Files: ``derivations/claims/cDDD_short_name.py`` and ``tests/claims/test_cDDD_short_name.py``
under the project root; neither may exist yet, and the id must be new to the catalogue.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from .results import write_atomically

__all__ = ["ScaffoldError", "ID_RULE", "KINDS", "scaffold", "slide_excerpt"]

#: ``DDD-short-name``: the deck's three digits, then lowercase words joined by hyphens.
ID_RULE = re.compile(r"^(\d{3})-([a-z][a-z0-9]*(?:-[a-z0-9]+)*)$")
#: Templates by kind (``templates/scaffold/claim_<kind>.py.j2`` and ``test_claim_<kind>.py.j2``).
KINDS = ("stationary",)
_TEMPLATES = Path(__file__).with_name("templates") / "scaffold"
_PROJECT = Path(__file__).resolve().parent.parent


class ScaffoldError(ValueError):
    """``slidecheck new`` cannot scaffold as asked; the message names the argument and the rule."""


def _deck_for(number: str) -> tuple[str, str]:
    from derivations.decks import DeckNotFound, deck_text, decks_folder

    try:
        folder = decks_folder()
    except DeckNotFound as exc:
        raise ScaffoldError(str(exc)) from None
    if folder is None:
        raise ScaffoldError("no decks folder: set SLIDECHECK_DECKS or place the decks in ../shared/seeds")
    matches = sorted(p.name for p in folder.glob(f"{number}_*.txt"))
    if len(matches) != 1:
        have = ", ".join(sorted(p.name[:3] for p in folder.glob("[0-9][0-9][0-9]_*.txt"))) or "none"
        raise ScaffoldError(f"ID={number}-...: deck number {number} must name exactly one deck "
                            f"{number}_*.txt in {str(folder)!r} (found {len(matches)}; decks: {have})")
    return matches[0], deck_text(matches[0])


def slide_excerpt(deck_text: str, slide: str, max_lines: int = 30) -> list[str] | None:
    """The deck's lines from the slide title to the next heading (None if the title is absent)."""
    from derivations.decks import normalise

    lines = deck_text.splitlines()
    want = normalise(slide)
    for i, line in enumerate(lines):
        if want and want in normalise(line):
            out = [line.rstrip()]
            for nxt in lines[i + 1:i + max_lines]:
                if nxt.lstrip().startswith("#"):
                    break
                out.append(nxt.rstrip())
            while out and not out[-1].strip():
                out.pop()
            return out
    return None


def scaffold(claim_id: str, slide: str | None = None, kind: str = "stationary",
             root: str | Path | None = None) -> list[Path]:
    """Write the claim module and its test; returns their paths."""
    m = ID_RULE.match(claim_id or "")
    if not m:
        raise ScaffoldError(f"ID={claim_id!r} must look like DDD-short-name: the deck's three digits, "
                            "a hyphen, lowercase words joined by hyphens (e.g. 001-sgd-sde-1d)")
    if kind not in KINDS:
        raise ScaffoldError(f"--kind={kind!r} must be one of {', '.join(KINDS)}")
    root = Path(root) if root is not None else _PROJECT
    claims_dir = root / "derivations" / "claims"
    if not claims_dir.is_dir():
        raise ScaffoldError(f"--root={str(root)!r} must be a slidecheck checkout "
                            "(it has no derivations/claims folder)")
    from derivations.registry import claim_ids

    if claim_id in claim_ids():
        raise ScaffoldError(f"ID={claim_id!r} is already in the catalogue; choose a new id")
    number, short = m.group(1), m.group(2)
    module = f"c{number}_{short.replace('-', '_')}"
    targets = {f"derivations/claims/{module}.py": f"claim_{kind}.py.j2",
               f"tests/claims/test_{module}.py": f"test_claim_{kind}.py.j2"}
    for rel in targets:
        if (root / rel).exists():
            raise ScaffoldError(f"{rel} already exists; slidecheck new never overwrites a file")
    deck, text = _deck_for(number)
    excerpt = ["(no --slide given: name the slide's title with --slide, or fill in Source)"]
    if slide is not None:
        found = slide_excerpt(text, slide)
        if found is None:
            raise ScaffoldError(f"--slide={slide!r} must be a slide title that occurs in {deck}")
        excerpt = found
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(_TEMPLATES), autoescape=False,
                             block_start_string="((*", block_end_string="*))",
                             variable_start_string="(((", variable_end_string=")))",
                             comment_start_string="((=", comment_end_string="=))",
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["py"] = repr
    context = {"claim_id": claim_id, "deck": deck, "deck_number": number, "module": module,
               "slide": slide if slide is not None else "TODO slide title",
               "excerpt": [line.replace("\t", "    ") for line in excerpt]}
    files = {rel: env.get_template(tpl).render(**context) for rel, tpl in targets.items()}
    for rel, source in files.items():
        compile(source, rel, "exec")  # a template bug must not leave a broken module behind
    return write_atomically(files, root)
