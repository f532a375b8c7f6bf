"""Topic tests for derivations/convattn.py."""

from __future__ import annotations

import dlproofs.derivations.convattn as C
import dlproofs.impl.convattn as cv
import pytest
import torch
import torch.nn.functional as F

from tests._topic import assert_holds


@pytest.mark.parametrize("claim", C.CLAIMS, ids=lambda c: c.id)
def test_each_id_holds(claim):
    assert_holds(claim)


def test_ids():
    public = [
        "conv.receptive-field", "conv.attention-dense", "conv.translation-equivariance", "conv.weight-sharing-params"
    ]  # fmt: skip
    ids = [c.id for c in C.CLAIMS]
    assert [
        i for i in ids if i in public
    ] == public  # the public ids stay (a published link must keep working); later issues may add claims


def test_receptive_field_golden():
    assert [cv.receptive_field(L, 3) for L in (1, 2, 3)] == [3, 5, 7]
    assert cv.receptive_field(4, 5) == 17


def test_impl_conv_matches_torch():
    x = torch.randn(9, dtype=torch.float64)
    w = torch.randn(5, dtype=torch.float64)
    assert torch.allclose(cv.conv1d_same(x, w), F.conv1d(x[None, None], w[None, None], padding=2)[0, 0])
    circ = F.conv1d(F.pad(x[None, None], (2, 2), mode="circular"), w[None, None])[0, 0]
    assert torch.allclose(cv.circular_conv(x, w), circ)


def test_zero_padding_breaks_equivariance_at_the_border():
    x = torch.tensor([1.0, 0.0, 0.0, 0.0], dtype=torch.float64)
    w = torch.tensor([1.0, 1.0, 1.0], dtype=torch.float64)
    conv = lambda t: F.conv1d(t[None, None], w[None, None], padding=1)[0, 0]  # noqa: E731
    assert not torch.equal(conv(torch.roll(x, 1)), torch.roll(conv(x), 1))
