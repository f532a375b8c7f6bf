"""attention.mha: MultiHeadAttention from labml.ai annotated papers, biases and output projection as shipped.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "attention.mha"
SOURCE = Source(
    repo="labmlai/annotated_deep_learning_paper_implementations",
    commit="e6b3c8a6a2cdae4071bcde1abeaaf9a2bc37bd53",
    license="MIT",
    path="labml_nn/transformers/mha.py",
    lines=((33, 66), (69, 206)),
    sha256="7fbeae0aaac99f1c12d9d1cde5bf300a32fbd158a7df6eb73bf788efc4f4c77f",
)
NAME = "MultiHeadAttention"
PRELUDE = "import math\nfrom typing import Optional, List\n\nimport torch\nfrom torch import nn\n\n\nclass tracker:  # stand-in for labml's experiment tracker (logging only)\n    @staticmethod\n    def debug(*args, **kwargs):\n        pass\n"
EXPECTED = "conforms"
WHY = "einsum scores 'ibhd,jbhd->ijbh' scaled by 1/√d_k, softmax over the key axis (dim=1 of [i, j, b, h]), heads merged by reshape, output Linear with bias"
STANDINS = ("labml.tracker: labml's experiment tracker (tracker.debug logs the attention; a no-op here)",)
OPTIONS = {"causal": False, "padding": False}  # its mask argument is [n, n, B]-shaped; not mapped here
LAYOUT = "seq-first"  # [n, B, d], labml's layout
BUILD = "cls(num_heads, x.shape[-1])"  # MultiHeadAttention(heads, d_model, dropout_prob=0.1, bias=True): eval mode
CALL = "f(query=x, key=x, value=x)"  # forward(*, query, key, value, mask=None): keyword-only
WEIGHTS = {
    "query.linear.weight": "w_qkv[0/3]",
    "query.linear.bias": "b_qkv[0/3]",
    "key.linear.weight": "w_qkv[1/3]",
    "key.linear.bias": "b_qkv[1/3]",
    "value.linear.weight": "w_qkv[2/3]",
    "value.linear.bias": "b_qkv[2/3]",
    "output.weight": "w_o",
    "output.bias": "b_o",
}

__getattr__ = entry_object(globals())
