"""L1 / L2 regularisation and weight decay: the gradient, the update, and the optimizers.

Why: "L2 regularisation = weight decay" is true for plain SGD and false for Adam. This module
writes each update out by hand beside the torch optimizer that is supposed to implement it, so
the claims in ``derivations/regularization.py`` can be checked against both.

All functions are pure: they take tensors and return new tensors, never modifying their inputs.
Every function is elementwise, so theta may have any shape; grad must have the same shape.
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = [
    "adam_l2_step",
    "adam_l2_step_manual",
    "adamw_step",
    "adamw_step_manual",
    "l1_grad",
    "l1_penalty_grad",
    "l1_update",
    "l2_grad",
    "l2_penalty_grad",
    "l2_update",
    "l2_update_shrink",
    "sgd_weight_decay_step",
    "soft_threshold_update",
]


def _check(theta: Tensor, grad: Tensor, lam: float) -> None:
    assert theta.shape == grad.shape, f"theta {tuple(theta.shape)} vs grad {tuple(grad.shape)}"
    assert lam >= 0, f"regularisation strength must be >= 0, got lam={lam}"


# ---------------------------------------------------------------------------------------------
# Gradients of the penalised loss
# ---------------------------------------------------------------------------------------------


def l1_grad(theta: Tensor, grad_loss: Tensor, lam: float) -> Tensor:
    """d/dtheta [ L + lam * ||theta||_1 ] = dL/dtheta + lam * sign(theta).

    |theta| is not differentiable at 0; we use the subgradient sign(0) = 0 (torch.sign), which is
    also what autograd returns for torch.abs at 0.
    """
    _check(theta, grad_loss, lam)
    return grad_loss + lam * torch.sign(theta)


def l2_grad(theta: Tensor, grad_loss: Tensor, lam: float) -> Tensor:
    """d/dtheta [ L + (lam/2) * ||theta||_2^2 ] = dL/dtheta + lam * theta.

    Note the 1/2 in the penalty: without it the gradient is 2*lam*theta.
    """
    _check(theta, grad_loss, lam)
    return grad_loss + lam * theta


def l1_penalty_grad(theta: Tensor, lam: float) -> Tensor:
    """d/dtheta [ lam * ||theta||_1 ] = lam * sign(theta), sign(0) = 0: the penalty's (sub)gradient alone.

    What penalty objects compute (ML-From-Scratch's ``l1_regularization.grad(w)``); the training loop adds it
    to the loss gradient (l1_grad).
    """
    assert lam >= 0, f"regularisation strength must be >= 0, got lam={lam}"
    return lam * torch.sign(theta)


def l2_penalty_grad(theta: Tensor, lam: float) -> Tensor:
    """d/dtheta [ (lam/2) * ||theta||_2^2 ] = lam * theta: the penalty's gradient alone (see l2_grad)."""
    assert lam >= 0, f"regularisation strength must be >= 0, got lam={lam}"
    return lam * theta


# ---------------------------------------------------------------------------------------------
# One SGD step on the penalised loss
# ---------------------------------------------------------------------------------------------


def l1_update(theta: Tensor, grad: Tensor, lr: float, lam: float) -> Tensor:
    """theta' = theta - lr * (g + lam * sign(theta)).

    Subgradient step: every nonzero weight moves lr*lam towards 0, but it can overshoot and change
    sign (compare soft_threshold_update, which lands exactly on 0).
    """
    _check(theta, grad, lam)
    return theta - lr * (grad + lam * torch.sign(theta))


def l2_update(theta: Tensor, grad: Tensor, lr: float, lam: float) -> Tensor:
    """theta' = theta - lr * (g + lam * theta): one SGD step on L + (lam/2)||theta||^2."""
    _check(theta, grad, lam)
    return theta - lr * (grad + lam * theta)


def l2_update_shrink(theta: Tensor, grad: Tensor, lr: float, lam: float) -> Tensor:
    """theta' = (1 - lr*lam) * theta - lr * g: the same step rearranged as "weight decay".

    Algebraically equal to l2_update; in floating point the two differ by rounding (a few ulp),
    because the operations happen in another order.
    """
    _check(theta, grad, lam)
    return (1 - lr * lam) * theta - lr * grad


def soft_threshold_update(theta: Tensor, grad: Tensor, lr: float, lam: float) -> Tensor:
    """Proximal-gradient (ISTA) step for L + lam * ||theta||_1.

        u      = theta - lr * g                          (gradient step on L alone)
        theta' = sign(u) * max(|u| - lr*lam, 0)          (prox of lr*lam*||.||_1)

    Unlike l1_update, weights with |u| <= lr*lam become exactly 0: this is where sparsity comes
    from.
    built-in: F.softshrink(u, lambd=lr*lam) computes the same prox.
    """
    _check(theta, grad, lam)
    assert lr > 0, f"learning rate must be > 0, got lr={lr}"
    u = theta - lr * grad
    return torch.sign(u) * torch.clamp(u.abs() - lr * lam, min=0)


# ---------------------------------------------------------------------------------------------
# The torch optimizers, one step from a fresh state, on a clone
# ---------------------------------------------------------------------------------------------


def _one_step(opt_cls, theta: Tensor, grad: Tensor, **kwargs) -> Tensor:
    """Run one step of ``opt_cls`` on a detached clone of theta with .grad = grad; return it."""
    p = theta.detach().clone().requires_grad_(True)
    p.grad = grad.detach().clone()
    opt = opt_cls([p], **kwargs)
    opt.step()
    return p.detach()


def sgd_weight_decay_step(theta: Tensor, grad: Tensor, lr: float, lam: float) -> Tensor:
    """One step of torch.optim.SGD(lr=lr, weight_decay=lam) (no momentum).

    torch computes g' = g + lam*theta, then theta - lr*g': algebraically l2_update. Measured
    (torch 2.13 CPU, float64): it matches neither l2_update nor l2_update_shrink bit for bit
    (~12% / ~33% of entries differ), only theta.add(grad.add(theta, alpha=lam), alpha=-lr)
    reproduces it exactly. The difference is <= ~1.8 eps * (|theta| + lr*|g| + lr*lam*|theta|):
    scale the tolerance by the magnitudes the update adds up, not by the result, which can be near
    0 after cancellation. The lr*lam*|theta| term matters for lr*lam >> 1: relative to
    |theta| + lr*|g| alone the difference reached ~355 eps at lr*lam ~ 1e3 (measured).
    """
    _check(theta, grad, lam)
    return _one_step(torch.optim.SGD, theta, grad, lr=lr, weight_decay=lam)


# Adam vs AdamW, first step (t = 1) from a fresh state (m_0 = v_0 = 0):
#
#   Adam + L2 ("weight_decay" in torch.optim.Adam)    AdamW (decoupled weight decay)
#   g'     = g + lam * theta                          theta~ = (1 - lr*lam) * theta
#   m_1    = (1 - b1) g'                              m_1    = (1 - b1) g
#   v_1    = (1 - b2) g'^2                            v_1    = (1 - b2) g^2
#   m^     = m_1 / (1 - b1)      = g'                 m^     = g
#   v^     = v_1 / (1 - b2)      = g'^2               v^     = g^2
#   theta' = theta - lr m^ / (sqrt(v^) + eps)         theta' = theta~ - lr m^ / (sqrt(v^) + eps)
#
# With Adam + L2, the decay term lam*theta goes through the adaptive normalisation: on the first
# step the whole update is ~ lr * sign(g + lam*theta), so the decay is divided by sqrt(v^) and
# weights with large gradients are barely decayed. AdamW shrinks every weight by the same factor
# (1 - lr*lam), independent of the gradient scale. Only the AdamW form equals "weight decay".
# torch applies eps after the bias correction of sqrt(v): denom = sqrt(v_1)/sqrt(1 - b2) + eps.
# Measured (float64): the manual forms match torch to <= ~2.1 eps * ((1 + lr*lam)*|theta| + lr), not bit
# for bit (the lr*lam*|theta| term matters for AdamW when lr*lam is large).


def _adam_first_step(theta: Tensor, g: Tensor, lr: float, betas, eps: float) -> Tensor:
    b1, b2 = betas
    m = (1 - b1) * g  # first moment  m_1
    v = (1 - b2) * g * g  # second moment v_1
    m_hat = m / (1 - b1)  # bias correction, t = 1
    denom = v.sqrt() / (1 - b2) ** 0.5 + eps  # sqrt(v_hat) + eps, torch's order
    return theta - lr * m_hat / denom


def adam_l2_step(
    theta: Tensor, grad: Tensor, lr: float, lam: float, *, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8
) -> Tensor:
    """One step of torch.optim.Adam(lr=lr, betas=betas, eps=eps, weight_decay=lam), fresh state."""
    _check(theta, grad, lam)
    return _one_step(torch.optim.Adam, theta, grad, lr=lr, betas=betas, eps=eps, weight_decay=lam)


def adam_l2_step_manual(
    theta: Tensor, grad: Tensor, lr: float, lam: float, *, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8
) -> Tensor:
    """Manual first Adam step with L2 folded into the gradient: g' = g + lam*theta, then Adam."""
    _check(theta, grad, lam)
    g = grad + lam * theta
    return _adam_first_step(theta, g, lr, betas, eps)


def adamw_step(
    theta: Tensor, grad: Tensor, lr: float, lam: float, *, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8
) -> Tensor:
    """One step of torch.optim.AdamW(lr=lr, betas=betas, eps=eps, weight_decay=lam), fresh state."""
    _check(theta, grad, lam)
    return _one_step(torch.optim.AdamW, theta, grad, lr=lr, betas=betas, eps=eps, weight_decay=lam)


def adamw_step_manual(
    theta: Tensor, grad: Tensor, lr: float, lam: float, *, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8
) -> Tensor:
    """Manual first AdamW step: theta~ = theta*(1 - lr*lam), then the Adam step on the raw g."""
    _check(theta, grad, lam)
    shrunk = theta * (1 - lr * lam)
    return _adam_first_step(shrunk, grad, lr, betas, eps)
