"""The registry: every claim record of every module in ``derivations/``, by id.

A topic is a module (``derivations/batchnorm.py`` -> topic ``batchnorm`` -> proofs/batchnorm.md);
it lists its records in a module-level ``CLAIMS``. Ids are unique across topics, and the claim
graph (each record's ``uses``) names existing claims only and has no cycle.

:func:`all_claims` imports every topic and validates the whole catalog; :func:`get` and
:func:`select` import only the topics they need when the catalog index of the current sources
(:mod:`dlproofs.catalog`, written by a validating full load) says where each id lives.
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib
import pkgutil
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache

from . import catalog
from .claim import Claim
from .errors import ClaimDefinitionError, UnknownClaimError

__all__ = ["all_claims", "get", "select", "topics", "check_graph", "used_by"]


def _topic_names() -> list[str]:
    from dlproofs import derivations

    names = sorted(i.name for i in pkgutil.iter_modules(derivations.__path__))
    return [n for n in names if not n.startswith("_")]


@cache
def _load_topic(name: str) -> tuple[Claim, ...]:
    """One topic module's records, with their topic and LaTeX names set."""
    module = importlib.import_module(f"dlproofs.derivations.{name}")
    records = getattr(module, "CLAIMS", None)
    if records is None:
        raise ClaimDefinitionError(
            f"derivations/{name}.py defines no CLAIMS list; every topic module lists its "
            "claim records in CLAIMS (prefix the file name with _ for helper modules)"
        )
    latex = getattr(module, "LATEX", {})
    return tuple(dataclasses.replace(claim, topic=name, latex_names=latex) for claim in records)


@lru_cache(maxsize=1)
def all_claims() -> tuple[Claim, ...]:
    """Every claim, topics in alphabetical order, claims in their module's order (validated)."""
    claims: list[Claim] = []
    seen: dict[str, str] = {}
    for name in _topic_names():
        for claim in _load_topic(name):
            if claim.id in seen:
                raise ClaimDefinitionError(
                    f"claim id {claim.id!r} is defined in both {seen[claim.id]} and {name}; "
                    "ids are public anchors and must be unique"
                )
            seen[claim.id] = name
            claims.append(claim)
    check_graph(claims)
    out = tuple(claims)
    if catalog.load() is None:
        catalog.write(catalog.build(out))
    return out


def check_graph(claims: Sequence[Claim]) -> None:
    """Every ``uses`` reference names a claim, and no claim builds on itself through others."""
    ids = {c.id for c in claims}
    for c in claims:
        for ref in c.uses:
            if ref not in ids:
                close = difflib.get_close_matches(ref, sorted(ids), n=3, cutoff=0.6)
                hint = f"did you mean {', '.join(close)}?" if close else "`dlproofs list` shows every id"
                raise ClaimDefinitionError(
                    f"{c.id} (derivations/{c.topic}.py): uses={ref!r} names no claim; {hint} "
                    "A dangling reference would render as a dead link in the proof."
                )
    cycle = _find_cycle({c.id: c.uses for c in claims})
    if cycle:
        raise ClaimDefinitionError(
            f"the claim graph has a cycle: {' -> '.join(cycle)} (each uses the next); a claim cannot "
            "rest on itself through others. Drop the reference that is only 'see also' (say it in prose)."
        )


def _find_cycle(edges: dict[str, Sequence[str]]) -> list[str] | None:
    """A cycle ``[a, b, ..., a]`` of the graph, or None; depth first, in id order (deterministic)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in edges.get(node, ()):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def used_by(claims: Sequence[Claim] | None = None) -> dict[str, list[str]]:
    """The reverse graph: id -> the ids of the claims that use it (in registry order)."""
    out: dict[str, list[str]] = {}
    for c in all_claims() if claims is None else claims:
        for ref in c.uses:
            out.setdefault(ref, []).append(c.id)
    return out


def topics() -> dict[str, list[Claim]]:
    out: dict[str, list[Claim]] = {}
    for claim in all_claims():
        out.setdefault(claim.topic, []).append(claim)
    return out


def _entries() -> list[dict] | None:
    """(id, topic) rows of the current catalog index; None once everything is loaded anyway."""
    if all_claims.cache_info().currsize:
        return None
    data = catalog.load()
    return data["claims"] if data else None


def get(claim_id: str) -> Claim:
    entries = _entries()
    if entries is not None:
        topic = next((e["topic"] for e in entries if e["id"] == claim_id), None)
        if topic is None:
            raise UnknownClaimError(_unknown(claim_id, [e["id"] for e in entries]))
        return next(c for c in _load_topic(topic) if c.id == claim_id)
    for claim in all_claims():
        if claim.id == claim_id:
            return claim
    raise UnknownClaimError(_unknown(claim_id))


def _matches(pattern: str, claim_id: str, topic: str) -> bool:
    return claim_id == pattern or claim_id.startswith(pattern.rstrip(".") + ".") or topic == pattern


def select(patterns: Iterable[str]) -> list[Claim]:
    """Claims matching any pattern: an exact id, an id prefix ending at a dot, or a topic."""
    patterns = list(patterns)
    entries = _entries()
    if entries is None:
        rows = [(c.id, c.topic) for c in all_claims()]
    else:
        rows = [(e["id"], e["topic"]) for e in entries]
    if not patterns:
        return list(all_claims())
    chosen: list[str] = []
    for pattern in patterns:
        hits = [cid for cid, topic in rows if _matches(pattern, cid, topic)]
        if not hits:
            raise UnknownClaimError(_unknown(pattern, [cid for cid, _ in rows]))
        chosen.extend(cid for cid in hits if cid not in chosen)
    topic_of = dict(rows)
    loaded = {c.id: c for t in dict.fromkeys(topic_of[cid] for cid in chosen) for c in _load_topic(t)}
    return [loaded[cid] for cid in chosen]


def _unknown(pattern: str, ids: list[str] | None = None) -> str:
    ids = [c.id for c in all_claims()] if ids is None else ids
    close = difflib.get_close_matches(pattern, ids, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else "run `dlproofs list` to see every id"
    return f"no claim matches {pattern!r}; {hint}"
