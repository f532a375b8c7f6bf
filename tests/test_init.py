"""Initialization specifics: one test per public id, the planted formulas the issue names, golden
SymPy facts (Xavier's harmonic mean, ReLU's second moment), impl vs nn.init, and quotes on their lines."""

from __future__ import annotations

import math
import re

import dlproofs.impl.init as ini
import pytest
import sympy as sp
import torch
from dlproofs.derivations import init as D

from dlproofs.check import verdict_label
from dlproofs.montecarlo import design
from dlproofs.numeric import run_check
from dlproofs.registry import get
from tests._topic import checked

IDS = {
    "init.deep-stack": "conditional",
    "init.xavier-activation": "conditional",
    "init.xavier-uniform": "proved",
    "init.xavier-normal": "proved",
    "init.xavier-both-directions": "conditional",
    "init.forward-variance": "proved",
    "init.backward-variance": "proved",
    "init.relu-variance-halves": "refuted",
    "init.relu-second-moment": "proved",
    "init.kaiming": "proved",
    "init.kaiming-vs-xavier-accuracy": "not formalizable",
}


@pytest.mark.parametrize(("cid", "verdict"), IDS.items())
def test_each_public_id_has_its_verdict(cid, verdict):
    assert verdict_label(checked(cid)) == verdict


def test_every_public_id_of_the_module_is_kept():
    # a published link must keep working; claims added later (issue 11's assertions) are allowed
    assert set(IDS) <= {c.id for c in D.CLAIMS}


def _quote_head(quote: str) -> str:
    return re.findall(r"[\u4e00-\u9fff]+", quote)[0][:6]


# golden SymPy facts
def test_xavier_variance_is_the_harmonic_mean():
    a, b = sp.symbols("a b", positive=True)
    assert sp.simplify(2 / (1 / a + 1 / b) - 2 * a * b / (a + b)) == 0
    assert sp.simplify(D.HARMONIC.rhs - 2 / (D.n_in + D.n_out)) == 0


def test_uniform_variance_is_a_squared_over_three():
    a = sp.Symbol("a", positive=True)
    t = sp.Symbol("t", real=True)
    assert sp.integrate(t**2 / (2 * a), (t, -a, a)) == a**2 / 3


def test_relu_second_moment_vs_variance_for_the_gaussian():
    z = sp.Symbol("z", real=True)
    phi = sp.exp(-(z**2) / 2) / sp.sqrt(2 * sp.pi)
    m2 = sp.integrate(z**2 * phi, (z, 0, sp.oo))
    m1 = sp.integrate(z * phi, (z, 0, sp.oo))
    assert m2 == sp.Rational(1, 2)
    assert sp.simplify(m2 - m1**2 - (sp.Rational(1, 2) - 1 / (2 * sp.pi))) == 0


def test_xavier_gains_at_unequal_fans():
    assert 1000 * 2 / 1100 == pytest.approx(20 / 11)
    assert 100 * 2 / 1100 == pytest.approx(2 / 11)


# impl vs nn.init
@pytest.mark.parametrize(("fi", "fo"), [(3, 5), (64, 64), (300, 7)])
def test_impl_bounds_match_nn_init(fi, fo):
    gen = torch.Generator().manual_seed(0)
    w = torch.empty(fo, fi, dtype=torch.float64)
    torch.nn.init.xavier_uniform_(w, generator=gen)
    assert float(w.abs().max()) <= ini.xavier_uniform_bound(fi, fo)
    assert ini.xavier_std(fi, fo) ** 2 == pytest.approx(2 / (fi + fo))
    assert ini.kaiming_std(fi) ** 2 == pytest.approx(2 / fi)
    assert ini.kaiming_uniform_bound(fi) ** 2 / 3 == pytest.approx(2 / fi)


def test_manual_xavier_uniform_is_the_same_draw_as_nn_init():
    w = torch.empty(4, 6, dtype=torch.float64)
    torch.nn.init.xavier_uniform_(w, generator=torch.Generator().manual_seed(3))
    assert torch.allclose(ini.xavier_uniform(4, 6, torch.Generator().manual_seed(3)), w, rtol=0, atol=1e-15)


def test_impl_refuses_bad_fans():
    with pytest.raises(ValueError, match="positive integers"):
        ini.xavier_std(0, 3)
    with pytest.raises(ValueError, match="unknown init"):
        ini.relu_stack_ratios(2, 3, 1, "he", torch.Generator())


# the planted formulas the issue names
@pytest.mark.parametrize(
    ("cid", "check", "planted"),
    [
        ("init.relu-second-moment", 0, "ReLU keeps the second moment: σ²"),
        ("init.relu-second-moment", 0, "the variance (1/2 − 1/(2π))σ² mistaken for the second moment"),
        ("init.kaiming", 0, "no ReLU factor: 1/n_in"),
        ("init.xavier-normal", 0, "N(μ, σ²) reading: variance √(2/(n_in + n_out))"),
        ("init.deep-stack", 0, "ReLU halves the signal at every layer even with Kaiming: 2^{−L}"),
        ("init.deep-stack", 1, "Xavier preserves the mean square through tanh: E[X_10] ≥ 0.9"),
    ],
)
def test_named_planted_formula_is_rejected(cid, check, planted):
    c = get(cid)
    num = c.numeric[check]
    assert not run_check(c.id, num, override=num.planted[planted]).ok


def test_monte_carlo_designs_meet_the_false_alarm_budget():
    for c in D.CLAIMS:
        for num in c.numeric:
            if hasattr(num, "designs"):
                for _, des in num.designs("ci"):
                    assert des.false_alarm <= num.alpha


def test_relu_stack_kappa_matches_a_direct_computation():
    # E[(vT)²] = (4/n²)(5n/4 + n²/4) = 1 + 5/n for v = 2/n
    n = 32
    assert (4 / n**2) * (5 * n / 4 + n**2 / 4) == pytest.approx(1 + 5 / n)
    assert design((1 + 5 / n) ** 4 - 1, 0.2, 1e-6).draws < 5000


def test_tanh_bound_value():
    assert D.TANH_BOUND == pytest.approx(0.394294, abs=1e-5)
    assert math.isfinite(D.TANH_BOUND)
