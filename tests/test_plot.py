"""aijri_ui.plot: the Explorer's charts, drawn by a component that updates them in place.

What a browser must show is tested in tests/browser (every chart is kept, not rebuilt, on a
move; a click on a tornado bar). Here: the figure each chart is given, the theme, the URL of
plotly.js, the click values, and the fallback to st.plotly_chart.
"""

from __future__ import annotations

import gc
import json

import plotly.graph_objects as go
import pytest
import streamlit as st
from app_helpers import (  # noqa: F401 - store_path is a fixture
    assert_no_exception,
    chart_spec,
    new_app,
    open_page,
    save_scenario,
    store_path,
)

from aijri_ui import plot

EXPLORER_CHARTS = ("chart_scale", "chart_waterfall", "chart_tornado", "chart_zone_map")


def test_plotly_js_ships_with_plotly_at_an_address_relative_to_the_page():
    # relative like Streamlit's own "./static/js/...": it holds under server.baseUrlPath too
    # (tests/browser/test_explorer_browser.py::test_charts_draw_under_a_base_url_path)
    assert plot.PLOTLY_JS.is_file() and plot.PLOTLY_JS.stat().st_size > 1_000_000
    assert plot._script_url() == "component/aijri_ui.plot.plotly_js/plotly.min.js"


def test_a_figures_json_is_made_once_while_the_figure_lives():
    fig = go.Figure(go.Bar(x=[1, 2], y=["a", "b"]))
    first = plot._spec(fig)
    assert json.loads(first) == json.loads(fig.to_json())
    assert plot._spec(fig) is first  # the cached figure objects are never changed
    other = go.Figure(go.Bar(x=[3], y=["c"]))
    assert json.loads(plot._spec(other))["data"][0]["y"] == ["c"]
    key = id(fig)
    del fig
    gc.collect()
    assert key not in plot._SPECS  # a figure that is gone leaves nothing behind


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"click": ["GPU: score", 3, None]}, ["GPU: score", "3"]),  # the component's trigger
        ({"click": None}, []),
        ({"selection": {"points": [{"y": "GPU: score", "x": 1.2}]}}, ["GPU: score"]),  # st.plotly_chart's event
        (None, []),
    ],
)
def test_clicked_reads_the_points_of_either_chart(monkeypatch, event, expected):
    monkeypatch.setattr(st, "session_state", {} if event is None else {"chart_tornado": event})
    assert plot.clicked("chart_tornado") == expected


def test_the_explorer_sends_each_chart_its_figure(store_path):  # noqa: F811
    at = new_app().run()
    assert_no_exception(at)
    charts = [c for c in at.get("bidi_component") if c.proto.component_name == "aijri_plot"]
    assert sorted(c.proto.id.rsplit("-", 1)[1] for c in charts) == sorted(EXPLORER_CHARTS)
    data = {c.proto.id.rsplit("-", 1)[1]: json.loads(c.proto.json) for c in charts}
    assert {k: d["clickable"] for k, d in data.items()} == {k: k == "chart_tornado" for k in EXPLORER_CHARTS}
    assert all(d["src"] == plot._script_url() for d in data.values())
    assert not at.get("plotly_chart")


def _drawn_keys(at) -> set[str]:
    return {c.proto.id.rsplit("-", 1)[1] for c in at.get("bidi_component") if c.proto.component_name == "aijri_plot"}


def test_every_page_draws_its_charts_with_the_one_component(store_path):  # noqa: F811
    """One chart component on every page: the browser loads one copy of plotly.js (Streamlit's
    own chart would fetch its own plotly bundle besides; tests/browser/test_pages_browser.py
    checks the network)."""
    at = new_app().run()
    drawn = {"explorer": _drawn_keys(at)}
    assert not at.get("plotly_chart")
    save_scenario(open_page(at, "scenarios"), "One step")
    for page in ("scenarios", "uncertainty", "roles", "board"):
        open_page(at, page)
        assert_no_exception(at)
        assert not at.get("plotly_chart"), page
        drawn[page] = _drawn_keys(at)
    assert drawn["explorer"] == set(EXPLORER_CHARTS)
    assert {"chart_trajectory", "chart_attribution"} <= drawn["scenarios"]
    assert drawn["uncertainty"] == {"chart_histogram", "chart_importance"}
    assert drawn["roles"] == {"chart_comparators"}
    assert drawn["board"] == {"chart_board"}


def test_without_plotly_js_the_explorer_uses_streamlits_chart(store_path, monkeypatch):  # noqa: F811
    first = new_app().run()
    drawn = {key: chart_spec(first, key) for key in EXPLORER_CHARTS}
    monkeypatch.setattr(plot, "_ASSETS", None)
    at = new_app().run()
    assert_no_exception(at)
    assert not [c for c in at.get("bidi_component") if c.proto.component_name == "aijri_plot"]
    assert len(at.get("plotly_chart")) == len(EXPLORER_CHARTS)
    for key in EXPLORER_CHARTS:  # the same figures
        assert chart_spec(at, key) == drawn[key]
    tornado = next(c for c in at.get("plotly_chart") if c.proto.id.endswith("-chart_tornado"))
    assert list(tornado.proto.selection_mode)  # clicks still reach the tornado's callback
