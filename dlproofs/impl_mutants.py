"""Mutation testing of impl/: is every line of the reference code pinned by a claim? (issue 13)

A small AST mutator makes wrong versions of one ``impl/`` module at a time (:func:`mutants`), and
:func:`run_mutant` checks, in a fresh ``sys.executable`` process, the claims of every topic that
uses that module (:func:`users`, found by import analysis of ``derivations/``) with the mutant
installed as ``dlproofs.impl.<module>`` before anything imports it: uncached, one process, the
engine's own ``check_claim``. The outcome (:func:`classify`) is one of

- ``killed``: some claim's *check* caught it — a compared value or shape, a property, a
  counterexample that stopped being one, a planted wrong formula that now passes;
- ``raised``: claims failed only because code raised inside a check (a reference raising on a drawn
  case, a counterexample run that raised; the engine caught it and reported the case): not a kill —
  an exception says the code broke, not that a claim measured it wrong (issue 13);
- ``escaped``: an exception escaped the engine (a check crashed, the run died, the mutant does not
  import): not a kill;
- ``survived``: every claim held; ``timeout``: the run did not finish in time (not a kill).

Operators (each site gives one mutant per operator that applies): ``binop`` (+ ↔ −, * ↔ /, @ → *,
** → *), ``compare`` (flipped: > ↔ <, >= ↔ <=, == ↔ !=), ``boundary`` (> ↔ >=, < ↔ <=), ``call``
(a torch function, tensor method or keyword replaced by its counterpart: max ↔ min, triu ↔ tril, sum ↔ mean, exp ↔ log,
zeros ↔ ones, rand ↔ randn, clamp(max=) ↔ clamp(min=), ...), ``constant`` (n → n + 1, x → 2x, 0.0 →
1.0, True ↔ False), ``dim`` (a dimension argument moved: d → d − 1 for negative d, d + 1 else, d = 1
→ 0), ``swap`` (the first two positional arguments of a call — unless one is a literal, which would only
make a TypeError —, or the operands of a non-commutative − / @ / ÷, swapped), ``negate`` (unary minus dropped), ``zero`` (a non-zero number → 0). Skipped, because a mutant there tests
nothing a claim could see: docstrings; preconditions (``assert`` statements, guards ``if bad: raise``
and the ``_check*`` validation helpers and calls to them: a claim runs valid inputs, refusals are
tested by the unit tests); the ``-1`` of ``reshape``/``view`` (the "infer" marker); f-strings (messages); type annotations; ``__all__``; defaults in function signatures.

Which mutants run is deterministic: all candidates in source order, then a sample per module ranked
by the SHA-256 of each mutant's key (not Python's salted ``hash``, no clock), so the same impl/
source gives the same mutants on every machine and run.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = [
    "Mutant",
    "MutantResult",
    "OPERATORS",
    "candidates",
    "classify",
    "impl_modules",
    "mutants",
    "run_mutant",
    "users",
]

OPERATORS = ("binop", "compare", "constant", "dim", "swap", "negate", "boundary", "call", "zero")

_BINOP_SWAP = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.MatMult: ast.Mult,
    ast.Pow: ast.Mult,
    ast.FloorDiv: ast.Mult,
}
_CMP_FLIP = {
    ast.Gt: ast.Lt,
    ast.Lt: ast.Gt,
    ast.GtE: ast.LtE,
    ast.LtE: ast.GtE,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
}
# Calls whose integer arguments are dimensions (positional or dim=/dims=/axis=).
_DIM_METHODS = {
    "sum", "mean", "var", "std", "softmax", "log_softmax", "transpose", "unsqueeze", "squeeze", "cumsum",
    "amax", "amin", "argmax", "argmin", "max", "min", "norm", "flatten", "size", "logsumexp", "prod",
    "movedim", "swapaxes", "cat", "stack", "split", "chunk", "diagonal", "triu", "tril", "flip", "roll",
}  # fmt: skip
_DIM_KEYWORDS = {"dim", "dims", "axis", "diagonal", "start_dim", "end_dim", "dim0", "dim1"}
_NONCOMMUTATIVE = (ast.Sub, ast.Div, ast.MatMult)
_BOUNDARY = {ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Lt: ast.LtE, ast.LtE: ast.Lt}
# A function or keyword replaced by its counterpart (torch.amax -> torch.amin, clamp(max=) -> clamp(min=)).
_CALL_SWAP = {
    "max": "min", "min": "max", "amax": "amin", "amin": "amax", "maximum": "minimum", "minimum": "maximum",
    "triu": "tril", "tril": "triu", "sum": "mean", "mean": "sum", "sin": "cos", "cos": "sin",
    "exp": "log", "log": "exp", "sqrt": "square", "square": "sqrt", "softmax": "log_softmax",
    "ones": "zeros", "zeros": "ones", "ones_like": "zeros_like", "zeros_like": "ones_like",
    "rand": "randn", "randn": "rand", "uniform_": "normal_", "normal_": "uniform_",
}  # fmt: skip


@dataclass(frozen=True)
class Mutant:
    """One wrong version of an impl/ module: where, what changed, and the mutated source."""

    module: str  # "residual" (impl/residual.py)
    operator: str  # one of OPERATORS
    function: str  # enclosing function or class ("<module>" at top level)
    line: int
    original: str  # the source segment before ...
    mutated: str  # ... and after
    occurrence: int  # how many earlier candidates in ``function`` share (operator, original, mutated)
    source: str = field(repr=False, compare=False)

    @property
    def key(self) -> str:
        """A stable name that survives edits elsewhere in the file (no line number in it)."""
        return f"{self.module}:{self.function}:{self.operator}:{self.original} -> {self.mutated}#{self.occurrence}"

    def describe(self) -> str:
        return f"impl/{self.module}.py:{self.line} in {self.function}: {self.operator} `{self.original}` → `{self.mutated}`"


def impl_dir() -> Path:
    from dlproofs import impl

    return Path(impl.__file__).resolve().parent


def impl_modules() -> list[str]:
    """Every module of impl/ (sorted), without the package's __init__."""
    return sorted(p.stem for p in impl_dir().glob("*.py") if not p.stem.startswith("_"))


def _skipped_nodes(tree: ast.Module) -> set[int]:
    """ids of nodes never mutated: docstrings, asserts, f-strings, annotations, __all__, signature defaults."""
    skip: set[int] = set()

    def drop(node: ast.AST | None) -> None:
        if node is not None:
            skip.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                drop(first)
        if isinstance(node, (ast.Assert, ast.JoinedStr, ast.Import, ast.ImportFrom)):
            drop(node)
        if isinstance(node, ast.If) and len(node.body) == 1 and isinstance(node.body[0], ast.Raise) and not node.orelse:
            drop(node)  # a guard: `if bad: raise ...`
        if isinstance(node, ast.FunctionDef) and node.name.startswith("_check"):
            drop(node)  # a validation helper (asserts and guards only)
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Call)
            and _call_name(node.value).startswith("_check")
        ):
            drop(node)  # and the calls to it
        if isinstance(node, ast.Call) and _call_name(node) in ("reshape", "view"):
            for a in node.args:
                if _int_value(a) == -1:
                    drop(a)  # -1 is "infer this size", not a number: any other value only raises
        if isinstance(node, ast.AnnAssign):
            drop(node.annotation)
        if isinstance(node, ast.arg):
            drop(node.annotation)
        if isinstance(node, ast.FunctionDef):
            drop(node.returns)
            drop(node.args)
            for deco in node.decorator_list:
                drop(deco)
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            drop(node)
    return skip


def _call_name(call: ast.Call) -> str:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def _int_value(node: ast.AST) -> int | None:
    """The int a node spells (``1``, ``-1``), else None."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
        v = node.operand.value
        return -v if type(v) is int else None
    return None


def _torch_call(call: ast.Call) -> bool:
    """A tensor method or torch function (``x.sum()``, ``torch.exp(x)``), not a builtin or ``math.*``: only
    those have the counterpart the ``call`` operator swaps in."""
    f = call.func
    return isinstance(f, ast.Attribute) and not (isinstance(f.value, ast.Name) and f.value.id == "math")


def _literal(node: ast.AST) -> bool:
    """A number, string or ``float('-inf')``: swapped with a tensor argument it only makes a TypeError."""
    if _int_value(node) is not None or isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant):
        return True
    return isinstance(node, ast.Call) and _call_name(node) == "float"


def _moved_dim(d: int) -> int:
    return d - 1 if d < 0 else 0 if d == 1 else d + 1


def _sites(tree: ast.Module) -> Iterator[tuple[str, ast.AST, str, object]]:
    """(operator, node, function, change) for every mutable site, in source order."""
    skip = _skipped_nodes(tree)
    owner: dict[int, str] = {}
    for node in ast.walk(tree):  # breadth first: an inner def is seen after its outer one and wins
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            for sub in ast.walk(node):
                if sub is not node:
                    owner[id(sub)] = node.name
    dim_args: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and id(node) not in skip:
            if _call_name(node) in _DIM_METHODS:
                dim_args.update(id(a) for a in node.args if _int_value(a) is not None)
            dim_args.update(
                id(k.value) for k in node.keywords if k.arg in _DIM_KEYWORDS and _int_value(k.value) is not None
            )
    for node in ast.walk(tree):  # the 1 of a dim -1 is the dim operator's, not a constant
        if id(node) in dim_args and isinstance(node, ast.UnaryOp):
            skip.add(id(node.operand))
    found = []
    for node in ast.walk(tree):
        if id(node) in skip or not hasattr(node, "lineno"):
            continue
        fn = owner.get(id(node), "<module>")
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOP_SWAP:
            found.append(("binop", node, fn, _BINOP_SWAP[type(node.op)]))
            if isinstance(node.op, _NONCOMMUTATIVE):
                found.append(("swap", node, fn, None))
        elif isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _CMP_FLIP:
            found.append(("compare", node, fn, _CMP_FLIP[type(node.ops[0])]))
            if type(node.ops[0]) in _BOUNDARY:
                found.append(("boundary", node, fn, _BOUNDARY[type(node.ops[0])]))
        if isinstance(node, ast.Call):
            name = _call_name(node)
            if name in _CALL_SWAP and _torch_call(node):
                found.append(("call", node, fn, ("func", _CALL_SWAP[name])))
            for k in node.keywords:
                if k.arg in ("min", "max"):
                    found.append(("call", node, fn, ("keyword", k.arg)))
        if (
            isinstance(node, ast.Call)
            and len(node.args) >= 2
            and not any(isinstance(a, ast.Starred) for a in node.args[:2])
        ):
            first, second = node.args[0], node.args[1]
            if ast.dump(first) != ast.dump(second) and not (_literal(first) or _literal(second)):
                found.append(("swap", node, fn, None))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and _int_value(node) is None:
            found.append(("negate", node, fn, None))
        if id(node) in dim_args:
            found.append(("dim", node, fn, _moved_dim(_int_value(node))))
        elif isinstance(node, ast.Constant) and type(node.value) in (int, float, bool):
            found.append(("constant", node, fn, None))
            if type(node.value) in (int, float) and node.value != 0:
                found.append(("zero", node, fn, None))
    found.sort(key=lambda s: (s[1].lineno, s[1].col_offset, OPERATORS.index(s[0])))
    yield from found


def _apply(node: ast.AST, operator: str, change: object) -> ast.AST:
    """A mutated copy of ``node``."""
    new = copy.deepcopy(node)
    if operator == "binop":
        new.op = change()
    elif operator in ("compare", "boundary"):
        new.ops = [change()]
    elif operator == "call" and change[0] == "func":
        if isinstance(new.func, ast.Attribute):
            new.func.attr = change[1]
        else:
            new.func.id = change[1]
    elif operator == "call":
        for k in new.keywords:
            if k.arg == change[1]:
                k.arg = _CALL_SWAP[k.arg]
    elif operator == "swap" and isinstance(new, ast.BinOp):
        new.left, new.right = new.right, new.left
    elif operator == "swap":
        i, j = (1, 2) if _call_name(new) == "where" and len(new.args) == 3 else (0, 1)
        new.args[i], new.args[j] = new.args[j], new.args[i]
    elif operator == "negate":
        new = new.operand
    elif operator == "dim":
        new = ast.Constant(change) if change >= 0 else ast.UnaryOp(ast.USub(), ast.Constant(-change))
    elif operator == "zero":
        new.value = type(new.value)(0)
    elif operator == "constant":
        v = new.value
        new.value = (not v) if type(v) is bool else v + 1 if type(v) is int else v * 2 if v != 0 else 1.0
    return ast.copy_location(new, node)


class _Replace(ast.NodeTransformer):
    def __init__(self, target: ast.AST, replacement: ast.AST):
        self.target, self.replacement = target, replacement

    def generic_visit(self, node: ast.AST) -> ast.AST:
        if node is self.target:
            return self.replacement
        return super().generic_visit(node)


def candidates(module: str, source: str | None = None) -> list[Mutant]:
    """Every mutant of impl/<module>.py the operators give, in source order (deterministic)."""
    if source is None:
        source = (impl_dir() / f"{module}.py").read_text()
    sites = list(_sites(ast.parse(source)))
    out: list[Mutant] = []
    seen: dict[tuple, int] = {}
    for i, (operator, node, fn, change) in enumerate(sites):
        original = ast.unparse(node)
        replacement = _apply(node, operator, change)
        mutated = ast.unparse(replacement)
        if mutated == original:
            continue
        tree = ast.parse(source)  # a fresh tree per mutant: the transformer rewrites parents in place
        target = list(_sites(tree))[i][1]
        text = ast.unparse(_Replace(target, _apply(target, operator, change)).visit(tree))
        try:
            compile(text, f"impl/{module}.py", "exec")
        except SyntaxError:  # e.g. clamp(min=a, max=b) -> clamp(min=a, min=b)
            continue
        ident = (fn, operator, original, mutated)
        k = seen.get(ident, 0)
        seen[ident] = k + 1
        out.append(Mutant(module, operator, fn, node.lineno, original, mutated, k, text))
    return out


def mutants(module: str, per_module: int = 8, source: str | None = None) -> list[Mutant]:
    """A deterministic sample of ``per_module`` candidates, spread over the operators: round robin
    over OPERATORS, each operator's candidates ranked by the SHA-256 of their key (no line numbers
    in it), so an edit elsewhere in the file leaves the others' ranks alone. In source order."""
    pool = candidates(module, source)
    by_op = {
        op: sorted((m for m in pool if m.operator == op), key=lambda m: hashlib.sha256(m.key.encode()).hexdigest())
        for op in OPERATORS
    }
    chosen: list[Mutant] = []
    while len(chosen) < min(per_module, len(pool)):
        for op in OPERATORS:
            if by_op[op] and len(chosen) < per_module:
                chosen.append(by_op[op].pop(0))
    return sorted(chosen, key=lambda m: (m.line, m.key))


# ── who uses a module ──────────────────────────────────────────────────────────────────────────


def _imported(path: Path, package: str) -> set[str]:
    """Modules of ``dlproofs.<package>`` that the file imports (``import dlproofs.impl.x as y``,
    ``from dlproofs.impl.x import f``, ``from dlproofs.impl import x``)."""
    prefix = f"dlproofs.{package}"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            if name.startswith(prefix + "."):
                out.add(name[len(prefix) + 1 :].split(".")[0])
    return out


def users(module: str) -> list[str]:
    """The topics (derivations/ modules with CLAIMS) whose claims can run impl/<module>.py: those
    importing it, or an impl/ module that imports it, or a derivations/ module that does (closure)."""
    from dlproofs import derivations

    der_dir = Path(derivations.__file__).resolve().parent
    impl_imports = {m: _imported(impl_dir() / f"{m}.py", "impl") for m in impl_modules()}
    affected = {module}
    while True:
        more = {m for m, deps in impl_imports.items() if deps & affected} - affected
        if not more:
            break
        affected |= more
    der_files = {p.stem: p for p in der_dir.glob("*.py") if p.stem != "__init__"}
    der_imports = {name: _imported(p, "derivations") for name, p in der_files.items()}
    touched = {name for name, p in der_files.items() if _imported(p, "impl") & affected}
    while True:
        more = {n for n, deps in der_imports.items() if deps & touched} - touched
        if not more:
            break
        touched |= more
    return sorted(n for n in touched if not n.startswith("_"))


# ── running one mutant ─────────────────────────────────────────────────────────────────────────

# "raised TypeError: ..." (a reference raising inside a numeric search, dlproofs.numeric.run_check)
# or "the run raised ValueError: ..." (a counterexample's run, dlproofs.check.check_counterexample).
_RAISED = re.compile(r"\braised [A-Za-z_][\w.]*(?::|$)", re.MULTILINE)


def failure_kind(text: str) -> str:
    """'raised' when a failure report says code raised, else 'value' (a compared value or shape,
    a property, a counterexample, a planted formula that passed)."""
    return "raised" if _RAISED.search(text) else "value"


@dataclass(frozen=True)
class MutantResult:
    key: str
    module: str
    operator: str
    line: int
    description: str
    outcome: str  # killed | raised | escaped | survived | timeout | equivalent
    claims_run: int
    detail: str  # the killing claim and its report (first lines), or what raised, or ""
    seconds: float


def classify(report: dict) -> tuple[str, str]:
    """(outcome, detail) from the child's report: ``{"import_error": str|None, "crash": str|None, "claims": [{"id",
    "holds", "failures": [{"kind": "value"|"raised", "text"}], "escaped": str|None}], "timeout": bool}``.

    killed: some claim failed with a value-kind failure (the only kind that counts). raised: claims failed only
    because a reference or a counterexample run raised inside a check (the engine caught it and reported the case).
    escaped: an exception escaped the engine (a claim's check crashed, the run died, the mutant does not import).
    survived: every claim held. timeout: no answer in time."""
    if report.get("timeout"):
        return "timeout", report.get("detail", "")
    if report.get("import_error"):
        return "escaped", f"the mutant does not import: {report['import_error']}"
    raised, escaped = [], []
    for c in report.get("claims", []):
        for f in c.get("failures", []):
            if f["kind"] == "value":
                return "killed", f"{c['id']}: {_first_lines(f['text'])}"
            raised.append(f"{c['id']}: {_first_lines(f['text'])}")
        if c.get("escaped"):
            escaped.append(f"{c['id']}: exception escaped the engine: {c['escaped']}")
    if report.get("crash"):
        escaped.append(f"the run crashed: {report['crash']}")
    if raised:
        return "raised", raised[0]
    if escaped:
        return "escaped", escaped[0]
    return "survived", ""


def _first_lines(text: str, n: int = 3, width: int = 300) -> str:
    return " | ".join(line.strip() for line in text.strip().splitlines()[:n])[:width]


_CHILD = r"""
import json, sys, traceback
job = json.load(open(sys.argv[1]))
out = {"import_error": None, "claims": [], "crash": None}
def emit():
    with open(job["report"], "w") as fh:
        json.dump(out, fh)
import dlproofs.impl
name = "dlproofs.impl." + job["module"]
import importlib.util
spec = importlib.util.spec_from_loader(name, loader=None, origin=job["origin"])
mod = importlib.util.module_from_spec(spec)
mod.__file__ = job["origin"]
sys.modules[name] = mod
setattr(dlproofs.impl, job["module"], mod)
try:
    exec(compile(job["source"], job["origin"], "exec"), mod.__dict__)
except BaseException as exc:
    out["import_error"] = f"{type(exc).__name__}: {exc}"
    emit()
    sys.exit(0)
from dlproofs.impl_mutants import claim_failures, relevance, without_shrinking
if job.get("returns_only"):
    from dlproofs.impl_mutants import substitute_raises
    out["calls"] = substitute_raises(mod, job["origin"])
try:
    without_shrinking()
    from dlproofs.check import check_claim
    from dlproofs.registry import select
    claims = select(job["topics"])
    claims.sort(key=lambda c: -relevance(c, job["module"], job["function"]))
except BaseException as exc:
    out["crash"] = f"{type(exc).__name__}: {exc}"
    emit()
    sys.exit(0)
if job.get("only"):
    claims = [c for c in claims if c.id in job["only"]]
from dlproofs.impl_mutants import check_claims
check_claims(claims, lambda c: check_claim(c, profile=job["profile"]), job["stop_early"], out["claims"], emit)
emit()
"""


def check_claims(claims, check, stop_early: bool, entries: list, emit=lambda: None) -> list:
    """Check each claim (``check(claim)`` gives a ClaimResult) and append its entry to ``entries`` (``emit``
    after each, so a run that dies still reports what it found). ``stop_early`` stops at the first claim
    that kills by VALUE; a claim that failed only because code raised (caught inside a check, or escaping
    ``check``) does not stop the run: a later claim may still compare a wrong value (brief of issue 13)."""
    for claim in claims:
        entry = {"id": claim.id, "holds": True, "failures": [], "escaped": None}
        try:
            result = check(claim)
            entry["holds"] = result.holds
            entry["failures"] = claim_failures(result)
        except Exception as exc:  # noqa: BLE001 - recorded as "escaped" (not a kill), the run goes on
            entry["holds"] = False
            entry["escaped"] = f"{type(exc).__name__}: {exc}"[:500]
        entries.append(entry)
        emit()
        if stop_early and any(f["kind"] == "value" for f in entry["failures"]):
            break  # a value kill: no later claim can change the outcome
    return entries


def _trial_copy(obj):
    """A copy for a trial call that leaves nothing behind: tensors cloned (detached, same requires_grad), random
    generators at the same state, modules and containers copied; what cannot be copied is passed as it is."""
    import torch

    if isinstance(obj, torch.Tensor):
        return obj.detach().clone().requires_grad_(obj.requires_grad)
    if isinstance(obj, (list, tuple)):
        items = [_trial_copy(o) for o in obj]
        return type(obj)(*items) if hasattr(obj, "_fields") else type(obj)(items)
    if isinstance(obj, dict):
        return {k: _trial_copy(v) for k, v in obj.items()}
    try:
        return copy.deepcopy(obj)
    except Exception:  # noqa: BLE001 - not copyable (e.g. a non-leaf tensor inside): the trial shares it
        return obj


def substitute_raises(mutated, origin: str) -> dict:
    """Verification mode for a crash-only claim (``run_mutant(returns_only=True)``): every function and method of
    the mutated module is wrapped so that a call on which the mutant RAISES returns what the unmutated code returns
    on the same arguments, and a call on which it returns keeps the mutant's value. The checks then compare the
    mutant's values wherever it returns one: if no check fails, the mutant gave no wrong value on any case the
    checks drew — the documented "raises on every valid input where it differs" holds there.

    Whether the mutant raises is decided by a trial call on copies of the arguments (:func:`_trial_copy`) with every
    torch dispatch mode switched off: a call that raised half-way must not leave its traces in what a check measures
    (FLOPs counted by ``FlopCounterMode``, draws taken from a seeded generator). Returns live counters per function
    or method name, ``{name: {"returned": n, "raised": n}}``, counted at the outermost wrapped call (the callees of a
    trial run plainly); a run in which no call raised would mean the mutant is not crash-only on these cases."""
    import functools
    import importlib.util
    import inspect

    from torch.utils._python_dispatch import _disable_current_modes

    spec = importlib.util.spec_from_file_location(f"_dlproofs_unmutated_{Path(origin).stem}", origin)
    original = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(original)
    calls: dict[str, dict[str, int]] = {}
    trial = [False]  # inside a trial call, wrapped callees run plainly (no nested trials, no counting)

    def wrap(name, fn, unmutated):
        @functools.wraps(fn)
        def call(*args, **kwargs):
            if trial[0]:
                return fn(*args, **kwargs)
            count = calls.setdefault(name, {"returned": 0, "raised": 0})
            trial[0], raises = True, False
            try:
                with _disable_current_modes():
                    fn(*_trial_copy(args), **_trial_copy(kwargs))
            except Exception:  # noqa: BLE001 - the mutant raises here: answer with the unmutated value
                raises = True
            finally:
                trial[0] = False  # before the real call: its callees are wrapped again
            count["raised" if raises else "returned"] += 1
            return (unmutated if raises else fn)(*args, **kwargs)

        return call

    for name, obj in list(vars(mutated).items()):
        if inspect.isfunction(obj) and obj.__module__ == mutated.__name__:
            setattr(mutated, name, wrap(name, obj, getattr(original, name)))
        elif inspect.isclass(obj) and obj.__module__ == mutated.__name__:
            for meth, fn in list(vars(obj).items()):
                if inspect.isfunction(fn):  # self is passed through: the unmutated method runs on the same object
                    setattr(obj, meth, wrap(meth, fn, getattr(getattr(original, name), meth)))
    return calls


def without_shrinking() -> None:
    """Drop Hypothesis's shrink (and explain) phases from every profile, in the mutant's process only: the cases
    drawn and the pass/fail of every check are the same, a failure is just reported on the case where it was
    found rather than a minimal one (shrinking a killed mutant's counterexample is most of its run time)."""
    from hypothesis import Phase, settings

    from dlproofs import profiles

    keep = [p for p in Phase if p.name not in ("shrink", "explain")]
    for name, prof in list(profiles.PROFILES.items()):
        profiles.PROFILES[name] = settings(prof, phases=keep)


def relevance(claim, module: str, function: str) -> int:
    """How directly a claim's numeric checks name the mutated code (2: the function, 1: the module), so that
    the claims most likely to kill a mutant run first (the run stops at the first value kill; order changes no
    outcome)."""
    text = " ".join(
        [claim.id]
        + [str(getattr(c, "name", "")) for c in claim.numeric]
        + [str(k) for c in claim.numeric for k in (getattr(c, "references", None) or {})]
    )
    if function and not function.startswith("_") and re.search(rf"\b{re.escape(function)}\b", text):
        return 2
    return 1 if re.search(rf"\b(impl\.)?{re.escape(module)}\b", text) else 0


def claim_failures(result) -> list[dict]:
    """Every failing piece of a ClaimResult, each with its kind ('value' or 'raised') and text."""
    out: list[dict] = []
    if result.holds:
        return out
    for d in result.derivations:
        if not d.ok:
            out.append({"kind": "value", "text": f"derivation {d.name} does not hold"})
    for r in result.numeric:
        if not r.ok:
            text = r.report or f"numeric check {r.name!r} failed"
            out.append({"kind": failure_kind(text), "text": text})
    for c in result.counterexamples:
        if not c.confirmed:
            text = f"counterexample not confirmed: {c.description} ({c.detail})"
            out.append({"kind": failure_kind(c.detail), "text": text})
        elif c.violates_premise is False:
            out.append({"kind": "value", "text": f"counterexample no longer violates the premise: {c.description}"})
    if not out:  # the evidence gave another verdict than the record with nothing failing (e.g. undecided)
        out.append({"kind": "value", "text": f"computed verdict differs from the record: {result.problem}"})
    return out


# Address-space cap of a mutant's process: a mutant can turn a size into a product of sizes (relu_stack_ratios with
# count and width swapped asked for 18 GB on a 23 GB machine shared by other sessions); under the cap the
# allocation fails inside the check (torch raises: "raised", not a kill) instead of exhausting the machine.
MEMORY_LIMIT = 6 * 2**30


def _cap_memory(limit: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_mutant(
    mutant: Mutant,
    topics: Sequence[str] | None = None,
    *,
    profile: str = "ci",
    timeout: float = 1800,
    stop_early: bool = True,
    only: Sequence[str] | None = None,
    memory_limit: int | None = MEMORY_LIMIT,
    returns_only: bool = False,
) -> MutantResult:
    """Check ``topics`` (default :func:`users`) with ``mutant`` installed as its impl/ module, in a
    fresh ``sys.executable`` process (one process, no cache); ``stop_early`` ends at the first claim that
    kills it by value (claims run most relevant first); a claim that failed only by an exception (raised or
    escaped) does not stop the run, so a later claim can still kill the mutant by value and the outcome is the
    best kind found (:func:`classify`). ``only`` restricts to those claim ids (tests); ``memory_limit`` caps the
    process's address space (:data:`MEMORY_LIMIT`). ``returns_only`` verifies a documented crash-only mutant
    (:func:`substitute_raises`): outcome ``survived`` = no wrong value wherever it returned; the detail gives the
    counts of outermost calls into the module that returned and that raised (a raise is counted at the outermost
    wrapped call: a precondition helper or a caller may be where the mutant's wrong size makes it raise)."""
    import time

    topics = list(topics) if topics is not None else users(mutant.module)
    topics.sort(key=lambda t: t != mutant.module)  # the module's own topic first: it kills soonest
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dlproofs-mutant-") as tmp:
        job_path, report_path = Path(tmp) / "job.json", Path(tmp) / "report.json"
        job = {
            "module": mutant.module,
            "function": mutant.function,
            "origin": str(impl_dir() / f"{mutant.module}.py"),
            "source": mutant.source,
            "topics": topics,
            "profile": profile,
            "stop_early": stop_early,
            "only": list(only) if only else None,
            "returns_only": returns_only,
            "report": str(report_path),
        }
        job_path.write_text(json.dumps(job))
        env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        env.pop("HYPOTHESIS_PROFILE", None)
        try:
            proc = subprocess.run(
                [sys.executable, "-c", _CHILD, str(job_path)],
                capture_output=True,
                text=True,
                timeout=timeout,
                env=env,
                cwd=tmp,
                preexec_fn=(lambda: _cap_memory(memory_limit)) if memory_limit else None,
            )
            report = json.loads(report_path.read_text()) if report_path.exists() else {}
            if proc.returncode != 0:
                tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
                report["crash"] = f"exit status {proc.returncode}: {tail}"
        except subprocess.TimeoutExpired:
            report = {"timeout": True, "detail": f"no result within {timeout:g} s"}
    outcome, detail = classify(report)
    if returns_only and "calls" in report:
        returned, raised = (sum(c[k] for c in report["calls"].values()) for k in ("returned", "raised"))
        detail = f"outermost calls into impl/{mutant.module}.py: {returned} returned, {raised} raised" + (
            f"; {detail}" if detail else ""
        )
    return MutantResult(
        mutant.key,
        mutant.module,
        mutant.operator,
        mutant.line,
        mutant.describe(),
        outcome,
        len(report.get("claims", [])),
        detail,
        round(time.perf_counter() - start, 1),
    )


def result_dict(r: MutantResult) -> dict:
    return asdict(r)


# ── is every function of impl/ used by a claim? ────────────────────────────────────────────────


def _public(source: str) -> list[str]:
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return [e.value for e in node.value.elts if isinstance(e, ast.Constant)]
    return []


def _definition(source: str, name: str) -> str:
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
            return ast.get_source_segment(source, node) or ""
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.get_source_segment(source, node) or ""
    return ""


def unused_impl_names(impl_sources: dict[str, str] | None = None, derivation_sources: dict[str, str] | None = None):
    """Public names (``__all__``) of impl/ modules that no claim reaches: not referenced from derivations/ (as
    ``alias.name`` of ``import dlproofs.impl.<m> as alias`` or ``from dlproofs.impl.<m> import name``), nor from the
    definition of an impl/ name that is (closure). Sorted ``(module, name)`` pairs."""
    if impl_sources is None:
        impl_sources = {m: (impl_dir() / f"{m}.py").read_text() for m in impl_modules()}
    if derivation_sources is None:
        from dlproofs import derivations

        der_dir = Path(derivations.__file__).resolve().parent
        derivation_sources = {p.stem: p.read_text() for p in der_dir.glob("*.py")}
    names = {(m, n) for m, src in impl_sources.items() for n in _public(src)}
    used: set[tuple[str, str]] = set()
    for m, n in names:
        for text in derivation_sources.values():
            aliases = re.findall(rf"import dlproofs\.impl\.{m} as (\w+)", text)
            if any(re.search(rf"\b{a}\.{n}\b", text) for a in aliases) or re.search(
                rf"from dlproofs\.impl\.{m} import [^\n]*\b{n}\b", text
            ):
                used.add((m, n))
    grew = True
    while grew:
        grew = False
        for m, n in sorted(names - used):
            for um, un in sorted(used):
                same_or_imports = um == m or re.search(rf"dlproofs\.impl\.{m}\b", impl_sources[um])
                if same_or_imports and re.search(rf"\b{n}\b", _definition(impl_sources[um], un)):
                    used.add((m, n))
                    grew = True
                    break
    return sorted(names - used)
