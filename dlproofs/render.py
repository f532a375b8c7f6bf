"""Render proofs/<topic>.md and proofs/README.md from claim records and their check results.

Deterministic: the same records and the same outcomes give the same bytes, whatever the library
versions. A numeric check is shown by its *design* (what it compares, the cases it asks for, its
tolerance and why, the planted wrong formulas it rejects) and its *outcome* (holds / fails); the
figures of a particular run (largest error seen, its bound, cases drawn, seconds, versions) go to
proofs/results.json (:func:`dlproofs.report.run_figures`), so a Hypothesis patch release does not
make proofs/ stale. GitHub-safe math: display math only in ```math fences, norms as
\\lVert \\rVert, no math inside table cells.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sympy as sp

from .claim import Claim, Derivation, Verdict, squeeze
from .evidence import Evidence
from .latex import to_latex
from .report import fingerprint, verdict_text
from .tiers import method_text

__all__ = ["render_topic", "render_index", "render_moved_page", "claim_graph", "SEED_DIR"]

SEED_DIR = "../shared/seeds"


def _math(tex: str) -> str:
    return f"```math\n{tex}\n```"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _definition(name: sp.Basic, value: sp.Basic, names: Mapping[sp.Basic, str]) -> str:
    if isinstance(name, sp.IndexedBase) and isinstance(value, sp.Lambda):
        (var,) = value.variables
        return f"{to_latex(name[var], names)} = {to_latex(value.expr, names)}"
    return f"{to_latex(name, names)} = {to_latex(value, names)}"


def _used_definitions(d: Derivation) -> list[tuple[sp.Basic, sp.Basic]]:
    """The abbreviations this derivation's expressions use, directly or through one another."""

    def mentions(expr: sp.Basic, name: sp.Basic) -> bool:
        return expr.has(name.label if isinstance(name, sp.IndexedBase) else name)

    exprs = [d.lhs, *(s.expr for s in d.steps)]
    used: list[tuple[sp.Basic, sp.Basic]] = []
    for name, value in reversed(d.where):
        if any(mentions(e, name) for e in exprs) or any(mentions(v, name) for _, v in used):
            used.insert(0, (name, value))
    return used


def _derivation(d: Derivation, res: Mapping[str, Any] | None, names: Mapping[sp.Basic, str]) -> list[str]:
    out = [f"#### {d.name}", ""]
    used = _used_definitions(d)
    if used:
        out += ["Where:", ""] + [_math(_definition(n, v, names)) for n, v in used] + [""]
    out += ["Start from", "", _math(to_latex(d.lhs, names)), ""]
    rel = {"=": "=", "<=": r"\leq", ">=": r"\geq"}
    for n, step in enumerate(d.steps, 1):
        link = res["steps"][n - 1] if res else None
        evidence = method_text(link["method"]) if link else "not checked"  # the tier describes itself
        needs = link.get("assumptions", []) if link else []
        if needs:
            evidence += "; needs " + ", ".join(f"`{a}`" for a in needs)
        out += [f"**Step {n}** — *{step.rule}.* {step.why} ({evidence})", ""]
        out += [_math(f"{rel[step.relation]} {to_latex(step.expr, names)}"), ""]
        if link and link["counterexample"]:
            pts = ", ".join(f"{k} = {v}" for k, v in link["counterexample"].items())
            out += [f"> Counterexample to this step: {pts}", ""]
    if res and res["sizes_checked"]:
        (size_sym,) = list(d.sizes)[:1]
        sizes = ", ".join(map(str, res["sizes_checked"]))
        pins = "".join(f", {k} = {v}" for k, v in d.pins.items())
        out += [f"Also checked exactly at concrete {size_sym} = {sizes}{pins} (a cross-check of the normalizer).", ""]
    return out


def cases_asked(check: Evidence, profile: str = "ci") -> str:
    """How many cases the check's design asks for in ``profile`` (not how many a run drew)."""
    return check.cases_asked(profile)


def _numeric(claim: Claim, res: Mapping[str, Any] | None) -> list[str]:
    if not claim.numeric:
        return []
    out = ["### Numeric cross-validation", ""]
    out += [
        "Inputs drawn by Hypothesis (profile `ci`, derandomized; at least the profile's evidence floor of cases) "
        "or, for Monte Carlo checks, on fixed seeds. In the run that decided the verdict every check below also "
        "rejected each of its planted wrong formulas. The figures of that run (largest error seen and its bound, "
        "cases drawn, seconds, library versions) are in [results.json](results.json).",
        "",
        "| check | outcome | cases asked | planted formulas rejected |",
        "|---|---|---|---|",
    ]
    results = {r["name"]: r for r in (res or {}).get("numeric", [])}
    for check in claim.numeric:
        r = results.get(check.name)
        outcome = "not run" if r is None else ("holds" if r["status"] == "pass" else "fails")
        planted = f"{len(check.planted)} of {len(check.planted)}" if r is not None and r["status"] == "pass" else "-"
        out.append(f"| {_cell(check.name)} | {outcome} | {check.cases_asked('ci')} | {planted} |")
    out.append("")
    for check in claim.numeric:
        text = check.describe_in_proof("ci")  # the evidence describes itself (dlproofs.evidence)
        out.append(f"- **{check.name}**" + (f": {text.compares}." if text.compares else "."))
        out += [f"  {line}" for line in text.lines]
        if check.planted:
            out.append(
                "  Shown to reject the planted wrong formulas: " + "; ".join(f"*{p}*" for p in check.planted) + "."
            )
    out.append("")
    return out


def _counterexamples(claim: Claim, res: Mapping[str, Any] | None) -> list[str]:
    if not claim.counterexamples:
        return []
    out = ["### Counterexamples", ""]
    results = (res or {}).get("counterexamples", [])
    for n, cx in enumerate(claim.counterexamples):
        r = results[n] if n < len(results) else None
        state = "confirmed" if r and r["confirmed"] else "NOT confirmed"
        if r and r.get("violates_premise") is not None:
            state += ", violates the premise" if r["violates_premise"] else ", does NOT violate the premise"
        line = f"- {cx.description} — {state}"
        if r:
            line += f": lhs = {r['lhs']}, rhs = {r['rhs']}" + (f" ({r['detail']})" if r["detail"] else "")
        out.append(line)
        if cx.relation is not None:
            out += ["", _math(to_latex(cx.relation, claim.latex_names)), ""]
    out.append("")
    return out


def _premise(claim: Claim) -> list[str]:
    p = claim.premise
    out = ["**Premise, as the engine checks it** (every counterexample must violate it):", ""]
    if p.relation is not None:
        out += [_math(to_latex(p.relation, claim.latex_names)), ""]
    if p.holds is not None:
        out += ["and, for counterexamples observed by running code, a check of the setting the run reports.", ""]
    return out


def _trust(res: Mapping[str, Any] | None) -> list[str]:
    """What the proof rests on beyond the tiers: lemmas, axioms, certificates and the symbol
    assumptions its steps needed (the whole trust base is in trust.md)."""
    if not res:
        return []
    lemmas = [r for r in res.get("rests_on", []) if r.split(" ", 1)[0] in ("lemma", "axiom", "certificate:")]
    needs = res.get("assumptions_used", [])
    if not (lemmas or needs):
        return []
    parts = []
    if lemmas:
        parts.append("lemmas " + ", ".join(f"`{r}`" for r in lemmas))
    if needs:
        parts.append("the symbol assumptions " + ", ".join(f"`{a}`" for a in needs))
    return [f"**Rests on** (besides the kernel tiers, see [trust.md](trust.md)): {'; '.join(parts)}.", ""]


def _sources(claim: Claim) -> list[str]:
    """Each seed sentence this claim judges, the fragment judged (when the sentence makes several
    assertions) and its gloss: the page says which words its verdict is about, as the ledger does."""
    out: list[str] = []
    for s in claim.sources:
        out += [f"> {s.quote}", ">"]
        if s.assertion and squeeze(s.assertion) != squeeze(s.quote):
            kind = "" if s.kind == "assertion" else f" ({s.kind})"
            out += [f"> Judged here{kind}: «{s.assertion}»", ">"]
        line = f", line {s.line}" if s.line else ""
        out += [f"> *{s.gloss}* — [{s.file}]({SEED_DIR}/{s.file}){line}, {s.section}", ""]
    return out


def render_claim(claim: Claim, res: Mapping[str, Any] | None) -> str:
    names = claim.latex_names
    verdict = verdict_text(claim, res["verdict"]) if res else "not checked"
    mark = "" if res is None or res["holds"] else f" (recorded: {claim.verdict.value})"
    out = [f'<a id="{claim.id}"></a>', f"## `{claim.id}` — {claim.title}", ""]
    out += [f"**Verdict: {verdict}**{mark} · fingerprint `{fingerprint(claim)}`", ""]
    out += _sources(claim)
    out += [claim.summary, ""]
    if claim.refutes:
        shown = [r if isinstance(r, str) else f"${to_latex(r, names)}$" for r in claim.refutes]
        if claim.verdict is Verdict.CONDITIONAL:
            out += [
                "**Without the hypothesis** (the statement the counterexamples show false): " + "; ".join(shown) + ".",
                "",
            ]
        else:
            out += ["**Refutes** (the statement shown false): " + "; ".join(shown) + ".", ""]
    if claim.derivations:
        out += ["**Statement.**", ""]
        out += [_math(to_latex(s, names)) for s in claim.statement] + [""]
    if claim.tested_reason:
        out += [f"**Why tested, not proved.** {claim.tested_reason}", ""]
    if claim.assumptions:
        out += ["**Assumptions.** " + "; ".join(claim.assumptions) + ".", ""]
    out += _trust(res)
    if claim.hypothesis:
        out += [f"**Extra hypothesis (conditional verdict).** {claim.hypothesis}", ""]
    if claim.premise is not None:
        out += _premise(claim)
    if claim.reason:
        out += [f"**Why not formalizable.** {claim.reason}", ""]
    if claim.derivations:
        out += ["### Derivation", ""]
        sym = (res or {}).get("symbolic", [])
        for n, d in enumerate(claim.derivations):
            out += _derivation(d, sym[n] if n < len(sym) else None, names)
    out += _counterexamples(claim, res)
    out += _numeric(claim, res)
    if claim.contract is not None:
        out += [
            "### Contract",
            "",
            f"`dlproofs conform {claim.id} file.py:fn` checks `{claim.contract.signature}`.",
            "",
        ]
    out += _graph_links(claim)
    if claim.notes:
        out += ["### Notes", ""] + [f"- {n}" for n in claim.notes] + [""]
    return "\n".join(out)


def render_topic(
    topic: str,
    claims: Sequence[Claim],
    results: Mapping[str, Mapping[str, Any]],
    moved: Sequence[Claim] = (),
) -> str:
    """A topic's page: the claims with evidence, then the not-formalizable records in their own
    section, then stub anchors for claims this page once published (``moved``, living elsewhere)."""
    doc = _topic_doc(topic)
    formal = [c for c in claims if c.verdict is not Verdict.NOT_FORMALIZABLE]
    informal = [c for c in claims if c.verdict is Verdict.NOT_FORMALIZABLE]
    out = [f"# {topic}", "", "<!-- generated by `dlproofs render`; do not edit -->", ""]
    if doc:
        out += [doc, ""]
    out += ["| claim | verdict |", "|---|---|"]
    out += [f"| [`{c.id}`](#{c.id}) {_cell(c.title)} | {_cell(_label(c, results))} |" for c in formal + informal]
    out.append("")
    for c in formal:
        out += [render_claim(c, results.get(c.id)), ""]
    if informal:
        out += ["## Not formalizable", "", _NOT_FORMALIZABLE, ""]
        for c in informal:
            out += [_demote(render_claim(c, results.get(c.id))), ""]
    if moved:
        out += ["## Moved to other pages", "", _MOVED, ""] + _moved_entries(moved)
    return "\n".join(out).rstrip() + "\n"


_NOT_FORMALIZABLE = (
    "Statements of the seeds about practice, history or opinion: no derivation or counterexample can settle "
    "them. Each says why, and which claim covers the part of it that is precise; the "
    "[ledger](ledger.md) lists them with the seed sentences they judge."
)
_MOVED = (
    "This page once published the claims below; each now lives on the page of the topic that owns its id "
    "prefix. The anchors stay so that old links keep working."
)


def render_moved_page(page: str, moved: Sequence[Claim]) -> str:
    """A retired page (its module is gone): one stub anchor per claim it published, with the same
    anchor id as before, linking on to the claim's current page."""
    out = [f"# {page}", "", "<!-- generated by `dlproofs render`; do not edit -->", ""]
    out += [
        f"This page no longer holds claims: `derivations/{page}.py` was dissolved and each of its claims now "
        "lives on the page of the topic that owns its id prefix. The anchors below keep old links working; "
        "cite the new ones.",
        "",
    ]
    out += _moved_entries(moved)
    return "\n".join(out).rstrip() + "\n"


def _moved_entries(moved: Sequence[Claim]) -> list[str]:
    out: list[str] = []
    for c in moved:
        out += [f'<a id="{c.id}"></a>', f"[`{c.id}`]({c.topic}.md#{c.id}) — {c.title} (now in {c.topic}.md)", ""]
    return out


def _demote(text: str) -> str:
    """One heading level deeper (outside code fences): a record nested in a section of the page."""
    out, fenced = [], False
    for line in text.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
        out.append("#" + line if line.startswith("#") and not fenced else line)
    return "\n".join(out)


def _topic_doc(topic: str) -> str:
    import importlib

    module = importlib.import_module(f"dlproofs.derivations.{topic}")
    return (module.__doc__ or "").strip()


def _graph_links(claim: Claim) -> list[str]:
    """The "Uses" and "Used by" lines of a claim page: links to the anchors of the claims it builds
    on and of those that build on it (the registry's claim graph)."""
    from .registry import all_claims, used_by

    topic_of = {c.id: c.topic for c in all_claims()}
    verdict = {c.id: c.verdict.value for c in all_claims()}

    def link(cid: str) -> str:
        topic = topic_of.get(cid)
        return f"[`{cid}`](#{cid})" if topic == claim.topic or topic is None else f"[`{cid}`]({topic}.md#{cid})"

    users = used_by().get(claim.id, [])
    out = []
    if claim.uses:
        # each with its recorded verdict: a reader sees at once when a proof rests on a weaker one
        out.append("**Uses:** " + ", ".join(f"{link(c)} ({verdict.get(c, '?')})" for c in claim.uses) + ".")
    if users:
        out.append("**Used by:** " + ", ".join(map(link, users)) + ".")
    return [" ".join(out), ""] if out else []


def _label(claim: Claim, results: Mapping[str, Mapping[str, Any]]) -> str:
    res = results.get(claim.id)
    return verdict_text(claim, res["verdict"]) if res else "?"


def render_index(topics: Mapping[str, Sequence[Claim]], results: Mapping[str, Mapping[str, Any]]) -> str:
    counts: dict[str, int] = {}
    for r in results.values():
        counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
    out = ["# dlproofs — proofs", "", "<!-- generated by `dlproofs render`; do not edit -->", ""]
    out += ["Verdicts: " + ", ".join(f"{v} {n}" for v, n in sorted(counts.items())) + ".", ""]
    out += ["The seed articles statement by statement, with these verdicts: [ledger.md](ledger.md).", ""]
    out += ["| claim | topic | verdict | title |", "|---|---|---|---|"]
    for topic, claims in topics.items():
        for c in claims:
            verdict = _cell(_label(c, results))
            out.append(f"| [`{c.id}`]({topic}.md#{c.id}) | {topic} | {verdict} | {_cell(c.title)} |")
    graph = claim_graph([c for claims in topics.values() for c in claims], results)
    out += ["", *graph] if graph else []
    return "\n".join(out) + "\n"


# Fill colours of the claim graph, one class per verdict (a word of `dlproofs check`'s label).
_GRAPH_COLOURS = {
    "proved": "#c8e6c9",
    "tested": "#fff9c4",
    "conditional": "#ffe0b2",
    "refuted": "#ffcdd2",
    "not formalizable": "#e0e0e0",
}


def claim_graph(claims: Sequence[Claim], results: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The ``uses`` graph as a Mermaid flowchart (GitHub renders ```mermaid blocks): an arrow
    A --> B says B builds on A; each node is filled by its checked verdict (else the recorded one)."""
    edges = [(ref, c.id) for c in claims for ref in c.uses]
    if not edges:
        return []
    by_id = {c.id: c for c in claims}
    nodes = list(dict.fromkeys(cid for edge in edges for cid in edge))
    name = {cid: f"n{k}" for k, cid in enumerate(nodes)}
    out = ["## Claim graph", ""]
    out += [
        "An arrow A → B: B builds on A (its record's `uses`). Colour: the verdict "
        "(green proved, yellow tested, orange conditional, red refuted, grey not formalizable).",
        "",
        "```mermaid",
        "flowchart LR",
    ]
    out += [f'  {name[cid]}["{cid}"]' for cid in nodes]
    out += [f"  {name[a]} --> {name[b]}" for a, b in edges]
    groups: dict[str, list[str]] = {}
    for cid in nodes:
        res = results.get(cid)
        verdict = res["verdict"] if res else by_id[cid].verdict.value
        groups.setdefault(verdict, []).append(name[cid])
    for verdict, members in sorted(groups.items()):
        css = verdict.replace(" ", "_")
        out.append(f"  classDef {css} fill:{_GRAPH_COLOURS.get(verdict, '#ffffff')},stroke:#555")
        out.append(f"  class {','.join(members)} {css}")
    return out + ["```"]
