"""The ``dlproofs`` command line (also ``python -m dlproofs``).

User errors (unknown id, bad flag, unwritable path) print one line and exit 2; a claim whose
evidence does not support its recorded verdict exits 1; no raw traceback for a user error.
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from .errors import DlproofsError, OutputError

__all__ = ["main", "cli"]

PROFILES = click.Choice(["dev", "ci", "thorough"])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dlproofs")
def cli() -> None:
    """Executable proofs of deep-learning math: SymPy derivations checked step by step,
    cross-validated against PyTorch on Hypothesis inputs, rendered to Markdown."""


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
def list_cmd(as_json: bool) -> None:
    """List every claim with its topic, recorded verdict and source."""
    from .catalog import current

    # the catalog index answers without importing the topic modules (or torch)
    keys = ("id", "title", "topic", "verdict", "tested_reason")
    rows = [
        {
            **{k: e[k] for k in keys},
            "source": e["sources"][0]["file"] if e["sources"] else None,
            "sources": e["sources"],
            "contract": e["contract"],
            "uses": e["uses"],  # the claims it builds on (the claim graph)
        }
        for e in current()["claims"]
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table("id", "topic", "verdict", "title", "source")
    for r in rows:
        table.add_row(r["id"], r["topic"], r["verdict"], r["title"], r["source"] or "")
    Console().print(table)


@cli.command()
@click.argument("patterns", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print results as a JSON array.")
@click.option("--profile", type=PROFILES, default="ci", show_default=True, help="Hypothesis profile.")
@click.option("--seed", type=int, default=None, help="Seed the numeric searches (bypasses the cache).")
@click.option("--no-cache", is_flag=True, help="Re-run every check even if a cached result is current.")
@click.option("--symbolic-only", is_flag=True, help="Skip the numeric cross-validation.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None, help="Worker processes (default: 2).")
def check(
    patterns: tuple[str, ...],
    as_json: bool,
    profile: str,
    seed: int | None,
    no_cache: bool,
    symbolic_only: bool,
    jobs: int | None,
) -> None:
    """Check claims (ids, id prefixes such as `bn`, or topics; default: all).

    Exit 0 when every selected claim's evidence supports its recorded verdict, 1 otherwise.
    """
    from .registry import select
    from .runner import prestart_workers, run_claims

    # a selection needs only its topics (the catalog index says where each id lives); the whole
    # catalog (no pattern) is loaded here while the fork server loads it for the workers
    claims = select(patterns) if patterns else None
    if (jobs or 2) > 1 and (claims is None or len(claims) > 1):
        prestart_workers()  # its imports overlap with ours (idle if every result is cached)
    claims = claims if claims is not None else select(patterns)
    results = run_claims(
        claims, profile=profile, seed=seed, use_cache=not no_cache, numeric=not symbolic_only, jobs=jobs
    )
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        _summary(results)
    from .check import SYMBOLIC_ONLY

    # --symbolic-only: a claim whose numeric checks were skipped is reported as such (never "proved")
    # and does not fail the run; anything else that does not hold does.
    failed = [r for r in results if not r["holds"] and r["verdict"] != SYMBOLIC_ONLY]
    if failed and not as_json:
        for r in failed:
            click.echo(
                f"\n{r['id']}: recorded {r['recorded']}, evidence gives {r['verdict']}\n{r['problem']}", err=True
            )
    sys.exit(1 if failed else 0)


def _summary(results: list[dict]) -> None:
    table = Table("claim", "verdict", "steps", "numeric", "seconds", title="dlproofs check")
    for r in results:
        steps = [s["status"] for d in r["symbolic"] for s in d["steps"]]
        proved = sum(s == "proved" for s in steps)  # a cited lemma is not a proved step
        nums = r["numeric"]
        examples = sum(n["examples"] for n in nums)
        num = f"{sum(n['status'] == 'pass' for n in nums)}/{len(nums)} ({examples} ex.)" if nums else "-"
        verdict = r["verdict_text"] if r["holds"] else f"[red]{r['verdict']} (recorded {r['recorded']})[/red]"
        if not r["holds"] and r["problem"] == r["verdict"]:  # --symbolic-only: numeric not run
            verdict = f"[yellow]{r['verdict']}[/yellow]"
        secs = "cached" if r.get("cached") else f"{r['seconds']:.2f}"
        table.add_row(r["id"], verdict, f"{proved}/{len(steps)}" if steps else "-", num, secs)
    console = Console()
    console.print(table)
    held = sum(r["holds"] for r in results)
    console.print(f"{held}/{len(results)} claims hold their recorded verdict.")
    skipped = sum(not r["holds"] and r["problem"] == r["verdict"] for r in results)
    if skipped:
        console.print(f"{skipped} claims: symbolic part holds; numeric not run (--symbolic-only), so not proved.")


@cli.command()
@click.option("--check", "check_only", is_flag=True, help="Do not write; exit 1 naming stale files.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output directory (default: proofs/ of the project).",
)
@click.option("--profile", type=PROFILES, default="ci", show_default=True, hidden=True)
def render(check_only: bool, out: Path | None, profile: str) -> None:
    """Write proofs/<topic>.md and proofs/README.md from the claim records."""
    from .publish import build_proofs, stale_files, write_proofs
    from .runner import project_root

    out = out or project_root() / "proofs"
    files = build_proofs(profile=profile)
    if check_only:
        stale = stale_files(out, files)
        if stale:
            what = ", ".join(stale)
            click.echo(f"dlproofs: proofs/ is stale: {what}; run `dlproofs render` and commit the result", err=True)
            sys.exit(1)
        click.echo(f"proofs/ is current ({len(files)} files)")
        return
    written = write_proofs(out, files)
    click.echo(f"wrote {written} of {len(files)} files to {out} (the rest were already current)")


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


@cli.command()
@click.argument("claim_id")
def cite(claim_id: str) -> None:
    """A Markdown snippet citing CLAIM_ID for a code review."""
    from importlib.metadata import version

    from .catalog import current
    from .errors import UnknownClaimError

    entries = {e["id"]: e for e in current()["claims"]}  # the index: no topic module is imported
    if claim_id not in entries:
        from .registry import _unknown

        raise UnknownClaimError(_unknown(claim_id, list(entries)))
    claim = entries[claim_id]
    lines = [f"[`{claim_id}`](proofs/{claim['topic']}.md#{claim_id}) — {claim['title']}", ""]
    for tex in claim["statement"]:
        lines += ["```math", tex, "```"]
    lines += [
        "",
        f"Verdict: **{claim['verdict']}** · fingerprint `{claim['fingerprint']}` "
        f"(sympy {version('sympy')}, torch {version('torch')})",
    ]
    click.echo("\n".join(lines))


@cli.command()
@click.argument("claim_id", metavar="CLAIM", required=False)
@click.argument("target", metavar="TARGET", required=False)
@click.option("--max-examples", type=click.IntRange(min=1), default=100, show_default=True, help="Inputs to try.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same verdict, same report.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--list", "list_only", is_flag=True, help="List every claim with a contract and its call signature.")
@click.option(
    "--output", type=click.IntRange(min=0), default=None, help="TARGET returns a tuple: compare its element N."
)
@click.option(
    "--arrays",
    type=click.Choice(["auto", "torch", "numpy", "jax"]),  # jax: dlproofs/jax_targets.py (optional extra)
    default="auto",
    show_default=True,
    help="Call TARGET with torch tensors, numpy arrays or jax arrays (auto: decided by probe calls in that "
    "order, jax only if installed).",
)
@click.option(
    "--weights",
    default=None,
    metavar="PARAM=INPUT,...",
    help="nn.Module TARGET: load each named parameter from this contract input (e.g. a_2=gamma,b_2=beta); "
    "a plain class built by --build: set each named attribute; INPUT[i/k] is block i of k equal blocks "
    "along dim 0 (e.g. q_proj.weight=w_qkv[0/3]).",
)
@click.option(  # issue 12: declared calls (dlproofs/calling.py)
    "--call",
    "call_template",
    default=None,
    metavar="TEMPLATE",
    help="How to call TARGET, as a call of f on the contract's inputs, e.g. 'f(grad_out, z)' or "
    "'f(x, gamma, beta, {\"eps\": eps})'.",
)
@click.option(
    "--build",
    "build_template",
    default=None,
    metavar="TEMPLATE",
    help="Class TARGET: how to construct it per case, as a call of cls, e.g. 'cls(x.shape[-1], bias=True)'.",
)
@click.option(
    "--layout", default=None, metavar="NAME", help="Call TARGET in another layout the contract declares (--list)."
)
@click.option(
    "--option",
    "options",
    default=None,
    metavar="KEY=VALUE,...",
    help="Fix contract options (e.g. causal=true,padding=false for code that is always causal); see --list.",
)
# issue 12 precision modes (dlproofs.precision)
@click.option(
    "--dtype",
    type=click.Choice(["float64", "float32", "bfloat16", "float16"]),
    default=None,
    help="Give TARGET inputs rounded to this dtype; it must return it (tolerance derived at its epsilon) [float64].",
)
@click.option("--eps", type=float, default=None, help="Fix the contract's eps input to the ε TARGET hard-codes.")
@click.option("--device", type=str, default=None, help="cuda or cpu: run TARGET there (inputs moved, outputs back).")
def conform(
    claim_id: str | None,
    target: str | None,
    max_examples: int,
    seed: int,
    as_json: bool,
    list_only: bool,
    output: int | None,
    arrays: str,
    weights: str | None,
    call_template: str | None,
    build_template: str | None,
    layout: str | None,
    options: str | None,
    dtype: str | None,
    eps: float | None,
    device: str | None,
) -> None:
    """Check an outside implementation TARGET against the verified contract of CLAIM.

    TARGET is path/to/file.py:function or package.module:function (a function on torch tensors,
    numpy arrays or jax arrays, or an nn.Module class). Exit 0 when it conforms, 1 when a counterexample was
    found (printed, shrunk), 2 when the check could not run (including a TARGET that cannot be
    called as the contract calls it: one line with what was expected and how to fix it).
    """
    if list_only:
        from .catalog import current

        entries = {e["id"]: e for e in current()["claims"]}
        rows = [{"id": e["id"], "signature": e["contract"], "title": e["title"]} for e in entries.values()]
        rows = [r for r in rows if r["signature"]]  # from the index, as contract_claims() would list them
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        width = max((len(r["id"]) for r in rows), default=0)
        click.echo("claims with a contract (dlproofs conform CLAIM TARGET):")
        from .layouts import LAYOUTS  # issue 12: each contract's declared layouts

        for r in rows:  # plain lines: a signature must never be wrapped
            click.echo(f"  {r['id'].ljust(width)}  {r['signature']}")
            for lay in LAYOUTS.get(r["id"], ()):
                click.echo(f"  {''.ljust(width)}    --layout {lay.name}: {lay.signature}")
            for line in entries[r["id"]].get("derived", ()):  # issue 12: derived values templates may use
                click.echo(f"  {''.ljust(width)}    --call/--build may use {line}")
        return
    from .conform import ConformError, conform, dumps, load_target, use_private_storage

    use_private_storage()  # nothing is written to the working directory
    if not claim_id or not target:
        raise ConformError(
            "conform needs CLAIM and TARGET, e.g. `dlproofs conform bn.forward my_bn.py:batch_norm`; "
            "`dlproofs conform --list` shows the claims"
        )
    from .conform import contract_claim

    contract_claim(claim_id)  # an unknown id or a claim without contract: exit 2 before importing TARGET
    fn = load_target(target)
    mapping = _weights_option(weights) if weights is not None else None
    with contextlib.redirect_stdout(sys.stderr) if as_json else contextlib.nullcontext():
        result = conform(
            claim_id,
            fn,
            max_examples=max_examples,
            seed=seed,
            target=target,
            output=output,
            arrays=arrays,
            weights=mapping,
            call=call_template,
            build=build_template,
            layout=layout,
            options=_options(options) if options is not None else None,
            dtype=dtype,
            eps=eps,
            device=device,
        )
    click.echo(dumps(result) if as_json else result.report())
    sys.exit(0 if result.ok else 1)


def _weights_option(text: str) -> dict[str, str]:
    """``a_2=gamma,b_2=beta`` -> {"a_2": "gamma", "b_2": "beta"}; a malformed pair is a one-line error."""
    from .conform import ConformError

    mapping = {}
    for pair in filter(None, (p.strip() for p in text.split(","))):
        param, sep, name = pair.partition("=")
        if not sep or not param.strip() or not name.strip():
            raise ConformError(f"--weights takes PARAM=INPUT pairs separated by commas (e.g. a_2=gamma), got {pair!r}")
        mapping[param.strip()] = name.strip()
    if not mapping:
        raise ConformError("--weights is empty; give PARAM=INPUT pairs, e.g. --weights a_2=gamma,b_2=beta")
    return mapping


def _options(text: str) -> dict[str, object]:
    """``causal=true,padding=false`` -> {"causal": True, "padding": False}; integers stay integers."""
    from .conform import ConformError

    values = {"true": True, "false": False, "none": None}
    options: dict[str, object] = {}
    for pair in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ConformError(f"--option takes KEY=VALUE pairs separated by commas (e.g. causal=true), got {pair!r}")
        v = value.strip()
        options[key.strip()] = values[v.lower()] if v.lower() in values else int(v) if v.lstrip("-").isdigit() else v
    return options


@cli.command()
@click.argument("claim_id", metavar="CLAIM")
@click.option("--check", "check_name", required=True, help="The numeric check's name (or its number, from 1).")
@click.option("--case", "case_json", default=None, help="One case as JSON, as a failure report prints it.")
@click.option("--seed", type=int, default=None, help="Without --case: re-run the whole check with this seed.")
@click.option("--profile", type=PROFILES, default="ci", show_default=True, help="Hypothesis profile (without --case).")
def replay(claim_id: str, check_name: str, case_json: str | None, seed: int | None, profile: str) -> None:
    """Re-run one numeric check of CLAIM: on one case (--case) or whole (--seed).

    This is what the replay line of a failure report runs; exit 0 when the check holds, 1 when
    it fails.
    """
    from .replay import replay as replay_case
    from .replay import rerun

    if case_json is not None:
        from .commands import decode_case

        ok = replay_case(claim_id, check_name, decode_case(case_json)).ok
    else:
        ok = rerun(claim_id, check_name, seed=seed, profile=profile).ok
    sys.exit(0 if ok else 1)


def main(argv: list[str] | None = None) -> None:
    """Entry point: click handles usage errors (exit 2); our errors become one line, exit 2."""
    try:
        cli.main(args=argv, prog_name="dlproofs", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("dlproofs: aborted", err=True)
        sys.exit(130)
    except DlproofsError as exc:
        click.echo(f"dlproofs: error: {exc}", err=True)
        sys.exit(2)
    except OSError as exc:
        click.echo(f"dlproofs: error: {OutputError(exc)}", err=True)
        sys.exit(2)
    sys.exit(0)
