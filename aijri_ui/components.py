"""Pieces more than one page draws: the knob sliders, the score header, the zone badge."""

from __future__ import annotations

import streamlit as st

from aijri_core import RoleAssessment, Score
from aijri_core.knobs import knobs
from aijri_core.methodology import Zone

from . import state

ZONE_BADGE = {Zone.GREEN: "green", Zone.YELLOW: "orange", Zone.RED: "red"}

GROUP_TITLES = {
    "tasks": "Tasks: automation score (1 = irreducibly human, 5 = fully automatable) and share of time",
    "evidence": "Evidence (each -2 to +2; total E from -10 to +10)",
    "barriers": "Barriers to automation (each 0 to 2; total B from 0 to 10)",
    "growth": "AI growth correlation (-2 to +2)",
}


def zone_badge(s: Score) -> str:
    """Markdown badge of the final zone and sub-label, e.g. GREEN (Transforming)."""
    text = s.zone_text
    if s.overridden:
        text += f" - assessor override; the formula gives {s.zone.label}"
    return f":{ZONE_BADGE[s.final_zone]}-badge[{text}]"


def knob_sliders(assessment: RoleAssessment, base: RoleAssessment) -> None:
    """Every knob as a slider, grouped: tasks, evidence, barriers, growth.

    Keys: ``knob:<knob id>`` (see aijri_ui.state). A share slider's move rescales the
    other shares: the callback stores the new state, and the next run writes the other
    sliders' values before they are drawn.
    """
    state.sync_knob_widgets(assessment)
    all_knobs = knobs(assessment)
    by_group: dict[str, list] = {}
    for k in all_knobs:
        by_group.setdefault(k.group, []).append(k)
    base_values = {t.name: t for t in base.tasks}

    with st.expander(GROUP_TITLES["tasks"], expanded=True):
        for t in assessment.tasks:
            bt = base_values.get(t.name)
            moved = bt is not None and (bt.score != t.score or abs(bt.time_share - t.time_share) > 1e-9)
            st.markdown(f"**{t.name}**" + (" *(changed)*" if moved else ""), help=t.rationale or None)
            cols = st.columns(2) if len(assessment.tasks) > 1 else [st.container()]
            score_id = f"task:{t.name}:score"
            with cols[0]:
                st.slider(
                    "Score", min_value=1, max_value=5, step=1, key=state.knob_key(score_id),
                    on_change=state.on_knob_changed, args=(score_id,),
                    help=f"{t.name}: 1 = irreducibly human ... 5 = fully automatable by an AI agent"
                    + (f" (baseline {bt.score})" if bt else ""),
                )
            if len(assessment.tasks) > 1:
                share_id = f"task:{t.name}:share"
                with cols[1]:
                    st.slider(
                        "Time %", min_value=0.0, max_value=100.0, step=1.0, format="%.1f",
                        key=state.knob_key(share_id), on_change=state.on_knob_changed, args=(share_id,),
                        help=f"{t.name}: percent of working time. Moving it rescales the other tasks so that "
                        "all shares still add up to 100" + (f" (baseline {bt.time_share:g}%)" if bt else ""),
                    )
    for group in ("evidence", "barriers", "growth"):
        with st.expander(GROUP_TITLES[group], expanded=True):
            for k in by_group.get(group, []):
                label = k.label.split(": ", 1)[-1] if group != "growth" else k.label
                st.slider(
                    label, min_value=int(k.min), max_value=int(k.max), step=1, key=state.knob_key(k.id),
                    on_change=state.on_knob_changed, args=(k.id,), format="%+d" if k.min < 0 else "%d",
                )


def signed(value: float | None, decimals: int = 1) -> str:
    return "-" if value is None else f"{value:+.{decimals}f}"
