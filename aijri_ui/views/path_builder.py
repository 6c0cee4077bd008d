"""The path builder of the Scenarios page: a client's path step by step, over a PathDraft
(aijri_core.paths); the callbacks read widgets, ask the draft and say what happened.

Element keys for browser tests (stable): builder_name, builder_start, builder_steps_table, chart_builder,
builder_pick_<i> (the button of step i, from 0), builder_step_name, builder_step_note, builder_knob,
builder_value, builder_set, builder_remove, builder_remove_button, builder_add, builder_up, builder_down,
builder_delete, builder_open, builder_take, builder_save, builder_replace, builder_edit_pick, builder_edit,
builder_reset
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from aijri_core import AIJRIError, Scenario
from aijri_core.errors import describe_validation_error
from aijri_core.knobs import (
    knob_from_id,
    knobs,
    task_mode_id,
    task_remove_id,
    task_score_id,
    task_share_id,
    values,
)
from aijri_core.model import MAX_NAME, SCALES, TaskMode
from aijri_core.paths import BASELINE, START, PathDraft, PathError, Step
from aijri_core.textfmt import signed_fixed
from aijri_ui import backend, cached, plot, state, tables
from aijri_ui.feedback import say, show
from aijri_ui.keys import BUILDER, BUILDER_CLASH
from aijri_ui.text import literal

EXPLORER_PAGE = "app_pages/explorer.py"
MODES = [m.value for m in TaskMode]

#: A new task's score until the user picks one: the middle of the task-score scale.
NEW_TASK_SCORE = int((SCALES["score"].min + SCALES["score"].max) // 2)

# ---------------------------------------------------------------- the path builder state
# The path lives in a PathDraft (aijri_core.paths: the rules for steps, names and changes); the
# callbacks below only read widgets, ask the draft for the edited path and say what happened.


def path_draft() -> PathDraft:
    """This role's path being built."""
    return st.session_state.setdefault(BUILDER, {}).setdefault(state.role_key(), PathDraft())


def _keep(draft: PathDraft) -> PathDraft:
    st.session_state.setdefault(BUILDER, {})[state.role_key()] = draft
    return draft


def _sync_step_widgets() -> None:
    """Put the picked step's name and note into their fields (after a pick, add, move or delete)."""
    step = path_draft().step
    st.session_state["builder_step_name"] = step.name
    st.session_state["builder_step_note"] = step.note


@state.guarded
def _on_name() -> None:
    _keep(path_draft().renamed(st.session_state.get("builder_name") or ""))


@state.guarded
def _on_start() -> None:
    start = st.session_state.get("builder_start", BASELINE)
    changes: dict[str, float] = {}
    if start != BASELINE:
        try:
            changes = dict(backend.store().load_scenario(state.role_key(), start).changes)
        except AIJRIError:
            say("builder", "error", f"No saved scenario named {start!r}.")
            return
    _keep(path_draft().started_from(start, changes))


@state.guarded
def _on_pick(index: int) -> None:
    _keep(path_draft().picked(index))
    _sync_step_widgets()


@state.guarded
def _on_step_name() -> None:
    draft = path_draft()
    try:
        _keep(draft.with_step_name(st.session_state.get("builder_step_name") or ""))
    except PathError as exc:
        say("builder_step", "error", f"{str(exc)[:1].upper()}{str(exc)[1:]}.")
        st.session_state["builder_step_name"] = draft.step.name


@state.guarded
def _on_step_note() -> None:
    _keep(path_draft().with_step_note(st.session_state.get("builder_step_note") or ""))


@state.guarded
def _on_knob() -> None:
    """Show the picked input's value at this step in the value field."""
    draft = path_draft()
    kid = st.session_state.get("builder_knob")
    if not kid:
        return
    now = values(draft.role_at(draft.pick, state.base()))
    if kid in now:
        st.session_state["builder_value"] = _value_for_widget(kid, now[kid])


def _value_for_widget(kid: str, value: float):
    k = knob_from_id(kid)
    return int(value) if k is not None and k.integer else float(round(value, 2))


@state.guarded
def _set_change() -> None:
    draft = path_draft()
    kid = st.session_state.get("builder_knob")
    value = st.session_state.get("builder_value")
    k = next((k for k in knobs(draft.role_at(draft.pick, state.base())) if k.id == kid), None)
    if k is None or value is None:
        say("builder_step", "error", "Pick an input and a value first.")
        return
    v = k.check(value)
    _try_step_changes({kid: v}, f"{k.label} set to {v:g}")


def _try_step_changes(new: dict[str, float], what: str) -> None:
    """Add changes to the edited step if the whole path still applies (later steps build on it)."""
    draft = path_draft()
    try:
        _keep(draft.with_changes(new, state.base(), state.methodology()))
    except PathError as exc:
        say("builder_step", "error", f"Not changed: {exc}")
        return
    say("builder_step", "success", f"{draft.step.name}: {what}.")


@state.guarded
def _add_task() -> None:
    draft = path_draft()
    ss = st.session_state
    name = (ss.get("builder_new_task") or "").strip()
    if not name:
        say("builder_step", "error", f"Task name: empty; allowed: 1 to {MAX_NAME} characters.")
        return
    if name in {t.name for t in draft.role_at(draft.pick, state.base()).tasks}:
        say("builder_step", "error", f"The role already has a task named {name!r} at this step; change its inputs "
            "above instead.")
        return
    mode = MODES.index(ss.get("builder_new_mode") or MODES[0])
    new = {task_share_id(name): float(ss.get("builder_new_share") or 0.0),
           task_score_id(name): int(ss.get("builder_new_score") or NEW_TASK_SCORE)}
    if mode:
        new[task_mode_id(name)] = mode
    _try_step_changes(new, f"adds the task {name!r} ({new[task_share_id(name)]:g}% of the time, score "
                      f"{new[task_score_id(name)]})")


@state.guarded
def _drop_task() -> None:
    name = st.session_state.get("builder_drop_task")
    if not name:
        return
    _try_step_changes({task_remove_id(name): 1}, f"removes the task {name!r} (its time goes to the others)")


@state.guarded
def _remove_changes() -> None:
    draft = path_draft()
    gone = [kid for kid in st.session_state.get("builder_remove") or [] if kid in draft.step.changes]
    _keep(draft.without_changes(gone))
    st.session_state["builder_remove"] = []
    if gone:
        say("builder_step", "success", f"{draft.step.name}: {len(gone)} change(s) removed.")


@state.guarded
def _add_step() -> None:
    _keep(path_draft().with_step_added())
    _sync_step_widgets()


@state.guarded
def _move_step(delta: int) -> None:
    _keep(path_draft().with_step_moved(delta))
    _sync_step_widgets()


@state.guarded
def _delete_step() -> None:
    draft = path_draft()
    _keep(draft.with_step_deleted())
    if len(draft.steps) == 1:
        say("builder_step", "info", "A path keeps at least one step; its changes were cleared.")
    else:
        say("builder_step", "success", f"Step {draft.step.name!r} deleted.")
    _sync_step_widgets()


@state.guarded
def _take_explorer_state() -> None:
    """This step's own changes become what turns the step before into the Explorer's state."""
    draft = _keep(path_draft().holding(state.current(), state.base()))
    say("builder_step", "success", f"{draft.step.name} now holds the Explorer's state "
        f"({tables.changes_text(draft.step.changes) or 'no inputs changed'} from the step before).")


def _reset_builder_widgets() -> None:
    draft = path_draft()
    st.session_state["builder_name"] = draft.name
    st.session_state["builder_start"] = draft.start
    _sync_step_widgets()


@state.guarded
def _edit_saved_path() -> None:
    """Load a saved trajectory into the builder: its first step is the start, the others the steps."""
    name = st.session_state.get("builder_edit_pick")
    items = backend.trajectory_scenarios(state.role_key(), name) if name else []
    if not items:
        say("builder", "error", f"No saved trajectory named {name!r}.")
        return
    _keep(PathDraft.from_trajectory(name, items, state.base()))
    _reset_builder_widgets()
    say("builder", "success", f"Loaded {name!r} into the builder ({len(items) - 1} step(s) after its start).")


@state.guarded
def _reset_builder() -> None:
    st.session_state.get(BUILDER, {}).pop(state.role_key(), None)
    _reset_builder_widgets()
    say("builder", "info", "The builder starts again from the baseline.")


class _LabelsByForm(dict):
    """Readable labels of changes (knobs, tasks added, modes, tasks removed) by their id."""

    def __missing__(self, kid: str) -> str:
        k = knob_from_id(kid)
        return k.label if k is not None else kid

    def get(self, kid, default=None):  # noqa: D102 - dict.get that uses __missing__
        return self[kid]


@state.guarded
def _save_path(overwrite: bool = False) -> None:
    b = path_draft()
    try:
        items = b.scenarios(state.base())
    except (AIJRIError, ValidationError) as exc:
        text = describe_validation_error(exc, context="Path") if isinstance(exc, ValidationError) else str(exc)
        say("builder_save", "error", f"Not saved: {text}")
        return
    if not overwrite:
        clash = backend.existing_names(state.role_key(), [sc.name for sc in items])
        if clash:
            st.session_state[BUILDER_CLASH] = True
            say("builder_save", "warning", f"{len(clash)} step(s) of {b.name!r} are already saved (e.g. "
                f"{clash[0]!r}). Replace them, or rename the path.")
            return
    try:
        backend.import_scenarios(state.role_key(), items, overwrite=True)
    except AIJRIError as exc:
        say("builder_save", "error", f"Not saved: {exc}")
        return
    st.session_state.pop(BUILDER_CLASH, None)
    say("builder_save", "success", f"Saved {b.name!r} as a trajectory of {len(items)} scenarios "
        "(its start and each step); it is in the table below.")


def open_in_explorer(changes: dict[str, float], what: str) -> None:
    """Make these changes the Explorer's state (tasks added or removed included) and go there."""
    state.set_changes(dict(changes))
    state.notice("success", f"Showing {what}. Go back to Scenarios & trajectories to carry on; the path "
                 "builder keeps its steps.")
    st.switch_page(EXPLORER_PAGE)


def builder_section(base, saved: list[Scenario], m_json: str, saved_paths: list[str]) -> None:
    """``saved``: the scenarios on the list's current page (the start options, with the start
    picked before); ``saved_paths``: the trajectories on that page (see scenarios.render)."""
    b = path_draft()
    st.subheader("Build a path")
    st.caption("Each step is a set of changes on top of the step before. Scores update as you edit; save the "
               "path to keep it as one trajectory.")
    for key, value in (("builder_name", b.name), ("builder_start", b.start)):
        if key not in st.session_state:
            st.session_state[key] = value
    if "builder_step_name" not in st.session_state:
        _sync_step_widgets()
    starts = list(dict.fromkeys([BASELINE, b.start, *(sc.name for sc in saved)]))
    if st.session_state["builder_start"] not in starts:
        st.session_state["builder_start"] = BASELINE
        b = _keep(b.started_from(BASELINE, {}))
    c1, c2, c3 = st.columns([2, 2, 2], vertical_alignment="bottom")
    c1.text_input("Path name", key="builder_name", on_change=_on_name, max_chars=150)
    c2.selectbox("Start from", starts, key="builder_start", on_change=_on_start,
                 help="The baseline, or a saved scenario as the client's situation today (those on the list's "
                 "current page below: find one with its filters)")
    with c3.popover("Edit a saved path", icon=":material/edit:", width="stretch"):
        if saved_paths:
            st.selectbox("Saved path", saved_paths, key="builder_edit_pick")
            st.button("Load into the builder", key="builder_edit", on_click=_edit_saved_path)
        else:
            st.caption("No saved trajectories yet.")
        st.button("Start again from the baseline", key="builder_reset", on_click=_reset_builder)
    show("builder")

    # Scores of every step, live.
    try:
        results = b.scores(base, state.methodology())
    except AIJRIError as exc:
        st.error(f"This path does not apply to the role: {literal(exc)}. Remove the change that causes it.")
        results = None
    labels = _LabelsByForm()
    if results is not None:
        d = state.methodology().decimals
        rows = []
        for i, (step, r) in enumerate(zip([Step(START, "", b.start_changes), *b.steps], results, strict=True)):
            prev = results[i - 1].score if i else None
            rows.append({
                "#": i, "Step": step.name if i else f"{START} ({b.start})",
                "Changes": "; ".join(f"{labels.get(k, k)} = {v:g}" for k, v in step.changes.items()) or "-",
                "Score": r.score, "Zone": r.zone_text,
                "vs step before": "" if prev is None else signed_fixed(r.score - prev, d),
            })
        # Widths that fit a laptop-width page (about 800 px) without a sideways scroll.
        st.dataframe(pd.DataFrame(rows).drop(columns="#"), key="builder_steps_table", hide_index=True,
                     width="stretch",
                     column_config={"Step": st.column_config.TextColumn(width=160),
                                    "Changes": st.column_config.TextColumn(width=290),
                                    "Score": st.column_config.NumberColumn(format=f"%.{d}f", width=60),
                                    "Zone": st.column_config.TextColumn(width=170),
                                    "vs step before": st.column_config.TextColumn(width=100)})
        points = tuple((START if i == 0 else s.name, r.score)
                       for i, (s, r) in enumerate(zip([Step(START), *b.steps], results, strict=True)))
        plot.chart(cached.trajectory_figure(((b.name or "Path", points),), m_json,
                                            title=f"{b.name or 'Path'}: score at each step"),
                   key="chart_builder")

    # The picked step: name, note, its own changes.
    with st.container(border=True):
        names = [s.name for s in b.steps]
        # One button per step (the picked one highlighted): buttons keep no value of their own,
        # so the pick lives in the builder's state only and cannot drift from it.
        st.markdown("**Step to edit**")
        per_row = 6
        for row in range(0, len(names), per_row):
            cols = st.columns(per_row)
            for j, name in enumerate(names[row:row + per_row], start=row):
                cols[j - row].button(literal(name), key=f"builder_pick_{j}", on_click=_on_pick, args=(j,),
                                     width="stretch",
                                     type="primary" if j == b.pick else "secondary")
        i = b.pick
        step = b.step
        n1, n2 = st.columns([1, 2])
        n1.text_input("Step name", key="builder_step_name", on_change=_on_step_name, max_chars=120)
        n2.text_input("Note for this step", key="builder_step_note", on_change=_on_step_note, max_chars=1000,
                      placeholder="e.g. takes on the platform cost work")
        k1, k2, k3 = st.columns([3, 1, 1], vertical_alignment="bottom")
        role_knobs = knobs(b.role_at(i, base)) if results is not None else knobs(base)
        k1.selectbox("Input to change", [k.id for k in role_knobs], format_func=labels.get, key="builder_knob",
                     on_change=_on_knob, index=None, placeholder="Pick an input")
        kid = st.session_state.get("builder_knob")
        k = next((k for k in role_knobs if k.id == kid), None)
        if k is not None and "builder_value" not in st.session_state:
            _on_knob()
        if k is not None and k.integer:
            k2.number_input(f"Value ({int(k.min)} to {int(k.max)})", min_value=int(k.min), max_value=int(k.max),
                            step=1, key="builder_value")
        else:
            share = SCALES["share"]
            k2.number_input("Value (time %)" if k is not None else "Value", min_value=float(share.min),
                            max_value=float(share.max), step=1.0, format="%.2f", key="builder_value", disabled=k is None)
        k3.button("Set in this step", key="builder_set", on_click=_set_change, disabled=k is None, width="stretch")
        if step.changes:
            r1, r2 = st.columns([4, 1], vertical_alignment="bottom")
            r1.multiselect("Changes of this step", list(step.changes),
                           format_func=lambda kid: f"{labels.get(kid, kid)} = {step.changes[kid]:g}",
                           key="builder_remove", placeholder="Pick changes to remove")
            r2.button("Remove", key="builder_remove_button", on_click=_remove_changes, width="stretch")
        else:
            st.caption("This step changes nothing yet: pick an input above, or take the Explorer's state.")
        with st.popover("Add or remove a task", icon=":material/playlist_add:"):
            st.caption("A step can reshape the role: a task the client takes on takes its time from the others; "
                       "a task handed over gives its time back to them.")
            t1, t2, t3, t4 = st.columns([3, 1, 1, 2], vertical_alignment="bottom")
            share, task = SCALES["share"], SCALES["score"]
            t1.text_input("New task", key="builder_new_task", max_chars=MAX_NAME, placeholder="e.g. AI platform cost work")
            t2.number_input("Time %", min_value=float(share.min), max_value=float(share.max), value=10.0, step=1.0,
                            key="builder_new_share")
            t3.number_input("Score", min_value=int(task.min), max_value=int(task.max), value=NEW_TASK_SCORE, step=1,
                            key="builder_new_score")
            t4.selectbox("Mode", MODES, key="builder_new_mode")
            st.button("Add the task in this step", key="builder_add_task", on_click=_add_task, icon=":material/add:")
            tasks_now = [t.name for t in (b.role_at(i, base).tasks if results is not None else base.tasks)]
            d1, d2 = st.columns([3, 2], vertical_alignment="bottom")
            d1.selectbox("Task to remove", tasks_now, key="builder_drop_task", index=None, placeholder="Pick a task")
            d2.button("Remove it in this step", key="builder_drop", on_click=_drop_task, icon=":material/remove:")
        a = st.columns(4)
        a[0].button("Add a step", key="builder_add", on_click=_add_step, icon=":material/add:", width="stretch")
        a[1].button("Move up", key="builder_up", on_click=_move_step, args=(-1,), disabled=i == 0,
                    icon=":material/arrow_upward:", width="stretch")
        a[2].button("Move down", key="builder_down", on_click=_move_step, args=(1,), disabled=i == len(names) - 1,
                    icon=":material/arrow_downward:", width="stretch")
        a[3].button("Delete step", key="builder_delete", on_click=_delete_step, icon=":material/delete:",
                    width="stretch")
        x1, x2 = st.columns(2)
        x1.button("Take the Explorer's state", key="builder_take", on_click=_take_explorer_state,
                  icon=":material/download:", width="stretch",
                  help="This step becomes whatever the Explorer shows now (on top of the step before)")
        if x2.button("Open in Explorer", key="builder_open", icon=":material/tune:", width="stretch",
                     help="Show this step in the Explorer; the builder keeps its state"):
            open_in_explorer(b.changes_at(i, base), f"path step {step.name!r}")
        show("builder_step")
    s1, s2 = st.columns([1, 3], vertical_alignment="center")
    s1.button("Save the path", key="builder_save", on_click=_save_path, type="primary", icon=":material/save:",
              width="stretch", help="Saves the start and every step as scenarios of one trajectory")
    with s2:
        show("builder_save")
        if st.session_state.get(BUILDER_CLASH):
            st.button("Replace them", key="builder_replace", on_click=_save_path, args=(True,))
