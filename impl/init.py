"""Xavier (Glorot) and Kaiming (He) initialization, written out beside torch.nn.init.

Why: the claims "Xavier keeps the variance forward and backward", "ReLU halves the second moment,
so Kaiming doubles Var(W)" are checked against these formulas, against ``nn.init.*`` (with an
explicit ``torch.Generator``) and through deep bias-free ReLU / tanh stacks.

Conventions (torch's): a weight of nn.Linear is [n_out, n_in]; fan_in = n_in, fan_out = n_out.

    xavier_uniform_:  U(-a, a),  a = gain·√(6/(n_in + n_out))        Var = gain²·2/(n_in + n_out)
    xavier_normal_:   N(0, std²), std = gain·√(2/(n_in + n_out))
    kaiming_normal_:  N(0, std²), std = gain/√fan,   gain = √2 for ReLU (a = 0)
    kaiming_uniform_: U(-b, b),  b = gain·√(3/fan)                   Var = gain²/fan
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

__all__ = [
    "xavier_uniform_bound",
    "xavier_std",
    "kaiming_std",
    "kaiming_uniform_bound",
    "xavier_uniform",
    "kaiming_normal",
    "relu_stack_ratios",
    "tanh_stack_mean_square",
]


def _check_fans(*fans: int) -> None:
    if any(int(f) != f or f < 1 for f in fans):
        raise ValueError(f"fans must be positive integers, got {fans}")


def xavier_uniform_bound(n_in: int, n_out: int, gain: float = 1.0) -> float:
    """a = gain·√(6/(n_in + n_out)): U(−a, a) has variance a²/3 = gain²·2/(n_in + n_out)."""
    _check_fans(n_in, n_out)
    return gain * math.sqrt(6.0 / (n_in + n_out))


def xavier_std(n_in: int, n_out: int, gain: float = 1.0) -> float:
    """The standard deviation (not the variance) of xavier_normal_: gain·√(2/(n_in + n_out))."""
    _check_fans(n_in, n_out)
    return gain * math.sqrt(2.0 / (n_in + n_out))


def kaiming_std(fan: int, gain: float = math.sqrt(2.0)) -> float:
    """std = gain/√fan; with the ReLU gain √2: √(2/fan), i.e. Var(W) = 2/fan."""
    _check_fans(fan)
    return gain / math.sqrt(fan)


def kaiming_uniform_bound(fan: int, gain: float = math.sqrt(2.0)) -> float:
    """b = gain·√(3/fan): U(−b, b) has variance gain²/fan (2/fan for ReLU)."""
    _check_fans(fan)
    return gain * math.sqrt(3.0 / fan)


def xavier_uniform(n_out: int, n_in: int, generator: torch.Generator, gain: float = 1.0) -> Tensor:
    """Manual path of nn.init.xavier_uniform_(gain): a·(2u − 1), u ~ U(0, 1).  # [n_out, n_in]"""
    a = xavier_uniform_bound(n_in, n_out, gain)
    return a * (2 * torch.rand(n_out, n_in, generator=generator, dtype=torch.float64) - 1)


def kaiming_normal(n_out: int, n_in: int, generator: torch.Generator) -> Tensor:
    """Manual path of nn.init.kaiming_normal_(nonlinearity='relu'): √(2/n_in)·z.  # [n_out, n_in]"""
    return kaiming_std(n_in) * torch.randn(n_out, n_in, generator=generator, dtype=torch.float64)


def _stack_weights(count: int, width: int, depth: int, init: str, generator: torch.Generator) -> Tensor:
    """``count`` independent square bias-free networks, weights by torch.nn.init.  # [depth, count, n, n]

    nn.init computes fan_in from dim 1, so each layer is drawn as one [count·n, n] matrix (fan_in = n)
    and viewed as count separate [n, n] weights.
    """
    out = torch.empty(depth, count * width, width, dtype=torch.float64)
    for layer in out:
        if init == "kaiming_normal":  # the built-in itself: fan_in = dim 1 = n, gain √2
            torch.nn.init.kaiming_normal_(layer, nonlinearity="relu", generator=generator)
        elif init == "xavier":  # Xavier's variance of a square layer, 2/(n + n) = 1/n (gain 1)
            torch.nn.init.normal_(layer, 0.0, xavier_std(width, width), generator=generator)
        elif init == "xavier_tanh_gain":  # the same times calculate_gain('tanh') = 5/3
            gain = torch.nn.init.calculate_gain("tanh")
            torch.nn.init.normal_(layer, 0.0, xavier_std(width, width, gain), generator=generator)
        else:
            raise ValueError(f"unknown init {init!r}; use kaiming_normal, xavier or xavier_tanh_gain")
    return out.view(depth, count, width, width)


def relu_stack_ratios(count: int, width: int, depth: int, init: str, generator: torch.Generator) -> Tensor:
    """‖x_L‖²/‖x_0‖² for ``count`` random bias-free ReLU nets x_l = relu(W_l x_{l−1}).  # [count]

    x_0 = (1, ..., 1); the ratio does not depend on x_0 for Gaussian weights (rotation invariance).
    """
    w = _stack_weights(count, width, depth, init, generator)  # [L, R, n, n]
    x = torch.ones(count, width, 1, dtype=torch.float64)  # [R, n, 1]
    start = x.square().sum(dim=(1, 2))  # [R]
    for layer in w:
        x = torch.relu(layer @ x)  # [R, n, n] @ [R, n, 1] -> [R, n, 1]
    return x.square().sum(dim=(1, 2)) / start


def tanh_stack_mean_square(count: int, width: int, depth: int, init: str, generator: torch.Generator) -> Tensor:
    """(1/n)‖x_L‖² ∈ [0, 1] for ``count`` random tanh nets x_l = tanh(W_l x_{l−1}), x_0 = 1.  # [count]"""
    w = _stack_weights(count, width, depth, init, generator)
    x = torch.ones(count, width, 1, dtype=torch.float64)
    for layer in w:
        x = torch.tanh(layer @ x)  # [R, n, 1]
    return x.square().mean(dim=(1, 2))
