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
from .evidence import StatisticalEvidence

__all__ = ["result_to_dict", "verdict_text", "monte_carlo_scope", "run_figures", "fingerprint", "versions", "cache_key"]


def _num(x: float) -> float | None:
    return x if math.isfinite(x) else None


def monte_carlo_scope(claim: Claim) -> list[str]:
    """What the claim's Monte Carlo checks can establish: the claimed value within ±δ (their
    designed power), never equality."""
    return [f"{c.name}: {c.within()}" for c in claim.numeric if isinstance(c, StatisticalEvidence)]


def verdict_text(claim: Claim, label: str) -> str:
    """The verdict as a reader should take it: a *tested* claim resting on Monte Carlo evidence says
    "within ±δ"; a proved claim is exact (its Monte Carlo checks only cross-validate torch)."""
    scope = monte_carlo_scope(claim)
    if label == "tested" and scope:
        return f"tested (Monte Carlo: {'; '.join(s.split(': ', 1)[1] for s in scope)})"
    return label


def result_to_dict(result: ClaimResult) -> dict[str, Any]:
    claim = result.claim
    label = verdict_label(result)
    return {
        "id": claim.id,
        "topic": claim.topic,
        "recorded": claim.verdict.value,
        "verdict": label,
        "verdict_text": verdict_text(claim, label),
        "monte_carlo": monte_carlo_scope(claim),
        "tested_reason": claim.tested_reason,
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
                        "rests_on": list(link.rests_on),
                        "assumptions": list(link.assumptions),
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
                "requested": r.requested,
                "exhausted": r.exhausted,
                "seconds": round(r.seconds, 3),
                "max_error": _num(r.max_error),
                "bound": _num(r.bound),
                "worst": r.worst,
                "tolerance": r.tolerance,
                "report": r.report,
            }
            for r in result.numeric
        ],
        "counterexamples": [
            {
                "description": c.description,
                "confirmed": c.confirmed,
                "violates_premise": c.violates_premise,
                "lhs": c.lhs,
                "rhs": c.rhs,
                "detail": c.detail,
            }
            for c in result.counterexamples
        ],
        "rests_on": sorted({r for d in result.derivations for link in d.links for r in link.rests_on}),
        "assumptions_used": sorted({a for d in result.derivations for link in d.links for a in link.assumptions}),
        "seconds": round(result.seconds, 3),
    }


# Figures that depend on the run (Hypothesis's derandomized search, the library versions, the
# machine): they go to proofs/results.json, never into the Markdown, so a Hypothesis patch release
# cannot make the proofs stale (issue 8). The Markdown states each check's design and outcome.
# Seconds are left out: they differ on every run, and a file that changes whenever the main job
# runs would dirty every checkout (timings live in bench/).
_RUN_FIGURES = ("examples", "exhausted", "max_error", "bound", "worst")


def run_figures(results: list[dict[str, Any]]) -> dict[str, Any]:
    """proofs/results.json: per claim, the run-specific figures of each numeric check, plus the
    library versions of the run (the JSON is written with sorted keys)."""
    out: dict[str, Any] = {"versions": versions(), "claims": {}}
    for r in results:
        out["claims"][r["id"]] = {
            "verdict": r["verdict"],
            "numeric": {n["name"]: {k: n.get(k) for k in ("status", *_RUN_FIGURES)} for n in r["numeric"]},
        }
    return out


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
        sp.srepr(claim.premise.relation) if claim.premise and claim.premise.relation is not None else "",
        repr(claim.tested_reason),
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
    """Hash of the claim record and its derivations (for cite). Library versions are not part of it
    (``cite`` prints them beside it), so proofs/ does not change with a patch release."""
    return hashlib.sha256(_claim_text(claim).encode()).hexdigest()[:16]


@cache
def _source_hash(paths: tuple[str, ...]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(Path(p).read_bytes())
    return h.hexdigest()


def cache_key(claim: Claim, profile: str) -> str:
    """Changes whenever anything that could change the result changes: the record, its module,
    the engine, impl/, the versions, the profile."""
    import dlproofs
    from dlproofs import derivations, impl

    code = sorted(str(p) for pkg in (dlproofs, impl, derivations) for p in Path(pkg.__file__).parent.glob("*.py"))
    text = "\n".join([_claim_text(claim), _source_hash(tuple(code)), json.dumps(versions()), profile])
    return hashlib.sha256(text.encode()).hexdigest()
