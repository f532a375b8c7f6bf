"""attention.multi-head: CausalSelfAttention from nanoGPT (the flash branch, as shipped).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from types import SimpleNamespace

import torch
from _gallery import Source, entry_target, load_projection, make_identity

CONTRACT = "attention.multi-head"
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
EXPECTED = "counterexample"
WHY = "causal attention (is_causal=True is hard-coded in the flash branch): the contract is unmasked attention, so every row but the last differs; a contract gap, not a bug"
REASON = "module from a config (bias=False, dropout 0); output projection c_proj set to the identity"
ADAPTS = ("module construction", "output projection")


def adapter(ns):
    def multi_head(x, w_q, w_k, w_v, num_heads):
        n, d = x.shape[1], x.shape[2]
        config = SimpleNamespace(n_embd=d, n_head=num_heads, bias=False, dropout=0.0, block_size=n)
        attn = ns["CausalSelfAttention"](config).double().eval()
        load_projection(attn.c_attn, torch.cat([w_q, w_k, w_v]))
        make_identity(attn.c_proj)
        return attn(x).detach()

    return multi_head


target = entry_target(globals())
