"""The CLI at a team's size: export streams what the store holds, import takes more than the
app's upload cap in one transaction (all or nothing), and the app's cap says where to go."""

from __future__ import annotations

import pytest
from big_store import fill_sqlite

from aijri_core import bundled_role
from aijri_core.cli import main
from aijri_core.formats.scenarios_csv import (
    MAX_CSV_ROWS,
    CSVFormatError,
    scenarios_from_csv,
    scenarios_summary_csv,
    scenarios_to_csv,
)
from aijri_core.store import SQLiteStore

SLUG = "ai-infrastructure-engineer"
KEY = f"bundled:{SLUG}"
N = MAX_CSV_ROWS + 500  # one more than an upload may hold, in scenarios (each has several rows)


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "big.sqlite3"
    fill_sqlite(path, bundled_role(SLUG), KEY, N)
    return path


def test_export_streams_exactly_what_the_store_holds(big, tmp_path):
    store = SQLiteStore(big)
    items = store.list_scenarios(KEY)
    base = bundled_role(SLUG)
    for wide, expected in ((False, scenarios_to_csv(items, role=base.title)), (True, scenarios_summary_csv(base, items))):
        out = tmp_path / f"out-{wide}.csv"
        assert main(["scenarios", "export", "--db", str(big), "--role", KEY, "-o", str(out), *(["--wide"] if wide else [])]) == 0
        assert out.read_bytes() == expected
    assert not list(tmp_path.glob(".*.tmp"))  # the atomic write left nothing behind


def test_the_app_cap_names_the_command_line_which_imports_all_or_nothing(big, tmp_path, capsys):
    long_csv = tmp_path / "long.csv"
    assert main(["scenarios", "export", "--db", str(big), "--role", KEY, "-o", str(long_csv)]) == 0
    data = long_csv.read_bytes()
    with pytest.raises(CSVFormatError, match=rf"more than {MAX_CSV_ROWS:,} rows.*aijri scenarios import"):
        scenarios_from_csv(data, bundled_role(SLUG), max_bytes=len(data))
    target = tmp_path / "new.sqlite3"
    assert main(["scenarios", "import", str(long_csv), "--db", str(target), "--role", KEY]) == 0
    assert SQLiteStore(target).count_scenarios(KEY) == N
    # one bad row at the end: nothing of the file is saved
    bad = tmp_path / "bad.csv"
    bad.write_bytes(data + b"x,,,Bad one,,growth,7,\r\n")
    other = tmp_path / "other.sqlite3"
    assert main(["scenarios", "import", str(bad), "--db", str(other), "--role", KEY]) == 2
    assert "column value: '7' is out of range" in capsys.readouterr().err
    assert SQLiteStore(other).count_scenarios(KEY) == 0
