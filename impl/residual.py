"""Residual blocks y = x + F(x), their input gradient, and the plain (no-skip) counterpart.

Why: the claims "a residual block's Jacobian is I + J_F, so the gradient cannot vanish when J_F is
small" and "with W2 = 0 a residual block starts as the identity" are checked against these and
against autograd. plain_stack / plain_input_grad are the same network without the skip, for the
contrast.

Convention. The math is written for column vectors:

    y = x + W2 phi(W1 x + b1) + b2,          W1 [d_hidden, d], W2 [d, d_hidden]
    dy/dx = I + J_F,   J_F = W2 diag(phi'(W1 x + b1)) W1           [d, d]

and gradients are ROW vectors: dL/dx = dL/dy (I + J_F). The code uses the nn.Linear row
convention on batches, x [..., d], so W x becomes x @ W.T; the gradient formula reads

    dL/dx = g + ((g @ W2) * phi'(a)) @ W1,   g = dL/dy [..., d],  a = x @ W1.T + b1 [..., d_hidden].
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import torch
from dlproofs.impl.activations import relu, relu_derivative
from torch import Tensor, nn

__all__ = [
    "ResidualBlock",
    "ResidualParams",
    "block_jacobian",
    "branch_param_grads",
    "plain_block",
    "plain_input_grad",
    "plain_stack",
    "residual_block",
    "residual_input_grad",
    "residual_stack",
    "zero_init_block",
]

Act = Callable[[Tensor], Tensor]
ParamsList = Sequence[Sequence[Tensor]]  # [(w1, b1, w2, b2), ...], one entry per block


class ResidualParams(NamedTuple):
    """One block's parameters, nn.Linear layout.

    w1 [d_hidden, d], b1 [d_hidden], w2 [d, d_hidden], b2 [d].
    """

    w1: Tensor
    b1: Tensor
    w2: Tensor
    b2: Tensor


def _check_params(x: Tensor, w1, b1, w2, b2) -> None:
    d = x.shape[-1]
    d_hidden = w1.shape[0]
    assert w1.shape == (d_hidden, d), f"w1 {tuple(w1.shape)}, expected ({d_hidden}, {d})"
    assert b1.shape == (d_hidden,), f"b1 {tuple(b1.shape)}, expected ({d_hidden},)"
    assert w2.shape == (d, d_hidden), f"w2 {tuple(w2.shape)}, expected ({d}, {d_hidden})"
    assert b2.shape == (d,), f"b2 {tuple(b2.shape)}, expected ({d},)"


def _branch(x, w1, b1, w2, b2, phi: Act) -> Tensor:
    """F(x) = W2 phi(W1 x + b1) + b2."""
    _check_params(x, w1, b1, w2, b2)
    a = x @ w1.T + b1  # [..., d] @ [d, d_hidden] -> [..., d_hidden]
    return phi(a) @ w2.T + b2  # [..., d_hidden] @ [d_hidden, d] -> [..., d]


def residual_block(x: Tensor, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor, phi: Act = relu) -> Tensor:
    """y = x + W2 phi(W1 x + b1) + b2;  x [..., d] -> y [..., d].

    built-in: x + fc2(phi(fc1(x))) with nn.Linear fc1, fc2 (see ResidualBlock).
    """
    return x + _branch(x, w1, b1, w2, b2, phi)


class ResidualBlock(nn.Module):
    """nn.Module form of residual_block: fc1 = Linear(d, d_hidden), fc2 = Linear(d_hidden, d)."""

    def __init__(self, d: int, d_hidden: int, phi: Act = torch.relu, *, dtype: torch.dtype = torch.float64):
        super().__init__()
        self.fc1 = nn.Linear(d, d_hidden, dtype=dtype)
        self.fc2 = nn.Linear(d_hidden, d, dtype=dtype)
        self.phi = phi

    def forward(self, x: Tensor) -> Tensor:
        return x + self.fc2(self.phi(self.fc1(x)))  # [..., d] -> [..., d_hidden] -> [..., d]

    def params(self) -> ResidualParams:
        return ResidualParams(self.fc1.weight, self.fc1.bias, self.fc2.weight, self.fc2.bias)


def zero_init_block(
    d: int, d_hidden: int, *, generator: torch.Generator, dtype: torch.dtype = torch.float64
) -> ResidualParams:
    """Parameters with W2 = 0, b2 = 0, so the block is the identity at initialisation: y = x.

    W1, b1 ~ U(-1/sqrt(d), 1/sqrt(d)) drawn from ``generator`` (nn.Linear's default bound), so
    the hidden layer is not dead and dL/dW2 = g^T phi(a) is nonzero: the block can still learn.
    """
    assert d >= 1 and d_hidden >= 1, f"sizes must be positive, got d={d}, d_hidden={d_hidden}"
    bound = 1.0 / d**0.5
    w1 = (torch.rand(d_hidden, d, generator=generator, dtype=dtype) * 2 - 1) * bound
    b1 = (torch.rand(d_hidden, generator=generator, dtype=dtype) * 2 - 1) * bound
    w2 = torch.zeros(d, d_hidden, dtype=dtype)
    b2 = torch.zeros(d, dtype=dtype)
    return ResidualParams(w1, b1, w2, b2)


def residual_stack(x: Tensor, params_list: ParamsList, phi: Act = relu) -> Tensor:
    """Apply blocks in order: h_{l+1} = h_l + F_l(h_l);  [..., d] -> [..., d]."""
    h = x
    for w1, b1, w2, b2 in params_list:
        h = residual_block(h, w1, b1, w2, b2, phi)
    return h


def _stack_input_grad(x, params_list, grad_out, phi: Act, phi_prime: Act, skip: bool) -> Tensor:
    assert grad_out.shape == x.shape, f"grad_out {tuple(grad_out.shape)} vs x {tuple(x.shape)}"
    inputs, pre = [], []  # h_l and a_l = W1 h_l + b1, kept for backward
    h = x
    for w1, b1, w2, b2 in params_list:
        _check_params(h, w1, b1, w2, b2)
        a = h @ w1.T + b1  # [..., d] @ [d, d_hidden] -> [..., d_hidden]
        inputs.append(h)
        pre.append(a)
        f = phi(a) @ w2.T + b2  # [..., d_hidden] @ [d_hidden, d] -> [..., d]
        h = h + f if skip else f
    g = grad_out  # dL/dh_L  [..., d]
    for (w1, _b1, w2, _b2), a in zip(reversed(params_list), reversed(pre)):
        # [..., d] @ [d, d_h] -> [..., d_h];  * phi'(a) [..., d_h];  @ [d_h, d] -> [..., d]
        g_f = ((g @ w2) * phi_prime(a)) @ w1
        g = g + g_f if skip else g_f  # dL/dh_l = dL/dh_{l+1} (I + J_F)  or  dL/dh_{l+1} J_F
    return g


def residual_input_grad(
    x: Tensor, params_list: ParamsList, grad_out: Tensor, phi: Act = relu, phi_prime: Act = relu_derivative
) -> Tensor:
    """Manual dL/dx through a stack of residual blocks, given grad_out = dL/dy of the last block.

    Per block (row-vector gradients): dL/dx = dL/dy (I + J_F),  J_F = W2 diag(phi'(W1 x + b1)) W1.
    x, grad_out [..., d] -> [..., d].   built-in: torch.autograd.grad of residual_stack.
    """
    return _stack_input_grad(x, params_list, grad_out, phi, phi_prime, skip=True)


def plain_block(x: Tensor, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor, phi: Act = relu) -> Tensor:
    """y = W2 phi(W1 x + b1) + b2: the same block without the skip connection."""
    return _branch(x, w1, b1, w2, b2, phi)


def plain_stack(x: Tensor, params_list: ParamsList, phi: Act = relu) -> Tensor:
    """Apply plain blocks in order: h_{l+1} = F_l(h_l);  [..., d] -> [..., d]."""
    h = x
    for w1, b1, w2, b2 in params_list:
        h = plain_block(h, w1, b1, w2, b2, phi)
    return h


def plain_input_grad(
    x: Tensor, params_list: ParamsList, grad_out: Tensor, phi: Act = relu, phi_prime: Act = relu_derivative
) -> Tensor:
    """Manual dL/dx through a plain stack: per block dL/dx = dL/dy J_F (no identity term).

    With zero-initialised W2 this is exactly 0, where residual_input_grad returns grad_out.
    """
    return _stack_input_grad(x, params_list, grad_out, phi, phi_prime, skip=False)


def block_jacobian(x: Tensor, w1: Tensor, b1: Tensor, w2: Tensor, phi_prime: Act = relu_derivative) -> Tensor:
    """J_F = W2 diag(phi'(W1 x + b1)) W1 at one input x [d]  ->  [d, d] (column convention).

    built-in: torch.autograd.functional.jacobian of the branch at x.
    """
    assert x.dim() == 1, f"x must be one vector [d], got shape {tuple(x.shape)}"
    a = w1 @ x + b1  # [d_hidden, d] @ [d] -> [d_hidden]
    return (w2 * phi_prime(a)) @ w1  # [d, d_hidden] * [d_hidden] -> [d, d_hidden] @ [d_hidden, d]


def branch_param_grads(
    x: Tensor, w1: Tensor, b1: Tensor, w2: Tensor, grad_out: Tensor, phi: Act = relu, phi_prime: Act = relu_derivative
) -> ResidualParams:
    """dL/dW1, dL/db1, dL/dW2, dL/db2 of one block at one input x [d], given g = dL/dy [d].

    With delta = (g W2) * phi'(a) [d_hidden] (the gradient at the hidden pre-activation a):
    dL/dW1 = delta x^T, dL/db1 = delta, dL/dW2 = g phi(a)^T, dL/db2 = g.
    At zero init (W2 = 0): delta = 0 exactly, so W1 and b1 get no gradient.
    built-in: loss.backward() on nn.Linear layers, reading .grad.
    """
    assert x.dim() == 1 and grad_out.shape == x.shape, f"x {tuple(x.shape)}, grad_out {tuple(grad_out.shape)}"
    a = w1 @ x + b1  # [d_hidden]
    delta = (grad_out @ w2) * phi_prime(a)  # [d] @ [d, d_hidden] -> [d_hidden]
    return ResidualParams(
        torch.outer(delta, x),  # [d_hidden, d]
        delta,  # [d_hidden]
        torch.outer(grad_out, phi(a)),  # [d, d_hidden]
        grad_out.clone(),  # [d]
    )
