"""JAX targets of ``dlproofs conform``: jax arrays in, jax arrays out (the optional ``dlproofs[jax]`` extra).

A function written with ``jax.numpy`` (plain or ``jax.jit``-compiled) is called with the contract's
inputs as jax arrays and its returned ``jax.Array`` (or tuple of them) is copied back to a torch
tensor and judged like any other return. ``--arrays auto`` tries JAX after torch and numpy, and only
when ``jax`` is installed; ``--arrays jax`` forces it. Nothing here imports jax until a JAX call is
made, so ``import dlproofs`` and every non-JAX run never pay jax's import.

Float64: JAX computes in float32 and silently downcasts float64 arrays unless x64 is enabled. In the
default (float64) mode every JAX call, and the conversion of its inputs, runs inside the
thread-local ``jax.enable_x64(True)`` context (``jax.experimental.enable_x64()`` on older jax), so
the process's own setting (``jax_enable_x64``, usually False) is the same before and after a run.
Under ``--dtype float32|float16|bfloat16`` the inputs already have the dtype and the process's
setting is left as it is: the target runs as the user's JAX code normally runs.
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import torch

__all__ = [
    "INSTALL_HINT",
    "available",
    "require",
    "is_jax",
    "contains_jax",
    "to_jax",
    "to_torch",
    "x64",
    "call",
    "refusal",
]

INSTALL_HINT = "pip install 'dlproofs[jax]'"


def available() -> bool:
    """jax can be imported (found without importing it; False when ``sys.modules["jax"]`` is None, which
    blocks the import)."""
    if "jax" in sys.modules:
        return sys.modules["jax"] is not None
    try:
        return importlib.util.find_spec("jax") is not None
    except (ImportError, ValueError):
        return False


def require(why: str = "--arrays jax") -> None:
    """Import jax, or a one-line ConformError (exit 2) saying how to install it."""
    from .conform import ConformError

    try:
        import jax  # noqa: F401
    except ImportError as exc:
        raise ConformError(
            f"{why}: jax is not installed (import jax raised {type(exc).__name__}: {exc}); {INSTALL_HINT}, "
            "or call TARGET with torch tensors or numpy arrays (--arrays auto)"
        ) from None


def is_jax(value: Any) -> bool:
    """A jax.Array (only when jax is already imported: a value cannot be one otherwise)."""
    jax = sys.modules.get("jax")
    return jax is not None and isinstance(value, jax.Array)


def contains_jax(value: Any) -> bool:
    """A jax.Array, or a tuple/list holding one: the call really ran as JAX."""
    if isinstance(value, (tuple, list)):
        return any(is_jax(v) for v in value)
    return is_jax(value)


def to_jax(value: Any) -> Any:
    """A torch tensor as a jax array of the same dtype (integers stay integers); other values unchanged.
    bfloat16 goes through float32 (numpy has no bfloat16; every bfloat16 value is a float32 value)."""
    if not isinstance(value, torch.Tensor):
        return value
    import jax.numpy as jnp

    value = value.detach().cpu()
    if value.dtype is torch.bfloat16:
        return jnp.asarray(value.to(torch.float32).numpy(), dtype=jnp.bfloat16)
    return jnp.asarray(value.numpy().copy())


def to_torch(value: Any) -> Any:
    """A returned jax.Array as a torch tensor (a copy: np.asarray, then torch.from_numpy); tuples and
    lists element by element; other values unchanged (the interface probe says what is wrong with them)."""
    if isinstance(value, (tuple, list)):
        return type(value)(to_torch(v) for v in value)
    if not is_jax(value):
        return value
    array = np.asarray(value)
    if array.dtype.name == "bfloat16":  # ml_dtypes' bfloat16: torch.from_numpy cannot take it
        return torch.from_numpy(array.astype(np.float32)).to(torch.bfloat16)
    return torch.from_numpy(np.array(array))  # a writable copy; a 0-d array becomes a 0-d tensor


@contextlib.contextmanager
def x64(enabled: bool) -> Iterator[None]:
    """``jax.enable_x64(True)`` (thread-local, undone on exit) when ``enabled``; else nothing changes."""
    if not enabled:
        yield
        return
    import jax

    state = getattr(jax, "enable_x64", None)
    if state is not None and hasattr(state, "value"):  # a config State: calling it gives the context manager
        manager = state(True)
    else:  # older jax: the experimental context manager
        from jax.experimental import enable_x64

        manager = enable_x64(True)
    with manager:
        yield


DEVICE_REFUSAL = (
    "--device {device}: TARGET runs as a jax target, and JAX puts its arrays on its own default device "
    "(jax.default_device), not where --device moves torch tensors; drop --device"
)
DTYPE_FIX = (
    "compute in the inputs' dtype: conform gives float64 jax arrays under jax.enable_x64 (no .astype(jnp.float32), "
    "no float32 parameters), or judge float32 code with --dtype float32"
)


def describe(case: dict[str, Any]) -> str:
    """The report's phrase for a JAX target, with the inputs' float dtype and whether x64 was enabled."""
    floats = [v.dtype for v in case.values() if isinstance(v, torch.Tensor) and v.is_floating_point()]
    dtype = str(floats[0] if floats else torch.float64).removeprefix("torch.")
    how = " under jax.enable_x64" if wants_x64(tuple(case.values())) else ""
    return f"jax target ({dtype} jax arrays in{how}, the returned jax arrays compared as tensors)"


def library_dirs() -> tuple[str, ...]:
    """jax's and jaxlib's folders once imported: a frame there is not where the user's code raised."""
    import os

    mods = [sys.modules.get(name) for name in ("jax", "jaxlib")]
    return tuple(os.path.dirname(os.path.abspath(m.__file__)) for m in mods if m is not None and m.__file__)


def wants_x64(args: tuple[Any, ...]) -> bool:
    """Float64 mode: no floating input of a lower precision (--dtype rounds every floating input)."""
    return not any(isinstance(a, torch.Tensor) and a.is_floating_point() and a.dtype != torch.float64 for a in args)


def call(fn: Any, args: tuple[Any, ...], names: tuple[str, ...], template: Any = None) -> Any:
    """What ``fn`` returns on the inputs as jax arrays, converted and called under x64 in float64 mode
    (:func:`to_torch` turns the return into tensors; a float64 jax array stays float64 outside the context)."""
    with x64(wants_x64(args)):
        jargs = tuple(to_jax(a) for a in args)
        return template(fn, dict(zip(names, jargs))) if template is not None else fn(*jargs)


def refusal(
    head: str,
    expected: str,
    output: int | None,
    case: dict[str, Any],
    out: Any,
    exc: BaseException | None,
    want: Any,
    names: tuple[str, ...],
) -> Exception:
    """The interface probe's one-line InterfaceError (raised by the caller) for a call with jax arrays
    that cannot be right: what it raised or returned on ``case``, and how to fix it."""
    from . import conform as C

    how = " (under jax.enable_x64)" if wants_x64(tuple(case.values())) else ""
    shown = ", ".join(f"{k}={C._kind(v).replace(' tensor', ' jax array')}" for k, v in case.items())
    called = f"fn({shown}){how}"
    if exc is not None:
        where = C._where_raised(exc)
        return C.InterfaceError(
            f"{head}: raised {C._one_line(exc)}{where} on {called}; {expected}; {C._raise_hint(exc, names)}"
        )
    value, problem = C._select(to_torch(out), output, want)
    problem = problem or C._check_output(value, want, False)
    if problem is None or "expected a torch.Tensor" in problem:  # not a jax.Array: a numpy array, a float, ...
        problem = f"returned {C._kind(value)} when given jax arrays{C._FIX}return a jax.Array (jax.numpy throughout)"
    observed, fix = C._split(problem)
    if observed.startswith("returned dtype") and how:
        fix = f"; {DTYPE_FIX}"
    return C.InterfaceError(f"{head}: {observed} on {called}; {expected}{fix}")
