"""Vanishing-gradient specifics: one test per public id, the planted formulas, the direction of the
seed's decay ratio on a fixed stack, and quotes on their lines."""

from __future__ import annotations

import dlproofs.impl.vanishing as van
import pytest
import torch
from dlproofs.derivations import vanishing as D

from dlproofs.check import verdict_label
from dlproofs.numeric import run_check
from dlproofs.registry import get
from tests._topic import checked

IDS = {
    "vanishing.chain-product": "proved",
    "vanishing.monitoring-heuristics": "not formalizable",
    "vanishing.layer-ratios": "tested",
    "vanishing.ratio-direction": "conditional",
}


@pytest.mark.parametrize(("cid", "verdict"), IDS.items())
def test_each_public_id_has_its_verdict(cid, verdict):
    assert verdict_label(checked(cid)) == verdict


def test_every_public_id_of_the_module_is_kept():
    # a published link must keep working; claims added later (issue 11's assertions) are allowed
    assert set(IDS) <= {c.id for c in D.CLAIMS}


def test_sigmoid_ratio_grows_with_input_first_numbering():
    w = van.draw_weights("sigmoid", 16, 8, 3)
    gen = torch.Generator().manual_seed(4)
    x = torch.randn(16, generator=gen, dtype=torch.float64)
    up = torch.randn(16, generator=gen, dtype=torch.float64)
    _, grads = van.layer_gradients("sigmoid", w, x, up)
    ratios = [float(grads[k].norm() / grads[0].norm()) for k in range(1, 9)]
    assert all(b > a for a, b in zip(ratios, ratios[1:]))
    assert all(
        r <= 0.25 * float(torch.linalg.matrix_norm(wl, 2)) + 1e-12 for r, (wl, _) in zip(van.layer_ratios(grads), w)
    )


def test_residual_ratios_stay_near_one():
    w = van.draw_weights("residual", 16, 10, 0, gain=0.1)
    x = torch.ones(16, dtype=torch.float64)
    _, grads = van.layer_gradients("residual", w, x, torch.ones(16, dtype=torch.float64))
    assert all(0.8 < r < 1.25 for r in van.layer_ratios(grads))


def test_measured_table_is_in_the_notes():
    assert "Measured (not proved)" in D.LAYER_RATIOS.notes[0]


@pytest.mark.parametrize(
    ("cid", "planted"),
    [
        ("vanishing.chain-product", "the φ' factors left out: g_L ∏ W_l"),
        ("vanishing.layer-ratios", "residual ratio ≥ 1 (the skip never lets it shrink)"),
        ("vanishing.layer-ratios", "sigmoid ratio ≤ ‖W‖₂/8"),
    ],
)
def test_named_planted_formula_is_rejected(cid, planted):
    c = get(cid)
    num = c.numeric[0]
    assert not run_check(c.id, num, override=num.planted[planted], shrink=False).ok
