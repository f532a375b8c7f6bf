"""Independent implementations of the ``rmsnorm.forward`` contract, right and wrong.

    fn(x[N, D], gamma[D], eps) -> y[N, D]     γ·x/√(mean(x²) + ε) over the last axis: no centring, no β

``ok_*`` must conform (functions, numpy, and module classes built by the rmsnorm.forward convention
cls(D, eps=eps), weight ← gamma); ``bug_*`` must be rejected with a counterexample. Try:

    dlproofs conform rmsnorm.forward examples/conform/rmsnorm_forward.py:bug_mean_centred
    dlproofs conform rmsnorm.forward examples/conform/rmsnorm_forward.py:LlamaRMSNorm
"""

import numpy as np
import torch
import torch.nn.functional as F

CLAIM = "rmsnorm.forward"


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_manual(x, gamma, eps):
    return gamma * x / torch.sqrt((x**2).mean(-1, keepdim=True) + eps)


def ok_functional(x, gamma, eps):
    return F.rms_norm(x, (x.shape[-1],), gamma, eps)


def ok_rsqrt_pow(x, gamma, eps):
    """LLaMA's arithmetic: x · rsqrt(mean(x²) + ε), then the weight."""
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * gamma


def ok_norm(x, gamma, eps):
    """‖x‖₂/√D is the RMS (with ε added to the mean square, not the norm)."""
    d = x.shape[-1]
    return gamma * x / torch.sqrt(torch.linalg.vector_norm(x, dim=-1, keepdim=True) ** 2 / d + eps)


def ok_numpy(x, gamma, eps):
    return gamma * x / np.sqrt(np.mean(x**2, axis=-1, keepdims=True) + eps)


class LlamaRMSNorm(torch.nn.Module):
    """meta-llama's RMSNorm(dim, eps), as written there (minus the float() cast-and-back)."""

    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = torch.nn.Parameter(torch.ones(dim))

    def _norm(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)

    def forward(self, x):
        return self._norm(x) * self.weight


ok_llama_module_class = LlamaRMSNorm
ok_torch_module_class = torch.nn.RMSNorm


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_mean_centred(x, gamma, eps):
    """Subtracts the mean first: that is LayerNorm (without β), not RMSNorm."""
    c = x - x.mean(-1, keepdim=True)
    return gamma * c / torch.sqrt((c**2).mean(-1, keepdim=True) + eps)


def bug_layer_norm(x, gamma, eps):
    return F.layer_norm(x, (x.shape[-1],), gamma, None, eps)


def bug_eps_outside_root(x, gamma, eps):
    return gamma * x / (torch.sqrt((x**2).mean(-1, keepdim=True)) + eps)


def bug_over_batch(x, gamma, eps):
    """RMS over the batch (axis 0) instead of the features."""
    return gamma * x / torch.sqrt((x**2).mean(0, keepdim=True) + eps)


def bug_sum_not_mean(x, gamma, eps):
    """Σx² instead of mean(x²): off by √D."""
    return gamma * x / torch.sqrt((x**2).sum(-1, keepdim=True) + eps)


def bug_no_eps(x, gamma, eps):
    """ε dropped: 0/0 = NaN on an all-zero row."""
    return gamma * x / torch.sqrt((x**2).mean(-1, keepdim=True))


def bug_fixed_eps(x, gamma, eps):
    """Ignores the eps argument (LLaMA's default 1e-6)."""
    return F.rms_norm(x, (x.shape[-1],), gamma, 1e-6)


def bug_abs_mean(x, gamma, eps):
    """mean|x| instead of the root mean square."""
    return gamma * x / (x.abs().mean(-1, keepdim=True) + eps)


class RMSNormLayerNormStyle(LlamaRMSNorm):
    """A module that centres: LayerNorm without β under RMSNorm's name."""

    def _norm(self, x):
        c = x - x.mean(-1, keepdim=True)
        return c * torch.rsqrt(c.pow(2).mean(-1, keepdim=True) + self.eps)


bug_module_class_centred = RMSNormLayerNormStyle


def iface_float32(x, gamma, eps):
    return F.rms_norm(x.float(), (x.shape[-1],), gamma.float(), eps)
