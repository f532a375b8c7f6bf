"""Capture-avoiding substitution for ``where`` abbreviations (issue 9, root cause 1).

SymPy's ``xreplace`` and ``Lambda.__call__`` substitute blindly: applying
``Lambda(t, Sum(x[t] - x[j], (j, 1, m))/m)`` to the index ``j`` yields
``Sum(x[j] - x[j], (j, 1, m))/m = 0``, because the argument's free ``j`` is captured by the
sum's bound ``j``. Here every binder (``Sum``, ``Product``, ``Integral``, ``Lambda``) whose
bound variable also occurs free in a value being substituted in is first renamed to a fresh
symbol (same assumptions, a primed name), exactly as in the λ-calculus.
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy as sp
from sympy.concrete.expr_with_limits import ExprWithLimits

__all__ = ["substitute", "apply_lambda", "fresh_symbol", "rename_binders"]


def fresh_symbol(sym: sp.Symbol, avoid: set[sp.Basic]) -> sp.Symbol:
    """A Symbol like ``sym`` (same assumptions) whose name is used by nothing in ``avoid``."""
    names = {str(s) for s in avoid}
    name = str(sym)
    while name in names:
        name += "'"
    return sp.Symbol(name, **sym.assumptions0)


def _values_free(mapping: Mapping[sp.Basic, sp.Basic]) -> set[sp.Basic]:
    out: set[sp.Basic] = set()
    for v in mapping.values():
        out |= sp.sympify(v).free_symbols
    return out


def substitute(expr: sp.Basic, mapping: Mapping[sp.Basic, sp.Basic], avoid: set[sp.Basic] = frozenset()) -> sp.Basic:
    """``expr`` with each key of ``mapping`` replaced by its value, renaming bound variables that
    would capture a free symbol of a value (or of ``avoid``)."""
    if not mapping:
        return expr
    if expr in mapping:
        return mapping[expr]
    if not expr.args:
        return expr
    if isinstance(expr, ExprWithLimits):
        return _substitute_limits(expr, mapping, avoid)
    if isinstance(expr, sp.Lambda):
        return _substitute_lambda(expr, mapping, avoid)
    return expr.func(*[substitute(a, mapping, avoid) for a in expr.args])


def _relevant(expr: sp.Basic, mapping) -> dict:
    """The part of ``mapping`` whose keys occur in ``expr`` (only those can be captured). ``has``
    over-approximates (it also sees a derivative's variables, which free_symbols omits): safe."""
    return {k: v for k, v in mapping.items() if expr.has(k)}


def _substitute_limits(expr: ExprWithLimits, mapping, avoid) -> sp.Basic:
    mapping = _relevant(expr, mapping)
    if not mapping:
        return expr
    danger = _values_free(mapping) | set(avoid)
    function = expr.function
    limits = [tuple(lim) for lim in expr.limits]
    used = expr.free_symbols | danger | set(expr.variables)
    for p, (var, *bounds) in enumerate(limits):
        if var in danger:
            new = fresh_symbol(var, used)
            used.add(new)
            function = function.xreplace({var: new})
            # the bounds of inner limits (earlier in the list) may mention the outer variable
            for q in range(p):
                v_q, *b_q = limits[q]
                limits[q] = (v_q, *[b.xreplace({var: new}) for b in b_q])
            limits[p] = (new, *bounds)
    # bounds of limit p are evaluated outside the variables of limits p..end
    new_limits = []
    for p, (var, *bounds) in enumerate(limits):
        outer = {lim[0] for lim in limits[p + 1 :]}
        inner_map = {k: v for k, v in mapping.items() if k not in outer}
        new_limits.append((var, *[substitute(b, inner_map, avoid) for b in bounds]))
    bound = {lim[0] for lim in limits}
    body_map = {k: v for k, v in mapping.items() if k not in bound}
    return expr.func(substitute(function, body_map, avoid), *new_limits)


def _substitute_lambda(expr: sp.Lambda, mapping, avoid) -> sp.Basic:
    mapping = _relevant(expr, mapping)
    if not mapping:
        return expr
    danger = _values_free(mapping) | set(avoid)
    variables = list(expr.variables)
    body = expr.expr
    used = expr.free_symbols | danger | set(variables)
    for n, var in enumerate(variables):
        if var in danger:
            new = fresh_symbol(var, used)
            used.add(new)
            body = body.xreplace({var: new})
            variables[n] = new
    body_map = {k: v for k, v in mapping.items() if k not in variables}
    return sp.Lambda(tuple(variables), substitute(body, body_map, avoid))


def apply_lambda(f: sp.Lambda, args: tuple[sp.Basic, ...], avoid: set[sp.Basic] = frozenset()) -> sp.Basic:
    """``f(*args)`` by capture-avoiding substitution of the arguments for ``f``'s variables."""
    if not isinstance(f, sp.Lambda):
        raise TypeError(f"expected a Lambda, got {type(f).__name__}: {f}")
    if len(f.variables) != len(args):
        from .errors import ClaimDefinitionError

        raise ClaimDefinitionError(
            f"abbreviation {f} takes {len(f.variables)} argument(s) but is applied to {len(args)}: {args}"
        )
    return substitute(f.expr, dict(zip(f.variables, args)), avoid)


def rename_binders(expr: sp.Basic, danger: set[sp.Basic]) -> sp.Basic:
    """``expr`` with every bound variable that is in ``danger`` renamed to a fresh symbol, so that
    a definition with those symbols free can be put under the binder without being captured
    (``d[t] := x_t − x_j`` under ``Σ_j``: the sum's ``j`` is renamed, the definition's stays free)."""
    if not danger or not expr.args:
        return expr
    if isinstance(expr, (ExprWithLimits, sp.Lambda)):
        variables = list(expr.variables)
        clash = [v for v in variables if v in danger]
        if clash:
            used = set(expr.free_symbols) | set(danger) | set(variables)
            ren = {}
            for v in clash:
                ren[v] = fresh_symbol(v, used)
                used.add(ren[v])
            if isinstance(expr, sp.Lambda):
                expr = sp.Lambda(tuple(ren.get(v, v) for v in variables), expr.expr.xreplace(ren))
            else:
                limits = []
                for p, (var, *bounds) in enumerate(expr.limits):
                    outer = {v: ren[v] for v in [lim[0] for lim in expr.limits[p + 1 :]] if v in ren}
                    limits.append((ren.get(var, var), *[b.xreplace(outer) for b in bounds]))
                expr = expr.func(expr.function.xreplace(ren), *limits)
    return expr.func(*[rename_binders(a, danger) for a in expr.args])
