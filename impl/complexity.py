"""What attention, the FFN and a Transformer layer cost, measured on real tensors.

Why: the seeds state costs as big-O figures (QKV O(n·d²), QKᵀ O(n²·d), softmax O(n²), FFN
O(n·d·d_ff), ...). These helpers run the operations and *count* what they do, so the closed
forms in derivations/complexity.py are compared with measurements, not with each other:

- :func:`matmul_flops`  torch.utils.flop_counter.FlopCounterMode: 2 FLOPs per multiply-add of
  every mm/bmm/addmm/matmul (PyTorch's convention; elementwise ops and bias adds count 0).
  Trap (DESIGN.md §4): CPU ``F.scaled_dot_product_attention`` dispatches to a flash kernel that
  has no FLOP formula and counts 0 — force the math backend (``math_sdpa()``) to count it.
- :func:`element_ops`   a TorchDispatchMode that records, per aten op, the number of elements
  each call produces: exp evaluations of a softmax, tanh evaluations of additive attention.
- :func:`materialized`  the elements of every tensor an op produces (the n×n score matrix).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from contextlib import contextmanager

import dlproofs.impl.attention as att
import torch
import torch.nn.functional as F
from torch import Tensor
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils.flop_counter import FlopCounterMode

__all__ = [
    "matmul_flops",
    "flops_by_op",
    "element_ops",
    "materialized",
    "math_sdpa",
    "qkv_projections",
    "attention_scores",
    "weighted_sum",
    "softmax_manual",
    "self_attention",
    "ffn",
    "transformer_layer",
    "additive_scores",
    "multiplicative_scores",
    "attention_no_softmax_left",
    "attention_no_softmax_right",
]


# ---------------------------------------------------------------------------------------------
# counters
# ---------------------------------------------------------------------------------------------
def flops_by_op(fn: Callable[[], object]) -> dict[str, int]:
    """FlopCounterMode's count per aten op for one call of ``fn()`` (matmuls only)."""
    with FlopCounterMode(display=False) as counter:
        fn()
    return {str(op): int(v) for op, v in counter.get_flop_counts().get("Global", {}).items()}


def matmul_flops(fn: Callable[[], object]) -> int:
    """Total FlopCounterMode count for one call of ``fn()``: 2·m·k·n per [m, k] @ [k, n]."""
    return sum(flops_by_op(fn).values())


class _ElementCounter(TorchDispatchMode):
    def __init__(self) -> None:
        super().__init__()
        self.ops: dict[str, int] = {}
        self.sizes: list[tuple[str, tuple[int, ...]]] = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        outs = out if isinstance(out, (tuple, list)) else (out,)
        for t in outs:
            if isinstance(t, Tensor):
                name = str(func.overloadpacket)
                self.ops[name] = self.ops.get(name, 0) + t.numel()
                self.sizes.append((name, tuple(t.shape)))
        return out


def element_ops(fn: Callable[[], object]) -> dict[str, int]:
    """Elements produced per aten op (by overload packet name, e.g. 'aten.exp') for ``fn()``."""
    with _ElementCounter() as counter:
        fn()
    return counter.ops


def materialized(fn: Callable[[], object]) -> list[tuple[str, tuple[int, ...]]]:
    """(op, shape) of every tensor produced while running ``fn()``, in order."""
    with _ElementCounter() as counter:
        fn()
    return counter.sizes


@contextmanager
def math_sdpa():
    """Force the math backend of F.scaled_dot_product_attention so FlopCounterMode sees its bmm."""
    with sdpa_kernel(SDPBackend.MATH):
        yield


# ---------------------------------------------------------------------------------------------
# the pieces of one attention layer (weights applied as x @ w.T, the nn.Linear convention)
# ---------------------------------------------------------------------------------------------
def qkv_projections(x: Tensor, w_q: Tensor, w_k: Tensor, w_v: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    """x [B, n, d], w [d, d] -> q, k, v [B, n, d]: three [n, d] @ [d, d] products, 2·n·d² each."""
    return x @ w_q.T, x @ w_k.T, x @ w_v.T  # [B, n, d] each


def attention_scores(q: Tensor, k: Tensor) -> Tensor:
    """q [..., n, a], k [..., m, a] -> q kᵀ [..., n, m]: 2·n·m·a FLOPs per head."""
    return q @ k.transpose(-2, -1)  # [..., n, a] @ [..., a, m] -> [..., n, m]


def weighted_sum(p: Tensor, v: Tensor) -> Tensor:
    """p [..., n, m], v [..., m, a] -> p v [..., n, a]: 2·n·m·a FLOPs per head."""
    return p @ v


def softmax_manual(s: Tensor) -> Tensor:
    """softmax over the last dim written out: one exp per score.   built-in: torch.softmax."""
    z = s - s.amax(dim=-1, keepdim=True)  # [..., n, m]
    e = torch.exp(z)  # [..., n, m]: n·m exponentials
    return e / e.sum(dim=-1, keepdim=True)


def self_attention(x: Tensor, w_q: Tensor, w_k: Tensor, w_v: Tensor, w_o: Tensor, num_heads: int) -> Tensor:
    """Multi-head self-attention with output projection; x [B, n, d] -> [B, n, d].

    = impl.attention.multi_head (no biases) followed by @ w_oᵀ.   built-in:
    nn.MultiheadAttention(d, num_heads, bias=False, batch_first=True).
    """
    heads = att.multi_head(x, w_q, w_k, w_v, num_heads)  # [B, n, d]
    return heads @ w_o.T  # [B, n, d] @ [d, d] -> [B, n, d]


def ffn(x: Tensor, w_1: Tensor, w_2: Tensor) -> Tensor:
    """Position-wise FFN relu(x w_1ᵀ) w_2ᵀ; x [B, n, d], w_1 [d_ff, d], w_2 [d, d_ff] -> [B, n, d]."""
    hidden = F.relu(x @ w_1.T)  # [B, n, d] @ [d, d_ff] -> [B, n, d_ff]
    return hidden @ w_2.T  # [B, n, d_ff] @ [d_ff, d] -> [B, n, d]


def transformer_layer(x: Tensor, weights: dict[str, Tensor], num_heads: int) -> Tensor:
    """Post-norm encoder layer without biases: LN(x + MHA(x)), then LN(· + FFN(·)); x [B, n, d]."""
    d = x.shape[-1]
    y = F.layer_norm(x + self_attention(x, *(weights[k] for k in ("w_q", "w_k", "w_v", "w_o")), num_heads), (d,))
    return F.layer_norm(y + ffn(y, weights["w_1"], weights["w_2"]), (d,))


# ---------------------------------------------------------------------------------------------
# additive (Bahdanau) vs multiplicative scores
#   additive:       s_ij = vᵀ tanh(W_q q_i + W_k k_j)     W_q, W_k [d_a, d], v [d_a]
#   multiplicative: s_ij = q_i · k_j
# ---------------------------------------------------------------------------------------------
def additive_scores(q: Tensor, k: Tensor, w_q: Tensor, w_k: Tensor, v: Tensor) -> Tensor:
    """q [n, d], k [m, d] -> s [n, m]; materializes the [n, m, d_a] pre-activation."""
    a = q @ w_q.T  # [n, d] @ [d, d_a] -> [n, d_a]
    b = k @ w_k.T  # [m, d] @ [d, d_a] -> [m, d_a]
    hidden = torch.tanh(a[:, None, :] + b[None, :, :])  # [n, 1, d_a] + [1, m, d_a] -> [n, m, d_a]
    # [n, m, d_a] @ [d_a, 1] -> [n, m, 1]: a matrix product, not `hidden @ v` (aten.mv, which
    # FlopCounterMode does not count: it has no FLOP formula for mv)
    return (hidden @ v[:, None]).squeeze(-1)  # [n, m]


def multiplicative_scores(q: Tensor, k: Tensor, w_q: Tensor, w_k: Tensor) -> Tensor:
    """(q W_qᵀ)(k W_kᵀ)ᵀ: q [n, d], k [m, d], W [d_a, d] -> s [n, m]."""
    return (q @ w_q.T) @ (k @ w_k.T).T  # [n, d_a] @ [d_a, m] -> [n, m]


# ---------------------------------------------------------------------------------------------
# attention without softmax: (Q Kᵀ) V = Q (Kᵀ V) by associativity (linear attention)
# ---------------------------------------------------------------------------------------------
def attention_no_softmax_left(q: Tensor, k: Tensor, v: Tensor) -> Tensor:
    """(q kᵀ) v: q, k [..., n, d_k], v [..., n, d_v]; builds the [n, n] matrix: 2n²d_k + 2n²d_v."""
    return (q @ k.transpose(-2, -1)) @ v  # [n, n] @ [n, d_v] -> [n, d_v]


def attention_no_softmax_right(q: Tensor, k: Tensor, v: Tensor) -> Tensor:
    """q (kᵀ v): builds the [d_k, d_v] matrix instead: 2n·d_k·d_v + 2n·d_k·d_v FLOPs."""
    return q @ (k.transpose(-2, -1) @ v)  # [n, d_k] @ [d_k, d_v] -> [n, d_v]


def bytes_of(shape: tuple[int, ...], dtype: torch.dtype = torch.float32) -> int:
    """Bytes of a dense tensor of ``shape``: numel × element size (float32: 4)."""
    return math.prod(shape) * torch.finfo(dtype).bits // 8
