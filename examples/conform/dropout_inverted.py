"""Independent implementations of the ``dropout.inverted`` contract, right and wrong.

    fn(x[...], p, training) -> y[...]      inverted dropout, p = drop probability

A statistical contract: training outputs are random, so conform checks that every entry is 0 or
x/(1 − p), that the keep rate matches 1 − p (an exact binomial test with a stated false-alarm
probability and power), that eval mode is the identity, and that the mask changes between calls.
Randomness comes from the global RNGs (torch, numpy, random), which conform seeds per call.
``ok_*`` must conform; ``bug_*`` must be rejected.
"""

import numpy as np
import torch
import torch.nn.functional as F

CLAIM = "dropout.inverted"


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_functional(x, p, training):
    return F.dropout(x, p, training=training)


ok_module_class = torch.nn.Dropout  # built per case by the contract's module convention: cls(p), .train(training)


def ok_rand_threshold(x, p, training):
    """The cs231n shape: mask = (rand < 1 − p) / (1 − p), a different draw from torch's, same law."""
    if not training:
        return x
    mask = (torch.rand_like(x) < 1 - p).to(x.dtype) / (1 - p)
    return x * mask


def ok_numpy(x, p, training):
    """A numpy target on numpy's global RNG (conform seeds it too)."""
    if not training:
        return np.asarray(x)
    keep = np.random.binomial(1, 1 - p, size=x.shape)
    return np.where(keep == 1, x / (1 - p), 0.0)


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_scale_by_one_minus_p(x, p, training):
    if not training:
        return x
    return x * (torch.rand_like(x) >= p) * (1 - p)


def bug_keep_probability_p(x, p, training):
    """p read as the keep probability (TF1's keep_prob): keeps p of the units, scaled as if 1 − p were kept."""
    if not training:
        return x
    return x * (torch.rand_like(x) < p) / (1 - p)


def bug_no_scaling(x, p, training):
    if not training:
        return x
    return x * (torch.rand_like(x) >= p)


def bug_dropout_in_eval_mode(x, p, training):
    """Ignores the training flag."""
    return F.dropout(x, p, training=True)


def bug_classic_dropout(x, p, training):
    """The 2014 convention: no scaling in training, (1 − p)·x at inference."""
    if not training:
        return (1 - p) * x
    return x * (torch.rand_like(x) >= p)


_FIXED = torch.Generator().manual_seed(1234)


def bug_fixed_mask(x, p, training):
    """Its own generator, re-seeded with a constant on every call: the same units drop every step."""
    if not training:
        return x
    _FIXED.manual_seed(1234)
    mask = torch.rand(x.shape, generator=_FIXED, dtype=x.dtype) >= p
    return x * mask / (1 - p)


def bug_mask_in_float32(x, p, training):
    """bool / float makes a float32 tensor (torch's default dtype): 1/(1 − p) is rounded to float32, so kept
    entries are off by ~1e-8 relative unless 1/(1 − p) is a float32 number (p = 0.5, 0.8 pass; p = 0.1 fails)."""
    if not training:
        return x
    return x * ((torch.rand_like(x) < 1 - p) / (1 - p))


def bug_keep_rate_off_by_005(x, p, training):
    """Keeps with probability 1 − p − 0.05 (a threshold off by 0.05): values right, rate wrong."""
    if not training:
        return x
    return x * (torch.rand_like(x) < 1 - p - 0.05) / (1 - p)


# ── cannot be called as the contract calls it ──────────────────────────────────────────────
def iface_no_training_flag(x, p):
    return F.dropout(x, p)
