"""Gradient-norm clipping: what torch does, what it guarantees (an upper bound), what it cannot (a lower bound).

Seeds 000 §2.5 and 003 §6.3. torch.nn.utils.clip_grad_norm_ multiplies every gradient by
min(1, c/(‖g‖ + 1e-6)), ‖g‖ the norm of all gradients together. Hence ‖g'‖ ≤ c and ‖g'‖ ≤ ‖g‖
(inequalities from named lemmas, backed by property checks through torch), so for SGD the step
is at most lr·c. Seed 003's "clipping keeps the gradient above a reasonable lower bound" is
refuted: a clipping factor is at most 1, so a vanished gradient stays vanished.
"""

from __future__ import annotations

import math

import dlproofs.impl.clipping as clp
import sympy as sp
import torch
from dlproofs.derivations import _shared as shared
from hypothesis import strategies as st
from sympy import Ge, Min, symbols

from dlproofs.claim import Claim, Counterexample, Derivation, Premise, Source, Step, Verdict, Witness
from dlproofs.lemmas import Certificate, LemmaUse
from dlproofs.numeric import Case, CrossCheck, Outcome, PropertyCheck, Tolerance
from dlproofs.strategies import tensors

U = torch.finfo(torch.float64).eps

G = sp.Symbol("G", nonnegative=True)  # ‖g‖, all gradients together
c, eps, lr = symbols("c epsilon eta", positive=True)
delta = sp.Symbol("delta", positive=True)
LATEX = {G: r"\lVert g \rVert", eps: r"\varepsilon", lr: r"\eta"}
FACTOR = Min(1, c / (G + eps))

UPPER = Derivation(
    "c − ‖g'‖, with ‖g'‖ = min(1, c/(‖g‖ + ε))·‖g‖ (one non-negative factor for all tensors)",
    c - FACTOR * G,
    (
        Step(
            c - c / (G + eps) * G,
            "lemma",
            "min(a, b) ≤ b, times ‖g‖ ≥ 0.",
            ">=",
            Certificate((G, LemmaUse("min-le", a=1, b=c / (G + eps)))),
        ),
        Step(
            c * eps / (G + eps),
            "common denominator",
            "c − cG/(G + ε) = cε/(G + ε) > 0: the clipped norm never exceeds c.",
        ),
    ),
)
NEVER_UP = Derivation(
    "‖g‖ − ‖g'‖",
    G - FACTOR * G,
    (
        Step(
            sp.S.Zero,
            "lemma",
            "min(1, ·) ≤ 1: clipping never increases a norm — so it cannot lift a small one.",
            ">=",
            Certificate((G, LemmaUse("min-le", a=c / (G + eps), b=1))),
        ),
    ),
)
SGD_STEP = Derivation(
    "η·c − ‖Δθ‖ for SGD after clipping, ‖Δθ‖ = η‖g'‖",
    lr * c - lr * FACTOR * G,
    (
        Step(
            lr * c - lr * c / (G + eps) * G,
            "lemma",
            "As above, times η > 0.",
            ">=",
            Certificate((lr * G, LemmaUse("min-le", a=1, b=c / (G + eps)))),
        ),
        Step(
            lr * c * eps / (G + eps),
            "common denominator",
            "ηc − ηcG/(G + ε) = ηcε/(G + ε) > 0: the step of plain SGD is below η·c, however large ‖g‖ is.",
        ),
    ),
)


@st.composite
def grad_cases(draw: st.DrawFn) -> Case:
    """1–3 gradient tensors of drawn shapes and scales; max_norm 1e-4..1e2 (clipping on and off, ε visible)."""
    shapes = draw(st.lists(st.lists(st.integers(1, 3), min_size=1, max_size=2).map(tuple), min_size=1, max_size=3))
    scale = draw(st.one_of(st.just(1e-3), st.floats(-4, 3).map(lambda e: 10.0**e)))
    grads = [draw(tensors(s, scale=scale)) for s in shapes]
    return {
        **{f"g{i}": g for i, g in enumerate(grads)},
        "count": len(grads),
        "max_norm": draw(st.one_of(st.just(1.0), st.floats(-4, 2).map(lambda e: 10.0**e))),
    }


def _grads(case: Case) -> list[torch.Tensor]:
    return [case[f"g{i}"] for i in range(case["count"])]


def _flat(ts: list[torch.Tensor]) -> torch.Tensor:
    return torch.cat([t.flatten() for t in ts])


def _closed(case: Case, *, eps_: float = clp.EPS, per_tensor: bool = False, cap: bool = True) -> torch.Tensor:
    gs = _grads(case)
    if per_tensor:
        return _flat([g * min(1.0, case["max_norm"] / (float(g.norm()) + eps_)) for g in gs])
    total = float(_flat(gs).norm())
    f = case["max_norm"] / (total + eps_)
    return _flat(gs) * (min(1.0, f) if cap else f)


def _torch_clip(case: Case) -> torch.Tensor:
    params = [torch.nn.Parameter(torch.zeros_like(g)) for g in _grads(case)]
    for p, g in zip(params, _grads(case)):
        p.grad = g.clone()
    torch.nn.utils.clip_grad_norm_(params, case["max_norm"])
    return _flat([p.grad for p in params])


CLIP_TOL = Tolerance(
    8,
    "the total norm is a sum of squares (relative error ≲ √N u) and one product per entry: 8 ulps of max|g|",
    lambda case: max(float(_flat(_grads(case)).abs().max()), 1e-300) * math.sqrt(_flat(_grads(case)).numel()),
)


def _norm_bound(case: Case, clip=None) -> Outcome:
    """‖g'‖ ≤ c and ‖g'‖ ≤ ‖g‖ through torch's clip_grad_norm_ (or a planted clipper)."""
    got = _torch_clip(case) if clip is None else clip(case)
    norm, before = float(got.norm()), float(_flat(_grads(case)).norm())
    slack = 8 * U * math.sqrt(got.numel()) * max(case["max_norm"], before)
    worst = max(norm - case["max_norm"], norm - before)
    return Outcome(
        worst <= slack, max(worst, 0.0), slack, f"‖g'‖ = {norm!r}, c = {case['max_norm']!r}, ‖g‖ = {before!r}"
    )


def _clip_value(case: Case) -> torch.Tensor:
    return _flat([g.clamp(-case["max_norm"], case["max_norm"]) for g in _grads(case)])


CLIP = Claim(
    id="clip.grad-norm",
    title="clip_grad_norm_ scales all gradients by min(1, c/(‖g‖ + 10⁻⁶)): ‖g'‖ ≤ c, direction kept",
    verdict=Verdict.PROVED,
    summary=(
        "torch.nn.utils.clip_grad_norm_ computes the norm of all gradients together and multiplies every tensor by "
        "the same factor min(1, c/(‖g‖ + 10⁻⁶)): gradients below the threshold are untouched (up to the 10⁻⁶, which "
        "makes the factor slightly below 1 near ‖g‖ = c), larger ones are scaled down to norm just under c, and "
        "the direction is unchanged. Not per-tensor clipping, not clip_grad_value_ (which changes direction)."
    ),
    derivations=(UPPER,),
    numeric=(
        CrossCheck(
            cap=30,
            name="g·min(1, c/(‖g‖ + 1e-6)) against clip_grad_norm_ and impl",
            cases=grad_cases,
            expected=_closed,
            references={
                "torch.nn.utils.clip_grad_norm_": _torch_clip,
                "impl.clipping.clip_grad_norm": lambda case: _flat(
                    clp.clip_grad_norm(_grads(case), case["max_norm"])[0]
                ),
            },
            tolerance=CLIP_TOL,
            planted={
                "without the 1e-6": lambda case: _closed(case, eps_=0.0),
                "per-tensor norms": lambda case: _closed(case, per_tensor=True),
                "c/‖g‖ without the min (small gradients scaled up)": lambda case: _closed(case, cap=False),
            },
            examples=(  # two tensors, clipping active: per-tensor clipping differs from the global one
                {
                    "g0": torch.tensor([3.0, 4.0], dtype=torch.float64),
                    "g1": torch.tensor([0.5], dtype=torch.float64),
                    "count": 2,
                    "max_norm": 1.0,
                },
            ),
        ),
        PropertyCheck(
            cap=25,
            name="‖clip_grad_norm_(g)‖ ≤ c and ≤ ‖g‖",
            cases=grad_cases,
            holds=_norm_bound,
            reason="both exact inequalities; slack 8 u·√N·max(c, ‖g‖) for the rounding of the norms",
            planted={"clip_grad_value_ at c (elementwise)": lambda case: _norm_bound(case, clip=_clip_value)},
            # every seed: entries (3, 4) above c = 1, where value clipping leaves norm √2 > c
            examples=({"g0": torch.tensor([3.0, 4.0], dtype=torch.float64), "count": 1, "max_norm": 1.0},),
        ),
    ),
    sources=(
        Source(
            shared.SEED000,
            "§2.5",
            "这是一种简单但有效的方法,用于限制梯度的最大范数。如果计算出的梯度超过了某个阈值,则将其按比例缩小",
            "A simple, effective method that limits the maximum norm of the gradient: if it exceeds a threshold it "
            "is scaled down proportionally.",
            17,
        ),
        Source(
            shared.SEED003,
            "§6.3",
            "在反向传播过程中,对梯度进行裁剪,限制梯度的幅度。当梯度超过一定阈值时,将其缩放至合适范围,避免梯度爆炸问题。",
            "During backpropagation clip the gradient to limit its magnitude: above a threshold it is scaled into "
            "a suitable range, avoiding gradient explosion.",
            161,
        ),
    ),
)


def _tiny_witness() -> Witness:
    """A gradient of norm 1e-12 (and an exactly zero one) through clip_grad_norm_(max_norm=1)."""
    p, z = (
        torch.nn.Parameter(torch.zeros(3, dtype=torch.float64)),
        torch.nn.Parameter(torch.zeros(2, dtype=torch.float64)),
    )
    p.grad = torch.tensor([1e-12, 0.0, 0.0], dtype=torch.float64)
    z.grad = torch.zeros(2, dtype=torch.float64)
    torch.nn.utils.clip_grad_norm_([p], 1.0)
    torch.nn.utils.clip_grad_norm_([z], 1.0)
    after, zero = float(p.grad.norm()), float(z.grad.norm())
    return Witness(
        holds=after >= 1e-6 and zero > 0,
        lhs=f"‖g'‖ = {after!r} for ‖g‖ = 1e-12; ‖g'‖ = {zero!r} for g = 0",
        rhs="a 'reasonable lower bound' (any δ > 0, e.g. 1e-6)",
        detail="torch.nn.utils.clip_grad_norm_(max_norm=1.0): the factor is min(1, ·) ≤ 1",
    )


NO_LOWER_REFUTES = Ge(FACTOR * G, delta, evaluate=False)  # the statement clip.no-lower-bound refutes

NO_LOWER = Claim(
    id="clip.no-lower-bound",
    title="Clipping gives no lower bound: min(1, ·) ≤ 1, so a vanished gradient stays vanished",
    verdict=Verdict.REFUTED,
    refutes=(NO_LOWER_REFUTES,),
    summary=(
        "Seed 003 §6.3 says clipping keeps the gradient magnitude above a reasonable lower bound. The clipping "
        "factor is at most 1, so ‖g'‖ ≤ ‖g‖ (derived below): clipping can only shrink. At ‖g‖ = 0 the clipped norm "
        "is 0 < δ for every δ > 0 (exact counterexample), and torch leaves a 10⁻¹² gradient at 10⁻¹². Clipping is "
        "a remedy for explosion only; vanishing needs other means (residual paths, normalisation, initialisation)."
    ),
    derivations=(NEVER_UP,),
    counterexamples=(
        Counterexample(
            "‖g‖ = 0, c = 1, ε = 10⁻⁶: ‖g'‖ ≥ δ = 10⁻³ fails",
            relation=NO_LOWER_REFUTES,
            point={G: 0, c: 1, eps: sp.Rational(1, 10**6), delta: sp.Rational(1, 1000)},
        ),
        Counterexample("torch clip_grad_norm_ on tiny and zero gradients", run=_tiny_witness),
    ),
    sources=(
        Source(
            shared.SEED003,
            "§6.3",
            "这能保证梯度幅度始终在一个合理的下界之上,",
            "This guarantees that the gradient magnitude always stays above a reasonable lower bound.",
            161,
        ),
    ),
)


@st.composite
def sgd_cases(draw: st.DrawFn) -> Case:
    """As grad_cases (‖g‖ above and below max_norm c, so clipping on and off), plus η = 0.1 or 1e-4..1:
    the bound ‖Δθ‖ ≤ η·c must hold on both branches, at every step size."""
    case = draw(grad_cases())
    case["lr"] = draw(st.one_of(st.just(0.1), st.floats(-4, 0).map(lambda e: 10.0**e)))
    return case


def _step_norm(case: Case, optimizer: str = "sgd", clip: bool = True) -> Outcome:
    params = [torch.nn.Parameter(torch.zeros_like(g)) for g in _grads(case)]
    for p, g in zip(params, _grads(case)):
        p.grad = g.clone()
    if clip:
        torch.nn.utils.clip_grad_norm_(params, case["max_norm"])
    opt = (torch.optim.SGD if optimizer == "sgd" else torch.optim.Adam)(params, lr=case["lr"])
    opt.step()
    step = float(_flat([p.detach() for p in params]).norm())
    bound = case["lr"] * case["max_norm"]
    slack = 16 * U * math.sqrt(_flat(params).numel()) * bound
    return Outcome(step <= bound + slack, max(step - bound, 0.0), slack, f"‖Δθ‖ = {step!r}, η·c = {bound!r}")


SGD_BOUND = Claim(
    id="clip.sgd-update-bound",
    title="After clipping, an SGD step has norm ≤ η·c — for SGD, not for Adam",
    verdict=Verdict.PROVED,
    summary=(
        "Δθ = −η g' with ‖g'‖ ≤ c gives ‖Δθ‖ ≤ η·c whatever ‖g‖ is: that is the precise sense in which clipping "
        "'keeps the update step from being too large'. Checked with torch.optim.SGD after clip_grad_norm_. It is "
        "a property of SGD: Adam normalises the gradient, so its first step has size η per coordinate (norm "
        "η·√N) whatever c is — the planted 'same bound for Adam' fails."
    ),
    derivations=(SGD_STEP,),
    numeric=(
        PropertyCheck(
            cap=20,
            name="‖Δθ‖ of torch.optim.SGD after clip_grad_norm_ ≤ η·c",
            cases=sgd_cases,
            holds=_step_norm,
            reason="exact inequality; slack 16 u·√N·η·c for the norm and the update's rounding",
            # clipping active (‖g‖ = 5 > c = 1): the derandomized search's first cases rarely are
            examples=({"g0": torch.tensor([3.0, 4.0], dtype=torch.float64), "count": 1, "max_norm": 1.0, "lr": 0.1},),
            planted={
                "no clipping": lambda case: _step_norm(case, clip=False),
                "the same bound for Adam": lambda case: _step_norm(case, optimizer="adam"),
            },
        ),
    ),
    sources=(),
)

# the id prefixes this topic owns (the registry refuses a claim of another prefix here, and a
# prefix two topics declare)
PREFIXES = ("clip",)

CLAIMS = [CLIP, NO_LOWER, SGD_BOUND]


# ── issue 11: the step bound needs the optimizer ─────────────────────────────────────────────────────
def _adam_witness() -> Witness:
    """Adam after clip_grad_norm_(c = 1e-3): the first step is ≈ lr per coordinate, far above lr·c."""
    lr_, c_ = 0.1, 1e-3
    p = torch.nn.Parameter(torch.zeros(4, dtype=torch.float64))
    p.grad = torch.full((4,), 5.0, dtype=torch.float64)
    torch.nn.utils.clip_grad_norm_([p], c_)
    torch.optim.Adam([p], lr=lr_).step()
    step = float(p.detach().norm())
    return Witness(
        holds=step <= lr_ * c_,
        lhs=f"‖Δθ‖ = {step!r} after clipping to c = {c_!r}",
        rhs=f"η·c = {lr_ * c_!r}",
        detail="torch.optim.Adam(lr=0.1), one step on a 4-vector: Adam divides by √v̂, so clipping does not bound it",
        facts={"optimizer": "adam"},
    )


UPDATE_BOUND_OPTIMIZER = Claim(
    id="clip.update-bound-optimizer",
    title="Clipping keeps the update step ≤ η·c — for plain SGD; Adam's step ignores the clipping",
    verdict=Verdict.CONDITIONAL,
    summary=(
        "Seeds 000 §2.5 and 003 §6.3 say clipping keeps the update step from being too large, with no optimizer "
        "named (the Transformer trains with Adam). For SGD, ‖Δθ‖ = η‖g'‖ ≤ η·c (clip.sgd-update-bound). For Adam "
        "the step is −η·m̂/(√v̂ + ε), which a common rescaling of g leaves almost unchanged: after clipping to "
        "c = 10⁻³ its first step still has size ≈ η per coordinate. (Adam's step is bounded anyway, by η·C_t: "
        "adam.step-bound — but not by the clipping.)"
    ),
    derivations=(SGD_STEP,),
    numeric=SGD_BOUND.numeric,
    counterexamples=(Counterexample("torch.optim.Adam after clip_grad_norm_", run=_adam_witness),),
    hypothesis="the optimizer is plain SGD: the step is −η times the clipped gradient",
    premise=Premise(holds=lambda w: w.facts["optimizer"] == "sgd"),
    sources=(
        Source(
            shared.SEED000,
            "§2.5",
            "以保证更新步长不会过大,这样可以避免梯度爆炸带来的不稳定训练",
            "So that the update step is not too large, avoiding the unstable training that gradient explosion brings. "
            "Conditional on the optimizer: true for SGD, not for Adam.",
            17,
        ),
        Source(
            shared.SEED003,
            "§6.3",
            "同时防止过大的梯度更新导致模型不稳定。",
            "At the same time it prevents overly large gradient updates from destabilising the model. Conditional "
            "on the optimizer (SGD).",
            161,
        ),
    ),
)
CLAIMS += [UPDATE_BOUND_OPTIMIZER]
