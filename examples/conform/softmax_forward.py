"""Independent implementations of the ``softmax.forward`` contract, right and wrong.

    fn(z[N, K]) -> p[N, K]      softmax over the last axis; logits up to 1.1e4 in magnitude

``ok_*`` must conform; ``bug_*`` must be rejected. The contract draws logits far beyond 709.78,
where e^z overflows float64, so the textbook formula without the max shift is caught (NaN).
Try:

    dlproofs conform softmax.forward examples/conform/softmax_forward.py:bug_no_max_subtraction
"""

import numpy as np
import torch
import torch.nn.functional as F

CLAIM = "softmax.forward"


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_builtin(z):
    return torch.softmax(z, dim=-1)


def ok_functional_module(z):
    return torch.nn.Softmax(dim=1)(z)


def ok_max_shift(z):
    """The shift by the row maximum, exact by shift invariance (softmax.forward's derivation)."""
    e = torch.exp(z - z.max(dim=-1, keepdim=True).values)
    return e / e.sum(dim=-1, keepdim=True)


def ok_exp_log_softmax(z):
    return torch.exp(F.log_softmax(z, dim=-1))


def ok_logsumexp(z):
    return torch.exp(z - torch.logsumexp(z, dim=-1, keepdim=True))


def ok_numpy(z):
    """cs231n style, in numpy: shift, exponentiate, normalize."""
    shifted = z - np.max(z, axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=1, keepdims=True)


def ok_shift_by_mean_then_max(z):
    """Any per-row shift is exact; the mean alone would not prevent overflow, the max after it does."""
    z = z - z.mean(dim=-1, keepdim=True)
    e = torch.exp(z - z.amax(dim=-1, keepdim=True))
    return e / e.sum(dim=-1, keepdim=True)


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_no_max_subtraction(z):
    """The textbook formula typed in: e^z overflows to inf above 709.78, and inf/inf = NaN."""
    e = torch.exp(z)
    return e / e.sum(dim=-1, keepdim=True)


def bug_wrong_axis(z):
    """dim=0: each column sums to 1 instead of each row."""
    return torch.softmax(z, dim=0)


def bug_log_softmax(z):
    """Returns log p (what F.cross_entropy consumes), not p."""
    return F.log_softmax(z, dim=-1)


def bug_temperature(z):
    """Attention's 1/√d scaling carried into a plain softmax."""
    return torch.softmax(z / z.shape[-1] ** 0.5, dim=-1)


def bug_shift_by_min(z):
    """Shifts by the minimum: exact in real arithmetic, but e^{z − min} still overflows for a wide row."""
    e = torch.exp(z - z.min(dim=-1, keepdim=True).values)
    return e / e.sum(dim=-1, keepdim=True)


def bug_global_max(z):
    """One max for the whole batch: a row far below the others underflows to 0/0."""
    e = torch.exp(z - z.max())
    return e / e.sum(dim=-1, keepdim=True)


def bug_numpy_sum_all(z):
    """np.sum without axis: normalizes by the whole batch's total."""
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    return e / np.sum(e)
