"""Independent implementations of the ``ln.backward`` contract (a multi-output contract), right and wrong.

    fn(grad_out[N, D], x[N, D], gamma[D], eps) -> (dx[N, D], dgamma[D], dbeta[D])

Each sample normalized over its D features (biased variance, ε inside the root); dgamma and dbeta
summed over the batch. ``ok_llmc_doc`` is llm.c's doc/layernorm/layernorm.py backward, which takes a
cache (x, w, mean, rstd) from its forward: adapted by recomputing the cache from the contract's
inputs. ``ok_llmc_c_style`` ports train_gpt2.c's ``layernorm_backward``, which *accumulates* into
buffers it is given (``dinp[i] += ...``, ``dweight[i] += ...``): adapted by passing zeroed buffers
and returning them as the tuple.

    dlproofs conform ln.backward examples/conform/ln_backward.py:bug_batchnorm_axis
"""

import numpy as np
import torch
import torch.nn.functional as F

CLAIM = "ln.backward"


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_autograd(grad_out, x, gamma, eps):
    x, gamma = x.clone().requires_grad_(), gamma.clone().requires_grad_()
    beta = torch.zeros_like(gamma, requires_grad=True)
    y = F.layer_norm(x, (x.shape[-1],), gamma, beta, eps)
    return torch.autograd.grad(y, (x, gamma, beta), grad_out)


def ok_llmc_doc(grad_out, x, gamma, eps):
    """llm.c doc/layernorm/layernorm.py LayerNorm.backward(dout, cache), cache rebuilt; sums over (0,) not (0, 1):
    the contract's x is [N, D], llm.c's [B, T, C]."""
    mean = x.sum(-1, keepdim=True) / x.shape[-1]
    rstd = (((x - mean) ** 2).sum(-1, keepdim=True) / x.shape[-1] + eps) ** -0.5
    norm = (x - mean) * rstd
    db = grad_out.sum(0)
    dw = (grad_out * norm).sum(0)
    dnorm = grad_out * gamma
    dx = dnorm - dnorm.mean(-1, keepdim=True) - norm * (dnorm * norm).mean(-1, keepdim=True)
    dx *= rstd
    return dx, dw, db


def ok_llmc_c_style(grad_out, x, gamma, eps):
    """train_gpt2.c layernorm_backward, row by row, accumulating into zeroed buffers."""
    n, d = x.shape
    dinp, dweight, dbias = torch.zeros_like(x), torch.zeros_like(gamma), torch.zeros_like(gamma)
    for b in range(n):
        mean = x[b].mean()
        rstd = 1 / torch.sqrt(((x[b] - mean) ** 2).mean() + eps)
        dnorm_mean, dnorm_norm_mean = 0.0, 0.0
        for i in range(d):
            norm_bti = (x[b, i] - mean) * rstd
            dnorm_i = gamma[i] * grad_out[b, i]
            dnorm_mean = dnorm_mean + dnorm_i
            dnorm_norm_mean = dnorm_norm_mean + dnorm_i * norm_bti
        dnorm_mean, dnorm_norm_mean = dnorm_mean / d, dnorm_norm_mean / d
        for i in range(d):
            norm_bti = (x[b, i] - mean) * rstd
            dnorm_i = gamma[i] * grad_out[b, i]
            dbias[i] += grad_out[b, i]
            dweight[i] += norm_bti * grad_out[b, i]
            dinp[b, i] += (dnorm_i - dnorm_mean - norm_bti * dnorm_norm_mean) * rstd
    return dinp, dweight, dbias


def ok_vjp(grad_out, x, gamma, eps):
    def forward(x, gamma, beta):
        mu = x.mean(-1, keepdim=True)
        return gamma * (x - mu) / torch.sqrt(((x - mu) ** 2).mean(-1, keepdim=True) + eps) + beta

    _, pullback = torch.func.vjp(forward, x, gamma, torch.zeros_like(gamma))
    return pullback(grad_out)


def ok_numpy(grad_out, x, gamma, eps):
    """numpy arrays in, a tuple of arrays out (detected by the interface probe)."""
    d = x.shape[-1]
    std = np.sqrt(np.var(x, axis=-1, keepdims=True) + eps)  # np.var: biased by default
    xhat = (x - np.mean(x, axis=-1, keepdims=True)) / std
    ghat = grad_out * gamma
    dx = (d * ghat - np.sum(ghat, axis=-1, keepdims=True) - xhat * np.sum(ghat * xhat, axis=-1, keepdims=True)) / (
        d * std
    )
    return dx, np.sum(grad_out * xhat, axis=0), np.sum(grad_out, axis=0)


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def _compact(grad_out, x, gamma, eps, *, dim=-1, ddof=0, variance_path=True, eps_outside=False, gamma_in_dx=True):
    d = x.shape[dim]
    c = x - x.mean(dim, keepdim=True)
    var = (c**2).sum(dim, keepdim=True) / (d - ddof)
    inv = 1 / (var.sqrt() + eps) if eps_outside else torch.rsqrt(var + eps)
    xhat = c * inv
    gh = grad_out * gamma if gamma_in_dx else grad_out
    term = xhat * (gh * xhat).sum(dim, keepdim=True) if variance_path else 0
    return inv / d * (d * gh - gh.sum(dim, keepdim=True) - term), (grad_out * xhat).sum(0), grad_out.sum(0)


def bug_batchnorm_axis(grad_out, x, gamma, eps):
    """BatchNorm's backward reused: statistics and sums over the batch axis."""
    return _compact(grad_out, x, gamma, eps, dim=0)


def bug_no_variance_path(grad_out, x, gamma, eps):
    return _compact(grad_out, x, gamma, eps, variance_path=False)


def bug_unbiased_variance(grad_out, x, gamma, eps):
    """x.var(-1): divides by D − 1 (NaN for D = 1)."""
    return _compact(grad_out, x, gamma, eps, ddof=1)


def bug_eps_outside_root(grad_out, x, gamma, eps):
    return _compact(grad_out, x, gamma, eps, eps_outside=True)


def bug_dx_without_gamma(grad_out, x, gamma, eps):
    """∂L/∂x̂ taken as g instead of g·γ."""
    return _compact(grad_out, x, gamma, eps, gamma_in_dx=False)


def bug_dgamma_over_features(grad_out, x, gamma, eps):
    """dγ, dβ summed over the features (axis 1): shape [N], the contract's [D] only when N = D."""
    dx, _, _ = _compact(grad_out, x, gamma, eps)
    xhat = (x - x.mean(-1, keepdim=True)) / torch.sqrt(x.var(-1, unbiased=False, keepdim=True) + eps)
    return dx, (grad_out * xhat).sum(1), grad_out.sum(1)


def bug_dgamma_without_xhat(grad_out, x, gamma, eps):
    """dγ = Σ g·x (the raw input instead of x̂)."""
    dx, _, dbeta = _compact(grad_out, x, gamma, eps)
    return dx, (grad_out * x).sum(0), dbeta


def iface_dict_return(grad_out, x, gamma, eps):
    dx, dgamma, dbeta = _compact(grad_out, x, gamma, eps)
    return {"dx": dx, "dgamma": dgamma, "dbeta": dbeta}


def iface_float32(grad_out, x, gamma, eps):
    return tuple(t.float() for t in _compact(grad_out, x, gamma, eps))


def duck_typed_var(grad_out, x, gamma, eps):
    """Runs on tensors and arrays alike, but x.var() is unbiased in torch and biased in numpy: the probe sees
    the two disagree and asks which it is (--arrays numpy makes it conform)."""
    d = x.shape[-1]
    std = (x.var(-1, keepdims=True) + eps) ** 0.5
    xhat = (x - x.mean(-1, keepdims=True)) / std
    ghat = grad_out * gamma
    dx = (d * ghat - ghat.sum(-1, keepdims=True) - xhat * (ghat * xhat).sum(-1, keepdims=True)) / (d * std)
    return dx, (grad_out * xhat).sum(0), grad_out.sum(0)
