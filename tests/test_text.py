"""User text put into Streamlit's Markdown reads as typed: aijri_ui.text.literal, for any text."""

from __future__ import annotations

import string

from app_helpers import shown
from hypothesis import given
from hypothesis import strategies as st

from aijri_ui.text import literal


@given(st.text())
def test_any_text_shows_as_typed(text):
    md = literal(text)
    assert shown(md) == text  # CommonMark's backslash escapes give the text back
    # no ASCII punctuation is left to act as syntax: each one stands right after its backslash
    i = 0
    while i < len(md):
        if md[i] == "\\":
            assert md[i + 1] in string.punctuation
            i += 2
            continue
        assert md[i] not in string.punctuation
        i += 1


def test_names_full_of_syntax():
    assert literal("Budget $ and $ forecasts") == "Budget \\$ and \\$ forecasts"
    assert literal(":material/lock:") == "\\:material\\/lock\\:"
    assert literal("a\\b") == "a\\\\b"
    assert literal(3.5) == "3\\.5"
