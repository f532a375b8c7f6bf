"""Mutation run over impl/ (thorough tier, issue 13); writes bench/MUTATION.md and bench/mutation.json.

    python bench/mutation.py                       # every impl/ module, 8 mutants each, 2 processes
    python bench/mutation.py --modules relu adam   # a subset (the figures file is then not written
                                                   # unless --out is given)

For each module, a deterministic sample of AST mutants (dlproofs.impl_mutants.mutants); each is
installed as dlproofs.impl.<module> in a fresh process that checks, uncached, the claims of every
topic that uses the module (dlproofs.impl_mutants.users). Outcomes: killed by a claim's check (a
compared value or shape), raised (only an exception caught inside a check: not a kill), escaped (an
exception escaped the engine: not a kill), survived, timeout, or documented equivalent (bench/equivalent_mutants.json,
each with why; a documented mutant is still run, and one that a claim kills is reported as a stale
entry). Score = killed / (mutants − equivalent).

A mutant that raises on every valid input on which it differs from impl (a float slice bound, permute with a
repeated dim, a size read from the wrong axis that only a precondition or a broadcast then refuses) has no wrong
value for any check to compare: such mutants are documented in bench/crash_only_mutants.json, each with why. They
stay non-kills in the score; the report adds, for comparison only, the score without them in the denominator.
A documented crash-only mutant that a claim kills by value is reported as a stale entry (the why was wrong).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
EQUIVALENTS = HERE / "equivalent_mutants.json"
CRASH_ONLY = HERE / "crash_only_mutants.json"


def load_equivalents(path: Path = EQUIVALENTS) -> dict[str, str]:
    """key -> why, from the documented equivalent mutants."""
    if not path.exists():
        return {}
    return {e["key"]: e["why"] for e in json.loads(path.read_text())}


def load_crash_only(path: Path = CRASH_ONLY) -> dict[str, str]:
    """key -> why, from the documented crash-only mutants (raise on every valid input where they differ)."""
    return load_equivalents(path)


def _head() -> str:
    """The commit the run measures (short hash, '+dirty' with uncommitted changes under impl/, derivations/, dlproofs/)."""
    import subprocess

    def git(*a: str) -> str:
        return subprocess.run(["git", *a], cwd=HERE, capture_output=True, text=True).stdout.strip()

    dirty = git("status", "--porcelain", "--", "impl", "derivations", "dlproofs")
    return (git("rev-parse", "--short", "HEAD") or "unknown") + ("+dirty" if dirty else "")


def run(modules: list[str], per_module: int, jobs: int, equivalents: dict[str, str], log=print) -> list[dict]:
    from dlproofs.impl_mutants import mutants, result_dict, run_mutant, users

    todo = [(m, users(m)) for m in modules]
    work = [(mut, topics) for m, topics in todo for mut in mutants(m, per_module)]
    results: list[dict] = []
    head = _head()
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, 2))) as pool:  # at most 2 processes (shared machine)
        futures = [pool.submit(run_mutant, mut, topics) for mut, topics in work]
        for n, fut in enumerate(futures, 1):
            r = result_dict(fut.result())
            r["commit"] = head
            if r["key"] in equivalents:
                r["stale_equivalent"] = r["outcome"] == "killed"
                if r["outcome"] in ("survived",):
                    r["outcome"] = "equivalent"
                r["why"] = equivalents[r["key"]]
            results.append(r)
            log(f"[{n}/{len(work)}] {r['outcome']:<10} {r['seconds']:>7.1f}s  {r['description']}")
    return results


def score(rows: list[dict]) -> tuple[int, int, int, float]:
    """(mutants, killed, equivalent, score) of a list of results."""
    n = len(rows)
    killed = sum(r["outcome"] == "killed" for r in rows)
    eq = sum(r["outcome"] == "equivalent" for r in rows)
    return n, killed, eq, killed / (n - eq) if n > eq else 1.0


def mark_crash_only(rows: list[dict], crash_only: dict[str, str]) -> list[dict]:
    """Annotate documented crash-only mutants (their outcome is unchanged: not a kill); one a claim kills is stale."""
    for r in rows:
        r.pop("crash_only", None)
        r.pop("stale_crash_only", None)
        if r["key"] in crash_only:
            r["crash_only"] = crash_only[r["key"]]
            r["stale_crash_only"] = r["outcome"] == "killed"
    return rows


def without_crash_only(rows: list[dict]) -> float:
    """The score with documented crash-only mutants left out of the denominator (for comparison only)."""
    n = sum(
        r["outcome"] != "equivalent" and not (r.get("crash_only") and r["outcome"] in ("raised", "escaped"))
        for r in rows
    )
    return sum(r["outcome"] == "killed" for r in rows) / n if n else 1.0


def lenient(rows: list[dict]) -> float:
    """The score if an exception caught inside a check counted as a kill (for comparison only)."""
    n = len(rows) - sum(r["outcome"] == "equivalent" for r in rows)
    return sum(r["outcome"] in ("killed", "raised") for r in rows) / n if n else 1.0


def _measured_at(results: list[dict]) -> str:
    """Which commit each module's rows were measured at (rows of runs before commits were recorded: 'earlier')."""
    by: dict[str, list[str]] = {}
    for m in sorted({r["module"] for r in results}):
        commits = sorted({r.get("commit", "") for r in results if r["module"] == m})
        by.setdefault(", ".join(c or "earlier" for c in commits), []).append(m)
    parts = [f"{c}: {', '.join(ms)}" for c, ms in sorted(by.items(), key=lambda kv: kv[0] == "earlier")]
    return "; ".join(parts).replace(
        "earlier:", "earlier runs (the full run at f6a4c67 and its merged re-runs, before commits were recorded):"
    )


def markdown(results: list[dict], per_module: int, seconds: float, rerun: list[str] | None = None) -> str:
    from dlproofs.impl_mutants import users

    modules = sorted({r["module"] for r in results})
    n, killed, eq, s = score(results)
    crash = [r for r in results if r.get("crash_only") and r["outcome"] in ("raised", "escaped")]
    lines = [
        "# Mutation testing of impl/",
        "",
        "<!-- written by `python bench/mutation.py` (thorough tier); quoted in the README -->",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}; {per_module} mutants per module "
        f"(deterministic sample of AST mutants), each checked by `dlproofs check` on the topics that use the "
        f"module (uncached, ci profile, fresh process; claims most relevant first, stopping at the first claim "
        f"that kills the mutant by value — a claim that fails only because code raised does not stop the run). "
        f"Measured at: {_measured_at(results)}. This invocation: {seconds / 60:.0f} min wall clock"
        + (f" for {', '.join(rerun)}, merged with the rows of the other modules." if rerun else "."),
        "",
        f"**Score: {killed}/{n - eq} = {100 * s:.1f}%** killed by a claim's check ({n} mutants, {eq} documented "
        "equivalent). An exception is *not* counted as a kill, whether a check caught it (*raised*: a reference "
        f"raised on a drawn case) or it escaped the engine (*escaped*); counting *raised* too would give "
        f"{100 * lenient(results):.1f}%. {len(crash)} of the non-kills are documented *crash-only* mutants: they "
        "raise on every valid input on which they differ from impl, so no check has a wrong value to compare "
        f"(each with why, below); leaving them out of the denominator (for comparison only) would give "
        f"{100 * without_crash_only(results):.1f}%.",
        "",
        "| module | topics checked | mutants | killed | raised | escaped | survived | equivalent | crash-only | score |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for m in modules:
        rows = [r for r in results if r["module"] == m]
        k, e = sum(r["outcome"] == "killed" for r in rows), sum(r["outcome"] == "equivalent" for r in rows)
        rz = sum(r["outcome"] == "raised" for r in rows)
        esc = sum(r["outcome"] in ("escaped", "timeout") for r in rows)
        sv = sum(r["outcome"] == "survived" for r in rows)
        co = sum(r in crash for r in rows)
        sc = k / (len(rows) - e) if len(rows) > e else 1.0
        lines.append(
            f"| {m} | {', '.join(users(m))} | {len(rows)} | {k} | {rz} | {esc} | {sv} | {e} | {co} | {100 * sc:.0f}% |"
        )
    sections = (
        ("Survivors", "survived"),
        ("Raised inside a check (not kills)", "raised"),
        ("Escaped the engine (not kills)", "escaped"),
        ("Timeouts", "timeout"),
    )
    for title, outcome in sections:
        rows = [r for r in results if r["outcome"] == outcome]
        lines += ["", f"## {title}", ""]
        lines += [
            f"- {r['description']}"
            + (f" — {r['detail']}" if r["detail"] else "")
            + (f" — **crash-only**: {r['crash_only']}" if r.get("crash_only") else "")
            for r in rows
        ] or ["none"]
    rows = [r for r in results if r["outcome"] == "equivalent"]
    lines += ["", "## Documented equivalent mutants", ""]
    lines += [f"- {r['description']} — {r['why']}" for r in rows] or ["none"]
    stale = [r for r in results if r.get("stale_equivalent")]
    if stale:
        lines += ["", "## Stale equivalence entries (a claim kills them: remove them from the file)", ""]
        lines += [f"- {r['key']}" for r in stale]
    stale = [r for r in results if r.get("stale_crash_only")]
    if stale:
        lines += ["", "## Stale crash-only entries (a claim kills them by value: remove them from the file)", ""]
        lines += [f"- {r['key']}" for r in stale]
    lines += ["", "## Every mutant", "", "| mutant | outcome | claims run | seconds |", "|---|---|---|---|"]
    lines += [
        f"| {r['description'].replace('|', '∣')} | {r['outcome']} | {r['claims_run']} | {r['seconds']:.0f} |"
        for r in results
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    from dlproofs.impl_mutants import impl_modules

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--modules", nargs="*", default=None, help="impl/ modules (default: all)")
    ap.add_argument("--per-module", type=int, default=8)
    ap.add_argument("--jobs", "-j", type=int, default=2, help="processes (at most 2)")
    ap.add_argument("--out", type=Path, default=None, help="Markdown report (default bench/MUTATION.md for a full run)")
    ap.add_argument(
        "--json", type=Path, default=None, help="results as JSON (default bench/mutation.json for a full run)"
    )
    ap.add_argument(
        "--merge",
        type=Path,
        default=None,
        help="a previous results JSON: its rows for the other modules are kept, these modules' rows replaced",
    )
    args = ap.parse_args(argv)
    modules = args.modules or impl_modules()
    full = args.modules is None
    start = time.perf_counter()
    results = run(modules, args.per_module, args.jobs, load_equivalents())
    seconds = time.perf_counter() - start
    if args.merge:
        kept = [r for r in json.loads(args.merge.read_text()) if r["module"] not in modules]
        results = sorted(kept + results, key=lambda r: r["module"])
        full = True
    mark_crash_only(results, load_crash_only())
    out = args.out or (HERE / "MUTATION.md" if full else None)
    js = args.json or (HERE / "mutation.json" if full else None)
    if out:
        out.write_text(markdown(results, args.per_module, seconds, rerun=modules if args.merge else None))
    if js:
        js.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    n, killed, eq, s = score(results)
    print(f"score {killed}/{n - eq} = {100 * s:.1f}% ({n} mutants, {eq} equivalent)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
