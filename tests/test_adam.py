"""Topic tests for derivations/adam.py: bias correction, first step, the tight bound, Kingma's bound, warmup."""

from __future__ import annotations

import dlproofs.derivations.adam as A
import dlproofs.impl.adam as adm
import pytest
import torch

from dlproofs.numeric import run_check
from tests._topic import assert_holds


@pytest.mark.parametrize("claim", A.CLAIMS, ids=lambda c: c.id)
def test_each_id_holds(claim):
    assert_holds(claim)


def test_ids():
    public = [
        "adam.bias-correction", "adam.first-step", "adam.step-bound", "adam.kingma-bound",
        "adam.explosion-risk", "warmup.linear", "warmup.explosion",
    ]  # fmt: skip
    ids = [c.id for c in A.CLAIMS]
    assert [
        i for i in ids if i in public
    ] == public  # the public ids stay (a published link must keep working); later issues may add claims


def test_golden_bounds():
    assert adm.tight_ratio(1, 0.9, 0.999) == pytest.approx(1.0, rel=1e-15)
    assert adm.kingma_bound(1.0, 0.9, 0.999) == pytest.approx(3.1622776601683795)
    assert adm.tight_ratio(300, 0.9, 0.999) > adm.kingma_bound(1.0, 0.9, 0.999)


def test_constant_gradient_is_recovered_by_bias_correction():
    g = torch.full((7, 2), 0.3, dtype=torch.float64)
    steps = adm.adam_updates(g, 1.0, 0.9, 0.999, 0.0)
    assert torch.allclose(steps, torch.full_like(steps, -1.0), rtol=1e-14, atol=0)


@pytest.mark.parametrize("name", list(A.BOUND.numeric[0].planted))
def test_step_bound_planted(name):
    chk = A.BOUND.numeric[0]
    assert not run_check("adam.step-bound", chk, override=chk.planted[name], shrink=False).ok


def test_first_step_is_lr_whatever_the_gradient():
    for g in (1e-3, 1.0, 1e6):
        p = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
        opt = torch.optim.Adam([p], lr=0.1, eps=1e-300)
        p.grad = torch.tensor([g], dtype=torch.float64)
        opt.step()
        assert float(p.detach()) == pytest.approx(-0.1, rel=1e-15)
