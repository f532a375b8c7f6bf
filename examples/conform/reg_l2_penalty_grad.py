"""Independent implementations of the ``reg.l2.penalty-grad`` contract, right and wrong.

    fn(theta, lam) -> d      the gradient of the L2 penalty (λ/2)‖θ‖² alone: λθ

theta has any shape. ``ok_*`` must conform; ``bug_*`` must be rejected.
"""

import numpy as np
import torch

CLAIM = "reg.l2.penalty-grad"


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_manual(theta, lam):
    return lam * theta


def ok_autograd(theta, lam):
    """Differentiate (λ/2)‖θ‖² with autograd."""
    p = theta.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(lam / 2 * (p * p).sum(), p)
    return g


def ok_numpy(theta, lam):
    """A numpy penalty (arrays in, arrays out: conform detects it)."""
    return lam * np.asarray(theta)


def ok_torch_mul(theta, lam):
    return torch.mul(theta, lam)


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_two_lambda(theta, lam):
    """The gradient of λ‖θ‖² (no 1/2): 2λθ."""
    return 2 * lam * theta


def bug_wrong_sign(theta, lam):
    """The gradient of −R."""
    return -lam * theta


def bug_l1_gradient(theta, lam):
    return lam * torch.sign(theta)


def bug_half(theta, lam):
    """The 1/2 kept, the 2 of θ² dropped."""
    return lam / 2 * theta


def bug_lambda_ignored(theta, lam):
    return theta


def bug_float32_intermediate(theta, lam):
    """Computed in float32, returned as float64: loses ~8 digits."""
    return (theta.float() * lam).double()


def iface_float32(theta, lam):
    return (lam * theta).float()
