"""Independent implementations of the ``relu.backward`` contract, right and wrong.

    fn(z, grad_out) -> grad_in       grad_out ⊙ 1[z > 0]; the gradient at z == 0 is 0

``ok_*`` must conform; ``bug_*`` must be rejected (several only differ where z == 0 exactly).
"""

import torch
import torch.nn.functional as F

CLAIM = "relu.backward"


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_mask(z, grad_out):
    return grad_out * (z > 0)


def ok_where(z, grad_out):
    return torch.where(z > 0, grad_out, torch.zeros_like(grad_out))


def ok_autograd_relu(z, grad_out):
    zz = z.clone().requires_grad_(True)
    torch.relu(zz).backward(grad_out)
    return zz.grad


def ok_autograd_functional(z, grad_out):
    zz = z.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(F.relu(zz), zz, grad_out)
    return g


def ok_heaviside(z, grad_out):
    return grad_out * torch.heaviside(z, torch.zeros((), dtype=z.dtype))


def ok_threshold_backward(z, grad_out):
    """The kernel autograd itself calls."""
    return torch.ops.aten.threshold_backward(grad_out, z, 0.0)


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_mask_ge(z, grad_out):
    """1[z ≥ 0]: passes the gradient at z == 0."""
    return grad_out * (z >= 0)


def bug_autograd_clamp(z, grad_out):
    """relu written as z.clamp(min=0): autograd gives 1 at z == 0."""
    zz = z.clone().requires_grad_(True)
    zz.clamp(min=0).backward(grad_out)
    return zz.grad


def bug_autograd_maximum(z, grad_out):
    """relu written as torch.maximum(z, 0): autograd splits the tie, 0.5 at z == 0."""
    zz = z.clone().requires_grad_(True)
    torch.maximum(zz, torch.zeros_like(zz)).backward(grad_out)
    return zz.grad


def bug_heaviside_one(z, grad_out):
    return grad_out * torch.heaviside(z, torch.ones((), dtype=z.dtype))


def bug_mask_on_grad(z, grad_out):
    """Masks by the sign of the incoming gradient instead of the pre-activation."""
    return grad_out * (grad_out > 0)


def bug_leaky(z, grad_out):
    """LeakyReLU's gradient (0.01 for z < 0)."""
    return torch.where(z > 0, grad_out, 0.01 * grad_out)


def bug_sign(z, grad_out):
    """sign(z) as the derivative: −1 for negative z."""
    return grad_out * torch.sign(z)


def iface_float_mask(z, grad_out):
    """The mask as float32 and the product cast back down."""
    return grad_out.float() * (z > 0).float()
