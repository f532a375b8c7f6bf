"""Independent implementations of the ``bn.backward`` contract (a multi-output contract), right and wrong.

    fn(grad_out[N, C], x[N, C], gamma[C], eps) -> (dx[N, C], dgamma[C], dbeta[C])

cs231n's ``batchnorm_backward(dout, cache)`` with the cache spelled out: the upstream gradient
first, then what the forward saw (training mode, biased variance, ε inside the root). Every one of
the three returned tensors is compared; a failure names the one that differs. A target must
return a tuple or list in this order (a dict is refused: exit 2, with the adapter to write).

    dlproofs conform bn.backward examples/conform/bn_backward.py:bug_no_variance_path
    dlproofs conform bn.backward examples/conform/bn_backward.py:ok_cs231n_staged
"""

import numpy as np
import torch
import torch.nn.functional as F

CLAIM = "bn.backward"


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_autograd(grad_out, x, gamma, eps):
    """Let torch differentiate F.batch_norm (β = 0: it does not enter the gradients)."""
    x, gamma = x.clone().requires_grad_(), gamma.clone().requires_grad_()
    beta = torch.zeros_like(gamma, requires_grad=True)
    y = F.batch_norm(x, None, None, gamma, beta, training=True, eps=eps)
    return torch.autograd.grad(y, (x, gamma, beta), grad_out)


def ok_compact(grad_out, x, gamma, eps):
    """The closed form: dx = γ/(m σ)·(m g − Σg − x̂ Σ g x̂)."""
    m = x.shape[0]
    inv_std = torch.rsqrt(x.var(0, unbiased=False) + eps)  # [C]
    x_hat = (x - x.mean(0)) * inv_std  # [N, C]
    dbeta = grad_out.sum(0)  # [C]
    dgamma = (grad_out * x_hat).sum(0)  # [C]
    dx = gamma * inv_std / m * (m * grad_out - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta


def ok_cs231n_staged(grad_out, x, gamma, eps):
    """The computational-graph walk (cs231n assignment 2), one node at a time."""
    n = x.shape[0]
    mu = x.mean(0)
    xmu = x - mu
    var = (xmu**2).mean(0)
    sqrtvar = torch.sqrt(var + eps)
    ivar = 1 / sqrtvar
    xhat = xmu * ivar
    dbeta = grad_out.sum(0)
    dgamma = (grad_out * xhat).sum(0)
    dxhat = grad_out * gamma
    divar = (dxhat * xmu).sum(0)
    dxmu1 = dxhat * ivar
    dsqrtvar = -divar / sqrtvar**2
    dvar = 0.5 * dsqrtvar / sqrtvar
    dsq = torch.ones_like(x) * dvar / n
    dxmu2 = 2 * xmu * dsq
    dx1 = dxmu1 + dxmu2
    dmu = -dx1.sum(0)
    dx2 = torch.ones_like(x) * dmu / n
    return dx1 + dx2, dgamma, dbeta


def ok_vjp(grad_out, x, gamma, eps):
    """torch.func.vjp of a hand-written forward."""

    def forward(x, gamma, beta):
        mu = x.mean(0)
        return gamma * (x - mu) / torch.sqrt(((x - mu) ** 2).mean(0) + eps) + beta

    _, pullback = torch.func.vjp(forward, x, gamma, torch.zeros_like(gamma))
    return pullback(grad_out)


def ok_numpy(grad_out, x, gamma, eps):
    """numpy arrays in, a tuple of arrays out (detected by the interface probe)."""
    m = x.shape[0]
    x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)  # np.var: biased by default
    dgamma = np.sum(grad_out * x_hat, axis=0)
    dbeta = np.sum(grad_out, axis=0)
    dx = gamma / (m * np.sqrt(x.var(axis=0) + eps)) * (m * grad_out - dbeta - x_hat * dgamma)
    return [dx, dgamma, dbeta]  # a list is accepted as well as a tuple


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_no_variance_path(grad_out, x, gamma, eps):
    """Forgets that σ² depends on x: the −x̂·mean(g x̂) term of dx is missing."""
    x_hat = (x - x.mean(0)) / torch.sqrt(x.var(0, unbiased=False) + eps)
    dx = gamma / torch.sqrt(x.var(0, unbiased=False) + eps) * (grad_out - grad_out.mean(0))
    return dx, (grad_out * x_hat).sum(0), grad_out.sum(0)


def bug_unbiased_variance(grad_out, x, gamma, eps):
    """x.var(0) (divide by N − 1) in the backward, though the forward used the biased variance."""
    m = x.shape[0]
    inv_std = torch.rsqrt(x.var(0) + eps)
    x_hat = (x - x.mean(0)) * inv_std
    dgamma, dbeta = (grad_out * x_hat).sum(0), grad_out.sum(0)
    return gamma * inv_std / m * (m * grad_out - dbeta - x_hat * dgamma), dgamma, dbeta


def bug_eps_outside_root(grad_out, x, gamma, eps):
    m = x.shape[0]
    inv_std = 1 / (x.std(0, unbiased=False) + eps)
    x_hat = (x - x.mean(0)) * inv_std
    dgamma, dbeta = (grad_out * x_hat).sum(0), grad_out.sum(0)
    return gamma * inv_std / m * (m * grad_out - dbeta - x_hat * dgamma), dgamma, dbeta


def bug_dgamma_wrong_axis(grad_out, x, gamma, eps):
    """dγ, dβ summed over the features (axis 1): shape [N], the contract's [C] only when N = C."""
    dx, _, _ = ok_compact(grad_out, x, gamma, eps)
    x_hat = (x - x.mean(0)) / torch.sqrt(x.var(0, unbiased=False) + eps)
    return dx, (grad_out * x_hat).sum(1), grad_out.sum(1)


def bug_dgamma_of_x(grad_out, x, gamma, eps):
    """dγ = Σ g·x: the un-normalized input instead of x̂."""
    dx, _, dbeta = ok_compact(grad_out, x, gamma, eps)
    return dx, (grad_out * x).sum(0), dbeta


def bug_outputs_swapped(grad_out, x, gamma, eps):
    """Returns (dx, dbeta, dgamma): the right numbers, in the wrong order."""
    dx, dgamma, dbeta = ok_compact(grad_out, x, gamma, eps)
    return dx, dbeta, dgamma


def bug_dx_without_gamma(grad_out, x, gamma, eps):
    """dx computed from ∂L/∂x̂ = g instead of g·γ."""
    dx, dgamma, dbeta = ok_compact(grad_out, x, torch.ones_like(gamma), eps)
    return dx, dgamma, dbeta


# ── cannot be called as the contract calls it (exit 2) ─────────────────────────────────────
def iface_dict_return(grad_out, x, gamma, eps):
    """Returns {"dx": ..., "dgamma": ..., "dbeta": ...}: read by position only, so wrap it."""
    dx, dgamma, dbeta = ok_compact(grad_out, x, gamma, eps)
    return {"dx": dx, "dgamma": dgamma, "dbeta": dbeta}


def iface_dx_only(grad_out, x, gamma, eps):
    """Returns dx alone."""
    return ok_compact(grad_out, x, gamma, eps)[0]


def iface_float32(grad_out, x, gamma, eps):
    return tuple(t.float() for t in ok_compact(grad_out, x, gamma, eps))
