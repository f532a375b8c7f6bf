"""bn.forward: BatchNormalization layer from ML-From-Scratch.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_target, to_numpy, to_torch

CONTRACT = "bn.forward"
SOURCE = Source(
    repo="eriklindernoren/ML-From-Scratch",
    commit="a2806c6732eee8d27762edd6d864e0c179d8e9e8",
    license="MIT",
    path="mlfromscratch/deep_learning/layers.py",
    lines=((10, 38), (290, 362)),
    sha256="534304bafec626c0319aa624f5829d57fa8872b961217845c55011b9f5b5aeb6",
)
NAME = "BatchNormalization"
PRELUDE = "import math\nimport copy\n\nimport numpy as np\n"
EXPECTED = "counterexample"
WHY = "eps is fixed at 0.01 in __init__: a fixed-ε convention, not a bug (np.var is biased and ε is inside the root: with eps = 0.01 it is torch's batch norm)"
REASON = "numpy layer object: input_shape set, initialize(optimizer=None) run, gamma and beta assigned, forward_pass(X, training=True)"
ADAPTS = ("numpy", "module construction")


def adapter(ns):
    def batch_norm(x, gamma, beta, eps):
        x, gamma, beta = to_numpy(x, gamma, beta)
        layer = ns["BatchNormalization"]()
        layer.set_input_shape((x.shape[1],))
        layer.initialize(None)
        layer.gamma, layer.beta = gamma, beta
        return to_torch(layer.forward_pass(x, training=True))

    return batch_norm


target = entry_target(globals())
