"""reg.l2.update: Network.update_mini_batch from Nielsen's Neural Networks and Deep Learning (network2.py).

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

import numpy as np
from _gallery import Source, entry_target, to_numpy, to_torch

CONTRACT = "reg.l2.update"
SOURCE = Source(
    repo="mnielsen/neural-networks-and-deep-learning",
    path="src/network2.py",
    commit="72db53d750f571bef8804de4a52224e44dcab3a1",
    license="MIT (stated in README.md)",
    lines=((190, 207),),
    sha256="021ba02119ee95140b949b20c2ca8503f8a14ba4304f850daf062088335239f3",
)
NAME = "update_mini_batch"
PRELUDE = "import numpy as np\n"
EXPECTED = "conforms"
WHY = "w ← (1 − eta·lmbda/n)·w − (eta/m)·Σ nabla_w: with n = m = 1 this is θ − lr(grad + λθ) (weight decay folded into the shrink factor)"
REASON = "method of Network (the file is Python 2; only the method is taken): the adapter gives it a one-layer network whose backprop returns grad, a mini-batch of one example and n = 1"
ADAPTS = ("numpy", "module construction")


def adapter(ns):
    update_mini_batch = ns["update_mini_batch"]

    class OneLayer:
        pass

    def update(theta, grad, lr, lam):
        theta, grad = to_numpy(theta, grad)
        net = OneLayer()
        net.weights, net.biases = [theta], [np.zeros(1)]
        net.backprop = lambda x, y: ([np.zeros(1)], [grad])
        update_mini_batch(net, [(None, None)], lr, lam, 1)
        return to_torch(net.weights[0])

    return update


target = entry_target(globals())
