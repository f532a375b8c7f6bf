"""Render proofs/<topic>.md and proofs/README.md from claim records and their check results.

Deterministic: the same records, versions and results give the same bytes (no timings, no
dates; numeric figures come from the derandomized ``ci`` profile). GitHub-safe math: display
math only in ```math fences, norms as \\lVert \\rVert, no math inside table cells.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sympy as sp

from .claim import Claim, Derivation
from .latex import to_latex
from .report import fingerprint, versions

__all__ = ["render_topic", "render_index", "SEED_DIR"]

SEED_DIR = "../shared/seeds"
_EVIDENCE = {
    "exact": "proved symbolically (exact rational normalisation)",
    "sums": "proved symbolically for symbolic size (power-sum normal form)",
    "simplify": "proved symbolically (simplify)",
    "lemma": "inequality proved by a checked lemma instance or certificate (dlproofs.lemmas)",
    "counterexample": "REFUTED at a point",
    "none": "UNDECIDED",
}


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
        evidence = _EVIDENCE.get(link["method"], link["method"]) if link else "not checked"
        if link and link["status"] == "cited":
            evidence = f"cited lemma: {step.lemma}; backed by the numeric property check below"
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


def _numeric(claim: Claim, res: Mapping[str, Any] | None) -> list[str]:
    if not claim.numeric:
        return []
    out = ["### Numeric cross-validation", ""]
    v = versions()
    out += [
        f"Hypothesis-generated float64 inputs (profile `ci`, derandomized); sympy {v['sympy']}, "
        f"torch {v['torch']}, hypothesis {v['hypothesis']}.",
        "",
        "| check | status | examples | worst case: error / bound | where |",
        "|---|---|---|---|---|",
    ]
    results = {r["name"]: r for r in (res or {}).get("numeric", [])}
    for check in claim.numeric:
        r = results.get(check.name)
        if r is None:
            out.append(f"| {_cell(check.name)} | not run | | | |")
            continue
        err = "" if r["max_error"] is None or not r["bound"] else f"{r['max_error']:.2g} / {r['bound']:.2g}"
        out.append(f"| {_cell(check.name)} | {r['status']} | {r['examples']} | {err} | {_cell(r['worst'])} |")
    out.append("")
    for check in claim.numeric:
        refs = getattr(check, "references", {})
        detail = getattr(check, "description", "")
        out.append(f"- **{check.name}**" + (f": against {', '.join(f'`{r}`' for r in refs)}." if refs else "."))
        if detail:
            out.append(f"  {detail}")
        out.append(f"  Tolerance: {r_tol(check)}")
        if check.planted:
            out.append(
                "  Shown to reject the planted wrong formulas: " + "; ".join(f"*{p}*" for p in check.planted) + "."
            )
    out.append("")
    return out


def r_tol(check: Any) -> str:
    tol = getattr(check, "tolerance", None)
    if tol is not None and hasattr(tol, "describe"):
        return tol.describe()
    return getattr(check, "reason", "see the check")


def _counterexamples(claim: Claim, res: Mapping[str, Any] | None) -> list[str]:
    if not claim.counterexamples:
        return []
    out = ["### Counterexamples", ""]
    results = (res or {}).get("counterexamples", [])
    for n, cx in enumerate(claim.counterexamples):
        r = results[n] if n < len(results) else None
        state = "confirmed" if r and r["confirmed"] else "NOT confirmed"
        line = f"- {cx.description} — {state}"
        if r:
            line += f": lhs = {r['lhs']}, rhs = {r['rhs']}" + (f" ({r['detail']})" if r["detail"] else "")
        out.append(line)
        if cx.relation is not None:
            out += ["", _math(to_latex(cx.relation, claim.latex_names)), ""]
    out.append("")
    return out


def _sources(claim: Claim) -> list[str]:
    out: list[str] = []
    for s in claim.sources:
        out += [f"> {s.quote}", ">", f"> *{s.gloss}* — [{s.file}]({SEED_DIR}/{s.file}), {s.section}", ""]
    return out


def render_claim(claim: Claim, res: Mapping[str, Any] | None) -> str:
    names = claim.latex_names
    verdict = res["verdict"] if res else "not checked"
    mark = "" if res is None or res["holds"] else f" (recorded: {claim.verdict.value})"
    out = [f'<a id="{claim.id}"></a>', f"## `{claim.id}` — {claim.title}", ""]
    out += [f"**Verdict: {verdict}**{mark} · fingerprint `{fingerprint(claim)}`", ""]
    out += _sources(claim)
    out += [claim.summary, ""]
    if claim.derivations:
        out += ["**Statement.**", ""]
        out += [_math(to_latex(s, names)) for s in claim.statement] + [""]
    if claim.numeric and not claim.derivations and claim.verdict.value == "proved":
        out += ["**Evidence.** Numeric and behavioural checks only (below); this claim has no symbolic derivation.", ""]
    if claim.assumptions:
        out += ["**Assumptions.** " + "; ".join(claim.assumptions) + ".", ""]
    if claim.hypothesis:
        out += [f"**Extra hypothesis (conditional verdict).** {claim.hypothesis}", ""]
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
    if claim.notes:
        out += ["### Notes", ""] + [f"- {n}" for n in claim.notes] + [""]
    return "\n".join(out)


def render_topic(topic: str, claims: Sequence[Claim], results: Mapping[str, Mapping[str, Any]]) -> str:
    doc = _topic_doc(topic)
    out = [f"# {topic}", "", "<!-- generated by `dlproofs render`; do not edit -->", ""]
    if doc:
        out += [doc, ""]
    out += ["| claim | verdict |", "|---|---|"]
    out += [f"| [`{c.id}`](#{c.id}) {_cell(c.title)} | {results.get(c.id, {}).get('verdict', '?')} |" for c in claims]
    out.append("")
    for c in claims:
        out += [render_claim(c, results.get(c.id)), ""]
    return "\n".join(out).rstrip() + "\n"


def _topic_doc(topic: str) -> str:
    import importlib

    module = importlib.import_module(f"derivations.{topic}")
    return (module.__doc__ or "").strip()


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
            verdict = results.get(c.id, {}).get("verdict", "?")
            out.append(f"| [`{c.id}`]({topic}.md#{c.id}) | {topic} | {verdict} | {_cell(c.title)} |")
    return "\n".join(out) + "\n"
