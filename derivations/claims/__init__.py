"""The catalogue: one module per claim, each exposing ``CLAIM`` (see :mod:`derivations.model`)."""
