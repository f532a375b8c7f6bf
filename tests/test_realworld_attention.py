"""Attention modules as shipped (issue 12, round 2): what conform needed so the gallery's attention entries need
no adapter, each feature shown to accept the right input and to refuse (or find) the wrong one.

- ``config(...)`` in ``--build``: a nanoGPT-style module built from a config object, judged; its causal mask
  dropped is found;
- submodule parameters by dotted name in ``--weights``: a wrong name lists the module's parameters; a parameter
  left unloaded is an error naming it (a module is never judged with its random initialization);
- lazy modules (``nn.LazyLinear``): materialized by one call before loading, stated in the report; a lazy
  parameter the call never reaches is a one-line error;
- derived values (``Contract.derived``): attention.mha's ``attend`` [B, n, n] is the contract's own mask; a
  module taking it conforms with −∞ fill, the planted 0 fill is found; refused where a contract has none;
- ``--build`` on a contract without a module convention (attention.sdpa): eval mode, stated;
- the gallery's branch entries really run the branch they name (nanoGPT/timm manual vs fused), and their
  dependency stand-ins are declared.

Sizes: every conform run here uses few examples (FEW): the verdicts asserted are found within them, and the
gallery's own verdicts run under two seeds in tests/test_realworld.py -m slow.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from dlproofs.conform import ConformError, InterfaceError, conform, contract_claim, load_target
from dlproofs.derived import ATTEND

ROOT = Path(__file__).resolve().parents[1]
GALLERY = ROOT / "examples" / "realworld"
FEW = 40  # every counterexample below shows on most drawn cases (causal drawn, masks every time): 40 is ample

MODULES = """
import math
import torch
import torch.nn as nn
from torch.nn import functional as F


class CausalSelfAttention(nn.Module):  # nanoGPT's, condensed: built from a config object
    def __init__(self, config, causal=True):
        super().__init__()
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd, bias=config.bias)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd, bias=config.bias)
        self.n_head, self.n_embd, self.causal = config.n_head, config.n_embd, causal
        self.drop = nn.Dropout(config.dropout)

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))  # [B, h, T, d]
        y = F.scaled_dot_product_attention(q, k, v, is_causal=self.causal)
        return self.drop(self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C)))


class NoMask(CausalSelfAttention):  # the planted bug: the causal mask dropped
    def __init__(self, config):
        super().__init__(config, causal=False)


class LazyAttention(nn.Module):  # d2l-style: LazyLinear projections, heads through the batch axis
    def __init__(self, num_hiddens, num_heads, unused=False):
        super().__init__()
        self.h = num_heads
        self.W_q, self.W_k, self.W_v, self.W_o = (nn.LazyLinear(num_hiddens, bias=False) for _ in range(4))
        self.spare = nn.LazyLinear(num_hiddens) if unused else None  # never called by forward

    def forward(self, q, k, v):
        B, n, d = q.shape
        split = lambda t: t.reshape(B, n, self.h, d // self.h).transpose(1, 2)  # [B, h, n, d_h]
        y = F.scaled_dot_product_attention(split(self.W_q(q)), split(self.W_k(k)), split(self.W_v(v)))
        return self.W_o(y.transpose(1, 2).reshape(B, n, d))


class MaskedAttention(nn.Module):  # Annotated-Transformer-style: one mask [B, n, n], 1 = may attend
    def __init__(self, h, d_model, fill=float("-inf")):
        super().__init__()
        self.h, self.fill = h, fill
        self.linears = nn.ModuleList([nn.Linear(d_model, d_model) for _ in range(4)])

    def forward(self, query, key, value, mask):
        B, n, d = query.shape
        q, k, v = (lin(t).view(B, n, self.h, d // self.h).transpose(1, 2) for lin, t in zip(self.linears, (query, key, value)))
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // self.h)
        p = scores.masked_fill(mask.unsqueeze(1) == 0, self.fill).softmax(dim=-1)
        return self.linears[-1]((p @ v).transpose(1, 2).reshape(B, n, d))


class ZeroFill(MaskedAttention):  # the planted bug: masked logits set to 0, not −∞
    def __init__(self, h, d_model):
        super().__init__(h, d_model, fill=0.0)


class Scaled(nn.Module):  # d2l DotProductAttention-style: a module for attention.sdpa, with dropout
    def __init__(self, dropout, scale=True):
        super().__init__()
        self.dropout, self.scale = nn.Dropout(dropout), scale

    def forward(self, q, k, v):
        s = q @ k.transpose(-2, -1) / (math.sqrt(q.shape[-1]) if self.scale else 1.0)
        return self.dropout(s.softmax(dim=-1)) @ v


class Unscaled(Scaled):  # the planted bug: no 1/sqrt(d_k)
    def __init__(self, dropout):
        super().__init__(dropout, scale=False)
"""

GPT_BUILD = "cls(config(n_embd=x.shape[-1], n_head=num_heads, bias=True, dropout=0.1))"
GPT_WEIGHTS = {"c_attn.weight": "w_qkv", "c_attn.bias": "b_qkv", "c_proj.weight": "w_o", "c_proj.bias": "b_o"}
LINEARS = {
    **{f"linears.{i}.weight": f"w_qkv[{i}/3]" for i in range(3)},
    **{f"linears.{i}.bias": f"b_qkv[{i}/3]" for i in range(3)},
    "linears.3.weight": "w_o",
    "linears.3.bias": "b_o",
}
LAZY_WEIGHTS = {"W_q.weight": "w_qkv[0/3]", "W_k.weight": "w_qkv[1/3]", "W_v.weight": "w_qkv[2/3]", "W_o.weight": "w_o"}
BIAS_FREE = {"causal": False, "padding": False, "qkv_bias": False, "out_bias": False}


@pytest.fixture(scope="module")
def load(tmp_path_factory):
    folder = tmp_path_factory.mktemp("modules")
    (folder / "attn.py").write_text(MODULES)
    return lambda name: load_target(f"{folder / 'attn.py'}:{name}")


# ── config(...) in --build ─────────────────────────────────────────────────────────────────
def test_config_built_module_conforms_and_its_dropped_mask_is_found(load):
    options = dict(build=GPT_BUILD, weights=GPT_WEIGHTS, options={"causal": True, "padding": False})
    result = conform("attention.mha", load("CausalSelfAttention"), max_examples=FEW, **options)
    assert result.ok, result.report()
    assert f"built as {GPT_BUILD}; eval mode; c_attn.weight ← w_qkv" in result.adapted
    bug = conform("attention.mha", load("NoMask"), max_examples=FEW, **options)
    assert not bug.ok and bug.diagnosis is not None and "masks ignored" in bug.report()


# ── dotted --weights: a wrong name, a parameter left unloaded ───────────────────────────────
def test_wrong_dotted_name_lists_the_modules_parameters(load):
    wrong = {**GPT_WEIGHTS, "c_attn.weights": GPT_WEIGHTS["c_attn.weight"]}
    del wrong["c_attn.weight"]
    with pytest.raises(InterfaceError) as exc:
        conform("attention.mha", load("CausalSelfAttention"), build=GPT_BUILD, weights=wrong, max_examples=FEW)
    message = str(exc.value)
    assert "\n" not in message and "missing: c_attn.weights" in message
    assert "has parameters c_attn.weight[" in message and "c_proj.bias[" in message
    assert "map them: --weights c_attn.weight=w_qkv" in message


def test_a_parameter_left_unloaded_is_an_error_naming_it(load):
    partial = {k: v for k, v in GPT_WEIGHTS.items() if k != "c_proj.bias"}
    with pytest.raises(InterfaceError, match=r"not loadable from the contract: c_proj\.bias\)"):
        conform("attention.mha", load("CausalSelfAttention"), build=GPT_BUILD, weights=partial, max_examples=FEW)


# ── lazy modules ───────────────────────────────────────────────────────────────────────────
def test_lazy_module_is_materialized_then_loaded(load):
    options = dict(build="cls(x.shape[-1], num_heads)", weights=LAZY_WEIGHTS, options=BIAS_FREE)
    result = conform("attention.mha", load("LazyAttention"), call="f(x, x, x)", max_examples=FEW, **options)
    assert result.ok, result.report()
    assert "lazy parameters (nn.LazyLinear and the like) were given their shapes by one forward call" in result.adapted
    # loading w_o into W_q (a wrong map) is found: the loaded values are the ones judged, not the lazy init
    swapped = {**LAZY_WEIGHTS, "W_q.weight": "w_o", "W_o.weight": "w_qkv[0/3]"}
    bug = conform(
        "attention.mha", load("LazyAttention"), call="f(x, x, x)", max_examples=FEW, **{**options, "weights": swapped}
    )
    assert not bug.ok


def test_a_lazy_parameter_the_call_never_reaches_is_a_one_line_error(load):
    weights = {**LAZY_WEIGHTS, "spare.weight": "w_o", "spare.bias": "b_o"}
    with pytest.raises(InterfaceError) as exc:
        conform("attention.mha", load("LazyAttention"), build="cls(x.shape[-1], num_heads, unused=True)",
                call="f(x, x, x)", weights=weights, options=BIAS_FREE, max_examples=FEW)  # fmt: skip
    message = str(exc.value)
    assert "\n" not in message
    assert "lazy parameters spare.weight, spare.bias are still uninitialized after one forward call" in message


# ── derived values: attention.mha's attend ─────────────────────────────────────────────────
def test_attend_is_the_contracts_mask():
    """attend[b, i, j] = key j not padded and (not causal or j ≤ i), on torch and on numpy inputs."""
    kpm = torch.tensor([[False, False, True], [False, True, False]])
    free = ATTEND.value({"key_padding_mask": kpm, "causal": False})
    assert free.tolist() == [[[True, True, False]] * 3, [[True, False, True]] * 3]
    causal = ATTEND.value({"key_padding_mask": kpm, "causal": True})
    assert causal.tolist() == [
        [[True, False, False], [True, True, False], [True, True, False]],
        [[True, False, False], [True, False, False], [True, False, True]],
    ]
    as_array = ATTEND.value({"key_padding_mask": kpm.numpy(), "causal": True})
    assert isinstance(as_array, np.ndarray) and as_array.tolist() == causal.tolist()
    assert contract_claim("attention.mha").contract.derived == (ATTEND,)


def test_module_taking_attend_conforms_and_a_zero_fill_is_found(load):
    options = dict(build="cls(num_heads, x.shape[-1])", call="f(x, x, x, attend)", weights=LINEARS)
    result = conform("attention.mha", load("MaskedAttention"), max_examples=FEW, **options)
    assert result.ok, result.report()
    assert "called as obj(x, x, x, attend); attend[B, n, n] bool: True where query i may attend key j" in result.adapted
    bug = conform("attention.mha", load("ZeroFill"), max_examples=FEW, **options)
    assert not bug.ok, bug.report()


def test_attend_in_the_seq_first_layout_is_still_over_batch_then_queries(load):
    """Derived values read the inputs in the target's layout: key_padding_mask stays [B, n] there."""
    seq_first = {
        "x": torch.zeros(3, 2, 4),
        "key_padding_mask": torch.tensor([[False, True, False]] * 2),
        "causal": True,
    }
    assert ATTEND.value(seq_first).shape == (2, 3, 3)


def test_a_derived_name_is_refused_where_the_contract_has_none(load):
    with pytest.raises(ConformError, match=r"unknown name 'attend' \(not one of the contract's inputs\)"):
        conform("bn.forward", lambda x, gamma, beta, eps, mask: x, call="f(x, gamma, beta, eps, attend)")


# ── --build for a contract without a module convention ─────────────────────────────────────
def test_build_without_a_convention_runs_in_eval_mode(load):
    result = conform("attention.sdpa", load("Scaled"), build="cls(0.5)", max_examples=FEW)
    assert result.ok, result.report()  # Dropout(0.5) is off: eval mode, stated
    assert "built as cls(0.5); eval mode; called as obj(*inputs) in the contract's order" in result.adapted
    bug = conform("attention.sdpa", load("Unscaled"), build="cls(0.5)", max_examples=FEW)
    assert not bug.ok
    with pytest.raises(InterfaceError, match="declares no module convention"):  # without --build: as before
        conform("attention.sdpa", load("Scaled"), max_examples=FEW)


# ── the gallery's branch entries run the branch they name; stand-ins are declared ─────────
def _entry(stem: str):
    sys.path.insert(0, str(GALLERY))
    import _gallery

    module = __import__(stem)
    if not _gallery.vendored_path(stem).is_file():
        pytest.skip(f"{stem}: upstream span not vendored; run `python examples/realworld/vendor.py --git-dirs DIR`")
    return module


@pytest.mark.parametrize(
    "stem, attribute, value",
    [
        ("nanogpt_causal_self_attention", "flash", False),
        ("nanogpt_causal_self_attention_flash", "flash", True),
        ("timm_attention_manual", "fused_attn", False),
        ("timm_attention", "fused_attn", True),
    ],
)
def test_branch_entries_take_the_branch_they_name(stem, attribute, value):
    from types import SimpleNamespace

    m = _entry(stem)
    if stem.startswith("nanogpt"):
        built = m.target(SimpleNamespace(n_embd=4, n_head=2, bias=True, dropout=0.0, block_size=3))
    else:
        built = m.target(4, num_heads=2, qkv_bias=True)
    assert getattr(built, attribute) is value and not hasattr(m, "adapter")


def test_manifest_lists_every_standin():
    sys.path.insert(0, str(GALLERY))
    import manifest
    from vendor import entries

    text = manifest.render()
    declared = [(stem, item) for stem, m in entries() for item in getattr(m, "STANDINS", ())]
    assert (
        declared
        and f"Dependency stand-ins ({len({s for s, _ in declared})} entries, {len(declared)} stand-ins)" in text
    )
    for stem, item in declared:
        assert f"| `{stem}.py` | {manifest._cell(item)} |" in text
