"""Weight tying: one [V, d] matrix E used as the input embedding and as the output projection.

Why: seed 002 says the Transformer shares the embedding with the output (pre-softmax) layer. With
E shared, the gradient autograd accumulates into E is the sum of what the two uses would get
separately: Sᵀ·∂L/∂X (the embedded rows) + (∂L/∂Z)ᵀ·H (the output layer), S the one-hot tokens.
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["TiedLM", "tied_grad_formula"]


class TiedLM(torch.nn.Module):
    """tokens [B, n] -> logits [B, n, V]: embed (E), tanh layer, project back with Eᵀ (tied) or W."""

    def __init__(self, vocab: int, d: int, *, tied: bool = True, dtype: torch.dtype = torch.float64) -> None:
        super().__init__()
        self.embed = torch.nn.Embedding(vocab, d, dtype=dtype)  # E [V, d]
        self.hidden = torch.nn.Linear(d, d, dtype=dtype)
        self.out = torch.nn.Linear(d, vocab, bias=False, dtype=dtype)  # weight [V, d]
        if tied:
            self.out.weight = self.embed.weight  # one Parameter, two uses

    def forward(self, tokens: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        x = self.embed(tokens)  # [B, n] -> [B, n, d]
        h = torch.tanh(self.hidden(x))  # [B, n, d]
        z = self.out(h)  # [B, n, d] @ [d, V] -> [B, n, V]
        return x, h, z


def tied_grad_formula(tokens: Tensor, vocab: int, g_x: Tensor, h: Tensor, g_z: Tensor) -> Tensor:
    """Sᵀ g_x + g_zᵀ h: tokens [B, n], g_x [B, n, d], h [B, n, d], g_z [B, n, V] -> [V, d]."""
    d = h.shape[-1]
    s = torch.nn.functional.one_hot(tokens.reshape(-1), vocab).to(h.dtype)  # [B·n, V]
    return s.T @ g_x.reshape(-1, d) + g_z.reshape(-1, vocab).T @ h.reshape(-1, d)  # [V, d]
