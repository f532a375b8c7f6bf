"""Positional information: permutation equivariance, sinusoidal codes, RoPE, ALiBi, PI, NTK scaling.

Seeds 001 Q11 and 004. What is proved, and how:

- attention without positions is permutation-*equivariant*, Attn(PX) = P·Attn(X), for symbolic
  n, d, d_k, d_v (matrix tier + dlproofs/perm.py: Pᵀ = P⁻¹ and softmax_rows(PMPᵀ) = P·softmax_rows(M)·Pᵀ,
  cross-checked entrywise at concrete sizes); "cannot tell 猫追狗 from 狗追猫" is conditional: a
  causal mask breaks the symmetry;
- sinusoidal codes, RoPE: per frequency pair with symbolic angles (the simplify tier decides the
  angle-sum identities; refutation at rational points shows each step can fail); the sum over
  pairs is term by term;
- ALiBi, PI, NTK: rational identities (log-frequencies for NTK, so powers with symbolic exponents
  stay rational).
Numeric checks run impl/positional.py against independent references (complex multiplication,
F.scaled_dot_product_attention, the ALiBi authors' get_slopes, the Annotated Transformer's PE).
"""

from __future__ import annotations

import math

import dlproofs.impl.positional as pos
import sympy as sp
import torch
import torch.nn.functional as F
from dlproofs.derivations import _shared as shared
from hypothesis import strategies as st
from sympy import Abs, Eq, MatrixSymbol, Symbol, cos, pi, sin, sqrt, symbols

from dlproofs.claim import Claim, Counterexample, Derivation, Premise, Sentence, Source, Step, Verdict, Witness
from dlproofs.contract import Contract, Locator, Variant
from dlproofs.lemmas import Certificate
from dlproofs.numeric import Case, CrossCheck, Outcome, PropertyCheck, Tolerance
from dlproofs.perm import Perm, RowSoftmax
from dlproofs.profiles import EVIDENCE_FLOOR
from dlproofs.strategies import scales, tensors

U = torch.finfo(torch.float64).eps

# ── permutation equivariance (matrix tier, symbolic sizes) ─────────────────────────────────────
n, d, d_k, d_v = symbols("n d d_k d_v", integer=True, positive=True)
P = Perm("P", n, n)
X = MatrixSymbol("X", n, d)
W_q, W_k, W_v = MatrixSymbol("W_q", d, d_k), MatrixSymbol("W_k", d, d_k), MatrixSymbol("W_v", d, d_v)
S_X = X * W_q * W_k.T * X.T / sqrt(d_k)


def _attn(x):
    return RowSoftmax((x * W_q) * (x * W_k).T / sqrt(d_k)) * (x * W_v)


PERM_SIZES = {n: (1, 2, 3), d: (1, 2, 1), d_k: (1, 1, 2), d_v: (1, 2, 1)}
PERM_DERIV = Derivation(
    "Attn(PX) for a permutation matrix P",
    _attn(P * X),
    (
        Step(
            RowSoftmax(P * S_X * P.T) * P * X * W_v,
            "transpose of a product",
            "(PXW_k)ᵀ = W_kᵀXᵀPᵀ: the scores of the permuted input are P S Pᵀ, S = XW_qW_kᵀXᵀ/√d_k.",
        ),
        Step(
            P * RowSoftmax(S_X) * P.T * P * X * W_v,
            "softmax is permutation-equivariant",
            "Permuting rows permutes the output rows; permuting every row's entries by one σ permutes "
            "them, since each row's normaliser sums over all keys (dlproofs/perm.py, checked entrywise).",
        ),
        Step(P * _attn(X), "PᵀP = I", "A permutation matrix is orthogonal: the value rows are re-ordered back."),
    ),
    sizes=PERM_SIZES,
)


@st.composite
def attn_cases(draw: st.DrawFn, *, min_n: int = 1) -> Case:
    """x [n, d], weights from a drawn seed, a drawn permutation of the n positions."""
    n_ = draw(st.integers(min_n, 5))
    d_, dk_, dv_ = draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 3))
    gen = torch.Generator().manual_seed(draw(st.integers(0, 2**32 - 1)))
    w = [torch.randn(d_, c, generator=gen, dtype=torch.float64) / math.sqrt(d_) for c in (dk_, dk_, dv_)]
    return {
        "x": draw(tensors((n_, d_), scale=draw(scales()))),
        "w_q": w[0],
        "w_k": w[1],
        "w_v": w[2],
        "perm": list(draw(st.permutations(range(n_)))),
    }


def _attn_scale(c: Case) -> float:
    """max|x w_v|·(1 + max|q|·max|k|·√d_k)·n: the sdpa rounding scale (see attention.sdpa)."""
    q, k, v = c["x"] @ c["w_q"], c["x"] @ c["w_k"], c["x"] @ c["w_v"]
    logits = float(q.abs().max()) * float(k.abs().max()) * math.sqrt(q.shape[-1])
    return (float(v.abs().max()) + 1e-300) * (1 + logits) * c["x"].shape[0] * c["x"].shape[1]


ATTN_TOL = Tolerance(
    32,
    "the permuted run sums each softmax row and each output in another order: as attention.sdpa, "
    "scale = max|xW_v|·(1 + max|q|·max|k|·√d_k)·n·d",
    _attn_scale,
)


def _sdpa(x, c, mask=None):
    q, k, v = x @ c["w_q"], x @ c["w_k"], x @ c["w_v"]
    return F.scaled_dot_product_attention(q[None], k[None], v[None], attn_mask=mask)[0]


def _causal(n_: int) -> torch.Tensor:
    return torch.zeros(n_, n_, dtype=torch.float64).masked_fill(torch.ones(n_, n_, dtype=torch.bool).triu(1), -math.inf)


def _attn_example(n_: int, dk_: int, dv_: int, perm: list[int], seed: int) -> Case:
    """An attn_cases case with d = n: generic x over U[−1, 1), weights N(0, 1)/√d from ``seed``."""
    gen = torch.Generator().manual_seed(seed)
    w = [torch.randn(n_, c, generator=gen, dtype=torch.float64) / math.sqrt(n_) for c in (dk_, dk_, dv_)]
    x = torch.rand(n_, n_, generator=gen, dtype=torch.float64) * 2 - 1
    return {"x": x, "w_q": w[0], "w_k": w[1], "w_v": w[2], "perm": perm}


PERM_CHECK = CrossCheck(
    name="Attn(x[σ]) = Attn(x)[σ]: impl and F.scaled_dot_product_attention on the permuted input",
    cases=attn_cases,
    expected=lambda c: pos.self_attention(c["x"], c["w_q"], c["w_k"], c["w_v"])[c["perm"]],
    references={
        "impl.positional.self_attention(x[σ])": lambda c: pos.self_attention(
            c["x"][c["perm"]], c["w_q"], c["w_k"], c["w_v"]
        ),
        "F.scaled_dot_product_attention(x[σ])": lambda c: _sdpa(c["x"][c["perm"]], c),
    },
    tolerance=ATTN_TOL,
    # run before the drawn cases: n = d = d_k = 3, d_v = 2, a 3-cycle (attn_cases' domain); with x square a
    # projection multiplied in the other order stays well-formed and is compared with F.sdpa by value
    examples=(_attn_example(3, 3, 2, [2, 0, 1], 4),),
    planted={
        "invariance: Attn(PX) = Attn(X)": lambda c: pos.self_attention(c["x"], c["w_q"], c["w_k"], c["w_v"]),
        "the inverse permutation: Attn(PX) = PᵀAttn(X)": lambda c: pos.self_attention(
            c["x"], c["w_q"], c["w_k"], c["w_v"]
        )[torch.argsort(torch.tensor(c["perm"])).tolist()],
    },
)

S004_L60 = Sentence(
    file=shared.SEED004,
    section="为什么要引入位置编码",
    line=60,
    quote="上面两句话所使用的的单词完全一样,但是所表达的句意却截然相反。那么,引入词序信息有助于区别这两句话的意思。",
)


PERMUTATION = Claim(
    id="pe.permutation-equivariance",
    title="Without positions, self-attention is permutation-equivariant: Attn(PX) = P·Attn(X)",
    verdict=Verdict.PROVED,
    summary=(
        "For any permutation matrix P and any n, d, d_k, d_v: the scores of PX are P S Pᵀ, the row-wise softmax "
        "commutes with that conjugation, and PᵀP = I, so Attn(PX) = P·Attn(X). Re-ordering the tokens re-orders "
        "the outputs and changes nothing else: each token's output is the same vector whatever the order. The "
        "seed's 'does not depend on the order' is this equivariance (not invariance: the outputs do move)."
    ),
    derivations=(PERM_DERIV,),
    numeric=(PERM_CHECK,),
    assumptions=("no mask, no positional encoding; softmax over all n keys",),
    sources=(
        Source(
            shared.SEED001,
            "Q11",
            "Transformer通过自注意力机制建模序列关系,但自注意力本身不依赖输入顺序。",
            "The Transformer models sequences with self-attention, but self-attention itself does not depend on the order of the input: it is permutation-equivariant. '自注意力本身' read as bare self-attention, without any position signal — a causal mask is itself one (pe.no-position-indistinguishable).",
            line=177,
        ),
        Source(
            sentence=S004_L60,
            gloss="Word-order information helps (hedged: 有助于) tell the two sentences apart: witnessed — without it, unmasked self-attention maps the two orders to permutations of the same outputs (Attn(PX) = P·Attn(X)), so an order-independent readout cannot distinguish them.",
            assertion="那么,引入词序信息有助于区别这两句话的意思",
            kind="hedged",
        ),
    ),
)


# ── conditional: "cannot tell 猫追狗 from 狗追猫" ─────────────────────────────────────────────
def _pooled(c: Case, *, causal: bool, permuted: bool) -> torch.Tensor:
    x = c["x"][c["perm"]] if permuted else c["x"]
    mask = _causal(x.shape[0]) if causal else None
    return pos.self_attention(x, c["w_q"], c["w_k"], c["w_v"], mask).mean(0)


def _indistinguishable(c: Case, *, causal: bool = False) -> Outcome:
    """Any order-independent readout (here the mean of the outputs) is the same for both orders."""
    a, b = _pooled(c, causal=causal, permuted=False), _pooled(c, causal=causal, permuted=True)
    err, bound = float((a - b).abs().max()), ATTN_TOL.bound(c, torch.float64)
    return Outcome(err <= bound, err, bound, f"readouts differ by {err:.3g} (bound {bound:.3g})")


def _cat_dog_witness() -> Witness:
    """猫追狗 vs 狗追猫 through a causal attention layer: the mean readouts differ."""
    gen = torch.Generator().manual_seed(0)
    emb = {w: torch.randn(4, generator=gen, dtype=torch.float64) for w in ("猫", "追", "狗")}
    w = [torch.randn(4, 4, generator=gen, dtype=torch.float64) / 2 for _ in range(3)]
    outs = []
    for sent in ("猫追狗", "狗追猫"):
        x = torch.stack([emb[ch] for ch in sent])  # [3, 4]
        outs.append(pos.self_attention(x, *w, _causal(3)).mean(0))
    gap = float((outs[0] - outs[1]).abs().max())
    return Witness(
        holds=gap == 0.0,
        lhs=f"mean readout(猫追狗)[0] = {float(outs[0][0])!r}",
        rhs=f"mean readout(狗追猫)[0] = {float(outs[1][0])!r}",
        detail=f"causal self-attention, no positional encoding, seeded weights: readouts differ by {gap:.3g}",
        facts={"causal": True},
    )


NO_POSITION = Claim(
    uses=("pe.permutation-equivariance",),
    id="pe.no-position-indistinguishable",
    title="Without positions, re-ordered sentences are indistinguishable — only for unmasked attention",
    verdict=Verdict.CONDITIONAL,
    summary=(
        "Under the hypothesis (bidirectional self-attention, every later layer applied position-wise, an "
        "order-independent readout), 猫追狗 and 狗追猫 give each token the same vector "
        "(pe.permutation-equivariance), so nothing downstream can tell them apart. Without the hypothesis the "
        "sentence is false: a causal mask is not permutation-equivariant — the first token sees only itself — "
        "so a decoder without positional encodings does distinguish the two orders (witness below)."
    ),
    derivations=(PERM_DERIV,),
    numeric=(
        PropertyCheck(
            name="unmasked: the mean readout is the same for x and x[σ]",
            cases=attn_cases,
            holds=_indistinguishable,
            reason="equal up to the rounding of attention in another summation order (ATTN_TOL)",
            planted={"with a causal mask": lambda c: _indistinguishable(c, causal=True)},
        ),
    ),
    counterexamples=(Counterexample("causal attention tells 猫追狗 from 狗追猫", run=_cat_dog_witness),),
    hypothesis="no causal mask: bidirectional self-attention, position-wise layers, an order-independent readout",
    premise=Premise(holds=lambda w: not w.facts["causal"]),
    sources=(
        Source(
            shared.SEED001,
            "Q11",
            "若缺乏位置编码,模型将无法区分“猫追狗”和“狗追猫”这样的顺序差异。",
            "Without positional encoding the model could not tell apart orders such as 'cat chases dog' and "
            "'dog chases cat'.",
            177,
        ),
        Source(
            shared.SEED004,
            "为什么要引入位置编码",
            "当抛弃循环神经网络结构,完全采用 Attention 取而代之,这些词序信息就会丢失,模型就没有办法知道每个词在句子中的相对和绝对的位置信息。",
            "Dropping the RNN and using attention only, the word-order information is lost and the model has no "
            "way to know each word's relative and absolute position.",
            62,
        ),
    ),
)

# ── sinusoidal encodings (per frequency pair, symbolic angles) ────────────────────────────────
w, p, k, q_ = symbols("omega p k q", real=True)
W11, W12, W21, W22 = symbols("W_11 W_12 W_21 W_22", real=True)  # W_qW_kᵀ on one frequency pair
a_, b_ = symbols("a b", real=True)
SIN_ROT = Derivation(
    "PE_sin(p + k) for one frequency ω",
    sin(w * (p + k)),
    (
        Step(
            cos(w * k) * sin(w * p) + sin(w * k) * cos(w * p),
            "angle sum",
            "sin(A + B) = sin A cos B + cos A sin B: coefficients depend on k and ω only.",
        ),
    ),
)
COS_ROT = Derivation(
    "PE_cos(p + k) for one frequency ω",
    cos(w * (p + k)),
    (
        Step(
            -sin(w * k) * sin(w * p) + cos(w * k) * cos(w * p),
            "angle sum",
            "cos(A + B) = cos A cos B − sin A sin B: with the line above, (sin, cos)(p + k) = M_k (sin, cos)(p), "
            "M_k = [[cos ωk, sin ωk], [−sin ωk, cos ωk]], a rotation.",
        ),
    ),
)


@st.composite
def pe_cases(draw: st.DrawFn) -> Case:
    """d = 2..16 (even), p = 0 or 0..5000, k = 0 or −2000..2000 (p + k may be negative), base ∈ {1e4, 100, 5e5}:
    k = 0 (identity rotation), far positions where the rounding of ω·p grows with p, and several bases."""
    return {
        "d": 2 * draw(st.integers(1, 8)),
        "p": draw(st.one_of(st.just(0), st.integers(0, 5000))),
        "k": draw(st.one_of(st.just(0), st.integers(-2000, 2000))),
        "base": draw(st.sampled_from([10000.0, 100.0, 500000.0])),
    }


def _pe_row(c: Case, p_: int) -> torch.Tensor:
    return pos.sinusoidal_pe(1, c["d"], c["base"], start=p_)[0]


def _annotated_pe(c: Case, p_: int) -> torch.Tensor:
    """The Annotated Transformer's formula: div_term = exp(arange(0, d, 2)·(−ln base/d))."""
    div = torch.exp(torch.arange(0, c["d"], 2, dtype=torch.float64) * (-math.log(c["base"]) / c["d"]))
    out = torch.empty(c["d"], dtype=torch.float64)
    out[0::2], out[1::2] = torch.sin(p_ * div), torch.cos(p_ * div)
    return out


def _rotate_pairs(vec: torch.Tensor, c: Case, k_: float) -> torch.Tensor:
    """blockdiag(M_k) applied to (sin, cos) pairs."""
    om = pos.rope_frequencies(c["d"], c["base"])
    s_, c_ = vec[0::2], vec[1::2]
    out = torch.empty_like(vec)
    out[0::2] = torch.cos(om * k_) * s_ + torch.sin(om * k_) * c_
    out[1::2] = -torch.sin(om * k_) * s_ + torch.cos(om * k_) * c_
    return out


PE_TOL = Tolerance(
    8,
    "sin/cos of angles up to ~1e4 rad: the argument p·ω carries |p·ω|·u of rounding, so errors scale with "
    "1 + |p| + |k| (both formulas for ω = base^(−2i/d) agree to a few ulps of ω)",
    lambda c: 1 + abs(c["p"]) + abs(c["k"]),
)

SINUSOIDAL_ROTATION = Claim(
    id="pe.sinusoidal-rotation",
    title="PE(p + k) is a fixed rotation of PE(p): a linear map that depends only on the offset k",
    verdict=Verdict.PROVED,
    summary=(
        "Per frequency ω_i = base^(−2i/d), the pair (sin ω_i p, cos ω_i p) at p + k is M_k times the pair at p, "
        "M_k = [[cos ω_i k, sin ω_i k], [−sin ω_i k, cos ω_i k]] (angle-sum formulas, symbolic p, k, ω). So "
        "PE(p + k) = blockdiag(M_k)·PE(p) for every p: the linear relation Vaswani et al. give as the reason for "
        "sinusoids. Checked against impl and the Annotated Transformer's exp/log formula."
    ),
    derivations=(SIN_ROT, COS_ROT),
    numeric=(
        CrossCheck(
            name="PE(p + k) = blockdiag(M_k)·PE(p)",
            cases=pe_cases,
            expected=lambda c: _rotate_pairs(_pe_row(c, c["p"]), c, c["k"]),
            references={
                "impl.sinusoidal_pe(p + k)": lambda c: _pe_row(c, c["p"] + c["k"]),
                "Annotated Transformer PE(p + k)": lambda c: _annotated_pe(c, c["p"] + c["k"]),
            },
            tolerance=PE_TOL,
            planted={
                "the inverse rotation M_{−k}": lambda c: _rotate_pairs(_pe_row(c, c["p"]), c, -c["k"]),
                "additive: PE(p + k) = PE(p) + PE(k)": lambda c: _pe_row(c, c["p"]) + _pe_row(c, c["k"]),
            },
        ),
    ),
    sources=(
        Source(
            shared.SEED004,
            "RoPE 位置编码",
            "绝对位置编码:最原始的正余弦位置编码(即sinusoidal位置编码)是一种绝对位置编码,但从其原理中的正余弦的和差化积公式来看,引入的其实也是相对位置编码。",
            "But from the angle-sum formulas of sin and cos, what it introduces is in fact also relative position encoding. Judged reading (rule 2): as the Transformer paper motivates it — by the angle-sum formulas PE(p + k) is a fixed linear map (a rotation M_k) of PE(p), depending on the offset k only; whether attention scores then depend on the offset alone is a further condition (pe.sinusoidal-attention-relative).",
            line=75,
            assertion="但从其原理中的正余弦的和差化积公式来看,引入的其实也是相对位置编码",
        ),
    ),
)

DOT_PAIR = Derivation(
    "one pair's contribution to PE(p)·PE(p + k)",
    sin(w * p) * sin(w * (p + k)) + cos(w * p) * cos(w * (p + k)),
    (Step(cos(w * k), "cos(A − B)", "cos A cos B + sin A sin B = cos(A − B), with A − B = −ωk; cos is even."),),
)
DOT_PRODUCT = Claim(
    id="pe.sinusoidal-dot-product",
    title="PE(p)·PE(p + k) = Σ_i cos(ω_i k): it depends on the offset only, and not on its sign",
    verdict=Verdict.PROVED,
    summary=(
        "Each frequency pair contributes cos(ω_i k) (symbolic p, k, ω); summing the d/2 pairs gives Σ_i cos(ω_i k), "
        "independent of p. Since cos is even, PE(p)·PE(p + k) = PE(p)·PE(p − k): the raw dot product cannot tell "
        "'k ahead' from 'k behind'."
    ),
    derivations=(DOT_PAIR,),
    numeric=(
        CrossCheck(
            name="PE(p)·PE(p + k) = Σ cos(ω_i k)",
            cases=pe_cases,
            expected=lambda c: torch.cos(pos.rope_frequencies(c["d"], c["base"]) * c["k"]).sum(),
            references={
                "impl.sinusoidal_pe dot": lambda c: _pe_row(c, c["p"]) @ _pe_row(c, c["p"] + c["k"]),
                "Annotated Transformer dot, offset −k": lambda c: (
                    _annotated_pe(c, c["p"] + c["k"]) @ _annotated_pe(c, c["p"] + 2 * c["k"])
                ),
            },
            tolerance=Tolerance(
                8,
                "as pe.sinusoidal-rotation, summed over d/2 pairs",
                lambda c: c["d"] * (1 + 2 * abs(c["p"]) + 4 * abs(c["k"])),
            ),
            planted={
                "Σ cos(ω_i (p + k)) (depends on p)": lambda c: torch.cos(
                    pos.rope_frequencies(c["d"], c["base"]) * (c["p"] + c["k"])
                ).sum(),
                "Σ sin(ω_i k)": lambda c: torch.sin(pos.rope_frequencies(c["d"], c["base"]) * c["k"]).sum(),
            },
        ),
    ),
    sources=(),
)

# conditional: after the projections the score is not a function of k alone
W_PAIR_SCORE = Derivation(
    "one pair with W restricted to a scaled rotation [[a, b], [−b, a]]",
    sin(w * p) * (a_ * sin(w * (p + k)) + b_ * cos(w * (p + k)))
    + cos(w * p) * (-b_ * sin(w * (p + k)) + a_ * cos(w * (p + k))),
    (
        Step(
            a_ * cos(w * k) - b_ * sin(w * k),
            "angle sums",
            "a(sin sin' + cos cos') + b(sin cos' − cos sin') = a cos ωk + b sin(−ωk): no p left.",
        ),
    ),
)


def _proj_score(c: Case, p_: int, general: bool) -> float:
    """PE(p)ᵀ W PE(p + k), W block-diagonal scaled rotations (hypothesis) or a generic W."""
    d_ = c["d"]
    gen = torch.Generator().manual_seed(c["seed"])
    if general:
        wm = torch.randn(d_, d_, generator=gen, dtype=torch.float64)
    else:
        wm = torch.zeros(d_, d_, dtype=torch.float64)
        for i in range(0, d_, 2):
            a, b = torch.randn(2, generator=gen, dtype=torch.float64).tolist()
            wm[i : i + 2, i : i + 2] = torch.tensor([[a, b], [-b, a]], dtype=torch.float64)
    return float(_pe_row(c, p_) @ wm @ _pe_row(c, p_ + c["k"]))


def _relative_only(c: Case, general: bool = False) -> Outcome:
    s1, s2 = _proj_score(c, c["p"], general), _proj_score(c, c["p2"], general)
    bound = 64 * U * c["d"] * (1 + abs(c["p"]) + abs(c["p2"]) + abs(c["k"]))
    return Outcome(abs(s1 - s2) <= bound, abs(s1 - s2), bound, f"score at p={c['p']}: {s1!r}, at p={c['p2']}: {s2!r}")


@st.composite
def proj_cases(draw: st.DrawFn) -> Case:
    """As pe_cases, plus a second position p' ≠ p in 0..5000 and a seed for W (N(0, 1) entries in 2×2 scaled
    rotations, the hypothesis): scores at two unrelated positions, p + k up to 7000."""
    c = draw(pe_cases())
    c["p2"] = draw(st.integers(0, 5000).filter(lambda v: v != c["p"]))
    c["seed"] = draw(st.integers(0, 2**32 - 1))
    return c


# what the counterexamples refute: the statement without the hypothesis
PE_SINUSOIDAL_ATTENTION_RELATIVE_UNCONDITIONAL = Eq(sin(w * p) * sin(w * (p + k)), sin(w * q_) * sin(w * (q_ + k)))
SIN_ATTENTION = Claim(
    uses=("pe.sinusoidal-dot-product",),
    id="pe.sinusoidal-attention-relative",
    title="The position–position term PE(p)ᵀW_qW_kᵀPE(p + k) depends on k alone if W_qW_kᵀ is block-diagonal over "
    "the frequency pairs with scaled-rotation blocks (content–position cross terms stay absolute)",
    verdict=Verdict.CONDITIONAL,
    refutes=(PE_SINUSOIDAL_ATTENTION_RELATIVE_UNCONDITIONAL,),  # without the hypothesis
    summary=(
        "Seed 004 reads the angle-sum formulas as 'absolute sinusoidal codes in fact introduce relative position "
        "encoding'. True for the raw dot product (pe.sinusoidal-dot-product) and, more generally, when "
        "W = W_qW_kᵀ acts on each frequency pair as a scaled rotation [[a, b], [−b, a]] (then the score is "
        "a cos ωk − b sin ωk per pair, symbolic). A learned W need not: with W = diag(1, 0) (d = 2, ω = 1, k = 0) "
        "the score PE(p)ᵀ W PE(p) = sin²p is 0 at p = 0 and 1 at p = π/2. Only the position–position term is "
        "judged: with inputs x_p + PE(p) the score also has the cross terms x_pᵀW PE(p + k) + PE(p)ᵀW x_{p+k}, "
        "which for fixed contents depend on the absolute position whenever Wᵀx_p ≠ 0 (a content vector is not "
        "rotated with p), so the "
        "full attention score is not relative under this hypothesis. A W coupling two different frequencies also "
        "leaves p in the score (sin(ω_i p)·sin(ω_j(p + k)) with ω_i ≠ ω_j); the hypothesis excludes it."
    ),
    derivations=(W_PAIR_SCORE,),
    numeric=(
        PropertyCheck(
            name="under the hypothesis the score at p and at p' agree",
            cases=proj_cases,
            holds=_relative_only,
            reason="exactly equal in real arithmetic; slack 64 u·d·(1 + |p| + |p'| + |k|) for the sin/cos arguments",
            planted={"a generic learned W": lambda c: _relative_only(c, general=True)},
        ),
    ),
    counterexamples=(
        Counterexample(
            "W = diag(1, 0), ω = 1, k = 0: the score depends on p",
            relation=PE_SINUSOIDAL_ATTENTION_RELATIVE_UNCONDITIONAL,
            point={w: 1, k: 0, p: 0, q_: pi / 2, W11: 1, W12: 0, W21: 0, W22: 0},
        ),
    ),
    hypothesis=(
        "W = W_qW_kᵀ is block-diagonal over the frequency pairs (no coupling between frequencies) and each 2×2 block "
        "is a scaled rotation [[a, b], [−b, a]] (commutes with the rotations M_k); the statement is about the "
        "position–position term only, not the content–position cross terms"
    ),
    premise=Premise(relation=sp.And(Eq(W11, W22), Eq(W12, -W21))),  # [[a, b], [−b, a]]
    sources=(),
)

PAIR_NORM = Derivation(
    "one pair's squared norm",
    sin(w * p) ** 2 + cos(w * p) ** 2,
    (Step(sp.S.One, "Pythagoras", "sin² + cos² = 1 for every p: ‖PE(p)‖² = d/2, every entry in [−1, 1]."),),
)


def _any_length(c: Case, norm: float | None = None) -> Outcome:
    pe = pos.sinusoidal_pe(3, c["d"], c["base"], start=c["far"])
    want = math.sqrt(c["d"] / 2) if norm is None else norm
    err = float((pe.norm(dim=1) - want).abs().max())
    ok = bool(torch.isfinite(pe).all()) and float(pe.abs().max()) <= 1 and err <= 16 * U * c["d"]
    return Outcome(ok, err, 16 * U * c["d"], f"positions {c['far']}..{c['far'] + 2}: norms {pe.norm(dim=1).tolist()}")


def _far_position_cases() -> st.SearchStrategy[Case]:
    """d = 2..32 (even), base ∈ {1e4, 100}, position 512 or 0..10⁷: far beyond any training length, where sin
    and cos of large arguments must still give |PE| ≤ 1 and the norm √(d/2)."""
    return st.fixed_dictionaries(
        {
            "d": st.integers(1, 16).map(lambda v: 2 * v),
            "base": st.sampled_from([10000.0, 100.0]),
            "far": st.one_of(st.just(512), st.integers(0, 10**7)),
        }
    )


S001_L180 = Sentence(
    file=shared.SEED001, section="Q11", line=180, quote="优点:无需训练,可泛化到任意长度序列,适合长文本任务。"
)


ANY_LENGTH = Claim(
    id="pe.sinusoidal-any-length",
    title="The sinusoidal code is defined and bounded at every position: ‖PE(p)‖ = √(d/2), |PE| ≤ 1",
    verdict=Verdict.PROVED,
    summary=(
        "Nothing in PE(p) refers to a maximum length: each pair lies on the unit circle, so every position, "
        "however far beyond training, gets a finite code of the same norm √(d/2). That is what 'no training, "
        "extends to any length' can mean precisely; whether a model trained on short sequences uses far "
        "positions well is an empirical question this does not settle."
    ),
    derivations=(PAIR_NORM,),
    numeric=(
        PropertyCheck(
            name="positions up to 10⁷: finite, |PE| ≤ 1, norm √(d/2)",
            cases=_far_position_cases,
            holds=_any_length,
            reason="sin² + cos² = 1 up to 2 u per pair; the norm of d/2 such pairs within 16 u·d",
            planted={"‖PE(p)‖ = √d": lambda c: _any_length(c, norm=math.sqrt(c["d"]))},
        ),
    ),
    sources=(
        Source(
            sentence=S001_L180,
            gloss="Advantage: no training needed (a fixed, parameter-free function of the position).",
            assertion="无需训练",
        ),
        Source(
            shared.SEED004,
            "RoPE 位置编码",
            "优势: 实现简单,可预先计算好,不用参与训练,速度快",
            "(Advantages of the sinusoidal code:) it can be precomputed and needs no training: a fixed, parameter-free function of the position, defined at every position. ('Simple', 'fast' are not judged.)",
            line=76,
            assertion="可预先计算好,不用参与训练",
        ),
    ),
)


def _beyond_512_witness() -> Witness:
    """Trained length 512: position 512..1023 get finite codes of norm √(d/2), attention runs on 1024 tokens."""
    d_ = 16
    pe = pos.sinusoidal_pe(1024, d_)
    gen = torch.Generator().manual_seed(0)
    ws = [torch.randn(d_, d_, generator=gen, dtype=torch.float64) / 4 for _ in range(3)]
    out = pos.self_attention(torch.randn(1024, d_, generator=gen, dtype=torch.float64) + pe, *ws)
    ok = bool(torch.isfinite(out).all()) and abs(float(pe[513].norm()) - math.sqrt(d_ / 2)) < 1e-12
    return Witness(
        holds=not ok,
        lhs=f"‖PE(513)‖ = {float(pe[513].norm())!r}, attention output over 1024 tokens finite: {ok}",
        rhs=f"claim: nothing beyond 512 can be processed (√(d/2) = {math.sqrt(d_ / 2)!r})",
        detail="impl.positional.sinusoidal_pe(1024, 16) and self_attention on 1024 tokens",
    )


S004_L77 = Sentence(
    file=shared.SEED004,
    section="RoPE 位置编码",
    line=77,
    quote="劣势: 没有外推性,即如果预训练最大长度为512的话,那么最多就只能处理长度为512的句子,再长就处理不了了。",
)


NO_EXTRAPOLATION = Claim(
    uses=("pe.sinusoidal-any-length",),
    id="pe.sinusoidal-no-extrapolation",
    title="'Sinusoidal codes trained at 512 cannot process longer sentences' is false as stated",
    verdict=Verdict.REFUTED,
    refutes=("a model with sinusoidal codes trained at length 512 cannot process longer sentences",),
    summary=(
        "The code is a formula of p (pe.sinusoidal-any-length): positions 513, 1000, 10⁷ get finite codes of the "
        "same norm and a Transformer runs on them. A hard limit at the training length belongs to a *learned* "
        "table (pe.learned-fixed-length). What is true is weaker and empirical: quality may degrade beyond the "
        "training length."
    ),
    counterexamples=(Counterexample("PE for positions ≥ 512 and a 1024-token forward pass", run=_beyond_512_witness),),
    sources=(
        Source(
            sentence=S004_L77,
            gloss="i.e. if the pre-training maximum length is 512, at most sentences of length 512 can be processed and longer ones cannot. Two readings (rule 2): the hard cap '处理不了' (cannot be processed at all), judged here because '最多就只能…512' (at most 512) states a limit, not a quality — refuted for the sinusoidal code the sentence is about: it is defined at every position (the reason given is the learned table's, rule 6); and 'handles longer inputs badly', an empirical quality question, which is the head '没有外推性' judged separately (pe.sinusoidal-extrapolation, not formalizable).",
            assertion="即如果预训练最大长度为512的话,那么最多就只能处理长度为512的句子,再长就处理不了了",
        ),
    ),
)


def _learned_table(c: Case, probe: int | None = None) -> Outcome:
    emb = torch.nn.Embedding(c["L"], 4, dtype=torch.float64)
    at = c["L"] + c["over"] if probe is None else probe
    try:
        emb(torch.tensor([at]))
    except IndexError:
        return Outcome(True, 0.0, 0.0)
    return Outcome(False, 0.0, 0.0, f"nn.Embedding({c['L']}, 4) accepted position {at}")


def _past_table_cases() -> st.SearchStrategy[Case]:
    """A table of L = 1..2048 rows and a position L + 0..5000: from the first missing row (L itself) to far
    past it; the value of d (4) is irrelevant to the indexing."""
    return st.fixed_dictionaries({"L": st.integers(1, 2048), "over": st.integers(0, 5000)})


LEARNED_FIXED = Claim(
    id="pe.learned-fixed-length",
    title="A learned position table of L rows has no code for positions ≥ L (nn.Embedding raises)",
    verdict=Verdict.TESTED,
    tested_reason="no symbolic derivation: that nn.Embedding has no row for positions ≥ L (it raises) is observed behaviour of PyTorch.",
    summary=(
        "A learned absolute encoding is a table with one row per position 0..L−1; position L has no row "
        "(nn.Embedding raises IndexError), so longer inputs need a new rule for the missing rows, e.g. "
        "interpolating the table (the seed) or position interpolation (pi.interpolation)."
    ),
    numeric=(
        PropertyCheck(
            name="nn.Embedding(L, d) raises for every position ≥ L",
            cases=_past_table_cases,
            holds=_learned_table,
            reason="exact behaviour (an exception), no tolerance",
            planted={"position L − 1 also has no row": lambda c: _learned_table(c, probe=c["L"] - 1)},
        ),
    ),
    sources=(
        Source(
            shared.SEED001,
            "Q11",
            "缺点:位置嵌入长度固定,难以处理远超训练长度的序列,需通过插值扩展。",
            "Disadvantage: the position table has a fixed length, sequences far beyond the training length are "
            "hard to handle, extension needs interpolation.",
            184,
        ),
    ),
)

# ── RoPE ────────────────────────────────────────────────────────────────────────────────────
m_, n_, th = symbols("m n theta", real=True)
q1, q2, k1, k2 = symbols("q_1 q_2 k_1 k_2", real=True)


def _rot(angle, x1, x2):
    return (cos(angle) * x1 - sin(angle) * x2, sin(angle) * x1 + cos(angle) * x2)


_RQ, _RK, _RD = _rot(m_ * th, q1, q2), _rot(n_ * th, k1, k2), _rot((n_ - m_) * th, k1, k2)
ROPE_REL = Derivation(
    "⟨R_m q, R_n k⟩ for one 2×2 block (angle θ per position)",
    _RQ[0] * _RK[0] + _RQ[1] * _RK[1],
    (
        Step(
            (q1 * k1 + q2 * k2) * cos((n_ - m_) * th) + (q2 * k1 - q1 * k2) * sin((n_ - m_) * th),
            "angle differences",
            "Expand and collect: cos mθ cos nθ + sin mθ sin nθ = cos (n − m)θ, sin nθ cos mθ − cos nθ sin mθ = sin (n − m)θ.",
        ),
        Step(q1 * _RD[0] + q2 * _RD[1], "regroup", "= ⟨q, R_{n−m} k⟩: only the offset n − m is left."),
    ),
)
ROPE_NORM = Derivation(
    "‖R_m q‖² for one 2×2 block",
    _RQ[0] ** 2 + _RQ[1] ** 2,
    (
        Step((q1**2 + q2**2) * (cos(m_ * th) ** 2 + sin(m_ * th) ** 2), "expand", "The cross terms cancel."),
        Step(q1**2 + q2**2, "Pythagoras", "cos² + sin² = 1: multiplying by e^{imθ} is a rotation."),
    ),
)


@st.composite
def rope_cases(draw: st.DrawFn) -> Case:
    """d_h = 2..12 (even), q and k over UNIT_DOMAIN with own scales 1e-3..1e3, m, n = 0 or 0..4096, base ∈ {1e4,
    5e5, 10}: position 0 and m = n occur, far positions where angle rounding grows, base 10 rotating fast."""
    dh = 2 * draw(st.integers(1, 6))
    sc = draw(scales())
    return {
        "q": draw(tensors((dh,), scale=sc)),
        "k": draw(tensors((dh,), scale=draw(scales()))),
        "m": draw(st.one_of(st.just(0), st.integers(0, 4096))),
        "n": draw(st.one_of(st.just(0), st.integers(0, 4096))),
        "base": draw(st.sampled_from([10000.0, 500000.0, 10.0])),
    }


def _rope(vec, at, c, complex_ref=False):
    f = pos.rope_rotate_complex if complex_ref else pos.rope_rotate
    return f(vec[None], torch.tensor([float(at)]), c["base"])[0]


def _rope_scale(c: Case) -> float:
    return (float(c["q"].abs().max()) * float(c["k"].abs().max()) + 1e-300) * c["q"].shape[0] * (1 + c["m"] + c["n"])


ROPE_TOL = Tolerance(
    16,
    "the angles (up to 4096·θ) carry |angle|·u of rounding: scale = max|q|·max|k|·d·(1 + m + n)",
    _rope_scale,
)

S004_L74 = Sentence(
    file=shared.SEED004,
    section="RoPE 位置编码",
    line=74,
    quote="RoPE通过绝对位置编码的方式实现相对位置编码,综合了绝对位置编码和相对位置编码的优点",
)


ROPE_RELATIVE = Claim(
    id="rope.relative",
    title="RoPE: ⟨R_m q, R_n k⟩ = ⟨q, R_{n−m} k⟩ — absolute rotations give relative scores",
    verdict=Verdict.PROVED,
    summary=(
        "Per 2×2 block with angle θ_i, symbolic m, n, θ: the score of a query rotated to position m and a key "
        "rotated to n equals the score of the unrotated query with the key rotated by n − m. The full score is "
        "the sum over blocks, so it depends on the positions only through n − m. Unlike the sinusoidal case "
        "(pe.sinusoidal-attention-relative), this survives any W_q, W_k, because the rotation is applied after "
        "the projections. Checked against impl and complex multiplication (LLaMA's torch.polar form)."
    ),
    derivations=(ROPE_REL,),
    numeric=(
        CrossCheck(
            name="⟨R_m q, R_n k⟩ = ⟨q, R_{n−m} k⟩",
            cap=30,
            cases=rope_cases,
            expected=lambda c: c["q"] @ _rope(c["k"], c["n"] - c["m"], c),
            references={
                "impl.rope_rotate": lambda c: _rope(c["q"], c["m"], c) @ _rope(c["k"], c["n"], c),
                "complex e^{ipθ} (torch.polar)": lambda c: (
                    _rope(c["q"], c["m"], c, True) @ _rope(c["k"], c["n"], c, True)
                ),
            },
            tolerance=ROPE_TOL,
            planted={
                "⟨q, R_{m−n} k⟩ (offset sign)": lambda c: c["q"] @ _rope(c["k"], c["m"] - c["n"], c),
                "⟨q, R_{m+n} k⟩": lambda c: c["q"] @ _rope(c["k"], c["m"] + c["n"], c),
            },
        ),
    ),
    sources=(
        Source(
            sentence=S004_L74,
            gloss="RoPE realises relative position encoding by means of absolute position encoding: ⟨R_m q, R_n k⟩ = ⟨q, R_{n−m} k⟩.",
            assertion="RoPE通过绝对位置编码的方式实现相对位置编码",
        ),
        Source(
            shared.SEED004,
            "RoPE 位置编码",
            "主要就是对attention中的q, k向量注入了绝对位置信息,然后用更新的q,k向量做attention中的内积就会引入相对位置信息了",
            "It injects absolute position into the q, k vectors; the inner product of the updated q, k then "
            "carries relative position.",
            80,
        ),
    ),
)
ROPE_NORM_CLAIM = Claim(
    id="rope.norm",
    title="RoPE is a rotation: ‖R_m q‖ = ‖q‖ (complex multiplication by e^{imθ})",
    verdict=Verdict.PROVED,
    summary=(
        "Per 2×2 block, R_m q is the complex number q_1 + i q_2 times e^{imθ}: its modulus is unchanged "
        "(symbolic m, θ). So RoPE changes directions only, never norms."
    ),
    derivations=(ROPE_NORM,),
    numeric=(
        CrossCheck(
            name="‖R_m q‖ = ‖q‖",
            cap=30,
            cases=rope_cases,
            expected=lambda c: c["q"].norm(),
            references={
                "impl.rope_rotate": lambda c: _rope(c["q"], c["m"], c).norm(),
                "complex e^{imθ}": lambda c: _rope(c["q"], c["m"], c, True).norm(),
            },
            tolerance=Tolerance(
                8, "a few roundings per entry, relative to ‖q‖", lambda c: float(c["q"].norm()) + 1e-300
            ),
            planted={
                "‖R_m q‖ = ‖q‖·|cos mθ_0|": lambda c: c["q"].norm() * abs(math.cos(c["m"])),
            },
        ),
    ),
    sources=(
        Source(
            shared.SEED004,
            "RoPE 位置编码",
            "根据复数乘法的几何意义,该变换实际上对应着向量的旋转,所以我们称之为“旋转式位置编码”",
            "By the geometric meaning of complex multiplication the transform is a rotation of the vector, hence "
            "'rotary position encoding'.",
            73,
        ),
    ),
)

# ── rope.apply / rope.apply-half: RoPE on x [B, n, d] at given positions, two layouts ─────────
x1_, x2_, phi = symbols("x_1 x_2 phi", real=True)
ROPE_PAIR_RE = Derivation(
    "Re((x_1 + i x_2)·e^{iφ})",
    sp.re((x1_ + sp.I * x2_) * sp.exp(sp.I * phi)),
    (Step(x1_ * cos(phi) - x2_ * sin(phi), "Euler's formula", "e^{iφ} = cos φ + i sin φ; multiply out."),),
)
ROPE_PAIR_IM = Derivation(
    "Im((x_1 + i x_2)·e^{iφ})",
    sp.im((x1_ + sp.I * x2_) * sp.exp(sp.I * phi)),
    (
        Step(
            x1_ * sin(phi) + x2_ * cos(phi),
            "Euler's formula",
            "So the 2×2 rotation [[cos φ, −sin φ], [sin φ, cos φ]] of a pair is multiplication by e^{iφ} (LLaMA's "
            "torch.polar form), with φ = p·θ_i at position p.",
        ),
    ),
)
LAYOUTS = {
    "interleaved": "pairs (x_{2i}, x_{2i+1}): the RoFormer paper, Meta's LLaMA (view_as_complex)",
    "half": "pairs (x_i, x_{i+d/2}): GPT-NeoX, HF transformers' rotate_half",
}


def _pair_index(d_: int, layout: str) -> list[tuple[int, int]]:
    """The feature indices (a, b) of pair i = 0..d/2−1 in a layout."""
    return [(2 * i, 2 * i + 1) if layout == "interleaved" else (i, i + d_ // 2) for i in range(d_ // 2)]


def _rope_by_matrix(x: torch.Tensor, positions: torch.Tensor, base: float, layout: str) -> torch.Tensor:
    """The expected value: R_p x with R_p the d×d block rotation (θ_i = base^(−2i/d) as Python floats, the pair
    rotation of ROPE_PAIR_RE/IM), formed entry by entry; x [B, n, d] -> [B, n, d]."""
    d_ = x.shape[-1]
    rot = torch.zeros(positions.shape[0], d_, d_, dtype=torch.float64)  # [n, d, d], one R_p per position
    for i, (a, b) in enumerate(_pair_index(d_, layout)):
        ang = positions.to(torch.float64) * base ** (-2 * i / d_)  # [n]
        rot[:, a, a], rot[:, a, b] = torch.cos(ang), -torch.sin(ang)
        rot[:, b, a], rot[:, b, b] = torch.sin(ang), torch.cos(ang)
    return torch.einsum("nij,bnj->bni", rot.to(x.dtype), x)


def rope_variant(
    x: torch.Tensor,
    positions: torch.Tensor,
    base: float,
    *,
    layout: str = "interleaved",
    exponent: float = 2.0,
    swap: bool = False,
    shift: int = 0,
) -> torch.Tensor:
    """RoPE with the mistakes the contracts name: θ_i = base^(−exponent·i/d) (1: the wrong exponent), sin and cos
    exchanged (``swap``), positions + ``shift`` (1: off by one); x [B, n, d] -> [B, n, d]."""
    d_ = x.shape[-1]
    theta = base ** (-exponent * torch.arange(d_ // 2, dtype=torch.float64) / d_)  # [d/2]
    ang = (positions.to(torch.float64) + shift)[:, None] * theta  # [n, d/2]
    c, s = (torch.sin(ang), torch.cos(ang)) if swap else (torch.cos(ang), torch.sin(ang))
    idx_a, idx_b = (list(t) for t in zip(*_pair_index(d_, layout)))
    x1, x2 = x[..., idx_a], x[..., idx_b]  # [B, n, d/2] each
    out = torch.empty_like(x)
    out[..., idx_a], out[..., idx_b] = x1 * c - x2 * s, x1 * s + x2 * c
    return out


def _hf_rotate_half(x: torch.Tensor, positions: torch.Tensor, base: float) -> torch.Tensor:
    """HF transformers' apply_rotary_pos_emb: cos, sin of cat(freqs, freqs); x·cos + rotate_half(x)·sin."""
    d_ = x.shape[-1]
    inv_freq = 1.0 / (base ** (torch.arange(0, d_, 2, dtype=torch.float64) / d_))  # [d/2]
    freqs = positions.to(torch.float64)[:, None] * inv_freq  # [n, d/2]
    emb = torch.cat((freqs, freqs), dim=-1)  # [n, d]
    x1, x2 = x[..., : d_ // 2], x[..., d_ // 2 :]
    return x * emb.cos() + torch.cat((-x2, x1), dim=-1) * emb.sin()


def _complex_polar(x: torch.Tensor, positions: torch.Tensor, base: float) -> torch.Tensor:
    """Meta LLaMA's apply_rotary_emb: pairs (x_{2i}, x_{2i+1}) as complex numbers times e^{i p θ_i}."""
    return torch.stack([pos.rope_rotate_complex(xb, positions, base) for xb in x])  # B × [n, d] -> [B, n, d]


@st.composite
def rope_apply_inputs(draw: st.DrawFn) -> Case:
    """x [B, n, d], B = 1..2, n = 1..5 (3 often), d = 2..12 even (4 and 8 often; d = 2 is one pair, where both
    layouts and both exponents agree); x over UNIT_DOMAIN with a scale 1e-3..1e3; positions [n] int64: start +
    arange(n) with start 0..4096 (a KV-cache offset) or each drawn in 0..4096 (0 and repeats occur); base 10, 1e4,
    5e5 or any in 2..1e6."""
    b_ = draw(st.integers(1, 2))
    n_pos = draw(st.one_of(st.just(3), st.integers(1, 5)))
    d_ = draw(st.one_of(st.sampled_from([4, 8]), st.integers(1, 6).map(lambda h: 2 * h)))
    if draw(st.booleans()):
        start = draw(st.one_of(st.just(0), st.integers(0, 4096)))
        positions = torch.arange(start, start + n_pos, dtype=torch.int64)
    else:
        positions = torch.tensor(draw(st.lists(st.integers(0, 4096), min_size=n_pos, max_size=n_pos)))
    return {
        "x": draw(tensors((b_, n_pos, d_), scale=draw(scales()))),
        "positions": positions.to(torch.int64),
        "base": draw(st.one_of(st.sampled_from([10.0, 10000.0, 500000.0]), st.floats(2.0, 1e6))),
    }


def _rope_apply_scale(case: Case) -> float:
    return (float(case["x"].abs().max()) + 1e-300) * (1 + float(case["positions"].abs().max()))


ROPE_APPLY_TOL = Tolerance(
    16,
    "the angle p·θ_i (p ≤ 4096) carries a few roundings relative to it (θ_i as base^(−2i/d), 1/base^(2i/d) or "
    "exp(−2i/d·ln base) differ by a few u), so up to a few u·p absolute, which moves each output by |x| times "
    "that; the products and the sum add a few u·|x|: scale = max|x|·(1 + max p)",
    _rope_apply_scale,
)
MULTI_PAIR = Locator(
    "only when d > 2 (two pairs or more: with one pair both layouts and both exponents agree)",
    lambda inp: inp["x"].shape[-1] > 2,
)
NONZERO_POSITION = Locator(
    "only at positions p != 0 (where R_p is not the identity)",
    lambda inp: (inp["positions"] != 0)[None, :, None].expand_as(inp["x"]),
)


def _rope_variants(layout: str) -> tuple[Variant, ...]:
    other = "half" if layout == "interleaved" else "interleaved"
    other_label = (
        "half-split layout (GPT-NeoX) — a convention; use the half-split contract rope.apply-half"
        if other == "half"
        else "interleaved layout (RoFormer / Meta LLaMA) — a convention; use the interleaved contract rope.apply"
    )
    return (
        Variant(
            label=other_label,
            formula=lambda x, p_, b_: rope_variant(x, p_, b_, layout=other),
            why=f"the other pairing of features, {LAYOUTS[other]}: right for checkpoints trained that way",
            convention=True,
        ),
        Variant(
            label="frequency exponent base^(−i/d) instead of base^(−2i/d)",
            formula=lambda x, p_, b_: rope_variant(x, p_, b_, layout=layout, exponent=1.0),
            why="i counted over the d/2 pairs but divided by d: frequencies fall half as fast",
        ),
        Variant(
            label="sin and cos swapped",
            formula=lambda x, p_, b_: rope_variant(x, p_, b_, layout=layout, swap=True),
            why="the cached sin and cos tables exchanged: not a rotation (position 0 is not the identity)",
        ),
        Variant(
            label="positions off by one (p + 1)",
            formula=lambda x, p_, b_: rope_variant(x, p_, b_, layout=layout, shift=1),
            why="1-based positions: relative scores survive (rope.relative), but the cache no longer matches",
        ),
    )


def _rope_apply_check(layout: str) -> CrossCheck:
    second = (
        {"complex e^{ipθ} (torch.polar, Meta LLaMA)": _complex_polar}
        if layout == "interleaved"
        else {"HF rotate_half (GPT-NeoX layout)": _hf_rotate_half}
    )
    variants = _rope_variants(layout)
    return CrossCheck(
        name=f"RoPE ({layout} layout) against the block rotation matrix, impl and {next(iter(second))}",
        cases=rope_apply_inputs,
        expected=lambda case: _rope_by_matrix(case["x"], case["positions"], case["base"], layout),
        references={
            f"impl.positional.rope_apply(layout={layout!r})": (
                lambda x, p_, b_: pos.rope_apply(x, p_, b_, layout=layout)
            ),
            **second,
        },
        positional=True,
        tolerance=ROPE_APPLY_TOL,
        planted={v.label: (lambda case, f=v.formula: f(*case.values())) for v in variants},
    )


ROPE_APPLY_CHECK = _rope_apply_check("interleaved")
ROPE_APPLY_HALF_CHECK = _rope_apply_check("half")
_ROPE_APPLY_TESTED = (
    "the derivation proves the rotation of one pair (complex multiplication by e^{iφ}); that an implementation "
    "pairs the features of its declared layout, uses θ_i = base^(−2i/d) and the given positions is an "
    "implementation fact, checked numerically against an explicit block rotation matrix, impl and an independent "
    "reference only."
)

ROPE_APPLY = Claim(
    id="rope.apply",
    title="RoPE, interleaved layout: pair (x_{2i}, x_{2i+1}) at position p turned by p·base^(−2i/d)",
    verdict=Verdict.TESTED,
    tested_reason=_ROPE_APPLY_TESTED,
    summary=(
        "For x [B, n, d] (d even), positions [n] and a base, RoPE in the RoFormer / Meta LLaMA layout rotates each "
        "pair (x_{2i}, x_{2i+1}) of token t by the angle positions[t]·θ_i, θ_i = base^(−2i/d): multiplication of "
        "x_{2i} + i·x_{2i+1} by e^{i·p·θ_i} (proved per pair). Being a rotation it keeps norms (rope.norm) and "
        "makes scores depend on offsets only (rope.relative). The half-split layout (GPT-NeoX, HF) is "
        "rope.apply-half: the same rotations on other feature pairs, a convention, not interchangeable."
    ),
    derivations=(ROPE_PAIR_RE, ROPE_PAIR_IM),
    numeric=(ROPE_APPLY_CHECK,),
    assumptions=("d even; positions are integers ≥ 0 (0..4096 checked); no scaling (PI, NTK) of positions or base",),
    uses=("rope.norm", "rope.relative"),
    contract=Contract.of(
        ROPE_APPLY_CHECK,
        signature="fn(x[B, n, d], positions[n] int64, base) -> y[B, n, d]  # interleaved pairs (2i, 2i+1)",
        reference="impl.positional.rope_apply(layout='interleaved')",
        locators=(MULTI_PAIR, NONZERO_POSITION),
        variants=_rope_variants("interleaved"),
    ),
)
ROPE_APPLY_HALF = Claim(
    id="rope.apply-half",
    title="RoPE, half-split layout: pair (x_i, x_{i+d/2}) at position p turned by p·base^(−2i/d)",
    verdict=Verdict.TESTED,
    tested_reason=_ROPE_APPLY_TESTED,
    summary=(
        "For x [B, n, d] (d even), positions [n] and a base, RoPE in the GPT-NeoX / HF transformers layout "
        "(rotate_half) rotates each pair (x_i, x_{i+d/2}) of token t by positions[t]·θ_i, θ_i = base^(−2i/d): "
        "the same rotations as rope.apply on other feature pairs (proved per pair), so norms and relative scores "
        "behave the same (rope.norm, rope.relative), but the two layouts are different functions of x."
    ),
    derivations=(ROPE_PAIR_RE, ROPE_PAIR_IM),
    numeric=(ROPE_APPLY_HALF_CHECK,),
    assumptions=("d even; positions are integers ≥ 0 (0..4096 checked); no scaling (PI, NTK) of positions or base",),
    uses=("rope.norm", "rope.relative"),
    contract=Contract.of(
        ROPE_APPLY_HALF_CHECK,
        signature="fn(x[B, n, d], positions[n] int64, base) -> y[B, n, d]  # half-split pairs (i, i + d/2)",
        reference="impl.positional.rope_apply(layout='half')",
        locators=(MULTI_PAIR, NONZERO_POSITION),
        variants=_rope_variants("half"),
    ),
)


# ── ALiBi ───────────────────────────────────────────────────────────────────────────────────
slope, dist = Symbol("m", positive=True), Symbol("delta", nonnegative=True)
i_, j_ = symbols("i j", integer=True, positive=True)
ALIBI_ROW = Derivation(
    "the seed's bias for key j ≤ i (distance δ = i − j ≥ 0)",
    slope * (-dist),
    (Step(-slope * Abs(dist), "δ ≥ 0", "|i − j| = i − j on and below the diagonal: the bias is −m|i − j|."),),
)


@st.composite
def alibi_cases(draw: st.DrawFn) -> Case:
    """n = 1..6 tokens, d_k = 1..4, q, k, v (2 columns) over UNIT_DOMAIN with own scales 1e-3..1e3, slope ∈ {1,
    0.5, 0.25, 2⁻⁸}: scores from negligible to dominant against the bias m|i − j|, saturated softmax included."""
    nq, dk = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    return {
        "q": draw(tensors((nq, dk), scale=draw(scales()))),
        "k": draw(tensors((nq, dk), scale=draw(scales()))),
        "v": draw(tensors((nq, 2), scale=draw(scales()))),
        "slope": draw(st.sampled_from([0.5, 0.25, 2.0**-8, 1.0])),
    }


def _seed_rows(c: Case, sign: float = 1.0, causal: bool = True) -> torch.Tensor:
    """The seed's formula row by row: softmax(q_i Kᵀ/√d_k + m·[−(i−1), ..., −1, 0]) over keys 1..i."""
    nq = c["q"].shape[0]
    out = []
    for i in range(nq):
        keys = i + 1 if causal else nq
        bias = sign * c["slope"] * -(i - torch.arange(keys, dtype=torch.float64)).abs()  # [i+1]
        w_ = torch.softmax(c["q"][i] @ c["k"][:keys].T / math.sqrt(c["q"].shape[1]) + bias, dim=0)
        out.append(w_ @ c["v"][:keys])
    return torch.stack(out)


def _alibi_scale(c: Case) -> float:
    logits = float(c["q"].abs().max()) * float(c["k"].abs().max()) * math.sqrt(c["q"].shape[1])
    return (float(c["v"].abs().max()) + 1e-300) * (1 + logits + c["q"].shape[0]) * c["q"].shape[0]


ALIBI_BIAS = Claim(
    id="alibi.bias",
    title="ALiBi adds −m·|i − j| to the logits: zero penalty at distance 0, growing linearly with distance",
    verdict=Verdict.TESTED,
    tested_reason="the derivation only restates −m(i − j) = −m|i − j| for j ≤ i; that the seed's rows, impl and sdpa with the bias as attn_mask add this bias to the logits is checked numerically only.",
    summary=(
        "The seed's row for query i, m·[−(i−1), ..., −2, −1, 0], is −m(i − j) = −m|i − j| for keys j ≤ i. The "
        "penalty is 0 for the query's own position and grows linearly with the distance; no position vector is "
        "added to the embeddings — the bias goes on qKᵀ (the same as F.scaled_dot_product_attention with a float "
        "attn_mask). Checked row by row against the seed's formula."
    ),
    derivations=(ALIBI_ROW,),
    numeric=(
        CrossCheck(
            cap=EVIDENCE_FLOOR["ci"],
            name="causal softmax(qKᵀ/√d_k − m|i − j|)V: seed rows, impl, sdpa with the bias as attn_mask",
            cases=alibi_cases,
            expected=_seed_rows,
            references={
                "impl.alibi_attention": lambda c: pos.alibi_attention(c["q"], c["k"], c["v"], c["slope"]),
                "F.sdpa(attn_mask=alibi_bias)": lambda c: F.scaled_dot_product_attention(
                    c["q"][None], c["k"][None], c["v"][None], attn_mask=pos.alibi_bias(c["q"].shape[0], c["slope"])
                )[0],
            },
            tolerance=Tolerance(
                32,
                "as attention.sdpa, with the bias (≤ m·n) added to each logit: scale max|v|·(1 + logits + n)·n",
                _alibi_scale,
            ),
            planted={
                "reward distance: +m|i − j|": lambda c: _seed_rows(c, sign=-1.0),
                "no causal mask": lambda c: _seed_rows(c, causal=False),
            },
        ),
    ),
    sources=(
        Source(
            shared.SEED004,
            "Alibi 位置编码",
            "相反,ALiBi计算某个键和查询之间的注意力时,会根据键和查询的距离来对查询可以分配给键的注意力值进行惩罚。因此,当键和查询靠近时,惩罚非常低,而当它们相距较远时,惩罚非常高。",
            "Instead, ALiBi penalises the attention a query can give a key according to their distance: low when "
            "close, high when far.",
            86,
        ),
        Source(
            shared.SEED004,
            "Alibi 位置编码",
            "不添加position embedding,然后添加一个静态的不学习的 bias softmax(q_i K^T + m·[−(i−1),...,−2,−1,0])",
            "No position embedding; add a static, unlearned bias: softmax(q_i Kᵀ + m·[−(i−1), ..., −2, −1, 0]).",
            87,
        ),
        Source(
            shared.SEED004,
            "Alibi 位置编码",
            "position embedding 并没有加在 work embedding 上,而是加在了 Q*K^T 上面",
            "The position term is not added to the word embeddings but to QKᵀ.",
            90,
        ),
    ),
)

h_ = Symbol("h", positive=True)
i_pos = Symbol("i", positive=True)
SLOPE_RATIO = Derivation(
    "m_{i+1}/m_i for m_i = 2^(−8i/h)",
    2 ** (-8 * (i_pos + 1) / h_) / 2 ** (-8 * i_pos / h_),
    (Step(2 ** (-8 / h_), "quotient of powers", "The ratio does not depend on i: a geometric sequence."),),
)
SLOPE_LAST = Derivation(
    "m_h",
    (2 ** (-8 * i_pos / h_)).subs(i_pos, h_),
    (
        Step(
            sp.Rational(1, 256),
            "i = h",
            "The smallest slope is 2⁻⁸ for every h; the first is 2^(−8/h), equal to the ratio.",
        ),
    ),
)


def _slopes_witness() -> Witness:
    ref = torch.tensor(pos.alibi_slopes_reference(6), dtype=torch.float64)
    formula = pos.alibi_slopes(6)
    return Witness(
        holds=bool(torch.allclose(ref, formula)),
        lhs=f"get_slopes(6) = {[round(v, 6) for v in ref.tolist()]}",
        rhs=f"2^(−8i/6) = {[round(v, 6) for v in formula.tolist()]}",
        detail="the authors' code: slopes for 4 heads plus every other slope for 8 heads",
        facts={"h": 6},
    )


def _power_of_two_heads() -> st.SearchStrategy[Case]:
    """h ∈ {1, 2, 4, ..., 128}: the claim's hypothesis, h a power of 2 (get_slopes differs otherwise), from one
    head to more than any common model uses."""
    return st.fixed_dictionaries({"h": st.sampled_from([1, 2, 4, 8, 16, 32, 64, 128])})


def _any_heads() -> st.SearchStrategy[Case]:
    """h = 1..40 heads, every h (powers of 2 and the rest): get_slopes' other branch (h not a power of 2) runs
    from h = 3 on, nested once below 40."""
    return st.fixed_dictionaries({"h": st.integers(1, 40)})


def _get_slopes_closed(c: Case, *, odd: bool = True) -> torch.Tensor:
    """c = 2^⌊log₂h⌋: the c slopes 2^(−8i/c), then (h not a power of 2) 2^(−8(2j−1)/(2c)) for j = 1..h − c — every
    other slope of 2c heads, starting with the first."""
    h = c["h"]
    top = 2 ** math.floor(math.log2(h))
    first = [2.0 ** (-8 * i / top) for i in range(1, top + 1)]
    rest = [2.0 ** (-8 * ((2 * j - 1) if odd else 2 * j) / (2 * top)) for j in range(1, h - top + 1)]
    return torch.tensor(first + rest, dtype=torch.float64)


GET_SLOPES_ALL_H = CrossCheck(
    name="get_slopes for every h: the first 2^⌊log₂h⌋ geometric slopes, then every other slope of twice as many heads",
    cases=_any_heads,
    expected=_get_slopes_closed,
    references={
        "get_slopes (reference code)": lambda c: torch.tensor(pos.alibi_slopes_reference(c["h"]), dtype=torch.float64)
    },
    tolerance=Tolerance(4, "powers of 2 by repeated multiplication: a few ulps of the largest slope (≤ 1)"),
    planted={
        "the even-indexed slopes of 2c heads": lambda c: _get_slopes_closed(c, odd=False),
        "2^(−8i/h) for every h": lambda c: pos.alibi_slopes(c["h"]),
    },
)


ALIBI_SLOPES = Claim(
    id="alibi.slopes",
    title="ALiBi's slopes are the geometric sequence 2^(−8i/h) — in the reference code, only when h is a power of 2",
    verdict=Verdict.CONDITIONAL,
    summary=(
        "m_i = 2^(−8i/h), i = 1..h, has constant ratio 2^(−8/h), starts at that ratio and ends at 2⁻⁸ (symbolic h). "
        "The authors' get_slopes returns exactly this when h is a power of 2; for other h it takes the slopes of "
        "the nearest smaller power of 2 and then every other slope of the next one (h = 6 below), which is not "
        "a geometric sequence."
    ),
    derivations=(SLOPE_RATIO, SLOPE_LAST),
    numeric=(
        CrossCheck(
            name="2^(−8i/h) against the authors' get_slopes, h a power of 2",
            cases=_power_of_two_heads,
            expected=lambda c: pos.alibi_slopes(c["h"]),
            references={
                "get_slopes (reference code)": lambda c: torch.tensor(
                    pos.alibi_slopes_reference(c["h"]), dtype=torch.float64
                )
            },
            tolerance=Tolerance(4, "powers of 2 by repeated multiplication: a few ulps of the largest slope (≤ 1)"),
            planted={
                "2^(−8(i−1)/h)": lambda c: pos.alibi_slopes(c["h"]) * 2 ** (8 / c["h"]),
                "2^(−i)": lambda c: 2.0 ** -torch.arange(1, c["h"] + 1, dtype=torch.float64),
            },
        ),
        GET_SLOPES_ALL_H,
    ),
    counterexamples=(Counterexample("h = 6 heads: get_slopes differs from 2^(−8i/6)", run=_slopes_witness),),
    hypothesis="the number of heads h is a power of 2",
    premise=Premise(holds=lambda w: w.facts["h"] & (w.facts["h"] - 1) == 0),
)

# ── position interpolation ────────────────────────────────────────────────────────────────
L_, Lp, s_, th_j = symbols("L L' s theta_j", positive=True)
m_pos = Symbol("m", positive=True)
PI_RANGE = Derivation(
    "PI angle of position m ∈ (0, L'] at frequency θ_j",
    m_pos * L_ / Lp * th_j,
    (
        Step(
            Lp * L_ / Lp * th_j,
            "m ≤ L'",
            "m = L'/(1 + s) ≤ L' and L θ_j / L' > 0.",
            "<=",
            Certificate(L_ * th_j * s_ / (1 + s_)),  # L'Lθ_j/L' − mLθ_j/L' = Lθ_j·s/(1 + s) ≥ 0
        ),
        Step(L_ * th_j, "cancel", "The largest angle the model saw in training at this frequency."),
    ),
    where=((m_pos, Lp / (1 + s_)),),
)
PI_NEIGHBOUR = Derivation(
    "PI angle between neighbours m and m + 1 at frequency θ_j",
    (m_pos + 1) * L_ / Lp * th_j - m_pos * L_ / Lp * th_j,
    (
        Step(
            L_ / Lp * th_j,
            "difference",
            "Every offset shrinks by L/L': at θ_0 = 1 neighbours are L/L' rad apart, not 1.",
        ),
    ),
)


def _pi_range(c: Case, scale: float | None = None) -> Outcome:
    m = torch.arange(0, c["Lp"] + 1, dtype=torch.float64)
    mp = pos.interpolate_positions(m, c["L"], c["Lp"]) if scale is None else m * scale
    theta = pos.rope_frequencies(c["d"])
    worst = float((mp[:, None] * theta).max(dim=0).values.sub(c["L"] * theta).max())
    slack = 4 * U * c["L"]
    return Outcome(worst <= slack, max(worst, 0.0), slack, f"largest angle − Lθ_j = {worst!r}")


def _extension_cases() -> st.SearchStrategy[Case]:
    """Training length L ∈ {16, 512, 2048}, target L' ∈ {17, 1024, 4096, 8192} with L' > L (the claim's
    premise), d = 2..64 (even): from one extra position to a 512-fold extension, every frequency."""
    return st.fixed_dictionaries(
        {
            "L": st.sampled_from([16, 512, 2048]),
            "Lp": st.sampled_from([17, 1024, 4096, 8192]),
            "d": st.integers(1, 32).map(lambda v: 2 * v),
        }
    ).filter(lambda c: c["Lp"] > c["L"])


PI = Claim(
    id="pi.interpolation",
    title="Position interpolation m → mL/L' keeps every RoPE angle within the trained range, and shrinks offsets by L/L'",
    verdict=Verdict.PROVED,
    summary=(
        "For 0 < m ≤ L', mL/L' ≤ L, so each angle (mL/L')θ_j is at most the largest angle Lθ_j seen in training "
        "(no extrapolation). The price: the angle between positions m and m + 1 becomes (L/L')θ_j — at the highest "
        "frequency θ_0 = 1, neighbours are L/L' rad apart instead of 1 rad, which is the 'limitation for close "
        "tokens' NTK-aware scaling addresses (ntk.base)."
    ),
    derivations=(PI_RANGE, PI_NEIGHBOUR),
    numeric=(
        PropertyCheck(
            cap=EVIDENCE_FLOOR["ci"],
            name="impl.interpolate_positions: max_m (mL/L')θ_j ≤ Lθ_j for m = 0..L'",
            cases=_extension_cases,
            holds=_pi_range,
            reason="exact in real arithmetic; slack 4 u·L for the product m·(L/L')",
            planted={
                "extrapolation (no scaling)": lambda c: _pi_range(c, scale=1.0),
                "scaling by L'/L": lambda c: _pi_range(c, scale=c["Lp"] / c["L"]),
            },
        ),
    ),
    sources=(
        Source(
            shared.SEED004,
            "PI 位置插值支持长度外推",
            "方法:位置插值线性向下缩放了输入位置索引以匹配原始的上下文窗口大小,而不是外推超过训练时所用的上下文长度",
            "Method: PI linearly scales the position indices down to match the original context window instead "
            "of extrapolating beyond the training length.",
            98,
        ),
        Source(
            shared.SEED004,
            "PI 位置插值支持长度外推",
            "左下角为位置插值法,将[0,4096]的值降采样到[0,2048]预训练阶段支持的范围",
            "Bottom left: interpolation maps [0, 4096] down into [0, 2048], the range supported in pre-training.",
            104,
        ),
        Source(
            shared.SEED004,
            "PI 位置插值支持长度外推",
            "论文的实现很简单,只需要将对应位置缩放到原先支持的区间([0,2048])内:计算公式如下, L 为原先支持的长度(如2048), L' 为需要扩展的长度(如4096): f'(x, m) = f(x, mL/L')",
            "The implementation rescales positions into the supported interval: f'(x, m) = f(x, mL/L'), L the "
            "original length (e.g. 2048), L' the target (e.g. 4096).",
            105,
        ),
        Source(
            shared.SEED004,
            "NTK-Aware Scaled RoPE 支持长度外推",
            "作者发现现有的线性插值方法在处理距离接近的 token 时存在局限性。",
            "The authors found that linear interpolation has limitations for tokens that are close together. Judged for its mechanism: interpolation shrinks neighbouring tokens' angle offsets by L/L' (this claim); that the model then handles close tokens worse is the empirical part (ntk.empirical).",
            line=111,
        ),
    ),
)

# ── NTK-aware base (log-frequencies keep the algebra rational) ─────────────────────────────
ln_b, ln_a = Symbol("ln_b", real=True), Symbol("ln_alpha", positive=True)
dd = Symbol("d", positive=True)
jj = Symbol("j", nonnegative=True)
LN_BASE_P = ln_b + dd / (dd - 2) * ln_a  # ln base' = ln(base·α^(d/(d−2)))
NTK_J = Derivation(
    "ln θ'_j = −(2j/d)·ln base', base' = base·α^(d/(d−2))",
    -(2 * jj / dd) * LN_BASE_P,
    (
        Step(
            -(2 * jj / dd) * ln_b - 2 * jj / (dd - 2) * ln_a,
            "expand",
            "ln θ'_j = ln θ_j − (2j/(d − 2)) ln α: pair j is interpolated by α^(2j/(d−2)), geometric in j.",
        ),
    ),
)
NTK_HIGH = Derivation(
    "ln θ'_0 (highest frequency)",
    (-(2 * jj / dd) * LN_BASE_P).subs(jj, 0),
    (Step(sp.S.Zero, "j = 0", "θ'_0 = θ_0 = 1: neighbours stay 1 rad apart (unlike PI)."),),
)
NTK_LOW = Derivation(
    "ln θ'_{d/2−1} (lowest frequency)",
    (-(2 * jj / dd) * LN_BASE_P).subs(jj, dd / 2 - 1),
    (
        Step(
            -((dd - 2) / dd) * ln_b - ln_a,
            "j = d/2 − 1",
            "θ'_{d/2−1} = θ_{d/2−1}/α: the lowest frequency is divided by α, its wavelength stretched by α, as PI would.",
        ),
    ),
)


@st.composite
def ntk_cases(draw: st.DrawFn) -> Case:
    """d = 4..128 (even; the exponent divides by d − 2), α = 2 or [1, 64] (α = 1: no scaling), base ∈ {1e4, 5e5}:
    the usual context extensions, all frequencies j = 0..d/2 − 1 compared."""
    return {
        "d": 2 * draw(st.integers(2, 64)),
        "alpha": draw(st.one_of(st.just(2.0), st.floats(1.0, 64.0))),
        "base": draw(st.sampled_from([10000.0, 500000.0])),
    }


def _ntk_closed(c: Case, exponent=None) -> torch.Tensor:
    jv = torch.arange(c["d"] // 2, dtype=torch.float64)
    e = 2 * jv / (c["d"] - 2) if exponent is None else exponent(c, jv)
    return pos.rope_frequencies(c["d"], c["base"]) * c["alpha"] ** (-e)


NTK = Claim(
    id="ntk.base",
    title="NTK-aware base' = base·α^(d/(d−2)): θ_0 unchanged, θ_{d/2−1} divided by α, geometric in between",
    verdict=Verdict.PROVED,
    summary=(
        "With base' = base·α^(d/(d−2)), θ'_j = θ_j·α^(−2j/(d−2)) (symbolic d, j, in log-frequencies): the highest "
        "frequency is untouched (no loss of resolution between neighbours, unlike PI) and the lowest is divided "
        "by α (its wavelength covers α times more positions, like PI). The interpolation factor α^(2j/(d−2)) is "
        "geometric in j: the 'nonlinear interpolation that changes RoPE's base' of the seed."
    ),
    derivations=(NTK_J, NTK_HIGH, NTK_LOW),
    numeric=(
        CrossCheck(
            name="rope_frequencies(d, ntk_base) = θ_j·α^(−2j/(d−2))",
            cases=ntk_cases,
            expected=_ntk_closed,
            references={
                "impl.rope_frequencies(d, impl.ntk_base(...))": lambda c: pos.rope_frequencies(
                    c["d"], pos.ntk_base(c["base"], c["alpha"], c["d"])
                )
            },
            tolerance=Tolerance(
                64,
                "powers with exponents up to ~d: relative error ≲ |exponent·ln(base·α^(d/(d−2)))|·u ≤ 64 u (entries ≤ 1)",
                lambda c: math.log(c["base"] * c["alpha"] ** 2) + 1,
            ),
            planted={
                "base' = base·α (no exponent)": lambda c: _ntk_closed(c, lambda c_, jv: 2 * jv / c_["d"]),
                "PI: every θ_j divided by α": lambda c: _ntk_closed(c, lambda c_, jv: torch.ones_like(jv)),
            },
        ),
    ),
    sources=(
        Source(
            shared.SEED004,
            "NTK-Aware Scaled RoPE 支持长度外推",
            "因此,作者设计了一种非线性插值方案,以改变 RoPE 的基数。",
            "So the authors designed a nonlinear interpolation scheme that changes RoPE's base.",
            111,
        ),
    ),
)

# ── not formalizable ──────────────────────────────────────────────────────────────────────────
NTK_EMPIRICAL = shared.not_formalizable(
    "ntk.empirical",
    "NTK scaling 'keeps position information intact' and lowers perplexity without fine-tuning",
    "Statements about model quality after a change of base; the precise part is ntk.base.",
    "empirical: perplexity and 'information kept intact' are measured on trained models, not derived",
    Source(
        shared.SEED004,
        "NTK-Aware Scaled RoPE 支持长度外推",
        "这种方法在保持位置信息完整的同时,有效地提高了上下文大小。实验证明,该方法在没有进行模型微调的情况下就能显著减小困惑度,成为一种非常有效的优化策略。",
        "The method keeps position information intact while increasing the context size; experiments show it "
        "lowers perplexity markedly without fine-tuning.",
        111,
    ),
)
ALIBI_EMPIRICAL = shared.not_formalizable(
    "alibi.empirical",
    "ALiBi extrapolates better, trains 11% faster with 11% less memory",
    "Benchmark results of the ALiBi paper; the mechanism (alibi.bias) is defined at every distance.",
    "empirical: speed, memory and extrapolation quality are measurements of trained models",
    Source(
        shared.SEED004,
        "Alibi 位置编码",
        "ALiBi方法的速度与正弦函数嵌入或绝对嵌入方法相当(这是最快的位置编码方法之一)。在评估超出模型训练序列长度的序列时,ALiBi优于这些方法和Rotary嵌入(这称为外推)方法(ALiBi的方式,训练快了11%,并且会减少11%的内存消耗)。",
        "ALiBi is as fast as sinusoidal or absolute embeddings; beyond the training length it beats them and "
        "rotary embeddings (extrapolation); training is 11% faster with 11% less memory.",
        89,
    ),
    Source(
        shared.SEED004,
        "Alibi 位置编码",
        "ALiBi (Attention with Linear Biases,22年ICLR),是一种 position embedding 方法,允许 Transformer 语言模型在推理时处理比其训练时更长的序列。",
        "ALiBi (ICLR 2022) is a position method that lets a Transformer language model handle longer "
        "sequences at inference than in training (the bias −m·|i − j| is defined at every distance, "
        "alibi.bias; how well it extrapolates is measured).",
        85,
    ),
)
RPR_EMPIRICAL = shared.not_formalizable(
    "pe.relative-empirical",
    "Relative position encodings 'work better and extrapolate'",
    "A comparison of trained models; nothing here is derived from the definitions.",
    "empirical: 'better' and 'stronger on long texts' are benchmark outcomes",
    Source(
        shared.SEED004,
        "RoPE 位置编码",
        "直接地体现了相对位置信号,效果更好。具有外推性,处理长文本能力更强",
        "Directly expresses relative position, works better; extrapolates, stronger on long texts.",
        79,
    ),
    Source(
        sentence=S004_L74,
        gloss="…combining the advantages of absolute and relative position encodings (an assessment).",
        assertion="综合了绝对位置编码和相对位置编码的优点",
    ),
)

# the id prefixes this topic owns (the registry refuses a claim of another prefix here, and a
# prefix two topics declare)
PREFIXES = ("pe", "rope", "alibi", "pi", "ntk")

CLAIMS = [
    PERMUTATION,
    NO_POSITION,
    SINUSOIDAL_ROTATION,
    DOT_PRODUCT,
    SIN_ATTENTION,
    ANY_LENGTH,
    NO_EXTRAPOLATION,
    LEARNED_FIXED,
    ROPE_RELATIVE,
    ROPE_NORM_CLAIM,
    ALIBI_BIAS,
    ALIBI_SLOPES,
    PI,
    NTK,
    NTK_EMPIRICAL,
    ALIBI_EMPIRICAL,
    RPR_EMPIRICAL,
]


# ── issue 11: 001 Q11's advantage list ───────────────────────────────────────────────────────────────
GENERALIZES = shared.not_formalizable(
    "pe.sinusoidal-generalizes",
    "'Sinusoidal encodings generalize to sequences of any length and suit long texts'",
    "That the code is defined and bounded at every position is proved (pe.sinusoidal-any-length); whether "
    "a model trained on short sequences works on longer ones is measured, and is often poor without interpolation "
    "(pi.interpolation, ntk.base).",
    "empirical: generalization of a trained model to unseen lengths is an outcome on data, not a property of "
    "the encoding formula",
    Source(
        sentence=S001_L180,
        gloss="…generalises to sequences of any length, suited to long texts.",
        assertion="可泛化到任意长度序列,适合长文本任务",
    ),
)
CLAIMS += [GENERALIZES]

SINUSOIDAL_EXTRAPOLATION = shared.not_formalizable(
    "pe.sinusoidal-extrapolation",
    "'Sinusoidal position encodings do not extrapolate'",
    "The code is defined at every position (pe.sinusoidal-any-length); whether a model trained up to length 512 works beyond it is measured (it often degrades, which motivated ALiBi, PI and NTK scaling).",
    "empirical: extrapolation is the trained model's accuracy on longer inputs, not a property of the encoding formula",
    Source(
        sentence=S004_L77,
        gloss="Disadvantage: no extrapolation (a model trained on short sequences does not work on longer ones).",
        assertion="劣势: 没有外推性",
    ),
)
CLAIMS += [SINUSOIDAL_EXTRAPOLATION]
CLAIMS += [ROPE_APPLY, ROPE_APPLY_HALF]  # issue 12: RoPE contracts


# ── moved here from seedchecks.py / seedclaims.py (issue 10: a topic owns its id prefixes) ───────
# (their old links keep working: see derivations/_moved.py)


PE_FIXED_VS_LEARNED = shared.not_formalizable(
    "pe.fixed-vs-learned",
    "Fixed encodings are less expressive and cannot adapt to data; learned ones fit the task's distribution better",
    "That a sinusoidal code has no parameters (so no data can change it) is its definition; that it is "
    "defined at every position and a learned table is not is proved (`pe.sinusoidal-any-length`, "
    "`pe.learned-fixed-length`). 'Limited expressiveness' and 'adapts better to the task' are claims about "
    "trained models.",
    shared.EMPIRICAL + " ('expressiveness' of a position code and fit to a task are not defined quantities).",
    Source(
        shared.SEED001,
        "Q11",
        "缺点:位置信息的表达能力有限,无法通过数据调整。",
        "Fixed encodings, disadvantage: limited ability to express position information; cannot be adjusted by data.",
        line=181,
    ),
    Source(
        shared.SEED001,
        "Q11",
        "优点:通过训练优化位置表示,能更好适应特定任务的数据分布。",
        "Learned encodings, advantage: the position representation is optimised by training and fits the "
        "task's data distribution better.",
        line=183,
    ),
)


WORD_ORDER = shared.not_formalizable(
    "pe.word-order",
    "Word order carries meaning: the same words in another order can mean the opposite",
    "A fact about language, illustrated with two English sentences made of the same words. The model-side "
    "consequence, that attention without positions cannot tell such permutations apart, is "
    "`pe.permutation-equivariance` and `pe.no-position-indistinguishable`.",
    "Linguistic: a statement about natural language, not about a model.",
    Source(
        shared.SEED004,
        "为什么要引入位置编码",
        "对于任何一门语言,单词在句子中的位置以及排列顺序是非常重要的,"
        "它们不仅是一个句子的语法结构的组成部分,更是表达语义的重要概念。",
        "In any language the position and order of words in a sentence matter: they are part of the grammar "
        "and carry meaning; a different order can change the meaning of the whole sentence.",
        line=56,
    ),
    Source(
        sentence=S004_L60,
        gloss="The two sentences above use exactly the same words but mean the opposite.",
        assertion="上面两句话所使用的的单词完全一样,但是所表达的句意却截然相反",
    ),
)


PI_EXTRAPOLATION_SCORES = shared.not_formalizable(
    "pi.extrapolation-scores",
    "Extrapolating RoPE past the trained length can give catastrophically high attention scores",
    "A RoPE score is bounded at every pair of positions, trained or not: |⟨R_m q, R_n k⟩| ≤ ‖q‖‖k‖ (rotations "
    "keep norms, `rope.norm`, then Cauchy–Schwarz). So 'high' can only mean high relative to the scores seen "
    "in training; Chen et al. (2023) show a fitted score curve that is small on the trained range and "
    "thousands of times larger just outside it. How large it gets depends on the learned q and k. What PI "
    "guarantees, that interpolated angles stay in the trained range, is `pi.interpolation`.",
    shared.EMPIRICAL + " (how a trained model's scores behave at unseen distances; 'catastrophic' is not a quantity).",
    Source(
        shared.SEED004,
        "PI 位置插值支持长度外推",
        "因为这可能会导致灾难性的较高的注意力分数,从而完全破坏了自注意力机制。",
        "(PI interpolates rather than extrapolating) because extrapolation may lead to catastrophically high "
        "attention scores that completely break self-attention.",
        line=98,
    ),
)


NTK_ATTRIBUTION = shared.not_formalizable(
    "ntk.attribution",
    "The NTK-aware scaling came from applying Neural Tangent Kernel theory",
    "How the method's author reasoned: the NTK / Fourier-features argument that networks learn high "
    "frequencies poorly, so the highest RoPE frequencies should not be squeezed. The resulting base change is "
    "`ntk.base`; what linear interpolation does to close tokens is `pi.interpolation`.",
    "Historical: it reports the motivation the method's author gave.",
    Source(
        shared.SEED004,
        "NTK-Aware Scaled RoPE 支持长度外推",
        "通过应用神经切线核(NTK)理论,",
        "By applying Neural Tangent Kernel (NTK) theory (the authors found the limitation of linear interpolation).",
        line=111,
    ),
)


CLAIMS += [PE_FIXED_VS_LEARNED, WORD_ORDER, PI_EXTRAPOLATION_SCORES, NTK_ATTRIBUTION]
