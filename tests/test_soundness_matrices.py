"""Adversarial soundness suite for the matrix tier (issue 9, root cause 8).

Three walls, each a list of one-line cases run through the public ``check_link``:
- FALSE: statements that are false (or undefined for some sizes/entries) — never proved, and
  refuted wherever a concrete point shows it;
- TRUE: true but tricky identities — never refuted, and proved, with the size cross-check
  (independent recomputation from explicit entries) agreeing;
- MALFORMED: ill-sized or unsupported inputs — a clear DlproofsError or an undecided link whose
  detail says why, never a traceback.
"""

from __future__ import annotations

import pytest
import sympy as sp
from sympy import (
    Determinant,
    HadamardProduct,
    Identity,
    Inverse,
    KroneckerProduct,
    MatAdd,
    MatMul,
    MatPow,
    MatrixSymbol,
    OneMatrix,
    Trace,
    Transpose,
    ZeroMatrix,
    symbols,
)

from dlproofs.errors import DlproofsError, NotNormalizableError
from dlproofs.matrices import (
    Apply,
    ApplyPrime,
    Diag,
    Differential,
    Invertible,
    Jacobian,
    Map,
    MapJacobian,
    MatrixShapeError,
    Norm,
    OpNorm,
    audit,
    check_sizes,
    find_counterexample,
    invertible,
    prove_link,
)
from dlproofs.perm import Perm
from dlproofs.stepcheck import Status, check_link

n, m, N = symbols("n m N", integer=True, positive=True)
k = symbols("k", integer=True)
c = symbols("c", real=True)
A, B = MatrixSymbol("A", n, n), MatrixSymbol("B", n, n)
C = MatrixSymbol("C", n, m)
u, w, E = MatrixSymbol("u", n, 1), MatrixSymbol("w", n, 1), MatrixSymbol("E", n, 1)
D = MatrixSymbol("D", n, n)  # a direction for a square matrix variable
K, L = Invertible("K", n), Invertible("L", n)
R = MatrixSymbol("R", N, 2 * N)
G = R.T * R  # 2N×2N of rank ≤ N: never invertible
P = Perm("P", n, n)
I_n = Identity(n)
F = Map("F", u)
SIZES = {n: (1, 2, 3), m: (2, 1, 3), N: (1, 2)}


def _link(a, b, relation="="):
    return check_link(a, b, relation=relation, sizes=SIZES)


# ── false (or not everywhere defined): never proved ─────────────────────────────────────────────
FALSE = {
    "(RᵀR)⁻¹·RᵀR = I_2N, R of shape N×2N (never invertible)": (Inverse(G) * G, Identity(2 * N)),
    "RᵀR·(RᵀR)⁻¹ = I_2N (never invertible)": (G * Inverse(G), Identity(2 * N)),
    "(RᵀR)⁻¹ written as a power -1": (MatPow(G, -1) * G, Identity(2 * N)),
    "A⁻¹A = I for A not known invertible": (Inverse(A) * A, I_n),
    "(CCᵀ)⁻¹·CCᵀ = I_n (singular when m < n)": (Inverse(C * C.T) * C * C.T, I_n),
    "AᵏA⁻ᵏ = I for A not known invertible": (A**k * A ** (-k), I_n),
    "(A⁻¹)⁻¹ = A for A not known invertible (SymPy folds A.I.I to A)": (A.I.I, A),
    "(A⁻¹)⁻¹ = A written as a power": ((A**-1) ** -1, A),
    "(KL)⁻¹ = K⁻¹L⁻¹ (wrong order)": (Inverse(K * L), Inverse(K) * Inverse(L)),
    "(2K)⁻¹ = 2K⁻¹": (Inverse(2 * K), 2 * Inverse(K)),
    "K(KL)⁻¹ = L⁻¹": (K * Inverse(K * L), Inverse(L)),
    "(K⁻¹)ᵀ = K⁻¹ (needs K symmetric)": (Transpose(Inverse(K)), Inverse(K)),
    "(AB)ᵀ = AᵀBᵀ": (Transpose(A * B), A.T * B.T),
    "(A + B)² = A² + 2AB + B²": ((A + B) ** 2, A**2 + 2 * A * B + B**2),
    "AB = BA": (A * B, B * A),
    "A + Aᵀ = 2A": (A + A.T, 2 * A),
    "I_n = I_m": (Identity(n), Identity(m)),
    "0_{n×m} = 0_{m×n}": (ZeroMatrix(n, m), ZeroMatrix(m, n)),
    "1_{n×n}·1_{n×n} = 1_{n×n}": (OneMatrix(n, n) * OneMatrix(n, n), OneMatrix(n, n)),
    "AᵏA = Aᵏ": (A**k * A, A**k),
    "diag(u)A = A diag(u)": (Diag(u) * A, A * Diag(u)),
    "tr(AB) = tr A · tr B": (Trace(A * B), Trace(A) * Trace(B)),
    "tr(AᵀA) = (tr A)²": (Trace(A.T * A), Trace(A) ** 2),
    "det(A + B) = det A + det B": (Determinant(A + B), Determinant(A) + Determinant(B)),
    "det(2A) = 2 det A": (Determinant(2 * A), 2 * Determinant(A)),
    "d(u₀A) = u₀·dA (coefficient depends on u)": (Differential(u[0, 0] * A * w, u, E), u[0, 0] * A * ZeroMatrix(n, 1)),
    "d(u₀u) = u₀E (drops dc·u)": (Differential(u[0, 0] * u, u, E), u[0, 0] * E),
    "∂(Au)/∂u = Aᵀ (denominator layout)": (Jacobian(A * u, u), A.T),
    "∂(uᵀAu)/∂u = uᵀA (drops the transpose term)": (Jacobian(u.T * A * u, u), u.T * A),
    "∂(uᵀAu)/∂u = 2uᵀA (needs A symmetric)": (Jacobian(u.T * A * u, u), 2 * u.T * A),
    "∂(uᵀu)/∂u = uᵀ": (Jacobian(u.T * u, u), u.T),
    "∂(2u)/∂u = I": (Jacobian(2 * u, u), I_n),
    "∂(u + F(u))/∂u = J_F": (Jacobian(u + F, u), MapJacobian(F)),
    "∂φ(Au)/∂u = A diag(φ'(Au)) (wrong order)": (Jacobian(Apply("phi", A * u), u), A * Diag(ApplyPrime("phi", A * u))),
    "∂(diag(u)w)/∂u = diag(u)": (Jacobian(Diag(u) * w, u), Diag(u)),
    "d(uᵀ) along E = E (should be Eᵀ)": (Differential(u.T, u, E), E),
    "d(K⁻¹) = −K⁻²D (order)": (Differential(Inverse(K), K, D), -Inverse(K) * Inverse(K) * D),
    "d(K²) = 2KD": (Differential(K * K, K, D), 2 * K * D),
    "d(Aᵀu) along D = Du": (Differential(A.T * u, A, D), D * u),
    "‖Au‖ = ‖A‖₂‖u‖": (Norm(A * u), OpNorm(A) * Norm(u)),
    "‖u + w‖ = ‖u‖ + ‖w‖": (Norm(u + w), Norm(u) + Norm(w)),
    "‖−u‖ = −‖u‖": (Norm(-u), -Norm(u)),
    "‖cI‖₂ = c for real c": (OpNorm(c * I_n), c),
    "(1 + 1e-20)·A = A with a float (1.0 at 15 digits)": ((1 + sp.Float(1e-20)) * A, A),
    "‖i·u‖ = ‖u‖ (the imaginary unit; ‖·‖ is Σ e² over real entries)": (Norm(sp.I * u), Norm(u)),
    "‖z·u‖ = z‖u‖ for z not known real": (Norm(symbols("z") * u), symbols("z") * Norm(u)),
    "det 1_{n×n} = 1 (only at n = 1)": (Determinant(OneMatrix(n, n)), 1),
    "tr I_n = tr I_m": (Trace(Identity(n)), Trace(Identity(m))),
}


@pytest.mark.parametrize("case", FALSE, ids=list(FALSE))
def test_false_is_never_proved(case):
    a, b = FALSE[case]
    link = _link(a, b)
    assert link.status is not Status.PROVED, link
    assert link.status in (Status.REFUTED, Status.UNDECIDED)


def test_enough_false_cases():
    assert len(FALSE) >= 30


@pytest.mark.parametrize(
    "case",
    [
        "(AB)ᵀ = AᵀBᵀ",
        "AB = BA",
        "d(u₀A) = u₀·dA (coefficient depends on u)",
        "∂(uᵀAu)/∂u = uᵀA (drops the transpose term)",
        "∂(uᵀu)/∂u = uᵀ",
        "(KL)⁻¹ = K⁻¹L⁻¹ (wrong order)",
        "d(K⁻¹) = −K⁻²D (order)",
        "I_n = I_m",
    ],
)
def test_false_with_a_concrete_witness_is_refuted(case):
    a, b = FALSE[case]
    assert _link(a, b).status is Status.REFUTED


@pytest.mark.parametrize(
    "case",
    [
        "(RᵀR)⁻¹·RᵀR = I_2N, R of shape N×2N (never invertible)",
        "d(u₀A) = u₀·dA (coefficient depends on u)",
        "∂(uᵀAu)/∂u = uᵀA (drops the transpose term)",
        "∂(diag(u)w)/∂u = diag(u)",
    ],
)
def test_size_cross_check_catches_them_independently(case):
    """check_sizes recomputes inverses and derivatives from explicit entries, not by the rules."""
    a, b = FALSE[case]
    assert check_sizes(a, b, SIZES)[1] is not None


def test_singular_inverse_is_explained():
    link = _link(Inverse(G) * G, Identity(2 * N))
    assert link.status is Status.UNDECIDED
    assert "never invertible" in link.detail and "rank ≤ N" in link.detail


def test_sympy_no_longer_cancels_an_unproved_inverse_on_construction():
    assert Inverse(A) * A != I_n and Inverse(G) * G != Identity(2 * N)
    assert Inverse(K) * K == I_n and P.T * P == I_n  # proved invertible: cancelled as before


def test_sympy_no_longer_folds_ill_sized_products_on_construction():
    assert ZeroMatrix(n, m) * A != ZeroMatrix(n, n) and Identity(n) + ZeroMatrix(m, m) != Identity(n)
    assert ZeroMatrix(m, n) * A == ZeroMatrix(m, n) and Identity(n) * A == A  # well-sized: as before


def test_refutation_skips_singular_points_without_crashing():
    assert find_counterexample(Inverse(G) * G, Identity(2 * N), "=", SIZES) is None  # singular everywhere
    assert find_counterexample(Inverse(K) * K, I_n, "=", {n: (1, 2)}) is None  # K[0,0] = 0 drawn: skipped


# ── true but tricky: never refuted, proved, and confirmed at concrete sizes ─────────────────────
TRUE = {
    "(AB)ᵀ = BᵀAᵀ": (Transpose(A * B), B.T * A.T),
    "(I + A)ᵀ = I + Aᵀ": (Transpose(I_n + A), I_n + A.T),
    "d(c·Au) = c·A·E, c constant": (Differential(c * A * u, u, E), c * A * E),
    "d(u₀u) = E₀u + u₀E": (Differential(u[0, 0] * u, u, E), E[0, 0] * u + u[0, 0] * E),
    "∂(uᵀAu)/∂u = uᵀ(A + Aᵀ)": (Jacobian(u.T * A * u, u), u.T * (A + A.T)),
    "∂(uᵀu)/∂u = 2uᵀ": (Jacobian(u.T * u, u), 2 * u.T),
    "∂(wᵀu)/∂u = wᵀ": (Jacobian(w.T * u, u), w.T),
    "∂φ(Au)/∂u = diag(φ'(Au))A": (Jacobian(Apply("phi", A * u), u), Diag(ApplyPrime("phi", A * u)) * A),
    "∂(u + F(u))/∂u = I + J_F": (Jacobian(u + F, u), I_n + MapJacobian(F)),
    "K⁻¹K = I, K invertible (hypothesis)": (MatMul(Inverse(K), K, evaluate=False), I_n),
    "(KL)⁻¹ = L⁻¹K⁻¹": (Inverse(K * L), Inverse(L) * Inverse(K)),
    "(K⁻¹)⁻¹ = K": (Inverse(Inverse(K)), K),
    "PᵀP = I for a permutation": (MatMul(P.T, P, evaluate=False), I_n),
    "d(K⁻¹) = −K⁻¹DK⁻¹": (Differential(Inverse(K), K, D), -Inverse(K) * D * Inverse(K)),
    "d(A²) = DA + AD": (Differential(A * A, A, D), D * A + A * D),
    "d(Aᵀu) along D = Dᵀu": (Differential(A.T * u, A, D), D.T * u),
    "(A + B)² = A² + AB + BA + B²": ((A + B) ** 2, A**2 + A * B + B * A + B**2),
    "tr(A + 2Aᵀ) = 3 tr A": (Trace(A + 2 * A.T), 3 * Trace(A)),
    "det(2A) = 2ⁿ det A": (Determinant(2 * A), 2**n * Determinant(A)),
    "1·1 = n·1": (OneMatrix(n, n) * OneMatrix(n, n), n * OneMatrix(n, n)),
    "‖−3u‖ = 3‖u‖": (Norm(-3 * u), 3 * Norm(u)),
    "∂(φ∘uᵀ)ᵀ/∂u = diag(φ'(u)) (entrywise maps commute with ᵀ)": (
        Jacobian(Apply("phi", u.T).T, u),
        Diag(ApplyPrime("phi", u)),
    ),
    "d(uwᵀ) = Ewᵀ (a matrix-valued y along one direction)": (Differential(u * w.T, u, E), E * w.T),
}


@pytest.mark.parametrize("case", TRUE, ids=list(TRUE))
def test_true_is_proved_and_confirmed(case):
    a, b = TRUE[case]
    link = _link(a, b)
    assert link.status is Status.PROVED, link
    assert link.rests_on and link.rests_on[0].startswith("matrix:")
    assert check_sizes(a, b, {n: (1, 2)})[1] is None  # 3×3 symbolic inverses cost ~40 s


def test_enough_true_cases():
    assert len(TRUE) >= 10


def test_trust_base_names_the_rules_and_hypotheses():
    quad = _link(*TRUE["∂(uᵀAu)/∂u = uᵀ(A + Aᵀ)"])
    rules = " ".join(quad.rests_on)
    assert "forward-mode differential rules" in rules and "1×1 product equals its transpose" in rules
    inv = _link(*TRUE["(KL)⁻¹ = L⁻¹K⁻¹"])
    assert "K invertible (hypothesis)" in inv.assumptions and "L invertible (hypothesis)" in inv.assumptions
    assert any("proved invertible" in r for r in inv.rests_on)
    plain = _link(*TRUE["(AB)ᵀ = BᵀAᵀ"])
    assert plain.assumptions == () and not any("differential" in r for r in plain.rests_on)


def test_invertibility_is_proved_or_not():
    assert invertible(K * L)[0] and invertible(P.T)[0] and invertible(2 * K)[0]
    assert not invertible(c * K)[0]  # c may be 0
    assert not invertible(A)[0] and not invertible(G)[0]
    assert "rank ≤ N" in invertible(G)[2]


# ── malformed: a clear DlproofsError or an undecided link, never a traceback ──────────────────
MALFORMED = {
    "product with inner sizes n and m": (MatMul(A, C.T), A, "inner sizes"),
    "sum of I_n and I_m": (MatAdd(Identity(n), Identity(m)), Identity(n), "equal shapes"),
    "inverse of a non-square": (Inverse(C), C.T, "square"),
    "determinant of a non-square": (Determinant(C), 0, "square"),
    "trace of a non-square": (Trace(C), 0, "square"),
    "power of a non-square": (MatPow(C, 2), C, "square"),
    "non-integer power": (MatPow(A, sp.Rational(1, 2)), A, "integer"),
    "second derivative φ''": (Jacobian(ApplyPrime("phi", u), u), I_n, "second"),
    "Hadamard product (no rule)": (Jacobian(HadamardProduct(u, u), u), 2 * Diag(u), "not an expression class"),
    "Kronecker product (no rule)": (KroneckerProduct(A, B), KroneckerProduct(B, A), "not an expression class"),
    "Jacobian of a row": (Jacobian(u.T, u), I_n, "column"),
    "direction of the wrong size": (Differential(A * u, u, MatrixSymbol("E_m", m, 1)), A * u, "rows"),
    "derivative w.r.t. an expression": (Differential(A * u, 2 * u, E), A * E, "not a MatrixSymbol"),
    "matrix factor in the middle of a Jacobian": (Jacobian(A * u * (w.T * u), u), A, "Kronecker"),
    "non-square permutation": (Perm("Q", n, m) * C.T, C.T, "square"),
    "entry A[0, 1] undefined at n = 1": (A[0, 1], A[1, 0], "not inside"),
    "float in a matrix step": (sp.Float("0.5") * A, A / 2, "Rational"),
    "0_{n×m}·A, A n×n (SymPy folds it to 0)": (ZeroMatrix(n, m) * A, ZeroMatrix(n, n), "inner sizes"),
    "I_n·Cᵀ, Cᵀ m×n (SymPy folds it to Cᵀ)": (Identity(n) * C.T, C.T, "inner sizes"),
    "I_n + 0_{m×m} (SymPy folds it to I_n)": (Identity(n) + ZeroMatrix(m, m), Identity(n), "equal shapes"),
    "1_{n×m}·1_{n×m} (SymPy folds it to m·1)": (OneMatrix(n, m) * OneMatrix(n, m), m * OneMatrix(n, m), "inner sizes"),
    "C⁰ for a non-square C (SymPy folds it to I)": (C**0, I_n, "square"),
    "Jacobian of a scalar ‖u‖": (Jacobian(Norm(u), u), u.T, "scalar"),
    "inverse of 1_{n×n} (singular for n ≥ 2)": (Inverse(OneMatrix(n, n)) * u, u, "not known to be invertible"),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_is_undecided_with_a_reason(case):
    a, b, why = MALFORMED[case]
    link = _link(a, b)
    assert link.status is Status.UNDECIDED, link
    assert why in link.detail, link.detail
    with pytest.raises(DlproofsError):
        prove_link(a, b)


def test_malformed_inequality_is_audited_too():
    link = check_link(Norm(Inverse(G) * G * R.T), Norm(R.T), relation="<=", lemma="anything", sizes=SIZES)
    assert link.status is Status.UNDECIDED and "not proved invertible" in link.detail


def test_errors_are_of_the_family_and_say_how_to_fix():
    with pytest.raises(MatrixShapeError, match="square"):
        Invertible("Q", n, m)
    with pytest.raises(NotNormalizableError, match="Invertible"):
        audit(Inverse(A))
    with pytest.raises(MatrixShapeError, match="missing transpose"):
        audit(MatMul(A, C.T))


def test_matrix_against_scalar_is_not_proved_and_does_not_crash():
    link = _link(Norm(u), u)
    assert link.status is not Status.PROVED
    assert _link(Trace(Identity(n)), n).status is Status.PROVED  # a matrix inside a scalar: this tier
    assert _link(Determinant(OneMatrix(n, n)), 1).status is Status.REFUTED  # plain int side: no crash


def test_enough_malformed_cases():
    assert len(MALFORMED) >= 8


def test_size_cross_check_reports_malformed_sizes_as_a_failure():
    assert check_sizes(MatMul(A, C.T), A, SIZES)[1] is not None
    assert check_sizes(Inverse(G) * G, Identity(2 * N), {N: (1, 2)}) == ((), 1)
