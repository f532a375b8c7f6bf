"""attention.multi-head: MultiHeadedAttention from The Annotated Transformer.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_target, load_projection, make_identity

CONTRACT = "attention.multi-head"
SOURCE = Source(
    repo="harvardnlp/annotated-transformer",
    path="the_annotated_transformer.py",
    commit="debc9fd747bb2123160a98046ad1c2d4da44a567",
    license="MIT",
    lines=((286, 288), (519, 528), (589, 628)),
    sha256="2d32a2e7b6a783ff25653838543cda80df4883e0496178faf6fc3242f107bc77",
)
NAME = "MultiHeadedAttention"
PRELUDE = "import copy\nimport math\nimport torch\nimport torch.nn as nn\n"
EXPECTED = "conforms"
WHY = "heads split with view + transpose(1, 2), each softmax(QKᵀ/√d_k)V, merged back the same way"
REASON = "module: its four nn.Linear carry biases (zeroed) and the fourth is an output projection (set to the identity); eval() turns off its dropout 0.1"
ADAPTS = ("module construction", "biases", "output projection", "dropout off")


def adapter(ns):
    def multi_head(x, w_q, w_k, w_v, num_heads):
        mha = ns["MultiHeadedAttention"](num_heads, x.shape[-1]).double().eval()
        for linear, w in zip(mha.linears, (w_q, w_k, w_v)):
            load_projection(linear, w)
        make_identity(mha.linears[3])
        return mha(x, x, x).detach()

    return multi_head


target = entry_target(globals())
