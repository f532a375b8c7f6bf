"""Vocabulary the topic modules share, written once: the seed files' names, float64's unit
roundoff, a seeded torch generator, and the form of a not-formalizable record.

A helper module (the leading underscore keeps it out of the topics): it holds no claims.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dlproofs.claim import Claim, Sentence, Source, Verdict

if TYPE_CHECKING:
    import torch

__all__ = [
    "SEED000",
    "SEED001",
    "SEED002",
    "SEED003",
    "SEED004",
    "S000_L31",
    "S001_L93",
    "S001_L217",
    "S001_L243",
    "S003_L63",
    "S003_L153",
    "S004_L29",
    "UNIT_ROUNDOFF",
    "EMPIRICAL",
    "seeded",
    "not_formalizable",
]

# the five seed articles in ../shared/seeds/ (a Source names its file; proofs link to it)
SEED000 = "000_1d469c68e1c37224.txt"
SEED001 = "001_247eb230c3d35b0b.txt"
SEED002 = "002_9e6212acebde65bf.txt"
SEED003 = "003_93fbe64bf7e5ecd9.txt"
SEED004 = "004_77fa28d87cc9dc01.txt"

# sentences quoted by rows in several topic modules (a sentence quoted by one module's rows is
# defined there): one object each, so every row that judges part of it shows the same words
S000_L31 = Sentence(
    file=SEED000, section="§3", line=31, quote="计算加权和 Attention(Q,K,V)=Softmax(QKᵀ)V:时间复杂度为 O(n²⋅d)。"
)
S001_L93 = Sentence(
    file=SEED001,
    section="Q8",
    line=93,
    quote=(
        "缓解梯度消失/爆炸:在反向传播过程中,梯度需要通过链式法则进行多层传递。在传统网络中,由于多层的导数相乘,梯度容易变得非常小(梯度消失)"
        "或非常大(梯度爆炸)。而ResNet中的残差连接允许梯度直接跳过一些层进行传递,相当于给梯度提供了一条“捷径”,使得梯度能够更顺畅地传播,"
        "避免了梯度消失或爆炸的问题。"
    ),
)
S001_L217 = Sentence(file=SEED001, section="Q12", line=217, quote="dk 通过降低方差,使softmax分布更陡峭,梯度更稳定。")
S001_L243 = Sentence(file=SEED001, section="Q14", line=243, quote="自注意力 | 双向(无掩码) | 单向(因果掩码) |")
S003_L63 = Sentence(
    file=SEED003,
    section="3.4.1",
    line=63,
    quote="在深度神经网络的训练中,模型的参数更新依赖于梯度。如果残差连接的梯度幅度没有合适的下界,梯度可能会趋近于零。",
)
S003_L153 = Sentence(
    file=SEED003,
    section="§6.1",
    line=153,
    quote=(
        "对输入数据进行归一化,如 Batch Normalization 或 Layer Normalization,可以使输入数据分布更加稳定,进而影响子层\xa0Sublayer(x)的输出分布,"
        "使得梯度在传播过程中更加稳定。从数学角度看,归一化能调整数据的均值和方差,减少子层变换对梯度的剧烈影响。"
    ),
)
S004_L29 = Sentence(
    file=SEED004,
    section="Self Attention Layer",
    line=29,
    quote="多头自注意力则在每个头上分别进行这些计算,然后将多个头的输出拼接或串联起来,进一步提取序列中的信息",
)

UNIT_ROUNDOFF = 2.0**-53  # u of float64: one correctly rounded operation errs by at most u relatively

# the reason shared by the records about training outcomes (each adds what exactly is empirical)
EMPIRICAL = "empirical: it is about training outcomes on real data, which no derivation or finite check can decide"


def seeded(seed: int) -> torch.Generator:
    """A fresh CPU generator seeded with ``seed``: checks never touch torch's global RNG (a
    Hypothesis example must replay exactly, and draws from one check must not shift another's)."""
    import torch

    return torch.Generator().manual_seed(seed)


def not_formalizable(id_: str, title: str, summary: str, reason: str, *sources: Source) -> Claim:
    """A not-formalizable record: no evidence to run, a reason, and where the seeds say it."""
    return Claim(
        id=id_,
        title=title,
        verdict=Verdict.NOT_FORMALIZABLE,
        summary=summary,
        reason=reason,
        sources=tuple(sources),
    )
