"""Tornado, spider, sweep and zone map on the bundled role (49.1 GREEN) and on random roles."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import role_assessments

from aijri_core import AIJRIError, Zone, apply_changes, knobs, score, spider, sweep, tornado, zone_map
from aijri_core.methodology import DEFAULT

GPU = "GPU cluster & training infrastructure management"
SERVING = "Model serving & inference infrastructure"
COST = "Cost management & GPU resource economics"
MONITORING = "Monitoring, observability & incident response"
COLLAB = "Cross-functional collaboration (ML/DS/SWE teams)"


def published(a, changes):
    s = score(apply_changes(a, changes))
    return s.score, s.zone


def row(result, knob_id):
    (r,) = [r for r in result.rows if r.knob_id == knob_id]
    return r


# -- hand-checked figures (worked out from the seed's inputs and the formula) ------------


def test_tornado_step_hand_checked(seed_role):
    t = tornado(seed_role)
    assert (t.base_score, t.base_zone, t.mode) == (49.1, Zone.GREEN, "step")
    growth = row(t, "growth")
    assert (growth.low_value, growth.score_low, growth.zone_low, growth.crosses_low) == (0, 46.4, Zone.YELLOW, True)
    assert (growth.high_value, growth.score_high, growth.zone_high, growth.crosses_high) == (2, 51.8, Zone.GREEN, False)
    assert growth.swing == pytest.approx(5.4, abs=1e-12)
    assert growth.crosses
    for dim in ("job_postings", "company_actions", "wage_trends", "ai_tool_maturity", "expert_consensus"):
        r = row(t, f"evidence:{dim}")
        assert (r.score_low, r.zone_low, r.crosses_low) == (47.2, Zone.YELLOW, True)
    liability = row(t, "barrier:liability")
    assert (liability.low_value, liability.score_low, liability.zone_low, liability.crosses_low) == (
        0,
        48.0,
        Zone.GREEN,
        False,
    )
    collab = row(t, f"task:{COLLAB}:score")  # the 5% task
    assert (collab.high_value, collab.score_high, collab.zone_high, collab.crosses_high) == (3, 48.3, Zone.GREEN, False)
    for name in (COST, MONITORING):  # the 10% tasks
        r = row(t, f"task:{name}:score")
        assert (r.high_value, r.score_high, r.zone_high, r.crosses_high) == (4, 47.5, Zone.YELLOW, True)
    # The largest swing: the 25% task at score 2 (1 -> 53.2, 3 -> 45.1).
    first = t.rows[0]
    assert first.knob_id == f"task:{GPU}:score"
    assert (first.score_low, first.score_high, first.swing) == (53.2, 45.1, pytest.approx(8.1, abs=1e-12))


def test_tornado_step_clips_at_bounds(seed_role):
    t = tornado(seed_role)
    company = row(t, "evidence:company_actions")  # at +2, the top of its range
    assert (company.low_value, company.high_value, company.score_high) == (1, 2, 49.1)
    regulatory = row(t, "barrier:regulatory")  # at 0, the bottom
    assert (regulatory.low_value, regulatory.high_value, regulatory.score_low) == (0, 1, 49.1)
    collab_share = row(t, f"task:{COLLAB}:share")  # 5% - 5 points = 0, the bound
    assert (collab_share.low_value, collab_share.high_value) == (0, 10)
    assert row(tornado(seed_role, share_step=10), f"task:{COLLAB}:share").low_value == 0


def test_tornado_range_mode(seed_role):
    t = tornado(seed_role, mode="range")
    for r in t.rows:
        k = [k for k in knobs(seed_role) if k.id == r.knob_id][0]
        assert (r.low_value, r.high_value) == (k.min, k.max)
    growth = row(t, "growth")
    assert (growth.score_low, growth.score_high) == published(seed_role, {"growth": -2})[:1] + published(
        seed_role, {"growth": 2}
    )[:1]


@pytest.mark.parametrize("mode", ["step", "range"])
def test_tornado_matches_scoring_each_end(seed_role, mode):
    """Every end of every bar equals apply_changes + score on the same change."""
    t = tornado(seed_role, mode=mode)
    assert len(t.rows) == len(knobs(seed_role))
    for r in t.rows:
        assert (r.score_low, r.zone_low) == published(seed_role, {r.knob_id: r.low_value})
        assert (r.score_high, r.zone_high) == published(seed_role, {r.knob_id: r.high_value})
        assert r.crosses_low == (r.zone_low != t.base_zone)
        assert r.crosses_high == (r.zone_high != t.base_zone)


def test_tornado_to_df_carries_knob_ids(seed_role):
    t = tornado(seed_role)
    df = t.to_df()
    assert list(df["knob_id"]) == [r.knob_id for r in t.rows]
    assert set(df.columns) >= {"knob_id", "label", "group", "swing", "zone_low", "zone_high", "crosses"}
    assert df.loc[df.knob_id == "growth", "zone_low"].item() == "Yellow"


def test_tornado_rejects_bad_arguments(seed_role):
    with pytest.raises(AIJRIError, match="mode"):
        tornado(seed_role, mode="sideways")
    with pytest.raises(AIJRIError, match="share step"):
        tornado(seed_role, share_step=0)


@settings(max_examples=40)
@given(
    a=role_assessments(max_tasks=5, extras=False),
    mode=st.sampled_from(["step", "range"]),
    step=st.sampled_from([1, 5, 12.5]),
)
def test_tornado_properties(a, mode, step):
    t = tornado(a, mode=mode, share_step=step)
    swings = [r.swing for r in t.rows]
    assert all(s >= 0 for s in swings)
    assert swings == sorted(swings, reverse=True)
    ids = [k.id for k in knobs(a)]
    assert sorted(r.knob_id for r in t.rows) == sorted(ids)
    # equal swings keep knob order
    for r1, r2 in zip(t.rows, t.rows[1:], strict=False):
        if r1.swing == r2.swing:
            assert ids.index(r1.knob_id) < ids.index(r2.knob_id)
    assert t.base_score == score(a).score
    for r in t.rows[:6]:
        assert r.score_low == score(apply_changes(a, {r.knob_id: r.low_value})).score
        assert r.score_high == score(apply_changes(a, {r.knob_id: r.high_value})).score
        assert r.swing == pytest.approx(abs(r.score_high - r.score_low), abs=1e-9)


# -- spider -------------------------------------------------------------------------------


def test_spider_curves(seed_role):
    sp = spider(seed_role)
    growth = [p for p in sp.rows if p.knob_id == "growth"]
    assert [p.value for p in growth] == [-2, -1, 0, 1, 2]
    assert [p.is_base for p in growth] == [False, False, False, True, False]
    assert [p.score for p in growth][2:] == [46.4, 49.1, 51.8]
    share = [p for p in sp.rows if p.knob_id == f"task:{GPU}:share"]
    assert [p.value for p in share] == [float(v) for v in range(0, 101, 5)]  # 25 is on the grid
    assert sum(p.is_base for p in share) == 1
    for p in sp.rows[::7]:
        assert (p.score, p.zone) == published(seed_role, {p.knob_id: p.value})
    df = sp.to_df()
    assert len(df) == len(sp.rows) and "knob_id" in df


def test_spider_adds_base_share_to_grid(seed_role):
    a = apply_changes(seed_role, {f"task:{GPU}:share": 27.5})
    sp = spider(a, share_grid=[0, 50, 100])
    values = [p.value for p in sp.rows if p.knob_id == f"task:{GPU}:share"]
    assert values == [0, 27.5, 50, 100]


# -- sweep --------------------------------------------------------------------------------


def test_sweep_two_integer_knobs(seed_role):
    sw = sweep(seed_role, "growth", "evidence:ai_tool_maturity")
    assert list(sw.x_values) == [-2, -1, 0, 1, 2]
    assert list(sw.y_values) == [-2, -1, 0, 1, 2]
    assert sw.score.shape == (5, 5)
    assert sw.score[2, 3] == 49.1  # growth 1, maturity 0: the role itself
    assert sw.score[2, 2] == 46.4
    assert sw.score[1, 3] == 47.2
    for iy, y in enumerate(sw.y_values):
        for ix, x in enumerate(sw.x_values):
            s, z = published(seed_role, {"growth": x, "evidence:ai_tool_maturity": y})
            assert sw.score[iy, ix] == s
            assert sw.zone_code[iy, ix] == {Zone.RED: 0, Zone.YELLOW: 1, Zone.GREEN: 2}[z]
    df = sw.to_df()
    assert len(df) == 25 and set(df["x_knob"]) == {"growth"}


def test_sweep_two_shares_marks_impossible_pairs(seed_role):
    sw = sweep(seed_role, f"task:{GPU}:share", f"task:{SERVING}:share")
    ok = ~np.isnan(sw.score)
    assert ok.any() and (~ok).any()
    xx, yy = np.meshgrid(sw.x_values, sw.y_values)
    assert np.all(ok == (xx + yy <= 100 + 1e-9))
    assert np.all(sw.zone_code[~ok] == -1)
    iy, ix = list(sw.y_values).index(20), list(sw.x_values).index(40)
    assert sw.score[iy, ix] == published(seed_role, {f"task:{GPU}:share": 40, f"task:{SERVING}:share": 20})[0]


def test_sweep_errors(seed_role):
    with pytest.raises(AIJRIError, match="unknown knob"):
        sweep(seed_role, "growth", "evidence:vibes")
    with pytest.raises(AIJRIError, match="two different knobs"):
        sweep(seed_role, "growth", "growth")


# -- zone map -----------------------------------------------------------------------------


def test_zone_map_grid_and_role(seed_role):
    zm = zone_map(seed_role)
    assert zm.task_resistance[0] == 1 and zm.task_resistance[-1] == 5
    assert list(zm.evidence_total) == list(range(-10, 11))
    assert zm.score.shape == (21, len(zm.task_resistance)) == zm.zone_code.shape
    assert (zm.role_task_resistance, zm.role_evidence_total, zm.role_score, zm.role_zone) == (
        pytest.approx(3.45),
        5,
        49.1,
        Zone.GREEN,
    )
    assert (zm.barrier_total, zm.growth_correlation) == (1, 1)
    # TR 3.45 is on the default grid (step 0.05): the cell at E = 5 is the role's own score.
    ix = int(np.argmin(np.abs(zm.task_resistance - 3.45)))
    assert zm.score[list(zm.evidence_total).index(5), ix] == 49.1
    # the score rises with TR and with evidence
    assert np.all(np.diff(zm.score, axis=1) >= 0) and np.all(np.diff(zm.score, axis=0) >= 0)
    assert len(zm.to_df()) == zm.score.size


def test_zone_map_boundaries(seed_role):
    zm = zone_map(seed_role, resolution=401)
    m = DEFAULT
    for threshold, curve in zm.boundaries.items():
        assert threshold in (m.green_threshold, m.yellow_threshold)
        assert len(curve) == 21
        for e, tr in zip(zm.evidence_total, curve, strict=True):
            if math.isnan(tr):
                continue
            assert 1 <= tr <= 5
            raw = lambda t, e=e: t * (1 + m.evidence_weight * e) * (1 + m.barrier_weight) * (1 + m.growth_weight)  # noqa: E731
            at = round((raw(tr + 1e-9) - m.normalisation_offset) / m.normalisation_span * 100, 6)
            below = (raw(tr - 1e-6) - m.normalisation_offset) / m.normalisation_span * 100
            assert at >= threshold - 0.05 and below < threshold - 0.05
        # cells on the grid agree with the curve: right of the curve is at or above the threshold
        for iy, tr in enumerate(curve):
            if not math.isnan(tr):
                right = zm.task_resistance > tr + 1e-6
                left = zm.task_resistance < tr - 1e-6
                assert np.all(zm.score[iy, right] >= threshold) and np.all(zm.score[iy, left] < threshold)
    # at E = 5 the Green boundary is the break-even TR 3.3788
    assert zm.boundaries[48.0][15] == pytest.approx(3.3788, abs=1e-4)
    # at E = -10 no TR in 1..5 reaches Green: NaN
    assert math.isnan(zm.boundaries[48.0][0])


def test_zone_map_resolution_checked(seed_role):
    assert len(zone_map(seed_role, resolution=5).task_resistance) == 5
    with pytest.raises(AIJRIError, match="resolution"):
        zone_map(seed_role, resolution=1)


def test_methodology_variant_moves_the_zones(seed_role):
    """With GREEN at 50 the role (49.1) is YELLOW; the analyses follow the methodology passed."""
    m = DEFAULT.with_changes(green_threshold=50)
    t = tornado(seed_role, methodology=m)
    assert (t.base_score, t.base_zone) == (49.1, Zone.YELLOW)
    growth = row(t, "growth")
    assert (growth.score_high, growth.zone_high, growth.crosses_high) == (51.8, Zone.GREEN, True)
    assert not growth.crosses_low
    zm = zone_map(seed_role, methodology=m)
    assert set(zm.boundaries) == {50.0, 25.0} and zm.role_zone == Zone.YELLOW
    assert sweep(seed_role, "growth", "barrier:liability", methodology=m).zone_code[1, 3] == 1
