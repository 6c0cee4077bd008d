"""`aijri import-doc / export-doc / scenarios export|import|list / report` end to end."""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from pathlib import Path

import pytest
from formats_helpers import SEED, seed_scenarios

from aijri_core import bundled_role
from aijri_core.cli import main
from aijri_core.formats.document import parse_assessment_document
from aijri_core.formats.scenarios_csv import scenarios_from_csv, scenarios_to_csv
from aijri_core.io import parse_assessment_json
from aijri_core.store import SQLiteStore, bundled_role_key, stored_role_key

SEED_DOC = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_9471be76e2adeac9.txt"
KEY = bundled_role_key(SEED)


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "store.sqlite3"
    monkeypatch.setenv("AIJRI_DB", str(path))
    return path


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line_error(err: str) -> None:
    assert err.startswith("aijri: error: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err


def _seed_doc(tmp_path: Path) -> Path:
    if SEED_DOC.is_file():
        return SEED_DOC
    return Path(__file__).resolve().parent / "fixtures" / "seed_like_document.txt"


def test_import_doc_to_file_with_audit(tmp_path, capsys):
    out_path = tmp_path / "role.json"
    code, out, err = _run(capsys, "import-doc", str(_seed_doc(tmp_path)), "-o", str(out_path), "--audit")
    assert code == 0
    assert "all 30 stated figures match the method" in out or "stated figures match" in out
    role = parse_assessment_json(out_path.read_bytes())
    seed = bundled_role(SEED)
    assert [(t.name, t.time_share, t.score, t.mode) for t in role.tasks] == [
        (t.name, t.time_share, t.score, t.mode) for t in seed.tasks
    ]
    assert role.published == seed.published
    assert "wrote" in err


def test_import_doc_audit_names_a_slip(tmp_path, capsys):
    text = _seed_doc(tmp_path).read_text(encoding="utf-8").replace("= 4.4339", "= 4.4439")
    doc = tmp_path / "slip.txt"
    doc.write_text(text, encoding="utf-8")
    code, out, err = _run(capsys, "import-doc", str(doc), "--audit")
    assert code == 1
    json.loads(out)  # stdout stays valid JSON; the audit goes to stderr
    assert "raw" in err and "DIFFERS" in err and "4.4439" in err


def test_export_doc_round_trips(tmp_path, capsys):
    code, out, _ = _run(capsys, "export-doc", SEED)
    assert code == 0
    parsed, audit = parse_assessment_document(out)
    assert parsed == bundled_role(SEED)
    assert audit.ok


def test_scenarios_import_export_list(tmp_path, capsys, db):
    csv_path = tmp_path / "in.csv"
    items = seed_scenarios()
    csv_path.write_bytes(scenarios_to_csv(items, role=bundled_role(SEED).title))  # export names the role
    code, out, _ = _run(capsys, "scenarios", "import", str(csv_path))
    assert code == 0 and f"imported 3 scenarios into {KEY}" in out
    assert SQLiteStore(db).list_scenarios(KEY) == items
    # a second import clashes and changes nothing
    code, _, err = _run(capsys, "scenarios", "import", str(csv_path))
    assert code == 2
    _one_line_error(err)
    assert "--overwrite" in err
    code, _, _ = _run(capsys, "scenarios", "import", str(csv_path), "--overwrite")
    assert code == 0
    assert SQLiteStore(db).list_scenarios(KEY) == items
    out_path = tmp_path / "out.csv"
    code, _, _ = _run(capsys, "scenarios", "export", "-o", str(out_path))
    assert code == 0
    assert out_path.read_bytes() == csv_path.read_bytes()
    assert scenarios_from_csv(out_path.read_bytes()) == items
    code, out, _ = _run(capsys, "scenarios", "export", "--wide", "-o", "-")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 4 and lines[0].lstrip("\ufeff").startswith(
        "role,trajectory,step,scenario,note,score,zone,sublabel,GPU cluster & training infrastructure management: score,")
    assert lines[3].startswith("AI Infrastructure Engineer,,,Growth +2,,51.8,GREEN,Accelerated,")
    code, out, _ = _run(capsys, "scenarios", "list")
    assert KEY in out and "Serving automated [Managed platforms: 2028]" in out


def test_explicit_db_and_stored_role(tmp_path, capsys, db):
    other = tmp_path / "other.sqlite3"
    store = SQLiteStore(other)
    store.save_role(bundled_role(SEED), name="Mine")
    csv_path = tmp_path / "in.csv"
    csv_path.write_bytes(scenarios_to_csv(seed_scenarios()[:1]))
    code, _, _ = _run(capsys, "scenarios", "import", str(csv_path), "--db", str(other), "--role", stored_role_key("Mine"))
    assert code == 0
    assert [s.name for s in store.list_scenarios(stored_role_key("Mine"))] == ["Evidence cools"]
    assert not db.exists()  # the default store was not touched
    code, _, err = _run(capsys, "scenarios", "import", str(csv_path), "--db", str(other), "--role", "stored:Nope")
    assert code == 2 and "no role named 'Nope'" in err


def test_export_needs_a_role_when_ambiguous(tmp_path, capsys, db):
    code, _, err = _run(capsys, "scenarios", "export", "-o", str(tmp_path / "x.csv"))
    assert code == 2 and "no scenarios saved" in err
    store = SQLiteStore(db)
    store.save_role(bundled_role(SEED), name="Mine")
    store.save_scenario(bundled_role_key(SEED), seed_scenarios()[0])
    store.save_scenario(stored_role_key("Mine"), seed_scenarios()[0])
    code, _, err = _run(capsys, "scenarios", "export", "-o", str(tmp_path / "x.csv"))
    assert code == 2 and "choose one with --role" in err
    _one_line_error(err)
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"scenario,step\x00,knob,value\r\n", "NUL"),
        (os.urandom(64) + b"\xff", "not UTF-8"),
        (b"\xff\xfe\x80junk", "not UTF-8"),
        (b"scenario,step,knob,value\r\nx,,task:Nope:score,3\r\n", "'AI Infrastructure Engineer' has no task 'Nope'; allowed: give both"),
        (b"scenario,step,knob,value\r\nx,,growth,9\r\n", "out of range"),
        (b"name,value\r\n", "unknown column"),
    ],
)
def test_bad_csv_changes_nothing(tmp_path, capsys, db, content, message):
    store = SQLiteStore(db)
    store.save_scenario(KEY, seed_scenarios()[0])
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    code, _, err = _run(capsys, "scenarios", "import", str(path))
    assert code == 2
    _one_line_error(err)
    assert message in err
    assert store.list_scenarios(KEY) == [seed_scenarios()[0]]


def test_report(tmp_path, capsys):
    csv_path = tmp_path / "s.csv"
    csv_path.write_bytes(scenarios_to_csv(seed_scenarios()))
    out_path = tmp_path / "report.html"
    code, _, err = _run(capsys, "report", SEED, "--scenarios", str(csv_path), "-o", str(out_path))
    assert code == 0 and "wrote" in err
    html = out_path.read_text(encoding="utf-8")
    assert ">49.1</span>" in html and "Serving automated" in html
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.IGNORECASE)


def test_missing_and_oversized_inputs(tmp_path, capsys):
    code, _, err = _run(capsys, "import-doc", str(tmp_path / "none.txt"))
    assert code == 2
    _one_line_error(err)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (3 * 1024 * 1024))
    code, _, err = _run(capsys, "import-doc", str(big))
    assert code == 2 and "too large" in err
    code, _, err = _run(capsys, "report", SEED, "-o", str(tmp_path))
    assert code == 2 and "is a folder" in err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX device files")
def test_output_to_a_device_writes_into_it(tmp_path, capsys):
    """-o /dev/null must write into the device, never replace it with a regular file."""
    code, _, _ = _run(capsys, "export-doc", SEED, "-o", os.devnull)
    assert code == 0
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
