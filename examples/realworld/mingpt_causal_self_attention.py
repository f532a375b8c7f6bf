"""attention.multi-head: CausalSelfAttention from minGPT (mask removed).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from types import SimpleNamespace

import torch
from _gallery import Source, entry_target, load_projection, make_identity

CONTRACT = "attention.multi-head"
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
WHY = "with its causal mask buffer all ones: softmax(q kᵀ/√hs) v per head, heads merged with transpose + view"
REASON = "module from a config (dropout 0); c_attn and c_proj biases zeroed, output projection c_proj set to the identity; causal mask buffer set to all ones"
ADAPTS = ("module construction", "biases", "output projection", "mask")


def adapter(ns):
    def multi_head(x, w_q, w_k, w_v, num_heads):
        n, d = x.shape[1], x.shape[2]
        config = SimpleNamespace(n_embd=d, n_head=num_heads, attn_pdrop=0.0, resid_pdrop=0.0, block_size=n)
        attn = ns["CausalSelfAttention"](config).double().eval()
        attn.register_buffer("bias", torch.ones(1, 1, n, n, dtype=x.dtype))
        load_projection(attn.c_attn, torch.cat([w_q, w_k, w_v]))
        make_identity(attn.c_proj)
        return attn(x).detach()

    return multi_head


target = entry_target(globals())
