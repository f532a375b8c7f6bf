"""The claim graph: ``uses`` references resolve, the graph has no cycle, proofs/README.md draws
every edge in its mermaid block, and each claim page links both directions."""

from __future__ import annotations

import re

import pytest

from dlproofs.claim import Claim, Verdict
from dlproofs.errors import ClaimDefinitionError
from dlproofs.registry import all_claims, check_graph, topics, used_by
from dlproofs.render import claim_graph, render_index, render_topic


def record(claim_id: str, *uses: str, topic: str = "planted") -> Claim:
    return Claim(
        id=claim_id,
        title=claim_id,
        verdict=Verdict.NOT_FORMALIZABLE,
        summary="planted",
        reason="planted for a graph test",
        uses=uses,
        topic=topic,
    )


# ── the checks reject bad graphs ───────────────────────────────────────────────────────────
def test_a_dangling_reference_is_rejected_naming_the_claim_the_id_and_close_matches():
    claims = [record("bn.forward"), record("bn.backward", "bn.forwrd")]
    with pytest.raises(ClaimDefinitionError) as exc:
        check_graph(claims)
    message = str(exc.value)
    assert "bn.backward" in message and "'bn.forwrd'" in message and "did you mean bn.forward" in message


def test_a_cycle_is_rejected_and_printed():
    claims = [record("a.one", "a.two"), record("a.two", "a.three"), record("a.three", "a.one"), record("a.four")]
    with pytest.raises(ClaimDefinitionError, match=r"cycle: a\.one -> a\.two -> a\.three -> a\.one"):
        check_graph(claims)


def test_an_acyclic_graph_with_shared_foundations_passes():
    # a diamond (two claims on one foundation, a third on both) is not a cycle
    check_graph(
        [
            record("d.base"),
            record("d.left", "d.base"),
            record("d.right", "d.base"),
            record("d.top", "d.left", "d.right"),
        ]
    )


@pytest.mark.parametrize(
    "uses, message",
    [
        ("bn.forward", "must be a tuple"),
        (("Not An Id",), "not a claim id"),
        (("x.self",), "cannot use itself"),
        (("bn.forward", "bn.forward"), "more than once"),
    ],
)
def test_the_record_rejects_malformed_uses(uses, message):
    with pytest.raises(ClaimDefinitionError, match=message):
        Claim(id="x.self", title="t", verdict=Verdict.NOT_FORMALIZABLE, summary="s", reason="r", uses=uses)


# ── the registry's graph ───────────────────────────────────────────────────────────────────
def test_every_reference_in_the_registry_resolves_and_is_used():
    claims = all_claims()  # check_graph ran while loading
    ids = {c.id for c in claims}
    edges = [(ref, c.id) for c in claims for ref in c.uses]
    assert len(edges) >= 40
    assert all(ref in ids for ref, _ in edges)
    reverse = used_by()
    assert sorted((ref, user) for ref, users in reverse.items() for user in users) == sorted(edges)


def _mermaid(index: str) -> str:
    (block,) = re.findall(r"```mermaid\n(.*?)```", index, flags=re.S)
    return block


def test_the_index_draws_every_edge_and_colours_every_node_by_verdict():
    claims = all_claims()
    results = {c.id: {"verdict": c.verdict.value, "holds": True} for c in claims}
    block = _mermaid(render_index(topics(), results))
    label = dict(re.findall(r'^\s*(n\d+)\["([^"]+)"\]$', block, flags=re.M))
    drawn = {(label[a], label[b]) for a, b in re.findall(r"^\s*(n\d+) --> (n\d+)$", block, flags=re.M)}
    assert drawn == {(ref, c.id) for c in claims for ref in c.uses}
    verdict = {c.id: c.verdict.value for c in claims}
    for css, members in re.findall(r"^\s*class (\S+) (\S+)$", block, flags=re.M):
        for node in css.split(","):
            assert verdict[label[node]].replace(" ", "_") == members
    coloured = {n for css, _ in re.findall(r"^\s*class (\S+) (\S+)$", block, flags=re.M) for n in css.split(",")}
    assert coloured == set(label)
    assert set(re.findall(r"classDef (\S+) fill:", block)) == {verdict[cid].replace(" ", "_") for cid in label.values()}


def test_the_graph_is_coloured_by_the_checked_verdict_not_only_the_recorded_one():
    a, b = record("g.base"), record("g.top", "g.base")
    block = "\n".join(claim_graph([a, b], {"g.base": {"verdict": "refuted"}}))
    assert re.search(r"class n0 refuted", block) and re.search(r"class n1 not_formalizable", block)


def test_each_page_links_what_a_claim_uses_and_what_uses_it():
    claims = all_claims()
    by_id = {c.id: c for c in claims}
    involved = {by_id[cid].topic for c in claims for cid in (c.id, *c.uses) if c.uses} | {"batchnorm"}
    pages = {t: render_topic(t, cs, {}) for t, cs in topics().items() if t in involved}

    def section(claim_id: str) -> str:
        page = pages[by_id[claim_id].topic]
        start = page.index(f'<a id="{claim_id}"></a>')
        end = page.find('<a id="', start + 1)
        return page[start : end if end > 0 else None]

    def link(src: str, dst: str) -> str:
        topic = by_id[dst].topic
        return f"[`{dst}`](#{dst})" if topic == by_id[src].topic else f"[`{dst}`]({topic}.md#{dst})"

    for c in claims:
        for ref in c.uses:
            uses_line = next(line for line in section(c.id).splitlines() if line.startswith("**Uses:**"))
            assert f"{link(c.id, ref)} ({by_id[ref].verdict.value})" in uses_line.split("**Used by:**")[0]
            used_line = next(line for line in section(ref).splitlines() if "**Used by:**" in line)
            assert link(ref, c.id) in used_line.split("**Used by:**")[1]
    # a claim outside the graph gets no block at all
    assert "**Uses:**" not in section("bn.forward") and "**Used by:**" not in section("bn.forward")
