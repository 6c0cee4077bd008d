"""The store backends the contract suite (tests/test_store_contract.py) runs against.

Each backend is one :class:`Backend` in :data:`BACKENDS` (memory, sqlite, postgresql); to run
the whole contract suite on another, register one more entry here (see ``_postgres`` below).
The suite's fixtures are ``store_backend`` (the entry), ``store_factory`` and ``store``.

``open`` gets the pytest request (so it can ask for fixtures such as a database server,
which may skip the test) and an empty folder of its own; it returns a new, empty store.
The suite calls ``close()`` on every store it opened. PostgreSQL runs each store in a
workspace of its own on the test's throwaway database (fixture ``postgres_url``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from aijri_core.store import MemoryStore, ScenarioStore, SQLiteStore


@dataclass(frozen=True)
class Backend:
    name: str
    #: A new, empty store: ``open(request, empty_folder)``.
    open: Callable[[pytest.FixtureRequest, Path], ScenarioStore]
    #: The stored positions of a role key's scenarios in list order (the contract: 0, 1, 2, ...);
    #: None for a backend that keeps order without stored positions.
    positions: Callable[[ScenarioStore, str], list[int]] | None = None


BACKENDS: dict[str, Backend] = {}


def register(backend: Backend) -> Backend:
    BACKENDS[backend.name] = backend
    return backend


# Memory keeps order as the insertion order of its dictionaries: no stored positions to check.
register(Backend("memory", open=lambda request, folder: MemoryStore()))
register(
    Backend(
        "sqlite",
        open=lambda request, folder: SQLiteStore(folder / "nested" / "store.sqlite3"),
        positions=lambda store, role_key: store.positions(role_key),
    )
)


def _postgres(request: pytest.FixtureRequest, folder: Path) -> ScenarioStore:
    """A store in a workspace of its own (``folder`` names it) on the test's database; skips
    (or fails, with AIJRI_REQUIRE_POSTGRES=1) when PostgreSQL is not installed."""
    from aijri_core.store.postgresql import PostgresStore

    return PostgresStore(request.getfixturevalue("postgres_url"), workspace=folder.name)


register(Backend("postgresql", open=_postgres, positions=lambda store, role_key: store.positions(role_key)))
