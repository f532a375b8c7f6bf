"""attention.multi-head: Attention from timm (timm/layers/attention.py), its non-fused (manual) branch.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

import torch
from _gallery import Source, entry_target, load_projection, make_identity

CONTRACT = "attention.multi-head"
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
WHY = "q·scale then q kᵀ, softmax, @ v per head (scale = head_dim^-0.5)"
REASON = "module: qkv ← [w_q; w_k; w_v] (qkv_bias=False, the default), output projection proj set to the identity with its bias zeroed; timm's fx-registration decorator and use_fused_attn() stubbed; fused_attn = False selects the manual branch"
ADAPTS = ("module construction", "output projection", "dependency stand-in", "branch selection")


def adapter(ns):
    def multi_head(x, w_q, w_k, w_v, num_heads):
        attn = ns["Attention"](x.shape[-1], num_heads=num_heads).double().eval()
        attn.fused_attn = False
        load_projection(attn.qkv, torch.cat([w_q, w_k, w_v]))
        make_identity(attn.proj)
        return attn(x).detach()

    return multi_head


target = entry_target(globals())
