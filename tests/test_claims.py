"""Templates run over the whole registry: every claim, present and future (ids are test ids).

- each claim's evidence supports its recorded verdict (symbolic steps, numeric, counterexamples);
- the mutation self-test: every mutated step is refuted (or shown to be an equivalent mutant),
  and every step has at least one refuted mutant;
- every numeric check rejects each of its planted wrong formulas, and has at least one;
- every Hypothesis-driven numeric check states its input domain and why (the docstring of its `cases`).
"""

from __future__ import annotations

import inspect

import pytest
from hypothesis import strategies as st

from dlproofs.check import check_claim, check_derivation, verdict_label
from dlproofs.mutate import classify, mutants
from dlproofs.numeric import CrossCheck, Outcome, PropertyCheck, run_check
from dlproofs.registry import all_claims
from dlproofs.stepcheck import Status
from tests._topic import checked

CLAIMS = all_claims()
DERIVATIONS = [(c, d) for c in CLAIMS for d in c.derivations]
NUMERIC = [(c, n) for c in CLAIMS for n in c.numeric]
PLANTED = [(c, n, name) for c, n in NUMERIC for name in n.planted]
# Hypothesis-driven checks; evidence with its own design describes it in describe_in_proof.
SEARCHED = [(c, n) for c, n in NUMERIC if isinstance(n, (CrossCheck, PropertyCheck))]
MIN_DOMAIN_CHARS = 40  # "x of a drawn shape, magnitude 1e-3..1e3" and a reason do not fit in less


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_symbolic_evidence(claim):
    """Every derivation link proved (or a cited lemma), every counterexample confirmed."""
    result = check_claim(claim, numeric=False)
    for d in result.derivations:
        bad = [(n, link.status.value, link.detail) for n, link in enumerate(d.links, 1) if not link.ok]
        assert not bad, f"{claim.id} / {d.name}: steps not proved: {bad}"
        assert d.size_failure is None, f"{claim.id} / {d.name}: fails at concrete size {d.size_failure}"
    for cx in result.counterexamples:
        assert cx.confirmed, f"{claim.id}: counterexample not confirmed: {cx.description} {cx.detail}"


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_recorded_verdict_holds(claim):
    result = checked(claim.id)
    assert result.holds, (
        f"{claim.id}: recorded {claim.verdict.value}, evidence gives {verdict_label(result)}\n{result.problem}"
    )


@pytest.mark.parametrize(("claim", "derivation"), DERIVATIONS, ids=[f"{c.id}:{d.name}" for c, d in DERIVATIONS])
def test_mutants_are_rejected(claim, derivation):
    outcomes: dict[int, list[str]] = {}
    survivors = []
    for mutant in mutants(derivation):
        verdict = classify(mutant, derivation)
        outcomes.setdefault(mutant.step, []).append(verdict)
        if verdict == "survived":
            survivors.append((mutant.step + 1, mutant.kind, str(mutant.expr)))
    assert not survivors, f"{claim.id} / {derivation.name}: mutants not rejected: {survivors}"
    for step in range(len(derivation.steps)):
        assert "refuted" in outcomes.get(step, []), (
            f"{claim.id} / {derivation.name}: step {step + 1} has no refuted mutant {outcomes.get(step)}"
        )


@pytest.mark.parametrize(("claim", "check"), NUMERIC, ids=[f"{c.id}:{n.name}" for c, n in NUMERIC])
def test_numeric_check_has_a_planted_formula(claim, check):
    assert check.planted, f"{claim.id} / {check.name}: no planted wrong formula, so it was never shown able to fail"


@pytest.mark.parametrize(("claim", "check", "planted"), PLANTED, ids=[f"{c.id}:{n.name}:{p}" for c, n, p in PLANTED])
def test_planted_formula_is_rejected(claim, check, planted):
    result = run_check(claim.id, check, override=check.planted[planted], shrink=False)
    assert not result.ok, f"{claim.id} / {check.name}: planted {planted!r} passed {result.examples} examples"


def domain_problem(check) -> str | None:
    """Why `check.cases` does not state its input domain, or None when its docstring does."""
    doc = inspect.getdoc(check.cases)
    if not doc or not doc.strip():
        return f"its cases strategy {getattr(check.cases, '__qualname__', check.cases)!r} has no docstring"
    if len(doc.strip()) < MIN_DOMAIN_CHARS:
        return f"its cases docstring is only {len(doc.strip())} characters: {doc.strip()!r}"
    return None


@pytest.mark.parametrize(("claim", "check"), SEARCHED, ids=[f"{c.id}:{n.name}" for c, n in SEARCHED])
def test_every_numeric_check_states_its_input_domain(claim, check):
    """The docstring of `cases` is rendered as the check's "Input domain:" (issue 8)."""
    problem = domain_problem(check)
    assert problem is None, (
        f"{claim.id} / {check.name}: {problem}. Give the strategy a docstring stating the input domain and why it "
        "is the right one (shapes, magnitudes and their range, exact zeros/ties/saturation); a `cases=lambda: "
        "f(...)` becomes a small named function next to the check, with that docstring, returning f(...)."
    )


def test_the_domain_template_rejects_an_undocumented_strategy():
    """Shown able to fail: a bare lambda and a too-short docstring are refused, a domain statement passes."""

    def check_with(cases) -> PropertyCheck:
        return PropertyCheck(
            name="planted", cases=cases, holds=lambda c: Outcome(True, 0.0, 0.0), reason="planted check"
        )

    def short():
        """x in [0, 1]."""
        return st.just({})

    def stated():
        """x of 1..5 entries, magnitude 1e-3..1e3 with exact zeros: the kink at 0 and both saturated sides."""
        return st.just({})

    assert "no docstring" in domain_problem(check_with(lambda: st.just({})))
    assert "only 12 characters" in domain_problem(check_with(short))
    assert domain_problem(check_with(stated)) is None


def test_a_refuted_link_is_reported_with_its_point():
    claim = next(c for c in CLAIMS if c.id == "bn.forward")
    d = claim.derivations[0]
    mutant = next(m for m in mutants(d) if m.kind == "+1")
    link = check_derivation(mutant.derivation).links[mutant.step]
    assert link.status is Status.REFUTED
    assert {"lhs", "rhs", "m"} <= set(link.counterexample)
