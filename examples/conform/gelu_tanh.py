"""Independent implementations of the ``gelu.tanh`` contract, right and wrong.

    fn(x[...]) -> y[...]     x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³))), as F.gelu(approximate="tanh")

The exact (erf) GELU is a different function here: up to 4.7e-4 away, far outside the tolerance.

    dlproofs conform gelu.tanh examples/conform/gelu_tanh.py:bug_constant_typo
"""

import math

import numpy as np
import torch
import torch.nn.functional as F

CLAIM = "gelu.tanh"


# ── correct ────────────────────────────────────────────────────────────────────────────────
def ok_functional(x):
    return F.gelu(x, approximate="tanh")


def ok_gpt2(x):
    """GPT-2's gelu (openai/gpt-2 src/model.py), in torch."""
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * torch.pow(x, 3))))


def ok_module(x):
    return torch.nn.GELU(approximate="tanh")(x)


def ok_sigmoid_identity(x):
    """(1 + tanh(u))/2 = σ(2u): the same function written with a sigmoid."""
    return x * torch.sigmoid(2 * math.sqrt(2 / math.pi) * (x + 0.044715 * x**3))


def ok_numpy(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))


# ── buggy ──────────────────────────────────────────────────────────────────────────────────
def bug_exact_gelu(x):
    """The erf GELU where the tanh form is asked for (approximate='none')."""
    return F.gelu(x)


def bug_constant_without_root(x):
    """√(2/π) written as 2/π."""
    return 0.5 * x * (1 + torch.tanh(2 / math.pi * (x + 0.044715 * x**3)))


def bug_constant_typo(x):
    """0.044715 mistyped as 0.04715."""
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.04715 * x**3)))


def bug_square_not_cube(x):
    """x² for x³ in the cubic correction."""
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**2)))


def bug_sigmoid_approximation(x):
    return x * torch.sigmoid(1.702 * x)


def bug_rounded_constant(x):
    """√(2/π) rounded to 0.7979 (a hard-coded 4-digit constant)."""
    return 0.5 * x * (1 + torch.tanh(0.7979 * (x + 0.044715 * x**3)))


def iface_float32(x):
    return F.gelu(x.float(), approximate="tanh")
