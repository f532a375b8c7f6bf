"""reg.l2.penalty-grad: l2_regularization from ML-From-Scratch's regression module.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "reg.l2.penalty-grad"
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
WHY = "grad(w) = alpha·w: λθ, the gradient of (λ/2)‖θ‖² (Regression.fit adds it to the loss gradient: w −= lr·(grad + reg.grad(w)))"
# a penalty object: built with its strength, its grad(w) method is the penalty's gradient alone.
BUILD = "cls(alpha=lam)"
CALL = "f.grad(theta)"

__getattr__ = entry_object(globals())
