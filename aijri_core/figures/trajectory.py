"""Ordered scenarios (paths) over the zone bands, one small panel per path."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..methodology import DEFAULT, Methodology, Zone, zone_of
from ._base import _escape, _figure, _layout, _scale_range, _wrap, zone_bands
from .theme import GRID, MUTED, NO_LINE, PATH_COLOURS, ZONE_BAND_COLOURS, ZONE_COLOURS

if TYPE_CHECKING:  # plotly is imported by the builders, so importing this module stays cheap
    import plotly.graph_objects as go


#: Panels per row of the trajectory chart.
TRAJECTORY_COLUMNS = 3


def trajectory_figure(
    paths: Mapping[str, Sequence[tuple[str, float]]],
    methodology: Methodology = DEFAULT,
    baseline: float | None = None,
    title: str | None = None,
    row_height: int = 300,
) -> go.Figure:
    """Ordered scenarios as paths over the zone bands, one small panel per path.

    row_height: pixels of one row of panels, step labels included (the title, the legend and
    the margins come on top, so a shorter chart keeps its legend clear of the step labels).

    paths: trajectory name -> [(step label, published score), ...] in order. Every panel
    has its steps in order on x (their labels as ticks) and the same score range on y;
    each panel is named after its path (in full, over as many lines as it needs); markers are rings in the zone colour of the score
    (the legend says so); line colours are never zone colours.
    """
    m = methodology
    items = list(paths.items())
    all_scores = [s for _, pts in items for _, s in pts]
    if baseline is not None:
        all_scores.append(baseline)
    # Zoom on the paths (10 points of margin), within the scale unless a score leaves it.
    full_lo, full_hi = _scale_range(all_scores)
    lo = max(full_lo, min(all_scores, default=full_lo) - 10)
    hi = min(full_hi, max(all_scores, default=full_hi) + 10)
    n = max(len(items), 1)
    cols = min(n, TRAJECTORY_COLUMNS)
    rows = -(-n // cols)
    # Between rows: room for three lines of step labels and the next panel's name (about 85 px).
    gap_x, gap_y = 0.06, 85 / (row_height * rows)
    width = (1 - gap_x * (cols - 1)) / cols
    height = (1 - gap_y * (rows - 1)) / rows
    data: list[dict] = []
    shapes: list[dict] = []
    notes: list[dict] = []
    axes: dict = {}
    longest = max((len(pts) for _, pts in items), default=1)
    for i, (name, pts) in enumerate(items):
        r, c = divmod(i, cols)
        suffix = "" if i == 0 else str(i + 1)
        xref, yref = f"x{suffix}", f"y{suffix}"
        x0 = c * (width + gap_x)
        y1 = 1 - r * (height + gap_y)
        colour = PATH_COLOURS[i % len(PATH_COLOURS)]
        xs = list(range(len(pts)))
        scores = [float(s) for _, s in pts]
        zones = [zone_of(s, m) for s in scores]
        data.append({
            "type": "scatter", "x": xs, "y": scores, "name": name, "xaxis": xref, "yaxis": yref,
            "mode": "lines+markers+text", "line": {"color": colour, "width": 2.5}, "showlegend": False,
            "marker": {"size": 13, "color": "white", "line": {"color": [ZONE_COLOURS[z] for z in zones], "width": 3}},
            "text": [f"{s:.1f}" for s in scores], "textposition": "top center", "textfont": {"size": 11},
            "cliponaxis": False,
            "customdata": [[label, z.label] for (label, _), z in zip(pts, zones, strict=True)],
            "hovertemplate": f"{_escape(name)}<br>%{{customdata[0]}}: %{{y:.1f}} (%{{customdata[1]}})<extra></extra>",
        })
        # Step labels wrap to the room of one step (about 7 px per character of 11 px text).
        per_step = width * 900 / max(longest, 2) / 7
        wrap_width = int(min(max(per_step, 6), 24))
        axes[f"xaxis{suffix}"] = {
            "domain": [x0, x0 + width], "anchor": yref, "range": [-0.45, len(pts) - 1 + 0.45],
            "tickmode": "array", "tickvals": xs, "ticktext": [_wrap(label, wrap_width, 3) for label, _ in pts],
            "tickangle": 0, "tickfont": {"size": 11}, "showgrid": False, "zeroline": False, "automargin": True,
            "title": {"text": "step" if r == rows - 1 else "", "standoff": 4, "font": {"size": 11}},
        }
        axes[f"yaxis{suffix}"] = {
            "domain": [max(y1 - height, 0), y1], "anchor": xref, "range": [lo, hi], "gridcolor": GRID,
            "showticklabels": c == 0, "automargin": True,
            "title": {"text": "JobZone score" if c == 0 else "", "font": {"size": 11}},
        }
        dom_x = f"{xref} domain"
        for zone, a, b in zone_bands(m, lo, hi):
            shapes.append({"type": "rect", "xref": dom_x, "yref": yref, "x0": 0, "x1": 1, "y0": a, "y1": b,
                           "fillcolor": ZONE_BAND_COLOURS[zone], "line": NO_LINE, "layer": "below"})
        for value, zone in ((m.green_threshold, Zone.GREEN), (m.yellow_threshold, Zone.YELLOW)):
            if lo <= value <= hi:
                shapes.append({"type": "line", "xref": dom_x, "yref": yref, "x0": 0, "x1": 1, "y0": value,
                               "y1": value, "line": {"color": ZONE_COLOURS[zone], "width": 1.5, "dash": "dot"}})
        if baseline is not None:
            shapes.append({"type": "line", "xref": dom_x, "yref": yref, "x0": 0, "x1": 1, "y0": baseline,
                           "y1": baseline, "line": {"color": MUTED, "width": 1.2, "dash": "dash"}})
        notes.append({"x": x0, "xref": "paper", "y": y1, "yref": "paper", "yanchor": "bottom", "xanchor": "left",
                      "text": f"<b>{_wrap(name, max(int(width * 900 / 7), 20), 3)}</b>", "showarrow": False,
                      "font": {"size": 12, "color": colour}})
    # The legend explains the marker rings (the lines carry their own labels).
    for zone, text in ((Zone.GREEN, f"GREEN ({m.green_threshold:g}+)"),
                       (Zone.YELLOW, f"YELLOW ({m.yellow_threshold:g} to {m.green_threshold:g})"),
                       (Zone.RED, f"RED (below {m.yellow_threshold:g})")):
        data.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": text,
                     "marker": {"size": 12, "color": "white", "line": {"color": ZONE_COLOURS[zone], "width": 3}},
                     "hovertemplate": f"{text}<extra></extra>", "showlegend": True})
    legend_text = "ring = zone of the step's score; dotted lines: zone thresholds"
    if baseline is not None:
        legend_text += f"; dashed: baseline {baseline:.1f}"
    top, bottom = 100, 95
    plot_height = row_height * rows
    layout = _layout(
        title or "Trajectories over the zone bands", height=plot_height + top + bottom,
        subtitle=legend_text,
        showlegend=True,
        # Below the step labels and axis title of the last row (about 60 px).
        legend={"orientation": "h", "yanchor": "top", "y": -62 / plot_height, "x": 0, "font": {"size": 11}},
        shapes=shapes, annotations=notes, **axes,
    )
    layout["margin"].update(t=top, b=bottom, r=30, l=10)
    return _figure(data, layout)
