"""Convolution vs self-attention (seed 001 Q9): receptive fields as Jacobian sparsity, weight sharing.

- receptive field: a k-wide convolution's output i depends only on inputs |j − i| ≤ k//2; L stacked
  layers see L(k − 1) + 1 inputs (induction, symbolic L, k), checked as the exact sparsity pattern of
  torch autograd Jacobians of stacked F.conv1d; attention's Jacobian is dense: ∂o_i/∂v_j = p_ij > 0
  for every pair (sum normalizer, symbolic n);
- weight sharing is translation equivariance: a circular convolution is a polynomial in the cyclic
  shift S, so it commutes with S (matrix tier, symbolic n); checked against F.conv1d with circular
  padding; with zero padding it holds only away from the borders.
"""

from __future__ import annotations

import dlproofs.impl.convattn as cv
import dlproofs.impl.positional as pos
import sympy as sp
import torch
import torch.nn.functional as F
from dlproofs.derivations import _shared as shared
from hypothesis import strategies as st
from sympy import Derivative, IndexedBase, MatrixSymbol, Sum, exp, symbols

from dlproofs.claim import Claim, Derivation, Sentence, Source, Step, Verdict
from dlproofs.numeric import Case, ClosedForm, CrossCheck, Outcome, PropertyCheck, Tolerance
from dlproofs.profiles import EVIDENCE_FLOOR
from dlproofs.strategies import scales, tensors
from dlproofs.sums import Index

# ── receptive field: r(L) = L(k − 1) + 1 ─────────────────────────────────────────────────────
L, k = symbols("L k", integer=True, positive=True)
RF_STEP = Derivation(
    "induction step: one more k-wide layer on a field of L(k − 1) + 1 inputs",
    (L * (k - 1) + 1) + (k - 1),
    (
        Step(
            (L + 1) * (k - 1) + 1,
            "collect",
            "A k-wide layer widens a contiguous field by k//2 on each side, i.e. by k − 1 (k odd).",
        ),
    ),
)
RF_BASE = Derivation(
    "base case L = 1",
    (L * (k - 1) + 1).subs(L, 1),
    (Step(k, "L = 1", "One layer: output i sees inputs i − k//2 .. i + k//2, k of them."),),
)


@st.composite
def conv_cases(draw: st.DrawFn) -> Case:
    """k ∈ {1, 3, 5, 7}, L = 1..3 layers, n = 1..14: a field L(k − 1) + 1 up to 19, so the band is clipped at the
    ends and sometimes covers all of x; x over UNIT_DOMAIN with a scale 1e-3..1e3 (the stack is linear, its
    Jacobian does not depend on x); weights N(0, 1) + 0.1 from a seed, non-zero with probability 1."""
    kk = 2 * draw(st.integers(0, 3)) + 1
    layers = draw(st.integers(1, 3))
    n_ = draw(st.integers(1, 14))
    gen = torch.Generator().manual_seed(draw(st.integers(0, 2**32 - 1)))
    return {
        "k": kk,
        "L": layers,
        "x": draw(tensors((n_,), scale=draw(scales()))),
        # randn weights are non-zero with probability 1 (no cancellation inside the band)
        "w": torch.randn(layers, kk, generator=gen, dtype=torch.float64) + 0.1,
    }


def _conv_stack(x: torch.Tensor, c: Case) -> torch.Tensor:
    out = x[None, None]  # [1, 1, n]
    for w in c["w"]:
        out = F.conv1d(out, w[None, None], padding=c["k"] // 2)  # [1, 1, n], zero padding
    return out[0, 0]


def _field(c: Case, width=None) -> Outcome:
    """Row i of the Jacobian is non-zero exactly on |j − i| ≤ L·(k//2) (clipped to the sequence)."""
    jac = torch.func.jacrev(lambda x: _conv_stack(x, c))(c["x"])  # [n, n]
    n_ = jac.shape[0]
    r = (cv.receptive_field(c["L"], c["k"]) - 1) // 2 if width is None else width(c)
    idx = torch.arange(n_)
    band = (idx[:, None] - idx[None, :]).abs() <= r
    ok = bool(((jac != 0) == band).all())
    return Outcome(ok, 0.0, 0.0, "" if ok else f"support {(jac != 0).int().tolist()} vs band of half-width {r}")


def _impl_stack(x: torch.Tensor, c: Case, layer=None) -> torch.Tensor:
    out = x
    for w in c["w"]:
        out = (layer or cv.conv1d_same)(out, w)  # [n], zero padding k//2
    return out


def _stack_scale(c: Case) -> float:
    """L·k products per output, each layer's terms bounded by ∏ (k·max|w_l|) · max|x|."""
    prod = float(c["x"].abs().max()) if c["x"].numel() else 0.0
    for w in c["w"]:
        prod *= c["k"] * float(w.abs().max())
    return c["L"] * c["k"] * prod + 1e-300


STACK_VALUES = CrossCheck(
    name="the stack's values: impl.conv1d_same layer by layer against stacked F.conv1d(padding=k//2)",
    cases=conv_cases,
    expected=lambda c: _conv_stack(c["x"], c),
    references={"impl.convattn.conv1d_same, L times": lambda c: _impl_stack(c["x"], c)},
    tolerance=Tolerance(8, "k products summed per output and layer, possibly in another order", _stack_scale),
    planted={
        "circular padding instead of zeros": lambda c: _impl_stack(c["x"], c, cv.circular_conv),
        "convolution (kernel flipped) instead of cross-correlation": lambda c: _impl_stack(
            c["x"], c, lambda x_, w_: cv.conv1d_same(x_, w_.flip(0))
        ),
    },
)


def _field_cases() -> st.SearchStrategy[Case]:
    """k ∈ {1, 3, 5, 7}, L = 1..3 and a weight seed, on a sequence long enough (n = 2·L·k + 1) that the middle
    output's field is never clipped by a border: the count is then the field itself."""
    return st.fixed_dictionaries(
        {"k": st.integers(0, 3).map(lambda i: 2 * i + 1), "L": st.integers(1, 3), "seed": st.integers(0, 2**31)}
    )


def _seen_inputs(c: Case) -> torch.Tensor:
    """How many inputs the middle output depends on: non-zero entries of its row of the autograd Jacobian."""
    n_ = 2 * c["L"] * c["k"] + 1
    gen = torch.Generator().manual_seed(c["seed"])
    case = {**c, "w": torch.randn(c["L"], c["k"], generator=gen, dtype=torch.float64) + 0.1}
    jac = torch.func.jacrev(lambda x: _conv_stack(x, case))(torch.zeros(n_, dtype=torch.float64))  # [n, n]
    return torch.tensor(float((jac[n_ // 2] != 0).sum()), dtype=torch.float64)


FIELD_SIZE = CrossCheck(
    name="the field's size L(k − 1) + 1: impl.receptive_field against the non-zeros of a Jacobian row of stacked F.conv1d",
    cases=_field_cases,
    expected=ClosedForm(L * (k - 1) + 1, (L, k)),
    references={
        "impl.convattn.receptive_field": lambda c: torch.tensor(float(cv.receptive_field(c["L"], c["k"]))),
        "autograd: non-zeros in the middle row": _seen_inputs,
    },
    tolerance=Tolerance.exact("integer counts far below 2^53 (a wrong count is off by ≥ 1)"),
    planted={
        "L·k": lambda c: torch.tensor(float(c["L"] * c["k"]), dtype=torch.float64),
        "L(k − 1) + 2": lambda c: torch.tensor(float(c["L"] * (c["k"] - 1) + 2), dtype=torch.float64),
    },
)


RECEPTIVE = Claim(
    id="conv.receptive-field",
    title="A k-wide convolution sees k inputs; L stacked layers see L(k − 1) + 1 (exact Jacobian sparsity)",
    verdict=Verdict.PROVED,
    summary=(
        "Output i of a k-wide convolution (odd k, 'same' zero padding) depends on inputs i − k//2 .. i + k//2 only: "
        "every other Jacobian entry is exactly 0. Each further layer widens the field by k − 1, so L layers see "
        "L(k − 1) + 1 inputs (induction, symbolic L, k). Checked as the exact non-zero pattern of the torch "
        "autograd Jacobian of stacked F.conv1d with random (almost surely non-cancelling) weights."
    ),
    derivations=(RF_STEP, RF_BASE),
    numeric=(
        PropertyCheck(
            name="support of ∂y_i/∂x_j = {|i − j| ≤ L·(k//2)}",
            cases=conv_cases,
            holds=_field,
            reason="exact zero pattern (== 0); randn weights + 0.1 are non-zero with probability 1",
            planted={
                "field L·k": lambda c: _field(c, width=lambda c_: (c_["L"] * c_["k"] - 1) // 2),
                "field k^L": lambda c: _field(c, width=lambda c_: (c_["k"] ** c_["L"] - 1) // 2),
            },
        ),
        STACK_VALUES,
        FIELD_SIZE,
    ),
    sources=(
        Source(
            shared.SEED001,
            "Q9",
            "卷积操作:卷积操作具有局部感受野,它通过一个固定大小的卷积核在输入数据上滑动,每次只处理局部区域的信息。例如,在图像卷积中,一个 3×3 的卷积核每次只关注输入图像中 3×3 大小的区域。",
            "Convolution has a local receptive field: a fixed-size kernel slides over the input and processes a "
            "local region at a time; a 3×3 kernel looks at a 3×3 region.",
            154,
        ),
    ),
)

# ── attention: dense Jacobian ─────────────────────────────────────────────────────────────────
n = symbols("n", integer=True, positive=True)
j, l_ = symbols("j l", integer=True, positive=True)
kk_ = Index("k", 1, n)  # any key of n: declared in 1..n (a premise the proof lists)
s, v = IndexedBase("s", real=True), IndexedBase("v", real=True)
O_I = Sum(exp(s[j]) * v[j], (j, 1, n)) / Sum(exp(s[l_]), (l_, 1, n))
DENSE = Derivation(
    "∂o_i/∂v_k for unmasked attention (any key k of n)",
    Derivative(O_I, v[kk_]),
    (
        Step(
            exp(s[kk_]) / Sum(exp(s[l_]), (l_, 1, n)),
            "softmax weight",
            "= p_ik > 0 for every k: each output depends on every token (through W_v ≠ 0), at path length 1.",
        ),
    ),
    sizes={n: (1, 2, 3)},
    pins={kk_: 1},
)


@st.composite
def dense_cases(draw: st.DrawFn) -> Case:
    """n = 1..6 tokens of d = 1..3 features, x without zeros, scale 0.1..10 (log-uniform), W_q, W_k, W_v ~ N(0, 1)
    from a seed: moderate logits, because at huge ones softmax weights underflow to exactly 0 in floating point."""
    n_, d_ = draw(st.integers(1, 6)), draw(st.integers(1, 3))
    gen = torch.Generator().manual_seed(draw(st.integers(0, 2**32 - 1)))
    w = [torch.randn(d_, d_, generator=gen, dtype=torch.float64) for _ in range(3)]
    return {"x": draw(tensors((n_, d_), scale=draw(st.floats(-1, 1).map(lambda e: 10.0**e)), zeros=False)), "w": w}


def _dense(c: Case, band: int | None = None) -> Outcome:
    jac = torch.func.jacrev(lambda x: pos.self_attention(x, *c["w"]))(c["x"])  # [n, d, n, d]
    blocks = jac.abs().sum(dim=(1, 3))  # [n, n]
    n_ = blocks.shape[0]
    idx = torch.arange(n_)
    want = torch.ones(n_, n_, dtype=torch.bool) if band is None else (idx[:, None] - idx[None, :]).abs() <= band
    ok = bool(((blocks > 0) == want).all())
    return Outcome(ok, 0.0, 0.0, "" if ok else f"non-zero blocks {(blocks > 0).int().tolist()}")


ATTN_DENSE = Claim(
    id="conv.attention-dense",
    title="Self-attention's Jacobian is dense: every output depends on every input in one layer",
    verdict=Verdict.PROVED,
    summary=(
        "∂o_i/∂v_k = p_ik = e^{s_ik}/Σ_l e^{s_il} > 0 for every i, k (symbolic n), so with W_v ≠ 0 every block "
        "∂o_i/∂x_k is non-zero: a global receptive field at path length 1, whatever the distance. Checked on "
        "torch autograd Jacobians with random weights and inputs of moderate scale (at huge logits the softmax "
        "saturates and weights underflow to exactly 0 in floating point — attention.softmax-saturation)."
    ),
    derivations=(DENSE,),
    numeric=(
        PropertyCheck(
            name="all n² Jacobian blocks non-zero",
            cases=dense_cases,
            holds=_dense,
            reason="exact (> 0); inputs of scale 0.1..10 so no weight underflows",
            cap=EVIDENCE_FLOOR["ci"],
            planted={"banded like a 3-wide convolution": lambda c: _dense(c, band=1)},
        ),
    ),
    assumptions=("W_v ≠ 0 and finite logits (no weight underflows to 0)",),
    sources=(
        Source(
            shared.SEED001,
            "Q9",
            "自注意力机制:自注意力机制具有全局感受野,它可以同时考虑输入序列中所有位置的信息。",
            "Self-attention has a global receptive field: it considers every position of the input at once.",
            155,
        ),
        Source(
            sentence=shared.S001_L243,
            gloss="Encoder self-attention: bidirectional, no mask (every output depends on every input).",
            assertion="双向(无掩码)",
        ),
    ),
)

# ── weight sharing = translation equivariance ───────────────────────────────────────────────
nn_ = symbols("n", integer=True, positive=True)
S = MatrixSymbol("S", nn_, nn_)  # the cyclic shift (any matrix: the algebra uses only S·S^t = S^t·S)
x = MatrixSymbol("x", nn_, 1)
w0, w1, w2 = symbols("w_0 w_1 w_2", real=True)
C = w0 * sp.Identity(nn_) + w1 * S + w2 * S * S  # a 3-tap circular convolution (up to a fixed shift)
EQUIV = Derivation(
    "conv(shift(x)) for the circular convolution C = w₀I + w₁S + w₂S²",
    C * (S * x),
    (
        Step(w0 * S * x + w1 * S * S * x + w2 * S * S * S * x, "expand", "Distribute; powers of S."),
        Step(S * (C * x), "factor S on the left", "Powers of one matrix commute: C S = S C, i.e. shift(conv(x))."),
    ),
    sizes={nn_: (1, 2, 3)},
)


@st.composite
def circ_cases(draw: st.DrawFn) -> Case:
    """k ∈ {1, 3, 5}, n from max(1, k//2) to 12 (circular padding wraps at most once), x and w over UNIT_DOMAIN
    with own scales 1e-3..1e3, shift −13..13: shifts beyond ±n wrap, so roll's modular index is exercised."""
    kk = 2 * draw(st.integers(0, 2)) + 1
    n_ = draw(st.integers(max(1, kk // 2), 12))  # circular padding wraps at most once
    return {
        "x": draw(tensors((n_,), scale=draw(scales()))),
        "w": draw(tensors((kk,), scale=draw(scales()))),
        "shift": draw(st.integers(-13, 13)),
    }


def _torch_circular(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    r = w.shape[0] // 2
    return F.conv1d(F.pad(x[None, None], (r, r), mode="circular"), w[None, None])[0, 0]


def _torch_zero_pad(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    return F.conv1d(x[None, None], w[None, None], padding=w.shape[0] // 2)[0, 0]


EQUIV_CHECK = CrossCheck(
    cap=25,
    name="conv(roll(x, s)) = roll(conv(x), s): F.conv1d circular padding and impl",
    cases=circ_cases,
    expected=lambda c: torch.roll(_torch_circular(c["x"], c["w"]), c["shift"]),
    references={
        "F.conv1d(pad circular) of the shifted input": lambda c: _torch_circular(
            torch.roll(c["x"], c["shift"]), c["w"]
        ),
        "impl.circular_conv of the shifted input": lambda c: cv.circular_conv(torch.roll(c["x"], c["shift"]), c["w"]),
    },
    tolerance=Tolerance(
        8,
        "the same k products summed, possibly in another order: k ulps of max|w|·max|x|·k",
        lambda c: (float(c["w"].abs().max()) * float(c["x"].abs().max()) + 1e-300) * c["w"].shape[0],
    ),
    planted={
        "zero padding (borders break it)": lambda c: torch.roll(_torch_zero_pad(c["x"], c["w"]), c["shift"]),
        "shift in the other direction": lambda c: torch.roll(_torch_circular(c["x"], c["w"]), -c["shift"]),
    },
)

EQUIVARIANCE = Claim(
    id="conv.translation-equivariance",
    title="Weight sharing is translation equivariance: conv(shift x) = shift conv(x) (circular padding)",
    verdict=Verdict.PROVED,
    summary=(
        "With circular padding a convolution is a polynomial Σ_t w_t S^t in the cyclic shift S, so it commutes with "
        "S (matrix tier, symbolic n): shifting the input shifts the output, the same kernel acting everywhere. "
        "Checked against F.conv1d with circular padding at every shift. With zero padding it holds only for "
        "outputs at least k//2 away from both borders (the planted zero-padding version fails at the edges)."
    ),
    derivations=(EQUIV,),
    numeric=(EQUIV_CHECK,),
    sources=(
        Source(
            shared.SEED001,
            "Q9",
            "卷积操作:卷积核的权重是固定的,在整个输入数据上共享。这意味着无论在输入的哪个位置,卷积核都以相同的方式进行特征提取。",
            "The kernel's weights are fixed and shared across the whole input: at any position the kernel "
            "extracts features in the same way.",
            157,
        ),
    ),
)


def _param_count(c: Case, formula=None) -> Outcome:
    conv = torch.nn.Conv1d(c["cin"], c["cout"], c["k"], padding=c["k"] // 2)
    got = sum(p.numel() for p in conv.parameters())
    want = c["k"] * c["cin"] * c["cout"] + c["cout"] if formula is None else formula(c)
    y = conv(torch.zeros(1, c["cin"], c["n"]))  # runs at any length n with the same parameters
    ok = got == want and y.shape[-1] == c["n"]
    return Outcome(ok, 0.0, 0.0, "" if ok else f"nn.Conv1d has {got} parameters, formula {want}")


def _conv_param_cases() -> st.SearchStrategy[Case]:
    """k ∈ {1, 3, 5, 7}, C_in, C_out = 1..4, length n = 1..64: n varies 64-fold while the exact integer count
    must not move (n is used only to run the layer)."""
    return st.fixed_dictionaries(
        {
            "k": st.integers(0, 3).map(lambda v: 2 * v + 1),
            "cin": st.integers(1, 4),
            "cout": st.integers(1, 4),
            "n": st.integers(1, 64),
        }
    )


PARAMS = Claim(
    id="conv.weight-sharing-params",
    title="A convolution has k·C_in·C_out + C_out parameters at every sequence length n",
    verdict=Verdict.TESTED,
    tested_reason="no symbolic derivation: the parameter count k·C_in·C_out + C_out at every n is counted with .parameters() on drawn layers, not derived.",
    summary=(
        "Sharing one kernel across positions makes the parameter count independent of n; a position-specific "
        "(locally connected) layer with the same window would need n·k·C_in·C_out. Counted on nn.Conv1d run at "
        "drawn lengths. The seed's 'limits adaptivity to features at different positions' is an opinion."
    ),
    numeric=(
        PropertyCheck(
            cap=EVIDENCE_FLOOR["ci"],
            name="sum of nn.Conv1d parameter sizes = k·C_in·C_out + C_out, for any n",
            cases=_conv_param_cases,
            holds=_param_count,
            reason="exact integer count",
            planted={
                "grows with n (locally connected)": lambda c: _param_count(
                    c, lambda c_: c_["n"] * c_["k"] * c_["cin"] * c_["cout"] + c_["cout"]
                )
            },
        ),
    ),
    sources=(),
)

# the id prefixes this topic owns (the registry refuses a claim of another prefix here, and a
# prefix two topics declare)
PREFIXES = ("conv", "convattn")

CLAIMS = [RECEPTIVE, ATTN_DENSE, EQUIVARIANCE, PARAMS]

# ── issue 11 (third reading): 001 line 157 compares, so the claim needs the unshared baseline ──────────
k_, cin_, cout_, n_out = symbols("k C_in C_out n_out", integer=True, positive=True)
FEWER = Derivation(
    "parameters of a locally connected layer (one kernel per output position) minus a convolution's",
    n_out * (k_ * cin_ * cout_ + cout_) - (k_ * cin_ * cout_ + cout_),
    (
        Step(
            (n_out - 1) * (k_ * cin_ * cout_ + cout_),
            "factor",
            "Sharing saves (n_out − 1)(k·C_in·C_out + C_out) parameters: none at n_out = 1, more at every longer output.",
        ),
    ),
)


def _local_vs_shared(c: Case, formula=None) -> Outcome:
    """A locally connected layer built as n_out unshared nn.Conv1d windows against one shared nn.Conv1d: the
    parameter difference is (n_out − 1)(k·C_in·C_out + C_out), and with every window's weights set to the shared
    kernel the two compute the same output up to rounding (so only the sharing differs)."""
    k, n = c["k"], c["n"]
    shared = torch.nn.Conv1d(c["cin"], c["cout"], k).double()
    n_o = n - k + 1
    local = torch.nn.ModuleList(torch.nn.Conv1d(c["cin"], c["cout"], k).double() for _ in range(n_o))
    got = sum(p.numel() for p in local.parameters()) - sum(p.numel() for p in shared.parameters())
    per = k * c["cin"] * c["cout"] + c["cout"]
    want = (n_o - 1) * per if formula is None else formula(c, n_o, per)
    with torch.no_grad():
        for m in local:
            m.weight.copy_(shared.weight)
            m.bias.copy_(shared.bias)
        x = torch.randn(1, c["cin"], n, dtype=torch.float64)
        y_loc = torch.cat([m(x[..., j : j + k]) for j, m in enumerate(local)], dim=-1)
        err = float((y_loc - shared(x)).abs().max())
        # two summation orders of k·C_in products and a bias: ≤ 2·(k·C_in + 1)·u·Σ|terms| (standard bound)
        scale = float(F.conv1d(x.abs(), shared.weight.abs(), shared.bias.abs()).max())
        bound = 2 * (k * c["cin"] + 1) * torch.finfo(torch.float64).eps * scale
    ok = got == want and err <= bound
    return Outcome(
        ok, err, bound, f"n_out = {n_o}: difference {got}, formula {want}, tied outputs differ by {err:g} (≤ {bound:g})"
    )


def _conv_window_cases() -> st.SearchStrategy[Case]:
    """The cases of _conv_param_cases with n ≥ k: at least one full window, so the unshared layer has a
    position to count (n_out ≥ 1)."""
    return _conv_param_cases().filter(lambda c: c["n"] >= c["k"])


S001_L157 = Sentence(
    file=shared.SEED001,
    section="Q9",
    line=157,
    quote="这种权重共享的方式减少了模型的参数数量,提高了计算效率,但也限制了模型对不同位置特征的自适应能力。",
)


SHARING_FEWER = Claim(
    uses=("conv.weight-sharing-params",),
    id="conv.sharing-fewer-params",
    title="Weight sharing reduces the parameter count: a locally connected layer with the same window has "
    "(n_out − 1)(k·C_in·C_out + C_out) more",
    verdict=Verdict.PROVED,
    summary=(
        "What 'weight sharing reduces the number of parameters' compares: one kernel for every position "
        "(k·C_in·C_out + C_out, conv.weight-sharing-params) against one kernel per output position "
        "(n_out·(k·C_in·C_out + C_out)). The difference is (n_out − 1)(k·C_in·C_out + C_out) ≥ 0, zero only for a "
        "single output position. Counted on torch: n_out unshared nn.Conv1d windows against one nn.Conv1d, which "
        "compute the same output when their weights are tied (up to the rounding of a different summation order)."
    ),
    derivations=(FEWER,),
    numeric=(
        PropertyCheck(
            cap=EVIDENCE_FLOOR["ci"],
            name="unshared minus shared nn.Conv1d parameters = (n_out − 1)(k·C_in·C_out + C_out); tied, same output",
            cases=_conv_window_cases,
            holds=_local_vs_shared,
            reason="exact integer count; the tied outputs within 2(k·C_in + 1)·u·Σ|terms| (two summation orders)",
            planted={
                "difference n_out·(k·C_in·C_out + C_out)": lambda c: _local_vs_shared(c, lambda c_, n_o, per: n_o * per)
            },
        ),
    ),
    sources=(
        Source(
            sentence=S001_L157,
            gloss=(
                "This weight sharing reduces the number of parameters: against a locally connected layer with the same "
                "window, by (n_out − 1)(k·C_in·C_out + C_out)."
            ),
            assertion="这种权重共享的方式减少了模型的参数数量",
        ),
    ),
)
CLAIMS += [SHARING_FEWER]

SHARING_EFFICIENCY = shared.not_formalizable(
    "conv.sharing-efficiency",
    "'Weight sharing improves computational efficiency but limits adaptivity to features at different positions'",
    "The exact part of weight sharing is the parameter count (conv.weight-sharing-params) and translation equivariance (conv.translation-equivariance). Sharing alone does not reduce FLOPs relative to an unshared local layer of the same shape; 'adaptivity' names no quantity.",
    "the efficiency claim depends on what it is compared with and on the hardware (the FLOPs of a shared and an unshared local layer are equal), and 'adaptivity to positions' is interpretive",
    Source(
        sentence=S001_L157,
        gloss="…improves computational efficiency, but limits the model's adaptivity to features at different positions.",
        assertion="提高了计算效率,但也限制了模型对不同位置特征的自适应能力",
    ),
)
CLAIMS += [SHARING_EFFICIENCY]


# ── moved here from seedchecks.py / seedclaims.py (issue 10: a topic owns its id prefixes) ───────
# (their old links keep working: see derivations/_moved.py)


CONV_ATTN_TASKS = shared.not_formalizable(
    "convattn.suited-tasks",
    "Convolution suits images and audio; self-attention suits language and other long-range sequence data",
    "The structural facts behind the advice are proved: a convolution's receptive field is local and its "
    "weights are shared across positions (`conv.receptive-field`, `conv.translation-equivariance`), while "
    "one attention layer connects every pair of positions (`conv.attention-dense`). Which architecture works "
    "better on a given task is a benchmark result.",
    shared.EMPIRICAL + " (which architecture suits which data).",
    Source(
        shared.SEED001,
        "Q9 适合场景",
        "计算机视觉:由于图像具有很强的局部相关性,卷积操作非常适合处理图像数据。",
        "Computer vision: images have strong local correlation, so convolutions suit image data well "
        "(classification, detection, segmentation).",
        line=161,
    ),
    Source(
        shared.SEED001,
        "Q9 适合场景",
        "音频处理:音频信号也具有一定的局部特征,如语音中的音素、音乐中的音符等。",
        "Audio: audio signals have local features too (phonemes, notes), so convolutions serve feature "
        "extraction and speech recognition.",
        line=162,
    ),
    Source(
        shared.SEED001,
        "Q9 适合场景",
        "自然语言处理:自然语言中的句子通常具有长距离的依赖关系,自注意力机制能够很好地捕捉这些关系。",
        "NLP: sentences have long-range dependencies, which self-attention captures well (translation, "
        "generation, question answering).",
        line=164,
    ),
    Source(
        shared.SEED001,
        "Q9 适合场景",
        "序列数据处理:除了自然语言,其他序列数据如时间序列数据、股票价格数据等也可能存在长距离的依赖关系,",
        "Other sequence data (time series, stock prices) may have long-range dependencies too, so "
        "self-attention can model them.",
        line=165,
    ),
)


CLAIMS += [CONV_ATTN_TASKS]
