"""Conform timings per contract; writes bench/CONFORM.md (quoted in the README).

    python bench/conform.py                 # every contract with a gallery (a few minutes)
    python bench/conform.py --repeat 1      # one CLI run per contract

For every contract of ``dlproofs conform --list`` with a gallery file in examples/conform/ (the file's
``CLAIM``), two figures:

1. the CLI as a user types it, ``dlproofs conform CLAIM FILE:ok_…`` (100 examples, the default), wall
   clock as a ratio to the import floor (``python -c "import sympy, torch, numpy, hypothesis"``) run
   alternately with it in the same run (medians), the way bench/run.py measures every command;
2. in one process (imports and the catalog already loaded): seconds of ``conform()`` for the first
   ``ok_*`` (a pass: every example runs) and the first ``bug_*`` (a failure: search, shrink, probes),
   and the pass's milliseconds per example — the search's own cost, without the interpreter start.

Ratios, not seconds, are the figures to compare across machines and loads.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GALLERY = ROOT / "examples" / "conform"
sys.path.insert(0, str(HERE))

from run import against_floor  # noqa: E402  (same floor-alternating measurement as bench/run.py)


def galleries() -> dict[str, tuple[str, str | None, str | None]]:
    """claim id -> (gallery path relative to the repository, first ok_* name, first bug_* name)."""
    found: dict[str, tuple[str, str | None, str | None]] = {}
    for path in sorted(GALLERY.glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"_bench_gallery_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        names = sorted(vars(module))
        first = lambda prefix: next((n for n in names if n.startswith(prefix)), None)  # noqa: E731
        found.setdefault(module.CLAIM, (path.relative_to(ROOT).as_posix(), first("ok_"), first("bug_")))
    return found


def in_process(claim_id: str, rel: str, name: str) -> tuple[float, bool, int]:
    """(seconds, verdict, examples run) of one in-process conform() at the defaults."""
    from dlproofs.conform import conform, load_target

    fn = load_target(f"{ROOT / rel}:{name}")
    start = time.perf_counter()
    result = conform(claim_id, fn, target=f"{rel}:{name}")
    return time.perf_counter() - start, result.ok, result.examples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="CLI runs of each contract (and of the floor)")
    parser.add_argument("--only", nargs="*", default=None, help="these claim ids only")
    opts = parser.parse_args()

    from dlproofs.conform import contract_claims

    contracts = [c.id for c in contract_claims()]
    have = galleries()
    todo = [c for c in contracts if c in have and (opts.only is None or c in opts.only)]
    exe = [sys.executable, "-m", "dlproofs"]
    lines = [
        "# Conform timings per contract",
        "",
        "<!-- written by `python bench/conform.py`; quoted in the README -->",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average {os.getloadavg()[0]:.1f} at the start (other jobs share the "
        "machine: compare the ratios, not the seconds). Contracts without a gallery file: "
        f"{', '.join(c for c in contracts if c not in have) or 'none'}.",
        "",
        "| contract | CLI wall s (ok, 100 examples) | floor wall s | × floor | in-process ok s | ms / example | "
        "in-process bug s | bug verdict |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for claim_id in todo:
        rel, ok, bug = have[claim_id]
        cli = against_floor([*exe, "conform", claim_id, f"{rel}:{ok}"], opts.repeat) if ok else None
        ok_s, ok_verdict, ok_n = in_process(claim_id, rel, ok) if ok else (float("nan"), True, 0)
        bug_s, bug_verdict, _ = in_process(claim_id, rel, bug) if bug else (float("nan"), False, 0)
        if not ok_verdict or bug_verdict:
            raise SystemExit(f"{claim_id}: gallery verdicts wrong (ok passed: {ok_verdict}, bug passed: {bug_verdict})")
        cli_cells = (
            f"{cli['wall']:.2f} | {cli['floor_wall']:.2f} | {cli['wall'] / cli['floor_wall']:.2f}"
            if cli
            else "– | – | –"
        )
        per = f"{1000 * ok_s / ok_n:.1f}" if ok_n else "–"
        lines.append(
            f"| `{claim_id}` | {cli_cells} | {ok_s:.2f} | {per} | {bug_s:.2f} | "
            f"{'rejected' if bug else '–'} (`{bug or '–'}`) |"
        )
        print(lines[-1], flush=True)
    lines += ["", f"Load average at the end: {os.getloadavg()[0]:.1f}.", ""]
    (HERE / "CONFORM.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {HERE / 'CONFORM.md'}")


if __name__ == "__main__":
    main()
