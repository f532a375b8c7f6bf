"""Shared pytest set-up: Hypothesis profiles (dev locally, ci when CI is set), and ``conform_runs``, one
``dlproofs conform`` run per gallery target per session shared by the tests that read it."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import Phase, settings

from dlproofs.profiles import register_profiles

register_profiles()
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def without_shrinking(*, verdict_only: bool = False) -> Iterator[list[int]]:
    """conform's searches without Hypothesis' shrink phase, for tests that read the verdict, the failure kind and
    (unless ``verdict_only``) the diagnosis. A failing example stops the search before shrinking starts (one bug,
    no ``report_multiple_bugs``), so the verdict and the example it was found at are those of the full run; the
    reported case is the first failing draw instead of its shrunk form. Shrinking is most of a failing run's cost
    (about 85% for attention.sdpa-masked: thousands of re-draws of the whole input).

    ``verdict_only`` also cuts the searches conform runs after a failure only to describe it (PROBE_EXAMPLES fresh
    inputs for the locators and the diagnosis, NONDEGENERATE_EXAMPLES for a non-degenerate case) to one input
    each: the verdict is decided before them, so only it and the failure kind may be read from such a run.
    Yields the list of shrink phases removed, so a caller can check the hook still reaches conform's search."""
    import dlproofs.conform as C

    real, removed = C._settings, []
    described = C.PROBE_EXAMPLES, C.NONDEGENERATE_EXAMPLES

    def no_shrink(*args, phases=(Phase.generate,), **kwargs):
        kept = tuple(p for p in phases if p is not Phase.shrink)
        removed.extend([1] * (len(phases) - len(kept)))
        return real(*args, phases=kept, **kwargs)

    C._settings = no_shrink
    if verdict_only:
        C.PROBE_EXAMPLES, C.NONDEGENERATE_EXAMPLES = 1, 1
    try:
        yield removed
    finally:
        C._settings = real
        C.PROBE_EXAMPLES, C.NONDEGENERATE_EXAMPLES = described


MODES = ("full", "unshrunk", "verdict")


class ConformRuns:
    """``conform`` on a gallery target (``examples/conform/FILE.py:NAME``), each (claim, target, seed, mode,
    max_examples) run once per session, or per pytest-xdist worker (each has its own session), so the tests that
    read one run (test_conform's verdict, kind and locator tests, test_diagnose's label tests) do not repeat it.
    ``mode``: "full" is conform as the CLI runs it; "unshrunk" is :func:`without_shrinking`; "verdict" is
    ``without_shrinking(verdict_only=True)``."""

    def __init__(self) -> None:
        self._results: dict[tuple, object] = {}

    def __call__(
        self, claim_id: str, target: str, *, seed: int = 0, mode: str = "full", max_examples: int | None = None
    ):
        from dlproofs.conform import DEFAULT_MAX_EXAMPLES, conform, contract_claim, load_target

        assert mode in MODES, mode
        max_examples = max_examples or DEFAULT_MAX_EXAMPLES
        key = (claim_id, target, seed, mode, max_examples)
        if key not in self._results:
            path, name = target.rsplit(":", 1)
            fn = load_target(f"{ROOT / path}:{name}")
            hook = contextlib.nullcontext([1]) if mode == "full" else without_shrinking(verdict_only=mode == "verdict")
            with hook as removed:
                result = conform(claim_id, fn, seed=seed, target=target, max_examples=max_examples)
            own_judge = contract_claim(claim_id).contract.judge is not None  # statistical: a fixed design, no shrinking
            assert removed or own_judge, "without_shrinking() no longer reaches conform's search (conform._settings?)"
            self._results[key] = result
        return self._results[key]


@pytest.fixture
def no_shrinking() -> Iterator[list[int]]:
    """:func:`without_shrinking` for one test (the list of shrink phases it removed, empty if none ran)."""
    with without_shrinking() as removed:
        yield removed


@pytest.fixture(scope="session")
def conform_runs() -> ConformRuns:
    """The session's shared :class:`ConformRuns` (results are never mutated by the tests that read them)."""
    return ConformRuns()


@pytest.fixture
def run(capsys, monkeypatch):
    """The ``dlproofs`` CLI in-process, from the project root: ``run(*argv)`` -> (exit code, stdout, stderr)."""
    from pathlib import Path

    from dlproofs.cli import main

    monkeypatch.chdir(Path(__file__).resolve().parents[1])

    def _run(*argv: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as exc:
            main(list(argv))
        out = capsys.readouterr()
        return exc.value.code, out.out, out.err

    return _run
