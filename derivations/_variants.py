"""Known wrong formulas (and conventions) of the contracts, for ``dlproofs conform``'s diagnoses.

Each tuple is one contract's ``variants=``: a :class:`~dlproofs.contract.Variant` takes the
contract's inputs positionally, like its reference, and computes what the mistake computes. They
are the mistakes of the contract's gallery (examples/conform/) and of the real code the issue-12
survey found; where impl/ already computes the same formula (a multi-head with one head, x @ w
instead of x @ w.T, the proximal L1 step, the L2 step) it is called, not rewritten. A helper
module (its name starts with _): it declares no claims.
"""

from __future__ import annotations

import math

import dlproofs.impl.activations as act
import dlproofs.impl.attention as att
import dlproofs.impl.regularization as reg
import torch

from dlproofs.contract import Variant

__all__ = ["RELU_BACKWARD", "SDPA", "MULTI_HEAD", "BN_FORWARD", "LN_FORWARD", "L1_UPDATE", "L2_UPDATE"]
__all__ += ["L1_PENALTY_GRAD", "L2_PENALTY_GRAD"]


# ── relu.backward: fn(z, grad_out) ─────────────────────────────────────────────────────────
RELU_BACKWARD = (
    Variant(
        label="relu'(0) = 1 (the gradient passed at z == 0: 1[z ≥ 0])",
        formula=lambda z, g: g * (z >= 0),
        why="a valid subgradient at 0, and what autograd of z.clamp(min=0) or heaviside(z, 1) gives; "
        "torch.relu's backward, which the contract follows, gives 0",
        convention=True,
    ),
    Variant(
        label="relu'(0) = 1/2 (autograd of torch.maximum(z, 0) splits the tie)",
        formula=lambda z, g: g * torch.where(z > 0, 1.0, torch.where(z == 0, 0.5, 0.0)).to(g.dtype),
        why="a valid subgradient at 0; torch.relu's backward, which the contract follows, gives 0",
        convention=True,
    ),
    Variant(
        label="masked by grad_out > 0 instead of z > 0",
        formula=lambda z, g: act.relu_backward(g, g),
        why="the mask must come from the forward input z, not from the incoming gradient",
    ),
    Variant(
        label="LeakyReLU's gradient (slope 0.01 for z < 0)",
        formula=lambda z, g: torch.where(z > 0, g, 0.01 * g),
    ),
    Variant(
        label="sign(z) used as the derivative (−1 for z < 0)",
        formula=lambda z, g: g * torch.sign(z),
    ),
)


# ── attention.sdpa: fn(q, k, v) ────────────────────────────────────────────────────────────
def _attend(q, k, v, scale: float, *, dim: int = -1, after: bool = False):
    """softmax(scale·q kᵀ) v, with the softmax over ``dim`` or the scale after it."""
    scores = q @ k.transpose(-2, -1)  # [B, n, m]
    if after:
        return torch.softmax(scores, dim=-1) * scale @ v
    return torch.softmax(scores * scale, dim=dim) @ v


SDPA = (
    Variant(
        label="scores divided by d_k instead of √d_k",
        formula=lambda q, k, v: _attend(q, k, v, 1 / q.shape[-1]),
        why="the scale is 1/√d_k: it keeps the logits' variance at 1 for unit-variance q, k",
    ),
    Variant(
        label="scores divided by √d_v instead of √d_k",
        formula=lambda q, k, v: _attend(q, k, v, 1 / math.sqrt(v.shape[-1])),
        why="the scale uses the key dimension; the two agree only when d_v = d_k",
    ),
    Variant(
        label="the scale applied after the softmax",
        formula=lambda q, k, v: _attend(q, k, v, 1 / math.sqrt(q.shape[-1]), after=True),
        why="scaling the weights after the softmax makes them sum to 1/√d_k instead of 1",
    ),
    Variant(label="no scale (softmax(q kᵀ) v)", formula=lambda q, k, v: _attend(q, k, v, 1.0)),
    Variant(
        label="scores divided by √m (the number of keys) instead of √d_k",
        formula=lambda q, k, v: _attend(q, k, v, 1 / math.sqrt(k.shape[-2])),
    ),
    Variant(
        label="softmax over the queries (dim 1) instead of the keys",
        formula=lambda q, k, v: _attend(q, k, v, 1 / math.sqrt(q.shape[-1]), dim=-2),
    ),
    Variant(
        label="a causal mask the contract does not ask for",
        formula=lambda q, k, v: att.sdpa(q, k, v, attn_mask=att.causal_mask(q.shape[-2], k.shape[-2])),
        why="is_causal=True (or a tril mask) left in: the contract is unmasked attention",
    ),
)


# ── attention.multi-head: fn(x, w_q, w_k, w_v, num_heads) ───────────────────────────────────
def _heads(x, w_q, w_k, w_v, h, *, split_transpose: bool = True, merge_transpose: bool = True):
    """Multi-head attention with the head split and/or merge done by a plain reshape (no transpose)."""
    b, n, d = x.shape
    q, k, v = (x @ w.T for w in (w_q, w_k, w_v))
    if split_transpose:
        q, k, v = (t.view(b, n, h, d // h).transpose(1, 2) for t in (q, k, v))
    else:
        q, k, v = (t.reshape(b, h, n, d // h) for t in (q, k, v))
    out = att.sdpa(q, k, v)  # [B, h, n, d_h]
    return out.transpose(1, 2).reshape(b, n, d) if merge_transpose else out.reshape(b, n, d)


MULTI_HEAD = (
    Variant(
        label="each head scaled by 1/√d_model instead of 1/√d_head",
        # 1/√d_model = 1/√d_head · 1/√h: the queries scaled by 1/√h
        formula=lambda x, w_q, w_k, w_v, h: att.multi_head(x, w_q / math.sqrt(h), w_k, w_v, h),
        why="each head attends in d_head = d_model/num_heads dimensions; right only with one head",
    ),
    Variant(
        label="heads split without the transpose (view(B, h, n, d_head) of [B, n, d_model])",
        formula=lambda x, w_q, w_k, w_v, h: _heads(x, w_q, w_k, w_v, h, split_transpose=False, merge_transpose=False),
        why="a head then takes slices across tokens, not a slice of every token's features",
    ),
    Variant(
        label="heads merged without the transpose (reshape of [B, h, n, d_head])",
        formula=lambda x, w_q, w_k, w_v, h: _heads(x, w_q, w_k, w_v, h, merge_transpose=False),
        why="[B, h, n, d_head] must be transposed to [B, n, h, d_head] before the reshape to [B, n, d_model]",
    ),
    Variant(
        label="weights applied as x @ w instead of x @ w.T",
        formula=lambda x, w_q, w_k, w_v, h: att.multi_head(x, w_q.T, w_k.T, w_v.T, h),
        why="the contract's weights are nn.Linear's [out, in], applied as x @ w.T",
    ),
    Variant(
        label="one head of size d_model (num_heads ignored)",
        formula=lambda x, w_q, w_k, w_v, h: att.multi_head(x, w_q, w_k, w_v, 1),
    ),
)


# ── bn.forward fn(x[N, C], gamma, beta, eps) and ln.forward fn(x[N, D], gamma, beta, eps) ───
def _norm(x, gamma, beta, eps, dims, *, unbiased=False, eps_outside=False, eps_=None, one_pass=False, mad=False):
    """γ·(x − μ)/s + β with the statistics over ``dims`` and s = √(σ² + ε), or one of its mistakes:
    the unbiased σ², ε added to σ (``eps_outside``), ε = ``eps_`` instead of eps (None: the argument),
    σ² = E[x²] − E[x]² (``one_pass``), the mean absolute deviation + ε (``mad``)."""
    eps = eps if eps_ is None else eps_
    mu = x.mean(dims, keepdim=True)
    if one_pass:
        s = torch.sqrt((x * x).mean(dims, keepdim=True) - mu * mu + eps)
    elif mad:
        s = (x - mu).abs().mean(dims, keepdim=True) + eps
    elif eps_outside:
        s = x.std(dims, unbiased=unbiased, keepdim=True) + eps
    else:
        s = torch.sqrt(x.var(dims, unbiased=unbiased, keepdim=True) + eps)
    return gamma * (x - mu) / s + beta


def _norm_variants(axis: int, size: str, other: str) -> tuple[Variant, ...]:
    """The normalization mistakes shared by BatchNorm (statistics over axis 0, N values) and
    LayerNorm (over axis 1, D values); ``other`` names the other norm's axis."""
    dims = (axis,)
    return (
        Variant(
            label=f"unbiased variance (divide by {size} − 1)",
            formula=lambda x, g, b, e: _norm(x, g, b, e, dims, unbiased=True),
            why="torch.var and x.std default to correction=1, np.var(ddof=1) likewise; the normalization uses the "
            f"biased variance, divided by {size}",
        ),
        Variant(
            label="ε outside the root ((x − μ)/(σ + ε))",
            formula=lambda x, g, b, e: _norm(x, g, b, e, dims, eps_outside=True),
            why="ε belongs inside the root: (x − μ)/√(σ² + ε)",
        ),
        Variant(
            label="unbiased std with ε added to it ((x − μ)/(σ̂ + ε), the Annotated Transformer's LayerNorm)",
            formula=lambda x, g, b, e: _norm(x, g, b, e, dims, unbiased=True, eps_outside=True),
            why=f"two departures: σ̂ divides by {size} − 1, and ε is added outside the root",
        ),
        Variant(
            label="no ε ((x − μ)/σ)",
            formula=lambda x, g, b, e: _norm(x, g, b, e, dims, eps_=0.0),
            why="without ε a constant slice gives 0/0 = NaN",
        ),
        Variant(
            label="ε fixed at 1e-5 (the eps argument ignored)",
            formula=lambda x, g, b, e: _norm(x, g, b, e, dims, eps_=1e-5),
            why="1e-5 is torch's default ε; the contract passes ε as an argument and holds code to it",
            convention=True,
        ),
        Variant(
            label=f"statistics over the {other} axis instead",
            formula=lambda x, g, b, e: _norm(x, g, b, e, (1 - axis,)),
        ),
        Variant(
            label="one mean and variance for the whole tensor",
            formula=lambda x, g, b, e: _norm(x, g, b, e, (0, 1)),
        ),
        Variant(
            label="one-pass variance E[x²] − E[x]² (loses digits under a large common offset)",
            formula=lambda x, g, b, e: _norm(x, g, b, e, dims, one_pass=True),
            why="a rounding failure: it matches only code that rounds in the same order (mean of x·x, minus μ·μ)",
        ),
        Variant(
            label="divided by the mean absolute deviation instead of the standard deviation",
            formula=lambda x, g, b, e: _norm(x, g, b, e, dims, mad=True),
        ),
        Variant(label="γ and β swapped", formula=lambda x, g, b, e: _norm(x, b, g, e, dims)),
    )


BN_FORWARD = (
    *_norm_variants(0, "N", "feature (LayerNorm's)"),
    Variant(
        label="eval mode: a fresh module's running statistics (mean 0, variance 1) instead of the batch's",
        formula=lambda x, g, b, e: g * x / math.sqrt(1 + e) + b,
        why="nn.BatchNorm in eval() normalizes with running_mean/running_var; the contract is training mode",
    ),
)
LN_FORWARD = _norm_variants(1, "D", "batch (BatchNorm's)")


# ── reg.l1.update / reg.l2.update: fn(theta, grad, lr, lam) ────────────────────────────────
L1_UPDATE = (
    Variant(
        label="sign(0) = 1 (a weight at exactly 0 pushed to −lr·λ)",
        formula=lambda t, g, lr, lam: t - lr * (g + lam * torch.where(t >= 0, 1.0, -1.0).to(t.dtype)),
        why="1 is a valid subgradient of |θ| at 0, but it moves weights at exactly 0 off zero every step, so "
        "the update never keeps an exact zero (an L1 update later fixed upstream); the contract takes sign(0) = 0",
    ),
    Variant(
        label="sign θ computed as θ/|θ| or through √(θ²) (NaN at θ == 0)",
        formula=lambda t, g, lr, lam: t - lr * (g + lam * t / t.abs()),
        why="0/0 (or autograd's 0·∞) at an exact zero",
    ),
    Variant(
        label="the proximal (soft-threshold, ISTA) step instead of the subgradient step",
        formula=reg.soft_threshold_update,
        why="a different, legitimate L1 algorithm (it lands on 0 instead of overshooting); the contract is "
        "one SGD step on the subgradient",
        convention=True,
    ),
    Variant(
        label="decay without the learning rate (θ − lr·grad − λ·sign θ)",
        formula=lambda t, g, lr, lam: t - lr * g - lam * torch.sign(t),
    ),
    Variant(label="the L2 penalty's gradient λθ instead of λ·sign θ", formula=reg.l2_update),
    Variant(
        label="penalty with the wrong sign (θ − lr(grad − λ·sign θ))",
        formula=lambda t, g, lr, lam: t - lr * (g - lam * torch.sign(t)),
        why="the penalty's gradient is added to the loss gradient (seen in numpy-ml's logistic regression)",
    ),
)

L2_UPDATE = (
    Variant(
        label="2λθ in the gradient (the penalty λ‖θ‖² instead of (λ/2)‖θ‖²)",
        formula=lambda t, g, lr, lam: reg.l2_update(t, g, lr, 2 * lam),
        why="the same regularizer with λ doubled (Keras-style λ‖θ‖²); the contract's λ is the coefficient of "
        "(λ/2)‖θ‖², as torch.optim.SGD's weight_decay",
        convention=True,
    ),
    Variant(
        label="decay without the learning rate (θ − lr·grad − λθ)",
        formula=lambda t, g, lr, lam: t - lr * g - lam * t,
        why="the decay term is multiplied by lr in SGD's weight decay; decoupled (AdamW-style) decay also scales "
        "λ by lr",
    ),
    Variant(
        label="a step up the gradient ((1 − lr·λ)θ + lr·grad)",
        formula=lambda t, g, lr, lam: (1 - lr * lam) * t + lr * g,
    ),
    Variant(
        label="penalty with the wrong sign (θ − lr(grad − λθ))",
        formula=lambda t, g, lr, lam: t - lr * (g - lam * t),
        why="the penalty's gradient is added to the loss gradient (seen in numpy-ml's logistic regression)",
    ),
    Variant(
        label="decay applied after the step ((1 − lr·λ)(θ − lr·grad))",
        formula=lambda t, g, lr, lam: (1 - lr * lam) * (t - lr * g),
    ),
)


# ── reg.l1.penalty-grad / reg.l2.penalty-grad: fn(theta, lam) ─────────────────────────────
L1_PENALTY_GRAD = (
    Variant(
        label="sign(0) = 1 (λ at a weight that is exactly 0)",
        formula=lambda t, lam: lam * torch.where(t >= 0, 1.0, -1.0).to(t.dtype),
        why="1 is a valid subgradient of |θ| at 0, but it moves weights at exactly 0 off zero every step; the "
        "contract takes sign(0) = 0 (torch.sign, autograd of abs)",
        convention=True,
    ),
    Variant(
        label="sign θ computed as θ/|θ| (NaN at θ == 0)",
        formula=lambda t, lam: lam * t / t.abs(),
        why="0/0 at an exact zero",
    ),
    Variant(label="the L2 penalty's gradient λθ instead of λ·sign θ", formula=reg.l2_penalty_grad),
    Variant(
        label="penalty gradient with the wrong sign (−λ·sign θ)",
        formula=lambda t, lam: -lam * torch.sign(t),
        why="the gradient of −R: a step along it grows the weights (numpy-ml's logistic regression adds it so)",
    ),
)

L2_PENALTY_GRAD = (
    Variant(
        label="2λθ (the gradient of λ‖θ‖² instead of (λ/2)‖θ‖²)",
        formula=lambda t, lam: 2 * lam * t,
        why="the same regularizer with λ doubled (Keras-style λ‖θ‖²); the contract's λ is the coefficient of "
        "(λ/2)‖θ‖², as torch.optim.SGD's weight_decay",
        convention=True,
    ),
    Variant(
        label="penalty gradient with the wrong sign (−λθ)",
        formula=lambda t, lam: -lam * t,
        why="the gradient of −R: a step along it grows the weights (numpy-ml's logistic regression adds it so)",
    ),
    Variant(label="the L1 penalty's gradient λ·sign θ instead of λθ", formula=reg.l1_penalty_grad),
    Variant(label="λ/2·θ (the 1/2 kept, the 2 of θ² dropped)", formula=lambda t, lam: lam / 2 * t),
)


# ── relu.derivative: fn(z) ──────────────────────────────────────────────────────────────────
RELU_DERIVATIVE = (
    Variant(
        label="relu'(0) = 1 (1[z ≥ 0])",
        formula=lambda z: (z >= 0).to(z.dtype),
        why="a valid subgradient at 0, and what autograd of z.clamp(min=0) gives; torch.relu's backward, which the "
        "contract follows, gives 0",
        convention=True,
    ),
    Variant(
        label="relu'(0) = 1/2 (SymPy's Heaviside(0), autograd of torch.maximum(z, 0))",
        formula=lambda z: torch.where(z > 0, 1.0, torch.where(z == 0, 0.5, 0.0)).to(z.dtype),
        why="a valid subgradient at 0; torch.relu's backward, which the contract follows, gives 0",
        convention=True,
    ),
    Variant(label="sign(z) used as the derivative (−1 for z < 0)", formula=torch.sign),
    Variant(
        label="LeakyReLU's derivative (0.01 for z < 0)",
        formula=lambda z: torch.where(z > 0, 1.0, 0.01).to(z.dtype),
    ),
    Variant(label="relu(z) itself instead of its derivative", formula=torch.relu),
)
__all__ += ["RELU_DERIVATIVE"]
