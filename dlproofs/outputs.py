"""Multi-output contracts: a reference that returns a tuple, e.g. ``(dx, dgamma, dbeta)``.

A contract with ``Contract.outputs = ("dx", "dgamma", "dbeta")`` calls its reference and the target
once per case and compares every element of the two returned tuples, in the declared order, each
against the contract's tolerance, exactly as a single-output contract compares its one tensor
(:func:`dlproofs.conform.judge` on each element). The report names the element that differs
("dgamma: 2 of 3 entries differ ...") and the ones that agree. A target must return a tuple or
list in the declared order; a dict (keyed by output name) is refused by the interface probe with
the line that adapts it. ``conform.py`` calls in here through a few marked hooks; a contract with
no ``outputs`` never reaches this module.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import torch

if TYPE_CHECKING:
    from .conform import Failure
    from .contract import Contract

__all__ = ["Outputs", "detached", "flat", "select", "check", "to_tensors", "is_array", "judge"]


class Outputs(tuple):
    """The reference's tuple of output tensors, carrying the contract's output names."""

    names: tuple[str, ...]

    def __new__(cls, values: Any, names: tuple[str, ...]) -> Outputs:
        out = super().__new__(cls, values)
        out.names = names
        return out

    @property
    def signature(self) -> str:
        return "(" + ", ".join(self.names) + ")"


def detached(contract: Contract, value: Any) -> Any:
    """The reference's return, detached: a tensor, or (a multi-output contract) an :class:`Outputs`."""
    if not contract.outputs:
        return value.detach()
    if not isinstance(value, (tuple, list)) or len(value) != len(contract.outputs):
        from .errors import ClaimDefinitionError

        raise ClaimDefinitionError(
            f"contract {contract.signature!r}: its reference returned {type(value).__name__} "
            f"{'of ' + str(len(value)) if isinstance(value, (tuple, list)) else ''}, expected a tuple of "
            f"{len(contract.outputs)} tensors {contract.outputs}"
        )
    return Outputs((v.detach() for v in value), contract.outputs)


def flat(value: Any, numpy: bool = False) -> torch.Tensor:
    """A tuple of tensors (or arrays) as one flat tensor, elements concatenated in order: how a
    cross-check compares a multi-output reference with its closed form, and how a target that runs
    on tensors and arrays alike is compared with itself."""
    parts = [torch.from_numpy(np.array(v)) if numpy else torch.as_tensor(v) for v in value]
    return torch.cat([p.detach().to(torch.float64).flatten() for p in parts])


def to_tensors(value: Any) -> Any:
    """A numpy target's tuple of arrays as a tuple of tensors (other values unchanged)."""
    if isinstance(value, (tuple, list)):
        return tuple(torch.from_numpy(np.array(v)) if isinstance(v, (np.ndarray, np.generic)) else v for v in value)
    return value


def is_array(value: Any) -> bool:
    """A numpy array, or a tuple/list of them (a numpy target of a multi-output contract)."""
    if isinstance(value, (tuple, list)):
        return bool(value) and all(isinstance(v, (np.ndarray, np.generic)) for v in value)
    return isinstance(value, (np.ndarray, np.generic))


def _kind(value: Any) -> str:
    from .conform import _kind as kind

    return kind(value)


def select(out: Any, output: int | None, want: Outputs, fix: str) -> tuple[Any, str | None]:
    """conform's ``_select`` for a multi-output contract: the returned tuple (``output`` picks it
    from a larger tuple), or why there is none (observed, ``fix``, how to fix it)."""
    n, sig = len(want), want.signature
    if output is not None:
        if not isinstance(out, (tuple, list)) or not -len(out) <= output < len(out):
            return None, f"returned {_kind(out)}, which has no element {output}{fix}drop --output"
        out = out[output]
    if isinstance(out, dict):
        keys = ", ".join(map(repr, out))
        pick = ", ".join(f"out[{name!r}]" for name in want.names)
        return None, (
            f"returned a dict (keys {keys}) where the contract returns the tuple {sig}{fix}return a tuple or list "
            f"in this order (a dict is not read by name), e.g. wrap it: def adapter(*args): out = target(*args); "
            f"return ({pick})"
        )
    if not isinstance(out, (tuple, list)):
        return None, f"returned {_kind(out)} where the contract returns the tuple {sig}{fix}return {sig} in this order"
    if len(out) != n:
        return None, (
            f"returned a {_kind(out)} where the contract returns the {n} outputs {sig}{fix}return exactly these, in "
            "this order (for a (outputs, cache) return, pick the outputs with --output 0)"
        )
    return out, None


def check(value: Any, want: Outputs, numpy: bool, one: Callable[[Any, torch.Tensor, bool], str | None]) -> str | None:
    """conform's ``_check_output`` on every element; the first problem, naming its output."""
    for name, v, w in zip(want.names, value, want):
        problem = one(v, w, numpy)
        if problem is not None:
            return f"{problem} for {name} (output {want.names.index(name) + 1} of {len(want)})"
    return None


def judge(
    contract: Contract, fn: Callable[..., Any], inputs: dict[str, Any], judge_one: Callable[..., Any]
) -> tuple[Failure | None, float, float]:
    """conform's ``judge`` for a multi-output contract: the reference and ``fn`` called once each,
    then ``judge_one`` (the single-output judge) on every element. The failure is that of the first
    element that differs, its detail naming that output and the others that differ or agree."""
    from . import conform as C

    try:
        with C._quiet():
            want = detached(contract, contract.reference(*C._copy(inputs)))
    except Exception as exc:
        raise C._ReferenceFailed(C._one_line(exc)) from exc
    bound = contract.tolerance.bound(inputs, torch.float64)
    try:
        with C._quiet():
            got = fn(*C._copy(inputs))
    except Exception as exc:
        return C.Failure(C.RAISED, f"raised {C._one_line(exc)}{C._where_raised(exc)}", want[0]), math.inf, bound
    if not isinstance(got, (tuple, list)) or len(got) != len(want):
        detail = f"returned {_kind(got)}, expected the tuple {want.signature} of float64 torch.Tensor"
        return C.Failure(C.WRONG_TYPE, detail, want[0], got), math.inf, bound
    failures: list[tuple[str, Failure]] = []
    worst = 0.0
    for name, w, g in zip(want.names, want, got):
        element = dataclasses.replace(contract, reference=lambda *_, w=w: w, outputs=())
        failure, err, _ = judge_one(element, lambda *_, g=g: g, inputs)
        worst = max(worst, err)
        if failure is not None:
            failures.append((name, failure))
    if not failures:
        return None, worst, bound
    name, first = failures[0]
    others = [n for n, _ in failures[1:]]
    agree = [n for n in want.names if n not in {n for n, _ in failures}]
    tail = []
    if others:
        tail.append(f"{', '.join(others)} also differ{'s' if len(others) == 1 else ''}")
    if agree:
        tail.append(f"{', '.join(agree)} agree{'s' if len(agree) == 1 else ''}")
    detail = f"{name}: {first.detail}" + (f" ({'; '.join(tail)})" if tail else "")
    return dataclasses.replace(first, detail=detail, output=name), worst, bound
