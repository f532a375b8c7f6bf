"""The three-valued step checker: proved, refuted (with a confirmed point), undecided."""

from __future__ import annotations

import sympy as sp

from dlproofs.lemmas import Certificate
from dlproofs.stepcheck import Status, check_link, evaluate_exact

a, b = sp.symbols("a b", real=True)
p = sp.Symbol("p", positive=True)
x = sp.IndexedBase("x", real=True)
i = sp.Symbol("i", integer=True, positive=True)
m = sp.Symbol("m", integer=True, positive=True)


def test_exact_tier_proves_a_rational_identity():
    r = check_link((a + b) ** 2, a**2 + 2 * a * b + b**2)
    assert (r.status, r.method) == (Status.PROVED, "exact")


def test_sum_tier_proves_for_symbolic_m():
    r = check_link(sp.Sum(x[i] + 1, (i, 1, m)), sp.Sum(x[i], (i, 1, m)) + m, sizes={m: range(1, 4)})
    assert (r.status, r.method) == (Status.PROVED, "sums")


def test_refuted_with_a_confirmed_point():
    r = check_link((a + b) ** 2, a**2 + b**2)
    assert r.status is Status.REFUTED
    assert {"a", "b", "lhs", "rhs"} <= set(r.counterexample)


def test_refuted_at_a_concrete_batch():
    r = check_link(sp.Sum(x[i] ** 2, (i, 1, m)), sp.Sum(x[i], (i, 1, m)) ** 2, sizes={m: range(1, 5)})
    assert r.status is Status.REFUTED
    assert "m" in r.counterexample


def test_positive_assumption_is_respected():
    # sqrt(p**2) == p only because p > 0; with a real symbol it is |a| and a is refuted
    assert check_link(sp.sqrt(p**2), p).status is Status.PROVED
    assert check_link(sp.sqrt(a**2), a).status is Status.REFUTED


def test_trig_tier():
    r = check_link(sp.sin(a) ** 2 + sp.cos(a) ** 2, sp.Integer(1))
    assert (r.status, r.method) == (Status.PROVED, "trig")


def test_simplify_tier():
    r = check_link(sp.tan(a) * sp.cos(a), sp.sin(a))  # tan is refused by the trig tier
    assert (r.status, r.method) == (Status.PROVED, "simplify")


def test_undecided_is_not_proved():
    # two unknown functions: no tier can prove it, and no point can be evaluated to refute it
    hard = check_link(sp.Function("g")(a), sp.Function("h")(a))
    assert hard.status is Status.UNDECIDED and not hard.ok


def test_inequality_without_a_lemma_is_undecided():
    r = check_link(a**2, a**2 + 1, relation="<=")
    assert r.status is Status.UNDECIDED


def test_inequality_is_proved_by_a_certificate_never_by_a_name():
    named = check_link(a**2, a**2 + 1, relation="<=", lemma="adding 1")
    assert named.status is Status.UNDECIDED and "not a proof" in named.detail
    proved = check_link(a**2, a**2 + 1, relation="<=", lemma=Certificate(sp.Integer(1)))
    assert (proved.status, proved.method) == (Status.PROVED, "lemma")
    assert check_link(a**2 + 1, a**2, relation="<=", lemma=Certificate(sp.Integer(1))).status is Status.REFUTED


def test_evaluate_exact_gives_none_where_undefined():
    assert evaluate_exact(1 / a, {a: 0}) is None
    assert abs(evaluate_exact(a + 1, {a: sp.Rational(1, 3)}) - sp.Rational(4, 3)) < 1e-25


def test_drawn_values_respect_sign_assumptions():
    import random

    from dlproofs.stepcheck import draw_value

    rng = random.Random(0)
    neg, npos, nneg_int = (
        sp.Symbol("n", negative=True),
        sp.Symbol("q", nonpositive=True),
        sp.Symbol("j", integer=True, nonnegative=True),
    )
    assert all(draw_value(neg, rng) < 0 for _ in range(50))
    assert all(draw_value(npos, rng) <= 0 for _ in range(50))
    assert all(draw_value(nneg_int, rng) >= 0 for _ in range(50))
    assert check_link(sp.sqrt(neg**2), -neg).status is Status.PROVED
