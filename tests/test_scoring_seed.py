"""The bundled role reproduces every figure of the published seed assessment.

Expected values are the seed's own tables, checked by hand:
tasks 25x2, 20x3, 15x3, 15x2, 10x3, 10x3, 5x2 (% x score) -> 2.55; TR 6.00 - 2.55 = 3.45;
E = 1+2+1+0+1 = 5 -> 1.20; B = 1 -> 1.02; G = 1 -> 1.05;
raw 3.45 x 1.20 x 1.02 x 1.05 = 4.433940; (4.43394 - 0.54) / 7.93 x 100 = 49.1039 -> 49.1.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from aijri_core import DEFAULT, Zone, batch_inputs, load_assessment, score, score_many
from aijri_core.io import bundled_roles

SEED_TASKS = [
    ("GPU cluster & training infrastructure management", 25, 2, 0.50, "augmentation"),
    ("Model serving & inference infrastructure", 20, 3, 0.60, "augmentation"),
    ("Training pipeline orchestration & MLOps integration", 15, 3, 0.45, "augmentation"),
    ("CUDA/NCCL performance optimisation & debugging", 15, 2, 0.30, "augmentation"),
    ("Cost management & GPU resource economics", 10, 3, 0.30, "augmentation"),
    ("Monitoring, observability & incident response", 10, 3, 0.30, "augmentation"),
    ("Cross-functional collaboration (ML/DS/SWE teams)", 5, 2, 0.10, "not_involved"),
]


@pytest.fixture(scope="module")
def seed_score(seed_role):
    return score(seed_role)


def test_bundled_role_carries_the_seed_inputs(seed_role):
    assert seed_role.title == "AI Infrastructure Engineer"
    assert seed_role.seniority == "Mid-Level (3-6 years experience)"
    got = [(t.name, t.time_share, t.score, t.mode.value) for t in seed_role.tasks]
    assert got == [(n, s, sc, mode) for n, s, sc, _, mode in SEED_TASKS]
    assert seed_role.evidence.model_dump() == {
        "job_postings": 1,
        "company_actions": 2,
        "wage_trends": 1,
        "ai_tool_maturity": 0,
        "expert_consensus": 1,
    }
    assert seed_role.barriers.model_dump() == {
        "regulatory": 0,
        "physical_presence": 0,
        "union": 0,
        "liability": 1,
        "cultural": 0,
    }
    assert seed_role.growth_correlation == 1
    assert seed_role.published is not None
    assert (seed_role.published.score, seed_role.published.zone, seed_role.published.sublabel) == (
        49.1,
        Zone.GREEN,
        "Transforming",
    )
    assert seed_role.override is None


@pytest.mark.parametrize("index", range(len(SEED_TASKS)))
def test_each_task_weighted_value(seed_score, index):
    expected = SEED_TASKS[index][3]
    assert round(seed_score.task_weighted[index], 2) == expected
    assert seed_score.task_weighted[index] == pytest.approx(expected, abs=1e-12)


def test_weighted_task_score_and_task_resistance(seed_score):
    assert seed_score.weighted_task_score == pytest.approx(2.55, abs=1e-12)
    assert f"{seed_score.weighted_task_score:.2f}" == "2.55"
    assert seed_score.task_resistance == pytest.approx(3.45, abs=1e-12)
    assert f"{seed_score.task_resistance:.2f}" == "3.45"
    assert sum(seed_score.task_weighted) == pytest.approx(seed_score.weighted_task_score, abs=1e-12)


def test_evidence_barrier_growth_modifiers(seed_score):
    assert seed_score.evidence_total == 5
    assert seed_score.evidence_modifier == pytest.approx(1.20, abs=1e-12)
    assert seed_score.barrier_total == 1
    assert seed_score.barrier_modifier == pytest.approx(1.02, abs=1e-12)
    assert seed_score.growth_correlation == 1
    assert seed_score.growth_modifier == pytest.approx(1.05, abs=1e-12)


def test_raw_and_score(seed_score):
    assert f"{seed_score.raw:.4f}" == "4.4339"
    assert seed_score.raw == pytest.approx(4.43394, abs=1e-9)
    assert seed_score.score_unclamped == pytest.approx((4.43394 - 0.54) / 7.93 * 100, abs=1e-9)
    assert seed_score.score == 49.1
    assert seed_score.clamped is False


def test_zone_and_sublabel(seed_score):
    assert seed_score.zone is Zone.GREEN
    assert seed_score.zone.label == "GREEN"
    assert seed_score.sublabel == "Transforming"
    assert seed_score.final_zone is Zone.GREEN
    assert seed_score.final_sublabel == "Transforming"
    assert seed_score.overridden is False
    assert seed_score.zone_text == "GREEN (Transforming)"


def test_matches_the_published_result(seed_role, seed_score):
    pub = seed_role.published
    assert (seed_score.score, seed_score.zone, seed_score.sublabel) == (pub.score, pub.zone, pub.sublabel)


def test_share_of_time_at_score_3_plus(seed_score):
    # 20 + 15 + 10 + 10 = 55 % of the time is on tasks scoring 3.
    assert seed_score.share_time_score_3_plus == pytest.approx(55.0, abs=1e-12)


def test_displacement_augmentation_split(seed_score):
    assert seed_score.displacement_share == pytest.approx(0.0, abs=1e-12)
    assert seed_score.augmentation_share == pytest.approx(95.0, abs=1e-12)
    assert seed_score.not_involved_share == pytest.approx(5.0, abs=1e-12)


def test_protective_total(seed_role, seed_score):
    assert seed_score.protective_total == 2
    assert seed_role.protective.model_dump() == {
        "embodied_physicality": 0,
        "deep_interpersonal_connection": 1,
        "goal_setting_moral_judgment": 1,
    }


def test_distance_to_green_threshold(seed_score):
    # "sits 1.1 points above the Green threshold"
    assert seed_score.threshold_below == 48
    assert seed_score.distance_below == pytest.approx(1.1, abs=1e-9)
    assert seed_score.threshold_above is None
    assert seed_score.distance_above is None


def test_score_many_agrees_on_the_seed(seed_role, seed_score):
    batch = score_many(**batch_inputs([seed_role]))
    assert batch.score[0] == seed_score.score
    assert batch.raw[0] == seed_score.raw
    assert batch.score_unclamped[0] == seed_score.score_unclamped
    assert batch.zones() == [Zone.GREEN]
    assert batch.sublabels() == ["Transforming"]


def test_score_many_with_per_dimension_ratings(seed_role, seed_score):
    batch = score_many(
        task_scores=[t.score for t in seed_role.tasks],
        time_shares=[t.time_share for t in seed_role.tasks],
        evidence=np.array([[1, 2, 1, 0, 1]]),
        barriers=np.array([[0, 0, 0, 1, 0]]),
        growth=np.array([1]),
    )
    assert batch.score_unclamped[0] == seed_score.score_unclamped
    assert batch.score[0] == 49.1


def test_loading_does_not_depend_on_the_working_directory(tmp_path, monkeypatch, seed_role):
    monkeypatch.chdir(tmp_path)
    roles = bundled_roles()
    assert roles["ai-infrastructure-engineer"] == seed_role


def test_bundled_json_keys_are_the_documented_format(seed_path):
    data = json.loads(seed_path.read_text(encoding="utf-8"))
    assert set(data) <= {
        "title",
        "seniority",
        "tasks",
        "evidence",
        "barriers",
        "growth_correlation",
        "protective",
        "published",
        "override",
        "comparators",
    }
    for task in data["tasks"]:
        assert set(task) <= {"name", "time_share", "score", "mode", "rationale"}
    assert load_assessment(seed_path) == load_assessment(str(seed_path))


def test_default_methodology_is_the_published_one():
    assert DEFAULT.task_resistance_ceiling == 6.0
    assert (DEFAULT.evidence_weight, DEFAULT.barrier_weight, DEFAULT.growth_weight) == (0.04, 0.02, 0.05)
    assert (DEFAULT.normalisation_offset, DEFAULT.normalisation_span) == (0.54, 7.93)
    assert (DEFAULT.green_threshold, DEFAULT.yellow_threshold) == (48, 25)
    assert (DEFAULT.transforming_share, DEFAULT.transforming_score, DEFAULT.accelerated_growth) == (20, 3, 2)
    assert DEFAULT.clamp is True
