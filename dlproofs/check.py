"""Run a claim's evidence and compute the verdict it supports.

The verdict is *computed*, never read off the record (README "Evidence grades"):

- *proved*: a complete symbolic derivation of the statement (every link proved by a tier; a
  lemma named but not checked is undecided) plus passing numeric cross-validation;
- *tested*: numeric, behavioural or Monte Carlo evidence only (no derivation, or the record's
  ``tested_reason`` says which part of the statement no derivation covers) — never "proved";
- *refuted*: confirmed counterexamples; *conditional*: a derivation under the claim's
  machine-checkable ``premise`` plus counterexamples that each violate that premise;
- *not formalizable*: no evidence, with a reason.

The minimum evidence is the engine's, not the record's: in the run that decides the verdict
every numeric check must have a reference (cross-checks), draw at least the profile's floor of
cases (:data:`dlproofs.profiles.EVIDENCE_FLOOR`) and reject each of its planted wrong formulas.
A refuted link, a failed numeric check or an unconfirmed counterexample makes the claim *fail*;
an undecided link leaves it *undecided*. ``dlproofs check`` passes only when the computed
verdict equals the recorded one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import sympy as sp

from .claim import Claim, Counterexample, Derivation, Premise, Verdict, Witness
from .lemmas import map_proof
from .matrices import Norm, _norm_value, has_matrices
from .stepcheck import DIGITS, LinkResult, Status, check_link, check_sizes, find_counterexample

__all__ = [
    "DerivationResult",
    "CounterexampleResult",
    "ClaimResult",
    "check_claim",
    "check_derivation",
    "check_counterexample",
    "check_evidence",
    "exact_sign",
    "SYMBOLIC_ONLY",
]

# What a claim with numeric checks gets when they were skipped (--symbolic-only): never "proved".
SYMBOLIC_ONLY = "symbolic part holds; numeric not run"


@dataclass(frozen=True)
class DerivationResult:
    name: str
    links: tuple[LinkResult, ...]  # links[i]: step i against the expression before it
    sizes_checked: tuple[int, ...] = ()
    size_failure: int | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(link.ok for link in self.links) and self.size_failure is None

    @property
    def refuted(self) -> bool:
        return any(link.status is Status.REFUTED for link in self.links)


@dataclass(frozen=True)
class CounterexampleResult:
    description: str
    confirmed: bool
    lhs: str
    rhs: str
    detail: str = ""
    violates_premise: bool | None = None  # None: no premise to judge (not a conditional claim)


@dataclass(frozen=True)
class ClaimResult:
    claim: Claim
    found: Verdict | None  # None: the evidence supports no verdict (see `problem`)
    problem: str = ""
    derivations: tuple[DerivationResult, ...] = ()
    numeric: tuple = ()  # NumericResult, imported lazily (torch)
    counterexamples: tuple[CounterexampleResult, ...] = ()
    seconds: float = 0.0
    undecided: bool = False
    numeric_skipped: bool = False  # --symbolic-only on a claim with numeric checks

    @property
    def holds(self) -> bool:
        return self.found is self.claim.verdict

    @property
    def status(self) -> str:
        if self.holds:
            return "holds"
        if self.numeric_skipped:
            return SYMBOLIC_ONLY
        return "undecided" if self.undecided else "fails"


# Assumptions a where-definition must carry over to its value (SymPy derives the others from these).
_CARRIED = ("integer", "rational", "real", "positive", "nonnegative", "negative", "nonpositive", "nonzero", "even",
            "odd", "prime")  # fmt: skip


# Named first when broken (the rest of a symbol's declared facts, e.g. antihermitian, follow from these).
_CARRIED_TOO = ("imaginary", "zero", "noninteger", "irrational", "composite", "complex", "finite")


def where_assumption_gaps(d: Derivation) -> list[str]:
    """Each where-definition ``x := v`` whose value SymPy does not show to have an assumption declared on ``x``
    (an IndexedBase's assumptions are checked on its Lambda's body). SymPy applies a symbol's assumptions while
    the steps are being *built* — √(x²) becomes x for a positive x — so a definition that breaks them (x := −1)
    would let the chain prove a false statement about the value; such a derivation is not proved."""
    gaps = []
    for name, value in d.where:
        body = value.expr if isinstance(value, sp.Lambda) else value
        try:
            body = d.expand(body)
        except Exception:  # noqa: BLE001 — a cyclic where is reported by the chain itself
            continue
        declared = name.assumptions0 if hasattr(name, "assumptions0") else {}
        # every fact declared (or implied) on the symbol, not only the common ones: an imaginary w makes
        # re(w) evaluate to 0 while the steps are built, so w := 1 would prove re(1) = 0
        first = (*_CARRIED, *_CARRIED_TOO)
        facts = [*first, *sorted(k for k, v in declared.items() if v is True and k not in (*first, "commutative"))]
        for fact in facts:
            if declared.get(fact) is True and getattr(body, f"is_{fact}", None) is not True:
                shown = {False: "it is not", None: "SymPy cannot show it"}[getattr(body, f"is_{fact}")]
                gaps.append(f"{name} := {value} is declared {fact}, but {shown}")
                break
    return gaps


def derivatives_by_abbreviation(d: Derivation) -> list[str]:
    """Each derivative (in the left side or a step) taken with respect to a where-abbreviation or an
    entry of one. Expanding ``μ := X`` turns the partial ∂(μX)/∂μ (μ a variable of its own: X) into
    d(X·X)/dX = 2X, so the chain would prove a statement the page does not say; such a derivation is
    not checked."""
    names = [name for name, _ in d.where]
    found = []
    for expr in (d.lhs, *(step.expr for step in d.steps)):
        for der in sp.sympify(expr).atoms(sp.Derivative):
            for var in der.variables:
                hit = [n for n in names if var == n or var.has(n)]
                if hit:
                    found.append(
                        f"{der} differentiates with respect to {var}, which the where-definition of {hit[0]} replaces"
                    )
    return found


def check_derivation(d: Derivation, *, seed: int = 0) -> DerivationResult:
    start = time.perf_counter()
    by_abbreviation = derivatives_by_abbreviation(d)
    if by_abbreviation:
        detail = (
            f"derivative with respect to a where-abbreviation: {'; '.join(by_abbreviation)}. Expanding the abbreviation "
            "changes what the derivative means (∂(μX)/∂μ = X for a variable μ, but 2X once μ := X is substituted), so "
            "nothing here is checked; differentiate with respect to the variables themselves and apply the chain rule "
            "as steps"
        )
        links = tuple(LinkResult(Status.UNDECIDED, "none", detail) for _ in d.steps)
        return DerivationResult(d.name, links, (), None, time.perf_counter() - start)
    gaps = where_assumption_gaps(d)
    if gaps:
        detail = (
            f"where-definition without its symbol's assumptions: {'; '.join(gaps)}. SymPy may already have used the "
            "assumption while building the steps, so nothing here is proved; declare the symbol without it, or define "
            "it by a value SymPy shows has it"
        )
        links = tuple(LinkResult(Status.UNDECIDED, "none", detail) for _ in d.steps)
        return DerivationResult(d.name, links, (), None, time.perf_counter() - start)
    links = []
    chain = [d.expand(d.lhs)]
    for n, step in enumerate(d.steps):
        expr = d.expand(step.expr)
        lemma = map_proof(step.lemma, d.expand)  # a LemmaUse/Certificate sees the `where` definitions too
        links.append(
            check_link(chain[-1], expr, relation=step.relation, lemma=lemma, sizes=d.sizes, pins=d.pins, seed=seed + n)
        )
        chain.append(expr)
    checked: tuple[int, ...] = ()
    failure = None
    if d.relation == "=" and all(link.status is Status.PROVED for link in links):
        checked, failure = check_sizes(chain[0], chain[-1], d.sizes, d.pins)
    elif d.sizes:  # issue 9, root cause 3: inequality chains keep the concrete-size cross-check
        checked, failure = _cross_check_inequality_chain(d, chain, links, seed)
    return DerivationResult(d.name, tuple(links), checked, failure, time.perf_counter() - start)


def _cross_check_inequality_chain(
    d: Derivation, chain: list, links: list[LinkResult], seed: int
) -> tuple[tuple[int, ...], int | None]:
    """Each run of proved "=" links is checked exactly at every concrete size (as a pure "="
    chain is); each "<="/">=" link is searched for a refuting point (exact evaluation at rational
    points) at every listed size its own search in check_link skipped (that one takes the first
    three sizes >= 2), so sizes 1..max are all covered. A refuted link replaces its result in ``links``."""
    (size_sym, values), *_ = d.sizes.items()
    checked: set[int] = set()
    start = 0
    for n in range(len(d.steps) + 1):
        if n < len(d.steps) and d.steps[n].relation == "=":
            continue
        if n > start and all(link.status is Status.PROVED for link in links[start:n]):  # "=" run start..n
            done, failure = check_sizes(chain[start], chain[n], d.sizes, d.pins)
            if failure is not None:
                return tuple(sorted(checked | set(done))), failure
            checked |= set(done)
        if (
            n < len(d.steps)
            and links[n].status is not Status.REFUTED
            and not (has_matrices(chain[n]) or has_matrices(chain[n + 1]))
        ):
            searched = [v for v in values if v >= 2][:3] or list(values)[:3]  # check_link's own sizes
            for v in [v for v in values if v not in searched]:  # (matrix links: the matrix tier does this)
                witness = find_counterexample(
                    chain[n], chain[n + 1], d.steps[n].relation, {size_sym: (v,)}, d.pins, seed + n
                )
                if witness is not None:
                    links[n] = LinkResult(
                        Status.REFUTED,
                        "counterexample",
                        f"the inequality fails at {size_sym} = {v}",
                        counterexample=witness,
                    )
                    break
        start = n + 1
    return tuple(sorted(checked)), None


def exact_sign(value: sp.Expr) -> int | None:
    """The sign (−1, 0, 1) of a real number, decided exactly or from certified digits; None when
    neither can decide it (e.g. a difference that is zero to every digit SymPy certifies but that
    ``simplify`` cannot show to be 0). Raises ValueError for a number that is not real."""
    value = sp.sympify(value)
    if value.is_Rational:  # exact: no tolerance at all
        return int(sp.sign(value))
    try:
        number = sp.N(value, DIGITS, strict=True)
    except (sp.PrecisionExhausted, ValueError, TypeError, ZeroDivisionError):
        number = None
    if number is not None:
        re_part, im_part = number.as_real_imag()
        if im_part != 0 and im_part.is_number and abs(im_part) > 0:
            raise ValueError(f"not real: {sp.sstr(number.evalf(12))}")
        if re_part != 0 and re_part.is_number:
            # strict evaluation certifies DIGITS significant digits, so a non-zero value has its sign
            return 1 if re_part > 0 else -1
    try:
        if sp.simplify(value) == 0:
            return 0
    except Exception:  # noqa: BLE001 - simplify may raise anything on odd input: then undecidable
        return None
    return None


def _at(expr: sp.Basic, point: dict) -> sp.Basic | None:
    """``expr`` at ``point`` exactly (sums done), or None where it is undefined or not a number.

    ``subs`` (not ``xreplace``) so that a derivative is taken before its variable gets a value
    (d(X²)/dX at X = 2 is 4, not "derivative by 2"); substituting and ``doit`` alternate, because
    a sum made concrete by the point (m = 2) only then shows the entries x[1], x[2] the point sets.
    """
    value = expr
    try:
        for _ in range(4):
            new = value.subs(point)
            if _kinked_derivative_at_point(new):
                return None  # relu'(0): no derivative there, only SymPy's convention value (Heaviside(0) = 1/2)
            new = new.doit()  # sums, derivatives, products of concrete matrices, integrals
            if new == value:
                break
            value = new
        value = value.replace(lambda e: isinstance(e, Norm), _exact_norm)  # ‖M‖ of an explicit M, exactly
    except (ValueError, TypeError, ZeroDivisionError, AttributeError, NotImplementedError):
        return None
    if value.has(sp.zoo, sp.oo, -sp.oo, sp.nan) or value.free_symbols:
        return None
    return value


def _kinked_derivative_at_point(expr: sp.Basic) -> bool:
    """Whether ``expr`` evaluates the derivative of a function with a kink at a point (see
    :func:`dlproofs.stepcheck._refuse_nonsmooth_derivative_at_point`)."""
    from .errors import NotNormalizableError
    from .stepcheck import _refuse_nonsmooth_derivative_at_point

    try:
        _refuse_nonsmooth_derivative_at_point(expr)
    except NotNormalizableError:
        return True
    return False


def _exact_norm(e: Norm) -> sp.Basic:
    value = _norm_value(e.args[0].doit(), spectral=e._spectral)
    return e if value is None else value


# For each relation: whether a gap lhs − rhs of sign s makes the relation FALSE.
_VIOLATED = {
    sp.Eq: lambda s: s != 0,
    sp.Ne: lambda s: s == 0,
    sp.Le: lambda s: s > 0,
    sp.Lt: lambda s: s >= 0,
    sp.Ge: lambda s: s < 0,
    sp.Gt: lambda s: s <= 0,
}


def _truth(rel: sp.Basic, point: dict) -> tuple[bool | None, str]:
    """Whether relation ``rel`` holds at ``point``: True/False decided exactly (or from certified
    digits), None with the reason when it cannot be decided there."""
    if rel in (sp.true, sp.false):
        return bool(rel), ""
    if isinstance(rel, sp.And):
        parts = [_truth(a, point) for a in rel.args]
        if any(t is False for t, _ in parts):
            return False, ""
        return (True, "") if all(t for t, _ in parts) else (None, "; ".join(w for t, w in parts if t is None))
    if type(rel) not in _VIOLATED:
        return None, f"{type(rel).__name__} is not a relation the engine evaluates"
    lhs, rhs = _at(rel.lhs, point), _at(rel.rhs, point)
    if lhs is None or rhs is None:
        return None, "a side is undefined at the point (or a symbol has no value)"
    gap = lhs - rhs
    if type(rel) in (sp.Eq, sp.Ne):
        try:
            sign = exact_sign(sp.Abs(gap))
        except ValueError as exc:
            return None, str(exc)
    else:
        try:
            sign = exact_sign(gap)
        except ValueError:
            return None, (
                f"not real: {sp.sstr(sp.N(lhs, 12))} {rel.rel_op} {sp.sstr(sp.N(rhs, 12))} compares values that "
                "are not real numbers, so it can be neither confirmed nor refuted; give a real point"
            )
    if sign is None:
        return None, "the sign of lhs − rhs is not decided (zero to every certified digit, not shown 0)"
    return not _VIOLATED[type(rel)](sign), ""


def check_counterexample(cx: Counterexample, premise: Premise | None = None) -> CounterexampleResult:
    """Confirm that ``cx`` really violates its relation (exactly, or with certified digits — never a
    tolerance that could confirm a true relation), and, for a conditional claim, that it violates
    the claim's premise (else it would refute the conditional statement itself)."""
    if cx.run is not None:
        try:
            w = cx.run()
        except Exception as exc:  # noqa: BLE001 — a run that raises confirms nothing; say what it raised
            return CounterexampleResult(cx.description, False, "?", "?", f"the run raised {type(exc).__name__}: {exc}")
        if not isinstance(w, Witness):
            return CounterexampleResult(
                cx.description, False, "?", "?", f"the run returned {w!r}, not a Witness(holds, lhs, rhs, ...)"
            )
        violates = None
        if premise is not None:
            violates = _run_violates(premise, w)
        return CounterexampleResult(cx.description, not w.holds, w.lhs, w.rhs, w.detail, violates)
    rel = cx.relation
    if rel is None or not isinstance(rel, sp.core.relational.Relational):
        return CounterexampleResult(cx.description, False, "?", "?", "no relation to evaluate")
    point = {sp.sympify(k): sp.sympify(v) for k, v in cx.point.items()}
    where = "at " + ", ".join(f"{k} = {v}" for k, v in point.items())
    bad = _bad_point(point)
    if not bad and _kinked_derivative_at_point(
        sp.Tuple(rel.lhs, rel.rhs).subs(point)
    ):  # subs on the relation would evaluate it
        bad = (
            "the relation evaluates the derivative of a function with a kink (Abs, Max, Heaviside, ...) at the point; "
            "where it is not differentiable its value is only SymPy's convention (Heaviside(0) = 1/2), so such a "
            "point is not used: write the derivative's closed form on the side that holds at the point"
        )
    if bad:
        return CounterexampleResult(cx.description, False, "?", "?", f"{where}: {bad}")
    lhs, rhs = _at(rel.lhs, point), _at(rel.rhs, point)
    if lhs is None or rhs is None:
        return CounterexampleResult(
            cx.description, False, str(lhs), str(rhs), f"a side is undefined at the point ({where})"
        )
    holds, why = _truth(rel, point)
    show = lambda v: sp.sstr(sp.N(v, 12))  # noqa: E731
    detail = where if holds is not None else f"{where}: {why}"
    violates = None if premise is None else _point_violates(premise, cx, point, (show(lhs), show(rhs)))
    return CounterexampleResult(cx.description, holds is False, show(lhs), show(rhs), detail, violates)


def _bad_point(point: dict) -> str:
    """Why ``point`` is not a point of the statement's variables ("" when it is): every key must be a
    variable (a Symbol, an indexed entry or a MatrixSymbol) and every value must respect the key's
    assumptions. A key ``sin(X) = 2`` or a value ``p = −2`` for a positive ``p`` is no point of the
    statement, and would "refute" a true one (sin²X ≤ 1, p³ − p ≥ −1 for p > 0)."""
    from .stepcheck import _facts, respects
    from .sums import Index

    for key, value in point.items():
        if not isinstance(key, (sp.Symbol, sp.Indexed, sp.MatrixSymbol)):
            return (
                f"the key {key} is a {type(key).__name__}, not a variable: a point gives values to the statement's "
                "symbols (Symbol, indexed entry, MatrixSymbol), never to a subexpression; give the symbols' values"
            )
        if isinstance(key, sp.MatrixSymbol):
            continue
        if not respects(key, value) or (isinstance(key, Index) and not _in_declared_range(key, value, point)):
            facts = ", ".join(_facts(str(key), getattr(key, "assumptions0", {})))
            if isinstance(key, Index):
                facts = ", ".join(filter(None, (facts, key.premise())))
            return (
                f"{key} = {value} breaks {key}'s assumptions ({facts}): the statement says nothing about such a "
                "value, so it cannot refute it; give a value the symbol allows, or declare the symbol without them"
            )
    return ""


def _in_declared_range(key: sp.Symbol, value: sp.Basic, point: dict) -> bool:
    """``value`` lies in the declared range of the Index ``key`` (bounds evaluated at ``point``),
    or the bounds are not numbers there (then nothing is ruled out)."""
    lo, hi = sp.sympify(key.lo).subs(point), sp.sympify(key.hi).subs(point)
    low = (value - lo).is_nonnegative if lo.is_number else True
    high = (hi - value).is_nonnegative if hi.is_number else True
    return low is not False and high is not False


def _point_violates(premise: Premise, cx: Counterexample, point: dict, shown: tuple[str, str]) -> bool:
    if premise.relation is not None and _truth(premise.relation, point)[0] is False:
        return True
    if premise.holds is not None:
        facts = {**{str(k): v for k, v in point.items()}, **cx.facts}
        return _run_violates(premise, Witness(False, shown[0], shown[1], cx.description, facts))
    return False


def _never_holds(relation: sp.Basic) -> bool:
    """True when ``relation`` is False identically (under the symbols' assumptions)."""
    if relation is sp.false:
        return True
    try:
        return sp.simplify(relation) is sp.false
    except Exception:  # noqa: BLE001 - simplify may fail on odd input: then not shown impossible
        return False


def _run_violates(premise: Premise, witness: Witness) -> bool:
    if premise.holds is None:
        return False
    try:
        return premise.holds(witness) is False
    except Exception:  # noqa: BLE001 - a premise that cannot judge the witness does not confirm it
        return False


# A planted formula that the run's own drawn cases happen to miss is retried under this fixed
# seed: the verdict then never depends on the run's seed (issue 8), and "the check can reject
# it" is still shown by a search in this process, not assumed.
PLANTED_WITNESS_SEED = 0


def check_evidence(claim_id: str, check, result, *, profile: str = "ci", seed: int | None = None):
    """The engine's minimum evidence for a numeric check that passed its own search: a reference
    (cross-checks), at least the profile's floor of drawn cases (Hypothesis searches), and every
    planted wrong formula rejected in this same run. Returns ``result``, or a failing copy that
    says what is missing and how to fix it."""
    import dataclasses

    from .numeric import CrossCheck, PropertyCheck, run_check
    from .profiles import EVIDENCE_FLOOR

    def fail(why: str):
        return dataclasses.replace(result, ok=False, report=f"{claim_id} / {check.name}: {why}")

    if not result.ok:
        return result
    if isinstance(check, CrossCheck) and not check.references:
        return fail(
            "no reference: a cross-check compares the closed form with nothing, so it cannot fail; "
            "name at least one reference (the impl/ version, a torch built-in or autograd)"
        )
    if isinstance(check, (CrossCheck, PropertyCheck)):  # a Hypothesis search: the floor applies
        floor = EVIDENCE_FLOOR.get(profile, EVIDENCE_FLOOR["ci"])
        cap = check.cap
        if cap is not None and cap < floor and profile != "thorough":
            return fail(
                f"cap = {cap} is below the {profile!r} profile's evidence floor of {floor} cases; a verdict "
                f"needs at least {floor}: raise the cap to ≥ {floor} (make the cases cheaper if it is slow)"
            )
        if result.examples < floor and not result.exhausted:
            return fail(
                f"drew {result.examples} cases, below the {profile!r} profile's evidence floor of {floor} "
                "(and Hypothesis did not exhaust the input domain); widen the strategy or drop filters"
            )
    if not check.planted:
        return fail(
            "no planted wrong formula, so this run never showed the check able to fail; plant one "
            "(e.g. the biased/unbiased variance swapped, a sign flipped, a factor dropped)"
        )
    for name, wrong in check.planted.items():
        planted = run_check(claim_id, check, profile=profile, seed=seed, override=wrong, shrink=False)
        if planted.ok and seed != PLANTED_WITNESS_SEED:
            # The run's own cases missed it; whether the check *can* fail must not depend on the seed.
            planted = run_check(
                claim_id, check, profile=profile, seed=PLANTED_WITNESS_SEED, override=wrong, shrink=False
            )
        if planted.ok:
            return fail(
                f"the planted wrong formula {name!r} passed {planted.examples} cases under this run's seed "
                f"({seed}) and under the witness seed {PLANTED_WITNESS_SEED}, so the check cannot tell it from "
                "the claim; add an explicit example that rejects it, or strengthen the strategy or the tolerance"
            )
    return result


def _run_evidence(claim_id: str, check, *, profile: str, seed: int | None):
    """One numeric check's run and the engine's minimum evidence for it. A run that raises (outside what the
    check itself catches: a Monte Carlo population, a fixed-design run, a planted formula's run) is a FAILED
    check whose report names what raised and where — never an exception escaping ``check_claim``."""
    import traceback

    from .errors import ClaimDefinitionError
    from .evidence import NumericResult
    from .numeric import run_check

    start = time.perf_counter()
    try:
        return check_evidence(
            claim_id, check, run_check(claim_id, check, profile=profile, seed=seed), profile=profile, seed=seed
        )
    except ClaimDefinitionError:
        raise  # a malformed record is the author's error, reported as such by the CLI
    except Exception as exc:  # noqa: BLE001 - a check that raises measured nothing: it fails, naming the raise
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        name = getattr(check, "name", type(check).__name__)
        report = (
            f"{claim_id} / {name}: the check's run raised {type(exc).__name__}: {exc} "
            f"(at {frame.filename}:{frame.lineno} in {frame.name}); a run that raises compares nothing, so this "
            "check fails: fix the code that raised (impl/ or the check's own code) or the inputs it was given"
        )
        return NumericResult(
            claim=claim_id,
            name=name,
            ok=False,
            examples=0,
            max_error=0.0,
            bound=0.0,
            tolerance="",
            worst="",
            seconds=time.perf_counter() - start,
            report=report,
        )


def check_claim(claim: Claim, *, profile: str = "ci", seed: int | None = None, numeric: bool = True) -> ClaimResult:
    start = time.perf_counter()
    derivs = tuple(check_derivation(d) for d in claim.derivations)
    nums: tuple = ()
    if numeric and claim.numeric:
        nums = tuple(_run_evidence(claim.id, c, profile=profile, seed=seed) for c in claim.numeric)
    premise = claim.premise if claim.verdict is Verdict.CONDITIONAL or claim.premise else None
    cxs = tuple(check_counterexample(cx, premise) for cx in claim.counterexamples)
    found, problem, undecided = _verdict(claim, derivs, nums, cxs, numeric)
    skipped = bool(not numeric and claim.numeric and found is None and problem == SYMBOLIC_ONLY)
    return ClaimResult(claim, found, problem, derivs, nums, cxs, time.perf_counter() - start, undecided, skipped)


def _verdict(
    claim: Claim,
    derivs: tuple[DerivationResult, ...],
    nums: tuple,
    cxs: tuple[CounterexampleResult, ...],
    numeric_ran: bool,
) -> tuple[Verdict | None, str, bool]:
    if not (claim.derivations or claim.numeric or claim.counterexamples):
        return Verdict.NOT_FORMALIZABLE, "", False
    for d in derivs:
        for n, link in enumerate(d.links, 1):
            if link.status is Status.REFUTED:
                return None, f"{d.name}: step {n} is refuted at {dict(link.counterexample)}", False
        if d.size_failure is not None:
            return None, f"{d.name}: proved for symbolic size but not at size {d.size_failure}", False
    for r in nums:
        if not r.ok:
            return None, f"numeric check {r.name!r} failed:\n{r.report}", False
    for c in cxs:
        if not c.confirmed:
            return None, f"counterexample not confirmed: {c.description} ({c.detail})", False
    for d in derivs:
        for n, link in enumerate(d.links, 1):
            if link.status is Status.UNDECIDED:
                return None, f"{d.name}: step {n} is undecided ({link.detail})", True
            if link.status is not Status.PROVED:  # e.g. a lemma named but no checked instance
                return None, f"{d.name}: step {n} is {link.status.value}, not proved ({link.detail})", True
    if cxs:
        unstated = _unstated_refutation(claim)
        if unstated:
            return None, unstated, False
        if claim.hypothesis and (derivs or nums):
            if claim.premise is None:
                return (
                    None,
                    (
                        "a conditional claim needs a machine-checkable premise (Claim.premise: a SymPy relation for "
                        "point counterexamples, a callable on the Witness for run ones), so the engine can check that "
                        f"each counterexample violates the hypothesis {claim.hypothesis!r}"
                    ),
                    False,
                )
            if claim.premise.relation is not None and _never_holds(claim.premise.relation):
                return (
                    None,
                    (
                        f"the premise {claim.premise.relation} can never hold (it simplifies to False under the symbols' "
                        "assumptions), so every counterexample would 'violate' it trivially; state the real hypothesis"
                    ),
                    False,
                )
            for c in cxs:
                if not c.violates_premise:
                    return (
                        None,
                        (
                            f"counterexample does not violate the premise: {c.description} ({c.detail}); a counterexample "
                            "that satisfies the hypothesis refutes the conditional claim itself"
                        ),
                        False,
                    )
            if not numeric_ran and claim.numeric:
                return None, SYMBOLIC_ONLY, False
            return Verdict.CONDITIONAL, "", False
        if not claim.refutes:
            return None, "a refuted claim must state what it refutes (refutes=)", False
        return Verdict.REFUTED, "", False
    if not numeric_ran and claim.numeric:
        return None, SYMBOLIC_ONLY, False
    if not claim.numeric:
        return (
            None,
            (
                "a derivation without numeric cross-validation: proved needs both (add a numeric check against "
                "torch or impl/)"
            ),
            False,
        )
    if not derivs or claim.tested_reason:
        return Verdict.TESTED, "", False
    return Verdict.PROVED, "", False


def _unstated_refutation(claim: Claim) -> str:
    """Why a point counterexample refutes a relation the claim does not state in ``refutes`` ("" when each does):
    for a refuted claim its statement, for a conditional one its statement without the hypothesis."""
    stated = [r for r in claim.refutes if not isinstance(r, str)]
    for cx in claim.counterexamples:
        if cx.relation is not None and not any(cx.relation == r for r in stated):
            return (
                f"counterexample {cx.description!r} refutes {cx.relation}, which is not among the statements the "
                f"claim says it refutes ({', '.join(map(str, claim.refutes)) or 'none'}); a refutation must be of "
                "the claim's own statement (for a conditional claim: without its hypothesis): name it in refutes="
            )
    return ""


def verdict_label(result: ClaimResult) -> str:
    """The computed verdict as a word, for tables and JSON."""
    if result.found is not None:
        return result.found.value
    if result.numeric_skipped:
        return SYMBOLIC_ONLY
    return "undecided" if result.undecided else "failed"
