"""Weight initialization (seed 001 Q7, seed 000 §2.4): Xavier's bound and std, the variance it
keeps forward and backward (and when both at once), why ReLU needs Kaiming's factor 2 — it halves
the second moment, not the variance — and what happens through deep stacks.

Proofs are for symbolic fans n_in, n_out by moment algebra (dlproofs/moments.py: E[(Σ_j W_j x_j)^r]
over set partitions). The numeric side draws weights with ``torch.nn.init.*`` and an explicit
``torch.Generator`` and runs designed Monte Carlo tests (dlproofs/montecarlo.py): statistic, sample
size, threshold, Chebyshev-per-block bound with κ from the closed-form 4th moment, binomial tail,
false alarm ≤ 1e-6 per check, power against named wrong alternatives.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import dlproofs.impl.init as ini
import sympy as sp
import torch
from dlproofs.derivations import _shared as shared
from hypothesis import strategies as st
from sympy import Eq, Integral, Rational, Symbol, pi, sqrt, symbols

from dlproofs.claim import Claim, Counterexample, Derivation, Premise, Sentence, Source, Step, Verdict, Witness
from dlproofs.moments import moments_from, product_moments, raw_moment_of_sum
from dlproofs.montecarlo import BoundedMeanCheck, Claimed, Inequality, MonteCarloCheck, Population
from dlproofs.numeric import Case, CrossCheck, Outcome, PropertyCheck, Tolerance

# ── symbols ───────────────────────────────────────────────────────────────────────────────────
n_in, n_out, n, L = symbols("n_in n_out n L", integer=True, positive=True)
a, t = Symbol("a", positive=True), Symbol("t", real=True)
vw, vx, vg = Symbol("sigma_w^2", positive=True), Symbol("sigma_x^2", positive=True), Symbol("sigma_g^2", positive=True)
EY, EY2 = Symbol("E_Y", real=True), Symbol("E_Y2", nonnegative=True)  # E[W x], E[(W x)²] per term
ES, ES2 = Symbol("E_S", real=True), Symbol("E_S2", nonnegative=True)  # E[y_i], E[y_i²]
A, B = Symbol("A", positive=True), Symbol("B", positive=True)  # E[z²1{z>0}], E[z²1{z<0}] (z not a.s. 0)
Ez2, s2 = Symbol("E_z2", positive=True), Symbol("sigma^2", positive=True)
q_prev, q_next = Symbol("q_{l-1}", positive=True), Symbol("q_l", positive=True)
gain_f, gain_b = Symbol("G_fwd", positive=True), Symbol("G_bwd", positive=True)

LATEX = {
    vw: r"\sigma_w^2",
    vx: r"\sigma_x^2",
    vg: r"\sigma_g^2",
    EY: r"\mathbb{E}[w x]",
    EY2: r"\mathbb{E}[(w x)^2]",
    ES: r"\mathbb{E}[y_i]",
    ES2: r"\mathbb{E}[y_i^2]",
    A: r"\mathbb{E}[z^2 \mathbb{1}_{z>0}]",
    B: r"\mathbb{E}[z^2 \mathbb{1}_{z<0}]",
    Ez2: r"\mathbb{E}[z^2]",
    s2: r"\sigma^2",
    q_prev: r"q_{l-1}",
    q_next: r"q_l",
    gain_f: r"G_{\mathrm{fwd}}",
    gain_b: r"G_{\mathrm{bwd}}",
}

ALPHA = 1e-6


def _product_sum_where(size, v1, v2):
    """E[S], E[S²] for S = Σ_{j=1}^{size} W_j x_j, W_j ⟂ x_j, mean 0 (moment algebra, symbolic size)."""
    y = {1: EY, 2: EY2}
    return ((EY, sp.S.Zero), (EY2, v1 * v2), (ES, raw_moment_of_sum(1, size, y)), (ES2, raw_moment_of_sum(2, size, y)))


def _sum_steps(size, v1, v2, why):
    return (
        Step(
            size * EY2 + size * (size - 1) * EY**2 - (size * EY) ** 2,
            "set partitions of two positions",
            "E[S²] = Σ_{j,k} E[Y_j Y_k]: j = k gives E[Y²] (size terms), j ≠ k gives E[Y]² by independence.",
        ),
        Step(size * (EY2 - EY**2), "collect", "Var[S] = size·Var[Y] for independent terms."),
        Step(size * v1 * v2, "E[W] = 0, W ⟂ x", why),
    )


# ── init.forward-variance / init.backward-variance ────────────────────────────────────────────
FORWARD = Derivation(
    "Var[y_i], y_i = Σ_{j=1}^{n_in} W_ij x_j",
    ES2 - ES**2,
    _sum_steps(n_in, vw, vx, "E[(W x)²] = E[W²]E[x²] = σ_w² σ_x² when both have mean 0 and are independent."),
    sizes={n_in: range(1, 6)},
    where=_product_sum_where(n_in, vw, vx),
)
BACKWARD = Derivation(
    "Var[∂L/∂x_j], ∂L/∂x_j = Σ_{i=1}^{n_out} W_ij g_i",
    ES2 - ES**2,
    _sum_steps(n_out, vw, vg, "E[(W g)²] = σ_w² σ_g²: the backward pass sums over the n_out rows."),
    sizes={n_out: range(1, 6)},
    where=_product_sum_where(n_out, vw, vg),
)

# Monte Carlo: one entry of y = Wx (or Wᵀg) per draw, a fresh Xavier-uniform W each time.
FOURTH_UNIFORM, FOURTH_GAUSS = Rational(9, 5), 3


def _kappa_sum(size: int, fourth_w, fourth_x) -> float:
    y = product_moments(moments_from(third=0, fourth=fourth_w), moments_from(third=0, fourth=fourth_x), 4)
    m2, m4 = raw_moment_of_sum(2, size, y), raw_moment_of_sum(4, size, y)
    return float((m4 - m2**2) / m2**2)


def _linear_draw(fi: int, fo: int, backward: bool) -> Callable[[int, torch.Generator], torch.Tensor]:
    """One entry of y = Wx (or of ∂L/∂x = Wᵀg) per draw, each draw with its OWN weight matrix (the Chebyshev
    design needs independent draws): W ~ U(−a, a), a = impl.init.xavier_uniform_bound (the bound nn.init uses:
    init.xavier-uniform), x, g ~ N(0, 1); the backward entry by torch autograd."""
    a_ = ini.xavier_uniform_bound(fi, fo)

    def draw(count: int, gen: torch.Generator) -> torch.Tensor:
        w = a_ * (2 * torch.rand(count, fo, fi, generator=gen, dtype=torch.float64) - 1)  # [R, fo, fi]
        if backward:
            x = torch.zeros(count, fi, dtype=torch.float64, requires_grad=True)
            g = torch.randn(count, fo, generator=gen, dtype=torch.float64)
            (torch.einsum("roi,ri->ro", w, x) * g).sum().backward()  # L = Σ_r ⟨g_r, W_r x_r⟩
            return x.grad[:, 0]  # [R]: ∂L/∂x_0 = Σ_i W_i0 g_i
        x = torch.randn(count, fi, generator=gen, dtype=torch.float64)
        return torch.einsum("roi,ri->ro", w, x)[:, 0]  # [R]: y_0 = Σ_j W_0j x_j

    return draw


def _with_thorough(*default: Population, more: tuple[Population, ...]) -> dict[str, tuple[Population, ...]]:
    """Populations per profile: the thorough profile runs the default ones and ``more`` (other fans)."""
    return {"default": default, "thorough": (*default, *more)}


def _lin_pop(fi: int, fo: int, backward: bool) -> Population:
    size = fo if backward else fi
    return Population(
        f"{'∂L/∂x_0' if backward else 'y_0'}, W [{fo}, {fi}] ~ U(±√(6/(n_in + n_out)))",
        {"n_in": fi, "n_out": fo},
        _linear_draw(fi, fo, backward),
        _kappa_sum(size, FOURTH_UNIFORM, FOURTH_GAUSS),
    )


def _square(s, prm):
    return s**2


def _xavier_var(prm):
    return 2.0 / (prm["n_in"] + prm["n_out"])


FWD_MC = MonteCarloCheck(
    name="Monte Carlo: E[y_i²] = n_in Var(W), Xavier-uniform weights, n_in ≠ n_out",
    claimed=Claimed(_square, lambda prm: prm["n_in"] * _xavier_var(prm), "E[y_0²] = n_in·2/(n_in + n_out)"),
    populations=_with_thorough(_lin_pop(12, 4, False), more=(_lin_pop(8, 128, False), _lin_pop(64, 64, False))),
    rho=0.1,  # every planted alternative is ≥ 33 % off
    statistic_text="X = y_0² with x ~ N(0, I) (E[y_0] = 0, so E[X] = Var[y_0]); κ from the 4th moments (uniform 9/5, "
    "Gaussian 3) by moment algebra",
    planted={
        "fans swapped: n_out Var(W)": Claimed(_square, lambda prm: prm["n_out"] * _xavier_var(prm), "n_out·Var(W)"),
        "Xavier preserves the forward variance: 1": Claimed(_square, lambda prm: 1.0, "E[y_0²] = 1"),
    },
)
BWD_MC = MonteCarloCheck(
    name="Monte Carlo: E[(∂L/∂x_j)²] = n_out Var(W) by torch autograd, Xavier-uniform weights",
    claimed=Claimed(_square, lambda prm: prm["n_out"] * _xavier_var(prm), "E[(∂L/∂x_0)²] = n_out·2/(n_in + n_out)"),
    populations=_with_thorough(_lin_pop(12, 4, True), more=(_lin_pop(8, 128, True),)),
    rho=0.1,  # every planted alternative is ≥ 50 % off
    statistic_text="X = (∂L/∂x_0)² with L = ⟨g, Wx⟩, g ~ N(0, I), by torch autograd",
    planted={
        "fans swapped: n_in Var(W)": Claimed(_square, lambda prm: prm["n_in"] * _xavier_var(prm), "n_in·Var(W)"),
        "Xavier preserves the backward variance: 1": Claimed(_square, lambda prm: 1.0, "E = 1"),
    },
)

S001_L81 = Sentence(
    file=shared.SEED001,
    section="Q7 Xavier初始化",
    line=81,
    quote="Xavier初始化的原理是基于保持输入和输出的方差一致。通过推导可以证明,在这种初始化方式下,信号在正向传播和反向传播过程中的方差能够得到较好的保持,从而缓解梯度消失和梯度爆炸问题。",
)


FORWARD_VARIANCE = Claim(
    id="init.forward-variance",
    title="Forward: Var[y_i] = n_in Var(W) Var(x), so the forward pass keeps the variance iff n_in Var(W) = 1",
    verdict=Verdict.PROVED,
    summary=(
        "For y = Wx with independent mean-0 weights and inputs (any distributions), Var[y_i] = n_in σ_w² σ_x², "
        "for every n_in (moment algebra). Checked by Monte Carlo with Xavier-uniform weights (a fresh matrix per "
        "draw) at n_in ≠ n_out, where Xavier's forward gain 2n_in/(n_in + n_out) is not 1."
    ),
    derivations=(FORWARD,),
    numeric=(FWD_MC,),
    assumptions=("W_ij, x_j independent", "E[W_ij] = 0, E[x_j] = 0", "Var(W_ij) = σ_w², Var(x_j) = σ_x²"),
    sources=(
        Source(
            sentence=S001_L81,
            gloss="Xavier initialization is based on keeping a layer's input and output variances equal (the principle: forward, Var[y] = n_in Var(W) Var(x), equal iff n_in Var(W) = 1).",
            assertion="Xavier初始化的原理是基于保持输入和输出的方差一致",
        ),
    ),
)
BACKWARD_VARIANCE = Claim(
    id="init.backward-variance",
    title="Backward: Var[∂L/∂x_j] = n_out Var(W) Var(∂L/∂y), so backprop keeps it iff n_out Var(W) = 1",
    verdict=Verdict.PROVED,
    summary=(
        "∂L/∂x = Wᵀ g sums over the n_out rows: Var[∂L/∂x_j] = n_out σ_w² σ_g² for independent mean-0 W and g. "
        "Checked by Monte Carlo with torch autograd (a fresh Xavier-uniform matrix per draw)."
    ),
    derivations=(BACKWARD,),
    numeric=(BWD_MC,),
    assumptions=("W_ij, g_i independent (the linear-regime assumption of Glorot & Bengio)", "E[W_ij] = E[g_i] = 0"),
    sources=(),
)

# ── init.xavier-both-directions (conditional) ─────────────────────────────────────────────────
HARMONIC = Derivation(
    "Xavier's Var(W) is the harmonic mean of the forward (1/n_in) and backward (1/n_out) requirements",
    2 / (1 / (1 / n_in) + 1 / (1 / n_out)),
    (Step(2 / (n_in + n_out), "simplify", "H(a, b) = 2/(1/a + 1/b) with a = 1/n_in, b = 1/n_out."),),
)
GAINS_EQUAL = Derivation(
    "forward and backward gains under Xavier, n_in = n_out = n",
    gain_f * gain_b,
    (
        Step(
            n_in * 2 / (n_in + n_out) * (n_out * 2 / (n_in + n_out)),
            "init.forward/backward-variance",
            "G = fan·Var(W).",
        ),
        Step(n * 2 / (2 * n) * (n * 2 / (2 * n)), "n_in = n_out = n", "The extra hypothesis."),
        Step(sp.S.One, "cancel", "Both gains are 1: forward and backward variances are kept at once."),
    ),
    where=((n_in, n), (n_out, n), (gain_f, n_in * 2 / (n_in + n_out)), (gain_b, n_out * 2 / (n_in + n_out))),
)
# what the counterexamples refute: the statement without the hypothesis
INIT_XAVIER_BOTH_DIRECTIONS_UNCONDITIONAL = Eq(n_in * 2 / (n_in + n_out), 1)
XAVIER_BOTH = Claim(
    uses=("init.forward-variance", "init.backward-variance"),
    id="init.xavier-both-directions",
    title="Xavier keeps the variance forward and backward at once only when n_in = n_out",
    verdict=Verdict.CONDITIONAL,
    refutes=(INIT_XAVIER_BOTH_DIRECTIONS_UNCONDITIONAL,),  # without the hypothesis
    summary=(
        "Forward needs Var(W) = 1/n_in, backward 1/n_out (init.forward-variance, init.backward-variance). Both "
        "hold at once only if n_in = n_out; Xavier's 2/(n_in + n_out) is the harmonic mean of the two, a "
        "compromise: at n_in = 1000, n_out = 100 the forward gain per layer is 2000/1100 ≈ 1.82 and the backward "
        "gain 200/1100 ≈ 0.18. The seed says the variance is 'well preserved' in both passes: true exactly when "
        "n_in = n_out (and the activation is in its linear regime: init.xavier-activation)."
    ),
    derivations=(HARMONIC, GAINS_EQUAL),
    counterexamples=(
        Counterexample(
            "n_in = 1000, n_out = 100: forward gain n_in·Var(W) = 20/11, not 1",
            relation=INIT_XAVIER_BOTH_DIRECTIONS_UNCONDITIONAL,
            point={n_in: sp.Integer(1000), n_out: sp.Integer(100)},
        ),
    ),
    hypothesis="n_in = n_out (square layers)",
    premise=Premise(relation=Eq(n_in, n_out)),
    sources=(
        Source(
            sentence=S001_L81,
            gloss="One can prove that under this initialization the signal's variance is well preserved in both the forward and the backward pass, which alleviates vanishing and exploding gradients. Conditional: the per-layer gains are 2n_in/(n_in + n_out) forward and 2n_out/(n_in + n_out) backward; they compound through depth and are both 1 only when n_in = n_out. ('Well preserved' is judged for a network, not one layer; the activation must also be in its linear regime with f(0) = 0, f'(0) = 1: init.xavier-activation.)",
            assertion="通过推导可以证明,在这种初始化方式下,信号在正向传播和反向传播过程中的方差能够得到较好的保持,从而缓解梯度消失和梯度爆炸问题",
        ),
    ),
)

# ── init.xavier-uniform / init.xavier-normal ──────────────────────────────────────────────────
UNIFORM_VAR = Derivation(
    "Var of U(−a, a) with a = √(6/(n_in + n_out))",
    Integral(t**2 / (2 * a), (t, -a, a)),
    (
        Step(a**2 / 3, "integrate", "∫_{−a}^{a} t²/(2a) dt = a³/(3a); the mean is 0 by symmetry."),
        Step(2 / (n_in + n_out), "a² = 6/(n_in + n_out)", "a²/3 = 2/(n_in + n_out): Xavier's variance."),
    ),
    where=((a, sqrt(6 / (n_in + n_out))),),
)


def _init_draw(fn, fi: int, fo: int):
    def draw(count: int, gen: torch.Generator) -> torch.Tensor:
        out, left = [], count
        while left:
            w = torch.empty(fo, fi, dtype=torch.float64)
            fn(w, gen)
            out.append(w.flatten()[:left])
            left -= out[-1].numel()
        return torch.cat(out)

    return draw


def _w_pop(label: str, fn, fi: int, fo: int, kappa: float) -> Population:
    return Population(f"{label}, [{fo}, {fi}]", {"n_in": fi, "n_out": fo}, _init_draw(fn, fi, fo), kappa)


def _xu(w, g):
    torch.nn.init.xavier_uniform_(w, generator=g)


def _xn(w, g):
    torch.nn.init.xavier_normal_(w, generator=g)


XU_MC = MonteCarloCheck(
    name="Monte Carlo: nn.init.xavier_uniform_ has E[w²] = 2/(n_in + n_out)",
    claimed=Claimed(_square, _xavier_var, "E[w²] = 2/(n_in + n_out)"),
    populations=_with_thorough(
        _w_pop("xavier_uniform_", _xu, 30, 10, 0.8), more=(_w_pop("xavier_uniform_", _xu, 7, 300, 0.8),)
    ),
    statistic_text="X = w² per weight (uniform: E[w⁴]/E[w²]² = 9/5, κ = 4/5)",
    planted={
        "the bound read as the variance: √(6/(n_in + n_out))": Claimed(
            _square, lambda prm: math.sqrt(6 / (prm["n_in"] + prm["n_out"])), "E[w²] = √(6/(n_in + n_out))"
        ),
        "variance a² instead of a²/3": Claimed(_square, lambda prm: 6 / (prm["n_in"] + prm["n_out"]), "E[w²] = a²"),
    },
)


@st.composite
def fan_cases(draw: st.DrawFn) -> Case:
    """n_in, n_out = 4..300 (bounds a from 0.1 to 0.87) and a seed: at least 200 draws per case, so missing 90 %
    of a by chance has probability ≤ 7e-10, while exceeding a is never allowed."""
    return {"n_in": draw(st.integers(4, 300)), "n_out": draw(st.integers(4, 300)), "seed": draw(st.integers(0, 2**31))}


def _within_bound(case: Case, bound=ini.xavier_uniform_bound) -> Outcome:
    """xavier_uniform_ never exceeds a, and its largest |w| over ≥ 200 draws comes within 10 % of a."""
    fi, fo = case["n_in"], case["n_out"]
    rows = max(1, -(-200 // (fi * fo)))  # ≥ 200 draws: max|w| < 0.9a has probability ≤ 0.9^200 ≈ 7e-10
    pieces = []
    gen = torch.Generator().manual_seed(case["seed"])
    for _ in range(rows):
        one = torch.empty(fo, fi, dtype=torch.float64)
        torch.nn.init.xavier_uniform_(one, generator=gen)
        pieces.append(one.abs().max())
    top, a_ = float(torch.stack(pieces).max()), bound(fi, fo)
    if top > a_ or top < 0.9 * a_:
        return Outcome(False, abs(top - a_), 0.1 * a_, f"max|w| = {top!r} vs a = {a_!r} (n_in = {fi}, n_out = {fo})")
    return Outcome(True, max(top - a_, 0.0), 0.1 * a_)


BOUND_CHECK = PropertyCheck(
    name="nn.init.xavier_uniform_ stays within ±√(6/(n_in + n_out)) and reaches it",
    cases=fan_cases,
    holds=_within_bound,
    reason="exact upper bound (uniform_ on [−a, a]); the lower 0.9a criterion fails with probability ≤ 0.9^200 per "
    "case, below 1e-7 over the 60 cases of the ci profile",
    planted={
        "the normal's std √(2/(n_in + n_out)) as the bound": lambda c: _within_bound(c, ini.xavier_std),
        "√(6/n_in) as the bound": lambda c: _within_bound(c, lambda fi, fo: math.sqrt(6 / fi)),
    },
)


# ── the scales by value: impl/ and nn.init on the same generator stream ──────────────────────
# nn.init's normal_(0, std) is std·z and uniform_(−a, a) is −a + 2a·u for the z = randn, u = rand that the same
# seeded torch.Generator gives, so impl's scales are compared with nn.init draw for draw, not only in mean square.
@st.composite
def draw_cases(draw: st.DrawFn) -> Case:
    """n_out, n_in = 1..40 (1 often: the smallest fan), a seed, and a gain: 1, torch's tanh 5/3, ReLU's √2,
    or any in 0.1..3."""
    return {
        "n_out": draw(st.sampled_from([1, 40]) | st.integers(1, 40)),
        "n_in": draw(st.sampled_from([1, 40]) | st.integers(1, 40)),
        "seed": draw(st.integers(0, 2**31)),
        "gain": draw(st.sampled_from([1.0, 5 / 3, math.sqrt(2.0)]) | st.floats(0.1, 3.0)),
    }


def _std_normal(case: Case, offset: int = 0) -> torch.Tensor:
    gen = torch.Generator().manual_seed(case["seed"] + offset)
    return torch.randn(case["n_out"], case["n_in"], generator=gen, dtype=torch.float64)  # [n_out, n_in]


def _sym_uniform(case: Case, offset: int = 0) -> torch.Tensor:
    """2u − 1 for u ~ U(0, 1) from the case's generator: U(−1, 1).  # [n_out, n_in]"""
    gen = torch.Generator().manual_seed(case["seed"] + offset)
    return 2 * torch.rand(case["n_out"], case["n_in"], generator=gen, dtype=torch.float64) - 1


def _nn_init(case: Case, fn, offset: int = 0, **kwargs) -> torch.Tensor:
    w = torch.empty(case["n_out"], case["n_in"], dtype=torch.float64)
    fn(w, generator=torch.Generator().manual_seed(case["seed"] + offset), **kwargs)
    return w


def _draw_tol(scale: Callable[[Case], float]) -> Tolerance:
    return Tolerance(
        4,
        "one product (std·z) or a product and a sum (−a + 2a·u against a·(2u − 1)) per weight, each rounded once: "
        "scale = largest |w| the case can produce (the bound times max|z| or 1)",
        scale,
    )


def _xavier_normal_closed(case: Case, std=lambda fi, fo: math.sqrt(2 / (fi + fo))) -> torch.Tensor:
    return case["gain"] * std(case["n_in"], case["n_out"]) * _std_normal(case)


XN_DRAW = CrossCheck(
    name="draw for draw: gain·√(2/(n_in + n_out))·z against nn.init.xavier_normal_ and impl.xavier_std",
    cases=draw_cases,
    expected=_xavier_normal_closed,
    references={
        "nn.init.xavier_normal_(gain)": lambda c: _nn_init(c, torch.nn.init.xavier_normal_, gain=c["gain"]),
        "impl.init.xavier_std(gain)·z": lambda c: ini.xavier_std(c["n_in"], c["n_out"], c["gain"]) * _std_normal(c),
    },
    tolerance=_draw_tol(
        lambda c: c["gain"] * math.sqrt(2 / (c["n_in"] + c["n_out"])) * float(_std_normal(c).abs().max())
    ),
    planted={
        "N(μ, σ²) reading: std (2/(n_in + n_out))^(1/4)": lambda c: _xavier_normal_closed(
            c, lambda fi, fo: (2 / (fi + fo)) ** 0.25
        ),
        "Kaiming's √(2/n_in)": lambda c: _xavier_normal_closed(c, lambda fi, fo: math.sqrt(2 / fi)),
    },
    examples=({"n_out": 1, "n_in": 1, "seed": 0, "gain": 1.0},),
)


def _xavier_uniform_closed(case: Case, bound=lambda fi, fo: math.sqrt(6 / (fi + fo))) -> torch.Tensor:
    return case["gain"] * bound(case["n_in"], case["n_out"]) * _sym_uniform(case)


XU_DRAW = CrossCheck(
    name="draw for draw: a·(2u − 1), a = gain·√(6/(n_in + n_out)), against nn.init.xavier_uniform_ and impl",
    cases=draw_cases,
    expected=_xavier_uniform_closed,
    references={
        "nn.init.xavier_uniform_(gain)": lambda c: _nn_init(c, torch.nn.init.xavier_uniform_, gain=c["gain"]),
        "impl.init.xavier_uniform(gain)": lambda c: ini.xavier_uniform(
            c["n_out"], c["n_in"], torch.Generator().manual_seed(c["seed"]), gain=c["gain"]
        ),
    },
    tolerance=_draw_tol(lambda c: c["gain"] * math.sqrt(6 / (c["n_in"] + c["n_out"]))),
    planted={
        "the normal's std √(2/(n_in + n_out)) as the bound": lambda c: _xavier_uniform_closed(
            c, lambda fi, fo: math.sqrt(2 / (fi + fo))
        ),
        "√(6/n_in) as the bound": lambda c: _xavier_uniform_closed(c, lambda fi, fo: math.sqrt(6 / fi)),
    },
    examples=({"n_out": 1, "n_in": 1, "seed": 0, "gain": 1.0},),
)


XAVIER_UNIFORM = Claim(
    id="init.xavier-uniform",
    title="Xavier uniform: U(−a, a) with a = √(6/(n_in + n_out)) has variance 2/(n_in + n_out)",
    verdict=Verdict.PROVED,
    summary=(
        "U(−a, a) has variance a²/3, so the bound √(6/(n_in + n_out)) gives Var(W) = 2/(n_in + n_out), the same "
        "variance as the normal version. nn.init.xavier_uniform_ draws exactly this (Monte Carlo on E[w²]; its "
        "draws never exceed a and come within 10 % of it)."
    ),
    derivations=(UNIFORM_VAR,),
    numeric=(XU_MC, BOUND_CHECK, XU_DRAW),
    sources=(
        Source(
            shared.SEED001,
            "Q7 Xavier初始化",
            "该层的权重矩阵 W 的元素 w_ij 从均匀分布 U(−√(6/(n_in+n_out)), √(6/(n_in+n_out))) 中随机采样得到",
            "The weights w_ij are drawn from the uniform distribution U(−√(6/(n_in + n_out)), √(6/(n_in + n_out))).",
            line=80,
        ),
    ),
)

NORMAL_VAR = Derivation(
    "Var of N(0, std²) with the seed's second parameter std = √(2/(n_in + n_out))",
    s2,
    (Step(2 / (n_in + n_out), "square the std", "The seed's N(0, √(2/(n_in+n_out))) names the std, as torch does."),),
    where=((s2, sqrt(2 / (n_in + n_out)) ** 2),),
)
XN_MC = MonteCarloCheck(
    name="Monte Carlo: nn.init.xavier_normal_ has E[w²] = 2/(n_in + n_out)",
    claimed=Claimed(_square, _xavier_var, "E[w²] = 2/(n_in + n_out)"),
    populations=_with_thorough(
        _w_pop("xavier_normal_", _xn, 30, 10, 2.0), more=(_w_pop("xavier_normal_", _xn, 7, 300, 2.0),)
    ),
    statistic_text="X = w² per weight (Gaussian: κ = 2)",
    planted={
        "N(μ, σ²) reading: variance √(2/(n_in + n_out))": Claimed(
            _square, lambda prm: math.sqrt(_xavier_var(prm)), "E[w²] = √(2/(n_in + n_out))"
        ),
        "Kaiming's 2/n_in": Claimed(_square, lambda prm: 2 / prm["n_in"], "E[w²] = 2/n_in"),
    },
)
XAVIER_NORMAL = Claim(
    id="init.xavier-normal",
    title="Xavier normal: std √(2/(n_in + n_out)) (the seed's N(0, ·) names the std, not the variance)",
    verdict=Verdict.PROVED,
    summary=(
        "nn.init.xavier_normal_ draws N(0, std²) with std = √(2/(n_in + n_out)), i.e. Var(W) = 2/(n_in + n_out). "
        "The seed writes N(0, √(2/(n_in+n_out))): correct if the second argument is the standard deviation (torch's "
        "normal_(mean, std) convention); read as N(μ, σ²) it would claim Var = √(2/(n_in+n_out)), which the Monte "
        "Carlo test rejects."
    ),
    derivations=(NORMAL_VAR,),
    numeric=(XN_MC, XN_DRAW),
    sources=(
        Source(
            shared.SEED001,
            "Q7 Xavier初始化",
            "或者从正态分布 N(0, √(2/(n_in+n_out))) 中随机采样得到。",
            "or from the normal distribution N(0, √(2/(n_in + n_out))).",
            line=80,
        ),
    ),
)

# ── init.xavier-activation (conditional) ──────────────────────────────────────────────────────
u = Symbol("u", real=True)
TANH_LINEAR = Derivation(
    "tanh'(0): the slope Xavier's linear-regime analysis assumes is 1",
    sp.diff(sp.tanh(u), u).subs(u, 0),
    (Step(sp.S.One, "evaluate", "tanh'(u) = 1 − tanh²(u) = 1 at u = 0, and tanh(0) = 0: y ≈ z for small z."),),
)
SIG = 1 / (1 + sp.exp(-u))
# the activation's value and slope at 0, for the premise; the counterexamples' values are sigmoid's, computed
F_0, DF_0 = Symbol("f(0)"), Symbol("f'(0)")
_SIGMOID_AT_0 = {F_0: SIG.subs(u, 0), DF_0: sp.diff(SIG, u).subs(u, 0)}
# what the counterexamples refute: the statement without the hypothesis
INIT_XAVIER_ACTIVATION_UNCONDITIONAL_1 = Eq(sp.diff(SIG, u), 1, evaluate=False)
INIT_XAVIER_ACTIVATION_UNCONDITIONAL_2 = Eq(SIG, 0, evaluate=False)
XAVIER_ACTIVATION = Claim(
    uses=("sigmoid.chain-bound",),
    id="init.xavier-activation",
    title="Xavier's derivation needs f(0) = 0 and f'(0) = 1: true for tanh, false for sigmoid",
    verdict=Verdict.CONDITIONAL,
    refutes=(
        INIT_XAVIER_ACTIVATION_UNCONDITIONAL_1,
        INIT_XAVIER_ACTIVATION_UNCONDITIONAL_2,
    ),  # without the hypothesis
    summary=(
        "Glorot & Bengio's variance argument linearises the activation at 0 and needs f(0) = 0, f'(0) = 1, "
        "which tanh satisfies. Sigmoid does not: σ(0) = 1/2 (outputs are not centred, so the E[x] = 0 step fails) "
        "and σ'(0) = 1/4, so each sigmoid layer multiplies the backward second moment by ≤ 1/16 even at the best "
        "point (sigmoid.chain-bound). 'Symmetric activation' is the wrong criterion: sigmoid is symmetric about "
        "(0, 1/2) and still breaks the argument."
    ),
    derivations=(TANH_LINEAR,),
    counterexamples=(
        Counterexample(
            "sigmoid'(0) = 1/4, not 1",
            relation=INIT_XAVIER_ACTIVATION_UNCONDITIONAL_1,
            point={u: sp.Integer(0), **_SIGMOID_AT_0},
        ),
        Counterexample(
            "sigmoid(0) = 1/2, not 0",
            relation=INIT_XAVIER_ACTIVATION_UNCONDITIONAL_2,
            point={u: sp.Integer(0), **_SIGMOID_AT_0},
        ),
    ),
    hypothesis="the activation satisfies f(0) = 0 and f'(0) = 1 (tanh; not sigmoid)",
    premise=Premise(relation=sp.And(Eq(F_0, 0), Eq(DF_0, 1))),  # f(0) = 0 and f'(0) = 1
    sources=(),
)

# ── init.relu-second-moment / init.relu-variance-halves ───────────────────────────────────────
RELU_M2 = Derivation(
    "E[ReLU(z)²] for z symmetric about 0 with E[z²] = σ²",
    A,
    (
        Step((A + B) / 2, "symmetry: B = A", "z and −z have the same law, so E[z²1{z>0}] = E[z²1{z<0}]."),
        Step(Ez2 / 2, "E[z²] = A + B", "z² 1{z = 0} = 0, so the two halves add up to E[z²]."),
        Step(s2 / 2, "E[z] = 0", "For a symmetric z, E[z²] = Var(z) = σ²: the SECOND MOMENT halves."),
    ),
    where=((B, A), (Ez2, A + B), (s2, Ez2)),  # symmetry, the two halves, σ² = E[z²] (mean 0)
)
Z = Symbol("z", real=True)


def _relu_draw(count: int, gen: torch.Generator) -> torch.Tensor:
    return torch.relu(torch.randn(count, generator=gen, dtype=torch.float64))


RELU_MC = MonteCarloCheck(
    name="Monte Carlo: E[torch.relu(z)²] = 1/2 for z ~ N(0, 1)",
    claimed=Claimed(_square, lambda prm: 0.5, "E[relu(z)²] = σ²/2"),
    populations={
        "default": (Population("relu(z), z ~ N(0, 1)", {}, _relu_draw, 5.0),),
        "thorough": (Population("relu(z), z ~ N(0, 1)", {}, _relu_draw, 5.0),),
    },
    statistic_text="X = relu(z)²: E[X] = 1/2, E[X²] = E[z⁴]/2 = 3/2, κ = (3/2)/(1/4) − 1 = 5",
    rho=0.1,
    planted={
        "ReLU keeps the second moment: σ²": Claimed(_square, lambda prm: 1.0, "E = 1"),
        "the variance (1/2 − 1/(2π))σ² mistaken for the second moment": Claimed(
            _square, lambda prm: 0.5 - 1 / (2 * math.pi), "E = 0.3408"
        ),
    },
)
RELU_SECOND_MOMENT = Claim(
    id="init.relu-second-moment",
    title="ReLU halves the second moment of a symmetric input: E[ReLU(z)²] = E[z²]/2",
    verdict=Verdict.PROVED,
    summary=(
        "For any z symmetric about 0, E[ReLU(z)²] = E[z²]/2 = Var(z)/2: exactly the factor He et al. compensate "
        "by Var(W) = 2/n_in (their Eq. 7 is written for E[x²], not Var[x]). Proved for every symmetric law; "
        "Monte Carlo against torch.relu for the Gaussian."
    ),
    derivations=(RELU_M2,),
    numeric=(RELU_MC,),
    assumptions=("z has a law symmetric about 0 (e.g. z = Σ_j W_ij x_j with symmetric W_ij independent of x)",),
    sources=(
        Source(
            shared.SEED001,
            "Q7 Kaiming初始化",
            "由于ReLU函数在负区间的输出为 0,会导致信号的方差在传播过程中减半。",
            "Because ReLU outputs 0 on the negative half-line, the signal's variance is halved as it propagates. Judged reading (rule 2): layer to layer, as the next sentence's ×2 compensation shows — with n·Var(W) = 1 the pre-activation variance halves per layer, Var[y_l] = ½ n Var(W) Var[y_{l−1}] (He et al.), because ReLU halves the second moment of a symmetric input (this claim). The narrower reading 'Var[ReLU(z)] = Var(z)/2' is false (≈ 0.34: init.relu-variance-halves).",
            line=85,
        ),
    ),
)


def _gauss_relu_variance() -> Witness:
    """Var[torch.relu(z)] from 400 000 Gaussian draws (fixed seed) against Var(z)/2 = 1/2.

    Chebyshev on the sample variance: Var[relu(z)²] ≤ E[relu(z)⁴] = 3/2, so the second moment is within 0.02 of its
    mean with probability ≥ 1 − 1.5/(4e5·4e-4) ≈ 0.99, and the mean within 0.005; the gap to 1/2 is ≈ 0.16.
    """
    zz = torch.randn(400_000, generator=torch.Generator().manual_seed(11), dtype=torch.float64)
    r = torch.relu(zz)
    var = float(r.var(unbiased=False))
    return Witness(
        abs(var - 0.5) < 0.05,
        f"Var[relu(z)] ≈ {var:.4f} (torch, z ~ N(0, 1), 400 000 draws; exact 1/2 − 1/(2π) = {0.5 - 1 / (2 * math.pi):.4f})",
        "Var(z)/2 = 1/2",
        f"E[relu(z)] ≈ {float(r.mean()):.4f} ≠ 0 (exact 1/√(2π) ≈ 0.3989): second moment and variance differ",
    )


RELU_VARIANCE_REFUTES = Eq(
    s2 / 2 - s2 / (2 * pi), s2 / 2, evaluate=False
)  # the statement init.relu-variance-halves refutes

RELU_VARIANCE = Claim(
    uses=("init.relu-second-moment",),
    id="init.relu-variance-halves",
    title="ReLU does NOT halve the variance: for Gaussian z, Var[ReLU(z)] = (1/2 − 1/(2π))σ² ≈ 0.341σ²",
    verdict=Verdict.REFUTED,
    refutes=(RELU_VARIANCE_REFUTES,),
    summary=(
        "The seed says ReLU halves the signal's variance (方差减半). What halves is the second moment "
        "(init.relu-second-moment); the output has mean σ/√(2π) ≠ 0, so its variance is σ²/2 − σ²/(2π) ≈ "
        "0.341σ², less than half. Kaiming's factor 2 is right because the next layer's Var[y] = n_in Var(W) E[x²] "
        "involves the second moment of its input, not its variance."
    ),
    counterexamples=(
        Counterexample(
            "z ~ N(0, 1): Var[ReLU(z)] = 1/2 − 1/(2π) ≠ 1/2",
            relation=RELU_VARIANCE_REFUTES,
            point={s2: sp.Integer(1)},
        ),
        Counterexample("torch: Var[relu(z)] for z ~ N(0, 1) by sampling", run=_gauss_relu_variance),
    ),
    sources=(),
)

# ── init.kaiming ──────────────────────────────────────────────────────────────────────────────
KAIMING_STEP = Derivation(
    "one ReLU layer, Var(W) = 2/n_in: q_l = E[y_l²] from q_{l−1} = E[y_{l−1}²]",
    q_next,
    (
        Step(n_in * vw * q_prev / 2, "forward variance + ReLU", "E[y_l²] = n_in σ_w² E[x²] and E[x²] = q_{l−1}/2."),
        Step(n_in * (2 / n_in) * q_prev / 2, "Var(W) = 2/n_in", "Kaiming's choice."),
        Step(q_prev, "cancel", "The second moment is carried unchanged from layer to layer."),
    ),
    where=((vw, 2 / n_in), (q_next, n_in * vw * q_prev / 2)),
)


def _kn(w, g):
    torch.nn.init.kaiming_normal_(w, nonlinearity="relu", generator=g)


def _ku(w, g):
    torch.nn.init.kaiming_uniform_(w, nonlinearity="relu", generator=g)


def _kaiming_var(prm):
    return 2.0 / prm["n_in"]


KAIMING_MC = MonteCarloCheck(
    name="Monte Carlo: kaiming_normal_ and kaiming_uniform_ (relu) have E[w²] = 2/fan_in",
    claimed=Claimed(_square, _kaiming_var, "E[w²] = 2/n_in"),
    populations=_with_thorough(
        _w_pop("kaiming_normal_", _kn, 40, 12, 2.0),
        _w_pop("kaiming_uniform_", _ku, 40, 12, 0.8),
        more=(_w_pop("kaiming_normal_", _kn, 5, 200, 2.0),),
    ),
    statistic_text="X = w² per weight (κ = 2 normal, 4/5 uniform)",
    planted={
        "Xavier's 2/(n_in + n_out)": Claimed(_square, _xavier_var, "E[w²] = 2/(n_in + n_out)"),
        "std √(2/n_in) read as the variance": Claimed(_square, lambda prm: math.sqrt(2 / prm["n_in"]), "√(2/n_in)"),
        "no ReLU factor: 1/n_in": Claimed(_square, lambda prm: 1 / prm["n_in"], "1/n_in"),
    },
)


def _kaiming_closed(case: Case, std=lambda fi: math.sqrt(2 / fi)) -> torch.Tensor:
    """kaiming_normal_ and kaiming_uniform_ (relu, fan_in) side by side: √(2/n_in)·z and √(6/n_in)·(2u − 1)
    (uniform bound √3·std), on two seeds of the case.  # [n_out, 2·n_in]"""
    fi = case["n_in"]
    return torch.cat([std(fi) * _std_normal(case), math.sqrt(3) * std(fi) * _sym_uniform(case, 1)], dim=1)


K_DRAW = CrossCheck(
    name="draw for draw: √(2/n_in)·z and √(6/n_in)·(2u − 1) against nn.init.kaiming_normal_/uniform_ (relu) and impl",
    cases=draw_cases,
    expected=_kaiming_closed,
    references={
        "nn.init.kaiming_normal_ / kaiming_uniform_ (relu)": lambda c: torch.cat(
            [
                _nn_init(c, torch.nn.init.kaiming_normal_, nonlinearity="relu"),
                _nn_init(c, torch.nn.init.kaiming_uniform_, 1, nonlinearity="relu"),
            ],
            dim=1,
        ),
        "impl.init.kaiming_normal / kaiming_uniform_bound": lambda c: torch.cat(
            [
                ini.kaiming_normal(c["n_out"], c["n_in"], torch.Generator().manual_seed(c["seed"])),
                ini.kaiming_uniform_bound(c["n_in"]) * _sym_uniform(c, 1),
            ],
            dim=1,
        ),
        "impl.init.kaiming_std(gain √2)·z, √3·kaiming_std·(2u − 1)": lambda c: torch.cat(
            [
                ini.kaiming_std(c["n_in"], math.sqrt(2.0)) * _std_normal(c),
                math.sqrt(3) * ini.kaiming_std(c["n_in"]) * _sym_uniform(c, 1),
            ],
            dim=1,
        ),
    },
    tolerance=_draw_tol(
        lambda c: math.sqrt(6 / c["n_in"]) * max(1.0, float(_std_normal(c).abs().max())),
    ),
    planted={
        "no ReLU factor: std √(1/n_in)": lambda c: _kaiming_closed(c, lambda fi: math.sqrt(1 / fi)),
        "Xavier's std √(2/(n_in + n_out))": lambda c: _kaiming_closed(c, lambda fi: math.sqrt(2 / (fi + c["n_out"]))),
    },
    examples=({"n_out": 1, "n_in": 1, "seed": 0, "gain": 1.0},),
)
S001_L83 = Sentence(
    file=shared.SEED001,
    section="Q7 Kaiming初始化",
    line=83,
    quote="Kaiming初始化是由何恺明等人在2015年提出的,专门针对ReLU激活函数设计。",
)
S001_L87 = Sentence(
    file=shared.SEED001,
    section="Q7 对比",
    line=87,
    quote="适用激活函数:Xavier初始化适用于Sigmoid、Tanh等对称激活函数;Kaiming初始化适用于ReLU及其变体等非对称激活函数。",
)


KAIMING = Claim(
    uses=("init.forward-variance", "init.relu-second-moment"),
    id="init.kaiming",
    title="Kaiming: Var(W) = 2/n_in (std √(2/n_in)) carries E[y²] unchanged through ReLU layers",
    verdict=Verdict.PROVED,
    summary=(
        "With symmetric zero-mean weights of variance 2/n_in, one ReLU layer maps E[y_{l−1}²] to "
        "n_in·(2/n_in)·E[y_{l−1}²]/2 = E[y_{l−1}²] (init.forward-variance and init.relu-second-moment). torch's "
        "kaiming_normal_/kaiming_uniform_ with nonlinearity='relu' (gain √2, mode fan_in) draw exactly Var = 2/n_in. "
        "The seed's N(0, √(2/n_in)) names the std, as for Xavier."
    ),
    derivations=(KAIMING_STEP,),
    numeric=(KAIMING_MC, K_DRAW),
    sources=(
        Source(
            shared.SEED001,
            "Q7 Kaiming初始化",
            "假设某一层的输入维度为 n_in,该层的权重矩阵 W 的元素 w_ij 从正态分布 N(0, √(2/n_in)) 中随机采样得到。",
            "With input dimension n_in, the weights w_ij are drawn from the normal distribution N(0, √(2/n_in)).",
            line=84,
        ),
        Source(
            sentence=S001_L83,
            gloss="(Kaiming initialization is) designed specifically for ReLU: its factor 2 is exactly ReLU's halving of the second moment, so Var(W) = 2/n_in carries E[y²] unchanged through ReLU layers.",
            assertion="专门针对ReLU激活函数设计",
        ),
        Source(
            shared.SEED001,
            "Q7 Kaiming初始化",
            "Kaiming初始化通过将权重的方差乘以 2,来补偿ReLU函数带来的方差衰减,使得信号在网络中能够更好地传播,避免梯度消失问题。",
            "Kaiming initialization multiplies the weight variance by 2 to compensate the variance loss caused by "
            "ReLU, so the signal propagates better and gradients do not vanish (what ReLU halves is the second "
            "moment: init.relu-variance-halves).",
            line=85,
        ),
        Source(
            shared.SEED001,
            "Q7 对比",
            "方差计算:Xavier初始化考虑了输入和输出的维度,使用 n_in+n_out 来计算方差;Kaiming初始化只考虑输入维度 n_in,"
            "并针对ReLU的特性进行了调整。",
            "Variance: Xavier uses both dimensions (n_in + n_out); Kaiming only the input dimension n_in, adjusted "
            "for ReLU (torch's default mode='fan_in'; mode='fan_out' preserves the backward pass instead).",
            line=88,
        ),
        Source(
            sentence=S001_L87,
            gloss="Kaiming suits ReLU and its variants (asymmetric activations): its gain is ReLU's halving of the second moment.",
            assertion="Kaiming初始化适用于ReLU及其变体等非对称激活函数",
        ),
    ),
)

# ── init.deep-stack (conditional) ─────────────────────────────────────────────────────────────
v = Symbol("v", positive=True)  # Var(W) of every layer
ET = Symbol("E_T", positive=True)  # E[T], T = Σ_i z_i² 1{z_i > 0}, z ~ N(0, I_n)
RATIO = Derivation(
    "E[‖x_L‖²/‖x_0‖²] for L bias-free ReLU layers x_l = relu(W_l x_{l−1}), W_l ~ N(0, v), width n",
    (v * ET) ** L,
    (
        Step(
            (v * n / 2) ** L,
            "E[T] = n/2",
            "Given x_{l−1}, W_l x_{l−1} ~ N(0, v‖x_{l−1}‖² I), so ‖x_l‖² = v‖x_{l−1}‖² T_l with T_l independent of "
            "the past: the ratio is a product of L independent factors v T_l, each of mean v n/2.",
        ),
        Step(sp.S.One, "v = 2/n (Kaiming)", "(n·(2/n)/2)^L = 1 for every depth L and every width n."),
    ),
    where=((ET, n / 2), (v, 2 / n)),
)
GROWTH = Derivation(
    "the same for any v: the per-layer factor n v/2 is raised to the power L",
    (v * ET) ** L,
    (Step((n * v / 2) ** L, "E[T] = n/2", "Geometric in depth: explodes for v > 2/n, vanishes for v < 2/n."),),
    where=((ET, n / 2),),
)


def _ratio_pop(width: int, depth: int, init: str) -> Population:
    kappa = (1 + 5 / width) ** depth - 1  # E[(vT)²]/E[vT]² = 1 + 5/n per layer (E[U²] = 3/2, Var U = 5/4)
    return Population(
        f"‖x_L‖²/‖x_0‖², ReLU, {init}, n = {width}, L = {depth}",
        {"n": width, "L": depth},
        lambda count, gen: ini.relu_stack_ratios(count, width, depth, init, gen),
        kappa,
    )


def _ident(s, prm):
    return s


STACK_MC = MonteCarloCheck(
    name="Monte Carlo: through L ReLU layers with kaiming_normal_, E[‖x_L‖²/‖x_0‖²] = 1",
    claimed=Claimed(_ident, lambda prm: 1.0, "E[‖x_L‖²/‖x_0‖²] = 1"),
    populations=_with_thorough(_ratio_pop(32, 4, "kaiming_normal"), more=(_ratio_pop(64, 20, "kaiming_normal"),)),
    statistic_text="X = ‖x_L‖²/‖x_0‖² for a freshly initialised network (weights by nn.init.kaiming_normal_); "
    "κ = (1 + 5/n)^L − 1 exactly (product of independent factors)",
    rho=0.2,
    planted={
        "ReLU halves the signal at every layer even with Kaiming: 2^{−L}": Claimed(
            _ident, lambda prm: 2.0 ** -prm["L"], "E = 2^{−L}"
        ),
        "Kaiming doubles it: 2^L": Claimed(_ident, lambda prm: 2.0 ** prm["L"], "E = 2^L"),
    },
)


def _tanh_bound() -> float:
    """E[tanh²(Z)], Z ~ N(0, 1), by mpmath quadrature (error far below the Hoeffding margin ≈ 0.07)."""
    import mpmath

    return float(mpmath.quad(lambda s: mpmath.tanh(s) ** 2 * mpmath.npdf(s), [-mpmath.inf, 0, mpmath.inf]))


TANH_BOUND = _tanh_bound()


def _tanh_pop(depth: int, init: str) -> Population:
    return Population(
        f"(1/n)‖x_{depth}‖², tanh, {init}, n = 16",
        {"L": depth},
        lambda count, gen: ini.tanh_stack_mean_square(count, 16, depth, init, gen),
        1.0,
    )


TANH_X10 = _tanh_pop(10, "xavier")
TANH_G10 = _tanh_pop(10, "xavier_tanh_gain")
TANH_CHECK = BoundedMeanCheck(
    name="tanh stacks: Xavier (gain 1) cannot keep the mean square (Hoeffding)",
    claims={
        "default": (Inequality(TANH_X10, "<=", TANH_BOUND),),
        "thorough": (Inequality(TANH_X10, "<=", TANH_BOUND), Inequality(_tanh_pop(30, "xavier"), "<=", TANH_BOUND)),
    },
    samples=1500,
    statistic_text="X = (1/n)‖x_L‖² ∈ [0, 1] for x_l = tanh(W_l x_{l−1}), x_0 = 1, n = 16, W by N(0, 1/n) (Xavier, "
    f"square); proved bound E[X_L] ≤ E[tanh²(Z)] = {TANH_BOUND:.6f} for L ≥ 1 (tanh² ≤ u², n·Var(W) = 1)",
    planted={
        "Xavier preserves the mean square through tanh: E[X_10] ≥ 0.9": (Inequality(TANH_X10, ">=", 0.9),),
        "with the tanh gain 5/3 it collapses too: E[X_10] ≤ 0.2": (Inequality(TANH_G10, "<=", 0.2),),
    },
)

INIT_KINDS = ("kaiming_normal", "xavier", "xavier_tanh_gain")


@st.composite
def stack_cases(draw: st.DrawFn) -> Case:
    """count = 1..3 networks of width n = 1..6 and depth L = 1..4, init ∈ {kaiming_normal, xavier,
    xavier_tanh_gain}, activation ReLU or tanh, a seed for the weights' generator: every pairing of init and
    activation impl.init accepts, at widths from 1 (scalar networks) up."""
    return {
        "count": draw(st.integers(1, 3)),
        "width": draw(st.integers(1, 6)),
        "depth": draw(st.integers(1, 4)),
        "init": draw(st.sampled_from(INIT_KINDS)),
        "act": draw(st.sampled_from(("relu", "tanh"))),
        "seed": draw(st.integers(0, 2**31 - 1)),
    }


def _nn_init_stack(c: Case, xavier_var=lambda n_: 2.0 / (n_ + n_), act=None) -> torch.Tensor:
    """The same networks built here from nn.init (one [count·n, n] draw per layer from the case's generator, the
    draws impl.init documents) and run one network at a time: ReLU ratio ‖x_L‖²/‖x_0‖², or tanh (1/n)‖x_L‖²,
    x_0 = 1.  # [count]"""
    gen = torch.Generator().manual_seed(c["seed"])
    count, n_, kind = c["count"], c["width"], c["init"]
    layers = []
    for _ in range(c["depth"]):
        w = torch.empty(count * n_, n_, dtype=torch.float64)
        if kind == "kaiming_normal":
            torch.nn.init.kaiming_normal_(w, nonlinearity="relu", generator=gen)
        else:  # Xavier-normal of a square [n, n] layer: std = gain·√(2/(fan_in + fan_out))
            gain = torch.nn.init.calculate_gain("tanh" if kind == "xavier_tanh_gain" else "linear")
            torch.nn.init.normal_(w, 0.0, gain * math.sqrt(xavier_var(n_)), generator=gen)
        layers.append(w)
    phi = {"relu": torch.relu, "tanh": torch.tanh, "identity": lambda u: u}[act or c["act"]]
    out = []
    for r in range(count):
        x_t = torch.ones(n_, dtype=torch.float64)
        for w in layers:
            x_t = phi(w[r * n_ : (r + 1) * n_] @ x_t)  # network r's [n, n] block
        out.append(x_t.square().sum() / n_)  # ReLU: ‖x_L‖²/‖x_0‖² (‖x_0‖² = n); tanh: (1/n)‖x_L‖², the same
    return torch.stack(out)


def _impl_stack(c: Case) -> torch.Tensor:
    fn = ini.relu_stack_ratios if c["act"] == "relu" else ini.tanh_stack_mean_square
    return fn(c["count"], c["width"], c["depth"], c["init"], torch.Generator().manual_seed(c["seed"]))


STACK_VALUES = CrossCheck(
    name="the stacks' values: impl.init.relu_stack_ratios / tanh_stack_mean_square against nn.init-built networks",
    cases=stack_cases,
    expected=_nn_init_stack,
    references={"impl.init (relu_stack_ratios, tanh_stack_mean_square)": _impl_stack},
    tolerance=Tolerance(
        16,
        "L matrix-vector products of n terms, batched in impl and one network at a time here (another summation "
        "order): relative, scale = (L + 1)·(n + 1)·max|value|",
        lambda c: (c["depth"] + 1) * (c["width"] + 1) * float(_nn_init_stack(c).abs().max()) + 1e-300,
    ),
    planted={
        "Xavier's variance 1/(n_in + n_out) (the 2 dropped)": lambda c: _nn_init_stack(c, lambda n_: 1.0 / (2 * n_)),
        "no activation (a linear stack)": lambda c: _nn_init_stack(c, act="identity"),
    },
    # run before the drawn cases: the two pairings the claim's hypothesis matches (Kaiming with ReLU, the tanh gain
    # with tanh) at a generic width and depth; the drawn cases cover the mismatched ones
    examples=tuple(
        {"count": 2, "width": 4, "depth": 3, "init": k, "act": a, "seed": 9}
        for k, a in (("kaiming_normal", "relu"), ("xavier_tanh_gain", "tanh"))
    ),
)

# what the counterexamples refute: the statement without the hypothesis
INIT_DEEP_STACK_UNCONDITIONAL = Eq((n * v / 2) ** L, 1)
DEEP_STACK = Claim(
    id="init.deep-stack",
    title="Through depth the signal scale is kept only with the gain that matches the activation",
    verdict=Verdict.CONDITIONAL,
    refutes=(INIT_DEEP_STACK_UNCONDITIONAL,),  # without the hypothesis
    summary=(
        "Bias-free ReLU stacks with Gaussian weights of variance v: E[‖x_L‖²/‖x_0‖²] = (n v/2)^L exactly, at every "
        "finite width n. Kaiming (v = 2/n) gives 1 for every L; the Xavier variance of a square layer (v = 1/n) "
        "gives 2^{−L} (vanishing), v = 4/n gives 2^L (exploding). For tanh with Xavier (gain 1) the mean square after "
        "L ≥ 1 layers is at most E[tanh²(Z)] ≈ 0.394 of the input's (proved bound, Hoeffding check); measured at "
        "L = 10 it is ≈ 0.045, while the tanh gain 5/3 stays ≈ 0.42 (measured, not proved). So 'initialization keeps "
        "each layer's signal scale' holds under the matching gain and fails otherwise. The per-network ratio "
        "fluctuates: its relative variance (1 + 5/n)^L − 1 grows with depth/width."
    ),
    derivations=(RATIO, GROWTH),
    numeric=(STACK_MC, TANH_CHECK, STACK_VALUES),
    counterexamples=(
        Counterexample(
            "ReLU with the Xavier variance of a square layer (v = 1/n), L = 10: E[ratio] = 2^{−10}",
            relation=INIT_DEEP_STACK_UNCONDITIONAL,
            point={n: sp.Integer(64), v: Rational(1, 64), L: sp.Integer(10)},
        ),
    ),
    premise=Premise(relation=Eq(n * v, 2)),  # ReLU: Var(W) = 2/n_in
    hypothesis="the weight variance matches the activation: v = 2/n_in for ReLU (Kaiming); exact for bias-free "
    "layers with Gaussian weights",
    sources=(
        Source(
            shared.SEED000,
            "§2.4",
            "例如,使用Xavier初始化或He初始化方法可以确保每一层的输入信号的标准差大致保持不变,从而防止梯度因初始值过小而消失或者过大而爆炸。",
            "E.g. Xavier or He initialization ensures that the standard deviation of each layer's input signal stays roughly constant, preventing gradients from vanishing or exploding. Read as a guarantee: '可以确保' credits each named method with ensuring it (确保 = ensure), not with a possibility. Conditional: He keeps the scale with ReLU (v = 2/n_in), Xavier keeps it only in tanh's linear regime with n_in = n_out — with gain 1 through tanh the mean square provably drops below 0.394 of the input's (init.deep-stack's check); the sentence states neither.",
            line=15,
        ),
    ),
)

EMPIRICAL = shared.not_formalizable(
    "init.kaiming-vs-xavier-accuracy",
    "Kaiming trains ReLU networks faster and more accurately than Xavier",
    "The seed's comparison of training outcomes.",
    "empirical: convergence speed and accuracy are measured on tasks; what is provable is init.deep-stack "
    "(Xavier's variance shrinks a ReLU signal by 2 per square layer)",
    Source(
        shared.SEED001,
        "Q7 对比",
        "效果:在使用ReLU激活函数的网络中,Kaiming初始化通常比Xavier初始化效果更好,能够更快地收敛和取得更高的准确率;"
        "而在使用Sigmoid或Tanh激活函数的网络中,Xavier初始化",
        "Effect: with ReLU, Kaiming usually works better than Xavier (faster convergence, higher accuracy); with "
        "sigmoid or tanh, Xavier (the sentence is cut off in the seed).",
        line=89,
    ),
)

S001_L77 = Sentence(
    file=shared.SEED001,
    section="Q7 原理",
    line=77,
    quote="如果权重初始化值过大,在正向传播过程中,信号会不断放大,导致梯度爆炸;如果权重初始化值过小,信号会不断衰减,导致梯度消失。因此,合理的权重初始化可以使信号在网络中保持合适的强度,避免梯度消失和梯度爆炸问题。",
)


# ── issue 11: 001 Q7 states the matched gain itself; the sigmoid half of "Xavier suits sigmoid or tanh" ─────
DEEP_STACK_STATED = Claim(
    id="init.deep-stack-stated",
    title=(
        "Bias-free ReLU stacks of constant width n, Gaussian weights of variance v: E[‖x_L‖²/‖x_0‖²] = (n v/2)^L, "
        "so the matched v = 2/n keeps the signal's scale at every depth (backward: the same factor with n_out)"
    ),
    verdict=Verdict.PROVED,
    summary=(
        "The statement of init.deep-stack with its hypothesis stated, as seed 001 Q7 states it ('合理的权重初始化', a "
        "proper initialization): for bias-free ReLU stacks with Gaussian weights of variance v, E[‖x_L‖²/‖x_0‖²] = "
        "(n v/2)^L exactly — geometric growth for v > 2/n, geometric decay for v < 2/n, and 1 at every depth for the "
        "matched v = 2/n (Kaiming). The backward pass has the same per-layer factor with n_out "
        "(init.backward-variance), which is how the signal's scale becomes the gradient's."
    ),
    derivations=(RATIO, GROWTH),
    numeric=(STACK_MC, TANH_CHECK),
    sources=(
        Source(
            sentence=S001_L77,
            gloss="So a proper initialization can keep the signal at a suitable strength, avoiding vanishing and exploding gradients. Hedged ('可以', rule 4): one witness proves it — bias-free ReLU layers of constant width n with v = 2/n keep the scale exactly ((n v/2)^L = 1; backward the same factor with n_out = n_in). The seed states the hypothesis (rule 3): 'proper' is the gain matched to the activation.",
            assertion="因此,合理的权重初始化可以使信号在网络中保持合适的强度,避免梯度消失和梯度爆炸问题",
            kind="hedged",
        ),
    ),
)
S001_L79 = Sentence(
    file=shared.SEED001,
    section="Q7 Xavier初始化",
    line=79,
    quote="Xavier初始化是由Xavier Glorot和Yoshua Bengio在2010年提出的,适用于使用Sigmoid或Tanh等对称激活函数的网络。",
)


XAVIER_SIGMOID = Claim(
    id="init.xavier-sigmoid",
    title="'Xavier suits symmetric activations such as sigmoid': false for sigmoid (σ(0) = 1/2, σ'(0) = 1/4)",
    verdict=Verdict.REFUTED,
    # the relations its (shared) counterexamples show false, read off them: written once
    refutes=tuple(dict.fromkeys(cx.relation for cx in XAVIER_ACTIVATION.counterexamples if cx.relation is not None)),
    summary=(
        "Glorot & Bengio's variance argument linearises the activation at 0 and needs f(0) = 0 and f'(0) = 1 "
        "(init.xavier-activation: true for tanh). The seed lists sigmoid among the activations Xavier suits, "
        "grouped as 'symmetric'. Sigmoid breaks both conditions: σ(0) = 1/2 (outputs not centred) and σ'(0) = 1/4 "
        "(each layer shrinks the backward signal), so Xavier does not keep the variance of a sigmoid network; "
        "'symmetric' is not the criterion (sigmoid is point-symmetric about (0, 1/2))."
    ),
    counterexamples=XAVIER_ACTIVATION.counterexamples,
    sources=(
        Source(
            sentence=S001_L79,
            gloss=(
                "(Xavier initialization) suits networks with symmetric activations such as sigmoid or tanh. Refuted for "
                "the sigmoid the sentence names (tanh is right: init.xavier-activation)."
            ),
            assertion="适用于使用Sigmoid或Tanh等对称激活函数的网络",
        ),
        Source(
            sentence=S001_L87,
            gloss="Xavier suits symmetric activations such as sigmoid and tanh. Refuted for sigmoid.",
            assertion="Xavier初始化适用于Sigmoid、Tanh等对称激活函数",
        ),
    ),
)

# the id prefixes this topic owns (the registry refuses a claim of another prefix here, and a
# prefix two topics declare)
PREFIXES = ("init",)

CLAIMS = [
    DEEP_STACK_STATED,
    XAVIER_SIGMOID,
    DEEP_STACK,
    XAVIER_ACTIVATION,
    XAVIER_UNIFORM,
    XAVIER_NORMAL,
    XAVIER_BOTH,
    FORWARD_VARIANCE,
    BACKWARD_VARIANCE,
    RELU_VARIANCE,
    RELU_SECOND_MOMENT,
    KAIMING,
    EMPIRICAL,
]


def _tanh_large_weights() -> Witness:
    """x_l = tanh(W_l x_{l−1}), W ~ N(0, v) with n·v = 16 (8× the ReLU-matched variance), n = 16, L = 20."""
    gen = torch.Generator().manual_seed(0)
    n_, depth = 16, 20
    x = torch.ones(n_, dtype=torch.float64)
    for _ in range(depth):
        w = torch.randn(n_, n_, generator=gen, dtype=torch.float64) * (16.0 / n_) ** 0.5
        x = torch.tanh(w @ x)
    ms = float((x * x).mean())
    return Witness(
        holds=ms > 8.0**depth / 2,
        lhs=f"(1/n)‖x_20‖² = {ms!r} (tanh, n·v = 16)",
        rhs="amplified layer after layer: (n v/2)^20 = 8^20 for ReLU",
        detail="torch, one network; |tanh| ≤ 1 caps the mean square at 1 whatever the weights (they saturate instead)",
        facts={"activation": "tanh"},
    )


SCALE_EXTREMES = Claim(
    id="init.scale-extremes",
    title="Too large initial weights explode the signal, too small vanish it — for ReLU; a saturating tanh caps it",
    verdict=Verdict.CONDITIONAL,
    summary=(
        "Seed 001 Q7: too large initial weights amplify the signal layer after layer (explosion), too small ones "
        "shrink it (vanishing). For ReLU stacks (positively homogeneous) E[‖x_L‖²/‖x_0‖²] = (n v/2)^L: geometric growth "
        "for v > 2/n, decay for v < 2/n (derived, Monte Carlo checked). For a saturating activation the 'too large' half "
        "fails: tanh keeps every unit in [−1, 1], so with 8× the ReLU-matched variance the mean square after 20 layers "
        "is still ≤ 1 (the units saturate and the gradients vanish instead)."
    ),
    derivations=(RATIO, GROWTH),
    numeric=(STACK_MC, TANH_CHECK),
    counterexamples=(Counterexample("a tanh stack with n·v = 16 through 20 layers", run=_tanh_large_weights),),
    hypothesis="a positively homogeneous activation (ReLU, linear): φ(cz) = cφ(z) for c > 0",
    premise=Premise(holds=lambda w: w.facts["activation"] in ("relu", "linear")),
    sources=(
        Source(
            sentence=S001_L77,
            gloss="Too large initial weights amplify the signal layer after layer (explosion), too small ones shrink it (vanishing). Conditional on the activation: true for ReLU (positively homogeneous), where the signal scales by (n v/2)^L; a saturating tanh keeps its signal within [−1, 1] whatever the weights.",
            assertion="如果权重初始化值过大,在正向传播过程中,信号会不断放大,导致梯度爆炸;如果权重初始化值过小,信号会不断衰减,导致梯度消失",
        ),
    ),
)
CLAIMS += [SCALE_EXTREMES]


# ── moved here from seedchecks.py / seedclaims.py (issue 10: a topic owns its id prefixes) ───────
# (their old links keep working: see derivations/_moved.py)


INIT_HISTORY = shared.not_formalizable(
    "init.history",
    "Xavier initialization: Glorot & Bengio, 2010; Kaiming initialization: He et al., 2015",
    "Who proposed which scheme and when. What each scheme's variance does is proved in the init records "
    "(`init.xavier-uniform`, `init.xavier-both-directions`, `init.kaiming`, `init.relu-second-moment`).",
    "Historical: an attribution and a date.",
    Source(
        sentence=S001_L79,
        gloss="Xavier initialization was proposed by Xavier Glorot and Yoshua Bengio in 2010.",
        assertion="Xavier初始化是由Xavier Glorot和Yoshua Bengio在2010年提出的",
    ),
    Source(
        sentence=S001_L83,
        gloss="Kaiming initialization was proposed by He Kaiming et al. in 2015.",
        assertion="Kaiming初始化是由何恺明等人在2015年提出的",
    ),
)


CLAIMS += [INIT_HISTORY]
