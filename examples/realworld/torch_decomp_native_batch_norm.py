"""bn.forward: native_batch_norm, the aten decomposition of batch norm (installed torch).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "bn.forward"
SOURCE = Source(
    repo="pytorch/pytorch",
    commit="cf30153c4c131c8164ee7798e5022d810682e2cb",
    version="2.13.0+cpu",
    license="BSD-3-Clause",
    path="torch/_decomp/decompositions.py",
    module="torch._decomp.decompositions",
)
NAME = "native_batch_norm"
PRELUDE = ""
EXPECTED = "conforms"
WHY = "training: var_mean with correction 0 (biased), rsqrt(var + eps), then weight and bias"
# aten: native_batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps).
CALL = "f(x, gamma, beta, None, None, True, 0.1, eps)"
OUTPUT = 0

__getattr__ = entry_object(globals())
