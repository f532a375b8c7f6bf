"""Softmax cross-entropy: its gradient is softmax(z) − onehot(y), divided by N for the mean.

Issue 12 asks for a contract on the classic backward of softmax + cross-entropy (cs231n's
``softmax_loss``, llm.c's ``crossentropy_softmax_backward``). Per row, ℓ = −log p_y =
log Σ_j e^{z_j} − z_y, and ∂ℓ/∂z_l = p_l − δ_ly, proved for a symbolic number K of classes;
the batch loss is the mean (F.cross_entropy's default) or the sum of the N row losses, and
∂/∂ℓ_r of the mean is 1/N (of the sum, 1), proved for a symbolic N. The two reductions differ
by exactly the factor N, the mistake the contracts' Variants name.
"""

from __future__ import annotations

import dlproofs.impl.softmax as smx
import torch
import torch.nn.functional as F
from dlproofs.derivations.softmax import _P, OUT_OF_EXP_RANGE, logit_offsets
from hypothesis import strategies as st
from sympy import Derivative, IndexedBase, KroneckerDelta, Lambda, S, Sum, Symbol, exp, log, symbols

from dlproofs.claim import Claim, Derivation, Step, Verdict
from dlproofs.contract import Contract, Locator, Variant
from dlproofs.numeric import Case, CrossCheck, Tolerance
from dlproofs.strategies import dense_tensors, scales
from dlproofs.sums import Index

# ── symbols: one row's K logits z[1..K], its label y; the batch's N row losses ell[1..N] ────
z = IndexedBase("z", real=True)
p = IndexedBase("p", positive=True)
ell = IndexedBase("ell", real=True)  # ℓ_i, the loss of row i
j, u, i = symbols("j u i", integer=True, positive=True)
K = Symbol("K", integer=True, positive=True)  # classes
N = Symbol("N", integer=True, positive=True)  # rows (the batch)
l_, y = Index("l", 1, K), Index("y", 1, K)  # a class differentiated by; the row's label (premises the proof lists)
r = Index("r", 1, N)  # the row differentiated by

LATEX = {ell: r"\ell", l_: "l"}

Z = Sum(exp(z[j]), (j, 1, K))
WHERE = ((p, Lambda(u, exp(z[u]) / Z)),)

# ── the row: ℓ = −log p_y, ∂ℓ/∂z_l = p_l − δ_ly ───────────────────────────────────────────
ROW_LOSS = Derivation(
    "ℓ = −log p_y",
    -log(p[y]),
    (
        Step(
            log(Z) - z[y],
            "log of a quotient",
            "−log(e^{z_y}/Σ_j e^{z_j}) = log Σ_j e^{z_j} − z_y: log-sum-exp minus the label's logit.",
        ),
    ),
    sizes={K: range(1, 6)},
    pins={y: 1},
    where=WHERE,
)
ROW_GRAD = Derivation(
    "∂ℓ/∂z_l",
    Derivative(log(Z) - z[y], z[l_]),
    (
        Step(
            exp(z[l_]) / Z - KroneckerDelta(y, l_),
            "chain rule",
            "∂ log Σ_j e^{z_j}/∂z_l = e^{z_l}/Σ_j e^{z_j}, and ∂z_y/∂z_l = δ_ly.",
        ),
        Step(
            p[l_] - KroneckerDelta(l_, y),
            "definition of p",
            "∂ℓ/∂z = softmax(z) − onehot(y): the softmax's own Jacobian (softmax.jacobian) is folded into this "
            "one subtraction, which is why frameworks fuse the two.",
        ),
    ),
    sizes={K: range(1, 6)},
    pins={l_: 1, y: 1},
    where=WHERE,
)

# ── the batch: mean (1/N) or sum (1) ──────────────────────────────────────────────────────
MEAN = Derivation(
    "∂L/∂ℓ_r, L = (1/N)Σ_i ℓ_i",
    Derivative(Sum(ell[i], (i, 1, N)) / N, ell[r]),
    (
        Step(
            1 / N,
            "one term of the sum",
            "Only ℓ_r depends on row r's logits, so ∂L/∂z_{r,l} = (1/N)·∂ℓ_r/∂z_{r,l} = (p_{r,l} − δ_{l,y_r})/N.",
        ),
    ),
    sizes={N: range(1, 6)},
    pins={r: 1},
)
SUM = Derivation(
    "∂L/∂ℓ_r, L = Σ_i ℓ_i",
    Derivative(Sum(ell[i], (i, 1, N)), ell[r]),
    (
        Step(
            S.One,
            "one term of the sum",
            "So ∂L/∂z_{r,l} = p_{r,l} − δ_{l,y_r}, with no 1/N: N times the mean's gradient.",
        ),
    ),
    sizes={N: range(1, 6)},
    pins={r: 1},
)


# ── numeric inputs: fn(z[N, K], y[N] int64) ──────────────────────────────────────────────
@st.composite
def xent_inputs(draw: st.DrawFn) -> Case:
    """z [N, K], N = 1..5 (2 often), K = 1..8 (3 often; N ≠ K often enough that /K for /N shows); row r is
    o_r + scale·u over UNIT_DOMAIN with one scale 1e-3..1e3 and its own offset o_r (none, ±1e3, ±1e4 or in
    between, so |z| ≤ 1.1e4: a softmax that does not subtract the row maximum overflows); y [N] int64 labels in
    0..K−1, each drawn on its own (so the label's logit is sometimes the largest, sometimes not)."""
    rows = draw(st.one_of(st.just(2), st.integers(1, 5)))
    size = draw(st.one_of(st.just(3), st.integers(1, 8)))
    scale = draw(scales())
    zt = torch.stack([draw(dense_tensors((size,), scale=scale, offset=draw(logit_offsets()))) for _ in range(rows)])
    labels = draw(st.lists(st.integers(0, size - 1), min_size=rows, max_size=rows))
    return {"z": zt, "y": torch.tensor(labels, dtype=torch.int64)}


def _labels(yt: torch.Tensor) -> torch.Tensor:
    """y as int64: CrossCheck.evaluate casts every tensor of a case to the dtype under test, labels included
    (conform passes them as drawn, int64); the labels are small integers, so the round trip is exact."""
    return yt.long()


def _onehot(zt: torch.Tensor, yt: torch.Tensor) -> torch.Tensor:
    return F.one_hot(_labels(yt), zt.shape[-1]).to(zt.dtype)  # [N] -> [N, K]


def _row_grad(case: Case) -> torch.Tensor:
    """p − onehot(y) per row: ROW_GRAD's right side, p by softmax.forward's shifted (overflow-free) form."""
    return _P(case) - _onehot(case["z"], case["y"])


def _autograd_ce(zt: torch.Tensor, yt: torch.Tensor, reduction: str) -> torch.Tensor:
    zz = zt.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(F.cross_entropy(zz, _labels(yt), reduction=reduction), zz)
    return grad


def _autograd_nll(zt: torch.Tensor, yt: torch.Tensor, reduction: str) -> torch.Tensor:
    zz = zt.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(F.nll_loss(F.log_softmax(zz, dim=-1), _labels(yt), reduction=reduction), zz)
    return grad


def _scale(case: Case) -> float:
    """The forward's K·(1 + max|z|): p's rounding, which the gradient p − onehot carries unchanged."""
    zt = case["z"]
    return zt.shape[-1] * (1 + float(zt.abs().max()))


def _naive_grad(zt: torch.Tensor, yt: torch.Tensor) -> torch.Tensor:
    e = torch.exp(zt)  # no max subtraction: inf/inf = NaN above z ≈ 709.78
    return e / e.sum(dim=-1, keepdim=True) - _onehot(zt, yt)


def _variants(n_of: str) -> tuple[Variant, ...]:
    """The mistakes of both reductions; ``n_of`` says how the contract's own gradient is divided ("N" or "1")."""

    def div(g: torch.Tensor, zt: torch.Tensor) -> torch.Tensor:
        return g / zt.shape[0] if n_of == "N" else g

    def soft(zt: torch.Tensor) -> torch.Tensor:
        return torch.softmax(zt, dim=-1)

    wrong_reduction = (
        Variant(
            label="sum reduction: the gradient of Σ_i ℓ_i, N times too large (no 1/N)",
            formula=lambda zt, yt: soft(zt) - _onehot(zt, yt),
            why="reduction='sum', or the 1/N of the mean forgotten in a hand-written backward",
        )
        if n_of == "N"
        else Variant(
            label="mean reduction: divided by N",
            formula=lambda zt, yt: (soft(zt) - _onehot(zt, yt)) / zt.shape[0],
            why="F.cross_entropy's default reduction='mean' where the summed loss is meant",
        )
    )
    return (
        wrong_reduction,
        Variant(
            label="softmax missing: z − onehot(y)",
            formula=lambda zt, yt: div(zt - _onehot(zt, yt), zt),
            why="the logits used where the probabilities belong",
        ),
        Variant(
            label="sign flipped: onehot(y) − softmax(z) (the descent direction, not the gradient)",
            formula=lambda zt, yt: div(_onehot(zt, yt) - soft(zt), zt),
            why="−∂ℓ/∂z returned, as if the update step were folded in",
        ),
        Variant(
            label="log-softmax in place of softmax: log_softmax(z) − onehot(y)",
            formula=lambda zt, yt: div(torch.log_softmax(zt, dim=-1) - _onehot(zt, yt), zt),
            why="log p (what the loss is computed from) used where p belongs",
        ),
        Variant(
            label="no max subtraction in the softmax: NaN for logits above ~709.78",
            formula=lambda zt, yt: div(_naive_grad(zt, yt), zt),
            why="e^z/Σe^z overflows float64",
        ),
    ) + (
        (
            Variant(
                label="divided by K (classes) instead of N (rows)",
                formula=lambda zt, yt: (soft(zt) - _onehot(zt, yt)) / zt.shape[1],
                why="z.shape[1] for z.shape[0]: right only when N = K",
            ),
        )
        if n_of == "N"
        else ()
    )


def _planted(variants: tuple[Variant, ...]) -> dict:
    return {v.label: (lambda case, f=v.formula: f(*case.values())) for v in variants}


MEAN_VARIANTS, SUM_VARIANTS = _variants("N"), _variants("1")
N_NOT_K = Locator("only when N != K (rows and classes confused?)", lambda inp: inp["z"].shape[0] != inp["z"].shape[1])
MANY_ROWS = Locator("only when N > 1 (the reduction: 1/N?)", lambda inp: inp["z"].shape[0] > 1)

MEAN_CHECK = CrossCheck(
    name="(softmax(z) − onehot(y))/N against autograd of F.cross_entropy (mean) and impl",
    cases=xent_inputs,
    expected=lambda case: _row_grad(case) / case["z"].shape[0],
    references={
        "impl.softmax.xent_grad(reduction='mean')": lambda zt, yt: smx.xent_grad(zt, _labels(yt), "mean"),
        "autograd of F.cross_entropy(reduction='mean')": lambda zt, yt: _autograd_ce(zt, yt, "mean"),
        "autograd of F.nll_loss(F.log_softmax(z), y)": lambda zt, yt: _autograd_nll(zt, yt, "mean"),
    },
    positional=True,
    tolerance=Tolerance(
        8,
        "each entry is (p − onehot)/N with p carrying the forward's K·(1 + max|z|) roundings (softmax.forward); "
        "dividing by N adds one: scale = K·(1 + max|z|)/N. float64 only: the labels are int64 and stay so",
        lambda case: _scale(case) / case["z"].shape[0],
    ),
    planted=_planted(MEAN_VARIANTS),
)
SUM_CHECK = CrossCheck(
    name="softmax(z) − onehot(y) against autograd of F.cross_entropy (sum) and impl",
    cases=xent_inputs,
    expected=_row_grad,
    references={
        "impl.softmax.xent_grad(reduction='sum')": lambda zt, yt: smx.xent_grad(zt, _labels(yt), "sum"),
        "autograd of F.cross_entropy(reduction='sum')": lambda zt, yt: _autograd_ce(zt, yt, "sum"),
        "autograd of F.nll_loss(F.log_softmax(z), y, reduction='sum')": lambda zt, yt: _autograd_nll(zt, yt, "sum"),
    },
    positional=True,
    tolerance=Tolerance(
        8,
        "each entry is p − onehot with p carrying the forward's K·(1 + max|z|) roundings (softmax.forward): "
        "scale = K·(1 + max|z|). float64 only: the labels are int64 and stay so",
        _scale,
    ),
    planted=_planted(SUM_VARIANTS),
)

XENT_GRAD = Claim(
    id="xent.grad",
    title="∂/∂z of the mean softmax cross-entropy is (softmax(z) − onehot(y))/N",
    verdict=Verdict.PROVED,
    summary=(
        "For logits z [N, K] and integer labels y [N], L = (1/N)Σ_i −log softmax(z_i)_{y_i} (F.cross_entropy's "
        "default reduction) has ∂L/∂z = (softmax(z) − onehot(y))/N. Per row, −log p_y = log Σ_j e^{z_j} − z_y and "
        "its gradient is p − onehot(y), proved for a symbolic number K of classes; the mean contributes 1/N, proved "
        "for a symbolic N. Checked against autograd of F.cross_entropy and of nll_loss(log_softmax), and "
        "impl.softmax.xent_grad, on logits up to 1.1e4 in magnitude."
    ),
    derivations=(ROW_LOSS, ROW_GRAD, MEAN),
    numeric=(MEAN_CHECK,),
    assumptions=("z real, y_i ∈ {0, …, K−1}; mean over the N rows; no class weights, no label smoothing",),
    uses=("softmax.forward",),
    notes=(
        "Labels are 0-based in code (y ∈ 0..K−1) and 1-based in the derivation (y ∈ 1..K); the expected value uses "
        "softmax.forward's shifted form for p, so it stays finite for large logits. xent.grad-sum is the same "
        "gradient without the 1/N.",
    ),
    contract=Contract.of(
        MEAN_CHECK,
        signature="fn(z[N, K], y[N] int64) -> dz[N, K]  # ∂/∂z of F.cross_entropy(z, y) (mean): (softmax(z) − onehot(y))/N",
        reference="impl.softmax.xent_grad(reduction='mean')",
        locators=(MANY_ROWS, N_NOT_K, OUT_OF_EXP_RANGE),
        variants=MEAN_VARIANTS,
    ),
)
XENT_GRAD_SUM = Claim(
    id="xent.grad-sum",
    title="∂/∂z of the summed softmax cross-entropy is softmax(z) − onehot(y)",
    verdict=Verdict.PROVED,
    summary=(
        "With reduction='sum', L = Σ_i −log softmax(z_i)_{y_i} and ∂L/∂z = softmax(z) − onehot(y): the per-row "
        "gradient (proved for symbolic K) with ∂L/∂ℓ_r = 1 (proved for symbolic N), N times the mean's gradient "
        "(xent.grad). Checked against autograd of F.cross_entropy(reduction='sum') and impl.softmax.xent_grad."
    ),
    derivations=(ROW_LOSS, ROW_GRAD, SUM),
    numeric=(SUM_CHECK,),
    assumptions=("z real, y_i ∈ {0, …, K−1}; sum over the N rows; no class weights, no label smoothing",),
    uses=("softmax.forward",),
    contract=Contract.of(
        SUM_CHECK,
        signature="fn(z[N, K], y[N] int64) -> dz[N, K]  # ∂/∂z of F.cross_entropy(z, y, reduction='sum'): softmax(z) − onehot(y)",
        reference="impl.softmax.xent_grad(reduction='sum')",
        locators=(MANY_ROWS, N_NOT_K, OUT_OF_EXP_RANGE),
        variants=SUM_VARIANTS,
    ),
)

# the id prefixes this topic owns
PREFIXES = ("xent",)

CLAIMS = [XENT_GRAD, XENT_GRAD_SUM]
