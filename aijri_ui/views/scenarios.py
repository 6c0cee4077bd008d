"""Scenarios & trajectories: build a client's path (views/path_builder.py), save what-ifs, compare
them and hand out a report (views/scenario_files.py).

Element keys for browser tests (stable):
  builder: see views/path_builder.py
  save: scenario_name, scenario_note, scenario_step, scenario_trajectory, save_scenario (form "save_form"),
        scenario_overwrite / scenario_cancel (shown when the name is taken)
  scenario_table (row selection), scenario_load, scenario_new_name, scenario_rename, scenario_delete,
  confirm_delete / cancel_delete (in the confirmation dialog), load_trajectories
  chart_attribution, attribution_pick, attribution_by_knob, chart_trajectory
  compare, hand-out and files: see views/scenario_files.py
  Messages of an action appear beside its control (keys of the form msg_<place>) and as a toast.
"""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from aijri_core import AIJRIError, Scenario
from aijri_core.errors import describe_validation_error
from aijri_core.store import NameClashError, StoreError
from aijri_core.textfmt import fixed
from aijri_core.trajectories import saved_paths
from aijri_ui import backend, cached, plot, state, tables
from aijri_ui.feedback import confirm_delete, say, show, start_page
from aijri_ui.keys import SCENARIO_DELETE_PENDING, SCENARIO_PENDING
from aijri_ui.text import literal
from aijri_ui.views.path_builder import builder_section, open_in_explorer
from aijri_ui.views.scenario_files import compare_section, files_section, handout_section

# ---------------------------------------------------------------- saved scenarios


@state.guarded
def _save(overwrite: bool = False) -> None:
    ss = st.session_state
    if overwrite and ss.get(SCENARIO_PENDING):
        scenario = Scenario.model_validate_json(ss[SCENARIO_PENDING])
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
        ss[SCENARIO_PENDING] = scenario.model_dump_json()
        return
    except AIJRIError as exc:
        say("save", "error", f"Scenario not saved: {exc}")
        return
    ss.pop(SCENARIO_PENDING, None)
    say("save", "success", f"Saved scenario {scenario.name!r}" + (" (replaced the old one)." if overwrite else "."))


@state.guarded
def _cancel() -> None:
    st.session_state.pop(SCENARIO_PENDING, None)


@state.guarded
def _rename(old: str) -> None:
    new = (st.session_state.get("scenario_new_name") or "").strip()
    try:
        backend.rename_scenario(state.role_key(), old, new)
    except AIJRIError as exc:
        say("actions", "error", f"Not renamed: {exc}")
        return
    say("actions", "success", f"Renamed {old!r} to {new!r}.")




@state.guarded
def _ask_delete(names: list[str]) -> None:
    st.session_state[SCENARIO_DELETE_PENDING] = list(names)


@state.guarded
def _cancel_delete() -> None:
    st.session_state.pop(SCENARIO_DELETE_PENDING, None)


@state.guarded
def _delete(names: list[str]) -> None:
    st.session_state.pop(SCENARIO_DELETE_PENDING, None)
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
    st.write(f"Now: **{fixed(s.score, state.methodology().decimals)}** {s.zone_text}, {changed} from the baseline.")
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
    pending = st.session_state.get(SCENARIO_PENDING)
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
                     column_config={"Score": st.column_config.NumberColumn(format=f"%.{state.methodology().decimals}f",
                                                                           width=50),
                                    **{c: st.column_config.Column(width=w) for c, w in widths.items()}})
        selected = [scenarios[i] for i in _selected_rows("scenario_table", len(scenarios))]
        one = selected[0] if len(selected) == 1 else None
        a1, a2, a3 = st.columns([1, 1, 3], vertical_alignment="bottom")
        if a1.button("Open in Explorer", key="scenario_load", icon=":material/tune:", width="stretch",
                     disabled=one is None, help="Select one row"):
            try:
                open_in_explorer(one.changes, f"scenario {one.name!r}")
            except AIJRIError as exc:
                say("actions", "error", f"{one.name!r} does not fit this role: {exc}")
        a2.button("Delete", key="scenario_delete", icon=":material/delete:", width="stretch",
                  disabled=not selected, help="Select one or more rows", on_click=_ask_delete,
                  args=([sc.name for sc in selected],))
        names = st.session_state.get(SCENARIO_DELETE_PENDING)
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

    builder_section(base, scenarios, m_json)
    st.divider()
    selected = _list_section(base, scenarios, m_json, role_key)
    _save_section()
    compare_section(base, selected, m_json)

    if scenarios:
        st.subheader("Trajectories")
        paths = saved_paths(base, scenarios, state.methodology())
        plot.chart(cached.trajectory_figure(tuple((k, tuple(v)) for k, v in paths.items()), m_json),
                   key="chart_trajectory")

        st.subheader("Where the change comes from")
        names = [sc.name for sc in scenarios]
        pick_col, by_col = st.columns([2, 1], vertical_alignment="bottom")
        default = names.index(selected[0].name) if selected else 0
        chosen = pick_col.selectbox("Scenario to explain", names, key="attribution_pick", index=default)
        sc = scenarios[names.index(chosen)]
        by = "knobs" if by_col.toggle("Per input (up to 12 changed inputs)", key="attribution_by_knob") else "groups"
        plot.chart(cached.attribution_figure(base.model_dump_json(), sc.model_dump_json(), m_json, by),
                   key="chart_attribution")
        st.caption("Shapley attribution: each group's share of the change, averaged over every order in which "
                   "the changes could be made, so the parts add up exactly to the total.")

    st.divider()
    handout_section(base, scenarios, selected)
    st.divider()
    files_section(base, all_scenarios, scenarios)
