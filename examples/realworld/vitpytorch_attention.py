"""attention.multi-head: Attention from lucidrains/vit-pytorch (vit_pytorch/vit.py).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

import torch
from _gallery import Source, entry_target, load_projection, make_identity
from torch import nn

CONTRACT = "attention.multi-head"
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
EXPECTED = "conforms"
WHY = "to_qkv chunked into q, k, v; heads split by 'b n (h d) -> b h n d'; softmax(q kᵀ·dim_head^-0.5) v; merged back"
REASON = "module: its pre-norm LayerNorm replaced by the identity, to_qkv ← [w_q; w_k; w_v], output projection set to the identity (bias zeroed); einops.rearrange given by a two-pattern stand-in"
ADAPTS = ("module construction", "output projection", "pre-norm", "dependency stand-in")


def adapter(ns):
    def multi_head(x, w_q, w_k, w_v, num_heads):
        d = x.shape[-1]
        attn = ns["Attention"](d, heads=num_heads, dim_head=d // num_heads).double().eval()
        attn.norm = nn.Identity()
        load_projection(attn.to_qkv, torch.cat([w_q, w_k, w_v]))
        if not isinstance(attn.to_out, nn.Identity):  # one head of size dim has no output projection
            make_identity(attn.to_out[0])
        return attn(x).detach()

    return multi_head


target = entry_target(globals())
