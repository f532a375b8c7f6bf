"""reg.l2.update: torch.optim.SGD with weight_decay, foreach=False (_single_tensor_sgd; installed torch).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

import torch
from _gallery import Source, entry_target

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
REASON = "optimizer object: the adapter makes θ a parameter with .grad = grad, builds SGD(lr, weight_decay=lam, foreach=False) and takes one step"
ADAPTS = ("module construction", "update step")


def adapter(ns):
    def update(theta, grad, lr, lam):
        p = torch.nn.Parameter(theta.clone())
        p.grad = grad.clone()
        ns["SGD"]([p], lr=lr, weight_decay=lam, foreach=False).step()
        return p.detach()

    return update


target = entry_target(globals())
