"""Every quote is the seed's own words: each run of Chinese characters in a quote appears
verbatim in its seed file (formulas may be tidied, DESIGN.md: the seeds repeat each formula in a
garbled LaTeX-extraction form; the words may not be)."""

from __future__ import annotations

import re

import pytest

from dlproofs.registry import all_claims
from dlproofs.runner import project_root

SEEDS = project_root().parent / "shared" / "seeds"
CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{2,}")
SOURCED = [(c, s) for c in all_claims() for s in c.sources]

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed articles not found at {SEEDS}")


@pytest.mark.parametrize(("claim", "source"), SOURCED, ids=[f"{c.id}:{s.file[:3]}:{s.line}" for c, s in SOURCED])
def test_chinese_words_are_verbatim(claim, source):
    text = (SEEDS / source.file).read_text(encoding="utf-8")
    missing = [w for w in CJK_RUN.findall(source.quote) if w not in text]
    assert not missing, f"{claim.id}: words not in {source.file}: {missing}"
