"""Scaled dot-product attention, multi-head attention, and the softmax facts they rest on.

Why: claims such as "divide by sqrt(d_k) so the logits have variance 1", "splitting into heads
is a reshape, not extra parameters", and "the softmax Jacobian is diag(p) - p p^T" are checked
against these and against F.scaled_dot_product_attention / nn.MultiheadAttention / autograd.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

__all__ = [
    "causal_mask",
    "masked_sdpa",
    "mha",
    "multi_head",
    "multi_head_loop",
    "sdpa",
    "softmax_entropy",
    "softmax_jacobian",
]


# ---------------------------------------------------------------------------------------------
# Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V
# ---------------------------------------------------------------------------------------------


def sdpa(q: Tensor, k: Tensor, v: Tensor, *, attn_mask: Tensor | None = None) -> Tensor:
    """softmax(q k^T / sqrt(d_k)) v;  q [B, n, d_k], k [B, m, d_k], v [B, m, d_v] -> [B, n, d_v].

    Any leading batch dims work ([B, h, n, d_k] for multi-head). ``attn_mask`` is optional and
    follows the built-in's boolean convention: True = may attend, broadcastable to [..., n, m].
    built-in: F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask).
    """
    d_k = q.shape[-1]
    assert k.shape[-1] == d_k, f"q has d_k={d_k} but k has {k.shape[-1]}"
    assert k.shape[-2] == v.shape[-2], f"k has m={k.shape[-2]} keys but v has {v.shape[-2]} values"
    scores = q @ k.transpose(-2, -1) / math.sqrt(d_k)  # [B, n, d_k] @ [B, d_k, m] -> [B, n, m]
    if attn_mask is not None:
        assert attn_mask.dtype == torch.bool, f"attn_mask must be boolean, got {attn_mask.dtype}"
        scores = scores.masked_fill(~attn_mask, float("-inf"))
    p = torch.softmax(scores, dim=-1)  # [B, n, m], rows sum to 1 (over the m keys)
    return p @ v  # [B, n, m] @ [B, m, d_v] -> [B, n, d_v]


def causal_mask(n: int, m: int | None = None) -> Tensor:
    """Boolean [n, m] mask, True where query i may attend key j <= i.   built-in: is_causal=True."""
    m = n if m is None else m
    return torch.ones(n, m, dtype=torch.bool).tril()  # [n, m] lower triangle, incl. diagonal


# ---------------------------------------------------------------------------------------------
# Multi-head: head_i = Attention(x W_q^(i), x W_k^(i), x W_v^(i)),  out = concat(head_1..head_h)
# d_head = d_model / num_heads. No biases, no output projection W_O.
# ---------------------------------------------------------------------------------------------


def _project(x, w_q, w_k, w_v, num_heads):
    assert x.dim() == 3, f"x must be [B, n, d_model], got shape {tuple(x.shape)}"
    d_model = x.shape[-1]
    assert d_model % num_heads == 0, f"d_model={d_model} is not divisible by num_heads={num_heads}"
    for name, w in (("w_q", w_q), ("w_k", w_k), ("w_v", w_v)):
        assert w.shape == (d_model, d_model), f"{name} is {tuple(w.shape)}, expected ({d_model}, {d_model})"
    q = x @ w_q.T  # [B, n, d_model] @ [d_model, d_model] -> [B, n, d_model]
    k = x @ w_k.T  # [B, n, d_model]
    v = x @ w_v.T  # [B, n, d_model]
    return q, k, v, d_model // num_heads


def multi_head(x: Tensor, w_q: Tensor, w_k: Tensor, w_v: Tensor, num_heads: int) -> Tensor:
    """Self-attention with ``num_heads`` heads; x [B, n, d_model] -> [B, n, d_model].

    Weights are [d_model, d_model], applied as x @ w.T (nn.Linear convention); head i uses the
    rows i*d_head:(i+1)*d_head of each w. built-in: nn.MultiheadAttention(d_model, num_heads,
    bias=False, batch_first=True) with in_proj_weight = cat(w_q, w_k, w_v) and out_proj = identity.
    """
    B, n, d_model = x.shape
    q, k, v, d_head = _project(x, w_q, w_k, w_v, num_heads)
    # split heads: the last dim d_model = num_heads * d_head
    q = q.view(B, n, num_heads, d_head).transpose(1, 2)  # [B, n, d_model] -> [B, h, n, d_head]
    k = k.view(B, n, num_heads, d_head).transpose(1, 2)  # [B, n, d_model] -> [B, h, n, d_head]
    v = v.view(B, n, num_heads, d_head).transpose(1, 2)  # [B, n, d_model] -> [B, h, n, d_head]
    out = sdpa(q, k, v)  # per head: [B, h, n, d_head]
    # merge heads: transpose back and concatenate the heads along the feature dim
    out = out.transpose(1, 2).contiguous()  # [B, h, n, d_head] -> [B, n, h, d_head]
    return out.view(B, n, d_model)  # [B, n, h, d_head] -> [B, n, d_model]


def multi_head_loop(x: Tensor, w_q: Tensor, w_k: Tensor, w_v: Tensor, num_heads: int) -> Tensor:
    """multi_head one head at a time (Python loop + slicing): the reference for the reshape."""
    q, k, v, d_head = _project(x, w_q, w_k, w_v, num_heads)
    heads = []
    for i in range(num_heads):
        cols = slice(i * d_head, (i + 1) * d_head)
        heads.append(sdpa(q[..., cols], k[..., cols], v[..., cols]))  # [B, n, d_head] each
    return torch.cat(heads, dim=-1)  # h x [B, n, d_head] -> [B, n, d_model]


# ---------------------------------------------------------------------------------------------
# Masked attention and multi-head attention as modules ship it (biases, output projection, masks)
#   scores = q k^T / sqrt(d_k) + M,  M[i, j] = -inf where query i may not see key j, else 0
# ---------------------------------------------------------------------------------------------


def masked_sdpa(q: Tensor, k: Tensor, v: Tensor, causal: bool, key_padding_mask: Tensor) -> Tensor:
    """softmax(q k^T / sqrt(d_k) + M) v with a causal and a key-padding mask.

    q [B, h, n, d_k], k [B, h, m, d_k], v [B, h, m, d_v] -> [B, h, n, d_v]. ``causal``: query i sees
    keys j <= i (top-left aligned when n != m, as is_causal=True). ``key_padding_mask`` [B, m] bool,
    True = padded key (never attended; nn.MultiheadAttention's convention). A query that sees no key
    gets NaN (softmax of all -inf); F.scaled_dot_product_attention returns 0 there (torch 2.5+).
    built-in: F.scaled_dot_product_attention(q, k, v, attn_mask=allowed) with allowed = ~M's -inf.
    """
    n, m = q.shape[-2], k.shape[-2]
    allowed = ~key_padding_mask[:, None, None, :]  # [B, m] -> [B, 1, 1, m], True = may attend
    if causal:
        allowed = allowed & causal_mask(n, m)  # [B, 1, n, m] (broadcast over heads)
    return sdpa(q, k, v, attn_mask=allowed.expand(*q.shape[:-2], n, m))  # [B, h, n, d_v]


def mha(
    x: Tensor,
    w_qkv: Tensor,
    b_qkv: Tensor,
    w_o: Tensor,
    b_o: Tensor,
    num_heads: int,
    causal: bool,
    key_padding_mask: Tensor,
) -> Tensor:
    """Multi-head self-attention with projection biases and an output projection; x [B, n, d] -> [B, n, d].

    w_qkv [3d, d] = [W_q; W_k; W_v] and b_qkv [3d] (nn.MultiheadAttention's in_proj_weight/bias,
    nanoGPT's c_attn), applied as x @ w_qkv.T + b_qkv; heads of d_head = d / num_heads, each
    softmax(Q_h K_h^T / sqrt(d_head) + M) V_h (masked_sdpa); heads concatenated, then
    @ w_o.T + b_o (w_o [d, d], b_o [d]: out_proj / c_proj).
    built-in: F.multi_head_attention_forward / nn.MultiheadAttention(d, num_heads, batch_first=True).
    """
    B, n, d = x.shape
    assert d % num_heads == 0, f"d={d} is not divisible by num_heads={num_heads}"
    assert w_qkv.shape == (3 * d, d), f"w_qkv is {tuple(w_qkv.shape)}, expected ({3 * d}, {d})"
    d_head = d // num_heads
    qkv = x @ w_qkv.T + b_qkv  # [B, n, d] @ [d, 3d] -> [B, n, 3d]
    q, k, v = qkv.split(d, dim=-1)  # 3 x [B, n, d]
    q, k, v = (t.view(B, n, num_heads, d_head).transpose(1, 2) for t in (q, k, v))  # [B, h, n, d_head]
    out = masked_sdpa(q, k, v, causal, key_padding_mask)  # [B, h, n, d_head]
    out = out.transpose(1, 2).reshape(B, n, d)  # [B, h, n, d_head] -> [B, n, h, d_head] -> [B, n, d]
    return out @ w_o.T + b_o  # [B, n, d] @ [d, d] + [d] -> [B, n, d]


# ---------------------------------------------------------------------------------------------
# Softmax facts
#   p = softmax(z),  dp_i/dz_j = p_i (delta_ij - p_j)  =>  J = diag(p) - p p^T
#   (J is symmetric and J 1 = 0: adding a constant to every logit changes nothing)
#   H(softmax(z / t)) = -sum_i p_i log p_i:  -> log n as t -> inf, -> 0 as t -> 0 (unique max)
# ---------------------------------------------------------------------------------------------


def softmax_jacobian(z: Tensor) -> Tensor:
    """J = diag(p) - p p^T for p = softmax(z); z [n] -> J [n, n].

    built-in: torch.autograd.functional.jacobian(lambda z: torch.softmax(z, 0), z).
    """
    assert z.dim() == 1, f"z must be a vector [n], got shape {tuple(z.shape)}"
    p = torch.softmax(z, dim=0)  # [n]
    return torch.diag(p) - torch.outer(p, p)  # [n, n] - [n, 1][1, n] -> [n, n]


def softmax_entropy(z: Tensor, t: float = 1.0) -> Tensor:
    """Entropy (nats) of softmax(z / t) over the last dim; z [..., n] -> [...].

    Uses log_softmax rather than log(p), so p_i = 0 contributes 0 * (finite) = 0 instead of nan.
    built-in: torch.distributions.Categorical(logits=z / t).entropy().
    """
    assert t > 0, f"temperature must be > 0, got t={t}"
    logp = torch.log_softmax(z / t, dim=-1)  # [..., n]
    return -(logp.exp() * logp).sum(dim=-1)  # [..., n] -> [...]
