"""bn.forward: batchnorm_forward from a CS231n assignment solution (AgainstEntropy/CS231n-assignment2021).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "bn.forward"
SOURCE = Source(
    repo="AgainstEntropy/CS231n-assignment2021",
    path="assignment2/cs231n/layers.py",
    commit="36498906fd1a89fee2e2ea71ab6be04730c1ee5a",
    lines=((164, 273),),
    sha256="8696d133a5b018f9e7866eaa8e69cca0cae69f42ef3defa265a1e674ce3bbcdc",
    license="none stated",
)
NAME = "batchnorm_forward"
PRELUDE = "import numpy as np\n"
EXPECTED = "conforms"
WHY = "train mode: np.var (biased), ε inside the root (its test mode drops γ and β, which the train-mode contract does not reach)"
CALL = 'f(x, gamma, beta, {"mode": "train", "eps": eps})'
OUTPUT = 0

__getattr__ = entry_object(globals())
