"""Bad input, table-driven: each row a clear error, the right exit code, and no partial output.

Each row says at which layer a user meets the input:

- ``cli``: an argument of ``slidecheck`` (exit code 2, message names argument, value, rule);
- ``results``: a ``results.json`` given to ``slidecheck render`` (exit code 2);
- ``author``: a claim module an author wrote (as ``slidecheck new`` scaffolds it), met at
  ``slidecheck check`` (exit code 2, message names the claim or module, value and rule);
- ``library``: a direct call of a kernel, spec or parser (the exception and its message).

After every row the working folder holds exactly the files the row itself created: a
failed run writes no report, not even a folder.
"""

from __future__ import annotations

import json
import math
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from reports.cli import main

DECK = "001_f7b24b47ec34203a.txt"
SLIDE = "The SGD SDE in One Dimension"
GOOD_LATEX = r"p(x) = \frac{1}{Z} \exp\left(\frac{-2\mathcal{L}(x)}{\eta\sigma^2}\right)"
GOOD_RUNGS = "fixed_temperature_rungs(eta, sigma, 0.5)"

#: An author's claim module, with the knobs the rows turn (tiny budgets: these rows are
#: about errors, not verdicts).
AUTHOR_MODULE = '''\
"""001, "The SGD SDE in One Dimension": a claim module written for the bad-input table."""
import sympy as sp

from derivations.experiments.settings import double_well, fixed_temperature_rungs, quadratic
from derivations.experiments.stationary_1d import MonteCarloBudget, StationarySpec1D, stationary_witnesses
from derivations.fokker_planck import XI, zero_flux_density_1d
from derivations.model import Claim, Derivation, Relation, Source, Statement, Verdict, single_case
from derivations.mutants import temperature_scaled
from derivations.symbols import ETA, LOSS, NORMALISER, SIGMA, X, L, Z, eta, sigma, x

p = sp.Function("p")
LATEX = {latex!r}
UPDATE = -eta * (sp.diff(L(x), x) + sigma * XI)


def derive():
    density, steps = zero_flux_density_1d(UPDATE, x, Z)
    return Derivation({derived}, steps)


SPEC = StationarySpec1D(
    label="SGD on a test loss", update=UPDATE, state=x, functions={{L: {loss}}},
    rungs={rungs}, ladder=eta, observables=(x**2,),
    budgets={{"quick": MonteCarloBudget(64, 2), "full": MonteCarloBudget(64, 2)}})

CLAIM = Claim(
    id={claim_id!r}, title="a claim of the bad-input table",
    source=Source({deck!r}, {slide!r}),
    statement=Statement(quote=LATEX, latex=LATEX,
                        encoding=sp.Eq(p(x), sp.exp(-2 * L(x) / (eta * sigma**2)) / Z),
                        latex_names={names}, parse_note="bad-input table"),
    setting=(X, ETA, SIGMA, NORMALISER, LOSS), assumptions=(), relation=Relation.DENSITY,
    variables=(x,), cases={cases}, mutants=(temperature_scaled(2),), expected=Verdict.HOLDS)
'''


def author_module(claim_id="001-bad-input", latex=GOOD_LATEX, derived="density", loss="quadratic()",
                  rungs=GOOD_RUNGS, names="None", cases="single_case(derive, stationary_witnesses(SPEC))"):
    return AUTHOR_MODULE.format(claim_id=claim_id, latex=latex, derived=derived, loss=loss, rungs=rungs,
                                names=names, cases=cases, deck=DECK, slide=SLIDE)


@dataclass(frozen=True)
class Row:
    name: str
    layer: str  # cli | results | author | library
    expect: object  # an exit code, or an exception class (library rows)
    match: str  # a regex the message must contain
    argv: Callable[[Path], list[str]] | None = None  # cli, results, author rows
    setup: Callable[[Path], None] | None = None  # files the row needs
    module: str | None = None  # author rows: the claim module's source
    call: Callable[[], object] | None = None  # library rows
    needs_decks: bool = False  # rows that read a deck (skipped where the decks are absent)


# --- results files -------------------------------------------------------------------------

def _results(tmp: Path, text: str) -> None:
    (tmp / "in.json").write_text(text, encoding="utf-8")


def _valid_doc() -> dict:
    from reports.results import SCHEMA_VERSION

    return {"meta": {"schema_version": SCHEMA_VERSION, "slidecheck": "t", "budget": "quick", "seed": 0,
                     "threads": 1, "versions": {}, "false_alarm": {"total": 0.001, "max_assertions": 2000,
                     "alpha_each": 5e-7, "z_crit": 5.03, "power": 0.999, "z_power": 3.09},
                     "n_assertions": 0, "seconds": 1.0, "started": "t"},
            "claims": []}


def _doc_with(**changes) -> str:
    doc = _valid_doc()
    for path, value in changes.items():
        target = doc
        keys = path.split("__")
        for k in keys[:-1]:
            target = target[k]
        target[keys[-1]] = value
    return json.dumps(doc)


def _render(tmp: Path) -> list[str]:
    return ["render", str(tmp / "in.json"), "--out", str(tmp / "out")]


def _chains(**kw):
    from numerics.chains_1d import run_chains_1d

    args = dict(a=0.01, b=0.1, x0=[0.0, 0.1], n_steps=10, burn_in=1, seed=1)
    args.update(kw)
    return lambda: run_chains_1d([0.0, 1.0], [1.0], **args)


def _spec(**rung):
    import sympy as sp

    from derivations.experiments.settings import quadratic
    from derivations.experiments.stationary_1d import MonteCarloBudget, StationarySpec1D
    from derivations.fokker_planck import XI
    from derivations.symbols import L, eta, sigma, x

    def make():
        names = {"eta": eta, "sigma": sigma}
        last = {eta: 0.03, sigma: 1.0, **{names[k]: v for k, v in rung.items()}}
        rungs = ({eta: 0.01, sigma: 1.0}, {eta: 0.02, sigma: 1.0}, last)
        return StationarySpec1D("a spec", -eta * (sp.diff(L(x), x) + sigma * XI), x, {L: quadratic()},
                                rungs, eta, (x**2,), {"quick": MonteCarloBudget(8, 1)})
    return make


def _unstable_spec():
    spec = _spec(eta=2.5)()
    return spec.polynomials(2)


ROWS = [
    # ---- the command line --------------------------------------------------------------
    Row("no command", "cli", 2, r"required: command", argv=lambda t: []),
    Row("unknown command", "cli", 2, r"invalid choice: 'frobnicate'", argv=lambda t: ["frobnicate"]),
    Row("unknown claim id", "cli", 2, r"claim id 'no-such-claim' is not in the catalogue",
        argv=lambda t: ["check", "no-such-claim"]),
    Row("misspelt claim id", "cli", 2, r"did you mean 001-sgd-sde-1d",
        argv=lambda t: ["check", "001-sgd-sde-1e"]),
    Row("pattern matching nothing", "cli", 2, r"pattern 'zzz\*' matches no claim id",
        argv=lambda t: ["check", "zzz*"]),
    Row("check without ids", "cli", 2, r"the following arguments are required: ID",
        argv=lambda t: ["check"]),
    Row("negative seed", "cli", 2, r"--seed='-1' must be an integer in \[0, 2\*\*63\)",
        argv=lambda t: ["check", "001-sgd-sde-1d", "--seed", "-1"]),
    Row("seed not an integer", "cli", 2, r"--seed='1.5' must be an integer",
        argv=lambda t: ["report", "--seed", "1.5", "--out", str(t / "out")]),
    Row("seed NaN", "cli", 2, r"--seed='nan' must be an integer",
        argv=lambda t: ["report", "--seed", "nan", "--out", str(t / "out")]),
    Row("seed too large", "cli", 2, r"--seed='9223372036854775808' must be",
        argv=lambda t: ["check", "001-sgd-sde-1d", "--seed", str(2**63)]),
    Row("zero threads", "cli", 2, r"--threads='0' must be an integer in \[1, ",
        argv=lambda t: ["check", "001-sgd-sde-1d", "--threads", "0"]),
    Row("too many threads", "cli", 2, r"--threads='100000' must be an integer in \[1, ",
        argv=lambda t: ["report", "--threads", "100000", "--out", str(t / "out")]),
    Row("unknown budget", "cli", 2, r"--budget: invalid choice: 'huge' \(choose from 'quick', 'full'\)",
        argv=lambda t: ["report", "--budget", "huge", "--out", str(t / "out")]),
    Row("--out is a file", "cli", 2, r"--out=.* must be a folder; it is a file",
        setup=lambda t: (t / "afile").write_text("x"),
        argv=lambda t: ["check", "001-appendix-alpha", "--out", str(t / "afile")]),
    Row("--out under a file", "cli", 2, r"--out=.* cannot be created: .* is a file, not a folder",
        setup=lambda t: (t / "afile").write_text("x"),
        argv=lambda t: ["report", "--out", str(t / "afile" / "report")]),
    Row("render without --out", "cli", 2, r"the following arguments are required: --out",
        argv=lambda t: ["render", str(t / "in.json")]),
    Row("new: malformed id", "cli", 2, r"ID='Langevin' must look like DDD-short-name",
        argv=lambda t: ["new", "Langevin", "--root", str(t)]),
    Row("new: id already in the catalogue", "cli", 2, r"ID='001-sgd-sde-1d' is already in the catalogue",
        setup=lambda t: (t / "derivations" / "claims").mkdir(parents=True),
        argv=lambda t: ["new", "001-sgd-sde-1d", "--root", str(t)]),
    Row("new: no deck with that number", "cli", 2, r"deck number 009 must name exactly one deck",
        setup=lambda t: (t / "derivations" / "claims").mkdir(parents=True),
        argv=lambda t: ["new", "009-a-claim", "--root", str(t)], needs_decks=True),
    Row("new: slide title not in the deck", "cli", 2, r"--slide='No Such Slide' must be a slide title",
        setup=lambda t: (t / "derivations" / "claims").mkdir(parents=True),
        argv=lambda t: ["new", "001-a-claim", "--slide", "No Such Slide", "--root", str(t)],
        needs_decks=True),
    Row("new: root is not a checkout", "cli", 2, r"--root=.* must be a slidecheck checkout",
        argv=lambda t: ["new", "001-a-claim", "--root", str(t)]),
    Row("new: unknown template kind", "cli", 2, r"--kind='matrix' must be one of stationary",
        setup=lambda t: (t / "derivations" / "claims").mkdir(parents=True),
        argv=lambda t: ["new", "001-a-claim", "--kind", "matrix", "--root", str(t)]),
    # ---- results files -----------------------------------------------------------------
    Row("results file missing", "results", 2, r"cannot be read", argv=_render),
    Row("results file not JSON (corrupted)", "results", 2, r"is not valid JSON \(line 1",
        setup=lambda t: _results(t, '{"meta": {"schema_version": 1}, "claims": ['), argv=_render),
    Row("results file truncated to nothing", "results", 2, r"is not valid JSON",
        setup=lambda t: _results(t, ""), argv=_render),
    Row("results file of another version", "results", 2, r"schema_version=99; this slidecheck reads version 1",
        setup=lambda t: _results(t, _doc_with(meta__schema_version=99)), argv=_render),
    Row("results file is a JSON list", "results", 2, r"lacks the top-level 'meta' and 'claims'",
        setup=lambda t: _results(t, "[]"), argv=_render),
    Row("results file: a claim lacks keys", "results", 2, r"claim #0 lacks",
        setup=lambda t: _results(t, _doc_with(claims=[{"id": "a"}])), argv=_render),
    Row("results file: a number is text", "results", 2, r"results\.meta\.seconds: 'fast' must be a finite number",
        setup=lambda t: _results(t, _doc_with(meta__seconds="fast")), argv=_render),
    Row("results file: NaN literal", "results", 2, r"results\.meta\.false_alarm\.z_crit: nan must be a finite number",
        setup=lambda t: _results(t, _doc_with(meta__false_alarm__z_crit=math.nan)), argv=_render),
    Row("results file: unknown budget", "results", 2, r"results\.meta\.budget: 'huge' must be one of 'quick', 'full'",
        setup=lambda t: _results(t, _doc_with(meta__budget="huge")), argv=_render),
    Row("render into an unwritable place", "results", 2, r"--out='/proc/slidecheck-out' (cannot be created|must be)",
        setup=lambda t: _results(t, json.dumps(_valid_doc())),
        argv=lambda t: ["render", str(t / "in.json"), "--out", "/proc/slidecheck-out"]),
    # ---- claim modules an author wrote ---------------------------------------------------
    Row("eta <= 0 in a spec's rung", "author", 2, r"cannot be loaded \(.*c001_bad_input\.py, line \d+\): ValueError: .*rung 0: eta=-0\.01 must be > 0",
        module=author_module(rungs="({eta: -0.01, sigma: 1.0}, {eta: 0.02, sigma: 1.0}, {eta: 0.03, sigma: 1.0})"),
        argv=lambda t: ["check", "001-bad-input"]),
    Row("sigma <= 0 in a spec's rung", "author", 2, r"rung 1: sigma=-1\.0 must be > 0 \(sigma is declared positive\)",
        module=author_module(rungs="({eta: 0.01, sigma: 1.0}, {eta: 0.02, sigma: -1.0}, {eta: 0.03, sigma: 1.0})"),
        argv=lambda t: ["check", "001-bad-input"]),
    Row("NaN in a spec's rung", "author", 2, r"rung 2: eta=nan must be finite",
        module=author_module(rungs="({eta: 0.01, sigma: 1.0}, {eta: 0.02, sigma: 1.0}, {eta: float('nan'), sigma: 1.0})"),
        argv=lambda t: ["check", "001-bad-input"]),
    Row("unstable step eta*h >= 2", "author", 2,
        r"001-bad-input · as stated · Monte Carlo: SGD on a test loss: ValueError: .*unstable.*F'\(x\*\) = 2\.5 must be < 2",
        module=author_module(rungs="({eta: 0.5, sigma: 1.0}, {eta: 1.0, sigma: 0.7}, {eta: 2.5, sigma: 0.45})"),
        argv=lambda t: ["check", "001-bad-input", "--out", str(t / "out")]),
    Row("a derived density that does not normalise", "author", 2,
        r"001-bad-input · as stated · Monte Carlo: .*DensityNotNormalisable: derived density does not normalise",
        module=author_module(derived="sp.exp(2 * L(x) / (eta * sigma**2)) / Z"),
        argv=lambda t: ["check", "001-bad-input", "--out", str(t / "out")]),
    Row("statement LaTeX with an unclosed brace", "author", 2,
        r"claim '001-bad-input': statement\.latex=.* does not parse: 1 unclosed '\{'",
        module=author_module(latex=r"p(x) = \frac{1}{Z \exp(x)"), argv=lambda t: ["check", "001-bad-input"]),
    Row("statement LaTeX with an unknown command", "author", 2,
        r"statement\.latex=.* does not parse: unknown command \\expp",
        module=author_module(latex=r"p(x) = \frac{1}{Z} \expp(x)"), argv=lambda t: ["check", "001-bad-input"]),
    Row("statement LaTeX with unpaired \\left", "author", 2, r"\\left and \\right do not pair",
        module=author_module(latex=r"p(x) = \left( x"), argv=lambda t: ["check", "001-bad-input"]),
    Row("statement LaTeX the sympy parser cannot read", "author", 2,
        r"claim '001-bad-input': statement LaTeX .* does not parse: .* at column \d+, with latex_names=\{\}",
        module=author_module(latex=r"p(x) = \begin{cases} 1 & x>0 \\ 0 & x \le 0\end{cases}", names="{}"),
        argv=lambda t: ["check", "001-bad-input"]),
    Row("claim module with a syntax error", "author", 2, r"the catalogue cannot be loaded \(.*c001_bad_input\.py, line 1\): SyntaxError: '\(' was never closed",
        module="CLAIM = (", argv=lambda t: ["check", "001-bad-input"]),
    Row("claim module without CLAIM", "author", 2, r"must define CLAIM = Claim\(\.\.\.\)",
        module='"""001, "x": nothing here."""\n', argv=lambda t: ["list"]),
    Row("claim id declared twice", "author", 2, r"claim id '001-sgd-sde-1d' is declared by both",
        module=author_module(claim_id="001-sgd-sde-1d"), argv=lambda t: ["check", "001-sgd-sde-1d"]),
    Row("claim without a case", "author", 2, r"claim '001-bad-input': needs at least one case",
        module=author_module(cases="()"), argv=lambda t: ["check", "001-bad-input"]),
    # ---- the library, called directly ----------------------------------------------------
    Row("kernel: step size <= 0", "library", ValueError, r"a=-0\.1 \(step size\) must be finite and > 0",
        call=_chains(a=-0.1)),
    Row("kernel: step size NaN", "library", ValueError, r"a=nan \(step size\) must be finite and > 0",
        call=_chains(a=math.nan)),
    Row("kernel: noise scale < 0", "library", ValueError, r"b=-1 \(noise scale\) must be finite and >= 0",
        call=_chains(b=-1)),
    Row("kernel: NaN starting point", "library", ValueError, r"x0 must be a non-empty 1-D array of finite",
        call=_chains(x0=[0.0, math.nan])),
    Row("kernel: diverging chain (eta*h >= 2)", "library", FloatingPointError, r"unstable for this drift",
        call=lambda: __import__("numerics.chains_1d", fromlist=["x"]).run_chains_1d(
            [0.0, 2.5], [0.0], a=1.0, b=0.0, x0=[1.0], n_steps=200, burn_in=1, seed=1)),
    Row("spec: sigma <= 0", "library", ValueError, r"sigma=0\.0 must be > 0", call=_spec(sigma=0.0)),
    Row("spec: unstable rung", "library", ValueError, r"F'\(x\*\) = 2\.5 must be < 2", call=_unstable_spec),
    Row("flux kernel: sd <= 0", "library", ValueError, r"sd=0\.0 must be > 0",
        call=lambda: __import__("numerics.flux_1d", fromlist=["x"]).net_crossings(
            [0.0], [1.0], mean=0.0, sd=0.0, points=[0.0], chains=2, per_chain=2, seed=1)),
    Row("quadrature: density that does not normalise", "library", ValueError, r"does not normalise",
        call=lambda: __import__("numerics.quadrature", fromlist=["x"]).expectations_1d(
            lambda u: u**2, [lambda u: u], name="exp(+x^2)")),
    Row("parser: LaTeX that does not parse", "library", ValueError, r"statement LaTeX .* does not parse",
        call=lambda: __import__("derivations.latex", fromlist=["x"]).parse_quote(r"a &= b \\ &= c", {})),
    Row("grid: lo >= hi", "library", ValueError, r"must be finite with lo < hi",
        call=lambda: __import__("numerics.grid_1d", fromlist=["x"]).Grid1D(1.0, 0.0, 10)),
]


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.fixture
def author_claims(tmp_path, monkeypatch):
    """A folder on the claims package's path, and a registry that looks again."""
    import derivations.claims as pkg
    import derivations.registry as registry

    folder = tmp_path / "author_claims"
    folder.mkdir()
    monkeypatch.setattr(pkg, "__path__", [*pkg.__path__, str(folder)])
    registry.all_claims.cache_clear()
    yield folder
    registry.all_claims.cache_clear()
    for name in [m for m in sys.modules if m.startswith("derivations.claims.c001_bad_input")
                 or m == "derivations.claims.c001_bad_module"]:
        del sys.modules[name]


def test_the_table_is_long_and_its_rows_distinct():
    assert len(ROWS) >= 30
    assert len({r.name for r in ROWS}) == len(ROWS)
    assert {r.layer for r in ROWS} == {"cli", "results", "author", "library"}


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.layer}: {r.name}")
def test_bad_input(row: Row, tmp_path, monkeypatch, capsys, request):
    monkeypatch.chdir(tmp_path)  # `report` writes ./report by default: never into the checkout
    if row.needs_decks:
        from derivations.decks import decks_folder

        if decks_folder() is None:
            pytest.skip("decks not found (set SLIDECHECK_DECKS or provide ../shared/seeds)")
    if row.layer == "library":
        with pytest.raises(row.expect) as info:
            row.call()
        assert re.search(row.match, str(info.value)), str(info.value)
        return
    if row.setup:
        row.setup(tmp_path)
    if row.module is not None:
        folder = request.getfixturevalue("author_claims")
        name = "c001_bad_module.py" if "CLAIM =" not in row.module else "c001_bad_input.py"
        (folder / name).write_text(row.module, encoding="utf-8")
    before = _files(tmp_path)
    code = main(row.argv(tmp_path))
    err = capsys.readouterr().err
    assert code == row.expect, err
    assert err.startswith("slidecheck: error: ") or "slidecheck: error: " in err, err
    assert re.search(row.match, err), err
    assert _files(tmp_path) == before, "a failed run left files behind"
    assert "Traceback" not in err
