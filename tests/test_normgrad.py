"""Issue 12, normalization and activation part: multi-output contracts (bn.backward, ln.backward),
RMSNorm, GELU exact and tanh.

The galleries (examples/conform/bn_backward.py, ln_backward.py, rmsnorm_forward.py, gelu_exact.py,
gelu_tanh.py) are judged by tests/test_conform.py's gallery tests; here: what the multi-output
feature reports and refuses, that every declared Variant is a formula the contract tells apart,
the tolerance that separates exact GELU from its tanh approximation, and the module convention.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from dlproofs import conform as C
from dlproofs import outputs
from dlproofs.conform import InterfaceError, conform, contract_claim, dumps, load_target, probe_inputs
from dlproofs.contract import Contract
from dlproofs.errors import ClaimDefinitionError
from dlproofs.module_targets import CONVENTIONS

ROOT = Path(__file__).resolve().parents[1]
NEW_CONTRACTS = ("bn.backward", "ln.backward", "rmsnorm.forward", "gelu.exact", "gelu.tanh")
MULTI = ("bn.backward", "ln.backward")


def _target(name: str):
    return load_target(str(ROOT / "examples" / "conform" / name))


# ── part 1: multi-output contracts ─────────────────────────────────────────────────────────
@pytest.mark.parametrize("claim_id", MULTI)
def test_multi_output_contracts_declare_their_outputs(claim_id):
    """issue 12 part 1: Contract.outputs names the tuple, and the signature shows every name."""
    contract = contract_claim(claim_id).contract
    assert contract.outputs == ("dx", "dgamma", "dbeta")
    assert contract.signature.endswith("-> (dx[N, C], dgamma[C], dbeta[C])") or contract.signature.endswith(
        "-> (dx[N, D], dgamma[D], dbeta[D])"
    )


def test_outputs_missing_from_the_signature_are_refused():
    """issue 12 part 1: a contract whose signature does not name its outputs is a definition error."""
    contract = contract_claim("bn.backward").contract
    with pytest.raises(ClaimDefinitionError, match="dgrad are not named"):
        dataclasses.replace(contract, outputs=("dx", "dgrad", "dbeta"))
    single = contract_claim("bn.forward").contract
    assert single.outputs == ()  # single-output contracts unchanged


def test_report_names_the_output_that_differs():
    """issue 12 part 1: "dgamma: 1 of 1 entries differ ..." and which outputs agree."""
    result = conform("bn.backward", _target("bn_backward.py:bug_outputs_swapped"))
    assert not result.ok
    detail = result.failure.detail
    assert detail.startswith("dgamma: ") and "entries differ by more than the tolerance" in detail, detail
    assert "(dbeta also differs; dx agrees)" in detail, detail
    assert result.failure.expected.shape == result.failure.got.shape == result.inputs["gamma"].shape
    report = result.report()
    assert "contract:  fn(grad_out[N, C], x[N, C], gamma[C], eps) -> (dx[N, C], dgamma[C], dbeta[C])" in report
    assert f"problem:   {detail}" in report


def test_only_dx_differs_when_the_variance_path_is_dropped():
    """issue 12 part 2: the missing mean-of-dx̂·x̂ term is found in dx, and dγ, dβ are reported as agreeing."""
    result = conform("bn.backward", _target("bn_backward.py:bug_no_variance_path"))
    assert not result.ok and result.failure.kind == C.WRONG_VALUES
    assert result.failure.detail.startswith("dx: ") and result.failure.detail.endswith("(dgamma, dbeta agree)")


def test_json_counterexample_of_a_multi_output_contract():
    """issue 12 part 1: --json carries the named detail and the differing element's expected/got."""
    result = conform("ln.backward", _target("ln_backward.py:bug_dgamma_without_xhat"))
    data = json.loads(dumps(result))
    ce = data["counterexample"]
    assert ce["detail"].startswith("dgamma: ")
    assert ce["expected"]["shape"] == ce["got"]["shape"] == list(result.inputs["gamma"].shape)


def test_dict_return_is_exit_2_with_the_adapter(run):
    """issue 12 part 1: a dict is not read by name; the exit-2 line says the tuple order and the adapter."""
    code, _, err = run("conform", "bn.backward", "examples/conform/bn_backward.py:iface_dict_return")
    assert code == 2
    assert err.count("\n") == 1
    assert (
        "returned a dict (keys 'dx', 'dgamma', 'dbeta') where the contract returns the tuple (dx, dgamma, dbeta)" in err
    )
    assert "return a tuple or list in this order" in err and "return (out['dx'], out['dgamma'], out['dbeta'])" in err


@pytest.mark.parametrize(
    ("returned", "message"),
    [
        (
            lambda dx, dg, db: dx,
            "returned float64[2, 2] tensor where the contract returns the tuple (dx, dgamma, dbeta)",
        ),
        (lambda dx, dg, db: (dx, dg), "where the contract returns the 3 outputs (dx, dgamma, dbeta)"),
        (
            lambda dx, dg, db: (dx, dg.float(), db),
            "returned dtype float32, expected float64 for dgamma (output 2 of 3)",
        ),
        (lambda dx, dg, db: (dx, dg[None], db), "returned shape [1, 2], expected [2] for dgamma (output 2 of 3)"),
    ],
)
def test_interface_probe_checks_every_output(returned, message):
    """issue 12 part 1: the probe checks the tuple's length and each element's type, dtype and shape."""
    ok = _target("bn_backward.py:ok_compact")

    def target(grad_out, x, gamma, eps):
        return returned(*ok(grad_out, x, gamma, eps))

    with pytest.raises(InterfaceError) as exc:
        conform("bn.backward", target)
    assert message in str(exc.value), str(exc.value)


def test_output_picks_the_outputs_from_an_outputs_cache_pair():
    """issue 12 part 1: --output 0 picks the (dx, dgamma, dbeta) tuple out of ((dx, dgamma, dbeta), cache)."""
    ok = _target("bn_backward.py:ok_compact")

    def with_cache(grad_out, x, gamma, eps):
        return ok(grad_out, x, gamma, eps), {"cache": None}

    assert conform("bn.backward", with_cache, output=0, max_examples=20).ok
    with pytest.raises(InterfaceError, match="3 outputs"):
        conform("bn.backward", with_cache)


def test_a_target_running_on_tensors_and_arrays_must_agree_on_every_output():
    """issue 12 part 1: the torch/numpy agreement probe compares all outputs (x.var() is unbiased in torch only)."""
    duck = _target("ln_backward.py:duck_typed_var")
    with pytest.raises(InterfaceError, match="runs on both torch tensors and numpy arrays but gives different"):
        conform("ln.backward", duck)
    assert conform("ln.backward", duck, arrays="numpy", max_examples=20).ok


def test_crosscheck_compares_a_tuple_reference_elementwise():
    """issue 12 part 1: a positional reference returning a tuple is compared with the closed form, all elements;
    a wrong dγ in the reference is caught."""
    claim = contract_claim("bn.backward")
    check = claim.contract.check
    cases = probe_inputs(check.cases())
    assert all(check.evaluate(case).ok for case in cases[:5])
    bad = dataclasses.replace(
        check,
        references={"swapped": lambda *a: (lambda dx, dg, db: (dx, db, dg))(*claim.contract.reference(*a))},
    )
    failed = [out for out in map(bad.evaluate, cases) if not out.ok]
    assert failed and "swapped" in failed[0].detail


# ── Variants: every planted bug is declared and is told apart by its contract ───────────────
def _differs(contract: Contract, formula, case) -> bool:
    args = [v.clone() if isinstance(v, torch.Tensor) else v for v in case.values()]
    want = contract.reference(*args)
    try:
        got = formula(*args)
    except Exception:
        return True
    if contract.outputs:
        if any(w.shape != g.shape for w, g in zip(want, got)):
            return True
        want, got = outputs.flat(want), outputs.flat(got)
    if want.shape != got.shape:
        return True
    diff = (got - want).abs().nan_to_num(nan=math.inf)
    return bool((diff > contract.tolerance.bound(case, torch.float64)).any())


@pytest.mark.parametrize("claim_id", NEW_CONTRACTS)
def test_every_variant_is_rejected_by_the_contract(claim_id):
    """issue 12: each declared Variant (a known wrong formula) differs from the reference beyond the tolerance
    on some drawn input; none is marked a convention, each says why."""
    contract = contract_claim(claim_id).contract
    assert len(contract.variants) >= 3
    cases = probe_inputs(contract.inputs())
    for variant in contract.variants:
        assert not variant.convention and variant.why
        assert any(_differs(contract, variant.formula, case) for case in cases), variant.label


# ── part 5: GELU exact vs tanh ─────────────────────────────────────────────────────────────
def test_tanh_gelu_is_rejected_by_orders_of_magnitude():
    """issue 12 part 5: max |GELU − GELU_tanh| ≈ 4.73e-4 at |x| ≈ 2.70 (grid of step 1e-5); the gelu.exact
    tolerance there is ~1e-14, so the exact contract rejects the tanh form by > 10⁹, not by rounding."""
    x = torch.linspace(-10, 10, 2_000_001, dtype=torch.float64)
    gap = (F.gelu(x) - F.gelu(x, approximate="tanh")).abs()
    worst = int(gap.argmax())
    assert 4.7e-4 < float(gap[worst]) < 4.8e-4 and abs(abs(float(x[worst])) - 2.699) < 1e-2
    contract = contract_claim("gelu.exact").contract
    at = {"x": x[worst : worst + 1]}
    assert float(gap[worst]) > 1e9 * contract.tolerance.bound(at, torch.float64)
    result = conform("gelu.exact", _target("gelu_exact.py:bug_tanh_approximation"))
    assert not result.ok and result.failure.error > 1e6 * result.failure.bound


# ── part 4: RMSNorm module convention ──────────────────────────────────────────────────────
def test_rmsnorm_module_convention():
    """issue 12 part 4: nn.RMSNorm-like classes are targets: built as cls(D, eps=eps), weight <- gamma."""
    assert "rmsnorm.forward" in CONVENTIONS
    result = conform("rmsnorm.forward", torch.nn.RMSNorm, max_examples=20)
    assert result.ok and "module target: RMSNorm" in result.adapted
    result = conform("rmsnorm.forward", _target("rmsnorm_forward.py:RMSNormLayerNormStyle"))
    assert not result.ok and result.failure.kind == C.WRONG_VALUES


def test_list_shows_the_new_signatures(run):
    """issue 12: every new contract is listed with its signature."""
    code, out, _ = run("conform", "--list")
    assert code == 0
    for claim_id in NEW_CONTRACTS:
        line = next(ln for ln in out.splitlines() if ln.split() and ln.split()[0] == claim_id)
        assert contract_claim(claim_id).contract.signature in line


def test_outputs_in_the_wrong_order_are_diagnosed():
    """issue 12 part 7 (diagnoses), multi-output: dgamma ↔ dbeta swapped is named as such; a dγ that is
    merely wrong (Σ g·x instead of Σ g·x̂) is not mistaken for a misplaced output."""
    swapped = conform("bn.backward", _target("bn_backward.py:bug_outputs_swapped"))
    assert swapped.diagnosis is not None
    assert swapped.diagnosis.label == "dgamma holds the value of dbeta (outputs returned in the wrong order?)"
    wrong = conform("bn.backward", _target("bn_backward.py:bug_dgamma_of_x"))
    assert not wrong.ok and wrong.failure.output == "dgamma"
    assert wrong.diagnosis is None or "wrong order" not in wrong.diagnosis.label, wrong.diagnosis
