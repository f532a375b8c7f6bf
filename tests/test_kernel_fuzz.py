"""Differential fuzzer for the scalar kernel (issue 9).

Hypothesis draws an expression from a small grammar (indexed sums over a symbolic size m with
polynomial, exp, complex-exp and Abs bodies, products of sums, powers, a division by m, and
derivatives by x[k] or by a scalar), then a second expression that is either a random *valid
rewrite* (rename the bound index, expand, split a sum, pull out a constant, peel the last term,
exp(2z) = exp(z)², √(exp(2z)) = exp(z) for real z) or a random *perturbation* (a coefficient off
by a tiny rational, a shifted range, swapped exponents, x swapped for g, exp(iz) for √exp(2iz), an
entry of the look-alike base "g*x").

The oracle is the test's own, independent of the kernel's tiers: unroll every sum at m = 1..4
(a reversed range is skipped, not read by Karr's convention), differentiate the explicit
expression with SymPy's diff at a concrete k, and evaluate at random rational points to 50
digits. The kernel must never say *proved* where the oracle sees a difference, and never say
*refuted* where the oracle sees none.
"""

from __future__ import annotations

import random

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sympy import Abs, Derivative, I, IndexedBase, Rational, Sum, exp, sqrt

from dlproofs import tiers
from dlproofs.stepcheck import Status, check_link
from dlproofs.sums import Index

x, g = IndexedBase("x", real=True), IndexedBase("g", real=True)
gx = IndexedBase("g*x", real=True)  # prints like the product g·x: must stay a different atom
i, j = sp.symbols("i j", integer=True, positive=True)
m = sp.Symbol("m", integer=True, positive=True)
k = Index("k", 1, m)
c = sp.Symbol("c", real=True)
SIZES = {m: range(1, 5)}
BASES = (x, g, gx)


# ── the grammar ──────────────────────────────────────────────────────────────────────────────
coeffs = st.builds(Rational, st.integers(-3, 3).filter(bool), st.sampled_from([1, 2, 3]))


@st.composite
def monomials(draw, index=i):
    a, b = draw(st.integers(0, 2)), draw(st.integers(0, 2))
    special = draw(st.sampled_from(["none"] * 6 + ["exp", "exp2", "expi", "abs", "gx", "c"]))
    term = draw(coeffs) * x[index] ** a * g[index] ** b
    extra = {
        "none": 1,
        "exp": exp(x[index]),
        "exp2": exp(2 * x[index]),
        "expi": exp(I * x[index]),
        "abs": Abs(x[index]),
        "gx": gx[index],
        "c": c,
    }[special]
    return term * extra


@st.composite
def sums(draw):
    body = sp.Add(*draw(st.lists(monomials(), min_size=1, max_size=3)))
    lo = draw(st.sampled_from([1, 1, 1, 2]))
    hi = draw(st.sampled_from([m, m, m, m - 1]))
    return Sum(body, (i, lo, hi))


@st.composite
def atoms(draw):
    kind = draw(st.sampled_from(["sum", "sum", "sum", "xk", "c", "const"]))
    if kind == "sum":
        return draw(sums())
    return {"xk": x[k], "c": c, "const": draw(coeffs)}[kind]


@st.composite
def expressions(draw):
    parts = draw(st.lists(atoms(), min_size=1, max_size=3))
    expr = parts[0]
    for part in parts[1:]:
        expr = expr + part if draw(st.booleans()) else expr * part
    shape = draw(st.sampled_from(["plain", "plain", "square", "over-m"]))
    expr = {"plain": expr, "square": expr**2, "over-m": expr / m}[shape]
    wrt = draw(st.sampled_from([None, None, x[k], c]))
    return expr if wrt is None else Derivative(expr, wrt)


# ── rewrites (true) and perturbations (false) ────────────────────────────────────────────────
def _map_sums(expr, fn, rng, once=False):
    """Apply fn to every Sum (or to one random Sum when once=True)."""
    found = list(expr.atoms(Sum))
    if not found:
        return expr
    chosen = [rng.choice(found)] if once else found
    return expr.xreplace({s: fn(s) for s in chosen})


def _rename(s):
    (var, lo, hi) = s.limits[0]
    return Sum(s.function.xreplace({var: j}), (j, lo, hi))


def _expand(s):
    return Sum(sp.expand(s.function), *s.limits)


def _split(s):
    terms = sp.Add.make_args(sp.expand(s.function))
    return sp.Add(*[Sum(t, *s.limits) for t in terms])


def _pull_constants(s):
    out = []
    for t in sp.Add.make_args(sp.expand(s.function)):
        const, dep = t.as_independent(s.limits[0][0], as_Add=False)
        out.append(const * Sum(dep, *s.limits))
    return sp.Add(*out)


def _peel(s):
    (var, lo, hi) = s.limits[0]
    if hi != m or lo != 1:  # m - 1 >= 0 but the peeled term needs hi >= lo for every m
        return s
    return Sum(s.function, (var, lo, hi - 1)) + s.function.xreplace({var: hi})


def _exp_power(e):
    return e.replace(lambda a: isinstance(a, sp.exp) and a.args[0] == 2 * x[i], lambda a: exp(x[i]) ** 2)


def _sqrt_exp(e):
    return e.replace(lambda a: a == exp(x[i]), lambda a: sqrt(exp(2 * x[i]), evaluate=False))


REWRITES = {
    "rename": lambda e, r: _map_sums(e, _rename, r),
    "expand": lambda e, r: _map_sums(e, _expand, r),
    "split": lambda e, r: _map_sums(e, _split, r, once=True),
    "pull": lambda e, r: _map_sums(e, _pull_constants, r, once=True),
    "peel": lambda e, r: _map_sums(e, _peel, r, once=True),
    "exp-power": lambda e, r: _exp_power(e),
    "sqrt-exp": lambda e, r: _sqrt_exp(e),
    "expand-all": lambda e, r: sp.expand(e) if not e.has(Derivative) else e,
}


def _shift(s, rng):
    (var, lo, hi) = s.limits[0]
    return Sum(s.function, (var, lo, hi - 1)) if rng.random() < 0.5 else Sum(s.function, (var, lo + 1, hi))


def _swap_powers(e):
    return e.replace(
        lambda a: isinstance(a, sp.Pow) and a.base in (x[i], g[i]) and a.exp.is_Integer,
        lambda a: a.base ** (a.exp + 1),
    )


PERTURBATIONS = {
    "tiny": lambda e, r: e + Rational(1, 10**6) * (x[k] if r.random() < 0.5 else c),
    "tiny-scale": lambda e, r: (1 + Rational(1, 10**9)) * e,
    "shift": lambda e, r: _map_sums(e, lambda s: _shift(s, r), r, once=True),
    "swap-power": lambda e, r: _swap_powers(e),
    "x-for-g": lambda e, r: e.xreplace({g: x}) if r.random() < 0.5 else e.xreplace({x: g}),
    # each adds a sum that looks like 0 to a kernel with that bug, whatever e contains
    "look-alike": lambda e, r: e + Sum(gx[i] - g[i] * x[i], (i, 1, m)),
    "complex-exp": lambda e, r: e + Sum(sqrt(exp(2 * I * x[i])) - exp(I * x[i]), (i, 1, m)),
    "complex-sqrt-sum": lambda e, r: (
        e + sqrt(Sum(exp(2 * I * x[i]), (i, 1, m)) ** 2) - Sum(exp(2 * I * x[i]), (i, 1, m))
    ),
    "reversed": lambda e, r: e + Sum(1, (i, 1, m - 2)) - (m - 2),
    "sqrt-complex": lambda e, r: e.replace(lambda a: a == exp(x[i]), lambda a: sqrt(exp(2 * I * x[i]))),
}


# ── the oracle ───────────────────────────────────────────────────────────────────────────────
class _Reversed(Exception):
    pass


def _unroll(e):
    if isinstance(e, Sum):
        (var, lo, hi) = e.limits[0]
        lo, hi = int(lo), int(hi)
        if hi < lo - 1:
            raise _Reversed
        return sp.Add(*[_unroll(e.function.subs(var, v)) for v in range(lo, hi + 1)])
    if not e.args or isinstance(e, sp.Indexed):
        return e
    return e.func(*[_unroll(a) for a in e.args])


def _value(expr, size, kval, point):
    concrete = _unroll(expr.xreplace({m: sp.Integer(size), k: sp.Integer(kval)}))
    concrete = concrete.doit()
    number = sp.N(concrete.xreplace(point), 50)
    if number.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or not number.is_number:
        return None
    return number


def oracle_differs(a, b, seed) -> bool | None:
    """True: a difference at some size and point; False: equal everywhere tried; None: no evidence."""
    rng = random.Random(seed)
    compared = False
    for size in range(1, 5):
        for kval in range(1, size + 1):  # every k: a difference may sit at one position only
            point = {c: Rational(rng.randint(-9, 9), rng.randint(1, 4))}
            for base in BASES:
                for n in range(0, size + 2):
                    point[base[n]] = Rational(rng.randint(-9, 9), rng.randint(1, 4))
            try:
                va, vb = _value(a, size, kval, point), _value(b, size, kval, point)
            except _Reversed:
                continue
            if va is None or vb is None:
                continue
            compared = True
            if abs(va - vb) > sp.Float(10, 50) ** -30 * (1 + abs(va) + abs(vb)):
                return True
    return False if compared else None


@st.composite
def pairs(draw):
    a = draw(expressions())
    rng = random.Random(draw(st.integers(0, 2**16)))
    true = draw(st.booleans())
    table = REWRITES if true else PERTURBATIONS
    names = draw(st.lists(st.sampled_from(sorted(table)), min_size=1, max_size=2))
    b = a
    for name in names:
        b = table[name](b, rng)
    return a, b, names


def _check_pair(a, b, names):
    result = check_link(a, b, sizes=SIZES)
    differs = oracle_differs(a, b, seed=hash(sp.srepr(a)) % 1000)
    if result.status is Status.PROVED:
        assert differs is not True, f"proved but the sides differ: {a}  vs  {b}  ({names}) {result}"
    if result.status is Status.REFUTED:
        assert differs is not False, f"refuted but equal at every point: {a}  vs  {b}  ({names}) {result}"


FAST = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


@FAST
@given(pairs())
def test_kernel_never_proves_a_difference(monkeypatch_simplify, pair):
    _check_pair(*pair)


@pytest.mark.slow
@settings(FAST, max_examples=10_000, derandomize=False)
@given(pairs())
def test_kernel_never_proves_a_difference_thorough(monkeypatch_simplify, pair):
    _check_pair(*pair)


@pytest.fixture(scope="module")
def monkeypatch_simplify():
    """A shorter simplify limit keeps the run short; it only makes the kernel prove less."""
    old = tiers.SIMPLIFY_SECONDS
    tiers.SIMPLIFY_SECONDS = 0.3
    yield
    tiers.SIMPLIFY_SECONDS = old


def test_oracle_sees_the_differences_it_must():
    """The oracle itself can fail: it sees a tiny coefficient and a shifted range, and not a rename."""
    s = Sum(x[i] ** 2, (i, 1, m))
    assert oracle_differs(s, s + Rational(1, 10**6) * c, 0) is True
    assert oracle_differs(s, Sum(x[i] ** 2, (i, 2, m)), 0) is True
    assert oracle_differs(s, Sum(x[j] ** 2, (j, 1, m)), 0) is False
    assert oracle_differs(Derivative(s, x[k]), 2 * x[k], 0) is False
    assert oracle_differs(Derivative(s, x[k]), 2 * x[1], 0) is True


def _plant(monkeypatch, bug):
    """Re-introduce one of issue 9's kernel bugs (the fuzzer must then fail)."""
    import functools

    import dlproofs.expsums as expsums
    import dlproofs.sums as sums

    if bug == "twin-always-positive":

        def twin(base, rate):
            out = IndexedBase(sp.Dummy(f"exp({rate}*{base})"), positive=True)
            expsums._TWINS[out] = (base, rate)
            return out

        monkeypatch.setattr(expsums, "twin", functools.cache(twin))
    elif bug == "atoms-keyed-by-label":
        table: dict = {}
        monkeypatch.setattr(sums, "_atom_symbol", lambda key: table.setdefault(key.label(), sp.Symbol(key.label())))
    elif bug == "index-always-in-range":
        monkeypatch.setattr(sums, "in_range", lambda *args: True)


@pytest.mark.parametrize(
    ("bug", "perturbation", "start"),
    [
        ("twin-always-positive", "complex-exp", Sum(x[i], (i, 1, m))),
        ("atoms-keyed-by-label", "look-alike", Sum(x[i], (i, 1, m))),
        ("index-always-in-range", "shift", Derivative(Sum(x[i] ** 2, (i, 1, m)), x[k])),
    ],
)
def test_fuzzer_catches_planted_kernel_bugs(monkeypatch, monkeypatch_simplify, bug, perturbation, start):
    """The fuzzer's check can fail: with a known bug planted, one perturbation of its class is caught."""
    rng = random.Random(0)
    b = PERTURBATIONS[perturbation](start, rng)
    _check_pair(start, b, [perturbation])  # the real kernel: no complaint
    _plant(monkeypatch, bug)
    with pytest.raises(AssertionError, match="proved but the sides differ"):
        _check_pair(start, b, [perturbation])
