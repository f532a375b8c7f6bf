"""Adversarial soundness suite for the scalar kernel (issue 9).

Three lists of one-line cases, each a class of bug rather than one example:
FALSE statements that must never come out proved, TRUE but tricky ones that must not be refuted,
and MALFORMED inputs that must give a clear DlproofsError or an undecided link, never a traceback.
"""

from __future__ import annotations

import pytest
import sympy as sp
from sympy import Abs, Derivative, Float, Function, I, IndexedBase, Lambda, Product, Rational, Sum, exp, sqrt

from dlproofs.claim import Derivation, Step
from dlproofs.errors import DlproofsError
from dlproofs.stepcheck import LinkResult, Status, check_link, check_sizes, evaluate_exact, find_counterexample
from dlproofs.sums import Index, normalize

x, g, v, y = (IndexedBase(n, real=True) for n in "xgvy")
z = IndexedBase("z", real=True)
zc = IndexedBase("w")  # no assumptions: entries may be complex
gx = IndexedBase("g*x", real=True)  # prints like the product g·x
i, j, t, k, l_ = sp.symbols("i j t k l", integer=True, positive=True)
m, n = sp.symbols("m n", integer=True, positive=True)
X, Y = sp.symbols("X Y", real=True)
sigma = sp.Symbol("sigma", nonnegative=True)
p = sp.Symbol("p", positive=True)
c = sp.Symbol("c", real=True)
kk = Index("k", 1, m)  # a derivative index declared in range
kt = Index("k", 1, t)
f = Function("f")
S = 3  # sizes checked concretely
SIZES = {m: range(1, 5)}

FALSE = [
    # 4: derivative of a sum by an entry not proved to be a summand
    ("d-sum-any-k", Derivative(Sum(v[j], (j, 1, t)) / t, v[k]), 1 / t, {}, {}),
    ("d-sum-any-k-pinned", Derivative(Sum(v[j], (j, 1, t)) / t, v[k]), 1 / t, {t: range(1, 4)}, {k: 1}),
    ("d-sum-wider-index", Derivative(Sum(v[j], (j, 1, t)), v[Index("k", 1, t + 1)]), 1, {}, {}),
    ("d-sum-k-beyond-m", Derivative(Sum(x[i] ** 2, (i, 1, m)), x[k]), 2 * x[k], {}, {}),
    ("d-sum-shifted-range", Derivative(Sum(x[i], (i, 2, m)), x[kk]), 1, {}, {}),
    ("d-by-size", Derivative(Sum(x[i], (i, 1, m)), m), 0, {}, {}),
    # 5: exp twins of complex exponents are not positive
    ("sqrt-exp-2iz", Sum(sqrt(exp(2 * I * z[i])), (i, 1, m)), Sum(exp(I * z[i]), (i, 1, m)), {}, {}),
    ("sqrt-exp-2w", Sum(sqrt(exp(2 * zc[i])), (i, 1, m)), Sum(exp(zc[i]), (i, 1, m)), {}, {}),
    ("abs-exp-iz", Sum(Abs(exp(I * z[i])) ** 2, (i, 1, m)), Sum(exp(2 * I * z[i]), (i, 1, m)), {}, {}),
    ("sqrt-sum-complex", sqrt(Sum(zc[i] ** 2, (i, 1, m)) ** 2), Sum(zc[i] ** 2, (i, 1, m)), {}, {}),
    # 6: atoms keyed by structure, never by printed name
    ("label-g*x", Sum(gx[i], (i, 1, m)), Sum(g[i] * x[i], (i, 1, m)), {}, {}),
    ("label-g*x-sq", Sum(gx[i] ** 2, (i, 1, m)), Sum(g[i] ** 2 * x[i] ** 2, (i, 1, m)), {}, {}),
    ("label-exp-twin", Sum(IndexedBase("exp(z)", positive=True)[i], (i, 1, m)), Sum(exp(z[i]), (i, 1, m)), {}, {}),
    ("label-range", Sum(x[i], (i, 1, m)), Sum(x[i], (i, 1, n)), {}, {}),
    # 7: floats are not exact
    ("float-1e-20", (1 + Float(1e-20)) * X, X, {}, {}),
    ("float-tenth", Float(0.1) * 3 * X, Rational(3, 10) * X, {}, {}),
    ("float-in-sum", Sum((1 + Float(1e-20)) * x[i], (i, 1, m)), Sum(x[i], (i, 1, m)), {}, {}),
    ("float-in-exp", exp(Float(1e-30) * X), 1, {}, {}),
    # empty-sum convention: Σ_{i=1}^{m-2} 1 = m - 2 is false at m = 1 (no such sum)
    ("karr-count", Sum(1, (i, 1, m - 2)), m - 2, {}, {}),
    ("karr-count-sized", Sum(1, (i, 1, m - 2)), m - 2, {m: range(1, 5)}, {}),
    ("karr-sum", Sum(x[i], (i, 1, m - 3)) + Sum(x[i], (i, m - 2, m)), Sum(x[i], (i, 1, m)), {}, {}),
    ("nonint-size", Sum(x[i], (i, 1, X)), Sum(x[j], (j, 1, X)) + 1, {}, {}),
    # triangular ranges must not be treated as constants
    ("triangular", Sum(Sum(x[j], (j, 1, t)), (t, 1, m)), m * Sum(x[j], (j, 1, m)), {}, {}),
    ("triangular-count", Sum(Sum(1, (j, 1, t)), (t, 1, m)), m**2, {}, {}),
    # assumptions must matter in the right direction
    ("sqrt-square-real", sqrt(X**2), X, {}, {}),
    ("sqrt-sigma-minus", sqrt(sigma**2 - 2 * sigma + 1), sigma - 1, {}, {}),
    ("abs-sum", Abs(Sum(x[i], (i, 1, m))), Sum(Abs(x[i]), (i, 1, m)), {}, {}),
    # plain algebra slips
    ("coef-tiny", Sum(x[i], (i, 1, m)), (1 + Rational(1, 10**30)) * Sum(x[i], (i, 1, m)), {}, {}),
    ("swap-exp", Sum(x[i] ** 2 * g[i] ** 3, (i, 1, m)), Sum(x[i] ** 3 * g[i] ** 2, (i, 1, m)), {}, {}),
    ("shift-range", Sum(x[i], (i, 1, m)), Sum(x[i], (i, 2, m + 1)), {}, {}),
    ("square-of-sum", Sum(x[i], (i, 1, m)) ** 2, Sum(x[i] ** 2, (i, 1, m)), {}, {}),
    ("mean-of-products", Sum(x[i] * g[i], (i, 1, m)) / m, Sum(x[i], (i, 1, m)) * Sum(g[i], (i, 1, m)) / m**2, {}, {}),
    ("product-as-sum", Product(x[i], (i, 1, m)), Sum(x[i], (i, 1, m)), {}, {}),
    ("exp-of-sum", exp(Sum(x[i], (i, 1, m))), Sum(exp(x[i]), (i, 1, m)), {}, {}),
    ("d-wrong-factor", Derivative(Sum(x[i] ** 3, (i, 1, m)), x[kk]), 2 * x[kk] ** 2, {}, {}),
    ("d-mean", Derivative(Sum(x[i], (i, 1, m)) / m, x[kk]), 1, {}, {}),
    (
        "softmax-temp",
        Derivative(exp(z[kk] / c) / Sum(exp(z[i] / c), (i, 1, m)), z[kk]),
        exp(z[kk] / c) / Sum(exp(z[i] / c), (i, 1, m)),
        {},
        {},
    ),
    ("exp-rate-mix", Sum(exp(z[i]), (i, 1, m)), Sum(exp(z[i] / 2) ** 2, (i, 1, m)) + 1, {}, {}),
    ("sigma-sq", sqrt(sigma**2 + 2 * sigma + 1), sigma + 2, {}, {}),
    ("abs-real", Abs(X), X, {}, {}),
    ("sum-sq-vs-sq-sum", Sum(x[i] ** 2, (i, 1, m)), Sum(x[i], (i, 1, m)) ** 2 / m, {}, {}),
    (
        "var-missing-m",
        Sum((x[i] - Sum(x[j], (j, 1, m)) / m) ** 2, (i, 1, m)),
        Sum(x[i] ** 2, (i, 1, m)) - (Sum(x[i], (i, 1, m)) / m) ** 2,
        {},
        {},
    ),
    ("d-square-of-sum", Derivative(Sum(x[i], (i, 1, m)) ** 2, x[kk]), 2 * x[kk], {}, {}),
    ("d-dot", Derivative(Sum(x[i] * g[i], (i, 1, m)), x[kk]), x[kk], {}, {}),
    ("exp-sum-product", Sum(exp(2 * z[i]), (i, 1, m)), exp(Sum(2 * z[i], (i, 1, m))), {}, {}),
    ("exp-cancel-count", Sum(exp(z[i]) * exp(-z[i]), (i, 1, m)), 1, {}, {}),
    ("count-plus-one", Sum(1, (i, 1, m)), m + 1, {}, {}),
    ("const-sum", Sum(c, (i, 1, m)), c, {}, {}),
    ("bessel-slip", Sum(x[i], (i, 1, m)) / m, Sum(x[i], (i, 1, m)) / (m - 1), {}, {}),
    ("d-rate-missing-z", Derivative(Sum(exp(c * z[i]), (i, 1, m)), c), Sum(exp(c * z[i]), (i, 1, m)), {}, {}),
    ("abs-of-sum-real", Abs(Sum(x[i], (i, 1, m))), Sum(x[i], (i, 1, m)), {}, {}),
    ("dot-vs-product-of-sums", Sum(x[i] * g[i], (i, 1, m)), Sum(x[i], (i, 1, m)) * Sum(g[i], (i, 1, m)), {}, {}),
    ("log-exp-complex", sp.log(exp(I * X)), I * X, {}, {}),
    ("sqrt-product-real", sqrt(X * Y), sqrt(X) * sqrt(Y), {}, {}),
    ("d-triangular", Derivative(Sum(Sum(x[j], (j, 1, t)), (t, 1, m)), x[kk]), m, {}, {}),
    ("d-other-entry", Derivative(Sum(x[i], (i, 1, m)), g[kk]), 1, {}, {}),
    ("d-exp-entry", Derivative(Sum(exp(z[i]), (i, 1, m)), z[kk]), Sum(exp(z[i]), (i, 1, m)), {}, {}),
    ("softmax-sum-not-1", Sum(exp(z[i]) / Sum(exp(z[j]), (j, 1, m)), (i, 1, m)), 2, {}, {}),
    ("mean-shift", Sum(x[i] + c, (i, 1, m)) / m, Sum(x[i], (i, 1, m)) / m + c / m, {}, {}),
    ("sq-of-diff", (X - Y) ** 2, X**2 - Y**2, {}, {}),
    ("pow-half-sigma", (sigma**2) ** Rational(1, 2) - sigma, 1, {}, {}),
    ("mixed-rate-twins", Sum(exp(z[i] / 2), (i, 1, m)) ** 2, Sum(exp(z[i]), (i, 1, m)), {}, {}),
    ("product-reindexed-wrong", Product(x[i], (i, 1, m)), Product(x[i], (i, 2, m)), {}, {}),
    ("product-of-twice", Product(2 * x[i], (i, 1, m)), 2 * Product(x[i], (i, 1, m)), {}, {}),
]


@pytest.mark.parametrize(("a", "b", "sizes", "pins"), [c[1:] for c in FALSE], ids=[c[0] for c in FALSE])
def test_false_is_never_proved(a, b, sizes, pins):
    r = check_link(a, b, sizes=sizes, pins=pins)
    assert r.status is not Status.PROVED, r
    assert not r.ok


def _capture_derivation() -> Derivation:
    """x̄[t] := (1/m)Σ_j (x_t − x_j) applied at the outer index j (root cause 1)."""
    dev = IndexedBase("d", real=True)
    where = ((dev, Lambda(t, Sum(x[t] - x[j], (j, 1, m)) / m)),)
    return Derivation("capture", Sum(dev[j] ** 2, (j, 1, m)), (Step(sp.S.Zero, "r", "w"),), where=where)


def test_where_capture_does_not_prove_zero():
    d = _capture_derivation()
    r = check_link(d.expand(d.lhs), d.expand(sp.S.Zero), sizes=SIZES)
    assert r.status is Status.REFUTED  # Σ_j (x_j − μ)² is not 0


def test_where_capture_true_identity_is_proved():
    d = _capture_derivation()
    mu = Sum(x[i], (i, 1, m)) / m
    r = check_link(d.expand(d.lhs), Sum((x[j] - mu) ** 2, (j, 1, m)), sizes=SIZES)
    assert r.status is Status.PROVED, r


def test_where_symbol_with_free_index_is_not_captured():
    a_ = sp.Symbol("a")
    d = Derivation("free j", Sum(a_, (j, 1, m)), (Step(m * x[j], "r", "w"),), where=((a_, x[j]),))
    assert check_link(d.expand(d.lhs), d.expand(m * x[j]), sizes=SIZES).status is Status.PROVED


def test_where_nested_abbreviations_are_capture_avoiding():
    mu_, dev = sp.Symbol("mu"), IndexedBase("d", real=True)
    where = ((mu_, Sum(x[i], (i, 1, m)) / m), (dev, Lambda(i, x[i] - mu_)))
    d = Derivation("nest", Sum(dev[i], (i, 1, m)), (Step(sp.S.Zero, "r", "w"),), where=where)
    assert check_link(d.expand(d.lhs), sp.S.Zero).status is Status.PROVED


TRUE = [
    ("renamed-abs", Sum(Abs(x[i]), (i, 1, m)), Sum(Abs(x[j]), (j, 1, m)), {}, {}),
    ("renamed-prod", Product(x[i], (i, 1, m)), Product(x[j], (j, 1, m)), {}, {}),
    ("renamed-abs-sized", Sum(Abs(x[i]), (i, 1, m)), Sum(Abs(x[j]), (j, 1, m)), SIZES, {}),
    ("free-and-bound-i", Sum(x[i], (i, 1, m)) + x[i], x[i] + Sum(x[j], (j, 1, m)), SIZES, {}),
    ("d-in-range", Derivative(Sum(v[j], (j, 1, t)) / t, v[kt]), 1 / t, {t: range(1, 4)}, {}),
    ("d-square", Derivative(Sum(x[i] ** 2, (i, 1, m)), x[kk]), 2 * x[kk], SIZES, {}),
    ("d-mean-sq", Derivative((Sum(x[i], (i, 1, m)) / m) ** 2, x[kk]), 2 * Sum(x[i], (i, 1, m)) / m**2, SIZES, {}),
    ("d-index-1", Derivative(Sum(x[i], (i, 1, m)), x[1]), 1, SIZES, {}),
    ("sigma-root", sqrt(sigma**2 + 2 * sigma + 1), sigma + 1, {}, {}),
    ("sqrt-pos", sqrt(p**2), p, {}, {}),
    ("exp-twin-real", Sum(sqrt(exp(2 * z[i])), (i, 1, m)), Sum(exp(z[i]), (i, 1, m)), SIZES, {}),
    ("exp-rate", Sum(exp(2 * z[i]), (i, 1, m)), Sum(exp(z[i]) ** 2, (i, 1, m)), SIZES, {}),
    ("float-half", Float(0.5) * X, X / 2, {}, {}),  # refused (undecided), never refuted
    ("float-int", Float(3.0) * X, 3 * X, {}, {}),
    ("split-sum", Sum(x[i], (i, 1, m)), x[1] + Sum(x[i], (i, 2, m)), SIZES, {}),
    (
        "expand-square",
        Sum((x[i] - c) ** 2, (i, 1, m)),
        Sum(x[i] ** 2, (i, 1, m)) - 2 * c * Sum(x[i], (i, 1, m)) + m * c**2,
        SIZES,
        {},
    ),
    ("factor-const", Sum(c * x[i], (i, 1, m)), c * Sum(x[i], (i, 1, m)), SIZES, {}),
    ("count", Sum(1, (i, 1, m)), m, SIZES, {}),
    ("count-m-1", Sum(1, (i, 1, m - 1)), m - 1, {m: range(1, 5)}, {}),
    ("empty", Sum(x[i], (i, 1, m - 1)) + x[m], Sum(x[i], (i, 1, m)), {m: range(1, 5)}, {}),
    (
        "label-distinct-true",
        Sum(gx[i] + g[i] * x[i], (i, 1, m)),
        Sum(g[i] * x[i], (i, 1, m)) + Sum(gx[i], (i, 1, m)),
        SIZES,
        {},
    ),
    ("trig", sp.sin(X) ** 2 + sp.cos(X) ** 2, 1, {}, {}),
    ("complex-value", exp(I * X) * exp(-I * X), 1, {}, {}),
    ("int-step", X - X + 2, 2, {}, {}),
    ("d-undefined-fn", Derivative(f(X) + X, X), Derivative(f(X), X) + 1, {}, {}),
    ("d-undefined-fn-2", Derivative(f(X) ** 2, X), 2 * f(X) * Derivative(f(X), X), {}, {}),
    ("mean-zero", Sum(x[i] - Sum(x[j], (j, 1, m)) / m, (i, 1, m)), 0, SIZES, {}),
    (
        "variance",
        Sum((x[i] - Sum(x[j], (j, 1, m)) / m) ** 2, (i, 1, m)) / m,
        Sum(x[i] ** 2, (i, 1, m)) / m - (Sum(x[i], (i, 1, m)) / m) ** 2,
        SIZES,
        {},
    ),
    (
        "softmax-grad",
        Derivative(exp(z[kk]) / Sum(exp(z[i]), (i, 1, m)), z[kk]),
        exp(z[kk]) / Sum(exp(z[i]), (i, 1, m)) - exp(2 * z[kk]) / Sum(exp(z[i]), (i, 1, m)) ** 2,
        SIZES,
        {},
    ),
]


@pytest.mark.parametrize(("a", "b", "sizes", "pins"), [c[1:] for c in TRUE], ids=[c[0] for c in TRUE])
def test_true_is_never_refuted(a, b, sizes, pins):
    r = check_link(a, b, sizes=sizes, pins=pins)
    assert r.status is not Status.REFUTED, r


PROVED_TRUE = {
    "renamed-abs",
    "renamed-prod",
    "d-in-range",
    "d-square",
    "sigma-root",
    "exp-twin-real",
    "count-m-1",
    "renamed-abs-sized",
    "free-and-bound-i",
    "label-distinct-true",
    "trig",
    "int-step",
    "variance",
    "softmax-grad",
}


@pytest.mark.parametrize(
    ("a", "b", "sizes", "pins"),
    [c[1:] for c in TRUE if c[0] in PROVED_TRUE],
    ids=[c[0] for c in TRUE if c[0] in PROVED_TRUE],
)
def test_true_tricky_ones_the_kernel_proves(a, b, sizes, pins):
    r = check_link(a, b, sizes=sizes, pins=pins)
    assert r.status is Status.PROVED, r
    assert r.rests_on, "a proved link must say what it rests on"


def test_assumptions_a_proof_needs_are_shown():
    r = check_link(sqrt(sigma**2 + 2 * sigma + 1), sigma + 1)
    assert r.status is Status.PROVED and "sigma >= 0" in r.assumptions
    assert check_link((X + 1) ** 2, X**2 + 2 * X + 1).assumptions == ()  # none needed: none listed


def test_range_premise_is_shown():
    r = check_link(Derivative(Sum(x[i] ** 2, (i, 1, m)), x[kk]), 2 * x[kk])
    assert r.status is Status.PROVED and "1 <= k <= m" in r.assumptions
    assert any("in range" in rule for rule in r.rests_on)


def test_float_literals_say_why():
    for a, b in [((1 + Float(1e-20)) * X, X), (Float(0.5) * X, X / 2), (Sum(Float(2.0) * x[i], (i, 1, m)), 0)]:
        r = check_link(a, b, sizes=SIZES)
        assert r.status is Status.UNDECIDED and "Rational" in r.detail, r


def test_reversed_range_is_not_an_empty_sum():
    r = check_link(Sum(1, (i, 1, m - 2)), m - 2)
    assert r.status is Status.UNDECIDED and "reversed" in r.detail
    # and the size cross-check does not count m = 1 (reversed) as evidence either way
    assert check_sizes(Sum(1, (i, 1, m - 2)), m - 2, {m: range(1, 4)}, {}) == ((2, 3), None)


def test_inequality_is_never_cited_ok():
    r = check_link(X**2, X**2 + 1, relation="<=", lemma="anything at all")
    assert (r.status is Status.PROVED) == r.ok
    assert check_link((X - sqrt(2)) ** 2, Rational(1, 10**8), relation=">=", lemma="sq").status is not Status.PROVED


def test_refutation_search_does_not_crash_on_odd_values():
    assert evaluate_exact(Derivative(f(X), X), {X: 1}) is None
    assert abs(evaluate_exact(X + 1, {X: 2}) - 3) < 1e-25  # a plain Python int as a point value
    assert find_counterexample(exp(I * X), exp(-I * X), "=", {}, {}) is not None  # complex values compare for "="
    assert find_counterexample(I * X, 2 * I * X, "<=", {}, {}) is None  # but are never ordered


def test_string_side_is_a_clear_error():
    with pytest.raises(DlproofsError, match="string"):
        check_link("X + 1", X + 1)


def test_unknown_relation_is_a_clear_error():
    with pytest.raises(DlproofsError, match="relation"):
        check_link(X, X, relation="<")


def test_lambda_arity_mismatch_is_a_clear_error():
    d = IndexedBase("d")
    der = Derivation("arity", d[i, j], (Step(sp.S.Zero, "r", "w"),), where=((d, Lambda(t, x[t])),))
    with pytest.raises(DlproofsError, match="argument"):
        der.expand(der.lhs)


def test_where_indexedbase_needs_a_lambda():
    d = IndexedBase("d")
    der = Derivation("nolambda", d[i], (Step(sp.S.Zero, "r", "w"),), where=((d, x[i]),))
    with pytest.raises(DlproofsError, match="Lambda"):
        der.expand(der.lhs)


UNDECIDED_INPUTS = [
    ("python-int", 3, 3, "proved"),
    ("python-float-exact", 0.5, Rational(1, 2), "undecided"),
    ("python-float-inexact", 0.1, Rational(1, 10), "undecided"),
    ("undefined-fn-derivative", Derivative(f(X), X), Derivative(Function("h")(X), X), "any"),
    ("sum-infinite", Sum(x[i], (i, 1, sp.oo)), Sum(x[j], (j, 1, sp.oo)), "any"),
    ("nested-derivative-undefined", Derivative(Sum(f(x[i]), (i, 1, m)), x[kk]), Derivative(f(x[kk]), x[kk]), "any"),
    ("d-by-expression", Derivative(X**2, X), 2 * X, "proved"),
    ("matrix-scalar-mix", sp.MatrixSymbol("A", 2, 2)[0, 0], X, "any"),
    ("zoo", 1 / (X - X), X, "any"),
    ("nan", sp.nan, X, "any"),
    ("huge-power", (X + 1) ** 400, (X + 1) ** 400, "proved"),
    ("piecewise", sp.Piecewise((X, X > 0), (-X, True)), Abs(X), "any"),
    ("boolean", sp.Eq(X, 1), sp.true, "any"),
    ("integral", sp.Integral(X, (X, 0, 1)), Rational(1, 2), "any"),
    ("complex-infinity-sum", Sum(1 / (i - 2), (i, 1, m)), m, "any"),
    ("two-index-entry", Derivative(Sum(x[i], (i, 1, m)), y[i, j]), 0, "any"),
    ("index-on-both", Derivative(Sum(x[i], (i, 1, m)), x[i]), 1, "any"),
]


@pytest.mark.parametrize(("a", "b", "want"), [c[1:] for c in UNDECIDED_INPUTS], ids=[c[0] for c in UNDECIDED_INPUTS])
def test_malformed_or_odd_input_never_raises(a, b, want):
    r = check_link(a, b, sizes=SIZES)
    assert isinstance(r, LinkResult)
    if want != "any":
        assert r.status.value == want, r


def test_kernel_errors_are_reported_not_swallowed(monkeypatch):
    import dlproofs.tiers as tiers

    def boom(self, a, b, ctx):
        raise RuntimeError("planted bug")

    monkeypatch.setattr(tiers.ExactTier, "prove", boom)
    r = check_link(X + 1, 1 + X)
    assert r.status is Status.UNDECIDED and "RuntimeError" in r.detail and "planted bug" in r.detail


def test_normalizer_keeps_distinct_structures_apart():
    assert sp.cancel(normalize(Sum(gx[i], (i, 1, m)) - Sum(g[i] * x[i], (i, 1, m)))) != 0


def test_concrete_sizes_respect_a_reused_bound_index():
    """Σ_i (x_i − Σ_i x_i/m): the inner i is its own; unrolling the outer sum must not touch it."""
    mean = Sum(x[i], (i, 1, m)) / m
    assert check_sizes(Sum(x[i] - mean, (i, 1, m)), sp.S.Zero, {m: range(1, 4)}, {}) == ((1, 2, 3), None)


def test_root_bracket_refuses_complex_values_and_float_endpoints():
    from dlproofs.roots import sign_change

    s = sp.Symbol("s", real=True)
    ok, detail = sign_change(sqrt(s), s, -1, 1)  # f(-1) = i: no sign to change
    assert not ok and "not real" in detail
    ok, detail = sign_change(s, s, -0.5, 0.5)
    assert not ok and "float" in detail
    assert sign_change(s, s, Rational(-1, 2), Rational(1, 2))[0]  # and a real bracket still passes


def test_moment_order_refuses_a_bool():
    from dlproofs.moments import MomentError, raw_moment_of_sum

    with pytest.raises(MomentError):
        raw_moment_of_sum(True, m, {1: 0, 2: 1})


def test_tiers_are_declared_units_that_can_fail():
    from dlproofs.tiers import EXACT, MATRIX, SIMPLIFY, SUMS, TIERS, Context, Tier, trust_base

    A = sp.MatrixSymbol("A", n, n)
    for tier in TIERS:
        assert isinstance(tier, Tier) and tier.trusts and tier.rule
        assert tier.trusts in trust_base()
    # selection is by data: each tier says which links it takes
    assert not MATRIX.applies(X, X) and MATRIX.applies(A, A) and not EXACT.applies(A, A)
    assert SUMS.applies(Sum(x[i], (i, 1, m)), sp.S.Zero) and not SUMS.applies(X, X)
    # and each can fail (None = not proved by this tier)
    ctx = Context()
    assert EXACT.prove(X, X + 1, ctx) is None and EXACT.prove(X + X, 2 * X, ctx) is not None
    assert SUMS.prove(Sum(x[i], (i, 1, m)), Sum(x[i], (i, 1, m)) + 1, ctx) is None
    assert SIMPLIFY.prove(sp.sin(X) ** 2 + sp.cos(X) ** 2, sp.Integer(2), ctx) is None
    assert MATRIX.prove(A, 2 * A, ctx) is None and MATRIX.prove(A + A, 2 * A, ctx) is not None


def test_sum_up_to_a_free_index_is_unrolled_at_the_point_not_by_karr():
    """Σ_{i=1}^{k−2} 1 = k − 2 fails at k = 1 in the usual reading, but SymPy's closed form agrees;
    the refutation search must neither refute by Karr's convention nor prove it."""
    kf = Index("k", 1, m)
    r = check_link(Sum(1, (i, 1, kf - 2)), kf - 2, sizes=SIZES)
    assert r.status is not Status.PROVED
    assert abs(evaluate_exact(Sum(x[i], (i, 1, kf)), {kf: 2, x[1]: 1, x[2]: 2}) - 3) < 1e-25


def test_where_renames_only_when_a_substitution_enters_the_binder():
    """p[j] := exp(z[j])/Σ_j exp(z[j]): the bound j is untouched by the argument, so no rename
    (downstream code such as the torch translation reads the bound index names)."""
    p_ = IndexedBase("p", positive=True)
    Z = Sum(exp(z[j]), (j, 1, m))
    d = Derivation(
        "softmax", Sum(p_[j], (j, 1, m)), (Step(sp.S.One, "r", "w"),), where=((p_, Lambda(t, exp(z[t]) / Z)),)
    )
    assert d.expand(d.lhs) == Sum(exp(z[j]) / Z, (j, 1, m))


def test_declared_index_without_sizes_is_still_searched():
    """k in 1..n with no n in the link: the refutation search still draws k (any k >= 1 is fine)."""
    theta, lam = IndexedBase("theta", real=True), sp.Symbol("lam", positive=True)
    kn = Index("k", 1, n)
    wrong = check_link(Derivative(lam * Abs(theta[kn]), theta[kn]), 2 * lam * sp.sign(theta[kn]))
    assert wrong.status is Status.REFUTED


def test_products_up_to_a_drawn_size_are_searched():
    """No sizes given: L is drawn, Π_{l=1}^{L} w_l unrolls, and its entries get values too."""
    w = IndexedBase("w", positive=True)
    L = sp.Symbol("L", integer=True, positive=True)
    r = check_link(Product(w[l_], (l_, 1, L)), Product(w[l_], (l_, 1, L)) + 1, relation=">=")
    assert r.status is Status.REFUTED


def test_size_check_gives_closed_forms_for_provably_nonreversed_ranges():
    """Σ_c Σ_j 2 over 1..d, 1..n at n = 1..3 with d symbolic: closed form d (d a positive integer)."""
    d_ = sp.Symbol("d", integer=True, positive=True)
    two = Sum(2, (i, 1, d_), (j, 1, n))
    assert check_sizes(two, 2 * n * d_, {n: range(1, 4)}, {}) == ((1, 2, 3), None)
    assert check_sizes(two, 2 * n * d_ + 1, {n: range(1, 4)}, {}) == ((), 1)


MORE_ODD = [
    ("none-side", None, X),
    ("list-side", [X], X),
    ("dict-side", {X: 1}, X),
    ("lambda-side", Lambda(t, t), X),
    ("tuple-side", sp.Tuple(X, Y), X),
    ("explicit-matrix", sp.Matrix([[X]]), X),
    ("interval", sp.Interval(0, 1), X),
    ("float-bound", Sum(x[i], (i, 1, Float(2.5))), 0),
    ("symbolic-size-zero", Sum(x[i], (i, 1, m)), 0),
]


@pytest.mark.parametrize(("a", "b"), [c[1:] for c in MORE_ODD], ids=[c[0] for c in MORE_ODD])
def test_odd_sides_give_an_error_or_a_verdict_never_a_traceback(a, b):
    try:
        r = check_link(a, b, sizes={m: [0, 1, 2]}, pins={"k": 1})
    except DlproofsError as exc:
        assert str(exc)  # a clear message
        return
    assert isinstance(r, LinkResult) and r.status is not Status.PROVED or a == b


def test_an_empty_index_range_is_refused():
    """A premise no k satisfies (3 <= k <= 1) would prove anything about k: refused when declared."""
    with pytest.raises(DlproofsError, match="empty range"):
        Index("k", 3, 1)


def test_the_range_premise_of_a_derivative_variable_is_shown():
    """k occurs only as the derivative's variable x[k] (SymPy leaves it out of free_symbols)."""
    r = check_link(Derivative(Sum(x[i], (i, 1, m)), x[kk]), 1)
    assert r.status is Status.PROVED and "1 <= k <= m" in r.assumptions


# ── where-definitions must carry their symbol's assumptions (found in session 3) ──────────────────────
# SymPy applies a symbol's assumptions while an expression is *built* (√(x²) → x for a positive x), before the
# kernel expands the where-definitions; a definition that breaks them made false statements come out proved.
_xp = sp.Symbol("x_pos", positive=True)
_yp = sp.Symbol("y_pos", positive=True)
_ni = sp.Symbol("n_int", integer=True, positive=True)
_kp = IndexedBase("k_pos", positive=True)
WHERE_FALSE = {
    "√(x²) = x with the positive x := −1": Derivation(
        "w1", sqrt(_xp**2), (Step(_xp, "x > 0", ""),), where=((_xp, sp.S(-1)),)
    ),
    "√(x²) = x with the positive x := y − 1 (negative for y < 1)": Derivation(
        "w2", sqrt(_xp**2), (Step(_xp, "x > 0", ""),), where=((_xp, _yp - 1),)
    ),
    "(−1)^(2n) = 1 with the integer n := 1/2": Derivation(
        "w3", (-1) ** (2 * _ni), (Step(sp.S.One, "even power", ""),), where=((_ni, Rational(1, 2)),)
    ),
    "|k_t| = k_t with the positive k := t ↦ −t": Derivation(
        "w4", Abs(_kp[t]), (Step(_kp[t], "k > 0", ""),), where=((_kp, Lambda(t, -t)),)
    ),
}


@pytest.mark.parametrize("name", WHERE_FALSE)
def test_a_where_definition_breaking_its_symbols_assumptions_proves_nothing(name):
    from dlproofs.check import check_derivation

    result = check_derivation(WHERE_FALSE[name])
    assert all(link.status is not Status.PROVED for link in result.links), name
    assert "declared" in result.links[0].detail and "assumption" in result.links[0].detail


def test_a_where_definition_that_keeps_the_assumptions_is_still_checked_normally():
    from dlproofs.check import check_derivation

    ok = Derivation("w5", sqrt(_xp**2), (Step(_xp, "x > 0", ""),), where=((_xp, _yp + 1),))
    assert [link.status for link in check_derivation(ok).links] == [Status.PROVED]
    wrong = Derivation("w6", _xp + 1, (Step(_xp, "off by one", ""),), where=((_xp, _yp + 1),))
    assert [link.status for link in check_derivation(wrong).links] == [Status.REFUTED]
