"""What the team store costs: PostgreSQL beside SQLite on this machine.

Measured, each as the median of many runs, the two stores turn about so that load on the
shared machine hits both alike:
  save one scenario     ``save_scenario`` of a new name (one transaction, committed)
  list 50 scenarios     ``list_scenarios`` of a role with 50 saved scenarios (read and validated)
  list roles            ``list_roles`` with 10 saved roles
  Scenarios page rerun  one rerun of the app's Scenarios page (AppTest, in this process) with
                        the store holding 50 scenarios of the role shown
Both stores are crash-safe as configured by the project: SQLite with ``synchronous=FULL``
in a temp folder, PostgreSQL a throwaway local server (tests/postgres.py) with its durable
defaults (fsync, synchronous commit) over TCP on 127.0.0.1. Set AIJRI_BENCH_POSTGRES to a
``postgresql://`` address to measure an existing server instead (a workspace of its own is
used and left behind).

Run: `.venv/bin/python bench/store.py [--runs 100] [--reruns 15]`. Prints a table with the
ratio PostgreSQL / SQLite; never fails on a timing. Without PostgreSQL installed it says so
and exits 0.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from aijri_core import Scenario, bundled_role  # noqa: E402
from aijri_core.store import SQLiteStore, bundled_role_key  # noqa: E402

ROLE = bundled_role_key("ai-infrastructure-engineer")  # the role the app opens on
SCENARIOS_PAGE = "app_pages/scenarios.py"


def _scenario(name: str, i: int) -> Scenario:
    return Scenario(name=name, note="bench", changes={"growth": float(i % 5 - 2), "evidence:job_postings": 0.0})


def _fill(store, n_scenarios: int = 50, n_roles: int = 10) -> None:
    store.import_scenarios(ROLE, [_scenario(f"listed {i:03d}", i) for i in range(n_scenarios)])
    base = bundled_role("ai-infrastructure-engineer")
    for i in range(n_roles):
        store.save_role(base, name=f"Role {i:02d}")


def _turn_about(runs: int, actions: dict[str, Callable[[int], object]]) -> dict[str, float]:
    """Median milliseconds of each action, the actions run in turn ``runs`` times (after one warm-up)."""
    times: dict[str, list[float]] = {k: [] for k in actions}
    for i in range(-1, runs):
        for name, action in actions.items():
            t0 = time.perf_counter()
            action(i)
            if i >= 0:
                times[name].append((time.perf_counter() - t0) * 1000)
    return {k: statistics.median(v) for k, v in times.items()}


def _quiet_streamlit() -> None:
    """No 'missing ScriptRunContext' warnings: the store calls run outside a script on purpose."""
    for name in ("streamlit", "streamlit.runtime.scriptrunner_utils.script_run_context", "streamlit.runtime.caching"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _app_reruns(addresses: dict[str, str], workspace: str, reruns: int) -> dict[str, float]:
    """Median ms of a Scenarios page rerun per store (each AppTest reads AIJRI_DB on every run)."""
    from streamlit.testing.v1 import AppTest

    _quiet_streamlit()
    os.environ["AIJRI_WORKSPACE"] = workspace
    apps = {}
    for name, address in addresses.items():
        os.environ["AIJRI_DB"] = address
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
        at.switch_page(SCENARIOS_PAGE).run()
        if at.exception:
            raise RuntimeError(f"the Scenarios page failed on {name}: {at.exception[0].value}")
        apps[name] = at

    def rerun(name: str) -> Callable[[int], object]:
        def go(_: int) -> object:
            os.environ["AIJRI_DB"] = addresses[name]
            return apps[name].run()

        return go

    return _turn_about(reruns, {name: rerun(name) for name in addresses})


def _postgres_address() -> tuple[str | None, Callable[[], None]]:
    """(address, stop) of the PostgreSQL to measure, or (None, ...) with the reason printed."""
    given = os.environ.get("AIJRI_BENCH_POSTGRES", "").strip()
    if given:
        return given, lambda: None
    import postgres

    try:
        cluster = postgres.Cluster(durable=True)
        return cluster.new_database("bench"), cluster.stop
    except (postgres.PostgresUnavailable, ImportError) as exc:
        print(f"PostgreSQL benchmark skipped: {exc}")
        return None, lambda: None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100, help="runs per store operation (default 100)")
    parser.add_argument("--reruns", type=int, default=15, help="Scenarios page reruns per store (default 15)")
    args = parser.parse_args(argv)

    pg_address, stop = _postgres_address()
    if pg_address is None:
        return 0
    from aijri_core.store.postgresql import PostgresStore

    workspace = f"bench-{uuid.uuid4().hex[:8]}"
    try:
        with tempfile.TemporaryDirectory(prefix="aijri-bench-") as folder:
            sqlite_path = str(Path(folder) / "store.sqlite3")
            stores = {"SQLite": SQLiteStore(sqlite_path), "PostgreSQL": PostgresStore(pg_address, workspace=workspace)}
            for store in stores.values():
                _fill(store)

            rows = {
                "save one scenario": _turn_about(
                    args.runs, {k: lambda i, s=s: s.save_scenario(ROLE, _scenario(f"saved {i}", i)) for k, s in stores.items()}
                ),
                "list 50 scenarios": _turn_about(args.runs, {k: lambda i, s=s: s.list_scenarios(ROLE) for k, s in stores.items()}),
                "list roles": _turn_about(args.runs, {k: lambda i, s=s: s.list_roles() for k, s in stores.items()}),
            }
            # the page shows the role's scenarios: bring both back to the same 50
            for store in stores.values():
                for i in range(-1, args.runs):
                    store.delete_scenario(ROLE, f"saved {i}")
            addresses = {"SQLite": sqlite_path, "PostgreSQL": pg_address}
            rows["Scenarios page rerun"] = _app_reruns(addresses, workspace, args.reruns)
    finally:
        stop()

    print(f"\nStore latency, median ms ({args.runs} runs; page: {args.reruns} reruns), PostgreSQL / SQLite")
    print(f"{'operation':<22} {'SQLite':>10} {'PostgreSQL':>11} {'ratio':>7}")
    for name, times in rows.items():
        ratio = times["PostgreSQL"] / times["SQLite"]
        print(f"{name:<22} {times['SQLite']:>10.2f} {times['PostgreSQL']:>11.2f} {ratio:>6.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
