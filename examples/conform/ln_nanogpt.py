"""nanoGPT-style LayerNorm with ε hard-coded as the literal 1e-5, for ``--eps`` (issue 12).

Adapted from karpathy/nanoGPT, model.py, class LayerNorm (commit 3adf61e154c3fe3fca428ad6bc3818b27a3b8291,
MIT licence): its forward is ``F.layer_norm(input, self.weight.shape, self.weight, self.bias, 1e-5)``,
so the contract's ``eps`` input is ignored. Under the default contract it fails as "wrong values"
whenever ε ≠ 1e-5 is drawn; with ε fixed to the implementation's own constant it conforms:

    dlproofs conform ln.forward examples/conform/ln_nanogpt.py:nanogpt_layer_norm --eps 1e-5

The names here start with neither ``ok_`` nor ``bug_``: the float64 gallery (tests/test_conform.py)
does not run them; tests/test_conform_precision.py runs them with and without ``--eps``.
"""

import torch
import torch.nn.functional as F

CLAIM = "ln.forward"


def nanogpt_layer_norm(x, weight, bias, eps):
    """nanoGPT's LayerNorm.forward as a function of the contract's inputs; ``eps`` is ignored (literal 1e-5)."""
    return F.layer_norm(x, weight.shape, weight, bias, 1e-5)


class LayerNorm(torch.nn.Module):
    """nanoGPT's LayerNorm; ``bias`` defaults to True here so the module convention can build it as cls(D)."""

    def __init__(self, ndim, bias=True):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(ndim))
        self.bias = torch.nn.Parameter(torch.zeros(ndim)) if bias else None

    def forward(self, input):
        return F.layer_norm(input, self.weight.shape, self.weight, self.bias, 1e-5)
