"""Benchmarks quoted in the README; writes bench/RESULTS.md.

    python bench/run.py            # everything (a few minutes on 2 cores)
    python bench/run.py --quick    # skip the whole-suite wall-clock runs

Measured:
1. wall clock (imports included, no cache) of ``list``, ``conform`` and ``check`` (the BN/LN slice and
   everything), each also as a ratio to the import floor measured in the same run (the time to
   import sympy, torch, numpy and hypothesis), so figures compare across machines and loads;
2. per claim, single process: symbolic seconds and numeric seconds (ci profile);
3. symbolic proof time for a symbolic batch size m against the same identity at concrete m = 2..6
   (the BN backward identity, the costliest one: DESIGN.md §4 measured 2.6 s at m = 5 by brute force).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def wall(args: list[str], repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip whole-suite wall-clock runs")
    opts = parser.parse_args()
    exe = [sys.executable, "-m", "dlproofs"]
    lines = ["# Benchmarks", "", "<!-- written by `python bench/run.py`; quoted in the README -->", ""]
    lines += [
        f"Machine: {platform.processor() or platform.machine()}, {platform.python_version()}; "
        f"2 worker processes unless noted.",
        "",
    ]
    if not opts.quick:
        floor = wall([sys.executable, "-c", "import sympy, torch, numpy, hypothesis"], 3)
        conform_args = ["conform", "bn.forward", str(HERE.parent / "examples/conform/bn_forward.py:ok_manual")]
        rows = [
            ('import floor (`python -c "import sympy, torch, numpy, hypothesis"`)', floor),
            ("`dlproofs list --json`", wall([*exe, "list", "--json"], 3)),
            ("`dlproofs conform bn.forward …:ok_manual` (100 examples)", wall([*exe, *conform_args], 3)),
            ("BN/LN slice (`check bn ln --no-cache`)", wall([*exe, "check", "bn", "ln", "--no-cache"])),
            ("everything (`check --no-cache`)", wall([*exe, "check", "--no-cache"])),
            ("everything, cached (`check`, second run)", wall([*exe, "check"], 3)),
        ]
        lines += [
            "## Wall clock (imports included), as a ratio to the import floor of the same run",
            "",
            "| what | seconds | × import floor |",
            "|---|---|---|",
        ]
        lines += [f"| {what} | {secs:.1f} | {secs / floor:.1f} |" for what, secs in rows]
        lines.append("")
    lines += [
        "## Symbolic proof of `bn.backward` (∂L/∂x_k): symbolic m vs concrete m",
        "",
        "| size | seconds |",
        "|---|---|",
    ]
    lines += [f"| {name} | {secs:.3f} |" for name, secs in symbolic_vs_concrete()]
    lines += [
        "",
        "## Per claim, single process (ci profile)",
        "",
        "| claim | topic | symbolic s | numeric s |",
        "|---|---|---|---|",
    ]
    rows = per_claim()
    lines += [f"| {cid} | {topic} | {sym:.2f} | {num:.2f} |" for cid, topic, sym, num in rows]
    by_topic: dict[str, float] = {}
    for _, topic, sym, num in rows:
        by_topic[topic] = by_topic.get(topic, 0.0) + sym + num
    lines += ["", "## Per topic, single process", "", "| topic | claims | seconds |", "|---|---|---|"]
    lines += [f"| {t} | {sum(r[1] == t for r in rows)} | {s:.1f} |" for t, s in sorted(by_topic.items())]
    lines += ["", f"Total single-process check time: {sum(by_topic.values()):.1f} s over {len(rows)} claims.", ""]
    (HERE / "RESULTS.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
