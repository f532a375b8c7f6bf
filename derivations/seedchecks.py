"""Precise seed statements outside the core topics, each settled by evidence the harness runs.

Seed 003 on residual connections (the reparametrisation H = F + x, what a lower bound does and does
not say, the article's own code, the eigenvalue explanation of vanishing gradients), seed 004's
sentence on where the √d_k scaling happens, seed 002's question why additive attention needs no
scaling, and seed 001's parameter argument for decoder-only models. Small, general checks: symbolic
identities where there is one to prove, torch modules and autograd for the numeric side, exact
counterexamples where a sentence is false.
"""

from __future__ import annotations

import math

import sympy as sp
import torch
from hypothesis import strategies as st
from sympy import Abs, Eq, IndexedBase, Sum, Symbol, exp, sqrt, symbols, tanh

from dlproofs.claim import Claim, Counterexample, Derivation, Source, Step, Verdict, Witness
from dlproofs.lemmas import Certificate, LemmaUse
from dlproofs.numeric import Case, Outcome, PropertyCheck

S001 = "001_247eb230c3d35b0b.txt"
S002 = "002_9e6212acebde65bf.txt"
S003 = "003_93fbe64bf7e5ecd9.txt"
S004 = "004_77fa28d87cc9dc01.txt"
U = 2.0**-53  # unit roundoff of float64

x = Symbol("x", real=True)
h = Symbol("h", real=True)  # the value H(x) of the target mapping
i = Symbol("i", integer=True, positive=True)
d, n_ = symbols("d n", integer=True, positive=True)
alpha = Symbol("alpha", positive=True)
theta, g, v, s = (IndexedBase(name, real=True) for name in ("theta", "g", "v", "s"))
LATEX = {alpha: r"\alpha", theta: r"\theta", h: "H(x)"}


def _seeded(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


# ── residual.identity-block ───────────────────────────────────────────────────────────────────
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
    w, gen = case["width"], _seeded(case["seed"])
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
            (h - x) + x,
            (Step(h, "cancel", "the x subtracted in F is added back by the skip connection"),),
        ),
        Derivation(
            "the identity target H(x) = x needs F ≡ 0",
            x - x,
            (Step(sp.Integer(0), "cancel", "F = H − x with H the identity"),),
        ),
    ),
    numeric=(IDENTITY_CHECK,),
    sources=(
        Source(
            "003_93fbe64bf7e5ecd9.txt",
            "2.2",
            "残差连接允许网络学习残差映射,即 F(x)=H(x) - x,其中 x 是输入,H(x) 是期望的映射函数。通过这种方式,网络可以更容易地学习到恒等映射,从而缓解了梯度消失和梯度爆炸问题。",
            "The residual connection lets the network learn the residual mapping F(x) = H(x) − x, where H is the desired mapping (so the identity is F ≡ 0).",
            line=19,
            assertion="残差连接允许网络学习残差映射,即 F(x)=H(x) - x",
        ),
    ),
)


# ── residual.seed-code ────────────────────────────────────────────────────────────────────────
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
            "003_93fbe64bf7e5ecd9.txt",
            "5 (code)",
            "self.linear = nn.Linear(input_size, input_size)",
            "The sublayer of the article's code example (§5, right under the article whose title assumes Sublayer initialised to zero) is a plain nn.Linear with torch's default initialisation (U(−1/√fan_in, 1/√fan_in)), not zero: the line where the example departs from the article's standing assumption. The code is judged as the article presents it — an implementation of its analysis — not as a free-standing statement.",
            line=107,
        ),
    ),
)


# ── residual.lower-bound-not-upper ────────────────────────────────────────────────────────────
def _lower_not_upper_witness() -> Witness:
    c = 1e6  # F(x) = c·x, J_F = cI
    xs = torch.randn(4, generator=_seeded(0), dtype=torch.float64, requires_grad=True)
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


LOWER_NOT_UPPER = Claim(
    id="residual.lower-bound-not-upper",
    title="A lower bound on the gradient does not keep it from being too large",
    verdict=Verdict.REFUTED,
    summary="Seed 003 says a reasonable lower bound on the gradient magnitude means the gradient is neither "
    "too small nor too large. A lower bound constrains one side only: with F(x) = c·x (c ≥ 0) the bound "
    "‖∂L/∂x‖ ≥ ‖∂L/∂y‖ holds for every c, while ‖∂L/∂x‖ = (1 + c)‖∂L/∂y‖ is unbounded. The large side "
    "needs its own bound, ‖∂L/∂x‖ ≤ (1 + ‖J_F‖₂)‖∂L/∂y‖ (`residual.upper-bound`).",
    counterexamples=(
        Counterexample(
            "scalar block y = x + c·x: the lower bound |∂L/∂x| ≥ |∂L/∂y| holds, yet |∂L/∂x| = 1001·|∂L/∂y| at c = 1000",
            relation=sp.Le(Abs((1 + Symbol("c")) * Symbol("g_y")), 2 * Abs(Symbol("g_y"))),
            point={Symbol("c"): sp.Integer(1000), Symbol("g_y"): sp.Integer(1)},
        ),
        Counterexample("vector block y = x + 10⁶·x through autograd", run=_lower_not_upper_witness),
    ),
    sources=(
        Source(
            S003,
            "3.4.2",
            "合理的梯度幅度下界意味着梯度既不会过小也不会过大。",
            "A reasonable lower bound on the gradient magnitude means the gradient is neither too small nor too large.",
            line=69,
        ),
    ),
)


# ── vanishing.eigenvalues ─────────────────────────────────────────────────────────────────────
def _eigen_witness() -> Witness:
    """Layers alternate A = [[1,1],[0,1]] and B = [[1,0],[1,1]]: every eigenvalue is exactly 1."""
    a = sp.Matrix([[1, 1], [0, 1]])
    b = sp.Matrix([[1, 0], [1, 1]])
    eig = sorted({*a.eigenvals(), *b.eigenvals()})
    pair = (a * b) ** 10  # 20 layers
    grow = sp.sqrt((pair * sp.Matrix([1, 0])).norm() ** 2)
    shrink_dir = sp.Matrix([1, -(1 + sp.sqrt(5)) / 2])  # eigenvector of AB for (3 − √5)/2
    shrink = sp.simplify((pair * shrink_dir).norm() / shrink_dir.norm())
    return Witness(
        holds=False,
        lhs=f"eigenvalues of every layer: {eig}; after 20 layers ‖J g‖ = {sp.N(grow, 8)} for g = e₁ and "
        f"{sp.N(shrink, 8)} along AB's second eigenvector",
        rhs="the same spectrum (all 1) both explodes (×(3+√5)/2 per pair) and vanishes (×(3−√5)/2 per pair)",
        detail="exact rational arithmetic (SymPy); the singular values 1.618/0.618 of each layer decide it",
    )


EIGENVALUES = Claim(
    id="vanishing.eigenvalues",
    title="The weight matrices' eigenvalues do not decide vanishing or exploding gradients",
    verdict=Verdict.REFUTED,
    summary="Seed 003 attributes vanishing and exploding gradients to an unreasonable distribution of the "
    "weight matrices' eigenvalues. Eigenvalues of the individual layers do not control a product of different "
    "matrices: layers alternating A = [[1,1],[0,1]] and B = [[1,0],[1,1]] have every eigenvalue exactly 1, "
    "yet AB has eigenvalues (3 ± √5)/2, so after 2k layers the gradient grows like 2.618^k along one "
    "direction and shrinks like 0.382^k along another. What bounds the gradient is the singular values "
    "(operator norms) of the Jacobians: ‖J_L⋯J_1 g‖ ≤ ∏‖J_l‖₂‖g‖ (see `sigmoid.chain-bound`, "
    "`residual.upper-bound`); eigenvalues decide only for one repeated normal matrix.",
    counterexamples=(
        Counterexample(
            "A = [[1,1],[0,1]], B = [[1,0],[1,1]] (all eigenvalues 1): ‖(AB)^10 e₁‖ is not ≤ ‖e₁‖·1^20",
            relation=sp.Le(Symbol("r"), sp.Integer(1)),
            point={Symbol("r"): sp.sqrt(((sp.Matrix([[2, 1], [1, 1]]) ** 10) * sp.Matrix([1, 0])).norm() ** 2)},
        ),
        Counterexample("the same 20 layers, both directions, exactly", run=_eigen_witness),
    ),
    sources=(),
)


# ── sgd.update-size ───────────────────────────────────────────────────────────────────────────
def _sgd_cases() -> st.SearchStrategy[Case]:
    """n = 1..16 parameters ~ N(0, 1), gradient N(0, 1)·scale with scale 0 (a zero gradient, a zero step) or
    1e-6..1e3, α ∈ {1e-4, 1} or [1e-6, 10]: step sizes over many decades, and the zero step."""
    return st.fixed_dictionaries(
        {
            "n": st.integers(1, 16),
            "lr": st.one_of(st.sampled_from([1e-4, 1.0]), st.floats(1e-6, 10.0)),
            "scale": st.one_of(st.just(0.0), st.floats(-6, 3).map(lambda e: 10.0**e)),
            "seed": st.integers(0, 2**31),
        }
    )


def _sgd_property(case: Case, predicted=lambda lr, gn: lr * gn) -> Outcome:
    gen = _seeded(case["seed"])
    p = torch.nn.Parameter(torch.randn(case["n"], generator=gen, dtype=torch.float64))
    grad = case["scale"] * torch.randn(case["n"], generator=gen, dtype=torch.float64)
    before = p.detach().clone()
    p.grad = grad.clone()
    torch.optim.SGD([p], lr=case["lr"]).step()
    step = float((p.detach() - before).norm())
    want = predicted(case["lr"], float(grad.norm()))
    # one rounding in θ − lr·g per entry: |error| ≤ 2u(|θ| + lr|g|) per entry, summed in 2-norm
    bound = 4 * U * float((before.abs() + case["lr"] * grad.abs()).norm()) + 1e-300
    err = abs(step - want)
    return Outcome(
        err <= bound, err, bound, f"n = {case['n']}, lr = {case['lr']:g}: ‖Δθ‖ = {step:.6g}, want {want:.6g}"
    )


SGD_CHECK = PropertyCheck(
    name="‖θ_new − θ_old‖ = α‖∂L/∂θ‖ for torch.optim.SGD (no momentum, no weight decay)",
    cases=_sgd_cases,
    holds=_sgd_property,
    reason="4u(‖|θ|‖ + α‖|g|‖): one rounding of θ − αg per entry, and the norm of a difference of floats; "
    "exact zeros of g give an exactly zero step",
    planted={
        "α²‖g‖": lambda c: _sgd_property(c, lambda lr, gn: lr * lr * gn),
        "‖g‖ (learning rate forgotten)": lambda c: _sgd_property(c, lambda lr, gn: gn),
    },
)

SGD_UPDATE = Claim(
    id="sgd.update-size",
    title="An SGD step has length α‖∂L/∂θ‖: a gradient tending to 0 makes the update tend to 0",
    verdict=Verdict.PROVED,
    summary="With θ_new = θ_old − α ∂L/∂θ, the step is exactly α times the gradient: ‖θ_new − θ_old‖ = "
    "α‖∂L/∂θ‖ (squared norms over a symbolic number n of parameters below). So the seed's argument holds: "
    "a vanishing gradient gives vanishing updates for plain SGD. (Adam is different: its step is about α "
    "whatever the gradient's scale; see the Adam records.)",
    derivations=(
        Derivation(
            "‖θ_new − θ_old‖²",
            Sum((theta[i] - (theta[i] - alpha * g[i])) ** 2, (i, 1, n_)),
            (
                Step(Sum(alpha**2 * g[i] ** 2, (i, 1, n_)), "cancel θ", "each entry of θ_new − θ_old is −α g_i"),
                Step(alpha**2 * Sum(g[i] ** 2, (i, 1, n_)), "pull α² out of the sum", "α does not depend on i"),
            ),
            sizes={n_: (1, 2, 3, 4)},
        ),
    ),
    numeric=(SGD_CHECK,),
    sources=(
        Source(
            "003_93fbe64bf7e5ecd9.txt",
            "3.4.1",
            "在深度神经网络的训练中,模型的参数更新依赖于梯度。如果残差连接的梯度幅度没有合适的下界,梯度可能会趋近于零。",
            "Parameter updates depend on the gradient (an SGD step is −α∂L/∂θ).",
            line=63,
            assertion="模型的参数更新依赖于梯度",
        ),
        Source(
            "003_93fbe64bf7e5ecd9.txt",
            "3.4.1",
            "当梯度趋近于零时,根据参数更新公式 θ_new = θ_old − α ∂L/∂θ(其中 θ 是模型参数,α 是学习率),参数的更新量会变得极小,几乎可以忽略不计。",
            "When the gradient tends to zero, by θ_new = θ_old − α ∂L/∂θ (α the learning rate) the update becomes extremely small, almost negligible.",
            line=65,
        ),
        Source(
            "003_93fbe64bf7e5ecd9.txt",
            "3.4.2",
            "梯度不过小保证了参数能够持续更新,避免因梯度消失而停止学习;梯度不过大则防止了梯度爆炸,使参数更新处于一个可控的范围内。",
            "A gradient that is not too small keeps parameters updating; one that is not too large prevents explosion and keeps the updates in a controllable range: both by the SGD step −α∂L/∂θ, whose length is α‖∂L/∂θ‖.",
            line=71,
        ),
    ),
)


# ── attention.scale-after-softmax ─────────────────────────────────────────────────────────────
a_, b_, dk = symbols("a b d_k", positive=True)


def _softmax2(u, w):
    return exp(u) / (exp(u) + exp(w))


def _seed_004_code_witness() -> Witness:
    """Seed 004's forward pass (scores / √d_k, then softmax) against the sentence (softmax, then /√d_k)."""
    gen = _seeded(4)
    q = torch.randn(2, 8, 5, 64, generator=gen, dtype=torch.float64)  # (batch, heads, seq, d_k)
    k = torch.randn(2, 8, 5, 64, generator=gen, dtype=torch.float64)
    d_k = 64
    code = torch.softmax(q @ k.transpose(-2, -1) / d_k**0.5, dim=-1)  # what the code does
    sentence = torch.softmax(q @ k.transpose(-2, -1), dim=-1) / d_k**0.5  # what the sentence says
    gap = float((code - sentence).abs().max())
    rows = float(sentence.sum(-1).max())
    return Witness(
        holds=gap < 1e-12,
        lhs=f"max |code − sentence| = {gap:.3g}; the sentence's rows sum to {rows:.4g}",
        rhs="0, and rows summing to 1, if scaling after the softmax were the same",
        detail="q, k ~ N(0, 1), d_k = 64, 8 heads, 5 tokens (seed 004's head size)",
    )


SCALE_AFTER = Claim(
    id="attention.scale-after-softmax",
    title="Seed 004 says its code scales the result after the softmax; scaling after ≠ scaling before",
    verdict=Verdict.REFUTED,
    summary="Seed 004 explains its code as using √d_k 'to scale the result after the softmax'. The code "
    "(`attn_scores = q @ kᵀ / d_k ** 0.5`, then `F.softmax`) scales the scores before the softmax, which is "
    "the Transformer's definition (`attention.sdpa`). The two are different functions: dividing softmax(z) by "
    "√d_k leaves every weight's ranking and sharpness unchanged and makes the rows sum to 1/√d_k, while "
    "softmax(z/√d_k) is a flatter distribution that still sums to 1.",
    counterexamples=(
        Counterexample(
            "two logits (1, 0), d_k = 4: softmax(z)₁/√d_k ≠ softmax(z/√d_k)₁",
            relation=Eq(_softmax2(a_, b_) / sqrt(dk), _softmax2(a_ / sqrt(dk), b_ / sqrt(dk))),
            point={a_: sp.Integer(1), b_: sp.Integer(0), dk: sp.Integer(4)},
        ),
        Counterexample(
            "seed 004's code path against the sentence's, on Gaussian q, k with d_k = 64", run=_seed_004_code_witness
        ),
    ),
    sources=(
        Source(
            S004,
            "Transformer 中 Self Attention 计算为什么要除以特征维度数量的平方根",
            "上面 Transformer 代码中有使用 dk\\sqrt{d_{k}}dk 来对 softmax 之后的结果进行 scale,解释如下:",
            "The Transformer code above uses √d_k to scale the result after the softmax, explained as follows.",
            line=46,
        ),
    ),
)


# ── attention.additive-bounded ────────────────────────────────────────────────────────────────
def _additive_cases() -> st.SearchStrategy[Case]:
    """d_k = 1..64, d_a = 1..16, W, U, b, v ~ N(0, 1) from a seed, 6 queries and 7 keys ~ N(0, 1)·scale with scale
    1e-3..1e3: the claim is "whatever d_k and the scale", so tanh runs from linear to fully saturated."""
    return st.fixed_dictionaries(
        {
            "d_k": st.integers(1, 64),
            "d_a": st.integers(1, 16),
            "scale": st.one_of(st.sampled_from([1e-3, 1.0, 1e3]), st.floats(-3, 3).map(lambda e: 10.0**e)),
            "seed": st.integers(0, 2**31),
        }
    )


def _additive_property(case: Case, bound_of=lambda v, d_k: float(v.abs().sum())) -> Outcome:
    """Bahdanau scores vᵀ tanh(W q + U k) through nn.Linear for 6 queries × 7 keys of size d_k."""
    gen, d_k, d_a = _seeded(case["seed"]), case["d_k"], case["d_a"]
    w = torch.nn.Linear(d_k, d_a, bias=False, dtype=torch.float64)
    u_ = torch.nn.Linear(d_k, d_a, bias=True, dtype=torch.float64)
    vv = torch.nn.Linear(d_a, 1, bias=False, dtype=torch.float64)
    with torch.no_grad():
        for lin in (w, u_, vv):
            lin.weight.copy_(torch.randn(lin.weight.shape, generator=gen, dtype=torch.float64))
        u_.bias.copy_(torch.randn(d_a, generator=gen, dtype=torch.float64))
        q = case["scale"] * torch.randn(6, d_k, generator=gen, dtype=torch.float64)
        k = case["scale"] * torch.randn(7, d_k, generator=gen, dtype=torch.float64)
        scores = vv(torch.tanh(w(q)[:, None, :] + u_(k)[None, :, :])).squeeze(-1)  # (6, 7)
    top = float(scores.abs().max())
    bound = bound_of(vv.weight.detach(), d_k)
    slack = 4 * d_a * U * float(vv.weight.detach().abs().sum())  # rounding of a d_a-term dot product
    return Outcome(
        top <= bound + slack,
        max(top - bound, 0.0),
        slack,
        f"d_k = {d_k}, scale {case['scale']:g}: max |score| = {top:.4g}, bound {bound:.4g}",
    )


ADDITIVE_CHECK = PropertyCheck(
    name="|vᵀ tanh(Wq + Uk)| ≤ ‖v‖₁ for every query and key, whatever d_k and the scale of q, k (nn.Linear)",
    cases=_additive_cases,
    holds=_additive_property,
    reason="the lemma-backed bound through real nn.Linear layers, inputs scaled 1e-3..1e3, d_k 1..64; slack "
    "4·d_a·u·‖v‖₁ for the rounding of the final dot product",
    planted={
        "‖v‖₁/√d_a (a bound that shrinks with width)": lambda c: _additive_property(
            c, lambda v, d_k: float(v.abs().sum()) / math.sqrt(v.numel())
        ),
        "‖v‖₁ tanh(1) (saturation ignored)": lambda c: _additive_property(
            c, lambda v, d_k: float(v.abs().sum()) * math.tanh(1.0)
        ),
    },
)

ADDITIVE = Claim(
    id="attention.additive-bounded",
    title="Additive attention needs no 1/√d_k: its scores are bounded by ‖v‖₁ for every d_k",
    verdict=Verdict.PROVED,
    summary="Seed 002 asks why additive attention does not need scaling and answers with the dot-product "
    "argument (one score dominating when d_k is large), which is the reason the *multiplicative* form needs "
    "it. The actual reason: the additive score vᵀ tanh(Wq + Uk) is bounded by ‖v‖₁ whatever d_k and however "
    "large q and k are, because |tanh| ≤ 1; the dot product q·k has variance d_k and grows without bound "
    "(`attention.dot-product-variance`). The bound depends only on the learned v (of the attention width "
    "d_a), not on the key dimension.",
    derivations=(
        Derivation(
            "‖v‖₁ − |score| for attention width d",
            Sum(Abs(v[i]), (i, 1, d)) - Abs(Sum(v[i] * tanh(s[i]), (i, 1, d))),
            (
                Step(
                    Sum(Abs(v[i]), (i, 1, d)) - Sum(Abs(v[i]) * Abs(tanh(s[i])), (i, 1, d)),
                    "triangle inequality",
                    "|Σ a_i| ≤ Σ|a_i| and |ab| = |a||b|, so subtracting the larger sum gives a smaller value",
                    relation=">=",
                    lemma=LemmaUse("sum-triangle", f=v[i] * tanh(s[i]), i=i, lo=1, hi=d),
                ),
                Step(
                    sp.Integer(0),
                    "|tanh| ≤ 1",
                    "termwise |v_i||tanh s_i| ≤ |v_i| since tanh maps ℝ into (−1, 1); so |score| ≤ ‖v‖₁",
                    relation=">=",
                    lemma=LemmaUse(
                        "sum-monotone",
                        f=Abs(v[i]) * Abs(tanh(s[i])),
                        g=Abs(v[i]),
                        i=i,
                        lo=1,
                        hi=d,
                        given={"f <= g": Certificate((Abs(v[i]), LemmaUse("abs-tanh-le-one", x=s[i])))},
                    ),
                ),
            ),
            sizes={d: (1, 2, 3, 4)},
        ),
    ),
    numeric=(ADDITIVE_CHECK,),
    assumptions=("s_i = (Wq + Uk)_i real, i = 1..d (d = attention width)",),
    sources=(
        Source(
            "002_9e6212acebde65bf.txt",
            "为什么加法不需要用scaled?",
            "为什么加法不需要用scaled?",
            "Presupposition of the question 'why does additive attention not need scaling?': it does not — v·tanh(·) keeps every score within ‖v‖₁ whatever d_k is.",
            line=20,
            kind="presupposition",
        ),
    ),
)


# ── transformer.cross-attention-params ────────────────────────────────────────────────────────
dm, dff = symbols("d d_ff", integer=True, positive=True)


def _param_cases() -> st.SearchStrategy[Case]:
    """h = 1..4 heads of size 1..8 (d = h·a), d_ff = 1..32, bias on or off (the claim's two formulas): layers
    built on the meta device, exact integer counts, no values involved."""
    return st.fixed_dictionaries(
        {"heads": st.integers(1, 4), "head_dim": st.integers(1, 8), "d_ff": st.integers(1, 32), "bias": st.booleans()}
    )


def _param_property(case: Case, formula=lambda d_, b: 4 * d_ * d_ + 6 * d_ if b else 4 * d_ * d_ + d_) -> Outcome:
    d_ = case["heads"] * case["head_dim"]
    kw = {"dim_feedforward": case["d_ff"], "bias": case["bias"], "dropout": 0.0, "batch_first": True}
    with torch.device("meta"):  # shapes only: no memory, no RNG
        dec = torch.nn.TransformerDecoderLayer(d_, case["heads"], **kw)
        enc = torch.nn.TransformerEncoderLayer(d_, case["heads"], **kw)
    diff = sum(p.numel() for p in dec.parameters()) - sum(p.numel() for p in enc.parameters())
    want = formula(d_, case["bias"])
    return Outcome(
        diff == want,
        abs(diff - want),
        0.0,
        f"d = {d_}, h = {case['heads']}, bias = {case['bias']}: decoder − encoder = {diff}, closed form {want}",
    )


PARAM_CHECK = PropertyCheck(
    name="#params(nn.TransformerDecoderLayer) − #params(nn.TransformerEncoderLayer) = 4d² + 6d (bias=False: 4d² + d)",
    cases=_param_cases,
    holds=_param_property,
    reason="exact integer counts of the modules' parameters (built on the meta device)",
    planted={
        "4d² (biases and the third LayerNorm forgotten)": lambda c: _param_property(c, lambda d_, b: 4 * d_ * d_),
        "3d² + 3d (in-projection only)": lambda c: _param_property(c, lambda d_, b: 3 * d_ * d_ + 3 * d_),
    },
)

CROSS_PARAMS = Claim(
    id="transformer.cross-attention-params",
    title="Dropping cross-attention saves 4d² + 6d parameters per decoder layer",
    verdict=Verdict.TESTED,
    tested_reason="the derivation starts from the count 4d² + 6d it concludes; that nn.TransformerDecoderLayer has exactly that many more parameters than the encoder layer is counted numerically only.",
    summary="Seed 001 says a decoder-only model has fewer parameters because it needs no cross-attention. "
    "Per layer of width d, cross-attention has W_Q, W_K, W_V, W_O (4d²) with biases (4d), and its LayerNorm "
    "has γ and β (2d): 4d² + 6d, independent of the head count and of d_ff. Counted against PyTorch's "
    "nn.TransformerDecoderLayer and nn.TransformerEncoderLayer. With d_ff = 4d a layer has 12d² + O(d) "
    "parameters without cross-attention and 16d² + O(d) with it: a third more per layer at equal width. "
    "Whether this makes scaling easier is `llama.decoder-only` (not formalizable).",
    derivations=(
        Derivation(
            "decoder layer − encoder layer",
            (3 * dm**2 + 3 * dm) + (dm**2 + dm) + 2 * dm,
            (Step(4 * dm**2 + 6 * dm, "collect", "in-projection (3d² + 3d), out-projection (d² + d), LayerNorm (2d)"),),
        ),
    ),
    numeric=(PARAM_CHECK,),
    sources=(
        Source(
            "001_247eb230c3d35b0b.txt",
            "Q19",
            "模型规模:减少参数数量(无需交叉注意力层),更易扩展至千亿参数。",
            "Model scale: fewer parameters (no cross-attention layers).",
            line=297,
            assertion="模型规模:减少参数数量(无需交叉注意力层)",
        ),
    ),
)

CLAIMS = [IDENTITY_BLOCK, SEED_CODE, LOWER_NOT_UPPER, EIGENVALUES, SGD_UPDATE, SCALE_AFTER, ADDITIVE, CROSS_PARAMS]

# ── issue 11 (second reading): 001 line 94 asserts the block-level implication itself ─────────────
f_x = Symbol("F", real=True)  # the value F(x) of the residual function
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
            f_x + x,
            (Step(x, "F(x) = 0", "the skip connection alone remains: H(x) = x, the identity mapping"),),
            where=((f_x, sp.S.Zero),),
        ),
    ),
    numeric=(IDENTITY_CHECK,),
    sources=(
        Source(
            "001_247eb230c3d35b0b.txt",
            "Q8",
            "解决退化问题:残差块的设计使得网络可以更容易地学习到恒等映射。假设我们希望学习的目标函数为 H(x),残差块将其表示为 H(x)=F(x)+x,其中 F(x) 是残差函数。如果 F(x)=0,那么 H(x)=x,即网络实现了恒等映射。",
            "The target H(x) is written H(x) = F(x) + x with residual function F; if F(x) = 0 then H(x) = x, the identity.",
            line=94,
            assertion="假设我们希望学习的目标函数为 H(x),残差块将其表示为 H(x)=F(x)+x,其中 F(x) 是残差函数。如果 F(x)=0,那么 H(x)=x,即网络实现了恒等映射",
        ),
    ),
)
CLAIMS += [ZERO_BRANCH]
