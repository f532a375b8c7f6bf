"""One exception family, so callers (the CLI above all) can tell a user error from a bug.

Messages follow one rule: the observed values, why it matters, how to fix it.
"""

from __future__ import annotations

__all__ = [
    "DlproofsError",
    "UnknownClaimError",
    "NotNormalizableError",
    "ClaimDefinitionError",
    "OutputError",
]


class DlproofsError(Exception):
    """Base class of every error this package raises on purpose."""


class UnknownClaimError(DlproofsError, LookupError):
    """A claim id (or prefix) that matches nothing in the registry."""


class NotNormalizableError(DlproofsError, ValueError):
    """The indexed-sum normalizer met a sum it does not recognise; it refuses rather than guess."""


class ClaimDefinitionError(DlproofsError, ValueError):
    """A claim record in derivations/ is malformed (caught when the registry is built)."""


class OutputError(DlproofsError, OSError):
    """An output path cannot be written."""
