"""Permutation matrices and the row-wise softmax for the matrix tier (dlproofs/matrices.py).

Why: "self-attention without positions is permutation-equivariant", Attn(PX) = P·Attn(X), is a
statement about every sequence length n. The matrix tier decides MatAdd/MatMul identities of
MatrixSymbols of symbolic size; this module adds the two objects that statement needs, with
their rules stated once and cross-checked at concrete sizes:

- :class:`Perm` a permutation matrix of symbolic size. Its transpose *is* its inverse
  (``Perm.T -> Inverse(P)``), so SymPy's own MatMul canonicalisation cancels ``Pᵀ P = I``.
  At concrete sizes it is the cyclic shift ``e_i -> e_{i+1 mod n}`` (entries 0/1), so the
  size cross-check and the refutation search see a genuine permutation, never a generic matrix.
- :class:`RowSoftmax` softmax over each row. Its one rule (in ``doit``)::

      softmax_rows(c · P M P⁻¹) = P · softmax_rows(c · M) · P⁻¹      (P a Perm, c a scalar)

  (permuting rows permutes the outputs' rows; permuting the columns of every row by the same
  σ permutes each row's outputs, because the normaliser Σ_l exp(M_il) is a sum over all l).
  At concrete sizes its entries are exp(M_ij)/Σ_l exp(M_il) of the explicit argument, so the
  rule is checked entry by entry by ``matrices.check_sizes`` whenever it is used.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

__all__ = ["Perm", "RowSoftmax"]


class Perm(sp.MatrixSymbol):
    """A permutation matrix (n×n, symbolic n): orthogonal, so Pᵀ = P⁻¹."""

    def _eval_transpose(self):
        return sp.Inverse(self)

    def _entry(self, i, j, **kw):
        n = self.shape[0]
        if not (n.is_Integer and sp.sympify(i).is_Integer and sp.sympify(j).is_Integer):
            return super()._entry(i, j, **kw)
        return sp.Integer(1) if int(j) == (int(i) + 1) % int(n) else sp.Integer(0)

    def as_explicit(self):
        n = self.shape[0]
        if not n.is_Integer:
            raise ValueError(f"{self} has symbolic size {n}: make the size concrete first")
        return sp.ImmutableMatrix(int(n), int(n), lambda i, j: self._entry(i, j))


def _perm_conjugation(m: sp.Basic) -> tuple[sp.Expr, Perm, sp.Basic] | None:
    """m = c · P · M · P⁻¹ with P a Perm -> (c, P, M); else None."""
    if not isinstance(m, sp.MatMul):
        return None
    coeff, mats = m.as_coeff_matrices()
    if len(mats) < 3:
        return None
    first, last = mats[0], mats[-1]
    if isinstance(first, Perm) and isinstance(last, sp.Inverse) and last.args[0] == first:
        middle = mats[1:-1]
        return coeff, first, middle[0] if len(middle) == 1 else sp.MatMul(*middle)
    return None


class RowSoftmax(MatrixExpr):
    """softmax over each row of a matrix: entries exp(M_ij) / Σ_l exp(M_il)."""

    def __new__(cls, m):
        return super().__new__(cls, sp.sympify(m))

    @property
    def shape(self):
        return self.args[0].shape

    def doit(self, **hints):
        arg = self.args[0].doit(**hints) if hints.get("deep", True) else self.args[0]
        arg = sp.expand(arg).doit() if isinstance(arg, MatrixExpr) else arg
        found = _perm_conjugation(arg)
        if found is not None:
            coeff, p, middle = found
            return sp.MatMul(p, RowSoftmax(coeff * middle), sp.Inverse(p)).doit()
        return RowSoftmax(arg)

    def as_explicit(self):
        from .matrices import explicit

        m = sp.Matrix(explicit(self.args[0]))
        rows = []
        for i in range(m.rows):
            z = sum(sp.exp(m[i, c]) for c in range(m.cols))
            rows.append([sp.exp(m[i, j]) / z for j in range(m.cols)])
        return sp.ImmutableMatrix(rows)

    def _entry(self, i, j, **kw):
        return self.as_explicit()[i, j]

    def _latex(self, printer):
        return rf"\operatorname{{softmax}}_{{\mathrm{{rows}}}}\left({printer._print(self.args[0])}\right)"
