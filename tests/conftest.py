"""Shared pytest set-up: the hypothesis profile and fixtures for the bundled seed role.

Hypothesis runs without a deadline (the machine is shared, timings vary) and does not
fail a test for slow data generation. Tests that need more examples say so with their own
``@settings(max_examples=...)``; the profile only sets what every test shares.
Set HYPOTHESIS_PROFILE=quick for a fast local pass (fewer examples).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from aijri_core import RoleAssessment, bundled_role

ROOT = Path(__file__).resolve().parents[1]
SEED_SLUG = "ai-infrastructure-engineer"

settings.register_profile(
    "aijri",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "quick",
    parent=settings.get_profile("aijri"),
    max_examples=20,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "aijri"))


@pytest.fixture(scope="session")
def postgres_cluster():
    """A throwaway PostgreSQL server for the session (tests/postgres.py); skips without PostgreSQL."""
    import postgres

    cluster = postgres.start_or_skip()
    yield cluster
    cluster.stop()


@pytest.fixture
def postgres_url(postgres_cluster):
    """The address of a new, empty PostgreSQL database for one test (its connections closed after it)."""
    yield postgres_cluster.new_database()
    from aijri_core.store.postgresql import close_pools

    close_pools()


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root (absolute), whatever the working directory."""
    return ROOT


@pytest.fixture(scope="session")
def seed_slug() -> str:
    return SEED_SLUG


@pytest.fixture(scope="session")
def seed_role() -> RoleAssessment:
    """The bundled AI Infrastructure Engineer assessment (published 49.1 GREEN Transforming)."""
    return bundled_role(SEED_SLUG)


@pytest.fixture(scope="session")
def seed_path(root: Path) -> Path:
    """The bundled seed role's JSON file."""
    return root / "data" / "roles" / f"{SEED_SLUG}.json"
