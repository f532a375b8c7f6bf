"""The catalog index: what ``list``, ``cite``, ``conform --list`` and an id lookup need, without
importing every topic module (and torch with them).

Importing all of derivations/ costs about as much as importing sympy and torch together, so a
command that only prints records, or checks one claim, would pay it for nothing. The index is a
JSON file built from a full registry load (which validates every record and the claim graph) and
named by :func:`source_key`: a hash of every ``.py`` file of dlproofs/, derivations/ and impl/
and of the library versions. A changed source gives another key, so a stale index is never read:
the next command does a full load and writes the index for the new sources.

This module imports only the standard library; where the file lives: ``.dlproofs-cache/`` of the
checkout (editable install), else the user cache directory; nothing is written to the working
directory of an installed package, and a read-only location only means no index (full loads).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .claim import Claim

__all__ = ["source_key", "index_path", "load", "build", "write", "current"]

FORMAT = 1  # bump when the shape of an entry changes: old files then no longer match
_VERSIONED = ("sympy", "torch", "hypothesis", "numpy")  # what the records and their LaTeX depend on


def _package_dirs() -> list[Path]:
    dirs = [Path(__file__).resolve().parent]
    for name in ("dlproofs.derivations", "dlproofs.impl"):
        spec = importlib.util.find_spec(name)  # locates the folder without running the package
        dirs += [Path(p).resolve() for p in (spec.submodule_search_locations or [])] if spec else []
    return dirs


@lru_cache(maxsize=1)
def source_key() -> str:
    """Hash of everything the records are built from: the sources and the library versions."""
    h = hashlib.sha256(f"format {FORMAT}; python {sys.version_info[:3]}".encode())
    for name in _VERSIONED:
        try:
            h.update(f"{name} {importlib.metadata.version(name)}\n".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(f"{name} missing\n".encode())
    for folder in _package_dirs():
        for path in sorted(folder.glob("*.py")):
            h.update(f"{folder.name}/{path.name}\n".encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def _cache_dir() -> Path:
    root = Path(__file__).resolve().parent.parent
    if (root / "pyproject.toml").exists() and (root / "derivations").is_dir():  # a checkout
        return root / ".dlproofs-cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dlproofs"


def index_path() -> Path:
    return _cache_dir() / f"index-{source_key()[:24]}.json"


def load() -> dict[str, Any] | None:
    """The index of the current sources, or None when there is none (or it cannot be read)."""
    try:
        data = json.loads(index_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != source_key() or data.get("format") != FORMAT:
        return None  # a truncated name collision or an old format: never trust it
    return data


def build(claims: tuple[Claim, ...]) -> dict[str, Any]:
    """The index entries of fully loaded (and validated) claims, in registry order."""
    from .latex import to_latex
    from .report import fingerprint

    entries = []
    for c in claims:
        entries.append(
            {
                "id": c.id,
                "topic": c.topic,
                "title": c.title,
                "verdict": c.verdict.value,
                "tested_reason": c.tested_reason,
                "sources": [
                    {"file": s.file, "section": s.section, "line": s.line, "quote": s.quote, "gloss": s.gloss}
                    for s in c.sources
                ],
                "contract": c.contract.signature if c.contract else None,
                # values --call/--build templates may use (Contract.derived, dlproofs/derived.py), for conform --list
                "derived": [d.line() for d in getattr(c.contract, "derived", ())] if c.contract else [],
                "uses": list(c.uses),
                "statement": [to_latex(r, c.latex_names) for r in c.statement],
                "fingerprint": fingerprint(c),
            }
        )
    return {"format": FORMAT, "key": source_key(), "claims": entries}


def write(data: dict[str, Any]) -> None:
    """Write atomically (concurrent writers each replace the file whole); drop older indexes."""
    path = index_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".index-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False)
        os.replace(tmp, path)
        for old in path.parent.glob("index-*.json"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # read-only checkout or cache directory: commands still work, by full loads


def current() -> dict[str, Any]:
    """The index of the current sources: read if present, else built by a full registry load."""
    data = load()
    if data is None:
        from .registry import all_claims

        all_claims()  # validates everything and writes the index (if the location is writable)
        data = load() or _built()
    return data


@lru_cache(maxsize=1)
def _built() -> dict[str, Any]:
    from .registry import all_claims

    return build(all_claims())
