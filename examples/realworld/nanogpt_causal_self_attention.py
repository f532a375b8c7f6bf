"""attention.mha: CausalSelfAttention from nanoGPT (the manual branch), causal mask and biases as shipped.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "attention.mha"
SOURCE = Source(
    repo="karpathy/nanoGPT",
    path="model.py",
    commit="3adf61e154c3fe3fca428ad6bc3818b27a3b8291",
    license="MIT",
    lines=((29, 76),),
    sha256="24f1e1d1d60b6c7dc1f6c984c251fbfdb4acbc5a7a429f9becb8a88115595e34",
)
NAME = "CausalSelfAttention"
PRELUDE = (
    "import math\nimport torch\nimport torch.nn as nn\nfrom torch.nn import functional as F\n\n\n"
    "class _Functional:  # stand-in: torch.nn.functional as on torch < 2.0, without scaled_dot_product_attention\n"
    "    def __getattr__(self, name):\n"
    "        if name == 'scaled_dot_product_attention':\n"
    "            raise AttributeError(name)\n"
    "        return getattr(F, name)\n\n\n"
    "class _NN:\n"
    "    functional = _Functional()\n\n"
    "    def __getattr__(self, name):\n"
    "        return getattr(nn, name)\n\n\n"
    "class _Torch:  # the span's torch, whose nn.functional is the stand-in above\n"
    "    nn = _NN()\n\n"
    "    def __getattr__(self, name):\n"
    "        return getattr(_torch, name)\n\n\n"
    "_torch, torch = torch, _Torch()\n"
)
STANDINS = (
    "torch: torch < 2.0, whose torch.nn.functional has no scaled_dot_product_attention (the span's torch is a proxy "
    "that hides it; everything else is torch's own), so the constructor takes its manual branch (self.flash = False, "
    "its own causal buffer)",
)
EXPECTED = "conforms"
WHY = "causal multi-head attention with biases and c_proj: its own tril buffer masks with −inf before the softmax"
OPTIONS = {"causal": True, "padding": False}  # always causal, no padding mask in its forward
# its GPTConfig's dropout (0.0) and bias (True) as shipped; judged in eval mode
BUILD = "cls(config(n_embd=x.shape[-1], n_head=num_heads, bias=True, dropout=0.0, block_size=x.shape[1]))"
WEIGHTS = {"c_attn.weight": "w_qkv", "c_attn.bias": "b_qkv", "c_proj.weight": "w_o", "c_proj.bias": "b_o"}

__getattr__ = entry_object(globals())
