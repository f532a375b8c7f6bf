"""bn.forward: BatchNorm1d from makemore part 3 (Karpathy's Neural Networks: Zero to Hero).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "bn.forward"
SOURCE = Source(
    repo="karpathy/nn-zero-to-hero",
    path="lectures/makemore/makemore_part3_bn.ipynb",
    commit="73c3fcc741f0ec104ca850b1fb0df90e7e8d4cde",
    license="MIT",
    cell=13,
    lines=((20, 51),),
    sha256="585cda2ae2afb248d793a1275ffa8500cd2e17443056f04855c6e3268db645a6",
)
NAME = "BatchNorm1d"
PRELUDE = "import torch\n"
EXPECTED = "counterexample"
WHY = "unbiased batch variance: x.var(0) divides by N − 1, while batch norm normalizes with the biased variance (torch uses N − 1 only for running_var)"
# a plain class (not an nn.Module): gamma and beta are set as attributes; called as obj(x).
BUILD = "cls(x.shape[1], eps=eps)"
WEIGHTS = {"gamma": "gamma", "beta": "beta"}

__getattr__ = entry_object(globals())
