"""Break-even: every answer is checked by applying it (zone changes) and one unit less (it does not)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from strategies import role_assessments

from aijri_core import Zone, apply_changes, break_even, knobs, score
from aijri_core.methodology import DEFAULT

COLLAB = "Cross-functional collaboration (ML/DS/SWE teams)"
COST = "Cost management & GPU resource economics"
GPU = "GPU cluster & training infrastructure management"
SERVING = "Model serving & inference infrastructure"


def zone_after(a, knob_id, value):
    return score(apply_changes(a, {knob_id: value})).zone


def check_break_even(a):
    """Apply every answer and one unit less; unreachable rows: the range end keeps the zone."""
    result = break_even(a)
    base = score(a)
    assert (result.base_score, result.base_zone) == (base.score, base.zone)
    by_id = {k.id: k for k in knobs(a)}
    assert len(result.rows) == 2 * len(by_id)
    for r in result.rows:
        k = by_id[r.knob_id]
        sign = 1 if r.direction == "up" else -1
        assert r.unit == ("step" if k.integer else "point")
        if not r.reachable:
            end = k.max if r.direction == "up" else k.min
            assert (r.value, r.move, r.score, r.zone) == (None, None, None, None)
            assert zone_after(a, r.knob_id, end) == base.zone, r
            # at its limit exactly when the knob already sits at that end
            assert r.status == ("at_limit" if end == r.base_value else "no_change"), r
            assert r.text == ("at its limit" if end == r.base_value else "cannot change the zone")
            continue
        assert r.status == "changes_zone"
        assert r.move * sign > 0 and r.value == pytest.approx(r.base_value + r.move, abs=1e-9)
        s = score(apply_changes(a, {r.knob_id: r.value}))
        assert (s.score, s.zone) == (r.score, r.zone), r
        assert s.zone != base.zone, r
        unit = 1 if k.integer else 0.1
        less = round(r.value - sign * unit, 9)
        if (less - r.base_value) * sign > 1e-9:  # a smaller move exists
            assert zone_after(a, r.knob_id, less) == base.zone, r
        if k.integer:
            assert float(r.move).is_integer()
        else:  # a multiple of 0.1, or the move to the range end
            end = k.max if r.direction == "up" else k.min
            assert abs(r.move * 10 - round(r.move * 10)) < 1e-6 or r.value == end
    # order: zone changes by the smallest move (rating steps before share points), then the
    # moves that cannot change the zone, then those at their limit; ties in knob order
    order = {"changes_zone": 0, "no_change": 1, "at_limit": 2}
    keys = [(order[r.status], r.unit == "point", abs(r.move or 0)) for r in result.rows]
    assert keys == sorted(keys)
    knob_order = {(k.id, d): i for i, (k, d) in enumerate((k, d) for k in knobs(a) for d in ("up", "down"))}
    for r1, r2 in zip(result.rows, result.rows[1:], strict=False):
        if (order[r1.status], r1.unit, abs(r1.move or 0)) == (order[r2.status], r2.unit, abs(r2.move or 0)):
            assert knob_order[r1.knob_id, r1.direction] < knob_order[r2.knob_id, r2.direction]
    changes = [r for r in result.rows if r.status == "changes_zone"]
    assert result.easiest == (changes[0] if changes else None)
    return result


def test_break_even_seed_role(seed_role):
    result = check_break_even(seed_role)
    assert (result.base_score, result.base_zone) == (49.1, Zone.GREEN)
    growth_down = result.row("growth", "down")
    assert (growth_down.value, growth_down.move, growth_down.score, growth_down.zone) == (0, -1, 46.4, Zone.YELLOW)
    assert not result.row("growth", "up").reachable  # 51.8 Accelerated, 2 is the top: still GREEN
    for dim in ("job_postings", "company_actions", "wage_trends", "ai_tool_maturity", "expert_consensus"):
        r = result.row(f"evidence:{dim}", "down")
        assert (r.move, r.score, r.zone) == (-1, 47.2, Zone.YELLOW)
        assert not result.row(f"evidence:{dim}", "up").reachable
    # liability 1 -> 0 gives 48.0: still GREEN, so no barrier move changes the zone
    for barrier in ("regulatory", "physical_presence", "union", "liability", "cultural"):
        assert not result.row(f"barrier:{barrier}", "down").reachable
        assert not result.row(f"barrier:{barrier}", "up").reachable
    # the 5% task: +1 gives 48.3 (GREEN), +2 is needed (47.5 YELLOW)
    collab = result.row(f"task:{COLLAB}:score", "up")
    assert (collab.value, collab.move, collab.score, collab.zone) == (4, 2, 47.5, Zone.YELLOW)
    # a 10% task: +1 already gives 47.5 YELLOW
    cost = result.row(f"task:{COST}:score", "up")
    assert (cost.value, cost.move, cost.score, cost.zone) == (4, 1, 47.5, Zone.YELLOW)
    # shares, solved to 0.1 point: less time on the 25% score-2 task
    gpu_share = result.row(f"task:{GPU}:share", "down")
    assert (gpu_share.value, gpu_share.move, gpu_share.score, gpu_share.zone) == (15.2, -9.8, 47.9, Zone.YELLOW)
    serving = result.row(f"task:{SERVING}:share", "up")
    assert (serving.value, serving.move, serving.zone) == (32.7, 12.7, Zone.YELLOW)
    df = result.to_df()
    assert len(df) == 50 and {"knob_id", "direction", "value", "move", "zone", "status", "unit"} <= set(df.columns)
    # easiest first: a one-step rating move (the 25% GPU task's score 2 -> 3, 45.1 YELLOW);
    # the smallest share move is 9.8 points off the GPU task, listed after every rating move
    assert (result.easiest.knob_id, result.easiest.move, result.easiest.score) == (f"task:{GPU}:score", 1, 45.1)
    first_share = next(r for r in result.rows if r.unit == "point")
    assert (first_share.knob_id, first_share.move) == (f"task:{GPU}:share", -9.8)
    assert [r.knob_id for r in result.rows if r.status == "changes_zone" and r.unit == "step"][-1] == (
        f"task:{COLLAB}:score"  # the only two-step move
    )
    # the barriers at 0 cannot go down: at its limit (last), not "cannot change the zone"
    assert result.row("barrier:union", "down").status == "at_limit"
    assert result.row("barrier:liability", "down").status == "no_change"  # 1 -> 0 gives 48.0, still GREEN
    assert [r.status for r in result.rows[-5:]] == ["at_limit"] * 5


def test_threshold_crossings_seed_role(seed_role):
    result = break_even(seed_role)
    m = DEFAULT
    by = {(c.quantity, c.threshold): c for c in result.crossings}
    assert set(by) == {
        ("task_resistance", 48.0),
        ("task_resistance", 25.0),
        ("evidence_total", 48.0),
        ("evidence_total", 25.0),
    }
    tr48 = by["task_resistance", 48.0]
    assert tr48.current == pytest.approx(3.45) and tr48.reachable
    # (47.95 / 100 * 7.93 + 0.54) / (1.20 * 1.02 * 1.05) = 3.37880...
    assert tr48.value_needed == pytest.approx(3.378801, abs=1e-6)
    assert tr48.gap == pytest.approx(3.378801 - 3.45, abs=1e-6)
    e48 = by["evidence_total", 48.0]
    assert e48.current == 5 and e48.value_needed == pytest.approx(4.380878, abs=1e-6)

    def published(tr, e):
        raw = tr * (1 + m.evidence_weight * e) * (1 + m.barrier_weight * 1) * (1 + m.growth_weight * 1)
        from aijri_core.methodology import publish

        return publish((raw - m.normalisation_offset) / m.normalisation_span * 100, m)[0]

    for c in result.crossings:
        assert c.reachable
        eps = 1e-6
        if c.quantity == "task_resistance":
            above, below = published(c.value_needed + eps, 5), published(c.value_needed - eps, 5)
        else:
            above, below = published(3.45, c.value_needed + eps), published(3.45, c.value_needed - eps)
        assert above >= c.threshold > below
        assert above == c.threshold  # exactly on the threshold, as rounded


def test_threshold_crossing_unreachable():
    from aijri_core import bundled_role

    a = bundled_role("ai-infrastructure-engineer")
    # evidence at -10 and growth -2: no task resistance in 1..5 reaches GREEN
    low = apply_changes(
        a,
        {
            f"evidence:{d}": -2
            for d in ("job_postings", "company_actions", "wage_trends", "ai_tool_maturity", "expert_consensus")
        }
        | {"growth": -2},
    )
    by = {(c.quantity, c.threshold): c for c in break_even(low).crossings}
    assert not by["task_resistance", 48.0].reachable and by["task_resistance", 48.0].value_needed is None
    assert by["task_resistance", 48.0].gap is None
    # TR 3.45 at growth -2 still reaches GREEN with evidence 9.28 (in range)
    assert by["evidence_total", 48.0].reachable
    assert by["evidence_total", 48.0].value_needed == pytest.approx(9.2777, abs=1e-4)
    # every task at 5 (TR 1): no evidence total in -10..+10 reaches GREEN or YELLOW
    all5 = apply_changes(low, {k.id: 5 for k in knobs(low) if k.kind == "score"})
    by = {(c.quantity, c.threshold): c for c in break_even(all5).crossings}
    assert not by["evidence_total", 48.0].reachable and not by["evidence_total", 25.0].reachable


def test_break_even_yellow_role_goes_both_ways(seed_role):
    """A YELLOW variant: moves up reach GREEN, moves down reach RED where possible."""
    yellow = apply_changes(seed_role, {"growth": 0})
    result = check_break_even(yellow)
    assert result.base_zone == Zone.YELLOW
    up = result.row("growth", "up")
    assert (up.value, up.score, up.zone) == (1, 49.1, Zone.GREEN)
    # 2 -> 5 on a quarter of the time: TR 2.70, raw 3.305, 34.9, still YELLOW
    assert not result.row(f"task:{GPU}:score", "up").reachable
    assert score(apply_changes(yellow, {f"task:{GPU}:score": 5})).score == 34.9
    zones = {r.zone for r in result.rows if r.reachable}
    assert Zone.GREEN in zones


@settings(max_examples=25)
@given(a=role_assessments(max_tasks=4, extras=False, any_total=True))
def test_break_even_random_roles(a):
    check_break_even(a)


def test_crossings_follow_the_published_decimals(seed_role):
    """With two published decimals the half unit is 0.005: the score there publishes as 48.00."""
    from aijri_core.methodology import publish

    m = DEFAULT.with_changes(decimals=2)
    result = break_even(seed_role, methodology=m)
    c = next(c for c in result.crossings if c.quantity == "task_resistance" and c.threshold == 48)
    em, bm, gm = 1.2, 1.02, 1.05

    def published(tr):
        return publish((tr * em * bm * gm - m.normalisation_offset) / m.normalisation_span * 100, m)[0]

    assert published(c.value_needed + 1e-7) == 48.0 and published(c.value_needed - 1e-7) == 47.99
    assert c.value_needed == pytest.approx((47.995 / 100 * 7.93 + 0.54) / (em * bm * gm), abs=1e-12)
