"""ln.forward: LayerNorm from The Annotated Transformer.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

import torch
from _gallery import Source, entry_target

CONTRACT = "ln.forward"
SOURCE = Source(
    repo="harvardnlp/annotated-transformer",
    path="the_annotated_transformer.py",
    commit="debc9fd747bb2123160a98046ad1c2d4da44a567",
    license="MIT",
    lines=((315, 327),),
    sha256="6c53e0becd8cd56b27d586fbfca48bde4100d87cdacac588846cbeea58b1e58c",
)
NAME = "LayerNorm"
PRELUDE = "import torch\nimport torch.nn as nn\n"
EXPECTED = "counterexample"
WHY = "a_2 (x − mean)/(std + eps) + b_2 with torch's default std: unbiased (divides by D − 1), and ε added to the std instead of inside the root"
REASON = "module: built with features = D and the contract's eps, a_2 ← gamma, b_2 ← beta, float64"
ADAPTS = ("module construction",)


def adapter(ns):
    def layer_norm(x, gamma, beta, eps):
        ln = ns["LayerNorm"](x.shape[-1], eps=eps).double()
        with torch.no_grad():
            ln.a_2.copy_(gamma)
            ln.b_2.copy_(beta)
        return ln(x).detach()

    return layer_norm


target = entry_target(globals())
