"""The Monte Carlo uncertainty: the score's distribution and the inputs that drive it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..methodology import DEFAULT, Methodology, Zone, zone_of
from ._base import _band_shapes, _escape, _figure, _layout, _line_label, _line_shape, _thresholds
from .theme import ACCENT, GRID, INK, MUTED, NO_LINE, zone_colour

if TYPE_CHECKING:  # plotly is imported by the builders, so importing this module stays cheap
    import plotly.graph_objects as go


def histogram_figure(result, methodology: Methodology = DEFAULT) -> go.Figure:
    """Distribution of the Monte Carlo scores, bins coloured by zone, thresholds and the current score drawn."""
    m = methodology
    edges = np.asarray(result.histogram_edges, dtype=float)
    counts = np.asarray(result.histogram_counts, dtype=float)
    total = counts.sum() or 1.0
    centres = (edges[:-1] + edges[1:]) / 2
    nonzero = np.nonzero(counts)[0]
    if len(nonzero):  # zoom on the bins that hold draws (the edges cover the whole scale)
        lo, hi = float(edges[nonzero[0]]), float(edges[nonzero[-1] + 1])
    else:
        lo, hi = float(edges[0]), float(edges[-1])
    base = float(result.base_score)
    lo, hi = min(lo, base), max(hi, base)
    pad = max(2.0, (hi - lo) * 0.08)
    x0, x1 = lo - pad, hi + pad
    data = [{
        "type": "bar", "x": centres, "y": counts / total * 100, "width": np.diff(edges),
        "marker": {"color": [zone_colour(zone_of(float(c), m)) for c in centres], "line": NO_LINE},
        "customdata": np.column_stack([edges[:-1], edges[1:], counts]),
        "hovertemplate": "score %{customdata[0]:.1f} to %{customdata[1]:.1f}<br>%{y:.2f}% of draws "
                         "(%{customdata[2]:,.0f})<extra></extra>",
    }]
    shapes, notes = _thresholds(m, "x", x0, x1, label=False)
    def side(x: float, preferred: str) -> str:  # keep labels inside the plot near its edges
        f = (x - x0) / (x1 - x0)
        return "right" if f < 0.15 else "left" if f > 0.85 else preferred

    for t, zone in ((m.green_threshold, Zone.GREEN), (m.yellow_threshold, Zone.YELLOW)):
        if x0 <= t <= x1:
            notes.append(_line_label(t, "x", f"{zone.label} from {t:g}", side=side(t, "left" if t <= base else "right")))
    shapes.append(_line_shape(base, "x", INK, width=2, dash="dash"))
    notes.append(_line_label(base, "x", f"current {base:.1f}",
                             side=side(base, "right" if base >= m.green_threshold else "left"), colour=INK))
    q = result.quantiles
    layout = _layout(
        f"Score if each rating may be off (p = {float(result.p):g}, {int(result.n):,} draws)",
        height=380,
        subtitle=f"Nine in ten draws score from {q[5]:.1f} to {q[95]:.1f}; bars are coloured by zone",
        bargap=0,
        shapes=_band_shapes(m, x0, x1) + shapes,
        annotations=notes,
        xaxis={"title": {"text": "JobZone score"}, "range": [x0, x1]},
        yaxis={"title": {"text": "share of draws (%)"}, "gridcolor": GRID},
    )
    layout["margin"]["t"] = 84
    return _figure(data, layout)


def importance_figure(importance: Sequence, top: int = 12) -> go.Figure:
    """Which inputs drive the uncertainty: rank correlation of each input with the score."""
    items = sorted(importance, key=lambda i: abs(float(i.rank_correlation)), reverse=True)[:top][::-1]
    corr = [float(i.rank_correlation) for i in items]
    data = [{
        "type": "bar", "orientation": "h", "y": [_escape(i.label) for i in items], "x": corr,
        "marker": {"color": [ACCENT if c >= 0 else MUTED for c in corr]},  # not the zone colours
        "text": [f"{c:+.2f}" for c in corr], "textposition": "outside", "cliponaxis": False,
        "hovertemplate": "%{y}<br>rank correlation with the score: %{x:+.3f}<extra></extra>",
    }]
    layout = _layout(
        "Inputs that drive the uncertainty",
        height=110 + 26 * max(len(items), 3),
        subtitle="Blue: a higher rating raises the score; grey: it lowers it",
        xaxis={"title": {"text": "rank correlation with the score (-1..+1)"}, "range": [-1.1, 1.1], "gridcolor": GRID,
               "zeroline": True, "zerolinecolor": MUTED},
        yaxis={"automargin": True, "tickfont": {"size": 11}},
    )
    return _figure(data, layout)
