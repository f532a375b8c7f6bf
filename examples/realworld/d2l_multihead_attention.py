"""attention.multi-head: MultiHeadAttention from Dive into Deep Learning (d2l/torch.py).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

import torch
from _gallery import Source, entry_target, load_projection, make_identity

CONTRACT = "attention.multi-head"
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
WHY = "transpose_qkv / transpose_output split and merge heads through the batch axis; DotProductAttention per head with √(d/h)"
REASON = "module of LazyLinear layers (bias=False by default): materialized by one float32 call, then float64; W_q/W_k/W_v loaded, output projection W_o set to the identity; d2l.Module and d2l.DotProductAttention resolved by a stand-in"
ADAPTS = ("module construction", "output projection", "dependency stand-in")


def adapter(ns):
    def multi_head(x, w_q, w_k, w_v, num_heads):
        mha = ns["MultiHeadAttention"](x.shape[-1], num_heads, 0.0)
        with torch.no_grad():
            xf = x.float()
            mha(xf, xf, xf, None)  # LazyLinear infers in_features on its first call
        mha = mha.double().eval()
        for linear, w in zip((mha.W_q, mha.W_k, mha.W_v), (w_q, w_k, w_v)):
            load_projection(linear, w)
        make_identity(mha.W_o)
        return mha(x, x, x, None).detach()

    return multi_head


target = entry_target(globals())
