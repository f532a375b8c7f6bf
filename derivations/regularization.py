"""L1 / L2 regularization and the SGD update (seed 001 Q6).

The seed derives ∂/∂θ of L + λ‖θ‖₁ and of L + (λ/2)‖θ‖₂², the two SGD updates, and two
behavioural claims: L1 "shrinks by a fixed step and sets small weights to 0" (sparsity), L2
"shrinks in proportion to the weight and never gives exact zeros". The gradients and updates are
proved (L2 for a symbolic number n of parameters through the sum normalizer; L1 per coordinate,
since |θ_i| is not a power sum and only the k-th term of Σ|θ_i| depends on θ_k) and checked
against impl/, autograd and torch.optim. The behavioural claims are decided with evidence:
the seed's subgradient update does *not* set small weights to 0 (it flips their sign), the
proximal step does; L2 decay never reaches 0 only under named conditions. Finally
"L2 regularization = weight decay" holds for SGD and fails for Adam (Adam vs AdamW).

Symbols: θ = theta[1..n] the parameters, g = grad[1..n] = ∇L(θ) the loss gradient, η = lr,
λ = lam. Numeric cases use the same names as keys, so each closed form is lambdified as is.
"""

from __future__ import annotations

import dataclasses
import functools
import math

import dlproofs.impl.regularization as reg
import sympy as sp
import torch
import torch.nn.functional as F
from dlproofs.derivations import _shared as shared
from dlproofs.derivations import _variants as variants
from hypothesis import strategies as st
from sympy import Abs, And, Derivative, Eq, Gt, IndexedBase, Lt, Max, Ne, Rational, Sum, Symbol, sign, symbols

from dlproofs import optim_targets as optim
from dlproofs.claim import Claim, Counterexample, Derivation, Premise, Sentence, Source, Step, Verdict, Witness
from dlproofs.contract import Contract, Locator
from dlproofs.lemmas import Certificate
from dlproofs.numeric import Case, ClosedForm, CrossCheck, Outcome, PropertyCheck, Tolerance
from dlproofs.strategies import narrowed, units
from dlproofs.sums import Index

# ── symbols ───────────────────────────────────────────────────────────────────────────────
theta = IndexedBase("theta", real=True)  # parameters θ_1..θ_n
grad = IndexedBase("grad", real=True)  # g_i = ∂L/∂θ_i at the current θ
i = Symbol("i", integer=True, positive=True)
n = Symbol("n", integer=True, positive=True)  # number of parameters, symbolic
k = Index("k", 1, n)  # the parameter differentiated by: declared in 1..n (a premise the proof lists)
lr = Symbol("lr", positive=True)  # η
lam = Symbol("lam", nonnegative=True)  # λ
t = Symbol("t", integer=True, nonnegative=True)  # step count
theta0 = Symbol("theta_0", real=True)
theta_t = Symbol("theta_t", real=True)
# prox objective F(x) = (x − u)²/2 + c|x|, c = ηλ; s ≥ 0 parametrizes the branch
x_, u_ = symbols("x u", real=True)
s_ = Symbol("s", nonnegative=True)
c_ = Symbol("c", positive=True)
# Adam's first step
eps = Symbol("epsilon", positive=True)
th_s, g_s = symbols("theta grad", real=True)  # scalar θ, g for the Adam closed forms

LATEX = {
    theta: r"\theta",
    grad: r"g",
    lr: r"\eta",
    lam: r"\lambda",
    theta0: r"\theta_0",
    theta_t: r"\theta_t",
    eps: r"\varepsilon",
    th_s: r"\theta",
    g_s: r"g",
}
U = torch.finfo(torch.float64).eps  # "ulp" below: float64 machine epsilon 2^-52


# ── case strategies ─────────────────────────────────────────────────────────────────────────
def _shape() -> st.SearchStrategy[tuple[int, ...]]:
    """Rank 0..3, each side 1..3 (rank 0 is a scalar parameter)."""
    return st.lists(st.integers(1, 3), min_size=0, max_size=3).map(tuple)


def _tensor(draw: st.DrawFn, shape: tuple[int, ...], scale: float, zeros: bool = True) -> torch.Tensor:
    """float64 tensor of ``shape``: scale·u, u over UNIT_DOMAIN (so θ² and ‖θ‖² never underflow);
    exact zeros drawn about half the time (``zeros=False``: 1e-6 ≤ |u| ≤ 1, so repeated decay
    stays far from underflow)."""
    size = math.prod(shape)
    nonzero = st.floats(1e-6, 1.0).flatmap(lambda v: st.sampled_from([v, -v]))
    elem = units() if zeros else nonzero
    values = draw(st.lists(elem, min_size=size, max_size=size))
    return torch.tensor(values, dtype=torch.float64).reshape(shape) * scale


def _log_uniform(lo: int, hi: int, edges: list[float]) -> st.SearchStrategy[float]:
    return st.one_of(st.sampled_from(edges), st.floats(lo, hi).map(lambda e: float(10.0**e)))


def _scale() -> st.SearchStrategy[float]:
    return _log_uniform(-3, 3, [1e-3, 1.0, 1e3])


def _lr() -> st.SearchStrategy[float]:
    """η from 1e-8 (tiny) to 1e2 (large: ηλ ≫ 1 is drawn too)."""
    return _log_uniform(-8, 2, [1e-8, 1e-3, 0.1, 1.0, 10.0, 100.0])


def _lam() -> st.SearchStrategy[float]:
    return st.one_of(st.just(0.0), _log_uniform(-6, 1, [1e-4, 1e-2, 0.5, 1.0]))


@st.composite
def param_cases(draw: st.DrawFn, *, adam: bool = False, penalty: bool = False) -> Case:
    """fn(theta, grad, lr, lam), the update contracts' order: θ and g of one shape (rank 0..3), own magnitudes,
    exact zeros; η, λ over many decades (η ≤ 1 for Adam, ``adam=True``: its usual range; the closed forms
    hold for any η). ``penalty=True``: fn(theta, lam), the penalty's gradient alone."""
    shape = draw(_shape())
    if penalty:
        return {"theta": _tensor(draw, shape, draw(_scale())), "lam": draw(_lam())}
    return {
        "theta": _tensor(draw, shape, draw(_scale())),
        "grad": _tensor(draw, shape, draw(_scale())),
        "lr": draw(_log_uniform(-6, 0, [1e-3, 0.1, 1.0]) if adam else _lr()),
        "lam": draw(_lam()),
    }


def _floor(scale: float) -> float:
    """A zero scale (all inputs 0) demands exact equality; keep it positive (the engine divides by it)."""
    return max(scale, torch.finfo(torch.float64).tiny)


def _update_scale(case: Case, decay: str = "l2") -> float:
    """max over entries of |θ| + η|g| + η·|decay term|: the magnitudes the update adds up."""
    th, g, eta, lm = case["theta"], case["grad"], case["lr"], case["lam"]
    dec = th.abs() if decay == "l2" else torch.ones_like(th)
    return _floor(float((th.abs() + eta * g.abs() + eta * lm * dec).max()) if th.numel() else 0.0)


def _grad_scale(case: Case, decay: str = "l2") -> float:
    th, g, lm = case["theta"], case["grad"], case["lam"]
    dec = th.abs() if decay == "l2" else torch.ones_like(th)
    return _floor(float((g.abs() + lm * dec).max()) if th.numel() else 0.0)


# ── references through autograd and torch.optim ────────────────────────────────────────────
def _penalty(kind: str, p: torch.Tensor, lm: float) -> torch.Tensor:
    return lm * p.abs().sum() if kind == "l1" else lm / 2 * (p * p).sum()


def _autograd(case: Case, kind: str, penalty=None) -> torch.Tensor:
    """∂/∂θ of L(θ) + penalty, with L(θ) = ⟨g, θ⟩ (a loss whose gradient is exactly g)."""
    p = case["theta"].detach().clone().requires_grad_(True)
    pen = (penalty or _penalty)(kind, p, case["lam"])
    ((case["grad"] * p).sum() + pen).backward()
    return p.grad.detach()


def _sgd_on_penalized_loss(theta_, grad_, lr_, lam_, *, kind: str) -> torch.Tensor:
    """One torch.optim.SGD(lr) step (no weight_decay) on L + penalty, gradient by autograd: a positional
    reference fn(theta, grad, lr, lam)."""
    p = theta_.detach().clone().requires_grad_(True)
    opt = torch.optim.SGD([p], lr=lr_)
    ((grad_ * p).sum() + _penalty(kind, p, lam_)).backward()
    opt.step()
    return p.detach()


def _sgd_weight_decay(theta_, grad_, lr_, lam_, **kw) -> torch.Tensor:
    """torch.optim.SGD(lr, weight_decay=λ), one step with .grad = g (foreach/for-loop kernels): fn(theta, grad, lr, lam)."""
    p = theta_.detach().clone().requires_grad_(True)
    p.grad = grad_.detach().clone()
    torch.optim.SGD([p], lr=lr_, weight_decay=lam_, **kw).step()
    return p.detach()


def _args(case: Case) -> tuple:
    return case["theta"], case["grad"], case["lr"], case["lam"]


def _sign_zero_is_one(th: torch.Tensor) -> torch.Tensor:
    """Planted: a sign that maps 0 to +1 (torch.where(θ >= 0, 1, -1))."""
    return torch.where(th >= 0, 1.0, -1.0).to(th.dtype)


# ── reg.l2.grad ────────────────────────────────────────────────────────────────────────────
L2_GRAD = Derivation(
    "∂/∂θ_k [L + (λ/2) Σ_i θ_i²]",
    grad[k] + Derivative(lam / 2 * Sum(theta[i] ** 2, (i, 1, n)), theta[k]),
    (
        Step(
            grad[k] + lam / 2 * 2 * theta[k],
            "chain rule through Σ θ_i²",
            "∂(L + R)/∂θ_k = ∂L/∂θ_k + ∂R/∂θ_k = g_k + ∂R/∂θ_k, and only the i = k term of Σθ_i² depends on θ_k.",
        ),
        Step(
            grad[k] + lam * theta[k],
            "cancel the 1/2",
            "The 1/2 in (λ/2)‖θ‖² exists to cancel the 2; without it the gradient would be 2λθ.",
        ),
    ),
    sizes={n: range(1, 7)},
    pins={k: 1},
)
_L2_GRAD = ClosedForm(L2_GRAD.rhs, (theta, grad, lam))

REG_L2_GRAD = Claim(
    id="reg.l2.grad",
    title="The gradient of L + (λ/2)‖θ‖₂² is ∇L + λθ",
    verdict=Verdict.PROVED,
    summary=(
        "For any number n of parameters, ∂/∂θ_k of L(θ) + (λ/2)Σθ_i² is g_k + λθ_k (g = ∇L), "
        "elementwise for a parameter tensor of any shape. The 1/2 matters: (λ)‖θ‖² gives 2λθ."
    ),
    derivations=(L2_GRAD,),
    numeric=(
        CrossCheck(
            name="g + λθ against autograd (θ², ‖θ‖₂² via vector_norm) and impl",
            cases=param_cases,
            expected=_L2_GRAD,
            references={
                "impl.regularization.l2_grad": lambda c: reg.l2_grad(c["theta"], c["grad"], c["lam"]),
                "autograd of ⟨g,θ⟩ + (λ/2)Σθ²": lambda c: _autograd(c, "l2"),
                "autograd of ⟨g,θ⟩ + (λ/2)·vector_norm(θ)²": lambda c: _autograd(
                    c, "l2", lambda _k, p, lm: lm / 2 * torch.linalg.vector_norm(p) ** 2
                ),
            },
            tolerance=Tolerance(
                4,
                "one sum g + λθ and one product (≤ 2 roundings on max(|g| + λ|θ|)); the vector_norm "
                "path computes 2‖θ‖·θ/‖θ‖ (≤ 2 more relative roundings of λθ): scale = max(|g| + λ|θ|)",
                _grad_scale,
            ),
            planted={
                "2λθ (penalty without the 1/2)": lambda c: c["grad"] + 2 * c["lam"] * c["theta"],
                "g − λθ": lambda c: c["grad"] - c["lam"] * c["theta"],
            },
        ),
    ),
    sources=(
        Source(
            shared.SEED001,
            "Q6",
            "L2正则化:对 L_{L2}(θ) 求关于 θ 的梯度: ∂L_{L2}(θ)/∂θ = ∂L(θ)/∂θ + λθ",
            "L2 regularization: the gradient of L_L2(θ) with respect to θ is ∂L/∂θ + λθ.",
            line=69,
        ),
    ),
)

# ── reg.l1.grad ────────────────────────────────────────────────────────────────────────────
L1_GRAD = Derivation(
    "∂/∂θ_k [L + λ|θ_k|] (the only term of λΣ|θ_i| that depends on θ_k)",
    grad[k] + Derivative(lam * Abs(theta[k]), theta[k]),
    (
        Step(
            grad[k] + lam * sign(theta[k]),
            "d|x|/dx = sign(x)",
            "For real x ≠ 0, |x|' = sign(x); at 0 SymPy's (and torch's) value sign(0) = 0 is one "
            "subgradient among [−1, 1], checked numerically with exact zeros in θ.",
        ),
    ),
)
_L1_GRAD = ClosedForm(L1_GRAD.rhs, (theta, grad, lam))

REG_L1_GRAD = Claim(
    id="reg.l1.grad",
    title="The (sub)gradient of L + λ‖θ‖₁ is ∇L + λ·sign(θ), with sign(0) = 0",
    verdict=Verdict.PROVED,
    summary=(
        "Away from θ_k = 0, ∂/∂θ_k of L(θ) + λΣ|θ_i| is g_k + λ·sign(θ_k): only the k-th term of "
        "the sum depends on θ_k, so the claim is proved per coordinate (|θ_i| is not a power sum; "
        "the normalizer refuses it rather than guess). At θ_k = 0, |·| has no derivative; its "
        "subdifferential is [−1, 1], and sign(0) = 0 is the element torch's autograd picks for "
        "abs, F.l1_loss and vector_norm(ord=1) alike (measured; torch.sqrt(θ²) gives nan there). "
        "The seed's own convention is also sign(0) = 0."
    ),
    derivations=(L1_GRAD,),
    numeric=(
        CrossCheck(
            name="g + λ sign θ against autograd (abs, l1_loss, vector_norm ord=1) and impl",
            cases=param_cases,
            expected=_L1_GRAD,
            references={
                "impl.regularization.l1_grad": lambda c: reg.l1_grad(c["theta"], c["grad"], c["lam"]),
                "autograd of ⟨g,θ⟩ + λΣ|θ|": lambda c: _autograd(c, "l1"),
                "autograd of ⟨g,θ⟩ + λ·F.l1_loss(θ, 0, sum)": lambda c: _autograd(
                    c, "l1", lambda _k, p, lm: lm * F.l1_loss(p, torch.zeros_like(p), reduction="sum")
                ),
                "autograd of ⟨g,θ⟩ + λ·vector_norm(θ, 1)": lambda c: _autograd(
                    c, "l1", lambda _k, p, lm: lm * torch.linalg.vector_norm(p, 1)
                ),
            },
            tolerance=Tolerance(
                2,
                "one sum g + λ·sign(θ), the sign exact: ≤ 1 rounding on max(|g| + λ)",
                lambda c: _grad_scale(c, "l1"),
            ),
            planted={
                "sign(0) = 1": lambda c: c["grad"] + c["lam"] * _sign_zero_is_one(c["theta"]),
                "λθ (L2's gradient)": lambda c: c["grad"] + c["lam"] * c["theta"],
            },
        ),
    ),
    sources=(
        Source(
            shared.SEED001,
            "Q6",
            "L1正则化:对 L_{L1}(θ) 求关于 θ 的梯度: ∂L_{L1}(θ)/∂θ = ∂L(θ)/∂θ + λ⋅sign(θ)",
            "L1 regularization: the gradient of L_L1(θ) with respect to θ is ∂L/∂θ + λ·sign(θ) (a subgradient: "
            "|θ_i| has no derivative at 0).",
            line=66,
        ),
        Source(
            shared.SEED001,
            "Q6",
            "∂L_{L1}(θ)/∂θ = ∂L(θ)/∂θ + λ⋅sign(θ) 其中 sign(θ) 是符号函数,当 θ_i>0 时, sign(θ_i)=1;"
            "当 θ_i<0 时, sign(θ_i)=−1;当 θ_i=0 时, sign(θ_i)=0。",
            "∂L_L1/∂θ = ∂L/∂θ + λ·sign(θ), where sign is the sign function: sign(θ_i) = 1 for "
            "θ_i > 0, −1 for θ_i < 0, and 0 for θ_i = 0.",
            line=68,
        ),
    ),
)


# ── reg.l2.penalty-grad / reg.l1.penalty-grad: the penalty's gradient alone ─────────────────
# What a penalty object computes (ML-From-Scratch's l2_regularization.grad(w) = alpha·w): the training loop adds it
# to the loss gradient (reg.l2.grad, reg.l1.grad). A contract fn(theta, lam) -> d takes such code as shipped.
penalty_cases = narrowed(param_cases, penalty=True)  # fn(theta, lam): θ and λ as the update contracts draw them


def _penalty_autograd(theta_: torch.Tensor, lam_: float, *, kind: str, penalty=None) -> torch.Tensor:
    """∂/∂θ of the penalty alone by autograd: a positional reference fn(theta, lam)."""
    p = theta_.detach().clone().requires_grad_(True)
    (penalty or _penalty)(kind, p, lam_).backward()
    return p.grad.detach()


def _penalty_scale(case: Case) -> float:
    th, lm = case["theta"], case["lam"]
    return _floor(float((lm * th.abs()).max()) if th.numel() else 0.0)


L2_PEN = Derivation(
    "∂/∂θ_k (λ/2) Σ_i θ_i²",
    Derivative(lam / 2 * Sum(theta[i] ** 2, (i, 1, n)), theta[k]),
    (
        Step(
            lam / 2 * 2 * theta[k],
            "only the i = k term depends on θ_k",
            "∂(θ_i²)/∂θ_k = 2θ_k for i = k and 0 otherwise.",
        ),
        Step(lam * theta[k], "cancel the 1/2", "The 1/2 exists to cancel the 2: the gradient of (λ/2)‖θ‖² is λθ."),
    ),
    sizes={n: range(1, 7)},
    pins={k: 1},
)
L2_PENALTY_GRAD_CHECK = CrossCheck(
    name="λθ against autograd of (λ/2)Σθ² and impl",
    cases=penalty_cases,
    expected=ClosedForm(L2_PEN.rhs, (theta, lam)),
    references={
        "impl.regularization.l2_penalty_grad": reg.l2_penalty_grad,
        "autograd of (λ/2)Σθ²": functools.partial(_penalty_autograd, kind="l2"),
    },
    positional=True,
    tolerance=Tolerance(
        1,
        "one product λθ rounded once; autograd's (λ/2)·(2θ) is the same product up to exact scalings by 2, so the "
        "forms differ by ≤ 1 rounding: scale = max(λ|θ|)",
        _penalty_scale,
    ),
    planted={
        "2λθ (penalty without the 1/2)": lambda c: 2 * c["lam"] * c["theta"],
        "−λθ (sign flipped)": lambda c: -c["lam"] * c["theta"],
    },
)
REG_L2_PENALTY_GRAD = Claim(
    id="reg.l2.penalty-grad",
    title="The gradient of the L2 penalty (λ/2)‖θ‖₂² alone is λθ",
    verdict=Verdict.PROVED,
    summary=(
        "For any number n of parameters, ∂/∂θ_k of (λ/2)Σθ_i² is λθ_k, elementwise for a tensor of any shape: the "
        "term reg.l2.grad adds to ∇L. It is what penalty objects compute on their own (a grad(w) method the training "
        "loop adds to the loss gradient), so its contract takes them as shipped."
    ),
    derivations=(L2_PEN,),
    numeric=(L2_PENALTY_GRAD_CHECK,),
    contract=Contract.of(
        L2_PENALTY_GRAD_CHECK,
        signature="fn(theta[...], lam) -> d[...]  # λθ, the gradient of (λ/2)‖θ‖² alone",
        reference="impl.regularization.l2_penalty_grad",
        locators=(Locator("only at entries where theta == 0", lambda c: c["theta"] == 0),),
        variants=variants.L2_PENALTY_GRAD,
    ),
)

L1_PEN = Derivation(
    "∂/∂θ_k λ|θ_k| (the only term of λΣ|θ_i| that depends on θ_k)",
    Derivative(lam * Abs(theta[k]), theta[k]),
    (
        Step(
            lam * sign(theta[k]),
            "d|x|/dx = sign(x)",
            "For real x ≠ 0, |x|' = sign(x); at 0 the subgradient sign(0) = 0 (SymPy's and torch's value) is "
            "checked numerically with exact zeros in θ.",
        ),
    ),
)
L1_PENALTY_GRAD_CHECK = CrossCheck(
    name="λ sign θ against autograd of λΣ|θ| and λ·vector_norm(θ, 1), and impl",
    cases=penalty_cases,
    expected=ClosedForm(L1_PEN.rhs, (theta, lam)),
    references={
        "impl.regularization.l1_penalty_grad": reg.l1_penalty_grad,
        "autograd of λΣ|θ|": functools.partial(_penalty_autograd, kind="l1"),
        "autograd of λ·vector_norm(θ, 1)": functools.partial(
            _penalty_autograd, kind="l1", penalty=lambda _k, p, lm: lm * torch.linalg.vector_norm(p, 1)
        ),
    },
    positional=True,
    tolerance=Tolerance.exact("λ·sign θ is λ times −1, 0 or 1: no rounding"),
    planted={
        "sign(0) = 1": lambda c: c["lam"] * _sign_zero_is_one(c["theta"]),
        "λθ (L2's gradient)": lambda c: c["lam"] * c["theta"],
    },
)
REG_L1_PENALTY_GRAD = Claim(
    id="reg.l1.penalty-grad",
    title="The (sub)gradient of the L1 penalty λ‖θ‖₁ alone is λ·sign(θ), with sign(0) = 0",
    verdict=Verdict.PROVED,
    summary=(
        "Away from θ_k = 0, ∂/∂θ_k of λΣ|θ_i| is λ·sign(θ_k), proved per coordinate (only the k-th term depends on "
        "θ_k); at θ_k = 0 the subgradient sign(0) = 0 is torch's (abs, vector_norm(ord=1)), checked with exact zeros. "
        "The term reg.l1.grad adds to ∇L, and what penalty objects compute on their own, so its contract takes them "
        "as shipped."
    ),
    derivations=(L1_PEN,),
    numeric=(L1_PENALTY_GRAD_CHECK,),
    contract=Contract.of(
        L1_PENALTY_GRAD_CHECK,
        signature="fn(theta[...], lam) -> d[...]  # λ·sign θ, sign(0) = 0: the (sub)gradient of λ‖θ‖₁ alone",
        reference="impl.regularization.l1_penalty_grad",
        locators=(Locator("only at entries where theta == 0", lambda c: c["theta"] == 0),),
        variants=variants.L1_PENALTY_GRAD,
    ),
)

# ── reg.l1.update / reg.l2.update ─────────────────────────────────────────────────────────
L1_STEP = Derivation(
    "θ_k − η ∂/∂θ_k [L + λ|θ_k|]",
    theta[k] - lr * (grad[k] + Derivative(lam * Abs(theta[k]), theta[k])),
    (
        Step(
            theta[k] - lr * (grad[k] + lam * sign(theta[k])),
            "reg.l1.grad",
            "Substitute the L1 (sub)gradient, sign(0) = 0.",
        ),
        Step(
            theta[k] - lr * grad[k] - lr * lam * sign(theta[k]),
            "expand",
            "The penalty moves every non-zero weight by exactly ηλ towards 0 (and may overshoot).",
        ),
    ),
)
L2_STEP = Derivation(
    "θ_k − η ∂/∂θ_k [L + (λ/2)Σθ_i²]",
    theta[k] - lr * (grad[k] + Derivative(lam / 2 * Sum(theta[i] ** 2, (i, 1, n)), theta[k])),
    (
        Step(theta[k] - lr * (grad[k] + lam * theta[k]), "reg.l2.grad", "Substitute the L2 gradient g_k + λθ_k."),
        Step(
            (1 - lr * lam) * theta[k] - lr * grad[k],
            "collect θ_k",
            "The seed's rearrangement: a multiplicative shrink by (1 − ηλ), then the plain gradient step.",
        ),
    ),
    sizes={n: range(1, 7)},
    pins={k: 1},
)
_L1_UPDATE = ClosedForm(L1_STEP.steps[0].expr, (theta, grad, lr, lam))
_L2_UPDATE = ClosedForm(L2_STEP.steps[0].expr, (theta, grad, lr, lam))

_L1_TOL = Tolerance(
    2,
    "the forms differ only in rounding order: one rounding of g + λ·sign θ, one of the product "
    "by η, one of the difference, all on magnitudes ≤ |θ| + η|g| + ηλ: scale = max(|θ| + η|g| + ηλ)",
    lambda c: _update_scale(c, "l1"),
)
_L2_TOL = Tolerance(
    2,
    "θ − η(g + λθ) and (1 − ηλ)θ − ηg each round ≤ 3 times on magnitudes ≤ |θ| + η|g| + ηλ|θ|, so "
    "they differ by ≤ 3.5 unit roundoffs = 1.75 eps of that (measured ≤ 1.8): scale = "
    "max(|θ| + η|g| + ηλ|θ|). The ηλ|θ| term matters when ηλ ≫ 1: relative to |θ| + η|g| alone the "
    "error reaches hundreds of eps (measured 355 at ηλ ≈ 10³); relative to the result it is unbounded "
    "after cancellation",
    _update_scale,
)

L1_UPDATE_CHECK = CrossCheck(
    name="θ − η(g + λ sign θ) against torch.optim.SGD on autograd and impl",
    cases=param_cases,
    expected=_L1_UPDATE,
    references={
        "impl.regularization.l1_update": reg.l1_update,
        "torch.optim.SGD(lr) on ⟨g,θ⟩ + λΣ|θ|": functools.partial(_sgd_on_penalized_loss, kind="l1"),
    },
    positional=True,
    tolerance=_L1_TOL,
    planted={
        "sign(0) = 1": lambda c: c["theta"] - c["lr"] * (c["grad"] + c["lam"] * _sign_zero_is_one(c["theta"])),
        "decay without η: θ − ηg − λ sign θ": lambda c: (
            c["theta"] - c["lr"] * c["grad"] - c["lam"] * torch.sign(c["theta"])
        ),
    },
)


S001_L73 = Sentence(
    file=shared.SEED001,
    section="Q6",
    line=73,
    quote="L1正则化会使权重以一个固定的步长向 0 收缩,对于较小的权重,可能会直接将其收缩为 0,从而产生稀疏的权重矩阵,即部分权重为 0。",
)


REG_L1_UPDATE = Claim(
    uses=("reg.l1.grad",),
    id="reg.l1.update",
    title="SGD on L + λ‖θ‖₁: θ_new = θ − η(∇L + λ·sign θ)",
    verdict=Verdict.PROVED,
    summary=(
        "One SGD step on the L1-penalized loss, with the subgradient sign(0) = 0: every non-zero "
        "weight is moved by exactly ηλ towards 0 on top of the loss step, a weight at exactly 0 "
        "feels only the loss gradient. Checked against torch.optim.SGD driven by autograd of "
        "⟨g, θ⟩ + λΣ|θ| (θ with exact zeros drawn about half the time)."
    ),
    derivations=(L1_STEP,),
    numeric=(L1_UPDATE_CHECK,),
    sources=(
        Source(
            shared.SEED001,
            "Q6",
            "L1正则化:权重更新公式为 θ_new=θ_old−η(∂L(θ)/∂θ+λ⋅sign(θ_old))。",
            "L1 regularization: the weight update is θ_new = θ_old − η(∂L/∂θ + λ·sign(θ_old)).",
            line=73,
        ),
        Source(
            sentence=S001_L73,
            gloss="L1 regularization shrinks the weights towards 0 by a fixed step (ηλ per step, the update just above).",
            assertion="L1正则化会使权重以一个固定的步长向 0 收缩",
        ),
    ),
    contract=Contract.of(
        L1_UPDATE_CHECK,
        signature="fn(theta[...], grad[...], lr, lam) -> theta_new[...]  # θ − lr(grad + lam·sign θ), sign(0) = 0",
        reference="impl.regularization.l1_update",
        locators=(Locator("only at entries where theta == 0", lambda c: c["theta"] == 0),),
        variants=variants.L1_UPDATE,  # issue 12: diagnoses (derivations/_variants.py)
    ),
)

L2_UPDATE_CHECK = CrossCheck(
    name="θ − η(g + λθ) against both impl forms and torch.optim.SGD on autograd",
    cases=param_cases,
    expected=_L2_UPDATE,
    references={
        "impl.regularization.l2_update": reg.l2_update,
        "impl.regularization.l2_update_shrink": reg.l2_update_shrink,
        "torch.optim.SGD(lr) on ⟨g,θ⟩ + (λ/2)Σθ²": functools.partial(_sgd_on_penalized_loss, kind="l2"),
    },
    positional=True,
    tolerance=_L2_TOL,
    planted={
        "2λθ in the gradient": lambda c: c["theta"] - c["lr"] * (c["grad"] + 2 * c["lam"] * c["theta"]),
        "(1 − ηλ)θ + η∇L (wrong sign)": lambda c: (1 - c["lr"] * c["lam"]) * c["theta"] + c["lr"] * c["grad"],
        "decay without η: (1 − λ)θ − ηg": lambda c: (1 - c["lam"]) * c["theta"] - c["lr"] * c["grad"],
    },
)


S001_L74 = Sentence(
    file=shared.SEED001,
    section="Q6",
    line=74,
    quote="L2正则化会使权重以一个与权重本身成正比的步长向 0 收缩,不会产生严格的稀疏解,但会使权重整体变小,起到平滑权重的作用。",
)


REG_L2_UPDATE = Claim(
    uses=("reg.l2.grad",),
    id="reg.l2.update",
    title="SGD on L + (λ/2)‖θ‖₂²: θ − η(∇L + λθ) = (1 − ηλ)θ − η∇L",
    verdict=Verdict.PROVED,
    summary=(
        "One SGD step on the L2-penalized loss is θ − η(g + λθ), which the seed rearranges to "
        "(1 − ηλ)θ − ηg: a shrink of every weight by the factor (1 − ηλ) followed by the plain "
        "gradient step. Proved for a symbolic number of parameters; in floating point the two "
        "forms agree to ≤ 2 eps of max(|θ| + η|g| + ηλ|θ|), not bit for bit."
    ),
    derivations=(L2_STEP,),
    numeric=(L2_UPDATE_CHECK,),
    sources=(
        Source(
            shared.SEED001,
            "Q6",
            "L2正则化:权重更新公式为 θ_new=θ_old−η(∂L(θ)/∂θ+λθ_old)=(1−ηλ)θ_old−η∂L(θ)/∂θ。",
            "L2 regularization: the weight update is θ_new = θ_old − η(∂L/∂θ + λθ_old) = (1 − ηλ)θ_old − η∂L/∂θ.",
            line=74,
        ),
        Source(
            sentence=S001_L74,
            gloss="L2 regularization shrinks the weights towards 0 by a step proportional to the weight itself: the update's (1 − ηλ)θ term.",
            assertion="L2正则化会使权重以一个与权重本身成正比的步长向 0 收缩",
        ),
    ),
    contract=dataclasses.replace(
        Contract.of(
            L2_UPDATE_CHECK,
            signature="fn(theta[...], grad[...], lr, lam) -> theta_new[...]  # θ − lr(grad + lam·θ)",
            reference="impl.regularization.l2_update",
            locators=(
                Locator("only at entries where theta == 0", lambda c: c["theta"] == 0),
                Locator("only when lr·lam > 1", lambda c: c["lr"] * c["lam"] > 1),
            ),
            variants=variants.L2_UPDATE,  # issue 12: diagnoses (derivations/_variants.py)
        ),
        optimizer=optim.SGD_L2,  # an optimizer class (torch.optim.SGD) is stepped once: dlproofs/optim_targets.py
    ),
)

# ── reg.l2.weight-decay ───────────────────────────────────────────────────────────────────
SGD_WD = Derivation(
    "torch.optim.SGD(weight_decay=λ): g' = g + λθ, θ' = θ − ηg'",
    theta[k] - lr * (grad[k] + lam * theta[k]),
    (
        Step(
            (1 - lr * lam) * theta[k] - lr * grad[k],
            "collect θ_k",
            "Under plain SGD, adding λθ to the gradient (L2 in the loss) is the same as shrinking θ "
            "by (1 − ηλ) before the step (decoupled weight decay).",
        ),
    ),
)


def _adam_first(th, g, eta, epsilon):
    """First Adam step from a fresh state: m̂ = g, v̂ = g², so θ − ηg/(|g| + ε)."""
    return th - eta * g / (abs(g) + epsilon)


ADAM_L2 = _adam_first(th_s, g_s + lam * th_s, lr, eps)  # torch.optim.Adam(weight_decay=λ), step 1
ADAMW = _adam_first((1 - lr * lam) * th_s, g_s, lr, eps)  # torch.optim.AdamW(weight_decay=λ), step 1


def _adam_case_closed(expr):
    form = ClosedForm(expr, (th_s, g_s, lr, lam, eps))
    return lambda c: form({**c, "epsilon": 1e-8})


def _adam_scale(case: Case) -> float:
    th = case["theta"]
    return _floor(float(((1 + case["lr"] * case["lam"]) * th.abs() + case["lr"]).max()) if th.numel() else 0.0)


def _adam_on_penalized_loss(theta_, grad_, lr_, lam_) -> torch.Tensor:
    """torch.optim.Adam without weight_decay, on autograd of ⟨g,θ⟩ + (λ/2)Σθ²: fn(theta, grad, lr, lam)."""
    p = theta_.detach().clone().requires_grad_(True)
    opt = torch.optim.Adam([p], lr=lr_)
    ((grad_ * p).sum() + lam_ / 2 * (p * p).sum()).backward()
    opt.step()
    return p.detach()


adam_cases = narrowed(param_cases, adam=True)


_ADAM_TOL = Tolerance(
    8,
    "the first step rounds m, v, √v, two bias corrections, the division and the update (≲ 8 "
    "roundings on the ≤ η sized step) and (1 − ηλ)θ (≤ 2 on (1 + ηλ)|θ|); measured ≤ 2.1: "
    "scale = max((1 + ηλ)|θ| + η)",
    _adam_scale,
)


def _adam_vs_adamw() -> Witness:
    """One fresh step of torch.optim.Adam(weight_decay=λ) and AdamW(weight_decay=λ) on the same θ, g."""
    gen = torch.Generator().manual_seed(6)
    th = torch.randn(8, generator=gen, dtype=torch.float64)
    g = torch.randn(8, generator=gen, dtype=torch.float64) * 10
    lr_, lam_ = 0.1, 0.1
    a, w = reg.adam_l2_step(th, g, lr_, lam_), reg.adamw_step(th, g, lr_, lam_)
    gap = float((a - w).abs().max())
    bound = 8 * U * _adam_scale({"theta": th, "lr": lr_, "lam": lam_})
    return Witness(
        holds=gap <= bound,
        lhs=f"Adam(weight_decay=0.1): θ'[0] = {a[0].item():.12g}",
        rhs=f"AdamW(weight_decay=0.1): θ'[0] = {w[0].item():.12g}",
        detail=(
            f"η = 0.1, 8 weights ~ N(0, 1), g ~ N(0, 100), seed 6: max |Adam − AdamW| = {gap:.3g} "
            f"≫ rounding bound {bound:.3g}. With L2 in the loss the decay λθ passes through Adam's "
            "normalisation (g + λθ)/|g + λθ|, so weights with large gradients are barely decayed."
        ),
        facts={"optimizer": "Adam"},
    )


# what the counterexamples refute: the statement without the hypothesis
REG_L2_WEIGHT_DECAY_UNCONDITIONAL = Eq(ADAM_L2, ADAMW)
REG_L2_WEIGHT_DECAY = Claim(
    uses=("reg.l2.update",),
    id="reg.l2.weight-decay",
    title="L2 regularization is weight decay for SGD, not for Adam",
    verdict=Verdict.CONDITIONAL,
    refutes=(REG_L2_WEIGHT_DECAY_UNCONDITIONAL,),  # without the hypothesis
    summary=(
        "torch.optim.SGD(lr=η, weight_decay=λ) adds λθ to the gradient: one step is exactly the "
        "L2 update θ − η(g + λθ) = (1 − ηλ)θ − ηg (reg.l2.update), i.e. L2 in the loss and a "
        "multiplicative decay of the weights are the same thing, to ≤ 2 eps of max(|θ| + η|g| + "
        "ηλ|θ|) in float64 (not bit for bit: torch rounds in its own order). The identification "
        "needs the optimizer to be plain SGD. Under Adam, torch.optim.Adam(weight_decay=λ) is L2 in "
        "the loss (it equals Adam on autograd of L + (λ/2)‖θ‖²), and its first step is "
        "θ − η(g + λθ)/(|g + λθ| + ε); decoupled decay, torch.optim.AdamW, is "
        "(1 − ηλ)θ − ηg/(|g| + ε). They differ (counterexamples, exact and through torch)."
    ),
    derivations=(SGD_WD,),
    numeric=(
        CrossCheck(
            name="(1 − ηλ)θ − ηg against torch.optim.SGD(weight_decay=λ) and impl",
            cases=param_cases,
            expected=ClosedForm(SGD_WD.rhs, (theta, grad, lr, lam)),
            references={
                "torch.optim.SGD(weight_decay=λ), foreach": functools.partial(_sgd_weight_decay, foreach=True),
                "torch.optim.SGD(weight_decay=λ), for-loop": functools.partial(_sgd_weight_decay, foreach=False),
                "impl.regularization.sgd_weight_decay_step": reg.sgd_weight_decay_step,
                "impl.regularization.l2_update": reg.l2_update,
            },
            positional=True,
            tolerance=_L2_TOL,
            planted={
                "decay applied after the step: (1 − ηλ)(θ − ηg)": lambda c: (
                    (1 - c["lr"] * c["lam"]) * (c["theta"] - c["lr"] * c["grad"])
                ),
                "decay without η: (1 − λ)θ − ηg": lambda c: (1 - c["lam"]) * c["theta"] - c["lr"] * c["grad"],
            },
        ),
        CrossCheck(
            name="Adam(weight_decay=λ), step 1: θ − η(g + λθ)/(|g + λθ| + ε) against torch and impl",
            cases=adam_cases,
            expected=_adam_case_closed(ADAM_L2),
            references={
                "torch.optim.Adam(weight_decay=λ)": reg.adam_l2_step,
                "torch.optim.Adam on autograd of ⟨g,θ⟩ + (λ/2)Σθ²": _adam_on_penalized_loss,
                "impl.regularization.adam_l2_step_manual": reg.adam_l2_step_manual,
            },
            positional=True,
            tolerance=_ADAM_TOL,
            planted={"AdamW's step (decoupled decay)": _adam_case_closed(ADAMW)},
        ),
        CrossCheck(
            name="AdamW(weight_decay=λ), step 1: (1 − ηλ)θ − ηg/(|g| + ε) against torch and impl",
            cases=adam_cases,
            expected=_adam_case_closed(ADAMW),
            references={
                "torch.optim.AdamW(weight_decay=λ)": reg.adamw_step,
                "impl.regularization.adamw_step_manual": reg.adamw_step_manual,
            },
            positional=True,
            tolerance=_ADAM_TOL,
            planted={"Adam + L2 (coupled decay)": _adam_case_closed(ADAM_L2)},
        ),
    ),
    counterexamples=(
        Counterexample(
            "Adam's first step with L2 in the loss ≠ AdamW's first step with decoupled decay "
            "(θ = 1, g = 1, η = λ = 1/10, ε = 10⁻⁸; both closed forms are checked against torch above)",
            relation=REG_L2_WEIGHT_DECAY_UNCONDITIONAL,
            point={th_s: 1, g_s: 1, lr: Rational(1, 10), lam: Rational(1, 10), eps: Rational(1, 10**8)},
            facts={"optimizer": "Adam"},
        ),
        Counterexample(
            "torch.optim.Adam(weight_decay=λ) and torch.optim.AdamW(weight_decay=λ) take different steps",
            run=_adam_vs_adamw,
        ),
    ),
    hypothesis="the optimizer is plain SGD (θ ← θ − η·gradient, no adaptive per-coordinate rescaling)",
    premise=Premise(holds=lambda w: w.facts["optimizer"] == "SGD"),
    sources=(),  # supporting: 001 line 74 is the SGD update itself (reg.l2.update)
    notes=(
        "impl/regularization.py first stated the SGD tolerance as ≤ 1.2 eps·(|θ| + η|g|); that holds "
        "only for ηλ ≲ 1. For ηλ ≫ 1 the intermediate (1 − ηλ)θ is large and the scale must include "
        "ηλ|θ| (measured up to 355 eps relative to |θ| + η|g| at ηλ ≈ 10³).",
    ),
)


# ── reg.l1.sparsity (the seed's subgradient step) ──────────────────────────────────────────
@st.composite
def band_cases(draw: st.DrawFn) -> Case:
    """θ ≠ 0 of one shape, g = 0, and ηλ drawn so that many |θ| fall below ηλ."""
    shape = draw(_shape())
    scale = draw(_scale())
    eta = draw(_log_uniform(-3, 0, [1e-3, 0.1, 1.0]))
    factor = draw(st.floats(0.1, 2.0))
    th = _tensor(draw, shape, scale, zeros=False)
    return {"theta": th, "grad": torch.zeros_like(th), "lr": eta, "lam": factor * scale / eta}


def _small_weights_flip(case: Case, step=None) -> Outcome:
    """Every weight with 0 < |θ| < ηλ comes out with the opposite sign, non-zero, |θ'| < ηλ."""
    out = (step or (lambda c: _sgd_on_penalized_loss(*_args(c), kind="l1")))(case)
    c = case["lr"] * case["lam"]
    th = case["theta"]
    small = (th.abs() < c) & (th != 0)
    flipped = (out * th < 0) & (out.abs() < c)
    bad = small & ~flipped
    if bad.any():
        where = bad.nonzero()[0].tolist()
        return Outcome(
            False,
            0.0,
            0.0,
            f"θ = {th[tuple(where)].item()!r} (ηλ = {c!r}) gave {out[tuple(where)].item()!r}, not a sign flip",
        )
    return Outcome(True, 0.0, 0.0, f"{int(small.sum())} small weights flipped sign, none became 0")


def _soft_threshold_case(case: Case) -> torch.Tensor:
    return reg.soft_threshold_update(*_args(case))


def _subgradient_vs_prox() -> Witness:
    """200 steps on λ‖θ‖₁ alone: torch.optim.SGD (the seed's step) vs the soft-threshold step."""
    gen = torch.Generator().manual_seed(1)
    th0 = torch.rand(1000, generator=gen, dtype=torch.float64) * 2 - 1
    eta, lam_, steps = 0.01, 1.0, 200  # ηλ = 0.01: every |θ_0| < 1 reaches the band in ≤ 100 steps
    p = th0.clone().requires_grad_(True)
    opt = torch.optim.SGD([p], lr=eta)
    for _ in range(steps):
        opt.zero_grad()
        (lam_ * p.abs().sum()).backward()
        opt.step()
    sub = p.detach()
    prox = th0.clone()
    for _ in range(steps):
        prox = F.softshrink(prox, eta * lam_)
    zeros_sub, zeros_prox = int((sub == 0).sum()), int((prox == 0).sum())
    return Witness(
        holds=zeros_sub >= 500,
        lhs=f"subgradient SGD: {zeros_sub}/1000 weights exactly 0, max|θ| = {sub.abs().max().item():.4g}",
        rhs=f"soft-threshold (F.softshrink): {zeros_prox}/1000 exactly 0",
        detail=(
            "θ_0 ~ U(−1, 1), seed 1, η = 0.01, λ = 1, ∇L = 0, 200 steps: the seed's update leaves the "
            "weights oscillating in the band |θ| < ηλ = 0.01 (sign flipping each step) instead of at 0; "
            "an exact 0 only happens when rounding lands on it."
        ),
    )


REG_L1_SPARSITY_REFUTES = Eq(
    theta[k] - lr * (grad[k] + lam * sign(theta[k])), 0
)  # the statement reg.l1.sparsity refutes

REG_L1_SPARSITY = Claim(
    id="reg.l1.sparsity",
    title="The seed's L1 update does not set small weights to 0: it makes them oscillate around 0",
    verdict=Verdict.REFUTED,
    refutes=(REG_L1_SPARSITY_REFUTES,),
    summary=(
        "The seed says its update θ − η(∇L + λ sign θ) shrinks weights by a fixed step and 'may "
        "shrink small weights directly to 0', giving sparse weights. The first half is right (the "
        "penalty moves every non-zero weight by exactly ηλ), the second is not: with ∇L = 0 a weight "
        "with 0 < |θ| < ηλ becomes θ − ηλ·sign θ, of the opposite sign and magnitude ηλ − |θ| ≠ 0. "
        "Iterated, the weights enter the band |θ| < ηλ and oscillate in it; an exact 0 needs "
        "|θ − ηg| = ηλ exactly (a measure-zero event, or a rounding accident). Exact zeros are what "
        "the proximal (soft-threshold) step produces: see reg.l1.prox-sparsity."
    ),
    numeric=(
        PropertyCheck(
            name="one step of torch.optim.SGD on λΣ|θ|: every 0 < |θ| < ηλ flips sign, none becomes 0",
            cases=band_cases,
            holds=_small_weights_flip,
            reason=(
                "exact in floating point: for 0 < |θ| < ηλ the difference θ − ηλ·sign θ is a non-zero "
                "real number, and IEEE subtraction of unequal numbers is never 0"
            ),
            planted={
                "the soft-threshold step (sets them to 0)": lambda c: _small_weights_flip(c, _soft_threshold_case)
            },
        ),
    ),
    counterexamples=(
        Counterexample(
            "a small weight θ = 1/20 < ηλ = 1/10 (∇L = 0) is sent to −1/20, not to 0",
            relation=REG_L1_SPARSITY_REFUTES,
            point={theta[k]: Rational(1, 20), grad[k]: 0, lr: Rational(1, 10), lam: 1},
        ),
        Counterexample(
            "after 200 steps of the seed's update almost no weight is exactly 0 (all are, under the prox step)",
            run=_subgradient_vs_prox,
        ),
    ),
    sources=(
        Source(
            sentence=S001_L73,
            gloss="Small weights may be shrunk directly to 0, producing a sparse weight matrix (some weights exactly 0). Judged for what it argues (rule 6): the seed's own subgradient update θ − η(∇L + λ·sign θ). The hedge 'may' does not save the mechanism it describes: a weight with |θ| < ηλ is not shrunk onto 0 but carried past it (the fixed step overshoots), landing exactly on 0 only for a measure-zero set of values and leaving 0 at the next step unless ∇L = 0 there; 'thus a sparse matrix' is unhedged and false for this update. Exact zeros come from the proximal step (reg.l1.prox-sparsity) or the minimizer.",
            assertion="对于较小的权重,可能会直接将其收缩为 0,从而产生稀疏的权重矩阵,即部分权重为 0",
            kind="hedged",
        ),
    ),
)

# ── reg.l1.prox-sparsity ───────────────────────────────────────────────────────────────────
F_OBJ = lambda xx, uu, cc: (xx - uu) ** 2 / 2 + cc * Abs(xx)  # noqa: E731  prox objective
PROX_ZERO = Derivation(
    "|u| ≤ c (c = |u| + s, s ≥ 0): F(x) − F(0) = x²/2 + s|x| + (|x||u| − xu) ≥ 0",
    F_OBJ(x_, u_, Abs(u_) + s_) - F_OBJ(0, u_, Abs(u_) + s_),
    (
        Step(
            x_**2 / 2 - x_ * u_ + (Abs(u_) + s_) * Abs(x_),
            "expand the square",
            "(x − u)²/2 − u²/2 = x²/2 − xu.",
        ),
        Step(
            x_**2 / 2 + s_ * Abs(x_) + (Abs(x_) * Abs(u_) - x_ * u_),
            "regroup",
            "Each of the three terms is ≥ 0 (xu ≤ |x||u|), so x = 0 minimizes F: the prox is exactly 0.",
        ),
    ),
)
PROX_POS = Derivation(
    "u = c + s (s ≥ 0): F(x) − F(s) = (x − s)²/2 + c(|x| − x) ≥ 0",
    F_OBJ(x_, c_ + s_, c_) - F_OBJ(s_, c_ + s_, c_),
    (
        Step(
            (x_ - s_) ** 2 / 2 - c_ * (x_ - s_) + c_ * Abs(x_) - c_ * s_,
            "expand",
            "(x − c − s)² = (x − s)² − 2c(x − s) + c², and F(s) = c²/2 + cs as s ≥ 0.",
        ),
        Step(
            (x_ - s_) ** 2 / 2 + c_ * (Abs(x_) - x_),
            "collect",
            "Both terms are ≥ 0 (x ≤ |x|), so x = s = u − c minimizes F; u < −c follows by the "
            "symmetry F(x; u) = F(−x; −u).",
        ),
    ),
)
_U = theta[k] - lr * grad[k]
_SOFT = ClosedForm(sign(_U) * Max(Abs(_U) - lr * lam, 0), (theta, grad, lr, lam))


def _zero_iff_in_band(case: Case, step=_soft_threshold_case) -> Outcome:
    out = step(case)
    u = case["theta"] - case["lr"] * case["grad"]
    c = case["lr"] * case["lam"]
    inside = u.abs() <= c
    wrong = (inside & (out != 0)) | (~inside & (out == 0))
    if wrong.any():
        w = tuple(wrong.nonzero()[0].tolist())
        return Outcome(False, 0.0, 0.0, f"u = {u[w].item()!r}, ηλ = {c!r}: output {out[w].item()!r}")
    return Outcome(True, 0.0, 0.0, f"{int(inside.sum())} of {u.numel()} entries exactly 0")


@st.composite
def prox_cases(draw: st.DrawFn) -> Case:
    """As param_cases, with λ drawn so that ηλ is comparable to |θ − ηg| (both branches occur)."""
    case = draw(param_cases())
    u = case["theta"] - case["lr"] * case["grad"]
    size = float(u.abs().max()) if u.numel() else 1.0
    case["lam"] = draw(st.floats(0.0, 2.0)) * (size or 1.0) / case["lr"]
    return case


REG_L1_PROX = Claim(
    id="reg.l1.prox-sparsity",
    title="The proximal (soft-threshold) L1 step sets every |θ − η∇L| ≤ ηλ exactly to 0",
    verdict=Verdict.PROVED,
    summary=(
        "The proximal-gradient (ISTA) step for L + λ‖θ‖₁ takes u = θ − η∇L and returns "
        "argmin_x (x − u)²/2 + ηλ|x| = sign(u)·max(|u| − ηλ, 0) (soft-threshold, F.softshrink). "
        "Both branches of the argmin are proved from exact identities whose terms are visibly ≥ 0; "
        "so every coordinate with |u| ≤ ηλ becomes exactly 0, which is the sparsity the seed "
        "attributes to L1. Exact in floating point too (|u| − ηλ > 0 whenever |u| > ηλ)."
    ),
    derivations=(PROX_ZERO, PROX_POS),
    numeric=(
        CrossCheck(
            name="sign(u)·max(|u| − ηλ, 0) against F.softshrink and impl",
            cases=prox_cases,
            expected=_SOFT,
            references={
                "impl.regularization.soft_threshold_update": _soft_threshold_case,
                "F.softshrink(θ − ηg, ηλ)": lambda c: F.softshrink(
                    c["theta"] - c["lr"] * c["grad"], c["lr"] * c["lam"]
                ),
            },
            tolerance=Tolerance(
                2,
                "u = θ − ηg and |u| − ηλ round once each (ηλ once more): scale = max(|θ| + η|g| + ηλ)",
                lambda c: _update_scale(c, "l1"),
            ),
            planted={
                "the subgradient step θ − η(g + λ sign θ)": lambda c: reg.l1_update(*_args(c)),
                "threshold λ instead of ηλ": lambda c: F.softshrink(c["theta"] - c["lr"] * c["grad"], c["lam"]),
            },
        ),
        PropertyCheck(
            name="output exactly 0 iff |θ − ηg| ≤ ηλ",
            cases=prox_cases,
            holds=_zero_iff_in_band,
            reason="exact: clamp(|u| − ηλ, min=0) is 0 iff |u| ≤ ηλ in IEEE arithmetic",
            planted={"the subgradient step": lambda c: _zero_iff_in_band(c, lambda cc: reg.l1_update(*_args(cc)))},
        ),
    ),
    sources=(),  # supporting: 001 line 73 argues the seed's own update (reg.l1.sparsity); prox is the fix
)

# ── reg.l2.no-exact-zero ──────────────────────────────────────────────────────────────────
DECAY = Derivation(
    "∇L = 0: θ_{t+1} = θ_t − ηλθ_t with θ_t = (1 − ηλ)^t θ_0",
    theta_t - lr * lam * theta_t,
    (
        Step((1 - lr * lam) * theta_t, "factor θ_t", "The L2 update with g = 0 multiplies θ by (1 − ηλ)."),
        Step(
            (1 - lr * lam) ** (t + 1) * theta0,
            "induction hypothesis",
            "θ_t = (1 − ηλ)^t θ_0 gives θ_{t+1} = (1 − ηλ)^{t+1} θ_0; for 0 < ηλ < 1 and θ_0 ≠ 0 "
            "this is a product of non-zero reals, never 0.",
        ),
    ),
    where=((theta_t, (1 - lr * lam) ** t * theta0),),
)
_T = Symbol("T")
_DECAYED = ClosedForm((1 - lr * lam) ** _T * Symbol("theta", real=True), (Symbol("theta", real=True), lr, lam, _T))


@st.composite
def decay_cases(draw: st.DrawFn) -> Case:
    """θ_0 ≠ 0 (rank 0..3), 0 < ηλ < 1 (ηλ from 1e-6 to 0.99), T from 1 to 60 steps."""
    shape = draw(_shape())
    th = _tensor(draw, shape, draw(_scale()), zeros=False)
    eta = draw(_log_uniform(-4, 0, [1e-3, 0.1, 1.0]))
    prod = draw(st.one_of(st.sampled_from([1e-6, 0.5, 0.99]), st.floats(1e-6, 0.99)))
    return {"theta": th, "lr": eta, "lam": prod / eta, "T": draw(st.integers(1, 60))}


def _decay_by_sgd(case: Case) -> torch.Tensor:
    """T steps of torch.optim.SGD(lr, weight_decay=λ) with a zero loss gradient."""
    p = case["theta"].detach().clone().requires_grad_(True)
    opt = torch.optim.SGD([p], lr=case["lr"], weight_decay=case["lam"])
    for _ in range(case["T"]):
        p.grad = torch.zeros_like(p)
        opt.step()
    return p.detach()


def _nonzero_after_decay(case: Case, run=_decay_by_sgd) -> Outcome:
    out = run(case)
    zero = out == 0
    if zero.any():
        w = tuple(zero.nonzero()[0].tolist())
        return Outcome(False, 0.0, 0.0, f"θ_0 = {case['theta'][w].item()!r} reached exactly 0 after {case['T']} steps")
    return Outcome(True, 0.0, 0.0, "")


def _underflow() -> Witness:
    """Float64 underflow: SGD(weight_decay) with ηλ = 1/2, ∇L = 0, θ_0 = 1: exactly 0 after 1075 steps."""
    p = torch.ones(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.5, weight_decay=1.0)
    steps = 0
    while p.item() != 0 and steps < 2000:
        p.grad = torch.zeros_like(p)
        opt.step()
        steps += 1
    return Witness(
        holds=p.item() != 0,
        lhs=f"θ after {steps} steps = {p.item()!r}",
        rhs="(1/2)^t ≠ 0 in exact arithmetic",
        detail="0.5^1074 is the smallest float64 subnormal; the next halving rounds to 0 (ties to even).",
        facts={"arithmetic": "float64"},
    )


# what the counterexamples refute: the statement without the hypothesis
REG_L2_NO_EXACT_ZERO_UNCONDITIONAL_1 = Gt(Abs(theta0 - lr * lam * theta0), 0)
REG_L2_NO_EXACT_ZERO_UNCONDITIONAL_2 = Gt(Abs((1 - lr * lam) * theta[k] - lr * grad[k]), 0)
REG_L2_NO_ZERO = Claim(
    id="reg.l2.no-exact-zero",
    title="L2 decay never reaches exactly 0 — with ∇L = 0, 0 < ηλ < 1, θ_0 ≠ 0, and no underflow",
    verdict=Verdict.CONDITIONAL,
    refutes=(
        REG_L2_NO_EXACT_ZERO_UNCONDITIONAL_1,
        REG_L2_NO_EXACT_ZERO_UNCONDITIONAL_2,
    ),  # without the hypothesis
    summary=(
        "The seed says L2 shrinks weights in proportion to their size and gives no exact zeros. "
        "With ∇L = 0 the update is θ_{t+1} = (1 − ηλ)θ_t, so θ_t = (1 − ηλ)^t θ_0 (proved by "
        "induction), a product of non-zero reals when 0 < ηλ < 1 and θ_0 ≠ 0. Drop a condition and "
        "it fails: ηλ = 1 zeroes every weight in one step; a gradient can cancel the decay "
        "(θ = 1, g = 1, η = 1/2, λ = 1 lands on 0); and in float64 repeated shrinking underflows to "
        "0 (ηλ = 1/2: after 1075 steps)."
    ),
    derivations=(DECAY,),
    numeric=(
        CrossCheck(
            name="T steps of torch.optim.SGD(weight_decay=λ), ∇L = 0, against (1 − ηλ)^T θ_0",
            cases=decay_cases,
            expected=_DECAYED,
            references={"torch.optim.SGD(weight_decay=λ), T steps": _decay_by_sgd},
            tolerance=Tolerance(
                4,
                "each step computes θ − η(λθ): ≤ 3 roundings on magnitudes ≤ (1 + ηλ)|θ_t|, i.e. a "
                "relative error ≤ 3u/(1 − ηλ) of |θ_{t+1}| (the cancellation in 1 − ηλ is amplified "
                "by 1/(1 − ηλ)); the closed form's 1 − ηλ and power add as much: "
                "scale = (T + 1)·max|θ_T|/(1 − ηλ)",
                lambda c: (
                    (c["T"] + 1)
                    * float(((1 - c["lr"] * c["lam"]) ** c["T"] * c["theta"].abs()).max())
                    / (1 - c["lr"] * c["lam"])
                ),
            ),
            planted={
                "decay without η: (1 − λ)^T θ_0": lambda c: (1 - c["lam"]) ** c["T"] * c["theta"],
                "one step too few: (1 − ηλ)^(T−1) θ_0": lambda c: (1 - c["lr"] * c["lam"]) ** (c["T"] - 1) * c["theta"],
            },
        ),
        PropertyCheck(
            name="no weight reaches exactly 0 under SGD weight decay (∇L = 0, 0 < ηλ < 1, T ≤ 60)",
            cases=decay_cases,
            holds=_nonzero_after_decay,
            reason=(
                "exact: here |θ_T| ≥ 0.01^60 · 1e-9 = 1e-129, far above float64 underflow (4.9e-324); "
                "each step multiplies by a non-zero factor"
            ),
            planted={
                "L1's fixed-step shrink with the prox (reaches 0)": lambda c: _nonzero_after_decay(
                    c,
                    lambda cc: F.softshrink(cc["theta"], float(cc["theta"].abs().max()) + 1.0),
                ),
            },
        ),
    ),
    counterexamples=(
        Counterexample(
            "ηλ = 1 (η = 1/2, λ = 2): one step sends θ_0 = 3 to exactly 0",
            relation=REG_L2_NO_EXACT_ZERO_UNCONDITIONAL_1,
            point={theta0: 3, lr: Rational(1, 2), lam: 2},
        ),
        Counterexample(
            "a non-zero gradient can cancel the decay: θ = 1, g = 1, η = 1/2, λ = 1 gives θ' = 0",
            relation=REG_L2_NO_EXACT_ZERO_UNCONDITIONAL_2,
            point={theta[k]: 1, grad[k]: 1, lr: Rational(1, 2), lam: 1},
        ),
        Counterexample("float64 underflow: (1/2)^t θ_0 becomes exactly 0 in finite steps", run=_underflow),
    ),
    hypothesis="∇L = 0 during the decay, 0 < ηλ < 1, θ_0 ≠ 0, exact arithmetic (no underflow)",
    premise=Premise(
        relation=And(Eq(grad[k], 0), Gt(lr * lam, 0), Lt(lr * lam, 1), Ne(theta0, 0)),
        holds=lambda w: w.facts["arithmetic"] == "exact",
    ),
    sources=(),  # supporting: 001 line 74 is judged at the solution (reg.l2.optimum-zeros, reg.l2.smaller-norm)
    notes=(
        "For ηλ > 1 (ηλ ≠ 1) the iterates are still never 0 in exact arithmetic, but they change sign "
        "each step, and for ηλ > 2 they grow: that is no longer a shrink.",
    ),
)

# ── reg.l2.optimum-zeros (conditional) and reg.l2.smaller-norm ─────────────────────────────────
# Seed 001 line 74 speaks of what L2 training produces: judged at a minimizer θ* of L + (λ/2)‖θ‖².
lam_p = Symbol("lambda_p", positive=True)  # λ > 0: the penalty is on
delta = Symbol("delta", positive=True)  # μ − λ > 0: the larger of two penalties
sq_small = Symbol("a", nonnegative=True)  # ‖θ_λ‖²
sq_large = Symbol(
    "b", real=True
)  # ‖θ_μ‖², defined through the gaps (only real is declared: SymPy cannot see b ≥ 0 there)
loss_small, loss_large = symbols("A B", real=True)  # L(θ_λ), L(θ_μ)
gap1, gap2 = symbols("G_1 G_2", nonnegative=True)  # the two optimality gaps
LATEX.update(
    {
        lam_p: r"\lambda",
        delta: r"\delta",
        sq_small: r"\lVert\theta_\lambda\rVert^2",
        sq_large: r"\lVert\theta_\mu\rVert^2",
    }
)
LATEX.update({loss_small: r"L(\theta_\lambda)", loss_large: r"L(\theta_\mu)"})

STATIONARY = Derivation(
    "θ*_k at a stationary point of L + (λ/2)‖θ‖² (λ > 0)",
    -g_s / lam_p,
    (
        Step(
            th_s,
            "stationarity: ∂_kL(θ*) + λθ*_k = 0",
            "The gradient of L + (λ/2)‖θ‖² vanishes at θ*: g = ∂_kL(θ*) = −λθ*_k (the where-line). So "
            "θ*_k = −∂_kL(θ*)/λ, and since λ > 0, θ*_k = 0 exactly when ∂_kL(θ*) = 0: the penalty creates no "
            "zero of its own, unlike L1's prox (reg.l1.prox), which zeroes every |u| ≤ ηλ.",
        ),
    ),
    where=((g_s, -lam_p * th_s),),
)


@st.composite
def ridge_cases(draw: st.DrawFn) -> Case:
    """L(θ) = ½‖Xθ − y‖², X of n = 1..6 rows and p = 1..4 columns, entries over UNIT_DOMAIN (exact zeros
    included: rank-deficient X occur), y likewise; λ log-uniform in [1e-3, 1e2] and μ = λ·(1 + r), r in
    [1e-3, 1e2]; a seed for targets drawn from N(0, I). The ridge system XᵀX + λI is then well conditioned enough (cond ≤ (‖X‖² + λ)/λ ≤ 2.5e4)
    for a backward-stable solve to give the minimizer to ~1e-11 relative."""
    rows, cols = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    x = draw(st.lists(units(), min_size=rows * cols, max_size=rows * cols))
    y = draw(st.lists(units(), min_size=rows, max_size=rows))
    lm = 10.0 ** draw(st.floats(-3, 2))
    return {
        "X": torch.tensor(x, dtype=torch.float64).reshape(rows, cols),
        "y": torch.tensor(y, dtype=torch.float64),
        "lam": lm,
        "mu": lm * (1 + 10.0 ** draw(st.floats(-3, 2))),
        "seed": draw(st.integers(0, 2**31 - 1)),
    }


RIDGE_EXAMPLE: Case = {
    "X": torch.tensor([[1.0, 0.5], [0.25, -1.0], [0.5, 0.75]], dtype=torch.float64),
    "y": torch.tensor([1.0, -0.5, 0.25], dtype=torch.float64),
    "lam": 0.5,
    "mu": 2.0,
    "seed": 0,
}


def _ridge(X: torch.Tensor, y: torch.Tensor, lm: float) -> torch.Tensor:
    """The minimizer of ½‖Xθ − y‖² + (λ/2)‖θ‖²: torch.linalg.solve on (XᵀX + λI)θ = Xᵀy."""
    return torch.linalg.solve(X.T @ X + lm * torch.eye(X.shape[1], dtype=X.dtype), X.T @ y)


def _loss_grad(X: torch.Tensor, y: torch.Tensor, th: torch.Tensor) -> torch.Tensor:
    """∇L(θ) of the data loss alone, L = ½‖Xθ − y‖², by autograd."""
    p = th.detach().clone().requires_grad_(True)
    (0.5 * ((X @ p - y) ** 2).sum()).backward()
    return p.grad


def _stationary_holds(case: Case, factor=lambda lm: 1 / lm) -> Outcome:
    X, y, lm = case["X"], case["y"], case["lam"]
    th = _ridge(X, y, lm)
    g = _loss_grad(X, y, th)
    want = -g * factor(lm)
    err = float((th - want).abs().max())
    # backward-stable solve: ‖(A + E)θ̂ − b‖ with ‖E‖ ≤ c·p·u‖A‖; the residual λθ + g is ≤ 64·p·u(‖A‖‖θ‖ + ‖b‖),
    # and dividing by λ gives the bound on |θ + g/λ|
    a_norm = float(torch.linalg.matrix_norm(X.T @ X)) + lm
    bound = 64 * X.shape[1] * U * (a_norm * float(th.abs().max()) + float((X.T @ y).abs().max())) / lm
    return Outcome(err <= bound, err, bound, f"θ* = {th.tolist()}, −∇L(θ*)·factor = {want.tolist()}")


def _dense_for_continuous_targets(case: Case, solve=None) -> Outcome:
    """Ridge on X without an all-zero column, y ~ N(0, I) from the drawn seed (a density): no exact zero in θ*."""
    X = case["X"]
    if bool((X.abs().sum(0) == 0).any()):  # outside the hypothesis: give the column a value
        X = X + (X.abs().sum(0) == 0).to(X.dtype) * 0.5
    gen = torch.Generator().manual_seed(case["seed"])
    y = torch.randn(X.shape[0], generator=gen, dtype=torch.float64)
    th = (solve or _ridge)(X, y, case["lam"])
    zeros = int((th == 0).sum())
    return Outcome(zeros == 0, float(zeros), 0.0, f"θ* = {th.tolist()} for y = {y.tolist()}")


def _soft_threshold_ridge(X: torch.Tensor, y: torch.Tensor, lm: float) -> torch.Tensor:
    """A sparsifying stand-in (the ridge solution soft-thresholded by its median magnitude): must be caught."""
    th = _ridge(X, y, lm)
    return F.softshrink(th, float(th.abs().median()) + 1e-300)


def _ridge_zero_witness() -> Witness:
    """A feature that is 0 in every example (X's second column): θ*_2 = 0 for every y and every λ."""
    X = torch.tensor([[1.0, 0.0], [2.0, 0.0], [-1.0, 0.0]], dtype=torch.float64)
    y = torch.tensor([0.3, -1.2, 0.7], dtype=torch.float64)
    th = _ridge(X, y, 1.0)
    return Witness(
        bool((th != 0).all()),
        f"θ* = {th.tolist()}",
        "no exact zero",
        "the second feature is 0 in every example: ∂_2L(θ) = x_2ᵀ(Xθ − y) = 0 for every θ, so θ*_2 = 0 exactly",
        facts={"zero_columns": int((X.abs().sum(0) == 0).sum())},
    )


REG_L2_OPT_ZEROS = Claim(
    id="reg.l2.optimum-zeros",
    title=(
        "L2 adds no zeros: at the optimum θ*_k = −∂_kL(θ*)/λ; for ridge regression with continuous targets and no "
        "all-zero feature, θ* has no exact zero (probability 1)"
    ),
    verdict=Verdict.CONDITIONAL,
    summary=(
        "What L2 training ends at is a stationary point θ* of L + (λ/2)‖θ‖², where ∇L(θ*) + λθ* = 0, so "
        "θ*_k = −∂_kL(θ*)/λ: a weight is exactly 0 only where the loss's own gradient is, the penalty makes no "
        "zero of its own (L1's prox zeroes a whole interval, reg.l1.prox). For ridge regression, "
        "θ* = (XᵀX + λI)⁻¹Xᵀy, each θ*_k = c_kᵀy is linear in the targets with c_k = X(XᵀX + λI)⁻¹e_k, and "
        "c_k = 0 only when feature k is 0 in every example (Xu = 0 turns (XᵀX + λI)u = e_k into λu = e_k, so "
        "Xe_k = 0). So for targets with a density (continuous noise) θ*_k = 0 has probability 0 unless feature k "
        "is identically 0 — then θ*_k = 0 for every y, a strictly sparse solution. Checked on ridge regression: "
        "torch.linalg.solve's minimizer against −∇L(θ*)/λ from autograd, and no exact zero for targets drawn "
        "from N(0, I)."
    ),
    derivations=(STATIONARY,),
    numeric=(
        PropertyCheck(
            name="ridge minimizer (torch.linalg.solve) = −∇L(θ*)/λ (autograd of ½‖Xθ − y‖²)",
            cases=ridge_cases,
            holds=_stationary_holds,
            reason=(
                "the solve is backward stable: the normal-equation residual λθ* + ∇L(θ*) is at most "
                "64·p·u·(‖XᵀX + λI‖·‖θ*‖ + ‖Xᵀy‖), divided by λ for θ* + ∇L(θ*)/λ"
            ),
            planted={
                "θ* = −λ∇L(θ*) (λ multiplies instead of dividing)": lambda c: _stationary_holds(c, lambda lm: lm),
                "θ* = −∇L(θ*) (λ dropped)": lambda c: _stationary_holds(c, lambda lm: 1.0),
            },
            examples=(RIDGE_EXAMPLE,),
        ),
        PropertyCheck(
            name="no exact zero in the ridge minimizer for y ~ N(0, I) and no all-zero feature column",
            cases=ridge_cases,
            holds=_dense_for_continuous_targets,
            reason="exact: an exact 0 in θ* is an event of probability 0 for continuous y (the hypothesis); rounding "
            "could only produce one by underflow, far below these magnitudes",
            planted={
                "a sparsifying solver (ridge then soft-threshold)": lambda c: _dense_for_continuous_targets(
                    c, _soft_threshold_ridge
                ),
            },
            examples=(RIDGE_EXAMPLE,),
        ),
    ),
    counterexamples=(
        Counterexample(
            "a feature that is 0 in every example: θ*_2 = 0 exactly, for every y and λ",
            run=_ridge_zero_witness,
        ),
    ),
    hypothesis=(
        "ridge regression (L = ½‖Xθ − y‖²) with targets that have a density (continuous noise) and no feature that "
        "is 0 in every example; the stationarity θ*_k = −∂_kL(θ*)/λ holds for every differentiable L"
    ),
    premise=Premise(holds=lambda w: w.facts["zero_columns"] == 0),
    sources=(
        Source(
            sentence=S001_L74,
            gloss=(
                "It does not produce strictly sparse solutions. Judged at the solution L2 training ends at: "
                "θ*_k = −∂_kL(θ*)/λ, so L2 adds no zeros of its own (unlike L1). Conditional on the data: for ridge "
                "regression with continuous targets θ* has no exact zero with probability 1, unless some feature is 0 "
                "in every example — then its weight is exactly 0 whatever λ."
            ),
            assertion="不会产生严格的稀疏解",
        ),
    ),
    uses=("reg.l2.grad",),
    notes=(
        "What the kernel proves is the stationarity identity θ*_k = −∂_kL(θ*)/λ. The ridge step — θ*_k = c_kᵀy "
        "with c_k ≠ 0 unless feature k is identically 0, and a non-zero linear function of y vanishes only on a "
        "hyperplane, a null set for y with a density — is argued in the summary, not machine-checked; the numeric "
        "check samples continuous targets.",
    ),
)

SHRINK_IDENTITY = Derivation(
    "‖θ_μ‖² through the two optimality gaps (μ = λ + δ)",
    sq_large,
    (
        Step(
            sq_small
            - 2
            * (
                (loss_large + lam * sq_large / 2 - loss_small - lam * sq_small / 2)
                + (loss_small + (lam + delta) * sq_small / 2 - loss_large - (lam + delta) * sq_large / 2)
            )
            / delta,
            "add the two gaps",
            "G₁ = [L(θ_μ) + (λ/2)‖θ_μ‖²] − [L(θ_λ) + (λ/2)‖θ_λ‖²] ≥ 0 because θ_λ minimizes the λ-objective; "
            "G₂ = [L(θ_λ) + (μ/2)‖θ_λ‖²] − [L(θ_μ) + (μ/2)‖θ_μ‖²] ≥ 0 because θ_μ minimizes the μ-objective. "
            "The losses cancel in G₁ + G₂ = (δ/2)(‖θ_λ‖² − ‖θ_μ‖²).",
        ),
    ),
)
SHRINK = Derivation(
    "‖θ_λ‖² − ‖θ_μ‖² for μ = λ + δ > λ",
    sq_small - sq_large,
    (
        Step(
            2 * (gap1 + gap2) / delta,
            "the identity above",
            "G₁, G₂ are the two optimality gaps of the previous derivation (≥ 0 at global minimizers).",
        ),
        Step(
            sp.S.Zero,
            "G₁, G₂ ≥ 0, δ > 0",
            "‖θ_μ‖² ≤ ‖θ_λ‖²: a larger penalty never gives larger weights — for any loss L, convex or not, "
            "comparing global minimizers; λ = 0 compares with no regularization at all.",
            relation=">=",
            lemma=Certificate(2 * (gap1 + gap2) / delta),
        ),
    ),
    where=((sq_large, sq_small - 2 * (gap1 + gap2) / delta),),
)
theta_mu = Symbol("theta_mu", real=True)  # a coordinate of θ_μ
STRICT = Derivation(
    "δ·θ_μ,k through the two stationarity residuals at θ_μ (equality case, differentiable L)",
    delta * theta_mu,
    (
        Step(
            (g_s + (lam + delta) * theta_mu) - (g_s + lam * theta_mu),
            "difference of the residuals",
            "g = ∂_kL(θ_μ). If ‖θ_μ‖ = ‖θ_λ‖ the two gaps are 0 (the identity above), so θ_μ also minimizes the "
            "λ-objective and, L being differentiable, both residuals ∇L(θ_μ) + μθ_μ and ∇L(θ_μ) + λθ_μ vanish: "
            "δ·θ_μ = 0, θ_μ = 0. So the inequality is strict unless the more penalized weights are all 0.",
        ),
    ),
)


def _norms_ordered(case: Case, flip: bool = False) -> Outcome:
    X, y = case["X"], case["y"]
    small, large = _ridge(X, y, case["lam"]), _ridge(X, y, case["mu"])
    a_, b_ = float(small.norm()), float(large.norm())
    # each norm carries the solve's relative error ≤ 64·p·u·cond, cond ≤ (‖XᵀX‖ + λ)/λ (the smaller λ is worse)
    cond = (float(torch.linalg.matrix_norm(X.T @ X)) + case["lam"]) / case["lam"]
    slack = 64 * X.shape[1] * U * cond * max(a_, b_)
    ok = (a_ <= b_ + slack) if flip else (b_ <= a_ + slack)
    return Outcome(ok, max(b_ - a_, 0.0) if not flip else max(a_ - b_, 0.0), slack, f"‖θ_λ‖ = {a_!r}, ‖θ_μ‖ = {b_!r}")


REG_L2_SMALLER = Claim(
    id="reg.l2.smaller-norm",
    title=(
        "A larger L2 penalty gives smaller weights: μ > λ ≥ 0 ⇒ ‖θ*_μ‖ ≤ ‖θ*_λ‖ for global minimizers of any loss, "
        "strictly unless θ*_μ = 0 when L is differentiable"
    ),
    verdict=Verdict.PROVED,
    summary=(
        "For any loss L and global minimizers θ_λ of L + (λ/2)‖θ‖² and θ_μ of L + (μ/2)‖θ‖² with μ > λ ≥ 0, "
        "adding the two optimality inequalities cancels the losses and leaves (μ − λ)(‖θ_λ‖² − ‖θ_μ‖²) ≥ 0; "
        "equality forces both gaps to 0, and for a differentiable L then both stationarity conditions, so θ_μ = 0. "
        "So L2 regularization makes the trained weights smaller overall than a weaker (or no) penalty does. "
        "Checked on ridge regression, minimizers from torch.linalg.solve."
    ),
    derivations=(SHRINK_IDENTITY, SHRINK, STRICT),
    numeric=(
        PropertyCheck(
            name="‖θ_μ‖ ≤ ‖θ_λ‖ for ridge minimizers (torch.linalg.solve), μ > λ",
            cases=ridge_cases,
            holds=_norms_ordered,
            reason="each solved minimizer has relative error ≤ 64·p·u·cond(XᵀX + λI) (backward-stable solve); the "
            "comparison allows that much of the larger norm",
            planted={"the norm grows with the penalty": lambda c: _norms_ordered(c, flip=True)},
            examples=(RIDGE_EXAMPLE,),
        ),
    ),
    assumptions=(
        "θ_λ and θ_μ are global minimizers of their objectives (for a convex loss, e.g. ridge regression, every "
        "stationary point is one)",
    ),
    sources=(
        Source(
            sentence=S001_L74,
            gloss=(
                "…but makes the weights smaller overall. Judged at the solution, in norm, against a weaker or no penalty "
                "(λ = 0): the global minimizers satisfy ‖θ*_μ‖ ≤ ‖θ*_λ‖ when μ > λ, for any loss, and strictly unless "
                "θ*_μ = 0 when the loss is differentiable — proved from the two optimality inequalities. (The per-step "
                "factor 1 − ηλ is reg.l2.update.)"
            ),
            assertion="但会使权重整体变小",
        ),
    ),
)

# the id prefixes this topic owns (the registry refuses a claim of another prefix here, and a
# prefix two topics declare)
PREFIXES = ("reg",)

CLAIMS = [
    REG_L1_GRAD,
    REG_L2_GRAD,
    REG_L1_PENALTY_GRAD,
    REG_L2_PENALTY_GRAD,
    REG_L1_UPDATE,
    REG_L2_UPDATE,
    REG_L2_WEIGHT_DECAY,
    REG_L1_SPARSITY,
    REG_L1_PROX,
    REG_L2_NO_ZERO,
    REG_L2_OPT_ZEROS,
    REG_L2_SMALLER,
]

L2_SMOOTHING = shared.not_formalizable(
    "reg.l2.smoothing",
    "'L2 regularization smooths the weights'",
    "The exact part is the shrink factor (1 − ηλ) per step (reg.l2.update); 'smoothing' is not defined for a weight vector.",
    "'smoothing the weights' names no property of θ that could be checked",
    Source(sentence=S001_L74, gloss="…smoothing the weights.", assertion="起到平滑权重的作用"),
)
CLAIMS += [L2_SMOOTHING]
