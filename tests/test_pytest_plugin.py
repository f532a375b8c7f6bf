"""`dlproofs conform` in other people's CI (issue 12): the pytest plugin and the versioned --json.

- the plugin (dlproofs/pytest_plugin.py, entry point pytest11) is run by ``pytester`` on a small
  test file, as another project would: a correct implementation passes, a buggy one fails with the
  report ``dlproofs conform`` prints for it (byte for byte) and no traceback into dlproofs, through
  the fixture and through the marker; misuse is one line; the marker is registered; loading the
  plugin imports neither torch nor SymPy;
- ``--json`` carries ``"schema": "dlproofs.conform/1"`` and real outputs (a pass and two kinds
  of failure) validate against dlproofs/schemas/conform-1.json. ``jsonschema`` is not installed
  in this venv, so a small validator here interprets the keywords the schema uses (and refuses any
  other); it is shown to reject wrong outputs. Where ``jsonschema`` is installed, it checks too.
"""

from __future__ import annotations

import copy
import importlib.metadata
import importlib.resources
import json
import re
from pathlib import Path
from typing import Any

import pytest

from dlproofs.cli import main

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]

IMPLEMENTATIONS = """
import pytest
import torch


def batch_norm(x, gamma, beta, eps):
    mu = x.mean(0)
    return gamma * (x - mu) / torch.sqrt(((x - mu) ** 2).mean(0) + eps) + beta


def batch_norm_unbiased(x, gamma, beta, eps):  # x.var divides by N - 1
    return gamma * (x - x.mean(0)) / torch.sqrt(x.var(0) + eps) + beta
"""


@pytest.fixture(scope="module")
def loaded():
    """pytester's in-process runs drop the modules they imported from sys.modules afterwards, and
    torch cannot be imported twice in one process: load everything a conform run imports (torch,
    the bn.forward topic, Hypothesis' search and shrinker) before the first inner run."""
    import torch

    from dlproofs.conform import conform

    def biased(x, gamma, beta, eps):
        return gamma * (x - x.mean(0)) / torch.sqrt(x.var(0) + eps) + beta

    assert not conform("bn.forward", biased, max_examples=10).ok


def _section(out: str, name: str) -> list[str]:
    """The lines of pytest's failure or error section for test ``name``, after its header."""
    lines = out.splitlines()
    header = re.compile(rf"^_+ (ERROR at setup of )?{re.escape(name)} _+$")
    start = next(i for i, line in enumerate(lines) if header.match(line))
    return lines[start + 1 :]


def _cli(capsys, *argv: str) -> tuple[int, str]:
    """``dlproofs conform ...`` in-process: (exit code, what it printed)."""
    capsys.readouterr()  # drop what an in-process pytester run printed before
    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    return exc.value.code, capsys.readouterr().out


# ── the plugin ──────────────────────────────────────────────────────────────────────────────
def test_the_entry_point_names_the_plugin():
    eps = [ep for ep in importlib.metadata.entry_points(group="pytest11") if ep.name == "dlproofs"]
    assert [ep.value for ep in eps] == ["dlproofs.pytest_plugin"], (
        f"pytest11 entry point dlproofs: {eps}; reinstall (pip install -e .) after editing pyproject.toml"
    )


def test_fixture_and_marker_pass_the_correct_and_fail_the_buggy_with_the_cli_report(loaded, pytester, capsys):
    pytester.makepyfile(
        test_bn=IMPLEMENTATIONS
        + """

def test_fixture_correct(conforms):
    result = conforms("bn.forward", batch_norm, max_examples=20)
    assert result.ok and result.examples == 20


def test_fixture_buggy(conforms):
    conforms("bn.forward", batch_norm_unbiased, max_examples=20)


@pytest.mark.conforms("bn.forward", seed=3, max_examples=20)
@pytest.mark.parametrize("fn", [batch_norm, batch_norm_unbiased], ids=["correct", "buggy"])
def test_marker(fn):
    return fn
"""
    )
    result = pytester.runpytest("--strict-markers", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=2)
    out = result.stdout.str()
    code, report = _cli(capsys, "conform", "bn.forward", "test_bn.py:batch_norm_unbiased", "--max-examples", "20")
    assert code == 1 and report.startswith("bn.forward: test_bn.py:batch_norm_unbiased does not conform: wrong values")
    fixture_failure = "\n".join(_section(out, "test_fixture_buggy")) + "\n"
    assert fixture_failure.startswith(report), f"the fixture's failure is not the CLI report:\n{out}"
    marker_failure = _section(out, "test_marker[buggy]")  # the marker's options reach the run
    assert marker_failure[0] == "bn.forward: test_bn.py:batch_norm_unbiased does not conform: wrong values"
    assert marker_failure[2].startswith("  found at example ") and marker_failure[2].endswith(
        " (seed 3), then shrunk to:"
    )
    rerun = next(line for line in marker_failure if line.startswith("  re-run:    "))
    assert rerun.endswith(" conform bn.forward test_bn.py:batch_norm_unbiased --seed 3 --max-examples 20")
    result.stdout.fnmatch_lines(
        [
            "FAILED test_bn.py::test_fixture_buggy - Failed: bn.forward*",
            "FAILED test_bn.py::test_marker[[]buggy[]] - *",
        ],
        consecutive=False,
    )
    assert "Traceback" not in out and "dlproofs/conform.py" not in out and "During handling" not in out


def test_misuse_is_one_line(loaded, pytester):
    pytester.makepyfile(
        test_misuse=IMPLEMENTATIONS
        + """

@pytest.mark.conforms("bn.fwd")
def test_unknown_claim_marker():
    return batch_norm


def test_unknown_claim_fixture(conforms):
    conforms("bn.fwd", batch_norm)


@pytest.mark.conforms()
def test_no_claim():
    return batch_norm


@pytest.mark.conforms("bn.forward", max_example=5)
def test_misspelt_option():
    return batch_norm


@pytest.mark.conforms("bn.forward")
def test_returns_nothing():
    batch_norm


def test_not_a_callable(conforms):
    conforms("bn.forward", "batch_norm")


def test_bad_option_value(conforms):
    conforms("bn.forward", batch_norm, max_examples=0)
"""
    )
    result = pytester.runpytest("--strict-markers", "-p", "no:cacheprovider", "-rfE")
    result.assert_outcomes(failed=4, errors=3)  # marker problems are errors at setup: the body never runs
    expected = {
        "ERROR test_misuse.py::test_unknown_claim_marker": "@pytest.mark.conforms('bn.fwd'): no claim 'bn.fwd'; did you mean bn.forward",
        "FAILED test_misuse.py::test_unknown_claim_fixture": "conforms('bn.fwd', ...): no claim 'bn.fwd'; did you mean bn.forward",
        "ERROR test_misuse.py::test_no_claim": "@pytest.mark.conforms(): give the claim id as the one positional argument",
        "ERROR test_misuse.py::test_misspelt_option": "@pytest.mark.conforms('bn.forward', max_example=5): unknown option 'max_example'; did you mean max_examples?",
        "FAILED test_misuse.py::test_returns_nothing": "@pytest.mark.conforms('bn.forward'): test_returns_nothing returned None; return the implementation",
        "FAILED test_misuse.py::test_not_a_callable": "conforms('bn.forward', ...): 'batch_norm' is a str, not a callable",
        "FAILED test_misuse.py::test_bad_option_value": "conforms('bn.forward', ...): max_examples must be a positive integer, got 0",
    }
    out = result.stdout.str()
    for head, message in expected.items():
        block = _section(out, head.split("::")[1])
        assert block[0].startswith(message), f"{head}: {block[:3]}"
        assert block[1].startswith("_") or block[1].startswith("="), f"{head} is not one line: {block[:4]}"
        summary = [line for line in out.splitlines() if line.startswith(head + " ")]
        assert summary, f"{head} missing from the summary:\n{out}"
    assert "Traceback" not in out and "During handling" not in out


def test_the_marker_is_registered_and_documented(loaded, pytester):
    from dlproofs.conform import DEFAULT_MAX_EXAMPLES, DEFAULT_SEED

    result = pytester.runpytest("--markers")
    defaults = (
        f"max_examples={DEFAULT_MAX_EXAMPLES}, seed={DEFAULT_SEED}"  # the plugin spells them without importing torch
    )
    result.stdout.fnmatch_lines([f"@pytest.mark.conforms(claim, *, {defaults}): the test returns*"])


def test_loading_the_plugin_imports_neither_torch_nor_sympy(pytester):
    """A fresh interpreter (the outer session has torch loaded): pytest starts with the plugin
    loaded by its entry point, and a test that does not use it sees no torch or SymPy."""
    pytester.makepyfile(
        test_startup="""
import sys

def test_startup(pytestconfig):
    assert pytestconfig.pluginmanager.has_plugin("dlproofs"), "the pytest11 entry point was not loaded"
    assert "dlproofs.pytest_plugin" in sys.modules
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("torch", "sympy", "dlproofs"))
    assert loaded == ["dlproofs", "dlproofs.pytest_plugin"], loaded
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist")
    result.assert_outcomes(passed=1)


# ── --json and its schema ───────────────────────────────────────────────────────────────────
SCHEMA_FILE = importlib.resources.files("dlproofs") / "schemas" / "conform-1.json"

# The keywords the validator below interprets; any other keyword in the schema fails the test,
# so the schema cannot say something this test silently ignores.
ANNOTATIONS = {"$schema", "$id", "title", "description", "$defs"}
ASSERTIONS = {"$ref", "type", "const", "enum", "required", "properties", "additionalProperties", "items"}
ASSERTIONS |= {"minimum", "anyOf", "if", "then", "else"}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    assert SCHEMA_FILE.is_file(), f"{SCHEMA_FILE} is not shipped with the package (pyproject package-data)"
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def _is(value: Any, kind: str) -> bool:
    if kind in ("integer", "number") and isinstance(value, bool):
        return False
    python = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}
    python |= {"integer": int, "number": (int, float)}
    return isinstance(value, python[kind])


def _same(a: Any, b: Any) -> bool:
    return a == b and type(a) is type(b)  # JSON: true is not 1


def errors(value: Any, node: dict[str, Any], root: dict[str, Any], path: str = "$") -> list[str]:
    """Every way ``value`` breaks ``node`` (JSON Schema 2020-12, the keywords in ASSERTIONS)."""
    unknown = set(node) - ANNOTATIONS - ASSERTIONS
    assert not unknown, f"the schema uses {sorted(unknown)} at {path}, which this validator does not interpret"
    out: list[str] = []
    if "$ref" in node:
        target = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        out += errors(value, target, root, path)
    if "type" in node:
        kinds = node["type"] if isinstance(node["type"], list) else [node["type"]]
        if not any(_is(value, k) for k in kinds):
            return out + [f"{path}: {value!r:.60} is not {' or '.join(kinds)}"]
    if "const" in node and not _same(value, node["const"]):
        out.append(f"{path}: {value!r:.60} is not {node['const']!r}")
    if "enum" in node and not any(_same(value, e) for e in node["enum"]):
        out.append(f"{path}: {value!r:.60} is not one of {node['enum']}")
    if "minimum" in node and _is(value, "number") and value < node["minimum"]:
        out.append(f"{path}: {value} < {node['minimum']}")
    if "anyOf" in node and all(errors(value, alt, root, path) for alt in node["anyOf"]):
        out.append(f"{path}: {value!r:.60} matches none of {len(node['anyOf'])} alternatives")
    if "if" in node:
        branch = node.get("then") if not errors(value, node["if"], root, path) else node.get("else")
        out += errors(value, branch, root, path) if branch else []
    if isinstance(value, dict):
        out += [f"{path}: missing {k!r}" for k in node.get("required", ()) if k not in value]
        props = node.get("properties", {})
        for key, item in value.items():
            if key in props:
                out += errors(item, props[key], root, f"{path}.{key}")
            elif isinstance(node.get("additionalProperties"), dict):
                out += errors(item, node["additionalProperties"], root, f"{path}.{key}")
    if isinstance(value, list) and "items" in node:
        for i, item in enumerate(value):
            out += errors(item, node["items"], root, f"{path}[{i}]")
    return out


def _subschemas(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [s for n in node for s in _subschemas(n)]
    if not isinstance(node, dict):
        return []
    found = [node]
    for key, value in node.items():
        if key in ("properties", "$defs"):
            found += [s for v in value.values() for s in _subschemas(v)]
        elif key in ("items", "additionalProperties", "if", "then", "else", "anyOf"):
            found += _subschemas(value)
    return found


def test_the_schema_uses_only_keywords_the_validator_interprets(schema):
    for node in _subschemas(schema):
        assert set(node) <= ANNOTATIONS | ASSERTIONS, sorted(set(node) - ANNOTATIONS - ASSERTIONS)
    assert schema["$id"] == schema["properties"]["schema"]["const"] == "dlproofs.conform/1"
    assert SCHEMA_FILE.name == "conform-" + schema["$id"].rsplit("/", 1)[1] + ".json"


OUTPUTS = [  # (target, exit code, failure kind): a pass and two kinds of failure
    ("bn_forward.py:ok_manual", 0, None),
    ("bn_forward.py:bug_no_eps", 1, "NaN where the reference is finite"),  # non-finite numbers as strings
    ("relu_backward.py:bug_mask_ge", 1, "wrong values"),  # with a `where` label
]


@pytest.fixture(scope="module")
def outputs() -> dict[str, tuple[int, dict[str, Any]]]:
    """Each OUTPUTS target's ``dlproofs conform --json`` (strict JSON), once per module."""
    import contextlib
    import io
    import os

    claims = {"bn_forward.py": "bn.forward", "relu_backward.py": "relu.backward"}
    found = {}
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        for target, _, _ in OUTPUTS:
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer), pytest.raises(SystemExit) as exc:
                main(["conform", claims[target.split(":")[0]], f"examples/conform/{target}", "--json"])
            text = buffer.getvalue()
            found[target] = (exc.value.code, json.loads(text, parse_constant=lambda c: pytest.fail(f"JSON {c}")))
    finally:
        os.chdir(old)
    return found


@pytest.mark.parametrize(("target", "code", "kind"), OUTPUTS, ids=[t for t, _, _ in OUTPUTS])
def test_real_outputs_validate(schema, outputs, target, code, kind):
    got_code, data = outputs[target]
    assert got_code == code
    assert next(iter(data)) == "schema" and data["schema"] == "dlproofs.conform/1"
    assert errors(data, schema, schema) == []
    assert data["conforms"] is (code == 0)
    assert (data["counterexample"] or {}).get("kind") == kind


def _mutants(passed: dict[str, Any], failed: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Outputs that break the schema in one way each."""
    out = {}

    def edit(name: str, base: dict[str, Any], change) -> None:
        data = copy.deepcopy(base)
        change(data)
        out[name] = data

    edit("no claim", passed, lambda d: d.pop("claim"))
    edit("another schema version", passed, lambda d: d.update(schema="dlproofs.conform/2"))
    edit("examples as a string", passed, lambda d: d.update(examples="100"))
    edit("conforms as 1", passed, lambda d: d.update(conforms=1))
    edit("a pass without largest_error", passed, lambda d: d.pop("largest_error"))
    edit("a pass with a counterexample", passed, lambda d: d.update(counterexample=failed["counterexample"]))
    edit("a failure without counterexample", failed, lambda d: d.update(counterexample=None))
    edit("a counterexample without inputs", failed, lambda d: d["counterexample"].pop("inputs"))
    edit("a tensor without dtype", failed, lambda d: d["counterexample"]["expected"].pop("dtype"))
    edit("NaN spelt nan", failed, lambda d: d["counterexample"].update(largest_error="nan"))
    edit("a value as an object", failed, lambda d: d["counterexample"]["expected"]["values"].append({"v": 1}))
    edit("at as strings", failed, lambda d: d["counterexample"].update(at=["0", "0"]))
    edit("negative failing_cases", failed, lambda d: d["counterexample"].update(failing_cases=-1))
    return out


def test_the_validator_rejects_outputs_that_break_the_schema(schema, outputs):
    passed = outputs["bn_forward.py:ok_manual"][1]
    failed = outputs["bn_forward.py:bug_no_eps"][1]
    for name, data in _mutants(passed, failed).items():
        assert errors(data, schema, schema), f"the validator accepted an output with {name}"


def test_jsonschema_agrees_where_it_is_installed(schema, outputs):
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is not installed; the validator above checks")
    validator = jsonschema.Draft202012Validator(schema)
    validator.check_schema(schema)
    for _, data in outputs.values():
        validator.validate(data)
    passed, failed = outputs["bn_forward.py:ok_manual"][1], outputs["bn_forward.py:bug_no_eps"][1]
    for name, data in _mutants(passed, failed).items():
        assert not validator.is_valid(data), name


# ── a regular install ships both ────────────────────────────────────────────────────────────
@pytest.mark.slow
def test_a_built_wheel_has_the_entry_point_and_the_schema(tmp_path):
    """`pip install .` (not -e): the wheel carries the pytest11 entry point and the schema file."""
    import importlib.util
    import shutil
    import subprocess
    import sys
    import zipfile

    if importlib.util.find_spec("setuptools") is None:
        pytest.skip("setuptools is not importable here, so the wheel cannot be built without a download")
    src = tmp_path / "src"
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in ("dlproofs", "derivations", "impl"):
        shutil.copytree(ROOT / name, src / name, ignore=skip)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    cmd = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(tmp_path)]
    subprocess.run([*cmd, str(src)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("dlproofs-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        entry_points = zf.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
        shipped = json.loads(zf.read("dlproofs/schemas/conform-1.json"))
    assert "dlproofs/pytest_plugin.py" in names
    assert "[pytest11]\ndlproofs = dlproofs.pytest_plugin" in entry_points
    assert shipped == json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
