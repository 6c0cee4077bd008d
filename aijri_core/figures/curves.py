"""The response curves: the score as each chosen input moves over its whole range."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..methodology import DEFAULT, SCALE_MAX, SCALE_MIN, Methodology
from ._base import _band_shapes, _escape, _figure, _knob_value_text, _layout, _thresholds, short_label
from .theme import CURVE_COLOURS, GRID, INK, zone_colour

if TYPE_CHECKING:  # plotly is imported by the builders, so importing this module stays cheap
    import plotly.graph_objects as go


def response_curves_figure(result, knob_ids: Sequence[str], break_even=None, current_score: float | None = None,
                           methodology: Methodology = DEFAULT) -> go.Figure:
    """Each chosen input's full response curve over its range, on the zone bands.

    ``result``: a SpiderResult of the current inputs; ``knob_ids``: the inputs to draw (up to
    six, in order). x is each input's place in its own range (its lowest value at 0 %, its
    highest at 100 %), so inputs of different scales share one axis; the hover gives the
    input's own values. Marked: the current value (ring) and, from ``break_even`` (a
    BreakEvenResult of the same inputs), the value at which the zone first changes (diamond,
    in the colour of the zone it reaches).
    """
    m = methodology
    by_knob: dict[str, list] = {}
    for p in result.rows:
        by_knob.setdefault(p.knob_id, []).append(p)
    flips: dict[str, list] = {}
    for r in getattr(break_even, "rows", ()) or ():
        if r.reachable and r.value is not None:
            flips.setdefault(r.knob_id, []).append(r)
    data, scores = [], []
    for i, kid in enumerate([k for k in knob_ids if k in by_knob][:len(CURVE_COLOURS)]):
        pts = sorted(by_knob[kid], key=lambda p: p.value)
        lo_v, hi_v = float(pts[0].value), float(pts[-1].value)
        span = (hi_v - lo_v) or 1.0

        def pos(v: float, lo_v: float = lo_v, span: float = span) -> float:
            return (float(v) - lo_v) / span * 100

        colour, name = CURVE_COLOURS[i], _escape(short_label(pts[0].label, 34))
        ys = [float(p.score) for p in pts]
        scores += ys
        data.append({
            "type": "scatter", "mode": "lines+markers", "x": [pos(p.value) for p in pts], "y": ys, "name": name,
            "legendgroup": kid, "line": {"color": colour, "width": 2}, "marker": {"size": 5, "color": colour},
            "customdata": [_knob_value_text(p.value) for p in pts],
            "hovertemplate": f"{_escape(pts[0].label)}<br>at %{{customdata}}: score %{{y:.1f}}<extra></extra>",
        })
        now = [p for p in pts if p.is_base]
        if now:
            data.append({
                "type": "scatter", "mode": "markers", "x": [pos(now[0].value)], "y": [float(now[0].score)],
                "legendgroup": kid, "showlegend": False, "name": f"{name}: now",
                "marker": {"size": 13, "color": "white", "line": {"color": colour, "width": 3}},
                "hovertemplate": f"{_escape(pts[0].label)}<br>now {_knob_value_text(now[0].value)}: "
                                 "score %{y:.1f}<extra></extra>",
            })
        rows = flips.get(kid, [])
        if rows:
            scores += [float(r.score) for r in rows]
            data.append({
                "type": "scatter", "mode": "markers", "x": [pos(r.value) for r in rows],
                "y": [float(r.score) for r in rows], "legendgroup": kid, "showlegend": False,
                "name": f"{name}: zone changes",
                "marker": {"size": 12, "symbol": "diamond", "color": [zone_colour(r.zone) for r in rows],
                           "line": {"color": INK, "width": 1.5}},
                "customdata": [[_knob_value_text(r.value), r.zone.label] for r in rows],
                "hovertemplate": f"{_escape(pts[0].label)}<br>at %{{customdata[0]}} the zone becomes "
                                 "%{customdata[1]} (score %{y:.1f})<extra></extra>",
            })
    if current_score is not None:
        scores.append(float(current_score))
    lo, hi = (min(scores), max(scores)) if scores else (SCALE_MIN, SCALE_MAX)
    pad = max(2.0, (hi - lo) * 0.08)
    y0, y1 = lo - pad, hi + pad
    shapes, notes = _thresholds(m, "y", y0, y1)
    for note in notes:  # the threshold names sit above their line at the right, clear of the curves' start
        note.update({"x": 1, "xanchor": "right", "yshift": 1})
    layout = _layout(
        "How the score responds to each input over its whole range",
        height=430,
        subtitle="Ring: the input's current value; diamond: where the zone changes (in the colour it changes to)",
        showlegend=True,
        legend={"orientation": "h", "y": -0.22, "x": 0, "font": {"size": 11}},
        shapes=_band_shapes(m, y0, y1, axis="y") + shapes,
        annotations=notes,
        xaxis={"title": {"text": "each input from its lowest (0 %) to its highest value (100 %)"},
               "range": [-3, 103], "ticksuffix": " %", "gridcolor": GRID, "zeroline": False},
        yaxis={"title": {"text": "JobZone score"}, "range": [y0, y1], "gridcolor": GRID},
    )
    layout["margin"].update(b=120)
    return _figure(data, layout)
