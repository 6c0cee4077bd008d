"""Rounding (1 decimal, half away from zero), zones on the published score, sub-labels, clamp."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from aijri_core import DEFAULT, Methodology, RoleAssessment, Zone, publish_round, score, score_many, zone_of
from aijri_core.methodology import publish, sublabel_code, zone_code
from aijri_core.model import BARRIERS, EVIDENCE_DIMENSIONS, PROTECTIVE_PRINCIPLES


def one_task_role(task_score: int, evidence: int, barrier: int, growth: int, **extra) -> RoleAssessment:
    """A single-task role with every evidence dimension and barrier at the same rating."""
    return RoleAssessment.model_validate(
        {
            "title": "Boundary role",
            "tasks": [{"name": "Only task", "time_share": 100, "score": task_score}],
            "evidence": dict.fromkeys(EVIDENCE_DIMENSIONS, evidence),
            "barriers": dict.fromkeys(BARRIERS, barrier),
            "growth_correlation": growth,
            "protective": dict.fromkeys(PROTECTIVE_PRINCIPLES, 0),
            **extra,
        }
    )


def method_landing_on(role: RoleAssessment, target: float) -> Methodology:
    """A methodology whose offset puts this role's unclamped score exactly at ``target``
    (the offset is a short decimal, so its float reads back as that decimal)."""
    m = DEFAULT
    raw = (
        (Fraction(str(m.task_resistance_ceiling)) - role.tasks[0].score)
        * (1 + Fraction(str(m.evidence_weight)) * role.evidence.total)
        * (1 + Fraction(str(m.barrier_weight)) * role.barriers.total)
        * (1 + Fraction(str(m.growth_weight)) * role.growth_correlation)
    )
    offset = raw - Fraction(str(target)) * Fraction(str(m.normalisation_span)) / 100
    assert Fraction(repr(float(offset))) == offset
    return m.with_changes(normalisation_offset=float(offset))


# Published score and zone for unrounded scores at the edges of each zone.
BOUNDARIES = [
    (47.95, 48.0, Zone.GREEN),
    (47.94, 47.9, Zone.YELLOW),
    (47.9499, 47.9, Zone.YELLOW),
    (24.95, 25.0, Zone.YELLOW),
    (24.94, 24.9, Zone.RED),
    (48.0, 48.0, Zone.GREEN),
    (25.0, 25.0, Zone.YELLOW),
    (47.5, 47.5, Zone.YELLOW),  # ML Platform Engineer, published YELLOW
    (44.55, 44.6, Zone.YELLOW),
    (0.05, 0.1, Zone.RED),
    (99.95, 100.0, Zone.GREEN),
]


@pytest.mark.parametrize(("unrounded", "published", "zone"), BOUNDARIES)
def test_publish_round_and_zone(unrounded, published, zone):
    assert publish_round(unrounded) == published
    assert zone_of(publish_round(unrounded)) is zone


@pytest.mark.parametrize(("unrounded", "published", "zone"), BOUNDARIES)
def test_boundaries_through_the_scorer(unrounded, published, zone):
    role = one_task_role(1, 2, 2, 2)  # raw 9.24: room to move the offset for every target
    m = method_landing_on(role, unrounded)
    s = score(role, m)
    assert s.score_unclamped == pytest.approx(unrounded, abs=1e-9)
    assert s.score == published
    assert s.zone is zone
    batch = score_many([1], [100], [role.evidence.total], [role.barriers.total], [role.growth_correlation], m)
    assert batch.score[0] == published
    assert batch.zones() == [zone]


def test_half_away_from_zero_differs_from_python_round():
    # Python's round works on the binary value (44.55 is stored as 44.5499...) and rounds
    # half to even; the method rounds the decimal a person reads half away from zero.
    assert round(44.55, 1) == 44.5
    assert publish_round(44.55) == 44.6
    assert publish_round(0.25) == 0.3  # round(0.25, 1) gives 0.2 (half to even)
    assert publish_round(-44.55) == -44.6
    assert publish_round(-0.04) == 0.0
    assert str(publish_round(-0.04)) == "0.0"  # no negative zero


def test_publish_round_on_arrays_matches_scalars():
    values = np.array([47.95, 47.94, 24.95, 24.94, 44.55, 109.70996, 0.0, -0.05])
    rounded = publish_round(values)
    assert rounded.tolist() == [publish_round(float(v)) for v in values]
    assert rounded.tolist() == [48.0, 47.9, 25.0, 24.9, 44.6, 109.7, 0.0, -0.1]


def test_publish_round_other_decimals():
    assert publish_round(49.10390920554855, 2) == 49.10
    assert publish_round(49.105, 2) == 49.11
    assert publish_round(49.5, 0) == 50.0


def test_zone_codes_match_zones():
    published = np.array([0.0, 24.9, 25.0, 47.9, 48.0, 100.0])
    assert zone_code(published).tolist() == [0, 0, 1, 1, 2, 2]
    assert [zone_of(p) for p in published] == [Zone.RED, Zone.RED, Zone.YELLOW, Zone.YELLOW, Zone.GREEN, Zone.GREEN]


def test_maximum_inputs_give_109_7_unclamped_and_100_clamped():
    # TR 5, E +10 (1.40), B 10 (1.20), G +2 (1.10): raw 9.24, (9.24 - 0.54) / 7.93 x 100 = 109.71
    s = score(one_task_role(1, 2, 2, 2))
    assert s.raw == pytest.approx(9.24, abs=1e-12)
    assert publish_round(s.score_unclamped) == 109.7
    assert s.score == 100.0
    assert s.clamped is True
    assert s.zone is Zone.GREEN
    assert s.sublabel == "Accelerated"


def test_clamp_off_keeps_109_7():
    s = score(one_task_role(1, 2, 2, 2), DEFAULT.with_changes(clamp=False))
    assert s.score == 109.7
    assert s.clamped is False
    assert s.zone is Zone.GREEN


def test_minimum_inputs_give_0():
    # TR 1, E -10 (0.60), B 0, G -2 (0.90): raw 0.54 -> 0
    for m in (DEFAULT, DEFAULT.with_changes(clamp=False)):
        s = score(one_task_role(5, -2, 0, -2), m)
        assert s.raw == pytest.approx(0.54, abs=1e-12)
        assert s.score == 0.0
        assert s.clamped is False
        assert s.zone is Zone.RED
        assert s.sublabel is None
        assert s.threshold_above == 25
        assert s.distance_above == pytest.approx(-25.0)
        assert s.threshold_below is None


def test_publish_reports_clamping_both_ways():
    assert publish(109.70996) == (100.0, True)
    assert publish(-3.2) == (0.0, True)
    assert publish(49.104) == (49.1, False)
    assert publish(-3.2, DEFAULT.with_changes(clamp=False)) == (-3.2, False)
    published, clamped = publish(np.array([-1.0, 50.0, 120.0]))
    assert published.tolist() == [0.0, 50.0, 100.0]
    assert clamped.tolist() == [True, False, True]


def test_sublabels_in_order(seed_role):
    # Seed: growth +1, 55 % of time at 3+ -> Transforming.
    assert score(seed_role).sublabel == "Transforming"
    # Growth +2 and GREEN -> Accelerated, checked before Transforming.
    accelerated = seed_role.model_copy(update={"growth_correlation": 2})
    s = score(accelerated)
    assert (s.score, s.zone, s.sublabel) == (51.8, Zone.GREEN, "Accelerated")
    # No time at score 3+ -> Stable.
    stable = one_task_role(2, 1, 0, 1)
    s = score(stable)
    assert s.zone is Zone.GREEN
    assert s.share_time_score_3_plus == 0.0
    assert s.sublabel == "Stable"
    # YELLOW and RED carry no formula sub-label.
    assert score(one_task_role(3, 0, 0, 0)).sublabel is None
    assert score(one_task_role(5, -2, 0, -2)).sublabel is None


def test_transforming_starts_at_exactly_20_percent():
    codes = sublabel_code(np.array([2, 2, 2, 1]), np.array([1, 1, 2, 1]), np.array([19.9, 20.0, 0.0, 90.0]))
    assert codes.tolist() == [1, 2, 3, 0]  # Stable, Transforming, Accelerated, (YELLOW: none)


def test_override_sets_the_final_zone_only(seed_role):
    data = seed_role.model_dump()
    data["override"] = {"zone": "Yellow", "reason": "evidence points lower"}
    overridden = RoleAssessment.model_validate(data)
    s = score(overridden)
    assert s.zone is Zone.GREEN
    assert s.sublabel == "Transforming"
    assert s.final_zone is Zone.YELLOW
    assert s.final_sublabel is None
    assert s.overridden is True
    assert s.zone_text == "YELLOW"


def test_threshold_distances_inside_yellow():
    role = one_task_role(3, 1, 0, 0)
    s = score(role)
    assert s.zone is Zone.YELLOW
    assert s.threshold_above == 48 and s.threshold_below == 25
    assert s.distance_above == pytest.approx(s.score - 48, abs=1e-9)
    assert s.distance_below == pytest.approx(s.score - 25, abs=1e-9)


def test_methodology_thresholds_are_parameters(seed_role):
    stricter = DEFAULT.with_changes(green_threshold=50)
    s = score(seed_role, stricter)
    assert s.score == 49.1
    assert s.zone is Zone.YELLOW
    assert s.threshold_above == 50
    with pytest.raises(ValueError, match="yellow_threshold"):
        DEFAULT.with_changes(yellow_threshold=60)
