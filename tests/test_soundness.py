"""Adversarial soundness suite (issue 9): the kernel must never call a false statement proved.

Rows live in tests/_soundness_cases.py, one declarative row per case with the reason it is
false, true or malformed. Requirements, written against the public API only:

- FALSE rows (≥ 150): the false link is neither proved nor passing (a lemma name is not a
  proof), and ``check_claim`` of the claim recorded *proved* never computes ``Verdict.PROVED``
  (for a counterexample row: never the verdict the bogus evidence would support).
- TRUE rows (≥ 50): never refuted. Proved or undecided are both acceptable; which one is
  recorded (``record_property("outcome", ...)``, and ``python tests/test_soundness.py`` prints
  the coverage table) so the lead sees what the kernel can prove.
- MALFORMED rows (≥ 30): a clear error (a ``DlproofsError`` or ``ValueError`` whose first line
  says what is wrong) or an undecided result (a link left undecided, a claim with no verdict and a
  stated problem), never another exception, and never a proof or a refutation drawn from it.

Nothing here is xfail: a failing row is a soundness bug to fix in the kernel, not in the row.
Each case is checked once; the one costly Monte Carlo row is marked ``slow``.
"""

from __future__ import annotations

import sys

import pytest

from dlproofs.check import ClaimResult, DerivationResult, check_claim
from dlproofs.claim import Verdict
from dlproofs.errors import ClaimDefinitionError, DlproofsError
from dlproofs.stepcheck import LinkResult, Status
from tests._soundness_cases import FALSE_CHAINS, FALSE_RECORDS, MALFORMED, TRUE_CHAINS, TRUE_RECORDS, Chain, Record

# A link "passes" when it is proved, or (today) when it cites a lemma; neither may happen to a false link.
_PASSING = {Status.PROVED}


# Known gaps, each a strict xfail: it fails the suite the day it is fixed, so the mark is removed.
KNOWN_GAPS: dict[str, str] = {
    # verdict-refuted-by-unrelated-cx was closed by Claim.refutes, and r4-conditional-unrelated-cx by requiring it of
    # conditional claims with point counterexamples too (the statement without the hypothesis). What remains is a
    # reviewer's judgment, not a kernel gap: whether the stated relation is the claim's statement; the proof page
    # prints it beside the claim ("Without the hypothesis").
}


def _params(rows: list) -> list:
    def marks(r) -> list:
        out = [pytest.mark.slow] if getattr(r, "slow", False) else []
        if r.id in KNOWN_GAPS:
            out.append(pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[r.id]))
        return out

    return [pytest.param(r, id=r.id, marks=marks(r)) for r in rows]


def _links_text(result: ClaimResult) -> str:
    out = []
    for dr in result.derivations:
        for n, link in enumerate(dr.links):
            out.append(f"    link {n}: {link.status.value} by {link.method} ({link.detail})")
        if dr.size_failure is not None:
            out.append(f"    size cross-check failed at {dr.size_failure}")
    return "\n".join(out)


def _outcome(result: ClaimResult) -> str:
    if result.found is not None:
        return result.found.value
    return "undecided" if result.undecided else "fails"


# ── the requirements ──────────────────────────────────────────────────────────────────────────
def check_false_chain(row: Chain) -> tuple[list[str], str]:
    """(problems, outcome) of a false derivation recorded proved; no problems: the requirement holds."""
    result = check_claim(row.claim())
    problems = []
    outcome = _outcome(result)
    if row.bad is not None:
        link = result.derivations[0].links[row.bad]
        outcome = f"{link.status.value}/{outcome}"
        if link.status in _PASSING or link.ok:
            problems.append(f"false link {row.bad} came out {link.status.value} by {link.method}: {link.detail}")
    if result.found is Verdict.PROVED:
        problems.append("check_claim computed Verdict.PROVED")
    return problems + ([_links_text(result)] if problems else []), outcome


def check_false_record(row: Record) -> tuple[list[str], str]:
    try:
        claim = row.build()
    except ClaimDefinitionError as exc:  # refused when the record is built: it never reaches a verdict
        return [], f"refused at definition: {str(exc).splitlines()[0]}"
    result = check_claim(claim, numeric=row.numeric)
    if result.found is row.verdict:
        return [f"check_claim computed {row.verdict.value!r} ({result.problem or 'no problem reported'})"], _outcome(
            result
        )
    return [], _outcome(result)


def check_true_chain(row: Chain) -> tuple[list[str], str]:
    """(problems, outcome): a true derivation must not be refuted or fail its size check."""
    result = check_claim(row.claim())
    problems = []
    for dr in result.derivations:
        for n, link in enumerate(dr.links):
            if link.status is Status.REFUTED:
                problems.append(f"true link {n} was refuted at {dict(link.counterexample)}")
        if dr.size_failure is not None:
            problems.append(f"size cross-check failed at {dr.size_failure}")
    # A claim that fails for want of numeric evidence (the record has none) is not a refutation.
    links = ",".join(link.status.value for dr in result.derivations for link in dr.links)
    return problems, f"{links}/{_outcome(result)}"


def check_true_record(row: Record) -> tuple[list[str], str]:
    result = check_claim(row.build(), numeric=row.numeric)
    if result.found is row.verdict or (result.found is None and result.undecided):
        return [], _outcome(result)
    return [f"computed {_outcome(result)!r}, expected {row.verdict.value!r} or undecided: {result.problem}"], _outcome(
        result
    )


def check_malformed(row) -> tuple[list[str], str]:
    """A clear error, or an undecided / verdict-less result; never another exception."""
    try:
        out = row.run()
    except (DlproofsError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        if len(first) < 15:
            return [f"{type(exc).__name__} with an unreadable message {str(exc)!r}"], type(exc).__name__
        return [], f"error: {type(exc).__name__}"
    except Exception as exc:  # the point of the row: nothing else may escape
        return [f"raised {type(exc).__name__}: {str(exc)[:300]}"], f"crash: {type(exc).__name__}"
    if row.lenient:  # an exact reading exists (a Python int is an Integer): any result but a crash
        return [], f"returned {type(out).__name__}"
    if isinstance(out, LinkResult):
        ok = out.status is Status.UNDECIDED
        return ([] if ok else [f"link came out {out.status.value} ({out.detail})"]), out.status.value
    if isinstance(out, DerivationResult):
        ok = not out.ok and not out.refuted
        return ([] if ok else ["the derivation came out ok or refuted"]), "derivation"
    if isinstance(out, ClaimResult):  # no verdict, and no refutation drawn from malformed input
        refuted = any(dr.refuted or dr.size_failure is not None for dr in out.derivations)
        ok = out.found is None and bool(out.problem) and not refuted
        why = "a refuted link or size check" if refuted else f"verdict {_outcome(out)!r}"
        return ([] if ok else [f"computed {why} on malformed input: {out.problem}"]), _outcome(out)
    return [f"returned {type(out).__name__}, expected an error or an undecided result"], type(out).__name__


def _fail(row, problems: list[str]) -> None:
    pytest.fail(f"{row.id}: {row.why}\n  " + "\n  ".join(problems), pytrace=False)


# ── the tests ─────────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("row", _params(FALSE_CHAINS))
def test_false_derivation_is_never_proved(row: Chain, record_property) -> None:
    problems, outcome = check_false_chain(row)
    record_property("outcome", outcome)
    if problems:
        _fail(row, problems)


@pytest.mark.parametrize("row", _params(FALSE_RECORDS))
def test_false_evidence_never_gives_its_verdict(row: Record, record_property) -> None:
    problems, outcome = check_false_record(row)
    record_property("outcome", outcome)
    if problems:
        _fail(row, problems)


@pytest.mark.parametrize("row", _params(TRUE_CHAINS))
def test_true_derivation_is_never_refuted(row: Chain, record_property) -> None:
    problems, outcome = check_true_chain(row)
    record_property("outcome", outcome)
    if problems:
        _fail(row, problems)


@pytest.mark.parametrize("row", _params(TRUE_RECORDS))
def test_true_evidence_is_never_rejected(row: Record, record_property) -> None:
    problems, outcome = check_true_record(row)
    record_property("outcome", outcome)
    if problems:
        _fail(row, problems)


@pytest.mark.parametrize("row", _params(MALFORMED))
def test_malformed_input_gives_a_clear_error_or_undecided(row, record_property) -> None:
    problems, outcome = check_malformed(row)
    record_property("outcome", outcome)
    if problems:
        _fail(row, problems)


def test_an_inequality_step_keeps_the_size_cross_check() -> None:
    """Root cause 3 as a mechanism: with a ≤ step in the chain, the proved = links are still
    cross-checked at the concrete sizes (else a normalizer bug the m = 1..4 check would catch
    becomes a claim-level proof, as in the ineq-disables-size-check-* rows)."""
    from dlproofs.check import check_derivation
    from tests._soundness_cases import SIZES, Derivation, S, Step, i, m, x

    mean = S(x[i]) / m
    d = Derivation(
        "Σ(x − μ)² ≤ Σx²",
        S((x[i] - mean) ** 2),
        (
            Step(S(x[i] ** 2) - m * mean**2, "expand", "expand the square and sum"),
            Step(S(x[i] ** 2), "drop", "m·μ² ≥ 0", relation="<=", lemma="a square is non-negative"),
        ),
        sizes=SIZES,
    )
    result = check_derivation(d)
    if result.links[0].status is Status.PROVED:
        assert result.sizes_checked, "the = link was proved but never cross-checked at a concrete size"


def test_the_suite_has_its_minimum_size() -> None:
    false_rows = len(FALSE_CHAINS) + len(FALSE_RECORDS)
    true_rows = len(TRUE_CHAINS) + len(TRUE_RECORDS)
    assert (false_rows, true_rows, len(MALFORMED)) >= (150, 50, 30)
    assert false_rows >= 150 and true_rows >= 50 and len(MALFORMED) >= 30
    ids = [r.id for r in FALSE_CHAINS + FALSE_RECORDS + TRUE_CHAINS + TRUE_RECORDS + MALFORMED]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_the_requirements_can_fail() -> None:
    """Each requirement rejects a row that breaks it (so a passing suite means something)."""
    from tests._soundness_cases import Bad, X, eq

    true_as_false = eq("self-check-true", (X + 1) ** 2, X**2 + 2 * X + 1, "true: must be flagged as proved")
    assert check_false_chain(true_as_false)[0]
    false_as_true = eq("self-check-false", (X + 1) ** 2, X**2 + 1, "false: must be flagged as refuted")
    assert check_true_chain(false_as_true)[0]
    crash = Bad("self-check-crash", lambda: {}["missing"], "a KeyError is not a clear error")
    assert check_malformed(crash)[0]


# ── coverage table: python tests/test_soundness.py [--slow] ───────────────────────────────────
def _report(include_slow: bool) -> None:
    kinds = [
        ("FALSE", FALSE_CHAINS, check_false_chain),
        ("FALSE", FALSE_RECORDS, check_false_record),
        ("TRUE", TRUE_CHAINS, check_true_chain),
        ("TRUE", TRUE_RECORDS, check_true_record),
        ("MALFORMED", MALFORMED, check_malformed),
    ]
    for kind, rows, run in kinds:
        for row in rows:
            if getattr(row, "slow", False) and not include_slow:
                continue
            try:
                problems, outcome = run(row)
            except Exception as exc:  # the test shows the traceback; the table names it
                problems, outcome = [f"raised {type(exc).__name__}: {str(exc)[:120]}"], "crash"
            mark = "FAIL" if problems else "ok  "
            first = problems[0].splitlines()[0] if problems else ""
            print(f"{mark} {kind:9} {row.id:45} {outcome:22} {first}", flush=True)


if __name__ == "__main__":
    _report("--slow" in sys.argv)
