"""bn.forward: native_batch_norm, the aten decomposition of batch norm (installed torch).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_target

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
REASON = "aten signature with running statistics (None here), training=True and momentum; returns (out, save_mean, save_invstd): out kept"
ADAPTS = ("extra arguments", "tuple return")


def adapter(ns):
    def batch_norm(x, gamma, beta, eps):
        out, _mean, _invstd = ns["native_batch_norm"](x, gamma, beta, None, None, True, 0.1, eps)
        return out

    return batch_norm


target = entry_target(globals())
