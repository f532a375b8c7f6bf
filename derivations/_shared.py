"""Vocabulary the topic modules share, written once: the seed files' names, float64's unit
roundoff, a seeded torch generator, and the form of a not-formalizable record.

A helper module (the leading underscore keeps it out of the topics): it holds no claims.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dlproofs.claim import Claim, Source, Verdict

if TYPE_CHECKING:
    import torch

__all__ = [
    "SEED000",
    "SEED001",
    "SEED002",
    "SEED003",
    "SEED004",
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
