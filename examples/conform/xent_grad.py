"""Independent implementations of the ``xent.grad`` contract, right and wrong.

    fn(z[N, K], y[N] int64) -> dz[N, K]     ∂/∂z of F.cross_entropy(z, y) (mean over the N rows):
                                            (softmax(z) − onehot(y)) / N

``ok_*`` must conform; ``bug_*`` must be rejected. cs231n's ``softmax_loss(x, y)`` returns
``(loss, dx)``: judge it with ``--output 1``. Try:

    dlproofs conform xent.grad examples/conform/xent_grad.py:bug_sum_reduction
    dlproofs conform xent.grad examples/conform/xent_grad.py:softmax_loss --output 1
"""

import numpy as np
import torch
import torch.nn.functional as F

CLAIM = "xent.grad"


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_autograd(z, y):
    zz = z.clone().requires_grad_(True)
    F.cross_entropy(zz, y).backward()
    return zz.grad


def ok_closed_form(z, y):
    p = torch.softmax(z, dim=-1)
    return (p - F.one_hot(y, z.shape[1]).to(z.dtype)) / z.shape[0]


def ok_scatter(z, y):
    """Subtract 1 at each row's label in place (llm.c's crossentropy_softmax_backward, vectorized)."""
    grad = torch.softmax(z, dim=-1)
    grad[torch.arange(z.shape[0]), y] -= 1
    return grad / z.shape[0]


def ok_nll_log_softmax(z, y):
    zz = z.clone().requires_grad_(True)
    loss = F.nll_loss(F.log_softmax(zz, dim=-1), y)
    (g,) = torch.autograd.grad(loss, zz)
    return g


def ok_module(z, y):
    zz = z.clone().requires_grad_(True)
    torch.nn.CrossEntropyLoss()(zz, y).backward()
    return zz.grad


def softmax_loss(x, y):
    """cs231n's layers.softmax_loss (numpy): returns (loss, dx); compare element 1 with --output 1."""
    shifted = x - np.max(x, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    probs = np.exp(log_probs)
    n = x.shape[0]
    loss = -np.sum(log_probs[np.arange(n), y]) / n
    dx = probs.copy()
    dx[np.arange(n), y] -= 1
    dx /= n
    return loss, dx


def ok_numpy(z, y):
    return softmax_loss(z, y)[1]


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_sum_reduction(z, y):
    """The gradient of the summed loss: N times too large."""
    zz = z.clone().requires_grad_(True)
    F.cross_entropy(zz, y, reduction="sum").backward()
    return zz.grad


def bug_no_softmax(z, y):
    """The logits where the probabilities belong."""
    return (z - F.one_hot(y, z.shape[1]).to(z.dtype)) / z.shape[0]


def bug_sign_flipped(z, y):
    """onehot − p: the descent direction, not the gradient."""
    return (F.one_hot(y, z.shape[1]).to(z.dtype) - torch.softmax(z, dim=-1)) / z.shape[0]


def bug_log_softmax(z, y):
    return (F.log_softmax(z, dim=-1) - F.one_hot(y, z.shape[1]).to(z.dtype)) / z.shape[0]


def bug_divide_by_classes(z, y):
    """z.shape[1] for z.shape[0]: right only when N = K."""
    grad = torch.softmax(z, dim=-1)
    grad[torch.arange(z.shape[0]), y] -= 1
    return grad / z.shape[1]


def bug_no_max_subtraction(z, y):
    """e^z/Σe^z overflows for logits above 709.78: NaN."""
    e = torch.exp(z)
    return (e / e.sum(dim=1, keepdim=True) - F.one_hot(y, z.shape[1]).to(z.dtype)) / z.shape[0]


def bug_numpy_label_column(z, y):
    """Subtracts 1 from every row's column y[0] (a loop variable that never advanced)."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    dx = e / e.sum(axis=1, keepdims=True)
    dx[:, y[0]] -= 1
    return dx / z.shape[0]
