"""Re-run one numeric check on one case: the line a failure report tells you to paste."""

from __future__ import annotations

from .numeric import Case, Outcome
from .registry import get

__all__ = ["replay"]


def replay(claim_id: str, check_name: str, case: Case) -> Outcome:
    """Evaluate ``case`` with the named check of ``claim_id``; prints and returns the outcome."""
    claim = get(claim_id)
    for check in claim.numeric:
        if check.name == check_name:
            outcome = check.evaluate(case)
            verdict = "holds" if outcome.ok else "FAILS"
            print(
                f"{claim_id} / {check_name}: {verdict}; error {outcome.error:.3g}, "
                f"bound {outcome.bound:.3g}; {outcome.detail}"
            )
            return outcome
    names = ", ".join(repr(c.name) for c in claim.numeric)
    raise LookupError(f"{claim_id} has no numeric check named {check_name!r}; it has: {names}")
