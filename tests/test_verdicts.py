"""Honest evidence grades and the engine's minimum evidence (issue 9, root causes 9 and 10).

- *proved* needs a complete derivation plus passing numerics; numeric, behavioural or Monte Carlo
  evidence alone is *tested*; a claim whose numeric checks were skipped is never *proved*;
- the minimum evidence is the engine's: a cross-check with no reference, a cap below the
  profile's floor, a planted formula that passes, a strategy that draws nothing all fail;
- a Monte Carlo check says "within ±δ", never equality, and accepts what lies inside δ;
- a conditional claim's premise is machine-checked: every counterexample must violate it;
- counterexample comparisons are exact (or certified digits): a strict relation is never
  "confirmed" false by a tolerance, a complex value is "not real", a Python int point works.
"""

from __future__ import annotations

import json

import pytest
import sympy as sp
import torch
from hypothesis import strategies as st

from dlproofs import cli
from dlproofs.check import SYMBOLIC_ONLY, _never_holds, check_claim, check_counterexample, exact_sign, verdict_label
from dlproofs.claim import Claim, Counterexample, Derivation, Premise, Step, Verdict, Witness
from dlproofs.errors import ClaimDefinitionError
from dlproofs.ledger import ledger_counts, render_ledger
from dlproofs.montecarlo import Claimed, MonteCarloCheck, Population
from dlproofs.numeric import CrossCheck, Outcome, PropertyCheck, Tolerance, run_check
from dlproofs.profiles import EVIDENCE_FLOOR
from dlproofs.registry import all_claims
from dlproofs.render import render_claim
from dlproofs.report import result_to_dict

X = sp.Symbol("x", real=True)
N, D = sp.symbols("n d", integer=True, positive=True)
F64 = torch.float64
TOL = Tolerance(4, "a few roundings of one float64 operation")


# ── building blocks: small claims on scalar or vector cases ────────────────────────────────────
def scalars():
    return st.floats(-10, 10, allow_nan=False).map(lambda v: {"x": v})


def square_plus_one(case):  # (x + 1)², the closed form of the derivation below
    return torch.tensor((case["x"] + 1) ** 2, dtype=F64)


def cross(**kw) -> CrossCheck:
    opts = {
        "name": "(x + 1)² against x² + 2x + 1",
        "cases": scalars,
        "expected": square_plus_one,
        "references": {"expanded": lambda c: torch.tensor(c["x"] ** 2 + 2 * c["x"] + 1, dtype=F64)},
        "tolerance": Tolerance(16, "cancellation near x = −1", scale=lambda c: 1 + c["x"] ** 2),
        "planted": {"(x + 2)²": lambda c: torch.tensor((c["x"] + 2) ** 2, dtype=F64)},
    }
    opts.update(kw)
    return CrossCheck(**opts)


def batches():
    return st.lists(st.floats(-10, 10, allow_nan=False), min_size=2, max_size=6).map(
        lambda xs: {"x": torch.tensor(xs, dtype=F64)}
    )


def unbiased_bn(case):  # the WRONG closed form: BatchNorm normalises with the biased variance
    x = case["x"]
    return (x - x.mean()) / torch.sqrt(x.var(unbiased=True) + 1e-5)


def torch_bn(case):
    x = case["x"]
    return torch.nn.functional.batch_norm(x[:, None], None, None, training=True, eps=1e-5)[:, 0]


def unbiased_bn_check(**kw) -> CrossCheck:
    opts = {
        "name": "unbiased-variance BN against F.batch_norm",
        "cases": batches,
        "expected": unbiased_bn,
        "references": {"F.batch_norm": torch_bn},
        "tolerance": Tolerance(64, "normalisation", scale=lambda c: 1 + float(c["x"].abs().max())),
        "planted": {"x itself": lambda c: c["x"]},
    }
    opts.update(kw)
    return CrossCheck(**opts)


def positive_property(**kw) -> PropertyCheck:
    opts = {
        "name": "x² + 1 > 0",
        "cases": scalars,
        "holds": lambda c: Outcome(c["x"] ** 2 + 1 > 0, 0.0, 0.0, f"x = {c['x']}"),
        "reason": "exact comparison",
        "planted": {"x > 0": lambda c: Outcome(c["x"] > 0, 0.0, 0.0, f"x = {c['x']}")},
    }
    opts.update(kw)
    return PropertyCheck(**opts)


def qk_draw(count: int, gen: torch.Generator) -> torch.Tensor:
    q = torch.randn(count, 4, generator=gen, dtype=F64)
    k = torch.randn(count, 4, generator=gen, dtype=F64)
    return (q * k).sum(1)


QK = Population("Gaussian q, k; d_k = 4", {"d": 4}, qk_draw, kappa=3.5)  # E[(q·k)⁴]/d² − 1 = 2 + 6/d


def variance_claimed(factor: float) -> Claimed:
    return Claimed(lambda s, p: s**2, lambda p: factor * p["d"], f"E[(q·k)²] = {factor:g}·d_k")


def monte_carlo(factor: float = 1.0, **kw) -> MonteCarloCheck:
    opts = {
        "name": "Monte Carlo: Var[q·k]",
        "claimed": variance_claimed(factor),
        "populations": {"default": (QK,), "thorough": (QK,)},
        "statistic_text": "X = (q·k)²",
        "planted": {"d_k²": Claimed(lambda s, p: s**2, lambda p: p["d"] ** 2, "E[(q·k)²] = d_k²")},
    }
    opts.update(kw)
    return MonteCarloCheck(**opts)


DERIVED = Derivation("(x + 1)²", (X + 1) ** 2, (Step(X**2 + 2 * X + 1, "expand", "binomial square"),))


def claim(verdict: Verdict = Verdict.PROVED, **kw) -> Claim:
    return Claim(id="t.claim", title="t", verdict=verdict, summary="s", **kw)


# ── at least 25 false verdict computations that must never come out proved ─────────────────────
def _undecided_step() -> Derivation:
    f, g = sp.Function("f"), sp.Function("g")
    return Derivation("f = g", f(X), (Step(g(X), "rename", "no reason at all"),))


NEVER_PROVED = {
    "numeric only, correct": lambda: claim(numeric=(cross(),)),
    "numeric only, cap = 1": lambda: claim(numeric=(cross(cap=1),)),
    "numeric only, no reference": lambda: claim(numeric=(cross(references={}),)),
    "numeric only, planted formula passes": lambda: claim(numeric=(cross(planted={"same": square_plus_one}),)),
    "numeric only, no planted formula": lambda: claim(numeric=(cross(planted={}),)),
    "unbiased BN, cap = 1": lambda: claim(numeric=(unbiased_bn_check(cap=1),)),
    "unbiased BN, no reference": lambda: claim(numeric=(unbiased_bn_check(references={}),)),
    "unbiased BN, full search": lambda: claim(numeric=(unbiased_bn_check(),)),
    "property only": lambda: claim(numeric=(positive_property(),)),
    "property, cap below the floor": lambda: claim(numeric=(positive_property(cap=EVIDENCE_FLOOR["ci"] - 1),)),
    "property, planted passes": lambda: claim(
        numeric=(positive_property(planted={"same": positive_property().holds}),)
    ),
    "property, unsatisfiable strategy": lambda: claim(
        numeric=(positive_property(cases=lambda: st.integers().filter(lambda _: False).map(lambda i: {"x": i})),)
    ),
    "Monte Carlo only, 1.03·d_k": lambda: claim(numeric=(monte_carlo(1.03),)),
    "Monte Carlo only, exact": lambda: claim(numeric=(monte_carlo(),)),
    "Monte Carlo, planted passes": lambda: claim(
        derivations=(DERIVED,), numeric=(cross(), monte_carlo(planted={"same": variance_claimed(1.0)}))
    ),
    "Monte Carlo, no planted": lambda: claim(derivations=(DERIVED,), numeric=(cross(), monte_carlo(planted={}))),
    "derivation, no numeric check": lambda: claim(derivations=(DERIVED,)),
    "derivation, numeric cap = 1": lambda: claim(derivations=(DERIVED,), numeric=(cross(cap=1),)),
    "derivation, numeric without reference": lambda: claim(derivations=(DERIVED,), numeric=(cross(references={}),)),
    "derivation, planted passes": lambda: claim(
        derivations=(DERIVED,), numeric=(cross(planted={"same": square_plus_one}),)
    ),
    "derivation, numeric fails": lambda: claim(
        derivations=(DERIVED,), numeric=(cross(expected=lambda c: torch.tensor(c["x"] ** 2, dtype=F64)),)
    ),
    "derivation incomplete (tested_reason)": lambda: claim(
        Verdict.TESTED, derivations=(DERIVED,), numeric=(cross(),), tested_reason="only a special case is derived"
    ),
    "inequality step citing a lemma by name": lambda: claim(
        derivations=(
            Derivation(
                "bound",
                (X + 1) ** 2,
                (Step(X**2 + 2 * X + 2, "lemma", "cited", relation="<=", lemma="some inequality"),),
            ),
        ),
        numeric=(cross(),),
    ),
    "undecided step": lambda: claim(derivations=(_undecided_step(),), numeric=(cross(),)),
    "refuted step": lambda: claim(
        derivations=(Derivation("wrong", (X + 1) ** 2, (Step(X**2 + 1, "expand", "forgot 2x"),)),),
        numeric=(cross(),),
    ),
    "confirmed counterexample": lambda: claim(
        derivations=(DERIVED,),
        numeric=(cross(),),
        counterexamples=(Counterexample("x = 1", relation=sp.Eq(X**2, X + 1), point={X: 1}),),
    ),
    "conditional counterexample satisfies the premise": lambda: claim(
        Verdict.CONDITIONAL,
        derivations=(DERIVED,),
        numeric=(cross(),),
        counterexamples=(Counterexample("n = 100, d = 1", relation=sp.Le(N, D), point={N: 100, D: 1}),),
        refutes=(sp.Le(N, D),),
        hypothesis="n ≥ d",
        premise=Premise(relation=sp.Ge(N, D)),
    ),
}


@pytest.mark.parametrize("build", list(NEVER_PROVED.values()), ids=list(NEVER_PROVED))
def test_false_verdict_computations_never_give_proved(build):
    result = check_claim(build())
    assert result.found is not Verdict.PROVED, result
    assert verdict_label(result) != "proved"
    assert not (result.claim.verdict is Verdict.PROVED and result.holds)


def test_there_are_at_least_25_never_proved_cases():
    assert len(NEVER_PROVED) >= 25


def test_a_complete_derivation_with_passing_numerics_is_proved():
    """The control: the same building blocks with nothing missing do give proved (the grades are
    not 'never proved' by construction)."""
    result = check_claim(claim(derivations=(DERIVED,), numeric=(cross(), monte_carlo())))
    assert result.found is Verdict.PROVED and result.holds, result.problem


# ── the minimum evidence, named back ──────────────────────────────────────────────────────────
def test_cap_below_the_floor_fails_and_says_why():
    result = check_claim(claim(Verdict.TESTED, numeric=(unbiased_bn_check(cap=1),), tested_reason="numeric only"))
    # the old engine passed this: the one case Hypothesis drew first has a zero-variance batch
    assert run_check("t.claim", unbiased_bn_check(cap=1)).ok
    assert result.found is None and "cap = 1" in result.problem and f"floor of {EVIDENCE_FLOOR['ci']}" in result.problem


def test_the_unbiased_bn_closed_form_is_refuted_by_the_full_search():
    result = check_claim(claim(Verdict.TESTED, numeric=(unbiased_bn_check(),), tested_reason="numeric only"))
    assert result.found is None and "F.batch_norm" in result.problem


def test_a_cross_check_with_no_reference_fails():
    result = check_claim(claim(Verdict.TESTED, numeric=(cross(references={}),), tested_reason="numeric only"))
    assert result.found is None and "no reference" in result.problem


def test_a_planted_formula_that_passes_fails_the_claim():
    result = check_claim(
        claim(Verdict.TESTED, numeric=(cross(planted={"same": square_plus_one}),), tested_reason="numeric only")
    )
    assert result.found is None and "planted wrong formula 'same' passed" in result.problem


def _planted_missed_unless(monkeypatch, witness_rejects: bool) -> list:
    """run_check as if the run's own cases missed every planted formula (a seed that draws no
    rejecting case); under the witness seed it rejects them iff ``witness_rejects``."""
    import dataclasses

    import dlproofs.numeric as numeric
    from dlproofs.check import PLANTED_WITNESS_SEED

    real, seeds = numeric.run_check, []

    def run_check(claim_id, check, *, override=None, seed=None, **kw):
        result = real(claim_id, check, override=override, seed=seed, **kw)
        if override is not None:
            seeds.append(seed)
            if seed != PLANTED_WITNESS_SEED or not witness_rejects:
                return dataclasses.replace(result, ok=True)
        return result

    monkeypatch.setattr(numeric, "run_check", run_check)
    return seeds


def test_a_planted_formula_missed_by_the_runs_seed_is_retried_under_the_witness_seed(monkeypatch):
    """Issue 8: whether a check can reject its planted formula must not depend on --seed."""
    from dlproofs.check import PLANTED_WITNESS_SEED

    seeds = _planted_missed_unless(monkeypatch, witness_rejects=True)
    result = check_claim(claim(Verdict.TESTED, numeric=(cross(),), tested_reason="numeric only"), seed=123456789)
    assert result.holds, result.problem
    assert seeds == [123456789, PLANTED_WITNESS_SEED]


def test_a_planted_formula_missed_under_both_seeds_fails_naming_them(monkeypatch):
    from dlproofs.check import PLANTED_WITNESS_SEED

    _planted_missed_unless(monkeypatch, witness_rejects=False)
    result = check_claim(claim(Verdict.TESTED, numeric=(cross(),), tested_reason="numeric only"), seed=77)
    assert result.found is None
    assert f"under this run's seed (77) and under the witness seed {PLANTED_WITNESS_SEED}" in result.problem


def test_a_check_with_no_planted_formula_fails():
    result = check_claim(claim(Verdict.TESTED, numeric=(cross(planted={}),), tested_reason="numeric only"))
    assert result.found is None and "no planted wrong formula" in result.problem


def test_the_floor_depends_on_the_profile():
    assert EVIDENCE_FLOOR["dev"] < EVIDENCE_FLOOR["ci"] < EVIDENCE_FLOOR["thorough"]
    check = positive_property(cap=EVIDENCE_FLOOR["dev"])
    assert check_claim(claim(Verdict.TESTED, numeric=(check,), tested_reason="n"), profile="dev").holds
    assert not check_claim(claim(Verdict.TESTED, numeric=(check,), tested_reason="n"), profile="ci").holds


def test_an_exhausted_finite_domain_is_enough():
    small = positive_property(cases=lambda: st.sampled_from([-1, 0, 2]).map(lambda v: {"x": v}))
    result = check_claim(claim(Verdict.TESTED, numeric=(small,), tested_reason="numeric only"))
    assert result.holds, result.problem
    assert result.numeric[0].exhausted and result.numeric[0].examples < EVIDENCE_FLOOR["ci"]


def test_an_unsatisfiable_strategy_is_a_definition_error_not_a_traceback():
    never = positive_property(cases=lambda: st.integers().filter(lambda _: False).map(lambda i: {"x": i}))
    result = run_check("t.claim", never)
    assert not result.ok and "definition error" in result.report and "strategy" in result.report


def test_every_registry_check_meets_the_floor_by_design():
    low = [
        (c.id, n.name, n.cap)
        for c in all_claims()
        for n in c.numeric
        if getattr(n, "cap", None) is not None and n.cap < EVIDENCE_FLOOR["ci"]
    ]
    assert not low, low


# ── grades ─────────────────────────────────────────────────────────────────────────────────────
def test_numeric_only_claim_is_tested():
    result = check_claim(claim(Verdict.TESTED, numeric=(cross(),), tested_reason="no derivation"))
    assert result.found is Verdict.TESTED and result.holds


def test_tested_needs_a_reason_and_proved_refuses_one():
    with pytest.raises(ClaimDefinitionError, match="tested_reason"):
        claim(Verdict.TESTED, numeric=(cross(),))
    with pytest.raises(ClaimDefinitionError, match="tested_reason"):
        claim(Verdict.PROVED, derivations=(DERIVED,), numeric=(cross(),), tested_reason="partial")


def test_registry_claims_without_derivation_are_not_proved():
    bad = [c.id for c in all_claims() if c.verdict is Verdict.PROVED and not c.derivations]
    assert not bad, bad
    for cid in (
        "attention.multi-head",
        "conv.weight-sharing-params",
        "heads.seed-004-code",
        "pe.learned-fixed-length",
        "vanishing.layer-ratios",
    ):
        c = next(c for c in all_claims() if c.id == cid)
        assert c.verdict is Verdict.TESTED and c.tested_reason


def test_tested_claim_renders_as_tested_with_its_reason():
    c = claim(Verdict.TESTED, numeric=(cross(),), tested_reason="no derivation of this")
    c = Claim(**{**c.__dict__, "topic": "t"})
    res = result_to_dict(check_claim(c))
    text = render_claim(c, res)
    assert "**Verdict: tested**" in text and "**Why tested, not proved.** no derivation of this" in text
    assert "Verdict: proved" not in text
    assert ledger_counts([Claim(**{**c.__dict__, "sources": ()})], {c.id: res}) == {}  # no source: not counted


def test_ledger_counts_use_the_tested_grade():
    from dlproofs.claim import Source

    src = Source("000_x.txt", "§", "一二三四五六七", "g", line=1)
    a = Claim(
        id="t.a",
        title="a",
        verdict=Verdict.TESTED,
        summary="s",
        numeric=(cross(),),
        tested_reason="r",
        sources=(src,),
        topic="t",
    )
    counts = ledger_counts([a], {"t.a": {"verdict": "tested", "holds": True}})
    assert counts == {"tested": 1}
    assert "| tested | 1 | 1 |" in render_ledger([a], {"t.a": {"verdict": "tested", "holds": True}})


# ── Monte Carlo: within ±δ ─────────────────────────────────────────────────────────────────────
def test_monte_carlo_accepts_a_deviation_inside_its_delta_and_says_so():
    mc = monte_carlo(1.03)
    assert mc.delta > 0.03  # its documented power does not reach a 3% deviation
    assert run_check("t.claim", mc).ok  # so 1.03·d_k passes the check ...
    c = Claim(id="t.mc", title="t", verdict=Verdict.TESTED, summary="s", numeric=(mc,), tested_reason="MC only")
    res = result_to_dict(check_claim(c))
    assert res["verdict"] == "tested" and res["holds"]  # ... but the verdict is never "proved"
    assert "within ±8.3%" in res["verdict_text"] and "within ±8.3%" in res["monte_carlo"][0]
    assert "within ±8.3%" in render_claim(Claim(**{**c.__dict__, "topic": "t"}), res)


def test_monte_carlo_rejects_a_deviation_beyond_its_delta():
    assert not run_check("t.claim", monte_carlo(1.1)).ok
    assert not run_check("t.claim", monte_carlo(0.9)).ok


# ── conditional: the premise is machine-checked ───────────────────────────────────────────────
_WITHOUT_HYPOTHESIS = sp.Le(8 * N * D**2, 12 * N**2 * D)


def _conditional(premise: Premise | None, point: dict, refutes: tuple = (_WITHOUT_HYPOTHESIS,)) -> Claim:
    return claim(
        Verdict.CONDITIONAL,
        derivations=(DERIVED,),
        numeric=(cross(),),
        counterexamples=(Counterexample("cx", relation=_WITHOUT_HYPOTHESIS, point=point),),
        refutes=refutes,
        hypothesis="n ≥ d",
        premise=premise,
    )


def test_conditional_counterexample_must_violate_the_premise():
    good = check_claim(_conditional(Premise(relation=sp.Ge(N, D)), {N: 1, D: 64}))
    assert good.found is Verdict.CONDITIONAL and good.counterexamples[0].violates_premise
    bad = check_claim(_conditional(Premise(relation=sp.Ge(N, 0)), {N: 1, D: 64}))  # satisfied at the point
    assert bad.found is None and "does not violate the premise" in bad.problem


def test_a_premise_that_can_never_hold_is_rejected():
    # n, d positive: n < 0 is false everywhere, so every counterexample would "violate" it
    result = check_claim(_conditional(Premise(relation=sp.Lt(N, 0)), {N: 1, D: 64}))
    assert result.found is None and "can never hold" in result.problem
    assert check_claim(_conditional(Premise(relation=sp.false), {N: 1, D: 64})).found is None


def test_conditional_without_premise_or_with_an_unjudgeable_one_fails():
    assert "machine-checkable premise" in check_claim(_conditional(None, {N: 1, D: 64})).problem
    other = sp.Symbol("q", positive=True)  # not in the point: the premise cannot be judged there
    assert check_claim(_conditional(Premise(relation=sp.Ge(other, 1)), {N: 1, D: 64})).found is None


def test_a_premise_must_be_evaluable():
    with pytest.raises(ClaimDefinitionError, match="premise"):
        _conditional(Premise(), {N: 1, D: 64})
    with pytest.raises(ClaimDefinitionError, match="premise"):
        _conditional("n ≥ d", {N: 1, D: 64})  # a string is not machine-checkable


def test_run_counterexample_premise_is_judged_on_the_witness_facts():
    def run():
        return Witness(False, "a", "b", "ran it", facts={"h": 6})

    cx = Counterexample("h = 6", run=run)
    assert check_counterexample(cx, Premise(holds=lambda w: w.facts["h"] % 2 == 1)).violates_premise
    assert not check_counterexample(cx, Premise(holds=lambda w: w.facts["h"] % 2 == 0)).violates_premise
    assert not check_counterexample(cx, Premise(holds=lambda w: w.facts["missing"])).violates_premise


def test_every_registry_conditional_has_a_premise_each_counterexample_violates():
    for c in all_claims():
        if c.verdict is Verdict.CONDITIONAL:
            assert c.premise is not None, c.id
            assert c.premise.relation is None or not _never_holds(c.premise.relation), c.id
            for cx in c.counterexamples:
                assert check_counterexample(cx, c.premise).violates_premise, (c.id, cx.description)


# ── --symbolic-only ────────────────────────────────────────────────────────────────────────────
def test_symbolic_only_never_reports_proved(capsys):
    result = check_claim(claim(derivations=(DERIVED,), numeric=(cross(),)), numeric=False)
    assert result.found is None and verdict_label(result) == SYMBOLIC_ONLY
    with pytest.raises(SystemExit) as exc:
        cli.main(["check", "--symbolic-only", "--json", "-j", "1", "reg.l2.update"])
    rows = json.loads(capsys.readouterr().out)
    assert exc.value.code == 0
    assert [r["verdict"] for r in rows] == [SYMBOLIC_ONLY]


# ── counterexample comparisons ─────────────────────────────────────────────────────────────────
TINY = sp.Rational(1, 10**25)
CX_CASES = [
    # (relation, point, confirmed?)
    (sp.Lt(X - TINY, X, evaluate=False), {X: 1}, False),  # true: the old tolerance "confirmed" it false
    (sp.Gt(X + TINY, X, evaluate=False), {X: 1}, False),
    (sp.Le(X, X + TINY, evaluate=False), {X: 1}, False),
    (sp.Ge(X + TINY, X, evaluate=False), {X: 1}, False),
    (sp.Le(X + TINY, X, evaluate=False), {X: 1}, True),  # false by 10⁻²⁵: a real violation, exactly
    (sp.Lt(X, X, evaluate=False), {X: 1}, True),
    (sp.Eq(X + TINY, X, evaluate=False), {X: 1}, True),
    (sp.Eq(sp.sqrt(2) ** 2, X, evaluate=False), {X: 2}, False),
    (sp.Eq(sp.sin(sp.pi * X), 0, evaluate=False), {X: 3}, False),
    (
        sp.Ge(sp.sqrt(2), sp.Rational(14142135623730951, 10**16), evaluate=False),
        {},
        True,
    ),  # √2 = 1.41421356237309504...
    (sp.Lt(sp.sqrt(2), sp.Rational(14142135623730951, 10**16), evaluate=False), {X: 1}, False),
    (sp.Lt(X - sp.Float("1e-25", 30), X, evaluate=False), {X: 1}, False),
]


@pytest.mark.parametrize(("relation", "point", "confirmed"), CX_CASES, ids=[str(c[0]) for c in CX_CASES])
def test_counterexample_comparison_is_exact(relation, point, confirmed):
    assert check_counterexample(Counterexample("c", relation=relation, point=point)).confirmed is confirmed


def test_a_complex_value_gives_not_real_not_a_traceback():
    r = check_counterexample(Counterexample("c", relation=sp.Lt(sp.I * X, 1), point={X: 1}))
    assert not r.confirmed and "not real" in r.detail
    with pytest.raises(ValueError, match="not real"):
        exact_sign(1 + sp.I)


def test_python_int_point_values_and_keys_work():
    r = check_counterexample(Counterexample("c", relation=sp.Eq(X**2, 2 * X), point={X: 3}))
    assert r.confirmed and r.lhs == "9.00000000000" and r.rhs == "6.00000000000"


# ── a refuted claim states what it refutes (Claim.refutes; closes the issue-9 gap) ─────────────────────
def test_a_refuted_claim_must_state_what_it_refutes():
    from dlproofs.claim import Claim, Counterexample, Verdict
    from dlproofs.errors import ClaimDefinitionError

    y = sp.Symbol("Y", real=True)
    with pytest.raises(ClaimDefinitionError, match="must state what it refutes"):
        Claim(
            id="t.no-refutes",
            title="t",
            verdict=Verdict.REFUTED,
            summary="s",
            counterexamples=(Counterexample("Y = 2", relation=sp.Eq(y**2, y), point={y: 2}),),
        )


def test_a_counterexample_to_another_statement_does_not_refute_the_claim():
    from dlproofs.check import check_claim, verdict_label
    from dlproofs.claim import Claim, Counterexample, Verdict

    x, y = sp.Symbol("X", real=True), sp.Symbol("Y", real=True)
    stated = sp.Eq((x + 1) ** 2, x**2 + 1)
    unrelated = Counterexample("Y = 2", relation=sp.Eq(y**2, y), point={y: 2})
    own = Counterexample("X = 1", relation=stated, point={x: 1})
    common = dict(id="t.refutes", title="t", verdict=Verdict.REFUTED, summary="s", refutes=(stated,))
    bad = check_claim(Claim(**common, counterexamples=(unrelated,)))
    assert bad.found is None and "not among the statements" in bad.problem
    assert verdict_label(check_claim(Claim(**common, counterexamples=(own,)))) == "refuted"


def test_a_conditional_claim_states_what_its_counterexamples_refute():
    """Like a refuted claim, a conditional one names the statement (without its hypothesis) that its point
    counterexamples show false: omitted, the record is refused; an unrelated relation in its place is no
    match for the counterexample, so no verdict is computed."""
    with pytest.raises(ClaimDefinitionError, match="must state what they refute"):
        _conditional(Premise(relation=sp.Ge(N, D)), {N: 1, D: 64}, refutes=())
    other = check_claim(_conditional(Premise(relation=sp.Ge(N, D)), {N: 1, D: 64}, refutes=(sp.Eq(N, D),)))
    assert other.found is None and "not among the statements the claim says it refutes" in other.problem
