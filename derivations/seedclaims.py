"""Seed statements that are not mathematical: empirical, historical or opinion.

The five seed articles mix derivations with sentences about what works in practice ("Swish helps on
small data sets"), what happened ("ResNet was proposed in 2015") and what the author prefers. Such a
sentence gets a record here so that the ledger accounts for it, with one sentence of why no proof or
counterexample can settle it. Where part of a sentence *is* precise, the record says which claim
covers that part; the precise part has its own record with evidence elsewhere.
"""

from __future__ import annotations

from dlproofs.claim import Claim, Source, Verdict

S000 = "000_1d469c68e1c37224.txt"
S001 = "001_247eb230c3d35b0b.txt"
S002 = "002_9e6212acebde65bf.txt"
S003 = "003_93fbe64bf7e5ecd9.txt"
S004 = "004_77fa28d87cc9dc01.txt"

EMPIRICAL = "empirical: it is about training outcomes on real data, which no derivation or finite check can decide"


def nf(id_: str, title: str, summary: str, reason: str, *sources: Source) -> Claim:
    """A not-formalizable record: no evidence to run, a reason, and where the seeds say it."""
    return Claim(
        id=id_,
        title=title,
        verdict=Verdict.NOT_FORMALIZABLE,
        summary=summary,
        reason=reason,
        sources=tuple(sources),
    )


# ── seed 000: interview notes ─────────────────────────────────────────────────────────────────
ADS = nf(
    "ads.scenario",
    "Scenario question: recommending ad keywords on Douyin",
    "An open system-design question about ad-keyword recommendation; it states nothing to prove.",
    "A product and system-design question with no mathematical statement in it.",
    Source(
        S000,
        "一",
        "场景题:在抖音场景下为用户推荐广告词,吸引用户点击搜索,呈现广告这一流程的关键点以及可能遇到的困难。",
        "Scenario question: on Douyin, recommend ad keywords to users to attract clicks and searches; what are "
        "the key points of showing the ads and the difficulties one may meet?",
        line=5,
    ),
)

LONG_SEQUENCES = nf(
    "gradients.long-sequences",
    "Vanishing/exploding gradients are common in Transformers, especially on long sequences",
    "A motivating remark. In a Transformer the backward path's length is set by the depth, not by the "
    "sequence length; whether long sequences make training less stable in practice is an empirical question.",
    EMPIRICAL + " (and 'common' has no measure attached).",
    Source(
        S000,
        "intro",
        "在Transformer模型中,梯度消失和梯度爆炸是深度学习中常见的问题,尤其是在处理长序列数据时。",
        "In Transformer models, vanishing and exploding gradients are common problems in deep learning, "
        "especially when processing long sequence data.",
        line=3,
    ),
    Source(
        S000,
        "二",
        "在Transformer模型中,梯度消失和梯度爆炸是深度学习中常见的问题,尤其是在处理长序列数据时。为了克服这些问题,Transformer采用了一系列技术:",
        "(Repeated) ... To overcome these problems the Transformer uses a series of techniques:",
        line=7,
    ),
)

LN_STABILIZES = nf(
    "ln.stabilizes-gradients",
    "LayerNorm suits variable sequence lengths and keeps gradients from getting too large or too small",
    "The first half is precise and proved as `ln.forward`: LayerNorm's statistics are per sample, so the "
    "output of one sample never depends on the others or on how many there are. The second half names no "
    "bound: LayerNorm's Jacobian scales like 1/√(σ² + ε), so it shrinks the gradient of a large-scale input and "
    "enlarges that of a small-scale one; no two-sided bound on the gradient follows without assumptions on "
    "the input scale and the rest of the network.",
    "'Helps stabilise the gradients, preventing them from becoming too large or too small' names no quantity "
    "or bound; whether it helps training is empirical.",
    Source(
        S000,
        "§2.2",
        "这使得它更适合于动态变化的输入序列长度,并且可以帮助稳定训练过程中的梯度,防止它们变得过大或过小。",
        "This makes it better suited to dynamically varying input sequence lengths, and it can help stabilise "
        "the gradients during training, preventing them from becoming too large or too small.",
        line=11,
    ),
)

# ── seed 001: Q2 ReLU, Q3 Swish, Q4 BN vs LN ─────────────────────────────────────────────────
RELU_CHEAP = nf(
    "relu.cheap",
    "ReLU is cheap: a comparison with 0 instead of an exponential",
    "ReLU needs one comparison per element where sigmoid and tanh need an exponential; how much faster a "
    "network trains is a property of hardware and kernels.",
    "Speed is measured, not derived: it depends on the hardware, the kernels and memory traffic.",
    Source(
        S001,
        "Q2 优势",
        "计算效率高:ReLU函数的计算非常简单,只需要判断输入是否大于 0,不需要进行复杂的指数运算,如Sigmoid或Tanh函数那样,因此可以显著提高计算速度。",
        "Computational efficiency: ReLU only has to check whether the input is greater than 0, with no "
        "exponential as in sigmoid or tanh, so it can speed up computation markedly.",
        line=19,
    ),
)

RELU_SPARSITY = nf(
    "relu.sparsity",
    "ReLU's zeros make the network sparse, which reduces overfitting",
    "That ReLU maps every negative pre-activation to exactly 0 is its definition (see `relu.derivative`); "
    "that the resulting sparsity reduces co-dependence and overfitting and improves generalisation is an "
    "empirical claim about trained networks.",
    EMPIRICAL + " (overfitting and generalisation).",
    Source(
        "001_247eb230c3d35b0b.txt",
        "Q2 优势",
        "稀疏性:ReLU函数会使一部分神经元的输出为 0,这就导致网络具有稀疏性。稀疏的网络可以减少参数之间的依赖,降低过拟合的风险,同时也有助于提高模型的泛化能力。",
        "Sparsity: ReLU sets some neurons' outputs to 0, making the network sparse; a sparse network reduces dependence between parameters, lowers the risk of overfitting and helps generalisation.",
        line=20,
        kind="hedged",
    ),
)

SWISH_GATING = nf(
    "swish.self-gating",
    "Swish as self-gating: σ(βx) gates the input x",
    "Writing x·σ(βx) as the input times a gate in (0, 1) is a reading of the definition, not a statement "
    "that could be false; the definition and its derivative are `swish.derivative`.",
    "An interpretation of the definition (what to call σ(βx)), not a claim with a truth value.",
    Source(
        S001,
        "Q3 改进",
        "自门控机制:Swish函数可以看作是一种自门控机制,其中 x 是输入信号, σ(βx) 是门控信号,它可以根据输入的大小动态地调整输出的幅度。",
        "Self-gating: Swish can be seen as a self-gating mechanism where x is the input signal and σ(βx) the "
        "gate, which adjusts the output's magnitude dynamically with the size of the input.",
        line=29,
    ),
)

SWISH_DEEP = nf(
    "swish.deep-networks",
    "Swish's smoothness and non-monotonicity help deep networks against vanishing/exploding gradients",
    "Swish's derivative is bounded (about −0.1 to 1.1 for β = 1, see `swish.derivative`), so a deep Swish "
    "stack's gradient is governed by the weights as for any activation; whether it trains better than ReLU on "
    "image classification or NLP is a benchmark result.",
    EMPIRICAL + " (benchmark performance of deep networks).",
    Source(
        S001,
        "Q3 性能更优的场景",
        "深层网络:在深层神经网络中,Swish函数的平滑性和非单调性可以帮助缓解梯度消失和梯度爆炸问题,使得网络能够更好地学习到复杂的特征表示。",
        "Deep networks: Swish's smoothness and non-monotonicity can help mitigate vanishing and exploding "
        "gradients, so the network learns complex features better (e.g. image classification, NLP).",
        line=31,
    ),
)

SWISH_NEGATIVE = nf(
    "swish.negative-information",
    "Swish helps tasks that need negative information (speech, time series)",
    "That Swish passes small negative values where ReLU outputs 0 is proved in `swish.derivative` (its "
    "minimum is about −0.278 at x ≈ −1.28); that this helps speech recognition or forecasting is empirical.",
    EMPIRICAL + " (task performance).",
    Source(
        S001,
        "Q3 性能更优的场景",
        "需要捕捉负信息的任务:对于一些需要捕捉输入负信息的任务,如语音识别、时间序列预测等,Swish函数能够利用负区间的信息,从而提高模型的性能。",
        "Tasks that need negative information, such as speech recognition or time-series forecasting: Swish "
        "uses the negative range and so improves performance; ReLU loses it.",
        line=32,
    ),
)

SWISH_SMALL_DATA = nf(
    "swish.small-data",
    "Swish reduces overfitting on small data sets",
    "A claim about generalisation on small data sets; nothing in Swish's definition bounds overfitting.",
    EMPIRICAL + " (overfitting on small data sets).",
    Source(
        S001,
        "Q3 性能更优的场景",
        "小数据集:在小数据集上,Swish函数的自门控机制可以帮助模型更好地适应数据的分布,减少过拟合的风险。",
        "Small data sets: Swish's self-gating helps the model adapt to the data distribution and reduces the "
        "risk of overfitting.",
        line=33,
    ),
)

BN_IMAGES = nf(
    "bn.suits-image-batches",
    "BatchNorm suits batched image classification, not variable-length sequences",
    "Which normalization suits which data is an engineering judgement. The precise part, that BatchNorm's "
    "statistics mix the samples of a batch while LayerNorm's do not, is `bn.forward` and `ln.forward`.",
    EMPIRICAL + " (which method trains faster on which data).",
    Source(
        S001,
        "Q4 适用场景对比",
        "BatchNorm(批量归一化):适用于输入数据具有明确的批量结构,且批量数据的统计特性相对稳定的场景,如计算机视觉中的图像分类任务。",
        "BatchNorm suits inputs with a clear batch structure and stable batch statistics, such as image "
        "classification; it uses batch statistics to speed up training, and is limited on variable-length "
        "sequences, where a common batch statistic is hard to compute.",
        line=36,
    ),
)

LN_SEQUENCES = nf(
    "ln.suits-sequences",
    "LayerNorm suits variable-length sequences (RNN, LSTM, Transformer) and generative models",
    "That LayerNorm does not depend on the batch is `ln.forward` (proved); that it is the better choice for "
    "sequence models and keeps generative models stable is practice, not a theorem.",
    EMPIRICAL + " (which method suits which model).",
    Source(
        S001,
        "Q4 适用场景对比",
        "LayerNorm(层归一化):适用于处理变长序列数据,如自然语言处理中的循环神经网络(RNN)、长短时记忆网络(LSTM)和Transformer等。",
        "LayerNorm suits variable-length sequence data such as RNNs, LSTMs and Transformers in NLP; it is also "
        "widely used in generative models because it keeps them stable during generation.",
        line=37,
    ),
)

# ── seed 001: Q8 ResNet, Q10 heads, Q14/Q19 architecture, Q18 pre-training, Q20 data ─────────
DEGRADATION = nf(
    "resnet.degradation",
    "Deep plain networks degrade (higher training and test error); ResNet solves it",
    "The degradation problem is an observation of He et al. (2015) on plain networks trained with SGD. The "
    "precise mechanism offered for the fix, that a residual block with F ≡ 0 is the identity, is "
    "`residual.identity-block`.",
    "Historical and empirical: an observation about trained networks reported in the ResNet paper.",
    Source(
        S001,
        "Q8",
        "在传统的深层神经网络中,随着网络层数的增加,会出现梯度消失或梯度爆炸的问题,导致网络难以训练。同时,深层网络还可能出现退化问题,即随着层数的增加,训练误差和测试误差反而会增大。残差网络(ResNet)通过引入残差块(Residual Block)有效地解决了这些问题。",
        "In deep plain networks, vanishing or exploding gradients make training hard; deep networks may also "
        "degrade, training and test error growing with depth. ResNet solves these problems with residual blocks.",
        line=92,
    ),
    Source(
        "000_1d469c68e1c37224.txt",
        "§2.1",
        "残差连接有助于缓解深层网络中的梯度消失问题,因为它允许梯度直接通过恒等映射传递到前面的层,从而使得更深层次的网络能够被有效地训练。",
        "…so that deeper networks can be trained effectively (a training outcome).",
        line=9,
        assertion="从而使得更深层次的网络能够被有效地训练",
    ),
)


HEADS_BETTER = nf(
    "multihead.why-better",
    "Several heads beat one: more expressive, more diverse dependencies, no information bottleneck",
    "With the same total width, h heads of size d/h can express attention patterns a single head cannot "
    "(h different softmax weightings per query), but also lose rank per head; whether that is better is "
    "settled by experiments, not by a theorem, and 'information bottleneck' is not defined.",
    EMPIRICAL + " ('better', 'more expressive' and 'bottleneck' are not defined).",
    Source(
        S001,
        "Q10",
        "增加模型的表达能力:单个头的自注意力机制可能只能关注到输入序列的某些特定方面,而多个头可以同时从不同的角度对输入进行处理,从而增加了模型的表达能力。",
        "More expressiveness: one head may only attend to some aspects; several heads process the input from "
        "different angles at once.",
        line=171,
    ),
    Source(
        S001,
        "Q10",
        "捕捉多样化的依赖关系:不同的头可以捕捉到不同类型的依赖关系。",
        "Diverse dependencies: different heads capture different kinds of dependency (long-range, local).",
        line=172,
    ),
    Source(
        S001,
        "Q10",
        "避免信息瓶颈:单个头的自注意力机制可能会存在信息瓶颈问题,即无法充分利用输入的所有信息。",
        "Avoiding an information bottleneck: a single head may not use all the information in the input.",
        line=173,
    ),
    Source(
        S001,
        "Q10",
        "例如,在Transformer模型中,多头注意力机制通过多个头的组合,使得模型在自然语言处理任务中取得了很好的效果。",
        "In the Transformer, combining heads gave very good results on NLP tasks.",
        line=174,
    ),
    Source(
        "002_9e6212acebde65bf.txt",
        "Transformer中multi-head attention中每个head为什么要进行降维?",
        "在不增加时间复杂度的情况下,同时,借鉴CNN多核的思想,在更低的维度,在多个独立的特征空间,更容易学习到更丰富的特征信息。",
        "Borrowing the idea of CNN's many kernels, richer features are easier to learn in several independent lower-dimensional feature spaces.",
        line=78,
        assertion="借鉴CNN多核的思想,在更低的维度,在多个独立的特征空间,更容易学习到更丰富的特征信息",
    ),
    Source(
        S002,
        "不乘QKV参数矩阵",
        "当然,qkv参数矩阵也使得多头可以捕捉更丰富的特征。",
        "Of course, the q, k, v parameter matrices also let the heads capture richer features.",
        line=64,
    ),
    Source(
        "004_77fa28d87cc9dc01.txt",
        "Self Attention Layer",
        "多头自注意力则在每个头上分别进行这些计算,然后将多个头的输出拼接或串联起来,进一步提取序列中的信息",
        "…to further extract information from the sequence (the purpose of several heads).",
        line=29,
        assertion="进一步提取序列中的信息",
    ),
)


ENC_DEC = nf(
    "transformer.encoder-decoder-interaction",
    "The encoder's output is the key and value of every decoder layer's cross-attention",
    "A description of the original architecture (and of nn.Transformer, which passes the same `memory` to "
    "every decoder layer); it records a design choice rather than a consequence to prove.",
    "Historical: it describes the design of the original Transformer.",
    Source(
        S001,
        "Q14",
        "交叉注意力 | 无 | 接收Encoder输出 |",
        "Cross-attention: encoder none; decoder receives the encoder's output.",
        line=244,
    ),
    Source(
        S001,
        "Q19",
        "交叉注意力 | 无 | 有(Decoder接收Encoder输出) |",
        "Cross-attention: none in a decoder-only model; an encoder-decoder's decoder receives the encoder's "
        "output (the parameter count this saves is transformer.cross-attention-params).",
        line=302,
    ),
    Source(
        S002,
        "Transformer的Encoder端和Decoder端是如何进行交互的?",
        "Encoder编码生成中间向量,该中间向量将会作为K和V,与每一层Decoder层计算注意力。",
        "The encoder produces intermediate vectors, which serve as K and V for attention in every decoder layer.",
        line=74,
    ),
)

PRETRAINING = nf(
    "pretraining.objectives",
    "BERT: masked LM on 15% of tokens plus next-sentence prediction; GPT: autoregressive LM with a causal mask",
    "What the papers did (Devlin et al. 2019; Radford et al. 2018). That a causal mask makes each position "
    "independent of later tokens is a precise statement in the masks records.",
    "Historical: it reports the training objectives chosen in the BERT and GPT papers.",
    Source(
        S001,
        "Q18",
        "掩码语言模型(MLM):随机掩码15%的token,预测被遮罩词。",
        "Masked LM: mask 15% of tokens at random and predict them.",
        line=286,
    ),
    Source(
        S001,
        "Q18",
        "下一句预测(NSP):判断两个句子是否为上下文关系。",
        "Next-sentence prediction: decide whether two sentences are consecutive.",
        line=287,
    ),
    Source(
        S001,
        "Q18",
        "自回归语言模型(AR-LM):根据前文预测下一个词,采用因果掩码。",
        "Autoregressive LM: predict the next word from the preceding text, with a causal mask.",
        line=289,
    ),
)

DOWNSTREAM = nf(
    "pretraining.downstream",
    "BERT suits understanding tasks, GPT suits generation",
    "A summary of how the models have been used and how they perform on benchmarks.",
    EMPIRICAL + " (downstream task performance).",
    Source(
        S001,
        "Q18",
        "BERT:双向编码适合理解类任务(如问答、文本分类),但需通过微调适配生成任务。",
        "BERT: bidirectional encoding suits understanding tasks (QA, classification) but needs fine-tuning for "
        "generation.",
        line=291,
    ),
    Source(
        S001,
        "Q18",
        "GPT:单向生成能力强,天然适合文本生成(如对话、摘要),但在理解任务中需额外训练。",
        "GPT: strong unidirectional generation, naturally suited to text generation, needs extra training for "
        "understanding tasks.",
        line=292,
    ),
)

DECODER_ONLY = nf(
    "llama.decoder-only",
    "Why LLaMA is decoder-only: generation efficiency, parallelism, scalability",
    "Design motivations and a comparison table. The one precise part, that dropping cross-attention removes "
    "parameters (4d² + 6d per layer in nn.Transformer's layers), is `transformer.cross-attention-params`.",
    "Historical and empirical: design motivations of a model family and claims about speed and scaling.",
    Source(
        S001,
        "Q19",
        "生成效率:Decoder-only架构在自回归生成时无需处理Encoder的冗余计算。",
        "Generation efficiency: a decoder-only model does no redundant encoder computation when generating.",
        line=295,
    ),
    Source(
        S001,
        "Q19",
        "并行能力:可利用GPU的并行计算优化生成速度(如FlashAttention)。",
        "Parallelism: GPU parallelism can speed up generation (e.g. FlashAttention).",
        line=296,
    ),
    Source(
        S001,
        "Q19",
        "自注意力 | 单向(因果掩码) | 双向(Encoder)+ 单向(Decoder) |",
        "Self-attention: decoder-only causal; encoder-decoder bidirectional encoder plus causal decoder "
        "(comparison table; cross-attention: none vs yes; typical tasks: generation vs translation, summarisation).",
        line=301,
    ),
    Source(
        S001,
        "Q19",
        "典型任务 | 文本生成 | 翻译、摘要等序列转换 |",
        "Typical tasks: decoder-only for text generation; encoder-decoder for sequence transduction such as "
        "translation and summarisation.",
        line=303,
    ),
    Source(
        "001_247eb230c3d35b0b.txt",
        "Q19",
        "模型规模:减少参数数量(无需交叉注意力层),更易扩展至千亿参数。",
        "…easier to scale to hundreds of billions of parameters.",
        line=297,
        assertion="更易扩展至千亿参数",
    ),
)

SCALING = nf(
    "scaling.data-per-parameter",
    "Rule of thumb: at least 10 training examples (tokens) per parameter",
    "A heuristic, not a theorem; compute-optimal scaling studies (Hoffmann et al. 2022) put the optimum near "
    "20 tokens per parameter, and LLaMA-2 70B's 2 trillion tokens are about 29 per parameter.",
    "Empirical rule of thumb and historical training figures; neither can be derived.",
    Source(
        S001,
        "Q20",
        "模型参数量需与训练数据量匹配,以避免过拟合或欠拟合。",
        "The parameter count must match the amount of training data to avoid over- or underfitting.",
        line=306,
    ),
    Source(
        S001,
        "Q20",
        "最小数据量:数据量应至少是模型参数量的10倍(即 N_data ≥ 10 × N_params)。",
        "Minimum data: at least 10 times as much data as parameters (N_data ≥ 10 × N_params).",
        line=310,
    ),
    Source(
        S001,
        "Q20",
        "理想比例:对于千亿级模型,数据量需达到万亿token级别(如LLaMA-2 70B使用2万亿token训练)。",
        "Ideal ratio: a 100B-parameter model needs trillions of tokens (LLaMA-2 70B was trained on 2 trillion).",
        line=311,
    ),
    Source(
        S001,
        "Q20",
        "过拟合:数据量不足时,大模型会记忆噪声。",
        "Overfitting: with too little data a large model memorises the noise.",
        line=307,
    ),
    Source(
        S001,
        "Q20",
        "欠拟合:小模型无法充分利用大规模数据。",
        "Underfitting: a small model cannot make full use of a large data set.",
        line=308,
    ),
    Source(
        S001,
        "Q20",
        "动态平衡:当数据质量高时,可适当降低比例;低质量数据需更多数据量稀释噪声。",
        "Dynamic balance: with high-quality data the ratio can be lowered; low-quality data needs more data to "
        "dilute the noise.",
        line=312,
    ),
)

# ── seed 003: residual connections in practice ───────────────────────────────────────────────
RESIDUAL_HISTORY = nf(
    "residual.history",
    "Residual connections: proposed in 2015, used in every Transformer layer and LLM",
    "Background and summary sentences of seed 003. What residual connections do to the gradient is in the "
    "residual records (`residual.jacobian`, `residual.lower-bound`, `residual.no-unconditional-bound`).",
    "Historical (who proposed what when, which models use it) and a summary judgement.",
    Source(
        S003,
        "1. 引言",
        "在深度学习领域,尤其是大型语言模型(LLM)的发展进程中,深度神经网络的训练面临着诸多挑战,梯度消失和梯度爆炸问题便是其中极为关键的阻碍。",
        "In deep learning, especially in the development of LLMs, training deep networks faces many "
        "challenges, vanishing and exploding gradients being key obstacles; residual connections arose to "
        "solve them.",
        line=7,
    ),
    Source(
        S003,
        "2.2",
        "为了克服深度神经网络中的梯度问题,何恺明等人在 2015 年提出了残差网络(Residual Network,ResNet)。",
        "To overcome the gradient problems of deep networks, He Kaiming et al. proposed ResNet in 2015.",
        line=19,
    ),
    Source(
        S003,
        "2.3",
        "随着自然语言处理技术的发展,大型语言模型如 GPT - 3、豆包等不断涌现。",
        "LLMs such as GPT-3 and Doubao keep appearing; they are multi-layer Transformers with residual "
        "connections after every sublayer.",
        line=25,
    ),
    Source(
        S003,
        "4.1",
        "在 Transformer 架构中,每个 Transformer 层都包含了多头自注意力机制和前馈神经网络,并且在这两个子层之后都使用了残差连接。",
        "In the Transformer every layer has multi-head self-attention and a feed-forward network, each followed "
        "by a residual connection (a description of the architecture).",
        line=88,
    ),
    Source(
        S003,
        "7",
        "通过对残差连接 x+Sublayer(x) 的梯度幅度下界的全面深入分析,我们从理论原理、影响因素、实际应用到模型优化策略进行了详细探讨。",
        "Summary: residual connections are key to gradient propagation and training stability in LLMs.",
        line=165,
    ),
)

GRAD_DEFINITIONS = nf(
    "gradients.definitions",
    "What vanishing and exploding gradients are",
    "Definitions in words (gradients tending to zero, or growing until updates overflow); the measurable "
    "version, layer-wise gradient-norm ratios, is in the vanishing-gradient records.",
    "A definition in words, not a statement that could be true or false.",
    Source(
        S003,
        "2.1",
        "梯度消失意味着梯度在反向传播过程中逐渐趋近于零,导致模型参数更新极为缓慢甚至停滞,使得模型无法有效地学习到数据中的深层次特征。",
        "Vanishing gradients: the gradient tends to zero during backpropagation, so updates are very slow or "
        "stall; exploding gradients grow until updates are too large, training diverges or parameters overflow.",
        line=15,
    ),
)

SUBLAYER_COMPLEXITY = nf(
    "residual.sublayer-complexity",
    "Complex sublayers (MLP, convolution) are more sensitive to their input",
    "'More parameters and non-linearities make the sublayer more sensitive' has no measure; the precise "
    "statement about the effect of the sublayer's Jacobian on the gradient is `residual.lower-bound` and "
    "`residual.upper-bound`.",
    "Vague: 'complex' and 'more sensitive' are not defined quantities.",
    Source(
        S003,
        "3.3.1",
        "子层 Sublayer(x) 通常是一个复杂的非线性变换,如多层感知机(MLP)或卷积层。复杂的子层包含更多的参数和非线性激活函数,对输入的变化更为敏感。",
        "The sublayer is usually a complex non-linear map such as an MLP or a convolution; complex sublayers "
        "have more parameters and non-linearities and are more sensitive to changes of the input.",
        line=49,
    ),
)

ZERO_INIT_CONVERGENCE = nf(
    "residual.zero-init-convergence",
    "Zero-initialised sublayers speed up convergence; early dependence on x may hurt generalisation",
    "At zero initialisation the block is the identity and its input gradient equals its output gradient "
    "exactly (`residual.zero-init`, `residual.zero-init-param-grads`); faster convergence and worse "
    "generalisation are training outcomes. Note that the gradient is determined by ∂L/∂y, not 'by the input "
    "x' as the seed says.",
    EMPIRICAL + " (convergence speed and generalisation).",
    Source(
        S003,
        "3.5.1",
        "加速收敛:在训练初期,由于 Sublayer 初始化为零,梯度主要由输入 x 决定。此时梯度的计算相对简单,没有受到子层复杂变换的干扰。",
        "Faster convergence: early in training, Sublayer being zero, the gradient is mainly determined by the "
        "input x, undisturbed by the sublayer, so the model quickly finds a direction and converges faster.",
        line=76,
    ),
    Source(
        S003,
        "3.5.2",
        "如果输入数据的分布不稳定,或者输入数据的特征不能很好地代表整个数据集,模型在初期学习到的特征可能不准确,从而影响模型的泛化能力。",
        "If the input distribution is unstable or unrepresentative, the features learned early may be "
        "inaccurate and hurt generalisation.",
        line=80,
    ),
)

LLM_PRACTICE = nf(
    "residual.llm-practice",
    "In GPT-3 and Doubao residual connections keep gradients stable and improve results",
    "Claims about closed models and unpublished internal experiments.",
    "Empirical and unverifiable: GPT-3's code is not public and Doubao's experiments are internal.",
    Source(
        S003,
        "4.1",
        "残差连接的使用使得梯度能够在不同的 Transformer 层之间稳定传播,从而让模型能够学习到文本中的长距离依赖关系。",
        "Residual connections let gradients propagate stably between GPT-3's layers; published gradient "
        "visualisations show a more uniform gradient distribution without vanishing or explosion.",
        line=90,
    ),
    Source(
        S003,
        "4.1",
        "GPT - 3 是 OpenAI 开发的一款强大的大型语言模型,采用了多层 Transformer 架构。",
        "GPT-3 is a powerful LLM developed by OpenAI with a multi-layer Transformer architecture; its code is "
        "not public, but its use of residual connections can be inferred.",
        line=86,
    ),
    Source(
        S003,
        "4.2",
        "豆包在处理自然语言处理任务时,同样采用了基于 Transformer 架构的模型结构,并且广泛使用了残差连接。",
        "Doubao also uses a Transformer-based architecture with residual connections everywhere, which help "
        "keep its gradients stable during training.",
        line=94,
    ),
    Source(
        S003,
        "4.2",
        "通过内部的实验和测试,我们发现使用残差连接的模型在训练过程中收敛速度更快,损失函数下降得更明显。",
        "Internal experiments found that models with residual connections converge faster and reach higher "
        "accuracy and better generalisation (Doubao).",
        line=96,
    ),
)

SEED_CODE_TRAINING = nf(
    "residual.seed-code-training",
    "The seed's training loop: MSE loss, Adam, ten epochs",
    "A walk-through of the code. It draws a fresh random target every epoch, independent of the model, so "
    "the expected loss is at least the target variance 1 whatever the parameters: the loop demonstrates the "
    "API, not learning. What Adam does to the step size is in the Adam records.",
    "A description of what code does, not a claim; the Adam part is covered by the Adam records.",
    Source(
        S003,
        "5.1",
        "训练过程:使用随机生成的数据进行训练,定义均方误差损失函数(MSELoss)衡量预测与真实分布差异,采用 Adam 优化器自适应调整学习率更新参数。",
        "Training: train on random data, with MSELoss measuring the gap between prediction and truth and "
        "Adam adapting the learning rate; each epoch zeroes the gradients, runs forward, loss, backward, step.",
        line=147,
    ),
)

GATING = nf(
    "residual.gating",
    "Gated residual connections can adapt the mix of x and Sublayer(x)",
    "A design suggestion (highway-style gates); for y = g ⊙ x + (1 − g) ⊙ F(x) with a constant gate the "
    "Jacobian is diag(g) + diag(1 − g)J_F, which the residual analysis covers with g = 1.",
    "A design suggestion about training stability, not a statement with a truth value.",
    Source(
        S003,
        "6.2",
        "在模型结构设计上,可以引入门控机制(如门控循环单元中的门控结构)来控制残差连接中信息的流动。",
        "A gating mechanism (as in GRUs) can control the information flow in the residual connection, learning "
        "the mix of x and Sublayer(x) to stabilise gradient propagation.",
        line=157,
    ),
)

# ── further sentences (ledger completion) ─────────────────────────────────────────────────────
INIT_HISTORY = nf(
    "init.history",
    "Xavier initialization: Glorot & Bengio, 2010; Kaiming initialization: He et al., 2015",
    "Who proposed which scheme and when. What each scheme's variance does is proved in the init records "
    "(`init.xavier-uniform`, `init.xavier-both-directions`, `init.kaiming`, `init.relu-second-moment`).",
    "Historical: an attribution and a date.",
    Source(
        "001_247eb230c3d35b0b.txt",
        "Q7 Xavier初始化",
        "Xavier初始化是由Xavier Glorot和Yoshua Bengio在2010年提出的,适用于使用Sigmoid或Tanh等对称激活函数的网络。",
        "Xavier initialization was proposed by Xavier Glorot and Yoshua Bengio in 2010.",
        line=79,
        assertion="Xavier初始化是由Xavier Glorot和Yoshua Bengio在2010年提出的",
    ),
    Source(
        "001_247eb230c3d35b0b.txt",
        "Q7 Kaiming初始化",
        "Kaiming初始化是由何恺明等人在2015年提出的,专门针对ReLU激活函数设计。",
        "Kaiming initialization was proposed by He Kaiming et al. in 2015.",
        line=83,
        assertion="Kaiming初始化是由何恺明等人在2015年提出的",
    ),
)

CONV_ATTN_TASKS = nf(
    "convattn.suited-tasks",
    "Convolution suits images and audio; self-attention suits language and other long-range sequence data",
    "The structural facts behind the advice are proved: a convolution's receptive field is local and its "
    "weights are shared across positions (`conv.receptive-field`, `conv.translation-equivariance`), while "
    "one attention layer connects every pair of positions (`conv.attention-dense`). Which architecture works "
    "better on a given task is a benchmark result.",
    EMPIRICAL + " (which architecture suits which data).",
    Source(
        S001,
        "Q9 适合场景",
        "计算机视觉:由于图像具有很强的局部相关性,卷积操作非常适合处理图像数据。",
        "Computer vision: images have strong local correlation, so convolutions suit image data well "
        "(classification, detection, segmentation).",
        line=161,
    ),
    Source(
        S001,
        "Q9 适合场景",
        "音频处理:音频信号也具有一定的局部特征,如语音中的音素、音乐中的音符等。",
        "Audio: audio signals have local features too (phonemes, notes), so convolutions serve feature "
        "extraction and speech recognition.",
        line=162,
    ),
    Source(
        S001,
        "Q9 适合场景",
        "自然语言处理:自然语言中的句子通常具有长距离的依赖关系,自注意力机制能够很好地捕捉这些关系。",
        "NLP: sentences have long-range dependencies, which self-attention captures well (translation, "
        "generation, question answering).",
        line=164,
    ),
    Source(
        S001,
        "Q9 适合场景",
        "序列数据处理:除了自然语言,其他序列数据如时间序列数据、股票价格数据等也可能存在长距离的依赖关系,",
        "Other sequence data (time series, stock prices) may have long-range dependencies too, so "
        "self-attention can model them.",
        line=165,
    ),
)

PE_FIXED_VS_LEARNED = nf(
    "pe.fixed-vs-learned",
    "Fixed encodings are less expressive and cannot adapt to data; learned ones fit the task's distribution better",
    "That a sinusoidal code has no parameters (so no data can change it) is its definition; that it is "
    "defined at every position and a learned table is not is proved (`pe.sinusoidal-any-length`, "
    "`pe.learned-fixed-length`). 'Limited expressiveness' and 'adapts better to the task' are claims about "
    "trained models.",
    EMPIRICAL + " ('expressiveness' of a position code and fit to a task are not defined quantities).",
    Source(
        S001,
        "Q11",
        "缺点:位置信息的表达能力有限,无法通过数据调整。",
        "Fixed encodings, disadvantage: limited ability to express position information; cannot be adjusted by data.",
        line=181,
    ),
    Source(
        S001,
        "Q11",
        "优点:通过训练优化位置表示,能更好适应特定任务的数据分布。",
        "Learned encodings, advantage: the position representation is optimised by training and fits the "
        "task's data distribution better.",
        line=183,
    ),
)

COMPLEXITY_REMEDIES = nf(
    "complexity.remedies",
    "Remedies for attention's quadratic cost: sparse attention, chunking, recurrence, hardware, mixed precision",
    "A list of engineering directions. The one with a precise cost claim in the seeds, linear attention's "
    "O(n·d²), is `complexity.linear-attention`; a local window of w keys per query costs 4·n·w·d instead of "
    "4·n²·d by the same count as `complexity.attention-core`, but which method a model needs is an "
    "engineering choice.",
    "Descriptive: a list of methods and hardware, not a statement with a truth value.",
    Source(
        S001,
        "Q13",
        "优化需求:需采用稀疏注意力(如Longformer)、分块处理(如Reformer)或硬件加速(如GPU/TPU)。",
        "What is needed: sparse attention (Longformer), chunking (Reformer) or hardware acceleration (GPU/TPU).",
        line=238,
    ),
    Source(
        S001,
        "Q17",
        "硬件加速:专用芯片(如Google TPU)、混合精度训练(FP16/FP8)。",
        "Hardware acceleration: dedicated chips (Google TPU), mixed-precision training (FP16/FP8).",
        line=281,
    ),
    Source(
        S001,
        "Q17",
        "模型结构调整:引入递归层(如Transformer-XL)或分块处理(如Reformer)。",
        "Architecture changes: recurrence (Transformer-XL) or chunked processing (Reformer).",
        line=282,
    ),
)

SELFATTN_PURPOSE = nf(
    "selfattn.purpose",
    "Self-attention enriches each word's representation with the other words of the text",
    "A statement of purpose. The mechanics (each output is a convex combination of all value vectors, the "
    "word itself included) are `attention.sdpa`.",
    "An interpretation of what the mechanism is for, not a statement with a truth value.",
    Source(
        S002,
        "不乘QKV参数矩阵",
        "Self-Attn的核心是用文本中的其他词来增强目标词的语义表示,从而更好地利用上下文的信息。",
        "The core of self-attention is to enhance a target word's semantic representation with the other words "
        "of the text, making better use of context.",
        line=54,
    ),
)

SELFATTN_PROJECTIONS = nf(
    "selfattn.projections-relieve",
    "Multiplying by the Q/K/V matrices makes q, k, v differ and 'largely relieves' the self-score dominance",
    "The precise part: without projections the self score x_i·x_i is the row maximum when no token is longer "
    "(`selfattn.self-score-max`), because the score matrix XXᵀ is a Gram matrix. With projections the score "
    "is x_iᵀ W_q W_kᵀ x_j, and W_q W_kᵀ need not be positive semidefinite (W_k = −W_q makes every self score "
    "−‖q_i‖² ≤ 0), so the self score has no guaranteed place in its row. How much learned projections "
    "'relieve' the effect in a trained model is not a quantity.",
    "Vague: 'largely relieves' names no measure; what the projections change is stated precisely above.",
    Source(
        S002,
        "不乘QKV参数矩阵",
        "而乘QKV参数矩阵,会使得每个词的qkv不一样,这能很大程度上减轻上述影响。",
        "Multiplying by the QKV parameter matrices makes each word's q, k, v differ, which largely relieves "
        "the effect above.",
        line=62,
    ),
)

WORD_ORDER = nf(
    "pe.word-order",
    "Word order carries meaning: the same words in another order can mean the opposite",
    "A fact about language, illustrated with two English sentences made of the same words. The model-side "
    "consequence, that attention without positions cannot tell such permutations apart, is "
    "`pe.permutation-equivariance` and `pe.no-position-indistinguishable`.",
    "Linguistic: a statement about natural language, not about a model.",
    Source(
        S004,
        "为什么要引入位置编码",
        "对于任何一门语言,单词在句子中的位置以及排列顺序是非常重要的,"
        "它们不仅是一个句子的语法结构的组成部分,更是表达语义的重要概念。",
        "In any language the position and order of words in a sentence matter: they are part of the grammar "
        "and carry meaning; a different order can change the meaning of the whole sentence.",
        line=56,
    ),
    Source(
        "004_77fa28d87cc9dc01.txt",
        "为什么要引入位置编码",
        "上面两句话所使用的的单词完全一样,但是所表达的句意却截然相反。那么,引入词序信息有助于区别这两句话的意思。",
        "The two sentences above use exactly the same words but mean the opposite.",
        line=60,
        assertion="上面两句话所使用的的单词完全一样,但是所表达的句意却截然相反",
    ),
)

PI_EXTRAPOLATION_SCORES = nf(
    "pi.extrapolation-scores",
    "Extrapolating RoPE past the trained length can give catastrophically high attention scores",
    "A RoPE score is bounded at every pair of positions, trained or not: |⟨R_m q, R_n k⟩| ≤ ‖q‖‖k‖ (rotations "
    "keep norms, `rope.norm`, then Cauchy–Schwarz). So 'high' can only mean high relative to the scores seen "
    "in training; Chen et al. (2023) show a fitted score curve that is small on the trained range and "
    "thousands of times larger just outside it. How large it gets depends on the learned q and k. What PI "
    "guarantees, that interpolated angles stay in the trained range, is `pi.interpolation`.",
    EMPIRICAL + " (how a trained model's scores behave at unseen distances; 'catastrophic' is not a quantity).",
    Source(
        S004,
        "PI 位置插值支持长度外推",
        "因为这可能会导致灾难性的较高的注意力分数,从而完全破坏了自注意力机制。",
        "(PI interpolates rather than extrapolating) because extrapolation may lead to catastrophically high "
        "attention scores that completely break self-attention.",
        line=98,
    ),
)

NTK_ATTRIBUTION = nf(
    "ntk.attribution",
    "The NTK-aware scaling came from applying Neural Tangent Kernel theory",
    "How the method's author reasoned: the NTK / Fourier-features argument that networks learn high "
    "frequencies poorly, so the highest RoPE frequencies should not be squeezed. The resulting base change is "
    "`ntk.base`; what linear interpolation does to close tokens is `pi.interpolation`.",
    "Historical: it reports the motivation the method's author gave.",
    Source(
        S004,
        "NTK-Aware Scaled RoPE 支持长度外推",
        "通过应用神经切线核(NTK)理论,",
        "By applying Neural Tangent Kernel (NTK) theory (the authors found the limitation of linear interpolation).",
        line=111,
    ),
)

CLAIMS = [
    ADS,
    LONG_SEQUENCES,
    LN_STABILIZES,
    RELU_CHEAP,
    RELU_SPARSITY,
    SWISH_GATING,
    SWISH_DEEP,
    SWISH_NEGATIVE,
    SWISH_SMALL_DATA,
    BN_IMAGES,
    LN_SEQUENCES,
    DEGRADATION,
    HEADS_BETTER,
    ENC_DEC,
    PRETRAINING,
    DOWNSTREAM,
    DECODER_ONLY,
    SCALING,
    RESIDUAL_HISTORY,
    GRAD_DEFINITIONS,
    SUBLAYER_COMPLEXITY,
    ZERO_INIT_CONVERGENCE,
    LLM_PRACTICE,
    SEED_CODE_TRAINING,
    GATING,
    INIT_HISTORY,
    CONV_ATTN_TASKS,
    PE_FIXED_VS_LEARNED,
    COMPLEXITY_REMEDIES,
    SELFATTN_PURPOSE,
    SELFATTN_PROJECTIONS,
    WORD_ORDER,
    PI_EXTRAPOLATION_SCORES,
    NTK_ATTRIBUTION,
]
