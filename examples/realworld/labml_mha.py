"""attention.multi-head: MultiHeadAttention from labml.ai's annotated transformer.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_target, load_projection, make_identity

CONTRACT = "attention.multi-head"
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
WHY = "einsum scores 'ibhd,jbhd->ijbh' scaled by 1/√d_k, softmax over the key axis (dim=1 of [i, j, b, h]), heads merged by reshape"
REASON = "module: layout [seq, batch, d] (transposed in and out) and keyword-only query/key/value; biases zeroed, output projection set to the identity, eval() for dropout; labml's logging tracker stubbed"
ADAPTS = (
    "module construction",
    "layout",
    "keyword arguments",
    "biases",
    "output projection",
    "dropout off",
    "dependency stand-in",
)


def adapter(ns):
    def multi_head(x, w_q, w_k, w_v, num_heads):
        mha = ns["MultiHeadAttention"](num_heads, x.shape[-1]).double().eval()
        for prep, w in zip((mha.query, mha.key, mha.value), (w_q, w_k, w_v)):
            load_projection(prep.linear, w)
        make_identity(mha.output)
        xs = x.transpose(0, 1)  # [B, n, d] -> [n, B, d]
        return mha(query=xs, key=xs, value=xs).detach().transpose(0, 1)

    return multi_head


target = entry_target(globals())
