"""The ledger (issue 5): every seed statement with its verdict, in each seed's order.

- rows are ordered by seed file, then Source.line; counts per verdict are right;
- every source's quote starts on its stated line of the seed file (first Chinese characters);
- every refuted claim's counterexample and every conditional's hypothesis appear in its proof;
- `dlproofs list --json` gives the source (with its line) of every claim;
- the ledger is GitHub-safe (no math, no bare | in cells) and linked from proofs/README.md.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dlproofs import cli
from dlproofs.claim import Claim, Source, Verdict
from dlproofs.ledger import (
    SEEDS,
    best_line,
    check_source_lines,
    ledger_counts,
    ledger_rows,
    quote_key,
    quote_lines,
    render_ledger,
)
from dlproofs.registry import all_claims
from dlproofs.render import render_claim, render_index
from dlproofs.runner import project_root

SEED_DIR = project_root().parent / "shared" / "seeds"
CLAIMS = all_claims()
needs_seeds = pytest.mark.skipif(not SEED_DIR.is_dir(), reason="../shared/seeds is not checked out")


def _claim(id_: str, verdict: Verdict, *sources: Source, **kw) -> Claim:
    if verdict is Verdict.NOT_FORMALIZABLE:
        kw.setdefault("reason", "opinion")
    return Claim(id=id_, title=id_, verdict=verdict, summary="s", sources=sources, topic="t", **kw)


def _src(file: str, line: int, quote: str = "一二三四五六七") -> Source:
    return Source(file, "§", quote, "gloss", line=line)


def _result(verdict: str, holds: bool = True) -> dict:
    return {"verdict": verdict, "holds": holds}


# ── ordering and counts ───────────────────────────────────────────────────────────────────────
def test_rows_are_ordered_by_file_then_line_then_registry_order():
    a = _claim("t.a", Verdict.NOT_FORMALIZABLE, _src("001_x.txt", 30), _src("000_x.txt", 9))
    b = _claim("t.b", Verdict.NOT_FORMALIZABLE, _src("001_x.txt", 4), _src("001_x.txt", 30))
    rows = [(s.file, s.line, c.id) for s, c in ledger_rows([a, b])]
    assert rows == [
        ("000_x.txt", 9, "t.a"),
        ("001_x.txt", 4, "t.b"),
        ("001_x.txt", 30, "t.a"),
        ("001_x.txt", 30, "t.b"),
    ]


def test_counts_are_per_claim_with_a_source_and_use_the_computed_verdict():
    a = _claim("t.a", Verdict.NOT_FORMALIZABLE, _src("000_x.txt", 1), _src("000_x.txt", 2))
    b = _claim("t.b", Verdict.NOT_FORMALIZABLE, _src("000_x.txt", 3))
    c = _claim("t.c", Verdict.NOT_FORMALIZABLE)  # no source: a supporting result, not counted
    results = {"t.a": _result("not formalizable"), "t.b": _result("failed", holds=False), "t.c": _result("proved")}
    assert ledger_counts([a, b, c], results) == {"not formalizable": 1, "failed": 1}
    text = render_ledger([a, b, c], results)
    assert "| not formalizable | 1 | 2 |" in text and "| failed | 1 | 1 |" in text
    assert "| **total** | **2** | **3** |" in text
    assert "failed (recorded: not formalizable)" in text  # a claim that does not hold says so
    assert "Supporting results" in text and "[`t.c`](t.md#t.c)" in text


def test_ledger_table_cells_are_github_safe():
    quote = "若 |x| 很大 $a_b$ *强调* [链接](x) <b>" + "长" * 300
    a = _claim("t.a", Verdict.NOT_FORMALIZABLE, _src("000_1d469c68e1c37224.txt", 5, quote))
    text = render_ledger([a], {"t.a": _result("not formalizable")})
    row = next(line for line in text.splitlines() if "t.md#t.a" in line)
    cells = re.split(r"(?<!\\)\|", row)[1:-1]
    assert len(cells) == 6, cells  # no | inside a cell splits it
    assert "$" not in row.replace("\\$", "") and "```" not in text
    assert "…" in cells[2] and len(cells[2]) < 400  # long quotes are cut; the proof has them whole
    assert "[`t.a`](t.md#t.a)" in cells[5]


def test_every_seed_has_a_section_in_file_order():
    text = render_ledger([], {})
    heads = [line for line in text.splitlines() if line.startswith("## ")]
    assert [h.split("]")[0].removeprefix("## [") for h in heads] == sorted(SEEDS)


# ── quotes are where their sources say ────────────────────────────────────────────────────────
def test_quote_key_uses_chinese_characters_then_latin_letters():
    assert quote_key("由于 y = x+Sublayer(x),根据加法求导法则") == ("cjk", "由于根据加法")
    assert quote_key("Then their dot product q⋅k") == ("latin", "Thentheirdotprod")


def test_best_line_resolves_repeated_openings():
    text = "L1正则化:在原始损失函数\nL2正则化:在原始损失函数\n"
    assert quote_lines("L2正则化:在原始损失函数", text) == [1, 2]
    assert best_line("L2正则化:在原始损失函数", text) == 2


def test_a_quote_may_start_on_a_short_line_and_run_on():
    text = "标准顺序:\n输入 → 子层\n其他"
    assert quote_lines("标准顺序:输入 → 子层", text) == [1]


@needs_seeds
def test_every_source_quote_starts_on_its_stated_line():
    problems = check_source_lines(CLAIMS, SEED_DIR)
    assert not problems, "\n".join(problems)


@needs_seeds
def test_every_source_names_a_seed_file_that_exists():
    files = {s.file for c in CLAIMS for s in c.sources}
    assert files <= {p.name for p in SEED_DIR.iterdir()}, files
    assert files <= set(SEEDS)


def test_every_source_has_a_line_and_a_gloss():
    bad = [(c.id, s.file) for c in CLAIMS for s in c.sources if s.line < 1 or not s.gloss.strip()]
    assert not bad, bad


# ── evidence in the proof ─────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("claim", [c for c in CLAIMS if c.verdict is Verdict.REFUTED], ids=lambda c: c.id)
def test_refuted_claims_show_their_counterexample(claim):
    assert claim.counterexamples, claim.id
    text = render_claim(claim, None)
    for cx in claim.counterexamples:
        assert cx.description in text


@pytest.mark.parametrize("claim", [c for c in CLAIMS if c.verdict is Verdict.CONDITIONAL], ids=lambda c: c.id)
def test_conditional_claims_show_hypothesis_and_counterexample(claim):
    assert claim.hypothesis and claim.counterexamples, claim.id
    text = render_claim(claim, None)
    assert claim.hypothesis in text
    assert all(cx.description in text for cx in claim.counterexamples)


@pytest.mark.parametrize("claim", [c for c in CLAIMS if c.verdict is Verdict.NOT_FORMALIZABLE], ids=lambda c: c.id)
def test_not_formalizable_claims_say_why(claim):
    assert claim.reason and f"**Why not formalizable.** {claim.reason}" in render_claim(claim, None)


# ── the list command and the index ────────────────────────────────────────────────────────────
# Claims no seed sentence states: lemmas and sharper results the seed claims rest on. The ledger lists
# them as "supporting results"; `list --json` gives them source null. Adding a claim here is a decision
# that no seed sentence states it (say which one it supports).
SUPPORTING = {
    "adam.kingma-bound": "Kingma & Ba's bound is stated in the Adam paper, not in a seed (supports adam.step-bound)",
    "dropout.inverted-variance": "no seed states dropout's variance; only its mean (dropout.inverted-mean)",
    "normorder.layernorm-jacobian": "the lemma under normorder.postnorm-jacobian and postnorm-identity-weight",
    "alibi.slopes": "seed 004 writes the slope m but never its values (supports alibi.bias)",
}


def test_list_json_includes_the_source_of_every_claim(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["list", "--json"])
    rows = json.loads(capsys.readouterr().out)
    assert exc.value.code == 0 and len(rows) == len(CLAIMS)
    assert all("source" in r and "sources" in r for r in rows)  # the key is there for every claim
    sourceless = {r["id"] for r in rows if not r["sources"]}
    assert sourceless <= set(SUPPORTING), f"claims without a seed source: {sorted(sourceless - set(SUPPORTING))}"
    assert set(SUPPORTING) <= sourceless, f"now sourced, drop from SUPPORTING: {sorted(set(SUPPORTING) - sourceless)}"
    for r in rows:
        if not r["sources"]:
            assert r["source"] is None, r["id"]  # null, as the foundation issue allows for non-seed claims
            continue
        assert all({"file", "section", "line", "quote", "gloss"} <= set(s) for s in r["sources"])
        assert all(s["quote"].strip() and s["line"] >= 1 for s in r["sources"]), r["id"]
        assert r["source"] == r["sources"][0]["file"]


def test_index_links_the_ledger():
    assert "[ledger.md](ledger.md)" in render_index({}, {})


def test_ledger_lists_every_sourced_claim_once_per_source():
    results = {c.id: _result(c.verdict.value) for c in CLAIMS}
    text = render_ledger(CLAIMS, results)
    for c in CLAIMS:
        assert text.count(f"]({c.topic}.md#{c.id})") == max(len(c.sources), 1), c.id


def test_committed_ledger_is_generated():
    path = project_root() / "proofs" / "ledger.md"
    if path.exists():  # test_proofs.py compares the bytes; here only that it is the generated kind
        assert "<!-- generated by `dlproofs render`; do not edit -->" in Path(path).read_text(encoding="utf-8")
