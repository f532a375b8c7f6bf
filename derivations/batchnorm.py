"""BatchNorm: forward, normalized moments, running statistics, backward, scale invariance.

Seed 001 Q4 derives the BatchNorm formulas; every identity here is proved for a symbolic batch
size m (the indexed-sum normalizer), checked again at m = 1..6, and cross-validated against
``F.batch_norm`` / ``nn.BatchNorm1d/2d`` and ``impl/batchnorm.py`` on Hypothesis inputs.
"""

from __future__ import annotations

import functools

import dlproofs.impl.batchnorm as bn
import torch
import torch.nn.functional as F
from dlproofs.derivations import _shared as shared
from dlproofs.derivations import _variants as variants
from hypothesis import strategies as st
from sympy import Derivative, IndexedBase, Lambda, Rational, Sum, Symbol, sqrt, symbols

from dlproofs.claim import Claim, Derivation, Source, Step, Verdict
from dlproofs.contract import Contract, Locator, Variant
from dlproofs.numeric import Case, ClosedForm, CrossCheck, Outcome, PropertyCheck, Tolerance
from dlproofs.strategies import (
    dense_tensors,
    eps_values,
    large_offsets,
    narrowed,
    offsets,
    scales,
    with_constant_channel,
)
from dlproofs.sums import Index

# ── symbols ───────────────────────────────────────────────────────────────────────────────
x = IndexedBase("x", real=True)  # one channel's values over the batch: x[1..m]
g = IndexedBase("g", real=True)  # upstream gradient ∂L/∂y, same layout as x
xhat = IndexedBase("xhat", real=True)
i, j, t = symbols("i j t", integer=True, positive=True)
m = Symbol("m", integer=True, positive=True)  # values per channel: N, or N·H·W
k = Index("k", 1, m)  # the batch position differentiated by: declared in 1..m (a premise the proof lists)
eps = Symbol("epsilon", positive=True)
gamma, beta = symbols("gamma beta", real=True)
a = Symbol("a", positive=True)  # scale in the invariance claim
b = Symbol("b", real=True)  # shift in the invariance claim
momentum = Symbol("momentum", positive=True)
r_mean, r_var = Symbol("r_mu", real=True), Symbol("r_var", nonnegative=True)
mu = Symbol("mu_B", real=True)
var = Symbol("sigma_B^2", nonnegative=True)
d_var, d_mu = Symbol("dL/dsigma2", real=True), Symbol("dL/dmu", real=True)

LATEX = {
    xhat: r"\hat{x}",
    var: r"\sigma_B^2",
    mu: r"\mu_B",
    eps: r"\varepsilon",
    d_var: r"\tfrac{\partial L}{\partial \sigma_B^2}",
    d_mu: r"\tfrac{\partial L}{\partial \mu_B}",
    r_mean: r"\hat{\mu}_{\mathrm{run}}",
    r_var: r"\hat{\sigma}^2_{\mathrm{run}}",
}

# ── definitions (the seed's, for one channel) ─────────────────────────────────────────────
MU = Sum(x[j], (j, 1, m)) / m
VAR = Sum((x[i] - mu) ** 2, (i, 1, m)) / m  # biased: divide by m
WHERE = ((mu, MU), (var, VAR), (xhat, Lambda(t, (x[t] - mu) / sqrt(var + eps))))
SIZES = {m: range(1, 7)}
PINS = {k: 1}  # batch positions are symmetric: the concrete check pins k = 1
L = Sum(g[i] * (gamma * xhat[i] + beta), (i, 1, m))  # L with ∂L/∂y_i = g_i


def _expanded(expr):
    return Derivation("", expr, (Step(expr, "", ""),), where=WHERE).expand(expr)


# ── numeric inputs: one convention, the contract's (fn(x, gamma[C], beta[C], eps)) ────────────
@st.composite
def bn_inputs(draw: st.DrawFn, *, spatial: bool = True, grad: bool = False, backward_order: bool = False) -> Case:
    """x [N, C] or (spatial) [N, C, H, W], N = 2 and C = 1 often; entries offset + scale·u over UNIT_DOMAIN,
    each drawn on its own, scale 1e-3..1e3, offset none, ±1e3 or ±10³..10⁶ times the scale (where a one-pass
    variance loses every digit), one channel constant half of the time (σ²_B = 0: only ε keeps the division
    finite); gamma, beta [C] with own scales; eps 1e-12..1e-1; with ``grad`` an upstream gradient grad_out
    shaped like x, own scale (the last input); ``backward_order`` gives the same draw in the bn.backward
    contract's order, grad_out, x, gamma, eps (β does not enter the gradients)."""
    n_ = draw(st.one_of(st.just(2), st.integers(2, 6)))
    c_ = draw(st.one_of(st.just(1), st.integers(1, 4)))
    hw = draw(st.one_of(st.just(()), st.tuples(st.integers(1, 3), st.integers(1, 3)))) if spatial else ()
    scale = draw(scales())
    x_t = draw(dense_tensors((n_, c_, *hw), scale=scale, offset=draw(large_offsets(scale))))
    inputs = {
        "x": draw(with_constant_channel(x_t)),
        "gamma": draw(dense_tensors((c_,), scale=draw(scales()))),
        "beta": draw(dense_tensors((c_,), scale=draw(scales()))),
        "eps": draw(eps_values()),
    }
    if grad:
        inputs["grad_out"] = draw(dense_tensors(x_t.shape, scale=draw(scales())))
    if backward_order:
        return {name: inputs[name] for name in ("grad_out", "x", "gamma", "eps")}
    return inputs


PER_CHANNEL = ("gamma", "beta", "r_mu", "r_var")  # [C] inputs; the closed forms broadcast them along x's axis 1


def bn_symbols(inp: Case) -> Case:
    """The closed forms' view of bn_inputs (and its extensions): [C] vectors reshaped to [1, C, 1, ...],
    eps as ε (``epsilon``), grad_out as g, m = values per channel, and the batch sums' reduction dims."""
    x_t = inp["x"]
    dims = bn.reduce_dims(x_t)
    out = {k: v.reshape(1, -1, *([1] * (x_t.dim() - 2))) if k in PER_CHANNEL else v for k, v in inp.items()}
    out.update(epsilon=inp["eps"], g=inp.get("grad_out"), m=x_t.numel() // x_t.shape[1], _dims={"i": dims, "j": dims})
    return out


def _m(inp: Case) -> int:
    return inp["x"].numel() // inp["x"].shape[1]


def _std(inp: Case) -> torch.Tensor:
    """√(σ²_B + ε) per channel, [C]."""
    return torch.sqrt(inp["x"].var(dim=bn.reduce_dims(inp["x"]), unbiased=False) + inp["eps"])


def _centring_condition(inp: Case) -> torch.Tensor:
    """max|x| / √(σ² + ε) + 1 per channel, [C]: how much the rounding of μ_B is amplified by the normalization."""
    return inp["x"].abs().amax(dim=bn.reduce_dims(inp["x"])) / _std(inp) + 1


def _forward_scale(inp: Case) -> float:
    return float((_m(inp) * _centring_condition(inp) * (inp["gamma"].abs() + 1) + inp["beta"].abs()).max())


def _backward_scale(inp: Case) -> float:
    return (
        _m(inp) ** 2
        * float(_centring_condition(inp).max()) ** 2
        * (float(inp["grad_out"].abs().max()) + 1)
        * (float(inp["gamma"].abs().max()) + 1)
        * (float((1 / _std(inp)).max()) + 1)
    )


def _module(x_t: torch.Tensor, gamma_t: torch.Tensor, beta_t: torch.Tensor, eps_: float) -> torch.nn.Module:
    cls = torch.nn.BatchNorm1d if x_t.dim() == 2 else torch.nn.BatchNorm2d
    mod = cls(x_t.shape[1], eps=eps_, dtype=x_t.dtype)
    with torch.no_grad():
        mod.weight.copy_(gamma_t)
        mod.bias.copy_(beta_t)
    return mod


def _f_batch_norm(x_t: torch.Tensor, gamma_t: torch.Tensor, beta_t: torch.Tensor, eps_: float) -> torch.Tensor:
    return F.batch_norm(x_t, None, None, gamma_t, beta_t, training=True, eps=eps_)


def _module_train(x_t: torch.Tensor, gamma_t: torch.Tensor, beta_t: torch.Tensor, eps_: float) -> torch.Tensor:
    return _module(x_t, gamma_t, beta_t, eps_).train()(x_t).detach()


def _planted_forward(inp: Case, *, unbiased: bool = False, eps_outside: bool = False) -> torch.Tensor:
    """Planted BatchNorm forwards: divide by m − 1, or add ε to σ_B instead of σ²_B."""
    s = bn_symbols(inp)
    x_t, dims, eps_ = inp["x"], s["_dims"]["i"], inp["eps"]
    centred = x_t - x_t.mean(dims, keepdim=True)
    if eps_outside:
        std = x_t.std(dims, unbiased=False, keepdim=True) + eps_
    else:
        std = torch.sqrt(x_t.var(dims, unbiased=unbiased, keepdim=True) + eps_)
    return centred / std * s["gamma"] + s["beta"]


def _column_mask(inp: Case, per_channel: torch.Tensor) -> torch.Tensor:
    return per_channel.expand_as(inp["x"])  # [C] -> [N, C]


# ── bn.forward ────────────────────────────────────────────────────────────────────────────
ONE_PASS = Derivation(
    "σ²_B, two-pass = one-pass",
    var,
    (
        Step(
            Sum(x[i] ** 2 - 2 * mu * x[i] + mu**2, (i, 1, m)) / m,
            "expand the square",
            "(x_i − μ_B)² = x_i² − 2μ_B x_i + μ_B².",
        ),
        Step(
            Sum(x[i] ** 2, (i, 1, m)) / m - 2 * mu * Sum(x[i], (i, 1, m)) / m + mu**2,
            "linearity of Σ",
            "μ_B does not depend on i, and Σ_i 1 = m.",
        ),
        Step(
            Sum(x[i] ** 2, (i, 1, m)) / m - mu**2,
            "Σ x_i = m μ_B",
            "By the definition of μ_B; this is the one-pass form fast kernels use.",
        ),
    ),
    sizes=SIZES,
    where=WHERE,
)
FOLDED = Derivation(
    "y_k as one scale and one shift",
    gamma * xhat[k] + beta,
    (
        Step(
            gamma * (x[k] - mu) / sqrt(var + eps) + beta,
            "definition of x̂",
            "x̂_k = (x_k − μ_B)/√(σ²_B + ε), with ε inside the root.",
        ),
        Step(
            gamma / sqrt(var + eps) * x[k] + (beta - gamma * mu / sqrt(var + eps)),
            "collect x_k",
            "So BatchNorm is, per channel, the affine map x ↦ s·x + c "
            "with s = γ/√(σ²_B + ε), c = β − sμ_B (what inference folds into a conv).",
        ),
    ),
    sizes=SIZES,
    pins=PINS,
    where=WHERE,
)
_Y = ClosedForm(_expanded(FOLDED.lhs), (x, gamma, beta, eps, m), bn_symbols)

FORWARD_CHECK = CrossCheck(
    name="y against F.batch_norm, nn.BatchNorm1d/2d and impl",
    cases=bn_inputs,
    expected=_Y,
    references={
        "impl.batchnorm.batch_norm": bn.batch_norm,
        "F.batch_norm(training=True)": _f_batch_norm,
        "nn.BatchNorm (train mode)": _module_train,
    },
    positional=True,
    tolerance=Tolerance(
        16,
        "rounding of μ_B is up to m·u·max|x| (recursive summation), amplified by 1/√(σ²_B + ε) and by |γ|; "
        "β adds one rounding: scale = max over channels of m·(max|x|/√(σ²_B+ε) + 1)·(|γ| + 1) + |β|",
        _forward_scale,
    ),
    planted={
        "unbiased variance (divide by m − 1)": functools.partial(_planted_forward, unbiased=True),
        "ε outside the root": functools.partial(_planted_forward, eps_outside=True),
    },
    dtypes=(torch.float64, torch.float32),
)

BN_FORWARD = Claim(
    id="bn.forward",
    title="BatchNorm forward normalizes each channel with the biased batch variance",
    verdict=Verdict.PROVED,
    summary=(
        "Per channel, over the m = N (2-D input) or N·H·W (4-D input) values of the batch: "
        "μ_B = (1/m)Σx_i, σ²_B = (1/m)Σ(x_i − μ_B)² (biased: divided by m), "
        "x̂_i = (x_i − μ_B)/√(σ²_B + ε) (ε inside the root), y_i = γx̂_i + β. "
        "This is exactly what F.batch_norm(training=True) and nn.BatchNorm1d/2d compute."
    ),
    derivations=(ONE_PASS, FOLDED),
    numeric=(FORWARD_CHECK,),
    assumptions=("x real; one channel's m values are the batch (all N·H·W positions for 4-D input)",),
    sources=(
        Source(
            shared.SEED001,
            "Q4",
            "计算批量方差 σ_j²: σ_j² = (1/m) Σ_{i=1}^{m} (x_ij − μ_j)²",
            "Compute the batch variance σ_j² = (1/m) Σ (x_ij − μ_j)² (the biased variance, divided by m).",
            line=43,
        ),
        Source(
            shared.SEED001,
            "Q4",
            "进行归一化操作,得到归一化后的输入 x̂_ij = (x_ij − μ_j)/√(σ_j² + ϵ) 其中 ϵ 是一个很小的正数,用于防止分母为 0。",
            "Normalize: x̂_ij = (x_ij − μ_j)/√(σ_j² + ε), where ε is a small positive number that keeps "
            "the denominator from being 0.",
            line=45,
        ),
        Source(
            shared.SEED001,
            "Q4",
            "引入可学习的参数 γ_j 和 β_j,对归一化后的输入进行缩放和平移: y_ij = γ_j x̂_ij + β_j",
            "Learnable γ_j and β_j scale and shift the normalized input: y_ij = γ_j x̂_ij + β_j.",
            line=48,
        ),
        Source(
            shared.SEED001,
            "Q4",
            "假设输入数据为 x = [x_1, x_2, ⋯, x_m],其中 m 是批量大小。对于每一个特征维度 j,我们要对该维度上的所有样本进行归一化。",
            "Let the input be x = [x_1, ..., x_m] with batch size m; for every feature dimension j we normalize over all samples of that dimension.",
            line=39,
        ),
        Source(
            shared.SEED001,
            "Q4",
            "计算批量均值 μ_j: μ_j = (1/m) Σ_{i=1}^{m} x_ij",
            "Compute the batch mean μ_j = (1/m) Σ x_ij.",
            line=41,
        ),
        Source(
            sentence=shared.S003_L153,
            gloss="Mathematically, normalization adjusts the data's mean and variance (to 0 and ≈ 1, per feature).",
            assertion="从数学角度看,归一化能调整数据的均值和方差",
        ),
    ),
    notes=(
        "The fold in the second derivation is an exact identity, but it is not how the numeric "
        "reference is evaluated: the closed form is lambdified two-pass (centre, then square), "
        "which stays accurate under a large common offset where the one-pass form loses digits.",
    ),
    contract=Contract.of(
        FORWARD_CHECK,
        spatial=False,
        signature="fn(x[N, C], gamma[C], beta[C], eps) -> y[N, C]",  # training mode, biased variance
        reference="impl.batchnorm.batch_norm",
        locators=(
            Locator(
                "only in constant columns (σ²_B = 0, where only ε keeps the division finite)",
                lambda inp: _column_mask(inp, (inp["x"] == inp["x"][:1]).all(0)),
            ),
            Locator(
                "only in columns with a large common offset (|μ_B| > 100·σ_B)",
                lambda inp: _column_mask(inp, inp["x"].mean(0).abs() > 100 * inp["x"].std(0, unbiased=False)),
            ),
            Locator("only when C > 1 (statistics mixed across channels?)", lambda inp: inp["x"].shape[1] > 1),
        ),
        variants=variants.BN_FORWARD,  # issue 12: diagnoses (derivations/_variants.py)
    ),
)

# ── bn.normalized-moments ─────────────────────────────────────────────────────────────────
SUM_ZERO = Derivation(
    "Σ x̂_i = 0",
    Sum(xhat[i], (i, 1, m)),
    (
        Step(
            Sum(x[i] - mu, (i, 1, m)) / sqrt(var + eps), "pull out the denominator", "√(σ²_B + ε) does not depend on i."
        ),
        Step((Sum(x[i], (i, 1, m)) - m * mu) / sqrt(var + eps), "linearity of Σ", "Σ_i μ_B = mμ_B."),
        Step(0 * m, "Σ x_i = m μ_B", "By the definition of μ_B the numerator vanishes, for every ε."),
    ),
    sizes=SIZES,
    where=WHERE,
)
MEAN_SQUARE = Derivation(
    "(1/m) Σ x̂_i² = σ²_B/(σ²_B + ε)",
    Sum(xhat[i] ** 2, (i, 1, m)) / m,
    (
        Step(
            Sum((x[i] - mu) ** 2, (i, 1, m)) / (m * (var + eps)),
            "pull out the denominator",
            "(σ²_B + ε) does not depend on i.",
        ),
        Step(
            var / (var + eps),
            "definition of σ²_B",
            "(1/m)Σ(x_i − μ_B)² is σ²_B: slightly below 1, and 0 for a constant channel, not 1.",
        ),
    ),
    sizes=SIZES,
    where=WHERE,
)
_RATIO = ClosedForm(_expanded(MEAN_SQUARE.rhs), (x, eps, m), bn_symbols)


def _moments_expected(case: Case, ratio=_RATIO) -> torch.Tensor:
    r = ratio(case).flatten()
    return torch.cat([torch.zeros_like(r), r])


def _moments_of(y: torch.Tensor) -> torch.Tensor:
    dims = bn.reduce_dims(y)
    return torch.cat([y.mean(dims).flatten(), (y**2).mean(dims).flatten()])


def _unit_affine(x_t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """γ = 1, β = 0 for x's channels: BatchNorm's output is then x̂."""
    c_ = x_t.shape[1]
    return torch.ones(c_, dtype=x_t.dtype), torch.zeros(c_, dtype=x_t.dtype)


BN_MOMENTS = Claim(
    id="bn.normalized-moments",
    title="x̂ has mean exactly 0 and mean square σ²/(σ² + ε), not 1",
    verdict=Verdict.PROVED,
    summary=(
        "Over the batch, the normalized values sum to zero for any ε, and their mean square is "
        "σ²_B/(σ²_B + ε): just under 1, and 0 (not 1) for a constant channel. Both identities are "
        "proved for a symbolic batch size m."
    ),
    derivations=(SUM_ZERO, MEAN_SQUARE),
    numeric=(
        CrossCheck(
            name="batch mean and mean square of F.batch_norm(γ=1, β=0) and impl",
            cases=bn_inputs,
            expected=_moments_expected,
            references={
                "F.batch_norm": lambda c: _moments_of(F.batch_norm(c["x"], None, None, training=True, eps=c["eps"])),
                "impl.batchnorm.batch_norm": lambda c: _moments_of(
                    bn.batch_norm(c["x"], *_unit_affine(c["x"]), c["eps"])
                ),
            },
            tolerance=Tolerance(
                16,
                "x̂ carries the centring error m·u·max|x|/√(σ²+ε); squaring and averaging "
                "double it at most: scale = m·(max|x|/√(σ²+ε) + 1)²",
                lambda c: _m(c) * float(_centring_condition(c).max()) ** 2,
            ),
            planted={
                "mean square is exactly 1": lambda c: torch.cat(
                    [torch.zeros(c["x"].shape[1]), torch.ones(c["x"].shape[1])]
                ).double(),
            },
        ),
    ),
    sources=(),  # supporting: 001 line 45 states the forward formula (bn.forward), not this
)

# ── bn.running-stats ──────────────────────────────────────────────────────────────────────
UNBIASED = Derivation(
    "unbiased variance = m/(m − 1) · σ²_B",
    Sum((x[i] - mu) ** 2, (i, 1, m)) / (m - 1),
    (
        Step(
            m / (m - 1) * (Sum((x[i] - mu) ** 2, (i, 1, m)) / m),
            "multiply by m/m",
            "Insert m/m to expose the biased variance.",
        ),
        Step(
            m / (m - 1) * var,
            "definition of σ²_B",
            "The running variance is fed the unbiased estimate; undefined at m = 1.",
        ),
    ),
    sizes={m: range(2, 7)},
    where=WHERE,
)
_RUN_MEAN = ClosedForm(_expanded((1 - momentum) * r_mean + momentum * mu), (x, r_mean, momentum, m), bn_symbols)
_RUN_VAR = ClosedForm(_expanded((1 - momentum) * r_var + momentum * UNBIASED.rhs), (x, r_var, momentum, m), bn_symbols)
_EVAL = ClosedForm(gamma * (x[k] - r_mean) / sqrt(r_var + eps) + beta, (x, r_mean, r_var, gamma, beta, eps), bn_symbols)


@st.composite
def running_cases(draw: st.DrawFn) -> Case:
    """bn_inputs (N ≥ 2, so m ≥ 2 and the unbiased variance is defined), then running μ and σ² [C] over
    UNIT_DOMAIN with own scales 1e-3..1e3 (σ² = |·|, exact zeros: eval then leans on ε alone) and
    momentum 0.1, 0.01, 1 or 1e-3..1 (momentum 1 replaces the statistics, exposing which one is fed)."""
    case = draw(bn_inputs())
    c = case["x"].shape[1]
    case["r_mu"] = draw(dense_tensors((c,), scale=draw(scales())))
    case["r_var"] = draw(dense_tensors((c,), scale=draw(scales()))).abs()
    case["momentum"] = draw(st.sampled_from([0.1, 0.01, 1.0]) | st.floats(0.001, 1.0))
    return case


def _bn_example(shape: tuple[int, ...], seed: int, *, grad: bool = False) -> Case:
    """An explicit bn_inputs case of ``shape``: x, gamma, beta (and grad_out) generic over U[−1, 1)
    (UNIT_DOMAIN, scale 1), eps = 1e-5."""
    gen = torch.Generator().manual_seed(seed)
    unit = lambda *sh: torch.rand(sh, generator=gen, dtype=torch.float64) * 2 - 1  # noqa: E731
    case = {"x": unit(*shape), "gamma": unit(shape[1]), "beta": unit(shape[1]), "eps": 1e-5}
    grad_out = unit(*shape)  # drawn either way: the same seed gives the same x, γ, β as before
    return {**case, "grad_out": grad_out} if grad else case


def _running_example(n_: int, c: int, seed: int) -> Case:
    """An explicit running_cases case: _bn_example's [N, C] case plus running μ, σ² = |·| over U[−1, 1),
    momentum 0.1."""
    case = _bn_example((n_, c), seed)
    gen = torch.Generator().manual_seed(seed + 1)
    case["r_mu"] = torch.rand(c, generator=gen, dtype=torch.float64) * 2 - 1
    case["r_var"] = (torch.rand(c, generator=gen, dtype=torch.float64) * 2 - 1).abs()
    case["momentum"] = 0.1
    return case


def _module_after_step(case: Case) -> torch.nn.Module:
    mod = _module(case["x"], case["gamma"], case["beta"], case["eps"])
    mod.momentum = case["momentum"]
    with torch.no_grad():
        mod.running_mean.copy_(case["r_mu"])
        mod.running_var.copy_(case["r_var"])
    mod.train()(case["x"])
    return mod


def _running_expected(case: Case) -> torch.Tensor:
    return torch.cat([_RUN_MEAN(case).flatten(), _RUN_VAR(case).flatten()])


def _running_torch(case: Case) -> torch.Tensor:
    mod = _module_after_step(case)
    return torch.cat([mod.running_mean, mod.running_var]).detach()


def _running_impl(case: Case) -> torch.Tensor:
    rm, rv = bn.running_stats_update(case["r_mu"], case["r_var"], case["x"], case["momentum"])
    return torch.cat([rm, rv])


def _refuses_single_value(case: Case) -> Outcome:
    x1 = case["x"][:1, :, :1, :1] if case["x"].dim() == 4 else case["x"][:1]
    try:
        F.batch_norm(x1, None, None, training=True, eps=case["eps"])
    except ValueError as exc:
        return Outcome(True, 0.0, 0.0, f"ValueError: {exc}")
    return Outcome(False, 0.0, 0.0, f"input of shape {tuple(x1.shape)} (m = 1) was accepted in training")


def _accepts_single_value(case: Case) -> Outcome:
    out = _refuses_single_value(case)
    return Outcome(not out.ok, 0.0, 0.0, "planted: expected m = 1 to be accepted; " + out.detail)


def _eval_module(case: Case) -> torch.Tensor:
    mod = _module(case["x"], case["gamma"], case["beta"], case["eps"])
    with torch.no_grad():
        mod.running_mean.copy_(case["r_mu"])
        mod.running_var.copy_(case["r_var"])
    return mod.eval()(case["x"]).detach()


BN_RUNNING = Claim(
    id="bn.running-stats",
    title="Running statistics use momentum and the unbiased variance; eval mode uses them",
    verdict=Verdict.PROVED,
    summary=(
        "In training, nn.BatchNorm updates running = (1 − momentum)·running + momentum·batch, "
        "where the batch variance is the *unbiased* m/(m − 1)·σ²_B, although the normalization "
        "itself uses the biased σ²_B. In eval mode the running statistics replace the batch's. "
        "At m = 1 the unbiased variance is undefined and torch refuses training input with one "
        "value per channel (ValueError)."
    ),
    derivations=(UNBIASED,),
    numeric=(
        CrossCheck(
            name="running mean and variance after one training step",
            cases=running_cases,
            expected=_running_expected,
            references={
                "nn.BatchNorm (momentum)": _running_torch,
                "impl.batchnorm.running_stats_update": _running_impl,
            },
            # run before the drawn cases: N = 4 ≠ C = 3 (layouts' domain) with generic values, so a count m taken
            # over the wrong dimension gives a wrong unbiased variance that is compared by value
            examples=(_running_example(4, 3, 11),),
            tolerance=Tolerance(
                16,
                "a mean and a sum of squares over m values: m·u relative to their largest "
                "term, m/(m − 1) ≤ 2: scale = m·(max|x| + |running|)²",
                lambda c: (
                    _m(c)
                    * (float(c["x"].abs().max()) + float(c["r_var"].max()) + float(c["r_mu"].abs().max()) + 1) ** 2
                ),
            ),
            planted={
                "biased variance in the running estimate": lambda c: torch.cat(
                    [
                        _RUN_MEAN(c).flatten(),
                        (1 - c["momentum"]) * c["r_var"]
                        + c["momentum"] * c["x"].var(bn.reduce_dims(c["x"]), unbiased=False),
                    ]
                ),
                "momentum on the old value": lambda c: torch.cat(
                    [
                        c["momentum"] * c["r_mu"] + (1 - c["momentum"]) * c["x"].mean(bn.reduce_dims(c["x"])),
                        _RUN_VAR(c).flatten(),
                    ]
                ),
            },
        ),
        CrossCheck(
            name="eval mode normalizes with the running statistics",
            cases=running_cases,
            expected=_EVAL,
            references={
                "nn.BatchNorm.eval()": lambda c: _eval_module(c),
                "impl.batchnorm.batch_norm_eval": lambda c: bn.batch_norm_eval(
                    c["x"], c["r_mu"], c["r_var"], c["gamma"], c["beta"], c["eps"]
                ),
            },
            tolerance=Tolerance(
                8,
                "one centring and one division per value: scale = (|x| + |running mean|)/√(var+ε)·|γ| + |β|",
                lambda c: (
                    float(((c["x"].abs().max() + c["r_mu"].abs().max()) / torch.sqrt(c["r_var"] + c["eps"])).max())
                    * (float(c["gamma"].abs().max()) + 1)
                    + float(c["beta"].abs().max())
                    + 1
                ),
            ),
            planted={
                "eval mode still uses the batch statistics": lambda c: bn.batch_norm(
                    c["x"], c["gamma"], c["beta"], c["eps"]
                ),
            },
        ),
        PropertyCheck(
            name="training with one value per channel raises ValueError",
            cases=bn_inputs,
            holds=_refuses_single_value,
            reason="exact: the property is that F.batch_norm raises, no tolerance involved",
            planted={"m = 1 is accepted": _accepts_single_value},
        ),
    ),
    sources=(),  # supporting: 001 line 43 states the batch variance (bn.forward), not running statistics
    notes=(
        "The seed's formulas are the training-mode ones; it does not say what inference uses. "
        "A 4-D input of shape (1, C, H, W) with H·W > 1 is accepted in training: m counts N·H·W.",
    ),
)

# ── bn.backward ───────────────────────────────────────────────────────────────────────────
# Ioffe & Szegedy's intermediate gradients, as abbreviations the proof shows and the checker expands.
_BACKWARD_WHERE = WHERE + (
    (d_var, Sum(g[i] * gamma * (x[i] - mu), (i, 1, m)) * Rational(-1, 2) * (var + eps) ** Rational(-3, 2)),
    (d_mu, -Sum(g[i] * gamma, (i, 1, m)) / sqrt(var + eps) + d_var * (-2) * Sum(x[i] - mu, (i, 1, m)) / m),
)
GRAD_X = Derivation(
    "∂L/∂x_k",
    Derivative(L, x[k]),
    (
        Step(
            g[k] * gamma / sqrt(var + eps) + d_var * 2 * (x[k] - mu) / m + d_mu / m,
            "chain rule (Ioffe & Szegedy)",
            "x_k reaches L through x̂_k directly, through σ²_B (∂σ²_B/∂x_k = 2(x_k − μ_B)/m) and "
            "through μ_B (∂μ_B/∂x_k = 1/m); ∂L/∂σ²_B and ∂L/∂μ_B are the paper's.",
        ),
        Step(
            g[k] * gamma / sqrt(var + eps)
            + d_var * 2 * (x[k] - mu) / m
            - Sum(g[i], (i, 1, m)) * gamma / (m * sqrt(var + eps)),
            "Σ(x_i − μ_B) = 0",
            "The σ²_B-path term of ∂L/∂μ_B vanishes.",
        ),
        Step(
            gamma
            / (m * sqrt(var + eps))
            * (m * g[k] - Sum(g[i], (i, 1, m)) - xhat[k] * Sum(g[i] * xhat[i], (i, 1, m))),
            "collect γ/(m√(σ²_B + ε))",
            "∂L/∂σ²_B · 2(x_k − μ_B)/m = −γ x̂_k Σ g_i x̂_i /(m√(σ²_B + ε)): the compact form.",
        ),
    ),
    sizes=SIZES,
    pins=PINS,
    where=_BACKWARD_WHERE,
)
GRAD_GAMMA = Derivation(
    "∂L/∂γ",
    Derivative(L, gamma),
    (Step(Sum(g[i] * xhat[i], (i, 1, m)), "differentiate", "y_i = γx̂_i + β is linear in γ."),),
    sizes=SIZES,
    where=WHERE,
)
GRAD_BETA = Derivation(
    "∂L/∂β",
    Derivative(L, beta),
    (Step(Sum(g[i], (i, 1, m)), "differentiate", "∂y_i/∂β = 1."),),
    sizes=SIZES,
    where=WHERE,
)
_GRADS = tuple(ClosedForm(_expanded(d.rhs), (x, g, gamma, eps, m), bn_symbols) for d in (GRAD_X, GRAD_GAMMA, GRAD_BETA))


def _grads_expected(case: Case) -> torch.Tensor:
    return torch.cat([f(case).flatten() for f in _GRADS])


def _grads_autograd(x_t, gamma_t, beta_t, eps_, grad_out, forward=_f_batch_norm) -> torch.Tensor:
    """(∂L/∂x, ∂L/∂γ, ∂L/∂β) by autograd of ``forward(x, gamma, beta, eps)`` with upstream gradient grad_out."""
    leaves = [t.clone().requires_grad_(True) for t in (x_t, gamma_t, beta_t)]
    y = forward(*leaves, eps_)
    return torch.cat([d.flatten() for d in torch.autograd.grad(y, leaves, grad_out)])


def _grads_impl(x_t, gamma_t, beta_t, eps_, grad_out) -> torch.Tensor:
    dx, dw, db = bn.batch_norm_backward(x_t, gamma_t, eps_, grad_out)
    return torch.cat([dx.flatten(), dw, db])


def _grads_without_variance_path(case: Case) -> torch.Tensor:
    s = bn_symbols(case)
    dims, g_t = s["_dims"]["i"], case["grad_out"]
    std = torch.sqrt(case["x"].var(dims, unbiased=False, keepdim=True) + case["eps"])
    dx = s["gamma"] / std * (g_t - g_t.mean(dims, keepdim=True))
    x_hat = (case["x"] - case["x"].mean(dims, keepdim=True)) / std
    return torch.cat([dx.flatten(), (g_t * x_hat).sum(dims).flatten(), g_t.sum(dims).flatten()])


BACKWARD_TOLERANCE = Tolerance(
    32,
    "the gradient sums m terms each carrying the centring error, and the "
    "x̂-term squares the centring condition; the overall 1/√(σ²+ε) sets the size: "
    "scale = m²·(max|x|/√(σ²+ε) + 1)²·(|g| + 1)·(|γ| + 1)·(1/√(σ²+ε) + 1)",
    _backward_scale,
)


# ── the bn.backward contract: cs231n's batchnorm_backward with explicit inputs instead of a cache ──
def bn_backward(grad_out, x_t, gamma_t, eps_):  # -> (dx [N, C], dgamma [C], dbeta [C])
    """impl.batchnorm.batch_norm_backward in the contract's argument order."""
    return bn.batch_norm_backward(x_t, gamma_t, eps_, grad_out)


def _bn_backward_autograd(grad_out, x_t, gamma_t, eps_, forward=_f_batch_norm):  # -> (dx, dgamma, dbeta)
    """Autograd of ``forward(x, gamma, beta = 0, eps)`` with upstream gradient grad_out."""
    leaves = [x_t.clone().requires_grad_(True), gamma_t.clone().requires_grad_(True)]
    beta_t = torch.zeros_like(gamma_t, requires_grad=True)
    return torch.autograd.grad(forward(*leaves, beta_t, eps_), [*leaves, beta_t], grad_out)


def _bn_backward_variant(grad_out, x_t, gamma_t, eps_, *, variance_path=True, ddof=0, eps_outside=False, axis=0):
    """The compact form with one planted change (for Variants): the x̂·Σg x̂ term dropped, the variance with
    m − ddof, ε added to σ instead of σ², or dγ, dβ summed over ``axis``."""
    m_ = x_t.shape[0]
    centred = x_t - x_t.mean(0)
    var_ = (centred**2).sum(0) / (m_ - ddof)
    inv_std = 1 / (var_.sqrt() + eps_) if eps_outside else torch.rsqrt(var_ + eps_)
    x_hat = centred * inv_std
    sum_g, sum_gx = grad_out.sum(axis), (grad_out * x_hat).sum(axis)
    dx = gamma_t * inv_std / m_ * (m_ * grad_out - grad_out.sum(0) - x_hat * (grad_out * x_hat).sum(0) * variance_path)
    return dx, sum_gx, sum_g


BACKWARD_CONTRACT_CHECK = CrossCheck(
    name="(dx, dgamma, dbeta) in the contract's order against autograd and impl",
    cases=functools.partial(bn_inputs, spatial=False, grad=True, backward_order=True),
    expected=_grads_expected,
    references={
        "impl.batchnorm.batch_norm_backward": bn_backward,
        "autograd of F.batch_norm": _bn_backward_autograd,
        "autograd of impl.batchnorm.batch_norm": functools.partial(_bn_backward_autograd, forward=bn.batch_norm),
    },
    positional=True,
    tolerance=BACKWARD_TOLERANCE,
    planted={"the σ²_B path dropped (x̂ Σgx̂ term missing)": _grads_without_variance_path},
)

BN_BACKWARD = Claim(
    id="bn.backward",
    title="BatchNorm backward: closed forms of ∂L/∂x, ∂L/∂γ, ∂L/∂β",
    verdict=Verdict.PROVED,
    summary=(
        "With g_i = ∂L/∂y_i: ∂L/∂x_k = γ/(m√(σ²_B + ε))·(m g_k − Σg_i − x̂_k Σg_i x̂_i), "
        "∂L/∂γ = Σ g_i x̂_i, ∂L/∂β = Σ g_i (Ioffe & Szegedy 2015, §3). Proved for a symbolic batch "
        "size m by differentiating through the power sums: ∂(Σx_i)/∂x_k = 1, ∂(Σx_i²)/∂x_k = 2x_k, "
        "∂(Σg_i x_i)/∂x_k = g_k."
    ),
    derivations=(GRAD_X, GRAD_GAMMA, GRAD_BETA),
    numeric=(
        CrossCheck(
            name="(∂L/∂x, ∂L/∂γ, ∂L/∂β) against autograd and impl",
            cases=narrowed(bn_inputs, grad=True),
            expected=_grads_expected,
            references={
                "autograd of F.batch_norm": _grads_autograd,
                "autograd of impl.batchnorm.batch_norm": functools.partial(_grads_autograd, forward=bn.batch_norm),
                "impl.batchnorm.batch_norm_backward": _grads_impl,
            },
            positional=True,
            tolerance=BACKWARD_TOLERANCE,
            planted={"the σ²_B path dropped (x̂ Σgx̂ term missing)": _grads_without_variance_path},
            # run before the drawn cases: a generic [N, C, H, W] = [3, 2, 3, 2] batch (layouts' domain), where a
            # per-channel sum that lost its kept dims broadcasts along W instead of C and is compared by value
            examples=(_bn_example((3, 2, 3, 2), 13, grad=True),),
        ),
        BACKWARD_CONTRACT_CHECK,
    ),
    assumptions=("L depends on x only through y; g_i = ∂L/∂y_i",),
    sources=(),  # supporting: 001 line 45 states the forward formula (bn.forward), not this
    contract=Contract.of(
        BACKWARD_CONTRACT_CHECK,
        signature="fn(grad_out[N, C], x[N, C], gamma[C], eps) -> (dx[N, C], dgamma[C], dbeta[C])",
        reference="impl.batchnorm.batch_norm_backward",
        outputs=("dx", "dgamma", "dbeta"),
        locators=(Locator("only when C > 1 (sums mixed across channels?)", lambda inp: inp["x"].shape[1] > 1),),
        variants=(
            Variant(
                label="the σ²_B path dropped (no x̂·Σg x̂ term in dx)",
                formula=functools.partial(_bn_backward_variant, variance_path=False),
                why="dx = γ/σ·(g − mean g): forgets that σ²_B depends on x; right only where Σ g x̂ = 0",
            ),
            Variant(
                label="unbiased variance in the backward (divide by m − 1)",
                formula=functools.partial(_bn_backward_variant, ddof=1),
                why="x.var(0) / np.var(ddof=1) reused from a running-variance update",
            ),
            Variant(
                label="ε outside the root (σ + ε)",
                formula=functools.partial(_bn_backward_variant, eps_outside=True),
                why="1/(σ + ε) instead of 1/√(σ² + ε); visible where σ² is comparable to ε",
            ),
            Variant(
                label="dgamma, dbeta summed over the features (axis 1) instead of the batch",
                formula=functools.partial(_bn_backward_variant, axis=1),
                why="sum(axis=1): LayerNorm's axis; the shape is [N], equal to [C] only when N = C",
            ),
        ),
    ),
)

# ── bn.scale-invariance ───────────────────────────────────────────────────────────────────
_AFFINE_MU = Sum(a * x[j] + b, (j, 1, m)) / m
_AFFINE_VAR = Sum((a * x[i] + b - _AFFINE_MU) ** 2, (i, 1, m)) / m
INVARIANT = Derivation(
    "ε = 0: BN(a·x + b) = BN(x)",
    (a * x[k] + b - _AFFINE_MU) / sqrt(_AFFINE_VAR),
    (
        Step((a * x[k] - a * mu) / sqrt(_AFFINE_VAR), "μ of a·x + b", "The batch mean of a·x + b is aμ_B + b."),
        Step(
            a * (x[k] - mu) / sqrt(a**2 * var),
            "σ² of a·x + b",
            "The shift cancels in every deviation, so the biased variance is a²σ²_B.",
        ),
        Step(
            (x[k] - mu) / sqrt(var),
            "√(a²σ²) = aσ for a > 0",
            "a > 0 leaves the root unchanged in sign; for a < 0 the output flips sign instead.",
        ),
    ),
    sizes={m: range(2, 7)},
    pins=PINS,
    where=WHERE,
)
WITH_EPS = Derivation(
    "ε > 0: BN_ε(a·x + b) = BN_{ε/a²}(x)",
    (a * x[k] + b - _AFFINE_MU) / sqrt(_AFFINE_VAR + eps),
    (
        Step(a * (x[k] - mu) / sqrt(a**2 * var + eps), "μ and σ² of a·x + b", "As above."),
        Step(
            (x[k] - mu) / sqrt(var + eps / a**2),
            "divide through by a",
            "Scaling the input by a is the same as scaling ε by 1/a²: invariance is only "
            "approximate, and fails when a²σ²_B is not large against ε.",
        ),
    ),
    sizes={m: range(2, 7)},
    pins=PINS,
    where=WHERE,
)
_INVARIANT_RHS = ClosedForm(_expanded(WITH_EPS.rhs), (x, a, eps, m), bn_symbols)


@st.composite
def scaled_cases(draw: st.DrawFn) -> Case:
    """bn_inputs, then a > 0 from 1e-3 to 1e3 (the claim is for a > 0) and b = 0, ±1e3 or in
    [−1e3, 1e3]: ε/a² then spans from negligible to dominant, so a wrong ε rescaling shows."""
    case = draw(bn_inputs())
    case["a"] = draw(scales())
    case["b"] = draw(offsets())
    return case


def _affine_scale(case: Case) -> float:
    """m·(max(max|a·x + b|, a·max|x|)/√(a²σ²_B + ε) + 1), per channel, the largest channel."""
    dims = bn.reduce_dims(case["x"])
    ax = case["a"] * case["x"]
    size = torch.maximum((ax + case["b"]).abs().amax(dims), ax.abs().amax(dims))
    std = torch.sqrt(case["a"] ** 2 * case["x"].var(dims, unbiased=False) + case["eps"])
    return _m(case) * (float((size / std).max()) + 1)


def _bn_of_affine(case: Case) -> torch.Tensor:
    return F.batch_norm(case["a"] * case["x"] + case["b"], None, None, training=True, eps=case["eps"])


BN_SCALE = Claim(
    id="bn.scale-invariance",
    title="BN(a·x + b) = BN(x) for a > 0 when ε = 0; with ε > 0 it equals BN with ε/a²",
    verdict=Verdict.PROVED,
    summary=(
        "Without ε, BatchNorm is invariant to a positive scale and any shift of a channel. "
        "With ε > 0 the invariance is exact only up to replacing ε by ε/a²: a small input scale "
        "(a²σ² comparable to ε) changes the output, which is what ε is for."
    ),
    derivations=(INVARIANT, WITH_EPS),
    numeric=(
        CrossCheck(
            name="F.batch_norm(a·x + b, ε) against the closed form with ε/a²",
            cases=scaled_cases,
            expected=_INVARIANT_RHS,
            references={"F.batch_norm(a·x + b)": _bn_of_affine},
            tolerance=Tolerance(
                16,
                "both sides centre their input: F.batch_norm centres a·x + b (error ≈ m·u·max|a·x + b|), "
                "the closed form centres x (≈ m·u·max|x|, i.e. m·u·a·max|x| in units of a·x); each is divided "
                "by √(a²σ² + ε): scale = m·(max(max|a·x + b|, a·max|x|)/√(a²σ² + ε) + 1)",
                _affine_scale,
            ),
            planted={
                "exact invariance with ε > 0 (BN(a·x + b) = BN(x))": lambda c: F.batch_norm(
                    c["x"], None, None, training=True, eps=c["eps"]
                ),
            },
        ),
    ),
    assumptions=("a > 0", "σ²_B > 0 in the ε = 0 statement (otherwise both sides are 0/0)"),
    sources=(
        Source(
            sentence=shared.S003_L153,
            gloss="Normalizing the input (BatchNorm or LayerNorm) can (hedged: 可以) make its distribution more stable: the normalized output no longer depends on the input's scale and offset (BN(ax + b) = BN(x); LayerNorm the same per sample).",
            assertion="对输入数据进行归一化,如 Batch Normalization 或 Layer Normalization,可以使输入数据分布更加稳定",
            kind="hedged",
        ),
    ),
)

# the id prefixes this topic owns (the registry refuses a claim of another prefix here, and a
# prefix two topics declare)
PREFIXES = ("bn",)

CLAIMS = [BN_FORWARD, BN_MOMENTS, BN_RUNNING, BN_BACKWARD, BN_SCALE]


# ── moved here from seedchecks.py / seedclaims.py (issue 10: a topic owns its id prefixes) ───────
# (their old links keep working: see derivations/_moved.py)


BN_IMAGES = shared.not_formalizable(
    "bn.suits-image-batches",
    "BatchNorm suits batched image classification, not variable-length sequences",
    "Which normalization suits which data is an engineering judgement. The precise part, that BatchNorm's "
    "statistics mix the samples of a batch while LayerNorm's do not, is `bn.forward` and `ln.forward`.",
    shared.EMPIRICAL + " (which method trains faster on which data).",
    Source(
        shared.SEED001,
        "Q4 适用场景对比",
        "BatchNorm(批量归一化):适用于输入数据具有明确的批量结构,且批量数据的统计特性相对稳定的场景,如计算机视觉中的图像分类任务。",
        "BatchNorm suits inputs with a clear batch structure and stable batch statistics, such as image "
        "classification; it uses batch statistics to speed up training, and is limited on variable-length "
        "sequences, where a common batch statistic is hard to compute.",
        line=36,
    ),
)


CLAIMS += [BN_IMAGES]
