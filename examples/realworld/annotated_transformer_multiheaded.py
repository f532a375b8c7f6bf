"""attention.mha: MultiHeadedAttention from The Annotated Transformer, biases, output projection and mask as shipped.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "attention.mha"
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
EXPECTED = "counterexample"
WHY = "masks with masked_fill(mask == 0, −1e9), a finite fill: when every visible logit of a row is below −1e9 (large activations and weights, e.g. q·k = −1e10), the masked keys win the softmax and the row attends to what it must not see; at ordinary scales it matches the contract (four Linears with biases, view + transpose(1, 2) heads, output Linear)"
BUILD = "cls(num_heads, x.shape[-1])"  # MultiHeadedAttention(h, d_model, dropout=0.1): eval mode, dropout off
# its mask: [B, n, n], 1 = may attend (the Transformer's src_mask & subsequent_mask): the contract's derived attend
CALL = "f(x, x, x, attend)"
WEIGHTS = {
    "linears.0.weight": "w_qkv[0/3]",
    "linears.0.bias": "b_qkv[0/3]",
    "linears.1.weight": "w_qkv[1/3]",
    "linears.1.bias": "b_qkv[1/3]",
    "linears.2.weight": "w_qkv[2/3]",
    "linears.2.bias": "b_qkv[2/3]",
    "linears.3.weight": "w_o",
    "linears.3.bias": "b_o",
}

__getattr__ = entry_object(globals())
