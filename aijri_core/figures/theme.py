"""The figures' one look: the zone palette, the other colours and the fonts.

Every figure takes its colours from here, so a zone is the same colour in every chart of the
app, the report and the tests. ``TEMPLATE`` is the look of what a figure does not set itself
(axis text, grid, legend, hover labels, the title's font): Streamlit's light chart theme, as
far as these charts use it. Every figure carries it in its layout (``_base._layout``).
"""

from __future__ import annotations

from ..methodology import Zone

#: The one zone palette (solid colours for marks, lines and bars).
ZONE_COLOURS: dict[Zone, str] = {
    Zone.GREEN: "#2f9e5b",
    Zone.YELLOW: "#e3a919",
    Zone.RED: "#d1493f",
}
#: Light versions of the same colours for the background bands.
ZONE_BAND_COLOURS: dict[Zone, str] = {
    Zone.GREEN: "rgba(47, 158, 91, 0.16)",
    Zone.YELLOW: "rgba(227, 169, 25, 0.18)",
    Zone.RED: "rgba(209, 73, 63, 0.14)",
}
#: Stronger versions of the band colours for filled areas (zone map cells).
ZONE_FILL_COLOURS: dict[Zone, str] = {
    Zone.GREEN: "rgba(47, 158, 91, 0.50)",
    Zone.YELLOW: "rgba(227, 169, 25, 0.55)",
    Zone.RED: "rgba(209, 73, 63, 0.55)",
}
#: Neutral colours for marks that are not a zone (baseline, current value, lines).
INK = "#1f2933"
MUTED = "#6b7785"
ACCENT = "#2563eb"
GRID = "#e5e7eb"

FONT = {"family": "Inter, 'Source Sans Pro', Arial, sans-serif", "size": 13, "color": INK}
#: A white halo around value labels that can meet a threshold line: the line, drawn below the
#: bars and labels, never runs through the glyphs.
HALO = "1px 1px 1px white, -1px -1px 1px white, 1px -1px 1px white, -1px 1px 1px white, 0 0 3px white"
#: The light box behind annotations that can meet a line.
LABEL_BOX = {"bgcolor": "rgba(255, 255, 255, 0.85)", "borderpad": 1}
NO_LINE = {"width": 0}


def zone_colour(zone: Zone | str) -> str:
    """The solid colour of a zone (accepts a Zone or its text, any case)."""
    return ZONE_COLOURS[_as_zone(zone)]


def _as_zone(zone: Zone | str) -> Zone:
    if isinstance(zone, Zone):
        return zone
    return Zone(str(zone).capitalize())


#: Bars of totals that are not a change (start and end of an attribution).
TOTAL_GREY = "#8a94a3"


#: Line colours of trajectories: none of them is a zone colour (zones are bands and marker rings).
PATH_COLOURS = ("#1f2933", "#2563eb", "#7c3aed", "#0891b2", "#a21caf", "#475569")


#: Line colours of response curves (never the zone colours: the bands behind carry the zones).
CURVE_COLOURS = ("#2563eb", "#7c3aed", "#0f766e", "#9a3412", "#be185d", "#374151")


# What the template gives the parts a figure leaves unset (Streamlit's light chart theme).
_AXIS_TEXT = "#808495"
_AXIS_GRID = "#e6eaf1"
_UI_FONT = '"Source Sans", sans-serif'
#: The plotly template every figure carries.
TEMPLATE: dict = {
    "layout": {
        "colorway": ["#0068c9", "#83c9ff", "#ff2b2b", "#ffabab", "#29b09d", "#7defa1", "#ff8700", "#ffd16a",
                     "#6d3fc0", "#d5dae5"],
        "font": {"color": _AXIS_TEXT, "family": _UI_FONT, "size": 12, "weight": 400},
        "title": {"font": {"family": _UI_FONT, "size": 16, "color": "#2F2D2B", "weight": "bold"}, "pad": {"l": 4},
                  "xanchor": "left", "x": 0},
        "legend": {"title": {"font": {"size": 12, "color": _AXIS_TEXT}, "side": "top"}, "valign": "top",
                   "bordercolor": "rgba(0,0,0,0)", "borderwidth": 0, "font": {"size": 12, "color": "#262730"}},
        "paper_bgcolor": "#FFFFFF",
        "plot_bgcolor": "#FFFFFF",
        "margin": {"pad": 8, "r": 0, "l": 0},
        "hoverlabel": {"bgcolor": "#FFFFFF", "bordercolor": "#DCD8D4",
                       "font": {"color": _AXIS_TEXT, "family": _UI_FONT, "size": 12}},
        **{axis: {"zerolinecolor": _AXIS_GRID, "gridcolor": _AXIS_GRID, "tickcolor": _AXIS_GRID,
                  "ticklabelposition": "outside", "tickfont": {"color": _AXIS_TEXT, "size": 12},
                  "minor": {"gridcolor": _AXIS_GRID}, "automargin": True,
                  "title": {"font": {"color": _AXIS_TEXT, "size": 14}, "standoff": standoff}}
           for axis, standoff in (("xaxis", 20), ("yaxis", 24))},
    },
    "data": {
        "scatter": [{"marker": {"line": {"width": 0}}, "type": "scatter"}],
        "waterfall": [{"connector": {"line": {"color": _AXIS_TEXT, "width": 2}},
                       "decreasing": {"marker": {"color": "#ff2b2b"}}, "increasing": {"marker": {"color": "#29b09d"}},
                       "totals": {"marker": {"color": "#0068c9"}}, "type": "waterfall"}],
    },
}
