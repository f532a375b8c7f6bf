"""The indexed-sum normalizer on its own: golden rewrites, refusals, and the atom partials."""

from __future__ import annotations

import pytest
import sympy as sp

from dlproofs.errors import NotNormalizableError
from dlproofs.sums import Index, atom_partial, atoms_of, normalize

x, g = sp.IndexedBase("x", real=True), sp.IndexedBase("g", real=True)
i, j = sp.symbols("i j", integer=True, positive=True)
m, n = sp.symbols("m n", integer=True, positive=True)
k = Index("k", 1, m)  # the derivative index, declared in range (a premise the proof lists)
c = sp.Symbol("c", real=True)


def zero(expr):
    return sp.cancel(sp.together(normalize(expr))) == 0


def test_count():
    assert normalize(sp.Sum(1, (i, 1, m))) == m


def test_index_name_does_not_matter():
    assert zero(sp.Sum(x[i], (i, 1, m)) - sp.Sum(x[j], (j, 1, m)))


def test_linearity_and_constants():
    assert zero(sp.Sum(c * x[i] + 3, (i, 1, m)) - c * sp.Sum(x[i], (i, 1, m)) - 3 * m)


def test_expansion_of_a_square():
    lhs = sp.Sum((x[i] - c) ** 2, (i, 1, m))
    rhs = sp.Sum(x[i] ** 2, (i, 1, m)) - 2 * c * sp.Sum(x[i], (i, 1, m)) + m * c**2
    assert zero(lhs - rhs)


def test_nested_sums_innermost_out():
    nested = sp.Sum(sp.Sum(x[i] * g[j], (j, 1, n)), (i, 1, m))
    assert zero(nested - sp.Sum(x[i], (i, 1, m)) * sp.Sum(g[j], (j, 1, n)))


def test_mixed_monomial_is_one_atom():
    e = normalize(sp.Sum(g[i] * x[i], (i, 1, m)) + sp.Sum(x[j] * g[j], (j, 1, m)))
    (atom,) = atoms_of(e)
    assert e == 2 * atom


def test_different_ranges_are_different_atoms():
    assert not zero(sp.Sum(x[i], (i, 1, m)) - sp.Sum(x[i], (i, 1, n)))


def test_a_wrong_identity_is_not_zero():
    assert not zero(sp.Sum(x[i] ** 2, (i, 1, m)) - sp.Sum(x[i], (i, 1, m)) ** 2)


@pytest.mark.parametrize(
    "body",
    [sp.exp(x[i] ** 2), 1 / x[i], sp.sqrt(x[i]), x[i] * x[i + 1], x[2 * i]],
    ids=["exp-of-square", "reciprocal", "sqrt", "shifted", "scaled-index"],
)
def test_refuses_what_it_does_not_know(body):
    with pytest.raises(NotNormalizableError):
        normalize(sp.Sum(body, (i, 1, m)))


def test_refuses_limits_that_mention_the_index():
    with pytest.raises(NotNormalizableError):
        normalize(sp.Sum(x[i], (i, 1, i + m)))


@pytest.mark.parametrize(
    ("monomial", "expected"),
    [(x[i], 1), (x[i] ** 2, 2 * x[k]), (g[i] * x[i], g[k]), (g[i] * x[i] ** 3, 3 * g[k] * x[k] ** 2), (g[i], 0)],
)
def test_atom_partials(monomial, expected):
    (key,) = atoms_of(normalize(sp.Sum(monomial, (i, 1, m)))).values()
    assert sp.expand(atom_partial(key, x[k]) - expected) == 0


def test_atom_partial_refuses_an_index_not_proved_in_range():
    """∂/∂x[k] Σ_{i≤m} x[i] is 1 only for 1 ≤ k ≤ m: an integer k with no declared range is refused."""
    (key,) = atoms_of(normalize(sp.Sum(x[i], (i, 1, m)))).values()
    free_k = sp.Symbol("k", integer=True, positive=True)
    with pytest.raises(NotNormalizableError, match="cannot prove that k lies in 1..m"):
        atom_partial(key, x[free_k])
    with pytest.raises(NotNormalizableError, match="cannot prove"):
        atom_partial(key, x[Index("k", 1, m + 1)])  # declared range wider than the sum's


@pytest.mark.parametrize("size", [1, 2, 3, 4])
def test_derivative_through_atoms_matches_concrete_differentiation(size):
    """The chain rule through atoms, against SymPy's own diff at concrete m (k = 1)."""
    mean = sp.Sum(x[i], (i, 1, m)) / m
    f = sp.Sum(g[j] * (x[j] - mean) ** 2, (j, 1, m))
    symbolic = normalize(sp.Derivative(f, x[k]))
    concrete = sp.diff(f.subs(m, size).doit(), x[1])
    # evaluate the atom form at the same concrete batch: atoms become the concrete sums
    back = symbolic
    for sym, key in atoms_of(symbolic).items():
        mono = sp.Mul(*[b[i] ** e for b, e in key.factors])
        back = back.subs(sym, sp.Sum(mono, (i, 1, size)).doit())
    assert sp.expand(back.subs({m: size, k: 1}) - concrete) == 0
