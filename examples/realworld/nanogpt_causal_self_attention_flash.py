"""attention.mha: CausalSelfAttention from nanoGPT (the flash branch), causal and with biases, as shipped.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from types import SimpleNamespace

from _gallery import Source, entry_target, load_linear

CONTRACT = "attention.mha"
SOURCE = Source(
    repo="karpathy/nanoGPT",
    path="model.py",
    commit="3adf61e154c3fe3fca428ad6bc3818b27a3b8291",
    license="MIT",
    lines=((29, 76),),
    sha256="24f1e1d1d60b6c7dc1f6c984c251fbfdb4acbc5a7a429f9becb8a88115595e34",
)
NAME = "CausalSelfAttention"
PRELUDE = "import math\nimport torch\nimport torch.nn as nn\nfrom torch.nn import functional as F\n"
EXPECTED = "conforms"
WHY = "F.scaled_dot_product_attention(is_causal=True) per head, with c_attn's and c_proj's biases"
REASON = "module from a config (bias=True, dropout 0); c_attn ← w_qkv, b_qkv, c_proj ← w_o, b_o"
ADAPTS = ("module construction",)
OPTIONS = {"causal": True, "padding": False}  # is_causal=True is hard-coded; no padding mask in its forward


def adapter(ns):
    def mha(x, w_qkv, b_qkv, w_o, b_o, num_heads, causal, key_padding_mask):
        n, d = x.shape[1], x.shape[2]
        config = SimpleNamespace(n_embd=d, n_head=num_heads, bias=True, dropout=0.0, block_size=n)
        attn = ns["CausalSelfAttention"](config).double().eval()
        load_linear(attn.c_attn, w_qkv, b_qkv)
        load_linear(attn.c_proj, w_o, b_o)
        return attn(x).detach()

    return mha


target = entry_target(globals())
