"""Self-attention without Q/K/V projections: is a token's score with itself the largest in its row?

Seed 002 argues that without W_q, W_k, W_v (q = k = v = x) each token's own score x_i·x_i is the
largest in its row "at the same magnitude", so after the softmax the token mostly attends to
itself. In polar form x_i·x_j = ‖x_i‖‖x_j‖cos θ_ij: the self score is the row maximum when no
other token is longer than x_i (Cauchy–Schwarz), false as soon as one aligned token is longer —
even by 10%, "the same order of magnitude". And even under equal norms the self weight need not
dominate: with small norms the softmax is nearly uniform. Checked on torch with drawn tokens.
"""

from __future__ import annotations

import torch
from dlproofs.derivations import _shared as shared
from hypothesis import strategies as st
from sympy import Ge, Rational, Symbol, cos, exp, symbols

from dlproofs.claim import Claim, Counterexample, Derivation, Premise, Sentence, Source, Step, Verdict
from dlproofs.lemmas import Certificate, LemmaUse
from dlproofs.numeric import Case, Outcome, PropertyCheck

r_i = Symbol("r_i", positive=True)  # ‖x_i‖
sigma = Symbol("sigma", nonnegative=True)  # ‖x_j‖ = ‖x_i‖/(1 + σ): the hypothesis ‖x_j‖ ≤ ‖x_i‖
theta = Symbol("theta", real=True)  # the angle between x_i and x_j
u1, u2, v1, v2, eps = symbols("u1 u2 v1 v2 epsilon", real=True)

LATEX = {r_i: r"\lVert x_i \rVert", theta: r"\theta_{ij}", sigma: r"\sigma"}

UNDER = Derivation(
    "x_i·x_j under ‖x_j‖ = ‖x_i‖/(1 + σ) ≤ ‖x_i‖",
    r_i * (r_i / (1 + sigma)) * cos(theta),
    (
        Step(
            r_i * r_i / (1 + sigma),
            "cos θ ≤ 1",
            "x_i·x_j = ‖x_i‖‖x_j‖cos θ ≤ ‖x_i‖‖x_j‖.",
            relation="<=",
            # gap = ‖x_i‖‖x_j‖ (1 − cos θ): a nonnegative coefficient times the gap of cos θ ≤ 1
            lemma=Certificate((r_i**2 / (1 + sigma), LemmaUse("cos-le-one", x=theta))),
        ),
        Step(
            r_i**2,
            "‖x_j‖ ≤ ‖x_i‖",
            "1/(1 + σ) ≤ 1 for σ ≥ 0: the other token is no longer than x_i.",
            relation="<=",
            lemma=Certificate(r_i**2 * sigma / (1 + sigma)),  # r_i² − r_i²/(1 + σ) = r_i² σ/(1 + σ) ≥ 0
        ),
        Step(r_i**2, "‖x_i‖² = x_i·x_i", "The bound is the self score: x_i·x_j ≤ x_i·x_i for every j."),
    ),
)


@st.composite
def token_rows(draw: st.DrawFn) -> Case:
    """n = 2..6 tokens of d = 1..5 features, x ~ N(0, 1)·{1e-3, 1, 10} from a seed, and half the time token 1 an
    exact copy of token 0 (a tie for the row max): from a near-uniform to a saturated softmax(x xᵀ)."""
    n, d = draw(st.integers(2, 6)), draw(st.integers(1, 5))
    gen = torch.Generator().manual_seed(draw(st.integers(0, 2**31 - 1)))
    x = torch.randn(n, d, generator=gen, dtype=torch.float64) * draw(st.sampled_from([1e-3, 1.0, 10.0]))
    if draw(st.booleans()):  # an exact duplicate of token 0: a tie
        x[1] = x[0]
    return {"x": x}


def _self_is_max(case: Case, restrict: bool = True) -> Outcome:
    """Row 0 of softmax(x xᵀ) after rescaling every other token to at most ‖x_0‖ (``restrict``)."""
    x = case["x"].clone()
    if restrict:
        norms = x.norm(dim=1)
        scale = torch.clamp(norms[0] / torch.where(norms > 0, norms, torch.ones_like(norms)), max=1.0)
        x = x * scale[:, None]
    scores = x @ x.T  # [n, n], no projections: q = k = x
    row = scores[0]
    slack = 8 * torch.finfo(torch.float64).eps * float(x.norm(dim=1).max() ** 2) * x.shape[1]
    w = torch.softmax(scores, dim=-1)[0]
    ok = bool(row[0] >= row.max() - slack) and bool(w[0] >= w.max() - slack * float(w.max()) - 1e-300)
    return Outcome(ok, 0.0, 0.0, f"scores row 0 = {row.tolist()}, weights = {w.tolist()}")


# what the counterexamples refute: the statement without the hypothesis
SELFATTN_SELF_SCORE_MAX_UNCONDITIONAL = Ge(u1**2 + u2**2, u1 * v1 + u2 * v2)
SELF_MAX = Claim(
    id="selfattn.self-score-max",
    title="Without projections, x_i·x_i is the largest score of row i — if no token is longer than x_i",
    verdict=Verdict.CONDITIONAL,
    refutes=(SELFATTN_SELF_SCORE_MAX_UNCONDITIONAL,),  # without the hypothesis
    summary=(
        "With q = k = v = x, the score of token i with token j is x_i·x_j = ‖x_i‖‖x_j‖cos θ_ij. If ‖x_j‖ ≤ ‖x_i‖ "
        "for every j (e.g. all norms equal, the seed's 'same magnitude' read strictly), Cauchy–Schwarz gives "
        "x_i·x_j ≤ ‖x_i‖² = x_i·x_i, and since the softmax is increasing, token i's own weight is the largest "
        "in its row (ties only for x_j = x_i). Read as 'the same order of magnitude' it fails: x_i = (1, 0), "
        "x_j = (1.1, 0) gives x_i·x_j = 1.1 > 1 = x_i·x_i."
    ),
    derivations=(UNDER,),
    numeric=(
        PropertyCheck(
            name="row max of x xᵀ and of softmax(x xᵀ) at the diagonal, other tokens rescaled to ≤ ‖x_0‖",
            cases=token_rows,
            holds=_self_is_max,
            reason="exact inequality; slack 8u·d·max‖x‖² for the rounding of the dot products",
            planted={"any norms (hypothesis dropped)": lambda c: _self_is_max(c, restrict=False)},
            cap=40,
            # every seed: token 1 aligned with token 0 and longer, where the unrestricted row max moves off the diagonal
            examples=({"x": torch.tensor([[1.0, 0.0], [1.1, 0.0]], dtype=torch.float64)},),
        ),
    ),
    counterexamples=(
        Counterexample(
            "same order of magnitude, aligned: x_i = (1, 0), x_j = (11/10, 0): x_i·x_j = 1.1 > x_i·x_i = 1",
            relation=SELFATTN_SELF_SCORE_MAX_UNCONDITIONAL,
            point={u1: 1, u2: 0, v1: Rational(11, 10), v2: 0},
        ),
        Counterexample(
            "not even aligned: x_i = (1, 0), x_j = (6/5, 1/2) (‖x_j‖ = 1.3): x_i·x_j = 1.2 > 1",
            relation=SELFATTN_SELF_SCORE_MAX_UNCONDITIONAL,
            point={u1: 1, u2: 0, v1: Rational(6, 5), v2: Rational(1, 2)},
        ),
    ),
    hypothesis="‖x_j‖ ≤ ‖x_i‖ for every token j (in particular: all tokens have equal norm)",
    premise=Premise(relation=Ge(u1**2 + u2**2, v1**2 + v2**2)),  # ‖x_i‖² ≥ ‖x_j‖²
    sources=(),
)

# ── selfattn.self-weight-dominates ────────────────────────────────────────────────────────
# x_1 = (ε, 0), x_2 = (0, ε), x_3 = (0, −ε): equal norms; row 1 of x xᵀ is (ε², 0, 0)
P11 = exp(eps**2) / (exp(eps**2) + 2)
WEIGHT_D = Derivation(
    "token 1's own weight, x = ((ε, 0), (0, ε), (0, −ε))",
    exp(eps * eps) / (exp(eps * eps) + exp(0) + exp(0)),
    (Step(P11, "scores ε², 0, 0", "Orthogonal tokens score 0 with x_1; softmax of (ε², 0, 0)."),),
)
WEIGHT_REFUTES = Ge(P11, Rational(1, 2))  # the statement selfattn.self-weight-dominates refutes

S002_L60 = Sentence(
    file=shared.SEED002,
    section="不乘QKV参数矩阵",
    line=60,
    quote="在相同量级的情况下,q_i与k_i点积的值回事最大的,在softmax后的加权平均中,该词本身所占的比重将会是最大的,使得其他词的比重很少,无法利用上下文信息来增强当前词的语义表示。",
)


WEIGHT = Claim(
    id="selfattn.self-weight-dominates",
    title="“The word itself takes most of the weight, the others very little”: refuted even at equal norms",
    verdict=Verdict.REFUTED,
    refutes=(WEIGHT_REFUTES,),
    summary=(
        "Equal norms make the self weight the largest (selfattn.self-score-max), not dominant: with "
        "x = ((ε, 0), (0, ε), (0, −ε)) the row-1 scores are (ε², 0, 0) and the self weight is e^{ε²}/(e^{ε²} + 2), "
        "about 1/3 for small ε — the other two tokens keep about 2/3. Dominance needs large norms (scores far "
        "apart), which the seed does not state."
    ),
    derivations=(WEIGHT_D,),
    counterexamples=(
        Counterexample(
            "ε = 1/10: self weight e^{0.01}/(e^{0.01} + 2) ≈ 0.3356 < 1/2, the others together ≈ 0.664",
            relation=WEIGHT_REFUTES,
            point={eps: Rational(1, 10)},
        ),
    ),
    sources=(
        Source(
            sentence=S002_L60,
            gloss="…so the other words get very little weight and context cannot enrich the word: refuted even at equal norms.",
            assertion="使得其他词的比重很少,无法利用上下文信息来增强当前词的语义表示",
        ),
    ),
)

SAME_MAGNITUDE = Claim(
    id="selfattn.same-magnitude-self-score",
    title="'At the same order of magnitude, q_i·k_i is the largest score' (no projections): false",
    verdict=Verdict.REFUTED,
    # the relations its (shared) counterexamples show false, read off them: written once
    refutes=tuple(dict.fromkeys(cx.relation for cx in SELF_MAX.counterexamples if cx.relation is not None)),
    summary=(
        "Seed 002 states its own hypothesis, '在相同量级的情况下' — at the same order of magnitude. Under that hypothesis, "
        "read literally, the claim fails: x_i = (1, 0), x_j = (1.1, 0) are of the same order, and x_i·x_j = 1.1 > "
        "x_i·x_i = 1. Only the stronger hypothesis ‖x_j‖ ≤ ‖x_i‖ for every j (e.g. exactly equal norms) makes the self "
        "score the largest (selfattn.self-score-max, conditional)."
    ),
    counterexamples=SELF_MAX.counterexamples,
    sources=(
        Source(
            sentence=S002_L60,
            gloss=(
                "At the same order of magnitude, the dot product of q_i with k_i is the largest (without projections, q = k "
                "= x). Judged under the seed's own hypothesis read as written, 'same order of magnitude' (rule 3); with "
                "exactly equal norms it would hold (selfattn.self-score-max)."
            ),
            assertion="在相同量级的情况下,q_i与k_i点积的值回事最大的",
        ),
        Source(
            sentence=S002_L60,
            gloss="…so after the softmax the word itself takes the largest share. Two readings (rule 2): under equal norms the self score is the largest (Cauchy–Schwarz) and softmax, being monotone, gives the word the largest weight — true (selfattn.self-score-max); under the seed's own words, 'same order of magnitude', it fails (the same counterexample: (1, 0), (1.1, 0) give x_i·x_j = 1.1 > x_i·x_i = 1, so the other word's weight is larger). The seed's wording is judged, as for the clause it follows from: refuted.",
            assertion="在softmax后的加权平均中,该词本身所占的比重将会是最大的",
        ),
    ),
)

# the id prefixes this topic owns (the registry refuses a claim of another prefix here, and a
# prefix two topics declare)
PREFIXES = ("selfattn",)

CLAIMS = [SELF_MAX, WEIGHT, SAME_MAGNITUDE]


# ── moved here from seedchecks.py / seedclaims.py (issue 10: a topic owns its id prefixes) ───────
# (their old links keep working: see derivations/_moved.py)


SELFATTN_PURPOSE = shared.not_formalizable(
    "selfattn.purpose",
    "Self-attention enriches each word's representation with the other words of the text",
    "A statement of purpose. The mechanics (each output is a convex combination of all value vectors, the "
    "word itself included) are `attention.sdpa`.",
    "An interpretation of what the mechanism is for, not a statement with a truth value.",
    Source(
        shared.SEED002,
        "不乘QKV参数矩阵",
        "Self-Attn的核心是用文本中的其他词来增强目标词的语义表示,从而更好地利用上下文的信息。",
        "The core of self-attention is to enhance a target word's semantic representation with the other words "
        "of the text, making better use of context.",
        line=54,
    ),
)


SELFATTN_PROJECTIONS = shared.not_formalizable(
    "selfattn.projections-relieve",
    "Multiplying by the Q/K/V matrices makes q, k, v differ and 'largely relieves' the self-score dominance",
    "The precise part: without projections the self score x_i·x_i is the row maximum when no token is longer "
    "(`selfattn.self-score-max`), because the score matrix XXᵀ is a Gram matrix. With projections the score "
    "is x_iᵀ W_q W_kᵀ x_j, and W_q W_kᵀ need not be positive semidefinite (W_k = −W_q makes every self score "
    "−‖q_i‖² ≤ 0), so the self score has no guaranteed place in its row. How much learned projections "
    "'relieve' the effect in a trained model is not a quantity.",
    "Vague: 'largely relieves' names no measure; what the projections change is stated precisely above.",
    Source(
        shared.SEED002,
        "不乘QKV参数矩阵",
        "而乘QKV参数矩阵,会使得每个词的qkv不一样,这能很大程度上减轻上述影响。",
        "Multiplying by the QKV parameter matrices makes each word's q, k, v differ, which largely relieves "
        "the effect above.",
        line=62,
    ),
)


CLAIMS += [SELFATTN_PURPOSE, SELFATTN_PROJECTIONS]
