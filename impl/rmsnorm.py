"""RMSNorm from scratch (Zhang & Sennrich 2019), written to be read beside proofs/rmsnorm.md.

Per sample, over its D features (the last axis), with no mean subtracted:

    rms = √(mean(x²) + ε)        (ε inside the root)
    y_k = γ_k · x_k / rms

LayerNorm centres first (x − μ); RMSNorm does not, and has no β. Built-ins: ``F.rms_norm`` /
``nn.RMSNorm`` (torch ≥ 2.4).
"""

from __future__ import annotations

import torch

__all__ = ["rms_norm"]


def rms_norm(x: torch.Tensor, gamma: torch.Tensor, eps: float) -> torch.Tensor:
    """RMSNorm over the last axis. x: [N, D]; gamma: [D]."""
    ms = (x * x).mean(dim=-1, keepdim=True)  # [N, D] -> [N, 1]
    return gamma * x * torch.rsqrt(ms + eps)  # [D] broadcasts over [N, D]
