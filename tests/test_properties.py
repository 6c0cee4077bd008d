"""Properties of the scorer on random valid assessments (hypothesis)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import methodologies, role_assessments

from aijri_core import (
    DEFAULT,
    RoleAssessment,
    assessment_to_json,
    batch_inputs,
    load_assessment,
    parse_assessment_json,
    save_assessment,
    score,
    score_many,
    set_value,
    zone_of,
)
from aijri_core.methodology import SCALE_MAX, SCALE_MIN
from aijri_core.model import BARRIERS, EVIDENCE_DIMENSIONS

TOL = 1e-12  # float slack for "never decreases" on the unrounded score

#: Scored inputs only (published/override/texts do not enter the formula): faster to draw.
scored_roles = role_assessments(extras=False)


def _no_worse(before: RoleAssessment, after: RoleAssessment, m=DEFAULT) -> None:
    """``after`` scores at least as high as ``before``, unrounded and published."""
    b, a = score(before, m), score(after, m)
    assert a.score_unclamped >= b.score_unclamped - TOL
    assert a.raw >= b.raw - TOL
    assert a.score >= b.score
    assert ["Red", "Yellow", "Green"].index(a.zone.value) >= ["Red", "Yellow", "Green"].index(b.zone.value)


@settings(max_examples=200)
@given(scored_roles, st.data())
def test_lowering_a_task_score_never_lowers_the_score(a, data):
    task = data.draw(st.sampled_from(a.tasks))
    assume(task.score > 1)
    lower = data.draw(st.integers(1, task.score - 1))
    _no_worse(a, set_value(a, f"task:{task.name}:score", lower))


@settings(max_examples=200)
@given(scored_roles, st.sampled_from(EVIDENCE_DIMENSIONS), st.data())
def test_raising_evidence_never_lowers_the_score(a, dim, data):
    current = getattr(a.evidence, dim)
    assume(current < 2)
    higher = data.draw(st.integers(current + 1, 2))
    _no_worse(a, set_value(a, f"evidence:{dim}", higher))


@settings(max_examples=200)
@given(scored_roles, st.sampled_from(BARRIERS), st.data())
def test_raising_a_barrier_never_lowers_the_score(a, barrier, data):
    current = getattr(a.barriers, barrier)
    assume(current < 2)
    higher = data.draw(st.integers(current + 1, 2))
    _no_worse(a, set_value(a, f"barrier:{barrier}", higher))


@settings(max_examples=200)
@given(scored_roles, st.data())
def test_raising_growth_never_lowers_the_score(a, data):
    assume(a.growth_correlation < 2)
    higher = data.draw(st.integers(a.growth_correlation + 1, 2))
    _no_worse(a, set_value(a, "growth", higher))


@settings(max_examples=100)
@given(scored_roles, methodologies(), st.data())
def test_monotone_under_methodology_variants(a, m, data):
    # The weights are >= 0, so the direction holds for every valid method, not only the default.
    dim = data.draw(st.sampled_from(EVIDENCE_DIMENSIONS))
    assume(getattr(a.evidence, dim) < 2)
    _no_worse(a, set_value(a, f"evidence:{dim}", getattr(a.evidence, dim) + 1), m)


@st.composite
def same_size_batches(draw, max_size: int = 6):
    k = draw(st.integers(1, 8))
    return draw(st.lists(role_assessments(min_tasks=k, max_tasks=k, extras=False), min_size=1, max_size=max_size))


def _assert_batch_equals_singles(batch, singles):
    for i, s in enumerate(singles):
        assert batch.weighted_task_score[i] == s.weighted_task_score
        assert batch.task_resistance[i] == s.task_resistance
        assert batch.evidence_total[i] == s.evidence_total
        assert batch.evidence_modifier[i] == s.evidence_modifier
        assert batch.barrier_total[i] == s.barrier_total
        assert batch.barrier_modifier[i] == s.barrier_modifier
        assert batch.growth_correlation[i] == s.growth_correlation
        assert batch.growth_modifier[i] == s.growth_modifier
        assert batch.raw[i] == s.raw
        assert batch.score_unclamped[i] == s.score_unclamped
        assert batch.score[i] == s.score
        assert bool(batch.clamped[i]) is s.clamped
        assert batch.share_time_score_3_plus[i] == s.share_time_score_3_plus
    assert batch.zones() == [s.zone for s in singles]
    assert batch.sublabels() == [s.sublabel for s in singles]


@settings(max_examples=200)
@given(same_size_batches())
def test_score_many_equals_score_exactly(batch):
    _assert_batch_equals_singles(score_many(**batch_inputs(batch)), [score(a) for a in batch])


@settings(max_examples=100)
@given(same_size_batches(max_size=3), methodologies())
def test_score_many_equals_score_under_any_methodology(batch, m):
    _assert_batch_equals_singles(score_many(**batch_inputs(batch), methodology=m), [score(a, m) for a in batch])


@settings(max_examples=100)
@given(same_size_batches(max_size=4))
def test_score_many_with_per_dimension_ratings_equals_score(batch):
    inputs = batch_inputs(batch)
    inputs["evidence"] = np.array([[getattr(a.evidence, d) for d in EVIDENCE_DIMENSIONS] for a in batch])
    inputs["barriers"] = np.array([[getattr(a.barriers, b) for b in BARRIERS] for a in batch])
    _assert_batch_equals_singles(score_many(**inputs), [score(a) for a in batch])


@settings(max_examples=200)
@given(scored_roles)
def test_published_score_is_on_the_scale_and_zone_follows_it(a):
    s = score(a)
    assert SCALE_MIN <= s.score <= SCALE_MAX
    assert s.zone is zone_of(s.score)
    assert 1.0 <= s.weighted_task_score <= 5.0
    assert 1.0 <= s.task_resistance <= 5.0
    # The method's quirk: the unrounded score may exceed 100 (up to 109.71), never drop below 0.
    assert -TOL <= s.score_unclamped <= 109.71
    assert s.clamped is (s.score_unclamped > SCALE_MAX)
    assert abs(s.displacement_share + s.augmentation_share + s.not_involved_share - 100) < 1e-9
    assert s.sublabel is None or s.zone.label == "GREEN"


@settings(max_examples=200)
@given(role_assessments())
def test_save_then_load_is_the_identity(a):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "role.json"
        save_assessment(a, path)
        loaded = load_assessment(path)
        assert loaded == a
        assert score(loaded) == score(a)
        # saving again gives the same bytes, and leaves no temporary file behind
        first = path.read_bytes()
        save_assessment(loaded, path)
        assert path.read_bytes() == first
        assert [p.name for p in Path(folder).iterdir()] == ["role.json"]


@settings(max_examples=200)
@given(role_assessments())
def test_json_text_round_trip_is_the_identity(a):
    assert parse_assessment_json(assessment_to_json(a)) == a
    assert parse_assessment_json(assessment_to_json(a).encode("utf-8")) == a
