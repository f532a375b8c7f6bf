"""ln.forward: native_layer_norm, the Python reference of aten.native_layer_norm (installed torch).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "ln.forward"
SOURCE = Source(
    repo="pytorch/pytorch",
    commit="cf30153c4c131c8164ee7798e5022d810682e2cb",
    version="2.13.0+cpu",
    license="BSD-3-Clause",
    path="torch/_refs/__init__.py",
    module="torch._refs",
)
NAME = "native_layer_norm"
PRELUDE = ""
EXPECTED = "conforms"
WHY = "_normalize: var_mean with correction 0 (biased), rsqrt(var + eps), then weight and bias"
# aten: native_layer_norm(input, normalized_shape, weight, bias, eps) -> (out, mean, rstd).
CALL = "f(x, [x.shape[-1]], gamma, beta, eps)"
OUTPUT = 0

__getattr__ = entry_object(globals())
