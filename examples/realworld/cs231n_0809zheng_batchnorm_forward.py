"""bn.forward: batchnorm_forward from a CS231n assignment solution (0809zheng/CS231n-assignment2019).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "bn.forward"
SOURCE = Source(
    repo="0809zheng/CS231n-assignment2019",
    path="assignment2/cs231n/layers.py",
    commit="3f5c853986637e2eba33f70c982fac7c618ff0f3",
    lines=((132, 238),),
    sha256="e947ede576a57dfc89942cfe1fa55252dc64736af19be9d1cedca784c9bb9933",
    license="none stated",
)
NAME = "batchnorm_forward"
PRELUDE = "import numpy as np\n"
EXPECTED = "conforms"
WHY = "train mode: np.var (biased, / N), ε inside the root"
CALL = 'f(x, gamma, beta, {"mode": "train", "eps": eps})'
OUTPUT = 0

__getattr__ = entry_object(globals())
