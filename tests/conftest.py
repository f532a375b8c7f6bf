"""Shared pytest set-up: Hypothesis profiles (dev locally, ci when CI is set)."""

from __future__ import annotations

import os

from hypothesis import settings

from dlproofs.profiles import register_profiles

register_profiles()
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
