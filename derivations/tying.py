"""Weight tying (seed 002): the gradient of a shared embedding, and the parameters it saves.

When one matrix E [V, d] is both the input embedding (x = E[token]) and the output projection
(z = E h), L(E) = ℓ(E, E) with the two uses as separate slots, and the chain rule gives
∇L = ∂₁ℓ + ∂₂ℓ: the gradient is the *sum* of the input-embedding and output-projection gradients.
Proved on a small fully symbolic model (V = 3, d = 2, a tanh layer with symbolic weights,
cross-entropy), checked with torch autograd on a tied nn.Embedding / nn.Linear pair at drawn sizes
against two untied copies and against the formula Sᵀ·∂L/∂X + (∂L/∂Z)ᵀ·H.
"""

from __future__ import annotations

import dlproofs.impl.heads as hd
import dlproofs.impl.tying as ty
import sympy as sp
import torch
from dlproofs.derivations import _shared as shared
from dlproofs.derivations.complexity import EXACT
from hypothesis import strategies as st

from dlproofs.claim import Claim, Derivation, Sentence, Source, Step, Verdict
from dlproofs.numeric import Case, CrossCheck, Tolerance
from dlproofs.profiles import EVIDENCE_FLOOR

# ── the symbolic model: token s = 0, E [3, 2], hidden tanh(A x + b), logits z = W h, CE with target 1 ──
V_, D_ = 3, 2
E = sp.Matrix(V_, D_, lambda i, j: sp.Symbol(f"E_{i}{j}", real=True))
W = sp.Matrix(V_, D_, lambda i, j: sp.Symbol(f"W_{i}{j}", real=True))  # the output copy, before tying
A = sp.Matrix(D_, D_, lambda i, j: sp.Symbol(f"A_{i}{j}", real=True))
b = sp.Matrix(D_, 1, lambda i, j: sp.Symbol(f"b_{i}", real=True))
TOKEN, TARGET = 0, 1


def _loss(e_in: sp.Matrix, w_out: sp.Matrix) -> sp.Expr:
    x = e_in[TOKEN, :].T  # [2, 1]: the embedded token
    h = (A * x + b).applyfunc(sp.tanh)  # [2, 1]
    z = w_out * h  # [3, 1]
    return sp.log(sum(sp.exp(zk) for zk in z)) - z[TARGET]  # cross-entropy


TIE = {W[i, j]: E[i, j] for i in range(V_) for j in range(D_)}


def _grads(i: int, j: int) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    tied = sp.diff(_loss(E, E), E[i, j])
    g_in = sp.diff(_loss(E, W), E[i, j]).xreplace(TIE)
    g_out = sp.diff(_loss(E, W), W[i, j]).xreplace(TIE)
    return tied, g_in, g_out


def _entry(i: int, j: int, why: str) -> Derivation:
    tied, g_in, g_out = _grads(i, j)
    return Derivation(
        f"∂L/∂E[{i},{j}] with E tied",
        tied,
        (Step(g_in + g_out, "chain rule, two slots", why),),
    )


ENTRY_BOTH = _entry(
    TOKEN,
    0,
    "E[0, 0] is used by the embedded token and by the output row 0: both slots "
    "contribute, ∂/∂E = ∂/∂(input copy) + ∂/∂(output copy) at W = E.",
)
ENTRY_OUT = _entry(
    2, 1, "Row 2 is not the input token: the input slot contributes 0 and the sum is the output gradient alone."
)


@st.composite
def tying_cases(draw: st.DrawFn) -> Case:
    """V = 2..7, d = 1..5, B = 1..2, n = 1..5, tokens and targets uniform from a seed, half the time a repeated
    token (its embedding row accumulates gradient); parameters ~ N(0, 1) from the seed: a small V, so one row
    often serves both as an input embedding and as an output row, where the two gradient terms add."""
    vocab, d = draw(st.integers(2, 7)), draw(st.integers(1, 5))
    bsz, n = draw(st.integers(1, 2)), draw(st.integers(1, 5))
    seed = draw(st.integers(0, 2**31 - 1))
    gen = torch.Generator().manual_seed(seed)
    tokens = torch.randint(0, vocab, (bsz, n), generator=gen)
    if draw(st.booleans()):
        tokens[..., 0] = tokens.flatten()[-1]  # a repeated token: its rows accumulate
    targets = torch.randint(0, vocab, (bsz, n), generator=gen)
    return {"vocab": vocab, "d": d, "tokens": tokens, "targets": targets, "seed": seed}


def _tying_example(vocab: int, d: int, bsz: int, n: int, seed: int) -> Case:
    """A case of tying_cases' domain built as it builds one, with a repeated token."""
    gen = torch.Generator().manual_seed(seed)
    tokens = torch.randint(0, vocab, (bsz, n), generator=gen)
    tokens[..., 0] = tokens.flatten()[-1]
    targets = torch.randint(0, vocab, (bsz, n), generator=gen)
    return {"vocab": vocab, "d": d, "tokens": tokens, "targets": targets, "seed": seed}


# Run before the drawn cases: V = d = B·n = 4 (B = n = 2): with the vocabulary, the width and the number of tokens
# equal, a product of the gradient terms taken elementwise or in the other order stays well-formed and is compared
# by value.
TYING_EXAMPLES = (_tying_example(4, 4, 2, 2, 5),)


def _model(case: Case, tied: bool) -> ty.TiedLM:
    with torch.random.fork_rng(devices=[]):  # the default init's draws leave the global RNG untouched
        m = ty.TiedLM(case["vocab"], case["d"], tied=tied)
    gen = torch.Generator().manual_seed(case["seed"] + 1)
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(torch.randn(p.shape, generator=gen, dtype=p.dtype))
        if not tied:
            m.out.weight.copy_(m.embed.weight)  # the same values, two separate Parameters
    return m


def _loss_of(m: ty.TiedLM, case: Case):
    x, h, z = m(case["tokens"].long())  # CrossCheck casts every tensor of the case to float64
    x.retain_grad(), h.retain_grad(), z.retain_grad()
    loss = torch.nn.functional.cross_entropy(
        z.reshape(-1, case["vocab"]), case["targets"].long().reshape(-1), reduction="sum"
    )
    loss.backward()
    return x, h, z


def _tied_grad(case: Case) -> torch.Tensor:
    m = _model(case, tied=True)
    _loss_of(m, case)
    return m.embed.weight.grad


def _untied_parts(case: Case) -> tuple[torch.Tensor, torch.Tensor]:
    m = _model(case, tied=False)
    _loss_of(m, case)
    return m.embed.weight.grad, m.out.weight.grad


def _formula(case: Case) -> torch.Tensor:
    m = _model(case, tied=True)
    x, h, z = _loss_of(m, case)
    return ty.tied_grad_formula(case["tokens"].long(), case["vocab"], x.grad, h.detach(), z.grad)


def _scale(case: Case) -> float:
    return 16.0 * case["tokens"].numel() * (case["d"] + 1)


S002_L3 = Sentence(
    file=shared.SEED002,
    section="权重共享",
    line=3,
    quote="Transformer在那里做了权重共享,为什么可以做权重共享?好处是什么?",
)


GRAD = Claim(
    id="tying.shared-gradient",
    title="A tied embedding's gradient is the sum of the input-embedding and output-projection gradients",
    verdict=Verdict.TESTED,
    tested_reason="derived exactly only for two entries of one small symbolic model (V = 3, d = 2, one tanh layer); the general statement (any V, d, architecture) rests on the autograd cross-check.",
    summary=(
        "With E shared, L(E) = ℓ(E_in, E_out) at E_in = E_out = E, so ∇L = ∂ℓ/∂E_in + ∂ℓ/∂E_out = "
        "Sᵀ·∂L/∂X + (∂L/∂Z)ᵀ·H (S the one-hot tokens, X the embedded rows, H the hidden states, Z the logits): "
        "proved exactly on a symbolic model (V = 3, d = 2, tanh layer with symbolic weights, cross-entropy) for "
        "an entry in both uses and one in the output use only. torch autograd on a tied nn.Embedding / "
        "nn.Linear accumulates exactly this sum (checked at drawn V, d, batch, with repeated tokens)."
    ),
    derivations=(ENTRY_BOTH, ENTRY_OUT),
    numeric=(
        CrossCheck(
            name="tied autograd gradient against the untied sum and the formula",
            cases=tying_cases,
            expected=_tied_grad,
            references={
                "untied copies: embed.grad + out.grad": lambda c: sum(_untied_parts(c)),
                "impl.tying.tied_grad_formula (Sᵀ g_X + g_Zᵀ H)": _formula,
            },
            tolerance=Tolerance(8, "sums of the same products in another order; scale 16·B·n·(d + 1)", _scale),
            planted={
                "output-projection gradient only": lambda c: _untied_parts(c)[1],
                "input-embedding gradient only": lambda c: _untied_parts(c)[0],
                "the average of the two": lambda c: sum(_untied_parts(c)) / 2,
            },
            examples=TYING_EXAMPLES,
            cap=25,
        ),
    ),
    assumptions=("the output projection is z = E h (nn.Linear weight = embedding weight, no bias)",),
    sources=(
        Source(
            sentence=S002_L3,
            gloss="Presupposition of the question 'why can it share weights?': sharing is possible — a tied matrix is a well-defined trainable parameter (its gradient is the sum of the two uses' gradients).",
            assertion="为什么可以做权重共享?",
            kind="presupposition",
        ),
    ),
)

# ── tying.param-count ─────────────────────────────────────────────────────────────────────
Vs, ds = sp.symbols("V d", integer=True, positive=True)
PARAMS = Derivation(
    "parameters saved by tying (embedding V·d, hidden d² + d, output V·d)",
    (Vs * ds + ds**2 + ds + Vs * ds) - (Vs * ds + ds**2 + ds),
    (Step(Vs * ds, "cancel", "The output projection adds no parameter of its own: V·d fewer."),),
)


def _count(m: torch.nn.Module) -> torch.Tensor:
    return torch.tensor(float(hd.param_count(m)), dtype=torch.float64)


PARAM_COUNT = Claim(
    id="tying.param-count",
    title="Tying the output projection to the embedding saves V·d parameters",
    verdict=Verdict.TESTED,
    tested_reason="the derivation only restates V·d; that tying saves exactly V·d parameters is counted with .parameters() on impl.tying.TiedLM, not derived.",
    summary=(
        "The benefit the seed asks about, in numbers: the tied model has one [V, d] matrix instead of two. "
        "Counted with .parameters() (which lists a shared Parameter once) on impl.tying.TiedLM tied and untied."
    ),
    derivations=(PARAMS,),
    numeric=(
        CrossCheck(
            name="V·d against .parameters() of untied minus tied",
            cases=tying_cases,
            expected=lambda c: torch.tensor(float(c["vocab"] * c["d"]), dtype=torch.float64),
            references={
                "TiedLM(tied=False) − TiedLM(tied=True)": lambda c: _count(_model(c, False)) - _count(_model(c, True))
            },
            tolerance=EXACT,
            planted={
                "2·V·d (both copies)": lambda c: torch.tensor(2.0 * c["vocab"] * c["d"], dtype=torch.float64),
                "0 (a shared Parameter counted twice)": lambda c: torch.tensor(0.0, dtype=torch.float64),
            },
            cap=EVIDENCE_FLOOR["ci"],
        ),
    ),
    sources=(
        Source(
            sentence=S002_L3,
            gloss="Presupposition of the question 'what is the benefit?': there is one — tying saves V·d parameters.",
            assertion="好处是什么?",
            kind="presupposition",
        ),
    ),
)

# the id prefixes this topic owns (the registry refuses a claim of another prefix here, and a
# prefix two topics declare)
PREFIXES = ("tying",)

CLAIMS = [GRAD, PARAM_COUNT]


# ── issue 11: 002's answer to "where does the Transformer share weights?" ─────────────────────────
TRANSFORMER_SHARES = shared.not_formalizable(
    "tying.transformer-shares",
    "The Transformer ties its input embedding, output embedding and pre-softmax linear layer",
    "Vaswani et al. (2017) §3.4: 'we share the same weight matrix between the two embedding layers and the "
    "pre-softmax linear transformation'. What tying does to the gradient and the parameter count is "
    "tying.shared-gradient and tying.param-count.",
    "a fact about one paper's architecture (where it shares weights), checked against the paper, not a "
    "mathematical statement",
    Source(
        shared.SEED002,
        "权重共享",
        "Input Embedding 和 Output Embedding 共享",
        "The input embedding and the output embedding are shared.",
        line=5,
    ),
    Source(
        shared.SEED002,
        "权重共享",
        "Decoder中Embedding层和FC层权重共享",
        "In the decoder the embedding layer and the FC (output) layer share weights.",
        line=6,
    ),
)
CLAIMS += [TRANSFORMER_SHARES]
