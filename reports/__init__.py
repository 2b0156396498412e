"""Run engine, verdicts, results, rendering and the command line.

Imports :mod:`derivations` and :mod:`numerics`; nothing imports :mod:`reports`.
"""
