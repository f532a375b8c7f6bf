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
def without_shrinking() -> Iterator[list[int]]:
    """conform's searches without Hypothesis' shrink phase, for tests that read only the verdict, the failure
    kind and the diagnosis. A failing example stops the search before shrinking starts (one bug, no
    ``report_multiple_bugs``), so the verdict and the example it was found at are those of the full run; only
    the reported case is the first failing draw instead of its shrunk form. Shrinking is most of a failing
    run's cost (about 85% for attention.sdpa-masked: thousands of re-draws of the whole input). Yields the
    list of shrink phases removed, so a caller can check the hook still reaches conform's search."""
    import dlproofs.conform as C

    real, removed = C._settings, []

    def no_shrink(*args, phases=(Phase.generate,), **kwargs):
        kept = tuple(p for p in phases if p is not Phase.shrink)
        removed.extend([1] * (len(phases) - len(kept)))
        return real(*args, phases=kept, **kwargs)

    C._settings = no_shrink
    try:
        yield removed
    finally:
        C._settings = real


class ConformRuns:
    """``conform`` on a gallery target (``examples/conform/FILE.py:NAME``), each (claim, target, seed, shrink,
    max_examples) run once per session, or per pytest-xdist worker (each has its own session): test_conform's
    verdict and locator tests and test_diagnose's label tests read the same runs instead of repeating
    them. ``shrink=False`` runs :func:`without_shrinking`."""

    def __init__(self) -> None:
        self._results: dict[tuple, object] = {}

    def __call__(
        self, claim_id: str, target: str, *, seed: int = 0, shrink: bool = True, max_examples: int | None = None
    ):
        from dlproofs.conform import DEFAULT_MAX_EXAMPLES, conform, load_target

        max_examples = max_examples or DEFAULT_MAX_EXAMPLES
        key = (claim_id, target, seed, shrink, max_examples)
        if key not in self._results:
            fn = load_target(f"{ROOT / target.rsplit(':', 1)[0]}:{target.rsplit(':', 1)[1]}")
            hook = contextlib.nullcontext([1]) if shrink else without_shrinking()
            with hook as removed:
                result = conform(claim_id, fn, seed=seed, target=target, max_examples=max_examples)
            assert removed, "without_shrinking() no longer reaches conform's search (dlproofs.conform._settings?)"
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
