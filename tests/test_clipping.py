"""Topic tests for derivations/clipping.py: torch's eps, the missing lower bound, SGD vs Adam."""

from __future__ import annotations

import dlproofs.derivations.clipping as K
import dlproofs.impl.clipping as clp
import pytest
import torch

from dlproofs.numeric import run_check
from tests._topic import assert_holds


@pytest.mark.parametrize("claim", K.CLAIMS, ids=lambda c: c.id)
def test_each_id_holds(claim):
    assert_holds(claim)


def test_ids():
    public = ["clip.grad-norm", "clip.no-lower-bound", "clip.sgd-update-bound"]
    # the public ids stay (a published link must keep working); later issues may add claims
    assert [c.id for c in K.CLAIMS if c.id in public] == public


@pytest.mark.parametrize("name", list(K.CLIP.numeric[0].planted))
def test_clip_planted(name):
    chk = K.CLIP.numeric[0]
    assert not run_check("clip.grad-norm", chk, override=chk.planted[name], shrink=False).ok


def test_torch_adds_1e_minus_6():
    p = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    p.grad = torch.tensor([2e-3], dtype=torch.float64)
    torch.nn.utils.clip_grad_norm_([p], 1e-3)
    assert float(p.grad) == 2e-3 * 1e-3 / (2e-3 + 1e-6)
    assert float(p.grad) != 1e-3
    got, total = clp.clip_grad_norm([torch.tensor([2e-3], dtype=torch.float64)], 1e-3)
    assert float(got[0]) == float(p.grad) and float(total) == 2e-3


def test_zero_gradient_stays_zero():
    p = torch.nn.Parameter(torch.zeros(3, dtype=torch.float64))
    p.grad = torch.zeros(3, dtype=torch.float64)
    torch.nn.utils.clip_grad_norm_([p], 1.0)
    assert torch.equal(p.grad, torch.zeros(3, dtype=torch.float64))
