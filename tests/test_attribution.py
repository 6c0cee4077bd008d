"""Shapley attribution: parts sum to the unclamped change; hand-checked small cases."""

from __future__ import annotations

import itertools
from math import factorial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import role_assessments

from aijri_core import AIJRIError, Scenario, apply_changes, attribute, knobs, score
from aijri_core.analyses.attribution import MAX_SHAPLEY_KNOBS

GPU = "GPU cluster & training infrastructure management"
SERVING = "Model serving & inference infrastructure"


def unclamped(a, changes):
    return score(apply_changes(a, changes)).score_unclamped


def test_single_knob_takes_the_whole_change(seed_role):
    r = attribute(seed_role, Scenario(name="no growth", changes={"growth": 0}))
    assert (r.base_published, r.scenario_published) == (49.1, 46.4)
    assert r.change == pytest.approx(unclamped(seed_role, {"growth": 0}) - score(seed_role).score_unclamped)
    assert [p.key for p in r.groups] == ["tasks", "evidence", "barriers", "growth"]
    assert [p.contribution for p in r.groups[:3]] == [0, 0, 0]
    assert r.groups[3].contribution == pytest.approx(r.change, abs=1e-12)
    assert [(p.key, p.contribution) for p in r.knobs] == [("growth", pytest.approx(r.change, abs=1e-12))]


def test_two_knobs_split_the_interaction_equally(seed_role):
    """Two players: phi_a = (v(a) - v(0) + v(ab) - v(b)) / 2, computed here by hand."""
    changes = {"growth": 2, "evidence:ai_tool_maturity": -2}
    r = attribute(seed_role, changes)
    v0 = score(seed_role).score_unclamped
    va = unclamped(seed_role, {"growth": 2})
    vb = unclamped(seed_role, {"evidence:ai_tool_maturity": -2})
    vab = unclamped(seed_role, changes)
    by = {p.key: p.contribution for p in r.knobs}
    assert by["growth"] == pytest.approx((va - v0 + vab - vb) / 2, abs=1e-12)
    assert by["evidence:ai_tool_maturity"] == pytest.approx((vb - v0 + vab - va) / 2, abs=1e-12)
    groups = {p.key: p.contribution for p in r.groups}
    assert groups["growth"] == pytest.approx(by["growth"], abs=1e-12)
    assert groups["evidence"] == pytest.approx(by["evidence:ai_tool_maturity"], abs=1e-12)


def brute_force_shapley(a, changes):
    """Shapley values by enumerating every order (permutations), through apply_changes + score."""
    ids = list(changes)
    n = len(ids)
    phi = dict.fromkeys(ids, 0.0)
    for order in itertools.permutations(ids):
        done: dict = {}
        prev = unclamped(a, done)
        for kid in order:
            done[kid] = changes[kid]
            now = unclamped(a, done)
            phi[kid] += now - prev
            prev = now
    return {kid: v / factorial(n) for kid, v in phi.items()}


def test_matches_brute_force_with_shares(seed_role):
    changes = {
        f"task:{GPU}:share": 40,
        f"task:{SERVING}:share": 10,
        f"task:{GPU}:score": 3,
        "growth": -1,
    }
    r = attribute(seed_role, changes)
    expected = brute_force_shapley(seed_role, changes)
    by = {p.key: p.contribution for p in r.knobs}
    assert by == pytest.approx(expected, abs=1e-9)
    assert sum(by.values()) == pytest.approx(r.change, abs=1e-9)


def test_scenario_pinning_every_share_is_normalised(seed_role):
    changes = {f"task:{t.name}:share": 20.0 for t in seed_role.tasks}  # 7 x 20 = 140: scaled to 100
    r = attribute(seed_role, changes)
    assert r.scenario_published == score(apply_changes(seed_role, changes)).score
    assert sum(p.contribution for p in r.knobs) == pytest.approx(r.change, abs=1e-9)
    assert sum(p.contribution for p in r.groups) == pytest.approx(r.change, abs=1e-9)
    assert {p.key for p in r.groups if p.contribution != 0} == {"tasks"}


def test_unchanged_values_are_not_players(seed_role):
    r = attribute(seed_role, {"growth": 1, "evidence:company_actions": 2, "barrier:union": 1})
    assert [p.key for p in r.knobs] == ["barrier:union"]


def test_accepts_a_changed_assessment(seed_role):
    changed = apply_changes(seed_role, {"growth": 0, "barrier:liability": 2})
    r = attribute(seed_role, changed)
    assert [p.key for p in r.knobs] == ["barrier:liability", "growth"]
    assert r.scenario_published == score(changed).score


def test_more_than_twelve_knobs_gives_groups_only(seed_role):
    changes = {k.id: (k.min if k.integer else None) for k in knobs(seed_role)}
    changes = {kid: v for kid, v in changes.items() if v is not None}  # all 18 whole-number knobs to their minimum
    assert len(changes) > MAX_SHAPLEY_KNOBS
    r = attribute(seed_role, changes)
    assert r.knobs is None
    assert sum(p.contribution for p in r.groups) == pytest.approx(r.change, abs=1e-9)
    df = r.to_df()
    assert list(df["level"]) == ["group"] * 4


def test_to_df_and_errors(seed_role):
    r = attribute(seed_role, {"growth": 2, f"task:{GPU}:score": 1})
    df = r.to_df()
    assert list(df["level"]) == ["group"] * 4 + ["knob"] * 2
    assert list(df["knob_id"].iloc[4:]) == [f"task:{GPU}:score", "growth"]
    assert df["contribution"].iloc[4:].sum() == pytest.approx(r.change, abs=1e-9)
    with pytest.raises(AIJRIError, match="unknown knob"):
        attribute(seed_role, {"growth!": 1})
    with pytest.raises(AIJRIError, match="out of range"):
        attribute(seed_role, {"growth": 3})


@st.composite
def role_and_changes(draw):
    a = draw(role_assessments(max_tasks=5, extras=False))
    ks = knobs(a)
    chosen = draw(st.lists(st.sampled_from(ks), unique_by=lambda k: k.id, max_size=9))
    changes = {}
    share_knobs = [k for k in chosen if k.kind == "share"]
    for k in chosen:
        if k.integer:
            changes[k.id] = draw(st.integers(int(k.min), int(k.max)))
    if share_knobs:
        weights = draw(st.lists(st.integers(0, 100), min_size=len(share_knobs), max_size=len(share_knobs)))
        if len(share_knobs) == len(a.tasks):
            if sum(weights) == 0:
                weights[0] = 1
            budget = draw(st.integers(1, 150))
        else:
            budget = draw(st.integers(0, 100))
        total = sum(weights) or 1
        for k, w in zip(share_knobs, weights, strict=True):
            changes[k.id] = min(k.max, w * budget / total)  # each share stays within its knob's range
    return a, changes


@settings(max_examples=60, deadline=None)
@given(data=role_and_changes())
def test_parts_sum_to_change(data):
    a, changes = data
    r = attribute(a, Scenario(name="random", changes=changes))
    s_new = score(apply_changes(a, changes))
    assert r.scenario_score == s_new.score_unclamped and r.scenario_published == s_new.score
    assert r.change == pytest.approx(s_new.score_unclamped - score(a).score_unclamped, abs=1e-12)
    assert sum(p.contribution for p in r.groups) == pytest.approx(r.change, abs=1e-9)
    assert r.knobs is not None
    assert sum(p.contribution for p in r.knobs) == pytest.approx(r.change, abs=1e-9)
    # a group without changed knobs gets nothing
    changed_groups = {k.group for k in knobs(a) if any(p.key == k.id for p in r.knobs)}
    for p in r.groups:
        if p.key not in changed_groups:
            assert p.contribution == 0
