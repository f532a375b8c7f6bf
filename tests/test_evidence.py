"""The declared extension points (issue 10): evidence kinds and kernel tiers describe themselves,
Tolerance.exact allows no rounding, records are keyword-only, dense_tensors keeps UNIT_DOMAIN.

Each checker here is shown to reject wrong input: a non-conforming evidence object, a one-ulp
difference under an exact tolerance, a positional record.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pytest
import sympy as sp
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlproofs import registry
from dlproofs.check import check_claim, check_evidence
from dlproofs.claim import Claim, Derivation, Step, Verdict
from dlproofs.errors import ClaimDefinitionError
from dlproofs.evidence import FIXED_DESIGN, Evidence, NumericResult, ProofText, StatsCheck, require_evidence
from dlproofs.numeric import ClosedForm, CrossCheck, Tolerance, _compare, run_check
from dlproofs.render import render_claim
from dlproofs.report import result_to_dict
from dlproofs.strategies import MIN_UNIT, dense_tensors
from dlproofs.tiers import MATRIX, OUTCOMES, TIERS, method_text

EVIDENCE = [(c, n) for c in registry.all_claims() for n in c.numeric]


# ── evidence kinds ────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(("claim", "check"), EVIDENCE, ids=[f"{c.id}:{n.name}" for c, n in EVIDENCE])
def test_every_evidence_object_in_the_registry_conforms(claim, check):
    """The protocol, and what the renderer asks of it: a ProofText of strings and a case count."""
    assert isinstance(check, Evidence), f"{claim.id} / {check.name}: {type(check).__name__} is not Evidence"
    assert require_evidence(check, claim.id) is check
    text = check.describe_in_proof("ci")
    assert isinstance(text, ProofText), f"{claim.id} / {check.name}: describe_in_proof gave {text!r}"
    assert text.lines and all(isinstance(line, str) and line.strip() for line in text.lines)
    assert any(line.startswith("Tolerance: ") for line in text.lines), f"{claim.id} / {check.name}: {text.lines}"
    asked = check.cases_asked("ci")
    assert isinstance(asked, str) and asked


def test_every_evidence_kind_is_represented():
    """The conformance test above covers each kind the engine ships (a kind with no instance is untested)."""
    kinds = {type(n).__name__ for _, n in EVIDENCE}
    assert {"CrossCheck", "PropertyCheck", "MonteCarloCheck", "BoundedMeanCheck", "StatsCheck", "RootBracket"} <= kinds


@dataclass(frozen=True)
class _NoDescription:
    """Planted: has a name, planted formulas and run, but cannot describe itself in a proof."""

    name: str = "half a check"
    planted: dict = field(default_factory=lambda: {"wrong": 1})

    def run(self, claim_id, *, profile="ci", seed=None, override=None):
        raise AssertionError("never run: the record is refused first")


def _claim(numeric: tuple) -> Claim:
    x = sp.Symbol("x", real=True)
    return Claim(
        id="planted.evidence",
        title="planted",
        verdict=Verdict.TESTED,
        summary="A planted record.",
        derivations=(Derivation("x", x, (Step(x, "nothing", "the same expression"),)),),
        numeric=numeric,
        tested_reason="planted",
    )


def test_a_non_conforming_evidence_object_is_rejected_with_what_it_lacks():
    with pytest.raises(ClaimDefinitionError) as err:
        _claim((_NoDescription(),))
    msg = str(err.value)
    assert "planted.evidence" in msg and "'half a check'" in msg and "_NoDescription" in msg
    assert "`describe_in_proof`" in msg and "`cases_asked`" in msg and "`run`" not in msg
    assert "dlproofs.evidence.Evidence" in msg
    with pytest.raises(ClaimDefinitionError, match="a str `name`"):
        _claim((object(),))
    with pytest.raises(ClaimDefinitionError, match="does not implement"):
        run_check("planted.evidence", _NoDescription())


def test_two_checks_of_one_claim_must_not_share_a_name():
    check = _Threshold()
    with pytest.raises(ClaimDefinitionError, match="share a name"):
        _claim((check, check))


@dataclass(frozen=True)
class _Threshold:
    """A new evidence kind written outside the engine: is the claimed value 2 within 0.5 of 2.2?"""

    name: str = "threshold"
    planted: dict = field(default_factory=lambda: {"value 3": 3.0})

    def describe_in_proof(self, profile="ci"):
        return ProofText(compares="against 2.2", lines=("A planted kind.", "Tolerance: 0.5, absolute."))

    def cases_asked(self, profile="ci"):
        return FIXED_DESIGN

    def run(self, claim_id, *, profile="ci", seed=None, override=None):
        value = 2.0 if override is None else override
        err = abs(value - 2.2)
        return NumericResult(
            claim=claim_id,
            name=self.name,
            ok=err <= 0.5,
            examples=1,
            max_error=err,
            bound=0.5,
            tolerance="0.5",
            worst="",
            seconds=0.0,
            report="" if err <= 0.5 else f"{claim_id} / {self.name}: {value} is {err} from 2.2",
        )


def test_a_new_evidence_kind_needs_no_engine_change():
    """Implementing the protocol is enough: the engine runs it and its planted value, the renderer
    prints its own description once."""
    claim = _claim((_Threshold(),))
    result = check_claim(claim)
    assert result.holds and [r.ok for r in result.numeric] == [True]
    res = result_to_dict(result)
    page = render_claim(claim, res)
    assert "- **threshold**: against 2.2." in page and page.count("A planted kind.") == 1
    assert "Tolerance: 0.5, absolute." in page and "*value 3*" in page


def test_the_engine_makes_a_new_kind_reject_its_planted_value():
    """check_evidence runs the planted override: a kind whose planted value passes fails the claim."""

    @dataclass(frozen=True)
    class Lenient(_Threshold):
        planted: dict = field(default_factory=lambda: {"value 2.1 (within the tolerance)": 2.1})

    check = Lenient()
    outcome = check_evidence("planted.evidence", check, run_check("planted.evidence", check))
    assert not outcome.ok and "value 2.1" in outcome.report and "cannot tell it from the claim" in outcome.report


def test_a_check_whose_run_raises_fails_the_claim_and_never_escapes():
    """A run that raises (here a fixed-design kind; a Monte Carlo population or a planted formula's run is the
    same path) gives a failed check naming what raised and where, not a traceback out of check_claim; a planted
    formula's run that raises is reported the same way."""

    @dataclass(frozen=True)
    class Raising(_Threshold):
        def run(self, claim_id, *, profile="ci", seed=None, override=None):
            raise ValueError("unknown init 'xavier'")

    result = check_claim(_claim((Raising(),)))
    assert not result.holds and result.found is None
    (num,) = result.numeric
    assert not num.ok and num.name == "threshold" and num.examples == 0
    assert "the check's run raised ValueError: unknown init 'xavier'" in num.report
    assert "test_evidence.py" in num.report and "in run" in num.report  # where it raised
    assert "numeric check 'threshold' failed" in result.problem

    @dataclass(frozen=True)
    class PlantedRaises(_Threshold):
        def run(self, claim_id, *, profile="ci", seed=None, override=None):
            if override is not None:
                raise ZeroDivisionError("planted run")
            return super().run(claim_id, profile=profile, seed=seed, override=override)

    (num,) = check_claim(_claim((PlantedRaises(),))).numeric
    assert not num.ok and "raised ZeroDivisionError: planted run" in num.report


def test_a_monte_carlo_description_is_printed_once():
    """The 16 records no longer copy it into notes; the check's own bullet prints it."""
    claim = registry.get("attention.dot-product-variance")
    (mc,) = [n for n in claim.numeric if type(n).__name__ == "MonteCarloCheck"]
    page = render_claim(claim, None)
    assert page.count(mc.describe("ci")) == 1
    assert not claim.notes


def test_stats_check_rejects_a_wrong_closed_form():
    """StatsCheck (moved to dlproofs.evidence) on a toy moment: E[X] = 1/2 for X ~ Bernoulli(1/2)."""
    check = StatsCheck(
        name="toy",
        moment=lambda dist, size, r: sp.Rational(size, 2) if r == 1 else sp.Rational(size * (size + 1), 4),
        statistic=lambda m1, m2: m2 - m1**2,
        expected=lambda size: sp.Rational(size, 4),
        sizes={"default": (("Bernoulli(1/2) sum", 1), ("Bernoulli(1/2) sum", 3)), "thorough": ()},
        planted={"Var = n/2": lambda size: sp.Rational(size, 2)},
        size_name="n",
    )
    assert check.run("toy").ok
    bad = check.run("toy", override=check.planted["Var = n/2"])
    assert not bad.ok and "n = 3" in bad.report and "3/4" in bad.report


# ── kernel tiers ──────────────────────────────────────────────────────────────────────────────
def test_every_tier_describes_itself():
    for tier in TIERS:
        assert method_text(tier.name) == tier.shows and tier.shows.startswith("proved symbolically")
    assert method_text("counterexample") == OUTCOMES["counterexample"]
    assert method_text("none") == "UNDECIDED"


def test_a_rendered_matrix_step_says_what_the_matrix_tier_proved():
    claim = registry.get("vanishing.chain-product")
    result = check_claim(claim, numeric=False)
    res = result_to_dict(result)
    assert [s["method"] for d in res["symbolic"] for s in d["steps"]] == ["matrix"]
    page = render_claim(claim, res)
    assert f"({MATRIX.shows})" in page and "(matrix)" not in page


# ── Tolerance.exact ───────────────────────────────────────────────────────────────────────────
def test_exact_tolerance_rejects_a_one_ulp_difference():
    tol = Tolerance.exact("a copy: nothing is computed")
    assert tol.is_exact and tol.bound({}, torch.float64) == 0.0 and tol.describe().startswith("exact: no tolerance")
    x = torch.tensor([1.0, -3.5, 0.0, 1e300], dtype=torch.float64)
    one_ulp = torch.nextafter(x, torch.tensor(math.inf, dtype=torch.float64))
    err, problem = _compare(x, one_ulp, tol.bound({}, torch.float64))
    assert problem is not None and "> bound 0" in problem and err > 0
    assert _compare(x, x.clone(), 0.0) == (0.0, None)
    assert _compare(torch.tensor([0.0]), torch.tensor([-0.0]), 0.0) == (0.0, None)  # −0 = +0: equal numbers
    # one ulp passes the 1-ulp "exact" tolerance this replaces, so it could not tell them apart
    assert _compare(x[:1], one_ulp[:1], Tolerance(1, "one ulp").bound({}, torch.float64))[1] is None


def test_an_exact_cross_check_fails_on_one_ulp_and_passes_on_a_copy():
    z = sp.Symbol("z", real=True)

    def cases():
        """z: 1..4 entries over UNIT_DOMAIN (exact zeros, magnitudes down to 1e-30)."""
        return dense_tensors((3,)).map(lambda t: {"z": t})

    check = CrossCheck(
        name="identity",
        cases=cases,
        expected=ClosedForm(z, (z,)),
        references={"clone": lambda c: c["z"].clone()},
        tolerance=Tolerance.exact("a copy"),
        planted={"one ulp up": lambda c: torch.nextafter(c["z"], torch.tensor(math.inf, dtype=torch.float64))},
    )
    ok = run_check("planted.exact", check, max_examples=20)
    assert ok.ok and ok.max_error == 0.0 and ok.tolerance.startswith("exact")
    bad = run_check("planted.exact", check, override=check.planted["one ulp up"], max_examples=20)
    assert not bad.ok and "> bound 0" in bad.report


@pytest.mark.parametrize("ulps", [-1, math.nan, math.inf, True])
def test_a_tolerance_must_be_a_finite_number_of_ulps(ulps):
    with pytest.raises(ClaimDefinitionError, match="ulps"):
        Tolerance(ulps, "planted")


def test_no_exactness_is_faked_in_the_registry():
    """A tolerance whose reason says "exact" is Tolerance.exact (not 1 ulp or a tiny positive floor)."""
    faked = [
        (c.id, n.name)
        for c, n in EVIDENCE
        if isinstance(n, CrossCheck)
        and not n.tolerance.is_exact
        and n.tolerance.reason.lower().startswith(("exact", "bit-exact"))
    ]
    assert not faked


# ── keyword-only records ──────────────────────────────────────────────────────────────────────
def test_records_are_keyword_only():
    with pytest.raises(TypeError):
        Claim("x.y", "t", Verdict.NOT_FORMALIZABLE, "s")  # type: ignore[misc]
    with pytest.raises(TypeError):
        CrossCheck("n", lambda: st.just({}), lambda c: c, {}, Tolerance(1, "r"))  # type: ignore[misc]


# ── dense_tensors keeps UNIT_DOMAIN ───────────────────────────────────────────────────────────
@settings(max_examples=60)
@given(t=dense_tensors((3, 2)))
def test_dense_tensors_draws_over_unit_domain(t):
    assert t.dtype == torch.float64 and t.shape == (3, 2)
    u = t.abs()
    assert bool(((u == 0) | ((u >= MIN_UNIT) & (u <= 1))).all())
