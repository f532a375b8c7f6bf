"""Shared helpers for the topic tests: one check per claim per test process, seed locations."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from dlproofs.check import ClaimResult, check_claim
from dlproofs.registry import get

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@cache
def checked(claim_id: str) -> ClaimResult:
    """The claim's check result, computed once per test process (the templates and the topic
    tests ask for the same evidence; running it twice would only double the suite's time)."""
    return check_claim(get(claim_id))


def assert_holds(claim) -> None:
    r = checked(claim.id)
    assert r.holds, r.problem


def assert_sources_on_their_lines(claims) -> None:
    if not SEEDS.exists():
        pytest.skip("seeds not available")
    for claim in claims:
        for s in claim.sources:
            line = (SEEDS / s.file).read_text().split("\n")[s.line - 1]
            assert s.quote[:6] in line, (claim.id, s.line)
