"""Statistical contracts: judge a random target (dropout) by designed tests with a stated error rate.

A value-by-value search cannot judge code whose output is random: two correct dropouts with
different masks disagree everywhere. A contract whose target is random declares a
:class:`StatisticalJudge` in ``Contract.judge``; :func:`dlproofs.conform.conform` runs the interface
probe as usual (arity, tuple, numpy, module targets) and then hands the callable to the judge, which
returns a :class:`StatisticalResult` (a :class:`~dlproofs.conform.ConformResult` whose report also
says "statistical contract: false-alarm probability ≤ …, power ≥ … against …").

:class:`DropoutJudge` (the ``dropout.inverted`` contract, ``fn(x, p, training) -> y``):

(a) training mode, exact up to rounding: every output entry is 0 or x/(1 − p) (4 ulps of |x|/(1 − p));
(b) training mode, the keep rate: over R calls on n entries, the number kept K is held to an exact
    two-sided binomial test of Bin(R·n, 1 − p) at level α/(2·cases) (Bonferroni over the cases);
(c) eval mode: the identity, exactly;
(d) the mask must change between calls: R masks all equal has probability Π(q^R + p^R) over the
    entries, counted in the false-alarm budget (a target with a fixed mask is caught).

Randomness: the target uses the global RNGs (torch's, numpy's and Python's ``random``, like
``F.dropout``, ``nn.Dropout`` and ``np.random``); the judge seeds all three before each call with a
seed derived from (conform's seed, case, call) and restores them afterwards, so a run is
reproducible and the caller's RNG state is untouched. (A target that takes a ``torch.Generator``
is wrapped by the user: ``lambda x, p, training: f(x, p, training, generator=None)``.) The x entries
are drawn non-zero (|x| ≥ 0.5·scale), so "dropped" (0) and "kept" are told apart by value.

The design (shapes, p, R) is fixed by the false-alarm and power targets; ``max_examples`` does not
change it. Monte Carlo evidence is evidence: the expectations themselves are proved symbolically in
dropout.inverted-mean, dropout.inverted-variance and dropout.eval-identity.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import math
import random
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np
import torch

if TYPE_CHECKING:
    from .claim import Claim
    from .conform import ConformResult

__all__ = [
    "StatisticalJudge",
    "StatisticalResult",
    "DropoutJudge",
    "binomial_acceptance",
    "binomial_reject_probability",
    "KEEP_RATE",
    "FIXED_MASK",
]

KEEP_RATE = "keep rate off"  # failure kinds of the dropout judge (beside conform's value/type kinds)
FIXED_MASK = "same mask on every call"


@runtime_checkable
class StatisticalJudge(Protocol):
    """The extension point: ``Contract.judge``. ``statement()`` is the report's line (false-alarm
    probability and power); ``conform`` judges the probed callable and returns a ConformResult."""

    def statement(self) -> str: ...

    def conform(
        self, claim: Claim, call: Callable[..., Any], *, seed: int, max_examples: int, target: str | None, adapted: str
    ) -> ConformResult: ...


# ── exact binomial tails (float64 from log-gamma; no scipy) ─────────────────────────────────────────
def _pmf(n: int, q: float) -> list[float]:
    if q <= 0.0 or q >= 1.0:
        return [1.0 if k == (0 if q <= 0.0 else n) else 0.0 for k in range(n + 1)]
    lq, l1q, ln = math.log(q), math.log1p(-q), math.lgamma(n + 1)
    return [math.exp(ln - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * lq + (n - k) * l1q) for k in range(n + 1)]


def binomial_acceptance(n: int, q: float, level: float) -> tuple[int, int]:
    """(lo, hi): the widest-tailed interval with P(X < lo) ≤ level/2 and P(X > hi) ≤ level/2, X ~ Bin(n, q);
    rejecting K outside [lo, hi] has false-alarm probability ≤ level (to float64's rounding of the sums)."""
    pmf = _pmf(n, q)
    lo, below = 0, 0.0
    while lo <= n and below + pmf[lo] <= level / 2:
        below += pmf[lo]
        lo += 1
    hi, above = n, 0.0
    while hi >= 0 and above + pmf[hi] <= level / 2:
        above += pmf[hi]
        hi -= 1
    return lo, hi


def binomial_reject_probability(n: int, q: float, lo: int, hi: int) -> float:
    """P(X < lo or X > hi) for X ~ Bin(n, q): the power of the test [lo, hi] when the true keep rate is q."""
    pmf = _pmf(n, q)
    return math.fsum(pmf[:lo]) + math.fsum(pmf[hi + 1 :])


# ── RNG isolation ──────────────────────────────────────────────────────────────────────────────────
@contextlib.contextmanager
def seeded(seed: int) -> Iterator[None]:
    """torch's, numpy's and Python's global RNGs seeded with ``seed``, all restored afterwards; warnings quiet."""
    np_state, py_state = np.random.get_state(), random.getstate()
    with warnings.catch_warnings(), torch.random.fork_rng(devices=[]):
        warnings.simplefilter("ignore")
        torch.manual_seed(seed)
        np.random.seed(seed % 2**32)
        random.seed(seed)
        try:
            yield
        finally:
            np.random.set_state(np_state)
            random.setstate(py_state)


def _derive(*parts: Any) -> int:
    return int.from_bytes(hashlib.sha256(repr(parts).encode()).digest()[:7], "big")


@dataclass(frozen=True)
class StatisticalResult:
    """Marker base for results with a statement; see :func:`_result_class`."""


def _result_class():
    """ConformResult with the statistical statement in its summary, report and JSON (built lazily: conform
    imports this module's users, not the other way round)."""
    from .conform import ConformResult

    @dataclass(frozen=True)
    class _StatisticalResult(ConformResult, StatisticalResult):
        statement: str = ""
        calls: int = 0

        def summary(self) -> str:
            head, *rest = super().summary().split("\n")
            head = (
                f"{self.claim}: {self.target or 'fn'} conforms on {self.examples} cases, {self.calls} calls "
                f"(seed {self.seed})"
            )
            return "\n".join([head, f"  {self.statement}", *rest])

        def report(self) -> str:
            if self.ok:
                return self.summary()
            lines = super().report().split("\n")
            found = f"  found at example {self.examples} (seed {self.seed}), then shrunk to:"
            lines = [
                f"  failed on case {self.examples} of the fixed design, after {self.calls} calls (seed {self.seed}); "
                "the case:"
                if line == found
                else line
                for line in lines
            ]
            return "\n".join([*lines[:2], f"  {self.statement}", *lines[2:]])

        def to_json(self) -> dict[str, Any]:
            out = super().to_json()
            out["statistical"] = self.statement
            return out

    return _StatisticalResult


# ── the dropout judge ─────────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class DropoutJudge:
    """Inverted dropout ``fn(x, p, training) -> y``: checks (a)-(d) of the module docstring.

    ``alpha``: the false-alarm budget of a whole run (a correct dropout is rejected with probability
    ≤ alpha); ``delta``: the power is stated against a keep rate off by ≥ delta from 1 − p.
    ``train``: (shape, p) of the statistical cases, each called ``calls`` times; ``small``: p of the
    small value cases (x [3, 4], one call each, shown first when they fail); ``evals``: (shape, p) in
    eval mode. One more statistical case takes a p drawn from the seed in [0.05, 0.95].
    """

    alpha: float = 1e-6
    delta: float = 0.05
    calls: int = 4
    train: tuple[tuple[tuple[int, ...], float], ...] = (
        ((64, 64), 0.1),
        ((4096,), 0.25),
        ((16, 16, 16), 0.5),
        ((32, 128), 0.75),
        ((8, 512), 0.9),
    )
    small: tuple[float, ...] = (0.2, 0.5, 0.8)
    evals: tuple[tuple[tuple[int, ...], float], ...] = (((3, 4), 0.5), ((64, 64), 0.9), ((4096,), 0.1))
    ulps: float = 4.0

    # the design, as numbers the report states
    def cases(self, seed: int) -> list[tuple[tuple[int, ...], float]]:
        gen = torch.Generator().manual_seed(_derive("p", seed))
        extra = 0.05 + 0.9 * float(torch.rand((), generator=gen, dtype=torch.float64))
        return [*self.train, ((64, 64), round(extra, 4))]

    def design(self, seed: int) -> list[dict[str, Any]]:
        """Per statistical case: n trials, q, level, acceptance interval, the identical-mask probability, power."""
        return _design(self, seed)

    def _design(self, seed: int) -> list[dict[str, Any]]:
        cases = self.cases(seed)
        level = self.alpha / (2 * len(cases))
        rows = []
        for shape, p in cases:
            numel, q = math.prod(shape), 1.0 - p
            n = self.calls * numel
            lo, hi = binomial_acceptance(n, q, level)
            same = numel * math.log(q**self.calls + p**self.calls)
            power = min(
                binomial_reject_probability(n, q2, lo, hi)
                for q2 in (q - self.delta, q + self.delta)
                if 0.0 <= q2 <= 1.0
            )
            rows.append(
                {"shape": shape, "p": p, "n": n, "q": q, "level": level, "lo": lo, "hi": hi, "same": math.exp(same)}
                | {"power": power}
            )
        return rows

    def false_alarm(self, seed: int) -> float:
        rows = self.design(seed)
        return sum(r["level"] + r["same"] for r in rows)

    def statement(self, seed: int = 0) -> str:
        rows = self.design(seed)
        fa = sum(r["level"] + r["same"] for r in rows)
        power = min(r["power"] for r in rows)
        return (
            f"statistical contract: false-alarm probability ≤ {fa:.2g} per run (exact binomial tests, Bonferroni "
            f"over {len(rows)} cases of {self.calls} calls), power ≥ {_power_text(power)} against a keep rate off "
            f"by ≥ {self.delta:g} from 1 − p (each case alone); kept entries x/(1 − p) to {self.ulps:g} ulps, eval "
            "exactly the identity, the mask must change between calls"
        )

    def describe_tolerance(self) -> str:
        return (
            f"kept entries: x/(1 − p) to {self.ulps:g} ulps of |x|/(1 − p) (x·(1/(1 − p)), as torch multiplies, and "
            "x/(1 − p) differ by ≤ 1 ulp; a mask and a division add at most one more each); eval mode: exact "
            "(the identity rounds nothing); keep rate: exact binomial test, see the statistical line"
        )

    # ── running it ────────────────────────────────────────────────────────────────────────────────
    def conform(
        self, claim: Claim, call: Callable[..., Any], *, seed: int, max_examples: int, target: str | None, adapted: str
    ) -> ConformResult:
        Result = _result_class()
        contract = claim.contract
        assert contract is not None
        gen = torch.Generator().manual_seed(_derive("x", seed))
        common = dict(
            claim=claim.id,
            signature=contract.signature,
            target=target,
            seed=seed,
            max_examples=max_examples,
            tolerance=self.describe_tolerance(),
            adapted=adapted,
            statement=self.statement(seed),
        )
        n_calls = 0
        n_cases = 0

        def run(x: torch.Tensor, p: float, training: bool, tag: Any) -> Any:
            nonlocal n_calls
            n_calls += 1
            with seeded(_derive("call", seed, tag)):
                try:
                    return call(x.clone(), p, training), None
                except Exception as exc:  # judged below as a failure of the target
                    return None, exc

        def fail(inputs: dict[str, Any], failure: Any) -> ConformResult:
            return Result(ok=False, examples=n_cases, inputs=inputs, failure=failure, calls=n_calls, **common)

        # (a) and (c) on small cases first: a failure there is shown in full
        value_cases = [((3, 4), p, True) for p in self.small] + [(s, p, False) for s, p in self.evals]
        for i, (shape, p, training) in enumerate(value_cases):
            n_cases += 1
            x = _draw_x(shape, gen)
            out, exc = run(x, p, training, ("value", i))
            inputs = {"x": x, "p": p, "training": training}
            failure = _check_one(out, exc, x, p, training, self.ulps)
            if failure is not None:
                return fail(inputs, failure)

        # (a), (b), (d) on the statistical cases
        for row_i, row in enumerate(self.design(seed)):
            n_cases += 1
            shape, p = row["shape"], row["p"]
            x = _draw_x(shape, gen)
            inputs = {"x": x, "p": p, "training": True}
            kept_total, masks = 0, []
            for r in range(self.calls):
                out, exc = run(x, p, True, ("rate", row_i, r))
                failure = _check_one(out, exc, x, p, True, self.ulps)
                if failure is not None:
                    return fail(inputs, failure)
                mask = _as_tensor(out) != 0
                kept_total += int(mask.sum())
                masks.append(mask)
            if all(bool((m == masks[0]).all()) for m in masks[1:]):
                return fail(inputs, _fixed_mask_failure(x, p, masks[0], self.calls, row["same"]))
            if not row["lo"] <= kept_total <= row["hi"]:
                return fail(inputs, _rate_failure(x, p, kept_total, row))
        return Result(ok=True, examples=n_cases, calls=n_calls, **common)


@functools.lru_cache(maxsize=16)
def _design(judge: DropoutJudge, seed: int) -> list[dict[str, Any]]:
    return judge._design(seed)


def _power_text(power: float) -> str:
    """1 − 1e-12 prints as 1.0 in %g: say how close to 1 instead."""
    miss = 1.0 - power
    return f"1 − {miss:.1g}" if 0 < miss < 1e-3 else ("1 − 1e-15" if miss <= 0 else f"{power:.4g}")


def _draw_x(shape: tuple[int, ...], gen: torch.Generator) -> torch.Tensor:
    """Non-zero entries: sign·U(0.5, 2)·10^U(−2, 2) per tensor, so a dropped entry (0) is never a kept one."""
    scale = 10.0 ** (4 * float(torch.rand((), generator=gen, dtype=torch.float64)) - 2)
    mag = 0.5 + 1.5 * torch.rand(shape, generator=gen, dtype=torch.float64)
    sign = torch.where(torch.rand(shape, generator=gen) < 0.5, -1.0, 1.0).to(torch.float64)
    return sign * mag * scale


def _as_tensor(out: Any) -> torch.Tensor:
    return out.detach() if isinstance(out, torch.Tensor) else torch.as_tensor(np.asarray(out))


def _check_one(out: Any, exc: BaseException | None, x: torch.Tensor, p: float, training: bool, ulps: float):
    """The Failure of one call, or None: raised, type, shape, dtype, then (a) in training or (c) in eval mode."""
    from . import conform as C

    scale = 1.0 / (1.0 - p)
    want_shape = list(x.shape)
    reference = x * scale if training else x
    if exc is not None:
        return C.Failure(C.RAISED, f"raised {C._one_line(exc)}{C._where_raised(exc)}", reference)
    if not isinstance(out, torch.Tensor):
        return C.Failure(
            C.WRONG_TYPE, f"returned {C._kind(out)}, expected a torch.Tensor of dtype float64", reference, out
        )
    y = out.detach()
    if list(y.shape) != want_shape:
        return C.Failure(C.WRONG_SHAPE, f"returned shape {list(y.shape)}, expected {want_shape}", reference, y)
    if y.dtype != torch.float64:
        return C.Failure(C.WRONG_DTYPE, f"returned dtype {C._dtype(y)}, expected float64", reference, y)
    if training:
        kept = y != 0
        expected = torch.where(kept, x * scale, torch.zeros_like(x))
        bound = ulps * torch.finfo(torch.float64).eps * (x.abs() * scale)
        why = _diagnose_train(x, y, p)
    else:
        expected, bound = x, torch.zeros_like(x)
        why = _diagnose_eval(x, y, p)
    diff = (y - expected).abs()
    diff = torch.where(torch.isnan(diff), math.inf, diff)
    bad = diff > bound
    if not bad.any():
        return None
    at = tuple(int(i) for i in torch.unravel_index((diff - bound).argmax(), diff.shape))
    mode = "training: each entry must be 0 or x/(1 − p)" if training else "eval mode: y must be x, exactly"
    detail = f"{int(bad.sum())} of {bad.numel()} entries are wrong ({mode}){why}"
    return C.Failure(C.WRONG_VALUES, detail, expected, y, float(diff[at]), float(bound[at]), at, bad)


def _ratio(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    kept = y != 0
    return (y[kept] / x[kept]) if bool(kept.any()) else torch.empty(0, dtype=torch.float64)


def _close_to(r: torch.Tensor, value: float) -> bool:
    return r.numel() > 0 and bool(((r - value).abs() <= 1e-9 * abs(value) + 1e-300).all())


def _diagnose_train(x: torch.Tensor, y: torch.Tensor, p: float) -> str:
    r = _ratio(x, y)
    if _close_to(r, 1.0):
        return (
            "; kept entries equal x: no 1/(1 − p) scaling (classic dropout, whose inference must then scale by 1 − p)"
        )
    if _close_to(r, 1.0 - p):
        return "; kept entries are x·(1 − p): scaled by 1 − p instead of 1/(1 − p)"
    if p > 0 and _close_to(r, 1.0 / p):
        return "; kept entries are x/p: p read as the keep probability"
    f32 = float(torch.tensor(1.0 / (1.0 - p), dtype=torch.float32))
    if r.numel() > 0 and bool(((r - f32).abs() <= 1e-12).all()):
        return (
            f"; kept entries are x·{f32!r}, 1/(1 − p) rounded to float32: a bool mask divided by a float is a "
            "float32 tensor (torch's default dtype); convert the mask with .to(x.dtype)"
        )
    return ""


def _diagnose_eval(x: torch.Tensor, y: torch.Tensor, p: float) -> str:
    if not isinstance(y, torch.Tensor) or y.shape != x.shape:
        return ""
    if bool((y == 0).any()):
        return "; entries are zeroed in eval mode: dropout is applied when training=False"
    if _close_to(_ratio(x, y), 1.0 - p):
        return "; y = (1 − p)·x: classic dropout's inference rule, but training already scaled by 1/(1 − p)"
    return ""


def _rate_failure(x: torch.Tensor, p: float, kept: int, row: dict[str, Any]):
    from . import conform as C

    n, q = row["n"], row["q"]
    rate = kept / n
    hint = ""
    if abs(rate - p) < 0.02 and abs(p - q) > 0.1:
        hint = "; the rate is p: p read as the keep probability (torch's p is the drop probability)"
    detail = (
        f"kept {kept} of {n} entries over the calls (rate {rate:.4f}); a keep rate of 1 − p = {q:.4g} gives "
        f"{row['lo']}..{row['hi']} with probability ≥ 1 − {row['level']:.2g} (exact binomial){hint}"
    )
    return C.Failure(
        KEEP_RATE,
        detail,
        torch.tensor(float(n * q), dtype=torch.float64),
        torch.tensor(float(kept), dtype=torch.float64),
    )


def _fixed_mask_failure(x: torch.Tensor, p: float, mask: torch.Tensor, calls: int, same: float):
    from . import conform as C

    chance = f"{same:.2g}" if same > 0 else "< 1e-300"
    detail = (
        f"the {calls} calls (each with the global RNGs seeded differently) dropped exactly the same {int((~mask).sum())} "
        f"of {mask.numel()} entries (expected: {2 * p * (1 - p) * mask.numel():.0f} entries differ between two independent "
        f"masks, on average); independent masks coincide with probability {chance}: a fixed mask (its own "
        "generator with a constant seed, or a cached mask) makes the same units drop every step"
    )
    differ = 2 * p * (1 - p) * mask.numel()  # expected number of entries two independent masks disagree on
    return C.Failure(
        FIXED_MASK, detail, torch.tensor(differ, dtype=torch.float64), torch.tensor(0.0, dtype=torch.float64)
    )
