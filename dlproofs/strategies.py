"""Hypothesis strategies for tensors that reach the inputs where bugs hide.

Built on ``hypothesis.extra.numpy.arrays`` so Hypothesis draws (and shrinks) every value; no
torch RNG is involved. Values are float64. The edges covered by default: exact zeros, magnitudes
1e-3..1e3, large common offsets, constant columns, batch size 2, ε from 1e-12 to 1e-1.
"""

from __future__ import annotations

import numpy as np
import torch
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

__all__ = ["tensors", "eps_values", "scales", "offsets", "layouts", "with_constant_channel"]


def scales() -> st.SearchStrategy[float]:
    """A magnitude between 1e-3 and 1e3 (log-uniform), and the decades' edges exactly."""
    return st.one_of(
        st.sampled_from([1e-3, 1.0, 1e3]),
        st.floats(-3, 3).map(lambda e: float(10.0**e)),
    )


def offsets() -> st.SearchStrategy[float]:
    """A common offset: none, or up to ±1e3 (the case where one-pass variance loses digits)."""
    return st.one_of(st.just(0.0), st.sampled_from([1e3, -1e3]), st.floats(-1e3, 1e3))


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
    """A float64 tensor of ``shape``: offset + scale·u, u in [-1, 1], exact zeros likely."""
    unit = st.floats(-1.0, 1.0, allow_nan=False, allow_subnormal=False)
    elements = st.one_of(st.just(0.0), unit) if zeros else unit
    return hnp.arrays(np.float64, shape, elements=elements).map(lambda a: torch.from_numpy(a * scale + offset))


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
