"""The catalogue's registry: every module in :mod:`derivations.claims` with a ``CLAIM``.

Claims are discovered, not listed, so a new claim is a new module and nothing else.
"""

from __future__ import annotations

import difflib
import fnmatch
import importlib
import pkgutil
from functools import lru_cache

from . import claims as _claims_pkg
from .model import Claim

__all__ = ["UnknownClaimError", "all_claims", "claim_ids", "get_claim", "select_claims"]


class UnknownClaimError(KeyError):
    """A claim id (or pattern) that names no claim in the catalogue."""

    def __str__(self) -> str:  # KeyError would print the message with quotes
        return str(self.args[0])


@lru_cache(maxsize=1)
def all_claims() -> tuple[Claim, ...]:
    """Every claim, sorted by id; raises if two modules declare the same id."""
    found: dict[str, tuple[Claim, str]] = {}
    for info in pkgutil.iter_modules(_claims_pkg.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{_claims_pkg.__name__}.{info.name}")
        claim = getattr(module, "CLAIM", None)
        if not isinstance(claim, Claim):
            raise TypeError(f"claim module {module.__name__} must define CLAIM = Claim(...)")
        if claim.id in found:
            raise ValueError(f"claim id {claim.id!r} is declared by both {found[claim.id][1]} "
                             f"and {module.__name__}")
        found[claim.id] = (claim, module.__name__)
    return tuple(c for _, (c, _) in sorted(found.items()))


def claim_ids() -> list[str]:
    return [c.id for c in all_claims()]


def get_claim(claim_id: str) -> Claim:
    for c in all_claims():
        if c.id == claim_id:
            return c
    close = difflib.get_close_matches(claim_id, claim_ids(), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `slidecheck list` shows them"
    raise UnknownClaimError(f"claim id {claim_id!r} is not in the catalogue{hint}")


def select_claims(patterns: list[str]) -> list[Claim]:
    """Claims whose id matches any of the shell-style ``patterns``, in catalogue order.

    A pattern that matches nothing is an error (a typo must not silently check nothing).
    """
    chosen: dict[str, Claim] = {}
    for pattern in patterns:
        hits = [c for c in all_claims() if fnmatch.fnmatchcase(c.id, pattern)]
        if not hits:
            if any(ch in pattern for ch in "*?["):
                raise UnknownClaimError(f"pattern {pattern!r} matches no claim id; "
                                        "`slidecheck list` shows them")
            get_claim(pattern)  # raises with suggestions
        for c in hits:
            chosen[c.id] = c
    return [c for c in all_claims() if c.id in chosen]
