"""Vocabulary once (issue 10): each seed sentence is one Sentence object, referenced by every ledger
row that judges part of it, and the seed files' names are spelled only in derivations/_shared.py."""

from __future__ import annotations

import dataclasses
import importlib
import re
from collections import defaultdict

import pytest
from dlproofs.derivations import _shared as shared

from dlproofs.claim import Claim, Sentence, Source, Verdict, squeeze
from dlproofs.errors import ClaimDefinitionError
from dlproofs.ledger import check_sentences
from dlproofs.registry import _check_sentences, all_claims
from dlproofs.runner import project_root

CLAIMS = all_claims()
DERIVATIONS = project_root() / "derivations"
SEED_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")


def _rows_by_sentence(claims) -> dict[tuple[str, int, str], list[tuple[Claim, Source]]]:
    rows = defaultdict(list)
    for c in claims:
        for s in c.sources:
            rows[(s.file, s.line, squeeze(s.quote))].append((c, s))
    return rows


def _claim(id_: str, *sources: Source) -> Claim:
    return Claim(
        id=id_, title=id_, verdict=Verdict.NOT_FORMALIZABLE, summary="s", reason="r", sources=sources, topic="t"
    )


# ── the Sentence record and the two ways of writing a row ──────────────────────────────────────
def test_a_row_reads_its_sentence_through_the_old_names():
    s = Sentence(file="000_x.txt", section="§1", line=3, quote="一二三四五六七。")
    row = Source(sentence=s, gloss="g", assertion="三四五")
    assert (row.file, row.section, row.line, row.quote, row.fragment) == (
        "000_x.txt",
        "§1",
        3,
        "一二三四五六七。",
        "三四五",
    )
    assert row.sentence is s
    with pytest.raises(AttributeError):
        row.quote = "other"  # read-only: the words live in the Sentence, once


def test_a_row_keeps_the_old_repr_so_published_fingerprints_do_not_move():
    """dlproofs.report.fingerprint hashes repr(claim.sources): the same row written either way has
    the repr the pre-Sentence dataclass had, field for field."""
    typed = Source("000_x.txt", "§1", "一二三四五六七。", "g", line=3, kind="assertion")
    shared_form = Source(sentence=Sentence(file="000_x.txt", section="§1", line=3, quote="一二三四五六七。"), gloss="g")
    old = (
        "Source(file='000_x.txt', section='§1', quote='一二三四五六七。', gloss='g', line=3, assertion='', "
        "kind='assertion')"
    )
    assert repr(typed) == repr(shared_form) == old
    assert typed == shared_form


def test_a_row_refuses_a_sentence_given_twice_or_not_at_all():
    s = Sentence(file="000_x.txt", section="§1", line=3, quote="一二三四五六七。")
    with pytest.raises(ClaimDefinitionError, match="not both"):
        Source("000_x.txt", sentence=s, gloss="g")
    with pytest.raises(ClaimDefinitionError, match="not both"):
        Source(line=3, sentence=s, gloss="g")
    with pytest.raises(ClaimDefinitionError, match="no sentence= and no file, section, quote"):
        Source(gloss="g")
    with pytest.raises(ClaimDefinitionError, match="gloss is required"):
        Source(sentence=s)
    with pytest.raises(ClaimDefinitionError, match="must be a Sentence"):
        Source(sentence="一二三四五六七。", gloss="g")
    with pytest.raises(ClaimDefinitionError, match="line must be an int"):
        Sentence(file="000_x.txt", section="§1", line="3", quote="一二三。")
    with pytest.raises(TypeError):
        Sentence("000_x.txt", "§1", 3, "一二三。")  # keyword-only: four fields, easy to swap


# ── the registry: one object per sentence ──────────────────────────────────────────────────────
def _split(claims) -> list[str]:
    """Sentences (file, line, words) that rows reference through more than one object."""
    return [
        f"{k[0]}:{k[1]} in {[c.id for c, _ in v]}"
        for k, v in _rows_by_sentence(claims).items()
        if len({id(s.sentence) for _, s in v}) > 1
    ]


def _not_constants(claims) -> list[str]:
    """Sentences quoted by 2+ rows that are not a module-level constant of their home: derivations/_shared.py
    when rows of several topics quote them, else their topic module."""
    problems = []
    for (file, line, _), rows in _rows_by_sentence(claims).items():
        if len(rows) < 2:
            continue
        sentence = rows[0][1].sentence
        topics = sorted({c.topic for c, _ in rows})
        home = shared if len(topics) > 1 else importlib.import_module(f"dlproofs.derivations.{topics[0]}")
        if not any(v is sentence for v in vars(home).values()):
            problems.append(f"{file}:{line} (quoted in {topics}) is not a constant of {home.__name__}")
    return problems


def test_rows_quoting_one_sentence_hold_one_sentence_object():
    assert _split(CLAIMS) == [], "sentences typed more than once"
    assert check_sentences(CLAIMS) == []
    assert sum(len(v) > 1 for v in _rows_by_sentence(CLAIMS).values()) >= 40  # 49 shared sentences when written
    # planted: the same sentence typed in two rows
    twice = [_claim(f"t.{k}", Source("000_x.txt", "§", "一二三四五六七。", "g", line=3)) for k in "ab"]
    assert _split(twice) == ["000_x.txt:3 in ['t.a', 't.b']"]


def test_a_sentence_quoted_by_several_rows_is_a_module_level_constant_in_its_home():
    assert _not_constants(CLAIMS) == []
    # planted: one object, but made in place rather than a constant of the topic (nor of _shared for two topics)
    s = Sentence(file="000_x.txt", section="§", line=3, quote="一二三四五六七。")
    inline = [dataclasses.replace(_claim(f"t.{k}", Source(sentence=s, gloss="g")), topic=k) for k in ("tying", "llms")]
    assert _not_constants(inline) == [
        "000_x.txt:3 (quoted in ['llms', 'tying']) is not a constant of dlproofs.derivations._shared"
    ]
    assert "dlproofs.derivations.tying" in _not_constants([dataclasses.replace(c, topic="tying") for c in inline])[0]


def test_the_checker_refuses_a_sentence_typed_twice_naming_both_places():
    """A registry slice with one row's sentence retyped (an equal but separate Sentence object)."""
    rows = _rows_by_sentence(CLAIMS)
    (first, row), (second, _) = next(v for v in rows.values() if len(v) > 1 and v[0][0] is not v[1][0])[:2]
    s = row.sentence
    retyped = Sentence(file=s.file, section=s.section, line=s.line, quote=s.quote)
    planted = Claim(
        id=second.id,
        title=second.title,
        verdict=Verdict.NOT_FORMALIZABLE,
        summary="s",
        reason="r",
        topic=second.topic,
        sources=(Source(sentence=retyped, gloss="g"),),
    )
    problems = check_sentences([first, planted])
    assert len(problems) == 1, problems
    assert f"{first.id} (derivations/{first.topic}.py" in problems[0]
    assert f"{second.id} (derivations/{second.topic}.py, source 1)" in problems[0]
    assert "typed twice" in problems[0] and f"{s.file}:{s.line}" in problems[0]
    with pytest.raises(ClaimDefinitionError, match="written more than once"):
        _check_sentences([first, planted])
    # whitespace does not make it another sentence; a retyped copy in the old positional form is refused too
    spaced = Source(s.file, s.section, " " + s.quote.replace(",", ", "), "g", line=s.line)
    assert len(check_sentences([first, _claim("t.spaced", spaced)])) == 1
    # the real rows, each referencing the one object, pass
    assert check_sentences([first, second]) == []


# ── seed file names are spelled once ───────────────────────────────────────────────────────────
def _seed_names_outside_shared(texts: dict[str, str]) -> list[str]:
    return [
        f"{name}:{n}: {m.group()}"
        for name, text in texts.items()
        if name != "_shared.py"
        for n, line in enumerate(text.splitlines(), 1)
        for m in SEED_NAME.finditer(line)
    ]


def test_seed_file_names_appear_only_in_shared():
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(DERIVATIONS.glob("*.py"))}
    assert "_shared.py" in texts and len(texts) > 10
    assert _seed_names_outside_shared(texts) == [], "use shared.SEED000..SEED004"
    # the five names are there, once each
    assert sorted(SEED_NAME.findall(texts["_shared.py"])) == sorted(getattr(shared, f"SEED00{k}") for k in range(5))
    # a planted literal is found, with its place
    planted = dict(texts, **{"tying.py": texts["tying.py"] + '\nX = "002_9e6212acebde65bf.txt"\n'})
    found = _seed_names_outside_shared(planted)
    assert len(found) == 1 and found[0].startswith("tying.py:") and "002_9e6212acebde65bf.txt" in found[0]
