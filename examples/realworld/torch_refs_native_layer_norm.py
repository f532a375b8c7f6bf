"""ln.forward: native_layer_norm, the Python reference of aten.native_layer_norm (installed torch).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_target

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
REASON = "aten signature native_layer_norm(input, normalized_shape, weight, bias, eps) returning (out, mean, rstd): normalized_shape = [D], out kept"
ADAPTS = ("extra arguments", "tuple return")


def adapter(ns):
    def layer_norm(x, gamma, beta, eps):
        out, _mean, _rstd = ns["native_layer_norm"](x, [x.shape[-1]], gamma, beta, eps)
        return out

    return layer_norm


target = entry_target(globals())
