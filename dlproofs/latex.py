"""LaTeX for proofs/: SymPy's LatexPrinter with the conventions GitHub math needs.

- the author's term order is kept (``order='none'``);
- display names come from the topic's ``LATEX`` mapping (``sigma_B^2`` -> ``\\sigma_B^2``);
- ``Heaviside(z, 0)`` prints as ``\\mathbb{1}[z > 0]`` (not ``\\theta``, which clashes with θ);
- norms print with ``\\lVert \\rVert`` (``|`` breaks Markdown tables).
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy as sp
from sympy.printing.latex import LatexPrinter

__all__ = ["ProofLatexPrinter", "to_latex"]


class ProofLatexPrinter(LatexPrinter):
    def _print_Heaviside(self, expr: sp.Heaviside, exp: str | None = None) -> str:
        arg = self._print(expr.args[0])
        at0 = expr.args[1] if len(expr.args) > 1 else sp.S.Half
        if at0 == 0:
            tex = rf"\mathbb{{1}}[{arg} > 0]"
        elif at0 == 1:
            tex = rf"\mathbb{{1}}[{arg} \geq 0]"
        else:
            tex = rf"\mathrm{{H}}_{{{self._print(at0)}}}({arg})"
        return f"({tex})^{{{exp}}}" if exp else tex

    def _print_Abs(self, expr: sp.Abs, exp: str | None = None) -> str:
        tex = rf"\left\lvert {self._print(expr.args[0])} \right\rvert"
        return f"{tex}^{{{exp}}}" if exp else tex


def to_latex(expr: sp.Basic, names: Mapping[sp.Basic, str] | None = None) -> str:
    """LaTeX of ``expr`` for a ```math block; ``names`` maps symbols to display LaTeX."""
    symbol_names: dict[sp.Basic, str] = {}
    for sym, tex in (names or {}).items():
        symbol_names[sym.label if isinstance(sym, sp.IndexedBase) else sym] = tex
    printer = ProofLatexPrinter({"symbol_names": symbol_names})
    return printer.doprint(expr)
