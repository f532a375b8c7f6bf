"""Re-run one numeric check, on one case or whole: what a failure report's replay line runs
(``dlproofs replay CLAIM --check NAME --case JSON`` or ``--seed S``; see dlproofs.commands)."""

from __future__ import annotations

from .errors import UnknownClaimError
from .numeric import Case, NumericCheck, NumericResult, Outcome, run_check
from .registry import get

__all__ = ["replay", "find_check", "rerun"]


def find_check(claim_id: str, check_name: str) -> NumericCheck:
    """The numeric check of ``claim_id`` named ``check_name`` (or numbered, from 1)."""
    claim = get(claim_id)
    for n, check in enumerate(claim.numeric, 1):
        if check.name == check_name or check_name == str(n):
            return check
    names = "; ".join(f"{n}: {c.name!r}" for n, c in enumerate(claim.numeric, 1)) or "none"
    raise UnknownClaimError(f"{claim_id} has no numeric check {check_name!r}; its checks (name or number): {names}")


def replay(claim_id: str, check_name: str, case: Case) -> Outcome:
    """Evaluate ``case`` with the named check of ``claim_id``; prints and returns the outcome."""
    outcome = find_check(claim_id, check_name).evaluate(case)
    verdict = "holds" if outcome.ok else "FAILS"
    print(
        f"{claim_id} / {check_name}: {verdict}; error {outcome.error:.3g}, bound {outcome.bound:.3g}; {outcome.detail}"
    )
    return outcome


def rerun(claim_id: str, check_name: str, *, seed: int | None, profile: str = "ci") -> NumericResult:
    """Run the whole check again (its own design, or its Hypothesis search) with ``seed``."""
    result = run_check(claim_id, find_check(claim_id, check_name), profile=profile, seed=seed)
    print(f"{claim_id} / {result.name}: {'holds' if result.ok else 'FAILS'} on {result.examples} examples")
    if result.report:
        print(result.report)
    return result
