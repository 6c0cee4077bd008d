"""breakdown(): the one structure of how a score is built, checked on the seed by hand.

Seed figures (the published tables): tasks 25x2, 20x3, 15x3, 15x2, 10x3, 10x3, 5x2 (% x score)
-> weights 0.25 .. 0.05, contributions 0.50, 0.60, 0.45, 0.30, 0.30, 0.30, 0.10, sum 2.55;
TR 6.00 - 2.55 = 3.45; E = 1+2+1+0+1 = 5 -> 1 + 5 x 0.04 = 1.20; B = 1 -> 1.02; G = 1 -> 1.05;
raw 3.45 x 1.20 x 1.02 x 1.05 = 4.43394; (4.43394 - 0.54) / 7.93 x 100 = 49.1039 -> 49.1 GREEN
(Transforming: 55% of the time on tasks scoring 3+), 1.1 points above the GREEN line at 48.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from strategies import methodologies, role_assessments

from aijri_core.io import bundled_role
from aijri_core.methodology import DEFAULT, Zone
from aijri_core.model import Override
from aijri_core.scoring import breakdown, score

SEED_WEIGHTS = [0.25, 0.20, 0.15, 0.15, 0.10, 0.10, 0.05]
SEED_CONTRIBUTIONS = [0.50, 0.60, 0.45, 0.30, 0.30, 0.30, 0.10]


@pytest.fixture(scope="module")
def b(seed_role):
    return breakdown(seed_role)


def test_tasks_weights_and_contributions(b, seed_role):
    assert [t.name for t in b.tasks] == [t.name for t in seed_role.tasks]
    assert [t.time_share for t in b.tasks] == [25, 20, 15, 15, 10, 10, 5]
    assert [t.score for t in b.tasks] == [2, 3, 3, 2, 3, 3, 2]
    assert [t.weight for t in b.tasks] == pytest.approx(SEED_WEIGHTS, abs=1e-12)
    assert [t.contribution for t in b.tasks] == pytest.approx(SEED_CONTRIBUTIONS, abs=1e-12)
    assert b.share_total == 100
    assert b.weighted_task_score == pytest.approx(2.55, abs=1e-12)
    assert b.task_resistance_ceiling == 6.0
    assert b.task_resistance == pytest.approx(3.45, abs=1e-12)


def test_factors(b):
    assert [r.rating for r in b.evidence.rows] == [1, 2, 1, 0, 1]
    assert b.evidence.rows[1].label == "Company actions"
    assert (b.evidence.symbol, b.evidence.total, b.evidence.low, b.evidence.high) == ("E", 5, -10, 10)
    assert (b.evidence.weight, b.evidence.modifier) == (0.04, pytest.approx(1.20, abs=1e-12))
    assert [r.rating for r in b.barriers.rows] == [0, 0, 0, 1, 0]
    assert (b.barriers.total, b.barriers.low, b.barriers.high) == (1, 0, 10)
    assert b.barriers.modifier == pytest.approx(1.02, abs=1e-12)
    assert (b.growth.total, b.growth.low, b.growth.high, b.growth.rows) == (1, -2, 2, ())
    assert b.growth.modifier == pytest.approx(1.05, abs=1e-12)
    assert [r.rating for r in b.protective.rows] == [0, 1, 1]
    assert (b.protective.total, b.protective.high, b.protective.modifier) == (2, 9, None)
    assert [f.symbol for f in b.factors] == ["E", "B", "G"]


def test_raw_score_zone(b):
    assert f"{b.raw:.4f}" == "4.4339"
    assert b.raw == pytest.approx(3.45 * 1.20 * 1.02 * 1.05, abs=1e-12)
    assert b.score_unclamped == pytest.approx((4.43394 - 0.54) / 7.93 * 100, abs=1e-9)
    assert (b.score, b.clamped, b.decimals) == (49.1, False, 1)
    assert (b.zone, b.sublabel, b.final_zone, b.final_sublabel) == (Zone.GREEN, "Transforming", Zone.GREEN, "Transforming")
    assert (b.threshold_below, b.threshold_above, b.distance_above) == (48, None, None)
    assert b.distance_below == pytest.approx(1.1, abs=1e-9)
    assert b.share_time_score_3_plus == pytest.approx(55.0, abs=1e-12)
    assert (b.displacement_share, b.augmentation_share, b.not_involved_share) == pytest.approx((0, 95, 5), abs=1e-12)
    assert b.published_matches is True


def test_override_and_published_mismatch(seed_role):
    a = seed_role.model_copy(
        update={
            "override": Override(zone=Zone.YELLOW, reason="borderline"),
            "published": seed_role.published.model_copy(update={"score": 49.2}),
        }
    )
    b = breakdown(a)
    assert (b.zone, b.final_zone, b.final_sublabel) == (Zone.GREEN, Zone.YELLOW, None)
    assert b.override.reason == "borderline"
    assert b.published_matches is False


@settings(max_examples=200)
@given(a=role_assessments(), m=methodologies())
def test_agrees_with_score(a, m):
    """Every figure is score()'s; contributions add up to the weighted task score, weights to 1."""
    b = breakdown(a, m)
    s = score(a, m)
    assert [t.contribution for t in b.tasks] == list(s.task_weighted)
    assert sum(t.weight for t in b.tasks) == pytest.approx(1.0, abs=1e-9)
    assert sum(t.contribution for t in b.tasks) == pytest.approx(b.weighted_task_score, abs=1e-9)
    for f, total, mod in (
        (b.evidence, s.evidence_total, s.evidence_modifier),
        (b.barriers, s.barrier_total, s.barrier_modifier),
        (b.growth, s.growth_correlation, s.growth_modifier),
    ):
        assert (f.total, f.modifier) == (total, mod)
        assert f.modifier == pytest.approx(1 + f.weight * f.total, abs=1e-12)
        assert f.low <= f.total <= f.high
        assert f.total == (sum(r.rating for r in f.rows) if f.rows else f.total)
    assert b.raw == s.raw
    assert b.raw == pytest.approx(
        b.task_resistance * b.evidence.modifier * b.barriers.modifier * b.growth.modifier, rel=1e-12
    )
    assert (b.score, b.zone, b.sublabel, b.clamped) == (s.score, s.zone, s.sublabel, s.clamped)
    assert (b.distance_above, b.distance_below) == (s.distance_above, s.distance_below)
    assert b.decimals == m.decimals


def test_default_method(seed_role):
    assert breakdown(seed_role) == breakdown(seed_role, DEFAULT)


def test_steps_in_score_points_rebuild_the_seed_score():
    """TR 3.45 alone is (3.45 - 0.54) / 7.93 x 100 = 36.70 points; x1.20 evidence, x1.02 barriers
    and x1.05 growth add the rest up to the unclamped 49.07 (raw 4.4339)."""
    b = breakdown(bundled_role("ai-infrastructure-engineer"))
    tr, ev, ba, gr, total = b.steps
    assert tr.points == pytest.approx((3.45 - 0.54) / 7.93 * 100)
    assert ev.points == pytest.approx(3.45 * 0.20 / 7.93 * 100)
    assert ba.points == pytest.approx(3.45 * 1.20 * 0.02 / 7.93 * 100)
    assert gr.points == pytest.approx(3.45 * 1.20 * 1.02 * 0.05 / 7.93 * 100)
    assert tr.points + ev.points + ba.points + gr.points == pytest.approx(total.points)
    assert total.points == b.score_unclamped and total.raw == pytest.approx(4.4339, abs=5e-5)
    assert [s.measure for s in b.steps] == ["absolute", "relative", "relative", "relative", "total"]
