"""Issue 12: precision modes of ``dlproofs conform`` (``--dtype``, ``--eps``, ``--device``).

- zeros, the best constant, or a copy of an input never conform, for every contract, in every mode
  (float64, float32, bfloat16, float16): they are rejected with a counterexample, or, where a mode's
  derived bound cannot tell them from the right output on any case searched, refused (exit 2),
  never passed (the failure KernelBench's atol=1e-2 allowed);
- float32 code conforms in float32 mode (torch.nn.functional built-ins and the gallery's
  ``float32_ok_*``); a float32-specific bug (one-pass variance) is rejected; a float64 return in
  float32 mode is an interface error (exit 2);
- the bound is derived (the contract's ulps × eps(dtype) × scale, plus half an ulp of the output)
  and stated in the report and the JSON; float64 stays the default, unchanged;
- ``--eps`` fixes ε for code that hard-codes it (nanoGPT-style), reported as a convention;
- ``--device cuda`` without a GPU is a one-line exit 2.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from hypothesis import strategies as st

import dlproofs.conform as C
from dlproofs.conform import ConformError, InterfaceError, conform, contract_claim, contract_claims, load_target
from dlproofs.contract import Contract
from dlproofs.numeric import Tolerance
from dlproofs.precision import Precision, half_ulp, input_names

ROOT = Path(__file__).resolve().parents[1]
GALLERY = "examples/conform"
MODES = ("float64", "float32", "bfloat16", "float16")
CLAIMS = sorted(c.id for c in contract_claims())
VACUOUS = ("cannot be checked meaningfully", "a pass would say nothing")  # the two refusals (exit 2)


def _trivial(claim_id: str, kind: str):
    """A wrong target of the contract's output shape and the inputs' dtype: zeros, the best constant (the
    midrange of the right output: the constant closest to it in the max norm), or input ``kind``
    (returned where its shape is the output's, the right output elsewhere)."""
    reference = contract_claim(claim_id).contract.reference

    def right(*args):
        return reference(*args).detach()

    def zeros(*args):
        return torch.zeros_like(right(*args))

    def constant(*args):
        r = right(*args)
        fin = r[torch.isfinite(r)]
        mid = (fin.max() + fin.min()) / 2 if fin.numel() else torch.tensor(0.0)
        return torch.full_like(r, float(mid))

    def copy_of_input(*args):
        r = right(*args)
        names = input_names(contract_claim(claim_id).contract.signature)
        value = args[names.index(kind)]
        return value.clone() if value.shape == r.shape else r

    return {"zeros": zeros, "constant": constant}.get(kind, copy_of_input)


def _same_shaped_inputs(claim_id: str) -> list[str]:
    """Inputs whose shape can be the output's (the output's signature shape, or [...] for elementwise)."""
    signature = contract_claim(claim_id).contract.signature
    out = signature.split("->", 1)[1].split("#")[0].strip()
    out_shape = out[out.index("[") : out.index("]") + 1] if "[" in out else ""
    params = signature.split("(", 1)[1].split(") ->", 1)[0]
    names = input_names(signature)
    shapes = {}
    for name in names:
        at = params.find(name + "[")
        if at >= 0:
            shapes[name] = params[at + len(name) : params.index("]", at) + 1]
    same = [n for n, s in shapes.items() if s == out_shape]
    if claim_id == "attention.sdpa":
        same.append("q")  # [B, n, d_k] is the output's [B, n, d_v] whenever d_v == d_k
    return same


TRIVIAL = [(c, kind) for c in CLAIMS for kind in ("zeros", "constant", *_same_shaped_inputs(c))]


# bfloat16 (the loosest bound, where a wrong output is likeliest to fit) runs by default; float32, float64 and
# float16 under -m slow (same code path, tighter bounds); float32 code is also judged by the tests below
TIERED_MODES = [m if m == "bfloat16" else pytest.param(m, marks=pytest.mark.slow) for m in MODES]


@pytest.mark.parametrize("mode", TIERED_MODES)
@pytest.mark.parametrize(("claim_id", "kind"), TRIVIAL, ids=[f"{c}-{k}" for c, k in TRIVIAL])
def test_issue12_precision_trivial_outputs_never_conform(claim_id, kind, mode, monkeypatch, no_shrinking):
    """issue 12: precision modes — zeros, a constant or an input never conform, in any mode. Only the verdict
    is read, so conform runs without the shrink phase (conftest.without_shrinking: same verdict, first failing
    draw reported) and probes one fresh input after a failure."""
    _assert_never_conforms(claim_id, _trivial(claim_id, kind), mode, monkeypatch, no_shrinking)


def _assert_never_conforms(claim_id: str, fn, mode: str, monkeypatch, no_shrinking) -> None:
    """AssertionError unless ``fn`` is rejected with a counterexample or refused with the one-line reason."""
    # after a failure conform probes fresh inputs only to locate the difference: the verdict is already decided
    monkeypatch.setattr(C, "PROBE_EXAMPLES", 1)
    monkeypatch.setattr(C, "NONDEGENERATE_EXAMPLES", 1)
    try:
        result = conform(claim_id, fn, dtype=mode)
    except ConformError as exc:  # refused: the mode cannot tell it from the right output here
        contract = contract_claim(claim_id).contract
        if contract.outputs or contract.judge is not None:  # no error analysis for these in low precision: refused
            assert "single-output value contracts only" in str(exc), str(exc)
        else:
            assert mode in ("bfloat16", "float16") and any(v in str(exc) for v in VACUOUS), str(exc)
        assert "\n" not in str(exc)
        return
    assert no_shrinking, "the search ran with its shrink phase: is conftest.without_shrinking still hooked in?"
    assert not result.ok, f"{fn.__name__} conformed to {claim_id} in {mode}: {result.summary()}"
    assert result.failure is not None and result.failure.error > result.failure.bound


@pytest.mark.parametrize("claim_id", ["relu.backward", "reg.l2.update"])
def test_issue12_precision_trivial_output_check_fails_on_the_right_output(claim_id, monkeypatch, no_shrinking):
    """The matrix's check is not vacuous: the reference's own output, passed where a trivial one goes, conforms
    in bfloat16, so the check raises."""
    reference = contract_claim(claim_id).contract.reference

    def right(*args):
        return reference(*args).detach()

    with pytest.raises(AssertionError, match=f"right conformed to {claim_id} in bfloat16"):
        _assert_never_conforms(claim_id, right, "bfloat16", monkeypatch, no_shrinking)


def test_issue12_precision_modes_are_checked_for_every_contract():
    """issue 12: every contract and every input of the output's shape is in the trivial-output matrix."""
    assert {c for c, _ in TRIVIAL} == set(CLAIMS)
    assert ("ln.forward", "x") in TRIVIAL and ("reg.l2.update", "theta") in TRIVIAL
    assert ("relu.backward", "grad_out") in TRIVIAL and ("attention.multi-head", "x") in TRIVIAL


# ── float32 code ───────────────────────────────────────────────────────────────────────────
FLOAT32_OK = [
    ("ln.forward", f"{GALLERY}/ln_forward.py:float32_ok_builtin"),
    ("ln.forward", f"{GALLERY}/ln_forward.py:ok_functional"),
    ("bn.forward", f"{GALLERY}/bn_forward.py:ok_functional"),
    ("attention.sdpa", f"{GALLERY}/attention_sdpa.py:ok_builtin"),
    ("reg.l2.update", f"{GALLERY}/reg_l2_update.py:ok_sgd_weight_decay"),
    ("relu.backward", f"{GALLERY}/relu_backward.py:ok_threshold_backward"),
]


@pytest.mark.parametrize(("claim_id", "target"), FLOAT32_OK)
def test_issue12_precision_float32_code_conforms_in_float32_mode(claim_id, target):
    """issue 12: precision modes — correct float32 code (torch built-ins) conforms under --dtype float32,
    on informative cases, and the report states the derived bound."""
    result = conform(claim_id, load_target(target), dtype=torch.float32, target=target)
    assert result.ok, result.report()
    info = result.precision
    assert info is not None and info["dtype"] == "float32" and info["informative_cases"] > 0
    assert "+ ½ ulp(float32) of |reference| per entry, eps(float32) = 1.19e-07" in result.tolerance
    assert "bound:" in result.summary() and "--dtype float32" in result.summary()


def test_issue12_precision_float32_builtin_is_an_interface_error_in_float64():
    """The float32 example is float32 code: in the default (float64) mode it is exit 2, never a verdict."""
    with pytest.raises(InterfaceError, match="returned dtype float32, expected float64"):
        conform("ln.forward", load_target(f"{GALLERY}/ln_forward.py:float32_ok_builtin"))


# the verdict and what the report names are read, not the shrunk case: no shrink phase (conftest.no_shrinking)
def test_issue12_precision_one_pass_variance_is_rejected_in_float32(no_shrinking):
    """issue 12: precision modes — E[x²] − E[x]² loses digits in float32 under an offset: rejected."""
    result = conform(
        "ln.forward", load_target(f"{GALLERY}/ln_forward.py:float32_bug_one_pass_variance"), dtype="float32"
    )
    assert not result.ok
    assert result.failure is not None and result.failure.kind in ("wrong values", "NaN where the reference is finite")
    assert "--dtype float32" in result.rerun()


def test_issue12_precision_float64_return_in_float32_mode_is_exit_2():
    """issue 12: interface probe — float64 output in float32 mode is one line, with the fix."""

    def doubles(x, gamma, beta, eps):
        return torch.nn.functional.layer_norm(x.double(), (x.shape[-1],), gamma.double(), beta.double(), eps)

    with pytest.raises(InterfaceError) as exc:
        conform("ln.forward", doubles, dtype="float32")
    text = str(exc.value)
    assert "\n" not in text
    assert "returned dtype float64, expected float32" in text and "--dtype float32 passes float32 inputs" in text


def test_issue12_precision_explicit_float64_is_the_default():
    """float64 stays the default and an explicit float64 changes nothing (same report, byte for byte)."""
    fn = load_target(f"{GALLERY}/ln_forward.py:bug_eps_outside_root")
    default = conform("ln.forward", fn)
    explicit = conform("ln.forward", fn, dtype="float64")
    assert default.report() == explicit.report() and default.precision is None


def test_issue12_precision_bad_dtype_is_exit_2():
    with pytest.raises(ConformError, match="dtype must be one of float64, float32, bfloat16, float16"):
        conform("ln.forward", load_target(f"{GALLERY}/ln_forward.py:ok_manual"), dtype="int8")


# ── the derived bound and the refusals ─────────────────────────────────────────────────────
def test_issue12_precision_half_ulp():
    """Half the spacing of the dtype at |value|: the rounding of the output the bound adds."""
    values = torch.tensor([1.0, 1.5, 0.75, -3.0, 0.0], dtype=torch.float64)
    assert half_ulp(values, torch.float32).tolist() == [2.0**-24, 2.0**-24, 2.0**-25, 2.0**-23, 2.0**-150]
    assert half_ulp(torch.tensor([1.0], dtype=torch.float64), torch.bfloat16).item() == 2.0**-8
    # every float64 value rounds to the dtype within its half ulp
    x = torch.linspace(-70000, 70000, 1001, dtype=torch.float64)
    for dtype in (torch.float32, torch.bfloat16):
        assert bool(((x.to(dtype).double() - x).abs() <= half_ulp(x, dtype)).all())


def _toy(ulps: float) -> Contract:
    """y = 2x on [1, 2]: a contract whose tolerance is ``ulps`` × eps × max|x|."""

    def inputs():
        return st.floats(1, 2).map(lambda v: {"x": torch.tensor([v, v + 1, v + 2], dtype=torch.float64)})

    return Contract(
        signature="fn(x[3]) -> y[3]",
        inputs=inputs,
        reference=lambda x: 2 * x,
        tolerance=Tolerance(ulps, "toy", lambda c: float(c["x"].abs().max())),
    )


def test_issue12_precision_refuses_a_mode_whose_bound_exceeds_the_output():
    """A contract whose derived bound is wider than its output's spread is refused (exit 2, one line with the
    observed bound against the spread), not passed vacuously; a tight one is accepted."""
    with pytest.raises(ConformError) as exc:
        Precision("toy", _toy(1000), torch.bfloat16).refuse_if_vacuous()
    text = str(exc.value)
    assert "toy cannot be checked meaningfully in bfloat16" in text and "against an output spread of" in text
    assert "\n" not in text
    Precision("toy", _toy(4), torch.bfloat16).refuse_if_vacuous()  # output spread 2..4 ≫ bound: accepted


def test_issue12_precision_a_pass_without_informative_cases_is_refused():
    mode = Precision("toy", _toy(4), torch.bfloat16)
    with pytest.raises(ConformError, match="none of the 100 cases searched could tell"):
        mode.refuse_vacuous_pass(100)
    mode.informative = 1
    mode.refuse_vacuous_pass(100)


def test_issue12_precision_informative_cases_are_judged_by_constants_and_inputs():
    mode = Precision("toy", _toy(4), torch.float32)
    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    tight, loose = torch.full((3,), 1e-3, dtype=torch.float64), torch.full((3,), 2.5, dtype=torch.float64)
    assert mode.informative_case({"x": x}, 2 * x, tight)
    assert not mode.informative_case({"x": x}, 2 * x, loose)  # the constant 4 fits within 2.5 of 2, 4, 6
    assert not mode.informative_case({"x": 2 * x}, 2 * x, tight)  # the input itself fits


# ── --eps ──────────────────────────────────────────────────────────────────────────────────
NANOGPT = f"{GALLERY}/ln_nanogpt.py:nanogpt_layer_norm"


# the verdict and what the report names are read, not the shrunk case: no shrink phase (conftest.no_shrinking)
def test_issue12_precision_eps_fixes_a_hard_coded_epsilon(no_shrinking):
    """issue 12: --eps — nanoGPT's literal 1e-5 fails as wrong values under drawn ε, conforms with ε fixed,
    and the report says it is the implementation's own constant."""
    fn = load_target(NANOGPT)
    assert not conform("ln.forward", fn, target=NANOGPT).ok
    result = conform("ln.forward", fn, eps=1e-5, target=NANOGPT)
    assert result.ok, result.report()
    assert "ε fixed at 1e-05 (--eps): the implementation's own constant" in result.summary()
    assert result.rerun().endswith("--eps 1e-05") and result.precision["eps"] == 1e-5


def test_issue12_precision_eps_with_the_module_class_and_float32():
    result = conform("ln.forward", load_target(f"{GALLERY}/ln_nanogpt.py:LayerNorm"), eps=1e-5, dtype="float32")
    assert result.ok, result.report()


def test_issue12_precision_eps_without_an_eps_input_is_exit_2():
    with pytest.raises(ConformError) as exc:
        conform("reg.l2.update", load_target(f"{GALLERY}/reg_l2_update.py:ok_manual"), eps=1e-5)
    text = str(exc.value)
    assert text.startswith("--eps: reg.l2.update has no eps input") and "\n" not in text
    assert "bn.forward" in text and "ln.forward" in text


# ── --device ───────────────────────────────────────────────────────────────────────────────
NO_CUDA = (
    "--device cuda: no CUDA device here (torch.cuda.is_available() is False); run on a machine with a GPU or "
    "drop --device"
)


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the message of a machine without CUDA")
def test_issue12_precision_device_cuda_without_a_gpu_is_one_line():
    """issue 12: --device cuda — no GPU here: exit 2 with one line (API and CLI)."""
    with pytest.raises(ConformError) as exc:
        conform("ln.forward", load_target(f"{GALLERY}/ln_forward.py:ok_manual"), device="cuda")
    assert str(exc.value) == NO_CUDA
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dlproofs",
            "conform",
            "ln.forward",
            f"{GALLERY}/ln_forward.py:ok_manual",
            "--device",
            "cuda",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 2, proc.stderr
    assert NO_CUDA in proc.stderr and proc.stdout == ""


def test_issue12_precision_device_cpu_runs():
    result = conform("relu.backward", load_target(f"{GALLERY}/relu_backward.py:ok_mask"), device="cpu", max_examples=20)
    assert result.ok and result.precision["device"] == "cpu" and "--device cpu" in result.rerun()


# ── CLI and JSON ───────────────────────────────────────────────────────────────────────────
def test_issue12_precision_cli_json_states_the_mode():
    """--dtype in the JSON: the optional ``precision`` object of schema conform/1 (the version stays 1)."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dlproofs",
            "conform",
            "ln.forward",
            f"{GALLERY}/ln_forward.py:float32_ok_builtin",
            "--dtype",
            "float32",
            "--max-examples",
            "30",
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["schema"] == "dlproofs.conform/1"
    info = out["precision"]
    assert info["dtype"] == "float32" and info["eps"] is None and info["device"] is None
    assert info["bound"].startswith("16 × eps(float32) × scale(case) + ½ ulp(float32)")
    assert 0 < info["informative_cases"] <= info["judged_cases"]
    assert "--dtype float32" in out["rerun"]
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from test_pytest_plugin import errors  # the schema validator of the plugin tests
    finally:
        sys.path.remove(str(ROOT / "tests"))
    schema = json.loads((ROOT / "dlproofs" / "schemas" / "conform-1.json").read_text(encoding="utf-8"))
    assert errors(out, schema, schema) == []
    bad = {**out, "precision": {**info, "dtype": "int8"}}
    assert errors(bad, schema, schema)  # the schema does check the new field


def test_issue12_precision_options_reach_the_pytest_plugin_and_assert_conforms():
    from dlproofs.pytest_plugin import _options
    from dlproofs.testing import assert_conforms

    assert {"dtype", "eps", "device"} <= set(_options())
    result = assert_conforms("ln.forward", load_target(NANOGPT), eps=1e-5, dtype="float32", max_examples=30)
    assert result.precision["eps"] == 1e-5 and result.precision["dtype"] == "float32"
    assert not math.isnan(result.worst_bound)
