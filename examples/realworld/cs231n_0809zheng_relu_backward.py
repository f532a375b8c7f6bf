"""relu.backward: relu_backward from a CS231n assignment solution (0809zheng/CS231n-assignment2019).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "relu.backward"
SOURCE = Source(
    repo="0809zheng/CS231n-assignment2019",
    path="assignment2/cs231n/layers.py",
    commit="3f5c853986637e2eba33f70c982fac7c618ff0f3",
    lines=((105, 129),),
    sha256="dfb2c81055d7e40bbea545a587eae392324d9566b4aa84fbaeddc5071902cad2",
    license="none stated",
)
NAME = "relu_backward"
PRELUDE = "import numpy as np\n"
EXPECTED = "conforms"
WHY = "dx = dout; dx[x <= 0] = 0: zero at z = 0 as the contract asks (it also overwrites the caller's dout in place, which conform's copies do not see)"
CALL = "f(grad_out, z)"

__getattr__ = entry_object(globals())
