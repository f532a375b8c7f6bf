"""Independent implementations of the ``rope.apply-half`` contract (half-split layout), right and wrong.

    fn(x[B, n, d], positions[n] int64, base) -> y[B, n, d]
        pair (x_i, x_{i+d/2}) of token t turned by positions[t]·θ_i, θ_i = base^(−2i/d)

The layout of GPT-NeoX and HF transformers (``rotate_half``). The interleaved RoFormer / Meta
LLaMA layout is ``rope.apply``; here it is rejected and named as a convention. Try:

    dlproofs conform rope.apply-half examples/conform/rope_apply_half.py:bug_interleaved_layout
"""

import numpy as np
import torch

CLAIM = "rope.apply-half"


def rotate_half(x):
    """HF transformers' rotate_half."""
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2 :]
    return torch.cat((-x2, x1), dim=-1)


def _cos_sin(positions, d, base, dtype):
    """HF's rotary embedding: inv_freq = 1/base^(2i/d), emb = cat(freqs, freqs)."""
    inv_freq = 1.0 / (base ** (torch.arange(0, d, 2, dtype=torch.int64).to(torch.float64) / d))
    freqs = positions.to(torch.float64)[:, None] * inv_freq[None, :]  # [n, d/2]
    emb = torch.cat((freqs, freqs), dim=-1)  # [n, d]
    return emb.cos().to(dtype), emb.sin().to(dtype)


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_hf_rotate_half(x, positions, base):
    cos, sin = _cos_sin(positions, x.shape[-1], base, x.dtype)
    return x * cos + rotate_half(x) * sin


def ok_neox_halves(x, positions, base):
    """GPT-NeoX: rotate the two halves explicitly."""
    d = x.shape[-1]
    ang = positions.to(torch.float64)[:, None] * base ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)
    x1, x2 = x[..., : d // 2], x[..., d // 2 :]
    return torch.cat((x1 * ang.cos() - x2 * ang.sin(), x1 * ang.sin() + x2 * ang.cos()), dim=-1)


def ok_via_interleaved_permutation(x, positions, base):
    """The half-split map is the interleaved one conjugated by a fixed feature permutation."""
    d = x.shape[-1]
    perm = torch.arange(d).reshape(2, d // 2).T.flatten()  # [0, d/2, 1, d/2+1, ...]
    xi = x[..., perm]  # half-split -> interleaved order
    ang = positions.to(torch.float64)[:, None] * base ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)
    xc = torch.view_as_complex(xi.reshape(*xi.shape[:-1], -1, 2).contiguous())
    yi = torch.view_as_real(xc * torch.polar(torch.ones_like(ang), ang)).flatten(-2)
    return yi[..., torch.argsort(perm)]


def ok_numpy(x, positions, base):
    d = x.shape[-1]
    inv_freq = 1.0 / base ** (np.arange(0, d, 2) / d)
    emb = np.concatenate([np.outer(positions, inv_freq)] * 2, axis=-1)
    rotated = np.concatenate([-x[..., d // 2 :], x[..., : d // 2]], axis=-1)
    return x * np.cos(emb) + rotated * np.sin(emb)


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_interleaved_layout(x, positions, base):
    """Meta LLaMA's complex form: right for interleaved checkpoints, not this contract (a convention)."""
    d = x.shape[-1]
    ang = positions.to(torch.float64)[:, None] * base ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)
    xc = torch.view_as_complex(x.reshape(*x.shape[:-1], -1, 2).contiguous())
    return torch.view_as_real(xc * torch.polar(torch.ones_like(ang), ang)).flatten(-2)


def bug_frequency_exponent(x, positions, base):
    """inv_freq = 1/base^(i/d) with i = 0..d/2−1: arange(d // 2) where arange(0, d, 2) was meant."""
    d = x.shape[-1]
    inv_freq = 1.0 / (base ** (torch.arange(d // 2, dtype=torch.float64) / d))
    emb = torch.cat([positions.to(torch.float64)[:, None] * inv_freq] * 2, dim=-1)
    return x * emb.cos() + rotate_half(x) * emb.sin()


def bug_sin_cos_swapped(x, positions, base):
    cos, sin = _cos_sin(positions, x.shape[-1], base, x.dtype)
    return x * sin + rotate_half(x) * cos


def bug_position_off_by_one(x, positions, base):
    cos, sin = _cos_sin(positions + 1, x.shape[-1], base, x.dtype)
    return x * cos + rotate_half(x) * sin


def bug_rotate_half_sign(x, positions, base):
    """rotate_half written cat(x2, −x1): every rotation turns the other way."""
    cos, sin = _cos_sin(positions, x.shape[-1], base, x.dtype)
    d = x.shape[-1]
    return x * cos + torch.cat((x[..., d // 2 :], -x[..., : d // 2]), dim=-1) * sin


def bug_freqs_not_duplicated(x, positions, base):
    """emb = freqs repeated per pair (interleaved style) with rotate_half: the two halves mismatch."""
    d = x.shape[-1]
    inv_freq = 1.0 / (base ** (torch.arange(0, d, 2, dtype=torch.float64) / d))
    emb = (positions.to(torch.float64)[:, None] * inv_freq).repeat_interleave(2, dim=-1)
    return x * emb.cos() + rotate_half(x) * emb.sin()
