"""Adam: bias correction, the first step, the (tight) bound on the step, Kingma & Ba's bound; warmup.

Seed 000 §2.6–2.7. Proved for symbolic t: E[m_t] = (1 − β₁^t)E[g] by induction on the recursion
m_t = β₁m_{t−1} + (1 − β₁)g_t (so m̂ = m/(1 − β₁^t) is unbiased for stationary g); Adam's first
step is −lr·g/(|g| + ε), lr per coordinate whatever the gradient's size; and, by Cauchy–Schwarz,
|m̂_t|/√v̂_t ≤ C_t = (1−β₁)/(1−β₁^t)·√((1−β₂^t)/(1−β₂)·Σ_{u<t} γ^u), γ = β₁²/β₂, attained by
g_s ∝ (β₁/β₂)^{t−s}. That tight bound refutes Kingma & Ba §2.1's |Δ| ≤ lr·max(1, (1−β₁)/√(1−β₂))
as an upper bound: with the defaults, t = 300, torch.optim.Adam steps 3.70·lr > 3.16·lr.
"""

from __future__ import annotations

import dataclasses
import math

import dlproofs.impl.adam as adm
import sympy as sp
import torch
from dlproofs.derivations import _shared as shared
from hypothesis import strategies as st
from sympy import Le, Rational, sqrt, symbols

from dlproofs import optim_targets as optim
from dlproofs.claim import Claim, Counterexample, Derivation, Sentence, Source, Step, Verdict, Witness
from dlproofs.contract import Contract, Locator, Variant
from dlproofs.lemmas import Certificate
from dlproofs.numeric import Case, CrossCheck, Outcome, PropertyCheck, Tolerance
from dlproofs.profiles import EVIDENCE_FLOOR
from dlproofs.strategies import scales, tensors

U = torch.finfo(torch.float64).eps

t = sp.Symbol("t", integer=True, positive=True)
b1, b2 = sp.Symbol("beta_1", positive=True), sp.Symbol("beta_2", positive=True)
mu, nu = sp.Symbol("mu", real=True), sp.Symbol("nu", positive=True)  # E[g], E[g²]
LATEX = {b1: r"\beta_1", b2: r"\beta_2", mu: r"\mathbb{E}[g]", nu: r"\mathbb{E}[g^2]"}

# ── bias correction, by induction on t ────────────────────────────────────────────────────────
M_STEP = Derivation(
    "E[m_t] = β₁E[m_{t−1}] + (1 − β₁)E[g], with E[m_{t−1}] = (1 − β₁^{t−1})E[g]",
    b1 * (1 - b1 ** (t - 1)) * mu + (1 - b1) * mu,
    (Step((1 - b1**t) * mu, "collect", "β₁ − β₁^t + 1 − β₁ = 1 − β₁^t: the induction step (m_0 = 0 is the base)."),),
)
M_HAT = Derivation(
    "E[m̂_t] = E[m_t]/(1 − β₁^t)",
    (1 - b1**t) * mu / (1 - b1**t),
    (Step(mu, "cancel", "m̂_t is unbiased for every t ≥ 1 when the gradients are stationary."),),
)
V_STEP = Derivation(
    "E[v_t] = β₂E[v_{t−1}] + (1 − β₂)E[g²], with E[v_{t−1}] = (1 − β₂^{t−1})E[g²]",
    b2 * (1 - b2 ** (t - 1)) * nu + (1 - b2) * nu,
    (Step((1 - b2**t) * nu, "collect", "The same induction: v̂_t = v_t/(1 − β₂^t) is unbiased for E[g²]."),),
)


@st.composite
def seq_cases(draw: st.DrawFn) -> Case:
    """A gradient sequence [T, P]: random, constant (stationary), or the extremal (β₁/β₂)^{T−s}."""
    T = draw(st.one_of(st.just(1), st.integers(1, 40)))
    P = draw(st.integers(1, 3))
    beta1 = draw(st.sampled_from([0.9, 0.0, 0.5, 0.99]))
    beta2 = draw(st.sampled_from([0.999, 0.99, 0.6, 0.9]))
    mode = draw(st.sampled_from(["random", "constant", "extremal"]))
    scale = draw(st.floats(-3, 3).map(lambda e: 10.0**e))
    if mode == "random":
        g = draw(tensors((T, P), scale=scale))
    elif mode == "constant":
        g = draw(tensors((P,), scale=scale)).expand(T, P).clone()
    else:
        ratio = beta1 / beta2
        g = torch.tensor([ratio ** (T - s) for s in range(1, T + 1)], dtype=torch.float64)[:, None].expand(T, P).clone()
        g = g * scale
    return {"g": g, "beta1": beta1, "beta2": beta2, "lr": draw(st.sampled_from([1e-3, 1.0])), "eps": 1e-8, "mode": mode}


def _unrolled(c: Case, *, correct: bool = True, eps_inside: bool = False) -> torch.Tensor:
    """Δ_t from the unrolled sums m_t = (1−β₁)Σ β₁^{t−s} g_s, v_t = (1−β₂)Σ β₂^{t−s} g_s² -> [T, P]."""
    g, b1_, b2_ = c["g"], c["beta1"], c["beta2"]
    T = g.shape[0]
    tt = torch.arange(1, T + 1, dtype=torch.float64)
    lag = (tt[:, None] - tt[None, :]).clamp(min=0)  # [T, T]: t − s
    causal = torch.ones(T, T, dtype=torch.bool).tril()
    w1 = torch.where(causal, (1 - b1_) * b1_**lag, 0.0)  # [T, T]
    w2 = torch.where(causal, (1 - b2_) * b2_**lag, 0.0)
    m, v = w1 @ g, w2 @ (g * g)  # [T, P]
    if correct:
        m, v = m / (1 - b1_**tt)[:, None], v / (1 - b2_**tt)[:, None]
    den = (v + c["eps"]).sqrt() if eps_inside else v.sqrt() + c["eps"]
    return -c["lr"] * m / den


def _torch_adam(c: Case, *, state: bool = False) -> torch.Tensor:
    p = torch.nn.Parameter(torch.zeros(c["g"].shape[1], dtype=torch.float64))
    opt = torch.optim.Adam([p], lr=c["lr"], betas=(c["beta1"], c["beta2"]), eps=c["eps"])
    steps, states = [], []
    for g in c["g"]:
        before = p.detach().clone()
        p.grad = g.clone()
        opt.step()
        steps.append(p.detach() - before)
        st_ = opt.state[p]
        states.append(torch.cat([st_["exp_avg"].clone(), st_["exp_avg_sq"].clone()]))
    return torch.stack(states if state else steps)


def _moments(c: Case, *, no_one_minus: bool = False, last_only: bool = False) -> torch.Tensor:
    g, b1_, b2_ = c["g"], c["beta1"], c["beta2"]
    T = g.shape[0]
    tt = torch.arange(1, T + 1, dtype=torch.float64)
    lag = (tt[:, None] - tt[None, :]).clamp(min=0)
    causal = torch.ones(T, T, dtype=torch.bool).tril()
    k1, k2 = (1.0, 1.0) if no_one_minus else (1 - b1_, 1 - b2_)
    if last_only:  # planted: (1 − β^t)·g_t, right only for constant sequences
        return torch.cat([(1 - b1_**tt)[:, None] * g, (1 - b2_**tt)[:, None] * g * g], dim=1)
    m = torch.where(causal, k1 * b1_**lag, 0.0) @ g
    v = torch.where(causal, k2 * b2_**lag, 0.0) @ (g * g)
    return torch.cat([m, v], dim=1)


def _impl_moments(c: Case) -> torch.Tensor:
    m = torch.zeros(c["g"].shape[1], dtype=torch.float64)
    v = torch.zeros_like(m)
    out = []
    for g in c["g"]:
        m = c["beta1"] * m + (1 - c["beta1"]) * g
        v = c["beta2"] * v + (1 - c["beta2"]) * g * g
        out.append(torch.cat([m, v]))
    return torch.stack(out)


def _gmax(c: Case) -> float:
    return float(c["g"].abs().max()) + 1e-300


MOMENT_CHECK = CrossCheck(
    name="m_t, v_t: unrolled sums against torch.optim.Adam's exp_avg, exp_avg_sq and impl",
    cases=seq_cases,
    expected=_moments,
    references={"torch.optim.Adam state": lambda c: _torch_adam(c, state=True), "impl recursion": _impl_moments},
    tolerance=Tolerance(
        16,
        "a weighted sum of ≤ T terms with weights summing to < 1: T ulps of max(|g|, g²)",
        lambda c: c["g"].shape[0] * max(_gmax(c), _gmax(c) ** 2),
    ),
    planted={
        "m_t = (1 − β^t)·g_t (true only for constant g)": lambda c: _moments(c, last_only=True),
        "without the factor (1 − β)": lambda c: _moments(c, no_one_minus=True),
    },
    cap=EVIDENCE_FLOOR["ci"],
)
STEP_CHECK = CrossCheck(
    name="Δ_t = −lr·m̂_t/(√v̂_t + ε) against torch.optim.Adam and impl",
    cases=seq_cases,
    expected=_unrolled,
    references={
        "torch.optim.Adam": _torch_adam,
        "impl.adam.adam_updates": lambda c: adm.adam_updates(c["g"], c["lr"], c["beta1"], c["beta2"], c["eps"]),
    },
    tolerance=Tolerance(
        64,
        "m̂/√v̂ is bounded by C_t ≤ 8 here; each of m, v carries T ulps and the division doubles it: 64 ulps of "
        "lr·(1 + T)·8",
        lambda c: c["lr"] * (1 + c["g"].shape[0]) * 8,
    ),
    planted={
        "no bias correction": lambda c: _unrolled(c, correct=False),
        "ε inside the square root": lambda c: _unrolled({**c, "eps": 1e-2}, eps_inside=True),
    },
    cap=EVIDENCE_FLOOR["ci"],
)

BIAS = Claim(
    id="adam.bias-correction",
    title="E[m_t] = (1 − β₁^t)E[g] for stationary gradients, so m̂_t = m_t/(1 − β₁^t) is unbiased (same for v)",
    verdict=Verdict.PROVED,
    summary=(
        "From m_0 = 0 and m_t = β₁m_{t−1} + (1 − β₁)g_t, induction on t (symbolic) gives E[m_t] = (1 − β₁^t)E[g] "
        "when every g_t has mean E[g]: the zero start biases the average towards 0 by the factor 1 − β₁^t (0.1 at "
        "t = 1 with β₁ = 0.9), which m̂_t removes; likewise v̂_t for E[g²]. Checked: the unrolled sums "
        "(1 − β)Σβ^{t−s}g_s against torch.optim.Adam's state, and the corrected step against its updates. This "
        "is what 'adjusting the learning rate from the history of gradients' means precisely."
    ),
    derivations=(M_STEP, M_HAT, V_STEP),
    numeric=(MOMENT_CHECK, STEP_CHECK),
    sources=(),
)

# ── the first step ───────────────────────────────────────────────────────────────────────────
g1, lr, eps = sp.Symbol("g", real=True), sp.Symbol("eta", positive=True), sp.Symbol("epsilon", positive=True)
FIRST = Derivation(
    "Δ_1 = −η·m̂_1/(√v̂_1 + ε): Adam's update rule at t = 1, m̂_t = m_t/(1 − β₁^t), v̂_t = v_t/(1 − β₂^t), with "
    "m_1 = (1 − β₁)g_1 and v_1 = (1 − β₂)g_1² from m_0 = v_0 = 0",
    # Adam's recursions from m_0 = v_0 = 0 give m_1 = β₁·0 + (1 − β₁)g_1 and v_1 = β₂·0 + (1 − β₂)g_1²
    -lr * ((1 - b1) * g1 / (1 - b1**1)) / (sqrt((1 - b2) * g1**2 / (1 - b2**1)) + eps),
    (
        Step(-lr * g1 / (sqrt(g1**2) + eps), "bias correction at t = 1", "m̂_1 = g_1 and v̂_1 = g_1² exactly."),
        Step(
            -lr * g1 / (sp.Abs(g1) + eps),
            "√(g²) = |g|",
            "So |Δ_1| = η|g|/(|g| + ε) ≈ η per coordinate, whatever |g| is.",
        ),
    ),
)

# ── the tight bound ──────────────────────────────────────────────────────────────────────────
a1, a2, c1, c2 = symbols("a_1 a_2 c_1 c_2", positive=True)  # 1−β₁, 1−β₂, 1−β₁^t, 1−β₂^t
Mv, Vv, Gam, r, lam = symbols("M V Gamma r lambda", positive=True)
LATEX.update({a1: r"(1-\beta_1)", a2: r"(1-\beta_2)", c1: r"(1-\beta_1^t)", c2: r"(1-\beta_2^t)", Gam: r"\Gamma_t"})
RATIO = a1 / c1 * Mv / sqrt(a2 * Vv / c2)  # |m̂_t|/√v̂_t with M = |Σβ₁^{t−s}g_s|, V = Σβ₂^{t−s}g_s²
C_T = a1 / c1 * sqrt(c2 * Gam / a2)
TIGHT = Derivation(
    "C_t − |m̂_t|/√v̂_t, C_t = (1−β₁)/(1−β₁^t)·√((1−β₂^t)Γ_t/(1−β₂)), Γ_t = Σ_{u<t}(β₁²/β₂)^u",
    C_T - RATIO,
    (
        Step(
            C_T - a1 / c1 * sqrt(Gam * Vv) / sqrt(a2 * Vv / c2),
            "lemma",
            "Cauchy–Schwarz with weights: |Σ a_s g_s| ≤ √(Σ a_s²/b_s)·√(Σ b_s g_s²), a_s = β₁^{t−s}, b_s = β₂^{t−s}; "
            "written M = √(ΓV)/(1 + r) with r ≥ 0, the gap is (1−β₁)/(1−β₁^t)·√(ΓV)/√((1−β₂)V/(1−β₂^t))·r/(1 + r).",
            ">=",
            Certificate(a1 / c1 * sqrt(Gam * Vv) / sqrt(a2 * Vv / c2) * r / (1 + r)),
        ),
        Step(sp.S.Zero, "cancel", "√(ΓV)/√((1−β₂)V/(1−β₂^t)) = √((1−β₂^t)Γ/(1−β₂)): V cancels; so |Δ_t| ≤ lr·C_t."),
    ),
    where=((Mv, sqrt(Gam * Vv) / (1 + r)),),
)
ATTAINED = Derivation(
    "the ratio at g_s ∝ (β₁/β₂)^{t−s} (equality in Cauchy–Schwarz)",
    RATIO,
    (Step(C_T, "M = √(ΓV)", "Then a_s g_s ∝ a_s²/b_s: M² = ΓV, the bound is attained."),),
    where=((Mv, sqrt(Gam * Vv)),),
)
SCALE = Derivation(
    "the ratio for gradients λg (λ > 0)",
    a1 / c1 * (lam * Mv) / sqrt(a2 * lam**2 * Vv / c2),
    (Step(RATIO, "homogeneity", "M scales by λ, √V by λ: Adam's step (ε → 0) ignores the gradient's scale."),),
)
gam = sp.Symbol("gamma", positive=True)
GEOM = Derivation(
    "Γ_{t+1} = Γ_t + γ^t with Γ_t = (1 − γ^t)/(1 − γ)",
    (1 - gam**t) / (1 - gam) + gam**t,
    (Step((1 - gam ** (t + 1)) / (1 - gam), "common denominator", "The geometric sum, by induction (γ ≠ 1)."),),
)


def _extremal_case(T: int, beta1: float, beta2: float) -> Case:
    """g_s = (β₁/β₂)^{T−s}: equality in Cauchy–Schwarz at step T (C_30 = 1.245 for β = (0.9, 0.99))."""
    g = torch.tensor([(beta1 / beta2) ** (T - s) for s in range(1, T + 1)], dtype=torch.float64)[:, None]
    return {"g": g, "beta1": beta1, "beta2": beta2, "lr": 1.0, "eps": 1e-8, "mode": "extremal"}


def _bound_holds(c: Case, bound=None) -> Outcome:
    steps = _torch_adam({**c, "eps": 1e-300})  # [T, P], ε negligible
    T = steps.shape[0]
    worst, where = 0.0, ""
    for t_ in range(1, T + 1):
        b = c["lr"] * (adm.tight_ratio(t_, c["beta1"], c["beta2"]) if bound is None else bound(c, t_))
        got = float(steps[t_ - 1].abs().max())
        if got - b > worst:
            worst, where = got - b, f"t = {t_}: |Δ| = {got!r} > {b!r}"
    slack = 64 * U * c["lr"] * (1 + T) * 8
    return Outcome(worst <= slack, worst, slack, where or "within the bound")


@st.composite
def _tight_cases(draw: st.DrawFn) -> Case:
    """t = 1..60; β₁ ∈ {0, 0.5, 0.9} or [0.3, 0.99]; β₂ ∈ {0.99, 0.999, 0.5} or [0.1, 0.9999], or β₂ = β₁² (γ = 1,
    the other branch of Γ_t): γ = β₁²/β₂ falls below, at and above 1, and the attaining gradients (β₁/β₂)^{t−s} stay
    within 1e±60, so their squares neither underflow nor overflow (a tiny β₁ > 0 would underflow v and blow Adam's
    early steps up to 1e128, swamping the last one in the parameter's rounding)."""
    beta1 = draw(st.sampled_from([0.0, 0.5, 0.9]) | st.floats(0.3, 0.99))
    beta2 = draw(st.sampled_from([0.99, 0.999, 0.5, "square"]) | st.floats(0.1, 0.9999))
    if beta2 == "square" or beta1 * beta1 > beta2 > 0.99 * beta1 * beta1:  # γ = 1 (β₁ = 0 would give β₂ = 0)
        beta2 = beta1 * beta1 if beta1 >= 0.5 else 0.25
    return {"t": draw(st.integers(1, 60)), "beta1": beta1, "beta2": beta2}


def _c_t(case: Case, *, gamma_sum=None, correct_m: bool = True) -> torch.Tensor:
    """C_t = (1−β₁)/(1−β₁^t)·√((1−β₂^t)/(1−β₂)·Γ_t), Γ_t = Σ_{u<t} γ^u summed term by term (the definition)."""
    t_, b1_, b2_ = case["t"], case["beta1"], case["beta2"]
    gamma_ = b1_**2 / b2_
    big_gamma = math.fsum(gamma_**u for u in range(t_)) if gamma_sum is None else gamma_sum(gamma_, t_)
    m_corr = (1 - b1_**t_) if correct_m else 1.0
    return torch.tensor((1 - b1_) / m_corr * math.sqrt((1 - b2_**t_) / (1 - b2_) * big_gamma), dtype=torch.float64)


def _attained(case: Case) -> torch.Tensor:
    """|Δ_t|/lr of torch.optim.Adam (ε = 1e-300) on g_s = (β₁/β₂)^{t−s}: the sequence that attains C_t."""
    c_ = _extremal_case(case["t"], case["beta1"], case["beta2"])
    return _torch_adam({**c_, "eps": 1e-300})[-1, 0].abs()


TIGHT_VALUE = CrossCheck(
    name="C_t's value: impl.adam.tight_ratio against the sum Γ_t = Σγ^u and torch.optim.Adam on the attaining sequence",
    cases=_tight_cases,
    expected=_c_t,
    references={
        "impl.adam.tight_ratio": lambda c: torch.tensor(
            adm.tight_ratio(c["t"], c["beta1"], c["beta2"]), dtype=torch.float64
        ),
        "torch.optim.Adam, |Δ_t|/lr at g_s = (β₁/β₂)^{t−s}": _attained,
    },
    tolerance=Tolerance(
        64,
        "relative: Adam's t updates of m and v and the geometric sums each round once per step, and the closed "
        "form's powers and roots a few times: scale = (t + 1)·C_t",
        lambda c: (c["t"] + 1) * float(_c_t(c)),
    ),
    planted={
        "Γ_t = t for every γ (the γ = 1 branch everywhere)": lambda c: _c_t(c, gamma_sum=lambda g_, t_: t_),
        "m not bias-corrected": lambda c: _c_t(c, correct_m=False),
    },
    examples=({"t": 30, "beta1": 0.9, "beta2": 0.99}, {"t": 5, "beta1": 0.9, "beta2": 0.81}),
)


S000_L19 = Sentence(
    file=shared.SEED000,
    section="§2.6",
    line=19,
    quote="使用如Adam这样的自适应学习率优化算法,可以根据历史梯度动态调整学习率,有助于更好地控制参数更新的尺度,减少梯度爆炸的风险。",
)


BOUND = Claim(
    id="adam.step-bound",
    title="Adam's step is bounded independently of the gradient: |Δ_t| ≤ lr·C_t (tight; scale-invariant)",
    verdict=Verdict.PROVED,
    summary=(
        "Per coordinate, |m̂_t|/√v̂_t ≤ C_t = (1−β₁)/(1−β₁^t)·√((1−β₂^t)/(1−β₂)·Γ_t), Γ_t = Σ_{u<t}γ^u, "
        "γ = β₁²/β₂ (weighted Cauchy–Schwarz; attained by g_s ∝ (β₁/β₂)^{t−s}), and the ratio is unchanged when "
        "every gradient is multiplied by λ > 0. So the step does not grow with the gradient: C_1 = 1, and for "
        "γ < 1, C_t → (1−β₁)/√((1−β₂)(1−γ)) (≈ 7.27 with β₁ = 0.9, β₂ = 0.999); for γ ≥ 1 it is unbounded in t. "
        "Checked through torch.optim.Adam on random, constant and extremal sequences. This is the precise "
        "content of 'helps control the scale of parameter updates'."
    ),
    derivations=(TIGHT, ATTAINED, SCALE, GEOM),
    numeric=(
        TIGHT_VALUE,
        PropertyCheck(
            name="torch.optim.Adam: |Δ_t| ≤ lr·C_t at every step",
            cases=seq_cases,
            holds=_bound_holds,
            reason="exact inequality (ε = 1e-300); slack 64 u·lr·(1 + T)·8 for the rounding of m, v and the division",
            planted={
                "Kingma & Ba: lr·max(1, (1−β₁)/√(1−β₂))": lambda c: _bound_holds(
                    c, lambda c_, t_: adm.kingma_bound(1.0, c_["beta1"], c_["beta2"])
                ),
                "|Δ_t| ≤ lr": lambda c: _bound_holds(c, lambda c_, t_: 1.0),
            },
            cap=30,
            examples=(_extremal_case(30, 0.9, 0.99),),
        ),
    ),
    assumptions=("ε → 0 (with ε > 0 the step only gets smaller)", "β₁ ∈ [0, 1), β₂ ∈ (0, 1)"),
    sources=(
        Source(
            sentence=S000_L19,
            gloss="It helps (hedged: 有助于) control the scale of parameter updates: Adam's step is bounded by lr·C_t whatever the gradient's size.",
            assertion="有助于更好地控制参数更新的尺度",
            kind="hedged",
        ),
    ),
)

# ── Kingma & Ba §2.1 refuted ─────────────────────────────────────────────────────────────────
B1, B2, TT = sp.Symbol("B_1", positive=True), sp.Symbol("B_2", positive=True), sp.Symbol("T", positive=True)
GAMMA_ = B1**2 / B2
# squared (both sides positive), so the exact evaluation stays rational: no √ of 3000-digit numbers
C_SQUARED = (1 - B1) ** 2 / (1 - B1**TT) ** 2 * (1 - B2**TT) / (1 - B2) * (1 - GAMMA_**TT) / (1 - GAMMA_)


def _kingma_witness() -> Witness:
    T, beta1, beta2 = 300, 0.9, 0.999
    g = torch.tensor([(beta1 / beta2) ** (T - s) for s in range(1, T + 1)], dtype=torch.float64)[:, None]
    steps = _torch_adam({"g": g, "beta1": beta1, "beta2": beta2, "lr": 1.0, "eps": 1e-300})
    got = float(steps[-1].abs().max())
    bound = adm.kingma_bound(1.0, beta1, beta2)
    return Witness(
        holds=got <= bound,
        lhs=f"|Δ_300| = {got!r}·lr",
        rhs=f"lr·(1−β₁)/√(1−β₂) = {bound!r}·lr",
        detail="torch.optim.Adam(betas=(0.9, 0.999), eps=1e-300), g_s = (β₁/β₂)^{300−s}",
    )


LR_ = sp.Symbol("lr", positive=True)


@st.composite
def _kingma_cases(draw: st.DrawFn) -> Case:
    """lr 1e-5..1; β₁, β₂ the defaults (0.9, 0.999), other common pairs, or any in [0, 0.9999]: both of the
    paper's branches ((1−β₁) > √(1−β₂) or not) are drawn, and the pair where they meet."""
    beta1 = draw(st.sampled_from([0.0, 0.5, 0.9, 0.99]) | st.floats(0.0, 0.9999))
    beta2 = draw(st.sampled_from([0.9, 0.99, 0.999, 0.9999, 0.75]) | st.floats(0.0, 0.9999))
    return {"lr": draw(st.floats(1e-5, 1.0)), "beta1": beta1, "beta2": beta2}


def _kingma_formula(case: Case, *, root=lambda b: 1 - b, branch: bool = True) -> torch.Tensor:
    """The paper's bound written from its text: lr·(1−β₁)/√(1−β₂) if (1−β₁) > √(1−β₂), else lr."""
    ratio = (1 - case["beta1"]) / math.sqrt(root(case["beta2"]))
    return torch.tensor(case["lr"] * ratio if (ratio > 1 or not branch) else case["lr"], dtype=torch.float64)


KINGMA_FORMULA = CrossCheck(
    name="the bound under test is the paper's: lr·max(1, (1−β₁)/√(1−β₂)) against impl.adam.kingma_bound",
    cases=_kingma_cases,
    expected=lambda c: torch.tensor(
        float(
            (LR_ * sp.Max(1, (1 - b1) / sqrt(1 - b2))).subs({LR_: c["lr"], b1: c["beta1"], b2: c["beta2"]}).evalf(30)
        ),
        dtype=torch.float64,
    ),
    references={
        "impl.adam.kingma_bound": lambda c: torch.tensor(
            adm.kingma_bound(c["lr"], c["beta1"], c["beta2"]), dtype=torch.float64
        ),
        "the paper's two cases, transcribed": _kingma_formula,
    },
    tolerance=Tolerance(
        8,
        "relative: at most five roundings in float64 (two subtractions, a square root, a division, a product) "
        "against the value SymPy evaluates to 30 digits from the same float inputs: scale = value",
        lambda c: max(c["lr"], c["lr"] * (1 - c["beta1"]) / math.sqrt(1 - c["beta2"])),
    ),
    planted={
        "1 + β₂ under the root": lambda c: _kingma_formula(c, root=lambda b: 1 + b),
        "the sparse-case ratio without the max": lambda c: _kingma_formula(c, branch=False),
    },
    examples=({"lr": 1.0, "beta1": 0.9, "beta2": 0.999}, {"lr": 0.5, "beta1": 0.9, "beta2": 0.9}),
)

KINGMA_REFUTES = Le(C_SQUARED, (1 - B1) ** 2 / (1 - B2), evaluate=False)  # the statement adam.kingma-bound refutes

KINGMA = Claim(
    uses=("adam.step-bound",),
    id="adam.kingma-bound",
    title="Kingma & Ba §2.1's |Δ| ≤ lr·max(1, (1−β₁)/√(1−β₂)) is not an upper bound on Adam's step",
    verdict=Verdict.REFUTED,
    refutes=(KINGMA_REFUTES,),
    summary=(
        "The paper gives |Δ_t| ≤ α(1−β₁)/√(1−β₂) when (1−β₁) > √(1−β₂), else ≤ α, reasoning from the sparse "
        "case (a single non-zero gradient). With the defaults the tight bound C_t (adam.step-bound) exceeds "
        "(1−β₁)/√(1−β₂) = 3.16 from t ≈ 210 on and tends to 7.27: at t = 300 a gradient sequence growing by "
        "β₂/β₁ per step makes torch.optim.Adam move 3.70·lr in one coordinate (exactly C_300; 5.78·lr at t = 1000). The bound is a "
        "rule of thumb ('≲'), true for the sparse case and at t = 1 (|Δ_1| = lr)."
    ),
    counterexamples=(
        Counterexample(
            "exact: C_300² at β₁ = 9/10, β₂ = 999/1000 against ((1−β₁)/√(1−β₂))² (both sides positive)",
            relation=KINGMA_REFUTES,
            point={B1: Rational(9, 10), B2: Rational(999, 1000), TT: 300},
        ),
        Counterexample("torch.optim.Adam on the extremal sequence, t = 300", run=_kingma_witness),
    ),
    numeric=(KINGMA_FORMULA,),
)

EXPLOSION = shared.not_formalizable(
    "adam.explosion-risk",
    "'Adam reduces the risk of gradient explosion'",
    "An optimizer does not change the gradients, only the update computed from them; what is precise is that "
    "Adam's step is bounded independently of the gradient's size (adam.step-bound) — the parameters cannot "
    "jump because one gradient is huge. Whether training then avoids explosion is an empirical question.",
    "'risk of explosion' is not a mathematical quantity; the precise statement about updates is adam.step-bound",
    Source(sentence=S000_L19, gloss="It reduces the risk of gradient explosion.", assertion="减少梯度爆炸的风险"),
)

# ── warmup ──────────────────────────────────────────────────────────────────────────────────
Tw, Gabs = sp.Symbol("T_w", positive=True), sp.Symbol("G", nonnegative=True)  # warmup steps, |g_1|
WARM_FIRST = Derivation(
    "η/T_w − |Δ_1| for Adam's first step under linear warmup (lr_1 = η/T_w)",
    lr / Tw - lr / Tw * Gabs / (Gabs + eps),
    (
        Step(
            lr * eps / (Tw * (Gabs + eps)),
            "common denominator",
            "η/T_w·(1 − |g|/(|g| + ε)) > 0: the first update is below η/T_w per coordinate, whatever g is.",
        ),
    ),
)


def _sched(c: Case, kind: str) -> torch.Tensor:
    p = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    opt = torch.optim.SGD([p], lr=c["lr"])
    T = c["warmup"]
    if kind == "linear":
        sch = torch.optim.lr_scheduler.LinearLR(opt, start_factor=1 / T, end_factor=1.0, total_iters=T - 1)
    else:
        sch = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: adm.linear_warmup(s, T))
    out = []
    for _ in range(c["steps"]):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        sch.step()
    return torch.tensor(out, dtype=torch.float64)


def _warm_closed(c: Case, f=lambda s, T: min(1.0, (s + 1) / T)) -> torch.Tensor:
    return torch.tensor([c["lr"] * f(s, c["warmup"]) for s in range(c["steps"])], dtype=torch.float64)


def _warmup_cases() -> st.SearchStrategy[Case]:
    """T_w = 2..50 warmup steps, 1..80 steps run, η ∈ {1e-3, 0.1, 1}: runs both shorter and longer
    than T_w, so the ramp (s+1)/T_w, the step where it reaches 1 and the cap at 1 all occur."""
    return st.fixed_dictionaries(
        {
            "warmup": st.integers(2, 50),
            "steps": st.integers(1, 80),
            "lr": st.sampled_from([1e-3, 0.1, 1.0]),
        }
    )


WARMUP = Claim(
    uses=("adam.first-step",),
    id="warmup.linear",
    title="Linear warmup: lr_t = η·min(1, t/T_w) (t = 1, 2, ...); Adam's first step shrinks to ≤ η/T_w",
    verdict=Verdict.PROVED,
    summary=(
        "The schedule multiplies the base rate by (t)/T_w for the first T_w steps, then 1 — torch's LinearLR with "
        "start_factor = 1/T_w over T_w − 1 iterations, and LambdaLR with the same function. Why it matters for "
        "Adam: the first step is η per coordinate whatever the gradient (adam.first-step), because v̂_1 = g_1²; "
        "warmup makes it η/T_w while the moment estimates are still based on few samples."
    ),
    derivations=(WARM_FIRST,),
    numeric=(
        CrossCheck(
            name="η·min(1, (s+1)/T_w) against LinearLR and LambdaLR",
            cases=_warmup_cases,
            expected=_warm_closed,
            references={
                "lr_scheduler.LinearLR": lambda c: _sched(c, "linear"),
                "lr_scheduler.LambdaLR(impl.linear_warmup)": lambda c: _sched(c, "lambda"),
            },
            tolerance=Tolerance(
                64,
                "LinearLR updates the factor multiplicatively each step (recursive form): ≤ 1 ulp per step over ≤ 80 "
                "steps, relative to lr",
                lambda c: c["lr"],
            ),
            planted={
                "s/T_w (first lr 0)": lambda c: _warm_closed(c, lambda s, T: min(1.0, s / T)),
                "no cap at 1": lambda c: _warm_closed(c, lambda s, T: (s + 1) / T),
            },
        ),
    ),
    sources=(),
)


def _first_closed(c: Case, f=None) -> torch.Tensor:
    g = c["g"][0]
    return -c["lr"] * g / (g.abs() + c["eps"]) if f is None else f(c, g)


FIRST_STEP = Claim(
    id="adam.first-step",
    title="Adam's first step is −lr·g/(|g| + ε): size ≈ lr per coordinate, whatever the gradient's size",
    verdict=Verdict.PROVED,
    summary=(
        "At t = 1 the bias corrections are exact: m̂_1 = g_1, v̂_1 = g_1², so Δ_1 = −lr·g_1/(|g_1| + ε) — sign "
        "descent with step lr in every coordinate whose |g| ≫ ε. A gradient of 10⁶ and one of 10⁻³ move the "
        "parameter by the same lr: the motivation for warmup with Adam (warmup.linear)."
    ),
    derivations=(FIRST,),
    numeric=(
        CrossCheck(
            name="first update of torch.optim.Adam = −lr·g/(|g| + ε)",
            cases=seq_cases,
            expected=_first_closed,
            references={"torch.optim.Adam": lambda c: _torch_adam({**c, "g": c["g"][:1]})[0]},
            tolerance=Tolerance(4, "a few roundings of a quotient of size ≤ lr", lambda c: c["lr"]),
            planted={
                "SGD-like −lr·g": lambda c: _first_closed(c, lambda c_, g: -c_["lr"] * g),
                "uncorrected m: −lr(1−β₁)g/(|g|√(1−β₂) + ε)": lambda c: _first_closed(
                    c,
                    lambda c_, g: (
                        -c_["lr"] * (1 - c_["beta1"]) * g / (g.abs() * math.sqrt(1 - c_["beta2"]) + c_["eps"])
                    ),
                ),
            },
        ),
    ),
    sources=(),
)

WARMUP_EXPLOSION = shared.not_formalizable(
    "warmup.explosion",
    "'Warmup helps with gradient explosion caused by a too-high initial learning rate'",
    "The schedule scales updates, not gradients; that large early steps (adam.first-step) destabilise "
    "training and that smaller ones prevent it is an empirical observation about models and data.",
    "empirical: whether a learning rate causes explosion depends on the model and data, not on the schedule alone",
    Source(
        shared.SEED000,
        "§2.7",
        "可以帮助解决由于初始学习率过高而导致的梯度爆炸问题。",
        "It can help with the gradient explosion caused by an initial learning rate that is too high.",
        21,
    ),
)

# the id prefixes this topic owns (the registry refuses a claim of another prefix here, and a
# prefix two topics declare)
PREFIXES = ("adam", "warmup", "adamw")

CLAIMS = [BIAS, FIRST_STEP, BOUND, KINGMA, EXPLOSION, WARMUP, WARMUP_EXPLOSION]


# ── issue 11: what "adjusts the learning rate from the history of gradients" is ────────────────────
ga, gb, gc = sp.symbols("g_1 g_2 g_3", real=True)
V_UNROLL = Derivation(
    "v_3 from v_0 = 0 and v_t = β₂v_{t−1} + (1 − β₂)g_t²",
    b2 * (b2 * (1 - b2) * ga**2 + (1 - b2) * gb**2) + (1 - b2) * gc**2,
    (
        Step(
            (1 - b2) * (b2**2 * ga**2 + b2 * gb**2 + gc**2),
            "expand the recursion",
            "v_t = (1 − β₂)Σ_s β₂^{t−s} g_s²: every past squared gradient enters, the older ones discounted; the step "
            "−lr·m̂_t/(√v̂_t + ε) divides by its square root, coordinate by coordinate.",
        ),
    ),
)
EFFECTIVE_RATE = Claim(
    id="adam.effective-rate",
    title="Adam's per-coordinate rate lr/(√v̂_t + ε) is set by all past squared gradients: v_t = (1 − β₂)Σβ₂^{t−s}g_s²",
    verdict=Verdict.PROVED,
    summary=(
        "The precise content of 'Adam adjusts the learning rate dynamically from the history of gradients': its step "
        "is −lr·m̂_t/(√v̂_t + ε), i.e. each coordinate moves by the rate lr/(√v̂_t + ε) times the corrected average "
        "gradient, and v_t unrolls to an exponentially discounted sum of every past squared gradient (shown at t = 3; "
        "the general t is the same recursion, checked against torch.optim.Adam's state for up to 40 steps)."
    ),
    derivations=(V_UNROLL,),
    numeric=(MOMENT_CHECK, STEP_CHECK),
    sources=(
        Source(
            sentence=S000_L19,
            gloss=(
                "Adaptive-learning-rate optimizers such as Adam adjust the learning rate dynamically from the history of "
                "gradients."
            ),
            assertion="使用如Adam这样的自适应学习率优化算法,可以根据历史梯度动态调整学习率",
        ),
    ),
)
CLAIMS += [EFFECTIVE_RATE]


# ── issue 12: the Adam and AdamW trajectories as torch.optim computes them (the conform contracts) ────────
@st.composite
def trajectory_cases(draw: st.DrawFn) -> Case:
    """Ordered like the contracts' signature: theta0 [P], grads [T, P], lr, beta1, beta2, eps, weight_decay.

    T = 1..12 steps from zero state (t = 1, where bias correction is exact, and later steps, where it is not);
    P = 1..4; θ₀ and the gradients over UNIT_DOMAIN at scales 1e-3..1e3 (exact zeros likely, gradients below ε
    too); lr ∈ {1e-3, 1e-2, 0.1}; β₁ ∈ {0.9, 0, 0.5} or [0, 0.99]; β₂ ∈ {0.999, 0.99, 0.9} or [0.5, 0.9999]; ε ∈
    {1e-8, 1e-6, 1e-3}; λ ∈ {0, 1e-2, 0.1} or [0, 1]: lr·λ ≤ 0.1, so the decay factor 1 − lr·λ is in [0.9, 1]."""
    T, P = draw(st.integers(1, 12)), draw(st.integers(1, 4))
    return {
        "theta0": draw(tensors((P,), scale=draw(scales()))),
        "grads": draw(tensors((T, P), scale=draw(scales()))),
        "lr": draw(st.sampled_from([1e-3, 1e-2, 0.1])),
        "beta1": draw(st.sampled_from([0.9, 0.0, 0.5]) | st.floats(0.0, 0.99)),
        "beta2": draw(st.sampled_from([0.999, 0.99, 0.9]) | st.floats(0.5, 0.9999)),
        "eps": draw(st.sampled_from([1e-8, 1e-6, 1e-3])),
        "weight_decay": draw(st.sampled_from([0.0, 1e-2, 0.1]) | st.floats(0.0, 1.0)),
    }


def _step_ratio_bound(case: Case) -> float:
    """max_{t ≤ T} C_t (adam.step-bound): |m̂_t|/(√v̂_t + ε) ≤ C_t, and Σ_s w_s|g_s|/√v̂_t ≤ C_t by the same
    Cauchy–Schwarz (it bounds the sum of absolute values)."""
    T = case["grads"].shape[0]
    return max(adm.tight_ratio(t_, case["beta1"], case["beta2"]) for t_ in range(1, T + 1))


def _roundoff_per_step(case: Case) -> tuple[float, float]:
    """(A, B): step t's own rounding error is ≤ u·(A·t + B) in units of u = eps/2, where m_t and v_t carry ≤ t + 3
    roundings each, the ratio m̂/(√v̂ + ε) ≤ C a few more (so ≤ (2t + 8)·lr·C), and the update θ ← θ(1 − lr·λ) −
    lr·(…) two on |θ| + lr·C."""
    c_max, lr_ = _step_ratio_bound(case), case["lr"]
    theta_max = float(case["theta0"].abs().max()) + case["grads"].shape[0] * lr_ * c_max
    return 2 * lr_ * c_max, 8 * lr_ * c_max + 2 * (theta_max + lr_ * c_max)


def _adamw_scale(case: Case) -> float:
    """AdamW: θ never feeds back into the gradient and 1 − lr·λ ∈ [0.9, 1] does not amplify, so the rounding
    errors of the T steps add: Σ_t u(A·t + B) = u(A·T(T + 1)/2 + B·T) (the Tolerance counts in eps = 2u)."""
    A, B = _roundoff_per_step(case)
    T = case["grads"].shape[0]
    return (A * T * (T + 1) / 2 + B * T) / 2 + 1e-300


def _adam_l2_scale(case: Case) -> float:
    """Adam with L2: an error δ in θ enters the next gradient as λδ, and a perturbation η of the gradients moves
    m̂_t/(√v̂_t + ε) by ≤ η·(1 + C_t·G_t/√v̂_t)/(√v̂_t + ε) (first order; G_t = max_{s ≤ t}|g_s + λθ_s|). So
    E_t ≤ (1 + L_t)·E_{t−1} + u(A·t + B) with L_t = lr·λ·(1 + C_t·G_t/√v̂_t)/(√v̂_t + ε), L_t read from the
    reference's own trajectory (max over coordinates): the growth is the product Π(1 + L_t), ≈ 1 when the
    gradients are ≫ ε, large (an ill-conditioned case, stated as such) when they are ≲ ε and λ > 0."""
    A, B = _roundoff_per_step(case)
    lr_, lam_, b1_, b2_, eps_ = case["lr"], case["weight_decay"], case["beta1"], case["beta2"], case["eps"]
    theta = case["theta0"].clone()
    m, v = torch.zeros_like(theta), torch.zeros_like(theta)
    g_max = torch.zeros_like(theta)
    err = 0.0
    for t_, g in enumerate(case["grads"], start=1):
        g = g + lam_ * theta
        g_max = torch.maximum(g_max, g.abs())
        m = b1_ * m + (1 - b1_) * g
        v = b2_ * v + (1 - b2_) * g * g
        root = (v / (1 - b2_**t_)).sqrt()
        ratio = torch.where(root > 0, g_max / root, torch.zeros_like(root))
        c_t = adm.tight_ratio(t_, b1_, b2_)
        lip = float((lr_ * lam_ * (1 + c_t * ratio) / (root + eps_)).max())
        err = (1 + lip) * err + (A * t_ + B)
        theta = theta - lr_ * (m / (1 - b1_**t_)) / (root + eps_)
    return err / 2 + 1e-300


def _trajectory_torch(cls, *, foreach: bool):
    def run(theta0, grads, lr_, beta1, beta2, eps_, weight_decay) -> torch.Tensor:
        p = torch.nn.Parameter(theta0.clone())
        opt = cls([p], lr=lr_, betas=(beta1, beta2), eps=eps_, weight_decay=weight_decay, foreach=foreach)
        for g in grads:
            p.grad = g.clone()
            opt.step()
        return p.detach()

    return run


def _recursion(c: Case, *, decoupled: bool, **bug: bool) -> torch.Tensor:
    """The update rule written out on the case dict (the check's expected value; ``bug`` plants a variant)."""
    theta, lam_ = c["theta0"].clone(), c["weight_decay"]
    b1_, b2_ = (c["beta2"], c["beta1"]) if bug.get("swapped") else (c["beta1"], c["beta2"])
    m, v = torch.zeros_like(theta), torch.zeros_like(theta)
    for t_, g in enumerate(c["grads"], start=1):
        if decoupled and not bug.get("as_l2"):
            theta = theta - c["lr"] * lam_ * theta
        else:
            g = g + lam_ * theta
        m = b1_ * m + (1 - b1_) * g
        v = b2_ * v + (1 - b2_) * (g.abs() if bug.get("v_from_g") else g * g)
        k = t_ - 1 if bug.get("t_from_0") else t_
        m_hat, v_hat = (m, v) if bug.get("no_correction") else (m / (1 - b1_**k), v / (1 - b2_**k))
        den = (v_hat + c["eps"]).sqrt() if bug.get("eps_inside") else v_hat.sqrt() + c["eps"]
        new = theta - c["lr"] * m_hat / den
        if bug.get("decay_after"):  # AdamW's decay applied after the step, with the new θ
            new = new - c["lr"] * lam_ * new
            theta = new
        else:
            theta = new
    return theta


def _variant(decoupled: bool, **bug: bool):
    names = ("theta0", "grads", "lr", "beta1", "beta2", "eps", "weight_decay")
    return lambda *args: _recursion(dict(zip(names, args)), decoupled=decoupled, **bug)


def _adam_variants(decoupled: bool) -> tuple[Variant, ...]:
    common = (
        Variant(
            label="no bias correction (m, v used as m̂, v̂)",
            formula=_variant(decoupled, no_correction=True),
            why="the first steps are (1 − β₁)/√(1 − β₂) times too large or small; seen in hand-written Adam",
        ),
        Variant(
            label="bias correction with t counted from 0 (1 − β^0 = 0 at the first step)",
            formula=_variant(decoupled, t_from_0=True),
            why="an off-by-one in the step counter: division by 0 at the first step, wrong correction after",
        ),
        Variant(
            label="ε inside the square root: √(v̂ + ε)",
            formula=_variant(decoupled, eps_inside=True),
            why="RMSprop-style placement; differs from torch where v̂ is comparable to ε",
        ),
        Variant(
            label="v from g, not g² (v_t = β₂v + (1 − β₂)|g|)",
            formula=_variant(decoupled, v_from_g=True),
            why="the second moment must be of g²: with |g| the step is no longer scale-invariant",
        ),
        Variant(
            label="β₁ and β₂ swapped",
            formula=_variant(decoupled, swapped=True),
            why="betas=(beta2, beta1): the first moment averages over ~1000 steps, the second over ~10",
        ),
    )
    if decoupled:
        return common + (
            Variant(
                label="AdamW as L2: λθ added to the gradient (that is Adam(weight_decay=λ))",
                formula=_variant(True, as_l2=True),
                why="the decay then passes through m̂/√v̂ and weights with large gradients are barely decayed",
            ),
            Variant(
                label="decay applied after the step, with the new θ",
                formula=_variant(True, decay_after=True),
                why="(1 − lr·λ)(θ − lr·m̂/(√v̂ + ε)) instead of (1 − lr·λ)θ − lr·m̂/(√v̂ + ε): off by lr²·λ·step",
            ),
        )
    return common + (
        Variant(
            label="decoupled decay (AdamW) where the contract is Adam(weight_decay) = L2",
            formula=_variant(True),
            why="torch.optim.Adam's weight_decay is L2 in the gradient; AdamW's is decoupled (adamw.decoupled)",
        ),
    )


_TRAJ_NAMES = ("torch.optim.{0}(foreach=False)", "torch.optim.{0}(foreach=True)")

ADAM_TRAJECTORY_CHECK = CrossCheck(
    name="θ_T after T Adam steps (weight_decay = L2 in the gradient) against torch.optim.Adam (for-loop and "
    "foreach) and impl",
    cases=trajectory_cases,
    expected=lambda c: _recursion(c, decoupled=False),
    references={
        _TRAJ_NAMES[0].format("Adam"): _trajectory_torch(torch.optim.Adam, foreach=False),
        _TRAJ_NAMES[1].format("Adam"): _trajectory_torch(torch.optim.Adam, foreach=True),
        "impl.adam.adam_trajectory": adm.adam_trajectory,
    },
    positional=True,
    tolerance=Tolerance(
        1,
        "first-order forward error over T steps: step t rounds ≤ (2t + 8)·lr·C + 2(|θ| + lr·C) units (C = max_t C_t "
        "of adam.step-bound), and an earlier error δ re-enters the gradient as λδ, amplified by L_t = "
        "lr·λ·(1 + C_t·max|g|/√v̂_t)/(√v̂_t + ε) per step (read from the reference trajectory): E_T = Σ_t "
        "Π_{s>t}(1 + L_s)·u(A·t + B), growing like T² without decay and by Π(1 + L_t) with it",
        _adam_l2_scale,
    ),
    planted={
        "no bias correction": lambda c: _recursion(c, decoupled=False, no_correction=True),
        "ε inside the square root": lambda c: _recursion(c, decoupled=False, eps_inside=True),
        "AdamW's decoupled decay": lambda c: _recursion(c, decoupled=True),
    },
    cap=EVIDENCE_FLOOR["ci"],
)

ADAMW_TRAJECTORY_CHECK = CrossCheck(
    name="θ_T after T AdamW steps (decay θ ← θ(1 − lr·λ) outside the adaptive step) against torch.optim.AdamW "
    "(for-loop and foreach) and impl",
    cases=trajectory_cases,
    expected=lambda c: _recursion(c, decoupled=True),
    references={
        _TRAJ_NAMES[0].format("AdamW"): _trajectory_torch(torch.optim.AdamW, foreach=False),
        _TRAJ_NAMES[1].format("AdamW"): _trajectory_torch(torch.optim.AdamW, foreach=True),
        "impl.adam.adamw_trajectory": adm.adamw_trajectory,
    },
    positional=True,
    tolerance=Tolerance(
        1,
        "forward error over T steps: step t rounds ≤ (2t + 8)·lr·C + 2(|θ| + lr·C) units (C = max_t C_t of "
        "adam.step-bound, |θ| ≤ |θ₀| + T·lr·C); θ does not feed back into the step and 1 − lr·λ ∈ [0.9, 1] does "
        "not amplify, so the errors add: growth T² (T(T + 1)/2·2lr·C + T·B units)",
        _adamw_scale,
    ),
    planted={
        "AdamW as L2 (λθ in the gradient)": lambda c: _recursion(c, decoupled=True, as_l2=True),
        "decay after the step, with the new θ": lambda c: _recursion(c, decoupled=True, decay_after=True),
        "β₁ and β₂ swapped": lambda c: _recursion(c, decoupled=True, swapped=True),
    },
    cap=EVIDENCE_FLOOR["ci"],
)

_TRAJECTORY_SIGNATURE = "fn(theta0[P], grads[T, P], lr, beta1, beta2, eps, weight_decay) -> theta_T[P]"

ADAM_UPDATE_CONTRACT = dataclasses.replace(
    Contract.of(
        ADAM_TRAJECTORY_CHECK,
        signature=_TRAJECTORY_SIGNATURE + "  # T torch.optim.Adam steps from zero state; weight_decay = L2",
        reference="impl.adam.adam_trajectory",
        variants=_adam_variants(decoupled=False),
        locators=(
            Locator("only when weight_decay > 0", lambda c: c["weight_decay"] > 0),
            Locator("only when T > 1 (state carried between steps?)", lambda c: c["grads"].shape[0] > 1),
        ),
    ),
    optimizer=optim.ADAM,
)
ADAMW_CONTRACT = dataclasses.replace(
    Contract.of(
        ADAMW_TRAJECTORY_CHECK,
        signature=_TRAJECTORY_SIGNATURE + "  # T torch.optim.AdamW steps from zero state; decoupled decay",
        reference="impl.adam.adamw_trajectory",
        variants=_adam_variants(decoupled=True),
        locators=(
            Locator("only when weight_decay > 0", lambda c: c["weight_decay"] > 0),
            Locator("only when T > 1 (state carried between steps?)", lambda c: c["grads"].shape[0] > 1),
        ),
    ),
    optimizer=optim.ADAM,
)
ADAM_UPDATE = Claim(
    uses=("adam.bias-correction", "adam.first-step"),
    id="adam.update",
    title="torch.optim.Adam's update: g ← g + λθ, m, v from zero, θ ← θ − lr·m̂_t/(√v̂_t + ε) with m̂, v̂ bias-corrected",
    verdict=Verdict.TESTED,
    tested_reason=(
        "the update rule is a definition; that torch.optim.Adam (for-loop and foreach) and impl compute it over T "
        "steps is a cross-check on drawn trajectories, not a derivation"
    ),
    summary=(
        "Per step t = 1, 2, …: g ← g + λθ (Adam's weight_decay is L2: the decay enters the gradient and is "
        "normalised with it, reg.l2.weight-decay), m_t = β₁m_{t−1} + (1 − β₁)g, v_t = β₂v_{t−1} + (1 − β₂)g², "
        "m̂_t = m_t/(1 − β₁^t), v̂_t = v_t/(1 − β₂^t) (t from 1: adam.bias-correction), θ ← θ − lr·m̂_t/(√v̂_t + ε) "
        "(ε outside the root, after the correction). The contract runs a whole trajectory from zero state, so state "
        "handling and the correction at every step are what outside code is held to."
    ),
    numeric=(ADAM_TRAJECTORY_CHECK,),
    sources=(),
    contract=ADAM_UPDATE_CONTRACT,
)

# ── adamw.decoupled: one step from zero state, AdamW against Adam with L2 ─────────────────────────
th_, lam_s = sp.Symbol("theta", real=True), sp.Symbol("lambda", positive=True)
gpos, spos = sp.Symbol("g", positive=True), sp.Symbol("s", positive=True)  # s = g + λθ (same sign as g)


def _first_update(theta_, grad_):
    """θ − η·m̂_1/(√v̂_1 + ε) with m_1 = (1 − β₁)g, v_1 = (1 − β₂)g² from m_0 = v_0 = 0 (adam.first-step)."""
    return theta_ - lr * ((1 - b1) * grad_ / (1 - b1**1)) / (sqrt((1 - b2) * grad_**2 / (1 - b2**1)) + eps)


DECOUPLED_DIFF = Derivation(
    "AdamW's first step minus Adam-with-L2's first step, from zero state, g > 0 and g + λθ > 0 (the other sign "
    "is the mirror image): AdamW decays θ ← (1 − ηλ)θ then steps on g; Adam steps on g + λθ",
    _first_update((1 - lr * lam_s) * th_, gpos) - _first_update(th_, gpos + lam_s * th_),
    (
        Step(
            -lr * lam_s * th_ - lr * gpos / (gpos + eps) + lr * spos / (spos + eps),
            "bias correction at t = 1; √(g²) = g",
            "m̂_1 = g and v̂_1 = g² exactly for either gradient (adam.first-step); s = g + λθ > 0, so θ = (s − g)/λ.",
        ),
        Step(
            -lr * lam_s * th_ * (1 - eps / ((gpos + eps) * (spos + eps))),
            "common denominator; s − g = λθ",
            "s/(s + ε) − g/(g + ε) = ε(s − g)/((s + ε)(g + ε)) = ελθ/((s + ε)(g + ε)).",
        ),
    ),
    where=((th_, (spos - gpos) / lam_s),),  # θ written through s := g + λθ > 0, the premise
)

ADAMW_DECOUPLED = Claim(
    uses=("adam.first-step", "reg.l2.weight-decay"),
    id="adamw.decoupled",
    title="AdamW's decay θ ← θ − lr·λ·θ is outside the adaptive step: it is not Adam with λθ added to the gradient",
    verdict=Verdict.PROVED,
    summary=(
        "torch.optim.AdamW first multiplies θ by (1 − lr·λ), then takes Adam's step on the plain gradient. One step "
        "from zero state, for g > 0 and g + λθ > 0, AdamW − Adam(L2) = −lr·λθ·(1 − ε/((g + ε)(g + λθ + ε))) "
        "(proved): non-zero whenever λθ ≠ 0 and (g + ε)(g + λθ + ε) ≠ ε, in particular whenever |g| and "
        "|g + λθ| ≥ √ε. For gradients ≫ ε the L2 decay is almost entirely normalised away (the difference is ≈ the "
        "whole decay lr·λθ): Adam(weight_decay) barely decays weights with large gradients, AdamW decays all by "
        "the same factor. The T-step trajectory is cross-checked against torch.optim.AdamW (for-loop and foreach) "
        "and impl; that is the conform contract."
    ),
    derivations=(DECOUPLED_DIFF,),
    numeric=(ADAMW_TRAJECTORY_CHECK,),
    assumptions=("one step from zero state (m_0 = v_0 = 0)", "g > 0 and g + λθ > 0 (mirror image for both < 0)"),
    sources=(),
    contract=ADAMW_CONTRACT,
)


CLAIMS += [ADAM_UPDATE, ADAMW_DECOUPLED]
