"""The claim model: what a deck asserts, where, in which settings, and how it is checked.

A claim module in :mod:`derivations.claims` builds one :class:`Claim` and exposes it as
``CLAIM``. The claim is pure data plus two kinds of callables:

- each :class:`Case` (a setting: the slide's own, or one it leaves implicit) has a
  ``derive`` that reaches the true result from first principles, never from the slide;
- each case has :class:`Experiment` objects that measure the same quantity by simulation
  (or by a deterministic numerical method) and predict it under every hypothesis: the
  slide's statement, the derived result, each mutant of the derived result, each
  alternative reading of a garbled statement.

The engine in :mod:`reports.engine` runs every claim the same way and judges it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Callable, Mapping, Protocol, Sequence

import sympy as sp

__all__ = [
    "Verdict", "Relation", "Confidence", "Source", "Reading", "Reconstruction",
    "Statement", "Parameter", "Step", "Derivation", "Comparison", "Equivalence",
    "Mutant", "Measurement", "ExperimentResult", "Experiment", "Case", "Claim", "Plot",
    "single_case",
]


class Verdict(enum.Enum):
    """The outcome of the double entry; each member's value is how the report names it."""

    HOLDS = "HOLDS"
    ERRATUM = "ERRATUM"
    CONDITIONAL = "CONDITIONAL"
    CONFLICT = "CONFLICT"
    INCONCLUSIVE = "INCONCLUSIVE"


class Relation(enum.Enum):
    """How a statement's result is compared with the derived one."""

    IDENTITY = "identity"  # equal as expressions (or equations with equal solution sets)
    DENSITY = "density"  # equal up to a positive factor free of the state variables
    CUSTOM = "custom"  # the derivation decides and returns its own Comparison


class Equivalence(enum.Enum):
    """What the symbolic witness established about statement versus derivation."""

    PROVED = "proved equal"
    NUMERICALLY_EQUAL = "equal at random points, not proved"
    REFUTED = "refuted"
    UNDECIDED = "undecided"

    @property
    def agrees(self) -> bool | None:
        """True, False, or None when nothing was established."""
        return {Equivalence.PROVED: True, Equivalence.NUMERICALLY_EQUAL: True,
                Equivalence.REFUTED: False}.get(self)


class Confidence(enum.Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True)
class Source:
    """Where the claim is made: the deck's file name and the slide's title as written."""

    deck: str
    slide: str
    line: int | None = None


@dataclass(frozen=True)
class Reading:
    """One plausible reading of a garbled statement, checked beside the chosen one."""

    label: str
    latex: str
    result: sp.Basic
    note: str


@dataclass(frozen=True)
class Reconstruction:
    """How a garbled (OCR) or stripped statement was restored, and how sure we are."""

    note: str
    confidence: Confidence
    alternatives: tuple[Reading, ...] = ()


@dataclass(frozen=True)
class Statement:
    """The statement under test, exactly as the deck gives it.

    ``quote`` is the deck's own text, verbatim (LaTeX in clean decks; the OCR text in
    garbled ones; the words in the blog); a test checks it occurs in the deck.
    ``latex`` is the statement's LaTeX: the quote itself for clean decks, the
    reconstruction otherwise (then ``reconstruction`` says how). ``encoding`` is the
    sympy form of ``latex``; ``result`` the part compared with the derivation (by default
    the right-hand side of an equation). ``latex_names`` maps LaTeX commands of the quote
    to symbol names so that sympy's LaTeX parser can read it (``None``: the parser guard
    does not apply, e.g. prose or a form it cannot read; say why in ``parse_note``).
    """

    quote: str
    latex: str
    encoding: sp.Basic
    result: sp.Basic | None = None
    reconstruction: Reconstruction | None = None
    latex_names: Mapping[str, str] | None = None
    parse_note: str = ""

    @property
    def claimed(self) -> sp.Basic:
        if self.result is not None:
            return self.result
        if isinstance(self.encoding, sp.Equality):
            return self.encoding.rhs
        return self.encoding


@dataclass(frozen=True)
class Parameter:
    """A symbol of the setting, declared once: LaTeX, meaning, and where it lives.

    ``sample`` draws a random value for the equivalence cascade's random points (an
    ``mpmath`` number or, for a function symbol, a ``sympy.Lambda``) from an
    ``random.Random``; see :mod:`derivations.symbols` for the standard domains.
    """

    symbol: sp.Basic
    latex: str
    meaning: str
    domain: str
    sample: Callable


@dataclass(frozen=True)
class Step:
    """One step of a derivation: words, and optionally the expression it reaches."""

    text: str
    expr: sp.Basic | None = None


@dataclass(frozen=True)
class Comparison:
    """The symbolic witness's answer: statement versus derivation."""

    status: Equivalence
    method: str
    detail: str = ""
    counterexample: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Derivation:
    """An independent derivation: the result, its steps, optionally its own comparison.

    ``comparison`` is set by derivations that decide the relation themselves
    (``Relation.CUSTOM``: inequalities, conditions, limits).
    """

    result: sp.Basic
    steps: tuple[Step, ...]
    comparison: Comparison | None = None
    correction_latex: str | None = None


@dataclass(frozen=True)
class Mutant:
    """A wrong alternative built from the *derived* result, which the simulation must reject."""

    name: str
    apply: Callable[[sp.Basic], sp.Basic]


@dataclass(frozen=True)
class Measurement:
    """One measured quantity with its uncertainty and each hypothesis's prediction.

    ``standard_error`` is sampling noise (zero for deterministic witnesses);
    ``bias_bound`` a stated bound on systematic error (discretisation, grid, truncation)
    with ``bias_note`` saying where it comes from.
    """

    observable: str
    estimate: float
    standard_error: float
    se_method: str
    predictions: Mapping[str, float]
    bias_bound: float = 0.0
    bias_note: str = ""


@dataclass(frozen=True)
class Plot:
    """Data for one figure, rendered by the report (never by the experiment)."""

    kind: str  # "histogram-vs-densities" | "ladder" | "series" | ...
    title: str
    data: Mapping[str, object]


@dataclass(frozen=True)
class ExperimentResult:
    """What an experiment hands back: measurements, its setup, plots, seeds and cost."""

    measurements: tuple[Measurement, ...]
    setup: Mapping[str, object]
    plots: tuple[Plot, ...] = ()
    seconds: float = 0.0
    chain_steps: int = 0


class Experiment(Protocol):
    """A witness that measures the claim's quantity and predicts it under hypotheses.

    ``hypotheses`` maps labels (``"stated"``, ``"derived"``, ``"mutant: ..."``,
    ``"reading: ..."``) to sympy results; ``budget`` is ``"quick"`` or ``"full"``;
    ``seed`` is this experiment's own seed (derived by the engine from the run seed).
    ``kind`` is ``"monte-carlo"`` or ``"deterministic"``.
    """

    name: str
    kind: str

    def run(self, hypotheses: Mapping[str, sp.Basic], budget: str, seed: int) -> ExperimentResult:
        ...


@dataclass(frozen=True)
class Case:
    """A setting in which the claim is checked.

    ``in_scope`` says whether the statement claims to cover it: a failure in scope
    counts against the statement (ERRATUM, or CONDITIONAL when other in-scope cases
    hold); a case outside the slide's stated conditions only shows why they matter.
    """

    name: str
    derive: Callable[[], Derivation]
    experiments: tuple[Experiment, ...]
    assumptions: tuple[str, ...] = ()
    in_scope: bool = True


@dataclass(frozen=True)
class Claim:
    """One checkable assertion of one slide."""

    id: str
    title: str
    source: Source
    statement: Statement
    setting: tuple[Parameter, ...]
    assumptions: tuple[str, ...]
    relation: Relation
    variables: tuple[sp.Symbol, ...]
    cases: tuple[Case, ...]
    mutants: tuple[Mutant, ...]
    expected: Verdict
    notes: str = ""
    tags: tuple[str, ...] = field(default=())

    def __post_init__(self):
        if not self.cases:
            raise ValueError(f"claim {self.id!r}: needs at least one case")
        if not any(c.in_scope for c in self.cases):
            raise ValueError(f"claim {self.id!r}: needs at least one in-scope case")
        names = [c.name for c in self.cases]
        if len(set(names)) != len(names):
            raise ValueError(f"claim {self.id!r}: case names {names} must be distinct")

    def parameter(self, name: str) -> Parameter:
        for p in self.setting:
            if str(p.symbol) == name or getattr(p.symbol, "name", None) == name:
                return p
        raise KeyError(f"claim {self.id!r} declares no parameter {name!r}")

    def hypotheses(self, derived: sp.Basic) -> dict[str, sp.Basic]:
        """Every alternative the numeric witness must place: stated, derived, mutants, readings."""
        out: dict[str, sp.Basic] = {"stated": self.statement.claimed, "derived": derived}
        for m in self.mutants:
            out[f"mutant: {m.name}"] = m.apply(derived)
        rec = self.statement.reconstruction
        for r in (rec.alternatives if rec else ()):
            out[f"reading: {r.label}"] = r.result
        return out


def single_case(derive: Callable[[], Derivation], experiments: Sequence[Experiment],
                name: str = "as stated") -> tuple[Case, ...]:
    """The common shape: one case, the slide's own setting."""
    return (Case(name=name, derive=derive, experiments=tuple(experiments)),)
