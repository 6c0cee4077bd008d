"""evaluate_scenarios agrees with score(apply(base, scenario)) exactly, scenario by scenario:
the same score, final zone and sub-label, the same inputs, and an error where apply refuses."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from aijri_core import AIJRIError, bundled_roles
from aijri_core.knobs import apply_changes, knobs, task_mode_id, task_remove_id, values
from aijri_core.model import Scenario
from aijri_core.scenario_batch import evaluate_scenarios
from aijri_core.scoring import score
from tests.strategies import methodologies, role_assessments


def _expected(base, sc, m):
    try:
        changed = apply_changes(base, sc.changes)
    except AIJRIError:
        return None
    s = score(changed, m)
    return s.score, s.final_zone, s.final_sublabel, values(changed), {t.name: t.mode for t in changed.tasks}, s.overridden


@st.composite
def role_and_scenarios(draw):
    base = draw(role_assessments(max_tasks=6))
    ks = knobs(base)
    out = []
    for i in range(draw(st.integers(1, 8))):
        changes = {}
        for k in draw(st.lists(st.sampled_from(ks), max_size=4, unique_by=lambda k: k.id)):
            if k.kind == "share":
                # in range, out of range (refused), or the base value itself (no change)
                v = draw(st.sampled_from([0.0, 100.0, 250.0]) | st.integers(0, 1000).map(lambda v: v / 10))
            else:
                v = draw(st.integers(int(k.min) - 1, int(k.max) + 1))  # one step outside on each side too
            changes[k.id] = v
        reshape = draw(st.sampled_from(["none", "none", "mode", "remove"]))
        name = base.tasks[0].name
        if reshape == "mode":
            changes[task_mode_id(name)] = draw(st.integers(0, 2))
        elif reshape == "remove" and len(base.tasks) > 1:
            changes = {kid: v for kid, v in changes.items() if not kid.startswith(f"task:{name}:")}
            changes[task_remove_id(name)] = 1
        out.append(Scenario(name=f"s{i}", changes=changes))
    return base, out


@given(role_and_scenarios(), methodologies())
def test_batch_equals_apply_and_score(case, m):
    base, scenarios = case
    got = evaluate_scenarios(base, scenarios, m, with_values=True)
    assert len(got) == len(scenarios)
    for sc, r in zip(scenarios, got, strict=True):
        want = _expected(base, sc, m)
        if want is None:
            assert isinstance(r, AIJRIError), sc.changes
            continue
        assert not isinstance(r, AIJRIError), (sc.changes, r)
        assert (r.score, r.zone, r.sublabel) == want[:3], sc.changes
        assert r.values == want[3] and list(r.values) == list(want[3])
        assert r.modes == want[4] and r.overridden == want[5]


def test_bundled_role_unchanged_keeps_its_own_result():
    """An empty scenario is the role as published: the seed role scores 62.3 (seed table)."""
    base = next(iter(bundled_roles().values()))
    [r] = evaluate_scenarios(base, [Scenario(name="as is")])
    assert r.score == score(base).score
    assert (r.zone, r.sublabel) == (score(base).final_zone, score(base).final_sublabel)
