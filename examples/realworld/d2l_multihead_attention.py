"""attention.mha: MultiHeadAttention from d2l (attention chapter), as shipped.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "attention.mha"
SOURCE = Source(
    repo="d2l-ai/d2l-en",
    commit="23d7a5aecceee57d1292c56e90cce307f183bb0a",
    license="MIT-0 (code), CC BY-SA 4.0 (text)",
    path="d2l/torch.py",
    lines=((1067, 1090), (1092, 1109), (1149, 1208)),
    sha256="e7dbb90abfbf4181c1e28c4c4fad405f323264fad5f9ba35f04f6c611331e0e7",
)
NAME = "MultiHeadAttention"
PRELUDE = "import math\n\nimport torch\nfrom torch import nn\n\n\nclass _D2L:  # stand-in for the d2l package: d2l.Module is an nn.Module with plotting hooks\n    Module = nn.Module\n\n    def __getattr__(self, name):\n        return globals()[name]\n\n\nd2l = _D2L()\n"
EXPECTED = "conforms"
WHY = "transpose_qkv / transpose_output split and merge heads through the batch axis; DotProductAttention per head with √(d/h); W_o applied; LazyLinear layers without biases"
STANDINS = ("d2l: the d2l package (d2l.Module is an nn.Module with plotting hooks; d2l.NAME is this span's NAME)",)
OPTIONS = {"causal": False, "padding": False, "qkv_bias": False, "out_bias": False}  # bias-free; valid_lens not mapped
# MultiHeadAttention(num_hiddens, num_heads, dropout, bias=False) of nn.LazyLinear layers: conform gives them their
# shapes by one call on the case before loading them; eval mode, dropout off
BUILD = "cls(x.shape[-1], num_heads, 0.1)"
CALL = "f(x, x, x, None)"  # forward(queries, keys, values, valid_lens): no valid_lens
WEIGHTS = {"W_q.weight": "w_qkv[0/3]", "W_k.weight": "w_qkv[1/3]", "W_v.weight": "w_qkv[2/3]", "W_o.weight": "w_o"}

__getattr__ = entry_object(globals())
