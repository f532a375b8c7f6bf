"""attention.sdpa: DotProductAttention from Dive into Deep Learning (d2l/torch.py).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "attention.sdpa"
SOURCE = Source(
    repo="d2l-ai/d2l-en",
    commit="23d7a5aecceee57d1292c56e90cce307f183bb0a",
    license="MIT-0 (code), CC BY-SA 4.0 (text)",
    path="d2l/torch.py",
    lines=((1067, 1090), (1092, 1109), (1149, 1208)),
    sha256="e7dbb90abfbf4181c1e28c4c4fad405f323264fad5f9ba35f04f6c611331e0e7",
)
NAME = "DotProductAttention"
PRELUDE = "import math\n\nimport torch\nfrom torch import nn\n\n\nclass _D2L:  # stand-in for the d2l package: d2l.Module is an nn.Module with plotting hooks\n    Module = nn.Module\n\n    def __getattr__(self, name):\n        return globals()[name]\n\n\nd2l = _D2L()\n"
EXPECTED = "conforms"
WHY = "torch.bmm(q, kᵀ)/√d, masked_softmax with valid_lens=None is a plain softmax over the keys"
STANDINS = ("d2l: the d2l package (d2l.Module is an nn.Module with plotting hooks; d2l.NAME is this span's NAME)",)
BUILD = "cls(0.1)"  # DotProductAttention(dropout), called as obj(q, k, v) (valid_lens=None): eval mode, dropout off

__getattr__ = entry_object(globals())
