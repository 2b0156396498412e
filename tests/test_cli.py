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


def _canned(quick_results, claim_id, **changes):
    from reportdocs import _meta

    record = dict(quick_results(claim_id), **changes)
    return {"meta": _meta([record]), "claims": [record]}


def test_a_verdict_off_its_pin_exits_1_and_shows_the_evidence(quick_results, monkeypatch, capsys):
    import reports.engine as engine

    doc = _canned(quick_results, "001-appendix-alpha", expected_verdict="ERRATUM", matches_pin=False)
    monkeypatch.setattr(engine, "check_claims", lambda claims, **kw: doc)
    assert main(["check", "001-appendix-alpha", "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "HOLDS" in out and "<-- pinned ERRATUM" in out and "derivation: statement proved equal" in out


def test_progress_goes_to_stderr_and_results_to_stdout(quick_results, monkeypatch, capsys, tmp_path):
    import reports.engine as engine

    doc = _canned(quick_results, "001-appendix-alpha")

    def fake(claims, progress=None, **kw):
        for case in claims[0].cases:
            progress(f"[1/1] {claims[0].id} [{case.name}]: derivation")
        return doc

    monkeypatch.setattr(engine, "check_claims", fake)
    assert main(["check", "001-appendix-alpha", "--out", str(tmp_path / "r")]) == 0
    captured = capsys.readouterr()
    assert "001-appendix-alpha · as stated · derivation" in captured.err
    assert "checked 1 claim (1 HOLDS)" in captured.err
    assert captured.out.splitlines()[:3] == [str(tmp_path / "r" / n) for n in
                                             ("results.json", "report.html", "errata.tex")]
