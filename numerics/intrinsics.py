"""Two LLVM-level helpers for the lockstep kernels, as numba intrinsics.

- :func:`no_vectorize` emits an empty volatile ``asm`` statement: no instruction at all,
  but a loop containing it is never vectorised. The ziggurat's table look-ups need it:
  vectorised, they become hardware gathers, which on the machines measured (AMD Zen 4)
  cost more than the eight scalar loads they replace (see ``numerics/bench.py``).
- :func:`trailing_zeros` is ``llvm.cttz`` (``tzcnt``): it walks the set bits of a lane
  mask, so that only the lanes that need the ziggurat's slow path are visited.
"""

from __future__ import annotations

from llvmlite import ir
from numba.core import types
from numba.extending import intrinsic

__all__ = ["no_vectorize", "trailing_zeros"]


@intrinsic
def no_vectorize(typingctx):
    """Keep the enclosing loop scalar (an empty ``asm volatile("")``; costs nothing)."""

    def codegen(context, builder, signature, args):
        asm = ir.InlineAsm(ir.FunctionType(ir.VoidType(), []), "", "", side_effect=True)
        builder.call(asm, [])
        return context.get_dummy_value()

    return types.none(), codegen


@intrinsic
def trailing_zeros(typingctx, x):
    """Number of trailing zero bits of the uint64 ``x`` (64 for ``x == 0``)."""
    if x != types.uint64:
        return None

    def codegen(context, builder, signature, args):
        (v,) = args
        fnty = ir.FunctionType(v.type, [v.type, ir.IntType(1)])
        fn = builder.module.declare_intrinsic("llvm.cttz", [v.type], fnty)
        return builder.call(fn, [v, ir.Constant(ir.IntType(1), 0)])

    return types.uint64(types.uint64), codegen
