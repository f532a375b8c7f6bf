"""ln.forward: layernorm_forward from a CS231n assignment solution (AnirudhM1/CS231n-2022-Solutions).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "ln.forward"
SOURCE = Source(
    repo="AnirudhM1/CS231n-2022-Solutions",
    path="assignment2/cs231n/layers.py",
    commit="7a5b4949f5bca2715deec11d10fcd573cbd93c34",
    lines=((369, 429),),
    sha256="ce8f44675bea0bb28895936b478affdea664afdc9d959b8b97d170b76028e106",
    license="none stated",
)
NAME = "layernorm_forward"
PRELUDE = "import numpy as np\n"
EXPECTED = "conforms"
WHY = "statistics of x.T rows (biased), ε inside the root"
CALL = 'f(x, gamma, beta, {"eps": eps})'
OUTPUT = 0

__getattr__ = entry_object(globals())
