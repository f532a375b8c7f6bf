"""Softmax over the last axis, its Jacobian-vector product, and the softmax-cross-entropy gradient.

Why: issue 12's softmax contracts (``softmax.forward``, ``softmax.jvp``, ``xent.grad``,
``xent.grad-sum``) need a readable reference each, next to the torch built-in it matches.
Every function subtracts the row maximum before exponentiating: exact by shift invariance
(``softmax.forward``), and what keeps e^z from overflowing for logits above ~709 (float64).
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["softmax", "softmax_jvp", "xent_grad"]


def softmax(z: Tensor) -> Tensor:
    """p = e^{z − max z} / Σ e^{z − max z} over the last axis; z [..., K] -> p [..., K].

    built-in: torch.softmax(z, dim=-1).
    """
    shifted = z - z.amax(dim=-1, keepdim=True)  # [..., K] - [..., 1]: every exponent <= 0, the largest exactly 0
    e = torch.exp(shifted)  # [..., K], in (0, 1]
    return e / e.sum(dim=-1, keepdim=True)  # [..., K] / [..., 1]: the sum is >= 1, never 0


def softmax_jvp(z: Tensor, v: Tensor) -> Tensor:
    """J v = p ⊙ (v − ⟨p, v⟩) per row, J = diag(p) − p pᵀ; z, v [..., K] -> [..., K].

    J is symmetric, so this is also the vector-Jacobian product softmax's backward computes.
    built-in: torch.func.jvp(lambda t: torch.softmax(t, -1), (z,), (v,))[1].
    """
    p = softmax(z)  # [..., K]
    dot = (p * v).sum(dim=-1, keepdim=True)  # ⟨p, v⟩ per row: [..., K] -> [..., 1]
    return p * (v - dot)  # [..., K] * ([..., K] - [..., 1])


def xent_grad(z: Tensor, y: Tensor, reduction: str = "mean") -> Tensor:
    """∂/∂z of cross_entropy(z, y): (softmax(z) − onehot(y)) / N for the mean, without /N for the sum.

    z [N, K] logits, y [N] int64 class indices in 0..K−1 -> dz [N, K].
    built-in: autograd of F.cross_entropy(z, y, reduction=reduction).
    """
    assert reduction in ("mean", "sum"), f"reduction must be 'mean' or 'sum', got {reduction!r}"
    n, k = z.shape  # [N, K]
    onehot = torch.nn.functional.one_hot(y, k).to(z.dtype)  # [N] -> [N, K]
    grad = softmax(z) - onehot  # [N, K]
    return grad / n if reduction == "mean" else grad
