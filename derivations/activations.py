"""Activations: ReLU's derivative and backward, dead units, sign of weight gradients after ReLU;
sigmoid and tanh derivatives and their bounds, the sigmoid chain bound; Swish/SiLU.

Seed 001 Q1-Q3. ReLU's derivative at the kink is a convention: SymPy's diff(Max(0, x)) is
Heaviside(x) with value 1/2 at 0, torch.relu's autograd uses 0, clamp(min=0) 1 and
torch.maximum(z, 0) 1/2 (DESIGN.md §4), so every ReLU check draws exact zeros. Identities over
a layer are proved for a symbolic number of units (the indexed-sum normalizer) with the sign
mask 1[z_i > 0] as an indexed symbol s_i (locally constant where z_i ≠ 0).
"""

from __future__ import annotations

import dataclasses
import functools
import math

import dlproofs.impl.activations as act
import torch
import torch.nn.functional as F
from dlproofs.derivations import _shared as shared
from dlproofs.derivations import _variants as variants
from hypothesis import strategies as st
from sympy import (
    Derivative,
    Eq,
    Ge,
    Gt,
    Heaviside,
    IndexedBase,
    Integral,
    Lambda,
    Max,
    Product,
    Rational,
    S,
    Sum,
    Symbol,
    erf,
    exp,
    oo,
    pi,
    sqrt,
    symbols,
    tanh,
)

from dlproofs.claim import Claim, Counterexample, Derivation, Premise, Sentence, Source, Step, Verdict, Witness
from dlproofs.contract import Contract, Locator, Variant
from dlproofs.lemmas import Certificate, LemmaUse
from dlproofs.numeric import Case, ClosedForm, CrossCheck, Outcome, PropertyCheck, Tolerance
from dlproofs.roots import RootBracket
from dlproofs.strategies import narrowed, scales, tensors
from dlproofs.sums import Index

EPS64 = torch.finfo(torch.float64).eps

# ── symbols ───────────────────────────────────────────────────────────────────────────────
x = Symbol("x", real=True)
z = Symbol("z", real=True)
g = Symbol("g", real=True)  # upstream gradient ∂L/∂a for one entry
z_pos = Symbol("z", positive=True)
z_neg = Symbol("z", negative=True)
h = Symbol("h", positive=True)  # step of a difference quotient
beta = Symbol("beta", positive=True)
delta = Symbol("delta", real=True)
sigma_s = Symbol("sigma", real=True)  # the common sign carrier of a batch's δ_i
i, t, l_ = symbols("i t l", integer=True, positive=True)
n = Symbol("n", integer=True, positive=True)  # units in a layer
k = Index("k", 1, n)  # the unit differentiated by: declared in 1..n (a premise the proof lists)
m = Symbol("m", integer=True, positive=True)  # examples in a batch
L = Symbol("L", integer=True, positive=True)  # sigmoid layers
zi = IndexedBase("z", real=True)  # pre-activations z_1..z_n (or one unit's over a batch)
gi = IndexedBase("g", real=True)  # ∂L/∂a_i
s = IndexedBase("s", nonnegative=True)  # the ReLU mask 1[z_i > 0] ∈ {0, 1}
a = IndexedBase("a", real=True)  # ReLU outputs (≥ 0, but a := s·z does not show it: only real is declared)
xi = IndexedBase("x", real=True)  # one input feature over the batch
ci = IndexedBase("c", real=True)  # the rest of the pre-activation (other features' terms)
di = IndexedBase("delta", real=True)  # ∂L/∂a_i over the batch
e = IndexedBase("e", nonnegative=True)  # |δ_i|
w = Symbol("w", real=True)  # one incoming weight
b = Symbol("b", real=True)  # the unit's bias
g_j = Symbol("g_j", real=True)  # ∂L/∂w_j for one example
nrm = IndexedBase("n", positive=True)  # ‖W_l‖₂
pre = IndexedBase("a", real=True)  # a pre-activation of layer l (the one with the largest σ')
kappa = IndexedBase("kappa", positive=True)  # ‖D_l‖₂ = max_i σ'(a_{l,i})
sig = Symbol("sigma(x)", positive=True)
tnh = Symbol("tanh(x)", real=True)
sig_b = Symbol("sigma(beta x)", positive=True)


def sigmoid(u):
    return 1 / (1 + exp(-u))


LATEX = {
    s: r"\mathbb{1}[z > 0]",
    sig: r"\sigma(x)",
    tnh: r"\tanh(x)",
    sig_b: r"\sigma(\beta x)",
    sigma_s: r"\varsigma",
    nrm: r"\lVert W \rVert_2",
    kappa: r"\kappa",
    g_j: r"\tfrac{\partial L}{\partial w_j}",
}


# ── numeric cases ─────────────────────────────────────────────────────────────────────────
def shapes() -> st.SearchStrategy[tuple[int, ...]]:
    """(n,), (N, n) or (N, C, L): a layer of units, a batch of layers, a sequence."""
    return st.lists(st.integers(1, 5), min_size=1, max_size=3).map(tuple)


@st.composite
def relu_inputs(draw: st.DrawFn, *, upstream: bool = True) -> Case:
    """fn(z, grad_out): z of rank 1..3 (sides 1..5), entries over UNIT_DOMAIN times a scale 1e-3..1e3 with
    exact zeros likely (the kink, where the convention 1[z > 0] = 0 is what is checked); the upstream
    gradient grad_out of z's shape, non-zero, own scale. ``upstream=False``: fn(z) alone (the local derivative)."""
    shape = draw(shapes())
    z_t = draw(tensors(shape, scale=draw(scales())))
    if not upstream:
        return {"z": z_t}
    grad_out = draw(tensors(shape, scale=draw(scales()), zeros=False))
    return {"z": z_t, "grad_out": grad_out}


def relu_symbols(inp: Case) -> Case:
    """The closed forms' view of relu_inputs: the upstream gradient grad_out is the symbol g."""
    return {"z": inp["z"], "g": inp["grad_out"]}


@st.composite
def x_cases(draw: st.DrawFn) -> Case:
    """x of a drawn shape and magnitude 1e-3..1e3, exact zeros likely (the σ' maximum)."""
    return {"x": draw(tensors(draw(shapes()), scale=draw(scales())))}


@st.composite
def swish_cases(draw: st.DrawFn) -> Case:
    """x as in x_cases (magnitude 1e-3..1e3, exact zeros); β in {1 (SiLU), 0.5, 2} or 1e-3..1e3, so βx
    ranges from ~0 (swish' ≈ 1/2) to saturation on both sides (swish' → 0 or 1)."""
    case = draw(x_cases())
    case["beta"] = draw(st.sampled_from([1.0, 0.5, 2.0]) | scales())
    return case


def _autograd(fn, *inputs: torch.Tensor, grad: torch.Tensor | None = None) -> torch.Tensor:
    """∂(Σ grad ⊙ fn(inputs))/∂inputs[0] by torch autograd."""
    leaf = inputs[0].detach().clone().requires_grad_(True)
    out = fn(leaf, *inputs[1:])
    (dx,) = torch.autograd.grad(out, leaf, torch.ones_like(out) if grad is None else grad)
    return dx


# ── relu.derivative ───────────────────────────────────────────────────────────────────────
SYMPY_DIFF = Derivation(
    "SymPy: d max(0, x)/dx = Heaviside(x), with Heaviside(0) = 1/2",
    Derivative(Max(0, x), x),
    (
        Step(
            Heaviside(x),
            "SymPy's derivative of Max",
            "Max(0, x) differentiates to Heaviside(x), whose default value at 0 is 1/2 — not torch's 0; "
            "the claim's form uses Heaviside(x, 0).",
        ),
    ),
)
POSITIVE = Derivation(
    "x > 0: f'(x) = 1",
    Derivative(Max(0, z_pos, evaluate=False), z_pos),
    (Step(Heaviside(z_pos, 0) * 1, "max(0, z) = z for z > 0", "On z > 0, f is the identity: f' = 1 = 1[z > 0]."),),
)
NEGATIVE = Derivation(
    "x < 0: f'(x) = 0",
    Derivative(Max(0, z_neg, evaluate=False), z_neg),
    (Step(Heaviside(z_neg, 0) * 1, "max(0, z) = 0 for z < 0", "On z < 0, f is constant 0: f' = 0 = 1[z > 0]."),),
)
RIGHT_AT_0 = Derivation(
    "x = 0, from the right: (f(h) − f(0))/h = 1",
    (Max(0, h, evaluate=False) - Max(0, 0)) / h,
    (Step(S.One, "max(0, h) = h for h > 0", "Every right difference quotient at 0 is 1, so f'(0+) = 1."),),
)
LEFT_AT_0 = Derivation(
    "x = 0, from the left: (f(−h) − f(0))/(−h) = 0",
    (Max(0, -h, evaluate=False) - Max(0, 0)) / (-h),
    (
        Step(
            S.Zero,
            "max(0, −h) = 0 for h > 0",
            "Every left difference quotient at 0 is 0: f'(0−) = 0 ≠ f'(0+), so f has no derivative at 0 "
            "and any value in [0, 1] is a subgradient; the seed and torch.relu pick 0.",
        ),
    ),
)
_RELU_DERIV = ClosedForm(Heaviside(z, 0), (z,))


def _relu_grad_autograd(case: Case, fn=torch.relu) -> torch.Tensor:
    return _autograd(fn, case["z"])


RELU_DERIVATIVE_CHECK = CrossCheck(
    name="1[z > 0] as fn(z): autograd of torch.relu with a unit upstream gradient, and impl",
    cases=narrowed(relu_inputs, upstream=False),
    expected=_RELU_DERIV,
    references={
        "impl.activations.relu_derivative": act.relu_derivative,
        "autograd of torch.relu": lambda z_t: _autograd(torch.relu, z_t),
    },
    positional=True,
    tolerance=Tolerance.exact("every value is 0 or 1, no rounding"),
    planted={
        "1[z ≥ 0] (value 1 at 0)": lambda c: (c["z"] >= 0).double(),
        "sign(z) (−1 for z < 0)": lambda c: torch.sign(c["z"]),
    },
)


S001_L18 = Sentence(
    file=shared.SEED001,
    section="Q2 优势",
    line=18,
    quote=(
        "缓解梯度消失问题:由于ReLU函数在正区间的导数恒为 1,在反向传播过程中,梯度不会像Sigmoid或Tanh函数那样因为多次相乘而不断衰减,"
        "从而有效地缓解了梯度消失问题,使得深层网络的训练更加容易。"
    ),
)
S001_L27 = Sentence(
    file=shared.SEED001,
    section="Q3",
    line=27,
    quote="平滑性:与ReLU函数在 x = 0 x = 0 x=0 处不可导不同,Swish函数是处处可导的,这使得它在优化过程中更加平滑,能够更好地利用梯度信息进行参数更新。",
)


RELU_DERIVATIVE = Claim(
    id="relu.derivative",
    title="ReLU's derivative is 1[x > 0]; at x = 0 it is a convention (torch and the seed: 0)",
    verdict=Verdict.PROVED,
    summary=(
        "f(x) = max(0, x) has f'(x) = 1 for x > 0 and 0 for x < 0. At x = 0 the one-sided derivatives "
        "are 1 and 0, so f is not differentiable there; the seed's 'f'(x) = 0 for x ≤ 0' is the "
        "subgradient choice 0, which is also torch.relu's autograd. SymPy's diff(Max(0, x)) is "
        "Heaviside(x) with Heaviside(0) = 1/2; the torch-matching form is Heaviside(x, 0) = 1[x > 0]."
    ),
    derivations=(SYMPY_DIFF, POSITIVE, NEGATIVE, RIGHT_AT_0, LEFT_AT_0),
    numeric=(
        CrossCheck(
            name="1[x > 0] against autograd of torch.relu / F.relu and impl",
            cases=relu_inputs,
            expected=_RELU_DERIV,
            references={
                "autograd of torch.relu": _relu_grad_autograd,
                "autograd of F.relu": lambda c: _relu_grad_autograd(c, F.relu),
                "impl.activations.relu_derivative": lambda c: act.relu_derivative(c["z"]),
                "autograd of impl.activations.relu": lambda c: _relu_grad_autograd(c, act.relu),
            },
            tolerance=Tolerance.exact("every value is 0 or 1, no rounding"),
            planted={
                "1[x ≥ 0] (value 1 at 0)": lambda c: (c["z"] >= 0).double(),
                "SymPy's default Heaviside(x) (value 1/2 at 0)": ClosedForm(Heaviside(z), (z,)),
            },
            examples=({"z": torch.tensor([-1.0, 0.0, 2.0], dtype=torch.float64), "grad_out": torch.ones(3).double()},),
        ),
        RELU_DERIVATIVE_CHECK,
        CrossCheck(
            name="the function itself: max(0, x) against torch.relu / F.relu and impl",
            cases=relu_inputs,
            expected=ClosedForm(Max(0, z), (z,)),
            references={
                "torch.relu": lambda c: torch.relu(c["z"]),
                "F.relu": lambda c: F.relu(c["z"]),
                "impl.activations.relu": lambda c: act.relu(c["z"]),
            },
            tolerance=Tolerance.exact("each value is z or 0, no rounding (−0.0 and +0.0 compare equal)"),
            planted={
                "leaky ReLU (0.01·x for x < 0)": lambda c: torch.where(c["z"] > 0, c["z"], 0.01 * c["z"]),
                "value 1 at x ≤ 0": lambda c: torch.where(c["z"] > 0, c["z"], 1.0),
            },
            examples=({"z": torch.tensor([-1.0, 0.0, 2.0], dtype=torch.float64), "grad_out": torch.ones(3).double()},),
        ),
    ),
    sources=(
        Source(
            shared.SEED001,
            "Q2",
            "对于 x > 0 x>0 x>0, f ′ ( x ) = 1 f'(x) = 1 f′(x)=1;对于 x ≤ 0 x\\leq0 x≤0, f ′ ( x ) = 0 f'(x) = 0 f′(x)=0。",
            "For x > 0, f'(x) = 1; for x ≤ 0, f'(x) = 0.",
            line=15,
        ),
        Source(
            sentence=S001_L18,
            gloss="ReLU's derivative is constantly 1 on the positive half-line.",
            assertion="由于ReLU函数在正区间的导数恒为 1",
        ),
        Source(
            sentence=S001_L27,
            gloss="Unlike ReLU, which is not differentiable at x = 0 (its one-sided derivatives there are 1 and 0)…",
            assertion="与ReLU函数在 x = 0 x = 0 x=0 处不可导不同",
        ),
    ),
    notes=(
        "Measured (torch 2.13 CPU): the gradient at exactly 0 is 0 for torch.relu and F.relu, 1 for "
        "z.clamp(min=0), and 0.5 for torch.maximum(z, zeros) (ties split the gradient); see relu.backward.",
    ),
    # issue 12 round 2: activation objects that return the local derivative (ML-From-Scratch's
    # ReLU.gradient(x)) are judged as shipped; 0/1 integer arrays are exact, so they are compared as float64
    contract=dataclasses.replace(
        Contract.of(
            RELU_DERIVATIVE_CHECK,
            signature="fn(z[...]) -> d[...]  # 1[z > 0], relu'(0) = 0 (float64, or an integer/bool array of 0/1)",
            reference="impl.activations.relu_derivative",
            locators=(Locator("only at entries where z == 0", lambda c: c["z"] == 0),),
            variants=variants.RELU_DERIVATIVE,
        ),
        integer_outputs=True,
    ),
)

# ── relu.backward ─────────────────────────────────────────────────────────────────────────
BACKWARD = Derivation(
    "∂L/∂z_k = ∂L/∂a_k · 1[z_k > 0] over n units",
    Derivative(Sum(gi[i] * a[i], (i, 1, n)), zi[k]),
    (
        Step(
            gi[k] * s[k],
            "chain rule through the sum",
            "a_i = s_i z_i with the mask s_i = 1[z_i > 0] constant near any z with no zero entry "
            "(relu.derivative), so only the k-th term depends on z_k; at z_k = 0 torch uses the same "
            "formula (subgradient 0).",
        ),
    ),
    sizes={n: range(1, 7)},
    pins={k: 1},
    where=((a, Lambda(t, s[t] * zi[t])),),
)
_RELU_BACKWARD = ClosedForm(g * Heaviside(z, 0), (z, g), relu_symbols)


def _backward_autograd(z_t: torch.Tensor, grad_out: torch.Tensor, fn=torch.relu) -> torch.Tensor:
    """∂L/∂z by autograd of ``fn`` with upstream gradient grad_out: a positional reference fn(z, grad_out)."""
    return _autograd(fn, z_t, grad=grad_out)


def _clamp(u: torch.Tensor) -> torch.Tensor:
    return u.clamp(min=0)


def _maximum(u: torch.Tensor) -> torch.Tensor:
    return torch.maximum(u, torch.zeros_like(u))


BACKWARD_CHECK = CrossCheck(
    name="g ⊙ 1[z > 0] against autograd of torch.relu / F.relu and impl",
    cases=relu_inputs,
    expected=_RELU_BACKWARD,
    references={
        "autograd of torch.relu": _backward_autograd,
        "autograd of F.relu": functools.partial(_backward_autograd, fn=F.relu),
        "autograd of impl.activations.relu": functools.partial(_backward_autograd, fn=act.relu),
        "impl.activations.relu_backward": act.relu_backward,
    },
    positional=True,
    tolerance=Tolerance.exact("each entry is grad_out or 0 (a product with 0 or 1), no rounding"),
    planted={
        "1[z ≥ 0] mask": lambda c: c["grad_out"] * (c["z"] >= 0),
        "autograd of z.clamp(min=0) (1 at z = 0)": lambda c: _backward_autograd(*c.values(), fn=_clamp),
        "autograd of torch.maximum(z, 0) (1/2 at z = 0)": lambda c: _backward_autograd(*c.values(), fn=_maximum),
    },
    examples=(
        {
            "z": torch.tensor([[-1.5, 0.0], [0.0, 2.0]], dtype=torch.float64),
            "grad_out": torch.tensor([[1.0, -2.0], [3.0, 0.5]], dtype=torch.float64),
        },
    ),
)


RELU_BACKWARD = Claim(
    uses=("relu.derivative",),
    id="relu.backward",
    title="ReLU backward: ∂L/∂z = ∂L/∂a ⊙ 1[z > 0]",
    verdict=Verdict.PROVED,
    summary=(
        "For a = relu(z) applied entrywise to n units, ∂L/∂z_k = ∂L/∂a_k · 1[z_k > 0]: the upstream "
        "gradient passes where z > 0 and is zeroed where z ≤ 0. Proved for a symbolic number of units; "
        "checked against autograd of torch.relu with exact zeros among the inputs. How relu is written "
        "changes the value at z = 0: clamp(min=0) passes the gradient (1), torch.maximum(z, 0) halves it."
    ),
    derivations=(BACKWARD,),
    numeric=(BACKWARD_CHECK,),
    contract=Contract.of(
        BACKWARD_CHECK,
        signature="fn(z[...], grad_out[...]) -> grad_in[...]  (float64, same shape)",
        reference="impl.activations.relu_backward",
        locators=(Locator("only at entries where z == 0", lambda c: c["z"] == 0),),
        variants=variants.RELU_BACKWARD,  # issue 12: diagnoses (derivations/_variants.py)
    ),
    assumptions=("a = relu(z) entrywise; g_k = ∂L/∂a_k is the upstream gradient",),
    sources=(
        Source(
            shared.SEED001,
            "Q2",
            "当 z l > 0 z^l>0 zl>0 时, ∂ a l ∂ z l = 1 \\frac{\\partial a^l}{\\partial z^l}=1 ∂zl∂al=1,"
            "则 ∂ L ∂ z l = ∂ L ∂ a l \\frac{\\partial L}{\\partial z^l}=\\frac{\\partial L}{\\partial a^l} ∂zl∂L=∂al∂L;"
            "当 z l ≤ 0 z^l\\leq0 zl≤0 时, ∂ a l ∂ z l = 0 \\frac{\\partial a^l}{\\partial z^l}=0 ∂zl∂al=0,"
            "则 ∂ L ∂ z l = 0 \\frac{\\partial L}{\\partial z^l}=0 ∂zl∂L=0。",
            "When z^l > 0, ∂a^l/∂z^l = 1, so ∂L/∂z^l = ∂L/∂a^l; when z^l ≤ 0, ∂a^l/∂z^l = 0, so ∂L/∂z^l = 0.",
            line=16,
        ),
    ),
    notes=(
        "Measured trap (torch 2.13 CPU): at z == 0, autograd of torch.relu / F.relu gives 0, of "
        "z.clamp(min=0) gives 1 and of torch.maximum(z, 0) gives 0.5; they agree everywhere else, so "
        "only inputs with exact zeros tell them apart (both are planted and rejected here).",
    ),
)

# ── relu.dead-unit ────────────────────────────────────────────────────────────────────────
# One unit over a batch of m examples: z_i = w x_i + c_i + b, where x_i is the input feature that
# w multiplies and c_i the other features' contribution; a_i = s_i z_i, ∂L/∂a_i = δ_i.
_UNIT_WHERE = ((a, Lambda(t, s[t] * (w * xi[t] + ci[t] + b))),)
_DEAD = ((s, Lambda(t, S.Zero)),)
GRAD_W = Derivation(
    "∂L/∂w = Σ_i δ_i 1[z_i > 0] x_i over m examples",
    Derivative(Sum(di[i] * a[i], (i, 1, m)), w),
    (Step(Sum(di[i] * s[i] * xi[i], (i, 1, m)), "chain rule", "∂a_i/∂w = s_i x_i with the mask held fixed."),),
    sizes={m: range(1, 7)},
    where=_UNIT_WHERE,
)
GRAD_B = Derivation(
    "∂L/∂b = Σ_i δ_i 1[z_i > 0]",
    Derivative(Sum(di[i] * a[i], (i, 1, m)), b),
    (Step(Sum(di[i] * s[i], (i, 1, m)), "chain rule", "∂a_i/∂b = s_i."),),
    sizes={m: range(1, 7)},
    where=_UNIT_WHERE,
)
DEAD_W = Derivation(
    "dead unit (z_i ≤ 0 for all i): ∂L/∂w = 0",
    Sum(di[i] * s[i] * xi[i], (i, 1, m)),
    (Step(S.Zero, "1[z_i > 0] = 0 for every i", "Every term carries the mask, and the mask is 0 on the batch."),),
    sizes={m: range(1, 7)},
    where=_DEAD,
)
DEAD_B = Derivation(
    "dead unit: ∂L/∂b = 0",
    Sum(di[i] * s[i], (i, 1, m)),
    (Step(S.Zero, "1[z_i > 0] = 0 for every i", "As for w: no example passes gradient to the bias."),),
    sizes={m: range(1, 7)},
    where=_DEAD,
)


@st.composite
def dead_cases(draw: st.DrawFn) -> Case:
    """A nn.Linear layer (integer-valued weights, so z is exact) with unit j dead on the batch.

    b_j = −max_i W_j·x_i − margin; margin 0 (drawn often) makes max_i z_ij exactly 0.
    """
    return {
        "m": draw(st.integers(1, 6)),
        "d": draw(st.integers(1, 5)),
        "units": draw(st.integers(1, 4)),
        "j": draw(st.integers(0, 3)),
        "margin": draw(st.sampled_from([0.0, 0.0, 0.5, 3.0])),
        "seed": draw(st.integers(0, 2**31 - 1)),
    }


def _dead_layer(case: Case):
    gen = torch.Generator().manual_seed(case["seed"])
    m_, d_, u_ = case["m"], case["d"], case["units"]
    j_ = case["j"] % u_
    x_t = torch.randint(-3, 4, (m_, d_), generator=gen).double()  # [m, d]
    lin = torch.nn.Linear(d_, u_, dtype=torch.float64)
    with torch.no_grad():
        lin.weight.copy_(torch.randint(-3, 4, (u_, d_), generator=gen).double())  # [units, d]
        lin.bias.copy_(torch.randint(-3, 4, (u_,), generator=gen).double())
        lin.bias[j_] = -(x_t @ lin.weight[j_]).max() - case["margin"]
    upstream = torch.randn(m_, u_, generator=gen, dtype=torch.float64) + 0.1  # ∂L/∂a, [m, units]
    return x_t, lin, upstream, j_


def _dead_unit_grads(case: Case, relu=torch.relu) -> Outcome:
    x_t, lin, upstream, j_ = _dead_layer(case)
    z_t = lin(x_t)  # [m, units]
    z_j = z_t[:, j_].detach()
    if not bool((z_j <= 0).all()):
        return Outcome(False, math.inf, 0.0, f"set-up: unit {j_} is not dead, z = {z_j.tolist()}")
    (relu(z_t) * upstream).sum().backward()
    gw, gb = lin.weight.grad[j_], lin.bias.grad[j_]
    err = max(float(gw.abs().max()), float(gb.abs()))
    detail = f"unit {j_}: max z = {float(z_j.max())}, ∂L/∂w_j = {gw.tolist()}, ∂L/∂b_j = {float(gb)}"
    return Outcome(err == 0.0, err, 0.0, detail)


RELU_DEAD = Claim(
    id="relu.dead-unit",
    title="A unit with z ≤ 0 on the whole batch gets exactly zero gradient for its weights and bias",
    verdict=Verdict.PROVED,
    summary=(
        "For one unit over a batch of m examples, ∂L/∂w = Σ_i δ_i 1[z_i > 0] x_i and ∂L/∂b = Σ_i δ_i 1[z_i > 0] "
        "(symbolic m). If z_i ≤ 0 for every i every mask is 0 and both are exactly 0: a gradient step "
        "cannot revive the unit on this batch. With z_i = 0 exactly this relies on relu'(0) = 0: a unit "
        "written with clamp(min=0) or torch.maximum at the boundary still learns."
    ),
    derivations=(GRAD_W, GRAD_B, DEAD_W, DEAD_B),
    numeric=(
        PropertyCheck(
            name="nn.Linear + torch.relu autograd: dead unit's weight and bias gradients are exactly 0",
            cases=dead_cases,
            holds=_dead_unit_grads,
            reason="exact: integer-valued inputs and weights make z exact, and a zero mask gives exact zeros",
            planted={
                "relu as clamp(min=0) (gradient 1 at z = 0)": lambda c: _dead_unit_grads(c, _clamp),
                "relu as torch.maximum(z, 0) (gradient 1/2 at z = 0)": lambda c: _dead_unit_grads(c, _maximum),
            },
            examples=({"m": 3, "d": 2, "units": 2, "j": 0, "margin": 0.0, "seed": 1},),
        ),
    ),
    assumptions=("z_i = w·x_i + b for the unit; δ_i = ∂L/∂a_i; the batch is fixed",),
    sources=(
        Source(
            shared.SEED001,
            "Q2 局限",
            "神经元死亡问题:如果一个神经元的输入始终为负数,那么它的输出将始终为 0,在反向传播时,该神经元的梯度也为 0,"
            "导致该神经元无法再被更新,即“死亡”。",
            "Dying neurons: if a neuron's input is always negative, its output is always 0 and in "
            "backpropagation its gradient is 0 too, so it can no longer be updated — it has 'died'.",
            line=22,
        ),
    ),
    notes=(
        "The seed says 'always negative'; the proof covers z ≤ 0 (zero included) under torch's "
        "relu'(0) = 0. Other batches (or weight decay, or other units' updates changing the inputs) "
        "can still revive it: the claim is per batch.",
    ),
)

# ── relu.same-sign-grads ──────────────────────────────────────────────────────────────────
ONE_EXAMPLE = Derivation(
    "one example: δ · ∂L/∂w_j = δ² max(0, z_j) ≥ 0",
    delta * g_j,
    (
        Step(
            delta**2 * Max(0, z),
            "∂L/∂w_j = δ a_j",
            "The unit's output is Σ_j w_j a_j + b, so ∂L/∂w_j = δ a_j with a_j = max(0, z_j).",
        ),
        Step(
            S.Zero,
            "δ² ≥ 0, a_j ≥ 0",
            "So every ∂L/∂w_j is 0 or has δ's sign: for one example all incoming weights move one way.",
            relation=">=",
            lemma=Certificate(delta**2 * Max(0, z)),  # δ² ≥ 0 times max(0, z) ≥ 0
        ),
    ),
    where=((g_j, delta * Max(0, z)),),
)
SAME_SIGN_BATCH = Derivation(
    "batch with δ_i = ς e_i, e_i ≥ 0: ς · Σ_i δ_i a_ij ≥ 0",
    sigma_s * Sum(di[i] * Max(0, zi[i]), (i, 1, m)),
    (
        Step(
            S.Zero,
            "ς² e_i a_ij ≥ 0",
            "If every example's δ_i has the same sign ς, each term of ς Σ_i δ_i a_ij is ς² e_i a_ij ≥ 0.",
            relation=">=",
            lemma=Certificate(Sum(sigma_s**2 * e[i] * Max(0, zi[i]), (i, 1, m))),  # ς pulled into the sum
        ),
    ),
    sizes={m: range(1, 5)},
    where=((di, Lambda(t, sigma_s * e[t])),),
)

# Batch of 2, two inputs: ReLU outputs a_1 = (1, 0), a_2 = (0, 1) and δ = (1, −1).
d1, d2 = symbols("delta_1 delta_2", real=True)
z11, z12, z21, z22 = symbols("z_11 z_12 z_21 z_22", real=True)
_G1 = d1 * Max(0, z11) + d2 * Max(0, z21)
_G2 = d1 * Max(0, z12) + d2 * Max(0, z22)
_MIXED_POINT = {d1: 1, d2: -1, z11: 1, z12: -1, z21: -1, z22: 1}


def _mixed_batch_witness() -> Witness:
    """nn.Linear(2, 1) fed relu outputs of a batch of 2 with δ = (1, −1): gradient (1, −1)."""
    z_t = torch.tensor([[1.0, -1.0], [-1.0, 1.0]], dtype=torch.float64)  # [batch 2, inputs 2]
    lin = torch.nn.Linear(2, 1, dtype=torch.float64)
    y = lin(torch.relu(z_t))  # [2, 1]
    (y.squeeze(1) * torch.tensor([1.0, -1.0], dtype=torch.float64)).sum().backward()
    grad = lin.weight.grad[0]
    same = bool((grad >= 0).all() or (grad <= 0).all())
    return Witness(
        same,
        f"∂L/∂w = {grad.tolist()}",
        "one common sign",
        "nn.Linear(2, 1) autograd, δ = (1, −1)",
        facts={"delta": (1.0, -1.0)},
    )


@st.composite
def sign_cases(draw: st.DrawFn) -> Case:
    """m = 1..5 examples, d = 1..5 inputs, a sign ς = ±1 and a seed: z ~ N(0, 1) with about 20% exact
    zeros (dead ReLU inputs), δ_i = ς·U(0, 1), so every δ_i shares ς's sign, the claim's hypothesis."""
    return {
        "m": draw(st.integers(1, 5)),
        "d": draw(st.integers(1, 5)),
        "sign": draw(st.sampled_from([1.0, -1.0])),
        "seed": draw(st.integers(0, 2**31 - 1)),
    }


def _weight_grad_signs(case: Case, mixed: bool = False) -> Outcome:
    """nn.Linear(d, 1) after relu, δ_i = sign·|r_i| (same sign); planted: example 0's δ flipped."""
    gen = torch.Generator().manual_seed(case["seed"])
    z_t = torch.randn(case["m"], case["d"], generator=gen, dtype=torch.float64)  # [m, d]
    z_t[torch.rand(z_t.shape, generator=gen) < 0.2] = 0.0
    dl = case["sign"] * torch.rand(case["m"], generator=gen, dtype=torch.float64)  # [m]
    if mixed:
        dl[0] = -dl[0]
    lin = torch.nn.Linear(case["d"], 1, dtype=torch.float64)
    (lin(torch.relu(z_t)).squeeze(1) * dl).sum().backward()
    grad = lin.weight.grad[0]
    worst = float((-case["sign"] * grad).max())
    return Outcome(worst <= 0, max(worst, 0.0), 0.0, f"δ = {dl.tolist()}, ∂L/∂w = {grad.tolist()}")


# what the counterexamples refute: the statement without the hypothesis
RELU_SAME_SIGN_GRADS_UNCONDITIONAL = Ge(_G1 * _G2, 0)
RELU_SAME_SIGN = Claim(
    id="relu.same-sign-grads",
    title="After ReLU, a unit's incoming weight gradients share one sign — per example, not per batch",
    verdict=Verdict.CONDITIONAL,
    refutes=(RELU_SAME_SIGN_GRADS_UNCONDITIONAL,),  # without the hypothesis
    summary=(
        "The seed: non-negative ReLU outputs make weight updates move 'in one direction'. For a unit fed "
        "by ReLU outputs a_j ≥ 0, one example gives ∂L/∂w_j = δ a_j: every component is 0 or has δ's "
        "sign. Over a batch, ∂L/∂w_j = Σ_i δ_i a_ij, and with δ_i of both signs the components can have "
        "mixed signs (batch of 2: a = (1, 0), (0, 1), δ = (1, −1) gives (1, −1)). True per example, or "
        "when all δ_i share a sign; false for a general batch."
    ),
    derivations=(ONE_EXAMPLE, SAME_SIGN_BATCH),
    numeric=(
        PropertyCheck(
            name="nn.Linear after relu, δ_i of one sign: ς·∂L/∂w ≥ 0 entrywise (autograd)",
            cases=sign_cases,
            holds=_weight_grad_signs,
            reason="exact: a sum of terms of one sign cannot change sign under rounding",
            planted={"mixed-sign δ (example 0 flipped) still gives one sign": lambda c: _weight_grad_signs(c, True)},
            examples=({"m": 2, "d": 3, "sign": 1.0, "seed": 0},),
        ),
    ),
    counterexamples=(
        Counterexample(
            "batch of 2 with a_1 = (1, 0), a_2 = (0, 1), δ = (1, −1): ∂L/∂w = (1, −1), so g_1·g_2 ≥ 0 fails",
            relation=RELU_SAME_SIGN_GRADS_UNCONDITIONAL,
            point=_MIXED_POINT,
        ),
        Counterexample(
            "the same batch through nn.Linear(2, 1) and torch.relu autograd: ∂L/∂w = (1, −1)",
            run=_mixed_batch_witness,
        ),
    ),
    hypothesis="a single example, or a batch in which every example's δ_i = ∂L/∂y_i has the same sign",
    premise=Premise(
        relation=Ge(d1 * d2, 0),  # a batch of 2: δ_1, δ_2 of one sign
        holds=lambda w: all(v >= 0 for v in w.facts["delta"]) or all(v <= 0 for v in w.facts["delta"]),
    ),
    sources=(),
    notes=(
        "The seed hedges ('可能', may): the zig-zag argument (LeCun et al. 1998) is a per-example one. "
        "Mini-batch SGD averages δ_i of both signs, which is why the effect is weaker in practice.",
    ),
)

# ── sigmoid.derivative ────────────────────────────────────────────────────────────────────
SIG_WHERE = ((sig, sigmoid(x)),)
SIG_DIFF = Derivation(
    "σ'(x) = σ(x)(1 − σ(x))",
    Derivative(sigmoid(x), x),
    (
        Step(exp(-x) / (1 + exp(-x)) ** 2, "chain rule", "d/dx (1 + e^{−x})^{−1} = e^{−x}/(1 + e^{−x})²."),
        Step(
            sig * (1 - sig),
            "1 − σ = e^{−x}/(1 + e^{−x})",
            "Split e^{−x}/(1 + e^{−x})² into 1/(1 + e^{−x}) times e^{−x}/(1 + e^{−x}).",
        ),
    ),
    where=SIG_WHERE,
)
SIG_BOUND = Derivation(
    "1/4 − σ'(x) = (σ(x) − 1/2)² ≥ 0",
    Rational(1, 4) - sig * (1 - sig),
    (
        Step((sig - Rational(1, 2)) ** 2, "complete the square", "1/4 − σ + σ² = (σ − 1/2)²."),
        Step(
            S.Zero,
            "a square is ≥ 0",
            "So σ' ≤ 1/4, with equality iff σ(x) = 1/2, i.e. x = 0: the maximum is σ'(0) = 1/4.",
            relation=">=",
            lemma=LemmaUse("square-nonneg", x=sig - Rational(1, 2)),
        ),
    ),
    where=SIG_WHERE,
)
_SIG_PRIME = ClosedForm(SIG_WHERE[0][1] * (1 - SIG_WHERE[0][1]), (x,))


def _bound_attained(case: Case, fn, bound: float, at_zero: float) -> Outcome:
    """autograd f' ≤ bound on the drawn x, and f'(0) = bound (the bound is the maximum)."""
    d = _autograd(fn, case["x"])
    d0 = float(_autograd(fn, torch.zeros(1, dtype=torch.float64)))
    top = float(d.max())
    ok = top <= bound * (1 + 2 * EPS64) and d0 == bound
    return Outcome(ok, max(top - bound, abs(d0 - bound)), 0.0, f"max f' = {top!r}, f'(0) = {d0!r}, bound {bound}")


S001_L5 = Sentence(
    file=shared.SEED001,
    section="Q1",
    line=5,
    quote=(
        "Sigmoid函数的导数 σ ′ ( x ) = σ ( x ) ( 1 − σ ( x ) ) \\sigma'(x)=\\sigma(x)(1 - \\sigma(x)) σ′(x)=σ(x)(1−σ(x)),"
        "其最大值为 0.25,当输入值非常大或非常小时,导数趋近于 0。"
    ),
)


SIGMOID_DERIVATIVE = Claim(
    id="sigmoid.derivative",
    title="σ'(x) = σ(x)(1 − σ(x)) ≤ 1/4, with the maximum at x = 0",
    verdict=Verdict.PROVED,
    summary=(
        "For σ(x) = 1/(1 + e^{−x}): σ' = σ(1 − σ), and 1/4 − σ(1 − σ) = (σ − 1/2)² ≥ 0, so σ' ≤ 1/4 "
        "with equality exactly at x = 0. Both are exact SymPy steps; autograd of torch.sigmoid agrees."
    ),
    derivations=(SIG_DIFF, SIG_BOUND),
    numeric=(
        CrossCheck(
            name="σ(1 − σ) against autograd of torch.sigmoid and impl",
            cases=x_cases,
            expected=_SIG_PRIME,
            references={
                "autograd of torch.sigmoid": lambda c: _autograd(torch.sigmoid, c["x"]),
                "autograd of impl.activations.sigmoid": lambda c: _autograd(act.sigmoid, c["x"]),
                "impl.activations.sigmoid_derivative": lambda c: act.sigmoid_derivative(c["x"]),
            },
            tolerance=Tolerance(
                8,
                "σ' ≤ 1/4; σ and 1 − σ each carry a few roundings, absolute error a few u",
            ),
            planted={
                "σ(1 + σ)": lambda c: torch.sigmoid(c["x"]) * (1 + torch.sigmoid(c["x"])),
                "σ' = σ": lambda c: torch.sigmoid(c["x"]),
            },
        ),
        PropertyCheck(
            name="autograd σ' ≤ 1/4 on drawn x, attained at 0",
            cases=x_cases,
            holds=lambda c: _bound_attained(c, torch.sigmoid, 0.25, 0.25),
            reason="σ'(0) = 0.5·0.5 is exact in binary; elsewhere 2 u of slack for the product's rounding",
            planted={
                "bound 1/2 (true but not the maximum)": lambda c: _bound_attained(c, torch.sigmoid, 0.5, 0.5),
                "bound 1/8": lambda c: _bound_attained(c, torch.sigmoid, 0.125, 0.125),
            },
        ),
    ),
    sources=(
        Source(
            sentence=S001_L5,
            gloss="The sigmoid's derivative is σ'(x) = σ(x)(1 − σ(x)); its maximum is 0.25 (the limit clause after it is its own row).",
            assertion="Sigmoid函数的导数 σ ′ ( x ) = σ ( x ) ( 1 − σ ( x ) ) \\sigma'(x)=\\sigma(x)(1 - \\sigma(x)) σ′(x)=σ(x)(1−σ(x)),其最大值为 0.25,",
        ),
    ),
)

# ── tanh.derivative ───────────────────────────────────────────────────────────────────────
TANH_EXP = (exp(x) - exp(-x)) / (exp(x) + exp(-x))
TANH_WHERE = ((tnh, TANH_EXP),)
TANH_DIFF = Derivation(
    "tanh'(x) = 1 − tanh²(x)",
    Derivative(TANH_EXP, x),
    (
        Step(4 / (exp(x) + exp(-x)) ** 2, "quotient rule", "(e^x + e^{−x})² − (e^x − e^{−x})² = 4."),
        Step(1 - tnh**2, "1 − tanh² = 4/(e^x + e^{−x})²", "The same difference of squares, read backwards."),
    ),
    where=TANH_WHERE,
)
TANH_BOUND = Derivation(
    "1 − tanh'(x) = tanh²(x) ≥ 0",
    1 - (1 - tnh**2),
    (
        Step(tnh**2, "cancel", "1 − (1 − tanh²) = tanh²."),
        Step(
            S.Zero,
            "a square is ≥ 0",
            "So tanh' ≤ 1 with equality iff tanh x = 0, i.e. x = 0.",
            relation=">=",
            lemma=LemmaUse("square-nonneg", x=tnh),
        ),
    ),
    where=TANH_WHERE,
)

S001_L5_2 = Sentence(
    file=shared.SEED001,
    section="Q1",
    line=5,
    quote=(
        "Tanh函数的导数 tanh ′ ( x ) = 1 − tanh 2 ( x ) \\tanh'(x)=1-\\tanh^{2}(x) tanh′(x)=1−tanh2(x),"
        "其最大值为 1,但在饱和区域导数也会趋近于 0。"
    ),
)


TANH_DERIVATIVE = Claim(
    id="tanh.derivative",
    title="tanh'(x) = 1 − tanh²(x) ≤ 1, with the maximum at x = 0",
    verdict=Verdict.PROVED,
    summary=(
        "From tanh x = (e^x − e^{−x})/(e^x + e^{−x}): tanh' = 4/(e^x + e^{−x})² = 1 − tanh², and "
        "1 − tanh' = tanh² ≥ 0, so tanh' ≤ 1 with equality only at x = 0 (tanh' = 4σ'(2x))."
    ),
    derivations=(TANH_DIFF, TANH_BOUND),
    numeric=(
        CrossCheck(
            name="1 − tanh² against autograd of torch.tanh and impl",
            cases=x_cases,
            # tanh ≡ (e^x − e^{−x})/(e^x + e^{−x}), but evaluated as torch.tanh: the exp form overflows
            # to inf/inf = nan for |x| > 710, where the derivative is a finite 0.
            expected=ClosedForm(TANH_DIFF.rhs.xreplace({tnh: tanh(x)}), (x,)),
            references={
                "autograd of torch.tanh": lambda c: _autograd(torch.tanh, c["x"]),
                "impl.activations.tanh_derivative": lambda c: act.tanh_derivative(c["x"]),
            },
            tolerance=Tolerance(
                16,
                "tanh' ≤ 1; the exp form of tanh is within a few u of torch.tanh, squared and subtracted from 1",
            ),
            planted={
                "1 − tanh": lambda c: 1 - torch.tanh(c["x"]),
                "1 + tanh²": lambda c: 1 + torch.tanh(c["x"]) ** 2,
            },
        ),
        PropertyCheck(
            name="autograd tanh' ≤ 1 on drawn x, attained at 0",
            cases=x_cases,
            holds=lambda c: _bound_attained(c, torch.tanh, 1.0, 1.0),
            reason="tanh'(0) = 1 − 0² is exact; elsewhere 2 u of slack",
            planted={"bound 1/2": lambda c: _bound_attained(c, torch.tanh, 0.5, 0.5)},
        ),
    ),
    sources=(
        Source(
            sentence=S001_L5_2,
            gloss="The tanh derivative is tanh'(x) = 1 − tanh²(x); its maximum is 1 (the saturation clause after it is its own row).",
            assertion="Tanh函数的导数 tanh ′ ( x ) = 1 − tanh 2 ( x ) \\tanh'(x)=1-\\tanh^{2}(x) tanh′(x)=1−tanh2(x),其最大值为 1,",
        ),
    ),
)

# ── sigmoid.chain-bound ───────────────────────────────────────────────────────────────────
CHAIN = Derivation(
    "(1/4)^L ∏ ‖W_l‖₂ − ∏ ‖W_l‖₂ ‖D_l‖₂ ≥ 0 for L layers",
    Rational(1, 4) ** L * Product(nrm[l_], (l_, 1, L)) - Product(nrm[l_] * kappa[l_], (l_, 1, L)),
    (
        Step(
            S.Zero,
            "σ' ≤ 1/4 per layer",
            "‖∂L/∂h_{l}‖ ≤ ‖W_l‖₂ ‖D_l‖₂ ‖∂L/∂h_{l+1}‖ since ∂L/∂h_l = W_lᵀ D_l ∂L/∂h_{l+1} with "
            "D_l = diag σ'(a_l) (submultiplicativity of the operator norm); ‖D_l‖₂ = max_i σ'(a_{l,i}) ≤ 1/4 "
            "(sigmoid.derivative), so the product of the per-layer factors is at most (1/4)^L ∏ ‖W_l‖₂.",
            relation=">=",
            # checked: ∏ ‖W_l‖₂ κ_l ≤ ∏ ‖W_l‖₂/4 factor by factor, from κ_l = σ'(a_l) ≤ 1/4; the
            # submultiplicativity of the operator norm above is the (unchecked) modelling step
            lemma=LemmaUse(
                "product-monotone",
                f=nrm[l_] * kappa[l_],
                g=nrm[l_] / 4,
                i=l_,
                lo=1,
                hi=L,
                given={"f <= g": Certificate((nrm[l_], LemmaUse("sigmoid-prime-le-quarter", x=pre[l_])))},
            ),
        ),
    ),
    where=((kappa, Lambda(t, exp(-pre[t]) / (1 + exp(-pre[t])) ** 2)),),  # σ(a)(1 − σ(a)), written so SymPy sees κ > 0
)


@st.composite
def mlp_cases(draw: st.DrawFn) -> Case:
    """A bias-free sigmoid MLP: depth 1..6, widths 1..5 (width 1 often), weight scale 1e-3..10, seed.

    x, g and W/scale ~ N(0, 1): small weights keep pre-activations near 0 where σ' ≈ 1/4 (the bound
    nearly tight); scale 10 saturates σ (σ' ≪ 1/4, the bound loose but still to hold).
    """
    depth = draw(st.integers(1, 6))
    widths = draw(st.lists(st.one_of(st.just(1), st.integers(1, 5)), min_size=depth + 1, max_size=depth + 1))
    return {
        "L": depth,
        "widths": tuple(widths),
        "scale": draw(st.sampled_from([1e-3, 1.0]) | st.floats(-3, 1).map(lambda u: float(10.0**u))),
        "seed": draw(st.integers(0, 2**31 - 1)),
    }


def _mlp(case: Case):
    gen = torch.Generator().manual_seed(case["seed"])
    ws = case["widths"]
    weights = [
        case["scale"] * torch.randn(ws[i_ + 1], ws[i_], generator=gen, dtype=torch.float64) for i_ in range(case["L"])
    ]  # W_l: [d_{l+1}, d_l]
    x_t = torch.randn(ws[0], generator=gen, dtype=torch.float64)  # [d_0]
    g_t = torch.randn(ws[-1], generator=gen, dtype=torch.float64)  # ∂L/∂h_L: [d_L]
    return weights, x_t, g_t


def _input_grad_autograd(case: Case) -> torch.Tensor:
    weights, x_t, g_t = _mlp(case)
    return _autograd(lambda u: act.sigmoid_mlp_forward(weights, u), x_t, grad=g_t)


def _chain_bound(case: Case, per_layer: float = 0.25) -> Outcome:
    """‖∂L/∂x‖ ≤ ∏‖W_l‖₂‖D_l‖₂ ‖g_L‖ ≤ per_layer^L ∏‖W_l‖₂ ‖g_L‖, autograd on a drawn MLP."""
    weights, x_t, g_t = _mlp(case)
    grad = _input_grad_autograd(case)
    h_t, layer_factor = x_t, 1.0
    for w_t in weights:
        pre_t = w_t @ h_t  # [d_{l+1}]
        h_t = torch.sigmoid(pre_t)
        layer_factor *= float(torch.linalg.matrix_norm(w_t, ord=2)) * float((h_t * (1 - h_t)).max())
    slack = 1 + 64 * (case["L"] + 1) * max(case["widths"]) * EPS64  # matvec and SVD rounding, per layer
    lhs, gn = float(grad.norm()), float(g_t.norm())
    sub = layer_factor * gn
    # the bound (1/4)^L ∏‖W_l‖₂ from impl (its value is pinned by the check below), rescaled for a planted factor
    top = float(act.sigmoid_mlp_grad_bound(weights)) * (per_layer / 0.25) ** case["L"] * gn
    ok = lhs <= sub * slack and sub <= top * slack
    return Outcome(ok, lhs, top, f"‖∂L/∂x‖ = {lhs:.6g}, ∏‖W‖‖D‖·‖g‖ = {sub:.6g}, bound = {top:.6g}")


def _manual_with(case: Case, derivative) -> torch.Tensor:
    weights, x_t, g_t = _mlp(case)
    pres, h_t = [], x_t
    for w_t in weights:
        pres.append(w_t @ h_t)
        h_t = torch.sigmoid(pres[-1])
    for w_t, p_t in zip(reversed(weights), reversed(pres)):
        g_t = (g_t * derivative(p_t)) @ w_t
    return g_t


def _mlp_scale(case: Case) -> float:
    """(L + 1)·d_max·∏ ‖|W_l|‖_F/4 · ‖g_L‖: the size of the largest partial products."""
    weights, _, g_t = _mlp(case)
    return (case["L"] + 1) * max(case["widths"]) * math.prod(float(w_t.norm()) / 4 for w_t in weights) * float(
        g_t.norm()
    ) + EPS64


SIGMOID_CHAIN = Claim(
    uses=("sigmoid.derivative",),
    id="sigmoid.chain-bound",
    title="Through L sigmoid layers the backpropagated gradient shrinks by at least (1/4)^L ∏‖W_l‖₂",
    verdict=Verdict.PROVED,
    summary=(
        "For h_{l+1} = σ(W_l h_l), ∂L/∂h_l = W_lᵀ diag(σ'(a_l)) ∂L/∂h_{l+1}. By submultiplicativity of "
        "the operator norm and σ' ≤ 1/4, ‖∂L/∂x‖ ≤ (1/4)^L ∏ ‖W_l‖₂ ‖∂L/∂h_L‖ for any depth L and "
        "widths: with ‖W_l‖₂ < 4 the gradient vanishes geometrically — the seed's vanishing-gradient "
        "mechanism, as a bound (it says nothing when ‖W_l‖₂ > 4)."
    ),
    derivations=(CHAIN,),
    numeric=(
        PropertyCheck(
            name="autograd on random sigmoid MLPs: ‖∂L/∂x‖ ≤ ∏‖W‖₂‖D‖₂‖g‖ ≤ (1/4)^L ∏‖W‖₂‖g‖",
            cases=mlp_cases,
            holds=_chain_bound,
            reason="relative slack 64·(L + 1)·d_max·u for the matrix-vector products and the SVD norms",
            planted={"(1/8)^L bound": lambda c: _chain_bound(c, 0.125)},
            examples=({"L": 2, "widths": (1, 1, 1), "scale": 1e-3, "seed": 0},),
        ),
        CrossCheck(
            name="the bound's value (1/4)^L ∏‖W_l‖₂: impl against the largest singular values (torch.linalg.svdvals)",
            cases=mlp_cases,
            expected=lambda c: torch.tensor(
                0.25 ** c["L"] * math.prod(float(torch.linalg.svdvals(w_t)[0]) for w_t in _mlp(c)[0]),
                dtype=torch.float64,
            ),
            references={"impl.activations.sigmoid_mlp_grad_bound": lambda c: act.sigmoid_mlp_grad_bound(_mlp(c)[0])},
            tolerance=Tolerance(
                16,
                "relative: L spectral norms, each backward stable to a few ulps of its value, and L products: "
                "scale = (L + 1)·value",
                lambda c: (
                    (c["L"] + 1) * 0.25 ** c["L"] * math.prod(float(torch.linalg.svdvals(w_t)[0]) for w_t in _mlp(c)[0])
                ),
            ),
            planted={
                "(1/2)^L: σ' ≤ 1/2": lambda c: torch.tensor(
                    0.5 ** c["L"] * math.prod(float(torch.linalg.svdvals(w_t)[0]) for w_t in _mlp(c)[0]),
                    dtype=torch.float64,
                ),
                "Frobenius norms instead of spectral": lambda c: torch.tensor(
                    0.25 ** c["L"] * math.prod(float(w_t.norm()) for w_t in _mlp(c)[0]), dtype=torch.float64
                ),
            },
        ),
        CrossCheck(
            name="manual backprop (impl) against autograd of the sigmoid MLP",
            cases=mlp_cases,
            expected=_input_grad_autograd,
            references={
                "impl.activations.sigmoid_mlp_input_grad": lambda c: act.sigmoid_mlp_input_grad(*_mlp(c)),
                "manual backprop with σ(1 − σ)": lambda c: _manual_with(c, act.sigmoid_derivative),
            },
            tolerance=Tolerance(
                64,
                "L matrix-vector products of width ≤ d_max: scale = (L + 1)·d_max·∏‖W_l‖_F/4·‖g_L‖",
                _mlp_scale,
            ),
            planted={
                "σ' = σ(1 + σ) in the backward pass": lambda c: _manual_with(
                    c, lambda p: torch.sigmoid(p) * (1 + torch.sigmoid(p))
                ),
            },
            # run before the drawn cases: square layers of width 3 at unit scale (in mlp_cases' domain), where a
            # transposed weight in the backward pass stays well-formed and is compared by value
            examples=({"L": 2, "widths": (3, 3, 3), "scale": 1.0, "seed": 1},),
        ),
    ),
    assumptions=("h_{l+1} = σ(W_l h_l), no biases (a bias does not change D_l's bound); norms are spectral",),
    sources=(),
    notes=(
        "The product form is an upper bound: large weights (‖W_l‖₂ > 4) can offset the 1/4 per layer, "
        "so 'deep sigmoid nets always vanish' needs ‖W_l‖₂ < 4 (e.g. typical initializations), not depth alone.",
        "Neither cross-check's expected value is lambdified from the derivation: the derivation is an inequality "
        "between symbolic norms, so the first check computes the bound's value (1/4)^L ∏‖W_l‖₂ from "
        "torch.linalg.svdvals of the drawn weights (spectral norms the SymPy-to-torch converter cannot form), and "
        "the second holds impl's manual backprop to autograd, since the gradient itself has no closed form here.",
    ),
)

# ── swish.derivative ──────────────────────────────────────────────────────────────────────
SW_WHERE = ((sig_b, sigmoid(beta * x)),)
SWISH_DIFF = Derivation(
    "d/dx x·σ(βx) = σ(βx) + βx σ(βx)(1 − σ(βx))",
    Derivative(x * sigmoid(beta * x), x),
    (
        Step(
            sig_b + beta * x * sig_b * (1 - sig_b),
            "product rule, chain rule",
            "(x)'σ(βx) + x·β σ'(βx), with σ' = σ(1 − σ) (sigmoid.derivative); defined for every x.",
        ),
    ),
    where=SW_WHERE,
)
_F = 1 + x * (1 - sigmoid(x))  # swish_1'(x) = σ(x)·_F: its sign is _F's sign
STATIONARY = Derivation(
    "β = 1: swish'(x) = σ(x)·(1 + x(1 − σ(x)))",
    Derivative(x * sigmoid(x), x),
    (
        Step(
            sigmoid(x) * _F,
            "factor σ(x)",
            "σ > 0, so swish' has the sign of f(x) = 1 + x(1 − σ(x)): f ≥ 1 for x ≥ 0, and a zero of f is "
            "a stationary point.",
        ),
    ),
)
u = Symbol("u", positive=True)  # x = −u < 0
_F_NEG = 1 - u * (1 - sigmoid(-u))  # f(−u)
F_MONOTONE = Derivation(
    "x = −u < 0: f'(x) = −d f(−u)/du = (1 − σ(x))(1 − xσ(x)) ≥ 0",
    -Derivative(_F_NEG, u),
    (
        Step(
            (1 - sigmoid(-u)) * (1 + u * sigmoid(-u)),
            "differentiate",
            "f'(x) = (1 − σ(x)) − xσ(x)(1 − σ(x)) at x = −u.",
        ),
        Step(
            S.Zero,
            "both factors positive for x < 0",
            "f increases on x < 0 from −∞, so it has exactly one negative zero x*: swish decreases on "
            "(−∞, x*) and increases after it, a global minimum — swish is not monotonic.",
            relation=">=",
            # 1 − σ(−u) = e^u/(1 + e^u) > 0 and 1 + uσ(−u) > 0 for u > 0
            lemma=Certificate(exp(u) / (1 + exp(u)) * (1 + u / (1 + exp(u)))),
        ),
    ),
)
_SWISH_PRIME = ClosedForm(SW_WHERE[0][1] + beta * x * SW_WHERE[0][1] * (1 - SW_WHERE[0][1]), (x, beta))
_SILU = ClosedForm(x * sigmoid(x), (x,))  # swish at β = 1


def _silu_expected(case: Case) -> torch.Tensor:
    """SiLU's value and derivative from the closed forms, β = 1."""
    return torch.cat([_SILU(case).flatten(), _SWISH_PRIME({**case, "beta": 1.0}).flatten()])


def _swish_autograd(case: Case) -> torch.Tensor:
    return _autograd(lambda u: u * torch.sigmoid(case["beta"] * u), case["x"])


SWISH_DERIVATIVE = Claim(
    uses=("sigmoid.derivative",),
    id="swish.derivative",
    title="Swish' = σ(βx) + βxσ(βx)(1 − σ(βx)): smooth, non-monotonic, minimum of x·σ(x) at x* ≈ −1.2785",
    verdict=Verdict.PROVED,
    summary=(
        "d/dx x·σ(βx) = σ(βx) + βx σ(βx)(1 − σ(βx)), defined and continuous for every x (unlike ReLU at 0). "
        "For β = 1 (SiLU, F.silu), swish' = σ(x)(1 + x(1 − σ(x))); f(x) = 1 + x(1 − σ(x)) is increasing on "
        "x < 0 and ≥ 1 on x ≥ 0, so swish has exactly one stationary point, a global minimum at the root "
        "x* ≈ −1.27846 (certified bracket [−1.2785, −1.2784]), where swish(x*) = x* + 1 ≈ −0.27846."
    ),
    derivations=(SWISH_DIFF, STATIONARY, F_MONOTONE),
    numeric=(
        CrossCheck(
            name="closed form against autograd of x·sigmoid(βx) and impl",
            cases=swish_cases,
            expected=_SWISH_PRIME,
            references={
                "autograd of x·torch.sigmoid(βx)": _swish_autograd,
                "impl.activations.swish_derivative": lambda c: act.swish_derivative(c["x"], c["beta"]),
            },
            tolerance=Tolerance(
                16,
                "rounding βx perturbs σ's argument by u·|βx|; swish' is bounded by ~1.1: scale = 1 + max|βx|",
                lambda c: 1 + float((c["beta"] * c["x"]).abs().max()) if c["x"].numel() else 1.0,
            ),
            planted={
                "β factor missing: σ(βx) + xσ(βx)(1 − σ(βx))": lambda c: (
                    torch.sigmoid(c["beta"] * c["x"])
                    + c["x"] * torch.sigmoid(c["beta"] * c["x"]) * (1 - torch.sigmoid(c["beta"] * c["x"]))
                ),
                "σ(βx) only (the gate treated as constant)": lambda c: torch.sigmoid(c["beta"] * c["x"]),
            },
            examples=({"x": torch.tensor([-1.0, 0.0, 3.0], dtype=torch.float64), "beta": 2.0},),
        ),
        CrossCheck(
            name="SiLU = Swish with β = 1: values and derivative against F.silu",
            cases=x_cases,
            expected=_silu_expected,
            references={
                "F.silu and its autograd": lambda c: torch.cat(
                    [F.silu(c["x"]).flatten(), _autograd(F.silu, c["x"]).flatten()]
                ),
                "impl.activations.silu and its autograd": lambda c: torch.cat(
                    [act.silu(c["x"]).flatten(), _autograd(act.silu, c["x"]).flatten()]
                ),
            },
            tolerance=Tolerance(
                8,
                "one sigmoid and one product: scale = 1 + max|x|",
                lambda c: 1 + float(c["x"].abs().max()) if c["x"].numel() else 1.0,
            ),
            planted={
                "SiLU as x·σ(2x)": lambda c: torch.cat(
                    [(c["x"] * torch.sigmoid(2 * c["x"])).flatten(), act.swish_derivative(c["x"].flatten(), 2.0)]
                ),
            },
        ),
        RootBracket(
            name="certified bracket of the stationary point: f(−1.2785) < 0 < f(−1.2784)",
            expr=_F,
            var=x,
            lo=Rational(-12785, 10000),
            hi=Rational(-12784, 10000),
            reason="f = 1 + x(1 − σ(x)) is continuous; certified endpoint signs give a root inside (IVT), "
            "unique by the monotonicity derivation",
            guess=-1.3,
            planted={
                "minimum at x = −1 (bracket [−1.01, −0.99])": (_F, Rational(-101, 100), Rational(-99, 100)),
                "β dropped from the chain rule, β = 2: root of 1 + x(1 − σ(2x))": (
                    1 + x * (1 - sigmoid(2 * x)),
                    Rational(-12785, 10000),
                    Rational(-12784, 10000),
                ),
            },
        ),
    ),
    sources=(
        Source(sentence=S001_L27, gloss="…Swish is differentiable everywhere.", assertion="Swish函数是处处可导的"),
        Source(
            shared.SEED001,
            "Q3",
            "非单调性:Swish函数在负区间不是完全为 0,而是有一个小的负输出,这使得它能够捕捉到输入的负信息,"
            "而ReLU函数在负区间直接将输入置为 0,丢失了这部分信息。",
            "Non-monotonicity: on the negative axis Swish is not identically 0 but has a small negative "
            "output, letting it capture negative information that ReLU discards by setting it to 0.",
            line=28,
        ),
    ),
    notes=(
        "The minimum value follows from the stationarity equation: 1 + x*(1 − σ(x*)) = 0 gives "
        "x*σ(x*) = x* + 1. For general β > 0, swish_β(x) = swish_1(βx)/β, so the minimum is at x*/β "
        "with value (x* + 1)/β. The seed's performance claims (deep nets, small data) are not identities.",
    ),
)


# ── issue 11: the limits, the conditions and the hedges the seed's Q1/Q2 sentences state ────────────
U = torch.finfo(torch.float64).eps
a_abs = Symbol("a", nonnegative=True)  # |x|


def _sig(z):
    return 1 / (1 + exp(-z))


TAILS = tuple(
    Derivation(
        f"{bound_text} − {name} at x = {'' if side > 0 else '−'}|x|",
        bound - expr(side * a_abs),
        (
            Step(bound - closed, "rewrite in e^{−|x|}", "Multiply numerator and denominator by a power of e^{−|x|}."),
            Step(gap, "common denominator", "(1 + u)² − 1 = 2u + u² with u = e^{−|x|} (resp. e^{−2|x|})."),
            Step(S.Zero, "every term is positive", why, ">=", Certificate(gap)),
        ),
    )
    for name, bound_text, expr, bound, closed, gap, why in (
        (
            "σ'(x)",
            "e^{−|x|}",
            lambda z: _sig(z) * (1 - _sig(z)),
            exp(-a_abs),
            exp(-a_abs) / (1 + exp(-a_abs)) ** 2,
            (2 * exp(-2 * a_abs) + exp(-3 * a_abs)) / (1 + exp(-a_abs)) ** 2,
            "σ'(x) = e^{−|x|}/(1 + e^{−|x|})² ≤ e^{−|x|}, which tends to 0 as |x| → ∞.",
        ),
        (
            "tanh'(x)",
            "4e^{−2|x|}",
            lambda z: 1 - tanh(z) ** 2,
            4 * exp(-2 * a_abs),
            4 * exp(-2 * a_abs) / (1 + exp(-2 * a_abs)) ** 2,
            (8 * exp(-4 * a_abs) + 4 * exp(-6 * a_abs)) / (1 + exp(-2 * a_abs)) ** 2,
            "tanh'(x) = 4e^{−2|x|}/(1 + e^{−2|x|})² ≤ 4e^{−2|x|}, which tends to 0 as |x| → ∞.",
        ),
    )
    for side in (1, -1)
)


def _tail_cases() -> st.SearchStrategy[Case]:
    """|x| from 1 to 20 with either sign: the tails, where both derivatives are below 0.2 and fall to ~1e-9 (far
    above the rounding floor u, so the bound is tested, not the underflow)."""
    return st.fixed_dictionaries({"x": st.floats(1.0, 20.0), "sign": st.sampled_from([1.0, -1.0])})


def _tail_bound(case: Case, sig_rate: float = 1.0, tanh_rate: float = 2.0) -> Outcome:
    """torch autograd: σ'(x) ≤ e^{−rate|x|} and tanh'(x) ≤ 4e^{−rate|x|} at the drawn point."""
    t = torch.tensor(case["sign"] * case["x"], dtype=torch.float64, requires_grad=True)
    (ds,) = torch.autograd.grad(torch.sigmoid(t), t)
    (dt,) = torch.autograd.grad(torch.tanh(t), t)
    a = abs(float(t.detach()))
    slack = 4 * U  # 1 − σ and 1 − tanh² lose absolute accuracy u to cancellation, not relative accuracy
    worst = max(float(ds) - math.exp(-sig_rate * a), float(dt) - 4 * math.exp(-tanh_rate * a))
    return Outcome(
        worst <= slack, max(worst, 0.0), slack, f"x = {float(t.detach())!r}: σ' = {float(ds)!r}, tanh' = {float(dt)!r}"
    )


SATURATING_TAILS = Claim(
    id="sigmoid.saturating-tails",
    title="σ'(x) ≤ e^{−|x|} and tanh'(x) ≤ 4e^{−2|x|}: both derivatives tend to 0 in the saturated tails",
    verdict=Verdict.PROVED,
    summary=(
        "The bound of sigmoid.derivative (σ' ≤ 1/4) and tanh.derivative (tanh' ≤ 1) says how large the derivatives "
        "can be; the seed also says they tend to 0 for very large or very small inputs. Derived for both signs of x: "
        "σ'(x) ≤ e^{−|x|} and tanh'(x) ≤ 4e^{−2|x|} (and torch's autograd derivatives are checked against them), "
        "which give the limits and show how fast: outside |x| ≤ a both are below any "
        "threshold — small everywhere but on a bounded interval. (The limits of the two exponentials are not "
        "written as steps: the checker cannot refute a wrong value of a limit, so a derived bound carries it.)"
    ),
    derivations=TAILS,
    numeric=(
        PropertyCheck(
            name="autograd: σ'(x) ≤ e^{−|x|} and tanh'(x) ≤ 4e^{−2|x|} for 1 ≤ |x| ≤ 20",
            cases=_tail_cases,
            holds=_tail_bound,
            reason="exact inequalities; slack 4u absolute for the cancellation in 1 − σ and 1 − tanh²",
            planted={
                "σ' ≤ e^{−2|x|}": lambda c: _tail_bound(c, sig_rate=2.0),
                "tanh' ≤ 4e^{−3|x|}": lambda c: _tail_bound(c, tanh_rate=3.0),
            },
            examples=({"x": 1.0, "sign": 1.0},),
        ),
    ),
    sources=(
        Source(
            sentence=S001_L5,
            gloss="For very large or very small inputs the sigmoid's derivative tends to 0.",
            assertion="当输入值非常大或非常小时,导数趋近于 0",
        ),
        Source(
            sentence=S001_L5_2,
            gloss="…but in the saturated regions the tanh derivative also tends to 0.",
            assertion="但在饱和区域导数也会趋近于 0",
        ),
        Source(
            shared.SEED001,
            "Q1",
            "这些函数的导数在大部分输入区域的值都比较小。",
            "(With traditional activations such as the sigmoid or tanh) these functions' derivatives are fairly "
            "small over most of the input range: the sigmoid's everywhere (≤ 1/4), tanh's outside a bounded interval "
            "(tanh' ≤ 4e^{−2|x|}; near 0 it is close to 1).",
            line=5,
        ),
    ),
)


def _flat_chain_witness() -> Witness:
    """Two chains whose gradient does not tend to 0: tanh with w = 1 at 0, sigmoid with w = 4 at its centre."""
    out = {}
    for act_name, f, w, shift in (("tanh", torch.tanh, 1.0, 0.0), ("sigmoid", torch.sigmoid, 4.0, 0.5)):
        h0 = torch.tensor(shift, dtype=torch.float64, requires_grad=True)
        h = h0
        for _ in range(50):
            h = f(w * (h - shift))  # tanh(h) at 0; σ(4(h − 1/2)) at its fixed point 1/2: pre-activation 0
        (g,) = torch.autograd.grad(h, h0)
        out[act_name] = float(g)
    return Witness(
        holds=abs(out["tanh"]) < 1e-3 and abs(out["sigmoid"]) < 1e-3,
        lhs=f"|∂h_50/∂h_0| = {out['tanh']!r} (tanh, w = 1), {out['sigmoid']!r} (sigmoid, w = 4, bias −2)",
        rhs="→ 0 (the seed: smaller and smaller, finally 0)",
        detail="torch autograd through 50 scalar layers; each factor is w·φ'(0) = 1",
        facts={"activation": "tanh or sigmoid with ‖W‖₂ = 4", "max_opnorm": 4.0, "sigmoid_only": False},
    )


S001_L6 = Sentence(
    file=shared.SEED001,
    section="Q1",
    line=6,
    quote=(
        "随着网络层数的增加,梯度在反向传播过程中需要不断地乘以这些较小的导数,导致梯度值越来越小,最终趋近于 0,"
        "这就是梯度消失的本质原因。"
    ),
)


SIGMOID_VANISHES = Claim(
    id="sigmoid.chain-vanishes",
    title="Through deep sigmoid stacks the gradient tends to 0 — when every ‖W_l‖₂ ≤ c < 4",
    verdict=Verdict.CONDITIONAL,
    summary=(
        "The seed: multiplying again and again by the small derivatives makes the gradient smaller and smaller and "
        "finally 0. sigmoid.chain-bound gives ‖∂L/∂x‖ ≤ (1/4)^L ∏‖W_l‖₂ ‖∂L/∂h_L‖; with every ‖W_l‖₂ ≤ c < 4 "
        "this is ≤ (c/4)^L ‖∂L/∂h_L‖ → 0. Without that hypothesis it fails: a sigmoid layer with weight 4 kept at "
        "its centre has factor 4·σ'(0) = 1 at every layer, and tanh (which the seed names too) has factor "
        "w·tanh'(0) = 1 with w = 1 — the gradient stays 1 through 50 layers."
    ),
    derivations=(CHAIN,),
    numeric=SIGMOID_CHAIN.numeric,
    counterexamples=(Counterexample("tanh (w = 1) and sigmoid (w = 4) chains of 50 layers", run=_flat_chain_witness),),
    hypothesis=(
        "sigmoid activations and ‖W_l‖₂ ≤ c < 4 for every layer (then (c/4)^L → 0); the sentence's tanh is not "
        "covered (it would need ‖W_l‖₂ ≤ c < 1, since tanh'(0) = 1)"
    ),
    premise=Premise(holds=lambda w: w.facts["sigmoid_only"] and w.facts["max_opnorm"] < 4),
    notes=(
        "Its numeric evidence is sigmoid.chain-bound's; that proof says why neither cross-check's expected value "
        "is lambdified from the derivation (the bound's spectral norms, and a gradient with no closed form).",
    ),
    sources=(
        Source(
            sentence=S001_L6,
            gloss=(
                "As the number of layers grows, the gradient is multiplied again and again by these small derivatives, so "
                "it gets smaller and smaller and finally tends to 0; this is the essential cause of vanishing gradients. "
                "Conditional: it needs ‖W_l‖₂ < 4 per sigmoid layer (the weights can offset the 1/4), and for tanh the "
                "derivative is 1 at 0 (tanh would need ‖W_l‖₂ ≤ c < 1, not derived here; this row is judged for sigmoid)."
            ),
            assertion="随着网络层数的增加,梯度在反向传播过程中需要不断地乘以这些较小的导数,导致梯度值越来越小,最终趋近于 0",
        ),
    ),
)

z_act = Symbol("z", real=True)  # a unit's pre-activation
# what the counterexamples refute: the statement without the hypothesis
RELU_ACTIVE_PATH_UNCONDITIONAL = Eq(Heaviside(z_act, 0), 1)
RELU_ACTIVE_PATH = Claim(
    id="relu.active-path",
    title="ReLU's backward factor is exactly 1 on active units, 0 on inactive ones: no decay only along active units",
    verdict=Verdict.CONDITIONAL,
    refutes=(RELU_ACTIVE_PATH_UNCONDITIONAL,),  # without the hypothesis
    summary=(
        "The seed: since ReLU's derivative is 1 on the positive half-line, the gradient does not keep decaying "
        "through repeated multiplication as with sigmoid or tanh (whose factors are ≤ 1/4, ≤ 1 and → 0 in the "
        "tails). True of the activation's factor along units that are active (z > 0): it is exactly 1 "
        "(relu.derivative). On an inactive unit the factor is exactly 0 and the gradient through it vanishes "
        "completely (relu.dead-unit); the weights' factors are the same for every activation."
    ),
    derivations=(POSITIVE,),
    numeric=RELU_DERIVATIVE.numeric,
    counterexamples=(
        Counterexample(
            "an inactive unit, z = −1: ReLU's factor 1[z > 0] is 0, not 1",
            relation=RELU_ACTIVE_PATH_UNCONDITIONAL,
            point={z_act: -1},
        ),
    ),
    hypothesis="the units along the backward path are active (pre-activation z > 0)",
    premise=Premise(relation=Gt(z_act, 0)),
    sources=(
        Source(
            sentence=S001_L18,
            gloss=(
                "In backpropagation the gradient does not keep decaying through repeated multiplication as with sigmoid or "
                "tanh. Conditional: the factor is 1 on active units only (0 on inactive ones)."
            ),
            assertion="在反向传播过程中,梯度不会像Sigmoid或Tanh函数那样因为多次相乘而不断衰减",
        ),
    ),
)
RELU_EASES = shared.not_formalizable(
    "relu.eases-training",
    "'ReLU effectively mitigates vanishing gradients and makes deep networks easier to train'",
    "A training outcome credited to ReLU's unit derivative.",
    "empirical: 'easier to train' is measured on tasks; what is provable is the factor 1 on active units "
    "(relu.active-path) and the dead-unit limit (relu.dead-unit)",
    Source(
        sentence=S001_L18,
        gloss="…which effectively mitigates vanishing gradients and makes deep networks easier to train.",
        assertion="从而有效地缓解了梯度消失问题,使得深层网络的训练更加容易",
    ),
)
S001_L23 = Sentence(
    file=shared.SEED001,
    section="Q2 局限",
    line=23,
    quote=(
        "输出非零中心化:ReLU函数的输出始终为非负数,这会导致神经元的输入在后续层中也为非负数,使得权重更新时可能会出现梯度的单向变化,"
        "影响训练的效率和稳定性。"
    ),
)


RELU_SAME_SIGN_EXAMPLE = Claim(
    id="relu.same-sign-per-example",
    title="Per example, a ReLU-fed unit's incoming weight gradients are all 0 or of δ's sign (one direction)",
    verdict=Verdict.PROVED,
    summary=(
        "For a unit fed by ReLU outputs a_j ≥ 0, one example gives ∂L/∂w_j = δ a_j: every component is 0 or has "
        "the sign of δ, so the update moves all incoming weights in one direction; the same holds for a batch whose "
        "δ_i share a sign. This witnesses the seed's hedged 'may' (可能); over a general batch the signs can mix "
        "(relu.same-sign-grads, conditional)."
    ),
    derivations=(ONE_EXAMPLE, SAME_SIGN_BATCH),
    numeric=RELU_SAME_SIGN.numeric,
    sources=(
        Source(
            sentence=S001_L23,
            gloss=(
                "Not zero-centred: ReLU's outputs are always non-negative, so the next layer's inputs are non-negative "
                "too, and weight updates may (hedged: 可能) change in one direction only — witnessed per example."
            ),
            assertion="ReLU函数的输出始终为非负数,这会导致神经元的输入在后续层中也为非负数,使得权重更新时可能会出现梯度的单向变化",
            kind="hedged",
        ),
    ),
)
RELU_ZERO_CENTRED = shared.not_formalizable(
    "relu.zero-centred-training",
    "'Non-zero-centred outputs hurt the efficiency and stability of training'",
    "A training outcome attributed to one-direction weight updates.",
    "empirical: efficiency and stability of training are measured; the provable part is the per-example "
    "sign pattern (relu.same-sign-per-example)",
    Source(
        sentence=S001_L23,
        gloss="…which hurts the efficiency and stability of training.",
        assertion="影响训练的效率和稳定性",
    ),
)

# the id prefixes this topic owns (the registry refuses a claim of another prefix here, and a
# prefix two topics declare)
PREFIXES = ("sigmoid", "relu", "tanh", "swish", "gelu")

CLAIMS = [
    SATURATING_TAILS,
    SIGMOID_VANISHES,
    RELU_ACTIVE_PATH,
    RELU_EASES,
    RELU_SAME_SIGN_EXAMPLE,
    RELU_ZERO_CENTRED,
    RELU_DERIVATIVE,
    RELU_BACKWARD,
    RELU_DEAD,
    RELU_SAME_SIGN,
    SIGMOID_DERIVATIVE,
    TANH_DERIVATIVE,
    SIGMOID_CHAIN,
    SWISH_DERIVATIVE,
]

SWISH_SMOOTHER = shared.not_formalizable(
    "swish.smoother-optimization",
    "'Swish's smoothness makes optimization smoother and uses gradient information better'",
    "What is exact is that Swish is differentiable everywhere (swish.derivative) and ReLU is not at 0 (relu.derivative); the benefit for optimization is a claim about training.",
    "empirical: 'smoother optimization' and 'better use of gradient information' are outcomes of training runs, with no quantity named",
    Source(
        sentence=S001_L27,
        gloss="…which makes optimization smoother and uses gradient information better for the updates.",
        assertion="这使得它在优化过程中更加平滑,能够更好地利用梯度信息进行参数更新",
    ),
)
CLAIMS += [SWISH_SMOOTHER]

# ── issue 11 (second reading): 001 line 6's causal clause, judged on its own ──────────────────────────
ESSENTIAL_CAUSE = shared.not_formalizable(
    "sigmoid.essential-cause",
    "'This is the essential cause of vanishing gradients'",
    "The mechanism before it is judged by sigmoid.chain-vanishes (conditional on ‖W_l‖₂ < 4 per sigmoid layer). "
    "That small activation derivatives are *the essential* cause, rather than the weights, the depth or the "
    "initialisation (vanishing.chain-product shows all of them multiply), is a judgement of emphasis, not a "
    "mathematical statement.",
    "a causal ranking ('本质原因', the essential cause) among factors that all enter the same product; not a theorem",
    Source(
        sentence=S001_L6,
        gloss="…this is the essential cause of vanishing gradients.",
        assertion="这就是梯度消失的本质原因",
    ),
)
CLAIMS += [ESSENTIAL_CAUSE]


# ── moved here from seedchecks.py / seedclaims.py (issue 10: a topic owns its id prefixes) ───────
# (their old links keep working: see derivations/_moved.py)


RELU_CHEAP = shared.not_formalizable(
    "relu.cheap",
    "ReLU is cheap: a comparison with 0 instead of an exponential",
    "ReLU needs one comparison per element where sigmoid and tanh need an exponential; how much faster a "
    "network trains is a property of hardware and kernels.",
    "Speed is measured, not derived: it depends on the hardware, the kernels and memory traffic.",
    Source(
        shared.SEED001,
        "Q2 优势",
        "计算效率高:ReLU函数的计算非常简单,只需要判断输入是否大于 0,不需要进行复杂的指数运算,如Sigmoid或Tanh函数那样,因此可以显著提高计算速度。",
        "Computational efficiency: ReLU only has to check whether the input is greater than 0, with no "
        "exponential as in sigmoid or tanh, so it can speed up computation markedly.",
        line=19,
    ),
)


RELU_SPARSITY = shared.not_formalizable(
    "relu.sparsity",
    "ReLU's zeros make the network sparse, which reduces overfitting",
    "That ReLU maps every negative pre-activation to exactly 0 is its definition (see `relu.derivative`); "
    "that the resulting sparsity reduces co-dependence and overfitting and improves generalisation is an "
    "empirical claim about trained networks.",
    shared.EMPIRICAL + " (overfitting and generalisation).",
    Source(
        shared.SEED001,
        "Q2 优势",
        "稀疏性:ReLU函数会使一部分神经元的输出为 0,这就导致网络具有稀疏性。稀疏的网络可以减少参数之间的依赖,降低过拟合的风险,同时也有助于提高模型的泛化能力。",
        "Sparsity: ReLU sets some neurons' outputs to 0, making the network sparse; a sparse network reduces dependence between parameters, lowers the risk of overfitting and helps generalisation.",
        line=20,
        kind="hedged",
    ),
)


SWISH_GATING = shared.not_formalizable(
    "swish.self-gating",
    "Swish as self-gating: σ(βx) gates the input x",
    "Writing x·σ(βx) as the input times a gate in (0, 1) is a reading of the definition, not a statement "
    "that could be false; the definition and its derivative are `swish.derivative`.",
    "An interpretation of the definition (what to call σ(βx)), not a claim with a truth value.",
    Source(
        shared.SEED001,
        "Q3 改进",
        "自门控机制:Swish函数可以看作是一种自门控机制,其中 x 是输入信号, σ(βx) 是门控信号,它可以根据输入的大小动态地调整输出的幅度。",
        "Self-gating: Swish can be seen as a self-gating mechanism where x is the input signal and σ(βx) the "
        "gate, which adjusts the output's magnitude dynamically with the size of the input.",
        line=29,
    ),
)


SWISH_DEEP = shared.not_formalizable(
    "swish.deep-networks",
    "Swish's smoothness and non-monotonicity help deep networks against vanishing/exploding gradients",
    "Swish's derivative is bounded (about −0.1 to 1.1 for β = 1, see `swish.derivative`), so a deep Swish "
    "stack's gradient is governed by the weights as for any activation; whether it trains better than ReLU on "
    "image classification or NLP is a benchmark result.",
    shared.EMPIRICAL + " (benchmark performance of deep networks).",
    Source(
        shared.SEED001,
        "Q3 性能更优的场景",
        "深层网络:在深层神经网络中,Swish函数的平滑性和非单调性可以帮助缓解梯度消失和梯度爆炸问题,使得网络能够更好地学习到复杂的特征表示。",
        "Deep networks: Swish's smoothness and non-monotonicity can help mitigate vanishing and exploding "
        "gradients, so the network learns complex features better (e.g. image classification, NLP).",
        line=31,
    ),
)


SWISH_NEGATIVE = shared.not_formalizable(
    "swish.negative-information",
    "Swish helps tasks that need negative information (speech, time series)",
    "That Swish passes small negative values where ReLU outputs 0 is proved in `swish.derivative` (its "
    "minimum is about −0.278 at x ≈ −1.28); that this helps speech recognition or forecasting is empirical.",
    shared.EMPIRICAL + " (task performance).",
    Source(
        shared.SEED001,
        "Q3 性能更优的场景",
        "需要捕捉负信息的任务:对于一些需要捕捉输入负信息的任务,如语音识别、时间序列预测等,Swish函数能够利用负区间的信息,从而提高模型的性能。",
        "Tasks that need negative information, such as speech recognition or time-series forecasting: Swish "
        "uses the negative range and so improves performance; ReLU loses it.",
        line=32,
    ),
)


SWISH_SMALL_DATA = shared.not_formalizable(
    "swish.small-data",
    "Swish reduces overfitting on small data sets",
    "A claim about generalisation on small data sets; nothing in Swish's definition bounds overfitting.",
    shared.EMPIRICAL + " (overfitting on small data sets).",
    Source(
        shared.SEED001,
        "Q3 性能更优的场景",
        "小数据集:在小数据集上,Swish函数的自门控机制可以帮助模型更好地适应数据的分布,减少过拟合的风险。",
        "Small data sets: Swish's self-gating helps the model adapt to the data distribution and reduces the "
        "risk of overfitting.",
        line=33,
    ),
)


CLAIMS += [RELU_CHEAP, RELU_SPARSITY, SWISH_GATING, SWISH_DEEP, SWISH_NEGATIVE, SWISH_SMALL_DATA]


# ── gelu.exact, gelu.tanh ─────────────────────────────────────────────────────────────────
# GELU(x) = x·Φ(x), Φ the standard normal CDF (Hendrycks & Gimpel 2016); torch's F.gelu computes
# x/2·(1 + erf(x/√2)) (approximate="none") or the tanh approximation (approximate="tanh").
PHI_ERF = (1 + erf(x / sqrt(2))) / 2
GELU_EXACT = x * PHI_ERF
GELU_TANH = x / 2 * (1 + tanh(sqrt(2 / pi) * (x + Rational(44715, 10**6) * x**3)))
# the closed forms' constants √2 and √π as symbols bound to floats (the torch translation takes tensors)
_ROOT2, _ROOTPI = Symbol("sqrt2", positive=True), Symbol("sqrtpi", positive=True)


def _gelu_symbols(case: Case) -> Case:
    return {**case, "sqrt2": math.sqrt(2), "sqrtpi": math.sqrt(math.pi)}


def _closed(expr) -> ClosedForm:
    return ClosedForm(expr.subs({sqrt(2): _ROOT2, sqrt(pi): _ROOTPI}), (x, _ROOT2, _ROOTPI), _gelu_symbols)


_t = Symbol("t", real=True)  # the integration variable of Φ
PHI_INTEGRAL = Derivation(
    "Φ(x) = ∫_{−∞}^x φ(t) dt = (1 + erf(x/√2))/2",
    Integral(exp(-(_t**2) / 2) / sqrt(2 * pi), (_t, -oo, x)),
    (
        Step(
            PHI_ERF,
            "the Gaussian integral in closed form",
            "With u = t/√2, ∫_{−∞}^x e^{−t²/2}/√(2π) dt = (1/√π)∫_{−∞}^{x/√2} e^{−u²} du = (erf(x/√2) − erf(−∞))/2 "
            "= (1 + erf(x/√2))/2 (SymPy evaluates the integral as 1 − erfc(x/√2)/2, and erfc = 1 − erf).",
        ),
    ),
)
PHI_DENSITY = Derivation(
    "d/dx (1 + erf(x/√2))/2 = φ(x) = e^{−x²/2}/√(2π)",
    Derivative(PHI_ERF, x),
    (
        Step(
            exp(-(x**2) / 2) / sqrt(2 * pi),
            "chain rule, erf′(u) = (2/√π)·e^{−u²}",
            "With u = x/√2: (1/2)·(2/√π)·e^{−x²/2}·(1/√2) = e^{−x²/2}/√(2π), the standard normal density.",
        ),
    ),
)


@st.composite
def gelu_inputs(draw: st.DrawFn) -> Case:
    """fn(x): x of rank 1..3 (sides 1..5), entries over UNIT_DOMAIN times a scale 1e-3..1e3, exact zeros
    likely; a quarter of the time scale 1..3, where the tanh and sigmoid approximations differ most."""
    scale = draw(st.one_of(scales(), scales(), scales(), st.floats(1, 3)))
    return {"x": draw(tensors(draw(shapes()), scale=scale))}


def _gelu_scale(case: Case) -> float:
    return float(case["x"].abs().max()) + 1 if case["x"].numel() else 1.0


GELU_TOLERANCE = Tolerance(
    16,
    "x/√2 and erf (or tanh of the cubic) each round by a few u relative; the derivative of x·Φ(x) (or its tanh form) "
    "is bounded by 1.13 and x·erf′ amplification by |x|·e^{−x²/2} ≤ 0.61, and 1 + erf cancels for negative x: "
    "absolute error a few u·(|x| + 1): scale = max|x| + 1. (|GELU − GELU_tanh| reaches 4.7e-4 at |x| ≈ 2.70, "
    "some 10¹⁰ times this bound there)",
    _gelu_scale,
)


def _gelu_ndtr(x_t: torch.Tensor) -> torch.Tensor:
    """x·Φ(x) with Φ = torch.special.ndtr, the normal CDF computed on its own."""
    return x_t * torch.special.ndtr(x_t)


def _gelu_sigmoid(x_t: torch.Tensor) -> torch.Tensor:
    return x_t * torch.sigmoid(1.702 * x_t)


def _gelu_tanh_with(x_t: torch.Tensor, *, c: float = math.sqrt(2 / math.pi), k: float = 0.044715) -> torch.Tensor:
    return 0.5 * x_t * (1 + torch.tanh(c * (x_t + k * x_t**3)))


GELU_VARIANTS = (
    Variant(
        label="the tanh approximation (approximate='tanh')",
        formula=act.gelu_tanh,
        why="GPT-2/BERT's x/2·(1 + tanh(√(2/π)(x + 0.044715x³))): off by up to 4.7e-4, not the exact GELU",
    ),
    Variant(
        label="the sigmoid approximation x·σ(1.702x)",
        formula=_gelu_sigmoid,
        why="the paper's cheaper approximation (quick_gelu in CLIP): off by up to 2.0e-2",
    ),
    Variant(
        label="erf(x) instead of erf(x/√2)",
        formula=lambda x_t: x_t * (1 + torch.erf(x_t)) / 2,
        why="the √2 dropped: Φ of a normal with variance 1/2",
    ),
)

EXACT_CHECK = CrossCheck(
    name="x/2·(1 + erf(x/√2)) against F.gelu, nn.GELU, x·ndtr(x) and impl",
    cases=gelu_inputs,
    expected=_closed(GELU_EXACT),
    references={
        "impl.activations.gelu": act.gelu,
        "F.gelu": F.gelu,
        "nn.GELU()": lambda x_t: torch.nn.GELU()(x_t),
        "x·torch.special.ndtr(x)": _gelu_ndtr,
    },
    positional=True,
    tolerance=GELU_TOLERANCE,
    planted={v.label: (lambda c, f=v.formula: f(c["x"])) for v in GELU_VARIANTS},
    examples=({"x": torch.linspace(-6, 6, 49, dtype=torch.float64)},),
)

GELU_EXACT_CLAIM = Claim(
    id="gelu.exact",
    title="GELU(x) = x·Φ(x) = x/2·(1 + erf(x/√2)), as F.gelu computes it",
    verdict=Verdict.PROVED,
    summary=(
        "GELU weights x by the standard normal CDF Φ(x) = ∫_{−∞}^x φ(t) dt, φ(t) = e^{−t²/2}/√(2π). Proved: "
        "the integral is (1 + erf(x/√2))/2 (evaluated by the kernel's doit tier), and, as a check on the erf form, "
        "its derivative is φ(x). Tested: F.gelu, nn.GELU() and x·ndtr(x) compute "
        "x/2·(1 + erf(x/√2)) to a few ulps of max|x| + 1."
    ),
    derivations=(PHI_INTEGRAL, PHI_DENSITY),
    numeric=(EXACT_CHECK,),
    assumptions=("x real",),
    contract=Contract.of(
        EXACT_CHECK,
        signature="fn(x[...]) -> y[...]  (float64, same shape)",
        reference="impl.activations.gelu",
        locators=(
            Locator(
                "only at entries with 0.1 < |x| < 6 (an approximation's range?)",
                lambda c: (c["x"].abs() > 0.1) & (c["x"].abs() < 6),
            ),
        ),
        variants=GELU_VARIANTS,
    ),
)


def _gelu_tanh_torch(x_t: torch.Tensor) -> torch.Tensor:
    return F.gelu(x_t, approximate="tanh")


def _gap(case: Case, approx=_gelu_tanh_torch) -> Outcome:
    """|GELU − GELU_tanh| ≤ 4.8e-4 on the case (measured maximum 4.73e-4)."""
    err = float((F.gelu(case["x"]) - approx(case["x"])).abs().max()) if case["x"].numel() else 0.0
    return Outcome(err <= 4.8e-4, err, 4.8e-4, f"|GELU − GELU_tanh| = {err:.3g}")


TANH_VARIANTS = (
    Variant(
        label="the exact GELU (erf) where the tanh form is asked for",
        formula=act.gelu,
        why="approximate='none' (the default) vs 'tanh': up to 4.7e-4 apart",
    ),
    Variant(
        label="√(2/π) written as 2/π",
        formula=functools.partial(_gelu_tanh_with, c=2 / math.pi),
        why="the root dropped from the constant 0.7978845608",
    ),
    Variant(
        label="0.044715 mistyped as 0.04715",
        formula=functools.partial(_gelu_tanh_with, k=0.04715),
        why="a digit dropped from the cubic coefficient",
    ),
    Variant(
        label="the sigmoid approximation x·σ(1.702x)",
        formula=_gelu_sigmoid,
        why="quick_gelu: a different approximation",
    ),
)

TANH_CHECK = CrossCheck(
    name="x/2·(1 + tanh(√(2/π)(x + 0.044715x³))) against F.gelu(approximate='tanh'), nn.GELU('tanh') and impl",
    cases=gelu_inputs,
    expected=_closed(GELU_TANH),
    references={
        "impl.activations.gelu_tanh": act.gelu_tanh,
        "F.gelu(approximate='tanh')": _gelu_tanh_torch,
        "nn.GELU(approximate='tanh')": lambda x_t: torch.nn.GELU(approximate="tanh")(x_t),
    },
    positional=True,
    tolerance=GELU_TOLERANCE,
    planted={v.label: (lambda c, f=v.formula: f(c["x"])) for v in TANH_VARIANTS},
    examples=({"x": torch.linspace(-6, 6, 49, dtype=torch.float64)},),
)

GELU_TANH_CLAIM = Claim(
    id="gelu.tanh",
    title="F.gelu(approximate='tanh') computes x/2·(1 + tanh(√(2/π)(x + 0.044715x³))), within 4.8e-4 of GELU",
    verdict=Verdict.TESTED,
    summary=(
        "torch's tanh approximation (GPT-2, BERT) is x/2·(1 + tanh(√(2/π)(x + 0.044715x³))): tested against "
        "F.gelu(approximate='tanh'), nn.GELU('tanh') and impl. It is not the exact GELU: the two differ by up to "
        "4.73e-4 (at |x| ≈ 2.70, measured on a grid of step 1e-5 over [−10, 10]; beyond, both tend to x or 0). "
        "That bound is tested on drawn inputs and the grid, not proved."
    ),
    numeric=(
        TANH_CHECK,
        PropertyCheck(
            name="|GELU(x) − GELU_tanh(x)| ≤ 4.8e-4",
            cases=gelu_inputs,
            holds=_gap,
            reason="measured maximum 4.73e-4 at |x| ≈ 2.699 (grid of step 1e-5 on [−10, 10]); 4.8e-4 leaves rounding "
            "room; a tested bound, not a proved one",
            planted={"the sigmoid approximation (off by up to 2e-2)": functools.partial(_gap, approx=_gelu_sigmoid)},
            examples=({"x": torch.linspace(-10, 10, 2_000_001, dtype=torch.float64)},),
        ),
    ),
    assumptions=("x real",),
    tested_reason=(
        "what torch computes is a statement about its code, and the 4.8e-4 bound is a measured maximum: no "
        "derivation covers either (the closed form itself is the definition)"
    ),
    contract=Contract.of(
        TANH_CHECK,
        signature="fn(x[...]) -> y[...]  (float64, same shape)",
        reference="impl.activations.gelu_tanh",
        variants=TANH_VARIANTS,
    ),
)

CLAIMS += [GELU_EXACT_CLAIM, GELU_TANH_CLAIM]
