"""pytest helpers for other projects: check your implementation against a verified contract.

    from dlproofs.testing import assert_conforms

    def test_my_batch_norm():
        assert_conforms("bn.forward", my_batch_norm)

The keyword options match ``dlproofs conform``'s; a counterexample raises AssertionError with
the same report the command prints (shrunk inputs, expected vs got, the error against the
tolerance, where the difference lives, a re-run line).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .conform import DEFAULT_MAX_EXAMPLES, DEFAULT_SEED, ConformResult, conform

__all__ = ["assert_conforms"]


def assert_conforms(
    claim_id: str,
    fn: Callable[..., Any],
    *,
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    seed: int = DEFAULT_SEED,
) -> ConformResult:
    """Raise AssertionError with the conform report unless ``fn`` conforms to ``claim_id``'s contract.

    Returns the result (examples run, largest error) when it conforms. A claim id that does not
    exist or has no contract raises :class:`dlproofs.conform.ConformError`, not AssertionError.
    """
    __tracebackhide__ = True
    result = conform(claim_id, fn, max_examples=max_examples, seed=seed)
    if not result.ok:
        raise AssertionError(result.report())
    return result
