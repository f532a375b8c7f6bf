"""1-D convolution written out, for receptive-field and weight-sharing claims (seed 001 Q9).

Why: "a k-wide kernel only sees a local window", "stacking widens it", "the same weights at every
position" are statements about the Jacobian and about shifts; these readable versions sit beside
F.conv1d (zero or circular padding).
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["conv1d_same", "circular_conv", "receptive_field"]


def conv1d_same(x: Tensor, w: Tensor) -> Tensor:
    """y_i = Σ_t w_t x_{i+t−r}, zero padding r = k//2 (odd k); x [n], w [k] -> [n].

    built-in: F.conv1d(x[None, None], w[None, None], padding=k//2)[0, 0] (cross-correlation).
    """
    k = w.shape[0]
    assert k % 2 == 1, f"kernel width must be odd for 'same' output, got k={k}"
    r = k // 2
    xp = torch.cat([x.new_zeros(r), x, x.new_zeros(r)])  # [n + 2r]
    return torch.stack([(w * xp[i : i + k]).sum() for i in range(x.shape[0])]) if x.numel() else x


def circular_conv(x: Tensor, w: Tensor) -> Tensor:
    """y_i = Σ_t w_t x_{(i+t−r) mod n} = Σ_t w_t roll(x, r − t)_i; x [n], w [k] -> [n].

    built-in: F.conv1d(F.pad(x[None, None], (r, r), mode='circular'), w[None, None])[0, 0].
    """
    r = w.shape[0] // 2
    return sum(w[t] * torch.roll(x, r - t) for t in range(w.shape[0]))  # each roll: [n]


def receptive_field(layers: int, k: int) -> int:
    """Inputs one output sees through ``layers`` stacked k-wide convolutions: L(k − 1) + 1."""
    return layers * (k - 1) + 1
