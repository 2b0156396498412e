"""The source decks: where they are, and whether a quote occurs in one.

The decks live outside the project (``../shared/seeds`` beside the checkout); the folder
can be set with ``SLIDECHECK_DECKS``. Quotes are matched whitespace-normalised: runs of
whitespace (including line breaks) compare equal to one space.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

__all__ = ["decks_folder", "deck_text", "normalise", "quote_occurs", "DeckNotFound"]

_PROJECT_ROOT = Path(__file__).resolve().parent.parent


class DeckNotFound(FileNotFoundError):
    """The decks folder or a deck file is missing."""


def decks_folder() -> Path | None:
    """``$SLIDECHECK_DECKS`` if set, else ``../shared/seeds`` beside the project, if present."""
    env = os.environ.get("SLIDECHECK_DECKS")
    if env:
        folder = Path(env)
        if not folder.is_dir():
            raise DeckNotFound(f"SLIDECHECK_DECKS={env!r} is not a folder")
        return folder
    default = _PROJECT_ROOT.parent / "shared" / "seeds"
    return default if default.is_dir() else None


@lru_cache(maxsize=None)
def deck_text(name: str) -> str:
    folder = decks_folder()
    if folder is None:
        raise DeckNotFound("no decks folder: set SLIDECHECK_DECKS or place the decks in ../shared/seeds")
    path = folder / name
    if not path.is_file():
        raise DeckNotFound(f"deck {name!r} is not in {str(folder)!r}")
    return path.read_text(encoding="utf-8")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def quote_occurs(quote: str, deck: str) -> bool:
    """Whether ``quote`` occurs verbatim (whitespace-normalised) in the deck ``deck``."""
    return normalise(quote) in normalise(deck_text(deck))
