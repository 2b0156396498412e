"""The results document (``results.json``): one data model for every rendering.

Layout, version 1 (``meta.schema_version``)::

    {"meta": {"schema_version": 1, "slidecheck": ..., "budget": "quick"|"full",
              "seed": int, "threads": int, "versions": {...}, "false_alarm": {...},
              "n_assertions": int, "seconds": float, "started": ISO time},
     "claims": [{"id", "title", "deck", "slide", "line", "quote", "statement_latex",
                 "statement": {"latex", "srepr"}, "reconstruction", "setting",
                 "assumptions", "relation", "notes", "verdict", "expected_verdict",
                 "matches_pin", "correction_latex", "conditions", "key_z",
                 "cases": [{"name", "assumptions", "in_scope", "outcome", "reasons",
                            "symbolic": {...}, "hypotheses": {...},
                            "numeric": {"experiments": [{"name", "kind", "seed",
                                        "seconds", "chain_steps", "setup", "plots",
                                        "measurements": [...]}], ...}}],
                 "seconds"}]}

Timings live only under keys named ``seconds`` and ``started`` (and ``threads``), so
:func:`digest` can hash a run's content without them: two runs with the same seed must
have the same digest at any thread count.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import platform
import tempfile
from pathlib import Path

import numba
import numpy
import mpmath
import sympy

from numerics.stats import FalseAlarmBudget

__all__ = ["SCHEMA_VERSION", "ResultsError", "run_metadata", "dumps", "load", "digest",
           "write_atomically"]

SCHEMA_VERSION = 1
_VOLATILE = {"seconds", "started", "threads"}


class ResultsError(ValueError):
    """A results file that cannot be used: unreadable, corrupted, or of another version."""


def run_metadata(*, budget: str, seed: int, alarm: FalseAlarmBudget, n_assertions: int,
                 seconds: float) -> dict:
    from importlib.metadata import PackageNotFoundError, version

    try:
        own = version("slidecheck")
    except PackageNotFoundError:
        own = "unknown (not installed)"
    return {
        "schema_version": SCHEMA_VERSION,
        "slidecheck": own,
        "budget": budget,
        "seed": seed,
        "threads": numba.get_num_threads(),
        "versions": {"python": platform.python_version(), "numpy": numpy.__version__,
                     "numba": numba.__version__, "sympy": sympy.__version__,
                     "mpmath": mpmath.__version__},
        "false_alarm": {"total": alarm.total, "max_assertions": alarm.max_assertions,
                        "alpha_each": alarm.alpha, "z_crit": alarm.z_crit,
                        "power": alarm.power, "z_power": alarm.z_power},
        "n_assertions": n_assertions,
        "seconds": seconds,
        "started": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }


def dumps(results: dict) -> str:
    """Canonical JSON text: sorted keys, no NaN (``allow_nan=False`` refuses it)."""
    return json.dumps(results, sort_keys=True, indent=1, allow_nan=False, ensure_ascii=False)


def _strip_volatile(obj):
    if isinstance(obj, dict):
        return {k: _strip_volatile(v) for k, v in obj.items() if k not in _VOLATILE}
    if isinstance(obj, list):
        return [_strip_volatile(v) for v in obj]
    return obj


def digest(results: dict) -> str:
    """SHA-256 of the canonical JSON without timings: equal runs, equal digests."""
    text = json.dumps(_strip_volatile(results), sort_keys=True, allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()


def load(path: str | os.PathLike) -> dict:
    """Read and validate a results file; :class:`ResultsError` says what is wrong."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ResultsError(f"results file {str(p)!r} cannot be read: {exc.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResultsError(f"results file {str(p)!r} is not valid JSON (line {exc.lineno}: "
                           f"{exc.msg})") from None
    if not isinstance(data, dict) or "meta" not in data or "claims" not in data:
        raise ResultsError(f"results file {str(p)!r} lacks the top-level 'meta' and 'claims'")
    version = data["meta"].get("schema_version") if isinstance(data["meta"], dict) else None
    if version != SCHEMA_VERSION:
        raise ResultsError(f"results file {str(p)!r} has schema_version={version!r}; this "
                           f"slidecheck reads version {SCHEMA_VERSION} (rerun `slidecheck report`)")
    if not isinstance(data["claims"], list):
        raise ResultsError(f"results file {str(p)!r}: 'claims' must be a list")
    required = {"id", "deck", "slide", "statement_latex", "verdict", "cases"}
    for i, c in enumerate(data["claims"]):
        missing = required - set(c) if isinstance(c, dict) else required
        if missing:
            raise ResultsError(f"results file {str(p)!r}: claim #{i} lacks {sorted(missing)}")
    return data


def write_atomically(files: dict[str, str | bytes], out_dir: str | os.PathLike) -> list[Path]:
    """Write every file or none: all go to a temporary folder first, then are renamed.

    A failure before the renames leaves ``out_dir`` as it was; the renames themselves are
    atomic per file on one filesystem.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OSError(f"--out {str(out)!r} cannot be created: {exc.strerror}") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise PermissionError(f"--out {str(out)!r} is not writable")
    staging = Path(tempfile.mkdtemp(prefix=".slidecheck-", dir=out))
    try:
        staged = []
        for name, content in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
            staged.append((target, out / name))
        written = []
        for src, dst in staged:
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
            written.append(dst)
        return written
    finally:
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
