"""Diagnoses: when a target fails its contract, name the known mistake its outputs match.

``dlproofs conform`` passes the failing cases it keeps: the shrunk one, the smallest non-degenerate
one, and the failing cases of the locator probe (fresh draws from a seed derived from ``--seed``, so
the diagnosis is reproducible). :func:`diagnose` fits the target's outputs on those cases against, in
this order (the first level with a match wins):

1. the contract's declared :class:`~dlproofs.contract.Variant` s (known wrong formulas and
   conventions, each with its ``why``);
2. the planted wrong formulas of the cross-check the contract is derived from;
3. generic mistakes every contract can make: an input returned as is, zeros returned, the
   reference with two same-shaped inputs swapped, with a square 2-D input (a weight) transposed,
   and (a multi-output contract) one output's value returned in another's place;
4. a ratio to the reference: a constant, recognised where possible as an expression in the case's
   sizes (read from the contract's signature, e.g. N/(N − 1), √d_k), or one constant per index of
   an output axis ("per C");
5. a difference equal to a constant times a product of the inputs (e.g. "−2·lr·lam·theta").

A candidate is named only if it matches to rounding (within the bound the judge used on that case)
on EVERY fitted case where the target returned a value, and on at least one of them it differs from
the reference by much more than that bound (:data:`DISTINCT` times it): a case on which every
variant agrees with the reference decides nothing. When two candidates of the winning level both
match, both are named (the failing cases cannot tell them apart); when none matches, nothing is
said: no diagnosis is better than a guess.
"""

from __future__ import annotations

import itertools
import math
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import torch

if TYPE_CHECKING:
    from .conform import Failure
    from .contract import Contract

__all__ = ["Diagnosis", "diagnose", "DISTINCT", "MAX_FITTED"]

DISTINCT = 10.0  # a case tells a candidate from the reference only where they differ by > 10 × the bound
MAX_FITTED = 100  # failing cases fitted at most (conform passes at most 2 + its probe's 60)
# Fitted factors (a ratio, a difference's constant) are computed in float64: applying one adds a
# rounding of a few ulps of the product, allowed on top of the judge's bound.
FIT_ULPS = 8


@dataclass(frozen=True)
class Diagnosis:
    """The known mistake (or convention) a failing target's outputs match on every fitted case."""

    label: str
    convention: bool
    cases: int  # failing cases fitted (all matched)
    why: str = ""
    source: str = "variant"  # "variant", "planted" (the check's planted formulas) or "generic"
    without_value: int = 0  # failing cases where the target returned no value (raised, wrong shape): not fitted

    def line(self) -> str:
        """The report's diagnosis line (and its ``why``)."""
        where = f"on all {self.cases} failing case{'s' if self.cases != 1 else ''}"
        if self.without_value:
            where += f" with a value ({self.without_value} other{'s' if self.without_value != 1 else ''} returned none)"
        if self.convention:
            text = (
                f"matches a convention, not a wrong formula: {self.label} {where}; not a bug if you mean "
                "it, but not the contract's convention"
            )
        else:
            text = f"matches {self.label} {where}"
        return text + (f"\n             why: {self.why}" if self.why else "")

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "convention": self.convention, "cases": self.cases, "why": self.why or None}


@dataclass(frozen=True)
class _Case:
    inputs: dict[str, Any]
    want: torch.Tensor  # the reference's output
    got: torch.Tensor  # the target's output (same shape)
    bound: float  # the judge's bound on this case
    output: str | None = None  # a multi-output contract: the element that failed (want/got are that element)


@dataclass(frozen=True)
class _Candidate:
    label: str
    predict: Callable[[_Case], torch.Tensor]  # the candidate's output on a case (may raise: no match)
    why: str = ""
    convention: bool = False
    source: str = "generic"
    slack: bool = False  # a fitted factor: FIT_ULPS of rounding of the prediction allowed on top of the bound


def diagnose(contract: Contract, failing: Sequence[tuple[dict[str, Any], Failure]]) -> Diagnosis | None:
    """The diagnosis of the failing cases (``(inputs, failure)``, the most telling first: the shrunk
    case, the non-degenerate one, then the others), or None when no candidate matches all of them."""
    cases, without = _fitted(failing)
    if not cases:
        return None
    for level in _levels(contract, cases):
        matched: list[_Candidate] = []
        for cand in level:
            if any(c.label == cand.label for c in matched):
                continue
            if _matches(cand, cases):
                matched.append(cand)
        if matched:
            first = matched[0]
            label = " or ".join(c.label for c in matched)
            if len(matched) > 1:
                label += " (they agree on every failing case)"
            return Diagnosis(
                label=label,
                convention=all(c.convention for c in matched),
                cases=len(cases),
                why=first.why if len(matched) == 1 else "",
                source=first.source,
                without_value=without,
            )
    return None


def _fitted(failing: Sequence[tuple[dict[str, Any], Failure]]) -> tuple[list[_Case], int]:
    """The distinct failing cases with a returned value of the reference's shape (at most MAX_FITTED),
    and how many distinct failing cases had none."""
    seen: set[int] = set()
    cases: list[_Case] = []
    without = 0
    for inputs, f in failing:
        if id(inputs) in seen:
            continue
        seen.add(id(inputs))
        got, want = f.got, f.expected
        if not isinstance(got, torch.Tensor) or not isinstance(want, torch.Tensor) or got.shape != want.shape:
            without += 1
            continue
        if got.dtype != want.dtype or not math.isfinite(f.bound):
            without += 1
            continue
        if len(cases) < MAX_FITTED:
            cases.append(_Case(inputs, want.detach(), got.detach(), float(f.bound), f.output))
    return cases, without


def _close(pred: torch.Tensor, case: _Case, slack: bool) -> bool:
    """``pred`` equals the target's output to rounding: within the judge's bound entrywise, and
    non-finite exactly where the output is (NaN matches NaN, ±inf the same inf)."""
    got = case.got
    if pred.shape != got.shape:
        return False
    fin_p, fin_g = torch.isfinite(pred), torch.isfinite(got)
    if not torch.equal(fin_p, fin_g):
        return False
    nonfin = ~fin_g
    if nonfin.any():
        a, b = pred[nonfin], got[nonfin]
        if not bool(((a == b) | (torch.isnan(a) & torch.isnan(b))).all()):
            return False
    diff = (pred - got).abs()[fin_g]
    allowed = torch.full_like(diff, case.bound)
    if slack:
        allowed = allowed + FIT_ULPS * torch.finfo(got.dtype).eps * pred.abs()[fin_g]
    return bool((diff <= allowed).all())


def _distinct(pred: torch.Tensor, case: _Case) -> bool:
    """``pred`` differs from the reference by much more than the bound somewhere on this case."""
    want = case.want
    fin_p, fin_w = torch.isfinite(pred), torch.isfinite(want)
    if not torch.equal(fin_p, fin_w):
        return True
    diff = (pred - want).abs()[fin_w]
    return bool(diff.numel()) and float(diff.max()) > DISTINCT * case.bound


def _matches(cand: _Candidate, cases: list[_Case]) -> bool:
    telling = False
    for case in cases:
        try:
            with torch.no_grad(), warnings.catch_warnings():  # e.g. torch's "degrees of freedom <= 0" for N − 1
                warnings.simplefilter("ignore")
                pred = cand.predict(case)
        except Exception:
            return False
        if not isinstance(pred, torch.Tensor):
            return False
        pred = pred.detach()
        if pred.is_floating_point() and case.got.is_floating_point():
            pred = pred.to(case.got.dtype)  # a formula on float64 inputs, a target held in another precision
        if pred.dtype != case.got.dtype or not _close(pred, case, cand.slack):
            return False
        telling = telling or _distinct(pred, case)
    return telling


def _same_shape(t: torch.Tensor, want: torch.Tensor) -> torch.Tensor:
    if t.shape != want.shape:
        raise ValueError("not the output's shape on this case")
    return t.clone()


def _copies(inputs: dict[str, Any]) -> list[Any]:
    return [v.clone() if isinstance(v, torch.Tensor) else v for v in inputs.values()]


# ── the candidates, level by level ─────────────────────────────────────────────────────────
def _levels(contract: Contract, cases: list[_Case]) -> list[list[_Candidate]]:
    return [
        _variants(contract),
        _planted(contract),
        _generic(contract, cases[0]) + _misplaced(contract, cases[0]),
        _ratios(contract, cases),
        _differences(cases),
    ]


def _variants(contract: Contract) -> list[_Candidate]:
    out = []
    for v in contract.variants:
        out.append(
            _Candidate(
                v.label,
                lambda c, f=v.formula: f(*_copies(c.inputs)),
                why=v.why,
                convention=v.convention,
                source="variant",
            )
        )
    return out


def _planted(contract: Contract) -> list[_Candidate]:
    planted = getattr(contract.check, "planted", None) or {}
    return [
        _Candidate(name, lambda c, f=fn: f(dict(zip(c.inputs, _copies(c.inputs)))), source="planted")
        for name, fn in planted.items()
    ]


def _generic(contract: Contract, case: _Case) -> list[_Candidate]:
    """Returned an input, returned zeros, two same-shaped inputs swapped, a square input transposed."""
    names = list(case.inputs)
    tensors = [n for n in names if isinstance(case.inputs[n], torch.Tensor)]
    floats = [n for n in names if isinstance(case.inputs[n], float)]
    ref = contract.reference
    out = [
        _Candidate(f"returned its input {n} unchanged", lambda c, n=n: _same_shape(c.inputs[n], c.want))
        for n in tensors
    ]
    out.append(_Candidate("returned zeros", lambda c: torch.zeros_like(c.want)))

    def called(c: _Case, change: Callable[[dict[str, Any]], dict[str, Any]]) -> torch.Tensor:
        return ref(*change(dict(zip(c.inputs, _copies(c.inputs)))).values())

    def swap(d: dict[str, Any], a: str, b: str) -> dict[str, Any]:
        if isinstance(d[a], torch.Tensor) and d[a].shape != d[b].shape:
            raise ValueError("not the same shape on this case")
        d[a], d[b] = d[b], d[a]
        return d

    pairs = [p for group in (tensors, floats) for p in itertools.combinations(group, 2)]
    for a, b in pairs:
        out.append(
            _Candidate(
                f"the reference with {a} and {b} swapped (arguments swapped?)",
                lambda c, a=a, b=b: called(c, lambda d: swap(d, a, b)),
            )
        )

    def transpose(d: dict[str, Any], which: tuple[str, ...]) -> dict[str, Any]:
        for n in which:
            if d[n].dim() != 2 or d[n].shape[0] != d[n].shape[1]:
                raise ValueError("not square on this case")
            d[n] = d[n].T.contiguous()
        return d

    square = [n for n in tensors if case.inputs[n].dim() == 2 and case.inputs[n].shape[0] == case.inputs[n].shape[1]]
    groups = [(n,) for n in square] + ([tuple(square)] if len(square) > 1 else [])
    for group in groups:
        shown = ", ".join(group)
        out.append(
            _Candidate(
                f"the reference with {shown} transposed (x @ w where x @ w.T is meant, or the reverse?)",
                lambda c, g=group: called(c, lambda d: transpose(d, g)),
            )
        )
    return out


def _misplaced(contract: Contract, case: _Case) -> list[_Candidate]:
    """A multi-output contract: the failing element holds another output's value (outputs in the wrong order)."""
    if not contract.outputs or case.output not in contract.outputs:
        return []
    names, failed = contract.outputs, case.output

    def other(c: _Case, name: str) -> torch.Tensor:
        if c.output != failed:
            raise ValueError("another output failed on this case")
        return _same_shape(contract.reference(*_copies(c.inputs))[names.index(name)], c.want)

    return [
        _Candidate(
            f"{failed} holds the value of {name} (outputs returned in the wrong order?)", lambda c, n=name: other(c, n)
        )
        for name in names
        if name != failed
    ]


# sizes named in the signature: "x[N, C]" -> N is x.shape[0], C is x.shape[1]
_SHAPED = re.compile(r"(\w+)\[([^\]]*)\]")


def _size_names(contract: Contract) -> tuple[dict[str, tuple[str, int]], list[str]]:
    """(size name -> (input, axis)) from the inputs part of the signature, and the output's axis names."""
    sig = contract.signature.split("#")[0]
    args, _, result = sig.partition("->")
    sizes: dict[str, tuple[str, int]] = {}
    for name, dims in _SHAPED.findall(args):
        parts = [d.strip() for d in dims.split(",")]
        if any("..." in p for p in parts):
            continue
        for axis, d in enumerate(parts):
            if d.isidentifier() and d not in sizes:
                sizes[d] = (name, axis)
    out_axes: list[str] = []
    found = _SHAPED.search(result)
    if found and "..." not in found.group(2):
        out_axes = [d.strip() for d in found.group(2).split(",")]
    return sizes, out_axes


def _sizes(contract: Contract, inputs: dict[str, Any]) -> dict[str, int]:
    """The case's sizes by their signature names, and its integer inputs (e.g. num_heads)."""
    named, _ = _size_names(contract)
    out: dict[str, int] = {}
    for size, (name, axis) in named.items():
        value = inputs.get(name)
        if isinstance(value, torch.Tensor) and value.dim() > axis:
            out[size] = int(value.shape[axis])
    for name, value in inputs.items():
        if isinstance(value, int) and not isinstance(value, bool):
            out[name] = value
    return out


def _expressions(sizes: Sequence[str]) -> list[tuple[str, Callable[[dict[str, int]], float]]]:
    """Known factors in the case's sizes: s, √s, 1/s, 1/√s, s/(s − 1), √(s/(s − 1)) and their
    inverses, s/t and √(s/t); then a few plain constants."""
    out: list[tuple[str, Callable[[dict[str, int]], float]]] = []
    for s in sizes:
        out += [
            (f"{s}/({s} − 1)", lambda z, s=s: z[s] / (z[s] - 1)),
            (f"√({s}/({s} − 1))", lambda z, s=s: math.sqrt(z[s] / (z[s] - 1))),
            (f"({s} − 1)/{s}", lambda z, s=s: (z[s] - 1) / z[s]),
            (f"√(({s} − 1)/{s})", lambda z, s=s: math.sqrt((z[s] - 1) / z[s])),
            (f"√{s}", lambda z, s=s: math.sqrt(z[s])),
            (f"1/√{s}", lambda z, s=s: 1 / math.sqrt(z[s])),
            (s, lambda z, s=s: float(z[s])),
            (f"1/{s}", lambda z, s=s: 1 / z[s]),
        ]
    for s, t in itertools.permutations(sizes, 2):
        out += [
            (f"{s}/{t}", lambda z, s=s, t=t: z[s] / z[t]),
            (f"√({s}/{t})", lambda z, s=s, t=t: math.sqrt(z[s] / z[t])),
        ]
    out += [(str(k), lambda z, k=k: float(k)) for k in (-1, 2, 0.5, -2, -0.5)]
    return out


def _ratio_fit(case: _Case, dims: tuple[int, ...] | None = None) -> torch.Tensor | None:
    """Least-squares r with got ≈ r·want (over all entries, or per slice reducing ``dims``), from
    the entries where the reference is well above its bound; None if there are too few."""
    want, got = case.want, case.got
    if not (torch.isfinite(want).all() and torch.isfinite(got).all()):
        return None
    use = (want.abs() > DISTINCT * case.bound).to(want.dtype)
    dims = tuple(range(want.dim())) if dims is None else dims
    n = use.sum(dims, keepdim=True)
    if want.numel() == 0 or not bool((n >= 2).any()):
        return None  # no slice with two telling entries: nothing supports a ratio here
    # a slice with fewer than two telling entries fits its ratio on its non-zero entries (it is free
    # there; the slices with two or more are what the match rests on), or takes 1 if it has none
    use = torch.where(n >= 2, use, (want != 0).to(want.dtype))
    num = (got * want * use).sum(dims, keepdim=True)
    den = (want * want * use).sum(dims, keepdim=True)
    return torch.where(den > 0, num / torch.where(den > 0, den, 1.0), 1.0)


def _ratios(contract: Contract, cases: list[_Case]) -> list[_Candidate]:
    """The output as the reference times a factor: a size expression, one constant for every case,
    or (fitted per case) one constant per index of an output axis."""
    out: list[_Candidate] = []
    sizes = _sizes(contract, cases[0].inputs)
    for text, expr in _expressions(list(sizes)):

        def by_expr(c: _Case, expr=expr) -> torch.Tensor:
            value = expr(_sizes(contract, c.inputs))
            if not math.isfinite(value) or value == 1:
                raise ValueError("no factor on this case")
            return c.want * value

        out.append(_Candidate(f"ratio {text} to the reference", by_expr, slack=True))

    fits = [(float(c.want.abs().max()) / max(c.bound, 1e-300), _ratio_fit(c)) for c in cases]
    fits = [(telling, r) for telling, r in fits if r is not None]
    if fits:
        r = float(max(fits, key=lambda f: f[0])[1].flatten()[0])  # fitted where the output is largest against the bound
        out.append(_Candidate(f"the reference times {r:.6g} (one constant ratio)", lambda c: c.want * r, slack=True))
    _, axes = _size_names(contract)
    want = cases[0].want
    for axis in range(want.dim()):
        if want.shape[axis] < 2:
            continue
        other = tuple(d for d in range(want.dim()) if d != axis)
        name = axes[axis] if len(axes) == want.dim() else f"axis {axis}"

        def per_axis(c: _Case, other=other) -> torch.Tensor:
            r = _ratio_fit(c, other)
            if r is None or bool(torch.isclose(r, r.flatten()[0], rtol=1e-9, atol=0).all()):
                raise ValueError("not fittable, or one ratio for the whole output: said above")
            return c.want * r

        out.append(
            _Candidate(
                f"the reference times one factor per {name} (a ratio constant along the other axes)",
                per_axis,
                slack=True,
            )
        )
    return out


def _differences(cases: list[_Case]) -> list[_Candidate]:
    """got − want = c·(a product of up to three float inputs)·(a tensor input, or 1), with one
    constant c for every case (fitted on the first case where the term is not negligible)."""
    case0 = cases[0]
    names = list(case0.inputs)
    floats = [n for n in names if isinstance(case0.inputs[n], float)]
    tensors = [n for n in names if isinstance(case0.inputs[n], torch.Tensor)]
    monomials: list[tuple[str, ...]] = [()]
    for degree in (1, 2, 3):
        monomials += list(itertools.combinations_with_replacement(floats, degree))
    out: list[_Candidate] = []
    for tensor in [*tensors, None]:
        for mono in monomials:
            if tensor is None and not mono:
                continue
            term = _term(mono, tensor)
            c = _fit_constant(cases, term)
            if c is None:
                continue
            shown = "·".join(_power(mono) + ([tensor] if tensor else []))
            factor = _constant_text(c)
            out.append(
                _Candidate(
                    f"a difference of {factor}{shown} from the reference (difference ∝ {shown})",
                    lambda cs, term=term, c=c: cs.want + c * term(cs),
                    slack=True,
                )
            )
    return out


def _term(mono: tuple[str, ...], tensor: str | None) -> Callable[[_Case], torch.Tensor]:
    def term(c: _Case) -> torch.Tensor:
        base = c.inputs[tensor].expand_as(c.want) if tensor else torch.ones_like(c.want)
        return base * math.prod(c.inputs[n] for n in mono)

    return term


SIMPLE = (1, -1, 2, -2, 0.5, -0.5, 3, -3)  # constants a fitted factor is snapped to when it is one of them to rounding


def _fit_constant(cases: list[_Case], term: Callable[[_Case], torch.Tensor]) -> float | None:
    """The least-squares c with got − want ≈ c·term, on the case where the term is largest against the
    bound (a factor fitted where the term is near the rounding would be off by as much, relatively);
    snapped to a SIMPLE constant when it is one within that case's precision."""
    best: tuple[float, float, float] | None = None  # (how telling, c, relative precision of c)
    for case in cases:
        try:
            t = term(case)
        except Exception:
            return None
        d = case.got - case.want
        if t.shape != d.shape or not (torch.isfinite(t).all() and torch.isfinite(d).all()):
            continue
        norm = math.sqrt(float((t * t).sum()))
        telling = norm / max(case.bound, torch.finfo(d.dtype).tiny)
        if norm > 0 and telling > DISTINCT and (best is None or telling > best[0]):
            best = (telling, float((d * t).sum()) / norm**2, 1 / telling)
    if best is None:
        return None
    _, c, precision = best
    for k in SIMPLE:
        if abs(c - k) <= 4 * precision * abs(k):
            return float(k)
    return c if math.isfinite(c) and c != 0 else None


def _power(mono: tuple[str, ...]) -> list[str]:
    out = []
    for name in dict.fromkeys(mono):
        k = mono.count(name)
        out.append(name if k == 1 else f"{name}{'²³'[k - 2]}")
    return out


def _constant_text(c: float) -> str:
    """A fitted constant as "−2·", "" (for 1), "0.5·"; others with 6 significant digits."""
    for k in SIMPLE:
        if c == k:
            return "" if k == 1 else ("−" if k == -1 else f"{k:g}·".replace("-", "−"))
    return f"{c:.6g}·".replace("-", "−")
