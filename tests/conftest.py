"""Shared pytest set-up: how hypothesis runs, and fixtures for the bundled seed role.

Hypothesis profiles (HYPOTHESIS_PROFILE; README "Tests"). Every profile runs without a
deadline and does not fail a test for slow data generation (the machine may be shared). A test
that needs more examples than the default says so with ``@settings(max_examples=N)``; the
profile scales that N (``hypothesis_profiles.examples``; a test that builds its settings in
its body calls it itself), so one number per test serves every purpose:

- ``dev`` (plain ``pytest``): N examples, a new random seed each run, failures kept in
  ``.hypothesis/`` and tried first next time. For exploring while developing.
- ``ci`` (``make test``, ``.ci/run``): N examples, ``derandomize=True`` (each test draws the same
  examples on every run and every machine) and no example database: whether a change lands
  never depends on luck or on what an earlier run left behind.
- ``quick`` (``make test-fast``): at most 10 examples per test, for the edit loop.
- ``nightly`` (``make test-nightly``): 10 x N examples, random, for a long run now and then; a
  failure prints the ``@reproduce_failure`` line to replay it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis_profiles import examples

from aijri_core import RoleAssessment, bundled_role

ROOT = Path(__file__).resolve().parents[1]
SEED_SLUG = "ai-infrastructure-engineer"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test that needs the PostgreSQL server ``postgres`` (``-m "not postgres"`` leaves
    them out), and scale the example count of every test that sets its own
    (``@settings(max_examples=N)``) as the profile says (``examples``); a test without its own
    count takes the profile's."""
    scaled: set[int] = set()
    for item in items:
        if "postgres_cluster" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)
        test = getattr(item, "obj", None)
        # @settings sets both attributes on the test it decorates (hypothesis keeps no public handle)
        if id(test) in scaled or not getattr(test, "_hypothesis_internal_settings_applied", False):
            continue
        own = test._hypothesis_internal_use_settings
        test._hypothesis_internal_use_settings = settings(own, max_examples=examples(own.max_examples))
        scaled.add(id(test))


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
def wheel_install(tmp_path_factory):
    """(venv bin folder, a working folder outside the source tree, env) with the project's wheel
    installed (tests/installed_wheel.py): built once per session, for the packaging tests and
    the browser test of the installed app."""
    from installed_wheel import install_wheel

    return install_wheel(tmp_path_factory.mktemp("wheel"))


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
