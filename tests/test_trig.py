"""The trig tier's normal form (dlproofs/trig.py): true identities reduce to 0 without a time
limit, false ones never do, and what it does not know it refuses (None)."""

from __future__ import annotations

import pytest
import sympy as sp

from dlproofs.trig import trig_normal

x, y, t, m, n, w = sp.symbols("x y theta m n omega", real=True)
q1, q2, k1, k2 = sp.symbols("q_1 q_2 k_1 k_2", real=True)
S, C = sp.sin, sp.cos

TRUE = [
    S(x) ** 2 + C(x) ** 2 - 1,
    S(x + y) - (S(x) * C(y) + C(x) * S(y)),
    C(x + y) - (C(x) * C(y) - S(x) * S(y)),
    S(2 * x) - 2 * S(x) * C(x),
    C(2 * x) - (1 - 2 * S(x) ** 2),
    S(w * (m + n)) - (S(w * m) * C(w * n) + C(w * m) * S(w * n)),
    (S(x) ** 2 + C(x) ** 2) ** 3 - 1,
    S(-x) * C(x) + S(x) * C(-x) + 2 * S(x) * C(x) - S(2 * x),
    # RoPE: <R_m q, R_n k> depends on n - m only
    (k1 * S(n * t) + k2 * C(n * t)) * (q1 * S(m * t) + q2 * C(m * t))
    + (k1 * C(n * t) - k2 * S(n * t)) * (q1 * C(m * t) - q2 * S(m * t))
    - ((k1 * q1 + k2 * q2) * C(t * (n - m)) + (k1 * q2 - k2 * q1) * S(t * (n - m))),
    S(x) / (1 + C(x) ** 2) - S(x) / (2 - S(x) ** 2),
]

FALSE = [
    S(x) ** 2 + C(x) ** 2 - 1 - sp.Rational(1, 10**30),
    S(x + y) - (S(x) * C(y) - C(x) * S(y)),
    C(x + y) - (C(x) * C(y) + S(x) * S(y)),
    S(2 * x) - 2 * S(x),
    C(2 * x) - (1 - S(x) ** 2),
    S(x) - C(x),
    S(x) ** 2 - C(x) ** 2,
    S(x) * C(y) - S(y) * C(x),
    (k1 * S(n * t) + k2 * C(n * t)) * (q1 * S(m * t) + q2 * C(m * t))
    + (k1 * C(n * t) - k2 * S(n * t)) * (q1 * C(m * t) - q2 * S(m * t))
    - ((k1 * q1 + k2 * q2) * C(t * (n + m)) + (k1 * q2 - k2 * q1) * S(t * (n + m))),
    S(x) ** 4 + C(x) ** 4 - 1,
]


@pytest.mark.parametrize("expr", TRUE, ids=[str(i) for i in range(len(TRUE))])
def test_true_identities_reduce_to_zero(expr):
    assert trig_normal(expr) == 0


@pytest.mark.parametrize("expr", FALSE, ids=[str(i) for i in range(len(FALSE))])
def test_false_identities_never_reduce_to_zero(expr):
    assert trig_normal(expr) != 0


@pytest.mark.parametrize("expr", [sp.tan(x) - S(x) / C(x), sp.sinh(x), x**2 - 1, S(x) - sp.Float(0.5), sp.atan(x) - x])
def test_what_it_does_not_know_it_refuses(expr):
    assert trig_normal(expr) is None
