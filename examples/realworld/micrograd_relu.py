"""relu.backward: Value.relu's backward from micrograd.

The upstream span is vendored into _upstream/ by vendor.py (not committed); see README.md here.
"""

import torch
from _gallery import Source, entry_target

CONTRACT = "relu.backward"
SOURCE = Source(
    repo="karpathy/micrograd",
    path="micrograd/engine.py",
    commit="c911406e5ace8742e5841a7e0df113ecb5d54685",
    license="MIT",
    lines=((2, 94),),
    sha256="22299ccc1a405cf56dfb28584f110af048452f52a6c200478e2fb0e8b38bb97a",
)
NAME = "Value"
PRELUDE = ""
EXPECTED = "conforms"
WHY = "self.grad += (out.data > 0) * out.grad: zero at z = 0 (and relu(−0.0) = −0.0 is not > 0)"
REASON = "scalar autograd Value: the adapter runs relu's _backward per element with out.grad = grad_out and collects the input's grad"
ADAPTS = ("scalar autograd",)


def adapter(ns):
    Value = ns["Value"]

    def relu_backward(z, grad_out):
        grads = []
        for zi, gi in zip(z.flatten().tolist(), grad_out.flatten().tolist()):
            v = Value(zi)
            out = v.relu()
            out.grad = gi
            out._backward()
            grads.append(v.grad)
        return torch.tensor(grads, dtype=torch.float64).reshape(z.shape)

    return relu_backward


target = entry_target(globals())
