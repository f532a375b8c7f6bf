"""BatchNorm: forward, normalized moments, running statistics, backward, scale invariance.

Seed 001 Q4 derives the BatchNorm formulas; every identity here is proved for a symbolic batch
size m (the indexed-sum normalizer), checked again at m = 1..6, and cross-validated against
``F.batch_norm`` / ``nn.BatchNorm1d/2d`` and ``impl/batchnorm.py`` on Hypothesis inputs.
"""

from __future__ import annotations

import dlproofs.impl.batchnorm as bn
import torch
import torch.nn.functional as F
from dlproofs.derivations import _shared as shared
from hypothesis import strategies as st
from sympy import Derivative, IndexedBase, Lambda, Rational, Sum, Symbol, sqrt, symbols

from dlproofs.claim import Claim, Derivation, Source, Step, Verdict
from dlproofs.contract import Contract, Locator
from dlproofs.numeric import Case, ClosedForm, CrossCheck, Outcome, PropertyCheck, Tolerance
from dlproofs.strategies import (
    dense_tensors,
    eps_values,
    layouts,
    offsets,
    scales,
    tensors,
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


# ── numeric cases ─────────────────────────────────────────────────────────────────────────
@st.composite
def bn_cases(draw: st.DrawFn) -> Case:
    """x in (N, C) or (N, C, H, W) with scale, offset, zeros, maybe a constant channel."""
    shape = draw(layouts())
    x_t = draw(with_constant_channel(draw(tensors(shape, scale=draw(scales()), offset=draw(offsets())))))
    c = shape[1]
    bcast = (1, c) + (1,) * (len(shape) - 2)
    dims = bn.reduce_dims(x_t)
    return {
        "x": x_t,
        "gamma": draw(tensors((c,), scale=draw(scales()))).reshape(bcast),
        "beta": draw(tensors((c,), scale=draw(scales()))).reshape(bcast),
        "g": draw(tensors(shape, scale=draw(scales()))),
        "epsilon": draw(eps_values()),
        "m": x_t.numel() // c,
        "_dims": {"i": dims, "j": dims},
    }


def _std(case: Case) -> torch.Tensor:
    x_t, dims = case["x"], case["_dims"]["i"]
    return torch.sqrt(x_t.var(dim=dims, unbiased=False, keepdim=True) + case["epsilon"])


def _centring_condition(case: Case) -> float:
    """max|x| / √(σ² + ε): how much the rounding of μ_B is amplified by the normalization."""
    return float((case["x"].abs().amax(dim=case["_dims"]["i"], keepdim=True) / _std(case)).max()) + 1


def _forward_scale(case: Case) -> float:
    m_ = case["m"]
    return m_ * _centring_condition(case) * (float(case["gamma"].abs().max()) + 1) + float(case["beta"].abs().max())


def _backward_scale(case: Case) -> float:
    m_ = case["m"]
    return (
        m_**2
        * _centring_condition(case) ** 2
        * (float(case["g"].abs().max()) + 1)
        * (float(case["gamma"].abs().max()) + 1)
        * (float((1 / _std(case)).max()) + 1)
    )


def _w(case: Case) -> torch.Tensor:
    return case["gamma"].flatten()


def _module(case: Case) -> torch.nn.Module:
    c = case["x"].shape[1]
    cls = torch.nn.BatchNorm1d if case["x"].dim() == 2 else torch.nn.BatchNorm2d
    mod = cls(c, eps=case["epsilon"], dtype=case["x"].dtype)
    with torch.no_grad():
        mod.weight.copy_(case["gamma"].flatten())
        mod.bias.copy_(case["beta"].flatten())
    return mod


# ── contract for `dlproofs conform bn.forward` ────────────────────────────────────────────
def large_offsets(scale: float) -> st.SearchStrategy[float]:
    """offsets(), or (half of the time) ±10³..10⁶ times the spread: where E[x²] − E[x]² loses
    every digit, so a one-pass variance is caught by the default run."""
    relative = st.tuples(st.sampled_from([1.0, -1.0]), st.floats(3, 6)).map(lambda t: t[0] * scale * 10.0 ** t[1])
    return st.one_of(offsets(), relative)


@st.composite
def bn_contract_inputs(draw: st.DrawFn) -> dict:
    """fn(x[N, C], gamma[C], beta[C], eps): N = 2 often, zeros, offsets, constant columns."""
    n_ = draw(st.one_of(st.just(2), st.integers(2, 6)))
    c_ = draw(st.one_of(st.just(1), st.integers(1, 4)))
    scale = draw(scales())
    x_t = draw(dense_tensors((n_, c_), scale=scale, offset=draw(large_offsets(scale))))
    if draw(st.integers(0, 3)) == 0:  # a constant column: σ²_B = 0, only ε keeps the division finite
        col = draw(st.integers(0, c_ - 1))
        x_t[:, col] = x_t[0, col]
    return {
        "x": x_t,
        "gamma": draw(dense_tensors((c_,), scale=draw(scales()))),
        "beta": draw(dense_tensors((c_,), scale=draw(scales()))),
        "eps": draw(eps_values()),
    }


def _contract_std(inp: dict) -> torch.Tensor:
    return torch.sqrt(inp["x"].var(0, unbiased=False) + inp["eps"])  # [C]


def _contract_scale(inp: dict) -> float:
    """As _forward_scale, on the contract's inputs: m = N; per channel, then the worst channel."""
    x_t = inp["x"]
    cond = x_t.abs().amax(0) / _contract_std(inp) + 1  # [C]
    return float((x_t.shape[0] * cond * (inp["gamma"].abs() + 1) + inp["beta"].abs()).max())


def _column_mask(inp: dict, per_channel: torch.Tensor) -> torch.Tensor:
    return per_channel.expand_as(inp["x"])  # [C] -> [N, C]


BN_CONTRACT = Contract(
    signature="fn(x[N, C], gamma[C], beta[C], eps) -> y[N, C]",  # training mode, biased variance
    inputs=bn_contract_inputs,
    reference=bn.batch_norm,
    tolerance=Tolerance(
        16,
        "as the cross-check: rounding of μ_B (m·u·max|x|) amplified by 1/√(σ²_B + ε) and |γ|, one more "
        "for β: scale = max over channels of N·(max|x|/√(σ²_B+ε) + 1)·(|γ| + 1) + |β|",
        _contract_scale,
    ),
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
)


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
_Y = ClosedForm(_expanded(FOLDED.lhs), (x, gamma, beta, eps, m))

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
    numeric=(
        CrossCheck(
            name="y against F.batch_norm, nn.BatchNorm1d/2d and impl",
            cases=bn_cases,
            expected=_Y,
            references={
                "impl.batchnorm.batch_norm": lambda c: bn.batch_norm(c["x"], _w(c), c["beta"].flatten(), c["epsilon"]),
                "F.batch_norm(training=True)": lambda c: F.batch_norm(
                    c["x"], None, None, _w(c), c["beta"].flatten(), training=True, eps=c["epsilon"]
                ),
                "nn.BatchNorm (train mode)": lambda c: _module(c).train()(c["x"]).detach(),
            },
            tolerance=Tolerance(
                16,
                "rounding of μ_B is up to m·u·max|x| (recursive summation), amplified by "
                "1/√(σ²_B + ε) and by |γ|; β adds one rounding: scale = m·(max|x|/√(σ²+ε) + 1)·(|γ| + 1) + |β|",
                _forward_scale,
            ),
            planted={
                "unbiased variance (divide by m − 1)": lambda c: (
                    (c["x"] - c["x"].mean(c["_dims"]["i"], keepdim=True))
                    / torch.sqrt(c["x"].var(c["_dims"]["i"], unbiased=True, keepdim=True) + c["epsilon"])
                    * c["gamma"]
                    + c["beta"]
                ),
                "ε outside the root": lambda c: (
                    (c["x"] - c["x"].mean(c["_dims"]["i"], keepdim=True))
                    / (c["x"].std(c["_dims"]["i"], unbiased=False, keepdim=True) + c["epsilon"])
                    * c["gamma"]
                    + c["beta"]
                ),
            },
            dtypes=(torch.float64, torch.float32),
        ),
    ),
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
    contract=BN_CONTRACT,
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
_RATIO = ClosedForm(_expanded(MEAN_SQUARE.rhs), (x, eps, m))


def _moments_expected(case: Case, ratio=_RATIO) -> torch.Tensor:
    r = ratio(case).flatten()
    return torch.cat([torch.zeros_like(r), r])


def _moments_of(y: torch.Tensor, case: Case) -> torch.Tensor:
    dims = case["_dims"]["i"]
    return torch.cat([y.mean(dims).flatten(), (y**2).mean(dims).flatten()])


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
            cases=bn_cases,
            expected=_moments_expected,
            references={
                "F.batch_norm": lambda c: _moments_of(
                    F.batch_norm(c["x"], None, None, training=True, eps=c["epsilon"]), c
                ),
                "impl.batchnorm.batch_norm": lambda c: _moments_of(
                    bn.batch_norm(
                        c["x"],
                        torch.ones(c["x"].shape[1], dtype=c["x"].dtype),
                        torch.zeros(c["x"].shape[1], dtype=c["x"].dtype),
                        c["epsilon"],
                    ),
                    c,
                ),
            },
            tolerance=Tolerance(
                16,
                "x̂ carries the centring error m·u·max|x|/√(σ²+ε); squaring and averaging "
                "double it at most: scale = m·(max|x|/√(σ²+ε) + 1)²",
                lambda c: c["m"] * _centring_condition(c) ** 2,
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
_RUN_MEAN = ClosedForm(_expanded((1 - momentum) * r_mean + momentum * mu), (x, r_mean, momentum, m))
_RUN_VAR = ClosedForm(_expanded((1 - momentum) * r_var + momentum * UNBIASED.rhs), (x, r_var, momentum, m))
_EVAL = ClosedForm(gamma * (x[k] - r_mean) / sqrt(r_var + eps) + beta, (x, r_mean, r_var, gamma, beta, eps))


@st.composite
def running_cases(draw: st.DrawFn) -> Case:
    """As bn_cases (N ≥ 2, so m ≥ 2 and the unbiased variance is defined), plus running μ and σ² over
    UNIT_DOMAIN with own scales 1e-3..1e3 (σ² = |·|, exact zeros: eval then leans on ε alone) and
    momentum 0.1, 0.01, 1 or 1e-3..1 (momentum 1 replaces the statistics, exposing which one is fed)."""
    case = draw(bn_cases())
    c = case["x"].shape[1]
    bcast = case["gamma"].shape
    case["r_mu"] = draw(tensors((c,), scale=draw(scales()))).reshape(bcast)
    case["r_var"] = draw(tensors((c,), scale=draw(scales()))).abs().reshape(bcast)
    case["momentum"] = draw(st.sampled_from([0.1, 0.01, 1.0]) | st.floats(0.001, 1.0))
    return case


def _bn_example(shape: tuple[int, ...], seed: int) -> Case:
    """An explicit bn_cases case of ``shape``: x, γ, β, g generic over U[−1, 1) (UNIT_DOMAIN, scale 1), ε = 1e-5."""
    gen = torch.Generator().manual_seed(seed)
    unit = lambda *sh: torch.rand(sh, generator=gen, dtype=torch.float64) * 2 - 1  # noqa: E731
    x_t = unit(*shape)
    c = shape[1]
    bcast = (1, c) + (1,) * (len(shape) - 2)
    dims = bn.reduce_dims(x_t)
    return {
        "x": x_t,
        "gamma": unit(c).reshape(bcast),
        "beta": unit(c).reshape(bcast),
        "g": unit(*shape),
        "epsilon": 1e-5,
        "m": x_t.numel() // c,
        "_dims": {"i": dims, "j": dims},
    }


def _running_example(n_: int, c: int, seed: int) -> Case:
    """An explicit running_cases case: _bn_example's [N, C] case plus running μ, σ² = |·| over U[−1, 1),
    momentum 0.1."""
    case = _bn_example((n_, c), seed)
    gen = torch.Generator().manual_seed(seed + 1)
    case["r_mu"] = torch.rand(1, c, generator=gen, dtype=torch.float64) * 2 - 1
    case["r_var"] = (torch.rand(1, c, generator=gen, dtype=torch.float64) * 2 - 1).abs()
    case["momentum"] = 0.1
    return case


def _module_after_step(case: Case) -> torch.nn.Module:
    mod = _module(case)
    mod.momentum = case["momentum"]
    with torch.no_grad():
        mod.running_mean.copy_(case["r_mu"].flatten())
        mod.running_var.copy_(case["r_var"].flatten())
    mod.train()(case["x"])
    return mod


def _running_expected(case: Case) -> torch.Tensor:
    return torch.cat([_RUN_MEAN(case).flatten(), _RUN_VAR(case).flatten()])


def _running_torch(case: Case) -> torch.Tensor:
    mod = _module_after_step(case)
    return torch.cat([mod.running_mean, mod.running_var]).detach()


def _running_impl(case: Case) -> torch.Tensor:
    rm, rv = bn.running_stats_update(case["r_mu"].flatten(), case["r_var"].flatten(), case["x"], case["momentum"])
    return torch.cat([rm, rv])


def _refuses_single_value(case: Case) -> Outcome:
    x1 = case["x"][:1, :, :1, :1] if case["x"].dim() == 4 else case["x"][:1]
    try:
        F.batch_norm(x1, None, None, training=True, eps=case["epsilon"])
    except ValueError as exc:
        return Outcome(True, 0.0, 0.0, f"ValueError: {exc}")
    return Outcome(False, 0.0, 0.0, f"input of shape {tuple(x1.shape)} (m = 1) was accepted in training")


def _accepts_single_value(case: Case) -> Outcome:
    out = _refuses_single_value(case)
    return Outcome(not out.ok, 0.0, 0.0, "planted: expected m = 1 to be accepted; " + out.detail)


def _eval_module(case: Case) -> torch.Tensor:
    mod = _module(case)
    with torch.no_grad():
        mod.running_mean.copy_(case["r_mu"].flatten())
        mod.running_var.copy_(case["r_var"].flatten())
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
                    c["m"]
                    * (float(c["x"].abs().max()) + float(c["r_var"].max()) + float(c["r_mu"].abs().max()) + 1) ** 2
                ),
            ),
            planted={
                "biased variance in the running estimate": lambda c: torch.cat(
                    [
                        _RUN_MEAN(c).flatten(),
                        (
                            (1 - c["momentum"]) * c["r_var"]
                            + c["momentum"] * c["x"].var(c["_dims"]["i"], unbiased=False, keepdim=True)
                        ).flatten(),
                    ]
                ),
                "momentum on the old value": lambda c: torch.cat(
                    [
                        (
                            c["momentum"] * c["r_mu"] + (1 - c["momentum"]) * c["x"].mean(c["_dims"]["i"], keepdim=True)
                        ).flatten(),
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
                    c["x"], c["r_mu"].flatten(), c["r_var"].flatten(), _w(c), c["beta"].flatten(), c["epsilon"]
                ),
            },
            tolerance=Tolerance(
                8,
                "one centring and one division per value: scale = (|x| + |running mean|)/√(var+ε)·|γ| + |β|",
                lambda c: (
                    float(((c["x"].abs().max() + c["r_mu"].abs().max()) / torch.sqrt(c["r_var"] + c["epsilon"])).max())
                    * (float(c["gamma"].abs().max()) + 1)
                    + float(c["beta"].abs().max())
                    + 1
                ),
            ),
            planted={
                "eval mode still uses the batch statistics": lambda c: bn.batch_norm(
                    c["x"], _w(c), c["beta"].flatten(), c["epsilon"]
                ),
            },
        ),
        PropertyCheck(
            name="training with one value per channel raises ValueError",
            cases=bn_cases,
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
_GRADS = tuple(ClosedForm(_expanded(d.rhs), (x, g, gamma, eps, m)) for d in (GRAD_X, GRAD_GAMMA, GRAD_BETA))


def _grads_expected(case: Case) -> torch.Tensor:
    return torch.cat([f(case).flatten() for f in _GRADS])


def _grads_autograd(case: Case, forward=F.batch_norm) -> torch.Tensor:
    x_t = case["x"].clone().requires_grad_(True)
    w = case["gamma"].flatten().clone().requires_grad_(True)
    b_ = case["beta"].flatten().clone().requires_grad_(True)
    if forward is F.batch_norm:
        y = F.batch_norm(x_t, None, None, w, b_, training=True, eps=case["epsilon"])
    else:
        y = forward(x_t, w, b_, case["epsilon"])
    dx, dw, db = torch.autograd.grad(y, (x_t, w, b_), case["g"])
    return torch.cat([dx.flatten(), dw.flatten(), db.flatten()])


def _grads_impl(case: Case) -> torch.Tensor:
    dx, dw, db = bn.batch_norm_backward(case["x"], case["gamma"].flatten(), case["epsilon"], case["g"])
    return torch.cat([dx.flatten(), dw, db])


def _grads_without_variance_path(case: Case) -> torch.Tensor:
    dims = case["_dims"]["i"]
    std = _std(case)
    dx = case["gamma"] / std * (case["g"] - case["g"].mean(dims, keepdim=True))
    x_hat = (case["x"] - case["x"].mean(dims, keepdim=True)) / std
    return torch.cat([dx.flatten(), (case["g"] * x_hat).sum(dims).flatten(), case["g"].sum(dims).flatten()])


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
            cases=bn_cases,
            expected=_grads_expected,
            references={
                "autograd of F.batch_norm": _grads_autograd,
                "autograd of impl.batchnorm.batch_norm": lambda c: _grads_autograd(c, bn.batch_norm),
                "impl.batchnorm.batch_norm_backward": _grads_impl,
            },
            tolerance=Tolerance(
                32,
                "the gradient sums m terms each carrying the centring error, and the "
                "x̂-term squares the centring condition; the overall 1/√(σ²+ε) sets the size: "
                "scale = m²·(max|x|/√(σ²+ε) + 1)²·(|g| + 1)·(|γ| + 1)·(1/√(σ²+ε) + 1)",
                _backward_scale,
            ),
            planted={"the σ²_B path dropped (x̂ Σgx̂ term missing)": _grads_without_variance_path},
            # run before the drawn cases: a generic [N, C, H, W] = [3, 2, 3, 2] batch (layouts' domain), where a
            # per-channel sum that lost its kept dims broadcasts along W instead of C and is compared by value
            examples=(_bn_example((3, 2, 3, 2), 13),),
        ),
    ),
    assumptions=("L depends on x only through y; g_i = ∂L/∂y_i",),
    sources=(),  # supporting: 001 line 45 states the forward formula (bn.forward), not this
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
_INVARIANT_RHS = ClosedForm(_expanded(WITH_EPS.rhs), (x, a, eps, m))


@st.composite
def scaled_cases(draw: st.DrawFn) -> Case:
    """As bn_cases, plus a > 0 from 1e-3 to 1e3 (the claim is for a > 0) and b = 0, ±1e3 or in
    [−1e3, 1e3]: ε/a² then spans from negligible to dominant, so a wrong ε rescaling shows."""
    case = draw(bn_cases())
    case["a"] = draw(scales())
    case["b"] = draw(offsets())
    return case


def _affine_scale(case: Case) -> float:
    """m·(max(max|a·x + b|, a·max|x|)/√(a²σ²_B + ε) + 1), per channel, the largest channel."""
    dims = case["_dims"]["i"]
    ax = case["a"] * case["x"]
    size = torch.maximum((ax + case["b"]).abs().amax(dims, keepdim=True), ax.abs().amax(dims, keepdim=True))
    std = torch.sqrt(case["a"] ** 2 * case["x"].var(dims, unbiased=False, keepdim=True) + case["epsilon"])
    return case["m"] * (float((size / std).max()) + 1)


def _bn_of_affine(case: Case) -> torch.Tensor:
    return F.batch_norm(case["a"] * case["x"] + case["b"], None, None, training=True, eps=case["epsilon"])


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
                    c["x"], None, None, training=True, eps=c["epsilon"]
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
# These records were written in the grab-bag modules seedchecks.py and seedclaims.py, so their page
# depended on where they happened to be written. Their old links (proofs/seedchecks.md#<id>,
# proofs/seedclaims.md#<id>) are generated stub anchors that link on to this page
# (derivations/_moved.py). Records and evidence are unchanged.


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
