"""Independent implementations of the ``reg.l1.penalty-grad`` contract, right and wrong.

    fn(theta, lam) -> d      the (sub)gradient of the L1 penalty λ‖θ‖₁ alone: λ·sign θ, sign(0) = 0

theta has any shape. ``ok_*`` must conform; ``bug_*`` must be rejected.
"""

import numpy as np
import torch

CLAIM = "reg.l1.penalty-grad"


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_manual(theta, lam):
    return lam * torch.sign(theta)


def ok_autograd(theta, lam):
    """Differentiate λΣ|θ| with autograd (abs' at 0 is 0)."""
    p = theta.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(lam * p.abs().sum(), p)
    return g


def ok_numpy(theta, lam):
    """np.sign(0) = 0 too."""
    return lam * np.sign(theta)


def ok_where(theta, lam):
    """±1 and 0 are exact in any dtype (λ itself in a torch.where would be rounded to float32 first)."""
    return lam * torch.where(theta > 0, 1.0, torch.where(theta < 0, -1.0, 0.0)).to(theta.dtype)


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_sign_zero_is_one(theta, lam):
    """sign(0) = 1: a weight at exactly 0 is pushed off zero."""
    return lam * torch.where(theta >= 0, 1.0, -1.0).to(theta.dtype)


def bug_divide_by_abs(theta, lam):
    """θ/|θ|: NaN at θ == 0."""
    return lam * theta / theta.abs()


def bug_l2_gradient(theta, lam):
    return lam * theta


def bug_wrong_sign(theta, lam):
    return -lam * torch.sign(theta)


def bug_lambda_ignored(theta, lam):
    return torch.sign(theta)


def bug_tanh_smoothed(theta, lam):
    """A smooth stand-in for sign: λ·tanh(θ/0.01)."""
    return lam * torch.tanh(theta / 0.01)


def iface_returns_a_tuple(theta, lam):
    return lam * torch.sign(theta), theta
