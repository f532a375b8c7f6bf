"""The ledger: every assertion of the seed articles, in the seed's order, with its verdict.

``proofs/ledger.md`` answers "which statements of the articles hold?" one row per *assertion*:
a fragment of a seed sentence (``Source.assertion``; the whole sentence when it makes one
assertion), its English gloss, the one verdict of the one claim that judges it and a link to the
proof anchor. Rows are grouped per seed file and ordered by ``Source.line``; the counts per
verdict head the page (and feed the README through :func:`ledger_counts`), each assertion once.

:func:`check_assertions` enforces issue 11's rules on the registry: one sentence per line, the
assertions of a sentence disjoint (so no assertion carries two verdicts), questions judged only
for their presupposition, hedged statements read as hedged. :func:`render_ledger` refuses to
render a ledger that breaks them.

Rendering never reads the seed files (the output must not depend on a checkout of
``../shared/seeds``); :func:`quote_key` and :func:`quote_lines` are what the tests use to check
that each quote really starts on the line its source names.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .claim import QUESTION_MARKS, STRONG_HEDGES, Claim, Sentence, Source, squeeze
from .errors import ClaimDefinitionError
from .report import verdict_text

__all__ = [
    "SEEDS",
    "VERDICT_ORDER",
    "ledger_rows",
    "ledger_counts",
    "claim_counts",
    "render_ledger",
    "quote_key",
    "quote_lines",
    "best_line",
    "check_source_lines",
    "check_assertions",
    "check_sentences",
    "assertion_span",
    "shown_fingerprint",
    "row_key",
    "heading_lines",
    "audit_input",
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
    """Every (source, claim) pair — one per assertion — ordered by seed file, then line, then sentence (in
    registry order of the first source that quotes it), then the fragment's place in the sentence."""
    rows = [(s, c, n) for n, c in enumerate(claims) for s in c.sources]
    first: dict[tuple[str, int, str], int] = {}
    for i, (s, _, _) in enumerate(rows):
        first.setdefault((s.file, s.line, squeeze(s.quote)), i)

    def key(r: tuple[Source, Claim, int]) -> tuple:
        s, _, n = r
        return (s.file, s.line, first[(s.file, s.line, squeeze(s.quote))], (assertion_span(s) or (0, 0))[0], n)

    rows.sort(key=key)
    return [(s, c) for s, c, _ in rows]


def _verdict(claim: Claim, results: Mapping[str, Mapping[str, Any]]) -> str:
    res = results.get(claim.id)
    if res is None:
        return "not checked"
    text = verdict_text(claim, res["verdict"])
    return text if res["holds"] else f"{text} (recorded: {claim.verdict.value})"


def ledger_counts(claims: Iterable[Claim], results: Mapping[str, Mapping[str, Any]]) -> dict[str, int]:
    """Assertions of the seeds (ledger rows, each once), per verdict the evidence supports."""
    counts: dict[str, int] = {}
    for _, c in ledger_rows(claims):
        v = results.get(c.id, {}).get("verdict", "not checked")
        counts[v] = counts.get(v, 0) + 1
    return {v: counts[v] for v in sorted(counts, key=_order)}


def claim_counts(claims: Iterable[Claim], results: Mapping[str, Mapping[str, Any]]) -> dict[str, int]:
    """Claims stated in a seed (at least one source), per verdict the evidence supports."""
    counts: dict[str, int] = {}
    for c in claims:
        if c.sources:
            v = results.get(c.id, {}).get("verdict", "not checked")
            counts[v] = counts.get(v, 0) + 1
    return {v: counts[v] for v in sorted(counts, key=_order)}


# ── issue 11's rules: one assertion, one claim, one verdict ──────────────────────────────────
def assertion_span(source: Source) -> tuple[int, int] | None:
    """Where the source's fragment sits in its sentence, in whitespace-free characters; None when
    the fragment occurs more than once (ambiguous: quote a longer fragment)."""
    sentence, fragment = squeeze(source.quote), squeeze(source.fragment)
    at = sentence.find(fragment)
    if at < 0 or sentence.find(fragment, at + 1) >= 0:
        return None
    return at, at + len(fragment)


def check_assertions(claims: Iterable[Claim]) -> list[str]:
    """Every breach of the ledger's rules (empty: all good).

    - a question is not an assertion: a fragment with a question mark must be kind "presupposition";
    - a hedged fragment ("有助于", "may") is read as hedged (kind "hedged");
    - a sentence is quoted one way: no quote on a line is part of another quote on that line;
    - the fragments of a sentence are disjoint: no assertion is judged twice (two claims, or one
      claim twice), so no assertion carries two verdicts and each is counted once.
    """
    problems: list[str] = []
    by_line: dict[tuple[str, int], list[tuple[Source, Claim]]] = {}
    for c in claims:
        for s in c.sources:
            where = f"{c.id} at {s.file}:{s.line}"
            fragment = s.fragment
            if any(q in fragment for q in QUESTION_MARKS) and s.kind != "presupposition":
                problems.append(
                    f"{where}: the fragment {fragment[:50]!r} is a question judged as kind {s.kind!r}; a question "
                    "asserts nothing (issue 11, rule 5): judge its presupposition (kind='presupposition', the gloss "
                    "naming it) or quote the answer"
                )
            strong = [h for h in STRONG_HEDGES if h in fragment.lower()]
            if strong and s.kind == "assertion":
                problems.append(
                    f"{where}: the fragment {fragment[:50]!r} is hedged ({strong[0].strip()!r}) but read as a plain "
                    "assertion; a hedged statement is judged as hedged (issue 11, rule 4): kind='hedged', or cut "
                    "the fragment to its unhedged part"
                )
            by_line.setdefault((s.file, s.line), []).append((s, c))
    for (file, line), rows in sorted(by_line.items()):
        # a seed line is a paragraph and may hold several sentences; one sentence is quoted one way
        sentences = sorted({squeeze(s.quote) for s, _ in rows}, key=len)
        for k, short in enumerate(sentences):
            longer = next((q for q in sentences[k + 1 :] if short in q), None)
            if longer is not None:
                problems.append(
                    f"{file}:{line}: the quote {short[:30]!r}… is part of another quote on the same line "
                    f"({longer[:30]!r}…); quote the whole sentence once in every row and mark each row's part with "
                    "assertion=, so the split into assertions is one split"
                )
        groups: dict[str, list[tuple[Source, Claim]]] = {}
        for s, c in rows:
            groups.setdefault(squeeze(s.quote), []).append((s, c))
        for group in groups.values():
            problems += _overlaps(file, line, group)
    return problems


def check_sentences(claims: Iterable[Claim]) -> list[str]:
    """Rows that type a seed sentence again (empty: all good): every row quoting one sentence (same
    file, line and words, whitespace aside) must reference one :class:`~dlproofs.claim.Sentence`
    object, so the sentence's words, line and section are written once and cannot drift apart."""
    first: dict[tuple[str, int, str], tuple[Sentence, str]] = {}
    problems: list[str] = []
    reported: set[tuple[tuple[str, int, str], int]] = set()
    for c in claims:
        for n, s in enumerate(c.sources, 1):
            key = (s.file, s.line, squeeze(s.quote))
            where = f"{c.id} (derivations/{c.topic}.py, source {n})"
            seen = first.setdefault(key, (s.sentence, where))
            if seen[0] is not s.sentence and (key, id(s.sentence)) not in reported:
                reported.add((key, id(s.sentence)))
                problems.append(
                    f"{s.file}:{s.line}: the sentence {s.quote[:30]!r}… is typed twice, in {seen[1]} and in {where}; "
                    "define it once as a module-level Sentence (in derivations/_shared.py when rows of several "
                    "topics quote it) and give both rows Source(sentence=...), so its words and section cannot "
                    "drift apart"
                )
    return problems


def _overlaps(file: str, line: int, rows: list[tuple[Source, Claim]]) -> list[str]:
    """Rows of one sentence whose fragments overlap (or cannot be placed)."""
    problems, spans = [], []
    for s, c in rows:
        span = assertion_span(s)
        if span is None:
            problems.append(
                f"{c.id} at {file}:{line}: the fragment {s.fragment[:40]!r} occurs more than once in its "
                "sentence; quote a longer fragment so the row says which words it judges"
            )
        else:
            spans.append((span, s, c))
    spans.sort(key=lambda r: r[0])
    for (a, s, c), (b, t, d) in zip(spans, spans[1:]):
        if b[0] < a[1]:
            problems.append(
                f"{file}:{line}: the assertion {s.fragment[:40]!r} ({c.id}, {c.verdict.value}) overlaps "
                f"{t.fragment[:40]!r} ({d.id}, {d.verdict.value}); an assertion is judged by one claim with "
                "one verdict: split the sentence into disjoint fragments (assertion=) or drop one row"
            )
    return problems


def row_key(source: Source, claim: Claim, claims: Sequence[Claim] = ()) -> str:
    """The stable key of a ledger row: "<seed prefix>:<line>:<claim id>", plus ":<n>" (1-based, in
    sentence order) when the claim judges several fragments of the same sentence."""
    key = f"{source.file[:3]}:{source.line}:{claim.id}"
    same = [s for s in claim.sources if s.file == source.file and s.line == source.line]
    if len(same) > 1:
        same.sort(key=lambda s: assertion_span(s) or (0, 0))
        key += f":{same.index(source) + 1}"
    return key


def audit_input(claims: Iterable[Claim], seed: str) -> list[dict[str, Any]]:
    """The independent readers' input for one seed (prefix "000".."004"): every row that is not
    "not formalizable", with the sentence, the assertion, the gloss and the claim's words only
    (no notes, no evidence: the reader judges the verdict from the statement alone). A row's reading
    (hedged, presupposition) is in its gloss."""
    out = []
    for s, c in ledger_rows(claims):
        if not s.file.startswith(seed) or c.verdict.value == "not formalizable":
            continue
        # the statement is what the claim derives (its relations) or, without a derivation, its title
        statement = "; ".join(str(r) for r in c.statement) if c.derivations else c.title
        out.append(
            {
                "row": row_key(s, c),
                "seed": s.file,
                "line": s.line,
                "sentence": s.quote,
                "assertion": s.fragment,
                "gloss": s.gloss,
                "claim": c.id,
                "claim_title": c.title,
                "claim_statement": statement,
                "claim_hypothesis": c.hypothesis or "",
                "verdict": c.verdict.value,
            }
        )
    return out


def shown_fingerprint(row: Mapping[str, Any]) -> str:
    """A short hash of what a reader of ``row`` (an :func:`audit_input` row) is shown, so the audit record
    can tell when a gloss, a claim's title, statement or hypothesis, or a verdict changed after the reading."""
    shown = {k: v for k, v in row.items() if k != "row"}
    return hashlib.sha256(json.dumps(shown, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def _order(verdict: str) -> tuple[int, str]:
    return (VERDICT_ORDER.index(verdict) if verdict in VERDICT_ORDER else len(VERDICT_ORDER), verdict)


def _cell(text: str, limit: int | None = None) -> str:
    """Plain text for a table cell: one line, no Markdown or math interpretation, no bare |."""
    text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return re.sub(r"([\\`*_\[\]<>|$~#])", r"\\\1", text)


def _statement(source: Source) -> str:
    """The words a row judges: the fragment, with … where the sentence goes on around it."""
    span = assertion_span(source)
    if not source.assertion or span is None:
        return source.quote
    whole = squeeze(source.quote)
    return ("…" if span[0] > 0 else "") + source.assertion.strip() + ("…" if span[1] < len(whole) else "")


def _row_verdict(source: Source, claim: Claim, results: Mapping[str, Mapping[str, Any]]) -> str:
    text = _verdict(claim, results)
    if source.kind == "hedged":
        return f"{text} (hedged, judged as hedged)"
    if source.kind == "presupposition":
        return f"{text} (the question's presupposition)"
    return text


def render_ledger(claims: Sequence[Claim], results: Mapping[str, Mapping[str, Any]]) -> str:
    """proofs/ledger.md: counts per verdict, then one table per seed file in the file's order.

    Raises ClaimDefinitionError when the registry breaks a rule of :func:`check_assertions`: a
    ledger in which one assertion shows two verdicts must not be published."""
    problems = check_assertions(claims)
    if problems:
        raise ClaimDefinitionError(
            f"the ledger breaks {len(problems)} of its rules (one assertion, one claim, one verdict):\n  "
            + "\n  ".join(problems)
        )
    counts = ledger_counts(claims, results)
    claimed = claim_counts(claims, results)
    rows = ledger_rows(claims)
    out = ["# The ledger: the seed articles, assertion by assertion", ""]
    out += ["<!-- generated by `dlproofs render`; do not edit -->", ""]
    out += [
        "Every mathematical assertion of the five seed articles in `../shared/seeds/`, in each article's "
        "order, with the verdict its executable evidence supports: **proved** (a complete symbolic derivation, "
        "every step checked, and cross-validated against PyTorch), **tested** (numeric, behavioural or Monte "
        "Carlo evidence only — never called proved; the proof says which part no derivation covers), "
        "**refuted** (a confirmed counterexample), **conditional** (true under a named extra hypothesis, "
        "derived under it, with counterexamples that each violate it) or **not formalizable** (empirical, "
        "historical or opinion; the proof says why). A row is one assertion: a sentence that asserts several "
        "things is split into fragments (… marks the rest of the sentence), each judged by exactly one claim "
        'with one verdict. A hedged assertion ("may", "有助于") is judged as hedged, so a witness proves '
        "it; a question asserts nothing, and only what it presupposes is judged, labelled as such. Follow the "
        "link for the evidence.",
        "",
        "| verdict | assertions | claims |",
        "|---|---|---|",
    ]
    for v in sorted(set(counts) | set(claimed), key=_order):
        out.append(f"| {v} | {counts.get(v, 0)} | {claimed.get(v, 0)} |")
    out.append(f"| **total** | **{len(rows)}** | **{sum(claimed.values())}** |")
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
        out += ["| line | § | assertion (original) | English gloss | verdict | proof |", "|---|---|---|---|---|---|"]
        for s, c in file_rows:
            link = f"[`{c.id}`]({c.topic}.md#{c.id})"
            out.append(
                f"| {s.line or '?'} | {_cell(s.section)} | {_cell(_statement(s), _QUOTE_CHARS)} | {_cell(s.gloss)} "
                f"| {_cell(_row_verdict(s, c, results))} | {link} |"
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
    """Problems with sources' ``line`` against the seed files in ``seed_dir`` (empty: all good):
    the quote must start on that line, and the line must not be a heading (a title asserts nothing)."""
    problems = []
    texts: dict[str, str] = {}
    by_line: dict[tuple[str, int], list[tuple[Source, Claim]]] = {}
    for c in claims:
        for s in c.sources:
            if s.file not in texts:
                path = seed_dir / s.file
                texts[s.file] = path.read_text(encoding="utf-8") if path.exists() else ""
            lines = quote_lines(s.quote, texts[s.file])
            if s.line not in lines:
                problems.append(f"{c.id}: {s.file} line {s.line}: quote key {quote_key(s.quote)[1]!r} is on {lines}")
            by_line.setdefault((s.file, s.line), []).append((s, c))
            if s.line in heading_lines(texts[s.file]):
                problems.append(
                    f"{c.id}: {s.file} line {s.line} is a heading ({s.quote[:40]!r}); a title or section heading "
                    "asserts nothing (issue 11, rule 5): judge the sentences of the section instead"
                )
    for (file, line), rows in sorted(by_line.items()):
        problems += _seed_overlaps(file, line, rows, texts[file])
    return problems


def _cjk(text: str) -> str:
    return "".join(_CJK.findall(text))


def _seed_overlaps(file: str, line: int, rows: list[tuple[Source, Claim]], text: str) -> list[str]:
    """Rows of one seed paragraph whose fragments overlap in the seed itself (located by their Chinese
    characters, as formulas may be tidied): different sentences' rows may not judge the same words."""
    lines = text.splitlines()
    para = _cjk("".join(lines[line - 1 : line + 2])) if 0 < line <= len(lines) else ""
    spans, problems = [], []
    for s, c in rows:
        frag = _cjk(s.fragment)
        at = para.find(frag) if len(frag) >= 2 else -1
        if at >= 0 and para.find(frag, at + 1) < 0:
            spans.append(((at, at + len(frag)), s, c))
    spans.sort(key=lambda r: r[0])
    for (a, s, c), (b, t, d) in zip(spans, spans[1:]):
        if b[0] < a[1] and squeeze(s.quote) != squeeze(t.quote):
            problems.append(
                f"{file}:{line}: {c.id} judges {s.fragment[:30]!r} and {d.id} judges {t.fragment[:30]!r}, which "
                "overlap in the seed; quote the sentence once and split it into disjoint assertions"
            )
    return problems


_NUMBERED = re.compile(r"^(\d+(\.\d+)*\.?|[一二三四五六七八九十]+[、.]|Q\d+[:：]?)\s*\S")
_SENTENCE_END = re.compile(r"[。，,；;！!：:=]")


def heading_lines(text: str) -> set[int]:
    """1-based lines of a seed that are headings, not assertions: the article's title (its first
    non-empty line) and short numbered section titles without sentence punctuation ("3.4.1 梯度消失"),
    flush left (an indented "  1. …" is a list item: an answer, not a heading)."""
    lines = text.splitlines()
    found = {next((n for n, line in enumerate(lines, 1) if line.strip()), 1)}
    for n, line in enumerate(lines, 1):
        bare = squeeze(line)
        if bare and len(bare) <= 40 and _NUMBERED.match(line) and not _SENTENCE_END.search(line):
            found.add(n)
    return found
