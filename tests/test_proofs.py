"""proofs/ is generated, current, and GitHub-safe."""

from __future__ import annotations

import re

import pytest

from dlproofs.publish import build_proofs
from dlproofs.registry import all_claims
from dlproofs.runner import project_root

PROOFS = project_root() / "proofs"


@pytest.fixture(scope="module")
def files():
    return build_proofs()


def test_committed_proofs_are_current(files):
    stale = [
        name
        for name, text in files.items()
        if not (PROOFS / name).exists() or (PROOFS / name).read_text(encoding="utf-8") != text
    ]
    assert not stale, f"proofs/ is stale: {stale}; run `dlproofs render` and commit"


def test_every_claim_has_its_anchor_and_index_row(files):
    for claim in all_claims():
        assert f'<a id="{claim.id}"></a>' in files[f"{claim.topic}.md"]
        assert f"]({claim.topic}.md#{claim.id})" in files["README.md"]


def test_math_is_github_safe(files):
    for name, text in files.items():
        assert "$$" not in text, name
        assert text.count("```math") * 2 <= text.count("```"), name
        for block in re.findall(r"```math\n(.*?)\n```", text, flags=re.S):
            assert "|" not in block, f"{name}: use \\lVert/\\lvert, not |, in math: {block[:80]}"


def test_batchnorm_proof_reads_on_its_own(files):
    text = files["batchnorm.md"]
    for needle in (
        "**Verdict: proved**",
        "**Step 1**",
        "Also checked exactly at concrete m = 1, 2, 3, 4, 5, 6",
        "### Numeric cross-validation",
        "Shown to reject the planted wrong formulas",
        "计算批量方差",
        "torch 2",
        "sympy 1",
    ):
        assert needle in text, needle
