"""Run engine, verdicts, results, rendering and the command line.

Imports :mod:`derivations` and :mod:`numerics`; nothing imports :mod:`reports`.
"""

import os as _os

# Dense linear algebra here is small (n <= ~1000): one BLAS thread is fastest, and on a
# shared machine OpenBLAS's own threads spin against numba's (a 480 x 480 solve measured
# 0.6 s with two BLAS threads under load, 0.015 s with one). Set before numpy loads; an
# explicit setting in the environment wins.
_os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
_os.environ.setdefault("MKL_NUM_THREADS", "1")
