"""Derived values a contract offers to ``--call`` / ``--build`` templates (issue 12: code as shipped).

Real modules take a contract's inputs in their own form: The Annotated Transformer's
``MultiHeadedAttention`` takes one ``mask`` [B, n, n] with 1 = may attend, while ``attention.mha``
passes a ``causal`` flag and a ``key_padding_mask`` [B, n] with True = padded. A template may not
compute (no operators, no calls: that would be an adapter), so the contract itself declares such
values: a :class:`Derived` has a name a template can use like an input, a signature and one line
that say what it holds, and the function that computes it from the case's inputs (the inputs in the
layout the target is called in). ``Contract.derived`` lists them; ``dlproofs conform --list`` and the
report show them. Example: ``--call 'f(x, x, x, attend)'`` with ``attend`` [B, n, n], True where
query i may attend key j.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

__all__ = ["Derived", "ATTEND"]


@dataclass(frozen=True)
class Derived:
    """A value computed from a contract's inputs that templates may use by ``name``."""

    name: str  # the name templates use, e.g. "attend"
    signature: str  # e.g. "attend[B, n, n] bool"
    describe: str  # one line: what it holds, in the contract's terms
    compute: Callable[[dict[str, Any]], Any]  # torch inputs (by name) -> the value

    def value(self, inputs: dict[str, Any]) -> Any:
        """The value on one case; a numpy target's inputs are arrays, so it gets an array too."""
        arrays = any(isinstance(v, np.ndarray) for v in inputs.values())
        if not arrays:
            return self.compute(inputs)
        as_torch = {k: torch.from_numpy(v) if isinstance(v, np.ndarray) else v for k, v in inputs.items()}
        out = self.compute(as_torch)
        return out.numpy() if isinstance(out, torch.Tensor) else out

    def line(self) -> str:
        return f"{self.signature}: {self.describe}"


def _attend(inputs: dict[str, Any]) -> torch.Tensor:
    """[B, n, n] bool, True where query i may attend key j: key j not padded and, when causal, j ≤ i."""
    kpm = inputs["key_padding_mask"]  # [B, n], True = padded; the same in every layout
    n = kpm.shape[-1]
    attend = (~kpm)[:, None, :].expand(kpm.shape[0], n, n)  # [B, 1, n] -> [B, n, n]
    if inputs["causal"]:
        attend = attend & torch.ones(n, n, dtype=torch.bool, device=kpm.device).tril()  # [n, n]: j ≤ i
    return attend.contiguous()


ATTEND = Derived(
    name="attend",
    signature="attend[B, n, n] bool",
    describe="True where query i may attend key j (key j not padded, and j ≤ i when causal): the mask modules such "
    "as The Annotated Transformer's take (1 = may attend)",
    compute=_attend,
)
