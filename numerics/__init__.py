"""Kernels, random streams and statistics; pure numbers in and out.

Knows nothing of claims, sympy or reports: :mod:`.rng` (per-chain streams),
:mod:`.poly` (Horner), :mod:`.chains_1d` (1-D chains), :mod:`.batch_noise`,
:mod:`.batch_steps` and :mod:`.adaptive_lr` (batch-size analysis of deck 003), :mod:`.chain_stats`
(ratio and delta-method standard errors), :mod:`.grid_1d` (Fokker-Planck and
transfer-operator grids), :mod:`.quadrature` (expectations of densities), :mod:`.stats`
(standard errors, extrapolation, false-alarm budget, power).
"""
