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
    output: int | None = None,
    arrays: str = "auto",
    weights: dict[str, str] | None = None,
    call: str | None = None,
    build: str | None = None,
    dtype: Any = None,
    eps: float | None = None,
    device: str | None = None,
) -> ConformResult:
    """Raise AssertionError with the conform report unless ``fn`` conforms to ``claim_id``'s contract.

    ``fn`` may be a function on torch tensors or numpy arrays, or an ``nn.Module`` class or
    instance (``weights`` maps its parameter names to the contract's inputs); ``output=N`` compares
    element N of a returned tuple; ``call`` and ``build`` are templates saying how to call ``fn`` and
    construct a class ``fn`` (:mod:`dlproofs.calling`, e.g. ``call="f(grad_out, z)"``); ``dtype``
    (torch.float32 or "float32", "bfloat16", "float16"), ``eps`` (a hard-coded ε) and ``device`` are the
    precision modes of ``dlproofs conform --dtype/--eps/--device``. Returns the result (examples run,
    largest error) when it conforms. A claim id that does not exist or has no contract, or a ``fn`` that cannot be called
    as the contract calls it, raises :class:`dlproofs.conform.ConformError` (its subclass
    ``InterfaceError``), not AssertionError.
    """
    __tracebackhide__ = True
    result = conform(
        claim_id,
        fn,
        max_examples=max_examples,
        seed=seed,
        output=output,
        arrays=arrays,
        weights=weights,
        call=call,
        build=build,
        dtype=dtype,
        eps=eps,
        device=device,
    )
    if not result.ok:
        raise AssertionError(result.report())
    return result
