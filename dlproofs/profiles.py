"""Hypothesis profiles: ``dev`` (fast), ``ci`` (derandomized, no deadline), ``thorough``.

``ci`` is also what ``dlproofs check`` and ``render`` use by default: derandomized, so the
numbers written into proofs/ are the same on every run (rendering is deterministic).
Select one in pytest with ``--hypothesis-profile NAME`` or ``HYPOTHESIS_PROFILE=NAME``.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

__all__ = ["PROFILES", "EVIDENCE_FLOOR", "load_profile", "register_profiles"]

# Drawing tensors is slower than drawing ints; on a loaded 2-core CI machine the too_slow
# health check and per-example deadlines would make the suite flaky (DESIGN.md §7).
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]

PROFILES: dict[str, settings] = {
    "dev": settings(max_examples=25, deadline=None, suppress_health_check=_QUIET),
    "ci": settings(
        max_examples=60,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=_QUIET,
        print_blob=True,
    ),
    "thorough": settings(max_examples=600, deadline=None, suppress_health_check=_QUIET),
}


# The engine's minimum evidence (issue 9): a Hypothesis search that decides a verdict must draw at
# least this many cases in the profile (a costly check may cap its cases, but never below the
# floor), unless Hypothesis exhausted a finite input domain. A record cannot lower it.
EVIDENCE_FLOOR: dict[str, int] = {"dev": 10, "ci": 20, "thorough": 100}


def register_profiles() -> None:
    for name, value in PROFILES.items():
        settings.register_profile(name, value)


def load_profile(name: str) -> settings:
    """The settings object of a named profile (registered on first use)."""
    if name not in PROFILES:
        raise KeyError(f"unknown Hypothesis profile {name!r}; choose one of {sorted(PROFILES)}")
    register_profiles()
    return settings.get_profile(name)
