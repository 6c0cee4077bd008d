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

from dataclasses import dataclass

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from aijri_core import AIJRIError, Scenario
from aijri_core.errors import describe_validation_error
from aijri_core.knobs import count_changed_inputs
from aijri_core.model import Zone
from aijri_core.store import NameClashError, StoreError
from aijri_core.textfmt import fixed
from aijri_ui import backend, cached, plot, state, tables
from aijri_ui.feedback import confirm_delete, say, show, start_page
from aijri_ui.keys import SCENARIO_DELETE_PENDING, SCENARIO_PENDING
from aijri_ui.text import literal
from aijri_ui.views.path_builder import builder_section, open_in_explorer
from aijri_ui.views.scenario_files import compare_section, files_section, handout_section

#: Scenarios per page of the list (what one run reads from the store and scores).
PAGE_SIZE = 50
#: Trajectories drawn in the chart (the page's first ones); the caption counts the others.
MAX_PATHS = 12
ALL_TRAJECTORIES = "All trajectories"
ALL_ZONES = "All zones"


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
        existing = set(backend.existing_names(state.role_key(), [sc.name for sc in items]))
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


def _page_table(view: PageView) -> pd.DataFrame:
    """The rows shown: one per scenario of the page, with its result (scored once per page)."""
    return pd.DataFrame(
        [{"Scenario": sc.name, "Step": sc.position or "", "Trajectory": sc.trajectory or "", "Score": r.score,
          "Zone": r.zone_text, "Inputs changed": count_changed_inputs(sc.changes), "Note": sc.note}
         for sc, r in zip(view.scenarios, view.results, strict=True)],
        columns=["Scenario", "Step", "Trajectory", "Score", "Zone", "Inputs changed", "Note"])


def _filters(role_key: str, paths: list[str]) -> tuple[str | None, str | None, str | None]:
    """The list's filters (name text, trajectory, zone) as the user set them."""
    f1, f2, f3 = st.columns([2, 2, 1], vertical_alignment="bottom")
    text = f1.text_input("Find by name", key="scenario_filter_name", max_chars=200, placeholder="part of a name",
                         on_change=_first_page, help="Letters A-Z match in either case")
    current = st.session_state.get("scenario_filter_trajectory")
    options = [ALL_TRAJECTORIES, *paths]
    if current and current not in options:
        options.append(current)
    trajectory = f2.selectbox("Trajectory", options, key="scenario_filter_trajectory", on_change=_first_page,
                              help="The trajectories on this page; find others by name first")
    zone = f3.selectbox("Zone", [ALL_ZONES, *(z.label for z in Zone)], key="scenario_filter_zone",
                        help="Narrows the rows of the page shown (zones are scored, not stored)")
    return ((text or "").strip() or None, None if trajectory == ALL_TRAJECTORIES else trajectory,
            None if zone == ALL_ZONES else zone)


@state.guarded
def _first_page() -> None:
    st.session_state["scenario_page"] = 1
    st.session_state.pop("scenario_table", None)


def _list_section(view: PageView, role_key: str, paths: list[str]) -> list[Scenario]:
    """The page of saved scenarios, picked by selecting rows; returns the selected ones."""
    st.subheader(f"Saved scenarios ({view.total_all:,})")
    selected: list[Scenario] = []
    if view.total_all:
        _filters(role_key, paths)
        _pager(view)
        scenarios = view.scenarios
        if scenarios:
            st.caption("Select rows to open, rename, delete or compare them (2 to 6 for the side-by-side).")
            # Widths that fit a laptop-width page (about 800 px) without a sideways scroll.
            widths = {"Scenario": 190, "Step": 90, "Trajectory": 110, "Zone": 150, "Inputs changed": 60, "Note": 130}
            st.dataframe(_page_table(view), key="scenario_table", hide_index=True,
                         width="stretch", on_select="rerun", selection_mode="multi-row",
                         column_config={"Score": st.column_config.NumberColumn(
                                            format=f"%.{state.methodology().decimals}f", width=50),
                                        **{c: st.column_config.Column(width=w) for c, w in widths.items()}})
            selected = [scenarios[i] for i in _selected_rows("scenario_table", len(scenarios))]
        else:
            st.info("No saved scenario on this page matches the filters.")
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


def _pager(view: PageView) -> None:
    """Page number, and what the page shows out of how many."""
    p1, p2 = st.columns([1, 3], vertical_alignment="bottom")
    p1.number_input(f"Page (of {view.pages:,})", min_value=1, max_value=view.pages, step=1, key="scenario_page",
                    on_change=_clear_selection)
    first = view.offset + 1 if view.page_rows else 0
    shown = (f"Rows {first:,} to {view.offset + view.page_rows:,} of {view.total:,}"
             + (" matching the filters" if view.total != view.total_all else ""))
    if view.zone:
        shown += f"; {len(view.scenarios)} of this page's {view.page_rows} in {view.zone}"
    p2.caption(shown + ".")
    if view.misfit:
        name, why = next(iter(view.misfit.items()))
        st.warning(f"{len(view.misfit)} saved scenario(s) on this page do not fit this role and are left out, "
                   f"e.g. {literal(repr(name))}: {literal(why)}")


@state.guarded
def _clear_selection() -> None:
    st.session_state.pop("scenario_table", None)


@dataclass(frozen=True)
class PageView:
    """What the list shows this run: one page of the store's scenarios (filtered by name and
    trajectory in the store's query), scored together, narrowed by zone."""

    scenarios: list[Scenario]  # the page's scenarios that fit the role, in the zone asked for
    results: list  # their results (scenario_batch.ScenarioResult), in the same order
    page_rows: int  # rows of the page as the store gave them
    offset: int
    total: int  # scenarios the name and trajectory filters keep
    total_all: int  # the role's scenarios
    pages: int
    zone: str | None
    misfit: dict[str, str]  # name -> why, for the page's scenarios that do not fit
    rows: list[Scenario]  # the page as the store gave it (before the zone filter)
    trajectory: str | None  # the trajectory filter


def _load_view(base, role_key: str, m_json: str) -> PageView:
    """The page asked for (filters and page number from the session: their widgets are drawn
    further down). Work per run: two counts in SQL, one page read, one cached scoring call."""
    ss = st.session_state
    text = (ss.get("scenario_filter_name") or "").strip() or None
    trajectory = ss.get("scenario_filter_trajectory")
    trajectory = None if trajectory in (None, ALL_TRAJECTORIES) else trajectory
    zone = ss.get("scenario_filter_zone")
    zone = None if zone in (None, ALL_ZONES) else zone
    total_all = backend.count_scenarios(role_key)
    total = backend.count_scenarios(role_key, text, trajectory) if (text or trajectory) else total_all
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(int(ss.get("scenario_page") or 1), 1), pages)
    ss["scenario_page"] = page
    offset = (page - 1) * PAGE_SIZE
    rows = backend.scenario_page(role_key, offset, PAGE_SIZE, text, trajectory) if total else []
    results = cached.page_results(base.model_dump_json(), m_json, tuple(sc.model_dump_json() for sc in rows))
    fit, misfit = [], {}
    for sc, r in zip(rows, results, strict=True):
        if isinstance(r, AIJRIError):
            misfit[sc.name] = str(r)
        elif zone is None or r.zone.label == zone:
            fit.append((sc, r))
    return PageView([sc for sc, _ in fit], [r for _, r in fit], len(rows), offset, total, total_all, pages, zone,
                    misfit, rows, trajectory)


def _page_paths(scenarios: list[Scenario], scores: list[float], base_score: float) -> dict[str, list[tuple[str, float]]]:
    """The page's scenarios grouped by trajectory (in list order), each as [(step label, score)],
    from the scores the page already has (no scenario applied again). Scenarios without a
    trajectory form one path "Saved scenarios"; a path starts at the baseline unless one of its
    scenarios is the baseline itself; a step label used twice on a path gets the name added."""
    groups: dict[str, list[tuple[Scenario, float]]] = {}
    for sc, s in zip(scenarios, scores, strict=True):
        groups.setdefault(sc.trajectory or "Saved scenarios", []).append((sc, s))
    paths: dict[str, list[tuple[str, float]]] = {}
    for name, items in groups.items():
        path: list[tuple[str, float]] = [("Baseline", base_score)] if all(sc.changes for sc, _ in items) else []
        labels = {p[0] for p in path}
        for sc, s in items:
            label = sc.position or sc.name
            if label in labels:
                label = f"{label} ({sc.name})"
            labels.add(label)
            path.append((label, s))
        paths[name] = path
    return paths


def _trajectory_chart(base, view: PageView, m_json: str) -> None:
    """The page's trajectories (at most MAX_PATHS drawn, each at most one page long)."""
    st.subheader("Trajectories")
    paths = _page_paths(view.scenarios, [r.score for r in view.results], state.base_score().score)
    drawn = dict(list(paths.items())[:MAX_PATHS])
    plot.chart(cached.trajectory_figure(tuple((k, tuple(v)) for k, v in drawn.items()), m_json),
               key="chart_trajectory")
    left = len(paths) - len(drawn)
    st.caption(f"The paths of the scenarios on this page of the list ({len(drawn)} drawn"
               + (f"; {left} more on this page not drawn: pick one with the Trajectory filter" if left else "")
               + "). Other pages and filters show other paths.")


def render() -> None:
    """Draw the page (app_pages/scenarios.py calls this on every run).

    Its work follows what it shows, not what the store holds: counts in SQL (the exception,
    kept in the store's query), one page of scenarios read and scored (cached by content), the
    trajectories of that page; exports are made on click, from the store, a batch at a time.
    """
    start_page("scenarios")
    base = state.base()
    role_key = state.role_key()
    m_json = state.methodology_json()

    st.title("Scenarios & trajectories")
    try:
        view = _load_view(base, role_key, m_json)
        persistent = backend.is_persistent()
    except StoreError as exc:  # the configured store is down: say so at once, keep what works without it
        view, persistent = PageView([], [], 0, 0, 0, 0, 1, None, {}, [], None), True
        st.error(f"{literal(str(exc))} The path builder below works on this page; saving waits for the store.")
    st.caption(f"Role: **{literal(base.title)}**. Scenarios are kept per role"
               + (" in the scenario store." if persistent else " for this browser session."))
    if notice := backend.session_only_notice():  # its reason quotes a path
        st.warning(literal(notice))

    # The trajectories offered (filter, builder, hand-out) are those of the page's rows and the one
    # picked: listing every trajectory would read the whole library on every run.
    paths = list(dict.fromkeys([*(sc.trajectory for sc in view.rows if sc.trajectory),
                                *([view.trajectory] if view.trajectory else [])]))

    builder_section(base, view.scenarios, m_json, paths)
    st.divider()
    selected = _list_section(view, role_key, paths)
    _save_section()
    compare_section(base, selected, m_json)

    scenarios = view.scenarios
    if scenarios:
        _trajectory_chart(base, view, m_json)

        st.subheader("Where the change comes from")
        names = [sc.name for sc in scenarios]
        pick_col, by_col = st.columns([2, 1], vertical_alignment="bottom")
        if st.session_state.get("attribution_pick") not in names:
            st.session_state.pop("attribution_pick", None)
        default = names.index(selected[0].name) if selected else 0
        chosen = pick_col.selectbox("Scenario to explain", names, key="attribution_pick", index=default,
                                    help="The scenarios on this page of the list")
        sc = scenarios[names.index(chosen)]
        by = "knobs" if by_col.toggle("Per input (up to 12 changed inputs)", key="attribution_by_knob") else "groups"
        plot.chart(cached.attribution_figure(base.model_dump_json(), sc.model_dump_json(), m_json, by),
                   key="chart_attribution")
        st.caption("Shapley attribution: each group's share of the change, averaged over every order in which "
                   "the changes could be made, so the parts add up exactly to the total.")

    st.divider()
    handout_section(base, role_key, paths, selected)
    st.divider()
    files_section(base, role_key, view.total_all)
