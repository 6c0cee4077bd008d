"""The share rule: a role's shares stay as written (totals 99..101 allowed) and a move keeps
the role's own total. Every move, scenario and analysis goes through ``knobs.pinned_shares``,
so at the base point every analysis agrees with ``score()`` whatever the share total."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import role_assessments

from aijri_core.analyses import attribute, break_even, monte_carlo, spider, sweep, tornado, zone_map
from aijri_core.knobs import KnobError, apply_changes, knobs, pinned_shares, set_value, values
from aijri_core.model import BARRIERS, EVIDENCE_DIMENSIONS, PROTECTIVE_PRINCIPLES, RoleAssessment
from aijri_core.scoring import score

#: Roles whose share totals are anywhere the model allows (99..101), scored inputs only.
any_total_roles = role_assessments(extras=False, any_total=True)


def _role(shares: list[float], scores: list[int]) -> RoleAssessment:
    return RoleAssessment.model_validate(
        {
            "title": "Share total test",
            "tasks": [
                {"name": f"T{j + 1}", "time_share": s, "score": sc}
                for j, (s, sc) in enumerate(zip(shares, scores, strict=True))
            ],
            "evidence": dict.fromkeys(EVIDENCE_DIMENSIONS, 0) | {"job_postings": 1},
            "barriers": dict.fromkeys(BARRIERS, 0),
            "growth_correlation": 1,
            "protective": dict.fromkeys(PROTECTIVE_PRINCIPLES, 0),
        }
    )


def _shares(a: RoleAssessment) -> list[float]:
    return [t.time_share for t in a.tasks]


# --- hand-checked cases ------------------------------------------------------------------


def test_a_move_keeps_the_roles_own_total():
    a = _role([50.0, 30.0, 19.5], [2, 3, 4])  # total 99.5
    moved = set_value(a, "task:T1:share", 40)
    # the other two had 49.5 of the 99.5 and now share 59.5 in the same proportions 30 : 19.5
    assert _shares(moved)[0] == 40
    assert _shares(moved)[1] == pytest.approx(59.5 * 30 / 49.5, rel=1e-12)
    assert _shares(moved)[2] == pytest.approx(59.5 * 19.5 / 49.5, rel=1e-12)
    assert moved.share_total == pytest.approx(99.5, abs=1e-12)


def test_setting_a_share_to_its_value_changes_nothing_at_total_99_5():
    a = _role([50.0, 30.0, 19.5], [2, 3, 4])
    # weighted (50*2 + 30*3 + 19.5*4) / 99.5 = 268 / 99.5 = 2.6935...; the old rule (fill to
    # 100) would have given 50*2 + 30.24*3 + 19.66*4 = 269.4 / 100 = 2.694
    same = set_value(a, "task:T1:share", 50)
    assert same is a
    assert score(same).weighted_task_score == pytest.approx(268 / 99.5, rel=1e-12)


def test_pins_over_the_total_leave_the_others_nothing_and_pins_over_101_are_refused():
    a = _role([50.0, 30.0, 19.5], [2, 3, 4])
    full = set_value(a, "task:T1:share", 100)
    assert _shares(full) == [100, 0, 0]
    both = apply_changes(a, {"task:T1:share": 60, "task:T2:share": 40.5})
    assert _shares(both) == [60, 40.5, 0]  # total 100.5: allowed
    with pytest.raises(KnobError, match=r"take 101\.5% of the time together; allowed: at most 101"):
        apply_changes(a, {"task:T1:share": 60, "task:T2:share": 41.5})


def test_naming_every_task_keeps_an_allowed_total_and_scales_any_other_to_the_roles():
    a = _role([50.0, 30.0, 19.5], [2, 3, 4])
    kept = apply_changes(a, {"task:T1:share": 50.5, "task:T2:share": 30, "task:T3:share": 20})
    assert _shares(kept) == [50.5, 30, 20]  # 100.5 is a total the model allows
    scaled = apply_changes(a, {"task:T1:share": 10, "task:T2:share": 10, "task:T3:share": 20})
    assert _shares(scaled) == pytest.approx([99.5 / 4, 99.5 / 4, 99.5 / 2], rel=1e-12)


def test_pinned_shares_rows_that_pin_the_base_values_keep_the_base_exactly():
    base = np.array([33.3, 33.3, 33.3])  # total 99.9: 99.9 - 33.3 is not 33.3 + 33.3 in floats
    mask = np.array([[True, False, False], [True, True, True]])
    out, invalid = pinned_shares(base, mask, np.tile(base, (2, 1)))
    assert not invalid.any()
    assert (out == base).all()


# --- the property ------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(any_total_roles, st.data())
def test_every_knob_at_its_value_changes_nothing_and_every_analysis_agrees_with_score(a, data):
    s = score(a)
    current = values(a)
    # setting any knob to its current value leaves every figure unchanged
    for kid, v in current.items():
        assert score(apply_changes(a, {kid: v})) == s, kid
        at = attribute(a, {kid: v})
        assert at.change == 0 and at.scenario_published == s.score, kid
        assert all(p.contribution == 0 for p in at.groups + (at.knobs or ())), kid
    # tornado: both ends agree with apply_changes + score; an end at a bound is the role itself
    t = tornado(a)
    assert (t.base_score, t.base_zone) == (s.score, s.zone)
    for r in t.rows:
        for value, sc in ((r.low_value, r.score_low), (r.high_value, r.score_high)):
            assert sc == score(apply_changes(a, {r.knob_id: value})).score, (r.knob_id, value)
            if value == r.base_value:
                assert sc == s.score
    # break-even: each flip is real, and the value one step closer keeps the zone
    be = break_even(a)
    assert (be.base_score, be.base_zone) == (s.score, s.zone)
    for r in be.rows:
        if r.value is None:
            continue
        moved = score(apply_changes(a, {r.knob_id: r.value}))
        assert (moved.score, moved.zone) == (r.score, r.zone) and r.zone != s.zone, r
        step = 1.0 if float(r.base_value).is_integer() and r.knob_id.split(":")[-1] != "share" else 0.1
        closer = r.value - step if r.direction == "up" else r.value + step
        if (closer - r.base_value) * (1 if r.direction == "up" else -1) > 1e-9:
            assert score(apply_changes(a, {r.knob_id: round(closer, 9)})).zone == s.zone, r
    # spider: the base point of every curve is the role's score
    for p in spider(a).rows:
        if p.is_base:
            assert (p.score, p.zone) == (s.score, s.zone), p
    # sweep: the role's own cell
    ks = knobs(a)
    x, y = data.draw(st.lists(st.sampled_from([k.id for k in ks]), min_size=2, max_size=2, unique=True))
    w = sweep(a, x, y)
    i = int(np.flatnonzero(w.y_values == w.base_y)[0])
    j = int(np.flatnonzero(w.x_values == w.base_x)[0])
    assert w.score[i, j] == s.score
    assert w.zone_code[i, j] == ["Red", "Yellow", "Green"].index(s.zone.value)
    # zone map and Monte Carlo with nothing uncertain
    zm = zone_map(a)
    assert (zm.role_score, zm.role_zone) == (s.score, s.zone)
    mc = monte_carlo(a, n=64, p=0, share_jitter=0, seed=1)
    assert (mc.scores == s.score).all()
    assert mc.base_score == s.score
