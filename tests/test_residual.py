"""Residual topic: one test per public id, the planted wrong formulas named in the issue, edge cases."""

from __future__ import annotations

import dlproofs.derivations.residual as R
import dlproofs.impl.residual as res
import pytest
import torch

from dlproofs.check import verdict_label
from dlproofs.matrices import prove_equal
from dlproofs.numeric import run_check
from tests._topic import checked


def get(claim_id: str):
    """The record from this topic's module (independent of other topics' import state)."""
    return next(c for c in R.CLAIMS if c.id == claim_id)


IDS = {
    "residual.jacobian": "proved",
    "residual.zero-init": "proved",
    "residual.zero-init-stack": "proved",
    "residual.zero-init-param-grads": "proved",
    "residual.lower-bound": "proved",
    "residual.no-unconditional-bound": "conditional",
    "residual.upper-bound": "proved",
}


@pytest.mark.parametrize("claim_id", IDS)
def test_each_public_id_has_its_verdict(claim_id):
    assert verdict_label(checked(claim_id)) == IDS[claim_id]


def _planted(claim_id: str, check_index: int, label_part: str) -> bool:
    check = get(claim_id).numeric[check_index]
    (name,) = [k for k in check.planted if label_part in k]
    return not run_check(claim_id, check, override=check.planted[name], shrink=False).ok


def test_missing_identity_term_is_rejected():  # ∂L/∂x = ∂L/∂y J_F
    assert _planted("residual.jacobian", 0, "missing identity")


def test_lower_bound_square_root_is_rejected():  # (1 − ‖J‖)^0.5
    assert _planted("residual.lower-bound", 0, "^0.5")


def test_frobenius_misuse_is_rejected():  # ‖J‖_F/√n for ‖J‖₂
    assert _planted("residual.lower-bound", 0, "‖J‖_F")
    assert _planted("residual.upper-bound", 0, "‖J‖_F")


def test_w1_gradient_at_zero_init_is_rejected():
    assert _planted("residual.zero-init-param-grads", 0, "W₁ gets")


def test_plain_stack_passing_gradient_is_rejected():
    assert _planted("residual.zero-init-stack", 0, "plain stack")


def test_jacobian_golden():
    assert prove_equal(R.g * R.Jacobian(R.x + R.F, R.x), R.g + R.g * R.JF)
    assert prove_equal(R.Jacobian(R.SUBLAYER, R.x), R.J_MLP)


def test_zero_init_golden():
    zero = dict(R.ZERO_W2)
    assert prove_equal((R.g * R.Jacobian(R.Y, R.x)).xreplace(zero), R.g)


def test_minus_identity_kills_the_gradient():
    w = R._minus_identity_witness()
    assert not w.holds and w.lhs.endswith("= 0.0")


def test_zero_init_with_relu_dead_hidden_layer_and_zero_input():
    """Edge: x = 0 and b₁ = 0 put relu exactly at 0; the gradient still passes unchanged."""
    gen = torch.Generator().manual_seed(3)
    p = res.zero_init_block(4, 3, generator=gen)
    p = res.ResidualParams(p.w1, torch.zeros(3, dtype=torch.float64), p.w2, p.b2)
    x = torch.zeros(4, dtype=torch.float64)
    gr = torch.tensor([1.0, -2.0, 0.5, 3.0], dtype=torch.float64)
    assert torch.equal(res.residual_input_grad(x, [p], gr), gr)
    assert torch.equal(res.plain_input_grad(x, [p], gr), torch.zeros(4, dtype=torch.float64))
    grads = res.branch_param_grads(x, p.w1, p.b1, p.w2, gr)
    assert not grads.w1.any() and not grads.b1.any() and not grads.w2.any()  # φ(0) = 0: nothing moves
    assert torch.equal(grads.b2, gr)


def test_block_jacobian_matches_autograd():
    gen = torch.Generator().manual_seed(5)
    w1, b1 = torch.rand(3, 2, generator=gen, dtype=torch.float64), torch.rand(3, generator=gen, dtype=torch.float64)
    w2 = torch.rand(2, 3, generator=gen, dtype=torch.float64)
    x = torch.tensor([0.3, -0.7], dtype=torch.float64)
    auto = torch.autograd.functional.jacobian(lambda v: w2 @ torch.relu(w1 @ v + b1), x)
    assert torch.allclose(res.block_jacobian(x, w1, b1, w2), auto, rtol=0, atol=1e-15)


def test_tight_case_attains_the_lower_bound():
    case = {
        "mode": "tight",
        "d": 3,
        "h": 3,
        "L": 4,
        "phi": "identity",
        "seed": 0,
        "w2_scale": 1.0,
        "eps": 0.25,
        "sign": -1.0,
        "x": torch.ones(3, dtype=torch.float64),
        "g": torch.tensor([1.0, 2.0, 2.0], dtype=torch.float64),
    }
    grads = R.autograd_run(case, R.build_stack(case))[1]
    assert abs(float(grads[0].norm()) - 0.75**4 * 3.0) < 1e-14
