"""A progress bar for long runs: which claim, which witness, time elapsed and time left.

The engine reports each step as it starts (``"[i/n] <claim id> [<case>]: derivation"`` or
``...: <experiment name>``). The bar knows the claims it was given, so it counts the steps
done out of all steps and estimates the time left from the time spent so far, with each
claim weighted by its share of a previous run's time where one is known (``weights``,
seconds per claim id, at any budget: only proportions matter) and by its number of steps
otherwise.

On a terminal the bar redraws one line (and ticks every half second, so the clock moves
during a long experiment); elsewhere (a log, CI) it prints one line per step.
"""

from __future__ import annotations

import shutil
import sys
import threading
import time
from typing import Mapping, Sequence, TextIO

from derivations.model import Claim

__all__ = ["ProgressBar", "format_seconds"]


def format_seconds(s: float) -> str:
    s = max(0.0, s)
    if s < 60:
        return f"{s:.0f} s"
    if s < 3600:
        return f"{int(s // 60)} min {int(s % 60):02d} s"
    return f"{int(s // 3600)} h {int(s % 3600 // 60):02d} min"


class ProgressBar:
    """A callable progress sink for :func:`reports.engine.check_claims`."""

    def __init__(self, claims: Sequence[Claim], stream: TextIO | None = None, *,
                 tty: bool | None = None, weights: Mapping[str, float] | None = None,
                 clock=time.perf_counter, tick: float = 0.5):
        self.claims = list(claims)
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.clock = clock
        self.start = clock()
        # Steps per claim: per case, its derivation and each of its experiments.
        self.steps = {c.id: [(case.name, what) for case in c.cases
                             for what in ("derivation", *(e.name for e in case.experiments))]
                      for c in self.claims}
        # Within a claim a Monte Carlo witness costs most, a derivation least (rough shares).
        cost = {"derivation": 1.0, "deterministic": 2.0, "monte-carlo": 6.0}
        self.shares = {}
        for c in self.claims:
            w = [cost[what] if what == "derivation" else
                 cost.get(next(e.kind for e in case.experiments if e.name == what), 6.0)
                 for case in c.cases for what in ("derivation", *(e.name for e in case.experiments))]
            self.shares[c.id] = [sum(w[:j]) / sum(w) for j in range(len(w))]
        known = {k: v for k, v in (weights or {}).items() if k in self.steps and v > 0}
        # Seconds per step, from the claims a previous run timed (1 when none: steps count).
        per_step = (sum(known.values()) / sum(len(self.steps[k]) for k in known)) if known else 1.0
        self.weight = {c.id: known.get(c.id, per_step * len(self.steps[c.id])) for c in self.claims}
        self.total = sum(self.weight.values()) or 1.0
        self.done = 0.0  # weight of the steps finished
        self.current = ""
        self._index = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker = None
        if self.tty and tick > 0:
            self._ticker = threading.Thread(target=self._tick, args=(tick,), daemon=True)
            self._ticker.start()

    # -- the engine's callback ------------------------------------------------------------
    def __call__(self, message: str) -> None:
        with self._lock:
            self._advance(message)
            self._draw(final=False)

    def _advance(self, message: str) -> None:
        text = message.split("] ", 1)[1] if message.startswith("[") and "] " in message else message
        for i, c in enumerate(self.claims):
            prefix = f"{c.id} ["
            if not text.startswith(prefix):
                continue
            steps = self.steps[c.id]
            for j, (case, what) in enumerate(steps):
                if text == f"{c.id} [{case}]: {what}":
                    before = sum(self.weight[d.id] for d in self.claims[:i])
                    self.done = before + self.weight[c.id] * self.shares[c.id][j]
                    self._index = i
                    self.current = f"{c.id} · {case} · {what}"
                    return
        self.current = text  # a message the bar does not know: shown, not counted

    # -- drawing --------------------------------------------------------------------------
    def status(self) -> str:
        elapsed = self.clock() - self.start
        fraction = min(self.done / self.total, 1.0)
        left = elapsed * (1 - fraction) / fraction if fraction > 0.02 else None
        eta = f"~{format_seconds(left)} left" if left is not None else "estimating time left"
        return (f"[{self._index + 1}/{len(self.claims)}] {self.current} | "
                f"{format_seconds(elapsed)} elapsed, {eta}")

    def _draw(self, final: bool) -> None:
        if self.tty:
            width = shutil.get_terminal_size((100, 20)).columns
            fraction = min(self.done / self.total, 1.0)
            bar_w = 20
            filled = int(round(fraction * bar_w))
            line = f"{'#' * filled}{'-' * (bar_w - filled)} {fraction:4.0%} {self.status()}"
            self.stream.write("\r\x1b[K" + line[:max(10, width - 1)])
        else:
            self.stream.write(f"[{self.clock() - self.start:7.1f} s] {self.status()}\n")
        self.stream.flush()

    def _tick(self, every: float) -> None:
        while not self._stop.wait(every):
            with self._lock:
                if self.current:
                    self._draw(final=False)

    def close(self, summary: str = "") -> None:
        """Stop ticking and leave the terminal on a fresh line with a summary."""
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        with self._lock:
            elapsed = format_seconds(self.clock() - self.start)
            if self.tty:
                self.stream.write("\r\x1b[K")
            self.stream.write(f"{summary or 'done'} in {elapsed}\n")
            self.stream.flush()
