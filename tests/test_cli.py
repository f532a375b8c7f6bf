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
