"""The app state every page shares, kept in ``st.session_state`` and mirrored in the URL.

Source of truth: the session_state entries of aijri_ui.keys (every key of the app is named
there): the role (keys.ROLE, keys.BASE_JSON), the changes (keys.CHANGES), the method
(keys.METHOD), page settings (keys.SETTINGS), the inputs picked for response curves
(keys.CURVES), and Undo / Redo (keys.UNDO, keys.REDO).

``keys.CHANGES`` holds only what the user set: the task scores and ratings that differ from
the baseline and the time shares the user set or locked (a share the user set stays where it
was set; the other tasks' shares follow from the share rule), and the changes that reshape the
role (tasks added or removed, task modes). The link carries the same, and the inputs picked
for response curves (keys.CURVES).

Browser Back and Forward: every state change writes the URL as a new history entry, and a
Back or Forward press brings back the state of the entry the browser returns to (see
follow_history); the in-app Undo and Redo buttons step through the same kind of states.

Widgets only mirror this state (aijri_ui.mirror): before a page draws a widget it copies the
state into the widget's key, and the widget's on_change callback writes the user's move back
into the state. That keeps every page in step, lets state survive page switches (Streamlit
forgets the keys of widgets it did not draw), and lets one share slider move the others
(their keys are rewritten before they render). The Explorer's own state (its analysis
picker, goal seek, the response curves' picker) is in views/explorer_state.py.
"""

from __future__ import annotations

import functools
import json
import logging
import os

import streamlit as st

from aijri_core.errors import AIJRIError
from aijri_core.knobs import (
    apply,
    apply_changes,
    knob,
    knobs,
    move_share,
    reshape,
    set_share_tasks,
    shortest_shares,
    task_share_id,
    values,
)
from aijri_core.methodology import DEFAULT, Methodology
from aijri_core.model import RoleAssessment, Scenario
from aijri_core.urlstate import (
    MAX_CURVES,
    UrlState,
    UrlStateError,
    decode_state,
    default_analysis,
    encode_state,
    methodology_error_text,
)
from aijri_core.urlstate import SETTINGS as URL_SETTINGS

from . import backend, cached
from .keys import (
    BASE_JSON,
    CHANGES,
    CURVES,
    METHOD,
    NOTICES,
    READY,
    REDO,
    ROLE,
    ROLE_PICKER,
    SETTINGS,
    SNAPSHOT,
    UNDO,
    knob_key,
    lock_key,
    method_key,
    setting_key,
)
from .mirror import forget_moves, mirror, record_move, take_moves
from .text import literal

DEFAULT_ROLE = "bundled:ai-infrastructure-engineer"

#: Undo keeps at least this many steps.
HISTORY_STEPS = 100

#: Set AIJRI_RAISE=1 (the tests do) to let unexpected errors propagate instead of becoming a message.
RAISE_ENV = "AIJRI_RAISE"
log = logging.getLogger("aijri.app")
INTERNAL_ERROR = ("Something went wrong on our side while doing that; nothing was changed. "
                  "The details are in the server log.")


PAGE_ERROR = ("This page could not be drawn because of an internal error; the details are in the server log. "
              "Reset to the baseline or reload the page.")


def _shielded(call, show, what, internal: str):
    """Call ``call()``; show what goes wrong as one message (``show(text)``), never a traceback.

    A user error (AIJRIError) shows its own text, written for users. A bug shows ``internal``
    and goes to the server log as "``what()`` failed" (AIJRI_RAISE=1 lets it through, for tests).
    """
    try:
        return call()
    except AIJRIError as exc:
        show(str(exc))
    except Exception:
        if os.environ.get(RAISE_ENV):
            raise
        log.exception("%s failed", what())
        show(internal)


def draw_guarded(draw, what) -> None:
    """Draw a page or a part of one (``draw()``); what goes wrong is one message in its place.

    app.py draws every page through this; a fragment (which a move reruns on its own, without
    app.py) draws its part through it too. ``what()`` names the part in the log.
    """
    _shielded(draw, lambda text: st.error(literal(text)), what, PAGE_ERROR)


def guarded(callback):
    """Wrap a widget callback: what goes wrong becomes one message (a notice shown on the next run)."""

    @functools.wraps(callback)
    def wrapper(*args, **kwargs):
        return _shielded(lambda: callback(*args, **kwargs), lambda text: notice("error", text),
                         lambda: f"callback {callback.__name__}", INTERNAL_ERROR)

    return wrapper


# ------------------------------------------------------------------ start-up and URL


def _query_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def _history_navigation() -> bool:
    """Whether this run follows a Back or Forward press of the browser."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(ctx is not None and getattr(ctx, "is_history_navigation", False))


def init() -> None:
    """Once per session: the state the URL describes, or the baseline with one message.

    Later runs: after a Back or Forward press, the state of the link the browser went back to.
    """
    ss = st.session_state
    if ss.get(READY):
        if _history_navigation():
            follow_history()
        return
    ss[NOTICES] = []
    role_key, changes, method, settings, curves, analysis = DEFAULT_ROLE, {}, {}, {}, None, ""
    params = _query_params()
    if params:
        try:
            decoded = decode_state(params, backend.resolve_role, DEFAULT_ROLE)
            role_key, changes, method = decoded.role_key, decoded.changes, decoded.methodology_changes
            settings, curves = decoded.settings, list(decoded.curves) or None
            analysis = decoded.analysis or default_analysis(decoded.curves)
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
    ss[SETTINGS] = dict(settings)
    ss[CURVES] = curves
    if analysis:  # the analysis the link names (one that names response curves opens on them)
        _show_analysis(analysis)
    ss[READY] = True


def follow_history() -> None:
    """Take the state of the link the browser went Back or Forward to (one message if it is bad)."""
    ss = st.session_state
    forget_moves()  # the widget values of this run are the page's old ones, not moves
    try:
        decoded = decode_state(_query_params(), backend.resolve_role, DEFAULT_ROLE)
    except UrlStateError as exc:
        notice("error", f"This link could not be opened ({exc}). The page stays as it was.")
        return
    if decoded == _url_state():
        return
    if decoded.role_key != ss[ROLE]:
        ss[BASE_JSON] = backend.resolve_role(decoded.role_key).model_dump_json()
    ss[ROLE] = decoded.role_key
    ss[CHANGES] = dict(decoded.changes)
    ss[METHOD] = dict(decoded.methodology_changes)
    ss[SETTINGS] = dict(decoded.settings)
    ss[CURVES] = list(decoded.curves) or None
    _show_analysis(decoded.analysis or default_analysis(decoded.curves))


def _show_analysis(word: str) -> None:
    """Show the analysis a link names (urlstate.ANALYSES) in the Explorer's analysis picker."""
    from aijri_ui.views.explorer_state import show_analysis  # the view's state imports this module

    show_analysis(word)


def analysis_word() -> str:
    """The analysis the Explorer shows, as a link names it (urlstate.ANALYSES)."""
    from aijri_ui.views.explorer_state import LINK_WORDS, shown_analysis

    return LINK_WORDS[shown_analysis()]


def _url_state() -> UrlState:
    ss = st.session_state
    curves = tuple(live_curves([]))
    analysis = analysis_word()
    return UrlState(role_key=ss[ROLE], changes=dict(ss[CHANGES]), methodology_changes=dict(ss[METHOD]),
                    settings=dict(ss.get(SETTINGS, {})), curves=curves,
                    analysis="" if analysis == default_analysis(curves) else analysis)


def sync_url() -> None:
    """Write the state into the URL (only when it differs, to avoid needless messages).

    A new URL is a new entry in the browser's history (Streamlit pushes it), so Back returns
    to the state before. app.py calls this once per run, after the page (the URL is not
    something the user waits for), and record_history() before it; the Explorer's fragment,
    which a move reruns without app.py, calls both itself.
    """
    try:
        wanted = encode_state(role_key(), base(), changes(), st.session_state[METHOD],
                              st.session_state.get(SETTINGS, {}), live_curves([]), analysis_word())
    except AIJRIError as exc:  # the state is checked when set; never leave the address silently stale
        log.error("the state could not be written into the link: %s", exc)
        if os.environ.get(RAISE_ENV):
            raise
        return
    params = _query_params()
    current = {k: v[-1] if len(v) == 1 else v for k, v in params.items()}
    if current != wanted and not _describes_the_state(params):
        st.query_params.from_dict(wanted)


def _describes_the_state(params: dict[str, list[str]]) -> bool:
    """Whether a URL written otherwise (e.g. the bare address, or with a tracking tag) opens this state.

    Such a URL is left as it is: rewriting it would add a history entry that Back returns to
    without any visible change.
    """
    try:
        return decode_state(params, backend.resolve_role, DEFAULT_ROLE) == _url_state()
    except AIJRIError:
        return False


# ------------------------------------------------------------------ undo and redo


def _snapshot() -> tuple:
    ss = st.session_state
    return ss[ROLE], ss[BASE_JSON], tuple(ss[CHANGES].items()), json.dumps(ss[METHOD], sort_keys=True)


def _restore(snap: tuple) -> None:
    ss = st.session_state
    ss[ROLE], ss[BASE_JSON], changes_items, method = snap
    ss[CHANGES] = dict(changes_items)
    ss[METHOD] = json.loads(method)
    ss[SNAPSHOT] = snap


def record_history() -> None:
    """Remember the state before this run's change (if the state changed since the last run)."""
    ss = st.session_state
    now, last = _snapshot(), ss.get(SNAPSHOT)
    if last is not None and last != now:
        undo_steps = ss.setdefault(UNDO, [])
        undo_steps.append(last)
        del undo_steps[:-HISTORY_STEPS]
        ss[REDO] = []
    ss[SNAPSHOT] = now


def can_undo() -> bool:
    return bool(st.session_state.get(UNDO))


def can_redo() -> bool:
    return bool(st.session_state.get(REDO))


@guarded
def undo() -> None:
    """Go back one change (role, inputs or method); Redo goes forward again."""
    record_history()  # a change of this run not yet recorded is undone first
    ss = st.session_state
    if ss.get(UNDO):
        ss.setdefault(REDO, []).append(_snapshot())
        _restore(ss[UNDO].pop())


@guarded
def redo() -> None:
    ss = st.session_state
    if ss.get(REDO):
        ss.setdefault(UNDO, []).append(_snapshot())
        _restore(ss[REDO].pop())


def notice(kind: str, text: str) -> None:
    """Queue a message ("error", "warning", "success", "info") for the next drawn page."""
    st.session_state.setdefault(NOTICES, []).append((kind, text))


def show_notices() -> None:
    for kind, text in st.session_state.get(NOTICES, []):
        getattr(st, kind)(literal(text))  # plain text that may quote names
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


def setting(name: str) -> float:
    """A page setting's value (urlstate.SETTINGS name, e.g. "mc.p")."""
    return st.session_state.get(SETTINGS, {}).get(name, URL_SETTINGS[name].default)


def set_setting(name: str, value: float) -> None:
    spec = URL_SETTINGS[name]
    v = spec.check(round(float(value), 6))  # a slider's float steps arrive as e.g. 0.35000000000000003
    settings = {k: x for k, x in st.session_state.get(SETTINGS, {}).items() if k != name}
    if v != spec.default:
        settings[name] = v
    st.session_state[SETTINGS] = settings


@guarded
def on_setting_changed(name: str) -> None:
    set_setting(name, st.session_state[setting_key(name)])


def sync_setting_widgets(*names: str) -> None:
    for name in names:
        mirror(setting_key(name), setting(name))


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


def pinned_tasks() -> tuple[str, ...]:
    """Names of the tasks whose share the user set or locked: the analyses hold them too."""
    return tuple(set_share_tasks(changes()))


def set_knob(knob_id: str, value: float) -> None:
    """Move one knob. A share the user moves stays where it was set: only the tasks whose share
    the user has not set or locked give or take time, in proportion (see knobs.pinned_shares)."""
    try:
        b = base()
        k = knob(reshape(b, changes()).base, knob_id)  # a task the changes add has knobs too
        v = k.check(value)
        new = dict(changes())
        if k.kind == "share":
            move = move_share(b, changes(), knob_id, v)
            if move.limited:
                notice("warning", move.message)
            new = shortest_shares(b, move.changes, [knob_id], methodology())  # e.g. the room left: 8.13
        elif knob_id in values(b) and v == values(b)[knob_id]:  # an added task's score always stays
            new.pop(knob_id, None)
        else:
            new[knob_id] = v
        set_changes(new)
    except AIJRIError as exc:
        notice("error", str(exc))


def set_lock(task: str, on: bool) -> None:
    """Lock a task's share where it is now, or unlock it (it follows the other tasks again)."""
    kid = task_share_id(task)
    new = dict(changes())
    if not on and task in reshape(base(), new).added:
        notice("info", f"{task} is a task this scenario adds: its time share is always set (move it, or "
                       "remove the task, to change that).")
        return
    if on and kid not in new:
        new[kid] = values(current())[kid]  # derived, e.g. 8.133333333333333: held as 8.13 (the same shown)
        new = shortest_shares(base(), new, [kid], methodology())
    elif not on:
        new.pop(kid, None)
    set_changes(new)


@guarded
def on_knob_changed(knob_id: str) -> None:
    """Record the move; :func:`apply_moves` applies this run's moves together (see aijri_ui.mirror)."""
    record_move(knob_key(knob_id))


@guarded
def on_lock_changed(task: str) -> None:
    """Record a lock switch's move (a switch the server rewrote may echo too, like a slider)."""
    record_move(lock_key(task))


@guarded
def apply_moves() -> None:
    """Apply the knob and lock moves the browser reported in this run (app.py calls this first),
    without the browser's echoes of rewritten widgets (aijri_ui.mirror.take_moves)."""
    for key, v in take_moves():
        kind, target = key.split(":", 1)
        if kind == "lock":
            set_lock(target, bool(v))
        else:
            set_knob(target, v)


@guarded
def reset_changes() -> None:
    st.session_state[CHANGES] = {}


def set_changes(new_changes: dict[str, float]) -> None:
    """Make these knob changes the state (checked first; kept in knob order)."""
    b = base()
    apply_changes(b, new_changes)  # a KnobError names the field and its range
    order = [k.id for k in knobs(b)]
    ordered = {kid: new_changes[kid] for kid in order if kid in new_changes}
    # changes that reshape the role (a task added or removed) are not knobs of the baseline: kept as given
    ordered.update({kid: v for kid, v in new_changes.items() if kid not in ordered})
    st.session_state[CHANGES] = ordered


def load_scenario(scenario: Scenario) -> None:
    """Make a saved scenario the current state (the shares it names stay set)."""
    try:
        apply(base(), scenario)
        set_changes(dict(scenario.changes))
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


# ------------------------------------------------------------------ the inputs picked for response curves (in the link)


def curve_knobs(default: list[str]) -> list[str]:
    picked = st.session_state.get(CURVES)
    return list(default if picked is None else picked)[:MAX_CURVES]


def live_curves(default: list[str]) -> list[str]:
    """The picked inputs the role has as it stands (a removed task's or another role's are not drawn)."""
    inputs = values(current())
    return [kid for kid in curve_knobs(default) if kid in inputs]


# ------------------------------------------------------------------ widget mirrors


def sync_knob_widgets(assessment: RoleAssessment) -> set[str]:
    """Copy the knob values into the slider keys and the pins into the lock switches (call
    before drawing them). Returns the keys written in this run (see :func:`widget_value`)."""
    written = {key for kid, v in values(assessment).items() if mirror(key := knob_key(kid), v)}
    pinned = set(pinned_tasks())
    if len(assessment.tasks) > 1:
        for t in assessment.tasks:
            mirror(lock_key(t.name), t.name in pinned)
    return written


def widget_value(key: str, written: set[str]):
    """The value to pass as a keyed widget's ``value=``: its value in the session, or None for a
    key written through the session in this run (Streamlit then reads it itself, and logs no
    "default value and Session State" warning).

    Why: a slider given no value looks its key up in a copy of the whole session state that it
    builds for each call (``filtered_state``): with a 40-task role that is 91 sliders x ~200 keys
    per move, most of the cost of drawing them. Passing the value it would find skips that copy;
    the widget still shows the session's value (a keyed widget's state wins over ``value=``)."""
    return None if key in written else st.session_state.get(key)


def sync_method_widgets() -> None:
    for name, v in methodology().model_dump().items():
        mirror(method_key(name), v)


def sync_role_picker() -> None:
    mirror(ROLE_PICKER, role_key())


def knob_list(assessment: RoleAssessment):
    return knobs(assessment)
