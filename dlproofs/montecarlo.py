"""A designed Monte Carlo test of ``E[X] = v`` (DESIGN.md §5), with its error rates proved.

The test. Draw n = K·b independent copies of X on a fixed seed (``torch.Generator``), split them
into K (odd) blocks of b, and accept the claimed value v iff the median of the K block means is
within ``ρ·v`` of v.

False alarm. If the claim is true (E[X] = v, Var X = κv², κ known in closed form from the 4th
moment), Chebyshev bounds each block: ``P(|X̄_block − v| ≥ ρv) ≤ κ/(bρ²) =: p``. The median is
that far off only if at least (K+1)/2 of the independent blocks are, so
``P(false alarm) ≤ P(Binomial(K, p) ≥ (K+1)/2)``, computed exactly. K and b are chosen
(:func:`design`) to make this ≤ α/(number of estimates) with the fewest draws; a check runs one
estimate per population, so its total false-alarm probability is ≤ α (union bound).

Power. With probability ≥ 1 − α every median lies within ρ·E[X] of the true E[X]; then any
claimed value v' with ``v'/E[X] ∉ [(1−ρ)/(1+ρ), (1+ρ)/(1−ρ)]`` is rejected (the two acceptance
intervals are disjoint). With ρ = 0.04 that is every ratio outside [0.923, 1.083]: 1.1·d_k,
d_k² (d_k ≥ 2) and the 1/d_k scaling (ratio 1/d_k) are all rejected with probability ≥ 1 − α.
A planted wrong formula may also change the statistic (e.g. q·k/d_k instead of q·k/√d_k); that
keeps the guarantee as long as its relative variance is the same κ (it is for X = c·(q·k)²).
"""

from __future__ import annotations

import math
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import torch

from .commands import replay_line
from .evidence import FIXED_DESIGN, NumericResult, ProofText

__all__ = [
    "Population",
    "Claimed",
    "MonteCarloCheck",
    "Inequality",
    "BoundedMeanCheck",
    "design",
    "binomial_tail",
    "DEFAULT_SEED",
]

DEFAULT_SEED = 20240611
MAX_BLOCKS = 151


@dataclass(frozen=True)
class Population:
    """One estimate: how to draw the raw quantity (e.g. q·k), its parameters, and κ = Var X / (E X)²."""

    name: str  # e.g. "Gaussian q, k; d_k = 16"
    params: Mapping[str, Any]
    draw: Callable[[int, torch.Generator], torch.Tensor]  # n -> n raw draws, float64
    kappa: float  # relative variance of the statistic under the claim (closed form, 4th moment)


@dataclass(frozen=True)
class Claimed:
    """What is tested: ``E[statistic(draws)] == value(params)``."""

    statistic: Callable[[torch.Tensor, Mapping[str, Any]], torch.Tensor]
    value: Callable[[Mapping[str, Any]], float]
    text: str  # e.g. "E[(q·k)²] = d_k"


@dataclass(frozen=True)
class Design:
    blocks: int  # K, odd
    block_size: int  # b
    p_block: float  # Chebyshev bound per block, κ/(bρ²)
    false_alarm: float  # exact binomial tail P(Bin(K, p) ≥ (K+1)/2)

    @property
    def draws(self) -> int:
        return self.blocks * self.block_size


def binomial_tail(k: int, p: float) -> float:
    """P(Binomial(k, p) ≥ (k+1)/2) for odd k, summed exactly term by term."""
    need = (k + 1) // 2
    return math.fsum(math.comb(k, j) * p**j * (1 - p) ** (k - j) for j in range(need, k + 1))


def _largest_p(k: int, alpha: float) -> float:
    lo, hi = 0.0, 0.5
    for _ in range(60):  # bisection: the tail is increasing in p
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if binomial_tail(k, mid) <= alpha else (lo, mid)
    return lo


@cache
def _blocks(alpha: float) -> tuple[int, float]:
    """The odd K and per-block bound p minimizing K/p (draws ≈ κ/ρ² · K/p) with tail ≤ alpha."""
    best = (1, 0.0)
    for k in range(1, MAX_BLOCKS + 1, 2):
        p = _largest_p(k, alpha)
        if p > 0 and (best[1] == 0 or k / p < best[0] / best[1]):
            best = (k, p)
    return best


def design(kappa: float, rho: float, alpha: float) -> Design:
    """The (K, b) with the fewest draws K·b such that the false-alarm bound is ≤ alpha."""
    if not (kappa > 0 and 0 < rho < 1 and 0 < alpha < 1):
        raise ValueError(f"design needs κ > 0, 0 < ρ < 1, 0 < α < 1; got κ={kappa}, ρ={rho}, α={alpha}")
    k, p = _blocks(alpha)
    b = math.ceil(kappa / (p * rho**2))
    p_b = kappa / (b * rho**2)
    out = Design(k, b, p_b, binomial_tail(k, p_b))
    assert out.false_alarm <= alpha, out
    return out


_DRAWS: dict[tuple[int, int, int], torch.Tensor] = {}


def _draws(pop: Population, n: int, seed: int) -> torch.Tensor:
    """The population's n draws on ``seed``; cached, so planted formulas reuse the same sample."""
    key = (id(pop), n, seed)
    if key not in _DRAWS:
        gen = torch.Generator().manual_seed(seed)
        out = pop.draw(n, gen)
        if out.shape != (n,) or out.dtype != torch.float64:
            raise ValueError(
                f"{pop.name}: draw must return float64 of shape ({n},), got {out.dtype} {tuple(out.shape)}"
            )
        _DRAWS[key] = out
    return _DRAWS[key]


@dataclass(frozen=True, kw_only=True)
class MonteCarloCheck:
    """Evidence with its own design (dlproofs.evidence.Evidence): a median-of-means test on fixed seeds."""

    name: str
    claimed: Claimed
    populations: Mapping[str, tuple[Population, ...]]  # "default" and "thorough"
    statistic_text: str  # what X is, for the proof, e.g. "X = (q·k)² (E[q·k] = 0, so E[X] = Var[q·k])"
    planted: Mapping[str, Claimed] = field(default_factory=dict)
    rho: float = 0.04
    alpha: float = 1e-6

    @property
    def delta(self) -> float:
        """The smallest relative deviation this check detects with probability ≥ 1 − α: every claimed
        value whose ratio to the truth is outside [(1−ρ)/(1+ρ), (1+ρ)/(1−ρ)] is rejected, so
        δ = (1+ρ)/(1−ρ) − 1 = 2ρ/(1−ρ) bounds both sides (the lower side, 2ρ/(1+ρ), is smaller)."""
        return 2 * self.rho / (1 - self.rho)

    def within(self) -> str:
        """What the check can establish: the claimed value up to ±δ, never equality."""
        return f"{self.claimed.text} within ±{100 * self.delta:.1f}%"

    def pops(self, profile: str) -> tuple[Population, ...]:
        return self.populations["thorough" if profile == "thorough" else "default"]

    def designs(self, profile: str) -> list[tuple[Population, Design]]:
        pops = self.pops(profile)
        return [(p, design(p.kappa, self.rho, self.alpha / len(pops))) for p in pops]

    def describe_in_proof(self, profile: str = "ci") -> ProofText:
        tolerance = (
            f"the median of block means must lie within ρ = {self.rho:g} (relative) of the claimed value; "
            f"false alarm ≤ {self.alpha:g} (Chebyshev per block, binomial tail for the median)"
        )
        return ProofText(lines=(self.describe(profile), f"Tolerance: {tolerance}", f"Establishes: {self.within()}."))

    def cases_asked(self, profile: str = "ci") -> str:
        return FIXED_DESIGN

    def describe(self, profile: str = "ci") -> str:
        """The test as the proof prints it: statistic, sizes, threshold, bound, error rates."""
        lo, hi = (1 - self.rho) / (1 + self.rho), (1 + self.rho) / (1 - self.rho)
        rows = "; ".join(
            f"{p.name}: κ = {p.kappa:.4g}, K = {d.blocks} blocks × b = {d.block_size} = {d.draws} draws, "
            f"p_block ≤ {d.p_block:.3g}, tail ≤ {d.false_alarm:.2g}"
            for p, d in self.designs(profile)
        )
        return (
            f"Monte Carlo, {self.claimed.text}. Statistic {self.statistic_text}. Accept iff the median of K "
            f"block means is within ρ = {self.rho:g} (relative) of the claimed value. Bound: Chebyshev per block "
            f"with Var X = κ·(E X)² from the closed-form 4th moment, then the binomial tail for the median; "
            f"false alarm ≤ {self.alpha:g} per check (union bound over its estimates). Power ≥ 1 − {self.alpha:g} "
            f"against every value whose ratio to the truth is outside [{lo:.3f}, {hi:.3f}], so it establishes "
            f"{self.within()}: a deviation smaller than δ = {100 * self.delta:.1f}% may pass"
            f"{' (planted: ' + ', '.join(self.planted) + ')' if self.planted else ''}. Fixed seed {DEFAULT_SEED}. "
            f"Estimates ({'thorough' if profile == 'thorough' else 'default'} profile): {rows}."
        )

    def run(
        self,
        claim_id: str,
        *,
        profile: str = "ci",
        seed: int | None = None,
        override: Claimed | None = None,
    ) -> NumericResult:
        start = time.perf_counter()
        claimed = override or self.claimed
        base = DEFAULT_SEED if seed is None else seed
        worst_err, worst_name, lines, ok = 0.0, "", [], True
        for n, (pop, des) in enumerate(self.designs(profile)):
            s = _draws(pop, des.draws, base + 1000 * n)
            x = claimed.statistic(s, pop.params).to(torch.float64)
            med = float(x.view(des.blocks, des.block_size).mean(dim=1).median())
            v = float(claimed.value(pop.params))
            err = abs(med - v) / abs(v) if v != 0 else math.inf
            good = v > 0 and err <= self.rho
            lines.append(
                f"  {pop.name}: median of {des.blocks} block means = {med:.6g}, claimed {v:.6g}, "
                f"relative gap {err:.3g} {'<=' if good else '>'} ρ = {self.rho:g} (seed {base + 1000 * n}, "
                f"{des.draws} draws)"
            )
            if not good:
                ok = False
            if err >= worst_err:
                worst_err, worst_name = err, pop.name
        report = ""
        if not ok:
            report = (
                f"{claim_id} / {self.name}: {claimed.text} rejected\n"
                + "\n".join(lines)
                + f"\n  replay: {replay_line(claim_id, self.name, seed=base)}"
            )
        return NumericResult(
            claim=claim_id,
            name=self.name,
            ok=ok,
            examples=len(lines),
            max_error=worst_err,
            bound=self.rho,
            tolerance=self.describe(profile),
            worst=worst_name,
            seconds=time.perf_counter() - start,
            report=report,
        )


# ── bounded statistics: one-sided Hoeffding ──────────────────────────────────────────────────
@dataclass(frozen=True)
class Inequality:
    """A claim ``E[X] (op) value`` about a population whose draws lie in [0, 1]."""

    population: Population
    op: str  # "<=" or ">="
    value: float

    def text(self) -> str:
        return f"E[{self.population.name}] {self.op} {self.value:g}"


@dataclass(frozen=True, kw_only=True)
class BoundedMeanCheck:
    """Inequalities on means of [0, 1]-valued statistics, each from R draws on a fixed seed.

    Hoeffding: P(mean − E X ≥ ε) ≤ exp(−2Rε²), and the same below. With N inequalities and
    ε = √(ln(N/α)/(2R)), rejecting ``E X ≤ c`` when the mean exceeds c + ε (and ``E X ≥ c`` when
    it is below c − ε) has false-alarm probability ≤ α for the whole check; an inequality that
    is wrong by more than 2ε is rejected with probability ≥ 1 − α/N.
    """

    name: str
    claims: Mapping[str, tuple[Inequality, ...]]  # "default" and "thorough"
    samples: int  # R per population
    statistic_text: str
    planted: Mapping[str, tuple[Inequality, ...]] = field(default_factory=dict)
    alpha: float = 1e-6

    @property
    def delta(self) -> float:
        """The smallest violation (absolute, on the [0, 1] scale) detected with probability ≥ 1 − α/N."""
        return 2 * self.margin(len(self.claims["default"]))

    def within(self) -> str:
        ineqs = "; ".join(q.text() for q in self.claims["default"])
        return f"{ineqs}, each up to {self.delta:.3f} (a smaller violation may pass)"

    def margin(self, count: int) -> float:
        return math.sqrt(math.log(count / self.alpha) / (2 * self.samples))

    def _seed(self, pop: Population, base: int) -> int:
        return base + zlib.crc32(pop.name.encode()) % 1_000_000  # same draws whichever claims list it

    def describe_in_proof(self, profile: str = "ci") -> ProofText:
        eps = self.margin(len(self.claims["default"]))
        tolerance = f"one-sided Hoeffding margin ε = {eps:.4f} on a [0, 1] statistic; false alarm ≤ {self.alpha:g}"
        return ProofText(lines=(self.describe(profile), f"Tolerance: {tolerance}", f"Establishes: {self.within()}."))

    def cases_asked(self, profile: str = "ci") -> str:
        return FIXED_DESIGN

    def describe(self, profile: str = "ci") -> str:
        """The test as the proof prints it: statistic, draws, claims, margin, error rates."""
        ineqs = self.claims["thorough" if profile == "thorough" else "default"]
        eps = self.margin(len(ineqs))
        return (
            f"Monte Carlo with a bounded statistic: {self.statistic_text}. R = {self.samples} draws per estimate "
            f"(fixed seeds from {DEFAULT_SEED}). Claims: {'; '.join(q.text() for q in ineqs)}. Bound: one-sided "
            f"Hoeffding, X ∈ [0, 1], margin ε = √(ln(N/α)/(2R)) = {eps:.4f} with N = {len(ineqs)}; false alarm "
            f"≤ {self.alpha:g} per check; an inequality wrong by more than 2ε = {2 * eps:.4f} is rejected with "
            f"probability ≥ 1 − {self.alpha / len(ineqs):.2g}"
            f"{' (planted: ' + ', '.join(self.planted) + ')' if self.planted else ''}."
        )

    def run(
        self,
        claim_id: str,
        *,
        profile: str = "ci",
        seed: int | None = None,
        override: tuple[Inequality, ...] | None = None,
    ) -> NumericResult:
        start = time.perf_counter()
        ineqs = override or self.claims["thorough" if profile == "thorough" else "default"]
        base = DEFAULT_SEED if seed is None else seed
        eps = self.margin(len(ineqs))
        ok, lines, worst, worst_name = True, [], -math.inf, ""
        for q in ineqs:
            x = _draws(q.population, self.samples, self._seed(q.population, base))
            if x.min() < 0 or x.max() > 1:
                raise ValueError(f"{q.population.name}: draws outside [0, 1] ({float(x.min())}, {float(x.max())})")
            mean = float(x.mean())
            excess = mean - q.value if q.op == "<=" else q.value - mean  # > ε: rejected
            good = excess <= eps
            ok &= good
            lines.append(f"  {q.text()}: mean {mean:.4f}, excess {excess:+.4f} {'<=' if good else '>'} ε = {eps:.4f}")
            if excess > worst:
                worst, worst_name = excess, q.text()
        report = "" if ok else f"{claim_id} / {self.name}: rejected\n" + "\n".join(lines)
        report += f"\n  replay: {replay_line(claim_id, self.name, seed=base)}" if report else ""
        return NumericResult(
            claim=claim_id,
            name=self.name,
            ok=ok,
            examples=len(ineqs),
            max_error=max(worst, 0.0),
            bound=eps,
            tolerance=self.describe(profile),
            worst=worst_name,
            seconds=time.perf_counter() - start,
            report=report,
        )
