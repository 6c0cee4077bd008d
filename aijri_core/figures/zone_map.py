"""The zone map: zones over task resistance and evidence, the role marked."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..methodology import DEFAULT, Methodology, Zone
from ..model import span_text
from ._base import _figure, _fixed_margins, _layout
from .theme import INK, NO_LINE, ZONE_COLOURS, ZONE_FILL_COLOURS, _as_zone

if TYPE_CHECKING:  # plotly is imported by the builders, so importing this module stays cheap
    import plotly.graph_objects as go


def zone_map_figure(result, methodology: Methodology = DEFAULT) -> go.Figure:
    """Zones over task resistance (x) and evidence total (y), at the role's barriers and growth.

    The zones are filled areas bounded by the task resistance each threshold needs at each
    evidence total (a few dozen points instead of a cell grid: the browser redraws this
    chart on every slider move); the role is the marked point.
    """
    m = methodology
    tr = np.asarray(result.task_resistance, dtype=float)
    ev = np.asarray(result.evidence_total, dtype=float)
    codes = np.asarray(result.zone_code)
    tr_min, tr_max = float(tr.min()), float(tr.max())

    def edge(threshold: float, code: int) -> np.ndarray:
        """Per evidence row: the TR where the zone ``code`` (or better) starts."""
        needed = np.asarray(result.boundaries.get(float(threshold), np.full(len(ev), np.nan)), dtype=float)
        everywhere = codes[:, 0] >= code  # already reached at the lowest TR
        return np.where(np.isfinite(needed), needed, np.where(everywhere, tr_min, tr_max))

    x_yellow = edge(m.yellow_threshold, 1)
    x_green = np.maximum(edge(m.green_threshold, 2), x_yellow)
    # Rows are whole evidence totals; the areas reach half a row beyond the first and last.
    ys = np.concatenate([[ev[0] - 0.5], ev, [ev[-1] + 0.5]])

    def pad(x: np.ndarray) -> np.ndarray:
        return np.concatenate([[x[0]], x, [x[-1]]])

    xy, xg = pad(x_yellow), pad(x_green)
    left, right = np.full(len(ys), tr_min), np.full(len(ys), tr_max)
    data: list[dict] = []
    for zone, x_from, x_to in ((Zone.RED, left, xy), (Zone.YELLOW, xy, xg), (Zone.GREEN, xg, right)):
        data.append({
            "type": "scatter", "x": np.concatenate([x_from, x_to[::-1]]), "y": np.concatenate([ys, ys[::-1]]),
            "mode": "lines", "fill": "toself", "fillcolor": ZONE_FILL_COLOURS[zone], "line": NO_LINE,
            "name": zone.label, "hoveron": "fills", "hovertemplate": f"{zone.label}<extra></extra>",
            "showlegend": False,
        })
    for threshold, line_x in sorted(result.boundaries.items(), reverse=True):
        zone = Zone.GREEN if float(threshold) == float(m.green_threshold) else Zone.YELLOW
        data.append({
            "type": "scatter", "x": np.asarray(line_x, dtype=float), "y": ev, "mode": "lines",
            "line": {"color": ZONE_COLOURS[zone], "width": 2.5},
            "name": f"{zone.label} line ({float(threshold):g})",
            "hovertemplate": f"score {float(threshold):g} boundary<br>evidence %{{y:+.0f}} needs TR %{{x:.2f}}"
                             "<extra></extra>",
        })
    rz = _as_zone(result.role_zone)
    rt, re_, rs = float(result.role_task_resistance), float(result.role_evidence_total), float(result.role_score)
    data.append({
        "type": "scatter", "x": [rt], "y": [re_], "mode": "markers+text",
        "marker": {"symbol": "diamond", "size": 16, "color": ZONE_COLOURS[rz], "line": {"color": INK, "width": 2}},
        "text": [f"this role {rs:.1f}"], "textposition": "top center", "textfont": {"color": INK, "size": 12},
        "name": "this role",
        "hovertemplate": f"this role: TR {rt:.2f}, evidence {re_:+.0f}<br>score {rs:.1f} ({rz.label})<extra></extra>",
    })
    layout = _layout(
        "Zone map: task resistance x evidence",
        height=470,
        subtitle=f"At barriers B = {float(result.barrier_total):g} and growth G = {float(result.growth_correlation):+g}",
        showlegend=True,
        legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0, "font": {"size": 11}},
        xaxis={"title": {"text": f"task resistance TR ({span_text(tr_min, tr_max, '-')})"}, "range": [tr_min, tr_max]},
        yaxis={"title": {"text": "evidence total E"}, "range": [float(ev.min()) - 0.5, float(ev.max()) + 0.5],
               "dtick": 2},
    )
    _fixed_margins(layout, l=80, b=140)  # the y title and ticks; the x title and the legend's rows
    return _figure(data, layout)
