"""Charts updated in place: the Explorer's plotly figures, redrawn without being rebuilt.

Why the Explorer does not use ``st.plotly_chart``: in Streamlit 1.67 a chart gets a new
element id whenever its figure changes, and the frontend then builds the chart's plotly
config again, with a new "Fullscreen" mode-bar callback. plotly's ``Plotly.react`` finds the
config changed and rebuilds the whole chart (``newPlot``), so every chart on the page was
built from scratch on every slider move.

``chart(fig, key=...)`` draws the figure with a small ``st.components.v2`` component instead.
The component keeps one plotly graph per key and passes each new figure to ``Plotly.react``
with the same config, so plotly redraws only what changed. It draws after the next paint, so
the score that came in the same run shows first. plotly.js is the copy that ships with the
plotly Python package (its ``package_data`` folder, served by Streamlit's component file
route), loaded once per page from an address relative to the page. When that file is missing, ``chart`` falls back to
``st.plotly_chart``.

The look matches Streamlit's light chart theme (``TEMPLATE``: its fonts, grey axis text and
light grid; every figure sets its own white background). A chart can report clicks on its
points (``on_click``); inside the callback, ``clicked(key)`` gives the clicked points' ``y``
values (the tornado's row labels), or their ``ids`` when the trace has them (the board's role keys). While a chart has a figure it has not drawn yet, its graph
element carries ``data-pending`` (the browser tests wait for none).
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable
from pathlib import Path

import plotly
import plotly.graph_objects as go
import streamlit as st
import streamlit.components.v1 as components_v1

_MUTED = "#808495"
_GRID = "#e6eaf1"
_FONT = '"Source Sans", sans-serif'
#: Streamlit's light chart theme, as far as the Explorer's charts use it.
TEMPLATE = {
    "layout": {
        "colorway": ["#0068c9", "#83c9ff", "#ff2b2b", "#ffabab", "#29b09d", "#7defa1", "#ff8700", "#ffd16a",
                     "#6d3fc0", "#d5dae5"],
        "font": {"color": _MUTED, "family": _FONT, "size": 12, "weight": 400},
        "title": {"font": {"family": _FONT, "size": 16, "color": "#2F2D2B", "weight": "bold"}, "pad": {"l": 4},
                  "xanchor": "left", "x": 0},
        "legend": {"title": {"font": {"size": 12, "color": _MUTED}, "side": "top"}, "valign": "top",
                   "bordercolor": "rgba(0,0,0,0)", "borderwidth": 0, "font": {"size": 12, "color": "#262730"}},
        "paper_bgcolor": "#FFFFFF",
        "plot_bgcolor": "#FFFFFF",
        "margin": {"pad": 8, "r": 0, "l": 0},
        "hoverlabel": {"bgcolor": "#FFFFFF", "bordercolor": "#DCD8D4",
                       "font": {"color": _MUTED, "family": _FONT, "size": 12}},
        **{axis: {"zerolinecolor": _GRID, "gridcolor": _GRID, "tickcolor": _GRID, "ticklabelposition": "outside",
                  "tickfont": {"color": _MUTED, "size": 12}, "minor": {"gridcolor": _GRID}, "automargin": True,
                  "title": {"font": {"color": _MUTED, "size": 14}, "standoff": standoff}}
           for axis, standoff in (("xaxis", 20), ("yaxis", 24))},
    },
    "data": {
        "scatter": [{"marker": {"line": {"width": 0}}, "type": "scatter"}],
        "waterfall": [{"connector": {"line": {"color": _MUTED, "width": 2}},
                       "decreasing": {"marker": {"color": "#ff2b2b"}}, "increasing": {"marker": {"color": "#29b09d"}},
                       "totals": {"marker": {"color": "#0068c9"}}, "type": "waterfall"}],
    },
}

#: plotly.js as shipped with the plotly package (that folder is what the route serves).
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"

_JS = r"""
const TEMPLATE = __TEMPLATE__;
const CONFIG = {displayModeBar: false, responsive: false};
let loading = null;

function plotlyReady(src) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = new URL(src, window.location.href).href;
      s.onload = () => resolve(window.Plotly);
      s.onerror = () => { loading = null; reject(new Error("The chart library could not be loaded; reload the page.")); };
      document.head.appendChild(s);
    });
  }
  return loading;
}

function draw(gd, data) {
  plotlyReady(data.src).then((Plotly) => {
    const state = gd.__aijri;
    // Only the newest figure, and only once (runs can come faster than frames).
    if (state.spec !== data.spec || state.drawnSpec === data.spec) return;
    state.drawnSpec = data.spec;
    const fig = JSON.parse(data.spec);
    const layout = fig.layout || {};
    layout.template = TEMPLATE;
    layout.width = Math.max(Math.round(gd.clientWidth), 100);
    if (data.clickable) Object.assign(layout, {clickmode: "event", hovermode: "closest", dragmode: false});
    const title = layout.title && layout.title.text;
    if (title) gd.setAttribute("aria-label", title.replace(/<[^>]*>/g, "").replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">").replace(/&amp;/g, "&"));
    Plotly.react(gd, fig.data || [], layout, CONFIG).then(() => {
      if (state.drawnSpec === state.spec) gd.removeAttribute("data-pending");
    });
    if (!state.bound) {
      state.bound = true;
      gd.on("plotly_click", (ev) => {
        const now = gd.__aijri;
        if (now.clickable) now.setTriggerValue("click", (ev.points || []).map((p) => String(p.id !== undefined ? p.id : p.y)));
      });
      state.resize = new ResizeObserver(() => {
        const w = Math.round(gd.clientWidth);
        if (w > 0 && gd._fullLayout && Math.abs(gd._fullLayout.width - w) > 1) Plotly.relayout(gd, {width: w});
      });
      state.resize.observe(gd);
    }
  }).catch((err) => {
    gd.removeAttribute("data-pending");
    gd.textContent = String((err && err.message) || err);
  });
}

export default function (component) {
  const {data, parentElement, setTriggerValue} = component;
  let gd = parentElement.querySelector(":scope > .aijri-plot");
  if (!gd) {
    gd = document.createElement("div");
    gd.className = "aijri-plot";
    gd.setAttribute("role", "img");
    parentElement.appendChild(gd);
    gd.__aijri = {};
  }
  Object.assign(gd.__aijri, {spec: data.spec, setTriggerValue, clickable: data.clickable});
  // Marked until drawn (a figure that came back before the one between was drawn is drawn).
  gd.toggleAttribute("data-pending", gd.__aijri.drawnSpec !== data.spec);
  gd.classList.toggle("aijri-clickable", !!data.clickable);
  // After the next paint: the text that came with the same run (the score) shows first.
  requestAnimationFrame(() => setTimeout(() => draw(gd, data), 0));
  // Streamlit calls this when the element leaves the page (and for a superseded call,
  // while the chart is still on the page: then nothing is dropped).
  return () => {
    if (gd.isConnected) return;
    if (gd.__aijri.resize) gd.__aijri.resize.disconnect();
    if (window.Plotly) window.Plotly.purge(gd);
  };
}
""".replace("__TEMPLATE__", json.dumps(TEMPLATE))

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


def chart(fig: go.Figure, *, key: str, on_click: Callable[[], None] | None = None) -> None:
    """Draw ``fig`` under ``key``; the next run's call with the same key updates that chart in place.

    ``on_click`` runs (as a widget callback) when the user clicks a point; see ``clicked``.
    """
    if _ASSETS is None:  # plotly without its bundled plotly.js: Streamlit's own chart
        select = {"selection_mode": "points", "on_select": on_click} if on_click else {}
        st.plotly_chart(fig, key=key, config={"displayModeBar": False}, **select)
        return
    data = {"spec": _spec(fig), "src": _script_url(), "clickable": on_click is not None}
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
