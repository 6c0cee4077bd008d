"""Cached calls into aijri_core: each analysis and figure is computed once per input.

Inputs are keyed by text: the assessment JSON and the methodology JSON (plus the analysis
options), so a slider move recomputes only what depends on the moved input, and moving
back to an earlier value is a cache hit. Results are immutable, so ``cache_resource``
hands back the same object without copying it (``cache_data`` would unpickle a copy on
every rerun). Figures are cached the same way; pages never change them.
"""

from __future__ import annotations

from functools import lru_cache

import streamlit as st

from aijri_core import analyses, figures
from aijri_core.knobs import apply_changes
from aijri_core.methodology import Methodology
from aijri_core.model import RoleAssessment, Scenario
from aijri_core.scoring import breakdown, score
from aijri_core.trajectories import bundled_trajectories

_CACHE = dict(show_spinner=False, max_entries=512)


@lru_cache(maxsize=256)
def assessment(a_json: str) -> RoleAssessment:
    return RoleAssessment.model_validate_json(a_json)


@lru_cache(maxsize=64)
def methodology(m_json: str) -> Methodology:
    return Methodology.model_validate_json(m_json)


@lru_cache(maxsize=512)
def apply_json(base_json: str, changes: tuple[tuple[str, float], ...]) -> str:
    """JSON of the base assessment with knob changes applied."""
    if not changes:
        return base_json
    return apply_changes(assessment(base_json), dict(changes)).model_dump_json()


# ------------------------------------------------------------------ analyses


@st.cache_resource(**_CACHE)
def score_of(a_json: str, m_json: str):
    return score(assessment(a_json), methodology(m_json))


@st.cache_resource(**_CACHE)
def breakdown_of(a_json: str, m_json: str):
    return breakdown(assessment(a_json), methodology(m_json))


@st.cache_resource(**_CACHE)
def tornado_of(a_json: str, m_json: str, mode: str = "step", share_step: float = 5, pinned: tuple[str, ...] = ()):
    """``pinned``: tasks whose share the user set or locked (they stay put when another share moves)."""
    return analyses.tornado(assessment(a_json), mode=mode, share_step=share_step, methodology=methodology(m_json),
                            pinned=pinned)


@st.cache_resource(**_CACHE)
def break_even_of(a_json: str, m_json: str, pinned: tuple[str, ...] = ()):
    return analyses.break_even(assessment(a_json), methodology=methodology(m_json), pinned=pinned)


@st.cache_resource(**_CACHE)
def zone_map_of(a_json: str, m_json: str):
    return analyses.zone_map(assessment(a_json), methodology=methodology(m_json))


@st.cache_resource(**_CACHE)
def spider_of(a_json: str, m_json: str, pinned: tuple[str, ...] = ()):
    return analyses.spider(assessment(a_json), methodology=methodology(m_json), pinned=pinned)


@st.cache_resource(**_CACHE)
def goal_seek_of(a_json: str, m_json: str, target: float, pinned: tuple[str, ...] = ()):
    return analyses.goal_seek(assessment(a_json), target, methodology=methodology(m_json), pinned=pinned)


@st.cache_resource(show_spinner="Drawing samples...", max_entries=32)
def monte_carlo_of(a_json: str, m_json: str, n: int, p: float, seed: int, share_jitter: float):
    return analyses.monte_carlo(
        assessment(a_json), n=n, p=p, share_jitter=share_jitter, seed=seed, methodology=methodology(m_json)
    )


@st.cache_resource(**_CACHE)
def attribution_of(base_json: str, scenario_json: str, m_json: str):
    scenario = Scenario.model_validate_json(scenario_json)
    return analyses.attribute(assessment(base_json), scenario, methodology=methodology(m_json))


@st.cache_resource(**_CACHE)
def bundled_trajectories_of(slug: str) -> dict[str, list[Scenario]]:
    return bundled_trajectories(slug)


# ------------------------------------------------------------------ figures


@st.cache_resource(**_CACHE)
def scale_figure(score_value: float, baseline: float | None, m_json: str, comparators: tuple = (),
                 label: str = "This role", title: str | None = None):
    return figures.score_scale_figure(score_value, baseline, comparators, methodology(m_json), title=title, label=label)


@st.cache_resource(**_CACHE)
def waterfall_figure(a_json: str, m_json: str):
    return figures.composite_waterfall(breakdown_of(a_json, m_json))


@st.cache_resource(**_CACHE)
def tornado_figure(a_json: str, m_json: str, mode: str = "step", max_rows: int | None = None,
                   pinned: tuple[str, ...] = ()):
    return figures.tornado_figure(tornado_of(a_json, m_json, mode, pinned=pinned), methodology(m_json),
                                 max_rows=max_rows)


@st.cache_resource(**_CACHE)
def zone_map_figure(a_json: str, m_json: str):
    return figures.zone_map_figure(zone_map_of(a_json, m_json), methodology(m_json))


@st.cache_resource(**_CACHE)
def response_figure(a_json: str, m_json: str, knob_ids: tuple[str, ...], pinned: tuple[str, ...] = ()):
    return figures.response_curves_figure(spider_of(a_json, m_json, pinned), knob_ids,
                                         break_even_of(a_json, m_json, pinned),
                                         score_of(a_json, m_json).score, methodology(m_json))


@st.cache_resource(max_entries=32, show_spinner=False)
def histogram_figure(a_json: str, m_json: str, n: int, p: float, seed: int, share_jitter: float):
    return figures.histogram_figure(monte_carlo_of(a_json, m_json, n, p, seed, share_jitter), methodology(m_json))


@st.cache_resource(max_entries=32, show_spinner=False)
def importance_figure(a_json: str, m_json: str, n: int, p: float, seed: int, share_jitter: float):
    return figures.importance_figure(monte_carlo_of(a_json, m_json, n, p, seed, share_jitter).importance)


@st.cache_resource(**_CACHE)
def attribution_figure(base_json: str, scenario_json: str, m_json: str, by: str = "groups"):
    return figures.attribution_waterfall(attribution_of(base_json, scenario_json, m_json), by=by,
                                        methodology=methodology(m_json))


@st.cache_resource(**_CACHE)
def trajectory_figure(paths: tuple, m_json: str, title: str | None = None):
    """paths: ((trajectory name, ((step label, score), ...)), ...) - hashable for the cache."""
    return figures.trajectory_figure({name: list(points) for name, points in paths}, methodology(m_json), title=title)
