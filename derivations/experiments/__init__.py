"""Witnesses that measure what a claim asserts: simulations and deterministic numerics.

Each experiment bridges a claim's sympy objects to :mod:`numerics` and returns
:class:`derivations.model.ExperimentResult`; see :class:`derivations.model.Experiment`.
"""
