"""Scenarios that reshape the role: a task added (share and score, optional mode) or removed
(share 0, or ``task:<name>:remove``). Hand-checked on the seed role: weighted task score
255/100 = 2.55 (GPU 25x2, serving 20x3, pipeline 15x3, CUDA 15x2, cost 10x3, monitoring 10x3,
collaboration 5x2); modifiers 1.20 x 1.02 x 1.05 = 1.2852; score = (TR x 1.2852 - 0.54) / 7.93."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import role_assessments

from aijri_core.analyses import attribute, break_even, goal_seek, spider, tornado
from aijri_core.knobs import (
    KnobError,
    apply_changes,
    changes_between,
    check_changes,
    knobs,
    reshape,
    set_share_tasks,
    task_mode_id,
    task_remove_id,
    task_score_id,
    task_share_id,
)
from aijri_core.model import RoleAssessment, TaskMode
from aijri_core.scoring import score

NEW = "AI platform cost engineering"
MONITORING = "Monitoring, observability & incident response"
GPU = "GPU cluster & training infrastructure management"

ADD = {task_share_id(NEW): 20, task_score_id(NEW): 2}


def test_an_added_task_takes_time_from_the_others_under_the_share_rule(seed_role):
    a = apply_changes(seed_role, ADD)
    assert [t.name for t in a.tasks][-1] == NEW
    new = a.task(NEW)
    assert (new.time_share, new.score, new.mode) == (20, 2, TaskMode.AUGMENTATION)
    assert a.task(GPU).time_share == pytest.approx(25 * 0.8, rel=1e-12)  # the others fill 80 of 100
    assert a.share_total == pytest.approx(100, abs=1e-9)
    # weighted 255 x 0.8 + 20 x 2 = 244 -> 2.44, TR 3.56: (3.56 x 1.2852 - 0.54) / 7.93 = 50.886 -> 50.9
    s = score(a)
    assert s.weighted_task_score == pytest.approx(2.44, abs=1e-12)
    assert s.score == 50.9
    assert a.published is None


def test_an_added_task_can_set_its_mode(seed_role):
    a = apply_changes(seed_role, {**ADD, task_mode_id(NEW): 1})
    assert a.task(NEW).mode == TaskMode.DISPLACEMENT
    assert score(a).displacement_share == pytest.approx(20, abs=1e-9)
    # an existing task's mode can be set as well (the score does not depend on modes)
    b = apply_changes(seed_role, {task_mode_id(GPU): 2})
    assert b.task(GPU).mode == TaskMode.NOT_INVOLVED and score(b).score == score(seed_role).score


def test_a_removed_task_scores_as_share_0_and_leaves_the_role(seed_role):
    gone = apply_changes(seed_role, {task_remove_id(MONITORING): 1})
    assert MONITORING not in [t.name for t in gone.tasks] and len(gone.tasks) == 6
    assert gone.task(GPU).time_share == pytest.approx(25 / 0.9, rel=1e-12)
    # weighted (255 - 30) / 90 = 2.5, TR 3.5: (3.5 x 1.2852 - 0.54) / 7.93 = 49.91 -> 49.9
    assert score(gone).score == 49.9
    zero = apply_changes(seed_role, {task_share_id(MONITORING): 0})
    assert score(zero).score_unclamped == score(gone).score_unclamped


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({task_share_id(NEW): 20}, f"unknown knob 'task:{NEW}:share': the role has no task '{NEW}' (to add it"),
        ({task_score_id(NEW): 2}, "task:AI platform cost engineering:share and task:AI platform cost engineering:score"),
        ({**ADD, task_mode_id(NEW): 3}, "is not a task mode; allowed: 0 augmentation, 1 displacement, 2 not_involved"),
        ({task_share_id(NEW): 20, task_score_id(NEW): 6}, "out of range; allowed: a whole number from 1 to 5"),
        ({task_remove_id(MONITORING): 2}, "is not valid; allowed: 1 (the task is removed)"),
        ({task_remove_id(NEW): 1}, f"the role has no task '{NEW}' to remove"),
        ({task_remove_id(MONITORING): 1, task_score_id(MONITORING): 2}, "a removed task takes no other change"),
        ({f"task:{NEW}:colour": 1}, "unknown knob"),
        ({task_share_id(NEW): 20, task_score_id(NEW): 2, task_share_id(GPU): 90}, "take 110% of the time together"),
    ],
)
def test_bad_reshapes_are_refused_with_one_message(seed_role, changes, message):
    with pytest.raises(KnobError, match=re.escape(message)):
        apply_changes(seed_role, changes)
    with pytest.raises(KnobError):
        check_changes(seed_role, changes)


def test_an_added_task_is_its_own_knob_in_every_analysis(seed_role):
    a = apply_changes(seed_role, ADD)
    ids = {k.id for k in knobs(a)}
    assert {task_share_id(NEW), task_score_id(NEW)} <= ids
    t = tornado(a)
    row = next(r for r in t.rows if r.knob_id == task_score_id(NEW))
    assert row.score_high == score(apply_changes(seed_role, {**ADD, task_score_id(NEW): 3})).score
    # on the scenario, the shares it set (the added task's) stay put
    pinned = set_share_tasks(ADD)
    assert pinned == [NEW]
    be = break_even(a, pinned=pinned)
    for r in be.rows:
        if r.value is not None and r.knob_id == task_share_id(GPU):
            assert apply_changes(seed_role, {**ADD, r.knob_id: r.value}).task(NEW).time_share == 20
    # its score of 2 is below the role's 2.44: more time on it raises the score (to 58.0 at 100%)
    g = goal_seek(a, 52.0, knob_id=task_share_id(NEW))
    assert g.rows[0].reachable and g.rows[0].direction == "up" and g.rows[0].score >= 52
    # taking it all away only returns to 49.1: the GREEN line is out of reach that way
    assert goal_seek(a, 48.0, knob_id=task_share_id(NEW)).rows[0].status == "unreachable"


def test_attribution_gives_added_and_removed_tasks_their_own_parts(seed_role):
    changes = {**ADD, task_remove_id(MONITORING): 1, "growth": 2}
    at = attribute(seed_role, changes)
    s_new = score(apply_changes(seed_role, changes))
    assert at.scenario_published == s_new.score
    assert at.change == pytest.approx(s_new.score_unclamped - score(seed_role).score_unclamped, abs=1e-12)
    parts = {p.key: p for p in at.knobs}
    assert parts[task_share_id(NEW)].label == f"{NEW} (added)"
    assert parts[task_share_id(MONITORING)].label == f"{MONITORING} (removed)"
    assert sum(p.contribution for p in at.knobs) == pytest.approx(at.change, abs=1e-9)
    assert sum(p.contribution for p in at.groups) == pytest.approx(at.change, abs=1e-9)
    # alone, adding the score-2 task at 20% is worth 50.886 - 49.080 points (unclamped)
    alone = attribute(seed_role, ADD)
    tr_new, tr_old = 6 - 2.44, 6 - 2.55
    expected = (tr_new - tr_old) * 1.2852 / 7.93 * 100
    assert alone.change == pytest.approx(expected, abs=1e-9)
    assert [p.key for p in alone.knobs] == [task_share_id(NEW)]


def test_reshape_reports_what_it_read(seed_role):
    r = reshape(seed_role, {**ADD, task_remove_id(MONITORING): 1, task_mode_id(NEW): 2})
    assert r.added == (NEW,) and r.removed == (MONITORING,)
    assert r.modes == {NEW: TaskMode.NOT_INVOLVED}
    assert r.changes == {task_share_id(NEW): 20, task_share_id(MONITORING): 0.0}
    assert r.base.task(NEW).time_share == 0 and score(r.base).score_unclamped == score(seed_role).score_unclamped


@settings(max_examples=60, deadline=None)
@given(role_assessments(min_tasks=2, max_tasks=5, extras=False, any_total=True), st.data())
def test_changes_between_reproduces_any_reshape(a, data):
    names = [t.name for t in a.tasks]
    changes: dict[str, float] = {}
    removed = data.draw(st.lists(st.sampled_from(names), max_size=len(names) - 1, unique=True))
    for name in removed:
        changes[task_remove_id(name)] = 1
    for j in range(data.draw(st.integers(0, 2))):
        name = f"Added task {j}"
        changes[task_share_id(name)] = data.draw(st.integers(0, 400).map(lambda v: v / 10))
        changes[task_score_id(name)] = data.draw(st.integers(1, 5))
        changes[task_mode_id(name)] = data.draw(st.integers(0, 2))
    assume(any(t.time_share > 0 for t in a.tasks if t.name not in removed) or any(
        changes.get(task_share_id(f"Added task {j}"), 0) > 0 for j in range(2)))
    changed = apply_changes(a, changes)
    diff = changes_between(a, changed)
    again = apply_changes(a, diff)
    assert [(t.name, t.score, t.mode) for t in again.tasks] == [(t.name, t.score, t.mode) for t in changed.tasks]
    assert [t.time_share for t in again.tasks] == pytest.approx([t.time_share for t in changed.tasks], abs=1e-9)
    assert score(again).score == score(changed).score


def test_attribution_of_a_reshaped_assessment_matches_its_changes(seed_role):
    changes = {**ADD, task_remove_id(MONITORING): 1}
    by_changes = attribute(seed_role, changes)
    by_role = attribute(seed_role, apply_changes(seed_role, changes))
    assert by_role.change == pytest.approx(by_changes.change, abs=1e-12)
    assert {p.label for p in by_role.knobs} >= {f"{NEW} (added)", f"{MONITORING} (removed)"}


# ---------------------------------------------------------------- a full role: only the result is checked


def _full_role(seed_role, n: int = 40):
    """The seed role with n tasks of 100/n % each (scores 1..5 in turn)."""
    tasks = [{"name": f"Task {i}", "time_share": 100 / n, "score": 1 + i % 5} for i in range(n)]
    return RoleAssessment.model_validate(
        {**seed_role.model_dump(mode="json"), "tasks": tasks, "published": None, "override": None})


def test_a_full_role_can_swap_one_task_for_another(seed_role):
    full = _full_role(seed_role)
    swap = {task_remove_id("Task 0"): 1, task_share_id(NEW): 5, task_score_id(NEW): 3}
    a = apply_changes(full, swap)
    assert len(a.tasks) == 40 and a.tasks[-1].name == NEW and "Task 0" not in [t.name for t in a.tasks]
    # the 39 kept tasks (2.5 % each) fill the 95 % the new task leaves, in proportion: 95/39 each
    assert a.task("Task 1").time_share == pytest.approx(95 / 39, rel=1e-12)
    # weighted: tasks 1..39 score 2,3,4,5,1,... -> 8 full cycles (sum 15 each) minus the first task's 1 = 119
    # over 39 tasks; 95/39 x 119 + 5 x 3 = 304.87... per 100
    assert score(a).weighted_task_score == pytest.approx((95 / 39 * 119 + 15) / 100, abs=1e-12)
    assert check_changes(full, swap) == swap
    at = attribute(full, swap)
    assert sum(p.contribution for p in at.knobs) == pytest.approx(at.change, abs=1e-9)
    assert at.scenario_published == score(a).score
    back = apply_changes(full, changes_between(full, a))
    assert [t.name for t in back.tasks] == [t.name for t in a.tasks]


@settings(max_examples=40, deadline=None)
@given(n=st.integers(30, 40), removed=st.integers(0, 5), added=st.integers(0, 5))
def test_only_the_reshaped_role_is_held_to_forty_tasks(seed_role, n, removed, added):
    full = _full_role(seed_role, n)
    changes: dict[str, float] = {task_remove_id(f"Task {i}"): 1 for i in range(removed)}
    for j in range(added):
        changes |= {task_share_id(f"New {j}"): 1.0, task_score_id(f"New {j}"): 2}
    result = n - removed + added
    if result > 40:
        with pytest.raises(KnobError, match=f"the role would have {result} tasks; allowed: at most 40"):
            apply_changes(full, changes)
    else:
        assert len(apply_changes(full, changes).tasks) == result


@settings(max_examples=60, deadline=None)
@given(role_assessments(min_tasks=1, max_tasks=6, extras=False, any_total=True), st.data())
def test_every_analysis_runs_on_every_reshaped_role_with_the_shares_it_set_pinned(a, data):
    """What the Explorer draws for a reshaped role (a link, a scenario): the analyses hold the shares the
    changes set (``set_share_tasks``), also when the changes leave a single task, which has no share knob."""
    names = [t.name for t in a.tasks]
    keep = data.draw(st.lists(st.sampled_from(names), max_size=len(names), unique=True))
    changes: dict[str, float] = {task_remove_id(n): 1 for n in names if n not in keep}
    for j in range(data.draw(st.integers(0 if keep else 1, 2))):
        changes |= {task_share_id(f"Added {j}"): data.draw(st.sampled_from([0.0, 12.5, 40.0, 100.0])),
                    task_score_id(f"Added {j}"): data.draw(st.integers(1, 5))}
    if keep and len(keep) + sum(k.endswith(":share") for k in changes) > 1 and data.draw(st.booleans()):
        changes[task_share_id(keep[0])] = data.draw(st.sampled_from([0.0, 30.0, 100.0]))
    try:
        current = apply_changes(a, changes)
    except KnobError:
        assume(False)
    pinned = set_share_tasks(changes)
    t = tornado(current, pinned=pinned)
    assert {r.knob_id for r in t.rows} <= {k.id for k in knobs(current)}
    be = break_even(current, pinned=pinned)
    assert {r.knob_id for r in be.rows} <= {k.id for k in knobs(current)}
    g = goal_seek(current, 48.0, pinned=pinned)
    assert g.rows
    s = spider(current, pinned=pinned)
    assert s is not None
    at = attribute(a, changes)
    assert at.scenario_published == score(current).score
