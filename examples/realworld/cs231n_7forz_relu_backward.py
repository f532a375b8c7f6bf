"""relu.backward: relu_backward from a CS231n assignment solution (7forz/CS231n_assignments).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "relu.backward"
SOURCE = Source(
    repo="7forz/CS231n_assignments",
    path="assignment2/cs231n/layers.py",
    commit="a3d5af2d6290b05ebb698c250e2bcab5154a4a1c",
    lines=((89, 109),),
    sha256="05b8e3f6fde445a6e340153baebfcd1969ba7173f88f552a57b5856ff774f57d",
    license="none stated",
)
NAME = "relu_backward"
PRELUDE = "import numpy as np\n"
EXPECTED = "conforms"
WHY = "np.multiply(dout, x > 0): zero at z = 0"
CALL = "f(grad_out, z)"

__getattr__ = entry_object(globals())
