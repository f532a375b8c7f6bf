"""reg.l1.update: l1_regularization from ML-From-Scratch's regression module.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_target, to_numpy, to_torch

CONTRACT = "reg.l1.update"
SOURCE = Source(
    repo="eriklindernoren/ML-From-Scratch",
    commit="a2806c6732eee8d27762edd6d864e0c179d8e9e8",
    license="MIT",
    path="mlfromscratch/supervised_learning/regression.py",
    lines=((6, 15),),
    sha256="9d33770c6be22e7d5a458a2547e986ab6777c7d5a00602298f63fe1c95d09d79",
)
NAME = "l1_regularization"
PRELUDE = "import numpy as np\n"
EXPECTED = "conforms"
WHY = "grad(w) = alpha·sign(w) with np.sign(0) = 0; the step Regression.fit takes, w −= lr·(grad + reg.grad(w)), is the contract's update"
REASON = "penalty object with grad(w) only: the adapter takes the step the way Regression.fit does, w - lr * (grad + reg.grad(w)); numpy"
ADAPTS = ("numpy", "update step")


def adapter(ns):
    def update(theta, grad, lr, lam):
        theta, grad = to_numpy(theta, grad)
        reg = ns["l1_regularization"](alpha=lam)
        return to_torch(theta - lr * (grad + reg.grad(theta)))

    return update


target = entry_target(globals())
