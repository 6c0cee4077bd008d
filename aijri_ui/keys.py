"""The app's ``st.session_state`` keys, in one place.

Two kinds. The app's own entries (``aijri.*``) hold state no widget owns: the shared state
(mirrored in the URL), history, messages and each page's pending work; every one is named
here and nowhere else. Widget keys name widgets whose values another module reads or writes
(and the key builders of the sliders, switches and settings); the browser tests and
bench/app.py find elements by them, so they stay stable. A widget key used only where its
widget is drawn (``key="tornado_mode"``) stays beside that widget.
"""

from __future__ import annotations

# ------------------------------------------------------------------ the shared state (aijri_ui.state)

ROLE = "aijri.role_key"  # role key, e.g. "bundled:ai-infrastructure-engineer"
BASE_JSON = "aijri.base_json"  # the role's baseline assessment as JSON
CHANGES = "aijri.changes"  # knob changes against the baseline {knob_id: value} (knob order)
METHOD = "aijri.method"  # methodology changes against the published method {parameter: value}
SETTINGS = "aijri.settings"  # page settings that differ from their default {urlstate.SETTINGS name: value}
ANALYSIS = "aijri.analysis"  # the analysis the Explorer shows under its charts (a label of explorer_state.ANALYSES; in the link)
REVEAL_CURVES = "aijri.reveal_curves"  # counts tornado clicks: the response curves scroll into view once per click
CURVES = "aijri.curves"  # knob ids whose response curves the Explorer shows (None: the default)
READY = "aijri.ready"  # the session's state has been set up (from the link or the baseline)
UNDO = "aijri.undo"  # earlier states (role, changes, method) for Undo
REDO = "aijri.redo"  # undone states for Redo
SNAPSHOT = "aijri.snapshot"  # the state as of the end of the last run (see state.record_history)
NOTICES = "aijri.notices"  # [(kind, text)] shown once on the next run, then cleared

# ------------------------------------------------------------------ widget mirrors (aijri_ui.mirror)

STALE = "aijri.stale_widgets"  # {widget key: the value the browser may still show}
MOVES = "aijri.moves"  # (widget key, value) moves reported by this run's callbacks

# ------------------------------------------------------------------ the Explorer (views/explorer_state.py)

GOAL_TARGET = "aijri.goal_target"  # the target the user typed (None: the nearest zone line)
GOAL_KNOB = "aijri.goal_knob"  # the input goal seek moves

# ------------------------------------------------------------------ messages (aijri_ui.feedback)

MESSAGES = "aijri.messages"  # {place: (kind, text, toast shown)} shown beside the control that caused them
MESSAGES_PAGE = "aijri.messages_page"  # the page the kept messages belong to

# ------------------------------------------------------------------ the store (aijri_ui.backend)

SESSION_STORE = "aijri.session_store"  # the MemoryStore of the session-only fallback
STORE_PROBLEM = "aijri.store_problem"  # why the session-only fallback is used
STORE_UNREACHABLE = "aijri.store_unreachable"  # (message, time) of the last failed try of AIJRI_DB
ROLES_VERSION = "aijri.roles_version"  # bumped when this session saves or deletes a role

# ------------------------------------------------------------------ the Scenarios page

SCENARIO_PENDING = "aijri.pending_scenario"  # a scenario whose name is taken, waiting for overwrite / rename
BUILDER = "aijri.builder"  # {role key: path builder state}; kept in session state, not in widgets only
BUILDER_CLASH = "aijri.builder_clash"  # steps of the path are saved already: Replace waits for the user
CSV_PROBLEMS = "aijri.csv_problems"  # the problems of the last failed CSV import (table beside the uploader)
SCENARIO_DELETE_PENDING = "aijri.delete_pending"  # scenario names waiting for the user's confirmation

# ------------------------------------------------------------------ the Roles page

ROLE_PENDING = "aijri.pending_role"  # an imported role waiting to be saved {"json", "name", "audit", "summary"}
ROLE_CLASH = "aijri.pending_role_clash"  # the imported role's name is taken
ROLE_DELETE_PENDING = "aijri.role_delete_pending"  # the role key waiting for the user's confirmation
ROLE_DRAFT = "aijri.role_draft"  # the role being edited (kept in session state, not in widgets only)
EDITOR_SEED = "aijri.editor_seed"  # the task rows the editor's table starts from
EDITOR_OPEN = "aijri.editor_open"  # the editor is open for a new role
EDITOR_CLASH = "aijri.editor_clash"  # the edited role's name is taken (the name)

# ------------------------------------------------------------------ the Board page

BOARD_OPEN = "aijri.board_open"  # a role picked on the board this run: the page switches to the Explorer
BOARD_TABLE = "aijri.board_table"  # (arguments, table_of's answer) of the last run
BOARD_CHARTED = "aijri.board_charted"  # the arguments of the table the board's chart shows
BOARD_APP_RUN = "aijri.board_app_run"  # True while a run of the whole app draws the board's fragment
BOARD_LIBRARY = "aijri.board_library"  # (role keys, roles version, time, entries, unreadable, digest) of the last read

# ------------------------------------------------------------------ the link check (aijri_ui.linkcheck)

LINK_DROPPED = "aijri.link_dropped"  # (parameters, characters) of the link the server never got

# ------------------------------------------------------------------ widget keys (stable: tests find them)

ROLE_PICKER = "role_picker"  # the sidebar's role select box (all pages)
ANALYSIS_TABS = "analysis_tabs"  # the Explorer's analysis picker
CURVE_PICKER = "curve_knobs"  # the inputs whose response curves are drawn
GOAL_TARGET_INPUT = "goal_target"  # goal seek's target score
GOAL_KNOB_INPUT = "goal_knob"  # goal seek's input


def knob_key(knob_id: str) -> str:
    """The widget key of a knob's slider, e.g. "knob:growth", "knob:task:<task name>:share"."""
    return f"knob:{knob_id}"


def lock_key(task: str) -> str:
    """The widget key of a task's lock switch."""
    return f"lock:{task}"


def method_key(name: str) -> str:
    """The widget key of a Methodology page input, e.g. "meth:green_threshold"."""
    return f"meth:{name}"


def setting_key(name: str) -> str:
    """The widget key of a page setting, e.g. "mc_p" for "mc.p"."""
    return name.replace(".", "_")
