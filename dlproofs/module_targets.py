"""How ``dlproofs conform`` builds an ``nn.Module`` target: one declared convention per contract.

A module class cannot be called like a function: it has to be constructed (with sizes and ε the
contract's inputs decide), given the contract's γ and β as its parameters, put in the right mode,
and then called. A :class:`ModuleConvention` says how, for one contract; nothing is guessed from
attribute names. A contract carries one in ``Contract.module``; the conventions of the contracts
defined in ``derivations/`` live here, keyed by claim id (:data:`CONVENTIONS`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import torch

__all__ = ["ModuleConvention", "CONVENTIONS", "convention_for"]


@dataclass(frozen=True)
class ModuleConvention:
    """Construct, load and call an ``nn.Module`` target on one case of a contract.

    ``init_args(inputs) -> (args, kwargs)``: the constructor's arguments; a keyword the
    constructor does not accept is left out (and set as an attribute if it is in ``attributes``).
    ``weights``: module parameter name -> contract input name; the module must have exactly these
    parameters (a tensor whose entry count matches is reshaped to the parameter's shape, e.g. γ[C]
    into a [1, C] parameter). ``attributes``: attribute name -> input name, set after construction
    where the module has that attribute (e.g. ``eps``). ``training``: the mode it is called in.
    ``call(module, inputs)``: the forward call. ``describe``: one line for reports.
    """

    init_args: Callable[[dict[str, Any]], tuple[tuple[Any, ...], dict[str, Any]]]
    weights: Mapping[str, str]
    call: Callable[[torch.nn.Module, dict[str, Any]], Any]
    describe: str
    attributes: Mapping[str, str] = field(default_factory=dict)
    training: bool = True


BN_FORWARD = ModuleConvention(
    init_args=lambda inp: ((inp["x"].shape[1],), {"eps": inp["eps"]}),
    weights={"weight": "gamma", "bias": "beta"},
    attributes={"eps": "eps"},
    call=lambda mod, inp: mod(inp["x"]),
    training=True,
    describe="cls(num_features=C, eps=eps) in float64, train mode (batch statistics); weight ← gamma, bias ← beta; "
    "module(x)",
)

LN_FORWARD = ModuleConvention(
    init_args=lambda inp: ((inp["x"].shape[-1],), {"eps": inp["eps"]}),
    weights={"weight": "gamma", "bias": "beta"},
    attributes={"eps": "eps"},
    call=lambda mod, inp: mod(inp["x"]),
    training=True,
    describe="cls(normalized_shape=D, eps=eps) in float64; weight ← gamma, bias ← beta; module(x)",
)

RMS_FORWARD = ModuleConvention(
    init_args=lambda inp: ((inp["x"].shape[-1],), {"eps": inp["eps"]}),
    weights={"weight": "gamma"},
    attributes={"eps": "eps"},
    call=lambda mod, inp: mod(inp["x"]),
    training=True,
    describe="cls(D, eps=eps) in float64 (nn.RMSNorm, LLaMA's RMSNorm(dim, eps)); weight ← gamma; module(x)",
)

CONVENTIONS: dict[str, ModuleConvention] = {
    "bn.forward": BN_FORWARD,
    "ln.forward": LN_FORWARD,
    "rmsnorm.forward": RMS_FORWARD,
}


def convention_for(claim_id: str, contract: Any) -> ModuleConvention | None:
    """The contract's own convention, else the one registered here for the claim, else None."""
    own = getattr(contract, "module", None)
    return own if own is not None else CONVENTIONS.get(claim_id)
