"""Published pages that claims have left, and the claim ids each of them published (issue 10).

A claim's link is ``proofs/<topic>.md#<id>``. Until issue 10, ``seedchecks.py`` and
``seedclaims.py`` were topics holding claims of many prefixes; their records moved to the topics
that own their prefixes. Links published for them keep working: ``dlproofs render`` writes each
page named here with one anchor per id (the same anchor as before), linking on to the page the
registry says the claim lives on now. Ids only, never targets, so a later move needs no edit here
except a new entry for the page it leaves. The registry refuses an id that names no claim.
"""

from __future__ import annotations

# page (the proofs/ file name without .md) -> the ids it published, in the order it listed them
MOVED: dict[str, tuple[str, ...]] = {
    "seedchecks": (
        "residual.identity-block",
        "residual.seed-code",
        "residual.lower-bound-not-upper",
        "vanishing.eigenvalues",
        "sgd.update-size",
        "attention.scale-after-softmax",
        "attention.additive-bounded",
        "transformer.cross-attention-params",
        "residual.zero-branch-identity",
    ),
    "seedclaims": (
        "ads.scenario",
        "gradients.long-sequences",
        "ln.stabilizes-gradients",
        "relu.cheap",
        "relu.sparsity",
        "swish.self-gating",
        "swish.deep-networks",
        "swish.negative-information",
        "swish.small-data",
        "bn.suits-image-batches",
        "ln.suits-sequences",
        "resnet.degradation",
        "multihead.why-better",
        "transformer.encoder-decoder-interaction",
        "pretraining.objectives",
        "pretraining.downstream",
        "llama.decoder-only",
        "scaling.data-per-parameter",
        "residual.history",
        "gradients.definitions",
        "residual.sublayer-complexity",
        "residual.zero-init-convergence",
        "residual.llm-practice",
        "residual.seed-code-training",
        "residual.gating",
        "init.history",
        "convattn.suited-tasks",
        "pe.fixed-vs-learned",
        "complexity.remedies",
        "selfattn.purpose",
        "selfattn.projections-relieve",
        "pe.word-order",
        "pi.extrapolation-scores",
        "ntk.attribution",
    ),
}
