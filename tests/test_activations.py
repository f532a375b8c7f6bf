"""Activations (seed 001 Q1-Q3): what is specific to the topic beyond the registry templates.

One test per public id, the measured traps (relu's gradient at 0, SymPy's Heaviside(0) = 1/2,
the textbook sigmoid's NaN gradient), the relu.backward contract, and golden SymPy facts.
"""

from __future__ import annotations

import math

import dlproofs.impl.activations as act
import pytest
import sympy as sp
import torch
import torch.nn.functional as F
from dlproofs.derivations import activations as A
from hypothesis import HealthCheck, given, settings

from dlproofs.check import check_counterexample
from dlproofs.numeric import run_check
from dlproofs.registry import get
from dlproofs.roots import sign_change
from dlproofs.sums import normalize
from tests._topic import checked

IDS = [c.id for c in A.CLAIMS]
EXPECTED = {
    "relu.derivative": "proved",
    "relu.backward": "proved",
    "relu.dead-unit": "proved",
    "relu.same-sign-grads": "conditional",
    "sigmoid.derivative": "proved",
    "tanh.derivative": "proved",
    "sigmoid.chain-bound": "proved",
    "swish.derivative": "proved",
}


def test_the_issue_s_public_ids_are_all_kept_in_order():
    assert [i for i in IDS if i in EXPECTED] == list(
        EXPECTED
    )  # the public ids stay (a published link must keep working); later issues may add claims


@pytest.mark.parametrize("claim_id", list(EXPECTED))
def test_each_id_has_its_verdict(claim_id):
    claim = get(claim_id)
    assert claim.verdict.value == EXPECTED[claim_id]
    assert checked(claim.id).found is claim.verdict


# ── golden SymPy facts (DESIGN.md §4) ─────────────────────────────────────────────────────
def test_sympy_relu_derivative_is_heaviside_with_one_half_at_zero():
    x = sp.Symbol("x", real=True)
    assert sp.diff(sp.Max(0, x), x) == sp.Heaviside(x)
    assert sp.Heaviside(0) == sp.S.Half
    assert sp.Heaviside(0, 0) == 0
    assert sp.Heaviside(0, 1) == 1


def test_sum_of_zero_normalizes_to_zero():
    i, m = sp.Symbol("i", integer=True, positive=True), sp.Symbol("m", integer=True, positive=True)
    assert normalize(sp.Sum(sp.S.Zero, (i, 1, m))) == 0


# ── relu.derivative / relu.backward ───────────────────────────────────────────────────────
def _grad_at(fn, values):
    z = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    fn(z).sum().backward()
    return z.grad.tolist()


def test_relu_derivative_at_zero_is_zero_for_torch_relu():
    assert _grad_at(torch.relu, [-1.0, 0.0, 2.0]) == [0.0, 0.0, 1.0]
    assert _grad_at(F.relu, [0.0]) == [0.0]
    assert act.relu_derivative(torch.tensor([-1.0, 0.0, 2.0])).tolist() == [0.0, 0.0, 1.0]


def test_relu_backward_measured_trap_clamp_one_maximum_half():
    """The issue's measured trap: the same function, three gradients at exactly 0."""
    assert _grad_at(lambda z: z.clamp(min=0), [0.0]) == [1.0]
    assert _grad_at(lambda z: torch.maximum(z, torch.zeros_like(z)), [0.0]) == [0.5]
    assert _grad_at(torch.relu, [0.0]) == [0.0]


@pytest.mark.parametrize("claim_id", ["relu.derivative", "relu.backward"])
def test_relu_planted_one_at_zero_is_named_and_rejected(claim_id):
    check = get(claim_id).numeric[0]
    names = [p for p in check.planted if "≥" in p]
    assert names, f"{claim_id}: no planted 1[z ≥ 0]"
    for name in names:
        assert not run_check(claim_id, check, override=check.planted[name], shrink=False).ok


def _relu_backward_ge(z, grad_out):
    return grad_out * (z >= 0)


def _relu_backward_clamp(z, grad_out):
    leaf = z.clone().requires_grad_(True)
    (dz,) = torch.autograd.grad(leaf.clamp(min=0), leaf, grad_out)
    return dz


@pytest.mark.parametrize("bug", [_relu_backward_ge, _relu_backward_clamp], ids=["1[z>=0]", "clamp"])
def test_relu_backward_contract_finds_bugs_only_at_zero_within_100_examples(bug):
    contract = get("relu.backward").contract
    found = []

    @settings(max_examples=100, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(inputs=contract.inputs())
    def search(inputs):
        want = contract.reference(*inputs.values())
        got = bug(*inputs.values())
        bad = (got - want).abs() > contract.tolerance.bound(inputs, torch.float64)
        if bad.any():
            (locator,) = contract.locators
            assert bool((bad <= locator.mask(inputs)).all()), "difference outside z == 0"
            found.append(inputs)

    search()
    assert found, "a bug that differs only at z == 0 was not found in 100 examples"
    assert contract.locators[0].label == "only at entries where z == 0"


def test_relu_backward_contract_accepts_torch_relu_autograd():
    contract = get("relu.backward").contract

    def autograd_relu(z, grad_out):
        leaf = z.clone().requires_grad_(True)
        (dz,) = torch.autograd.grad(torch.relu(leaf), leaf, grad_out)
        return dz

    @settings(max_examples=50, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(inputs=contract.inputs())
    def search(inputs):
        assert torch.equal(autograd_relu(*inputs.values()), contract.reference(*inputs.values()))

    search()


def test_relu_backward_conform_reports_the_zero_locator():
    conform = pytest.importorskip("dlproofs.conform")
    result = conform.conform("relu.backward", _relu_backward_ge)
    assert not result.ok
    assert "only at entries where z == 0" in result.where


# ── relu.dead-unit ────────────────────────────────────────────────────────────────────────
def test_relu_dead_unit_on_the_boundary_gets_zero_gradient_but_clamp_does_not():
    case = {"m": 3, "d": 2, "units": 2, "j": 0, "margin": 0.0, "seed": 1}
    assert A._dead_unit_grads(case).ok
    assert not A._dead_unit_grads(case, A._clamp).ok


# ── relu.same-sign-grads ──────────────────────────────────────────────────────────────────
def test_relu_same_sign_grads_batch_of_two_counterexample():
    claim = get("relu.same-sign-grads")
    assert claim.hypothesis
    results = [check_counterexample(cx) for cx in claim.counterexamples]
    assert all(r.confirmed for r in results)
    assert A._mixed_batch_witness().lhs == "∂L/∂w = [1.0, -1.0]"


def test_relu_same_sign_grads_per_example_holds():
    for seed in range(20):
        assert A._weight_grad_signs({"m": 1, "d": 4, "sign": -1.0, "seed": seed}).ok


# ── sigmoid.derivative / tanh.derivative ──────────────────────────────────────────────────
def test_sigmoid_derivative_maximum_is_one_quarter_at_zero():
    assert _grad_at(torch.sigmoid, [0.0]) == [0.25]
    assert _grad_at(act.sigmoid, [0.0]) == [0.25]


def test_sigmoid_planted_formulas_named_in_the_issue():
    claim = get("sigmoid.derivative")
    assert "σ(1 + σ)" in claim.numeric[0].planted
    assert any("1/2" in p for p in claim.numeric[1].planted)


def test_impl_sigmoid_gradient_is_finite_where_the_textbook_form_is_nan():
    x = torch.tensor([-1000.0, -750.0, 0.0, 750.0], dtype=torch.float64)
    textbook = A._autograd(lambda u: 1 / (1 + torch.exp(-u)), x)
    assert math.isnan(textbook[0].item())  # measured trap: inf/inf in the backward pass
    assert torch.equal(A._autograd(act.sigmoid, x), A._autograd(torch.sigmoid, x))


def test_tanh_derivative_maximum_is_one_and_planted_one_minus_tanh():
    assert _grad_at(torch.tanh, [0.0]) == [1.0]
    assert "1 − tanh" in get("tanh.derivative").numeric[0].planted


# ── sigmoid.chain-bound ───────────────────────────────────────────────────────────────────
def test_sigmoid_chain_bound_narrow_near_linear_net_is_close_to_quarter_per_layer():
    case = {"L": 3, "widths": (1, 1, 1, 1), "scale": 1e-3, "seed": 0}
    out = A._chain_bound(case)
    assert out.ok and out.error > 0.9 * out.bound  # ‖∂L/∂x‖ / bound ≈ 1: (1/4)^L is tight here
    assert not A._chain_bound(case, 0.125).ok


# ── swish.derivative ──────────────────────────────────────────────────────────────────────
def test_swish_minimum_location_and_value():
    x = sp.Symbol("x", real=True)
    f = 1 + x * (1 - 1 / (1 + sp.exp(-x)))
    root = sp.nsolve(f, x, -1.3)
    assert abs(root - sp.Float("-1.27846454276107")) < 1e-12
    swish_min = root / (1 + sp.exp(-root))
    assert abs(swish_min - (root + 1)) < 1e-12  # x*σ(x*) = x* + 1 at the stationary point
    assert sign_change(f, x, sp.Rational(-12785, 10000), sp.Rational(-12784, 10000))[0]
    assert not sign_change(f, x, sp.Rational(-101, 100), sp.Rational(-99, 100))[0]


def test_swish_planted_missing_beta_and_silu_is_swish_one():
    assert any("β factor missing" in p for p in get("swish.derivative").numeric[0].planted)
    x = torch.linspace(-6, 6, 101, dtype=torch.float64)
    assert torch.allclose(act.swish(x, 1.0), F.silu(x), rtol=0, atol=4 * torch.finfo(torch.float64).eps)
    assert torch.allclose(act.swish_derivative(x, 1.0), A._autograd(F.silu, x), rtol=0, atol=1e-15)
