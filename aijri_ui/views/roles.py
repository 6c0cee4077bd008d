"""Roles: the roles side by side, a role editor, the current role among published comparators,
import and export.

Element keys for browser tests (stable):
  roles_table, chart_comparators
  role_upload (JSON or assessment document), role_audit_table, role_name, role_save, role_overwrite, role_discard
  role_open_pick, role_open, role_delete, confirm_role_delete / cancel_role_delete (in the confirmation dialog)
  editor: editor_source, editor_load, editor_title, editor_seniority, editor_tasks (st.data_editor),
          editor_ev_<dimension>, editor_bar_<barrier>, editor_growth, editor_prot_<principle>,
          editor_problems, editor_name, editor_save, editor_replace
  download_role_json, download_role_document, download_report
  Messages of an action appear beside its control and as a toast.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from aijri_core import AIJRIError, RoleAssessment, assessment_to_json, parse_assessment_json
from aijri_core.errors import describe_validation_error
from aijri_core.io import published_comparators
from aijri_core.methodology import DEFAULT
from aijri_core.model import (
    BARRIER_LABELS,
    BARRIERS,
    EVIDENCE_DIMENSIONS,
    EVIDENCE_LABELS,
    MAX_NAME,
    MAX_TASKS,
    MAX_TEXT,
    PROTECTIVE_LABELS,
    PROTECTIVE_PRINCIPLES,
    SCALES,
    TaskMode,
    name_key,
)
from aijri_core.store import NameClashError, stored_role_name
from aijri_core.textfmt import fixed
from aijri_ui import backend, cached, plot, state
from aijri_ui.feedback import confirm_delete, say, show, start_page
from aijri_ui.keys import (
    EDITOR_CLASH,
    EDITOR_OPEN,
    EDITOR_SEED,
    ROLE_CLASH,
    ROLE_DELETE_PENDING,
    ROLE_DRAFT,
    ROLE_PENDING,
)
from aijri_ui.text import literal


@state.guarded
def _read_upload() -> None:
    upload = st.session_state.get("role_upload")
    st.session_state.pop(ROLE_PENDING, None)
    st.session_state.pop(ROLE_CLASH, None)
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
        say("import", "error", f"Not imported: {exc}")
        return
    except Exception as exc:  # an importer must never show a traceback
        say("import", "error", f"Not imported: {name} could not be read ({type(exc).__name__})")
        return
    st.session_state[ROLE_PENDING] = {"json": a.model_dump_json(), "audit": audit_rows, "summary": summary}
    st.session_state["role_name"] = a.title


@state.guarded
def _save_pending(overwrite: bool = False) -> None:
    pending = st.session_state.get(ROLE_PENDING)
    if not pending:
        return
    a = cached.assessment(pending["json"])
    name = (st.session_state.get("role_name") or a.title).strip()
    try:
        key = backend.save_role(a, name, overwrite=overwrite)
    except NameClashError:
        st.session_state[ROLE_CLASH] = name
        return
    except AIJRIError as exc:
        say("import", "error", f"Role not saved: {exc}")
        return
    st.session_state.pop(ROLE_PENDING, None)
    st.session_state.pop(ROLE_CLASH, None)
    state.select_role(key)
    say("import", "success", f"Imported {name!r}; it is now the current role.")


@state.guarded
def _discard() -> None:
    st.session_state.pop(ROLE_PENDING, None)
    st.session_state.pop(ROLE_CLASH, None)


@state.guarded
def _open(key: str) -> None:
    state.select_role(key)




@state.guarded
def _ask_delete(key: str) -> None:
    st.session_state[ROLE_DELETE_PENDING] = key


@state.guarded
def _cancel_delete() -> None:
    st.session_state.pop(ROLE_DELETE_PENDING, None)


@state.guarded
def _delete(key: str) -> None:
    st.session_state.pop(ROLE_DELETE_PENDING, None)
    title = stored_role_name(key) or key
    try:
        backend.delete_role(key)
    except AIJRIError as exc:
        say("roles", "error", f"Not deleted: {exc}")
        return
    if state.role_key() == key:
        state.select_role(state.DEFAULT_ROLE)
    say("roles", "success", f"Role {title!r} deleted, with its saved scenarios.")


@st.cache_resource(show_spinner=False)
def _published_comparators() -> tuple[tuple[str, float], ...]:
    """The bundled published scores of related roles (title, score); see io.published_comparators."""
    return tuple((c.title, c.score) for c in published_comparators())


def _decimals() -> int:
    """The published score's decimals under the method in use (every score on the page has them)."""
    return state.methodology().decimals


def audit_rows(rows: list[dict]) -> pd.DataFrame:
    """The document audit for reading: every differing figure exactly once (a figure the
    document states twice with the same numbers is one row), then the matching ones."""
    seen: set[tuple] = set()
    out = []
    for r in sorted(rows, key=lambda r: bool(r["matches"])):  # stable: document order within each part
        key = (r["figure"], r["stated"], r["computed"])
        if key in seen:
            continue
        seen.add(key)
        out.append({"Figure": r["figure"], "Stated": r["stated"], "Computed": r["computed"],
                    "Check": "ok" if r["matches"] else "DIFFERS", "Line": r["line"]})
    return pd.DataFrame(out, columns=["Figure", "Stated", "Computed", "Check", "Line"])


def _audit_table(rows: list[dict]) -> None:
    table = audit_rows(rows)
    differing = table[table["Check"] == "DIFFERS"]
    st.subheader("Audit of the document's figures")
    show_all = st.toggle("Show the matching figures too", key="role_audit_all", value=differing.empty)
    shown = table if show_all else differing
    st.caption(f"{len(differing)} figure(s) differ from the method; {len(table) - len(differing)} match.")
    st.dataframe(shown, key="role_audit_table", hide_index=True, width="stretch",
                 column_config={"Figure": st.column_config.TextColumn(width="large")})


# ---------------------------------------------------------------- role editor

TASK_COLUMNS = ["name", "time_share", "score", "mode", "rationale"]
MODES = [m.value for m in TaskMode]


def _empty_draft() -> dict:
    return {
        "title": "", "seniority": "",
        "tasks": [{"name": "", "time_share": 100.0, "score": 3, "mode": "augmentation", "rationale": ""}],
        "evidence": dict.fromkeys(EVIDENCE_DIMENSIONS, 0), "barriers": dict.fromkeys(BARRIERS, 0),
        "growth_correlation": 0, "protective": dict.fromkeys(PROTECTIVE_PRINCIPLES, 0),
    }


def _draft_of(a: RoleAssessment) -> dict:
    d = a.model_dump(mode="json")
    return {
        "title": f"{a.title} (copy)", "seniority": a.seniority,
        "tasks": [{c: t.get(c) if t.get(c) is not None else "" for c in TASK_COLUMNS} for t in d["tasks"]],
        "evidence": d["evidence"], "barriers": d["barriers"], "growth_correlation": d["growth_correlation"],
        "protective": d["protective"],
    }


def _rating_keys() -> list[tuple[str, str, str]]:
    """(widget key, draft part, field) of every rating input."""
    return ([(f"editor_ev_{d}", "evidence", d) for d in EVIDENCE_DIMENSIONS]
            + [(f"editor_bar_{b}", "barriers", b) for b in BARRIERS]
            + [("editor_growth", "growth_correlation", "")]
            + [(f"editor_prot_{p}", "protective", p) for p in PROTECTIVE_PRINCIPLES])


def _draft() -> dict:
    return st.session_state.setdefault(ROLE_DRAFT, _empty_draft())


def _seed_widgets(draft: dict, force: bool = False) -> None:
    """Put the draft into the editor's widgets (after loading; or when they were cleared)."""
    ss = st.session_state
    for key, value in (("editor_title", draft["title"]), ("editor_seniority", draft["seniority"])):
        if force or key not in ss:
            ss[key] = value
    for key, part, field in _rating_keys():
        if force or key not in ss:
            ss[key] = int(draft[part] if not field else draft[part][field])
    if force or "editor_tasks" not in ss:
        ss.pop("editor_tasks", None)
        ss[EDITOR_SEED] = [dict(t) for t in draft["tasks"]]


@state.guarded
def _load_into_editor() -> None:
    source = st.session_state.get("editor_source")
    if source == "new":
        draft = _empty_draft()
        text = "An empty role: name it, list its tasks and rate it."
    else:
        draft = _draft_of(backend.resolve_role(source))
        text = f"A copy of {backend.role_options().get(source, source)!r}: change what you need and save it."
    st.session_state[ROLE_DRAFT] = draft
    _seed_widgets(draft, force=True)
    st.session_state.pop(EDITOR_CLASH, None)
    st.session_state[EDITOR_OPEN] = True
    say("editor", "info", text)


def _number(value) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if v == v else None  # NaN: an empty cell


def _cell(value) -> str:
    """A table cell's value in a message: 'empty' for a cell left blank."""
    if value is None or (isinstance(value, float) and value != value) or (isinstance(value, str) and not value.strip()):
        return "empty"
    return f"{value!s:.30}"


def draft_problems(draft: dict, tolerance: float = DEFAULT.share_tolerance) -> list[str]:
    """Every problem of a draft role, each naming the field and what is allowed ([] = it can be saved)."""
    problems = []
    if not str(draft.get("title") or "").strip():
        problems.append(f"Title: empty; allowed: 1 to {MAX_NAME} characters")
    tasks = draft["tasks"]
    if not tasks:
        problems.append(f"Tasks: none; allowed: 1 to {MAX_TASKS} tasks")
    if len(tasks) > MAX_TASKS:
        problems.append(f"Tasks: {len(tasks)}; allowed: at most {MAX_TASKS}")
    share, score_scale = SCALES["share"], SCALES["score"]
    seen: dict[str, int] = {}
    total = 0.0
    for i, t in enumerate(tasks, start=1):
        name = str(t.get("name") or "").strip()
        label = f"Task {i}" + (f" ({name})" if name else "")
        if not name:
            problems.append(f"{label}: name is empty; allowed: 1 to {MAX_NAME} characters")
        elif name_key(name) in seen:
            problems.append(f"{label}: the same name as task {seen[name_key(name)]}; each task needs its own name")
        else:
            seen[name_key(name)] = i
        v = _number(t.get("time_share"))
        if v is None or not share.min <= v <= share.max:
            problems.append(f"{label}: time % is {_cell(t.get('time_share'))}; allowed: {share.range_text}")
        else:
            total += v
        sc = _number(t.get("score"))
        if sc is None or not sc.is_integer() or not score_scale.min <= sc <= score_scale.max:
            problems.append(f"{label}: score is {_cell(t.get('score'))}; allowed: {score_scale.range_text}")
        if t.get("mode") not in MODES:
            problems.append(f"{label}: mode is {_cell(t.get('mode'))}; allowed: one of {', '.join(MODES)}")
    if tasks and abs(total - 100) > tolerance:
        problems.append(f"Time shares add up to {total:g}%; allowed: 100% (+/- {tolerance:g})")
    return problems


def draft_assessment(draft: dict) -> RoleAssessment:
    """The draft as a validated assessment (call when ``draft_problems`` is empty)."""
    tasks = []
    for t in draft["tasks"]:
        task = {"name": str(t["name"]).strip(), "time_share": float(t["time_share"]), "score": int(float(t["score"])),
                "mode": t["mode"]}
        if str(t.get("rationale") or "").strip():
            task["rationale"] = str(t["rationale"]).strip()
        tasks.append(task)
    return RoleAssessment.model_validate({
        "title": str(draft["title"]).strip(), "seniority": str(draft.get("seniority") or "").strip(), "tasks": tasks,
        "evidence": draft["evidence"], "barriers": draft["barriers"],
        "growth_correlation": draft["growth_correlation"], "protective": draft["protective"],
    })


@state.guarded
def _save_draft(overwrite: bool = False) -> None:
    draft = _draft()
    problems = draft_problems(draft)
    if problems:
        say("editor_save", "error", f"Not saved: {problems[0]}" + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
        return
    try:
        a = draft_assessment(draft)
    except ValidationError as exc:
        say("editor_save", "error", "Not saved: " + describe_validation_error(exc, context="Role"))
        return
    name = (st.session_state.get("editor_name") or a.title).strip()
    try:
        key = backend.save_role(a, name, overwrite=overwrite)
    except NameClashError:
        st.session_state[EDITOR_CLASH] = name
        say("editor_save", "warning", f"A role named {name!r} already exists. Replace it, or change the name.")
        return
    except AIJRIError as exc:
        say("editor_save", "error", f"Not saved: {exc}")
        return
    st.session_state.pop(EDITOR_CLASH, None)
    state.select_role(key)
    say("editor_save", "success", f"Saved {name!r}; it is now the current role (score {fixed(state.base_score().score, _decimals())}).")


def _listed_roles(draw_search: bool = True) -> tuple[dict[str, str], int]:
    """The roles this page lists (role key -> label) and how many saved roles match: every role
    of a small library; of a large one (more than backend.ROLE_LIST_LIMIT saved roles) the
    bundled roles, the current one and the first saved roles the search box finds, so the page
    reads and scores a bounded number of roles per run."""
    _, saved = backend.role_choices(None)
    search = ""
    if saved > backend.ROLE_LIST_LIMIT:
        search = (st.text_input("Find a role", key="roles_search", placeholder=f"{saved:,} saved roles: part of a name")
                  if draw_search else st.session_state.get("roles_search", ""))
    options, found = backend.role_choices(search)
    if state.role_key() not in options:
        options[state.role_key()] = state.base().title
    return options, found


def _editor_section() -> None:
    draft = _draft()
    opened = bool(draft["title"]) or st.session_state.get(EDITOR_OPEN, False)
    with st.expander("Create or edit a role", expanded=opened, icon=":material/edit:"):
        _editor_body()


def _editor_body() -> None:
    st.caption("Start from an empty role or a copy of one; list the tasks in the table (add rows at the bottom, "
               "delete them with the row's checkbox) and rate the role. Problems show as you type.")
    options = {"new": "An empty role", **{k: f"A copy of {v}" for k, v in _listed_roles(draw_search=False)[0].items()}}
    e1, e2 = st.columns([3, 1], vertical_alignment="bottom")
    e1.selectbox("Start from", list(options), format_func=options.get, key="editor_source")
    e2.button("Load into the editor", key="editor_load", on_click=_load_into_editor, width="stretch")
    show("editor")
    draft = _draft()
    _seed_widgets(draft)
    t1, t2 = st.columns([2, 1])
    draft["title"] = t1.text_input("Title", key="editor_title", max_chars=MAX_NAME, placeholder="e.g. Platform engineer")
    draft["seniority"] = t2.text_input("Seniority", key="editor_seniority", max_chars=MAX_NAME, placeholder="optional")
    share, task = SCALES["share"], SCALES["score"]
    seed = pd.DataFrame(st.session_state.get(EDITOR_SEED, draft["tasks"]), columns=TASK_COLUMNS)
    edited = st.data_editor(
        seed, key="editor_tasks", num_rows="dynamic", hide_index=True, width="stretch",
        column_config={
            # Widths that fit a laptop-width page (about 780 px) without a sideways scroll.
            # No column is `required`: the browser would hold back a row with an empty required cell and the
            # page would not know it; every row arrives, and one that cannot be used is named under the table.
            "name": st.column_config.TextColumn("Task", max_chars=MAX_NAME, width=270),
            "time_share": st.column_config.NumberColumn("Time %", min_value=float(share.min), max_value=float(share.max),
                                                        step=0.5, format="%.1f", width=70),
            "score": st.column_config.NumberColumn("Score", min_value=int(task.min), max_value=int(task.max), step=1,
                                                   width=80,
                                                   help=f"{task.min:g} (irreducibly human) to {task.max:g} "
                                                        "(an agent does it end to end)"),
            "mode": st.column_config.SelectboxColumn("Mode", options=MODES, default=TaskMode.AUGMENTATION.value,
                                                     width=110, help="A new row starts as augmentation"),
            "rationale": st.column_config.TextColumn("Rationale", max_chars=MAX_TEXT, width=190),
        },
    )
    draft["tasks"] = [{c: (None if pd.isna(v) else v) if not isinstance(v, str) else v for c, v in row.items()}
                      for row in edited.to_dict("records")]
    row_problems = [p for p in draft_problems(draft) if p.startswith("Task ")]
    if row_problems:  # beside the table: which rows cannot be used yet, and why
        st.warning(f"{len(row_problems)} row(s) of the table cannot be used yet:\n\n"
                   + "\n".join(f"- {literal(p)}" for p in row_problems), icon=":material/table_rows:")
    groups = ((f"Evidence ({SCALES['evidence'].span()})", "evidence", EVIDENCE_DIMENSIONS, EVIDENCE_LABELS,
               "editor_ev_"),
              (f"Barriers ({SCALES['barrier'].span()})", "barriers", BARRIERS, BARRIER_LABELS, "editor_bar_"),
              (f"Protective principles ({SCALES['protective'].span()}, shown, not scored)", "protective",
               PROTECTIVE_PRINCIPLES, PROTECTIVE_LABELS, "editor_prot_"))
    scales = {"evidence": SCALES["evidence"], "barriers": SCALES["barrier"], "protective": SCALES["protective"]}
    cols = st.columns(4)
    for col, (title, part, fields, labels, prefix) in zip(cols, groups, strict=False):
        with col:
            st.markdown(f"**{title}**")  # a group of the form (ours, not user text)
            scale = scales[part]
            for f in fields:
                draft[part][f] = int(st.number_input(labels[f], min_value=int(scale.min), max_value=int(scale.max),
                                                     step=1, key=prefix + f))
    with cols[3]:
        g = SCALES["growth"]
        st.markdown(f"**AI growth correlation ({g.span()})**")
        draft["growth_correlation"] = int(st.number_input("Growth correlation", min_value=int(g.min),
                                                          max_value=int(g.max), step=1, key="editor_growth"))
    problems = draft_problems(draft)
    total = sum(v for v in (_number(t.get("time_share")) for t in draft["tasks"]) if v is not None)
    others = [p for p in problems if not p.startswith("Task ")]
    if others:
        st.warning(f"{len(problems)} thing(s) to fix before saving" + (" (the rows above, and):" if row_problems
                                                                      else ":") + "\n\n"
                   + "\n".join(f"- {literal(p)}" for p in others),
                   icon=":material/edit_note:")
    elif not problems:
        try:
            preview = cached.score_of(draft_assessment(draft).model_dump_json(), state.methodology_json())
            st.success(f"Time shares add up to {total:g}%. This role scores **{fixed(preview.score, _decimals())}** "
                       f"{preview.zone_text}.",
                       icon=":material/check_circle:")
        except ValidationError as exc:
            st.error(literal(describe_validation_error(exc, context="Role")))
    with st.form("editor_save_form", border=False):  # the name and the save go together (Enter = Save)
        s1, s2 = st.columns([2, 1], vertical_alignment="bottom")
        s1.text_input("Save as", key="editor_name", placeholder="the title", max_chars=200)
        s2.form_submit_button("Save the role", key="editor_save", on_click=_save_draft, type="primary",
                              disabled=bool(problems), icon=":material/save:", width="stretch")
    if st.session_state.get(EDITOR_CLASH):
        st.button("Replace it", key="editor_replace", on_click=_save_draft, args=(True,))
    show("editor_save")


def render() -> None:
    """Draw the page (app_pages/roles.py calls this on every run)."""
    start_page("roles")
    base = state.base()
    m_json = state.methodology_json()

    st.title("Roles")

    if notice := backend.session_only_notice():  # its reason quotes a path
        st.warning(literal(notice))
    options, found = _listed_roles()
    rows = []
    for key, (a, sc) in backend.listed_roles(list(options), m_json).items():
        rows.append({
            "Role": a.title + (" (current)" if key == state.role_key() else ""),
            "Seniority": a.seniority,
            "Source": backend.role_source(key),
            "Score": sc.score,
            "Zone": sc.zone_text,
            "Published": (f"{fixed(a.published.score, _decimals())} {a.published.zone.label}" if a.published else ""),
            "Tasks": len(a.tasks),
            "E / B / G": f"{sc.evidence_total:+d} / {sc.barrier_total} / {sc.growth_correlation:+d}",
        })
    st.subheader("Roles you can open")
    if found > backend.ROLE_LIST_LIMIT:
        st.caption(f"The bundled roles and {backend.ROLE_LIST_LIMIT} of {found:,} saved roles"
                   + (" that match the search" if st.session_state.get("roles_search") else "")
                   + "; type more of a name to find others.")
    # Widths that fit a laptop-width page (about 800 px) without a sideways scroll.
    widths = {"Role": 200, "Seniority": 120, "Source": 70, "Zone": 140, "Published": 90, "Tasks": 50, "E / B / G": 75}
    st.dataframe(pd.DataFrame(rows), key="roles_table", hide_index=True, width="stretch",
                 column_config={"Score": st.column_config.NumberColumn(format=f"%.{_decimals()}f", width=55),
                                **{c: st.column_config.Column(width=w) for c, w in widths.items()}})
    st.caption("E / B / G: evidence total, barrier total, AI growth correlation.")
    c1, c2, c3 = st.columns([2, 1, 1], vertical_alignment="bottom")
    pick = c1.selectbox("Role", list(options), format_func=options.get, key="role_open_pick",
                        index=list(options).index(state.role_key()) if state.role_key() in options else 0)
    c2.button("Open this role", key="role_open", on_click=_open, args=(pick,), icon=":material/open_in_new:")
    c3.button("Delete this role", key="role_delete", on_click=_ask_delete, args=(pick,), icon=":material/delete:",
              disabled=backend.bundled_slug(pick) is not None, help="Bundled roles cannot be deleted")
    pending_key = st.session_state.get(ROLE_DELETE_PENDING)
    if pending_key:
        confirm_delete("Delete this role?", f"Delete the role {stored_role_name(pending_key) or pending_key!r} and the "
                       "scenarios saved for it? This cannot be undone.", _delete, (pending_key,), _cancel_delete,
                       "confirm_role_delete", "cancel_role_delete")
    show("roles")

    _editor_section()

    st.subheader("The current role among published comparators")
    s = state.current_score()
    comparators = tuple((c.title, c.score) for c in (base.comparators or [])) or _published_comparators()
    comparators = tuple(c for c in comparators if c[0] != base.title)
    plot.chart(cached.scale_figure(s.score, state.base_score().score if state.changes() else None, m_json,
                                   comparators=comparators, label=base.title,
                                   title=f"{base.title}: {fixed(s.score, _decimals())} among related roles (published scores)"),
               key="chart_comparators")

    imp, exp = st.columns(2, gap="large")
    with imp:
        st.subheader("Import an assessment")
        st.file_uploader("Upload a JSON assessment or an assessment document (.md / .txt)", type=["json", "md", "txt"],
                         key="role_upload",
                         on_change=_read_upload, help="Checked in full before anything is kept; a bad file changes nothing")
        show("import")
        pending = st.session_state.get(ROLE_PENDING)
        if pending:
            a = cached.assessment(pending["json"])
            sc = cached.score_of(pending["json"], m_json)
            st.success(f"Read {literal(repr(a.title))}: {len(a.tasks)} tasks, score {fixed(sc.score, _decimals())} {sc.zone_text}.")
            if pending["audit"] is not None:
                (st.info if all(r["matches"] for r in pending["audit"]) else st.warning)(
                    f"Audit of the document's own figures: {pending['summary']} (table below).")
            with st.form("role_save_form", border=False):  # Enter in the name submits the form, as the button does
                st.text_input("Save as", key="role_name", max_chars=200)
                b1, b2 = st.columns(2)
                b1.form_submit_button("Save and open", key="role_save", on_click=_save_pending, type="primary")
                b2.form_submit_button("Discard", key="role_discard", on_click=_discard)
            if st.session_state.get(ROLE_CLASH):
                st.warning(f"A role named {literal(repr(st.session_state[ROLE_CLASH]))} already exists. "
                           "Replace it, or change the name.")
                st.button("Replace it", key="role_overwrite", on_click=_save_pending, args=(True,))

    pending = st.session_state.get(ROLE_PENDING)
    if pending and pending["audit"]:
        _audit_table(pending["audit"])

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
