"""Build every file of proofs/ in memory, then write only what changed.

The Markdown is compared byte for byte by ``render --check``; ``results.json`` (the figures of
the run that rendered it: errors seen, cases drawn, seconds, versions) is not — it must parse and
cover every claim, but its numbers change with any Hypothesis or torch release.
"""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console

from .errors import OutputError
from .ledger import render_ledger
from .registry import all_claims, moved, topics
from .render import render_index, render_moved_page, render_topic
from .report import run_figures
from .runner import run_claims
from .trust import render_trust

__all__ = ["build_proofs", "render_pages", "write_proofs", "stale_files", "RESULTS"]

RESULTS = "results.json"


def build_proofs(*, profile: str = "ci") -> dict[str, str]:
    """{file name: Markdown} for every topic, the README index, the seed ledger, the trust base,
    the stub pages of retired topics, and results.json (the figures of the run)."""
    ran = run_claims(all_claims(), profile=profile, console=Console(stderr=True))
    files = render_pages({r["id"]: r for r in ran})
    files[RESULTS] = json.dumps(run_figures(ran), sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    return files


def render_pages(results: dict[str, dict]) -> dict[str, str]:
    """{file name: Markdown} of every generated page, from the check results by id (a claim without
    a result renders as not checked)."""
    by_topic = topics()
    by_id = {c.id: c for c in all_claims()}
    retired = {page: [by_id[cid] for cid in ids] for page, ids in moved().items()}
    files = {
        f"{topic}.md": render_topic(topic, claims, results, moved=retired.get(topic, ()))
        for topic, claims in by_topic.items()
    }
    files.update({f"{page}.md": render_moved_page(page, ms) for page, ms in retired.items() if page not in by_topic})
    files["README.md"] = render_index(by_topic, results)
    files["ledger.md"] = render_ledger(all_claims(), results)
    files["trust.md"] = render_trust(all_claims())
    return files


def stale_files(out: Path, files: dict[str, str]) -> list[str]:
    """Names of files in ``out`` that differ from ``files`` (Markdown: byte for byte; results.json:
    it must parse and name every claim and check), plus Markdown files that are not generated."""
    stale = []
    for name, text in files.items():
        path = out / name
        try:
            have = path.read_text(encoding="utf-8")
        except OSError:
            stale.append(name)
            continue
        if name == RESULTS:
            if not _covers(have, json.loads(text)):
                stale.append(f"{name} (does not parse or misses a claim or check)")
        elif have != text:
            stale.append(name)
    if out.is_dir():
        stale += [f"{p.name} (not generated)" for p in sorted(out.glob("*.md")) if p.name not in files]
    return stale


def _covers(text: str, want: dict) -> bool:
    try:
        have = json.loads(text)
        return all(set(c["numeric"]) <= set(have["claims"][cid]["numeric"]) for cid, c in want["claims"].items())
    except (ValueError, KeyError, TypeError):
        return False


def write_proofs(out: Path, files: dict[str, str]) -> int:
    """Write the files that differ; returns how many were written."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        written = 0
        for name, text in files.items():
            path = out / name
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
                written += 1
        return written
    except OSError as exc:
        raise OutputError(
            f"cannot write proofs to {out}: {exc.strerror or exc}; pass --out with a writable directory"
        ) from exc
