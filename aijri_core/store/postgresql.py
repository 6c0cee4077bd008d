"""The scenario store on PostgreSQL: one library of roles and scenarios for a team.

Address: ``postgresql://user:password@host:port/dbname`` (``postgres://`` too); libpq's
own settings apply as usual (``PGPASSWORD``, ``~/.pgpass``, ``?sslmode=require``).
Every message shows the address without its password.

Workspaces: every role and scenario belongs to one workspace (``workspace=``, else env
``AIJRI_WORKSPACE``, else ``default``). Names are unique within a workspace and one
workspace never sees another's data, so one database can hold several teams' or clients'
libraries. Who may use which workspace is decided in front of the app (the firm's sign-in
proxy or Streamlit's login), not here.

Schema (in the PostgreSQL schema ``aijri``): ``workspaces``; ``roles`` (``jsonb`` document,
``timestamptz`` time, dense unique positions per workspace); ``scenario_lists``, one per
role key: a bundled role's slug, or a foreign key to a saved role, so renaming a role
carries its scenarios and deleting it deletes them (``ON DELETE CASCADE``); ``scenarios``
(``jsonb`` document, dense unique positions per list, the order of ``changes`` kept in
``change_order`` because ``jsonb`` sorts object keys). ``schema_version`` records each
migration once; :data:`MIGRATIONS` run under a transaction-scoped advisory lock, so several
servers starting at the same moment migrate once and the others wait, then find it done.

Concurrency: role writes lock their workspace's row (``FOR NO KEY UPDATE``), scenario writes
lock their list's row (``FOR UPDATE``): writers of one list take turns like on SQLite, and
readers never wait. A name taken meanwhile ends in :class:`NameClashError`, never in a
driver error. Each call is one transaction: an import lands whole or not at all, also when
the process is killed.

Connections: one pool per process and address (:func:`pool_for`), opened on first use. A
database that cannot be reached raises :class:`StoreUnavailableError` with the reason.

As on every backend, scenarios are saved only for a role that exists. A list filed under a
name alone (``stored_name``: scenarios saved for ``stored:<name>`` before a role of that name
existed, which earlier releases allowed) is still read; saving that role adopts it (the list
then refers to the role's id), and renaming another role to that name is refused while the
list holds scenarios.
"""

from __future__ import annotations

import atexit
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar
from urllib.parse import parse_qsl, urlsplit

import psycopg
from psycopg import errors as pg_errors
from psycopg_pool import ConnectionPool, PoolTimeout

from ..model import MAX_NAME, RoleAssessment, Scenario
from . import display_address
from .contract import (
    ASCII_LOWER,
    ASCII_UPPER,
    BUNDLED_PREFIX,
    ITER_BATCH,
    NameClashError,
    StoreBase,
    StoreError,
    check_filters,
    check_limit,
    check_name,
    check_owner,
    check_page,
    check_role_key,
    check_scenarios,
    decode_role,
    decode_scenario,
    disk_full_error,
    role_key_in_use,
    role_not_found,
    role_row,
    role_taken,
    scenario_json,
    scenario_not_found,
    scenario_taken,
    scenarios_taken,
    stored_role_key,
    stored_role_name,
)

ENV_WORKSPACE = "AIJRI_WORKSPACE"
DEFAULT_WORKSPACE = "default"
URL_SCHEMES = ("postgresql://", "postgres://")
#: The schema this release writes (rows of ``aijri.schema_version``).
SCHEMA_VERSION = 1
#: Seconds to wait for a connection (unreachable server, or every pooled connection busy).
CONNECT_TIMEOUT_S = 2
#: Connections per process and address; a Streamlit server's sessions share them.
POOL_MAX = 8
#: Key of the advisory lock held while migrating (any constant shared by every release).
MIGRATION_LOCK = 0x41494A5249  # "AIJRI"
#: Attempts of one write when PostgreSQL aborts it for a deadlock or serialization failure.
WRITE_ATTEMPTS = 3

T = TypeVar("T")


#: Unique constraints that hold names (a violation is a name clash; others are retried).
_NAME_CONSTRAINTS = frozenset({"roles_name_unique", "scenarios_pkey"})


class StoreUnavailableError(StoreError):
    """The database cannot be reached or refused the connection (nothing was read or saved)."""


def is_postgres_address(address: object) -> bool:
    return isinstance(address, str) and address.lower().startswith(URL_SCHEMES)


def _password(address: str) -> str | None:
    try:
        parts = urlsplit(address)
        return parts.password or dict(parse_qsl(parts.query)).get("password")
    except ValueError:
        return None


#: The driver's lead-in naming the server again (the message already names the address).
_SERVER_LEAD_IN = re.compile(
    r'^(?:connection failed: )?connection to server (?:at "[^"]*"(?:\s*\([^)]*\))?, port \d+|on socket "[^"]*") failed: '
)


def _reason(exc: BaseException, address: str) -> str:
    """The driver's first line without its lead-in naming the server (every message names the
    address already), and without the password should the driver ever echo it."""
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    text = _SERVER_LEAD_IN.sub("", text).strip() or type(exc).__name__
    secret = _password(address)
    return text.replace(secret, "***") if secret else text


def check_workspace(workspace: object) -> str:
    if not isinstance(workspace, str) or not workspace.strip():
        raise StoreError(f"workspace: expected a name of 1 to {MAX_NAME} characters, got {str(workspace)[:60]!r}")
    cleaned = workspace.strip()
    if len(cleaned) > MAX_NAME or "\x00" in cleaned:
        raise StoreError(f"workspace: not valid; allowed: 1 to {MAX_NAME} characters, no NUL")
    return cleaned


def default_workspace() -> str:
    return check_workspace(os.environ.get(ENV_WORKSPACE) or DEFAULT_WORKSPACE)


# ---------------------------------------------------------------- schema and migrations

_V1 = """
CREATE TABLE aijri.workspaces (
    name       text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE aijri.roles (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace text NOT NULL REFERENCES aijri.workspaces (name) ON UPDATE CASCADE ON DELETE CASCADE,
    name      text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    position  integer NOT NULL CHECK (position >= 0),
    data      jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    saved_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT roles_name_unique UNIQUE (workspace, name),
    CONSTRAINT roles_position_unique UNIQUE (workspace, position) DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT roles_workspace_id UNIQUE (workspace, id)
);
CREATE TABLE aijri.scenario_lists (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace    text NOT NULL REFERENCES aijri.workspaces (name) ON UPDATE CASCADE ON DELETE CASCADE,
    role_id      bigint UNIQUE,
    stored_name  text CHECK (length(stored_name) BETWEEN 1 AND 200),
    bundled_slug text CHECK (length(bundled_slug) BETWEEN 1 AND 200),
    CONSTRAINT scenario_lists_one_owner CHECK (num_nonnulls(role_id, stored_name, bundled_slug) = 1),
    CONSTRAINT scenario_lists_bundled_unique UNIQUE (workspace, bundled_slug),
    CONSTRAINT scenario_lists_stored_unique UNIQUE (workspace, stored_name),
    CONSTRAINT scenario_lists_role FOREIGN KEY (workspace, role_id)
        REFERENCES aijri.roles (workspace, id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE TABLE aijri.scenarios (
    list_id      bigint NOT NULL REFERENCES aijri.scenario_lists (id) ON DELETE CASCADE,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    position     integer NOT NULL CHECK (position >= 0),
    data         jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    change_order text[] NOT NULL DEFAULT '{}',
    saved_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (list_id, name),
    CONSTRAINT scenarios_position_unique UNIQUE (list_id, position) DEFERRABLE INITIALLY IMMEDIATE
);
"""

#: ``MIGRATIONS[v]`` turns a database at schema version ``v`` into ``v + 1`` (version 0:
#: no tables yet). Each step runs in the same transaction as its ``schema_version`` row.
MIGRATIONS: dict[int, str] = {0: _V1}

_BOOTSTRAP = """
CREATE SCHEMA IF NOT EXISTS aijri;
CREATE TABLE IF NOT EXISTS aijri.schema_version (
    version    integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);
"""


def _current_version(conn: psycopg.Connection) -> int:
    if conn.execute("SELECT to_regclass('aijri.schema_version')").fetchone()[0] is None:
        return 0
    return int(conn.execute("SELECT COALESCE(MAX(version), 0) FROM aijri.schema_version").fetchone()[0])


def migrate(conn: psycopg.Connection, shown: str) -> int:
    """Bring the database to :data:`SCHEMA_VERSION` (once, whoever runs it); returns the version.

    Fast path without a lock when the schema is current; otherwise one transaction holding
    the advisory lock re-reads the version and applies the missing steps.
    """
    version = _current_version(conn)
    conn.commit()
    if version == SCHEMA_VERSION:
        return version
    if version < SCHEMA_VERSION:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            conn.execute(_BOOTSTRAP)
            version = _current_version(conn)  # another server may have migrated meanwhile
            while version < SCHEMA_VERSION:
                step = MIGRATIONS.get(version)
                if step is None:
                    raise StoreError(f"store {shown}: no migration from schema version {version}")
                conn.execute(step)
                version += 1
                conn.execute("INSERT INTO aijri.schema_version (version) VALUES (%s)", (version,))
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"store {shown}: schema version {version} was written by a newer release;"
            f" this release reads up to version {SCHEMA_VERSION}"
        )
    return version


# ---------------------------------------------------------------- one pool per process


_POOLS: dict[tuple[int, str], ConnectionPool] = {}
_POOLS_LOCK = threading.Lock()


def _connect_kwargs() -> dict:
    return {"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "aijri"}


def pool_for(address: str) -> ConnectionPool:
    """This process's connection pool for ``address``, opened (and the schema migrated) on first use.

    The first connection is made directly, so an unreachable server gives its own reason
    (refused, unknown host, bad password) instead of a pool timeout.
    """
    key = (os.getpid(), address)  # a forked child builds its own pool
    pool = _POOLS.get(key)
    if pool is not None:
        return pool
    shown = display_address(address)
    with _POOLS_LOCK:
        pool = _POOLS.get(key)
        if pool is not None:
            return pool
        try:
            with psycopg.connect(address, **_connect_kwargs()) as conn:
                migrate(conn, shown)
            pool = ConnectionPool(
                address,
                kwargs={**_connect_kwargs(), "autocommit": True},  # a read is one statement; writes open a transaction
                min_size=1,
                max_size=POOL_MAX,
                open=False,
                check=ConnectionPool.check_connection,
                timeout=CONNECT_TIMEOUT_S,
                name=f"aijri {shown}",
            )
            pool.open(wait=True, timeout=CONNECT_TIMEOUT_S)
        except StoreError:
            raise
        except pg_errors.DiskFull as exc:  # preparing the schema ran out of space
            raise disk_full_error(shown, _reason(exc, address)) from None
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise StoreUnavailableError(f"store {shown}: cannot reach the database ({_reason(exc, address)})") from None
        except psycopg.Error as exc:
            raise StoreError(f"store {shown}: cannot prepare the database ({_reason(exc, address)})") from None
        _POOLS[key] = pool
        return pool


@atexit.register
def close_pools() -> None:
    """Close this process's pools (at exit, or in tests)."""
    with _POOLS_LOCK:
        for key in [k for k in _POOLS if k[0] == os.getpid()]:
            _POOLS.pop(key).close()


# ---------------------------------------------------------------- the store


def _in_order(scenario_data: object, change_order: list[str] | None) -> object:
    """The scenario document with its ``changes`` in the order they were saved."""
    if isinstance(scenario_data, dict) and isinstance(scenario_data.get("changes"), dict) and change_order:
        changes = scenario_data["changes"]
        if set(change_order) == set(changes):
            return {**scenario_data, "changes": {k: changes[k] for k in change_order}}
    return scenario_data


class PostgresStore(StoreBase):
    """Saved roles and scenarios of one workspace in a PostgreSQL database."""

    def __init__(self, address: str, workspace: str | None = None) -> None:
        if not is_postgres_address(address):
            raise StoreError(f"store address: expected postgresql://user:password@host:port/dbname, got {display_address(str(address))!r}")
        self._url = address
        self.workspace = check_workspace(workspace) if workspace is not None else default_workspace()
        #: Where the data is, for messages and cache keys: the database (no password) and the workspace.
        self.address = f"{display_address(address)} (workspace {self.workspace!r})"

    def __repr__(self) -> str:
        return f"PostgresStore({display_address(self._url)!r}, workspace={self.workspace!r})"

    def close(self) -> None:
        """Nothing per store: the process's pool is shared (closed at exit, see :func:`close_pools`)."""

    # ------------------------------------------------------------ transactions

    def _run(self, work: Callable[[psycopg.Connection], T], write: bool = False) -> T:
        """Run ``work`` on a pooled connection, turning driver errors into StoreErrors.

        A write runs in one transaction (all of it or nothing) and is tried again when PostgreSQL
        aborts it for a deadlock or serialization failure; a read is one statement on its own.
        """
        pool = pool_for(self._url)
        attempts = WRITE_ATTEMPTS if write else 1
        for attempt in range(1, attempts + 1):
            try:
                with pool.connection() as conn:
                    if not write:
                        return work(conn)
                    with conn.transaction():
                        return work(conn)
            except StoreError:
                raise
            except pg_errors.TransactionRollback as exc:
                if attempt == attempts:
                    raise StoreError(f"store {self.address}: too busy, nothing was saved ({_reason(exc, self._url)})") from None
            except pg_errors.UniqueViolation as exc:
                # the explicit checks under the locks come first; this is the last line of defence
                if exc.diag.constraint_name in _NAME_CONSTRAINTS:
                    raise NameClashError(
                        f"store {self.address}: that name was saved by someone else at the same moment;"
                        " nothing was saved, choose another name or overwrite"
                    ) from None
                if attempt == attempts:
                    raise StoreError(
                        f"store {self.address}: a concurrent change got in the way, nothing was saved; try again"
                        f" ({_reason(exc, self._url)})"
                    ) from None
            except pg_errors.DiskFull as exc:  # an OperationalError, but the server is there: its disk is full
                raise disk_full_error(self.address, _reason(exc, self._url)) from None
            except (psycopg.OperationalError, PoolTimeout) as exc:
                raise StoreUnavailableError(
                    f"store {self.address}: cannot reach the database ({_reason(exc, self._url)})"
                    + ("; nothing was saved" if write else "")
                ) from None
            except psycopg.Error as exc:
                what = "write failed, nothing was saved" if write else "cannot read"
                raise StoreError(f"store {self.address}: {what} ({_reason(exc, self._url)})") from None
        raise AssertionError("unreachable")

    def _lock_workspace(self, conn: psycopg.Connection) -> None:
        """Create the workspace if new and hold its row: role writers of one workspace take turns."""
        conn.execute("INSERT INTO aijri.workspaces (name) VALUES (%s) ON CONFLICT DO NOTHING", (self.workspace,))
        conn.execute("SELECT 1 FROM aijri.workspaces WHERE name = %s FOR NO KEY UPDATE", (self.workspace,))

    def _role_id(self, conn: psycopg.Connection, name: str, lock: str = "") -> int | None:
        row = conn.execute(
            f"SELECT id FROM aijri.roles WHERE workspace = %s AND name = %s {lock}", (self.workspace, name)
        ).fetchone()
        return None if row is None else int(row[0])

    def _list_where(self, role_key: str) -> tuple[str, tuple]:
        """SQL condition (on ``l``, a scenario_lists row) selecting the list of a role key."""
        role_name = stored_role_name(role_key)
        if role_name is None:
            return "l.workspace = %s AND l.bundled_slug = %s", (self.workspace, role_key[len(BUNDLED_PREFIX) :])
        # the saved role's list, or the list waiting for a role of that name (never both: saving adopts it)
        return (
            "(l.role_id = (SELECT id FROM aijri.roles WHERE workspace = %s AND name = %s)"
            " OR (l.workspace = %s AND l.stored_name = %s))",
            (self.workspace, role_name, self.workspace, role_name),
        )

    def _lock_list(self, conn: psycopg.Connection, role_key: str, create: bool) -> int | None:
        """The id of the role key's scenario list, locked for this transaction (created if asked).

        For a ``stored:`` key the workspace row is held in share mode first, so no role of that
        name is saved, renamed or deleted meanwhile (role writers hold it exclusively).
        """
        role_name = stored_role_name(role_key)
        if create:
            conn.execute("INSERT INTO aijri.workspaces (name) VALUES (%s) ON CONFLICT DO NOTHING", (self.workspace,))
        if role_name is None:
            owner, value = "bundled_slug", role_key[len(BUNDLED_PREFIX) :]
        else:
            conn.execute("SELECT 1 FROM aijri.workspaces WHERE name = %s FOR SHARE", (self.workspace,))
            role_id = self._role_id(conn, role_name)
            # a list filed under the name only (saved before that was refused) is still read
            owner, value = ("stored_name", role_name) if role_id is None else ("role_id", role_id)
        if create:
            check_owner(role_key, lambda _: owner != "stored_name")
        where = "role_id = %s" if owner == "role_id" else f"workspace = %s AND {owner} = %s"
        params = (value,) if owner == "role_id" else (self.workspace, value)
        if create:
            conflict = "(role_id)" if owner == "role_id" else f"(workspace, {owner})"
            conn.execute(
                f"INSERT INTO aijri.scenario_lists (workspace, {owner}) VALUES (%s, %s) ON CONFLICT {conflict} DO NOTHING",
                (self.workspace, value),
            )
        row = conn.execute(f"SELECT id FROM aijri.scenario_lists WHERE {where} FOR UPDATE", params).fetchone()
        return None if row is None else int(row[0])

    def _one_scenario(self, conn: psycopg.Connection, role_key: str, name: str, sql: str) -> tuple[int, tuple]:
        """Lock the role key's list and run ``sql`` (parameters: list id, name) for one scenario's row."""
        list_id = self._lock_list(conn, role_key, create=False)
        row = None if list_id is None else conn.execute(sql, (list_id, name)).fetchone()
        if list_id is None or row is None:
            raise scenario_not_found(role_key, name)
        return list_id, row

    def positions(self, role_key: str) -> list[int]:
        """The stored positions of a role's scenarios, in list order (0, 1, 2, ...)."""
        role_key = check_role_key(role_key)
        where, params = self._list_where(role_key)
        sql = f"SELECT s.position FROM aijri.scenarios s JOIN aijri.scenario_lists l ON l.id = s.list_id WHERE {where}"
        return [int(r[0]) for r in self._run(lambda conn: conn.execute(sql + " ORDER BY s.position", params).fetchall())]

    def schema_version(self) -> int:
        return self._run(_current_version)

    # ------------------------------------------------------------ roles

    def save_role(self, assessment: RoleAssessment, name: str | None = None, overwrite: bool = False) -> str:
        name, data = role_row(assessment, name)

        def work(conn: psycopg.Connection) -> str:
            self._lock_workspace(conn)
            role_id = self._role_id(conn, name)
            if role_id is not None:
                if not overwrite:
                    raise role_taken(name)
                conn.execute("UPDATE aijri.roles SET data = %s::jsonb, saved_at = now() WHERE id = %s", (data, role_id))
            else:
                role_id = conn.execute(
                    "INSERT INTO aijri.roles (workspace, name, position, data)"
                    " SELECT %s, %s, count(*), %s::jsonb FROM aijri.roles WHERE workspace = %s RETURNING id",
                    (self.workspace, name, data, self.workspace),
                ).fetchone()[0]
                # scenarios saved for stored:<name> before the role now refer to it
                conn.execute(
                    "UPDATE aijri.scenario_lists SET role_id = %s, stored_name = NULL WHERE workspace = %s AND stored_name = %s",
                    (role_id, self.workspace, name),
                )
            return name

        return self._run(work, write=True)

    def list_roles(self) -> list[str]:
        return self._run(
            lambda conn: [
                str(r[0])
                for r in conn.execute(
                    "SELECT name FROM aijri.roles WHERE workspace = %s ORDER BY position", (self.workspace,)
                )
            ]
        )

    def load_role(self, name: str) -> RoleAssessment:
        name = check_name(name, "role name")
        row = self._run(
            lambda conn: conn.execute(
                "SELECT data FROM aijri.roles WHERE workspace = %s AND name = %s", (self.workspace, name)
            ).fetchone()
        )
        if row is None:
            raise role_not_found(name)
        return decode_role(row[0], self.address, name)

    def has_role(self, name: str) -> bool:
        name = check_name(name, "role name")
        return self._run(lambda conn: self._role_id(conn, name)) is not None

    def rename_role(self, old: str, new: str) -> None:
        old = check_name(old, "role name")
        new = check_name(new, "new role name")

        def work(conn: psycopg.Connection) -> None:
            self._lock_workspace(conn)
            role_id = self._role_id(conn, old)
            if role_id is None:
                raise role_not_found(old)
            if old == new:
                return
            if self._role_id(conn, new) is not None:
                raise role_taken(new, overwrite_hint=False)
            waiting = conn.execute(
                "DELETE FROM aijri.scenario_lists l WHERE workspace = %s AND stored_name = %s"
                " RETURNING EXISTS (SELECT 1 FROM aijri.scenarios s WHERE s.list_id = l.id)",
                (self.workspace, new),
            ).fetchone()
            if waiting is not None and waiting[0]:
                raise role_key_in_use(stored_role_key(new))  # rolled back: the list stays
            # the scenarios refer to the role's id: they follow the new name by themselves
            conn.execute("UPDATE aijri.roles SET name = %s, saved_at = now() WHERE id = %s", (new, role_id))

        self._run(work, write=True)

    def delete_role(self, name: str) -> None:
        name = check_name(name, "role name")

        def work(conn: psycopg.Connection) -> None:
            self._lock_workspace(conn)
            row = conn.execute(
                "DELETE FROM aijri.roles WHERE workspace = %s AND name = %s RETURNING position", (self.workspace, name)
            ).fetchone()
            if row is None:
                raise role_not_found(name)
            conn.execute(  # keep positions dense; scenarios went with the role (ON DELETE CASCADE)
                "UPDATE aijri.roles SET position = position - 1 WHERE workspace = %s AND position > %s",
                (self.workspace, row[0]),
            )

        self._run(work, write=True)

    # ------------------------------------------------------------ scenarios

    def import_scenarios(self, role_key: str, scenarios: Iterable[Scenario], overwrite: bool = False) -> int:
        role_key = check_role_key(role_key)
        items = check_scenarios(scenarios)
        rows = [(s.name, scenario_json(s), list(s.changes)) for s in items]
        names = [r[0] for r in rows]

        def work(conn: psycopg.Connection) -> int:
            list_id = self._lock_list(conn, role_key, create=True)
            taken = {
                str(r[0])
                for r in conn.execute(
                    "SELECT name FROM aijri.scenarios WHERE list_id = %s AND name = ANY(%s)", (list_id, names)
                )
            }
            if taken and not overwrite:
                raise scenarios_taken(role_key, taken)
            start = conn.execute("SELECT count(*) FROM aijri.scenarios WHERE list_id = %s", (list_id,)).fetchone()[0]
            with conn.cursor() as cur:
                if taken:
                    cur.executemany(
                        "UPDATE aijri.scenarios SET data = %s::jsonb, change_order = %s, saved_at = now()"
                        " WHERE list_id = %s AND name = %s",
                        [(data, order, list_id, name) for name, data, order in rows if name in taken],
                    )
                new = [r for r in rows if r[0] not in taken]
                cur.executemany(
                    "INSERT INTO aijri.scenarios (list_id, name, position, data, change_order)"
                    " VALUES (%s, %s, %s, %s::jsonb, %s)",
                    [(list_id, name, start + i, data, order) for i, (name, data, order) in enumerate(new)],
                )
            return len(rows)

        if not rows:
            check_owner(role_key, self.has_role)
            return 0
        return self._run(work, write=True)

    def _scenario_rows(self, role_key: str, name: str | None = None, documents: bool = True) -> list[tuple]:
        where, params = self._list_where(role_key)
        columns = "s.name, s.data, s.change_order" if documents else "s.name"
        sql = f"SELECT {columns} FROM aijri.scenarios s JOIN aijri.scenario_lists l ON l.id = s.list_id WHERE {where}"
        if name is not None:
            sql += " AND s.name = %s"
            params = (*params, name)
        sql += " ORDER BY s.position"
        return self._run(lambda conn: conn.execute(sql, params).fetchall())

    def list_scenarios(self, role_key: str) -> list[Scenario]:
        role_key = check_role_key(role_key)
        return [
            decode_scenario(_in_order(data, order), self.address, role_key, str(name))
            for name, data, order in self._scenario_rows(role_key)
        ]

    def scenario_names(self, role_key: str) -> list[str]:
        role_key = check_role_key(role_key)
        return [str(r[0]) for r in self._scenario_rows(role_key, documents=False)]

    def _filtered_sql(self, role_key: str, columns: str, text: str | None, trajectory: str | None) -> tuple[str, tuple]:
        """SELECT ``columns`` of the role's scenarios after the filters (A-Z folded by ``translate``,
        exactly what the other backends fold)."""
        text, trajectory = check_filters(text, trajectory)
        where, params = self._list_where(role_key)
        # The list's id is found first (a role key has at most one list), so the page is read in
        # order from the (list_id, position) index and stops after its rows: a join would let the
        # planner scan and sort the whole list when its statistics are stale (after a big import).
        sql = (f"SELECT {columns} FROM aijri.scenarios s"
               f" WHERE s.list_id = (SELECT l.id FROM aijri.scenario_lists l WHERE {where})")
        if text is not None:
            sql += f" AND strpos(translate(s.name, '{ASCII_UPPER}', '{ASCII_LOWER}'), %s) > 0"
            params = (*params, text)
        if trajectory is not None:
            sql += " AND s.data->>'trajectory' = %s"
            params = (*params, trajectory)
        return sql, params

    def scenario_page(
        self, role_key: str, offset: int = 0, limit: int = 50, text: str | None = None, trajectory: str | None = None
    ) -> list[Scenario]:
        role_key = check_role_key(role_key)
        offset, limit = check_page(offset, limit)
        sql, params = self._filtered_sql(role_key, "s.name, s.data, s.change_order", text, trajectory)
        rows = self._run(lambda conn: conn.execute(f"{sql} ORDER BY s.position LIMIT %s OFFSET %s",
                                                   (*params, limit, offset)).fetchall())
        return [decode_scenario(_in_order(data, order), self.address, role_key, str(name)) for name, data, order in rows]

    def count_scenarios(self, role_key: str, text: str | None = None, trajectory: str | None = None) -> int:
        role_key = check_role_key(role_key)
        # Unfiltered: positions are dense (0 .. n-1, kept so by every write), so the count is the
        # last position + 1, one step down the (list_id, position) index instead of n rows.
        columns = "count(*)" if text or trajectory else "COALESCE(max(s.position) + 1, 0)"
        sql, params = self._filtered_sql(role_key, columns, text, trajectory)
        return int(self._run(lambda conn: conn.execute(sql, params).fetchone()[0]))

    def trajectory_names(self, role_key: str, limit: int | None = None) -> list[str]:
        role_key = check_role_key(role_key)
        limit = check_limit(limit)
        where, params = self._list_where(role_key)
        sql = (
            "SELECT s.data->>'trajectory' AS t FROM aijri.scenarios s JOIN aijri.scenario_lists l ON l.id = s.list_id"
            f" WHERE {where} AND jsonb_typeof(s.data->'trajectory') = 'string' GROUP BY t ORDER BY min(s.position)"
            " LIMIT %s"
        )
        return [str(r[0]) for r in self._run(lambda conn: conn.execute(sql, (*params, limit)).fetchall())]

    def iter_scenarios(self, role_key: str) -> Iterator[Scenario]:
        role_key = check_role_key(role_key)
        sql, params = self._filtered_sql(role_key, "s.name, s.data, s.change_order", None, None)

        def rows() -> Iterator[Scenario]:
            try:
                # a server-side cursor in one transaction: a snapshot, fetched a batch at a time
                with (
                    pool_for(self._url).connection() as conn,
                    conn.transaction(),
                    conn.cursor(name="aijri_iter_scenarios") as cur,
                ):
                    cur.itersize = ITER_BATCH
                    cur.execute(f"{sql} ORDER BY s.position", params)
                    for name, data, order in cur:
                        yield decode_scenario(_in_order(data, order), self.address, role_key, str(name))
            except (psycopg.OperationalError, PoolTimeout) as exc:
                raise StoreUnavailableError(
                    f"store {self.address}: cannot reach the database ({_reason(exc, self._url)})"
                ) from None
            except psycopg.Error as exc:
                raise StoreError(f"store {self.address}: cannot read ({_reason(exc, self._url)})") from None

        return rows()

    def role_keys(self) -> list[str]:
        rows = self._run(
            lambda conn: conn.execute(
                "SELECT l.bundled_slug, COALESCE(r.name, l.stored_name) FROM aijri.scenario_lists l"
                " LEFT JOIN aijri.roles r ON r.id = l.role_id"
                " WHERE l.workspace = %s AND EXISTS (SELECT 1 FROM aijri.scenarios s WHERE s.list_id = l.id)",
                (self.workspace,),
            ).fetchall()
        )
        # sorted here: the database's collation may order text differently from the other stores
        return sorted(f"{BUNDLED_PREFIX}{slug}" if slug is not None else f"stored:{name}" for slug, name in rows)

    def load_scenario(self, role_key: str, name: str) -> Scenario:
        role_key = check_role_key(role_key)
        name = check_name(name, "scenario name")
        rows = self._scenario_rows(role_key, name)
        if not rows:
            raise scenario_not_found(role_key, name)
        _, data, order = rows[0]
        return decode_scenario(_in_order(data, order), self.address, role_key, name)

    def rename_scenario(self, role_key: str, old: str, new: str) -> None:
        role_key = check_role_key(role_key)
        old = check_name(old, "scenario name")
        new = check_name(new, "new scenario name")

        def work(conn: psycopg.Connection) -> None:
            list_id, row = self._one_scenario(
                conn, role_key, old, "SELECT data, change_order FROM aijri.scenarios WHERE list_id = %s AND name = %s"
            )
            if old == new:
                return
            if conn.execute(
                "SELECT 1 FROM aijri.scenarios WHERE list_id = %s AND name = %s", (list_id, new)
            ).fetchone() is not None:
                raise scenario_taken(role_key, new)
            scenario = decode_scenario(_in_order(row[0], row[1]), self.address, role_key, old)
            data = scenario_json(scenario.model_copy(update={"name": new}))
            conn.execute(
                "UPDATE aijri.scenarios SET name = %s, data = %s::jsonb, saved_at = now() WHERE list_id = %s AND name = %s",
                (new, data, list_id, old),
            )

        self._run(work, write=True)

    def delete_scenario(self, role_key: str, name: str) -> None:
        role_key = check_role_key(role_key)
        name = check_name(name, "scenario name")

        def work(conn: psycopg.Connection) -> None:
            list_id, row = self._one_scenario(
                conn, role_key, name, "DELETE FROM aijri.scenarios WHERE list_id = %s AND name = %s RETURNING position"
            )
            conn.execute(  # keep positions dense
                "UPDATE aijri.scenarios SET position = position - 1 WHERE list_id = %s AND position > %s",
                (list_id, row[0]),
            )

        self._run(work, write=True)

