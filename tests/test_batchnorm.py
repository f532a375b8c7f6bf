"""The BatchNorm/LayerNorm slice, named back (issue: foundation): ids, symbolic m, the torch facts,
the planted wrong closed forms, and a failure report that replays."""

from __future__ import annotations

import subprocess
import sys

import dlproofs.derivations.batchnorm as B
import pytest
import sympy as sp
import torch
import torch.nn.functional as F

from dlproofs.claim import Verdict
from dlproofs.numeric import run_check
from dlproofs.registry import get

IDS = ["bn.forward", "bn.normalized-moments", "bn.running-stats", "bn.backward", "bn.scale-invariance", "ln.forward"]


@pytest.mark.parametrize("claim_id", IDS)
def test_each_public_id_is_recorded_proved(claim_id):
    assert get(claim_id).verdict is Verdict.PROVED


@pytest.mark.parametrize("claim_id", IDS)
def test_every_derivation_is_for_a_symbolic_size(claim_id):
    for d in get(claim_id).derivations:
        (size,) = list(d.sizes)[:1]
        assert size.is_Symbol and size.is_integer and size.is_positive, d.name
        assert d.expand(d.lhs).has(sp.Sum) or d.expand(d.rhs).has(sp.Sum), d.name
        assert list(d.sizes[size])[:2] in ([1, 2], [2, 3]), "concrete cross-check starts at the smallest sizes"


@pytest.mark.parametrize(
    "planted", ["unbiased variance (divide by m − 1)", "ε outside the root"], ids=["unbiased", "eps-outside"]
)
def test_planted_wrong_closed_forms_are_rejected(planted):
    check = get("bn.forward").numeric[0]
    result = run_check("bn.forward", check, override=check.planted[planted], shrink=False)
    assert not result.ok
    assert "bn.forward" in result.report and "replay: " in result.report


def test_the_failure_report_replays_its_case():
    check = get("bn.forward").numeric[0]
    result = run_check("bn.forward", check, override=check.planted["ε outside the root"])
    replay_line = result.report.split("replay: ", 1)[1]
    done = subprocess.run(replay_line, shell=True, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "holds" in done.stdout  # the reference itself holds on the shrunk case


def test_torch_refuses_one_value_per_channel_in_training():
    with pytest.raises(ValueError):
        F.batch_norm(torch.ones(1, 3, dtype=torch.float64), None, None, training=True)
    F.batch_norm(torch.ones(1, 3, 2, 2, dtype=torch.float64), None, None, training=True)  # m = N·H·W = 4


def test_normalization_is_biased_running_variance_unbiased():
    x = torch.tensor([[0.0], [2.0]], dtype=torch.float64)
    mod = torch.nn.BatchNorm1d(1, momentum=1.0, dtype=torch.float64).train()
    y = mod(x)
    assert torch.allclose(y.flatten(), torch.tensor([-1.0, 1.0], dtype=torch.float64), atol=1e-4)  # σ² = 1
    assert mod.running_var.item() == 2.0  # m/(m − 1)·σ² = 2


def test_the_strategy_reaches_the_edges():
    from hypothesis import find

    find(B.bn_inputs(), lambda c: c["x"].dim() == 4)
    find(B.bn_inputs(), lambda c: c["x"].shape[0] == 2)
    find(B.bn_inputs(), lambda c: bool((c["x"] == 0).any()))
    find(B.bn_inputs(), lambda c: c["eps"] == 1e-12)
    find(B.bn_inputs(), lambda c: c["eps"] == 1e-1)
    find(B.bn_inputs(), lambda c: float(c["x"].abs().min()) >= 999)  # a large common offset
    find(B.bn_inputs(), lambda c: bool((c["x"].amax(0) == c["x"].amin(0)).any()) and c["x"].shape[0] > 1)
    # the contract's narrowing keeps [N, C]; the backward claim's adds grad_out last
    find(B.bn_inputs(spatial=False), lambda c: list(c) == ["x", "gamma", "beta", "eps"] and c["x"].dim() == 2)
    find(B.bn_inputs(grad=True), lambda c: list(c)[-1] == "grad_out" and c["grad_out"].shape == c["x"].shape)


def test_sympy_heaviside_convention_is_not_torchs():
    x = sp.Symbol("x", real=True)
    assert sp.diff(sp.Max(0, x), x).subs(x, 0) == sp.Rational(1, 2)
    assert sp.Heaviside(0, 0) == 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__]))
