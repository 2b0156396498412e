"""The benchmark runs end to end on a tiny workload, and its peers compute the same chains."""

import json
import shutil

import numpy as np
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


def test_nd_benchmark_runs_and_its_numpy_peer_simulates_the_same_chain():
    from numerics import bench_nd
    from numerics.chains_nd import run_chains_nd

    res = bench_nd.run_benchmark(chains=40, steps=5, repeat=1, threads=2)
    assert {(r["name"], r["mode"], r["threads"]) for r in res["results"]} == {
        (n, m, t) for n in ("slidecheck-nd", "numpy") for m in bench_nd.MODES for t in (1, 2)}
    assert "chain-steps/s" in bench_nd.format_table(res)
    # Same process, other random numbers: E[x^2], E[y^2], E[xy] after 150 steps agree.
    # Each |z| < 5 fails by chance with probability ~6e-7 (z of a difference of two
    # independent means). Power, measured once: flipping the sign of the 0.3 coupling moves
    # E[xy] from -0.11 to +0.44, z ~ 43 at this size; a factor 2 in the noise quadruples E[x^2].
    chains, steps = 4000, 150
    x, y = bench_nd._numpy_part(chains, steps, "final", 7)
    run = run_chains_nd(bench_nd.DRIFT, bench_nd.NOISE, x0=np.zeros((chains, 2)), n_steps=steps,
                        burn_in=0, seed=7)
    kx, ky = run.final[:, 0], run.final[:, 1]
    for a, b in ((x * x, kx * kx), (y * y, ky * ky), (x * y, kx * ky)):
        z = (a.mean() - b.mean()) / np.sqrt(a.var(ddof=1) / chains + b.var(ddof=1) / chains)
        assert abs(z) < 5, z
    with pytest.raises(ValueError, match="chains=1"):
        bench_nd.run_benchmark(chains=1)
