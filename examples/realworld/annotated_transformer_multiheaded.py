"""attention.mha: MultiHeadedAttention from The Annotated Transformer, biases, output projection and mask as shipped.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

import torch
from _gallery import Source, entry_target, load_linear

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
REASON = "module: its four nn.Linear loaded from blocks of w_qkv/b_qkv and from w_o/b_o; eval() turns off its dropout 0.1; the contract's masks given as its mask argument ([B, n, n], 1 = may attend)"
ADAPTS = ("module construction", "dropout off", "mask")


def adapter(ns):
    def mha(x, w_qkv, b_qkv, w_o, b_o, num_heads, causal, key_padding_mask):
        n = x.shape[1]
        attn = ns["MultiHeadedAttention"](num_heads, x.shape[-1]).double().eval()
        for linear, w, b in zip(attn.linears, w_qkv.chunk(3), b_qkv.chunk(3)):
            load_linear(linear, w, b)
        load_linear(attn.linears[3], w_o, b_o)
        mask = ~key_padding_mask[:, None, :]  # [B, 1, n]: its padding mask, as the Transformer's src_mask
        if causal:
            mask = mask & torch.ones(n, n, dtype=torch.bool).tril()  # [B, n, n]: its subsequent_mask & tgt_mask
        return attn(x, x, x, mask=mask).detach()

    return mha


target = entry_target(globals())
