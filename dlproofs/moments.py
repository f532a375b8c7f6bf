"""Moment algebra for sums of independent terms: ``E[S^r]`` for ``S = Σ_{i=1}^{d} Y_i``, symbolic d.

Why: ``sympy.stats`` computes exact moments of ``q·k`` only for small concrete d (DESIGN.md §4:
7.8 s at d = 6, 24 s at d = 8), while claims such as ``Var[q·k] = d_k`` are about every d_k.

The rule. Expand ``S^r = Σ_{i_1..i_r} Y_{i_1}⋯Y_{i_r}`` and group the index tuples by which
positions carry equal indices: a *set partition* π of the r positions. Independent terms factor,
so a tuple with pattern π contributes ``∏_{B ∈ π} m_{|B|}`` where ``m_j = E[Y_i^j]``, and exactly
``d^{(|π|)} = d(d−1)⋯(d−|π|+1)`` tuples have pattern π (injective labellings of the blocks; 0
when ``|π| > d``)::

    E[S^r] = Σ_{π ∈ Π(r)} d^{(|π|)} ∏_{B ∈ π} m_{|B|}

This is exact for a symbolic positive integer d. Identical distributions are not needed, only
that ``E[Y_i^j]`` is the same for every i and every ``j ≤ r``. For ``Y_i = q_i k_i`` with
``q_i`` independent of ``k_i``: ``E[Y^j] = E[q^j] E[k^j]`` (:func:`product_moments`).

It refuses (:class:`MomentError`) rather than guesses: an order that is not a positive integer,
a moment of order ≤ r that is missing, a size d that is not declared a positive integer.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache

import sympy as sp

from .errors import DlproofsError

__all__ = [
    "MomentError",
    "set_partitions",
    "falling",
    "raw_moment_of_sum",
    "central_moment_of_sum",
    "variance_of_sum",
    "product_moments",
    "moments_from",
]

Moments = Mapping[int, sp.Expr]  # order j -> E[Y^j]


class MomentError(DlproofsError, ValueError):
    """The moment algebra was asked something it cannot answer exactly; it refuses."""


def set_partitions(r: int) -> Iterator[tuple[tuple[int, ...], ...]]:
    """Every set partition of the positions 0..r−1 (Bell(r) of them), blocks in order of first element."""
    if r == 0:
        yield ()
        return
    for rest in set_partitions(r - 1):
        # position r−1 joins an existing block, or opens its own
        for n in range(len(rest)):
            yield rest[:n] + (rest[n] + (r - 1,),) + rest[n + 1 :]
        yield rest + ((r - 1,),)


def falling(d: sp.Expr, b: int) -> sp.Expr:
    """d(d−1)⋯(d−b+1): the number of ways to give b blocks distinct indices in 1..d."""
    return sp.Mul(*[d - n for n in range(b)])


def _check_size(d: sp.Expr | int) -> sp.Expr:
    d = sp.sympify(d)
    if d.is_Integer:
        if d < 1:
            raise MomentError(f"a sum of d = {d} terms: d must be at least 1")
        return d
    if not (isinstance(d, sp.Symbol) and d.is_integer and d.is_positive):
        raise MomentError(
            f"size {d!r} is not a positive integer (is_integer={d.is_integer}, is_positive={d.is_positive}); "
            "the count d(d−1)⋯ of index tuples needs one. Declare Symbol('d', integer=True, positive=True)."
        )
    return d


def _check_order(r: object) -> int:
    if isinstance(r, bool) or not isinstance(r, (int, sp.Integer)) or int(r) < 1:
        raise MomentError(f"moment order {r!r} must be a positive integer")
    return int(r)


def _need(m: Moments, upto: int, what: str) -> None:
    missing = [j for j in range(1, upto + 1) if j not in m]
    if missing:
        raise MomentError(
            f"{what} needs E[Y^j] for j = 1..{upto}, but orders {missing} are missing (given {sorted(m)}); "
            "supply them, e.g. moments_from(mean=0, variance=1, fourth=3) for a standard Gaussian."
        )


@cache
def _partition_counts(r: int) -> tuple[tuple[tuple[int, ...], int], ...]:
    """(sorted block sizes, how many partitions have them), for each shape of partition of r."""
    counts: dict[tuple[int, ...], int] = {}
    for p in set_partitions(r):
        shape = tuple(sorted(len(b) for b in p))
        counts[shape] = counts.get(shape, 0) + 1
    return tuple(sorted(counts.items()))


def raw_moment_of_sum(r: int, d: sp.Expr | int, m: Moments) -> sp.Expr:
    """E[(Σ_{i=1}^{d} Y_i)^r] for independent Y_i with E[Y_i^j] = m[j] (j ≤ r), by set partitions."""
    r = _check_order(r)
    d = _check_size(d)
    _need(m, r, f"E[S^{r}]")
    total = sp.S.Zero
    for shape, count in _partition_counts(r):
        total += count * falling(d, len(shape)) * sp.Mul(*[sp.sympify(m[s]) for s in shape])
    return total


def central_moment_of_sum(r: int, d: sp.Expr | int, m: Moments) -> sp.Expr:
    """E[(S − E S)^r], from the raw moments of S by the binomial expansion."""
    r = _check_order(r)
    mean = raw_moment_of_sum(1, d, m)
    raw = {j: raw_moment_of_sum(j, d, m) for j in range(1, r + 1)}
    raw[0] = sp.S.One
    return sp.expand(sum((sp.binomial(r, j) * raw[j] * (-mean) ** (r - j) for j in range(r + 1)), sp.S.Zero))


def variance_of_sum(d: sp.Expr | int, m: Moments) -> sp.Expr:
    """Var[S] = E[S²] − E[S]², expanded."""
    return sp.expand(raw_moment_of_sum(2, d, m) - raw_moment_of_sum(1, d, m) ** 2)


def product_moments(mq: Moments, mk: Moments, upto: int) -> dict[int, sp.Expr]:
    """E[(q k)^j] = E[q^j] E[k^j] for independent q, k, j = 1..upto."""
    upto = _check_order(upto)
    _need(mq, upto, "E[(qk)^j] (moments of q)")
    _need(mk, upto, "E[(qk)^j] (moments of k)")
    return {j: sp.sympify(mq[j]) * sp.sympify(mk[j]) for j in range(1, upto + 1)}


def moments_from(
    *,
    mean: sp.Expr | float = 0,
    variance: sp.Expr | float = 1,
    third: sp.Expr | float | None = None,
    fourth: sp.Expr | float | None = None,
) -> dict[int, sp.Expr]:
    """Raw moments E[X^j] of X = mean + σ·Z from the standardized moments of Z (third = E[Z³], fourth = E[Z⁴]).

    Orders 3 and 4 are present only when given (so asking for them otherwise is refused).
    """
    mu, v = sp.sympify(mean), sp.sympify(variance)
    sigma = sp.sqrt(v)
    z = {1: sp.S.Zero, 2: sp.S.One}
    if third is not None:
        z[3] = sp.sympify(third)
    if fourth is not None:
        if third is None:
            raise MomentError("the fourth moment of mean + σZ needs the third moment of Z as well")
        z[4] = sp.sympify(fourth)
    z[0] = sp.S.One
    out = {}
    for j in sorted(k for k in z if k >= 1):
        out[j] = sp.expand(sum((sp.binomial(j, a) * mu ** (j - a) * sigma**a * z[a] for a in range(j + 1)), sp.S.Zero))
    return out
