"""Issue 12, new contracts (statistical part): inverted dropout, ``dropout.inverted``.

- (a) every training output is 0 or x/(1 − p), (b) the keep rate is 1 − p by exact binomial tests with a stated
  false-alarm probability and power, (c) eval mode is the identity, (d) the mask changes between calls;
- the false-alarm test runs correct code under many seeds and all pass; the power test runs a keep rate off by
  0.05 under many seeds and all reject (issue 12: "stated false-alarm rate and power");
- each gallery bug is rejected for its reason, named in the report; RNG state is untouched; the report prints
  "statistical contract: false-alarm probability ≤ …, power ≥ … against …".
"""

from __future__ import annotations

import json
import math
from fractions import Fraction

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlproofs import statistical as S
from dlproofs.conform import WRONG_VALUES, InterfaceError, conform, contract_claim, dumps, load_target
from tests._topic import checked

CLAIM = "dropout.inverted"
GALLERY = "examples/conform/dropout_inverted.py"
SEEDS = range(12)


def _gallery(name):
    return load_target(f"{GALLERY}:{name}")


def test_issue12_dropout_claim_holds_and_declares_a_judge_and_variants():
    result = checked(CLAIM)
    assert result.holds, result.problem
    contract = contract_claim(CLAIM).contract
    assert isinstance(contract.judge, S.StatisticalJudge)
    labels = [v.label for v in contract.variants]
    assert "keep probability p instead of 1 − p" in labels and len(labels) >= 5
    assert [v.convention for v in contract.variants].count(True) == 1  # classic dropout is a convention


# ── the statistical design: numbers stated, and the binomial machinery checked exactly ─────────────────
def test_issue12_stated_false_alarm_and_power():
    judge = contract_claim(CLAIM).contract.judge
    for seed in (0, 1, 7):
        assert judge.false_alarm(seed) <= 1e-6
        assert min(r["power"] for r in judge.design(seed)) >= 1 - 1e-9
    text = judge.statement(0)
    assert text.startswith("statistical contract: false-alarm probability ≤ ")
    assert "power ≥ 1 − " in text and "against a keep rate off by ≥ 0.05 from 1 − p" in text


@pytest.mark.parametrize(("n", "q", "level"), [(40, 0.3, 0.05), (25, 0.5, 0.01), (60, 0.9, 1e-3)])
def test_issue12_binomial_acceptance_is_the_exact_interval(n, q, level):
    """Against exact rational arithmetic: the tails outside [lo, hi] are ≤ level/2 each, and one more value on
    either side would exceed it (the interval is the tightest such)."""
    qq = Fraction(q).limit_denominator(1000)
    pmf = [math.comb(n, k) * qq**k * (1 - qq) ** (n - k) for k in range(n + 1)]
    lo, hi = S.binomial_acceptance(n, float(qq), level)
    half = Fraction(level) / 2
    assert sum(pmf[:lo]) <= half < sum(pmf[: lo + 1])
    assert sum(pmf[hi + 1 :]) <= half < sum(pmf[hi:])
    assert S.binomial_reject_probability(n, float(qq), lo, hi) == pytest.approx(
        float(sum(pmf[:lo]) + sum(pmf[hi + 1 :]))
    )


def test_issue12_binomial_test_rejects_wrong_input():
    """The checker is shown to reject: a count at the wrong rate falls outside the interval."""
    lo, hi = S.binomial_acceptance(16384, 0.5, 1e-7)
    assert lo <= 8192 <= hi
    assert not lo <= int(0.45 * 16384) <= hi and not lo <= int(0.55 * 16384) <= hi


# ── false alarm and power, run ─────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("name", ["ok_functional", "ok_rand_threshold", "ok_module_class", "ok_numpy"])
def test_issue12_false_alarm_correct_dropouts_pass_under_many_seeds(name):
    fn = _gallery(name)
    for seed in SEEDS:
        result = conform(CLAIM, fn, seed=seed, target=f"{GALLERY}:{name}")
        assert result.ok, result.report()


def test_issue12_power_a_keep_rate_off_by_005_is_rejected_under_many_seeds():
    fn = _gallery("bug_keep_rate_off_by_005")
    for seed in SEEDS:
        result = conform(CLAIM, fn, seed=seed)
        assert not result.ok and result.failure.kind == S.KEEP_RATE, result.summary()


# ── each bug, for its reason ───────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    ("name", "kind", "words"),
    [
        ("bug_scale_by_one_minus_p", WRONG_VALUES, "scaled by 1 − p instead of 1/(1 − p)"),
        ("bug_keep_probability_p", S.KEEP_RATE, "p read as the keep probability"),
        ("bug_no_scaling", WRONG_VALUES, "no 1/(1 − p) scaling"),
        ("bug_dropout_in_eval_mode", WRONG_VALUES, "dropout is applied when training=False"),
        ("bug_classic_dropout", WRONG_VALUES, "no 1/(1 − p) scaling"),
        ("bug_fixed_mask", S.FIXED_MASK, "a fixed mask"),
        ("bug_mask_in_float32", WRONG_VALUES, "rounded to float32"),
    ],
)
def test_issue12_each_dropout_bug_is_rejected_for_its_reason(name, kind, words):
    result = conform(CLAIM, _gallery(name), target=f"{GALLERY}:{name}")
    assert not result.ok
    assert result.failure.kind == kind
    assert words in result.failure.detail
    report = result.report()
    assert report.startswith(f"{CLAIM}: {GALLERY}:{name} does not conform: {kind}")
    assert "statistical contract: false-alarm probability ≤" in report
    assert "failed on case" in report and "--seed 0" in report


def test_issue12_classic_inference_alone_is_caught_in_eval_mode():
    """Right training pass, classic (1 − p)·x at inference: only check (c) sees it."""

    def classic_inference(x, p, training):
        return F.dropout(x, p, training=True) if training else (1 - p) * x

    result = conform(CLAIM, classic_inference)
    assert not result.ok and "classic dropout's inference rule" in result.failure.detail


def test_issue12_fixed_mask_through_a_cached_tensor_is_caught():
    cache = {}

    def cached(x, p, training):
        if not training:
            return x
        key = (tuple(x.shape), p)
        if key not in cache:
            cache[key] = (torch.rand_like(x) >= p).to(x.dtype) / (1 - p)
        return x * cache[key]

    result = conform(CLAIM, cached)
    assert not result.ok and result.failure.kind == S.FIXED_MASK


def test_issue12_interface_problems_are_exit_2_before_the_judge():
    with pytest.raises(InterfaceError, match="cannot take the contract's 3 positional arguments"):
        conform(CLAIM, _gallery("iface_no_training_flag"))
    with pytest.raises(InterfaceError, match="returned dtype float32"):
        conform(CLAIM, lambda x, p, training: F.dropout(x.float(), p, training))


# ── reporting and isolation ────────────────────────────────────────────────────────────────────────
def test_issue12_pass_summary_states_the_error_rates_and_json_has_them():
    result = conform(CLAIM, F.dropout, target="torch.nn.functional:dropout")
    assert result.ok
    lines = result.summary().split("\n")
    assert lines[0].startswith(f"{CLAIM}: torch.nn.functional:dropout conforms on ")
    assert lines[1].startswith("  statistical contract: false-alarm probability ≤ ")
    data = json.loads(dumps(result))
    assert data["conforms"] is True and data["statistical"].startswith("statistical contract:")


def test_issue12_same_seed_same_verdict_and_callers_rng_untouched():
    torch.manual_seed(123)
    np.random.seed(5)
    before_t, before_n = torch.get_rng_state(), np.random.get_state()[1].copy()
    a = conform(CLAIM, _gallery("bug_keep_probability_p"), seed=3)
    b = conform(CLAIM, _gallery("bug_keep_probability_p"), seed=3)
    assert a.report() == b.report()
    assert torch.equal(torch.get_rng_state(), before_t)
    assert (np.random.get_state()[1] == before_n).all()


def test_issue12_cli_dropout_pass_and_fail(capsys, monkeypatch):
    from pathlib import Path

    from dlproofs.cli import main

    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    for name, code in (("ok_module_class", 0), ("bug_no_scaling", 1)):
        with pytest.raises(SystemExit) as exc:
            main(["conform", CLAIM, f"{GALLERY}:{name}"])
        assert exc.value.code == code
        assert "statistical contract: false-alarm probability ≤" in capsys.readouterr().out
