"""A large scenario library made fast: rows written straight into a SQLite store's tables.

Saving 100,000 scenarios through the store validates each one twice (about 10 s); tests and
benchmarks that only need the store to *hold* many scenarios use :func:`fill_sqlite`, which
writes the same JSON the store writes (``Scenario.model_dump(mode="json")``), in one
transaction, with dense positions. The store then reads and validates them as usual.

The scenarios are a team's library: trajectories of 8 steps ("Client 00012", steps
"Step 1".."Step 8"), each step moving a task score, a task's time share, growth and two
evidence ratings, so they land in every zone of the bundled role.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from aijri_core import RoleAssessment
from aijri_core.store import SQLiteStore

STEPS = 8


def scenario_data(base: RoleAssessment, i: int) -> dict:
    """The i-th scenario of the library as stored JSON (a dict)."""
    tasks = [t.name for t in base.tasks]
    client, step = divmod(i, STEPS)
    changes = {
        f"task:{tasks[i % len(tasks)]}:score": float(1 + i % 5),
        f"task:{tasks[(i + 1) % len(tasks)]}:share": float(5 + (i * 7) % 30),
        "growth": float(i % 5 - 2),
        "evidence:job_postings": float((i // 5) % 5 - 2),
        "evidence:wage_trends": float((i // 3) % 5 - 2),
    }
    return {
        "name": f"Client {client:05d} step {step + 1}",
        "note": "",
        "changes": changes,
        "position": f"Step {step + 1}",
        "trajectory": f"Client {client:05d}",
    }


def fill_sqlite(path: str | Path, base: RoleAssessment, role_key: str, n: int) -> SQLiteStore:
    """A SQLite store at ``path`` holding ``n`` scenarios of ``role_key`` (after any it held)."""
    store = SQLiteStore(path)
    store.list_roles()  # creates the file and its schema
    conn = sqlite3.connect(path)
    try:
        with conn:
            start = conn.execute(
                "SELECT COALESCE(MAX(position), -1) + 1 FROM scenarios WHERE role_key = ?", (role_key,)
            ).fetchone()[0]
            now = time.time()
            conn.executemany(
                "INSERT INTO scenarios (role_key, name, position, data, saved_at) VALUES (?, ?, ?, ?, ?)",
                (
                    (role_key, d["name"], start + i, json.dumps(d, ensure_ascii=False, separators=(",", ":")), now)
                    for i, d in ((i, scenario_data(base, i)) for i in range(n))
                ),
            )
    finally:
        conn.close()
    return store
