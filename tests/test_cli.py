"""The command line: list, check, render, cite, and one-line errors with exit 2 for bad input."""

from __future__ import annotations

import json

import pytest

from dlproofs import cli
from dlproofs.claim import Claim, Derivation, Step, Verdict


def run(capsys, *args):
    with pytest.raises(SystemExit) as exc:
        cli.main(list(args))
    out, err = capsys.readouterr()
    return exc.value.code, out, err


def test_list_json_has_the_documented_fields(capsys):
    code, out, _ = run(capsys, "list", "--json")
    rows = json.loads(out)
    assert code == 0
    assert {"id", "title", "topic", "verdict", "source"} <= set(rows[0])
    ids = {r["id"] for r in rows}
    assert {
        "bn.forward",
        "bn.normalized-moments",
        "bn.running-stats",
        "bn.backward",
        "bn.scale-invariance",
        "ln.forward",
    } <= ids
    bn = next(r for r in rows if r["id"] == "bn.forward")
    assert bn["source"] == "001_247eb230c3d35b0b.txt" and bn["topic"] == "batchnorm"


def test_check_json_shape(capsys):
    code, out, _ = run(capsys, "check", "bn.running-stats", "--json", "--no-cache", "--profile", "dev")
    assert code == 0
    (row,) = json.loads(out)
    assert {"id", "verdict", "symbolic", "numeric", "seconds"} <= set(row)
    assert row["verdict"] == "proved"
    assert {"status", "examples", "max_error", "tolerance"} <= set(row["numeric"][0])
    assert all(s["status"] == "proved" for d in row["symbolic"] for s in d["steps"])


def test_check_prefix_selects_a_topic(capsys):
    code, out, _ = run(capsys, "check", "ln", "--symbolic-only")
    assert code == 0 and "ln.forward" in out and "bn.forward" not in out


@pytest.mark.parametrize("bad", ["nope", "bn.forwrd"])
def test_unknown_id_is_one_line_exit_2(capsys, bad):
    code, _, err = run(capsys, "check", bad)
    assert code == 2
    assert err.count("\n") == 1 and "no claim matches" in err
    if bad == "bn.forwrd":
        assert "bn.forward" in err


def test_bad_flag_prints_usage_exit_2(capsys):
    code, _, err = run(capsys, "check", "--frobnicate")
    assert code == 2 and "Usage" in err


def test_cite_has_link_statement_verdict_fingerprint(capsys):
    code, out, _ = run(capsys, "cite", "bn.backward")
    assert code == 0
    assert "proofs/batchnorm.md#bn.backward" in out and "```math" in out
    assert "Verdict: **proved**" in out and "fingerprint `" in out and "sympy" in out


def test_a_claim_whose_evidence_disagrees_exits_1(capsys, monkeypatch):
    import sympy as sp

    a = sp.Symbol("a", real=True)
    wrong = Claim(
        id="test.mislabelled",
        title="t",
        verdict=Verdict.REFUTED,
        summary="s",
        refutes=(sp.Eq((a + 1) ** 2, a**2 + 1),),
        derivations=(Derivation("d", (a + 1) ** 2, (Step(a**2 + 2 * a + 1, "expand", "why"),)),),
    )
    monkeypatch.setattr("dlproofs.registry.select", lambda patterns: [wrong])
    monkeypatch.setattr("dlproofs.registry.get", lambda claim_id: wrong)
    code, out, err = run(capsys, "check", "test.mislabelled", "--no-cache", "-j", "1")
    assert code == 1
    assert "recorded refuted, evidence gives" in err  # failed: a derivation without numerics is not proved


def test_render_writes_then_check_is_clean_then_stale(capsys, tmp_path):
    code, _, _ = run(capsys, "render", "--out", str(tmp_path))
    assert code == 0 and (tmp_path / "batchnorm.md").exists() and (tmp_path / "README.md").exists()
    # results.json holds the run's figures (seconds, versions): only the Markdown must be byte-stable
    first = {p.name: p.read_bytes() for p in tmp_path.glob("*.md")}
    code, _, _ = run(capsys, "render", "--out", str(tmp_path))
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.md")} == first, "rendering twice changed bytes"
    assert run(capsys, "render", "--check", "--out", str(tmp_path))[0] == 0
    (tmp_path / "batchnorm.md").write_text("hand-edited\n")
    (tmp_path / "extra.md").write_text("not generated\n")
    code, _, err = run(capsys, "render", "--check", "--out", str(tmp_path))
    assert code == 1 and "batchnorm.md" in err and "extra.md" in err
    assert (tmp_path / "batchnorm.md").read_text() == "hand-edited\n", "--check must not write"


def test_render_to_an_unwritable_path_is_one_line_exit_2(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where a directory should be")
    code, _, err = run(capsys, "render", "--out", str(blocker / "proofs"))
    assert code == 2 and err.count("\n") == 1 and "cannot write proofs" in err
    assert blocker.read_text() == "a file where a directory should be"


def test_python_dash_m_runs_the_same_cli():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "dlproofs", "list", "--json"], capture_output=True, text=True)
    assert done.returncode == 0 and json.loads(done.stdout)


# ── conform on code as shipped (issue 12), through `python -m dlproofs` as a user types it ────
_ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


def _conform(*args, cwd=_ROOT):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "dlproofs", "conform", *args], cwd=cwd, capture_output=True, text=True)


def test_conform_numpy_target_through_python_m():
    proc = _conform("bn.forward", "examples/conform/bn_forward.py:numpy_batch_norm", "--max-examples", "20")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "conforms on 20 examples" in proc.stdout and "target:    numpy target" in proc.stdout


def test_conform_module_class_through_python_m():
    proc = _conform("bn.forward", "examples/conform/bn_forward.py:BatchNormUnbiased")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "target:    module target: BatchNormUnbiased, built per case" in proc.stdout
    assert "wrong values" in proc.stdout


def test_conform_tuple_return_is_exit_2_then_output_picks_it(tmp_path):
    (tmp_path / "cs231n_style.py").write_text(
        "import torch\n\n"
        "def batchnorm_forward(x, gamma, beta, eps):\n"
        "    mu = x.mean(0)\n"
        "    var = ((x - mu) ** 2).mean(0)\n"
        "    xhat = (x - mu) / torch.sqrt(var + eps)\n"
        "    return gamma * xhat + beta, (xhat, var)\n"
    )
    proc = _conform("bn.forward", "cs231n_style.py:batchnorm_forward", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "returned a tuple (float64[2, 2] tensor, tuple (float64[2, 2] tensor, float64[2] tensor))" in proc.stderr
    assert "pass --output 0" in proc.stderr
    proc = _conform(
        "bn.forward", "cs231n_style.py:batchnorm_forward", "--output", "0", "--max-examples", "20", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "compared element 0 of the returned tuple" in proc.stdout


def test_conform_json_says_how_the_target_was_called():
    proc = _conform(
        "ln.forward",
        "examples/conform/ln_forward.py:AnnotatedTransformerLayerNorm",
        "--weights",
        "a_2=gamma,b_2=beta",
        "--json",
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    assert data["adapted"].startswith("module target: AnnotatedTransformerLayerNorm")
    nondegenerate = data["counterexample"]["nondegenerate"]
    assert nondegenerate["kind"] == "wrong values" and min(nondegenerate["inputs"]["x"]["shape"]) >= 2
    assert data["rerun"].endswith("--weights a_2=gamma,b_2=beta")
