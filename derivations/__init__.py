"""slidecheck's claims and their derivations.

The claim model (:mod:`.model`), the shared symbols (:mod:`.symbols`), the symbolic
witness (:mod:`.equivalence`, :mod:`.fokker_planck`), the bridge to the kernels
(:mod:`.codegen`, :mod:`.experiments`) and the catalogue (:mod:`.claims`, found by
:mod:`.registry`). Imports :mod:`numerics`; never imports :mod:`reports`.
"""

import os as _os

# Dense linear algebra here is small (n <= ~1000): one BLAS thread is fastest, and on a
# shared machine OpenBLAS's own threads spin against numba's (a 480 x 480 solve measured
# 0.6 s with two BLAS threads under load, 0.015 s with one). Set before numpy loads; an
# explicit setting in the environment wins.
_os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
_os.environ.setdefault("MKL_NUM_THREADS", "1")

from .model import Claim, Verdict
from .registry import all_claims, get_claim, select_claims

__all__ = ["Claim", "Verdict", "all_claims", "get_claim", "select_claims"]
