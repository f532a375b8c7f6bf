"""Independent implementations of the ``ln.forward`` contract, right and wrong.

    fn(x[N, D], gamma[D], beta[D], eps) -> y[N, D]     each sample over its D features,
                                                       biased variance, ε inside the root

``ok_*`` must conform; ``bug_*`` must be rejected with a counterexample; ``iface_*`` cannot be
called as the contract calls them (exit 2 before any search). ``AnnotatedTransformerLayerNorm`` is
the Annotated Transformer's module as shipped (parameters a_2, b_2; unbiased std, ε outside the
root): name its parameters and the shrunk D = 1 NaN comes with a non-degenerate failing case:

    dlproofs conform ln.forward examples/conform/ln_forward.py:AnnotatedTransformerLayerNorm --weights a_2=gamma,b_2=beta
"""

import numpy as np
import torch
import torch.nn.functional as F

CLAIM = "ln.forward"


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_manual(x, gamma, beta, eps):
    mu = x.mean(-1, keepdim=True)  # [N, D] -> [N, 1]
    var = ((x - mu) ** 2).mean(-1, keepdim=True)  # biased
    return gamma * (x - mu) / torch.sqrt(var + eps) + beta


def ok_functional(x, gamma, beta, eps):
    return F.layer_norm(x, (x.shape[-1],), gamma, beta, eps)


def ok_module(x, gamma, beta, eps):
    ln = torch.nn.LayerNorm(x.shape[-1], eps=eps, dtype=x.dtype)
    with torch.no_grad():
        ln.weight.copy_(gamma)
        ln.bias.copy_(beta)
    return ln(x).detach()


def ok_einsum(x, gamma, beta, eps):
    d = x.shape[-1]
    centred = x - torch.einsum("nd->n", x)[:, None] / d
    var = torch.einsum("nd,nd->n", centred, centred) / d
    return torch.einsum("nd,n,d->nd", centred, torch.rsqrt(var + eps), gamma) + beta


def ok_var_mean(x, gamma, beta, eps):
    var, mu = torch.var_mean(x, dim=-1, keepdim=True, correction=0)
    return torch.addcmul(beta, gamma, (x - mu) * torch.rsqrt(var + eps))


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_unbiased_variance(x, gamma, beta, eps):
    """Divides by D − 1 (NaN when D = 1)."""
    return gamma * (x - x.mean(-1, keepdim=True)) / torch.sqrt(x.var(-1, keepdim=True) + eps) + beta


def bug_eps_outside_root(x, gamma, beta, eps):
    return gamma * (x - x.mean(-1, keepdim=True)) / (x.std(-1, unbiased=False, keepdim=True) + eps) + beta


def bug_over_batch(x, gamma, beta, eps):
    """BatchNorm's axis: each feature over the batch."""
    return gamma * (x - x.mean(0)) / torch.sqrt(x.var(0, unbiased=False) + eps) + beta


def bug_global_statistics(x, gamma, beta, eps):
    """Statistics over the whole batch tensor (right only when N = 1)."""
    return gamma * (x - x.mean()) / torch.sqrt(x.var(unbiased=False) + eps) + beta


def bug_no_eps(x, gamma, beta, eps):
    return gamma * (x - x.mean(-1, keepdim=True)) / x.std(-1, unbiased=False, keepdim=True) + beta


def bug_affine_per_sample(x, gamma, beta, eps):
    """γ and β broadcast down the batch axis instead of along the features ([D, 1] against [N, D])."""
    y = F.layer_norm(x, (x.shape[-1],), eps=eps)
    return gamma[:, None] * y + beta[:, None]


def bug_batch_norm_of_transpose(x, gamma, beta, eps):
    """LayerNorm of x is BatchNorm of x.T, mathematically; but F.batch_norm refuses one value per
    channel in training, so this raises on D = 1, which LayerNorm accepts (y = β)."""
    return F.batch_norm(x.T, None, None, training=True, eps=eps).T * gamma + beta


def iface_float32(x, gamma, beta, eps):
    return F.layer_norm(x.float(), (x.shape[-1],), gamma.float(), beta.float(), eps)


def bug_mean_abs_deviation(x, gamma, beta, eps):
    """Divides by the mean absolute deviation instead of the standard deviation."""
    c = x - x.mean(-1, keepdim=True)
    return gamma * c / (c.abs().mean(-1, keepdim=True) + eps) + beta


def bug_one_pass_variance(x, gamma, beta, eps):
    """σ² = E[x²] − E[x]²: loses every digit under a large common offset."""
    mu = x.mean(-1, keepdim=True)
    var = (x * x).mean(-1, keepdim=True) - mu * mu
    return gamma * (x - mu) / torch.sqrt(var + eps) + beta


def ok_numpy(x, gamma, beta, eps):
    """numpy arrays in and out (detected by the interface probe)."""
    mu = np.mean(x, axis=-1, keepdims=True)
    return gamma * (x - mu) / np.sqrt(np.var(x, axis=-1, keepdims=True) + eps) + beta


ok_torch_module_class = torch.nn.LayerNorm


class AnnotatedTransformerLayerNorm(torch.nn.Module):
    """harvardnlp/annotated-transformer's LayerNorm, as shipped."""

    def __init__(self, features, eps=1e-6):
        super().__init__()
        self.a_2 = torch.nn.Parameter(torch.ones(features))
        self.b_2 = torch.nn.Parameter(torch.zeros(features))
        self.eps = eps

    def forward(self, x):
        mean = x.mean(-1, keepdim=True)
        std = x.std(-1, keepdim=True)
        return self.a_2 * (x - mean) / (std + self.eps) + self.b_2


# ── float32 mode: run with --dtype float32 by tests/test_conform_precision.py (names that start with
# "float32_" are not run by the float64 gallery, where float32 code is an interface error) ──────────
def float32_ok_builtin(x, gamma, beta, eps):
    """Code written for float32 (the .float() casts of iface_float32): conforms under --dtype float32."""
    return F.layer_norm(x.float(), (x.shape[-1],), gamma.float(), beta.float(), eps)


def float32_bug_one_pass_variance(x, gamma, beta, eps):
    """σ² = E[x²] − E[x]² in float32: under a common offset the two terms agree in most of float32's 24 bits."""
    x, gamma, beta = x.float(), gamma.float(), beta.float()
    mu = x.mean(-1, keepdim=True)
    var = (x * x).mean(-1, keepdim=True) - mu * mu
    return gamma * (x - mu) / torch.sqrt(var + eps) + beta
