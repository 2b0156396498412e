"""The ``slidecheck`` command line.

    slidecheck list
    slidecheck check ID_OR_PATTERN... [--budget quick|full] [--seed N] [--threads N] [--out DIR]
    slidecheck report [--budget quick|full] [--out DIR] [--seed N] [--threads N]
    slidecheck render RESULTS_JSON --out DIR
    slidecheck new ID [--slide TITLE] [--kind stationary] [--root DIR]

Exit codes: 0 every verdict as pinned, 1 a verdict differs from its pin, 2 bad usage or
input: an argument, a results file, or a claim module that cannot be checked as written.
Every error names the argument (or the claim and the witness), the value and the rule.
Output files are written all or none (:func:`reports.results.write_atomically`), and an
output folder is checked before any simulation runs, so a failed run leaves no report.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import traceback
from pathlib import Path

__all__ = ["main", "EXIT_OK", "EXIT_PIN_MISMATCH", "EXIT_USAGE"]

EXIT_OK, EXIT_PIN_MISMATCH, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad usage or input: exit code 2 with this message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse would exit 2 itself; we keep its message and our prefix
        raise UsageError(message)


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--seed={text!r} must be an integer in [0, 2**63)") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"--seed={text!r} must be an integer in [0, 2**63)")
    return value


def _threads(text: str) -> int:
    import numba

    top = numba.config.NUMBA_NUM_THREADS
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--threads={text!r} must be an integer in [1, {top}]") from None
    if not 1 <= value <= top:
        raise argparse.ArgumentTypeError(f"--threads={text!r} must be an integer in [1, {top}]")
    return value


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="slidecheck", description="Check the mathematical claims of lecture slides "
                "by derivation and by simulation.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sub.add_parser("list", help="list the catalogue's claims")

    def run_options(sp, default_budget):
        sp.add_argument("--budget", choices=("quick", "full"), default=default_budget)
        sp.add_argument("--seed", type=_seed, default=0)
        sp.add_argument("--threads", type=_threads, default=None)
        sp.add_argument("--quiet", action="store_true", help="no progress bar")

    c = sub.add_parser("check", help="check claims by id or shell pattern ('001-*')")
    c.add_argument("ids", nargs="+", metavar="ID")
    c.add_argument("--out", default=None, help="also write a report of these claims to DIR")
    run_options(c, "quick")
    r = sub.add_parser("report", help="check every claim and write results.json, report.html, errata.tex")
    r.add_argument("--out", default="report")
    run_options(r, "full")
    rr = sub.add_parser("render", help="rebuild report.html and errata.tex from a results.json, "
                        "without simulating")
    rr.add_argument("results")
    rr.add_argument("--out", required=True)
    n = sub.add_parser("new", help="scaffold a claim module and its test")
    n.add_argument("id", metavar="ID", help="DDD-short-name, DDD the deck's number")
    n.add_argument("--slide", default=None, help="the slide's title, as the deck writes it")
    n.add_argument("--kind", default="stationary", help="template (stationary)")
    n.add_argument("--root", default=None, help="project root (default: this checkout)")
    return p


# --- output folders -----------------------------------------------------------------------

def _check_out(out: str) -> None:
    """Refuse an output folder that cannot be written, before anything runs or is created."""
    path = Path(out)
    if path.exists():
        if not path.is_dir():
            raise UsageError(f"--out={out!r} must be a folder; it is a file")
        if not os.access(path, os.W_OK | os.X_OK):
            raise UsageError(f"--out={out!r} must be a writable folder; it is not writable")
        return
    parent = path.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise UsageError(f"--out={out!r} cannot be created: {str(parent)!r} is a file, not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"--out={out!r} cannot be created: {str(parent)!r} is not writable")


def _write(results: dict, out: str) -> None:
    from .render import write_report

    try:
        paths = write_report(results, out)
    except OSError as exc:
        text = str(exc)
        core = f"--out {str(Path(out))!r} "  # reports.results words it so; say it our way
        raise UsageError(f"--out={out!r} " + text[len(core):] if text.startswith(core)
                         else f"--out={out!r}: {text}") from None
    for path in paths:
        print(path)


# --- the catalogue ------------------------------------------------------------------------

def _claim_module(exc: BaseException) -> str | None:
    """The claim module an exception came from, if any (for the error message)."""
    import derivations.claims as pkg

    roots = tuple(os.path.join(os.path.abspath(p), "") for p in pkg.__path__)
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{exc.filename}, line {exc.lineno}"
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if os.path.abspath(frame.filename).startswith(roots):
            return f"{frame.filename}, line {frame.lineno}"
    return None


def _catalogue():
    from derivations.registry import all_claims

    try:
        return all_claims()
    except Exception as exc:  # a claim module that does not load is bad input, not a crash
        where = _claim_module(exc)
        raise UsageError(f"the catalogue cannot be loaded{f' ({where})' if where else ''}: "
                         f"{type(exc).__name__}: {exc}") from exc


def _select(ids: list[str]):
    from derivations.registry import UnknownClaimError, select_claims

    _catalogue()
    try:
        return select_claims(ids)
    except UnknownClaimError as exc:
        raise UsageError(str(exc)) from None


def _previous_timings(out: str | None, budget: str) -> dict[str, float]:
    """Seconds per claim of a previous run in ``out``, for the time left.

    Only their proportions matter, which change little between budgets, so a quick run
    also informs a full one.
    """
    if not out:
        return {}
    try:
        from .results import load

        prev = load(Path(out) / "results.json")
    except Exception:  # no previous run, or one we cannot read: estimate from step counts
        return {}
    return {c["id"]: float(c.get("seconds") or 0.0) for c in prev["claims"]
            if isinstance(c.get("seconds"), (int, float)) and math.isfinite(c["seconds"])}


def _check(claims, args, out: str | None) -> dict:
    """Preflight, then run every claim with a progress bar; errors name the claim and witness."""
    import io

    from .engine import check_claims
    from .preflight import ClaimInputError, preflight
    from .progress import ProgressBar

    for claim in claims:
        try:
            preflight(claim)
        except ClaimInputError as exc:
            raise UsageError(str(exc)) from None
    bar = ProgressBar(claims, io.StringIO() if args.quiet else sys.stderr,
                      tty=False if args.quiet else None,
                      weights=_previous_timings(out, args.budget))
    try:
        results = check_claims(claims, budget=args.budget, seed=args.seed, threads=args.threads,
                               progress=bar)
    except Exception as exc:
        bar.close("stopped")
        where = bar.current or "before the first claim"
        if os.environ.get("SLIDECHECK_TRACEBACK"):
            traceback.print_exc()
        raise UsageError(f"{where}: {type(exc).__name__}: {exc} (nothing was written; "
                         "SLIDECHECK_TRACEBACK=1 shows the traceback)") from exc
    counts = {}
    for c in results["claims"]:
        counts[c["verdict"]] = counts.get(c["verdict"], 0) + 1
    bar.close(f"checked {len(claims)} claim{'s' if len(claims) != 1 else ''} ("
              + ", ".join(f"{v} {k}" for k, v in counts.items()) + ")")
    return results


def _summarise(results: dict, evidence: bool) -> int:
    from .view import evidence_line

    mismatches = 0
    for c in results["claims"]:
        flag = "as pinned" if c["matches_pin"] else f"<-- pinned {c['expected_verdict']}"
        mismatches += not c["matches_pin"]
        print(f"{c['verdict']:<13} {c['id']:<40} {flag}")
        if evidence or not c["matches_pin"]:
            print(f"    {evidence_line(c, results['meta']['false_alarm']['z_crit'])}")
    return EXIT_OK if mismatches == 0 else EXIT_PIN_MISMATCH


def _run(args) -> int:
    if args.command == "list":
        for c in _catalogue():
            print(f"{c.id:<40} {c.expected.value:<13} {c.source.deck}  \"{c.source.slide}\"")
        return EXIT_OK
    if args.command == "new":
        from .scaffold import ScaffoldError, scaffold

        _catalogue()
        try:
            paths = scaffold(args.id, slide=args.slide, kind=args.kind, root=args.root)
        except ScaffoldError as exc:
            raise UsageError(str(exc)) from None
        from derivations.registry import all_claims

        all_claims.cache_clear()  # the catalogue has a new module now
        for path in paths:
            print(path)
        print(f"next: edit the TODOs in {paths[0].name}, then `slidecheck check {args.id}` "
              f"and `pytest -k {args.id}`", file=sys.stderr)
        return EXIT_OK
    if args.command == "render":
        from .results import ResultsError, load
        from .schema import SchemaError, validate

        try:
            results = load(args.results)
            validate(results)
        except (ResultsError, SchemaError) as exc:
            raise UsageError(f"{args.results}: {exc}" if isinstance(exc, SchemaError) else str(exc)) from None
        _check_out(args.out)
        _write(results, args.out)
        return EXIT_OK

    out = args.out
    if out is not None:
        _check_out(out)
    claims = _select(args.ids) if args.command == "check" else list(_catalogue())
    results = _check(claims, args, out)
    if out is not None:
        _write(results, out)
    return _summarise(results, evidence=args.command == "check")


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        return _run(args)
    except UsageError as exc:
        print(f"slidecheck: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("slidecheck: interrupted; nothing was written", file=sys.stderr)
        return 130  # the shell's convention for SIGINT


if __name__ == "__main__":
    sys.exit(main())
