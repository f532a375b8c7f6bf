"""BatchNorm, LayerNorm and RMSNorm from scratch, written to be read beside proofs/batchnorm.md (RMSNorm:
proofs/rmsnorm.md).

BatchNorm (Ioffe & Szegedy 2015), per channel c over the m = N (or N·H·W) values of a batch:

    μ_B = (1/m) Σ x_i          σ²_B = (1/m) Σ (x_i − μ_B)²      (biased: divide by m)
    x̂_i = (x_i − μ_B) / √(σ²_B + ε)                               (ε inside the root)
    y_i = γ x̂_i + β

LayerNorm (Ba et al. 2016) uses the same formulas per *sample*, over its features. RMSNorm (Zhang &
Sennrich 2019) does not centre and has no β: y_k = γ_k · x_k / √(mean(x²) + ε), over the last axis.
Built-ins: ``F.batch_norm`` / ``nn.BatchNorm1d/2d``, ``F.layer_norm`` / ``nn.LayerNorm``, ``F.rms_norm`` /
``nn.RMSNorm``.
"""

from __future__ import annotations

import torch

__all__ = [
    "rms_norm",
    "reduce_dims",
    "batch_norm",
    "batch_norm_backward",
    "running_stats_update",
    "batch_norm_eval",
    "layer_norm",
    "layer_norm_backward",
]


def reduce_dims(x: torch.Tensor) -> tuple[int, ...]:
    """The axes BatchNorm averages over: every axis but the channel axis 1."""
    assert x.dim() >= 2, f"BatchNorm needs [N, C, ...] input, got shape {tuple(x.shape)}"
    return (0, *range(2, x.dim()))


def _per_channel(v: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return v.reshape(1, -1, *([1] * (x.dim() - 2)))  # [C] -> [1, C, 1, ...] to broadcast


def batch_norm(x: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, eps: float) -> torch.Tensor:
    """Training-mode BatchNorm. x: [N, C] or [N, C, H, W]; gamma, beta: [C].

    Built-in: ``F.batch_norm(x, None, None, gamma, beta, training=True, eps=eps)``.
    """
    dims = reduce_dims(x)
    mu = x.mean(dim=dims, keepdim=True)  # [N, C, H, W] -> [1, C, 1, 1]
    var = ((x - mu) ** 2).mean(dim=dims, keepdim=True)  # biased: / m, not / (m - 1)
    x_hat = (x - mu) / torch.sqrt(var + eps)  # ε inside the root
    return _per_channel(gamma, x) * x_hat + _per_channel(beta, x)


def batch_norm_backward(
    x: torch.Tensor, gamma: torch.Tensor, eps: float, grad_out: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(∂L/∂x, ∂L/∂γ, ∂L/∂β) given g = ∂L/∂y, in the compact form proved in bn.backward:

    ∂L/∂x_k = γ / (m √(σ² + ε)) · (m g_k − Σ g_i − x̂_k Σ g_i x̂_i)
    ∂L/∂γ = Σ g_i x̂_i        ∂L/∂β = Σ g_i
    """
    dims = reduce_dims(x)
    m = x.numel() // x.shape[1]  # values per channel
    mu = x.mean(dim=dims, keepdim=True)  # [1, C, 1, 1]
    inv_std = torch.rsqrt(((x - mu) ** 2).mean(dim=dims, keepdim=True) + eps)  # [1, C, 1, 1]
    x_hat = (x - mu) * inv_std  # [N, C, H, W]
    sum_g = grad_out.sum(dim=dims, keepdim=True)  # [1, C, 1, 1]
    sum_gx = (grad_out * x_hat).sum(dim=dims, keepdim=True)  # [1, C, 1, 1]
    dx = _per_channel(gamma, x) * inv_std / m * (m * grad_out - sum_g - x_hat * sum_gx)
    return dx, sum_gx.flatten(), sum_g.flatten()  # [1, C, 1, 1] -> [C]


def running_stats_update(
    running_mean: torch.Tensor, running_var: torch.Tensor, x: torch.Tensor, momentum: float
) -> tuple[torch.Tensor, torch.Tensor]:
    """One training step's update of the running statistics, as nn.BatchNorm does it:

    running ← (1 − momentum)·running + momentum·batch,   batch variance *unbiased*: m/(m−1)·σ²_B
    """
    dims = reduce_dims(x)
    m = x.numel() // x.shape[1]
    assert m > 1, "the unbiased variance needs m > 1 values per channel (torch raises ValueError)"
    mu = x.mean(dim=dims)  # [C]
    var_unbiased = ((x - _per_channel(mu, x)) ** 2).sum(dim=dims) / (m - 1)  # [C]
    new_mean = (1 - momentum) * running_mean + momentum * mu
    new_var = (1 - momentum) * running_var + momentum * var_unbiased
    return new_mean, new_var


def batch_norm_eval(
    x: torch.Tensor,
    running_mean: torch.Tensor,
    running_var: torch.Tensor,
    gamma: torch.Tensor,
    beta: torch.Tensor,
    eps: float,
) -> torch.Tensor:
    """Eval-mode BatchNorm: the running statistics replace the batch's."""
    x_hat = (x - _per_channel(running_mean, x)) / torch.sqrt(_per_channel(running_var, x) + eps)
    return _per_channel(gamma, x) * x_hat + _per_channel(beta, x)


def layer_norm(x: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, eps: float) -> torch.Tensor:
    """LayerNorm over the last axis. x: [N, D]; gamma, beta: [D].

    Each sample is normalized over its own D features: no statistic crosses the batch.
    Built-in: ``F.layer_norm(x, (D,), gamma, beta, eps)``.
    """
    mu = x.mean(dim=-1, keepdim=True)  # [N, D] -> [N, 1]
    var = ((x - mu) ** 2).mean(dim=-1, keepdim=True)  # [N, 1], biased
    return gamma * (x - mu) / torch.sqrt(var + eps) + beta  # [D] broadcasts over [N, D]


def layer_norm_backward(
    grad_out: torch.Tensor, x: torch.Tensor, gamma: torch.Tensor, eps: float
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(∂L/∂x, ∂L/∂γ, ∂L/∂β) of layer_norm given g = ∂L/∂y, in the form proved in ln.backward:

    ∂L/∂x_k = 1/(D √(σ² + ε)) · (D ĝ_k − Σ ĝ_i − x̂_k Σ ĝ_i x̂_i),  ĝ = g·γ   (per sample, over its D features)
    ∂L/∂γ = Σ_batch g x̂        ∂L/∂β = Σ_batch g
    x, grad_out: [N, D]; gamma: [D].
    """
    d = x.shape[-1]
    mu = x.mean(dim=-1, keepdim=True)  # [N, 1]
    inv_std = torch.rsqrt(((x - mu) ** 2).mean(dim=-1, keepdim=True) + eps)  # [N, 1]
    x_hat = (x - mu) * inv_std  # [N, D]
    g_hat = grad_out * gamma  # [N, D]: ∂L/∂x̂
    sum_g = g_hat.sum(dim=-1, keepdim=True)  # [N, 1]
    sum_gx = (g_hat * x_hat).sum(dim=-1, keepdim=True)  # [N, 1]
    dx = inv_std / d * (d * g_hat - sum_g - x_hat * sum_gx)  # [N, D]
    return dx, (grad_out * x_hat).sum(0), grad_out.sum(0)  # [N, D] -> [D]


def rms_norm(x: torch.Tensor, gamma: torch.Tensor, eps: float) -> torch.Tensor:
    """RMSNorm over the last axis (no centring, ε inside the root). x: [N, D]; gamma: [D]."""
    ms = (x * x).mean(dim=-1, keepdim=True)  # [N, D] -> [N, 1]
    return gamma * x * torch.rsqrt(ms + eps)  # [D] broadcasts over [N, D]
