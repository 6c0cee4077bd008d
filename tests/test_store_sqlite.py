"""What only the SQLite store does: its file, schema and migrations, refusing files that are not
ours (left byte-identical), read-only files, damaged rows, several processes, crashes.

The behaviour every backend shares is tested in tests/test_store_contract.py."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
import tiny_disk
from formats_helpers import SEED, seed_scenarios
from hypothesis import example, given, settings
from hypothesis import strategies as st
from other_user import as_other_user, project_env

from aijri_core import Scenario, bundled_role
from aijri_core.store import (
    SCHEMA_VERSION,
    NameClashError,
    NotFoundError,
    SQLiteStore,
    StoreError,
    bundled_role_key,
    default_store_path,
    open_store,
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
    assert s.schema_version() == SCHEMA_VERSION == 2
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


def test_a_version_1_store_gets_its_names_cleaned_once_and_keeps_everything(tmp_path):
    """Version 1 kept names as typed; version 2 compares cleaned names (NFC, no invisible ends),
    so the migration cleans the stored ones. Two names that become one keep both (' (2)')."""
    import aijri_core.store.sqlite as store_mod

    path = tmp_path / "v1.sqlite3"
    role = json.dumps(bundled_role(SEED).to_json_dict())

    def scenario(name: str, growth: int) -> str:
        return json.dumps({"name": name, "changes": {"growth": growth}})

    with sqlite3.connect(path) as conn:
        store_mod.MIGRATIONS[0](conn)
        conn.execute("PRAGMA user_version = 1")
        conn.executemany(
            "INSERT INTO roles VALUES (?, ?, ?, 0)",
            [("Cafe\u0301", 0, role), ("Caf\u00e9", 3, role), ("Plain", 7, role)],  # positions with gaps
        )
        conn.executemany(
            "INSERT INTO scenarios VALUES (?, ?, ?, ?, 0)",
            [
                ("stored:Cafe\u0301", "Plan\u200b", 0, scenario("Plan\u200b", 1)),
                ("stored:Cafe\u0301", "Plan", 4, scenario("Plan", 2)),
                ("stored:Caf\u00e9", "Other", 0, scenario("Other", 0)),
                (KEY, "A", 2, scenario("A", -1)),
            ],
        )
    conn.close()
    store = SQLiteStore(path)
    assert store.list_roles() == ["Caf\u00e9", "Caf\u00e9 (2)", "Plain"]
    assert store.schema_version() == SCHEMA_VERSION
    mine = store.list_scenarios("stored:Cafe\u0301")  # any spelling of the key finds them
    assert [(s.name, s.changes) for s in mine] == [("Plan", {"growth": 1}), ("Plan (2)", {"growth": 2})]
    assert [s.name for s in store.list_scenarios("stored:Caf\u00e9 (2)")] == ["Other"]
    assert [(s.name, s.changes) for s in store.list_scenarios(KEY)] == [("A", {"growth": -1})]
    assert store.positions("stored:Caf\u00e9") == [0, 1] and store.positions(KEY) == [0]
    assert store.load_role("Caf\u00e9 (2)") == bundled_role(SEED)
    assert store.integrity_check() == "ok"


def test_scenarios_an_earlier_release_saved_before_their_role_are_kept(store):
    """Earlier releases saved scenarios for ``stored:<name>`` before that role existed; such a
    file is read as it is: the scenarios are listed, the role saved later owns them, and no
    other role may be renamed onto them (they would mix)."""
    seed = bundled_role(SEED)
    store.save_role(seed, name="Other")
    s1 = seed_scenarios()[0]
    with sqlite3.connect(store.path) as conn:
        conn.execute(
            "INSERT INTO scenarios (role_key, name, position, data, saved_at) VALUES ('stored:Later', ?, 0, ?, 0)",
            (s1.name, json.dumps(s1.model_dump(mode="json"))),
        )
    conn.close()
    assert store.role_keys() == ["stored:Later"] and store.list_scenarios("stored:Later") == [s1]
    with pytest.raises(NameClashError, match="scenarios are already saved for 'stored:Later'"):
        store.rename_role("Other", "Later")
    with pytest.raises(NotFoundError, match="no role named 'Later' is saved"):
        store.save_scenario("stored:Later", seed_scenarios()[1])
    store.save_role(seed, name="Later")
    store.save_scenario("stored:Later", seed_scenarios()[1])
    assert store.list_scenarios("stored:Later") == seed_scenarios()[:2]


# ---------------------------------------------------------------- files that are not ours


def _folder_state(folder: Path) -> dict[str, str]:
    """Every file in the folder (name -> SHA-256 of its bytes): a refused file must not change,
    and no journal (-wal, -shm) may appear beside it."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _every_operation(store: SQLiteStore) -> list:
    """Each public operation once (reads and writes), for checking that all of them refuse."""
    seed = bundled_role(SEED)
    return [
        store.list_roles,
        lambda: store.load_role("R"),
        lambda: store.has_role("R"),
        lambda: store.list_scenarios(KEY),
        lambda: store.scenario_names(KEY),
        store.role_keys,
        lambda: store.load_scenario(KEY, "x"),
        lambda: store.save_role(seed, name="R"),
        lambda: store.rename_role("R", "S"),
        lambda: store.delete_role("R"),
        lambda: store.save_scenario(KEY, Scenario(name="x")),
        lambda: store.import_scenarios(KEY, [Scenario(name="y")], overwrite=True),
        lambda: store.rename_scenario(KEY, "x", "z"),
        lambda: store.delete_scenario(KEY, "x"),
    ]


def _make_newer(path: Path) -> None:
    s = SQLiteStore(path)
    s.save_role(bundled_role(SEED), name="R")
    s.save_scenario(KEY, Scenario(name="x"))
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()


def _foreign(sql: str, version: int = 0, wal: bool = False):
    def make(path: Path) -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        if wal:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(sql)
        conn.execute(f"PRAGMA user_version = {version}")
        conn.close()

    return make


_OUR_TABLES = (
    "CREATE TABLE roles (name TEXT PRIMARY KEY, position INTEGER, data TEXT, saved_at REAL);"
    "CREATE TABLE scenarios (role_key TEXT, name TEXT, position INTEGER, data TEXT, saved_at REAL,"
    " PRIMARY KEY (role_key, name));"
    "CREATE INDEX scenarios_by_position ON scenarios (role_key, position);"
)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_make_newer, f"schema version {SCHEMA_VERSION + 1} was written by a newer release"),
        (_foreign("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');"), "not ours: table notes"),
        (_foreign("CREATE TABLE notes (body TEXT);", version=1), "not ours: table notes"),
        (_foreign("CREATE TABLE notes (body TEXT);", version=7, wal=True), "newer release"),
        (_foreign(_OUR_TABLES + "CREATE TABLE extra (a);", version=1), "not ours: table extra"),
        (_foreign(_OUR_TABLES + "CREATE VIEW v AS SELECT 1;", version=1), "not ours: view v"),
        (_foreign(_OUR_TABLES, version=0), "not ours: index scenarios_by_position, table roles, table scenarios"),
        (_foreign("CREATE TABLE roles (name TEXT);", version=1), "missing tables: scenarios"),
    ],
    ids=["newer-version", "foreign-v0", "foreign-v1", "foreign-newer-wal", "extra-table", "extra-view",
         "our-names-unversioned", "missing-table"],
)
def test_a_file_that_is_not_ours_is_refused_and_left_byte_identical(tmp_path, make, message):
    path = tmp_path / "store.sqlite3"
    make(path)
    before = _folder_state(tmp_path)
    for operation in _every_operation(SQLiteStore(path)):
        with pytest.raises(StoreError, match=message):
            operation()
    with pytest.raises(StoreError, match=message):
        open_store(f"sqlite:///{path}").list_roles()
    assert _folder_state(tmp_path) == before


@settings(max_examples=40, deadline=None)
@given(
    tables=st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True), min_size=1, max_size=3, unique=True).filter(
        lambda names: not {"roles", "scenarios"} & set(names) and not any(n.startswith("sqlite") for n in names)
    ),
    with_ours=st.booleans(),
    version=st.sampled_from([0, 1, SCHEMA_VERSION, SCHEMA_VERSION + 1, 99]),
    wal=st.booleans(),
)
@example(tables=["to", "order", "select"], with_ours=True, version=SCHEMA_VERSION, wal=False)
def test_any_foreign_sqlite_file_is_refused_and_left_byte_identical(tmp_path_factory, tables, with_ours, version, wal):
    folder = tmp_path_factory.mktemp("foreign")
    path = folder / "x.sqlite3"
    # quoted: a drawn name may be an SQL keyword (`to`, `order`), which SQLite takes only quoted
    sql = "".join(f'CREATE TABLE "{t}" (a); INSERT INTO "{t}" VALUES (1);' for t in tables)
    _foreign((_OUR_TABLES if with_ours else "") + sql, version=version, wal=wal)(path)
    before = _folder_state(folder)
    for operation in _every_operation(SQLiteStore(path)):
        with pytest.raises(StoreError, match="not ours|newer release"):
            operation()
    assert _folder_state(folder) == before


def test_not_a_database_is_refused_and_left_byte_identical(tmp_path):
    path = tmp_path / "garbage.sqlite3"
    path.write_bytes(os.urandom(4096))
    before = _folder_state(tmp_path)
    for operation in _every_operation(SQLiteStore(path)):
        with pytest.raises(StoreError, match="not a readable scenario store"):
            operation()
    assert _folder_state(tmp_path) == before
    folder = tmp_path / "dir.sqlite3"
    folder.mkdir()
    with pytest.raises(StoreError, match="is a folder"):
        SQLiteStore(folder).list_roles()


def test_an_empty_file_becomes_a_store(tmp_path):
    path = tmp_path / "empty.sqlite3"
    path.touch()
    store = SQLiteStore(path)
    store.save_scenario(KEY, Scenario(name="x"))
    assert store.scenario_names(KEY) == ["x"] and store.schema_version() == SCHEMA_VERSION


def test_reads_never_change_the_file(store):
    s1, s2, s3 = seed_scenarios()
    store.save_role(bundled_role(SEED), name="R")
    store.import_scenarios(KEY, [s1, s2, s3])
    folder = store.path.parent
    before = _folder_state(folder)
    fresh = SQLiteStore(store.path)  # a new store object checks the file again
    assert fresh.list_roles() == ["R"] and fresh.has_role("R")
    assert fresh.list_scenarios(KEY) == [s1, s2, s3]
    assert fresh.role_keys() == [KEY] and fresh.load_scenario(KEY, s2.name) == s2
    assert fresh.integrity_check() == "ok"
    assert {k: v for k, v in _folder_state(folder).items() if not k.endswith(("-wal", "-shm"))} == {
        k: v for k, v in before.items() if not k.endswith(("-wal", "-shm"))
    }


# A reader without write access to the file or its folder: another user (as root, whom file
# modes do not stop, user "nobody", from a readable copy of the project where the clone lies in
# a private folder: tests/other_user.py).
_READER = textwrap.dedent(
    """
    import json, sys
    from aijri_core import Scenario
    from aijri_core.store import SQLiteStore, StoreError
    store = SQLiteStore(sys.argv[1])
    out = {"roles": store.list_roles(), "names": store.scenario_names(sys.argv[2]), "keys": store.role_keys()}
    try:
        store.save_scenario(sys.argv[2], Scenario(name="new"))
    except StoreError as exc:
        out["write"] = str(exc)
    print(json.dumps(out))
    """
)
#: What the reader and the CLI's scenario commands import.
_READER_IMPORTS = "import aijri_core.store, aijri_core.cli, aijri_core.cli.scenarios"


@pytest.fixture(scope="module")
def other_user():
    """(command prefix up to the interpreter, environment) of a user whom file modes stop."""
    with as_other_user(_READER_IMPORTS) as found:
        yield found


@pytest.fixture(params=[SCHEMA_VERSION, 1], ids=["current", "version-1"])
def read_only_store(request):
    """A store with a role and three scenarios, its file and folder then made read-only
    (also one at schema version 1, which cannot be brought up to date: it is read as it is)."""
    folder = Path(tempfile.mkdtemp(prefix="aijri-ro-"))  # not under pytest's private tmp folder
    path = folder / "store.sqlite3"
    store = SQLiteStore(path)
    store.save_role(bundled_role(SEED), name="R")
    store.import_scenarios(KEY, seed_scenarios())
    if request.param != SCHEMA_VERSION:
        with sqlite3.connect(path) as conn:
            conn.execute(f"PRAGMA user_version = {request.param}")
        conn.close()
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        yield path
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def test_a_read_only_store_can_be_listed_and_exported(read_only_store, other_user):
    path = read_only_store
    python, env = other_user
    before = _folder_state(path.parent)
    run = subprocess.run([*python, "-c", _READER, str(path), KEY], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["roles"] == ["R"] and out["keys"] == [KEY]
    assert out["names"] == [s.name for s in seed_scenarios()]
    assert "read-only" in out["write"] and "nothing was saved" in out["write"]
    for command in (["list"], ["export", "-o", "-"]):
        cli = subprocess.run(
            [*python, "-m", "aijri_core.cli", "scenarios", *command, "--db", str(path)],
            env=env, capture_output=True, text=True, timeout=60,
        )
        assert cli.returncode == 0, cli.stderr
        assert "Serving automated" in cli.stdout
    assert _folder_state(path.parent) == before


# ---------------------------------------------------------------- damaged rows


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


# ---------------------------------------------------------------- durability (separate processes)

_WRITER = textwrap.dedent(
    """
    import sys
    from aijri_core import Scenario
    from aijri_core.store import SQLiteStore
    path, worker, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    store = SQLiteStore(path)
    for i in range(count):
        store.save_scenario("bundled:ai-infrastructure-engineer", Scenario(name=f"w{worker}-{i}", changes={"growth": i % 5 - 2}))
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
        store.import_scenarios("bundled:ai-infrastructure-engineer", items)
        print(batch, flush=True)
        batch += 1
    """
)


def test_four_processes_write_one_store(tmp_path):
    path = tmp_path / "shared.sqlite3"
    SQLiteStore(path).list_roles()  # create it first, like the app does
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(path), str(w), "250"], env=project_env(), stderr=subprocess.PIPE)
        for w in range(4)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    names = SQLiteStore(path).scenario_names("bundled:ai-infrastructure-engineer")
    assert len(names) == 1000
    assert set(names) == {f"w{w}-{i}" for w in range(4) for i in range(250)}
    assert SQLiteStore(path).integrity_check() == "ok"


def test_fresh_store_created_by_racing_processes(tmp_path):
    """Four processes that all find no file: one creates the schema, none fails."""
    path = tmp_path / "race" / "new.sqlite3"
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(path), str(w), "5"], env=project_env(), stderr=subprocess.PIPE)
        for w in range(4)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    assert len(SQLiteStore(path).scenario_names("bundled:ai-infrastructure-engineer")) == 20


def test_sigkill_mid_write_keeps_every_committed_scenario(tmp_path):
    path = tmp_path / "killed.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-c", _BATCH_WRITER, str(path)], env=project_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
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
    names = set(store.scenario_names("bundled:ai-infrastructure-engineer"))
    for batch in committed:
        assert {f"b{batch}-{i}" for i in range(200)} <= names
    # no half batch: every batch is complete or absent
    batches = {n.split("-")[0] for n in names}
    for b in batches:
        assert sum(1 for n in names if n.startswith(b + "-")) == 200
    assert store.list_scenarios("bundled:ai-infrastructure-engineer")[0].note == "x" * 2000
    # and it still takes writes
    store.save_scenario("bundled:ai-infrastructure-engineer", Scenario(name="after"))
    assert "after" in store.scenario_names("bundled:ai-infrastructure-engineer")



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


_HALF_CHECKPOINTED = textwrap.dedent(
    """
    import os, sqlite3, sys
    from aijri_core import Scenario
    from aijri_core.store import SQLiteStore
    path = sys.argv[1]
    store = SQLiteStore(path)
    store.save_scenario(sys.argv[2], Scenario(name="first"))
    held = sqlite3.connect(path)  # keeps the WAL: the store's own connection is then not the last one
    held.execute("PRAGMA wal_autocheckpoint = 0")
    held.execute("SELECT count(*) FROM sqlite_master").fetchone()
    for i in range(40):
        store.save_scenario(sys.argv[2], Scenario(name=f"s{i}", note="x" * 3000))
    os._exit(0)  # no checkpoint, no clean close: the WAL stays beside the file, as after a crash
    """
)


def _wal_pages(wal: Path, page_size: int) -> set[int]:
    """Page numbers that the WAL holds a copy of (each frame: 24-byte header, then the page)."""
    data = wal.read_bytes()
    pages, offset = set(), 32
    while offset + 24 + page_size <= len(data):
        pages.add(int.from_bytes(data[offset : offset + 4], "big"))
        offset += 24 + page_size
    return pages


def test_a_store_caught_mid_checkpoint_is_read_through_its_wal(tmp_path):
    """A writer killed while copying the WAL into the file leaves pages of the file half
    written; the WAL still holds every committed page, so SQLite's readers recover. The store's
    check that the file is ours must read it the same way, not the bare file (which then looks
    damaged and was refused)."""
    path = tmp_path / "crashed.sqlite3"
    done = subprocess.run([sys.executable, "-c", _HALF_CHECKPOINTED, str(path), KEY], env=project_env(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    wal = path.with_name(path.name + "-wal")
    assert wal.stat().st_size > 0
    page_size = int.from_bytes(wal.read_bytes()[8:12], "big")
    # a checkpoint stopped half-way: the pages it had started to copy are garbage in the file
    with open(path, "r+b") as f:
        size = f.seek(0, os.SEEK_END)
        for page in sorted(_wal_pages(wal, page_size)):
            if page * page_size <= size:
                f.seek((page - 1) * page_size)
                f.write(b"\xa5" * page_size)
    store = SQLiteStore(path)
    names = store.scenario_names(KEY)
    assert names == ["first"] + [f"s{i}" for i in range(40)]
    assert store.integrity_check() == "ok"


# ---------------------------------------------------------------- a full disk


def _big_csv(path: Path, count: int = 200) -> Path:
    """Scenarios with long notes: about 0.6 MB of CSV, far more than the space left in these tests."""
    from aijri_core.formats.scenarios_csv import scenarios_to_csv

    items = [Scenario(name=f"Big {i}", note="x" * 3000, changes={"growth": 2}) for i in range(count)]
    path.write_bytes(scenarios_to_csv(items))
    return path


def _cli_import(csv_path: Path, db: Path, file_size_limit: int | None = None) -> subprocess.CompletedProcess:
    """`aijri scenarios import` in a child process, optionally limited to files of that many bytes
    (``ulimit -f``: a write beyond it fails as it would on a full disk)."""

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run(
        [sys.executable, "-m", "aijri_core.cli", "scenarios", "import", str(csv_path), "--db", str(db), "--role", KEY],
        env=project_env(), capture_output=True, text=True, timeout=120, preexec_fn=limit if file_size_limit else None,
    )


def _assert_one_line_nothing_saved(run: subprocess.CompletedProcess, db: Path, reason: str) -> None:
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines() == [f"aijri: error: store {db}: write failed, nothing was saved ({reason})"]
    # what was saved before is intact, nothing of the failed import is there
    assert [s.name for s in SQLiteStore(db).list_scenarios(KEY)] == [s.name for s in seed_scenarios()]
    assert SQLiteStore(db).integrity_check() == "ok"


def _seeded(db: Path) -> Path:
    SQLiteStore(db).import_scenarios(KEY, seed_scenarios())
    return db


def test_running_out_of_space_at_commit_is_one_line_and_keeps_earlier_data(tmp_path):
    """SQLite reports SQLITE_FULL ("database or disk is full") when a page cannot be added; here the
    store file may not grow past its size (max_page_count), the same error a full disk gives."""
    db = _seeded(tmp_path / "s.db")
    pages = sqlite3.connect(db).execute("PRAGMA page_count").fetchone()[0]
    real_connect = SQLiteStore._connect

    def connect_capped(self, read_only, immutable=False):
        conn = real_connect(self, read_only, immutable)
        conn.execute(f"PRAGMA max_page_count = {pages + 2}")
        return conn

    capped = SQLiteStore(db)
    capped._connect = connect_capped.__get__(capped)
    items = [Scenario(name=f"Big {i}", note="x" * 3000, changes={"growth": 2}) for i in range(50)]
    with pytest.raises(StoreError) as caught:
        capped.import_scenarios(KEY, items)
    assert str(caught.value) == f"store {db}: write failed, nothing was saved (database or disk is full)"
    assert [s.name for s in SQLiteStore(db).list_scenarios(KEY)] == [s.name for s in seed_scenarios()]


def test_a_file_size_limit_mid_import_is_one_line_exit_2_and_keeps_earlier_data(tmp_path):
    """`ulimit -f`: the store's files may not grow past 64 KiB; SQLite reports an I/O error."""
    db = _seeded(tmp_path / "s.db")
    run = _cli_import(_big_csv(tmp_path / "big.csv"), db, file_size_limit=64 * 1024)
    _assert_one_line_nothing_saved(run, db, "disk I/O error")


def test_a_full_disk_is_one_line_exit_2_and_keeps_earlier_data(tmp_path):
    """A real full disk: the store on a 256 KiB tmpfs (skips where one cannot be mounted)."""
    with tiny_disk.mounted(256) as disk:
        db = _seeded(disk / "s.db")
        run = _cli_import(_big_csv(tmp_path / "big.csv"), db)
        _assert_one_line_nothing_saved(run, db, "database or disk is full")
