"""ln.forward: LayerNorm from nanoGPT.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

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
EXPECTED = "conforms"
WHY = "F.layer_norm with a literal eps 1e-5, declared as EPS (--eps 1e-5: a fixed-ε convention, reported as such); with that ε it is torch's layer norm (undeclared, the contract's eps cannot reach it: a counterexample diagnosed as ε fixed at 1e-5)"
# LayerNorm(ndim, bias) takes no eps: F.layer_norm's literal 1e-5 is declared instead.
BUILD = "cls(x.shape[-1], bias=True)"
EPS = 1e-5

__getattr__ = entry_object(globals())
