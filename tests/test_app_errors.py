"""What goes wrong reaches the user as one message, never a traceback (aijri_ui.state's one rule
for pages, the Explorer's fragment and widget callbacks). The bugs are planted with monkeypatch.
"""

from __future__ import annotations

import logging

import pytest
from app_helpers import error_texts, escaped, new_app, open_page, score_text, store_path  # noqa: F401 - fixture

from aijri_core import AIJRIError
from aijri_ui import keys, state
from aijri_ui.views import explorer, uncertainty


@pytest.fixture
def bugs_shown(store_path, monkeypatch):  # noqa: F811
    """As a user runs the app: a bug becomes a message (AIJRI_RAISE is not set)."""
    monkeypatch.delenv("AIJRI_RAISE")


def _broken(exc: Exception):
    def draw(*_args, **_kwargs):
        raise exc
    return draw


def test_a_bug_in_a_page_is_one_message_and_goes_to_the_log(bugs_shown, monkeypatch, caplog):
    monkeypatch.setattr(uncertainty, "render", _broken(RuntimeError("planted")))
    with caplog.at_level(logging.ERROR, logger=state.log.name):
        at = open_page(new_app().run(), "uncertainty")
    assert not at.exception
    assert error_texts(at) == [state.PAGE_ERROR]
    assert "page Uncertainty failed" in caplog.text and "planted" in caplog.text
    assert at.selectbox(key=keys.ROLE_PICKER).value  # the sidebar is still drawn after the page


def test_a_user_error_in_a_page_shows_its_own_text_as_typed(bugs_shown, monkeypatch):
    monkeypatch.setattr(uncertainty, "render", _broken(AIJRIError("The role *Lead_ops* cannot be read")))
    at = open_page(new_app().run(), "uncertainty")
    assert not at.exception
    assert [e.value for e in at.error] == [escaped("The role *Lead_ops* cannot be read")]


def test_a_bug_in_the_explorers_results_leaves_the_page_around_them(bugs_shown, monkeypatch):
    monkeypatch.setattr(explorer, "draw", _broken(RuntimeError("planted")))
    at = new_app().run()
    assert not at.exception
    assert error_texts(at) == [state.PAGE_ERROR]
    assert at.title[0].value  # the role's title, drawn outside the fragment


def test_a_bug_in_a_callback_changes_nothing_and_says_so_once(bugs_shown, monkeypatch, caplog):
    at = new_app().run()
    before = score_text(at)
    monkeypatch.setattr(state, "reset_changes", state.guarded(_broken(RuntimeError("planted"))))
    at.slider(key="knob:growth").set_value(2).run()
    moved = score_text(at)
    assert moved != before
    with caplog.at_level(logging.ERROR, logger=state.log.name):
        at.button(key="reset_baseline").click().run()
    assert not at.exception
    assert error_texts(at) == [state.INTERNAL_ERROR]
    assert score_text(at) == moved  # nothing was changed
    assert "callback draw failed" in caplog.text
    at.run()
    assert error_texts(at) == []  # shown once, not on every run after
