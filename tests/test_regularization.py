"""What is specific to the regularization topic (seed 001 Q6); the registry templates cover the rest.

One test (at least) per public id: reg.l1.grad, reg.l2.grad, reg.l1.update, reg.l2.update,
reg.l2.weight-decay, reg.l1.sparsity, reg.l2.no-exact-zero (and reg.l1.prox-sparsity). The planted
wrong formulas named in the issue (2λθ, sign(0) = 1, (1 − ηλ)θ + η∇L, the decay without η) are
each shown rejected; exact zeros, ηλ = 1, underflow and the two contracts are tested directly.
"""

from __future__ import annotations

import functools
import math
import re

import dlproofs.impl.regularization as reg
import pytest
import sympy as sp
import torch
from dlproofs.derivations import regularization as R
from hypothesis import Phase, given, settings
from hypothesis import seed as hyp_seed
from test_ledger import SUPPORTING

from dlproofs.check import verdict_label
from dlproofs.claim import Verdict
from dlproofs.numeric import run_check
from dlproofs.registry import get
from dlproofs.sums import normalize
from tests._topic import checked

IDS = {
    "reg.l1.grad": "proved",
    "reg.l2.grad": "proved",
    "reg.l1.update": "proved",
    "reg.l2.update": "proved",
    "reg.l2.weight-decay": "conditional",
    "reg.l1.sparsity": "refuted",
    "reg.l1.prox-sparsity": "proved",
    "reg.l2.no-exact-zero": "conditional",
    "reg.l2.optimum-zeros": "conditional",
    "reg.l2.smaller-norm": "proved",
    "reg.l1.penalty-grad": "proved",  # issue 12 round 2: contracts for penalty objects (supporting, no seed sentence)
    "reg.l2.penalty-grad": "proved",
}
D = torch.float64


def T(values):
    return torch.tensor(values, dtype=D)


@pytest.mark.parametrize(("claim_id", "verdict"), IDS.items())
def test_public_id_and_verdict(claim_id, verdict):
    claim = get(claim_id)
    assert claim.verdict is Verdict(verdict)
    assert verdict_label(checked(claim.id)) == verdict
    # A claim is either judged against a Q6 sentence or a supporting result that no seed sentence
    # states (issue 11: the ledger lists those, each with why, in tests/test_ledger.py).
    stated = any(s.file == "001_247eb230c3d35b0b.txt" and s.section == "Q6" for s in claim.sources)
    assert stated or (not claim.sources and claim_id in SUPPORTING), claim.sources


# ── planted formulas named in the issue ──────────────────────────────────────────────────────
PLANTED = [
    ("reg.l2.grad", "2λθ (penalty without the 1/2)"),
    ("reg.l1.grad", "sign(0) = 1"),
    ("reg.l1.update", "sign(0) = 1"),
    ("reg.l2.update", "(1 − ηλ)θ + η∇L (wrong sign)"),
    ("reg.l2.update", "decay without η: (1 − λ)θ − ηg"),
    ("reg.l2.update", "2λθ in the gradient"),
    ("reg.l2.weight-decay", "decay without η: (1 − λ)θ − ηg"),
    ("reg.l2.penalty-grad", "2λθ (penalty without the 1/2)"),
    ("reg.l2.penalty-grad", "−λθ (sign flipped)"),
    ("reg.l1.penalty-grad", "sign(0) = 1"),
    ("reg.l1.penalty-grad", "λθ (L2's gradient)"),
]


@pytest.mark.parametrize(("claim_id", "planted"), PLANTED)
def test_named_planted_formula_is_rejected(claim_id, planted):
    claim = get(claim_id)
    check = next(c for c in claim.numeric if planted in c.planted)
    result = run_check(claim_id, check, override=check.planted[planted], shrink=False)
    assert not result.ok, f"{claim_id}: planted {planted!r} passed {result.examples} examples"


# ── golden SymPy facts ───────────────────────────────────────────────────────────────────────
def test_sympy_abs_derivative_is_sign_and_sign0_is_0():
    x = sp.Symbol("x", real=True)
    assert sp.diff(sp.Abs(x), x) == sp.sign(x)
    assert sp.sign(0) == 0


def test_normalizer_differentiates_the_l2_penalty_for_symbolic_n():
    expr = sp.Derivative(R.lam / 2 * sp.Sum(R.theta[R.i] ** 2, (R.i, 1, R.n)), R.theta[R.k])
    assert sp.expand(normalize(expr)) == R.lam * R.theta[R.k]


def test_l1_penalty_is_not_a_power_sum():
    """The normalizer refuses Σ|θ_i| (so reg.l1.grad is proved per coordinate, not guessed)."""
    from dlproofs.errors import NotNormalizableError

    with pytest.raises(NotNormalizableError):
        normalize(sp.Sum(sp.Abs(R.theta[R.i]), (R.i, 1, R.n)))


def test_decayed_weight_is_nonzero_symbolically():
    q = sp.Symbol("q", positive=True)  # q = 1 − ηλ with 0 < ηλ < 1
    th0 = sp.Symbol("theta_0", real=True, nonzero=True)
    t = sp.Symbol("t", integer=True, nonnegative=True)
    assert (q**t * th0).is_zero is False


def test_adam_and_adamw_closed_forms_differ_exactly():
    pt = {R.th_s: 1, R.g_s: 1, R.lr: sp.Rational(1, 10), R.lam: sp.Rational(1, 10), R.eps: sp.Rational(1, 10**8)}
    assert sp.simplify(R.ADAM_L2.subs(pt) - R.ADAMW.subs(pt)) != 0


# ── reg.l1.grad / reg.l2.grad: torch at exact zeros ──────────────────────────────────────────
def test_autograd_abs_picks_sign0_equal_0_but_sqrt_of_square_is_nan():
    p = T([0.0, 2.0, -3.0]).requires_grad_(True)
    p.abs().sum().backward()
    assert p.grad.tolist() == [0.0, 1.0, -1.0]
    q = T([0.0, 2.0]).requires_grad_(True)
    torch.sqrt(q * q).sum().backward()
    assert math.isnan(q.grad[0].item())


def test_l1_grad_at_exact_zero_is_the_loss_gradient():
    th, g = T([0.0, 0.5]), T([0.25, 0.0])
    assert reg.l1_grad(th, g, 2.0).tolist() == [0.25, 2.0]


def test_l2_grad_rank0():
    assert reg.l2_grad(T(3.0), T(1.0), 0.5).item() == 2.5


# ── reg.l1.update / reg.l2.update ────────────────────────────────────────────────────────────
def test_l1_update_leaves_zero_weights_to_the_loss():
    th, g = T([0.0, 1.0, -1.0]), T([0.0, 0.0, 0.0])
    assert reg.l1_update(th, g, 0.1, 1.0).tolist() == [0.0, 0.9, -0.9]


def test_l2_update_rearrangement_is_not_bitwise_but_within_tolerance():
    gen = torch.Generator().manual_seed(0)
    th = torch.randn(10_000, generator=gen, dtype=D)
    g = torch.randn(10_000, generator=gen, dtype=D)
    a, b = reg.l2_update(th, g, 0.3, 0.7), reg.l2_update_shrink(th, g, 0.3, 0.7)
    assert not torch.equal(a, b)
    case = {"theta": th, "grad": g, "lr": 0.3, "lam": 0.7}
    assert float((a - b).abs().max()) <= R._L2_TOL.bound(case, D)


def test_sgd_weight_decay_error_needs_the_decay_term_in_its_scale():
    """Relative to |θ| + η|g| alone the error grows with ηλ; with ηλ|θ| added it stays ≤ 2 eps."""
    gen = torch.Generator().manual_seed(3)
    th = torch.randn(10_000, generator=gen, dtype=D)
    g = torch.randn(10_000, generator=gen, dtype=D)
    lr, lam = 10.0, 100.0  # ηλ = 1000
    err = (reg.sgd_weight_decay_step(th, g, lr, lam) - reg.l2_update_shrink(th, g, lr, lam)).abs()
    eps = torch.finfo(D).eps
    inputs_only = float((err / (eps * (th.abs() + lr * g.abs()))).max())
    full = float((err / (eps * (th.abs() + lr * g.abs() + lr * lam * th.abs()))).max())
    assert inputs_only > 10 and full <= 2


# ── contracts ────────────────────────────────────────────────────────────────────────────────
def _violation(claim_id, fn, max_examples=100, seed=None):
    """First drawn input where fn differs from the contract's reference beyond its tolerance."""
    contract = get(claim_id).contract
    found = {}

    phases = [p for p in Phase if p is not Phase.shrink]

    @settings(max_examples=max_examples, derandomize=seed is None, database=None, deadline=None, phases=phases)
    @given(inputs=contract.inputs())
    def search(inputs):
        want = contract.reference(*inputs.values())
        got = fn(*inputs.values())
        bad = (got - want).abs() > contract.tolerance.bound(inputs, D)
        if bad.any():
            found.update(inputs=inputs, bad=bad)
            raise AssertionError

    if seed is not None:
        search = hyp_seed(seed)(search)
    try:
        search()
    except AssertionError:
        return found
    return None


def _l1_sign0_is_1(theta, grad, lr, lam):
    return theta - lr * (grad + lam * torch.where(theta >= 0, 1.0, -1.0).to(theta.dtype))


@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_l1_contract_finds_a_bug_only_at_zero_and_locates_it(seed):
    found = _violation("reg.l1.update", _l1_sign0_is_1, seed=seed)
    assert found is not None, "a sign(0) = 1 bug went unnoticed in 100 examples"
    (locator,) = get("reg.l1.update").contract.locators
    assert locator.label == "only at entries where theta == 0"
    mask = locator.mask(found["inputs"])
    assert bool(found["bad"].any()) and not bool((found["bad"] & ~mask).any())


def test_l1_contract_accepts_the_reference_and_torch_sgd():
    assert _violation("reg.l1.update", reg.l1_update) is None
    assert _violation("reg.l1.update", functools.partial(R._sgd_on_penalized_loss, kind="l1")) is None


def test_l2_contract_accepts_torch_sgd_weight_decay_and_rejects_planted():
    contract = get("reg.l2.update").contract
    assert contract.signature.startswith("fn(theta[...], grad[...], lr, lam)")
    assert _violation("reg.l2.update", reg.sgd_weight_decay_step) is None
    assert _violation("reg.l2.update", reg.l2_update_shrink) is None
    assert _violation("reg.l2.update", lambda th, g, lr, lam: (1 - lam) * th - lr * g) is not None
    assert _violation("reg.l2.update", lambda th, g, lr, lam: (1 - lr * lam) * th + lr * g) is not None


def test_contract_inputs_are_ordered_and_reach_edges():
    seen = {"ranks": set(), "zeros": 0, "big_lr_lam": 0, "tiny_lr": 0}

    # 200 derandomized draws: the counts below are about the strategy reaching its edges, not about one
    # particular 100-draw sequence (which moves whenever Hypothesis's pool of literals from the code changes)
    @settings(max_examples=200, derandomize=True, database=None, deadline=None)
    @given(inputs=get("reg.l2.update").contract.inputs())
    def collect(inputs):
        assert list(inputs) == ["theta", "grad", "lr", "lam"]
        assert inputs["theta"].dtype == D and isinstance(inputs["lr"], float) and isinstance(inputs["lam"], float)
        seen["ranks"].add(inputs["theta"].dim())
        seen["zeros"] += int((inputs["theta"] == 0).any())
        seen["big_lr_lam"] += inputs["lr"] * inputs["lam"] > 1
        seen["tiny_lr"] += inputs["lr"] <= 1e-6

    collect()
    assert seen["ranks"] == {0, 1, 2, 3}
    assert seen["zeros"] >= 20 and seen["big_lr_lam"] >= 5 and seen["tiny_lr"] >= 5


# ── reg.l2.weight-decay: Adam vs AdamW through torch ─────────────────────────────────────────
def test_torch_adam_weight_decay_is_l2_in_the_loss_not_adamw():
    th, g = T([1.0, -2.0, 0.5]), T([1.0, 10.0, -0.1])
    adam, adamw = reg.adam_l2_step(th, g, 0.1, 0.1), reg.adamw_step(th, g, 0.1, 0.1)
    case = {"theta": th, "grad": g, "lr": 0.1, "lam": 0.1}
    assert torch.allclose(adam, R._adam_on_penalized_loss(*case.values()), rtol=0, atol=1e-15)
    assert float((adam - adamw).abs().max()) > 1e-3


def test_sgd_weight_decay_equals_l2_update_rank3():
    gen = torch.Generator().manual_seed(4)
    th, g = torch.randn(2, 3, 4, generator=gen, dtype=D), torch.randn(2, 3, 4, generator=gen, dtype=D)
    case = {"theta": th, "grad": g, "lr": 0.05, "lam": 0.01}
    diff = (reg.sgd_weight_decay_step(th, g, 0.05, 0.01) - reg.l2_update(th, g, 0.05, 0.01)).abs().max()
    assert float(diff) <= R._L2_TOL.bound(case, D)


# ── reg.l1.sparsity / reg.l1.prox-sparsity ───────────────────────────────────────────────────
def test_subgradient_step_flips_a_small_weight_prox_zeroes_it():
    th, g = T([0.05, -0.05, 0.3]), T([0.0, 0.0, 0.0])
    sub = reg.l1_update(th, g, 0.1, 1.0)
    assert sub[0].item() < 0 < sub[1].item() and (sub[:2] != 0).all()
    prox = reg.soft_threshold_update(th, g, 0.1, 1.0)
    assert prox[:2].tolist() == [0.0, 0.0] and math.isclose(prox[2].item(), 0.2)


def test_subgradient_sgd_oscillates_in_the_band():
    w = R._subgradient_vs_prox()
    zeros = int(re.search(r"(\d+)/1000 weights exactly 0", w.lhs).group(1))
    assert not w.holds and zeros < 50 and "1000/1000" in w.rhs


def test_subgradient_reaches_zero_only_on_an_exact_multiple():
    # θ_0 = 0.5, ηλ = 0.25: 0.5 → 0.25 → 0 exactly, then sign(0) = 0 keeps it there
    th, zero = T([0.5]), T([0.0])
    for _ in range(5):
        th = reg.l1_update(th, zero, 0.25, 1.0)
    assert th.item() == 0.0


def test_soft_threshold_equals_softshrink():
    gen = torch.Generator().manual_seed(5)
    th, g = torch.randn(100, generator=gen, dtype=D), torch.randn(100, generator=gen, dtype=D)
    u = th - 0.1 * g
    assert torch.equal(reg.soft_threshold_update(th, g, 0.1, 3.0), torch.nn.functional.softshrink(u, 0.1 * 3.0))


# ── reg.l2.no-exact-zero ─────────────────────────────────────────────────────────────────────
def test_l2_eta_lambda_one_zeroes_in_one_step():
    th = T([3.0, -1.5])
    assert reg.l2_update(th, torch.zeros_like(th), 0.5, 2.0).tolist() == [0.0, 0.0]


def test_l2_decay_underflows_after_1075_halvings():
    w = R._underflow()
    assert not w.holds and "1075 steps" in w.lhs


def test_l2_decay_is_nonzero_for_sixty_steps_of_heavy_decay():
    case = {"theta": T([1e-9, -1e-9]), "lr": 1.0, "lam": 0.99, "T": 60}
    assert (R._decay_by_sgd(case) != 0).all()


def test_l2_zero_only_for_a_dead_feature_and_norm_shrinks_with_the_penalty():
    """001 line 74 judged at the solution (issue 11): a feature that is 0 in every example gets θ*_k = 0 exactly
    (the counterexample), a generic one does not; and the ridge norm does not grow with λ."""
    from dlproofs.derivations.regularization import _ridge, _ridge_zero_witness

    w = _ridge_zero_witness()
    assert not w.holds and w.facts["zero_columns"] == 1
    X = torch.tensor([[1.0, 0.5], [0.25, -1.0], [0.5, 0.75]], dtype=D)
    y = torch.tensor([1.0, -0.5, 0.25], dtype=D)
    norms = [float(_ridge(X, y, lm).norm()) for lm in (0.01, 0.1, 1.0, 10.0)]
    assert all(b < a for a, b in zip(norms, norms[1:])) and bool((_ridge(X, y, 1.0) != 0).all())
