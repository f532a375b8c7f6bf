"""How ``dlproofs conform`` builds an ``nn.Module`` target: one declared convention per contract.

A module class cannot be called like a function: it has to be constructed (with sizes and ε the
contract's inputs decide), given the contract's γ and β as its parameters, put in the right mode,
and then called. A :class:`ModuleConvention` says how, for one contract; nothing is guessed from
attribute names. A contract carries one in ``Contract.module``; the conventions of the contracts
defined in ``derivations/`` live here, keyed by claim id (:data:`CONVENTIONS`).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import torch

__all__ = [
    "ModuleConvention",
    "CONVENTIONS",
    "convention_for",
    "declared_convention",
    "input_name",
    "materialize",
    "resolve_input",
]


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
    hint: str = ""  # appended to the one-line error when the module's parameters are not the expected ones
    called: str = "obj(x)"  # how reports show the call when --build replaces the constructor but not the call


# ``--weights q_proj.weight=w_qkv[0/3]``: the block 0 of 3 equal blocks of w_qkv along its first dim
_BLOCK = re.compile(r"^(?P<name>[^\[\]]+)\[(?P<i>\d+)/(?P<k>\d+)\]$")


def input_name(spec: str) -> str:
    """The contract input a ``--weights`` value reads: ``w_qkv`` for ``w_qkv`` and for ``w_qkv[1/3]``."""
    m = _BLOCK.match(spec)
    return m["name"] if m else spec


def resolve_input(inputs: Mapping[str, Any], spec: str) -> Any:
    """The tensor a ``--weights`` value names: an input, or ``NAME[i/k]``, block i of k equal blocks of
    NAME along dim 0 (``torch.chunk``), so a split q/k/v module loads from a fused [3d, d] input."""
    m = _BLOCK.match(spec)
    if m is None:
        return inputs[spec]
    i, k, value = int(m["i"]), int(m["k"]), inputs[m["name"]]
    if not 0 <= i < k or value.shape[0] % k:
        raise ValueError(
            f"{spec}: block {i} of {k} equal blocks of {m['name']}, whose first dimension is {value.shape[0]}; "
            f"give 0 <= i < k with k dividing it (e.g. {m['name']}[0/3] for the q block of a fused qkv)"
        )
    return value.chunk(k)[i]


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


def _causal_blocked(n: int) -> torch.Tensor:
    return torch.ones(n, n, dtype=torch.bool).triu(1)  # [n, n], True = may NOT attend (nn.MultiheadAttention)


def _call_mha(mod: torch.nn.Module, inp: dict[str, Any], *, seq_first: bool = False) -> Any:
    """nn.MultiheadAttention's call: module(x, x, x, key_padding_mask=, attn_mask=, need_weights=False)[0].
    A module whose forward takes one tensor (timm's Attention, nanoGPT's CausalSelfAttention) is called
    module(x): it computes its own masking, so judge it with the options that match (--option)."""
    x = inp["x"]
    params = inspect.signature(mod.forward).parameters
    if "key_padding_mask" not in params:
        out = mod(x)
    else:
        n = x.shape[0] if seq_first else x.shape[1]
        out = mod(
            x,
            x,
            x,
            key_padding_mask=inp["key_padding_mask"],
            attn_mask=_causal_blocked(n) if inp["causal"] else None,
            need_weights=False,
        )
    return out[0] if isinstance(out, tuple) else out


_MHA_WEIGHTS = {"in_proj_weight": "w_qkv", "in_proj_bias": "b_qkv", "out_proj.weight": "w_o", "out_proj.bias": "b_o"}
_MHA_HINT = (
    "a fused qkv Linear maps as --weights qkv.weight=w_qkv,qkv.bias=b_qkv,proj.weight=w_o,proj.bias=b_o; "
    "split q/k/v Linears map blocks of w_qkv: --weights q.weight=w_qkv[0/3],k.weight=w_qkv[1/3],"
    "v.weight=w_qkv[2/3],q.bias=b_qkv[0/3],... (block i of 3 along dim 0)"
)

MHA = ModuleConvention(
    init_args=lambda inp: ((inp["x"].shape[-1], inp["num_heads"]), {"dropout": 0.0, "batch_first": True}),
    weights=_MHA_WEIGHTS,
    call=_call_mha,
    training=False,
    hint=_MHA_HINT,
    describe="cls(embed_dim=d, num_heads, dropout=0.0, batch_first=True) in float64, eval mode (no dropout either way); "
    "in_proj_weight ← w_qkv, in_proj_bias "
    "← b_qkv, out_proj.weight ← w_o, out_proj.bias ← b_o; module(x, x, x, key_padding_mask=key_padding_mask, "
    "attn_mask=triu(1) if causal, need_weights=False)[0], or module(x) when forward takes x alone",
)

# the same module under the [n, B, d] layout (batch_first=False, nn.MultiheadAttention's default)
MHA_SEQ_FIRST = ModuleConvention(
    init_args=lambda inp: ((inp["x"].shape[-1], inp["num_heads"]), {"dropout": 0.0, "batch_first": False}),
    weights=_MHA_WEIGHTS,
    call=lambda mod, inp: _call_mha(mod, inp, seq_first=True),
    training=False,
    hint=_MHA_HINT,
    describe=MHA.describe.replace("batch_first=True", "batch_first=False").replace("x[", "x["),
)

CONVENTIONS: dict[str, ModuleConvention] = {
    "bn.forward": BN_FORWARD,
    "ln.forward": LN_FORWARD,
    "rmsnorm.forward": RMS_FORWARD,
    "attention.mha": MHA,
}


def convention_for(claim_id: str, contract: Any) -> ModuleConvention | None:
    """The contract's own convention, else the one registered here for the claim, else None."""
    own = getattr(contract, "module", None)
    return own if own is not None else CONVENTIONS.get(claim_id)


def declared_convention(claim_id: str, signature: str) -> ModuleConvention:
    """The convention of a class target that ``--build`` constructs for a contract without one of its own
    (e.g. d2l's ``DotProductAttention(dropout)`` against attention.sdpa, or a plain numpy class such as
    ML-From-Scratch's ``l2_regularization(alpha)``): no parameters loaded unless
    ``--weights`` maps them, eval mode (dropout off: the deterministic function the contract states), and
    called with the contract's inputs in order unless ``--call`` says otherwise."""
    return ModuleConvention(
        init_args=lambda inp: ((), {}),
        weights={},
        call=lambda mod, inp: mod(*inp.values()),
        training=False,
        called="obj(*inputs) in the contract's order",
        describe=f"as --build constructs it (an nn.Module in float64, eval mode: dropout off); obj(*inputs) as "
        f"{signature} orders them unless --call says otherwise",
    )


MATERIALIZED = (
    "lazy parameters (nn.LazyLinear and the like) were given their shapes by one forward call on each case, "
    "then loaded by --weights"
)


def materialize(module: torch.nn.Module, forward: Callable[[torch.nn.Module], Any]) -> bool:
    """Give a lazy module (``nn.LazyLinear``, ``LazyModuleMixin``) its parameters' shapes by one ``forward``
    call (no gradient), in the dtype it was moved to, before its parameters are loaded; True if it was lazy.
    A parameter still uninitialized after that call is a one-line error naming it."""
    from torch.nn.parameter import is_lazy

    if not any(is_lazy(p) for p in module.parameters()):
        return False
    with torch.no_grad():
        forward(module)
    left = [name for name, p in module.named_parameters() if is_lazy(p)]
    if left:
        from .conform import InterfaceError

        raise InterfaceError(
            f"{type(module).__qualname__}'s lazy parameters {', '.join(left)} are still uninitialized after one "
            "forward call on the case: the call does not reach them; call the module the way that uses them (--call)"
        )
    return True
