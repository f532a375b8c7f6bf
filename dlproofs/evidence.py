"""Evidence kinds: the declared extension point for what a claim's ``numeric=`` may hold.

Every kind of numeric evidence (a Hypothesis cross-check or property check,
:mod:`dlproofs.numeric`; a designed Monte Carlo test, :mod:`dlproofs.montecarlo`; exact moments by
``sympy.stats``, :class:`StatsCheck`; a certified root bracket, :mod:`dlproofs.roots`) implements
the small :class:`Evidence` protocol: a ``name``, the ``planted`` wrong formulas the engine makes it
reject in the run that decides the verdict, what it says about itself in a proof
(:meth:`Evidence.describe_in_proof`, :meth:`Evidence.cases_asked`) and ``run``. The claim record
refuses anything else (:func:`require_evidence`) with the list of what is missing, so a new kind is
added by implementing the protocol, never by teaching the engine or the renderer about it.

Kept light (no torch import): ``dlproofs list`` and ``cite`` load claim records through here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import sympy as sp

from .errors import ClaimDefinitionError

__all__ = ["Evidence", "StatisticalEvidence", "ProofText", "NumericResult", "StatsCheck", "require_evidence", "ratio"]


@dataclass(frozen=True, kw_only=True)
class NumericResult:
    """What one run of one piece of evidence found (the shape every :class:`Evidence` returns)."""

    claim: str
    name: str
    ok: bool
    examples: int
    max_error: float  # the error of the case that came closest to its bound
    bound: float  # that case's bound
    tolerance: str
    worst: str  # which reference (and dtype) that was
    seconds: float
    report: str = ""  # for a failure: what differed, on the shrunk case, and how to replay it
    requested: int = 0  # cases asked of Hypothesis (0: the check has its own design, e.g. Monte Carlo)
    exhausted: bool = False  # Hypothesis stopped early because it had tried every input of the domain


@dataclass(frozen=True, kw_only=True)
class ProofText:
    """What a proof prints for one piece of evidence: what it is compared against (may be empty)
    and the lines under it (design, input domain, tolerance and why, what it establishes)."""

    compares: str = ""  # e.g. "against `torch.relu`, `impl.activations.relu`"
    lines: tuple[str, ...] = ()


@runtime_checkable
class Evidence(Protocol):
    """One piece of numeric evidence a claim carries. Numeric evidence is never proof: it
    cross-validates a derivation (verdict *proved*) or is all there is (verdict *tested*)."""

    name: str  # unique within the claim; the replay command names it
    planted: Mapping[str, Any]  # wrong formulas (override values for run) the check must reject

    def describe_in_proof(self, profile: str = "ci") -> ProofText:
        """What the proof says about this evidence (its design, not the figures of a run)."""
        ...

    def cases_asked(self, profile: str = "ci") -> str:
        """How many cases the design asks for in ``profile`` (the proof's table column)."""
        ...

    def run(
        self, claim_id: str, *, profile: str = "ci", seed: int | None = None, override: Any = None
    ) -> NumericResult:
        """Run it; ``override`` swaps in one of ``planted`` (the run must then fail)."""
        ...


@runtime_checkable
class StatisticalEvidence(Evidence, Protocol):
    """Evidence that can only establish a value within a margin (a designed Monte Carlo test): it says
    which margin, so a *tested* verdict resting on it reads "within ±δ", never equality."""

    def within(self) -> str:
        """The claimed value ± the margin the design has the stated power to detect."""
        ...


_METHODS = ("describe_in_proof", "cases_asked", "run")
FIXED_DESIGN = "fixed design (below)"  # cases_asked of evidence that draws no Hypothesis cases


def require_evidence(obj: object, where: str) -> Evidence:
    """``obj`` if it implements :class:`Evidence`, else a ClaimDefinitionError naming what it lacks."""
    missing = []
    if not isinstance(getattr(obj, "name", None), str):
        missing.append("a str `name`")
    if not isinstance(getattr(obj, "planted", None), Mapping):
        missing.append("a mapping `planted` (wrong formulas it must reject)")
    missing += [f"a method `{m}`" for m in _METHODS if not callable(getattr(obj, m, None))]
    if missing:
        raise ClaimDefinitionError(
            f"{where}: numeric evidence {getattr(obj, 'name', obj)!r} ({type(obj).__name__}) does not implement dlproofs.evidence.Evidence: "
            f"it lacks {', '.join(missing)}. Use CrossCheck or PropertyCheck (dlproofs.numeric), MonteCarloCheck or "
            "BoundedMeanCheck (dlproofs.montecarlo), StatsCheck (dlproofs.evidence), RootBracket (dlproofs.roots), "
            "or implement the protocol (name, planted, describe_in_proof, cases_asked, run)"
        )
    return obj  # type: ignore[return-value]


def ratio(error: float, bound: float) -> float:
    """error / bound, for ranking cases by how close they came to their bound; an exact bound (0)
    gives 0 for an exact match and ∞ otherwise (no division by zero)."""
    if bound > 0:
        return error / bound
    return 0.0 if error == 0 else math.inf


# ── exact moments by sympy.stats ─────────────────────────────────────────────────────────────
@dataclass(frozen=True, kw_only=True)
class StatsCheck:
    """Exact moments by sympy.stats at concrete small sizes against the symbolic closed form.

    ``moment(dist, size, r)`` is the exact r-th raw moment of the quantity for components drawn
    from ``dist`` at ``size`` (e.g. E[(q·k)^r] by ``sympy.stats.E``); ``statistic(m1, m2)`` builds
    what is claimed from the first two moments; ``expected(size)`` is the claim's closed form at
    that size. Exact: equality of SymPy numbers after ``simplify``, no tolerance.
    """

    name: str
    moment: Callable[[str, int, int], sp.Expr]
    statistic: Callable[[sp.Expr, sp.Expr], sp.Expr]
    expected: Callable[[int], sp.Expr]
    sizes: Mapping[str, tuple[tuple[str, int], ...]]  # "default" / "thorough" -> (distribution, size)
    planted: Mapping[str, Callable[[int], sp.Expr]] = field(default_factory=dict)
    size_name: str = "d_k"

    def _cases(self, profile: str) -> tuple[tuple[str, int], ...]:
        return self.sizes["thorough" if profile == "thorough" else "default"]

    def _shown(self, profile: str) -> str:
        return ", ".join(f"{d} at {self.size_name} = {s}" for d, s in self._cases(profile))

    def describe_in_proof(self, profile: str = "ci") -> ProofText:
        return ProofText(
            compares="against the closed form at each size",
            lines=(
                f"Exact moments by sympy.stats: {self._shown(profile)}.",
                "Tolerance: none: exact equality of SymPy numbers (rational arithmetic).",
            ),
        )

    def cases_asked(self, profile: str = "ci") -> str:
        return FIXED_DESIGN

    def run(
        self,
        claim_id: str,
        *,
        profile: str = "ci",
        seed: int | None = None,
        override: Callable[[int], sp.Expr] | None = None,
    ) -> NumericResult:
        start = time.perf_counter()
        want_fn = override or self.expected
        cases = self._cases(profile)
        bad = []
        for dist, size in cases:
            m1, m2 = self.moment(dist, size, 1), self.moment(dist, size, 2)
            got = sp.simplify(self.statistic(m1, m2))
            want = sp.sympify(want_fn(size))
            if sp.simplify(got - want) != 0:
                bad.append(
                    f"  {dist}, {self.size_name} = {size}: sympy.stats gives {got}, the closed form gives {want}"
                )
        report = f"{claim_id} / {self.name}: exact moments differ\n" + "\n".join(bad) if bad else ""
        return NumericResult(
            claim=claim_id,
            name=self.name,
            ok=not bad,
            examples=len(cases),
            max_error=0.0 if not bad else math.inf,
            bound=0.0,
            tolerance=f"exact (sympy.stats, rational arithmetic, no tolerance): {self._shown(profile)}",
            worst="",
            seconds=time.perf_counter() - start,
            report=report,
        )
