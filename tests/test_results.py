"""The results document: canonical text, digest without timings, validation, atomic writes."""

import json
import os

import pytest

from reports.results import ResultsError, digest, dumps, load, write_atomically


def _doc(seconds=1.0):
    return {"meta": {"schema_version": 1, "seconds": seconds, "started": "t", "threads": 2, "seed": 0},
            "claims": [{"id": "a", "deck": "d", "slide": "s", "statement_latex": "x", "verdict": "HOLDS",
                        "cases": [], "seconds": seconds}]}


def test_digest_ignores_timings_only():
    assert digest(_doc(1.0)) == digest(_doc(2.0))
    other = _doc()
    other["claims"][0]["verdict"] = "ERRATUM"
    assert digest(other) != digest(_doc())


def test_dumps_refuses_nan():
    with pytest.raises(ValueError):
        dumps({"meta": {}, "claims": [float("nan")]})


@pytest.mark.parametrize("text, match", [
    ("{not json", "not valid JSON"),
    ('{"claims": []}', "lacks the top-level"),
    ('{"meta": {"schema_version": 99}, "claims": []}', "schema_version=99"),
    ('{"meta": {"schema_version": 1}, "claims": [{"id": "a"}]}', "claim #0 lacks"),
])
def test_load_rejects_bad_files(tmp_path, text, match):
    f = tmp_path / "results.json"
    f.write_text(text)
    with pytest.raises(ResultsError, match=match):
        load(f)


def test_load_round_trip(tmp_path):
    f = tmp_path / "results.json"
    f.write_text(dumps(_doc()))
    assert load(f) == json.loads(dumps(_doc()))


def test_write_is_all_or_nothing(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(TypeError):
        write_atomically({"a.txt": "fine", "b.txt": 3}, out)  # 3 is neither str nor bytes
    assert not (out / "a.txt").exists()
    write_atomically({"a.txt": "fine"}, out)
    assert (out / "a.txt").read_text() == "fine"
    assert [p.name for p in out.iterdir()] == ["a.txt"]  # no staging folder left behind


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder_is_reported(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    with pytest.raises(PermissionError, match="not writable"):
        write_atomically({"a.txt": "x"}, ro)


def test_recorded_srepr_does_not_depend_on_dummy_indices():
    """Two runs draw different Dummy indices; the recorded text (and so the digest) must
    not change, and must still rebuild an expression with as many distinct Dummies."""
    import sympy as sp

    from reports.engine import _stable_srepr

    ell, x = sp.Function("ell"), sp.Symbol("x")

    def expr():  # a fresh Dummy per call, as a fresh process would draw
        return sp.diff(ell(2 * x), x, 2) + sp.Dummy("a")

    first, second = expr(), expr()
    assert sp.srepr(first) != sp.srepr(second)
    assert _stable_srepr(first) == _stable_srepr(second)
    rebuilt = eval(_stable_srepr(first), vars(sp))  # noqa: S307 - sympy's own srepr
    assert len(rebuilt.atoms(sp.Dummy)) == len(first.atoms(sp.Dummy)) == 2
