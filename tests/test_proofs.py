"""proofs/ is generated, current, and GitHub-safe."""

from __future__ import annotations

import re

import pytest

from dlproofs.publish import RESULTS, build_proofs, stale_files
from dlproofs.registry import all_claims, topics
from dlproofs.render import render_topic
from dlproofs.report import run_figures
from dlproofs.runner import project_root, run_claims

PROOFS = project_root() / "proofs"


@pytest.fixture(scope="module")
def files():
    return build_proofs()


def test_committed_proofs_are_current(files):
    stale = stale_files(PROOFS, files)
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
        "| check | outcome | cases asked | planted formulas rejected |",
        "[results.json](results.json)",
    ):
        assert needle in text, needle
    assert "torch 2" not in text and "sympy 1" not in text, "versions belong in results.json (issue 8)"


# ── issue 8: the Markdown does not depend on the run's figures or the library versions ──────────
@pytest.fixture(scope="module")
def tying_results():
    claims = topics()["tying"]
    return claims, run_claims(claims, use_cache=False, jobs=1)


def _perturbed(results: list[dict]) -> list[dict]:
    """The same outcomes with every run-specific figure changed (as another Hypothesis release or
    machine would give)."""
    out = []
    for r in results:
        nums = [
            {
                **n,
                "examples": n["examples"] + 7,
                "max_error": 0.123,
                "bound": 4.56,
                "worst": "other [float32]",
                "seconds": 99.0,
                "exhausted": not n["exhausted"],
            }
            for n in r["numeric"]
        ]
        out.append({**r, "numeric": nums, "seconds": 42.0})
    return out


def test_markdown_is_byte_identical_under_other_run_figures_and_versions(tying_results, monkeypatch):
    claims, results = tying_results
    by_id = {r["id"]: r for r in results}
    before = render_topic("tying", claims, by_id)
    import dlproofs.report as report

    monkeypatch.setattr(
        report, "versions", lambda: {"python": "3.99", "sympy": "9.9", "torch": "9.9", "hypothesis": "9"}
    )
    after = render_topic("tying", claims, {r["id"]: r for r in _perturbed(results)})
    assert after == before
    assert "0.123" not in after and "9.9" not in after
    # the figures are not lost: they are in the results file, which differs
    assert run_figures(_perturbed(results)) != run_figures(results)


def test_markdown_still_changes_when_an_outcome_changes(tying_results):
    claims, results = tying_results
    failed = [{**r, "verdict": "failed", "holds": False} for r in results]
    failed[0]["numeric"] = [{**n, "status": "fail"} for n in failed[0]["numeric"]]
    assert render_topic("tying", claims, {r["id"]: r for r in failed}) != render_topic(
        "tying", claims, {r["id"]: r for r in results}
    )


def test_render_check_reads_results_json_for_coverage_not_bytes(tying_results, tmp_path):
    import json

    _, results = tying_results
    files = {RESULTS: json.dumps(run_figures(results), sort_keys=True)}
    (tmp_path / RESULTS).write_text(json.dumps(run_figures(_perturbed(results)), sort_keys=True))
    assert stale_files(tmp_path, files) == []  # other figures: current
    missing = run_figures(results[1:])
    (tmp_path / RESULTS).write_text(json.dumps(missing))
    assert stale_files(tmp_path, files) and "misses a claim" in stale_files(tmp_path, files)[0]
    (tmp_path / RESULTS).write_text("{not json")
    assert stale_files(tmp_path, files)


def test_the_readme_quotes_the_ledgers_assertion_counts():
    """The README's headline counts are the ledger's (issue 11): a re-graded row must update both."""
    ledger = (PROOFS / "ledger.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| \**([a-z ]+?)\** \| \**(\d+)\** \| \**\d+\** \|$", ledger, flags=re.M))
    readme = (project_root() / "README.md").read_text(encoding="utf-8")
    head = re.search(
        r"\*\*(\d+) proved, (\d+) tested, (\d+)\s+refuted, (\d+) conditional, (\d+) not formalizable\*\*", readme
    )
    total = re.search(r"\((\d+) in all, judged by (\d+) of the (\d+)\s+claims", readme)
    assert head and total, "README lost its ledger counts sentence"
    quoted = dict(zip(("proved", "tested", "refuted", "conditional", "not formalizable"), head.groups()))
    assert {k: table.get(k) for k in quoted} == quoted
    assert total.group(1) == table["total"]
    assert int(total.group(3)) == len(all_claims())
