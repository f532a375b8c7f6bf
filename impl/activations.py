"""Activation functions and their derivatives, written out by hand.

Why: claims such as "sigmoid' = s(1 - s) <= 1/4, so deep sigmoid nets have vanishing gradients"
or "ReLU's derivative is the step function" are checked against these and against autograd.
The derivative at a kink is a convention, and torch is not consistent about it (see relu).
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

__all__ = [
    "relu",
    "relu_backward",
    "relu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "sigmoid_mlp_forward",
    "sigmoid_mlp_grad_bound",
    "sigmoid_mlp_input_grad",
    "silu",
    "gelu",
    "gelu_tanh",
    "swish",
    "swish_derivative",
    "tanh_derivative",
]


# ---------------------------------------------------------------------------------------------
# ReLU:  relu(z) = max(0, z),   relu'(z) = 1[z > 0]   (0 at z == 0 by convention)
# ---------------------------------------------------------------------------------------------


def relu(z: Tensor) -> Tensor:
    """relu(z) = z if z > 0 else 0.   built-in: torch.relu / F.relu.

    Equal to torch.relu as values; the one visible difference is the sign of zero:
    relu(-0.0) is +0.0 here and -0.0 from torch.relu (compare with ==, not signbit).
    """
    return torch.where(z > 0, z, 0)


def relu_derivative(z: Tensor) -> Tensor:
    """relu'(z) = 1[z > 0], with the value 0 at z == 0 (the convention of torch.relu's autograd)."""
    return (z > 0).to(z.dtype)


def relu_backward(z: Tensor, grad_out: Tensor) -> Tensor:
    """dL/dz = dL/drelu * 1[z > 0].   built-in: autograd of torch.relu.

    Trap (measured, torch 2.13 CPU): the gradient at exactly z == 0 depends on how relu is
    written. torch.relu / F.relu give 0, z.clamp(min=0) gives 1, torch.maximum(z, zeros) gives
    0.5 (ties split the gradient). All three agree away from 0, so tests must include exact zeros.
    """
    assert z.shape == grad_out.shape, f"z {tuple(z.shape)} vs grad_out {tuple(grad_out.shape)}"
    return grad_out * (z > 0)


# ---------------------------------------------------------------------------------------------
# Sigmoid and tanh:  s = 1/(1 + e^-x),  s' = s(1 - s) <= 1/4;   tanh' = 1 - tanh^2 <= 1
# ---------------------------------------------------------------------------------------------


def sigmoid(x: Tensor) -> Tensor:
    """s(x) = 1 / (1 + exp(-x)).   built-in: torch.sigmoid.

    Written with e = exp(-|x|) <= 1: the textbook 1 / (1 + exp(-x)) has the right *values*
    (exp(1000) = inf gives 1/inf = 0), but its autograd gradient is inf/inf = nan for x < ~-709
    in float64 (measured, torch 2.13 CPU). With e <= 1 nothing overflows, forward or backward.
    -|x| is written with where, not abs: abs's gradient at 0 is 0, which would make s'(0) = 0.
    """
    e = torch.exp(torch.where(x >= 0, -x, x))  # exp(-|x|), in (0, 1]
    return torch.where(x >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_derivative(x: Tensor) -> Tensor:
    """s'(x) = s(x) (1 - s(x)); maximum 1/4 at x = 0.   built-in: autograd of torch.sigmoid."""
    s = torch.sigmoid(x)
    return s * (1 - s)


def tanh_derivative(x: Tensor) -> Tensor:
    """tanh'(x) = 1 - tanh(x)^2; maximum 1 at x = 0.   built-in: autograd of torch.tanh."""
    t = torch.tanh(x)
    return 1 - t * t


# ---------------------------------------------------------------------------------------------
# Swish:  swish_b(x) = x * s(b x),   swish_b'(x) = s(b x) + b x s(b x) (1 - s(b x))
# ---------------------------------------------------------------------------------------------


def swish(x: Tensor, beta: float = 1.0) -> Tensor:
    """swish_beta(x) = x * sigmoid(beta * x).   built-in (beta = 1 only): F.silu."""
    return x * torch.sigmoid(beta * x)


def swish_derivative(x: Tensor, beta: float = 1.0) -> Tensor:
    """d/dx [x s(bx)] = s(bx) + b x s(bx) (1 - s(bx)), product rule + chain rule."""
    s = torch.sigmoid(beta * x)
    return s + beta * x * s * (1 - s)


def silu(x: Tensor) -> Tensor:
    """silu(x) = swish_1(x) = x * sigmoid(x).   built-in: F.silu."""
    return swish(x, 1.0)


# ---------------------------------------------------------------------------------------------
# Deep sigmoid MLP: vanishing gradient w.r.t. the input
#
#   h_0 = x,   a_l = W_l h_l,   h_{l+1} = s(a_l),   l = 0 .. L-1
#   dL/dh_l = W_l^T ( s'(a_l) * dL/dh_{l+1} )          (column-vector form)
#   => ||dL/dx||_2 <= (1/4)^L * prod_l ||W_l||_2 * ||dL/dh_L||_2     since 0 < s' <= 1/4
#
# Code uses the nn.Linear row convention: h is [..., d_l], W_l is [d_{l+1}, d_l], a = h @ W_l.T.
# ---------------------------------------------------------------------------------------------


def _check_chain(weights: list[Tensor], x: Tensor) -> None:
    assert len(weights) >= 1, "need at least one layer"
    d = x.shape[-1]
    for i, w in enumerate(weights):
        assert w.dim() == 2, f"W_{i} must be a matrix, got shape {tuple(w.shape)}"
        assert w.shape[1] == d, f"W_{i} is {tuple(w.shape)} but its input has width {d}"
        d = w.shape[0]


def sigmoid_mlp_forward(weights: list[Tensor], x: Tensor) -> Tensor:
    """h_L = s(W_{L-1} ... s(W_0 x)): x [..., d_0] -> [..., d_L]; no biases."""
    _check_chain(weights, x)
    h = x
    for w in weights:
        h = torch.sigmoid(h @ w.T)  # [..., d_l] @ [d_l, d_{l+1}] -> [..., d_{l+1}]
    return h


def sigmoid_mlp_input_grad(weights: list[Tensor], x: Tensor, grad_out: Tensor) -> Tensor:
    """Manual backprop of dL/dx through h_{l+1} = sigmoid(W_l h_l), given grad_out = dL/dh_L.

    x [..., d_0], grad_out [..., d_L] -> dL/dx [..., d_0].   built-in: torch.autograd.grad of
    sigmoid_mlp_forward.
    """
    _check_chain(weights, x)
    assert grad_out.shape[-1] == weights[-1].shape[0], (
        f"grad_out has width {grad_out.shape[-1]}, the last layer outputs {weights[-1].shape[0]}"
    )
    pre = []  # a_l, kept for the backward pass
    h = x
    for w in weights:
        a = h @ w.T  # [..., d_l] @ [d_l, d_{l+1}] -> [..., d_{l+1}]
        pre.append(a)
        h = torch.sigmoid(a)
    g = grad_out  # dL/dh_L  [..., d_L]
    for w, a in zip(reversed(weights), reversed(pre)):
        s = torch.sigmoid(a)
        g = (g * s * (1 - s)) @ w  # [..., d_{l+1}] @ [d_{l+1}, d_l] -> [..., d_l]
    return g


def sigmoid_mlp_grad_bound(weights: list[Tensor]) -> Tensor:
    """(1/4)^L * prod_l ||W_l||_2 (spectral norms): bound on ||dL/dx|| / ||dL/dh_L|| per sample."""
    norms = torch.stack([torch.linalg.matrix_norm(w, ord=2) for w in weights])  # [L]
    return 0.25 ** len(weights) * norms.prod()  # [L] -> []


# ---------------------------------------------------------------------------------------------
# GELU (Hendrycks & Gimpel 2016):  gelu(x) = x·Φ(x) = x/2·(1 + erf(x/√2))
#   tanh approximation (torch's approximate="tanh"): x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
#   The two differ by up to ~4.7e-4 (at |x| ≈ 2.70, measured): the approximation is not GELU.
# ---------------------------------------------------------------------------------------------


def gelu(x: Tensor) -> Tensor:  # [...] -> [...]
    """Exact GELU, x·Φ(x) with Φ the standard normal CDF.   built-in: F.gelu(x) (approximate="none").

    Written with erfc: Φ(x) = erfc(−x/√2)/2 keeps its relative accuracy for large negative x, where
    1 + erf(x/√2) cancels (both agree to |x|·u in absolute terms)."""
    return x * torch.special.erfc(-x * 0.7071067811865476) / 2  # 1/√2


def gelu_tanh(x: Tensor) -> Tensor:  # [...] -> [...]
    """The tanh approximation, as F.gelu(x, approximate="tanh") computes it."""
    inner = math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)
    return 0.5 * x * (1 + torch.tanh(inner))
