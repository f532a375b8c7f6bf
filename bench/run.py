"""Benchmarks quoted in the README; writes bench/RESULTS.md.

    python bench/run.py                      # everything (many minutes on 2 loaded cores)
    python bench/run.py --quick              # skip the whole-catalog runs and the per-claim table
    python bench/run.py --baseline REV       # code figures of derivations/ at git REV as "before"

Measured:
1. wall clock and CPU time (imports included) of ``list``, ``cite``, ``check`` of one cheap claim,
   ``conform`` (100 examples), the BN/LN slice and the whole catalog, each as a ratio to the
   import floor (``python -c "import sympy, torch, numpy, hypothesis"``) measured in the same run,
   interleaved with the commands (floor, command, floor, command, ...), so that a load that comes
   and goes hits both alike; figures are medians. The issue's targets are ratios: list <= 1.2,
   check of one cheap claim <= 1.5, conform <= 1.8; the whole catalog uncached <= 12 s.
   ``list`` and ``cite`` are timed with the catalog index of the current sources present (it is
   written by the first command after a source change), and once without it ("cold");
2. code figures of derivations/: lines per formalizable claim and lambdas per claim, now and at
   ``--baseline`` (default: the tree before issue 10 reshaped the records);
3. symbolic proof time for a symbolic batch size m against the same identity at concrete m = 2..6;
4. per claim, single process: symbolic seconds and the rest of the check (numeric, ci profile).
"""

from __future__ import annotations

import argparse
import ast
import io
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tokenize
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BASELINE = "f6670dd"  # main before issue 10's records work (namespaced packages only)
# the issue's example of a cheap claim, and one whose check is cheap today (one derivation, one search)
CHEAP_CLAIMS = ("relu.derivative", "reg.l2.grad")
CONFORM = ["conform", "bn.forward", str(ROOT / "examples/conform/bn_forward.py:ok_manual")]
FLOOR = [sys.executable, "-c", "import sympy, torch, numpy, hypothesis"]


def timed(args: list[str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the child, exit code) of one run. The CPU figure counts the
    child and the descendants it waited for: not the fork server's workers of a multi-claim check."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    code = subprocess.run(args, capture_output=True, cwd=ROOT).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, code


def against_floor(args: list[str], repeat: int) -> dict[str, float]:
    """Medians of the command and of the import floor, run alternately ``repeat`` times each."""
    floor, cmd, codes = [], [], set()
    for _ in range(repeat):
        floor.append(timed(FLOOR))
        wall, cpu, code = timed(args)
        cmd.append((wall, cpu))
        codes.add(code)
    med = lambda xs, i: statistics.median(x[i] for x in xs)
    return {
        "wall": med(cmd, 0),
        "cpu": med(cmd, 1),
        "floor_wall": med(floor, 0),
        "floor_cpu": med(floor, 1),
        "exit": max(codes),
    }


def drop_index() -> None:
    from dlproofs import catalog

    catalog.index_path().unlink(missing_ok=True)


HELPERS = ("nf", "not_formalizable")  # the helper that builds a not-formalizable record, by era


def code_figures(sources: dict[str, str]) -> dict[str, float]:
    """Lines and lambdas of derivations/ per claim; claims counted from the ``Claim(...)`` calls
    (a call with ``verdict=Verdict.NOT_FORMALIZABLE`` is not formalizable; so is a call of the helper
    that builds those, ``nf(...)`` in seedclaims.py before issue 10, ``shared.not_formalizable(...)`` since)."""
    lines = lambdas = formalizable = not_formalizable = 0
    for text in sources.values():
        lines += len(text.splitlines())
        tokens = tokenize.generate_tokens(io.StringIO(text).readline)
        lambdas += sum(t.type == tokenize.NAME and t.string == "lambda" for t in tokens)
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            verdict = next((k.value for k in node.keywords if k.arg == "verdict"), None)
            if name in HELPERS:
                not_formalizable += 1
            elif name == "Claim":
                nf = isinstance(verdict, ast.Attribute) and verdict.attr == "NOT_FORMALIZABLE"
                not_formalizable += nf
                formalizable += not nf
    # the helper's own Claim call
    not_formalizable -= sum(f"def {h}(" in t for t in sources.values() for h in HELPERS)
    claims = formalizable + not_formalizable
    return {
        "files": len(sources),
        "lines": lines,
        "formalizable": formalizable,
        "claims": claims,
        "lines_per_formalizable": lines / max(formalizable, 1),
        "lambdas": lambdas,
        "lambdas_per_claim": lambdas / max(claims, 1),
    }


def sources_now() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "derivations").glob("*.py"))}


def sources_at(rev: str) -> dict[str, str]:
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", f"{rev}:derivations"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    show = lambda n: (
        subprocess.run(
            ["git", "show", f"{rev}:derivations/{n}"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    )
    return {n: show(n) for n in names if n.endswith(".py")}


def per_claim() -> list[tuple[str, str, float, float]]:
    from dlproofs.check import check_claim
    from dlproofs.registry import all_claims

    rows = []
    for claim in all_claims():
        t0 = time.perf_counter()
        check_claim(claim, numeric=False)
        t1 = time.perf_counter()
        check_claim(claim)
        t2 = time.perf_counter()
        rows.append((claim.id, claim.topic, t1 - t0, max(0.0, (t2 - t1) - (t1 - t0))))
    return rows


def symbolic_vs_concrete() -> list[tuple[str, float]]:
    from dlproofs.derivations.batchnorm import GRAD_X, m

    from dlproofs.stepcheck import concretize, prove_equal

    lhs, rhs = GRAD_X.expand(GRAD_X.lhs), GRAD_X.expand(GRAD_X.rhs)
    out = []
    t = time.perf_counter()
    status, *_ = prove_equal(lhs, rhs)
    out.append(("symbolic m", time.perf_counter() - t))
    assert status.value == "proved"
    for size in range(2, 7):
        t = time.perf_counter()
        a, b = concretize(lhs, {m: size}, GRAD_X.pins), concretize(rhs, {m: size}, GRAD_X.pins)
        status, *_ = prove_equal(a, b)
        out.append((f"m = {size}", time.perf_counter() - t))
        assert status.value == "proved"
    return out


def code_table(baseline: str) -> list[str]:
    now, before = code_figures(sources_now()), code_figures(sources_at(baseline))
    lines: list[str] = []
    lines += [
        "## derivations/: code per claim",
        "",
        f"Lines of derivations/*.py per formalizable claim, and `lambda` tokens per claim; before = `{baseline}`.",
        "",
        "| | files | lines | claims (formalizable) | lines per formalizable claim | lambdas | lambdas per claim |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, f in (("before", before), ("now", now)):
        lines.append(
            f"| {name} | {f['files']} | {f['lines']} | {f['claims']} ({f['formalizable']}) | "
            f"{f['lines_per_formalizable']:.0f} | {f['lambdas']} | {f['lambdas_per_claim']:.1f} |"
        )
    return [*lines, ""]


def replace_section(path: Path, section: list[str]) -> None:
    """Put ``section`` (its first line is a ``## `` heading) in place of the section of ``path`` with that
    heading, up to the next ``## `` heading."""
    lines = path.read_text().split("\n")
    start = lines.index(section[0])
    end = next((n for n in range(start + 1, len(lines)) if lines[n].startswith("## ")), len(lines))
    path.write_text("\n".join([*lines[:start], *section, *lines[end:]]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the whole-catalog runs and the per-claim table")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each short command (and of the floor)")
    parser.add_argument("--baseline", default=BASELINE, help="git revision for the 'before' code figures")
    parser.add_argument("--no-per-claim", action="store_true", help="skip the per-claim table (a single-process run)")
    parser.add_argument("--code-only", action="store_true", help="print the derivations/ code figures only (no timing)")
    parser.add_argument(
        "--write",
        action="store_true",
        help="with --code-only: replace the code section of bench/RESULTS.md in place (code figures do not depend on "
        "the machine's load; the timing sections are left as measured)",
    )
    opts = parser.parse_args()
    if opts.code_only:
        table = code_table(opts.baseline)
        if opts.write:
            replace_section(HERE / "RESULTS.md", table)
        print("\n".join(table))
        return
    exe = [sys.executable, "-m", "dlproofs"]
    load = os.getloadavg()[0]
    lines = ["# Benchmarks", "", "<!-- written by `python bench/run.py`; quoted in the README -->", ""]
    lines += [
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; 2 worker processes unless noted; load average {load:.1f} at the start "
        "(other jobs share the machine: compare the ratios, not the seconds).",
        "",
    ]

    timed([*exe, "list", "--json"])  # writes the catalog index of the current sources if missing
    drop_index()
    cold = against_floor([*exe, "list", "--json"], 1)  # a full load, which writes the index again
    rows = [
        ("`dlproofs list --json`", "≤ 1.2", against_floor([*exe, "list", "--json"], opts.repeat)),
        ("`dlproofs list --json`, no index yet (first run after a source change)", "", cold),
        ("`dlproofs cite bn.forward`", "", against_floor([*exe, "cite", "bn.forward"], opts.repeat)),
        *(
            (
                f"`dlproofs check {cid} --no-cache`",
                "≤ 1.5",
                against_floor([*exe, "check", cid, "--no-cache"], opts.repeat),
            )
            for cid in CHEAP_CLAIMS
        ),
        (
            f"`dlproofs check {CHEAP_CLAIMS[0]}`, cached",
            "",
            against_floor([*exe, "check", CHEAP_CLAIMS[0]], opts.repeat),
        ),
        ("`dlproofs conform bn.forward …:ok_manual` (100 examples)", "≤ 1.8", against_floor([*exe, *CONFORM], 3)),
    ]
    if not opts.quick:
        rows += [
            ("BN/LN slice (`check bn ln --no-cache`)", "", against_floor([*exe, "check", "bn", "ln", "--no-cache"], 1)),
            ("whole catalog (`check --no-cache`)", "≤ 12 s", against_floor([*exe, "check", "--no-cache"], 1)),
            ("whole catalog, cached (`check`, second run)", "", against_floor([*exe, "check"], 3)),
        ]
    lines += [
        "## Wall clock and CPU time (imports included), as ratios to the import floor of the same run",
        "",
        'Import floor: `python -c "import sympy, torch, numpy, hypothesis"`, run alternately with each command; '
        "medians. CPU = user + system time of the command (– where the work runs in fork-server workers, "
        "which getrusage does not count).",
        "",
        "| what | wall s | floor wall s | × floor (wall) | CPU s | × floor (CPU) | target | exit |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for what, target, r in rows:
        # a multi-claim check runs in fork-server workers, whose CPU time getrusage does not see
        cpu = "–" if "check bn ln" in what or "whole catalog" in what else None
        lines.append(
            f"| {what} | {r['wall']:.2f} | {r['floor_wall']:.2f} | {r['wall'] / r['floor_wall']:.2f} | "
            f"{cpu or format(r['cpu'], '.2f')} | {cpu or format(r['cpu'] / r['floor_cpu'], '.2f')} | {target} | "
            f"{r['exit']} |"
        )
    lines.append("")

    lines += code_table(opts.baseline)
    lines += [
        "## Symbolic proof of `bn.backward` (∂L/∂x_k): symbolic m vs concrete m",
        "",
        "| size | seconds |",
        "|---|---|",
    ]
    lines += [f"| {name} | {secs:.3f} |" for name, secs in symbolic_vs_concrete()]
    lines.append("")
    if not (opts.quick or opts.no_per_claim):
        rows = per_claim()
        lines += [
            "## Per claim, single process (ci profile)",
            "",
            "| claim | topic | symbolic s | rest of the check s |",
            "|---|---|---|---|",
        ]
        lines += [f"| {cid} | {topic} | {sym:.2f} | {num:.2f} |" for cid, topic, sym, num in rows]
        by_topic: dict[str, float] = {}
        for _, topic, sym, num in rows:
            by_topic[topic] = by_topic.get(topic, 0.0) + sym + num
        lines += ["", "## Per topic, single process", "", "| topic | claims | seconds |", "|---|---|---|"]
        lines += [f"| {t} | {sum(r[1] == t for r in rows)} | {s:.1f} |" for t, s in sorted(by_topic.items())]
        lines += ["", f"Total single-process check time: {sum(by_topic.values()):.1f} s over {len(rows)} claims.", ""]
    lines.append(f"Load average at the end: {os.getloadavg()[0]:.1f}.")
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
