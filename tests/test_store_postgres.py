"""The PostgreSQL store against a real server: schema, migrations, races, kills, workspaces.

The shared behaviour (every backend alike) is the contract suite's; this file checks what
only a server shared by several processes can show. Each test gets a new database
(``postgres_url``, see tests/postgres.py); the processes are real ``python`` processes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psycopg
import pytest
import tiny_disk
from formats_helpers import SEED, seed_scenarios

from aijri_core import Scenario, bundled_role
from aijri_core.store import NameClashError, NotFoundError, StoreError, bundled_role_key, open_store
from aijri_core.store import postgresql as pg
from aijri_core.store.postgresql import close_pools

REPO = Path(__file__).resolve().parents[1]
KEY = bundled_role_key(SEED)


def _env(**extra: str) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def _sql(url: str, query: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(query, params)
        return cur.fetchall() if cur.description else []


def _positions_dense(url: str) -> None:
    """Every scenario list and every workspace's roles hold positions 0..n-1 exactly."""
    for table, group in (("scenarios", "list_id"), ("roles", "workspace")):
        rows = _sql(url, f"SELECT {group}, array_agg(position ORDER BY position) FROM aijri.{table} GROUP BY {group}")
        for key, positions in rows:
            assert positions == list(range(len(positions))), (table, key, positions)


# A worker process: opens the store, says "ready", waits for "go" on stdin, then acts.
_WORKER = textwrap.dedent(
    """
    import json, sys
    from aijri_core import Scenario, bundled_role
    from aijri_core.store import open_store, NameClashError, StoreError
    url, action, worker, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    store = open_store(url)
    store.list_roles()  # connect and migrate before the start signal
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        if action == "scenarios":
            for i in range(count):
                store.import_scenarios("bundled:ai-infrastructure-engineer", [Scenario(name=f"w{worker}-{i}", changes={"growth": float(i % 5 - 2)})])
        elif action == "same-scenario":
            store.save_scenario("bundled:ai-infrastructure-engineer", Scenario(name="Same", note=f"by {worker}"))
        elif action == "same-role":
            store.save_role(bundled_role("ai-infrastructure-engineer"), name="Same role")
        print(json.dumps({"ok": True}), flush=True)
    except NameClashError as exc:
        print(json.dumps({"clash": str(exc)}), flush=True)
    """
)


def _start_workers(url: str, action: str, n: int, count: int = 1) -> list[subprocess.Popen]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, url, action, str(w), str(count)],
            env=_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(n)
    ]
    for p in procs:
        assert p.stdout is not None and p.stdin is not None
        line = p.stdout.readline()
        assert line.strip() == "ready", p.stderr.read() if p.stderr else line
    for p in procs:  # all are connected: start them as close together as possible
        p.stdin.write("go\n")
        p.stdin.flush()
    return procs


def _results(procs: list[subprocess.Popen]) -> list[dict]:
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=180)
        assert p.returncode == 0, stderr
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


# ---------------------------------------------------------------- schema


def test_schema_has_foreign_keys_jsonb_and_timestamptz(postgres_url):
    store = open_store(postgres_url)
    assert store.list_roles() == []
    types = dict(
        ((table, column), dtype)
        for table, column, dtype in _sql(
            postgres_url,
            "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'aijri'",
        )
    )
    assert types[("roles", "data")] == types[("scenarios", "data")] == "jsonb"
    assert types[("roles", "saved_at")] == types[("scenarios", "saved_at")] == "timestamp with time zone"
    fks = {
        (table, ref, rule)
        for table, ref, rule in _sql(
            postgres_url,
            "SELECT tc.table_name, ccu.table_name, rc.delete_rule FROM information_schema.table_constraints tc"
            " JOIN information_schema.referential_constraints rc ON rc.constraint_name = tc.constraint_name"
            " JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name"
            " WHERE tc.table_schema = 'aijri' AND tc.constraint_type = 'FOREIGN KEY'",
        )
    }
    assert ("scenario_lists", "roles", "CASCADE") in fks
    assert ("scenarios", "scenario_lists", "CASCADE") in fks
    assert _sql(postgres_url, "SELECT version FROM aijri.schema_version") == [(pg.SCHEMA_VERSION,)]


def test_scenarios_follow_their_role_by_key_not_by_name(postgres_url):
    """Renaming a role changes one row; its scenarios refer to the role's id."""
    store = open_store(postgres_url)
    store.save_role(bundled_role(SEED), name="Mine")
    store.import_scenarios("stored:Mine", seed_scenarios())
    store.rename_role("Mine", "Ours")
    assert store.list_scenarios("stored:Ours") == seed_scenarios()
    assert _sql(postgres_url, "SELECT count(*) FROM aijri.scenarios WHERE data::text LIKE %s", ('%Mine%',)) == [(0,)]
    store.delete_role("Ours")
    assert _sql(postgres_url, "SELECT count(*) FROM aijri.scenarios") == [(0,)]
    assert _sql(postgres_url, "SELECT count(*) FROM aijri.scenario_lists") == [(0,)]
    # scenarios are saved only for a role that exists
    with pytest.raises(NotFoundError, match="no role named 'Later' is saved"):
        store.save_scenario("stored:Later", seed_scenarios()[0])
    assert _sql(postgres_url, "SELECT count(*) FROM aijri.scenario_lists") == [(0,)]
    # a list an earlier release filed under the name alone is read, and saving the role adopts it
    s1 = seed_scenarios()[0]
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        list_id = conn.execute(
            "INSERT INTO aijri.scenario_lists (workspace, stored_name) VALUES ('default', 'Later') RETURNING id"
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO aijri.scenarios (list_id, name, position, data) VALUES (%s, %s, 0, %s::jsonb)",
            (list_id, s1.name, json.dumps(s1.model_dump(mode="json"))),
        )
    assert store.role_keys() == ["stored:Later"] and store.list_scenarios("stored:Later") == [s1]
    store.save_role(bundled_role(SEED), name="Other")
    with pytest.raises(NameClashError, match="scenarios are already saved for 'stored:Later'"):
        store.rename_role("Other", "Later")
    store.save_role(bundled_role(SEED), name="Later")
    role_id = _sql(postgres_url, "SELECT id FROM aijri.roles WHERE name = 'Later'")[0][0]
    assert _sql(postgres_url, "SELECT role_id, stored_name FROM aijri.scenario_lists") == [(role_id, None)]
    store.rename_role("Later", "Now")
    assert store.list_scenarios("stored:Now") == seed_scenarios()[:1]


def test_positions_stay_dense_after_deletes_and_renames(postgres_url):
    store = open_store(postgres_url)
    items = [Scenario(name=f"s{i}") for i in range(8)]
    store.import_scenarios(KEY, items)
    for name in ("s0", "s4", "s7"):
        store.delete_scenario(KEY, name)
    store.rename_scenario(KEY, "s5", "five")
    store.save_scenario(KEY, Scenario(name="s3", note="again"), overwrite=True)
    store.save_scenario(KEY, Scenario(name="last"))
    assert store.scenario_names(KEY) == ["s1", "s2", "s3", "five", "s6", "last"]
    for name in ("A", "B", "C", "D"):
        store.save_role(bundled_role(SEED), name=name)
    store.delete_role("B")
    store.rename_role("C", "See")
    assert store.list_roles() == ["A", "See", "D"]
    _positions_dense(postgres_url)


def test_changes_keep_their_order(postgres_url):
    """jsonb sorts object keys; the store gives the changes back in the order they were saved."""
    store = open_store(postgres_url)
    changes = {"growth": 1.0, "evidence:job_postings": -1.0, "barrier:licensing": 2.0, "evidence:ai_tools": 0.0}
    store.save_scenario(KEY, Scenario(name="ordered", changes=changes))
    assert list(store.load_scenario(KEY, "ordered").changes) == list(changes)
    assert list(store.list_scenarios(KEY)[0].changes) == list(changes)
    stored_keys = _sql(postgres_url, "SELECT array(SELECT jsonb_object_keys(data->'changes')) FROM aijri.scenarios")
    assert stored_keys[0][0] != list(changes)  # the database's own order differs: the column matters


def test_damaged_rows_give_a_clear_error(postgres_url):
    store = open_store(postgres_url)
    s1, s2, _ = seed_scenarios()
    store.import_scenarios(KEY, [s1, s2])
    _sql(
        postgres_url,
        "UPDATE aijri.scenarios SET data = jsonb_set(data, '{changes,growth}', '\"high\"') WHERE name = %s",
        (s2.name,),
    )
    with pytest.raises(StoreError, match=r"scenario 'Serving automated' .* damaged .*growth"):
        store.list_scenarios(KEY)
    assert store.load_scenario(KEY, s1.name) == s1
    store.delete_scenario(KEY, s2.name)  # a damaged entry can still be deleted
    assert store.list_scenarios(KEY) == [s1]


# ---------------------------------------------------------------- migrations


def test_migrations_run_once_when_four_servers_start_together(postgres_url):
    """Four processes find an empty database at the same moment: one migrates, none fails."""
    script = textwrap.dedent(
        """
        import sys
        from aijri_core.store import open_store
        sys.stdin.readline()
        print(open_store(sys.argv[1]).list_roles())
        """
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, postgres_url],
            env=_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    time.sleep(1.0)  # let every interpreter start and wait at the line
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert out.strip() == "[]"
    # each step ran exactly once (a second run would have failed on CREATE TABLE or the primary key)
    assert _sql(postgres_url, "SELECT version FROM aijri.schema_version") == [(1,)]


def test_newer_schema_is_refused(postgres_url):
    open_store(postgres_url).list_roles()
    _sql(postgres_url, "INSERT INTO aijri.schema_version (version) VALUES (%s)", (pg.SCHEMA_VERSION + 1,))
    pg.close_pools()  # as if another release's server had migrated before this process started
    with pytest.raises(StoreError, match=f"schema version {pg.SCHEMA_VERSION + 1} was written by a newer release"):
        open_store(postgres_url).list_roles()


def test_a_later_migration_step_runs_on_an_older_database(postgres_url, monkeypatch):
    open_store(postgres_url).list_roles()
    pg.close_pools()
    monkeypatch.setattr(pg, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(pg.MIGRATIONS, 1, "ALTER TABLE aijri.roles ADD COLUMN owner text")
    store = open_store(postgres_url)
    store.save_role(bundled_role(SEED))
    assert [v for (v,) in _sql(postgres_url, "SELECT version FROM aijri.schema_version ORDER BY version")] == [1, 2]
    assert _sql(postgres_url, "SELECT owner FROM aijri.roles") == [(None,)]
    pg.close_pools()


# ---------------------------------------------------------------- several processes


def test_four_processes_import_250_scenarios_each(postgres_url):
    results = _results(_start_workers(postgres_url, "scenarios", 4, 250))
    assert results == [{"ok": True}] * 4
    names = open_store(postgres_url).scenario_names("bundled:ai-infrastructure-engineer")
    assert len(names) == 1000
    assert set(names) == {f"w{w}-{i}" for w in range(4) for i in range(250)}
    positions = [p for (p,) in _sql(postgres_url, "SELECT position FROM aijri.scenarios ORDER BY position")]
    assert positions == list(range(1000))


@pytest.mark.parametrize("action", ["same-scenario", "same-role"])
def test_three_processes_save_the_same_name(postgres_url, action):
    results = _results(_start_workers(postgres_url, action, 3))
    assert results.count({"ok": True}) == 1
    clashes = [r["clash"] for r in results if "clash" in r]
    assert len(clashes) == 2
    assert all("is already saved" in c for c in clashes)
    store = open_store(postgres_url)
    if action == "same-scenario":
        assert store.scenario_names("bundled:ai-infrastructure-engineer") == ["Same"]
    else:
        assert store.list_roles() == ["Same role"]


_KILLED_IMPORT = textwrap.dedent(
    """
    import sys, time
    import psycopg
    from aijri_core import Scenario
    from aijri_core.store import open_store

    real = psycopg.Cursor.executemany

    def executemany_then_hang(self, query, params_seq, **kw):
        real(self, query, params_seq, **kw)
        if "INSERT INTO aijri.scenarios" in str(query):
            print("inserted", flush=True)  # the rows are written, the transaction is still open
            time.sleep(600)

    psycopg.Cursor.executemany = executemany_then_hang
    store = open_store(sys.argv[1])
    store.import_scenarios("bundled:ai-infrastructure-engineer", [Scenario(name=f"k{i}", note="x" * 500) for i in range(2000)])
    """
)


def test_sigkill_mid_import_leaves_no_partial_import(postgres_url):
    store = open_store(postgres_url)
    store.import_scenarios("bundled:ai-infrastructure-engineer", [Scenario(name="before")])
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLED_IMPORT, postgres_url],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == "inserted", proc.stderr.read() if proc.stderr else line
        # the 2,000 rows exist in the open transaction only
        assert _sql(postgres_url, "SELECT count(*) FROM aijri.scenarios") == [(1,)]
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    for _ in range(100):  # the server notices the dropped connection and rolls back
        if _sql(postgres_url, "SELECT count(*) FROM pg_stat_activity WHERE state LIKE %s", ("idle in transaction%",)) == [(0,)]:
            break
        time.sleep(0.1)
    assert store.scenario_names("bundled:ai-infrastructure-engineer") == ["before"]
    store.import_scenarios("bundled:ai-infrastructure-engineer", [Scenario(name="after")])  # the list is not left locked
    assert store.scenario_names("bundled:ai-infrastructure-engineer") == ["before", "after"]
    _positions_dense(postgres_url)


# ---------------------------------------------------------------- workspaces


def test_workspaces_do_not_see_each_other(postgres_url, monkeypatch):
    a = pg.PostgresStore(postgres_url, workspace="a")
    b = pg.PostgresStore(postgres_url, workspace="b")
    a.save_role(bundled_role(SEED), name="Shared name")
    a.import_scenarios(KEY, seed_scenarios())
    a.import_scenarios("stored:Shared name", seed_scenarios()[:1])
    assert b.list_roles() == [] and b.role_keys() == [] and b.list_scenarios(KEY) == []
    assert not b.has_role("Shared name")
    with pytest.raises(NotFoundError):
        b.load_scenario(KEY, "Evidence cools")
    with pytest.raises(NotFoundError):
        b.delete_role("Shared name")
    # the same names are free in the other workspace, and stay apart
    b.save_role(bundled_role(SEED).model_copy(update={"growth_correlation": 2}), name="Shared name")
    b.save_scenario(KEY, Scenario(name="Evidence cools", note="b's own"))
    assert a.load_role("Shared name").growth_correlation == bundled_role(SEED).growth_correlation
    assert b.load_role("Shared name").growth_correlation == 2
    assert a.load_scenario(KEY, "Evidence cools") == seed_scenarios()[0]
    b.delete_role("Shared name")
    assert a.list_scenarios("stored:Shared name") == seed_scenarios()[:1]
    monkeypatch.setenv(pg.ENV_WORKSPACE, "b")
    assert open_store(postgres_url).scenario_names(KEY) == ["Evidence cools"]
    monkeypatch.delenv(pg.ENV_WORKSPACE)
    assert open_store(postgres_url).workspace == "default"
    with pytest.raises(StoreError, match="workspace"):
        pg.PostgresStore(postgres_url, workspace=" ")


def _aijri(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "aijri_core.cli", *args], env=_env(**env), capture_output=True, text=True, timeout=120
    )


def test_cli_workspaces_and_the_database_address(postgres_url, tmp_path):
    csv_path = tmp_path / "in.csv"
    store = open_store(postgres_url)
    store.import_scenarios(KEY, seed_scenarios())
    done = _aijri("scenarios", "export", "--db", postgres_url, "--role", KEY, "-o", str(csv_path))
    assert done.returncode == 0, done.stderr
    store.delete_scenario(KEY, seed_scenarios()[0].name)  # the default workspace keeps two
    done = _aijri("scenarios", "import", str(csv_path), "--role", KEY, AIJRI_DB=postgres_url, AIJRI_WORKSPACE="a")
    assert done.returncode == 0, done.stderr
    assert "imported 3 scenarios" in done.stdout
    listed_a = _aijri("scenarios", "list", AIJRI_DB=postgres_url, AIJRI_WORKSPACE="a")
    listed_b = _aijri("scenarios", "list", AIJRI_DB=postgres_url, AIJRI_WORKSPACE="b")
    assert listed_a.returncode == listed_b.returncode == 0, listed_a.stderr + listed_b.stderr
    assert "Evidence cools" in listed_a.stdout
    assert listed_b.stdout.strip() == ""
    assert pg.PostgresStore(postgres_url, workspace="a").scenario_names(KEY) == [s.name for s in seed_scenarios()]
    assert store.scenario_names(KEY) == [s.name for s in seed_scenarios()[1:]]


def test_cli_unreachable_database_is_one_line_without_the_password(postgres_cluster):
    import postgres

    url = f"postgresql://analyst:s3cret-pw@127.0.0.1:{postgres.free_port()}/aijri"
    done = _aijri("scenarios", "list", "--db", url)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "cannot reach the database" in lines[0] and "postgresql://analyst@127.0.0.1" in lines[0]
    assert "s3cret" not in done.stderr + done.stdout
    wrong_db = postgres_cluster.url("no_such_database")
    done = _aijri("scenarios", "list", AIJRI_DB=wrong_db)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert 'database "no_such_database" does not exist' in done.stderr


# ---------------------------------------------------------------- the app on PostgreSQL (AppTest)


def test_app_workspaces_are_separate(postgres_url, monkeypatch):
    from app_helpers import assert_no_exception, new_app, open_page, save_scenario, saved_scenario_names

    monkeypatch.setenv("AIJRI_DB", postgres_url)
    monkeypatch.setenv("AIJRI_RAISE", "1")
    monkeypatch.setenv(pg.ENV_WORKSPACE, "team-a")
    at_a = open_page(new_app(), "scenarios")
    assert_no_exception(at_a)
    assert not at_a.warning or not any("this session only" in w.value for w in at_a.warning)
    save_scenario(at_a, "Team A plan")
    assert saved_scenario_names(at_a) == ["Team A plan"]

    monkeypatch.setenv(pg.ENV_WORKSPACE, "team-b")
    at_b = open_page(new_app(), "scenarios")
    assert saved_scenario_names(at_b) == []
    save_scenario(at_b, "Team A plan")  # the same name is free in another workspace
    save_scenario(at_b, "Team B plan")
    assert saved_scenario_names(at_b) == ["Team A plan", "Team B plan"]

    monkeypatch.setenv(pg.ENV_WORKSPACE, "team-a")
    at_a.run()
    assert saved_scenario_names(at_a) == ["Team A plan"]
    assert pg.PostgresStore(postgres_url, workspace="team-a").scenario_names(KEY) == ["Team A plan"]
    assert pg.PostgresStore(postgres_url, workspace="team-b").scenario_names(KEY) == ["Team A plan", "Team B plan"]


def test_store_recovers_when_the_server_comes_back():
    """A server that crashes mid-session: one clear error per call, then work as before."""
    import postgres

    cluster = postgres.start_or_skip(durable=True)  # a server of its own, crash-safe: this test stops it
    try:
        url = cluster.new_database()
        store = open_store(url)
        s1, s2, _ = seed_scenarios()
        store.save_scenario(KEY, s1)
        cluster.stop_server()
        with pytest.raises(pg.StoreUnavailableError, match=r"cannot reach the database.*nothing was saved"):
            store.save_scenario(KEY, s2)
        with pytest.raises(pg.StoreUnavailableError, match="cannot reach the database"):
            store.list_scenarios(KEY)
        cluster.start_server()
        # The pool replaces its dead connections; on a loaded machine the first call after the
        # restart may still meet one, so allow a bounded number of clear errors before it works.
        deadline = time.monotonic() + 60
        while True:
            try:
                names = store.scenario_names(KEY)
                break
            except pg.StoreUnavailableError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        assert names == [s1.name]
        store.save_scenario(KEY, s2)
        assert store.scenario_names(KEY) == [s1.name, s2.name]
    finally:
        cluster.stop()


def test_a_name_taken_past_the_checks_is_still_a_name_clash(postgres_url, monkeypatch):
    """Should a same-name insert ever get past the checks under the locks, the database's unique
    constraint ends it in NameClashError, not a driver error."""
    store = open_store(postgres_url)
    store.save_role(bundled_role(SEED), name="Taken")
    monkeypatch.setattr(pg.PostgresStore, "_role_id", lambda self, conn, name, lock="": None)  # a check that misses it
    with pytest.raises(NameClashError, match="saved by someone else at the same moment"):
        store.save_role(bundled_role(SEED), name="Taken")
    monkeypatch.undo()
    assert store.list_roles() == ["Taken"]
    _positions_dense(postgres_url)


def test_missing_postgresql_skips_or_fails_as_configured(monkeypatch):
    import postgres

    monkeypatch.setattr(postgres, "server_bin", lambda: None)
    monkeypatch.delenv(postgres.REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y postgresql"):
        postgres.start_or_skip()
    monkeypatch.setenv(postgres.REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match="AIJRI_REQUIRE_POSTGRES=1 but PostgreSQL is not installed"):
        postgres.start_or_skip()


def test_without_the_driver_a_postgresql_address_is_one_clear_line():
    """An install without the `postgres` extra: the CLI names the missing package (exit 2)."""
    script = (
        "import sys; sys.modules['psycopg'] = None\n"  # as if psycopg were not installed
        "from aijri_core.cli import main\n"
        "sys.exit(main(['scenarios', 'list', '--db', 'postgresql://u:pw@127.0.0.1:5432/aijri']))"
    )
    done = subprocess.run([sys.executable, "-c", script], env=_env(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "needs the psycopg package" in lines[0], done.stderr
    assert ":pw@" not in done.stderr


_MIXED_WORKER = textwrap.dedent(
    """
    import collections, json, sys
    from aijri_core import Scenario, bundled_role
    from aijri_core.store import NameClashError, NotFoundError, open_store
    url, kind, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = open_store(url)
    role = bundled_role("ai-infrastructure-engineer")
    outcomes = collections.Counter()
    store.list_roles()
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(rounds):
        try:
            if kind == "renamer":  # the shared role moves between two names
                old, new = ("X", "Y") if store.has_role("X") else ("Y", "X")
                try:
                    store.rename_role(old, new)
                except NameClashError:  # scenarios wait under the new name (saved just after a rename)
                    for name in store.scenario_names(f"stored:{new}"):
                        store.delete_scenario(f"stored:{new}", name)
                    raise
            elif kind == "importer":  # scenarios for the name the role has now (or had a moment ago)
                now = "X" if store.has_role("X") else "Y"
                store.import_scenarios(f"stored:{now}", [Scenario(name=f"i{i}-{j}") for j in range(5)])
            elif kind == "roles":  # other roles come and go in the same workspace
                store.save_role(role, name=f"R{i % 4}", overwrite=bool(i % 3))
                if i % 2:
                    store.delete_role(f"R{(i + 1) % 4}")
            else:  # bundled scenarios saved and deleted
                store.save_scenario("bundled:ai-infrastructure-engineer", Scenario(name=f"b{i % 7}"), overwrite=bool(i % 2))
                if i % 3 == 0:
                    store.delete_scenario("bundled:ai-infrastructure-engineer", f"b{(i + 3) % 7}")
            outcomes["ok"] += 1
        except (NameClashError, NotFoundError) as exc:
            outcomes[type(exc).__name__] += 1
    print(json.dumps(outcomes), flush=True)
    """
)


def test_mixed_writers_end_in_the_store_errors_only(postgres_url):
    """Renames, imports, role saves and deletes at once in one workspace: every call ends in
    success or the store's own name-clash / not-found error (no deadlock, no driver error), and
    every position stays dense."""
    store = open_store(postgres_url)
    store.save_role(bundled_role(SEED), name="X")
    kinds = ["renamer", "importer", "roles", "bundled"]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _MIXED_WORKER, postgres_url, kind, "60"],
            env=_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for kind in kinds
    ]
    for p in procs:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    outcomes = {}
    for kind, p in zip(kinds, procs, strict=True):
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err  # any other exception would have ended the worker
        outcomes[kind] = json.loads(out.strip().splitlines()[-1])
        assert sum(outcomes[kind].values()) == 60
        assert outcomes[kind].get("ok", 0) > 0, outcomes
    _positions_dense(postgres_url)
    # the shared role is under exactly one name, and its scenarios are all readable
    names = [n for n in ("X", "Y") if store.has_role(n)]
    assert len(names) == 1
    assert all(len(store.list_scenarios(f"stored:{n}")) % 5 == 0 for n in ("X", "Y"))


# ---------------------------------------------------------------- a full disk


_DISK_FULL_TRIGGER = """
CREATE FUNCTION aijri_test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF left(NEW.name, 4) = 'Big ' THEN
    RAISE EXCEPTION 'could not extend file "base/1/2": No space left on device' USING ERRCODE = 'disk_full';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER aijri_test_disk_full BEFORE INSERT ON aijri.scenarios
  FOR EACH ROW EXECUTE FUNCTION aijri_test_disk_full();
"""


def test_a_full_disk_is_one_line_exit_2_and_keeps_earlier_data(postgres_url, tmp_path):
    """PostgreSQL reports a full disk as SQLSTATE 53100 (disk_full, "could not extend file ...: No space
    left on device"); the server raises exactly that here, for the rows of the import that would not
    fit. The store says so in one line: not "cannot reach the database" (the server is there and
    the app must not fall back to a session-only store), nothing saved, earlier data intact."""
    from aijri_core.formats.scenarios_csv import scenarios_to_csv

    store = open_store(postgres_url)
    store.import_scenarios(KEY, seed_scenarios())
    _sql(postgres_url, _DISK_FULL_TRIGGER)
    items = [Scenario(name=f"Small {i}", changes={"growth": 1}) for i in range(3)] + [
        Scenario(name="Big 1", note="x" * 3000, changes={"growth": 2})]
    csv_path = tmp_path / "big.csv"
    csv_path.write_bytes(scenarios_to_csv(items))
    done = _aijri("scenarios", "import", str(csv_path), "--db", postgres_url, "--role", KEY)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    shown = f"{pg.display_address(postgres_url)} (workspace 'default')"
    assert done.stderr.strip().splitlines() == [
        f"aijri: error: store {shown}: write failed, nothing was saved (database or disk is full: "
        'could not extend file "base/1/2": No space left on device)']
    assert store.scenario_names(KEY) == [s.name for s in seed_scenarios()]
    with pytest.raises(StoreError, match=r"write failed, nothing was saved \(database or disk is full: could not extend"):
        store.import_scenarios(KEY, items)
    assert not isinstance(_raised(lambda: store.import_scenarios(KEY, items)), pg.StoreUnavailableError)
    store.import_scenarios(KEY, items[:3])  # what fits is still saved afterwards
    assert store.scenario_names(KEY) == [s.name for s in seed_scenarios()] + [s.name for s in items[:3]]


def test_a_real_full_disk_under_the_scenarios_table(postgres_url, tmp_path):
    """The scenarios table moved to a tablespace on a 256 KiB tmpfs (skips where one cannot be
    mounted): an import that does not fit stops with PostgreSQL's own disk_full error."""
    import random

    from aijri_core.formats.scenarios_csv import scenarios_to_csv

    store = open_store(postgres_url)
    store.import_scenarios(KEY, seed_scenarios())
    owner = "postgres" if os.geteuid() == 0 else None
    with tiny_disk.mounted(256, owner=owner) as disk:
        _sql(postgres_url, f"CREATE TABLESPACE aijri_tiny LOCATION '{disk}'")
        try:
            _sql(postgres_url, "ALTER TABLE aijri.scenarios SET TABLESPACE aijri_tiny")
            noise = random.Random(7)  # notes that do not compress: TOAST would squeeze repeated letters
            items = [Scenario(name=f"Big {i}", note="".join(noise.choices("abcdefghijklmnopqrstuvwxyz", k=3000)),
                              changes={"growth": 2}) for i in range(200)]
            csv_path = tmp_path / "big.csv"
            csv_path.write_bytes(scenarios_to_csv(items))
            done = _aijri("scenarios", "import", str(csv_path), "--db", postgres_url, "--role", KEY)
            assert done.returncode == 2, done.stderr
            lines = done.stderr.strip().splitlines()
            assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
            assert "write failed, nothing was saved (database or disk is full: could not extend file" in lines[0]
            assert "No space left on device" in lines[0]
            assert store.scenario_names(KEY) == [s.name for s in seed_scenarios()]
        finally:
            close_pools()
            _sql(postgres_url, "ALTER TABLE aijri.scenarios SET TABLESPACE pg_default")
            _sql(postgres_url, "DROP TABLESPACE aijri_tiny")


def _raised(call) -> BaseException:
    try:
        call()
    except BaseException as exc:  # noqa: BLE001 - the test looks at the kind of error
        return exc
    raise AssertionError("nothing was raised")
