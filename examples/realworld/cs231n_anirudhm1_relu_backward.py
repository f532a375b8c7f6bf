"""relu.backward: relu_backward from a CS231n assignment solution (AnirudhM1/CS231n-2022-Solutions).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "relu.backward"
SOURCE = Source(
    repo="AnirudhM1/CS231n-2022-Solutions",
    path="assignment2/cs231n/layers.py",
    commit="7a5b4949f5bca2715deec11d10fcd573cbd93c34",
    lines=((102, 125),),
    sha256="b24cb53fee4562343998b2ae3dd02b610545f43553be2cf12539f1b823d0d7dd",
    license="none stated",
)
NAME = "relu_backward"
PRELUDE = "import numpy as np\n"
EXPECTED = "conforms"
WHY = "(x > 0) * dout: zero at z = 0"
CALL = "f(grad_out, z)"

__getattr__ = entry_object(globals())
