"""Multi-head mechanics: splitting d into h heads of d/h, parameter counts, and seed 004's layer.

Why: the seeds say multi-head attention "maps the input to several groups of Q, K, V" (each head
with its own weights) and that it is done "by transpose and reshape"; these helpers make the split
explicit and count parameters, so that derivations/heads.py can show the split is a relabelling of
columns (no data lost, none added) and that h heads have exactly the single head's 4·d² weights.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

__all__ = ["split_heads", "split_heads_loop", "merge_heads", "param_count", "SeedSelfAttentionLayer"]


def split_heads(x: Tensor, num_heads: int) -> Tensor:
    """x [B, n, d] -> [B, h, n, d/h]: view(B, n, h, a), then swap n and h (seed 002: (n,h,a) -> (h,n,a))."""
    b, n, d = x.shape
    assert d % num_heads == 0, f"d={d} is not divisible by num_heads={num_heads}"
    return x.view(b, n, num_heads, d // num_heads).transpose(1, 2)  # [B, n, h, a] -> [B, h, n, a]


def split_heads_loop(x: Tensor, num_heads: int) -> Tensor:
    """The same by slicing: head i is the column block i·a .. (i+1)·a − 1 of x."""
    a = x.shape[-1] // num_heads
    return torch.stack([x[..., i * a : (i + 1) * a] for i in range(num_heads)], dim=1)  # [B, h, n, a]


def merge_heads(y: Tensor) -> Tensor:
    """[B, h, n, a] -> [B, n, h·a]: the inverse of split_heads."""
    b, h, n, a = y.shape
    return y.transpose(1, 2).reshape(b, n, h * a)  # [B, n, h, a] -> [B, n, d]


def param_count(module: torch.nn.Module) -> int:
    """Number of distinct parameter entries (shared tensors counted once, as .parameters() does)."""
    return sum(p.numel() for p in module.parameters())


class SeedSelfAttentionLayer(torch.nn.Module):
    """Seed 004's multi-head self-attention, transcribed (its line breaks restored, code unchanged).

    Three bias-free [d_model, d_model] projections, heads split by view + permute, scores scaled
    by 1/√d_k with d_k = d_model // num_heads, no output projection.
    """

    def __init__(self, d_model: int, num_heads: int) -> None:
        super().__init__()
        self.d_model = d_model
        self.num_heads = num_heads
        self.d_k = d_model // num_heads
        # 线性变换矩阵
        self.W_q = torch.nn.Linear(d_model, d_model, bias=False)
        self.W_k = torch.nn.Linear(d_model, d_model, bias=False)
        self.W_v = torch.nn.Linear(d_model, d_model, bias=False)

    def split_heads(self, x: Tensor, batch_size: int) -> Tensor:
        x = x.view(batch_size, -1, self.num_heads, self.d_k)
        return x.permute(0, 2, 1, 3)

    def forward(self, x: Tensor) -> Tensor:
        batch_size, seq_len, d_model = x.size()
        q = self.W_q(x)
        k = self.W_k(x)
        v = self.W_v(x)
        q = self.split_heads(q, batch_size)
        k = self.split_heads(k, batch_size)
        v = self.split_heads(v, batch_size)
        # Scaled Dot-Product Attention
        attn_scores = torch.matmul(q, k.transpose(-2, -1)) / (self.d_k**0.5)
        attn_weights = F.softmax(attn_scores, dim=-1)
        # Attention加权求和
        output = torch.matmul(attn_weights, v)
        output = output.permute(0, 2, 1, 3).contiguous().view(batch_size, seq_len, -1)
        return output
