"""attention.mha: Attention from timm (timm/layers/attention.py), manual branch, biases as shipped.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_target, load_linear

CONTRACT = "attention.mha"
SOURCE = Source(
    repo="huggingface/pytorch-image-models",
    path="timm/layers/attention.py",
    commit="aa4b5850c1543fa488abf260f18390eda46cf85d",
    license="Apache-2.0",
    lines=((15, 18), (21, 40), (43, 145)),
    sha256="c30a462147874c000ed51216e65c2cc20721f65e544d5979a9f5a81f336ce7f0",
)
NAME = "Attention"
PRELUDE = "from typing import Final, Optional, Type\n\nimport torch\nfrom torch import nn as nn\nfrom torch.nn import functional as F\n\n\ndef register_notrace_function(fn):  # stand-in for timm.layers._fx (torch.fx tracing registry)\n    return fn\n\n\ndef use_fused_attn(experimental: bool = False) -> bool:  # timm.layers.config's default: fused when torch has SDPA\n    return hasattr(torch.nn.functional, 'scaled_dot_product_attention')\n"
EXPECTED = "conforms"
WHY = "q·scale then q kᵀ, softmax, @ v per head (scale = head_dim^-0.5), then proj with its bias"
REASON = "module built with qkv_bias=True (its default is False; the contract draws b_qkv): qkv ← w_qkv, b_qkv, proj ← w_o, b_o; timm's fx-registration decorator and use_fused_attn() stubbed; fused_attn = False selects the manual branch"
ADAPTS = ("module construction", "dependency stand-in", "branch selection")
OPTIONS = {"causal": False, "padding": False}  # a ViT block: no causal mask, no padding mask passed


def adapter(ns):
    def mha(x, w_qkv, b_qkv, w_o, b_o, num_heads, causal, key_padding_mask):
        attn = ns["Attention"](x.shape[-1], num_heads=num_heads, qkv_bias=True).double().eval()
        attn.fused_attn = False
        load_linear(attn.qkv, w_qkv, b_qkv)
        load_linear(attn.proj, w_o, b_o)
        return attn(x).detach()

    return mha


target = entry_target(globals())
