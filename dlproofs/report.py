"""Check results as plain data: what ``check --json`` prints, what the renderer reads, what the
cache stores. One shape for all three, so a cached result renders exactly like a fresh one.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import sympy as sp

from .check import ClaimResult, verdict_label
from .claim import Claim

__all__ = ["result_to_dict", "fingerprint", "versions", "cache_key"]


def _num(x: float) -> float | None:
    return x if math.isfinite(x) else None


def result_to_dict(result: ClaimResult) -> dict[str, Any]:
    claim = result.claim
    return {
        "id": claim.id,
        "topic": claim.topic,
        "recorded": claim.verdict.value,
        "verdict": verdict_label(result),
        "holds": result.holds,
        "problem": result.problem,
        "symbolic": [
            {
                "name": d.name,
                "steps": [
                    {
                        "status": link.status.value,
                        "method": link.method,
                        "detail": link.detail,
                        "counterexample": dict(link.counterexample),
                    }
                    for link in d.links
                ],
                "sizes_checked": list(d.sizes_checked),
                "size_failure": d.size_failure,
            }
            for d in result.derivations
        ],
        "numeric": [
            {
                "name": r.name,
                "status": "pass" if r.ok else "fail",
                "examples": r.examples,
                "max_error": _num(r.max_error),
                "bound": _num(r.bound),
                "worst": r.worst,
                "tolerance": r.tolerance,
                "report": r.report,
            }
            for r in result.numeric
        ],
        "counterexamples": [
            {"description": c.description, "confirmed": c.confirmed, "lhs": c.lhs, "rhs": c.rhs, "detail": c.detail}
            for c in result.counterexamples
        ],
        "seconds": round(result.seconds, 3),
    }


@lru_cache(maxsize=1)
def versions() -> dict[str, str]:
    import hypothesis
    import torch

    return {
        "python": ".".join(map(str, sys.version_info[:3])),
        "sympy": sp.__version__,
        "torch": torch.__version__,
        "hypothesis": hypothesis.__version__,
    }


def _claim_text(claim: Claim) -> str:
    """Everything a reader sees of a claim, as stable text (SymPy's srepr for expressions)."""
    parts = [
        claim.id,
        claim.title,
        claim.verdict.value,
        claim.summary,
        repr(claim.assumptions),
        repr(claim.hypothesis),
        repr(claim.reason),
        repr(claim.sources),
        repr(claim.notes),
    ]
    for d in claim.derivations:
        parts.append(d.name + sp.srepr(d.lhs) + repr(sorted((str(k), list(v)) for k, v in d.sizes.items())))
        parts += [sp.srepr(n) + sp.srepr(v) for n, v in d.where]
        parts += [sp.srepr(s.expr) + s.rule + s.why + s.relation + repr(s.lemma) for s in d.steps]
    parts += [c.name + repr(sorted(c.planted)) for c in claim.numeric]
    parts += [c.description for c in claim.counterexamples]
    return "\n".join(parts)


def fingerprint(claim: Claim) -> str:
    """Hash of the claim record and its derivations with the sympy and torch versions (for cite)."""
    v = versions()
    text = _claim_text(claim) + f"\nsympy {v['sympy']} torch {v['torch']}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@cache
def _source_hash(paths: tuple[str, ...]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(Path(p).read_bytes())
    return h.hexdigest()


def cache_key(claim: Claim, profile: str) -> str:
    """Changes whenever anything that could change the result changes: the record, its module,
    the engine, impl/, the versions, the profile."""
    import derivations
    import dlproofs
    import impl

    code = sorted(str(p) for pkg in (dlproofs, impl, derivations) for p in Path(pkg.__file__).parent.glob("*.py"))
    text = "\n".join([_claim_text(claim), _source_hash(tuple(code)), json.dumps(versions()), profile])
    return hashlib.sha256(text.encode()).hexdigest()
