"""JAX targets of `dlproofs conform` (dlproofs/jax_targets.py, the optional ``dlproofs[jax]`` extra).

Skipped as a whole when jax is not installed (CI has none); tests/test_conform_jax_missing.py covers
that case. Here: jax functions (plain and jax.jit) conform or are counterexamples with their
diagnosis, inputs arrive as float64 jax arrays (integer labels as integers) under jax.enable_x64
without changing the process's setting, a float32 result is the dtype interface error in float64
and is judged under --dtype float32, and --arrays jax works from the CLI.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

jax = pytest.importorskip("jax", reason="jax is not installed (optional extra: pip install 'dlproofs[jax]')")
jnp = pytest.importorskip("jax.numpy")

from dlproofs import conform as C  # noqa: E402
from dlproofs import jax_targets  # noqa: E402
from dlproofs.conform import ConformError, InterfaceError, conform, load_target  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
GALLERY = "examples/jax/jax_gallery.py"
# 30 examples: each jax call of a new shape compiles (jit) or dispatches op by op; the default-seed
# gallery in test_conform runs 100, and these functions' verdicts do not change between 30 and 100
# (checked by test_default_max_examples_agree below on one ok and one bug).
EXAMPLES = 30


def _target(name: str):
    return load_target(f"{ROOT / GALLERY}:{name}")


@pytest.mark.parametrize(
    ("claim_id", "name"),
    [
        ("bn.forward", "ok_bn_forward"),
        ("bn.forward", "ok_bn_forward_jit"),
        ("softmax.forward", "ok_softmax"),
        ("softmax.forward", "ok_softmax_max_shift"),
        ("relu.backward", "ok_relu_backward"),
        ("relu.backward", "ok_relu_backward_vjp"),
        ("xent.grad", "ok_xent_grad"),
        ("xent.grad", "ok_xent_grad_autodiff"),
    ],
)
def test_correct_jax_functions_conform(claim_id, name):
    result = conform(claim_id, _target(name), max_examples=EXAMPLES)
    assert result.ok, result.report()
    assert result.adapted.startswith("jax target (float64 jax arrays in under jax.enable_x64"), result.adapted
    assert result.examples == EXAMPLES


@pytest.mark.parametrize(
    ("claim_id", "name", "diagnosis"),
    [
        ("bn.forward", "bug_bn_unbiased_variance", "unbiased variance"),
        ("softmax.forward", "bug_softmax_wrong_axis", "batch axis"),
        ("relu.backward", "bug_relu_backward_ge", "relu'(0) = 1"),
        ("xent.grad", "bug_xent_grad_sum", "sum reduction"),
    ],
)
def test_buggy_jax_functions_are_counterexamples_with_their_diagnosis(claim_id, name, diagnosis):
    result = conform(claim_id, _target(name), max_examples=EXAMPLES)
    assert not result.ok
    assert result.failure.kind == C.WRONG_VALUES, result.report()
    assert isinstance(result.failure.got, torch.Tensor) and result.failure.got.dtype == torch.float64
    assert result.diagnosis is not None and diagnosis in result.diagnosis.line(), result.report()
    assert "target:    jax target" in result.report()


def test_multi_output_contract_takes_a_tuple_of_jax_arrays():
    result = conform("bn.backward", _target("ok_bn_backward_vjp"), max_examples=EXAMPLES)
    assert result.ok, result.report()
    bad = conform("bn.backward", _target("bug_bn_backward_no_mean_terms"), max_examples=EXAMPLES)
    assert not bad.ok and bad.failure.detail.startswith("dx: ") and "dgamma, dbeta agree" in bad.failure.detail


def test_jitted_buggy_function_is_rejected_too():
    buggy = jax.jit(_target("bug_bn_unbiased_variance"))
    result = conform("bn.forward", buggy, max_examples=EXAMPLES)
    assert not result.ok and result.failure.kind == C.WRONG_VALUES


def test_default_max_examples_agree():
    assert conform("bn.forward", _target("ok_bn_forward")).ok
    assert not conform("bn.forward", _target("bug_bn_unbiased_variance")).ok


def test_inputs_are_float64_jax_arrays_and_labels_integers_without_changing_the_process_setting():
    before = jax.config.jax_enable_x64
    seen: list[tuple[str, str, bool]] = []

    def recording(z, y):
        seen.append((str(z.dtype), str(y.dtype), isinstance(z, jax.Array) and isinstance(y, jax.Array)))
        return (jax.nn.softmax(z, axis=-1) - jax.nn.one_hot(y, z.shape[1], dtype=z.dtype)) / z.shape[0]

    assert conform("xent.grad", recording, max_examples=10, arrays="jax").ok
    assert len(seen) >= 10 and set(seen) == {("float64", "int64", True)}
    assert jax.config.jax_enable_x64 == before  # the x64 context is undone after every call
    assert jnp.asarray(np.ones(1)).dtype == (jnp.float64 if before else jnp.float32)


def test_float32_result_is_the_dtype_interface_error_and_is_judged_under_dtype_float32():
    fn = _target("iface_bn_float32")
    with pytest.raises(InterfaceError) as exc:
        conform("bn.forward", fn)
    text = str(exc.value)
    assert "\n" not in text
    assert "returned dtype float32, expected float64" in text and "jax array" in text
    assert "jax.enable_x64" in text and "--dtype float32" in text  # what happened and how to fix it
    result = conform("bn.forward", fn, dtype="float32", max_examples=EXAMPLES)
    assert result.ok, result.report()
    assert result.adapted.startswith("jax target (float32 jax arrays in,"), result.adapted  # x64 left alone
    assert result.precision["dtype"] == "float32" and result.precision["informative_cases"] > 0


def test_a_float32_jax_bug_is_still_caught_under_dtype_float32():
    result = conform("bn.forward", _target("bug_bn_unbiased_variance"), dtype="float32", max_examples=EXAMPLES)
    assert not result.ok and result.failure.kind == C.WRONG_VALUES


def test_returning_a_constant_never_conforms():
    with pytest.raises(InterfaceError, match="returned shape"):
        conform("bn.forward", lambda x, gamma, beta, eps: jnp.zeros(()))
    result = conform("bn.forward", lambda x, gamma, beta, eps: jnp.zeros_like(x), max_examples=EXAMPLES)
    assert not result.ok


def test_arrays_jax_on_a_torch_function_is_one_line_exit_2():
    torch_fn = load_target(f"{ROOT}/examples/conform/bn_forward.py:ok_manual")
    with pytest.raises(InterfaceError) as exc:
        conform("bn.forward", torch_fn, arrays="jax")
    text = str(exc.value)
    assert "\n" not in text and "raised" in text and "jax array" in text, text


def test_arrays_jax_returning_numpy_says_so():
    def numpy_out(x, gamma, beta, eps):
        return np.asarray(_target("ok_bn_forward")(x, gamma, beta, eps))

    with pytest.raises(InterfaceError, match=r"returned float64\[\d+, \d+\] numpy.ndarray when given jax arrays"):
        conform("bn.forward", numpy_out, arrays="jax")


def test_auto_keeps_numpy_and_torch_targets_with_jax_installed():
    numpy_fn = load_target(f"{ROOT}/examples/conform/bn_forward.py:numpy_batch_norm")
    assert conform("bn.forward", numpy_fn, max_examples=10).adapted.startswith("numpy target")
    torch_fn = load_target(f"{ROOT}/examples/conform/bn_forward.py:ok_manual")
    assert conform("bn.forward", torch_fn, max_examples=10).adapted == ""


def test_tuple_return_with_output():
    def with_cache(x, gamma, beta, eps):
        y = _target("ok_bn_forward")(x, gamma, beta, eps)
        return y, {"mean": jnp.mean(x, axis=0)}

    with pytest.raises(InterfaceError, match="--output 0"):
        conform("bn.forward", with_cache)
    assert conform("bn.forward", with_cache, output=0, max_examples=10).ok


def test_to_torch_copies_and_keeps_the_dtype():
    with jax_targets.x64(True):
        a = jnp.arange(6.0).reshape(2, 3)
    t = jax_targets.to_torch(a)
    assert t.dtype == torch.float64 and t.shape == (2, 3)
    t[0, 0] = 99.0  # a copy: the jax array is unchanged
    assert float(a[0, 0]) == 0.0
    b = jax_targets.to_torch((jnp.asarray([1.5], dtype=jnp.bfloat16), 3))
    assert b[0].dtype == torch.bfloat16 and float(b[0][0]) == 1.5 and b[1] == 3
    back = jax_targets.to_jax(torch.tensor([1.5, -2.0], dtype=torch.bfloat16))
    assert back.dtype == jnp.bfloat16 and back.tolist() == [1.5, -2.0]


def test_cli_arrays_jax(run):
    code, out, _ = run("conform", "softmax.forward", f"{GALLERY}:ok_softmax", "--arrays", "jax", "--max-examples", "20")
    assert code == 0, out
    assert "target:    jax target (float64 jax arrays in under jax.enable_x64" in out
    code, out, _ = run(
        "conform", "softmax.forward", f"{GALLERY}:bug_softmax_wrong_axis", "--arrays", "jax", "--max-examples", "20"
    )
    assert code == 1
    assert "--arrays jax" in out.splitlines()[-1]  # the re-run line keeps the option


def test_cli_float32_jax_target_exit_2(run):
    code, out, err = run("conform", "bn.forward", f"{GALLERY}:iface_bn_float32")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "returned dtype float32, expected float64" in err


def test_require_passes_when_installed():
    jax_targets.require()
    assert jax_targets.available()
    with pytest.raises(ConformError, match="arrays must be one of auto, torch, numpy, jax"):
        conform("bn.forward", _target("ok_bn_forward"), arrays="jnp")


def test_bfloat16_jax_target_is_judged_at_bfloat16():
    """jax has bfloat16 (numpy has not): the inputs arrive as bfloat16 jax arrays, the result is judged
    at bfloat16's bound; relu'(0) = 1 is still caught there (relu.backward is exact: 0 or grad_out)."""
    result = conform("relu.backward", _target("ok_relu_backward"), dtype="bfloat16", max_examples=15)
    assert result.ok, result.report()
    assert result.adapted.startswith("jax target (bfloat16 jax arrays in,")
    bad = conform("relu.backward", _target("bug_relu_backward_ge"), dtype="bfloat16", max_examples=15)
    assert not bad.ok and bad.failure.kind == C.WRONG_VALUES


def test_device_cuda_is_refused_for_a_jax_target(monkeypatch):
    """--device moves torch tensors; a jax target's arrays stay where JAX puts them, so the run would
    not be on the device the report names. (No GPU needed: torch.cuda.is_available is faked, and the
    torch probe call that would move tensors fails as it does on a CPU-only build.)"""
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    with pytest.raises(ConformError) as exc:
        conform("bn.forward", _target("ok_bn_forward"), device="cuda")
    assert "\n" not in str(exc.value) and str(exc.value).startswith("--device cuda: TARGET runs as a jax target")
