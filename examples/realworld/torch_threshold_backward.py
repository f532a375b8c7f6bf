"""relu.backward: threshold_backward, the aten decomposition of ReLU's backward (installed torch).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "relu.backward"
SOURCE = Source(
    repo="pytorch/pytorch",
    commit="cf30153c4c131c8164ee7798e5022d810682e2cb",
    version="2.13.0+cpu",
    license="BSD-3-Clause",
    path="torch/_decomp/decompositions.py",
    module="torch._decomp.decompositions",
)
NAME = "threshold_backward"
PRELUDE = ""
EXPECTED = "conforms"
WHY = "torch.where(self <= threshold, 0, grad_output) with threshold 0: zero at z = 0"
# aten: threshold_backward(grad_output, self, threshold), here threshold 0.
CALL = "f(grad_out, z, 0)"

__getattr__ = entry_object(globals())
