"""The 1-D chain kernel against its numpy reference, and its invariance to thread count.

The kernel advances blocks of chains in lockstep with specialised code per polynomial
length (``chains_1d._TIERS``); every path must reproduce the scalar update bit for bit.
"""

import numpy as np
import pytest

from numerics import chains_1d
from numerics.chains_1d import run_chains_1d, run_chains_1d_reference
from numerics.poly import horner_numpy
from numerics.rng import normals

DOUBLE_WELL_DRIFT = np.array([0.0, -1.0, 0.0, 1.0])  # L' = x^3 - x

# (drift, noise) covering each specialisation and the general loop.
POLYNOMIALS = {
    "cubic drift, constant noise (padded)": (DOUBLE_WELL_DRIFT, [0.7]),
    "linear drift, constant noise (padded)": ([0.0, 1.0], [1.0]),
    "cubic drift, quadratic noise": (DOUBLE_WELL_DRIFT, [1.0, 0.0, 0.5]),
    "negative zeros (padded)": ([-0.0, 1.0, -0.0], [-0.0, 0.5]),
    "quintic drift, cubic noise (general loop)": ([0.0, -1.0, 0.0, 0.5, 0.0, 0.1], [1.0, 0.1, 0.2, 0.05]),
}


def test_tiers_are_the_ones_the_kernel_hard_codes():
    # _run_blocks spells the tiers' lengths as literals; they must match _TIERS.
    assert chains_1d._TIERS == ((4, 3),)
    assert chains_1d._tier(np.ones(2), np.ones(1))[0] == 0
    assert chains_1d._tier(np.ones(4), np.ones(3))[0] == 0
    assert chains_1d._tier(np.ones(5), np.ones(1))[0] == 1
    assert chains_1d._tier(np.ones(4), np.ones(4))[0] == 1


@pytest.mark.parametrize("name", list(POLYNOMIALS))
@pytest.mark.parametrize("n_chains", [9, 77])
def test_kernel_equals_numpy_reference_bit_for_bit(name, n_chains):
    # 77 chains: a full block of 64 and a short one of 13 (run as 16 lanes).
    f, s = POLYNOMIALS[name]
    x0 = np.linspace(-1.5, 1.5, n_chains)
    kw = dict(a=0.01, b=0.07, x0=x0, n_steps=200, burn_in=50, seed=11, n_moments=4)
    run = run_chains_1d(f, s, hist_range=(-2.0, 2.0), n_bins=40, **kw)
    moments, final, counts = run_chains_1d_reference(f, s, hist_range=(-2.0, 2.0), n_bins=40, **kw)
    np.testing.assert_array_equal(run.final, final)
    # Moments are summed in the same order in both; allow 4 ulp for the final division.
    np.testing.assert_allclose(run.moments, moments, rtol=4 * np.finfo(float).eps, atol=0)
    np.testing.assert_array_equal(run.hist_counts, counts)


@pytest.mark.parametrize("n_moments", [1, 3, 6])
def test_moments_of_any_order_match_the_reference(n_moments):
    # Up to 4 moments are summed in the fused loop, more in the general one.
    kw = dict(a=0.02, b=0.1, x0=np.linspace(-1, 1, 21), n_steps=120, burn_in=20, seed=3,
              n_moments=n_moments)
    run = run_chains_1d(DOUBLE_WELL_DRIFT, [1.0], **kw)
    moments, final = run_chains_1d_reference(DOUBLE_WELL_DRIFT, [1.0], **kw)
    np.testing.assert_array_equal(run.final, final)
    np.testing.assert_allclose(run.moments, moments, rtol=4 * np.finfo(float).eps, atol=0)


def test_results_identical_at_any_thread_count_and_run():
    kw = dict(a=0.01, b=0.05, x0=np.linspace(-1, 1, 300), n_steps=500, burn_in=100, seed=5)
    runs = [run_chains_1d(DOUBLE_WELL_DRIFT, [1.0], threads=t, **kw) for t in (1, 2, 3, 2)]
    for r in runs[1:]:
        np.testing.assert_array_equal(r.final, runs[0].final)
        np.testing.assert_array_equal(r.moments, runs[0].moments)
        np.testing.assert_array_equal(r.hist_counts, runs[0].hist_counts)


def test_a_chain_depends_on_its_own_index_only():
    # Chain c of a large run equals chain c of a small one: its stream is (seed, c) alone,
    # whatever block or lane it lands in.
    kw = dict(a=0.01, b=0.05, n_steps=100, burn_in=0, seed=9)
    big = run_chains_1d(DOUBLE_WELL_DRIFT, [1.0], x0=np.full(150, 0.3), **kw)
    small = run_chains_1d(DOUBLE_WELL_DRIFT, [1.0], x0=np.full(5, 0.3), **kw)
    np.testing.assert_array_equal(big.final[:5], small.final)


def test_histogram_counts_every_kept_state_in_range():
    run = run_chains_1d([0.0, 1.0], [1.0], a=0.1, b=0.1, x0=np.zeros(8), n_steps=100, burn_in=10,
                        seed=2, hist_range=(-10, 10))
    assert run.hist_counts.sum() == 8 * 90


def test_unstable_step_is_reported():
    # Quadratic with curvature h = 1 and step a = 2.5: |1 - a h| > 1 diverges.
    with pytest.raises(FloatingPointError, match="unstable"):
        run_chains_1d([0.0, 1.0], [1.0], a=2.5, b=0.1, x0=np.ones(4), n_steps=2000, burn_in=0, seed=1)


def _first_escape(f, s, a, b, x0, n_steps, seed, escape):
    """Step (1-based) at which each chain first leaves |x| <= escape, 0 if never (numpy)."""
    x = np.array(x0, dtype=float)
    xi = normals(seed, x.size, n_steps)
    first = np.zeros(x.size, dtype=np.int64)
    with np.errstate(all="ignore"):
        for t in range(n_steps):
            x = x - a * horner_numpy(np.asarray(f, float), x) + b * horner_numpy(np.asarray(s, float), x) * xi[:, t]
            out = ~(np.abs(x) <= escape) & (first == 0)
            first[out] = t + 1
    return first


def test_escape_of_some_lanes_leaves_the_others_exact():
    # Double well at a = 0.1: starts beyond |x| ~ 4.5 overshoot and diverge within a few
    # steps, the others stay; both kinds share blocks, so the lockstep loop must hand the
    # survivors over to the lane-by-lane loop without changing a bit of them.
    f, s = DOUBLE_WELL_DRIFT, [1.0]
    x0 = np.linspace(-6.0, 6.0, 77)
    n_steps, burn_in, seed, escape = 60, 10, 4, 1e6
    expected = _first_escape(f, s, 0.1, 0.1, x0, n_steps, seed, escape)
    assert 0 < np.count_nonzero(expected) < x0.size
    with pytest.raises(FloatingPointError) as err:
        run_chains_1d(f, s, a=0.1, b=0.1, x0=x0, n_steps=n_steps, burn_in=burn_in, seed=seed,
                      escape=escape)
    c = int(np.flatnonzero(expected)[0])
    assert f"chain {c} left |x| <= {escape:g} at step {expected[c]} " in str(err.value)
    assert f"({np.count_nonzero(expected)} of {x0.size} chains diverged)" in str(err.value)
    # The survivors, through the kernel's internals (the public call raised).
    states = chains_1d.seed_states(seed, x0.size)
    moments = np.zeros((x0.size, 4))
    hist = np.zeros((2, chains_1d._HIST_COPIES, 121), dtype=np.int64)
    final = np.empty(x0.size)
    status = np.zeros(x0.size, dtype=np.int64)
    tier, fk, sk = chains_1d._tier(np.asarray(f), np.asarray(s, float))
    chains_1d._run(1, tier, x0, fk, sk, 0.1, 0.1, n_steps, burn_in, escape, states, -3.0, 3.0,
                   moments, hist, final, status)
    np.testing.assert_array_equal(status, expected)
    with np.errstate(all="ignore"):
        ref_m, ref_final = run_chains_1d_reference(f, s, a=0.1, b=0.1, x0=x0, n_steps=n_steps,
                                                   burn_in=burn_in, seed=seed)
    ok = expected == 0
    np.testing.assert_array_equal(final[ok], ref_final[ok])
    np.testing.assert_allclose(moments[ok], ref_m[ok], rtol=4 * np.finfo(float).eps, atol=0)


@pytest.mark.parametrize("kwargs, match", [
    (dict(a=0.0), "a=0.0"), (dict(a=float("nan")), "a=nan"), (dict(b=-1.0), "b=-1.0"),
    (dict(n_steps=0), "n_steps=0"), (dict(burn_in=10), "burn_in=10"), (dict(n_moments=0), "n_moments=0"),
    (dict(n_bins=0), "n_bins=0"), (dict(escape=float("inf")), "escape=inf"), (dict(threads=0), "threads=0"),
])
def test_bad_arguments_name_themselves(kwargs, match):
    base = dict(a=0.1, b=0.1, x0=np.zeros(2), n_steps=10, burn_in=0, seed=1)
    base.update(kwargs)
    with pytest.raises(ValueError, match=match):
        run_chains_1d([0.0, 1.0], [1.0], **base)


def test_sgd_on_a_quadratic_hits_the_exact_discrete_variance():
    """x' = (1 - eta h) x - eta sigma xi has stationary variance eta^2 sigma^2 / (1 - (1 - eta h)^2),
    the exact finite-eta target, not the SDE's eta sigma^2 / (2 h). Chains start at 0 and burn
    in for 40 relaxation times (1/(eta h) steps each), leaving an e^-80 trace of the start.

    Test at |z| < 5 over 400 independent chains (false alarm 6e-7). Power: the SDE value is
    eta h / 2 = 2.5 % lower, which is ~12 se here, so a kernel that sampled the SDE law
    would fail."""
    from numerics.stats import mean_over_chains

    eta, h, sigma = 0.05, 1.0, 2.0
    burn = int(40 / (eta * h))
    run = run_chains_1d([0.0, eta * h], [eta * sigma], a=1.0, b=1.0, x0=np.zeros(400),
                        n_steps=burn + 20_000, burn_in=burn, seed=77, n_moments=2)
    est = mean_over_chains(run.moments[:, 1])
    exact = eta**2 * sigma**2 / (1 - (1 - eta * h) ** 2)
    sde = eta * sigma**2 / (2 * h)
    assert abs(est.value - exact) < 5 * est.se
    assert abs(est.value - sde) > 8.1 * est.se
