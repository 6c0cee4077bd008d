"""The Explorer's own state: which analysis is shown, goal seek's target and input, and the
response curves' picker (the picked inputs themselves are shared state: they travel in the
link, see aijri_ui.state.curve_knobs).

Each analysis has a name here; the view asks for it by name, never by its place in a list.
"""

from __future__ import annotations

import streamlit as st

from aijri_core import urlstate
from aijri_core.knobs import values
from aijri_core.urlstate import MAX_CURVES
from aijri_ui import plot, state
from aijri_ui.keys import (
    ANALYSIS,
    ANALYSIS_TABS,
    CURVE_PICKER,
    CURVES,
    GOAL_KNOB,
    GOAL_KNOB_INPUT,
    GOAL_TARGET,
    GOAL_TARGET_INPUT,
    REVEAL_CURVES,
)
from aijri_ui.mirror import mirror

# ------------------------------------------------------------------ the analysis picker

BREAK_EVEN = "What it takes to change zone"
GOAL_SEEK = "Goal seek"
RESPONSE_CURVES = "Response curves"
#: The analyses under the Explorer's charts, in the picker's order (the first is shown at first).
ANALYSES = (BREAK_EVEN, GOAL_SEEK, RESPONSE_CURVES)
#: Each analysis as a link names it (``analysis=``, urlstate.ANALYSES).
LINK_WORDS = dict(zip(ANALYSES, urlstate.ANALYSES, strict=True))


def shown_analysis() -> str:
    """The analysis the picker shows (kept in keys.ANALYSIS, which the link carries)."""
    return st.session_state.get(ANALYSIS) or BREAK_EVEN


def show_analysis(word: str) -> None:
    """Show the analysis a link names (a word of urlstate.ANALYSES)."""
    st.session_state[ANALYSIS] = dict(zip(urlstate.ANALYSES, ANALYSES, strict=True))[word]


def sync_analysis_widget() -> None:
    mirror(ANALYSIS_TABS, shown_analysis())


@state.guarded
def on_analysis_picked() -> None:
    st.session_state[ANALYSIS] = st.session_state[ANALYSIS_TABS] or BREAK_EVEN


# ------------------------------------------------------------------ response curves


@state.guarded
def on_curves_picked() -> None:
    st.session_state[CURVES] = list(st.session_state[CURVE_PICKER])[:MAX_CURVES]


@state.guarded
def on_tornado_select(chart_key: str, label_to_id: dict[str, str], default: list[str]) -> None:
    """A click on a tornado bar puts that input's response curve first (the oldest goes beyond six)
    and shows the response curves, scrolled into view (see :func:`reveal_curves`)."""
    picked = state.curve_knobs(default)
    for label in plot.clicked(chart_key):
        kid = label_to_id.get(label)
        if kid is not None:
            picked = [kid] + [k for k in picked if k != kid]
            st.session_state[ANALYSIS] = RESPONSE_CURVES
            st.session_state[REVEAL_CURVES] = st.session_state.get(REVEAL_CURVES, 0) + 1  # scrolled to once
    st.session_state[CURVES] = picked[:MAX_CURVES]


def reveal_curves() -> int | None:
    """The number of the tornado click the response curves chart scrolls into view for (the
    browser does it once per click, when it draws the chart: see aijri_ui.plot.chart)."""
    return st.session_state.get(REVEAL_CURVES)


def sync_curve_widget(default: list[str]) -> None:
    mirror(CURVE_PICKER, state.live_curves(default))


# ------------------------------------------------------------------ goal seek


def goal_target(default: float) -> float:
    t = st.session_state.get(GOAL_TARGET)
    return float(default if t is None else t)


def goal_knob(default: str) -> str:
    kid = st.session_state.get(GOAL_KNOB)
    return kid if kid in values(state.current()) else default


def sync_goal_widgets(default_target: float, default_knob: str) -> None:
    mirror(GOAL_TARGET_INPUT, goal_target(default_target))
    mirror(GOAL_KNOB_INPUT, goal_knob(default_knob))


@state.guarded
def on_goal_target_changed() -> None:
    st.session_state[GOAL_TARGET] = st.session_state[GOAL_TARGET_INPUT]


@state.guarded
def on_goal_knob_changed() -> None:
    st.session_state[GOAL_KNOB] = st.session_state[GOAL_KNOB_INPUT]


@state.guarded
def apply_goal(knob_id: str, value: float) -> None:
    """Move the slider to the goal seek's answer (Undo takes it back)."""
    state.set_knob(knob_id, value)
