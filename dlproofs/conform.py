"""Judge outside code: run someone's implementation against a claim's verified contract.

``dlproofs conform CLAIM TARGET`` and :func:`dlproofs.testing.assert_conforms` both call
:func:`conform`. It imports the callable (:func:`load_target`: a user's file is executed, never
written to: no ``__pycache__``, no Hypothesis database) and first calls it once on a small fixed
input (:func:`interface`): a call that cannot be right on any input (arity, a tuple without
``--output``, a numpy return from tensors, dtype, shape, a module that cannot be built) is an
:class:`InterfaceError`, exit 2, never a counterexample. The probe also decides how the target is
called: torch tensors, numpy arrays (a numpy target), jax arrays (a jax target, when jax is
installed: :mod:`dlproofs.jax_targets`), or an ``nn.Module`` built per case by the
contract's :class:`~dlproofs.module_targets.ModuleConvention`. Then it draws float64 inputs from
the contract's Hypothesis strategy, calls the callable and the reference on separate copies of them, and holds
the difference to the contract's :class:`~dlproofs.numeric.Tolerance`. The first failure is
shrunk by Hypothesis; the report gives the shrunk inputs, expected vs got, the largest error
against the tolerance, what kind of failure it is, where the difference lives (the contract's
:class:`~dlproofs.contract.Locator` s, judged over every failing case seen) and a re-run line;
when the shrunk case is degenerate (a size-1 axis, or NaN), also the smallest failing case seen
without either. A pass on fewer examples than asked says so, and why.

The search is a pure function of (claim, callable, max_examples, seed): the same seed gives the
same verdict and the same report, byte for byte.
"""

from __future__ import annotations

import contextlib
import copy
import difflib
import hashlib
import importlib
import importlib.util
import inspect
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

import numpy as np
import torch
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as hyp_seed
from hypothesis import target as hyp_target
from hypothesis.errors import Unsatisfiable
from hypothesis.statistics import collector as statistics_collector

from . import jax_targets as _jax  # jax: JAX targets (optional extra); the module imports jax only when called
from . import optim_targets
from . import outputs as _outputs  # multi-output contracts (Contract.outputs): the hooks marked "outputs"
from .claim import Claim
from .commands import dlproofs_command
from .contract import Contract
from .diagnose import Diagnosis, diagnose
from .errors import DlproofsError, UnknownClaimError
from .module_targets import ModuleConvention, convention_for, input_name, resolve_input

__all__ = [
    "DEFAULT_MAX_EXAMPLES",
    "DEFAULT_SEED",
    "ConformError",
    "InterfaceError",
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


class InterfaceError(ConformError):
    """TARGET cannot be called the way the contract calls it (found by the interface probe before
    the search: arity, return type, tuple, dtype, shape, module construction): exit 2, not a
    counterexample, since no input would make such a call right."""


def _settings(max_examples: int, *, derandomize: bool = False, phases=(Phase.generate,), **extra: Any) -> settings:
    """The settings of every search conform runs: the "default" profile as parent (not the caller's: verdicts must
    not depend on it), no example database (nothing is written to the user's directory), no deadline, no health
    check, quiet; ``phases`` and ``extra`` as the search needs."""
    return settings(
        parent=settings.get_profile("default"),
        max_examples=max_examples,
        derandomize=derandomize,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=list(phases),
        print_blob=False,
        verbosity=Verbosity.quiet,
        **extra,
    )


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
    output: str | None = None  # a multi-output contract: the name of the element this failure is about


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
    if contract.case_judge is not None:  # issue 12 precision modes: --dtype judges in dlproofs.precision
        return contract.case_judge.judge(fn, inputs)
    if contract.outputs:  # outputs: a tuple-returning contract, each element judged by this function
        return _outputs.judge(contract, fn, inputs, judge)
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


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_LIBRARY_DIRS = tuple(os.path.dirname(os.path.abspath(m.__file__)) for m in (torch, np))


def _where_raised(exc: BaseException) -> str:
    """`` (at file.py:line)``: the deepest frame in the user's code (not in dlproofs, torch or
    numpy), else the deepest frame outside dlproofs; empty when there is none."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not _inside(f.filename, (_PACKAGE_DIR,))]
    if not frames:
        return ""
    user = [f for f in frames if not _inside(f.filename, _LIBRARY_DIRS + _jax.library_dirs())]  # jax: its frames too
    last = (user or frames)[-1]
    return f" (at {os.path.basename(last.filename)}:{last.lineno})"


def _inside(filename: str, dirs: tuple[str, ...]) -> bool:
    path = os.path.abspath(filename)
    return any(path == d or path.startswith(d + os.sep) for d in dirs)


def _dtype(t: torch.Tensor) -> str:
    return str(t.dtype).removeprefix("torch.")


# ── the interface probe: one call on a small valid input before the search ─────────────────
INTERFACE_DRAWS = 30  # derandomized draws (no call of the target); the probe takes the smallest fitting one
PROBE_TRIES = 6  # a probe call that raises is retried on up to this many drawn inputs of other shapes
AGREEMENT_INPUTS = 5  # a target that runs on tensors and arrays alike is compared on this many of them
ARRAYS = ("auto", "torch", "numpy", "jax")  # jax: dlproofs/jax_targets.py


def _degenerate_inputs(inputs: dict[str, Any]) -> bool:
    """A size-1 axis in some input tensor of two or more axes (one sample, one feature): where
    statistics degenerate (a 1-D tensor of one entry is just a scalar for an elementwise contract)."""
    return any(isinstance(v, torch.Tensor) and v.dim() > 1 and min(v.shape) <= 1 for v in inputs.values())


def _roomy(inputs: dict[str, Any]) -> bool:
    """Every input tensor has an axis and at least two entries along each: shape mistakes show."""
    return all(v.dim() > 0 and min(v.shape) >= 2 for v in inputs.values() if isinstance(v, torch.Tensor))


def _size(inputs: dict[str, Any]) -> int:
    return sum(v.numel() for v in inputs.values() if isinstance(v, torch.Tensor))


def probe_input(strategy: Any) -> dict[str, Any]:
    """A fixed small valid input: the smallest fitting one of INTERFACE_DRAWS derandomized draws."""
    return probe_inputs(strategy)[0]


def probe_inputs(strategy: Any) -> list[dict[str, Any]]:
    """INTERFACE_DRAWS derandomized draws, best probe first: every axis >= 2, no degenerate axis,
    then smallest, then no constant tensor, then no zero entry."""
    drawn: list[dict[str, Any]] = []

    @_settings(INTERFACE_DRAWS, derandomize=True)
    @given(inputs=strategy)
    def draw(inputs: dict[str, Any]) -> None:
        drawn.append(inputs)

    with contextlib.suppress(Unsatisfiable):  # every draw filtered out: said below
        draw()
    if not drawn:
        raise ConformError(
            "no input of the contract could be drawn; for a module instance, its sizes must be ones the contract "
            "draws: pass the class instead"
        )

    def rank(d: dict[str, Any]) -> tuple[bool, bool, int, bool, bool]:
        tensors = [v for v in d.values() if isinstance(v, torch.Tensor)]
        lively = all(v.unique().numel() > 1 for v in tensors)
        nonzero = all(bool((v != 0).all()) for v in tensors)
        return (not _roomy(d), _degenerate_inputs(d), _size(d), not lively, not nonzero)

    return sorted(drawn, key=rank)


def _lively_first(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cases with no constant tensor and no zero entry first: where a torch and a numpy run that
    differ show it."""

    def dull(d: dict[str, Any]) -> tuple[bool, bool]:
        tensors = [v for v in d.values() if isinstance(v, torch.Tensor)]
        return (not all(v.unique().numel() > 1 for v in tensors), not all(bool((v != 0).all()) for v in tensors))

    return sorted(cases, key=dull)


def _kind(value: Any) -> str:
    """How a value looks in a one-line message: float64[3, 2] tensor, float32[3] ndarray, tuple of 2, dict."""
    if isinstance(value, torch.Tensor):
        return f"{_dtype(value)}{list(value.shape)} tensor"
    if isinstance(value, np.ndarray):
        return f"{value.dtype}{list(value.shape)} numpy.ndarray"
    if isinstance(value, (tuple, list)):
        return f"{type(value).__name__} ({', '.join(_kind(v) for v in value)})"
    if value is None:
        return "None"
    if isinstance(value, (int, float)):
        return f"{type(value).__name__} {value!r}"
    return f"{type(value).__module__}.{type(value).__qualname__}".removeprefix("builtins.")


def _name(fn: Any) -> str:
    return getattr(fn, "__qualname__", None) or type(fn).__qualname__


def _to_numpy(value: Any) -> Any:
    if isinstance(value, torch.Tensor) and not value.is_floating_point():  # softmax helper: int64 labels/positions stay
        return value.detach().numpy()  # integer (numpy indexing with them must keep working)
    if isinstance(value, torch.Tensor) and value.dtype in (torch.float32, torch.float16):  # --dtype keeps its dtype
        return value.detach().numpy()
    return value.detach().numpy().astype(np.float64) if isinstance(value, torch.Tensor) else value


@dataclass
class _ModuleTarget:
    """Builds and calls an nn.Module target on one case by its :class:`ModuleConvention`."""

    claim: str
    convention: ModuleConvention
    cls: type
    instance: torch.nn.Module | None
    weights: dict[str, str]  # parameter name -> input name
    accepted: frozenset[str] = frozenset()  # constructor keywords the class takes
    construct: Any = None  # issue 12 hook: a --build template (dlproofs/calling.py) instead of init_args
    invoke: Any = None  # issue 12 hook: a --call template instead of the convention's call
    dtype: torch.dtype = torch.float64  # --dtype: the module is built in the mode's dtype
    materialized: bool = False  # issue 12 hook: lazy parameters were given their shapes by one call (module_targets)

    def build(self, inputs: dict[str, Any]) -> torch.nn.Module:
        if self.instance is None and self.construct is not None:  # issue 12 hook: --build
            from .calling import build_object

            mod = build_object(self, inputs)
            if not isinstance(mod, torch.nn.Module):  # a plain class: --weights set attributes
                return mod
        elif self.instance is None:
            args, kwargs = self.convention.init_args(inputs)
            kwargs = {k: v for k, v in kwargs.items() if k in self.accepted}
            try:
                mod = self.cls(*args, **kwargs)
            except Exception as exc:
                shown = ", ".join([repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()])
                raise InterfaceError(
                    f"constructing {self.cls.__qualname__}({shown}) raised {_one_line(exc)}{_where_raised(exc)}; "
                    f"the {self.claim} convention builds {self.convention.describe}; give the class that "
                    "constructor, declare one with --build 'cls(...)', pass an instance (API), or wrap it in a function with "
                    "the contract's signature"
                ) from None
        else:
            mod = copy.deepcopy(self.instance)
        mod = mod.to(self.dtype)
        from .module_targets import materialize  # issue 12 hook: lazy modules (nn.LazyLinear) get their shapes

        self.materialized |= materialize(mod.train(self.convention.training), lambda m: self._forward(m, inputs))
        for attr, name in self.convention.attributes.items():
            if hasattr(mod, attr) and not callable(getattr(mod, attr)):
                setattr(mod, attr, inputs[name])
        params = dict(mod.named_parameters())
        self.check_parameters(params)
        with torch.no_grad():
            for pname, iname in self.weights.items():
                try:
                    value, param = resolve_input(inputs, iname), params[pname]  # iname may be a block: w_qkv[0/3]
                except ValueError as exc:
                    raise InterfaceError(f"--weights {pname}={exc}") from None
                if value.numel() != param.numel():
                    raise InterfaceError(
                        f"{self.cls.__qualname__}'s parameter {pname} has shape {list(param.shape)}, but {iname} "
                        f"has shape {list(value.shape)}; the {self.claim} convention builds "
                        f"{self.convention.describe}"
                    )
                param.copy_(value.reshape(param.shape))
        return mod.train(self.convention.training)

    def check_parameters(self, params: dict[str, torch.Tensor]) -> None:
        """The module's parameters must be exactly the mapped ones: else one line, expected vs found."""
        expected, found = set(self.weights), set(params)
        if expected == found:
            return
        missing = [p for p in self.weights if p not in found]
        extra = [p for p in params if p not in expected]
        shown = ", ".join(f"{p}{list(t.shape)}" for p, t in params.items()) or "none"
        wanted = ", ".join(f"{p} ← {i}" for p, i in self.weights.items())
        suggestion = ""
        if len(missing) == len(extra) and extra:
            pairs = ",".join(f"{e}={self.weights[m]}" for e, m in zip(extra, missing))
            suggestion = f"; if they hold the same values, map them: --weights {pairs}"
        raise InterfaceError(
            f"{self.cls.__qualname__} has parameters {shown}; the {self.claim} convention loads {wanted} "
            f"(missing: {', '.join(missing) or 'none'}; not loadable from the contract: {', '.join(extra) or 'none'})"
            f"{suggestion}{'; ' + self.convention.hint if self.convention.hint else ''}"
        )

    def __call__(self, inputs: dict[str, Any]) -> Any:
        return self._forward(self.build(inputs), inputs)

    def _forward(self, mod: Any, inputs: dict[str, Any]) -> Any:
        if self.invoke is not None:  # issue 12 hook: --call on the built object
            return self.invoke(mod, inputs)
        return self.convention.call(mod, inputs)


@dataclass
class _Call:
    """The target as the search calls it: the contract's inputs positionally in, one value out."""

    fn: Callable[..., Any]
    names: tuple[str, ...]
    numpy: bool = False
    output: int | None = None
    module: _ModuleTarget | None = None
    template: Any = None  # issue 12 hook: a --call template (dlproofs/calling.py), evaluated per case
    integers: bool = False  # Contract.integer_outputs: an integer/bool return is compared as float64
    jax: bool = False  # jax: inputs as jax arrays (x64 in float64 mode), jax.Array outputs as tensors

    def raw(self, *args: Any) -> Any:
        """What the target returns (inputs converted to arrays for a numpy or a jax target)."""
        out = self._raw(*args)
        if self.integers:
            from .calling import exact_integers

            return exact_integers(out)
        return out

    def _raw(self, *args: Any) -> Any:
        if self.jax and self.module is None:  # jax
            return _jax.call(self.fn, args, self.names, self.template)
        args = tuple(_to_numpy(a) for a in args) if self.numpy else args  # a plain class built by --build too
        if self.module is not None:
            return self.module(dict(zip(self.names, args)))
        if self.template is not None:
            return self.template(self.fn, dict(zip(self.names, args)))
        return self.fn(*args)

    def __call__(self, *args: Any) -> Any:
        out = self.raw(*args)
        if self.output is not None and isinstance(out, (tuple, list)) and -len(out) <= self.output < len(out):
            out = out[self.output]
        if self.jax:  # jax: a copy as torch tensors, element by element for a tuple
            return _jax.to_torch(out)
        if self.numpy and isinstance(out, (np.ndarray, np.generic)):
            out = torch.from_numpy(np.array(out))  # a copy; a NumPy scalar becomes a 0-d tensor
        return _outputs.to_tensors(out) if self.numpy else out  # outputs: a tuple of arrays


def _attempt(call: _Call, inputs: dict[str, Any]) -> tuple[Any, BaseException | None]:
    try:
        with _quiet():
            return call.raw(*_copy(inputs)), None
    except InterfaceError:
        raise
    except Exception as exc:
        return None, exc


_DICT_HINTS = ("not subscriptable", "has no attribute 'get'", "has no attribute 'items'", "has no attribute 'keys'")
_DICT_HINTS += ("has no attribute 'pop'", "has no attribute 'setdefault'")
_DTYPE_HINTS = ("scalar type", "dtype", "Double", "Float")


def _raise_hint(exc: BaseException, names: tuple[str, ...]) -> str:
    text = str(exc)
    if any(h in text for h in _DICT_HINTS) or "string indices" in text:
        last = names[-1] if names else "eps"
        example = ", ".join([*names[:-1], '{"' + last + '": ' + last + "}"])  # f(x, gamma, beta, {"eps": eps})
        return (
            "TARGET seems to read a dict (a parameter or config dict) where the contract passes a value; declare the "
            f"call, e.g. --call 'f({example})', "
            f"or wrap it: def adapter({', '.join(names)}): return target(..., {{...}})"
        )
    if any(h in text for h in _DTYPE_HINTS):
        return "the contract's tensors are float64: create parameters and intermediates with dtype=x.dtype"
    return "make TARGET run on this input, or wrap it in a function with the contract's signature"


def _called_as(inputs: dict[str, Any]) -> str:
    return "fn(" + ", ".join(f"{k}={_kind(v)}" for k, v in inputs.items()) + ")"


_FIX = "\x00"  # separates what was observed from how to fix it in _select's messages


def _select(out: Any, output: int | None, want: torch.Tensor) -> tuple[Any, str | None]:
    """The compared value of a return (``output`` picks a tuple element), or why there is none
    (observed, _FIX, how to fix it)."""
    if isinstance(want, _outputs.Outputs):  # outputs: the contract returns a tuple
        return _outputs.select(out, output, want, _FIX)
    if isinstance(out, (tuple, list)):
        if output is None:
            shaped = [i for i, v in enumerate(out) if hasattr(v, "shape") and list(v.shape) == list(want.shape)]
            pick = shaped[0] if shaped else 0
            return None, (
                f"returned a {_kind(out)} where the contract returns one tensor shaped {list(want.shape)}{_FIX}"
                f"pass --output {pick} (API: output={pick}) to compare element {pick}"
            )
        if not -len(out) <= output < len(out):
            return (
                None,
                f"returned a {_kind(out)}, which has no element {output}{_FIX}pass --output 0 to {len(out) - 1}",
            )
        return out[output], None
    if output is not None:
        return None, f"returned {_kind(out)}, not a tuple, but --output {output} was given{_FIX}drop --output"
    return out, None


def _split(problem: str) -> tuple[str, str]:
    """(observed, "; how to fix it" or "")."""
    observed, _, fix = problem.partition(_FIX)
    return observed, f"; {fix}" if fix else _output_fix(observed)


def _check_output(value: Any, want: torch.Tensor, numpy: bool) -> str | None:
    """Why the selected return is not the contract's output type, dtype and shape; None if it is."""
    if isinstance(want, _outputs.Outputs):  # outputs: every element, named
        return _outputs.check(value, want, numpy, _check_output)
    if numpy and isinstance(value, (np.ndarray, np.generic)):
        value = torch.from_numpy(np.array(value))
    if not isinstance(value, torch.Tensor):
        return f"returned {_kind(value)}, expected a {'numpy.ndarray' if numpy else 'torch.Tensor'}"
    if value.dtype != want.dtype:
        return f"returned dtype {_dtype(value)}, expected {_dtype(want)}"
    if value.shape != want.shape:
        return f"returned shape {list(value.shape)}, expected {list(want.shape)}"
    return None


def _output_fix(problem: str) -> str:
    """How to fix an output problem, appended to the message."""
    if problem.startswith("returned dtype"):
        wanted = problem.rpartition("expected ")[2]
        if wanted != "float64":  # issue 12 precision modes: --dtype float32 etc.
            fix = "compute in their dtype (no .float()/.double(), no tensors of another dtype)"
            return f"; --dtype {wanted} passes {wanted} inputs: {fix}"
        return "; compute in the inputs' dtype (float64: no .float(), no float32 parameters)"
    if problem.startswith("returned shape"):
        return "; keep the contract's output shape (keepdim, no squeeze, no transpose)"
    if "expected a torch.Tensor" in problem:
        return "; return the tensor itself (a tuple: pick one with --output N)"
    return ""


def interface(
    claim_id: str,
    contract: Contract,
    fn: Any,
    *,
    output: int | None = None,
    arrays: str = "auto",
    weights: dict[str, str] | None = None,
    call: str | None = None,
    build: str | None = None,
    fixed: tuple[str, ...] = (),
) -> tuple[_Call, Any, str]:
    """Check that ``fn`` can be called as the contract calls it, once, on :func:`probe_input`.
    ``fixed``: inputs the user fixed to the code's own value (``--eps``), so a module that cannot take
    them is expected to, and no note says its value may differ.

    Returns (the callable the search runs, the input strategy, what was adapted: a phrase for the
    report, empty for a plain function). Raises :class:`InterfaceError` (one line: observed,
    expected, how to fix it) on an arity error, a call that raises, a tuple return without
    ``output``, a non-tensor return, a wrong dtype or shape, a module that cannot be built.
    """
    if arrays not in ARRAYS:
        raise ConformError(f"arrays must be one of {', '.join(ARRAYS)}, got {arrays!r}")
    if arrays == "jax":  # jax: not installed is a one-line exit 2 naming the extra
        _jax.require()
    strategy = contract.inputs()
    candidates = probe_inputs(strategy)
    probe = candidates[0]
    names = tuple(probe)
    with _quiet():
        want = _outputs.detached(contract, contract.reference(*_copy(probe)))
    head = f"{_name(fn)} cannot be called as the {claim_id} contract calls it"
    expected = f"expected {contract.signature}"
    notes: list[str] = []
    from .calling import templates  # issue 12 hook: --call / --build templates, parsed before any call

    call_t, build_t = templates(call, build, names, fn, getattr(contract, "derived", ()))

    module_cls = fn if isinstance(fn, type) and issubclass(fn, torch.nn.Module) else None
    module_cls = fn if build_t is not None else module_cls  # issue 12 hook: --build builds any class
    instance = fn if isinstance(fn, torch.nn.Module) else None
    if module_cls is not None or instance is not None:
        convention = convention_for(claim_id, contract)
        cls = module_cls or type(instance)
        if convention is None and build_t is not None:  # issue 12 hook: --build declares the construction
            from .module_targets import declared_convention  # an nn.Module or a plain class alike

            convention = declared_convention(claim_id, contract.signature)
        if convention is None:
            from .module_targets import CONVENTIONS

            raise InterfaceError(
                f"{cls.__qualname__} is an nn.Module, but {claim_id} declares no module convention "
                f"(contracts with one: {', '.join(CONVENTIONS)}); pass a function with the contract's "
                f"signature, {contract.signature}, that builds and calls the module"
            )
        mapping = dict(weights) if weights else dict(convention.weights)
        unknown = [i for i in mapping.values() if input_name(i) not in names]  # w_qkv[0/3] reads w_qkv
        if unknown:
            raise InterfaceError(
                f"--weights maps to {', '.join(unknown)}, which the {claim_id} contract does not pass; "
                f"its inputs are {', '.join(names)}"
            )
        try:
            params = inspect.signature(cls).parameters.values()
            accepted = frozenset(p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)) | (
                frozenset(convention.init_args(probe)[1])
                if any(p.kind is p.VAR_KEYWORD for p in params)
                else frozenset()
            )
        except (TypeError, ValueError):
            accepted = frozenset(convention.init_args(probe)[1])
        accepted = frozenset(build_t.keywords) if build_t is not None else accepted  # issue 12 hook: --build
        floats = [v.dtype for v in probe.values() if isinstance(v, torch.Tensor) and v.is_floating_point()]
        mod_target = _ModuleTarget(
            claim_id, convention, cls, instance, mapping, accepted, build_t, call_t, (floats or [torch.float64])[0]
        )
        kind = f"module target: {cls.__qualname__}, " + (
            "an instance, copied per case" if instance is not None else "built per case"
        )
        if build_t is None and call_t is None:
            kind += f" ({convention.describe})"
        else:  # issue 12 hook: the templates replace the convention's constructor and call
            from .calling import describe_module

            kind += f" ({describe_module(mod_target)})"
        if weights and build_t is None and call_t is None:  # else describe_module names them
            kind += "; parameters loaded instead as " + ", ".join(f"{p} ← {i}" for p, i in mapping.items())
        if instance is not None:
            params_now = dict(instance.named_parameters())
            mod_target.check_parameters(params_now)
            sizes = {i: params_now[p].numel() for p, i in mapping.items()}
            strategy = strategy.filter(lambda inp: all(resolve_input(inp, i).numel() == n for i, n in sizes.items()))
            probe = probe_input(strategy)
            with _quiet():
                want = _outputs.detached(contract, contract.reference(*_copy(probe)))
            kind += (
                "; its sizes are fixed, so only cases with "
                + ", ".join(f"{i} of {n} entries" for i, n in sizes.items())
                + " are drawn"
            )
        else:
            hard = [
                a
                for a, i in convention.attributes.items()
                if a not in accepted
                and convention.attributes[a] not in fixed
                and not hasattr(_try_build(mod_target, probe), a)
            ]
            if hard:
                notes.append(
                    f"{cls.__qualname__} takes no {', '.join(hard)} (neither a constructor argument nor an attribute): "
                    "it uses its own value, so results can differ by that"
                )
        call = _Call(fn, names, output=output, module=mod_target, integers=contract.integer_outputs)
        got, exc = _attempt(call, probe)
        if build_t is not None and not issubclass(cls, torch.nn.Module):  # a plain class: numpy code is called
            from .calling import plain_arrays  # with arrays, like a numpy function target

            call, got, exc, kind = plain_arrays(call, got, exc, probe, arrays, kind)
        if exc is not None:
            raise InterfaceError(
                f"{head}: {kind.split(' (')[0]} raised {_one_line(exc)}{_where_raised(exc)} on "
                f"{_called_as(probe)}; {expected}; {_raise_hint(exc, names)}"
            )
        if mod_target.materialized:  # issue 12 hook: said in the report (module_targets.materialize)
            from .module_targets import MATERIALIZED

            notes.append(MATERIALIZED)
        return _finish(call, got, want, probe, head, expected, output, kind, notes, strategy)

    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        signature = None
    if call_t is not None:  # issue 12 hook: the template's arguments, not the contract's, must bind
        call_t.check_binds(fn, contract.signature)
        signature = None
    if signature is not None:
        try:
            signature.bind(*names)
        except TypeError as exc:
            raise InterfaceError(
                f"{head}: {_name(fn)}{signature} cannot take the contract's {len(names)} positional arguments "
                f"({', '.join(names)}): {exc}; {expected}; give TARGET these parameters in this order, declare how to "
                "call it with --call 'f(...)' (f is TARGET, the arguments the contract's inputs), or wrap it: "
                f"def adapter({', '.join(names)}): return {_name(fn)}(...)"
            ) from None

    as_torch = _Call(fn, names, output=output, template=call_t, integers=contract.integer_outputs)
    as_numpy = _Call(fn, names, numpy=True, output=output, template=call_t, integers=contract.integer_outputs)
    # A call that raises on the probe is tried on other sizes: raising on some valid inputs only
    # is a bug for the search to show (a counterexample), raising on every one is "could not run".
    shapes_seen: set[tuple[tuple[int, ...], ...]] = set()
    tries = []
    for case in candidates:
        key = tuple(tuple(v.shape) for v in case.values() if isinstance(v, torch.Tensor))
        if key not in shapes_seen and len(tries) < PROBE_TRIES:
            shapes_seen.add(key)
            tries.append(case)

    def first_run(call: _Call) -> tuple[dict[str, Any], Any, BaseException | None]:
        first: tuple[dict[str, Any], BaseException] | None = None
        for case in tries:
            out, exc = _attempt(call, case)
            if exc is None:
                return case, out, None
            first = first or (case, exc)
        assert first is not None
        return first[0], None, first[1]

    def want_on(case: dict[str, Any]) -> torch.Tensor:
        with _quiet():
            return _outputs.detached(contract, contract.reference(*_copy(case)))

    t_case, t_out, t_exc = first_run(as_torch) if arrays in ("auto", "torch") else (probe, None, None)
    n_case, n_out, n_exc = first_run(as_numpy) if arrays in ("auto", "numpy") else (probe, None, None)

    def works(case: dict[str, Any], out: Any, exc: BaseException | None, numpy: bool) -> bool:
        if exc is not None:
            return False
        expect = want_on(case)
        value, problem = _select(out, output, expect)
        return (
            problem is None and _check_output(value, expect, numpy) is None and (not numpy or _outputs.is_array(value))
        )

    torch_ok = arrays in ("auto", "torch") and works(t_case, t_out, t_exc, False)
    numpy_ok = arrays in ("auto", "numpy") and works(n_case, n_out, n_exc, True)
    if torch_ok and numpy_ok:  # duck-typed: the two must agree (x.var() is unbiased in torch, biased in numpy)
        for case in [probe, *_lively_first(candidates)[:AGREEMENT_INPUTS]]:
            (t_case, t_err), (n_case, n_err) = _attempt(as_torch, case), _attempt(as_numpy, case)
            if t_err is not None or n_err is not None:
                continue
            try:
                a, b = _selected_tensor(t_case, output, False), _selected_tensor(n_case, output, True)
            except Exception:
                continue
            bound = contract.tolerance.bound(case, torch.float64)
            if a.shape == b.shape and not torch.allclose(a, b, rtol=0, atol=bound, equal_nan=True):
                raise InterfaceError(
                    f"{_name(fn)} runs on both torch tensors and numpy arrays but gives different values "
                    f"(largest difference {float((a - b).abs().max()):.3g} on {_called_as(case)}): say which it "
                    "is with --arrays torch or --arrays numpy (API: arrays=...)"
                )
    called = call_t.describe() if call_t is not None else ""  # issue 12 hook: the report says how
    if torch_ok:
        return as_torch, strategy, _phrase(output, t_out, called)
    if numpy_ok:
        numpy_kind = "numpy target (float64 arrays in, the returned array compared as a tensor)"
        return as_numpy, strategy, _phrase(output, n_out, "; ".join(filter(None, [numpy_kind, called])))
    # jax: asked for, or (auto) tried last when neither tensors nor numpy arrays work and jax is installed
    if arrays == "jax" or (arrays == "auto" and _jax.available()):
        as_jax = _Call(fn, names, output=output, template=call_t, jax=True)
        j_case, j_out, j_exc = first_run(as_jax)
        ran = j_exc is None and _jax.contains_jax(j_out)  # it returned jax arrays: its problem is the one to report
        if ran and works(j_case, _jax.to_torch(j_out), None, False):
            return as_jax, strategy, _phrase(output, j_out, "; ".join(filter(None, [_jax.describe(j_case), called])))
        if ran or arrays == "jax":
            raise _jax.refusal(head, expected, output, j_case, j_out, j_exc, want_on(j_case), names)

    # neither works: report the torch call (the contract's own types), with the numpy attempt as a hint
    # (issue 12: unless only the numpy call ran: what it returned is the problem to fix, e.g. a tuple)
    numpy_only = arrays == "auto" and t_exc is not None and n_exc is None
    if arrays == "numpy" or numpy_only:
        probe, out, exc, numpy = n_case, n_out, n_exc, True
    else:
        probe, out, exc, numpy = t_case, t_out, t_exc, False
    want = want_on(probe)
    also = ""
    if numpy_only:
        also = f" (given numpy arrays; with torch tensors instead: raised {_one_line(t_exc)})"
    elif arrays == "auto":
        if n_exc is not None:
            also = f" (with numpy arrays instead: raised {_one_line(n_exc)})"
        else:
            also = f" (with numpy arrays instead: returned {_kind(n_out)})"
    if exc is not None:
        raise InterfaceError(
            f"{head}: raised {_one_line(exc)}{_where_raised(exc)} on {_called_as(probe)}{also}; {expected}; "
            f"{_raise_hint(exc, names)}"
        )
    value, problem = _select(out, output, want)
    if problem is None:
        problem = _check_output(value, want, numpy)
        if isinstance(value, (np.ndarray, np.generic)) and not numpy:
            problem = (
                f"returned {_kind(value)} when given torch tensors{_FIX}take and return torch tensors, or numpy "
                "arrays throughout (then it runs as a numpy target)"
            )
    if not numpy and not isinstance(value, (np.ndarray, np.generic)):
        also = ""  # the tensor call returned something else: what the array call did is noise
    observed, fix = _split(problem)
    raise InterfaceError(f"{head}: {observed} on {_called_as(probe)}{also}; {expected}{fix}")


def _try_build(target: _ModuleTarget, inputs: dict[str, Any]) -> Any:
    try:
        with _quiet():
            return target.build(inputs)
    except Exception:
        return None


def _selected_tensor(out: Any, output: int | None, numpy: bool) -> torch.Tensor:
    if output is None and isinstance(out, (tuple, list)):  # outputs: all elements, concatenated
        return _outputs.flat(out, numpy)
    value, _ = _select(out, output, torch.empty(0))
    return torch.from_numpy(np.array(value)) if numpy else value.detach()


def _phrase(output: int | None, out: Any, kind: str) -> str:
    parts = [kind] if kind else []
    if output is not None:
        parts.append(f"compared element {output} of the returned {_kind(out)}")
    return "; ".join(parts)


def _finish(
    call: _Call,
    got: Any,
    want: torch.Tensor,
    probe: dict[str, Any],
    head: str,
    expected: str,
    output: int | None,
    kind: str,
    notes: list[str],
    strategy: Any,
) -> tuple[_Call, Any, str]:
    value, problem = _select(got, output, want)
    if problem is None:
        problem = _check_output(value, want, False)
    if problem is not None:
        observed, fix = _split(problem)
        raise InterfaceError(f"{head}: {observed} on {_called_as(probe)}; {expected}{fix}")
    return call, strategy, "; ".join([_phrase(output, got, kind), *notes])


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
    adapted: str = ""  # how the target was called: numpy target, module built by convention, tuple element
    output: int | None = None  # the options that shape the call, repeated in the re-run line
    arrays: str = "auto"
    weights: dict[str, str] | None = None
    call: str | None = None  # issue 12: the --call / --build templates (dlproofs/calling.py)
    build: str | None = None
    layout: str | None = None  # issue 12: --layout and --option (dlproofs/layouts.py)
    options: dict[str, Any] | None = None
    short: str = ""  # a pass on fewer examples than asked: how many ran, and why
    # failing on a degenerate shrunk case: the smallest non-degenerate failing case, or how many
    # non-degenerate inputs were tried without one; None when the shrunk case was not degenerate
    nondegenerate: tuple[dict[str, Any], Failure] | int | None = None
    diagnosis: Diagnosis | None = None  # issue 12: the known mistake the failing outputs match (dlproofs/diagnose.py)
    precision: dict[str, Any] | None = None  # --dtype/--eps/--device: dlproofs.precision.Precision.describe()

    def _call_options(self, api: bool) -> str:
        parts = []
        if self.output is not None:
            parts.append(f"output={self.output}" if api else f"--output {self.output}")
        if self.arrays != "auto":
            parts.append(f"arrays={self.arrays!r}" if api else f"--arrays {self.arrays}")
        if self.weights:
            parts.append(f"weights={self.weights!r}" if api else f"--weights {cli_pairs(self.weights)}")
        for name in ("build", "call"):  # issue 12: templates, shell-quoted so the line pastes
            text = getattr(self, name)
            if text is not None:
                parts.append(f"{name}={text!r}" if api else f"--{name} {_shell_quote(text)}")
        if self.layout is not None:
            parts.append(f"layout={self.layout!r}" if api else f"--layout {_shell_quote(self.layout)}")
        if self.options:
            parts.append(f"options={self.options!r}" if api else f"--option {_shell_quote(cli_pairs(self.options))}")

        from .precision import options as precision_options

        parts += precision_options(self.precision, api)
        return "".join((", " if api else " ") + p for p in parts)

    def rerun(self) -> str:
        opts = f" --seed {self.seed}"
        if self.max_examples != DEFAULT_MAX_EXAMPLES:
            opts += f" --max-examples {self.max_examples}"
        if self.target is None:
            return (
                f"assert_conforms({self.claim!r}, fn, seed={self.seed}, max_examples={self.max_examples}"
                f"{self._call_options(True)})"
            )
        return f"{dlproofs_command()} conform {self.claim} {_shell_quote(self.target)}{opts}{self._call_options(False)}"

    def summary(self) -> str:
        """The one line for a pass (plus a line for how the target was called, or a short run)."""
        ratio = self.worst_error / self.worst_bound if self.worst_bound and math.isfinite(self.worst_bound) else 0.0
        line = (
            f"{self.claim}: {self.target or 'fn'} conforms on {self.examples} examples "
            f"(seed {self.seed}; closest case: error {self.worst_error:.3g} = {ratio:.2g} of its tolerance)"
        )
        if self.adapted:
            line += f"\n  target:    {self.adapted}"
        if self.short:
            line += f"\n  note:      {self.short}"
        from .precision import report_lines

        for extra in report_lines(self.precision, bound=True):
            line += "\n" + extra
        return line

    def report(self) -> str:
        if self.ok:
            return self.summary()
        f = self.failure
        assert f is not None and self.inputs is not None
        lines = [
            f"{self.claim}: {self.target or 'fn'} does not conform: {f.kind}",
            f"  contract:  {self.signature}",
        ]
        if self.adapted:
            lines.append(f"  target:    {self.adapted}")
        lines.append(f"  found at example {self.examples} (seed {self.seed}), then shrunk to:")
        lines += _case_lines(self.inputs, f)
        lines.append(f"  tolerance: {self.tolerance}")
        from .precision import report_lines

        lines += report_lines(self.precision)
        for label in self.where:
            lines.append(f"  where:     {label} (in all {self.failing_cases} failing cases seen)")
        if isinstance(self.nondegenerate, tuple):
            other_inputs, other = self.nondegenerate
            lines.append(
                "  the shrunk case is degenerate (a size-1 axis, or NaN); the smallest failing case seen without either:"
            )
            lines += _case_lines(other_inputs, other)
        elif isinstance(self.nondegenerate, int):
            lines.append(
                f"  the shrunk case is degenerate (a size-1 axis, or NaN); no failure in {self.nondegenerate} "
                "inputs without either: the difference shows only in degenerate cases"
            )
        if self.diagnosis is not None:  # issue 12, diagnoses
            lines.append(f"  diagnosis: {self.diagnosis.line()}")
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
            "adapted": self.adapted or None,
            "output": self.output,
            "call": self.call,
            "build": self.build,
            "layout": self.layout,
            "options": self.options,
        }
        if self.precision is not None:  # optional in schema conform/1 (issue 12 precision modes)
            out["precision"] = self.precision
        if self.ok:
            out["largest_error"] = _num(self.worst_error)
            out["its_bound"] = _num(self.worst_bound)
            out["fewer_examples"] = self.short or None
            out["counterexample"] = None
        else:
            f = self.failure
            assert f is not None and self.inputs is not None
            out["counterexample"] = {
                **_failure_json(self.inputs, f),
                "where": list(self.where),
                "failing_cases": self.failing_cases,
                "note": self.note or None,
            }
            if isinstance(self.nondegenerate, tuple):
                out["counterexample"]["nondegenerate"] = _failure_json(*self.nondegenerate)
            elif isinstance(self.nondegenerate, int):
                out["counterexample"]["nondegenerate"] = {"found": None, "tried": self.nondegenerate}
        out["diagnosis"] = self.diagnosis.to_json() if self.diagnosis is not None else None  # issue 12, diagnoses
        out["report"] = self.report()
        return out


def _case_lines(inputs: dict[str, Any], f: Failure) -> list[str]:
    """The inputs of one failing case, then what went wrong on it."""
    width = max(len(k) for k in inputs)
    lines = [f"    {name.ljust(width)} = {_show(value)}" for name, value in inputs.items()]
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
    return lines


def _failure_json(inputs: dict[str, Any], f: Failure) -> dict[str, Any]:
    return {
        "kind": f.kind,
        "detail": f.detail,
        "inputs": {k: _jsonable(v) for k, v in inputs.items()},
        "expected": _jsonable(f.expected),
        "got": _jsonable(f.got),
        "largest_error": _num(f.error),
        "bound": _num(f.bound),
        "at": list(f.at) if f.at is not None else None,
    }


def cli_pairs(mapping: dict[str, Any]) -> str:
    """``--weights``/``--option`` text for a mapping, as the CLI parses it back: ``a=1,causal=true,mask=none``."""
    return ",".join(f"{k}={str(v).lower() if isinstance(v, bool) or v is None else v}" for k, v in mapping.items())


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
    output: int | None = None,
    arrays: str = "auto",
    weights: dict[str, str] | None = None,
    call: str | None = None,
    build: str | None = None,
    layout: str | None = None,
    options: dict[str, Any] | None = None,
    dtype: Any = None,
    eps: float | None = None,
    device: str | None = None,
) -> ConformResult:
    """Run ``fn`` against the contract of ``claim_id``; see the module docstring.

    ``fn`` is a function (torch tensors or, detected by the interface probe, numpy or jax arrays),
    an ``nn.Module`` class or instance (built by the contract's :class:`ModuleConvention`;
    ``weights`` maps other parameter names to the contract's inputs). ``output`` picks the element
    of a returned tuple that is compared; ``arrays`` forces "torch", "numpy" or "jax" calls (jax:
    :mod:`dlproofs.jax_targets`, tried last under "auto" when jax is installed). ``call`` and
    ``build`` are templates (:mod:`dlproofs.calling`): how to call ``fn``, and how to construct a class
    ``fn``, when that is not the contract's way. ``dtype`` (torch.float32 or "float32", "bfloat16",
    "float16"), ``eps`` (a fixed ε) and ``device`` ("cuda", "cpu") are the precision modes of
    :mod:`dlproofs.precision`.
    """
    claim = contract_claim(claim_id)
    contract = claim.contract
    assert contract is not None
    if layout is not None or options:  # issue 12: another declared layout / contract options (dlproofs/layouts.py)
        from .layouts import adapt

        contract = adapt(claim.id, contract, layout=layout, options=options)
    # issue 12 (optim helper): an optimizer class is stepped by the contract's declared convention (optim_targets.py)
    given_fn, (fn, how) = fn, optim_targets.adapt(contract, fn, InterfaceError, build)
    build_for_interface = None if optim_targets.takes_build(contract, given_fn) else build  # --build of an optimizer
    if not callable(fn):
        raise ConformError(f"{fn!r} is a {type(fn).__name__}, not a callable; pass the function itself")
    if not isinstance(max_examples, int) or max_examples < 1:
        raise ConformError(f"max_examples must be a positive integer, got {max_examples!r}")
    if not isinstance(seed, int):
        raise ConformError(f"seed must be an integer, got {seed!r}")
    if output is not None and not isinstance(output, int):
        raise ConformError(f"output must be an integer (the index of the returned tuple's element), got {output!r}")
    target = target if target is not None else describe_target(given_fn)
    from .precision import setup as precision_setup  # issue 12 precision modes: --dtype, --eps, --device

    mode, fn = precision_setup(claim.id, contract, fn, dtype=dtype, eps=eps, device=device, arrays=arrays)
    contract = mode.contract if mode is not None else contract
    call_, build_ = call, build
    try:
        call, strategy, adapted = interface(
            claim.id,
            contract,
            fn,
            output=output,
            arrays=arrays,
            weights=weights,
            call=call_,
            build=build_for_interface,
            fixed=("eps",) if eps is not None else (),
        )
    except InterfaceError as exc:  # name the layout the target was called in
        raise InterfaceError(f"{exc} (called in layout {layout})") if layout else exc from None
    if call.jax and device not in (None, "cpu"):  # jax: JAX places arrays itself; "run on cuda" would be untrue
        raise ConformError(_jax.DEVICE_REFUSAL.format(device=device))
    adapted = "; ".join(part for part in (f"layout {layout}" if layout else "", how, adapted) if part)
    if contract.judge is not None:  # issue 12 (optim helper): a statistical contract has its own judge (statistical.py)
        return contract.judge.conform(claim, call, seed=seed, max_examples=max_examples, target=target, adapted=adapted)

    case_level: list[tuple[bool, list[bool | None]]] = []  # (failed, value of each case-level locator)
    failing: list[tuple[dict[str, Any], Failure]] = []
    seen = {"n": 0, "err": 0.0, "bound": math.nan, "ratio": -1.0}
    reference_failed: list[tuple[dict[str, Any], str]] = []
    stats: list[dict[str, Any]] = []

    @_settings(
        max_examples, phases=(Phase.explicit, Phase.generate, Phase.target, Phase.shrink), report_multiple_bugs=False
    )
    @given(inputs=strategy)
    def search(inputs: dict[str, Any]) -> None:
        seen["n"] += 1
        try:
            failure, err, bound = judge(contract, call, inputs)
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
        with statistics_collector.with_value(stats.append):
            search()
    except _Mismatch:
        pass
    except Unsatisfiable:  # every draw filtered out: no example ran, said below
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
        adapted=adapted,
        output=output,
        arrays=arrays,
        weights=dict(weights) if weights else None,
        call=call_,
        build=build_,
        layout=layout,
        options=dict(options) if options else None,
    )
    if not failing and seen["n"] and mode is not None:  # a low-precision pass must have judged an informative case
        mode.refuse_vacuous_pass(seen["n"])
    common["precision"] = mode.describe() if mode is not None else None
    if not failing and seen["n"] == 0:  # a pass on no input would be hollow
        raise ConformError(
            f"no input of the {claim.id} contract could be drawn ({_short_run(0, max_examples, stats) or 'none'}); "
            "for a module instance, its sizes must be ones the contract draws: pass the class instead"
        )
    if not failing:
        return ConformResult(
            ok=True,
            worst_error=max(seen["err"], 0.0),
            worst_bound=seen["bound"],
            short=_short_run(seen["n"], max_examples, stats),
            **common,
        )
    inputs, failure = failing[-1]  # Hypothesis replays the shrunk case last
    first_fail = next(i for i, (failed, _) in enumerate(case_level) if failed)
    # Shrinking visits variants of one input; fresh inputs tell where the difference lives.
    searched = len(failing)  # issue 12, diagnoses: the probe's failing cases follow (a fixed seed: reproducible)
    _probe(contract, call, seed, failing, case_level, strategy)
    distinct = None
    if degenerate_failure(inputs, failure):
        distinct = _nondegenerate_failure(contract, call, seed, failing, strategy)
    # issue 12, diagnoses (dlproofs/diagnose.py): the shrunk case, the non-degenerate one and the probe's failing
    # cases (not the shrinker's path: how many cases it visits is not reproducible across processes)
    fitted = [(inputs, failure), *([distinct] if isinstance(distinct, tuple) else []), *failing[searched:]]
    diagnosis = diagnose(contract, fitted)
    return ConformResult(
        ok=False,
        inputs=inputs,
        failure=failure,
        where=_where(contract, failing, case_level),
        failing_cases=len(failing),
        note=note,
        nondegenerate=distinct,
        diagnosis=diagnosis,  # issue 12, diagnoses
        **{**common, "examples": first_fail + 1},
    )


def _short_run(ran: int, asked: int, stats: list[dict[str, Any]]) -> str:
    """Empty when the search ran every example asked for; else how many ran, and why if Hypothesis said."""
    if ran >= asked:
        return ""
    why = ""
    if stats:
        cases = stats[-1].get("generate-phase", {}).get("test-cases", [])
        rejected = sum(c.get("status") in ("invalid", "overrun") for c in cases)
        stopped = stats[-1].get("stopped-because", "")
        if "nothing left to do" in stopped:
            why = "the input space is exhausted: every distinct input the contract draws was tried"
        elif "assumptions" in stopped or rejected > ran:
            why = f"{rejected} draws were filtered out (a module instance's fixed sizes?), too many to reach {asked}"
        elif stopped:
            why = f"Hypothesis stopped because {stopped}"
    return f"ran {ran} of the {asked} examples asked for" + (f": {why}" if why else "")


def degenerate_failure(inputs: dict[str, Any], failure: Failure) -> bool:
    """A shrunk case that may hide the bug: a size-1 axis, or NaN (0/0) in the expected or got output."""
    if _degenerate_inputs(inputs):
        return True
    outs = [failure.expected, failure.got]
    return any(isinstance(t, torch.Tensor) and t.is_floating_point() and bool(torch.isnan(t).any()) for t in outs)


NONDEGENERATE_EXAMPLES = 200  # fresh draws searched when no failing case seen so far is non-degenerate


def _simplicity(inputs: dict[str, Any]) -> tuple[int, int]:
    """Order failing cases as a reader would: fewer entries, then fewer non-zero entries."""
    nonzero = sum(int(torch.count_nonzero(v)) for v in inputs.values() if isinstance(v, torch.Tensor))
    return _size(inputs), nonzero


def _nondegenerate_failure(
    contract: Contract,
    call: _Call,
    seed: int,
    failing: list[tuple[dict[str, Any], Failure]],
    strategy: Any,
) -> tuple[dict[str, Any], Failure] | int:
    """The smallest failing case with no size-1 axis and finite expected/got: among the failing
    cases already seen (the shrinker's path and the locator probe), else among up to
    NONDEGENERATE_EXAMPLES fresh draws; if there is none, how many non-degenerate inputs were tried.
    (A second shrink would be cleaner but costs more than the whole search.)"""
    seen = [(i, f) for i, f in failing if not degenerate_failure(i, f)]
    tried = {"n": 0}
    if not seen:

        @_settings(NONDEGENERATE_EXAMPLES)
        @given(inputs=strategy)
        def search(inputs: dict[str, Any]) -> None:
            if _degenerate_inputs(inputs):
                return
            tried["n"] += 1
            try:
                failure, _, _ = judge(contract, call, inputs)
            except _ReferenceFailed:
                return
            if failure is not None and not degenerate_failure(inputs, failure):
                seen.append((inputs, failure))

        hyp_seed(seed + 0xD15)(search)()
        tried["n"] += sum(not _degenerate_inputs(i) for i, _ in failing)
    if not seen:
        return tried["n"]
    return min(seen, key=lambda case: _simplicity(case[0]))


PROBE_EXAMPLES = 60  # fresh inputs drawn after a failure, only to judge the locators


def _probe(
    contract: Contract,
    fn: Callable[..., Any],
    seed: int,
    failing: list[tuple[dict[str, Any], Failure]],
    case_level: list[tuple[bool, list[bool | None]]],
    strategy: Any = None,
) -> None:
    """Run ``fn`` on PROBE_EXAMPLES fresh inputs (no shrinking; a seed derived from ``seed``) and
    add what it sees to ``failing`` and ``case_level``; the verdict is already decided."""

    @_settings(PROBE_EXAMPLES)
    @given(inputs=strategy if strategy is not None else contract.inputs())
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
