"""Build every file of proofs/ in memory, then write only what changed."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from .errors import OutputError
from .ledger import render_ledger
from .registry import all_claims, topics
from .render import render_index, render_topic
from .runner import run_claims

__all__ = ["build_proofs", "write_proofs"]


def build_proofs(*, profile: str = "ci") -> dict[str, str]:
    """{file name: Markdown} for every topic, the README index and the seed ledger."""
    results = {r["id"]: r for r in run_claims(all_claims(), profile=profile, console=Console(stderr=True))}
    by_topic = topics()
    files = {f"{topic}.md": render_topic(topic, claims, results) for topic, claims in by_topic.items()}
    files["README.md"] = render_index(by_topic, results)
    files["ledger.md"] = render_ledger(all_claims(), results)
    return files


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
