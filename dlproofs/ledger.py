"""The ledger: every seed sentence that states a claim, in the seed's order, with its verdict.

``proofs/ledger.md`` answers "which statements of the articles hold?" one row per
(claim, source) pair: the quote, its English gloss, the verdict the evidence supports and a link
to the proof anchor. Rows are grouped per seed file and ordered by ``Source.line``; the counts
per verdict head the page (and feed the README through :func:`ledger_counts`).

Rendering never reads the seed files (the output must not depend on a checkout of
``../shared/seeds``); :func:`quote_key` and :func:`quote_lines` are what the tests use to check
that each quote really starts on the line its source names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .claim import Claim, Source
from .report import verdict_text

__all__ = [
    "SEEDS",
    "VERDICT_ORDER",
    "ledger_rows",
    "ledger_counts",
    "render_ledger",
    "quote_key",
    "quote_lines",
    "best_line",
    "check_source_lines",
]

SEED_DIR = "../shared/seeds"  # as seen from proofs/ (render.py links the same way)

# The five seed articles: file name -> what it is (English), in file order.
SEEDS: dict[str, str] = {
    "000_1d469c68e1c37224.txt": "Interview notes: vanishing/exploding gradients in the Transformer; complexity of "
    "self-attention, FFN and the whole model",
    "001_247eb230c3d35b0b.txt": "Deep-learning basics interview questions Q1–Q20 (gradients, activations, "
    "normalization, dropout, regularization, initialization, ResNet, attention, masks, pre-training)",
    "002_9e6212acebde65bf.txt": "Transformer Q&A: weight sharing, scaled dot product, additive vs multiplicative "
    "attention, multi-head cost, attention without projections",
    "003_93fbe64bf7e5ecd9.txt": "Q51: a lower bound on the gradient of the residual connection x + Sublayer(x) "
    "(Sublayer initialised to zero)",
    "004_77fa28d87cc9dc01.txt": "Transformer basics: self-attention layer and code, the √d_k scaling, positional "
    "encodings (sinusoidal, RoPE, ALiBi, PI, NTK), Pre-Norm vs Post-Norm",
}

VERDICT_ORDER = (
    "proved",
    "tested",
    "refuted",
    "conditional",
    "not formalizable",
    "undecided",
    "failed",
    "not checked",
)

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_QUOTE_CHARS = 180  # quotes longer than this are cut (the proof file shows them in full)


def quote_key(quote: str, *, cjk: int = 6, latin: int = 16) -> tuple[str, str]:
    """What identifies a quote on its seed line: its first ``cjk`` Chinese characters, or (for a
    quote with fewer, e.g. the English paper quotation in 004) its first ``latin`` letters.

    Returns ``(kind, key)`` with kind ``"cjk"`` or ``"latin"``; formulas between the characters
    are ignored, so a tidied formula still matches the seed's garbled extraction.
    """
    chars = _CJK.findall(quote)
    if len(chars) >= cjk:
        return "cjk", "".join(chars[:cjk])
    return "latin", "".join(_LATIN.findall(quote)[:latin])


def quote_lines(quote: str, text: str) -> list[int]:
    """1-based lines of ``text`` on which the quote's key (see :func:`quote_key`) starts."""
    kind, key = quote_key(quote)
    pattern = _CJK if kind == "cjk" else _LATIN
    chars = ["".join(pattern.findall(line)) for line in text.splitlines()]
    found = []
    for n, own in enumerate(chars, 1):
        # the key starts on this line and may run on into the next two (a quote spanning lines)
        at = "".join(chars[n - 1 : n + 2]).find(key) if key else -1
        if 0 <= at < len(own):
            found.append(n)
    return found


def best_line(quote: str, text: str) -> int | None:
    """The line among :func:`quote_lines` that holds the longest prefix of the quote (spaces
    ignored): resolves quotes whose first characters recur, e.g. "L1正则化" vs "L2正则化"."""
    squeeze = "".join(quote.split())
    lines = text.splitlines()

    def reach(n: int) -> int:
        line = "".join(lines[n - 1].split())
        k = 0
        while k < len(squeeze) and squeeze[: k + 1] in line:
            k += 1
        return k

    found = quote_lines(quote, text)
    return max(found, key=lambda n: (reach(n), -n)) if found else None


def ledger_rows(claims: Iterable[Claim]) -> list[tuple[Source, Claim]]:
    """Every (source, claim) pair, ordered by seed file, then line, then registry order."""
    rows = [(s, c, n) for n, c in enumerate(claims) for s in c.sources]
    rows.sort(key=lambda r: (r[0].file, r[0].line, r[2]))
    return [(s, c) for s, c, _ in rows]


def _verdict(claim: Claim, results: Mapping[str, Mapping[str, Any]]) -> str:
    res = results.get(claim.id)
    if res is None:
        return "not checked"
    text = verdict_text(claim, res["verdict"])
    return text if res["holds"] else f"{text} (recorded: {claim.verdict.value})"


def ledger_counts(claims: Iterable[Claim], results: Mapping[str, Mapping[str, Any]]) -> dict[str, int]:
    """Claims stated in a seed (at least one source), per verdict the evidence supports."""
    counts: dict[str, int] = {}
    for c in claims:
        if c.sources:
            v = results.get(c.id, {}).get("verdict", "not checked")
            counts[v] = counts.get(v, 0) + 1
    return {v: counts[v] for v in sorted(counts, key=_order)}


def _order(verdict: str) -> tuple[int, str]:
    return (VERDICT_ORDER.index(verdict) if verdict in VERDICT_ORDER else len(VERDICT_ORDER), verdict)


def _cell(text: str, limit: int | None = None) -> str:
    """Plain text for a table cell: one line, no Markdown or math interpretation, no bare |."""
    text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return re.sub(r"([\\`*_\[\]<>|$~#])", r"\\\1", text)


def render_ledger(claims: Sequence[Claim], results: Mapping[str, Mapping[str, Any]]) -> str:
    """proofs/ledger.md: counts per verdict, then one table per seed file in the file's order."""
    counts = ledger_counts(claims, results)
    rows = ledger_rows(claims)
    row_counts: dict[str, int] = {}
    for _, c in rows:
        v = results.get(c.id, {}).get("verdict", "not checked")
        row_counts[v] = row_counts.get(v, 0) + 1
    out = ["# The ledger: the seed articles, statement by statement", ""]
    out += ["<!-- generated by `dlproofs render`; do not edit -->", ""]
    out += [
        "Every mathematical statement of the five seed articles in `../shared/seeds/`, in each article's "
        "order, with the verdict its executable evidence supports: **proved** (a complete symbolic derivation, "
        "every step checked, and cross-validated against PyTorch), **tested** (numeric, behavioural or Monte "
        "Carlo evidence only — never called proved; the proof says which part no derivation covers), "
        "**refuted** (a confirmed counterexample), **conditional** (true under a named extra hypothesis, "
        "derived under it, with counterexamples that each violate it) or **not formalizable** (empirical, "
        "historical or opinion; the proof says why). Several sentences may state one claim; a sentence may "
        "touch several claims. Follow the link for the evidence.",
        "",
        "| verdict | claims | seed statements |",
        "|---|---|---|",
    ]
    for v in sorted(set(counts) | set(row_counts), key=_order):
        out.append(f"| {v} | {counts.get(v, 0)} | {row_counts.get(v, 0)} |")
    out.append(f"| **total** | **{sum(counts.values())}** | **{len(rows)}** |")
    out.append("")
    by_file: dict[str, list[tuple[Source, Claim]]] = {}
    for s, c in rows:
        by_file.setdefault(s.file, []).append((s, c))
    for name in sorted(set(SEEDS) | set(by_file)):
        out += [f"## [{name}]({SEED_DIR}/{name})", ""]
        if name in SEEDS:
            out += [SEEDS[name] + ".", ""]
        file_rows = by_file.get(name, [])
        if not file_rows:
            out += ["No statements recorded yet.", ""]
            continue
        out += ["| line | § | statement (original) | English gloss | verdict | proof |", "|---|---|---|---|---|---|"]
        for s, c in file_rows:
            link = f"[`{c.id}`]({c.topic}.md#{c.id})"
            out.append(
                f"| {s.line or '?'} | {_cell(s.section)} | {_cell(s.quote, _QUOTE_CHARS)} | {_cell(s.gloss)} "
                f"| {_cell(_verdict(c, results))} | {link} |"
            )
        out.append("")
    unsourced = [c for c in claims if not c.sources]
    if unsourced:
        out += ["## Supporting results (not stated in a seed)", "", "| claim | verdict |", "|---|---|"]
        out += [
            f"| [`{c.id}`]({c.topic}.md#{c.id}) {_cell(c.title)} | {_cell(_verdict(c, results))} |" for c in unsourced
        ]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def check_source_lines(claims: Iterable[Claim], seed_dir: Path) -> list[str]:
    """Problems with sources' ``line`` against the seed files in ``seed_dir`` (empty: all good)."""
    problems = []
    texts: dict[str, str] = {}
    for c in claims:
        for s in c.sources:
            if s.file not in texts:
                path = seed_dir / s.file
                texts[s.file] = path.read_text(encoding="utf-8") if path.exists() else ""
            lines = quote_lines(s.quote, texts[s.file])
            if s.line not in lines:
                problems.append(f"{c.id}: {s.file} line {s.line}: quote key {quote_key(s.quote)[1]!r} is on {lines}")
    return problems
