"""Independent implementations of the ``adamw.decoupled`` contract, right and wrong.

    fn(theta0[P], grads[T, P], lr, beta1, beta2, eps, weight_decay) -> theta_T[P]

T steps of torch.optim.AdamW's rule from zero state: θ ← θ(1 − lr·λ), then Adam's step on the plain
gradient. Optimizer classes run by the contract's optimizer convention (see adam_update.py).
``ok_*`` must conform; ``bug_*`` must be rejected.
"""

import torch

CLAIM = "adamw.decoupled"


def _adamw(theta0, grads, lr, beta1, beta2, eps, weight_decay, **bug):
    theta = theta0.clone()
    m = torch.zeros_like(theta)
    v = torch.zeros_like(theta)
    for t, g in enumerate(grads, start=1):
        if bug.get("as_l2"):
            g = g + weight_decay * theta
        elif not bug.get("decay_after"):
            theta = theta - lr * weight_decay * theta
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        if bug.get("no_correction"):
            m_hat, v_hat = m, v
        else:
            m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        theta = theta - lr * m_hat / (v_hat.sqrt() + eps)
        if bug.get("decay_after"):
            theta = theta - lr * weight_decay * theta  # decays the already-updated θ
    return theta


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_manual(theta0, grads, lr, beta1, beta2, eps, weight_decay):
    return _adamw(theta0, grads, lr, beta1, beta2, eps, weight_decay)


def ok_decay_as_multiplication(theta0, grads, lr, beta1, beta2, eps, weight_decay):
    """The decay written (1 − lr·λ)·θ and the moments with lerp, as torch's for-loop code does."""
    theta, m, v = theta0.clone(), torch.zeros_like(theta0), torch.zeros_like(theta0)
    for t, g in enumerate(grads, start=1):
        theta = theta * (1 - lr * weight_decay)
        m = m.lerp(g, 1 - beta1)
        v = v * beta2 + (1 - beta2) * g * g
        denom = v.sqrt() / (1 - beta2**t) ** 0.5 + eps
        theta = theta - (lr / (1 - beta1**t)) * m / denom
    return theta


ok_torch_class = torch.optim.AdamW  # the class itself, stepped by the contract's optimizer convention


def ok_torch_for_loop(theta0, grads, lr, beta1, beta2, eps, weight_decay):
    p = torch.nn.Parameter(theta0.clone())
    opt = torch.optim.AdamW([p], lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=weight_decay, foreach=False)
    for g in grads:
        p.grad = g.clone()
        opt.step()
    return p.detach()


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_as_l2(theta0, grads, lr, beta1, beta2, eps, weight_decay):
    """λθ added to the gradient: that is Adam(weight_decay=λ), not AdamW."""
    return _adamw(theta0, grads, lr, beta1, beta2, eps, weight_decay, as_l2=True)


bug_torch_adam_class = torch.optim.Adam  # the same mistake, as a class: Adam's weight_decay is L2


def bug_decay_after_step(theta0, grads, lr, beta1, beta2, eps, weight_decay):
    return _adamw(theta0, grads, lr, beta1, beta2, eps, weight_decay, decay_after=True)


def bug_no_bias_correction(theta0, grads, lr, beta1, beta2, eps, weight_decay):
    return _adamw(theta0, grads, lr, beta1, beta2, eps, weight_decay, no_correction=True)


def bug_betas_swapped(theta0, grads, lr, beta1, beta2, eps, weight_decay):
    return _adamw(theta0, grads, lr, beta2, beta1, eps, weight_decay)


def bug_decay_without_lr(theta0, grads, lr, beta1, beta2, eps, weight_decay):
    """θ ← θ(1 − λ): the decay not scaled by the learning rate (the AdamW paper's schedule multiplier, misread)."""
    theta = _adamw(theta0, grads, lr, beta1, beta2, eps, 0.0)
    return theta * (1 - weight_decay) ** grads.shape[0] if weight_decay else theta


# ── cannot be called as the contract calls it ──────────────────────────────────────────────
def iface_float32(theta0, grads, lr, beta1, beta2, eps, weight_decay):
    return _adamw(theta0, grads, lr, beta1, beta2, eps, weight_decay).float()
