"""Run the checks of many claims, with a result cache and a progress display.

The cache (``.dlproofs-cache/`` at the project root) stores each claim's result dict under a
key that changes with the claim record, every source file of the engine, derivations/ and
impl/, the library versions and the profile (:func:`dlproofs.report.cache_key`), so a cached
result is one that a fresh run would reproduce. ``--seed`` and ``--no-cache`` bypass it.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .check import check_claim
from .claim import Claim
from .report import cache_key, result_to_dict

__all__ = ["project_root", "run_claims"]

CACHE_DIR = ".dlproofs-cache"


def project_root() -> Path:
    """The checkout holding derivations/ (an editable install), else the working directory."""
    from dlproofs import derivations

    root = Path(derivations.__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").exists() else Path.cwd()


def _load(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _store(path: Path, data: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(data, sort_keys=True))
    except OSError:
        pass  # a read-only checkout still checks; it just does not cache


def _check_one(claim_id: str, profile: str, seed: int | None, numeric: bool) -> dict[str, Any]:
    from .registry import get

    return result_to_dict(check_claim(get(claim_id), profile=profile, seed=seed, numeric=numeric))


def default_jobs() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def run_claims(
    claims: Sequence[Claim],
    *,
    profile: str = "ci",
    seed: int | None = None,
    use_cache: bool = True,
    numeric: bool = True,
    jobs: int | None = None,
    console: Console | None = None,
) -> list[dict[str, Any]]:
    """Check each claim (or reuse its cached result) in ``jobs`` processes; results in order."""
    console = console or Console(stderr=True)
    cache = project_root() / CACHE_DIR
    use_cache = use_cache and seed is None and numeric
    results: dict[str, dict[str, Any]] = {}
    todo: list[Claim] = []
    paths: dict[str, Path] = {}
    for claim in claims:
        if use_cache:
            paths[claim.id] = cache / f"{cache_key(claim, profile)}.json"
            data = _load(paths[claim.id])
            if data is not None:
                results[claim.id] = {**data, "cached": True}
                continue
        todo.append(claim)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("checking", total=len(claims), completed=len(results))
        for data in _execute(todo, profile, seed, numeric, jobs or default_jobs()):
            if data["id"] in paths and data["holds"]:  # a failure is never cached: always re-run
                _store(paths[data["id"]], data)
            results[data["id"]] = {**data, "cached": False}
            bar.update(task, advance=1, description=f"checked {data['id']}")
    return [results[c.id] for c in claims]


def _context() -> multiprocessing.context.BaseContext:
    """Not "fork": a child forked after torch has run parallel kernels can deadlock in OpenMP.
    The fork server starts clean, imports the registry once, and forks workers from there."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["dlproofs.warm"])
    return ctx


def prestart_workers() -> None:
    """Start the fork server now, so that it imports the registry while this process does too."""
    from multiprocessing import forkserver

    _context()
    forkserver.ensure_running()


def _execute(todo: Sequence[Claim], profile: str, seed: int | None, numeric: bool, jobs: int):
    """Yield result dicts as claims finish; forked worker processes when jobs > 1."""
    if jobs <= 1 or len(todo) <= 1:
        for claim in todo:
            yield _check_one(claim.id, profile, seed, numeric)
        return
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_context()) as pool:
        futures = [pool.submit(_check_one, c.id, profile, seed, numeric) for c in todo]
        for future in as_completed(futures):
            yield future.result()
