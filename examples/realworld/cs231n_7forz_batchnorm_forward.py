"""bn.forward: batchnorm_forward from a CS231n assignment solution (7forz/CS231n_assignments).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_target, to_numpy, to_torch

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
REASON = "numpy arrays; eps passed in a bn_param dict (mode 'train'); returns (out, cache)"
ADAPTS = ("numpy", "dict argument", "tuple return")


def adapter(ns):
    def batchnorm_forward(x, gamma, beta, eps):
        x, gamma, beta = to_numpy(x, gamma, beta)
        out, _cache = ns["batchnorm_forward"](x, gamma, beta, {"mode": "train", "eps": eps})
        return to_torch(out)

    return batchnorm_forward


target = entry_target(globals())
