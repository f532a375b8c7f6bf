"""Gradient-norm clipping written out (seed 000 §2.5, seed 003 §6.3).

Why: the seeds say clipping rescales gradients above a threshold; torch's clip_grad_norm_ does
g <- g·min(1, c/(‖g‖ + 1e-6)) with ‖g‖ the norm of all gradients together. This is the readable
version; the claims compare it with torch.nn.utils.clip_grad_norm_.
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["clip_grad_norm", "EPS"]

EPS = 1e-6  # torch adds this to the total norm before dividing


def clip_grad_norm(grads: list[Tensor], max_norm: float) -> tuple[list[Tensor], Tensor]:
    """(clipped copies, total norm): one global factor min(1, c/(‖g‖ + 1e-6)) for every tensor.

    built-in: torch.nn.utils.clip_grad_norm_(params, max_norm) (in place, returns the total norm).
    """
    total = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))  # ‖(g_1, ..., g_P)‖
    coef = torch.clamp(max_norm / (total + EPS), max=1.0)  # scalar in (0, 1]
    return [g * coef for g in grads], total
