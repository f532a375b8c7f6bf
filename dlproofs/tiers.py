"""The proving tiers of the step checker as declared units with a stated trust base (issue 9).

Each tier says what it can prove, what it refuses and under which conditions its "proved" is
sound (``trusts``, quoted in README "What proved means here"), which expressions it applies to
(``applies``), and whether it is cheap (tried before the refutation search) or expensive (after).
:func:`dlproofs.stepcheck.check_link` walks :data:`TIERS` in order; selecting a tier is data,
not an if-chain. A tier's ``prove`` returns a proved :class:`~dlproofs.stepcheck.LinkResult`
or None (not proved by this tier); it never refutes and never returns "undecided" itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import sympy as sp

from . import matrices
from .errors import NotNormalizableError
from .matrices import has_matrices
from .stepcheck import (
    SIMPLIFY_SECONDS,
    LinkResult,
    Status,
    _is_zero_exact,
    _provably_nonreversed,
    _time_limit,
    alpha_canonical,
)
from .sums import has_sums, normalize

__all__ = [
    "Tier",
    "Context",
    "TIERS",
    "OUTCOMES",
    "method_text",
    "EXACT",
    "SUMS",
    "TRIG",
    "INTEGRAL",
    "SIMPLIFY",
    "MATRIX",
    "trust_base",
]


@dataclass(kw_only=True)
class Context:
    """What a tier may use besides the two sides: the derivation's sizes and pins, the seed, and
    notes a tier leaves for a later one (e.g. why the sum normalizer refused)."""

    sizes: Mapping[sp.Symbol, Sequence[int]] = field(default_factory=dict)
    pins: Mapping[sp.Symbol, int] = field(default_factory=dict)
    seed: int = 0
    notes: list[str] = field(default_factory=list)


@runtime_checkable
class Tier(Protocol):
    """One proving tier: a name, its trust base in words, where it applies, and ``prove``."""

    name: str
    rule: str  # the rule name a proved link rests on (LinkResult.rests_on)
    trusts: str  # README text: what it proves, what it refuses, its soundness conditions
    shows: str  # what a step it proved says in a proof, e.g. "proved symbolically (simplify)"
    expensive: bool  # tried only after the refutation search found nothing

    def applies(self, a: sp.Basic, b: sp.Basic) -> bool: ...

    def prove(self, a: sp.Basic, b: sp.Basic, ctx: Context) -> LinkResult | None: ...


EXACT_RULE = "exact: rational normalisation (cancel/together, radicands factored)"
ALPHA_RULE = "exact: renaming bound indices (alpha-equivalence)"
SUMS_RULE = "sums: power-sum normal form (dlproofs.sums)"
SUMS_DERIVATIVE_RULE = "sums: ∂/∂x[k] through power sums, k proved in range"
EXP_TWIN_RULE = "sums: exp twins exp(n·c·z[i]) = E_c(z)[i]^n (dlproofs.expsums)"
SIMPLIFY_RULE = f"simplify (SymPy, {SIMPLIFY_SECONDS:g} s guard)"
TRIG_RULE = "trig: angle-sum expansion, reduction modulo sin² + cos² = 1 (dlproofs.trig)"
INTEGRAL_RULE = "doit: definite integrals evaluated by SymPy"
MATRIX_RULE = "matrix: normal form (expand + doit, dlproofs.matrices)"


@dataclass(frozen=True)
class ExactTier:
    name: str = "exact"
    rule: str = EXACT_RULE
    expensive: bool = False
    shows: str = "proved symbolically (exact rational normalisation)"
    trusts: str = (
        "**exact** proves `a = b` when `cancel(together(a − b))` is 0, after factoring the radicand of "
        "every fractional power (so `√(a²X) → a√X` only where SymPy's assumptions make `a` positive). "
        "Sums and products it treats as opaque atoms, equal only when they are identical up to "
        "renaming their bound indices (alpha-equivalence). It trusts SymPy's rational-function "
        "arithmetic and its assumption system (symbol assumptions a proof needs are listed with the "
        "step). It refuses matrices and any floating-point literal (the whole link is undecided: "
        "write `Rational`)."
    )

    def applies(self, a: sp.Basic, b: sp.Basic) -> bool:
        return not (has_matrices(a) or has_matrices(b))

    def prove(self, a: sp.Basic, b: sp.Basic, ctx: Context) -> LinkResult | None:
        if _is_zero_exact(a - b):
            return LinkResult(Status.PROVED, "exact", "cancel(together(lhs - rhs)) == 0", rests_on=(self.rule,))
        if (a.has(sp.Sum, sp.Product, sp.Integral) or b.has(sp.Sum, sp.Product, sp.Integral)) and _is_zero_exact(
            alpha_canonical(a) - alpha_canonical(b)
        ):
            detail = "bound indices renamed canonically, then cancel(together(lhs - rhs)) == 0"
            return LinkResult(Status.PROVED, "exact", detail, rests_on=(self.rule, ALPHA_RULE))
        return None


@dataclass(frozen=True)
class SumsTier:
    name: str = "sums"
    rule: str = SUMS_RULE
    expensive: bool = False
    shows: str = "proved symbolically for symbolic size (power-sum normal form)"
    trusts: str = (
        "**sums** rewrites every `Sum(body, (i, lo, hi))` into power-sum atoms (one per monomial "
        "`∏ x[i]^e` and range, keyed by structure, never by printed name) and then decides the "
        "rational identity exactly. It refuses (undecided) any body that is not a polynomial in "
        "entries indexed by `i` alone, ranges not provably of length ≥ 0 (`hi − lo + 1` an integer "
        "≥ 0 by the symbols' assumptions: SymPy's reversed-range convention is not an empty sum), "
        "ranges that depend on an outer index, and `∂/∂x[k]` of a sum unless `lo ≤ k ≤ hi` is "
        "proved from assumptions or a declared `Index(k, lo, hi)` premise (listed with the step). "
        "`exp(n·c·z[i])` becomes a twin entry `E[i]^n`, positive only when `c·z[i]` is provably real."
    )

    def applies(self, a: sp.Basic, b: sp.Basic) -> bool:
        return (has_sums(a) or has_sums(b)) and not (has_matrices(a) or has_matrices(b))

    def prove(self, a: sp.Basic, b: sp.Basic, ctx: Context) -> LinkResult | None:
        diff = a - b
        try:
            normal = normalize(diff)
        except NotNormalizableError as exc:
            ctx.notes.append(f"sum normalizer refused: {exc}")
            return None
        if _is_zero_exact(normal):
            rests = [self.rule, EXACT_RULE]
            if any(isinstance(v, sp.Indexed) for d in diff.atoms(sp.Derivative) for v in d.variables):
                rests.append(SUMS_DERIVATIVE_RULE)
            if diff.has(sp.exp):
                rests.append(EXP_TWIN_RULE)
            return LinkResult(
                Status.PROVED,
                "sums",
                "power-sum normal form, then cancel(together(...)) == 0",
                rests_on=tuple(rests),
            )
        return None


def _scalar_difference(a: sp.Basic, b: sp.Basic, ctx: Context | None = None) -> sp.Expr | None:
    """a − b, in sum normal form when it has sums (None when the normalizer refuses, or when a
    product or sum is left whose range is not provably of length >= 0: ``doit``/``simplify``
    read a reversed range by Karr's convention, Π_{i=1}^{m−2} 2 = 2^(m−2), which is 1/2, not the
    empty product 1, at m = 1)."""
    diff = a - b
    if has_sums(diff):
        try:
            diff = normalize(diff)
        except NotNormalizableError:
            return None  # the sums tier already noted why
    unsure = [s for s in diff.atoms(sp.Sum, sp.Product) if not _provably_nonreversed(s)]
    if unsure:
        if ctx is not None:
            ctx.notes.append(
                f"{unsure[0]}: cannot prove that its range hi − lo + 1 is an integer >= 0, and SymPy's doit/simplify "
                "read a reversed range as the reciprocal product (minus the sum), Karr's convention, not as an empty "
                "one; declare the bounds' assumptions (integer, positive) or shift the range"
            )
        return None
    return diff


@dataclass(frozen=True)
class TrigTier:
    name: str = "trig"
    rule: str = TRIG_RULE
    expensive: bool = True
    shows: str = "proved symbolically (trigonometric normal form)"
    trusts: str = (
        "**trig** proves `a = b` when the deterministic normal form of `dlproofs.trig` reduces `a − b` to 0: "
        "`expand`/`expand_trig` (the addition theorems), each sin(u), cos(u) pair replaced by fresh "
        "symbols, the numerator reduced modulo `s² + c² − 1`. No time limit. It trusts those two "
        "identities and SymPy's polynomial remainder; tan/cot/sec/csc, inverse and hyperbolic functions "
        "are refused."
    )

    def applies(self, a: sp.Basic, b: sp.Basic) -> bool:
        return not (has_matrices(a) or has_matrices(b)) and (a.has(sp.sin, sp.cos) or b.has(sp.sin, sp.cos))

    def prove(self, a: sp.Basic, b: sp.Basic, ctx: Context) -> LinkResult | None:
        from .trig import trig_normal

        diff = _scalar_difference(a, b, ctx)
        if diff is not None and trig_normal(diff) == 0:
            detail = "angle-sum expansion, then reduction modulo sin² + cos² = 1"
            return LinkResult(Status.PROVED, "trig", detail, rests_on=(self.rule,))
        return None


@dataclass(frozen=True)
class IntegralTier:
    name: str = "doit"
    rule: str = INTEGRAL_RULE
    expensive: bool = True
    shows: str = "proved symbolically (integrals evaluated)"
    trusts: str = (
        "**doit** proves `a = b` with definite integrals by evaluating them (SymPy's `doit`), then "
        "`cancel(together(...)) == 0`, with erfc written as 1 − erf (its definition; SymPy's Gaussian "
        "integrals come out in erfc). It trusts SymPy's integration."
    )

    def applies(self, a: sp.Basic, b: sp.Basic) -> bool:
        return not (has_matrices(a) or has_matrices(b)) and (a.has(sp.Integral) or b.has(sp.Integral))

    def prove(self, a: sp.Basic, b: sp.Basic, ctx: Context) -> LinkResult | None:
        diff = _scalar_difference(a, b, ctx)
        if diff is not None and _is_zero_exact(diff.doit().rewrite(sp.erf)):
            detail = "integrals evaluated (doit), erfc written as 1 − erf, then cancel(together(...)) == 0"
            return LinkResult(Status.PROVED, "doit", detail, rests_on=(self.rule, EXACT_RULE))
        return None


@dataclass(frozen=True)
class SimplifyTier:
    name: str = "simplify"
    rule: str = SIMPLIFY_RULE
    expensive: bool = True
    shows: str = "proved symbolically (simplify)"
    trusts: str = (
        f"**simplify** proves `a = b` when SymPy's `simplify` returns 0 for `a − b` (after the sum "
        f"normal form, if there are sums); its {SIMPLIFY_SECONDS:g} s limit is a guard against a hang. "
        "It trusts `simplify` and the assumption system; a timeout or an internal error is undecided, "
        "never proved. Like **trig** and **doit** it refuses a sum or product whose range is not provably of "
        "length ≥ 0 (SymPy reads Π_{i=1}^{m−2} 2 as 2^(m−2), which is 1/2 at m = 1, Karr's convention, not the "
        "empty product 1)."
    )

    def applies(self, a: sp.Basic, b: sp.Basic) -> bool:
        return not (has_matrices(a) or has_matrices(b))

    def prove(self, a: sp.Basic, b: sp.Basic, ctx: Context) -> LinkResult | None:
        diff = _scalar_difference(a, b, ctx)
        if diff is None:
            return None
        try:
            with _time_limit(SIMPLIFY_SECONDS) as armed:
                if not armed:
                    ctx.notes.append("simplify is skipped outside the main thread (no time limit)")
                    return None
                if sp.simplify(diff) == 0:
                    detail = f"simplify(...) == 0 within {SIMPLIFY_SECONDS} s"
                    return LinkResult(Status.PROVED, "simplify", detail, rests_on=(self.rule,))
        except Exception as exc:  # noqa: BLE001 — _Timeout and SymPy's assorted internal errors
            ctx.notes.append(f"simplify did not decide: {type(exc).__name__} {exc}".strip())
        return None


@dataclass(frozen=True)
class MatrixTier:
    name: str = "matrix"
    rule: str = MATRIX_RULE
    expensive: bool = False
    shows: str = "proved symbolically for symbolic size (matrix normal form)"
    trusts: str = (
        "**matrix** proves identities over SymPy `MatrixSymbol`s of symbolic size (every width n, real "
        "entries). First an audit: every product has equal inner sizes and every sum equal shapes (sizes "
        "compared as polynomials, so n and m differ); traces, determinants, powers and inverses need square "
        "arguments; an inverse is used only for a matrix proved invertible (identity, `Perm`, a declared "
        "`Invertible` — a hypothesis listed with the proof —, or products, transposes, inverses and powers "
        "of those); SymPy's own eager cancellation of X⁻¹X is guarded. Then the normal form: the "
        "non-commutative MatAdd/MatMul algebra, (AB)ᵀ = BᵀAᵀ, ‖cM‖ = |c|·‖M‖, SymPy's trace and determinant "
        "rules, Pᵀ = P⁻¹ and the row-softmax permutation rule, and forward-mode differentials (dv = E, "
        "d(A + B), d(AB) = dA·B + A·dB, d(Xᵀ) = (dX)ᵀ, d(cM) = dc·M + c·dM, d(X⁻¹) = −X⁻¹dX X⁻¹, "
        "d φ∘u = diag(φ'∘u)du, d F(x) = J_F dx; a 1×1 product equals its transpose). A derivative without "
        "a rule is undecided. Every proved identity is re-checked at n = 1..4 with derivatives and inverses "
        "recomputed from explicit entries (`Matrix.jacobian`, `Matrix.inv`)."
    )

    def applies(self, a: sp.Basic, b: sp.Basic) -> bool:
        return has_matrices(a) or has_matrices(b)

    def prove(self, a: sp.Basic, b: sp.Basic, ctx: Context) -> LinkResult | None:
        proof = matrices.prove_link(a, b)  # audited by check_link; the rules it used, its hypotheses
        if not proof.proved:
            return None
        return LinkResult(
            Status.PROVED,
            "matrix",
            proof.detail,
            rests_on=proof.rests_on or (self.rule,),
            assumptions=proof.assumptions,
        )


EXACT, SUMS, SIMPLIFY, MATRIX = ExactTier(), SumsTier(), SimplifyTier(), MatrixTier()
TRIG, INTEGRAL = TrigTier(), IntegralTier()

#: The tiers for "=" links, in the order they are tried (cheap ones, then the refutation search,
#: then expensive ones). Each tier declares by ``applies`` which links it takes.
TIERS: tuple[Tier, ...] = (EXACT, SUMS, MATRIX, TRIG, INTEGRAL, SIMPLIFY)


#: What a proof says about a link no tier proved: an inequality proved by the lemma library, a
#: link refuted at a point, an undecided link (the methods of LinkResult that are not tiers).
OUTCOMES: Mapping[str, str] = {
    "lemma": "inequality proved by a checked lemma instance or certificate (dlproofs.lemmas)",
    "counterexample": "REFUTED at a point",
    "none": "UNDECIDED",
}


def method_text(method: str) -> str:
    """What a proof says about a link checked by ``method`` (LinkResult.method): the tier's own
    ``shows`` for a tier, :data:`OUTCOMES` otherwise; an unknown method is printed as it is."""
    for tier in TIERS:
        if tier.name == method:
            return tier.shows
    return OUTCOMES.get(method, method)


def trust_base() -> str:
    """The README paragraph: every tier's trust statement, in order."""
    return "\n".join(f"- {t.trusts}" for t in TIERS)
