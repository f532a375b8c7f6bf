"""Scaled dot-product attention: why 1/√d_k, what 1/d_k would do, saturation, SDPA and multi-head.

The variance facts are proved for a symbolic d_k by moment algebra (``dlproofs/moments.py``:
E[(Σ_i Y_i)^r] as a sum over set partitions), checked exactly with ``sympy.stats`` at
d_k ≤ 4 for Gaussian, Rademacher and uniform components, and cross-checked by a designed Monte
Carlo test in torch (``dlproofs/montecarlo.py``) whose statistic, sizes, threshold, bound,
false-alarm probability and power are printed with the proof. Seeds: 000 §2.3, 001 Q12, 002,
004 (the Transformer paper's footnote, quoted there with the scaling garbled to 1/d_k).
Seed 004's sentence that its code scales after the softmax is refuted (scaling after is another
function), and additive attention needs no scaling because its scores are bounded by ‖v‖₁
whatever d_k (seed 002).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import dlproofs.impl.attention as att
import sympy as sp
import torch
import torch.nn.functional as F
from dlproofs.derivations import _shared as shared
from dlproofs.derivations import _variants as variants
from dlproofs.derivations.softmax import SOFTMAX_JACOBIAN
from hypothesis import strategies as st
from sympy import Abs, Eq, IndexedBase, Lambda, Rational, Sum, Symbol, exp, sqrt, symbols, tanh
from sympy.stats import E as stats_E
from sympy.stats import Normal, Rademacher, Uniform

from dlproofs.claim import Claim, Counterexample, Derivation, Sentence, Source, Step, Verdict, Witness
from dlproofs.contract import Contract, Locator, Variant
from dlproofs.derived import ATTEND
from dlproofs.evidence import StatsCheck
from dlproofs.lemmas import Certificate, LemmaUse
from dlproofs.moments import moments_from, product_moments, raw_moment_of_sum
from dlproofs.montecarlo import BoundedMeanCheck, Claimed, Inequality, MonteCarloCheck, Population
from dlproofs.numeric import Case, CrossCheck, Outcome, PropertyCheck, Tolerance
from dlproofs.strategies import scales, tensors

# ── symbols: S = q·k = Σ_{i=1}^{d_k} q_i k_i, Y_i = q_i k_i ───────────────────────────────
d_k = Symbol("d_k", integer=True, positive=True)
Eq1, Eq2 = Symbol("E_q", real=True), Symbol("E_q2", nonnegative=True)  # E[q_i], E[q_i²]
Ek1, Ek2 = Symbol("E_k", real=True), Symbol("E_k2", nonnegative=True)
Y1, Y2 = Symbol("E_Y", real=True), Symbol("E_Y2", nonnegative=True)  # E[q_i k_i], E[(q_i k_i)²]
ES, ES2 = Symbol("E_S", real=True), Symbol("E_S2", nonnegative=True)  # E[q·k], E[(q·k)²]
sq2, sk2 = Symbol("sigma_q^2", positive=True), Symbol("sigma_k^2", positive=True)
mq, mk = Symbol("mu_q", real=True), Symbol("mu_k", real=True)

LATEX = {
    Eq1: r"\mathbb{E}[q_i]",
    Eq2: r"\mathbb{E}[q_i^2]",
    Ek1: r"\mathbb{E}[k_i]",
    Ek2: r"\mathbb{E}[k_i^2]",
    Y1: r"\mathbb{E}[q_i k_i]",
    Y2: r"\mathbb{E}[(q_i k_i)^2]",
    ES: r"\mathbb{E}[q \cdot k]",
    ES2: r"\mathbb{E}[(q \cdot k)^2]",
    sq2: r"\sigma_q^2",
    sk2: r"\sigma_k^2",
    mq: r"\mu_q",
    mk: r"\mu_k",
}

STANDARD = moments_from(mean=0, variance=1)  # mean 0, variance 1, any distribution


def _where(q_moments: Mapping[int, sp.Expr], k_moments: Mapping[int, sp.Expr]) -> tuple:
    """Per-component moments, then E[S] and E[S²] from the moment algebra (set partitions)."""
    y = {1: Y1, 2: Y2}
    return (
        (Eq1, q_moments[1]),
        (Eq2, q_moments[2]),
        (Ek1, k_moments[1]),
        (Ek2, k_moments[2]),
        (Y1, Eq1 * Ek1),
        (Y2, Eq2 * Ek2),
        (ES, raw_moment_of_sum(1, d_k, y)),
        (ES2, raw_moment_of_sum(2, d_k, y)),
    )


SIZES = {d_k: range(1, 7)}
PARTITIONS = Step(
    d_k * Y2 + d_k * (d_k - 1) * Y1**2 - (d_k * Y1) ** 2,
    "set partitions of two positions",
    "E[S²] = Σ_{i,j} E[Y_i Y_j]: the d_k pairs with i = j give E[Y²], the d_k(d_k − 1) pairs with i ≠ j "
    "give E[Y]² by independence; E[S] = d_k E[Y].",
)
COLLECT = Step(d_k * (Y2 - Y1**2), "collect", "d_k(d_k − 1) − d_k² = −d_k: Var[S] = d_k Var[Y].")
PRODUCT = Step(
    d_k * (Eq2 * Ek2 - Eq1**2 * Ek1**2),
    "q_i independent of k_i",
    "E[(q_i k_i)^j] = E[q_i^j] E[k_i^j].",
)

# ── attention.dot-product-mean ────────────────────────────────────────────────────────────
MEAN = Derivation(
    "E[q·k]",
    ES,
    (
        Step(d_k * Y1, "linearity of E", "E[Σ_i q_i k_i] = Σ_i E[q_i k_i] = d_k E[Y]."),
        Step(d_k * Eq1 * Ek1, "q_i independent of k_i", "E[q_i k_i] = E[q_i] E[k_i]."),
        Step(sp.S.Zero, "E[q_i] = 0", "Each component has mean 0."),
    ),
    sizes=SIZES,
    where=_where(STANDARD, STANDARD),
)

VARIANCE = Derivation(
    "Var[q·k] = E[(q·k)²] − E[q·k]²",
    ES2 - ES**2,
    (
        PARTITIONS,
        COLLECT,
        PRODUCT,
        Step(d_k, "E[q_i] = 0, E[q_i²] = 1", "Mean 0 and variance 1 give E[q_i²] = E[k_i²] = 1."),
    ),
    sizes=SIZES,
    where=_where(STANDARD, STANDARD),
)


# ── exact sympy.stats moments at small d_k ────────────────────────────────────────────────
DISTRIBUTIONS: dict[str, Callable[[str], Any]] = {
    "Gaussian N(0, 1)": lambda s: Normal(s, 0, 1),
    "Rademacher ±1": Rademacher,
    "uniform U(−√3, √3)": lambda s: Uniform(s, -sqrt(3), sqrt(3)),
}


@cache
def stats_moment(dist: str, size: int, r: int) -> sp.Expr:
    """E[(q·k)^r] by sympy.stats for iid components of ``dist`` at a concrete size (cached)."""
    make = DISTRIBUTIONS[dist]
    q = [make(f"q{a}") for a in range(size)]
    k = [make(f"k{a}") for a in range(size)]
    return sp.nsimplify(stats_E(sp.expand(sum(a * b for a, b in zip(q, k)) ** r)))


_STATS_SIZES = {
    "default": (
        ("Gaussian N(0, 1)", 1),
        ("Gaussian N(0, 1)", 2),
        ("Gaussian N(0, 1)", 3),
        ("Rademacher ±1", 1),
        ("Rademacher ±1", 2),
        ("Rademacher ±1", 3),
        ("Rademacher ±1", 4),
        ("uniform U(−√3, √3)", 1),  # d_k = 2 costs 0.5 s of integration: thorough profile
    ),
    "thorough": tuple((dist, s) for dist in DISTRIBUTIONS for s in (1, 2, 3, 4)),
}


def _at(expr: sp.Expr, d: Derivation) -> Callable[[int], sp.Expr]:
    full = d.expand(expr)
    return lambda size: full.subs(d_k, size)


# ── Monte Carlo populations: draws of S = q·k ─────────────────────────────────────────────
CHUNK = 1 << 21  # values per randn call, so d_k = 256 never needs gigabytes


def _dot_draws(sample_q: Callable, sample_k: Callable, size: int) -> Callable[[int, torch.Generator], torch.Tensor]:
    def draw(count: int, gen: torch.Generator) -> torch.Tensor:
        out, left = [], count
        while left:
            rows = min(left, max(1, CHUNK // size))
            qv, kv = sample_q((rows, size), gen), sample_k((rows, size), gen)
            out.append((qv * kv).sum(dim=1))  # [rows, d_k] -> [rows]
            left -= rows
        return torch.cat(out)

    return draw


def _gauss(shape, gen, sigma=1.0):
    return sigma * torch.randn(shape, generator=gen, dtype=torch.float64)


def _rademacher(shape, gen, sigma=1.0):
    return sigma * (2 * torch.randint(0, 2, shape, generator=gen).to(torch.float64) - 1)


def _uniform(shape, gen, sigma=1.0):
    return sigma * math.sqrt(3) * (2 * torch.rand(shape, generator=gen, dtype=torch.float64) - 1)


# standardized 4th moments E[Z⁴]: Gaussian 3, Rademacher 1, uniform 9/5 (all symmetric: E[Z³] = 0)
FOURTH = {_gauss: 3, _rademacher: 1, _uniform: Rational(9, 5)}
NAMES = {_gauss: "Gaussian", _rademacher: "Rademacher", _uniform: "uniform"}


def kappa(size: int, fq, fk) -> float:
    """Var[S²]/E[S²]² for S = q·k from the closed-form 4th moment (moment algebra, any σ: scale-free)."""
    y = product_moments(moments_from(third=0, fourth=FOURTH[fq]), moments_from(third=0, fourth=FOURTH[fk]), 4)
    m2, m4 = raw_moment_of_sum(2, size, y), raw_moment_of_sum(4, size, y)
    return float((m4 - m2**2) / m2**2)


def population(size: int, fq, fk=None, sq: float = 1.0, sk: float = 1.0) -> Population:
    fk = fk or fq
    sig = "" if sq == sk == 1.0 else f", σ_q = {sq:g}, σ_k = {sk:g}"
    return Population(
        f"{NAMES[fq]} q, {NAMES[fk]} k{sig}; d_k = {size}",
        {"d_k": size, "sigma_q": sq, "sigma_k": sk},
        _dot_draws(lambda sh, g: fq(sh, g, sq), lambda sh, g: fk(sh, g, sk), size),
        kappa(size, fq, fk),
    )


POPS = {
    "default": (population(16, _gauss), population(2, _rademacher)),
    "thorough": (
        population(2, _gauss),
        population(16, _gauss),
        population(64, _gauss),
        population(256, _gauss),
        population(2, _rademacher),
        population(64, _rademacher),
        population(4, _uniform),
        population(64, _uniform),
    ),
}
GENERAL_POPS = {
    "default": (population(8, _gauss, _uniform, 0.5, 3.0),),
    "thorough": (population(8, _gauss, _uniform, 0.5, 3.0), population(64, _uniform, _gauss, 2.0, 0.25)),
}


def _square(s, prm):
    return s**2


def _scaled_square(s, prm):
    return s**2 / prm["d_k"]


def _dk_square(s, prm):
    return (s / prm["d_k"]) ** 2


def _value(expr: sp.Expr, d: Derivation) -> Callable[[Mapping[str, Any]], float]:
    full = d.expand(expr)
    return lambda prm: float(full.subs({d_k: prm["d_k"], sq2: prm["sigma_q"] ** 2, sk2: prm["sigma_k"] ** 2}))


VAR_MC = MonteCarloCheck(
    name="Monte Carlo: E[(q·k)²] = d_k",
    claimed=Claimed(_square, _value(VARIANCE.rhs, VARIANCE), "E[(q·k)²] = Var[q·k] = d_k"),
    populations=POPS,
    statistic_text="X = (q·k)²; E[q·k] = 0 (attention.dot-product-mean), so E[X] = Var[q·k]",
    planted={
        "Var = 1.1·d_k": Claimed(_square, lambda prm: 1.1 * prm["d_k"], "E[(q·k)²] = 1.1·d_k"),
        "Var = d_k²": Claimed(_square, lambda prm: float(prm["d_k"] ** 2), "E[(q·k)²] = d_k²"),
    },
)

S002_L12 = Sentence(
    file=shared.SEED002,
    section="Transformer的点积模型做缩放(Scaled)的原因是什么?",
    line=12,
    quote="假设Query和Key向量中的元素都是相互独立的,均值为0方差为1的随机变量,那么两个向量的内积\\(q^Tk=\\Sigma_{i=1}^{d_k}q_ik_i\\)的均值为0,而方差为\\(d_k\\)。",
)
S004_L48 = Sentence(
    file=shared.SEED004,
    section="Transformer 代码 (scaled dot-product 解释)",
    line=48,
    quote="Then their dot product q⋅k=∑i=1dk(qiki)q ⋅ k=\\sum_{i=1}^{d_{k}}(q_{i}k_{i})qk=i=1dk(qiki), has mean 0 and variance dkd_{k}dk.",
)
S004_L51 = Sentence(
    file=shared.SEED004,
    section="Transformer 代码 (scaled dot-product 解释)",
    line=51,
    quote="选择根号 d_k 是因为可以使得 q*k 的结果满足期望为 0,方差为 1 的分布,类似于归一化。",
)


DOT_MEAN = Claim(
    id="attention.dot-product-mean",
    title="q·k has mean 0 when the components have mean 0",
    verdict=Verdict.PROVED,
    summary=(
        "For q, k ∈ R^{d_k} with independent components of mean 0 (any distribution; q independent of k), "
        "E[q·k] = Σ_i E[q_i]E[k_i] = 0, for every d_k."
    ),
    derivations=(MEAN,),
    numeric=(
        StatsCheck(
            name="exact E[q·k] by sympy.stats at d_k ≤ 4",
            moment=stats_moment,
            statistic=lambda m1, m2: m1,
            expected=_at(MEAN.rhs, MEAN),
            sizes=_STATS_SIZES,
            planted={"E[q·k] = 1": lambda s: 1, "E[q·k] = d_k (q·q instead of q·k)": lambda s: s},
        ),
    ),
    assumptions=("q_1..q_{d_k}, k_1..k_{d_k} independent", "E[q_i] = E[k_i] = 0"),
    sources=(
        Source(
            sentence=S002_L12,
            gloss="Assume the query and key components are independent with mean 0 and variance 1; then q·k has mean 0.",
            assertion="的均值为0,",
        ),
        Source(
            sentence=S004_L51,
            gloss="(√d_k is chosen because it makes q·k/√d_k) have mean 0 (scaling keeps E[q·k] = 0)…",
            assertion="满足期望为 0",
        ),
        Source(
            sentence=S004_L48,
            gloss="(English in the original, quoting the paper; the components are assumed independent with mean 0 and variance 1 in the sentence before) Then their dot product q·k has mean 0…",
            assertion="has mean 0",
        ),
    ),
)

DOT_VARIANCE = Claim(
    uses=("attention.dot-product-mean",),
    id="attention.dot-product-variance",
    title="q·k has variance d_k when the components have mean 0 and variance 1",
    verdict=Verdict.PROVED,
    summary=(
        "For q, k ∈ R^{d_k} with independent components of mean 0 and variance 1 (any distribution), "
        "Var[q·k] = d_k: proved for symbolic d_k by moment algebra (only E[q_i^j], E[k_i^j] for j ≤ 2 enter, so "
        "the components need not be identically distributed), checked exactly with sympy.stats at small d_k for "
        "Gaussian, Rademacher and uniform components, and by a designed Monte Carlo test in torch."
    ),
    derivations=(VARIANCE,),
    numeric=(
        StatsCheck(
            name="exact Var[q·k] by sympy.stats at d_k ≤ 4",
            moment=stats_moment,
            statistic=lambda m1, m2: m2 - m1**2,
            expected=_at(VARIANCE.rhs, VARIANCE),
            sizes=_STATS_SIZES,
            planted={"Var = d_k²": lambda s: s**2, "Var = 1.1·d_k": lambda s: Rational(11, 10) * s},
        ),
        VAR_MC,
    ),
    assumptions=DOT_MEAN.assumptions + ("E[q_i²] = E[k_i²] = 1",),
    sources=(
        Source(sentence=S004_L48, gloss="…and variance d_k.", assertion="and variance dkd_{k}dk."),
        Source(
            sentence=S002_L12, gloss="…and variance d_k (under the same assumptions).", assertion="而方差为\\(d_k\\)"
        ),
    ),
)

# ── attention.scaled-variance ─────────────────────────────────────────────────────────────
SCALED = Derivation(
    "Var[q·k/√d_k]",
    ES2 / d_k - (ES / sqrt(d_k)) ** 2,
    (
        Step(
            (d_k * Y2 + d_k * (d_k - 1) * Y1**2 - (d_k * Y1) ** 2) / d_k,
            "set partitions, Var[cS] = c²Var[S]",
            "As for Var[q·k], with the constant 1/√d_k squared out of both terms.",
        ),
        Step(Y2 - Y1**2, "collect", "The factor d_k of Var[q·k] cancels against 1/d_k."),
        Step(Eq2 * Ek2 - Eq1**2 * Ek1**2, "q_i independent of k_i", "E[(q_i k_i)^j] = E[q_i^j] E[k_i^j]."),
        Step(sp.S.One, "E[q_i] = 0, E[q_i²] = 1", "So the scaled logits have variance 1 for every d_k."),
    ),
    sizes=SIZES,
    where=_where(STANDARD, STANDARD),
)
SCALED_MC = MonteCarloCheck(
    name="Monte Carlo: E[(q·k)²/d_k] = 1",
    claimed=Claimed(_scaled_square, _value(SCALED.rhs, SCALED), "E[(q·k/√d_k)²] = 1"),
    populations=POPS,
    statistic_text="X = (q·k/√d_k)²; E[q·k] = 0, so E[X] = Var[q·k/√d_k]",
    planted={
        "the 1/d_k scaling: E[(q·k/d_k)²] = 1": Claimed(_dk_square, lambda prm: 1.0, "E[(q·k/d_k)²] = 1"),
        "no scaling: E[(q·k)²] = 1": Claimed(_square, lambda prm: 1.0, "E[(q·k)²] = 1"),
    },
)
S002_L12_2 = Sentence(
    file=shared.SEED002,
    section="Transformer的点积模型做缩放(Scaled)的原因是什么?",
    line=12,
    quote="所以scale除以\\(\\sqrt{d_k}\\)使得其方差变为1,这样就可以使其他得分小的不至于为0,为0的话参数就无法更新了。",
)


DOT_SCALED = Claim(
    id="attention.scaled-variance",
    title="For q, k with independent components of mean 0 and variance 1, dividing by √d_k gives the logits variance 1",
    verdict=Verdict.PROVED,
    summary=(
        "Under the same assumptions, Var[q·k/√d_k] = Var[q·k]/d_k = 1 for every d_k: the scaled logits have the "
        "spread of a single product q_i k_i however wide the head is."
    ),
    derivations=(SCALED,),
    numeric=(
        StatsCheck(
            name="exact Var[q·k/√d_k] by sympy.stats at d_k ≤ 4",
            moment=stats_moment,
            statistic=lambda m1, m2: m2 - m1**2,
            expected=lambda s: s * _at(SCALED.rhs, SCALED)(s),
            sizes=_STATS_SIZES,
            planted={"Var[q·k/√d_k] = 1 read as Var[q·k] = 1": lambda s: 1},
        ),
        SCALED_MC,
    ),
    assumptions=DOT_VARIANCE.assumptions,
    sources=(
        Source(
            sentence=S002_L12_2,
            gloss="So dividing by √d_k makes its variance 1.",
            assertion="所以scale除以\\(\\sqrt{d_k}\\)使得其方差变为1",
        ),
        Source(
            sentence=S004_L51,
            gloss="…and variance 1, like a normalization (under the paper's assumption quoted at line 48: independent components, mean 0, variance 1).",
            assertion="方差为 1 的分布,类似于归一化",
        ),
    ),
)

# ── issue 11 (second reading): 001 line 217 needs only Var[cS] = c²Var[S] ───────────────────────────
LOWERS = Derivation(
    "Var[S/√d_k] for any dot product S = q·k with finite variance",
    ES2 / d_k - (ES / sqrt(d_k)) ** 2,
    (Step((ES2 - ES**2) / d_k, "Var[cS] = c²Var[S]", "The variance E[S²] − E[S]² divided by d_k, whatever q, k are."),),
)


def _lowers(c: Case, power: float = 2.0) -> Outcome:
    """torch.var of q·k/√d_k against torch.var(q·k)/d_k on one sample (q, k shifted and scaled: no assumption)."""
    gen = torch.Generator().manual_seed(c["seed"])
    q = c["shift"] + c["scale"] * torch.randn(256, c["d_k"], generator=gen, dtype=torch.float64)
    k = torch.rand(256, c["d_k"], generator=gen, dtype=torch.float64) - c["shift"]
    s_ = (q * k).sum(-1)
    got, want = float(torch.var(s_ / math.sqrt(c["d_k"]))), float(torch.var(s_)) / c["d_k"] ** (power / 2)
    bound = 64 * torch.finfo(torch.float64).eps * max(abs(want), 1e-300)
    return Outcome(abs(got - want) <= bound, abs(got - want), bound, f"d_k={c['d_k']}: var {got!r} vs {want!r}")


def _lowers_cases() -> st.SearchStrategy[Case]:
    """d_k = 1..64; q with mean shift ∈ {0, 0.5, −2} and scale ∈ {0.1, 1, 3}, k uniform minus the shift; a drawn
    seed for the 256-sample generator: means and scales away from the unit-variance assumptions, because the
    identity Var[S/√d_k] = Var[S]/d_k needs none of them."""
    return st.fixed_dictionaries(
        {
            "d_k": st.integers(1, 64),
            "shift": st.sampled_from([0.0, 0.5, -2.0]),
            "scale": st.sampled_from([0.1, 1.0, 3.0]),
            "seed": st.integers(0, 2**32 - 1),
        }
    )


LOWERS_CHECK = PropertyCheck(
    name="torch.var(q·k/√d_k) = torch.var(q·k)/d_k on shifted, scaled samples",
    cases=_lowers_cases,
    holds=_lowers,
    reason="the same sample on both sides: only the rounding of 256 squares and one division, 64 ulps relative",
    planted={"Var[S/√d_k] = Var[S]/√d_k": lambda c: _lowers(c, power=1.0)},
)
DOT_LOWERS = Claim(
    uses=("attention.scaled-variance",),
    id="attention.scale-lowers-variance",
    title="Dividing the logits by √d_k divides their variance by d_k (any q, k with finite variance): lower for d_k > 1",
    verdict=Verdict.PROVED,
    summary=(
        "What seed 001 Q12's '通过降低方差' needs: Var[q·k/√d_k] = Var[q·k]/d_k, with no assumption on the "
        "components (the constant squares out of the variance), so the scaling lowers the variance whenever "
        "d_k > 1. Under the standard assumptions Var[q·k] = d_k and the result is 1 (attention.scaled-variance)."
    ),
    derivations=(LOWERS,),
    numeric=(LOWERS_CHECK,),
    sources=(
        Source(
            sentence=shared.S001_L217,
            gloss="√d_k, by lowering the variance (dividing by √d_k divides the logits' variance by d_k, for any q, k)…",
            assertion="dk 通过降低方差",
        ),
    ),
)

# ── attention.scale-by-dk ─────────────────────────────────────────────────────────────────
BY_DK = Derivation(
    "Var[q·k/d_k]",
    ES2 / d_k**2 - (ES / d_k) ** 2,
    (
        Step(
            (d_k * Y2 + d_k * (d_k - 1) * Y1**2 - (d_k * Y1) ** 2) / d_k**2,
            "set partitions, Var[cS] = c²Var[S]",
            "The constant is now 1/d_k, squared: 1/d_k².",
        ),
        Step((Y2 - Y1**2) / d_k, "collect", "Var[q·k]/d_k² = d_k Var[Y]/d_k²."),
        Step((Eq2 * Ek2 - Eq1**2 * Ek1**2) / d_k, "q_i independent of k_i", "E[(q_i k_i)^j] = E[q_i^j] E[k_i^j]."),
        Step(1 / d_k, "E[q_i] = 0, E[q_i²] = 1", "Variance 1/d_k: it shrinks as the head widens, never 1 for d_k > 1."),
    ),
    sizes=SIZES,
    where=_where(STANDARD, STANDARD),
)
BY_DK_MC = MonteCarloCheck(
    name="Monte Carlo: E[(q·k/d_k)²] = 1/d_k",
    claimed=Claimed(_dk_square, _value(BY_DK.rhs, BY_DK), "E[(q·k/d_k)²] = 1/d_k"),
    populations=POPS,
    statistic_text="X = (q·k/d_k)²; E[q·k] = 0, so E[X] = Var[q·k/d_k]",
    planted={"variance 1 (what a normalization would give)": Claimed(_dk_square, lambda prm: 1.0, "E[(q·k/d_k)²] = 1")},
)
DOT_BY_DK_REFUTES = Eq(BY_DK.expand(BY_DK.lhs), 1)  # the statement attention.scale-by-dk refutes

DOT_BY_DK = Claim(
    id="attention.scale-by-dk",
    title="Scaling by 1/d_k (as seed 004 quotes the paper) gives variance 1/d_k, not 1",
    verdict=Verdict.REFUTED,
    refutes=(DOT_BY_DK_REFUTES,),
    summary=(
        "Seed 004 quotes the Transformer paper's footnote as 'we scale the dot products by 1/d_k'. Under the "
        "paper's own assumptions that scaling gives Var[q·k/d_k] = 1/d_k (proved for symbolic d_k), so as a "
        "variance-1 normalization it is refuted: at d_k = 64 the logits would have standard deviation 1/8 and "
        "the softmax would be nearly uniform. The paper scales by 1/√d_k (attention.scaled-variance); the "
        "seed's 1/d_k is most likely the √ lost in copying the formula."
    ),
    derivations=(BY_DK,),
    numeric=(BY_DK_MC,),
    counterexamples=(
        Counterexample(
            "d_k = 4: Var[q·k/d_k] = 1/4, not 1",
            relation=DOT_BY_DK_REFUTES,
            point={d_k: 4},
        ),
        Counterexample(
            "d_k = 64 (a typical head): Var[q·k/d_k] = 1/64, not 1",
            relation=DOT_BY_DK_REFUTES,
            point={d_k: 64},
        ),
    ),
    assumptions=DOT_VARIANCE.assumptions,
    sources=(
        Source(
            shared.SEED004,
            "Transformer 代码 (scaled dot-product 解释)",
            "To counteract this effect, we scale the dot products by 1dk\\frac{1}{d_{k}}dk1.",
            "(English in the original) To counteract this effect, we scale the dot products by 1/d_k. Judged reading: the scaling the Transformer applies to undo the variance d_k of the sentence before (this article's line 51 and its own code use √d_k, as the paper does). Scaling by 1/d_k gives variance 1/d_k, not 1.",
            line=48,
        ),
    ),
)

# ── attention.general-variance ────────────────────────────────────────────────────────────
GENERAL = Derivation(
    "Var[q·k] with Var[q_i] = σ_q², Var[k_i] = σ_k², means 0",
    ES2 - ES**2,
    (
        PARTITIONS,
        COLLECT,
        PRODUCT,
        Step(d_k * sq2 * sk2, "E[q_i] = 0, E[q_i²] = σ_q²", "With mean 0 the second moment is the variance."),
    ),
    sizes=SIZES,
    where=_where(moments_from(variance=sq2), moments_from(variance=sk2)),
)
WITH_MEANS = Derivation(
    "Var[q·k] with means μ_q, μ_k (why mean 0 matters)",
    ES2 - ES**2,
    (
        PARTITIONS,
        COLLECT,
        PRODUCT,
        Step(
            d_k * (sq2 * sk2 + sq2 * mk**2 + mq**2 * sk2),
            "E[q_i²] = σ_q² + μ_q²",
            "Non-zero means add d_k(σ_q²μ_k² + μ_q²σ_k²): then dividing by σ_qσ_k√d_k no longer gives variance 1.",
        ),
    ),
    sizes=SIZES,
    where=_where(moments_from(mean=mq, variance=sq2), moments_from(mean=mk, variance=sk2)),
)
GENERAL_MC = MonteCarloCheck(
    name="Monte Carlo: E[(q·k)²] = d_k σ_q² σ_k²",
    claimed=Claimed(_square, _value(GENERAL.rhs, GENERAL), "E[(q·k)²] = d_k σ_q² σ_k²"),
    populations=GENERAL_POPS,
    statistic_text="X = (q·k)² with Gaussian q (σ_q) and uniform k (σ_k); means 0, so E[X] = Var[q·k]",
    planted={
        "Var = d_k σ_q σ_k (standard deviations)": Claimed(
            _square, lambda prm: prm["d_k"] * prm["sigma_q"] * prm["sigma_k"], "E[(q·k)²] = d_k σ_q σ_k"
        ),
        "Var = d_k (scales ignored)": Claimed(_square, lambda prm: float(prm["d_k"]), "E[(q·k)²] = d_k"),
    },
)
S001_L213 = Sentence(
    file=shared.SEED001,
    section="Q12",
    line=213,
    quote="当d_k较大时,点积的方差会增大(中心极限定理),导致softmax的梯度趋近于零(梯度消失)。",
)


DOT_GENERAL = Claim(
    id="attention.general-variance",
    title="Var[q·k] = d_k σ_q² σ_k² for components of variances σ_q², σ_k² (mean 0)",
    verdict=Verdict.PROVED,
    summary=(
        "With independent mean-0 components of variances σ_q² and σ_k², Var[q·k] = d_k σ_q² σ_k²; with means "
        "μ_q, μ_k it is d_k(σ_q²σ_k² + σ_q²μ_k² + μ_q²σ_k²). So 1/√d_k normalizes the logits only when the "
        "projections keep unit variance and zero mean, which is what initialization (and LayerNorm before "
        "the projections) arranges."
    ),
    derivations=(GENERAL, WITH_MEANS),
    numeric=(GENERAL_MC,),
    assumptions=("q_1..q_{d_k}, k_1..k_{d_k} independent", "Var[q_i] = σ_q², Var[k_i] = σ_k²"),
    sources=(
        Source(
            sentence=S001_L213,
            gloss="When d_k is large the variance of the dot product grows: Var = d_k σ_q² σ_k², linear in d_k.",
            assertion="当d_k较大时,点积的方差会增大",
        ),
    ),
)


# ── attention.softmax-saturation ──────────────────────────────────────────────────────────
z = IndexedBase("z", real=True)
p = IndexedBase("p", positive=True)
i, j, k, u = symbols("i j k u", integer=True, positive=True)
n = Symbol("n", integer=True, positive=True)
SAT_WHERE = ((p, Lambda(u, exp(z[u]) / Sum(exp(z[j]), (j, 1, n)))),)
FROB = (
    Sum((p[i] - p[i] ** 2) ** 2, (i, 1, n))
    + Sum(Sum(p[i] ** 2 * p[j] ** 2, (j, 1, n)), (i, 1, n))
    - Sum(p[i] ** 4, (i, 1, n))
)
SATURATION = Derivation(
    "‖J‖_F² for J = diag(p) − p pᵀ",
    FROB,
    (
        Step(
            Sum(p[i] ** 2, (i, 1, n)) - 2 * Sum(p[i] ** 3, (i, 1, n)) + Sum(p[i] ** 2, (i, 1, n)) ** 2,
            "expand",
            "The lhs is the squared diagonal (p_i − p_i²)² plus the off-diagonal p_i²p_l² (l ≠ i) entries of J.",
        ),
        Step(
            (1 - Sum(p[i] ** 2, (i, 1, n))) ** 2,
            "Frobenius norm ≤ trace, J positive semidefinite",
            "J is positive semidefinite (xᵀJx = Var_p(x) ≥ 0), so ‖J‖_F² = Σλ² ≤ (Σλ)² = (tr J)², and "
            "tr J = Σ p_i − Σ p_i² = 1 − Σ p_i². Checked as: the gap is 1 − 3Σp_i² + 2Σp_i³ = 6e₃(p) ≥ 0 "
            "(Newton's identity with Σ p_i = 1; e₃ sums products of three distinct p's, all > 0).",
            relation="<=",
            lemma=LemmaUse("newton-e3", f=p[i], i=i, lo=1, hi=n),
        ),
        Step(
            Sum(p[i] * (1 - p[i]), (i, 1, n)) ** 2,
            "Σ p_i = 1",
            "The trace written entrywise: Σ_i p_i(1 − p_i).",
        ),
        Step(
            (1 - p[1] ** 2) ** 2,
            "Σ_i p_i² ≥ p_1²",
            "Number the logits so that the one singled out (say the argmax) is the first: the softmax commutes "
            "with permutations. Drop every square but the first: 0 ≤ 1 − Σ p_i² (as (Σ p_i)² ≥ Σ p_i²) "
            "≤ 1 − p_1², and squaring keeps the order of nonnegative numbers.",
            relation="<=",
            lemma=LemmaUse(
                "square-monotone",
                x=1 - Sum(p[i] ** 2, (i, 1, n)),
                y=1 - p[1] ** 2,
                given={
                    "x >= 0": LemmaUse("sum-squares-le-square-sum", f=p[i], i=i, lo=1, hi=n),
                    "x <= y": LemmaUse("term-le-sum", f=p[i] ** 2, i=i, lo=1, hi=n, k=1),
                },
            ),
        ),
        Step(
            4 * (1 - p[1]) ** 2,
            "1 + p_1 ≤ 2",
            "1 − p_1² = (1 − p_1)(1 + p_1); the gap 4(1 − p_1)² − (1 − p_1²)² = (1 − p_1)²(3 + p_1)(1 − p_1) "
            "is ≥ 0 because p_1 ≤ Σ p_i = 1.",
            relation="<=",
            lemma=Certificate(
                ((1 - p[1]) ** 2 * (3 + p[1]), LemmaUse("term-le-sum", f=p[i], i=i, lo=1, hi=n, k=1)),
            ),
        ),
        Step(
            4 * (Sum(p[i], (i, 1, n)) - p[1]) ** 2,
            "Σ p_i = 1",
            "1 − p_1 is the probability off the first logit. For logits s·z with it the unique argmax and gap g "
            "to the runner-up, 1 − p_1 ≤ (n − 1)e^{−s·g} → 0: the Jacobian vanishes as the logits' scale grows.",
        ),
    ),
    sizes={n: range(1, 5)},
    where=SAT_WHERE,
)


def _frobenius_bound_holds(case: Case, factor: float = 1.0, use_trace: bool = True) -> Outcome:
    """‖J‖_F (autograd of torch.softmax) ≤ 1 − Σp² ≤ 2(1 − max p), within rounding."""
    zt = case["z"]
    jac = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, dim=0), zt)
    pv = torch.softmax(zt, dim=0)
    norm = float(jac.norm())
    trace_bound = float(1 - (pv**2).sum())
    mass_bound = float(2 * (1 - pv.max()))
    slack = 16 * torch.finfo(torch.float64).eps * case["n"]
    bound = factor * (trace_bound if use_trace else mass_bound / 2)
    ok = norm <= bound + slack and trace_bound <= mass_bound + slack
    return Outcome(
        ok, max(norm - bound, 0.0), slack, f"‖J‖_F={norm!r}, 1−Σp²={trace_bound!r}, 2(1−max p)={mass_bound!r}"
    )


m_keys = 16
SAT_ROWS = 8000


def _jacobian_norms(scale: Callable[[int], float], size: int) -> Callable[[int, torch.Generator], torch.Tensor]:
    """Draws of ‖diag(p) − p pᵀ‖_F for p = softmax(scale·q·K), Gaussian q [d_k], K [16, d_k]: in [0, 1]."""

    def draw(count: int, gen: torch.Generator) -> torch.Tensor:
        out, left = [], count
        while left:
            rows = min(left, max(1, CHUNK // (m_keys * size)))
            q = torch.randn(rows, 1, size, generator=gen, dtype=torch.float64)  # [R, 1, d_k]
            keys = torch.randn(rows, m_keys, size, generator=gen, dtype=torch.float64)  # [R, m, d_k]
            pv = torch.softmax(scale(size) * (q * keys).sum(-1), dim=-1)  # [R, m]
            jac = torch.diag_embed(pv) - pv[:, :, None] * pv[:, None, :]  # [R, m, m]
            out.append(jac.flatten(1).norm(dim=1))  # [R]
            left -= rows
        return torch.cat(out)

    return draw


def _sat_pop(size: int, how: str) -> Population:
    scale = {"unscaled": lambda d: 1.0, "1/√d_k": lambda d: 1 / math.sqrt(d), "1/d_k": lambda d: 1 / d}[how]
    return Population(
        f"‖J‖_F, logits q·K·{'1' if how == 'unscaled' else how}, d_k = {size}",
        {"d_k": size},
        _jacobian_norms(scale, size),
        0.0,
    )


_SAT = {(s, h): _sat_pop(s, h) for s in (4, 16, 64, 256, 1024) for h in ("unscaled", "1/√d_k", "1/d_k")}
BAND = (0.25, 0.36)  # the Gaussian-logit level E‖J‖_F ≈ 0.305 for 16 keys, ± margin


def _sat_claims(sizes: tuple[int, ...], low: float) -> tuple[Inequality, ...]:
    out = []
    for s in sizes:
        out += [Inequality(_SAT[s, "1/√d_k"], ">=", BAND[0]), Inequality(_SAT[s, "1/√d_k"], "<=", BAND[1])]
    out.append(Inequality(_SAT[sizes[-1], "unscaled"], "<=", low))
    return tuple(out)


SAT_CLAIMS = {"default": _sat_claims((4, 64), 0.23), "thorough": _sat_claims((4, 16, 64, 256, 1024), 0.08)}
SAT_MC = BoundedMeanCheck(
    name="Monte Carlo: E‖J‖_F against d_k, with and without 1/√d_k",
    claims=SAT_CLAIMS,
    samples=SAT_ROWS,
    statistic_text=(
        f"X = ‖diag(p) − p pᵀ‖_F ∈ [0, 1] for p = softmax of one query's logits against {m_keys} keys, Gaussian q, k"
    ),
    planted={
        "no scaling needed (unscaled logits stay in the band)": (Inequality(_SAT[64, "unscaled"], ">=", BAND[0]),),
        "1/√d_k also saturates": (Inequality(_SAT[64, "1/√d_k"], "<=", 0.23),),
    },
)

S000_L13 = Sentence(
    file=shared.SEED000,
    section="§2.3",
    line=13,
    quote="为了避免当输入维度较大时softmax函数进入饱和区导致梯度消失的问题,Transformer引入了缩放因子(通常为键向量维度的平方根),来缩放点积结果。",
)


SOFTMAX_SATURATION = Claim(
    uses=("softmax.jacobian", "attention.dot-product-variance"),
    id="attention.softmax-saturation",
    title="Large logits saturate the softmax: its Jacobian goes to 0; scaling by 1/√d_k prevents it",
    verdict=Verdict.TESTED,
    tested_reason="the bound ‖J‖_F ≤ 2(1 − p_k) is derived, but that the logits' spread grows with d_k without the 1/√d_k scale (and that the scale prevents saturation) rests on the Monte Carlo check alone.",
    summary=(
        "The softmax Jacobian J = diag(p) − p pᵀ (softmax.jacobian) is bounded by the probability mass off any "
        "one logit: ‖J‖_F ≤ 1 − Σp_i² ≤ 2(1 − p_k) (proved for symbolic n: ‖J‖_F² ≤ (tr J)² is Newton's identity, 6e₃(p) ≥ 0; k = 1 by symmetry). When "
        "the logits' scale s grows with a unique maximum, 1 − p_max ≤ (n − 1)e^{−s·gap} → 0, so every gradient "
        "through the softmax vanishes. Unscaled q·k has standard deviation √d_k (attention.dot-product-variance): "
        "with Gaussian q, k and 16 keys, the mean ‖J‖_F falls from ≈ 0.32 at d_k = 4 to ≈ 0.18 at d_k = 64 and "
        "≈ 0.05 at d_k = 1024, while with 1/√d_k it stays at ≈ 0.30 for every d_k (designed Monte Carlo below)."
    ),
    derivations=(SATURATION,),
    numeric=(
        PropertyCheck(
            name="‖J_autograd‖_F ≤ 1 − Σp² ≤ 2(1 − max p)",
            cases=SOFTMAX_JACOBIAN.numeric[0].cases,
            holds=_frobenius_bound_holds,
            reason="both bounds are exact inequalities; slack 16 u × n for the rounding of p and of the norm",
            planted={
                "‖J‖_F ≤ (1 − Σp²)/2": lambda c: _frobenius_bound_holds(c, factor=0.5),
                "‖J‖_F ≤ 1 − max p (without the factor 2)": lambda c: _frobenius_bound_holds(c, use_trace=False),
            },
        ),
        SAT_MC,
    ),
    assumptions=("p = softmax(z) over n ≥ 1 logits",),
    sources=(
        Source(
            sentence=S000_L13,
            gloss="(The premise of the purpose clause) when the input dimension is large the softmax enters its saturated region, which makes gradients vanish.",
            assertion="为了避免当输入维度较大时softmax函数进入饱和区导致梯度消失的问题",
        ),
        Source(
            shared.SEED002,
            "Transformer的点积模型做缩放(Scaled)的原因是什么?",
            "论文中的解释:向量的点积结果会很大,将softmax函数push到梯度很小的区域,scaled会缓解这种现象。",
            "The paper's explanation: dot products get large and push the softmax into regions with very small "
            "gradients; scaling relieves this.",
            line=10,
        ),
        Source(
            shared.SEED004,
            "Transformer 代码 (scaled dot-product 解释)",
            "首先要除以一个数,防止输入 softmax 的值过大,导致偏导数趋近于 0;",
            "First, divide by a number so that the values fed to the softmax are not too large, which would make "
            "the partial derivatives tend to 0.",
            line=50,
        ),
        Source(
            shared.SEED001,
            "Q12",
            "缩放:除以 d k \\sqrt{d_k} dk 防止点积过大导致softmax梯度消失。",
            "Scaling: dividing by √d_k keeps large dot products from making the softmax's gradient vanish.",
            line=209,
        ),
        Source(
            shared.SEED002,
            "Transformer的点积模型做缩放(Scaled)的原因是什么?",
            "\\(d_k\\)(k的维度)较大时,很有可能存在\\(Q\\)\\(KT\\)计算出的注意力分数远远大于Q与其他\\(K^T\\)计算出来的注意力分数,这就导致了softmax函数对大部分\\(QK^T\\)的偏导数为0,模型误差反向传播经过softmax函数后无法继续传播到模型前面部分的参数上,造成这些参数无法得到更新,最终影响模型的训练效率。",
            "When d_k is large it is very likely (hedged: 很有可能) that one score is far larger than the others, so the softmax's partial derivatives for most entries of QKᵀ are 0 and the error cannot propagate back to earlier parameters. '0' read as numerically 0: in exact arithmetic they are p_k(δ_kl − p_l) > 0 and tend to 0 as the gap grows; in floating point they underflow to exactly 0 once the gap is large enough.",
            line=14,
            kind="hedged",
        ),
        Source(
            shared.SEED004,
            "Transformer 代码 (scaled dot-product 解释)",
            "We suspect that for large values of d_k, the dot products grow large in magnitude, pushing the softmax function into regions where it has extremely small gradients.",
            "(English in the original, quoting the Transformer paper) For large d_k the dot products grow large and push the softmax into regions with extremely small gradients.",
            line=48,
        ),
        Source(
            shared.SEED002,
            "为什么加法不需要用scaled?",
            "因为当\\(d_k\\)较大时,很可能存在一组\\(QK\\)计算出的注意力权重远大于其他组,导致softmax对其他组的偏导数为0,使得这些参数无法得到更新,最终影响模型的训练效率。",
            "Given as the answer to 'why does additive attention need no scaling?' (rule 6: judged for what it argues): when d_k is large one QK group's weight is very likely (hedged) far larger than the others, so the softmax's partial derivatives for the others are (numerically) 0 and those parameters stop updating. This is the dot-product argument; it does not say why additive scores need no scaling (they stay within ‖v‖₁: attention.additive-bounded, the question's presupposition).",
            line=22,
            kind="hedged",
        ),
        Source(
            sentence=S002_L12_2,
            gloss="So that the other, small scores do not become 0 (after the softmax); if they were 0 the parameters could not be updated.",
            assertion="这样就可以使其他得分小的不至于为0,为0的话参数就无法更新了",
        ),
        Source(
            sentence=S001_L213,
            gloss="…which drives the softmax's gradient toward zero (vanishing gradients): large logits saturate the softmax.",
            assertion="导致softmax的梯度趋近于零(梯度消失)",
        ),
        Source(
            sentence=shared.S001_L217,
            gloss="…and the gradient more stable (smaller logits keep the softmax out of saturation).",
            assertion="梯度更稳定",
        ),
    ),
)


# ── attention.sdpa ────────────────────────────────────────────────────────────────────────
s_ = IndexedBase("s", real=True)  # one query's raw scores q·k_j, j = 1..m
w_ = IndexedBase("w", positive=True)  # its attention weights
m_ = Symbol("m", integer=True, positive=True)
ROWS = Derivation(
    "Σ_j w_j = 1 for w = softmax(s/√d_k)",
    Sum(w_[j], (j, 1, m_)),
    (
        Step(
            Sum(exp(s_[j] / sqrt(d_k)), (j, 1, m_)) / Sum(exp(s_[i] / sqrt(d_k)), (i, 1, m_)),
            "pull out the denominator",
            "The normalizer does not depend on j.",
        ),
        Step(sp.S.One, "same sum", "So each output row Σ_j w_j v_j is a convex combination of the rows of V."),
    ),
    sizes={m_: range(1, 5)},
    where=((w_, Lambda(u, exp(s_[u] / sqrt(d_k)) / Sum(exp(s_[i] / sqrt(d_k)), (i, 1, m_)))),),
)


@st.composite
def sdpa_inputs(draw: st.DrawFn) -> Case:
    """fn(q [B, n, d_k], k [B, m, d_k], v [B, m, d_v]): B = 1..2, n = 1..5 queries, m = 1..5 keys, d_k = 1..8,
    d_v = d_k or 2 or 1..8; q, k, v over UNIT_DOMAIN, each with its own scale 1e-3..1e3 (logits from ~0 to
    saturating), zeros in q, k only sometimes: n ≠ m and d_v ≠ d_k expose a transposed or √d_v scale; all-zero
    logits would hide any scale."""
    b = draw(st.integers(1, 2))
    n_q, m_k = draw(st.integers(1, 5)), draw(st.one_of(st.just(3), st.integers(1, 5)))
    dk = draw(st.one_of(st.just(4), st.integers(1, 8)))
    # d_v == d_k on purpose now and then: a √d_v-for-√d_k bug is invisible there, which is how
    # conform can tell the reader "only when d_v != d_k"
    dv = draw(st.one_of(st.just(dk), st.just(2), st.integers(1, 8)))
    # exact zeros in q or k only sometimes: all-zero logits make every scale look right
    zeros = draw(st.integers(0, 3)) == 0
    return {
        "q": draw(tensors((b, n_q, dk), scale=draw(scales()), zeros=zeros)),
        "k": draw(tensors((b, m_k, dk), scale=draw(scales()), zeros=zeros)),
        "v": draw(tensors((b, m_k, dv), scale=draw(scales()))),
    }


def _unit(shape: tuple[int, ...], seed: int) -> torch.Tensor:
    """Generic entries u ~ U[−1, 1) (UNIT_DOMAIN with scale 1) from an explicit generator: an explicit example's
    values, with no zeros or ties that could hide a wrong formula."""
    return torch.rand(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * 2 - 1


# Run before the drawn cases: B = n = m = d_k = 2, d_v = 3 (B = 2 and n = 2 are in sdpa_inputs' domain), generic
# values. Square shapes keep a product or transpose taken over the wrong dimensions well-formed, so it is
# compared by value here instead of raising on the first small drawn case.
SDPA_EXAMPLES = ({"q": _unit((2, 2, 2), 1), "k": _unit((2, 2, 2), 2), "v": _unit((2, 2, 3), 3)},)


def _logit_scale(c: Case) -> float:
    return float(c["q"].abs().max()) * float(c["k"].abs().max()) * math.sqrt(c["q"].shape[-1])


def _sdpa_tol_scale(c: Case) -> float:
    """|v| × (1 + the rounding of the logits, amplified by the softmax: d_k·max|q|·max|k|/√d_k)·m."""
    return (float(c["v"].abs().max()) + 1e-300) * (1 + _logit_scale(c)) * c["k"].shape[-2]


SDPA_TOL = Tolerance(
    16,
    "a logit carries d_k·u·max|q|·max|k| of rounding; the softmax passes an absolute logit error δ to a "
    "relative weight error ≈ δ; the output sums m weighted rows of v: scale = max|v|·(1 + max|q|·max|k|·√d_k)·m",
    _sdpa_tol_scale,
)


def _manual(q, k, v, scale, after=False):
    scores = q @ k.transpose(-2, -1)  # [B, n, m]
    if after:
        return torch.softmax(scores, dim=-1) @ v * scale
    return torch.softmax(scores * scale, dim=-1) @ v


SDPA_CHECK = CrossCheck(
    name="softmax(QKᵀ/√d_k)V against F.scaled_dot_product_attention and impl",
    cases=sdpa_inputs,
    expected=lambda c: _manual(c["q"], c["k"], c["v"], 1 / math.sqrt(c["q"].shape[-1])),
    references={"F.scaled_dot_product_attention": F.scaled_dot_product_attention, "impl.attention.sdpa": att.sdpa},
    positional=True,
    tolerance=SDPA_TOL,
    examples=SDPA_EXAMPLES,
    planted={
        "scaled by 1/d_k": lambda c: _manual(c["q"], c["k"], c["v"], 1 / c["q"].shape[-1]),
        "scaled by 1/√d_v": lambda c: _manual(c["q"], c["k"], c["v"], 1 / math.sqrt(c["v"].shape[-1])),
        "scaled after the softmax": lambda c: _manual(
            c["q"], c["k"], c["v"], 1 / math.sqrt(c["q"].shape[-1]), after=True
        ),
    },
)


SDPA = Claim(
    id="attention.sdpa",
    title="Attention(Q, K, V) = softmax(QKᵀ/√d_k)V, as F.scaled_dot_product_attention computes it",
    verdict=Verdict.TESTED,
    tested_reason="the derivation proves only that the softmax weights sum to 1 (each output row is a convex combination of the rows of V); that F.scaled_dot_product_attention computes softmax(QKᵀ/√d_k)V is an implementation fact, checked numerically against impl and torch only.",
    summary=(
        "For q [B, n, d_k], k [B, m, d_k], v [B, m, d_v] (n ≠ m and d_v ≠ d_k allowed), the output is "
        "softmax(q kᵀ/√d_k) v [B, n, d_v]: the scale uses the key dimension d_k, never d_v, and is applied to "
        "the logits before the softmax. Each output row is a convex combination of the rows of v (the weights "
        "sum to 1, proved for symbolic m). Checked against F.scaled_dot_product_attention and impl.attention.sdpa."
    ),
    derivations=(ROWS,),
    numeric=(SDPA_CHECK,),
    assumptions=("no mask, no dropout; softmax over the m keys",),
    notes=(
        "The cross-check's expected value is softmax(q kᵀ/√d_k) v written in torch (_manual), not a closed form "
        "lambdified from the derivation: the derivation proves a property of one row of weights (they sum to 1) "
        "and states no output formula, and the SymPy-to-torch converter has no batched matrix product or row "
        "softmax. This is why the verdict is tested, not proved.",
    ),
    contract=Contract.of(
        SDPA_CHECK,
        signature="fn(q[B, n, d_k], k[B, m, d_k], v[B, m, d_v]) -> out[B, n, d_v]  # softmax(q kᵀ/√d_k) v, no mask",
        reference="impl.attention.sdpa",
        locators=(
            Locator("only when d_v != d_k", lambda c: c["v"].shape[-1] != c["q"].shape[-1]),
            Locator("only when n != m", lambda c: c["q"].shape[-2] != c["k"].shape[-2]),
            Locator("only when d_k > 1 (a scale of √1 is invisible)", lambda c: c["q"].shape[-1] > 1),
            Locator("only when m > 1 (one key: the weight is 1 whatever the scale)", lambda c: c["k"].shape[-2] > 1),
        ),
        variants=variants.SDPA,  # issue 12: diagnoses (derivations/_variants.py)
    ),
    sources=(
        Source(
            shared.SEED001,
            "Q12",
            "\\text{Attention}(Q, K, V) = \\text{softmax}\\left(\\frac{QK^T}{\\sqrt{d_k}}\\right)V",
            "Attention(Q, K, V) = softmax(QKᵀ/√d_k) V.",
            line=206,
        ),
        Source(
            shared.SEED001,
            "Q12",
            "点积计算: Q K T QK^T QKT 计算所有查询与键的相似性。",
            "Dot products: QKᵀ computes the similarity of every query with every key.",
            line=208,
        ),
        Source(
            shared.SEED001,
            "Q12",
            "softmax归一化:得到注意力权重。",
            "Softmax normalisation gives the attention weights.",
            line=210,
        ),
        Source(
            shared.SEED004,
            "Self Attention Layer",
            "Transformer 模型的自注意力(Self Attention)机制涉及三种线性变换:查询(Q)、键(K)、值(V),以及通过计算注意力权重和加权求和来生成最终的输出。以下是自注意力机制的公式:",
            "The Transformer's self-attention involves three linear maps, query Q, key K and value V, and produces the output by computing attention weights and a weighted sum; the formulas follow.",
            line=9,
        ),
        Source(
            shared.SEED004,
            "Self Attention Layer",
            "使用查询(Q)和键(K)计算注意力得分,可以使用点积注意力(Scaled Dot-Product Attention):",
            "Attention scores from Q and K, by scaled dot-product attention:",
            line=23,
        ),
        Source(
            shared.SEED004,
            "Self Attention Layer",
            "Attention(Q,K) = softmax(QKᵀ/√d_k)",
            "Attention(Q, K) = softmax(QKᵀ/√d_k): the attention weights.",
            line=24,
        ),
        Source(
            shared.SEED004,
            "Self Attention Layer",
            "使用注意力权重对值(V)进行加权求和,得到自注意力的输出:",
            "The weighted sum of the values with the attention weights is the self-attention output:",
            line=27,
        ),
        Source(
            shared.SEED004,
            "Self Attention Layer",
            "Output = Attention(Q,K)V",
            "Output = Attention(Q, K) V.",
            line=28,
        ),
        Source(
            shared.SEED001,
            "Q12",
            "加权求和:权重与值相乘得到输出。",
            "Weighted sum: the weights times the values give the output.",
            line=211,
        ),
        Source(
            shared.SEED001,
            "Q9",
            "自注意力机制:自注意力机制的权重是根据输入动态计算的。它通过计算查询(Query)、键(Key)和值(Value)之间的相似度来确定每个位置对其他位置的关注程度,从而得到不同的权重。",
            "Self-attention's weights are computed from the input: the similarity of queries and keys decides how much "
            "each position attends to the others (softmax(QKᵀ/√d_k) with Q = XW_q, K = XW_k, so the weights change "
            "with X, unlike a convolution's kernel).",
            line=158,
        ),
        Source(
            shared.SEED000,
            "§3",
            "自注意力机制的核心是计算Query、Key和Value矩阵,并通过点积得到注意力分数。",
            "The core of self-attention is computing the query, key and value matrices and getting the attention "
            "scores by dot products.",
            line=23,
        ),
        Source(
            shared.SEED002,
            "不乘QKV参数矩阵",
            "Self-Attention中,Sequence中的每个词都会和Sequence的每个词做点乘积去计算相似度,也包括这个词本身。",
            "In self-attention every word of the sequence takes a dot product with every word of the sequence, "
            "itself included, to compute similarities (QKᵀ is n × n; its diagonal holds the self scores).",
            line=56,
        ),
        Source(
            sentence=S000_L13,
            gloss="The Transformer introduces a scaling factor (usually the square root of the key dimension) to scale the dot products: softmax(QKᵀ/√d_k)V.",
            assertion="Transformer引入了缩放因子(通常为键向量维度的平方根),来缩放点积结果",
        ),
    ),
)


# ── attention.multi-head ──────────────────────────────────────────────────────────────────
@st.composite
def mha_inputs(draw: st.DrawFn) -> Case:
    """fn(x [B, n, d_model], w_q, w_k, w_v [d_model, d_model], num_heads): h = 1..4 heads of size 1..4 (h = 1
    and h = d_model occur), B = 1..2, n = 1..5; x over UNIT_DOMAIN with scale 1e-3..1e3; W_q, W_k, W_v ~
    N(0, 1)·scale/√d_model (scale 1e-3..1e3, from a drawn seed), sometimes one all-zero row: the head split must
    match the per-head loop at every head count and from near-uniform to saturated attention."""
    heads = draw(st.integers(1, 4))
    d_head = draw(st.integers(1, 4))
    d_model = heads * d_head
    b, n_tok = draw(st.integers(1, 2)), draw(st.integers(1, 5))
    w_scale = draw(scales()) / math.sqrt(d_model)
    # weights from a drawn seed (explicit generator): drawing 3·d_model² floats through Hypothesis is slow
    gen = torch.Generator().manual_seed(draw(st.integers(0, 2**32 - 1)))
    weights = [w_scale * torch.randn(d_model, d_model, generator=gen, dtype=torch.float64) for _ in range(3)]
    if draw(st.booleans()):
        weights[draw(st.integers(0, 2))][0] = 0.0  # an all-zero output row: a feature with no signal
    return {
        "x": draw(tensors((b, n_tok, d_model), scale=draw(scales()))),
        "w_q": weights[0],
        "w_k": weights[1],
        "w_v": weights[2],
        "num_heads": heads,
    }


def _mha_example(b: int, n_tok: int, d_model: int, heads: int, seed: int) -> dict:
    """An explicit multi-head case: generic x over U[−1, 1), weights N(0, 1/d_model) (scale 1) from ``seed``."""
    gen = torch.Generator().manual_seed(seed)
    w = [torch.randn(d_model, d_model, generator=gen, dtype=torch.float64) / math.sqrt(d_model) for _ in range(3)]
    return {"x": _unit((b, n_tok, d_model), seed), "w_q": w[0], "w_k": w[1], "w_v": w[2], "num_heads": heads}


# Run before the drawn cases: n = d_model = 4 (in mha_inputs' domain: n ≤ 5, h = 2 heads of 2), generic values;
# with n = d_model a projection applied elementwise instead of as a product stays well-formed and is compared
# with nn.MultiheadAttention by value.
MHA_EXAMPLES = (_mha_example(2, 4, 4, 2, 7),)


def _torch_mha(x, w_q, w_k, w_v, num_heads) -> torch.Tensor:
    """nn.MultiheadAttention(bias=False) with W_O = I, as a positional reference fn(x, w_q, w_k, w_v, num_heads)."""
    d_model = x.shape[-1]
    mod = torch.nn.MultiheadAttention(d_model, num_heads, bias=False, batch_first=True, dtype=x.dtype)
    with torch.no_grad():
        mod.in_proj_weight.copy_(torch.cat([w_q, w_k, w_v]))  # [3·d_model, d_model]
        mod.out_proj.weight.copy_(torch.eye(d_model, dtype=x.dtype))  # no output projection
    out, _ = mod(x, x, x, need_weights=False)
    return out.detach()


def _mha_scale(c: Case) -> float:
    x = c["x"]
    proj = [x @ c[w].T for w in ("w_q", "w_k", "w_v")]
    d_model = x.shape[-1]
    logits = float(proj[0].abs().max()) * float(proj[1].abs().max()) * math.sqrt(d_model)
    return (float(proj[2].abs().max()) + 1e-300) * (1 + logits) * x.shape[-2] * d_model


MHA_TOL = Tolerance(
    32,
    "as attention.sdpa per head, with q, k, v the projections x wᵀ (d_model more roundings each): "
    "scale = max|x w_vᵀ|·(1 + max|x w_qᵀ|·max|x w_kᵀ|·√d_model)·n·d_model",
    _mha_scale,
)


def _heads_as_d_model(c: Case) -> torch.Tensor:
    """Planted: each head scaled by 1/√d_model instead of 1/√d_head."""
    x = c["x"]
    b, n_tok, d_model = x.shape
    h = c["num_heads"]
    q, k, v = (x @ c[w].T for w in ("w_q", "w_k", "w_v"))
    split = lambda t: t.view(b, n_tok, h, d_model // h).transpose(1, 2)  # [B, h, n, d_head]
    out = _manual(split(q), split(k), split(v), 1 / math.sqrt(d_model))
    return out.transpose(1, 2).reshape(b, n_tok, d_model)


def _reshape_without_transpose(c: Case) -> torch.Tensor:
    """Planted: split heads by view(B, h, n, d_head) (no transpose): mixes tokens and features."""
    x = c["x"]
    b, n_tok, d_model = x.shape
    h = c["num_heads"]
    q, k, v = (x @ c[w].T for w in ("w_q", "w_k", "w_v"))
    split = lambda t: t.reshape(b, h, n_tok, d_model // h)
    out = _manual(split(q), split(k), split(v), 1 / math.sqrt(d_model // h))
    return out.reshape(b, n_tok, d_model)


MHA_CHECK = CrossCheck(
    name="reshape version against the per-head loop and nn.MultiheadAttention",
    cases=mha_inputs,
    expected=lambda c: att.multi_head_loop(*c.values()),
    references={
        "impl.attention.multi_head (reshape)": att.multi_head,
        "nn.MultiheadAttention(bias=False, W_O = I)": _torch_mha,
    },
    positional=True,
    tolerance=MHA_TOL,
    examples=MHA_EXAMPLES,
    planted={
        "heads scaled by 1/√d_model": _heads_as_d_model,
        "heads split without the transpose": _reshape_without_transpose,
    },
)


MULTI_HEAD = Claim(
    id="attention.multi-head",
    title="Multi-head attention by reshape = the per-head loop = nn.MultiheadAttention (no biases, no W_O)",
    verdict=Verdict.TESTED,
    tested_reason="no symbolic derivation: that the reshape formulation, the per-head loop and nn.MultiheadAttention agree is an implementation fact, checked numerically only.",
    summary=(
        "Splitting the projections x w_qᵀ, x w_kᵀ, x w_vᵀ [B, n, d_model] into h heads by view(B, n, h, d_head) "
        "and transpose(1, 2), attending per head with scale 1/√d_head, and merging back is the same as looping "
        "over the heads' column slices and concatenating, and the same as nn.MultiheadAttention with "
        "bias=False and an identity output projection. The reshape adds no parameters and no FLOPs beyond the "
        "loop (seed 002)."
    ),
    numeric=(MHA_CHECK,),
    assumptions=("num_heads divides d_model; d_head = d_model / num_heads; no mask, no dropout",),
    notes=(
        "The cross-check's expected value is impl.attention.multi_head_loop (the per-head loop), not a closed form: "
        "the claim has no derivation (the reshape and the loop are two programs for one formula), so there is no "
        "SymPy expression for the converter to lambdify; the loop is the most literal reading of the formula.",
    ),
    contract=Contract.of(
        MHA_CHECK,
        signature=(
            "fn(x[B, n, d_model], w_q[d_model, d_model], w_k[d_model, d_model], w_v[d_model, d_model], num_heads) "
            "-> out[B, n, d_model]  # each w applied as x @ w.T; no biases, no output projection"
        ),
        reference="impl.attention.multi_head (reshape)",
        locators=(
            Locator("only when num_heads > 1", lambda c: c["num_heads"] > 1),
            Locator("only when n > 1 (more than one token)", lambda c: c["x"].shape[-2] > 1),
        ),
        variants=variants.MULTI_HEAD,  # issue 12: diagnoses (derivations/_variants.py)
    ),
    sources=(
        Source(
            shared.SEED002,
            "Transformer中是怎么做multi head attention 的",
            "而多头并不是循环计算每个头,而是通过transpose and reshapes(即经过矩阵矩阵的变换),再用矩阵乘法来完成的。",
            "Multi-head attention does not loop over the heads; it is done with transposes and reshapes and then "
            "matrix multiplication.",
            line=45,
        ),
        Source(
            sentence=shared.S004_L29,
            gloss="Multi-head self-attention does these computations separately in each head, then concatenates the heads' outputs.",
            assertion="多头自注意力则在每个头上分别进行这些计算,然后将多个头的输出拼接或串联起来",
        ),
        Source(
            shared.SEED002,
            "multi head attention Q1",
            "A: 把输入映射为多组QKV矩阵,每组分别计算注意力,再将每组的结果concat起来。",
            "Map the input to several groups of Q, K, V; each group computes attention; concatenate the results (the per-head computation, checked against the reshape and nn.MultiheadAttention).",
            line=28,
        ),
        Source(
            shared.SEED001,
            "Q10",
            "在多头注意力机制中,“头”指的是多个并行的自注意力模块。每个头都独立地进行自注意力计算,具有自己的查询(Query)、键(Key)和值(Value)投影矩阵。",
            "A 'head' is one of several parallel self-attention modules, each computing attention on its own with its own query, key and value projections (the per-head loop that the reshape and nn.MultiheadAttention match).",
            line=168,
        ),
    ),
)


# ── attention.sdpa-masked and attention.mha (issue 12): attention as modules ship it ──────────────
def _key_padding(draw: st.DrawFn, b: int, m: int, padding: bool | None) -> torch.Tensor:
    """[B, m] bool, True = padded key; key 0 is never padded, so every query (causal or not) sees a key."""
    mask = torch.zeros(b, m, dtype=torch.bool)
    if padding is False or (padding is None and draw(st.integers(0, 2)) == 0):
        return mask  # no padding: a third of the drawn cases
    for row in range(b):
        if draw(st.booleans()):  # right padding (real tokens first), the usual batch layout
            mask[row, draw(st.integers(1, m)) :] = True
        else:  # padding anywhere after key 0
            mask[row, 1:] = torch.tensor(
                draw(st.lists(st.booleans(), min_size=m - 1, max_size=m - 1)), dtype=torch.bool
            )
    return mask


@st.composite
def sdpa_masked_inputs(draw: st.DrawFn, *, causal: bool | None = None, padding: bool | None = None) -> Case:
    """fn(q [B, h, n, d_k], k [B, h, m, d_k], v [B, h, m, d_v], causal, key_padding_mask [B, m]): B, h = 1..2,
    n, m = 1..5, d_k, d_v = 1..6; q, k, v over UNIT_DOMAIN with scales 1e-3..1e3; causal drawn (or fixed by the
    ``causal`` option); key_padding_mask True = padded key, none in a third of the cases, key 0 never padded
    (every query sees at least one key: a fully-masked row is softmax of all −∞: NaN written with masked_fill(−∞), 0 from
    F.scaled_dot_product_attention (torch 2.5+); either way it is outside the contract)."""
    b, h = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    n_q, m_k = draw(st.integers(1, 5)), draw(st.one_of(st.just(4), st.integers(1, 5)))
    dk, dv = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    return {
        "q": draw(tensors((b, h, n_q, dk), scale=draw(scales()), zeros=False)),
        "k": draw(tensors((b, h, m_k, dk), scale=draw(scales()), zeros=False)),
        "v": draw(tensors((b, h, m_k, dv), scale=draw(scales()))),
        "causal": draw(st.booleans()) if causal is None else causal,
        "key_padding_mask": _key_padding(draw, b, m_k, padding),
    }


def _allowed(n: int, m: int, causal: bool, kpm: torch.Tensor, *, diagonal: int = 0, on_queries: bool = False):
    """[B, 1, n, m] bool, True = query i may see key j: keys not padded, and j ≤ i + diagonal when causal."""
    allowed = torch.ones(kpm.shape[0], 1, n, m, dtype=torch.bool)
    if on_queries:  # planted: the padding mask laid over the queries (rows) instead of the keys
        allowed = allowed & ~kpm[:, None, :n, None] if n <= kpm.shape[1] else allowed
    else:
        allowed = allowed & ~kpm[:, None, None, :]
    if causal:
        allowed = allowed & torch.ones(n, m, dtype=torch.bool).tril(diagonal)
    return allowed


def _masked_formula(q, k, v, causal, kpm, *, fill=-math.inf, after=False, diagonal=0, on_queries=False):
    """softmax(q kᵀ/√d_k + M) v written out; the keywords plant the known mistakes."""
    allowed = _allowed(q.shape[-2], k.shape[-2], causal, kpm, diagonal=diagonal, on_queries=on_queries)
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])  # [B, h, n, m]
    if after:  # masked after the softmax: masked weights zeroed, the rest not renormalized
        return torch.softmax(scores, dim=-1).masked_fill(~allowed, 0.0) @ v
    return torch.softmax(scores.masked_fill(~allowed, fill), dim=-1) @ v


def _f_sdpa_masked(q, k, v, causal, key_padding_mask):
    """F.scaled_dot_product_attention with the boolean attn_mask (True = attend) the two masks make."""
    allowed = _allowed(q.shape[-2], k.shape[-2], causal, key_padding_mask)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)


def _sdpa_masked_scale(c: Case) -> float:
    """as attention.sdpa: max|v|·(1 + max|q|·max|k|·√d_k)·m; the mask adds no rounding (exact −∞ / 0)."""
    logits = float(c["q"].abs().max()) * float(c["k"].abs().max()) * math.sqrt(c["q"].shape[-1])
    return (float(c["v"].abs().max()) + 1e-300) * (1 + logits) * c["k"].shape[-2]


SDPA_MASKED_TOL = Tolerance(
    16,
    "as attention.sdpa (a masked logit is −∞ exactly and its weight exactly 0, so masking adds no rounding): "
    "scale = max|v|·(1 + max|q|·max|k|·√d_k)·m",
    _sdpa_masked_scale,
)

_MASK_BUGS: dict[str, tuple[dict[str, Any], str]] = {
    "masked after the softmax": (
        {"after": True},
        "the masked weights are zeroed after the softmax, so the visible ones no longer sum to 1",
    ),
    "masked with 0 instead of −∞": (
        {"fill": 0.0},
        "masked_fill(mask, 0) gives a masked key the logit 0, a weight e⁰/Σ, not 0",
    ),
    "causal triangle off by one (diagonal masked)": (
        {"diagonal": -1},
        "triu(0) instead of triu(1): a token cannot see itself and query 0 sees nothing (a NaN row)",
    ),
    "padding mask on the queries instead of the keys": (
        {"on_queries": True},
        "padded queries are blanked (NaN rows) while padded keys stay visible to every query",
    ),
}


SDPA_MASKED_CHECK = CrossCheck(
    name="softmax(QKᵀ/√d_k + M)V against F.scaled_dot_product_attention(attn_mask) and impl",
    cases=sdpa_masked_inputs,
    expected=lambda c: _masked_formula(*c.values()),
    references={
        "F.scaled_dot_product_attention(attn_mask)": _f_sdpa_masked,
        "impl.attention.masked_sdpa": att.masked_sdpa,
    },
    positional=True,
    tolerance=SDPA_MASKED_TOL,
    planted={
        label: (lambda kw: lambda c: _masked_formula(*c.values(), **kw))(kw) for label, (kw, _) in _MASK_BUGS.items()
    },
)

SDPA_MASKED = Claim(
    id="attention.sdpa-masked",
    title="Masked attention = softmax(QKᵀ/√d_k + M)V with M = −∞ on masked keys, as F.scaled_dot_product_attention",
    verdict=Verdict.TESTED,
    tested_reason="that a masked key gets weight exactly 0 is proved in mask.causal-triangle / mask.padding; that "
    "F.scaled_dot_product_attention with a boolean attn_mask computes softmax(QKᵀ/√d_k + M)V with the causal "
    "triangle and the key-padding mask is an implementation fact, checked numerically only.",
    summary=(
        "For q [B, h, n, d_k], k [B, h, m, d_k], v [B, h, m, d_v], a causal flag and key_padding_mask [B, m] "
        "(True = padded key), the output is softmax(q kᵀ/√d_k + M) v with M[i, j] = −∞ where key j is padded or "
        "(causal) j > i (top-left aligned when n ≠ m, as is_causal=True), 0 elsewhere. The mask is added before "
        "the softmax, with −∞ (0 would leave the key a weight), it hides keys (columns), never queries, and the "
        "causal triangle keeps the diagonal. Every query sees at least one key (key 0 is never padded): a "
        "fully-masked row is softmax of all −∞: NaN when written with masked_fill(−∞) and softmax, 0 from "
        "F.scaled_dot_product_attention (torch 2.5+); code may return either, so such rows are outside the contract."
    ),
    numeric=(SDPA_MASKED_CHECK,),
    assumptions=(
        "no dropout; at least one visible key per query (a fully-masked row is NaN or 0 depending on the code, "
        "and undefined here)",
    ),
    notes=(
        "The expected value is the formula written in torch with masked_fill(−∞) (_masked_formula): there is no "
        "derivation of an output formula to lambdify; that the masked weights are exactly 0 is the proved part, in "
        "mask.causal-triangle and mask.padding.",
    ),
    contract=Contract.of(
        SDPA_MASKED_CHECK,
        signature=(
            "fn(q[B, h, n, d_k], k[B, h, m, d_k], v[B, h, m, d_v], causal, key_padding_mask[B, m]) -> out[B, h, n, d_v]"
            "  # softmax(q kᵀ/√d_k + M) v; key_padding_mask True = padded key; causal: key j ≤ query i"
        ),
        reference="impl.attention.masked_sdpa",
        locators=(
            Locator("only when causal", lambda c: bool(c["causal"])),
            Locator("only when some key is padded", lambda c: bool(c["key_padding_mask"].any())),
        ),
        variants=tuple(
            Variant(label=label, formula=(lambda kw: lambda *a: _masked_formula(*a, **kw))(kw), why=why)
            for label, (kw, why) in _MASK_BUGS.items()
        ),
    ),
)


@st.composite
def mha_shipped_inputs(
    draw: st.DrawFn,
    *,
    causal: bool | None = None,
    padding: bool | None = None,
    qkv_bias: bool | None = None,
    out_bias: bool | None = None,
) -> Case:
    """fn(x [B, n, d], w_qkv [3d, d], b_qkv [3d], w_o [d, d], b_o [d], num_heads, causal, key_padding_mask [B, n]):
    h = 1..4 heads of d_head = 1..4 (d = h·d_head), B = 1..2, n = 1..5; x over UNIT_DOMAIN with scale
    1e-3..1e3; w_qkv ~ N(0, 1)·scale/√d (scale 1e-3..1e3), b_qkv, w_o·√d, b_o ~ N(0, 1) from a drawn seed
    (in a third of the cases x at 1e3 and w_qkv at 1e2: logits ~1e10, beyond a finite mask fill such as −1e9),
    b_qkv all zero now and then; causal drawn (or fixed by the ``causal`` option); key_padding_mask as in
    attention.sdpa-masked (True = padded, key 0 never padded, none when the ``padding`` option is False).
    Options for code as shipped: ``qkv_bias=False`` / ``out_bias=False`` draw b_qkv / b_o all zero (a module
    built without those biases), True never zero."""
    heads, d_head = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    d = heads * d_head
    b, n_tok = draw(st.integers(1, 2)), draw(st.integers(1, 5))
    gen = torch.Generator().manual_seed(draw(st.integers(0, 2**32 - 1)))
    # a third of the cases: activations at 1e3 and weights at 1e2 (logits ~1e10), where a finite mask fill
    # (masked_fill(mask == 0, −1e9)) loses to the visible logits while the rounding bound (∝ logits) stays far below
    # the output's size: so a default run catches it
    huge = draw(st.integers(0, 2)) == 0
    w_qkv = (1e2 if huge else draw(scales())) / math.sqrt(d) * torch.randn(3 * d, d, generator=gen, dtype=torch.float64)
    zero_qkv_bias = draw(st.integers(0, 4)) == 0 if qkv_bias is None else not qkv_bias
    b_qkv = torch.randn(3 * d, generator=gen, dtype=torch.float64) * (0.0 if zero_qkv_bias else 1.0)
    w_o = torch.randn(d, d, generator=gen, dtype=torch.float64) / math.sqrt(d)
    b_o = torch.randn(d, generator=gen, dtype=torch.float64) * (0.0 if out_bias is False else 1.0)
    return {
        "x": draw(tensors((b, n_tok, d), scale=1e3 if huge else draw(scales()))),
        "w_qkv": w_qkv,
        "b_qkv": b_qkv,
        "w_o": w_o,
        "b_o": b_o,
        "num_heads": heads,
        "causal": draw(st.booleans()) if causal is None else causal,
        "key_padding_mask": _key_padding(draw, b, n_tok, padding),
    }


def _mha_formula(
    x, w_qkv, b_qkv, w_o, b_o, num_heads, causal, kpm, *, d_scale=None, biases=True, out_proj=True, mask=True, **planted
):
    """concat_h softmax(Q_h K_hᵀ/√d_head + M) V_h · W_Oᵀ + b_O, one head at a time; keywords plant known mistakes."""
    d = x.shape[-1]
    d_head = d // num_heads
    qkv = x @ w_qkv.T + (b_qkv if biases else 0)  # [B, n, 3d]
    heads = []
    for i in range(num_heads):
        q, k, v = (qkv[..., part * d + i * d_head : part * d + (i + 1) * d_head] for part in range(3))  # [B, n, d_h]
        q = q * math.sqrt(d_head / (d_scale or d_head))  # planted d_scale: scores over √d_scale, not √d_head
        out = _masked_formula(
            q[:, None], k[:, None], v[:, None], causal and mask, kpm if mask else kpm & False, **planted
        )
        heads.append(out[:, 0])  # [B, n, d_head]
    cat = torch.cat(heads, dim=-1)  # [B, n, d]
    return cat @ w_o.T + (b_o if biases else 0) if out_proj else cat


def _f_mha_forward(x, w_qkv, b_qkv, w_o, b_o, num_heads, causal, key_padding_mask):
    """F.multi_head_attention_forward (nn.MultiheadAttention's functional core) on [n, B, d] (its layout)."""
    n, d = x.shape[1], x.shape[2]
    xt = x.transpose(0, 1)  # [B, n, d] -> [n, B, d]
    attn_mask = torch.ones(n, n, dtype=torch.bool).triu(1) if causal else None  # True = not allowed
    out, _ = F.multi_head_attention_forward(
        xt, xt, xt, d, num_heads, w_qkv, b_qkv, None, None, False, 0.0, w_o, b_o,
        training=False, key_padding_mask=key_padding_mask, need_weights=False, attn_mask=attn_mask,
    )  # fmt: skip
    return out.transpose(0, 1)  # [n, B, d] -> [B, n, d]


def _mha_shipped_scale(c: Case) -> float:
    """attention.multi-head's scale for the projections (biases included), times the output projection's
    max|w_o|·d (one more product), plus max|b_o|."""
    x, d = c["x"], c["x"].shape[-1]
    qkv = x @ c["w_qkv"].T + c["b_qkv"]
    q, k, v = qkv.split(d, dim=-1)
    logits = float(q.abs().max()) * float(k.abs().max()) * math.sqrt(d)
    inner = (float(v.abs().max()) + 1e-300) * (1 + logits) * x.shape[-2] * d
    return inner * (1 + float(c["w_o"].abs().max()) * d) + float(c["b_o"].abs().max())


MHA_SHIPPED_TOL = Tolerance(
    32,
    "as attention.multi-head per head, with the biased projections x w_qkvᵀ + b_qkv, then one more product with "
    "w_o (d roundings, amplified by max|w_o|·d) and the bias b_o: scale = max|v|·(1 + max|q|·max|k|·√d)·n·d·"
    "(1 + max|w_o|·d) + max|b_o|",
    _mha_shipped_scale,
)

_MHA_BUGS: dict[str, tuple[dict[str, Any], str]] = {
    "no output projection": ({"out_proj": False}, "the heads' concatenation returned without · W_Oᵀ + b_O"),
    "biases dropped": ({"biases": False}, "x W_qkvᵀ and · W_Oᵀ without b_qkv and b_O (a module built bias=False)"),
    "masks ignored": ({"mask": False}, "the causal and key-padding masks are not applied"),
    "heads scaled by 1/√d_model": ({"d_scale": -1}, "each head's scores divided by √d instead of √d_head"),
    "padding mask on the queries instead of the keys": (
        {"on_queries": True},
        "padded queries are blanked (NaN rows) while padded keys stay visible",
    ),
}


def _mha_bug(kw: dict[str, Any]) -> Callable[..., torch.Tensor]:
    def formula(x, *rest):
        extra = dict(kw)
        if extra.get("d_scale") == -1:
            extra["d_scale"] = x.shape[-1]
        return _mha_formula(x, *rest, **extra)

    return formula


MHA_SHIPPED_CHECK = CrossCheck(
    name="concat_h softmax(Q_h K_hᵀ/√d_head + M)V_h · W_Oᵀ + b_O against F.multi_head_attention_forward and impl",
    cases=mha_shipped_inputs,
    expected=lambda c: _mha_formula(*c.values()),
    references={
        "impl.attention.mha": att.mha,
        "F.multi_head_attention_forward": _f_mha_forward,
    },
    positional=True,
    tolerance=MHA_SHIPPED_TOL,
    planted={label: (lambda f: lambda c: f(*c.values()))(_mha_bug(kw)) for label, (kw, _) in _MHA_BUGS.items()},
)

MHA_SHIPPED = Claim(
    id="attention.mha",
    title="Multi-head attention = concat_h softmax(Q_h K_hᵀ/√d_head + M) V_h · W_Oᵀ + b_O, as nn.MultiheadAttention",
    verdict=Verdict.TESTED,
    tested_reason="no symbolic derivation: that F.multi_head_attention_forward (nn.MultiheadAttention) computes the "
    "per-head formula with biases, output projection and masks is an implementation fact, checked numerically only.",
    summary=(
        "For x [B, n, d], the fused input projection w_qkv [3d, d] = [W_q; W_k; W_v] with bias b_qkv [3d], the "
        "output projection w_o [d, d] with bias b_o [d], num_heads h (d_head = d/h), a causal flag and "
        "key_padding_mask [B, n] (True = padded token), multi-head self-attention is concat_h softmax(Q_h K_hᵀ/"
        "√d_head + M) V_h · W_Oᵀ + b_O with [Q K V] = x w_qkvᵀ + b_qkv split in three, each split in h column "
        "blocks, and M as in attention.sdpa-masked. This is what nn.MultiheadAttention(d, h, batch_first=True) "
        "computes (dropout 0 or eval mode), nanoGPT's and minGPT's CausalSelfAttention (causal, c_attn = w_qkv, "
        "c_proj = w_o) and timm's Attention (qkv, proj)."
    ),
    numeric=(MHA_SHIPPED_CHECK,),
    assumptions=(
        "num_heads divides d; no dropout (p = 0 or eval mode); at least one visible key per query "
        "(key 0 is never padded)",
    ),
    notes=(
        "The expected value is the per-head formula written in torch (_mha_formula); attention.multi-head, "
        "unchanged, is the special case with zero biases, w_o = I and no mask.",
    ),
    contract=Contract.of(
        MHA_SHIPPED_CHECK,
        signature=(
            "fn(x[B, n, d], w_qkv[3d, d], b_qkv[3d], w_o[d, d], b_o[d], num_heads, causal, key_padding_mask[B, n]) "
            "-> out[B, n, d]  # x @ w_qkv.T + b_qkv split into q, k, v; heads; @ w_o.T + b_o; True = padded"
        ),
        reference="impl.attention.mha",
        locators=(
            Locator("only when num_heads > 1", lambda c: c["num_heads"] > 1),
            Locator("only when causal", lambda c: bool(c["causal"])),
            Locator("only when some token is padded", lambda c: bool(c["key_padding_mask"].any())),
        ),
        variants=tuple(Variant(label=label, formula=_mha_bug(kw), why=why) for label, (kw, why) in _MHA_BUGS.items()),
        derived=(ATTEND,),  # the boolean mask modules take (1 = may attend), for --call templates
    ),
)


# the id prefixes this topic owns (the registry refuses a claim of another prefix here, and a
# prefix two topics declare)
PREFIXES = ("attention",)

CLAIMS = [
    DOT_MEAN,
    DOT_VARIANCE,
    DOT_SCALED,
    DOT_BY_DK,
    DOT_GENERAL,
    SOFTMAX_SATURATION,
    SDPA,
    MULTI_HEAD,
    SDPA_MASKED,
    MHA_SHIPPED,
]


# ── issue 11: 000 §3's formula without the scale; 001 Q12's attribution to the CLT ─────────────────
_a, _b, _dk = sp.Symbol("s_1", real=True), sp.Symbol("s_2", real=True), sp.Symbol("d_k", positive=True)


def _weight(s1, s2):
    return exp(s1) / (exp(s1) + exp(s2))  # softmax weight of the first of two scores


UNSCALED_REFUTES = Eq(
    _weight(_a, _b), _weight(_a / sqrt(_dk), _b / sqrt(_dk))
)  # the statement attention.unscaled-formula refutes

UNSCALED = Claim(
    id="attention.unscaled-formula",
    title="'Attention(Q, K, V) = Softmax(QKᵀ)V' (000 §3) is not the Transformer's attention: it drops the 1/√d_k",
    verdict=Verdict.REFUTED,
    refutes=(UNSCALED_REFUTES,),
    summary=(
        "Seed 000 §3 writes the weighted sum as Attention(Q, K, V) = Softmax(QKᵀ)V, while its own §2.3 (and the "
        "paper) scale the scores by 1/√d_k: Attention = softmax(QKᵀ/√d_k)V (attention.sdpa). The two differ "
        "whenever the scores are not all equal: with scores (2, 0) and d_k = 4 the first weight is e²/(e² + 1) ≈ 0.881 "
        "unscaled and e/(e + 1) ≈ 0.731 scaled. (The cost O(n²·d) the sentence gives is the same for both: "
        "complexity.weighted-sum.)"
    ),
    counterexamples=(
        Counterexample(
            "scores (2, 0), d_k = 4: softmax weight e²/(e² + 1) unscaled vs e/(e + 1) scaled",
            relation=UNSCALED_REFUTES,
            point={_a: 2, _b: 0, _dk: 4},
        ),
    ),
    sources=(
        Source(
            sentence=shared.S000_L31,
            gloss="(Computing the weighted sum) Attention(Q, K, V) = Softmax(QKᵀ)V. Judged as the formula the article gives for the Transformer's attention (rule 2: it names the operation it costs): it contradicts the article's own §2.3, which introduces the 1/√d_k scale for the Transformer; the scale changes the weights. (Unscaled dot-product attention exists, but it is not the model the article describes; the cost is the next row's and is unaffected.)",
            assertion="Attention(Q,K,V)=Softmax(QKᵀ)V",
        ),
    ),
)

_q1, _k1 = Rademacher("q_1"), Rademacher("k_1")  # mean 0, variance 1, two values: no Gaussian in sight
_VAR_1 = sp.Symbol("v", nonnegative=True)
CLT_ATTRIBUTION_REFUTES = sp.Ne(_VAR_1, 1)  # the statement attention.clt-attribution refutes

CLT_ATTRIBUTION = Claim(
    id="attention.clt-attribution",
    title="The dot product's variance d_k is not a central-limit effect: it is exact at every d_k, d_k = 1 included",
    verdict=Verdict.REFUTED,
    refutes=(CLT_ATTRIBUTION_REFUTES,),
    summary=(
        "Seed 001 Q12 credits the growth of Var[q·k] with d_k to the central limit theorem. The variance is d_k "
        "exactly for independent components of mean 0 and variance 1, at every d_k, by additivity of variances "
        "(attention.dot-product-variance): already at d_k = 1 with q, k = ±1 the product is ±1 — two values, "
        "nothing Gaussian — and its variance is 1 = d_k. The CLT is about the shape of the sum's distribution "
        "(approximately normal for large d_k), not about its variance."
    ),
    counterexamples=(
        Counterexample(
            "d_k = 1, q, k = ±1 with probability ½ (Rademacher): Var[q·k] = 1 = d_k exactly (sympy.stats), with no "
            "limit taken and a two-point distribution — 'the variance d_k needs the CLT' fails",
            relation=CLT_ATTRIBUTION_REFUTES,
            point={_VAR_1: stats_E((_q1 * _k1) ** 2) - stats_E(_q1 * _k1) ** 2},
        ),
    ),
    sources=(
        Source(
            sentence=S001_L213,
            gloss="(the seed cites) the central limit theorem (as the reason the variance grows).",
            assertion="(中心极限定理)",
        ),
    ),
)
CLAIMS += [UNSCALED, CLT_ATTRIBUTION, DOT_LOWERS]


# ── moved here from seedchecks.py / seedclaims.py (issue 10: a topic owns its id prefixes) ───────
# (their old links keep working: see derivations/_moved.py)

i_v = Symbol("i", integer=True, positive=True)  # an index over the attention width (attention.additive-bounded)
d_a_ = Symbol("d", integer=True, positive=True)  # the attention width d_a
v_, s_ = (IndexedBase(name, real=True) for name in ("v", "s"))


a_, b_ = symbols("a b", real=True)  # two logits: any real values (the counterexample uses b = 0)
dk = Symbol("d_k", positive=True)


def _softmax2(u, w):
    return exp(u) / (exp(u) + exp(w))


def _seed_004_code_witness() -> Witness:
    """Seed 004's forward pass (scores / √d_k, then softmax) against the sentence (softmax, then /√d_k)."""
    gen = shared.seeded(4)
    q = torch.randn(2, 8, 5, 64, generator=gen, dtype=torch.float64)  # (batch, heads, seq, d_k)
    k = torch.randn(2, 8, 5, 64, generator=gen, dtype=torch.float64)
    d_k = 64
    code = torch.softmax(q @ k.transpose(-2, -1) / d_k**0.5, dim=-1)  # what the code does
    sentence = torch.softmax(q @ k.transpose(-2, -1), dim=-1) / d_k**0.5  # what the sentence says
    gap = float((code - sentence).abs().max())
    rows = float(sentence.sum(-1).max())
    return Witness(
        holds=gap < 1e-12,
        lhs=f"max |code − sentence| = {gap:.3g}; the sentence's rows sum to {rows:.4g}",
        rhs="0, and rows summing to 1, if scaling after the softmax were the same",
        detail="q, k ~ N(0, 1), d_k = 64, 8 heads, 5 tokens (seed 004's head size)",
    )


SCALE_AFTER_REFUTES = Eq(
    _softmax2(a_, b_) / sqrt(dk), _softmax2(a_ / sqrt(dk), b_ / sqrt(dk))
)  # the statement attention.scale-after-softmax refutes

SCALE_AFTER = Claim(
    id="attention.scale-after-softmax",
    title="Seed 004 says its code scales the result after the softmax; scaling after ≠ scaling before",
    verdict=Verdict.REFUTED,
    refutes=(SCALE_AFTER_REFUTES,),
    summary="Seed 004 explains its code as using √d_k 'to scale the result after the softmax'. The code "
    "(`attn_scores = q @ kᵀ / d_k ** 0.5`, then `F.softmax`) scales the scores before the softmax, which is "
    "the Transformer's definition (`attention.sdpa`). The two are different functions: dividing softmax(z) by "
    "√d_k leaves every weight's ranking and sharpness unchanged and makes the rows sum to 1/√d_k, while "
    "softmax(z/√d_k) is a flatter distribution that still sums to 1.",
    counterexamples=(
        Counterexample(
            "two logits (1, 0), d_k = 4: softmax(z)₁/√d_k ≠ softmax(z/√d_k)₁",
            relation=SCALE_AFTER_REFUTES,
            point={a_: sp.Integer(1), b_: sp.Integer(0), dk: sp.Integer(4)},
        ),
        Counterexample(
            "seed 004's code path against the sentence's, on Gaussian q, k with d_k = 64", run=_seed_004_code_witness
        ),
    ),
    sources=(
        Source(
            shared.SEED004,
            "Transformer 中 Self Attention 计算为什么要除以特征维度数量的平方根",
            "上面 Transformer 代码中有使用 dk\\sqrt{d_{k}}dk 来对 softmax 之后的结果进行 scale,解释如下:",
            "The Transformer code above uses √d_k to scale the result after the softmax, explained as follows.",
            line=46,
        ),
    ),
)


def _additive_cases() -> st.SearchStrategy[Case]:
    """d_k = 1..64, d_a = 1..16, W, U, b, v ~ N(0, 1) from a seed, 6 queries and 7 keys ~ N(0, 1)·scale with scale
    1e-3..1e3: the claim is "whatever d_k and the scale", so tanh runs from linear to fully saturated."""
    return st.fixed_dictionaries(
        {
            "d_k": st.integers(1, 64),
            "d_a": st.integers(1, 16),
            "scale": st.one_of(st.sampled_from([1e-3, 1.0, 1e3]), st.floats(-3, 3).map(lambda e: 10.0**e)),
            "seed": st.integers(0, 2**31),
        }
    )


def _additive_property(case: Case, bound_of=lambda v_, d_k: float(v_.abs().sum())) -> Outcome:
    """Bahdanau scores vᵀ tanh(W q + U k) through nn.Linear for 6 queries × 7 keys of size d_k."""
    gen, d_k, d_a = shared.seeded(case["seed"]), case["d_k"], case["d_a"]
    w = torch.nn.Linear(d_k, d_a, bias=False, dtype=torch.float64)
    u_ = torch.nn.Linear(d_k, d_a, bias=True, dtype=torch.float64)
    vv = torch.nn.Linear(d_a, 1, bias=False, dtype=torch.float64)
    with torch.no_grad():
        for lin in (w, u_, vv):
            lin.weight.copy_(torch.randn(lin.weight.shape, generator=gen, dtype=torch.float64))
        u_.bias.copy_(torch.randn(d_a, generator=gen, dtype=torch.float64))
        q = case["scale"] * torch.randn(6, d_k, generator=gen, dtype=torch.float64)
        k = case["scale"] * torch.randn(7, d_k, generator=gen, dtype=torch.float64)
        scores = vv(torch.tanh(w(q)[:, None, :] + u_(k)[None, :, :])).squeeze(-1)  # (6, 7)
    top = float(scores.abs().max())
    bound = bound_of(vv.weight.detach(), d_k)
    slack = 4 * d_a * shared.UNIT_ROUNDOFF * float(vv.weight.detach().abs().sum())  # rounding of a d_a-term dot product
    return Outcome(
        top <= bound + slack,
        max(top - bound, 0.0),
        slack,
        f"d_k = {d_k}, scale {case['scale']:g}: max |score| = {top:.4g}, bound {bound:.4g}",
    )


ADDITIVE_CHECK = PropertyCheck(
    name="|vᵀ tanh(Wq + Uk)| ≤ ‖v‖₁ for every query and key, whatever d_k and the scale of q, k (nn.Linear)",
    cases=_additive_cases,
    holds=_additive_property,
    reason="the lemma-backed bound through real nn.Linear layers, inputs scaled 1e-3..1e3, d_k 1..64; slack "
    "4·d_a·u·‖v‖₁ for the rounding of the final dot product",
    planted={
        "‖v‖₁/√d_a (a bound that shrinks with width)": lambda c: _additive_property(
            c, lambda v_, d_k: float(v_.abs().sum()) / math.sqrt(v_.numel())
        ),
        "‖v‖₁ tanh(1) (saturation ignored)": lambda c: _additive_property(
            c, lambda v_, d_k: float(v_.abs().sum()) * math.tanh(1.0)
        ),
    },
)


ADDITIVE = Claim(
    id="attention.additive-bounded",
    title="Additive attention needs no 1/√d_k: its scores are bounded by ‖v‖₁ for every d_k",
    verdict=Verdict.PROVED,
    summary="Seed 002 asks why additive attention does not need scaling and answers with the dot-product "
    "argument (one score dominating when d_k is large), which is the reason the *multiplicative* form needs "
    "it. The actual reason: the additive score vᵀ tanh(Wq + Uk) is bounded by ‖v‖₁ whatever d_k and however "
    "large q and k are, because |tanh| ≤ 1; the dot product q·k has variance d_k and grows without bound "
    "(`attention.dot-product-variance`). The bound depends only on the learned v (of the attention width "
    "d_a), not on the key dimension.",
    derivations=(
        Derivation(
            "‖v‖₁ − |score| for attention width d",
            Sum(Abs(v_[i_v]), (i_v, 1, d_a_)) - Abs(Sum(v_[i_v] * tanh(s_[i_v]), (i_v, 1, d_a_))),
            (
                Step(
                    Sum(Abs(v_[i_v]), (i_v, 1, d_a_)) - Sum(Abs(v_[i_v]) * Abs(tanh(s_[i_v])), (i_v, 1, d_a_)),
                    "triangle inequality",
                    "|Σ a_i| ≤ Σ|a_i| and |ab| = |a||b|, so subtracting the larger sum gives a smaller value",
                    relation=">=",
                    lemma=LemmaUse("sum-triangle", f=v_[i_v] * tanh(s_[i_v]), i=i_v, lo=1, hi=d_a_),
                ),
                Step(
                    sp.Integer(0),
                    "|tanh| ≤ 1",
                    "termwise |v_i||tanh s_i| ≤ |v_i| since tanh maps ℝ into (−1, 1); so |score| ≤ ‖v‖₁",
                    relation=">=",
                    lemma=LemmaUse(
                        "sum-monotone",
                        f=Abs(v_[i_v]) * Abs(tanh(s_[i_v])),
                        g=Abs(v_[i_v]),
                        i=i_v,
                        lo=1,
                        hi=d_a_,
                        given={"f <= g": Certificate((Abs(v_[i_v]), LemmaUse("abs-tanh-le-one", x=s_[i_v])))},
                    ),
                ),
            ),
            sizes={d_a_: (1, 2, 3, 4)},
        ),
    ),
    numeric=(ADDITIVE_CHECK,),
    assumptions=("s_i = (Wq + Uk)_i real, i = 1..d (d = attention width)",),
    sources=(
        Source(
            shared.SEED002,
            "为什么加法不需要用scaled?",
            "为什么加法不需要用scaled?",
            "Presupposition of the question 'why does additive attention not need scaling?': it does not — v·tanh(·) keeps every score within ‖v‖₁ whatever d_k is.",
            line=20,
            kind="presupposition",
        ),
    ),
)


CLAIMS += [SCALE_AFTER, ADDITIVE]
