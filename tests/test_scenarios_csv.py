"""Scenario CSV: long export/import round trip, wide summary, injection guard, hostile files."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from formats_helpers import SEED, TRICKY_NAMES, all_knob_ids, scenario_lists, seed_scenarios
from hypothesis import given, settings

from aijri_core import AIJRIError, Scenario, bundled_role, score
from aijri_core.formats.csv_safety import guard, guard_optional, is_dangerous, unguard, unguard_optional
from aijri_core.formats.scenarios_csv import (
    LONG_COLUMNS,
    MAX_CSV_ROWS,
    CSVFormatError,
    format_value,
    scenarios_from_csv,
    scenarios_summary_csv,
    scenarios_to_csv,
)
from aijri_core.io import MAX_UPLOAD_BYTES
from aijri_core.knobs import apply

BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def seed():
    return bundled_role(SEED)


def _csv(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


# ---------------------------------------------------------------- guard helpers


@pytest.mark.parametrize("text", TRICKY_NAMES + ["", "plain", "'", "''"])
def test_guard_round_trip(text):
    assert unguard(guard(text)) == text
    assert not is_dangerous(guard(text))
    assert unguard_optional(guard_optional(text)) == text
    assert unguard_optional(guard_optional(None)) is None


def test_format_value_is_exact():
    assert format_value(2.0) == "2"
    assert format_value(-2.0) == "-2"
    assert format_value(33.333333333333336) == "33.333333333333336"
    assert float(format_value(0.1 + 0.2)) == 0.1 + 0.2
    assert format_value(1e-300) == "1e-300"


# ---------------------------------------------------------------- export


def test_long_export_layout(seed):
    data = scenarios_to_csv(seed_scenarios())
    assert data.startswith(BOM)
    text = data[len(BOM) :].decode("utf-8")
    lines = text.split("\r\n")
    assert lines[0] == ",".join(LONG_COLUMNS)
    assert lines[1] == "Evidence cools,,evidence:job_postings,0,postings flatten,"
    serving = seed.tasks[1].name
    assert lines[2] == f"Serving automated,2028,task:{serving}:score,4,,Managed platforms"
    assert lines[3] == f"Serving automated,2028,task:{serving}:share,30,,Managed platforms"
    assert lines[4] == "Growth +2,,growth,2,,"
    assert lines[5] == ""  # CRLF after the last row


def test_scenario_without_changes_has_one_row():
    data = scenarios_to_csv([Scenario(name="As is", note="n")])
    assert data.decode("utf-8-sig").splitlines()[1] == "As is,,,,n,"
    assert scenarios_from_csv(data) == [Scenario(name="As is", note="n")]


def test_pandas_sees_guarded_cells(seed):
    items = [
        Scenario(name='=HYPERLINK("http://evil.example","x")', changes={"growth": -1.0}),
        Scenario(name="-1 task", changes={"evidence:wage_trends": -2.0}, position="+2y", note="@risk"),
        Scenario(name="'already quoted", trajectory="=cmd"),
    ]
    data = scenarios_to_csv(items)
    df = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False, dtype=str)
    assert list(df.columns) == list(LONG_COLUMNS)
    assert df["scenario"].tolist() == ["'=HYPERLINK(\"http://evil.example\",\"x\")", "'-1 task", "''already quoted"]
    assert df["step"].tolist() == ["", "'+2y", ""]
    assert df["note"].tolist() == ["", "'@risk", ""]
    assert df["trajectory"].tolist() == ["", "", "'=cmd"]
    assert df["value"].tolist() == ["-1", "-2", ""]  # numbers stay numbers
    for col in ("scenario", "step", "note", "trajectory", "knob"):
        assert not any(is_dangerous(v) for v in df[col])
    # and the importer restores the names exactly
    assert scenarios_from_csv(data, seed) == items
    # the wide summary is guarded too
    wide = pd.read_csv(io.BytesIO(scenarios_summary_csv(seed, items)), encoding="utf-8-sig", dtype=str,
                       keep_default_na=False)
    assert wide["name"].tolist()[:2] == ["'=HYPERLINK(\"http://evil.example\",\"x\")", "'-1 task"]


def test_wide_summary_scores_each_scenario(seed):
    items = seed_scenarios()
    data = scenarios_summary_csv(seed, items)
    assert data.startswith(BOM)
    df = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)
    assert list(df.columns) == ["name", "step", "score", "zone", "sublabel", *all_knob_ids()]
    assert df["name"].tolist() == [s.name for s in items]
    for row, s in zip(df.itertuples(index=False), items, strict=True):
        expected = score(apply(seed, s))
        assert row.score == expected.score
        assert row.zone == expected.zone.label
        assert row.sublabel == (expected.sublabel or "")
    # hand-checked: growth +2 -> G mod 1.10 -> raw 4.6450 -> 51.8 GREEN Accelerated
    last = df.iloc[2]
    assert (last["score"], last["zone"], last["sublabel"], last["growth"]) == (51.8, "GREEN", "Accelerated", 2)
    # evidence job postings 1 -> 0: E 4 -> 1.16 -> raw 4.2861 -> 47.2 YELLOW
    first = df.iloc[0]
    assert (first["score"], first["zone"], first["evidence:job_postings"]) == (47.2, "YELLOW", 0)
    # serving at 30 %: the other tasks share 70 % in their old proportions
    serving = seed.tasks[1].name
    second = df.iloc[1]
    assert second[f"task:{serving}:share"] == 30
    assert second[f"task:{seed.tasks[0].name}:share"] == pytest.approx(25 * 70 / 80)
    assert str(second["step"]) == "2028"


# ---------------------------------------------------------------- round trip


@settings(max_examples=500, deadline=None)
@given(items=scenario_lists(max_size=5))
def test_export_import_is_identity(items):
    if not items:
        with pytest.raises(CSVFormatError, match="no scenarios"):
            scenarios_from_csv(scenarios_to_csv(items))
        return
    back = scenarios_from_csv(scenarios_to_csv(items))
    assert back == items
    for a, b in zip(items, back, strict=True):  # the values are the very same floats
        assert list(a.changes.items()) == list(b.changes.items())


def test_round_trip_with_base_checks(seed):
    items = seed_scenarios()
    assert scenarios_from_csv(scenarios_to_csv(items), seed) == items


def test_import_tolerates_spreadsheet_edits():
    data = _csv(
        "Scenario , STEP,Value,Knob",  # other order, case and spaces
        "a,,1,growth,,",  # trailing empty cells from a spreadsheet
        "",
        "b,2030,2,barrier:union",
        "a,,-1,evidence:wage_trends",  # rows of one scenario need not be together
    )
    got = scenarios_from_csv(data)
    assert got == [
        Scenario(name="a", changes={"growth": 1.0, "evidence:wage_trends": -1.0}),
        Scenario(name="b", changes={"barrier:union": 2.0}, position="2030"),
    ]


# ---------------------------------------------------------------- hostile files


HEADER = ",".join(LONG_COLUMNS)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02garbage", "NUL"),
        ("scenario,step,knob,value\nx,,growth,1\n".encode("utf-16"), "not UTF-8"),
        ("ünï,step\n".encode("latin-1"), "not UTF-8"),
        (_csv("scenario,step,knob"), "missing column\\(s\\) value"),
        (_csv("scenario,step,knob,value,colour"), "unknown column\\(s\\) 'colour'"),
        (_csv("scenario,step,knob,value,value"), "column 'value' appears twice"),
        (_csv(HEADER), "no scenarios"),
        (_csv(HEADER, "a,,growth,1,,,extra"), "line 2: 7 cells; expected 6"),
        (_csv(HEADER, "a,,growth"), "line 2: 3 cells"),
        (_csv(HEADER, ",,growth,1,,"), "line 2, column scenario: empty"),
        (_csv(HEADER, "a,,colour,1,,"), "line 2, column knob: unknown knob 'colour'"),
        (_csv(HEADER, "a,,evidence:vibes,1,,"), "unknown knob 'evidence:vibes'"),
        (_csv(HEADER, "a,,growth,high,,"), "line 2, column value: 'high' is not a number; allowed: a whole number"),
        (_csv(HEADER, "a,,growth,nan,,"), "not a finite number"),
        (_csv(HEADER, "a,,growth,3,,"), "line 2, column value: '3' is out of range; allowed: a whole number from -2 to \\+2"),
        (_csv(HEADER, "a,,barrier:union,1.5,,"), "not a whole number; allowed: a whole number from 0 to 2"),
        (_csv(HEADER, "a,,task:x:share,101,,"), "out of range; allowed: a percentage from 0 to 100"),
        (_csv(HEADER, "a,,growth,,,"), "column value: empty for knob 'growth'"),
        (_csv(HEADER, "a,,,1,,"), "column knob: empty"),
        (_csv(HEADER, "a,,growth,1,,", "b,,growth,1,,", "a,,growth,2,,"), "line 4, column knob: scenario 'a' sets 'growth' again \\(first on line 2\\)"),
        (_csv(HEADER, "a,2028,growth,1,,", "a,2029,barrier:union,1,,"), "line 3, column step: scenario 'a' has '2029' here but '2028' on line 2"),
        (_csv(HEADER, 'a,,growth,"1,,'), "line 2: not valid CSV"),
        (_csv(HEADER, "x" * 300 + ",,growth,1,,"), "line 2: scenario 'x.*name"),
    ],
)
def test_hostile_files_get_one_clear_message(data, message):
    with pytest.raises(CSVFormatError, match=message) as info:
        scenarios_from_csv(data)
    assert "\n" not in str(info.value)


def test_unknown_knob_for_the_base_role(seed):
    data = _csv(HEADER, "a,,task:No such task:score,2,,")
    assert scenarios_from_csv(data)[0].changes == {"task:No such task:score": 2.0}  # fine by form
    with pytest.raises(CSVFormatError, match="line 2, column knob: unknown knob 'task:No such task:score' for this role"):
        scenarios_from_csv(data, seed)


def test_shares_that_cannot_apply_name_the_scenario(seed):
    t0, t1 = seed.tasks[0].name, seed.tasks[1].name
    data = _csv(HEADER, f"a,,task:{t0}:share,70,,", f"a,,task:{t1}:share,60,,")
    with pytest.raises(CSVFormatError, match="line 2: scenario 'a': task shares: .*130"):
        scenarios_from_csv(data, seed)


def test_too_large_and_too_many_rows():
    with pytest.raises(CSVFormatError, match="too large"):
        scenarios_from_csv(b"a" * (MAX_UPLOAD_BYTES + 1))
    rows = [HEADER] + [f"s{i},,growth,1,," for i in range(MAX_CSV_ROWS + 1)]
    with pytest.raises(CSVFormatError, match=f"more than {MAX_CSV_ROWS:,} rows"):
        scenarios_from_csv(_csv(*rows))


def test_ten_thousand_rows_import(seed):
    rows = [HEADER] + [f"s{i},,growth,{i % 5 - 2},," for i in range(10_000)]
    got = scenarios_from_csv(_csv(*rows), seed)
    assert len(got) == 10_000
    assert got[7] == Scenario(name="s7", changes={"growth": 0.0})


def test_str_input_and_bom_are_accepted():
    text = "\ufeff" + HEADER + "\nx,,growth,1,,\n"
    assert scenarios_from_csv(text) == [Scenario(name="x", changes={"growth": 1.0})]
    assert isinstance(CSVFormatError("x"), AIJRIError)


def test_semicolon_and_tab_separated_files():
    """Spreadsheets in some locales save with ';' (or tabs); the importer follows the header."""
    items = seed_scenarios()
    text = scenarios_to_csv(items).decode("utf-8-sig")
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    for sep in (";", "\t"):
        again = df.to_csv(sep=sep, index=False).encode("utf-8")
        assert scenarios_from_csv(again) == items
