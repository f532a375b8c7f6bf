"""Shared helpers for the topic tests: one check per claim per test process, seed locations."""

from __future__ import annotations

from functools import cache

from dlproofs.check import ClaimResult, check_claim
from dlproofs.registry import get


@cache
def checked(claim_id: str) -> ClaimResult:
    """The claim's check result, computed once per test process (the templates and the topic
    tests ask for the same evidence; running it twice would only double the suite's time)."""
    return check_claim(get(claim_id))


def assert_holds(claim) -> None:
    r = checked(claim.id)
    assert r.holds, r.problem
