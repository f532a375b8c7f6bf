"""Dropout in its two conventions, beside F.dropout.

Why: the claims "inverted dropout keeps the mean", "its variance is x²p/(1−p)", "at inference the
inverted convention is the identity, the classic one scales by 1 − p" are checked against these
and against ``torch.nn.functional.dropout`` in training and eval mode.

p is the probability of DROPPING a unit (torch's convention and the seed's); the keep mask is
m ~ Bernoulli(1 − p), drawn from an explicit torch.Generator.

    inverted (torch):  train  y = m ⊙ x / (1 − p)     eval  y = x
    classic (2014):    train  y = m ⊙ x               eval  y = (1 − p) x
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = [
    "keep_mask",
    "inverted_train",
    "inverted_eval",
    "classic_train",
    "classic_eval",
    "torch_dropout_draws",
    "inverted_dropout",
]


def _check_p(p: float) -> None:
    if not 0.0 <= p < 1.0:
        raise ValueError(f"dropout probability must be in [0, 1), got p = {p!r}")


def keep_mask(shape: tuple[int, ...], p: float, generator: torch.Generator) -> Tensor:
    """m ~ Bernoulli(1 − p) entrywise, as float64 0/1.  # shape"""
    _check_p(p)
    return (torch.rand(shape, generator=generator, dtype=torch.float64) >= p).to(torch.float64)


def inverted_train(x: Tensor, mask: Tensor, p: float) -> Tensor:
    """m ⊙ x · (1/(1 − p)), multiplied in torch's order (bit-identical to F.dropout's kept values)."""
    _check_p(p)
    return x * (mask * (1.0 / (1.0 - p)))


def inverted_eval(x: Tensor, p: float) -> Tensor:
    """Inference under the inverted convention: the identity (F.dropout(training=False))."""
    _check_p(p)
    return x


def classic_train(x: Tensor, mask: Tensor) -> Tensor:
    """m ⊙ x: the original (Srivastava et al.) training pass, no rescaling."""
    return x * mask


def classic_eval(x: Tensor, p: float) -> Tensor:
    """Inference under the classic convention: (1 − p) x (equivalently, outgoing weights × (1 − p))."""
    _check_p(p)
    return (1.0 - p) * x


def torch_dropout_draws(x: Tensor, p: float, seed: int) -> Tensor:
    """F.dropout(x, p, training=True) on a fixed seed.

    F.dropout takes no generator, so the global RNG is forked (state restored on exit) and seeded:
    the draws are reproducible and nothing leaks into other code's randomness.
    """
    _check_p(p)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return torch.nn.functional.dropout(x, p, training=True)


def inverted_dropout(x: Tensor, p: float, training: bool) -> Tensor:
    """Inverted dropout on torch's global RNG: training y = x·(m/(1 − p)), m ~ Bernoulli(1 − p); eval y = x.

    Draws the mask as F.dropout does on CPU (``bernoulli_(1 − p)`` on a tensor like x, then divided by
    1 − p and multiplied in), so under the same seed it gives F.dropout's mask and values.
    """
    _check_p(p)
    if not training or p == 0.0:
        return x
    noise = torch.empty_like(x).bernoulli_(1.0 - p)
    return x * noise.div_(1.0 - p)
