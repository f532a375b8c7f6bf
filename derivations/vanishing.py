"""Quantifying vanishing gradients (seed 001 Q1): the chain-rule product, layer-wise gradient-norm
ratios through deep sigmoid / ReLU / residual stacks, and which way the seed's decay ratio points.

What is proved and what is measured:
- proved (symbolic, any width): ∂h_2/∂h_0 = diag(φ'(z_2)) W_2 diag(φ'(z_1)) W_1 (the product the seed
  describes), by the matrix tier; the sigmoid bound ‖g_l‖ ≤ (1/4)^n ∏‖W‖₂ ‖g_{l+n}‖ is
  ``sigmoid.chain-bound`` (reused here, not re-proved);
- checked on every drawn case (PropertyCheck through torch autograd): the per-layer ratio bounds
  sigmoid ≤ ‖W_l‖₂/4, ReLU ≤ ‖W_l‖₂, residual ≥ 1 − ‖J_F‖₂ (``residual.lower-bound``);
- measured (fixed seeds, reported in the notes, not claimed as theorems): the geometric-mean ratio
  per layer through 20-layer stacks of width 32.
Layers are numbered from the input, as the seed numbers them (g_l = ∂L/∂h_l, h_0 the input).

Also (seed 003): the layers' eigenvalues do not decide vanishing or explosion (an exact
counterexample), and a plain SGD step has length α‖∂L/∂θ‖ (proved for any number of parameters),
so a vanishing gradient does give vanishing updates.
"""

from __future__ import annotations

import math

import dlproofs.impl.vanishing as van
import sympy as sp
import torch
from dlproofs.derivations import _shared as shared
from hypothesis import strategies as st
from sympy import IndexedBase, MatrixSymbol, Sum, Symbol, symbols

from dlproofs.claim import Claim, Counterexample, Derivation, Premise, Sentence, Source, Step, Verdict, Witness
from dlproofs.lemmas import Certificate
from dlproofs.matrices import Apply, ApplyPrime, Diag, Jacobian
from dlproofs.numeric import Case, CrossCheck, Outcome, PropertyCheck, Tolerance

# ── vanishing.chain-product ───────────────────────────────────────────────────────────────────
n0, n1, n2 = symbols("n_0 n_1 n_2", integer=True, positive=True)
h0 = MatrixSymbol("h_0", n0, 1)
W1, b1 = MatrixSymbol("W_1", n1, n0), MatrixSymbol("b_1", n1, 1)
W2, b2 = MatrixSymbol("W_2", n2, n1), MatrixSymbol("b_2", n2, 1)
Z1 = W1 * h0 + b1
H1 = Apply("phi", Z1)
Z2 = W2 * H1 + b2
H2 = Apply("phi", Z2)
CHAIN = Derivation(
    "∂h_2/∂h_0 for h_l = φ(W_l h_{l−1} + b_l), any widths",
    Jacobian(H2, h0),
    (
        Step(
            Diag(ApplyPrime("phi", Z2)) * W2 * Diag(ApplyPrime("phi", Z1)) * W1,
            "chain rule",
            "Each layer contributes diag(φ'(z_l)) W_l; by induction ∂h_L/∂h_0 = ∏_{l=L}^{1} diag(φ'(z_l)) W_l.",
        ),
    ),
    sizes={n0: (1, 2, 2), n1: (2, 1, 2), n2: (1, 2, 2)},
)


@st.composite
def stack_cases(draw: st.DrawFn, kinds=("sigmoid", "relu", "tanh", "residual")) -> Case:
    """A sigmoid, relu, tanh or residual stack, width 1..8, depth 1..8, init gain 0.5, 1, 2 or [0.1, 4] on the
    Kaiming/Xavier std, a seed for W, b, x and the upstream gradient (all normal): gains below and above 1
    make gradients shrink and grow through up to 8 layers."""
    return {
        "kind": draw(st.sampled_from(kinds)),
        "n": draw(st.integers(1, 8)),
        "L": draw(st.integers(1, 8)),
        "gain": draw(st.sampled_from([0.5, 1.0, 2.0]) | st.floats(0.1, 4.0)),
        "seed": draw(st.integers(0, 2**31 - 1)),
    }


def _run(c: Case):
    w = van.draw_weights(c["kind"], c["n"], c["L"], c["seed"], gain=c["gain"])
    gen = torch.Generator().manual_seed(c["seed"] + 1)
    x = torch.randn(c["n"], generator=gen, dtype=torch.float64)
    up = torch.randn(c["n"], generator=gen, dtype=torch.float64)
    return w, x, up


DERIV = {
    "sigmoid": lambda z: torch.sigmoid(z) * (1 - torch.sigmoid(z)),
    "relu": lambda z: (z > 0).to(z.dtype),
    "tanh": lambda z: 1 - torch.tanh(z) ** 2,
}


def _product_grad(c: Case, skip_deriv: bool = False) -> torch.Tensor:
    """g_0 = g_L ∏ diag(φ'(z_l)) W_l, multiplied out by hand (plain stacks)."""
    w, x, up = _run(c)
    hs, zs = [x], []
    for wl, bl in w:
        zs.append(wl @ hs[-1] + bl)
        hs.append(van.ACTIVATIONS[c["kind"]](zs[-1]))
    g = up
    for (wl, _), z in zip(reversed(w), reversed(zs)):
        g = (g if skip_deriv else g * DERIV[c["kind"]](z)) @ wl
    return g


def _autograd_grad(c: Case) -> torch.Tensor:
    w, x, up = _run(c)
    _, grads = van.layer_gradients(c["kind"], w, x, up)
    return grads[0]


def _chain_scale(c: Case) -> float:
    w, _, up = _run(c)
    prod = float(up.norm()) + 1e-300
    for wl, _ in w:
        prod *= float(torch.linalg.matrix_norm(wl, 2)) + 1.0
    return prod * c["L"] * (c["n"] + 2)


def _plain_stack_cases() -> st.SearchStrategy[Case]:
    """As stack_cases without the residual kind (the closed form is the plain chain product): sigmoid, relu
    or tanh, width 1..8, depth 1..8, gain 0.1..4, normal W, b, x and upstream gradient from a seed."""
    return stack_cases(kinds=("sigmoid", "relu", "tanh"))


def _flat(params) -> torch.Tensor:
    return torch.cat([t.flatten() for layer in params for t in layer])  # every W, b (or W, V), layer by layer


def _init_closed(c: Case, relu_var: float = 2.0) -> torch.Tensor:
    """The stacks' initialisation as documented, drawn from the same generator stream: per layer W = std·z with
    std = gain·√(2/n) (relu, Kaiming) or gain·√(1/n) (sigmoid, tanh, residual: Xavier for a square layer), then
    b = 0.1·z (plain) or V = z/√n (residual)."""
    gen, n = torch.Generator().manual_seed(c["seed"]), c["n"]
    std = c["gain"] * math.sqrt((relu_var if c["kind"] == "relu" else 1.0) / n)
    out = []
    for _ in range(c["L"]):
        w = std * torch.randn(n, n, generator=gen, dtype=torch.float64)
        second = (
            torch.randn(n, n, generator=gen, dtype=torch.float64) / math.sqrt(n)
            if c["kind"] == "residual"
            else 0.1 * torch.randn(n, generator=gen, dtype=torch.float64)
        )
        out.append((w, second))
    return _flat(out)


def _init_nn(c: Case) -> torch.Tensor:
    """The same stream through nn.init: kaiming_normal_(relu) or xavier_normal_ for W (times the gain), normal_ for
    the rest."""
    gen, n = torch.Generator().manual_seed(c["seed"]), c["n"]
    out = []
    for _ in range(c["L"]):
        w = torch.empty(n, n, dtype=torch.float64)
        if c["kind"] == "relu":
            torch.nn.init.kaiming_normal_(w, nonlinearity="relu", generator=gen)
        else:
            torch.nn.init.xavier_normal_(w, generator=gen)
        shape = (n, n) if c["kind"] == "residual" else (n,)
        second = torch.nn.init.normal_(
            torch.empty(shape, dtype=torch.float64), 0.0, 1 / math.sqrt(n) if c["kind"] == "residual" else 0.1, gen
        )
        out.append((c["gain"] * w, second))
    return _flat(out)


def _forward_closed(c: Case, *, residual_branch=lambda w, v, h: w @ torch.tanh(v @ h)) -> torch.Tensor:
    """h_0 = x, then h_l = φ(W_l h_{l−1} + b_l) (plain) or h_{l−1} + W_l tanh(V_l h_{l−1}) (residual), as
    documented, on draw_weights' parameters.  # [(L + 1)·n]"""
    w, x, _ = _run(c)
    hs = [x]
    for p_ in w:
        h = hs[-1]
        hs.append(
            h + residual_branch(*p_, h) if c["kind"] == "residual" else van.ACTIVATIONS[c["kind"]](p_[0] @ h + p_[1])
        )
    return torch.cat(hs)


FORWARD_CHECK = CrossCheck(
    name="the stacks' forward values h_0..h_L: impl.vanishing.layer_gradients against the documented recursions",
    cases=stack_cases,
    expected=_forward_closed,
    references={
        "impl.vanishing.layer_gradients (its h_l)": lambda c: torch.cat(van.layer_gradients(c["kind"], *_run(c))[0]),
    },
    tolerance=Tolerance(
        16,
        "the same matvecs (length n) per layer, rounding carried through L layers: scale = L·(n + 2)·∏(‖W_l‖₂ + 1)·(‖x‖ + 1)",
        lambda c: _chain_scale(c) * (float(_run(c)[1].norm()) + 1) / (float(_run(c)[2].norm()) + 1e-300),
    ),
    planted={
        "residual branch W tanh(Vᵀh)": lambda c: (
            _forward_closed(c, residual_branch=lambda w, v, h: w @ torch.tanh(v.T @ h))
            if c["kind"] == "residual"
            else 2 * _forward_closed(c)
        ),
        "residual branch without tanh": lambda c: (
            _forward_closed(c, residual_branch=lambda w, v, h: w @ (v @ h))
            if c["kind"] == "residual"
            else -_forward_closed(c)
        ),
    },
)


INIT_CHECK = CrossCheck(
    name="the stacks' initial weights: impl.vanishing.draw_weights against the documented scales and nn.init",
    cases=stack_cases,
    expected=_init_closed,
    references={
        "impl.vanishing.draw_weights": lambda c: _flat(
            van.draw_weights(c["kind"], c["n"], c["L"], c["seed"], gain=c["gain"])
        ),
        "nn.init.kaiming_normal_ / xavier_normal_ on the same stream": _init_nn,
    },
    tolerance=Tolerance(
        4,
        "per weight a std computed two ways (√(2/n) or √2/√n, 1/√n or a division by √n) and one or two products "
        "(std·z, the gain), a few roundings each: scale = the largest |weight| drawn",
        lambda c: float(_init_closed(c).abs().max()) + torch.finfo(torch.float64).tiny,
    ),
    planted={
        "ReLU stacks without the ReLU factor: std gain·√(1/n)": lambda c: _init_closed(c, relu_var=1.0),
        "Kaiming's √(2n) misread: std gain·√(2n)": lambda c: _init_closed(c, relu_var=2.0 * c["n"] ** 2),
    },
)


S003_L13 = Sentence(
    file=shared.SEED003,
    section="2.1",
    line=13,
    quote="然而,随着网络层数的增加,梯度在反向传播过程中会经历多次矩阵乘法运算。如果网络层的权重矩阵特征值分布不合理,就会出现梯度消失或梯度爆炸的现象。",
)


CHAIN_PRODUCT = Claim(
    id="vanishing.chain-product",
    title="The input gradient is a product of one factor diag(φ'(z_l)) W_l per layer",
    verdict=Verdict.PROVED,
    summary=(
        "For h_l = φ(W_l h_{l−1} + b_l), ∂h_L/∂h_0 = ∏_{l=L}^{1} diag(φ'(z_l)) W_l: proved for two layers of any "
        "widths (matrix tier), the general L by induction on the same step, and checked against torch autograd "
        "through sigmoid, ReLU and tanh stacks of drawn depth. This is the seed's 'product of many derivatives'; "
        "note it is a product of matrices, so small φ' alone does not decide vanishing: the ‖W_l‖ matter "
        "(sigmoid.chain-bound)."
    ),
    derivations=(CHAIN,),
    numeric=(
        CrossCheck(
            name="g_L ∏ diag(φ'(z_l)) W_l = autograd's ∂L/∂h_0",
            cases=_plain_stack_cases,
            expected=_product_grad,
            references={"torch autograd (retain_grad through the stack)": _autograd_grad},
            tolerance=Tolerance(16, "L matvecs of length n, each term bounded by ∏(‖W_l‖₂ + 1)·‖g_L‖", _chain_scale),
            planted={"the φ' factors left out: g_L ∏ W_l": lambda c: _product_grad(c, skip_deriv=True)},
        ),
        INIT_CHECK,
        FORWARD_CHECK,
    ),
    sources=(
        Source(
            shared.SEED001,
            "Q1 本质原因",
            "在反向传播时,计算关于某一层权重 W_i 的梯度 ∂L/∂W_i,根据链式法则,它会涉及到多个导数的乘积。",
            "In backpropagation, the gradient ∂L/∂W_i of a layer's weights involves, by the chain rule, a product of many derivatives: ∂L/∂W_i = δ_i h_{i−1}ᵀ, where δ_i = ∂L/∂z_i is the product of one factor diag(φ') W per layer above i (this claim).",
            line=4,
        ),
        Source(
            sentence=shared.S001_L93,
            gloss="In plain networks, products of derivatives over many layers easily (hedged: 容易) make gradients tiny or huge: the input gradient is a product of one factor per layer.",
            assertion="在传统网络中,由于多层的导数相乘,梯度容易变得非常小(梯度消失)或非常大(梯度爆炸)",
            kind="hedged",
        ),
        Source(
            shared.SEED001,
            "Q1",
            "在神经网络的反向传播过程中,梯度是通过链式法则来计算的。",
            "In backpropagation gradients are computed by the chain rule.",
            line=4,
        ),
        Source(
            sentence=S003_L13,
            gloss="As depth grows, the gradient goes through many matrix multiplications in backpropagation (one factor per layer).",
            assertion="然而,随着网络层数的增加,梯度在反向传播过程中会经历多次矩阵乘法运算",
        ),
    ),
)


# ── vanishing.layer-ratios ────────────────────────────────────────────────────────────────────
def _opn(w: torch.Tensor) -> float:
    return float(torch.linalg.matrix_norm(w, 2))


def _ratio_bounds(c: Case, sigmoid_factor: float = 0.25, residual_ok: bool = True) -> Outcome:
    """Per layer: sigmoid r_l ≤ ‖W_l‖₂/4, relu r_l ≤ ‖W_l‖₂, tanh r_l ≤ ‖W_l‖₂, residual r_l ≥ 1 − ‖J_F‖₂."""
    w, x, up = _run(c)
    hs, grads = van.layer_gradients(c["kind"], w, x, up)
    ratios = van.layer_ratios(grads)
    tol = 64 * torch.finfo(torch.float64).eps * (c["n"] + 4)
    for l_, r in enumerate(ratios):
        if c["kind"] == "residual":
            wl, vl = w[l_]
            j = wl @ torch.diag(1 - torch.tanh(vl @ hs[l_]) ** 2) @ vl
            bound = 1 - _opn(j) if residual_ok else 1.0
            bad = r < bound - tol * (1 + _opn(j))
        else:
            factor = sigmoid_factor if c["kind"] == "sigmoid" else 1.0
            bound = factor * _opn(w[l_][0])
            bad = r > bound * (1 + tol)
        if bad:
            return Outcome(False, abs(r - bound), tol, f"{c['kind']} layer {l_ + 1}: ratio {r!r} vs bound {bound!r}")
    return Outcome(True, 0.0, tol)


def _measured_ratios(width: int = 32, depth: int = 20, seeds=range(3)) -> dict[str, float]:
    """Per kind, the geometric mean over seeds of the per-layer ratio (‖g_0‖/‖g_L‖)^(1/L), through impl."""
    out = {}
    for kind in ("sigmoid", "tanh", "relu", "residual"):
        logs = []
        for s in seeds:
            w = van.draw_weights(kind, width, depth, s)
            gen = torch.Generator().manual_seed(1000 + s)
            x = torch.randn(width, generator=gen, dtype=torch.float64)
            up = torch.randn(width, generator=gen, dtype=torch.float64)
            _, grads = van.layer_gradients(kind, w, x, up)
            logs.append(math.log(float(grads[0].norm() / grads[-1].norm())) / depth)
        out[kind] = math.exp(sum(logs) / len(logs))
    return out


# The figures the note quotes (3 significant digits), written out so that importing the topic runs no impl/ code;
# the check "the note's measured figures" re-measures them through impl on every run.
MEASURED = {"sigmoid": 0.23, "tanh": 0.893, "relu": 0.953, "residual": 1.13}


def _measured_table(figures: dict[str, float] = MEASURED) -> str:
    rows = [f"{kind}: geometric-mean ratio per layer {r:.3g}" for kind, r in figures.items()]
    return (
        "Measured (not proved), width 32, depth 20, seeds 0–2, weights as in impl/vanishing.py "
        "(Xavier-normal for sigmoid/tanh, Kaiming-normal for ReLU, residual branch std 1/√n): " + "; ".join(rows) + "."
    )


def _note_figures(c: Case, quoted: dict[str, float] = MEASURED) -> Outcome:
    """Each quoted figure equals the re-measured one as printed (3 significant digits)."""
    got = _measured_ratios()
    off = {k: (v, quoted[k]) for k, v in got.items() if f"{v:.3g}" != f"{quoted[k]:.3g}"}
    err = max((abs(v - q) for v, q in off.values()), default=0.0)
    return Outcome(
        not off, err, 0.0, "; ".join(f"{k}: measured {v:.4g}, the note says {q:.3g}" for k, (v, q) in off.items())
    )


def _note_case() -> st.SearchStrategy[Case]:
    """No drawn input: the note's figures come from fixed seeds 0–2 (width 32, depth 20), which the check runs
    itself, so the one empty case re-measures exactly them."""
    return st.just({})


NOTE_CHECK = PropertyCheck(
    name="the note's measured figures: impl.vanishing.draw_weights and layer_gradients re-measure them",
    cases=_note_case,
    holds=_note_figures,
    reason="the four geometric-mean ratios re-measured through impl (fixed seeds 0–2, width 32, depth 20) must "
    "print as the note prints them (3 significant digits): no tolerance beyond the note's own rounding",
    planted={"sigmoid quoted as 0.25 (σ' = 1/4 attained)": lambda c: _note_figures(c, {**MEASURED, "sigmoid": 0.25})},
)


LAYER_RATIOS = Claim(
    uses=("sigmoid.chain-bound", "tanh.derivative", "residual.lower-bound"),
    id="vanishing.layer-ratios",
    title="Per-layer gradient-norm ratios: sigmoid ≤ ‖W‖₂/4, ReLU/tanh ≤ ‖W‖₂, residual ≥ 1 − ‖J_F‖₂",
    verdict=Verdict.TESTED,
    tested_reason="no symbolic derivation: the per-layer ratio bounds are checked as properties on drawn networks (the bounds' ingredients are proved in sigmoid.derivative, tanh.derivative and residual.lower-bound, but no derivation here chains them into this statement).",
    summary=(
        "The seed's adjacent-layer ratio r_l = ‖g_{l−1}‖/‖g_l‖ obeys, layer by layer: sigmoid r_l ≤ ‖W_l‖₂/4 "
        "(sigmoid.chain-bound with one layer), ReLU and tanh r_l ≤ ‖W_l‖₂ (|φ'| ≤ 1), residual r_l ≥ 1 − ‖J_F‖₂ "
        "(residual.lower-bound). These bounds are checked on every drawn stack through torch autograd. How small the "
        "ratios actually are is measured, not proved: see the notes."
    ),
    numeric=(
        PropertyCheck(
            name="layer-wise ratios through sigmoid / ReLU / tanh / residual stacks obey their bounds (autograd)",
            cases=stack_cases,
            holds=_ratio_bounds,
            reason="each bound is a lemma (submultiplicativity with ‖diag(φ')‖₂ ≤ 1/4 or 1; reverse triangle "
            "inequality); slack 64 ulps × (n + 4) relative for the rounding of the backward pass and the SVD",
            planted={
                "sigmoid ratio ≤ ‖W‖₂/8": lambda c: _ratio_bounds({**c, "kind": "sigmoid", "gain": 4.0}, 0.125),
                "residual ratio ≥ 1 (the skip never lets it shrink)": lambda c: _ratio_bounds(
                    {**c, "kind": "residual", "gain": 2.0}, residual_ok=False
                ),
            },
        ),
        NOTE_CHECK,
    ),
    sources=(),
    notes=(_measured_table(),),
)

# ── vanishing.ratio-direction (conditional) ───────────────────────────────────────────────────
nn_ = Symbol("n", integer=True, positive=True)  # number of layers between the two gradients
Gl, Gn, Wp, slack = symbols("G_l G_ln W_prod s", positive=True)
LATEX = {Gl: r"\lVert g_l \rVert", Gn: r"\lVert g_{l+n} \rVert", Wp: r"\prod \lVert W \rVert_2"}
DECAY = Derivation(
    "layers numbered from the output: g_{l+n} is n layers further from the loss",
    Gn / Gl,
    (
        Step(
            sp.Rational(1, 4) ** nn_ * Wp,
            "lemma",
            "sigmoid.chain-bound: ‖g_{l+n}‖ ≤ (1/4)^n ∏‖W‖₂ ‖g_l‖ when g_{l+n} is the one nearer the input.",
            "<=",
            Certificate(sp.Rational(1, 4) ** nn_ * Wp * slack / (1 + slack)),  # the gap under the hypothesis
        ),
        Step(Wp / 4**nn_, "rewrite", "Exponential decay in n whenever the weights' norms stay below 4 per layer."),
    ),
    where=((Gn, sp.Rational(1, 4) ** nn_ * Wp * Gl / (1 + slack)),),
)


def _input_first_witness() -> Witness:
    """A 12-layer sigmoid stack, width 16, seed 0, numbered from the input: ‖g_{l+n}‖/‖g_l‖ for l = 0."""
    w = van.draw_weights("sigmoid", 16, 12, 0)
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(16, generator=gen, dtype=torch.float64)
    up = torch.randn(16, generator=gen, dtype=torch.float64)
    _, grads = van.layer_gradients("sigmoid", w, x, up)
    ratios = [float(grads[k].norm() / grads[0].norm()) for k in (1, 4, 8, 12)]
    decreasing = all(a_ > b_ for a_, b_ in zip(ratios, ratios[1:]))
    return Witness(
        decreasing,
        "‖g_n‖/‖g_0‖ for n = 1, 4, 8, 12: " + ", ".join(f"{r_:.3g}" for r_ in ratios),
        "an exponentially decreasing sequence (the seed's sign of vanishing)",
        "it increases exponentially: with input-first numbering vanishing makes ‖g_{l+n}‖/‖g_l‖ grow",
        facts={"numbering": "from the input"},
    )


RATIO_DIRECTION = Claim(
    uses=("sigmoid.chain-bound",),
    id="vanishing.ratio-direction",
    title="‖g_{l+n}‖/‖g_l‖ decays exponentially under vanishing only if layers are numbered from the output",
    verdict=Verdict.CONDITIONAL,
    summary=(
        "The seed measures decay over n layers by ‖g_{l+n}‖/‖g_l‖ and reads an exponential decrease as vanishing. "
        "With its own numbering (from the input, Q1's z_i = W_i x_i) vanishing means the layers near the input get "
        "the small gradients: ‖g_l‖ ≪ ‖g_{l+n}‖, so this ratio GROWS (for sigmoid at least like 4^n/∏‖W‖₂, by "
        "sigmoid.chain-bound). The statement is right when layers are counted from the loss, or with the ratio "
        "inverted, ‖g_l‖/‖g_{l+n}‖ ≤ (1/4)^n ∏‖W‖₂."
    ),
    derivations=(DECAY,),
    counterexamples=(
        Counterexample("12-layer sigmoid stack numbered from the input: the ratio grows", run=_input_first_witness),
    ),
    hypothesis="layer indices count from the output (l + n is n layers further from the loss than l)",
    premise=Premise(holds=lambda w: w.facts["numbering"] == "from the output"),
    sources=(
        Source(
            shared.SEED001,
            "Q1 量化梯度消失的程度",
            "梯度的指数衰减率:假设在第 l 层和第 l + n 层的梯度分别为 g_l 和 g_{l+n},可以通过计算 ‖g_{l+n}‖/‖g_l‖ 来衡量梯度在 n 层之间的衰减程度。如果这个比值呈现指数级下降,就说明存在梯度消失问题。",
            "Exponential decay rate: with gradients g_l and g_{l+n} at layers l and l + n, ‖g_{l+n}‖/‖g_l‖ measures the decay over n layers; if it falls exponentially, gradients are vanishing. Conditional on the numbering: it decays under vanishing only if l + n is further from the loss than l.",
            line=9,
        ),
        Source(
            shared.SEED001,
            "Q1 量化梯度消失的程度",
            "可以计算相邻层梯度范数的比值,若比值远小于 1,则表明梯度在这两层之间衰减严重。",
            "One can compute the ratio of adjacent layers' gradient norms; a ratio far below 1 shows the gradient decays strongly between them. Conditional on the orientation, which the sentence leaves open: the ratio must put the layer further from the loss in the numerator (vanishing.ratio-direction).",
            line=8,
        ),
    ),
)

HEURISTICS = shared.not_formalizable(
    "vanishing.monitoring-heuristics",
    "Watching gradient norms and histograms over training reveals vanishing gradients",
    "The seed's monitoring advice (per-layer norms over iterations, TensorBoard histograms).",
    "methodology: these are diagnostics whose reading ('迅速减小', '越来越窄') has no threshold; the precise "
    "content is vanishing.layer-ratios and vanishing.ratio-direction",
    Source(
        shared.SEED001,
        "Q1 量化梯度消失的程度",
        "梯度范数:计算每一层参数的梯度的范数(通常使用L2范数)。在训练过程中,观察不同层的梯度范数随训练迭代的变化情况。"
        "如果某一层的梯度范数随着训练的进行迅速减小,甚至趋近于 0,就说明该层可能存在梯度消失问题。",
        "Gradient norms: compute each layer's parameter-gradient norm (usually L2) and watch it over training; if "
        "it drops quickly towards 0, that layer may suffer from vanishing gradients.",
        line=8,
    ),
    Source(
        shared.SEED001,
        "Q1 量化梯度消失的程度",
        "可视化梯度:使用可视化工具(如TensorBoard)绘制梯度的直方图或折线图,直观地观察梯度的分布和变化趋势。"
        "如果梯度的分布集中在接近 0 的区域,且随着训练的进行分布范围越来越窄,就可能存在梯度消失问题。",
        "Visualize gradients with tools such as TensorBoard; if they concentrate near 0 and narrow over training, "
        "gradients may be vanishing.",
        line=10,
    ),
)

# the id prefixes this topic owns (the registry refuses a claim of another prefix here, and a
# prefix two topics declare)
PREFIXES = ("vanishing", "gradients", "sgd")

CLAIMS = [CHAIN_PRODUCT, HEURISTICS, LAYER_RATIOS, RATIO_DIRECTION]


# ── issue 11: 003 §2.1 in its own direction ───────────────────────────────────────────────────────────
_r = Symbol("r", nonnegative=True)  # ‖J_L⋯J_1 e₁‖ after 20 layers
_A_NIL, _B_NIL = sp.Matrix([[0, 1], [0, 0]]), sp.Matrix([[0, 0], [1, 0]])
_A_2, _B_2 = sp.diag(2, sp.Rational(1, 2)), sp.diag(sp.Rational(1, 2), 2)
BAD_EIGENVALUES_REFUTES_1 = sp.Lt(_r, sp.Rational(1, 2))  # the statement vanishing.bad-eigenvalues refutes
BAD_EIGENVALUES_REFUTES_2 = sp.Gt(_r, 2)  # the statement vanishing.bad-eigenvalues refutes

BAD_EIGENVALUES = Claim(
    id="vanishing.bad-eigenvalues",
    title="Eigenvalues far from 1 do not force vanishing or exploding: layers with eigenvalues 0 (or 2 and ½) can pass "
    "the gradient unchanged",
    verdict=Verdict.REFUTED,
    refutes=(
        BAD_EIGENVALUES_REFUTES_1,
        BAD_EIGENVALUES_REFUTES_2,
    ),
    summary=(
        "Seed 003 §2.1: if the weight matrices' eigenvalue distribution is unreasonable, gradients vanish or explode. "
        "Layers alternating A = [[0,1],[0,0]] and B = [[0,0],[1,0]] have every eigenvalue 0 — as far below 1 as "
        "eigenvalues go — yet AB = diag(1, 0), so after 20 layers e₁ arrives with norm exactly 1: no vanishing, no "
        "explosion. Likewise diag(2, ½) and diag(½, 2) (eigenvalues 2 and ½) multiply to I. A product of different "
        "matrices is governed by its own structure (singular values, alignment), not by each factor's eigenvalues; "
        "the converse direction is vanishing.eigenvalues."
    ),
    counterexamples=(
        Counterexample(
            "A = [[0,1],[0,0]], B = [[0,0],[1,0]] (eigenvalues all 0), 20 layers: ‖(AB)^10 e₁‖ = 1, not < ½ (vanishing)",
            relation=BAD_EIGENVALUES_REFUTES_1,
            point={_r: sp.sqrt((((_A_NIL * _B_NIL) ** 10) * sp.Matrix([1, 0])).norm() ** 2)},
        ),
        Counterexample(
            "A = diag(2, ½), B = diag(½, 2) (eigenvalues 2 and ½), 20 layers: ‖(AB)^10 e₁‖ = 1, not > 2 (exploding)",
            relation=BAD_EIGENVALUES_REFUTES_2,
            point={_r: sp.sqrt((((_A_2 * _B_2) ** 10) * sp.Matrix([1, 0])).norm() ** 2)},
        ),
    ),
    sources=(
        Source(
            sentence=S003_L13,
            gloss="If the eigenvalue distribution of the weight matrices is unreasonable (far from 1), gradients vanish or explode. Refuted in the sentence's own direction: eigenvalues far from 1 need not make them vanish or explode.",
            assertion="如果网络层的权重矩阵特征值分布不合理,就会出现梯度消失或梯度爆炸的现象",
        ),
    ),
)
CLAIMS += [BAD_EIGENVALUES]


# ── moved here from seedchecks.py / seedclaims.py (issue 10: a topic owns its id prefixes) ───────
# (their old links keep working: see derivations/_moved.py)

i_par = Symbol("i", integer=True, positive=True)  # a parameter index (sgd.update-size)
n_par = Symbol("n", integer=True, positive=True)  # the number of parameters
alpha = Symbol("alpha", positive=True)  # the learning rate
theta, g = (IndexedBase(name, real=True) for name in ("theta", "g"))


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


EIGENVALUES_REFUTES = sp.Le(Symbol("r"), sp.Integer(1))  # the statement vanishing.eigenvalues refutes

EIGENVALUES = Claim(
    id="vanishing.eigenvalues",
    title="The weight matrices' eigenvalues do not decide vanishing or exploding gradients",
    verdict=Verdict.REFUTED,
    refutes=(EIGENVALUES_REFUTES,),
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
            relation=EIGENVALUES_REFUTES,
            point={Symbol("r"): sp.sqrt(((sp.Matrix([[2, 1], [1, 1]]) ** 10) * sp.Matrix([1, 0])).norm() ** 2)},
        ),
        Counterexample("the same 20 layers, both directions, exactly", run=_eigen_witness),
    ),
    sources=(),
)


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
    gen = shared.seeded(case["seed"])
    p = torch.nn.Parameter(torch.randn(case["n"], generator=gen, dtype=torch.float64))
    grad = case["scale"] * torch.randn(case["n"], generator=gen, dtype=torch.float64)
    before = p.detach().clone()
    p.grad = grad.clone()
    torch.optim.SGD([p], lr=case["lr"]).step()
    step = float((p.detach() - before).norm())
    want = predicted(case["lr"], float(grad.norm()))
    # one rounding in θ − lr·g per entry: |error| ≤ 2u(|θ| + lr|g|) per entry, summed in 2-norm
    bound = 4 * shared.UNIT_ROUNDOFF * float((before.abs() + case["lr"] * grad.abs()).norm()) + 1e-300
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
            Sum((theta[i_par] - (theta[i_par] - alpha * g[i_par])) ** 2, (i_par, 1, n_par)),
            (
                Step(
                    Sum(alpha**2 * g[i_par] ** 2, (i_par, 1, n_par)),
                    "cancel θ",
                    "each entry of θ_new − θ_old is −α g_i",
                ),
                Step(
                    alpha**2 * Sum(g[i_par] ** 2, (i_par, 1, n_par)), "pull α² out of the sum", "α does not depend on i"
                ),
            ),
            sizes={n_par: (1, 2, 3, 4)},
        ),
    ),
    numeric=(SGD_CHECK,),
    sources=(
        Source(
            sentence=shared.S003_L63,
            gloss="Parameter updates depend on the gradient (an SGD step is −α∂L/∂θ).",
            assertion="模型的参数更新依赖于梯度",
        ),
        Source(
            shared.SEED003,
            "3.4.1",
            "当梯度趋近于零时,根据参数更新公式 θ_new = θ_old − α ∂L/∂θ(其中 θ 是模型参数,α 是学习率),参数的更新量会变得极小,几乎可以忽略不计。",
            "When the gradient tends to zero, by θ_new = θ_old − α ∂L/∂θ (α the learning rate) the update becomes extremely small, almost negligible.",
            line=65,
        ),
        Source(
            shared.SEED003,
            "3.4.2",
            "梯度不过小保证了参数能够持续更新,避免因梯度消失而停止学习;梯度不过大则防止了梯度爆炸,使参数更新处于一个可控的范围内。",
            "A gradient that is not too small keeps parameters updating; one that is not too large prevents explosion and keeps the updates in a controllable range: both by the SGD step −α∂L/∂θ, whose length is α‖∂L/∂θ‖.",
            line=71,
        ),
    ),
)


LONG_SEQUENCES = shared.not_formalizable(
    "gradients.long-sequences",
    "Vanishing/exploding gradients are common in Transformers, especially on long sequences",
    "A motivating remark. In a Transformer the backward path's length is set by the depth, not by the "
    "sequence length; whether long sequences make training less stable in practice is an empirical question.",
    shared.EMPIRICAL + " (and 'common' has no measure attached).",
    Source(
        shared.SEED000,
        "intro",
        "在Transformer模型中,梯度消失和梯度爆炸是深度学习中常见的问题,尤其是在处理长序列数据时。",
        "In Transformer models, vanishing and exploding gradients are common problems in deep learning, "
        "especially when processing long sequence data.",
        line=3,
    ),
    Source(
        shared.SEED000,
        "二",
        "在Transformer模型中,梯度消失和梯度爆炸是深度学习中常见的问题,尤其是在处理长序列数据时。为了克服这些问题,Transformer采用了一系列技术:",
        "(Repeated) ... To overcome these problems the Transformer uses a series of techniques:",
        line=7,
    ),
)


GRAD_DEFINITIONS = shared.not_formalizable(
    "gradients.definitions",
    "What vanishing and exploding gradients are",
    "Definitions in words (gradients tending to zero, or growing until updates overflow); the measurable "
    "version, layer-wise gradient-norm ratios, is in the vanishing-gradient records.",
    "A definition in words, not a statement that could be true or false.",
    Source(
        shared.SEED003,
        "2.1",
        "梯度消失意味着梯度在反向传播过程中逐渐趋近于零,导致模型参数更新极为缓慢甚至停滞,使得模型无法有效地学习到数据中的深层次特征。",
        "Vanishing gradients: the gradient tends to zero during backpropagation, so updates are very slow or "
        "stall; exploding gradients grow until updates are too large, training diverges or parameters overflow.",
        line=15,
    ),
)


CLAIMS += [EIGENVALUES, SGD_UPDATE, LONG_SEQUENCES, GRAD_DEFINITIONS]
