"""Numeric cross-validation against PyTorch on inputs that Hypothesis draws and shrinks.

Two kinds of check, both declared in a claim record:

- :class:`CrossCheck`  the claim's closed form (lambdified to torch) against references:
  the readable version in ``impl/`` and PyTorch's built-ins / autograd, within a tolerance
  whose size and reason are stated (:class:`Tolerance`);
- :class:`PropertyCheck` a property that must hold on every drawn case (bounds, refusals).

Both implement the declared evidence protocol (:class:`dlproofs.evidence.Evidence`): their
``run`` is the Hypothesis search (:func:`search`), and they describe themselves in a proof.

Each check also carries *planted* wrong formulas; the engine (``dlproofs.check.check_evidence``)
runs the same search with each of them in the run that decides the verdict and requires a
counterexample, so every check is shown able to fail; it also requires a reference and at
least the profile's floor of cases (``dlproofs.profiles.EVIDENCE_FLOOR``).

A failing search prints the claim id and the shrunk case as a call you can paste and re-run.
"""

from __future__ import annotations

import inspect
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
from hypothesis.errors import FailedHealthCheck, Unsatisfiable
from hypothesis.internal.conjecture.engine import ExitReason
from hypothesis.statistics import collector

from .commands import replay_line
from .errors import ClaimDefinitionError
from .evidence import Evidence, NumericResult, ProofText, ratio, require_evidence
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
    "search",
    "format_case",
]

Case = dict[str, Any]


@dataclass(frozen=True)
class ClosedForm:
    """A SymPy closed form evaluated on a case: ``args`` are read from the case by name.

    ``binding`` (optional) maps a case drawn in a contract's convention (its parameter names and
    shapes, e.g. ``eps``, γ of shape [C]) to the SymPy names the expression uses (``epsilon``, γ
    broadcast to [1, C, 1, 1]) plus the sizes and reduction dims (``m``, ``_dims``) it needs;
    written once per module, so the cases themselves are drawn in one convention only.
    """

    expr: sp.Expr
    args: tuple[sp.Basic, ...]
    binding: Callable[[Case], Case] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "_fn", to_torch(self.expr, self.args))

    def __call__(self, case: Case) -> torch.Tensor:
        if self.binding is not None:
            case = self.binding(case)
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
    ``reason`` says why, and is printed in the proof. No tolerance at all is
    :meth:`Tolerance.exact` (``ulps = 0``): the values must be equal (−0 = +0, NaN matches NaN).
    """

    ulps: float
    reason: str
    scale: Callable[[Case], float] = lambda case: 1.0

    def __post_init__(self) -> None:
        if isinstance(self.ulps, bool) or not (isinstance(self.ulps, (int, float)) and 0 <= self.ulps < math.inf):
            raise ClaimDefinitionError(
                f"tolerance {self.reason!r}: ulps = {self.ulps!r} must be a finite number ≥ 0 (0 only through "
                "Tolerance.exact(reason), which says that no rounding is allowed)"
            )
        if not self.reason.strip():
            raise ClaimDefinitionError("a tolerance needs a reason: why this size (or why exact) is right")

    @classmethod
    def exact(cls, reason: str) -> Tolerance:
        """No tolerance: the compared values must be equal, not merely within one ulp. ``reason``
        says why no rounding can occur (e.g. "a permutation of entries", "integer counts < 2^53")."""
        return cls(0, reason, _unit_scale)

    @property
    def is_exact(self) -> bool:
        return self.ulps == 0

    def bound(self, case: Case, dtype: torch.dtype) -> float:
        if self.is_exact:
            return 0.0
        return self.ulps * torch.finfo(dtype).eps * float(self.scale(case))

    def describe(self) -> str:
        if self.is_exact:
            return f"exact: no tolerance, the values must be equal; {self.reason}"
        return f"{self.ulps:g} × machine epsilon × scale(case); {self.reason}"


def _unit_scale(case: Case) -> float:
    return 1.0


@dataclass(frozen=True)
class Outcome:
    """The result of one drawn case (for a pass: the reference that came closest to its bound)."""

    ok: bool
    error: float  # largest absolute difference (0 for a property that held)
    bound: float  # the tolerance it was held to
    detail: str = ""


class _Searched:
    """What the two Hypothesis-searched kinds share: ``run`` is the search (:func:`search`), the
    proof shows the strategy's docstring as the input domain and the profile's case count."""

    name: str
    cases: Callable[[], st.SearchStrategy[Case]]
    planted: Mapping[str, Any]
    examples: tuple[Case, ...]
    cap: int | None

    def run(
        self,
        claim_id: str,
        *,
        profile: str = "ci",
        seed: int | None = None,
        override: Any = None,
        max_examples: int | None = None,
        shrink: bool = True,
    ) -> NumericResult:
        return search(
            claim_id, self, profile=profile, seed=seed, override=override, max_examples=max_examples, shrink=shrink
        )

    def cases_asked(self, profile: str = "ci") -> str:
        from .profiles import PROFILES

        n = PROFILES[profile].max_examples if self.cap is None or profile == "thorough" else self.cap
        return f"{n}" + (f" + {len(self.examples)} explicit" if self.examples else "")

    def tolerance_text(self) -> str:
        raise NotImplementedError

    def _compares(self) -> str:
        return ""

    def describe_in_proof(self, profile: str = "ci") -> ProofText:
        # the strategy says what it draws; one narrowed by keywords (strategies.narrowed) also says which
        domain = inspect.getdoc(getattr(self.cases, "func", self.cases))
        keywords = getattr(self.cases, "keywords", None)
        if domain and keywords:
            domain += " Drawn here with " + ", ".join(f"{k}={v!r}" for k, v in keywords.items()) + "."
        lines = (f"Input domain: {' '.join(domain.split())}",) if domain else ()
        return ProofText(compares=self._compares(), lines=(*lines, f"Tolerance: {self.tolerance_text()}"))


@dataclass(frozen=True, kw_only=True)
class CrossCheck(_Searched):
    """Closed form vs references, on Hypothesis cases, in each dtype.

    ``positional=True`` is the contract's convention (OpInfo's ``ref=``): ``cases`` draws an ordered
    dict parameter name -> value and each reference is called as ``ref(*case.values())``, so a plain
    implementation (``impl.batchnorm.batch_norm`` itself) is a reference and a contract can be derived
    from the check (:meth:`dlproofs.contract.Contract.of`). ``expected`` and ``planted`` (the formulas
    the references are held to) always take the case dict; a :class:`ClosedForm` reads it through its
    ``binding``.
    """

    name: str
    cases: Callable[[], st.SearchStrategy[Case]]
    expected: Callable[[Case], torch.Tensor]  # usually a ClosedForm of the derivation's rhs
    references: Mapping[str, Callable[..., torch.Tensor]]  # f(case), or f(*case.values()) if positional
    tolerance: Tolerance
    planted: Mapping[str, Callable[[Case], torch.Tensor]] = field(default_factory=dict)
    examples: tuple[Case, ...] = ()
    dtypes: tuple[torch.dtype, ...] = (torch.float64,)
    cap: int | None = None  # at most this many cases outside the `thorough` profile (costly cases)
    positional: bool = False  # references take the case's values positionally, in the drawn order

    def evaluate(self, case: Case, expected: Callable[[Case], torch.Tensor] | None = None) -> Outcome:
        want = (expected or self.expected)(case).to(torch.float64)
        worst = Outcome(True, 0.0, math.inf)
        for dtype in self.dtypes:
            bound = self.tolerance.bound(case, dtype)
            # floating tensors only: a boolean mask input (attention.sdpa-masked) stays boolean
            cast = {
                k: v.to(dtype) if isinstance(v, torch.Tensor) and v.is_floating_point() else v for k, v in case.items()
            }
            for ref_name, ref in self.references.items():
                got = ref(*cast.values()) if self.positional else ref(cast)
                if isinstance(got, tuple):  # a multi-output reference (Contract.outputs): elements concatenated
                    got = _flat_outputs(got)
                err, problem = _compare(want, got, bound)
                if problem is not None:
                    return Outcome(False, err, bound, f"{ref_name} [{_dtype_name(dtype)}]: {problem}")
                if ratio(err, bound) >= ratio(worst.error, worst.bound):
                    worst = Outcome(True, err, bound, f"{ref_name} [{_dtype_name(dtype)}]")
        return worst

    def tolerance_text(self) -> str:
        return self.tolerance.describe()

    def _compares(self) -> str:
        return f"against {', '.join(f'`{r}`' for r in self.references)}" if self.references else ""


def _flat_outputs(value: tuple) -> torch.Tensor:
    from .outputs import flat

    return flat(value)


def _dtype_name(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")


def _compare(want: torch.Tensor, got: Any, bound: float) -> tuple[float, str | None]:
    """(largest error over the finite entries, None) when ``got`` matches ``want`` within ``bound``
    (non-finite entries must match exactly); else (error, what is wrong)."""
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
    return err, None


@dataclass(frozen=True, kw_only=True)
class PropertyCheck(_Searched):
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

    def tolerance_text(self) -> str:
        return self.reason


#: A claim's ``numeric=`` entries: anything implementing the declared protocol (dlproofs.evidence).
NumericCheck = Evidence


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
    override: Any = None,
    max_examples: int | None = None,
    shrink: bool = True,
) -> NumericResult:
    """Run one piece of evidence (``check.run``); ``override`` swaps in a planted formula.

    ``max_examples`` and ``shrink=False`` (stop at the first failure: planted-formula tests only
    need detection) apply to Hypothesis searches; evidence with its own design ignores them.
    """
    check = require_evidence(check, claim_id)
    if isinstance(check, _Searched):
        return check.run(
            claim_id, profile=profile, seed=seed, override=override, max_examples=max_examples, shrink=shrink
        )
    return check.run(claim_id, profile=profile, seed=seed, override=override)


def search(
    claim_id: str,
    check: CrossCheck | PropertyCheck,
    *,
    profile: str = "ci",
    seed: int | None = None,
    override: Callable[[Case], Any] | None = None,
    max_examples: int | None = None,
    shrink: bool = True,
) -> NumericResult:
    """The Hypothesis search of a cross-check or property check (their ``run``)."""
    from .profiles import load_profile

    parent = load_profile(profile)
    opts: dict[str, Any] = {"parent": parent, "database": None}
    # A check whose cases are costly (autograd Jacobians, FlopCounterMode on modules) declares a
    # cap; its planted formulas must still be rejected within it (tests/test_claims.py).
    cap = check.cap if profile != "thorough" else None
    if max_examples is not None or cap is not None:
        opts["max_examples"] = max_examples if max_examples is not None else cap
    if not shrink:
        opts["phases"] = [p for p in Phase if p is not Phase.shrink]
    seen: dict[str, Any] = {"n": 0, "err": 0.0, "bound": math.inf, "where": ""}
    failure: dict[str, Any] = {}

    @settings(**opts)
    @given(case=check.cases())
    def search(case: Case) -> None:  # the name and body feed Hypothesis's derandomized seed: keep them
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
    tol = check.tolerance_text()
    requested = opts.get("max_examples", parent.max_examples)
    stats: dict[str, Any] = {}
    start = time.perf_counter()
    try:
        with collector.with_value(stats.update):
            search()
        ok, report = True, ""
    except AssertionError:
        ok = False
        report = _report(claim_id, check.name, failure)
    except (Unsatisfiable, FailedHealthCheck) as exc:
        ok = False
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        report = (
            f"{claim_id} / {check.name}: definition error: the case strategy cannot produce usable inputs "
            f"({type(exc).__name__}: {first}); a check that draws nothing is no evidence. Fix the strategy "
            "(widen its domain, drop the filter or assume() that rejects almost everything)."
        )
    bound = seen["bound"] if math.isfinite(seen["bound"]) else 0.0
    return NumericResult(
        claim=claim_id,
        name=check.name,
        ok=ok,
        examples=seen["n"],
        max_error=seen["err"],
        bound=bound,
        tolerance=tol,
        worst=seen["where"],
        seconds=time.perf_counter() - start,
        report=report,
        requested=requested,
        exhausted=stats.get("stopped-because") == ExitReason.finished.value,
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
