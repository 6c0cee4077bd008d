"""Scenarios & trajectories: save what-ifs, compare them, see where a change comes from.

Element keys for browser tests (stable):
  scenario_name, scenario_note, scenario_step, scenario_trajectory, save_scenario (form "save_form")
  scenario_overwrite / scenario_cancel   shown when the name is taken
  scenario_table                          the saved scenarios table
  scenario_pick, scenario_load, scenario_new_name, scenario_rename, scenario_delete
  summary_table                           the side-by-side summary
  attribution_pick, chart_attribution, chart_trajectory, load_trajectories
  download_csv, download_summary_csv, csv_upload, csv_overwrite
"""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from aijri_core import AIJRIError, Scenario
from aijri_core.errors import describe_validation_error
from aijri_ui import backend, cached, state, tables

PENDING = "aijri.pending_scenario"  # a scenario whose name is taken, waiting for overwrite / rename



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
            state.notice("error", describe_validation_error(exc, context="Scenario"))
            return
    try:
        backend.save_scenario(state.role_key(), scenario, overwrite=overwrite)
    except backend.name_clash_types():
        ss[PENDING] = scenario.model_dump_json()
        return
    except AIJRIError as exc:
        state.notice("error", f"Scenario not saved: {exc}")
        return
    ss.pop(PENDING, None)
    state.notice("success", f"Saved scenario {scenario.name!r}" + (" (replaced the old one)." if overwrite else "."))


@state.guarded
def _cancel() -> None:
    st.session_state.pop(PENDING, None)


@state.guarded
def _load(name: str) -> None:
    for sc in backend.list_scenarios(state.role_key()):
        if sc.name == name:
            state.load_scenario(sc)
            state.notice("success", f"Loaded {name!r}: the Explorer now shows it.")
            return


@state.guarded
def _rename(old: str) -> None:
    new = (st.session_state.get("scenario_new_name") or "").strip()
    try:
        backend.rename_scenario(state.role_key(), old, new)
    except AIJRIError as exc:
        state.notice("error", f"Not renamed: {exc}")
        return
    state.notice("success", f"Renamed {old!r} to {new!r}.")


@state.guarded
def _delete(name: str) -> None:
    try:
        backend.delete_scenario(state.role_key(), name)
    except AIJRIError as exc:
        state.notice("error", f"Not deleted: {exc}")
        return
    state.notice("success", f"Deleted {name!r}.")


@state.guarded
def _import_csv() -> None:
    upload = st.session_state.get("csv_upload")
    if upload is None:
        return
    from aijri_core.formats.scenarios_csv import scenarios_from_csv

    try:
        scenarios = scenarios_from_csv(upload.getvalue(), state.base())
        backend.import_scenarios(state.role_key(), scenarios, overwrite=bool(st.session_state.get("csv_overwrite")))
    except backend.name_clash_types() as exc:
        state.notice("error", f"{upload.name}: nothing imported - {exc}. Tick 'replace scenarios of the same name' "
                     "to replace them.")
        return
    except AIJRIError as exc:
        state.notice("error", f"{upload.name}: nothing imported - {exc}")
        return
    except Exception as exc:  # an importer must never show a traceback
        state.notice("error", f"{upload.name}: nothing imported - the file could not be read ({type(exc).__name__})")
        return
    state.notice("success", f"Imported {len(scenarios)} scenario(s) from {upload.name}.")


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
        state.notice("error", f"Trajectories not loaded: {exc}")
        return
    state.notice("success", f"Loaded {len(new)} illustrative scenario(s)" +
                 (f"; {len(items) - len(new)} were already there." if len(new) < len(items) else "."))


def render() -> None:
    """Draw the page (app_pages/scenarios.py calls this on every run)."""
    base = state.base()
    role_key = state.role_key()
    m_json = state.methodology_json()

    st.title("Scenarios & trajectories")
    st.caption(f"Role: **{base.title}**. Scenarios are kept per role"
               + (" in the scenario store on this computer." if backend.is_persistent() else " for this browser session."))
    if backend.store_problem():
        st.warning(f"Scenarios are kept for this session only: {backend.store_problem()}")

    all_scenarios = backend.list_scenarios(role_key)
    scenarios, misfit = tables.split_fitting(base, all_scenarios)
    names = [sc.name for sc in scenarios]
    if misfit:
        name, why = next(iter(misfit.items()))
        st.warning(f"{len(misfit)} saved scenario(s) do not fit this role and are left out, e.g. {name!r}: {why}")

    save_col, list_col = st.columns([1, 2], gap="large")
    with save_col:
        st.subheader("Save the current state")
        s = state.current_score()
        changed = tables.changes_text(state.changes()) or "no inputs changed"
        st.write(f"Now: **{s.score:.1f}** {s.zone_text}, {changed} from the baseline.")
        with st.form("save_form", clear_on_submit=False, border=True):
            st.text_input("Name", key="scenario_name", max_chars=200, placeholder="e.g. Senior, 2028, after reskilling")
            st.text_area("Note", key="scenario_note", max_chars=4000, height=80)
            c1, c2 = st.columns(2)
            c1.text_input("Step (optional)", key="scenario_step", placeholder="e.g. 2028 or Senior",
                          help="The scenario's place in a trajectory")
            c2.text_input("Trajectory (optional)", key="scenario_trajectory", placeholder="e.g. Career path",
                          help="Scenarios with the same trajectory are drawn as one path")
            st.form_submit_button("Save scenario", key="save_scenario", on_click=_save, type="primary",
                                  icon=":material/save:")
        pending = st.session_state.get(PENDING)
        if pending:
            pending_name = Scenario.model_validate_json(pending).name
            st.warning(f"A scenario named {pending_name!r} already exists. Replace it, or change the name and save again.")
            b1, b2 = st.columns(2)
            b1.button("Replace it", key="scenario_overwrite", on_click=_save, args=(True,), type="primary")
            b2.button("Cancel", key="scenario_cancel", on_click=_cancel)

    with list_col:
        st.subheader(f"Saved scenarios ({len(scenarios)})")
        if scenarios:
            st.dataframe(tables.scenario_list(base, scenarios, m_json), key="scenario_table", hide_index=True,
                         width="stretch", column_config={"Score": st.column_config.NumberColumn(format="%.1f")})
            pick = st.selectbox("Scenario", names, key="scenario_pick")
            a1, a2 = st.columns(2)
            a1.button("Open in Explorer", key="scenario_load", on_click=_load, args=(pick,), icon=":material/tune:",
                      width="stretch")
            a2.button("Delete", key="scenario_delete", on_click=_delete, args=(pick,), icon=":material/delete:",
                      width="stretch")
            r1, r2 = st.columns([3, 1], vertical_alignment="bottom")
            r1.text_input("Rename to", key="scenario_new_name", placeholder="new name")
            r2.button("Rename", key="scenario_rename", on_click=_rename, args=(pick,), width="stretch")
        else:
            st.info("No scenarios yet: move some sliders on the Explorer, then save the state here"
                    + (", or load the illustrative trajectories below." if role_key.startswith(backend.BUNDLED) else "."))

        slug = role_key[len(backend.BUNDLED):] if role_key.startswith(backend.BUNDLED) else None
        if slug:
            st.button("Load the illustrative trajectories", key="load_trajectories", on_click=_load_trajectories,
                      args=(slug,), icon=":material/route:",
                      help="Bundled example paths for this role (e.g. junior to senior, 2026 to 2028); illustrative only")

    if scenarios:
        st.subheader("Side by side")
        st.dataframe(tables.scenario_summary(base, scenarios, m_json), key="summary_table", width="stretch")

        # One chart per row: both need the width (step labels, per-input bars).
        st.subheader("Where the change comes from")
        pick_col, by_col = st.columns([2, 1], vertical_alignment="bottom")
        chosen = pick_col.selectbox("Scenario to explain", names, key="attribution_pick")
        sc = scenarios[names.index(chosen)]
        by = "knobs" if by_col.toggle("Per input (up to 12 changed inputs)", key="attribution_by_knob") else "groups"
        st.plotly_chart(cached.attribution_figure(base.model_dump_json(), sc.model_dump_json(), m_json, by),
                        key="chart_attribution", config={"displayModeBar": False})
        st.caption("Shapley attribution: each group's share of the change, averaged over every order in which "
                   "the changes could be made, so the parts add up exactly to the total.")
        st.subheader("Trajectories")
        paths = tables.trajectory_paths(base, scenarios, m_json)
        st.plotly_chart(cached.trajectory_figure(tuple((k, tuple(v)) for k, v in paths.items()), m_json),
                        key="chart_trajectory", config={"displayModeBar": False})

    st.subheader("Export and import")
    e1, e2 = st.columns(2, gap="large")
    with e1:
        from aijri_core.formats.scenarios_csv import scenarios_summary_csv, scenarios_to_csv

        st.download_button("Download scenarios (CSV)", data=scenarios_to_csv(all_scenarios), file_name="scenarios.csv",
                           mime="text/csv", key="download_csv", disabled=not all_scenarios, icon=":material/download:")
        st.download_button("Download summary (wide CSV)",
                           data=scenarios_summary_csv(base, scenarios, state.methodology()) if scenarios else b"",
                           file_name="scenarios-summary.csv", mime="text/csv", key="download_summary_csv",
                           disabled=not scenarios, icon=":material/table:")
    with e2:
        st.checkbox("Replace scenarios of the same name", key="csv_overwrite")
        st.file_uploader("Import scenarios (CSV: scenario, step, knob, value, note, trajectory)", type=["csv"],
                         key="csv_upload", on_change=_import_csv,
                         help="All or nothing: a file with any problem changes nothing")
