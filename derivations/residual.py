"""Residual connections y = x + F(x): the input gradient, zero-initialised sublayers, and bounds.

Seed 003 (Q51) asks for a lower bound on the gradient magnitude of x + Sublayer(x) when the
sublayer is initialised to zero; seed 001 Q8 derives ∂L/∂x = ∂L/∂y (∂F/∂x + I). Here:

- the Jacobian identity and the zero-init identities are *symbolic* for any width n (and hidden
  width h): SymPy MatrixSymbols, decided by the matrix tier (dlproofs/matrices.py: forward-mode
  rules for Jacobians, non-commutative expand + doit, exact size cross-check at n = 1..4 with
  the Jacobian recomputed entrywise);
- the bounds are *lemma + numeric*: each inequality step cites the reverse triangle inequality,
  the triangle inequality or submultiplicativity of the operator norm (the checker searches each
  step for a refuting point but cannot prove it), and a PropertyCheck runs real nn.Linear stacks
  through torch autograd at drawn widths and depths;
- the seed's "the 1 keeps the gradient from vanishing" is conditional: J_F = −I kills it;
- a block with F ≡ 0 is the identity, so extra such blocks leave a network's function unchanged
  (checked bit for bit on torch modules); seed 003's own code does not initialise its sublayer
  to zero; and a lower bound on the gradient is not an upper one (exact counterexamples).

Gradients are row vectors (g = ∂L/∂y is 1×n), Jacobians numerator layout (∂y/∂x is n×n).
"""

from __future__ import annotations

import math

import dlproofs.impl.residual as res
import sympy as sp
import torch
from dlproofs.derivations import _shared as shared
from hypothesis import strategies as st
from sympy import Ge, Gt, Identity, ImmutableMatrix, Le, Lt, MatMul, MatrixSymbol, Rational, Symbol, ZeroMatrix, symbols

from dlproofs.claim import Claim, Counterexample, Derivation, Premise, Sentence, Source, Step, Verdict, Witness
from dlproofs.lemmas import Certificate, LemmaUse
from dlproofs.matrices import Apply, ApplyPrime, Diag, Differential, Jacobian, Map, MapJacobian, Norm, OpNorm
from dlproofs.numeric import Case, CrossCheck, Outcome, PropertyCheck, Tolerance
from dlproofs.strategies import scales, tensors

# ── symbols: width n, hidden width h (symbolic: every proof holds for all sizes) ───────────────
n, h = symbols("n h", integer=True, positive=True)
x = MatrixSymbol("x", n, 1)
W1, b1 = MatrixSymbol("W_1", h, n), MatrixSymbol("b_1", h, 1)
W2, b2 = MatrixSymbol("W_2", n, h), MatrixSymbol("b_2", n, 1)
g = MatrixSymbol("g", 1, n)  # ∂L/∂y (for a stack: ∂L/∂x_{l+1})
E1, E2 = MatrixSymbol("E_1", h, n), MatrixSymbol("E_2", n, h)  # directions dW1, dW2
I_n = Identity(n)
phi = "phi"  # any differentiable activation
eps, s = Symbol("epsilon", positive=True), Symbol("s", positive=True)
delta, c = Symbol("delta", nonnegative=True), Symbol("c", nonnegative=True)
slack = Symbol("delta_s", positive=True)  # ε − ‖J_F‖₂ > 0: ε := ‖J_F‖₂ + δ_s is then shown positive

F = Map("F", x)  # an arbitrary differentiable sublayer
JF = MapJacobian(F)  # J_F = ∂F/∂x at x
U = W1 * x + b1  # hidden pre-activation a
SUBLAYER = W2 * Apply(phi, U) + b2  # F(x) = W2 φ(W1 x + b1) + b2
Y = x + SUBLAYER
J_MLP = W2 * Diag(ApplyPrime(phi, U)) * W1
ZERO_W2 = ((W2, ZeroMatrix(n, h)), (b2, ZeroMatrix(n, 1)))  # the zero init
SIZES = {n: (1, 2, 3, 4), h: (2, 1, 3, 2)}

LATEX = {eps: r"\varepsilon", delta: r"\delta", slack: r"\delta"}


def _mm(*factors):
    """A product kept as written (g·∂y/∂x), so the proof shows the Jacobian before the rules run."""
    return MatMul(*factors, evaluate=False)


# ── derivations ───────────────────────────────────────────────────────────────────────────────
GRAD_ANY_F = Derivation(
    "∂L/∂x for y = x + F(x), any differentiable F",
    _mm(g, Jacobian(x + F, x)),
    (
        Step(g * (I_n + JF), "sum rule", "∂x/∂x = I and ∂F/∂x = J_F by definition (chain rule: ∂L/∂x = ∂L/∂y ∂y/∂x)."),
        Step(
            g + g * JF, "distribute", "Matrix product distributes over the sum: the identity path and the branch path."
        ),
    ),
    sizes=SIZES,
)
JAC_MLP = Derivation(
    "J_F for F(x) = W₂ φ(W₁x + b₁) + b₂",
    Jacobian(SUBLAYER, x),
    (Step(J_MLP, "chain rule", "d(W₂ φ(u) + b₂) = W₂ diag(φ'(u)) du and du = W₁ dx for u = W₁x + b₁."),),
    sizes=SIZES,
)
ZERO_GRAD = Derivation(
    "∂L/∂x at W₂ = 0, b₂ = 0",
    _mm(g, Jacobian(Y, x)),
    (
        Step(g * (I_n + J_MLP), "chain rule", "residual.jacobian with J_F = W₂ diag(φ'(W₁x + b₁)) W₁."),
        Step(
            g * (I_n + ZeroMatrix(n, n)),
            "W₂ = 0",
            "A product with the zero factor W₂ is the zero matrix, whatever φ, W₁, b₁.",
        ),
        Step(g, "identity", "g (I + 0) = g: the gradient passes unchanged."),
    ),
    sizes=SIZES,
    where=ZERO_W2,
)
ZERO_NORM = Derivation(
    "‖∂L/∂x‖ at W₂ = 0: the lower bound with equality",
    Norm(_mm(g, Jacobian(Y, x))),
    (
        Step(Norm(g * (I_n + J_MLP)), "chain rule", "As above, inside the norm."),
        Step(Norm(g), "W₂ = 0", "J_F = 0, so ‖∂L/∂x‖ = ‖∂L/∂y‖: ≥ holds with equality, for every φ, W₁, b₁."),
    ),
    sizes=SIZES,
    where=ZERO_W2,
)
G_NEXT = MatrixSymbol("g_{l+1}", 1, n)
STACK_STEP = Derivation(
    "induction step: ∂L/∂x_l = ∂L/∂x_{l+1} for a zero-initialised block",
    _mm(G_NEXT, Jacobian(Y, x)),
    (
        Step(G_NEXT * (I_n + J_MLP), "chain rule", "Block l maps x_l to x_{l+1} = x_l + F_l(x_l) (residual.jacobian)."),
        Step(G_NEXT, "W₂ = 0", "J_{F_l} = 0, so the gradient is copied; by induction on L, ∂L/∂x_0 = ∂L/∂x_L."),
    ),
    sizes=SIZES,
    where=ZERO_W2,
)
PLAIN_STEP = Derivation(
    "contrast: a plain block x_{l+1} = F_l(x_l) with the same init",
    _mm(G_NEXT, Jacobian(SUBLAYER, x)),
    (
        Step(G_NEXT * J_MLP, "chain rule", "Without the skip there is no identity term."),
        Step(ZeroMatrix(1, n), "W₂ = 0", "Every path through the block passes the zero factor W₂: no gradient at all."),
    ),
    sizes=SIZES,
    where=ZERO_W2,
)
GRAD_W2 = Derivation(
    "∂L/∂W₂ along E₂ (any init)",
    _mm(g, Differential(Y, W2, E2)),
    (
        Step(
            g * E2 * Apply(phi, U),
            "product rule",
            "dy = dW₂ φ(a): so ⟨∂L/∂W₂, E₂⟩ = g E₂ φ(a), i.e. ∂L/∂W₂ = gᵀ φ(a)ᵀ.",
        ),
    ),
    sizes=SIZES,
)
GRAD_B2 = Derivation(
    "∂L/∂b₂ (any init)",
    _mm(g, Jacobian(Y, b2)),
    (Step(g, "sum rule", "∂y/∂b₂ = I: the bias of the last layer gets δ = ∂L/∂y."),),
    sizes=SIZES,
)
GRAD_W1 = Derivation(
    "∂L/∂W₁ along E₁ at W₂ = 0",
    _mm(g, Differential(Y, W1, E1)),
    (
        Step(g * J_MLP.args[0] * J_MLP.args[1] * E1 * x, "chain rule", "dy = W₂ diag(φ'(a)) dW₁ x."),
        Step(ZeroMatrix(1, 1), "W₂ = 0", "Zero along every direction E₁: ∂L/∂W₁ = 0 exactly."),
    ),
    sizes=SIZES,
    where=ZERO_W2,
)
GRAD_B1 = Derivation(
    "∂L/∂b₁ at W₂ = 0",
    _mm(g, Jacobian(Y, b1)),
    (
        Step(g * W2 * Diag(ApplyPrime(phi, U)), "chain rule", "∂y/∂b₁ = W₂ diag(φ'(a))."),
        Step(ZeroMatrix(1, h), "W₂ = 0", "∂L/∂b₁ = 0 exactly."),
    ),
    sizes=SIZES,
    where=ZERO_W2,
)

J_B = MatrixSymbol("J_F", n, n)  # J_F = ∂F/∂x at x (residual.jacobian); any n×n matrix
REV_TRI = "reverse triangle inequality: ‖a + b‖ ≥ ‖a‖ − ‖b‖"
TRI = "triangle inequality: ‖a + b‖ ≤ ‖a‖ + ‖b‖"
SUBMULT = "operator-norm submultiplicativity: ‖gJ‖ ≤ ‖g‖ ‖J‖₂ (so −‖gJ‖ ≥ −‖g‖ ‖J‖₂)"
LOWER_ONE = Derivation(
    "one block: ‖∂L/∂x‖ ≥ (1 − ‖J_F‖₂) ‖∂L/∂y‖",
    Norm(g * (I_n + J_B)),
    (
        Step(Norm(g + g * J_B), "distribute", "Symbolic (matrix tier); ∂L/∂x = g(I + J_F) is residual.jacobian."),
        Step(Norm(g) - Norm(g * J_B), "lemma", f"{REV_TRI}.", ">=", LemmaUse("norm-reverse-triangle", A=g, B=g * J_B)),
        Step(Norm(g) - Norm(g) * OpNorm(J_B), "lemma", f"{SUBMULT}.", ">=", LemmaUse("norm-opnorm", x=g, A=J_B)),
        Step((1 - OpNorm(J_B)) * Norm(g), "factor", "Symbolic; positive exactly when ‖J_F‖₂ < 1."),
    ),
    sizes=SIZES,
)
LOWER_STEP = Derivation(
    "L blocks, ‖J_l‖₂ ≤ ε < 1: induction step, c = (1 − ε)^l ≥ 0",
    c * Norm(g * (I_n + J_B)),
    (
        Step(
            c * (1 - OpNorm(J_B)) * Norm(g),
            "lemma",
            "The one-block bound times c ≥ 0: its two lemma instances, each times c.",
            ">=",
            Certificate(
                (c, LemmaUse("norm-reverse-triangle", A=g, B=g * J_B)), (c, LemmaUse("norm-opnorm", x=g, A=J_B))
            ),
        ),
        Step(
            c * (1 - eps) * Norm(g),
            "lemma",
            "ε = ‖J_F‖₂ + δ ≥ ‖J_F‖₂; so (1 − ε)^l → (1 − ε)^{l+1}.",
            ">=",
            Certificate(c * slack * Norm(g)),  # the gap c·δ·‖g‖ ≥ 0
        ),
    ),
    sizes=SIZES,
    where=((eps, OpNorm(J_B) + slack),),
)
J_TIGHT = MatrixSymbol("J", n, n)
LOWER_TIGHT = Derivation(
    "tight: J_F = −εI attains (1 − ε)‖g‖ (0 < ε < 1)",
    Norm(g * (I_n + J_TIGHT)),
    (
        Step(Norm((1 - eps) * g), "substitute J = −εI", "g(I − εI) = (1 − ε) g."),
        Step((1 - eps) * Norm(g), "homogeneity", "‖cg‖ = |c|‖g‖ and 1 − ε > 0."),
        Step(
            (1 - OpNorm(J_TIGHT)) * Norm(g),
            "‖−εI‖₂ = ε",
            "Equality in the one-block bound; per block in a stack, (1 − ε)^L.",
        ),
    ),
    sizes=SIZES,
    where=((eps, 1 / (1 + s)), (J_TIGHT, -eps * I_n)),
)
UPPER_ONE = Derivation(
    "one block: ‖∂L/∂x‖ ≤ (1 + ‖J_F‖₂) ‖∂L/∂y‖",
    Norm(g * (I_n + J_B)),
    (
        Step(Norm(g + g * J_B), "distribute", "Symbolic (matrix tier); ∂L/∂x = g(I + J_F) is residual.jacobian."),
        Step(Norm(g) + Norm(g * J_B), "lemma", f"{TRI}.", "<=", LemmaUse("norm-triangle", A=g, B=g * J_B)),
        Step(
            Norm(g) + Norm(g) * OpNorm(J_B),
            "lemma",
            "operator-norm submultiplicativity: ‖gJ‖ ≤ ‖g‖ ‖J‖₂.",
            "<=",
            LemmaUse("norm-opnorm", x=g, A=J_B),
        ),
        Step(
            (1 + OpNorm(J_B)) * Norm(g), "factor", "Symbolic; through L blocks ∏(1 + ‖J_l‖₂): can grow like (1 + ε)^L."
        ),
    ),
    sizes=SIZES,
)

# ── numeric: real nn.Linear stacks, torch autograd ─────────────────────────────────────────────
ACTS = {"relu": torch.relu, "tanh": torch.tanh, "identity": lambda t: t}


@st.composite
def stack_cases(draw: st.DrawFn, *, modes=("random", "tight", "rank1"), depth=(1, 4), sign=-1.0) -> Case:
    """A stack of residual blocks built from nn.Linear: sizes, depth, φ, a seed for the weights.

    modes: random (nn.Linear-style U(±1/√fan_in) weights from a seeded generator, W₂ scaled by a
    drawn factor 1e-2..1e1 so ‖J‖₂ falls both sides of 1); tight (J = sign·εI per block);
    rank1 (J = sign·ε uuᵀ and g = u, the case where ‖J‖_F/√n < ‖J‖₂ matters).
    """
    mode = draw(st.sampled_from(modes))
    d = draw(st.integers(1, 6))
    hid = d if mode == "tight" else 1 if mode == "rank1" else draw(st.integers(1, 6))
    return {
        "mode": mode,
        "d": d,
        "h": hid,
        "L": draw(st.integers(*depth)),
        "phi": "identity" if mode != "random" else draw(st.sampled_from(["relu", "tanh", "identity"])),
        "seed": draw(st.integers(0, 2**32 - 1)),
        "w2_scale": draw(st.floats(-2, 1).map(lambda e: float(10.0**e))),
        "eps": draw(st.floats(0.05, 0.95)),
        "sign": sign,
        "x": draw(tensors((d,), scale=draw(scales()))),
        "g": draw(tensors((d,), scale=draw(scales()), zeros=False).filter(lambda t: bool(t.abs().max() > 0))),
    }


def build_stack(case: Case, *, zero_init: bool = False) -> list[torch.nn.Module]:
    """nn.Linear pairs (fc1: d→h, fc2: h→d) with weights from torch.Generator(case['seed'])."""
    gen = torch.Generator().manual_seed(case["seed"])
    d, hid, eps_ = case["d"], case["h"], case.get("eps", 0.5)
    blocks = []
    for _ in range(case["L"]):
        blk = res.ResidualBlock(d, hid, ACTS[case["phi"]])
        with torch.no_grad():
            u = torch.rand(d, generator=gen, dtype=torch.float64) + 0.1
            u = u / u.norm()
            w1 = (torch.rand(hid, d, generator=gen, dtype=torch.float64) * 2 - 1) / math.sqrt(d)
            bias1 = (torch.rand(hid, generator=gen, dtype=torch.float64) * 2 - 1) / math.sqrt(d)
            w2 = (torch.rand(d, hid, generator=gen, dtype=torch.float64) * 2 - 1) / math.sqrt(hid) * case["w2_scale"]
            bias2 = (torch.rand(d, generator=gen, dtype=torch.float64) * 2 - 1) / math.sqrt(hid)
            if case["mode"] == "tight":  # J = sign·ε I
                w1, bias1, w2 = (
                    torch.eye(d, dtype=torch.float64),
                    torch.zeros(d, dtype=torch.float64),
                    case["sign"] * eps_ * torch.eye(d, dtype=torch.float64),
                )
            elif case["mode"] == "rank1":  # J = sign·ε u uᵀ
                w1, bias1, w2 = u[None, :], torch.zeros(1, dtype=torch.float64), case["sign"] * eps_ * u[:, None]
            if zero_init:
                w2, bias2 = torch.zeros_like(w2), torch.zeros_like(bias2)
            blk.fc1.weight.copy_(w1)
            blk.fc1.bias.copy_(bias1)
            blk.fc2.weight.copy_(w2)
            blk.fc2.bias.copy_(bias2)
        blocks.append(blk)
    return blocks


def _upstream(case: Case) -> torch.Tensor:
    if case["mode"] == "rank1":  # g along u (the first block's u: same seed stream)
        gen = torch.Generator().manual_seed(case["seed"])
        u = torch.rand(case["d"], generator=gen, dtype=torch.float64) + 0.1
        return u / u.norm() * (float(case["g"].abs().max()) + 1.0)
    return case["g"]


def autograd_run(case: Case, blocks, *, skip: bool = True):
    """Forward through the blocks, L = ⟨g, x_L⟩; returns (inputs x_l, grads ∂L/∂x_l, Jacobians J_l)."""
    xs = [case["x"].clone().requires_grad_(True)]
    for blk in blocks:
        nxt = blk(xs[-1]) if skip else blk.fc2(blk.phi(blk.fc1(xs[-1])))
        nxt.retain_grad()
        xs.append(nxt)
    (xs[-1] * _upstream(case)).sum().backward()
    grads = [t.grad.detach() for t in xs[:-1]] + [_upstream(case)]
    jacs = [
        torch.autograd.functional.jacobian(lambda v, b=blk: b.fc2(b.phi(b.fc1(v))), t.detach())
        for blk, t in zip(blocks, xs)
    ]
    return [t.detach() for t in xs], grads, jacs


def _rounding(case: Case, blocks, g_top: torch.Tensor) -> float:
    """64 ulps × L(d + h + 4) × ∏(1 + ‖W₂‖₂‖W₁‖₂) × ‖g_L‖: each block's backward is a chain of
    matvecs of length ≤ d + h whose terms are bounded by ‖W₂‖‖W₁‖ times the incoming gradient
    (before any cancellation), and torch's SVD-based spectral norm is backward stable."""
    grow = 1.0
    for blk in blocks:
        grow *= 1 + float(
            torch.linalg.matrix_norm(blk.fc2.weight.detach(), 2) * torch.linalg.matrix_norm(blk.fc1.weight.detach(), 2)
        )
    return 64 * torch.finfo(torch.float64).eps * case["L"] * (case["d"] + case["h"] + 4) * grow * float(g_top.norm())


def _bound_check(case: Case, *, lower: bool, factor) -> Outcome:
    """Per block: ‖g_l‖ vs factor(J_l, n)·‖g_{l+1}‖; through the stack when every factor ≥ 0."""
    blocks = build_stack(case)
    _, grads, jacs = autograd_run(case, blocks)
    tol = _rounding(case, blocks, grads[-1])
    worst = 0.0
    prod, all_nonneg = 1.0, True
    for l_ in range(case["L"]):
        f = factor(jacs[l_], case["d"])
        prod *= f
        all_nonneg &= f >= 0
        lhs, rhs = float(grads[l_].norm()), f * float(grads[l_ + 1].norm())
        gap = rhs - lhs if lower else lhs - rhs
        worst = max(worst, gap)
        if gap > tol:
            return Outcome(
                False, gap, tol, f"block {l_}: ‖g_l‖ = {lhs!r}, bound {rhs!r} (L={case['L']}, mode={case['mode']})"
            )
    if lower and all_nonneg or not lower:
        lhs, rhs = float(grads[0].norm()), prod * float(grads[-1].norm())
        gap = rhs - lhs if lower else lhs - rhs
        if gap > tol:
            return Outcome(
                False, gap, tol, f"stack: ‖g_0‖ = {lhs!r}, ∏ bound {rhs!r} (L={case['L']}, mode={case['mode']})"
            )
    return Outcome(True, max(worst, 0.0), tol)


def _opn(j: torch.Tensor) -> float:
    return float(torch.linalg.matrix_norm(j, 2))


def _fro_rms(j: torch.Tensor, d: int) -> float:
    return float(torch.linalg.matrix_norm(j, "fro")) / math.sqrt(d)


def _lower(factor):
    return lambda case: _bound_check(case, lower=True, factor=factor)


def _upper(factor):
    return lambda case: _bound_check(case, lower=False, factor=factor)


def _lower_bound_cases() -> st.SearchStrategy[Case]:
    """stack_cases, all modes, depth 1..4, d = 1..6, sign −1: random blocks (W₂ scale 1e-2..10, so ‖J‖₂ falls both
    sides of 1) and J = −εI, J = −ε uuᵀ with g = u (ε 0.05..0.95), which attain the bound; x, g over UNIT_DOMAIN
    with own scales 1e-3..1e3, g ≠ 0."""
    return stack_cases(sign=-1.0)


def _upper_bound_cases() -> st.SearchStrategy[Case]:
    """stack_cases, all modes, depth 1..4, d = 1..6, sign +1: random blocks (W₂ scale 1e-2..10, ‖J‖₂ both sides of 1)
    and J = +εI, J = +ε uuᵀ with g = u (ε 0.05..0.95), which attain the bound; x, g over UNIT_DOMAIN with own scales
    1e-3..1e3, g ≠ 0."""
    return stack_cases(sign=1.0)


LOWER_CHECK = PropertyCheck(
    name="‖∂L/∂x_l‖ ≥ (1 − ‖J_l‖₂)‖∂L/∂x_{l+1}‖ per block and ∏(1 − ‖J_l‖₂) through the stack (nn.Linear, autograd)",
    cases=_lower_bound_cases,
    holds=_lower(lambda j, d: 1 - _opn(j)),
    reason="lemma-backed bound checked through real nn.Linear stacks (depth 1..4, widths 1..6, J_l by "
    "torch.autograd.functional.jacobian, ‖·‖₂ by torch.linalg.matrix_norm); slack = rounding bound of _rounding",
    planted={
        "(1 − ‖J‖₂)^0.5": _lower(lambda j, d: max(1 - _opn(j), 0.0) ** 0.5),
        "‖J‖_F mis-used: (1 − ‖J‖_F/√n)": _lower(lambda j, d: 1 - _fro_rms(j, d)),
        "sign error: (1 + ‖J‖₂) as the lower bound": _lower(lambda j, d: 1 + _opn(j)),
    },
)
UPPER_CHECK = PropertyCheck(
    name="‖∂L/∂x_l‖ ≤ (1 + ‖J_l‖₂)‖∂L/∂x_{l+1}‖ per block and ∏(1 + ‖J_l‖₂) through the stack",
    cases=_upper_bound_cases,
    holds=_upper(lambda j, d: 1 + _opn(j)),
    reason="as the lower bound; tight cases J = +εI and J = +ε uuᵀ with g = u attain it",
    planted={
        "(1 + ‖J‖₂)^0.5": _upper(lambda j, d: (1 + _opn(j)) ** 0.5),
        "‖J‖_F mis-used: (1 + ‖J‖_F/√n)": _upper(lambda j, d: 1 + _fro_rms(j, d)),
        "no growth: ‖∂L/∂x‖ ≤ ‖∂L/∂y‖": _upper(lambda j, d: 1.0),
    },
)


# jacobian: closed form vs impl vs autograd
def _one_block(case: Case):
    blk = build_stack({**case, "L": 1})[0]
    return blk, (blk.fc1.weight.detach(), blk.fc1.bias.detach(), blk.fc2.weight.detach(), blk.fc2.bias.detach())


PHI_PRIME = {
    "relu": lambda a: (a > 0).to(a.dtype),  # torch.relu's convention: 0 at a == 0
    "tanh": lambda a: 1 - torch.tanh(a) ** 2,
    "identity": lambda a: torch.ones_like(a),
}


def _closed_jacobian(case: Case, *, identity: bool = True) -> torch.Tensor:
    """The derivation's rhs, transcribed: g (I + W₂ diag(φ'(W₁x + b₁)) W₁)."""
    _, (w1, bb1, w2, _) = _one_block(case)
    a = w1 @ case["x"] + bb1
    j = w2 @ torch.diag(PHI_PRIME[case["phi"]](a)) @ w1
    eye = (
        torch.eye(case["d"], dtype=torch.float64)
        if identity
        else torch.zeros(case["d"], case["d"], dtype=torch.float64)
    )
    return _upstream(case) @ (eye + j)


def _autograd_one(case: Case) -> torch.Tensor:
    blk, _ = _one_block(case)
    return autograd_run({**case, "L": 1}, [blk])[1][0]


def _functional_jacobian(case: Case) -> torch.Tensor:
    blk, _ = _one_block(case)
    return _upstream(case) @ torch.autograd.functional.jacobian(blk, case["x"])


def _impl_one(case: Case) -> torch.Tensor:
    _, p = _one_block(case)
    act, der = ACTS[case["phi"]], PHI_PRIME[case["phi"]]
    return res.residual_input_grad(case["x"], [p], _upstream(case), act, der)


def _grad_scale(case: Case) -> float:
    _, (w1, _, w2, _) = _one_block(case)
    return (
        (case["d"] + case["h"] + 2)
        * max(float(_upstream(case).abs().max()), torch.finfo(torch.float64).tiny)
        * (1 + float(w2.abs().max() * w1.abs().max()) * case["h"] * case["d"])
    )


GRAD_TOL = Tolerance(
    16,
    "sum of d + h + 2 products per entry; terms bounded by max|g|·(1 + h·d·max|W₂|·max|W₁|): "
    "scale = (d + h + 2)·max|g|·(1 + h·d·max|W₂|max|W₁|)",
    _grad_scale,
)


def _one_block_cases() -> st.SearchStrategy[Case]:
    """One block (depth 1), d = 1..6: random (φ relu, tanh or identity, hidden width 1..6, W₂ scale 1e-2..10) or rank
    one (J = −ε uuᵀ, φ identity); x, g over UNIT_DOMAIN with own scales 1e-3..1e3, g ≠ 0: the closed form is per
    block."""
    return stack_cases(modes=("random", "rank1"), depth=(1, 1))


JACOBIAN_CHECK = CrossCheck(
    name="g(I + W₂ diag(φ'(a)) W₁) against autograd through nn.Linear, autograd.functional.jacobian, impl",
    cases=_one_block_cases,
    expected=_closed_jacobian,
    references={
        "autograd (nn.Linear)": _autograd_one,
        "torch.autograd.functional.jacobian": _functional_jacobian,
        "impl.residual_input_grad": _impl_one,
        "impl.block_jacobian: g(I + J_F)": lambda c_: (
            _upstream(c_)
            @ (
                torch.eye(c_["d"], dtype=torch.float64)
                + res.block_jacobian(c_["x"], *_one_block(c_)[1][:3], PHI_PRIME[c_["phi"]])
            )
        ),
    },
    tolerance=GRAD_TOL,
    planted={
        "missing identity term: ∂L/∂x = ∂L/∂y J_F": lambda c_: _closed_jacobian(c_, identity=False),
        "transposed Jacobian: g(I + J_Fᵀ)": lambda c_: (
            _upstream(c_) @ (torch.eye(c_["d"], dtype=torch.float64) + _jf(c_).T)
        ),
    },
    examples=(
        {
            "mode": "random",
            "d": 2,
            "h": 2,
            "L": 1,
            "phi": "relu",
            "seed": 0,
            "w2_scale": 1.0,
            "eps": 0.5,
            "sign": -1.0,
            "x": torch.zeros(2, dtype=torch.float64),
            "g": torch.tensor([1.0, -2.0], dtype=torch.float64),
        },
    ),
)


def _jf(case: Case) -> torch.Tensor:
    _, (w1, bb1, w2, _) = _one_block(case)
    return w2 @ torch.diag(PHI_PRIME[case["phi"]](w1 @ case["x"] + bb1)) @ w1


# zero init
def _zero_grads(case: Case, *, skip: bool = True) -> list[torch.Tensor]:
    return autograd_run(case, build_stack(case, zero_init=True), skip=skip)[1]


def _zero_stack_property(
    case: Case, *, expect_plain=lambda g_: torch.zeros_like(g_), expect_res=lambda g_, L: g_
) -> Outcome:
    top = _upstream(case)
    res_g, plain_g = _zero_grads(case)[0], _zero_grads(case, skip=False)[0]
    err_r = float((res_g - expect_res(top, case["L"])).abs().max())
    err_p = float((plain_g - expect_plain(top)).abs().max())
    ok = err_r == 0.0 and err_p == 0.0
    return Outcome(
        ok,
        max(err_r, err_p),
        0.0,
        "" if ok else f"residual off by {err_r:.3g}, plain off by {err_p:.3g} (L={case['L']})",
    )


def _zero_init_stack_cases() -> st.SearchStrategy[Case]:
    """Random stacks of depth 1..6 (d, hidden width 1..6, φ relu, tanh or identity; the check zeroes W₂, b₂); x, g over
    UNIT_DOMAIN with own scales 1e-3..1e3, g ≠ 0: the identity path must pass g bit for bit at every depth."""
    return stack_cases(modes=("random",), depth=(1, 6))


ZERO_STACK_CHECK = PropertyCheck(
    name="zero-initialised stacks (autograd): residual ∂L/∂x₀ == ∂L/∂x_L bit for bit; plain ∂L/∂x₀ == 0",
    cases=_zero_init_stack_cases,
    holds=_zero_stack_property,
    reason="exact: every branch term is a product with an exact 0 (W₂ = 0), and g + 0 = g in floating point",
    planted={
        "a plain stack passes the gradient too": lambda c_: _zero_stack_property(c_, expect_plain=lambda g_: g_),
        "identity counted twice per block: 2^L g": lambda c_: _zero_stack_property(
            c_, expect_res=lambda g_, L: g_ * 2.0**L
        ),
    },
)


def _zero_init_block_cases() -> st.SearchStrategy[Case]:
    """One random block (d, hidden width 1..6, φ relu, tanh or identity; the check zeroes W₂, b₂); x, g over
    UNIT_DOMAIN with own scales 1e-3..1e3, g ≠ 0: any φ and magnitude, since the claim holds whatever W₁, b₁ and x
    are."""
    return stack_cases(modes=("random",), depth=(1, 1))


ZERO_GRAD_CHECK = CrossCheck(
    name="∂L/∂x = ∂L/∂y at W₂ = 0, b₂ = 0: autograd through nn.Linear and impl",
    cases=_zero_init_block_cases,
    expected=_upstream,
    references={
        "autograd (nn.Linear, fc2 zeroed)": lambda c_: _zero_grads(c_)[0],
        "impl.residual_input_grad (zero_init_block)": lambda c_: res.residual_input_grad(
            c_["x"],
            [res.zero_init_block(c_["d"], c_["h"], generator=torch.Generator().manual_seed(c_["seed"]))],
            _upstream(c_),
            ACTS[c_["phi"]],
            PHI_PRIME[c_["phi"]],
        ),
    },
    tolerance=Tolerance.exact("the branch contributes g·0 = 0 and g + 0 = g: no rounding"),
    planted={
        "no skip (plain block): ∂L/∂x = ∂L/∂y J_F = 0": lambda c_: torch.zeros_like(c_["g"]),
        "a lower bound (1 − ‖W₁‖₂)‖g‖ mistaken for the value": lambda c_: _upstream(c_) * 0.5,
    },
)


def _param_grads_closed(case: Case, *, w1_grad=None) -> torch.Tensor:
    """W₁: 0, b₁: 0, W₂: g φ(a)ᵀ, b₂: g (flattened, in that order)."""
    blk = build_stack(case, zero_init=True)[0]
    w1, bb1 = blk.fc1.weight.detach(), blk.fc1.bias.detach()
    a = w1 @ case["x"] + bb1
    top = _upstream(case)
    gw1 = torch.zeros_like(w1) if w1_grad is None else w1_grad(case, a, w1)
    return torch.cat([gw1.flatten(), torch.zeros_like(bb1), torch.outer(top, ACTS[case["phi"]](a)).flatten(), top])


def _autograd_param_grads(case: Case, *, zero_init: bool) -> torch.Tensor:
    """The block's W₁, b₁, W₂, b₂ gradients (flattened, in that order) by autograd through nn.Linear."""
    blk = build_stack(case, zero_init=zero_init)[0]
    (blk(case["x"]) * _upstream(case)).sum().backward()
    return torch.cat([p.grad.flatten() for p in (blk.fc1.weight, blk.fc1.bias, blk.fc2.weight, blk.fc2.bias)])


def _impl_param_grads(case: Case, *, zero_init: bool) -> torch.Tensor:
    """The same four gradients from impl.residual.branch_param_grads, on the same block."""
    blk = build_stack(case, zero_init=zero_init)[0]
    ps = res.branch_param_grads(
        case["x"],
        blk.fc1.weight.detach(),
        blk.fc1.bias.detach(),
        blk.fc2.weight.detach(),
        _upstream(case),
        ACTS[case["phi"]],
        PHI_PRIME[case["phi"]],
    )
    return torch.cat([p.flatten() for p in ps])


def _general_grads_closed(case: Case, *, swap_w1_b1: bool = False) -> torch.Tensor:
    """Away from zero init (W₂ ≠ 0): δ = (g W₂) ⊙ φ'(a); W₁: δxᵀ, b₁: δ, W₂: g φ(a)ᵀ, b₂: g (flattened, in order)."""
    blk = build_stack(case)[0]
    w1, bb1, w2 = blk.fc1.weight.detach(), blk.fc1.bias.detach(), blk.fc2.weight.detach()
    a = w1 @ case["x"] + bb1
    top = _upstream(case)
    delta = (top @ w2) * PHI_PRIME[case["phi"]](a)
    first = (
        [delta, torch.outer(delta, case["x"]).flatten()]
        if swap_w1_b1
        else [torch.outer(delta, case["x"]).flatten(), delta]
    )
    return torch.cat([*first, torch.outer(top, ACTS[case["phi"]](a)).flatten(), top])


def _general_param_cases() -> st.SearchStrategy[Case]:
    """One random block with its non-zero W₂ (scaled 1e-2..10; d, hidden width 1..6, φ relu, tanh or identity); x, g
    over UNIT_DOMAIN with own scales 1e-3..1e3, g ≠ 0: every parameter gradient non-zero, so each is told apart."""
    return stack_cases(modes=("random",), depth=(1, 1))


GENERAL_PARAM_GRAD_CHECK = CrossCheck(
    name="the same formulas away from zero init (W₂ ≠ 0): δxᵀ, δ, g φ(a)ᵀ, g against autograd and impl",
    cases=_general_param_cases,
    expected=_general_grads_closed,
    references={
        "autograd (nn.Linear)": lambda c_: _autograd_param_grads(c_, zero_init=False),
        "impl.branch_param_grads": lambda c_: _impl_param_grads(c_, zero_init=False),
    },
    tolerance=Tolerance(
        16,
        "as the Jacobian check's, times (1 + max|x|) for δxᵀ and the products with φ(a) (a = W₁x + b₁): "
        "scale = (d + h + 2)·max|g|·(1 + h·d·max|W₂|max|W₁|)·(1 + max|x|)·(1 + d)",
        lambda c_: _grad_scale(c_) * (1 + float(c_["x"].abs().max())) * (1 + c_["d"]),
    ),
    planted={
        "W₁ and b₁ gradients swapped": lambda c_: _general_grads_closed(c_, swap_w1_b1=True),
        "δ without φ'(a)": lambda c_: (
            _general_grads_closed({**c_, "phi": "identity"})
            if c_["phi"] != "identity"
            else 2 * _general_grads_closed(c_)
        ),
    },
)


def _w1_as_if_default_w2(case: Case, a: torch.Tensor, w1: torch.Tensor) -> torch.Tensor:
    """Planted: W₁'s gradient computed with W₂ at its default (non-zero) init, forgetting W₂ = 0."""
    w2 = build_stack(case)[0].fc2.weight.detach()
    return torch.outer((_upstream(case) @ w2) * PHI_PRIME[case["phi"]](a), case["x"])


def _zero_init_param_cases() -> st.SearchStrategy[Case]:
    """One random block (d, hidden width 1..6, φ relu, tanh or identity; W₂ = 0 in the check); x, g over UNIT_DOMAIN
    with own scales 1e-3..1e3, g ≠ 0: W₁, b₁ must get exactly 0 and W₂, b₂ the closed forms, for any activation and
    scale."""
    return stack_cases(modes=("random",), depth=(1, 1))


PARAM_GRAD_CHECK = CrossCheck(
    name="parameter gradients at W₂ = 0: W₁, b₁ exactly 0; W₂ = g φ(a)ᵀ; b₂ = g (autograd on nn.Linear, impl)",
    cases=_zero_init_param_cases,
    expected=_param_grads_closed,
    references={
        "autograd (.grad of nn.Linear)": lambda c_: _autograd_param_grads(c_, zero_init=True),
        "impl.branch_param_grads": lambda c_: _impl_param_grads(c_, zero_init=True),
    },
    tolerance=Tolerance(
        4,
        "one rounded product g_i·φ(a)_j per W₂ entry (φ(a) itself a d-term dot product); the rest are exact "
        "zeros or copies: scale = max|g|·(√d·max|x| + 1) ≥ max|g|·max|a| ≥ max|g|·max|φ(a)| for relu, tanh, identity",
        lambda c_: (
            max(float(_upstream(c_).abs().max()), torch.finfo(torch.float64).tiny)
            * (math.sqrt(c_["d"]) * float(c_["x"].abs().max()) * c_["d"] + 1)
        ),
    ),
    planted={
        "W₁ gets a non-zero gradient (W₂ taken at its default init)": lambda c_: _param_grads_closed(
            c_, w1_grad=_w1_as_if_default_w2
        ),
        "∂L/∂W₂ = g φ'(a)ᵀ (derivative instead of activation)": lambda c_: _param_grads_w2_prime(c_),
    },
    examples=(
        {
            "mode": "random",
            "d": 3,
            "h": 2,
            "L": 1,
            "phi": "tanh",
            "seed": 1,
            "w2_scale": 1.0,
            "eps": 0.5,
            "sign": -1.0,
            "x": torch.tensor([1.0, -0.5, 0.25], dtype=torch.float64),
            "g": torch.tensor([1.0, 2.0, -1.0], dtype=torch.float64),
        },
    ),
)


def _param_grads_w2_prime(case: Case) -> torch.Tensor:
    out = _param_grads_closed(case)
    blk = build_stack(case, zero_init=True)[0]
    w1, bb1 = blk.fc1.weight.detach(), blk.fc1.bias.detach()
    a = w1 @ case["x"] + bb1
    start = w1.numel() + bb1.numel()
    out[start : start + case["d"] * case["h"]] = torch.outer(_upstream(case), PHI_PRIME[case["phi"]](a)).flatten()
    return out


# the counterexample to an unconditional bound: J_F = −I
def _minus_identity_witness() -> Witness:
    """y = x + W₂ relu(W₁x) with W₁ = I, W₂ = −I and x > 0: y ≡ 0 near x, so ∂L/∂x = 0 ≠ ∂L/∂y."""
    case = {
        "mode": "tight",
        "d": 3,
        "h": 3,
        "L": 1,
        "phi": "relu",
        "seed": 0,
        "w2_scale": 1.0,
        "eps": 1.0,
        "sign": -1.0,
        "x": torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64),
        "g": torch.tensor([1.0, -1.0, 2.0], dtype=torch.float64),
    }
    grads = autograd_run(case, build_stack(case))[1]
    return Witness(
        holds=bool(grads[0].norm() > 0),
        lhs=f"‖∂L/∂x‖ = {float(grads[0].norm())!r}",
        rhs=f"‖∂L/∂y‖ = {float(grads[1].norm())!r}",
        detail="nn.Linear residual block, W₁ = I, W₂ = −I, b = 0, relu with x > 0, torch autograd",
        facts={"opnorm_J_F": 1.0},  # J_F = W₂ diag(relu'(W₁x)) W₁ = −I (x > 0): ‖J_F‖₂ = 1
    )


def _hyp_case_holds(case: Case) -> Outcome:
    """Under ‖J_l‖₂ < 1 (tight mode, ε < 1): ∂L/∂x₀ ≠ 0 whenever ∂L/∂x_L ≠ 0."""
    grads = autograd_run(case, build_stack(case))[1]
    ok = bool(grads[0].ne(0).any())  # exactly non-zero; no norm, whose square could underflow
    return Outcome(ok, 0.0, 0.0, "" if ok else "gradient vanished under ‖J‖₂ < 1")


def _hyp_planted(case: Case) -> Outcome:
    """Planted: drop the hypothesis (ε = 1, J = −I): the gradient must still be non-zero."""
    return _hyp_case_holds({**case, "eps": 1.0})


def _contracting_cases() -> st.SearchStrategy[Case]:
    """J = −εI per block with ε in [0.05, 0.95] (the hypothesis ‖J_F‖₂ < 1, in its most shrinking direction), depth
    1..4, d = 1..6; x, g over UNIT_DOMAIN with own scales 1e-3..1e3, g ≠ 0: the gradient shrinks by (1 − ε)^L but
    must stay non-zero."""
    return stack_cases(modes=("tight",), sign=-1.0)


NONVANISH_CHECK = PropertyCheck(
    name="under ‖J_F‖₂ < 1 the gradient does not vanish (J = −εI, ε < 1, depth 1..4)",
    cases=_contracting_cases,
    holds=_hyp_case_holds,
    reason="‖g_0‖ ≥ (1 − ε)^L ‖g_L‖ > 0; checked as exact non-vanishing (no tolerance needed)",
    planted={"hypothesis dropped (ε = 1, J = −I)": _hyp_planted},
)

Q8_QUOTE = "由于 y = F ( x ) + x y = F(x)+x y=F(x)+x,所以 ∂ y ∂ x = ∂ F ( x ) ∂ x + I \\frac{\\partial y}{\\partial x}=\\frac{\\partial F(x)}{\\partial x}+I ∂x∂y=∂x∂F(x)+I,其中 I I I 是单位矩阵。"


# stacks of 2..4 random non-zero blocks: forward values and ∂L/∂x₀, closed form vs nn.Linear/autograd vs impl
def _stack_params(case: Case):
    blocks = build_stack(case)
    return blocks, [tuple(p.detach() for p in blk.params()) for blk in blocks]


def _stack_forward_closed(case: Case, *, sign: float = 1.0, skip_once: bool = False) -> torch.Tensor:
    """h_{l+1} = h_l + F_l(h_l) with F_l(h) = W₂φ(W₁h + b₁) + b₂, then the plain stack h_{l+1} = F_l(h_l),
    side by side.  # [2d]"""
    _, ps = _stack_params(case)
    phi = ACTS[case["phi"]]
    h, p_ = case["x"], case["x"]
    for w1, bb1, w2, bb2 in ps:
        h = (0 if skip_once else h) + sign * (w2 @ phi(w1 @ h + bb1) + bb2)
        p_ = w2 @ phi(w1 @ p_ + bb1) + bb2
    if skip_once:
        h = case["x"] + h
    return torch.cat([h, p_])


def _stack_forward_nn(case: Case) -> torch.Tensor:
    blocks, _ = _stack_params(case)
    with torch.no_grad():
        h, p_ = case["x"], case["x"]
        for blk in blocks:
            h, p_ = blk(h), blk.fc2(blk.phi(blk.fc1(p_)))
    return torch.cat([h, p_])


def _stack_forward_impl(case: Case) -> torch.Tensor:
    _, ps = _stack_params(case)
    phi = ACTS[case["phi"]]
    return torch.cat([res.residual_stack(case["x"], ps, phi), res.plain_stack(case["x"], ps, phi)])


def _stack_growth(case: Case) -> float:
    """L·(d + h + 4)·∏(1 + ‖W₂‖₂‖W₁‖₂): how much a rounding error made in one block can grow through the
    stack (the chain of matvecs per block has length ≤ d + h, its terms bounded before cancellation)."""
    blocks, _ = _stack_params(case)
    grow = 1.0
    for blk in blocks:
        grow *= 1 + float(
            torch.linalg.matrix_norm(blk.fc2.weight.detach(), 2) * torch.linalg.matrix_norm(blk.fc1.weight.detach(), 2)
        )
    return case["L"] * (case["d"] + case["h"] + 4) * grow


def _forward_scale(case: Case) -> float:
    _, ps = _stack_params(case)
    size = float(case["x"].norm()) + sum(float(w2.norm() * b1_.norm() + b2_.norm()) for _, b1_, w2, b2_ in ps)
    return _stack_growth(case) * (size + torch.finfo(torch.float64).tiny)


def _stack_cases() -> st.SearchStrategy[Case]:
    """Random stacks of depth 2..4 (d, hidden width 1..6; φ relu, tanh or identity; W₂ scaled 1e-2..10, so every
    block is non-zero and ‖J‖₂ falls both sides of 1); x, g over UNIT_DOMAIN with own scales 1e-3..1e3, g ≠ 0."""
    return stack_cases(modes=("random",), depth=(2, 4))


STACK_FORWARD_CHECK = CrossCheck(
    name="forward through 2..4 non-zero blocks, residual and plain: the recursion against nn.Linear stacks and impl",
    cases=_stack_cases,
    expected=_stack_forward_closed,
    references={
        "nn.Linear stacks (ResidualBlock; fc2∘φ∘fc1)": _stack_forward_nn,
        "impl.residual_stack / impl.plain_stack": _stack_forward_impl,
    },
    tolerance=Tolerance(
        16,
        "per block a chain of ≤ d + h products, its error carried by the later blocks: "
        "scale = L·(d + h + 4)·∏(1 + ‖W₂‖₂‖W₁‖₂)·(‖x‖ + Σ(‖W₂‖‖b₁‖ + ‖b₂‖))",
        _forward_scale,
    ),
    planted={
        "the skip subtracted: h − F(h)": lambda c_: _stack_forward_closed(c_, sign=-1.0),
        "one skip around the whole stack: x + F_L∘…∘F_1(x)": lambda c_: _stack_forward_closed(c_, skip_once=True),
    },
)


def _stack_grad_closed(case: Case, *, sign: float = 1.0, last_only: bool = False) -> torch.Tensor:
    """∂L/∂x₀ = g ∏_{l=L}^{1}(I + J_l) (residual) and g ∏ J_l (plain), J_l = W₂ diag(φ'(a_l)) W₁ at each
    stack's own pre-activations a_l, multiplied out.  # [2d]"""
    _, ps = _stack_params(case)
    phi, der = ACTS[case["phi"]], PHI_PRIME[case["phi"]]
    eye = torch.eye(case["d"], dtype=torch.float64)
    out = []
    for skip in (True, False):
        h, jacs = case["x"], []
        for w1, bb1, w2, bb2 in ps:
            a_ = w1 @ h + bb1
            jacs.append(w2 @ torch.diag(der(a_)) @ w1)
            f = w2 @ phi(a_) + bb2
            h = h + sign * f if skip else f
        g_ = _upstream(case)
        for n_, j in enumerate(reversed(jacs)):
            if last_only and n_ > 0:
                break
            g_ = g_ @ (eye + sign * j) if skip else g_ @ j
        out.append(g_)
    return torch.cat(out)


def _stack_grad_autograd(case: Case) -> torch.Tensor:
    blocks, _ = _stack_params(case)
    return torch.cat([autograd_run(case, blocks)[1][0], autograd_run(case, blocks, skip=False)[1][0]])


def _stack_grad_impl(case: Case) -> torch.Tensor:
    _, ps = _stack_params(case)
    phi, der, g_ = ACTS[case["phi"]], PHI_PRIME[case["phi"]], _upstream(case)
    return torch.cat(
        [res.residual_input_grad(case["x"], ps, g_, phi, der), res.plain_input_grad(case["x"], ps, g_, phi, der)]
    )


STACK_GRAD_CHECK = CrossCheck(
    name="∂L/∂x₀ through 2..4 non-zero blocks: g∏(I + J_l) and g∏J_l against autograd (nn.Linear) and impl",
    cases=_stack_cases,
    expected=_stack_grad_closed,
    references={
        "autograd through nn.Linear stacks (with and without the skip)": _stack_grad_autograd,
        "impl.residual_input_grad / impl.plain_input_grad": _stack_grad_impl,
    },
    tolerance=Tolerance(
        64,
        "as the bound checks' rounding term: L·(d + h + 4)·∏(1 + ‖W₂‖₂‖W₁‖₂)·‖g‖ (each block's backward a chain "
        "of matvecs of length ≤ d + h, bounded by ‖W₂‖‖W₁‖ times the incoming gradient)",
        lambda c_: _stack_growth(c_) * (float(_upstream(c_).norm()) + torch.finfo(torch.float64).tiny),
    ),
    planted={
        "the skip subtracted: g∏(I − J_l)": lambda c_: _stack_grad_closed(c_, sign=-1.0),
        "the last block only: g(I + J_L)": lambda c_: _stack_grad_closed(c_, last_only=True),
    },
)


# zero_init_block's draws: W₁, b₁ ~ U(−1/√d, 1/√d) (nn.Linear's default bound) from the generator, W₂ = b₂ = 0
def _zero_init_closed(case: Case, *, bound=lambda d: 1 / math.sqrt(d), zero_b1: bool = False) -> torch.Tensor:
    gen, d, hid = torch.Generator().manual_seed(case["seed"]), case["d"], case["h"]
    w1 = (2 * torch.rand(hid, d, generator=gen, dtype=torch.float64) - 1) * bound(d)
    b1_ = (2 * torch.rand(hid, generator=gen, dtype=torch.float64) - 1) * bound(d)
    if zero_b1:
        b1_ = torch.zeros_like(b1_)
    return torch.cat([w1.flatten(), b1_, torch.zeros(d * hid + d, dtype=torch.float64)])


ZERO_INIT_DRAW_CHECK = CrossCheck(
    name="zero_init_block's parameters draw for draw: W₁, b₁ = (2u − 1)/√d (nn.Linear's bound), W₂ = b₂ = 0",
    cases=_zero_init_block_cases,
    expected=_zero_init_closed,
    references={
        "impl.zero_init_block": lambda c_: torch.cat(
            [
                t.flatten()
                for t in res.zero_init_block(c_["d"], c_["h"], generator=torch.Generator().manual_seed(c_["seed"]))
            ]
        ),
    },
    tolerance=Tolerance(
        4,
        "one product and one subtraction per entry ((2u − 1)·b against (u·2 − 1)·b), rounded: scale = the bound 1/√d",
        lambda c_: 1 / math.sqrt(c_["d"]),
    ),
    planted={
        "bound 1/d": lambda c_: _zero_init_closed(c_, bound=lambda d: 1 / d if d > 1 else 0.5),
        "b₁ = 0": lambda c_: _zero_init_closed(c_, zero_b1=True),
    },
)


S000_L9 = Sentence(
    file=shared.SEED000,
    section="§2.1",
    line=9,
    quote="残差连接有助于缓解深层网络中的梯度消失问题,因为它允许梯度直接通过恒等映射传递到前面的层,从而使得更深层次的网络能够被有效地训练。",
)
S003_L21 = Sentence(
    file=shared.SEED003,
    section="§2.2",
    line=21,
    quote=(
        "残差连接的表达式为\xa0y = x+Sublayer(x),其中\xa0x\xa0是输入,Sublayer(x)\xa0是子层对输入\xa0x\xa0进行的变换输出。"
        "这种结构使得梯度可以直接通过捷径连接(shortcut connection)进行传播,避免了梯度在多层非线性变换中过度衰减或放大。"
    ),
)


# ── claims ────────────────────────────────────────────────────────────────────────────────────
JACOBIAN = Claim(
    id="residual.jacobian",
    title="y = x + F(x) ⇒ ∂L/∂x = ∂L/∂y (I + J_F)",
    verdict=Verdict.PROVED,
    summary=(
        "For any differentiable sublayer F and any width n, the Jacobian of x + F(x) is I + J_F, "
        "so the gradient is ∂L/∂y + ∂L/∂y·J_F: an identity path plus the branch path. For the MLP "
        "sublayer W₂φ(W₁x + b₁) + b₂, J_F = W₂ diag(φ'(W₁x + b₁)) W₁. Symbolic for MatrixSymbols "
        "of symbolic n, h (matrix tier), with the Jacobian recomputed entrywise at n = 1..4."
    ),
    derivations=(GRAD_ANY_F, JAC_MLP),
    numeric=(JACOBIAN_CHECK, STACK_FORWARD_CHECK, STACK_GRAD_CHECK),
    sources=(
        Source(
            shared.SEED001,
            "Q8",
            Q8_QUOTE,
            "Since y = F(x) + x, ∂y/∂x = ∂F(x)/∂x + I, where I is the identity matrix.",
            line=148,
        ),
        Source(
            shared.SEED003,
            "§3.1",
            "由于\u00a0y = x+Sublayer(x),根据加法求导法则,\\frac{\\partial y}{\\partial x}=1 + \\frac{\\partial Sublayer(x)}{\\partial x}",
            "Since y = x + Sublayer(x), by the sum rule ∂y/∂x = 1 + ∂Sublayer(x)/∂x (the seed writes the scalar 1 for the identity matrix).",
            line=35,
        ),
        Source(
            sentence=S000_L9,
            gloss="Residual connections help (hedged: 有助于) against vanishing gradients in deep networks because they let the gradient pass directly through the identity mapping to earlier layers. Judged for the residual connection, which is what the sentence names: ∂L/∂x = ∂L/∂y (I + J_F), the I is the direct path. (Read of the Post-Norm block the paragraph describes, the direct path still passes J_LN: normorder.postnorm-jacobian.)",
            assertion="残差连接有助于缓解深层网络中的梯度消失问题,因为它允许梯度直接通过恒等映射传递到前面的层",
            kind="hedged",
        ),
        Source(
            shared.SEED001,
            "Q8",
            "在反向传播时,我们需要计算损失函数 L 关于输入 x 的梯度 ∂L/∂x。根据链式法则: ∂L/∂x = ∂L/∂y ⋅ ∂y/∂x",
            "In backpropagation we need the gradient of the loss L with respect to the input x; by the chain rule ∂L/∂x = ∂L/∂y · ∂y/∂x.",
            line=119,
        ),
        Source(
            shared.SEED001,
            "Q8",
            "则 ∂L/∂x = ∂L/∂y⋅(∂F(x)/∂x + I) = ∂L/∂y⋅∂F(x)/∂x + ∂L/∂y",
            "Then ∂L/∂x = ∂L/∂y (∂F(x)/∂x + I) = ∂L/∂y ∂F(x)/∂x + ∂L/∂y.",
            line=149,
        ),
        Source(
            shared.SEED001,
            "Q8",
            "可以看到,梯度由两部分组成,一部分是经过残差函数 F(x) 传递的梯度 ∂L/∂y⋅∂F(x)/∂x,另一部分是直接通过恒等映射传递的梯度 ∂L/∂y。",
            "The gradient has two parts: one through the residual function F(x), ∂L/∂y · ∂F(x)/∂x, and one passed directly through the identity mapping, ∂L/∂y.",
            line=150,
        ),
        Source(
            shared.SEED003,
            "§3.1",
            "对于残差连接\xa0y = x+Sublayer(x),根据链式法则,我们有:\\frac{\\partial L}{\\partial x}=\\frac{\\partial L}{\\partial y}\\cdot\\frac{\\partial y}{\\partial x}",
            "For the residual connection y = x + Sublayer(x), by the chain rule ∂L/∂x = ∂L/∂y · ∂y/∂x.",
            line=33,
        ),
        Source(
            shared.SEED003,
            "§3.1",
            "所以,\\frac{\\partial L}{\\partial x}=\\frac{\\partial L}{\\partial y}(1+\\frac{\\partial Sublayer(x)}{\\partial x})",
            "So ∂L/∂x = ∂L/∂y (1 + ∂Sublayer(x)/∂x) (1 standing for the identity matrix).",
            line=37,
        ),
        Source(
            shared.SEED003,
            "§3.2",
            "而残差连接引入了一条直接从输入到输出的捷径,使得梯度可以通过这条捷径直接传播。",
            "The residual connection adds a shortcut straight from input to output, through which the gradient can propagate directly (the I in ∂L/∂x = ∂L/∂y (I + J_F)).",
            line=41,
        ),
        Source(
            sentence=S003_L21,
            gloss="The structure lets the gradient propagate directly through the shortcut connection (the I in ∂L/∂x = ∂L/∂y (I + ∂Sublayer/∂x)).",
            assertion="这种结构使得梯度可以直接通过捷径连接(shortcut connection)进行传播",
        ),
        Source(
            sentence=shared.S001_L93,
            gloss="ResNet's residual connections let the gradient skip layers: a 'shortcut' (the I in ∂L/∂x = ∂L/∂y (I + J_F)).",
            assertion="而ResNet中的残差连接允许梯度直接跳过一些层进行传递,相当于给梯度提供了一条“捷径”",
        ),
    ),
)
ZERO_INIT = Claim(
    uses=("residual.jacobian",),
    id="residual.zero-init",
    title="With W₂ = 0, b₂ = 0 the block's input gradient equals its output gradient exactly",
    verdict=Verdict.PROVED,
    summary=(
        "For F(x) = W₂φ(W₁x + b₁) + b₂ with W₂ = 0, b₂ = 0 (any φ, W₁, b₁): J_F = W₂ diag(φ'(·)) W₁ = 0, "
        "so ∂L/∂x = ∂L/∂y exactly, and the seed's lower bound ‖∂L/∂x‖ ≥ ‖∂L/∂y‖ holds with equality. "
        "The seed's 'initialised to zero' must mean the last layer: if W₁ = 0 instead, F is a constant only "
        "through φ(b₁) and J_F = 0 as well, but the block's output is x + W₂φ(b₁) + b₂, not x."
    ),
    derivations=(ZERO_GRAD, ZERO_NORM),
    numeric=(ZERO_GRAD_CHECK, ZERO_INIT_DRAW_CHECK),
    sources=(
        Source(
            shared.SEED003,
            "§3.3.2",
            "根据梯度计算公式\xa0\\frac{\\partial L}{\\partial x}=\\frac{\\partial L}{\\partial y}(1+\\frac{\\partial Sublayer(x)}{\\partial x}),此时梯度主要由\xa0\\frac{\\partial L}{\\partial y}\xa0决定,这在一定程度上保证了梯度不会因为子层的影响而过小,维持了梯度幅度的下界。",
            "By ∂L/∂x = ∂L/∂y (1 + ∂Sublayer/∂x), the gradient is then mainly determined by ∂L/∂y, which to some extent (hedged: 一定程度上) ensures it is not made too small by the sublayer, maintaining the lower bound (at zero init: exactly, with equality).",
            line=57,
            kind="hedged",
        ),
        Source(
            shared.SEED003,
            "§3.3.2",
            "假设\xa0Sublayer\xa0初始化为零,在训练的初始阶段,Sublayer(x)\xa0对输入\xa0x\xa0的变换很小,\\frac{\\partial Sublayer(x)}{\\partial x}\xa0也相对较小。",
            "Assuming Sublayer is initialised to zero, early in training Sublayer(x) changes x very little and ∂Sublayer(x)/∂x is relatively small (with zero weights it is exactly 0).",
            line=55,
        ),
        Source(
            shared.SEED003,
            "§3.5.2",
            "由于\xa0Sublayer\xa0初始化为零,在训练初期\xa0Sublayer(x)\xa0对梯度的贡献很小,梯度主要由输入\xa0x\xa0决定。",
            "Because Sublayer is initialised to zero, early in training Sublayer(x) contributes little to the gradient, which is mainly determined by the input x. Read as the article's §3.5.1 uses it, 'determined by the input x' = carried by x's identity path: with the last layer at zero J_F = 0 and ∂L/∂x = ∂L/∂y exactly.",
            line=80,
        ),
    ),
)
S003_L19 = Sentence(
    file=shared.SEED003,
    section="2.2",
    line=19,
    quote=(
        "残差连接允许网络学习残差映射,即 F(x)=H(x) - x,其中 x 是输入,H(x) 是期望的映射函数。通过这种方式,网络可以更容易地学习到恒等映射,"
        "从而缓解了梯度消失和梯度爆炸问题。"
    ),
)


ZERO_INIT_STACK = Claim(
    uses=("residual.jacobian", "residual.zero-init"),
    id="residual.zero-init-stack",
    title="Through L zero-initialised residual blocks ∂L/∂x₀ = ∂L/∂x_L; a plain stack passes no gradient",
    verdict=Verdict.PROVED,
    summary=(
        "Induction on L: the step is residual.zero-init for block l (∂L/∂x_l = ∂L/∂x_{l+1}); the base "
        "case L = 0 is trivial. Contrast: the same blocks without the skip have ∂L/∂x_l = ∂L/∂x_{l+1} J_l "
        "= 0, so no gradient reaches the input at all (and none reaches W₁, b₁ of any block)."
    ),
    derivations=(STACK_STEP, PLAIN_STEP),
    numeric=(ZERO_STACK_CHECK,),
    sources=(
        Source(
            sentence=S003_L19,
            gloss="…which mitigates (hedged: 缓解) vanishing and exploding gradients: witnessed — through L zero-initialised residual blocks the gradient arrives unchanged, where the same blocks without the skip pass none.",
            assertion="从而缓解了梯度消失和梯度爆炸问题",
            kind="hedged",
        ),
        Source(
            shared.SEED003,
            "§3.4.2",
            "当梯度幅度存在合理的下界时,在反向传播过程中,梯度信息能够稳定地传递到前面的层。",
            "When the gradient magnitude has a reasonable lower bound, gradient information can (hedged: 能够) pass stably to earlier layers: witnessed — through zero-initialised residual blocks the gradient arrives unchanged (lower and upper bound 1). (The next sentence's 'neither too small nor too large' is judged on its own row.)",
            line=69,
            kind="hedged",
        ),
    ),
)
PARAM_GRADS = Claim(
    id="residual.zero-init-param-grads",
    title="At W₂ = 0: W₂ and b₂ get gradient (g φ(a)ᵀ, g); W₁ and b₁ get exactly zero",
    verdict=Verdict.PROVED,
    summary=(
        "The consequence the seed does not mention: at zero init only the last layer learns at the first "
        "step. ∂L/∂W₂ = gᵀφ(a)ᵀ (stated as a directional derivative g E₂ φ(a) = ⟨gᵀφ(a)ᵀ, E₂⟩), ∂L/∂b₂ = g; "
        "∂L/∂W₁ and ∂L/∂b₁ pass through W₂ and are 0. If φ(a) = 0 too (relu with all a ≤ 0), nothing in the "
        "block ever moves."
    ),
    derivations=(GRAD_W2, GRAD_B2, GRAD_W1, GRAD_B1),
    numeric=(PARAM_GRAD_CHECK, GENERAL_PARAM_GRAD_CHECK),
    sources=(),
)
LOWER_BOUND = Claim(
    uses=("residual.jacobian",),
    id="residual.lower-bound",
    title="‖∂L/∂x‖ ≥ (1 − ‖J_F‖₂)‖∂L/∂y‖, and ≥ (1 − ε)^L‖∂L/∂x_L‖ through L blocks with ‖J_l‖₂ ≤ ε; tight",
    verdict=Verdict.PROVED,
    summary=(
        "Reverse triangle inequality then submultiplicativity give the one-block bound, which is "
        "informative (positive) exactly when ‖J_F‖₂ < 1; multiplying through the stack (every factor "
        "≥ 0) gives (1 − ε)^L. Attained by J_F = −εI (and by J_F = −ε uuᵀ with ∂L/∂y along u). "
        "Symbolic steps: the Jacobian, the factoring and the tightness; lemma steps: the two inequalities, "
        "each backed by the PropertyCheck through real nn.Linear stacks."
    ),
    derivations=(LOWER_ONE, LOWER_STEP, LOWER_TIGHT),
    numeric=(LOWER_CHECK,),
    assumptions=("‖·‖ is the Euclidean norm of the row vector; ‖J‖₂ the spectral norm",),
    sources=(
        Source(
            sentence=shared.S003_L63,
            gloss="Without a suitable lower bound on the residual connection's gradient magnitude, the gradient may (hedged: 可能) tend to zero: witnessed by J_F = −εI, where the bound (1 − ε)‖∂L/∂y‖ is attained and tends to 0.",
            assertion="如果残差连接的梯度幅度没有合适的下界,梯度可能会趋近于零",
            kind="hedged",
        ),
        Source(
            shared.SEED003,
            "§3.2",
            "即使\xa0Sublayer(x)的梯度因某些原因变得很小,由于存在\xa01\xa0这个系数,梯度\xa0\\frac{\\partial L}{\\partial x}\xa0也不会完全消失。",
            "Even if the gradient of Sublayer(x) becomes very small for some reason, because of the coefficient 1 the gradient ∂L/∂x will not vanish completely. The seed states the hypothesis (rule 3): a very small ∂Sublayer/∂x means ‖J_F‖₂ < 1, and then ‖∂L/∂x‖ ≥ (1 − ‖J_F‖₂)‖∂L/∂y‖ > 0.",
            line=43,
        ),
    ),
)
# what the counterexamples refute: the statement without the hypothesis
RESIDUAL_NO_UNCONDITIONAL_BOUND_UNCONDITIONAL = Gt(Norm(g * (I_n + J_TIGHT)), 0, evaluate=False)
NO_UNCONDITIONAL = Claim(
    uses=("residual.jacobian",),
    id="residual.no-unconditional-bound",
    title="The '1' alone does not keep the gradient from vanishing: J_F = −I gives ∂L/∂x = 0",
    verdict=Verdict.CONDITIONAL,
    refutes=(RESIDUAL_NO_UNCONDITIONAL_BOUND_UNCONDITIONAL,),  # without the hypothesis
    summary=(
        "The seed (§3.2) says that because of the coefficient 1 the gradient ∂L/∂x will not vanish "
        "completely. False in general: with J_F = −I (e.g. W₁ = I, W₂ = −I, relu on a positive input) "
        "∂L/∂x = ∂L/∂y(I − I) = 0 for every ∂L/∂y. True under the hypothesis ‖J_F‖₂ < 1, where "
        "‖∂L/∂x‖ ≥ (1 − ‖J_F‖₂)‖∂L/∂y‖ > 0. The seed's own §3.3.1 names the failure mode."
    ),
    derivations=(LOWER_ONE,),
    numeric=(NONVANISH_CHECK,),
    counterexamples=(
        Counterexample(
            "J_F = −I, n = 2, ∂L/∂y = (1, 2): ‖∂L/∂x‖ > 0 fails (it is 0)",
            relation=RESIDUAL_NO_UNCONDITIONAL_BOUND_UNCONDITIONAL,
            point={n: 2, g: ImmutableMatrix([[1, 2]]), J_TIGHT: ImmutableMatrix([[-1, 0], [0, -1]])},
        ),
        Counterexample("the same through a real nn.Linear block with torch autograd", run=_minus_identity_witness),
    ),
    hypothesis="‖J_F‖₂ < 1 (the sublayer's Jacobian is a contraction at x)",
    premise=Premise(relation=Lt(OpNorm(J_TIGHT), 1), holds=lambda w: w.facts["opnorm_J_F"] < 1),
    sources=(),
)
UPPER_BOUND = Claim(
    uses=("residual.jacobian",),
    id="residual.upper-bound",
    title="‖∂L/∂x‖ ≤ (1 + ‖J_F‖₂)‖∂L/∂y‖: the explosion side, ∏(1 + ‖J_l‖₂) through a stack",
    verdict=Verdict.PROVED,
    summary=(
        "Triangle inequality then submultiplicativity; attained by J_F = +εI. Through L blocks the bound "
        "is ∏(1 + ‖J_l‖₂), up to (1 + ε)^L: the skip does not prevent growth (seed 003 §3.5.2)."
    ),
    derivations=(UPPER_ONE,),
    numeric=(UPPER_CHECK,),
    sources=(),
)

# the id prefixes this topic owns (the registry refuses a claim of another prefix here, and a
# prefix two topics declare)
PREFIXES = ("residual", "resnet")

CLAIMS = [JACOBIAN, ZERO_INIT, ZERO_INIT_STACK, PARAM_GRADS, LOWER_BOUND, NO_UNCONDITIONAL, UPPER_BOUND]


# ── issue 11: what the seeds' sentences about residuals need beyond the one-block bounds ─────────────
NO_GUARANTEE = Claim(
    id="residual.no-guarantee",
    title="'The residual connection avoids vanishing (or exploding) gradients': not a guarantee — J_F = −I gives 0",
    verdict=Verdict.REFUTED,
    # the relations its (shared) counterexamples show false, read off them: written once
    refutes=tuple(dict.fromkeys(cx.relation for cx in NO_UNCONDITIONAL.counterexamples if cx.relation is not None)),
    summary=(
        "Seeds 001 Q8 and 003 §2.2 say the shortcut guarantees / avoids vanishing (and exploding) gradients, with no "
        "condition. The identity term is there (residual.jacobian), but it is added to J_F, which can cancel it: "
        "with J_F = −I, ∂L/∂x = ∂L/∂y(I − I) = 0 for every ∂L/∂y (exactly, and through a real nn.Linear block). "
        "What holds is conditional: ‖∂L/∂x‖ ≥ (1 − ‖J_F‖₂)‖∂L/∂y‖ (residual.lower-bound), which through depth needs "
        "(1 − ε)^L bounded away from 0 (residual.deep-lower-bound); growth is bounded only by ∏(1 + ‖J_l‖₂) "
        "(residual.upper-bound)."
    ),
    counterexamples=NO_UNCONDITIONAL.counterexamples,
    sources=(
        Source(
            sentence=shared.S001_L93,
            gloss=(
                "…so that the gradient propagates more smoothly, avoiding vanishing or exploding gradients: as a "
                "guarantee, refuted."
            ),
            assertion="使得梯度能够更顺畅地传播,避免了梯度消失或爆炸的问题",
        ),
        Source(
            shared.SEED001,
            "Q8",
            "这就保证了梯度能够有效地传播,避免了梯度消失的问题。",
            "This guarantees that the gradient propagates effectively and avoids the vanishing-gradient problem.",
            line=150,
        ),
        Source(
            sentence=S003_L21,
            gloss=(
                "…avoiding excessive decay or amplification of the gradient through many non-linear layers: as a "
                "guarantee, refuted."
            ),
            assertion="避免了梯度在多层非线性变换中过度衰减或放大",
        ),
    ),
)

Ld = Symbol("L", integer=True, positive=True)  # depth
bound_d = Symbol("delta", positive=True)  # the depth-uniform lower bound on (1 − ε)^L
# what the counterexamples refute: the statement without the hypothesis
RESIDUAL_DEEP_LOWER_BOUND_UNCONDITIONAL = Ge((1 - eps) ** Ld, bound_d)
DEEP_LOWER = Claim(
    id="residual.deep-lower-bound",
    title="Through L blocks ‖∂L/∂x₀‖ ≥ (1 − ε)^L‖∂L/∂x_L‖: no vanishing in depth if (1 − ε)^L stays ≥ δ > 0",
    verdict=Verdict.CONDITIONAL,
    refutes=(RESIDUAL_DEEP_LOWER_BOUND_UNCONDITIONAL,),  # without the hypothesis
    summary=(
        "Seed 003 §3.5.1: even in deep networks, thanks to the direct path, the gradient does not easily approach "
        "zero. The direct path gives, block by block, ‖∂L/∂x_l‖ ≥ (1 − ‖J_l‖₂)‖∂L/∂x_{l+1}‖ (residual.lower-bound); "
        "through L blocks with ‖J_l‖₂ ≤ ε this is (1 − ε)^L, which is attained (J_l = −εI) and tends to 0 with "
        "depth for any fixed ε > 0. So 'even in deep networks' is guaranteed when the blocks' Jacobians shrink with "
        "depth so that (1 − ε)^L ≥ δ > 0 — e.g. zero-initialised sublayers (ε = 0, residual.zero-init-stack) or "
        "ε ≤ 1/(2L) (then (1 − ε)^L ≥ 1/2) — not by the direct path alone. The hypothesis is sufficient, not "
        "necessary: J_l = cI with c > 0 never shrinks the gradient."
    ),
    derivations=(LOWER_STEP, LOWER_TIGHT),
    numeric=(LOWER_CHECK,),
    counterexamples=(
        Counterexample(
            "J_l = −½I in each of L = 20 blocks: ‖∂L/∂x₀‖ = 2^{−20}‖∂L/∂x_20‖, below δ = ½ of it",
            relation=RESIDUAL_DEEP_LOWER_BOUND_UNCONDITIONAL,
            point={eps: Rational(1, 2), Ld: 20, bound_d: Rational(1, 2)},
        ),
    ),
    hypothesis="every block has ‖J_l‖₂ ≤ ε with (1 − ε)^L ≥ δ > 0 for the network's depth L (e.g. zero-initialised "
    "sublayers, or ε ≤ 1/(2L))",
    premise=Premise(relation=Ge((1 - eps) ** Ld, bound_d)),  # the same inequality, now assumed
    sources=(
        Source(
            shared.SEED003,
            "§3.5.1",
            "缓解梯度消失:即便在深层网络中,由于有直接的输入路径,梯度幅度不易趋近于零。",
            "Mitigating vanishing gradients: even in deep networks, thanks to the direct input path, the gradient "
            "magnitude does not easily (hedged: 不易) approach zero. Conditional: per block the path keeps a factor "
            "1 − ‖J_l‖₂, which compounds to (1 − ε)^L; the guarantee needs the Jacobians to shrink with depth "
            "(sufficient, not necessary).",
            line=77,
            kind="hedged",
        ),
    ),
)

c_up = Symbol("c", positive=True)  # J_F = cI, c > 0: a large positive sublayer Jacobian
GROWTH_TIGHT = Derivation(
    "J_F = cI (c > 0): the upper bound (1 + ‖J_F‖₂)‖g‖ is attained",
    Norm(g * (I_n + J_TIGHT)),
    (
        Step(Norm((1 + c_up) * g), "substitute J = cI", "g(I + cI) = (1 + c) g."),
        Step((1 + c_up) * Norm(g), "homogeneity", "‖ag‖ = |a|‖g‖ and 1 + c > 0: the gradient grows by 1 + c."),
    ),
    sizes=SIZES,
    where=((J_TIGHT, c_up * I_n),),
)


def _growth_cases() -> st.SearchStrategy[Case]:
    """Width 1..6, c from 0.1 to 1000 (large sublayer Jacobians), g ~ N(0, 1) by a drawn seed."""
    return st.fixed_dictionaries(
        {"n": st.integers(1, 6), "c": st.floats(-1, 3).map(lambda e: 10.0**e), "seed": st.integers(0, 2**31)}
    )


def _growth(case: Case, factor=lambda c: 1 + c) -> Outcome:
    """Autograd through y = x + Linear(x) with weight cI: ‖∂L/∂x‖ = (1 + c)‖∂L/∂y‖."""
    gen = torch.Generator().manual_seed(case["seed"])
    n_, c_ = case["n"], case["c"]
    lin = torch.nn.Linear(n_, n_, bias=False, dtype=torch.float64)
    with torch.no_grad():
        lin.weight.copy_(c_ * torch.eye(n_, dtype=torch.float64))
    xx = torch.randn(n_, generator=gen, dtype=torch.float64, requires_grad=True)
    gg = torch.randn(n_, generator=gen, dtype=torch.float64)
    (dx,) = torch.autograd.grad(xx + lin(xx), xx, grad_outputs=gg)
    want = factor(c_) * float(gg.norm())
    err = abs(float(dx.norm()) - want)
    slack = (
        8 * n_ * torch.finfo(torch.float64).eps * (1 + c_) * float(gg.norm())
    )  # one product and one sum per entry, then the norm
    return Outcome(err <= slack, err, slack, f"‖∂L/∂x‖ = {float(dx.norm())!r}, (1 + c)‖g‖ = {want!r}")


GROWTH = Claim(
    id="residual.growth",
    title="A large positive sublayer Jacobian grows the gradient: J_F = cI gives ‖∂L/∂x‖ = (1 + c)‖∂L/∂y‖",
    verdict=Verdict.PROVED,
    summary=(
        "Seed 003 §3.5.2: a large ∂Sublayer/∂x makes the gradient grow sharply and causes explosion. The upper bound "
        "(1 + ‖J_F‖₂)‖∂L/∂y‖ (residual.upper-bound) only allows growth; J_F = cI attains it, so the gradient is "
        "multiplied by 1 + c, without bound as c grows, and by ∏(1 + c_l) through a stack. 'Large' is read as large "
        "and positive, as the seed's formula 1 + ∂Sublayer/∂x and its contrast with §3.3.1's 'negative, large in "
        "absolute value' suggest: a large negative J_F (e.g. −2I) leaves the norm unchanged."
    ),
    derivations=(GROWTH_TIGHT,),
    numeric=(
        PropertyCheck(
            name="autograd through x + Linear(x) with weight cI: ‖∂L/∂x‖ = (1 + c)‖∂L/∂y‖",
            cases=_growth_cases,
            holds=_growth,
            reason="an identity up to rounding: slack 8·n·u·(1 + c)‖g‖ for the product, the sum and the norm",
            planted={"the skip ignored: c‖g‖": lambda case: _growth(case, factor=lambda c: c)},
            examples=({"n": 2, "c": 10.0, "seed": 0},),
        ),
    ),
    sources=(
        Source(
            shared.SEED003,
            "§3.5.2",
            "在梯度计算公式\u00a0\\frac{\\partial L}{\\partial x}=\\frac{\\partial L}{\\partial y}(1+\\frac{\\partial Sublayer(x)}{\\partial x})\u00a0中,"
            "\\frac{\\partial Sublayer(x)}{\\partial x}\u00a0很大会使得梯度急剧增大,从而引发梯度爆炸。",
            "In ∂L/∂x = ∂L/∂y (1 + ∂Sublayer/∂x), a large ∂Sublayer/∂x makes the gradient grow sharply and causes "
            "gradient explosion. Judged reading (rule 2): large and positive (the seed contrasts it with 'negative, "
            "large in absolute value' in §3.3.1).",
            line=79,
        ),
    ),
)

S001_L94 = Sentence(
    file=shared.SEED001,
    section="Q8",
    line=94,
    quote="解决退化问题:残差块的设计使得网络可以更容易地学习到恒等映射。假设我们希望学习的目标函数为 H(x),残差块将其表示为 H(x)=F(x)+x,其中 F(x) 是残差函数。如果 F(x)=0,那么 H(x)=x,即网络实现了恒等映射。",
)


IDENTITY_EASIER = shared.not_formalizable(
    "residual.identity-easier",
    "'With the residual form the network learns the identity more easily'",
    "What the residual form makes representable is proved (residual.identity-block: F ≡ 0 is the identity); "
    "how easily training finds it is not a statement about the function class.",
    "empirical: ease of learning is an optimization outcome on data (He et al.'s experiments), not a "
    "property of y = x + F(x)",
    Source(
        sentence=S003_L19,
        gloss="This way the network learns the identity mapping more easily.",
        assertion="通过这种方式,网络可以更容易地学习到恒等映射",
    ),
    Source(
        sentence=S001_L94,
        gloss="Solving degradation: the residual block's design makes the identity mapping easier to learn.",
        assertion="解决退化问题:残差块的设计使得网络可以更容易地学习到恒等映射",
    ),
)
SEED_CODE_STRUCTURE = shared.not_formalizable(
    "residual.seed-code-structure",
    "Seed 003's code: ResidualModel returns x + Sublayer(x) with one nn.Linear sublayer",
    "A description of the article's own code, true by reading it (its one mismatch with the article, the "
    "default rather than zero initialisation, is residual.seed-code).",
    "a description of a piece of code (what its lines do), checked by reading it; it states no mathematical "
    "relation to prove or refute",
    Source(
        shared.SEED003,
        "5 (code)",
        "return x + self.sublayer(x)",
        "The forward pass returns x + Sublayer(x): the residual sum, as written.",
        line=119,
    ),
    Source(
        shared.SEED003,
        "5.1",
        "模型定义ResidualModel 类构建了包含残差连接的模型。其中 Sublayer 类定义了子层,包含一个线性变换。在 forward 函数中,"
        "实现了 x+Sublayer(x) 的残差连接操作。",
        "Model: ResidualModel builds a model with a residual connection; Sublayer is one linear map; forward "
        "implements x + Sublayer(x). An accurate description of the code (it does not claim a zero init).",
        line=146,
    ),
)
NORMALIZATION_STABILIZES = shared.not_formalizable(
    "residual.normalization-stabilizes",
    "'Normalization makes the sublayer's output distribution, hence the gradients, more stable'",
    "The precise part — the normalized output does not depend on the input's scale and offset — is "
    "bn.scale-invariance; 'more stable gradients' and 'drastic effect' name no quantity.",
    "'more stable' and 'drastic' have no measure attached; the one exact consequence (scale invariance, so "
    "∂BN(ax)/∂x = (1/a)·∂BN(x)/∂x) is a different statement, and whether training's gradients become more stable "
    "is empirical",
    Source(
        sentence=shared.S003_L153,
        gloss=(
            "…which in turn affects the sublayer's output distribution, making the gradients more stable in "
            "propagation."
        ),
        assertion="进而影响子层\xa0Sublayer(x)的输出分布,使得梯度在传播过程中更加稳定",
    ),
    Source(
        sentence=shared.S003_L153,
        gloss="…reducing the drastic effect of the sublayer's transformation on the gradient.",
        assertion="减少子层变换对梯度的剧烈影响",
    ),
)

CLAIMS += [NO_GUARANTEE, DEEP_LOWER, GROWTH, IDENTITY_EASIER, SEED_CODE_STRUCTURE, NORMALIZATION_STABILIZES]


NEAR_ZERO = Derivation(
    "‖∂L/∂x‖ = ‖g(I + J_F)‖ against ‖I + J_F‖₂",
    Norm(g * (I_n + J_TIGHT)),
    (
        Step(
            Norm(g) * OpNorm(I_n + J_TIGHT), "lemma", f"{SUBMULT}.", "<=", LemmaUse("norm-opnorm", x=g, A=I_n + J_TIGHT)
        ),
        Step(OpNorm(I_n + J_TIGHT) * Norm(g), "commute", "So the gradient is small exactly as far as I + J_F is."),
    ),
    sizes=SIZES,
)
NEAR_MINUS_IDENTITY_REFUTES = Le(
    Norm(g * (I_n + J_TIGHT)), Rational(1, 2) * Norm(g)
)  # the statement residual.near-minus-identity refutes

NEAR_MINUS_IDENTITY = Claim(
    id="residual.near-minus-identity",
    title=(
        "'A negative sublayer Jacobian with a large absolute value brings 1 + ∂Sublayer/∂x near zero': false "
        "(J_F = −10I gives ‖I + J_F‖₂ = 9); the gradient is small only for J_F near −I"
    ),
    verdict=Verdict.REFUTED,
    refutes=(NEAR_MINUS_IDENTITY_REFUTES,),
    summary=(
        "Seed 003 §3.3.1: if ∂Sublayer/∂x is negative with a large absolute value, 1 + ∂Sublayer/∂x comes close to "
        "zero and the lower bound on the gradient suffers. ‖∂L/∂x‖ = ‖∂L/∂y (I + J_F)‖ ≤ ‖I + J_F‖₂‖∂L/∂y‖, so the "
        "gradient is small when J_F is within δ of −I (and J_F = −I kills it: residual.no-guarantee). A large negative "
        "J_F does the opposite: J_F = −10I gives ‖∂L/∂x‖ = 9‖∂L/∂y‖. The sentence's 'large absolute value' is right "
        "only for magnitudes comparable to the 1 it cancels, so the sentence, read with its own condition, is false."
    ),
    derivations=(NEAR_ZERO,),
    counterexamples=(
        Counterexample(
            "J_F = −10I (negative, large in absolute value), n = 2, ∂L/∂y = (1, 2): ‖∂L/∂x‖ = 9√5 is not ≤ ½‖∂L/∂y‖",
            relation=NEAR_MINUS_IDENTITY_REFUTES,
            point={n: 2, g: ImmutableMatrix([[1, 2]]), J_TIGHT: ImmutableMatrix([[-10, 0], [0, -10]])},
        ),
    ),
    sources=(
        Source(
            shared.SEED003,
            "§3.3.1",
            "如果\u00a0\\frac{\\partial Sublayer(x)}{\\partial x}为负数且绝对值很大,就会使\u00a01+\\frac{\\partial Sublayer(x)}{\\partial x}\u00a0接近零,从而影响梯度幅度的下界。",
            "If ∂Sublayer(x)/∂x is negative with a large absolute value, 1 + ∂Sublayer(x)/∂x comes close to zero, which "
            "affects the lower bound on the gradient magnitude. Refuted under the seed's own condition (rule 3): J_F = −10I "
            "is negative with a large absolute value, and ‖I + J_F‖₂ = 9 is far from 0; what brings it near zero is "
            "J_F ≈ −I (magnitude comparable to the 1 it cancels), which the sentence does not say.",
            line=51,
        ),
    ),
)
CLAIMS += [NEAR_MINUS_IDENTITY]


# ── moved here from seedchecks.py / seedclaims.py (issue 10: a topic owns its id prefixes) ───────
# (their old links keep working: see derivations/_moved.py)

x_scalar = Symbol("x", real=True)  # a scalar input (residual.identity-block, residual.zero-branch-identity)
h_scalar = Symbol("h", real=True)  # the value H(x) of the target mapping
f_x = Symbol("F", real=True)  # the value F(x) of the residual function


def _identity_cases() -> st.SearchStrategy[Case]:
    """Width 1..8, 1..4 base layers, 1..4 extra blocks with F ≡ 0, a seed: weights, biases and 3 inputs ~ N(0, 1)
    (unit-scale, relu active and inactive); bit-for-bit equality does not depend on magnitudes."""
    return st.fixed_dictionaries(
        {
            "width": st.integers(1, 8),
            "depth": st.integers(1, 4),
            "extra": st.integers(1, 4),
            "seed": st.integers(0, 2**31),
        }
    )


class _Block(torch.nn.Module):
    """x + fc2(relu(fc1(x))), optionally without the skip (a plain layer)."""

    def __init__(self, w: int, skip: bool = True):
        super().__init__()
        self.fc1 = torch.nn.Linear(w, w, dtype=torch.float64)
        self.fc2 = torch.nn.Linear(w, w, dtype=torch.float64)
        self.skip = skip

    def forward(self, t):
        out = self.fc2(torch.relu(self.fc1(t)))
        return t + out if self.skip else out


def _identity_property(case: Case, skip: bool = True) -> Outcome:
    w, gen = case["width"], shared.seeded(case["seed"])
    with torch.no_grad():
        base = [torch.nn.Linear(w, w, dtype=torch.float64) for _ in range(case["depth"])]
        for lin in base:
            lin.weight.copy_(torch.randn(w, w, generator=gen, dtype=torch.float64))
            lin.bias.copy_(torch.randn(w, generator=gen, dtype=torch.float64))
        extra = [_Block(w, skip) for _ in range(case["extra"])]
        for blk in extra:  # the residual function F of each new block is zero: fc2 = 0
            blk.fc1.weight.copy_(torch.randn(w, w, generator=gen, dtype=torch.float64))
            blk.fc2.weight.zero_()
            blk.fc2.bias.zero_()
        shallow = torch.nn.Sequential(*base)
        deep = torch.nn.Sequential(*base, *extra)
        xs = torch.randn(3, w, generator=gen, dtype=torch.float64)
        a, b = shallow(xs), deep(xs)
    err = float((a - b).abs().max())
    return Outcome(err == 0.0, err, 0.0, f"width {w}, {case['extra']} extra block(s): max |deep − shallow| = {err:g}")


IDENTITY_CHECK = PropertyCheck(
    name="a network with extra residual blocks whose F ≡ 0 computes the shallower network's function, bit for bit",
    cases=_identity_cases,
    holds=_identity_property,
    reason="exact: each extra block adds fc2(·) = 0·h + 0 = +0 to its input, which leaves every float unchanged",
    planted={
        "the same blocks without the skip connection (plain layers) are the identity too": lambda c: _identity_property(
            c, skip=False
        )
    },
)


IDENTITY_BLOCK = Claim(
    id="residual.identity-block",
    latex_names={h_scalar: "H(x)"},  # as in seedchecks.py, where the module's LATEX named it
    title="H(x) = F(x) + x: F ≡ 0 is the identity, so extra zero blocks leave the network's function unchanged",
    verdict=Verdict.TESTED,
    tested_reason="the two derivations are the definitions F := H − x and F ≡ 0 for H = id; that a deeper network with zero-branch residual blocks computes the same function is checked numerically (bit for bit) only.",
    summary="The residual reparametrisation F := H − x represents every target H exactly, and the identity "
    "H(x) = x is F ≡ 0. Hence a deeper network made of the shallower one plus residual blocks whose branch "
    "is zero (second linear layer 0) computes exactly the same function: adding such layers cannot raise "
    "the training loss at initialisation, and the deeper network can always do at least as well as the "
    "shallower one. That SGD finds such solutions in practice (no degradation) is the empirical part, "
    "`resnet.degradation`. A plain layer with zero weights is not the identity: it outputs 0.",
    derivations=(
        Derivation(
            "F := H − x reconstructs H",
            (h_scalar - x_scalar) + x_scalar,
            (Step(h_scalar, "cancel", "the x subtracted in F is added back by the skip connection"),),
        ),
        Derivation(
            "the identity target H(x) = x needs F ≡ 0",
            x_scalar - x_scalar,
            (Step(sp.Integer(0), "cancel", "F = H − x with H the identity"),),
        ),
    ),
    numeric=(IDENTITY_CHECK,),
    sources=(
        Source(
            sentence=S003_L19,
            gloss="The residual connection lets the network learn the residual mapping F(x) = H(x) − x, where H is the desired mapping (so the identity is F ≡ 0).",
            assertion="残差连接允许网络学习残差映射,即 F(x)=H(x) - x",
        ),
    ),
)


def _seed_code_witness() -> Witness:
    """Seed 003's own classes, built as printed; is its Sublayer zero at initialisation?"""

    class Sublayer(torch.nn.Module):
        def __init__(self, input_size):
            super().__init__()
            self.linear = torch.nn.Linear(input_size, input_size)

        def forward(self, t):
            return self.linear(t)

    class ResidualModel(torch.nn.Module):
        def __init__(self, input_size):
            super().__init__()
            self.sublayer = Sublayer(input_size)

        def forward(self, t):
            return t + self.sublayer(t)

    with torch.random.fork_rng(devices=[]):  # nn.Linear initialises from the global RNG: isolate it
        torch.manual_seed(0)
        model = ResidualModel(10).double()
        xs = torch.randn(5, 3, 10, dtype=torch.float64)
    with torch.no_grad():
        out = model.sublayer(xs)
    jac = torch.autograd.functional.jacobian(lambda t: model(t), xs[0, 0])
    gap = float(torch.linalg.matrix_norm(jac - torch.eye(10, dtype=torch.float64), ord=2))
    return Witness(
        holds=bool(out.abs().max() == 0 and gap == 0),
        lhs=f"max |Sublayer(x)| = {float(out.abs().max()):.3g}, ‖∂y/∂x − I‖₂ = {gap:.3g}",
        rhs="0 and 0 if Sublayer were initialised to zero",
        detail="nn.Linear's default init draws W, b from U(−1/√10, 1/√10) (torch.manual_seed(0))",
    )


SEED_CODE = Claim(
    id="residual.seed-code",
    title="Seed 003's code does not initialise Sublayer to zero, the article's standing assumption",
    verdict=Verdict.REFUTED,
    refutes=("seed 003's residual code initialises the sublayer to zero, as the article assumes",),
    summary="The article's analysis assumes Sublayer is initialised to zero (title, §3.3.2, §3.5), and §5.1 "
    "presents the code as implementing x + Sublayer(x). It does implement the residual sum, but its Sublayer "
    "is a default nn.Linear, initialised with W, b ~ U(−1/√fan_in, 1/√fan_in): Sublayer(x) ≠ 0 and "
    "∂y/∂x = I + W ≠ I, so none of the zero-initialisation results apply to it. To match the text, "
    "zero the weights: nn.init.zeros_(linear.weight); nn.init.zeros_(linear.bias) (then see "
    "`residual.zero-init`).",
    counterexamples=(
        Counterexample("the seed's ResidualModel(10) as printed, under torch.manual_seed(0)", run=_seed_code_witness),
    ),
    sources=(
        Source(
            shared.SEED003,
            "5 (code)",
            "self.linear = nn.Linear(input_size, input_size)",
            "The sublayer of the article's code example (§5, right under the article whose title assumes Sublayer initialised to zero) is a plain nn.Linear with torch's default initialisation (U(−1/√fan_in, 1/√fan_in)), not zero: the line where the example departs from the article's standing assumption. The code is judged as the article presents it — an implementation of its analysis — not as a free-standing statement.",
            line=107,
        ),
    ),
)


def _lower_not_upper_witness() -> Witness:
    c = 1e6  # F(x) = c·x, J_F = cI
    xs = torch.randn(4, generator=shared.seeded(0), dtype=torch.float64, requires_grad=True)
    gy = torch.ones(4, dtype=torch.float64)
    y = xs + c * xs
    (gx,) = torch.autograd.grad(y, xs, gy)
    ratio = float(gx.norm() / gy.norm())
    return Witness(
        holds=ratio <= 1.0 + 1e-12,
        lhs=f"‖∂L/∂x‖/‖∂L/∂y‖ = {ratio:.6g} (the lower bound ≥ 1 holds)",
        rhs="≤ 1 + o(1) if a lower bound also kept the gradient from being too large",
        detail="y = x + F(x) with F(x) = 10⁶·x, autograd",
    )


LOWER_NOT_UPPER_REFUTES = sp.Le(
    sp.Abs((1 + Symbol("c")) * Symbol("g_y")), 2 * sp.Abs(Symbol("g_y"))
)  # the statement residual.lower-bound-not-upper refutes

LOWER_NOT_UPPER = Claim(
    id="residual.lower-bound-not-upper",
    title="A lower bound on the gradient does not keep it from being too large",
    verdict=Verdict.REFUTED,
    refutes=(LOWER_NOT_UPPER_REFUTES,),
    summary="Seed 003 says a reasonable lower bound on the gradient magnitude means the gradient is neither "
    "too small nor too large. A lower bound constrains one side only: with F(x) = c·x (c ≥ 0) the bound "
    "‖∂L/∂x‖ ≥ ‖∂L/∂y‖ holds for every c, while ‖∂L/∂x‖ = (1 + c)‖∂L/∂y‖ is unbounded. The large side "
    "needs its own bound, ‖∂L/∂x‖ ≤ (1 + ‖J_F‖₂)‖∂L/∂y‖ (`residual.upper-bound`).",
    counterexamples=(
        Counterexample(
            "scalar block y = x + c·x: the lower bound |∂L/∂x| ≥ |∂L/∂y| holds, yet |∂L/∂x| = 1001·|∂L/∂y| at c = 1000",
            relation=LOWER_NOT_UPPER_REFUTES,
            point={Symbol("c"): sp.Integer(1000), Symbol("g_y"): sp.Integer(1)},
        ),
        Counterexample("vector block y = x + 10⁶·x through autograd", run=_lower_not_upper_witness),
    ),
    sources=(
        Source(
            shared.SEED003,
            "3.4.2",
            "合理的梯度幅度下界意味着梯度既不会过小也不会过大。",
            "A reasonable lower bound on the gradient magnitude means the gradient is neither too small nor too large.",
            line=69,
        ),
    ),
)


ZERO_BRANCH = Claim(
    uses=("residual.identity-block",),
    id="residual.zero-branch-identity",
    title="A residual block H(x) = F(x) + x with F(x) = 0 computes H(x) = x: the identity",
    verdict=Verdict.PROVED,
    summary=(
        "What seed 001 Q8 asserts about one block: written H(x) = F(x) + x, the residual function F(x) = 0 gives "
        "H(x) = x. Immediate, and checked on torch residual blocks whose branch is zero (bit for bit, the check of "
        "residual.identity-block). That extra zero blocks leave a whole network's function unchanged is "
        "residual.identity-block's statement."
    ),
    derivations=(
        Derivation(
            "H(x) = F(x) + x at F(x) = 0",
            f_x + x_scalar,
            (Step(x_scalar, "F(x) = 0", "the skip connection alone remains: H(x) = x, the identity mapping"),),
            where=((f_x, sp.S.Zero),),
        ),
    ),
    numeric=(IDENTITY_CHECK,),
    sources=(
        Source(
            sentence=S001_L94,
            gloss="The target H(x) is written H(x) = F(x) + x with residual function F; if F(x) = 0 then H(x) = x, the identity.",
            assertion="假设我们希望学习的目标函数为 H(x),残差块将其表示为 H(x)=F(x)+x,其中 F(x) 是残差函数。如果 F(x)=0,那么 H(x)=x,即网络实现了恒等映射",
        ),
    ),
)


DEGRADATION = shared.not_formalizable(
    "resnet.degradation",
    "Deep plain networks degrade (higher training and test error); ResNet solves it",
    "The degradation problem is an observation of He et al. (2015) on plain networks trained with SGD. The "
    "precise mechanism offered for the fix, that a residual block with F ≡ 0 is the identity, is "
    "`residual.identity-block`.",
    "Historical and empirical: an observation about trained networks reported in the ResNet paper.",
    Source(
        shared.SEED001,
        "Q8",
        "在传统的深层神经网络中,随着网络层数的增加,会出现梯度消失或梯度爆炸的问题,导致网络难以训练。同时,深层网络还可能出现退化问题,即随着层数的增加,训练误差和测试误差反而会增大。残差网络(ResNet)通过引入残差块(Residual Block)有效地解决了这些问题。",
        "In deep plain networks, vanishing or exploding gradients make training hard; deep networks may also "
        "degrade, training and test error growing with depth. ResNet solves these problems with residual blocks.",
        line=92,
    ),
    Source(
        sentence=S000_L9,
        gloss="…so that deeper networks can be trained effectively (a training outcome).",
        assertion="从而使得更深层次的网络能够被有效地训练",
    ),
)


RESIDUAL_HISTORY = shared.not_formalizable(
    "residual.history",
    "Residual connections: proposed in 2015, used in every Transformer layer and LLM",
    "Background and summary sentences of seed 003. What residual connections do to the gradient is in the "
    "residual records (`residual.jacobian`, `residual.lower-bound`, `residual.no-unconditional-bound`).",
    "Historical (who proposed what when, which models use it) and a summary judgement.",
    Source(
        shared.SEED003,
        "1. 引言",
        "在深度学习领域,尤其是大型语言模型(LLM)的发展进程中,深度神经网络的训练面临着诸多挑战,梯度消失和梯度爆炸问题便是其中极为关键的阻碍。",
        "In deep learning, especially in the development of LLMs, training deep networks faces many "
        "challenges, vanishing and exploding gradients being key obstacles; residual connections arose to "
        "solve them.",
        line=7,
    ),
    Source(
        shared.SEED003,
        "2.2",
        "为了克服深度神经网络中的梯度问题,何恺明等人在 2015 年提出了残差网络(Residual Network,ResNet)。",
        "To overcome the gradient problems of deep networks, He Kaiming et al. proposed ResNet in 2015.",
        line=19,
    ),
    Source(
        shared.SEED003,
        "2.3",
        "随着自然语言处理技术的发展,大型语言模型如 GPT - 3、豆包等不断涌现。",
        "LLMs such as GPT-3 and Doubao keep appearing; they are multi-layer Transformers with residual "
        "connections after every sublayer.",
        line=25,
    ),
    Source(
        shared.SEED003,
        "4.1",
        "在 Transformer 架构中,每个 Transformer 层都包含了多头自注意力机制和前馈神经网络,并且在这两个子层之后都使用了残差连接。",
        "In the Transformer every layer has multi-head self-attention and a feed-forward network, each followed "
        "by a residual connection (a description of the architecture).",
        line=88,
    ),
    Source(
        shared.SEED003,
        "7",
        "通过对残差连接 x+Sublayer(x) 的梯度幅度下界的全面深入分析,我们从理论原理、影响因素、实际应用到模型优化策略进行了详细探讨。",
        "Summary: residual connections are key to gradient propagation and training stability in LLMs.",
        line=165,
    ),
)


SUBLAYER_COMPLEXITY = shared.not_formalizable(
    "residual.sublayer-complexity",
    "Complex sublayers (MLP, convolution) are more sensitive to their input",
    "'More parameters and non-linearities make the sublayer more sensitive' has no measure; the precise "
    "statement about the effect of the sublayer's Jacobian on the gradient is `residual.lower-bound` and "
    "`residual.upper-bound`.",
    "Vague: 'complex' and 'more sensitive' are not defined quantities.",
    Source(
        shared.SEED003,
        "3.3.1",
        "子层 Sublayer(x) 通常是一个复杂的非线性变换,如多层感知机(MLP)或卷积层。复杂的子层包含更多的参数和非线性激活函数,对输入的变化更为敏感。",
        "The sublayer is usually a complex non-linear map such as an MLP or a convolution; complex sublayers "
        "have more parameters and non-linearities and are more sensitive to changes of the input.",
        line=49,
    ),
)


ZERO_INIT_CONVERGENCE = shared.not_formalizable(
    "residual.zero-init-convergence",
    "Zero-initialised sublayers speed up convergence; early dependence on x may hurt generalisation",
    "At zero initialisation the block is the identity and its input gradient equals its output gradient "
    "exactly (`residual.zero-init`, `residual.zero-init-param-grads`); faster convergence and worse "
    "generalisation are training outcomes. Note that the gradient is determined by ∂L/∂y, not 'by the input "
    "x' as the seed says.",
    shared.EMPIRICAL + " (convergence speed and generalisation).",
    Source(
        shared.SEED003,
        "3.5.1",
        "加速收敛:在训练初期,由于 Sublayer 初始化为零,梯度主要由输入 x 决定。此时梯度的计算相对简单,没有受到子层复杂变换的干扰。",
        "Faster convergence: early in training, Sublayer being zero, the gradient is mainly determined by the "
        "input x, undisturbed by the sublayer, so the model quickly finds a direction and converges faster.",
        line=76,
    ),
    Source(
        shared.SEED003,
        "3.5.2",
        "如果输入数据的分布不稳定,或者输入数据的特征不能很好地代表整个数据集,模型在初期学习到的特征可能不准确,从而影响模型的泛化能力。",
        "If the input distribution is unstable or unrepresentative, the features learned early may be "
        "inaccurate and hurt generalisation.",
        line=80,
    ),
)


LLM_PRACTICE = shared.not_formalizable(
    "residual.llm-practice",
    "In GPT-3 and Doubao residual connections keep gradients stable and improve results",
    "Claims about closed models and unpublished internal experiments.",
    "Empirical and unverifiable: GPT-3's code is not public and Doubao's experiments are internal.",
    Source(
        shared.SEED003,
        "4.1",
        "残差连接的使用使得梯度能够在不同的 Transformer 层之间稳定传播,从而让模型能够学习到文本中的长距离依赖关系。",
        "Residual connections let gradients propagate stably between GPT-3's layers; published gradient "
        "visualisations show a more uniform gradient distribution without vanishing or explosion.",
        line=90,
    ),
    Source(
        shared.SEED003,
        "4.1",
        "GPT - 3 是 OpenAI 开发的一款强大的大型语言模型,采用了多层 Transformer 架构。",
        "GPT-3 is a powerful LLM developed by OpenAI with a multi-layer Transformer architecture; its code is "
        "not public, but its use of residual connections can be inferred.",
        line=86,
    ),
    Source(
        shared.SEED003,
        "4.2",
        "豆包在处理自然语言处理任务时,同样采用了基于 Transformer 架构的模型结构,并且广泛使用了残差连接。",
        "Doubao also uses a Transformer-based architecture with residual connections everywhere, which help "
        "keep its gradients stable during training.",
        line=94,
    ),
    Source(
        shared.SEED003,
        "4.2",
        "通过内部的实验和测试,我们发现使用残差连接的模型在训练过程中收敛速度更快,损失函数下降得更明显。",
        "Internal experiments found that models with residual connections converge faster and reach higher "
        "accuracy and better generalisation (Doubao).",
        line=96,
    ),
)


SEED_CODE_TRAINING = shared.not_formalizable(
    "residual.seed-code-training",
    "The seed's training loop: MSE loss, Adam, ten epochs",
    "A walk-through of the code. It draws a fresh random target every epoch, independent of the model, so "
    "the expected loss is at least the target variance 1 whatever the parameters: the loop demonstrates the "
    "API, not learning. What Adam does to the step size is in the Adam records.",
    "A description of what code does, not a claim; the Adam part is covered by the Adam records.",
    Source(
        shared.SEED003,
        "5.1",
        "训练过程:使用随机生成的数据进行训练,定义均方误差损失函数(MSELoss)衡量预测与真实分布差异,采用 Adam 优化器自适应调整学习率更新参数。",
        "Training: train on random data, with MSELoss measuring the gap between prediction and truth and "
        "Adam adapting the learning rate; each epoch zeroes the gradients, runs forward, loss, backward, step.",
        line=147,
    ),
)


GATING = shared.not_formalizable(
    "residual.gating",
    "Gated residual connections can adapt the mix of x and Sublayer(x)",
    "A design suggestion (highway-style gates); for y = g ⊙ x + (1 − g) ⊙ F(x) with a constant gate the "
    "Jacobian is diag(g) + diag(1 − g)J_F, which the residual analysis covers with g = 1.",
    "A design suggestion about training stability, not a statement with a truth value.",
    Source(
        shared.SEED003,
        "6.2",
        "在模型结构设计上,可以引入门控机制(如门控循环单元中的门控结构)来控制残差连接中信息的流动。",
        "A gating mechanism (as in GRUs) can control the information flow in the residual connection, learning "
        "the mix of x and Sublayer(x) to stabilise gradient propagation.",
        line=157,
    ),
)


CLAIMS += [
    IDENTITY_BLOCK,
    SEED_CODE,
    LOWER_NOT_UPPER,
    ZERO_BRANCH,
    DEGRADATION,
    RESIDUAL_HISTORY,
    SUBLAYER_COMPLEXITY,
    ZERO_INIT_CONVERGENCE,
    LLM_PRACTICE,
    SEED_CODE_TRAINING,
    GATING,
]
