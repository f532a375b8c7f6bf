"""Deep stacks for measuring vanishing gradients layer by layer (seed 001 Q1).

Why: the seed proposes to quantify vanishing gradients by the norms of the layer-wise gradients
and their ratios. These stacks record ∂L/∂h_l at every layer through torch autograd:

    plain      h_l = φ(W_l h_{l−1} + b_l),          φ ∈ {sigmoid, relu, tanh}
    residual   h_l = h_{l−1} + W_l φ(V_l h_{l−1})    (the branch a small MLP)

Layers are numbered from the INPUT (h_0 is the input, h_L the output), as the seed numbers them;
g_l = ∂L/∂h_l. Weights come from an explicit torch.Generator.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

__all__ = ["ACTIVATIONS", "draw_weights", "layer_gradients", "layer_ratios"]

ACTIVATIONS = {"sigmoid": torch.sigmoid, "relu": torch.relu, "tanh": torch.tanh}


def draw_weights(kind: str, width: int, depth: int, seed: int, *, gain: float = 1.0) -> list[tuple[Tensor, ...]]:
    """Per layer: (W, b) for plain stacks, Kaiming-normal W (std gain·√(2/n)) for relu and
    Xavier-normal (std gain·√(1/n)) otherwise; (W, V) with std gain/√n for residual."""
    gen = torch.Generator().manual_seed(seed)
    std = gain * (math.sqrt(2.0 / width) if kind == "relu" else 1.0 / math.sqrt(width))
    out = []
    for _ in range(depth):
        w = std * torch.randn(width, width, generator=gen, dtype=torch.float64)
        if kind == "residual":
            v = torch.randn(width, width, generator=gen, dtype=torch.float64) / math.sqrt(width)
            out.append((w, v))
        else:
            b = 0.1 * torch.randn(width, generator=gen, dtype=torch.float64)
            out.append((w, b))
    return out


def layer_gradients(kind: str, weights, x: Tensor, upstream: Tensor) -> tuple[list[Tensor], list[Tensor]]:
    """Forward h_0 = x through the stack, L = ⟨upstream, h_L⟩; returns ([h_0..h_L], [g_0..g_L]).  # each [n]"""
    hs = [x.clone().requires_grad_(True)]
    for p in weights:
        h = hs[-1]
        if kind == "residual":
            w, v = p
            nxt = h + w @ torch.tanh(v @ h)  # [n]
        else:
            w, b = p
            nxt = ACTIVATIONS[kind](w @ h + b)  # [n]
        nxt.retain_grad()
        hs.append(nxt)
    (hs[-1] * upstream).sum().backward()
    grads = [t.grad.detach() for t in hs[:-1]] + [upstream]
    return [t.detach() for t in hs], grads


def layer_ratios(grads: list[Tensor]) -> list[float]:
    """r_l = ‖g_{l−1}‖/‖g_l‖ for l = 1..L: how much one layer shrinks the gradient going down."""
    return [float(grads[i].norm() / grads[i + 1].norm()) for i in range(len(grads) - 1)]
