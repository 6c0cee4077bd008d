"""The hypothesis profiles of the suite, loaded from HYPOTHESIS_PROFILE (see tests/conftest.py)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_SHARED = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("dev", **_SHARED)
settings.register_profile("ci", **_SHARED, derandomize=True, database=None, print_blob=True)
settings.register_profile("quick", **_SHARED, max_examples=10)
settings.register_profile("nightly", **_SHARED, max_examples=1000, database=None, print_blob=True)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
settings.load_profile(PROFILE)


def examples(n: int) -> int:
    """The number of examples a test that asks for ``n`` runs under the loaded profile."""
    if PROFILE == "quick":
        return min(n, 10)
    if PROFILE == "nightly":
        return 10 * n
    return n
