"""`aijri report` for a client hand-out and the scenario CSV layouts at the command line."""

from __future__ import annotations

import re

import pytest
from formats_helpers import SEED, seed_scenarios

from aijri_core import bundled_role
from aijri_core.cli import main
from aijri_core.formats.scenarios_csv import scenarios_summary_csv, scenarios_to_csv
from aijri_core.store import SQLiteStore, bundled_role_key
from aijri_core.trajectories import bundled_trajectories

KEY = bundled_role_key(SEED)


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def csv_path(tmp_path):
    items = seed_scenarios() + [sc for scs in bundled_trajectories(SEED).values() for sc in scs]
    path = tmp_path / "s.csv"
    path.write_bytes(scenarios_to_csv(items, role="AI Infrastructure Engineer"))
    return path


def _scenario_rows(html: str) -> list[str]:
    """Scenario names in the hand-out's scenario table (its Scenario column, after the role as assessed)."""
    table = html[html.index("<h2>The scenarios</h2>"):html.index("<h2>What each step changes</h2>")]
    headers = re.findall(r"<th[^>]*>(.*?)</th>", table)
    body = table[table.index("<tbody>"):table.index("</tbody>")]
    column = headers.index("Scenario")
    return [re.findall(r"<td[^>]*>(.*?)</td>", row)[column] for row in re.findall(r"<tr>(.*?)</tr>", body)][1:]


def test_report_of_chosen_scenarios_and_a_trajectory(tmp_path, capsys, csv_path):
    out = tmp_path / "handout.html"
    code, _, err = _run(capsys, "report", SEED, "--scenarios", str(csv_path), "--only", "Growth +2",
                        "--only", "Evidence cools", "--trajectory", "Seniority", "--title", "Alex: your path",
                        "--note", "Talk again in March.", "--date", "2026-12-01", "-o", str(out))
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    seniority = [sc.name for sc in bundled_trajectories(SEED)["Seniority"]]
    assert _scenario_rows(html) == ["Growth +2", "Evidence cools", *seniority]
    assert "Serving automated" not in html  # not chosen
    assert "<h1>Alex: your path</h1>" in html and "1 December 2026" in html and "Talk again in March." in html
    assert "1 December 2026" in html
    assert "Analyst appendix" not in html  # off unless asked for


def test_report_named_after_its_title_with_the_appendix_on_request(tmp_path, capsys, csv_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = _run(capsys, "report", SEED, "--scenarios", str(csv_path), "--trajectory", "Seniority",
                        "--title", "Alex: your path", "--appendix")
    assert code == 0, err
    html = (tmp_path / "alex-your-path.html").read_text(encoding="utf-8")
    assert "wrote alex-your-path.html" in err
    assert "Analyst appendix: how the score is computed" in html and "Break-even" in html
    code, _, err = _run(capsys, "report", SEED)  # no title: the role's
    assert code == 0, err
    assert (tmp_path / "ai-infrastructure-engineer.html").is_file()


def test_report_choices_name_what_exists(tmp_path, capsys, csv_path):
    out = str(tmp_path / "r.html")
    code, _, err = _run(capsys, "report", SEED, "--scenarios", str(csv_path), "--only", "Nope", "-o", out)
    assert code == 2 and "--only: no scenario named 'Nope'; allowed: one of 'Evidence cools'" in err
    code, _, err = _run(capsys, "report", SEED, "--scenarios", str(csv_path), "--trajectory", "Nope", "-o", out)
    assert code == 2 and "--trajectory: no trajectory named 'Nope'; allowed: one of 'Managed platforms', 'Seniority'" in err
    code, _, err = _run(capsys, "report", SEED, "--only", "x", "-o", out)
    assert code == 2 and "pass the CSV too" in err
    code, _, err = _run(capsys, "report", SEED, "--date", "1 Dec", "-o", out)
    assert code == 2 and "'1 Dec' is not a date; allowed: YYYY-MM-DD" in err
    assert len(err.strip().splitlines()[-1]) > 0 and not (tmp_path / "r.html").exists()


def test_scenarios_export_writes_the_role_and_import_reads_the_wide_layout(tmp_path, capsys, monkeypatch):
    db = tmp_path / "store.sqlite3"
    monkeypatch.setenv("AIJRI_DB", str(db))
    wide = tmp_path / "wide.csv"
    wide.write_bytes(scenarios_summary_csv(bundled_role(SEED), seed_scenarios()))
    code, out, err = _run(capsys, "scenarios", "import", str(wide))
    assert code == 0, err
    saved = SQLiteStore(db).list_scenarios(KEY)
    assert [s.name for s in saved] == [s.name for s in seed_scenarios()]
    assert saved[0] == seed_scenarios()[0] and saved[2] == seed_scenarios()[2]
    long = tmp_path / "long.csv"
    code, _, err = _run(capsys, "scenarios", "export", "-o", str(long))
    assert code == 0, err
    lines = long.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == "role,trajectory,step,scenario,input,knob,value,note"
    assert lines[1] == ("AI Infrastructure Engineer,,,Evidence cools,Evidence: Job posting trends,"
                        "evidence:job_postings,0,postings flatten")


def test_import_lists_every_bad_line_on_the_error_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("AIJRI_DB", str(tmp_path / "store.sqlite3"))
    bad = tmp_path / "bad.csv"
    bad.write_text("scenario,knob,value\nA,growth,9\nB,barrier:union,x\nC,colour,1\n", encoding="utf-8")
    code, _, err = _run(capsys, "scenarios", "import", str(bad))
    assert code == 2
    assert err.startswith("aijri: error: bad.csv: 3 problems; nothing imported: (1) line 2, column value: '9' is out"
                          " of range; allowed: a whole number from -2 to +2 (2) line 3, column value: 'x' is not a"
                          " number; allowed: a whole number from 0 to 2 (3) line 4, column knob: unknown knob 'colour'")
    assert SQLiteStore(tmp_path / "store.sqlite3").list_scenarios(KEY) == []
