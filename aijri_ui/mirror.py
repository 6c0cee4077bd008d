"""Widgets mirror the app's state, and the browser's echoes of rewritten widgets are dropped.

Before a page draws a widget it copies the state into the widget's key (:func:`mirror`;
allowed before the widget exists in a run); the widget's callback records the user's move
(:func:`record_move`) and ``state.apply_moves`` applies the run's moves together
(:func:`take_moves`).

Why the echoes: a widget whose value the server rewrote (the other share sliders after a
share moved) may still show its old value in the browser for a moment. If the user moves
another slider in that moment, the browser sends the old value back with the real move, and
Streamlit reports it as a change of that slider too. ``keys.STALE`` remembers, per key, the
value the browser may still show; a run in which the widget reports no change proves the
browser shows the new value, and the entry goes.
"""

from __future__ import annotations

import streamlit as st

from .keys import MOVES, STALE


def mirror(key: str, value) -> bool:
    """Show ``value`` in the widget ``key`` (before it is drawn in this run); True if it wrote it."""
    ss = st.session_state
    stale = ss.setdefault(STALE, {})
    if key in ss and ss[key] != value:
        stale[key] = ss[key]  # what the browser shows until it gets this run's values
        ss[key] = value
        return True
    if key not in ss:
        ss[key] = value
        return True
    stale.pop(key, None)  # the browser reported the value we set: it has caught up
    return False


def record_move(key: str) -> None:
    """Remember the move the widget ``key`` reported in this run (call in its callback)."""
    st.session_state.setdefault(MOVES, []).append((key, st.session_state[key]))


def forget_moves() -> None:
    """Drop this run's reported moves (their values are a page's old ones, not moves)."""
    st.session_state.pop(MOVES, None)


def take_moves() -> list[tuple[str, object]]:
    """This run's moves, (widget key, value) in order, without the browser's echoes.

    A value equal to what a rewritten widget showed before is an echo when it comes together
    with other moves: the browser sent it along with the user's real move. Alone, it is the
    user's move (e.g. dragging a share back to a round number).
    """
    moves = st.session_state.pop(MOVES, [])
    if not moves:
        return []
    stale = st.session_state.setdefault(STALE, {})
    if len(moves) > 1:
        moves = [(key, v) for key, v in moves if stale.get(key, object()) != v]
    for key, _ in moves:
        stale.pop(key, None)
    return moves
