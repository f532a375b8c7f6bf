"""Exponentials inside indexed sums: ``Σ_j exp(c·z[j])`` for the sum normalizer (softmax, entropy).

The normalizer (:mod:`dlproofs.sums`) knows power sums of indexed symbols only. Softmax needs
``Σ_j exp(z_j)`` and, with a temperature, ``Σ_j exp(z_j/t)``. This module gives each
exponential ``exp(c·z[i])`` (c free of indexed symbols and of i) a *twin* indexed symbol
``E_c(z)[i]`` (positive when c·z[i] is provably real), so that ``exp(n·c·z[i]) -> E_c(z)[i]**n`` (n a positive integer) is a
monomial the normalizer can sum. The twin remembers (z, c), and differentiation follows the
chain rule (the one rule to state and test on its own, :func:`exp_chain`)::

    ∂E_c(z)[i]/∂z[l] = c·E_c(z)[i]·δ_il          ∂E_c(z)[i]/∂w = (∂c/∂w)·z[i]·E_c(z)[i]

so ``Derivative(F, z[l])`` gains ``c·E[l]·∂F/∂E[l]`` (with ``δ_kl·f(l)`` written ``δ_kl·f(k)``) and ``Derivative(F, w)`` (w a plain symbol in
c) gains, for each atom ``Σ_i E[i]^e·rest``, ``e·c'·Σ_i z[i]·E[i]^e·rest``, and for each twin
entry ``E[k]`` outside sums, ``c'·z[k]·E[k]·∂F/∂E[k]``.

A negative or fractional rate is a twin of its own (``exp(-z[i])`` is ``E_{-1}(z)[i]``).
What it leaves alone (so the normalizer still refuses): ``exp`` of anything else, e.g.
``exp(z[i]**2)`` or ``exp(z[i] + y[i])``.
``exp(z[i])`` and ``exp(z[i]/2)`` are different twins: identities mixing them stay undecided.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import sympy as sp

__all__ = ["twin", "twin_of", "to_twins", "exp_chain"]

_TWINS: dict[sp.IndexedBase, tuple[sp.IndexedBase, sp.Expr]] = {}


@cache
def twin(base: sp.IndexedBase, rate: sp.Expr) -> sp.IndexedBase:
    """The indexed symbol standing for ``exp(rate·base[i])``; one per (base, rate), reused."""
    name = f"exp({base})" if rate == 1 else f"exp({sp.sstr(rate)}*{base})"
    # The label is a Dummy: a twin never meets a user's IndexedBase that prints alike. It is
    # positive only when the exponent rate·base[i] is provably real (exp of a complex number
    # is not positive: sqrt(exp(2i·z)) is not exp(i·z)).
    real_exponent = (rate * base[sp.Dummy("i", integer=True)]).is_real is True
    out = sp.IndexedBase(sp.Dummy(name), positive=True) if real_exponent else sp.IndexedBase(sp.Dummy(name))
    _TWINS[out] = (base, rate)
    return out


def twin_of(b: sp.IndexedBase) -> tuple[sp.IndexedBase, sp.Expr] | None:
    """(base, rate) when ``b`` is a twin, else None."""
    return _TWINS.get(b)


def _split(arg: sp.Expr) -> tuple[sp.Indexed, sp.Expr, int] | None:
    """arg = n·rate·z[i] with n a positive integer and rate free of indexed symbols; else None."""
    coeff, dep = arg.as_independent(sp.Indexed, as_Add=False)
    if not isinstance(dep, sp.Indexed) or coeff.has(sp.Indexed):
        return None
    if coeff.free_symbols & set().union(*(ix.free_symbols for ix in dep.indices)):
        return None  # the rate mentions the index: not one exponential per entry
    n, rate = coeff.as_coeff_Mul()
    if n.is_Integer and n > 0:
        return dep, rate, int(n)
    return dep, coeff, 1


def to_twins(expr: sp.Basic) -> sp.Basic:
    """Replace every ``exp(n·c·z[i])`` by ``E_c(z)[i]**n``; other exponentials are left as they are."""

    def swap(e: sp.Basic) -> sp.Basic:
        parts = _split(e.args[0])
        if parts is None:
            return e
        dep, rate, n = parts
        return twin(dep.base, rate)[dep.indices] ** n

    return expr.replace(lambda e: isinstance(e, sp.exp) and e.args[0].has(sp.Indexed), swap)


def exp_chain(
    expr: sp.Expr,
    wrt: sp.Basic,
    atoms: dict,
    total_derivative: Callable[[sp.Expr, sp.Basic], sp.Expr],
    make_atom: Callable[[object], sp.Symbol],
    key_type: type,
) -> sp.Expr:
    """The terms the chain rule adds through twins when differentiating ``expr`` by ``wrt``.

    ``atoms`` are the normalizer's atoms in ``expr`` (symbol -> PowerSum); ``total_derivative``
    is the normalizer's own (direct + through atoms); ``make_atom`` builds an atom from a key.
    """
    out = sp.S.Zero
    twins_here = {ix.base for ix in expr.atoms(sp.Indexed) if twin_of(ix.base)}
    twins_here |= {b for key in atoms.values() for b, _ in key.factors if twin_of(b)}
    for tw in twins_here:
        base, rate = _TWINS[tw]
        if isinstance(wrt, sp.Indexed) and wrt.base == base and len(wrt.indices) == 1:
            # F reaches z[l] through E[l] (entries and sums alike): c·E[l]·∂F/∂E[l]
            entry = tw[wrt.indices]
            out += _collapse_deltas(sp.expand(rate * entry * total_derivative(expr, entry)), wrt.indices[0])
        elif isinstance(wrt, sp.Symbol) and rate.has(wrt):
            dc = sp.diff(rate, wrt)
            for ix in {ix for ix in expr.atoms(sp.Indexed) if ix.base == tw}:
                out += sp.diff(expr, ix) * dc * base[ix.indices] * ix
            for sym, key in atoms.items():
                powers = dict(key.factors)
                if tw not in powers:
                    continue
                e = powers[tw]
                powers[base] = powers.get(base, 0) + 1
                factors = tuple(sorted(powers.items(), key=lambda be: (str(be[0]), sp.srepr(be[0]))))
                shifted = make_atom(key_type(factors, key.lo, key.hi))
                out += sp.diff(expr, sym) * e * dc * shifted
    return out


def _collapse_deltas(expr: sp.Expr, index: sp.Basic) -> sp.Expr:
    """δ_{k,l}·f(l) = δ_{k,l}·f(k): in each term with a δ on ``index`` (= l), put the other index in."""
    out = sp.S.Zero
    for term in sp.Add.make_args(expr):
        deltas = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.KroneckerDelta) and index in f.args]
        if deltas:
            a, b = deltas[0].args
            other = b if a == index else a
            rest = sp.Mul(*[f for f in sp.Mul.make_args(term) if f is not deltas[0]])
            term = deltas[0] * rest.xreplace({index: other})
        out += term
    return out
