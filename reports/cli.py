"""The ``slidecheck`` command line.

    slidecheck list
    slidecheck check ID_OR_PATTERN... [--budget quick|full] [--seed N] [--threads N]
    slidecheck report [--budget quick|full] [--out DIR] [--seed N] [--threads N]
    slidecheck render RESULTS_JSON --out DIR

Exit codes: 0 every verdict as pinned, 1 a verdict differs from its pin, 2 bad usage or
input (the message names the argument, the value and the rule).
"""

from __future__ import annotations

import argparse
import sys
import time

__all__ = ["main"]

EXIT_OK, EXIT_PIN_MISMATCH, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad usage or input: exit code 2 with this message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse exits 2 already; keep its message, our prefix
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
        sp.add_argument("--quiet", action="store_true", help="no progress lines")

    c = sub.add_parser("check", help="check claims by id or shell pattern")
    c.add_argument("ids", nargs="+", metavar="ID")
    run_options(c, "quick")
    r = sub.add_parser("report", help="check every claim and write results.json, report.html, errata.tex")
    r.add_argument("--out", default="report")
    run_options(r, "full")
    rr = sub.add_parser("render", help="rebuild report.html and errata.tex from a results.json")
    rr.add_argument("results")
    rr.add_argument("--out", required=True)
    return p


def _progress(quiet: bool):
    if quiet:
        return None
    start = time.perf_counter()

    def say(msg: str) -> None:
        print(f"[{time.perf_counter() - start:7.1f} s] {msg}", file=sys.stderr, flush=True)

    return say


def _summarise(results: dict) -> int:
    mismatches = 0
    for c in results["claims"]:
        flag = "" if c["matches_pin"] else f"   <-- pinned {c['expected_verdict']}"
        mismatches += not c["matches_pin"]
        print(f"{c['verdict']:<13} {c['id']}{flag}")
    return EXIT_OK if mismatches == 0 else EXIT_PIN_MISMATCH


def _run(args) -> int:
    from derivations.registry import UnknownClaimError, all_claims, select_claims

    if args.command == "list":
        for c in all_claims():
            print(f"{c.id:<40} {c.expected.value:<13} {c.source.deck}  \"{c.source.slide}\"")
        return EXIT_OK
    if args.command == "render":
        from .render import write_report
        from .results import ResultsError, load

        try:
            results = load(args.results)
        except ResultsError as exc:
            raise UsageError(str(exc)) from None
        for path in write_report(results, args.out):
            print(path)
        return EXIT_OK

    from .engine import check_claims

    try:
        claims = select_claims(args.ids) if args.command == "check" else list(all_claims())
    except UnknownClaimError as exc:
        raise UsageError(str(exc)) from None
    results = check_claims(claims, budget=args.budget, seed=args.seed, threads=args.threads,
                           progress=_progress(args.quiet))
    if args.command == "report":
        from .render import write_report

        for path in write_report(results, args.out):
            print(path)
    return _summarise(results)


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        return _run(args)
    except UsageError as exc:
        print(f"slidecheck: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (OSError, ValueError) as exc:
        print(f"slidecheck: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
