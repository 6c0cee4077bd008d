"""Goal seek: every answer checked against an independent bisection (apply_changes + score),
and one unit closer (a level, or 0.01 point for shares) is not yet past the target."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import role_assessments

from aijri_core.analyses import goal_seek, nearest_zone_line
from aijri_core.errors import AIJRIError
from aijri_core.knobs import KnobError, apply_changes, knob, values
from aijri_core.methodology import DEFAULT, Zone
from aijri_core.scoring import score

GPU = "GPU cluster & training infrastructure management"
CUDA = "CUDA/NCCL performance optimisation & debugging"


def _published(a, kid, v, held=None) -> float:
    """Published score with one knob moved (and ``held`` shares kept where they are)."""
    return score(apply_changes(a, {**(held or {}), kid: v})).score


def _bisect_boundary(passes, lo: float, hi: float) -> float:
    """Smallest x in (lo, hi] with passes(x) for a monotone predicate (passes(hi) True), to 1e-9."""
    while hi - lo > 1e-9:
        mid = (lo + hi) / 2
        if passes(mid):
            hi = mid
        else:
            lo = mid
    return hi


def _expected(a, kid: str, target: float, seeking: str, held=None, hi=None):
    """(direction, value or None) by brute force: the helpful direction from the two ends, then a
    bisection on the real line (shares, then the 0.01 grid) or a walk over the levels."""
    k = knob(a, kid)
    b = float(values(a)[kid])
    top = k.max if hi is None else hi
    held = {h: v for h, v in (held or {}).items() if h != kid}

    def published(kid, v):
        return _published(a, kid, v, held)

    def ok(s):
        return s >= target if seeking == "at_least" else s < target

    s_max, s_min = published(kid, top), published(kid, k.min)
    up = s_max >= s_min if seeking == "at_least" else s_max <= s_min
    end = top if up else k.min
    if end == b or not ok(published(kid, end)):
        return ("up" if up else "down"), None
    if k.integer:
        step = 1 if up else -1
        v = b + step
        while not ok(published(kid, v)):
            v += step
        return ("up" if up else "down"), float(v)
    sign = 1 if up else -1
    # passes(x): the share moved x points from the base towards the end passes the target
    x = _bisect_boundary(lambda d: ok(published(kid, b + sign * d)), 0.0, abs(end - b))
    edge = b + sign * x  # the real boundary; the answer is the first 0.01 grid value past it
    grid = math.ceil(round(edge * 100, 6)) / 100 if up else math.floor(round(edge * 100, 6)) / 100
    if (grid - b) * sign <= 1e-9:  # the grid value must lie strictly beyond the base
        grid = round(grid + sign * 0.01, 2)
    for cand in (round(grid - sign * 0.01, 2), grid, round(grid + sign * 0.01, 2)):
        if (cand - b) * sign > 1e-9 and (cand - end) * sign <= 1e-9 and ok(published(kid, cand)):
            return ("up" if up else "down"), cand
    return ("up" if up else "down"), end


def _check_against_bisection(a, result, held=None, ranges=None) -> None:
    """``held``: shares pinned at their values; ``ranges``: knob id -> the top of its range there."""
    t = result.target
    for r in result.rows:
        hi = (ranges or {}).get(r.knob_id)
        direction, value = _expected(a, r.knob_id, math.ceil(round(t * 10, 6)) / 10, result.seeking, held, hi)
        assert r.direction == direction, r
        assert r.reachable == (value is not None), r
        if value is None:
            assert r.value is None and r.score is None and r.zone is None, r
            assert r.status in ("at_limit", "unreachable")
            continue
        assert r.status == "reachable"
        assert r.value == pytest.approx(value, abs=1e-9), r
        moved = score(
            apply_changes(a, {**{h: v for h, v in (held or {}).items() if h != r.knob_id}, r.knob_id: r.value})
        )
        assert (moved.score, moved.zone) == (r.score, r.zone)
        passed = moved.score >= t if result.seeking == "at_least" else moved.score < t
        assert passed, r
        # one unit closer is not yet past the target (or is the current value itself)
        unit = 1.0 if knob(a, r.knob_id).integer else 0.01
        closer = round(r.value - unit if r.direction == "up" else r.value + unit, 9)
        if (closer - r.base_value) * (1 if r.direction == "up" else -1) > 1e-9:
            s = _published(a, r.knob_id, closer, {h: v for h, v in (held or {}).items() if h != r.knob_id})
            assert not (s >= t if result.seeking == "at_least" else s < t), (r, closer, s)


def test_seed_role_default_target_is_the_green_line(seed_role):
    r = goal_seek(seed_role)
    assert (r.base_score, r.target, r.seeking) == (49.1, 48.0, "below")
    # hand-checked: GPU score 2 -> 3 costs 0.25 x 1 of weighted score: TR 3.20 -> 45.1 YELLOW
    gpu = r.row(f"task:{GPU}:score")
    assert (gpu.direction, gpu.value, gpu.score, gpu.zone) == ("up", 3.0, 45.1, Zone.YELLOW)
    # barriers are all 0 in the seed: lowering one is impossible
    assert r.row("barrier:union").status == "at_limit"
    assert r.row("barrier:union").text == "at its limit"
    _check_against_bisection(seed_role, r)


@pytest.mark.parametrize("target", [60.0, 52.5, 49.15, 48.0, 45.0, 40.0, 0.0, 100.0])
def test_seed_role_any_target_matches_bisection(seed_role, target):
    _check_against_bisection(seed_role, goal_seek(seed_role, target))


def test_share_answers_are_on_the_0_01_grid(seed_role):
    r = goal_seek(seed_role, 48.0, knob_id=f"task:{CUDA}:share")
    (row,) = r.rows
    assert row.value == round(row.value, 2)
    assert row.direction == "down" and row.zone == Zone.YELLOW
    assert _published(seed_role, row.knob_id, round(row.value + 0.01, 2)) >= 48.0


def test_unreachable_targets(seed_role):
    r = goal_seek(seed_role, 100.0)
    assert r.seeking == "at_least"
    assert not any(x.reachable for x in r.rows)
    assert {x.status for x in r.rows} <= {"unreachable", "at_limit"}
    assert r.row("growth").text == "cannot reach it within the range"
    # the continuous view: task resistance 5 is not enough for 100 here
    assert [c.reachable for c in r.crossings] == [False, False]


def test_continuous_view_for_any_target(seed_role):
    r = goal_seek(seed_role, 50.0)
    tr = next(c for c in r.crossings if c.quantity == "task_resistance")
    # TR needed x modifiers = raw, raw = (50 - 0.05) / 100 x span + offset (published 50.0 reached)
    s = score(seed_role)
    raw = (50 - 0.05) / 100 * DEFAULT.normalisation_span + DEFAULT.normalisation_offset
    assert tr.value_needed == pytest.approx(raw / (s.evidence_modifier * s.barrier_modifier * s.growth_modifier))
    assert tr.current == pytest.approx(s.task_resistance)


def test_target_between_published_steps_is_reached_at_the_next_step(seed_role):
    a = goal_seek(seed_role, 49.13, knob_id="growth")
    b = goal_seek(seed_role, 49.2, knob_id="growth")
    assert a.rows == b.rows and a.target == 49.13


@pytest.mark.parametrize("bad", [-1, 100.5, float("nan"), "50", True])
def test_bad_targets_name_the_range(seed_role, bad):
    with pytest.raises(AIJRIError, match="target .* allowed: a score from 0 to 100"):
        goal_seek(seed_role, bad)


def test_unknown_knob_is_refused(seed_role):
    with pytest.raises(KnobError, match="unknown knob"):
        goal_seek(seed_role, 50, knob_id="task:nope:score")


def test_nearest_zone_line():
    # the published lines are 25 (YELLOW) and 48 (GREEN)
    assert nearest_zone_line(49.1) == 48.0
    assert nearest_zone_line(37.0) == 48.0  # 11 points from 48, 12 from 25
    assert nearest_zone_line(36.0) == 25.0
    assert nearest_zone_line(36.5) == 25.0  # a tie takes the lower line


def test_to_df_has_the_row_fields(seed_role):
    df = goal_seek(seed_role, 48.0).to_df()
    assert list(df.columns[:9]) == [
        "knob_id",
        "label",
        "group",
        "base_value",
        "direction",
        "reachable",
        "value",
        "score",
        "zone",
    ]
    assert set(df["zone"].dropna()) <= {"Green", "Yellow", "Red"}


@settings(max_examples=25, deadline=None)
@given(role_assessments(extras=False, max_tasks=4, any_total=True), st.integers(0, 1000))
def test_random_roles_and_targets_match_bisection(a, t10):
    _check_against_bisection(a, goal_seek(a, t10 / 10))


@settings(max_examples=20, deadline=None)
@given(role_assessments(extras=False, min_tasks=3, max_tasks=4, any_total=True), st.integers(0, 1000), st.data())
def test_goal_seek_with_pinned_shares_matches_bisection(a, t10, data):
    names = [t.name for t in a.tasks]
    pinned = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names) - 2, unique=True))
    held = {f"task:{n}:share": a.task(n).time_share for n in pinned}
    result = goal_seek(a, t10 / 10, pinned=pinned)
    # the room the held shares leave, on the shares as written (101.0 - 75.8 leaves 25.2)
    exact = {t.name: Fraction(repr(t.time_share)) for t in a.tasks}
    ranges = {
        f"task:{n}:share": min(
            100.0,
            float(sum(exact.values()) - (sum(exact[p] for p in pinned) - (exact[n] if n in pinned else 0))),
        )
        for n in names
    }
    _check_against_bisection(a, result, held, ranges)
