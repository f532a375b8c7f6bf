"""Declared calls (issue 12: "conform for real pull requests" — code as shipped): ``--call`` and ``--build``.

- template parsing (dlproofs/calling.py) accepts the documented forms and evaluates them per case;
  everything else is refused before any call, exit 2 with one line that says what is allowed;
- a template that calls the target wrongly (arity, keyword, a method that is not there, a tuple
  without --output) is exit 2 from the interface probe, never a counterexample;
- the options reach the verdict: CS231n-style numpy code with a parameter dict and an (out, cache)
  return, relu_backward(dout, cache), a module whose constructor is not the convention's, a plain
  class with attributes; a template's dict literal is fresh per call;
- the report, the re-run line (shlex-quoted: pasted into a shell it gives the same report), --json
  (validated against dlproofs/schemas/conform-1.json) and the pytest plugin (``call=``) carry them.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from dlproofs.calling import parse
from dlproofs.cli import main
from dlproofs.conform import ConformError, InterfaceError, conform

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
BN = ("x", "gamma", "beta", "eps")
RELU = ("z", "grad_out")

# CS231n-style code (numpy, a parameter dict, an (out, cache) return, (dout, cache) order): correct and buggy.
SHIPPED = """
import numpy as np
import pytest
import torch


def batchnorm_forward(x, gamma, beta, bn_param):
    eps = bn_param.pop("eps")  # pops: a dict shared between calls would fail the second call
    assert bn_param == {"mode": "train"}
    mu = np.mean(x, axis=0)
    var = np.var(x, axis=0)
    out = gamma * (x - mu) / np.sqrt(var + eps) + beta
    return out, (x, mu, var)


def relu_backward(dout, cache):
    dx = np.array(dout, copy=True)
    dx[cache <= 0] = 0
    return dx


def relu_backward_bug(dout, cache):  # relu'(0) = 1
    dx = np.array(dout, copy=True)
    dx[cache < 0] = 0
    return dx


class LayerNorm(torch.nn.Module):  # nanoGPT-style constructor: LayerNorm(ndim, bias)
    def __init__(self, ndim, bias):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(ndim))
        self.bias = torch.nn.Parameter(torch.zeros(ndim)) if bias else None
        self.eps = 1e-5

    def forward(self, x):
        return torch.nn.functional.layer_norm(x, self.weight.shape, self.weight, self.bias, self.eps)


class BatchNorm1d:  # makemore-style plain class: gamma, beta and eps are attributes
    def __init__(self, dim, eps=1e-5):
        self.eps = eps
        self.gamma = torch.ones(dim)
        self.beta = torch.zeros(dim)

    def __call__(self, x):
        var = x.var(0, unbiased=False)
        return self.gamma * (x - x.mean(0)) / torch.sqrt(var + self.eps) + self.beta
"""

BN_CALL = 'f(x, gamma, beta, {"mode": "train", "eps": eps})'


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The module above as a user's file (imported by conform's loader, like a TARGET)."""
    from dlproofs.conform import load_target

    folder = tmp_path_factory.mktemp("shipped")
    (folder / "layers.py").write_text(SHIPPED)
    return folder, lambda name: load_target(f"{folder / 'layers.py'}:{name}")


# ── parsing ─────────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    "option, names, text",
    [
        ("call", BN, BN_CALL),  # cs231n batchnorm_forward(x, gamma, beta, bn_param)
        ("call", RELU, "f(grad_out, z)"),  # cs231n relu_backward(dout, cache)
        ("call", RELU, "f(grad_out, z, 0)"),  # aten threshold_backward(grad_output, self, threshold)
        ("call", BN, "f(x, [x.shape[-1]], gamma, beta, eps)"),  # aten native_layer_norm
        ("call", BN, "f(x, gamma, beta, None, None, True, 0.1, eps)"),  # aten native_batch_norm
        ("call", BN, "f.forward(x[None], gamma, beta)[0][0]"),  # llm.c: a static method on [B, T, C]
        ("call", BN, "f(x[:, 1:], gamma, beta, eps=-1e-5)[-1]"),
        ("call", BN, "f(x, (1, 2), {eps: [x.T, x.ndim]}, beta.shape)"),
        ("build", BN, "cls(x.shape[-1], bias=True)"),  # nanoGPT LayerNorm(ndim, bias)
        ("build", BN, "cls(x.shape[1], eps=eps)"),
    ],
)
def test_documented_forms_parse_and_evaluate(option, names, text):
    template = parse(text, option=option, names=names)
    assert template.option == option and template.text == text

    class Recorder:  # f (or cls): records its arguments; .forward is the same call
        def __call__(self, *args, **kwargs):
            return [(args, kwargs)]

        forward = __call__

    inputs = {n: torch.arange(6.0).reshape(2, 3) if n in ("x", "z") else torch.ones(3) for n in names}
    inputs["eps"] = 1e-5
    value = template(Recorder(), inputs)
    tree = eval(
        text.replace("f.forward", "f").replace("f(", "g(", 1).replace("cls(", "g(", 1), {}, {**inputs, "g": Recorder()}
    )
    for got, want in zip(_leaves(value), _leaves(tree)):  # the template means what Python means
        assert type(got) is type(want) and (
            got == want if not isinstance(got, torch.Tensor) else torch.equal(got, want)
        )


def _leaves(value):
    if isinstance(value, (list, tuple)):
        return [leaf for v in value for leaf in _leaves(v)]
    if isinstance(value, dict):
        return [leaf for kv in value.items() for v in kv for leaf in _leaves(v)]
    return [value]


@pytest.mark.parametrize(
    "option, text, words",
    [
        ("call", "f(x + 1, gamma, beta, eps)", "x + 1 is arithmetic, which a template cannot contain"),
        ("call", "f(x, torch.zeros(3))", "torch.zeros(3) is a call"),
        ("call", "g(x, gamma, beta, eps)", "it calls g, not f"),
        ("call", "f(y)", "unknown name 'y' (not one of the contract's inputs)"),
        ("call", "f(*x)", "no *unpacking"),
        ("call", "f(**{'a': x})", "no **unpacking"),
        ("call", "f(x.__class__)", "no private or dunder attributes"),
        ("call", "f.__call__(x)", "no dunder attributes"),
        ("call", "f(f)", "f can only be called, not passed as an argument"),
        ("call", "f(x)[1:]", "the result can only be indexed by an integer"),
        ("call", "f(x", "not a Python expression"),
        ("call", "f(x); import os", "not a Python expression"),
        ("call", "lambda: f(x)", "is not a call of f"),
        ("call", "f(x) if eps else f(gamma)", "is not a call of f"),
        ("call", "f(x, [i for i in x])", "a comprehension"),
        ("call", "f(x, eps > 0)", "a comparison"),
        ("build", "cls(x)[0]", "is not a call of cls"),
        ("build", "f(x.shape[-1])", "it calls f, not cls"),
    ],
)
def test_other_forms_are_refused_with_what_is_allowed(option, text, words):
    with pytest.raises(ConformError) as exc:
        parse(text, option=option, names=BN)
    message = str(exc.value)
    assert words in message and "\n" not in message
    callee = "f" if option == "call" else "cls"
    assert (
        f"a {option} template is one call of {callee}" in message
        and "the contract's inputs (x, gamma, beta, eps)" in message
    )


def test_cli_refusal_is_exit_2_one_line_before_the_target_runs(tmp_path):
    (tmp_path / "mine.py").write_text("def relu_backward(dout, cache):\n    raise SystemExit('called')\n")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dlproofs",
            "conform",
            "relu.backward",
            "mine.py:relu_backward",
            "--call",
            "f(grad_out * 2, z)",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("dlproofs: error: --call 'f(grad_out * 2, z)': grad_out * 2 is arithmetic")
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr and "called" not in proc.stderr


# ── a template that calls the target wrongly: exit 2 from the interface probe ───────────────
def test_wrong_calls_are_interface_errors(shipped):
    _, load = shipped
    relu = load("relu_backward")
    with pytest.raises(
        InterfaceError, match=r"relu_backward\(dout, cache\) cannot be called as --call f\(grad_out\) says: missing"
    ):
        conform("relu.backward", relu, call="f(grad_out)")
    with pytest.raises(InterfaceError, match="unexpected keyword argument 'threshold'"):
        conform("relu.backward", relu, call="f(grad_out, z, threshold=0)")
    bn = load("batchnorm_forward")
    with pytest.raises(InterfaceError, match=r"returned a tuple .* pass --output 0 \(API: output=0\)"):
        conform("bn.forward", bn, call=BN_CALL)
    with pytest.raises(InterfaceError, match="raised AttributeError: .*has no attribute 'forward'"):
        conform("bn.forward", bn, call="f.forward(x, gamma, beta, eps)")
    with pytest.raises(
        ConformError,
        match="--build cls\\(x.shape\\[1\\]\\) constructs a class target, but batchnorm_forward is a function",
    ):
        conform("bn.forward", bn, build="cls(x.shape[1])")


def test_interface_hints_name_the_options(shipped):
    """Without a template, the probe's messages now say how to declare one."""
    _, load = shipped
    with pytest.raises(
        InterfaceError, match=r"""declare the call, e.g. --call 'f\(x, gamma, beta, \{"eps": eps\}\)'"""
    ):
        conform("bn.forward", load("batchnorm_forward"))
    with pytest.raises(InterfaceError, match=r"declare how to call it with --call 'f\(...\)'"):
        conform("relu.backward", load("batchnorm_forward"))
    with pytest.raises(InterfaceError, match=r"declare one with --build 'cls\(...\)'"):
        conform("ln.forward", load("LayerNorm"))


# ── the options reach the verdict ───────────────────────────────────────────────────────────
def test_shipped_numpy_code_with_a_dict_and_a_tuple_conforms(shipped):
    _, load = shipped
    result = conform("bn.forward", load("batchnorm_forward"), call=BN_CALL, output=0, max_examples=30)
    assert result.ok, result.report()
    assert "numpy target" in result.adapted and f"called as {BN_CALL}" in result.adapted
    assert "compared element 0 of the returned tuple" in result.adapted


def test_argument_order_conforms_and_a_convention_difference_is_found(shipped):
    _, load = shipped
    assert conform("relu.backward", load("relu_backward"), call="f(grad_out, z)", max_examples=30).ok
    bug = conform("relu.backward", load("relu_backward_bug"), call="f(grad_out, z)")
    assert not bug.ok and "only at entries where z == 0" in bug.where


def test_build_constructs_a_module_whose_constructor_is_not_the_conventions(shipped):
    _, load = shipped
    result = conform("ln.forward", load("LayerNorm"), build="cls(x.shape[-1], bias=True)", max_examples=30)
    assert result.ok, result.report()
    assert "built as cls(x.shape[-1], bias=True); train mode; weight ← gamma, bias ← beta" in result.adapted
    with pytest.raises(
        InterfaceError, match=r"constructing LayerNorm as --build cls\(x.shape\[-1\]\) raised TypeError"
    ):
        conform("ln.forward", load("LayerNorm"), build="cls(x.shape[-1])")


def test_build_with_a_plain_class_sets_the_weights_as_attributes(shipped):
    _, load = shipped
    cls = load("BatchNorm1d")
    options = dict(build="cls(x.shape[1], eps=eps)", weights={"gamma": "gamma", "beta": "beta"})
    result = conform("bn.forward", cls, max_examples=30, **options)
    assert result.ok, result.report()
    assert "called as obj(x)" in result.adapted
    # without the weights, its own ones/zeros would be used: the defaults name attributes it lacks
    with pytest.raises(InterfaceError, match="has no attribute weight to load gamma into .*--weights ATTR=INPUT"):
        conform("bn.forward", cls, build="cls(x.shape[1], eps=eps)")


LAZY = """
import numpy as np


class BatchNormalization:  # ML-From-Scratch style: numpy, gamma/beta set by initialize(), eps an attribute
    def __init__(self, momentum=0.99):
        self.momentum = momentum
        self.eps = 0.01

    def initialize(self, shape):
        self.gamma = np.ones(shape)
        self.beta = np.zeros(shape)

    def forward_pass(self, X, training=True):
        var = np.var(X, axis=0)  # biased; np.var on a torch tensor raises (ddof): a numpy object
        return self.gamma * (X - np.mean(X, axis=0)) / np.sqrt(var + self.eps) + self.beta


class UnbiasedBatchNormalization(BatchNormalization):
    def forward_pass(self, X, training=True):
        var = np.var(X, axis=0, ddof=1)
        return self.gamma * (X - np.mean(X, axis=0)) / np.sqrt(var + self.eps) + self.beta


class ReLUGrad:  # a plain object on a contract with no module convention (relu.backward)
    def backward(self, z, g):
        return g * (z > 0)

    def backward_bug(self, z, g):
        return g * (z >= 0)
"""
LAZY_OPTIONS = dict(build="cls()", weights={"gamma": "gamma", "beta": "beta"}, call="f.forward_pass(x, training=True)")


@pytest.fixture(scope="module")
def lazy(tmp_path_factory):
    from dlproofs.conform import load_target

    folder = tmp_path_factory.mktemp("lazy")
    (folder / "lazy.py").write_text(LAZY)
    return lambda name: load_target(f"{folder / 'lazy.py'}:{name}")


def test_build_loads_attributes_the_class_sets_later_and_calls_numpy_objects_with_arrays(lazy):
    """gamma/beta exist only after initialize(): --weights may name them (its code assigns them); the object
    is numpy code, so it is called with arrays; its eps attribute is set as the bn.forward convention says."""
    result = conform("bn.forward", lazy("BatchNormalization"), max_examples=30, **LAZY_OPTIONS)
    assert result.ok, result.report()
    assert "numpy object (float64 arrays in" in result.adapted and "attribute eps ← eps" in result.adapted
    bug = conform("bn.forward", lazy("UnbiasedBatchNormalization"), **LAZY_OPTIONS)
    assert not bug.ok and "unbiased variance" in bug.report()


def test_build_still_refuses_an_attribute_no_method_names(lazy):
    with pytest.raises(InterfaceError) as exc:
        conform("bn.forward", lazy("BatchNormalization"), **{**LAZY_OPTIONS, "weights": {"gamm": "gamma"}})
    text = str(exc.value)
    assert "\n" not in text
    assert "has no attribute gamm to load gamma into (its attributes: momentum, eps; set later by its methods: " in text
    assert "beta, gamma)" in text


def test_build_with_a_plain_class_on_a_contract_without_a_module_convention(lazy):
    cls = lazy("ReLUGrad")
    assert conform("relu.backward", cls, build="cls()", call="f.backward(z, grad_out)", max_examples=30).ok
    bug = conform("relu.backward", cls, build="cls()", call="f.backward_bug(z, grad_out)")
    assert not bug.ok and "relu'(0) = 1" in bug.report()


# ── report, re-run line, --json, plugin ─────────────────────────────────────────────────────
def test_rerun_line_round_trips_through_the_shell(tmp_path):
    (tmp_path / "layers.py").write_text(SHIPPED)
    argv = ["relu.backward", "layers.py:relu_backward_bug", "--call", "f(grad_out, z)", "--max-examples", "30"]
    first = subprocess.run(
        [sys.executable, "-m", "dlproofs", "conform", *argv], cwd=tmp_path, capture_output=True, text=True
    )
    assert first.returncode == 1, first.stdout + first.stderr
    rerun = next(line for line in first.stdout.splitlines() if line.startswith("  re-run:    "))
    command = rerun.removeprefix("  re-run:    ")
    assert command.endswith("--max-examples 30 --call 'f(grad_out, z)'")
    again = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, text=True)  # pasted into sh
    assert again.returncode == 1 and again.stdout == first.stdout, (first.stdout, again.stdout, again.stderr)


def test_rerun_line_quotes_a_template_with_quotes_and_braces(shipped):
    _, load = shipped
    result = conform(
        "bn.forward", load("batchnorm_forward"), call=BN_CALL, output=0, max_examples=10, target="layers.py:bn"
    )
    words = shlex.split(result.rerun())
    assert words[words.index("--call") + 1] == BN_CALL and words[words.index("--output") + 1] == "0"


def test_json_carries_the_templates_and_validates(shipped, capsys):
    from test_pytest_plugin import SCHEMA_FILE, errors

    folder, _ = shipped
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(["conform", "bn.forward", f"{folder / 'layers.py'}:BatchNorm1d", "--build", "cls(x.shape[1], eps=eps)",
              "--weights", "gamma=gamma,beta=beta", "--max-examples", "10", "--json"])  # fmt: skip
    assert exc.value.code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["build"] == "cls(x.shape[1], eps=eps)" and out["call"] is None
    assert "--build 'cls(x.shape[1], eps=eps)'" in out["rerun"]
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert errors(out, schema, schema) == []
    assert errors({**out, "call": 3}, schema, schema)  # the schema does check the new keys


@pytest.fixture(scope="module")
def loaded():
    """torch and the bn.forward topic loaded before pytester's in-process run (see test_pytest_plugin)."""
    assert conform("bn.forward", lambda x, gamma, beta, eps: x, max_examples=5).ok is False


def test_plugin_marker_and_fixture_take_call(loaded, pytester):
    pytester.makepyfile(
        test_shipped=SHIPPED
        + f"""

@pytest.mark.conforms("bn.forward", call={BN_CALL!r}, output=0, max_examples=20)
def test_marker():
    return batchnorm_forward


@pytest.mark.conforms("bn.forward", call={BN_CALL!r}, max_examples=20)
def test_marker_without_output():
    return batchnorm_forward


def test_fixture(conforms):
    assert conforms("bn.forward", BatchNorm1d, build="cls(x.shape[1])", weights={{"gamma": "gamma", "beta": "beta"}},
                    max_examples=20).ok
"""
    )
    result = pytester.runpytest("--strict-markers", "-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=2, failed=1)
    out = result.stdout.str()
    assert "returned a tuple" in out and "pass --output 0" in out, out


# ── config(...): constructors that read a config object (nanoGPT, minGPT) ──────────────────────
MHA = ("x", "w_qkv", "b_qkv", "w_o", "b_o", "num_heads", "causal", "key_padding_mask")


@pytest.mark.parametrize("option", ["build", "call"])
def test_config_builds_an_attribute_namespace(option):
    callee = "cls" if option == "build" else "f"
    text = f"{callee}(config(n_embd=x.shape[-1], n_head=num_heads, bias=True, dropout=0.0, inner=config(p=[x.ndim])))"
    template = parse(text, option=option, names=MHA)
    inputs = {n: torch.zeros(2, 3, 4) if n == "x" else 2 for n in MHA}
    (cfg,) = template(lambda *a: a, inputs)
    assert (cfg.n_embd, cfg.n_head, cfg.bias, cfg.dropout, cfg.inner.p) == (4, 2, True, 0.0, [3])


@pytest.mark.parametrize(
    "text, words",
    [
        ("cls(config(x.shape[-1]))", "config(...) takes keyword arguments only"),
        ("cls(config(**{'n': 1}))", "no **unpacking"),
        ("cls(config(n_embd=x.shape[-1] * 2))", "is arithmetic"),
        ("cls(config(n_embd=len(x)))", "len(x) is a call"),
        ("cls(config)", "unknown name 'config'"),
        ("cls(types.SimpleNamespace(n=1))", "is a call"),
    ],
)
def test_config_misuse_is_refused_one_line(text, words):
    with pytest.raises(ConformError) as exc:
        parse(text, option="build", names=MHA)
    message = str(exc.value)
    assert words in message and "\n" not in message and "config(key=value, ...)" in message


def test_config_is_refused_where_an_input_is_named_config():
    with pytest.raises(ConformError, match="the contract has an input named 'config'"):
        parse("cls(config(n=1))", option="build", names=("x", "config"))
