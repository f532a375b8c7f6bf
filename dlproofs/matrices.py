"""Matrix tier of the step checker: identities and bounds over MatrixSymbols of symbolic size n.

The scalar tiers (``cancel(together(...))``, the sum normalizer) do not see through matrix
expressions: ``cancel(together(G(I + J) - G - GJ))`` returns it unchanged. This module decides
steps written with SymPy ``MatrixSymbol``s of symbolic shape (any width n), three-valued as in
:mod:`dlproofs.stepcheck`:

- **proof** (symbolic n): both sides are brought to a normal form — ``Jacobian``/``Differential``
  evaluated by the forward-mode rules below, then ``expand`` + ``doit`` of the non-commutative
  ``MatAdd``/``MatMul`` algebra (distributivity, ``I·A = A``, ``0·A = 0``); inside a scalar,
  every ``Norm(M)``/``OpNorm(M)`` has its argument put in that normal form and a scalar factor
  pulled out (``‖cM‖ = |c|·‖M‖``); then ``cancel(together(a - b)) == 0``. Nothing else is proved.
- **size cross-check**: at concrete sizes (n = 1..4) both sides are made explicit with symbolic
  entries, and a ``Jacobian`` is recomputed *independently* by ``Matrix.jacobian`` of the scalar
  entries, then compared entry by entry.
- **refutation**: at concrete sizes, matrices get random rational entries at several scales,
  undefined functions (φ, F) become random polynomials, norms are evaluated exactly (the spectral
  norm as the square root of the largest real root of the characteristic polynomial of MᵀM, a
  ``CRootOf`` evaluated to certified digits). A point where the relation fails refutes the step.

Forward-mode rules (``Differential(y, v, E)`` is dy along dv = E; ``Jacobian(y, x)`` is the
numerator-layout ∂y/∂x = Differential(y, x, I))::

    d v = E,  d(const) = 0,  d(A + B) = dA + dB,  d(c·A) = c·dA,  d(AB) = dA·B + A·dB,
    d φ∘u = diag(φ'∘u)·du,   d F(x) = J_F(x)·dx   (F an arbitrary differentiable map)
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement, MatrixExpr

__all__ = [
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
POINTS_PER_SIZE = 8


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
        s = sp.Dummy("s")
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


class Differential(MatrixExpr):
    """dy along dv = E (unevaluated); ``doit`` applies the forward-mode rules."""

    def __new__(cls, y, v, e):
        return super().__new__(cls, y, v, e)

    @property
    def shape(self):
        return (self.args[0].shape[0], self.args[2].shape[1] if self.args[1].shape[1] == 1 else 1)

    def doit(self, **hints):
        y, v, e = self.args
        return differential(y.doit(**hints) if hints.get("deep", True) else y, v, e)

    def _latex(self, printer):
        y, v, e = (printer._print(a) for a in self.args)
        return rf"\mathrm{{d}}_{{{v}}}\left[{y}\right]\left({e}\right)"


class Jacobian(Differential):
    """∂y/∂x in numerator layout (rows: outputs, columns: inputs); x a column vector."""

    def __new__(cls, y, x, _e=None):  # _e: rebuilt from args by subs/xreplace; always I
        return MatrixExpr.__new__(cls, y, x, sp.Identity(x.shape[0]))

    @property
    def shape(self):
        return (self.args[0].shape[0], self.args[1].shape[0])

    def _latex(self, printer):
        return (
            rf"\frac{{\partial \left({printer._print(self.args[0])}\right)}}{{\partial {printer._print(self.args[1])}}}"
        )


def differential(y: sp.Basic, v: sp.Basic, e: sp.Basic) -> sp.Basic:
    """The forward-mode rules of the module docstring (refuses what it does not know)."""
    cols = e.shape[1] if v.shape[1] == 1 else 1
    zero = sp.ZeroMatrix(y.shape[0], cols)
    if y == v:
        return e
    if not y.has(v):
        return zero
    if isinstance(y, sp.MatAdd):
        return sp.MatAdd(*(differential(a, v, e) for a in y.args))
    if isinstance(y, sp.MatMul):
        coeff, mats = y.as_coeff_matrices()
        terms = []
        for k in range(len(mats)):
            d = differential(mats[k], v, e)
            if d.is_ZeroMatrix:
                continue
            terms.append(sp.MatMul(coeff, *mats[:k], d, *mats[k + 1 :]))
        return sp.MatAdd(*terms) if terms else zero
    if isinstance(y, ApplyPrime):
        raise NotImplementedError(f"second derivative of {y} is not a rule of this module")
    if isinstance(y, Apply):
        return sp.MatMul(Diag(ApplyPrime(*y.args)), differential(y.args[1], v, e))
    if isinstance(y, Map):
        return sp.MatMul(MapJacobian(y), differential(y.args[1], v, e))
    if isinstance(y, Differential):
        return differential(y.doit(), v, e)
    raise NotImplementedError(f"no differentiation rule for {type(y).__name__}: {y}")


# ── normal form and proof ─────────────────────────────────────────────────────────────────────
def has_matrices(expr: sp.Basic) -> bool:
    """True when ``expr`` is or contains a matrix expression (the scalar tiers do not apply)."""
    if isinstance(expr, MatrixExpr):
        return True
    return bool(expr.atoms(sp.MatrixSymbol, Norm, OpNorm))


def _matrix_normal(m: sp.Basic) -> sp.Basic:
    out = m
    for _ in range(4):  # doit (rules), expand, doit (0·A, I·A): to a fixed point
        new = sp.expand(out.doit()).doit()
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
    return expr.replace(lambda e: isinstance(e, (Norm, OpNorm)), _norm_normal)


def prove_equal(a: sp.Basic, b: sp.Basic) -> bool:
    """True when the normal forms of ``a`` and ``b`` agree (a proof for every size)."""
    if isinstance(a, MatrixExpr) != isinstance(b, MatrixExpr):
        return False
    if isinstance(a, MatrixExpr):
        if a.shape != b.shape:
            return False
        diff = _matrix_normal(a - b)
        return bool(getattr(diff, "is_ZeroMatrix", False) or diff == 0)
    return sp.cancel(sp.together(normal_form(a) - normal_form(b))) == 0


# ── concrete sizes ────────────────────────────────────────────────────────────────────────────
def _size_symbols(*exprs: sp.Basic) -> list[sp.Symbol]:
    out: set[sp.Symbol] = set()
    for e in exprs:
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
    if isinstance(e, Jacobian):
        y, x = e.args[0], e.args[1]
        return explicit(y).jacobian(list(explicit(x)))
    if isinstance(e, Differential):
        return explicit(e.doit())
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
    return explicit(expr.subs(dict(size)))


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
    """``a == b`` at each concrete size with symbolic entries (Jacobians recomputed entrywise)."""
    done: list[int] = []
    first = next(iter(sizes), None)
    for size in _size_assignments([a, b], sizes):
        label = size.get(first, 0) if first is not None else 0
        ca, cb = _concrete(a, size), _concrete(b, size)
        if not _entries_zero(sp.Matrix(ca) - sp.Matrix(cb) if getattr(ca, "is_Matrix", False) else ca - cb):
            return tuple(done), label
        done.append(label)
    return tuple(done), None


# ── refutation ────────────────────────────────────────────────────────────────────────────────
def _draw_scalar(sym: sp.Symbol, rng: random.Random) -> sp.Expr:
    if sym.is_integer:
        return sp.Integer(rng.randint(1 if sym.is_nonnegative or sym.is_positive else -3, 5))
    value = sp.Rational(rng.randint(1, 24), rng.randint(1, 8)) * rng.choice(SCALES)
    if sym.is_positive or sym.is_nonnegative:
        return value
    return value if rng.random() < 0.5 else -value


def _numeric_point(ca: sp.Basic, cb: sp.Basic, rng: random.Random) -> dict:
    """Random rational entries (one scale per matrix), random polynomials for undefined functions."""
    point: dict = {}
    for e in (ca, cb):
        for el in e.atoms(MatrixElement):
            base = el.args[0]
            if base not in point:
                point[base] = rng.choice(SCALES)
    values: dict = {}
    for e in (ca, cb):
        for el in e.atoms(MatrixElement):
            values.setdefault(el, sp.Rational(rng.randint(-12, 12), rng.randint(1, 6)) * point[el.args[0]])
        for s in e.free_symbols:
            if isinstance(s, sp.Symbol) and s not in values:
                values[s] = _draw_scalar(s, rng)
    return values


def _polys_for_functions(exprs: Sequence[sp.Basic], rng: random.Random) -> dict:
    funcs = {}
    for e in exprs:
        for f in e.atoms(sp.core.function.AppliedUndef):
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
            return sp.Matrix(out).applyfunc(lambda v: sp.N(v, DIGITS, strict=True))
        out = out.replace(lambda f: isinstance(f, (Norm, OpNorm)), _norm_or_self)
        return sp.N(out, DIGITS, strict=True)
    except (sp.PrecisionExhausted, ZeroDivisionError, TypeError, ValueError):
        return None


def _gap(va, vb, relation: str) -> bool:
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
        ca, cb = _concrete(a, size), _concrete(b, size)
        for _ in range(points):
            funcs = _polys_for_functions([ca, cb], rng)
            values = _numeric_point(ca, cb, rng)
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
