"""Independent implementations of the ``attention.sdpa-masked`` contract, right and wrong.

    fn(q[B, h, n, d_k], k[B, h, m, d_k], v[B, h, m, d_v], causal, key_padding_mask[B, m]) -> out[B, h, n, d_v]

softmax(q kᵀ/√d_k + M) v with M = −∞ where key j is padded (key_padding_mask[b, j] True) or, when
``causal``, j > i (top-left aligned when n != m, as is_causal=True). Every query sees key 0, so no
row is fully masked (such a row is NaN from masked_fill(−inf) + softmax and 0 from
F.scaled_dot_product_attention; it is outside the contract).
``ok_*`` must conform; ``bug_*`` must be rejected.
"""

import math

import torch
import torch.nn.functional as F

CLAIM = "attention.sdpa-masked"


def _allowed(q, k, causal, key_padding_mask):
    n, m = q.shape[-2], k.shape[-2]
    allowed = ~key_padding_mask[:, None, None, :]  # [B, 1, 1, m]: columns (keys) only
    if causal:
        allowed = allowed & torch.ones(n, m, dtype=torch.bool, device=q.device).tril()  # [B, 1, n, m]
    return allowed


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_masked_fill_neg_inf(q, k, v, causal, key_padding_mask):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])  # [B, h, n, m]
    scores = scores.masked_fill(~_allowed(q, k, causal, key_padding_mask), float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def ok_builtin_bool_mask(q, k, v, causal, key_padding_mask):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=_allowed(q, k, causal, key_padding_mask))


def ok_additive_float_mask(q, k, v, causal, key_padding_mask):
    """An additive float mask (0 / −inf), as nn.Transformer.generate_square_subsequent_mask builds it."""
    n, m = q.shape[-2], k.shape[-2]
    bias = torch.zeros(n, m, dtype=q.dtype)
    if causal:
        bias = bias.masked_fill(torch.ones(n, m, dtype=torch.bool).triu(1), float("-inf"))
    bias = (
        bias
        + torch.zeros_like(key_padding_mask, dtype=q.dtype).masked_fill(key_padding_mask, float("-inf"))[
            :, None, None, :
        ]
    )
    return F.scaled_dot_product_attention(q, k, v, attn_mask=bias)


def ok_large_finite_fill(q, k, v, causal, key_padding_mask):
    """−1e30 instead of −inf (a common fp16-safe habit): e^(−1e30 − max) underflows to exactly 0 in float64."""
    scores = q @ k.mT / math.sqrt(q.shape[-1])
    scores = scores.masked_fill(~_allowed(q, k, causal, key_padding_mask), -1e30)
    return scores.softmax(-1) @ v


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_mask_after_softmax(q, k, v, causal, key_padding_mask):
    """Zeroes the masked weights after the softmax: the visible weights no longer sum to 1."""
    p = torch.softmax(q @ k.mT / math.sqrt(q.shape[-1]), dim=-1)
    return p.masked_fill(~_allowed(q, k, causal, key_padding_mask), 0.0) @ v


def bug_mask_with_zero(q, k, v, causal, key_padding_mask):
    """masked_fill(mask, 0): a masked key keeps the logit 0 and a nonzero weight."""
    scores = q @ k.mT / math.sqrt(q.shape[-1])
    return scores.masked_fill(~_allowed(q, k, causal, key_padding_mask), 0.0).softmax(-1) @ v


def bug_causal_diagonal_masked(q, k, v, causal, key_padding_mask):
    """triu(0) instead of triu(1): a token cannot see itself; query 0 sees nothing (NaN)."""
    n, m = q.shape[-2], k.shape[-2]
    scores = (q @ k.mT / math.sqrt(q.shape[-1])).masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
    if causal:
        scores = scores.masked_fill(torch.ones(n, m, dtype=torch.bool).triu(0), float("-inf"))
    return scores.softmax(-1) @ v


def bug_padding_on_queries(q, k, v, causal, key_padding_mask):
    """The padding mask laid over the rows (queries): padded keys stay visible."""
    n, m = q.shape[-2], k.shape[-2]
    scores = q @ k.mT / math.sqrt(q.shape[-1])
    if causal:
        scores = scores.masked_fill(torch.ones(n, m, dtype=torch.bool).triu(1), float("-inf"))
    rows = key_padding_mask[:, None, :n, None] if n <= m else key_padding_mask[:, None, :, None][..., :0, :]
    if rows.shape[-2] == n:
        scores = scores.masked_fill(rows, float("-inf"))
    return scores.softmax(-1) @ v


def bug_causal_ignored(q, k, v, causal, key_padding_mask):
    """Takes the causal flag but never builds the triangle."""
    scores = (q @ k.mT / math.sqrt(q.shape[-1])).masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
    return scores.softmax(-1) @ v
