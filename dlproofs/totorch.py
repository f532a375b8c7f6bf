"""Lambdify a claim's closed form to torch, sums included.

SymPy's own ``TorchPrinter`` does the printing; this subclass adds what a claim about a batch
needs and fixes the conventions that bite (DESIGN.md §4):

- ``Sum(body, (i, lo, hi))`` becomes ``torch.sum(body, dim=_dims['i'], keepdim=True)``: the sum
  index names a tensor axis (or axes), and ``x[i]`` prints as the tensor ``x``. Nested sums keep
  their nesting, so a two-pass variance stays two-pass (numerically stable), unlike the
  power-sum normal form used for proofs.
- ``Heaviside(z, h)`` prints with its value at 0 made explicit (torch.heaviside wants a tensor).
- ``Max``/``Min`` of two arguments print as ``torch.where`` (``torch.max(0, x)`` fails).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sympy as sp
from sympy.printing.pytorch import TorchPrinter

__all__ = ["BatchTorchPrinter", "to_torch"]


class BatchTorchPrinter(TorchPrinter):
    """TorchPrinter for expressions over a batch: sums are reductions along named axes."""

    def _print_Sum(self, expr: sp.Sum) -> str:
        body = self._print(expr.function)
        for index, _lo, _hi in expr.limits:
            body = f"torch.sum({body}, dim=_dims[{str(index)!r}], keepdim=True)"
        return body

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        return self._print(expr.base.label)

    def _print_Heaviside(self, expr: sp.Heaviside) -> str:
        z = self._print(expr.args[0])
        at0 = self._print(expr.args[1]) if len(expr.args) > 1 else "0.5"
        return f"torch.where({z} > 0, 1.0, torch.where({z} < 0, 0.0, {at0}))"

    def _print_Max(self, expr: sp.Max) -> str:
        return self._fold_where(expr.args, ">=")

    def _print_Min(self, expr: sp.Min) -> str:
        return self._fold_where(expr.args, "<=")

    def _fold_where(self, args: Sequence[sp.Basic], op: str) -> str:
        out = self._print(args[0])
        for arg in args[1:]:
            b = self._print(arg)
            out = f"torch.where(torch.as_tensor({out}) {op} {b}, {out}, {b})"
        return out


def to_torch(expr: sp.Expr, args: Sequence[sp.Basic]) -> Callable[..., Any]:
    """A function ``f(*tensors, _dims=...)`` computing ``expr``; ``args`` are Symbols or IndexedBases.

    ``_dims`` maps each summation index name to the tensor dimension(s) it runs over.
    """
    names = [sp.Symbol(str(a.label if isinstance(a, sp.IndexedBase) else a)) for a in args]
    renamed = expr.xreplace({a: n for a, n in zip(args, names) if not isinstance(a, sp.IndexedBase)})
    dims = sp.Symbol("_dims")
    fn = sp.lambdify([*names, dims], renamed, modules="torch", printer=BatchTorchPrinter)

    def call(*values: Any, _dims: Mapping[str, Any] | None = None) -> Any:
        return fn(*values, _dims or {})

    call.__doc__ = f"torch version of {sp.sstr(expr)}"
    return call
