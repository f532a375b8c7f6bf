"""pytest plugin: check your implementations against dlproofs' verified contracts in your own suite.

Installing dlproofs registers it (entry point ``pytest11``); nothing to configure. Two ways:

    def test_batch_norm(conforms):               # the fixture: call it with the claim and the function
        conforms("bn.forward", batch_norm)

    @pytest.mark.conforms("bn.forward", seed=3)  # the marker: the test returns the function
    @pytest.mark.parametrize("fn", [batch_norm, batch_norm_fused])
    def test_batch_norms(fn):
        return fn

Both take the keyword options of :func:`dlproofs.conform.conform`: ``max_examples`` and ``seed``
(defaults 100 and 0, as ``dlproofs conform``), ``output``, ``arrays``, ``weights``, the ``call`` and
``build`` templates of :mod:`dlproofs.calling` for code as shipped, e.g.
``@pytest.mark.conforms("relu.backward", call="f(grad_out, z)")`` for ``relu_backward(dout, cache)``,
and any option it gains later. A
counterexample fails the test with the report ``dlproofs conform`` prints (shrunk inputs, expected
vs got, the tolerance, a re-run line) and no traceback into dlproofs; an unknown claim or a misused
marker is one line. Loading the plugin imports only pytest, so projects that never use it pay
nothing at startup: torch, SymPy and the claims load when a test first uses the fixture or marker.
"""

from __future__ import annotations

import difflib
import inspect
import os
from collections.abc import Callable
from typing import Any

import pytest

__all__ = ["conforms"]

MARKER = "conforms"
_PARSED = pytest.StashKey[tuple[str, dict[str, Any]]]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(claim, *, max_examples=100, seed=0): the test returns an implementation (a callable); "
        "dlproofs checks it against the verified contract of claim and fails the test with the shrunk "
        "counterexample (`dlproofs conform --list` shows the claims; every keyword option of "
        "dlproofs.conform.conform is accepted)",
    )


# ── the marker ─────────────────────────────────────────────────────────────────────────────
def _marker_args(marker: pytest.Mark) -> tuple[str, dict[str, Any]]:
    """(claim id, options) of ``@pytest.mark.conforms(...)``, or a one-line failure saying how to fix it."""
    shown = _show_marker(marker)
    if len(marker.args) != 1 or not isinstance(marker.args[0], str):
        pytest.fail(
            f"{shown}: give the claim id as the one positional argument, e.g. "
            f"@pytest.mark.{MARKER}('bn.forward', seed=0), and return the implementation from the test",
            pytrace=False,
        )
    _check_options(marker.kwargs, shown)
    return marker.args[0], dict(marker.kwargs)


def _options() -> list[str]:
    """The keyword options of the marker and the fixture: those of dlproofs.conform.conform (today
    max_examples and seed), so an option conform gains is accepted here without a change."""
    from .conform import conform

    params = inspect.signature(conform).parameters.values()
    return [p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY and p.name != "target"]


def _check_options(options: dict[str, Any], shown: str) -> None:
    known = _options()
    unknown = [k for k in options if k not in known]
    if unknown:
        close = difflib.get_close_matches(unknown[0], known, n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        pytest.fail(f"{shown}: unknown option {unknown[0]!r}; {hint}the options are {', '.join(known)}", pytrace=False)


def _show_marker(marker: pytest.Mark) -> str:
    args = [repr(a) for a in marker.args] + [f"{k}={v!r}" for k, v in marker.kwargs.items()]
    return f"@pytest.mark.{MARKER}({', '.join(args)})"


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A misused marker or an unknown claim is an error at setup: the test body never runs."""
    marker = item.get_closest_marker(MARKER)
    if marker is None:
        return
    claim_id, options = _marker_args(marker)
    from .conform import ConformError, contract_claim

    try:
        contract_claim(claim_id)
    except ConformError as exc:
        problem = str(exc)
    else:
        problem = None
    if problem is not None:  # failed outside the except block: no "during handling" chain is printed
        pytest.fail(f"{_show_marker(marker)}: {problem}", pytrace=False)
    item.stash[_PARSED] = (claim_id, options)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Call a marked test, then check the implementation it returned (pytest's own call would
    discard the return value and warn about it)."""
    if pyfuncitem.get_closest_marker(MARKER) is None:
        return None
    claim_id, options = pyfuncitem.stash[_PARSED]
    shown = _show_marker(pyfuncitem.get_closest_marker(MARKER))
    test = pyfuncitem.obj
    if inspect.iscoroutinefunction(test):
        pytest.fail(f"{shown}: the test is async; make it a plain def that returns the implementation", pytrace=False)
    fixtures = pyfuncitem._fixtureinfo.argnames  # the test's own arguments, as pytest's call passes them
    fn = test(**{name: pyfuncitem.funcargs[name] for name in fixtures})
    if fn is None:
        pytest.fail(
            f"{shown}: {pyfuncitem.name} returned None; return the implementation to check "
            "(e.g. `return my_batch_norm`), or use the `conforms` fixture inside the test",
            pytrace=False,
        )
    _check(claim_id, fn, options, pyfuncitem.module, pyfuncitem.config, shown)
    return True


# ── the fixture ────────────────────────────────────────────────────────────────────────────
@pytest.fixture
def conforms(request: pytest.FixtureRequest) -> Callable[..., Any]:
    """``conforms(claim, fn, *, max_examples=100, seed=0)``: check ``fn`` against the verified
    contract of ``claim``; a counterexample fails the test with the ``dlproofs conform`` report.
    Returns the :class:`dlproofs.conform.ConformResult` of a pass (examples run, closest case)."""

    def check(claim_id: str, fn: Callable[..., Any], **options: Any) -> Any:
        __tracebackhide__ = True
        shown = f"conforms({claim_id!r}, ...)"
        _check_options(options, shown)
        return _check(claim_id, fn, options, request.module, request.config, shown)

    return check


# ── shared ─────────────────────────────────────────────────────────────────────────────────
def _check(claim_id: str, fn: Any, options: dict[str, Any], module: Any, config: pytest.Config, shown: str) -> Any:
    __tracebackhide__ = True
    from .conform import ConformError, conform

    try:
        result = conform(claim_id, fn, target=_target(fn, module, config), **options)
    except ConformError as exc:  # unknown claim, not a callable, bad option value: one line
        problem = str(exc)
    else:
        problem = None
    if problem is not None:
        pytest.fail(f"{shown}: {problem}", pytrace=False)
    if not result.ok:
        pytest.fail(result.report(), pytrace=False)
    return result


def _target(fn: Any, module: Any, config: pytest.Config) -> str | None:
    """``tests/test_x.py:fn`` for a function defined at the top of the test file itself, so the
    report's re-run line works from where pytest was started (the test module's import name only
    works from its rootdir); None lets conform name any other function by ``module:qualname``."""
    qualname = getattr(fn, "__qualname__", None)
    file = getattr(module, "__file__", None)
    if module is None or not file or getattr(fn, "__module__", None) != module.__name__:
        return None
    if not qualname or "<" in qualname or getattr(module, qualname.split(".")[0], None) is None:
        return None
    return f"{os.path.relpath(file, config.invocation_params.dir)}:{qualname}"
