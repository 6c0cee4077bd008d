"""A link Streamlit dropped before the app saw it, noticed in the browser.

Streamlit ignores a whole query string with more than 1,000 parameters (or more than 512 Ki
characters): the server then sees a bare address and the app would show the role's baseline
without a word. Only the browser still has the link, so a tiny ``st.components.v2``
component (no markup) compares ``window.location.search`` with those limits and, when the
link is past them, reports its size once per address. ``check()`` draws it on a run whose
server-side query is empty; ``message()`` is the sentence the app shows next to the role.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.state import query_params as _streamlit_query

from .keys import LINK_DROPPED

#: Streamlit's own limits (runtime/state/query_params.py): past either, the query is dropped whole.
MAX_FIELDS: int = _streamlit_query.CLIENT_STATE_QUERY_STRING_MAX_FIELDS
MAX_CHARS: int = _streamlit_query.CLIENT_STATE_QUERY_STRING_MAX_LENGTH

KEY = "link_check"

_JS = r"""
export default function (component) {
  const {data, setTriggerValue} = component;
  const query = window.location.search.replace(/^\?/, "");
  if (!query) return;
  // Counted as Streamlit counts them (sanitize_query_string).
  const fields = query.split("&").length;
  if (fields <= data.max_fields && query.length <= data.max_chars) return;
  if (window.__aijriLinkReported === query) return;  // once per address
  window.__aijriLinkReported = query;
  setTriggerValue("dropped", {fields: fields, chars: query.length});
}
"""

_COMPONENT = st.components.v2.component("aijri_link_check", js=_JS, isolate_styles=False)


def _on_dropped() -> None:
    event = st.session_state.get(KEY)
    got = event.get("dropped") if hasattr(event, "get") else getattr(event, "dropped", None)
    if got:
        st.session_state[LINK_DROPPED] = (int(got.get("fields", 0)), int(got.get("chars", 0)))


def check() -> None:
    """Draw the check (call it where the message belongs, on runs whose query is empty)."""
    _COMPONENT(key=KEY, data={"max_fields": MAX_FIELDS, "max_chars": MAX_CHARS}, on_dropped_change=_on_dropped)


def message() -> str | None:
    """The sentence about a dropped link, while the address is still that link (else None)."""
    got = st.session_state.get(LINK_DROPPED)
    if not got or st.query_params:  # a move writes a new address: the old link is gone
        return None
    fields, chars = got
    if fields > MAX_FIELDS:
        size = f"has {fields:,} parameters; a link may carry at most {MAX_FIELDS:,}"
    else:
        size = f"is {chars:,} characters long; a link may be at most {MAX_CHARS:,}"
    return f"This link {size}, so it was not opened: the role's baseline is shown."
