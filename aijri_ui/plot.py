"""Charts updated in place: every page's plotly figures, drawn by one small component.

Why the app does not use ``st.plotly_chart``: in Streamlit 1.67 a chart gets a new element
id whenever its figure changes, and the frontend then builds the chart's plotly config
again, with a new "Fullscreen" mode-bar callback. plotly's ``Plotly.react`` finds the config
changed and rebuilds the whole chart (``newPlot``), so every chart on the page was built from
scratch on every slider move. And Streamlit's chart brings its own copy of plotly.js (a
4.7 MB chunk), a second one beside ours on any page that used it.

``chart(fig, key=...)`` draws the figure with a small ``st.components.v2`` component instead;
every page draws all its charts through it, so a browser loads one copy of plotly.js. The
component keeps one plotly graph per key and passes each new figure to ``Plotly.react`` with
the same config, so plotly redraws only what changed. It draws after the next paint, so the
score that came in the same run shows first. plotly.js is the copy that ships with the plotly
Python package (its ``package_data`` folder, served by Streamlit's component file route),
loaded once per page from an address relative to the page. When that file is missing,
``chart`` falls back to ``st.plotly_chart`` (with the figure's own theme).

The component's code is ``plot.js`` beside this module (shipped in the wheel). The look is
the figure's own (its template, ``aijri_core.figures.theme.TEMPLATE``): nothing is added
here. A chart can report clicks on its points (``on_click``); inside the callback,
``clicked(key)`` gives the clicked points' ``y`` values (the tornado's row labels), or their
``ids`` when the trace has them (the board's role keys). A chart given a new ``reveal``
number scrolls itself into view once drawn. While a chart has a figure it has
not drawn yet, its graph element carries ``data-pending`` (the browser tests wait for none).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from pathlib import Path

import plotly
import plotly.graph_objects as go
import streamlit as st
import streamlit.components.v1 as components_v1

#: plotly.js as shipped with the plotly package (that folder is what the route serves).
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"

#: The component's code (a file beside this one, shipped in the wheel).
_JS = (Path(__file__).with_name("plot.js")).read_text(encoding="utf-8")

_CSS = """
.aijri-plot { width: 100%; }
.aijri-plot.aijri-clickable .nsewdrag { cursor: pointer; }
"""

_COMPONENT = st.components.v2.component("aijri_plot", js=_JS, css=_CSS, isolate_styles=False)
#: Registers the folder holding plotly.js with Streamlit's component file route (never drawn).
_ASSETS = components_v1.declare_component("plotly_js", path=str(PLOTLY_JS.parent)) if PLOTLY_JS.is_file() else None

#: A figure's JSON, kept while the (cached, never changed) figure object lives.
_SPECS: dict[int, tuple[weakref.ref, str]] = {}


def _spec(fig: go.Figure) -> str:
    hit = _SPECS.get(id(fig))
    if hit is not None and hit[0]() is fig:
        return hit[1]
    spec, key = fig.to_json(), id(fig)
    _SPECS[key] = (weakref.ref(fig, lambda _ref: _SPECS.pop(key, None)), spec)
    return spec


def _script_url() -> str:
    """plotly.js's address, relative to the page like Streamlit's own scripts: it holds under a
    ``server.baseUrlPath`` and behind a proxy that adds a path of its own."""
    return f"component/{_ASSETS.name}/{PLOTLY_JS.name}"


def chart(fig: go.Figure, *, key: str, on_click: Callable[[], None] | None = None, reveal: int | None = None) -> None:
    """Draw ``fig`` under ``key``; the next run's call with the same key updates that chart in place.

    ``on_click`` runs (as a widget callback) when the user clicks a point; see ``clicked``.
    ``reveal``: a number that, each time it is new, has the browser scroll the chart into view
    once it is drawn (e.g. the response curves after a click on the tornado, further up).
    """
    if _ASSETS is None:  # plotly without its bundled plotly.js: Streamlit's own chart
        select = {"selection_mode": "points", "on_select": on_click} if on_click else {}
        st.plotly_chart(fig, key=key, config={"displayModeBar": False}, theme=None, **select)
        return
    data = {"spec": _spec(fig), "src": _script_url(), "clickable": on_click is not None,
            "reveal": f"{key}:{reveal}" if reveal is not None else ""}
    _COMPONENT(key=key, data=data, **({"on_click_change": on_click} if on_click else {}))


def clicked(key: str) -> list[str]:
    """The ids (a trace's ``ids``), else the ``y`` values, of the points the user just clicked in
    chart ``key`` (call it in ``on_click``)."""
    event = st.session_state.get(key)
    if event is None:
        return []
    points = event.get("click") if hasattr(event, "get") else getattr(event, "click", None)
    if points is None:  # the st.plotly_chart fallback: a selection event
        points = [p.get("id", p.get("y")) for p in ((event.get("selection") or {}).get("points") or [])] \
            if hasattr(event, "get") else []
    return [str(p) for p in points or [] if p is not None]
