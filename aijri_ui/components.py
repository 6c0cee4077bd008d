"""Pieces more than one page draws: the knob sliders, the score header, the zone badge."""

from __future__ import annotations

import re

import streamlit as st

from aijri_core import RoleAssessment, Score
from aijri_core.knobs import knobs, task_score_id, task_share_id
from aijri_core.methodology import Zone
from aijri_core.model import SCALES, span_text, total_range

from . import keys, state
from .text import literal

#: Slider limits come from the model's rating scales (as the knobs' ranges do).
TASK_SCORE = SCALES["score"]
TIME_SHARE = SCALES["share"]

#: A time share's value as its slider shows it; a share the user set or locked says so.
SHARE_FORMAT = "%.1f"
SHARE_SET_FORMAT = "%.1f (set)"

ZONE_BADGE = {Zone.GREEN: "green", Zone.YELLOW: "orange", Zone.RED: "red"}

#: Which way each group of inputs moves the score (see METHODOLOGY.md: every modifier is 1 + weight x sum).
PROTECTS = "+ = more protective, raises the score"
GROUP_TITLES = {
    "tasks": "Tasks: automation score and share of time",
    "evidence": f"Evidence (each {SCALES['evidence'].span()}, total E from {span_text(*total_range('evidence'))}; "
                f"{PROTECTS})",
    "barriers": f"Barriers to automation (each {SCALES['barrier'].span()}, total B from "
                f"{span_text(*total_range('barrier'))}; {PROTECTS})",
    "growth": f"AI growth correlation ({SCALES['growth'].span()}; {PROTECTS})",
}

#: A visible focus ring on every slider thumb and toggle reached with the keyboard (the widgets mark
#: keyboard focus with data-focus-visible; no :has() selector, which would slow every redraw).
FOCUS_CSS = """
<script>
/* A slider's input is named by its own aria-label and, through aria-labelledby, by its group's
   aria-label too: screen readers read the name twice ("X: score X: score"). Each input keeps its
   own aria-label only (installed once per browser tab; it follows sliders drawn later). */
(() => {
  if (window.__aijriSliderNames) return;
  window.__aijriSliderNames = true;
  const fix = root => root.querySelectorAll('[data-testid="stSlider"] input[type="range"][aria-labelledby]')
    .forEach(i => { if (i.getAttribute('aria-label')) i.removeAttribute('aria-labelledby'); });
  fix(document);
  new MutationObserver(() => fix(document)).observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ['aria-labelledby']});
})();
</script>
<style>
[data-testid="stSlider"] [data-focus-visible="true"], [data-testid="stCheckbox"] label[data-focus-visible="true"] {
  outline: 3px solid #1a5fb4; outline-offset: 3px; border-radius: 4px;
}
/* A task's name opens its details: it reads as a heading, left-aligned when it wraps. */
[class*="st-key-task_details"] button { justify-content: flex-start; text-align: left; }
[class*="st-key-task_details"] button > div { max-width: 100%; margin-right: 0; }
[class*="st-key-task_details"] button > div > div:first-child { min-width: 0; }
[class*="st-key-task_details"] button p { text-align: left; }
</style>
"""


def key_class(key: str) -> str:
    """The CSS class Streamlit gives the element of a widget key (as its frontend makes it)."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


def zone_badge(s: Score) -> str:
    """Markdown badge of the final zone and sub-label, e.g. GREEN (Transforming)."""
    text = s.zone_text
    if s.overridden:
        text += f" - assessor override; the formula gives {s.zone.label}"
    return f":{ZONE_BADGE[s.final_zone]}-badge[{text}]"


def knob_sliders(assessment: RoleAssessment, base: RoleAssessment) -> None:
    """Every knob as a slider, grouped: tasks, evidence, barriers, growth.

    Keys: ``knob:<knob id>`` (see aijri_ui.state), ``task_details:<task name>`` (the task's
    details: its name as a button that opens the rationale, the scales and the lock of its
    share), ``lock:<task name>`` (that lock, drawn while the details are open). Each slider's
    accessible name names its task or rating (e.g. "GPU cluster ...: score"). Tab stops: one per slider and one per task (its
    details); no slider has a help of its own. A share the user set or locked stays put; its
    slider says so ("25.0 (set)").

    The panel is drawn on every move, so it is kept to few elements: a task is its details
    button and its two sliders side by side (no columns, no switch beside every task), and the
    details are drawn only while open.
    """
    written = state.sync_knob_widgets(assessment)
    all_knobs = knobs(assessment)
    by_group: dict[str, list] = {}
    for k in all_knobs:
        by_group.setdefault(k.group, []).append(k)
    base_values = {t.name: t for t in base.tasks}
    pinned = set(state.pinned_tasks())
    several = len(assessment.tasks) > 1

    st.markdown(f"**{GROUP_TITLES['tasks']}**")
    st.caption(("Left: automation score" if several else "Automation score")
               + ", 1 = irreducibly human ... 5 = fully automatable (higher lowers the score)."
               + (" Right: share of time in %. A share you set stays where you set it; a task's name opens its "
                  "rationale and the lock that pins its share." if several else
                  " The task's name opens its rationale."))
    for t in assessment.tasks:
        bt = base_values.get(t.name)
        moved = bt is not None and (bt.score != t.score or abs(bt.time_share - t.time_share) > 1e-9)
        marks = " *(added)*" if bt is None else " *(changed)*" if moved else ""
        # The details are drawn only while open (opening them reruns the page), so a move does not
        # send three hidden elements per task. Such a popover is known by its label: the label must
        # not change while it is open (it would close), so a pinned share is marked on its slider.
        details = st.popover(f"**{literal(t.name)}**{marks}", type="tertiary", key=f"task_details:{t.name}",
                             width="stretch", on_change="rerun")
        if details.open:
            with details:
                task_details(t, bt, several)
        score_id = task_score_id(t.name)
        # The sliders' labels stay raw: they are hidden, and Streamlit gives the raw label to screen
        # readers as the slider's name (escaped, they would hear the backslashes).
        with st.container(horizontal=True, gap="small", wrap=False):
            st.slider(f"{t.name}: score", min_value=int(TASK_SCORE.min), max_value=int(TASK_SCORE.max), step=1,
                      key=keys.knob_key(score_id), value=state.widget_value(keys.knob_key(score_id), written),
                      on_change=state.on_knob_changed, args=(score_id,), label_visibility="collapsed")
            if several:
                share_id = task_share_id(t.name)
                st.slider(f"{t.name}: time %", min_value=float(TIME_SHARE.min), max_value=float(TIME_SHARE.max),
                          step=1.0, format=SHARE_SET_FORMAT if t.name in pinned else SHARE_FORMAT,
                          key=keys.knob_key(share_id), value=state.widget_value(keys.knob_key(share_id), written),
                          on_change=state.on_knob_changed, args=(share_id,),
                          label_visibility="collapsed")
    if several and pinned:
        # The "(set)" format would show on the min and max labels of the slider too ("0.0 (set)"):
        # a set share's slider hides those labels (0 and 100 are the caption's range anyway).
        st.html("<style>" + ", ".join(f".{key_class(state.knob_key(task_share_id(n)))} [data-testid=\"stSliderTickBar\"]"
                                      for n in sorted(pinned)) + " { visibility: hidden; }</style>")
    removed = [t.name for t in base.tasks if t.name not in {x.name for x in assessment.tasks}]
    if removed:
        st.caption("Removed from the role: " + "; ".join(literal(n) for n in removed)
                   + ". Reset or Undo brings them back.")
    for group in ("evidence", "barriers", "growth"):
        st.markdown(f"**{GROUP_TITLES[group]}**")
        for k in by_group.get(group, []):
            st.slider(
                k.label, min_value=int(k.min), max_value=int(k.max), step=1, key=keys.knob_key(k.id),
                value=state.widget_value(keys.knob_key(k.id), written),
                on_change=state.on_knob_changed, args=(k.id,), format="%+d" if k.min < 0 else "%d",
            )


def task_details(t, bt, several: bool) -> None:
    """A task's details: its rationale, the scales, its baseline and the lock of its share."""
    if t.rationale:
        st.markdown(literal(t.rationale))
    st.caption("Score: 1 = irreducibly human ... 5 = fully automatable by an AI agent."
               + (" Time: percent of working time; the tasks whose share you have not set or locked give "
                  "or take the time, in proportion." if several else "")
               + (f" Baseline: score {bt.score}, {bt.time_share:g}% of the time." if bt else ""))
    if several:
        st.toggle("Lock this task's share of time", key=keys.lock_key(t.name),
                  on_change=state.on_lock_changed, args=(t.name,),
                  help="A locked share stays where it is when another share moves; unlocking a share you "
                       "set lets it follow the others again.")
