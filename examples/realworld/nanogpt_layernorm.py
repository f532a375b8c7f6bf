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
EXPECTED = "counterexample"
WHY = "F.layer_norm with a literal eps 1e-5: a fixed-ε convention, not a bug (the contract's eps cannot reach it; with eps = 1e-5 it is torch's layer norm)"
# LayerNorm(ndim, bias) takes no eps: F.layer_norm's literal 1e-5 stays (see WHY).
BUILD = "cls(x.shape[-1], bias=True)"

__getattr__ = entry_object(globals())
