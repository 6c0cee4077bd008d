"""Roles: the roles side by side, the current role among published comparators, import and export.

Element keys for browser tests (stable):
  roles_table, chart_comparators
  role_upload (JSON or assessment document), role_audit_table, role_name, role_save, role_overwrite, role_discard
  role_open_pick, role_open, role_delete
  download_role_json, download_role_document, download_report
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from aijri_core import AIJRIError, assessment_to_json, parse_assessment_json
from aijri_core.io import published_comparators
from aijri_core.store import NameClashError
from aijri_ui import backend, cached, state

PENDING = "aijri.pending_role"  # {"json": ..., "name": ..., "audit": [...], "summary": ...}
CLASH = "aijri.pending_role_clash"


@state.guarded
def _read_upload() -> None:
    upload = st.session_state.get("role_upload")
    st.session_state.pop(PENDING, None)
    st.session_state.pop(CLASH, None)
    if upload is None:
        return
    data = upload.getvalue()
    name = upload.name
    try:
        if name.lower().endswith(".json"):
            a = parse_assessment_json(data, what=name)
            audit_rows, summary = None, None
        else:
            from aijri_core.formats.document import parse_assessment_document

            a, audit = parse_assessment_document(data, methodology=state.methodology(), what=name)
            audit_rows = audit.to_df().to_dict("records")
            summary = audit.summary()
    except AIJRIError as exc:
        state.notice("error", f"Not imported: {exc}")
        return
    except Exception as exc:  # an importer must never show a traceback
        state.notice("error", f"Not imported: {name} could not be read ({type(exc).__name__})")
        return
    st.session_state[PENDING] = {"json": a.model_dump_json(), "audit": audit_rows, "summary": summary}
    st.session_state["role_name"] = a.title


@state.guarded
def _save_pending(overwrite: bool = False) -> None:
    pending = st.session_state.get(PENDING)
    if not pending:
        return
    a = cached.assessment(pending["json"])
    name = (st.session_state.get("role_name") or a.title).strip()
    try:
        key = backend.save_role(a, name, overwrite=overwrite)
    except NameClashError:
        st.session_state[CLASH] = name
        return
    except AIJRIError as exc:
        state.notice("error", f"Role not saved: {exc}")
        return
    st.session_state.pop(PENDING, None)
    st.session_state.pop(CLASH, None)
    state.select_role(key)
    state.notice("success", f"Imported {name!r}; it is now the current role.")


@state.guarded
def _discard() -> None:
    st.session_state.pop(PENDING, None)
    st.session_state.pop(CLASH, None)


@state.guarded
def _open(key: str) -> None:
    state.select_role(key)


@state.guarded
def _delete(key: str) -> None:
    try:
        backend.delete_role(key)
    except AIJRIError as exc:
        state.notice("error", f"Not deleted: {exc}")
        return
    if state.role_key() == key:
        state.select_role(state.DEFAULT_ROLE)
    state.notice("success", "Role deleted.")


@st.cache_resource(show_spinner=False)
def _published_comparators() -> tuple[tuple[str, float], ...]:
    """The bundled published scores of related roles (title, score); see io.published_comparators."""
    return tuple((c.title, c.score) for c in published_comparators())


def render() -> None:
    """Draw the page (app_pages/roles.py calls this on every run)."""
    base = state.base()
    m_json = state.methodology_json()

    st.title("Roles")

    options = backend.role_options()
    if backend.session_only_notice():
        st.warning(backend.session_only_notice())
    rows = []
    for key in options:
        try:
            a = backend.resolve_role(key)
        except AIJRIError:
            continue
        sc = cached.score_of(a.model_dump_json(), m_json)
        rows.append({
            "Role": a.title,
            "Seniority": a.seniority,
            "Source": backend.role_source(key),
            "Score": sc.score,
            "Zone": sc.zone_text,
            "Published": (f"{a.published.score:.1f} {a.published.zone.label}" if a.published else ""),
            "Tasks": len(a.tasks),
            "E": sc.evidence_total,
            "B": sc.barrier_total,
            "G": sc.growth_correlation,
            "Current": "yes" if key == state.role_key() else "",
        })
    st.subheader("All roles")
    st.dataframe(pd.DataFrame(rows), key="roles_table", hide_index=True, width="stretch",
                 column_config={"Score": st.column_config.NumberColumn(format="%.1f")})
    c1, c2, c3 = st.columns([2, 1, 1], vertical_alignment="bottom")
    pick = c1.selectbox("Role", list(options), format_func=options.get, key="role_open_pick",
                        index=list(options).index(state.role_key()) if state.role_key() in options else 0)
    c2.button("Open this role", key="role_open", on_click=_open, args=(pick,), icon=":material/open_in_new:")
    c3.button("Delete this role", key="role_delete", on_click=_delete, args=(pick,), icon=":material/delete:",
              disabled=backend.bundled_slug(pick) is not None, help="Bundled roles cannot be deleted")

    st.subheader("The current role among published comparators")
    s = state.current_score()
    comparators = tuple((c.title, c.score) for c in (base.comparators or [])) or _published_comparators()
    comparators = tuple(c for c in comparators if c[0] != base.title)
    st.plotly_chart(cached.scale_figure(s.score, state.base_score().score if state.changes() else None, m_json,
                                        comparators=comparators, label=base.title,
                                        title=f"{base.title}: {s.score:.1f} among related roles (published scores)"),
                    key="chart_comparators", config={"displayModeBar": False})

    imp, exp = st.columns(2, gap="large")
    with imp:
        st.subheader("Import an assessment")
        st.file_uploader("Upload a JSON assessment or an assessment document (.md / .txt)", type=["json", "md", "txt"],
                         key="role_upload",
                         on_change=_read_upload, help="Checked in full before anything is kept; a bad file changes nothing")
        pending = st.session_state.get(PENDING)
        if pending:
            a = cached.assessment(pending["json"])
            sc = cached.score_of(pending["json"], m_json)
            st.success(f"Read {a.title!r}: {len(a.tasks)} tasks, score {sc.score:.1f} {sc.zone_text}.")
            if pending["audit"] is not None:
                (st.info if all(r["matches"] for r in pending["audit"]) else st.warning)(
                    f"Audit of the document's own figures: {pending['summary']}.")
                st.dataframe(pd.DataFrame(pending["audit"]), key="role_audit_table", hide_index=True, width="stretch")
            st.text_input("Save as", key="role_name", max_chars=200)
            b1, b2 = st.columns(2)
            b1.button("Save and open", key="role_save", on_click=_save_pending, type="primary")
            b2.button("Discard", key="role_discard", on_click=_discard)
            if st.session_state.get(CLASH):
                st.warning(f"A role named {st.session_state[CLASH]!r} already exists. Replace it, or change the name.")
                st.button("Replace it", key="role_overwrite", on_click=_save_pending, args=(True,))

    with exp:
        st.subheader("Download")
        current = state.current()
        slug = "".join(ch if ch.isalnum() else "-" for ch in current.title.lower()).strip("-") or "role"
        st.download_button("Current role as JSON" + (" (with your changes)" if state.changes() else ""),
                           data=assessment_to_json(current).encode("utf-8"), file_name=f"{slug}.json",
                           mime="application/json", key="download_role_json", icon=":material/download:")
        from aijri_core.formats.document import render_assessment_document

        st.download_button("Current role as a document (.md)", data=render_assessment_document(current).encode("utf-8"),
                           file_name=f"{slug}.md", mime="text/markdown", key="download_role_document",
                           icon=":material/description:")
        from aijri_core.formats.report import render_report_html

        if st.toggle("Prepare the HTML report", key="prepare_report",
                     help="A self-contained page with the breakdown, charts and scenarios"):
            from aijri_core import Scenario

            scenarios = backend.list_scenarios(state.role_key())
            if state.changes() and "Current (unsaved)" not in {x.name for x in scenarios}:
                scenarios.append(Scenario(name="Current (unsaved)", note="The state shown in the Explorer",
                                          changes=state.changes()))
            html = render_report_html(base, scenarios=scenarios, methodology=state.methodology())
            st.download_button("Download the HTML report", data=html.encode("utf-8"), file_name=f"{slug}-report.html",
                               mime="text/html", key="download_report", icon=":material/summarize:")
