"""bn.forward: batchnorm_forward from a CS231n assignment solution (7forz/CS231n_assignments).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "bn.forward"
SOURCE = Source(
    repo="7forz/CS231n_assignments",
    path="assignment2/cs231n/layers.py",
    commit="a3d5af2d6290b05ebb698c250e2bcab5154a4a1c",
    lines=((112, 210),),
    sha256="4fa7e8ec65e0332ffacf50fe30b56cce1975d2bcd722b591d4f610363025ca2b",
    license="none stated",
)
NAME = "batchnorm_forward"
PRELUDE = "import numpy as np\n"
EXPECTED = "conforms"
WHY = "train mode: np.var (biased), ε inside the root"
CALL = 'f(x, gamma, beta, {"mode": "train", "eps": eps})'
OUTPUT = 0

__getattr__ = entry_object(globals())
