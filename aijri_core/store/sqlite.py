"""The scenario store: saved roles and scenarios in one SQLite file (standard library only).

Where: ``ScenarioStore(path)``; ``path=None`` means :func:`default_store_path` (env
``AIJRI_DB``, else the user's data folder). The file and its parent folders are created on
first use.

How it stays safe:
- WAL journal mode, so readers (another browser tab, the CLI) never block the writer;
  ``synchronous=FULL`` so every committed write survives a crash of the process.
- Every write is one ``BEGIN IMMEDIATE`` transaction: either all of it lands or none of it
  (``import_scenarios`` saves a whole list or nothing). A busy timeout lets several
  processes write to one store; they take turns.
- The schema version lives in ``PRAGMA user_version``; :data:`MIGRATIONS` holds the steps
  that bring an older store up to :data:`SCHEMA_VERSION`. A store written by a newer
  release is refused with a clear message instead of being damaged.
- Everything read back is validated again (pydantic); a damaged row gives a
  :class:`StoreError` naming the row, never a crash.

Roles are stored as their on-disk JSON (``RoleAssessment.to_json_dict``). Scenarios are
stored as JSON, scoped to a role key (``"bundled:<slug>"`` or ``"stored:<role name>"``, see
:func:`bundled_role_key`, :func:`stored_role_key`), with an explicit ``position`` column that
keeps the order in which they were saved. Names are compared exactly (case matters). A name
that is already taken raises :class:`NameClashError` unless ``overwrite=True``; overwriting
keeps the old entry's place in the order.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

from pydantic import ValidationError

from .errors import AIJRIError, describe_validation_error
from .io import MAX_JSON_DEPTH, _depth, bundled_role
from .model import MAX_NAME, RoleAssessment, Scenario

#: The schema this release writes (``PRAGMA user_version``).
SCHEMA_VERSION = 1
#: Seconds a writer waits for another process's write to finish before giving up.
BUSY_TIMEOUT_S = 30.0
#: Longest role key accepted ("stored:" + a role name).
MAX_ROLE_KEY = MAX_NAME + 20

ENV_VAR = "AIJRI_DB"
BUNDLED_PREFIX = "bundled:"
STORED_PREFIX = "stored:"
STORE_FILE = "store.sqlite3"

_SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS roles (
    name     TEXT PRIMARY KEY NOT NULL,
    position INTEGER NOT NULL,
    data     TEXT NOT NULL,
    saved_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS scenarios (
    role_key TEXT NOT NULL,
    name     TEXT NOT NULL,
    position INTEGER NOT NULL,
    data     TEXT NOT NULL,
    saved_at REAL NOT NULL,
    PRIMARY KEY (role_key, name)
);
CREATE INDEX IF NOT EXISTS scenarios_by_position ON scenarios (role_key, position);
"""


def _create_v1(conn: sqlite3.Connection) -> None:
    for statement in _SCHEMA_V1.split(";"):
        if statement.strip():
            conn.execute(statement)


#: Migration steps: ``MIGRATIONS[v]`` turns a store at version ``v`` into version ``v + 1``
#: (inside the same transaction). Version 0 is a new, empty file.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {0: _create_v1}


class StoreError(AIJRIError):
    """The store cannot do what was asked (missing name, damaged or unreadable file)."""


class NameClashError(StoreError):
    """A role or scenario of that name is already stored (pass overwrite=True or rename)."""


class NotFoundError(StoreError):
    """No role or scenario of that name is stored."""


def bundled_role_key(slug: str) -> str:
    """The role key of a bundled role, e.g. ``bundled:ai-infrastructure-engineer``."""
    return f"{BUNDLED_PREFIX}{slug}"


def stored_role_key(name: str) -> str:
    """The role key of a role saved in the store under ``name``."""
    return f"{STORED_PREFIX}{name}"



def resolve_role_key(role_key: str, store: ScenarioStore | None = None) -> RoleAssessment:
    """The base assessment a role key stands for: a bundled role, or a role saved in ``store``."""
    key = _check_role_key(role_key)
    if key.startswith(BUNDLED_PREFIX):
        return bundled_role(key[len(BUNDLED_PREFIX) :])
    if key.startswith(STORED_PREFIX):
        return (store or ScenarioStore()).load_role(key[len(STORED_PREFIX) :])
    raise StoreError(f"role key {key!r}: expected 'bundled:<slug>' or 'stored:<role name>'")


def default_store_path() -> Path:
    """``$AIJRI_DB`` if set, else ``store.sqlite3`` in the user's data folder.

    Linux/BSD: ``$XDG_DATA_HOME/aijri`` (default ``~/.local/share/aijri``); macOS:
    ``~/Library/Application Support/aijri``; Windows: ``%APPDATA%\\aijri``.
    """
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "aijri" / STORE_FILE


def _check_name(name: object, what: str) -> str:
    if not isinstance(name, str):
        raise StoreError(f"{what}: expected text, got {type(name).__name__}")
    cleaned = name.strip()
    if not cleaned:
        raise StoreError(f"{what}: empty; allowed: 1 to {MAX_NAME} characters")
    if len(cleaned) > MAX_NAME:
        raise StoreError(f"{what}: {len(cleaned)} characters is too long; allowed: 1 to {MAX_NAME} characters")
    if "\x00" in cleaned:
        raise StoreError(f"{what}: contains a NUL character")
    return cleaned


def _check_role_key(role_key: object) -> str:
    if not isinstance(role_key, str) or not role_key.strip():
        raise StoreError(f"role key: expected text such as 'bundled:<slug>' or 'stored:<name>', got {role_key!r}")
    if len(role_key) > MAX_ROLE_KEY or "\x00" in role_key:
        raise StoreError(f"role key: not valid; allowed: at most {MAX_ROLE_KEY} characters, no NUL")
    return role_key


class ScenarioStore:
    """Saved roles and scenarios in one SQLite file; safe for several tabs and processes."""

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = Path(path).expanduser() if path is not None else default_store_path()
        self._ready = False

    def __repr__(self) -> str:
        return f"ScenarioStore({str(self.path)!r})"

    # ------------------------------------------------------------ connection and schema

    def _open(self) -> sqlite3.Connection:
        if self.path.is_dir():
            raise StoreError(f"store {self.path}: is a folder, not a file")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"store {self.path}: cannot create its folder ({exc.strerror or exc})") from None
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"store {self.path}: cannot open ({exc})") from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            # Prepare once, and again if the file was replaced meanwhile (e.g. deleted by hand).
            if not self._ready or conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                self._prepare(conn)
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(f"store {self.path}: not a readable scenario store ({exc})") from None
        except BaseException:
            conn.close()
            raise
        return conn

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """WAL mode, then create or migrate the schema (once per store object)."""
        # WAL persists in the file; on media that refuse it SQLite keeps its default journal.
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"store {self.path}: schema version {version} was written by a newer release;"
                f" this release reads up to version {SCHEMA_VERSION}"
            )
        if version < SCHEMA_VERSION:
            conn.execute("BEGIN IMMEDIATE")
            try:
                # Re-read inside the lock: another process may have migrated meanwhile.
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                while version < SCHEMA_VERSION:
                    step = MIGRATIONS.get(version)
                    if step is None:
                        raise StoreError(f"store {self.path}: no migration from schema version {version}")
                    step(conn)
                    version += 1
                    conn.execute(f"PRAGMA user_version = {version}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        self._check_tables(conn)
        self._ready = True

    def _check_tables(self, conn: sqlite3.Connection) -> None:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = {"roles", "scenarios"} - tables
        if missing:
            raise StoreError(f"store {self.path}: not a scenario store (missing tables: {', '.join(sorted(missing))})")

    @contextmanager
    def _read(self):
        conn = self._open()
        try:
            yield conn
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"store {self.path}: cannot read ({exc})") from None
        finally:
            conn.close()

    @contextmanager
    def _write(self):
        """One write transaction: BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""
        conn = self._open()
        try:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreError(f"store {self.path}: busy or read-only, nothing was saved ({exc})") from None
            try:
                yield conn
                conn.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                conn.execute("ROLLBACK")
                raise StoreError(f"store {self.path}: write failed, nothing was saved ({exc})") from None
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()

    def integrity_check(self) -> str:
        """SQLite's own integrity check: ``"ok"`` for a healthy store."""
        with self._read() as conn:
            return str(conn.execute("PRAGMA integrity_check").fetchone()[0])

    def schema_version(self) -> int:
        with self._read() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

    # ------------------------------------------------------------ decoding rows

    def _decode(self, data: object, what: str) -> dict:
        if not isinstance(data, str):
            raise StoreError(f"store {self.path}: {what} is damaged (not JSON text); delete it or restore a backup")
        try:
            obj = json.loads(data)
        except (ValueError, RecursionError):
            raise StoreError(f"store {self.path}: {what} is damaged (not valid JSON); delete it or restore a backup") from None
        if not isinstance(obj, dict) or _depth(obj, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
            raise StoreError(f"store {self.path}: {what} is damaged (not a JSON object); delete it or restore a backup")
        return obj

    def _role_from_row(self, name: str, data: object) -> RoleAssessment:
        what = f"role {name!r}"
        obj = self._decode(data, what)
        try:
            return RoleAssessment.model_validate(obj)
        except ValidationError as exc:
            raise StoreError(
                f"store {self.path}: {what} is damaged ({describe_validation_error(exc)}); delete it or restore a backup"
            ) from None

    def _scenario_from_row(self, role_key: str, name: str, data: object) -> Scenario:
        what = f"scenario {name!r} of {role_key!r}"
        obj = self._decode(data, what)
        try:
            scenario = Scenario.model_validate(obj)
        except ValidationError as exc:
            raise StoreError(
                f"store {self.path}: {what} is damaged ({describe_validation_error(exc)}); delete it or restore a backup"
            ) from None
        if scenario.name != name:
            raise StoreError(f"store {self.path}: {what} is damaged (it holds {scenario.name!r}); delete it")
        return scenario

    @staticmethod
    def _scenario_json(scenario: Scenario) -> str:
        return json.dumps(scenario.model_dump(mode="json"), ensure_ascii=False, allow_nan=False)

    # ------------------------------------------------------------ roles

    def save_role(self, assessment: RoleAssessment, name: str | None = None, overwrite: bool = False) -> str:
        """Save a role under ``name`` (default: its title); returns the name used."""
        if not isinstance(assessment, RoleAssessment):
            raise StoreError(f"save_role: expected a RoleAssessment, got {type(assessment).__name__}")
        name = _check_name(assessment.title if name is None else name, "role name")
        data = json.dumps(assessment.to_json_dict(), ensure_ascii=False, allow_nan=False)
        with self._write() as conn:
            row = conn.execute("SELECT position FROM roles WHERE name = ?", (name,)).fetchone()
            if row is not None:
                if not overwrite:
                    raise NameClashError(f"a role named {name!r} is already saved; overwrite it or choose another name")
                conn.execute("UPDATE roles SET data = ?, saved_at = ? WHERE name = ?", (data, time.time(), name))
            else:
                pos = conn.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM roles").fetchone()[0]
                conn.execute(
                    "INSERT INTO roles (name, position, data, saved_at) VALUES (?, ?, ?, ?)",
                    (name, pos, data, time.time()),
                )
        return name

    def list_roles(self) -> list[str]:
        """Names of the saved roles, in the order they were first saved."""
        with self._read() as conn:
            return [str(r[0]) for r in conn.execute("SELECT name FROM roles ORDER BY position, name")]

    def load_role(self, name: str) -> RoleAssessment:
        name = _check_name(name, "role name")
        with self._read() as conn:
            row = conn.execute("SELECT data FROM roles WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise NotFoundError(f"no role named {name!r} is saved")
        return self._role_from_row(name, row[0])

    def has_role(self, name: str) -> bool:
        name = _check_name(name, "role name")
        with self._read() as conn:
            return conn.execute("SELECT 1 FROM roles WHERE name = ?", (name,)).fetchone() is not None

    def rename_role(self, old: str, new: str) -> None:
        """Rename a saved role; its scenarios (role key ``stored:<old>``) move with it."""
        old = _check_name(old, "role name")
        new = _check_name(new, "new role name")
        if old == new:
            self.load_role(old)  # still report a missing role
            return
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM roles WHERE name = ?", (old,)).fetchone() is None:
                raise NotFoundError(f"no role named {old!r} is saved")
            if conn.execute("SELECT 1 FROM roles WHERE name = ?", (new,)).fetchone() is not None:
                raise NameClashError(f"a role named {new!r} is already saved; choose another name")
            if conn.execute(
                "SELECT 1 FROM scenarios WHERE role_key = ? LIMIT 1", (stored_role_key(new),)
            ).fetchone() is not None:
                raise NameClashError(f"scenarios are already saved for {stored_role_key(new)!r}; choose another name")
            conn.execute("UPDATE roles SET name = ? WHERE name = ?", (new, old))
            conn.execute(
                "UPDATE scenarios SET role_key = ? WHERE role_key = ?", (stored_role_key(new), stored_role_key(old))
            )

    def delete_role(self, name: str) -> None:
        """Delete a saved role and the scenarios saved for it (role key ``stored:<name>``)."""
        name = _check_name(name, "role name")
        with self._write() as conn:
            cur = conn.execute("DELETE FROM roles WHERE name = ?", (name,))
            if cur.rowcount == 0:
                raise NotFoundError(f"no role named {name!r} is saved")
            conn.execute("DELETE FROM scenarios WHERE role_key = ?", (stored_role_key(name),))

    # ------------------------------------------------------------ scenarios

    def save_scenario(self, role_key: str, scenario: Scenario, overwrite: bool = False) -> None:
        """Save one scenario for a role; a taken name raises NameClashError unless overwrite."""
        self.import_scenarios(role_key, [scenario], overwrite=overwrite)

    def import_scenarios(self, role_key: str, scenarios: Iterable[Scenario], overwrite: bool = False) -> int:
        """Save many scenarios in one transaction: all of them or (on any problem) none.

        Returns how many were saved. Two scenarios of the same name in ``scenarios`` are an
        error; names already stored are an error (listing them) unless ``overwrite``.
        """
        role_key = _check_role_key(role_key)
        items = list(scenarios)
        seen: set[str] = set()
        for i, s in enumerate(items):
            if not isinstance(s, Scenario):
                raise StoreError(f"scenario {i + 1}: expected a Scenario, got {type(s).__name__}")
            if s.name in seen:
                raise NameClashError(f"scenario {s.name!r} appears twice; each scenario needs its own name")
            seen.add(s.name)
        rows = [(s.name, self._scenario_json(s)) for s in items]
        with self._write() as conn:
            taken = {
                str(r[0])
                for r in conn.execute("SELECT name FROM scenarios WHERE role_key = ?", (role_key,))
                if r[0] in seen
            }
            if taken and not overwrite:
                names = ", ".join(repr(n) for n in sorted(taken)[:5]) + (" ..." if len(taken) > 5 else "")
                what = f"scenarios {names} are" if len(taken) > 1 else f"a scenario named {names} is"
                raise NameClashError(
                    f"{what} already saved for role {role_key}; overwrite or rename (nothing was saved)"
                )
            pos = conn.execute(
                "SELECT COALESCE(MAX(position), -1) + 1 FROM scenarios WHERE role_key = ?", (role_key,)
            ).fetchone()[0]
            now = time.time()
            for name, data in rows:
                if name in taken:
                    conn.execute(
                        "UPDATE scenarios SET data = ?, saved_at = ? WHERE role_key = ? AND name = ?",
                        (data, now, role_key, name),
                    )
                else:
                    conn.execute(
                        "INSERT INTO scenarios (role_key, name, position, data, saved_at) VALUES (?, ?, ?, ?, ?)",
                        (role_key, name, pos, data, now),
                    )
                    pos += 1
        return len(rows)

    def list_scenarios(self, role_key: str) -> list[Scenario]:
        """The role's scenarios in saved order (each validated)."""
        role_key = _check_role_key(role_key)
        with self._read() as conn:
            rows = conn.execute(
                "SELECT name, data FROM scenarios WHERE role_key = ? ORDER BY position, name", (role_key,)
            ).fetchall()
        return [self._scenario_from_row(role_key, str(name), data) for name, data in rows]

    def scenario_names(self, role_key: str) -> list[str]:
        role_key = _check_role_key(role_key)
        with self._read() as conn:
            return [
                str(r[0])
                for r in conn.execute(
                    "SELECT name FROM scenarios WHERE role_key = ? ORDER BY position, name", (role_key,)
                )
            ]

    def role_keys(self) -> list[str]:
        """Role keys that have saved scenarios, sorted."""
        with self._read() as conn:
            return [str(r[0]) for r in conn.execute("SELECT DISTINCT role_key FROM scenarios ORDER BY role_key")]

    def load_scenario(self, role_key: str, name: str) -> Scenario:
        role_key = _check_role_key(role_key)
        name = _check_name(name, "scenario name")
        with self._read() as conn:
            row = conn.execute(
                "SELECT data FROM scenarios WHERE role_key = ? AND name = ?", (role_key, name)
            ).fetchone()
        if row is None:
            raise NotFoundError(f"no scenario named {name!r} is saved for {role_key!r}")
        return self._scenario_from_row(role_key, name, row[0])

    def rename_scenario(self, role_key: str, old: str, new: str) -> None:
        """Rename a scenario (it keeps its place in the order)."""
        role_key = _check_role_key(role_key)
        old = _check_name(old, "scenario name")
        new = _check_name(new, "new scenario name")
        with self._write() as conn:
            row = conn.execute(
                "SELECT data FROM scenarios WHERE role_key = ? AND name = ?", (role_key, old)
            ).fetchone()
            if row is None:
                raise NotFoundError(f"no scenario named {old!r} is saved for {role_key!r}")
            if old == new:
                return
            if conn.execute(
                "SELECT 1 FROM scenarios WHERE role_key = ? AND name = ?", (role_key, new)
            ).fetchone() is not None:
                raise NameClashError(f"a scenario named {new!r} is already saved for role {role_key}; choose another name")
            scenario = self._scenario_from_row(role_key, old, row[0])
            data = self._scenario_json(scenario.model_copy(update={"name": new}))
            conn.execute(
                "UPDATE scenarios SET name = ?, data = ?, saved_at = ? WHERE role_key = ? AND name = ?",
                (new, data, time.time(), role_key, old),
            )

    def delete_scenario(self, role_key: str, name: str) -> None:
        role_key = _check_role_key(role_key)
        name = _check_name(name, "scenario name")
        with self._write() as conn:
            cur = conn.execute("DELETE FROM scenarios WHERE role_key = ? AND name = ?", (role_key, name))
            if cur.rowcount == 0:
                raise NotFoundError(f"no scenario named {name!r} is saved for {role_key!r}")
