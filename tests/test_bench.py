"""The benchmark runs end to end on a tiny workload, and its peers compute the same chains."""

import json
import shutil

import pytest

from numerics import bench

TINY = bench.Workload(chains=70, steps=40)
# The previous kernel is a baseline for the timings only; compiling it costs the suite time.
SKIP = ("slidecheck-scalar",)


def test_benchmark_reports_every_contestant_and_mode():
    res = bench.run_benchmark(TINY, threads=2, repeat=1, with_c=False, pause=0.0, skip=SKIP)
    names = {(r["name"], r["mode"]) for r in res["results"]}
    assert names == {(n, m) for n in ("slidecheck", "numpy-1", "numpy-2") for m in ("final", "moments")}
    assert all(r["median"] > 0 and len(r["seconds"]) == 1 for r in res["results"])
    assert res["chain_steps"] == 70 * 40 and len(res["load_before"]) == 3
    json.dumps(res)  # the --json output
    assert "chain-steps/s" in bench.format_table(res)


@pytest.mark.skipif(not (shutil.which("cc") or shutil.which("gcc")), reason="no C compiler")
def test_c_references_compute_the_kernels_chains_bit_for_bit():
    # Same streams (seeded states and ziggurat tables passed in), same arithmetic
    # (-ffp-contract=off): final states and histograms must be identical, which also
    # checks the kernel against three independent transcriptions of the update.
    res = bench.run_benchmark(TINY, threads=2, repeat=1, with_c=True, pause=0.0, skip=SKIP)
    assert "-O3" in res["c_compiler"]
    same = res["bit_identical_final_states"]
    assert set(same) == {f"C-{v}/{m}" for v in ("scalar", "lanes", "fused") for m in ("final", "moments")}
    assert all(same.values()), same


def test_command_line_json_and_bad_arguments(capsys):
    assert bench.main(["--chains", "20", "--steps", "10", "--repeat", "1", "--no-c", "--json",
                       "--modes", "final", "--skip", ",".join(SKIP)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {r["mode"] for r in out["results"]} == {"final"}
    with pytest.raises(SystemExit):
        bench.main(["--repeat", "0"])
    with pytest.raises(SystemExit):
        bench.main(["--modes", "sideways"])
    with pytest.raises(SystemExit):
        bench.main(["--skip", "slidecheck"])


def test_identity_hashes_agree_across_thread_counts():
    res = bench.identity_hashes(bench.Workload(chains=200, steps=30), thread_counts=(1, 3))
    assert res["identical"] and len(res["hashes"]) == 2
