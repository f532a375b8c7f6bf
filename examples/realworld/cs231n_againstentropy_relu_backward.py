"""relu.backward: relu_backward from a CS231n assignment solution (AgainstEntropy/CS231n-assignment2021).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "relu.backward"
SOURCE = Source(
    repo="AgainstEntropy/CS231n-assignment2021",
    path="assignment2/cs231n/layers.py",
    commit="36498906fd1a89fee2e2ea71ab6be04730c1ee5a",
    lines=((101, 124),),
    sha256="169eff89056a25992cc6cf0acf9675b4397290781e11694580f5bf56b185e55d",
    license="none stated",
)
NAME = "relu_backward"
PRELUDE = "import numpy as np\n"
EXPECTED = "counterexample"
WHY = "dx[x < 0] = 0 passes the gradient through at z = 0: relu'(0) = 1, a convention that differs from the contract's relu'(0) = 0, not a bug"
CALL = "f(grad_out, z)"

__getattr__ = entry_object(globals())
