"""Shared machinery of the real-world gallery: where each entry's upstream code comes from.

Third-party code is not committed here. Each entry names its source exactly (repository,
commit, path, line span, SHA-256 of the span); ``vendor.py`` copies the spans out of git
checkouts of those repositories into ``_upstream/`` (git-ignored), and :func:`upstream` executes
a span, after the entry's own ``PRELUDE`` (the imports the upstream file has at its top), and
returns the resulting namespace. Code that ships inside an installed package (torch) is taken
from the installed package instead (``Source.module``), and its version is checked.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dlproofs.errors import DlproofsError

HERE = Path(__file__).resolve().parent
UPSTREAM = HERE / "_upstream"


@dataclass(frozen=True)
class Source:
    """Upstream spans: each ``(first, last)`` of ``lines`` (1-based, inclusive) of ``path`` at
    ``commit``, joined by a blank line; of code cell ``cell`` when ``path`` is a notebook. ``module`` instead names an installed module
    (``version`` is the installed package's version the verdict was judged on)."""

    repo: str
    path: str
    commit: str
    lines: tuple[tuple[int, int], ...] = ()
    sha256: str = ""
    license: str = ""
    cell: int | None = None
    module: str | None = None
    version: str | None = None

    def url(self) -> str:
        return f"https://github.com/{self.repo}/blob/{self.commit}/{self.path}"


def span(text: str, source: Source) -> str:
    """The span of a whole upstream file's ``text`` that ``source`` names (a notebook's cell first)."""
    if source.cell is not None:
        cell = json.loads(text)["cells"][source.cell]
        assert cell["cell_type"] == "code", f"cell {source.cell} of {source.path} is not code"
        text = "".join(cell["source"])
    lines = text.splitlines(keepends=True)
    return "\n".join("".join(lines[first - 1 : last]) for first, last in source.lines)


def digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def vendored_path(stem: str) -> Path:
    return UPSTREAM / f"{stem}.py"


class MissingUpstream(DlproofsError, RuntimeError):
    """The entry's upstream span has not been vendored (run vendor.py); ``dlproofs conform`` prints it
    as one line, exit 2."""


def upstream(stem: str, source: Source, prelude: str) -> dict[str, Any]:
    """Namespace after running ``prelude`` then the vendored span (checked against its SHA-256)."""
    if source.module is not None:
        module = importlib.import_module(source.module)
        return vars(module)
    path = vendored_path(stem)
    if not path.is_file():
        raise MissingUpstream(
            f"{path} is missing: run `python examples/realworld/vendor.py --git-dirs DIR` with git "
            f"checkouts of the upstream repositories ({source.repo} at {source.commit[:12]})"
        )
    code = path.read_text()
    if digest(code) != source.sha256:
        raise MissingUpstream(f"{path} does not match its recorded SHA-256: re-run vendor.py")
    namespace: dict[str, Any] = {"__name__": f"realworld_upstream_{stem}"}
    exec(compile(prelude, f"<prelude of {stem}>", "exec"), namespace)
    # A method's span is indented; dedent leaves top-level code as it is.
    with warnings.catch_warnings():  # upstream docstrings with invalid escapes (labml's LaTeX) warn
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        compiled = compile(textwrap.dedent(code), f"{source.repo}/{source.path}", "exec")
    exec(compiled, namespace)
    return namespace


def entry_target(module_globals: dict[str, Any]):
    """A callable for ``dlproofs conform`` that builds the entry's function on first use."""
    cache: dict[str, Any] = {}
    stem = Path(module_globals["__file__"]).stem

    def target(*args):
        if "fn" not in cache:
            ns = upstream(stem, module_globals["SOURCE"], module_globals.get("PRELUDE", ""))
            build = module_globals.get("adapter")
            cache["fn"] = build(ns) if build is not None else ns[module_globals["NAME"]]
        return cache["fn"](*args)

    target.__qualname__ = "target"
    target.__module__ = module_globals["__name__"]
    return target


def entry_object(module_globals: dict[str, Any]):
    """A module ``__getattr__`` for an entry without an adapter: ``target`` is the upstream object
    named by ``NAME`` itself (a function or a class, as shipped), built on first access so that
    importing the entry (the manifest, the tests) never runs upstream code. The entry declares how
    ``dlproofs conform`` calls it (:data:`OPTIONS`)."""
    stem = Path(module_globals["__file__"]).stem

    def __getattr__(name: str) -> Any:
        if name != "target":
            raise AttributeError(f"module {module_globals['__name__']!r} has no attribute {name!r}")
        ns = upstream(stem, module_globals["SOURCE"], module_globals.get("PRELUDE", ""))
        obj = ns[module_globals["NAME"]]
        module_globals["target"] = obj
        return obj

    return __getattr__


# The declared conform options an entry can carry (upper-case module constants), in CLI order:
# CALL (--call template), BUILD (--build template), OUTPUT (--output N), WEIGHTS (--weights), ARRAYS,
# OPTIONS (contract options, --option), LAYOUT, EPS (--eps: the ε the code hard-codes, reported as a convention).
OPTIONS = ("call", "build", "output", "weights", "arrays", "options", "layout", "eps")


def options(entry: Any) -> dict[str, Any]:
    """The entry's declared options as keyword arguments of ``dlproofs.conform.conform``."""
    return {name: getattr(entry, name.upper()) for name in OPTIONS if name.upper() in vars(entry)}


def flag(name: str) -> str:
    """The ``dlproofs conform`` flag of a declared option (OPTIONS is plural, its flag ``--option`` repeats)."""
    return "--option" if name == "options" else f"--{name}"


def cli_options(entry: Any) -> list[str]:
    """The same options as ``dlproofs conform`` arguments (a list: no shell quoting needed)."""
    from dlproofs.conform import cli_pairs

    args: list[str] = []
    for name, value in options(entry).items():
        if name in ("weights", "options"):
            value = cli_pairs(value)
        args += [flag(name), str(value)]
    return args


# ── adapter helpers (used by the entries' adapter functions) ──────────────────────────────
def to_numpy(*tensors):
    """torch → numpy (copies: the contract's tensors are never shared with the code under test)."""
    return [t.detach().numpy().copy() for t in tensors]


def to_torch(array):
    """numpy → torch, keeping the dtype the code returned (a float32 result stays float32)."""
    import numpy as np
    import torch

    return torch.from_numpy(np.array(array))


def load_projection(linear, weight):
    """Set an nn.Linear to x ↦ x @ weight.T: copy the weight, zero the bias if it has one."""
    import torch

    with torch.no_grad():
        linear.weight.copy_(weight)
        if linear.bias is not None:
            linear.bias.zero_()


def load_linear(linear, weight, bias=None):
    """Load an nn.Linear as shipped: its weight, and its bias from ``bias`` (which must exist iff the layer has one)."""
    import torch

    assert (bias is None) == (linear.bias is None), "bias given for a Linear without one, or missing"
    with torch.no_grad():
        linear.weight.copy_(weight)
        if bias is not None:
            linear.bias.copy_(bias)


def hidden_sdpa():
    """A context in which torch.nn.functional has no scaled_dot_product_attention: code that checks
    ``hasattr(F, 'scaled_dot_product_attention')`` at construction takes its manual branch (as on torch < 2.0)."""
    import contextlib

    import torch.nn.functional as F

    @contextlib.contextmanager
    def hidden():
        saved = F.scaled_dot_product_attention
        del F.scaled_dot_product_attention
        try:
            yield
        finally:
            F.scaled_dot_product_attention = saved

    return hidden()


def make_identity(linear):
    """Set a square nn.Linear (an output projection) to the identity map."""
    import torch

    load_projection(linear, torch.eye(linear.weight.shape[0], dtype=linear.weight.dtype))
