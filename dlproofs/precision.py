"""Precision modes of ``dlproofs conform``: ``--dtype``, ``--eps``, ``--device`` (issue 12).

``--dtype float32|bfloat16|float16``: the contract's float64 inputs are rounded to the dtype and
given to the target, which must return that dtype. The reference is evaluated in float64 on the
*rounded* inputs (cast down, then up), so the tolerance only has to cover the target's own
arithmetic and the rounding of its output. The bound is derived, not picked: the contract's
:class:`~dlproofs.numeric.Tolerance` is already an error analysis in units of machine epsilon,
scaled by the case's conditioning (``ulps × eps × scale(case)``); here it is taken at the target
dtype's epsilon (``torch.finfo``), plus half an ulp of the dtype at |reference| per entry (the
final rounding of a result no computation in that dtype can avoid):

    bound_i = ulps · eps(dtype) · scale(case) + ½ ulp_dtype(|reference_i| + ulps · eps(dtype) · scale(case))

At low precision that bound can exceed the output itself (bfloat16's eps is 2⁻⁷): then zeros, a
constant or a copy of an input would pass. So every case is also judged *informative* or not:
informative when no constant and no same-shaped input fits inside the bound. A contract none of
whose drawn cases is informative in a mode is refused in that mode (exit 2, the observed bound
against the output's spread), and a pass needs at least one informative case among those searched
(else exit 2 too): a wrong output can pass only cases that could not tell it from the right one,
never a whole run. A case whose inputs overflow the dtype, or where the contract's own reference run
in the dtype overflows (float16's 65504), is outside the dtype's range and is not drawn.

``--eps VALUE`` fixes the contract's ``eps`` input (for code with ε hard-coded, nanoGPT's 1e-5):
a convention, reported as such. ``--device cuda|cpu`` moves a function target's inputs to the
device and its outputs back; without CUDA, ``--device cuda`` is a one-line exit 2.
"""

from __future__ import annotations

import contextlib
import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch

from .contract import Contract
from .numeric import Tolerance

__all__ = ["DTYPES", "Precision", "setup", "input_names"]

DTYPES: dict[str, torch.dtype] = {
    "float64": torch.float64,
    "float32": torch.float32,
    "bfloat16": torch.bfloat16,
    "float16": torch.float16,
}
DEVICES = ("cpu", "cuda")
REFUSAL_DRAWS = 100  # derandomized draws (reference only, no target call) that decide whether a mode can check at all


def _name(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")


def parse_dtype(value: Any) -> torch.dtype:
    """torch.float32 or "float32" (also "fp32", "bf16", "fp16", "half"); anything else is a ConformError."""
    from .conform import ConformError

    if isinstance(value, torch.dtype) and value in DTYPES.values():
        return value
    aliases = {"fp64": "float64", "double": "float64", "fp32": "float32", "float": "float32", "bf16": "bfloat16"}
    aliases |= {"fp16": "float16", "half": "float16"}
    if isinstance(value, str):
        key = value.removeprefix("torch.")
        key = aliases.get(key, key)
        if key in DTYPES:
            return DTYPES[key]
    raise ConformError(f"dtype must be one of {', '.join(DTYPES)} (or torch.float32 etc.), got {value!r}")


def input_names(signature: str) -> list[str]:
    """The parameter names of a contract signature ``fn(x[N, C], gamma[C], eps) -> ...``."""
    inner = signature.split("(", 1)[1].split(") ->", 1)[0]
    depth, parts, cur = 0, [], ""
    for ch in inner:
        depth += ch == "["
        depth -= ch == "]"
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [m.group(0) for p in parts if (m := re.match(r"[A-Za-z_]\w*", p.strip()))]


def _round_scalar(value: float, dtype: torch.dtype) -> float:
    return float(torch.tensor(value, dtype=torch.float64).to(dtype).to(torch.float64))


def _cast(inputs: dict[str, Any], dtype: torch.dtype) -> dict[str, Any]:
    """Floating tensors to ``dtype``; Python floats rounded to the nearest ``dtype`` value (kept as float)."""
    out: dict[str, Any] = {}
    for k, v in inputs.items():
        if isinstance(v, torch.Tensor) and v.is_floating_point():
            out[k] = v.to(dtype)
        elif isinstance(v, float):
            out[k] = _round_scalar(v, dtype)
        else:
            out[k] = v
    return out


def upcast(inputs: dict[str, Any]) -> dict[str, Any]:
    """The rounded inputs back in float64 (exactly: every low-precision value is a float64 value)."""
    return {
        k: v.to(torch.float64) if isinstance(v, torch.Tensor) and v.is_floating_point() else v
        for k, v in inputs.items()
    }


def _representable(original: dict[str, Any], cast: dict[str, Any]) -> bool:
    """No finite input overflowed the dtype and no non-zero scalar (ε, lr, λ) underflowed to 0:
    such a case is outside what the dtype can hold, not a test of the target's arithmetic."""
    for k, v in original.items():
        c = cast[k]
        if isinstance(v, torch.Tensor) and v.is_floating_point():
            if not bool((torch.isfinite(c) | ~torch.isfinite(v)).all()):
                return False
        elif isinstance(v, float) and (not math.isfinite(c) or (v != 0 and c == 0)):
            return False
    return True


def half_ulp(values: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """Half the spacing of ``dtype`` at |values| (float64 tensor in, float64 out): the largest error of
    rounding a real of that size to the dtype (subnormal spacing below the smallest normal)."""
    fi = torch.finfo(dtype)
    a = values.abs().clamp(min=fi.tiny)
    exponent = torch.floor(torch.log2(a))
    # log2 can be off by one ulp near a power of 2; correct so that 2**exponent <= a < 2**(exponent+1)
    exponent = torch.where(torch.exp2(exponent) > a, exponent - 1, exponent)
    exponent = torch.where(torch.exp2(exponent + 1) <= a, exponent + 1, exponent)
    return 0.5 * fi.eps * torch.exp2(exponent)


@dataclass(frozen=True)
class DerivedTolerance(Tolerance):
    """The contract's tolerance taken at ``dtype``'s epsilon, plus half an ulp of the output (see the module
    docstring); ``bound`` gives the largest entry's bound (the interface probe's torch/numpy agreement)."""

    dtype: torch.dtype = torch.float32

    def entry_bound(self, case64: dict[str, Any], want: torch.Tensor) -> torch.Tensor:
        analysis = 0.0 if self.is_exact else self.ulps * torch.finfo(self.dtype).eps * float(self.scale(case64))
        finite = torch.where(torch.isfinite(want), want, 0.0)
        return analysis + half_ulp(finite.abs() + analysis, self.dtype)

    def bound(self, case: dict[str, Any], dtype: torch.dtype) -> float:
        case64 = upcast(case)
        analysis = 0.0 if self.is_exact else self.ulps * torch.finfo(self.dtype).eps * float(self.scale(case64))
        return analysis

    def describe(self) -> str:
        d = _name(self.dtype)
        analysis = "0 (exact)" if self.is_exact else f"{self.ulps:g} × eps({d}) × scale(case)"
        return (
            f"{analysis} + ½ ulp({d}) of |reference| per entry, eps({d}) = {torch.finfo(self.dtype).eps:.3g}: the "
            f"contract's error analysis at {d}'s unit roundoff, plus the rounding of the output to {d}; the reference "
            f"is float64 on the inputs rounded to {d}; {self.reason}"
        )


@dataclass(frozen=True)
class PrecisionContract(Contract):
    """A contract in a precision mode: inputs drawn through the mode, ``reference`` rounded to the dtype (for the
    interface probe's dtype check); ``precision`` judges the search's cases (conform.judge dispatches to it)."""

    precision: Precision | None = field(default=None, compare=False)


@dataclass(eq=False)
class Precision:
    """One conform run's precision mode; counts the informative cases its judge sees."""

    claim: str
    base: Contract
    dtype: torch.dtype = torch.float64
    eps: float | None = None
    device: str | None = None
    informative: int = 0
    judged: int = 0
    contract: Contract = field(init=False)

    def __post_init__(self) -> None:
        base, dtype, eps = self.base, self.dtype, self.eps

        def inputs() -> Any:
            strategy = base.inputs()
            if eps is not None:
                strategy = strategy.map(lambda d: {**d, "eps": float(eps)})
            if dtype is torch.float64:
                return strategy
            pairs = strategy.map(lambda d: (d, _cast(d, dtype)))
            return pairs.filter(lambda p: _representable(*p) and self.in_range(p[1])).map(lambda p: p[1])

        if self.lowered:
            tol = base.tolerance
            derived = DerivedTolerance(tol.ulps, tol.reason, tol.scale, dtype=dtype)

            def reference(*args: Any) -> torch.Tensor:  # the interface probe's expectation: the dtype's value
                return base.reference(*[_up(a) for a in args]).to(dtype)

            self.contract = PrecisionContract(
                signature=base.signature,
                inputs=inputs,
                reference=reference,
                tolerance=derived,
                locators=base.locators,
                check=base.check,
                module=base.module,
                variants=base.variants,
                derived=base.derived,
                precision=self,
            )
        else:
            self.contract = Contract(
                signature=base.signature,
                inputs=inputs,
                reference=base.reference,
                tolerance=base.tolerance,
                locators=base.locators,
                check=base.check,
                module=base.module,
                variants=base.variants,
                derived=base.derived,
            )

    def in_range(self, cast: dict[str, Any]) -> bool:
        """The case is inside the dtype's range: the contract's own reference, run in the dtype, is finite
        wherever the float64 one is (no intermediate overflows, e.g. x @ wᵀ > 65504 in float16), and the float64
        result is representable. A case where the verified reference itself overflows is not drawn: no
        computation in the dtype can be held to it. (Cases where only the target overflows still are.)"""
        from . import conform as C

        try:
            with C._quiet():
                want = self.base.reference(*C._copy(upcast(cast))).detach().to(torch.float64)
                low = self.base.reference(*C._copy(cast)).detach()
        except Exception:
            return True  # the reference cannot run in the dtype (an op without a kernel): nothing to go by
        fin = torch.isfinite(want)
        if bool((want[fin].abs() > torch.finfo(self.dtype).max).any()):
            return False
        return bool(torch.isfinite(low)[fin].all())

    @property
    def lowered(self) -> bool:
        return self.dtype is not torch.float64

    # ── judging one case ──
    def informative_case(self, case64: dict[str, Any], want: torch.Tensor, bound: torch.Tensor) -> bool:
        """True when no constant and no input of the output's shape fits inside ``bound`` around ``want``:
        on this case zeros, a constant or a copy of an input would fail."""
        fin = torch.isfinite(want)
        if int(fin.sum()) < 2:
            return False
        lo, hi = (want - bound)[fin], (want + bound)[fin]
        if float(lo.max()) <= float(hi.min()):  # some constant lies within every entry's bound
            return False
        for v in case64.values():
            if isinstance(v, torch.Tensor) and v.shape == want.shape:
                if bool(((v - want).abs()[fin] <= bound[fin]).all()):
                    return False
        return True

    def judge(self, fn: Callable[..., Any], inputs: dict[str, Any]) -> tuple[Any, float, float]:
        """conform.judge in this mode: got (the dtype) against the float64 reference on the rounded inputs,
        entry by entry against the derived bound; returns (failure or None, error, bound) at the entry
        closest to (or furthest past) its bound."""
        from . import conform as C

        case64 = upcast(inputs)
        try:
            with C._quiet():
                want = self.base.reference(*C._copy(case64))
        except Exception as exc:
            raise C._ReferenceFailed(C._one_line(exc)) from exc
        want = want.detach().to(torch.float64)
        tol = self.contract.tolerance
        assert isinstance(tol, DerivedTolerance)
        bound_t = tol.entry_bound(case64, want)
        self.judged += 1
        if self.informative_case(case64, want, bound_t):
            self.informative += 1
        _steer(want, bound_t)
        top = float(bound_t.max()) if bound_t.numel() else 0.0
        try:
            with C._quiet():
                got = fn(*C._copy(inputs))
        except Exception as exc:
            return C.Failure(C.RAISED, f"raised {C._one_line(exc)}{C._where_raised(exc)}", want), math.inf, top
        if not isinstance(got, torch.Tensor):
            kind = type(got).__module__ + "." + type(got).__qualname__ if got is not None else "None"
            detail = f"returned {kind}, expected a torch.Tensor of dtype {_name(self.dtype)}"
            return C.Failure(C.WRONG_TYPE, detail, want, got), math.inf, top
        got = got.detach()
        if got.shape != want.shape:
            detail = f"returned shape {list(got.shape)}, expected {list(want.shape)}"
            return C.Failure(C.WRONG_SHAPE, detail, want, got), math.inf, top
        if got.dtype != self.dtype:
            detail = f"returned dtype {_name(got.dtype)}, expected {_name(self.dtype)} (--dtype: compute in the inputs' dtype)"
            return C.Failure(C.WRONG_DTYPE, detail, want, got), math.inf, top
        got = got.to(torch.float64)
        same_nonfinite = ~torch.isfinite(want) & ((want == got) | (torch.isnan(want) & torch.isnan(got)))
        diff = torch.where(same_nonfinite, 0.0, (got - want).abs())
        diff = torch.where(torch.isnan(diff), math.inf, diff)
        nonfinite = torch.isfinite(want) & ~torch.isfinite(got)
        if nonfinite.any():
            at = tuple(nonfinite.nonzero()[0].tolist())
            bad = nonfinite | (diff > bound_t)
            detail = f"returned {got[at].item()!r} at {list(at)} where the reference is {want[at].item()!r}"
            return C.Failure(C.NON_FINITE, detail, want, got, math.inf, float(bound_t[at]), at, bad), math.inf, top
        if not diff.numel():
            return None, 0.0, top
        ratio = diff / bound_t.clamp(min=torch.finfo(torch.float64).tiny)
        flat = int(ratio.argmax())
        at = tuple(int(i) for i in torch.unravel_index(torch.tensor(flat), diff.shape)) if diff.dim() else ()
        err, bound = float(diff.flatten()[flat]), float(bound_t.flatten()[flat])
        bad = diff > bound_t
        if bad.any():
            n_bad, n = int(bad.sum()), bad.numel()
            detail = f"{n_bad} of {n} entries differ by more than the derived {_name(self.dtype)} bound"
            return C.Failure(C.WRONG_VALUES, detail, want, got, err, bound, at, bad), err, bound
        return None, err, bound

    # ── before and after the search ──
    def refuse_if_vacuous(self) -> None:
        """Exit 2 when no case of REFUSAL_DRAWS derandomized draws can tell the right output from zeros, a
        constant or a copy of an input at this dtype's bound: such a run could only pass vacuously."""
        if not self.lowered:
            return
        from hypothesis import given

        from . import conform as C

        tol = self.contract.tolerance
        assert isinstance(tol, DerivedTolerance)
        drawn = {"n": 0}
        best: list[tuple[float, float, float]] = []  # (bound / spread, bound, spread) of the best case

        class Informative(Exception):
            pass

        @C._settings(REFUSAL_DRAWS, derandomize=True)
        @given(inputs=self.contract.inputs())
        def draw(inputs: dict[str, Any]) -> None:
            drawn["n"] += 1
            case64 = upcast(inputs)
            try:
                with C._quiet():
                    want = self.base.reference(*C._copy(case64)).detach().to(torch.float64)
            except Exception:
                return
            bound_t = tol.entry_bound(case64, want)
            if self.informative_case(case64, want, bound_t):
                raise Informative
            fin = torch.isfinite(want)
            if int(fin.sum()) >= 1:
                spread = float(want[fin].max() - want[fin].min())
                top = float(bound_t[fin].max())
                best.append((top / spread if spread > 0 else math.inf, top, spread))

        try:
            draw()
        except Informative:
            return
        except Exception:
            pass
        if not drawn["n"]:
            return  # the interface probe says that no input could be drawn
        low = min(best) if best else None
        from .conform import ConformError

        shown = f"best case: bound {low[1]:.3g} against an output spread of {low[2]:.3g}" if low else "no case ran"
        raise ConformError(
            f"{self.claim} cannot be checked meaningfully in {_name(self.dtype)}: on all {drawn['n']} drawn inputs the "
            f"derived bound ({tol.ulps:g} × eps({_name(self.dtype)}) × scale + ½ ulp) leaves room for zeros, a "
            f"constant or a copy of an input ({shown}); use a wider --dtype "
            f"({'float64, the default' if self.dtype is torch.float32 else 'float32'})"
        )

    def refuse_vacuous_pass(self, examples: int) -> None:
        """Exit 2 after a search that passed without one informative case: the pass would prove nothing."""
        if not self.lowered or self.informative > 0:
            return
        from .conform import ConformError

        raise ConformError(
            f"{self.claim} in {_name(self.dtype)}: none of the {examples} cases searched could tell the right output "
            f"from zeros, a constant or a copy of an input within the derived bound, so a pass would say nothing; "
            "run more examples (--max-examples), another --seed, or a wider --dtype"
        )

    def describe(self) -> dict[str, Any]:
        """The JSON record of the mode (ConformResult.precision)."""
        out: dict[str, Any] = {"dtype": _name(self.dtype), "eps": self.eps, "device": self.device}
        if self.lowered:
            tol = self.contract.tolerance
            out["bound"] = tol.describe()
            out["informative_cases"] = self.informative
            out["judged_cases"] = self.judged
        else:
            out["bound"] = None
            out["informative_cases"] = None
            out["judged_cases"] = None
        return out


def _steer(want: torch.Tensor, bound: torch.Tensor) -> None:
    """Point Hypothesis's targeting phase at cases whose output spread is large against the bound (the
    informative ones: rare in bfloat16), inside a search only; the verdict never depends on it."""
    from hypothesis import target
    from hypothesis.errors import InvalidArgument

    fin = torch.isfinite(want)
    if int(fin.sum()) < 2:
        return
    spread = float(want[fin].max() - want[fin].min())
    top = float(bound[fin].max())
    if spread > 0 and top > 0:
        with contextlib.suppress(InvalidArgument):  # called outside a search, or twice in one case
            target(max(-300.0, min(300.0, math.log10(spread / top))), label="precision: output spread / bound")


def _up(a: Any) -> Any:
    return a.to(torch.float64) if isinstance(a, torch.Tensor) and a.is_floating_point() else a


# ── what the report and the re-run line show ──
def report_lines(info: dict[str, Any] | None, *, bound: bool = False) -> list[str]:
    """The ``precision:`` lines of a report (empty in the default mode); ``bound``: also the derived bound
    (a pass's summary, where no tolerance line is printed)."""
    if not info:
        return []
    lines = [f"  bound:     {info['bound']}"] if bound and info.get("bound") else []
    if info["dtype"] != "float64":
        d = info["dtype"]
        lines.append(
            f"  precision: --dtype {d}: inputs rounded to {d}, the reference in float64 on the rounded inputs; "
            f"{info['informative_cases']} of {info['judged_cases']} cases judged could tell the right output from "
            "zeros, a constant or a copy of an input"
        )
    if info["eps"] is not None:
        lines.append(
            f"  precision: ε fixed at {info['eps']:g} (--eps): the implementation's own constant, a convention"
        )
    if info["device"] not in (None, "cpu"):
        lines.append(f"  precision: run on {info['device']} (inputs moved there, outputs moved back)")
    return lines


def options(info: dict[str, Any] | None, api: bool) -> list[str]:
    """The mode's options in the re-run line (CLI or API spelling)."""
    if not info:
        return []
    parts = []
    if info["dtype"] != "float64":
        parts.append(f"dtype={info['dtype']!r}" if api else f"--dtype {info['dtype']}")
    if info["eps"] is not None:
        parts.append(f"eps={info['eps']!r}" if api else f"--eps {info['eps']!r}")
    if info["device"] is not None:
        parts.append(f"device={info['device']!r}" if api else f"--device {info['device']}")
    return parts


# ── setting a mode up ──
def _contracts_with_eps() -> list[str]:
    from .conform import contract_claims

    return [c.id for c in contract_claims() if c.contract is not None and "eps" in input_names(c.contract.signature)]


def _device_wrapper(fn: Callable[..., Any], device: str) -> Callable[..., Any]:
    """``fn`` with its tensor arguments moved to ``device`` and its tensor outputs moved back to the CPU."""

    def back(out: Any) -> Any:
        if isinstance(out, torch.Tensor):
            return out.cpu()
        if isinstance(out, (tuple, list)):
            return type(out)(back(o) for o in out)
        return out

    @functools.wraps(fn)
    def on_device(*args: Any) -> Any:
        return back(fn(*[a.to(device) if isinstance(a, torch.Tensor) else a for a in args]))

    return on_device


def setup(
    claim_id: str,
    contract: Contract,
    fn: Any,
    *,
    dtype: Any = None,
    eps: float | None = None,
    device: str | None = None,
    arrays: str = "auto",
) -> tuple[Precision | None, Any]:
    """(the mode, or None when every option is at its default; the target, wrapped for ``device``).
    Every option that cannot apply is a one-line ConformError (exit 2)."""
    from .conform import ConformError

    dt = parse_dtype(dtype) if dtype is not None else torch.float64
    if dt is torch.float64 and eps is None and device is None:
        return None, fn  # the default mode, unchanged
    special = [name for name in ("outputs", "judge") if getattr(contract, name, None)]
    if special and (dt is not torch.float64 or device is not None):  # not analysed for them yet: refuse, never pass
        kind = "returns several tensors" if special[0] == "outputs" else "is judged statistically"
        raise ConformError(
            f"--dtype/--device: {claim_id} {kind} ({contract.signature}); precision modes are derived for "
            "single-output value contracts only, so run it in float64 on the CPU (the default)"
        )
    if eps is not None:
        if isinstance(eps, bool) or not isinstance(eps, (int, float)) or not (0 < eps < math.inf):
            raise ConformError(f"eps must be a positive number (the ε the implementation hard-codes), got {eps!r}")
        if "eps" not in input_names(contract.signature):
            raise ConformError(
                f"--eps: {claim_id} has no eps input ({contract.signature}); contracts with one: "
                f"{', '.join(_contracts_with_eps()) or 'none'}"
            )
        eps = float(eps)
    if device is not None:
        if device not in DEVICES:
            raise ConformError(f"device must be one of {', '.join(DEVICES)}, got {device!r}")
        if device == "cuda":
            if not torch.cuda.is_available():
                raise ConformError(
                    "--device cuda: no CUDA device here (torch.cuda.is_available() is False); run on a machine with "
                    "a GPU or drop --device"
                )
            if isinstance(fn, torch.nn.Module) or (isinstance(fn, type) and issubclass(fn, torch.nn.Module)):
                raise ConformError(
                    "--device cuda takes a function target; wrap the module in a function with the contract's "
                    f"signature, {contract.signature}, that builds it on the device"
                )
            if arrays == "numpy":
                raise ConformError("--device cuda: numpy arrays live on the CPU; drop --arrays numpy or --device")
            fn = _device_wrapper(fn, device)
    if dt is torch.bfloat16 and arrays == "numpy":
        raise ConformError("--dtype bfloat16: numpy has no bfloat16; use --dtype float32 or float16 for a numpy target")
    mode = Precision(claim_id, contract, dt, eps, device)
    mode.refuse_if_vacuous()
    return mode, fn
