"""Where a scenario's change comes from: the Shapley attribution as a waterfall."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..methodology import DEFAULT, SCALE_MIN, Methodology, Zone
from ._base import _band_shapes, _escape, _figure, _layout, _signed, _thresholds, _wrap, short_label
from .theme import GRID, MUTED, TOTAL_GREY, ZONE_COLOURS

if TYPE_CHECKING:  # plotly is imported by the builders, so importing this module stays cheap
    import plotly.graph_objects as go


def attribution_waterfall(attribution, title: str | None = None, by: str = "groups",
                          methodology: Methodology = DEFAULT) -> go.Figure:
    """Shapley attribution as a waterfall: baseline -> each part's contribution -> scenario.

    Uses the unclamped scores (the parts sum to exactly that change); the published scores
    are in the labels. ``by`` = "groups" or "knobs" (falls back to groups when absent).
    The score axis is zoomed on the change (the two total bars run off its bottom), over
    the zone bands; parts that contribute nothing are labelled "0".
    """
    m = methodology
    parts = list(getattr(attribution, by) or attribution.groups)
    base = float(attribution.base_score)
    end = float(attribution.scenario_score)
    names: list[str] = []
    for p in parts:  # categories must stay distinct after shortening
        name = _wrap(short_label(p.label, 34), 14, 4)
        names.append(name if name not in names else f"{name} ({len(names) + 1})")
    x = [f"Baseline<br>{attribution.base_published:.1f}"] + names + [
        f"Scenario<br>{attribution.scenario_published:.1f}"
    ]
    contributions = [float(p.contribution) for p in parts]
    y = [base] + contributions + [end]
    running = np.cumsum([base, *contributions])
    lo, hi = float(min(running.min(), end)), float(max(running.max(), end))
    pad = max(3.0, (hi - lo) * 0.35)
    y0, y1 = max(lo - pad, min(SCALE_MIN, lo)), hi + pad
    data = [{
        "type": "waterfall", "x": x, "y": y, "measure": ["absolute"] + ["relative"] * len(parts) + ["total"],
        "text": [f"{base:.1f}"] + [_signed(c, 2) if abs(c) >= 0.005 else "0" for c in contributions] + [f"{end:.1f}"],
        "textposition": "outside", "cliponaxis": False,
        "customdata": ["baseline"] + [_escape(p.label) for p in parts] + ["scenario"],
        "hovertemplate": "%{customdata}: %{y:.3f} score points<extra></extra>",
        "connector": {"line": {"color": MUTED, "width": 1, "dash": "dot"}},
        "increasing": {"marker": {"color": ZONE_COLOURS[Zone.GREEN]}},
        "decreasing": {"marker": {"color": ZONE_COLOURS[Zone.RED]}},
        "totals": {"marker": {"color": TOTAL_GREY}},
    }]
    shapes, _ = _thresholds(m, "y", y0, y1, label=False)
    shown = [f"{zone.label} from {t:g}" for t, zone in ((m.green_threshold, Zone.GREEN),
                                                       (m.yellow_threshold, Zone.YELLOW)) if y0 <= t <= y1]
    layout = _layout(
        title or f"From {attribution.base_published:.1f} to {attribution.scenario_published:.1f}: "
        f"{_signed(float(attribution.change), 2)} points",
        height=400,
        subtitle="Shapley shares: each part's average effect over every order of the changes"
                 + (f"<br>Axis zoomed on the change; dotted: {', '.join(shown)}" if shown
                    else "<br>Axis zoomed on the change"),
        shapes=_band_shapes(m, y0, y1, axis="y") + shapes,
        yaxis={"title": {"text": "JobZone score (before capping)"}, "gridcolor": GRID, "range": [y0, y1]},
        xaxis={"tickfont": {"size": 11}, "tickangle": 0, "automargin": True},
    )
    layout["margin"]["t"] = 90
    return _figure(data, layout)
