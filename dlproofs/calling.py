"""Declared calls (issue 12: code as shipped): say how to call a target whose signature is not the contract's.

Code in the wild rarely has the contract's signature: CS231n's ``batchnorm_forward(x, gamma, beta,
bn_param)`` takes ε in a dict and returns ``(out, cache)``, ``relu_backward(dout, cache)`` takes its
arguments the other way round, aten's ``threshold_backward(grad_output, self, threshold)`` wants a
threshold, nanoGPT's ``LayerNorm(ndim, bias)`` is not built as ``LayerNorm(D, eps=eps)``. Instead of
a hand-written adapter, the user declares the call as one Python expression over the contract's
inputs, which ``conform`` evaluates per case:

- ``call`` (``--call``): ``f(grad_out, z)``, ``f(x, gamma, beta, {"mode": "train", "eps": eps})``,
  ``f(x, [x.shape[-1]], gamma, beta, eps)``, ``f.forward(x[None], gamma, beta)[0][0]``: ``f`` is the
  target (for a class target built by ``build``, the built object);
- ``build`` (``--build``): ``cls(x.shape[-1], bias=True)``: how a class target is constructed per
  case, instead of its contract's :class:`~dlproofs.module_targets.ModuleConvention` constructor.
  A plain class (not an ``nn.Module``) may be built on any contract (``obj(*inputs)`` unless ``call``
  says how); ``--weights`` sets its attributes, including ones its methods assign later
  (:func:`class_attributes`); numpy code is called with arrays (:func:`plain_arrays`). For an
  optimizer class (:mod:`dlproofs.optim_targets`) the name ``params`` stands for the parameter list.

A template is parsed with :mod:`ast` and refused (exit 2, one line saying what is allowed) unless it
is one call of ``f`` (``cls``), optionally of an attribute of it (``f.forward(...)``), whose
arguments are the contract's inputs, literals, lists/tuples/dicts of these, and attribute or
subscript access on inputs (``x.shape[-1]``, ``x[None]``); a ``call`` may index its result
(``[0]``). No other name, call or operator: a template says how to call the code, never computes
part of the answer (that would be an adapter, with its reason). A numpy target gets the inputs
as arrays before the template runs, as without one.

Two more forms, for code as shipped:

- ``config(key=value, ...)``: a plain attribute namespace (:class:`types.SimpleNamespace`), for
  constructors that read a config object, e.g. nanoGPT's
  ``--build 'cls(config(n_embd=x.shape[-1], n_head=num_heads, bias=True, dropout=0.0, block_size=x.shape[1]))'``.
  Keyword arguments only, each value under the same rules as any argument; allowed in ``--call`` too
  (as dicts are: a function may take its options as a config object).
- the contract's derived values (``Contract.derived``, :mod:`dlproofs.derived`), used like inputs:
  ``--call 'f(x, x, x, attend)'`` with attention.mha's ``attend`` [B, n, n] (True = may attend).
"""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass
from types import CodeType, SimpleNamespace
from typing import Any

import torch

from .conform import ConformError, InterfaceError

__all__ = ["Template", "parse", "OPTIONS", "templates"]

# option -> the name that stands for the target in its template
OPTIONS = {"call": "f", "build": "cls"}
CONFIG = "config"  # config(key=value, ...): a types.SimpleNamespace, for constructors that read a config object


@dataclass(frozen=True)
class Template:
    """A parsed ``call`` or ``build`` template; calling it evaluates it on one case."""

    option: str  # "call" or "build"
    text: str
    callee: str  # "f" or "cls"
    code: CodeType
    method: str | None  # f.forward(...) -> "forward"; None for f(...)
    positional: int  # arguments of the call, for the signature check
    keywords: tuple[str, ...]
    derived: tuple[Any, ...] = ()  # the contract's derived values (dlproofs.derived.Derived) the template uses

    def __call__(self, target: Any, inputs: dict[str, Any]) -> Any:
        """The template's value with ``f`` (``cls``) = ``target``, the inputs and derived values by name."""
        values = {**inputs, **{d.name: d.value(inputs) for d in self.derived}, self.callee: target}
        return eval(self.code, {"__builtins__": {}, CONFIG: SimpleNamespace}, values)  # noqa: S307 (checked AST)

    def check_binds(self, fn: Any, contract_signature: str) -> None:
        """An :class:`InterfaceError` when ``fn``'s signature cannot take the template's arguments."""
        if self.method is not None:
            return  # f.method(...): the method is looked up per case
        try:
            signature = inspect.signature(fn)
        except (TypeError, ValueError):
            return
        try:
            signature.bind(*range(self.positional), **dict.fromkeys(self.keywords))
        except TypeError as exc:
            name = getattr(fn, "__qualname__", type(fn).__qualname__)
            raise InterfaceError(
                f"{name}{signature} cannot be called as --{self.option} {self.text} says: {exc}; "
                f"the contract is {contract_signature}; pass {name}'s arguments in its own order and number"
            ) from None

    def describe(self) -> str:
        uses = "".join(f"; {d.line()}" for d in self.derived)  # derived values: what they hold, in the report
        return f"{'called as' if self.option == 'call' else 'built as'} {self.text}{uses}"


def _allowed(option: str, names: tuple[str, ...]) -> str:
    callee = OPTIONS[option]
    shown = ", ".join(names)
    result = f"; the result may be indexed: {callee}(...)[0]" if option == "call" else ""
    return (
        f"a {option} template is one call of {callee}, e.g. {callee}(...) or {callee}.method(...), whose arguments are "
        f"the contract's inputs ({shown}), literals (0, 1e-5, 'train', None, True), lists/tuples/dicts of these, "
        f"and attributes or subscripts of inputs ({names[0] if names else 'x'}.shape[-1], {names[0] if names else 'x'}[None]), "
        f"and config(key=value, ...) (an attribute namespace, for a constructor that reads a config object){result}"
    )


def parse(text: str, *, option: str, names: tuple[str, ...], derived: tuple[Any, ...] = ()) -> Template:
    """Parse and check a template; refuse anything else with a one-line :class:`ConformError`. ``derived``: the
    contract's derived values (:class:`dlproofs.derived.Derived`), usable by name like inputs."""
    by_name = {d.name: d for d in derived}
    names = (*names, *(n for n in by_name if n not in names))
    if option not in OPTIONS:
        raise ValueError(option)
    callee = OPTIONS[option]
    if not isinstance(text, str):
        raise ConformError(f"--{option} takes a template string, got {type(text).__name__} {text!r}")

    def refuse(problem: str) -> ConformError:
        return ConformError(f"--{option} {text!r}: {problem}; {_allowed(option, names)}")

    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise refuse(f"not a Python expression ({exc.msg})") from None
    node = tree.body
    while option == "call" and isinstance(node, ast.Subscript):  # f(...)[0][1]: an element of the result
        if not (isinstance(node.slice, ast.Constant) and type(node.slice.value) is int) and not _negative(node.slice):
            raise refuse(f"the result can only be indexed by an integer, not [{ast.unparse(node.slice)}]")
        node = node.value
    if not isinstance(node, ast.Call):
        raise refuse(f"{ast.unparse(node)} is not a call of {callee}")
    func, method = node.func, None
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        if func.attr.startswith("__"):
            raise refuse(f"{ast.unparse(func)}: no dunder attributes")
        func, method = func.value, func.attr
    if not (isinstance(func, ast.Name) and func.id == callee):
        raise refuse(f"it calls {ast.unparse(node.func)}, not {callee}")
    for arg in node.args:
        if isinstance(arg, ast.Starred):
            raise refuse(f"no *unpacking ({ast.unparse(arg)})")
        _value(arg, names, callee, refuse)
    for kw in node.keywords:
        if kw.arg is None:
            raise refuse(f"no **unpacking ({ast.unparse(kw)})")
        _value(kw.value, names, callee, refuse)
    code = compile(ast.Expression(body=tree.body), f"<--{option}>", "eval")
    keywords = tuple(kw.arg for kw in node.keywords if kw.arg is not None)
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    uses = tuple(d for name, d in by_name.items() if name in used)
    return Template(option, text.strip(), callee, code, method, len(node.args), keywords, uses)


def _negative(node: ast.AST) -> bool:
    """-1 (a unary minus on an int literal)."""
    return isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant)


def _value(node: ast.AST, names: tuple[str, ...], callee: str, refuse) -> None:
    """An argument: a literal, a container of arguments, an input, or an attribute/subscript of an input."""
    if isinstance(node, ast.Constant):
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        if isinstance(node.operand, ast.Constant) and isinstance(node.operand.value, (int, float, complex)):
            return
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        for elt in node.elts:
            if isinstance(elt, ast.Starred):
                raise refuse(f"no *unpacking ({ast.unparse(elt)})")
            _value(elt, names, callee, refuse)
        return
    if isinstance(node, ast.Dict):
        for key, val in zip(node.keys, node.values):
            if key is None:
                raise refuse(f"no **unpacking ({ast.unparse(val)})")
            _value(key, names, callee, refuse)
            _value(val, names, callee, refuse)
        return
    if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)):
        _access(node, names, callee, refuse)
        return
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == CONFIG:
        _config(node, names, callee, refuse)
        return
    raise refuse(f"{ast.unparse(node)} is {_what(node)}, which a template cannot contain (use an adapter function)")


def _config(node: ast.Call, names: tuple[str, ...], callee: str, refuse) -> None:
    """config(key=value, ...): keyword arguments only, each value an allowed argument."""
    if CONFIG in names:
        raise refuse(f"config(...) is not available: the contract has an input named {CONFIG!r}")
    if node.args:
        raise refuse(f"{ast.unparse(node)}: config(...) takes keyword arguments only (config(n_embd=x.shape[-1], ...))")
    for kw in node.keywords:
        if kw.arg is None:
            raise refuse(f"no **unpacking ({ast.unparse(kw)})")
        _value(kw.value, names, callee, refuse)


def _access(node: ast.AST, names: tuple[str, ...], callee: str, refuse) -> None:
    """An input name, or an attribute or subscript of one (x.shape[-1], x[None], x[:, 0])."""
    if isinstance(node, ast.Name):
        if node.id == callee:
            raise refuse(f"{callee} can only be called, not passed as an argument")
        if node.id not in names:
            raise refuse(f"unknown name {node.id!r} (not one of the contract's inputs)")
        return
    if isinstance(node, ast.Attribute):
        if node.attr.startswith("_"):
            raise refuse(f"{ast.unparse(node)}: no private or dunder attributes")
        _access(node.value, names, callee, refuse)
        return
    if isinstance(node, ast.Subscript):
        _access(node.value, names, callee, refuse)
        parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        for part in parts:
            if isinstance(part, ast.Slice):
                for bound in (part.lower, part.upper, part.step):
                    if bound is not None:
                        _value(bound, names, callee, refuse)
            else:
                _value(part, names, callee, refuse)
        return
    raise refuse(f"{ast.unparse(node)} is {_what(node)}, not an input (attributes and subscripts start at an input)")


_KINDS = {
    ast.Call: "a call",
    ast.BinOp: "arithmetic",
    ast.BoolOp: "a boolean operation",
    ast.Compare: "a comparison",
    ast.Lambda: "a lambda",
    ast.IfExp: "a conditional",
    ast.ListComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.GeneratorExp: "a generator",
    ast.NamedExpr: "an assignment",
    ast.JoinedStr: "an f-string",
    ast.Await: "an await",
}


def _what(node: ast.AST) -> str:
    return _KINDS.get(type(node), f"a {type(node).__name__} expression")


# ── hooks called by conform.interface and conform._ModuleTarget ──────────────────────────────
def templates(
    call: str | None, build: str | None, names: tuple[str, ...], fn: Any, derived: tuple[Any, ...] = ()
) -> tuple[Any, Any]:
    """(call template or None, build template or None), parsed against the contract's input and derived names."""
    call_t = parse(call, option="call", names=names, derived=derived) if call is not None else None
    build_t = parse(build, option="build", names=names, derived=derived) if build is not None else None
    if build_t is not None and not isinstance(fn, type):
        name = getattr(fn, "__qualname__", type(fn).__qualname__)
        raise ConformError(
            f"--build {build_t.text} constructs a class target, but {name} is a {type(fn).__name__}; "
            "point TARGET at the class, or drop --build"
        )
    return call_t, build_t


def build_object(target: Any, inputs: dict[str, Any]) -> Any:
    """Construct ``target.cls`` by its build template on one case. An ``nn.Module`` goes on through
    the convention (float64, parameters loaded, mode); any other object gets the mapped inputs and the
    convention's attributes (ε) set as attributes it already has, and is returned."""
    from .conform import _one_line, _where_raised

    template: Template = target.construct
    cls = target.cls
    try:
        obj = template(cls, inputs)
    except Exception as exc:
        raise InterfaceError(
            f"constructing {cls.__qualname__} as --build {template.text} raised {_one_line(exc)}{_where_raised(exc)}; "
            "give --build the arguments its constructor takes"
        ) from None
    if isinstance(obj, torch.nn.Module):
        return obj
    for attr, name in target.weights.items():
        if not hasattr(obj, attr) and attr not in class_attributes(type(obj)):
            have = ", ".join(a for a in vars(obj) if not a.startswith("_")) or "none"
            named = ", ".join(sorted(class_attributes(type(obj), stored=True) - set(vars(obj)))) or "none"
            raise InterfaceError(
                f"the {type(obj).__qualname__} built by --build {template.text} has no attribute {attr} to load "
                f"{name} into (its attributes: {have}; set later by its methods: {named}); map them with "
                "--weights ATTR=INPUT,..."
            )
        setattr(obj, attr, inputs[name])
    for attr, name in target.convention.attributes.items():
        if hasattr(obj, attr) and not callable(getattr(obj, attr)):
            setattr(obj, attr, inputs[name])
    return obj


def class_attributes(cls: type, *, stored: bool = False) -> frozenset[str]:
    """Attribute names the code of ``cls``'s own methods (and its bases', short of ``object``) reads or assigns
    (``LOAD_ATTR``/``STORE_ATTR`` in their bytecode, nested code included; ``stored``: assigned only). A plain
    class that sets ``self.gamma`` in an ``initialize()`` method has no ``gamma`` until that runs, yet
    ``--weights gamma=gamma`` names an attribute its code uses; a typo (``gamm``) is in no method and is still
    refused."""
    import dis

    ops = {"STORE_ATTR"} if stored else {"STORE_ATTR", "LOAD_ATTR", "LOAD_METHOD"}
    stack = []
    for klass in cls.__mro__:
        if klass is object:
            continue
        for value in vars(klass).values():
            func = value.__func__ if isinstance(value, (staticmethod, classmethod)) else value
            if hasattr(func, "__code__"):
                stack.append(func.__code__)
    names: set[str] = set()
    while stack:
        code = stack.pop()
        names.update(str(ins.argval) for ins in dis.get_instructions(code) if ins.opname in ops)
        stack += [c for c in code.co_consts if isinstance(c, CodeType)]
    return frozenset(n for n in names if not n.startswith("__"))


def describe_module(target: Any) -> str:
    """How a class target is built and called when templates replace its convention's constructor or call."""
    conv = target.convention
    built = target.construct.text if target.construct is not None else conv.describe.split(";")[0]
    loads = ", ".join(f"{p} ← {i}" for p, i in target.weights.items())
    called = target.invoke.text.replace("f", "obj", 1) if target.invoke is not None else conv.called
    mode = ("train mode" if conv.training else "eval mode") if issubclass(target.cls, torch.nn.Module) else ""
    uses = "".join(f"; {d.line()}" for d in target.invoke.derived) if target.invoke is not None else ""
    attrs = ", ".join(f"{a} ← {i}" for a, i in conv.attributes.items())
    attrs = f"attribute {attrs} where the object has one" if attrs else ""
    return "; ".join(filter(None, [f"built as {built}", mode, loads, attrs, f"called as {called}{uses}"]))


def plain_arrays(call: Any, got: Any, exc: BaseException | None, probe: dict[str, Any], arrays: str, kind: str):
    """(call, what it returned on the probe, what it raised, report phrase) for a plain (not ``nn.Module``) class
    built by ``--build``: called with torch tensors, or with float64 numpy arrays (``arrays="numpy"``, or with
    ``"auto"`` when the tensor call raises or returns arrays); a numpy return is compared as a tensor."""
    import dataclasses

    import numpy as np

    from .conform import _attempt

    kind = kind.replace("module target:", "object target:", 1)  # not an nn.Module

    def arrays_out(value: Any) -> bool:
        return isinstance(value, (np.ndarray, np.generic)) or (
            isinstance(value, (tuple, list)) and any(isinstance(v, (np.ndarray, np.generic)) for v in value)
        )

    if arrays == "torch" or (arrays == "auto" and exc is None and not arrays_out(got)):
        return call, got, exc, kind
    as_numpy = dataclasses.replace(call, numpy=True)
    n_got, n_exc = _attempt(as_numpy, probe)
    if arrays == "auto" and n_exc is not None:
        return call, got, exc, kind  # neither runs: report the tensor call's problem
    return as_numpy, _as_tensors(n_got), n_exc, kind + "; numpy object (float64 arrays in, arrays compared as tensors)"


def _as_tensors(value: Any) -> Any:
    import numpy as np

    if isinstance(value, (np.ndarray, np.generic)):
        return torch.from_numpy(np.array(value))
    if isinstance(value, (tuple, list)):
        return type(value)(_as_tensors(v) for v in value)
    return value


def exact_integers(value: Any) -> Any:
    """An integer or bool array/tensor as float64 (a tuple element-wise); anything else unchanged. For contracts
    whose every value is a small integer (``Contract.integer_outputs``: relu'(z) ∈ {0, 1}), where such a return
    is exact: ``np.where(x >= 0, 1, 0)`` is judged on its values, not refused for its dtype."""
    import numpy as np

    if isinstance(value, torch.Tensor) and not value.is_floating_point() and not value.is_complex():
        return value.to(torch.float64)
    if isinstance(value, (np.ndarray, np.generic)) and (
        np.issubdtype(value.dtype, np.integer) or np.issubdtype(value.dtype, np.bool_)
    ):
        return np.asarray(value, dtype=np.float64)
    if isinstance(value, (tuple, list)):
        return type(value)(exact_integers(v) for v in value)
    return value
