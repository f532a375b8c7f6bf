"""ln.forward: layernorm_forward from a CS231n assignment solution (0809zheng/CS231n-assignment2019).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "ln.forward"
SOURCE = Source(
    repo="0809zheng/CS231n-assignment2019",
    path="assignment2/cs231n/layers.py",
    commit="3f5c853986637e2eba33f70c982fac7c618ff0f3",
    lines=((343, 390),),
    sha256="ee320a896962c561c93cf2f40e9a64a3aa0e2191e3baf025fdc85940592d23ca",
    license="none stated",
)
NAME = "layernorm_forward"
PRELUDE = "import numpy as np\n"
EXPECTED = "conforms"
WHY = "np.var over axis 1 (biased), ε inside the root"
CALL = 'f(x, gamma, beta, {"eps": eps})'
OUTPUT = 0

__getattr__ = entry_object(globals())
