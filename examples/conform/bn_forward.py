"""Independent implementations of the ``bn.forward`` contract, right and wrong.

    fn(x[N, C], gamma[C], beta[C], eps) -> y[N, C]     training mode: batch statistics,
                                                       biased variance, ε inside the root

``ok_*`` are correct (written several ways: torch, numpy, an nn.Module class) and must conform;
``bug_*`` carry one mistake seen in real code and must be rejected with a counterexample;
``iface_*`` cannot be called as the contract calls them (float32, a numpy return from tensors, a
tuple return): exit 2 before any search. Try:

    dlproofs conform bn.forward examples/conform/bn_forward.py:bug_unbiased_variance
    dlproofs conform bn.forward examples/conform/bn_forward.py:BatchNorm        # a module class
    dlproofs conform bn.forward examples/conform/bn_forward.py:numpy_batch_norm # a numpy target
    dlproofs conform bn.forward examples/conform/bn_forward.py:iface_tuple_return --output 0
"""

import numpy as np
import torch
import torch.nn.functional as F

CLAIM = "bn.forward"


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_manual(x, gamma, beta, eps):
    """Two-pass, as in the paper: centre, then the mean of squares."""
    mu = x.mean(0)  # [N, C] -> [C]
    var = ((x - mu) ** 2).mean(0)  # biased: / N
    return gamma * (x - mu) / torch.sqrt(var + eps) + beta


def ok_functional(x, gamma, beta, eps):
    """The built-in, with no running statistics."""
    return F.batch_norm(x, None, None, gamma, beta, training=True, eps=eps)


def ok_module(x, gamma, beta, eps):
    """nn.BatchNorm1d in train mode (float64 parameters)."""
    bn = torch.nn.BatchNorm1d(x.shape[1], eps=eps, dtype=x.dtype)
    with torch.no_grad():
        bn.weight.copy_(gamma)
        bn.bias.copy_(beta)
    return bn.train()(x).detach()


def ok_einsum(x, gamma, beta, eps):
    n = x.shape[0]
    mu = torch.einsum("nc->c", x) / n
    d = x - mu
    var = torch.einsum("nc,nc->c", d, d) / n
    return torch.einsum("c,nc->nc", gamma * torch.rsqrt(var + eps), d) + beta


def ok_var_mean(x, gamma, beta, eps):
    var, mu = torch.var_mean(x, dim=0, correction=0)  # correction=0: the biased variance
    scale = gamma / torch.sqrt(var + eps)
    return x * scale + (beta - mu * scale)  # folded into one scale and one shift


def ok_layer_norm_of_transpose(x, gamma, beta, eps):
    """BatchNorm of x is LayerNorm of x.T (each channel normalized over its N values)."""
    return F.layer_norm(x.T, (x.shape[0],), eps=eps).T * gamma + beta


def ok_welford(x, gamma, beta, eps):
    """Streaming mean and variance (Welford), one row at a time."""
    mu = torch.zeros_like(x[0])
    m2 = torch.zeros_like(x[0])
    for i, row in enumerate(x, start=1):
        delta = row - mu
        mu = mu + delta / i
        m2 = m2 + delta * (row - mu)
    return gamma * (x - mu) / torch.sqrt(m2 / x.shape[0] + eps) + beta


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_unbiased_variance(x, gamma, beta, eps):
    """torch.var's default divides by N − 1 (that is what running_var uses, not the output)."""
    return gamma * (x - x.mean(0)) / torch.sqrt(x.var(0) + eps) + beta


def bug_eps_outside_root(x, gamma, beta, eps):
    """(x − μ)/(σ + ε) instead of (x − μ)/√(σ² + ε)."""
    return gamma * (x - x.mean(0)) / (x.std(0, unbiased=False) + eps) + beta


def bug_no_eps(x, gamma, beta, eps):
    """ε dropped: 0/0 = NaN on a constant column."""
    return gamma * (x - x.mean(0)) / x.std(0, unbiased=False) + beta


def bug_fixed_eps(x, gamma, beta, eps):
    """Ignores the eps argument and uses the usual default 1e-5."""
    return F.batch_norm(x, None, None, gamma, beta, training=True, eps=1e-5)


def bug_eval_mode(x, gamma, beta, eps):
    """A fresh nn.BatchNorm1d left in eval mode normalizes with running stats (0, 1), not the batch's."""
    bn = torch.nn.BatchNorm1d(x.shape[1], eps=eps, dtype=x.dtype)
    with torch.no_grad():
        bn.weight.copy_(gamma)
        bn.bias.copy_(beta)
    return bn.eval()(x).detach()


def bug_over_features(x, gamma, beta, eps):
    """LayerNorm's axis: each sample normalized over its channels."""
    mu = x.mean(1, keepdim=True)
    var = x.var(1, unbiased=False, keepdim=True)
    return gamma * (x - mu) / torch.sqrt(var + eps) + beta


def bug_global_statistics(x, gamma, beta, eps):
    """One mean and variance for the whole tensor instead of one per channel (right only when C = 1)."""
    return gamma * (x - x.mean()) / torch.sqrt(x.var(unbiased=False) + eps) + beta


def bug_one_pass_variance(x, gamma, beta, eps):
    """σ² = E[x²] − E[x]²: loses every digit under a large common offset (and can go negative)."""
    mu = x.mean(0)
    var = (x * x).mean(0) - mu * mu
    return gamma * (x - mu) / torch.sqrt(var + eps) + beta


def bug_gamma_beta_swapped(x, gamma, beta, eps):
    return beta * (x - x.mean(0)) / torch.sqrt(x.var(0, unbiased=False) + eps) + gamma


def iface_float32(x, gamma, beta, eps):
    """Computes in float32 (a habit from GPU code) and returns float32."""
    return F.batch_norm(x.float(), None, None, gamma.float(), beta.float(), training=True, eps=eps)


def iface_float32_module(x, gamma, beta, eps):
    """nn.BatchNorm1d created without dtype: float32 parameters meet float64 input and torch raises."""
    bn = torch.nn.BatchNorm1d(x.shape[1], eps=eps)
    with torch.no_grad():
        bn.weight.copy_(gamma)
        bn.bias.copy_(beta)
    return bn.train()(x).detach()


def bug_squeeze(x, gamma, beta, eps):
    """x.squeeze() to 'clean up' the input: with one channel, [N, 1] becomes [N] and so does y."""
    x = x.squeeze()
    mu = x.mean(0)
    var = ((x - mu) ** 2).mean(0)
    return gamma * (x - mu) / torch.sqrt(var + eps) + beta


def iface_numpy_return(x, gamma, beta, eps):
    """Right numbers, returned as a NumPy array."""
    a = x.numpy()
    y = (a - a.mean(0)) / np.sqrt(a.var(0) + eps)
    return gamma.numpy() * y + beta.numpy()


def iface_tuple_return(x, gamma, beta, eps):
    """cs231n style: (out, cache). Exit 2 unless --output 0 says which element is the output."""
    mu = x.mean(0)
    var = ((x - mu) ** 2).mean(0)
    xhat = (x - mu) / torch.sqrt(var + eps)
    return gamma * xhat + beta, (xhat, gamma, var, eps)


# ── numpy targets (arrays in, arrays out: detected by the interface probe) ─────────────────
def numpy_batch_norm(x, gamma, beta, eps):
    mu = np.mean(x, axis=0, keepdims=True)
    var = np.mean((x - mu) ** 2, axis=0, keepdims=True)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def numpy_batch_norm_unbiased(x, gamma, beta, eps):
    """np.var with ddof=1: the makemore / cs231n-forum mistake, in numpy."""
    return gamma * (x - x.mean(axis=0)) / np.sqrt(np.var(x, axis=0, ddof=1) + eps) + beta


ok_numpy = numpy_batch_norm
bug_numpy_unbiased = numpy_batch_norm_unbiased


# ── nn.Module classes (built per case by the bn.forward convention: cls(C, eps=eps), train mode,
#    weight <- gamma, bias <- beta) ──────────────────────────────────────────────────────────
class BatchNorm(torch.nn.Module):
    """A hand-written BatchNorm1d: parameters named as torch names them, ε a constructor argument."""

    def __init__(self, num_features, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = torch.nn.Parameter(torch.ones(num_features))
        self.bias = torch.nn.Parameter(torch.zeros(num_features))

    def forward(self, x):
        mu = x.mean(0)
        var = ((x - mu) ** 2).mean(0)
        return self.weight * (x - mu) / torch.sqrt(var + self.eps) + self.bias


class BatchNormUnbiased(BatchNorm):
    def forward(self, x):
        return self.weight * (x - x.mean(0)) / torch.sqrt(x.var(0) + self.eps) + self.bias


ok_module_class = BatchNorm
ok_torch_module_class = torch.nn.BatchNorm1d
bug_module_class_unbiased = BatchNormUnbiased
