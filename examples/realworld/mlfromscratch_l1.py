"""reg.l1.penalty-grad: l1_regularization from ML-From-Scratch's regression module.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "reg.l1.penalty-grad"
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
WHY = "grad(w) = alpha·np.sign(w): λ·sign θ with np.sign(0) = 0, the L1 penalty's subgradient (Regression.fit adds it to the loss gradient: w −= lr·(grad + reg.grad(w)))"
# a penalty object: built with its strength, its grad(w) method is the penalty's gradient alone.
BUILD = "cls(alpha=lam)"
CALL = "f.grad(theta)"

__getattr__ = entry_object(globals())
