"""The command line: listing, checking, reporting, rendering, and bad input (exit code 2)."""

import json

import pytest

from reports.cli import main


def test_list_shows_every_claim(capsys):
    from derivations.registry import claim_ids

    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert all(cid in out for cid in claim_ids())


@pytest.mark.parametrize("argv, match", [
    (["check", "no-such-claim"], "no-such-claim"),
    (["check", "zzz*"], "matches no claim"),
    (["check", "001-sgd-sde-1d", "--seed", "-1"], "--seed='-1'"),
    (["check", "001-sgd-sde-1d", "--threads", "0"], "--threads='0'"),
    (["check", "001-sgd-sde-1d", "--budget", "huge"], "huge"),
    (["render", "/nonexistent/results.json", "--out", "/tmp/x"], "cannot be read"),
    (["frobnicate"], "invalid choice"),
])
def test_bad_input_exits_2_with_a_named_error(argv, match, capsys):
    assert main(argv) == 2
    assert match in capsys.readouterr().err


def test_report_then_render_without_simulating(tmp_path, monkeypatch, capsys):
    import derivations.registry as registry

    subset = tuple(c for c in registry.all_claims() if c.id in ("001-appendix-alpha", "000-langevin-1d"))
    monkeypatch.setattr(registry, "all_claims", lambda: subset)
    out = tmp_path / "rep"
    assert main(["report", "--budget", "quick", "--out", str(out), "--quiet"]) == 0
    results = json.loads((out / "results.json").read_text())
    assert {c["id"] for c in results["claims"]}
    html = (out / "report.html").read_text()
    assert "<math" in html and "<svg" in html
    # Rendering must not run any experiment: make every simulation explode.
    import derivations.experiments.stationary_1d as s1

    monkeypatch.setattr(s1.MonteCarloStationary1D, "run", lambda *a, **k: 1 / 0)
    again = tmp_path / "again"
    assert main(["render", str(out / "results.json"), "--out", str(again)]) == 0
    assert (again / "report.html").read_text() == html
