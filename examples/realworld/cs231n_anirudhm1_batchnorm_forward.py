"""bn.forward: batchnorm_forward from a CS231n assignment solution (AnirudhM1/CS231n-2022-Solutions).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "bn.forward"
SOURCE = Source(
    repo="AnirudhM1/CS231n-2022-Solutions",
    path="assignment2/cs231n/layers.py",
    commit="7a5b4949f5bca2715deec11d10fcd573cbd93c34",
    lines=((165, 273),),
    sha256="bead91fe16a6478b5cb8c86c2a8480eb129f3b00fa6a3e0e920dd587e4ec2eae",
    license="none stated",
)
NAME = "batchnorm_forward"
PRELUDE = "import numpy as np\n"
EXPECTED = "conforms"
WHY = "train mode: x.var(axis=0) (biased), ε inside the root"
CALL = 'f(x, gamma, beta, {"mode": "train", "eps": eps})'
OUTPUT = 0

__getattr__ = entry_object(globals())
