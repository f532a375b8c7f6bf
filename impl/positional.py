"""Positional information: sinusoidal encodings, RoPE, ALiBi, position interpolation, NTK-aware base.

Why: seed 001 Q11 and seed 004 state that attention alone ignores order, that sinusoidal codes
carry relative offsets, that RoPE turns absolute positions into relative ones, and describe
ALiBi, PI and NTK scaling. These are the readable versions the claims are checked against,
each next to an independent reference (complex multiplication, F.scaled_dot_product_attention,
the ALiBi authors' get_slopes).
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

__all__ = [
    "self_attention",
    "sinusoidal_pe",
    "rope_frequencies",
    "rope_rotate",
    "rope_rotate_complex",
    "rope_apply",
    "alibi_slopes",
    "alibi_slopes_reference",
    "alibi_bias",
    "alibi_attention",
    "interpolate_positions",
    "ntk_base",
]


def self_attention(x: Tensor, w_q: Tensor, w_k: Tensor, w_v: Tensor, mask: Tensor | None = None) -> Tensor:
    """softmax((x w_q)(x w_k)ᵀ/√d_k + mask) (x w_v); x [n, d], w_* [d, d_k|d_v] -> [n, d_v].

    ``mask`` is additive (0 or −inf, or any float bias), broadcastable to [n, n].
    built-in: F.scaled_dot_product_attention(q, k, v, attn_mask=mask).
    """
    q, k, v = x @ w_q, x @ w_k, x @ w_v  # [n, d_k], [n, d_k], [n, d_v]
    scores = q @ k.T / math.sqrt(q.shape[-1])  # [n, d_k] @ [d_k, n] -> [n, n]
    if mask is not None:
        scores = scores + mask
    return torch.softmax(scores, dim=-1) @ v  # [n, n] @ [n, d_v] -> [n, d_v]


def sinusoidal_pe(n: int, d: int, base: float = 10000.0, *, start: int = 0) -> Tensor:
    """PE[p, 2i] = sin(p/base^(2i/d)), PE[p, 2i+1] = cos(p/base^(2i/d)); -> [n, d] (d even).

    Positions start..start+n-1. The Annotated Transformer computes the same with
    div_term = exp(arange(0, d, 2)·(−ln base/d)).
    """
    assert d % 2 == 0, f"d must be even (sin/cos pairs), got d={d}"
    pos = torch.arange(start, start + n, dtype=torch.float64)[:, None]  # [n, 1]
    omega = base ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)  # [d/2]
    pe = torch.empty(n, d, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(pos * omega)  # [n, d/2]
    pe[:, 1::2] = torch.cos(pos * omega)  # [n, d/2]
    return pe


def rope_frequencies(d: int, base: float = 10000.0) -> Tensor:
    """θ_i = base^(−2i/d), i = 0..d/2−1 -> [d/2]; θ_0 = 1 is the highest frequency."""
    assert d % 2 == 0, f"d must be even, got d={d}"
    return base ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)


def rope_rotate(x: Tensor, pos: Tensor, base: float = 10000.0) -> Tensor:
    """Rotate each pair (x_{2i}, x_{2i+1}) by the angle pos·θ_i; x [n, d], pos [n] -> [n, d].

    The RoFormer (interleaved) layout; HF's rotate_half pairs i with i + d/2 instead, which is
    the same map after a fixed permutation of the features.
    """
    theta = rope_frequencies(x.shape[-1], base)  # [d/2]
    ang = pos.to(torch.float64)[:, None] * theta  # [n, d/2]
    c, s = torch.cos(ang), torch.sin(ang)
    x1, x2 = x[..., 0::2], x[..., 1::2]  # [n, d/2] each
    out = torch.empty_like(x)
    out[..., 0::2] = x1 * c - x2 * s
    out[..., 1::2] = x1 * s + x2 * c
    return out


def rope_rotate_complex(x: Tensor, pos: Tensor, base: float = 10000.0) -> Tensor:
    """Reference: pairs as complex numbers times e^{i·pos·θ} (LLaMA's torch.polar + view_as_complex)."""
    theta = rope_frequencies(x.shape[-1], base)  # [d/2]
    rot = torch.polar(torch.ones_like(theta)[None, :].expand(len(pos), -1), pos.to(torch.float64)[:, None] * theta)
    z = torch.view_as_complex(x.reshape(*x.shape[:-1], -1, 2).contiguous())  # [n, d/2] complex
    return torch.view_as_real(z * rot).reshape(x.shape)  # [n, d/2, 2] -> [n, d]


def rope_apply(x: Tensor, positions: Tensor, base: float = 10000.0, *, layout: str = "interleaved") -> Tensor:
    """Rotate every pair of features of x [..., n, d] by positions·θ_i, θ_i = base^(−2i/d); -> [..., n, d].

    ``layout`` says which features pair up: "interleaved" (x_{2i}, x_{2i+1}), as in the RoFormer paper
    and Meta's LLaMA (torch.polar + view_as_complex); "half" (x_i, x_{i+d/2}), as in GPT-NeoX and HF
    transformers' rotate_half. The two are the same rotation after a fixed permutation of the features,
    but not the same function of x: a checkpoint trained with one needs that one.
    built-in: none in torch.
    """
    assert layout in ("interleaved", "half"), f"layout must be 'interleaved' or 'half', got {layout!r}"
    d = x.shape[-1]
    theta = rope_frequencies(d, base)  # [d/2]
    ang = positions.to(torch.float64)[:, None] * theta  # [n, 1] * [d/2] -> [n, d/2]
    c, s = torch.cos(ang).to(x.dtype), torch.sin(ang).to(x.dtype)  # [n, d/2] each
    if layout == "interleaved":
        x1, x2 = x[..., 0::2], x[..., 1::2]  # [..., n, d/2] each: even and odd features
    else:
        x1, x2 = x[..., : d // 2], x[..., d // 2 :]  # [..., n, d/2] each: first and second half
    y1, y2 = x1 * c - x2 * s, x1 * s + x2 * c  # [..., n, d/2] each
    if layout == "interleaved":
        return torch.stack((y1, y2), dim=-1).flatten(-2)  # [..., n, d/2, 2] -> [..., n, d]
    return torch.cat((y1, y2), dim=-1)  # [..., n, d/2] twice -> [..., n, d]


def alibi_slopes(h: int) -> Tensor:
    """m_i = 2^(−8i/h), i = 1..h: the geometric sequence of the ALiBi paper (§3) -> [h]."""
    return 2.0 ** (-8.0 * torch.arange(1, h + 1, dtype=torch.float64) / h)


def alibi_slopes_reference(h: int) -> list[float]:
    """The ALiBi authors' get_slopes (ofirpress/attention_with_linear_biases), verbatim in logic."""

    def power_of_2(k: int) -> list[float]:
        start = 2 ** (-(2 ** -(math.log2(k) - 3)))
        return [start * start**i for i in range(k)]

    if math.log2(h).is_integer():
        return power_of_2(h)
    closest = 2 ** math.floor(math.log2(h))
    return power_of_2(closest) + alibi_slopes_reference(2 * closest)[0::2][: h - closest]


def alibi_bias(n: int, slope: float, *, causal: bool = True) -> Tensor:
    """B[i, j] = −m·|i − j| (−inf above the diagonal when causal) -> [n, n]."""
    idx = torch.arange(n, dtype=torch.float64)
    bias = -slope * (idx[:, None] - idx[None, :]).abs()  # [n, n]
    if causal:
        bias = bias.masked_fill(torch.ones(n, n, dtype=torch.bool).triu(1), float("-inf"))
    return bias


def alibi_attention(q: Tensor, k: Tensor, v: Tensor, slope: float) -> Tensor:
    """Causal softmax(q kᵀ/√d_k − m|i − j|) v, the bias added to the logits; [n, d] -> [n, d_v]."""
    scores = q @ k.T / math.sqrt(q.shape[-1]) + alibi_bias(q.shape[0], slope)  # [n, n]
    return torch.softmax(scores, dim=-1) @ v


def interpolate_positions(pos: Tensor, trained: int, target: int) -> Tensor:
    """Position interpolation (Chen et al. 2023): m -> m·L/L' so [0, L'] maps into [0, L]."""
    return pos.to(torch.float64) * (trained / target)


def ntk_base(base: float, alpha: float, d: int) -> float:
    """NTK-aware scaling: base' = base·α^(d/(d−2)) (keeps θ_0 = 1, divides θ_{d/2−1} by α)."""
    assert d > 2, f"d must exceed 2, got d={d}"
    return base * alpha ** (d / (d - 2))
