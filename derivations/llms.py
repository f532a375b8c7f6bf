"""Large language models as built and trained: encoder–decoder against decoder-only Transformers,
how BERT and GPT are pre-trained, and how much data a model of a given size is given.

Seed 001 Q14 and Q18–Q20. One statement here is precise and checked: dropping cross-attention saves
4d² + 6d parameters per decoder layer (counted on PyTorch's own layers). The rest describes designs,
papers and rules of thumb: each has a not-formalizable record saying why, and which precise claim
covers the part that is precise.
"""

from __future__ import annotations

import torch
from dlproofs.derivations import _shared as shared
from hypothesis import strategies as st
from sympy import symbols

from dlproofs.claim import Claim, Derivation, Sentence, Source, Step, Verdict
from dlproofs.numeric import Case, Outcome, PropertyCheck

# the id prefixes this topic owns (the registry refuses a claim of another prefix here, and a
# prefix two topics declare)
PREFIXES = ("transformer", "llama", "pretraining", "scaling")


# The records below were written in seedchecks.py / seedclaims.py until issue 10; their old links are
# stub anchors that link on to this page (derivations/_moved.py).


dm, dff = symbols("d d_ff", integer=True, positive=True)


def _param_cases() -> st.SearchStrategy[Case]:
    """h = 1..4 heads of size 1..8 (d = h·a), d_ff = 1..32, bias on or off (the claim's two formulas): layers
    built on the meta device, exact integer counts, no values involved."""
    return st.fixed_dictionaries(
        {"heads": st.integers(1, 4), "head_dim": st.integers(1, 8), "d_ff": st.integers(1, 32), "bias": st.booleans()}
    )


def _param_property(case: Case, formula=lambda d_, b: 4 * d_ * d_ + 6 * d_ if b else 4 * d_ * d_ + d_) -> Outcome:
    d_ = case["heads"] * case["head_dim"]
    kw = {"dim_feedforward": case["d_ff"], "bias": case["bias"], "dropout": 0.0, "batch_first": True}
    with torch.device("meta"):  # shapes only: no memory, no RNG
        dec = torch.nn.TransformerDecoderLayer(d_, case["heads"], **kw)
        enc = torch.nn.TransformerEncoderLayer(d_, case["heads"], **kw)
    diff = sum(p.numel() for p in dec.parameters()) - sum(p.numel() for p in enc.parameters())
    want = formula(d_, case["bias"])
    return Outcome(
        diff == want,
        abs(diff - want),
        0.0,
        f"d = {d_}, h = {case['heads']}, bias = {case['bias']}: decoder − encoder = {diff}, closed form {want}",
    )


PARAM_CHECK = PropertyCheck(
    name="#params(nn.TransformerDecoderLayer) − #params(nn.TransformerEncoderLayer) = 4d² + 6d (bias=False: 4d² + d)",
    cases=_param_cases,
    holds=_param_property,
    reason="exact integer counts of the modules' parameters (built on the meta device)",
    planted={
        "4d² (biases and the third LayerNorm forgotten)": lambda c: _param_property(c, lambda d_, b: 4 * d_ * d_),
        "3d² + 3d (in-projection only)": lambda c: _param_property(c, lambda d_, b: 3 * d_ * d_ + 3 * d_),
    },
)


S001_L297 = Sentence(
    file=shared.SEED001, section="Q19", line=297, quote="模型规模:减少参数数量(无需交叉注意力层),更易扩展至千亿参数。"
)


CROSS_PARAMS = Claim(
    id="transformer.cross-attention-params",
    title="Dropping cross-attention saves 4d² + 6d parameters per decoder layer",
    verdict=Verdict.TESTED,
    tested_reason="the derivation starts from the count 4d² + 6d it concludes; that nn.TransformerDecoderLayer has exactly that many more parameters than the encoder layer is counted numerically only.",
    summary="Seed 001 says a decoder-only model has fewer parameters because it needs no cross-attention. "
    "Per layer of width d, cross-attention has W_Q, W_K, W_V, W_O (4d²) with biases (4d), and its LayerNorm "
    "has γ and β (2d): 4d² + 6d, independent of the head count and of d_ff. Counted against PyTorch's "
    "nn.TransformerDecoderLayer and nn.TransformerEncoderLayer. With d_ff = 4d a layer has 12d² + O(d) "
    "parameters without cross-attention and 16d² + O(d) with it: a third more per layer at equal width. "
    "Whether this makes scaling easier is `llama.decoder-only` (not formalizable).",
    derivations=(
        Derivation(
            "decoder layer − encoder layer",
            (3 * dm**2 + 3 * dm) + (dm**2 + dm) + 2 * dm,
            (Step(4 * dm**2 + 6 * dm, "collect", "in-projection (3d² + 3d), out-projection (d² + d), LayerNorm (2d)"),),
        ),
    ),
    numeric=(PARAM_CHECK,),
    sources=(
        Source(
            sentence=S001_L297,
            gloss="Model scale: fewer parameters (no cross-attention layers).",
            assertion="模型规模:减少参数数量(无需交叉注意力层)",
        ),
    ),
)


ENC_DEC = shared.not_formalizable(
    "transformer.encoder-decoder-interaction",
    "The encoder's output is the key and value of every decoder layer's cross-attention",
    "A description of the original architecture (and of nn.Transformer, which passes the same `memory` to "
    "every decoder layer); it records a design choice rather than a consequence to prove.",
    "Historical: it describes the design of the original Transformer.",
    Source(
        shared.SEED001,
        "Q14",
        "交叉注意力 | 无 | 接收Encoder输出 |",
        "Cross-attention: encoder none; decoder receives the encoder's output.",
        line=244,
    ),
    Source(
        shared.SEED001,
        "Q19",
        "交叉注意力 | 无 | 有(Decoder接收Encoder输出) |",
        "Cross-attention: none in a decoder-only model; an encoder-decoder's decoder receives the encoder's "
        "output (the parameter count this saves is transformer.cross-attention-params).",
        line=302,
    ),
    Source(
        shared.SEED002,
        "Transformer的Encoder端和Decoder端是如何进行交互的?",
        "Encoder编码生成中间向量,该中间向量将会作为K和V,与每一层Decoder层计算注意力。",
        "The encoder produces intermediate vectors, which serve as K and V for attention in every decoder layer.",
        line=74,
    ),
)


PRETRAINING = shared.not_formalizable(
    "pretraining.objectives",
    "BERT: masked LM on 15% of tokens plus next-sentence prediction; GPT: autoregressive LM with a causal mask",
    "What the papers did (Devlin et al. 2019; Radford et al. 2018). That a causal mask makes each position "
    "independent of later tokens is a precise statement in the masks records.",
    "Historical: it reports the training objectives chosen in the BERT and GPT papers.",
    Source(
        shared.SEED001,
        "Q18",
        "掩码语言模型(MLM):随机掩码15%的token,预测被遮罩词。",
        "Masked LM: mask 15% of tokens at random and predict them.",
        line=286,
    ),
    Source(
        shared.SEED001,
        "Q18",
        "下一句预测(NSP):判断两个句子是否为上下文关系。",
        "Next-sentence prediction: decide whether two sentences are consecutive.",
        line=287,
    ),
    Source(
        shared.SEED001,
        "Q18",
        "自回归语言模型(AR-LM):根据前文预测下一个词,采用因果掩码。",
        "Autoregressive LM: predict the next word from the preceding text, with a causal mask.",
        line=289,
    ),
)


DOWNSTREAM = shared.not_formalizable(
    "pretraining.downstream",
    "BERT suits understanding tasks, GPT suits generation",
    "A summary of how the models have been used and how they perform on benchmarks.",
    shared.EMPIRICAL + " (downstream task performance).",
    Source(
        shared.SEED001,
        "Q18",
        "BERT:双向编码适合理解类任务(如问答、文本分类),但需通过微调适配生成任务。",
        "BERT: bidirectional encoding suits understanding tasks (QA, classification) but needs fine-tuning for "
        "generation.",
        line=291,
    ),
    Source(
        shared.SEED001,
        "Q18",
        "GPT:单向生成能力强,天然适合文本生成(如对话、摘要),但在理解任务中需额外训练。",
        "GPT: strong unidirectional generation, naturally suited to text generation, needs extra training for "
        "understanding tasks.",
        line=292,
    ),
)


DECODER_ONLY = shared.not_formalizable(
    "llama.decoder-only",
    "Why LLaMA is decoder-only: generation efficiency, parallelism, scalability",
    "Design motivations and a comparison table. The one precise part, that dropping cross-attention removes "
    "parameters (4d² + 6d per layer in nn.Transformer's layers), is `transformer.cross-attention-params`.",
    "Historical and empirical: design motivations of a model family and claims about speed and scaling.",
    Source(
        shared.SEED001,
        "Q19",
        "生成效率:Decoder-only架构在自回归生成时无需处理Encoder的冗余计算。",
        "Generation efficiency: a decoder-only model does no redundant encoder computation when generating.",
        line=295,
    ),
    Source(
        shared.SEED001,
        "Q19",
        "并行能力:可利用GPU的并行计算优化生成速度(如FlashAttention)。",
        "Parallelism: GPU parallelism can speed up generation (e.g. FlashAttention).",
        line=296,
    ),
    Source(
        shared.SEED001,
        "Q19",
        "自注意力 | 单向(因果掩码) | 双向(Encoder)+ 单向(Decoder) |",
        "Self-attention: decoder-only causal; encoder-decoder bidirectional encoder plus causal decoder "
        "(comparison table; cross-attention: none vs yes; typical tasks: generation vs translation, summarisation).",
        line=301,
    ),
    Source(
        shared.SEED001,
        "Q19",
        "典型任务 | 文本生成 | 翻译、摘要等序列转换 |",
        "Typical tasks: decoder-only for text generation; encoder-decoder for sequence transduction such as "
        "translation and summarisation.",
        line=303,
    ),
    Source(
        sentence=S001_L297,
        gloss="…easier to scale to hundreds of billions of parameters.",
        assertion="更易扩展至千亿参数",
    ),
)


SCALING = shared.not_formalizable(
    "scaling.data-per-parameter",
    "Rule of thumb: at least 10 training examples (tokens) per parameter",
    "A heuristic, not a theorem; compute-optimal scaling studies (Hoffmann et al. 2022) put the optimum near "
    "20 tokens per parameter, and LLaMA-2 70B's 2 trillion tokens are about 29 per parameter.",
    "Empirical rule of thumb and historical training figures; neither can be derived.",
    Source(
        shared.SEED001,
        "Q20",
        "模型参数量需与训练数据量匹配,以避免过拟合或欠拟合。",
        "The parameter count must match the amount of training data to avoid over- or underfitting.",
        line=306,
    ),
    Source(
        shared.SEED001,
        "Q20",
        "最小数据量:数据量应至少是模型参数量的10倍(即 N_data ≥ 10 × N_params)。",
        "Minimum data: at least 10 times as much data as parameters (N_data ≥ 10 × N_params).",
        line=310,
    ),
    Source(
        shared.SEED001,
        "Q20",
        "理想比例:对于千亿级模型,数据量需达到万亿token级别(如LLaMA-2 70B使用2万亿token训练)。",
        "Ideal ratio: a 100B-parameter model needs trillions of tokens (LLaMA-2 70B was trained on 2 trillion).",
        line=311,
    ),
    Source(
        shared.SEED001,
        "Q20",
        "过拟合:数据量不足时,大模型会记忆噪声。",
        "Overfitting: with too little data a large model memorises the noise.",
        line=307,
    ),
    Source(
        shared.SEED001,
        "Q20",
        "欠拟合:小模型无法充分利用大规模数据。",
        "Underfitting: a small model cannot make full use of a large data set.",
        line=308,
    ),
    Source(
        shared.SEED001,
        "Q20",
        "动态平衡:当数据质量高时,可适当降低比例;低质量数据需更多数据量稀释噪声。",
        "Dynamic balance: with high-quality data the ratio can be lowered; low-quality data needs more data to "
        "dilute the noise.",
        line=312,
    ),
)


CLAIMS = [CROSS_PARAMS, ENC_DEC, PRETRAINING, DOWNSTREAM, DECODER_ONLY, SCALING]
