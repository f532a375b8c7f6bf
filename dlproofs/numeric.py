"""Numeric cross-validation against PyTorch on inputs that Hypothesis draws and shrinks.

Two kinds of check, both declared in a claim record:

- :class:`CrossCheck`  the claim's closed form (lambdified to torch) against references:
  the readable version in ``impl/`` and PyTorch's built-ins / autograd, within a tolerance
  whose size and reason are stated (:class:`Tolerance`);
- :class:`PropertyCheck` a property that must hold on every drawn case (bounds, refusals).

Each check also carries *planted* wrong formulas; the test suite runs the same search with
each of them and requires a counterexample, so every check is shown able to fail.

A failing search prints the claim id and the shrunk case as a call you can paste and re-run.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy as sp
import torch
from hypothesis import Phase, example, given, settings
from hypothesis import seed as hyp_seed
from hypothesis import strategies as st

from .commands import replay_line
from .totorch import to_torch

__all__ = [
    "Case",
    "ClosedForm",
    "Tolerance",
    "Outcome",
    "CrossCheck",
    "PropertyCheck",
    "NumericCheck",
    "NumericResult",
    "run_check",
    "format_case",
]

Case = dict[str, Any]


@dataclass(frozen=True)
class ClosedForm:
    """A SymPy closed form evaluated on a case: ``args`` are read from the case by name."""

    expr: sp.Expr
    args: tuple[sp.Basic, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_fn", to_torch(self.expr, self.args))

    def __call__(self, case: Case) -> torch.Tensor:
        # Python scalars become float64 tensors so every torch function accepts them.
        values = [
            torch.tensor(v, dtype=torch.float64) if isinstance(v, (int, float)) else v
            for v in (case[_name(a)] for a in self.args)
        ]
        return self._fn(*values, _dims=case.get("_dims"))  # type: ignore[attr-defined]


def _name(a: sp.Basic) -> str:
    return str(a.label) if isinstance(a, sp.IndexedBase) else str(a)


@dataclass(frozen=True)
class Tolerance:
    """Allowed error = ``ulps`` × machine epsilon of the dtype (``torch.finfo(dtype).eps``, twice
    the unit roundoff) × ``scale(case)``.

    ``scale`` is the size of the error a backward-stable computation may make on this case
    (e.g. ``max|x| / sqrt(σ² + ε)`` for a normalization: the condition number of centring);
    ``reason`` says why, and is printed in the proof.
    """

    ulps: float
    reason: str
    scale: Callable[[Case], float] = lambda case: 1.0

    def bound(self, case: Case, dtype: torch.dtype) -> float:
        return self.ulps * torch.finfo(dtype).eps * float(self.scale(case))

    def describe(self) -> str:
        return f"{self.ulps:g} × machine epsilon × scale(case); {self.reason}"


@dataclass(frozen=True)
class Outcome:
    """The result of one drawn case (for a pass: the reference that came closest to its bound)."""

    ok: bool
    error: float  # largest absolute difference (0 for a property that held)
    bound: float  # the tolerance it was held to
    detail: str = ""


@dataclass(frozen=True)
class CrossCheck:
    """Closed form vs references, on Hypothesis cases, in each dtype."""

    name: str
    cases: Callable[[], st.SearchStrategy[Case]]
    expected: Callable[[Case], torch.Tensor]  # usually a ClosedForm of the derivation's rhs
    references: Mapping[str, Callable[[Case], torch.Tensor]]
    tolerance: Tolerance
    planted: Mapping[str, Callable[[Case], torch.Tensor]] = field(default_factory=dict)
    examples: tuple[Case, ...] = ()
    dtypes: tuple[torch.dtype, ...] = (torch.float64,)
    cap: int | None = None  # at most this many cases outside the `thorough` profile (costly cases)

    def evaluate(self, case: Case, expected: Callable[[Case], torch.Tensor] | None = None) -> Outcome:
        want = (expected or self.expected)(case).to(torch.float64)
        worst = Outcome(True, 0.0, math.inf)
        for dtype in self.dtypes:
            bound = self.tolerance.bound(case, dtype)
            cast = {k: v.to(dtype) if isinstance(v, torch.Tensor) else v for k, v in case.items()}
            for ref_name, ref in self.references.items():
                got = ref(cast)
                problem = _compare(want, got, bound)
                if problem is not None:
                    return Outcome(False, problem[0], bound, f"{ref_name} [{_dtype_name(dtype)}]: {problem[1]}")
                err = float((got.to(torch.float64) - want).abs().max()) if want.numel() else 0.0
                if err / bound >= worst.error / worst.bound:
                    worst = Outcome(True, err, bound, f"{ref_name} [{_dtype_name(dtype)}]")
        return worst


def _dtype_name(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")


def _compare(want: torch.Tensor, got: Any, bound: float) -> tuple[float, str] | None:
    """None when ``got`` matches ``want`` within ``bound``; else (error, what is wrong)."""
    if not isinstance(got, torch.Tensor):
        return math.inf, f"returned {type(got).__name__}, expected a tensor"
    if got.shape != want.shape:
        return math.inf, f"shape {tuple(got.shape)}, expected {tuple(want.shape)}"
    got64 = got.to(torch.float64)
    fin_w, fin_g = torch.isfinite(want), torch.isfinite(got64)
    same_nonfinite = (want == got64) | (torch.isnan(want) & torch.isnan(got64))
    bad = (fin_w != fin_g) | (~fin_w & ~fin_g & ~same_nonfinite)
    if bad.any():
        at = bad.nonzero()[0].tolist()
        w, g = want[tuple(at)].item(), got64[tuple(at)].item()
        return math.inf, f"non-finite mismatch at {at}: expected {w!r}, got {g!r}"
    want, got64 = torch.where(fin_w, want, 0.0), torch.where(fin_g, got64, 0.0)
    diff = (got64 - want).abs()
    err = float(diff.max()) if diff.numel() else 0.0
    if err > bound:
        where = diff.argmax().item()
        return err, (
            f"largest error {err:.3g} > bound {bound:.3g} at flat index {where}: "
            f"expected {want.flatten()[where].item()!r}, got {got64.flatten()[where].item()!r}"
        )
    return None


@dataclass(frozen=True)
class PropertyCheck:
    """A property that must hold on every drawn case (bounds, documented refusals)."""

    name: str
    cases: Callable[[], st.SearchStrategy[Case]]
    holds: Callable[[Case], Outcome]
    reason: str  # what is checked and why any slack in it is what it is
    planted: Mapping[str, Callable[[Case], Outcome]] = field(default_factory=dict)
    examples: tuple[Case, ...] = ()
    cap: int | None = None  # at most this many cases outside the `thorough` profile (costly cases)

    def evaluate(self, case: Case, expected: Callable[[Case], Outcome] | None = None) -> Outcome:
        return (expected or self.holds)(case)


# Any object with ``name``, ``planted`` and either ``cases``/``evaluate`` (a Hypothesis search)
# or its own ``run(claim_id, *, profile, seed, override) -> NumericResult`` is a numeric check.
NumericCheck = Any


@dataclass(frozen=True)
class NumericResult:
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


def format_case(case: Case) -> str:
    """The case as Python source that rebuilds it exactly (float repr round-trips)."""
    parts = []
    for key, value in case.items():
        if isinstance(value, torch.Tensor):
            parts.append(f"{key!r}: torch.tensor({value.tolist()!r}, dtype={value.dtype})")
        else:
            parts.append(f"{key!r}: {value!r}")
    return "{" + ", ".join(parts) + "}"


def run_check(
    claim_id: str,
    check: NumericCheck,
    *,
    profile: str = "ci",
    seed: int | None = None,
    override: Callable[[Case], Any] | None = None,
    max_examples: int | None = None,
    shrink: bool = True,
) -> NumericResult:
    """Run one check's Hypothesis search; ``override`` swaps in a planted formula.

    ``shrink=False`` stops at the first failure (planted-formula tests only need detection).
    """
    from .profiles import load_profile

    if hasattr(check, "run"):  # checks with their own design (e.g. Monte Carlo on fixed seeds)
        return check.run(claim_id, profile=profile, seed=seed, override=override)
    parent = load_profile(profile)
    opts: dict[str, Any] = {"parent": parent, "database": None}
    # A check whose cases are costly (autograd Jacobians, FlopCounterMode on modules) declares a
    # cap; its planted formulas must still be rejected within it (tests/test_claims.py).
    cap = getattr(check, "cap", None) if profile != "thorough" else None
    if max_examples is not None or cap is not None:
        opts["max_examples"] = max_examples if max_examples is not None else cap
    if not shrink:
        opts["phases"] = [p for p in Phase if p is not Phase.shrink]
    seen: dict[str, Any] = {"n": 0, "err": 0.0, "bound": math.inf, "where": ""}
    failure: dict[str, Any] = {}

    @settings(**opts)
    @given(case=check.cases())
    def search(case: Case) -> None:
        seen["n"] += 1
        try:
            out = check.evaluate(case, override)
        except Exception as exc:  # a reference that raises on a valid input is a failure
            out = Outcome(False, math.inf, math.nan, f"raised {type(exc).__name__}: {exc}")
        if not out.ok:
            failure.update(case=case, outcome=out)
            raise AssertionError(out.detail)
        if out.bound > 0 and out.error / out.bound >= seen["err"] / seen["bound"]:
            seen.update(err=out.error, bound=out.bound, where=out.detail)

    for ex in reversed(check.examples):
        search = example(case=ex)(search)
    if seed is not None:
        search = hyp_seed(seed)(search)
    tol = check.tolerance.describe() if isinstance(check, CrossCheck) else check.reason
    start = time.perf_counter()
    try:
        search()
        ok, report = True, ""
    except AssertionError:
        ok = False
        report = _report(claim_id, check.name, failure)
    bound = seen["bound"] if math.isfinite(seen["bound"]) else 0.0
    return NumericResult(
        claim_id,
        check.name,
        ok,
        seen["n"],
        seen["err"],
        bound,
        tol,
        seen["where"],
        time.perf_counter() - start,
        report,
    )


def _report(claim_id: str, name: str, failure: Mapping[str, Any]) -> str:
    if not failure:
        return f"{claim_id} / {name}: the search failed without a recorded case"
    out: Outcome = failure["outcome"]
    return (
        f"{claim_id} / {name}: {out.detail}\n"
        f"  shrunk case: {format_case(failure['case'])}\n"
        f"  replay: {replay_line(claim_id, name, case=failure['case'])}"
    )
