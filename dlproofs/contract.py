"""A contract: how to call an outside implementation of a claim and what it must return.

Attached to a claim record (``Claim.contract``); ``dlproofs conform`` and
``dlproofs.testing.assert_conforms`` run it. Inputs are drawn by Hypothesis as an ordered dict
(parameter name -> value, in call order); the callable under test gets them positionally.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import torch
from hypothesis import strategies as st

from .numeric import Tolerance

if TYPE_CHECKING:
    from .module_targets import ModuleConvention

__all__ = ["Contract", "Locator"]


@dataclass(frozen=True)
class Locator:
    """Names where a difference lives, e.g. "only at entries where z == 0".

    ``mask(inputs)`` returns a bool tensor shaped like the output (entry-level: the report says
    the difference is confined to these entries) or a plain bool (case-level: the report says
    every failing case satisfies it, e.g. "only when d_v != d_k").
    """

    label: str
    mask: Callable[[dict[str, Any]], torch.Tensor | bool]


@dataclass(frozen=True)
class Contract:
    signature: str  # e.g. "fn(x[N, C], gamma[C], beta[C], eps) -> y[N, C]"; shown by --list
    inputs: Callable[[], st.SearchStrategy[dict[str, Any]]]  # ordered by parameter position
    reference: Callable[..., torch.Tensor]  # the verified reference, same positional inputs
    tolerance: Tolerance  # its scale(case) reads the same input dict
    locators: tuple[Locator, ...] = ()
    module: ModuleConvention | None = None  # how an nn.Module target is built and called (module_targets)
