"""RMSNorm: y = γ·x/√(mean(x²) + ε) over the last axis, and its scale invariance.

RMSNorm (Zhang & Sennrich 2019; LLaMA, T5) is LayerNorm without the centring and without β. What
torch computes (``F.rms_norm``, ``nn.RMSNorm``) is checked against the closed form and impl/; what
makes it a normalization is proved for a symbolic number of features D: scaling a sample by a > 0
leaves its output unchanged when ε = 0, and with ε > 0 it is RMSNorm with ε/a².
"""

from __future__ import annotations

import functools

import dlproofs.impl.batchnorm as rn
import torch
import torch.nn.functional as F
from hypothesis import strategies as st
from sympy import IndexedBase, Sum, Symbol, sqrt, symbols

from dlproofs.claim import Claim, Derivation, Step, Verdict
from dlproofs.contract import Contract, Locator, Variant
from dlproofs.numeric import Case, ClosedForm, CrossCheck, Outcome, PropertyCheck, Tolerance
from dlproofs.strategies import dense_tensors, eps_values, large_offsets, scales
from dlproofs.sums import Index

# ── symbols: one sample's D features x[1..D] ──────────────────────────────────────────────
x = IndexedBase("x", real=True)
w = IndexedBase("gamma", real=True)  # per-feature scale γ_k
j = symbols("j", integer=True, positive=True)
D = Symbol("D", integer=True, positive=True)
k = Index("k", 1, D)  # the feature looked at (a premise the proof lists)
eps = Symbol("epsilon", positive=True)
a = Symbol("a", positive=True)

LATEX = {eps: r"\varepsilon", w: r"\gamma"}
MEAN_SQUARE = Sum(x[j] ** 2, (j, 1, D)) / D
RMS_K = w[k] * x[k] / sqrt(MEAN_SQUARE + eps)
SIZES = {D: range(1, 7)}
PINS = {k: 1}


def _scaled_sum():
    return Sum((a * x[j]) ** 2, (j, 1, D)) / D


SCALE_FREE = Derivation(
    "ε = 0: RMSNorm(a·x)_k = RMSNorm(x)_k for a > 0",
    w[k] * a * x[k] / sqrt(_scaled_sum()),
    (
        Step(
            w[k] * a * x[k] / sqrt(a**2 * Sum(x[j] ** 2, (j, 1, D)) / D),
            "linearity of Σ",
            "(a x_j)² = a² x_j² and a does not depend on j.",
        ),
        Step(
            w[k] * a * x[k] / (a * sqrt(Sum(x[j] ** 2, (j, 1, D)) / D)),
            "√(a²·s) = a·√s for a > 0",
            "The root of the mean square scales with a.",
        ),
        Step(w[k] * x[k] / sqrt(MEAN_SQUARE), "cancel a", "a > 0 cancels: the output does not see the sample's scale."),
    ),
    sizes=SIZES,
    pins=PINS,
)
WITH_EPS = Derivation(
    "ε > 0: RMSNorm_ε(a·x)_k = RMSNorm_{ε/a²}(x)_k",
    w[k] * a * x[k] / sqrt(_scaled_sum() + eps),
    (
        Step(
            w[k] * a * x[k] / sqrt(a**2 * (Sum(x[j] ** 2, (j, 1, D)) / D + eps / a**2)),
            "factor a² out of the root's argument",
            "a²·mean(x²) + ε = a²(mean(x²) + ε/a²).",
        ),
        Step(
            w[k] * x[k] / sqrt(MEAN_SQUARE + eps / a**2),
            "√(a²·s) = a·√s, cancel a",
            "So ε is not scale-free: scaling x by a acts like ε/a² (a small input, a ≪ 1, is pushed towards 0 "
            "when a²·mean(x²) is comparable to ε).",
        ),
    ),
    sizes=SIZES,
    pins=PINS,
)


# ── numeric inputs: the contract's convention fn(x[N, D], gamma[D], eps) ───────────────────
@st.composite
def rms_inputs(draw: st.DrawFn) -> Case:
    """x [N, D], N from 1 and often 1, D = 2 often; entries offset + scale·u over UNIT_DOMAIN, each drawn on
    its own, scale 1e-3..1e3, offset none, ±1e3 or ±10³..10⁶ times the scale (a large common offset: where
    RMSNorm and LayerNorm differ most), one all-zero row a quarter of the time (mean(x²) = 0: only ε keeps
    the division finite); gamma [D] with its own scale; eps 1e-12..1e-1."""
    n_ = draw(st.one_of(st.just(1), st.integers(1, 5)))
    d = draw(st.one_of(st.just(2), st.integers(1, 8)))
    scale = draw(scales())
    x_t = draw(dense_tensors((n_, d), scale=scale, offset=draw(large_offsets(scale))))
    if draw(st.integers(0, 3)) == 0:
        x_t[draw(st.integers(0, n_ - 1))] = 0.0
    return {"x": x_t, "gamma": draw(dense_tensors((d,), scale=draw(scales()))), "eps": draw(eps_values())}


def rms_symbols(inp: Case) -> Case:
    """The closed form's view of rms_inputs: eps as ε (``epsilon``), D features, sums over the last axis."""
    return {**inp, "epsilon": inp["eps"], "D": inp["x"].shape[-1], "_dims": {"j": -1}}


def _rms_scale(inp: Case) -> float:
    """D·(max|x|/√(mean(x²) + ε) + 1)·(|γ| + 1): the mean of squares rounds by D·u relative (recursive
    summation, no cancellation: every term is ≥ 0), the root halves it, the division and γ add one rounding
    each; |x_k|/rms ≤ √D bounds the output's size per unit γ."""
    x_t = inp["x"]
    rms = torch.sqrt((x_t * x_t).mean(-1, keepdim=True) + inp["eps"])
    ratio = float((x_t.abs() / rms).max()) if x_t.numel() else 0.0
    return x_t.shape[-1] * (ratio + 1) * (float(inp["gamma"].abs().max()) + 1)


def _f_rms_norm(x_t: torch.Tensor, gamma_t: torch.Tensor, eps_: float) -> torch.Tensor:
    return F.rms_norm(x_t, (x_t.shape[-1],), gamma_t, eps_)


def _rms_module(x_t: torch.Tensor, gamma_t: torch.Tensor, eps_: float) -> torch.Tensor:
    mod = torch.nn.RMSNorm(x_t.shape[-1], eps=eps_, dtype=x_t.dtype)
    with torch.no_grad():
        mod.weight.copy_(gamma_t)
    return mod(x_t).detach()


def _variant(x_t, gamma_t, eps_, *, centred=False, eps_outside=False, dim=-1, ddof=0):
    """RMSNorm with one planted change: mean-centring (LayerNorm without β), ε added to the RMS instead of the
    mean square, the mean square over the batch (axis 0), or divided by D − 1."""
    u = x_t - x_t.mean(dim, keepdim=True) if centred else x_t
    ms = (u * u).sum(dim, keepdim=True) / (x_t.shape[dim] - ddof)
    denom = ms.sqrt() + eps_ if eps_outside else torch.sqrt(ms + eps_)
    return gamma_t * u / denom


VARIANTS = (
    Variant(
        label="mean-centred (that is LayerNorm without β)",
        formula=functools.partial(_variant, centred=True),
        why="x − μ before the root: LayerNorm's statistics; equal only on zero-mean rows",
    ),
    Variant(
        label="ε outside the root (rms + ε)",
        formula=functools.partial(_variant, eps_outside=True),
        why="x/(√mean(x²) + ε): differs where mean(x²) is comparable to ε",
    ),
    Variant(
        label="RMS over the batch (axis 0)",
        formula=functools.partial(_variant, dim=0),
        why="BatchNorm's axis: each feature normalized over the samples",
    ),
    Variant(
        label="divided by D − 1",
        formula=functools.partial(_variant, ddof=1),
        why="an 'unbiased' mean square, NaN or inf for D = 1",
    ),
)

FORWARD_CHECK = CrossCheck(
    name="y against F.rms_norm, nn.RMSNorm and impl",
    cases=rms_inputs,
    expected=ClosedForm(RMS_K, (x, w, eps, D), rms_symbols),
    references={
        "impl.batchnorm.rms_norm": rn.rms_norm,
        "F.rms_norm": _f_rms_norm,
        "nn.RMSNorm": _rms_module,
    },
    positional=True,
    tolerance=Tolerance(
        16,
        "the mean of squares has no cancellation (D·u relative), the root halves it, division and γ one rounding "
        "each: scale = D·(max|x|/√(mean(x²)+ε) + 1)·(|γ| + 1)",
        _rms_scale,
    ),
    planted={v.label: (lambda c, f=v.formula: f(*c.values())) for v in VARIANTS},
)

RMS_FORWARD = Claim(
    id="rmsnorm.forward",
    title="RMSNorm: y = γ·x/√(mean(x²) + ε) over the last axis, as F.rms_norm and nn.RMSNorm compute it",
    verdict=Verdict.TESTED,
    summary=(
        "For each sample, over its D features: rms = √((1/D)Σx_j² + ε) (ε inside the root, no mean subtracted, "
        "no β), y_k = γ_k x_k / rms. F.rms_norm(x, (D,), γ, ε) and nn.RMSNorm(D, eps=ε) compute exactly this "
        "(tested on Hypothesis inputs with large common offsets, where RMSNorm and LayerNorm differ most, and "
        "all-zero rows, where only ε keeps the division finite)."
    ),
    numeric=(FORWARD_CHECK,),
    assumptions=("x real; statistics over the last axis only",),
    tested_reason=(
        "the formula is RMSNorm's definition; that torch's F.rms_norm and nn.RMSNorm compute it is a fact about "
        "their code, checked numerically only (rmsnorm.scale-invariance is the proved property)"
    ),
    contract=Contract.of(
        FORWARD_CHECK,
        signature="fn(x[N, D], gamma[D], eps) -> y[N, D]  # over the last axis, no centring, ε inside the root",
        reference="impl.batchnorm.rms_norm",
        locators=(
            Locator(
                "only in all-zero rows (mean(x²) = 0, where only ε keeps the division finite)",
                lambda inp: (inp["x"] == 0).all(1)[:, None].expand_as(inp["x"]),
            ),
            Locator(
                "only in rows with a large common offset (|μ| > 100·σ: where centring matters)",
                lambda inp: (inp["x"].mean(1).abs() > 100 * inp["x"].std(1, unbiased=False))[:, None].expand_as(
                    inp["x"]
                ),
            ),
            Locator("only when N > 1 (statistics mixed across samples?)", lambda inp: inp["x"].shape[0] > 1),
        ),
        variants=VARIANTS,
    ),
)


# ── rmsnorm.scale-invariance ──────────────────────────────────────────────────────────────
@st.composite
def scaled_rms_inputs(draw: st.DrawFn) -> Case:
    """rms_inputs with ε = 0, no all-zero row (0/0 otherwise), and a scale a in 1e-3..1e3."""
    case = draw(rms_inputs())
    x_t = case["x"]
    x_t[(x_t == 0).all(1)] = 1.0
    return {"x": x_t, "gamma": case["gamma"], "a": draw(scales())}


def _invariant(case: Case, norm=rn.rms_norm) -> Outcome:
    """|RMSNorm(a·x) − RMSNorm(x)| with ε = 0, held to 16·u·D·(√D + 1)·(|γ| + 1) (both sides round as in
    rmsnorm.forward; a·x adds one rounding per entry)."""
    x_t, g_t = case["x"], case["gamma"]
    err = float((norm(case["a"] * x_t, g_t, 0.0) - norm(x_t, g_t, 0.0)).abs().max())
    d = x_t.shape[-1]
    bound = 16 * torch.finfo(torch.float64).eps * d * (d**0.5 + 1) * (float(g_t.abs().max()) + 1)
    return Outcome(err <= bound, err, bound, f"moved by {err:.3g}")


RMS_SCALE = Claim(
    id="rmsnorm.scale-invariance",
    title="RMSNorm does not see a sample's scale: RMSNorm(a·x) = RMSNorm(x) for a > 0 when ε = 0",
    verdict=Verdict.PROVED,
    summary=(
        "For a > 0 and ε = 0, γ_k·a x_k/√(mean((a x)²)) = γ_k x_k/√(mean(x²)): the mean square scales by a², its "
        "root by a, and a cancels. With ε > 0 the scaled input is normalized as if with ε/a² (RMSNorm_ε(a·x) = "
        "RMSNorm_{ε/a²}(x)), so ε breaks the invariance for inputs whose mean square is comparable to ε. Proved "
        "for a symbolic number of features D; tested on F.rms_norm and impl with ε = 0."
    ),
    derivations=(SCALE_FREE, WITH_EPS),
    numeric=(
        PropertyCheck(
            name="RMSNorm(a·x) = RMSNorm(x) with ε = 0, on impl and F.rms_norm",
            cases=scaled_rms_inputs,
            holds=lambda c: min(_invariant(c), _invariant(c, norm=_f_rms_norm), key=lambda o: o.ok),
            reason="both sides are RMSNorm evaluations (rmsnorm.forward's error analysis, √D bounding |x|/rms) "
            "plus one rounding of a·x: 16·u·D·(√D + 1)·(|γ| + 1)",
            planted={
                "ε = 1e-3 instead of 0 (ε breaks the invariance: WITH_EPS)": lambda c: _invariant(
                    c, norm=lambda x_t, g_t, e: rn.rms_norm(x_t, g_t, 1e-3)
                ),
            },
        ),
    ),
    assumptions=("a > 0; ε = 0 for the invariance (the second derivation gives the ε > 0 form)",),
)

PREFIXES = ("rmsnorm",)

CLAIMS = [RMS_FORWARD, RMS_SCALE]
