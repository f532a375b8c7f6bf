"""Hypothesis strategies for tensors that reach the inputs where bugs hide.

Built on ``hypothesis.extra.numpy.arrays`` so Hypothesis draws (and shrinks) every value; no
torch RNG is involved. Values are float64. The edges covered by default: exact zeros, magnitudes
1e-3..1e3, large common offsets, constant columns, batch size 2, ε from 1e-12 to 1e-1.

The input domain (:data:`UNIT_DOMAIN`): every entry is ``offset + scale·u`` with ``u = 0`` or
``MIN_UNIT ≤ |u| ≤ 1``. The claims square, multiply and divide what is drawn (BatchNorm's σ²,
Adam's v_t = Σg², ‖θ‖₂², q·k); a product that underflows float64 changes the very quantity a
claim is about (v_t = 0 makes Adam's m/√v blow up; ‖θ‖ = 0 makes ∇‖θ‖²/2 = 0/0). With
|u| ≥ 1e-30 and scales ≥ 1e-3 every non-zero entry is ≥ 1e-33 in magnitude, so a product of up
to nine entries stays above the smallest normal float64 (2.2e-308), whatever the seed. Tiny
non-zero values are still drawn (1e-30 is "tiny" for every claim here); subnormal arithmetic is
what no claim states, so it is outside the domain.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

__all__ = [
    "narrowed",
    "MIN_UNIT",
    "UNIT_DOMAIN",
    "units",
    "tensors",
    "dense_tensors",
    "eps_values",
    "scales",
    "offsets",
    "large_offsets",
    "layouts",
    "with_constant_channel",
]

MIN_UNIT = 1e-30
UNIT_DOMAIN = (
    f"entries offset + scale·u, u = 0 or {MIN_UNIT:g} ≤ |u| ≤ 1: products of up to nine entries stay "
    "normal float64 (no underflow to 0 changes a square, a variance or a norm), for every seed"
)


def units(*, zeros: bool = True) -> st.SearchStrategy[float]:
    """One unit value u: 0 (if ``zeros``) or MIN_UNIT ≤ |u| ≤ 1, either sign (see UNIT_DOMAIN)."""
    magnitude = st.floats(MIN_UNIT, 1.0)
    signed = st.tuples(st.sampled_from([1.0, -1.0]), magnitude).map(lambda t: t[0] * t[1])
    return st.one_of(st.just(0.0), signed) if zeros else signed


def scales() -> st.SearchStrategy[float]:
    """A magnitude between 1e-3 and 1e3 (log-uniform), and the decades' edges exactly."""
    return st.one_of(
        st.sampled_from([1e-3, 1.0, 1e3]),
        st.floats(-3, 3).map(lambda e: float(10.0**e)),
    )


def offsets() -> st.SearchStrategy[float]:
    """A common offset: none, or up to ±1e3 (the case where one-pass variance loses digits)."""
    return st.one_of(st.just(0.0), st.sampled_from([1e3, -1e3]), st.floats(-1e3, 1e3))


def large_offsets(scale: float) -> st.SearchStrategy[float]:
    """offsets(), or (half of the time) ±10³..10⁶ times the spread ``scale``: where E[x²] − E[x]²
    loses every digit, so a one-pass variance is caught by a default run."""
    relative = st.tuples(st.sampled_from([1.0, -1.0]), st.floats(3, 6)).map(lambda t: t[0] * scale * 10.0 ** t[1])
    return st.one_of(offsets(), relative)


def eps_values() -> st.SearchStrategy[float]:
    """ε between 1e-12 and 1e-1 (log-uniform), the usual 1e-5 and both ends exactly."""
    return st.one_of(
        st.sampled_from([1e-12, 1e-5, 1e-1]),
        st.floats(-12, -1).map(lambda e: float(10.0**e)),
    )


def tensors(
    shape: tuple[int, ...],
    *,
    scale: float = 1.0,
    offset: float = 0.0,
    zeros: bool = True,
) -> st.SearchStrategy[torch.Tensor]:
    """A float64 tensor of ``shape``: offset + scale·u over UNIT_DOMAIN, exact zeros likely."""
    return hnp.arrays(np.float64, shape, elements=units(zeros=zeros)).map(
        lambda a: torch.from_numpy(a * scale + offset)
    )


def dense_tensors(
    shape: tuple[int, ...], *, scale: float = 1.0, offset: float = 0.0
) -> st.SearchStrategy[torch.Tensor]:
    """offset + scale·u with every entry of u drawn on its own from ``units()`` (UNIT_DOMAIN).

    ``hnp.arrays(..., fill=st.nothing())``: without a fill strategy every entry is drawn from
    ``elements``, whereas :func:`tensors` lets most entries share one fill value (two-row columns come
    out constant about 2/3 of the time). Here constant columns are made on purpose, where wanted.
    """
    return hnp.arrays(np.float64, shape, elements=units(), fill=st.nothing()).map(
        lambda a: torch.from_numpy(a) * scale + offset
    )


def layouts(*, min_batch: int = 2, max_batch: int = 6) -> st.SearchStrategy[tuple[int, ...]]:
    """(N, C) or (N, C, H, W) shapes, batch size 2 drawn often."""
    n = st.one_of(st.just(min_batch), st.integers(min_batch, max_batch))
    c = st.integers(1, 4)
    return st.one_of(
        st.tuples(n, c),
        st.tuples(n, c, st.integers(1, 3), st.integers(1, 3)),
    )


@st.composite
def with_constant_channel(draw: st.DrawFn, x: torch.Tensor) -> torch.Tensor:
    """Maybe make one channel (axis 1) constant: σ² = 0, only ε keeps the division finite."""
    if draw(st.booleans()):
        c = draw(st.integers(0, x.shape[1] - 1))
        x = x.clone()
        x[:, c] = x.flatten()[0]
    return x


def narrowed(strategy: Callable[..., Any], /, **keywords: Any) -> functools.partial:
    """``strategy`` with keywords fixed (a functools.partial) that keeps the strategy's docstring: one strategy
    function serves a claim's check and its narrower contract (``bn_inputs(spatial=False)``) or a sibling
    claim (``bn_inputs(grad=True)``), and the proof still shows the strategy's own input domain."""
    part = functools.partial(strategy, **keywords)
    part.__doc__ = strategy.__doc__
    return part
