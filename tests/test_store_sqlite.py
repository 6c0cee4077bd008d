"""The SQLite scenario store: API, name clashes, all-or-nothing imports, damage, durability."""

from __future__ import annotations

import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from formats_helpers import SEED, scenario_lists, seed_scenarios
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import role_assessments

from aijri_core import AIJRIError, Scenario, bundled_role
from aijri_core.store import (
    SCHEMA_VERSION,
    NameClashError,
    NotFoundError,
    SQLiteStore,
    StoreError,
    bundled_role_key,
    default_store_path,
    open_store,
    stored_role_key,
)

KEY = bundled_role_key(SEED)
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def store(tmp_path) -> SQLiteStore:
    return SQLiteStore(tmp_path / "nested" / "folder" / "store.sqlite3")


# ---------------------------------------------------------------- location and schema


def test_created_on_first_use_with_parent_folders(tmp_path):
    path = tmp_path / "a" / "b" / "store.sqlite3"
    s = SQLiteStore(path)
    assert not path.exists()  # nothing is created until the store is used
    assert s.list_roles() == []
    assert path.is_file()
    assert s.schema_version() == SCHEMA_VERSION == 1
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_default_path_env_then_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("AIJRI_DB", str(tmp_path / "env.sqlite3"))
    assert open_store().path == tmp_path / "env.sqlite3"
    assert open_store("").path == tmp_path / "env.sqlite3"
    monkeypatch.delenv("AIJRI_DB")
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
        assert default_store_path() == tmp_path / "xdg" / "aijri" / "store.sqlite3"
        monkeypatch.delenv("XDG_DATA_HOME")
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert default_store_path() == tmp_path / "home" / ".local" / "share" / "aijri" / "store.sqlite3"


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "s.sqlite3"
    SQLiteStore(path).list_roles()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer release"):
        SQLiteStore(path).list_roles()


def test_migration_hook_runs_from_version_zero(tmp_path, monkeypatch):
    """A store at an older version is brought up by MIGRATIONS, step by step, in one transaction."""
    import aijri_core.store.sqlite as store_mod

    calls = []
    original = store_mod.MIGRATIONS[0]

    def step(conn):
        calls.append("0->1")
        original(conn)

    monkeypatch.setitem(store_mod.MIGRATIONS, 0, step)
    s = SQLiteStore(tmp_path / "m.sqlite3")
    s.list_roles()
    SQLiteStore(tmp_path / "m.sqlite3").list_roles()  # already migrated: no second run
    assert calls == ["0->1"]


def test_not_a_database_gives_a_clear_error(tmp_path):
    path = tmp_path / "garbage.sqlite3"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(StoreError, match="not a readable scenario store"):
        SQLiteStore(path).list_roles()
    folder = tmp_path / "dir.sqlite3"
    folder.mkdir()
    with pytest.raises(StoreError, match="is a folder"):
        SQLiteStore(folder).list_roles()


def test_foreign_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE x (a)")
        conn.execute("PRAGMA user_version = 1")
    with pytest.raises(StoreError, match="not ours: table x"):
        SQLiteStore(path).list_roles()


# ---------------------------------------------------------------- roles


def test_roles_save_list_load_rename_delete(store):
    seed = bundled_role(SEED)
    assert store.save_role(seed) == seed.title
    assert store.list_roles() == [seed.title]
    assert store.load_role(seed.title) == seed
    with pytest.raises(NameClashError, match="already saved"):
        store.save_role(seed)
    changed = seed.model_copy(update={"growth_correlation": 2})
    store.save_role(changed, overwrite=True)
    assert store.load_role(seed.title).growth_correlation == 2
    store.save_role(seed, name="Copy")
    assert store.list_roles() == [seed.title, "Copy"]
    store.save_scenario(stored_role_key("Copy"), Scenario(name="s1", changes={"growth": 0}))
    store.rename_role("Copy", "Renamed")
    assert store.list_roles() == [seed.title, "Renamed"]
    assert [s.name for s in store.list_scenarios(stored_role_key("Renamed"))] == ["s1"]
    assert store.list_scenarios(stored_role_key("Copy")) == []
    with pytest.raises(NameClashError):
        store.rename_role("Renamed", seed.title)
    store.delete_role("Renamed")
    assert store.list_roles() == [seed.title]
    assert store.list_scenarios(stored_role_key("Renamed")) == []
    with pytest.raises(NotFoundError, match="no role named 'Renamed'"):
        store.load_role("Renamed")
    with pytest.raises(NotFoundError):
        store.delete_role("Renamed")
    with pytest.raises(StoreError, match="role name: empty"):
        store.save_role(seed, name="   ")


# ---------------------------------------------------------------- scenarios


def test_scenarios_keep_saved_order_and_clash(store):
    s1, s2, s3 = seed_scenarios()
    for s in (s2, s1, s3):
        store.save_scenario(KEY, s)
    assert store.list_scenarios(KEY) == [s2, s1, s3]
    assert store.scenario_names(KEY) == [s2.name, s1.name, s3.name]
    with pytest.raises(NameClashError, match="Evidence cools"):
        store.save_scenario(KEY, s1.model_copy(update={"note": "other"}))
    assert store.load_scenario(KEY, s1.name) == s1  # unchanged by the refused save
    new = s1.model_copy(update={"note": "other"})
    store.save_scenario(KEY, new, overwrite=True)
    assert store.list_scenarios(KEY) == [s2, new, s3]  # overwrite keeps the place
    store.rename_scenario(KEY, s2.name, "First")
    assert store.scenario_names(KEY) == ["First", new.name, s3.name]
    assert store.load_scenario(KEY, "First").changes == s2.changes
    with pytest.raises(NameClashError):
        store.rename_scenario(KEY, "First", s3.name)
    store.delete_scenario(KEY, "First")
    assert store.scenario_names(KEY) == [new.name, s3.name]
    with pytest.raises(NotFoundError):
        store.delete_scenario(KEY, "First")
    with pytest.raises(NotFoundError):
        store.load_scenario(KEY, "First")
    # scenarios are scoped to their role key
    assert store.list_scenarios("stored:other") == []
    assert store.role_keys() == [KEY]


def test_import_is_all_or_nothing(store):
    s1, s2, s3 = seed_scenarios()
    store.save_scenario(KEY, s2)
    with pytest.raises(NameClashError, match="Serving automated"):
        store.import_scenarios(KEY, [s1, s2, s3])
    assert store.list_scenarios(KEY) == [s2]
    with pytest.raises(NameClashError, match="appears twice"):
        store.import_scenarios(KEY, [s1, s1])
    assert store.list_scenarios(KEY) == [s2]
    with pytest.raises(StoreError, match="expected a Scenario"):
        store.import_scenarios(KEY, [s1, {"name": "x"}])  # type: ignore[list-item]
    assert store.list_scenarios(KEY) == [s2]
    assert store.import_scenarios(KEY, [s1, s2, s3], overwrite=True) == 3
    assert store.list_scenarios(KEY) == [s2, s1, s3]


def test_damaged_rows_give_a_clear_error(store):
    s1, s2, _ = seed_scenarios()
    store.import_scenarios(KEY, [s1, s2])
    store.save_role(bundled_role(SEED), name="R")
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE scenarios SET data = '{not json' WHERE name = ?", (s1.name,))
        conn.execute(
            "UPDATE scenarios SET data = ? WHERE name = ?",
            (json.dumps({"name": s2.name, "changes": {"growth": "high"}}), s2.name),
        )
        conn.execute("UPDATE roles SET data = ? WHERE name = 'R'", (json.dumps({"title": "R", "tasks": []}),))
    with pytest.raises(StoreError, match="scenario 'Evidence cools' .* is damaged \\(not valid JSON\\)"):
        store.list_scenarios(KEY)
    with pytest.raises(StoreError, match="scenario 'Serving automated' .* damaged .*changes.growth"):
        store.load_scenario(KEY, s2.name)
    with pytest.raises(StoreError, match="role 'R' is damaged"):
        store.load_role("R")
    # a damaged row can still be deleted, which repairs the list
    store.delete_scenario(KEY, s1.name)
    store.delete_scenario(KEY, s2.name)
    assert store.list_scenarios(KEY) == []


def test_rejects_bad_arguments(store):
    with pytest.raises(StoreError, match="role key"):
        store.list_scenarios("")
    with pytest.raises(StoreError, match="scenario name: empty"):
        store.load_scenario(KEY, " ")
    with pytest.raises(StoreError, match="too long"):
        store.load_scenario(KEY, "x" * 1000)
    assert isinstance(NameClashError("x"), AIJRIError)


# ---------------------------------------------------------------- round trips (hypothesis)


@settings(max_examples=500, deadline=None)
@given(items=scenario_lists(max_size=4), role=role_assessments(), key=st.sampled_from([KEY, "stored:Ünï 'x'"]))
def test_save_load_round_trip(tmp_path_factory, items, role, key):
    # one store for all examples (each gets its own role key and role name): faster than a file each
    store = SQLiteStore(tmp_path_factory.getbasetemp() / "round_trip.sqlite3")
    n = next(_EXAMPLES)
    key = f"{key} #{n}"
    store.import_scenarios(key, items)
    assert store.list_scenarios(key) == items
    for s in items:
        assert store.load_scenario(key, s.name) == s
    name = store.save_role(role, name=f"{role.title} #{n}")
    assert store.load_role(name) == role


_EXAMPLES = itertools.count()


# ---------------------------------------------------------------- durability (separate processes)

_WRITER = textwrap.dedent(
    """
    import sys
    from aijri_core import Scenario
    from aijri_core.store import SQLiteStore
    path, worker, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    store = SQLiteStore(path)
    for i in range(count):
        store.save_scenario("bundled:x", Scenario(name=f"w{worker}-{i}", changes={"growth": i % 5 - 2}))
    """
)

_BATCH_WRITER = textwrap.dedent(
    """
    import sys
    from aijri_core import Scenario
    from aijri_core.store import SQLiteStore
    store = SQLiteStore(sys.argv[1])
    batch = 0
    while True:
        items = [Scenario(name=f"b{batch}-{i}", note="x" * 2000, changes={"growth": 1}) for i in range(200)]
        store.import_scenarios("bundled:x", items)
        print(batch, flush=True)
        batch += 1
    """
)


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def test_four_processes_write_one_store(tmp_path):
    path = tmp_path / "shared.sqlite3"
    SQLiteStore(path).list_roles()  # create it first, like the app does
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(path), str(w), "250"], env=_env(), stderr=subprocess.PIPE)
        for w in range(4)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    names = SQLiteStore(path).scenario_names("bundled:x")
    assert len(names) == 1000
    assert set(names) == {f"w{w}-{i}" for w in range(4) for i in range(250)}
    assert SQLiteStore(path).integrity_check() == "ok"


def test_fresh_store_created_by_racing_processes(tmp_path):
    """Four processes that all find no file: one creates the schema, none fails."""
    path = tmp_path / "race" / "new.sqlite3"
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(path), str(w), "5"], env=_env(), stderr=subprocess.PIPE)
        for w in range(4)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    assert len(SQLiteStore(path).scenario_names("bundled:x")) == 20


def test_sigkill_mid_write_keeps_every_committed_scenario(tmp_path):
    path = tmp_path / "killed.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-c", _BATCH_WRITER, str(path)], env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    committed = []
    try:
        assert proc.stdout is not None
        while len(committed) < 4:
            line = proc.stdout.readline()
            if not line:
                pytest.fail("writer ended early: " + proc.stderr.read().decode())
            committed.append(int(line))
        time.sleep(0.05)  # let it get into the middle of the next batch
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    # batches the writer reported before being killed (it may have committed one more)
    committed += [int(x) for x in proc.stdout.read().split()]
    store = SQLiteStore(path)
    assert store.integrity_check() == "ok"
    names = set(store.scenario_names("bundled:x"))
    for batch in committed:
        assert {f"b{batch}-{i}" for i in range(200)} <= names
    # no half batch: every batch is complete or absent
    batches = {n.split("-")[0] for n in names}
    for b in batches:
        assert sum(1 for n in names if n.startswith(b + "-")) == 200
    assert store.list_scenarios("bundled:x")[0].note == "x" * 2000
    # and it still takes writes
    store.save_scenario("bundled:x", Scenario(name="after"))
    assert "after" in store.scenario_names("bundled:x")



def test_store_file_deleted_while_in_use(tmp_path):
    """A store whose file disappears (deleted by hand) is created again on the next use."""
    path = tmp_path / "s.sqlite3"
    store = SQLiteStore(path)
    store.save_scenario(KEY, seed_scenarios()[0])
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    assert store.list_scenarios(KEY) == []
    store.save_scenario(KEY, seed_scenarios()[1])
    assert store.scenario_names(KEY) == ["Serving automated"]


def test_ten_thousand_scenarios_in_one_import(store):
    items = [Scenario(name=f"s{i:05d}", changes={"growth": float(i % 5 - 2)}) for i in range(10_000)]
    assert store.import_scenarios(KEY, items) == 10_000
    back = store.list_scenarios(KEY)
    assert back == items
    with pytest.raises(NameClashError, match="'s00000', 's00001', 's00002', 's00003', 's00004' \\.\\.\\."):
        store.import_scenarios(KEY, [*items[:10], Scenario(name="new")])
    assert "new" not in store.scenario_names(KEY)
