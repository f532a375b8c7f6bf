"""The registry: every claim record of every module in ``derivations/``, by id.

A topic is a module (``derivations/batchnorm.py`` -> topic ``batchnorm`` -> proofs/batchnorm.md);
it lists its records in a module-level ``CLAIMS``. Ids are unique across topics.
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib
import pkgutil
from collections.abc import Iterable
from functools import lru_cache

from .claim import Claim
from .errors import ClaimDefinitionError, UnknownClaimError

__all__ = ["all_claims", "get", "select", "topics"]


@lru_cache(maxsize=1)
def all_claims() -> tuple[Claim, ...]:
    """Every claim, topics in alphabetical order, claims in their module's order."""
    from dlproofs import derivations

    claims: list[Claim] = []
    seen: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(derivations.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"dlproofs.derivations.{info.name}")
        records = getattr(module, "CLAIMS", None)
        if records is None:
            raise ClaimDefinitionError(
                f"derivations/{info.name}.py defines no CLAIMS list; every topic module lists its "
                "claim records in CLAIMS (prefix the file name with _ for helper modules)"
            )
        for claim in records:
            if claim.id in seen:
                raise ClaimDefinitionError(
                    f"claim id {claim.id!r} is defined in both {seen[claim.id]} and {info.name}; "
                    "ids are public anchors and must be unique"
                )
            seen[claim.id] = info.name
            latex = getattr(module, "LATEX", {})
            claims.append(dataclasses.replace(claim, topic=info.name, latex_names=latex))
    return tuple(claims)


def topics() -> dict[str, list[Claim]]:
    out: dict[str, list[Claim]] = {}
    for claim in all_claims():
        out.setdefault(claim.topic, []).append(claim)
    return out


def get(claim_id: str) -> Claim:
    for claim in all_claims():
        if claim.id == claim_id:
            return claim
    raise UnknownClaimError(_unknown(claim_id))


def select(patterns: Iterable[str]) -> list[Claim]:
    """Claims matching any pattern: an exact id, an id prefix ending at a dot, or a topic."""
    patterns = list(patterns)
    claims = all_claims()
    if not patterns:
        return list(claims)
    chosen: list[Claim] = []
    for pattern in patterns:
        hits = [
            c for c in claims if c.id == pattern or c.id.startswith(pattern.rstrip(".") + ".") or c.topic == pattern
        ]
        if not hits:
            raise UnknownClaimError(_unknown(pattern))
        chosen.extend(c for c in hits if c not in chosen)
    return chosen


def _unknown(pattern: str) -> str:
    ids = [c.id for c in all_claims()]
    close = difflib.get_close_matches(pattern, ids, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else "run `dlproofs list` to see every id"
    return f"no claim matches {pattern!r}; {hint}"
