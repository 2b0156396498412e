"""slidecheck's claims and their derivations.

The claim model (:mod:`.model`), the shared symbols (:mod:`.symbols`), the symbolic
witness (:mod:`.equivalence`, :mod:`.fokker_planck`), the bridge to the kernels
(:mod:`.codegen`, :mod:`.experiments`) and the catalogue (:mod:`.claims`, found by
:mod:`.registry`). Imports :mod:`numerics`; never imports :mod:`reports`.
"""

from .model import Claim, Verdict
from .registry import all_claims, get_claim, select_claims

__all__ = ["Claim", "Verdict", "all_claims", "get_claim", "select_claims"]
