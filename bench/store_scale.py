"""A year of a team's work (issue 20): pages that cost what they show, not what the store holds.

Every ratio compares two measures taken in this run, turn about where it can, so load on the
shared machine hits both alike (absolute times are printed beside them):

  Scenarios page run     one rerun of the Scenarios page with 100,000 scenarios of the role shown,
                         vs 10 (AppTest in this process; SQLite and PostgreSQL)
  two browsers           in Chromium (playwright): the Explorer's first load for user B while user A
                         opens the 100,000-scenario page on the same server, vs alone; and the
                         Scenarios page opened until table and charts are drawn, 10,000 vs 50
  export / import        `aijri scenarios export` (long, --wide) and `import` of 100,000 scenarios,
                         as commands (their start-up included); the import is also run with one bad
                         row at the end, and must leave the store as it was
  Roles page             one rerun of the Roles page with 1,000 saved roles vs 1
  wide CSV import        reading 1,000 wide rows of a 40-task role vs a 5-task role (in process)
  slider move            one Explorer rerun after a slider move, 40-task role vs the 7-task role

Run: `.venv/bin/python bench/store_scale.py [--reruns 7] [--n 100000] [--skip-postgres] [--only page cli ...]`. Never fails
on a timing; PostgreSQL rows are skipped (and say so) when it is not installed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from big_store import fill_sqlite, scenario_data  # noqa: E402
from store import _postgres_address, _quiet_streamlit  # noqa: E402

from aijri_core import RoleAssessment, Scenario, bundled_role  # noqa: E402
from aijri_core.store import SQLiteStore, bundled_role_key, stored_role_key  # noqa: E402

SLUG = "ai-infrastructure-engineer"
ROLE = bundled_role_key(SLUG)
PAGES = {"scenarios": "app_pages/scenarios.py", "roles": "app_pages/roles.py", "explorer": "app_pages/explorer.py"}
AIJRI = str(Path(sys.executable).with_name("aijri"))
SECTIONS = ["page", "cli", "roles", "wide", "slider", "postgres", "browser"]


def _median_ms(action: Callable[[], object], runs: int) -> float:
    action()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        action()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _turn_about(runs: int, actions: dict[str, Callable[[], object]]) -> dict[str, float]:
    times: dict[str, list[float]] = {k: [] for k in actions}
    for i in range(-1, runs):
        for name, action in actions.items():
            t0 = time.perf_counter()
            action()
            if i >= 0:
                times[name].append((time.perf_counter() - t0) * 1000)
    return {k: statistics.median(v) for k, v in times.items()}


def _app(address: str, page: str, role_key: str | None = None):
    from streamlit.testing.v1 import AppTest

    os.environ["AIJRI_DB"] = address
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=600)
    if role_key:
        at.query_params["role"] = role_key
    at.run()
    if page != "explorer":
        at.switch_page(PAGES[page]).run()
    if at.exception:
        raise RuntimeError(f"the {page} page failed: {at.exception[0].value}")
    return at


def _rerun(at, address: str) -> Callable[[], object]:
    def go() -> object:
        os.environ["AIJRI_DB"] = address
        return at.run()

    return go


def page_ratio(small: str, big: str, reruns: int) -> tuple[float, float]:
    apps = {"small": _app(small, "scenarios"), "big": _app(big, "scenarios")}
    t = _turn_about(reruns, {"small": _rerun(apps["small"], small), "big": _rerun(apps["big"], big)})
    return t["small"], t["big"]


def _command(*args: str) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    done = subprocess.run([AIJRI, *args], capture_output=True, text=True, env={**os.environ, "AIJRI_DB": ""})
    return time.perf_counter() - t0, done


def cli_rows(db: str, folder: Path, n: int) -> list[tuple[str, float, str]]:
    out = []
    for wide in (False, True):
        path = folder / f"export-{'wide' if wide else 'long'}.csv"
        s, done = _command("scenarios", "export", "--db", db, "--role", ROLE, "-o", str(path), *(["--wide"] if wide else []))
        out.append((f"export {n:,} ({'wide' if wide else 'long'})", s, "ok" if done.returncode == 0 else done.stderr[-200:]))
    long_csv = folder / "export-long.csv"
    target = str(folder / "imported.sqlite3")
    s, done = _command("scenarios", "import", str(long_csv), "--db", target, "--role", ROLE)
    count = SQLiteStore(target).count_scenarios(ROLE)
    out.append((f"import {n:,} (CLI)", s, f"{count:,} saved" if done.returncode == 0 else done.stderr[-200:]))
    bad = folder / "bad.csv"
    bad.write_bytes(long_csv.read_bytes() + b"x,,,Bad one,,growth,7,\r\n")
    target2 = str(folder / "refused.sqlite3")
    s, done = _command("scenarios", "import", str(bad), "--db", target2, "--role", ROLE)
    count = SQLiteStore(target2).count_scenarios(ROLE) if Path(target2).exists() else 0
    out.append((f"import {n:,} + 1 bad row", s, f"refused={done.returncode != 0}, saved={count}"))
    return out


def roles_ratio(folder: Path, reruns: int) -> tuple[float, float]:
    base = bundled_role(SLUG)
    one, many = str(folder / "one-role.sqlite3"), str(folder / "many-roles.sqlite3")
    SQLiteStore(one).save_role(base, name="Role 0000")
    store = SQLiteStore(many)
    for i in range(1000):
        store.save_role(base, name=f"Role {i:04d}")
    apps = {"one": _app(one, "roles"), "many": _app(many, "roles")}
    t = _turn_about(reruns, {"one": _rerun(apps["one"], one), "many": _rerun(apps["many"], many)})
    return t["one"], t["many"]


def role_with(n_tasks: int) -> RoleAssessment:
    base = bundled_role(SLUG)
    data = base.model_dump(mode="json")
    template = data["tasks"][0]
    share = 100.0 / n_tasks
    data["tasks"] = [{**template, "name": f"Task {i + 1:02d}", "time_share": share, "score": 1 + i % 5}
                     for i in range(n_tasks)]
    data["title"] = f"A {n_tasks}-task role"
    data.pop("published", None)
    data.pop("override", None)
    return RoleAssessment.model_validate(data)


def wide_import_ratio(rows: int = 1000) -> tuple[float, float]:
    from aijri_core.formats.scenarios_csv import scenarios_from_csv, scenarios_summary_csv

    times = {}
    for n_tasks in (5, 40):
        role = role_with(n_tasks)
        scenarios = [Scenario(name=f"S {i}", changes={f"task:Task {1 + i % n_tasks:02d}:score": 1 + i % 5,
                                                        "growth": i % 5 - 2}) for i in range(rows)]
        data = scenarios_summary_csv(role, scenarios)
        times[n_tasks] = _median_ms(lambda d=data, r=role: scenarios_from_csv(d, r), 3)
    return times[5], times[40]


def slider_ratio(folder: Path, reruns: int) -> tuple[float, float]:
    """One Explorer rerun after a growth slider move: 40-task role vs the bundled 7-task role."""
    db = str(folder / "slider.sqlite3")
    SQLiteStore(db).save_role(role_with(40), name="Forty tasks")
    apps = {"7": _app(db, "explorer", ROLE), "40": _app(db, "explorer", stored_role_key("Forty tasks"))}
    values = {"7": 0, "40": 0}

    def move(name: str) -> Callable[[], object]:
        def go() -> object:
            values[name] = 1 - values[name]
            os.environ["AIJRI_DB"] = db
            return apps[name].slider(key="knob:growth").set_value(values[name]).run()

        return go

    t = _turn_about(reruns, {"7": move("7"), "40": move("40")})
    return t["7"], t["40"]


def _browser_ratios(folder: Path, n: int, reruns: int) -> list[tuple[str, float, float, str]]:
    """Two measures in Chromium (playwright, Debian's Chromium), each in fresh browser contexts
    (a fresh session each time), turn about:

    - the Explorer's first load (until its charts are drawn) for user B alone, vs while user A
      opens the Scenarios page of an ``n``-scenario library on the same server (and the same
      with a 10-scenario library, to tell the library's size from two users at once);
    - the Scenarios page opened until its table and charts are drawn, 10,000 scenarios vs 50
      (two servers, one store each).
    """
    sys.path.insert(0, str(REPO / "tests" / "browser"))
    from browser_helpers import ARGS, CHROMIUM, start_server, wait_ready
    from playwright.sync_api import sync_playwright

    base = bundled_role(SLUG)
    dbs = {"big": folder / "browser-big.sqlite3", "10": folder / "browser-10.sqlite3", "50": folder / "browser-50.sqlite3",
           "10000": folder / "browser-10000.sqlite3"}
    fill_sqlite(dbs["big"], base, ROLE, n)
    fill_sqlite(dbs["10"], base, ROLE, 10)
    fill_sqlite(dbs["50"], base, ROLE, 50)
    fill_sqlite(dbs["10000"], base, ROLE, 10_000)
    servers = {k: start_server("app.py", folder, env={"AIJRI_DB": str(db)}) for k, db in dbs.items()}
    scenarios_path = f"/scenarios?role=bundled%3A{SLUG}"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)

            def load(url: str, while_other: str | None = None) -> float:
                contexts = [browser.new_context(viewport={"width": 1440, "height": 900}) for _ in range(2)]
                try:
                    other = contexts[1].new_page()
                    page = contexts[0].new_page()
                    if while_other:
                        other.goto(while_other)  # returns once the page is loaded; its run goes on
                    t0 = time.perf_counter()
                    page.goto(url)
                    wait_ready(page, 120_000)
                    took = (time.perf_counter() - t0) * 1000
                    if while_other:
                        wait_ready(other, 120_000)
                    return took
                finally:
                    for c in contexts:
                        c.close()

            big, small = servers["big"].url, servers["10"].url
            t = _turn_about(reruns, {"alone": lambda: load(big), "with A": lambda: load(big, big + scenarios_path),
                                     "alone 10": lambda: load(small),
                                     "with A 10": lambda: load(small, small + scenarios_path)})
            out = [(f"Explorer first load for B while A opens the {n:,}-scenario page, vs alone", t["alone"],
                    t["with A"], "<= 1.3x"),
                   ("  the same with a 10-scenario library (what two users at once cost)", t["alone 10"],
                    t["with A 10"], "(for reading the row above)")]
            t = _turn_about(reruns, {"50": lambda: load(servers["50"].url + scenarios_path),
                                     "10000": lambda: load(servers["10000"].url + scenarios_path)})
            out.append(("Scenarios page in Chromium (table + charts drawn), 10,000 vs 50", t["50"], t["10000"], "<= 2x"))
            browser.close()
            return out
    finally:
        for server in servers.values():
            server.stop()


class _Table(list):
    """Rows (measure, baseline, measured, ratio, target), each printed as soon as it is measured."""

    def append(self, row) -> None:
        super().append(row)
        print("measured:", " | ".join(row), flush=True)

    def show(self) -> None:
        print("\nissue 20: cost at size (medians; ratios measured in this run)")
        print(f"{'measure':<62} {'baseline':>9} {'measured':>9} {'ratio':>24}  target")
        for name, a, b, ratio, target in self:
            print(f"{name:<62} {a:>9} {b:>9} {ratio:>24}  {target}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=7)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=SECTIONS,
                        help="measure only these (default: all)")
    args = parser.parse_args(argv)
    only = set(args.only) - ({"postgres"} if args.skip_postgres else set())
    _quiet_streamlit()
    base = bundled_role(SLUG)
    table = _Table()

    with tempfile.TemporaryDirectory(prefix="aijri-scale-") as tmp:
        folder = Path(tmp)
        small, big = str(folder / "small.sqlite3"), str(folder / "big.sqlite3")
        if only & {"page", "cli"}:
            fill_sqlite(small, base, ROLE, 10)
            fill_sqlite(big, base, ROLE, args.n)
        if "page" in only:
            a, b = page_ratio(small, big, args.reruns)
            table.append((f"Scenarios page run, {args.n:,} vs 10 (SQLite)", f"{a:.0f} ms", f"{b:.0f} ms", f"{b / a:.2f}x",
                          "<= 1.5x"))
        if "cli" in only:
            for name, s, note in cli_rows(big, folder, args.n):
                target = "< 10 s, all or nothing" if name.startswith("import") else "< 5 s"
                table.append((name, "", f"{s:.1f} s", note, target))
        if "roles" in only:
            a, b = roles_ratio(folder, args.reruns)
            table.append(("Roles page, 1,000 roles vs 1", f"{a:.0f} ms", f"{b:.0f} ms", f"{b / a:.2f}x", "<= 1.5x"))
        if "wide" in only:
            a, b = wide_import_ratio()
            table.append(("wide CSV import, 1,000 rows, 40 tasks vs 5", f"{a:.0f} ms", f"{b:.0f} ms", f"{b / a:.2f}x",
                          "<= 8x"))
        if "slider" in only:
            a, b = slider_ratio(folder, args.reruns)
            table.append(("Explorer rerun after a slider move, 40 tasks vs 7", f"{a:.0f} ms", f"{b:.0f} ms",
                          f"{b / a:.2f}x", "<= 1.5x (server part)"))

        if "browser" in only:
            for name, a, b, target in _browser_ratios(folder, args.n, args.reruns):
                table.append((name, f"{a:.0f} ms", f"{b:.0f} ms", f"{b / a:.2f}x", target))

        if "postgres" in only:
            address, stop = _postgres_address()
            if address is not None:
                from aijri_core.store.postgresql import PostgresStore

                try:
                    ws_small, ws_big = f"bench-{uuid.uuid4().hex[:6]}", f"bench-{uuid.uuid4().hex[:6]}"
                    PostgresStore(address, workspace=ws_small).import_scenarios(
                        ROLE, [Scenario.model_validate(scenario_data(base, i)) for i in range(10)])
                    items = [Scenario.model_validate(scenario_data(base, i)) for i in range(args.n)]
                    t0 = time.perf_counter()
                    PostgresStore(address, workspace=ws_big).import_scenarios(ROLE, items)
                    table.append((f"PostgreSQL import_scenarios of {args.n:,} (one transaction)", "",
                                  f"{time.perf_counter() - t0:.1f} s", "", "< 10 s"))
                    os.environ["AIJRI_WORKSPACE"] = ws_small
                    small_app = _app(address, "scenarios")
                    os.environ["AIJRI_WORKSPACE"] = ws_big
                    big_app = _app(address, "scenarios")

                    def run_in(at, ws: str) -> Callable[[], object]:
                        def go() -> object:
                            os.environ["AIJRI_WORKSPACE"] = ws
                            os.environ["AIJRI_DB"] = address
                            return at.run()

                        return go

                    t = _turn_about(args.reruns, {"small": run_in(small_app, ws_small), "big": run_in(big_app, ws_big)})
                    table.append((f"Scenarios page run, {args.n:,} vs 10 (PostgreSQL)", f"{t['small']:.0f} ms",
                                  f"{t['big']:.0f} ms", f"{t['big'] / t['small']:.2f}x", "<= 1.5x"))
                finally:
                    os.environ.pop("AIJRI_WORKSPACE", None)
                    stop()

    table.show()
    return 0


if __name__ == "__main__":
    sys.exit(main())
