"""Pre-Norm vs Post-Norm specifics: one test per public id, the planted formulas, golden matrix facts,
impl's LayerNorm Jacobian vs autograd, ‖J_LN‖₂ = 1/s, and quotes on their lines."""

from __future__ import annotations

import math

import dlproofs.impl.normorder as no
import pytest
import torch
from dlproofs.derivations import normorder as D

from dlproofs.check import check_derivation, verdict_label
from dlproofs.numeric import run_check
from dlproofs.registry import get
from tests._topic import checked

IDS = {
    "normorder.training-outcomes": "not formalizable",
    "normorder.standard-order": "not formalizable",
    "normorder.postnorm-skip": "refuted",
    "normorder.prenorm-jacobian": "proved",
    "normorder.postnorm-jacobian": "proved",
    "normorder.identity-path": "proved",
    "normorder.layernorm-jacobian": "proved",
    "normorder.postnorm-identity-weight": "conditional",
    "normorder.postnorm-branch-emphasis": "conditional",
}


@pytest.mark.parametrize(("cid", "verdict"), IDS.items())
def test_each_public_id_has_its_verdict(cid, verdict):
    assert verdict_label(checked(cid)) == verdict


def test_every_claim_of_the_module_is_named_here():
    assert {c.id for c in D.CLAIMS} == set(IDS)


def test_pre_and_post_jacobians_are_proved_for_symbolic_width():
    for d in (D.PRE, D.POST, D.PRE_INDUCTION, D.POST_INDUCTION):
        r = check_derivation(d)
        assert r.ok and r.sizes_checked, d.name


def test_post_norm_without_the_ln_factor_is_refuted_by_the_matrix_tier():
    from dataclasses import replace

    from sympy import Identity

    from dlproofs.claim import Step
    from dlproofs.matrices import MapJacobian

    wrong = replace(D.POST, steps=(Step(Identity(D.n) + MapJacobian(D.F_POST), "", ""),))
    assert check_derivation(wrong).refuted


@pytest.mark.parametrize("d", [3, 5, 8])
def test_layernorm_jacobian_closed_form_and_its_norm(d):
    gen = torch.Generator().manual_seed(d)
    z = torch.randn(d, generator=gen, dtype=torch.float64) * 3
    eps = 1e-5
    auto = torch.autograd.functional.jacobian(lambda u: torch.nn.functional.layer_norm(u, (d,), eps=eps), z)
    closed = no.layernorm_jacobian(z, torch.ones(d, dtype=torch.float64), eps)
    assert torch.allclose(auto, closed, atol=1e-12)
    s = math.sqrt(float(z.var(unbiased=False)) + eps)
    assert float(torch.linalg.matrix_norm(closed, 2)) == pytest.approx(1 / s, rel=1e-10)
    assert torch.allclose(torch.ones(d, dtype=torch.float64) @ closed, torch.zeros(d, dtype=torch.float64), atol=1e-12)


def test_zero_branch_pre_norm_stack_is_exactly_identity():
    blocks = no.make_stack("pre", 4, 3, 5, seed=1, branch_scale=0.0)
    x = torch.tensor([0.5, -1.0, 2.0, 0.0], dtype=torch.float64)
    assert torch.equal(no.stack_jacobian(blocks, x), torch.eye(4, dtype=torch.float64))
    post = no.make_stack("post", 4, 3, 5, seed=1, branch_scale=0.0)
    assert not torch.allclose(no.stack_jacobian(post, x), torch.eye(4, dtype=torch.float64))


def test_layernorm_jacobian_refuses_batches():
    with pytest.raises(ValueError, match="one vector"):
        no.layernorm_jacobian(torch.zeros(2, 3), torch.ones(3), 1e-5)


@pytest.mark.parametrize(
    ("cid", "planted"),
    [
        ("normorder.prenorm-jacobian", "missing identity term: J_F J_LN"),
        ("normorder.postnorm-jacobian", "identity path intact: I + J_LN J_F"),
        ("normorder.identity-path", "Post-Norm's stack is I as well"),
        ("normorder.layernorm-jacobian", "without the ẑẑᵀ/d term"),
        ("normorder.postnorm-identity-weight", "always 1 (LN leaves the identity path alone)"),
        ("normorder.postnorm-identity-weight", "J_LN = I/s (a pure rescaling)"),
        ("normorder.postnorm-branch-emphasis", "∏ s_l instead of ∏ 1/s_l"),
        ("normorder.postnorm-branch-emphasis", "no factor: ‖P_0‖₂ ≤ ‖P_m‖₂ always"),
    ],
)
def test_named_planted_formula_is_rejected(cid, planted):
    c = get(cid)
    num = next(n for n in c.numeric if planted in n.planted)
    assert not run_check(c.id, num, override=num.planted[planted], shrink=False).ok
