"""Topic tests for derivations/positional.py: one per public id, plus the engine pieces it relies on."""

from __future__ import annotations

import math

import dlproofs.derivations.positional as P
import dlproofs.impl.positional as pos
import pytest
import sympy as sp
import torch
from sympy import MatrixSymbol, symbols

from dlproofs.check import check_derivation
from dlproofs.matrices import check_sizes, explicit
from dlproofs.numeric import run_check
from dlproofs.perm import Perm, RowSoftmax
from tests._topic import checked


def _holds(claim):
    r = checked(claim.id)
    assert r.holds, r.problem


@pytest.mark.parametrize("claim", P.CLAIMS, ids=lambda c: c.id)
def test_each_id_holds(claim):
    _holds(claim)


def test_ids_are_the_public_ones():
    public = [
        "pe.permutation-equivariance", "pe.no-position-indistinguishable", "pe.sinusoidal-rotation",
        "pe.sinusoidal-dot-product", "pe.sinusoidal-attention-relative", "pe.sinusoidal-any-length",
        "pe.sinusoidal-no-extrapolation", "pe.learned-fixed-length", "rope.relative", "rope.norm", "alibi.bias",
        "alibi.slopes", "pi.interpolation", "ntk.base", "ntk.empirical", "alibi.empirical", "pe.relative-empirical",
    ]  # fmt: skip
    ids = [c.id for c in P.CLAIMS]
    assert [
        i for i in ids if i in public
    ] == public  # the public ids stay (a published link must keep working); later issues may add claims


def test_perm_is_a_permutation_at_concrete_sizes():
    n = symbols("n", integer=True, positive=True)
    p = explicit(Perm("P", n, n).subs(n, 4))
    assert sorted(p * sp.ones(4, 1)) == [1, 1, 1, 1] and p.T * p == sp.eye(4)


def test_softmax_rule_is_checked_entrywise_and_a_wrong_rule_fails():
    n = symbols("n", integer=True, positive=True)
    p, m = Perm("P", n, n), MatrixSymbol("M", n, n)
    ok = check_sizes(RowSoftmax(p * m * p.T), p * RowSoftmax(m) * p.T, {n: (1, 2, 3)})
    assert ok == ((1, 2, 3), None)
    wrong = check_sizes(RowSoftmax(p * m * p.T), RowSoftmax(m), {n: (2, 3)})
    assert wrong[1] == 2


def test_invariance_instead_of_equivariance_is_refuted():
    d = P.PERM_DERIV
    from dataclasses import replace

    from dlproofs.claim import Step

    bad = replace(d, steps=(Step(P._attn(P.X), "wrong", "invariance"),))
    assert not check_derivation(bad).ok


@pytest.mark.parametrize("name", list(P.PERM_CHECK.planted))
def test_permutation_planted(name):
    assert not run_check("pe.permutation-equivariance", P.PERM_CHECK, override=P.PERM_CHECK.planted[name]).ok


def test_rope_matches_complex_reference_and_preserves_norm():
    x = torch.randn(5, 8, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    at = torch.tensor([0.0, 1.0, 7.0, 100.0, 4096.0])
    a, b = pos.rope_rotate(x, at), pos.rope_rotate_complex(x, at)
    assert torch.allclose(a, b, rtol=0, atol=1e-12)
    assert torch.allclose(a.norm(dim=1), x.norm(dim=1), rtol=1e-14, atol=0)


def test_alibi_slopes_power_of_two_and_h6_differs():
    assert pos.alibi_slopes(8).tolist() == [2.0**-i for i in range(1, 9)]
    assert not torch.allclose(pos.alibi_slopes(6), torch.tensor(pos.alibi_slopes_reference(6), dtype=torch.float64))


def test_ntk_keeps_highest_and_divides_lowest():
    d, alpha = 128, 8.0
    th, th2 = pos.rope_frequencies(d), pos.rope_frequencies(d, pos.ntk_base(10000.0, alpha, d))
    assert th2[0] == th[0] == 1.0
    assert math.isclose(float(th2[-1]), float(th[-1]) / alpha, rel_tol=1e-12)


def test_pi_maps_into_trained_range():
    m = torch.arange(0, 4097, dtype=torch.float64)
    assert float(pos.interpolate_positions(m, 2048, 4096).max()) == 2048.0


def test_sinusoidal_far_positions_finite_and_learned_table_raises():
    pe = pos.sinusoidal_pe(2, 16, start=10**7)
    assert torch.isfinite(pe).all()
    assert torch.allclose(pe.norm(dim=1), torch.full((2,), math.sqrt(8.0), dtype=torch.float64))
    with pytest.raises(IndexError):
        torch.nn.Embedding(512, 4)(torch.tensor([512]))
