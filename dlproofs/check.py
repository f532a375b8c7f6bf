"""Run a claim's evidence and compute the verdict it supports.

The verdict is *computed*, never read off the record: derivations whose every link is proved
(inequalities by a checked lemma instance or certificate) plus passing numeric checks give *proved*; confirmed counterexamples give
*refuted*, or *conditional* when a derivation proves the statement under a named hypothesis;
a claim with no evidence and a reason is *not formalizable*. A refuted link, a failed numeric
check or an unconfirmed counterexample makes the claim *fail*; an undecided link leaves it
*undecided*. ``dlproofs check`` passes only when the computed verdict equals the recorded one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import sympy as sp

from .claim import Claim, Counterexample, Derivation, Verdict
from .lemmas import map_proof
from .matrices import has_matrices
from .stepcheck import LinkResult, Status, check_link, check_sizes, evaluate_exact, find_counterexample

__all__ = [
    "DerivationResult",
    "CounterexampleResult",
    "ClaimResult",
    "check_claim",
    "check_derivation",
    "check_counterexample",
]


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

    @property
    def holds(self) -> bool:
        return self.found is self.claim.verdict

    @property
    def status(self) -> str:
        if self.holds:
            return "holds"
        return "undecided" if self.undecided else "fails"


def check_derivation(d: Derivation, *, seed: int = 0) -> DerivationResult:
    start = time.perf_counter()
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


def check_counterexample(cx: Counterexample) -> CounterexampleResult:
    if cx.run is not None:
        w = cx.run()
        return CounterexampleResult(cx.description, not w.holds, w.lhs, w.rhs, w.detail)
    rel = cx.relation
    if rel is None or not isinstance(rel, sp.core.relational.Relational):
        return CounterexampleResult(cx.description, False, "?", "?", "no relation to evaluate")
    lhs, rhs = evaluate_exact(rel.lhs, cx.point), evaluate_exact(rel.rhs, cx.point)
    if lhs is None or rhs is None:
        return CounterexampleResult(cx.description, False, str(lhs), str(rhs), "a side is undefined at the point")
    gap = lhs - rhs
    tiny = sp.Float(10) ** -20 * (1 + abs(lhs) + abs(rhs))
    violated = {
        sp.Eq: abs(gap) > tiny,
        sp.Le: gap > tiny,
        sp.Ge: gap < -tiny,
        sp.Lt: gap >= -tiny,
        sp.Gt: gap <= tiny,
    }.get(type(rel), False)
    point = ", ".join(f"{k} = {v}" for k, v in cx.point.items())
    return CounterexampleResult(
        cx.description,
        bool(violated),
        sp.sstr(lhs.evalf(12)),
        sp.sstr(rhs.evalf(12)),
        f"at {point}",
    )


def check_claim(claim: Claim, *, profile: str = "ci", seed: int | None = None, numeric: bool = True) -> ClaimResult:
    start = time.perf_counter()
    derivs = tuple(check_derivation(d) for d in claim.derivations)
    nums: tuple = ()
    if numeric and claim.numeric:
        from .numeric import run_check

        nums = tuple(run_check(claim.id, c, profile=profile, seed=seed) for c in claim.numeric)
    cxs = tuple(check_counterexample(cx) for cx in claim.counterexamples)
    found, problem, undecided = _verdict(claim, derivs, nums, cxs, numeric)
    return ClaimResult(claim, found, problem, derivs, nums, cxs, time.perf_counter() - start, undecided)


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
    if cxs:
        if claim.hypothesis and (derivs or nums):
            return Verdict.CONDITIONAL, "", False
        return Verdict.REFUTED, "", False
    if not numeric_ran and claim.numeric and not derivs:
        return None, "numeric checks were skipped and there is no derivation", True
    return Verdict.PROVED, "", False


def verdict_label(result: ClaimResult) -> str:
    """The computed verdict as a word, for tables and JSON."""
    if result.found is not None:
        return result.found.value
    return "undecided" if result.undecided else "failed"
