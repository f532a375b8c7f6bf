"""Verdicts that hold on any machine and any seed (issue 8), named back:

- **any seed**: the claims that failed under random seeds (squares of drawn magnitudes
  underflowing float64) hold under fresh random seeds, the drawn domain is stated, and every
  claim is checked under random seeds in the slow tier (the seed is printed on failure);
- **printed commands** (replay and re-run lines) run as pasted from a shell whose ``python`` is
  not the venv's and whose PATH lacks the venv;
- **no wall-clock assertion** in any test: a scan of tests/, shown able to catch one;
- the input domain of the shared strategies (no underflowing magnitudes), stated and drawn.
"""

from __future__ import annotations

import ast
import os
import random
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from dlproofs.check import check_claim, verdict_label
from dlproofs.commands import decode_case, encode_case, replay_line
from dlproofs.numeric import run_check
from dlproofs.registry import all_claims, get
from dlproofs.strategies import MIN_UNIT, UNIT_DOMAIN, tensors, units

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent

# The claims whose verdict once depended on the seed (underflow of g², θ², ‖g‖²), and others
# that square, divide or normalise what they draw.
SEED_SENSITIVE = (
    "adam.step-bound",
    "residual.no-unconditional-bound",
    "reg.l2.grad",
    "bn.forward",
    "ln.forward",
    "reg.l2.update",
    "clip.grad-norm",
)


def _fresh_seed() -> int:
    return random.SystemRandom().randrange(2**32)


# ── any seed ──────────────────────────────────────────────────────────────────────────────────
def test_the_seed_sensitive_claims_exist():
    ids = {c.id for c in all_claims()}
    assert set(SEED_SENSITIVE) <= ids, sorted(set(SEED_SENSITIVE) - ids)


@pytest.mark.parametrize("claim_id", SEED_SENSITIVE)
def test_seed_sensitive_claims_hold_under_a_fresh_random_seed(claim_id):
    seed = _fresh_seed()
    result = check_claim(get(claim_id), seed=seed)
    assert result.holds, (
        f"{claim_id} fails under seed {seed} (re-run: dlproofs check --no-cache --seed {seed} {claim_id}): "
        f"recorded {get(claim_id).verdict.value}, evidence gives {verdict_label(result)}\n{result.problem}"
    )


@pytest.mark.slow
@pytest.mark.parametrize("claim", all_claims(), ids=lambda c: c.id)
def test_every_claim_holds_under_three_random_seeds(claim):
    for seed in (_fresh_seed() for _ in range(3)):
        result = check_claim(claim, seed=seed)
        assert result.holds, f"{claim.id} fails under seed {seed}: {verdict_label(result)}\n{result.problem}"


@given(st.data())
def test_drawn_entries_are_zero_or_above_the_stated_floor(data):
    scale = data.draw(st.sampled_from([1e-3, 1.0, 1e3]))
    t = data.draw(tensors((3, 4), scale=scale))
    nonzero = t[t != 0].abs()
    assert bool((nonzero >= MIN_UNIT * scale * (1 - 1e-15)).all()), t
    assert bool((nonzero**2 > 0).all())  # the squares the claims take never underflow
    assert data.draw(units(zeros=False)) != 0


def test_the_domain_is_stated_with_its_reason():
    assert f"{MIN_UNIT:g}" in UNIT_DOMAIN and "underflow" in UNIT_DOMAIN


# ── printed commands run as pasted, venv not activated ────────────────────────────────────────
@pytest.fixture
def stranger_path(tmp_path) -> dict[str, str]:
    """An environment whose ``python``/``python3`` is not the venv's (it cannot import torch:
    it refuses to run) and whose PATH holds no venv."""
    fake = tmp_path / "bin"
    fake.mkdir()
    for name in ("python", "python3"):
        exe = fake / name
        exe.write_text("#!/bin/sh\necho 'not the venv python: a printed command used a bare python' >&2\nexit 97\n")
        exe.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = f"{fake}:/usr/bin:/bin"
    env["PYTHONPATH"] = str(ROOT)
    return env


def _run_line(line: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(line, shell=True, capture_output=True, text=True, env=env, cwd=ROOT)


def test_replay_line_of_a_search_failure_runs_without_the_venv_on_path(stranger_path):
    check = get("bn.forward").numeric[0]
    result = run_check("bn.forward", check, override=check.planted["ε outside the root"], shrink=False)
    line = result.report.split("replay: ", 1)[1].strip()
    assert not re.match(r"^(python3?|dlproofs)\b", line), line  # never a bare interpreter name
    done = _run_line(line, stranger_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "holds" in done.stdout  # the reference itself holds on the case the planted formula failed


def test_replay_line_of_a_monte_carlo_failure_runs_without_the_venv_on_path(stranger_path):
    from dlproofs.montecarlo import MonteCarloCheck

    claim, check = next((c, n) for c in all_claims() for n in c.numeric if isinstance(n, MonteCarloCheck))
    planted = next(iter(check.planted.values()))
    result = run_check(claim.id, check, override=planted)
    assert not result.ok
    line = result.report.split("replay: ", 1)[1].strip()
    done = _run_line(line, stranger_path)
    assert done.returncode == 0, done.stdout + done.stderr  # the real check, re-run with that seed, holds
    assert "holds" in done.stdout


def test_conform_rerun_line_runs_without_the_venv_on_path(stranger_path):
    target = "examples/conform/relu_backward.py:bug_autograd_clamp"
    first = subprocess.run(
        [sys.executable, "-m", "dlproofs", "conform", "relu.backward", target, "--max-examples", "30"],
        capture_output=True,
        text=True,
        env=stranger_path,
        cwd=ROOT,
    )
    assert first.returncode == 1, first.stdout + first.stderr
    line = next(x for x in first.stdout.splitlines() if "re-run:" in x).split("re-run:", 1)[1].strip()
    again = _run_line(line, stranger_path)
    assert again.returncode == 1, again.stdout + again.stderr
    assert "does not conform" in again.stdout


def test_console_script_prints_its_own_path_when_not_on_path(stranger_path):
    script = Path(sys.executable).parent / "dlproofs"
    if not script.exists():
        pytest.skip(f"no console script next to {sys.executable} (not an installed venv)")
    target = "examples/conform/relu_backward.py:bug_autograd_clamp"
    out = subprocess.run(
        [str(script), "conform", "relu.backward", target, "--max-examples", "30"],
        capture_output=True,
        text=True,
        env=stranger_path,
        cwd=ROOT,
    ).stdout
    line = next(x for x in out.splitlines() if "re-run:" in x)
    assert shlex.split(line.split("re-run:", 1)[1])[0] == str(script), line


@pytest.mark.parametrize(
    "args",
    [["--check", "1", "--case", "{not json"], ["--check", "1", "--case", "[1, 2]"], ["--check", "no such check"]],
)
def test_replay_verb_rejects_a_bad_case_with_one_line(args, capsys):
    from dlproofs.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["replay", "bn.forward", *args])
    err = capsys.readouterr().err
    assert exit_.value.code == 2, err
    assert err.startswith("dlproofs: error: ") and err.count("\n") == 1, err


def test_case_codec_round_trips_exactly():
    case = {
        "x": torch.tensor([[0.1, -1e-30], [float("inf"), 5e-324]], dtype=torch.float64),
        "empty": torch.zeros(0, 3, dtype=torch.float32),
        "eps": 1e-5,
        "shape": (2, 3),
        "mode": "random",
        "n": 3,
    }
    back = decode_case(encode_case(case))
    assert back.keys() == case.keys()
    assert torch.equal(back["x"], case["x"]) and back["x"].dtype == torch.float64
    assert back["empty"].shape == (0, 3) and back["empty"].dtype == torch.float32
    assert back["shape"] == (2, 3) and back["eps"] == 1e-5 and back["mode"] == "random" and back["n"] == 3


def test_replay_line_quotes_names_with_spaces_and_unicode():
    line = replay_line("bn.forward", "a check: ‖x‖ ≤ 1 'quoted'", case={"x": torch.tensor([1.0])})
    words = shlex.split(line)
    assert words[words.index("--check") + 1] == "a check: ‖x‖ ≤ 1 'quoted'"


# ── no wall-clock assertion in tests ──────────────────────────────────────────────────────────
CLOCKS = {"perf_counter", "perf_counter_ns", "monotonic", "monotonic_ns", "process_time", "time", "time_ns", "timeit"}
TIMELIKE = re.compile(r"(seconds|elapsed|wall_?clock|duration|took|runtime|timing)", re.IGNORECASE)


def timed_assertions(source: str) -> list[str]:
    """Places in a test module that read a clock or assert on something named like a duration."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            owner = f.value.id if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) else ""
            if name in CLOCKS and owner in ("time", "timeit", "") and (owner or name != "time"):
                found.append(f"line {node.lineno}: calls {owner + '.' if owner else ''}{name}()")
        if isinstance(node, ast.Assert):
            names = {n.id for n in ast.walk(node.test) if isinstance(n, ast.Name)}
            names |= {n.attr for n in ast.walk(node.test) if isinstance(n, ast.Attribute)}
            if any(TIMELIKE.search(n) for n in names):
                found.append(f"line {node.lineno}: asserts on {sorted(n for n in names if TIMELIKE.search(n))}")
    return found


def test_no_test_reads_a_clock_or_asserts_on_elapsed_time():
    bad = {
        p.name: hits for p in sorted(TESTS.glob("*.py")) if (hits := timed_assertions(p.read_text(encoding="utf-8")))
    }
    assert not bad, f"speed belongs in bench/, not in pass/fail tests: {bad}"


@pytest.mark.parametrize(
    "planted",
    [
        "import time\nstart = time.perf_counter()\n",
        "from time import monotonic\nt0 = monotonic()\n",
        "def test_x(proc):\n    assert proc.duration <= 10\n",
        "def test_x(r):\n    assert r.elapsed <= 2.0\n",
        "import timeit\nv = timeit.timeit('1')\n",
    ],
)
def test_the_scan_catches_a_timed_assertion(planted):
    assert timed_assertions(planted)


def test_the_scan_passes_untimed_code():
    assert not timed_assertions("def test_x(result):\n    assert result.examples >= 10\n")
