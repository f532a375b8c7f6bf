"""Judge outside code: run someone's implementation against a claim's verified contract.

``dlproofs conform CLAIM TARGET`` and :func:`dlproofs.testing.assert_conforms` both call
:func:`conform`. It imports the callable (:func:`load_target`: a user's file is executed, never
written to: no ``__pycache__``, no Hypothesis database), draws float64 inputs from the contract's
Hypothesis strategy, calls the callable and the reference on separate copies of them, and holds
the difference to the contract's :class:`~dlproofs.numeric.Tolerance`. The first failure is
shrunk by Hypothesis; the report gives the shrunk inputs, expected vs got, the largest error
against the tolerance, what kind of failure it is, where the difference lives (the contract's
:class:`~dlproofs.contract.Locator` s, judged over every failing case seen) and a re-run line.

The search is a pure function of (claim, callable, max_examples, seed): the same seed gives the
same verdict and the same report, byte for byte.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import importlib
import importlib.util
import json
import math
import os
import sys
import traceback
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as hyp_seed
from hypothesis import target as hyp_target

from .claim import Claim
from .commands import dlproofs_command
from .contract import Contract
from .errors import DlproofsError, UnknownClaimError

__all__ = [
    "DEFAULT_MAX_EXAMPLES",
    "DEFAULT_SEED",
    "ConformError",
    "Failure",
    "ConformResult",
    "load_target",
    "use_private_storage",
    "describe_target",
    "contract_claims",
    "contract_claim",
    "conform",
]

DEFAULT_MAX_EXAMPLES = 100  # ~1 s per contract on this machine; the CLI's default too
DEFAULT_SEED = 0  # a fixed default: CI runs are reproducible; pass --seed to explore further

# Failure kinds (the first line of a report says which).
WRONG_VALUES = "wrong values"
RAISED = "raised on a valid input"
WRONG_TYPE = "returned a non-tensor"
WRONG_SHAPE = "wrong shape"
WRONG_DTYPE = "wrong dtype"
NON_FINITE = "NaN where the reference is finite"


class ConformError(DlproofsError):
    """``conform`` could not run (bad TARGET, missing file or attribute, no contract): exit 2."""


# ── TARGET: path/to/file.py:function or package.module:function ───────────────────────────
def load_target(target: str) -> Callable[..., Any]:
    """Import the callable named by ``target``; every way it can fail is a one-line ConformError."""
    spec, sep, attr = target.rpartition(":")
    if not sep or not spec or not attr or not all(p.isidentifier() for p in attr.split(".")):
        raise ConformError(
            f"bad TARGET {target!r}: expected path/to/file.py:function or package.module:function "
            "(the function name after a colon, e.g. my_bn.py:batch_norm)"
        )
    if spec.endswith(".py") or "/" in spec or os.sep in spec:
        module = _import_file(Path(spec), target)
    else:
        module = _import_module(spec, target)
    obj: Any = module
    for i, part in enumerate(attr.split(".")):
        if not hasattr(obj, part):
            owner = spec if i == 0 else f"{spec}:{'.'.join(attr.split('.')[:i])}"
            names = [n for n in dir(obj) if not n.startswith("_") and callable(getattr(obj, n, None))]
            close = difflib.get_close_matches(part, names, n=3, cutoff=0.5)
            hint = (
                f"did you mean {', '.join(close)}?"
                if close
                else f"it defines: {', '.join(names[:8]) or 'nothing callable'}"
            )
            raise ConformError(f"{owner} has no attribute {part!r}; {hint}")
        obj = getattr(obj, part)
    if not callable(obj):
        raise ConformError(
            f"{target} is a {type(obj).__name__}, not a function; point TARGET at the function that "
            "computes the claim (e.g. file.py:my_function)"
        )
    return obj


@contextlib.contextmanager
def _importing(directory: str) -> Iterator[None]:
    """Import with ``directory`` first on sys.path and without writing bytecode; undo both after."""
    old_path, old_bytecode = list(sys.path), sys.dont_write_bytecode
    sys.path.insert(0, directory)
    sys.dont_write_bytecode = True
    try:
        yield
    finally:
        sys.path[:] = old_path
        sys.dont_write_bytecode = old_bytecode


def _import_file(path: Path, target: str):
    if not path.is_file():
        where = "is a directory" if path.is_dir() else "does not exist"
        raise ConformError(
            f"file {str(path)!r} {where} (working directory {os.getcwd()}); give the path to a .py "
            "file, or package.module:function for an importable module"
        )
    resolved = path.resolve()
    digest = hashlib.sha1(str(resolved).encode()).hexdigest()[:8]
    name = f"_dlproofs_target_{resolved.stem}_{digest}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, resolved)
    if spec is None or spec.loader is None:
        raise ConformError(f"cannot import {str(path)!r} as Python source; TARGET must name a .py file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickling look the module up while it executes
    try:
        with _importing(str(resolved.parent)):
            spec.loader.exec_module(module)
    except BaseException as exc:
        del sys.modules[name]
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise ConformError(f"importing {path} raised {_one_line(exc)}; fix the file so that it imports") from exc
    return module


def _import_module(spec: str, target: str):
    try:
        with _importing(os.getcwd()):  # like `python -m`: modules in the working directory import
            return importlib.import_module(spec)
    except ModuleNotFoundError as exc:
        if exc.name and (spec == exc.name or spec.startswith(exc.name + ".")):
            raise ConformError(
                f"no module named {exc.name!r} (from TARGET {target!r}); install it, run from the "
                "directory that contains it, or give a file path: path/to/file.py:function"
            ) from exc
        raise ConformError(f"importing {spec} raised {_one_line(exc)}; fix the module so that it imports") from exc
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise ConformError(f"importing {spec} raised {_one_line(exc)}; fix the module so that it imports") from exc


def use_private_storage() -> None:
    """Point Hypothesis's cache (it stores constants it scanned from local modules) away from the
    user's working directory, unless HYPOTHESIS_STORAGE_DIRECTORY says where. Used by the CLI only:
    inside a pytest session the project's own Hypothesis settings stay as they are."""
    if os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
        return
    from hypothesis.configuration import set_hypothesis_home_dir

    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    set_hypothesis_home_dir(cache / "dlproofs" / "hypothesis")


def describe_target(fn: Callable[..., Any]) -> str | None:
    """``module:qualname`` for a function the CLI could import again, else None."""
    module, qualname = getattr(fn, "__module__", None), getattr(fn, "__qualname__", None)
    if not module or not qualname or "<" in qualname:
        return None
    if module.startswith("_dlproofs_target_"):
        file = getattr(sys.modules.get(module), "__file__", None)
        return f"{os.path.relpath(file)}:{qualname}" if file else None
    if module == "__main__":
        return None
    return f"{module}:{qualname}"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# ── claims with a contract ─────────────────────────────────────────────────────────────────
def contract_claims() -> list[Claim]:
    from .registry import all_claims

    return [c for c in all_claims() if c.contract is not None]


def _contract_ids() -> list[str]:
    """Ids of the claims with a contract, from the catalog index (no topic module is imported)."""
    from .catalog import current

    return [e["id"] for e in current()["claims"] if e["contract"]]


def contract_claim(claim_id: str) -> Claim:
    """The claim, or a ConformError saying which claims do have a contract."""
    from .registry import get

    try:
        claim = get(claim_id)  # imports only the claim's topic when the catalog index is current
    except UnknownClaimError:
        with_contract = _contract_ids()
        close = difflib.get_close_matches(claim_id, with_contract, n=3, cutoff=0.5)
        hint = f"did you mean {', '.join(close)}?" if close else "run `dlproofs conform --list` to see them"
        raise ConformError(f"no claim {claim_id!r}; {hint}") from None
    if claim.contract is None:
        with_contract = _contract_ids()
        raise ConformError(
            f"claim {claim_id!r} has no contract, so there is no call signature to test an implementation "
            f"against; claims with one: {', '.join(with_contract) or 'none'} (`dlproofs conform --list`)"
        )
    return claim


# ── judging one case ───────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Failure:
    """What went wrong on one input. ``bad`` marks the differing output entries (values kinds)."""

    kind: str
    detail: str
    expected: torch.Tensor
    got: Any = None
    error: float = math.inf
    bound: float = math.nan
    at: tuple[int, ...] | None = None
    bad: torch.Tensor | None = field(default=None, repr=False)


class _Mismatch(Exception):
    """Raised inside the Hypothesis search so it shrinks the case."""


class _ReferenceFailed(Exception):
    """The reference itself failed: a bug in dlproofs' contract, not in the code under test."""


def _copy(inputs: dict[str, Any]) -> list[Any]:
    return [v.clone() if isinstance(v, torch.Tensor) else v for v in inputs.values()]


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Isolate a call: no warnings printed, torch's global RNG seeded and restored afterwards."""
    with warnings.catch_warnings(), torch.random.fork_rng(devices=[]):
        warnings.simplefilter("ignore")
        torch.manual_seed(0)
        yield


def judge(contract: Contract, fn: Callable[..., Any], inputs: dict[str, Any]) -> tuple[Failure | None, float, float]:
    """(failure or None, largest error, bound) of ``fn`` against the reference on ``inputs``."""
    try:
        with _quiet():
            want = contract.reference(*_copy(inputs))
    except Exception as exc:
        raise _ReferenceFailed(_one_line(exc)) from exc
    want = want.detach()
    bound = contract.tolerance.bound(inputs, torch.float64)
    try:
        with _quiet():
            got = fn(*_copy(inputs))
    except Exception as exc:
        return Failure(RAISED, f"raised {_one_line(exc)}{_where_raised(exc)}", want), math.inf, bound
    if not isinstance(got, torch.Tensor):
        kind = type(got).__module__ + "." + type(got).__qualname__ if got is not None else "None"
        return (
            Failure(WRONG_TYPE, f"returned {kind}, expected a torch.Tensor of dtype float64", want, got),
            math.inf,
            bound,
        )
    got = got.detach()
    if got.shape != want.shape:
        detail = f"returned shape {list(got.shape)}, expected {list(want.shape)}"
        return Failure(WRONG_SHAPE, detail, want, got), math.inf, bound
    if got.dtype != want.dtype:
        detail = f"returned dtype {_dtype(got)}, expected {_dtype(want)} (compute in the inputs' dtype)"
        return Failure(WRONG_DTYPE, detail, want, got), math.inf, bound
    same_nonfinite = ~torch.isfinite(want) & ((want == got) | (torch.isnan(want) & torch.isnan(got)))
    diff = torch.where(same_nonfinite, 0.0, (got - want).abs())
    diff = torch.where(torch.isnan(diff), math.inf, diff)
    nonfinite = torch.isfinite(want) & ~torch.isfinite(got)
    if nonfinite.any():
        at = tuple(nonfinite.nonzero()[0].tolist())
        bad = nonfinite | (diff > bound)
        detail = f"returned {got[at].item()!r} at {list(at)} where the reference is {want[at].item()!r}"
        return Failure(NON_FINITE, detail, want, got, math.inf, bound, at, bad), math.inf, bound
    err = float(diff.max()) if diff.numel() else 0.0
    if err > bound:
        at = tuple(int(i) for i in torch.unravel_index(diff.argmax(), diff.shape)) if diff.dim() else ()
        bad = diff > bound
        n_bad, n = int(bad.sum()), bad.numel()
        detail = f"{n_bad} of {n} entries differ by more than the tolerance"
        return Failure(WRONG_VALUES, detail, want, got, err, bound, at, bad), err, bound
    return None, err, bound


def _where_raised(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    last = frames[-1]
    return f" (at {os.path.basename(last.filename)}:{last.lineno})"


def _dtype(t: torch.Tensor) -> str:
    return str(t.dtype).removeprefix("torch.")


# ── the search ─────────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class ConformResult:
    claim: str
    signature: str
    target: str | None  # how the CLI names the callable; None when it cannot be imported by name
    ok: bool
    examples: int
    seed: int
    max_examples: int
    tolerance: str
    worst_error: float = 0.0  # passing cases: the largest error seen, and its case's bound
    worst_bound: float = math.nan
    inputs: dict[str, Any] | None = None  # the shrunk counterexample
    failure: Failure | None = None
    where: tuple[str, ...] = ()  # locator labels that hold over every failing case seen
    failing_cases: int = 0
    note: str = ""

    def rerun(self) -> str:
        opts = f" --seed {self.seed}"
        if self.max_examples != DEFAULT_MAX_EXAMPLES:
            opts += f" --max-examples {self.max_examples}"
        if self.target is None:
            return f"assert_conforms({self.claim!r}, fn, seed={self.seed}, max_examples={self.max_examples})"
        return f"{dlproofs_command()} conform {self.claim} {_shell_quote(self.target)}{opts}"

    def summary(self) -> str:
        """The one line for a pass."""
        ratio = self.worst_error / self.worst_bound if self.worst_bound and math.isfinite(self.worst_bound) else 0.0
        return (
            f"{self.claim}: {self.target or 'fn'} conforms on {self.examples} examples "
            f"(seed {self.seed}; closest case: error {self.worst_error:.3g} = {ratio:.2g} of its tolerance)"
        )

    def report(self) -> str:
        if self.ok:
            return self.summary()
        f = self.failure
        assert f is not None and self.inputs is not None
        lines = [
            f"{self.claim}: {self.target or 'fn'} does not conform: {f.kind}",
            f"  contract:  {self.signature}",
            f"  found at example {self.examples} (seed {self.seed}), then shrunk to:",
        ]
        width = max(len(k) for k in self.inputs)
        for name, value in self.inputs.items():
            lines.append(f"    {name.ljust(width)} = {_show(value)}")
        lines.append(f"  problem:   {f.detail}")
        if f.kind in (WRONG_VALUES, NON_FINITE):
            lines.append(f"  expected:  {_show(f.expected)}")
            lines.append(f"  got:       {_show(f.got)}")
            at = list(f.at) if f.at is not None else []
            lines.append(
                f"  largest error {f.error:.3g} at {at} (expected {f.expected[f.at].item()!r}, "
                f"got {f.got[f.at].item()!r}); tolerance {f.bound:.3g}"
            )
        elif f.kind in (WRONG_SHAPE, WRONG_DTYPE):
            lines.append(f"  expected:  {_show(f.expected)}")
            lines.append(f"  got:       {_show(f.got)}")
        else:
            lines.append(f"  expected:  {_show(f.expected)}")
        lines.append(f"  tolerance: {self.tolerance}")
        for label in self.where:
            lines.append(f"  where:     {label} (in all {self.failing_cases} failing cases seen)")
        if self.note:
            lines.append(f"  note:      {self.note}")
        lines.append(f"  re-run:    {self.rerun()}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "claim": self.claim,
            "target": self.target,
            "signature": self.signature,
            "conforms": self.ok,
            "examples": self.examples,
            "seed": self.seed,
            "max_examples": self.max_examples,
            "tolerance": self.tolerance,
            "rerun": self.rerun(),
        }
        if self.ok:
            out["largest_error"] = _num(self.worst_error)
            out["its_bound"] = _num(self.worst_bound)
            out["counterexample"] = None
        else:
            f = self.failure
            assert f is not None and self.inputs is not None
            out["counterexample"] = {
                "kind": f.kind,
                "detail": f.detail,
                "inputs": {k: _jsonable(v) for k, v in self.inputs.items()},
                "expected": _jsonable(f.expected),
                "got": _jsonable(f.got),
                "largest_error": _num(f.error),
                "bound": _num(f.bound),
                "at": list(f.at) if f.at is not None else None,
                "where": list(self.where),
                "failing_cases": self.failing_cases,
                "note": self.note or None,
            }
        out["report"] = self.report()
        return out


def _shell_quote(s: str) -> str:
    import shlex

    return shlex.quote(s)


def _num(v: float) -> float | str | None:
    if v is None:
        return None
    return v if math.isfinite(v) else ("NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity"))


def _jsonable(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        vals = value.tolist()
        return {"shape": list(value.shape), "dtype": _dtype(value), "values": _finite(vals)}
    if isinstance(value, float):
        return _num(value)
    if isinstance(value, (int, bool, str)) or value is None:
        return value
    return repr(value)


def _finite(v: Any) -> Any:
    if isinstance(v, list):
        return [_finite(x) for x in v]
    return _num(v) if isinstance(v, float) else v


def _show(value: Any, limit: int = 64) -> str:
    """A tensor as ``float64[2, 3] [[...]]`` with exact (round-tripping) values; scalars as repr."""
    if isinstance(value, torch.Tensor):
        head = f"{_dtype(value)}{list(value.shape)}"
        if value.numel() > limit:
            flat = value.detach().flatten()[:limit].tolist()
            return f"{head} (first {limit} of {value.numel()} values) {flat!r}"
        return f"{head} {value.detach().tolist()!r}"
    text = repr(value)
    return text if len(text) <= 300 else text[:300] + "..."


def conform(
    claim_id: str,
    fn: Callable[..., Any],
    *,
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    seed: int = DEFAULT_SEED,
    target: str | None = None,
) -> ConformResult:
    """Run ``fn`` against the contract of ``claim_id``; see the module docstring."""
    claim = contract_claim(claim_id)
    contract = claim.contract
    assert contract is not None
    if not callable(fn):
        raise ConformError(f"{fn!r} is a {type(fn).__name__}, not a callable; pass the function itself")
    if not isinstance(max_examples, int) or max_examples < 1:
        raise ConformError(f"max_examples must be a positive integer, got {max_examples!r}")
    if not isinstance(seed, int):
        raise ConformError(f"seed must be an integer, got {seed!r}")
    target = target if target is not None else describe_target(fn)

    case_level: list[tuple[bool, list[bool | None]]] = []  # (failed, value of each case-level locator)
    failing: list[tuple[dict[str, Any], Failure]] = []
    seen = {"n": 0, "err": 0.0, "bound": math.nan, "ratio": -1.0}
    reference_failed: list[tuple[dict[str, Any], str]] = []

    @settings(
        parent=settings.get_profile("default"),  # not the caller's profile: verdicts must not depend on it
        max_examples=max_examples,
        derandomize=False,
        database=None,  # nothing is written to the user's directory
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.target, Phase.shrink],
        report_multiple_bugs=False,
        print_blob=False,
        verbosity=Verbosity.quiet,
    )
    @given(inputs=contract.inputs())
    def search(inputs: dict[str, Any]) -> None:
        seen["n"] += 1
        try:
            failure, err, bound = judge(contract, fn, inputs)
        except _ReferenceFailed as exc:
            reference_failed.append((inputs, str(exc)))
            raise
        case_level.append((failure is not None, _case_locators(contract, inputs)))
        if failure is not None:
            failing.append((inputs, failure))
            raise _Mismatch(failure.kind)
        ratio = err / bound if bound > 0 else 0.0
        if ratio > seen["ratio"]:
            seen.update(err=err, bound=bound, ratio=ratio)
        hyp_target(min(ratio, 1e300), label="error / tolerance")

    search = hyp_seed(seed)(search)
    note = ""
    try:
        search()
    except _Mismatch:
        pass
    except Exception as exc:  # Flaky and friends: the callable failed, then passed on replay
        if reference_failed:
            inputs, why = reference_failed[-1]
            raise ConformError(
                f"the reference of {claim_id} raised {why} on a drawn input; this is a bug in dlproofs' "
                "contract, not in your code: please report it"
            ) from exc
        if not failing:
            raise
        note = f"the failure did not reproduce on replay ({type(exc).__name__}): is the implementation deterministic?"

    common = dict(
        claim=claim.id,
        signature=contract.signature,
        target=target,
        examples=seen["n"],
        seed=seed,
        max_examples=max_examples,
        tolerance=contract.tolerance.describe(),
    )
    if not failing:
        return ConformResult(ok=True, worst_error=max(seen["err"], 0.0), worst_bound=seen["bound"], **common)
    inputs, failure = failing[-1]  # Hypothesis replays the shrunk case last
    first_fail = next(i for i, (failed, _) in enumerate(case_level) if failed)
    # Shrinking visits variants of one input; fresh inputs tell where the difference lives.
    _probe(contract, fn, seed, failing, case_level)
    return ConformResult(
        ok=False,
        inputs=inputs,
        failure=failure,
        where=_where(contract, failing, case_level),
        failing_cases=len(failing),
        note=note,
        **{**common, "examples": first_fail + 1},
    )


PROBE_EXAMPLES = 60  # fresh inputs drawn after a failure, only to judge the locators


def _probe(
    contract: Contract,
    fn: Callable[..., Any],
    seed: int,
    failing: list[tuple[dict[str, Any], Failure]],
    case_level: list[tuple[bool, list[bool | None]]],
) -> None:
    """Run ``fn`` on PROBE_EXAMPLES fresh inputs (no shrinking; a seed derived from ``seed``) and
    add what it sees to ``failing`` and ``case_level``; the verdict is already decided."""

    @settings(
        parent=settings.get_profile("default"),
        max_examples=PROBE_EXAMPLES,
        derandomize=False,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],
        print_blob=False,
        verbosity=Verbosity.quiet,
    )
    @given(inputs=contract.inputs())
    def probe(inputs: dict[str, Any]) -> None:
        try:
            failure, _, _ = judge(contract, fn, inputs)
        except _ReferenceFailed:
            return
        case_level.append((failure is not None, _case_locators(contract, inputs)))
        if failure is not None:
            failing.append((inputs, failure))

    hyp_seed(seed + 0x5EED)(probe)()


def _case_locators(contract: Contract, inputs: dict[str, Any]) -> list[bool | None]:
    """Each locator's value on this case if it is case-level (a plain bool), else None."""
    out: list[bool | None] = []
    for loc in contract.locators:
        try:
            value = loc.mask(inputs)
        except Exception:
            out.append(None)
            continue
        out.append(None if isinstance(value, torch.Tensor) else bool(value))
    return out


def _where(
    contract: Contract,
    failing: list[tuple[dict[str, Any], Failure]],
    case_level: list[tuple[bool, list[bool | None]]],
) -> tuple[str, ...]:
    """Locator labels that describe every failing case seen, and that something else does not.

    Entry-level: in every failing case every differing entry is inside the mask, and in some
    failing case an entry outside the mask agreed. Case-level: every failing case satisfies it,
    and some passing case did not.
    """
    labels = []
    candidates = []  # case-level locators every failing case satisfies and some passing case does not
    for idx in range(len(contract.locators)):
        values = [vals[idx] for _, vals in case_level]
        fails = [v for (failed, _), v in zip(case_level, values) if failed]
        passes = [v for (failed, _), v in zip(case_level, values) if not failed]
        if fails and all(v is True for v in fails) and any(v is False for v in passes):
            candidates.append(idx)
    # Every candidate is a necessary condition of the failures seen ("only when"), and it separates
    # them from some passing case; several can hold at once (d_v != d_k and m > 1 for a √d_v bug).
    case_ok = set(candidates)
    for idx, loc in enumerate(contract.locators):
        if any(vals[idx] is not None for _, vals in case_level):
            if idx in case_ok:
                labels.append(loc.label)
            continue
        inside_all, informative, judged = True, False, False
        for inputs, f in failing:
            if f.bad is None:
                continue
            try:
                mask = loc.mask(inputs)
                mask = torch.as_tensor(mask, dtype=torch.bool).expand_as(f.bad)
            except Exception:
                inside_all = False
                break
            judged = True
            if (f.bad & ~mask).any():
                inside_all = False
                break
            informative = informative or bool((~mask).any())
        if judged and inside_all and informative:
            labels.append(loc.label)
    return tuple(labels)


def dumps(result: ConformResult) -> str:
    """Strict JSON (non-finite numbers are spelled as strings), versioned by its first key:
    ``"schema": "dlproofs.conform/1"`` is described by dlproofs/schemas/conform-1.json, so a CI
    script can tell which shape it reads; a removed, renamed or retyped key bumps the version."""
    return json.dumps(
        {"schema": "dlproofs.conform/1", **result.to_json()}, ensure_ascii=False, indent=2, allow_nan=False
    )
