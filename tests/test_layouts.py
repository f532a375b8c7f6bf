"""Issue 12: layouts declared per contract (dlproofs/layouts.py, conform --layout).

- bn.forward accepts [N, C, L] and (N, C, H, W) (channel axis 1, statistics over every other
  axis): nn.BatchNorm1d / BatchNorm2d conform as shipped; a BatchNorm that takes statistics over
  the wrong axes in that layout is still rejected;
- attention.mha accepts [n, B, d] (nn.MultiheadAttention's batch_first=False), attention.sdpa-masked
  [B, n, h, d] (flash-attention);
- a layout that is wrong for the target is caught: by the interface probe (exit 2, the layout
  named) or by a counterexample; an unknown layout or option is a one-line error; --list shows them.
"""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlproofs.cli import main
from dlproofs.conform import InterfaceError, conform, contract_claim, load_target
from dlproofs.layouts import LAYOUTS, LayoutError, apply, find

FEW = 25  # examples per conform run: enough for these defects (each shows on most cases), cheap on a shared machine
MHA_GALLERY = "examples/conform/attention_mha.py"
MASKED_GALLERY = "examples/conform/attention_sdpa_masked.py"


def bn_over_batch_only(x, gamma, beta, eps):
    """Statistics over N only (per channel and position): right for [N, C], wrong for [N, C, L]."""
    mean, var = x.mean(0, keepdim=True), x.var(0, unbiased=False, keepdim=True)
    shape = [1, -1] + [1] * (x.dim() - 2)
    return (x - mean) / torch.sqrt(var + eps) * gamma.view(shape) + beta.view(shape)


def bn_channel_axis(x, gamma, beta, eps):
    """Channel axis 1, statistics over every other axis: any of the bn layouts."""
    dims = [0] + list(range(2, x.dim()))
    mean, var = x.mean(dims, keepdim=True), x.var(dims, unbiased=False, keepdim=True)
    shape = [1, -1] + [1] * (x.dim() - 2)
    return (x - mean) / torch.sqrt(var + eps) * gamma.view(shape) + beta.view(shape)


def flash_layout_sdpa(q, k, v, causal, key_padding_mask):
    """Masked SDPA on [B, n, h, d] (heads after the sequence), as flash_attn_func takes it."""
    n, m = q.shape[1], k.shape[1]
    s = torch.einsum("bnhd,bmhd->bhnm", q, k) / math.sqrt(q.shape[-1])
    allowed = ~key_padding_mask[:, None, None, :]
    if causal:
        allowed = allowed & torch.ones(n, m, dtype=torch.bool).tril()
    p = s.masked_fill(~allowed, float("-inf")).softmax(-1)
    return torch.einsum("bhnm,bmhd->bnhd", p, v)


@pytest.mark.parametrize(("layout", "module"), [("NCL", torch.nn.BatchNorm1d), ("NCHW", torch.nn.BatchNorm2d)])
def test_bn_layouts_accept_torch_batchnorm_as_shipped(layout, module):
    """issue 12: layouts — BatchNorm1d on [N, C, L], BatchNorm2d on (N, C, H, W) conform."""
    result = conform("bn.forward", module, layout=layout, max_examples=FEW)
    assert result.ok, result.report()
    assert f"layout {layout}" in result.report()


@pytest.mark.parametrize("layout", ["NCL", "NCHW"])
def test_bn_layout_function_over_every_other_axis_conforms(layout):
    assert conform("bn.forward", bn_channel_axis, layout=layout, max_examples=FEW).ok


@pytest.mark.parametrize("layout", ["NCL", "NCHW"])
def test_bn_layout_rejects_statistics_over_the_wrong_axes(layout):
    """The default [N, C] layout cannot tell these apart; the declared layouts do."""
    assert conform("bn.forward", bn_over_batch_only, max_examples=FEW).ok  # [N, C]: no other axis
    result = conform("bn.forward", bn_over_batch_only, layout=layout, max_examples=FEW)
    assert not result.ok
    assert result.inputs["x"].dim() == (3 if layout == "NCL" else 4)  # the counterexample is in the target's layout


def test_wrong_layout_caught_by_the_interface_probe_with_the_layout_named():
    """issue 12: a layout wrong for a target — BatchNorm2d called on [N, C, L] — exits 2 naming the layout."""
    with pytest.raises(InterfaceError) as exc:
        conform("bn.forward", torch.nn.BatchNorm2d, layout="NCL", max_examples=FEW)
    text = str(exc.value)
    assert "\n" not in text
    assert "expected 4D input" in text and "(called in layout NCL)" in text


def test_mha_seq_first_layout_accepts_batch_first_false_module():
    """nn.MultiheadAttention(batch_first=False), built by the layout's convention, conforms on [n, B, d]."""
    result = conform("attention.mha", torch.nn.MultiheadAttention, layout="seq-first", max_examples=FEW)
    assert result.ok, result.report()
    assert "batch_first=False" in result.report()


def test_wrong_layout_gives_a_counterexample():
    """issue 12: a batch-first function called in the seq-first layout attends over the batch: rejected."""
    fn = load_target(f"{MHA_GALLERY}:ok_manual")
    assert conform("attention.mha", fn, max_examples=FEW).ok
    result = conform("attention.mha", fn, layout="seq-first", max_examples=FEW)
    assert not result.ok
    assert result.failure is not None


def test_sdpa_masked_bnhd_layout():
    """[B, n, h, d] code conforms in the BNHD layout and not in the contract's own [B, h, n, d]."""
    assert conform("attention.sdpa-masked", flash_layout_sdpa, layout="BNHD", max_examples=FEW).ok
    with pytest.raises(InterfaceError, match=r"returned shape \[\d+, \d+, \d+, \d+\], expected \[\d+, \d+, \d+, \d+\]"):
        conform(
            "attention.sdpa-masked", flash_layout_sdpa, max_examples=FEW
        )  # its own layout: the probe sees n, h swapped
    # [B, h, n, d] code in the BNHD layout: exit 2 when the probe's n and m differ (it cannot run), else a
    # counterexample; which one depends on the probe's draw, never a pass
    try:
        result = conform(
            "attention.sdpa-masked",
            load_target(f"{MASKED_GALLERY}:ok_masked_fill_neg_inf"),
            layout="BNHD",
            max_examples=FEW,
        )
    except InterfaceError as exc:
        assert "(called in layout BNHD)" in str(exc)
    else:
        assert not result.ok


@pytest.mark.parametrize(("claim_id", "name"), [(c, lay.name) for c, lays in LAYOUTS.items() for lay in lays])
def test_layout_round_trip(claim_id, name):
    """to_contract undoes to_target on drawn inputs, and the layout's reference is the contract's, moved."""
    contract = contract_claim(claim_id).contract
    lay = find(claim_id, contract, name)
    moved = apply(claim_id, contract, name)

    @settings(max_examples=10, deadline=None, database=None)
    @given(st.data())
    def check(data):
        target_inputs = data.draw(moved.inputs())
        back = lay.to_contract(target_inputs)
        again = lay.to_target(back)
        for key, value in target_inputs.items():
            assert torch.equal(again[key], value) if isinstance(value, torch.Tensor) else again[key] == value
        want = lay.out_to_target(contract.reference(*back.values()), target_inputs)
        torch.testing.assert_close(moved.reference(*target_inputs.values()), want, rtol=0, atol=0, equal_nan=True)

    check()


def test_unknown_layout_and_option_are_one_line_errors():
    with pytest.raises(LayoutError, match=r"declares no layout 'NHWC'; its layouts: NCL .*NCHW"):
        conform("bn.forward", bn_channel_axis, layout="NHWC")
    with pytest.raises(LayoutError, match=r"has no option 'causl'; its options: causal, padding"):
        conform("attention.mha", torch.nn.MultiheadAttention, options={"causl": True})


def test_list_shows_each_contracts_layouts(capsys):
    with pytest.raises(SystemExit):
        main(["conform", "--list"])
    out = capsys.readouterr().out
    for lays in LAYOUTS.values():
        for lay in lays:
            assert f"--layout {lay.name}: {lay.signature}" in out
    assert out.index("--layout NCL") > out.index("bn.forward")


def test_cli_layout_option(capsys, monkeypatch):
    from pathlib import Path

    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    with pytest.raises(SystemExit) as exc:
        main(["conform", "bn.forward", "torch.nn:BatchNorm2d", "--layout", "NCHW", "--max-examples", str(FEW)])
    assert exc.value.code == 0, capsys.readouterr()
    assert "layout NCHW" in capsys.readouterr().out
