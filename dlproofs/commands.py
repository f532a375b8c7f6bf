"""Commands the tool prints for a user to paste (replay and re-run lines), and the case codec
they carry.

A printed command must run as pasted from a shell where the virtual environment is *not*
activated: a bare ``python`` may be another interpreter without torch, a bare ``dlproofs`` may
not be on the PATH at all. :func:`dlproofs_command` therefore names the running program by a
path that works from anywhere: ``dlproofs`` only when that name on the PATH is this very
program, otherwise the console script's absolute path, otherwise ``<sys.executable> -m
dlproofs``. Cases travel as JSON (floats round-trip exactly through ``repr``; tensors keep
dtype and shape), so a replay needs no Python source pasted into ``-c``.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
from typing import Any

from .errors import DlproofsError

__all__ = ["dlproofs_command", "replay_line", "encode_case", "decode_case", "CaseDecodeError"]


class CaseDecodeError(DlproofsError, ValueError):
    """A ``--case`` argument that is not a case this tool printed."""


def dlproofs_command() -> str:
    """The shell words that run this ``dlproofs`` from any shell, venv activated or not."""
    script = os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    if os.path.basename(script) == "dlproofs" and os.access(script, os.X_OK):
        on_path = shutil.which("dlproofs")
        if on_path and os.path.realpath(on_path) == os.path.realpath(script):
            return "dlproofs"
        return shlex.quote(script)
    return f"{shlex.quote(sys.executable)} -m dlproofs"


def _encode(value: Any) -> Any:
    import torch

    if isinstance(value, torch.Tensor):
        return {"tensor": value.tolist(), "dtype": str(value.dtype).removeprefix("torch."), "shape": list(value.shape)}
    if isinstance(value, tuple):
        return {"tuple": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {"dict": {str(k): _encode(v) for k, v in value.items()}}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot encode a {type(value).__name__} in a case")


def _decode(value: Any) -> Any:
    import torch

    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        if set(value) == {"tensor", "dtype", "shape"}:
            dtype = getattr(torch, value["dtype"], None)
            if not isinstance(dtype, torch.dtype):
                raise CaseDecodeError(f"unknown tensor dtype {value['dtype']!r} in --case")
            return torch.tensor(value["tensor"], dtype=dtype).reshape(value["shape"])
        if set(value) == {"tuple"}:
            return tuple(_decode(v) for v in value["tuple"])
        if set(value) == {"dict"}:
            return {k: _decode(v) for k, v in value["dict"].items()}
        raise CaseDecodeError(f"unexpected object with keys {sorted(value)} in --case")
    return value


def encode_case(case: dict[str, Any]) -> str | None:
    """The case as one line of JSON, or None when it holds a value JSON cannot carry."""
    try:
        return json.dumps({k: _encode(v) for k, v in case.items()}, ensure_ascii=False, allow_nan=True)
    except TypeError:
        return None


def decode_case(text: str) -> dict[str, Any]:
    """Inverse of :func:`encode_case`; a clear error for anything else."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CaseDecodeError(
            f"--case is not JSON ({exc}); paste the whole replay line the failure report printed"
        ) from None
    if not isinstance(data, dict):
        raise CaseDecodeError(f"--case must be a JSON object of named inputs, got {type(data).__name__}")
    return {k: _decode(v) for k, v in data.items()}


def replay_line(claim_id: str, check_name: str, *, case: dict[str, Any] | None = None, seed: int | None = None) -> str:
    """The command that re-runs one numeric check: on one ``case`` (a Hypothesis search's shrunk
    input), or whole with ``seed`` (checks with their own design, e.g. Monte Carlo)."""
    words = f"{dlproofs_command()} replay {shlex.quote(claim_id)} --check {shlex.quote(check_name)}"
    if case is not None:
        encoded = encode_case(case)
        if encoded is None:  # a value JSON cannot carry: fall back to this interpreter, by path
            from .numeric import format_case

            code = f"import torch; from dlproofs.replay import replay; replay({claim_id!r}, {check_name!r}, {format_case(case)})"
            return f"{shlex.quote(sys.executable)} -c {shlex.quote(code)}"
        words += f" --case {shlex.quote(encoded)}"
    if seed is not None:
        words += f" --seed {seed}"
    return words
