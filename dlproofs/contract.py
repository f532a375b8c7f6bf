"""A contract: how to call an outside implementation of a claim and what it must return.

Attached to a claim record (``Claim.contract``); ``dlproofs conform`` and
``dlproofs.testing.assert_conforms`` run it. Inputs are drawn by Hypothesis as an ordered dict
(parameter name -> value, in call order); the callable under test gets them positionally.

A claim's contract is derived from its positional cross-check (:meth:`Contract.of`): the same
input strategy, the same tolerance object and one of the check's own references, so the claim
has one input convention and what ``conform`` holds outside code to is what the check verified.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import torch
from hypothesis import strategies as st

from .errors import ClaimDefinitionError
from .numeric import CrossCheck, Tolerance
from .strategies import narrowed

if TYPE_CHECKING:
    from .derived import Derived
    from .layouts import Layout
    from .module_targets import ModuleConvention
    from .optim_targets import OptimizerConvention
    from .statistical import StatisticalJudge

__all__ = ["Contract", "Locator", "Variant"]


@dataclass(frozen=True)
class Locator:
    """Names where a difference lives, e.g. "only at entries where z == 0".

    ``mask(inputs)`` returns a bool tensor shaped like the output (entry-level: the report says
    the difference is confined to these entries) or a plain bool (case-level: the report says
    every failing case satisfies it, e.g. "only when d_v != d_k").
    """

    label: str
    mask: Callable[[dict[str, Any]], torch.Tensor | bool]


@dataclass(frozen=True, kw_only=True)
class Variant:
    """A known way to get the contract's output wrong (or differently right), for diagnoses.

    ``formula`` takes the contract's inputs positionally, like ``Contract.reference``, and returns
    what that variant computes (e.g. BatchNorm with the unbiased variance). When a target fails,
    ``dlproofs conform`` fits its outputs against every variant and names the one that matches to
    rounding. ``convention=True`` marks a legitimate convention (relu'(0) = 1, a hard-coded ε), not
    a bug; ``why`` says in one line what the variant does and where it is seen.
    """

    label: str  # e.g. "unbiased variance (divide by N − 1)"
    formula: Callable[..., Any]
    why: str = ""
    convention: bool = False


class CaseJudge(Protocol):
    """The extension point ``Contract.case_judge``: judges one case in place of the float64 comparison
    (a precision mode, :class:`dlproofs.precision.Precision`). Returns (failure or None, largest error, bound)."""

    def judge(self, fn: Callable[..., Any], inputs: dict[str, Any]) -> tuple[Any, float, float]: ...


@dataclass(frozen=True)
class Contract:
    signature: str  # e.g. "fn(x[N, C], gamma[C], beta[C], eps) -> y[N, C]"; shown by --list
    inputs: Callable[[], st.SearchStrategy[dict[str, Any]]]  # ordered by parameter position
    reference: Callable[..., Any]  # the verified reference, same positional inputs; a tensor, or a tuple (outputs)
    tolerance: Tolerance  # its scale(case) reads the same input dict
    locators: tuple[Locator, ...] = ()
    check: CrossCheck | None = field(default=None, repr=False, compare=False)  # what it was derived from
    module: ModuleConvention | None = None  # how an nn.Module target is built and called (module_targets)
    variants: tuple[Variant, ...] = ()  # known wrong formulas and conventions, for diagnoses
    # issue 12 (optim helper): how an optimizer class target is built and stepped (optim_targets.py), and a
    # statistical judge that replaces the value-by-value search for a random target (statistical.py)
    optimizer: OptimizerConvention | None = None
    judge: StatisticalJudge | None = None
    # a multi-output contract: the names of the tuple the reference returns, in order (dlproofs/outputs.py);
    # () for the usual single tensor
    outputs: tuple[str, ...] = ()
    layouts: tuple[Layout, ...] = ()  # other accepted axis orders (dlproofs/layouts.py; conform --layout)
    # a per-case judge replacing the float64 comparison (precision modes: dlproofs/precision.py); None = float64
    case_judge: CaseJudge | None = field(default=None, compare=False, repr=False)
    # values computed from the inputs that --call/--build templates may use by name (dlproofs/derived.py),
    # e.g. attention.mha's attend [B, n, n] for modules that take one boolean mask
    derived: tuple[Derived, ...] = ()
    # every output value is a small integer (relu'(z) ∈ {0, 1}): an integer or bool output is exact, so conform
    # compares it as float64 instead of refusing its dtype (dlproofs/calling.py exact_integers)
    integer_outputs: bool = False

    def __post_init__(self) -> None:
        missing = [name for name in self.outputs if name not in self.signature.partition("->")[2]]
        if missing:
            raise ClaimDefinitionError(
                f"contract {self.signature!r}: outputs {', '.join(missing)} are not named after '->' in its "
                "signature; the signature is what users read, so it must name every output, in order"
            )

    @classmethod
    def of(
        cls,
        check: CrossCheck,
        *,
        signature: str,
        reference: str,
        locators: tuple[Locator, ...] = (),
        variants: tuple[Variant, ...] = (),
        outputs: tuple[str, ...] = (),
        layouts: tuple[Layout, ...] = (),
        derived: tuple[Derived, ...] = (),
        **narrow: Any,
    ) -> Contract:
        """The contract of a positional cross-check: its ``cases`` strategy (called with ``narrow``,
        e.g. ``spatial=False``, when the contract's domain is narrower than the check's), its
        ``tolerance`` object and its reference named ``reference``, all by identity. ``outputs`` names the
        elements of a reference that returns a tuple (the check compares them concatenated)."""
        if not isinstance(check, CrossCheck) or not check.positional:
            raise ClaimDefinitionError(
                f"contract {signature!r}: derived from {getattr(check, 'name', check)!r}, which is not a "
                "positional CrossCheck; conform calls code positionally, so the check it is derived from must "
                "call its references the same way (CrossCheck(positional=True))"
            )
        if reference not in check.references:
            raise ClaimDefinitionError(
                f"contract {signature!r}: no reference {reference!r} in check {check.name!r}; it has "
                f"{', '.join(map(repr, check.references))}"
            )
        inputs = narrowed(check.cases, **narrow) if narrow else check.cases
        return cls(
            signature=signature,
            inputs=inputs,
            reference=check.references[reference],
            tolerance=check.tolerance,
            locators=locators,
            check=check,
            variants=variants,
            outputs=outputs,
            layouts=layouts,
            derived=derived,
        )

    @property
    def strategy(self) -> Callable[..., st.SearchStrategy[dict[str, Any]]]:
        """The strategy function that draws the inputs (``inputs`` without its narrowing keywords)."""
        return self.inputs.func if isinstance(self.inputs, functools.partial) else self.inputs
