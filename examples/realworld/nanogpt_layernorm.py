"""ln.forward: LayerNorm from nanoGPT.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

import torch
from _gallery import Source, entry_target

CONTRACT = "ln.forward"
SOURCE = Source(
    repo="karpathy/nanoGPT",
    path="model.py",
    commit="3adf61e154c3fe3fca428ad6bc3818b27a3b8291",
    license="MIT",
    lines=((18, 27),),
    sha256="c91c074b54fcefb6c962fa7f7d1ec359384579612bb18b8549a6b39430e9d7d8",
)
NAME = "LayerNorm"
PRELUDE = "import math\nimport torch\nimport torch.nn as nn\nfrom torch.nn import functional as F\n"
EXPECTED = "counterexample"
WHY = "F.layer_norm with a literal eps 1e-5: a fixed-ε convention, not a bug (the contract's eps cannot reach it; with eps = 1e-5 it is torch's layer norm)"
REASON = "module: built with ndim = D, bias=True, weight ← gamma, bias ← beta, float64"
ADAPTS = ("module construction",)


def adapter(ns):
    def layer_norm(x, gamma, beta, eps):
        ln = ns["LayerNorm"](x.shape[-1], bias=True).double()
        with torch.no_grad():
            ln.weight.copy_(gamma)
            ln.bias.copy_(beta)
        return ln(x).detach()

    return layer_norm


target = entry_target(globals())
