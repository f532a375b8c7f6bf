"""Layouts a contract accepts: the same function with its tensors in another axis order.

A contract states one layout (``bn.forward``: x [N, C]; ``attention.mha``: x [B, n, d]). Real code
often takes another one: BatchNorm on [N, C, L] or (N, C, H, W) (channel axis 1, statistics over
every other axis), nn.MultiheadAttention's default [n, B, d] (batch_first=False), flash-attention's
[B, n, h, d]. A :class:`Layout` says how the contract's inputs map to the target's layout and how
the output maps back; :func:`apply` turns a contract into the same contract in that layout (its
strategy, reference, tolerance, locators and variants all read the target's tensors), so the
interface probe, the search and the report run unchanged and show the target's own shapes.

Layouts are declared per contract: :data:`LAYOUTS` (by claim id, readable without importing the
derivations, for ``dlproofs conform --list``) and ``Contract.layouts`` (a contract's own).
``dlproofs conform CLAIM TARGET --layout NAME`` (API ``conform(..., layout=NAME)``) picks one.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import torch

from .errors import DlproofsError
from .module_targets import MHA_SEQ_FIRST, ModuleConvention
from .strategies import narrowed

if TYPE_CHECKING:
    from .contract import Contract

__all__ = ["Layout", "LAYOUTS", "LayoutError", "adapt", "apply", "layouts_for", "options_of"]

Inputs = dict[str, Any]


class LayoutError(DlproofsError):
    """An unknown layout name, or a layout the contract does not declare (exit 2)."""


def _same(inputs: Inputs) -> Inputs:
    return inputs


def _same_out(out: torch.Tensor, inputs: Inputs) -> torch.Tensor:
    return out


@dataclass(frozen=True, kw_only=True)
class Layout:
    """One accepted layout of a contract.

    ``to_target(inputs)`` maps the contract's inputs (a dict, in call order) to the target's;
    ``to_contract`` is its inverse; ``out_to_target(out, target_inputs)`` puts the contract's output
    in the target's layout (the reference's output, so the comparison happens in the target's
    shapes). ``narrow``: keywords for the contract's strategy (``spatial=True``: BatchNorm with
    spatial axes). ``module``: the module convention in this layout (nn.MultiheadAttention built with
    batch_first=False), if it differs. ``signature``: the contract's signature in this layout.
    """

    name: str
    signature: str
    describe: str
    to_target: Callable[[Inputs], Inputs] = _same
    to_contract: Callable[[Inputs], Inputs] = _same
    out_to_target: Callable[[torch.Tensor, Inputs], torch.Tensor] = _same_out
    narrow: dict[str, Any] = dataclasses.field(default_factory=dict)
    module: ModuleConvention | None = None


def _with(inputs: Inputs, **changed: Any) -> Inputs:
    return {k: changed.get(k, v) for k, v in inputs.items()}  # same keys, same order


# ── bn.forward: channel axis 1, statistics over every other axis ─────────────────────────────
def _bn_nchw(inputs: Inputs) -> Inputs:
    x = inputs["x"]  # [N, C] or [N, C, H, W] (bn_inputs(spatial=True) draws both)
    return _with(inputs, x=x if x.dim() == 4 else x[:, :, None, None])  # -> [N, C, H, W]


def _bn_ncl(inputs: Inputs) -> Inputs:
    x = _bn_nchw(inputs)["x"]
    return _with(inputs, x=x.flatten(2))  # [N, C, H, W] -> [N, C, H·W]


def _bn_ncl_back(inputs: Inputs) -> Inputs:
    return _with(inputs, x=inputs["x"][..., None])  # [N, C, L] -> [N, C, L, 1]


BN_NCHW = Layout(
    name="NCHW",
    signature="fn(x[N, C, H, W], gamma[C], beta[C], eps) -> y[N, C, H, W]  # BatchNorm2d: stats over N, H, W",
    describe="(N, C, H, W): channel axis 1, statistics over N, H and W (BatchNorm2d)",
    to_target=_bn_nchw,
    narrow={"spatial": True},
)
BN_NCL = Layout(
    name="NCL",
    signature="fn(x[N, C, L], gamma[C], beta[C], eps) -> y[N, C, L]  # BatchNorm1d on sequences: stats over N, L",
    describe="[N, C, L]: channel axis 1, statistics over N and L (BatchNorm1d on a sequence)",
    to_target=_bn_ncl,
    to_contract=_bn_ncl_back,
    out_to_target=lambda out, inputs: out.flatten(2),  # [N, C, L, 1] -> [N, C, L]
    narrow={"spatial": True},
)


# ── attention: [n, B, d] (batch_first=False) and [B, n, h, d] (flash-attention) ───────────────
def _seq_first(inputs: Inputs) -> Inputs:
    return _with(inputs, x=inputs["x"].transpose(0, 1))  # [B, n, d] <-> [n, B, d]; key_padding_mask stays [B, n]


MHA_SEQ = Layout(
    name="seq-first",
    signature="fn(x[n, B, d], w_qkv[3d, d], b_qkv[3d], w_o[d, d], b_o[d], num_heads, causal, key_padding_mask[B, n]) "
    "-> out[n, B, d]  # nn.MultiheadAttention's default batch_first=False",
    describe="[n, B, d] (sequence first, nn.MultiheadAttention(batch_first=False)); key_padding_mask stays [B, n]",
    to_target=_seq_first,
    to_contract=_seq_first,
    out_to_target=lambda out, inputs: out.transpose(0, 1),
    module=MHA_SEQ_FIRST,
)


def _heads_last(inputs: Inputs) -> Inputs:
    return _with(inputs, **{t: inputs[t].transpose(1, 2) for t in ("q", "k", "v")})  # [B, h, n, d] <-> [B, n, h, d]


SDPA_BNHD = Layout(
    name="BNHD",
    signature="fn(q[B, n, h, d_k], k[B, m, h, d_k], v[B, m, h, d_v], causal, key_padding_mask[B, m]) "
    "-> out[B, n, h, d_v]  # flash-attention / xformers layout",
    describe="[B, n, h, d] (heads after the sequence: flash_attn_func, xformers, a head split without transpose)",
    to_target=_heads_last,
    to_contract=_heads_last,
    out_to_target=lambda out, inputs: out.transpose(1, 2),
)

LAYOUTS: dict[str, tuple[Layout, ...]] = {
    "bn.forward": (BN_NCL, BN_NCHW),
    "attention.mha": (MHA_SEQ,),
    "attention.sdpa-masked": (SDPA_BNHD,),
}


def layouts_for(claim_id: str, contract: Contract | None = None) -> tuple[Layout, ...]:
    """The contract's own layouts, then the ones registered here for the claim."""
    own = contract.layouts if contract is not None else ()
    return own + tuple(lay for lay in LAYOUTS.get(claim_id, ()) if lay.name not in {o.name for o in own})


def find(claim_id: str, contract: Contract, name: str) -> Layout:
    """The layout ``name`` of the contract, or a one-line error listing the ones it declares."""
    declared = layouts_for(claim_id, contract)
    for lay in declared:
        if lay.name.lower() == name.lower():
            return lay
    shown = ", ".join(f"{lay.name} ({lay.describe})" for lay in declared) or "none"
    raise LayoutError(
        f"{claim_id} declares no layout {name!r}; its layouts: {shown}; without --layout the contract's own "
        f"layout is used: {contract.signature}"
    )


def adapt(claim_id: str, contract: Contract, *, layout: str | None = None, options: dict[str, Any] | None = None):
    """The contract as ``conform`` runs it: its strategy narrowed by ``options`` (contract options, e.g.
    ``causal=True`` for code that is always causal), then in ``layout`` when one is named."""
    if options:
        contract = with_options(claim_id, contract, options)
    return apply(claim_id, contract, layout) if layout is not None else contract


def options_of(contract: Contract) -> dict[str, Any]:
    """The contract's options: its strategy's keyword-only parameters, with their defaults (None = drawn)."""
    params = inspect.signature(contract.strategy).parameters.values()
    return {p.name: p.default for p in params if p.kind is p.KEYWORD_ONLY}


def with_options(claim_id: str, contract: Contract, options: dict[str, Any]) -> Contract:
    """The contract with its strategy's keywords fixed by ``options`` (a narrower domain, stated in the signature)."""
    known = options_of(contract)
    unknown = [k for k in options if k not in known]
    if unknown:
        raise LayoutError(
            f"{claim_id} has no option {', '.join(map(repr, unknown))}; its options: "
            f"{', '.join(known) or 'none'} (the keywords of its input strategy {contract.strategy.__name__})"
        )
    keywords = {**_keywords(contract.inputs), **options}
    shown = ", ".join(f"{k}={v!r}" for k, v in options.items())
    return dataclasses.replace(
        contract, inputs=narrowed(contract.strategy, **keywords), signature=f"{contract.signature}  [options: {shown}]"
    )


def apply(claim_id: str, contract: Contract, name: str) -> Contract:
    """The contract in layout ``name``: inputs drawn as before and mapped by ``to_target``; reference,
    tolerance, locators and variants evaluated on the mapped-back inputs, outputs mapped forward."""
    from .contract import Locator, Variant

    lay = find(claim_id, contract, name)
    base = narrowed(contract.strategy, **{**_keywords(contract.inputs), **lay.narrow})
    order: list[tuple[str, ...]] = []  # the parameter names in call order, seen on the first draw

    def to_target(drawn: Inputs) -> Inputs:
        if not order:
            order.append(tuple(drawn))
        return lay.to_target(drawn)

    def inputs() -> Any:
        return base().map(to_target)

    def back(args: tuple[Any, ...]) -> Inputs:
        return lay.to_contract(dict(zip(order[0], args)))

    def positional(fn: Callable[..., torch.Tensor]) -> Callable[..., torch.Tensor]:
        def in_layout(*args: Any) -> torch.Tensor:
            target_inputs = dict(zip(order[0], args))
            return lay.out_to_target(fn(*back(args).values()), target_inputs)

        return in_layout

    def locator(loc: Locator) -> Locator:
        def mask(target_inputs: Inputs) -> Any:
            got = loc.mask(lay.to_contract(target_inputs))
            return lay.out_to_target(got, target_inputs) if isinstance(got, torch.Tensor) else got

        return Locator(loc.label, mask)

    tolerance = dataclasses.replace(
        contract.tolerance, scale=lambda case: contract.tolerance.scale(lay.to_contract(case))
    )
    return dataclasses.replace(  # every other field (derived values, integer outputs, ...) carries over
        contract,
        signature=lay.signature,
        inputs=inputs,
        reference=positional(contract.reference),
        tolerance=tolerance,
        locators=tuple(locator(loc) for loc in contract.locators),
        module=lay.module or contract.module,
        variants=tuple(
            Variant(label=v.label, formula=positional(v.formula), why=v.why, convention=v.convention)
            for v in contract.variants
        ),
        layouts=(),
    )


def _keywords(inputs: Any) -> dict[str, Any]:
    return dict(getattr(inputs, "keywords", {}) or {})
