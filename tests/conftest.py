"""Shared fixtures: the quick-budget results of every claim, computed once per session."""

import pytest

from derivations.registry import all_claims


@pytest.fixture(scope="session")
def quick_results():
    """``claim id -> results record`` at the quick budget, seed 0; filled lazily."""
    from reports.engine import check_claim

    cache: dict[str, dict] = {}

    def get(claim_id: str) -> dict:
        if claim_id not in cache:
            claim = next(c for c in all_claims() if c.id == claim_id)
            cache[claim_id] = check_claim(claim, budget="quick", seed=0)
        return cache[claim_id]

    return get
