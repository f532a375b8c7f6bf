"""The claim record: one declarative object per claim drives the check, the numeric
cross-validation and the rendered proof (DESIGN.md §2). Nothing about a claim is written twice.

A record says *what is claimed and where it comes from*; the engine decides whether the
evidence supports the recorded verdict. Verdicts are never taken on trust: ``dlproofs check``
recomputes them from the evidence and fails when they disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

import sympy as sp

from .errors import ClaimDefinitionError
from .evidence import Evidence, require_evidence
from .subst import apply_lambda, rename_binders, substitute

if TYPE_CHECKING:
    from .contract import Contract
    from .lemmas import Certificate, LemmaUse

RELATIONS = ("=", "<=", ">=")


def _expression(value: Any, what: str) -> sp.Expr:
    """A step or side as a SymPy expression: numbers are sympified, anything else is an error
    (a string would be parsed into symbols without the record's assumptions)."""
    logic = (sp.core.relational.Relational, sp.logic.boolalg.BooleanAtom, sp.logic.boolalg.BooleanFunction)
    if isinstance(value, bool) or isinstance(value, logic):
        raise ClaimDefinitionError(
            f"{what}: {value!r} is a relation or a truth value; a step is an expression (the relation is Step.relation)"
        )
    if isinstance(value, (int, float)):  # floats are refused later, by the kernel, with their own message
        return sp.sympify(value)
    if not isinstance(value, sp.Basic):
        raise ClaimDefinitionError(
            f"{what}: {value!r} is a {type(value).__name__}, not a SymPy expression; build it from the record's "
            "symbols (a string would name new symbols without their assumptions)"
        )
    return value


__all__ = [
    "Verdict",
    "Sentence",
    "Source",
    "Step",
    "Derivation",
    "Counterexample",
    "Witness",
    "Premise",
    "Claim",
    "ID_PATTERN",
    "SOURCE_KINDS",
    "HEDGES",
    "STRONG_HEDGES",
    "QUESTION_MARKS",
    "squeeze",
]

ID_PATTERN = re.compile(r"^[a-z0-9]+(\.[a-z0-9][a-z0-9-]*)+$")


class Verdict(str, Enum):
    PROVED = "proved"  # a complete symbolic derivation, every step proved, plus passing numerics
    TESTED = "tested"  # numeric, behavioural or Monte Carlo evidence only: never called proved
    REFUTED = "refuted"
    CONDITIONAL = "conditional"
    NOT_FORMALIZABLE = "not formalizable"


# How a ledger row reads its fragment (issue 11, rules 4 and 5):
# "assertion"      a plain statement, judged as stated;
# "hedged"         a hedged statement ("可能", "有助于", "may"): judged as hedged, so a witness proves it;
# "presupposition" what a question takes for granted (a question itself asserts nothing).
SOURCE_KINDS = ("assertion", "hedged", "presupposition")
# Words that make a statement hedged. kind="hedged" needs one in its fragment (the label must be the
# seed's, not the ledger's); a fragment with one of STRONG_HEDGES must be read as hedged (checked with
# the other ledger rules by dlproofs.ledger.check_assertions, which also refuses questions as assertions).
HEDGES = (
    "可能", "可以", "有助于", "帮助", "一定程度", "往往", "通常", "大致", "不易", "容易", "能够", "缓解",
    "可看作", "可以看作", "相当于", "may", "can", "might", "help", "suspect",
)  # fmt: skip
STRONG_HEDGES = ("有助于", "一定程度上", "很可能", "may ", "might ")
QUESTION_MARKS = ("?", "？")


def squeeze(text: str) -> str:
    """``text`` without any whitespace (NBSP included): how fragments are found in their sentence,
    since the seeds' extraction spaces formulas arbitrarily."""
    return "".join(text.split())


@dataclass(frozen=True, kw_only=True)
class Sentence:
    """One sentence of a seed article, written once: every ledger row that judges part of it
    references this object (``Source(sentence=...)``), so its words, place and section cannot drift
    apart between rows. The registry refuses two Sentence objects for one sentence
    (:func:`dlproofs.ledger.check_sentences`)."""

    file: str  # seed file name in ../shared/seeds/, e.g. "001_247eb230c3d35b0b.txt"
    section: str  # where in the file, e.g. "Q4" or "§2.2"
    line: int  # 1-based line of the seed file where the quote starts (orders the ledger); 0 = unknown
    quote: str  # the sentence in the original language, verbatim

    def __post_init__(self) -> None:
        for name in ("file", "section", "quote"):
            if not isinstance(getattr(self, name), str):
                raise ClaimDefinitionError(
                    f"sentence {self.file!r}:{self.line!r}: {name} must be a str, got {getattr(self, name)!r}"
                )
        if not self.file or not self.quote.strip():
            raise ClaimDefinitionError(
                f"sentence {self.file!r}:{self.line}: a sentence names its seed file and quotes its words "
                f"(file={self.file!r}, quote={self.quote!r})"
            )
        if isinstance(self.line, bool) or not isinstance(self.line, int) or self.line < 0:
            raise ClaimDefinitionError(
                f"sentence {self.file}: line must be an int >= 1 (0 = not located yet), got {self.line!r}"
            )


_UNSET: Any = object()  # tells "not given" from any value a caller could pass


@dataclass(frozen=True, init=False, repr=False)
class Source:
    """One ledger row: an assertion of a seed sentence, judged by the claim that lists it.

    ``sentence`` is the whole sentence (a :class:`Sentence`); ``assertion`` the fragment of it this
    row judges ("" = the whole sentence). A sentence that makes several assertions is listed by
    several sources referencing the same Sentence with disjoint fragments, one verdict each
    (checked across the registry by :func:`dlproofs.ledger.check_assertions`). ``kind`` says how
    the fragment is read: see SOURCE_KINDS. ``gloss`` glosses the fragment (and says which reading
    is judged when two are plausible).

    Written ``Source(sentence=S, gloss=..., assertion=..., kind=...)``. The older form
    ``Source(file, section, quote, gloss, line=...)`` still works for a sentence only this row
    quotes (and for ad-hoc records in tests): it types the sentence in place, and the registry
    refuses a second Sentence for the same sentence, naming both rows.
    """

    sentence: Sentence
    gloss: str  # a faithful English gloss of the assertion judged
    assertion: str = ""  # the fragment of the sentence this row judges, verbatim; "" = the whole quote
    kind: str = "assertion"  # "assertion", "hedged" or "presupposition" (SOURCE_KINDS)

    def __init__(
        self,
        file: str = _UNSET,
        section: str = _UNSET,
        quote: str = _UNSET,
        gloss: str = _UNSET,
        line: int = _UNSET,
        assertion: str = "",
        kind: str = "assertion",
        *,
        sentence: Sentence | None = None,
    ) -> None:
        typed = {
            k: v for k, v in (("file", file), ("section", section), ("quote", quote), ("line", line)) if v is not _UNSET
        }
        if sentence is not None:
            if typed:
                raise ClaimDefinitionError(
                    f"source of {sentence.file}:{sentence.line}: give sentence= or the sentence's parts, not both "
                    f"(also got {', '.join(typed)}); the Sentence already holds them"
                )
            if not isinstance(sentence, Sentence):
                raise ClaimDefinitionError(f"source: sentence must be a Sentence, got {sentence!r}")
        else:
            missing = [k for k in ("file", "section", "quote") if k not in typed]
            if missing:
                raise ClaimDefinitionError(
                    f"source: no sentence= and no {', '.join(missing)}; a row quotes a seed sentence "
                    "(Source(sentence=S, gloss=...) with S a Sentence)"
                )
            sentence = Sentence(file=file, section=section, line=typed.get("line", 0), quote=quote)
        if gloss is _UNSET:
            raise ClaimDefinitionError(f"source of {sentence.file}:{sentence.line}: gloss is required")
        object.__setattr__(self, "sentence", sentence)
        object.__setattr__(self, "gloss", gloss)
        object.__setattr__(self, "assertion", assertion)
        object.__setattr__(self, "kind", kind)
        self.__post_init__()

    def __post_init__(self) -> None:
        where = f"source {self.file}:{self.line}"
        if self.kind not in SOURCE_KINDS:
            raise ClaimDefinitionError(
                f"{where}: kind {self.kind!r} is not one of {', '.join(map(repr, SOURCE_KINDS))}; the ledger "
                "labels a row by its kind, so an unknown one would be silently unlabelled"
            )
        if self.assertion and squeeze(self.assertion) not in squeeze(self.quote):
            raise ClaimDefinitionError(
                f"{where}: assertion {self.assertion!r} is not a fragment of the quote {self.quote[:60]!r}…; "
                "a row judges words the seed sentence contains (quote the whole sentence, then the fragment)"
            )
        fragment = self.fragment
        if self.kind == "presupposition" and not any(q in self.quote for q in QUESTION_MARKS):
            raise ClaimDefinitionError(
                f"{where}: kind 'presupposition' but {self.quote[:60]!r} is not a question (no ? or ？); only a "
                "question has a presupposition: judge the statement as kind 'assertion' or 'hedged'"
            )
        if self.kind == "hedged" and not any(h in fragment.lower() for h in HEDGES):
            raise ClaimDefinitionError(
                f"{where}: kind 'hedged' but the fragment {fragment[:60]!r} has none of the hedges {HEDGES}; the "
                "hedge must be the seed's own word, not the ledger's softening of a plain statement"
            )

    def __repr__(self) -> str:
        # the pre-Sentence form, field for field: claim fingerprints (dlproofs.report) hash it, and a
        # published fingerprint must not change because the record's spelling did
        return (
            f"Source(file={self.file!r}, section={self.section!r}, quote={self.quote!r}, gloss={self.gloss!r}, "
            f"line={self.line!r}, assertion={self.assertion!r}, kind={self.kind!r})"
        )

    @property
    def file(self) -> str:
        return self.sentence.file

    @property
    def section(self) -> str:
        return self.sentence.section

    @property
    def quote(self) -> str:
        return self.sentence.quote

    @property
    def line(self) -> int:
        return self.sentence.line

    @property
    def fragment(self) -> str:
        """The words this row judges: the assertion, or the whole quote."""
        return self.assertion or self.quote


@dataclass(frozen=True)
class Step:
    """One step of a derivation: the new expression, the rule used and why it applies."""

    expr: sp.Expr
    rule: str  # short rule name, e.g. "expand", "substitute μ", "chain rule through sums"
    why: str  # one sentence a reader can check
    relation: str = "="  # how expr relates to the previous expression: "=", "<=" or ">="
    # for "<=" / ">=": the proof the kernel checks, a dlproofs.lemmas.LemmaUse (a lemma instance)
    # or Certificate (b − a as a sum of nonnegative terms); a plain str is only a name: undecided
    lemma: LemmaUse | Certificate | str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "expr", _expression(self.expr, f"step {self.rule!r}"))
        if self.relation not in RELATIONS:
            raise ClaimDefinitionError(
                f"step {self.rule!r}: relation {self.relation!r} is not one of {', '.join(map(repr, RELATIONS))}; "
                "a strict inequality is written as '<=' with a strictly positive certificate"
            )


@dataclass(frozen=True)
class Derivation:
    """A chain ``lhs = s1 = s2 = ... = sN``; the derived statement is ``lhs (rel) sN``.

    ``sizes`` names the symbolic size and the concrete values it is also checked at (a
    cross-check of the sum normalizer); ``pins`` fixes free indices for that check (by the
    symmetry of the batch positions one position suffices).

    ``where`` holds abbreviations the steps may use, in order (later ones may use earlier ones):
    a Symbol for a scalar (``μ_B := Σx/m``) or an IndexedBase with a one-argument ``Lambda``
    (``x̂[t] := (x[t] - μ_B)/√(σ²_B + ε)``). The checker expands them; the proof shows them.
    """

    name: str  # what is derived, e.g. "∂L/∂x_k"
    lhs: sp.Expr
    steps: tuple[Step, ...]
    sizes: Mapping[sp.Symbol, Sequence[int]] = field(default_factory=dict)
    pins: Mapping[sp.Symbol, int] = field(default_factory=dict)
    where: tuple[tuple[sp.Basic, sp.Basic], ...] = ()

    def __post_init__(self) -> None:
        where = f"derivation {self.name!r}"
        if not self.steps or not all(isinstance(s, Step) for s in self.steps):
            raise ClaimDefinitionError(f"{where}: steps must be a non-empty tuple of Step, got {self.steps!r}")
        object.__setattr__(self, "lhs", _expression(self.lhs, f"{where}, lhs"))
        for sym, values in dict(self.sizes).items():
            if not isinstance(sym, sp.Symbol):
                raise ClaimDefinitionError(
                    f"{where}: size {sym!r} is a {type(sym).__name__}; name it by the SymPy Symbol the sums use "
                    "(a string names a different, assumption-free symbol)"
                )
            if isinstance(values, (str, bytes)) or not all(
                isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in values
            ):
                raise ClaimDefinitionError(f"{where}: sizes of {sym} must be integers >= 1, got {values!r}")
        for sym, value in dict(self.pins).items():
            if not isinstance(sym, sp.Symbol) or not (
                (isinstance(value, int) and not isinstance(value, bool)) or getattr(value, "is_Integer", False)
            ):
                raise ClaimDefinitionError(
                    f"{where}: pin {sym!r} = {value!r} must fix a Symbol to an integer (an index position)"
                )
        for name, _ in self.where:
            if isinstance(name, str) or not isinstance(name, sp.Basic):
                raise ClaimDefinitionError(
                    f"{where}: abbreviation {name!r} is a {type(name).__name__}; name it by a Symbol, IndexedBase or "
                    "MatrixSymbol (a string would silently name another, assumption-free symbol)"
                )

    def expand(self, expr: sp.Basic) -> sp.Basic:
        """``expr`` with every abbreviation of ``where`` replaced by its definition."""
        # Capture-avoiding (dlproofs.subst): a bound index of a definition that clashes with the
        # indices it is applied to, or with a free symbol of the target, is renamed first.
        expr = sp.sympify(expr)
        # Each pass expands every abbreviation once; a definition may use another listed before or
        # after it, so passes repeat until no name is left (a cycle is an error, never a free name).
        for _ in range(len(self.where) + 1):
            if not any(expr.has(name) for name, _ in self.where):
                return expr
            expr = self._expand_once(expr)
        left = sorted(str(name) for name, _ in self.where if expr.has(name))
        raise ClaimDefinitionError(
            f"derivation {self.name!r}: the where-abbreviations {left} still occur after {len(self.where) + 1} "
            "expansions: they define each other in a cycle"
        )

    def _expand_once(self, expr: sp.Basic) -> sp.Basic:
        for name, value in reversed(self.where):
            if isinstance(name, sp.IndexedBase):
                if not isinstance(value, sp.Lambda):
                    raise ClaimDefinitionError(
                        f"where-abbreviation {name} := {value}: an IndexedBase needs a Lambda "
                        "(e.g. Lambda(t, x[t] - mu)) so that it can be applied to its index"
                    )
                # a free symbol of the definition (j in x_t − x_j) must not be captured by a binder
                # of expr (Σ_j): rename such binders first
                expr = rename_binders(expr, set(value.free_symbols))
                avoid = set(expr.free_symbols)
                expr = expr.replace(
                    lambda e, b=name: isinstance(e, sp.Indexed) and e.base == b,
                    lambda e, f=value, av=avoid: apply_lambda(f, e.indices, av),
                )
            else:
                expr = substitute(expr, {name: value})
        return expr

    @property
    def rhs(self) -> sp.Expr:
        return self.steps[-1].expr

    @property
    def relation(self) -> str:
        rels = {s.relation for s in self.steps} - {"="}
        if len(rels) > 1:
            raise ClaimDefinitionError(f"derivation {self.name!r} mixes <= and >= steps")
        return rels.pop() if rels else "="


@dataclass(frozen=True)
class Witness:
    """What a counterexample run observed: the two sides and whether the claim held there."""

    holds: bool
    lhs: str
    rhs: str
    detail: str = ""
    facts: Mapping[str, Any] = field(default_factory=dict)  # the run's setting, for a Premise to judge


@dataclass(frozen=True)
class Counterexample:
    """Evidence against a statement: an exact point for a SymPy relation, or a torch run.

    Exactly one of ``point`` (with ``relation``) or ``run`` is given.
    """

    description: str  # what the counterexample shows, in one sentence
    relation: sp.Basic | None = None  # the false statement, e.g. Eq(lhs, rhs)
    point: Mapping[sp.Basic, Any] = field(default_factory=dict)
    run: Callable[[], Witness] | None = None
    facts: Mapping[str, Any] = field(default_factory=dict)  # the setting, for a Premise.holds to judge

    def __post_init__(self) -> None:
        exact = self.relation is not None or bool(self.point)
        if exact == (self.run is not None):
            raise ClaimDefinitionError(
                f"counterexample {self.description!r}: give exactly one of a relation with its point, or a run "
                f"(got relation={self.relation is not None}, point={bool(self.point)}, run={self.run is not None})"
            )
        if self.run is not None and not callable(self.run):
            raise ClaimDefinitionError(f"counterexample {self.description!r}: run must be callable, got {self.run!r}")


@dataclass(frozen=True, kw_only=True)
class Premise:
    """A conditional claim's extra hypothesis in a form the engine can evaluate.

    ``relation`` is a SymPy relation (or ``And`` of relations) in the symbols of the claim's
    point counterexamples; ``holds`` judges a counterexample from a ``Witness`` whose ``facts``
    are the run's observed setting (run counterexamples) or the point and the counterexample's
    declared ``facts`` (point counterexamples that ``relation`` cannot judge). The engine requires
    every counterexample to *violate* the premise (a conjunct exactly false at the point, or
    ``holds`` false): a counterexample that satisfies the premise would refute the conditional
    claim itself, not show that the hypothesis is needed.
    """

    relation: sp.Basic | None = None
    holds: Callable[[Witness], bool] | None = None


@dataclass(frozen=True, kw_only=True)
class Claim:
    """One claim: statement, provenance, evidence and the verdict the evidence must support."""

    id: str  # public, stable: a link anchor and a citation. Never rename silently.
    title: str
    verdict: Verdict
    summary: str  # what is claimed and why it matters, in a few sentences
    derivations: tuple[Derivation, ...] = ()
    numeric: tuple[Evidence, ...] = ()  # each implements dlproofs.evidence.Evidence
    counterexamples: tuple[Counterexample, ...] = ()
    assumptions: tuple[str, ...] = ()  # named hypotheses in words; symbol assumptions are on symbols
    hypothesis: str | None = None  # conditional claims: the extra hypothesis the proof uses
    premise: Premise | None = None  # conditional claims: the hypothesis, machine-checkable
    tested_reason: str | None = None  # tested claims: why the evidence is not a complete derivation
    # refuted claims: the statement(s) shown false; conditional claims: the statement without the hypothesis that
    # their counterexamples show false — SymPy relations (each point counterexample's relation must be one of them,
    # so a counterexample cannot refute something the claim never stated) or, for a statement only a torch run can
    # show false, a sentence
    refutes: tuple[sp.Basic | str, ...] = ()
    reason: str | None = None  # not-formalizable claims: one sentence of why
    sources: tuple[Source, ...] = ()
    notes: tuple[str, ...] = ()  # further remarks rendered under the proof
    contract: Contract | None = None  # how `dlproofs conform` calls outside implementations
    # the claims this one builds on (a step, bound or counterexample rests on their result), by id;
    # not "see also". The registry checks that each resolves and that the graph has no cycle.
    uses: tuple[str, ...] = ()
    topic: str = ""  # set by the registry from the module name
    latex_names: Mapping[sp.Basic, str] = field(default_factory=dict)  # set from the module's LATEX

    def __post_init__(self) -> None:
        if not ID_PATTERN.match(self.id):
            raise ClaimDefinitionError(
                f"claim id {self.id!r} is not dotted lower-case (e.g. 'bn.forward'); "
                "ids are link anchors, so keep them to [a-z0-9-] separated by dots"
            )
        if not isinstance(self.verdict, Verdict):
            raise ClaimDefinitionError(
                f"{self.id}: verdict {self.verdict!r} is a {type(self.verdict).__name__}; use Verdict.PROVED etc."
            )
        for kind, items, cls in (
            ("derivations", self.derivations, Derivation),
            ("counterexamples", self.counterexamples, Counterexample),
        ):
            bad = [x for x in items if not isinstance(x, cls)]
            if bad:
                raise ClaimDefinitionError(f"{self.id}: {kind} must hold {cls.__name__} records, got {bad[0]!r}")
        for check in self.numeric:
            require_evidence(check, self.id)
        names = [c.name for c in self.numeric]
        if len(set(names)) != len(names):
            twice = sorted({n for n in names if names.count(n) > 1})
            raise ClaimDefinitionError(
                f"{self.id}: numeric checks {twice} share a name; names select a check to replay and key its "
                "results, so give each its own"
            )
        has_evidence = bool(self.derivations or self.numeric or self.counterexamples)
        if self.verdict is Verdict.NOT_FORMALIZABLE and not self.reason:
            raise ClaimDefinitionError(f"{self.id}: a not-formalizable claim needs a reason")
        if self.verdict is not Verdict.NOT_FORMALIZABLE and not has_evidence:
            raise ClaimDefinitionError(
                f"{self.id}: verdict {self.verdict.value!r} but no derivation, numeric check or "
                "counterexample; a verdict must come from evidence the harness runs"
            )
        if not isinstance(self.refutes, tuple) or not all(
            isinstance(r, str) and r.strip() or isinstance(r, sp.Basic) and (r.is_Relational or r.is_Boolean)
            for r in self.refutes
        ):
            raise ClaimDefinitionError(
                f"{self.id}: refutes must be a tuple of SymPy relations or sentences, got {self.refutes!r}"
            )
        if self.verdict is Verdict.REFUTED and not self.refutes:
            raise ClaimDefinitionError(
                f"{self.id}: a refuted claim must state what it refutes (refutes=(the false relation,) or a sentence "
                "for a statement only a run can show false): the counterexamples are checked against it, and the "
                "proof prints it"
            )
        if self.verdict is Verdict.CONDITIONAL and not self.refutes and any(cx.point for cx in self.counterexamples):
            raise ClaimDefinitionError(
                f"{self.id}: a conditional claim with point counterexamples must state what they refute "
                "(refutes=(the statement without the hypothesis,)): each counterexample's relation is checked against "
                "it and the proof prints it, so a counterexample cannot show something the claim never said"
            )
        if self.verdict is Verdict.CONDITIONAL and not self.hypothesis:
            raise ClaimDefinitionError(f"{self.id}: a conditional claim must name its hypothesis")
        if self.premise is not None and (
            not isinstance(self.premise, Premise) or (self.premise.relation is None and self.premise.holds is None)
        ):
            raise ClaimDefinitionError(
                f"{self.id}: premise must be a Premise with a SymPy relation and/or a holds(witness) check, "
                f"got {self.premise!r}; the engine evaluates it against every counterexample"
            )
        if self.verdict is Verdict.TESTED and not self.tested_reason:
            raise ClaimDefinitionError(
                f"{self.id}: verdict 'tested' needs tested_reason: say which part of the statement no "
                "derivation covers (the proof prints it), so a reader knows what rests on numerics alone"
            )
        if self.tested_reason and self.verdict is Verdict.PROVED:
            raise ClaimDefinitionError(
                f"{self.id}: tested_reason says the derivation is incomplete, but the verdict is 'proved'; "
                "record 'tested' (or complete the derivation and drop tested_reason)"
            )
        _check_uses(self)

    @property
    def statement(self) -> tuple[sp.Basic, ...]:
        """The derived relations, one per derivation (read off the chains, not written twice)."""
        rel = {"=": sp.Eq, "<=": sp.Le, ">=": sp.Ge}
        return tuple(rel[d.relation](d.lhs, d.rhs, evaluate=False) for d in self.derivations)


def _check_uses(claim: Claim) -> None:
    """``uses`` holds distinct well-formed ids other than the claim's own (resolution and cycles
    need every claim: the registry checks those)."""
    if isinstance(claim.uses, str) or not isinstance(claim.uses, tuple):
        raise ClaimDefinitionError(
            f"{claim.id}: uses must be a tuple of claim ids, got {claim.uses!r}; "
            f"write uses=({claim.uses!r},) for a single id"
        )
    for ref in claim.uses:
        if not isinstance(ref, str) or not ID_PATTERN.match(ref):
            raise ClaimDefinitionError(f"{claim.id}: uses holds {ref!r}, which is not a claim id (e.g. 'bn.forward')")
    if claim.id in claim.uses:
        raise ClaimDefinitionError(f"{claim.id}: a claim cannot use itself (uses={claim.uses!r})")
    repeated = sorted({r for r in claim.uses if claim.uses.count(r) > 1})
    if repeated:
        raise ClaimDefinitionError(f"{claim.id}: uses names {', '.join(repeated)} more than once")
