"""Scenarios & trajectories: build a client's path, save what-ifs, compare them, hand out a report.

Element keys for browser tests (stable):
  builder: builder_name, builder_start, builder_steps_table, chart_builder, builder_pick_<i> (the button of step i,
           from 0), builder_step_name,
           builder_step_note, builder_knob, builder_value, builder_set, builder_remove, builder_remove_button,
           builder_add, builder_up, builder_down, builder_delete, builder_open, builder_take, builder_save,
           builder_replace, builder_edit_pick, builder_edit, builder_reset
  save: scenario_name, scenario_note, scenario_step, scenario_trajectory, save_scenario (form "save_form"),
        scenario_overwrite / scenario_cancel (shown when the name is taken)
  scenario_table (row selection), scenario_load, scenario_new_name, scenario_rename, scenario_delete,
  confirm_delete / cancel_delete (in the confirmation dialog), load_trajectories
  compare_table, chart_compare, attribution_pick, attribution_by_knob, chart_attribution, chart_trajectory
  hand-out: handout_covers, handout_trajectory, handout_title, handout_note, handout_date, handout_appendix,
            handout_prepare,
            download_handout
  download_csv, download_summary_csv, csv_upload, csv_overwrite, csv_problems
  Messages of an action appear beside its control (keys of the form msg_<place>) and as a toast.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from aijri_core import AIJRIError, Scenario
from aijri_core.errors import describe_validation_error
from aijri_core.formats.scenarios_csv import CSVFormatError, knob_from_id
from aijri_core.knobs import (
    apply_changes,
    changes_between,
    knobs,
    task_mode_id,
    task_remove_id,
    task_score_id,
    task_share_id,
    values,
)
from aijri_core.model import TaskMode
from aijri_core.store import NameClashError, StoreError
from aijri_core.trajectories import (
    RESULT_ROWS,
    comparison_table,
    cumulative_changes,
    path_scenarios,
    path_scores,
    step_changes,
)
from aijri_ui import backend, cached, state, tables
from aijri_ui.feedback import confirm_delete, say, show, start_page
from aijri_ui.text import literal

PENDING = "aijri.pending_scenario"  # a scenario whose name is taken, waiting for overwrite / rename
BUILDER = "aijri.builder"  # {role key: builder state}; kept in session state, not in widgets only
CSV_PROBLEMS = "aijri.csv_problems"  # the problems of the last failed CSV import (table beside the uploader)
EXPLORER_PAGE = "app_pages/explorer.py"
MAX_COMPARE = 6
MODES = [m.value for m in TaskMode]
START = "Start"

# ---------------------------------------------------------------- the path builder state


def _builder() -> dict:
    """This role's builder: {"name", "start", "start_changes", "steps": [{"name", "note", "changes"}], "pick"}."""
    all_builders = st.session_state.setdefault(BUILDER, {})
    key = state.role_key()
    if key not in all_builders:
        all_builders[key] = {"name": "Client path", "start": "Baseline", "start_changes": {},
                             "steps": [{"name": "Step 1", "note": "", "changes": {}}], "pick": 0}
    return all_builders[key]


def _pick() -> int:
    b = _builder()
    return min(max(b["pick"], 0), len(b["steps"]) - 1)


def _cumulative_before(b: dict, index: int) -> dict[str, float]:
    """The changes in force before step ``index`` (the start's for the first step)."""
    return dict(b["start_changes"]) if index == 0 else _at_step(b, index - 1)


def _at_step(b: dict, i: int) -> dict[str, float]:
    """The changes in force at step i (its own included)."""
    names = {t.name for t in state.base().tasks}
    return cumulative_changes(b["start_changes"], [s["changes"] for s in b["steps"][: i + 1]], names)[-1]


def _role_at_step(b: dict, i: int):
    return apply_changes(state.base(), _at_step(b, i))


def _check_path(b: dict) -> None:
    """An AIJRIError naming the first step whose changes do not apply."""
    path_scores(state.base(), b["start_changes"], [s["changes"] for s in b["steps"]], state.methodology())


def _sync_step_widgets() -> None:
    """Put the picked step's name and note into their fields (after a pick, add, move or delete)."""
    b = _builder()
    step = b["steps"][_pick()]
    st.session_state["builder_step_name"] = step["name"]
    st.session_state["builder_step_note"] = step["note"]


def _unique_step_name(b: dict, wanted: str) -> str:
    names = {s["name"].casefold() for s in b["steps"]} | {START.casefold()}
    name, n = wanted, 2
    while name.casefold() in names:
        name, n = f"{wanted} ({n})", n + 1
    return name


@state.guarded
def _on_name() -> None:
    _builder()["name"] = (st.session_state.get("builder_name") or "").strip()


@state.guarded
def _on_start() -> None:
    b = _builder()
    start = st.session_state.get("builder_start", "Baseline")
    changes: dict[str, float] = {}
    if start != "Baseline":
        found = [sc for sc in backend.list_scenarios(state.role_key()) if sc.name == start]
        if not found:
            say("builder", "error", f"No saved scenario named {start!r}.")
            return
        changes = dict(found[0].changes)
    b["start"], b["start_changes"] = start, changes


@state.guarded
def _on_pick(index: int) -> None:
    _builder()["pick"] = index
    _sync_step_widgets()


@state.guarded
def _on_step_name() -> None:
    b = _builder()
    i = _pick()
    new = (st.session_state.get("builder_step_name") or "").strip()
    taken = {s["name"].casefold() for j, s in enumerate(b["steps"]) if j != i} | {START.casefold()}
    if not new or new.casefold() in taken:
        say("builder_step", "error", f"Step name {new!r} " + ("is empty" if not new else "is taken")
            + "; allowed: a name no other step of this path has.")
        st.session_state["builder_step_name"] = b["steps"][i]["name"]
        return
    b["steps"][i]["name"] = new


@state.guarded
def _on_step_note() -> None:
    _builder()["steps"][_pick()]["note"] = st.session_state.get("builder_step_note") or ""


@state.guarded
def _on_knob() -> None:
    """Show the picked input's value at this step in the value field."""
    b = _builder()
    kid = st.session_state.get("builder_knob")
    if not kid:
        return
    now = values(_role_at_step(b, _pick()))
    if kid in now:
        st.session_state["builder_value"] = _value_for_widget(kid, now[kid])


def _value_for_widget(kid: str, value: float):
    k = knob_from_id(kid)
    return int(value) if k is not None and k.integer else float(round(value, 2))


@state.guarded
def _set_change() -> None:
    b = _builder()
    i = _pick()
    kid = st.session_state.get("builder_knob")
    value = st.session_state.get("builder_value")
    k = next((k for k in knobs(_role_at_step(b, i)) if k.id == kid), None)
    if k is None or value is None:
        say("builder_step", "error", "Pick an input and a value first.")
        return
    v = k.check(value)
    _try_step_changes(b, i, {kid: v}, f"{k.label} set to {v:g}")


def _try_step_changes(b: dict, i: int, new: dict[str, float], what: str) -> None:
    """Add changes to step i if the whole path still applies (later steps build on it)."""
    old = dict(b["steps"][i]["changes"])
    b["steps"][i]["changes"].update(new)
    try:
        _check_path(b)
    except AIJRIError as exc:
        b["steps"][i]["changes"] = old
        say("builder_step", "error", f"Not changed: {exc}")
        return
    say("builder_step", "success", f"{b['steps'][i]['name']}: {what}.")


@state.guarded
def _add_task() -> None:
    b = _builder()
    ss = st.session_state
    name = (ss.get("builder_new_task") or "").strip()
    if not name:
        say("builder_step", "error", "Task name: empty; allowed: 1 to 200 characters.")
        return
    if name in {t.name for t in _role_at_step(b, _pick()).tasks}:
        say("builder_step", "error", f"The role already has a task named {name!r} at this step; change its inputs "
            "above instead.")
        return
    mode = MODES.index(ss.get("builder_new_mode") or MODES[0])
    new = {task_share_id(name): float(ss.get("builder_new_share") or 0.0), task_score_id(name): int(ss.get("builder_new_score") or 3)}
    if mode:
        new[task_mode_id(name)] = mode
    _try_step_changes(b, _pick(), new, f"adds the task {name!r} ({new[task_share_id(name)]:g}% of the time, score "
                      f"{new[task_score_id(name)]})")


@state.guarded
def _drop_task() -> None:
    b = _builder()
    name = st.session_state.get("builder_drop_task")
    if not name:
        return
    _try_step_changes(b, _pick(), {task_remove_id(name): 1}, f"removes the task {name!r} (its time goes to the others)")


@state.guarded
def _remove_changes() -> None:
    b = _builder()
    step = b["steps"][_pick()]
    gone = [kid for kid in st.session_state.get("builder_remove") or [] if kid in step["changes"]]
    for kid in gone:
        step["changes"].pop(kid)
    st.session_state["builder_remove"] = []
    if gone:
        say("builder_step", "success", f"{step['name']}: {len(gone)} change(s) removed.")


@state.guarded
def _add_step() -> None:
    b = _builder()
    i = _pick() + 1
    b["steps"].insert(i, {"name": _unique_step_name(b, f"Step {len(b['steps']) + 1}"), "note": "", "changes": {}})
    b["pick"] = i
    _sync_step_widgets()


@state.guarded
def _move_step(delta: int) -> None:
    b = _builder()
    i = _pick()
    j = i + delta
    if not 0 <= j < len(b["steps"]):
        return
    b["steps"][i], b["steps"][j] = b["steps"][j], b["steps"][i]
    b["pick"] = j
    _sync_step_widgets()


@state.guarded
def _delete_step() -> None:
    b = _builder()
    if len(b["steps"]) == 1:
        b["steps"][0]["changes"] = {}
        say("builder_step", "info", "A path keeps at least one step; its changes were cleared.")
    else:
        gone = b["steps"].pop(_pick())
        b["pick"] = min(_pick(), len(b["steps"]) - 1)
        say("builder_step", "success", f"Step {gone['name']!r} deleted.")
    _sync_step_widgets()


@state.guarded
def _take_explorer_state() -> None:
    """This step's own changes become what turns the step before into the Explorer's state."""
    b = _builder()
    i = _pick()
    base = state.base()
    before = apply_changes(base, _cumulative_before(b, i))
    own = changes_between(before, state.current())
    b["steps"][i]["changes"] = own
    say("builder_step", "success", f"{b['steps'][i]['name']} now holds the Explorer's state "
        f"({tables.changes_text(own) or 'no inputs changed'} from the step before).")


def _reset_builder_widgets() -> None:
    b = _builder()
    st.session_state["builder_name"] = b["name"]
    st.session_state["builder_start"] = b["start"]
    _sync_step_widgets()


@state.guarded
def _edit_saved_path() -> None:
    """Load a saved trajectory into the builder: its first step is the start, the others the steps."""
    name = st.session_state.get("builder_edit_pick")
    items = [sc for sc in backend.list_scenarios(state.role_key()) if sc.trajectory == name]
    if not items:
        say("builder", "error", f"No saved trajectory named {name!r}.")
        return
    cumulative = [dict(sc.changes) for sc in items[1:]]
    own = step_changes(state.base(), items[0].changes, cumulative)
    b = _builder()
    b.update(name=name, start="Baseline" if not items[0].changes else items[0].name,
             start_changes=dict(items[0].changes), pick=0,
             steps=[{"name": sc.position or sc.name, "note": sc.note, "changes": c} for sc, c in zip(items[1:], own, strict=True)]
             or [{"name": "Step 1", "note": "", "changes": {}}])
    _reset_builder_widgets()
    say("builder", "success", f"Loaded {name!r} into the builder ({len(items) - 1} step(s) after its start).")


@state.guarded
def _reset_builder() -> None:
    st.session_state.get(BUILDER, {}).pop(state.role_key(), None)
    _reset_builder_widgets()
    say("builder", "info", "The builder starts again from the baseline.")


def _builder_scenarios(b: dict) -> list[Scenario]:
    return path_scenarios(b["name"], b["start_changes"],
                          [(s["name"], s["note"], s["changes"]) for s in b["steps"]],
                          base_tasks={t.name for t in state.base().tasks})


class _LabelsByForm(dict):
    """Readable labels of changes (knobs, tasks added, modes, tasks removed) by their id."""

    def __missing__(self, kid: str) -> str:
        k = knob_from_id(kid)
        return k.label if k is not None else kid

    def get(self, kid, default=None):  # noqa: D102 - dict.get that uses __missing__
        return self[kid]


@state.guarded
def _save_path(overwrite: bool = False) -> None:
    b = _builder()
    try:
        items = _builder_scenarios(b)
    except (AIJRIError, ValidationError) as exc:
        text = describe_validation_error(exc, context="Path") if isinstance(exc, ValidationError) else str(exc)
        say("builder_save", "error", f"Not saved: {text}")
        return
    if not overwrite:
        existing = {sc.name for sc in backend.list_scenarios(state.role_key())}
        clash = [sc.name for sc in items if sc.name in existing]
        if clash:
            st.session_state["aijri.builder_clash"] = True
            say("builder_save", "warning", f"{len(clash)} step(s) of {b['name']!r} are already saved (e.g. "
                f"{clash[0]!r}). Replace them, or rename the path.")
            return
    try:
        backend.import_scenarios(state.role_key(), items, overwrite=True)
    except AIJRIError as exc:
        say("builder_save", "error", f"Not saved: {exc}")
        return
    st.session_state.pop("aijri.builder_clash", None)
    say("builder_save", "success", f"Saved {b['name']!r} as a trajectory of {len(items)} scenarios "
        "(its start and each step); it is in the table below.")


def _open_in_explorer(changes: dict[str, float], what: str) -> None:
    """Make these changes the Explorer's state (tasks added or removed included) and go there."""
    state.set_changes(dict(changes))
    state.notice("success", f"Showing {what}. Go back to Scenarios & trajectories to carry on; the path "
                 "builder keeps its steps.")
    st.switch_page(EXPLORER_PAGE)


def _builder_section(base, saved: list[Scenario], m_json: str) -> None:
    b = _builder()
    st.subheader("Build a path")
    st.caption("Each step is a set of changes on top of the step before. Scores update as you edit; save the "
               "path to keep it as one trajectory.")
    for key, value in (("builder_name", b["name"]), ("builder_start", b["start"])):
        if key not in st.session_state:
            st.session_state[key] = value
    if "builder_step_name" not in st.session_state:
        _sync_step_widgets()
    starts = ["Baseline", *(sc.name for sc in saved)]
    if st.session_state["builder_start"] not in starts:
        st.session_state["builder_start"] = "Baseline"
        b["start"], b["start_changes"] = "Baseline", {}
    c1, c2, c3 = st.columns([2, 2, 2], vertical_alignment="bottom")
    c1.text_input("Path name", key="builder_name", on_change=_on_name, max_chars=150)
    c2.selectbox("Start from", starts, key="builder_start", on_change=_on_start,
                 help="The baseline, or a saved scenario as the client's situation today")
    saved_paths = list(dict.fromkeys(sc.trajectory for sc in saved if sc.trajectory))
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
        results = path_scores(base, b["start_changes"], [s["changes"] for s in b["steps"]], state.methodology())
    except AIJRIError as exc:
        st.error(f"This path does not apply to the role: {literal(exc)}. Remove the change that causes it.")
        results = None
    labels = _LabelsByForm()
    if results is not None:
        rows = []
        for i, (step, r) in enumerate(zip([{"name": START, "changes": b["start_changes"]}, *b["steps"]], results,
                                           strict=True)):
            prev = results[i - 1].score if i else None
            rows.append({
                "#": i, "Step": step["name"] if i else f"{START} ({b['start']})",
                "Changes": "; ".join(f"{labels.get(k, k)} = {v:g}" for k, v in step["changes"].items()) or "-",
                "Score": r.score, "Zone": r.zone_text,
                "vs step before": "" if prev is None else f"{r.score - prev:+.1f}",
            })
        # Widths that fit a laptop-width page (about 800 px) without a sideways scroll.
        st.dataframe(pd.DataFrame(rows).drop(columns="#"), key="builder_steps_table", hide_index=True,
                     width="stretch",
                     column_config={"Step": st.column_config.TextColumn(width=160),
                                    "Changes": st.column_config.TextColumn(width=290),
                                    "Score": st.column_config.NumberColumn(format="%.1f", width=60),
                                    "Zone": st.column_config.TextColumn(width=170),
                                    "vs step before": st.column_config.TextColumn(width=100)})
        points = tuple((START if i == 0 else s["name"], r.score)
                       for i, (s, r) in enumerate(zip([{"name": START}, *b["steps"]], results, strict=True)))
        st.plotly_chart(cached.trajectory_figure(((b["name"] or "Path", points),), m_json,
                                                        title=f"{b['name'] or 'Path'}: score at each step"),
                               key="chart_builder", config={"displayModeBar": False})

    # The picked step: name, note, its own changes.
    with st.container(border=True):
        names = [s["name"] for s in b["steps"]]
        # One button per step (the picked one highlighted): buttons keep no value of their own,
        # so the pick lives in the builder's state only and cannot drift from it.
        st.markdown("**Step to edit**")
        per_row = 6
        for row in range(0, len(names), per_row):
            cols = st.columns(per_row)
            for j, name in enumerate(names[row:row + per_row], start=row):
                cols[j - row].button(literal(name), key=f"builder_pick_{j}", on_click=_on_pick, args=(j,),
                                     width="stretch",
                                     type="primary" if j == _pick() else "secondary")
        i = _pick()
        step = b["steps"][i]
        n1, n2 = st.columns([1, 2])
        n1.text_input("Step name", key="builder_step_name", on_change=_on_step_name, max_chars=120)
        n2.text_input("Note for this step", key="builder_step_note", on_change=_on_step_note, max_chars=1000,
                      placeholder="e.g. takes on the platform cost work")
        k1, k2, k3 = st.columns([3, 1, 1], vertical_alignment="bottom")
        role_knobs = knobs(_role_at_step(b, i)) if results is not None else knobs(base)
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
            k2.number_input("Value (time %)" if k is not None else "Value", min_value=0.0, max_value=100.0, step=1.0,
                            format="%.2f", key="builder_value", disabled=k is None)
        k3.button("Set in this step", key="builder_set", on_click=_set_change, disabled=k is None, width="stretch")
        if step["changes"]:
            r1, r2 = st.columns([4, 1], vertical_alignment="bottom")
            r1.multiselect("Changes of this step", list(step["changes"]),
                           format_func=lambda kid: f"{labels.get(kid, kid)} = {step['changes'][kid]:g}",
                           key="builder_remove", placeholder="Pick changes to remove")
            r2.button("Remove", key="builder_remove_button", on_click=_remove_changes, width="stretch")
        else:
            st.caption("This step changes nothing yet: pick an input above, or take the Explorer's state.")
        with st.popover("Add or remove a task", icon=":material/playlist_add:"):
            st.caption("A step can reshape the role: a task the client takes on takes its time from the others; "
                       "a task handed over gives its time back to them.")
            t1, t2, t3, t4 = st.columns([3, 1, 1, 2], vertical_alignment="bottom")
            t1.text_input("New task", key="builder_new_task", max_chars=200, placeholder="e.g. AI platform cost work")
            t2.number_input("Time %", min_value=0.0, max_value=100.0, value=10.0, step=1.0, key="builder_new_share")
            t3.number_input("Score", min_value=1, max_value=5, value=3, step=1, key="builder_new_score")
            t4.selectbox("Mode", MODES, key="builder_new_mode")
            st.button("Add the task in this step", key="builder_add_task", on_click=_add_task, icon=":material/add:")
            tasks_now = [t.name for t in (_role_at_step(b, i).tasks if results is not None else base.tasks)]
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
            _open_in_explorer(_at_step(b, i), f"path step {step['name']!r}")
        show("builder_step")
    s1, s2 = st.columns([1, 3], vertical_alignment="center")
    s1.button("Save the path", key="builder_save", on_click=_save_path, type="primary", icon=":material/save:",
              width="stretch", help="Saves the start and every step as scenarios of one trajectory")
    with s2:
        show("builder_save")
        if st.session_state.get("aijri.builder_clash"):
            st.button("Replace them", key="builder_replace", on_click=_save_path, args=(True,))


# ---------------------------------------------------------------- saved scenarios


@state.guarded
def _save(overwrite: bool = False) -> None:
    ss = st.session_state
    if overwrite and ss.get(PENDING):
        scenario = Scenario.model_validate_json(ss[PENDING])
    else:
        try:
            scenario = Scenario(
                name=ss.get("scenario_name", ""),
                note=ss.get("scenario_note", ""),
                changes=state.changes(),
                position=(ss.get("scenario_step") or "").strip() or None,
                trajectory=(ss.get("scenario_trajectory") or "").strip() or None,
            )
        except ValidationError as exc:
            say("save", "error", describe_validation_error(exc, context="Scenario"))
            return
    try:
        backend.save_scenario(state.role_key(), scenario, overwrite=overwrite)
    except NameClashError:
        ss[PENDING] = scenario.model_dump_json()
        return
    except AIJRIError as exc:
        say("save", "error", f"Scenario not saved: {exc}")
        return
    ss.pop(PENDING, None)
    say("save", "success", f"Saved scenario {scenario.name!r}" + (" (replaced the old one)." if overwrite else "."))


@state.guarded
def _cancel() -> None:
    st.session_state.pop(PENDING, None)


@state.guarded
def _rename(old: str) -> None:
    new = (st.session_state.get("scenario_new_name") or "").strip()
    try:
        backend.rename_scenario(state.role_key(), old, new)
    except AIJRIError as exc:
        say("actions", "error", f"Not renamed: {exc}")
        return
    say("actions", "success", f"Renamed {old!r} to {new!r}.")


DELETE_PENDING = "aijri.delete_pending"  # scenario names waiting for the user's confirmation


@state.guarded
def _ask_delete(names: list[str]) -> None:
    st.session_state[DELETE_PENDING] = list(names)


@state.guarded
def _cancel_delete() -> None:
    st.session_state.pop(DELETE_PENDING, None)


@state.guarded
def _delete(names: list[str]) -> None:
    st.session_state.pop(DELETE_PENDING, None)
    shown = _names_text(names)
    try:
        for name in names:
            backend.delete_scenario(state.role_key(), name)
    except AIJRIError as exc:
        say("actions", "error", f"Not deleted: {exc}")
        return
    st.session_state.pop("scenario_table", None)  # the selection pointed at the deleted rows
    say("actions", "success", f"Deleted {shown}.")


def _names_text(names: list[str]) -> str:
    return ", ".join(repr(n) for n in names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


@state.guarded
def _load_trajectories(slug: str) -> None:
    try:
        bundled = cached.bundled_trajectories_of(slug)
        items = [sc for scs in bundled.values() for sc in scs]
        existing = {sc.name for sc in backend.list_scenarios(state.role_key())}
        new = [sc for sc in items if sc.name not in existing]
        if new:
            backend.import_scenarios(state.role_key(), new)
    except AIJRIError as exc:
        say("list", "error", f"Trajectories not loaded: {exc}")
        return
    say("list", "success", f"Loaded {len(new)} illustrative scenario(s)" +
        (f"; {len(items) - len(new)} were already there." if len(new) < len(items) else "."))


def _selected_rows(key: str, count: int) -> list[int]:
    sel = st.session_state.get(key)
    rows = []
    if sel is not None:
        try:
            rows = list(sel["selection"]["rows"])
        except (KeyError, TypeError):
            rows = list(getattr(getattr(sel, "selection", None), "rows", []) or [])
    return [r for r in rows if 0 <= r < count]


def _save_section() -> None:
    st.subheader("Save the Explorer's state")
    s = state.current_score()
    changed = tables.changes_text(state.changes()) or "no inputs changed"
    st.write(f"Now: **{s.score:.1f}** {s.zone_text}, {changed} from the baseline.")
    with st.form("save_form", clear_on_submit=False, border=True):
        c0, c1, c2 = st.columns([2, 1, 1])
        c0.text_input("Name", key="scenario_name", max_chars=200, placeholder="e.g. Senior, 2028, after reskilling")
        c1.text_input("Step (optional)", key="scenario_step", placeholder="e.g. 2028 or Senior",
                      help="The scenario's place in a trajectory")
        c2.text_input("Trajectory (optional)", key="scenario_trajectory", placeholder="e.g. Career path",
                      help="Scenarios with the same trajectory are drawn as one path")
        st.text_area("Note", key="scenario_note", max_chars=4000, height=80)
        st.form_submit_button("Save scenario", key="save_scenario", on_click=_save, type="primary",
                              icon=":material/save:")
    show("save")
    pending = st.session_state.get(PENDING)
    if pending:
        pending_name = Scenario.model_validate_json(pending).name
        st.warning(f"A scenario named {literal(repr(pending_name))} already exists. "
                   "Replace it, or change the name and save again.")
        b1, b2 = st.columns(2)
        b1.button("Replace it", key="scenario_overwrite", on_click=_save, args=(True,), type="primary")
        b2.button("Cancel", key="scenario_cancel", on_click=_cancel)


def _list_section(base, scenarios: list[Scenario], m_json: str, role_key: str) -> list[Scenario]:
    """The saved scenarios, picked by selecting rows; returns the selected ones."""
    st.subheader(f"Saved scenarios ({len(scenarios)})")
    selected: list[Scenario] = []
    if scenarios:
        st.caption("Select rows to open, rename, delete or compare them (2 to 6 for the side-by-side).")
        # Widths that fit a laptop-width page (about 800 px) without a sideways scroll.
        widths = {"Scenario": 190, "Step": 90, "Trajectory": 110, "Zone": 150, "Inputs changed": 60, "Note": 130}
        st.dataframe(tables.scenario_list(base, scenarios, m_json), key="scenario_table", hide_index=True,
                     width="stretch", on_select="rerun", selection_mode="multi-row",
                     column_config={"Score": st.column_config.NumberColumn(format="%.1f", width=50),
                                    **{c: st.column_config.Column(width=w) for c, w in widths.items()}})
        selected = [scenarios[i] for i in _selected_rows("scenario_table", len(scenarios))]
        one = selected[0] if len(selected) == 1 else None
        a1, a2, a3 = st.columns([1, 1, 3], vertical_alignment="bottom")
        if a1.button("Open in Explorer", key="scenario_load", icon=":material/tune:", width="stretch",
                     disabled=one is None, help="Select one row"):
            try:
                _open_in_explorer(one.changes, f"scenario {one.name!r}")
            except AIJRIError as exc:
                say("actions", "error", f"{one.name!r} does not fit this role: {exc}")
        a2.button("Delete", key="scenario_delete", icon=":material/delete:", width="stretch",
                  disabled=not selected, help="Select one or more rows", on_click=_ask_delete,
                  args=([sc.name for sc in selected],))
        names = st.session_state.get(DELETE_PENDING)
        if names:
            confirm_delete("Delete saved scenarios?", f"Delete {_names_text(names)}? This cannot be undone.",
                           _delete, (names,), _cancel_delete, "confirm_delete", "cancel_delete")
        with a3.form("rename_form", border=False):  # Enter in the new name renames, as the button does
            r1, r2 = st.columns([2, 1], vertical_alignment="bottom")
            r1.text_input("Rename to", key="scenario_new_name", placeholder="new name", disabled=one is None)
            r2.form_submit_button("Rename", key="scenario_rename", on_click=_rename, args=(one.name if one else "",),
                                  width="stretch", disabled=one is None)
        show("actions")
    else:
        st.info("No scenarios yet: build a path above, save the Explorer's state, "
                + ("or load the illustrative trajectories." if backend.bundled_slug(role_key) else "or import a CSV."))
    slug = backend.bundled_slug(role_key)
    if slug:
        st.button("Load the illustrative trajectories", key="load_trajectories", on_click=_load_trajectories,
                  args=(slug,), icon=":material/route:",
                  help="Bundled example paths for this role (e.g. junior to senior, 2026 to 2028); illustrative only")
        show("list")
    return selected


def _compare_section(base, selected: list[Scenario], m_json: str) -> None:
    st.subheader("Compare")
    if not 2 <= len(selected) <= MAX_COMPARE:
        st.caption(f"Select 2 to {MAX_COMPARE} rows of the saved scenarios to see them side by side"
                   + (f" ({len(selected)} selected)." if selected else "."))
        return
    table = comparison_table(base, selected, state.methodology())

    def highlight(col: pd.Series) -> list[str]:
        if col.name == "Baseline":
            return [""] * len(col)
        return ["" if i < RESULT_ROWS or v == table["Baseline"].iloc[i] else "background-color: #fff3c4; font-weight: 600"
                for i, v in enumerate(col)]

    # A static table: its headers (the scenarios' names) and cells wrap, so 6 scenarios side by side fit
    # a laptop's page (1280 px) without a sideways scroll; inputs are rows, scenarios columns.
    with st.container(key="compare_table"):
        st.table(table.style.apply(highlight, axis=0), border="horizontal")
    st.caption("Results first, then only the inputs that differ from the baseline (changed values highlighted).")
    comparators = tuple((sc.name, cached.score_of(cached.apply_json(base.model_dump_json(), tuple(sc.changes.items())),
                                                  m_json).score) for sc in selected)
    st.plotly_chart(cached.scale_figure(state.base_score().score, None, m_json, comparators=comparators,
                                        label="Baseline", title="The chosen scenarios on the zone bands"),
                    key="chart_compare", config={"displayModeBar": False})


# ---------------------------------------------------------------- hand-out and files


def _handout_section(base, scenarios: list[Scenario], selected: list[Scenario]) -> None:
    from aijri_core.formats.report import handout_file_name, render_report_html

    st.subheader("Client hand-out")
    paths = list(dict.fromkeys(sc.trajectory for sc in scenarios if sc.trajectory))
    options = ["A saved trajectory", "The selected scenarios", "The path being built (not saved)"]
    h1, h2 = st.columns([1, 2], vertical_alignment="bottom")
    covers = h1.radio("The hand-out covers", options, key="handout_covers")
    chosen: list[Scenario] = []
    if covers == options[2]:
        try:
            chosen = _builder_scenarios(_builder())
            h2.caption(f"{_builder()['name']!r}: its start and {len(chosen) - 1} step(s), as the builder shows them.")
        except (AIJRIError, ValidationError):
            h2.caption("The path cannot be handed out yet: give it a name and its steps distinct names.")
    elif covers == options[0]:
        if paths:
            path = h2.selectbox("Trajectory", paths, key="handout_trajectory")
            chosen = [sc for sc in scenarios if sc.trajectory == path]
        else:
            h2.caption("No saved trajectories yet: save the path you built above.")
    else:
        chosen = selected
        h2.caption(f"{len(selected)} scenario(s) selected in the table above." if selected
                   else "Select scenarios in the table above.")
    t1, t2 = st.columns([2, 1])
    t1.text_input("Title", key="handout_title", value=f"{base.title}: your path", max_chars=200)
    t2.date_input("Date", key="handout_date", value=dt.date.today())
    st.text_area("Note for the client", key="handout_note", max_chars=4000, height=90,
                 placeholder="What we discussed, what to try next")
    st.checkbox("Add the analyst appendix", key="handout_appendix", value=False,
                help="How the score is computed, the zone map, the tornado and the break-even moves of the role "
                     "as assessed, after the client's pages")
    if st.toggle("Prepare the hand-out", key="handout_prepare", disabled=not chosen,
                 help="A self-contained page (works offline) with print rules for A4 and Letter"):
        html = render_report_html(base, scenarios=chosen, methodology=state.methodology(),
                                  title=st.session_state.get("handout_title") or None,
                                  note=st.session_state.get("handout_note") or "",
                                  date=st.session_state.get("handout_date"),
                                  appendix=bool(st.session_state.get("handout_appendix")))
        title = st.session_state.get("handout_title") or base.title
        st.download_button("Download the hand-out (HTML)", data=html.encode("utf-8"), file_name=handout_file_name(title),
                           mime="text/html", key="download_handout", icon=":material/summarize:")
        st.caption(f"{len(chosen)} scenario(s). Open it in a browser and print it (or save it as PDF).")


@state.guarded
def _import_csv() -> None:
    upload = st.session_state.get("csv_upload")
    st.session_state.pop(CSV_PROBLEMS, None)
    if upload is None:
        return
    from aijri_core.formats.scenarios_csv import scenarios_from_csv

    try:
        scenarios = scenarios_from_csv(upload.getvalue(), state.base(), what=upload.name)
        backend.import_scenarios(state.role_key(), scenarios, overwrite=bool(st.session_state.get("csv_overwrite")))
    except NameClashError as exc:
        saved = {sc.name for sc in backend.list_scenarios(state.role_key())}
        taken = [sc.name for sc in scenarios if sc.name in saved]
        if not taken:  # two scenarios of the file share a name
            say("csv", "error", f"{upload.name}: nothing imported - {exc}.")
            return
        names = ", ".join(repr(n) for n in taken[:5]) + (" ..." if len(taken) > 5 else "")
        say("csv", "error", f"{upload.name}: nothing imported - {len(taken)} scenario(s) of the file are already "
            f"saved for {state.base().title!r}: {names}. Tick 'Replace scenarios of the same name' to replace "
            "them.")
        return
    except CSVFormatError as exc:
        if len(exc.problems) > 1:
            st.session_state[CSV_PROBLEMS] = [
                {"Line": p.line, "Column": p.column, "Value": p.value, "Allowed": p.allowed, "Problem": p.message}
                for p in exc.problems
            ]
            say("csv", "error", f"{upload.name}: nothing imported - {len(exc.problems)} problems, listed below.")
        else:
            say("csv", "error", f"Import refused, nothing imported - {exc}")
        return
    except AIJRIError as exc:
        say("csv", "error", f"{upload.name}: nothing imported - {exc}")
        return
    except Exception as exc:  # an importer must never show a traceback
        say("csv", "error", f"{upload.name}: nothing imported - the file could not be read ({type(exc).__name__})")
        return
    say("csv", "success", f"Imported {len(scenarios)} scenario(s) from {upload.name}.")


def _files_section(base, all_scenarios: list[Scenario], scenarios: list[Scenario]) -> None:
    from aijri_core.formats.scenarios_csv import scenarios_summary_csv, scenarios_to_csv

    st.subheader("Export and import")
    e1, e2 = st.columns(2, gap="large")
    with e1:
        st.download_button("Download scenarios (CSV, one row per change)",
                           data=scenarios_to_csv(all_scenarios, role=base.title), file_name="scenarios.csv",
                           mime="text/csv", key="download_csv", disabled=not all_scenarios, icon=":material/download:")
        st.download_button("Download scenarios (wide CSV, one row per scenario)",
                           data=scenarios_summary_csv(base, scenarios, state.methodology()) if scenarios else b"",
                           file_name="scenarios-wide.csv", mime="text/csv", key="download_summary_csv",
                           disabled=not scenarios, icon=":material/table:")
        st.caption("Both files open in a spreadsheet and import back; the one-row-per-change file keeps every "
                   "number exactly.")
    with e2:
        st.checkbox("Replace scenarios of the same name", key="csv_overwrite")
        st.file_uploader("Import scenarios (either CSV layout)", type=["csv"], key="csv_upload",
                         on_change=_import_csv, help="All or nothing: a file with any problem changes nothing")
        show("csv")
        problems = st.session_state.get(CSV_PROBLEMS)
        if problems:
            st.dataframe(pd.DataFrame(problems), key="csv_problems", hide_index=True, width="stretch")


def render() -> None:
    """Draw the page (app_pages/scenarios.py calls this on every run)."""
    start_page("scenarios")
    base = state.base()
    role_key = state.role_key()
    m_json = state.methodology_json()

    st.title("Scenarios & trajectories")
    try:
        all_scenarios = backend.list_scenarios(role_key)
        persistent = backend.is_persistent()
    except StoreError as exc:  # the configured store is down: say so at once, keep what works without it
        all_scenarios, persistent = [], True
        st.error(f"{literal(str(exc))} The path builder below works on this page; saving waits for the store.")
    st.caption(f"Role: **{literal(base.title)}**. Scenarios are kept per role"
               + (" in the scenario store." if persistent else " for this browser session."))
    if notice := backend.session_only_notice():  # its reason quotes a path
        st.warning(literal(notice))

    scenarios, misfit = tables.split_fitting(base, all_scenarios)
    if misfit:
        name, why = next(iter(misfit.items()))
        st.warning(f"{len(misfit)} saved scenario(s) do not fit this role and are left out, "
                   f"e.g. {literal(repr(name))}: {literal(why)}")

    _builder_section(base, scenarios, m_json)
    st.divider()
    selected = _list_section(base, scenarios, m_json, role_key)
    _save_section()
    _compare_section(base, selected, m_json)

    if scenarios:
        st.subheader("Trajectories")
        paths = tables.trajectory_paths(base, scenarios, m_json)
        st.plotly_chart(cached.trajectory_figure(tuple((k, tuple(v)) for k, v in paths.items()), m_json),
                        key="chart_trajectory", config={"displayModeBar": False})

        st.subheader("Where the change comes from")
        names = [sc.name for sc in scenarios]
        pick_col, by_col = st.columns([2, 1], vertical_alignment="bottom")
        default = names.index(selected[0].name) if selected else 0
        chosen = pick_col.selectbox("Scenario to explain", names, key="attribution_pick", index=default)
        sc = scenarios[names.index(chosen)]
        by = "knobs" if by_col.toggle("Per input (up to 12 changed inputs)", key="attribution_by_knob") else "groups"
        st.plotly_chart(cached.attribution_figure(base.model_dump_json(), sc.model_dump_json(), m_json, by),
                        key="chart_attribution", config={"displayModeBar": False})
        st.caption("Shapley attribution: each group's share of the change, averaged over every order in which "
                   "the changes could be made, so the parts add up exactly to the total.")

    st.divider()
    _handout_section(base, scenarios, selected)
    st.divider()
    _files_section(base, all_scenarios, scenarios)
