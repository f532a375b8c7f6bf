"""Causal and padding masks: masked keys get weight exactly 0, so outputs ignore them exactly.

Seed 001 Q14 and Q16. Symbolic: one query's output o = (A + μe^{s}v)/(B + μe^{s}) where the
key under study has score s, value v and mask factor μ = e^{b} (b = 0 allowed, b = −∞ masked)
and A, B collect every other key (they do not involve this key's token). The partial derivatives
carry the factor μ, so they vanish exactly when the key is masked — for any sequence length.
Numeric: torch autograd Jacobians of impl and F.scaled_dot_product_attention at drawn n, d, and
bit-exact invariance of real tokens' outputs to padding content.
"""

from __future__ import annotations

import math

import dlproofs.impl.attention as att
import dlproofs.impl.masks as msk
import sympy as sp
import torch
import torch.nn.functional as F
from dlproofs.derivations import _shared as shared
from hypothesis import strategies as st
from sympy import Derivative, exp, symbols

from dlproofs.claim import Claim, Derivation, Source, Step, Verdict
from dlproofs.numeric import Case, CrossCheck, Outcome, PropertyCheck, Tolerance
from dlproofs.profiles import EVIDENCE_FLOOR
from dlproofs.strategies import scales, tensors

A, s_k, v_k = symbols("A s_k v_k", real=True)
b = sp.Symbol("b", extended_real=True)  # a mask bias: 0 or −∞ (extended real, so b := −∞ keeps it)
B = sp.Symbol("B", positive=True)
mu = sp.Symbol("mu", nonnegative=True)  # μ = e^{b}: 1 for an allowed key, 0 for a masked one
OUT = (A + mu * exp(s_k) * v_k) / (B + mu * exp(s_k))
LATEX = {mu: r"\mu", s_k: "s_k", v_k: "v_k"}

WEIGHT = Derivation(
    "softmax weight of a key whose logit gets b = −∞",
    exp(s_k + b) / (B + exp(s_k + b)),
    (
        Step(
            sp.S.Zero, "e^{−∞} = 0", "s_k + (−∞) = −∞ for every finite score, and e^{−∞} = 0: the weight is exactly 0."
        ),
    ),
    where=((b, -sp.oo),),
)
D_V = Derivation(
    "∂o/∂v_k, any mask factor μ",
    Derivative(OUT, v_k),
    (Step(mu * exp(s_k) / (B + mu * exp(s_k)), "quotient rule", "v_k enters only the numerator, through μe^{s_k}."),),
)
D_S = Derivation(
    "∂o/∂s_k, any mask factor μ",
    Derivative(OUT, s_k),
    (
        Step(
            mu * exp(s_k) * (v_k * B - A) / (B + mu * exp(s_k)) ** 2,
            "quotient rule",
            "p_k(v_k − o) with p_k = μe^{s_k}/(B + μe^{s_k}): the softmax derivative, carrying the factor μ.",
        ),
    ),
)
D_V0 = Derivation(
    "∂o/∂v_k for a masked key (μ = 0)",
    Derivative(OUT, v_k),
    (Step(sp.S.Zero, "μ = 0", "The factor μ is 0."),),
    where=((mu, 0),),
)
D_S0 = Derivation(
    "∂o/∂s_k for a masked key (μ = 0)",
    Derivative(OUT, s_k),
    (
        Step(
            sp.S.Zero,
            "μ = 0",
            "Token k reaches o only through s_k = q·k_k and v_k (the query is token i's own): ∂o/∂x_k = 0.",
        ),
    ),
    where=((mu, 0),),
)


@st.composite
def seq_cases(draw: st.DrawFn, *, min_n: int = 1) -> Case:
    """n = min_n..5 tokens of d = 1..3 features, x over UNIT_DOMAIN with a scale 1e-3..1e3 (exact zeros; large
    scales saturate the softmax), W_q, W_k [d, d_k = 1..3], W_v [d, d_v = 1..2] ~ N(0, 1)/√d from a seed: the
    mask must agree with is_causal and the generated mask from uniform to saturated weights."""
    n_ = draw(st.integers(min_n, 5))
    d_, dk, dv = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 2))
    gen = torch.Generator().manual_seed(draw(st.integers(0, 2**32 - 1)))
    w = [torch.randn(d_, c, generator=gen, dtype=torch.float64) / math.sqrt(d_) for c in (dk, dk, dv)]
    return {"x": draw(tensors((n_, d_), scale=draw(scales()))), "w_q": w[0], "w_k": w[1], "w_v": w[2]}


def _jac(f, c: Case) -> torch.Tensor:
    return torch.func.jacrev(f)(c["x"])  # [n, d_v, n, d]


def _sdpa_causal(x, c):
    q, k, v = x @ c["w_q"], x @ c["w_k"], x @ c["w_v"]
    return F.scaled_dot_product_attention(q[None], k[None], v[None], is_causal=True)[0]


def _future_zero(c: Case, mask_fn=msk.causal_additive_mask, use_sdpa: bool = True) -> Outcome:
    """Every block ∂o_i/∂x_j with j > i is exactly 0 (impl with mask_fn, and sdpa is_causal)."""
    n_ = c["x"].shape[0]
    fns = {"impl": lambda x: msk.masked_self_attention(x, c["w_q"], c["w_k"], c["w_v"], mask_fn(n_))}
    if use_sdpa:
        fns["sdpa(is_causal=True)"] = lambda x: _sdpa_causal(x, c)
    future = torch.ones(n_, n_, dtype=torch.bool).triu(1)[:, None, :, None]  # [n, 1, n, 1]
    for name, f in fns.items():
        jac = _jac(f, c)
        bad = (jac != 0) & future
        if bad.any() or not torch.isfinite(jac).all():
            i, _, j, _ = bad.nonzero()[0].tolist() if bad.any() else (0, 0, 0, 0)
            return Outcome(False, math.inf, 0.0, f"{name}: ∂o_{i}/∂x_{j} = {jac[i, :, j].tolist()} (or non-finite)")
    return Outcome(True, 0.0, 0.0)


def _no_mask(n_: int) -> torch.Tensor:
    return torch.zeros(n_, n_, dtype=torch.float64)


def _tril_mask(n_: int) -> torch.Tensor:
    return torch.zeros(n_, n_, dtype=torch.float64).masked_fill(
        torch.ones(n_, n_, dtype=torch.bool).tril(-1), -math.inf
    )


def _causal_jacobian_cases() -> st.SearchStrategy[Case]:
    """As seq_cases with n = 2..5: at n = 1 there is no block j > i to check; magnitudes up to 1e3 push the
    softmax to saturation, where the future blocks must still be exactly 0, not merely tiny."""
    return seq_cases(min_n=2)


CAUSAL_JACOBIAN = Claim(
    id="mask.causal-jacobian",
    title="With a causal mask, output i does not depend on tokens j > i: those Jacobian blocks are exactly 0",
    verdict=Verdict.PROVED,
    summary=(
        "A later token j reaches output i only through its score s_ij and its value v_j; both enter with the mask "
        "factor μ = e^{b_ij}, which is 0 for j > i. So ∂o_i/∂v_j = ∂o_i/∂s_ij = 0 (symbolic, any n), hence "
        "∂o_i/∂x_j = 0: exactly, not approximately — torch autograd returns exact zeros in every block j > i, "
        "for impl and for F.scaled_dot_product_attention(is_causal=True). This is the 'no information leak' of "
        "the seeds: in training, output i cannot see token i + 1, which is its label."
    ),
    derivations=(D_V, D_S, D_V0, D_S0),
    numeric=(
        PropertyCheck(
            name="autograd Jacobian: blocks j > i exactly 0",
            cases=_causal_jacobian_cases,
            holds=_future_zero,
            reason="exact zeros (p_ij = 0 multiplies every path), compared with == 0",
            cap=EVIDENCE_FLOOR["ci"],
            planted={
                "no mask": lambda c: _future_zero(c, _no_mask, use_sdpa=False),
                "mask transposed (the lower triangle)": lambda c: _future_zero(c, _tril_mask, use_sdpa=False),
            },
        ),
    ),
    assumptions=("one attention layer; the query of row i is computed from token i alone",),
    sources=(
        Source(
            shared.SEED001,
            "Q14",
            "自注意力掩码:在Decoder的自注意力中,通过因果掩码(Causal Mask)屏蔽未来位置的信息,确保生成过程只能依赖已生成的部分。",
            "Self-attention mask: in the decoder a causal mask hides future positions, so generation depends "
            "only on what has been generated.",
            247,
        ),
        Source(
            shared.SEED001,
            "Q16",
            "自回归生成:确保每个位置只能关注之前生成的token,避免信息泄漏。",
            "Autoregressive generation: each position attends only to earlier tokens; no information leaks.",
            271,
        ),
        Source(
            shared.SEED001,
            "Q16",
            "防止作弊:在训练阶段,模型无法看到未来的标签,保证生成任务的真实性。",
            "No cheating: in training the model cannot see future labels.",
            273,
        ),
        Source(
            shared.SEED001,
            "Q16",
            "单向依赖:强制模型按顺序处理序列,符合人类语言的生成逻辑。",
            "One-way dependence: the model is forced to process the sequence in order, like human language "
            "generation (precisely: output i depends on tokens ≤ i only; in training all positions are still "
            "computed in parallel, and 'like human language' is interpretation).",
            272,
        ),
        Source(
            sentence=shared.S001_L243,
            gloss="Decoder self-attention: one-directional, with a causal mask (the blocks ∂o_i/∂x_j, j > i, are exactly 0).",
            assertion="单向(因果掩码)",
        ),
    ),
)


def _manual_causal(c: Case, diagonal: int = 1) -> torch.Tensor:
    n_ = c["x"].shape[0]
    q, k, v = c["x"] @ c["w_q"], c["x"] @ c["w_k"], c["x"] @ c["w_v"]
    mask = torch.zeros(n_, n_, dtype=torch.float64).masked_fill(
        torch.ones(n_, n_, dtype=torch.bool).triu(diagonal), -math.inf
    )
    out = torch.softmax(q @ k.T / math.sqrt(q.shape[1]) + mask, dim=-1) @ v
    # a fully masked row is NaN in torch; "safe softmax" implementations return 0 there instead
    # (the comparison would not flag a NaN in the expected side, so make the planted error finite)
    return torch.nan_to_num(out, nan=0.0)


def _attn_scale(c: Case) -> float:
    q, k, v = c["x"] @ c["w_q"], c["x"] @ c["w_k"], c["x"] @ c["w_v"]
    logits = float(q.abs().max()) * float(k.abs().max()) * math.sqrt(q.shape[1])
    return (float(v.abs().max()) + 1e-300) * (1 + logits) * c["x"].shape[0] * c["x"].shape[1]


ATTN_TOL = Tolerance(32, "as attention.sdpa: scale = max|xW_v|·(1 + max|q|·max|k|·√d_k)·n·d", _attn_scale)


def _generate_square(c: Case) -> torch.Tensor:
    n_ = c["x"].shape[0]
    mask = torch.nn.Transformer.generate_square_subsequent_mask(n_, dtype=torch.float64)
    q, k, v = c["x"] @ c["w_q"], c["x"] @ c["w_k"], c["x"] @ c["w_v"]
    return torch.softmax(q @ k.T / math.sqrt(q.shape[1]) + mask, dim=-1) @ v


CAUSAL_TRIANGLE = Claim(
    id="mask.causal-triangle",
    title="The causal mask puts −∞ on the strict upper triangle (j > i); after softmax those weights are exactly 0",
    verdict=Verdict.PROVED,
    summary=(
        "Row i of the additive mask is 0 for keys 1..i and −∞ for i+1..n: the −∞ entries form the strict upper "
        "triangle (the diagonal must stay 0, or the first row has no key at all: torch.softmax gives NaN there, sdpa on CPU a silent 0). "
        "e^{s + (−∞)} = 0, so those weights are exactly 0 and each row renormalises over keys 1..i. The same "
        "mask as nn.Transformer.generate_square_subsequent_mask and as sdpa's is_causal=True."
    ),
    derivations=(WEIGHT,),
    numeric=(
        CrossCheck(
            name="softmax(S + triu(−∞, 1))V against is_causal=True and generate_square_subsequent_mask",
            cases=seq_cases,
            expected=_manual_causal,
            references={
                "F.sdpa(is_causal=True)": lambda c: _sdpa_causal(c["x"], c),
                "nn.Transformer.generate_square_subsequent_mask": _generate_square,
                "impl.masks.masked_self_attention(causal_additive_mask)": lambda c: msk.masked_self_attention(
                    c["x"], c["w_q"], c["w_k"], c["w_v"], msk.causal_additive_mask(c["x"].shape[0])
                ),
                "impl.attention.sdpa(attn_mask=causal_mask)": lambda c: att.sdpa(
                    c["x"] @ c["w_q"],
                    c["x"] @ c["w_k"],
                    c["x"] @ c["w_v"],
                    attn_mask=att.causal_mask(c["x"].shape[0]),
                ),
            },
            tolerance=ATTN_TOL,
            planted={
                "diagonal masked too (triu(−∞, 0))": lambda c: _manual_causal(c, diagonal=0),
                "one future key left open (triu(−∞, 2))": lambda c: _manual_causal(c, diagonal=2),
            },
        ),
    ),
    sources=(
        Source(
            shared.SEED001,
            "Q16",
            "因果掩码是一个上三角矩阵,用于屏蔽当前位置之后的token信息。例如,当生成第i个token时,掩码将第i+1到n的位置设为负无穷(softmax后为0)。",
            "The causal mask is an upper-triangular matrix hiding tokens after the current position: for token i "
            "it sets positions i+1..n to −∞ (0 after softmax). (Strictly upper: the diagonal stays 0.)",
            269,
        ),
    ),
)


@st.composite
def pad_cases(draw: st.DrawFn) -> Case:
    """As seq_cases with n = 2..5, 1..n − 1 real tokens (at least one real and one padded), replacement content
    over UNIT_DOMAIN with its own scale 1e-3..1e3: bit-identity needs the masked weights exactly 0 whatever
    the junk's magnitude."""
    c = draw(seq_cases(min_n=2))
    n_ = c["x"].shape[0]
    real = draw(st.integers(1, n_ - 1))
    c["valid"] = [True] * real + [False] * (n_ - real)
    c["junk"] = draw(tensors(tuple(c["x"].shape), scale=draw(scales())))
    return c


def _padding_invariant(c: Case, use_mask: bool = True) -> Outcome:
    """Real tokens' outputs identical (==) when the padded tokens' content is replaced."""
    valid = torch.tensor(c["valid"])
    x2 = torch.where(valid[:, None], c["x"], c["junk"])
    mask = msk.padding_additive_mask(valid) if use_mask else None
    outs = []
    for x in (c["x"], x2):
        q, k, v = x @ c["w_q"], x @ c["w_k"], x @ c["w_v"]
        impl_out = msk.masked_self_attention(x, c["w_q"], c["w_k"], c["w_v"], mask if use_mask else torch.zeros(1))
        sdpa_out = F.scaled_dot_product_attention(
            q[None], k[None], v[None], attn_mask=valid[None, :] if use_mask else None
        )[0]
        outs.append((impl_out[valid], sdpa_out[valid]))
    same = all(torch.equal(a, b_) for a, b_ in zip(outs[0], outs[1]))
    gap = max(float((a - b_).abs().max()) for a, b_ in zip(outs[0], outs[1]))
    return Outcome(same, 0.0 if same else gap, 0.0, "" if same else f"real outputs moved by {gap:.3g}")


@st.composite
def key_mask_cases(draw: st.DrawFn) -> Case:
    """As seq_cases (n = 1..5), the first 1..n tokens real and the rest padded (n = 1 or all real: no padding,
    the mask is all zeros): impl's additive padding mask must give what sdpa's boolean key mask gives, on every
    row (a padded query attends to the real keys like any other)."""
    c = draw(seq_cases())
    n_ = c["x"].shape[0]
    real = draw(st.integers(1, n_))
    c["valid"] = [True] * real + [False] * (n_ - real)
    return c


def _sdpa_key_mask(c: Case, rows: bool = False) -> torch.Tensor:
    valid = torch.tensor(c["valid"])
    q, k, v = c["x"] @ c["w_q"], c["x"] @ c["w_k"], c["x"] @ c["w_v"]
    mask = valid[:, None] if rows else valid[None, :]  # planted: the mask on the queries
    return F.scaled_dot_product_attention(q[None], k[None], v[None], attn_mask=mask)[0]


KEY_MASK_CHECK = CrossCheck(
    name="impl's attention with padding_additive_mask against sdpa's boolean key mask",
    cases=key_mask_cases,
    expected=_sdpa_key_mask,
    references={
        "impl.masks.masked_self_attention(padding_additive_mask)": lambda c: msk.masked_self_attention(
            c["x"], c["w_q"], c["w_k"], c["w_v"], msk.padding_additive_mask(torch.tensor(c["valid"]))
        )
    },
    tolerance=ATTN_TOL,
    planted={
        "the mask on the queries (rows) instead of the keys": lambda c: _sdpa_key_mask(c, rows=True),
        "no mask": lambda c: _sdpa_key_mask({**c, "valid": [True] * len(c["valid"])}),
    },
    # run before the drawn cases: one real token (n = 1, nothing padded), the smallest sequence, where the mask
    # must be a single 0 and the output one row
    examples=(
        {
            "x": torch.tensor([[0.6, -0.9]], dtype=torch.float64),
            "w_q": torch.tensor([[0.5], [-1.2]], dtype=torch.float64),
            "w_k": torch.tensor([[1.1], [0.3]], dtype=torch.float64),
            "w_v": torch.tensor([[0.7, -0.2], [0.4, 1.3]], dtype=torch.float64),
            "valid": [True],
        },
    ),
)


PADDING = Claim(
    uses=("mask.causal-jacobian",),
    id="mask.padding",
    title="A padding mask gives padded keys weight 0: real tokens' outputs ignore the padding's content exactly",
    verdict=Verdict.PROVED,
    summary=(
        "Masking the padded keys for every query sets μ = 0 for them, so ∂o_i/∂x_pad = 0 (the same derivation as "
        "mask.causal-jacobian, for any n): real tokens' outputs do not change, bit for bit, whatever the padded "
        "positions contain (impl and sdpa with a boolean key mask). The padded positions' own outputs are "
        "arbitrary and must be ignored downstream (loss masking)."
    ),
    derivations=(D_V0, D_S0, WEIGHT),
    numeric=(
        PropertyCheck(
            name="real outputs bit-identical after replacing the padding content",
            cases=pad_cases,
            holds=_padding_invariant,
            cap=EVIDENCE_FLOOR["ci"],
            reason="exact: padded weights are exactly 0 and the row maxima come from real keys, so every "
            "operation on real rows sees the same numbers (torch.equal)",
            planted={"no padding mask": lambda c: _padding_invariant(c, use_mask=False)},
        ),
        KEY_MASK_CHECK,
    ),
    sources=(
        Source(
            shared.SEED001,
            "Q14",
            "填充掩码:处理变长序列时,忽略填充token的影响。",
            "Padding mask: for variable-length sequences, ignore the effect of padding tokens.",
            248,
        ),
    ),
)

# the id prefixes this topic owns (the registry refuses a claim of another prefix here, and a
# prefix two topics declare)
PREFIXES = ("mask",)

CLAIMS = [CAUSAL_JACOBIAN, CAUSAL_TRIANGLE, PADDING]
