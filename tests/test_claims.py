"""Templates run over the whole registry: every claim, present and future (ids are test ids).

- each claim's evidence supports its recorded verdict (symbolic steps, numeric, counterexamples);
- the mutation self-test: every mutated step is refuted (or shown to be an equivalent mutant),
  and every step has at least one refuted mutant;
- every numeric check rejects each of its planted wrong formulas, and has at least one.
"""

from __future__ import annotations

import pytest

from dlproofs.check import check_claim, check_derivation, verdict_label
from dlproofs.mutate import classify, mutants
from dlproofs.numeric import run_check
from dlproofs.registry import all_claims
from dlproofs.stepcheck import Status
from tests._topic import checked

CLAIMS = all_claims()
DERIVATIONS = [(c, d) for c in CLAIMS for d in c.derivations]
NUMERIC = [(c, n) for c in CLAIMS for n in c.numeric]
PLANTED = [(c, n, name) for c, n in NUMERIC for name in n.planted]


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


def test_a_refuted_link_is_reported_with_its_point():
    claim = next(c for c in CLAIMS if c.id == "bn.forward")
    d = claim.derivations[0]
    mutant = next(m for m in mutants(d) if m.kind == "+1")
    link = check_derivation(mutant.derivation).links[mutant.step]
    assert link.status is Status.REFUTED
    assert {"lhs", "rhs", "m"} <= set(link.counterexample)
