"""issue 12, diagnoses from the catalog: a failing target's outputs fitted against what its contract knows.

- every ``bug_*`` of the seven issue contracts' galleries whose mistake is a declared Variant is
  diagnosed with THAT label (the table below): by default one row with a label and one without per
  contract, and three rows under seeds 1-2, on runs without the shrink phase (the CLI's own run for
  the convention rows, sign(0) = 1 and the report line); with -m slow every row on the CLI's run
  under seeds 0-3; a bug that matches no variant (a random output projection, a wrong shape, a
  raise) gets no diagnosis;
- conventions (relu'(0) = 1, a fixed ε, the proximal L1 step, λ‖θ‖²) are labelled conventions;
- correct code never gets one: it passes, and even fed its own (correct) outputs as "failures"
  diagnose names nothing, since no candidate tells itself from the reference there;
- a mutated variant formula (N − 2 for N − 1, ε doubled) is not matched where the true one is;
- the generic diagnoses every contract gets, shown on contracts stripped of their variants and
  planted formulas: an input returned, zeros, arguments swapped, weights transposed, a ratio
  recognised in the sizes (√d_k, N/(N − 1)), a factor per channel, a difference ∝ lr·lam·theta;
- the report line and the JSON field (schema conform-1.json).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import math
import sys
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from dlproofs.cli import main
from dlproofs.conform import WRONG_VALUES, Failure, conform, contract_claim, judge, load_target, probe_inputs
from dlproofs.contract import Variant
from dlproofs.diagnose import Diagnosis, diagnose

ROOT = Path(__file__).resolve().parents[1]
GALLERY = ROOT / "examples" / "conform"

FILES = {
    "relu.backward": "relu_backward.py",
    "attention.sdpa": "attention_sdpa.py",
    "attention.multi-head": "attention_multi_head.py",
    "bn.forward": "bn_forward.py",
    "ln.forward": "ln_forward.py",
    "reg.l1.update": "reg_l1_update.py",
    "reg.l2.update": "reg_l2_update.py",
}

RELU_0_IS_1 = "relu'(0) = 1 (the gradient passed at z == 0: 1[z ≥ 0])"
SIGN_NAN = "sign θ computed as θ/|θ| or through √(θ²) (NaN at θ == 0)"
L2_NO_LR = "decay without the learning rate (θ − lr·grad − λθ)"
NO_DIAGNOSIS = None  # the mistake is no declared variant (or gives no value to fit): nothing must be named

# gallery target -> the label its diagnosis must name
EXPECTED: dict[tuple[str, str], str | None] = {
    ("relu.backward", "bug_mask_ge"): RELU_0_IS_1,
    ("relu.backward", "bug_autograd_clamp"): RELU_0_IS_1,
    ("relu.backward", "bug_heaviside_one"): RELU_0_IS_1,
    ("relu.backward", "bug_autograd_maximum"): "relu'(0) = 1/2 (autograd of torch.maximum(z, 0) splits the tie)",
    ("relu.backward", "bug_mask_on_grad"): "masked by grad_out > 0 instead of z > 0",
    ("relu.backward", "bug_leaky"): "LeakyReLU's gradient (slope 0.01 for z < 0)",
    ("relu.backward", "bug_sign"): "sign(z) used as the derivative (−1 for z < 0)",
    ("attention.sdpa", "bug_scale_by_dk"): "scores divided by d_k instead of √d_k",
    ("attention.sdpa", "bug_scale_by_sqrt_dv"): "scores divided by √d_v instead of √d_k",
    ("attention.sdpa", "bug_scale_after_softmax"): "the scale applied after the softmax",
    ("attention.sdpa", "bug_no_scale"): "no scale (softmax(q kᵀ) v)",
    ("attention.sdpa", "bug_softmax_over_queries"): "softmax over the queries (dim 1) instead of the keys",
    ("attention.sdpa", "bug_scale_by_sqrt_m"): "scores divided by √m (the number of keys) instead of √d_k",
    ("attention.sdpa", "bug_causal"): "a causal mask the contract does not ask for",
    ("attention.multi-head", "bug_scale_by_sqrt_d_model"): "each head scaled by 1/√d_model instead of 1/√d_head",
    ("attention.multi-head", "bug_reshape_without_transpose"): (
        "heads split without the transpose (view(B, h, n, d_head) of [B, n, d_model])"
    ),
    ("attention.multi-head", "bug_merge_without_transpose"): (
        "heads merged without the transpose (reshape of [B, h, n, d_head])"
    ),
    ("attention.multi-head", "bug_weights_not_transposed"): "weights applied as x @ w instead of x @ w.T",
    ("attention.multi-head", "bug_single_head"): "one head of size d_model (num_heads ignored)",
    ("attention.multi-head", "bug_nn_mha_default_out_proj"): NO_DIAGNOSIS,  # a random W_O: no formula
    ("bn.forward", "bug_unbiased_variance"): "unbiased variance (divide by N − 1)",
    ("bn.forward", "bug_numpy_unbiased"): "unbiased variance (divide by N − 1)",
    ("bn.forward", "bug_module_class_unbiased"): "unbiased variance (divide by N − 1)",
    ("bn.forward", "bug_eps_outside_root"): "ε outside the root ((x − μ)/(σ + ε))",
    ("bn.forward", "bug_no_eps"): "no ε ((x − μ)/σ)",
    ("bn.forward", "bug_fixed_eps"): "ε fixed at 1e-5 (the eps argument ignored)",
    ("bn.forward", "bug_eval_mode"): (
        "eval mode: a fresh module's running statistics (mean 0, variance 1) instead of the batch's"
    ),
    ("bn.forward", "bug_over_features"): "statistics over the feature (LayerNorm's) axis instead",
    ("bn.forward", "bug_global_statistics"): "one mean and variance for the whole tensor",
    # a rounding failure: matched because the variant rounds in the gallery's order (see its why)
    (
        "bn.forward",
        "bug_one_pass_variance",
    ): "one-pass variance E[x²] − E[x]² (loses digits under a large common offset)",
    ("bn.forward", "bug_gamma_beta_swapped"): "γ and β swapped",
    ("bn.forward", "bug_squeeze"): NO_DIAGNOSIS,  # wrong shape: no value to fit
    ("ln.forward", "bug_unbiased_variance"): "unbiased variance (divide by D − 1)",
    ("ln.forward", "bug_eps_outside_root"): "ε outside the root ((x − μ)/(σ + ε))",
    ("ln.forward", "bug_over_batch"): "statistics over the batch (BatchNorm's) axis instead",
    ("ln.forward", "bug_global_statistics"): "one mean and variance for the whole tensor",
    ("ln.forward", "bug_no_eps"): "no ε ((x − μ)/σ)",
    ("ln.forward", "bug_affine_per_sample"): NO_DIAGNOSIS,  # wrong shape
    ("ln.forward", "bug_batch_norm_of_transpose"): NO_DIAGNOSIS,  # raises on D = 1, right elsewhere
    (
        "ln.forward",
        "bug_mean_abs_deviation",
    ): "divided by the mean absolute deviation instead of the standard deviation",
    (
        "ln.forward",
        "bug_one_pass_variance",
    ): "one-pass variance E[x²] − E[x]² (loses digits under a large common offset)",
    ("reg.l1.update", "bug_sign_zero_is_one"): "sign(0) = 1 (a weight at exactly 0 pushed to −lr·λ)",
    ("reg.l1.update", "bug_sign_by_division"): SIGN_NAN,
    ("reg.l1.update", "bug_autograd_sqrt_square"): SIGN_NAN,
    ("reg.l1.update", "bug_soft_threshold"): "the proximal (soft-threshold, ISTA) step instead of the subgradient step",
    ("reg.l1.update", "bug_decay_without_lr"): "decay without the learning rate (θ − lr·grad − λ·sign θ)",
    ("reg.l1.update", "bug_l2_instead"): "the L2 penalty's gradient λθ instead of λ·sign θ",
    ("reg.l2.update", "bug_two_lambda"): "2λθ in the gradient (the penalty λ‖θ‖² instead of (λ/2)‖θ‖²)",
    ("reg.l2.update", "bug_decay_without_lr"): L2_NO_LR,
    ("reg.l2.update", "bug_adamw_style_lambda_only"): L2_NO_LR,  # the same formula, written θ − lr·g − λθ
    ("reg.l2.update", "bug_wrong_sign"): "a step up the gradient ((1 − lr·λ)θ + lr·grad)",
    ("reg.l2.update", "bug_decay_after_step"): "decay applied after the step ((1 − lr·λ)(θ − lr·grad))",
}
CONVENTIONS = {  # the labels that are conventions, not bugs
    RELU_0_IS_1,
    "relu'(0) = 1/2 (autograd of torch.maximum(z, 0) splits the tie)",
    "ε fixed at 1e-5 (the eps argument ignored)",
    "the proximal (soft-threshold, ISTA) step instead of the subgradient step",
    "2λθ in the gradient (the penalty λ‖θ‖² instead of (λ/2)‖θ‖²)",
}
TABLE = sorted(EXPECTED)


def _target(claim_id: str, name: str) -> str:
    return f"examples/conform/{FILES[claim_id]}:{name}"


def test_every_gallery_bug_of_the_seven_contracts_has_an_expected_diagnosis():
    """issue 12, diagnoses: the table decides every bug_* of the seven galleries (a new one must be added)."""
    for claim_id, file in FILES.items():
        spec = importlib.util.spec_from_file_location(f"_gallery_{file[:-3]}", GALLERY / file)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        bugs = {n for n in vars(module) if n.startswith("bug_")}
        assert bugs == {n for c, n in EXPECTED if c == claim_id}, claim_id


def test_expected_labels_are_declared_variants_with_their_convention_flag():
    """Each expected label is one of its contract's declared Variants, conventions flagged as such."""
    for (claim_id, _), label in EXPECTED.items():
        if label is None:
            continue
        variants = {v.label: v for v in contract_claim(claim_id).contract.variants}
        assert label in variants, (claim_id, label)
        assert variants[label].convention is (label in CONVENTIONS), label


def _tiered(rows: list[tuple[str, str]]) -> list:
    """The default tier keeps, per contract, its first bug with a label and its first without; the other rows
    run under -m slow (test_gallery_bug_is_diagnosed_by_the_full_run checks every row on the CLI's run there)."""
    keep, seen = set(), set()
    for claim_id, name in rows:
        key = (claim_id, EXPECTED[(claim_id, name)] is None)
        if key not in seen:
            seen.add(key)
            keep.add((claim_id, name))
    return [r if r in keep else pytest.param(*r, marks=pytest.mark.slow) for r in rows]


@pytest.mark.parametrize(("claim_id", "name"), _tiered(TABLE), ids=[f"{c}:{n}" for c, n in TABLE])
def test_gallery_bug_is_diagnosed_with_its_variant(claim_id, name, conform_runs):
    """issue 12, diagnoses: the bug's variant is named (or nothing when none is declared), on conform's run
    without the shrink phase (conftest's without_shrinking: the diagnosis is fitted on the first failing draw
    instead of its shrunk form, plus the same 60 fresh probe cases); the CLI's own run is checked for every row
    under -m slow (test_gallery_bug_is_diagnosed_by_the_full_run)."""
    _assert_diagnosed(conform_runs(claim_id, _target(claim_id, name), mode="unshrunk"), claim_id, name)


@pytest.mark.slow
@pytest.mark.parametrize(("claim_id", "name"), TABLE, ids=[f"{c}:{n}" for c, n in TABLE])
def test_gallery_bug_is_diagnosed_by_the_full_run(claim_id, name, conform_runs):
    """-m slow: the same label from conform exactly as the CLI runs it (shrinking on)."""
    _assert_diagnosed(conform_runs(claim_id, _target(claim_id, name)), claim_id, name)


def _assert_diagnosed(result, claim_id: str, name: str) -> None:
    assert not result.ok
    expected = EXPECTED[(claim_id, name)]
    d = result.diagnosis
    if expected is None:
        assert d is None, f"a guess: {d}"
        assert "diagnosis:" not in result.report() and result.to_json()["diagnosis"] is None
        return
    assert d is not None, f"no diagnosis; expected {expected!r}\n{result.report()}"
    assert d.label == expected
    assert d.cases >= 2 and d.source == "variant"
    assert d.convention is (expected in CONVENTIONS)
    assert (
        f"  diagnosis: matches {'a convention, not a wrong formula: ' if d.convention else ''}{expected} on all {d.cases} failing cases"
        in result.report()
    )
    assert result.to_json()["diagnosis"]["label"] == expected


def test_diagnosis_check_fails_on_a_wrong_label_or_a_guess(conform_runs):
    """The label check is not vacuous: a run diagnosed with another label, or one named where none is expected,
    fails it (rows swapped on purpose)."""
    unbiased = conform_runs("bn.forward", _target("bn.forward", "bug_unbiased_variance"), mode="unshrunk")
    with pytest.raises(AssertionError):
        _assert_diagnosed(unbiased, "bn.forward", "bug_eps_outside_root")
    with pytest.raises(AssertionError, match="a guess"):
        _assert_diagnosed(unbiased, "bn.forward", "bug_squeeze")


SEEDED = [
    ("bn.forward", "bug_unbiased_variance"),
    ("reg.l2.update", "bug_two_lambda"),
    ("attention.sdpa", "bug_scale_by_sqrt_dv"),
]


@pytest.mark.parametrize("seed", (1, 2))
@pytest.mark.parametrize(("claim_id", "name"), SEEDED, ids=[f"{c}:{n}" for c, n in SEEDED])
def test_diagnosis_holds_under_other_seeds(claim_id, name, seed, conform_runs):
    """issue 12, diagnoses: the same label on other seeds (other failing cases), on the run without the shrink
    phase (the CLI's own run: test_every_diagnosis_holds_under_other_seeds, -m slow)."""
    assert (
        conform_runs(claim_id, _target(claim_id, name), seed=seed, mode="unshrunk").diagnosis.label
        == EXPECTED[(claim_id, name)]
    )


@pytest.mark.slow
@pytest.mark.parametrize("seed", (1, 2, 3))
@pytest.mark.parametrize(("claim_id", "name"), TABLE, ids=[f"{c}:{n}" for c, n in TABLE])
def test_every_diagnosis_holds_under_other_seeds(claim_id, name, seed, conform_runs):
    d = conform_runs(claim_id, _target(claim_id, name), seed=seed).diagnosis
    assert (d.label if d else None) == EXPECTED[(claim_id, name)]


# ── conventions ────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(("claim_id", "name"), [("relu.backward", "bug_mask_ge"), ("bn.forward", "bug_fixed_eps")])
def test_a_convention_is_labelled_a_convention(claim_id, name, conform_runs):
    """issue 12, diagnoses: relu'(0) = 1 and a fixed ε are conventions, said as such in the report and the JSON
    (the CLI's own run; test_conform's locator tests read the relu one too)."""
    result = conform_runs(claim_id, _target(claim_id, name))
    assert result.diagnosis.convention
    assert "diagnosis: matches a convention, not a wrong formula: " in result.report()
    assert result.to_json()["diagnosis"]["convention"] is True


def test_sign_zero_is_one_is_not_called_a_convention(conform_runs):
    """The contract says sign(0) = 0; sign(0) = 1 keeps no weight at 0: a bug, with its why."""
    d = conform_runs("reg.l1.update", _target("reg.l1.update", "bug_sign_zero_is_one")).diagnosis
    assert not d.convention and "never keeps an exact zero" in d.why


# ── no diagnosis for correct code, none for an unknown bug ─────────────────────────────────
def _cases(contract, fn, n: int = 30):
    """(inputs, failure) of ``fn`` on the contract's derandomized probe draws (failures only)."""
    out = []
    for inputs in probe_inputs(contract.inputs())[:n]:
        failure, _, _ = judge(contract, fn, inputs)
        if failure is not None:
            out.append((inputs, failure))
    return out


@pytest.mark.parametrize("claim_id", list(FILES))
def test_correct_outputs_get_no_diagnosis(claim_id):
    """issue 12, diagnoses: fed the reference's own outputs as if they had failed, nothing is named: every
    candidate that matches them agrees with the reference there, and such a case decides nothing."""
    contract = contract_claim(claim_id).contract
    cases = []
    for inputs in probe_inputs(contract.inputs()):
        want = contract.reference(*[v.clone() if isinstance(v, torch.Tensor) else v for v in inputs.values()])
        failure, _, bound = judge(contract, contract.reference, inputs)
        assert failure is None
        cases.append((inputs, Failure(WRONG_VALUES, "pretend", want, want.clone(), 0.0, bound)))
    assert diagnose(contract, cases) is None


def test_a_correct_implementation_passes_with_no_diagnosis():
    result = conform("bn.forward", load_target(str(GALLERY / "bn_forward.py") + ":ok_manual"))
    assert result.ok and result.diagnosis is None and result.to_json()["diagnosis"] is None


def test_an_unknown_mistake_gets_no_guess():
    """issue 12, diagnoses: a wrong formula no variant describes: nothing is named."""
    contract = contract_claim("bn.forward").contract

    def odd(x, gamma, beta, eps):
        return F.batch_norm(x, None, None, gamma, beta, training=True, eps=eps) + 0.37 * torch.sin(x)

    cases = _cases(contract, odd)
    assert len(cases) >= 5
    assert diagnose(contract, cases) is None


# ── a mutated variant is not matched ───────────────────────────────────────────────────────
def _unbiased(divisor_shift: int = 1, eps_factor: float = 1.0):
    def formula(x, gamma, beta, eps):
        n = x.shape[0]
        mu = x.mean(0)
        var = ((x - mu) ** 2).sum(0) / (n - divisor_shift)
        return gamma * (x - mu) / torch.sqrt(var + eps * eps_factor) + beta

    return formula


def test_a_mutated_variant_formula_is_not_matched():
    """issue 12, diagnoses: N − 2 for N − 1, or ε doubled, is not the mistake: not named where the right
    formula is (the contract stripped of its own variants and planted formulas, so only these compete)."""
    claim = contract_claim("bn.forward")
    cases = _cases(claim.contract, load_target(str(GALLERY / "bn_forward.py") + ":bug_unbiased_variance"))
    assert len(cases) >= 5
    right = Variant(label="N − 1", formula=_unbiased(1))
    for wrong in (Variant(label="N − 2", formula=_unbiased(2)), Variant(label="2ε", formula=_unbiased(1, 2.0))):
        bare = dataclasses.replace(claim.contract, variants=(wrong,), check=None)
        d = diagnose(bare, cases)
        assert d is None or d.label != wrong.label
        both = dataclasses.replace(claim.contract, variants=(wrong, right), check=None)
        assert diagnose(both, cases).label == "N − 1"


def test_a_variant_matching_only_degenerate_cases_is_not_named():
    """A variant equal to the reference on every fitted case (here: the reference itself, relabelled)
    never tells itself apart, so it is not named even though it 'matches' where the target is right."""
    claim = contract_claim("bn.forward")
    cases = _cases(claim.contract, load_target(str(GALLERY / "bn_forward.py") + ":bug_unbiased_variance"))
    bare = dataclasses.replace(
        claim.contract, variants=(Variant(label="ref", formula=claim.contract.reference),), check=None
    )
    d = diagnose(bare, cases)
    assert d is None or d.label != "ref"


# ── generic diagnoses, on contracts with no variants and no planted formulas ──────────────
def _bare(claim_id: str):
    return dataclasses.replace(contract_claim(claim_id).contract, variants=(), check=None)


def _bn_ref(x, gamma, beta, eps):
    return F.batch_norm(x, None, None, gamma, beta, training=True, eps=eps)


GENERIC = [
    ("relu.backward", lambda z, g: g.clone(), "returned its input grad_out unchanged"),
    ("relu.backward", lambda z, g: torch.zeros_like(g), "returned zeros"),
    (
        "bn.forward",
        load_target(str(GALLERY / "bn_forward.py") + ":bug_gamma_beta_swapped"),
        "the reference with gamma and beta swapped (arguments swapped?)",
    ),
    (
        "attention.multi-head",
        load_target(str(GALLERY / "attention_multi_head.py") + ":bug_weights_not_transposed"),
        "the reference with w_q, w_k, w_v transposed (x @ w where x @ w.T is meant, or the reverse?)",
    ),
    (
        "attention.sdpa",
        lambda q, k, v: F.scaled_dot_product_attention(q, k, v) * math.sqrt(q.shape[-1]),
        "ratio √d_k to the reference",
    ),
    (
        "bn.forward",
        lambda x, g, b, e: _bn_ref(x, g, b, e) * x.shape[0] / (x.shape[0] - 1),
        "ratio N/(N − 1) to the reference",
    ),
    (
        "bn.forward",
        lambda x, g, b, e: _bn_ref(x, g, b, e) * torch.arange(1, x.shape[1] + 1, dtype=x.dtype),
        "the reference times one factor per C (a ratio constant along the other axes)",
    ),
    (
        "reg.l2.update",
        lambda t, g, lr, lam: t - lr * (g - lam * t),  # the penalty's sign flipped (numpy-ml)
        "a difference of 2·lr·lam·theta from the reference (difference ∝ lr·lam·theta)",
    ),
]


@pytest.mark.parametrize(("claim_id", "fn", "label"), GENERIC, ids=[g[2][:40] for g in GENERIC])
def test_generic_diagnosis(claim_id, fn, label):
    """issue 12, diagnoses: what every contract gets, with no declared variant (no per-claim code)."""
    contract = _bare(claim_id)
    cases = _cases(contract, fn)
    assert len(cases) >= 3
    d = diagnose(contract, cases)
    assert d is not None and d.source == "generic"
    assert d.label.startswith(label), d.label


def test_penalty_sign_variant_is_named_on_the_l2_contract():
    """The same target on the real contract: its declared variant wins over the generic difference."""
    contract = contract_claim("reg.l2.update").contract
    d = diagnose(contract, _cases(contract, lambda t, g, lr, lam: t - lr * (g - lam * t)))
    assert d.label == "penalty with the wrong sign (θ − lr(grad − λθ))" and d.source == "variant"


# ── report and JSON ────────────────────────────────────────────────────────────────────────
def test_diagnosis_line_and_json(capsys, monkeypatch):
    """The CLI's report has the diagnosis line; --json has the field the schema describes."""
    monkeypatch.chdir(ROOT)
    with pytest.raises(SystemExit) as exc:
        main(["conform", "bn.forward", "examples/conform/bn_forward.py:bug_unbiased_variance"])
    assert exc.value.code == 1
    out = capsys.readouterr().out
    assert "  diagnosis: matches unbiased variance (divide by N − 1) on all " in out
    with pytest.raises(SystemExit):
        main(["conform", "bn.forward", "examples/conform/bn_forward.py:bug_unbiased_variance", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["diagnosis"]["label"] == "unbiased variance (divide by N − 1)"
    assert data["diagnosis"]["convention"] is False and data["diagnosis"]["cases"] >= 2
    schema = json.loads((ROOT / "dlproofs" / "schemas" / "conform-1.json").read_text(encoding="utf-8"))
    spec = importlib.util.spec_from_file_location("_plugin_tests", ROOT / "tests" / "test_pytest_plugin.py")
    plugin_tests = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("_plugin_tests", plugin_tests)
    spec.loader.exec_module(plugin_tests)
    assert plugin_tests.errors(data, schema, schema) == []
    for wrong in ({"label": 1}, {"convention": "no"}, {"cases": 0}, {"cases": "3"}):
        broken = dict(data, diagnosis={**data["diagnosis"], **wrong})
        assert plugin_tests.errors(broken, schema, schema), f"the schema accepted a diagnosis with {wrong}"
    assert plugin_tests.errors(dict(data, diagnosis={"label": "x"}), schema, schema)  # convention, cases required


def test_diagnosis_line_wording():
    d = Diagnosis(label="x", convention=False, cases=3, why="because", without_value=1)
    assert (
        d.line() == "matches x on all 3 failing cases with a value (1 other returned none)\n             why: because"
    )
