"""reg.l2.update: torch.optim.SGD with weight_decay, foreach=True (_multi_tensor_sgd; installed torch).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

from _gallery import Source, entry_object

CONTRACT = "reg.l2.update"
SOURCE = Source(
    repo="pytorch/pytorch",
    commit="cf30153c4c131c8164ee7798e5022d810682e2cb",
    version="2.13.0+cpu",
    license="BSD-3-Clause",
    path="torch/optim/sgd.py",
    module="torch.optim.sgd",
)
NAME = "SGD"
PRELUDE = ""
EXPECTED = "conforms"
WHY = "grad + weight_decay·param, then param − lr·grad (no momentum): the coupled L2 step"
# an optimizer class: stepped once by reg.l2.update's optimizer convention (p = Parameter(theta), p.grad = grad);
# its own foreach keyword declared with the build template, params standing for [p].
BUILD = "cls(params, lr=lr, weight_decay=lam, foreach=True)"

__getattr__ = entry_object(globals())
