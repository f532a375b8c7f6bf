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
value for any check to compare: such mutants are documented in bench/crash_only_mutants.json, each with why, and
each documented one is VERIFIED: it is run again with every call that raises answered by the unmutated code
(dlproofs.impl_mutants.substitute_raises), so the checks compare the mutant's values wherever it returns one. A
crash-only mutant counts as killed only when (1) a claim's check caught its raise on a valid drawn input (outcome
*raised*: the engine reported the case; an exception escaping the engine never counts, issue 13), (2) the
verification run found no wrong value, and (3) some call into the mutated module raised in that run. The report gives the
value-only score beside it. A documented crash-only mutant that a claim kills by value is reported as a stale entry
(the why was wrong), as is one whose verification fails.

    python bench/mutation.py --verify-crash-only   # re-verify the documented crash-only rows of bench/mutation.json
"""

from __future__ import annotations

import argparse
import json
import platform
import re
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


def crash_killed(r: dict) -> bool:
    """A documented crash-only mutant that a claim's check caught raising, verified to return no wrong value."""
    return r["outcome"] == "raised" and bool(r.get("crash_only")) and r.get("crash_only_verified") is True


def score(rows: list[dict]) -> tuple[int, int, int, float]:
    """(mutants, killed, equivalent, score): killed by a compared value, or a verified crash-only mutant whose raise a
    claim's check caught (:func:`crash_killed`)."""
    n = len(rows)
    killed = sum(r["outcome"] == "killed" or crash_killed(r) for r in rows)
    eq = sum(r["outcome"] == "equivalent" for r in rows)
    return n, killed, eq, killed / (n - eq) if n > eq else 1.0


def value_score(rows: list[dict]) -> float:
    """Killed by a compared value only (no exception counted)."""
    n = len(rows) - sum(r["outcome"] == "equivalent" for r in rows)
    return sum(r["outcome"] == "killed" for r in rows) / n if n else 1.0


def verify_crash_only(rows: list[dict], jobs: int = 2, log=print) -> list[dict]:
    """Run every documented crash-only row with outcome *raised* again in returns-only mode and record
    ``crash_only_verified`` (True: no check failed, and some call into the module raised) and its detail."""
    from dlproofs.impl_mutants import mutants, run_mutant, users

    todo = [r for r in rows if r.get("crash_only") and r["outcome"] == "raised"]
    by_key = {m.key: m for mod in sorted({r["module"] for r in todo}) for m in mutants(mod, 8)}
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, 2))) as pool:
        futures = {
            r["key"]: pool.submit(run_mutant, by_key[r["key"]], users(r["module"]), returns_only=True)
            for r in todo
            if r["key"] in by_key
        }
        for r in todo:
            fut = futures.get(r["key"])
            if fut is None:
                r["crash_only_verified"], r["verification"] = False, "not among this source's mutants (stale key)"
                continue
            v = fut.result()
            raised = re.search(r": \d+ returned, (\d+) raised", v.detail)
            r["crash_only_verified"] = v.outcome == "survived" and bool(raised) and int(raised.group(1)) > 0
            r["verification"] = f"{v.outcome}: {v.detail}"
            log(f"verify {'ok' if r['crash_only_verified'] else 'FAILED':<6} {v.seconds:>6.1f}s  {r['description']}")
    return rows


def mark_crash_only(rows: list[dict], crash_only: dict[str, str]) -> list[dict]:
    """Annotate documented crash-only mutants (their outcome is unchanged: not a kill); one a claim kills is stale."""
    for r in rows:
        r.pop("crash_only", None)
        r.pop("stale_crash_only", None)
        if r["key"] not in crash_only:
            r.pop("crash_only_verified", None)
            r.pop("verification", None)
        if r["key"] in crash_only:
            r["crash_only"] = crash_only[r["key"]]
            r["stale_crash_only"] = r["outcome"] == "killed" or r.get("crash_only_verified") is False
    return rows


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


def markdown(
    results: list[dict], per_module: int, seconds: float, rerun: list[str] | None = None, what: str | None = None
) -> str:
    from dlproofs.impl_mutants import users

    modules = sorted({r["module"] for r in results})
    n, killed, eq, s = score(results)
    verified = [r for r in results if crash_killed(r)]
    scope = (
        f" for {what}"
        if what
        else (f" for {', '.join(rerun)}, merged with the rows of the other modules" if rerun else "")
    )
    value_kills = sum(r["outcome"] == "killed" for r in results)
    lines = [
        "# Mutation testing of impl/",
        "",
        "<!-- written by `python bench/mutation.py` (thorough tier); quoted in the README -->",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}; {per_module} mutants per module "
        f"(deterministic sample of AST mutants), each checked by `dlproofs check` on the topics that use the "
        f"module (uncached, ci profile, fresh process; claims most relevant first, stopping at the first claim "
        f"that kills the mutant by value — a claim that fails only because code raised does not stop the run). "
        f"Measured at: {_measured_at(results)}. This invocation: {seconds / 60:.0f} min wall clock{scope}.",
        "",
        f"**Score: {killed}/{n - eq} = {100 * s:.1f}%** killed by a claim's check ({n} mutants, {eq} documented "
        f"equivalent): {value_kills} by a compared value or shape, and {len(verified)} documented *crash-only* mutants "
        "whose raise a claim's check caught on a valid drawn input — each raises on every valid input on which it "
        "differs from impl (why, below), VERIFIED by a second run in which every raising call is answered by the "
        "unmutated code, so the checks compare the mutant's values wherever it returns one: no check failed, and calls "
        "into the module raised (counts below). An exception escaping the engine never counts. "
        f"**Value kills alone: {value_kills}/{n - eq} = {100 * value_score(results):.1f}%**; every mutant that can "
        "return a wrong value on a valid input is killed by value.",
        "",
        "| module | topics checked | mutants | killed by value | crash-only, verified | raised (other) | escaped | survived | equivalent | score |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for m in modules:
        rows = [r for r in results if r["module"] == m]
        k, e = sum(r["outcome"] == "killed" for r in rows), sum(r["outcome"] == "equivalent" for r in rows)
        co = sum(crash_killed(r) for r in rows)
        rz = sum(r["outcome"] == "raised" for r in rows) - co
        esc = sum(r["outcome"] in ("escaped", "timeout") for r in rows)
        sv = sum(r["outcome"] == "survived" for r in rows)
        sc = (k + co) / (len(rows) - e) if len(rows) > e else 1.0
        lines.append(
            f"| {m} | {', '.join(users(m))} | {len(rows)} | {k} | {co} | {rz} | {esc} | {sv} | {e} | {100 * sc:.0f}% |"
        )
    sections = (
        ("Survivors", "survived"),
        ("Raised inside a check", "raised"),
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
            + (
                f" — verification ({'passed: counted as killed' if crash_killed(r) else 'FAILED: not a kill'}): "
                f"{r['verification']}"
                if r.get("verification")
                else ""
            )
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
    ap.add_argument(
        "--verify-crash-only",
        action="store_true",
        help="only re-verify the documented crash-only rows of bench/mutation.json and rewrite the report",
    )
    args = ap.parse_args(argv)
    if args.verify_crash_only:
        start = time.perf_counter()
        results = mark_crash_only(json.loads((HERE / "mutation.json").read_text()), load_crash_only())
        verify_crash_only(results, args.jobs)
        mark_crash_only(results, load_crash_only())
        (HERE / "MUTATION.md").write_text(
            markdown(
                results,
                args.per_module,
                time.perf_counter() - start,
                what=f"re-verifying the crash-only rows at {_head()}",
            )
        )
        (HERE / "mutation.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
        n, killed, eq, s = score(results)
        print(f"score {killed}/{n - eq} = {100 * s:.1f}% ({n} mutants, {eq} equivalent)")
        return 0
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
    verify_crash_only(results, args.jobs)
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
