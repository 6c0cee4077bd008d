"""The figures' one look: the zone palette, the other colours and the fonts.

Every figure takes its colours from here, so a zone is the same colour in every chart of the
app, the report and the tests.
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
