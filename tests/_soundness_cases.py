"""Rows of the adversarial soundness suite (tests/test_soundness.py), one declarative row per case.

Three kinds of row:

- :class:`Chain`   a derivation ``lhs (rel) s1 (rel) s2 ...`` built with the public ``Derivation``/
  ``Step`` API and checked through ``check_claim`` as a claim recorded *proved*;
- :class:`Record`  a whole claim record (numeric checks, counterexamples, verdict settings);
- :class:`Bad`     a malformed input: a thunk that calls the public API.

Every row says *why* it is false (or true, or malformed), so a failure reads on its own.
Rows are data only: the requirements live in tests/test_soundness.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from dlproofs.claim import Claim, Counterexample, Derivation, Premise, Step, Verdict, Witness
from dlproofs.matrices import Differential, Jacobian, Norm, OpNorm

# ── symbols ───────────────────────────────────────────────────────────────────────────────────
m = sp.Symbol("m", integer=True, positive=True)
n = sp.Symbol("n", integer=True, positive=True)
t = sp.Symbol("t", integer=True, positive=True)
i, j, k, ll, s = sp.symbols("i j k l s", integer=True, positive=True)
N = sp.Symbol("N", integer=True, positive=True)
X, Y = sp.symbols("X Y", real=True)
a, b, c = sp.symbols("a b c", real=True)
p, q = sp.symbols("p q", positive=True)
sigma = sp.Symbol("sigma", real=True)
sigma_nn = sp.Symbol("sigma", nonnegative=True)
z_c = sp.Symbol("z")  # no assumptions: complex
x = sp.IndexedBase("x", real=True)
y = sp.IndexedBase("y", real=True)
g = sp.IndexedBase("g", real=True)
v = sp.IndexedBase("v", real=True)
d = sp.IndexedBase("d", real=True)  # a `where` abbreviation
A2 = sp.IndexedBase("A", real=True)  # two-index
xp = sp.IndexedBase("x", positive=True)  # same label as x, other assumptions
zc = sp.IndexedBase("z")  # complex entries
zr = sp.IndexedBase("z", real=True)
mu = sp.Symbol("mu", real=True)

nn = sp.Symbol("n", integer=True, positive=True)  # matrix sizes
mm = sp.Symbol("m", integer=True, positive=True)
A = sp.MatrixSymbol("A", nn, nn)
B = sp.MatrixSymbol("B", nn, nn)
C = sp.MatrixSymbol("C", nn, nn)
R = sp.MatrixSymbol("R", N, 2 * N)
u = sp.MatrixSymbol("u", nn, 1)
w = sp.MatrixSymbol("w", nn, 1)
E = sp.MatrixSymbol("E", nn, 1)
EA = sp.MatrixSymbol("E", nn, nn)
Xm = sp.MatrixSymbol("X", nn, nn)


def S(body: sp.Expr, index: sp.Symbol = i, lo: Any = 1, hi: Any = m) -> sp.Sum:
    return sp.Sum(body, (index, lo, hi))


def D(expr: sp.Expr, *wrt: sp.Basic) -> sp.Derivative:
    return sp.Derivative(expr, *wrt)


SIZES = {m: range(1, 5)}
PIN = {k: 1}


# ── row types ─────────────────────────────────────────────────────────────────────────────────
def _claim_id(row_id: str) -> str:
    return "adv." + row_id


@dataclass(frozen=True)
class Chain:
    """A derivation ``lhs (rel) s1 (rel) s2 ...`` recorded as a proved claim.

    ``steps`` are ``(expr, relation, lemma)``; ``bad`` is the index of the false link (its link
    must not pass), or None when only the claim as a whole is false (e.g. a size cross-check).
    """

    id: str
    lhs: Any
    steps: tuple[tuple[Any, str, Any], ...]
    why: str
    sizes: Mapping = field(default_factory=dict)
    pins: Mapping = field(default_factory=dict)
    where: tuple = ()
    bad: int | None = -1
    slow: bool = False

    def derivation(self) -> Derivation:
        steps = tuple(Step(e, rule="adversarial", why=self.why, relation=r, lemma=lem) for e, r, lem in self.steps)
        return Derivation(self.id, self.lhs, steps, sizes=dict(self.sizes), pins=dict(self.pins), where=self.where)

    def claim(self) -> Claim:
        return Claim(
            id=_claim_id(self.id),
            title=self.id,
            verdict=Verdict.PROVED,
            summary=self.why,
            derivations=(self.derivation(),),
        )


def eq(id: str, lhs: Any, rhs: Any, why: str, **kw: Any) -> Chain:
    return Chain(id, lhs, ((rhs, "=", None),), why, **kw)


def le(id: str, lhs: Any, rhs: Any, lemma: Any, why: str, **kw: Any) -> Chain:
    return Chain(id, lhs, ((rhs, "<=", lemma),), why, **kw)


def ge(id: str, lhs: Any, rhs: Any, lemma: Any, why: str, **kw: Any) -> Chain:
    return Chain(id, lhs, ((rhs, ">=", lemma),), why, **kw)


@dataclass(frozen=True)
class Record:
    """A whole claim; the computed verdict must not be ``forbidden`` (false rows) or must be
    ``expected``-or-undecided (true rows)."""

    id: str
    build: Callable[[], Claim]
    why: str
    verdict: Verdict = Verdict.PROVED  # false rows: forbidden; true rows: expected
    numeric: bool = True  # check_claim(..., numeric=...)
    slow: bool = False


@dataclass(frozen=True)
class Bad:
    """A malformed input: ``run`` calls the public API (and may build the record itself)."""

    id: str
    run: Callable[[], Any]
    why: str
    lenient: bool = False  # an exact reading exists (a Python int is an Integer): only a crash is wrong


def _claim(row_id: str, verdict: Verdict, **kw: Any) -> Claim:
    return Claim(id=_claim_id(row_id), title=row_id, verdict=verdict, summary=row_id, **kw)


def _cx(relation: sp.Basic, point: Mapping, description: str = "a counterexample") -> Counterexample:
    return Counterexample(description, relation=relation, point=point)


# ── numeric-check builders (torch imported lazily) ────────────────────────────────────────────
def _var_check(
    *,
    expected: str = "biased",
    cap: int | None = None,
    refs: bool = True,
    planted_same: bool = False,
    cases: Callable | None = None,
    ulps: float = 64,
    dtypes: tuple | None = None,
):
    """A CrossCheck of the variance of a 1-D batch: ``expected`` biased (true) or unbiased (wrong)."""
    import torch
    from hypothesis import strategies as st

    from dlproofs.numeric import CrossCheck, Tolerance
    from dlproofs.strategies import tensors

    def biased(case):
        return torch.as_tensor(case["x"].var(unbiased=False))

    def unbiased(case):
        return torch.as_tensor(case["x"].var(unbiased=True))

    want = biased if expected == "biased" else unbiased
    return CrossCheck(
        name="variance",
        cases=cases or (lambda: st.fixed_dictionaries({"x": tensors((4,))})),
        expected=want,
        references={"torch.var(unbiased=False)": biased} if refs else {},
        tolerance=Tolerance(ulps, "a variance of four numbers of size ≤ 1: a few roundings"),
        planted={"same as expected": want} if planted_same else {"unbiased": unbiased},
        cap=cap,
        **({} if dtypes is None else {"dtypes": dtypes}),
    )


def _true_variance_derivation() -> Derivation:
    """Σ(x_i − μ)²/m = Σx²/m − μ², μ = Σx/m: a true identity the sum tier proves."""
    mean = S(x[i]) / m
    return Derivation(
        "biased variance",
        S((x[i] - mean) ** 2) / m,
        (Step(S(x[i] ** 2) / m - mean**2, "expand", "expand the square and sum"),),
        sizes=SIZES,
    )


def _mc_check(factor: float):
    """Monte Carlo check of Var[q·k] = factor·d_k (q, k standard Gaussian, d_k = 16)."""
    import torch

    from dlproofs.montecarlo import Claimed, MonteCarloCheck, Population

    def draw(n_draws, gen):
        q_ = torch.randn(n_draws, 16, generator=gen, dtype=torch.float64)
        k_ = torch.randn(n_draws, 16, generator=gen, dtype=torch.float64)
        return (q_ * k_).sum(dim=1)

    pop = Population("Gaussian q, k; d_k = 16", {"d": 16}, draw, kappa=2.0 + 6.0 / 16)
    claimed = Claimed(lambda s_, prm: s_**2, lambda prm: factor * prm["d"], f"Var[q·k] = {factor}·d_k")
    return MonteCarloCheck(
        name="variance of q·k",
        claimed=claimed,
        populations={"default": (pop,), "thorough": (pop,)},
        statistic_text="X = (q·k)²",
    )


# ══ FALSE statements: never proved ═══════════════════════════════════════════════════════════
_mean = S(x[j], j) / m
FALSE_CHAINS: list[Chain] = [
    # ── indexed sums over symbolic m: ranges, empty sums, shifts, nesting ─────────────────────
    eq("sum-off-by-one-upper", S(x[i]), S(x[i], i, 1, m - 1), "drops x_m", sizes=SIZES),
    eq("sum-off-by-one-lower", S(x[i], i, 0, m), S(x[i]), "adds x_0", sizes=SIZES),
    eq("sum-count-minus-one", S(sp.Integer(1)), m - 1, "Σ_{i=1}^m 1 = m", sizes=SIZES),
    eq("sum-count-m-plus-one", S(sp.Integer(1), i, 0, m), m, "Σ_{i=0}^m 1 = m + 1", sizes=SIZES),
    eq(
        "empty-sum-m-minus-2",
        S(sp.Integer(1), i, 1, m - 2),
        m - 2,
        "at m = 1 the sum is empty (0), not −1; SymPy's Karr convention makes it −1",
        sizes=SIZES,
    ),
    eq(
        "empty-sum-m-minus-2-no-sizes",
        S(sp.Integer(1), i, 1, m - 2),
        m - 2,
        "false at m = 1 (empty sum is 0, m − 2 = −1); m is only declared positive",
    ),
    eq("empty-sum-times-c", S(c, i, 1, m - 2), (m - 2) * c, "at m = 1: 0 ≠ −c", sizes=SIZES),
    eq(
        "reversed-range-karr",
        S(sp.Integer(1), i, m, 1),
        2 - m,
        "a sum from m down to 1 is empty for m ≥ 2 (0 ≠ 2 − m); Karr's convention says 2 − m",
    ),
    eq(
        "reversed-range-x",
        S(x[i], i, m, 1),
        -S(x[i], i, 2, m - 1),
        "Σ_{i=m}^{1} x_i is empty for m ≥ 2 (m = 3: 0 ≠ −x₂); SymPy's Karr convention gives −Σ_{i=2}^{m−1} x_i",
    ),
    eq("shifted-index", S(x[i + 1]), S(x[i]), "x_2..x_{m+1} vs x_1..x_m", sizes=SIZES),
    eq("shifted-index-range", S(x[i + 1]), S(x[i], i, 2, m), "the shift needs upper limit m + 1", sizes=SIZES),
    eq("doubled-index", S(x[2 * i]), S(x[i]), "even entries only", sizes=SIZES),
    eq("double-range", S(x[i], i, 1, 2 * m), 2 * S(x[i]), "the second half is other entries", sizes=SIZES),
    eq("square-of-sum", S(x[i]) ** 2, S(x[i] ** 2), "cross terms", sizes=SIZES),
    eq("sum-of-products", S(x[i] * y[i]), S(x[i]) * S(y[i]) / m, "not a mean product", sizes=SIZES),
    eq("double-sum-diagonal", S(S(x[i] * y[j], j)), S(x[i] * y[i]), "off-diagonal terms", sizes=SIZES),
    eq("sum-plus-one", S(x[i] + 1), S(x[i]) + 1, "Σ1 = m", sizes=SIZES),
    eq("sum-constant-entry", S(x[i]), m * x[1], "entries differ", sizes=SIZES),
    eq("free-index-in-body", S(x[k]), S(x[i]), "x_k summed m times is m·x_k", sizes=SIZES, pins=PIN),
    eq("other-size", S(x[i], i, 1, n), S(x[i]), "n is not m", sizes=SIZES),
    eq("square-vs-cube", S(x[i] ** 2), S(x[i] ** 3), "different powers", sizes=SIZES),
    eq("neighbour-product", S(x[i] * x[i + 1]), S(x[i] ** 2), "neighbours, not squares", sizes=SIZES),
    eq("triangular-number", S(i), m**2 / 2, "Σi = m(m+1)/2", sizes=SIZES),
    eq("nested-triangle", S(S(x[j], j, 1, i)), S((m - i) * x[i]), "each x_i appears m − i + 1 times", sizes=SIZES),
    eq(
        "nested-outer-bound-in-inner-range",
        S(S(x[j], j, 1, i)),
        m * S(x[j], j, 1, i),
        "the inner range depends on the outer index i; it is not a constant factor (m = 2: 2x₁ + x₂ ≠ 2x₁)",
        sizes=SIZES,
    ),
    eq(
        "nested-outer-bound-no-sizes",
        S(S(x[j], j, 1, i)),
        m * S(x[j], j, 1, i),
        "as nested-outer-bound-in-inner-range, with no concrete sizes to catch it",
    ),
    eq("two-index-diagonal", S(A2[i, i]), S(A2[i, 1]), "diagonal vs first column", sizes=SIZES),
    eq("two-index-swap", S(S(A2[i, j], j)), S(S(A2[i, i], j)), "off-diagonal entries", sizes=SIZES),
    eq(
        "non-integer-size",
        S(sp.Integer(1), i, 1, sp.Symbol("r", positive=True)),
        sp.Symbol("r", positive=True),
        "r is a positive real: Σ_{i=1}^{5/2} 1 counts 2 terms, not 5/2",
    ),
    eq(
        "size-minus-variance",
        S((x[i] - _mean) ** 2, i),
        S(x[i] ** 2, i) - _mean**2,
        "Σ(x−μ)² = Σx² − mμ², not Σx² − μ²",
        sizes=SIZES,
    ),
    eq(
        "unbiased-as-biased",
        S((x[i] - _mean) ** 2, i) / (m - 1),
        S(x[i] ** 2, i) / m - _mean**2,
        "divides by m − 1, the right side is the biased variance",
        sizes={m: range(2, 5)},
    ),
    eq("product-as-sum", sp.Product(x[i], (i, 1, m)), S(x[i]), "a product is not a sum", sizes=SIZES),
    eq(
        "product-of-sums",
        sp.Product(x[i] + y[i], (i, 1, m)),
        sp.Product(x[i], (i, 1, m)) + sp.Product(y[i], (i, 1, m)),
        "a product of sums is not a sum of products",
        sizes=SIZES,
    ),
    eq("infinite-geometric", sp.Sum(sp.Rational(1, 2) ** i, (i, 1, sp.oo)), sp.Integer(2), "the sum is 1"),
    eq(
        "split-at-free-point",
        S(x[i]),
        S(x[i], i, 1, k) + S(x[i], i, k + 1, m),
        "nothing says k ≤ m: for k = 5 > m = 2 the right side has x₁..x₅ plus an empty sum "
        "(Karr's convention makes it hold for every k, the empty-sum convention does not)",
    ),
    eq("sum-of-abs", S(sp.Abs(x[i])), sp.Abs(S(x[i])), "|Σx| ≤ Σ|x|, strict for mixed signs", sizes=SIZES),
    eq("mean-of-square", S(x[i] ** 2) / m, (S(x[i]) / m) ** 2, "differ by the variance", sizes=SIZES),
    eq("index-in-weight", S(i * x[i]), S(x[i]) * (m + 1) / 2, "x_i weighted by i is not a mean times Σi", sizes=SIZES),
    eq("floor-range", S(sp.Integer(1), i, 1, sp.floor(m / 2)), m / 2, "⌊m/2⌋ terms", sizes=SIZES),
    eq(
        "empty-sum-second-size",
        S(sp.Integer(1), i, 1, n - 2),
        n - 2,
        "false at n = 1; n is the second size symbol (the size checks use only the first)",
        sizes={m: range(1, 5), n: range(1, 5)},
    ),
    eq(
        "half-integer-lower-limit",
        S(sp.Integer(1), i, sp.Rational(1, 2), m),
        m + sp.Rational(1, 2),
        "i runs over 1/2, 3/2, …, m − 1/2: m terms, not m + 1/2 (hi − lo + 1 needs integer limits)",
        sizes=SIZES,
    ),
    eq(
        "alpha-capture-free-symbol",
        S(x[i] * k),
        S(x[k] * k, k),
        "renaming the bound i to k captures the free k: k·Σx ≠ Σ_k k·x_k",
        sizes=SIZES,
    ),
    eq(
        "product-renamed-other-range",
        sp.Product(x[i], (i, 1, m)),
        sp.Product(x[j], (j, 1, m - 1)),
        "renamed bound index and one factor fewer",
        sizes=SIZES,
    ),
    # ── `where` abbreviations: capture ───────────────────────────────────────────────────────
    Chain(
        "where-capture-centered",
        S(d[j] ** 2, j),
        ((sp.Integer(0), "=", None),),
        "d[t] := Σ_j (x_t − x_j)/m = x_t − μ applied at index j captures the bound j; Σ(x − μ)² ≠ 0",
        where=((d, sp.Lambda(t, S(x[t] - x[j], j) / m)),),
        sizes=SIZES,
    ),
    Chain(
        "where-capture-centered-no-sizes",
        S(d[j] ** 2, j),
        ((sp.Integer(0), "=", None),),
        "as where-capture-centered without concrete sizes",
        where=((d, sp.Lambda(t, S(x[t] - x[j], j) / m)),),
    ),
    Chain(
        "where-capture-centered-sum",
        S(d[j], j),
        ((m * S(x[j], j) - S(x[j], j), "=", None),),
        "Σ_j d_j = 0 (d centered), but captured it is Σ_j Σ_j (x_j − x_j)/m",
        where=((d, sp.Lambda(t, S(x[t] - x[j], j) / m)),),
        sizes=SIZES,
    ),
    Chain(
        "where-capture-two-args",
        S(A2[j, 1], j),
        ((m * S(x[j] * y[j], j), "=", None),),
        "A[s,t] := Σ_j x_s y_j; Σ_j A[j,1] = (Σx)(Σy), the capture makes it m·Σx_j y_j",
        where=((A2, sp.Lambda((s, t), S(x[s] * y[j], j))),),
        sizes=SIZES,
    ),
    Chain(
        "where-capture-symbol",
        S(mu * y[k], k),
        ((S(S(x[i], i, 1, k) * y[k], k), "=", None),),
        "μ := Σ_{i≤k} x_i for a fixed k (free, pinned); Σ_k μ·y_k = μ·Σy, but substituted under Σ_k the free k "
        "is captured and reads Σ_k (Σ_{i≤k} x_i)·y_k (m = 2, k = 1: x₁(y₁ + y₂) ≠ x₁y₁ + (x₁ + x₂)y₂)",
        where=((mu, S(x[i], i, 1, k)),),
        sizes=SIZES,
        pins=PIN,
    ),
    Chain(
        "where-capture-in-derivative",
        D(S(d[i] ** 2, i), x[k]),
        ((sp.Integer(0), "=", None),),
        "d[t] := Σ_i (x_t − x_i)/m applied at i captures i; ∂/∂x_k Σ(x−μ)² = 2(x_k − μ) ≠ 0",
        where=((d, sp.Lambda(t, S(x[t] - x[i], i) / m)),),
        sizes=SIZES,
        pins=PIN,
    ),
    Chain(
        "where-capture-free-in-lambda",
        S(d[j], j),
        ((sp.Integer(0), "=", None),),
        "d[t] := x_t − x_j for a fixed entry j (free in the definition); under Σ_j that j is captured: "
        "Σ_j (x_j − x_{j₀}) ≠ 0",
        where=((d, sp.Lambda(t, x[t] - x[j])),),
    ),
    # ── derivatives of sums: the index range ─────────────────────────────────────────────────
    eq(
        "deriv-out-of-range",
        D(S(v[j], j, 1, t) / t, v[k]),
        1 / t,
        "∂/∂v_k of a mean up to t is 0 for k > t",
        sizes={t: range(1, 5)},
        pins=PIN,
    ),
    eq(
        "deriv-out-of-range-no-pins",
        D(S(v[j], j, 1, t) / t, v[k]),
        1 / t,
        "∂/∂v_k of a mean up to t is 0 for k > t; nothing says k ≤ t",
    ),
    eq(
        "deriv-future-token",
        D(S(v[j], j, 1, t) / t, v[t + 1]),
        1 / t,
        "v_{t+1} is outside the prefix: the derivative is 0 (no leak from the future)",
        sizes={t: range(1, 5)},
    ),
    eq(
        "deriv-lower-limit",
        D(S(x[i], i, 2, m), x[k]),
        sp.Integer(1),
        "k = 1 is outside 2..m: the derivative is 0 there",
        sizes=SIZES,
        pins=PIN,
    ),
    eq("deriv-lower-limit-no-sizes", D(S(x[i], i, 2, m), x[k]), sp.Integer(1), "false at k = 1; nothing says k ≥ 2"),
    eq("deriv-upper-limit", D(S(x[i], i, 1, m - 1), x[k]), sp.Integer(1), "false at k = m"),
    eq("deriv-squares-free-k", D(S(x[i] ** 2), x[k]), 2 * x[k], "0 for k > m; k is not declared ≤ m"),
    eq("deriv-sum-squared-wrong", D(S(x[i]) ** 2, x[k]), 2 * x[k], "it is 2Σx", sizes=SIZES, pins=PIN),
    eq("deriv-wrong-power", D(S(x[i] ** 3), x[k]), 3 * x[k], "it is 3x_k²", sizes=SIZES, pins=PIN),
    eq("deriv-wrt-other-base", D(S(x[i] * y[i]), x[k]), x[k], "it is y_k", sizes=SIZES, pins=PIN),
    eq(
        "deriv-two-index",
        D(S(A2[i, i]), A2[k, ll]),
        sp.Integer(1),
        "1 only on the diagonal (k = l)",
        sizes=SIZES,
        pins={k: 1, ll: 2},
    ),
    eq("deriv-two-index-unpinned", D(S(A2[i, i]), A2[k, ll]), sp.Integer(1), "1 only on the diagonal k = l ≤ m"),
    eq("deriv-shifted-entry", D(S(x[i]), x[k + m]), sp.Integer(1), "x_{k+m} is outside 1..m for k ≥ 1"),
    eq(
        "deriv-wrt-bound-index",
        D(S(x[i] ** 2), x[i]),
        2 * S(x[i]),
        "the free x_i is one entry: the derivative is 2x_i, not 2Σx",
    ),
    eq(
        "deriv-of-size",
        D(S(sp.Integer(1)), m),
        sp.Integer(1),
        "m is an integer size: Σ_{i=1}^m 1 is not a differentiable function of it",
    ),
    eq(
        "deriv-softmax-wrong",
        D(sp.exp(zr[k]) / S(sp.exp(zr[j]), j), zr[k]),
        sp.exp(zr[k]) / S(sp.exp(zr[j]), j),
        "missing −softmax_k²",
        sizes=SIZES,
        pins=PIN,
    ),
    eq(
        "deriv-wrt-upper-limit",
        D(t * S(x[i], i, 1, t), t),
        S(x[i], i, 1, t),
        "t is an integer upper limit: t·Σ_{i≤t} x_i is not differentiable in t (the atom is not constant in t)",
    ),
    eq(
        "deriv-of-size-times-sum",
        D(m * S(x[i]), m),
        S(x[i]),
        "m is an integer size and a bound of the sum: m·Σ_{i=1}^m x_i is not differentiable in m",
    ),
    eq(
        "deriv-of-size-atom",
        D(S(x[i]), m),
        sp.Integer(0),
        "m is an integer size: ∂/∂m Σ_{i=1}^m x_i is not 0 (nor defined); the atom's range mentions m",
    ),
    eq(
        "deriv-entry-below-range",
        D(S(x[i], i, 2, m), x[1]),
        sp.Integer(1),
        "x₁ never occurs in Σ_{i=2}^m x_i: the derivative is 0 for every m",
    ),
    # ── exp sums ──────────────────────────────────────────────────────────────────────────────
    eq(
        "exp-sqrt-complex",
        S(sp.sqrt(sp.exp(2 * sp.I * zr[i]))),
        S(sp.exp(sp.I * zr[i])),
        "√exp(2iz) = ±exp(iz): the principal root flips sign (z = 2: −exp(2i))",
    ),
    eq("exp-abs-complex", S(sp.Abs(sp.exp(sp.I * zr[i]))), S(sp.exp(sp.I * zr[i])), "|exp(iz)| = 1 ≠ exp(iz)"),
    eq(
        "exp-complex-base",
        S(sp.sqrt(sp.exp(2 * zc[i]))),
        S(sp.exp(zc[i])),
        "z complex (no assumptions): √exp(2z) = exp(z) only for |Im z| < π/2",
    ),
    eq("exp-square-of-sum", S(sp.exp(zr[i])) ** 2, S(sp.exp(2 * zr[i])), "cross terms", sizes=SIZES),
    eq("exp-half-rate", S(sp.exp(zr[i] / 2)) ** 2, S(sp.exp(zr[i])), "cross terms", sizes=SIZES),
    eq("exp-negative", S(sp.exp(-zr[i])), 1 / S(sp.exp(zr[i])), "Σ1/e^z ≠ 1/Σe^z", sizes=SIZES),
    eq(
        "exp-complex-rate-positive",
        S(sp.exp(sp.I * zr[i]) ** 2),
        S(sp.Abs(sp.exp(sp.I * zr[i])) ** 2),
        "exp(2iz) is not |exp(iz)|² = 1",
    ),
    eq("exp-log-sum", sp.log(S(sp.exp(zr[i]))), S(zr[i]), "log Σ e^z ≠ Σ z", sizes=SIZES),
    eq(
        "exp-twin-label",
        S(sp.exp(zr[i])),
        S(sp.IndexedBase("exp(z)", positive=True)[i]),
        "an IndexedBase named 'exp(z)' is an arbitrary positive vector, not e^z",
    ),
    eq("exp-rate-symbol", S(sp.exp(c * zr[i])), S(sp.exp(zr[i])) ** c, "Σ e^{cz} ≠ (Σ e^z)^c", sizes=SIZES),
    eq(
        "exp-complex-rate-symbol",
        S(sp.sqrt(sp.exp(2 * sp.Symbol("c") * zr[i]))),
        S(sp.exp(sp.Symbol("c") * zr[i])),
        "the rate c has no assumptions (complex): c = iπ/2, z = 2 gives √exp(2πi) = 1 ≠ exp(iπ) = −1",
    ),
    eq(
        "complex-atom-abs",
        sp.Abs(S(zc[i])) ** 2,
        S(zc[i]) ** 2,
        "z complex (no assumptions): |Σz|² ≠ (Σz)² (m = 1, z = i: 1 ≠ −1); a sum of complex entries is not real",
    ),
    eq(
        "complex-atom-abs-sizes",
        sp.Abs(S(zc[i])) ** 2,
        S(zc[i]) ** 2,
        "as complex-atom-abs, with concrete sizes",
        sizes=SIZES,
    ),
    eq("complex-atom-im", sp.im(S(zc[i])), sp.Integer(0), "Im Σz ≠ 0 for complex z"),
    eq("complex-atom-conjugate-square", S(zc[i]) * sp.conjugate(S(zc[i])), S(zc[i]) ** 2, "Σz·conj(Σz) = |Σz|²"),
    eq(
        "exp-rate-same-name",
        S(sp.exp(sp.Symbol("c", real=True) * zr[i])),
        S(sp.exp(sp.Symbol("c", positive=True) * zr[i])),
        "two different rates both named c: the twins exp(c*z) collide by name",
    ),
    # ── moments (closed forms from the moment algebra, written out) ───────────────────────────
    eq(
        "moment-var-qk-squared",
        sp.Symbol("d", integer=True, positive=True),
        sp.Symbol("d", integer=True, positive=True) ** 2,
        "Var[q·k] = d_k, not d_k²",
    ),
    eq(
        "moment-fourth-rademacher",
        3 * sp.Symbol("d", integer=True, positive=True) ** 2 - 2 * sp.Symbol("d", integer=True, positive=True),
        3 * sp.Symbol("d", integer=True, positive=True) ** 2,
        "E[S⁴] for ±1 entries is 3d² − 2d; 3d² is the Gaussian value",
    ),
    eq(
        "moment-var-sum-sample",
        S((x[i] - _mean) ** 2, i) / m,
        S(x[i] ** 2, i) / (m - 1) - _mean**2,
        "the biased variance is not Σx²/(m−1) − μ²",
        sizes={m: range(2, 5)},
    ),
    eq("moment-second-raw", S(x[i]) ** 2 / m**2, S(x[i] ** 2) / m**2, "E[S²] pattern: cross terms", sizes=SIZES),
    # ── float literals in the exact tier ─────────────────────────────────────────────────────
    eq("float-tiny-factor", (1 + sp.Float("1e-20", 30)) * X, X, "(1 + 10⁻²⁰)·X ≠ X"),
    eq(
        "float-tiny-factor-15-digits",
        (1 + sp.Float(1e-20)) * X,
        X,
        "(1 + 10⁻²⁰)·X ≠ X as written; at 53 bits 1 + 1e-20 is already 1.0, so only refusing floats keeps "
        "the exact tier from certifying it",
    ),
    eq("float-tiny-add", X + sp.Float("1e-20", 30), X, "X + 10⁻²⁰ ≠ X"),
    eq("float-sixteen-digits", sp.Float("1.0000000000000001", 30) * X, X, "a 30-digit float that is not 1"),
    eq("float-third-power", X ** sp.Float(1 / 3), sp.cbrt(X), "0.333…(53 bits) is not 1/3"),
    eq(
        "float-binary-tenth",
        X * (sp.Float(0.1) + sp.Float(0.2)),
        sp.Float(0.3) * X,
        "as binary doubles 0.1 + 0.2 = 0.30000000000000004 ≠ 0.29999999999999998",
    ),
    eq("float-sum", S(sp.Float("1e-25", 30) + x[i]), S(x[i]), "m·10⁻²⁵ ≠ 0", sizes=SIZES),
    eq(
        "float-in-matrix",
        sp.Float("1.000000000000000000001", 30) * A,
        A,
        "a 30-digit scale that is not 1",
        sizes={nn: range(1, 3)},
    ),
    eq(
        "float-exponent-sum",
        S(x[i] ** sp.Float("2.0000000000000000001", 30)),
        S(x[i] ** 2),
        "an exponent that is not 2",
    ),
    # ── label collisions ──────────────────────────────────────────────────────────────────────
    eq(
        "label-product-base",
        S(sp.IndexedBase("g*x", real=True)[i]),
        S(g[i] * x[i]),
        "an IndexedBase named 'g*x' is an arbitrary vector, not g·x",
    ),
    eq(
        "label-power-base",
        S(sp.IndexedBase("x**2", real=True)[i]),
        S(x[i] ** 2),
        "an IndexedBase named 'x**2' is not x²",
    ),
    eq("label-same-name-assumptions", S(x[i]), S(xp[i]), "two different vectors both named x"),
    eq(
        "label-atom-symbol",
        S(x[i]),
        sp.Symbol("Σ(x)[1..m]", real=True),
        "a user Symbol that prints like the normalizer's atom is an arbitrary number",
    ),
    eq(
        "label-range-symbol",
        S(x[i], i, 1, m + 1),
        S(x[i], i, 1, sp.Symbol("m + 1", integer=True, positive=True)),
        "a size Symbol named 'm + 1' is not m + 1",
    ),
    eq("label-same-name-symbols", X, sp.Symbol("X", positive=True), "two different symbols both named X"),
    eq("label-size-same-name", S(x[i], i, 1, sp.Symbol("m")), S(x[i]), "two different size symbols named m"),
    eq(
        "label-twin-name-plain",
        S(sp.exp(zr[i])),
        S(sp.IndexedBase("exp(z)", real=True)[i]),
        "a real vector named 'exp(z)' can be negative; e^z cannot",
    ),
    # ── assumptions ──────────────────────────────────────────────────────────────────────────
    eq("sqrt-square-real", sp.sqrt(sigma**2), sigma, "√σ² = |σ|; σ is only real"),
    eq("sqrt-square-complex", sp.sqrt(z_c**2), z_c, "z complex: false for Re z < 0"),
    eq("sqrt-perfect-square", sp.sqrt(sigma**2 + 2 * sigma + 1), sigma + 1, "= |σ + 1|; false at σ = −3"),
    eq("sqrt-product-real", sp.sqrt(a * b), sp.sqrt(a) * sp.sqrt(b), "false for a, b < 0"),
    eq("log-product-real", sp.log(a * b), sp.log(a) + sp.log(b), "false for a, b < 0 (branch)"),
    eq("log-square-real", sp.log(a**2), 2 * sp.log(a), "false for a < 0 (right side not real)"),
    eq("cube-root-real", (a**3) ** sp.Rational(1, 3), a, "principal cube root of a negative cube is complex"),
    eq("power-of-power-real", (a**2) ** sp.Rational(3, 2), a**3, "false for a < 0"),
    eq("indexed-sqrt-square", S(sp.sqrt(x[i] ** 2)), S(x[i]), "x real: |x_i| ≠ x_i", sizes=SIZES),
    eq("indexed-sqrt-square-no-sizes", S(sp.sqrt(x[i] ** 2)), S(x[i]), "x real: |x_i| ≠ x_i"),
    eq("log-exp-complex", sp.log(sp.exp(z_c)), z_c, "z complex: log∘exp folds Im z into (−π, π]"),
    eq("atan-tan", sp.atan(sp.tan(X)), X, "only on (−π/2, π/2)"),
    eq("acos-cos", sp.acos(sp.cos(X)), X, "only on [0, π]"),
    eq("sin-integer-pi", sp.sin(sp.pi * X), sp.Integer(0), "X is real, not an integer"),
    eq("neg-one-even-power", (-1) ** (2 * X), sp.Integer(1), "X is real, not an integer"),
    eq("sqrt-reciprocal-real", sp.sqrt(1 / X), 1 / sp.sqrt(X), "X = −2: i/√2 ≠ −i/√2 (both sides complex)"),
    eq("quarter-root-real", (X**2) ** sp.Rational(1, 4), sp.sqrt(X), "X < 0: the left side is real, the right is not"),
    # ── Piecewise, Heaviside, Max/Min, Mod, floor, sign ──────────────────────────────────────
    eq("heaviside-square", sp.Heaviside(X) ** 2, sp.Heaviside(X), "at X = 0: 1/4 ≠ 1/2"),
    eq("heaviside-zero-convention", sp.Heaviside(X, 0) + sp.Heaviside(-X, 0), sp.Integer(1), "at X = 0: 0 ≠ 1"),
    eq("piecewise-vs-heaviside", sp.Piecewise((1, X > 0), (0, True)), sp.Heaviside(X), "at X = 0: 0 ≠ 1/2"),
    eq("sign-squared", sp.sign(X) ** 2, sp.Integer(1), "at X = 0: 0 ≠ 1"),
    eq(
        "relu-derivative-at-zero",
        sp.diff(sp.Max(0, X), X),
        sp.Heaviside(X, 0),
        "SymPy's derivative is Heaviside(X) with value 1/2 at 0; Heaviside(X, 0) is 0 there",
    ),
    eq("max-with-zero", sp.Max(0, X), X, "false for X < 0"),
    eq("min-max-swap", sp.Max(X, Y) - sp.Min(X, Y), X - Y, "= |X − Y|"),
    eq("mod-negative", sp.Mod(-X, 2), -sp.Mod(X, 2), "Mod(−1, 2) = 1 ≠ −1"),
    eq("floor-negation", sp.floor(-X), -sp.floor(X), "false for non-integers"),
    eq("frac-of-integer-times", sp.frac(2 * X), 2 * sp.frac(X), "frac(2·0.75) = 0.5 ≠ 1.5"),
    eq("abs-over-self", X / sp.Abs(X), sp.Integer(1), "−1 for X < 0"),
    eq("piecewise-branch-order", sp.Piecewise((X, X >= 0), (-X, True)), X, "= |X|"),
    eq("heaviside-half-identity", sp.Heaviside(X) * sp.Heaviside(-X), sp.Integer(0), "at X = 0: 1/4 ≠ 0"),
    # ── matrices ─────────────────────────────────────────────────────────────────────────────
    eq(
        "matrix-inverse-singular",
        sp.Inverse(R.T * R) * R.T * R,
        sp.Identity(2 * N),
        "RᵀR (2N×2N, rank ≤ N) is never invertible",
        sizes={N: range(1, 3)},
    ),
    eq(
        "matrix-inverse-rank-one",
        sp.Inverse(u * u.T) * u * u.T,
        sp.Identity(nn),
        "u·uᵀ has rank 1: singular for n ≥ 2",
        sizes={nn: range(2, 4)},
    ),
    eq("matrix-commute", A * B, B * A, "matrices do not commute", sizes={nn: range(1, 4)}),
    eq("matrix-commute-no-sizes", A * B, B * A, "matrices do not commute"),
    eq("matrix-transpose-order", (A * B).T, A.T * B.T, "(AB)ᵀ = BᵀAᵀ", sizes={nn: range(1, 4)}),
    eq("matrix-binomial", (A + B) ** 2, A**2 + 2 * A * B + B**2, "AB + BA ≠ 2AB", sizes={nn: range(1, 4)}),
    eq(
        "matrix-inverse-order",
        sp.Inverse(A * B),
        sp.Inverse(A) * sp.Inverse(B),
        "(AB)⁻¹ = B⁻¹A⁻¹",
        sizes={nn: range(1, 3)},
    ),
    eq("matrix-identity-sizes", sp.Identity(nn), sp.Identity(k), "I_n ≠ I_k for k ≠ n"),
    eq("matrix-outer-swap", u * w.T, w * u.T, "u wᵀ ≠ w uᵀ", sizes={nn: range(1, 4)}),
    eq(
        "matrix-trace-product",
        sp.Trace(A * B),
        sp.Trace(A) * sp.Trace(B),
        "trace is not multiplicative",
        sizes={nn: range(1, 4)},
    ),
    eq(
        "matrix-det-sum",
        sp.Determinant(A + B),
        sp.Determinant(A) + sp.Determinant(B),
        "det is not additive",
        sizes={nn: range(1, 3)},
    ),
    eq("matrix-norm-product", Norm(A * u), Norm(A) * Norm(u), "only ≤", sizes={nn: range(1, 3)}),
    eq("matrix-norm-scale", Norm(a * u), a * Norm(u), "‖au‖ = |a|·‖u‖", sizes={nn: range(1, 3)}),
    eq("matrix-opnorm-frobenius", OpNorm(A), Norm(A), "spectral ≠ Frobenius for rank ≥ 2", sizes={nn: range(1, 3)}),
    eq("matrix-jacobian-quadratic", Jacobian(u.T * A * u, u), 2 * u.T * A, "it is uᵀ(A + Aᵀ)", sizes={nn: range(1, 3)}),
    eq("matrix-jacobian-linear-transpose", Jacobian(A * u, u), A.T, "the Jacobian of Au is A", sizes={nn: range(1, 3)}),
    eq(
        "matrix-differential-scalar-coeff",
        Differential(Norm(u) * u, u, E),
        Norm(u) * E,
        "d(‖u‖u) = ‖u‖du + u·d‖u‖: the coefficient depends on u",
        sizes={nn: range(1, 3)},
    ),
    eq(
        "matrix-differential-square",
        Differential(Xm * Xm, Xm, EA),
        2 * Xm * EA,
        "d(X²) = dX·X + X·dX",
        sizes={nn: range(1, 3)},
    ),
    eq(
        "matrix-differential-gram",
        Differential(Xm.T * Xm, Xm, EA),
        2 * Xm.T * EA,
        "d(XᵀX) = dXᵀX + XᵀdX",
        sizes={nn: range(1, 3)},
    ),
    eq(
        "matrix-differential-inner-coeff",
        Differential((u.T * u)[0, 0] * u, u, E),
        (u.T * u)[0, 0] * E,
        "the scalar uᵀu depends on u",
        sizes={nn: range(1, 3)},
    ),
    eq("matrix-three-swap", A * B * C, A * C * B, "BC ≠ CB", sizes={nn: range(1, 3)}),
    eq(
        "matrix-inverse-sum",
        sp.Inverse(A + B),
        sp.Inverse(A) + sp.Inverse(B),
        "inverse is not additive",
        sizes={nn: range(1, 3)},
    ),
    eq(
        "matrix-explicit-vs-symbolic",
        sp.Identity(nn),
        sp.ImmutableMatrix([[1, 0], [0, 1]]),
        "I_n is the explicit 2×2 identity only for n = 2",
    ),
    eq("matrix-frobenius-identity", Norm(sp.Identity(nn)), sp.Integer(1), "‖I_n‖_F = √n", sizes={nn: range(1, 3)}),
    eq(
        "matrix-ones-square",
        sp.OneMatrix(nn, nn) * sp.OneMatrix(nn, nn),
        sp.OneMatrix(nn, nn),
        "J·J = n·J",
        sizes={nn: range(1, 3)},
    ),
    # ── inequalities that name a plausible lemma ─────────────────────────────────────────────
    ge(
        "ineq-square-away-from-root",
        (X - sp.sqrt(2)) ** 2,
        sp.Rational(1, 10**8),
        "a square is positive",
        "0 at X = √2",
    ),
    ge("ineq-cubic-vs-exponential", n**3 + 1, 2**n, "induction on n", "false at n = 10: 1001 < 1024"),
    ge(
        "ineq-reverse-triangle",
        sp.Abs(a + b),
        sp.Abs(a) + sp.Abs(b),
        "triangle inequality",
        "the triangle inequality goes the other way (a = 1, b = −1)",
    ),
    ge("ineq-square-positive-strict", X**2, sp.Rational(1, 10**300), "squares are positive", "0 at X = 0"),
    ge("ineq-polynomial-vs-exp-late", n**10, 2**n, "polynomials dominate", "false from n = 59"),
    le(
        "ineq-sigmoid-derivative-tight",
        sp.exp(-X) / (1 + sp.exp(-X)) ** 2,
        sp.Rational(1, 4) - sp.Rational(1, 10**10),
        "σ' ≤ 1/4",
        "σ'(0) = 1/4 exactly",
    ),
    le("ineq-tanh-derivative-tight", 1 - sp.tanh(X) ** 2, 1 - sp.Rational(1, 10**9), "tanh' ≤ 1", "= 1 at X = 0"),
    ge("ineq-amgm-strict", (p + q) / 2, sp.sqrt(p * q) + sp.Rational(1, 10**15), "AM–GM", "equality at p = q"),
    ge(
        "ineq-sum-squares-positive",
        X**2 + Y**2,
        2 * X * Y + sp.Rational(1, 10**30),
        "(X − Y)² ≥ 0",
        "equality at X = Y",
    ),
    ge("ineq-exp-tangent-strict", sp.exp(X), 1 + X + sp.Rational(1, 10**12), "exp is convex", "equality at X = 0"),
    le("ineq-sin-strict", sp.Abs(sp.sin(X)), sp.Abs(X) - sp.Rational(1, 10**12), "|sin x| ≤ |x|", "equality at 0"),
    ge("ineq-sum-squares-batch", S(x[i] ** 2), sp.Rational(1, 10**8), "sum of squares", "0 at x = 0", sizes=SIZES),
    le("ineq-cs-reversed", S(x[i]) ** 2, S(x[i] ** 2), "Cauchy–Schwarz", "missing the factor m", sizes=SIZES),
    ge("ineq-abs-sum-reversed", sp.Abs(S(x[i])), S(sp.Abs(x[i])), "triangle inequality", "reversed", sizes=SIZES),
    le("ineq-exp-second-order", 1 + X + X**2 / 2, sp.exp(X), "Taylor", "false for X < 0"),
    ge("ineq-x-squared-vs-x", X**2, X, "squares grow", "false on (0, 1)"),
    le("ineq-log-bound-shifted", sp.log(p), p - 2, "log x ≤ x − 1", "false at p = 1"),
    le(
        "ineq-norm-triangle-strict",
        Norm(u + w),
        Norm(u) + Norm(w) - sp.Rational(1, 10**9),
        "triangle inequality",
        "equality for aligned u, w",
        sizes={nn: range(1, 3)},
    ),
    le(
        "ineq-opnorm-product-reversed",
        OpNorm(A) * Norm(u),
        Norm(A * u),
        "submultiplicativity",
        "reversed",
        sizes={nn: range(1, 3)},
    ),
    le("ineq-frobenius-le-spectral", Norm(A), OpNorm(A), "norm equivalence", "‖A‖_F ≥ ‖A‖₂", sizes={nn: range(2, 3)}),
    le("ineq-lemma-is-number", X**2, X**2 - sp.Rational(1, 10**40), 1, "a lemma that is not a string"),
    le("ineq-lemma-empty-string", X**2, X**2 - sp.Rational(1, 10**40), " ", "a blank lemma name"),
    le("ineq-no-gap-found", sp.cos(X), 1 - sp.Rational(1, 10**20), "cos ≤ 1", "cos 0 = 1"),
    le(
        "ineq-complex-sides",
        sp.sqrt(X),
        sp.Abs(X) + 1,
        "√x ≤ |x| + 1",
        "X is only real: for X < 0 the left side is imaginary and ≤ means nothing",
    ),
    ge("ineq-factorial", sp.factorial(n), 3**n, "n! grows fastest", "false for n ≤ 6 (1 < 3)"),
    # ── root cause 3: an inequality step switches off the size cross-check ───────────────────
    Chain(
        "ineq-disables-size-check-label",
        S(sp.IndexedBase("g*x", real=True)[i]),
        ((S(g[i] * x[i]), "=", None), (S(g[i] * x[i]) + 1, "<=", "adding 1")),
        "the first link equates a vector named 'g*x' with g·x; the ≤ step must not hide it",
        sizes=SIZES,
        bad=0,
    ),
    Chain(
        "ineq-disables-size-check-range",
        D(S(x[i], i, 2, m), x[k]),
        ((sp.Integer(1), "=", None), (sp.Integer(2), "<=", "1 ≤ 2")),
        "∂/∂x_1 Σ_{i≥2} x_i = 0, not 1; the ≤ step must not switch off the size check",
        sizes=SIZES,
        pins=PIN,
        bad=0,
    ),
    Chain(
        "ineq-disables-size-check-capture",
        S(d[j] ** 2, j),
        ((sp.Integer(0), "=", None), (sp.Integer(1), "<=", "0 ≤ 1")),
        "captured where-abbreviation then a trivial ≤",
        where=((d, sp.Lambda(t, S(x[t] - x[j], j) / m)),),
        sizes=SIZES,
        bad=0,
    ),
    Chain(
        "ineq-disables-size-check-nested",
        S(S(x[j], j, 1, i)),
        ((m * S(x[j], j, 1, i), "=", None), (m * S(x[j], j, 1, i) + X**2, "<=", "X² ≥ 0")),
        "inner range depends on the outer index",
        sizes=SIZES,
        bad=0,
    ),
    Chain(
        "ineq-mixed-chain-false-eq",
        X**2,
        ((X**2 + 1, "<=", "adding 1"), (X**2, "=", None)),
        "the second link drops the +1",
    ),
]


def _refuted(row_id: str, relation: sp.Basic, point: Mapping, *, raw: bool = False) -> Callable[[], Claim]:
    """A claim recorded refuted by one counterexample to the relation it states (``refutes``); point values
    sympified unless ``raw``."""
    if not raw:
        point = {key: sp.sympify(value) for key, value in point.items()}
    return lambda: _claim(row_id, Verdict.REFUTED, refutes=(relation,), counterexamples=(_cx(relation, point),))


FALSE_RECORDS: list[Record] = [
    # ── counterexamples that do not violate their relation: the claim is not refuted ──────────
    Record(
        "cx-holds-at-point",
        _refuted("cx-holds-at-point", sp.Eq(X**2, X, evaluate=False), {X: 1}),
        "X² = X holds at X = 1",
        Verdict.REFUTED,
    ),
    Record(
        "cx-strict-lt-tolerance",
        _refuted("cx-strict-lt-tolerance", sp.Lt(X - sp.Rational(1, 10**25), X, evaluate=False), {X: 1}),
        "X − 10⁻²⁵ < X holds at X = 1 (exactly); a tolerance must not turn it into a violation",
        Verdict.REFUTED,
    ),
    Record(
        "cx-strict-gt-tolerance",
        _refuted("cx-strict-gt-tolerance", sp.Gt(X + sp.Rational(1, 10**25), X, evaluate=False), {X: 1}),
        "X + 10⁻²⁵ > X holds at X = 1",
        Verdict.REFUTED,
    ),
    Record("cx-le-equal", _refuted("cx-le-equal", sp.Le(X, X, evaluate=False), {X: 3}), "X ≤ X holds", Verdict.REFUTED),
    Record(
        "cx-ge-abs",
        _refuted("cx-ge-abs", sp.Ge(sp.sqrt(X**2), X, evaluate=False), {X: -2}),
        "2 ≥ −2 holds",
        Verdict.REFUTED,
    ),
    Record(
        "cx-eq-abs-positive",
        _refuted("cx-eq-abs-positive", sp.Eq(sp.sqrt(X**2), X, evaluate=False), {X: 2}),
        "√(X²) = X holds at X = 2",
        Verdict.REFUTED,
    ),
    Record(
        "cx-missing-symbol",
        _refuted("cx-missing-symbol", sp.Eq(X + Y, 2 * X + Y - X, evaluate=False), {X: 1}),
        "the point leaves Y free: nothing is shown",
        Verdict.REFUTED,
    ),
    Record(
        "cx-sum-holds",
        _refuted("cx-sum-holds", sp.Eq(S(x[i]), m * x[1], evaluate=False), {m: 2, x[1]: 1, x[2]: 1}),
        "at x = (1, 1) the sum is m·x₁",
        Verdict.REFUTED,
    ),
    Record(
        "cx-tiny-gap-le",
        _refuted("cx-tiny-gap-le", sp.Le(X, X + sp.Rational(1, 10**30), evaluate=False), {X: 10**10}),
        "X ≤ X + 10⁻³⁰ holds exactly",
        Verdict.REFUTED,
    ),
    Record(
        "cx-undefined-point",
        _refuted("cx-undefined-point", sp.Eq(1 / X, 1 / X + 1, evaluate=False), {X: 0}),
        "both sides are undefined at X = 0: no violation is shown",
        Verdict.REFUTED,
    ),
    Record(
        "cx-run-holds",
        lambda: _claim(
            "cx-run-holds",
            Verdict.REFUTED,
            counterexamples=(Counterexample("a run where the claim holds", run=lambda: Witness(True, "1", "1")),),
        ),
        "the run reports that the claim held",
        Verdict.REFUTED,
    ),
    Record(
        "cx-conditional-holds",
        lambda: _claim(
            "cx-conditional-holds",
            Verdict.CONDITIONAL,
            hypothesis="σ ≥ 0",
            derivations=(Derivation("√σ²", sp.sqrt(sigma_nn**2), (Step(sigma_nn, "σ ≥ 0", "σ ≥ 0"),)),),
            counterexamples=(_cx(sp.Eq(sp.sqrt(sigma**2), sigma, evaluate=False), {sigma: sp.Integer(3)}),),
        ),
        "the counterexample point σ = 3 satisfies the relation",
        Verdict.CONDITIONAL,
    ),
    Record(
        "cx-float-point",
        _refuted("cx-float-point", sp.Eq(10 * X, 1, evaluate=False), {X: sp.Float(0.1)}),
        "10·X = 1 holds at X = 1/10; the float 0.1 differs from 1/10 by 5.6e-18, so confirming a violation "
        "there tests binary rounding, not the relation (refuse or rationalize floats)",
        Verdict.REFUTED,
    ),
    Record(
        "verdict-refuted-by-unrelated-cx",
        lambda: _claim(
            "verdict-refuted-by-unrelated-cx",
            Verdict.REFUTED,
            derivations=(Derivation("square", (X + 1) ** 2, (Step(X**2 + 2 * X + 1, "expand", "expand"),)),),
            counterexamples=(_cx(sp.Eq(Y**2, Y, evaluate=False), {Y: sp.Integer(2)}),),
        ),
        "the derivation proves (X + 1)² = X² + 2X + 1; a counterexample to an unrelated relation (Y² = Y) "
        "does not refute it",
        Verdict.REFUTED,
    ),
    Record(
        "verdict-conditional-text-hypothesis",
        lambda: _claim(
            "verdict-conditional-text-hypothesis",
            Verdict.CONDITIONAL,
            hypothesis="the moon is full",
            numeric=(_property_check(),),
            counterexamples=(_cx(sp.Eq(Y**2, Y, evaluate=False), {Y: sp.Integer(2)}),),
        ),
        "no derivation is checked under the hypothesis and the counterexample is not shown to violate it",
        Verdict.CONDITIONAL,
    ),
    # ── verdict computation: numeric evidence is never proof, minimum evidence is the engine's ──
    Record(
        "verdict-numeric-only",
        lambda: _claim("verdict-numeric-only", Verdict.PROVED, numeric=(_var_check(),)),
        "only numeric evidence: tested, never proved",
    ),
    Record(
        "verdict-cap-one-wrong-closed-form",
        lambda: _claim(
            "verdict-cap-one-wrong-closed-form",
            Verdict.PROVED,
            derivations=(_true_variance_derivation(),),
            numeric=(_var_check(expected="unbiased", cap=1),),
        ),
        "the check's closed form is the unbiased variance; cap = 1 draws one (zero) case that cannot tell",
    ),
    Record(
        "verdict-no-references",
        lambda: _claim(
            "verdict-no-references",
            Verdict.PROVED,
            derivations=(_true_variance_derivation(),),
            numeric=(_var_check(expected="unbiased", refs=False),),
        ),
        "a cross-check with no references compares nothing",
    ),
    Record(
        "verdict-planted-passes",
        lambda: _claim(
            "verdict-planted-passes",
            Verdict.PROVED,
            derivations=(_true_variance_derivation(),),
            numeric=(_var_check(planted_same=True),),
        ),
        "its planted 'wrong' formula is the expected one, so the check is shown unable to fail",
    ),
    Record(
        "verdict-no-dtypes",
        lambda: _claim(
            "verdict-no-dtypes",
            Verdict.PROVED,
            derivations=(_true_variance_derivation(),),
            numeric=(_var_check(expected="unbiased", dtypes=()),),
        ),
        "a cross-check with no dtypes compares nothing (its closed form is the wrong, unbiased variance)",
    ),
    Record(
        "verdict-infinite-tolerance",
        lambda: _claim(
            "verdict-infinite-tolerance",
            Verdict.PROVED,
            derivations=(_true_variance_derivation(),),
            numeric=(_var_check(expected="unbiased", ulps=float("inf")),),
        ),
        "an infinite tolerance accepts the wrong (unbiased) closed form and every planted formula",
    ),
    Record(
        "verdict-symbolic-only-skips-failing-numeric",
        lambda: _claim(
            "verdict-symbolic-only-skips-failing-numeric",
            Verdict.PROVED,
            derivations=(_true_variance_derivation(),),
            numeric=(_var_check(expected="unbiased"),),
        ),
        "numeric=False must not report proved for a claim whose numeric check fails",
        numeric=False,
    ),
    Record(
        "verdict-cited-only",
        lambda: _claim(
            "verdict-cited-only",
            Verdict.PROVED,
            derivations=(
                Derivation("bound", X**2, (Step(X**2 + 1, "bound", "adding 1", relation="<=", lemma="adding one"),)),
            ),
        ),
        "an inequality whose only support is a lemma name is not proved",
    ),
    Record(
        "verdict-property-only",
        lambda: _claim("verdict-property-only", Verdict.PROVED, numeric=(_property_check(),)),
        "a property check alone is tested, not proved",
    ),
    Record(
        "verdict-monte-carlo-3-percent",
        lambda: _claim("verdict-monte-carlo-3-percent", Verdict.PROVED, numeric=(_mc_check(1.03),)),
        "the Monte Carlo check cannot see a 3% error (its power covers ±8%); Var[q·k] = 1.03·d_k is not proved",
        slow=True,
    ),
]


def _property_check():
    from hypothesis import strategies as st

    from dlproofs.numeric import Outcome, PropertyCheck

    return PropertyCheck(
        name="abs is non-negative",
        cases=lambda: st.fixed_dictionaries({"v": st.floats(-1, 1)}),
        holds=lambda case: Outcome(abs(case["v"]) >= 0, 0.0, 0.0),
        reason="|v| ≥ 0",
        planted={"negated": lambda case: Outcome(-abs(case["v"]) - 1 >= 0, 0.0, 0.0)},
    )


# ══ TRUE but tricky statements: never refuted ════════════════════════════════════════════════
TRUE_CHAINS: list[Chain] = [
    eq("renamed-index-abs", S(sp.Abs(x[i])), S(sp.Abs(x[j]), j), "same sum, other bound name"),
    eq("renamed-index-abs-sizes", S(sp.Abs(x[i])), S(sp.Abs(x[j]), j), "same sum, other bound name", sizes=SIZES),
    eq("renamed-index-product", sp.Product(x[i], (i, 1, m)), sp.Product(x[j], (j, 1, m)), "same product"),
    eq("renamed-index-exp", S(sp.exp(x[i] ** 2)), S(sp.exp(x[j] ** 2), j), "same sum, other bound name"),
    eq("renamed-index-sqrt", S(sp.sqrt(1 + x[i] ** 2)), S(sp.sqrt(1 + x[j] ** 2), j), "same sum"),
    eq(
        "renamed-index-power",
        S(x[i] ** 2),
        S(x[k] ** 2, k),
        "same sum; k is also pinned elsewhere",
        sizes=SIZES,
        pins=PIN,
    ),
    eq(
        "renamed-index-unused-size-symbol",
        S(x[i], i, 1, n),
        S(x[j], j, 1, n),
        "same sum; the declared size m does not occur (the size check must not fail a proved identity for it)",
        sizes=SIZES,
    ),
    eq(
        "split-at-symbolic-point",
        S(x[i], i, 1, k + n),
        S(x[i], i, 1, k) + S(x[i], i, k + 1, k + n),
        "split k + n terms after the first k (k, n ≥ 1, so 1 ≤ k < k + n)",
    ),
    eq("split-last-term", S(x[i], i, 1, m - 1) + x[m], S(x[i]), "peel the last term (true for m ≥ 1)", sizes=SIZES),
    eq("empty-sum-m-minus-1", S(sp.Integer(1), i, 1, m - 1), m - 1, "m − 1 terms, 0 at m = 1", sizes=SIZES),
    eq("telescoping", S(x[i + 1] - x[i]), x[m + 1] - x[1], "telescoping", sizes=SIZES),
    eq("triangular", S(i), m * (m + 1) / 2, "Gauss", sizes=SIZES),
    eq("double-sum-factor", S(S(x[i] * y[j], j)), S(x[i]) * S(y[j], j), "product of sums", sizes=SIZES),
    eq("double-sum-swap", S(S(x[i] * y[j], j, 1, n)), S(S(x[i] * y[j], i), j, 1, n), "swap the order"),
    eq("double-sum-swap-two-index", S(S(A2[i, j], j)), S(S(A2[i, j], i), j), "swap the order", sizes=SIZES),
    eq("nested-triangle-true", S(S(x[j], j, 1, i)), S((m - i + 1) * x[i]), "x_i appears m − i + 1 times", sizes=SIZES),
    eq("free-index-constant", S(x[k]), m * x[k], "x_k does not depend on i", sizes=SIZES, pins=PIN),
    eq(
        "bound-name-equals-pin",
        S(x[k] * y[k], k),
        S(x[i] * y[i]),
        "k is bound here, the pin k = 1 must not apply",
        sizes=SIZES,
        pins=PIN,
    ),
    eq("centered-sum-zero", S(x[i] - _mean, i), sp.Integer(0), "Σ(x − μ) = 0", sizes=SIZES),
    eq(
        "variance-identity",
        S((x[i] - _mean) ** 2, i),
        S(x[i] ** 2, i) - m * _mean**2,
        "Σ(x−μ)² = Σx² − mμ²",
        sizes=SIZES,
    ),
    eq(
        "expand-square-sum",
        S((x[i] + y[i]) ** 2),
        S(x[i] ** 2) + 2 * S(x[i] * y[i]) + S(y[i] ** 2),
        "expand",
        sizes=SIZES,
    ),
    eq(
        "product-split",
        sp.Product(x[i] * y[i], (i, 1, m)),
        sp.Product(x[i], (i, 1, m)) * sp.Product(y[i], (i, 1, m)),
        "a product of products",
        sizes=SIZES,
    ),
    Chain(
        "where-centered-true",
        S(d[i], i),
        ((sp.Integer(0), "=", None),),
        "d[t] := x_t − μ sums to 0",
        where=((mu, S(x[j], j) / m), (d, sp.Lambda(t, x[t] - mu))),
        sizes=SIZES,
    ),
    Chain(
        "where-lambda-bound-named-like-index",
        S(d[j] ** 2, j),
        ((S(x[j] ** 2, j) - S(x[i], i) ** 2 / m, "=", None),),
        "d[t] := x_t − Σ_i x_i/m (the Lambda's sum binds i, applied at j: no clash)",
        where=((d, sp.Lambda(t, x[t] - S(x[i], i) / m)),),
        sizes=SIZES,
    ),
    Chain(
        "where-two-args-true",
        S(A2[j, 1], j),
        ((S(x[j], j) * S(y[i], i), "=", None),),
        "A[s,t] := x_s Σ_i y_i; Σ_j A[j,1] = (Σx)(Σy)",
        where=((A2, sp.Lambda((s, t), x[s] * S(y[i], i))),),
        sizes=SIZES,
    ),
    eq(
        "deriv-renamed-index",
        D(S(x[j] ** 2, j), x[k]),
        D(S(x[i] ** 2), x[k]),
        "same derivative, other bound name",
        sizes=SIZES,
        pins=PIN,
    ),
    eq("deriv-in-range", D(S(x[i] ** 2), x[m]), 2 * x[m], "the last entry m is in 1..m", sizes=SIZES),
    eq("deriv-first-entry", D(S(x[i] ** 2), x[1]), 2 * x[1], "entry 1 is in 1..m (m ≥ 1)", sizes=SIZES),
    eq(
        "softmax-derivative",
        D(sp.exp(zr[1]) / S(sp.exp(zr[j]), j), zr[1]),
        sp.exp(zr[1]) / S(sp.exp(zr[j]), j) - (sp.exp(zr[1]) / S(sp.exp(zr[j]), j)) ** 2,
        "s_1(1 − s_1); entry 1 is in range",
        sizes=SIZES,
    ),
    eq(
        "exp-deriv-complex-rate",
        D(S(sp.exp(sp.I * zr[i])), zr[1]),
        sp.I * sp.exp(sp.I * zr[1]),
        "chain rule with an imaginary rate (entry 1 is in range)",
        sizes=SIZES,
    ),
    eq("exp-times-inverse", S(sp.exp(zr[i]) * sp.exp(-zr[i])), m, "e^z e^{−z} = 1", sizes=SIZES),
    eq("exp-square-twin", S(sp.exp(2 * zr[i])), S(sp.exp(zr[i]) ** 2), "real z", sizes=SIZES),
    eq("exp-sqrt-real", S(sp.sqrt(sp.exp(2 * zr[i]))), S(sp.exp(zr[i])), "real z: e^{2z} > 0, root e^z"),
    eq("softmax-sums-to-one", S(sp.exp(zr[i]) / S(sp.exp(zr[j]), j)), sp.Integer(1), "normalised", sizes=SIZES),
    eq("sqrt-square-declared", sp.sqrt(sigma_nn**2 + 2 * sigma_nn + 1), sigma_nn + 1, "σ ≥ 0 is declared"),
    eq("sqrt-square-positive", sp.sqrt(p**2), p, "p > 0 is declared"),
    eq("abs-square-real", sp.Abs(X) ** 2, X**2, "X real"),
    eq("indexed-positive-sqrt", S(sp.sqrt(xp[i] ** 2)), S(xp[i]), "x > 0 is declared on the IndexedBase", sizes=SIZES),
    eq("huge-rational-cancel", X * 10**40 + 1 - X * 10**40, sp.Integer(1), "exact arithmetic"),
    eq("tiny-rational-scale", (sp.Rational(1, 10**40) * X) * 10**40, X, "exact arithmetic"),
    eq("power-of-three-rational", sp.Rational(1, 3**60) * 3**60 * X, X, "exact arithmetic"),
    eq("near-one-rational", sp.Rational(10**30 + 1, 10**30) * X - X, X / 10**30, "exact arithmetic"),
    eq("log-exp-real", sp.log(sp.exp(X)), X, "X real"),
    eq("cube-root-positive", (p**3) ** sp.Rational(1, 3), p, "p > 0"),
    eq("cos-integer-pi", sp.cos(sp.pi * n), (-1) ** n, "n integer"),
    eq("neg-one-even-integer", (-1) ** (2 * n), sp.Integer(1), "n integer"),
    eq("max-plus-min", sp.Max(0, X) + sp.Min(0, X), X, "relu split"),
    eq("max-abs-form", sp.Max(X, Y), (X + Y + sp.Abs(X - Y)) / 2, "max via |·|"),
    eq("heaviside-half-sum", sp.Heaviside(X) + sp.Heaviside(-X), sp.Integer(1), "H(0) = 1/2"),
    eq("floor-plus-frac", sp.floor(X) + sp.frac(X), X, "definition of frac"),
    eq("piecewise-abs", sp.Piecewise((X, X >= 0), (-X, True)), sp.Abs(X), "definition of |X|"),
    eq("hermite-floor", sp.floor(X / 2) + sp.floor((X + 1) / 2), sp.floor(X), "Hermite's identity, every real X"),
    eq("mod-floor", sp.Mod(X, 2), X - 2 * sp.floor(X / 2), "definition of Mod"),
    eq("matrix-transpose-product", (A * B).T, B.T * A.T, "(AB)ᵀ = BᵀAᵀ", sizes={nn: range(1, 4)}),
    eq("matrix-trace-cyclic", sp.Trace(A * B), sp.Trace(B * A), "cyclic trace", sizes={nn: range(1, 4)}),
    eq("matrix-distribute", A * (B + C), A * B + A * C, "distributive", sizes={nn: range(1, 4)}),
    eq("matrix-transpose-sum", (A + B).T, A.T + B.T, "linear", sizes={nn: range(1, 4)}),
    eq("matrix-inner-symmetric", u.T * w, w.T * u, "a 1×1 matrix is its transpose", sizes={nn: range(1, 4)}),
    eq("matrix-jacobian-linear", Jacobian(A * u, u), A, "∂(Au)/∂u = A", sizes={nn: range(1, 3)}),
    eq("matrix-jacobian-identity", Jacobian(u, u), sp.Identity(nn), "∂u/∂u = I", sizes={nn: range(1, 3)}),
    eq("matrix-jacobian-gram", Jacobian(u.T * u, u), 2 * u.T, "∂(uᵀu)/∂u = 2uᵀ", sizes={nn: range(1, 3)}),
    eq(
        "matrix-hadamard-commutes",
        sp.HadamardProduct(A, B),
        sp.HadamardProduct(B, A),
        "entrywise product",
        sizes={nn: range(1, 3)},
    ),
    eq("matrix-power-product", A**2 * A, A**3, "powers of one matrix", sizes={nn: range(1, 3)}),
    eq("matrix-trace-transpose", sp.Trace(A.T), sp.Trace(A), "same diagonal", sizes={nn: range(1, 3)}),
    eq(
        "matrix-det-product",
        sp.Determinant(A * B),
        sp.Determinant(A) * sp.Determinant(B),
        "multiplicative",
        sizes={nn: range(1, 3)},
    ),
    eq("matrix-inverse-transpose", sp.Inverse(A).T, sp.Inverse(A.T), "(A⁻¹)ᵀ = (Aᵀ)⁻¹", sizes={nn: range(1, 3)}),
    eq("matrix-identity-left", sp.Identity(nn) * A, A, "I·A = A", sizes={nn: range(1, 3)}),
    eq("matrix-norm-scale-positive", Norm(p * u), p * Norm(u), "p > 0", sizes={nn: range(1, 3)}),
    le("true-sigmoid-derivative", sp.exp(-X) / (1 + sp.exp(-X)) ** 2, sp.Rational(1, 4), "σ' ≤ 1/4", "true"),
    le("true-cauchy-schwarz", S(x[i]) ** 2, m * S(x[i] ** 2), "Cauchy–Schwarz", "true", sizes=SIZES),
    le("true-triangle", sp.Abs(a + b), sp.Abs(a) + sp.Abs(b), "triangle inequality", "true"),
    le("true-opnorm", Norm(A * u), OpNorm(A) * Norm(u), "submultiplicativity", "true", sizes={nn: range(1, 3)}),
    ge("true-exp-tangent", sp.exp(X), 1 + X, "convexity of exp", "true"),
    ge("true-am-gm-squares", X**2 + Y**2, 2 * X * Y, "(X − Y)² ≥ 0", "true"),
    ge("true-abs-sum", S(sp.Abs(x[i])), sp.Abs(S(x[i])), "triangle inequality", "true", sizes=SIZES),
]

_odd = sp.Symbol("o", odd=True)
_nonzero_int = sp.Symbol("q", integer=True, nonzero=True)
_prime = sp.Symbol("P", prime=True)
_neg = sp.Symbol("c", negative=True)
_neg_int = sp.Symbol("kn", integer=True, negative=True)
TRUE_CHAINS += [
    # drawn points must respect every assumption, not only sign and integrality
    ge("assume-odd-square", _odd**2, sp.Integer(1), "odd integers are nonzero", "o odd: o² ≥ 1 (o = 0 is not odd)"),
    ge("assume-nonzero-integer", sp.Abs(_nonzero_int), sp.Integer(1), "nonzero integers", "q ≠ 0 integer: |q| ≥ 1"),
    ge("assume-prime", _prime, sp.Integer(2), "primes are at least 2", "P prime: P ≥ 2 (1 is not prime)"),
    le(
        "assume-negative-matrix-scale",
        _neg * Norm(u),
        sp.Integer(0),
        "c < 0 and a norm is ≥ 0",
        "c is declared negative",
        sizes={nn: range(1, 3)},
    ),
    le(
        "assume-negative-integer-matrix-scale",
        _neg_int * Norm(u),
        sp.Integer(0),
        "k < 0 and a norm is ≥ 0",
        "k is declared a negative integer",
        sizes={nn: range(1, 3)},
    ),
]

TRUE_RECORDS: list[Record] = [
    Record(
        "cx-genuine-derivative",
        _refuted("cx-genuine-derivative", sp.Eq(sp.Derivative(X**2, X), X, evaluate=False), {X: 2}),
        "d(X²)/dX = 2X = 4 ≠ 2 at X = 2: the derivative must be taken before the point is substituted",
        Verdict.REFUTED,
    ),
    Record(
        "cx-genuine-binomial",
        _refuted("cx-genuine-binomial", sp.Eq((a + b) ** 2, a**2 + b**2, evaluate=False), {a: 1, b: 1}),
        "4 ≠ 2: a genuine counterexample must be confirmed",
        Verdict.REFUTED,
    ),
    Record(
        "cx-genuine-strict",
        _refuted("cx-genuine-strict", sp.Lt(X, X, evaluate=False), {X: 1}),
        "X < X is false at X = 1",
        Verdict.REFUTED,
    ),
    Record(
        "cx-genuine-tiny-gap",
        _refuted("cx-genuine-tiny-gap", sp.Eq(X + sp.Rational(1, 10**25), X, evaluate=False), {X: 1}),
        "the sides differ by exactly 10⁻²⁵: a true violation (undecided is acceptable, 'fails' is not)",
        Verdict.REFUTED,
    ),
    Record(
        "cx-genuine-sum",
        _refuted("cx-genuine-sum", sp.Eq(S(x[i]) ** 2, S(x[i] ** 2), evaluate=False), {m: 2, x[1]: 1, x[2]: 1}),
        "4 ≠ 2",
        Verdict.REFUTED,
    ),
    Record(
        "cx-genuine-complex",
        _refuted("cx-genuine-complex", sp.Eq(sp.sqrt(z_c), -sp.sqrt(z_c), evaluate=False), {z_c: -1}),
        "i ≠ −i",
        Verdict.REFUTED,
    ),
]


# ══ MALFORMED inputs: a clear error or undecided, never a traceback ═══════════════════════════
def _check_chain(lhs: Any, *steps: Any, **kw: Any):
    """check_claim on a one-derivation claim recorded proved (the record is built inside)."""
    from dlproofs.check import check_claim

    st = tuple(s_ if isinstance(s_, Step) else Step(s_, "step", "malformed input") for s_ in steps)
    return check_claim(_claim("malformed", Verdict.PROVED, derivations=(Derivation("malformed", lhs, st, **kw),)))


def _check_derivation(lhs: Any, *steps: Any, **kw: Any):
    from dlproofs.check import check_derivation

    return check_derivation(Derivation("malformed", lhs, tuple(steps), **kw))


def _link(a_: Any, b_: Any, **kw: Any):
    from dlproofs.stepcheck import check_link

    return check_link(a_, b_, **kw)


def _check_record(claim_fn: Callable[[], Claim], **kw: Any):
    from dlproofs.check import check_claim

    return check_claim(claim_fn(), **kw)


def _strategy_claim(strategy_fn: Callable) -> Claim:
    return _claim(
        "malformed",
        Verdict.PROVED,
        derivations=(_true_variance_derivation(),),
        numeric=(_var_check(cases=strategy_fn),),
    )


def _nothing():
    from hypothesis import strategies as st

    return st.nothing()


def _never():
    from hypothesis import strategies as st

    return st.fixed_dictionaries({"x": st.just(0)}).filter(lambda _: False)


_f = sp.Function("f")
_h = sp.Function("h")
_xm = sp.MatrixSymbol("x", mm, 1)

MALFORMED: list[Bad] = [
    Bad(
        "python-int-step",
        lambda: _check_chain(1 + X - X + sp.Integer(1), 2),
        "a plain int as a step expression",
        lenient=True,
    ),
    Bad("python-int-lhs", lambda: _check_chain(2, sp.Integer(2)), "a plain int as the left side", lenient=True),
    Bad("python-float-step", lambda: _check_chain(X / 2, 0.5), "a plain float as a step expression"),
    Bad("string-step", lambda: _check_chain(X + 1, "X + 1"), "a string as a step expression"),
    Bad("none-step", lambda: _check_chain(X, None), "None as a step expression"),
    Bad("list-step", lambda: _check_chain(X, [X]), "a list as a step expression"),
    Bad("relational-step", lambda: _check_chain(X, sp.Eq(X, X)), "a relation (Eq) where an expression belongs"),
    Bad("boolean-step", lambda: _check_chain(X, sp.true), "a SymPy boolean as a step expression"),
    Bad("link-python-ints", lambda: _link(2, 2), "check_link on two Python ints", lenient=True),
    Bad("link-strings", lambda: _link("a", "a"), "check_link on strings"),
    Bad(
        "relation-lt",
        lambda: _check_chain(X, Step(X + 1, "bound", "strict", relation="<", lemma="adding 1")),
        "relation '<' is not one of '=', '<=', '>='",
    ),
    Bad("relation-eqeq", lambda: _check_chain(X, Step(X, "same", "same", relation="==")), "relation '=='"),
    Bad("link-relation-lt", lambda: _link(X, X + 1, relation="<"), "check_link with relation '<'"),
    Bad("link-relation-eqeq", lambda: _link(X, X, relation="=="), "check_link with relation '=='"),
    Bad("no-steps-claim", lambda: _check_chain(X), "a derivation with no steps"),
    Bad("no-steps-derivation", lambda: _check_derivation(X), "check_derivation on a derivation with no steps"),
    Bad(
        "mixed-direction-chain",
        lambda: _check_chain(
            X, Step(X + 1, "b", "b", relation="<=", lemma="adding 1"), Step(X, "b", "b", relation=">=", lemma="minus 1")
        ),
        "≤ then ≥ in one chain",
    ),
    Bad(
        "undefined-function-derivative",
        lambda: _link(sp.Derivative(_f(X), X), 2 * X),
        "the refutation search meets the derivative of an undefined function",
    ),
    Bad(
        "undefined-function-derivative-sum",
        lambda: _link(D(S(_f(x[i])), x[k]), sp.Derivative(_f(x[k]), x[k]), sizes=SIZES, pins=PIN),
        "a sum of an undefined function, differentiated",
    ),
    Bad("undefined-functions-equal", lambda: _link(_f(X), _h(X)), "two unknown functions"),
    Bad(
        "complex-point-ge",
        lambda: _check_record(_refuted("malformed", sp.Ge(sp.sqrt(X), 0), {X: -1})),
        "the point makes a side complex (√−1 = i): an order relation cannot be evaluated",
    ),
    Bad(
        "complex-point-value",
        lambda: _check_record(_refuted("malformed", sp.Le(X, 0), {X: sp.I})),
        "a complex number as a point value",
    ),
    Bad(
        "int-point-value",
        lambda: _check_record(_refuted("malformed", sp.Eq(X**2, X), {X: 2}, raw=True)),
        "a plain int as a point value",
        lenient=True,
    ),
    Bad(
        "float-point-value",
        lambda: _check_record(_refuted("malformed", sp.Eq(X, sp.Rational(1, 10), evaluate=False), {X: 0.1}, raw=True)),
        "a plain float as a point value: X = 1/10 holds at X = 1/10, so the binary 0.1 must be refused "
        "(or read as 1/10), never confirm a violation",
    ),
    Bad(
        "string-point-key",
        lambda: _check_record(_refuted("malformed", sp.Eq(X**2, X), {"X": 2}, raw=True)),
        "a string as a point key",
    ),
    Bad(
        "relation-is-bool",
        lambda: _check_record(_refuted("malformed", sp.Eq(1, 2), {})),
        "Eq(1, 2) evaluates to False before the engine sees it",
    ),
    Bad(
        "cx-run-and-point",
        lambda: _check_record(
            lambda: _claim(
                "malformed",
                Verdict.REFUTED,
                counterexamples=(
                    Counterexample("both", relation=sp.Eq(X, 1), point={X: 2}, run=lambda: Witness(False, "2", "1")),
                ),
            )
        ),
        "a counterexample must give exactly one of point or run",
    ),
    Bad(
        "cx-run-raises",
        lambda: _check_record(
            lambda: _claim("malformed", Verdict.REFUTED, counterexamples=(Counterexample("raises", run=lambda: 1 / 0),))
        ),
        "a counterexample run that raises",
    ),
    Bad(
        "cx-run-returns-bool",
        lambda: _check_record(
            lambda: _claim(
                "malformed", Verdict.REFUTED, counterexamples=(Counterexample("returns False", run=lambda: False),)
            )
        ),
        "a run that returns a bool, not a Witness",
    ),
    Bad(
        "shape-mismatch-matmul",
        lambda: _link((A * _xm).T, _xm.T * A.T, sizes={nn: range(1, 3), mm: range(2, 4)}),
        "A is n×n and x is m×1: A·x is defined only for m = n, which nothing states",
    ),
    Bad(
        "identity-times-other-size",
        lambda: _link(sp.Identity(nn) * _xm, _xm),
        "I_n·x with x of m rows is defined only when m = n, which nothing states",
    ),
    Bad(
        "matrix-1x1-vs-scalar",
        lambda: _link(u.T * u, Norm(u) ** 2, sizes={nn: range(1, 3)}),
        "a 1×1 matrix against a scalar",
    ),
    Bad(
        "matrix-vs-scalar", lambda: _link(A, X, sizes={nn: range(1, 3)}), "a matrix on one side, a scalar on the other"
    ),
    Bad(
        "where-name-is-bound-index",
        lambda: _check_chain(S(x[i]) + i, S(x[j], j) + 2, where=((i, sp.Integer(2)),), sizes=SIZES),
        "an abbreviation named like a summation index (i := 2): a clear error, or only the free i replaced",
        lenient=True,
    ),
    Bad(
        "where-order-reversed",
        lambda: _check_chain(
            S(d[i], i), sp.Integer(0), where=((d, sp.Lambda(t, x[t] - mu)), (mu, S(x[j], j) / m)), sizes=SIZES
        ),
        "d uses μ, but μ is listed after d (the docstring says later ones may use earlier ones): Σ(x − μ) = 0 "
        "is true, so the order must be refused or resolved, never turned into a refutation with μ free",
    ),
    Bad(
        "unsatisfiable-strategy",
        lambda: _check_record(lambda: _strategy_claim(_nothing)),
        "st.nothing() cannot produce inputs",
    ),
    Bad(
        "filtered-away-strategy",
        lambda: _check_record(lambda: _strategy_claim(_never)),
        "a strategy whose filter rejects everything",
    ),
    Bad(
        "numeric-not-a-check",
        lambda: _check_record(lambda: _claim("malformed", Verdict.PROVED, numeric=(42,))),
        "a numeric check that is an int",
    ),
    Bad(
        "lemma-object",
        lambda: _check_chain(X**2, Step(X**2 + 1, "b", "b", relation="<=", lemma=object())),
        "a lemma of unknown type",
    ),
    Bad("lemma-int", lambda: _link(X**2, X**2 + 1, relation="<=", lemma=7), "a lemma that is an int"),
    Bad(
        "where-wrong-arity",
        lambda: _check_chain(S(d[i], i), sp.Integer(0), where=((d, sp.Lambda((s, t), x[s] - x[t])),)),
        "a two-argument Lambda for a one-index abbreviation",
    ),
    Bad("where-name-string", lambda: _check_chain(X, Y, where=(("X", Y),)), "an abbreviation named by a string"),
    Bad("sizes-string", lambda: _check_chain(S(x[i]), S(x[j], j), sizes={m: "abc"}), "sizes that are not ints"),
    Bad("sizes-key-string", lambda: _check_chain(S(x[i]), S(x[j], j), sizes={"m": [1, 2]}), "a size named by a string"),
    Bad("sizes-negative", lambda: _check_chain(S(x[i]), S(x[j], j), sizes={m: [-1, 0]}), "sizes below 1"),
    Bad(
        "pins-float",
        lambda: _check_chain(D(S(x[i] ** 2), x[k]), 2 * x[k], sizes=SIZES, pins={k: 1.5}),
        "a pin that is not an integer",
    ),
    Bad("nan-sides", lambda: _link(sp.nan, sp.nan), "nan on both sides"),
    Bad("infinite-sides", lambda: _link(sp.oo, sp.oo), "oo − oo is undefined"),
    Bad("zoo-side", lambda: _link(X / 0, sp.zoo), "division by zero"),
    Bad(
        "claim-bad-id",
        lambda: _claim("Not An Id", Verdict.PROVED, derivations=(Derivation("x", X, (Step(X, "r", "w"),)),)),
        "an id that is not dotted lower-case",
    ),
    Bad(
        "verdict-as-string",
        lambda: _check_record(
            lambda: Claim(
                id="adv.malformed",
                title="t",
                verdict="proved",
                summary="s",
                derivations=(Derivation("x", X, (Step(X, "r", "w"),)),),
            )
        ),
        "a verdict given as a plain string",
    ),
]


# ══ Round 4 (adversarial review): each row an attack that got through, or a near miss ═══════════
from dlproofs.lemmas import Certificate  # noqa: E402
from dlproofs.sums import Index  # noqa: E402

q_nn = sp.Symbol("q", nonnegative=True)
_k_in = Index("k", 1, m)
FALSE_CHAINS += [
    # doit/simplify read a reversed range by Karr's convention (the refuter skips it as no evidence)
    eq(
        "r4-product-karr-m-minus-2",
        sp.Product(2, (i, 1, m - 2)),
        2 ** (m - 2),
        "at m = 1 the product is empty (1), but Karr's convention makes it 1/2 = 2^(1 − 2); simplify proved it",
    ),
    eq(
        "r4-product-karr-concrete",
        sp.Product(2, (i, 3, 1)),
        sp.Rational(1, 2),
        "Π_{i=3}^{1} 2 is an empty product (1); Karr's convention gives 1/Π_{i=2}^{2} 2 = 1/2",
    ),
    eq(
        "r4-product-karr-x",
        sp.Product(x[i], (i, 1, m - 2)) * x[m - 1],
        sp.Product(x[i], (i, 1, m - 1)),
        "at m = 1: x₀·(empty product) = x₀ ≠ 1 (the right side is the empty product)",
    ),
    # the lemma library's canonical form counted the terms of a range not proved non-reversed
    le(
        "r4-certificate-karr-count",
        S(sp.Integer(1), i, 1, m - 2),
        m - 2,
        Certificate(sp.S.Zero),
        "at m = 1: 0 ≤ −1 is false; the certificate's canonical form read Σ_{i=1}^{m−2} 1 as m − 2",
    ),
    le(
        "r4-certificate-karr-scaled",
        S(X**2, i, 1, m - 2),
        (m - 2) * X**2,
        Certificate(sp.S.Zero),
        "at m = 1, X = 1: 0 ≤ −1 is false",
    ),
    # a derivative of a function with a kink, evaluated at the kink
    eq(
        "r4-relu-derivative-at-zero",
        sp.Subs(sp.Derivative(sp.Max(0, X), X), X, 0),
        sp.Rational(1, 2),
        "relu is not differentiable at 0; 1/2 is SymPy's Heaviside(0), not a derivative",
    ),
    eq(
        "r4-abs-derivative-at-zero",
        sp.Subs(sp.Derivative(sp.Abs(X), X), X, 0),
        sp.Integer(0),
        "|x| is not differentiable at 0; 0 is SymPy's sign(0), one subgradient of [−1, 1]",
    ),
    # a derivative with respect to a where-abbreviation changes meaning once expanded
    Chain(
        "r4-derivative-by-abbreviation",
        sp.Derivative(mu * X, mu),
        ((2 * X, "=", None),),
        "∂(μX)/∂μ = X for the variable μ; expanding μ := X first makes it d(X²)/dX = 2X",
        where=((mu, X),),
    ),
    # false only at the boundary 0 (the refuter never drew 0 for a real symbol)
    eq("r4-boundary-zero-power", sp.Integer(0) ** q_nn, sp.Integer(0), "q = 0: 0⁰ = 1 ≠ 0"),
    eq(
        "r4-boundary-strict-piecewise",
        sp.Piecewise((1, X > 0), (0, True)),
        sp.Heaviside(X, 1),
        "at X = 0: 0 ≠ 1",
    ),
    eq("r4-boundary-floor-sum", sp.floor(X) + sp.floor(-X), sp.Integer(-1), "at integers (X = 0): 0 ≠ −1"),
    eq("r4-boundary-ceiling-gap", sp.ceiling(X) - sp.floor(X), sp.Integer(1), "at integers (X = 0): 0 ≠ 1"),
    eq("r4-boundary-sign-nonneg", sp.sign(q_nn), sp.Integer(1), "q = 0: sign(0) = 0"),
    ge(
        "r4-boundary-step-sum",
        sp.Abs(X) + sp.Heaviside(-X, 0) + sp.Heaviside(X, 0),
        sp.Integer(1),
        None,
        "≥ 1 away from 0, but 0 at X = 0",
    ),
]

_w_im = sp.Symbol("w", imaginary=True)
FALSE_CHAINS += [
    Chain(
        "r4-where-imaginary-symbol",
        sp.re(_w_im),
        ((sp.Integer(0), "=", None),),
        "re(w) = 0 for an imaginary w; SymPy evaluates re(w) to 0 while the step is built, so w := 1 reads re(1) = 0",
        where=((_w_im, sp.Integer(1)),),
    ),
]

# near misses of round 4 (not proved today; kept so that they stay so)
_sgn = sp.sign(X)
_tt = sp.Symbol("t", real=True)
_nn_i = sp.Symbol("n", integer=True, nonnegative=True)
FALSE_CHAINS += [
    Chain(
        "r4-chain-through-undefined-point",
        _sgn**2,
        (
            (_sgn**2 * X * (X + 1) / (X**2 + X), "=", None),
            (X * (X + 1) / (X**2 + X), "=", None),
            (sp.Integer(1), "=", None),
        ),
        "each link holds where both sides are defined (X ≠ 0, −1), but the chain ends in sign(X)² = 1, false at X = 0",
        bad=None,
    ),
    eq("r4-divergent-integral", sp.Integral(1 / _tt**2, (_tt, -1, 1)), sp.Integer(-2), "∫_{−1}^{1} t⁻² dt diverges"),
    eq("r4-grandi-series", sp.Sum((-1) ** _nn_i, (_nn_i, 0, sp.oo)), sp.Rational(1, 2), "Σ (−1)ⁿ diverges"),
    eq("r4-ramanujan-sum", sp.Sum(n, (n, 1, sp.oo)), sp.Rational(-1, 12), "Σ n diverges"),
    eq(
        "r4-two-sided-limit",
        sp.Limit(sp.Abs(X) / X, X, 0, dir="+-"),
        sp.Integer(1),
        "|X|/X has no limit at 0 (−1 from the left)",
    ),
    eq(
        "r4-matrix-det-negation-odd-sizes",
        sp.Determinant(-A),
        -sp.Determinant(A),
        "det(−A) = (−1)ⁿ det A: false for even n, which the sizes 1 and 3 skip",
        sizes={nn: (1, 3)},
    ),
    eq(
        "r4-matrix-trace-noncyclic-size-one",
        sp.Trace(A * B * C),
        sp.Trace(B * A * C),
        "not a cyclic shift; at the only size checked (n = 1) all matrices commute",
        sizes={nn: (1,)},
    ),
]

_k_j = Index("k", 1, j)  # a range that mentions the outer summation index j
_prefix_grad = S(D(S(x[i] ** 2, i, 1, j), x[_k_j]), j)  # Σ_{j=1}^{m} ∂/∂x_k Σ_{i≤j} x_i²
FALSE_CHAINS += [
    eq(
        "r4-index-range-over-bound-index",
        _prefix_grad,
        2 * m * x[_k_j],
        "the premise k ≤ j fails for the terms j < k: the sum is 2(m − k + 1)·x_k, not 2m·x_k (m = 2, k = 2: 2x₂ ≠ 4x₂)",
    ),
    eq(
        "r4-index-range-over-bound-index-pinned",
        _prefix_grad,
        2 * m * x[_k_j],
        "as r4-index-range-over-bound-index, with k pinned to 1, the one position where it holds",
        sizes=SIZES,
        pins={_k_j: 1},
    ),
]

FALSE_RECORDS += [
    Record(
        "r4-cx-key-is-subexpression",
        _refuted("r4-cx-key-is-subexpression", sp.Le(sp.sin(X) ** 2, 1), {sp.sin(X): 2}),
        "sin²X ≤ 1 holds for every real X; a point 'sin(X) = 2' is no point of X",
        Verdict.REFUTED,
    ),
    Record(
        "r4-cx-value-breaks-assumption",
        _refuted("r4-cx-value-breaks-assumption", sp.Ge(p**3 - p, -1), {p: -2}),
        "p³ − p ≥ −2/(3√3) > −1 for p > 0; p = −2 is not a positive p",
        Verdict.REFUTED,
    ),
    Record(
        "r4-cx-integer-gets-fraction",
        _refuted("r4-cx-integer-gets-fraction", sp.Eq(sp.Mod(n**2 - n, 2), 0, evaluate=False), {n: sp.Rational(1, 2)}),
        "n² − n = n(n − 1) is even for every integer n; n = 1/2 (Mod(−1/4, 2) = 7/4) is not an integer",
        Verdict.REFUTED,
    ),
    Record(
        "r4-cx-index-out-of-declared-range",
        _refuted(
            "r4-cx-index-out-of-declared-range",
            sp.Eq(D(S(x[i] ** 2), x[_k_in]), 2 * x[_k_in], evaluate=False),
            {m: 2, _k_in: 3, x[3]: 1},
        ),
        "∂/∂x_k Σ_{i≤m} x_i² = 2x_k holds for k in its declared range 1..m; k = 3 > m = 2 is outside it",
        Verdict.REFUTED,
    ),
    Record(
        "r4-cx-relu-derivative-at-kink",
        _refuted("r4-cx-relu-derivative-at-kink", sp.Eq(D(sp.Max(0, X), X), 0), {X: 0}),
        "'relu'(x) = 0 at x = 0' is no statement SymPy's Heaviside(0) = 1/2 refutes: relu has no derivative at 0",
        Verdict.REFUTED,
    ),
    Record(
        "r4-conditional-unrelated-cx",
        lambda: _claim(
            "r4-conditional-unrelated-cx",
            Verdict.CONDITIONAL,
            derivations=(Derivation("square", (X + 1) ** 2, (Step(X**2 + 2 * X + 1, "expand", "expand"),)),),
            hypothesis="Y ≥ 5",
            premise=Premise(relation=sp.Ge(Y, 5)),
            counterexamples=(_cx(sp.Eq(Y**2, Y, evaluate=False), {Y: sp.Integer(2)}),),
        ),
        "(X + 1)² = X² + 2X + 1 holds unconditionally; a counterexample to an unrelated relation Y² = Y that "
        "violates an unrelated premise Y ≥ 5 does not show a hypothesis is needed",
        Verdict.CONDITIONAL,
    ),
]

TRUE_CHAINS += [
    eq(
        "r4-entry-at-a-drawn-index",
        S(D(S(x[i] ** 2, i, 1, j), x[_k_in]), j),
        2 * (m - _k_in + 1) * x[_k_in],
        "x_k is a summand of Σ_{i≤j} for j = k..m (k in 1..m); the refuter once gave x[k] and x[1] two values at k = 1",
    ),
    eq(
        "r4-dirac-delta-inside",
        sp.Integral(sp.DiracDelta(sp.Symbol("t", real=True) - p / (1 + p)), (sp.Symbol("t", real=True), -1, 1)),
        sp.Integer(1),
        "the spike at p/(1 + p) ∈ (0, 1) lies inside (−1, 1); numeric quadrature never sees it (it gave 0)",
    ),
    eq("r4-product-nonreversed", sp.Product(2, (i, 1, m - 1)), 2 ** (m - 1), "m − 1 ≥ 0 factors"),
    le("r4-certificate-count-nonreversed", S(sp.Integer(1), i, 1, m - 1), m - 1, Certificate(sp.S.Zero), "m − 1 terms"),
    eq("r4-derivative-smooth-at-point", sp.Subs(sp.Derivative(X**3, X), X, 2), sp.Integer(12), "3·2² = 12"),
    eq("r4-relu-derivative-away-from-kink", sp.Derivative(sp.Max(0, X), X), sp.Heaviside(X), "SymPy's convention"),
    eq("r4-boundary-true-power", q_nn * sp.Heaviside(q_nn, 0), q_nn, "q = 0: 0 = 0; q > 0: q = q"),
]

TRUE_RECORDS += [
    Record(
        "r4-cx-real-logit-zero",
        _refuted(
            "r4-cx-real-logit-zero",
            sp.Eq(sp.exp(a) / (sp.exp(a) + sp.exp(b)) / 2, sp.exp(a / 2) / (sp.exp(a / 2) + sp.exp(b / 2))),
            {a: 1, b: 0},
        ),
        "softmax(1, 0)₁/2 ≠ softmax(1/2, 0)₁ for the real logits a, b: b = 0 is allowed (a point that respects "
        "the assumptions must still be confirmed)",
        Verdict.REFUTED,
    ),
]

# ── round 5 (session 5): numeric quadrature is not certified evidence ──────────────────────────
_t5 = sp.Symbol("t", real=True)
_PHI5 = sp.exp(-(_t5**2) / 2) / sp.sqrt(2 * sp.pi)
TRUE_CHAINS += [
    eq(
        "r5-gaussian-integral-far-point",
        sp.Integral(_PHI5, (_t5, -sp.oo, X)),
        (1 + sp.erf(X / sp.sqrt(2))) / 2,
        "Φ(x) in erf form; sp.N's quadrature of ∫_{−∞}^{27} φ gave 7.6e-37 (not 1) and refuted this true identity",
    ),
]
FALSE_CHAINS += [
    eq(
        "r5-gaussian-integral-wrong-scale",
        sp.Integral(_PHI5, (_t5, -sp.oo, X)),
        (1 + sp.erf(X / 2)) / 2,
        "erf(x/2) in place of erf(x/√2): the CDF of a normal with variance 2, not 1",
    ),
    eq(
        "r5-gaussian-integral-off-by-tiny",
        sp.Integral(_PHI5, (_t5, -sp.oo, X)),
        (1 + sp.erf(X / sp.sqrt(2))) / 2 + sp.Rational(1, 10**30),
        "off by 1e-30: below any float's resolution, still false",
    ),
]
