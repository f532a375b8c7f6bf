"""Multi-head mechanics: cost and parameters of h heads of size d/h, the split, seed 004's layer.

The split of [n, d] into h heads is a relabelling of columns (proved on flat indices for symbolic
n, h, a with d = h·a); h heads of size a = d/h cost what one head of size d costs (4·n²·d for
scores and weighted sum, 8·n·d² for the four projections) and have the same 4·d² projection
weights. Counted with FlopCounterMode (math SDPA backend forced, see derivations/complexity.py)
and with ``.parameters()`` on nn.MultiheadAttention for every h. That reshape = per-head loop =
nn.MultiheadAttention is attention.multi-head (derivations/attention.py); not repeated here.
Seeds: 002 (multi head attention Q1/Q2, head dimension), 004 (the multi-head code), 001 Q10.
"""

from __future__ import annotations

import functools
import math

import dlproofs.impl.attention as att
import dlproofs.impl.complexity as cx
import dlproofs.impl.heads as hd
import sympy as sp
import torch
from dlproofs.derivations import _shared as shared
from dlproofs.derivations.complexity import EXACT, _sum
from hypothesis import strategies as st
from sympy import Le, Symbol, symbols

from dlproofs.claim import Claim, Counterexample, Derivation, Premise, Sentence, Source, Step, Verdict
from dlproofs.lemmas import Certificate
from dlproofs.numeric import Case, ClosedForm, CrossCheck, Outcome, PropertyCheck, Tolerance

n, d, h, a = symbols("n d h a", integer=True, positive=True)
t, i, c, j, r = symbols("t i c j r", integer=True, nonnegative=True)
B = Symbol("B", integer=True, positive=True)
HA = ((d, h * a),)  # d := h·a: the head dimension is a = d/h


@st.composite
def head_sizes(draw: st.DrawFn) -> Case:
    """B = 1..2, n = 1..7 (1 often), h = 1..4 heads of size a = 1..4, d = h·a (h = 1 and h = d occur), a seed
    for x ~ N(0, 1): counts and index moves are exact, values do not change them, so only the sizes vary."""
    heads, head_dim = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    return {
        "B": draw(st.integers(1, 2)),
        "n": draw(st.one_of(st.just(1), st.integers(1, 7))),
        "h": heads,
        "a": head_dim,
        "d": heads * head_dim,
        "seed": draw(st.integers(0, 2**31 - 1)),
    }


def _x(case: Case, extra: int = 0) -> torch.Tensor:
    gen = torch.Generator().manual_seed(case["seed"] + extra)
    return torch.randn(case["B"], case["n"], case["d"], generator=gen, dtype=torch.float64)


def _form(expr: sp.Expr):
    full = B * expr
    f = ClosedForm(full, tuple(sorted(full.free_symbols, key=str)))
    return lambda case: f(case)


def _count(v: float) -> torch.Tensor:
    return torch.tensor(float(v), dtype=torch.float64)


# ── heads.cost ────────────────────────────────────────────────────────────────────────────
PROJ4 = 4 * _sum(2, (c, d), (j, d), (r, n))  # x W for W_q, W_k, W_v, W_o: [n, d] @ [d, d]
COST = Derivation(
    "matmul FLOPs of multi-head self-attention, h heads of size a (d = h·a)",
    PROJ4 + h * 2 * _sum(2, (c, a), (j, n), (r, n)),
    (
        Step(
            8 * n * d**2 + 4 * h * n**2 * a,
            "count",
            "Projections as for one head (4 × 2nd²); per head, scores and "
            "weighted sum are [n, a] @ [a, n] and [n, n] @ [n, a]: 2n²a each.",
        ),
        Step(
            8 * n * d**2 + 4 * n**2 * d,
            "h·a = d",
            "Exactly the cost of one head of size d: splitting changes the shapes of the products, not their total.",
        ),
    ),
    sizes={n: range(1, 3)},
    where=HA,
)


@functools.cache
def _mha(dd: int, heads: int) -> torch.nn.MultiheadAttention:
    """One module per size: counts do not depend on the weights, and FlopCounterMode's module
    tracker costs ~17 ms the first time it meets a module."""
    return torch.nn.MultiheadAttention(dd, heads, bias=False, batch_first=True, dtype=torch.float64)


def _mha_flops(case: Case, heads: int) -> torch.Tensor:
    x = _x(case)
    mod = _mha(case["d"], heads)
    with cx.math_sdpa():
        return _count(cx.matmul_flops(lambda: mod(x, x, x, need_weights=False)))


def _impl_flops(case: Case, heads: int) -> torch.Tensor:
    x = _x(case)
    dd = case["d"]
    w = [torch.randn(dd, dd, generator=torch.Generator().manual_seed(k), dtype=torch.float64) for k in range(4)]
    return _count(cx.matmul_flops(lambda: cx.self_attention(x, *w, heads)))


S002_L78 = Sentence(
    file=shared.SEED002,
    section="Transformer中multi-head attention中每个head为什么要进行降维?",
    line=78,
    quote="在不增加时间复杂度的情况下,同时,借鉴CNN多核的思想,在更低的维度,在多个独立的特征空间,更容易学习到更丰富的特征信息。",
)


COST_CLAIM = Claim(
    id="heads.cost",
    title="h heads of size d/h cost the same FLOPs as one head of size d: 8·n·d² + 4·n²·d",
    verdict=Verdict.PROVED,
    summary=(
        "Multi-head attention does not add time complexity: the projections are the same [n, d] @ [d, d] "
        "products, and h heads of size a = d/h do h·4n²a = 4n²d for scores and weighted sums — proved for "
        "symbolic h, a. Measured on nn.MultiheadAttention with h heads and with 1 head (math backend forced), "
        "and on impl.complexity.self_attention, at the same n, d."
    ),
    derivations=(COST,),
    numeric=(
        CrossCheck(
            name="B·(8nd² + 4n²d) for h heads and for one head",
            cases=head_sizes,
            expected=_form(COST.rhs),
            references={
                "nn.MultiheadAttention(d, h) [math]": lambda cs: _mha_flops(cs, cs["h"]),
                "nn.MultiheadAttention(d, 1) [math]": lambda cs: _mha_flops(cs, 1),
                "impl.complexity.self_attention(h)": lambda cs: _impl_flops(cs, cs["h"]),
            },
            tolerance=EXACT,
            planted={
                "h × one head's cost": _form(h * (8 * n * d**2 + 4 * n**2 * d)),
                "4n²d/h (heads of size d/h, not summed)": _form(8 * n * d**2 + 4 * n**2 * a),
            },
        ),
    ),
    assumptions=("h divides d; no biases; FLOPs of matmuls (2 per multiply-add)",),
    sources=(
        Source(
            shared.SEED002,
            "multi head attention Q2",
            "所以多头注意力不会增加时间复杂度。",
            "So multi-head attention does not increase the time complexity.",
            line=50,
        ),
        Source(
            sentence=S002_L78,
            gloss="(Each head reduces its dimension) without increasing the time complexity.",
            assertion="在不增加时间复杂度的情况下",
        ),
    ),
)

# ── heads.cost-n2h ────────────────────────────────────────────────────────────────────────
N2H = Derivation(
    "FLOPs of (h, n, a) × (h, a, n): h products (n, a) × (a, n)",
    h * _sum(2, (c, a), (j, n), (r, n)),
    (
        Step(2 * h * n**2 * a, "count", "Each small product has n² entries of a-term dot products."),
        Step(2 * n**2 * d, "h·a = d", "O(n²·d) — but O(n²·h·a), not O(n²·h): the head dimension a is not a constant."),
    ),
    sizes={n: range(1, 3)},
    where=HA,
)
N2H_RATIO = Derivation(
    "the cost over n²·h",
    N2H.lhs / (n**2 * h),
    (Step(2 * a, "cancel", "2a = 2d/h: unbounded (h = 1, d large), so the cost is not O(n²·h)."),),
    sizes={n: range(1, 3)},
)


def _bmm_flops(case: Case) -> torch.Tensor:
    q = hd.split_heads(_x(case), case["h"])  # [B, h, n, a]
    return _count(cx.matmul_flops(lambda: torch.matmul(q, q.transpose(-2, -1))))


SCORE_CHECK = CrossCheck(
    name="2·B·h·n²·a against FlopCounterMode on the batched head product",
    cases=head_sizes,
    expected=_form(N2H.steps[0].expr),
    references={"torch.matmul(q [B,h,n,a], kᵀ)": _bmm_flops},
    tolerance=EXACT,
    planted={"2·n²·h (the seed's O(n²·h) as a count)": _form(2 * n**2 * h)},
)

S002_L48 = Sentence(
    file=shared.SEED002,
    section="multi head attention Q2",
    line=48,
    quote="这样,两个矩阵相乘(h,n,a)×(h,a,n)可以看做是两个小矩阵相乘(n,a)×(a,n)h词,所以时间复杂度为O(n²⋅h)=O(n²⋅d)",
)


SCORE_COST = Claim(
    id="heads.score-cost",
    title="The score product of h heads, (h, n, a) × (h, a, n), costs h·2n²a = 2n²d FLOPs (d = h·a)",
    verdict=Verdict.PROVED,
    summary=(
        "The batched product is h small products (n, a) × (a, n); each has n² entries, each an a-term dot product "
        "(2a FLOPs), so the total is h·2n²a, which is 2n²d because d = h·a — proved for symbolic n, h, a. Measured: "
        "FlopCounterMode on torch.matmul of the split heads. (The weighted sum [n, n] @ [n, a] per head costs the "
        "same again; the whole layer is heads.cost.)"
    ),
    derivations=(N2H,),
    numeric=(SCORE_CHECK,),
    assumptions=("h divides d (a = d/h); FLOPs of matmuls (2 per multiply-add)",),
    sources=(
        Source(
            sentence=S002_L48,
            gloss=(
                "So the product (h,n,a)×(h,a,n) can be seen as h products of small matrices (n,a)×(a,n) ('h词' is a typo "
                "for 'h次', h times): a batched product is exactly that, and it costs h·2n²a FLOPs."
            ),
            assertion="这样,两个矩阵相乘(h,n,a)×(h,a,n)可以看做是两个小矩阵相乘(n,a)×(a,n)h词",
        ),
        Source(
            sentence=S002_L48,
            gloss=(
                "…= O(n²·d): read as the chain's conclusion, the cost's class: the h products of 2n²a FLOPs each cost "
                "2n²·h·a = 2n²d, which is O(n²·d). (Read as an equality of classes, O(n²·h) = O(n²·d) needs a bounded head "
                "size — judged with O(n²·h) on heads.cost-n2h.)"
            ),
            assertion="=O(n²⋅d)",
        ),
    ),
)

C_big = Symbol("C", positive=True)  # the constant of the O(n²·h) bound
slack_a = Symbol("s", nonnegative=True)  # C/2 − a ≥ 0: how far the head size is under the bound
N2H_BOUND = Derivation(
    "the relative slack of C·n²·h over the h head products' count 2n²·h·a (heads.score-cost), head size a ≤ C/2",
    (C_big * n**2 * h - N2H.steps[0].expr) / (C_big * n**2 * h),
    (
        Step(slack_a / (a + slack_a), "C = 2(a + s)", "A bounded head size: C/2 = a + s with s ≥ 0."),
        Step(
            sp.S.Zero,
            "s ≥ 0",
            "So 2n²·h·a ≤ C·n²·h: O(n²·h) holds, and then O(n²·h) = O(n²·d) too, since d = h·a lies between h and "
            "(C/2)·h.",
            relation=">=",
            lemma=Certificate(slack_a / (a + slack_a)),
        ),
    ),
    where=((C_big, 2 * (a + slack_a)),),
)

N2H_CLASS_UP = Derivation(
    "n²·d against (C/2)·n²·h, relative to n²·h (d = h·a, bounded head size)",
    (C_big / 2 * n**2 * h - n**2 * d) / (n**2 * h),
    (
        Step(slack_a, "d = h·a, C = 2(a + s)", "The margin of the head size under its bound."),
        Step(sp.S.Zero, "s ≥ 0", "n²·d ≤ (C/2)·n²·h: O(n²·d) ⊆ O(n²·h).", relation=">=", lemma=Certificate(slack_a)),
    ),
    where=((d, h * a), (C_big, 2 * (a + slack_a))),
)
N2H_CLASS_DOWN = Derivation(
    "n²·h against n²·d, relative to n²·h (d = h·a)",
    (n**2 * d - n**2 * h) / (n**2 * h),
    (
        Step(a - 1, "d = h·a", "The head size minus one."),
        Step(
            sp.S.Zero,
            "a ≥ 1 (an integer size)",
            "n²·h ≤ n²·d: O(n²·h) ⊆ O(n²·d). With the bound above, O(n²·h) = O(n²·d) while the head size is bounded.",
            relation=">=",
            lemma=Certificate(a - 1),
        ),
    ),
    where=((d, h * a),),
)

# what the counterexamples refute: the statement without the hypothesis
HEADS_COST_N2H_UNCONDITIONAL = Le(N2H.steps[0].expr, C_big * n**2 * h)
N2H_CLAIM = Claim(
    uses=("heads.score-cost",),
    id="heads.cost-n2h",
    title="“h small products (n,a)×(a,n), so O(n²·h)” (002): the count 2n²·h·a is O(n²·h) only while the head size a is bounded",
    verdict=Verdict.CONDITIONAL,
    refutes=(HEADS_COST_N2H_UNCONDITIONAL,),  # without the hypothesis
    summary=(
        "Seed 002's step counts each small product as n² and drops its factor a: the h head products cost "
        "h·2n²a = 2n²d (heads.score-cost), and the cost over n²·h is 2a. So O(n²·h) — and with it the sentence's "
        "equality O(n²·h) = O(n²·d) — holds exactly when the head size a = d/h is bounded (a ≤ C/2 gives the "
        "constant C; the usual a = 64 is such a case), and fails when a grows with d: for any constant C, a > C/2 "
        "breaks it (h = 1, a = d = 64 against C = 100)."
    ),
    derivations=(N2H_RATIO, N2H_BOUND, N2H_CLASS_UP, N2H_CLASS_DOWN),
    numeric=(SCORE_CHECK,),
    counterexamples=(
        Counterexample(
            "O(n²·h) with constant 100 fails at h = 1, a = d = 64: the products cost 128·n² > 100·n²·h "
            "(for any constant C take a > C/2)",
            relation=HEADS_COST_N2H_UNCONDITIONAL,
            point={n: 4, h: 1, a: 64, C_big: 100},
        ),
    ),
    hypothesis="the head size a = d/h is fixed: bounded by a constant independent of n, h and d (a ≤ C/2, C the "
    "constant of the O(n²·h))",
    premise=Premise(relation=Le(2 * a, C_big)),
    sources=(
        Source(
            sentence=S002_L48,
            gloss=(
                "Hence the time complexity is O(n²·h)…. Conditional: the h products cost 2n²·h·a, which is O(n²·h) (and then "
                "equal to O(n²·d), as the sentence goes on) exactly when the head size a = d/h is bounded — true for the "
                "usual fixed a = 64, false when a grows with d (h = 1, a = d). The sentence does not say which; its step "
                "('h small products, so O(n²·h)') drops each product's factor a."
            ),
            assertion="所以时间复杂度为O(n²⋅h)",
        ),
    ),
)

# ── heads.split ───────────────────────────────────────────────────────────────────────────
SPLIT = Derivation(
    "flat (row-major) index of entry (t, i, c) of the [n, h, a] view",
    t * (h * a) + i * a + c,
    (
        Step(
            t * d + (i * a + c),
            "d = h·a",
            "It is entry (t, i·a + c) of the [n, d] input: head i, feature c of "
            "token t is column i·a + c — a block of a consecutive columns per head. Transposing to [h, n, a] "
            "only reorders the strides: nothing is copied, lost or mixed across tokens.",
        ),
    ),
    where=HA,
)


def _split_cases() -> st.SearchStrategy[Case]:
    """As head_sizes: x [B, n, d] ~ N(0, 1) from the seed, h = 1..4, a = 1..4; a split only moves entries, so
    it is compared exactly and the sizes (h = 1, a = 1, n = 1 included) are what must vary."""
    return head_sizes()


def _interleaved(cs: Case) -> torch.Tensor:
    x, hh = _x(cs), cs["h"]
    return torch.stack([x[..., k::hh] for k in range(hh)], dim=1)


def _view_no_transpose(cs: Case) -> torch.Tensor:
    x = _x(cs)
    return x.reshape(cs["B"], cs["h"], cs["n"], cs["a"])


SPLIT_CLAIM = Claim(
    id="heads.split",
    title="Splitting (n, d) into (h, n, a), a = d/h, by view + transpose gives head i the columns i·a … i·a + a − 1",
    verdict=Verdict.PROVED,
    summary=(
        "view(n, h, a) reads the row-major [n, d] data as [n, h, a]: entry (t, i, c) is x[t, i·a + c] (proved on "
        "flat indices for symbolic sizes). Swapping n and h gives each head an [n, a] matrix made of its block "
        "of a = d/h columns. Checked against slicing, against seed 004's view + permute(0, 2, 1, 3), and merge "
        "∘ split = identity."
    ),
    derivations=(SPLIT,),
    numeric=(
        CrossCheck(
            name="view + transpose against column slicing and seed 004's split_heads",
            cases=_split_cases,
            expected=lambda cs: hd.split_heads_loop(_x(cs), cs["h"]),
            references={
                "impl.heads.split_heads": lambda cs: hd.split_heads(_x(cs), cs["h"]),
                "seed 004 split_heads (view + permute)": lambda cs: hd.SeedSelfAttentionLayer(
                    cs["d"], cs["h"]
                ).split_heads(_x(cs), cs["B"]),
                "merge_heads ∘ split_heads, split again": lambda cs: hd.split_heads(
                    hd.merge_heads(hd.split_heads(_x(cs), cs["h"])), cs["h"]
                ),
            },
            tolerance=Tolerance.exact("a permutation of entries: every value is copied, none computed"),
            planted={
                "reshape to (h, n, a) without the transpose": _view_no_transpose,
                "interleaved columns k::h": _interleaved,
            },
        ),
    ),
    sources=(
        Source(
            shared.SEED002,
            "multi head attention Q2",
            "原本(n,d)的输入,经过矩阵变换,拆解成维度为(n,h,a)的的矩阵,h为头的数量,a为每个头输入的维度,再调整n和h的顺序得到(h,n,a)的矩阵作为每个头的输入。",
            "The (n, d) input is reshaped into (n, h, a), h heads of input dimension a, then n and h are swapped "
            "to give (h, n, a), each head's input.",
            line=46,
        ),
        Source(
            shared.SEED004,
            "Self Attention Layer",
            "在多头自注意力中,将查询(Q)、键(K)和值(V)分成 h 个头,其中 h 是注意力头的数量。对于每个头,使用不同的线性变换权重。",
            "In multi-head self-attention Q, K, V are split into h heads, each with its own linear weights: head i uses the column block i·a … i·a + a − 1 of W_q, W_k, W_v.",
            line=20,
        ),
    ),
)

# ── heads.params ──────────────────────────────────────────────────────────────────────────
PARAMS = Derivation(
    "projection weights of h heads, each with its own W_q, W_k, W_v [d, a], plus W_o [d, d]",
    h * 3 * d * a + d * d,
    (
        Step(
            4 * d**2,
            "h·a = d",
            "The per-head weights are the h column blocks of three [d, d] matrices: 3d², plus "
            "W_o: 4·d², the same as one head of size d.",
        ),
    ),
    where=HA,
)


def _mha_params(cs: Case, heads: int) -> torch.Tensor:
    mod = torch.nn.MultiheadAttention(cs["d"], heads, bias=False, dtype=torch.float64)
    return _count(hd.param_count(mod))


def _per_head_linears(cs: Case) -> torch.Tensor:
    """h separate heads, each with its own three Linear(d, a), then one Linear(d, d)."""
    dd, hh, aa = cs["d"], cs["h"], cs["a"]
    heads = torch.nn.ModuleList(torch.nn.Linear(dd, aa, bias=False) for _ in range(3 * hh))
    return _count(hd.param_count(heads) + hd.param_count(torch.nn.Linear(dd, dd, bias=False)))


def _seed_plus_wo(cs: Case) -> torch.Tensor:
    return _count(hd.param_count(hd.SeedSelfAttentionLayer(cs["d"], cs["h"])) + cs["d"] ** 2)


def _params_only(expr: sp.Expr):
    f = ClosedForm(expr, tuple(sorted(expr.free_symbols, key=str)))
    return lambda cs: f(cs)


PARAMS_CLAIM = Claim(
    id="heads.params",
    title="Multi-head attention has the same 4·d² projection parameters as single-head, for every h",
    verdict=Verdict.PROVED,
    summary=(
        "'Each head has its own Q, K, V projections' is true as h column blocks of size [d, d/h] of the three "
        "[d, d] matrices: h·3·d·(d/h) + d² (W_o) = 4·d², independent of h (proved for symbolic h, a). Counted "
        "with .parameters() on nn.MultiheadAttention(bias=False) for h heads and for one, on h separate "
        "per-head Linear(d, d/h) triples, and on seed 004's layer (3·d², it has no W_o) plus W_o."
    ),
    derivations=(PARAMS,),
    numeric=(
        CrossCheck(
            name="4·d² against .parameters()",
            cases=head_sizes,
            expected=_params_only(PARAMS.rhs),
            references={
                "nn.MultiheadAttention(d, h, bias=False)": lambda cs: _mha_params(cs, cs["h"]),
                "nn.MultiheadAttention(d, 1, bias=False)": lambda cs: _mha_params(cs, 1),
                "3h × Linear(d, d/h) + Linear(d, d)": _per_head_linears,
                "seed 004 SelfAttentionLayer + W_o": _seed_plus_wo,
            },
            tolerance=EXACT,
            planted={
                "h × 4d² (a full-size set per head)": _params_only(4 * h * d**2),
                "3·d² (W_o forgotten)": _params_only(3 * d**2),
            },
        ),
    ),
    sources=(),
)


# ── heads.seed-004-code ───────────────────────────────────────────────────────────────────
@st.composite
def seed_layer_cases(draw: st.DrawFn) -> Case:
    """As head_sizes; the seed layer's W_q, W_k, W_v ~ N(0, 1)/√d and x ~ N(0, 1) from the seed: unit-scale
    logits, where a 1/√d_model scale in place of 1/√a is clearly visible whenever h > 1."""
    cs = draw(head_sizes())
    return cs


def _seed_layer(cs: Case) -> tuple[hd.SeedSelfAttentionLayer, torch.Tensor]:
    torch_gen = torch.Generator().manual_seed(cs["seed"] + 17)
    layer = hd.SeedSelfAttentionLayer(cs["d"], cs["h"]).to(torch.float64)
    with torch.no_grad():
        for lin in (layer.W_q, layer.W_k, layer.W_v):
            lin.weight.copy_(
                torch.randn(cs["d"], cs["d"], generator=torch_gen, dtype=torch.float64) / math.sqrt(cs["d"])
            )
    return layer, _x(cs)


def _seed_out(cs: Case) -> torch.Tensor:
    layer, x = _seed_layer(cs)
    with torch.no_grad():
        return layer(x)


def _reference(cs: Case, scale_d_model: bool = False) -> torch.Tensor:
    layer, x = _seed_layer(cs)
    w = [m.weight.detach() for m in (layer.W_q, layer.W_k, layer.W_v)]
    if not scale_d_model:
        return att.multi_head(x, *w, cs["h"])
    q, k, v = (hd.split_heads(x @ m.T, cs["h"]) for m in w)
    p = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(cs["d"]), -1)
    return hd.merge_heads(p @ v)


def _shape_holds(cs: Case, want: tuple[int, ...] = (16, 10, 512)) -> Outcome:
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(16, 10, 512, generator=gen)
    with torch.no_grad():
        got = tuple(hd.SeedSelfAttentionLayer(512, 8)(x).shape)
    return Outcome(got == want, 0.0, 0.0, f"output.size() = {got}, claimed {want}")


def _seed_example_cases() -> st.SearchStrategy[Case]:
    """No drawn input: the claim is about the seed's own example (x [16, 10, 512], 8 heads), which the check
    builds itself, so the one empty case runs exactly that example."""
    return st.just({})


SEED_CODE = Claim(
    uses=("attention.multi-head",),
    id="heads.seed-004-code",
    title="Seed 004's SelfAttentionLayer computes multi-head attention (scale 1/√(d_model/h)), output [16, 10, 512]",
    verdict=Verdict.TESTED,
    tested_reason="no symbolic derivation: what seed 004's code computes (and its output shape) is observed by running it, a behavioural check.",
    summary=(
        "The seed's code (transcribed in impl.heads.SeedSelfAttentionLayer) projects with three bias-free "
        "Linear(d_model, d_model), splits by view + permute, scales by 1/√d_k with d_k = d_model // num_heads, "
        "and merges back: on drawn sizes it equals impl.attention.multi_head with the same weights (itself equal "
        "to the per-head loop and nn.MultiheadAttention, attention.multi-head). Its printed size for the seed's "
        "example, torch.Size([16, 10, 512]), is what it returns. It has no output projection W_o."
    ),
    numeric=(
        CrossCheck(
            name="seed 004's layer against impl.attention.multi_head",
            cases=seed_layer_cases,
            expected=_reference,
            references={"seed 004 SelfAttentionLayer": _seed_out},
            tolerance=Tolerance(
                64,
                "the same operations in another order: softmax of d_k-term logits of unit-scale "
                "inputs, summed over n: scale n·d",
                lambda cs: cs["n"] * cs["d"] * 8.0,
            ),
            planted={"heads scaled by 1/√d_model": lambda cs: _reference(cs, scale_d_model=True)},
            # run before the drawn cases: h = a = n = 2 (in head_sizes' domain); with the head count, head size
            # and length equal, attention over a wrong axis stays well-formed and is compared by value
            examples=({"B": 2, "n": 2, "h": 2, "a": 2, "d": 4, "seed": 3},),
        ),
        PropertyCheck(
            name="the seed's example prints torch.Size([16, 10, 512])",
            cases=_seed_example_cases,
            holds=_shape_holds,
            reason="a shape, compared exactly",
            planted={"per-head size [16, 10, 64]": lambda cs: _shape_holds(cs, (16, 10, 64))},
        ),
    ),
    sources=(
        Source(
            shared.SEED004,
            "Self Attention Layer (code)",
            "import torch.nn.functional as Fclass SelfAttentionLayer(torch.nn.Module):…",
            "The seed's multi-head SelfAttentionLayer (code with its line breaks lost in extraction).",
            line=34,
        ),
        Source(
            shared.SEED004,
            "Self Attention Layer (code)",
            "print(output.size())  # 输出: torch.Size([16, 10, 512])",
            "Printed output size: torch.Size([16, 10, 512]).",
            line=41,
        ),
    ),
)

# the id prefixes this topic owns (the registry refuses a claim of another prefix here, and a
# prefix two topics declare)
PREFIXES = ("heads", "multihead")

CLAIMS = [COST_CLAIM, SCORE_COST, N2H_CLAIM, SPLIT_CLAIM, PARAMS_CLAIM, SEED_CODE]


SUBSPACES = shared.not_formalizable(
    "heads.subspaces",
    "“Each head attends to a different subspace / aspect, so several heads work better”: not formalizable",
    "What heads learn and whether more heads help is a statement about trained models and benchmarks.",
    "Empirical: about what trained heads specialize in and measured task performance, not a mathematical fact "
    "(the mechanics — split, cost, parameters — are heads.split, heads.cost, heads.params).",
    Source(
        shared.SEED002,
        "为什么要做 Multi-head Attention",
        "Transformer使用多头注意力,将模型分为多个头,形成多个子空间,每个头关注不同方面的信息。",
        "Multi-head attention splits the model into several heads, several subspaces, each attending to different information.",
        line=68,
    ),
    Source(
        shared.SEED001,
        "Q10",
        "每个头的作用是从不同的表示子空间中提取信息。",
        "Each head extracts information from a different representation subspace.",
        line=169,
    ),
)

REDUNDANCY = shared.not_formalizable(
    "heads.redundancy",
    "“Not all heads are needed; 8 heads are redundant on some tasks” (002): not formalizable",
    "A report of pruning experiments (removing heads keeps most of the accuracy).",
    "Empirical: an experimental finding about trained models, not derivable.",
    Source(
        shared.SEED002,
        "为什么要做 Multi-head Attention",
        "但最近一些研究表明注意力头不是越多越好,去掉一些头效果依然有不错的效果,这表明原论文中的Transformer模型在特定任务上使用8个头是有冗余的。",
        "Recent studies show more heads are not always better: pruning heads keeps good results, so 8 heads are redundant on some tasks.",
        line=70,
    ),
)

CLAIMS += [SUBSPACES, REDUNDANCY]


# ── moved here from seedchecks.py / seedclaims.py (issue 10: a topic owns its id prefixes) ───────
# (their old links keep working: see derivations/_moved.py)


HEADS_BETTER = shared.not_formalizable(
    "multihead.why-better",
    "Several heads beat one: more expressive, more diverse dependencies, no information bottleneck",
    "With the same total width, h heads of size d/h can express attention patterns a single head cannot "
    "(h different softmax weightings per query), but also lose rank per head; whether that is better is "
    "settled by experiments, not by a theorem, and 'information bottleneck' is not defined.",
    shared.EMPIRICAL + " ('better', 'more expressive' and 'bottleneck' are not defined).",
    Source(
        shared.SEED001,
        "Q10",
        "增加模型的表达能力:单个头的自注意力机制可能只能关注到输入序列的某些特定方面,而多个头可以同时从不同的角度对输入进行处理,从而增加了模型的表达能力。",
        "More expressiveness: one head may only attend to some aspects; several heads process the input from "
        "different angles at once.",
        line=171,
    ),
    Source(
        shared.SEED001,
        "Q10",
        "捕捉多样化的依赖关系:不同的头可以捕捉到不同类型的依赖关系。",
        "Diverse dependencies: different heads capture different kinds of dependency (long-range, local).",
        line=172,
    ),
    Source(
        shared.SEED001,
        "Q10",
        "避免信息瓶颈:单个头的自注意力机制可能会存在信息瓶颈问题,即无法充分利用输入的所有信息。",
        "Avoiding an information bottleneck: a single head may not use all the information in the input.",
        line=173,
    ),
    Source(
        shared.SEED001,
        "Q10",
        "例如,在Transformer模型中,多头注意力机制通过多个头的组合,使得模型在自然语言处理任务中取得了很好的效果。",
        "In the Transformer, combining heads gave very good results on NLP tasks.",
        line=174,
    ),
    Source(
        sentence=S002_L78,
        gloss="Borrowing the idea of CNN's many kernels, richer features are easier to learn in several independent lower-dimensional feature spaces.",
        assertion="借鉴CNN多核的思想,在更低的维度,在多个独立的特征空间,更容易学习到更丰富的特征信息",
    ),
    Source(
        shared.SEED002,
        "不乘QKV参数矩阵",
        "当然,qkv参数矩阵也使得多头可以捕捉更丰富的特征。",
        "Of course, the q, k, v parameter matrices also let the heads capture richer features.",
        line=64,
    ),
    Source(
        sentence=shared.S004_L29,
        gloss="…to further extract information from the sequence (the purpose of several heads).",
        assertion="进一步提取序列中的信息",
    ),
)


CLAIMS += [HEADS_BETTER]
