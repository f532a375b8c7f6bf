"""ln.forward: LayerNorm.forward from llm.c's layernorm tutorial (doc/layernorm).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "ln.forward"
SOURCE = Source(
    repo="karpathy/llm.c",
    path="doc/layernorm/layernorm.py",
    commit="f1e2ace651495b74ae22d45d1723443fd00ecd3a",
    license="MIT",
    lines=((3, 3), (5, 32)),
    sha256="ad3e152b5c324b331e5222f78b4112c68603f03f0ec677ab8bef79d21fcb9ff5",
)
NAME = "LayerNorm"
PRELUDE = "import torch\n"
EXPECTED = "conforms"
WHY = "eps is the module constant 1e-5, declared as EPS (--eps 1e-5: a fixed-ε convention, reported as such); biased variance, ε inside the root: with that ε it is torch's layer norm (undeclared: a counterexample diagnosed as ε fixed at 1e-5)"
# a static method on [B, T, C]: x[None] adds the batch axis; [0][0] keeps out of (out, cache), batch 0.
CALL = "f.forward(x[None], gamma, beta)[0][0]"
EPS = 1e-5

__getattr__ = entry_object(globals())
