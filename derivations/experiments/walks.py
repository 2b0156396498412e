"""Random walks and sums of noise: the witnesses of the Brownian-motion and gradient-noise claims.

:func:`walk_increments` runs ``z_{k+1} = z_k + scale xi_k`` (``xi`` of a chosen law, see
:class:`numerics.paths_1d.StepLaw`) and returns the increments ``z(c_j) - z(c_{j-1})``
between checkpoints, one row per independent walk. The statistics the claims need
(variance per unit time, excess kurtosis, the correlation of successive increments, an
interquartile range) are the moment statistics of :mod:`derivations.experiments.ladder`.
"""

from __future__ import annotations

import numpy as np

from numerics.paths_1d import StepLaw, run_noise_paths

__all__ = ["walk_increments", "GAUSSIAN_IQR"]

#: Interquartile range of the standard normal: 2 * 0.6744897501960817.
GAUSSIAN_IQR = 1.3489795003921634


def walk_increments(scale: float, checkpoints, seed: int, walks: int, law: StepLaw = StepLaw.NORMAL,
                    alpha: float = 1.5, start: float = 0.0) -> np.ndarray:
    """``(walks, len(checkpoints))``: increments of ``z`` between successive checkpoints
    (the first from step 0)."""
    cp = [int(c) for c in checkpoints]
    x, _ = run_noise_paths([0.0], [1.0], a=1.0, b=float(scale), x0=np.full(walks, float(start)),
                           n_steps=cp[-1], checkpoints=[0, *cp], seed=seed, law=law, alpha=alpha)
    return np.diff(x, axis=1)


