"""AIJRI what-if explorer: the router and the state every page shares.

Run with ``aijri app`` (installed) or ``streamlit run app.py`` (``make run``). Pages live in
app_pages/; the shared state (role, knob changes, methodology changes) lives in aijri_ui.state
and is mirrored in the URL.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:  # AppTest does not add the script's folder to sys.path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from aijri_ui import backend, keys, linkcheck, state, tables  # noqa: E402
from aijri_ui.text import literal  # noqa: E402

# A local favicon: a Material or emoji icon would be fetched from another host on every visit.
st.set_page_config(page_title="AIJRI what-if explorer", page_icon=str(ROOT / "assets" / "favicon.png"), layout="wide")

state.init()
state.apply_moves()

# Pages live in app_pages/, not pages/: a folder named pages/ beside app.py switches a fresh
# Streamlit server to its old file router (runtime/pages_manager.py, "uses_pages_directory"),
# so a first visit to a page URL such as /uncertainty runs that file alone and this
# st.navigation router never runs (tests/test_packaging.py fails if pages/ appears).
PAGES = ROOT / "app_pages"
EXPLORER = st.Page(PAGES / "explorer.py", title="Explorer", icon=":material/tune:", default=True)
navigation = st.navigation(
    [
        EXPLORER,
        st.Page(PAGES / "scenarios.py", title="Scenarios & trajectories", icon=":material/timeline:",
                url_path="scenarios"),
        st.Page(PAGES / "uncertainty.py", title="Uncertainty", icon=":material/casino:", url_path="uncertainty"),
        st.Page(PAGES / "board.py", title="Board", icon=":material/leaderboard:", url_path="board"),
        st.Page(PAGES / "roles.py", title="Roles", icon=":material/badge:", url_path="roles"),
        st.Page(PAGES / "methodology.py", title="Methodology", icon=":material/functions:", url_path="methodology"),
    ]
)

# The Undo history is recorded once per run, after every callback has changed the state and
# before the page draws its Undo and Redo buttons.
state.record_history()
state.show_notices()
state.draw_guarded(navigation.run, lambda: f"page {navigation.title}")

# The sidebar and the URL come after the page: the page's first element (on the Explorer, the
# score) reaches the browser sooner, and neither is something the user waits for. (A move on the
# Explorer reruns only its fragment, which writes the URL itself: aijri_ui/views/explorer.py.)
def sidebar() -> None:
    with st.sidebar:
        # A library of many saved roles is searched, not listed: the picker offers the bundled
        # roles, the current one and the first saved roles the search finds.
        everything, saved = backend.role_choices(None)
        search = ""
        if saved > backend.ROLE_LIST_LIMIT:
            search = st.text_input("Find a role", key="role_search", placeholder=f"{saved:,} saved roles: part of a name")
        options, found = backend.role_choices(search) if search else (everything, saved)
        if backend.unreachable():
            st.error(literal(backend.unreachable()))
        if state.role_key() not in options:  # e.g. a role imported in this session, or not found by the search
            options[state.role_key()] = state.base().title
        if not st.query_params:  # a link Streamlit dropped (too long) reaches the server as a bare address
            linkcheck.check()
        dropped = linkcheck.message()
        if dropped:
            st.error(literal(dropped))
        state.sync_role_picker()
        st.selectbox("Role", list(options), format_func=options.get, key=keys.ROLE_PICKER,
                     on_change=state.on_role_picked)
        if found > backend.ROLE_LIST_LIMIT:
            st.caption(f"{backend.ROLE_LIST_LIMIT} of {found:,} saved roles listed; type more of a name to find others.")
        st.caption(literal(backend.store_text()))  # which store (and workspace) this session uses
        if navigation is EXPLORER:  # st.navigation returns the page object it was given
            # The Explorer says all of this itself, and a move reruns only the Explorer's inputs and
            # results (a fragment), so a line here would fall behind.
            return
        s = state.current_score()
        b = state.base_score()
        d = state.methodology().decimals
        st.caption(f"Now **{s.score:.{d}f}** {s.zone_text} - baseline {b.score:.{d}f}"
                   + (f" - {tables.changes_text(state.changes())}" if state.changes() else "")
                   + ("" if state.methodology().is_default() else " - method changed"))


sidebar()
state.sync_url()
