"""Numeric checks with a cap on the drawn cases in the default profiles (``thorough``: uncapped).

Why: a check whose every case runs autograd Jacobians or several attention passes costs a few ms
per case; 60 cases of each would break the time budget of ``dlproofs check`` (COMMON: the whole
registry under 60 s on 2 cores). Where a wrong formula is wrong on almost every case (exact zero
patterns, permutations, identities in drawn sizes), a dozen or two cases find it — the template
test still requires every planted formula to be rejected within the cap.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from .numeric import CrossCheck, NumericResult, PropertyCheck, run_check

__all__ = ["CappedCrossCheck", "CappedPropertyCheck"]


def _run(self, base: type, claim_id: str, profile: str, seed: int | None, override) -> NumericResult:
    plain = base(**{f.name: getattr(self, f.name) for f in fields(base)})
    cap = None if profile == "thorough" else self.cap
    return run_check(claim_id, plain, profile=profile, seed=seed, override=override, max_examples=cap)


@dataclass(frozen=True)
class CappedCrossCheck(CrossCheck):
    """A CrossCheck that stops at ``cap`` cases outside the ``thorough`` profile."""

    cap: int = 20

    def run(self, claim_id: str, *, profile: str = "ci", seed: int | None = None, override=None) -> NumericResult:
        return _run(self, CrossCheck, claim_id, profile, seed, override)


@dataclass(frozen=True)
class CappedPropertyCheck(PropertyCheck):
    """A PropertyCheck that stops at ``cap`` cases outside the ``thorough`` profile."""

    cap: int = 20

    def run(self, claim_id: str, *, profile: str = "ci", seed: int | None = None, override=None) -> NumericResult:
        return _run(self, PropertyCheck, claim_id, profile, seed, override)
