"""Adam's moment estimates, bias correction, the step-size bounds, and linear warmup.

Why: seed 000 §2.6–2.7 credits Adam with controlling the update scale and warmup with taming
early steps; Kingma & Ba §2.1 bound the step. These are the readable versions next to
torch.optim.Adam and torch.optim.lr_scheduler.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

__all__ = ["adam_updates", "adam_trajectory", "adamw_trajectory", "kingma_bound", "tight_ratio", "linear_warmup"]


def adam_updates(grads: Tensor, lr: float, beta1: float, beta2: float, eps: float) -> Tensor:
    """Δθ_t = −lr·m̂_t/(√v̂_t + ε) for each step; grads [T, P] -> updates [T, P].

    m_t = β₁m + (1−β₁)g, v_t = β₂v + (1−β₂)g², m̂ = m/(1−β₁^t), v̂ = v/(1−β₂^t) (torch's order:
    ε is added to √v̂, after the bias correction). built-in: torch.optim.Adam.
    """
    m = torch.zeros_like(grads[0])
    v = torch.zeros_like(grads[0])
    out = []
    for t, g in enumerate(grads, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        out.append(-lr * m_hat / (v_hat.sqrt() + eps))
    return torch.stack(out)  # [T, P]


def kingma_bound(lr: float, beta1: float, beta2: float) -> float:
    """Kingma & Ba §2.1: lr·(1−β₁)/√(1−β₂) if (1−β₁) > √(1−β₂), else lr."""
    return lr * (1 - beta1) / math.sqrt(1 - beta2) if (1 - beta1) > math.sqrt(1 - beta2) else lr


def tight_ratio(t: int, beta1: float, beta2: float) -> float:
    """max over gradient sequences of |m̂_t|/√v̂_t (Cauchy–Schwarz, attained at g_s ∝ (β₁/β₂)^(t−s)):

    (1−β₁)/(1−β₁^t) · √((1−β₂^t)/(1−β₂)) · √(Σ_{u<t} γ^u),  γ = β₁²/β₂.
    """
    gamma = beta1**2 / beta2
    geo = t if gamma == 1 else (1 - gamma**t) / (1 - gamma)
    return (1 - beta1) / (1 - beta1**t) * math.sqrt((1 - beta2**t) / (1 - beta2)) * math.sqrt(geo)


def linear_warmup(step: int, warmup: int) -> float:
    """Multiplier of the base lr at 0-based ``step``: (step + 1)/warmup for step < warmup, then 1.

    built-in: torch.optim.lr_scheduler.LinearLR(opt, start_factor=1/warmup, total_iters=warmup − 1).
    """
    return min(1.0, (step + 1) / warmup)


def _adam_steps(
    theta0: Tensor,
    grads: Tensor,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    weight_decay: float,
    *,
    decoupled: bool,
) -> Tensor:
    theta = theta0.clone()
    m = torch.zeros_like(theta)
    v = torch.zeros_like(theta)
    for t, g in enumerate(grads, start=1):
        if decoupled:
            theta = theta * (1 - lr * weight_decay)  # AdamW: decay θ itself, outside the adaptive step
        else:
            g = g + weight_decay * theta  # Adam: L2, λθ added to the gradient (it is then normalised too)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        theta = theta - lr * m_hat / (v_hat.sqrt() + eps)
    return theta


def adam_trajectory(
    theta0: Tensor, grads: Tensor, lr: float, beta1: float, beta2: float, eps: float, weight_decay: float
) -> Tensor:
    """θ_T after T steps of torch.optim.Adam's rule from zero state; theta0 [P], grads [T, P] -> [P].

    g ← g + λθ (weight_decay is L2: coupled, it passes through the normalisation), m, v, m̂, v̂ as in
    :func:`adam_updates`, θ ← θ − lr·m̂/(√v̂ + ε). built-in: torch.optim.Adam(weight_decay=λ).
    """
    return _adam_steps(theta0, grads, lr, beta1, beta2, eps, weight_decay, decoupled=False)


def adamw_trajectory(
    theta0: Tensor, grads: Tensor, lr: float, beta1: float, beta2: float, eps: float, weight_decay: float
) -> Tensor:
    """θ_T after T steps of torch.optim.AdamW's rule from zero state; theta0 [P], grads [T, P] -> [P].

    θ ← θ(1 − lr·λ) first (decoupled decay, Loshchilov & Hutter), then the Adam step on the plain g.
    built-in: torch.optim.AdamW(weight_decay=λ).
    """
    return _adam_steps(theta0, grads, lr, beta1, beta2, eps, weight_decay, decoupled=True)
