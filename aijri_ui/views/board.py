"""Board: every role the app can reach, ranked by how close it is to changing zone.

The board is made once per library content, method and Monte Carlo settings (cached by
content); the filters only slice the frame. Choosing a row or clicking a point opens that
role in the Explorer.

Element keys for browser tests (stable):
  board_borderline, board_zones, board_only_borderline, board_search    controls
  board_table                                                            the table (single-row selection)
  chart_board                                                            the chart (a click opens the role)
  board_csv                                                              download of the rows shown
"""

from __future__ import annotations

import functools
import hashlib
import time

import pandas as pd
import pyarrow as pa
import streamlit as st

from aijri_core import AIJRIError
from aijri_core.analyses.board import DEFAULT_BORDERLINE, Board, BoardSettings, board, csv_text
from aijri_core.figures import board_figure
from aijri_core.library import Unreadable
from aijri_core.methodology import Zone
from aijri_core.textfmt import zone_text
from aijri_ui import backend, cached, plot, state
from aijri_ui.keys import BOARD_APP_RUN, BOARD_CHARTED, BOARD_LIBRARY, BOARD_OPEN, BOARD_TABLE, ROLE, ROLES_VERSION
from aijri_ui.text import literal

EXPLORER_PAGE = "app_pages/explorer.py"
#: Seconds a read library is reused while its list of roles stays the same (reading every saved role
#: again costs about a millisecond a role, so not on every filter change).
LIBRARY_TTL_S = 30.0


def _library() -> tuple[tuple[tuple[str, str], ...], tuple[Unreadable, ...], str]:
    """(role key, assessment JSON) of every role the app can reach, the roles that could not be
    loaded, and a digest of the content; read again when the list of roles changes or after
    LIBRARY_TTL_S."""
    keys = tuple(backend.role_options())
    version = st.session_state.get(ROLES_VERSION, "")
    kept = st.session_state.get(BOARD_LIBRARY)
    if kept and kept[0] == keys and kept[1] == version and time.monotonic() - kept[2] < LIBRARY_TTL_S:
        return kept[3], kept[4], kept[5]
    entries, bad = [], []
    for key in keys:
        try:
            entries.append((key, backend.resolve_role(key).model_dump_json()))
        except AIJRIError as exc:
            bad.append(Unreadable(key, str(exc)))
    entries, bad = tuple(entries), tuple(bad)
    st.session_state[BOARD_LIBRARY] = (keys, version, time.monotonic(), entries, bad, _digest(entries))
    return entries, bad, _digest(entries)


def _digest(entries) -> str:
    h = hashlib.sha256()
    for key, text in entries:
        h.update(key.encode() + b"\0" + text.encode() + b"\0")
    return h.hexdigest()


@st.cache_resource(show_spinner="Ranking the roles...", max_entries=16)
def board_of(digest: str, _entries, m_json: str, n: int, p: float, jitter: float, seed: int) -> Board:
    """The board of a library (cached by ``digest``, the library's content; a Board is frozen,
    so every session may share it)."""
    roles = [(key, cached.assessment(text)) for key, text in _entries]
    return board(roles, cached.methodology(m_json), BoardSettings(n=n, p=p, share_jitter=jitter, seed=seed))


@st.cache_resource(show_spinner=False, max_entries=16)
def table_of(digest: str, _full: Board, m_json: str, n: int, p: float, jitter: float, seed: int, borderline: float):
    """(board, table as shown, zone label per row, searchable text per row, chart, the table as an
    Arrow table) for a borderline distance: made once, so a filter change only slices them (never
    changed later). st.dataframe is given a slice of the Arrow table: a pandas frame would be
    converted to Arrow again, every column, on each filter change."""
    b = _full.with_borderline(borderline)
    m = cached.methodology(m_json)
    df = frame(b, m.decimals)
    zones = pd.Series([r.zone.label for r in b.rows], index=df.index, dtype=object)
    hay = (df["Role"] + "\n" + df["Seniority"] + "\n" + df["Source"] + "\n" + df["Easiest flip"] + "\n"
           + df["Top input"]).str.casefold()
    return b, df, zones, hay, board_figure(b, m), pa.Table.from_pandas(df, preserve_index=False)


def frame(b: Board, decimals: int) -> pd.DataFrame:
    """The table as shown: one row per role, closest to a line first."""
    return pd.DataFrame({
        "Role": [r.title for r in b.rows],
        "Seniority": [r.seniority for r in b.rows],
        "Score": [r.score for r in b.rows],
        "Zone": [zone_text(r.zone, r.sublabel) for r in b.rows],
        "Distance": [r.distance for r in b.rows],
        "Line": [r.line for r in b.rows],
        "Easiest flip": [r.easiest_flip.text(decimals) if r.easiest_flip else "none" for r in b.rows],
        "One-step flips": [r.one_step_flips for r in b.rows],
        "P(zone holds)": [round(r.p_zone_holds * 100, 6) for r in b.rows],
        "Top input": [r.top_input_label or "" for r in b.rows],
        "Borderline": [r.borderline for r in b.rows],
        "Published differs": [r.published_differs for r in b.rows],
        "Source": [r.source for r in b.rows],
    })


def filtered(df: pd.DataFrame, zone_of_row: pd.Series, hay: pd.Series, zones: list[str], only_borderline: bool,
             text: str) -> pd.DataFrame:
    """The rows that pass the filters (zone labels, borderline only, text in title, seniority,
    source, easiest flip or top input; plain text, any case)."""
    keep = kept_rows(df, zone_of_row, hay, zones, only_borderline, text)
    return df if keep is None else df[keep]


def kept_rows(df: pd.DataFrame, zone_of_row: pd.Series, hay: pd.Series, zones: list[str], only_borderline: bool,
              text: str):
    """The boolean mask of the rows :func:`filtered` keeps, or None when it keeps every row."""
    keep = None  # every row (no filter asked: nothing to compute)
    if not {z.label for z in Zone} <= set(zones):  # every zone chosen: no row is left out by zone
        keep = zone_of_row.isin(zones).to_numpy()
    if only_borderline:
        b = df["Borderline"].to_numpy()
        keep = b if keep is None else keep & b
    needle = text.strip().casefold()
    if needle:
        hit = hay.str.contains(needle, regex=False).to_numpy()
        keep = hit if keep is None else keep & hit
    return None if keep is None or keep.all() else keep


def _csv(df: pd.DataFrame, keep) -> str:
    """The CSV of the rows shown, made when the download is clicked."""
    return csv_text(df if keep is None else df[keep])


@functools.cache
def _column_config(decimals: int) -> dict:
    return {
        "Score": st.column_config.NumberColumn(format=f"%.{decimals}f"),
        "Distance": st.column_config.NumberColumn(format=f"%+.{decimals}f", help="score minus the nearest zone line"),
        "Line": st.column_config.NumberColumn(format="%g"),
        "P(zone holds)": st.column_config.NumberColumn(format="%.0f%%"),
    }


@state.guarded
def _open(key: str) -> None:
    state.select_role(key)
    if st.session_state.get(ROLE) == key:  # select_role says itself when the role cannot be opened
        st.session_state[BOARD_OPEN] = key


def _on_row(keys: list[str]) -> None:
    rows = st.session_state["board_table"].selection.rows
    if rows:
        _open(keys[rows[0]])


def _on_point() -> None:
    picked = plot.clicked("chart_board")
    if picked:
        _open(picked[0])


def render() -> None:
    """Draw the page (app_pages/board.py calls this on every run of the app)."""
    if st.session_state.pop(BOARD_OPEN, None) is not None:
        st.switch_page(EXPLORER_PAGE)
    st.title("Board")
    st.caption("Every role you can open here (bundled and saved), closest to changing zone first. Choose a row or "
               "click a point to open that role in the Explorer.")
    entries, bad, digest = _library()
    for u in bad:
        st.warning(literal(f"Left out {u.source}: {u.error}"))
    if not entries:
        st.info("There are no roles to rank.")
        return
    p, jitter, n, seed = (state.setting(name) for name in ("mc.p", "mc.jitter", "mc.n", "mc.seed"))
    st.session_state[BOARD_APP_RUN] = True
    try:
        live(digest, entries, state.methodology_json(), int(n), float(p), float(jitter), int(seed))
    finally:
        st.session_state[BOARD_APP_RUN] = False
    kept = st.session_state.get(BOARD_TABLE)
    if kept is not None:  # the chart does not change with the filters: outside the fragment, drawn once per app run
        st.session_state[BOARD_CHARTED] = kept[0]
        plot.chart(kept[1][4], key="chart_board", on_click=_on_point)


@st.fragment
def live(digest: str, entries, m_json: str, n: int, p: float, jitter: float, seed: int) -> None:
    """The filters, the table and the download. A filter change reruns only this part (a
    Streamlit fragment): app.py's sidebar, state and link and the chart below are neither rebuilt
    on the server nor drawn again in the browser, and nothing they show changes with a filter.
    A new borderline distance changes the chart's rings, so it reruns the whole app.

    Choosing a row picks the role in a callback; the fragment then runs, finds it picked, and
    asks for a run of the whole app, which switches to the Explorer (``render``: the page list
    is the app's, made by app.py). A role that cannot be opened leaves a message, shown here as
    app.py would show it.
    """
    if st.session_state.get(BOARD_OPEN) is not None:
        st.rerun(scope="app")
    state.show_notices()
    state.draw_guarded(lambda: draw(digest, entries, m_json, n, p, jitter, seed), lambda: "the Board")


def draw(digest: str, entries, m_json: str, n: int, p: float, jitter: float, seed: int) -> None:
    m = cached.methodology(m_json)
    args = (m_json, n, p, jitter, seed)

    controls = st.container(horizontal=True, vertical_alignment="bottom", key="board_controls")
    with controls:
        borderline = st.number_input("Borderline within (points)", 0.0, 100.0, DEFAULT_BORDERLINE, step=0.5,
                                     key="board_borderline",
                                     help="A role counts as borderline when its score is this close to a zone line.")
        zones = st.multiselect("Zones", [z.label for z in Zone], default=[z.label for z in Zone], key="board_zones")
        only = st.toggle("Borderline only", key="board_only_borderline")
        text = st.text_input("Search", key="board_search", placeholder="title, input, file...")
    # The last table of this session, without hashing the arguments again (a filter change).
    wanted = (digest, *args, float(borderline))
    kept = st.session_state.get(BOARD_TABLE)
    if kept is None or kept[0] != wanted:
        try:
            full = board_of(digest, entries, *args)
        except AIJRIError as exc:
            st.error(literal(exc))
            return
        kept = (wanted, table_of(digest, full, *args, float(borderline)))
        st.session_state[BOARD_TABLE] = kept
    if not st.session_state.get(BOARD_APP_RUN) and st.session_state.get(BOARD_CHARTED) != kept[0]:
        st.rerun(scope="app")  # the chart shows another table now
    b, df, zone_of_row, hay, _, arrow = kept[1]
    keep = kept_rows(df, zone_of_row, hay, zones, only, text)
    shown = arrow if keep is None else arrow.filter(pa.array(keep))
    st.caption(f"{shown.num_rows} of {len(df)} roles. Zone holds: share of {int(n):,} draws keeping the zone when each "
               f"rating may be one step off (probability {float(p):g}) and time shares wobble by {float(jitter):g} "
               f"(seed {int(seed)}: the Uncertainty page's settings).")
    st.dataframe(
        shown,
        key="board_table",
        on_select=functools.partial(_on_row, shown.column("Source").to_pylist()),
        selection_mode="single-row",
        hide_index=True,
        column_config=_column_config(m.decimals),
    )
    st.download_button("Download CSV", functools.partial(_csv, df, keep), file_name="aijri-board.csv", mime="text/csv",
                       key="board_csv", on_click="ignore")
