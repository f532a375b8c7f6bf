"""ln.forward: LayerNorm from The Annotated Transformer.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

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
WEIGHTS = {"a_2": "gamma", "b_2": "beta"}

__getattr__ = entry_object(globals())
