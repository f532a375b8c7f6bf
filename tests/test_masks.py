"""Topic tests for derivations/masks.py: each id, exact zeros, the planted masks, golden SymPy facts."""

from __future__ import annotations

import math

import dlproofs.derivations.masks as M
import dlproofs.impl.masks as msk
import pytest
import sympy as sp
import torch
import torch.nn.functional as F

from dlproofs.numeric import run_check
from tests._topic import assert_holds


@pytest.mark.parametrize("claim", M.CLAIMS, ids=lambda c: c.id)
def test_each_id_holds(claim):
    assert_holds(claim)


def test_ids():
    assert [c.id for c in M.CLAIMS] == ["mask.causal-jacobian", "mask.causal-triangle", "mask.padding"]


def test_exp_minus_infinity_is_zero():
    s = sp.Symbol("s", real=True)
    assert sp.exp(s + sp.S.NegativeInfinity) == 0


def test_causal_mask_is_strict_upper_triangle_and_matches_torch():
    m = msk.causal_additive_mask(5)
    assert torch.equal(torch.isinf(m), torch.ones(5, 5, dtype=torch.bool).triu(1))
    assert torch.equal(m, torch.nn.Transformer.generate_square_subsequent_mask(5, dtype=torch.float64))


def test_future_jacobian_blocks_are_exact_zeros():
    gen = torch.Generator().manual_seed(3)
    x = torch.randn(6, 3, generator=gen, dtype=torch.float64)
    w = [torch.randn(3, 3, generator=gen, dtype=torch.float64) for _ in range(3)]
    jac = torch.autograd.functional.jacobian(lambda t: msk.masked_self_attention(t, *w, msk.causal_additive_mask(6)), x)
    future = torch.ones(6, 6, dtype=torch.bool).triu(1)
    assert (jac.permute(0, 2, 1, 3)[future] == 0).all()
    assert jac.permute(0, 2, 1, 3)[~future].abs().sum() > 0


@pytest.mark.parametrize("name", list(M.CAUSAL_JACOBIAN.numeric[0].planted))
def test_causal_jacobian_planted(name):
    chk = M.CAUSAL_JACOBIAN.numeric[0]
    assert not run_check("mask.causal-jacobian", chk, override=chk.planted[name], shrink=False).ok


def test_masking_the_diagonal_leaves_the_first_row_without_keys():
    q = torch.randn(1, 3, 2, dtype=torch.float64)
    mask = torch.zeros(3, 3, dtype=torch.float64).masked_fill(torch.ones(3, 3, dtype=torch.bool).triu(0), -math.inf)
    assert torch.isnan(torch.softmax(mask, dim=-1)[0]).all()  # plain softmax: NaN
    out = F.scaled_dot_product_attention(q, q, q, attn_mask=mask)
    assert torch.equal(out[0, 0], torch.zeros(2, dtype=torch.float64))  # sdpa (torch 2.13 CPU): "safe" 0


def test_padding_content_does_not_move_real_outputs():
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(4, 2, generator=gen, dtype=torch.float64)
    w = [torch.randn(2, 2, generator=gen, dtype=torch.float64) for _ in range(3)]
    valid = torch.tensor([True, True, False, False])
    y = x.clone()
    y[2:] = 1e3
    a = msk.masked_self_attention(x, *w, msk.padding_additive_mask(valid))
    b = msk.masked_self_attention(y, *w, msk.padding_additive_mask(valid))
    assert torch.equal(a[:2], b[:2])
