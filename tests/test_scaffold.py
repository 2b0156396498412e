"""``slidecheck new``: the scaffold is a claim that runs, and a test that passes, from the start."""

import importlib
import sys

import pytest

from derivations.decks import decks_folder
from reports.cli import main

pytestmark = pytest.mark.skipif(decks_folder() is None,
                                reason="decks not found (set SLIDECHECK_DECKS or provide ../shared/seeds)")

CLAIM_ID = "001-scaffolded-example"
SLIDE = "The SGD SDE in One Dimension"


@pytest.fixture
def checkout(tmp_path, monkeypatch):
    """A project root whose claims folder is on the claims package's path."""
    import derivations.claims as pkg
    import derivations.registry as registry

    (tmp_path / "derivations" / "claims").mkdir(parents=True)
    monkeypatch.setattr(pkg, "__path__", [*pkg.__path__, str(tmp_path / "derivations" / "claims")])
    monkeypatch.syspath_prepend(str(tmp_path / "tests" / "claims"))
    registry.all_claims.cache_clear()
    yield tmp_path
    registry.all_claims.cache_clear()
    for name in [m for m in sys.modules if "scaffolded_example" in m]:
        del sys.modules[name]


def test_new_writes_a_claim_and_its_test_that_work(checkout, capsys):
    assert main(["new", CLAIM_ID, "--slide", SLIDE, "--root", str(checkout)]) == 0
    module = checkout / "derivations" / "claims" / "c001_scaffolded_example.py"
    test = checkout / "tests" / "claims" / "test_c001_scaffolded_example.py"
    assert capsys.readouterr().out.split() == [str(module), str(test)]
    source = module.read_text()
    assert source.startswith('r"""001, "The SGD SDE in One Dimension"') and "TODO" in source
    assert "#   ## The SGD SDE in One Dimension" in source  # the slide's text, to quote from

    # The skeleton runs end to end: a verdict, as pinned.
    assert main(["check", CLAIM_ID, "--quiet"]) == 0
    assert capsys.readouterr().out.startswith(f"HOLDS         {CLAIM_ID}")

    # Its test passes as generated.
    importlib.invalidate_caches()
    sys.path_importer_cache.pop(str(checkout / "tests" / "claims"), None)
    mod = importlib.import_module("test_c001_scaffolded_example")
    claim = importlib.import_module("derivations.claims.c001_scaffolded_example").CLAIM
    derived = mod.derive().result
    mod.test_derived_density_normalises_in_every_experiment(claim, derived)
    mod.test_every_mutant_differs_from_the_derived_result(claim, derived)

    # And it is never overwritten.
    assert main(["new", CLAIM_ID, "--root", str(checkout)]) == 2
    assert "already" in capsys.readouterr().err
