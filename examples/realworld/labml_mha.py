"""attention.mha: MultiHeadAttention from labml.ai annotated papers, biases and output projection as shipped.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_target, load_linear

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
REASON = "module: keyword-only query/key/value; query/key/value Linears (bias=True) loaded from blocks of w_qkv/b_qkv, output ← w_o, b_o; eval() for dropout; labml's logging tracker stubbed; called in the contract's seq-first layout [n, B, d], its own"
ADAPTS = ("module construction", "keyword arguments", "dropout off", "dependency stand-in")
OPTIONS = {"causal": False, "padding": False}  # its mask argument is [n, n, B]-shaped; not mapped here
LAYOUT = "seq-first"  # [n, B, d], labml's layout: no transpose in the adapter


def adapter(ns):
    def mha(x, w_qkv, b_qkv, w_o, b_o, num_heads, causal, key_padding_mask):
        attn = ns["MultiHeadAttention"](num_heads, x.shape[-1]).double().eval()
        for prep, w, b in zip((attn.query, attn.key, attn.value), w_qkv.chunk(3), b_qkv.chunk(3)):
            load_linear(prep.linear, w, b)
        load_linear(attn.output, w_o, b_o)
        return attn(query=x, key=x, value=x).detach()

    return mha


target = entry_target(globals())
