"""Indexed-sum normalizer: decide identities over a batch of symbolic size m.

SymPy's ``simplify`` crashes on nested ``Sum`` and does not cancel ``Sum(x[i]) - Sum(x[j])``
(DESIGN.md §4). This module rewrites every ``Sum(body, (i, lo, hi))`` innermost-out into
*power-sum atoms*: the body is expanded, index-free factors are pulled out
(``as_independent``) and what remains must be a monomial in indexed objects at ``i``::

    Sum(1, (i, 1, m))           -> m
    Sum(x[i], (i, 1, m))        -> Σx        (one Symbol per monomial and range)
    Sum(x[i]**2, (i, 1, m))     -> Σx²
    Sum(g[i]*x[i], (i, 1, m))   -> Σg·x

Atoms are keyed by structure (one Dummy per key), never by a printed label, so an
``IndexedBase("g*x")`` never meets the product ``g·x``.

Anything else (``Sum(exp(x[i]**2))``, ``Sum(x[i]*x[i+1])``, limits that depend on an outer index,
a range whose length ``hi − lo + 1`` is not provably an integer ≥ 0) raises
:class:`NotNormalizableError`: the normalizer refuses rather than guesses. (SymPy reads a reversed
range ``hi < lo − 1`` as minus a sum, Karr's convention; the usual reading has no such sum.)

``Derivative(F, x[k])`` is evaluated by the chain rule through the atoms, with the one rule
that has to be stated and tested on its own (:func:`atom_partial`)::

    ∂/∂x[k] Σ_i x[i]^e ∏ b[i]^f  =  e · x[k]^(e-1) ∏ b[k]^f      (lo <= k <= hi, proved)

The range condition is proved from SymPy's assumptions or from a declared
:class:`Index` (``k = Index("k", 1, m)``, a premise the proof lists); otherwise the rule refuses.

Once both sides are in atom form the identity is a rational-function identity, which
``cancel(together(...))`` decides exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sympy as sp

from .errors import NotNormalizableError
from .expsums import exp_chain, to_twins

__all__ = ["Index", "PowerSum", "normalize", "atom_partial", "atoms_of", "has_sums", "in_range", "range_premises"]


class Index(sp.Symbol):
    """An integer index declared to lie in ``lo..hi``: a *premise* that the proof lists.

    ``k = Index("k", 1, m)`` prints as ``k`` and behaves as an integer Symbol; the sum normalizer
    uses the declared range to prove that ``x[k]`` is one of the summands of ``Σ_{i=lo}^{hi} x[i]``
    (needed to differentiate a sum by ``x[k]``, see :func:`atom_partial`). Two Index symbols with
    the same name but different ranges are different symbols.
    """

    __slots__ = ("lo", "hi")

    def __new__(cls, name: str, lo: object, hi: object, **assumptions: bool) -> Index:
        lo, hi = sp.sympify(lo), sp.sympify(hi)
        if sp.expand(hi - lo).is_negative:
            from .errors import ClaimDefinitionError

            raise ClaimDefinitionError(
                f"Index {name!r} declared in {lo}..{hi}, an empty range (hi < lo): a premise no k satisfies "
                "would make every statement about k vacuously true. Declare lo <= hi."
            )
        assumptions.setdefault("integer", True)
        if lo.is_positive:
            assumptions.setdefault("positive", True)
        elif lo.is_nonnegative:
            assumptions.setdefault("nonnegative", True)
        cls._sanitize(assumptions, cls)
        obj = sp.Symbol.__xnew__(cls, name, **assumptions)
        obj.lo, obj.hi = lo, hi
        return obj

    def _hashable_content(self) -> tuple:
        return sp.Symbol._hashable_content(self) + (self.lo, self.hi)

    def __getnewargs_ex__(self) -> tuple:
        return ((self.name, self.lo, self.hi), self._assumptions_orig)

    def premise(self) -> str:
        return f"{sp.sstr(self.lo)} <= {self.name} <= {sp.sstr(self.hi)}"


def _provably_le(a: sp.Expr, b: sp.Expr) -> bool:
    """a <= b from SymPy's assumptions on the symbols (True only when SymPy proves it)."""
    return sp.expand(sp.sympify(b) - sp.sympify(a)).is_nonnegative is True


def in_range(k: sp.Expr, lo: sp.Expr, hi: sp.Expr) -> bool:
    """Provably ``lo <= k <= hi`` with k an integer: from the symbols' assumptions, or from a
    declared :class:`Index` range (``lo <= k.lo`` and ``k.hi <= hi``)."""
    k = sp.sympify(k)
    if k.is_integer is not True:
        return False
    ranges = [(k.lo, k.hi)] if isinstance(k, Index) else []
    low = _provably_le(lo, k) or any(_provably_le(lo, a) for a, _ in ranges)
    high = _provably_le(k, hi) or any(_provably_le(b, hi) for _, b in ranges)
    return low and high


def range_premises(expr: sp.Basic) -> tuple[str, ...]:
    """The declared index ranges (:class:`Index`) ``expr`` relies on, as readable text."""
    return tuple(sorted({s.premise() for s in sp.sympify(expr).free_symbols if isinstance(s, Index)}))


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
    # One Dummy per *structural* key, reused, so that the same sum written with another index
    # name (Sum(x[i]) vs Sum(x[j])) becomes the same atom and cancels, while two different keys
    # never meet even when they print alike (IndexedBase("g*x") vs the product g·x). The label
    # is only its printed name. Real only when every summand factor is real.
    real = all(_entry(b).is_real for b, _ in key.factors) or None
    return sp.Dummy(key.label(), real=real)


def _entry(base: sp.IndexedBase) -> sp.Expr:
    return base[sp.Dummy("i", integer=True)]


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
    for limit in s.limits:
        if len(limit) != 3:
            raise NotNormalizableError(f"sum {s} has a limit {limit} without both bounds; write (i, lo, hi)")
        index, lo, hi = limit
        if lo.has(index) or hi.has(index):
            raise NotNormalizableError(
                f"sum over {index} has limits ({lo}, {hi}) that mention the index itself; "
                "the normalizer only knows fixed ranges. Rewrite the sum over a fixed range."
            )
        count = sp.expand(hi - lo + 1)
        if count.is_integer is not True or count.is_nonnegative is not True:
            raise NotNormalizableError(
                f"sum over {index} from {lo} to {hi}: cannot prove that the range is a (possibly empty) "
                f"range of integers, i.e. that {count} = hi - lo + 1 is an integer >= 0 "
                f"(is_integer={count.is_integer}, is_nonnegative={count.is_nonnegative}). SymPy reads a "
                "reversed range hi < lo - 1 as minus a sum (Karr's convention), not as an empty sum, so "
                "the normalizer refuses. Declare the symbols' assumptions (integer, positive) or shift the range."
            )
        body = _sum_over(sp.expand(body), index, lo, hi)
    return body


def _sum_over(body: sp.Expr, index: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> sp.Expr:
    total = sp.S.Zero
    for term in sp.Add.make_args(body):
        if term == 0:  # Sum(0, (i, lo, hi)): an empty body (e.g. a mask that is 0) sums to 0
            continue
        coeff, dep = term.as_independent(index, as_Add=False)
        inner = [key for key in atoms_of(term).values() if key.lo.has(index) or key.hi.has(index)]
        if inner:
            raise NotNormalizableError(
                f"sum over {index} of a term with an inner sum whose range depends on {index} "
                f"({inner[0].label()}); the normalizer only knows fixed ranges (no triangular sums)."
            )
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
    return PowerSum(sort_factors(powers), lo, hi)


def sort_factors(powers: dict) -> tuple:
    """A canonical order of (base, exponent) pairs, by structure (not only by printed name)."""
    return tuple(sorted(powers.items(), key=lambda be: (str(be[0]), sp.srepr(be[0]))))


def atom_partial(key: PowerSum, wrt: sp.Basic) -> sp.Expr:
    """∂(atom)/∂x[k]: the chain-rule step through a power sum.

    Sound only when x[k] is one of the summands, i.e. ``lo <= k <= hi``: the range must be proved
    (:func:`in_range`: the symbols' assumptions or a declared :class:`Index`), else it refuses.
    """
    if isinstance(wrt, sp.Symbol) and (key.lo.has(wrt) or key.hi.has(wrt)):
        raise NotNormalizableError(
            f"derivative by {wrt}, which is a bound of the sum {key.label()}: a sum is not differentiable "
            "in its number of terms"
        )
    bases = [b for b, _ in key.factors]
    if not isinstance(wrt, sp.Indexed) or wrt.base not in bases:
        return sp.S.Zero
    if len(wrt.indices) != 1:
        raise NotNormalizableError(f"derivative by {wrt} (several indices) of the one-index sum {key.label()}")
    (k,) = wrt.indices
    if not in_range(k, key.lo, key.hi):
        raise NotNormalizableError(
            f"∂/∂{wrt} of {key.label()}: cannot prove that {k} lies in {key.lo}..{key.hi} (SymPy assumptions "
            f"of {k}: integer={k.is_integer}, positive={k.is_positive}), so {wrt} may not be a summand and the "
            f"derivative may be 0. Declare the index range, e.g. {k} = Index('{k}', {key.lo}, {key.hi}) "
            "from dlproofs.sums (the proof then lists the premise)."
        )
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
