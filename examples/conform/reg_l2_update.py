"""Independent implementations of the ``reg.l2.update`` contract, right and wrong.

    fn(theta, grad, lr, lam) -> theta_new      one SGD step on L + (λ/2)‖θ‖²: θ − lr(grad + λθ)

theta and grad have any (equal) shape. ``ok_*`` must conform; ``bug_*`` must be rejected.
"""

import torch

CLAIM = "reg.l2.update"


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_manual(theta, grad, lr, lam):
    return theta - lr * (grad + lam * theta)


def ok_shrink_form(theta, grad, lr, lam):
    """The seed's rearrangement: shrink by (1 − lr·λ), then the plain gradient step."""
    return (1 - lr * lam) * theta - lr * grad


def ok_sgd_weight_decay(theta, grad, lr, lam):
    """torch.optim.SGD(weight_decay=λ) adds λθ to the gradient: the same step."""
    p = theta.clone().requires_grad_(True)
    p.grad = grad.clone()
    torch.optim.SGD([p], lr=lr, weight_decay=lam).step()
    return p.detach()


def ok_autograd(theta, grad, lr, lam):
    """Differentiate ⟨grad, θ⟩ + (λ/2)‖θ‖² with autograd and take the step."""
    p = theta.clone().requires_grad_(True)
    loss = (grad * p).sum() + lam / 2 * (p * p).sum()
    (g,) = torch.autograd.grad(loss, p)
    return theta - lr * g


def ok_in_place_on_a_copy(theta, grad, lr, lam):
    out = theta.clone()
    out.mul_(1 - lr * lam).add_(grad, alpha=-lr)
    return out


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_two_lambda(theta, grad, lr, lam):
    """Gradient of λ‖θ‖² (no 1/2): 2λθ."""
    return theta - lr * (grad + 2 * lam * theta)


def bug_decay_without_lr(theta, grad, lr, lam):
    """Weight decay not multiplied by the learning rate: (1 − λ)θ − lr·g."""
    return (1 - lam) * theta - lr * grad


def bug_wrong_sign(theta, grad, lr, lam):
    return (1 - lr * lam) * theta + lr * grad


def bug_decay_after_step(theta, grad, lr, lam):
    """Decays the already-updated weights: (1 − lr·λ)(θ − lr·g)."""
    return (1 - lr * lam) * (theta - lr * grad)


def bug_adamw_style_lambda_only(theta, grad, lr, lam):
    """Decoupled decay with λ alone as the factor: θ − lr·g − λθ."""
    return theta - lr * grad - lam * theta


def iface_float32(theta, grad, lr, lam):
    return (theta - lr * (grad + lam * theta)).float()
