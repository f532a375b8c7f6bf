"""reg.l2.update: l2_regularization from ML-From-Scratch's regression module.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_target, to_numpy, to_torch

CONTRACT = "reg.l2.update"
SOURCE = Source(
    repo="eriklindernoren/ML-From-Scratch",
    commit="a2806c6732eee8d27762edd6d864e0c179d8e9e8",
    license="MIT",
    path="mlfromscratch/supervised_learning/regression.py",
    lines=((17, 26),),
    sha256="65969ac912382ef48d77ef96e7c77e7cd867645a36ee48d712b762447aee568e",
)
NAME = "l2_regularization"
PRELUDE = "import numpy as np\n"
EXPECTED = "conforms"
WHY = "grad(w) = alpha·w; the step Regression.fit takes, w −= lr·(grad + reg.grad(w)), is the contract's update"
REASON = "penalty object with grad(w) only: the adapter takes the step the way Regression.fit does, w - lr * (grad + reg.grad(w)); numpy"
ADAPTS = ("numpy", "update step")


def adapter(ns):
    def update(theta, grad, lr, lam):
        theta, grad = to_numpy(theta, grad)
        reg = ns["l2_regularization"](alpha=lam)
        return to_torch(theta - lr * (grad + reg.grad(theta)))

    return update


target = entry_target(globals())
