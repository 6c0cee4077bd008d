"""The app state every page shares, kept in ``st.session_state`` and mirrored in the URL.

Source of truth (session_state keys, stable):
  aijri.role_key       role key, e.g. "bundled:ai-infrastructure-engineer"
  aijri.base_json      the role's baseline assessment as JSON
  aijri.changes        knob changes against the baseline {knob_id: value} (knob order)
  aijri.method         methodology changes against the published method {parameter: value}

Widgets only mirror this state: before a page draws a widget it copies the state into the
widget's key (allowed before the widget exists in a run), and the widget's on_change
callback writes the user's move back into the state. That keeps every page in step, lets
state survive page switches (Streamlit forgets the keys of widgets it did not draw), and
lets one share slider move the others (their keys are rewritten before they render).

Widget keys (browser tests and bench/app.py use these; keep them stable):
  role_picker                   sidebar role select box (all pages)
  knob:<knob id>                Explorer sliders, e.g. "knob:growth", "knob:evidence:job_postings",
                                "knob:task:<task name>:score", "knob:task:<task name>:share"
  meth:<parameter>              Methodology page inputs, e.g. "meth:green_threshold"
"""

from __future__ import annotations

import functools
import json
import logging
import os

import streamlit as st

from aijri_core import (
    AIJRIError,
    Methodology,
    RoleAssessment,
    Scenario,
    apply,
    changes_between,
    knobs,
    set_value,
    values,
)
from aijri_core.methodology import DEFAULT
from aijri_core.urlstate import UrlStateError, decode_state, encode_state, methodology_error_text

from . import backend, cached

DEFAULT_ROLE = "bundled:ai-infrastructure-engineer"

ROLE = "aijri.role_key"
BASE_JSON = "aijri.base_json"
CHANGES = "aijri.changes"
METHOD = "aijri.method"
READY = "aijri.ready"
NOTICES = "aijri.notices"  # [(kind, text)] shown once on the next run, then cleared

ROLE_PICKER = "role_picker"

#: Set AIJRI_RAISE=1 (the tests do) to let unexpected errors propagate instead of becoming a message.
RAISE_ENV = "AIJRI_RAISE"
log = logging.getLogger("aijri.app")
INTERNAL_ERROR = ("Something went wrong on our side while doing that; nothing was changed. "
                  "The details are in the server log.")


def guarded(callback):
    """Wrap a widget callback: a user error becomes one message, a bug never shows a traceback."""

    @functools.wraps(callback)
    def wrapper(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except AIJRIError as exc:
            notice("error", str(exc))
        except Exception:
            if os.environ.get(RAISE_ENV):
                raise
            log.exception("callback %s failed", callback.__name__)
            notice("error", INTERNAL_ERROR)

    return wrapper


def knob_key(knob_id: str) -> str:
    """The widget key of a knob's slider."""
    return f"knob:{knob_id}"


def method_key(name: str) -> str:
    return f"meth:{name}"


# ------------------------------------------------------------------ start-up and URL


def _query_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def init() -> None:
    """Once per session: the state the URL describes, or the baseline with one message."""
    ss = st.session_state
    if ss.get(READY):
        return
    ss[NOTICES] = []
    role_key, changes, method = DEFAULT_ROLE, {}, {}
    params = _query_params()
    if params:
        try:
            decoded = decode_state(params, backend.resolve_role, DEFAULT_ROLE)
            role_key, changes, method = decoded.role_key, decoded.changes, decoded.methodology_changes
        except UrlStateError as exc:
            notice("error", f"This link could not be opened ({exc}). Showing the role's baseline instead.")
            # Keep the role when only the changes were bad.
            try:
                wanted = params.get("role", [DEFAULT_ROLE])[-1]
                backend.resolve_role(wanted)
                role_key = wanted
            except AIJRIError:
                role_key = DEFAULT_ROLE
        except Exception as exc:  # a link must never crash the app
            notice("error", f"This link could not be opened ({type(exc).__name__}). Showing the baseline instead.")
    ss[ROLE] = role_key
    ss[BASE_JSON] = backend.resolve_role(role_key).model_dump_json()
    ss[CHANGES] = dict(changes)
    ss[METHOD] = dict(method)
    ss[READY] = True


def sync_url() -> None:
    """Write the state into the URL (only when it differs, to avoid needless messages)."""
    try:
        wanted = encode_state(role_key(), base(), changes(), st.session_state[METHOD])
    except AIJRIError:
        return
    current = {k: v[-1] if len(v) == 1 else v for k, v in _query_params().items()}
    if current != wanted:
        st.query_params.from_dict(wanted)


def notice(kind: str, text: str) -> None:
    """Queue a message ("error", "warning", "success", "info") for the next drawn page."""
    st.session_state.setdefault(NOTICES, []).append((kind, text))


def show_notices() -> None:
    for kind, text in st.session_state.get(NOTICES, []):
        getattr(st, kind)(text)
    st.session_state[NOTICES] = []


# ------------------------------------------------------------------ reading the state


def role_key() -> str:
    return st.session_state[ROLE]


def base_json() -> str:
    return st.session_state[BASE_JSON]


def base() -> RoleAssessment:
    """The role's baseline assessment."""
    return cached.assessment(base_json())


def changes() -> dict[str, float]:
    return st.session_state[CHANGES]


def changes_key() -> tuple[tuple[str, float], ...]:
    return tuple(changes().items())


def current_json() -> str:
    """JSON of the current (changed) assessment: the cache key of every analysis."""
    return cached.apply_json(base_json(), changes_key())


def current() -> RoleAssessment:
    return cached.assessment(current_json())


def methodology() -> Methodology:
    return cached.methodology(methodology_json())


def methodology_json() -> str:
    return _methodology_json(json.dumps(st.session_state[METHOD], sort_keys=True))


@functools.lru_cache(maxsize=128)
def _methodology_json(key: str) -> str:
    return DEFAULT.with_changes(**json.loads(key)).model_dump_json()


def current_score():
    return cached.score_of(current_json(), methodology_json())


def base_score():
    return cached.score_of(base_json(), methodology_json())


# ------------------------------------------------------------------ changing the state (callbacks)


@guarded
def select_role(key: str) -> None:
    """Switch to another role: its baseline, no changes (the methodology stays)."""
    try:
        a = backend.resolve_role(key)
    except AIJRIError as exc:
        notice("error", f"Role could not be opened: {exc}")
        return
    st.session_state[ROLE] = key
    st.session_state[BASE_JSON] = a.model_dump_json()
    st.session_state[CHANGES] = {}


@guarded
def on_role_picked() -> None:
    select_role(st.session_state[ROLE_PICKER])


def set_knob(knob_id: str, value: float) -> None:
    """Move one knob of the current assessment (a share move rescales the other shares)."""
    try:
        changed = set_value(current(), knob_id, value)
        st.session_state[CHANGES] = changes_between(base(), changed)
    except AIJRIError as exc:
        notice("error", str(exc))


@guarded
def on_knob_changed(knob_id: str) -> None:
    """Record the move; :func:`apply_moves` applies this run's moves together (see STALE)."""
    st.session_state.setdefault(MOVES, []).append((knob_id, st.session_state[knob_key(knob_id)]))


@guarded
def apply_moves() -> None:
    """Apply the knob moves the browser reported in this run (app.py calls this first).

    A value equal to what a rewritten slider showed before (see STALE) is an echo when it
    comes together with other moves: the browser sent it along with the user's real move.
    Alone, it is the user's move (e.g. dragging a share back to a round number).
    """
    moves = st.session_state.pop(MOVES, [])
    if not moves:
        return
    stale = st.session_state.setdefault(STALE, {})
    if len(moves) > 1:
        moves = [(kid, v) for kid, v in moves if stale.get(knob_key(kid), object()) != v]
    for kid, v in moves:
        stale.pop(knob_key(kid), None)
        set_knob(kid, v)


@guarded
def reset_changes() -> None:
    st.session_state[CHANGES] = {}


def set_changes(new_changes: dict[str, float]) -> None:
    st.session_state[CHANGES] = dict(new_changes)


def load_scenario(scenario: Scenario) -> None:
    """Make a saved scenario the current state."""
    try:
        st.session_state[CHANGES] = changes_between(base(), apply(base(), scenario))
    except AIJRIError as exc:
        notice("error", f"Scenario {scenario.name!r} does not fit this role: {exc}")


def set_method_param(name: str, value: object) -> bool:
    """Change one methodology parameter; an invalid value gives one message and changes nothing."""
    from pydantic import ValidationError

    new = {**st.session_state[METHOD], name: value}
    try:
        m = DEFAULT.with_changes(**new)
    except ValidationError as exc:
        notice("error", methodology_error_text(exc, prefix="Method"))
        return False
    base_dump = DEFAULT.model_dump()
    st.session_state[METHOD] = {k: v for k, v in m.model_dump().items() if v != base_dump[k]}
    return True


@guarded
def on_method_changed(name: str) -> None:
    set_method_param(name, st.session_state[method_key(name)])


@guarded
def reset_methodology() -> None:
    st.session_state[METHOD] = {}


# ------------------------------------------------------------------ widget mirrors


# A widget whose value the server rewrote (the other share sliders after a share moved) may
# still show its old value in the browser for a moment. If the user moves another slider in
# that moment, the browser sends the old value back with the real move, and Streamlit reports
# it as a change of that slider too. STALE remembers, per key, the value the browser may still
# show (see apply_moves); a run in which the slider reports no change proves the browser shows
# the new value, and the entry goes.
STALE = "aijri.stale_widgets"
MOVES = "aijri.moves"  # knob moves reported by this run's callbacks, applied by apply_moves()


def _mirror(key: str, value) -> None:
    """Show ``value`` in the widget ``key`` (before it is drawn in this run)."""
    ss = st.session_state
    stale = ss.setdefault(STALE, {})
    if key in ss and ss[key] != value:
        stale[key] = ss[key]  # what the browser shows until it gets this run's values
        ss[key] = value
    elif key not in ss:
        ss[key] = value
    else:
        stale.pop(key, None)  # the browser reported the value we set: it has caught up


def sync_knob_widgets(assessment: RoleAssessment) -> None:
    """Copy the knob values into the slider keys (call before drawing the sliders)."""
    for kid, v in values(assessment).items():
        _mirror(knob_key(kid), v)


def sync_method_widgets() -> None:
    for name, v in methodology().model_dump().items():
        _mirror(method_key(name), v)


def sync_role_picker() -> None:
    _mirror(ROLE_PICKER, role_key())


def knob_list(assessment: RoleAssessment):
    return knobs(assessment)
