"""Three-valued step checker: is ``b`` equal to (or bounded by) ``a``?

Tiers, cheapest first (DESIGN.md §3):

1. ``exact``     ``cancel(together(a - b)) == 0`` on the expressions as written;
2. ``sums``      the same after :func:`dlproofs.sums.normalize` (symbolic batch size m);
3. ``simplify``  ``simplify`` of the normalized difference, under a time limit;
4. refutation    evaluation at random exact points (sums made concrete at small sizes): a point
                 where the sides differ, confirmed with certified digits, *refutes* the step.
                 Evaluation is never evidence of proof.

Anything else is *undecided*, and undecided is never reported as proved.
Inequality steps (``<=``/``>=``) are searched for a refuting point, then proved only by a
checked lemma instance or certificate (:mod:`dlproofs.lemmas`); a lemma name alone is undecided.
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
from .errors import DlproofsError, NotNormalizableError
from .matrices import has_matrices
from .sums import has_sums, normalize

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
DIGITS = 30


class Status(str, Enum):
    PROVED = "proved"
    REFUTED = "refuted"
    UNDECIDED = "undecided"
    CITED = "cited"  # an inequality justified by a named lemma, backed numerically elsewhere


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
        return self.status in (Status.PROVED, Status.CITED)


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
    """Make sums concrete: substitute sizes (m -> 3) and free indices (k -> 1), then ``doit``."""
    out = expr.subs(dict(sizes)).subs(dict(pins))
    return out.doit() if has_sums(out) else out


def prove_equal(a: sp.Expr, b: sp.Expr) -> tuple[Status, str, str, sp.Expr | None]:
    """Tiers 1-2: (PROVED or UNDECIDED, method, detail, the difference for tier 3)."""
    diff = a - b
    if not has_sums(diff):
        if _is_zero_exact(diff):
            return Status.PROVED, "exact", "cancel(together(lhs - rhs)) == 0", None
        return Status.UNDECIDED, "none", "", diff
    try:
        normal = normalize(diff)
    except NotNormalizableError as exc:
        return Status.UNDECIDED, "none", f"sum normalizer refused: {exc}", None
    if _is_zero_exact(normal):
        return Status.PROVED, "sums", "power-sum normal form, then cancel(together(...)) == 0", None
    return Status.UNDECIDED, "none", "", normal


def prove_by_simplify(diff: sp.Expr) -> tuple[Status, str, str]:
    """Tier 3: the deterministic trig normal form, then ``simplify`` under a time limit (after the
    refutation search found nothing)."""
    from .trig import trig_normal

    if trig_normal(diff) == 0:
        return Status.PROVED, "trig", "angle-sum expansion, then reduction modulo sin² + cos² = 1"
    if diff.has(sp.Integral) and not diff.has(sp.Float) and _is_zero_exact(diff.doit()):
        return Status.PROVED, "doit", "integrals evaluated (doit), then cancel(together(...)) == 0"
    try:
        with _time_limit(SIMPLIFY_SECONDS) as armed:
            if armed and sp.simplify(diff) == 0:
                return Status.PROVED, "simplify", f"simplify(...) == 0 within {SIMPLIFY_SECONDS} s"
    except _Timeout:
        return Status.UNDECIDED, "none", f"simplify did not finish in {SIMPLIFY_SECONDS} s"
    except Exception as exc:  # SymPy's simplify raises assorted internal errors on hard input
        return Status.UNDECIDED, "none", f"simplify failed: {type(exc).__name__}"
    return Status.UNDECIDED, "none", "no tier could decide the identity"


def draw_value(sym: sp.Basic, rng: random.Random) -> sp.Rational:
    """An exact rational value that respects the symbol's assumptions."""
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
    """``expr`` at ``point`` to DIGITS certified digits, or None where it is undefined."""
    value = expr.xreplace(dict(point))
    try:
        value = value.doit() if has_sums(value) else value
        number = sp.N(value, DIGITS, strict=True)
    except (sp.PrecisionExhausted, ZeroDivisionError, TypeError, ValueError):
        return None
    if number.has(sp.zoo, sp.oo, -sp.oo, sp.nan) or not number.is_number:
        return None
    return number


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
    size_choices: list[dict[sp.Symbol, int]] = [{}]
    if sizes:
        (size_sym, values), *_ = sizes.items()  # one size symbol is enough to break a false link
        usable = [v for v in values if v >= 2] or list(values)
        size_choices = [{size_sym: v} for v in usable[:3]]
    for size in size_choices:
        ca, cb = concretize(a, size, pins), concretize(b, size, pins)
        free = sorted(set(variables(ca)) | set(variables(cb)), key=str)
        for _ in range(POINTS_PER_SIZE):
            point = {s: draw_value(s, rng) for s in free}
            va, vb = evaluate_exact(ca, point), evaluate_exact(cb, point)
            if va is None or vb is None or not (va.is_real and vb.is_real):
                continue
            gap = va - vb
            scale = 1 + abs(va) + abs(vb)
            broken = {
                "=": abs(gap) > 1e-20 * scale,
                "<=": gap > 1e-20 * scale,  # a <= b broken when a - b > 0
                ">=": gap < -1e-20 * scale,
            }[relation]
            if broken:
                shown = {str(k): str(v) for k, v in {**size, **point}.items()}
                shown.update({"lhs": sp.sstr(va.evalf(12)), "rhs": sp.sstr(vb.evalf(12))})
                return shown
    return None


def variables(expr: sp.Basic) -> list[sp.Basic]:
    """What a point must assign: plain symbols and indexed entries, not the bases' labels."""
    indexed = expr.atoms(sp.Indexed)
    labels = {i.base.label for i in indexed}
    plain = {s for s in expr.free_symbols if isinstance(s, sp.Symbol) and s not in labels}
    return sorted(plain | indexed, key=str)


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
    """Check one link of a derivation chain (``a relation b``); see the module docstring."""
    sizes = sizes or {}
    pins = pins or {}
    if relation not in ("=", "<=", ">="):
        raise ValueError(f"relation must be '=', '<=' or '>=', got {relation!r}")
    if has_matrices(a) or has_matrices(b):  # matrix tier (dlproofs/matrices.py)
        return _check_matrix_link(a, b, relation, lemma, sizes, seed)
    status, method, detail, rest = Status.UNDECIDED, "none", "", None
    if relation == "=":
        status, method, detail, rest = prove_equal(a, b)
        if status is Status.PROVED:
            return LinkResult(status, method, detail)
    # Cheap refutation search before the expensive simplify tier; evidence against only.
    witness = find_counterexample(a, b, relation, sizes, pins, seed)
    if witness is not None:
        return LinkResult(Status.REFUTED, "counterexample", "the sides differ at a point", counterexample=witness)
    if relation != "=":
        # issue 9 (lemmas): an inequality is proved by a checked LemmaUse/Certificate, never cited
        # by name; all logic is in dlproofs/lemmas.py (port this call into the lemma tier).
        from .lemmas import prove_inequality

        proved = prove_inequality(a, b, relation, lemma, sizes=sizes, pins=pins, seed=seed)
        if proved is not None:
            return proved
        return LinkResult(Status.UNDECIDED, "none", "an inequality step needs a LemmaUse or a Certificate")
    if rest is not None:
        status, method, detail = prove_by_simplify(rest)
        if status is Status.PROVED:
            return LinkResult(status, method, detail)
    return LinkResult(Status.UNDECIDED, method, detail or "no proof and no counterexample found")


def check_sizes(
    a: sp.Expr,
    b: sp.Expr,
    sizes: Mapping[sp.Symbol, Sequence[int]],
    pins: Mapping[sp.Symbol, int],
) -> tuple[tuple[int, ...], int | None]:
    """Cross-check ``a == b`` at each concrete size (a check of the normalizer itself).

    Returns the sizes confirmed and the first size where exact cancellation failed (or None).
    """
    if has_matrices(a) or has_matrices(b):
        return matrices.check_sizes(a, b, sizes)
    if not sizes:
        return (), None
    (size_sym, values), *_ = sizes.items()
    done: list[int] = []
    for v in values:
        if not _is_zero_exact(concretize(a, {size_sym: v}, pins) - concretize(b, {size_sym: v}, pins)):
            return tuple(done), v
        done.append(v)
    return tuple(done), None


def _check_matrix_link(a, b, relation, lemma, sizes, seed) -> LinkResult:
    """The matrix tier: normal form of MatAdd/MatMul (+ norms) for symbolic sizes, refutation at
    concrete sizes with rational entries; inequality steps cite their lemma as elsewhere."""
    try:
        matrices.audit(a, b)  # sizes, classes, inverses: for inequalities too
        proof = matrices.prove_link(a, b) if relation == "=" else None
    except DlproofsError as exc:  # malformed sizes, an inverse not proved to exist, no rule: undecided
        return LinkResult(Status.UNDECIDED, "none", f"matrix tier refused: {exc}")
    if proof is not None and proof.proved:
        return LinkResult(Status.PROVED, "matrix", proof.detail, rests_on=proof.rests_on, assumptions=proof.assumptions)
    witness = matrices.find_counterexample(a, b, relation, sizes, seed)
    if witness is not None:
        return LinkResult(Status.REFUTED, "counterexample", "the sides differ at a point", counterexample=witness)
    if relation != "=":
        # issue 9 (lemmas): as in check_link, a checked LemmaUse/Certificate (dlproofs/lemmas.py)
        from .lemmas import prove_inequality

        proved = prove_inequality(a, b, relation, lemma, sizes=sizes, seed=seed)
        if proved is not None:
            return proved
        return LinkResult(Status.UNDECIDED, "none", "an inequality step needs a LemmaUse or a Certificate")
    return LinkResult(Status.UNDECIDED, "none", "matrix normal forms differ and no counterexample was found")
