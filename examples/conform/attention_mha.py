"""Independent implementations of the ``attention.mha`` contract (multi-head attention as modules ship it).

    fn(x[B, n, d], w_qkv[3d, d], b_qkv[3d], w_o[d, d], b_o[d], num_heads, causal, key_padding_mask[B, n])
        -> out[B, n, d]

[q k v] = x @ w_qkv.T + b_qkv split in three (nn.MultiheadAttention's in_proj, nanoGPT's c_attn),
heads of d_h = d / num_heads, each softmax(q_h k_hᵀ/√d_h + M) v_h with M = −∞ on padded keys
(key_padding_mask True) and, when ``causal``, on keys after the query; heads concatenated, then
@ w_o.T + b_o. ``ok_*`` must conform; ``bug_*`` must be rejected.
"""

import math

import torch
import torch.nn.functional as F

CLAIM = "attention.mha"


def _heads(t, h):
    b, n, d = t.shape
    return t.view(b, n, h, d // h).transpose(1, 2)  # [B, n, d] -> [B, h, n, d_h]


def _mask(n, causal, key_padding_mask):
    allowed = ~key_padding_mask[:, None, None, :]  # [B, 1, 1, n]: keys
    if causal:
        allowed = allowed & torch.ones(n, n, dtype=torch.bool).tril()
    return allowed  # [B, 1, n, n] or [B, 1, 1, n]


def _attend(x, w_qkv, b_qkv, num_heads, causal, key_padding_mask, scale_dim=None):
    b, n, d = x.shape
    q, k, v = (_heads(t, num_heads) for t in (x @ w_qkv.T + b_qkv).split(d, dim=-1))
    s = q @ k.mT / math.sqrt(scale_dim or d // num_heads)
    s = s.masked_fill(~_mask(n, causal, key_padding_mask), float("-inf"))
    return (s.softmax(-1) @ v).transpose(1, 2).reshape(b, n, d)  # [B, n, d]


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_manual(x, w_qkv, b_qkv, w_o, b_o, num_heads, causal, key_padding_mask):
    return _attend(x, w_qkv, b_qkv, num_heads, causal, key_padding_mask) @ w_o.T + b_o


def ok_nn_multihead_attention(x, w_qkv, b_qkv, w_o, b_o, num_heads, causal, key_padding_mask):
    """nn.MultiheadAttention as shipped (dropout 0, biases on), its four parameters loaded."""
    b, n, d = x.shape
    mha = torch.nn.MultiheadAttention(d, num_heads, dropout=0.0, batch_first=True, dtype=x.dtype)
    with torch.no_grad():
        mha.in_proj_weight.copy_(w_qkv)
        mha.in_proj_bias.copy_(b_qkv)
        mha.out_proj.weight.copy_(w_o)
        mha.out_proj.bias.copy_(b_o)
    attn_mask = torch.ones(n, n, dtype=torch.bool).triu(1) if causal else None  # True = not allowed
    out, _ = mha(x, x, x, key_padding_mask=key_padding_mask, attn_mask=attn_mask, need_weights=False)
    return out.detach()


def ok_split_linears_sdpa(x, w_qkv, b_qkv, w_o, b_o, num_heads, causal, key_padding_mask):
    """Three Linears (annotated-transformer / d2l style: W_q, W_k, W_v) and the fused SDPA kernel."""
    b, n, d = x.shape
    w_q, w_k, w_v = w_qkv.chunk(3)
    b_q, b_k, b_v = b_qkv.chunk(3)
    q, k, v = (_heads(F.linear(x, w, bb), num_heads) for w, bb in ((w_q, b_q), (w_k, b_k), (w_v, b_v)))
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=_mask(n, causal, key_padding_mask))
    return F.linear(out.transpose(1, 2).reshape(b, n, d), w_o, b_o)


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_no_output_projection(x, w_qkv, b_qkv, w_o, b_o, num_heads, causal, key_padding_mask):
    """Returns the heads' concatenation: W_O and b_O never applied."""
    return _attend(x, w_qkv, b_qkv, num_heads, causal, key_padding_mask)


def bug_output_bias_dropped(x, w_qkv, b_qkv, w_o, b_o, num_heads, causal, key_padding_mask):
    """@ w_o.T without + b_o."""
    return _attend(x, w_qkv, b_qkv, num_heads, causal, key_padding_mask) @ w_o.T


def bug_scale_by_sqrt_d_model(x, w_qkv, b_qkv, w_o, b_o, num_heads, causal, key_padding_mask):
    """√d instead of √d_h."""
    return _attend(x, w_qkv, b_qkv, num_heads, causal, key_padding_mask, scale_dim=x.shape[-1]) @ w_o.T + b_o


def bug_ignores_padding(x, w_qkv, b_qkv, w_o, b_o, num_heads, causal, key_padding_mask):
    """Takes key_padding_mask and drops it."""
    none = torch.zeros_like(key_padding_mask)
    return _attend(x, w_qkv, b_qkv, num_heads, causal, none) @ w_o.T + b_o


def bug_qkv_split_interleaved(x, w_qkv, b_qkv, w_o, b_o, num_heads, causal, key_padding_mask):
    """Reads the fused [3d] output as (d, 3) interleaved instead of three blocks [q | k | v]."""
    b, n, d = x.shape
    qkv = (x @ w_qkv.T + b_qkv).view(b, n, d, 3)
    q, k, v = (_heads(qkv[..., i], num_heads) for i in range(3))
    s = (q @ k.mT / math.sqrt(d // num_heads)).masked_fill(~_mask(n, causal, key_padding_mask), float("-inf"))
    return (s.softmax(-1) @ v).transpose(1, 2).reshape(b, n, d) @ w_o.T + b_o
