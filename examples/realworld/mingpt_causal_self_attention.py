"""attention.mha: CausalSelfAttention from minGPT, causal mask and biases as shipped.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from types import SimpleNamespace

from _gallery import Source, entry_target, load_linear

CONTRACT = "attention.mha"
SOURCE = Source(
    repo="karpathy/minGPT",
    path="mingpt/model.py",
    commit="37baab71b9abea1b76ab957409a1cc2fbfba8a26",
    license="MIT",
    lines=((29, 71),),
    sha256="23e9b0d1568b9458e011ad5960d8c8d6534876430a7a55861230f41b80190066",
)
NAME = "CausalSelfAttention"
PRELUDE = "import math\nimport torch\nimport torch.nn as nn\nfrom torch.nn import functional as F\n"
EXPECTED = "conforms"
WHY = "causal multi-head attention: its tril buffer masks with −inf before the softmax; c_attn and c_proj with biases"
REASON = "module from a config (attn_pdrop = resid_pdrop = 0, block_size = n); c_attn ← w_qkv, b_qkv, c_proj ← w_o, b_o"
ADAPTS = ("module construction",)
OPTIONS = {"causal": True, "padding": False}  # always causal, no padding mask in its forward


def adapter(ns):
    def mha(x, w_qkv, b_qkv, w_o, b_o, num_heads, causal, key_padding_mask):
        n, d = x.shape[1], x.shape[2]
        config = SimpleNamespace(n_embd=d, n_head=num_heads, attn_pdrop=0.0, resid_pdrop=0.0, block_size=n)
        attn = ns["CausalSelfAttention"](config).double().eval()
        load_linear(attn.c_attn, w_qkv, b_qkv)
        load_linear(attn.c_proj, w_o, b_o)
        return attn(x).detach()

    return mha


target = entry_target(globals())
