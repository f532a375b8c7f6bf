"""Independent implementations of the ``relu.derivative`` contract, right and wrong.

    fn(z) -> d      ReLU's local derivative 1[z > 0], relu'(0) = 0 (torch.relu's autograd)

z has any shape; the values are 0 or 1, so an integer or bool array of them is exact and accepted.
``ok_*`` must conform; ``bug_*`` must be rejected.
"""

import numpy as np
import torch

CLAIM = "relu.derivative"


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_mask(z):
    return (z > 0).to(z.dtype)


def ok_autograd(z):
    """The gradient of Σ relu(z): autograd of torch.relu gives 0 at z == 0."""
    p = z.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(torch.relu(p).sum(), p)
    return g


def ok_numpy_integers(z):
    """np.where(z > 0, 1, 0): an int64 array of 0/1, exact."""
    return np.where(z > 0, 1, 0)


def ok_bool_mask(z):
    return z > 0


def ok_heaviside(z):
    return torch.heaviside(z, torch.zeros_like(z))


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_one_at_zero(z):
    """1[z ≥ 0]: relu'(0) = 1 (a convention the contract does not take)."""
    return (z >= 0).to(z.dtype)


def bug_numpy_one_at_zero(z):
    """ML-From-Scratch's np.where(x >= 0, 1, 0)."""
    return np.where(z >= 0, 1, 0)


def bug_half_at_zero(z):
    """SymPy's Heaviside(0) = 1/2."""
    return torch.heaviside(z, torch.full_like(z, 0.5))


def bug_sign(z):
    return torch.sign(z)


def bug_relu_itself(z):
    return torch.relu(z)


def bug_leaky(z):
    return torch.where(z > 0, 1.0, 0.01).to(z.dtype)


def iface_float32(z):
    return (z > 0).float()
