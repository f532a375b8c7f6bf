"""LayerNorm, and the contrast with BatchNorm: which axis each reduces over.

Seeds 000 §2.2 and 001 Q4 say LayerNorm normalizes one sample over its features and does not
depend on the batch. Both halves are made exact: LN's output for a sample has zero derivative
with respect to every other sample (symbolic D features), while BN's output for one sample has
a non-zero derivative with respect to the others (symbolic batch size m).
"""

from __future__ import annotations

import functools

import dlproofs.impl.batchnorm as bn
import torch
import torch.nn.functional as F
from dlproofs.derivations import _shared as shared
from dlproofs.derivations import _variants as variants
from dlproofs.derivations.batchnorm import PINS as BN_PINS
from dlproofs.derivations.batchnorm import WHERE as BN_WHERE
from dlproofs.derivations.batchnorm import eps, g, k, m, mu, var, x, xhat
from hypothesis import strategies as st
from sympy import Derivative, IndexedBase, KroneckerDelta, Lambda, Rational, Sum, Symbol, sqrt, symbols

from dlproofs.claim import Claim, Derivation, Source, Step, Verdict
from dlproofs.contract import Contract, Locator, Variant
from dlproofs.numeric import Case, ClosedForm, CrossCheck, Outcome, PropertyCheck, Tolerance
from dlproofs.strategies import dense_tensors, eps_values, large_offsets, scales
from dlproofs.sums import Index

# ── symbols: one sample's D features x[1..D]; another sample's features z[1..D] ────────────
z = IndexedBase("z", real=True)
w = IndexedBase("gamma", real=True)  # per-feature scale γ_k
c = IndexedBase("beta", real=True)  # per-feature shift β_k
j, t, n = symbols("j t n", integer=True, positive=True)
l_ = Symbol("l", integer=True, positive=True)
lb_ = Index("l", 1, m)  # a batch position, declared in range (a premise the proof lists)
D = Symbol("D", integer=True, positive=True)
mu_f, var_f = Symbol("mu", real=True), Symbol("sigma^2", nonnegative=True)
xhat_f = IndexedBase("xhat", real=True)

LATEX = {
    xhat_f: r"\hat{x}",
    var_f: r"\sigma^2",
    mu_f: r"\mu",
    eps: r"\varepsilon",
    w: r"\gamma",
    c: r"\beta",
    var: r"\sigma_B^2",
    mu: r"\mu_B",
    xhat: r"\hat{x}",
}
WHERE = (
    (mu_f, Sum(x[n], (n, 1, D)) / D),
    (var_f, Sum((x[j] - mu_f) ** 2, (j, 1, D)) / D),
    (xhat_f, Lambda(t, (x[t] - mu_f) / sqrt(var_f + eps))),
)
LN_K = w[k] * xhat_f[k] + c[k]

BATCH_FREE = Derivation(
    "LN does not see the batch: ∂LN(x)_k/∂z_l = 0",
    Derivative(LN_K, z[l_]),
    (
        Step(
            0 * D,
            "no path",
            "μ and σ² are sums over this sample's own features only, so no "
            "term of LN(x)_k contains another sample's z_l.",
        ),
    ),
    sizes={D: range(1, 7)},
    pins={k: 1, l_: 1},
    where=WHERE,
)
BN_MIXES = Derivation(
    "BN does: ∂x̂_k/∂x_l = (δ_kl − (1 + x̂_k x̂_l)/m)/√(σ²_B + ε)",
    Derivative(xhat[k], x[lb_]),
    (
        Step(
            (KroneckerDelta(k, lb_) - 1 / m) / sqrt(var + eps)
            - (x[k] - mu) * (x[lb_] - mu) / (m * (var + eps) ** Rational(3, 2)),
            "quotient rule",
            "∂μ_B/∂x_l = 1/m and ∂σ²_B/∂x_l = 2(x_l − μ_B)/m.",
        ),
        Step(
            (KroneckerDelta(k, lb_) - (1 + xhat[k] * xhat[lb_]) / m) / sqrt(var + eps),
            "definition of x̂",
            "For l ≠ k this is −(1 + x̂_k x̂_l)/(m√(σ²_B + ε)): non-zero "
            "unless x̂_k x̂_l = −1, so one sample's output moves with every other sample.",
        ),
    ),
    sizes={m: range(2, 7)},
    pins={**BN_PINS, lb_: 2},
    where=BN_WHERE,
)


# ── numeric inputs: one convention, the contract's (fn(x[N, D], gamma[D], beta[D], eps)) ─────────
@st.composite
def ln_inputs(draw: st.DrawFn) -> Case:
    """x [N, D], N from 1 (LN allows it) and often 1, D = 2 often; entries offset + scale·u over UNIT_DOMAIN,
    each drawn on its own, scale 1e-3..1e3, offset none, ±1e3 or ±10³..10⁶ times the scale (where a one-pass
    variance loses every digit), one constant row a quarter of the time (σ² = 0: only ε keeps the division
    finite); gamma, beta [D] with own scales; eps 1e-12..1e-1."""
    n_ = draw(st.one_of(st.just(1), st.integers(1, 5)))
    d = draw(st.one_of(st.just(2), st.integers(1, 8)))
    scale = draw(scales())
    x_t = draw(dense_tensors((n_, d), scale=scale, offset=draw(large_offsets(scale))))
    if draw(st.integers(0, 3)) == 0:
        row = draw(st.integers(0, n_ - 1))
        x_t[row] = x_t[row, 0]
    return {
        "x": x_t,
        "gamma": draw(dense_tensors((d,), scale=draw(scales()))),
        "beta": draw(dense_tensors((d,), scale=draw(scales()))),
        "eps": draw(eps_values()),
    }


def ln_symbols(inp: Case) -> Case:
    """The closed form's view of ln_inputs: eps as ε (``epsilon``), D features, sums over the last axis."""
    return {**inp, "epsilon": inp["eps"], "D": inp["x"].shape[-1], "_dims": {"j": -1, "n": -1}}


def _ln_scale(inp: Case) -> float:
    x_t = inp["x"]
    std = torch.sqrt(x_t.var(-1, unbiased=False, keepdim=True) + inp["eps"])
    cond = float((x_t.abs().amax(-1, keepdim=True) / std).max()) + 1
    return x_t.shape[-1] * cond * (float(inp["gamma"].abs().max()) + 1) + float(inp["beta"].abs().max())


def _f_layer_norm(x_t: torch.Tensor, gamma_t: torch.Tensor, beta_t: torch.Tensor, eps_: float) -> torch.Tensor:
    return F.layer_norm(x_t, (x_t.shape[-1],), gamma_t, beta_t, eps_)


def _ln_module(x_t: torch.Tensor, gamma_t: torch.Tensor, beta_t: torch.Tensor, eps_: float) -> torch.Tensor:
    mod = torch.nn.LayerNorm(x_t.shape[-1], eps=eps_, dtype=x_t.dtype)
    with torch.no_grad():
        mod.weight.copy_(gamma_t)
        mod.bias.copy_(beta_t)
    return mod(x_t).detach()


def _over_batch(case: Case) -> torch.Tensor:
    """Planted: BatchNorm's axis (normalize each feature over the batch)."""
    x_t = case["x"]
    x_hat = (x_t - x_t.mean(0)) / torch.sqrt(x_t.var(0, unbiased=False) + case["eps"])
    return case["gamma"] * x_hat + case["beta"]


def _unbiased(case: Case) -> torch.Tensor:
    x_t = case["x"]
    x_hat = (x_t - x_t.mean(-1, keepdim=True)) / torch.sqrt(x_t.var(-1, unbiased=True, keepdim=True) + case["eps"])
    return case["gamma"] * x_hat + case["beta"]


def _first_row_unchanged(case: Case, norm=_f_layer_norm) -> Outcome:
    """Replace every other sample; the first sample's output must not move at all."""
    other = dict(case, x=torch.cat([case["x"][:1], case["x"][1:] * 3 + 7]))
    before, after = norm(*case.values())[:1], norm(*other.values())[:1]
    err = float((before - after).abs().max())
    return Outcome(err == 0.0, err, 0.0, f"first sample's output moved by {err:.3g}" if err else "")


def _over_batch_positional(x_t, gamma_t, beta_t, eps_) -> torch.Tensor:
    return _over_batch({"x": x_t, "gamma": gamma_t, "beta": beta_t, "eps": eps_})


def _row_mask(inp: dict, per_row: torch.Tensor) -> torch.Tensor:
    return per_row[:, None].expand_as(inp["x"])  # [N] -> [N, D]


FORWARD_CHECK = CrossCheck(
    name="y against F.layer_norm, nn.LayerNorm and impl",
    cases=ln_inputs,
    expected=ClosedForm(BATCH_FREE.expand(LN_K), (x, w, c, eps, D), ln_symbols),
    references={
        "F.layer_norm": _f_layer_norm,
        "nn.LayerNorm": _ln_module,
        "impl.batchnorm.layer_norm": bn.layer_norm,
    },
    positional=True,
    tolerance=Tolerance(
        16,
        "as for BatchNorm with m := D: centring error D·u·max|x| amplified by "
        "1/√(σ² + ε) and |γ|: scale = D·(max|x|/√(σ²+ε) + 1)·(|γ| + 1) + |β|",
        _ln_scale,
    ),
    planted={"normalizing over the batch axis (BatchNorm's)": _over_batch, "unbiased variance": _unbiased},
)


LN_FORWARD = Claim(
    id="ln.forward",
    title="LayerNorm normalizes each sample over its features and never looks at the batch",
    verdict=Verdict.PROVED,
    summary=(
        "LayerNorm uses BatchNorm's formulas along the other axis: for each sample, μ and the "
        "biased σ² are taken over its D features, x̂ = (x − μ)/√(σ² + ε), y_k = γ_k x̂_k + β_k "
        "with per-feature γ, β (F.layer_norm, nn.LayerNorm). BatchNorm reduces over the batch "
        "(axis 0, and H, W), LayerNorm over the features (the last axes). Hence LN's output for a "
        "sample is independent of the rest of the batch, exactly, while BN's is not."
    ),
    derivations=(BATCH_FREE, BN_MIXES),
    numeric=(
        FORWARD_CHECK,
        PropertyCheck(
            name="a sample's output is bit-for-bit unchanged when the rest of the batch changes",
            cases=ln_inputs,
            holds=_first_row_unchanged,
            reason="exact: each row is computed from that row alone, so equality is bitwise",
            planted={"BatchNorm's axis": functools.partial(_first_row_unchanged, norm=_over_batch_positional)},
            examples=(
                {
                    "x": torch.tensor([[1.0, 2.0], [3.0, -4.0]], dtype=torch.float64),
                    "gamma": torch.ones(2, dtype=torch.float64),
                    "beta": torch.zeros(2, dtype=torch.float64),
                    "eps": 1e-5,
                },
            ),
        ),
    ),
    sources=(
        Source(
            shared.SEED000,
            "§2.2",
            "与批量归一化不同,层归一化对单个样本的所有特征进行归一化,而不是对整个批次的同一特征进行归一化。",
            "Unlike batch normalization, layer normalization normalizes all features of a single "
            "sample, rather than the same feature across the whole batch.",
            line=11,
        ),
        Source(
            shared.SEED001,
            "Q4",
            "LayerNorm是对每一个样本的特征维度进行归一化,不依赖于批量数据的统计信息,因此可以很好地处理变长序列。",
            "LayerNorm normalizes each sample over its feature dimension and does not depend on "
            "batch statistics, so it handles variable-length sequences well.",
            line=37,
        ),
    ),
    notes=(
        "The seeds' further reasons (suits variable-length sequences, stabilizes gradients) are "
        "about training behaviour, not identities; the ledger records them separately.",
    ),
    contract=Contract.of(
        FORWARD_CHECK,
        signature="fn(x[N, D], gamma[D], beta[D], eps) -> y[N, D]",
        reference="impl.batchnorm.layer_norm",
        locators=(
            Locator(
                "only in constant rows (σ² = 0, where only ε keeps the division finite)",
                lambda inp: _row_mask(inp, (inp["x"] == inp["x"][:, :1]).all(1)),
            ),
            Locator(
                "only in rows with a large common offset (|μ| > 100·σ)",
                lambda inp: _row_mask(inp, inp["x"].mean(1).abs() > 100 * inp["x"].std(1, unbiased=False)),
            ),
            Locator("only when N > 1 (statistics mixed across samples?)", lambda inp: inp["x"].shape[0] > 1),
        ),
        variants=variants.LN_FORWARD,  # issue 12: diagnoses (derivations/_variants.py)
    ),
)

# the id prefixes this topic owns (the registry refuses a claim of another prefix here, and a
# prefix two topics declare)
PREFIXES = ("ln",)

CLAIMS = [LN_FORWARD]

# ── ln.backward ───────────────────────────────────────────────────────────────────────────
# One sample's D features; L = Σ_i g_i (γ_i x̂_i + β_i) with g_i = ∂L/∂y_i. γ varies with the feature, so the
# upstream gradient reaches x̂ as ĝ_i = g_i γ_i; otherwise it is bn.backward along the other axis.
i_ = Symbol("i", integer=True, positive=True)
kd = Index("k", 1, D)  # the feature differentiated by, declared in 1..D (a premise the proof lists)
L_LN = Sum(g[i_] * (w[i_] * xhat_f[i_] + c[i_]), (i_, 1, D))
_STD = sqrt(var_f + eps)
LN_GRAD_X = Derivation(
    "∂L/∂x_k (one sample)",
    Derivative(L_LN, x[kd]),
    (
        Step(
            1
            / (D * _STD)
            * (
                D * g[kd] * w[kd]
                - Sum(g[i_] * w[i_], (i_, 1, D))
                - xhat_f[kd] * Sum(g[i_] * w[i_] * xhat_f[i_], (i_, 1, D))
            ),
            "chain rule through x̂, μ and σ², collected",
            "x_k reaches L through x̂_k directly (ĝ_k/√(σ² + ε), ĝ_i = g_iγ_i), through μ (∂μ/∂x_k = 1/D: −Σĝ_i/D) "
            "and through σ² (∂σ²/∂x_k = 2(x_k − μ)/D: −x̂_k Σĝ_i x̂_i/D): bn.backward's form with m := D and "
            "g_i γ in place of γ g_i.",
        ),
    ),
    sizes={D: range(1, 7)},
    pins={kd: 1},
    where=WHERE,
)
LN_GRAD_GAMMA = Derivation(
    "∂L/∂γ_k (one sample; the batch's is the sum over samples)",
    Derivative(L_LN, w[kd]),
    (Step(g[kd] * xhat_f[kd], "differentiate", "Only the k-th term contains γ_k; y_k = γ_k x̂_k + β_k."),),
    sizes={D: range(1, 7)},
    pins={kd: 1},
    where=WHERE,
)
LN_GRAD_BETA = Derivation(
    "∂L/∂β_k (one sample; the batch's is the sum over samples)",
    Derivative(L_LN, c[kd]),
    (Step(g[kd], "differentiate", "∂y_k/∂β_k = 1."),),
    sizes={D: range(1, 7)},
    pins={kd: 1},
    where=WHERE,
)


@st.composite
def ln_backward_inputs(draw: st.DrawFn) -> Case:
    """ln_inputs in the contract's order with an upstream gradient: grad_out [N, D] (∂L/∂y, own scale), x [N, D],
    gamma [D], eps (β does not enter the gradients)."""
    case = draw(ln_inputs())
    grad_out = draw(dense_tensors(tuple(case["x"].shape), scale=draw(scales())))
    return {"grad_out": grad_out, "x": case["x"], "gamma": case["gamma"], "eps": case["eps"]}


def _ln_grad_symbols(inp: Case) -> Case:
    return {**ln_symbols(inp), "g": inp["grad_out"], "_dims": {"j": -1, "n": -1, "i": -1}}


_LN_DX = ClosedForm(LN_GRAD_X.expand(LN_GRAD_X.rhs), (x, g, w, eps, D), _ln_grad_symbols)
_LN_GX = ClosedForm(LN_GRAD_GAMMA.expand(LN_GRAD_GAMMA.rhs), (x, g, eps, D), _ln_grad_symbols)


def _ln_grads_expected(case: Case) -> torch.Tensor:
    """dx per sample; dγ, dβ: the per-sample closed forms summed over the batch (L is a sum over samples)."""
    return torch.cat([_LN_DX(case).flatten(), _LN_GX(case).sum(0), case["grad_out"].sum(0)])


def _ln_backward_autograd(grad_out, x_t, gamma_t, eps_, forward=_f_layer_norm):  # -> (dx, dgamma, dbeta)
    leaves = [x_t.clone().requires_grad_(True), gamma_t.clone().requires_grad_(True)]
    beta_t = torch.zeros_like(gamma_t, requires_grad=True)
    return torch.autograd.grad(forward(*leaves, beta_t, eps_), [*leaves, beta_t], grad_out)


def _ln_backward_scale(inp: Case) -> float:
    """bn.backward's analysis with m := D, per row: D²·(max|x|/√(σ²+ε) + 1)²·(|g| + 1)·(|γ| + 1)·(1/√(σ²+ε) + 1),
    plus N for dγ, dβ summing N rows."""
    x_t = inp["x"]
    std = torch.sqrt(x_t.var(-1, unbiased=False) + inp["eps"])
    cond = float((x_t.abs().amax(-1) / std).max()) + 1
    d, n_ = x_t.shape[-1], x_t.shape[0]
    return (
        (d**2 + n_)
        * cond**2
        * (float(inp["grad_out"].abs().max()) + 1)
        * (float(inp["gamma"].abs().max()) + 1)
        * (float((1 / std).max()) + 1)
    )


def _ln_backward_variant(grad_out, x_t, gamma_t, eps_, *, dim=-1, variance_path=True, ddof=0, eps_outside=False):
    """The compact form with one planted change (for Variants): statistics over ``dim`` (0: BatchNorm's axis),
    the x̂·Σĝx̂ term dropped, the variance with D − ddof, or ε added to σ."""
    d = x_t.shape[dim]
    centred = x_t - x_t.mean(dim, keepdim=True)
    var_ = (centred**2).sum(dim, keepdim=True) / (d - ddof)
    inv_std = 1 / (var_.sqrt() + eps_) if eps_outside else torch.rsqrt(var_ + eps_)
    x_hat = centred * inv_std
    g_hat = grad_out * gamma_t
    term = x_hat * (g_hat * x_hat).sum(dim, keepdim=True) if variance_path else 0
    dx = inv_std / d * (d * g_hat - g_hat.sum(dim, keepdim=True) - term)
    return dx, (grad_out * x_hat).sum(0), grad_out.sum(0)


LN_BACKWARD_VARIANTS = (
    Variant(
        label="statistics over the batch (BatchNorm's backward)",
        formula=functools.partial(_ln_backward_variant, dim=0),
        why="the bn.backward code reused for LayerNorm: μ, σ² and the sums of dx over axis 0",
    ),
    Variant(
        label="the σ² path dropped (no x̂·Σĝx̂ term in dx)",
        formula=functools.partial(_ln_backward_variant, variance_path=False),
        why="dx = (ĝ − mean ĝ)/σ: forgets that σ² depends on x",
    ),
    Variant(
        label="unbiased variance in the backward (divide by D − 1)",
        formula=functools.partial(_ln_backward_variant, ddof=1),
        why="x.var(-1) (torch's default) where the forward used the biased variance",
    ),
    Variant(
        label="ε outside the root (σ + ε)",
        formula=functools.partial(_ln_backward_variant, eps_outside=True),
        why="1/(σ + ε) as in the Annotated Transformer's forward",
    ),
)

LN_BACKWARD_CHECK = CrossCheck(
    name="(dx, dgamma, dbeta) against autograd of F.layer_norm and impl",
    cases=ln_backward_inputs,
    expected=_ln_grads_expected,
    references={
        "impl.batchnorm.layer_norm_backward": bn.layer_norm_backward,
        "autograd of F.layer_norm": _ln_backward_autograd,
        "autograd of impl.batchnorm.layer_norm": functools.partial(_ln_backward_autograd, forward=bn.layer_norm),
    },
    positional=True,
    tolerance=Tolerance(
        32,
        "bn.backward's error analysis along the other axis (m := D: the centring error, squared by the x̂-term, "
        "scaled by 1/√(σ²+ε)), plus N rows summed in dγ, dβ: scale = (D² + N)·(max|x|/√(σ²+ε) + 1)²·(|g| + 1)·"
        "(|γ| + 1)·(1/√(σ²+ε) + 1)",
        _ln_backward_scale,
    ),
    planted={
        v.label: (lambda c, f=v.formula: torch.cat([t.flatten() for t in f(*c.values())])) for v in LN_BACKWARD_VARIANTS
    },
)

LN_BACKWARD = Claim(
    id="ln.backward",
    title="LayerNorm backward: closed forms of ∂L/∂x, ∂L/∂γ, ∂L/∂β over the last axis",
    verdict=Verdict.PROVED,
    summary=(
        "Per sample, with g_i = ∂L/∂y_i and ĝ_i = g_i γ_i: ∂L/∂x_k = 1/(D√(σ² + ε))·(D ĝ_k − Σĝ_i − x̂_k Σĝ_i x̂_i) "
        "(sums over the sample's D features); ∂L/∂γ_k = Σ_samples g_k x̂_k, ∂L/∂β_k = Σ_samples g_k. Proved for a "
        "symbolic number of features D by differentiating through the power sums (one sample; the batch's dγ, dβ "
        "are sums of the per-sample ones because L is a sum over samples and γ, β are shared); tested against "
        "autograd of F.layer_norm and impl."
    ),
    derivations=(LN_GRAD_X, LN_GRAD_GAMMA, LN_GRAD_BETA),
    numeric=(LN_BACKWARD_CHECK,),
    uses=("ln.forward",),
    assumptions=("L depends on x only through y = LayerNorm(x); g = ∂L/∂y; statistics over the last axis",),
    contract=Contract.of(
        LN_BACKWARD_CHECK,
        signature="fn(grad_out[N, D], x[N, D], gamma[D], eps) -> (dx[N, D], dgamma[D], dbeta[D])",
        reference="impl.batchnorm.layer_norm_backward",
        outputs=("dx", "dgamma", "dbeta"),
        locators=(Locator("only when N > 1 (sums mixed across samples?)", lambda inp: inp["x"].shape[0] > 1),),
        variants=LN_BACKWARD_VARIANTS,
    ),
)
CLAIMS += [LN_BACKWARD]


# ── moved here from seedchecks.py / seedclaims.py (issue 10: a topic owns its id prefixes) ───────
# (their old links keep working: see derivations/_moved.py)


LN_STABILIZES = shared.not_formalizable(
    "ln.stabilizes-gradients",
    "LayerNorm suits variable sequence lengths and keeps gradients from getting too large or too small",
    "The first half is precise and proved as `ln.forward`: LayerNorm's statistics are per sample, so the "
    "output of one sample never depends on the others or on how many there are. The second half names no "
    "bound: LayerNorm's Jacobian scales like 1/√(σ² + ε), so it shrinks the gradient of a large-scale input and "
    "enlarges that of a small-scale one; no two-sided bound on the gradient follows without assumptions on "
    "the input scale and the rest of the network.",
    "'Helps stabilise the gradients, preventing them from becoming too large or too small' names no quantity "
    "or bound; whether it helps training is empirical.",
    Source(
        shared.SEED000,
        "§2.2",
        "这使得它更适合于动态变化的输入序列长度,并且可以帮助稳定训练过程中的梯度,防止它们变得过大或过小。",
        "This makes it better suited to dynamically varying input sequence lengths, and it can help stabilise "
        "the gradients during training, preventing them from becoming too large or too small.",
        line=11,
    ),
)


LN_SEQUENCES = shared.not_formalizable(
    "ln.suits-sequences",
    "LayerNorm suits variable-length sequences (RNN, LSTM, Transformer) and generative models",
    "That LayerNorm does not depend on the batch is `ln.forward` (proved); that it is the better choice for "
    "sequence models and keeps generative models stable is practice, not a theorem.",
    shared.EMPIRICAL + " (which method suits which model).",
    Source(
        shared.SEED001,
        "Q4 适用场景对比",
        "LayerNorm(层归一化):适用于处理变长序列数据,如自然语言处理中的循环神经网络(RNN)、长短时记忆网络(LSTM)和Transformer等。",
        "LayerNorm suits variable-length sequence data such as RNNs, LSTMs and Transformers in NLP; it is also "
        "widely used in generative models because it keeps them stable during generation.",
        line=37,
    ),
)


CLAIMS += [LN_STABILIZES, LN_SEQUENCES]
