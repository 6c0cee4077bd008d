"""The board of a library: every role's distance to its nearest zone line against P(zone holds)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..methodology import DEFAULT, Methodology, Zone
from ._base import _escape, _figure, _layout, _line_shape, _list
from .theme import GRID, INK, MUTED, NO_LINE, ZONE_COLOURS

if TYPE_CHECKING:  # plotly is imported by the builders, so importing this module stays cheap
    import plotly.graph_objects as go


def board_figure(board, methodology: Methodology = DEFAULT) -> go.Figure:
    """Every role of a board: signed distance to the nearest zone line (x) against P(zone holds)
    (y), one colour per zone, the borderline band shaded. Each point's id is the row's source, so a
    click names the role."""
    m = methodology
    rows = list(board.rows)
    b = float(board.settings.borderline)
    data = []
    for zone in (Zone.GREEN, Zone.YELLOW, Zone.RED):
        mine = [r for r in rows if r.zone is zone]
        if not mine:
            continue
        data.append({
            "type": "scatter", "mode": "markers", "name": zone.label,
            "x": _list(r.distance for r in mine), "y": _list(r.p_zone_holds * 100 for r in mine),
            "ids": [r.source for r in mine],
            "marker": {"color": ZONE_COLOURS[zone], "size": 11, "opacity": 0.85,
                       "line": {"color": INK, "width": [1.5 if r.borderline else 0 for r in mine]}},
            "customdata": [[_escape(r.title), f"{r.score:.{m.decimals}f}", _escape(r.easiest_flip.text(m.decimals))
                            if r.easiest_flip else "no single input changes the zone"] for r in mine],
            "hovertemplate": "%{customdata[0]}<br>score %{customdata[1]}, %{x:+." + str(m.decimals) + "f} from the "
                             "nearest line<br>zone holds in %{y:.0f}% of draws<br>easiest flip: %{customdata[2]}"
                             "<extra></extra>",
        })
    xs = [abs(r.distance) for r in rows] or [1.0]
    reach = max(max(xs), b) * 1.1 + 1.0
    shapes = [
        {"type": "rect", "xref": "x", "yref": "paper", "x0": -b, "x1": b, "y0": 0, "y1": 1,
         "fillcolor": "rgba(107, 119, 133, 0.12)", "line": NO_LINE, "layer": "below"},
        _line_shape(0.0, "x", MUTED),
    ]
    layout = _layout(
        "How close each role is to changing zone",
        height=420,
        subtitle=f"Left of 0: below its nearest zone line; shaded: within {b:g} points (borderline). "
                 "Click a point to open the role.",
        shapes=shapes,
        showlegend=True,
        legend={"orientation": "h", "y": -0.18},
        xaxis={"title": {"text": "distance to the nearest zone line (score points)"}, "range": [-reach, reach],
               "zeroline": False, "gridcolor": GRID},
        yaxis={"title": {"text": "P(zone holds), % of draws"}, "range": [-5, 105], "gridcolor": GRID},
    )
    return _figure(data, layout)
