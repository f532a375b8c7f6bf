"""The mutation run over impl/ (issue 13): the AST mutator, the classifier, and (slow tier) the run itself."""

from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch

from dlproofs import impl_mutants as im

ROOT = Path(__file__).resolve().parent.parent

# One function with a site for every operator, plus code the mutator must leave alone.
SAMPLE = textwrap.dedent(
    '''
    """Module docstring 1 + 2."""
    import torch

    def _check_shape(x):
        assert x.dim() == 2, f"got {x.dim() + 1}"

    def f(x, w, p=0.5):
        """Docstring with 3 > 2."""
        _check_shape(x)
        if p > 1:
            raise ValueError("p must be <= 1")
        y = torch.where(x > 0, x, 0.0)
        z = (x @ w - 1.5) * 2
        s = torch.exp(y).sum(dim=-1)
        c = torch.clamp(s, max=1.0)
        return -z.reshape(-1, 4) + c + (p == 0.5)
    '''
)


def _mutants_of(source: str) -> list[im.Mutant]:
    return im.candidates("sample", source)


def test_every_operator_gives_a_different_compilable_module():
    found = _mutants_of(SAMPLE)
    assert {m.operator for m in found} == set(im.OPERATORS)
    original = ast.dump(ast.parse(SAMPLE))
    for m in found:
        compile(m.source, "sample.py", "exec")  # raises on a broken mutant
        assert ast.dump(ast.parse(m.source)) != original, m.describe()
        assert m.original != m.mutated, m.describe()


def test_each_operator_changes_what_it_says():
    by = {(m.operator, m.original, m.mutated) for m in _mutants_of(SAMPLE)}
    assert ("binop", "x @ w - 1.5", "x @ w + 1.5") in by
    assert ("compare", "x > 0", "x < 0") in by
    assert ("boundary", "x > 0", "x >= 0") in by
    assert ("constant", "1.5", "3.0") in by
    assert ("zero", "2", "0") in by
    assert ("dim", "-1", "-2") in by
    assert ("swap", "x @ w", "w @ x") in by
    assert ("swap", "torch.where(x > 0, x, 0.0)", "torch.where(x > 0, 0.0, x)") in by
    assert ("negate", "-z.reshape(-1, 4)", "z.reshape(-1, 4)") in by
    assert ("call", "torch.exp(y)", "torch.log(y)") in by
    assert ("call", "torch.clamp(s, max=1.0)", "torch.clamp(s, min=1.0)") in by


def test_preconditions_docstrings_messages_and_defaults_are_not_mutated():
    found = _mutants_of(SAMPLE)
    assert not [m for m in found if m.function == "_check_shape"]  # the validation helper
    assert not [m for m in found if "_check_shape" in m.original]  # and the call to it
    assert not [m for m in found if m.line in (2, 9)]  # docstrings
    assert not [m for m in found if "p > 1" in m.original]  # the guard `if p > 1: raise`
    assert not [m for m in found if m.original == "0.5" and m.line == 8]  # the default p=0.5
    assert not [m for m in found if m.line == 17 and m.original == "-1"]  # reshape's -1 ("infer this size")
    assert [m for m in found if m.line == 15 and m.original == "-1"]  # while sum's dim=-1 is mutated


def test_mutants_are_deterministic_across_processes_and_hash_seeds():
    here = [m.key for name in ("residual", "clipping") for m in im.mutants(name)]
    assert here == [m.key for name in ("residual", "clipping") for m in im.mutants(name)]
    code = "from dlproofs import impl_mutants as im; print('\\n'.join(m.key for n in ('residual', 'clipping') for m in im.mutants(n)))"
    for seed in ("1", "987"):
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**__import__("os").environ, "PYTHONHASHSEED": seed},
        ).stdout.split("\n")
        assert out[: len(here)] == here


def test_at_least_eight_mutants_per_module_spread_over_operators():
    for name in im.impl_modules():
        chosen = im.mutants(name)
        assert len(chosen) >= 8, (name, len(chosen))
        assert len({m.operator for m in chosen}) >= 4, (name, {m.operator for m in chosen})
        assert len({m.key for m in chosen}) == len(chosen)


def test_users_follow_imports_of_derivations_and_of_impl():
    assert "residual" in im.users("residual")
    assert {"activations", "residual"} <= set(im.users("activations"))  # impl/residual imports activations
    assert {"masks", "positional", "convattn"} <= set(im.users("positional"))  # impl/masks imports positional
    assert "batchnorm" in im.users("batchnorm") and "layernorm" in im.users("batchnorm")


def test_classifier_on_reports():
    value = {"kind": "value", "text": "bn.forward / x: impl [float64]: largest error 0.5 > bound 1e-15"}
    raised = {"kind": "raised", "text": "bn.forward / x: raised RuntimeError: shapes cannot be multiplied"}
    assert im.classify({"claims": [{"id": "a", "failures": [raised]}, {"id": "b", "failures": [value]}]})[0] == "killed"
    assert im.classify({"claims": [{"id": "a", "failures": [raised]}]})[0] == "raised"
    assert im.classify({"claims": [{"id": "a", "failures": [], "escaped": "IndexError: x"}]})[0] == "escaped"
    assert im.classify({"import_error": "NameError: y", "claims": []})[0] == "escaped"
    assert im.classify({"claims": [{"id": "a", "holds": True, "failures": []}], "crash": None})[0] == "survived"
    assert im.classify({"timeout": True})[0] == "timeout"
    assert im.failure_kind("c / n: raised TypeError: unsupported operand") == "raised"
    assert im.failure_kind("c / n: the run raised ValueError: no") == "raised"
    assert im.failure_kind("c / n: impl [float64]: shape (2,), expected (3,)") == "value"


def _planted(old: str, new: str) -> im.Mutant:
    source = (im.impl_dir() / "clipping.py").read_text()
    assert old in source
    return im.Mutant("clipping", "planted", "clip_grad_norm", 0, old, new, 0, source.replace(old, new))


def test_planted_mutants_are_told_apart_value_kill_from_exception():
    """A wrong value is killed by clip.grad-norm's comparison; the same function raising is caught by the check
    but is no kill; a mutant that does not import escapes."""
    ret = "return [g * coef for g in grads], total"
    only = ["clip.grad-norm"]
    value = im.run_mutant(_planted(ret, "return [g * coef * 2 for g in grads], total"), only=only, timeout=600)
    assert value.outcome == "killed", value
    assert "largest error" in value.detail
    raising = im.run_mutant(_planted(ret, "raise RuntimeError('planted')"), only=only, timeout=600)
    assert raising.outcome == "raised", raising
    assert "RuntimeError: planted" in raising.detail
    broken = im.run_mutant(_planted("EPS = 1e-6", "EPS = undefined_name"), only=only, timeout=600)
    assert broken.outcome == "escaped" and "NameError" in broken.detail, broken
    # 2^30 float64 entries (8 GiB, never touched: without the cap the kernel grants it lazily and the values are
    # right, so the mutant would survive); under the 6 GiB address-space cap the allocation fails inside the check
    greedy = im.run_mutant(_planted(ret, "torch.empty(2**30, dtype=torch.float64)\n    " + ret), only=only, timeout=600)
    assert greedy.outcome == "raised" and "RuntimeError" in greedy.detail, greedy


def _bench():
    spec = importlib.util.spec_from_file_location("bench_mutation", ROOT / "bench" / "mutation.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_equivalent_mutants_are_documented_with_why():
    entries = json.loads((ROOT / "bench" / "equivalent_mutants.json").read_text())
    for e in entries:
        assert e["key"].count(":") >= 3 and len(e["why"]) > 40, e


@pytest.mark.slow
def test_mutation_run_on_a_representative_subset():
    """The thorough tier: clipping, dropout and normorder (cheap topics; the full run over every module takes about
    40 min on 2 cores: bench/mutation.py). Every survivor must be documented equivalent, and each module must kill
    at least as many mutants as the figures recorded in bench/mutation.json (issue 13's 95 % is the target; the
    recorded figures say where it is not yet met)."""
    bench = _bench()
    modules = ["clipping", "dropout", "normorder"]
    results = bench.run(modules, 8, 2, bench.load_equivalents(), log=lambda *_: None)
    survivors = [r["description"] for r in results if r["outcome"] == "survived"]
    assert not survivors, f"undocumented survivors (kill them with a claim or document them as equivalent): {survivors}"
    recorded = json.loads((ROOT / "bench" / "mutation.json").read_text())
    for m in modules:
        now = sum(r["outcome"] == "killed" for r in results if r["module"] == m)
        before = sum(r["outcome"] == "killed" for r in recorded if r["module"] == m)
        assert now >= before, f"{m}: {now} mutants killed, {before} in bench/mutation.json"


def test_every_public_impl_function_is_used_by_a_claim():
    assert im.unused_impl_names() == []


def test_the_usage_audit_finds_an_unused_function():
    impl_src = {
        "toy": '__all__ = ["used", "helper", "orphan"]\ndef used(x):\n    return helper(x)\ndef helper(x):\n    return x\ndef orphan(x):\n    return -x\n'
    }
    derivations = {"topic": "import dlproofs.impl.toy as ty\nCHECK = lambda c: ty.used(c)\n"}
    assert im.unused_impl_names(impl_src, derivations) == [("toy", "orphan")]


def _fake_result(kind: str | None):
    """A ClaimResult stand-in: holds (None), or one failed numeric check whose report says a value differed or
    that code raised."""
    from types import SimpleNamespace

    text = {"value": "c / x: impl [float64]: largest error 0.5 > bound 1e-15", "raised": "c / x: raised TypeError: no"}
    numeric = () if kind is None else (SimpleNamespace(ok=False, name="x", report=text[kind]),)
    return SimpleNamespace(holds=kind is None, derivations=(), numeric=numeric, counterexamples=(), problem="")


def test_stop_early_only_on_a_value_kill():
    """A claim failing because code raised (caught in a check, or escaping it) does not stop the run: the later
    claim that compares a wrong value is still checked and makes the mutant killed; after a value kill it stops."""
    from types import SimpleNamespace

    def escape(claim):
        raise ValueError("unknown init")

    plan = {"a": lambda c: _fake_result("raised"), "b": escape, "c": lambda c: _fake_result("value"), "d": None}
    claims = [SimpleNamespace(id=k) for k in plan]
    entries = im.check_claims(claims, lambda c: plan[c.id](c), True, [])
    assert [e["id"] for e in entries] == ["a", "b", "c"]  # d never runs: c killed by value
    assert entries[1]["escaped"] == "ValueError: unknown init"
    assert im.classify({"claims": entries})[0] == "killed"
    only_raised = im.check_claims(claims[:2], lambda c: plan[c.id](c), True, [])
    assert [e["id"] for e in only_raised] == ["a", "b"] and im.classify({"claims": only_raised})[0] == "raised"
    everything = im.check_claims(claims[2:3] + claims[:2], lambda c: plan[c.id](c), False, [])
    assert len(everything) == 3  # stop_early=False runs every claim


def test_crash_only_mutants_count_only_when_documented_caught_in_a_check_and_verified():
    """Each documented crash-only mutant is one the run samples, with a why. It counts as killed only when a claim's
    check caught its raise (outcome raised), it is documented, and its returns-only verification passed; a raise
    that is undocumented, unverified, failed verification or escaped the engine is no kill; one a claim kills by
    value, or whose verification failed, is flagged stale."""
    bench = _bench()
    entries = bench.load_crash_only()
    sampled = {m.key for name in {k.split(":")[0] for k in entries} for m in im.mutants(name)}
    assert entries and set(entries) <= sampled, set(entries) - sampled
    assert all(len(why) > 40 for why in entries.values())
    rows = [
        {"key": "a", "module": "m", "outcome": "killed"},
        {"key": "b", "module": "m", "outcome": "raised", "crash_only_verified": True},  # counts
        {"key": "c", "module": "m", "outcome": "raised", "crash_only_verified": True},  # undocumented: stripped
        {"key": "d", "module": "m", "outcome": "equivalent"},
        {"key": "e", "module": "m", "outcome": "killed"},  # documented, but killed by value: stale
        {"key": "f", "module": "m", "outcome": "raised", "crash_only_verified": False},  # verification failed
        {"key": "g", "module": "m", "outcome": "raised"},  # documented, never verified
        {"key": "h", "module": "m", "outcome": "escaped", "crash_only_verified": True},  # escaped the engine
    ]
    why = "raises on every input where it differs"
    bench.mark_crash_only(rows, {k: why for k in "befgh"})
    assert "crash_only_verified" not in rows[2]
    assert bench.score(rows)[1:] == (3, 1, 3 / 7)  # a, e by value, b verified crash-only; d equivalent
    assert bench.value_score(rows) == 2 / 7
    assert [r["key"] for r in rows if r.get("stale_crash_only")] == ["e", "f"]


TOY = textwrap.dedent(
    """
    import torch

    def noise(g, n):
        return torch.rand(n, generator=g)

    def double(x):
        return 2 * x

    def twice(x):
        return double(x) + double(x)

    class Scaler:
        def __init__(self, k):
            self.k = k

        def apply(self, x):
            return self.k * x
    """
)


def _toy(tmp_path, mutated: str):
    """The toy module written as the unmutated origin, and a mutated copy loaded beside it, wrapped."""
    origin = tmp_path / "toy.py"
    origin.write_text(TOY)
    mutant = type(sys)("dlproofs.impl.toy")
    exec(compile(mutated, str(origin), "exec"), mutant.__dict__)
    return mutant, im.substitute_raises(mutant, str(origin))


def test_returns_only_mode_answers_raising_calls_with_the_unmutated_value(tmp_path):
    """A mutant that raises where it differs is answered by the original (so no check can see a wrong value, and
    the counts show it raised); one that returns a wrong value keeps it (so a check fails: crash-only refuted);
    methods are wrapped too, with self passed to the original method; a raising trial leaves no trace (a seeded
    generator's state, a dispatch mode's count)."""
    crash, calls = _toy(tmp_path, TOY.replace("return 2 * x", "return 2 * x if x > 0 else x[0]"))
    assert [crash.double(3), crash.double(-3), crash.twice(-1)] == [6, -6, -4]
    # twice(-1)'s trial raised inside double, so the unmutated twice answered (its callees: the unmutated double)
    assert calls["double"] == {"returned": 1, "raised": 1} and calls["twice"] == {"returned": 0, "raised": 1}
    assert crash.twice(2) == 8 and calls["double"] == {"returned": 3, "raised": 1}  # twice's real call: 2 doubles
    wrong, calls = _toy(tmp_path, TOY.replace("return 2 * x", "return 2 * x if x > 0 else 3 * x"))
    assert wrong.double(-1) == -3 and calls["double"] == {"returned": 1, "raised": 0}
    method, calls = _toy(tmp_path, TOY.replace("return self.k * x", "return self.k * x[0]"))
    assert method.Scaler(4).apply(2) == 8 and calls["apply"] == {"returned": 0, "raised": 1}
    draws = TOY.replace("return torch.rand(n, generator=g)", "return torch.rand(n, generator=g)[n]")
    generator, calls = _toy(tmp_path, draws)
    got = generator.noise(torch.Generator().manual_seed(0), 2)  # the trial's draw did not advance the generator
    assert torch.equal(got, torch.rand(2, generator=torch.Generator().manual_seed(0))) and calls["noise"]["raised"] == 1
    from torch.utils.flop_counter import FlopCounterMode

    matmul = TOY.replace("return 2 * x", "x @ x\n    return 2 * x if x.shape[0] > 2 else x.nope")
    counted, _ = _toy(tmp_path, matmul)
    with FlopCounterMode(display=False) as flops:
        counted.double(torch.ones(2, 2))
    assert flops.get_total_flops() == 0  # the raising trial's matmul was not counted; the unmutated 2 * x has none


@pytest.mark.slow
def test_a_documented_crash_only_mutant_is_verified_and_a_wrong_value_is_not():
    """End to end on clip.grad-norm: a mutant that raises on every input passes verification (no wrong value, the
    function raised); one that raises on some inputs and returns a wrong value on others fails it."""
    ret = "return [g * coef for g in grads], total"
    only = ["clip.grad-norm"]
    crash = im.run_mutant(_planted(ret, "raise RuntimeError('planted')"), only=only, timeout=600, returns_only=True)
    assert crash.outcome == "survived" and ": 0 returned" in crash.detail, crash
    mixed = _planted(
        ret, "if len(grads) > 1:\n        raise RuntimeError('planted')\n    return [g * 2 for g in grads], total"
    )
    half = im.run_mutant(mixed, only=only, timeout=600, returns_only=True)
    assert half.outcome == "killed", half


def test_readme_quotes_the_recorded_mutation_figures():
    """The README's mutation paragraph states the score and the value-only count of bench/mutation.json."""
    bench = _bench()
    rows = json.loads((ROOT / "bench" / "mutation.json").read_text())
    n, killed, eq, _ = bench.score(rows)
    value = sum(r["outcome"] == "killed" for r in rows)
    readme = " ".join((ROOT / "README.md").read_text().split())
    assert f"{killed} of {n - eq} killed by a claim's check" in readme
    assert f"{value} by a compared value or shape** ({100 * bench.value_score(rows):.1f}%)" in readme
