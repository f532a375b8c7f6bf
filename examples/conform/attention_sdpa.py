"""Independent implementations of the ``attention.sdpa`` contract, right and wrong.

    fn(q[B, n, d_k], k[B, m, d_k], v[B, m, d_v]) -> out[B, n, d_v]     softmax(q kᵀ/√d_k) v, no mask

``ok_*`` must conform; ``bug_*`` must be rejected. n ≠ m and d_v ≠ d_k are drawn on purpose.
"""

import math

import torch
import torch.nn.functional as F

CLAIM = "attention.sdpa"


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_manual(q, k, v):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])  # [B, n, m]
    return torch.softmax(scores, dim=-1) @ v  # [B, n, d_v]


def ok_builtin(q, k, v):
    return F.scaled_dot_product_attention(q, k, v)


def ok_einsum(q, k, v):
    scores = torch.einsum("bnd,bmd->bnm", q, k) / math.sqrt(q.shape[-1])
    return torch.einsum("bnm,bmv->bnv", scores.softmax(-1), v)


def ok_scale_queries_first(q, k, v):
    """Scaling q before the product is the same as scaling the scores (before the softmax)."""
    q = q * q.shape[-1] ** -0.5
    return torch.softmax(torch.bmm(q, k.transpose(1, 2)), dim=2) @ v


def ok_stable_exp(q, k, v):
    """The softmax written out, with the row maximum subtracted."""
    s = q @ k.mT / math.sqrt(q.shape[-1])
    e = torch.exp(s - s.amax(-1, keepdim=True))
    return (e / e.sum(-1, keepdim=True)) @ v


def ok_loop(q, k, v):
    """One query at a time."""
    out = torch.empty(q.shape[0], q.shape[1], v.shape[-1], dtype=q.dtype)
    for b in range(q.shape[0]):
        for i in range(q.shape[1]):
            w = torch.softmax(k[b] @ q[b, i] / math.sqrt(q.shape[-1]), dim=0)  # [m]
            out[b, i] = w @ v[b]
    return out


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_scale_by_dk(q, k, v):
    """Divides the scores by d_k instead of √d_k."""
    return torch.softmax(q @ k.mT / q.shape[-1], dim=-1) @ v


def bug_scale_by_sqrt_dv(q, k, v):
    """√d_v instead of √d_k: right only when d_v == d_k."""
    return torch.softmax(q @ k.mT / math.sqrt(v.shape[-1]), dim=-1) @ v


def bug_scale_after_softmax(q, k, v):
    """Scales the attention weights after the softmax (they no longer sum to 1)."""
    return torch.softmax(q @ k.mT, dim=-1) / math.sqrt(q.shape[-1]) @ v


def bug_no_scale(q, k, v):
    return torch.softmax(q @ k.mT, dim=-1) @ v


def bug_softmax_over_queries(q, k, v):
    """Softmax along the wrong axis (over the n queries)."""
    return torch.softmax(q @ k.mT / math.sqrt(q.shape[-1]), dim=1) @ v


def bug_scale_by_sqrt_m(q, k, v):
    """Scales by the number of keys, √m, instead of √d_k."""
    return torch.softmax(q @ k.mT / math.sqrt(k.shape[1]), dim=-1) @ v


def bug_causal(q, k, v):
    """A causal mask the contract does not ask for."""
    return F.scaled_dot_product_attention(q, k, v, is_causal=True)
