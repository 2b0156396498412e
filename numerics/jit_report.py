"""pytest plugin: how much of a test run numba spends compiling, and on which functions.

    pytest -p numerics.jit_report              # a summary after the usual report

Numba announces every compilation as a ``numba:compile`` event; this plugin times them.
A function's compilation includes its callees' (compiled on first typing), so each is
reported *exclusive* of the compilations nested in it; the exclusive times add up to
the total. A function loaded from the on-disk cache is not compiled and costs nothing
here, so a run on an empty cache (``NUMBA_CACHE_DIR`` pointing to a new folder) against
a second run shows what caching saves. Issue 3 uses it to propose how the suite runs.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict

from numba.core import event

__all__ = ["CompileTimes"]


class CompileTimes(event.Listener):
    """Exclusive wall time of each ``numba:compile`` event, per function and per module."""

    def __init__(self):
        self.exclusive: dict[str, float] = defaultdict(float)
        self.count: dict[str, int] = defaultdict(int)
        self._stack = threading.local()

    def _frames(self) -> list:
        if not hasattr(self._stack, "frames"):
            self._stack.frames = []
        return self._stack.frames

    @staticmethod
    def _name(ev) -> str:
        dispatcher = (ev.data or {}).get("dispatcher")
        fn = getattr(dispatcher, "py_func", None)
        if fn is None:
            return "?"
        return f"{fn.__module__}.{fn.__qualname__}"

    def on_start(self, ev):
        self._frames().append([self._name(ev), time.perf_counter(), 0.0])

    def on_end(self, ev):
        frames = self._frames()
        if not frames:
            return
        name, start, nested = frames.pop()
        total = time.perf_counter() - start
        self.exclusive[name] += total - nested
        self.count[name] += 1
        if frames:
            frames[-1][2] += total

    @property
    def total(self) -> float:
        return sum(self.exclusive.values())

    def by_module(self) -> dict[str, float]:
        out: dict[str, float] = defaultdict(float)
        for name, sec in self.exclusive.items():
            out[name.rsplit(".", 1)[0] if "." in name else name] += sec
        return dict(out)

    def summary(self, top: int = 15) -> list[str]:
        lines = [f"numba compilation: {self.total:.1f} s wall in "
                 f"{sum(self.count.values())} compilations (exclusive of nested ones)"]
        mods = sorted(self.by_module().items(), key=lambda kv: -kv[1])
        lines += [f"  {sec:7.2f} s  {mod}" for mod, sec in mods[:top]]
        lines.append("slowest functions:")
        funcs = sorted(self.exclusive.items(), key=lambda kv: -kv[1])
        lines += [f"  {sec:7.2f} s  {name} (x{self.count[name]})" for name, sec in funcs[:top]]
        return lines


_LISTENER = CompileTimes()


def pytest_configure(config):
    event.register("numba:compile", _LISTENER)


def pytest_terminal_summary(terminalreporter):
    terminalreporter.section("numba JIT")
    for line in _LISTENER.summary():
        terminalreporter.write_line(line)
