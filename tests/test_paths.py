"""PathDraft: the path builder's model, without Streamlit. Every edit returns a new draft that
keeps the rules (at least one step, the pick on a step, step names unique case-insensitively and
never "Start"); an edit that would break the path is refused and changes nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aijri_core import bundled_role, score
from aijri_core.knobs import apply_changes, task_remove_id, task_score_id, task_share_id, values
from aijri_core.methodology import DEFAULT
from aijri_core.paths import BASELINE, START, PathDraft, PathError, Step

BASE = bundled_role("ai-infrastructure-engineer")
GPU = BASE.tasks[0].name
SECOND = BASE.tasks[1].name


def _invariants(d: PathDraft) -> None:
    assert d.steps and 0 <= d.pick < len(d.steps)
    keys = [s.name.casefold() for s in d.steps]
    assert len(set(keys)) == len(keys) and START.casefold() not in keys


OPS = st.lists(
    st.one_of(
        st.just(("add",)),
        st.tuples(st.just("move"), st.integers(-2, 2)),
        st.just(("delete",)),
        st.tuples(st.just("pick"), st.integers(-1, 8)),
        st.tuples(st.just("name"), st.sampled_from(["Step 2", "step 2", "Start", "  ", "2028", "Senior", "x" * 201])),
    ),
    max_size=25,
)


@given(ops=OPS)
def test_every_edit_keeps_the_path_s_rules(ops):
    d = PathDraft()
    for op in ops:
        before = d
        if op[0] == "add":
            d = d.with_step_added()
            assert len(d.steps) == len(before.steps) + 1 and d.pick == before.pick + 1
        elif op[0] == "move":
            d = d.with_step_moved(op[1])
            assert sorted(s.name for s in d.steps) == sorted(s.name for s in before.steps)
            assert d.step == before.step  # the edited step moves with the pick
        elif op[0] == "delete":
            d = d.with_step_deleted()
            assert len(d.steps) == max(1, len(before.steps) - 1)
        elif op[0] == "pick":
            d = d.picked(op[1])
        else:
            try:
                d = d.with_step_name(op[1])
            except PathError:
                assert d is before
            else:
                assert d.step.name == op[1].strip()
        _invariants(d)
        assert before is not d or op[0] in ("move", "pick", "name")


def test_a_change_that_breaks_the_path_is_refused_and_nothing_changes():
    d = PathDraft().with_changes({task_score_id(GPU): 4}, BASE)
    with pytest.raises(PathError, match=r"step 1: .*out of range"):
        d.with_changes({task_share_id(GPU): 150}, BASE)
    assert d.step.changes == {task_score_id(GPU): 4}
    # a later step that adds a task by its score alone (a new task needs its share too): refused at step 2
    two = d.with_changes({task_remove_id(SECOND): 1}, BASE).with_step_added()
    with pytest.raises(PathError, match="step 2: unknown knob"):
        two.with_changes({task_score_id("Cost reviews"): 2}, BASE)
    assert two.step.changes == {}


def test_scores_are_the_steps_changes_on_top_of_each_other():
    d = PathDraft(start="Today", start_changes={"growth": 1})
    d = d.with_changes({task_score_id(GPU): 4}, BASE).with_step_added().with_changes({"growth": 2}, BASE)
    expected = [
        score(apply_changes(BASE, {"growth": 1})),
        score(apply_changes(BASE, {"growth": 1, task_score_id(GPU): 4})),
        score(apply_changes(BASE, {"growth": 2, task_score_id(GPU): 4})),  # a later value wins
    ]
    assert [s.score for s in d.scores(BASE, DEFAULT)] == [s.score for s in expected]
    assert d.changes_at(-1, BASE) == {"growth": 1}
    assert d.changes_at(1, BASE) == {"growth": 2, task_score_id(GPU): 4}


def test_holding_the_explorer_s_state_makes_the_step_reach_it():
    d = PathDraft().with_changes({"growth": 2}, BASE).with_step_added()
    target = apply_changes(BASE, {"growth": 2, task_score_id(GPU): 1, "evidence:wage_trends": -2})
    d = d.holding(target, BASE)
    assert d.step.changes == {task_score_id(GPU): 1, "evidence:wage_trends": -2}
    assert values(d.role_at(d.pick, BASE)) == values(target)


def test_a_saved_path_loads_back_as_it_was_built():
    d = PathDraft(name="Senior track").with_step_name("2027").with_step_note("more platform work")
    d = d.with_changes({task_score_id(GPU): 4, task_remove_id(SECOND): 1}, BASE)
    d = d.with_step_added().with_step_name("2028").with_changes({"growth": 2}, BASE)
    saved = d.scenarios(BASE)
    assert [sc.position for sc in saved] == [START, "2027", "2028"]
    back = PathDraft.from_trajectory("Senior track", saved, BASE)
    assert back.start == BASELINE and [(s.name, s.note) for s in back.steps] == [(s.name, s.note) for s in d.steps]
    assert [back.changes_at(i, BASE) for i in range(2)] == [d.changes_at(i, BASE) for i in range(2)]


def test_the_only_step_is_emptied_not_deleted():
    d = PathDraft().with_changes({"growth": 2}, BASE).with_step_deleted()
    assert d.steps == (Step("Step 1"),)
    with pytest.raises(PathError):
        PathDraft(steps=())
