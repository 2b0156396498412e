"""Kernels, random streams and statistics; pure numbers in and out.

Knows nothing of claims, sympy or reports: :mod:`.rng` (per-chain streams),
:mod:`.poly` (Horner), :mod:`.chains_1d` (1-D chains), :mod:`.batch_noise`,
:mod:`.batch_steps` and :mod:`.adaptive_lr` (batch-size analysis of deck 003), :mod:`.chain_stats`
(ratio and delta-method standard errors), :mod:`.grid_1d` (Fokker-Planck and
transfer-operator grids), :mod:`.quadrature` (expectations of densities), :mod:`.stats`
(standard errors, extrapolation, false-alarm budget, power). Speed: :mod:`.bench`
(``python -m numerics.bench``: the 1-D kernel against numpy and C), :mod:`.intrinsics`
(two LLVM helpers of the lockstep kernels), :mod:`.jit_report` (``pytest -p
numerics.jit_report``: numba compilation time per module). In several dimensions:
:mod:`.polynd` (packed multivariate polynomials), :mod:`.chains_nd` (n-D chains with current
functionals), :mod:`.linear_gaussian` (exact laws of linear chains and their SDE limits),
:mod:`.grid_2d` (2-D Fokker-Planck with full diffusion, banded GTH), :mod:`.quadrature_2d`,
:mod:`.flux_nd` (one-step currents), :mod:`.rmsprop_nd`, :mod:`.estimators` (delta method).
"""

import os as _os

# Dense linear algebra here is small (n <= ~1000): one BLAS thread is fastest, and on a
# shared machine OpenBLAS's own threads spin against numba's (a 480 x 480 solve measured
# 0.6 s with two BLAS threads under load, 0.015 s with one). Set before numpy loads; an
# explicit setting in the environment wins.
_os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
_os.environ.setdefault("MKL_NUM_THREADS", "1")
