"""Inequality steps are proved, not cited: a lemma library and nonnegativity certificates.

A derivation step ``a <= b`` (or ``a >= b``) is proved only by a proof object the kernel checks:

- :class:`LemmaUse` — an *instance* of a lemma from :data:`LIBRARY`: the lemma's name and the
  expressions its metavariables stand for, e.g. ``LemmaUse("sum-triangle", f=v[i]*tanh(s[i]),
  i=i, lo=1, hi=d)``. The kernel builds the instance's conclusion ``L <= R``, checks that the
  step says the same thing (its gap ``b - a`` is the instance's gap ``R - L``, proved by the
  equality tiers) and that every side condition of the lemma holds: by SymPy's assumptions on
  the symbols (``is_nonnegative``/``is_positive``/``is_real``), or by a nested proof object the
  use supplies in ``given={condition name: proof}``.
- :class:`Certificate` — ``b - a`` rewritten as a sum of terms, each nonnegative: a plain
  expression SymPy's assumption system shows ``is_nonnegative``, or a lemma instance's gap
  ``R - L``, optionally times a coefficient SymPy shows nonnegative (``(c, LemmaUse(...))``).
  The rewrite itself (``b - a == sum of the terms``) must be proved by the equality tiers.

A plain string is never a proof. What is not shown is *undecided*, with a message that says
which condition failed and how to fix it. Each lemma is either proved here (``proof``; run by
the tests) or an axiom with a textbook reference: see :func:`describe`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sympy as sp

from .errors import DlproofsError

if TYPE_CHECKING:
    from .stepcheck import LinkResult

__all__ = [
    "LemmaError",
    "LemmaUse",
    "Certificate",
    "Lemma",
    "Condition",
    "LIBRARY",
    "CERTIFICATE_RULE",
    "describe",
    "prove_inequality",
    "prove_lemma",
    "map_proof",
]

CERTIFICATE_RULE = "certificate: sum of nonnegative terms"
NAME_NOT_PROOF = "a lemma name is not a proof; cite a LemmaUse or give a Certificate"


class LemmaError(DlproofsError, ValueError):
    """A lemma use or certificate that is malformed (unknown lemma, wrong metavariables, ...)."""


# ── proof objects ─────────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True, init=False)
class LemmaUse:
    """An instance of library lemma ``name``: ``LemmaUse("triangle", a=x, b=y)``.

    ``given`` proves side conditions SymPy's assumptions cannot show, keyed by the condition's
    name as the lemma lists it (e.g. ``given={"f <= g": Certificate(...)}``).
    """

    name: str
    bindings: tuple[tuple[str, sp.Basic], ...]
    given: tuple[tuple[str, Proof], ...] = ()

    def __init__(self, name: str, /, *, given: Mapping[str, Proof] | None = None, **bindings: Any) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "bindings", tuple((k, _sympify(k, v)) for k, v in bindings.items()))
        object.__setattr__(self, "given", tuple((given or {}).items()))

    @property
    def env(self) -> dict[str, sp.Basic]:
        return dict(self.bindings)

    def map(self, fn: Callable[[sp.Basic], sp.Basic]) -> LemmaUse:
        """The same use with ``fn`` applied to every bound expression (e.g. ``where`` expansion)."""
        return LemmaUse(
            self.name,
            given={k: map_proof(p, fn) for k, p in self.given},
            **{k: fn(v) for k, v in self.bindings},
        )

    def __str__(self) -> str:
        args = ", ".join(f"{k}={sp.sstr(v)}" for k, v in self.bindings)
        return f"{self.name}({args})"


@dataclass(frozen=True, init=False)
class Certificate:
    """``b - a`` (for ``a <= b``) as a sum of terms each shown nonnegative.

    A term is an expression (nonnegative by SymPy's assumptions), a :class:`LemmaUse` (its gap
    ``R - L``), or a pair ``(c, LemmaUse)`` for ``c·(R - L)`` with ``c`` nonnegative.
    """

    terms: tuple[Any, ...]

    def __init__(self, *terms: Any) -> None:
        out = []
        for t in terms:
            if isinstance(t, tuple) and len(t) == 2 and isinstance(t[1], LemmaUse):
                out.append((_sympify("coefficient", t[0]), t[1]))
            elif isinstance(t, LemmaUse):
                out.append(t)
            else:
                out.append(_sympify("term", t))
        object.__setattr__(self, "terms", tuple(out))

    def map(self, fn: Callable[[sp.Basic], sp.Basic]) -> Certificate:
        return Certificate(*(map_proof(t, fn) if isinstance(t, LemmaUse) else _map_term(t, fn) for t in self.terms))

    def __str__(self) -> str:
        return "certificate: " + " + ".join(_term_str(t) for t in self.terms)


Proof = LemmaUse | Certificate


def map_proof(proof: Any, fn: Callable[[sp.Basic], sp.Basic]) -> Any:
    """``proof`` with ``fn`` applied to its expressions; anything else (a str, None) unchanged."""
    return proof.map(fn) if isinstance(proof, (LemmaUse, Certificate)) else proof


def _map_term(t: Any, fn: Callable[[sp.Basic], sp.Basic]) -> Any:
    if isinstance(t, tuple):
        return (fn(t[0]), t[1].map(fn))
    return fn(t)


def _term_str(t: Any) -> str:
    if isinstance(t, tuple):
        return f"({sp.sstr(t[0])})·[{t[1]}]"
    return f"[{t}]" if isinstance(t, LemmaUse) else sp.sstr(t)


def _sympify(what: str, value: Any) -> sp.Basic:
    try:
        out = sp.sympify(value, strict=True)
    except (sp.SympifyError, TypeError) as exc:
        raise LemmaError(
            f"{what} = {value!r} is not a SymPy expression ({type(value).__name__}); a proof object "
            "binds expressions only, e.g. x=Symbol('x', real=True) or lo=1"
        ) from exc
    if isinstance(out, sp.Basic) and out.has(sp.Float):
        raise LemmaError(
            f"{what} = {out} contains a float; the kernel is exact. Write the number as a Rational "
            "(sympy.Rational(1, 10) instead of 0.1)"
        )
    return out


# ── the lemma schema ──────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Condition:
    """A side condition: ``expr >= 0`` (``> 0`` if strict), or ``expr`` real / an integer;
    for every ``index`` in ``lo..hi`` when ``over`` is given."""

    name: str  # the key a LemmaUse's ``given`` uses to prove it
    expr: sp.Basic
    kind: str = "nonneg"  # nonneg | positive | real | integer
    over: tuple[sp.Basic, sp.Basic, sp.Basic] | None = None  # (index, lo, hi)


Env = Mapping[str, sp.Basic]


@dataclass(frozen=True)
class Lemma:
    """A schema: metavariables, the conclusion ``L <= R`` and the side conditions, and either a
    proof run by the tests or (``proof is None``) an axiom with a textbook reference."""

    name: str
    statement: str  # one line, for describe() and the proof pages
    metavars: tuple[str, ...]  # every one must be bound; "i" (if present) is a summation index
    conclusion: Callable[[Env], tuple[sp.Basic, sp.Basic]]  # (L, R) with L <= R
    conditions: Callable[[Env], tuple[Condition, ...]]
    reference: str  # a textbook reference (axioms) or how the library proves it
    proof: Callable[[], list[str]] | None = None  # returns the problems found; [] = proved
    defaults: Mapping[str, Any] = field(default_factory=dict)

    @property
    def axiom(self) -> bool:
        return self.proof is None

    def describe(self) -> str:
        how = f"axiom — {self.reference}" if self.axiom else f"proved — {self.reference}"
        return f"`{self.name}`: {self.statement} ({how})"


def _count(env: Env) -> Condition:
    lo, hi = env["lo"], env["hi"]
    return Condition("hi - lo + 1 >= 0", hi - lo + 1)


def _range_meta(env: Env) -> tuple[Condition, ...]:
    return (
        Condition("i is a symbol", env["i"], "symbol"),
        Condition("lo is an integer", env["lo"], "integer"),
        Condition("hi is an integer", env["hi"], "integer"),
        _count(env),
    )


def _sum(env: Env, body: sp.Basic) -> sp.Sum:
    return sp.Sum(body, (env["i"], env["lo"], env["hi"]))


def _at(body: sp.Basic, index: sp.Basic, value: sp.Basic) -> sp.Basic:
    """``body`` with ``index := value``; bound symbols renamed first, so nothing is captured."""
    return body.as_dummy().xreplace({index: value})


def _over(env: Env) -> tuple[sp.Basic, sp.Basic, sp.Basic]:
    return (env["i"], env["lo"], env["hi"])


def _sigmoid(x: sp.Basic) -> sp.Basic:
    return 1 / (1 + sp.exp(-x))


# proofs of the lemmas the library proves itself (each returns the list of problems: [] = proved)
def _proof_square_monotone() -> list[str]:
    a, d = sp.symbols("a d", nonnegative=True)  # 0 <= a, b = a + d with d >= 0
    b = a + d
    return _check_certificate(b**2 - a**2, (d * (a + b),), "b² − a² = (b − a)(b + a)")


def _proof_sigmoid_prime() -> list[str]:
    x = sp.Symbol("x", real=True)
    s = _sigmoid(x)
    return _check_certificate(
        sp.Rational(1, 4) - s * (1 - s), ((s - sp.Rational(1, 2)) ** 2,), "1/4 − σ(1−σ) = (σ − 1/2)²"
    )


def _proof_abs_tanh() -> list[str]:
    x = sp.Symbol("x", real=True)
    t = sp.tanh(x).rewrite(sp.exp)
    den = sp.exp(x) + sp.exp(-x)
    # |y| <= 1 iff 1 - y >= 0 and 1 + y >= 0 (definition of |·| on the reals)
    return _check_certificate(
        1 - t, (2 * sp.exp(-x) / den,), "1 − tanh x = 2e^{−x}/(e^x + e^{−x})"
    ) + _check_certificate(1 + t, (2 * sp.exp(x) / den,), "1 + tanh x = 2e^{x}/(e^x + e^{−x})")


def _proof_square_nonneg() -> list[str]:
    x = sp.Symbol("x", real=True)
    return [] if (x**2).is_nonnegative is True else ["SymPy does not show x² >= 0 for real x"]


def _proof_am_gm() -> list[str]:
    a, b = sp.symbols("a b", nonnegative=True)
    # (a + b)/2 − √(ab) = (√a − √b)²/2 for a, b >= 0
    return _check_certificate((a + b) / 2 - sp.sqrt(a * b), ((sp.sqrt(a) - sp.sqrt(b)) ** 2 / 2,), "AM-GM")


def _proof_min_le() -> list[str]:
    a = sp.Symbol("a", real=True)
    d = sp.Symbol("d", nonnegative=True)
    # two cases cover every real pair: b = a + d (a ≤ b) and b = a − d (b ≤ a); SymPy evaluates the Min
    return _check_certificate(a + d - sp.Min(a, a + d), (d,), "b = a + d") + _check_certificate(
        (a - d) - sp.Min(a, a - d), (sp.S.Zero,), "b = a − d"
    )


def _proof_cos_le_one() -> list[str]:
    x = sp.Symbol("x", real=True)
    return _check_certificate(1 - sp.cos(x), (2 * sp.sin(x / 2) ** 2,), "1 − cos x = 2 sin²(x/2)", simplify=True)


def _proof_sqrt_monotone() -> list[str]:
    x, d = sp.Symbol("x", positive=True), sp.Symbol("d", nonnegative=True)
    # y = x + d; two cases cover x ≥ 0: x > 0, and x = 0 (where √y − √x = √d)
    return _check_certificate(
        sp.sqrt(x + d) - sp.sqrt(x), (d / (sp.sqrt(x) + sp.sqrt(x + d)),), "√y − √x = (y − x)/(√x + √y)", simplify=True
    ) + _check_certificate(sp.sqrt(d) - sp.sqrt(0), (sp.sqrt(d),), "x = 0")


def _proof_log_monotone() -> list[str]:
    x, d = sp.Symbol("x", positive=True), sp.Symbol("d", nonnegative=True)
    return _check_certificate(
        sp.log(x + d) - sp.log(x), (sp.log(1 + d / x),), "log y − log x = log(y/x)", simplify=True
    )


def _check_certificate(gap: sp.Basic, terms: Sequence[sp.Basic], what: str, *, simplify: bool = False) -> list[str]:
    """Problems with ``gap = Σ terms, each term >= 0`` ([] = proved). ``simplify``: the identity
    may also be shown by the kernel's simplify tier or ``expand_log`` (both identity-preserving)."""
    from .stepcheck import Status, prove_by_simplify

    problems = [f"{what}: term {sp.sstr(t)} is not shown nonnegative" for t in terms if not _nonneg(t)]
    total = sp.Add(*terms)
    same = _equal(gap, total, matrix=False)
    if not same and simplify:
        same = sp.expand_log(gap - total) == 0 or prove_by_simplify(gap - total)[0] is Status.PROVED
    if not same:
        problems.append(f"{what}: the rewrite is not proved to be an identity")
    return problems


HLP = "Hardy, Littlewood & Pólya, Inequalities (2nd ed., 1952)"
RUDIN = "Rudin, Principles of Mathematical Analysis (3rd ed., 1976)"
GKP = "Graham, Knuth & Patashnik, Concrete Mathematics (2nd ed., 1994)"
HJ = "Horn & Johnson, Matrix Analysis (2nd ed., 2013)"

_LEMMAS = (
    Lemma(
        "square-nonneg",
        "0 ≤ x² for real x",
        ("x",),
        lambda e: (sp.S.Zero, e["x"] ** 2),
        lambda e: (Condition("x real", e["x"], "real"),),
        "x² is nonnegative for real x by SymPy's assumptions",
        _proof_square_nonneg,
    ),
    Lemma(
        "square-monotone",
        "x² ≤ y² for 0 ≤ x ≤ y",
        ("x", "y"),
        lambda e: (e["x"] ** 2, e["y"] ** 2),
        lambda e: (Condition("x >= 0", e["x"]), Condition("x <= y", e["y"] - e["x"])),
        "certificate: y² − x² = (y − x)(y + x), a product of nonnegative factors",
        _proof_square_monotone,
    ),
    Lemma(
        "triangle",
        "|a + b| ≤ |a| + |b|",
        ("a", "b"),
        lambda e: (sp.Abs(e["a"] + e["b"]), sp.Abs(e["a"]) + sp.Abs(e["b"])),
        lambda e: (),
        f"{RUDIN}, Thm 1.33(e)",
    ),
    Lemma(
        "sum-triangle",
        "|Σ_{i=lo}^{hi} f| ≤ Σ_{i=lo}^{hi} |f| for hi ≥ lo − 1",
        ("f", "i", "lo", "hi"),
        lambda e: (sp.Abs(_sum(e, e["f"])), _sum(e, sp.Abs(e["f"]))),
        lambda e: _range_meta(e),
        f"the triangle inequality by induction on the number of terms, {RUDIN}, Thm 1.33(e); "
        "hi ≥ lo − 1 excludes SymPy's reversed-range (Karr) sums, which are negated",
    ),
    Lemma(
        "sum-monotone",
        "Σ_{i=lo}^{hi} f ≤ Σ_{i=lo}^{hi} g when f ≤ g for every i in lo..hi, hi ≥ lo − 1",
        ("f", "g", "i", "lo", "hi"),
        lambda e: (_sum(e, e["f"]), _sum(e, e["g"])),
        lambda e: _range_meta(e) + (Condition("f <= g", e["g"] - e["f"], over=_over(e)),),
        f"monotonicity of finite sums, {GKP}, ch. 2",
    ),
    Lemma(
        "term-le-sum",
        "f(k) ≤ Σ_{i=lo}^{hi} f(i) when f ≥ 0 on lo..hi and lo ≤ k ≤ hi",
        ("f", "i", "lo", "hi", "k"),
        lambda e: (_at(e["f"], e["i"], e["k"]), _sum(e, e["f"])),
        lambda e: (
            _range_meta(e)
            + (
                Condition("k is an integer", e["k"], "integer"),
                Condition("lo <= k", e["k"] - e["lo"]),
                Condition("k <= hi", e["hi"] - e["k"]),
                Condition("f >= 0", e["f"], over=_over(e)),
            )
        ),
        f"the other terms are nonnegative, {GKP}, ch. 2",
    ),
    Lemma(
        "sum-squares-le-square-sum",
        "Σ f² ≤ (Σ f)² when f ≥ 0 on lo..hi, hi ≥ lo − 1",
        ("f", "i", "lo", "hi"),
        lambda e: (_sum(e, e["f"] ** 2), _sum(e, e["f"]) ** 2),
        lambda e: _range_meta(e) + (Condition("f >= 0", e["f"], over=_over(e)),),
        f"(Σ f)² = Σ f² + 2 Σ_{{j<k}} f_j f_k, {GKP}, ch. 2",
    ),
    Lemma(
        "newton-e3",
        "0 ≤ (Σ f)³ − 3(Σ f)(Σ f²) + 2 Σ f³ (= 6 e₃ ≥ 0) when f ≥ 0 on lo..hi, hi ≥ lo − 1",
        ("f", "i", "lo", "hi"),
        lambda e: (
            sp.S.Zero,
            _sum(e, e["f"]) ** 3 - 3 * _sum(e, e["f"]) * _sum(e, e["f"] ** 2) + 2 * _sum(e, e["f"] ** 3),
        ),
        lambda e: _range_meta(e) + (Condition("f >= 0", e["f"], over=_over(e)),),
        "Newton's identity 6e₃ = p₁³ − 3p₁p₂ + 2p₃, Macdonald, Symmetric Functions and Hall "
        "Polynomials (2nd ed., 1995), ch. I §2 (Newton's formulas); e₃ sums products of nonnegative terms",
    ),
    Lemma(
        "cauchy-schwarz",
        "(Σ f g)² ≤ (Σ f²)(Σ g²) for real f, g, hi ≥ lo − 1",
        ("f", "g", "i", "lo", "hi"),
        lambda e: (_sum(e, e["f"] * e["g"]) ** 2, _sum(e, e["f"] ** 2) * _sum(e, e["g"] ** 2)),
        lambda e: (
            _range_meta(e)
            + (Condition("f real", e["f"], "real", over=_over(e)), Condition("g real", e["g"], "real", over=_over(e)))
        ),
        "Steele, The Cauchy–Schwarz Master Class (2004), ch. 1",
    ),
    Lemma(
        "product-monotone",
        "Π_{i=lo}^{hi} f ≤ Π_{i=lo}^{hi} g when 0 ≤ f ≤ g on lo..hi, hi ≥ lo − 1",
        ("f", "g", "i", "lo", "hi"),
        lambda e: (sp.Product(e["f"], _over(e)), sp.Product(e["g"], _over(e))),
        lambda e: (
            _range_meta(e)
            + (Condition("f >= 0", e["f"], over=_over(e)), Condition("f <= g", e["g"] - e["f"], over=_over(e)))
        ),
        f"induction on the number of factors, {HLP}, ch. II",
    ),
    Lemma(
        "cos-le-one",
        "cos x ≤ 1 for real x",
        ("x",),
        lambda e: (sp.cos(e["x"]), sp.S.One),
        lambda e: (Condition("x real", e["x"], "real"),),
        "certificate: 1 − cos x = 2 sin²(x/2) (identity by simplify)",
        _proof_cos_le_one,
    ),
    Lemma(
        "abs-tanh-le-one",
        "|tanh x| ≤ 1 for real x",
        ("x",),
        lambda e: (sp.Abs(sp.tanh(e["x"])), sp.S.One),
        lambda e: (Condition("x real", e["x"], "real"),),
        "certificates 1 ∓ tanh x = 2e^{∓x}/(e^x + e^{−x}) > 0",
        _proof_abs_tanh,
    ),
    Lemma(
        "sigmoid-prime-le-quarter",
        "σ(x)(1 − σ(x)) ≤ 1/4 for real x, σ(x) = 1/(1 + e^{−x})",
        ("x",),
        lambda e: (_sigmoid(e["x"]) * (1 - _sigmoid(e["x"])), sp.Rational(1, 4)),
        lambda e: (Condition("x real", e["x"], "real"),),
        "certificate: 1/4 − σ(1 − σ) = (σ − 1/2)²",
        _proof_sigmoid_prime,
    ),
    Lemma(
        "sqrt-monotone",
        "√x ≤ √y for 0 ≤ x ≤ y",
        ("x", "y"),
        lambda e: (sp.sqrt(e["x"]), sp.sqrt(e["y"])),
        lambda e: (Condition("x >= 0", e["x"]), Condition("x <= y", e["y"] - e["x"])),
        "cases x > 0: √y − √x = (y − x)/(√x + √y) (identity by simplify), and x = 0",
        _proof_sqrt_monotone,
    ),
    Lemma(
        "exp-monotone",
        "e^x ≤ e^y for real x ≤ y",
        ("x", "y"),
        lambda e: (sp.exp(e["x"]), sp.exp(e["y"])),
        lambda e: (
            Condition("x real", e["x"], "real"),
            Condition("y real", e["y"], "real"),
            Condition("x <= y", e["y"] - e["x"]),
        ),
        f"{RUDIN}, Thm 8.6 (exp is increasing)",
    ),
    Lemma(
        "log-monotone",
        "log x ≤ log y for 0 < x ≤ y",
        ("x", "y"),
        lambda e: (sp.log(e["x"]), sp.log(e["y"])),
        lambda e: (Condition("x > 0", e["x"], "positive"), Condition("x <= y", e["y"] - e["x"])),
        "certificate: log y − log x = log(1 + (y − x)/x) ≥ 0 (identity by expand_log / simplify)",
        _proof_log_monotone,
    ),
    Lemma(
        "am-gm",
        "√(xy) ≤ (x + y)/2 for x, y ≥ 0",
        ("x", "y"),
        lambda e: (sp.sqrt(e["x"] * e["y"]), (e["x"] + e["y"]) / 2),
        lambda e: (Condition("x >= 0", e["x"]), Condition("y >= 0", e["y"])),
        "certificate: (x + y)/2 − √(xy) = (√x − √y)²/2",
        _proof_am_gm,
    ),
    Lemma(
        "min-le",
        "min(a, b) ≤ b for real a, b (min is symmetric: min(a, b) ≤ a is min-le with a, b swapped)",
        ("a", "b"),
        lambda e: (sp.Min(e["a"], e["b"]), e["b"]),
        lambda e: (Condition("a real", e["a"], "real"), Condition("b real", e["b"], "real")),
        "cases b = a + d and b = a − d (d ≥ 0), where SymPy evaluates the min",
        _proof_min_le,
    ),
    Lemma(
        "norm-reverse-triangle",
        "‖A‖ − ‖B‖ ≤ ‖A + B‖ (Euclidean/Frobenius norm, same shapes)",
        ("A", "B"),
        lambda e: (_norm(e["A"]) - _norm(e["B"]), _norm(e["A"] + e["B"])),
        lambda e: (Condition("A, B same shape", sp.Tuple(e["A"], e["B"]), "same-shape"),),
        f"the triangle inequality for A = (A + B) + (−B), {HJ}, §5.1",
    ),
    Lemma(
        "norm-triangle",
        "‖A + B‖ ≤ ‖A‖ + ‖B‖ (Euclidean/Frobenius norm, same shapes)",
        ("A", "B"),
        lambda e: (_norm(e["A"] + e["B"]), _norm(e["A"]) + _norm(e["B"])),
        lambda e: (Condition("A, B same shape", sp.Tuple(e["A"], e["B"]), "same-shape"),),
        f"{HJ}, §5.1 (the norm axioms) and §5.6 (Frobenius norm)",
    ),
    Lemma(
        "opnorm-submultiplicative",
        "‖AB‖₂ ≤ ‖A‖₂‖B‖₂ (spectral norm)",
        ("A", "B"),
        lambda e: (_opnorm(e["A"] * e["B"]), _opnorm(e["A"]) * _opnorm(e["B"])),
        lambda e: (Condition("A, B conformable", sp.Tuple(e["A"], e["B"]), "conformable"),),
        f"{HJ}, §5.6 (induced norms are submultiplicative)",
    ),
    Lemma(
        "norm-opnorm",
        "‖xA‖ ≤ ‖x‖‖A‖₂ (Euclidean norm of a row vector times a matrix)",
        ("x", "A"),
        lambda e: (_norm(e["x"] * e["A"]), _norm(e["x"]) * _opnorm(e["A"])),
        lambda e: (Condition("x, A conformable", sp.Tuple(e["x"], e["A"]), "conformable"),),
        f"{HJ}, §5.6 (definition of the induced norm)",
    ),
)


def _norm(m: sp.Basic) -> sp.Basic:
    from .matrices import Norm

    return Norm(m)


def _opnorm(m: sp.Basic) -> sp.Basic:
    from .matrices import OpNorm

    return OpNorm(m)


LIBRARY: dict[str, Lemma] = {lem.name: lem for lem in _LEMMAS}


def describe() -> list[str]:
    """One line per lemma (name, statement, proved or axiom with its reference), for README and proofs."""
    return [lem.describe() for lem in LIBRARY.values()] + [
        "`certificate`: b − a written as a sum of terms each nonnegative by SymPy's assumptions "
        "(or a lemma instance's gap, times a nonnegative coefficient); the rewrite is proved by the "
        "equality tiers"
    ]


def prove_lemma(name: str) -> list[str]:
    """Run the library's proof of lemma ``name``: the problems found ([] = proved). Axioms raise."""
    lem = LIBRARY[name]
    if lem.proof is None:
        raise LemmaError(f"{name} is an axiom ({lem.reference}); it has no proof to run")
    return lem.proof()


# ── the checker ───────────────────────────────────────────────────────────────────────────────
class _Undecided(Exception):
    """A proof object that does not prove its target; the message says why and how to fix it."""


@dataclass
class _Trace:
    rests_on: list[str] = field(default_factory=list)
    shown: list[sp.Basic] = field(default_factory=list)  # expressions whose sign/realness was used

    def rest(self, name: str) -> None:
        if name not in self.rests_on:
            self.rests_on.append(name)


def prove_inequality(
    a: sp.Basic,
    b: sp.Basic,
    relation: str,
    lemma: Any,
    *,
    sizes: Mapping[sp.Symbol, Sequence[int]] | None = None,
    pins: Mapping[sp.Symbol, int] | None = None,
    seed: int = 0,
) -> LinkResult | None:
    """Prove the step ``a relation b`` (``<=``/``>=``) from ``lemma``, a :class:`LemmaUse` or
    :class:`Certificate`: PROVED (method "lemma") with its trust base, else UNDECIDED with the
    reason. None when no proof object is given. Never raises on malformed input.

    ``sizes``/``pins``: the certificate's identity is also checked at the concrete sizes (a
    cross-check of the sum normalizer, as for "=" steps). ``seed`` is unused (kept for the
    signature shared with the other tiers).
    """
    from .stepcheck import LinkResult, Status

    if lemma is None:
        return None
    if isinstance(lemma, str):
        return LinkResult(Status.UNDECIDED, "none", f"{NAME_NOT_PROOF} (got the name {lemma!r})")
    if relation not in ("<=", ">="):
        return LinkResult(
            Status.UNDECIDED,
            "none",
            f"relation {relation!r} is not an inequality; lemmas and certificates prove '<=' or '>=' "
            "steps (strict '<'/'>' steps are not supported: state the non-strict bound)",
        )
    if not isinstance(lemma, (LemmaUse, Certificate)):
        return LinkResult(
            Status.UNDECIDED,
            "none",
            f"{type(lemma).__name__} {lemma!r} is not a proof object; cite a LemmaUse or give a Certificate",
        )
    lo, hi = (a, b) if relation == "<=" else (b, a)
    trace = _Trace()
    try:
        matrix = _has_matrices(a) or _has_matrices(b)
        total = _prove_gap(hi - lo, lemma, trace, matrix=matrix)
        if sizes and not matrix:
            _cross_check_sizes(hi - lo, total, sizes, pins or {})
    except (_Undecided, LemmaError) as exc:
        return LinkResult(Status.UNDECIDED, "none", f"{lemma}: {exc}")
    except Exception as exc:  # SymPy raises assorted internal errors on odd input: undecided, not a crash
        return LinkResult(Status.UNDECIDED, "none", f"{lemma}: SymPy failed: {type(exc).__name__}: {exc}")
    return LinkResult(
        Status.PROVED,
        "lemma",
        f"{lemma}; side conditions shown",
        rests_on=tuple(trace.rests_on),
        assumptions=_assumptions(trace.shown),
    )


def _prove_gap(gap: sp.Basic, proof: Any, trace: _Trace, *, matrix: bool) -> sp.Basic:
    """Show ``gap >= 0`` with ``proof``; returns the certified expression equal to ``gap``."""
    if isinstance(proof, str):
        raise _Undecided(NAME_NOT_PROOF + f" (got the name {proof!r})")
    if isinstance(proof, LemmaUse):
        lo, hi = _instance(proof, trace, matrix=matrix)
        value = hi - lo
        if not _equal(gap, value, matrix=matrix):
            raise _Undecided(
                f"the instance proves {sp.sstr(lo)} <= {sp.sstr(hi)}, whose gap {sp.sstr(value)} is not "
                f"proved equal to the step's gap {sp.sstr(gap)} (upper side minus lower side). Bind the "
                "metavariables to the step's own expressions, or wrap the instance in a Certificate "
                "(c, LemmaUse(...)) plus nonnegative terms for the rest"
            )
        return value
    if isinstance(proof, Certificate):
        if not proof.terms:
            raise _Undecided("an empty certificate proves only 0 <= 0")
        parts = []
        for t in proof.terms:
            if isinstance(t, LemmaUse):
                lo, hi = _instance(t, trace, matrix=matrix)
                parts.append(hi - lo)
            elif isinstance(t, tuple):
                coef, use = t
                if not _nonneg(coef, trace):
                    raise _Undecided(
                        f"coefficient {sp.sstr(coef)} is not shown nonnegative by SymPy's assumptions "
                        f"({_sign(coef)}); declare the symbols' signs or factor it"
                    )
                lo, hi = _instance(use, trace, matrix=matrix)
                parts.append(coef * (hi - lo))
            else:
                if not _nonneg(t, trace):
                    raise _Undecided(
                        f"term {sp.sstr(t)} is not shown nonnegative by SymPy's assumptions "
                        f"({_sign(t)}); write it as a product/sum of squares, exp, Abs "
                        "and symbols declared nonnegative, or as a lemma instance's gap"
                    )
                parts.append(t)
        total = sp.Add(*parts)
        if not _equal(gap, total, matrix=matrix):
            raise _Undecided(
                f"the rewrite is not proved: step gap {sp.sstr(gap)} versus the sum of the terms "
                f"{sp.sstr(total)}; the equality tiers could not show they are the same expression"
            )
        trace.rest(CERTIFICATE_RULE)
        return total
    raise _Undecided(f"{type(proof).__name__} {proof!r} is not a proof object; use a LemmaUse or a Certificate")


def _instance(use: LemmaUse, trace: _Trace, *, matrix: bool) -> tuple[sp.Basic, sp.Basic]:
    """The conclusion (L, R) of a lemma instance whose side conditions are all shown."""
    lem = LIBRARY.get(use.name)
    if lem is None:
        known = ", ".join(sorted(LIBRARY))
        raise LemmaError(f"unknown lemma {use.name!r}; the library has: {known}")
    env = {**{k: sp.sympify(v) for k, v in lem.defaults.items()}, **use.env}
    missing = [v for v in lem.metavars if v not in env]
    extra = [v for v in env if v not in lem.metavars]
    if missing or extra:
        raise LemmaError(
            f"lemma {lem.name!r} ({lem.statement}) has metavariables {', '.join(lem.metavars)}; "
            f"missing: {missing or 'none'}, unknown: {extra or 'none'}"
        )
    given = dict(use.given)
    unknown = [k for k in given if k not in {c.name for c in lem.conditions(env)}]
    if unknown:
        names = [c.name for c in lem.conditions(env)]
        raise LemmaError(
            f"lemma {lem.name!r}: given proofs for unknown conditions {unknown}; its conditions are {names}"
        )
    for cond in lem.conditions(env):
        _discharge(lem, cond, given.get(cond.name), trace, matrix=matrix)
    trace.rest(f"{'axiom' if lem.axiom else 'lemma'} {lem.name}")
    return lem.conclusion(env)


def _discharge(lem: Lemma, cond: Condition, proof: Any, trace: _Trace, *, matrix: bool) -> None:
    """Show one side condition, or raise _Undecided naming it and saying how to fix it."""
    expr = cond.expr
    where = ""
    if cond.over is not None:
        index, lo, hi = cond.over
        fresh = _range_symbol(index, lo)
        expr = expr.xreplace({index: fresh})
        proof = map_proof(proof, lambda e: e.xreplace({index: fresh}))
        where = f" for every {index} in {lo}..{hi}"
    kind = cond.kind
    ok: bool
    if kind == "symbol":
        ok = isinstance(expr, sp.Symbol) and expr.is_integer is True
    elif kind == "integer":
        ok = getattr(expr, "is_integer", None) is True
    elif kind == "real":
        ok = getattr(expr, "is_real", None) is True  # real implies finite in SymPy
        if ok:
            trace.shown.append(expr)
    elif kind == "same-shape":
        x, y = expr.args
        ok = getattr(x, "shape", None) is not None and x.shape == getattr(y, "shape", None)
    elif kind == "conformable":
        x, y = expr.args
        ok = (
            getattr(x, "shape", None) is not None and getattr(y, "shape", None) is not None and x.shape[1] == y.shape[0]
        )
    elif kind == "positive":
        ok = _nonneg(expr, trace, strict=True)
    else:
        ok = _nonneg(expr, trace)
        if not ok and proof is not None:
            try:
                _prove_gap(expr, proof, trace, matrix=matrix)
            except _Undecided as exc:
                raise _Undecided(
                    f"side condition {cond.name!r} of lemma {lem.name!r}{where}: given proof fails: {exc}"
                ) from None
            ok = True
    if not ok:
        hint = {
            "symbol": "bind the summation index to a Symbol declared integer=True",
            "integer": "use integer limits (Symbols declared integer=True or integer literals)",
            "real": "declare the symbols real=True (or positive/nonnegative)",
            "positive": "declare the symbols positive=True; a strict condition cannot be given by a certificate",
        }.get(kind, f"declare the symbols' signs, or pass given={{{cond.name!r}: Certificate(...) or LemmaUse(...)}}")
        need = {
            "symbol": f"{sp.sstr(expr)} must be an integer Symbol",
            "integer": f"{sp.sstr(expr)} must be an integer (is_integer = {getattr(expr, 'is_integer', None)})",
            "real": f"{sp.sstr(expr)} must be real (is_real = {getattr(expr, 'is_real', None)})",
            "positive": f"need {sp.sstr(expr)} > 0 (SymPy says {_sign(expr)})",
        }.get(kind, f"need {sp.sstr(expr)} >= 0 (SymPy says {_sign(expr)})")
        raise _Undecided(f"side condition {cond.name!r} of lemma {lem.name!r} is not shown{where}: {need}. {hint}")


def _range_symbol(index: sp.Basic, lo: sp.Basic) -> sp.Dummy:
    """A fresh integer symbol for 'every index in lo..hi': it knows only what the range implies
    (not the index's own declared sign, which a reversed or negative range may contradict)."""
    signs: dict[str, bool] = {}
    if (lo - 1).is_nonnegative:
        signs["positive"] = True
    elif lo.is_nonnegative:
        signs["nonnegative"] = True
    return sp.Dummy(str(index), integer=True, **signs)


def _sign(expr: sp.Basic) -> str:
    try:
        return f"is_nonnegative = {expr.is_nonnegative}, is_positive = {expr.is_positive}"
    except Exception as exc:  # noqa: BLE001 - report, never crash
        return f"assumptions failed: {type(exc).__name__}"


def _nonneg(expr: sp.Basic, trace: _Trace | None = None, *, strict: bool = False) -> bool:
    """``expr >= 0`` (``> 0``) by SymPy's assumptions, on the expression or a sound rewrite of it
    (``together``, ``factor``). No other reasoning: what SymPy does not show is not shown."""
    if not isinstance(expr, sp.Expr) or expr.has(sp.Float) or getattr(expr, "is_Matrix", False):
        return False
    for form in _forms(expr):
        try:
            ok = form.is_positive if strict else form.is_nonnegative
            finite = form.is_finite
        except Exception:  # noqa: BLE001 - assumption queries can raise on odd input
            continue
        if ok is True and finite is not False:
            if trace is not None:
                trace.shown.append(expr)
            return True
    return False


def _forms(expr: sp.Expr) -> list[sp.Expr]:
    out = [expr]
    for rewrite in (sp.together, sp.factor):
        try:
            out.append(rewrite(expr))
        except Exception:  # noqa: BLE001 - a rewrite that fails is skipped
            continue
    return out


def _equal(x: sp.Basic, y: sp.Basic, *, matrix: bool) -> bool:
    """``x == y`` proved: the kernel's equality tiers, else a canonical form (bound indices
    renamed canonically, linearity of Σ, |ab| = |a||b|, constants out of Π), then expand."""
    from .stepcheck import Status, prove_equal

    if matrix:
        from . import matrices

        try:
            return bool(matrices.prove_equal(x, y))
        except Exception:  # noqa: BLE001
            return False
    try:
        if prove_equal(x, y)[0] is Status.PROVED:
            return True
    except Exception:  # noqa: BLE001 - a tier that crashes proves nothing
        pass
    try:
        diff = sp.expand(_canon(x) - _canon(y))
        return diff == 0 or sp.cancel(sp.together(diff)) == 0
    except Exception:  # noqa: BLE001
        return False


def _canon(expr: sp.Basic) -> sp.Basic:
    """A sound canonical form for matching: every rule is an identity."""
    if not isinstance(expr, sp.Basic) or not expr.args:
        return expr
    args = [_canon(a) for a in expr.args] if not isinstance(expr, (sp.Sum, sp.Product)) else None
    if isinstance(expr, sp.Abs):
        (inner,) = args
        if isinstance(inner, sp.Mul):
            return sp.Mul(*[sp.Abs(f) for f in inner.args])
        return sp.Abs(inner)
    if isinstance(expr, sp.Sum):
        return _canon_sum(expr)
    if isinstance(expr, sp.Product):
        return _canon_product(expr)
    return expr.func(*args) if args != list(expr.args) else expr


def _canon_sum(s: sp.Sum) -> sp.Basic:
    """Linearity of Σ; a constant summand counts its terms, c·(hi − lo + 1), only where the range is
    provably of length >= 0 (for a reversed range that is Karr's convention, not the empty sum 0)."""
    body = _canon(s.function)
    for index, lo, hi in s.limits:  # innermost first
        count = sp.expand(hi - lo + 1)
        counted = count.is_integer is True and count.is_nonnegative is True
        total = sp.S.Zero
        for term in sp.Add.make_args(sp.expand(body)):
            coeff, dep = term.as_independent(index, as_Add=False)
            if dep == 1 and counted:
                total += coeff * count
            else:
                total += coeff * sp.Sum(dep, (index, lo, hi)).as_dummy()
        body = total
    return body


def _canon_product(p: sp.Product) -> sp.Basic:
    body = _canon(p.function)
    for index, lo, hi in p.limits:
        count = hi - lo + 1
        coeff, dep = body.as_independent(index, as_Add=False) if isinstance(body, sp.Mul) else (sp.S.One, body)
        if coeff != 1 and count.is_integer is True and count.is_nonnegative is True:
            body = coeff**count * (sp.Product(dep, (index, lo, hi)).as_dummy() if dep != 1 else 1)
        else:
            body = sp.Product(body, (index, lo, hi)).as_dummy()
    return body


def _has_matrices(expr: sp.Basic) -> bool:
    from .matrices import has_matrices

    return has_matrices(expr)


def _cross_check_sizes(gap: sp.Basic, total: sp.Basic, sizes: Mapping, pins: Mapping) -> None:
    """The certified identity at the concrete sizes too (a cross-check of the sum normalizer)."""
    from .stepcheck import concretize
    from .sums import has_sums

    if not (has_sums(gap) or has_sums(total)):
        return
    (size_sym, values), *_ = sizes.items()
    for v in values:
        a, b = concretize(gap, {size_sym: v}, pins), concretize(total, {size_sym: v}, pins)
        diff = _canon(a) - _canon(b)  # no Sum is left: only |ab| = |a||b| matters here
        if not (diff == 0 or sp.cancel(sp.together(diff)) == 0 or sp.expand(diff) == 0):
            raise _Undecided(
                f"the identity step gap = {sp.sstr(total)} was proved for symbolic {size_sym} but does "
                f"not cancel at {size_sym} = {v}: a normalizer or lemma bug; report it, and do not trust this step"
            )


def _assumptions(exprs: Sequence[sp.Basic]) -> tuple[str, ...]:
    """Readable symbol assumptions the shown signs rested on: "sigma >= 0", "x real", "p[·] > 0"."""
    out: dict[str, None] = {}
    for e in exprs:
        atoms = e.atoms(sp.Symbol, sp.Indexed) if isinstance(e, sp.Basic) else set()
        labels = {x.base.label for x in atoms if isinstance(x, sp.Indexed)}
        for x in sorted(atoms, key=str):
            if isinstance(x, sp.Dummy) or x in labels:
                continue
            if isinstance(x, sp.Indexed):
                name, x = f"{x.base.label}[·]", x.base.label
                if not isinstance(x, sp.Symbol):
                    continue
            else:
                name = str(x)
            word = _assumption_word(x)
            if word:
                out[f"{name} {word}"] = None
    return tuple(out)


def _assumption_word(x: sp.Symbol) -> str:
    """The strongest sign/realness SymPy knows of ``x``, as a reader writes it."""
    prefix = "integer " if x.is_integer else ""
    for attr, word in (
        ("is_positive", "> 0"),
        ("is_nonnegative", ">= 0"),
        ("is_negative", "< 0"),
        ("is_nonpositive", "<= 0"),
    ):
        if getattr(x, attr):
            return prefix + word
    return "integer" if x.is_integer else ("real" if x.is_real else "")
