"""Causal and padding masks for self-attention, additive (0 / −inf) as the Transformer writes them.

Why: seed 001 Q14/Q16 says the causal mask sets positions i+1..n to −inf so that position i
cannot see later tokens, and that padding masks make padded tokens irrelevant. These build the
masks; the claims check them with autograd Jacobians against F.scaled_dot_product_attention.
"""

from __future__ import annotations

import torch
from dlproofs.impl.positional import self_attention
from torch import Tensor

__all__ = ["causal_additive_mask", "padding_additive_mask", "masked_self_attention"]


def causal_additive_mask(n: int) -> Tensor:
    """M[i, j] = −inf for j > i (the strict upper triangle), 0 elsewhere -> [n, n].

    built-in: F.scaled_dot_product_attention(..., is_causal=True); nn.Transformer.generate_square_subsequent_mask(n).
    """
    return torch.zeros(n, n, dtype=torch.float64).masked_fill(
        torch.ones(n, n, dtype=torch.bool).triu(1), float("-inf")
    )  # [n, n]


def padding_additive_mask(valid: Tensor) -> Tensor:
    """valid [n] bool (True = real token) -> [1, n] additive mask: −inf on padded keys, every query."""
    return torch.zeros(1, len(valid), dtype=torch.float64).masked_fill(~valid[None, :], float("-inf"))


def masked_self_attention(x: Tensor, w_q: Tensor, w_k: Tensor, w_v: Tensor, mask: Tensor) -> Tensor:
    """self_attention with an additive mask; x [n, d] -> [n, d_v]."""
    return self_attention(x, w_q, w_k, w_v, mask)
