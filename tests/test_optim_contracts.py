"""Issue 12, new contracts (optimizer part): ``adam.update`` and ``adamw.decoupled``.

- the contracts hold outside code to T steps of torch.optim.Adam / AdamW from zero state (state handling and
  bias correction at every step), with tolerances from an error analysis (growth T², and Π(1 + L_t) for L2);
- every declared Variant (the planted bugs of the galleries) is rejected, and the reference agrees with torch;
- optimizer classes run by the declared optimizer convention (dlproofs/optim_targets.py): torch.optim.Adam and a
  hand-written ``class Adam`` conform, an instance or a constructor that does not fit is exit 2, one line;
- adamw.decoupled's symbolic difference (AdamW − Adam with L2 after one step) is proved and matches torch.
"""

from __future__ import annotations

import math

import pytest
import torch
from dlproofs.derivations import adam as A
from dlproofs.impl import adam as impl
from hypothesis import given, settings

from dlproofs.conform import ConformError, InterfaceError, conform, contract_claim
from dlproofs.optim_targets import ADAM, SGD_L2, OptimizerConvention, TargetConvention, adapt
from tests._topic import checked

OPTIM = ("adam.update", "adamw.decoupled")


def _case(**kw):
    gen = torch.Generator().manual_seed(kw.pop("seed", 0))
    T, P = kw.pop("T", 6), kw.pop("P", 3)
    case = {
        "theta0": torch.randn(P, generator=gen, dtype=torch.float64),
        "grads": torch.randn(T, P, generator=gen, dtype=torch.float64),
        "lr": 0.01,
        "beta1": 0.9,
        "beta2": 0.999,
        "eps": 1e-8,
        "weight_decay": 0.1,
    }
    case.update(kw)
    return case


@pytest.mark.parametrize("claim_id", OPTIM)
def test_issue12_optim_contracts_hold_their_verdicts(claim_id):
    """adam.update is tested (a cross-check), adamw.decoupled proved (the one-step difference) and cross-checked."""
    result = checked(claim_id)
    assert result.holds, result.problem


@pytest.mark.parametrize("claim_id", OPTIM)
def test_issue12_signature_is_a_trajectory(claim_id):
    c = contract_claim(claim_id).contract
    assert c.signature.startswith("fn(theta0[P], grads[T, P], lr, beta1, beta2, eps, weight_decay) -> theta_T[P]")
    assert c.optimizer is ADAM and isinstance(ADAM, TargetConvention)


VARIANT_CASES = [
    _case(seed=s, eps=e, T=T, weight_decay=wd)
    for s, (e, T, wd) in enumerate([(1e-8, 6, 0.1), (1e-3, 4, 0.1), (1e-8, 1, 0.1), (1e-6, 8, 0.0)])
] + [_case(seed=9, grads=1e-4 * torch.randn(5, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(9)))]


@pytest.mark.parametrize("claim_id", OPTIM)
def test_issue12_every_declared_variant_is_rejected(claim_id):
    """The Variants are the galleries' bugs: each is a real wrong formula, outside the contract's tolerance on some
    of a few fixed cases (the galleries show the same through the full conform search)."""
    contract = contract_claim(claim_id).contract
    assert len(contract.variants) >= 6
    for variant in contract.variants:
        assert variant.why and not variant.convention
        worst = 0.0
        for case in VARIANT_CASES:
            want = contract.reference(*case.values())
            got = variant.formula(*case.values())
            bound = contract.tolerance.bound(case, torch.float64)
            diff = (got - want).abs().nan_to_num(nan=math.inf)
            worst = max(worst, float(diff.max()) / bound)
        assert worst > 1, f"variant {variant.label!r} is within {claim_id}'s tolerance on every case"


@pytest.mark.parametrize(
    ("claim_id", "cls"), [("adam.update", torch.optim.Adam), ("adamw.decoupled", torch.optim.AdamW)]
)
def test_issue12_torch_optimizer_classes_conform_by_the_convention(claim_id, cls):
    result = conform(claim_id, cls)
    assert result.ok, result.report()
    assert result.adapted.startswith(f"optimizer target: {cls.__name__}, built per case (cls([p], lr=lr")
    assert "optimizer target" in result.summary()


def test_issue12_adam_class_is_not_adamw_and_the_difference_needs_weight_decay():
    """torch.optim.Adam's weight_decay is L2: rejected by the AdamW contract, located at weight_decay > 0."""
    result = conform("adamw.decoupled", torch.optim.Adam)
    assert not result.ok
    assert "only when weight_decay > 0" in result.where


def test_issue12_optimizer_instance_is_exit_2():
    opt = torch.optim.Adam([torch.nn.Parameter(torch.zeros(2))])
    with pytest.raises(InterfaceError, match="optimizer instance.*pass the class"):
        conform("adam.update", opt)


def test_issue12_optimizer_constructor_that_does_not_fit_is_one_line_exit_2():
    class Sgdish:
        def __init__(self, params, lr):
            self.params = list(params)

        def step(self):
            pass

    with pytest.raises(InterfaceError) as exc:
        conform("adam.update", Sgdish)
    text = str(exc.value)
    assert "\n" not in text
    assert "unexpected keyword argument" in text and "cls([p], lr=lr, betas=(beta1, beta2)" in text


def test_issue12_a_class_without_a_declared_convention_is_left_alone():
    """adapt() only turns a class into a trajectory function when the contract declares an optimizer convention."""
    fn = torch.optim.Adam
    assert adapt(contract_claim("reg.l1.update").contract, fn, InterfaceError) == (fn, "")
    assert adapt(contract_claim("adam.update").contract, len, InterfaceError) == (len, "")


def test_issue12_convention_runs_T_steps_from_zero_state():
    case = _case(T=5)
    got = OptimizerConvention(init_kwargs=ADAM.init_kwargs, describe="x").run(torch.optim.AdamW, case, InterfaceError)
    want = impl.adamw_trajectory(*case.values())
    assert torch.allclose(got, want, rtol=0, atol=1e-15)
    assert not torch.equal(case["theta0"], got)


# ── the error analysis ─────────────────────────────────────────────────────────────────────────────
@settings(max_examples=40, deadline=None, database=None)
@given(case=A.trajectory_cases())
def test_issue12_tolerances_bound_torch_and_grow_as_stated(case):
    """torch (both code paths) is within the bound; with λ = 0 the L2 bound reduces to the decoupled one (no
    feedback)."""
    for claim_id, cls in (("adam.update", torch.optim.Adam), ("adamw.decoupled", torch.optim.AdamW)):
        bound = contract_claim(claim_id).contract.tolerance.bound(case, torch.float64)
        assert math.isfinite(bound) and bound > 0
        ref = contract_claim(claim_id).contract.reference(*case.values())
        for foreach in (False, True):
            got = A._trajectory_torch(cls, foreach=foreach)(*case.values())
            assert float((got - ref).abs().max()) <= bound
    no_decay = {**case, "weight_decay": 0.0}
    assert A._adam_l2_scale(no_decay) == pytest.approx(A._adamw_scale(no_decay), rel=1e-12)


def test_issue12_adamw_tolerance_grows_like_T_squared():
    """From θ₀ = 0 every term of the bound scales with T (|θ| ≤ T·lr·C), so the sum over steps grows like T²."""
    short, long = _case(T=8, lr=0.1), _case(T=16, lr=0.1)
    short["theta0"] = long["theta0"] = torch.zeros(3, dtype=torch.float64)
    ratio = A._adamw_scale(long) / A._adamw_scale(short)
    assert 3.0 <= ratio <= 5.0, ratio


def test_issue12_tolerance_is_not_vacuous_on_a_typical_case():
    """On a well-scaled case (|θ| ≈ 1, lr = 1e-3, 10 steps) the bound is a few ulps of |θ|; a bias-correction slip
    moves θ by ~lr (1e-3), ten orders of magnitude outside."""
    case = _case(T=10, lr=1e-3)
    for claim_id in OPTIM:
        bound = contract_claim(claim_id).contract.tolerance.bound(case, torch.float64)
        assert bound < 1e-13, (claim_id, bound)


def test_issue12_adamw_minus_adam_l2_first_step_is_the_proved_difference():
    """−lr·λθ·(1 − ε/((g + ε)(g + λθ + ε))) for g, g + λθ > 0, through torch.optim on one step."""
    theta = torch.tensor([0.5, 2.0, 1.0], dtype=torch.float64)
    g = torch.tensor([0.3, 1e-4, 4.0], dtype=torch.float64)
    lr, lam, eps = 0.1, 0.1, 1e-3
    case = {"theta0": theta, "grads": g[None], "lr": lr, "beta1": 0.9, "beta2": 0.999, "eps": eps, "weight_decay": lam}
    w = A._trajectory_torch(torch.optim.AdamW, foreach=False)(*case.values())
    a = A._trajectory_torch(torch.optim.Adam, foreach=False)(*case.values())
    s = g + lam * theta
    proved = -lr * lam * theta * (1 - eps / ((g + eps) * (s + eps)))
    assert torch.allclose(w - a, proved, rtol=1e-12, atol=1e-15)
    assert bool(((w - a).abs() > 1e-4).all())  # the updates differ, by about the whole decay lr·λθ


def test_issue12_adam_report_names_the_optimizer_convention(capsys):
    from dlproofs.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["conform", "adamw.decoupled", "examples/conform/adamw_decoupled.py:bug_torch_adam_class"])
    out = capsys.readouterr().out
    assert exc.value.code == 1
    assert "target:    optimizer target: Adam, built per case" in out
    assert "where:     only when weight_decay > 0" in out


def test_issue12_conform_list_shows_the_new_contracts(capsys):
    from dlproofs.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["conform", "--list"])
    out = capsys.readouterr().out
    assert exc.value.code == 0
    for claim_id in (*OPTIM, "dropout.inverted"):
        assert claim_id in out
    assert "fn(theta0[P], grads[T, P], lr, beta1, beta2, eps, weight_decay) -> theta_T[P]" in out
    assert "fn(x[...], p, training) -> y[...]" in out


# ── reg.l2.update: torch.optim.SGD as shipped, one step (rwother, issue 12 round 2) ────────────────────
@pytest.mark.parametrize("foreach", [True, False])
def test_issue12_sgd_class_conforms_to_the_l2_update_by_one_step(foreach):
    """torch.optim.SGD itself is the coupled L2 step; its own foreach keyword goes in a build template."""
    build = f"cls(params, lr=lr, weight_decay=lam, foreach={foreach})"
    result = conform("reg.l2.update", torch.optim.SGD, build=build, max_examples=30)
    assert result.ok, result.report()
    assert result.adapted.startswith(f"optimizer target: SGD, built per case as {build}, params = [p]")
    assert f"--build '{build}'" in result.rerun()


def test_issue12_sgd_l2_convention_without_build_is_torch_sgd_weight_decay():
    case = {"theta": torch.tensor([1.0, -2.0, 0.0]).double(), "grad": torch.tensor([0.5, 0.5, 1.0]).double()}
    case |= {"lr": 0.1, "lam": 0.3}
    got = SGD_L2.run(torch.optim.SGD, case, InterfaceError)
    want = case["theta"] - 0.1 * (case["grad"] + 0.3 * case["theta"])
    # ≤ 3 roundings in another order on magnitudes ≤ |θ| + lr|g| + lr·lam|θ| ≤ 2.3: 1e-15 ≈ 2 eps of that
    torch.testing.assert_close(got, want, rtol=0, atol=1e-15)
    assert not torch.equal(got, case["theta"])


def test_issue12_sgd_built_wrong_is_a_counterexample():
    """A template can only pass keywords through, and a wrong one is caught: weight_decay from lr, or momentum
    (one step from zero state is still plain SGD, so momentum alone is not wrong: dampening 0 keeps buf = grad)."""
    wrong = conform("reg.l2.update", torch.optim.SGD, build="cls(params, lr=lr, weight_decay=lr)", max_examples=30)
    assert not wrong.ok
    first = conform("reg.l2.update", torch.optim.SGD, build="cls(params, lr=lr, weight_decay=lam, momentum=0.9)")
    assert first.ok, first.report()


def test_issue12_optimizer_build_template_must_pass_params_and_no_arithmetic():
    with pytest.raises(InterfaceError, match=r"does not pass params, the parameter list \[p\]") as exc:
        conform("reg.l2.update", torch.optim.SGD, build="cls([], lr=lr, weight_decay=lam)")
    assert "\n" not in str(exc.value)
    with pytest.raises(ConformError, match="arithmetic"):
        conform("reg.l2.update", torch.optim.SGD, build="cls(params, lr=2 * lr, weight_decay=lam)")
    with pytest.raises(InterfaceError, match="constructing --build cls\\(params, lr=lr, weight_decay=lam, bogus=1\\)"):
        conform("reg.l2.update", torch.optim.SGD, build="cls(params, lr=lr, weight_decay=lam, bogus=1)")
