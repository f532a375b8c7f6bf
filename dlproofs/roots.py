"""Certified root brackets: "f has a root in [lo, hi]" as evidence a claim record can carry.

A claim such as "x·σ(x) has its minimum at x* ≈ −1.2785" names a number no closed form gives.
:class:`RootBracket` checks it the way a reviewer would: f continuous on [lo, hi] (the record
says why), f(lo) and f(hi) evaluated at exact rational endpoints with certified digits
(:func:`dlproofs.stepcheck.evaluate_exact`), and of strictly opposite signs, so by the
intermediate value theorem f has a root inside. No floating-point solver is trusted; ``nsolve``
only reports where the root is, and must land inside the bracket.

It implements the evidence protocol (:class:`dlproofs.evidence.Evidence`) with its own ``run``; its planted
wrong brackets are ``(expr, lo, hi)`` triples passed as ``override`` and must be rejected.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from .evidence import FIXED_DESIGN, NumericResult, ProofText
from .stepcheck import evaluate_exact

__all__ = ["RootBracket", "sign_change"]


def sign_change(expr: sp.Expr, var: sp.Symbol, lo: sp.Rational, hi: sp.Rational) -> tuple[bool, str]:
    """(True, detail) when ``expr`` has certified opposite strict signs at ``lo`` and ``hi``."""
    if any(isinstance(e, (float, sp.Float)) for e in (lo, hi)):
        return False, f"bracket ({lo}, {hi}) has float endpoints; write exact rationals (Rational(-64, 50))"
    lo, hi = sp.Rational(lo), sp.Rational(hi)
    if not lo < hi:
        return False, f"empty bracket: lo = {lo} is not below hi = {hi}"
    f_lo, f_hi = evaluate_exact(expr, {var: lo}), evaluate_exact(expr, {var: hi})
    if f_lo is None or f_hi is None:
        return False, f"f is undefined at an endpoint: f({lo}) = {f_lo}, f({hi}) = {f_hi}"
    shown = f"f({lo}) = {sp.sstr(f_lo.evalf(6))}, f({hi}) = {sp.sstr(f_hi.evalf(6))}"
    if not (f_lo.is_real and f_hi.is_real):
        return False, f"f is not real at an endpoint, so a sign change means nothing: {shown}"
    if f_lo == 0 or f_hi == 0 or (f_lo > 0) == (f_hi > 0):
        return False, f"no certified sign change: {shown}"
    return True, shown


@dataclass(frozen=True, kw_only=True)
class RootBracket:
    """f(var) has a root in [lo, hi]: certified sign change + continuity (stated in ``reason``)."""

    name: str
    expr: sp.Expr
    var: sp.Symbol
    lo: sp.Rational
    hi: sp.Rational
    reason: str  # why f is continuous on [lo, hi] (and, if claimed, why the root is unique)
    guess: float | None = None  # start for nsolve, which only reports the root's location
    planted: Mapping[str, tuple[sp.Expr, sp.Rational, sp.Rational]] = field(default_factory=dict)

    def describe_in_proof(self, profile: str = "ci") -> ProofText:
        return ProofText(lines=(f"Tolerance: {self.reason}",))

    def cases_asked(self, profile: str = "ci") -> str:
        return FIXED_DESIGN

    def run(
        self, claim_id: str, *, profile: str = "ci", seed: int | None = None, override: Any = None
    ) -> NumericResult:
        start = time.perf_counter()
        expr, lo, hi = override if override is not None else (self.expr, self.lo, self.hi)
        ok, detail = sign_change(expr, self.var, lo, hi)
        if ok and self.guess is not None:
            try:
                root = sp.nsolve(expr, self.var, self.guess)
            except (ValueError, ZeroDivisionError, TypeError) as exc:  # nsolve only locates; failing to is a failure
                ok, detail = False, f"{detail}; nsolve from {self.guess} failed: {type(exc).__name__}: {exc}"
            else:
                detail += f"; nsolve: {sp.sstr(sp.Float(root, 12))}"
                ok = bool(root.is_real and lo <= root <= hi)
        report = "" if ok else f"{claim_id} / {self.name}: {detail}"
        return NumericResult(
            claim=claim_id,
            name=self.name,
            ok=ok,
            examples=2,
            max_error=0.0,
            bound=0.0,
            tolerance=self.reason,
            worst=detail,
            seconds=time.perf_counter() - start,
            report=report,
        )
