"""Independent implementations of the ``rope.apply`` contract (interleaved layout), right and wrong.

    fn(x[B, n, d], positions[n] int64, base) -> y[B, n, d]
        pair (x_{2i}, x_{2i+1}) of token t turned by positions[t]·θ_i, θ_i = base^(−2i/d)

The layout of the RoFormer paper and Meta's LLaMA. GPT-NeoX / HF ``rotate_half`` pair x_i with
x_{i+d/2} instead: a convention, judged by ``rope.apply-half``; here it is rejected and named as
a convention. Try:

    dlproofs conform rope.apply examples/conform/rope_apply.py:bug_half_split_layout
"""

import math

import numpy as np
import torch

CLAIM = "rope.apply"


def _angles(positions, d, base, dtype):
    inv_freq = 1.0 / (base ** (torch.arange(0, d, 2, dtype=torch.float64) / d))  # [d/2]
    return torch.outer(positions.to(torch.float64), inv_freq).to(dtype)  # [n, d/2]


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_llama_complex(x, positions, base):
    """Meta LLaMA's precompute_freqs_cis + apply_rotary_emb (torch.polar, view_as_complex)."""
    freqs = _angles(positions, x.shape[-1], base, torch.float64)
    freqs_cis = torch.polar(torch.ones_like(freqs), freqs)  # [n, d/2] complex
    xc = torch.view_as_complex(x.reshape(*x.shape[:-1], -1, 2).contiguous())  # [B, n, d/2]
    return torch.view_as_real(xc * freqs_cis).flatten(-2)


def ok_even_odd_slices(x, positions, base):
    ang = _angles(positions, x.shape[-1], base, x.dtype)
    cos, sin = ang.cos(), ang.sin()
    x1, x2 = x[..., 0::2], x[..., 1::2]
    out = torch.empty_like(x)
    out[..., 0::2] = x1 * cos - x2 * sin
    out[..., 1::2] = x1 * sin + x2 * cos
    return out


def ok_rotate_every_two(x, positions, base):
    """GPT-J / lucidrains style: cos and sin repeated per pair, rotate_every_two(x) = (−x_{2i+1}, x_{2i})."""
    ang = _angles(positions, x.shape[-1], base, x.dtype).repeat_interleave(2, dim=-1)  # [n, d]
    x1, x2 = x[..., 0::2], x[..., 1::2]
    rotated = torch.stack((-x2, x1), dim=-1).flatten(-2)
    return x * ang.cos() + rotated * ang.sin()


def ok_block_matrix(x, positions, base):
    """Builds each position's d×d block-diagonal rotation and multiplies."""
    d = x.shape[-1]
    rot = torch.zeros(len(positions), d, d, dtype=x.dtype)
    for i in range(d // 2):
        a = positions.to(torch.float64) * base ** (-2 * i / d)
        rot[:, 2 * i, 2 * i], rot[:, 2 * i, 2 * i + 1] = a.cos(), -a.sin()
        rot[:, 2 * i + 1, 2 * i], rot[:, 2 * i + 1, 2 * i + 1] = a.sin(), a.cos()
    return torch.einsum("nij,bnj->bni", rot, x)


def ok_numpy(x, positions, base):
    d = x.shape[-1]
    theta = base ** (-np.arange(0, d, 2) / d)
    ang = positions[:, None] * theta[None, :]
    out = np.empty_like(x)
    out[..., 0::2] = x[..., 0::2] * np.cos(ang) - x[..., 1::2] * np.sin(ang)
    out[..., 1::2] = x[..., 0::2] * np.sin(ang) + x[..., 1::2] * np.cos(ang)
    return out


def ok_exp_log_frequencies(x, positions, base):
    """θ_i = exp(−2i·ln(base)/d), as the Annotated Transformer writes its div_term."""
    d = x.shape[-1]
    theta = torch.exp(torch.arange(0, d, 2, dtype=torch.float64) * (-math.log(base) / d))
    ang = positions.to(torch.float64)[:, None] * theta
    x1, x2 = x[..., 0::2], x[..., 1::2]
    return torch.stack((x1 * ang.cos() - x2 * ang.sin(), x1 * ang.sin() + x2 * ang.cos()), dim=-1).flatten(-2)


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_half_split_layout(x, positions, base):
    """HF rotate_half: right for GPT-NeoX-layout checkpoints, not this contract (a convention)."""
    ang = _angles(positions, x.shape[-1], base, x.dtype)
    emb = torch.cat((ang, ang), dim=-1)
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2 :]
    return x * emb.cos() + torch.cat((-x2, x1), dim=-1) * emb.sin()


def bug_frequency_exponent(x, positions, base):
    """θ_i = base^(−i/d): the pair index i over d/2 pairs, divided by d (the 2 lost)."""
    d = x.shape[-1]
    theta = base ** (-torch.arange(d // 2, dtype=torch.float64) / d)
    ang = positions.to(torch.float64)[:, None] * theta
    x1, x2 = x[..., 0::2], x[..., 1::2]
    return torch.stack((x1 * ang.cos() - x2 * ang.sin(), x1 * ang.sin() + x2 * ang.cos()), dim=-1).flatten(-2)


def bug_sin_cos_swapped(x, positions, base):
    ang = _angles(positions, x.shape[-1], base, x.dtype)
    cos, sin = ang.sin(), ang.cos()
    x1, x2 = x[..., 0::2], x[..., 1::2]
    return torch.stack((x1 * cos - x2 * sin, x1 * sin + x2 * cos), dim=-1).flatten(-2)


def bug_position_off_by_one(x, positions, base):
    """Positions counted from 1."""
    return ok_even_odd_slices(x, positions + 1, base)


def bug_ignores_positions(x, positions, base):
    """Uses arange(n): right only when positions start at 0 (no KV-cache offset)."""
    return ok_even_odd_slices(x, torch.arange(x.shape[-2]), base)


def bug_rotation_reversed(x, positions, base):
    """Turns by −p·θ_i (the conjugate e^{−ipθ})."""
    return ok_even_odd_slices(x, -positions, base)
