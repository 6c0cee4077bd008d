"""The Board page through AppTest: the table, its filters, opening a role from a row or a point."""

from __future__ import annotations

import json

import pytest
from app_helpers import assert_no_exception, chart_spec, new_app, open_page, store_path  # noqa: F401
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import element_tree

from aijri_core import bundled_role
from aijri_core.analyses.board import csv_text
from aijri_core.library import BUNDLED, STORED
from aijri_core.store import BUNDLED_PREFIX, STORED_PREFIX, open_store

SLUG = "ai-infrastructure-engineer"


@pytest.fixture
def app(store_path):  # noqa: F811
    seed = bundled_role(SLUG)
    s = open_store(str(store_path))
    # A RED role and a YELLOW one beside the bundled GREEN one (49.1).
    low = seed.model_copy(update={"title": "Lower role", "growth_correlation": -2,
                                  "evidence": seed.evidence.model_copy(update={"company_actions": -2})})
    s.save_role(low, name="lower")
    worse = seed.model_validate({**seed.model_dump(), "title": "Far lower role",
                                 "tasks": [{**t.model_dump(), "score": 5} for t in seed.tasks]})
    s.save_role(worse, name="far")
    at = open_page(new_app(), "board")
    assert_no_exception(at)
    return at


def table(at):
    (df,) = at.dataframe
    return df.value


def test_sources_are_role_keys():
    assert (BUNDLED, STORED) == (BUNDLED_PREFIX, STORED_PREFIX)


def test_table_sorted_by_distance_and_filters(app):
    df = table(app)
    assert sorted(df["Source"]) == ["bundled:" + SLUG, "stored:far", "stored:lower"]
    assert list(abs(df["Distance"])) == sorted(abs(df["Distance"]))
    first = df.iloc[0]
    assert (first["Score"], first["Distance"], first["Zone"]) == (49.1, 1.1, "GREEN (Transforming)")
    zones = {z.split()[0] for z in df["Zone"]}

    app.multiselect(key="board_zones").set_value(["YELLOW", "RED"]).run()
    assert_no_exception(app)
    assert "GREEN (Transforming)" not in set(table(app)["Zone"]) and len(table(app)) == len(df) - 1
    app.multiselect(key="board_zones").set_value(sorted(zones | {"GREEN"})).run()

    app.toggle(key="board_only_borderline").set_value(True).run()
    assert all(table(app)["Borderline"]) and "bundled:" + SLUG in set(table(app)["Source"])
    app.number_input(key="board_borderline").set_value(0.5).run()
    assert len(table(app)) == 0  # 49.1 is 1.1 from its line: no longer borderline
    app.toggle(key="board_only_borderline").set_value(False).run()

    app.text_input(key="board_search").set_value("far LOWER").run()
    assert list(table(app)["Source"]) == ["stored:far"]
    app.text_input(key="board_search").set_value("$ not there *").run()
    assert len(table(app)) == 0
    assert_no_exception(app)


def select_row(app, monkeypatch, row: int):
    """Select a row of the board table as the browser does (the selection event's widget state)."""
    (df,) = app.dataframe
    wid = df.proto.id
    real = element_tree.ElementTree.get_widget_states

    def with_selection(self):
        ws = real(self)
        state = WidgetState(id=wid)
        state.string_value = json.dumps({"selection": {"rows": [row], "columns": [], "cells": []}})
        ws.widgets.append(state)
        return ws

    monkeypatch.setattr(element_tree.ElementTree, "get_widget_states", with_selection)
    app.run()
    monkeypatch.setattr(element_tree.ElementTree, "get_widget_states", real)


def test_selecting_a_row_opens_the_role_in_the_explorer(app, monkeypatch):
    app.text_input(key="board_search").set_value("far").run()
    assert list(table(app)["Source"]) == ["stored:far"]
    select_row(app, monkeypatch, 0)
    assert_no_exception(app)
    # The callback picks the role; the page then switches to the Explorer in the same run.
    assert app.session_state["aijri.role_key"] == "stored:far"
    assert not app.dataframe and app.selectbox(key="role_picker").value == "stored:far"
    assert [t.value for t in app.title] == ["Far lower role"]  # the Explorer's heading is the role's title


def test_chart_shows_every_role_and_a_click_opens_it(app, monkeypatch):
    spec = chart_spec(app, "chart_board")
    ids = sorted(i for trace in spec["data"] for i in trace["ids"])
    assert ids == sorted(table(app)["Source"])
    from aijri_ui import keys, state
    from aijri_ui.views import board as view

    fake = {"chart_board": {"click": ["stored:lower"]}}  # what aijri_ui.plot's click trigger holds
    picked = []
    monkeypatch.setattr(view.st, "session_state", fake)
    monkeypatch.setattr(state, "select_role", lambda key: (picked.append(key), fake.__setitem__(keys.ROLE, key)))
    view._on_point()
    assert picked == ["stored:lower"] and fake[keys.BOARD_OPEN] == "stored:lower"


def test_csv_download_is_the_rows_shown(app):
    app.text_input(key="board_search").set_value("lower").run()
    shown = table(app)
    (button,) = [b for b in app.get("download_button") if b.proto.id.endswith("-board_csv")]
    assert len(shown) == 2
    assert csv_text(shown).splitlines()[0].startswith("Role,Seniority,Score,Zone,Distance")


@pytest.fixture
def fragment_runs(monkeypatch):
    """Make AppTest's next runs rerun only the page's fragments, as a browser asks after a change
    of one of their widgets (AppTest has no call for it: its runner's rerun request is given the
    fragment ids); ``fragment_runs(app)`` switches it on for that app."""
    from streamlit.runtime.scriptrunner import RerunData
    from streamlit.testing.v1 import local_script_runner

    def switch_on(app):
        ids = list(app._fragment_storage._fragments)
        assert ids, "the page has no fragment"
        monkeypatch.setattr(local_script_runner, "RerunData",
                            lambda **kw: RerunData(**kw, fragment_id_queue=ids, is_fragment_scoped_rerun=True))

    return switch_on


def rings(app) -> int:
    """Points drawn with a ring (borderline roles) in the board chart."""
    return sum(1 for t in chart_spec(app, "chart_board")["data"] if t.get("type") == "scatter"
               for w in t["marker"]["line"]["width"] if w)


def test_a_filter_change_reruns_only_the_fragment_and_the_borderline_the_whole_app(app, fragment_runs):
    assert rings(app) == 1  # 49.1 is borderline at 2 points; the others are far from a line
    fragment_runs(app)
    app.text_input(key="board_search").set_value("far").run()
    assert_no_exception(app)
    assert list(table(app)["Source"]) == ["stored:far"]
    assert not app.get("bidi_component") and not app.title  # only the fragment ran: no chart, no title sent
    app.text_input(key="board_search").set_value("").run()
    app.number_input(key="board_borderline").set_value(100.0).run()
    assert_no_exception(app)
    # The chart's rings follow the new distance: the fragment asked for a run of the whole app.
    assert rings(app) == 3 and [t.value for t in app.title] == ["Board"]
    assert all(table(app)["Borderline"])


def test_selecting_a_row_in_a_fragment_run_opens_the_explorer(app, fragment_runs, monkeypatch):
    fragment_runs(app)
    app.text_input(key="board_search").set_value("far").run()
    select_row(app, monkeypatch, 0)
    assert_no_exception(app)
    assert app.session_state["aijri.role_key"] == "stored:far"
    assert [t.value for t in app.title] == ["Far lower role"]  # switch_page ran the whole app on the Explorer
