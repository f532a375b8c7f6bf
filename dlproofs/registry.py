"""The registry: every claim record of every module in ``derivations/``, by id.

A topic is a module (``derivations/batchnorm.py`` -> topic ``batchnorm`` -> proofs/batchnorm.md);
it lists its records in a module-level ``CLAIMS`` and declares the id prefixes it owns in
``PREFIXES`` (``("bn",)``). A claim lives in the topic that owns its prefix, so its page, and with
it its published link ``proofs/<topic>.md#<id>``, follows from its id, not from the file it
happened to be written in; a prefix has one owner. Ids are unique across topics, the claim graph
(each record's ``uses``) names existing claims only and has no cycle, and every id a retired page
published (``derivations/_moved.py``) names a claim, so its stub anchor links on to a real page.
A module's ``LATEX`` names symbols for all its claims; a record's own ``latex_names`` win.

:func:`all_claims` imports every topic and validates the whole catalog; :func:`get` and
:func:`select` import only the topics they need when the catalog index of the current sources
(:mod:`dlproofs.catalog`, written by a validating full load) says where each id lives.
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import importlib
import pkgutil
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache, lru_cache
from pathlib import Path

from . import catalog
from .claim import Claim
from .errors import ClaimDefinitionError, UnknownClaimError

__all__ = ["all_claims", "get", "select", "topics", "check_graph", "used_by", "check_ownership", "moved"]
__all__ += ["check_moved", "prefixes"]

PREFIX_PATTERN = re.compile(r"^[a-z0-9]+$")  # the first segment of a claim id (dlproofs.claim.ID_PATTERN)


def _topic_names() -> list[str]:
    from dlproofs import derivations

    names = sorted(i.name for i in pkgutil.iter_modules(derivations.__path__))
    return [n for n in names if not n.startswith("_")]


@cache
def _load_topic(name: str) -> tuple[Claim, ...]:
    """One topic module's records, with their topic and LaTeX names set; each record's id prefix
    must be one its module declares in ``PREFIXES``."""
    module = importlib.import_module(f"dlproofs.derivations.{name}")
    records = getattr(module, "CLAIMS", None)
    if records is None:
        raise ClaimDefinitionError(
            f"derivations/{name}.py defines no CLAIMS list; every topic module lists its "
            "claim records in CLAIMS (prefix the file name with _ for helper modules)"
        )
    declared = _declared(name, getattr(module, "PREFIXES", None))
    for claim in records:
        prefix = _prefix(claim.id)
        if prefix not in declared:
            raise ClaimDefinitionError(_misplaced(name, claim.id, prefix, declared, _owners_from_source().get(prefix)))
    latex = getattr(module, "LATEX", {})
    return tuple(
        dataclasses.replace(claim, topic=name, latex_names={**latex, **claim.latex_names}) for claim in records
    )


def _prefix(claim_id: str) -> str:
    return claim_id.split(".", 1)[0]


def _declared(name: str, value: object) -> tuple[str, ...]:
    """A module's ``PREFIXES``, checked: a non-empty tuple of id prefixes."""
    if value is None:
        raise ClaimDefinitionError(
            f"derivations/{name}.py declares no PREFIXES; a topic declares the id prefixes it owns, "
            f"e.g. PREFIXES = ({name[:4]!r},), so a claim's page follows from its id"
        )
    if isinstance(value, str) or not isinstance(value, tuple) or not value:
        hint = (
            f"; write PREFIXES = ({value!r},) (a one-element tuple needs the comma)" if isinstance(value, str) else ""
        )
        raise ClaimDefinitionError(
            f"derivations/{name}.py: PREFIXES = {value!r} is not a non-empty tuple of id prefixes{hint}"
        )
    bad = [p for p in value if not isinstance(p, str) or not PREFIX_PATTERN.match(p)]
    if bad:
        raise ClaimDefinitionError(
            f"derivations/{name}.py: PREFIXES holds {bad[0]!r}, which is not an id prefix (the part of an id "
            "before its first dot, lower-case letters and digits, e.g. 'bn' of 'bn.forward')"
        )
    return value


def _misplaced(name: str, claim_id: str, prefix: str, declared: Sequence[str], owner: str | None) -> str:
    """The one-line error for a claim written in a topic that does not own its prefix (``owner``:
    the topic that declares it, if any)."""
    where = f"derivations/{name}.py (PREFIXES = {tuple(declared)!r})"
    if owner is not None and owner != name:
        return (
            f"{where}: claim {claim_id!r} has prefix {prefix!r}, which derivations/{owner}.py owns; move the "
            f"record to derivations/{owner}.py (its page, and so its link, is {owner}.md#{claim_id})"
        )
    return (
        f"{where}: claim {claim_id!r} has prefix {prefix!r}, which no topic declares; add {prefix!r} to this "
        "module's PREFIXES if this topic should own it, or move the record to the topic that should"
    )


def _owners_from_source() -> dict[str, str]:
    """prefix -> topic, read from the modules' source without importing them (for error messages)."""
    from dlproofs import derivations

    owners: dict[str, str] = {}
    for name in _topic_names():
        for folder in derivations.__path__:
            try:
                tree = ast.parse((Path(folder) / f"{name}.py").read_text(encoding="utf-8"))
            except (OSError, SyntaxError):
                continue
            for node in tree.body:
                if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PREFIXES" for t in node.targets):
                    try:
                        for p in ast.literal_eval(node.value):
                            owners.setdefault(p, name)
                    except (ValueError, TypeError):
                        pass
    return owners


def prefixes() -> dict[str, tuple[str, ...]]:
    """topic -> the id prefixes its module declares (every topic imported)."""
    return {name: _declared(name, getattr(_module(name), "PREFIXES", None)) for name in _topic_names()}


def _module(name: str):
    return importlib.import_module(f"dlproofs.derivations.{name}")


def check_ownership(declared: Mapping[str, Sequence[str]], claims: Sequence[Claim]) -> None:
    """Each prefix is declared by one topic, and each claim's prefix by the topic it is in."""
    owner: dict[str, str] = {}
    for topic, prefixes_ in declared.items():
        for p in prefixes_:
            if p in owner:
                ids = {
                    t: next((c.id for c in claims if c.topic == t and _prefix(c.id) == p), None)
                    for t in (topic, owner[p])
                }
                held = "; ".join(f"{t}.py holds {cid}" for t, cid in ids.items() if cid) or "neither holds a claim"
                raise ClaimDefinitionError(
                    f"derivations/{topic}.py and derivations/{owner[p]}.py both declare prefix {p!r} in PREFIXES "
                    f"({held}); a prefix has one owner (its claims' page): drop {p!r} from one and move its records "
                    "to the other"
                )
            owner[p] = topic
    for c in claims:
        p = _prefix(c.id)
        if p not in declared.get(c.topic, ()):
            raise ClaimDefinitionError(_misplaced(c.topic, c.id, p, declared.get(c.topic, ()), owner.get(p)))


def moved() -> dict[str, tuple[str, ...]]:
    """Retired page -> the claim ids it published (``derivations/_moved.py``), for the stub anchors."""
    from dlproofs.derivations._moved import MOVED

    return MOVED


def check_moved(moved_ids: Mapping[str, Sequence[str]], claims: Sequence[Claim]) -> None:
    """Every id a page published and left names a claim that now lives on another page."""
    topic_of = {c.id: c.topic for c in claims}
    for page, ids in moved_ids.items():
        for cid in ids:
            if cid not in topic_of:
                close = difflib.get_close_matches(cid, sorted(topic_of), n=3, cutoff=0.6)
                hint = f"did you mean {', '.join(close)}?" if close else "ids are never deleted: restore the claim"
                raise ClaimDefinitionError(
                    f"derivations/_moved.py: {page}.md published {cid!r}, which names no claim; its stub anchor "
                    f"would link nowhere; {hint}"
                )
            if topic_of[cid] == page:
                raise ClaimDefinitionError(
                    f"derivations/_moved.py: {cid!r} is listed as moved off {page}.md, but it lives there; a stub "
                    "anchor would duplicate the claim's own anchor: remove the entry"
                )


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
    check_ownership(prefixes(), claims)
    check_graph(claims)
    check_moved(moved(), claims)
    _check_sentences(claims)
    out = tuple(claims)
    if catalog.load() is None:
        catalog.write(catalog.build(out))
    return out


def _check_sentences(claims: Sequence[Claim]) -> None:
    """Each seed sentence is one Sentence object across the registry (dlproofs.ledger.check_sentences)."""
    from .ledger import check_sentences

    problems = check_sentences(claims)
    if problems:
        raise ClaimDefinitionError("a seed sentence is written more than once:\n  " + "\n  ".join(problems))


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
