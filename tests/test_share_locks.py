"""Shares the user set stay put: only tasks whose share is neither set nor locked give or take
time; a move is limited (with a reason) when the set and locked shares leave no room; the
analyses run on a scenario move only its free tasks. Numbers hand-checked on the seed role
(GPU 25, serving 20, pipeline 15, CUDA 15, cost 10, monitoring 10, collaboration 5)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import role_assessments

from aijri_core.analyses import break_even, goal_seek, spider, sweep, tornado
from aijri_core.knobs import KnobError, apply_changes, move_share, set_share_tasks, task_share_id
from aijri_core.scoring import score

GPU = "GPU cluster & training infrastructure management"
SERVING = "Model serving & inference infrastructure"
PIPELINE = "Training pipeline orchestration & MLOps integration"
CUDA = "CUDA/NCCL performance optimisation & debugging"
COST = "Cost management & GPU resource economics"
MONITORING = "Monitoring, observability & incident response"
COLLAB = "Cross-functional collaboration (ML/DS/SWE teams)"


def sid(name: str) -> str:
    return task_share_id(name)


def shares(a) -> dict[str, float]:
    return {t.name: t.time_share for t in a.tasks}


def test_a_set_share_stays_when_another_share_moves(seed_role):
    first = move_share(seed_role, {}, sid(CUDA), 25)
    assert first.changes == {sid(CUDA): 25} and not first.limited and first.message == ""
    second = move_share(seed_role, first.changes, sid(COST), 20)
    assert second.changes == {sid(CUDA): 25, sid(COST): 20}
    s = shares(apply_changes(seed_role, second.changes))
    assert (s[CUDA], s[COST]) == (25, 20)  # CUDA stays at 25 (not pulled back to 22.2)
    # the five free tasks had 75 and now share 100 - 45 = 55 in proportion: GPU 25 * 55/75
    assert s[GPU] == pytest.approx(18.333333333333, abs=1e-9)
    assert s[SERVING] == pytest.approx(14.666666666667, abs=1e-9)
    assert s[PIPELINE] == pytest.approx(11.0, abs=1e-9)
    assert s[MONITORING] == pytest.approx(7.333333333333, abs=1e-9)
    assert s[COLLAB] == pytest.approx(3.666666666667, abs=1e-9)


def test_a_locked_share_stays_where_it_is_now(seed_role):
    # CUDA set to 25: cost management is then 10 * 75/85 = 8.8235...; locking it keeps that value
    start = {sid(CUDA): 25}
    cost_now = shares(apply_changes(seed_role, start))[COST]
    assert cost_now == pytest.approx(10 * 75 / 85, rel=1e-12)
    moved = move_share(seed_role, start, sid(GPU), 40, locked=[COST])
    assert moved.changes == {sid(CUDA): 25, sid(COST): cost_now, sid(GPU): 40}
    s = shares(apply_changes(seed_role, moved.changes))
    assert (s[CUDA], s[COST], s[GPU]) == (25, cost_now, 40)
    # serving, pipeline, monitoring, collaboration (20, 15, 10, 5 = 50) share 100 - 73.8235...
    assert s[SERVING] == pytest.approx(20 * (100 - 65 - cost_now) / 50, rel=1e-12)


def test_apply_changes_holds_locked_tasks_at_their_base_share(seed_role):
    s = shares(apply_changes(seed_role, {sid(GPU): 35}, locked=[CUDA]))
    # CUDA keeps 15; the five other free tasks (60) share 100 - 35 - 15 = 50
    assert (s[GPU], s[CUDA]) == (35, 15)
    assert s[SERVING] == pytest.approx(20 * 50 / 60, rel=1e-12)
    with pytest.raises(KnobError, match="unknown knob 'task:nope:share'"):
        apply_changes(seed_role, {sid(GPU): 35}, locked=["nope"])


def test_a_move_is_limited_to_what_the_set_and_locked_shares_leave(seed_role):
    changes = {sid(CUDA): 25, sid(COST): 20}
    m = move_share(seed_role, changes, sid(GPU), 70, locked=[SERVING])
    # serving is 20 * 55/75 = 14.666... now; 100 - 25 - 20 - 14.666 = 40.333 is left for GPU
    serving_now = 20 * 55 / 75
    assert m.limited and m.wanted == 70
    assert m.value == pytest.approx(100 - 45 - serving_now, abs=1e-9)
    assert m.message.startswith(f"{GPU} can take at most 40.3% of the time")
    assert CUDA in m.message and COST in m.message and SERVING in m.message
    s = shares(apply_changes(seed_role, m.changes))
    assert all(s[n] == pytest.approx(0, abs=1e-9) for n in (PIPELINE, MONITORING, COLLAB))


def test_when_every_other_task_is_set_or_locked_the_share_cannot_move(seed_role):
    others = [t.name for t in seed_role.tasks if t.name not in (GPU, SERVING)]
    m = move_share(seed_role, {sid(CUDA): 25}, sid(GPU), 30, locked=[n for n in others if n != CUDA] + [SERVING])
    assert m.limited and m.wanted == 30
    # GPU keeps what the others leave: 100 - 25 (CUDA) - the locked tasks' current shares,
    # (20 + 15 + 10 + 10 + 5) x 75/85, which is GPU's own current share 25 x 75/85 = 22.06
    room = 25 * 75 / 85
    assert m.value == pytest.approx(room, abs=1e-9)
    assert shares(apply_changes(seed_role, m.changes))[GPU] == pytest.approx(room, abs=1e-9)
    assert m.message.startswith(f"{GPU} stays at {room:.1f}%: every other task's share is set or locked")
    assert "Unlock one of them" in m.message


def test_move_share_refuses_other_knobs_and_bad_values(seed_role):
    with pytest.raises(KnobError, match="not a time share"):
        move_share(seed_role, {}, "growth", 1)
    with pytest.raises(KnobError, match="out of range; allowed: a percentage from 0 to 100"):
        move_share(seed_role, {}, sid(GPU), 120)


def test_analyses_on_a_scenario_move_only_the_free_tasks(seed_role):
    changes = {sid(CUDA): 25, sid(COST): 20}
    a = apply_changes(seed_role, changes)
    pinned = set_share_tasks(changes)
    assert pinned == [CUDA, COST]
    t = tornado(a, pinned=pinned)
    gpu = next(r for r in t.rows if r.knob_id == sid(GPU))
    # GPU +5 points with CUDA and cost held: the four other free tasks give the time
    expected = apply_changes(seed_role, {**changes, sid(GPU): gpu.high_value})
    assert shares(expected)[CUDA] == 25 and shares(expected)[COST] == 20
    assert gpu.score_high == score(expected).score
    assert gpu.score_high != tornado(a).rows[[r.knob_id for r in tornado(a).rows].index(sid(GPU))].score_high
    # the range of a share is what the held shares leave (100 - 45 = 55 for a free task)
    rng = {r.knob_id: r for r in tornado(a, mode="range", pinned=pinned).rows}
    assert rng[sid(GPU)].high_value == pytest.approx(55, abs=1e-9)
    assert rng[sid(CUDA)].high_value == pytest.approx(80, abs=1e-9)  # 100 - cost's 20
    # break-even on the scenario: every answer holds the pinned shares
    for r in break_even(a, pinned=pinned).rows:
        if r.value is not None and r.knob_id.endswith(":share"):
            moved = apply_changes(seed_role, {**changes, r.knob_id: r.value})
            assert score(moved).zone == r.zone, r
            held = shares(moved)
            if r.knob_id != sid(CUDA):
                assert held[CUDA] == 25
            if r.knob_id != sid(COST):
                assert held[COST] == 20


def test_a_free_task_left_alone_has_no_share_knob(seed_role):
    names = [t.name for t in seed_role.tasks]
    pinned = [n for n in names if n != GPU]  # GPU is the only free task
    ids = {r.knob_id for r in tornado(seed_role, pinned=pinned).rows}
    assert sid(GPU) not in ids  # nothing to trade time with
    assert sid(CUDA) in ids  # a held task can still move, GPU gives or takes
    with pytest.raises(KnobError, match="cannot move: every other task's share is set or locked"):
        goal_seek(seed_role, 50, knob_id=sid(GPU), pinned=pinned)


@settings(max_examples=30, deadline=None)
@given(role_assessments(min_tasks=3, max_tasks=5, extras=False, any_total=True), st.data())
def test_pinned_analyses_agree_with_apply_changes(a, data):
    names = [t.name for t in a.tasks]
    pinned = data.draw(st.lists(st.sampled_from(names), max_size=len(names) - 2, unique=True))
    held = {sid(n): a.task(n).time_share for n in pinned}
    for r in spider(a, pinned=pinned).rows:
        if r.knob_id.endswith(":share"):
            expected = apply_changes(a, {**held, r.knob_id: r.value})
            assert r.score == score(expected).score, r
            assert all(abs(expected.task(n).time_share - a.task(n).time_share) < 1e-9
                       for n in pinned if sid(n) != r.knob_id)
    x, y = data.draw(st.lists(st.sampled_from([sid(n) for n in names] + ["growth"]), min_size=2, max_size=2,
                              unique=True))
    w = sweep(a, x, y, pinned=pinned)
    i = list(w.y_values).index(w.base_y)
    j = list(w.x_values).index(w.base_x)
    assert w.score[i, j] == score(a).score


def test_move_share_with_a_task_added_and_one_removed(seed_role):
    new = "AI platform cost engineering"
    changes = {
        sid(new): 20,
        f"task:{new}:score": 2,
        f"task:{MONITORING}:remove": 1,
    }
    m = move_share(seed_role, changes, sid(GPU), 30)
    assert not m.limited and m.changes == {**changes, sid(GPU): 30}
    s = shares(apply_changes(seed_role, m.changes))
    # the added task keeps its 20 and monitoring stays removed; serving, pipeline, CUDA, cost
    # and collaboration (20, 15, 15, 10, 5 = 65) share 100 - 50 = 50
    assert (s[new], s[GPU]) == (20, 30) and MONITORING not in s
    assert s[SERVING] == pytest.approx(20 * 50 / 65, rel=1e-12)
    # the added task can be moved and locked like any other
    m2 = move_share(seed_role, m.changes, sid(new), 90)
    assert m2.limited and m2.value == pytest.approx(70, abs=1e-9)  # 100 - GPU's 30
    with pytest.raises(KnobError, match="is removed by these changes"):
        move_share(seed_role, changes, sid(MONITORING), 5)
