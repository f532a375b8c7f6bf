"""Independent implementations of the ``softmax.jvp`` contract, right and wrong.

    fn(z[N, K], v[N, K]) -> jv[N, K]      J v per row, J = diag(p) − p pᵀ, p = softmax(z)

``ok_*`` must conform (J is symmetric, so autograd's vector-Jacobian product is right too);
``bug_*`` must be rejected. Try:

    dlproofs conform softmax.jvp examples/conform/softmax_jvp.py:bug_diag_only
"""

import numpy as np
import torch

CLAIM = "softmax.jvp"


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_closed_form(z, v):
    p = torch.softmax(z, dim=-1)
    return p * (v - (p * v).sum(dim=-1, keepdim=True))


def ok_func_jvp(z, v):
    return torch.func.jvp(lambda t: torch.softmax(t, dim=-1), (z,), (v,))[1]


def ok_autograd_vjp(z, v):
    """A vector-Jacobian product (what .backward computes): equal to J v because J is symmetric."""
    zz = z.clone().requires_grad_(True)
    torch.softmax(zz, dim=-1).backward(v)
    return zz.grad


def ok_full_jacobian(z, v):
    """Forms the K×K Jacobian per row (diag(p) − p pᵀ) and multiplies: O(K²), but right."""
    p = torch.softmax(z, dim=-1)  # [N, K]
    jac = torch.diag_embed(p) - p[:, :, None] * p[:, None, :]  # [N, K, K]
    return torch.einsum("nkl,nl->nk", jac, v)


def ok_numpy(z, v):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return p * v - p * np.sum(p * v, axis=1, keepdims=True)


def ok_autograd_functional_jvp(z, v):
    return torch.autograd.functional.jvp(lambda t: torch.softmax(t, dim=-1), z, v)[1]


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_diag_only(z, v):
    """diag(p) v: the −p pᵀ v term dropped."""
    return torch.softmax(z, dim=-1) * v


def bug_outer_only(z, v):
    """−p pᵀ v: the diag(p) v term dropped."""
    p = torch.softmax(z, dim=-1)
    return -p * (p * v).sum(dim=-1, keepdim=True)


def bug_outer_sign(z, v):
    """J = diag(p) + p pᵀ: the quotient rule's minus sign lost."""
    p = torch.softmax(z, dim=-1)
    return p * (v + (p * v).sum(dim=-1, keepdim=True))


def bug_negated(z, v):
    """J written as p pᵀ − diag(p)."""
    p = torch.softmax(z, dim=-1)
    return p * (p * v).sum(dim=-1, keepdim=True) - p * v


def bug_reduce_over_batch(z, v):
    """⟨p, v⟩ summed over dim 0 (the batch) instead of each row: the layout transposed."""
    p = torch.softmax(z, dim=-1)
    return p * (v - (p * v).sum(dim=0, keepdim=True))


def bug_log_softmax_jvp(z, v):
    """The JVP of log_softmax (v − p Σv) used for softmax."""
    p = torch.softmax(z, dim=-1)
    return v - p * v.sum(dim=-1, keepdim=True)


def bug_no_max_subtraction(z, v):
    e = torch.exp(z)
    p = e / e.sum(dim=-1, keepdim=True)
    return p * (v - (p * v).sum(dim=-1, keepdim=True))


def bug_elementwise_derivative(z, v):
    """p(1 − p) ⊙ v: the diagonal of J only, as if softmax were elementwise like the sigmoid."""
    p = torch.softmax(z, dim=-1)
    return p * (1 - p) * v
