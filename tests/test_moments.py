"""The moment algebra on its own: golden facts, agreement with sympy.stats and brute force, refusals."""

from __future__ import annotations

import itertools

import pytest
import sympy as sp
from sympy.stats import E, Normal, Rademacher

from dlproofs.moments import (
    MomentError,
    central_moment_of_sum,
    falling,
    moments_from,
    product_moments,
    raw_moment_of_sum,
    set_partitions,
    variance_of_sum,
)

d = sp.Symbol("d", integer=True, positive=True)
m1, m2, m3, m4 = sp.symbols("m1 m2 m3 m4", real=True)
M = {1: m1, 2: m2, 3: m3, 4: m4}
STD = {1: 0, 2: 1}


def test_bell_numbers():
    assert [len(list(set_partitions(r))) for r in range(7)] == [1, 1, 2, 5, 15, 52, 203]


def test_partitions_are_partitions():
    for p in set_partitions(4):
        assert sorted(x for b in p for x in b) == [0, 1, 2, 3]


def test_falling_factorial():
    assert falling(d, 0) == 1
    assert sp.expand(falling(d, 3) - d * (d - 1) * (d - 2)) == 0


def test_mean_of_sum():
    assert raw_moment_of_sum(1, d, M) == d * m1


def test_second_moment_of_sum():
    assert sp.expand(raw_moment_of_sum(2, d, M) - (d * m2 + d * (d - 1) * m1**2)) == 0


def test_variance_of_sum_is_d_times_variance():
    assert sp.expand(variance_of_sum(d, M) - d * (m2 - m1**2)) == 0


def test_fourth_moment_mean_zero_variance_one():
    # DESIGN.md §4: E[S^4] = d(3d + mu4 - 3) for mean 0, variance 1
    assert sp.expand(raw_moment_of_sum(4, d, {1: 0, 2: 1, 3: m3, 4: m4}) - d * (3 * d + m4 - 3)) == 0


def test_dot_product_fourth_moment():
    mu4 = sp.Symbol("mu4", positive=True)
    y = product_moments(moments_from(third=0, fourth=mu4), moments_from(third=0, fourth=mu4), 4)
    assert sp.expand(raw_moment_of_sum(4, d, y) - d * (3 * d + mu4**2 - 3)) == 0


def test_third_central_moment_of_sum_is_additive():
    third_central = m3 - 3 * m1 * m2 + 2 * m1**3
    assert sp.expand(central_moment_of_sum(3, d, M) - d * third_central) == 0


def test_moments_from_shift_and_scale():
    mu, s2 = sp.Symbol("mu", real=True), sp.Symbol("s2", positive=True)
    mo = moments_from(mean=mu, variance=s2, third=0, fourth=3)
    assert mo[1] == mu
    assert sp.expand(mo[2] - (s2 + mu**2)) == 0
    assert sp.expand(mo[4] - (mu**4 + 6 * mu**2 * s2 + 3 * s2**2)) == 0


@pytest.mark.parametrize("size", [1, 2, 3])
@pytest.mark.parametrize("r", [1, 2, 3, 4])
def test_agrees_with_brute_force_expansion(size, r):
    ys = sp.symbols(f"y0:{size}")
    # E of a monomial in independent identically-moment'ed y: product of m_{power}
    poly = sp.Poly(sp.expand(sum(ys) ** r), *ys)
    brute = sum(c * sp.Mul(*[M[e] if e else 1 for e in mon]) for mon, c in poly.terms())
    assert sp.expand(raw_moment_of_sum(r, size, M) - brute) == 0
    assert sp.expand(raw_moment_of_sum(r, d, M).subs(d, size) - brute) == 0


@pytest.mark.parametrize("size", [1, 2, 3])
def test_agrees_with_sympy_stats_gaussian_and_rademacher(size):
    for make, fourth in ((lambda s: Normal(s, 0, 1), 3), (Rademacher, 1)):
        q = [make(f"q{i}") for i in range(size)]
        k = [make(f"k{i}") for i in range(size)]
        s = sum(a * b for a, b in zip(q, k))
        y = product_moments(moments_from(third=0, fourth=fourth), moments_from(third=0, fourth=fourth), 4)
        for r in (1, 2, 4):
            assert sp.simplify(E(sp.expand(s**r)) - raw_moment_of_sum(r, size, y)) == 0


def test_zero_blocks_beyond_d_vanish():
    # with d = 1 there is one index, so every pattern with 2+ blocks counts 0 tuples
    assert raw_moment_of_sum(3, 1, M) == m3


# ── refusals ───────────────────────────────────────────────────────────────────────────────
def test_refuses_a_missing_moment():
    with pytest.raises(MomentError, match=r"orders \[3, 4\] are missing"):
        raw_moment_of_sum(4, d, STD)


def test_refuses_a_real_size():
    with pytest.raises(MomentError, match="not a positive integer"):
        raw_moment_of_sum(2, sp.Symbol("d", real=True), M)


def test_refuses_an_unassumed_size():
    with pytest.raises(MomentError, match="Declare Symbol"):
        raw_moment_of_sum(2, sp.Symbol("n"), M)


def test_refuses_an_empty_sum():
    with pytest.raises(MomentError, match="at least 1"):
        raw_moment_of_sum(2, 0, M)


@pytest.mark.parametrize("r", [0, -1, 1.5, sp.Rational(1, 2)])
def test_refuses_a_bad_order(r):
    with pytest.raises(MomentError, match="positive integer"):
        raw_moment_of_sum(r, d, M)


def test_refuses_a_fourth_moment_without_the_third():
    with pytest.raises(MomentError, match="third"):
        moments_from(fourth=3)


def test_product_moments_refuse_missing_orders():
    with pytest.raises(MomentError, match="moments of k"):
        product_moments(M, STD, 3)


def test_independence_is_what_the_count_assumes():
    # Counter-check of the hypothesis: with k = q (not independent), E[(q·q)] = d, not E[q]E[k]·d = 0
    q0, q1 = Normal("a0", 0, 1), Normal("a1", 0, 1)
    assert E(q0 * q0 + q1 * q1) == 2
    assert raw_moment_of_sum(1, 2, product_moments(STD, STD, 1)) == 0
    assert list(itertools.islice(set_partitions(2), 2)) == [((0, 1),), ((0,), (1,))]
