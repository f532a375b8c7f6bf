"""attention.mha: Attention from vit-pytorch (vit.py), as shipped but for its pre-norm.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

import torch.nn as nn
from _gallery import Source, entry_target, load_linear

CONTRACT = "attention.mha"
SOURCE = Source(
    repo="lucidrains/vit-pytorch",
    path="vit_pytorch/vit.py",
    commit="69d24fe9e3024c0d4b02761123b8583a24ebed1e",
    license="MIT",
    lines=((30, 64),),
    sha256="21a7f3865e1c2e14da4f8e4d8ebd9b179a5f4a913327ac9884c2553834e84033",
)
NAME = "Attention"
PRELUDE = "import torch\nfrom torch import nn\nfrom torch.nn import Module\n\n\ndef rearrange(t, pattern, h=None):  # stand-in for einops.rearrange: the two patterns Attention uses\n    if pattern == 'b n (h d) -> b h n d':\n        b, n, hd = t.shape\n        return t.reshape(b, n, h, hd // h).transpose(1, 2)\n    if pattern == 'b h n d -> b n (h d)':\n        b, heads, n, d = t.shape\n        return t.transpose(1, 2).reshape(b, n, heads * d)\n    raise NotImplementedError(pattern)\n"
EXPECTED = "counterexample"
WHY = "with one head of size dim (heads = 1, dim_head = dim) it has no output projection (project_out = False: to_out is nn.Identity), so it returns the attention without · W_Oᵀ + b_O; with more heads it conforms. A design choice the contract does not admit, not a bug"
REASON = "its pre-norm LayerNorm (self.norm, with its own weight and bias) normalizes x before to_qkv, and the contract has no norm: the adapter builds the module, replaces norm by the identity, and loads to_qkv ← w_qkv (bias-free), to_out[0] ← w_o, b_o"
ADAPTS = ("pre-norm",)
STANDINS = ("einops.rearrange: the two patterns Attention uses, written with reshape and transpose",)
OPTIONS = {"causal": False, "padding": False, "qkv_bias": False}  # built bias-free; no masks in its forward


def adapter(ns):
    def mha(x, w_qkv, b_qkv, w_o, b_o, num_heads, causal, key_padding_mask):
        d = x.shape[-1]
        attn = ns["Attention"](d, heads=num_heads, dim_head=d // num_heads).double().eval()
        attn.norm = nn.Identity()
        load_linear(attn.to_qkv, w_qkv)
        if isinstance(attn.to_out, nn.Identity):  # one head of size dim: no output projection, as shipped
            return attn(x).detach()
        load_linear(attn.to_out[0], w_o, b_o)
        return attn(x).detach()

    return mha


target = entry_target(globals())
