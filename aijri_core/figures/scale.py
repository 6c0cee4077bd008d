"""The score on the 0-100 scale over the zone bands, with comparators."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..methodology import DEFAULT, Methodology, zone_of
from ._base import _band_shapes, _escape, _figure, _fixed_margins, _layout, _scale_range, _thresholds
from .theme import HALO, INK, LABEL_BOX, MUTED, ZONE_COLOURS, zone_colour

if TYPE_CHECKING:  # plotly is imported by the builders, so importing this module stays cheap
    import plotly.graph_objects as go


def _comparator_items(comparators) -> list[tuple[str, float]]:
    out = []
    for c in comparators:
        if isinstance(c, tuple | list):
            out.append((str(c[0]), float(c[1])))
        else:
            out.append((str(c.title), float(c.score)))
    return out


def score_scale_figure(
    score: float,
    baseline: float | None = None,
    comparators: Sequence = (),
    methodology: Methodology = DEFAULT,
    title: str | None = None,
    label: str = "This role",
    width: int | None = None,
) -> go.Figure:
    """The score on the 0-100 scale over the three zone bands.

    score / baseline: published scores; the baseline is drawn as a dashed line.
    comparators: other roles as (title, score) pairs or objects with ``.title``/``.score``;
    drawn as labelled dots on rows below the role. width: the figure's width in px when it
    is fixed (a printed page); comparator labels are laid out for it.
    """
    m = methodology
    items = _comparator_items(comparators)
    lo, hi = _scale_range([score, baseline, *[s for _, s in items]])
    data: list[dict] = []
    # Comparators: labelled dots on rows below the role; a label goes to the first row where
    # it does not overlap the previous label (about 0.62 score points per character).
    srt = sorted(items, key=lambda t: t[1])
    right_edges: list[float] = []
    ys = []
    # About 0.62 score points per character at a laptop width; a fixed width scales that
    # (a character of the 11 px labels is about 6.5 px wide; 30 px of margins).
    per_char = 0.62 if width is None else 6.5 * 100 / (width - 30)
    for t, sc in srt:
        half = (len(t) + 5) * per_char * (hi - lo) / 100 / 2
        row = next((i for i, edge in enumerate(right_edges) if edge < sc - half), None)
        if row is None:
            right_edges.append(sc + half)
            row = len(right_edges) - 1
        else:
            right_edges[row] = sc + half
        ys.append(-(row + 1))
    n_rows = len(right_edges)
    # Labels are annotations on a light box: the threshold and baseline lines pass behind them.
    label_notes = [{"x": sc, "y": y, "xref": "x", "yref": "y", "text": f"{_escape(t)} {sc:.1f}", "showarrow": False,
                    "yanchor": "top", "yshift": -7, "font": {"size": 11, "color": INK},
                    "bgcolor": "rgba(255, 255, 255, 0.85)", "borderpad": 1}
                   for (t, sc), y in zip(srt, ys, strict=True)]
    if items:
        data.append({
            "type": "scatter", "x": [sc for _, sc in srt], "y": ys, "mode": "markers",
            "marker": {"size": 9, "color": [zone_colour(zone_of(sc, m)) for _, sc in srt],
                       "line": {"color": "white", "width": 1}},
            "customdata": [[_escape(t), zone_of(sc, m).label] for t, sc in srt],
            "hovertemplate": "%{customdata[0]}: %{x:.1f} (%{customdata[1]})<extra>published</extra>",
            "name": "Other roles (published)",
        })
    notes = []
    if baseline is not None:
        data.append({
            "type": "scatter", "x": [baseline, baseline], "y": [-0.9 - n_rows, 0.7], "mode": "lines",
            "line": {"color": MUTED, "width": 2, "dash": "dash"}, "name": f"Baseline {baseline:.1f}",
            "hovertemplate": f"Baseline: {baseline:.1f} ({zone_of(baseline, m).label})<extra></extra>",
        })
        notes.append({"x": baseline, "y": 0.75, "text": f"baseline {baseline:.1f}", "showarrow": False,
                      "yanchor": "bottom", "xanchor": "right" if baseline >= score else "left",
                      "font": {"size": 11, "color": MUTED}, **LABEL_BOX})
    z = zone_of(score, m)
    data.append({
        "type": "scatter", "x": [score], "y": [0], "mode": "markers+text",
        "marker": {"symbol": "diamond", "size": 18, "color": ZONE_COLOURS[z], "line": {"color": INK, "width": 1.5}},
        "text": [f"<b>{score:.1f}</b>"], "textposition": "middle right" if items else "bottom center",
        "textfont": {"size": 14, "color": INK, "shadow": HALO}, "name": _escape(label),
        "hovertemplate": f"{_escape(label)}: {score:.1f} ({z.label})<extra></extra>",
    })
    shapes, labels = _thresholds(m, "x", lo, hi)
    for shape in shapes:
        shape["layer"] = "below"  # behind the role's mark and the labels
    layout = _layout(
        title or f"{label} on the 0-100 scale: {score:.1f} ({z.label})",
        height=184 + 34 * n_rows,
        shapes=_band_shapes(m, lo, hi) + shapes,
        annotations=labels + notes + label_notes,
        xaxis={"range": [lo, hi], "title": {"text": "JobZone score (0-100, higher = more resistant to AI)"},
               "showgrid": False, "zeroline": False, "dtick": 10},
        yaxis={"range": [-1.0 - n_rows, 1.3], "visible": False, "fixedrange": True},
    )
    _fixed_margins(layout, t=60, l=16, r=26, b=62)  # the ticks (the last one overhangs) and the x title
    if width is not None:
        layout["width"] = width
    return _figure(data, layout)
