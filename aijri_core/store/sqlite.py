"""The scenario store in one SQLite file (standard library only).

Where: ``SQLiteStore(path)``; see :func:`aijri_core.store.open_store` for the addresses
(``AIJRI_DB``, ``--db``) that pick it. The file and its parent folders are created on first use.

How it stays safe:
- Before any other connection touches it, an existing file is checked read as immutable (no
  locks, no ``-wal``/``-shm`` files): a store whose schema version is newer than this
  release, or a non-empty SQLite file holding tables, views or triggers that are not ours,
  is refused and left exactly as it was, with nothing added beside it (no journal-mode
  switch, no migration).
- Reads use a read-only connection, so listing and exporting work on a store file the user
  may only read, and a read can never change the file.
- WAL journal mode, so readers (another browser tab, the CLI) never block the writer;
  ``synchronous=FULL`` so every committed write survives a crash of the process.
- Every write is one ``BEGIN IMMEDIATE`` transaction: either all of it lands or none of it
  (``import_scenarios`` saves a whole list or nothing). A busy timeout lets several
  processes write to one store; they take turns.
- The schema version lives in ``PRAGMA user_version``; :data:`MIGRATIONS` holds the steps
  that bring an older store up to :data:`SCHEMA_VERSION`.
- Everything read back is validated again (pydantic); a damaged row gives a
  :class:`StoreError` naming the row, never a crash.

Roles are stored as their on-disk JSON; scenarios as JSON scoped to a role key, with an
explicit ``position`` column (0, 1, 2, ... per role key) that keeps the saved order.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

from ..model import RoleAssessment, Scenario, clean_name
from . import contract as rules
from .contract import STORED_PREFIX, StoreError

#: The schema this release writes (``PRAGMA user_version``).
SCHEMA_VERSION = 2
#: Seconds a writer waits for another process's write to finish before giving up.
BUSY_TIMEOUT_S = 30.0

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

#: The schema objects (tables and named indexes) each version has; a file holding any other
#: table, view or trigger is not ours. SQLite's own objects (``sqlite_*``) are not counted.
SCHEMA_OBJECTS: dict[int, frozenset[str]] = {
    0: frozenset(),
    1: frozenset({"table roles", "table scenarios", "index scenarios_by_position"}),
    2: frozenset({"table roles", "table scenarios", "index scenarios_by_position"}),
}


#: Older versions with the same tables: a store at one of them that we may not write to
#: (so cannot migrate) is still read as it is.
READABLE_AS_IS = frozenset({1})


def _create_v1(conn: sqlite3.Connection) -> None:
    for statement in _SCHEMA_V1.split(";"):
        if statement.strip():
            conn.execute(statement)


def _free_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)`` ... if it is taken."""
    found, n = name, 1
    while found in taken:
        n += 1
        found = f"{name} ({n})"
    taken.add(found)
    return found


def _clean_v1_names(conn: sqlite3.Connection) -> None:
    """Version 1 -> 2: names and role keys cleaned by the project's one rule (``clean_name``:
    NFC, invisible characters at the ends removed), as this release compares them. Two entries
    that become the same name keep both (the later one gets `` (2)``); order is kept."""
    roles = conn.execute("SELECT name, data, saved_at FROM roles ORDER BY position, name").fetchall()
    taken: set[str] = set()
    renamed: dict[str, str] = {}
    for name, _, _ in roles:
        renamed[name] = _free_name(clean_name(name) or name, taken)
    conn.execute("DELETE FROM roles")
    conn.executemany(
        "INSERT INTO roles (name, position, data, saved_at) VALUES (?, ?, ?, ?)",
        [(renamed[name], pos, data, saved_at) for pos, (name, data, saved_at) in enumerate(roles)],
    )

    def new_key(key: str) -> str:
        if key.startswith(STORED_PREFIX):
            rest = key[len(STORED_PREFIX) :]
            return STORED_PREFIX + renamed.get(rest, clean_name(rest) or rest)
        return clean_name(key) or key  # bundled keys; any other key is kept, cleaned

    rows = conn.execute("SELECT role_key, name, data, saved_at FROM scenarios ORDER BY role_key, position, name").fetchall()
    lists: dict[str, list[tuple[str, str, float]]] = {}
    names: dict[str, set[str]] = {}
    for key, name, data, saved_at in rows:
        key = new_key(key)
        clean = _free_name(clean_name(name) or name, names.setdefault(key, set()))
        if clean != name:
            try:
                obj = json.loads(data)
                obj["name"] = clean
                data = json.dumps(obj, ensure_ascii=False)
            except (ValueError, TypeError, RecursionError):
                pass  # a damaged row stays damaged (and is reported when read)
        lists.setdefault(key, []).append((clean, data, saved_at))
    conn.execute("DELETE FROM scenarios")
    conn.executemany(
        "INSERT INTO scenarios (role_key, name, position, data, saved_at) VALUES (?, ?, ?, ?, ?)",
        [(key, name, pos, data, saved_at) for key, items in lists.items() for pos, (name, data, saved_at) in enumerate(items)],
    )


def _has_role(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM roles WHERE name = ?", (name,)).fetchone() is not None


#: Migration steps: ``MIGRATIONS[v]`` turns a store at version ``v`` into version ``v + 1``
#: (inside the same transaction). Version 0 is a new, empty file.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {0: _create_v1, 1: _clean_v1_names}


def _rollback(conn: sqlite3.Connection) -> None:
    """Undo the open transaction, if SQLite has not already: on some errors (a full disk at
    COMMIT) it rolls back by itself, and a second ROLLBACK would raise in place of the reason."""
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):  # the connection is closed next, which drops it anyway
            conn.execute("ROLLBACK")


def _is_full(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL


class SQLiteStore(rules.StoreBase):
    """Saved roles and scenarios in one SQLite file; safe for several tabs and processes."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path).expanduser()
        self._checked: tuple[int, int] | None = None  # (device, inode) of the file found to be ours

    @property
    def address(self) -> str:
        return str(self.path)

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r})"

    def close(self) -> None:
        """Nothing to release: every call opens and closes its own connection."""

    # ------------------------------------------------------------ connection and schema

    def _connect(self, read_only: bool, immutable: bool = False) -> sqlite3.Connection:
        try:
            if read_only:
                query = "mode=ro&immutable=1" if immutable else "mode=ro"
                conn = sqlite3.connect(
                    f"{self.path.resolve().as_uri()}?{query}", uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None
                )
            else:
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"store {self.path}: cannot open ({exc})") from None
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        return conn

    def _has_content(self) -> bool:
        try:
            return self.path.stat().st_size > 0
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise StoreError(f"store {self.path}: cannot open ({exc.strerror or exc})") from None

    def _writable(self) -> bool:
        """May we change the file? (SQLite also writes its journal beside it, in the folder.)"""
        return os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK)

    def _inspect(self, conn: sqlite3.Connection) -> int:
        """The file's schema version, after checking that it is ours (reads only)."""
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"store {self.path}: schema version {version} was written by a newer release;"
                f" this release reads up to version {SCHEMA_VERSION}; the file was left unchanged"
            )
        found = {
            f"{kind} {name}"
            for kind, name in conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite!_%' ESCAPE '!'")
        }
        expected = SCHEMA_OBJECTS[version]
        foreign = sorted(found - expected)
        if foreign:
            raise StoreError(
                f"store {self.path}: not a scenario store (it holds objects that are not ours: {', '.join(foreign[:5])});"
                " the file was left unchanged; choose another file"
            )
        missing = sorted(o.split(" ", 1)[1] for o in expected - found if o.startswith("table "))
        if missing:
            raise StoreError(f"store {self.path}: not a scenario store (missing tables: {', '.join(missing)})")
        return version

    def _open(self, write: bool) -> sqlite3.Connection:
        """A connection to a checked store at :data:`SCHEMA_VERSION`.

        Reads of an existing store get a read-only connection. A missing or empty file is
        created, and an older one migrated, only after :meth:`_inspect` has accepted it.
        """
        if self.path.is_dir():
            raise StoreError(f"store {self.path}: is a folder, not a file")
        try:
            if self._has_content():
                self._check_is_ours()
            if not write and self._has_content():
                conn, version = self._open_read_only()
                if version == SCHEMA_VERSION or (version in READABLE_AS_IS and not self._writable()):
                    return conn  # an older store we may not update is read as it is
                conn.close()
                if not self._writable():
                    raise StoreError(
                        f"store {self.path}: read-only, and at schema version {version} it needs an update"
                        f" to version {SCHEMA_VERSION}; open it once with write access"
                    )
            elif self._has_content() and not self._writable():
                raise StoreError(
                    f"store {self.path}: read-only (no write access to the file or its folder); nothing was saved"
                )
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"store {self.path}: cannot create its folder ({exc.strerror or exc})") from None
            conn = self._connect(read_only=False)
            try:
                if self._inspect(conn) != SCHEMA_VERSION:
                    self._prepare(conn)
                conn.execute("PRAGMA synchronous = FULL")
            except BaseException:
                conn.close()
                raise
            return conn
        except sqlite3.DatabaseError as exc:
            if _is_full(exc):  # creating or updating the store's schema ran out of space
                raise rules.disk_full_error(str(self.path)) from None
            raise StoreError(f"store {self.path}: not a readable scenario store ({exc})") from None

    def _check_is_ours(self) -> None:
        """Refuse a file that is not ours before any other connection touches it.

        The check reads the file as immutable: SQLite then takes no locks and creates no
        ``-wal``/``-shm`` files beside it, so a refused file and its folder stay exactly as
        they were. Done once per file (a file replaced meanwhile is checked again).

        A ``-wal`` file beside it means the main file alone is not the whole database: a
        writer may be checkpointing into it right now, or one was killed before it finished,
        and the WAL holds the rest. Then the check reads through the journal (read-only, with
        locks), as every reader must; SQLite's files are already there, so none is added.
        """
        stat = self.path.stat()
        if self._checked == (stat.st_dev, stat.st_ino):
            return
        wal = self.path.with_name(self.path.name + "-wal")
        conn = self._connect(read_only=True, immutable=not wal.exists())
        try:
            self._inspect(conn)
        finally:
            conn.close()
        self._checked = (stat.st_dev, stat.st_ino)

    def _open_read_only(self) -> tuple[sqlite3.Connection, int]:
        """A read-only connection and the checked schema version.

        A WAL store whose folder we may not write to has no ``-shm`` file to share with
        writers; SQLite then reads it only as an unchanging (immutable) file.
        """
        for immutable in (False, True):
            conn = self._connect(read_only=True, immutable=immutable)
            try:
                return conn, self._inspect(conn)
            except sqlite3.OperationalError:
                conn.close()
                if immutable or self._writable():
                    raise
            except BaseException:
                conn.close()
                raise
        raise AssertionError("unreachable")

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """WAL mode, then create or migrate the schema (the file was inspected: it is ours)."""
        # WAL persists in the file; on media that refuse it SQLite keeps its default journal.
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Inspect again inside the lock: another process may have created or migrated it.
            version = self._inspect(conn)
            while version < SCHEMA_VERSION:
                step = MIGRATIONS.get(version)
                if step is None:
                    raise StoreError(f"store {self.path}: no migration from schema version {version}")
                step(conn)
                version += 1
                conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise

    @contextmanager
    def _read(self):
        conn = self._open(write=False)
        try:
            yield conn
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"store {self.path}: cannot read ({exc})") from None
        finally:
            conn.close()

    @contextmanager
    def _write(self):
        """One write transaction: BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""
        conn = self._open(write=True)
        try:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreError(f"store {self.path}: busy or read-only, nothing was saved ({exc})") from None
            try:
                yield conn
                conn.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                _rollback(conn)
                raise StoreError(f"store {self.path}: write failed, nothing was saved ({exc})") from None
            except BaseException:
                _rollback(conn)
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

    def positions(self, role_key: str) -> list[int]:
        """The stored positions of a role's scenarios, in list order (0, 1, 2, ...)."""
        role_key = rules.check_role_key(role_key)
        with self._read() as conn:
            return [
                int(r[0])
                for r in conn.execute("SELECT position FROM scenarios WHERE role_key = ? ORDER BY position", (role_key,))
            ]

    # ------------------------------------------------------------ roles

    def save_role(self, assessment: RoleAssessment, name: str | None = None, overwrite: bool = False) -> str:
        name, data = rules.role_row(assessment, name)
        with self._write() as conn:
            row = conn.execute("SELECT position FROM roles WHERE name = ?", (name,)).fetchone()
            if row is not None:
                if not overwrite:
                    raise rules.role_taken(name)
                conn.execute("UPDATE roles SET data = ?, saved_at = ? WHERE name = ?", (data, time.time(), name))
            else:
                conn.execute(
                    "INSERT INTO roles (name, position, data, saved_at)"
                    " VALUES (?, (SELECT COALESCE(MAX(position), -1) + 1 FROM roles), ?, ?)",
                    (name, data, time.time()),
                )
        return name

    def list_roles(self) -> list[str]:
        with self._read() as conn:
            return [str(r[0]) for r in conn.execute("SELECT name FROM roles ORDER BY position, name")]

    def load_role(self, name: str) -> RoleAssessment:
        name = rules.check_name(name, "role name")
        with self._read() as conn:
            row = conn.execute("SELECT data FROM roles WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise rules.role_not_found(name)
        return rules.decode_role(row[0], self.address, name)

    def has_role(self, name: str) -> bool:
        name = rules.check_name(name, "role name")
        with self._read() as conn:
            return _has_role(conn, name)

    def rename_role(self, old: str, new: str) -> None:
        old = rules.check_name(old, "role name")
        new = rules.check_name(new, "new role name")
        with self._write() as conn:
            if not _has_role(conn, old):
                raise rules.role_not_found(old)
            if old == new:
                return
            if _has_role(conn, new):
                raise rules.role_taken(new, overwrite_hint=False)
            new_key = rules.stored_role_key(new)
            if conn.execute("SELECT 1 FROM scenarios WHERE role_key = ? LIMIT 1", (new_key,)).fetchone() is not None:
                raise rules.role_key_in_use(new_key)
            conn.execute("UPDATE roles SET name = ? WHERE name = ?", (new, old))
            conn.execute("UPDATE scenarios SET role_key = ? WHERE role_key = ?", (new_key, rules.stored_role_key(old)))

    def delete_role(self, name: str) -> None:
        name = rules.check_name(name, "role name")
        with self._write() as conn:
            row = conn.execute("SELECT position FROM roles WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise rules.role_not_found(name)
            conn.execute("DELETE FROM roles WHERE name = ?", (name,))
            conn.execute("UPDATE roles SET position = position - 1 WHERE position > ?", (row[0],))
            conn.execute("DELETE FROM scenarios WHERE role_key = ?", (rules.stored_role_key(name),))

    # ------------------------------------------------------------ scenarios

    def import_scenarios(self, role_key: str, scenarios: Iterable[Scenario], overwrite: bool = False) -> int:
        role_key = rules.check_role_key(role_key)
        rows = rules.scenario_rows(scenarios)
        wanted = {name for name, _ in rows}
        with self._write() as conn:
            rules.check_owner(role_key, lambda name: _has_role(conn, name))
            taken = {
                str(r[0]) for r in conn.execute("SELECT name FROM scenarios WHERE role_key = ?", (role_key,)) if r[0] in wanted
            }
            if taken and not overwrite:
                raise rules.scenarios_taken(role_key, taken)
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
        role_key = rules.check_role_key(role_key)
        with self._read() as conn:
            rows = conn.execute(
                "SELECT name, data FROM scenarios WHERE role_key = ? ORDER BY position, name", (role_key,)
            ).fetchall()
        return [rules.decode_scenario(data, self.address, role_key, str(name)) for name, data in rows]

    def scenario_names(self, role_key: str) -> list[str]:
        role_key = rules.check_role_key(role_key)
        with self._read() as conn:
            return [
                str(r[0])
                for r in conn.execute("SELECT name FROM scenarios WHERE role_key = ? ORDER BY position, name", (role_key,))
            ]

    def role_keys(self) -> list[str]:
        with self._read() as conn:
            return [str(r[0]) for r in conn.execute("SELECT DISTINCT role_key FROM scenarios ORDER BY role_key")]

    def load_scenario(self, role_key: str, name: str) -> Scenario:
        role_key = rules.check_role_key(role_key)
        name = rules.check_name(name, "scenario name")
        with self._read() as conn:
            row = conn.execute("SELECT data FROM scenarios WHERE role_key = ? AND name = ?", (role_key, name)).fetchone()
        if row is None:
            raise rules.scenario_not_found(role_key, name)
        return rules.decode_scenario(row[0], self.address, role_key, name)

    def rename_scenario(self, role_key: str, old: str, new: str) -> None:
        role_key = rules.check_role_key(role_key)
        old = rules.check_name(old, "scenario name")
        new = rules.check_name(new, "new scenario name")
        with self._write() as conn:
            row = conn.execute("SELECT data FROM scenarios WHERE role_key = ? AND name = ?", (role_key, old)).fetchone()
            if row is None:
                raise rules.scenario_not_found(role_key, old)
            if old == new:
                return
            if conn.execute("SELECT 1 FROM scenarios WHERE role_key = ? AND name = ?", (role_key, new)).fetchone():
                raise rules.scenario_taken(role_key, new)
            scenario = rules.decode_scenario(row[0], self.address, role_key, old)
            data = rules.scenario_json(scenario.model_copy(update={"name": new}))
            conn.execute(
                "UPDATE scenarios SET name = ?, data = ?, saved_at = ? WHERE role_key = ? AND name = ?",
                (new, data, time.time(), role_key, old),
            )

    def delete_scenario(self, role_key: str, name: str) -> None:
        role_key = rules.check_role_key(role_key)
        name = rules.check_name(name, "scenario name")
        with self._write() as conn:
            row = conn.execute(
                "SELECT position FROM scenarios WHERE role_key = ? AND name = ?", (role_key, name)
            ).fetchone()
            if row is None:
                raise rules.scenario_not_found(role_key, name)
            conn.execute("DELETE FROM scenarios WHERE role_key = ? AND name = ?", (role_key, name))
            # Keep positions dense (0, 1, 2, ...): the later ones move up by one.
            conn.execute(
                "UPDATE scenarios SET position = position - 1 WHERE role_key = ? AND position > ?", (role_key, row[0])
            )
