"""Round 4 of the adversarial review: the mechanisms behind the rows ``r4-*`` of
tests/_soundness_cases.py (run by tests/test_soundness.py), asserted on their own.

- The refutation search draws the boundary value 0 for a symbol that allows it, so a statement
  false only at 0 is *refuted* (not merely left undecided), for every seed.
- doit/simplify never see a product or sum whose range is not provably of length >= 0.
- A derivative of a function with a kink is not evaluated at a point.
- A counterexample point gives values to variables only, and only values their assumptions allow.
- A derivative with respect to a where-abbreviation is not expanded into another derivative.
"""

from __future__ import annotations

import random

import pytest
import sympy as sp

from dlproofs.check import check_counterexample, check_derivation
from dlproofs.claim import Counterexample, Derivation, Step
from dlproofs.lemmas import Certificate
from dlproofs.stepcheck import Status, check_link, draw_value
from dlproofs.sums import Index

X = sp.Symbol("X", real=True)
q = sp.Symbol("q", nonnegative=True)
p = sp.Symbol("p", positive=True)
i, m = sp.symbols("i m", integer=True, positive=True)
x = sp.IndexedBase("x", real=True)

BOUNDARY_FALSE = {
    "0^q = 0": (sp.Integer(0) ** q, sp.Integer(0), "="),
    "sign(q) = 1": (sp.sign(q), sp.Integer(1), "="),
    "1[X > 0] = Heaviside(X, 1)": (sp.Piecewise((1, X > 0), (0, True)), sp.Heaviside(X, 1), "="),
    "floor(X) + floor(-X) = -1": (sp.floor(X) + sp.floor(-X), sp.Integer(-1), "="),
    "|X| + 1[X<0] + 1[X>0] >= 1": (sp.Abs(X) + sp.Heaviside(-X, 0) + sp.Heaviside(X, 0), sp.Integer(1), ">="),
    "Σ sign(x_i)² = m": (
        sp.Sum(sp.sign(x[i]) ** 2, (i, 1, m)),
        m,
        "=",
    ),
}


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("name", list(BOUNDARY_FALSE))
def test_a_statement_false_only_at_zero_is_refuted_for_every_seed(name: str, seed: int) -> None:
    a, b, rel = BOUNDARY_FALSE[name]
    sizes = {m: range(1, 4)} if a.has(m) else None
    r = check_link(a, b, relation=rel, sizes=sizes, seed=seed)
    assert r.status is Status.REFUTED, f"{name} (seed {seed}): {r.status.value} {r.detail}"
    assert "0" in r.counterexample.values(), r.counterexample


def test_boundary_draws_respect_every_assumption() -> None:
    rng = random.Random(0)
    assert draw_value(q, rng, boundary=True) == 0
    assert draw_value(X, rng, boundary=True) == 0
    assert draw_value(sp.Symbol("n", integer=True, nonpositive=True), rng, boundary=True) == 0
    for sym in (p, sp.Symbol("k", integer=True, nonzero=True), sp.Symbol("o", odd=True), sp.Symbol("r", negative=True)):
        assert all(draw_value(sym, rng, boundary=True) != 0 for _ in range(20)), sym


def test_true_statements_at_the_boundary_are_not_refuted() -> None:
    for a, b in [(q * sp.Heaviside(q, 0), q), (sp.Abs(X) * sp.sign(X), X), (sp.Max(0, X) + sp.Min(0, X), X)]:
        for seed in range(5):
            assert check_link(a, b, seed=seed).status is not Status.REFUTED, (a, b, seed)


def test_a_product_over_a_range_not_proved_nonreversed_is_never_simplified() -> None:
    r = check_link(sp.Product(2, (i, 1, m - 2)), 2 ** (m - 2))
    assert r.status is Status.UNDECIDED and "Karr" in r.detail, r.detail
    assert check_link(sp.Product(2, (i, 1, m - 1)), 2 ** (m - 1)).status is Status.PROVED  # m − 1 ≥ 0 terms


def test_a_certificate_counts_terms_only_of_a_nonreversed_range() -> None:
    false = check_link(sp.Sum(1, (i, 1, m - 2)), m - 2, relation="<=", lemma=Certificate(sp.S.Zero))
    assert false.status is Status.UNDECIDED, false.detail
    true = check_link(sp.Sum(1, (i, 1, m - 1)), m - 1, relation="<=", lemma=Certificate(sp.S.Zero))
    assert true.status is Status.PROVED, true.detail


def test_a_derivative_at_a_kink_is_refused_with_the_reason() -> None:
    r = check_link(sp.Subs(sp.Derivative(sp.Max(0, X), X), X, 0), sp.Rational(1, 2))
    assert r.status is Status.UNDECIDED and "kink" in r.detail and "Max" in r.detail, r.detail
    smooth = check_link(sp.Subs(sp.Derivative(X**3, X), X, 2), sp.Integer(12))
    assert smooth.status is Status.PROVED, smooth.detail


def test_a_counterexample_point_must_give_allowed_values_to_variables() -> None:
    rel = sp.Ge(p**3 - p, -1)
    bad = check_counterexample(Counterexample("p = −2", relation=rel, point={p: sp.Integer(-2)}))
    assert not bad.confirmed and "p > 0" in bad.detail, bad.detail
    key = check_counterexample(Counterexample("sin X = 2", relation=sp.Le(sp.sin(X) ** 2, 1), point={sp.sin(X): 2}))
    assert not key.confirmed and "not a variable" in key.detail, key.detail
    k = Index("k", 1, m)
    rel = sp.Eq(sp.Derivative(sp.Sum(x[i] ** 2, (i, 1, m)), x[k]), 2 * x[k], evaluate=False)
    out = check_counterexample(Counterexample("k = 3 > m", relation=rel, point={m: 2, k: 3, x[3]: 1}))
    assert not out.confirmed and "1 <= k <= m" in out.detail, out.detail
    # a genuine counterexample whose values respect the assumptions is still confirmed
    good = check_counterexample(Counterexample("X = 2", relation=sp.Eq(X**2, X), point={X: 2}))
    assert good.confirmed, good.detail


def test_a_derivative_by_a_where_abbreviation_is_not_checked() -> None:
    mu = sp.Symbol("mu", real=True)
    for rhs in (2 * X, X):  # the expanded reading (2X) and the partial one (X): neither is decided
        d = Derivation("∂(μX)/∂μ", sp.Derivative(mu * X, mu), (Step(rhs, "d", "d"),), where=((mu, X),))
        link = check_derivation(d).links[0]
        assert link.status is Status.UNDECIDED and "where-abbreviation" in link.detail, link.detail


def test_a_counterexample_at_a_kink_of_a_derivative_is_not_confirmed() -> None:
    rel = sp.Eq(sp.Derivative(sp.Max(0, X), X), 0)
    out = check_counterexample(Counterexample("relu'(0) = 1/2 ≠ 0", relation=rel, point={X: 0}))
    assert not out.confirmed and "kink" in out.detail, out.detail


def test_the_assumptions_of_a_free_dummy_are_listed_with_the_proof() -> None:
    """√((s + 1)²) = s + 1 needs s > 0 (else |s + 1|): a Dummy is a variable like any Symbol."""
    s = sp.Dummy("s", positive=True)
    r = check_link(sp.sqrt(s**2 + 2 * s + 1), s + 1)
    assert r.status is Status.PROVED and r.assumptions == ("s > 0",), (r.status, r.assumptions)


def test_an_index_range_over_a_bound_index_is_refused() -> None:
    j = sp.Symbol("j", integer=True, positive=True)
    k = Index("k", 1, j)
    lhs = sp.Sum(sp.Derivative(sp.Sum(x[i] ** 2, (i, 1, j)), x[k]), (j, 1, m))
    r = check_link(lhs, 2 * m * x[k])
    assert r.status is Status.UNDECIDED and "1 <= k <= j" in r.detail, r.detail


@pytest.mark.parametrize("seed", range(5))
def test_the_refuter_gives_an_entry_one_value_whatever_its_index(seed: int) -> None:
    """x[k] with k drawn = 1 is the entry x[1]: a point never gives the two different values."""
    from dlproofs.stepcheck import find_counterexample

    k = Index("k", 1, m)
    sizes = {m: (1, 2, 3)}
    for a, b in [(sp.Derivative(sp.Sum(x[i] ** 2, (i, 1, m)), x[k]), 2 * x[k]), (x[k] + x[1], 2 * x[1])]:
        w = find_counterexample(a, b, "=", sizes, {}, seed=seed)
        if a.has(sp.Derivative):
            assert w is None, w  # true: never refuted
        elif w is not None:  # false (k ≠ 1): a witness must be consistent
            assert not ({"x[k]", "x[1]"} <= set(w) and w.get("k") == "1"), w


def test_a_distribution_has_no_value_at_a_point() -> None:
    """∫_{−1}^{1} δ(t − 1/3) dt is 1, but quadrature gives 0: the refuter must not use that value."""
    from dlproofs.stepcheck import evaluate_exact

    t = sp.Symbol("t", real=True)
    assert evaluate_exact(sp.Integral(sp.DiracDelta(t - sp.Rational(1, 3)), (t, -1, 1)), {}) is None
    smooth = evaluate_exact(sp.Integral(t**2, (t, -1, 1)), {})  # a smooth integrand is still evaluated
    assert smooth is not None and abs(smooth - sp.Rational(2, 3)) < sp.Rational(1, 10**25)
