"""textfmt: the one set of number formats, the plain-text table and the break-even / goal-seek rows."""

from __future__ import annotations

import pytest

from aijri_core.analyses import break_even, goal_seek
from aijri_core.methodology import Zone
from aijri_core.textfmt import (
    exact,
    fixed,
    knob_number,
    knob_rows,
    move_text,
    percent,
    shortest,
    signed,
    signed_fixed,
    table,
    trimmed,
    zone_text,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (fixed(2.345, 2), "2.35"),  # half away from zero, on the decimal value (2.345 is stored as 2.34499..)
        (fixed(-0.125, 2), "-0.13"),
        (fixed(47.95, 1), "48.0"),
        (trimmed(55.0), "55"),
        (trimmed(12.5), "12.5"),
        (trimmed(-0.04), "0"),
        (trimmed(37.25, 3), "37.25"),
        (percent(55), "55%"),
        (percent(33.333), "33.3%"),
        (signed(0), "0"),
        (signed(-2), "-2"),
        (signed(1), "+1"),
        (signed_fixed(1.25, 1), "+1.3"),
        (signed_fixed(-0.5, 1), "-0.5"),
        (shortest(1.2), "1.20"),
        (shortest(4.43394), "4.4339"),
        (shortest(0.125), "0.125"),
        (exact(25.0), "25"),
        (exact(0.1), "0.1"),
        (exact(1e-05), "1e-05"),
        (zone_text(Zone.GREEN, "Transforming"), "GREEN (Transforming)"),
        (zone_text(Zone.YELLOW, None), "YELLOW"),
        (knob_number("share", 25), "25.0"),
        (knob_number("share", 15.287, 2), "15.29"),
        (knob_number("evidence", 0), "0"),
        (knob_number("growth", 1), "+1"),
        (knob_number("barrier", 2), "2"),
        (move_text("point", -9.8), "-9.8 points"),
        (move_text("point", 1.0), "+1.0 point"),
        (move_text("step", -1), "-1 step"),
        (move_text("step", 2), "+2 steps"),
    ],
)
def test_number_formats(text, expected):
    assert text == expected


def test_table():
    lines = table(["Name", "Score"], [["a", "1.5"], ["long name", "10"]], [False, True], indent="  ")
    assert lines == [
        "  Name       Score",
        "  ---------  -----",
        "  a            1.5",
        "  long name     10",
    ]
    assert table(["Only"], [], [False]) == ["Only", "----"]


def test_break_even_rows_on_the_seed(seed_role):
    """Seed: growth +1 -> 0 publishes 46.4 YELLOW (1 + 0 x 0.05 = 1.00: 3.45 x 1.20 x 1.02 = 4.2228,
    (4.2228 - 0.54) / 7.93 x 100 = 46.44); the first task's share down to 15.2 gives 47.9."""
    rows = knob_rows(break_even(seed_role), seed_role, decimals=1)
    growth = next(r for r in rows if r.knob_id == "growth" and r.direction == "down")
    assert (growth.now, growth.to, growth.move, growth.score, growth.zone) == ("+1", "0", "-1 step", "46.4", "YELLOW")
    share = next(r for r in rows if r.knob_id.endswith("management:share") and r.direction == "down")
    assert (share.now, share.to, share.score, share.zone) == ("25.0", "15.2", "47.9", "YELLOW")
    assert share.move == f"{signed_fixed(share.row.move, 1)} points"
    stuck = [r for r in rows if not r.reachable]
    assert stuck and all(r.to in ("cannot change the zone", "at its limit") and r.score == "" for r in stuck)


def test_goal_seek_rows_use_two_decimals_for_shares(seed_role):
    rows = knob_rows(goal_seek(seed_role), seed_role, decimals=1, share_places=2)
    share = next(r for r in rows if r.knob_id.endswith("management:share") and r.reachable)
    assert share.now == "25.00" and share.to == fixed(share.row.value, 2)
