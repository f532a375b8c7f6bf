"""How ``dlproofs conform`` runs an optimizer class: one declared convention per contract.

An optimizer (a ``torch.optim.Optimizer`` subclass, or a hand-written ``class Adam`` with a
``step()``) cannot be called like a function: it is constructed on parameters with
hyper-parameters, fed gradients through ``.grad``, and stepped. An :class:`OptimizerConvention`
says how, for one contract whose inputs are a trajectory ``theta0[P], grads[T, P], <hyper-parameters>``;
nothing is guessed from attribute names. A contract declares it in ``Contract.optimizer``;
:func:`adapt` (called by :func:`dlproofs.conform.conform` before its interface probe) turns an
optimizer class into a function with the contract's signature, and says so in the report.

The convention, for the Adam/AdamW contracts (:data:`ADAM`)::

    p = torch.nn.Parameter(theta0.clone())               # float64, one parameter of P entries
    opt = cls([p], lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=weight_decay)
    for g in grads:                                       # T steps from a fresh (zero) state
        p.grad = g.clone(); opt.step()
    return p.detach()                                     # θ_T

For the one-step L2 contract ``reg.l2.update`` (:data:`SGD_L2`, ``fn(theta, grad, lr, lam)``)::

    p = torch.nn.Parameter(theta.clone()); opt = cls([p], lr=lr, weight_decay=lam)
    p.grad = grad.clone(); opt.step(); return p.detach()   # θ − lr(grad + lam·θ): torch.optim.SGD as shipped

An optimizer's own keyword arguments (SGD's ``foreach``, ``momentum``) are declared with a build template
(``--build 'cls(params, lr=lr, weight_decay=lam, foreach=True)'``, :func:`dlproofs.calling.parse`), where
``params`` stands for the parameter list ``[p]`` and the other names are the contract's inputs; a template
that does not pass ``params`` is refused (the optimizer would step something else).

Both this convention and :class:`~dlproofs.module_targets.ModuleConvention` satisfy
:class:`TargetConvention`: a one-line ``describe`` for reports, and a way to build what is called.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import torch

__all__ = ["TargetConvention", "OptimizerConvention", "ADAM", "SGD_L2", "PARAMS", "adapt"]

PARAMS = "params"  # the name a build template uses for the parameter list [p]


@runtime_checkable
class TargetConvention(Protocol):
    """What a declared construction convention offers (module and optimizer conventions alike)."""

    describe: str


@dataclass(frozen=True)
class OptimizerConvention:
    """Construct an optimizer class on one parameter and step it through a trajectory.

    ``init_kwargs(inputs) -> kwargs``: the constructor's keyword arguments after the parameter list
    (e.g. lr, betas, eps, weight_decay from the contract's inputs). ``theta``/``grads``: the names of
    the contract inputs holding θ₀ [P] and the gradients [T, P]; ``order``: the contract's input names in call
    order (the adapted function takes them positionally). ``describe``: one line for reports.
    """

    init_kwargs: Callable[[dict[str, Any]], dict[str, Any]]
    describe: str
    theta: str = "theta0"
    grads: str = "grads"
    order: tuple[str, ...] = ("theta0", "grads", "lr", "beta1", "beta2", "eps", "weight_decay")  # positional inputs
    one_step: bool = False  # True: ``grads`` names one gradient shaped like θ (one step), not a [T, P] trajectory

    def run(
        self, cls: type, inputs: dict[str, Any], interface_error: type[Exception], build: Any = None
    ) -> torch.Tensor:
        """θ_T: build ``cls`` by the convention (or by the ``build`` template, ``params`` = [p]) and step it once
        per gradient row (once, for a one-step convention)."""
        p = torch.nn.Parameter(inputs[self.theta].detach().clone())
        kwargs = self.init_kwargs(inputs) if build is None else {}
        try:
            opt = cls([p], **kwargs) if build is None else build(cls, {**inputs, PARAMS: [p]})
        except Exception as exc:
            shown = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
            how = f"{cls.__qualname__}([p], {shown})" if build is None else f"--build {build.text}"
            raise interface_error(
                f"constructing {how} raised {type(exc).__name__}: {exc}; the optimizer "
                f"convention is {self.describe}; give the class that constructor, declare its arguments with "
                f"--build 'cls({PARAMS}, ...)', or wrap it in a function with the contract's signature"
            ) from None
        if not callable(getattr(opt, "step", None)):
            raise interface_error(
                f"{cls.__qualname__} has no step() method; the optimizer convention is {self.describe}"
            )
        for g in [inputs[self.grads]] if self.one_step else inputs[self.grads]:
            p.grad = g.detach().clone()
            opt.step()
        return p.detach().clone()


ADAM = OptimizerConvention(
    init_kwargs=lambda inp: {
        "lr": inp["lr"],
        "betas": (inp["beta1"], inp["beta2"]),
        "eps": inp["eps"],
        "weight_decay": inp["weight_decay"],
    },
    describe=(
        "cls([p], lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=weight_decay) on p = nn.Parameter(theta0) "
        "(float64); per row g of grads: p.grad = g, step(); θ_T = p"
    ),
)


SGD_L2 = OptimizerConvention(
    init_kwargs=lambda inp: {"lr": inp["lr"], "weight_decay": inp["lam"]},
    describe=(
        "cls([p], lr=lr, weight_decay=lam) on p = nn.Parameter(theta) (float64); p.grad = grad, one step(); "
        "θ' = p (torch.optim.SGD's coupled L2 weight decay)"
    ),
    theta="theta",
    grads="grad",
    order=("theta", "grad", "lr", "lam"),
    one_step=True,
)


def _is_optimizer_class(fn: Any) -> bool:
    """A class that is not an nn.Module and has a step() (a torch.optim.Optimizer subclass or a hand-written one)."""
    return (
        isinstance(fn, type)
        and not issubclass(fn, torch.nn.Module)
        and (issubclass(fn, torch.optim.Optimizer) or callable(getattr(fn, "step", None)))
    )


def adapt(contract: Any, fn: Any, interface_error: type[Exception], build: str | None = None) -> tuple[Any, str]:
    """(the callable conform runs, a phrase for the report): an optimizer class becomes a function with the
    contract's signature by the contract's declared convention (constructed by ``build``, a ``--build``
    template over the contract's inputs and ``params``, when given); anything else is returned unchanged
    with ''. Whether ``build`` was used here: :func:`takes_build`.

    An optimizer *instance* is refused (exit 2): it is already bound to its own parameters and state."""
    convention: OptimizerConvention | None = getattr(contract, "optimizer", None)
    if isinstance(fn, torch.optim.Optimizer):
        raise interface_error(
            f"{type(fn).__qualname__} is an optimizer instance, bound to its own parameters and state; pass the class "
            + (f"(the convention: {convention.describe})" if convention else "")
        )
    if not _is_optimizer_class(fn):
        return fn, ""
    if convention is None:
        return fn, ""  # not an optimizer contract: the class is called as the contract calls any callable
    names = convention.order
    template = _build_template(build, convention, interface_error) if build is not None else None

    def run(*args: Any) -> torch.Tensor:
        return convention.run(fn, dict(zip(names, args)), interface_error, template)

    run.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in names]
    )
    run.__qualname__ = fn.__qualname__
    if template is not None:
        built = f"built per case as {template.text}, {PARAMS} = [p] (the convention: {convention.describe})"
        return run, f"optimizer target: {fn.__qualname__}, {built}"
    return run, f"optimizer target: {fn.__qualname__}, built per case ({convention.describe})"


def takes_build(contract: Any, fn: Any) -> bool:
    """Whether :func:`adapt` consumes a ``--build`` template for ``fn`` (an optimizer class on a contract with an
    optimizer convention): then conform's module path must not see it."""
    return getattr(contract, "optimizer", None) is not None and _is_optimizer_class(fn)


def _build_template(build: str, convention: OptimizerConvention, interface_error: type[Exception]) -> Any:
    """The parsed ``--build`` template of an optimizer class; it must pass ``params`` (the list [p])."""
    import ast

    from .calling import parse

    template = parse(build, option="build", names=(*convention.order, PARAMS))
    used = {node.id for node in ast.walk(ast.parse(template.text, mode="eval")) if isinstance(node, ast.Name)}
    if PARAMS not in used:
        raise interface_error(
            f"--build {template.text} does not pass {PARAMS}, the parameter list [p] the optimizer must step; "
            f"write it as cls({PARAMS}, lr=lr, ...) (the optimizer convention is {convention.describe})"
        )
    return template
