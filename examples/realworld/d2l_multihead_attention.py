"""attention.mha: MultiHeadAttention from d2l (attention chapter), as shipped.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

import torch
from _gallery import Source, entry_target, load_linear

CONTRACT = "attention.mha"
SOURCE = Source(
    repo="d2l-ai/d2l-en",
    commit="23d7a5aecceee57d1292c56e90cce307f183bb0a",
    license="MIT-0 (code), CC BY-SA 4.0 (text)",
    path="d2l/torch.py",
    lines=((1067, 1090), (1092, 1109), (1149, 1208)),
    sha256="e7dbb90abfbf4181c1e28c4c4fad405f323264fad5f9ba35f04f6c611331e0e7",
)
NAME = "MultiHeadAttention"
PRELUDE = "import math\n\nimport torch\nfrom torch import nn\n\n\nclass _D2L:  # stand-in for the d2l package: d2l.Module is an nn.Module with plotting hooks\n    Module = nn.Module\n\n    def __getattr__(self, name):\n        return globals()[name]\n\n\nd2l = _D2L()\n"
EXPECTED = "conforms"
WHY = "transpose_qkv / transpose_output split and merge heads through the batch axis; DotProductAttention per head with √(d/h); W_o applied; LazyLinear layers without biases"
REASON = "module of LazyLinear layers (bias=False by default): materialized by one float32 call, then float64; W_q/W_k/W_v ← blocks of w_qkv, W_o ← w_o; d2l.Module and d2l.DotProductAttention resolved by a stand-in"
ADAPTS = ("module construction", "dependency stand-in")
OPTIONS = {"causal": False, "padding": False, "qkv_bias": False, "out_bias": False}  # bias-free; valid_lens not mapped


def adapter(ns):
    def mha(x, w_qkv, b_qkv, w_o, b_o, num_heads, causal, key_padding_mask):
        attn = ns["MultiHeadAttention"](x.shape[-1], num_heads, 0.0)
        with torch.no_grad():
            xf = x.float()
            attn(xf, xf, xf, None)  # LazyLinear infers in_features on its first call
        attn = attn.double().eval()
        for linear, w in zip((attn.W_q, attn.W_k, attn.W_v), w_qkv.chunk(3)):
            load_linear(linear, w)
        load_linear(attn.W_o, w_o)
        return attn(x, x, x, None).detach()

    return mha


target = entry_target(globals())
