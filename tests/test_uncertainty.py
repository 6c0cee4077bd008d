"""Monte Carlo: reproducibility, degenerate cases, draws against the scalar scorer, statistics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from aijri_core import AIJRIError, Zone, apply_changes, get_value, knobs, monte_carlo, score
from aijri_core.analyses.uncertainty import DEFAULT_SHARE_JITTER, sample_inputs


def test_seeded_runs_are_reproducible(seed_role):
    r1 = monte_carlo(seed_role, n=20_000, seed=7)
    r2 = monte_carlo(seed_role, n=20_000, seed=7)
    assert np.array_equal(r1.scores, r2.scores)
    assert r1.quantiles == r2.quantiles and r1.importance == r2.importance
    assert (r1.p_green, r1.p_yellow, r1.p_red) == (r2.p_green, r2.p_yellow, r2.p_red)
    r3 = monte_carlo(seed_role, n=20_000, seed=8)
    assert not np.array_equal(r1.scores, r3.scores)
    assert (r1.seed, r1.n, r1.p, r1.share_jitter) == (7, 20_000, 0.3, DEFAULT_SHARE_JITTER)


def test_no_uncertainty_gives_the_base_zone(seed_role):
    r = monte_carlo(seed_role, n=5_000, p=0, share_jitter=0, seed=1)
    assert (r.base_score, r.base_zone) == (49.1, Zone.GREEN)
    assert (r.p_green, r.p_yellow, r.p_red) == (1.0, 0.0, 0.0)
    assert np.all(r.scores == 49.1)
    assert set(r.quantiles.values()) == {49.1} and sorted(r.quantiles) == [5, 25, 50, 75, 95]
    assert r.histogram_counts.sum() == 5_000
    assert r.histogram_counts[list(r.histogram_edges).index(49.0)] == 5_000
    assert all(i.rank_correlation == 0 for i in r.importance)


def test_only_shares_vary_when_p_is_zero(seed_role):
    draws = sample_inputs(seed_role, n=2_000, p=0, seed=3)
    for k in knobs(seed_role):
        v = draws[k.id]
        if k.kind == "share":
            assert v.std() > 0 and np.all(v >= 0)
        else:
            assert np.all(v == v[0])
    total = sum(draws[k.id] for k in knobs(seed_role) if k.kind == "share")
    assert np.allclose(total, 100)
    r = monte_carlo(seed_role, n=2_000, p=0, seed=3)
    assert all(i.rank_correlation == 0 for i in r.importance if not i.knob_id.endswith(":share"))


def test_every_input_moves_one_step_at_p_one(seed_role):
    draws = sample_inputs(seed_role, n=4_000, p=1, share_jitter=0, seed=5)
    for k in knobs(seed_role):
        v = draws[k.id]
        b = get_value(seed_role, k.id)
        if k.kind == "share":
            assert np.all(v == b)
            continue
        moved = np.abs(v - b)
        assert np.all(v >= k.min) and np.all(v <= k.max)
        if k.min < b < k.max:
            assert np.all(moved == 1)
            assert 0.45 < np.mean(v > b) < 0.55
        else:  # at a bound, the move off the scale is clipped: it stays half the time
            assert 0.45 < np.mean(moved == 0) < 0.55


def test_step_probabilities(seed_role):
    p = 0.3
    draws = sample_inputs(seed_role, n=200_000, p=p, seed=11)
    g = draws["growth"]  # base 1, room both ways
    assert np.mean(g == 0) == pytest.approx(p / 2, abs=0.005)
    assert np.mean(g == 2) == pytest.approx(p / 2, abs=0.005)
    assert np.mean(g == 1) == pytest.approx(1 - p, abs=0.005)


def test_draw_scores_equal_the_scalar_scorer(seed_role):
    """The first draws, applied one by one through apply_changes + score, give the same scores."""
    n = 150
    r = monte_carlo(seed_role, n=n, p=0.5, seed=21)
    draws = sample_inputs(seed_role, n=n, p=0.5, seed=21)
    for i in range(n):
        changes = {kid: float(v[i]) for kid, v in draws.items()}
        s = score(apply_changes(seed_role, changes))
        assert s.score == pytest.approx(r.scores[i], abs=1e-9), i


def test_statistics_match_numpy(seed_role):
    r = monte_carlo(seed_role, n=30_000, seed=2)
    assert len(r.scores) == 30_000
    expected = np.percentile(r.scores, list(r.quantiles))
    assert list(r.quantiles.values()) == pytest.approx(list(expected), abs=1e-9)
    counts, _ = np.histogram(r.scores, bins=r.histogram_edges)
    assert np.array_equal(counts, r.histogram_counts)
    assert r.histogram_edges[0] == 0 and r.histogram_edges[-1] == 100
    assert r.p_green == pytest.approx(np.mean(r.scores >= 48))
    assert r.p_red == pytest.approx(np.mean(r.scores < 25))
    assert r.p_green + r.p_yellow + r.p_red == pytest.approx(1)
    # 49.1 sits 1.1 points above GREEN: one-step noise on every input often tips it to YELLOW
    assert 0.5 < r.p_green < 0.75
    assert r.quantiles[5] < 48 < r.quantiles[50]


def test_importance_is_spearman(seed_role):
    n = 20_000
    r = monte_carlo(seed_role, n=n, seed=4)
    draws = sample_inputs(seed_role, n=n, seed=4)
    score_ranks = pd.Series(r.scores).rank(method="average")
    by_id = {i.knob_id: i.rank_correlation for i in r.importance}
    assert sorted(by_id) == sorted(k.id for k in knobs(seed_role))
    for kid, v in draws.items():
        expected = np.corrcoef(pd.Series(v).rank(method="average"), score_ranks)[0, 1]
        assert by_id[kid] == pytest.approx(expected, abs=2e-3), kid
    mags = [abs(i.rank_correlation) for i in r.importance]
    assert mags == sorted(mags, reverse=True)
    # the largest task at score 2 matters most; scores pull the index down, evidence pushes it up
    assert r.importance[0].knob_id == "task:GPU cluster & training infrastructure management:score"
    assert r.importance[0].rank_correlation < 0 and by_id["growth"] > 0
    df = r.to_df()
    assert list(df["knob_id"]) == [i.knob_id for i in r.importance]


def test_single_task_role(seed_role):
    one = seed_role.model_copy(update={"tasks": [seed_role.tasks[0].model_copy(update={"time_share": 100.0})]})
    r = monte_carlo(one, n=1_000, seed=0)
    assert len(r.importance) == len(knobs(one)) and not any(i.knob_id.endswith(":share") for i in r.importance)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, "number of draws"),
        ({"n": 10**9}, "number of draws"),
        ({"n": 2.5}, "number of draws"),
        ({"p": -0.1}, "step probability"),
        ({"p": 1.5}, "step probability"),
        ({"share_jitter": -1}, "share jitter"),
    ],
)
def test_arguments_checked(seed_role, kwargs, message):
    with pytest.raises(AIJRIError, match=message):
        monte_carlo(seed_role, **kwargs)
