"""Independent implementations of the ``attention.multi-head`` contract, right and wrong.

    fn(x[B, n, d_model], w_q, w_k, w_v, num_heads) -> out[B, n, d_model]

Each w is [d_model, d_model] applied as x @ w.T (nn.Linear's convention); heads of size
d_h = d_model / num_heads, each softmax(Q_h K_hᵀ/√d_h) V_h, concatenated; no biases and no output
projection. ``ok_*`` must conform; ``bug_*`` must be rejected.
"""

import math

import torch
import torch.nn.functional as F

CLAIM = "attention.multi-head"


def _split(t, h):
    b, n, d = t.shape
    return t.view(b, n, h, d // h).transpose(1, 2)  # [B, n, d] -> [B, h, n, d_h]


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_reshape(x, w_q, w_k, w_v, num_heads):
    b, n, d = x.shape
    q, k, v = (_split(x @ w.T, num_heads) for w in (w_q, w_k, w_v))  # [B, h, n, d_h]
    att = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(d // num_heads), dim=-1)  # [B, h, n, n]
    return (att @ v).transpose(1, 2).reshape(b, n, d)  # [B, h, n, d_h] -> [B, n, d]


def ok_loop_over_heads(x, w_q, w_k, w_v, num_heads):
    d_h = x.shape[-1] // num_heads
    outs = []
    for h in range(num_heads):
        rows = slice(h * d_h, (h + 1) * d_h)  # this head's rows of each weight
        q, k, v = x @ w_q[rows].T, x @ w_k[rows].T, x @ w_v[rows].T  # [B, n, d_h]
        outs.append(torch.softmax(q @ k.mT / math.sqrt(d_h), dim=-1) @ v)
    return torch.cat(outs, dim=-1)


def ok_builtin_sdpa(x, w_q, w_k, w_v, num_heads):
    b, n, d = x.shape
    q, k, v = (_split(F.linear(x, w), num_heads) for w in (w_q, w_k, w_v))
    return F.scaled_dot_product_attention(q, k, v).transpose(1, 2).reshape(b, n, d)


def ok_nn_multihead_attention(x, w_q, w_k, w_v, num_heads):
    """nn.MultiheadAttention without biases, its output projection set to the identity."""
    d = x.shape[-1]
    mha = torch.nn.MultiheadAttention(d, num_heads, bias=False, batch_first=True, dtype=x.dtype)
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.cat([w_q, w_k, w_v]))
        mha.out_proj.weight.copy_(torch.eye(d, dtype=x.dtype))
    out, _ = mha(x, x, x, need_weights=False)
    return out.detach()


def ok_einsum(x, w_q, w_k, w_v, num_heads):
    b, n, d = x.shape
    h, d_h = num_heads, d // num_heads
    q, k, v = (torch.einsum("bnd,ed->bne", x, w).reshape(b, n, h, d_h) for w in (w_q, w_k, w_v))
    att = torch.einsum("bnhe,bmhe->bhnm", q, k).div(math.sqrt(d_h)).softmax(-1)
    return torch.einsum("bhnm,bmhe->bnhe", att, v).reshape(b, n, d)


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_scale_by_sqrt_d_model(x, w_q, w_k, w_v, num_heads):
    """√d_model instead of √d_h (right only with one head)."""
    b, n, d = x.shape
    q, k, v = (_split(x @ w.T, num_heads) for w in (w_q, w_k, w_v))
    att = torch.softmax(q @ k.mT / math.sqrt(d), dim=-1)
    return (att @ v).transpose(1, 2).reshape(b, n, d)


def bug_reshape_without_transpose(x, w_q, w_k, w_v, num_heads):
    """view(B, h, n, d_h) straight from [B, n, d]: heads take slices across tokens."""
    b, n, d = x.shape
    q, k, v = ((x @ w.T).reshape(b, num_heads, n, d // num_heads) for w in (w_q, w_k, w_v))
    att = torch.softmax(q @ k.mT / math.sqrt(d // num_heads), dim=-1)
    return (att @ v).reshape(b, n, d)


def bug_merge_without_transpose(x, w_q, w_k, w_v, num_heads):
    """Splits heads correctly but merges [B, h, n, d_h] back with a plain reshape."""
    b, n, d = x.shape
    q, k, v = (_split(x @ w.T, num_heads) for w in (w_q, w_k, w_v))
    att = torch.softmax(q @ k.mT / math.sqrt(d // num_heads), dim=-1)
    return (att @ v).reshape(b, n, d)


def bug_weights_not_transposed(x, w_q, w_k, w_v, num_heads):
    """x @ w instead of x @ w.T."""
    b, n, d = x.shape
    q, k, v = (_split(x @ w, num_heads) for w in (w_q, w_k, w_v))
    att = torch.softmax(q @ k.mT / math.sqrt(d // num_heads), dim=-1)
    return (att @ v).transpose(1, 2).reshape(b, n, d)


def bug_single_head(x, w_q, w_k, w_v, num_heads):
    """Ignores num_heads: one head of size d_model."""
    q, k, v = x @ w_q.T, x @ w_k.T, x @ w_v.T
    return torch.softmax(q @ k.mT / math.sqrt(x.shape[-1]), dim=-1) @ v


def bug_nn_mha_default_out_proj(x, w_q, w_k, w_v, num_heads):
    """nn.MultiheadAttention with its (random) output projection left in."""
    d = x.shape[-1]
    mha = torch.nn.MultiheadAttention(d, num_heads, bias=False, batch_first=True, dtype=x.dtype)
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.cat([w_q, w_k, w_v]))
    out, _ = mha(x, x, x, need_weights=False)
    return out.detach()
