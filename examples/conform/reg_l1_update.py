"""Independent implementations of the ``reg.l1.update`` contract, right and wrong.

    fn(theta, grad, lr, lam) -> theta_new      θ − lr(grad + λ·sign θ), with sign(0) = 0

``ok_*`` must conform; ``bug_*`` must be rejected (most only differ where θ == 0 exactly).
"""

import torch

CLAIM = "reg.l1.update"


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_manual(theta, grad, lr, lam):
    return theta - lr * (grad + lam * torch.sign(theta))


def ok_where(theta, grad, lr, lam):
    s = torch.where(theta > 0, 1.0, torch.where(theta < 0, -1.0, 0.0)).to(theta.dtype)
    return theta - lr * (grad + lam * s)


def ok_autograd_abs(theta, grad, lr, lam):
    """autograd of |θ| is sign(θ), with 0 at 0."""
    p = theta.clone().requires_grad_(True)
    loss = (grad * p).sum() + lam * p.abs().sum()
    (g,) = torch.autograd.grad(loss, p)
    return theta - lr * g


def ok_sgd_on_penalized_loss(theta, grad, lr, lam):
    p = theta.clone().requires_grad_(True)
    opt = torch.optim.SGD([p], lr=lr)
    ((grad * p).sum() + lam * torch.linalg.vector_norm(p.flatten(), 1)).backward()
    opt.step()
    return p.detach()


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_sign_zero_is_one(theta, grad, lr, lam):
    """sign(0) = 1: a weight at exactly 0 is pushed to −lr·λ."""
    s = torch.where(theta >= 0, 1.0, -1.0).to(theta.dtype)
    return theta - lr * (grad + lam * s)


def bug_sign_by_division(theta, grad, lr, lam):
    """sign θ = θ/|θ|: 0/0 = NaN at θ == 0."""
    return theta - lr * (grad + lam * theta / theta.abs())


def bug_autograd_sqrt_square(theta, grad, lr, lam):
    """|θ| written as √(θ²): autograd gives 0·∞ = NaN at θ == 0."""
    p = theta.clone().requires_grad_(True)
    loss = (grad * p).sum() + lam * torch.sqrt(p * p).sum()
    (g,) = torch.autograd.grad(loss, p)
    return theta - lr * g


def bug_soft_threshold(theta, grad, lr, lam):
    """The proximal (ISTA) step: a different algorithm, it clips at 0 instead of overshooting."""
    u = theta - lr * grad
    return torch.sign(u) * torch.clamp(u.abs() - lr * lam, min=0)


def bug_decay_without_lr(theta, grad, lr, lam):
    return theta - lr * grad - lam * torch.sign(theta)


def bug_l2_instead(theta, grad, lr, lam):
    return theta - lr * (grad + lam * theta)
