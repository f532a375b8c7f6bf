"""Dropout specifics: one test per public id, the planted formulas the issue names, golden facts,
impl vs F.dropout, the fixed-seed draws restoring the global RNG, and quotes on their lines."""

from __future__ import annotations

import dlproofs.impl.dropout as dr
import pytest
import sympy as sp
import torch
import torch.nn.functional as F
from dlproofs.derivations import dropout as D

from dlproofs.check import verdict_label
from dlproofs.numeric import run_check
from dlproofs.registry import get
from tests._topic import checked

IDS = {
    "dropout.drop-probability": "tested",
    "dropout.ensemble-average": "conditional",
    "dropout.co-adaptation": "not formalizable",
    "dropout.inverted-mean": "proved",
    "dropout.inverted-variance": "proved",
    "dropout.eval-identity": "proved",
    "dropout.mixed-conventions": "refuted",
    "dropout.classic-eval-scale": "proved",
}


@pytest.mark.parametrize(("cid", "verdict"), IDS.items())
def test_each_public_id_has_its_verdict(cid, verdict):
    assert verdict_label(checked(cid)) == verdict


def test_every_public_id_of_the_module_is_kept():
    # a published link must keep working; claims added later (issue 11's assertions) are allowed
    assert set(IDS) <= {c.id for c in D.CLAIMS}


def test_golden_moments():
    p, x = sp.symbols("p x", positive=True)
    mean = (1 - p) * x / (1 - p)
    second = (1 - p) * x**2 / (1 - p) ** 2
    assert sp.simplify(mean - x) == 0
    assert sp.simplify(second - mean**2 - x**2 * p / (1 - p)) == 0


def test_variance_statistic_is_degenerate_at_one_half():
    # (y − 1)² = 1 for both outcomes at p = 1/2: κ = 0, which is why that p is not a population
    assert D._kappa_var(0.5) == 0
    assert D._kappa_var(0.2) > 0


def test_impl_matches_f_dropout_bit_for_bit_on_kept_entries():
    x = torch.linspace(-3, 3, 101, dtype=torch.float64)
    y = dr.torch_dropout_draws(x, 0.3, 5)
    kept = y != 0
    mask = kept.to(torch.float64)
    assert torch.equal(dr.inverted_train(x, mask, 0.3)[kept], y[kept])


def test_fixed_seed_draws_do_not_touch_the_global_rng():
    torch.manual_seed(123)
    before = torch.get_rng_state()
    dr.torch_dropout_draws(torch.ones(10, dtype=torch.float64), 0.5, 9)
    assert torch.equal(torch.get_rng_state(), before)


def test_eval_is_identity_in_torch_and_classic_scales():
    x = torch.tensor([0.0, -2.0, 5.0], dtype=torch.float64)
    assert torch.equal(F.dropout(x, 0.4, training=False), x)
    assert torch.equal(dr.classic_eval(x, 0.4), 0.6 * x)


def test_invalid_p_is_refused():
    with pytest.raises(ValueError, match="dropout probability"):
        dr.keep_mask((3,), 1.0, torch.Generator())


@pytest.mark.parametrize(
    ("cid", "check", "planted"),
    [
        ("dropout.inverted-mean", 1, "classic (no rescaling): E = (1 − p)x"),
        ("dropout.inverted-mean", 0, "classic: kept entries are x"),
        ("dropout.inverted-variance", 0, "mask variance without the rescaling: x² p(1 − p)"),
        ("dropout.eval-identity", 0, "the seed's (1 − p)x at inference"),
        ("dropout.drop-probability", 0, "p is the keep probability: P(y = 0) = 1 − p"),
    ],
)
def test_named_planted_formula_is_rejected(cid, check, planted):
    c = get(cid)
    num = next(n for n in c.numeric if planted in n.planted)  # `check` was its index before issue 13 added checks
    assert not run_check(c.id, num, override=num.planted[planted], shrink=False).ok


def test_ensemble_counterexample_value():
    assert sp.Rational(1, 2) * max(0, 2 - sp.Rational(3, 2)) + sp.Rational(1, 2) * 0 == sp.Rational(1, 4)
