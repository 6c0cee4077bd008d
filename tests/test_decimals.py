"""The method's decimals reach every number: with decimals = 2 the Explorer (AppTest) shows the
strings `aijri breakeven` and `aijri goalseek` print for the same role and method."""

from __future__ import annotations

import json
import re

import pytest
from app_helpers import (
    assert_no_exception,
    new_app,
    score_text,
    shown,
    store_path,  # noqa: F401 - fixture
)
from test_app_explorer import _open_tab, _table

from aijri_core import bundled_role
from aijri_core.cli import main
from aijri_core.methodology import DEFAULT
from aijri_core.urlstate import encode_state

SLUG = "ai-infrastructure-engineer"
TWO = DEFAULT.with_changes(decimals=2)
SCORE_2 = re.compile(r"^\d+\.\d\d$")


def _cli_rows(capsys, tmp_path, command: str, columns: int) -> tuple[str, list[list[str]]]:
    """The header line and the table rows (cells split on runs of 2+ spaces) of a CLI command."""
    method = tmp_path / "method.json"
    method.write_text(json.dumps({"decimals": 2}), encoding="utf-8")
    assert main([command, SLUG, "--methodology", str(method)]) == 0
    out = capsys.readouterr().out.splitlines()
    rows = [re.split(r"\s{2,}", line.strip()) for line in out]
    return out[0], [r for r in rows if len(r) == columns and r[0].startswith(("task:", "evidence:", "barrier:", "growth"))]


@pytest.fixture
def app(store_path):  # noqa: F811
    at = new_app(encode_state(f"bundled:{SLUG}", bundled_role(SLUG), methodology=TWO)).run()
    assert_no_exception(at)
    return at


def test_break_even_on_the_page_reads_as_the_cli_prints_it(app, capsys, tmp_path):
    header, cli = _cli_rows(capsys, tmp_path, "breakeven", 7)
    assert header.endswith(f": {score_text(app)} GREEN") and SCORE_2.match(score_text(app))  # 49.14
    flips = [(f"{d} {move}", now, to, score, zone) for _, d, now, to, move, score, zone in cli if SCORE_2.match(score)]
    assert flips, "the CLI lists moves that change the zone"
    page = _table(app, "break_even_table")
    assert [tuple(r) for r in page[["Move", "Now", "To", "Score then", "Zone then"]].itertuples(index=False)] == flips
    easiest = next(shown(md.value) for md in app.markdown if "Easiest change of zone" in md.value)
    move, _, to, score, zone = flips[0]
    assert f"to {to} ({move.split(' ', 1)[1]}) gives {score} {zone}." in easiest


def test_goal_seek_on_the_page_reads_as_the_cli_prints_it(app, capsys, tmp_path):
    _, cli = _cli_rows(capsys, tmp_path, "goalseek", 6)
    _open_tab(app, "Goal seek")
    knob_id = app.selectbox(key="goal_knob").value
    answer = " ".join(shown(md.value) for md in app.markdown if "gives" in md.value)
    row = next(r for r in cli if r[0] == knob_id and SCORE_2.match(r[4]))
    assert f"gives {row[4]} {row[5]}" in answer
