"""attention.mha: Attention from timm (timm/layers/attention.py), manual branch, biases as shipped.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

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
PRELUDE = "from typing import Final, Optional, Type\n\nimport torch\nfrom torch import nn as nn\nfrom torch.nn import functional as F\n\n\ndef register_notrace_function(fn):  # stand-in for timm.layers._fx (torch.fx tracing registry)\n    return fn\n\n\ndef use_fused_attn(experimental: bool = False) -> bool:  # timm.layers.config under TIMM_FUSED_ATTN=0\n    return False\n"
EXPECTED = "conforms"
WHY = "q·scale then q kᵀ, softmax, @ v per head (scale = head_dim^-0.5), then proj with its bias"
STANDINS = (
    "timm.layers._fx.register_notrace_function: the torch.fx tracing registry (a decorator that returns fn)",
    "timm.layers.config.use_fused_attn: as configured by TIMM_FUSED_ATTN=0 (timm's own switch), False: the manual branch",
)
OPTIONS = {"causal": False, "padding": False}  # a ViT block: no causal mask, no padding mask passed
BUILD = "cls(x.shape[-1], num_heads=num_heads, qkv_bias=True)"  # qkv_bias defaults to False; the contract draws b_qkv
WEIGHTS = {"qkv.weight": "w_qkv", "qkv.bias": "b_qkv", "proj.weight": "w_o", "proj.bias": "b_o"}

__getattr__ = entry_object(globals())
