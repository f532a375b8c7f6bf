"""attention.mha: CausalSelfAttention from minGPT, causal mask and biases as shipped.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "attention.mha"
SOURCE = Source(
    repo="karpathy/minGPT",
    path="mingpt/model.py",
    commit="37baab71b9abea1b76ab957409a1cc2fbfba8a26",
    license="MIT",
    lines=((29, 71),),
    sha256="23e9b0d1568b9458e011ad5960d8c8d6534876430a7a55861230f41b80190066",
)
NAME = "CausalSelfAttention"
PRELUDE = "import math\nimport torch\nimport torch.nn as nn\nfrom torch.nn import functional as F\n"
EXPECTED = "conforms"
WHY = "causal multi-head attention: its tril buffer masks with −inf before the softmax; c_attn and c_proj with biases"
OPTIONS = {"causal": True, "padding": False}  # always causal, no padding mask in its forward
# its GPT config's dropouts (0.1) as shipped: judged in eval mode, so they are off
BUILD = "cls(config(n_embd=x.shape[-1], n_head=num_heads, attn_pdrop=0.1, resid_pdrop=0.1, block_size=x.shape[1]))"
WEIGHTS = {"c_attn.weight": "w_qkv", "c_attn.bias": "b_qkv", "c_proj.weight": "w_o", "c_proj.bias": "b_o"}

__getattr__ = entry_object(globals())
