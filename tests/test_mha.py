"""Issue 12 (friction 1 and 8, the masked-SDPA contract): multi-head attention as shipped, masked attention.

- attention.mha: biases, output projection, causal and key-padding masks; its reference agrees with
  F.multi_head_attention_forward; attention.multi-head is its special case (zero biases, W_O = I,
  no mask); every declared Variant is a different function (so a diagnosis can tell them apart);
- attention.sdpa-masked: the mask conventions (−∞ before the softmax, keys not queries, diagonal
  kept) and the fully-masked row stated (NaN from masked_fill, 0 from F.sdpa: outside the contract);
- module conventions: nn.MultiheadAttention built and loaded by parameter name; a module with other
  parameters gets a one-line error naming the expected ones and the block syntax; --weights
  INPUT[i/k] loads split q/k/v projections from w_qkv; contract options (causal=True) for modules
  that are always causal.
"""

from __future__ import annotations

import math

import dlproofs.impl.attention as att
import pytest
import torch
import torch.nn.functional as F

from dlproofs.cli import main
from dlproofs.conform import InterfaceError, conform, contract_claim
from dlproofs.module_targets import input_name, resolve_input

FEW = 25  # examples per conform run (each defect below shows on most cases); the gallery runs 100


def _case(b=2, n=4, d=6, h=2, causal=True, seed=0):
    g = torch.Generator().manual_seed(seed)
    r = lambda *s: torch.randn(*s, generator=g, dtype=torch.float64)  # noqa: E731
    kpm = torch.zeros(b, n, dtype=torch.bool)
    kpm[0, n - 1] = True  # one padded token in the first sequence
    return {
        "x": r(b, n, d),
        "w_qkv": r(3 * d, d) / math.sqrt(d),
        "b_qkv": r(3 * d),
        "w_o": r(d, d) / math.sqrt(d),
        "b_o": r(d),
        "num_heads": h,
        "causal": causal,
        "key_padding_mask": kpm,
    }


def test_mha_reference_matches_torch_functional_and_module():
    c = _case()
    ref = att.mha(*c.values())
    n, d = c["x"].shape[1], c["x"].shape[2]
    mod = torch.nn.MultiheadAttention(d, 2, dropout=0.0, batch_first=True, dtype=torch.float64).eval()
    with torch.no_grad():
        mod.in_proj_weight.copy_(c["w_qkv"])
        mod.in_proj_bias.copy_(c["b_qkv"])
        mod.out_proj.weight.copy_(c["w_o"])
        mod.out_proj.bias.copy_(c["b_o"])
        got = mod(
            c["x"], c["x"], c["x"], key_padding_mask=c["key_padding_mask"], attn_mask=torch.ones(n, n).triu(1).bool()
        )[0]
    torch.testing.assert_close(ref, got, rtol=1e-12, atol=1e-12)  # float64, ~1e-16 rounding × small sizes


def test_multi_head_is_the_special_case_of_mha():
    """attention.multi-head (kept unchanged) = attention.mha with zero biases, W_O = I and no mask."""
    c = _case(causal=False)
    d = c["x"].shape[-1]
    w_q, w_k, w_v = c["w_qkv"].chunk(3)
    plain = att.multi_head(c["x"], w_q, w_k, w_v, 2)
    shipped = att.mha(
        c["x"], c["w_qkv"], torch.zeros(3 * d, dtype=torch.float64), torch.eye(d, dtype=torch.float64),
        torch.zeros(d, dtype=torch.float64), 2, False, torch.zeros_like(c["key_padding_mask"]),
    )  # fmt: skip
    torch.testing.assert_close(plain, shipped, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("claim_id", ["attention.mha", "attention.sdpa-masked"])
def test_every_variant_differs_from_the_reference(claim_id):
    """Each declared Variant (the gallery's planted bugs) is a different function on a generic masked case."""
    contract = contract_claim(claim_id).contract
    assert len(contract.variants) >= 4
    c = _case() if claim_id == "attention.mha" else _masked_case()
    want = contract.reference(*c.values())
    for v in contract.variants:
        got = v.formula(*c.values())
        assert v.why, v.label
        assert got.shape == want.shape and not torch.allclose(got, want, equal_nan=False), v.label


def _masked_case(n=4, m=4, seed=1):
    g = torch.Generator().manual_seed(seed)
    q, k, v = (torch.randn(2, 2, size, 3, generator=g, dtype=torch.float64) for size in (n, m, m))
    kpm = torch.zeros(2, m, dtype=torch.bool)
    kpm[1, m - 2 :] = True
    return {"q": q, "k": k, "v": v, "causal": True, "key_padding_mask": kpm}


def test_fully_masked_row_is_nan_with_masked_fill_and_zero_from_torch_sdpa():
    """The statement that puts fully-masked rows outside the contract: the two usual codes disagree there."""
    c = _masked_case()
    c["key_padding_mask"][0, :] = True  # every key of sequence 0 padded
    assert torch.isnan(att.masked_sdpa(*c.values())[0]).all()
    allowed = ~c["key_padding_mask"][:, None, None, :]
    built_in = F.scaled_dot_product_attention(c["q"], c["k"], c["v"], attn_mask=allowed)
    assert torch.equal(built_in[0], torch.zeros_like(built_in[0]))


def test_contract_domain_never_fully_masks_a_row():
    from hypothesis import given, settings

    contract = contract_claim("attention.sdpa-masked").contract

    @settings(max_examples=50, deadline=None, database=None)
    @given(contract.inputs())
    def check(c):
        assert not c["key_padding_mask"][:, 0].any()  # key 0 is visible to every query, causal or not
        assert torch.isfinite(contract.reference(*c.values())).all()

    check()


# ── module conventions ────────────────────────────────────────────────────────────────────
class SplitCausalAttention(torch.nn.Module):
    """annotated-transformer / d2l style: four Linears, always causal (like nanoGPT)."""

    def __init__(self, d, h, dropout=0.0, batch_first=True):
        super().__init__()
        self.h = h
        self.q, self.k, self.v, self.o = (torch.nn.Linear(d, d) for _ in range(4))

    def forward(self, x):
        b, n, d = x.shape
        split = lambda t: t.view(b, n, self.h, d // self.h).transpose(1, 2)  # noqa: E731
        out = F.scaled_dot_product_attention(split(self.q(x)), split(self.k(x)), split(self.v(x)), is_causal=True)
        return self.o(out.transpose(1, 2).reshape(b, n, d))


SPLIT = {
    "q.weight": "w_qkv[0/3]", "k.weight": "w_qkv[1/3]", "v.weight": "w_qkv[2/3]",
    "q.bias": "b_qkv[0/3]", "k.bias": "b_qkv[1/3]", "v.bias": "b_qkv[2/3]",
    "o.weight": "w_o", "o.bias": "b_o",
}  # fmt: skip
CAUSAL_ONLY = {"causal": True, "padding": False}


def test_nn_multihead_attention_conforms_as_shipped():
    """issue 12 friction 1: nn.MultiheadAttention with its biases and output projection, masks passed."""
    result = conform("attention.mha", torch.nn.MultiheadAttention, max_examples=FEW)
    assert result.ok, result.report()
    assert "in_proj_weight ← w_qkv" in result.report()


def test_module_with_other_parameters_gets_one_line_naming_the_expected_ones():
    with pytest.raises(InterfaceError) as exc:
        conform("attention.mha", SplitCausalAttention, max_examples=FEW)
    text = str(exc.value)
    assert "\n" not in text
    assert "loads in_proj_weight ← w_qkv, in_proj_bias ← b_qkv, out_proj.weight ← w_o, out_proj.bias ← b_o" in text
    assert "q.weight=w_qkv[0/3]" in text  # how to map a split projection


def test_split_projections_load_blocks_of_w_qkv_with_the_causal_option():
    result = conform("attention.mha", SplitCausalAttention, weights=SPLIT, options=CAUSAL_ONLY, max_examples=FEW)
    assert result.ok, result.report()
    assert "[options: causal=True, padding=False]" in result.signature


def test_always_causal_module_without_the_option_is_rejected():
    """The options narrow the domain; without them the module is judged on non-causal and padded cases too."""
    result = conform("attention.mha", SplitCausalAttention, weights=SPLIT, max_examples=FEW)
    assert not result.ok


def test_wrong_block_is_rejected():
    swapped = dict(SPLIT, **{"q.weight": "w_qkv[1/3]", "k.weight": "w_qkv[0/3]"})
    assert not conform("attention.mha", SplitCausalAttention, weights=swapped, options=CAUSAL_ONLY, max_examples=FEW).ok


def test_block_syntax():
    w = torch.arange(12.0).view(6, 2)
    assert input_name("w_qkv[2/3]") == "w_qkv" and input_name("w_o") == "w_o"
    assert torch.equal(resolve_input({"w": w}, "w[1/3]"), w[2:4])
    assert resolve_input({"w": w}, "w") is w
    with pytest.raises(ValueError, match=r"block 3 of 3 equal blocks of w, whose first dimension is 6"):
        resolve_input({"w": w}, "w[3/3]")
    with pytest.raises(ValueError, match="k dividing it"):
        resolve_input({"w": w}, "w[0/4]")


def test_bad_block_is_an_interface_error():
    bad = dict(SPLIT, **{"q.weight": "w_qkv[0/5]"})  # 3d is never a multiple of 5 here (d = h·d_head, both 1..4)
    with pytest.raises(InterfaceError, match=r"--weights q.weight=w_qkv\[0/5\]: block 0 of 5"):
        conform("attention.mha", SplitCausalAttention, weights=bad, options=CAUSAL_ONLY, max_examples=FEW)


def test_cli_weights_blocks_and_options(capsys, monkeypatch, tmp_path):
    (tmp_path / "split_attn.py").write_text(
        "import torch, torch.nn.functional as F\n\n"
        "class Attn(torch.nn.Module):\n"
        "    def __init__(self, d, h, dropout=0.0, batch_first=True):\n"
        "        super().__init__()\n"
        "        self.h = h\n"
        "        self.q, self.k, self.v, self.o = (torch.nn.Linear(d, d) for _ in range(4))\n\n"
        "    def forward(self, x):\n"
        "        b, n, d = x.shape\n"
        "        s = lambda t: t.view(b, n, self.h, d // self.h).transpose(1, 2)\n"
        "        o = F.scaled_dot_product_attention(s(self.q(x)), s(self.k(x)), s(self.v(x)), is_causal=True)\n"
        "        return self.o(o.transpose(1, 2).reshape(b, n, d))\n"
    )
    monkeypatch.chdir(tmp_path)
    weights = ",".join(f"{p}={i}" for p, i in SPLIT.items())
    with pytest.raises(SystemExit) as exc:
        main(["conform", "attention.mha", "split_attn.py:Attn", "--weights", weights,
              "--option", "causal=true,padding=false", "--max-examples", str(FEW)])  # fmt: skip
    out = capsys.readouterr()
    assert exc.value.code == 0, out
    assert "q.weight ← w_qkv[0/3]" in out.out
