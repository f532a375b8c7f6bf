"""`dlproofs conform` without jax (the optional extra): runs whether or not jax is installed.

jax is made unimportable by ``sys.modules["jax"] = None`` (then ``import jax`` raises ImportError,
as when it is not installed); CI has no jax at all, where the same tests see the real thing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dlproofs import jax_targets
from dlproofs.cli import main
from dlproofs.conform import ConformError, InterfaceError, conform, load_target

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def no_jax(monkeypatch):
    monkeypatch.setitem(sys.modules, "jax", None)
    assert not jax_targets.available()


def test_arrays_jax_without_jax_is_one_line_naming_the_extra(no_jax):
    fn = load_target(f"{ROOT}/examples/conform/bn_forward.py:ok_manual")
    with pytest.raises(ConformError) as exc:
        conform("bn.forward", fn, arrays="jax")
    text = str(exc.value)
    assert "\n" not in text
    assert text.startswith("--arrays jax: jax is not installed") and "pip install 'dlproofs[jax]'" in text, text


def test_cli_arrays_jax_without_jax_exits_2(no_jax, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    with pytest.raises(SystemExit) as exc:
        main(["conform", "bn.forward", "examples/conform/bn_forward.py:ok_manual", "--arrays", "jax"])
    out = capsys.readouterr()
    assert exc.value.code == 2 and out.out == ""
    assert out.err.count("\n") == 1 and "pip install 'dlproofs[jax]'" in out.err, out.err


def test_auto_without_jax_reports_the_torch_call_as_before(no_jax):
    def raises(x, gamma, beta, eps):
        raise ValueError("no")

    with pytest.raises(InterfaceError) as exc:
        conform("bn.forward", raises)
    text = str(exc.value)
    assert "raised ValueError: no" in text and "jax array" not in text and "enable_x64" not in text


def test_auto_is_unchanged_for_a_torch_target_that_fails_with_jax_or_without(monkeypatch):
    """A torch function that raises on every input: the message is the torch call's, jax tried or not."""

    def raises(x, gamma, beta, eps):
        raise ValueError("no")

    with pytest.raises(InterfaceError) as with_jax:
        conform("bn.forward", raises)
    monkeypatch.setitem(sys.modules, "jax", None)
    with pytest.raises(InterfaceError) as without:
        conform("bn.forward", raises)
    assert str(with_jax.value) == str(without.value)


def test_conform_on_torch_and_numpy_targets_never_imports_jax():
    code = textwrap.dedent(
        f"""
        import json, sys
        from dlproofs.conform import conform, load_target
        root = {str(ROOT)!r}
        assert conform("bn.forward", load_target(root + "/examples/conform/bn_forward.py:ok_manual"), max_examples=5).ok
        assert conform("bn.forward", load_target(root + "/examples/conform/bn_forward.py:numpy_batch_norm"),
                       max_examples=5).ok
        print(json.dumps(sorted(m for m in sys.modules if m == "jax" or m.startswith(("jax.", "jaxlib")))))
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert json.loads(proc.stdout.splitlines()[-1]) == []
