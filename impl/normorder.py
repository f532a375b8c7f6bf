"""Pre-Norm and Post-Norm residual blocks, and LayerNorm's Jacobian in closed form.

Why: the claims "Pre-Norm keeps an identity path through depth, Post-Norm multiplies it by
LayerNorm's Jacobian at every layer" are checked against these blocks (nn.LayerNorm + an
nn.Linear branch) through torch autograd.

    Pre-Norm   x_{l+1} = x_l + F_l(LN(x_l))        ∂x_{l+1}/∂x_l = I + J_F J_LN(x_l)
    Post-Norm  x_{l+1} = LN(x_l + F_l(x_l))        ∂x_{l+1}/∂x_l = J_LN(x_l + F_l(x_l)) (I + J_F)

LayerNorm over d features (biased variance, ε inside the root, affine γ, β):

    J_LN(z) = diag(γ)/s · (I − 11ᵀ/d − ẑẑᵀ/d),   s = √(σ²(z) + ε),  ẑ = (z − μ(z))/s      [d, d]
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

__all__ = ["Branch", "PreNormBlock", "PostNormBlock", "layernorm_jacobian", "stack_jacobian", "make_stack"]


class Branch(nn.Module):
    """F(x) = W₂ tanh(W₁ x + b₁) + b₂, a smooth sublayer (d -> h -> d)."""

    def __init__(self, d: int, h: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(d, h, dtype=torch.float64)
        self.fc2 = nn.Linear(h, d, dtype=torch.float64)

    def forward(self, x: Tensor) -> Tensor:  # [..., d] -> [..., d]
        return self.fc2(torch.tanh(self.fc1(x)))


class PreNormBlock(nn.Module):
    """x + F(LN(x))."""

    def __init__(self, d: int, h: int, eps: float = 1e-5) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(d, eps=eps, dtype=torch.float64)
        self.branch = Branch(d, h)

    def forward(self, x: Tensor) -> Tensor:
        return x + self.branch(self.norm(x))


class PostNormBlock(nn.Module):
    """LN(x + F(x))."""

    def __init__(self, d: int, h: int, eps: float = 1e-5) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(d, eps=eps, dtype=torch.float64)
        self.branch = Branch(d, h)

    def forward(self, x: Tensor) -> Tensor:
        return self.norm(x + self.branch(x))


def layernorm_jacobian(z: Tensor, gamma: Tensor, eps: float) -> Tensor:
    """∂LN(z)/∂z for one vector z [d], in closed form.  # [d, d]"""
    if z.dim() != 1:
        raise ValueError(f"layernorm_jacobian takes one vector [d], got shape {tuple(z.shape)}")
    d = z.shape[0]
    mu = z.mean()
    s = torch.sqrt(((z - mu) ** 2).mean() + eps)
    zhat = (z - mu) / s  # [d]
    eye = torch.eye(d, dtype=z.dtype)
    proj = eye - torch.ones(d, d, dtype=z.dtype) / d - torch.outer(zhat, zhat) / d  # [d, d]
    return gamma[:, None] * proj / s


def make_stack(kind: str, d: int, h: int, depth: int, seed: int, *, branch_scale: float = 1.0, eps: float = 1e-5):
    """``depth`` Pre- or Post-Norm blocks; weights from torch.Generator(seed), the last layer of each
    branch scaled by ``branch_scale`` (0 gives a zero branch), LayerNorm γ, β drawn away from (1, 0)."""
    gen = torch.Generator().manual_seed(seed)
    cls = {"pre": PreNormBlock, "post": PostNormBlock}[kind]
    blocks = []
    for _ in range(depth):
        blk = cls(d, h, eps)
        with torch.no_grad():
            for lin in (blk.branch.fc1, blk.branch.fc2):
                fan = lin.in_features
                lin.weight.copy_((torch.rand(lin.weight.shape, generator=gen, dtype=torch.float64) * 2 - 1) / fan**0.5)
                lin.bias.copy_((torch.rand(lin.bias.shape, generator=gen, dtype=torch.float64) * 2 - 1) / fan**0.5)
            blk.branch.fc2.weight.mul_(branch_scale)
            blk.branch.fc2.bias.mul_(branch_scale)
            blk.norm.weight.copy_(0.5 + torch.rand(d, generator=gen, dtype=torch.float64))
            blk.norm.bias.copy_(torch.rand(d, generator=gen, dtype=torch.float64) - 0.5)
        blocks.append(blk)
    return blocks


def stack_jacobian(blocks, x: Tensor) -> Tensor:
    """∂x_L/∂x_0 of the composed blocks, by torch.autograd.functional.jacobian.  # [d, d]"""

    def run(v: Tensor) -> Tensor:
        for blk in blocks:
            v = blk(v)
        return v

    return torch.autograd.functional.jacobian(run, x)
