"""Issue 12, new contracts (softmax part): softmax forward and its JVP, the softmax-cross-entropy
gradient (mean and sum reductions), RoPE in its two layouts.

The galleries (examples/conform/softmax_forward.py, softmax_jvp.py, xent_grad.py, xent_grad_sum.py,
rope_apply.py, rope_apply_half.py) run in tests/test_conform.py's gallery tests; here:
- every contract is listed by ``dlproofs conform --list`` with its signature;
- every declared Variant is itself rejected by its contract (a variant conform cannot tell from the
  reference would be a diagnosis that can never be right), and only the layout variants are
  conventions;
- softmax.forward draws logits beyond ±709.78, so the missing max-subtraction is found as NaN there;
- xent.grad vs xent.grad-sum: the wrong reduction is off by exactly the factor N;
- cs231n's ``softmax_loss`` (numpy, returns (loss, dx)) conforms with ``output=1``, and numpy
  targets get the labels as integers (they index arrays with them);
- RoPE: the two layouts agree only when d = 2, which the report says.
"""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import find, settings

from dlproofs import conform as C
from dlproofs.cli import main
from dlproofs.conform import InterfaceError, conform, contract_claim, load_target

CONTRACTS = ("softmax.forward", "softmax.jvp", "xent.grad", "xent.grad-sum", "rope.apply", "rope.apply-half")
VARIANTS = [(cid, v) for cid in CONTRACTS for v in contract_claim(cid).contract.variants]
G = "examples/conform/"


def test_issue12_softmax_contracts_are_listed_with_signatures(capsys):
    """issue 12: `dlproofs conform --list` shows the new contracts with signatures."""
    with pytest.raises(SystemExit) as exc:
        main(["conform", "--list"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for cid in CONTRACTS:
        assert cid in out
        assert contract_claim(cid).contract.signature.split("  #")[0] in out


@pytest.mark.parametrize("cid", CONTRACTS)
def test_issue12_each_contract_declares_variants_with_reasons(cid):
    """issue 12: every new contract declares the planted bugs of its gallery as Variants, each with a why."""
    variants = contract_claim(cid).contract.variants
    assert len(variants) >= 4
    assert all(v.why and v.label for v in variants)
    assert len({v.label for v in variants}) == len(variants)


@pytest.mark.parametrize(("cid", "variant"), VARIANTS, ids=[f"{c}:{v.label[:40]}" for c, v in VARIANTS])
def test_issue12_every_variant_is_rejected_by_its_contract(cid, variant):
    """issue 12: a declared Variant is a wrong (or other-convention) formula: its own contract rejects it."""
    result = conform(cid, variant.formula)
    assert not result.ok, f"{cid}: variant {variant.label!r} conforms, so no diagnosis could single it out"


def test_issue12_only_the_rope_layouts_are_conventions():
    """issue 12: the other RoPE layout is labelled a convention (and says which contract to use); bugs are not."""
    conventions = {(c, v.label) for c, v in VARIANTS if v.convention}
    assert conventions == {
        ("rope.apply", "half-split layout (GPT-NeoX) — a convention; use the half-split contract rope.apply-half"),
        (
            "rope.apply-half",
            "interleaved layout (RoFormer / Meta LLaMA) — a convention; use the interleaved contract rope.apply",
        ),
    }


# ── softmax.forward: large logits are drawn, so the missing shift is caught ────────────────
def test_issue12_softmax_strategy_draws_logits_where_exp_overflows():
    """issue 12: the softmax.forward strategy reaches |z| > 709.78 (e^z overflows float64): its stated domain."""
    strategy = contract_claim("softmax.forward").contract.inputs()
    big = find(
        strategy,
        lambda c: float(c["z"].max()) > math.log(torch.finfo(torch.float64).max),
        settings=settings(database=None),
    )
    assert torch.isinf(torch.exp(big["z"])).any()
    assert "709.78" in (contract_claim("softmax.forward").numeric[0].cases.__doc__ or "")


def test_issue12_no_max_subtraction_is_nan_where_logits_overflow():
    """issue 12: the textbook e^z/Σe^z is rejected as NaN, and the report locates it in the overflowing rows."""
    result = conform("softmax.forward", load_target(G + "softmax_forward.py:bug_no_max_subtraction"))
    assert not result.ok and result.failure.kind == C.NON_FINITE
    assert float(result.inputs["z"].abs().max()) > 709.78
    assert any("709.78" in w for w in result.where), result.report()


# ── xent: mean vs sum differ by exactly N ────────────────────────────────────────────────
@pytest.mark.parametrize(
    ("cid", "target", "power"),
    [("xent.grad", "xent_grad.py:bug_sum_reduction", 1), ("xent.grad-sum", "xent_grad_sum.py:bug_mean_reduction", -1)],
)
def test_issue12_wrong_reduction_is_off_by_the_factor_n(cid, target, power):
    """issue 12: sum vs mean reduction: got = N^{±1} · expected on the counterexample (the Variant's ratio N)."""
    result = conform(cid, load_target(G + target))
    assert not result.ok and result.failure.kind == C.WRONG_VALUES
    n = result.inputs["z"].shape[0]
    assert n > 1
    f = result.failure
    torch.testing.assert_close(f.got, f.expected * float(n) ** power, rtol=1e-12, atol=1e-300)


def test_issue12_cs231n_softmax_loss_conforms_with_output_1():
    """issue 12: cs231n's (loss, dx) numpy softmax_loss is judged on dx with output=1; without it, exit 2 (which
    names --output 1)."""
    fn = load_target(G + "xent_grad.py:softmax_loss")
    with pytest.raises(InterfaceError, match="--output 1"):
        conform("xent.grad", fn, arrays="numpy")
    result = conform("xent.grad", fn, output=1)
    assert result.ok, result.report()
    assert "numpy target" in result.adapted


def test_issue12_numpy_targets_get_integer_labels():
    """issue 12 (numpy targets): int64 labels arrive as an integer array, float inputs as float64."""
    seen = []

    def probe(z, y):
        seen.append((z.dtype.kind, y.dtype.kind))
        import numpy as np

        e = np.exp(z - z.max(axis=1, keepdims=True))
        dx = e / e.sum(axis=1, keepdims=True)
        dx[np.arange(len(y)), y] -= 1
        return dx / len(y)

    assert conform("xent.grad", probe, max_examples=5).ok
    assert set(seen) == {("f", "i")}


# ── RoPE: the layouts agree only with one pair ───────────────────────────────────────────
@pytest.mark.parametrize(
    ("cid", "target"),
    [
        ("rope.apply", "rope_apply.py:bug_half_split_layout"),
        ("rope.apply-half", "rope_apply_half.py:bug_interleaved_layout"),
    ],
)
def test_issue12_rope_layout_mix_is_rejected_and_located(cid, target):
    """issue 12: the other layout fails, only when d > 2 (one pair: both layouts are the same map)."""
    result = conform(cid, load_target(G + target))
    assert not result.ok and result.failure.kind == C.WRONG_VALUES
    assert result.inputs["x"].shape[-1] > 2
    assert any("d > 2" in w for w in result.where), result.report()


def test_issue12_rope_with_d_2_layouts_coincide():
    """issue 12: with d = 2 both layouts give the same output (why the locator above is right)."""
    interleaved = contract_claim("rope.apply").contract.reference
    half = contract_claim("rope.apply-half").contract.reference
    x = torch.tensor([[[0.3, -1.2], [2.0, 0.5]]], dtype=torch.float64)
    pos = torch.tensor([0, 7])
    torch.testing.assert_close(interleaved(x, pos, 10000.0), half(x, pos, 10000.0), rtol=0, atol=0)
    x4 = torch.tensor([[[0.3, -1.2, 0.7, 1.1]]], dtype=torch.float64)
    assert not torch.allclose(interleaved(x4, pos[1:], 10000.0), half(x4, pos[1:], 10000.0))
