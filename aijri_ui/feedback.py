"""Feedback where the action is: a message beside the control that caused it (and a toast),
and a confirmation dialog before anything is deleted."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from .keys import MESSAGES, MESSAGES_PAGE
from .text import literal


def say(place: str, kind: str, text: str) -> None:
    """Keep a message ("success", "error", "warning", "info") for the control at ``place``."""
    st.session_state.setdefault(MESSAGES, {})[place] = (kind, text, False)


def show(place: str) -> None:
    """Draw the message kept for ``place`` here, and as a toast the first time.

    A message stays beside its control while the user stays on the page (other widgets may
    rerun the page meanwhile); a newer message for the same place replaces it.
    """
    kept = st.session_state.get(MESSAGES, {})
    if place not in kept:
        return
    kind, text, toasted = kept[place]
    getattr(st, kind)(literal(text))  # messages are plain text; they quote names
    if not toasted:
        st.toast(literal(text), icon={"success": ":material/check_circle:", "error": ":material/error:"}.get(kind))
        kept[place] = (kind, text, True)


def start_page(name: str) -> None:
    """Forget the messages of another page (call first when drawing a page)."""
    if st.session_state.get(MESSAGES_PAGE) != name:
        st.session_state[MESSAGES_PAGE] = name
        st.session_state[MESSAGES] = {}


def confirm_delete(title: str, text: str, on_yes: Callable, args: tuple, on_no: Callable,
                   yes_key: str, no_key: str) -> None:
    """A dialog asking before a deletion: Delete runs ``on_yes(*args)``, Cancel or closing runs ``on_no``.

    The page calls this on every run while a deletion waits for an answer (kept in session
    state by the page), so the dialog survives reruns and AppTest sees it too.
    """

    @st.dialog(title, on_dismiss=on_no)
    def dialog() -> None:
        st.markdown(literal(text))
        c1, c2 = st.columns(2)
        if c1.button("Delete", key=yes_key, type="primary", icon=":material/delete:", width="stretch",
                     on_click=on_yes, args=args):
            st.rerun()
        if c2.button("Cancel", key=no_key, width="stretch", on_click=on_no):
            st.rerun()

    dialog()
