"""Shared helpers for the topic tests of positional/masks/convattn/clipping/adam."""

from __future__ import annotations

from pathlib import Path

import pytest

from dlproofs.check import check_claim

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def assert_holds(claim) -> None:
    r = check_claim(claim)
    assert r.holds, r.problem


def assert_sources_on_their_lines(claims) -> None:
    if not SEEDS.exists():
        pytest.skip("seeds not available")
    for claim in claims:
        for s in claim.sources:
            line = (SEEDS / s.file).read_text().split("\n")[s.line - 1]
            assert s.quote[:6] in line, (claim.id, s.line)
