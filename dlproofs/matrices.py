"""Matrix tier of the step checker: identities and bounds over MatrixSymbols of symbolic size n.

The scalar tiers (``cancel(together(...))``, the sum normalizer) do not see through matrix
expressions: ``cancel(together(G(I + J) - G - GJ))`` returns it unchanged. This module decides
steps written with SymPy ``MatrixSymbol``s of symbolic shape (any width n), three-valued as in
:mod:`dlproofs.stepcheck`. Matrix entries are real.

- **audit** (before anything else, :func:`audit`): every product has equal inner sizes, every sum
  equal shapes, every ``Trace``/``Determinant``/``Inverse``/``MatPow`` a square argument (sizes
  compared as polynomials in the size symbols: ``n`` and ``m`` are *different* sizes), only the
  expression classes listed below occur, and every inverse — ``Inverse(X)``, ``X**k`` with k not
  known to be ≥ 0 — is of an X *proved invertible*: ``Identity``, a :class:`~dlproofs.perm.Perm`,
  an :class:`Invertible` symbol (a stated hypothesis, reported with the proof), and transposes,
  inverses, integer powers and products (nonzero scalar, square factors) of those. SymPy itself
  cancels ``Inverse(X)·X`` for any square X, so without this audit ``(RᵀR)⁻¹RᵀR = I`` would be
  "proved" for R of shape N×2N (rank ≤ N < 2N: never invertible). A malformed input raises
  :class:`MatrixShapeError`; an unsupported one :class:`~dlproofs.errors.NotNormalizableError`.
  The scalars are real where a norm is taken, and floats and ``I`` (the imaginary unit) are refused.
- **construction guards**: SymPy simplifies on construction (``A * B`` and ``A + B`` call
  ``doit``), so ``Inverse(X)*X`` *is* ``I`` and ``0_{n×m}·A`` *is* ``0`` before any checker sees
  them. Importing this module guards those rules process-wide (:func:`_install_guards`):
  ``X⁻¹X = I``, ``(X⁻¹)⁻¹ = X`` only for X proved invertible, no rule at all on an ill-sized
  product, sum or power; everything else is canonicalised by SymPy as before.
- **proof** (symbolic n): both sides are brought to a normal form — ``Jacobian``/``Differential``
  evaluated by the forward-mode rules below, then ``expand`` + ``doit`` of the non-commutative
  ``MatAdd``/``MatMul`` algebra (distributivity, ``I·A = A``, ``0·A = 0``, ``(AB)ᵀ = BᵀAᵀ``,
  ``X⁻¹X = I`` for the audited X); inside a scalar, every ``Norm(M)``/``OpNorm(M)`` has its
  argument put in that normal form and a scalar factor pulled out (``‖cM‖ = |c|·‖M‖``); then
  ``cancel(together(a - b)) == 0``. Nothing else is proved. :func:`prove_link` also returns the
  rules and hypotheses the proof used.
- **size cross-check**: at concrete sizes (n = 1..4) both sides are made explicit with symbolic
  entries; a ``Jacobian``/``Differential`` is recomputed *independently* by ``Matrix.jacobian``
  / ``Matrix.diff`` of the scalar entries (not by the rules), an inverse by ``Matrix.inv`` (an
  inverse that does not exist at a size is a failure there), then compared entry by entry.
- **refutation**: at concrete sizes, matrices get random rational entries at several scales,
  undefined functions (φ, F) become random polynomials, norms are evaluated exactly (the spectral
  norm as the square root of the largest real root of the characteristic polynomial of MᵀM, a
  ``CRootOf`` evaluated to certified digits). A point where the relation fails refutes the step;
  a point where a side is undefined (a singular matrix inverted) or an :class:`Invertible`
  hypothesis fails is skipped.

Forward-mode rules. ``Differential(y, v, E)`` is dy along dv = E, in one of two modes:
*direction* (E has v's shape, or v and E are columns: dy has y's shape) and *columns* (v a column
n×1, E n×k, y a column p×1: dy = J_y·E, p×k; ``Jacobian(y, x)`` is the numerator-layout ∂y/∂x =
Differential(y, x, I))::

    d v = E,  d(const) = 0,  d(A + B) = dA + dB,  d(AB) = dA·B + A·dB,  d(Xᵀ) = (dX)ᵀ,
    d(c·M) = dc·M + c·dM  (c a scalar; dc through the entries v[i, j], direction mode only),
    d(X⁻¹) = −X⁻¹·dX·X⁻¹  (direction mode),  d Xᵏ = the product rule on X·…·X  (k a literal ≥ 1),
    d φ∘u = diag(φ'∘u)·du  (u a column),  d F(x) = J_F(x)·dx  (F an arbitrary differentiable map),
    d diag(w) = diag(dw)  (direction mode),
    columns mode, y = L·r·w with r a row (1×b) that depends on v and w constant: r·w is 1×1,
    so it equals its transpose wᵀ·rᵀ and d(L·r·w) = L·wᵀ·d(rᵀ)   (e.g. ∂(uᵀAu)/∂u = uᵀAᵀ + uᵀA).

Anything else — a matrix factor that depends on v in the middle of a product in columns mode
(that needs a Kronecker product), a second derivative (φ'', ∂J_F), a scalar coefficient that
depends on v through a norm, trace or determinant — raises ``NotNormalizableError`` naming it:
the step is undecided, never differentiated by a guess.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement, MatrixExpr

from .errors import DlproofsError, NotNormalizableError
from .perm import Perm, RowSoftmax

__all__ = [
    "MatrixShapeError",
    "Invertible",
    "Audit",
    "MatrixProof",
    "audit",
    "invertible",
    "prove_link",
    "Norm",
    "OpNorm",
    "Apply",
    "ApplyPrime",
    "Diag",
    "Map",
    "MapJacobian",
    "Differential",
    "Jacobian",
    "differential",
    "has_matrices",
    "normal_form",
    "prove_equal",
    "explicit",
    "find_counterexample",
    "check_sizes",
    "same_values",
    "one_like",
]

DIGITS = 30
SCALES = (sp.Rational(1, 100), sp.Rational(1, 10), sp.Integer(1), sp.Integer(10))
POINTS_PER_SIZE = 24


# ── scalar functions of matrices ─────────────────────────────────────────────────────────────
class Norm(sp.Function):
    """Euclidean norm of a vector (Frobenius norm of a matrix): ‖M‖."""

    nargs = 1
    is_real = True
    is_nonnegative = True
    _spectral = False
    _subscript = ""

    def _latex(self, printer, exp=None):
        tex = rf"\lVert {printer._print(self.args[0])} \rVert{self._subscript}"
        return f"{tex}^{{{exp}}}" if exp else tex

    def _eval_evalf(self, prec):
        value = _norm_value(self.args[0].doit(), spectral=self._spectral)
        return None if value is None else value._eval_evalf(prec)


class OpNorm(Norm):
    """Spectral (operator 2-) norm ‖M‖₂ = largest singular value."""

    _spectral = True
    _subscript = "_2"


def _norm_value(m: sp.Basic, *, spectral: bool) -> sp.Expr | None:
    """Exact value of a norm of an explicit matrix (None if the argument is not explicit)."""
    if isinstance(m, MatrixExpr) and not m.is_Matrix:
        try:
            m = m.as_explicit()
        except Exception:
            return None
    if not getattr(m, "is_Matrix", False):
        return None
    m = sp.Matrix(m).applyfunc(sp.expand)
    if not spectral or 1 in m.shape:
        return sp.sqrt(sum(e**2 for e in m))
    if m.is_square and m == m[0, 0] * sp.eye(m.rows):  # ‖cI‖₂ = |c|, symbolic c included
        return sp.Abs(m[0, 0])
    if m.free_symbols:
        return None  # the spectral norm of a symbolic matrix stays unevaluated
    gram = m.T * m
    roots = sp.real_roots(gram.charpoly())  # exact CRootOf: certified digits on evaluation
    return sp.sqrt(max(roots, key=lambda r: r.evalf(DIGITS))) if roots else sp.Integer(0)


def _norm_or_self(f: sp.Function) -> sp.Expr:
    value = _norm_value(f.args[0], spectral=isinstance(f, OpNorm))
    return f if value is None else value


# ── matrix expressions with their own rules ──────────────────────────────────────────────────
class Apply(MatrixExpr):
    """φ∘u: an undefined scalar function φ applied entrywise to a column vector u."""

    def __new__(cls, f, u):
        return super().__new__(cls, sp.Symbol(str(f)), u)

    @property
    def f(self):
        return sp.Function(str(self.args[0]))

    @property
    def shape(self):
        return self.args[1].shape

    def scalar(self, v: sp.Expr) -> sp.Expr:
        return self.f(v)

    def _entry(self, i, j, **kw):
        return self.scalar(self.args[1]._entry(i, j, **kw))

    def _latex(self, printer):
        return rf"{printer._print(self.args[0])}\left({printer._print(self.args[1])}\right)"


class ApplyPrime(Apply):
    """φ'∘u: the derivative of φ applied entrywise."""

    def scalar(self, v: sp.Expr) -> sp.Expr:
        if getattr(v, "_diff_wrt", False):  # an entry u[i, 0]: φ'(u_i) as Matrix.jacobian writes it
            return sp.Derivative(self.f(v), v)  # (SymPy's Subs.doit can return a cached entry of a
        s = sp.Dummy("s")  # same-named matrix of another size)
        return sp.Subs(sp.Derivative(self.f(s), s), s, v)

    def _latex(self, printer):
        return rf"{printer._print(self.args[0])}'\left({printer._print(self.args[1])}\right)"


class Diag(MatrixExpr):
    """diag(v): the square matrix with the column vector v on its diagonal."""

    def __new__(cls, v):
        return super().__new__(cls, v)

    @property
    def shape(self):
        return (self.args[0].shape[0], self.args[0].shape[0])

    def _entry(self, i, j, **kw):
        return sp.KroneckerDelta(i, j) * self.args[0]._entry(i, 0, **kw)

    def _latex(self, printer):
        return rf"\operatorname{{diag}}\left({printer._print(self.args[0])}\right)"


class Map(MatrixExpr):
    """F(x): an arbitrary differentiable map of a column vector x to m outputs."""

    def __new__(cls, name, x, m=None):
        return super().__new__(cls, sp.Symbol(str(name)), x, sp.sympify(x.shape[0] if m is None else m))

    @property
    def shape(self):
        return (self.args[2], 1)

    def funcs(self):
        return [sp.Function(f"{self.args[0]}_{i}") for i in range(int(self.args[2]))]

    def explicit_map(self) -> sp.Matrix:
        xs = list(explicit(self.args[1]))
        return sp.Matrix([f(*xs) for f in self.funcs()])

    def _latex(self, printer):
        return rf"{printer._print(self.args[0])}\left({printer._print(self.args[1])}\right)"


class MapJacobian(MatrixExpr):
    """J_F(x): the Jacobian of a Map at x (an arbitrary m×n matrix as far as algebra goes)."""

    def __new__(cls, fmap):
        return super().__new__(cls, fmap)

    @property
    def shape(self):
        return (self.args[0].shape[0], self.args[0].args[1].shape[0])

    def _latex(self, printer):
        return rf"J_{{{printer._print(self.args[0].args[0])}}}"


class Invertible(sp.MatrixSymbol):
    """A square matrix symbol *with the hypothesis that it is invertible*.

    The matrix tier cancels ``A⁻¹A`` only for matrices proved invertible; this symbol is how a
    step states that hypothesis. A proof that uses it lists "A invertible (hypothesis)" among
    its assumptions, and the refutation search skips points where A is singular.
    """

    def __new__(cls, name, n, m=None):
        m = n if m is None else m
        if not _same(n, m):
            raise MatrixShapeError(
                f"Invertible({name!r}) has shape ({n}, {m}): only a square matrix can be invertible; "
                "give it one size, Invertible(name, n)"
            )
        return super().__new__(cls, name, n, n)


class MatrixShapeError(DlproofsError, ValueError):
    """A matrix expression whose sizes do not fit (a product, sum, power or inverse)."""


class Differential(MatrixExpr):
    """dy along dv = E (unevaluated); ``doit`` applies the forward-mode rules."""

    def __new__(cls, y, v, e):
        return super().__new__(cls, y, v, e)

    @property
    def shape(self):
        y, v, e = self.args
        if _mode(y, v, e) == "columns":
            return (y.shape[0], e.shape[1])
        return y.shape

    def doit(self, **hints):
        y, v, e = self.args
        return differential(y.doit(**hints) if hints.get("deep", True) else y, v, e)

    def _latex(self, printer):
        y, v, e = (printer._print(a) for a in self.args)
        return rf"\mathrm{{d}}_{{{v}}}\left[{y}\right]\left({e}\right)"

    def _sympystr(self, printer):  # SymPy's str printer has a _print_Differential for diffgeom's class
        return f"{type(self).__name__}({', '.join(printer._print(a) for a in self.args)})"


class Jacobian(Differential):
    """∂y/∂x in numerator layout (rows: outputs, columns: inputs); x and y column vectors."""

    @property
    def shape(self):
        y, x = self.args[0], self.args[1]
        if not isinstance(y, MatrixExpr):
            _mode(y, x, self.args[2])  # raises the MatrixShapeError that says why
        return (y.shape[0], x.shape[0])

    def _sympystr(self, printer):
        return f"Jacobian({printer._print(self.args[0])}, {printer._print(self.args[1])})"

    def __new__(cls, y, x, _e=None):  # _e: rebuilt from args by subs/xreplace; always I
        return MatrixExpr.__new__(cls, y, x, sp.Identity(x.shape[0]))

    def _latex(self, printer):
        return (
            rf"\frac{{\partial \left({printer._print(self.args[0])}\right)}}{{\partial {printer._print(self.args[1])}}}"
        )


# ── sizes, audit, invertibility ───────────────────────────────────────────────────────────────
def _same(p, q) -> bool:
    """Two sizes equal as polynomials in the size symbols (``n`` and ``m`` are different sizes)."""
    return sp.expand(sp.sympify(p) - sp.sympify(q)) == 0


def _shape(m) -> str:
    return f"{m.shape[0]}×{m.shape[1]}"


def _is_column(m) -> bool:
    return _same(m.shape[1], 1)


def _mode(y, v, e) -> str:
    """'direction' (dy has y's shape) or 'columns' (dy = J_y·E); raises on sizes that do not fit."""
    if not isinstance(y, MatrixExpr):
        raise MatrixShapeError(
            f"a Differential/Jacobian of {y}, a scalar: the matrix tier differentiates matrix expressions; "
            "write a scalar as a 1×1 matrix (e.g. uᵀu, not ‖u‖²) or use the scalar tiers"
        )
    if not isinstance(v, sp.MatrixSymbol):
        raise MatrixShapeError(
            f"a Differential/Jacobian is taken with respect to {v} ({type(v).__name__}), not a MatrixSymbol: "
            "the variable must be a symbol (was it replaced by a `where` substitution? substitute after "
            "differentiating, or name another variable)"
        )
    if not _same(e.shape[0], v.shape[0]):
        raise MatrixShapeError(
            f"the direction {e} is {_shape(e)} but the variable {v} is {_shape(v)}: a direction needs as many rows"
        )
    if _is_column(v) and not _is_column(e):
        if not _is_column(y):
            raise MatrixShapeError(
                f"∂y/∂{v} for y = {y} ({_shape(y)}, not a column) is a 3-tensor, not a matrix: "
                "take it along one direction (a column E) or differentiate a column vector"
            )
        return "columns"
    if not _same(e.shape[1], v.shape[1]):
        raise MatrixShapeError(
            f"the direction {e} is {_shape(e)} but the variable {v} is {_shape(v)}: "
            "a direction of a matrix variable has the variable's shape"
        )
    return "direction"


RULE_NORMAL = (
    "matrix: MatAdd/MatMul normal form (SymPy expand + doit: distributivity, associativity, "
    "I·A = A, 0·A = 0, (AB)ᵀ = BᵀAᵀ, scalars commute), sizes audited"
)
RULE_INVERSE = "matrix: X⁻¹X = XX⁻¹ = I and (AB)⁻¹ = B⁻¹A⁻¹ for X, A, B proved invertible"
RULE_NORM = "matrix: ‖cM‖ = |c|·‖M‖, ‖cI‖₂ = |c|"
RULE_TRACE = (
    "matrix: SymPy Trace/Determinant rules (linearity of tr, tr I_n = n, det(AB) = det A·det B, det(cA) = cⁿ det A)"
)
RULE_PERM = "matrix: a Perm is a permutation matrix: Pᵀ = P⁻¹, so PᵀP = PPᵀ = I (dlproofs/perm.py)"
RULE_SOFTMAX = "matrix: softmax_rows(c·P M P⁻¹) = P softmax_rows(c·M) P⁻¹ (dlproofs/perm.py)"

# the matrix-valued classes the tier has rules for; any other MatrixExpr is refused
_KNOWN = (
    sp.MatrixSymbol,
    sp.Identity,
    sp.ZeroMatrix,
    sp.OneMatrix,
    sp.MatAdd,
    sp.MatMul,
    sp.MatPow,
    sp.Transpose,
    sp.Inverse,
)


@dataclass
class Audit:
    """What an expression needs: the rules its normal form uses and the hypotheses it rests on."""

    rules: set[str] = field(default_factory=set)
    assumptions: set[str] = field(default_factory=set)


def invertible(x: sp.Basic) -> tuple[bool, tuple[str, ...], str]:
    """(proved invertible?, hypotheses used, why not). Sound, incomplete: False means *not proved*."""
    if isinstance(x, sp.Identity):
        return True, (), ""
    if isinstance(x, Perm) and _same(*x.shape):
        return True, (), ""
    if isinstance(x, Invertible):
        return True, (f"{x} invertible (hypothesis)",), ""
    if isinstance(x, (sp.Transpose, sp.Inverse)):
        return invertible(x.args[0])
    if isinstance(x, sp.MatPow) and x.args[1].is_integer:
        return invertible(x.args[0])
    if isinstance(x, sp.MatrixBase):
        ok = x.is_square and sp.Matrix(x).det().is_zero is False
        return ok, (), "" if ok else f"the explicit matrix {x} is singular"
    if isinstance(x, sp.MatMul):
        coeff, mats = x.as_coeff_matrices()
        hyps: list[str] = []
        if coeff.is_zero is not False:
            return False, (), f"the scalar factor {coeff} is not known to be nonzero"
        if coeff != 1:
            hyps += [f"{coeff} ≠ 0"] if coeff.free_symbols else []
        for m in mats:
            if not _same(m.shape[0], m.shape[1]):
                return False, (), _singular_reason(x) or f"the factor {m} is {_shape(m)}, not square"
            ok, h, why = invertible(m)
            if not ok:
                return False, (), _singular_reason(x) or why
            hyps += h
        return True, tuple(hyps), ""
    return (
        False,
        (),
        _singular_reason(x)
        or (
            f"{x} is not known to be invertible: declare it with Invertible(name, n) (a stated hypothesis), "
            "or write it as a product of invertible matrices"
        ),
    )


def _singular_reason(x: sp.Basic) -> str:
    """A proof that the square matrix x is *never* invertible (rank bound), or ''."""
    size = x.shape[0]
    if getattr(x, "is_ZeroMatrix", False):
        return f"{x} is the zero matrix: never invertible"
    if isinstance(x, sp.MatMul):
        for m in x.as_coeff_matrices()[1]:
            for dim in m.shape:
                if sp.sympify(size - dim).is_positive:
                    return f"{x} is never invertible: rank ≤ {dim} (a size of its factor {m}) < {size}"
    return ""


def audit(*exprs: sp.Basic) -> Audit:
    """Check sizes, classes and inverses of ``exprs`` (see the module docstring); the rules used."""
    out = Audit({RULE_NORMAL})
    for expr in map(sp.sympify, exprs):
        for node in sp.preorder_traversal(expr):
            _audit_node(node, out)
        if expr.has(Norm):  # ‖cM‖ = |c|·‖M‖ and the evaluation Σ e² hold for real c and real entries
            names = {f.args[0] for f in expr.atoms(Apply, Map)}
            loose = sorted(
                (s for s in expr.free_symbols - names if isinstance(s, sp.Symbol) and s.is_real is not True), key=str
            )
            if loose:
                raise NotNormalizableError(
                    f"the scalar symbol(s) {', '.join(map(str, loose))} in {expr} are not known to be real; "
                    "the matrix tier's norms are of real matrices (‖cM‖ = |c|·‖M‖ needs c real): "
                    "declare them real=True (or positive=True)"
                )
    return out


def _audit_node(node: sp.Basic, out: Audit) -> None:
    if isinstance(node, sp.Float):
        raise NotNormalizableError(
            f"the float {node} occurs in a matrix expression: the matrix tier is exact and a float compares at "
            "its binary precision (1 + 1e-20 is 1.0); write it as a Rational (sp.Rational('1e-20'))"
        )
    if node is sp.I:
        raise NotNormalizableError(
            "the imaginary unit I occurs in a matrix expression: the matrix tier is for real matrices and scalars"
        )
    if isinstance(node, (Norm, OpNorm)):
        out.rules.add(RULE_NORM)
    if isinstance(node, (sp.Trace, sp.Determinant)):
        _need_square(node, node.args[0], "a trace or determinant")
        out.rules.add(RULE_TRACE)
    if isinstance(node, MatrixElement):
        i, j = node.args[1:]
        rows, cols = node.args[0].shape
        for idx, size, what in ((i, rows, "row"), (j, cols, "column")):
            idx = sp.sympify(idx)
            inside = idx.is_nonnegative and sp.sympify(size - 1 - idx).is_nonnegative
            if idx.is_negative or sp.sympify(size - 1 - idx).is_negative or (idx.is_Integer and not inside):
                raise MatrixShapeError(
                    f"the entry {node}: {what} index {idx} is not inside 0..{size - 1} for every size "
                    f"(e.g. {size} = 1); the statement is undefined there"
                )
    if not isinstance(node, MatrixExpr):
        return
    if isinstance(node, Perm):
        _need_square(node, node, "a permutation matrix")
        out.rules.add(RULE_PERM)
    elif isinstance(node, RowSoftmax):
        out.rules.add(RULE_SOFTMAX)
    elif isinstance(node, sp.MatMul):
        mats = node.as_coeff_matrices()[1]
        for a, b in zip(mats, mats[1:]):
            if not _same(a.shape[1], b.shape[0]):
                raise MatrixShapeError(
                    f"in the product {node}, {a} is {_shape(a)} and {b} is {_shape(b)}: the inner sizes "
                    f"{a.shape[1]} and {b.shape[0]} differ (for some sizes the product is undefined); "
                    "check the factor order or a missing transpose"
                )
    elif isinstance(node, sp.MatAdd):
        first = node.args[0]
        for t in node.args[1:]:
            if not (_same(t.shape[0], first.shape[0]) and _same(t.shape[1], first.shape[1])):
                raise MatrixShapeError(
                    f"in the sum {node}, {first} is {_shape(first)} and {t} is {_shape(t)}: "
                    "a sum needs equal shapes for every size"
                )
    elif isinstance(node, sp.MatPow):
        base, k = node.args
        _need_square(node, base, "a matrix power")
        if not k.is_integer:
            raise NotNormalizableError(
                f"{node}: the exponent {k} is not known to be an integer; the matrix tier has rules for "
                "integer powers only (declare the symbol integer=True)"
            )
        if not k.is_nonnegative:
            _need_invertible(node, base, out)
    elif isinstance(node, sp.Inverse):
        _need_square(node, node.args[0], "an inverse")
        _need_invertible(node, node.args[0], out)
    elif isinstance(node, Differential):
        _mode(*node.args)
        if isinstance(node, Jacobian) and not (_is_column(node.args[0]) and _is_column(node.args[1])):
            raise MatrixShapeError(
                f"Jacobian({node.args[0]}, {node.args[1]}): both must be column vectors "
                f"(here {_shape(node.args[0])} and {_shape(node.args[1])}); a row y is written as yᵀ"
            )
    elif isinstance(node, Diag):
        if not _is_column(node.args[0]):
            raise MatrixShapeError(f"diag({node.args[0]}): the argument is {_shape(node.args[0])}, not a column")
    elif isinstance(node, Map):
        if not _is_column(node.args[1]):
            raise MatrixShapeError(f"{node}: a map's argument must be a column, here {_shape(node.args[1])}")
    elif isinstance(node, (Apply, MapJacobian)):
        pass
    elif isinstance(node, (sp.MatrixBase, *_KNOWN)):  # an explicit matrix, or a class with rules
        pass
    else:
        raise NotNormalizableError(
            f"{type(node).__name__} ({node}) is not an expression class of the matrix tier (it has rules for "
            "MatrixSymbol, Identity, ZeroMatrix, OneMatrix, MatAdd, MatMul, MatPow, Transpose, Inverse, Trace, "
            "Determinant, Norm, Apply, Diag, Map, Differential, Jacobian, Perm, RowSoftmax); write the step "
            "with those or leave it undecided"
        )


def _need_square(node, m, what: str) -> None:
    if not _same(m.shape[0], m.shape[1]):
        raise MatrixShapeError(f"{node}: {what} needs a square matrix, but {m} is {_shape(m)}")


def _need_invertible(node, m, out: Audit) -> None:
    ok, hyps, why = invertible(m)
    if not ok:
        raise NotNormalizableError(
            f"{node} inverts {m}, which is not proved invertible: {why}. SymPy would cancel ({m})⁻¹·({m}) = I "
            "anyway; the matrix tier does so only for matrices proved invertible"
        )
    out.rules.add(RULE_INVERSE)
    out.assumptions.update(hyps)


# ── SymPy's own X⁻¹X = I, guarded ─────────────────────────────────────────────────────────────
def _unproved_inverse(m: sp.Basic) -> bool:
    """An inverse or a power not known to be ≥ 0 of a matrix not proved invertible."""
    if isinstance(m, sp.MatPow) and not (m.args[1].is_nonnegative and m.args[1].is_integer):
        return not invertible(m.args[0])[0]
    return False


def _fits(expr: sp.Basic) -> bool:
    """A product's inner sizes, a sum's shapes agree for every size (``_same``)."""
    if isinstance(expr, sp.MatMul):
        mats = expr.as_coeff_matrices()[1]
        return all(_same(a.shape[1], b.shape[0]) for a, b in zip(mats, mats[1:]))
    if isinstance(expr, sp.MatAdd):
        return all(
            _same(t.shape[0], expr.args[0].shape[0]) and _same(t.shape[1], expr.args[0].shape[1]) for t in expr.args
        )
    return True


def _install_guards() -> None:
    """Guard two of SymPy's MatMul/MatAdd canonicalisations, which it applies on construction
    (``A * B`` and ``A + B`` call ``doit``):

    - ``X⁻¹X = I`` (``combine_powers``) for any square X: now only for X proved invertible, so
      ``Inverse(X)*X`` stays a product that :func:`audit` refuses instead of *being* ``I``;
    - every rule on a product or sum whose sizes do not fit (SymPy does not check them): now the
      expression is left as written, so ``0_{n×m}·A`` (A n×n) or ``I_n + 0_{m×m}`` is refused by
      :func:`audit` instead of becoming ``0`` or ``I_n``.

    Process-wide and idempotent; well-sized products without an unproved inverse are
    canonicalised exactly as before."""
    from sympy.matrices.expressions import matadd as ma
    from sympy.matrices.expressions import matmul as mm
    from sympy.strategies import do_one, exhaust, typed

    if getattr(mm.canonicalize, "_dlproofs_guard", False):
        return
    original = mm.combine_powers

    def combine_powers(mul):
        if any(_unproved_inverse(a) for a in mul.args):
            return mul
        return original(mul)

    mm.combine_powers = combine_powers
    mm.rules = tuple(combine_powers if r is original else r for r in mm.rules)
    mul_rules = exhaust(typed({sp.MatMul: do_one(*mm.rules)}))
    add_rules = ma.canonicalize

    def canonicalize_mul(expr):
        return expr if not _fits(expr) else mul_rules(expr)

    def canonicalize_add(expr):
        return expr if not _fits(expr) else add_rules(expr)

    canonicalize_mul._dlproofs_guard = True  # type: ignore[attr-defined]
    mm.canonicalize, ma.canonicalize = canonicalize_mul, canonicalize_add
    pow_doit = sp.MatPow.doit

    def doit(self, **hints):  # C**0 -> I for a non-square C, (A⁻¹)⁻¹ -> A for a singular A: keep them
        base = self.args[0]
        if not _same(*base.shape) or (isinstance(base, sp.MatPow) and _unproved_inverse(base)):
            return self
        return pow_doit(self, **hints)

    sp.MatPow.doit = doit
    inverse_of_inverse = sp.Inverse._eval_inverse

    def _eval_inverse(self):  # A.I.I -> A only for A proved invertible
        return inverse_of_inverse(self) if invertible(self.args[0])[0] else sp.Inverse(self)

    sp.Inverse._eval_inverse = _eval_inverse


_install_guards()


# ── forward-mode differentiation ──────────────────────────────────────────────────────────────
_USED: ContextVar[set[str] | None] = ContextVar("matrix_rules_used", default=None)


@contextmanager
def _recording() -> Iterator[set[str]]:
    used: set[str] = set()
    token = _USED.set(used)
    try:
        yield used
    finally:
        _USED.reset(token)


def _use(rule: str) -> None:
    used = _USED.get()
    if used is not None:
        used.add(rule)


def _refuse(y, v, why: str):
    raise NotNormalizableError(
        f"no differentiation rule for {type(y).__name__} {y} with respect to {v}: {why}. "
        "The step is undecided; write it with the rules of dlproofs/matrices.py (or a Map and its MapJacobian)"
    )


def differential(y: sp.Basic, v: sp.Basic, e: sp.Basic) -> sp.Basic:
    """The forward-mode rules of the module docstring (refuses what it does not know)."""
    return _d(y, v, e, _mode(y, v, e))


def _zero(y, e, mode: str) -> sp.ZeroMatrix:
    return sp.ZeroMatrix(*y.shape) if mode == "direction" else sp.ZeroMatrix(y.shape[0], e.shape[1])


def _d(y, v, e, mode: str):
    if y == v:
        _use("dv = E")
        return e
    if not y.has(v):
        return _zero(y, e, mode)
    if isinstance(y, Differential):
        return _d(y.doit(), v, e, mode)
    if isinstance(y, sp.MatAdd):
        _use("d(A + B) = dA + dB")
        return sp.MatAdd(*(_d(a, v, e, mode) for a in y.args))
    if isinstance(y, sp.Inverse) or (isinstance(y, sp.MatPow) and y.args[1] == -1):
        if mode != "direction":
            _refuse(y, v, "an inverse is differentiated along one direction only (a column or matrix E)")
        _use("d(X⁻¹) = −X⁻¹·dX·X⁻¹")
        return sp.MatMul(-1, y, _d(y.args[0], v, e, mode), y)
    if isinstance(y, sp.MatPow):
        base, k = y.args
        if not (k.is_Integer and k != 0):
            _refuse(y, v, f"the exponent {k} is not a literal nonzero integer")
        factor = base if k > 0 else sp.Inverse(base)
        return _d(sp.MatMul(*([factor] * abs(int(k)))), v, e, mode)
    if isinstance(y, sp.MatMul):
        return _d_product(y, v, e, mode)
    if isinstance(y, sp.Transpose):
        return _d_transpose(y, v, e, mode)
    if isinstance(y, ApplyPrime):
        _refuse(y, v, "a second derivative (φ'') is not a rule of this module")
    if isinstance(y, Apply):
        if not _is_column(y.args[1]):
            _refuse(y, v, f"φ is applied to {y.args[1]} ({_shape(y.args[1])}); the rule diag(φ'∘u)·du needs a column u")
        _use("d φ∘u = diag(φ'∘u)·du")
        return sp.MatMul(Diag(ApplyPrime(*y.args)), _d(y.args[1], v, e, mode))
    if isinstance(y, Map):
        _use("d F(x) = J_F(x)·dx")
        return sp.MatMul(MapJacobian(y), _d(y.args[1], v, e, mode))
    if isinstance(y, Diag) and mode == "direction":
        _use("d diag(w) = diag(dw)")
        return Diag(_d(y.args[0], v, e, mode))
    if isinstance(y, MapJacobian):
        _refuse(y, v, "a second derivative (∂J_F) is not a rule of this module")
    return _refuse(y, v, "no rule for this expression class in this mode")


def _d_product(y, v, e, mode: str):
    coeff, mats = y.as_coeff_matrices()
    terms = []
    if coeff.has(v):
        if mode != "direction":
            _refuse(
                y,
                v,
                f"the scalar coefficient {coeff} depends on {v}; in columns mode (a Jacobian) its gradient "
                "is a row and d(c·M) = M·∇c needs M a column: take the differential along one direction instead",
            )
        _use("d(c·M) = dc·M + c·dM")
        terms.append(sp.MatMul(_d_scalar(coeff, v, e, y), *mats))
    for k, m in enumerate(mats):
        if not m.has(v):
            continue
        left, right = mats[:k], mats[k + 1 :]
        if mode == "direction" or not right:
            _use("d(AB) = dA·B + A·dB")
            terms.append(sp.MatMul(coeff, *left, _d(m, v, e, mode), *right))
        elif _same(m.shape[0], 1):  # r·w is 1×1: r·w = wᵀ·rᵀ, and rᵀ is a column
            _use("d(AB) = dA·B + A·dB")
            _use("a 1×1 product equals its transpose (r·w = wᵀ·rᵀ)")
            w_t = sp.Transpose(sp.MatMul(*right)).doit()
            terms.append(sp.MatMul(coeff, *left, w_t, _d(sp.Transpose(m).doit(), v, e, mode)))
        else:
            _refuse(
                y,
                v,
                f"the factor {m} ({_shape(m)}) depends on {v} and is followed by {sp.MatMul(*right)}: its Jacobian "
                "times a vector needs a Kronecker-product rule, which this tier does not have",
            )
    if not terms:
        return _zero(y, e, mode)
    return sp.MatAdd(*terms) if len(terms) > 1 else terms[0]


def _d_transpose(y, v, e, mode: str):
    inner = y.args[0]
    if mode == "direction":
        _use("d(Xᵀ) = (dX)ᵀ")
        return sp.Transpose(_d(inner, v, e, mode))
    if _same(inner.shape[0], 1) and _same(inner.shape[1], 1):  # a 1×1 matrix is its own transpose
        _use("a 1×1 product equals its transpose (r·w = wᵀ·rᵀ)")
        return _d(inner, v, e, mode)
    pushed = y.doit()
    if pushed != y:
        return _d(pushed, v, e, mode)
    if isinstance(inner, Apply) and not isinstance(inner, ApplyPrime):  # (φ∘r)ᵀ = φ∘(rᵀ)
        _use("d(Xᵀ) = (dX)ᵀ")
        return _d(Apply(inner.args[0], sp.Transpose(inner.args[1]).doit()), v, e, mode)
    return _refuse(y, v, "the Jacobian of a transposed row needs the row's own rule")


def _d_scalar(c: sp.Expr, v, e, where) -> sp.Expr:
    """dc along E for a scalar c that depends on v only through its entries v[i, j]."""
    entries = sorted((a for a in c.atoms(MatrixElement) if a.args[0] == v), key=str)
    loose = [a for a in entries if not (a.args[1].is_Integer and a.args[2].is_Integer)]
    if loose:  # v[i, 0] under a Sum over i: the index is bound, a dummy would capture it
        _refuse(
            where,
            v,
            f"the scalar coefficient {c} depends on {v} through entries with symbolic indices "
            f"({loose[0]}, e.g. a sum over them): no rule for its differential",
        )
    dummies = [sp.Dummy(f"v{k}") for k in range(len(entries))]
    plain = c.xreplace(dict(zip(entries, dummies)))
    if plain.has(v):
        _refuse(
            where,
            v,
            f"the scalar coefficient {c} depends on {v} other than through its entries v[i, j] "
            "(a norm, trace or determinant of it): no rule for its differential",
        )
    _use("chain rule for a scalar through the entries v[i, j]")
    back = dict(zip(dummies, entries))
    return sp.Add(*(sp.diff(plain, s).xreplace(back) * e[a.args[1], a.args[2]] for s, a in zip(dummies, entries)))


# ── normal form and proof ─────────────────────────────────────────────────────────────────────
def has_matrices(expr: sp.Basic) -> bool:
    """True when ``expr`` is or contains a matrix expression (the scalar tiers do not apply)."""
    expr = sp.sympify(expr)
    if isinstance(expr, MatrixExpr):
        return True
    return bool(expr.atoms(MatrixExpr, Norm, OpNorm))


def _expand_powers(m: sp.Basic) -> sp.Basic:
    """(T₁ + … + T_r)ᵏ with k a literal ≥ 2 -> the sum of the rᵏ products T_{i₁}⋯T_{i_k} (SymPy's
    ``expand`` does not distribute it: building X·X folds it back into X²)."""
    return m.replace(
        lambda p: (
            isinstance(p, sp.MatPow) and p.args[1].is_Integer and p.args[1] >= 2 and isinstance(p.args[0], sp.MatAdd)
        ),
        lambda p: sp.MatAdd(*(sp.MatMul(*f) for f in itertools.product(p.args[0].args, repeat=int(p.args[1])))),
    )


def _matrix_normal(m: sp.Basic) -> sp.Basic:
    out = m
    for _ in range(4):  # doit (rules), expand, doit (0·A, I·A): to a fixed point
        new = sp.expand(_expand_powers(out.doit())).doit()
        if new == out:
            break
        out = new
    return out


def _norm_normal(f: sp.Function) -> sp.Expr:
    arg = _matrix_normal(f.args[0])
    if getattr(arg, "is_ZeroMatrix", False):
        return sp.Integer(0)
    coeff, rest = _split_coeff(arg) if isinstance(arg, MatrixExpr) else (sp.Integer(1), arg)
    if isinstance(arg, sp.MatAdd):  # c1·M + c2·M + ... -> (c1 + c2 + ...)·M
        parts = [_split_coeff(t) for t in arg.args]
        if len({m for _, m in parts}) == 1:
            coeff, rest = sp.factor(sum(c for c, _ in parts)), parts[0][1]
    if isinstance(arg, sp.MatrixExpr) and isinstance(rest, sp.Identity) and isinstance(f, OpNorm):
        return sp.Abs(coeff)
    return sp.Abs(coeff) * type(f)(rest)


def _split_coeff(m: sp.Basic) -> tuple[sp.Expr, sp.Basic]:
    """c·M -> (c, M) for a MatMul with a scalar coefficient; (1, m) otherwise."""
    if isinstance(m, sp.MatMul):
        coeff, mats = m.as_coeff_matrices()
        return coeff, (sp.MatMul(*mats) if len(mats) > 1 else mats[0])
    return sp.Integer(1), m


def normal_form(expr: sp.Basic) -> sp.Basic:
    """The normal form described in the module docstring (matrix or scalar expression)."""
    if isinstance(expr, MatrixExpr):
        return _matrix_normal(expr)
    expr = expr.replace(lambda e: isinstance(e, (sp.Trace, sp.Determinant)), lambda e: e.doit())
    return expr.replace(lambda e: isinstance(e, (Norm, OpNorm)), _norm_normal)


@dataclass(frozen=True)
class MatrixProof:
    """The matrix tier's answer on ``a = b``: proved or not, why, and what the proof rests on."""

    proved: bool
    detail: str
    rests_on: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()


def prove_link(a: sp.Basic, b: sp.Basic) -> MatrixProof:
    """Audit both sides, then compare normal forms (a proof for every size, with its trust base).

    Raises :class:`MatrixShapeError` or :class:`~dlproofs.errors.NotNormalizableError` (both
    ``DlproofsError``) on malformed or unsupported input.
    """
    a, b = sp.sympify(a), sp.sympify(b)
    checked = audit(a, b)
    if isinstance(a, MatrixExpr) != isinstance(b, MatrixExpr):
        return MatrixProof(False, f"one side is a matrix, the other a scalar: {a} vs {b}")
    if isinstance(a, MatrixExpr) and not (_same(a.shape[0], b.shape[0]) and _same(a.shape[1], b.shape[1])):
        return MatrixProof(False, f"the sides have different shapes: {_shape(a)} and {_shape(b)}")
    with _recording() as used:
        ok = _normal_forms_agree(a, b)
    if not ok:
        return MatrixProof(False, "the matrix normal forms differ")
    rules = sorted(checked.rules)
    if used:
        rules.append(f"matrix: forward-mode differential rules ({'; '.join(sorted(used))})")
    detail = "matrix normal form (expand + doit), then cancel(together(...)) == 0"
    assumptions = sorted(checked.assumptions) + _sign_assumptions_needed(a, b)
    return MatrixProof(True, detail, tuple(rules), tuple(assumptions))


def _normal_forms_agree(a: sp.Basic, b: sp.Basic) -> bool:
    if isinstance(a, MatrixExpr):
        diff = _matrix_normal(a - b)
        return bool(getattr(diff, "is_ZeroMatrix", False) or diff == 0)
    return sp.cancel(sp.together(normal_form(a) - normal_form(b))) == 0


_SIGNS = (("positive", "> 0"), ("negative", "< 0"), ("nonnegative", ">= 0"), ("nonpositive", "<= 0"))


def _sign_assumptions_needed(a: sp.Basic, b: sp.Basic) -> list[str]:
    """The sign assumptions of scalar symbols (not sizes) without which the proof fails: each
    symbol in turn is replaced by a twin that is only real, and the normal forms compared again
    (e.g. ‖(1 − ε)g‖ = (1 − ε)‖g‖ needs ε's sign; the proof page must show it)."""
    sizes = set(_size_symbols(a, b))
    names = {f.args[0] for e in (a, b) for f in e.atoms(Apply, Map)}  # φ, F: function names
    needed = []
    for sym in sorted((a.free_symbols | b.free_symbols) - sizes - names, key=str):
        if not isinstance(sym, sp.Symbol) or isinstance(sym, sp.MatrixSymbol):
            continue
        signs = [text for key, text in _SIGNS if sym.assumptions0.get(key)]
        if not signs:
            continue
        twin = sp.Symbol(sym.name, real=True)
        try:
            with _recording():
                agree = _normal_forms_agree(a.xreplace({sym: twin}), b.xreplace({sym: twin}))
        except DlproofsError:
            agree = False
        if not agree:
            needed.append(f"{sym} {signs[0]}")
    return needed


def prove_equal(a: sp.Basic, b: sp.Basic) -> bool:
    """True when the normal forms of ``a`` and ``b`` agree (a proof for every size)."""
    return prove_link(a, b).proved


# ── concrete sizes ────────────────────────────────────────────────────────────────────────────
def _size_symbols(*exprs: sp.Basic) -> list[sp.Symbol]:
    out: set[sp.Symbol] = set()
    for e in map(sp.sympify, exprs):
        for m in e.atoms(sp.MatrixSymbol, sp.Identity, sp.ZeroMatrix, sp.OneMatrix):
            for dim in m.shape:
                out |= {s for s in sp.sympify(dim).free_symbols if s.is_integer}
    return sorted(out, key=str)


def _size_assignments(exprs: Sequence[sp.Basic], sizes: Mapping[sp.Symbol, Sequence[int]], count: int | None = None):
    """Concrete sizes for every size symbol; the named ones from ``sizes``, the others 1..3."""
    syms = _size_symbols(*exprs)
    lists = {s: list(sizes.get(s, (2, 1, 3))) for s in syms}
    n = count or max((len(v) for v in lists.values()), default=1)
    return [{s: v[(k + j) % len(v)] for j, (s, v) in enumerate(lists.items())} for k in range(n)]


def _explicit_node(e: sp.Basic) -> sp.Basic:
    if isinstance(e, Differential):  # recomputed from the entries, independently of the rules
        y, v, d = (sp.Matrix(explicit(a)) for a in e.args)
        if v.cols == 1 and y.cols == 1:
            return y.jacobian(list(v)) * d  # (p×n)(n×k); a Jacobian has d = I
        if d.shape != v.shape:
            raise MatrixShapeError(f"the direction of {e} is {d.shape}, the variable {v.shape}")
        out = sp.zeros(*y.shape)
        for i in range(v.rows):
            for j in range(v.cols):
                out += y.diff(v[i, j]) * d[i, j]
        return out
    if isinstance(e, sp.Inverse):  # NonInvertibleMatrixError (a ValueError) where it does not exist
        return sp.Matrix(explicit(e.args[0])).inv(method="ADJ")
    if isinstance(e, sp.MatPow):
        base, k = e.args
        m = sp.Matrix(explicit(base))
        if not k.is_Integer:
            raise NotNormalizableError(f"{e}: the exponent {k} is not an integer at this size")
        return m.inv(method="ADJ") ** (-int(k)) if k < 0 else m ** int(k)
    if isinstance(e, Map):
        return e.explicit_map()
    if isinstance(e, MapJacobian):  # J_F at its argument u, which may be an expression (F(x + G(x)))
        fmap = e.args[0]
        u = list(explicit(fmap.args[1]))
        dummies = [sp.Dummy(f"u{i}") for i in range(len(u))]
        jac = sp.Matrix([f(*dummies) for f in fmap.funcs()]).jacobian(dummies)
        return jac.subs(dict(zip(dummies, u)))
    return None


def explicit(expr: sp.Basic) -> sp.Basic:
    """``expr`` with every matrix made explicit (its sizes must already be concrete)."""
    if isinstance(expr, MatrixExpr) or getattr(expr, "is_Matrix", False):
        special = _explicit_node(expr)
        if special is not None:
            return sp.ImmutableMatrix(special)
        if getattr(expr, "is_Matrix", False) and not isinstance(expr, MatrixExpr):
            return sp.ImmutableMatrix(expr)
        if isinstance(expr, (sp.MatrixSymbol, sp.Identity, sp.ZeroMatrix, sp.OneMatrix)):
            return sp.ImmutableMatrix(expr.as_explicit())
        if isinstance(expr, sp.MatAdd):
            return sp.ImmutableMatrix(
                sum((sp.Matrix(explicit(a)) for a in expr.args[1:]), sp.Matrix(explicit(expr.args[0])))
            )
        if isinstance(expr, sp.MatMul):
            coeff, mats = expr.as_coeff_matrices()
            out = sp.Matrix(explicit(mats[0]))
            for m in mats[1:]:
                out = out * sp.Matrix(explicit(m))
            return sp.ImmutableMatrix(coeff * out)
        if isinstance(expr, sp.Transpose):
            return sp.ImmutableMatrix(explicit(expr.args[0]).T)
        if isinstance(expr, Apply):
            return sp.ImmutableMatrix(sp.Matrix(explicit(expr.args[1])).applyfunc(expr.scalar))
        if isinstance(expr, Diag):
            return sp.ImmutableMatrix(sp.diag(*list(explicit(expr.args[0]))))
        return sp.ImmutableMatrix(expr.as_explicit())
    if isinstance(expr, (Norm, OpNorm)):
        return type(expr)(explicit(expr.args[0]))
    if not expr.args:
        return expr
    return expr.func(*(explicit(a) for a in expr.args))


def _concrete(expr: sp.Basic, size: Mapping[sp.Symbol, int]) -> sp.Basic:
    return explicit(sp.sympify(expr).subs(dict(size)))


def _entries_zero(diff: sp.Basic) -> bool:
    if getattr(diff, "is_Matrix", False):
        return all(_scalar_zero(e) for e in diff)
    return _scalar_zero(diff)


def _scalar_zero(e: sp.Expr) -> bool:
    e = e.doit().replace(lambda f: isinstance(f, (Norm, OpNorm)), _norm_or_self)
    e = sp.expand(e).replace(  # sqrt(a²X) -> a·sqrt(X) for a > 0, as stepcheck's exact tier does
        lambda p: p.is_Pow and p.exp.is_Rational and not p.exp.is_Integer and p.base.is_Add,
        lambda p: sp.Pow(sp.factor(p.base), p.exp),
    )
    return sp.cancel(sp.together(e)) == 0


def check_sizes(
    a: sp.Basic, b: sp.Basic, sizes: Mapping[sp.Symbol, Sequence[int]]
) -> tuple[tuple[int, ...], int | None]:
    """``a == b`` at each concrete size with symbolic entries (Jacobians recomputed entrywise).

    A size where a side does not exist (an inverse of a matrix singular for every entry, sizes
    that do not fit) or the sides differ is the failure returned.
    """
    done: list[int] = []
    first = next(iter(sizes), None)
    for size in _size_assignments([a, b], sizes):
        label = size.get(first, 0) if first is not None else 0
        try:
            ca, cb = _concrete(a, size), _concrete(b, size)
            if getattr(ca, "is_Matrix", False) != getattr(cb, "is_Matrix", False):
                return tuple(done), label
            same = _entries_zero(sp.Matrix(ca) - sp.Matrix(cb) if getattr(ca, "is_Matrix", False) else ca - cb)
        except (ValueError, TypeError, IndexError, DlproofsError):  # ShapeError, NonInvertibleMatrixError
            return tuple(done), label
        if not same:
            return tuple(done), label
        done.append(label)
    return tuple(done), None


# ── refutation ────────────────────────────────────────────────────────────────────────────────
def _draw_scalar(sym: sp.Symbol, rng: random.Random) -> sp.Expr | None:
    """A rational value at one of the SCALES that respects every assumption of ``sym`` (sign,
    integrality, parity, …; dlproofs.stepcheck.respects), or None when none was found."""
    from .stepcheck import respects

    for _ in range(64):
        if sym.is_integer:
            value = sp.Integer(rng.randint(-5, 5))
        else:
            value = sp.Rational(rng.randint(1, 24), rng.randint(1, 8)) * rng.choice(SCALES)
            value = value if rng.random() < 0.5 else -value
        if respects(sym, value):
            return value
    return None


def _numeric_point(ca: sp.Basic, cb: sp.Basic, rng: random.Random) -> dict:
    """Random rational entries (one scale per matrix), random polynomials for undefined functions."""
    point: dict = {}
    # sorted: a set's order follows string hashing, which changes per process (PYTHONHASHSEED), and
    # the draws must not depend on it (a refutation found in one process and missed in another)
    for e in (ca, cb):
        for el in sorted(e.atoms(MatrixElement), key=str):
            base = el.args[0]
            if base not in point:
                point[base] = rng.choice(SCALES)
    values: dict = {}
    for e in (ca, cb):
        for el in sorted(e.atoms(MatrixElement), key=str):
            values.setdefault(el, sp.Rational(rng.randint(-12, 12), rng.randint(1, 6)) * point[el.args[0]])
        for s in sorted(e.free_symbols, key=str):
            if isinstance(s, sp.Symbol) and s not in values:
                drawn = _draw_scalar(s, rng)
                if drawn is not None:  # else s stays free: that point gives no number, no evidence
                    values[s] = drawn
    return values


def _polys_for_functions(exprs: Sequence[sp.Basic], rng: random.Random) -> dict:
    funcs = {}
    for e in exprs:
        for f in sorted(e.atoms(sp.core.function.AppliedUndef), key=str):
            name = f.func
            if name in funcs:
                continue
            args = sp.symbols(f"t0:{len(f.args)}")
            body = sp.Rational(rng.randint(-6, 6), rng.randint(1, 4))
            for t in args:
                body += sp.Rational(rng.randint(-6, 6), rng.randint(1, 4)) * t
                body += sp.Rational(rng.randint(-3, 3), rng.randint(1, 4)) * t**2
            funcs[name] = sp.Lambda(args, body)
    return funcs


def _evaluate(e: sp.Basic, funcs: dict, values: dict) -> sp.Expr | None:
    try:
        out = e
        undef = sp.core.function.AppliedUndef

        def nested(name) -> bool:  # F in F(LN(x)): replace the outer function first, so no derivative
            return any(a.atoms(undef) for f in e.atoms(name) for a in f.args)  # is taken w.r.t. a polynomial

        for name, lam in sorted(funcs.items(), key=lambda kv: not nested(kv[0])):
            out = out.replace(name, lam).doit()
        out = out.doit().xreplace(values)
        if getattr(out, "is_Matrix", False):
            out = sp.Matrix(out).applyfunc(lambda v: sp.N(v, DIGITS, strict=True))
            return out if all(_defined(v) for v in out) else None
        out = out.replace(lambda f: isinstance(f, (Norm, OpNorm)), _norm_or_self)
        out = sp.N(out, DIGITS, strict=True)
        return out if _defined(out) else None
    except (sp.PrecisionExhausted, ZeroDivisionError, TypeError, ValueError):  # NonInvertibleMatrixError too
        return None


def _defined(v: sp.Expr) -> bool:
    """A finite number (an inverse of a singular matrix gives zoo/nan: undefined there, skipped)."""
    return bool(v.is_number) and not v.has(sp.zoo, sp.oo, -sp.oo, sp.nan)


def _hypotheses_hold(values: Mapping) -> bool:
    """Every Invertible symbol is nonsingular at the point (else the point is outside the statement)."""
    for base in {k.args[0] for k in values if isinstance(k, MatrixElement) and isinstance(k.args[0], Invertible)}:
        if sp.Matrix(base.as_explicit()).xreplace(dict(values)).det() == 0:
            return False
    return True


def _gap(va, vb, relation: str) -> bool:
    if getattr(va, "is_Matrix", False) != getattr(vb, "is_Matrix", False):
        return False  # a matrix against a scalar: not comparable (prove_link says so), not a refutation
    if getattr(va, "is_Matrix", False):
        if va.shape != vb.shape:
            return True
        return any(_gap(x, y, "=") for x, y in zip(va, vb))
    if not (va.is_real and vb.is_real):
        return False
    gap = va - vb
    tiny = 1e-20 * (1 + abs(va) + abs(vb))
    return {"=": abs(gap) > tiny, "<=": gap > tiny, ">=": gap < -tiny}[relation]


def find_counterexample(
    a: sp.Basic,
    b: sp.Basic,
    relation: str,
    sizes: Mapping[sp.Symbol, Sequence[int]],
    seed: int = 0,
) -> dict[str, str] | None:
    """A point (concrete sizes, rational entries, polynomial φ) where ``a relation b`` fails."""
    rng = random.Random(seed)
    for size in _size_assignments([a, b], sizes, count=3):
        try:
            ca, cb = _concrete(a, size), _concrete(b, size)
        except Exception:
            continue
        if getattr(ca, "is_Matrix", False) and getattr(cb, "is_Matrix", False) and ca.shape != cb.shape:
            return {**{str(k): str(v) for k, v in size.items()}, "lhs": f"shape {ca.shape}", "rhs": f"shape {cb.shape}"}
        for _ in range(POINTS_PER_SIZE):
            funcs = _polys_for_functions([ca, cb], rng)
            values = _numeric_point(ca, cb, rng)
            if not _hypotheses_hold(values):
                continue
            va, vb = _evaluate(ca, funcs, values), _evaluate(cb, funcs, values)
            if va is None or vb is None:
                continue
            if _gap(va, vb, relation):
                shown = {str(k): str(v) for k, v in size.items()}
                shown.update({str(k): str(v) for k, v in values.items() if not isinstance(k, MatrixElement)})
                mats: dict[str, list] = {}
                for k, v in values.items():
                    if isinstance(k, MatrixElement):
                        mats.setdefault(str(k.args[0]), []).append(f"[{k.args[1]},{k.args[2]}]={v}")
                shown.update({name: " ".join(sorted(es)) for name, es in mats.items()})
                shown.update({"lhs": _show(va), "rhs": _show(vb)})
                return shown
    return None


def _show(v) -> str:
    if getattr(v, "is_Matrix", False):
        return sp.sstr(v.applyfunc(lambda e: e.evalf(8)).tolist())
    return sp.sstr(v.evalf(12))


def same_values(a: sp.Basic, b: sp.Basic, sizes: Mapping[sp.Symbol, Sequence[int]], points: int = 4) -> bool:
    """True when ``a`` and ``b`` agree at sampled concrete points (for equivalent mutants)."""
    rng = random.Random(1)
    for size in _size_assignments([a, b], sizes, count=2):
        try:
            ca, cb = _concrete(a, size), _concrete(b, size)
        except (ValueError, TypeError, DlproofsError):
            return False
        for _ in range(points):
            funcs = _polys_for_functions([ca, cb], rng)
            values = _numeric_point(ca, cb, rng)
            if not _hypotheses_hold(values):
                continue
            va, vb = _evaluate(ca, funcs, values), _evaluate(cb, funcs, values)
            if va is None or vb is None:
                continue
            if _gap(va, vb, "="):
                return False
    return True


def one_like(expr: sp.Basic) -> sp.Basic:
    """What the "+1" mutant adds: 1 for a scalar, the all-ones matrix for a matrix."""
    if isinstance(expr, MatrixExpr):
        return sp.OneMatrix(*expr.shape)
    return sp.Integer(1)
