"""Three-valued step checker: is ``b`` equal to (or bounded by) ``a``?

The proving tiers are declared units in :mod:`dlproofs.tiers` (each with its trust base), tried
in the order of ``tiers.TIERS``: the cheap ones (``exact``, ``sums``, ``matrix``), then the
refutation search, then the expensive ones (``trig``, ``doit`` for integrals, ``simplify`` under
a time guard).

Refutation: evaluation at random exact points (sums made concrete at small sizes, bound indices
renamed apart, a declared :class:`~dlproofs.sums.Index` drawn inside its range, 0 drawn for a
symbol that allows it at the first point and now and then after): a point where the
sides differ, confirmed with certified digits, *refutes* the step. Evaluation is never evidence
of proof.

Inequality steps (``<=``/``>=``) are searched for a refuting point, then proved only by a
checked lemma instance or certificate (:func:`dlproofs.lemmas.prove_inequality`, one call
site); a lemma *name* is not a proof. Matrix links are first audited (:func:`dlproofs.matrices.audit`:
sizes, classes, inverses proved to exist); a refusal is undecided. A Float makes the link
undecided (write Rational). Anything else is *undecided*, and undecided is never reported as
proved; an exception inside the kernel is undecided with its type and message, never a traceback.
A proved link lists what it rests on (``rests_on``) and the symbol assumptions it needed.
"""

from __future__ import annotations

import random
import signal
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum

import sympy as sp

from . import matrices
from .errors import ClaimDefinitionError, DlproofsError, NotNormalizableError
from .matrices import has_matrices
from .subst import substitute
from .sums import Index, has_sums

__all__ = [
    "Status",
    "LinkResult",
    "check_link",
    "check_sizes",
    "concretize",
    "evaluate_exact",
    "find_counterexample",
    "prove_equal",
]

SIMPLIFY_SECONDS = 20.0  # a guard against a hang, not a decision: a verdict must not depend on the load
POINTS_PER_SIZE = 6
# Each point's symbols that allow 0 are set to 0 with this probability (the first point of each
# size: all of them), so that boundary-only counterexamples are drawn; see draw_value.
BOUNDARY_PROBABILITY = 1 / 3
DIGITS = 30


class Status(str, Enum):
    PROVED = "proved"
    REFUTED = "refuted"
    UNDECIDED = "undecided"


@dataclass(frozen=True)
class LinkResult:
    """The verdict on one link ``a (relation) b`` of a derivation chain."""

    status: Status
    method: str  # exact | sums | simplify | lemma | counterexample | none
    detail: str = ""
    counterexample: Mapping[str, str] = field(default_factory=dict)
    # The trust base of a proved link: the tier rules, lemmas and axioms it rests on (names as
    # listed in README "What proved means here"), and the symbol assumptions the proof needed
    # (e.g. "sigma >= 0"), so that `check --json` and the proof page can show them.
    rests_on: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status is Status.PROVED


class _Timeout(Exception):
    pass


@contextmanager
def _time_limit(seconds: float) -> Iterator[bool]:
    """Interrupt the body after ``seconds`` (main thread only; elsewhere the tier is skipped)."""
    if threading.current_thread() is not threading.main_thread():
        yield False
        return

    def _raise(signum: int, frame: object) -> None:
        raise _Timeout

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _is_zero_exact(diff: sp.Expr) -> bool:
    return sp.cancel(sp.together(_factor_radicands(diff))) == 0


def _factor_radicands(expr: sp.Expr) -> sp.Expr:
    """Factor the base of every fractional power, so that factors SymPy knows to be positive
    leave the root (``sqrt(a**2*X) -> a*sqrt(X)`` for ``a > 0``); a sound rewrite."""
    return expr.replace(
        lambda e: e.is_Pow and e.exp.is_Rational and not e.exp.is_Integer and e.base.is_Add,
        lambda e: sp.Pow(sp.factor(e.base), e.exp),
    )


def concretize(expr: sp.Basic, sizes: Mapping[sp.Symbol, int], pins: Mapping[sp.Symbol, int]) -> sp.Basic:
    """Make sums concrete: substitute sizes (m -> 3) and free indices (k -> 1), unroll every sum
    and product with integer bounds, then ``doit``.

    Raises NotNormalizableError for a concrete range with hi < lo - 1: SymPy (Karr's convention)
    reads it as minus a sum, the usual reading has no such sum, so that size is no evidence.
    """
    out = _unroll(sp.sympify(expr).subs(dict(sizes)).subs(dict(pins)))
    if not has_sums(out):
        return out
    # A sum whose symbolic range is provably non-reversed (Σ_{c=1}^{d} with d a positive integer)
    # gets SymPy's closed form; one that is not (e.g. up to k − 2 with k unpinned) is left for
    # evaluate_exact, which unrolls it once the point fixes k, instead of Karr's convention.
    if all(_provably_nonreversed(s) for s in out.atoms(sp.Sum, sp.Product)):
        return out.doit()
    return out.replace(lambda e: isinstance(e, sp.Derivative), lambda e: e.doit()) if out.has(sp.Derivative) else out


def _provably_nonreversed(s: sp.Basic) -> bool:
    for limit in s.limits:
        if len(limit) != 3:
            return False
        count = sp.expand(limit[2] - limit[1] + 1)
        if not (count.is_integer and count.is_nonnegative):
            return False
    return True


def _unroll(e: sp.Basic) -> sp.Basic:
    """Sum/Product with integer bounds -> the explicit Add/Mul (outermost limit first)."""
    if isinstance(e, (sp.Sum, sp.Product)) and len(e.limits[-1]) == 3:
        *inner, (i, lo, hi) = e.limits
        if lo.is_Integer and hi.is_Integer:
            if hi < lo - 1:
                raise NotNormalizableError(
                    f"{e}: the range {lo}..{hi} is reversed (hi < lo - 1); SymPy would read it as minus a "
                    "sum (Karr's convention), which is not the usual meaning of an empty sum"
                )
            body = e.func(e.function, *inner) if inner else e.function
            terms = [
                substitute(body, {i: sp.Integer(v)}) for v in range(int(lo), int(hi) + 1)
            ]  # respects inner binders
            joined = sp.Add(*terms) if isinstance(e, sp.Sum) else sp.Mul(*terms)
            return _unroll(joined)
        return e
    if not e.args or isinstance(e, (sp.Indexed, sp.IndexedBase)):
        return e
    return e.func(*[_unroll(arg) for arg in e.args])


def reversed_range(expr: sp.Basic) -> bool:
    """True when some Sum/Product has a concrete range with hi < lo - 1 (see :func:`concretize`)."""
    for s in sp.sympify(expr).atoms(sp.Sum, sp.Product):
        for limit in s.limits:
            if len(limit) == 3:
                count = sp.expand(limit[2] - limit[1] + 1)
                if count.is_number and count.is_negative:
                    return True
    return False


def prove_equal(a: sp.Expr, b: sp.Expr) -> tuple[Status, str, str, sp.Expr | None]:
    """The cheap scalar tiers (exact, sums): (PROVED or UNDECIDED, method, detail, None).

    Kept for callers (bench/); :func:`check_link` is the full checker.
    """
    from .tiers import EXACT, SUMS, Context

    a, b = _sympify_side(a, "lhs"), _sympify_side(b, "rhs")
    ctx = Context()
    for tier in (EXACT, SUMS):
        if tier.applies(a, b):
            r = tier.prove(a, b, ctx)
            if r is not None:
                return r.status, r.method, r.detail, None
    return Status.UNDECIDED, "none", "; ".join(ctx.notes), a - b


def prove_by_simplify(diff: sp.Expr) -> tuple[Status, str, str]:
    """The expensive scalar tiers (trig normal form, integrals, simplify) on ``diff = 0``:
    (PROVED or UNDECIDED, method, detail). For callers that hold a difference (dlproofs.lemmas)."""
    from .tiers import TIERS, Context

    diff, ctx = _sympify_side(diff, "difference"), Context()
    for tier in TIERS:
        if tier.expensive and tier.applies(diff, sp.S.Zero):
            r = tier.prove(diff, sp.S.Zero, ctx)
            if r is not None:
                return r.status, r.method, r.detail
    return Status.UNDECIDED, "none", "; ".join(ctx.notes) or "no tier could decide the identity"


def respects(sym: sp.Basic, value: sp.Basic) -> bool:
    """Whether ``value`` is allowed by every assumption SymPy knows of ``sym`` (odd, prime, nonzero,
    …): a fact of the symbol that the value's own assumptions contradict rules the value out."""
    for key, want in getattr(sym, "assumptions0", {}).items():
        have = getattr(value, f"is_{key}", None)
        if have is not None and want is not None and have != want:
            return False
    return True


def draw_value(sym: sp.Basic, rng: random.Random, *, boundary: bool = False) -> sp.Rational | None:
    """An exact rational value that respects the symbol's assumptions (every one SymPy knows:
    sign, integrality, parity, primality, …), or None when 64 draws found none.

    ``boundary``: the value is 0 when the symbol's assumptions allow it (a nonnegative, nonpositive
    or unsigned one). The random rationals never hit 0 for a real symbol, so a statement false only
    at the boundary (``0**q = 0`` for ``q >= 0``, ``sign(X)**2 = 1``) was never refuted."""
    if boundary and respects(sym, sp.S.Zero):
        return sp.S.Zero
    for _ in range(64):
        value = _draw_candidate(sym, rng)
        if respects(sym, value):
            return value
    return None


def _draw_candidate(sym: sp.Basic, rng: random.Random) -> sp.Rational:
    if getattr(sym, "is_integer", False):
        if sym.is_negative or sym.is_nonpositive:
            return sp.Integer(rng.randint(-5, -1 if sym.is_negative else 0))
        lo = 1 if sym.is_positive else (0 if sym.is_nonnegative else -4)
        return sp.Integer(rng.randint(lo, 5))
    num = sp.Rational(rng.randint(1, 40), rng.randint(1, 12))
    if sym.is_positive or sym.is_nonnegative:
        return num
    if sym.is_negative or sym.is_nonpositive:
        return -num
    return num if rng.random() < 0.5 else -num


def evaluate_exact(expr: sp.Expr, point: Mapping[sp.Basic, sp.Expr]) -> sp.Expr | None:
    """``expr`` at ``point`` to DIGITS certified digits, or None where it is undefined or cannot be
    evaluated (an undefined function, a derivative by a number, a reversed concrete range)."""
    try:
        at = {sp.sympify(k): sp.sympify(v) for k, v in dict(point).items()}
        value = sp.sympify(expr).xreplace(at)
        if value.has(sp.DiracDelta):
            return None  # a distribution has no value at a point, and quadrature never sees its spike (∫δ = 0)
        value = _unroll(value).xreplace(at)  # unrolling raises on a reversed range; new entries get values
        if value.has(sp.Sum, sp.Product):
            return None  # a sum with symbolic bounds has no number
        value = value.doit() if has_sums(value) else value
        if value.has(sp.Integral):  # quadrature certifies nothing (∫_{−∞}^{27} φ came out 7.6e-37, not 1):
            value = value.doit()  # only an integral SymPy evaluates in closed form gives a value
            if value.has(sp.Integral):
                return None
        number = sp.N(value, DIGITS, strict=True)
    except Exception:  # noqa: BLE001 — evaluation is evidence only: anything it cannot do is "no value"
        return None
    if number.has(sp.zoo, sp.oo, -sp.oo, sp.nan) or not number.is_number:
        return None
    if number.has(sp.Integral, sp.Sum, sp.Product, sp.Derivative, sp.Limit, sp.Subs):
        return None  # left unevaluated: not a number with certified digits
    return number


def _certified_gap(va: sp.Expr, vb: sp.Expr, relation: str) -> bool:
    """Is ``va relation vb`` broken beyond the certified precision? Complex values only for "="."""
    gap = va - vb
    scale = 1 + abs(va) + abs(vb)
    tiny = sp.Float(10, DIGITS) ** (-20) * scale
    if relation == "=":
        return bool(abs(gap) > tiny)
    if not (va.is_real and vb.is_real):
        return False  # an order between complex numbers is meaningless: no evidence
    return bool(gap > tiny) if relation == "<=" else bool(gap < -tiny)


def _rename_bound(expr: sp.Basic) -> sp.Basic:
    """Give every bound index of a Sum/Product a fresh Dummy, so that a point's assignment to a
    free x[i] can never reach a bound x[i] of the same name."""
    return expr.replace(lambda e: isinstance(e, (sp.Sum, sp.Product)), _rename_one)


def _rename_one(e: sp.Basic) -> sp.Basic:
    ren = {lim[0]: sp.Dummy(str(lim[0]), **lim[0].assumptions0) for lim in e.limits}
    function = e.function.xreplace(ren)
    limits = []
    for p, lim in enumerate(e.limits):
        outer = {v: ren[v] for v in [lm[0] for lm in e.limits[p + 1 :]]}
        limits.append((ren[lim[0]], *[bd.xreplace(outer) for bd in lim[1:]]))
    return e.func(function, *limits)


def _draw_point(
    free: Sequence[sp.Basic], fixed: Mapping[sp.Basic, sp.Expr], rng: random.Random, boundary: float = 0.0
) -> dict | None:
    """Values for ``free``; a declared Index is drawn inside its range. A bound that stays symbolic
    (its size does not occur in the link, e.g. k in 1..n with no n around) only limits k from one
    side: any k >= lo is consistent with some n. None when the range is empty or undecidable.
    ``boundary``: the probability that a symbol allowing 0 is set to 0 (see draw_value)."""
    point: dict = {s: draw_value(s, rng, boundary=rng.random() < boundary) for s in free if not isinstance(s, Index)}
    if any(v is None for v in point.values()):
        return None  # a symbol whose assumptions no drawn value met: no evidence at this point
    known = {**dict(fixed), **point}
    for s in free:
        if not isinstance(s, Index):
            continue
        lo = sp.sympify(s.lo).subs(known)
        hi = sp.sympify(s.hi).subs(known)
        if lo.is_Integer and hi.is_Integer:
            if hi < lo:
                return None
            point[s] = sp.Integer(rng.randint(int(lo), int(hi)))
        elif lo.is_Integer and not (hi.free_symbols & set(free)):
            point[s] = sp.Integer(rng.randint(int(lo), int(lo) + 4))
        else:
            return None
    return point


def find_counterexample(
    a: sp.Expr,
    b: sp.Expr,
    relation: str,
    sizes: Mapping[sp.Symbol, Sequence[int]],
    pins: Mapping[sp.Symbol, int],
    seed: int = 0,
) -> dict[str, str] | None:
    """A point where ``a relation b`` fails, confirmed with certified digits; None if none found."""
    rng = random.Random(seed)
    a, b = _rename_bound(sp.sympify(a)), _rename_bound(sp.sympify(b))
    size_choices: list[dict[sp.Symbol, int]] = [{}]
    if sizes:
        (size_sym, values), *_ = sizes.items()  # one size symbol is enough to break a false link
        usable = [v for v in values if v >= 2] or list(values)
        size_choices = [{size_sym: sp.Integer(v)} for v in usable[:3]]
    for size in size_choices:
        try:
            ca, cb = concretize(a, size, pins), concretize(b, size, pins)
        except Exception:  # noqa: BLE001 — a size SymPy cannot make concrete (or a reversed range) gives no evidence
            continue
        free = sorted(set(variables(ca)) | set(variables(cb)), key=str)
        # an entry x[k] whose index k is drawn gets its value only once k has one (as the concrete entry x[1],
        # drawn with the others below): else x[k] and x[1] would get two values at a point with k = 1
        drawn = [v for v in free if not (isinstance(v, sp.Indexed) and _index_symbols(v) & set(free))]
        for n in range(POINTS_PER_SIZE):
            point = _draw_point(drawn, {**size, **pins}, rng, 1.0 if n == 0 else BOUNDARY_PROBABILITY)
            if point is None:
                break
            try:  # a sum up to a drawn bound (Π_{l=1}^{L} w_l, L drawn) unrolls into new entries
                ua, ub = _unroll(ca.xreplace(point)), _unroll(cb.xreplace(point))
            except NotNormalizableError:
                continue  # a reversed range at this point: no evidence
            extra = sorted((set(variables(ua)) | set(variables(ub))) - set(point), key=str)
            rate = 1.0 if n == 0 else BOUNDARY_PROBABILITY
            point.update(
                {v: draw_value(v, rng, boundary=rng.random() < rate) for v in extra if not isinstance(v, Index)}
            )
            if any(v is None for v in point.values()):
                continue
            va, vb = evaluate_exact(ua, point), evaluate_exact(ub, point)
            if va is None or vb is None:
                continue
            try:
                gap = _certified_gap(va, vb, relation)
            except TypeError:  # a value SymPy cannot order (e.g. left symbolic): no evidence at this point
                continue
            if gap:
                shown = {str(k): str(v) for k, v in {**size, **point}.items()}
                shown.update({"lhs": sp.sstr(va.evalf(12)), "rhs": sp.sstr(vb.evalf(12))})
                return shown
    return None


def _index_symbols(entry: sp.Indexed) -> set[sp.Basic]:
    """The symbols in the indices of an indexed entry (k in x[k], k and l in A[k, l + 1])."""
    return set().union(*(sp.sympify(ix).free_symbols for ix in entry.indices))


def variables(expr: sp.Basic) -> list[sp.Basic]:
    """What a point must assign: plain free symbols and *free* indexed entries (not bound ones,
    not the bases' labels)."""
    free = expr.free_symbols
    indexed = {ix for ix in expr.atoms(sp.Indexed) if ix.free_symbols <= free and ix in _free_indexed(expr)}
    labels = {i.base.label for i in expr.atoms(sp.Indexed)}
    plain = {s for s in free if isinstance(s, sp.Symbol) and s not in labels}
    return sorted(plain | indexed, key=str)


def _free_indexed(expr: sp.Basic) -> set[sp.Basic]:
    """Indexed entries occurring outside the scope of any Sum/Product/Integral/Lambda binding
    one of their indices."""
    out: set[sp.Basic] = set()

    def walk(e: sp.Basic, bound: frozenset) -> None:
        if isinstance(e, sp.Indexed):
            if not (e.free_symbols & bound):
                out.add(e)
            return
        if hasattr(e, "limits") and hasattr(e, "function"):
            inner = bound | {lim[0] for lim in e.limits}
            walk(e.function, inner)
            for lim in e.limits:
                for bd in lim[1:]:
                    walk(bd, bound)
            return
        if isinstance(e, sp.Lambda):
            walk(e.expr, bound | set(e.variables))
            return
        for arg in e.args:
            walk(arg, bound)

    walk(expr, frozenset())
    return out


# ── the checker ───────────────────────────────────────────────────────────────────────────────
_RELATIONS = ("=", "<=", ">=")


def _sympify_side(side: object, what: str) -> sp.Basic:
    """A step or side given as a Python number becomes a SymPy number; strings are refused."""
    if isinstance(side, str):
        raise ClaimDefinitionError(
            f"{what} is the string {side!r}; write a SymPy expression (strings are not parsed, "
            "so that a typo cannot become a different expression)"
        )
    try:
        return sp.sympify(side, strict=True)
    except (sp.SympifyError, TypeError) as exc:
        raise ClaimDefinitionError(
            f"{what} = {side!r} ({type(side).__name__}) is not a SymPy expression: {exc}"
        ) from exc


def _refuse_integer_derivatives(expr: sp.Basic) -> None:
    """A derivative with respect to an integer-valued symbol (a size m, a sum's bound t) is not
    a derivative of a function of a real variable: SymPy would happily give d/dm Σ_{i≤m} 1 = 1."""
    for d in expr.atoms(sp.Derivative):
        bad = [v for v in d.variables if getattr(v, "is_integer", None) is True]
        if bad:
            raise NotNormalizableError(
                f"{d} differentiates with respect to {', '.join(map(str, bad))}, which is an integer (a size or "
                "an index): a sum over 1..m is not a differentiable function of m. Differentiate with respect "
                "to a real variable, or state the discrete difference instead."
            )


# Functions with a kink, jump or corner: SymPy differentiates them by a convention at the bad points
# (d|x|/dx = sign(x) with sign(0) = 0, d max(0, x)/dx = Heaviside(x) with Heaviside(0) = 1/2).
_NONSMOOTH = (sp.Abs, sp.sign, sp.Max, sp.Min, sp.Heaviside, sp.Piecewise, sp.floor, sp.ceiling, sp.frac, sp.Mod)


def _refuse_nonsmooth_derivative_at_point(expr: sp.Basic) -> None:
    """A derivative of a function with a kink, evaluated at a point (``Subs``), is refused: where the
    function is not differentiable (relu or |x| at 0) there is no derivative, and SymPy's value there
    (Heaviside(0) = 1/2, sign(0) = 0) is a convention, so "relu'(0) = 1/2" would be proved."""
    for at in expr.atoms(sp.Subs):
        for d in at.expr.atoms(sp.Derivative):
            kinks = sorted({type(f).__name__ for f in d.expr.atoms(*_NONSMOOTH)})
            if kinks and set(d.variables) & set(at.variables):
                raise NotNormalizableError(
                    f"{at} evaluates the derivative of a function with {', '.join(kinks)} at a point: where the "
                    "function has a kink or a jump it has no derivative, and SymPy's value there is a convention "
                    "(Heaviside(0) = 1/2, sign(0) = 0). State the one-sided difference quotients, or the derivative "
                    "on an interval where the function is smooth (a symbol declared positive or negative)."
                )


def _refuse_index_ranges_over_bound_symbols(expr: sp.Basic) -> None:
    """A declared Index premise ``lo <= k <= hi`` must be about quantities that are free in the link.
    With ``k = Index("k", 1, j)`` under ``Σ_{j=1}^{m}``, the premise ``k <= j`` is false for the
    terms j < k, yet it would let ∂/∂x_k Σ_{i<=j} x_i² = 2x_k count in every term (2m·x_k, not
    2(m − k + 1)·x_k)."""
    bound = {lim[0] for e in expr.atoms(sp.Sum, sp.Product, sp.Integral) for lim in e.limits}
    bound |= {v for lam in expr.atoms(sp.Lambda) for v in lam.variables}
    if not bound:
        return
    indices = {s for s in expr.free_symbols if isinstance(s, Index)}
    indices |= {
        s for d in expr.atoms(sp.Derivative) for v in d.variables for s in v.free_symbols if isinstance(s, Index)
    }
    for k in sorted(indices, key=str):
        inside = (sp.sympify(k.lo).free_symbols | sp.sympify(k.hi).free_symbols) & bound
        if inside:
            raise NotNormalizableError(
                f"the declared range {k.premise()} of the index {k} mentions {', '.join(sorted(map(str, inside)))}, "
                "which a sum, product or integral of this link binds: the premise then holds for some of its terms "
                "only. Declare the range in free quantities (e.g. Index('k', 1, m) with m the outer bound), or "
                "split the sum where k enters its range."
            )


def _refuse_floats(expr: sp.Basic) -> None:
    """The exact tiers are exact: a Float is refused, whatever its value. (Even a Float that looks
    exact may be the rounded result of SymPy's construction: 1 + 1e-20 is built as 1.0.)"""
    floats = sorted(expr.atoms(sp.Float), key=str)
    if floats:
        raise NotNormalizableError(
            f"floating-point literal(s) {', '.join(sp.sstr(f) for f in floats)}: a Float carries about 15 "
            "digits, so (1 + 1e-20)·X = X would hold at that precision, and SymPy rounds while it builds "
            "the expression. The kernel decides exact identities only: write Rational(...) (e.g. "
            "Rational(1, 10**20)) or S(1)/2 instead of a float."
        )


def alpha_canonical(expr: sp.Basic) -> sp.Basic:
    """Rename every bound index (Sum/Product/Integral) canonically, by its binding height, so
    that alpha-equivalent expressions (Σ|x_i| and Σ|x_j|) become identical. Sound: only bound
    names change; the new names avoid every free symbol's name."""
    taken = {str(s) for s in expr.free_symbols}
    prefix = "_b"
    while any(name.startswith(prefix) for name in taken):
        prefix += "_"
    return _canon(expr, prefix)[0]


def _canon(e: sp.Basic, prefix: str) -> tuple[sp.Basic, int]:
    if isinstance(e, (sp.Sum, sp.Product, sp.Integral)):
        function, height = _canon(e.function, prefix)
        limits = [list(lim) for lim in e.limits]
        for p, lim in enumerate(limits):
            limits[p] = [lim[0], *[_canon(bd, prefix)[0] for bd in lim[1:]]]
            height = max(height, *[_canon(bd, prefix)[1] for bd in lim[1:]], 0)
        for p, lim in enumerate(limits):
            var = lim[0]
            new = sp.Symbol(f"{prefix}{height + p}", **var.assumptions0)
            function = function.xreplace({var: new})
            for q in range(p):
                limits[q] = [limits[q][0], *[bd.xreplace({var: new}) for bd in limits[q][1:]]]
            limits[p][0] = new
        return e.func(function, *[tuple(lim) for lim in limits]), height + len(limits)
    if not e.args or isinstance(e, (sp.Indexed, sp.IndexedBase, sp.Symbol)):
        return e, 0
    parts = [_canon(arg, prefix) for arg in e.args]
    return e.func(*[p[0] for p in parts]), max((p[1] for p in parts), default=0)


def check_link(
    a: sp.Expr,
    b: sp.Expr,
    *,
    relation: str = "=",
    lemma: object = None,  # a dlproofs.lemmas.LemmaUse or Certificate for "<=" / ">="
    sizes: Mapping[sp.Symbol, Sequence[int]] | None = None,
    pins: Mapping[sp.Symbol, int] | None = None,
    seed: int = 0,
) -> LinkResult:
    """Check one link of a derivation chain (``a relation b``); see the module docstring.

    Malformed input (a string side, an unknown relation) raises ClaimDefinitionError; any other
    failure inside the kernel is *undecided* with the exception's type and message in ``detail``.
    """
    if relation not in _RELATIONS:
        raise ClaimDefinitionError(f"relation must be '=', '<=' or '>=', got {relation!r}")
    a, b = _sympify_side(a, "lhs"), _sympify_side(b, "rhs")
    sizes = dict(sizes or {})
    pins = {sp.sympify(k): sp.sympify(v) for k, v in dict(pins or {}).items()}
    try:
        return _check_link(a, b, relation, lemma, sizes, pins, seed)
    except NotNormalizableError as exc:
        return LinkResult(Status.UNDECIDED, "none", str(exc))
    except Exception as exc:  # noqa: BLE001 — never a traceback from the kernel; never silent either
        return LinkResult(Status.UNDECIDED, "none", f"kernel error {type(exc).__name__}: {exc}")


def _check_link(a, b, relation, lemma, sizes, pins, seed) -> LinkResult:
    from .tiers import TIERS, Context

    _refuse_floats(a)
    _refuse_floats(b)
    _refuse_integer_derivatives(a)
    _refuse_integer_derivatives(b)
    _refuse_nonsmooth_derivative_at_point(a)
    _refuse_nonsmooth_derivative_at_point(b)
    _refuse_index_ranges_over_bound_symbols(sp.Tuple(a, b))
    ctx = Context(sizes=sizes, pins=pins, seed=seed)
    matrix = has_matrices(a) or has_matrices(b)
    if matrix:
        try:
            matrices.audit(a, b)  # sizes, classes, inverses proved to exist: for inequalities too
        except DlproofsError as exc:
            return LinkResult(Status.UNDECIDED, "none", f"matrix tier refused: {exc}")
    if relation == "=":
        for tier in TIERS:
            if not tier.expensive and tier.applies(a, b):
                proved = tier.prove(a, b, ctx)
                if proved is not None:
                    return _with_trust(proved, tier, a, b, ctx)
    # Cheap refutation search before the expensive tiers; evidence against only.
    witness = (
        matrices.find_counterexample(a, b, relation, sizes, seed)
        if matrix
        else find_counterexample(a, b, relation, sizes, pins, seed)
    )
    if witness is not None:
        return LinkResult(Status.REFUTED, "counterexample", "the sides differ at a point", counterexample=witness)
    if relation != "=":
        return _check_inequality(a, b, relation, lemma, sizes, pins, seed)
    for tier in TIERS:
        if tier.expensive and tier.applies(a, b):
            proved = tier.prove(a, b, ctx)
            if proved is not None:
                return _with_trust(proved, tier, a, b, ctx)
    detail = "; ".join(ctx.notes) or (
        "matrix normal forms differ and no counterexample was found"
        if matrix
        else "no proof and no counterexample found"
    )
    return LinkResult(Status.UNDECIDED, "none", detail)


def _check_inequality(a, b, relation, lemma, sizes, pins, seed) -> LinkResult:
    """An inequality is proved only by a checked lemma instance or certificate (dlproofs.lemmas)."""
    try:
        from .lemmas import prove_inequality  # the ONE call site for inequality proofs
    except ImportError:
        why = f"lemma {lemma!r} is named, but " if lemma else ""
        return LinkResult(
            Status.UNDECIDED,
            "none",
            f"{why}no lemma library is installed (dlproofs/lemmas.py): a lemma name is not a proof",
        )
    result = prove_inequality(a, b, relation, lemma, sizes=sizes, pins=pins, seed=seed)
    if result is None:
        return LinkResult(Status.UNDECIDED, "none", f"the lemma library did not prove {relation} (lemma {lemma!r})")
    return result


# ── which assumptions a proof needed ─────────────────────────────────────────────────────────
_FACTS = (
    ("positive", "> 0"),
    ("negative", "< 0"),
    ("nonnegative", ">= 0"),
    ("nonpositive", "<= 0"),
    ("zero", "= 0"),
    ("nonzero", "!= 0"),
    ("integer", "integer"),
    ("rational", "rational"),
    ("real", "real"),
    ("extended_real", "extended real"),
    ("finite", "finite"),
)
_IMPLIES_REAL = {"positive", "negative", "nonnegative", "nonpositive", "zero", "nonzero", "integer", "rational"}


def _facts(name: str, assumptions: Mapping[str, bool]) -> list[str]:
    """Readable assumptions of one symbol (the strongest ones, e.g. "sigma >= 0", "m integer")."""
    given = {k for k, v in assumptions.items() if v is True}
    shown = []
    for key, text in _FACTS:
        if key not in given:
            continue
        if key in ("real", "extended_real", "finite") and given & _IMPLIES_REAL:
            continue
        if key == "finite" and given & {"real", "extended_real"}:
            continue
        if key == "nonnegative" and "positive" in given or key == "nonpositive" and "negative" in given:
            continue
        if key == "nonzero" and given & {"positive", "negative"}:
            continue
        if key == "rational" and "integer" in given:
            continue
        if key == "extended_real" and "real" in given:
            continue
        shown.append(f"{name} {text}")
    return shown


def _assumed(expr: sp.Basic) -> dict[sp.Basic, sp.Basic]:
    """Each symbol / indexed base with assumptions -> an assumption-free twin of the same name."""
    out: dict[sp.Basic, sp.Basic] = {}
    labels = {b.label for b in expr.atoms(sp.IndexedBase)}
    # SymPy leaves a derivative's variables (x[k]) out of free_symbols; k is free all the same
    by = {s for d in expr.atoms(sp.Derivative) for v in d.variables for s in v.free_symbols}
    for s in expr.free_symbols | by:  # bound indices are part of their sum's meaning, not assumptions
        if not isinstance(s, sp.Symbol) or s in labels:  # a free Dummy is a variable too: its facts count
            continue
        if isinstance(s, Index) or any(v is True for k, v in s.assumptions0.items() if k != "commutative"):
            out[s] = sp.Dummy(s.name) if isinstance(s, sp.Dummy) else sp.Symbol(s.name)
    for base in expr.atoms(sp.IndexedBase):
        if any(v is True for k, v in base.assumptions0.items() if k != "commutative"):
            out[base] = sp.IndexedBase(sp.Symbol(str(base.label)))
    return out


def _describe(expr: sp.Basic) -> tuple[str, ...]:
    texts: set[str] = set()
    for s, _ in _assumed(expr).items():
        if isinstance(s, sp.IndexedBase):
            texts.update(_facts(f"{s}[i]", s.assumptions0))
        elif isinstance(s, Index):
            texts.add(s.premise())  # an integer in lo..hi: its sign facts follow from the premise
        else:
            texts.update(_facts(s.name, s.assumptions0))
    return tuple(sorted(texts))


def _with_trust(proved: LinkResult, tier, a, b, ctx) -> LinkResult:
    """Fill ``rests_on`` and ``assumptions``: the proof is retried with every symbol replaced by an
    assumption-free twin; if it then fails, the assumptions of the symbols involved are listed."""
    from dataclasses import replace

    from .tiers import Context

    needed: tuple[str, ...] = ()
    both = sp.Tuple(a, b)
    strip = _assumed(both)
    if strip:
        try:
            bare_a, bare_b = a.xreplace(strip), b.xreplace(strip)
            again = tier.prove(bare_a, bare_b, Context(sizes=ctx.sizes, pins=ctx.pins, seed=ctx.seed))
        except Exception:  # noqa: BLE001 — if the bare proof cannot even run, the assumptions count
            again = None
        if again is None:
            needed = _describe(both)
    # a tier may report assumptions of its own (the matrix tier's invertibility hypotheses)
    return replace(proved, assumptions=tuple(sorted({*proved.assumptions, *needed})))


def check_sizes(
    a: sp.Expr,
    b: sp.Expr,
    sizes: Mapping[sp.Symbol, Sequence[int]],
    pins: Mapping[sp.Symbol, int],
) -> tuple[tuple[int, ...], int | None]:
    """Cross-check ``a == b`` at each concrete size (a check of the normalizer itself).

    Returns the sizes confirmed and the first size where exact cancellation failed (or None).
    A size where some sum's range is reversed (hi < lo - 1) is skipped: it is not evidence.
    """
    if has_matrices(a) or has_matrices(b):
        return matrices.check_sizes(a, b, sizes)
    if not sizes:
        return (), None
    (size_sym, values), *_ = sizes.items()
    if not (a.has(size_sym) or b.has(size_sym)):
        return (), None  # the declared size does not occur: there is nothing to make concrete
    done: list[int] = []
    for v in values:
        try:
            ca, cb = concretize(a, {size_sym: v}, pins), concretize(b, {size_sym: v}, pins)
        except NotNormalizableError:
            continue  # a reversed range at this size: no evidence either way
        try:
            same = _is_zero_exact(ca - cb)
        except Exception:  # noqa: BLE001 — a size that cannot be checked is not a confirmed size
            same = False
        if not same:
            return tuple(done), v
        done.append(v)
    return tuple(done), None
