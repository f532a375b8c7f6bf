"""attention.sdpa: attention() from The Annotated Transformer.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "attention.sdpa"
SOURCE = Source(
    repo="harvardnlp/annotated-transformer",
    path="the_annotated_transformer.py",
    commit="debc9fd747bb2123160a98046ad1c2d4da44a567",
    license="MIT",
    lines=((519, 528),),
    sha256="cdfdf32dee0e5836905bfdbee45897aad2ca8bd75f0848e45fbacdada73150f9",
)
NAME = "attention"
PRELUDE = "import math\nimport torch\n"
EXPECTED = "conforms"
WHY = "softmax(q kᵀ/√d_k) v with d_k = query.size(-1); no mask, no dropout by default"
OUTPUT = 0  # it returns (output, attention weights)

__getattr__ = entry_object(globals())
