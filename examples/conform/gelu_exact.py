"""Independent implementations of the ``gelu.exact`` contract, right and wrong.

    fn(x[...]) -> y[...]     GELU(x) = x·Φ(x) = x/2·(1 + erf(x/√2)), elementwise, float64

The tanh approximation is NOT the exact GELU: it is off by up to 4.7e-4 (at |x| ≈ 2.70), while the
contract's tolerance is a few ulps of max|x| + 1 (about 1e-14 there), so ``bug_tanh_approximation``
is rejected by ten orders of magnitude, not by a hair.

    dlproofs conform gelu.exact examples/conform/gelu_exact.py:bug_tanh_approximation
"""

import math

import numpy as np
import torch
import torch.nn.functional as F

CLAIM = "gelu.exact"


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_functional(x):
    return F.gelu(x)  # approximate="none", the default


def ok_erf(x):
    return 0.5 * x * (1 + torch.erf(x / math.sqrt(2)))


def ok_normal_cdf(x):
    """x·Φ(x) with Φ from torch.distributions."""
    return x * torch.distributions.Normal(torch.zeros((), dtype=x.dtype), torch.ones((), dtype=x.dtype)).cdf(x)


def ok_ndtr(x):
    return x * torch.special.ndtr(x)


def ok_erfc(x):
    """Φ(x) = erfc(−x/√2)/2: accurate for large negative x too."""
    return x * torch.special.erfc(-x / math.sqrt(2)) / 2


def ok_module(x):
    return torch.nn.GELU()(x)


def ok_numpy_math_erf(x):
    """numpy arrays in and out; math.erf per entry (numpy has no erf)."""
    return x * 0.5 * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_tanh_approximation(x):
    """GPT-2/BERT's tanh form: a good approximation, but not GELU (up to 4.7e-4 off)."""
    return F.gelu(x, approximate="tanh")


def bug_sigmoid_approximation(x):
    """x·σ(1.702x), 'quick_gelu' (CLIP): up to 2.0e-2 off."""
    return x * torch.sigmoid(1.702 * x)


def bug_erf_without_root2(x):
    """erf(x) instead of erf(x/√2)."""
    return 0.5 * x * (1 + torch.erf(x))


def bug_half_missing(x):
    """x·(1 + erf(x/√2)): 2·GELU, the ½ of Φ forgotten."""
    return x * (1 + torch.erf(x / math.sqrt(2)))


def bug_silu(x):
    """SiLU/Swish x·σ(x), mistaken for GELU."""
    return F.silu(x)


def bug_float32_constant(x):
    """1/√2 rounded to float32 (0.70710677): a 1.2e-8 relative error in the argument, far above the tolerance."""
    return 0.5 * x * (1 + torch.erf(x * torch.tensor(0.70710678118654752, dtype=torch.float32).item()))


def iface_float32(x):
    return F.gelu(x.float())
