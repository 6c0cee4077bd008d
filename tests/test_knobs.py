"""Knobs: ids, ranges, share rescaling, and the apply / changes_between round trip."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import role_assessments

from aijri_core import (
    KnobError,
    RoleAssessment,
    Scenario,
    apply,
    apply_changes,
    changes_between,
    get_value,
    knob,
    knobs,
    score,
    set_value,
    values,
)
from aijri_core.model import BARRIERS, EVIDENCE_DIMENSIONS

GPU = "GPU cluster & training infrastructure management"
SERVING = "Model serving & inference infrastructure"
COLLAB = "Cross-functional collaboration (ML/DS/SWE teams)"


def shares_of(a: RoleAssessment) -> dict[str, float]:
    return {t.name: t.time_share for t in a.tasks}


def scored_inputs(a: RoleAssessment) -> dict:
    """What the formula reads (the published result and override are dropped by any change)."""
    return values(a)


# --- the knob list ----------------------------------------------------------------------


def test_knob_ids_of_the_seed_role(seed_role):
    ids = [k.id for k in knobs(seed_role)]
    assert len(ids) == 7 * 2 + 5 + 5 + 1
    assert ids[:2] == [f"task:{GPU}:score", f"task:{GPU}:share"]
    assert [i for i in ids if i.startswith("evidence:")] == [f"evidence:{d}" for d in EVIDENCE_DIMENSIONS]
    assert [i for i in ids if i.startswith("barrier:")] == [f"barrier:{b}" for b in BARRIERS]
    assert ids[-1] == "growth"
    assert len(set(ids)) == len(ids)


def test_knob_ranges_and_labels(seed_role):
    assert knob(seed_role, f"task:{GPU}:score").range_text == "a whole number from 1 to 5"
    assert knob(seed_role, f"task:{GPU}:share").range_text == "a percentage from 0 to 100"
    assert knob(seed_role, "evidence:wage_trends").range_text == "a whole number from -2 to +2"
    assert knob(seed_role, "barrier:liability").range_text == "a whole number from 0 to 2"
    assert knob(seed_role, "growth").range_text == "a whole number from -2 to +2"
    assert knob(seed_role, "evidence:wage_trends").label == "Evidence: Wage trends"
    assert {k.group for k in knobs(seed_role)} == {"tasks", "evidence", "barriers", "growth"}


def test_single_task_role_has_no_share_knob(seed_role):
    data = seed_role.model_dump()
    data["tasks"] = [{"name": "Everything", "time_share": 100, "score": 3}]
    one = RoleAssessment.model_validate(data)
    assert [k.id for k in knobs(one) if k.id.startswith("task:")] == ["task:Everything:score"]
    with pytest.raises(KnobError, match="unknown knob"):
        set_value(one, "task:Everything:share", 50)


def test_values_and_get_value(seed_role):
    v = values(seed_role)
    assert v[f"task:{GPU}:share"] == 25
    assert v[f"task:{SERVING}:score"] == 3
    assert v["evidence:company_actions"] == 2
    assert v["barrier:liability"] == 1
    assert v["growth"] == 1
    assert get_value(seed_role, "growth") == 1
    assert list(v) == [k.id for k in knobs(seed_role)]


# --- moving one knob --------------------------------------------------------------------


def test_set_score_changes_only_that_task(seed_role):
    changed = set_value(seed_role, f"task:{COLLAB}:score", 3)
    assert changed.task(COLLAB).score == 3
    assert shares_of(changed) == shares_of(seed_role)
    # +1 on the 5 % task: weighted 2.60, TR 3.40 -> 48.3 GREEN (hand-checked)
    assert score(changed).score == 48.3
    assert changed.published is None and changed.override is None


def test_set_share_rescales_the_others_in_proportion(seed_role):
    changed = set_value(seed_role, f"task:{GPU}:share", 35)
    new = shares_of(changed)
    assert new[GPU] == 35
    assert math.fsum(new.values()) == pytest.approx(100, abs=1e-9)
    # the other six had 75 %, now share 65 % in the same proportions
    for name, old in shares_of(seed_role).items():
        if name != GPU:
            assert new[name] == pytest.approx(old * 65 / 75, rel=1e-12)
    assert new[SERVING] == pytest.approx(17.3333333333, abs=1e-9)


def test_set_share_to_100_and_to_0(seed_role):
    all_in = shares_of(set_value(seed_role, f"task:{GPU}:share", 100))
    assert all_in[GPU] == 100
    assert all(v == 0 for n, v in all_in.items() if n != GPU)
    none = shares_of(set_value(seed_role, f"task:{GPU}:share", 0))
    assert none[GPU] == 0
    assert none[SERVING] == pytest.approx(20 * 100 / 75, rel=1e-12)


def test_share_move_when_the_others_have_no_time(seed_role):
    all_in = set_value(seed_role, f"task:{GPU}:share", 100)
    back = shares_of(set_value(all_in, f"task:{GPU}:share", 40))
    # the others had 0 % each: the freed 60 % is split equally
    assert back[GPU] == 40
    assert all(v == pytest.approx(10) for n, v in back.items() if n != GPU)


@settings(max_examples=150)
@given(role_assessments(min_tasks=2, extras=False, any_total=True), st.data())
def test_share_move_keeps_the_role_total_and_other_proportions(a, data):
    task = data.draw(st.sampled_from(a.tasks))
    value = data.draw(st.floats(0, 100, allow_nan=False))
    changed = set_value(a, f"task:{task.name}:share", value)
    new = shares_of(changed)
    assert new[task.name] == value
    room = max(0.0, a.share_total - value)
    others = [t for t in a.tasks if t.name != task.name]
    old_rest = math.fsum(t.time_share for t in others)
    # the others fill what is left of the role's own total, no share above 100 (a 100.1 total
    # with the only other task at 0 leaves it 100)
    expected = {
        t.name: min(100.0, t.time_share * room / old_rest) if old_rest > 0 else room / len(others) for t in others
    }
    for name, v in expected.items():
        assert new[name] == pytest.approx(v, rel=1e-9, abs=1e-9)
    assert math.fsum(new.values()) == pytest.approx(value + math.fsum(expected.values()), abs=1e-9)
    if all(v < 100 for v in expected.values()):
        assert math.fsum(new.values()) == pytest.approx(max(a.share_total, value), abs=1e-9)
    # nothing else moved
    assert [t.score for t in changed.tasks] == [t.score for t in a.tasks]
    assert (changed.evidence, changed.barriers, changed.growth_correlation) == (
        a.evidence,
        a.barriers,
        a.growth_correlation,
    )


def test_several_shares_at_once(seed_role):
    changed = apply_changes(seed_role, {f"task:{GPU}:share": 40, f"task:{SERVING}:share": 30})
    new = shares_of(changed)
    assert (new[GPU], new[SERVING]) == (40, 30)
    # the five unnamed tasks had 55 %, now share 30 % in the same proportions
    assert new[COLLAB] == pytest.approx(5 * 30 / 55, rel=1e-12)
    assert math.fsum(new.values()) == pytest.approx(100, abs=1e-9)


def test_naming_every_share_scales_a_total_outside_99_101_to_the_roles(seed_role):
    changes = {f"task:{t.name}:share": 10 for t in seed_role.tasks}
    new = shares_of(apply_changes(seed_role, changes))
    assert all(v == pytest.approx(100 / 7, rel=1e-12) for v in new.values())


def test_named_shares_over_100_are_refused(seed_role):
    with pytest.raises(KnobError, match=r"take 130% of the time together; allowed: at most 101"):
        apply_changes(seed_role, {f"task:{GPU}:share": 70, f"task:{SERVING}:share": 60})


def test_all_shares_zero_is_refused(seed_role):
    with pytest.raises(KnobError, match="at least one task needs a time share above 0"):
        apply_changes(seed_role, {f"task:{t.name}:share": 0 for t in seed_role.tasks})


# --- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize("bad_id", ["task:No such task:score", "evidence:hype", "barrier:moat", "growthx", "", "task"])
def test_unknown_knob_id(seed_role, bad_id):
    with pytest.raises(KnobError) as info:
        set_value(seed_role, bad_id, 1)
    msg = str(info.value)
    assert f"unknown knob {bad_id!r}" in msg
    assert "task:<task name>:score" in msg and "growth" in msg


@pytest.mark.parametrize(
    ("knob_id", "value", "allowed"),
    [
        (f"task:{GPU}:score", 6, "a whole number from 1 to 5"),
        (f"task:{GPU}:score", 0, "a whole number from 1 to 5"),
        (f"task:{GPU}:score", 2.5, "a whole number from 1 to 5"),
        (f"task:{GPU}:share", 100.5, "a percentage from 0 to 100"),
        (f"task:{GPU}:share", -1, "a percentage from 0 to 100"),
        ("evidence:job_postings", 3, "a whole number from -2 to +2"),
        ("barrier:union", -1, "a whole number from 0 to 2"),
        ("growth", -3, "a whole number from -2 to +2"),
        ("growth", float("nan"), "a whole number from -2 to +2"),
        ("growth", float("inf"), "a whole number from -2 to +2"),
        ("growth", "high", "a whole number from -2 to +2"),
        (f"task:{GPU}:share", None, "a percentage from 0 to 100"),
    ],
)
def test_out_of_range_values(seed_role, knob_id, value, allowed):
    with pytest.raises(KnobError) as info:
        set_value(seed_role, knob_id, value)
    msg = str(info.value)
    assert msg.startswith(f"{knob_id}: ")
    assert msg.endswith(f"allowed: {allowed}")


def test_knob_errors_are_user_errors():
    from aijri_core import AIJRIError

    assert issubclass(KnobError, AIJRIError)


# --- scenarios and the round trip -------------------------------------------------------


def test_apply_scenario_equals_apply_changes(seed_role):
    changes = {"growth": 0, f"task:{SERVING}:share": 10}
    scenario = Scenario(name="less serving, no growth link", changes=changes)
    assert apply(seed_role, scenario) == apply_changes(seed_role, changes)
    # growth 1 -> 0 alone gives 46.4 YELLOW (hand-checked: 3.45 x 1.2 x 1.02 = 4.2228)
    assert score(apply(seed_role, Scenario(name="g0", changes={"growth": 0}))).score == 46.4


def test_empty_scenario_is_the_base(seed_role):
    assert apply(seed_role, Scenario(name="as published")) == seed_role
    assert changes_between(seed_role, seed_role) == {}


def test_changes_between_lists_only_what_moved(seed_role):
    changed = apply_changes(seed_role, {"growth": 2, "barrier:union": 1})
    assert changes_between(seed_role, changed) == {"barrier:union": 1, "growth": 2}


def test_changes_between_records_every_share_when_one_moved(seed_role):
    changed = set_value(seed_role, f"task:{GPU}:share", 35)
    diff = changes_between(seed_role, changed)
    assert sorted(diff) == sorted(f"task:{t.name}:share" for t in seed_role.tasks)
    assert apply_changes(seed_role, diff) == changed


def test_changes_between_writes_tasks_added_and_removed(seed_role):
    data = seed_role.model_dump()
    data["tasks"] = [{"name": "Everything", "time_share": 100, "score": 3, "mode": "displacement"}]
    everything = RoleAssessment.model_validate(data)
    diff = changes_between(seed_role, everything)
    assert diff["task:Everything:share"] == 100 and diff["task:Everything:score"] == 3
    assert diff["task:Everything:mode"] == 1
    assert all(diff[f"task:{t.name}:remove"] == 1 for t in seed_role.tasks)
    again = apply_changes(seed_role, diff)
    assert again.tasks == everything.tasks


def test_changes_between_needs_the_common_tasks_in_the_same_order(seed_role):
    data = seed_role.model_dump()
    data["tasks"] = list(reversed(data["tasks"]))
    with pytest.raises(KnobError, match="different orders"):
        changes_between(seed_role, RoleAssessment.model_validate(data))


@st.composite
def knob_changes(draw, a: RoleAssessment) -> dict[str, float]:
    """A few random in-range knob moves (shares kept jointly feasible)."""
    chosen = draw(st.lists(st.sampled_from(knobs(a)), max_size=6, unique_by=lambda k: k.id))
    out: dict[str, float] = {}
    share_room = 100.0
    n_shares = sum(1 for k in chosen if k.kind == "share")
    for k in chosen:
        if k.kind == "share":
            v = draw(st.integers(0, 1000).map(lambda x: x / 10))
            if n_shares < len(a.tasks):  # some tasks stay unnamed: named ones must fit in 100
                v = min(v, share_room)
                share_room -= v
            out[k.id] = v
        else:
            out[k.id] = draw(st.integers(int(k.min), int(k.max)))
    if n_shares == len(a.tasks) and n_shares and all(out[k.id] == 0 for k in chosen if k.kind == "share"):
        out[next(k.id for k in chosen if k.kind == "share")] = 10.0
    return out


@settings(max_examples=150)
@given(role_assessments(extras=False), st.data())
def test_apply_then_changes_between_round_trip(a, data):
    changes = data.draw(knob_changes(a))
    changed = apply_changes(a, changes)
    diff = changes_between(a, changed)
    assert set(diff) <= {k.id for k in knobs(a)}
    again = apply_changes(a, diff)
    assert scored_inputs(again) == scored_inputs(changed)
    assert score(again).score_unclamped == score(changed).score_unclamped
    # and the diff of the result is the diff itself (a fixed point)
    assert changes_between(a, again) == diff


@settings(max_examples=100)
@given(role_assessments(min_tasks=2, extras=False), st.data())
def test_changes_between_of_a_share_move_reproduces_it(a, data):
    task = data.draw(st.sampled_from(a.tasks))
    value = data.draw(st.integers(0, 1000).map(lambda x: x / 10))
    assume(value != task.time_share)
    changed = set_value(a, f"task:{task.name}:share", value)
    assert apply_changes(a, changes_between(a, changed)) == changed


def test_count_changed_inputs_counts_every_share_the_user_set():
    from aijri_core.knobs import count_changed_inputs

    assert count_changed_inputs({}) == 0
    assert count_changed_inputs({"growth": 2, "barrier:union": 1}) == 2
    # two shares set by the user (the others follow them and are not changes): two inputs, plus
    # the task score and growth
    assert count_changed_inputs({"growth": 2, "task:A:share": 30.0, "task:B:share": 20.0, "task:A:score": 3}) == 4
