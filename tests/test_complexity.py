"""Complexity topic: the FlopCounterMode traps, golden closed forms, one test per public id."""

from __future__ import annotations

import dlproofs.impl.complexity as cx
import pytest
import sympy as sp
import torch
import torch.nn.functional as F
from dlproofs.derivations import complexity as C
from dlproofs.derivations import heads as H
from dlproofs.derivations import selfattn as SA
from dlproofs.derivations import tying as T

from dlproofs.check import verdict_label
from tests._topic import checked

MINE = [c for mod in (C, H, SA, T) for c in mod.CLAIMS]
n, d, h, d_ff = C.n, C.d, C.h, C.d_ff


# ── the traps ─────────────────────────────────────────────────────────────────────────────
def test_flop_counter_counts_zero_for_cpu_sdpa_unless_math_is_forced():
    q = torch.randn(2, 3, 5, 4, dtype=torch.float64)
    assert cx.matmul_flops(lambda: F.scaled_dot_product_attention(q, q, q)) == 0
    with cx.math_sdpa():
        assert cx.matmul_flops(lambda: F.scaled_dot_product_attention(q, q, q)) == 4 * 2 * 3 * 5**2 * 4


def test_encoder_layer_unforced_count_misses_exactly_the_attention_matrix_products():
    B, n_, d_, h_, ff = 2, 7, 12, 3, 20
    x = torch.randn(B, n_, d_, dtype=torch.float64)
    layer = torch.nn.TransformerEncoderLayer(d_, h_, ff, dropout=0.0, batch_first=True, dtype=torch.float64)
    unforced = cx.matmul_flops(lambda: layer(x))
    with cx.math_sdpa():
        forced = cx.matmul_flops(lambda: layer(x))
    assert forced == B * (8 * n_ * d_**2 + 4 * n_**2 * d_ + 4 * n_ * d_ * ff)
    assert forced - unforced == 4 * B * n_**2 * d_


def test_matrix_vector_products_are_not_counted():
    a, v = torch.randn(4, 5), torch.randn(5)
    assert cx.matmul_flops(lambda: a @ v) == 0
    assert cx.matmul_flops(lambda: a @ v[:, None]) == 2 * 4 * 5


def test_softmax_and_elementwise_ops_count_zero_flops_but_n2_exps():
    s = torch.randn(3, 6, 6, dtype=torch.float64)
    assert cx.matmul_flops(lambda: torch.softmax(s, -1)) == 0
    assert cx.element_ops(lambda: cx.softmax_manual(s))["aten.exp"] == 3 * 36
    assert torch.allclose(cx.softmax_manual(s), torch.softmax(s, -1), atol=1e-15)


# ── golden SymPy facts ────────────────────────────────────────────────────────────────────
def test_golden_closed_forms():
    assert C.TOTAL_D.rhs == 8 * n * d**2 + 4 * n**2 * d
    assert sp.expand(C.LAYER4_D.rhs - (24 * n * d**2 + 4 * n**2 * d)) == 0
    assert sp.simplify(C.SHARE_D.rhs.subs(n, 6 * d)) == sp.Rational(1, 2)
    assert sp.limit(C.SHARE_D.rhs, n, sp.oo) == 1
    assert sp.expand(C.CROSSOVER.lhs - 4 * n * d * (n - 2 * d)) == 0
    assert sp.limit(C.RATIO_D.rhs, n, sp.oo) == 2 and C.RATIO_D.rhs.subs(n, 0) == 1
    assert C.WLIN_D.rhs.subs(n, d) == d


def test_score_matrix_memory_at_10k_tokens():
    assert cx.bytes_of((10_000, 10_000)) == 400_000_000  # 400 MB per head and sequence in float32


def test_linear_attention_associativity_holds_only_without_softmax():
    g = torch.Generator().manual_seed(3)
    q, k, v = (torch.randn(9, 4, generator=g, dtype=torch.float64) for _ in range(3))
    assert torch.allclose(cx.attention_no_softmax_left(q, k, v), cx.attention_no_softmax_right(q, k, v))
    assert not torch.allclose(torch.softmax(q @ k.T, -1) @ v, cx.attention_no_softmax_right(q, k, v))


def test_additive_attention_materializes_n_by_n_by_da():
    q, w, v = torch.randn(5, 3), torch.randn(7, 3), torch.randn(7)
    shapes = [s for _, s in cx.materialized(lambda: cx.additive_scores(q, q, w, w, v))]
    assert (5, 5, 7) in shapes


# ── one test per public id ────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("claim", MINE, ids=lambda c: c.id)
def test_recorded_verdict_is_computed(claim):
    result = checked(claim.id)
    assert result.holds, f"{claim.id}: {verdict_label(result)} {result.problem}"


def test_refuted_and_conditional_records_carry_their_counterexample_and_hypothesis():
    for claim in MINE:
        if claim.verdict.value in ("refuted", "conditional"):
            assert claim.counterexamples, claim.id
        if claim.verdict.value == "conditional":
            assert claim.hypothesis, claim.id
