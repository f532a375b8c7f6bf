"""Indexed-sum normalizer: decide identities over a batch of symbolic size m.

SymPy's ``simplify`` crashes on nested ``Sum`` and does not cancel ``Sum(x[i]) - Sum(x[j])``
(DESIGN.md §4). This module rewrites every ``Sum(body, (i, lo, hi))`` innermost-out into
*power-sum atoms*: the body is expanded, index-free factors are pulled out
(``as_independent``) and what remains must be a monomial in indexed objects at ``i``::

    Sum(1, (i, 1, m))           -> m
    Sum(x[i], (i, 1, m))        -> Σx        (one Symbol per monomial and range)
    Sum(x[i]**2, (i, 1, m))     -> Σx²
    Sum(g[i]*x[i], (i, 1, m))   -> Σg·x

Anything else (``Sum(exp(x[i]))``, ``Sum(x[i]*x[i+1])``, limits that depend on an outer index)
raises :class:`NotNormalizableError`: the normalizer refuses rather than guesses.

``Derivative(F, x[k])`` is evaluated by the chain rule through the atoms, with the one rule
that has to be stated and tested on its own (:func:`atom_partial`)::

    ∂/∂x[k] Σ_i x[i]^e ∏ b[i]^f  =  e · x[k]^(e-1) ∏ b[k]^f      (k inside the range)

Once both sides are in atom form the identity is a rational-function identity, which
``cancel(together(...))`` decides exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sympy as sp

from .errors import NotNormalizableError
from .expsums import exp_chain, to_twins

__all__ = ["PowerSum", "normalize", "atom_partial", "atoms_of", "has_sums"]


@dataclass(frozen=True)
class PowerSum:
    """The key of one atom: a monomial ``∏ base[i]**exp`` summed over ``i`` from lo to hi."""

    factors: tuple[tuple[sp.IndexedBase, int], ...]  # sorted (base, exponent) pairs
    lo: sp.Expr
    hi: sp.Expr

    def label(self) -> str:
        body = "*".join(f"{b}**{e}" if e != 1 else str(b) for b, e in self.factors) or "1"
        return f"Σ({body})[{self.lo}..{self.hi}]"


@cache
def _atom_symbol(key: PowerSum) -> sp.Symbol:
    # One Symbol per key, reused, so that the same sum written with another index name
    # (Sum(x[i]) vs Sum(x[j])) becomes the same atom and cancels. Real: sums of reals.
    return sp.Symbol(key.label(), real=True)


_ATOM_KEYS: dict[sp.Symbol, PowerSum] = {}


def _atom(key: PowerSum) -> sp.Symbol:
    sym = _atom_symbol(key)
    _ATOM_KEYS[sym] = key
    return sym


def atoms_of(expr: sp.Expr) -> dict[sp.Symbol, PowerSum]:
    """The power-sum atoms occurring in a normalized expression, with their keys."""
    return {s: _ATOM_KEYS[s] for s in expr.free_symbols if s in _ATOM_KEYS}


def has_sums(expr: sp.Basic) -> bool:
    """True when ``expr`` contains a ``Sum`` or a ``Derivative`` (the normalizer's business)."""
    return expr.has(sp.Sum) or expr.has(sp.Derivative)


def normalize(expr: sp.Basic) -> sp.Expr:
    """Rewrite every Sum (innermost-out) and Derivative into power-sum atom form."""
    if not isinstance(expr, sp.Basic) or not has_sums(expr):
        return expr
    if expr.has(sp.exp):  # exp(c·z[i]) -> twin indexed symbol (dlproofs.expsums)
        expr = to_twins(expr)
    if isinstance(expr, sp.Sum):
        return _normalize_sum(expr)
    if isinstance(expr, sp.Derivative):
        inner = normalize(expr.expr)
        for wrt, count in expr.variable_count:
            for _ in range(int(count)):
                inner = _total_derivative(inner, wrt)
        return inner
    return expr.func(*[normalize(a) for a in expr.args])


def _normalize_sum(s: sp.Sum) -> sp.Expr:
    body = normalize(s.function)
    # innermost-out: the last limit is the outermost sum
    for index, lo, hi in s.limits:
        if lo.has(index) or hi.has(index):
            raise NotNormalizableError(
                f"sum over {index} has limits ({lo}, {hi}) that mention the index itself; "
                "the normalizer only knows fixed ranges. Rewrite the sum over a fixed range."
            )
        body = _sum_over(sp.expand(body), index, lo, hi)
    return body


def _sum_over(body: sp.Expr, index: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> sp.Expr:
    total = sp.S.Zero
    for term in sp.Add.make_args(body):
        if term == 0:  # Sum(0, (i, lo, hi)): an empty body (e.g. a mask that is 0) sums to 0
            continue
        coeff, dep = term.as_independent(index, as_Add=False)
        if dep == 1:
            total += coeff * (hi - lo + 1)
        else:
            total += coeff * _atom(_monomial_key(dep, index, lo, hi))
    return total


def _monomial_key(dep: sp.Expr, index: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> PowerSum:
    powers: dict[sp.IndexedBase, int] = {}
    for factor in sp.Mul.make_args(dep):
        base, exp = factor.as_base_exp()
        if not (isinstance(base, sp.Indexed) and exp.is_Integer and exp > 0):
            raise NotNormalizableError(
                f"cannot sum {dep} over {index}: the factor {factor} is not a positive integer "
                "power of an indexed symbol; the normalizer only knows power sums. "
                "Expand the body into monomials in x[i], or prove this identity another way."
            )
        if base.indices != (index,):
            raise NotNormalizableError(
                f"cannot sum {dep} over {index}: {base} is not indexed by {index} alone "
                f"(indices {base.indices}); shifted or multi-index terms are not power sums."
            )
        powers[base.base] = powers.get(base.base, 0) + int(exp)
    factors = tuple(sorted(powers.items(), key=lambda be: str(be[0])))
    return PowerSum(factors, lo, hi)


def atom_partial(key: PowerSum, wrt: sp.Indexed) -> sp.Expr:
    """∂(atom)/∂x[k]: the chain-rule step through a power sum, for k inside the range."""
    if not (isinstance(wrt, sp.Indexed) and len(wrt.indices) == 1):
        return sp.S.Zero
    (k,) = wrt.indices
    result = sp.S.Zero
    for n, (base, exp) in enumerate(key.factors):
        if base != wrt.base:
            continue
        rest = sp.Mul(*[b[k] ** e for j, (b, e) in enumerate(key.factors) if j != n])
        result += exp * wrt.base[k] ** (exp - 1) * rest
    return result


def _total_derivative(expr: sp.Expr, wrt: sp.Basic) -> sp.Expr:
    atoms = atoms_of(expr)
    direct = sp.diff(expr, wrt)
    through_atoms = sum(
        (sp.diff(expr, sym) * atom_partial(key, wrt) for sym, key in atoms.items()),
        sp.S.Zero,
    )
    # exponentials: the chain rule through exp(c·z[i]) twins (dlproofs.expsums)
    return direct + through_atoms + exp_chain(expr, wrt, atoms, _total_derivative, _atom, PowerSum)
