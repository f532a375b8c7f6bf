"""Independent implementations of the ``xent.grad-sum`` contract, right and wrong.

    fn(z[N, K], y[N] int64) -> dz[N, K]     ∂/∂z of F.cross_entropy(z, y, reduction="sum"):
                                            softmax(z) − onehot(y), no 1/N

``ok_*`` must conform; ``bug_*`` must be rejected. Try:

    dlproofs conform xent.grad-sum examples/conform/xent_grad_sum.py:bug_mean_reduction
"""

import numpy as np
import torch
import torch.nn.functional as F

CLAIM = "xent.grad-sum"


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_autograd(z, y):
    zz = z.clone().requires_grad_(True)
    F.cross_entropy(zz, y, reduction="sum").backward()
    return zz.grad


def ok_closed_form(z, y):
    return torch.softmax(z, dim=-1) - F.one_hot(y, z.shape[1]).to(z.dtype)


def ok_scatter(z, y):
    grad = torch.softmax(z, dim=-1)
    grad[torch.arange(z.shape[0]), y] -= 1
    return grad


def ok_numpy(z, y):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    dx = e / e.sum(axis=1, keepdims=True)
    dx[np.arange(z.shape[0]), y] -= 1
    return dx


def ok_per_row_loop(z, y):
    """One row at a time, autograd of −log_softmax at the label, summed."""
    zz = z.clone().requires_grad_(True)
    loss = sum(-F.log_softmax(zz[i], dim=-1)[y[i]] for i in range(z.shape[0]))
    loss.backward()
    return zz.grad


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_mean_reduction(z, y):
    """F.cross_entropy's default reduction="mean": divided by N."""
    zz = z.clone().requires_grad_(True)
    F.cross_entropy(zz, y).backward()
    return zz.grad


def bug_no_softmax(z, y):
    return z - F.one_hot(y, z.shape[1]).to(z.dtype)


def bug_sign_flipped(z, y):
    return F.one_hot(y, z.shape[1]).to(z.dtype) - torch.softmax(z, dim=-1)


def bug_log_softmax(z, y):
    return F.log_softmax(z, dim=-1) - F.one_hot(y, z.shape[1]).to(z.dtype)


def bug_no_max_subtraction(z, y):
    e = torch.exp(z)
    return e / e.sum(dim=1, keepdim=True) - F.one_hot(y, z.shape[1]).to(z.dtype)


def bug_onehot_off_by_one(z, y):
    """Labels taken as 1-based: the one-hot lands one class to the right (wrapping around)."""
    return torch.softmax(z, dim=-1) - F.one_hot((y + 1) % z.shape[1], z.shape[1]).to(z.dtype)
