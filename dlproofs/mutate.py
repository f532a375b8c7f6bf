"""Mutation self-test: every checker must be able to fail (DESIGN.md §3).

For each step of a derivation, :func:`mutants` makes wrong versions of its expression (×2, +1,
sign flip, one symbol replaced by another of the derivation) and :func:`rejects` asks the
checker whether the chain with the mutant in place is still proved. A mutant structurally equal
to the original (2·0 = 0) is no mutant and is skipped. A mutant that is *equal in value* to the
original (2·Σ(x_i − μ) is still 0) is an equivalent mutant: :func:`classify` confirms that by
evaluation at concrete points, independently of the prover. Every other mutant must be refuted,
and every step must have at least one refuted mutant.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace

import sympy as sp

from . import matrices
from .check import check_derivation
from .claim import Derivation
from .stepcheck import Status, concretize, draw_value, evaluate_exact, variables

__all__ = ["Mutant", "mutants", "rejects", "classify"]


@dataclass(frozen=True)
class Mutant:
    derivation: Derivation  # the derivation with one step replaced
    step: int  # which step (0-based)
    kind: str  # "×2", "+1", "sign flip", "a -> b"
    expr: sp.Expr


def _symbol_pool(d: Derivation) -> list[sp.Symbol]:
    exprs = [d.lhs, *(s.expr for s in d.steps)]
    pool: set[sp.Symbol] = set()
    for e in exprs:
        pool |= {s for s in e.free_symbols if isinstance(s, sp.Symbol) and not s.is_integer}
    return sorted(pool, key=str)


def mutants(d: Derivation) -> Iterator[Mutant]:
    pool = _symbol_pool(d)
    for n, step in enumerate(d.steps):
        e = step.expr
        variants = [("×2", 2 * e), ("+1", e + matrices.one_like(e)), ("sign flip", -e)]
        own = [s for s in pool if s in e.free_symbols]
        for old in own:
            new = next((s for s in pool if s != old), None)
            if new is not None:
                variants.append((f"{old} -> {new}", e.xreplace({old: new})))
                break
        for kind, expr in variants:
            if expr == e:
                continue
            steps = list(d.steps)
            steps[n] = replace(step, expr=expr)
            yield Mutant(replace(d, steps=tuple(steps)), n, kind, expr)


def rejects(mutant: Mutant) -> bool:
    """True when one of the two links around the mutated step is refuted."""
    result = check_derivation(mutant.derivation)
    around = result.links[mutant.step : mutant.step + 2]
    return any(link.status is Status.REFUTED for link in around)


def classify(mutant: Mutant, original: Derivation) -> str:
    """ "refuted", "equivalent" (same value at every sampled concrete point) or "survived"."""
    if rejects(mutant):
        return "refuted"
    new = mutant.derivation.expand(mutant.expr)
    old = original.expand(original.steps[mutant.step].expr)
    return "equivalent" if _same_values(new, old, original) else "survived"


def _same_values(a: sp.Expr, b: sp.Expr, d: Derivation, points: int = 4) -> bool:
    if matrices.has_matrices(a) or matrices.has_matrices(b):
        return matrices.same_values(a, b, d.sizes, points)
    rng = random.Random(1)
    sizes = [{s: v} for s, vs in d.sizes.items() for v in vs if v >= 2][:2] or [{}]
    for size in sizes:
        ca, cb = concretize(a, size, d.pins), concretize(b, size, d.pins)
        names = sorted(set(variables(ca)) | set(variables(cb)), key=str)
        for _ in range(points):
            point = {s: draw_value(s, rng) for s in names}
            if any(v is None for v in point.values()):
                continue
            va, vb = evaluate_exact(ca, point), evaluate_exact(cb, point)
            if va is None or vb is None:
                continue
            if abs(va - vb) > 1e-20 * (1 + abs(va) + abs(vb)):
                return False
    return True
