"""ln.forward: layernorm_forward from a CS231n assignment solution (AgainstEntropy/CS231n-assignment2021).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "ln.forward"
SOURCE = Source(
    repo="AgainstEntropy/CS231n-assignment2021",
    path="assignment2/cs231n/layers.py",
    commit="36498906fd1a89fee2e2ea71ab6be04730c1ee5a",
    lines=((367, 416),),
    sha256="fc6ae85c856d399baafc5f44ab207b5cb79a4f58bb428e5c317432f363e29a4b",
    license="none stated",
)
NAME = "layernorm_forward"
PRELUDE = "import numpy as np\n"
EXPECTED = "conforms"
WHY = "sums over the transposed axis divided by D (biased), ε inside the root"
CALL = 'f(x, gamma, beta, {"eps": eps})'
OUTPUT = 0

__getattr__ = entry_object(globals())
