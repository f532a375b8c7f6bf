"""One input convention per claim (issue 10): a claim's contract is derived from its numeric check.

For every claim with a contract: the contract's input strategy, tolerance object and reference are
the check's own (identity, not copies), every Hypothesis-searched check of the claim draws from that
one strategy, and the check holds on what ``conform`` draws. ``Contract.of`` refuses a check that
does not call its references positionally, and a positional ``CrossCheck`` does call them so.
"""

from __future__ import annotations

import functools
import inspect

import pytest
import sympy as sp
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dlproofs.contract import Contract
from dlproofs.errors import ClaimDefinitionError
from dlproofs.numeric import ClosedForm, CrossCheck, Tolerance, _Searched, run_check
from dlproofs.registry import all_claims, get

CONTRACT_IDS = sorted(c.id for c in all_claims() if c.contract is not None)

# Claims without a contract that draw from a contract claim's strategy (the same function, maybe narrowed).
SHARERS = {
    "bn.forward": ("bn.normalized-moments", "bn.backward"),
    "relu.backward": ("relu.derivative",),
    "reg.l2.update": ("reg.l1.update", "reg.l2.grad", "reg.l1.grad", "reg.l2.weight-decay"),
}


def _fn(strategy):
    return strategy.func if isinstance(strategy, functools.partial) else strategy


def test_the_issue_contracts_are_all_there():
    assert set(CONTRACT_IDS) >= {
        "bn.forward",
        "ln.forward",
        "relu.backward",
        "attention.sdpa",
        "attention.multi-head",
        "reg.l1.update",
        "reg.l2.update",
    }


@pytest.mark.parametrize("claim_id", CONTRACT_IDS)
def test_contract_is_derived_from_its_check(claim_id):
    claim = get(claim_id)
    contract = claim.contract
    check = contract.check
    assert check is not None, f"{claim_id}: contract built by hand, not Contract.of(check, ...)"
    assert any(check is c for c in claim.numeric), f"{claim_id}: derived from a check the claim does not run"
    assert isinstance(check, CrossCheck) and check.positional
    assert contract.tolerance is check.tolerance
    assert contract.strategy is _fn(check.cases)
    assert any(contract.reference is r for r in check.references.values())


@pytest.mark.parametrize("claim_id", CONTRACT_IDS)
def test_one_strategy_draws_the_claims_inputs(claim_id):
    claim = get(claim_id)
    strategy = claim.contract.strategy
    searched = [c for c in claim.numeric if isinstance(c, _Searched)]
    assert searched
    for check in searched:
        assert _fn(check.cases) is strategy, f"{claim_id} / {check.name}: a second strategy draws this claim's inputs"
    for other in SHARERS.get(claim_id, ()):
        for check in get(other).numeric:
            if isinstance(check, _Searched):
                assert _fn(check.cases) is strategy, f"{other} / {check.name} draws its own convention"


@pytest.mark.parametrize("claim_id", CONTRACT_IDS)
def test_the_check_holds_on_what_conform_draws(claim_id):
    contract = get(claim_id).contract
    check = contract.check
    seen = []

    @settings(max_examples=8, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(inputs=contract.inputs())
    def run(inputs):
        out = check.evaluate(inputs)  # the closed form against every reference, the contract's included
        assert out.ok, out.detail
        seen.append(list(inputs))

    run()
    assert seen and all(keys == seen[0] for keys in seen)  # one order: the contract's parameters


def _pair_check(**kw):
    """a - b drawn as fn(a, b), against torch.sub called positionally."""
    pairs = st.fixed_dictionaries(
        {"a": st.floats(-1e3, 1e3).map(torch.tensor), "b": st.floats(1, 1e3).map(torch.tensor)}
    ).map(lambda d: {"a": d["a"].double(), "b": d["b"].double()})
    return CrossCheck(
        name="a − b",
        cases=lambda: pairs,
        expected=lambda c: c["a"] - c["b"],
        tolerance=Tolerance.exact("one subtraction, done the same way on both sides"),
        **kw,
    )


def test_positional_references_get_the_inputs_in_order():
    ok = _pair_check(references={"torch.sub": torch.sub}, positional=True)
    assert run_check("pair", ok, max_examples=20).ok
    swapped = _pair_check(references={"b − a": lambda a, b: b - a}, positional=True)
    assert not run_check("pair", swapped, max_examples=20, shrink=False).ok


def test_contract_of_takes_the_checks_objects_and_narrows_by_keyword():
    check = _pair_check(references={"torch.sub": torch.sub}, positional=True)
    contract = Contract.of(check, signature="fn(a, b) -> a − b", reference="torch.sub")
    assert contract.inputs is check.cases and contract.tolerance is check.tolerance
    assert contract.reference is torch.sub and contract.check is check

    def cases(*, big=True):
        """a, b as drawn by the check (``big`` is only here to be narrowed)."""
        return check.cases()

    narrowed = Contract.of(
        CrossCheck(**{**check.__dict__, "cases": cases}), signature="fn(a, b)", reference="torch.sub", big=False
    )
    assert isinstance(narrowed.inputs, functools.partial) and narrowed.inputs.keywords == {"big": False}
    assert narrowed.strategy is cases
    # the proof shows the strategy's own docstring as the input domain, not functools.partial's
    assert inspect.getdoc(narrowed.inputs) == inspect.getdoc(cases)


def test_contract_of_refuses_a_non_positional_check_and_an_unknown_reference():
    by_case = _pair_check(references={"torch.sub": lambda c: c["a"] - c["b"]})
    with pytest.raises(ClaimDefinitionError, match="not a positional CrossCheck"):
        Contract.of(by_case, signature="fn(a, b)", reference="torch.sub")
    positional = _pair_check(references={"torch.sub": torch.sub}, positional=True)
    with pytest.raises(ClaimDefinitionError, match=r"no reference 'impl.sub'.*'torch.sub'"):
        Contract.of(positional, signature="fn(a, b)", reference="impl.sub")


def test_closed_form_reads_positional_inputs_through_its_binding():
    x, eps = sp.Symbol("x"), sp.Symbol("epsilon", positive=True)
    form = ClosedForm(x / sp.sqrt(eps), (x, eps), lambda inp: {"x": inp["x"], "epsilon": inp["eps"]})
    got = form({"x": torch.tensor([4.0], dtype=torch.float64), "eps": 4.0})
    assert torch.equal(got, torch.tensor([2.0], dtype=torch.float64))
    with pytest.raises(KeyError):  # without the binding the SymPy name is looked up, and is not there
        ClosedForm(x / sp.sqrt(eps), (x, eps))({"x": torch.tensor([4.0]), "eps": 4.0})


def test_batchnorm_binding_broadcasts_per_channel_inputs():
    import dlproofs.derivations.batchnorm as B

    inp = {
        "x": torch.zeros(2, 3, 4, 5, dtype=torch.float64),
        "gamma": torch.ones(3, dtype=torch.float64),
        "beta": torch.zeros(3, dtype=torch.float64),
        "eps": 1e-5,
    }
    sym = B.bn_symbols(inp)
    assert sym["gamma"].shape == (1, 3, 1, 1) and sym["epsilon"] == 1e-5 and sym["m"] == 2 * 4 * 5
    assert sym["_dims"]["i"] == (0, 2, 3)
    assert list(inp) == ["x", "gamma", "beta", "eps"]  # the binding does not touch the drawn inputs


def test_a_narrowed_strategy_says_so_in_the_proof():
    (line, *_) = get("bn.backward").numeric[0].describe_in_proof().lines
    assert line.startswith("Input domain: x [N, C] or (spatial) [N, C, H, W]")
    assert line.endswith("Drawn here with grad=True.")
    (line, *_) = get("bn.forward").numeric[0].describe_in_proof().lines
    assert "Drawn here" not in line
