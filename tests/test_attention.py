"""Attention and softmax specifics: one test per public id, the planted formulas the issue names,
golden SymPy facts, the exp-twin chain rule, the Monte Carlo design, and the seed quotes verbatim."""

from __future__ import annotations

import math

import dlproofs.impl.attention as att
import pytest
import sympy as sp
import torch
from dlproofs.derivations import attention as A
from dlproofs.derivations import softmax as S

from dlproofs.check import verdict_label
from dlproofs.errors import NotNormalizableError
from dlproofs.expsums import to_twins, twin
from dlproofs.montecarlo import binomial_tail, design
from dlproofs.numeric import run_check
from dlproofs.registry import get
from dlproofs.sums import Index, normalize
from tests._topic import checked

IDS = {
    "attention.dot-product-mean": "proved",
    "attention.dot-product-variance": "proved",
    "attention.scaled-variance": "proved",
    "attention.scale-by-dk": "refuted",
    "attention.general-variance": "proved",
    "attention.softmax-saturation": "tested",
    "attention.sdpa": "tested",
    "attention.multi-head": "tested",
    "softmax.jacobian": "proved",
    "softmax.temperature-entropy": "refuted",
}


@pytest.mark.parametrize(("cid", "verdict"), IDS.items())
def test_each_public_id_has_its_verdict(cid, verdict):
    claim = get(cid)
    assert claim.verdict.value == verdict
    assert verdict_label(checked(claim.id)) == verdict


def _planted(cid: str, check_name_part: str, planted: str):
    claim = get(cid)
    check = next(c for c in claim.numeric if check_name_part in c.name)
    return run_check(cid, check, override=check.planted[planted], shrink=False)


# ── the named wrong formulas are rejected ───────────────────────────────────────────────────
@pytest.mark.parametrize("planted", ["Var = 1.1·d_k", "Var = d_k²"])
def test_monte_carlo_rejects_wrong_variances(planted):
    assert not _planted("attention.dot-product-variance", "Monte Carlo", planted).ok


def test_monte_carlo_rejects_the_one_over_dk_scaling():
    assert not _planted("attention.scaled-variance", "Monte Carlo", "the 1/d_k scaling: E[(q·k/d_k)²] = 1").ok


def test_exact_check_rejects_dk_squared():
    assert not _planted("attention.dot-product-variance", "exact", "Var = d_k²").ok


@pytest.mark.parametrize("planted", ["sign flipped: p pᵀ − diag(p)", "diag(p) missing: −p pᵀ"])
def test_jacobian_planted(planted):
    assert not _planted("softmax.jacobian", "autograd", planted).ok


@pytest.mark.parametrize("planted", ["scaled by 1/d_k", "scaled by 1/√d_v", "scaled after the softmax"])
def test_sdpa_planted(planted):
    assert not _planted("attention.sdpa", "scaled_dot_product_attention", planted).ok


def test_temperature_planted_steeper():
    assert not _planted("softmax.temperature-entropy", "dH/dt", "dH/dt = −Var_p(z)/t³ (steeper as t grows)").ok


# ── golden facts ────────────────────────────────────────────────────────────────────────────
def test_variance_is_dk_for_symbolic_dk():
    assert sp.expand(A.VARIANCE.expand(A.VARIANCE.lhs)) == A.d_k


def test_scaled_variance_is_one():
    assert sp.simplify(A.SCALED.expand(A.SCALED.lhs)) == 1


def test_scale_by_dk_gives_one_over_dk():
    assert sp.simplify(A.BY_DK.expand(A.BY_DK.lhs) - 1 / A.d_k) == 0


def test_general_variance_with_means():
    got = sp.expand(A.WITH_MEANS.expand(A.WITH_MEANS.lhs))
    want = sp.expand(A.d_k * (A.sq2 * A.sk2 + A.sq2 * A.mk**2 + A.mq**2 * A.sk2))
    assert got == want


def test_mean_is_zero():
    assert A.MEAN.expand(A.MEAN.lhs) == 0


def test_fourth_moment_kappa_gaussian():
    # Var[S²]/E[S²]² = 2 + (μ4² − 3)/d with μ4 = 3 for Gaussian q, k
    assert math.isclose(A.kappa(16, A._gauss, A._gauss), 2 + 6 / 16)
    assert math.isclose(A.kappa(2, A._rademacher, A._rademacher), 1.0)


def test_softmax_jacobian_symbolic_n():
    d = S.JACOBIAN
    diff = d.expand(d.lhs) - d.expand(d.rhs)
    assert sp.cancel(sp.together(normalize(diff))) == 0


def test_entropy_slope_symbolic_n():
    d = S.ENTROPY_SLOPE
    diff = d.expand(d.lhs) - d.expand(d.steps[1].expr)
    assert sp.cancel(sp.together(normalize(diff))) == 0


def test_seed_setting_entropy_rises_with_scaling():
    w = S._seed_context_witness()
    assert not w.holds  # the seed says H drops ("steeper"); it rises


def test_impl_matches_autograd_jacobian_at_saturation():
    z = torch.tensor([1000.0, 0.0, -5.0], dtype=torch.float64)
    assert torch.equal(att.softmax_jacobian(z), torch.zeros(3, 3, dtype=torch.float64))


# ── exp twins (the engine extension these claims need) ──────────────────────────────────────
z = sp.IndexedBase("z", real=True)
i, j = sp.symbols("i j", integer=True, positive=True)
n = sp.Symbol("n", integer=True, positive=True)
l_ = Index("l", 1, n)  # the entry differentiated by is declared one of the summands
c = sp.Symbol("c", positive=True)


def test_twin_replaces_integer_multiples():
    e = twin(z, sp.S.One)
    assert to_twins(sp.exp(2 * z[i])) == e[i] ** 2


def test_twin_keeps_a_symbolic_rate():
    assert to_twins(sp.exp(z[i] / c)) == twin(z, 1 / c)[i]


def test_chain_rule_through_a_rate():
    # d/dc Σ exp(c z_j) = Σ z_j exp(c z_j)
    lhs = sp.Derivative(sp.Sum(sp.exp(c * z[j]), (j, 1, n)), c)
    rhs = sp.Sum(z[j] * sp.exp(c * z[j]), (j, 1, n))
    assert sp.cancel(normalize(lhs - rhs)) == 0


def test_chain_rule_through_an_entry():
    lhs = sp.Derivative(sp.Sum(sp.exp(z[j]), (j, 1, n)), z[l_])
    assert sp.cancel(normalize(lhs - sp.exp(z[l_]))) == 0


def test_chain_rule_through_an_undeclared_entry_is_refused():
    free = sp.Symbol("l", integer=True, positive=True)  # may lie beyond n: then the derivative is 0
    with pytest.raises(NotNormalizableError, match="cannot prove that l lies in 1..n"):
        normalize(sp.Derivative(sp.Sum(sp.exp(z[j]), (j, 1, n)), z[free]))


def test_refuses_exp_of_a_square():
    with pytest.raises(NotNormalizableError):
        normalize(sp.Sum(sp.exp(z[j] ** 2), (j, 1, n)))


def test_negative_rate_is_its_own_twin():
    lhs = sp.Derivative(sp.Sum(sp.exp(-z[j]), (j, 1, n)), z[l_])
    assert sp.cancel(normalize(lhs + sp.exp(-z[l_]))) == 0


def test_refuses_exp_of_a_sum_of_entries():
    y = sp.IndexedBase("y", real=True)
    with pytest.raises(NotNormalizableError):
        normalize(sp.Sum(sp.exp(z[j] + y[j]), (j, 1, n)))


# ── Monte Carlo design ──────────────────────────────────────────────────────────────────────
def test_design_meets_the_false_alarm_budget():
    d = design(2.375, 0.04, 0.5e-6)
    assert d.blocks % 2 == 1
    assert d.false_alarm <= 0.5e-6
    assert math.isclose(d.p_block, 2.375 / (d.block_size * 0.04**2))


def test_binomial_tail_exact_small_case():
    # P(Bin(3, 1/2) >= 2) = 1/2
    assert math.isclose(binomial_tail(3, 0.5), 0.5)


def test_power_region_excludes_the_named_alternatives():
    rho = A.VAR_MC.rho
    hi = (1 + rho) / (1 - rho)
    assert 1.1 > hi and 2.0 > hi  # 1.1·d_k, and d_k² at d_k = 2
    assert 1 / 2 < (1 - rho) / (1 + rho)  # 1/d_k at d_k = 2


def test_monte_carlo_is_reproducible():
    a = run_check("attention.dot-product-variance", A.VAR_MC)
    b = run_check("attention.dot-product-variance", A.VAR_MC)
    assert a.ok and a.max_error == b.max_error


def test_descriptions_carry_the_design():
    text = A.VAR_MC.describe()
    for word in ("Statistic", "blocks", "Chebyshev", "binomial", "1e-06", "Power"):
        assert word in text


# ── contracts ───────────────────────────────────────────────────────────────────────────────
def test_sdpa_contract_reaches_dv_ne_dk_and_n_ne_m():
    from hypothesis import given, settings

    seen = {"dv": 0, "nm": 0}

    @settings(max_examples=60, database=None, derandomize=True)
    @given(inp=A.sdpa_inputs())
    def draw(inp):
        seen["dv"] += inp["v"].shape[-1] != inp["q"].shape[-1]
        seen["nm"] += inp["q"].shape[-2] != inp["k"].shape[-2]

    draw()
    assert seen["dv"] >= 20 and seen["nm"] >= 20


def test_multi_head_reference_equals_loop():
    inp = {
        "x": torch.randn(2, 3, 6, generator=torch.Generator().manual_seed(0), dtype=torch.float64),
        **{
            w: torch.randn(6, 6, generator=torch.Generator().manual_seed(s), dtype=torch.float64)
            for s, w in enumerate(("w_q", "w_k", "w_v"), 1)
        },
    }
    a = att.multi_head(inp["x"], inp["w_q"], inp["w_k"], inp["w_v"], 3)
    b = att.multi_head_loop(inp["x"], inp["w_q"], inp["w_k"], inp["w_v"], 3)
    torch.testing.assert_close(a, b, rtol=0, atol=1e-12)
