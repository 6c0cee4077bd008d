"""How the score is built: the composite's steps as a waterfall."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..methodology import Zone
from ..scoring import Breakdown
from ._base import _band_shapes, _figure, _fixed_margins, _layout, _signed, _thresholds
from .theme import GRID, HALO, INK, MUTED, ZONE_COLOURS, zone_colour

if TYPE_CHECKING:  # plotly is imported by the builders, so importing this module stays cheap
    import plotly.graph_objects as go


def composite_steps(b: Breakdown) -> list[dict]:
    """The composite's steps (``Breakdown.steps``, score points) with the text a chart shows."""
    tr, ev, ba, gr, total = b.steps
    details = [
        f"TR = {b.task_resistance_ceiling:g} - {b.weighted_task_score:.2f} = {b.task_resistance:.2f}",
        f"E = {b.evidence.total:+d}, x {b.evidence.modifier:.2f}",
        f"B = {b.barriers.total:d}, x {b.barriers.modifier:.2f}",
        f"G = {b.growth.total:+d}, x {b.growth.modifier:.2f}",
        f"normalised: ({b.raw:.4f} - {b.normalisation_offset:g}) / {b.normalisation_span:g} x 100",
    ]
    labels = ["Task resistance", "x evidence", "x barriers", "x growth", "Score"]
    return [
        {"label": label, "detail": detail, "measure": step.measure, "value": step.points, "raw": step.raw}
        for label, detail, step in zip(labels, details, b.steps, strict=True)
    ]


def composite_waterfall(b: Breakdown) -> go.Figure:
    """The composite as a waterfall in score points: TR -> x evidence -> x barriers -> x growth -> score."""
    steps = composite_steps(b)
    labels = [
        f"Task resistance<br>{b.task_resistance:.2f}",
        f"x evidence<br>{b.evidence.modifier:.2f} (E {b.evidence.total:+d})",
        f"x barriers<br>{b.barriers.modifier:.2f} (B {b.barriers.total:d})",
        f"x growth<br>{b.growth.modifier:.2f} (G {b.growth.total:+d})",
        f"Score<br>raw {b.raw:.4f}",
    ]
    values = [st["value"] for st in steps]
    texts = [f"{values[0]:.1f}", _signed(values[1]), _signed(values[2]), _signed(values[3]), f"<b>{b.score:.{b.decimals}f}</b>"]
    running = np.cumsum(values[:4])
    top = max(float(running.max()), b.score_unclamped, b.green_threshold) + 8
    bottom = min(0.0, float(running.min()) - 5)
    data = [{
        "type": "waterfall", "x": labels, "y": values, "measure": [st["measure"] for st in steps],
        # Tall bars carry their value inside, at the end (a threshold line passes behind the bar, not
        # through the text); short ones above/below their end, on a halo.
        "text": texts, "textposition": ["inside" if abs(v) >= 6 else "outside" for v in values],
        "insidetextanchor": "end", "insidetextfont": {"size": 12, "color": INK},
        "outsidetextfont": {"size": 12, "shadow": HALO},
        "customdata": [[st["detail"], st["raw"]] for st in steps],
        "hovertemplate": "%{x}<br>%{customdata[0]}<br>running raw value %{customdata[1]:.4f}"
                         "<br>score points: %{y:.2f}<extra></extra>",
        "connector": {"line": {"color": MUTED, "width": 1, "dash": "dot"}},
        "increasing": {"marker": {"color": ZONE_COLOURS[Zone.GREEN]}},
        "decreasing": {"marker": {"color": ZONE_COLOURS[Zone.RED]}},
        "totals": {"marker": {"color": zone_colour(b.zone)}},
    }]
    shapes, notes = _thresholds(b, "y", bottom, top, label=False)  # labels would hide behind the bars
    for shape in shapes:
        shape["layer"] = "below"  # behind the bars and their value labels
    clamp_note = f"; the formula gives {b.score_unclamped:.2f}, capped to {b.score:.{b.decimals}f}" if b.clamped else ""
    layout = _layout(
        f"How the score is built, in score points{clamp_note}",
        height=360,
        subtitle=f"Dotted lines: GREEN from {b.green_threshold:g}, YELLOW from {b.yellow_threshold:g}",
        shapes=_band_shapes(b, bottom, top, axis="y") + shapes,
        annotations=notes,
        yaxis={"title": {"text": "score points"}, "range": [bottom, top], "gridcolor": GRID},
        xaxis={"tickfont": {"size": 11}},
    )
    _fixed_margins(layout, l=76, b=54)  # the y title and its ticks; the step names
    return _figure(data, layout)
