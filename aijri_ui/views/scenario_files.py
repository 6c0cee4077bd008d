"""What leaves the Scenarios page: saved scenarios side by side, the client hand-out, and the
scenarios as CSV files (download, upload).

Element keys for browser tests (stable): compare_table, chart_compare; hand-out: handout_covers,
handout_trajectory, handout_title, handout_note, handout_date, handout_appendix, handout_prepare, download_handout;
files: download_csv, download_summary_csv, csv_upload, csv_overwrite, csv_problems
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from aijri_core import AIJRIError, Scenario
from aijri_core.formats.scenarios_csv import MAX_CSV_ROWS, CSVFormatError
from aijri_core.store import NameClashError, StoreError
from aijri_core.trajectories import (
    RESULT_ROWS,
    comparison_table,
)
from aijri_ui import backend, cached, plot, state
from aijri_ui.feedback import say, show
from aijri_ui.keys import CSV_PROBLEMS
from aijri_ui.views.path_builder import path_draft

MAX_COMPARE = 6


def compare_section(base, selected: list[Scenario], m_json: str) -> None:
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
    plot.chart(cached.scale_figure(state.base_score().score, None, m_json, comparators=comparators,
                                   label="Baseline", title="The chosen scenarios on the zone bands"),
               key="chart_compare")


# ---------------------------------------------------------------- hand-out and files


def handout_section(base, role_key: str, paths: list[str], selected: list[Scenario]) -> None:
    """``paths``: the trajectories offered (those of the list's page, see scenarios.render)."""
    from aijri_core.formats.report import handout_file_name, render_report_html

    st.subheader("Client hand-out")
    options = ["A saved trajectory", "The selected scenarios", "The path being built (not saved)"]
    h1, h2 = st.columns([1, 2], vertical_alignment="bottom")
    covers = h1.radio("The hand-out covers", options, key="handout_covers")
    chosen: list[Scenario] = []
    trajectory = None  # read from the store only when the hand-out is prepared (a query over the library)
    if covers == options[2]:
        try:
            chosen = path_draft().scenarios(state.base())
            h2.caption(f"{path_draft().name!r}: its start and {len(chosen) - 1} step(s), as the builder shows them.")
        except (AIJRIError, ValidationError):
            h2.caption("The path cannot be handed out yet: give it a name and its steps distinct names.")
    elif covers == options[0]:
        if paths:
            trajectory = h2.selectbox("Trajectory", paths, key="handout_trajectory")
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
    if st.toggle("Prepare the hand-out", key="handout_prepare", disabled=not (chosen or trajectory),
                 help="A self-contained page (works offline) with print rules for A4 and Letter"):
        if trajectory:
            chosen = backend.trajectory_scenarios(role_key, trajectory)
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
        taken = backend.existing_names(state.role_key(), [sc.name for sc in scenarios])
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


def files_section(base, role_key: str, total_all: int) -> None:
    """Downloads made when the user clicks (a callable runs then, on its own thread: it gets
    everything it needs now, never the session), streamed from the store; the upload."""
    from aijri_core.formats.scenarios_csv import write_scenarios_csv, write_summary_csv

    m = state.methodology()
    try:
        store = backend.store()
    except StoreError:  # the page already says the store cannot be used; the downloads wait for it
        store, total_all = None, 0

    def long_csv() -> bytes:
        buf = io.BytesIO()
        write_scenarios_csv(buf, store.iter_scenarios(role_key), role=base.title)
        return buf.getvalue()

    def wide_csv() -> bytes:
        buf = io.BytesIO()
        write_summary_csv(buf, base, store.iter_scenarios(role_key), m, skip_misfits=True)
        return buf.getvalue()

    st.subheader("Export and import")
    e1, e2 = st.columns(2, gap="large")
    with e1:
        st.download_button("Download scenarios (CSV, one row per change)", data=long_csv, file_name="scenarios.csv",
                           mime="text/csv", key="download_csv", disabled=not total_all, icon=":material/download:")
        st.download_button("Download scenarios (wide CSV, one row per scenario)", data=wide_csv,
                           file_name="scenarios-wide.csv", mime="text/csv", key="download_summary_csv",
                           disabled=not total_all, icon=":material/table:")
        st.caption("Both files hold every saved scenario of this role (made when you click), open in a "
                   "spreadsheet and import back; the one-row-per-change file keeps every number exactly. The wide "
                   "file leaves out scenarios that do not fit this role.")
    with e2:
        st.checkbox("Replace scenarios of the same name", key="csv_overwrite")
        st.file_uploader("Import scenarios (either CSV layout)", type=["csv"], key="csv_upload",
                         on_change=_import_csv,
                         help=f"All or nothing: a file with any problem changes nothing. Up to {MAX_CSV_ROWS:,} rows "
                              "here; the command line (aijri scenarios import) takes larger files")
        show("csv")
        problems = st.session_state.get(CSV_PROBLEMS)
        if problems:
            st.dataframe(pd.DataFrame(problems), key="csv_problems", hide_index=True, width="stretch")
