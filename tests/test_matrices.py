"""The matrix tier (dlproofs/matrices.py): golden one-line facts, refusals, and that it can fail."""

from __future__ import annotations

import pytest
import sympy as sp
from sympy import Identity, ImmutableMatrix, MatrixSymbol, ZeroMatrix, symbols

from dlproofs.errors import NotNormalizableError
from dlproofs.lemmas import LemmaUse
from dlproofs.matrices import (
    Apply,
    ApplyPrime,
    Diag,
    Differential,
    Invertible,
    Jacobian,
    Map,
    MapJacobian,
    Norm,
    OpNorm,
    check_sizes,
    find_counterexample,
    has_matrices,
    normal_form,
    one_like,
    prove_equal,
    prove_link,
)
from dlproofs.stepcheck import Status, check_link

n, h = symbols("n h", integer=True, positive=True)
x, g, J = MatrixSymbol("x", n, 1), MatrixSymbol("g", 1, n), MatrixSymbol("J", n, n)
W1, b1, W2 = MatrixSymbol("W1", h, n), MatrixSymbol("b1", h, 1), MatrixSymbol("W2", n, h)
SIZES = {n: (1, 2, 3, 4)}


def test_scalar_tier_alone_does_not_decide_matrix_identities():
    assert sp.cancel(sp.together(g * (Identity(n) + J) - g - g * J)) != 0


def test_distributivity_is_proved_for_symbolic_n():
    assert prove_equal(g * (Identity(n) + J), g + g * J)


def test_non_commutativity_is_respected():
    assert not prove_equal(g * J * J.T, g * J.T * J)
    assert find_counterexample(J * J.T, J.T * J, "=", SIZES) is not None


def test_zero_factor():
    assert prove_equal(g * (Identity(n) + ZeroMatrix(n, h) * W1), g)


def test_jacobian_of_identity_and_of_a_map():
    F = Map("F", x)
    assert prove_equal(Jacobian(x, x), Identity(n))
    assert prove_equal(Jacobian(x + F, x), Identity(n) + MapJacobian(F))


def test_jacobian_of_mlp_is_numerator_layout():
    y = W2 * Apply("phi", W1 * x + b1)
    good = W2 * Diag(ApplyPrime("phi", W1 * x + b1)) * W1
    assert prove_equal(Jacobian(y, x), good)
    assert check_sizes(Jacobian(y, x), good, SIZES)[1] is None  # recomputed entrywise
    link = check_link(Jacobian(y, x), W1.T * Diag(ApplyPrime("phi", W1 * x + b1)) * W2.T, sizes={n: (2, 3), h: (2, 3)})
    assert link.status is Status.REFUTED  # denominator layout (SymPy's own diff) is caught


def test_norm_normal_form_pulls_scalars():
    eps = sp.Symbol("epsilon", positive=True)
    assert normal_form(Norm(3 * g)) == 3 * Norm(g)
    assert normal_form(OpNorm(-eps * Identity(n))) == eps
    assert normal_form(Norm(g - eps * g)) == sp.Abs(1 - eps) * Norm(g)


def test_norm_values_are_exact():
    m = ImmutableMatrix([[3, 0], [0, -4]])
    assert abs(sp.N(Norm(ImmutableMatrix([[3, 4]])), 30) - 5) < 1e-25
    assert abs(sp.N(OpNorm(m), 30) - 4) < 1e-25
    assert abs(sp.N(OpNorm(ImmutableMatrix([[1, 1], [0, 1]])), 30) - (1 + sp.sqrt(5)) / 2) < 1e-25


def test_inequalities_are_proved_by_lemma_instances_or_refuted():
    use = LemmaUse("norm-reverse-triangle", A=g, B=g * J)
    rev = check_link(Norm(g + g * J), Norm(g) - Norm(g * J), relation=">=", lemma=use, sizes=SIZES)
    assert (rev.status, rev.method) == (Status.PROVED, "lemma")
    named = check_link(Norm(g + g * J), Norm(g) - Norm(g * J), relation=">=", lemma="reverse triangle", sizes=SIZES)
    assert named.status is Status.UNDECIDED
    wrong = check_link(Norm(g + g * J), Norm(g) + Norm(g * J), relation=">=", lemma=use, sizes=SIZES)
    assert wrong.status is Status.REFUTED
    sub = check_link(Norm(g * J), Norm(g) * OpNorm(J) / 2, relation="<=", lemma="half", sizes=SIZES)
    assert sub.status is Status.REFUTED


def test_undecided_without_lemma():
    link = check_link(Norm(g + g * J), Norm(g) - Norm(g * J), relation=">=", sizes=SIZES)
    assert link.status is Status.UNDECIDED


def test_helpers():
    assert has_matrices(g * J) and has_matrices(Norm(g) + 1) and not has_matrices(sp.Symbol("a") + 1)
    assert one_like(g) == sp.OneMatrix(1, n) and one_like(sp.Symbol("a")) == 1
    assert check_sizes(g * J, g, SIZES)[1] is not None


u, E = MatrixSymbol("u", n, 1), MatrixSymbol("E", n, 1)


def test_differential_rules_golden():
    assert prove_equal(Jacobian(u.T * J * u, u), u.T * J.T + u.T * J)  # 1×1 product = its transpose
    assert prove_equal(Differential(u[0, 0] * u, u, E), E[0, 0] * u + u[0, 0] * E)  # d(cM) = dc·M + c·dM
    assert prove_equal(Differential(J.T * x, J, J), J.T * x)  # d(Jᵀ) = (dJ)ᵀ, along dJ = J
    assert prove_equal(Differential(J**3, J, J), 3 * J**3)  # d(J³) along J: product rule


def test_differential_refuses_what_it_has_no_rule_for():
    with pytest.raises(NotNormalizableError, match="Kronecker"):
        Jacobian(Diag(u) * x, u).doit()  # diag(u)·x with u varying: a matrix factor in columns mode
    with pytest.raises(NotNormalizableError, match="second derivative"):
        Jacobian(ApplyPrime("phi", u), u).doit()
    with pytest.raises(NotNormalizableError, match="norm, trace or determinant"):
        Differential(Norm(u) * u, u, E).doit()


def test_inverse_needs_proved_invertibility():
    K = Invertible("K", n)
    assert sp.Inverse(K) * K == Identity(n) and sp.Inverse(J) * J != Identity(n)
    with pytest.raises(NotNormalizableError, match="J is not known to be invertible"):
        prove_link(sp.Inverse(K * J.T * J) * K, sp.Inverse(J.T * J))  # (KJᵀJ)⁻¹ needs J invertible
    with pytest.raises(NotNormalizableError, match="not proved invertible"):
        prove_link(sp.MatMul(sp.Inverse(J), J), Identity(n))


def test_prove_link_states_its_trust_base():
    K = Invertible("K", n)
    proof = prove_link(sp.Inverse(K * K.T), sp.Inverse(K.T) * sp.Inverse(K))
    assert proof.proved and proof.assumptions == ("K invertible (hypothesis)",)
    assert any("proved invertible" in r for r in proof.rests_on)
    assert prove_link(g * (Identity(n) + J), g + g * J).rests_on[0].startswith("matrix: MatAdd/MatMul normal form")


def test_prove_link_shows_the_sign_assumptions_it_needs():
    s, r = sp.Symbol("s", positive=True), sp.Symbol("r", real=True)
    assert prove_link(Norm(s * g), s * Norm(g)).assumptions == ("s > 0",)
    assert not prove_link(Norm(r * g), r * Norm(g)).proved  # |r| ≠ r without the sign
    assert prove_link(Norm(s * g) * s, s * s * Norm(g)).assumptions == ("s > 0",)
    assert prove_link(s * g + g, (1 + s) * g).assumptions == ()  # algebra alone: no sign needed
