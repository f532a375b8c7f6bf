"""Dropout (seed 001 Q5): inverted vs classic convention, the mean and variance they give, what
inference must do under each, and which of the seed's sentences hold.

m ~ Bernoulli(1 − p) is the keep mask (p = drop probability, torch's convention and the seed's).
The expectations are proved symbolically from E[m] = E[m²] = 1 − p (m² = m for a 0/1 variable),
for symbolic p and x, and checked against ``F.dropout`` by designed Monte Carlo tests
(dlproofs/montecarlo.py: median of block means, Chebyshev per block with the exact relative
variance κ, binomial tail; false alarm ≤ 1e-6 per check). F.dropout takes no generator, so its
draws come from a forked, seeded global RNG (impl/dropout.py: torch_dropout_draws).
"""

from __future__ import annotations

import dataclasses

import dlproofs.impl.dropout as dr
import sympy as sp
import torch
import torch.nn.functional as F
from dlproofs.derivations import _shared as shared
from hypothesis import strategies as st
from sympy import Eq, IndexedBase, Max, Rational, Sum, Symbol

from dlproofs.claim import Claim, Counterexample, Derivation, Premise, Sentence, Source, Step, Verdict, Witness
from dlproofs.contract import Contract, Variant
from dlproofs.module_targets import ModuleConvention
from dlproofs.montecarlo import Claimed, MonteCarloCheck, Population
from dlproofs.numeric import Case, CrossCheck, Outcome, PropertyCheck, Tolerance
from dlproofs.statistical import DropoutJudge
from dlproofs.strategies import scales, tensors

# ── symbols ───────────────────────────────────────────────────────────────────────────────────
p = Symbol("p", real=True)  # drop probability 0 < p < 1, defined as 1 − q (1 − p = q > 0 is what the proofs use)
q = Symbol("q", positive=True)  # q = 1 − p, the keep probability
x = Symbol("x", real=True)
Em, Em2 = Symbol("E_m", positive=True), Symbol("E_m2", positive=True)  # E[m], E[m²]
Ey, Ey2 = Symbol("E_y", real=True), Symbol("E_y2", nonnegative=True)
n = Symbol("n", integer=True, positive=True)
i = Symbol("i", integer=True, positive=True)
w, xs = IndexedBase("w", real=True), IndexedBase("x", real=True)
b = Symbol("b", real=True)

LATEX = {
    Em: r"\mathbb{E}[m]",
    Em2: r"\mathbb{E}[m^2]",
    Ey: r"\mathbb{E}[y]",
    Ey2: r"\mathbb{E}[y^2]",
}

BERNOULLI = ((p, 1 - q), (Em, q), (Em2, q))  # keep probability q; m ∈ {0, 1} so m² = m

# ── dropout.inverted-mean ─────────────────────────────────────────────────────────────────────
MEAN = Derivation(
    "E[m x/(1 − p)]",
    Ey,
    (
        Step(Em * x / (1 - p), "linearity of E", "x and 1/(1 − p) are constants; only m is random."),
        Step(q * x / q, "E[m] = 1 − p", "m ~ Bernoulli(1 − p) is 1 with probability q = 1 − p."),
        Step(x, "cancel", "q/q = 1: the rescaling exactly undoes the expected loss of mass."),
    ),
    where=BERNOULLI + ((Ey, Em * x / (1 - p)),),
)


def _ones_draw(p_: float):
    def draw(count: int, gen: torch.Generator) -> torch.Tensor:
        seed = int(torch.randint(0, 2**62, (1,), generator=gen))
        return dr.torch_dropout_draws(torch.ones(count, dtype=torch.float64), p_, seed)  # [count]

    return draw


def _pop(p_: float, kappa: float) -> Population:
    return Population(f"F.dropout(1, p = {p_:g})", {"p": p_}, _ones_draw(p_), kappa)


def _pops(kappa):
    return {
        "default": tuple(_pop(v, kappa(v)) for v in (0.2, 0.5)),
        "thorough": tuple(_pop(v, kappa(v)) for v in (0.1, 0.2, 0.5, 0.8, 0.9)),
    }


def _ident(s, prm):
    return s


MEAN_MC = MonteCarloCheck(
    name="Monte Carlo: E[F.dropout(x)] = x (training mode)",
    claimed=Claimed(_ident, lambda prm: 1.0, "E[F.dropout(1, p)] = 1"),
    populations=_pops(lambda v: v / (1 - v)),  # X = m/(1−p): Var X = p/(1−p), E X = 1
    statistic_text="X = F.dropout(1, p), one entry per draw (X = m/(1 − p), κ = p/(1 − p) exactly)",
    planted={
        "classic (no rescaling): E = (1 − p)x": Claimed(_ident, lambda prm: 1 - prm["p"], "E = 1 − p"),
        "rescaled by 1/p: E = x(1 − p)/p": Claimed(_ident, lambda prm: (1 - prm["p"]) / prm["p"], "E = (1 − p)/p"),
    },
)


@st.composite
def train_cases(draw: st.DrawFn) -> Case:
    """x of 1..40 entries over UNIT_DOMAIN with a scale 1e-3..1e3 (exact zeros likely), p ∈ {0, 0.1, 0.5, 0.9}
    or [0, 0.99], a seed: from p = 0 (nothing dropped, factor 1) to a factor 1/(1 − p) of 100, and up to 40
    entries, so both outcomes (0 and x/(1 − p)) usually occur in one case."""
    shape = (draw(st.integers(1, 40)),)
    return {
        "x": draw(tensors(shape, scale=draw(scales()))),
        "p": draw(st.sampled_from([0.0, 0.1, 0.5, 0.9]) | st.floats(0.0, 0.99)),
        "seed": draw(st.integers(0, 2**31 - 1)),
    }


def _train_values(case: Case, scale_of=lambda p_: 1.0 / (1.0 - p_)) -> Outcome:
    """Every output of F.dropout(training=True) is 0 or x·(1/(1 − p)) (torch multiplies by the reciprocal)."""
    y = dr.torch_dropout_draws(case["x"], case["p"], case["seed"])
    kept = y != 0
    want = case["x"] * scale_of(case["p"])
    err = float((y[kept] - want[kept]).abs().max()) if bool(kept.any()) else 0.0
    bound = 2 * torch.finfo(torch.float64).eps * float(want.abs().max() if want.numel() else 0) + 1e-300
    if err > bound:
        return Outcome(False, err, bound, f"kept entries differ from x·scale by {err:.3g} (p = {case['p']!r})")
    return Outcome(True, err, bound)


TRAIN_VALUES = PropertyCheck(
    name="F.dropout(training=True) outputs 0 or x/(1 − p), entry by entry",
    cases=train_cases,
    holds=_train_values,
    reason="kept entries must equal x·(1/(1 − p)) to 2 ulps of the largest |x/(1 − p)| (torch multiplies by the "
    "rounded reciprocal, so x/(1 − p) itself may differ by 1 ulp); exact zeros in x are drawn",
    planted={
        "classic: kept entries are x": lambda c: _train_values(c, lambda p_: 1.0),
        "scaled by 1/p": lambda c: _train_values(c, lambda p_: 1.0 / p_ if p_ > 0 else 2.0),
    },
    examples=({"x": torch.tensor([1.0, -2.0, 0.0, 3.5]), "p": 0.5, "seed": 0},),
)


def _torch_mask(case: Case) -> torch.Tensor:
    """The keep mask F.dropout used on this case: its draws depend on the shape and seed, not on x, so the
    same call on ones shows it (1 where kept, 0 where dropped).  # like x"""
    ones = torch.ones_like(case["x"])
    return (dr.torch_dropout_draws(ones, case["p"], case["seed"]) != 0).to(torch.float64)


def _masked(case: Case, factor=lambda p_: 1.0 / (1.0 - p_)) -> torch.Tensor:
    return _torch_mask(case) * case["x"] * factor(case["p"])


TRAIN_PASS = CrossCheck(
    name="training pass on F.dropout's own mask: m ⊙ x/(1 − p) against F.dropout and impl.inverted_train",
    cases=train_cases,
    expected=_masked,
    references={
        "F.dropout(training=True)": lambda c: dr.torch_dropout_draws(c["x"], c["p"], c["seed"]),
        "impl.dropout.inverted_train": lambda c: dr.inverted_train(c["x"], _torch_mask(c), c["p"]),
    },
    tolerance=Tolerance(
        2,
        "torch multiplies by the rounded reciprocal 1/(1 − p), so x/(1 − p) may differ by 1 ulp: scale = "
        "max|x/(1 − p)|",
        lambda c: float((c["x"] / (1 - c["p"])).abs().max()) + 1e-300,
    ),
    planted={
        "classic: kept entries are x": lambda c: _masked(c, lambda p_: 1.0),
        "scaled by 1/p": lambda c: _masked(c, lambda p_: 1.0 / p_ if p_ > 0 else 2.0),
    },
    # the first example keeps only its x = 0 entry (F.dropout's mask for seed 0), so a wrong scale is invisible on
    # it; the second keeps 7 of 8 generic non-zero entries (p = 0.3, seed 1): a wrong factor is compared by value
    examples=(
        {"x": torch.tensor([1.0, -2.0, 0.0, 3.5], dtype=torch.float64), "p": 0.5, "seed": 0},
        {"x": torch.tensor([0.7, -1.3, 2.1, -0.4, 1.9, -2.6, 0.3, 1.1], dtype=torch.float64), "p": 0.3, "seed": 1},
    ),
)

INVERTED_MEAN = Claim(
    id="dropout.inverted-mean",
    title="Inverted dropout keeps the mean: E[m x/(1 − p)] = x",
    verdict=Verdict.PROVED,
    summary=(
        "With a keep mask m ~ Bernoulli(1 − p), scaling the kept units by 1/(1 − p) at training time gives "
        "E[y] = x for every x and every 0 ≤ p < 1; this is what F.dropout does in training mode (checked entry by "
        "entry and by a designed Monte Carlo test of the mean)."
    ),
    derivations=(MEAN,),
    numeric=(TRAIN_VALUES, TRAIN_PASS, MEAN_MC),
    assumptions=("m ~ Bernoulli(1 − p), 0 ≤ p < 1", "the mask is independent of x"),
    sources=(
        Source(
            shared.SEED001,
            "Q5 训练阶段",
            "为了保证在训练和推理阶段神经元的输出期望一致,在训练时,对于保留的神经元,其输出会乘以 1/(1 − p) 进行缩放。"
            "例如,若 p = 0.5,则保留的神经元的输出会乘以 2。",
            "To keep a neuron's expected output the same in training and inference, at training time the output of "
            "every kept neuron is multiplied by 1/(1 − p); e.g. with p = 0.5 the kept outputs are multiplied by 2.",
            line=57,
        ),
    ),
)

# ── dropout.drop-probability ──────────────────────────────────────────────────────────────────
DROP = Derivation(
    "P(y = 0) for x ≠ 0",
    1 - Em,
    (Step(1 - q, "E[m] = 1 − p", "y = 0 exactly when m = 0."), Step(p, "q = 1 − p", "The drop probability is p.")),
    where=BERNOULLI,
)


def _zero_draw(p_: float):
    def draw(count: int, gen: torch.Generator) -> torch.Tensor:
        seed = int(torch.randint(0, 2**62, (1,), generator=gen))
        y = dr.torch_dropout_draws(torch.ones(count, dtype=torch.float64), p_, seed)
        return (y == 0).to(torch.float64)  # [count]: 1 where dropped

    return draw


ZERO_MC = MonteCarloCheck(
    name="Monte Carlo: F.dropout drops with probability p",
    claimed=Claimed(_ident, lambda prm: prm["p"], "P(F.dropout(1, p) = 0) = p"),
    populations={
        "default": tuple(
            Population(f"1[F.dropout(1, p = {v:g}) = 0]", {"p": v}, _zero_draw(v), (1 - v) / v) for v in (0.2, 0.5)
        ),
        "thorough": tuple(
            Population(f"1[F.dropout(1, p = {v:g}) = 0]", {"p": v}, _zero_draw(v), (1 - v) / v)
            for v in (0.1, 0.2, 0.5, 0.9)
        ),
    },
    statistic_text="X = 1[F.dropout(1, p) = 0] (Bernoulli(p): κ = (1 − p)/p exactly)",
    planted={"p is the keep probability: P(y = 0) = 1 − p": Claimed(_ident, lambda prm: 1 - prm["p"], "P = 1 − p")},
)

DROP_PROB = Claim(
    id="dropout.drop-probability",
    title="p is the probability of dropping a unit (torch's F.dropout and the seed agree)",
    verdict=Verdict.TESTED,
    tested_reason="the derivation only restates the convention p = 1 − q (q the keep probability); that torch's F.dropout zeroes each unit with probability p is Monte Carlo evidence alone.",
    summary=(
        "The seed's p is the drop probability: each unit is zeroed with probability p and kept with 1 − p. "
        "F.dropout uses the same convention (the original paper and TF1's keep_prob use the other one)."
    ),
    derivations=(DROP,),
    numeric=(ZERO_MC,),
    sources=(
        Source(
            shared.SEED001,
            "Q5 正则化原理",
            "具体来说,对于每一个神经元,以概率 p 将其输出置为 0,以概率 1 − p 保留其原始输出。",
            "Concretely, each neuron's output is set to 0 with probability p and kept unchanged with probability 1 − p.",
            line=52,
        ),
    ),
)

# ── dropout.inverted-variance ─────────────────────────────────────────────────────────────────
VARIANCE = Derivation(
    "Var[m x/(1 − p)]",
    Ey2 - Ey**2,
    (
        Step(Em2 * x**2 / (1 - p) ** 2 - (Em * x / (1 - p)) ** 2, "Var = E[y²] − E[y]²", "x/(1 − p) is constant."),
        Step(q * x**2 / q**2 - x**2, "E[m²] = E[m] = 1 − p", "m² = m for a 0/1 variable."),
        Step(x**2 * (1 - q) / q, "collect", "x²/q − x² = x²(1 − q)/q."),
        Step(x**2 * p / (1 - p), "q = 1 − p", "The variance grows without bound as p → 1."),
    ),
    where=BERNOULLI + ((Ey, Em * x / (1 - p)), (Ey2, Em2 * x**2 / (1 - p) ** 2)),
)


def _sq_dev(s, prm):
    return (s - 1.0) ** 2


def _kappa_var(v: float) -> float:
    """Relative variance of (y − 1)² for y = m/(1 − p): values 1 (prob p) and (p/(1−p))² (prob 1 − p)."""
    pp, qq = Rational(v).limit_denominator(1000), 1 - Rational(v).limit_denominator(1000)
    e1 = pp + qq * (pp / qq) ** 2
    e2 = pp + qq * (pp / qq) ** 4
    return float(e2 / e1**2 - 1)


VAR_MC = MonteCarloCheck(
    name="Monte Carlo: Var[F.dropout(x)] = x² p/(1 − p)",
    claimed=Claimed(_sq_dev, lambda prm: prm["p"] / (1 - prm["p"]), "E[(F.dropout(1, p) − 1)²] = p/(1 − p)"),
    populations={  # p = 1/2 is degenerate here: (y − 1)² = 1 for both outcomes, so κ = 0
        "default": tuple(_pop(v, _kappa_var(v)) for v in (0.2, 0.7)),
        "thorough": tuple(_pop(v, _kappa_var(v)) for v in (0.1, 0.2, 0.3, 0.7, 0.9)),
    },
    rho=0.1,  # the planted alternatives are ≥ 25 % off at every p used
    statistic_text="X = (F.dropout(1, p) − 1)² (E[F.dropout(1, p)] = 1, so E[X] is the variance; κ exact from the "
    "two-point law)",
    planted={
        "mask variance without the rescaling: x² p(1 − p)": Claimed(
            _sq_dev, lambda prm: prm["p"] * (1 - prm["p"]), "E[X] = p(1 − p)"
        ),
        "x² p/(1 − p)²": Claimed(_sq_dev, lambda prm: prm["p"] / (1 - prm["p"]) ** 2, "E[X] = p/(1 − p)²"),
    },
)

INVERTED_VARIANCE = Claim(
    id="dropout.inverted-variance",
    title="Inverted dropout's variance is x² p/(1 − p)",
    verdict=Verdict.PROVED,
    summary=(
        "The noise inverted dropout injects into a unit with value x has variance x² p/(1 − p): 0 at p = 0, x² at "
        "p = 1/2, unbounded as p → 1. Proved from E[m²] = E[m] = 1 − p; Monte Carlo against F.dropout."
    ),
    derivations=(VARIANCE,),
    numeric=(VAR_MC,),
    assumptions=INVERTED_MEAN.assumptions,
)

# ── dropout.eval-identity ─────────────────────────────────────────────────────────────────────
EVAL = Derivation(
    "what inference must output to match E_train = x (inverted convention)",
    Ey,
    (Step(x, "dropout.inverted-mean", "The training-time mean is already x: inference is the identity."),),
    where=BERNOULLI + ((Ey, Em * x / (1 - p)),),
)


@st.composite
def eval_cases(draw: st.DrawFn) -> Case:
    """x [1..6, 1..6] over UNIT_DOMAIN with a scale 1e-3..1e3, p in [0.01, 0.99]: in eval mode p must not act
    at all, so every p and magnitude must give x back exactly."""
    shape = (draw(st.integers(1, 6)), draw(st.integers(1, 6)))
    return {"x": draw(tensors(shape, scale=draw(scales()))), "p": draw(st.floats(0.01, 0.99))}


def _module_eval(c: Case) -> torch.Tensor:
    mod = torch.nn.Dropout(c["p"]).eval()
    return mod(c["x"])


EVAL_IDENTITY = Claim(
    uses=("dropout.inverted-mean",),
    id="dropout.eval-identity",
    title="Under inverted dropout, inference is the identity (no 1 − p factor)",
    verdict=Verdict.PROVED,
    summary=(
        "Because training already rescales by 1/(1 − p), the expectation matches at inference with no change at all: "
        "F.dropout(x, p, training=False) and nn.Dropout(p).eval() return x unchanged."
    ),
    derivations=(EVAL,),
    numeric=(
        CrossCheck(
            name="F.dropout(training=False) = nn.Dropout.eval() = impl = x",
            cases=eval_cases,
            expected=lambda c: c["x"],
            references={
                "F.dropout(training=False)": lambda c: F.dropout(c["x"], c["p"], training=False),
                "nn.Dropout(p).eval()": _module_eval,
                "impl.dropout.inverted_eval": lambda c: dr.inverted_eval(c["x"], c["p"]),
            },
            tolerance=Tolerance.exact("at inference dropout is the identity: x is returned, nothing is computed"),
            planted={"the seed's (1 − p)x at inference": lambda c: (1 - c["p"]) * c["x"]},
        ),
    ),
    sources=(
        Source(
            shared.SEED001,
            "Q5 推理阶段",
            "推理阶段:在推理阶段,不再进行随机丢弃操作,所有的神经元都被保留。",
            "Inference: no more random dropping; every neuron is kept.",
            line=58,
        ),
    ),
)

# ── dropout.mixed-conventions (refuted) ───────────────────────────────────────────────────────
MIXED_RELATION = Eq((1 - p) * x, Em * x / (1 - p))


def _torch_mixed() -> Witness:
    """Mean of F.dropout(training) over 200 000 draws at p = 0.5 vs the seed's eval output (1 − p)·x."""
    x_ = torch.full((200_000,), 3.0, dtype=torch.float64)
    train_mean = float(dr.torch_dropout_draws(x_, 0.5, 7).mean())
    eval_seed = float((1 - 0.5) * F.dropout(torch.tensor(3.0, dtype=torch.float64), 0.5, training=False))
    # Chebyshev: the mean of 2e5 draws of a variance-9 law is within 0.05 of 3 with prob ≥ 1 − 9/(2e5·0.0025) = 0.982;
    # the gap 1.5 is 30 such margins, so this witness cannot be a fluke.
    holds = abs(train_mean - eval_seed) < 0.05
    return Witness(
        holds,
        f"E_train ≈ {train_mean:.4f} (F.dropout, p = 0.5, x = 3, 200 000 draws)",
        f"seed's inference (1 − p)·x = {eval_seed:.4f}",
        "inverted training + (1 − p) at inference halves the expected output",
    )


MIXED_REFUTES = MIXED_RELATION.xreplace({Em: 1 - p})  # the statement dropout.mixed-conventions refutes

MIXED = Claim(
    id="dropout.mixed-conventions",
    title="Scaling by 1/(1 − p) in training AND by 1 − p at inference does not keep the expectation",
    verdict=Verdict.REFUTED,
    refutes=(MIXED_REFUTES,),
    summary=(
        "The seed first describes inverted dropout (kept units × 1/(1 − p) in training), then says inference "
        "multiplies by 1 − p 'to match the training expectation'. Together these give E_train = x but inference "
        "(1 − p)x: off by the factor 1 − p (half the signal at p = 1/2). Either convention alone is consistent "
        "(dropout.eval-identity, dropout.classic-eval-scale); the combination is not."
    ),
    counterexamples=(
        Counterexample(
            "p = 1/2, x = 1: inverted training has mean 1, the seed's inference outputs 1/2",
            relation=MIXED_REFUTES,
            point={p: Rational(1, 2), x: sp.Integer(1)},
        ),
        Counterexample("F.dropout in training mode vs the seed's inference rule, p = 0.5, x = 3", run=_torch_mixed),
    ),
    sources=(
        Source(
            shared.SEED001,
            "Q5 推理阶段",
            "为了与训练阶段的输出期望一致,在推理时,每个神经元的输出会乘以 1 − p。",
            "To match the training-time expected output, at inference every neuron's output is multiplied by 1 − p "
            "(after the previous paragraph scaled kept units by 1/(1 − p) in training).",
            line=58,
        ),
    ),
)

# ── dropout.classic-eval-scale ────────────────────────────────────────────────────────────────
CLASSIC = Derivation(
    "E[m x] (classic: no rescaling in training)",
    Em * x,
    (
        Step(q * x, "E[m] = 1 − p", "Only m is random."),
        Step((1 - p) * x, "q = 1 − p", "So inference must output (1 − p)x."),
    ),
    where=BERNOULLI,
)
WEIGHTS = Derivation(
    "scaling the outgoing weights instead: w·((1 − p)x) + b",
    Sum(w[i] * (1 - p) * xs[i], (i, 1, n)) + b,
    (
        Step(
            (1 - p) * Sum(w[i] * xs[i], (i, 1, n)) + b,
            "pull the constant out",
            "(1 − p) does not depend on i: multiplying the units by 1 − p or the next layer's weights is the same.",
        ),
    ),
    sizes={n: range(1, 5)},
)


def _keep_draw(p_: float):
    def draw(count: int, gen: torch.Generator) -> torch.Tensor:
        return dr.classic_train(torch.ones(count, dtype=torch.float64), dr.keep_mask((count,), p_, gen))

    return draw


CLASSIC_MC = MonteCarloCheck(
    name="Monte Carlo: E[m x] = (1 − p)x (classic training, impl mask)",
    claimed=Claimed(_ident, lambda prm: 1 - prm["p"], "E[m·1] = 1 − p"),
    populations={
        "default": tuple(Population(f"m·1, p = {v:g}", {"p": v}, _keep_draw(v), v / (1 - v)) for v in (0.2, 0.5)),
        "thorough": tuple(
            Population(f"m·1, p = {v:g}", {"p": v}, _keep_draw(v), v / (1 - v)) for v in (0.1, 0.2, 0.5, 0.9)
        ),
    },
    statistic_text="X = m·1 with m ~ Bernoulli(1 − p) from impl.dropout.keep_mask (κ = p/(1 − p) exactly)",
    planted={"inference = identity is right for classic dropout: E = x": Claimed(_ident, lambda prm: 1.0, "E = 1")},
)


@st.composite
def linear_cases(draw: st.DrawFn) -> Case:
    """x (n_in = 1..6) over UNIT_DOMAIN with a scale 1e-3..1e3, W [n_out = 1..4, n_in] and b over UNIT_DOMAIN
    at scale 1, p in [0.01, 0.99]: the identity is linear in x and W, so magnitudes only scale the rounding."""
    n_in, n_out = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    return {
        "x": draw(tensors((n_in,), scale=draw(scales()))),
        "W": draw(tensors((n_out, n_in))),
        "b": draw(tensors((n_out,))),
        "p": draw(st.floats(0.01, 0.99)),
    }


def _scaled_weights(c: Case) -> torch.Tensor:
    return F.linear(c["x"], (1 - c["p"]) * c["W"], c["b"])  # what nn.Linear computes, with weights × (1 − p)


S001_L58 = Sentence(
    file=shared.SEED001,
    section="Q5 推理阶段",
    line=58,
    quote="实际上,为了简化计算,通常在训练时不进行缩放操作,而是在推理时将所有神经元的权重乘以 1 − p。",
)


CLASSIC_EVAL = Claim(
    id="dropout.classic-eval-scale",
    title="Classic dropout (no rescaling in training) needs × (1 − p) at inference, on units or outgoing weights",
    verdict=Verdict.PROVED,
    summary=(
        "Without the 1/(1 − p) rescaling, E[m x] = (1 − p)x, so inference must multiply the units, or equivalently "
        "the next layer's weights, by 1 − p. This is the seed's second convention and it is consistent. The seed's "
        "'通常' (usually) is not: torch, TF2 and JAX all use inverted dropout, which makes inference cost nothing."
    ),
    derivations=(CLASSIC, WEIGHTS),
    numeric=(
        CLASSIC_MC,
        CrossCheck(
            name="F.linear with weights × (1 − p) = W·classic_eval(x) + b",
            cases=linear_cases,
            expected=lambda c: c["W"] @ dr.classic_eval(c["x"], c["p"]) + c["b"],
            references={"F.linear(x, (1 − p)W, b)": _scaled_weights},
            tolerance=Tolerance(
                8 * 7,
                "a dot product of ≤ 6 terms plus a bias, each rounded once, and one extra rounding of (1 − p)W: "
                "(n_in + 2) ulps of Σ|W||x| + |b|",
                lambda c: float((c["W"].abs() @ c["x"].abs() + c["b"].abs()).max()) + 1e-300,
            ),
            planted={"scale by 1/(1 − p) instead": lambda c: c["W"] @ (c["x"] / (1 - c["p"])) + c["b"]},
        ),
    ),
    sources=(
        Source(
            sentence=S001_L58,
            gloss="Without scaling in training, all neurons' weights are multiplied by 1 − p at inference: the classic convention, which keeps the expected output.",
            assertion="在训练时不进行缩放操作,而是在推理时将所有神经元的权重乘以 1 − p",
        ),
    ),
)

# ── dropout.ensemble-average (conditional) ────────────────────────────────────────────────────
ENSEMBLE = Derivation(
    "E over masks of an affine readout w·(m ⊙ x)/(1 − p) + b",
    Sum(w[i] * Em * xs[i], (i, 1, n)) / (1 - p) + b,
    (
        Step(Sum(w[i] * q * xs[i], (i, 1, n)) / q + b, "E[m_i] = 1 − p", "Linearity of E through the sum."),
        Step(Sum(w[i] * xs[i], (i, 1, n)) + b, "cancel q", "The average of all 2ⁿ subnetworks = the full network."),
    ),
    sizes={n: range(1, 5)},
    where=BERNOULLI,
)
RELU_AFTER = Eq(Rational(1, 2) * Max(0, 2 * x - b) + Rational(1, 2) * Max(0, -b), Max(0, x - b))

S001_L54 = Sentence(
    file=shared.SEED001,
    section="Q5 正则化原理",
    line=54,
    quote=(
        "模拟集成学习:每次训练时,Dropout会随机选择不同的神经元组合,相当于从原始网络中采样出不同的子网络进行训练。"
        "这些子网络可以看作是独立的模型,最终的网络可以看作是这些子网络的集成。集成学习可以降低模型的方差,提高模型的泛化能力。"
    ),
)


ENSEMBLE_AVERAGE = Claim(
    id="dropout.ensemble-average",
    title="The inference network is the average of the dropout subnetworks only when the output is affine in the dropped units",
    verdict=Verdict.CONDITIONAL,
    refutes=(RELU_AFTER,),  # without the hypothesis
    summary=(
        "The seed reads dropout as training an ensemble of subnetworks whose average is the final network. Exactly "
        "true when the output is affine in the dropped units (dropout right before a linear readout): the mean over "
        "masks equals the full network. With a nonlinearity after the dropped units it fails: ReLU(2m·x − b) with "
        "p = 1/2, x = 1, b = 3/2 averages to 1/4 over masks, while the inference network outputs ReLU(x − b) = 0. "
        "'Independent models' is not accurate either: all subnetworks share one set of weights."
    ),
    derivations=(ENSEMBLE,),
    counterexamples=(
        Counterexample(
            "ReLU after the dropped unit: p = 1/2, x = 1, b = 3/2: mean over masks 1/4, inference network 0",
            relation=RELU_AFTER,
            point={x: sp.Integer(1), b: Rational(3, 2)},
        ),
    ),
    hypothesis="the output is an affine function of the dropped units (e.g. dropout directly before a linear layer)",
    # for the ReLU counterexample: ReLU is affine on the inputs the masks produce (0, x, 2x, shifted by −b)
    # only if they lie on one side of its kink
    premise=Premise(
        relation=sp.And(sp.Ge(-b * (x - b), 0), sp.Ge(-b * (2 * x - b), 0), sp.Ge((x - b) * (2 * x - b), 0))
    ),
    sources=(
        Source(
            sentence=S001_L54,
            gloss="Each training step dropout picks a different set of neurons, i.e. samples a subnetwork to train; these can be seen as independent models and the final network as their ensemble. Conditional: the inference network equals the average of the subnetworks only when the output is affine in the dropped units ('can be seen as' claims an equivalence, not a mere possibility; the subnetworks also share weights).",
            assertion="每次训练时,Dropout会随机选择不同的神经元组合,相当于从原始网络中采样出不同的子网络进行训练。这些子网络可以看作是独立的模型,最终的网络可以看作是这些子网络的集成",
        ),
    ),
    notes=(
        "Not formalizable parts of the sentence: 'ensembles lower the model's variance and improve generalization' "
        "is an empirical statement about learning, not about the forward pass.",
    ),
)

CO_ADAPTATION = shared.not_formalizable(
    "dropout.co-adaptation",
    "Dropout reduces co-adaptation between neurons",
    "The seed's second explanation of why dropout regularizes.",
    "empirical: 'co-adaptation' has no definition the seed gives and the effect on overfitting is a training "
    "outcome, measured on data, not a property of the formulas",
    Source(
        shared.SEED001,
        "Q5 正则化原理",
        "减少神经元之间的协同适应:在没有Dropout的情况下,神经元之间可能会形成过于复杂的协同适应关系,即某些神经元依赖于其他神经元的输出。"
        "Dropout通过随机丢弃神经元,迫使每个神经元都能够独立地学习到有用的特征,减少了神经元之间的依赖,从而降低了过拟合的风险。",
        "Reducing co-adaptation: without dropout neurons may form overly complex co-adaptations (some depend on "
        "others' outputs); random dropping forces each to learn useful features alone, reducing dependence and "
        "the risk of overfitting.",
        line=55,
    ),
)

# the id prefixes this topic owns (the registry refuses a claim of another prefix here, and a
# prefix two topics declare)
PREFIXES = ("dropout",)

CLAIMS = [
    DROP_PROB,
    ENSEMBLE_AVERAGE,
    CO_ADAPTATION,
    INVERTED_MEAN,
    INVERTED_VARIANCE,
    EVAL_IDENTITY,
    MIXED,
    CLASSIC_EVAL,
]


# ── issue 11: the remaining assertions of 001 Q5's sentences ────────────────────────────────────────
ENSEMBLE_VARIANCE = shared.not_formalizable(
    "dropout.ensemble-generalizes",
    "'Ensemble learning lowers the model's variance and improves generalization'",
    "A statement about ensembles in general, offered as why dropout regularizes.",
    "empirical: whether an ensemble (let alone dropout's weight-sharing one) generalizes better is measured on "
    "data; the exact part of the analogy is dropout.ensemble-average (the inference net is the subnetworks' average "
    "only for an affine output)",
    Source(
        sentence=S001_L54,
        gloss="Ensemble learning lowers the model's variance and improves its generalization.",
        assertion="集成学习可以降低模型的方差,提高模型的泛化能力",
    ),
)
USUAL_CONVENTION = shared.not_formalizable(
    "dropout.usual-convention",
    "'In practice, to simplify computation, one usually does not scale in training (classic dropout)'",
    "Which convention is 'usual' is a fact about software practice. The major frameworks (torch.nn.Dropout, "
    "tf.keras Dropout, JAX/Flax) implement inverted dropout — scaling by 1/(1 − p) in training — which is the one "
    "that makes inference free; the classic convention the seed calls usual is consistent "
    "(dropout.classic-eval-scale) but is not the common one today.",
    "a claim about what practitioners and libraries usually do, not a mathematical statement; the checkable "
    "part, that both conventions keep the expectation, is dropout.classic-eval-scale and dropout.inverted-mean",
    Source(
        sentence=S001_L58,
        gloss="In practice, to simplify computation, one usually (does it this way).",
        assertion="实际上,为了简化计算,通常",
    ),
)
CLAIMS += [ENSEMBLE_VARIANCE, USUAL_CONVENTION]


# ── issue 12: the inverted-dropout contract (statistical: dlproofs/statistical.py) ──────────────────
@st.composite
def call_cases(draw: st.DrawFn) -> Case:
    """Ordered like the contract's signature: x [1..6, 1..8] over UNIT_DOMAIN at a scale 1e-3..1e3, p ∈ {0.1, 0.5,
    0.9} or [0, 0.95], training True or False. The positional check runs every reference on torch's global RNG
    seeded 0, so the masks agree and the values are compared entry by entry."""
    shape = (draw(st.integers(1, 6)), draw(st.integers(1, 8)))
    return {
        "x": draw(tensors(shape, scale=draw(scales()))),
        "p": draw(st.sampled_from([0.1, 0.5, 0.9]) | st.floats(0.0, 0.95)),
        "training": draw(st.booleans()),
    }


def _seeded0(fn):
    """``fn(x, p, training)`` on torch's global RNG forked and seeded 0: deterministic, nothing leaks out."""

    def run(x, p_, training):
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(0)
            return fn(x, p_, training)

    run.__name__ = run.__qualname__ = getattr(fn, "__name__", "fn")
    return run


def _module_call(x, p_, training):
    return torch.nn.Dropout(p_).train(training)(x)


def _call_expected(c: Case, factor=lambda p_: 1.0 / (1.0 - p_), eval_factor=lambda p_: 1.0) -> torch.Tensor:
    """Training: F.dropout's seed-0 mask (its draws depend on the shape only: shown by a call on ones) ⊙ x·factor;
    eval: x·eval_factor."""
    if not c["training"]:
        return c["x"] * eval_factor(c["p"])
    return _torch_mask({"x": c["x"], "p": c["p"], "seed": 0}) * c["x"] * factor(c["p"])


DROPOUT_CALL_CHECK = CrossCheck(
    name="fn(x, p, training) on the global RNG seeded 0: m ⊙ x/(1 − p) in training, x in eval, against F.dropout, "
    "nn.Dropout and impl.dropout.inverted_dropout",
    cases=call_cases,
    expected=_call_expected,
    references={
        "F.dropout (global RNG seeded 0)": _seeded0(lambda x, p_, training: F.dropout(x, p_, training=training)),
        "nn.Dropout(p).train(training) (global RNG seeded 0)": _seeded0(_module_call),
        "impl.dropout.inverted_dropout (global RNG seeded 0)": _seeded0(dr.inverted_dropout),
    },
    positional=True,
    tolerance=Tolerance(
        2,
        "torch multiplies by the rounded reciprocal 1/(1 − p), so x/(1 − p) may differ by 1 ulp: scale = "
        "max|x/(1 − p)|; eval mode returns x itself",
        lambda c: float((c["x"] / (1 - c["p"])).abs().max()) if c["x"].numel() else 1e-300,
    ),
    planted={
        "classic: kept entries are x": lambda c: _call_expected(c, lambda p_: 1.0),
        "scaled by 1 − p": lambda c: _call_expected(c, lambda p_: 1.0 - p_),
        "classic inference: (1 − p)x in eval mode": lambda c: _call_expected(c, eval_factor=lambda p_: 1.0 - p_),
    },
    examples=(
        {
            "x": torch.tensor([[0.7, -1.3, 2.1, -0.4], [1.9, -2.6, 0.3, 1.1]], dtype=torch.float64),
            "p": 0.3,
            "training": True,
        },
        {"x": torch.tensor([[0.7, -1.3], [2.1, -0.4]], dtype=torch.float64), "p": 0.3, "training": False},
    ),
)


def _variant_call(train_factor, eval_factor=lambda p_: 1.0, keep=lambda p_: 1.0 - p_, train_in_eval=False):
    """A variant on torch's global RNG, drawn as F.dropout draws (bernoulli_ on a tensor like x)."""

    def run(x, p_, training):
        if not training and not train_in_eval:
            return x * eval_factor(p_)
        mask = torch.empty_like(x).bernoulli_(keep(p_))
        return x * mask * train_factor(p_)

    return run


DROPOUT_VARIANTS = (
    Variant(
        label="scaled by 1 − p instead of 1/(1 − p)",
        formula=_variant_call(lambda p_: 1.0 - p_),
        why="the kept units shrink instead of growing: E[y] = (1 − p)²x",
    ),
    Variant(
        label="keep probability p instead of 1 − p",
        formula=_variant_call(lambda p_: 1.0 / (1.0 - p_), keep=lambda p_: p_),
        why="p read as the keep probability (TF1's keep_prob, the 2014 paper): drops 1 − p of the units",
    ),
    Variant(
        label="no scaling in training (classic dropout without its inference rule)",
        formula=_variant_call(lambda p_: 1.0),
        why="E[y] = (1 − p)x in training but x at inference",
    ),
    Variant(
        label="dropout applied in eval mode",
        formula=_variant_call(lambda p_: 1.0 / (1.0 - p_), train_in_eval=True),
        why="the training flag ignored (module.eval() not honoured): inference is random",
    ),
    Variant(
        label="classic dropout: no scaling in training, × (1 − p) at inference",
        formula=_variant_call(lambda p_: 1.0, eval_factor=lambda p_: 1.0 - p_),
        why="consistent on its own (dropout.classic-eval-scale) but not the inverted convention torch uses",
        convention=True,
    ),
)

DROPOUT_MODULE = ModuleConvention(
    init_args=lambda inp: ((inp["p"],), {}),
    weights={},
    call=lambda mod, inp: mod.train(bool(inp["training"]))(inp["x"]),
    describe="cls(p) in float64, no parameters; module.train(training); module(x)",
)

INVERTED = Claim(
    uses=("dropout.inverted-mean", "dropout.inverted-variance", "dropout.eval-identity", "dropout.drop-probability"),
    id="dropout.inverted",
    title="F.dropout and nn.Dropout are inverted dropout: train y = m ⊙ x/(1 − p), m ~ Bernoulli(1 − p); eval y = x",
    verdict=Verdict.TESTED,
    tested_reason=(
        "what torch computes is checked, not derived: the values on a shared seed entry by entry and the drop rate "
        "by Monte Carlo; the expectations the convention gives are proved in dropout.inverted-mean, "
        "dropout.inverted-variance and dropout.eval-identity"
    ),
    summary=(
        "fn(x, p, training): in training each entry is kept with probability 1 − p (p is the drop probability) and "
        "a kept entry is x/(1 − p), a dropped one 0; in eval mode the output is x itself. F.dropout, "
        "nn.Dropout(p).train(training) and impl.dropout.inverted_dropout agree bit for bit on a shared seed. The "
        "conform contract is statistical (dlproofs/statistical.py): values exact to 4 ulps, eval exactly the "
        "identity, the keep rate by exact binomial tests with a stated false-alarm probability and power, and a mask "
        "that changes between calls."
    ),
    numeric=(DROPOUT_CALL_CHECK, ZERO_MC),
    assumptions=INVERTED_MEAN.assumptions,
    contract=dataclasses.replace(
        Contract.of(
            DROPOUT_CALL_CHECK,
            signature="fn(x[...], p, training) -> y[...]  # inverted dropout on torch's global RNG; p = drop probability",
            reference="impl.dropout.inverted_dropout (global RNG seeded 0)",
            variants=DROPOUT_VARIANTS,
        ),
        module=DROPOUT_MODULE,
        judge=DropoutJudge(),
    ),
)
CLAIMS += [INVERTED]
