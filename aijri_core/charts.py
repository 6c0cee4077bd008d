"""Plotly figure builders: results in, ``go.Figure`` out. No streamlit here.

Every chart of the app (and of the HTML report) comes from this module, so the zone
colours, titles, axis labels and hover texts are the same everywhere. The builders read
the thresholds and constants from a :class:`Methodology`; they never repeat them.

The figures are assembled as plain plotly JSON and wrapped in ``go.Figure`` without
plotly's per-property validation: building a validated figure costs 30-90 ms, which is
most of a slider move. The tests validate every builder's output with plotly instead
(``go.Figure(fig.to_dict())``), so a misspelt property still fails loudly there.

The analysis results (tornado, zone map, Monte Carlo, attribution, spider) are read by
attribute name only, so this module does not import the analysis modules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np

from .methodology import DEFAULT, SCALE_MAX, SCALE_MIN, Methodology, Zone, zone_of
from .scoring import Breakdown

if TYPE_CHECKING:  # plotly is imported by the builders, so importing this module stays cheap
    import plotly.graph_objects as go

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


def _list(values) -> list:
    """Plain floats for the JSON (numpy scalars and arrays included)."""
    return [None if v is None else float(v) for v in values]


def _figure(data: list[dict], layout: dict) -> go.Figure:
    import plotly.graph_objects as go

    return go.Figure({"data": data, "layout": layout}, _validate=False)


def _layout(title: str, height: int, subtitle: str | None = None, **kw) -> dict:
    # A title is plain text (it may hold a role's or a path's name); a subtitle may hold <br>.
    title_spec: dict = {"text": _escape(title), "x": 0, "xanchor": "left", "font": {"size": 15}}
    if subtitle:
        title_spec["subtitle"] = {"text": subtitle, "font": {"size": 12, "color": MUTED}}
    layout = {
        "title": title_spec,
        "height": height,
        "margin": {"l": 10, "r": 20, "t": 70 if subtitle else 48, "b": 40},
        "font": FONT,
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "hoverlabel": {"font": {"size": 13}},
        "showlegend": False,
        "shapes": [],
        "annotations": [],
    }
    layout.update(kw)
    return layout


def _fixed_margins(layout: dict, **margin: int) -> dict:
    """Set the margins and keep them: the x and y axes do not grow them (no automargin).

    With automargin, plotly measures every tick label and, when a label does not fit, lays the
    chart out a second time; the Explorer redraws its charts on every slider move, so its charts
    size their margins for their labels instead (checked in the browser tests: every tick and
    title stays inside its chart). A legend may still push a margin (margin.autoexpand).
    """
    layout["margin"].update(margin)
    for axis in ("xaxis", "yaxis"):
        layout.setdefault(axis, {})["automargin"] = False
    return layout


def _signed(value: float, decimals: int = 1) -> str:
    return f"{value:+.{decimals}f}"


class ZoneLines(Protocol):
    """What draws the zone bands and lines: a Methodology, or a Breakdown (which carries its lines)."""

    green_threshold: float
    yellow_threshold: float


def zone_bands(methodology: ZoneLines = DEFAULT, lo: float = SCALE_MIN, hi: float = SCALE_MAX):
    """(zone, start, end) of each zone band on the score scale, low to high."""
    m = methodology
    edges = [lo, m.yellow_threshold, m.green_threshold, hi]
    out = []
    for zone, a, b in zip((Zone.RED, Zone.YELLOW, Zone.GREEN), edges[:-1], edges[1:], strict=True):
        a2, b2 = max(a, lo), min(b, hi)
        if b2 > a2:
            out.append((zone, a2, b2))
    return out


def _band_shapes(m: ZoneLines, lo: float, hi: float, axis: str = "x") -> list[dict]:
    """Zone bands across the plot: vertical (scores on x) or horizontal (scores on y)."""
    shapes = []
    for zone, a, b in zone_bands(m, lo, hi):
        if axis == "x":
            pos = {"xref": "x", "yref": "paper", "x0": a, "x1": b, "y0": 0, "y1": 1}
        else:
            pos = {"xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": a, "y1": b}
        shapes.append({"type": "rect", **pos, "fillcolor": ZONE_BAND_COLOURS[zone], "line": NO_LINE, "layer": "below"})
    return shapes


def _line_shape(value: float, axis: str, colour: str, width: float = 1.5, dash: str = "dot") -> dict:
    if axis == "x":
        pos = {"xref": "x", "yref": "paper", "x0": value, "x1": value, "y0": 0, "y1": 1}
    else:
        pos = {"xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": value, "y1": value}
    return {"type": "line", **pos, "line": {"color": colour, "width": width, "dash": dash}}


def _line_label(value: float, axis: str, text: str, side: str = "centre", colour: str = MUTED) -> dict:
    """A label just outside the plot area at a threshold line (top for x lines, right for y lines)."""
    if axis == "x":
        xanchor = {"centre": "center", "left": "right", "right": "left"}[side]
        return {"x": value, "xref": "x", "y": 1, "yref": "paper", "text": text, "showarrow": False,
                "yanchor": "bottom", "xanchor": xanchor, "font": {"size": 11, "color": colour}}
    return {"x": 0, "xref": "paper", "y": value, "yref": "y", "text": text, "showarrow": False,
            "yanchor": "bottom", "xanchor": "left", "font": {"size": 11, "color": colour}}


def _thresholds(m: ZoneLines, axis: str, lo: float, hi: float, label: bool = True) -> tuple[list, list]:
    """Dotted threshold lines (and their labels) that fall inside lo..hi."""
    shapes, notes = [], []
    for value, zone in ((m.green_threshold, Zone.GREEN), (m.yellow_threshold, Zone.YELLOW)):
        if lo <= value <= hi:
            shapes.append(_line_shape(value, axis, ZONE_COLOURS[zone]))
            if label:
                notes.append(_line_label(value, axis, f"{zone.label} from {value:g}"))
    return shapes, notes


def _scale_range(values: Iterable[float | None]) -> tuple[float, float]:
    """0..100, widened when an unclamped score falls outside the scale."""
    vals = [float(v) for v in values if v is not None and np.isfinite(v)]
    lo = min([SCALE_MIN, *vals])
    hi = max([SCALE_MAX, *vals])
    pad = 0 if (lo == SCALE_MIN and hi == SCALE_MAX) else 3
    return lo - pad, hi + pad


def _comparator_items(comparators) -> list[tuple[str, float]]:
    out = []
    for c in comparators:
        if isinstance(c, tuple | list):
            out.append((str(c[0]), float(c[1])))
        else:
            out.append((str(c.title), float(c.score)))
    return out


# ---------------------------------------------------------------- score scale


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


# ---------------------------------------------------------------- composite waterfall


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


# ---------------------------------------------------------------- tornado


def _knob_value_text(value: float | None) -> str:
    if value is None:
        return "-"
    v = float(value)
    return f"{v:g}" if v.is_integer() else f"{v:.1f}"


#: Rows the Explorer's tornado shows by default (the largest swings); the rest on request.
TORNADO_TOP_ROWS = 15


def short_label(label: str, width: int = 40) -> str:
    """A tick label of at most ``width`` characters: long task names are cut, the ": score"
    / ": time %" part is kept (the full label stays in the hover text)."""
    if len(label) <= width:
        return label
    name, sep, part = label.rpartition(": ")
    if not sep or len(part) > width // 2:
        return label[: width - 1].rstrip() + "\u2026"
    keep = max(width - len(part) - 3, 4)
    return name[:keep].rstrip() + "\u2026: " + part


def _tornado_texts(rows, base: float) -> tuple[list[str], list[str]]:
    """End labels of the low and high bars, so that no two labels of a row overlap.

    An end gets a label only when it differs from the current score (an input that cannot
    move further, e.g. a barrier at 0, draws no label). When both ends lie on the same side
    of the current score the nearer bar is hidden under the farther one, so only the
    farther end is labelled.
    """
    low_texts, high_texts = [], []
    for r in rows:
        texts = {}
        for end in ("low", "high"):
            sc = float(getattr(r, f"score_{end}"))
            moved = getattr(r, f"{end}_value") != r.base_value
            if not moved or abs(sc - base) < 1e-9:
                texts[end] = ""
                continue
            texts[end] = f"{sc:.1f}"  # the zone shows in the bar's colour and outline (and the hover)
        d_low, d_high = float(r.score_low) - base, float(r.score_high) - base
        if texts["low"] and texts["high"] and d_low * d_high > 0:  # same side: keep the farther end
            texts["low" if abs(d_low) < abs(d_high) else "high"] = ""
        low_texts.append(texts["low"])
        high_texts.append(texts["high"])
    return low_texts, high_texts


def tornado_figure(result, methodology: Methodology = DEFAULT, max_rows: int | None = None) -> go.Figure:
    """Tornado: one row per knob, bars from the current score to the score at each end.

    ``result`` is a ``TornadoResult`` (rows sorted by swing, largest first); ``max_rows``
    keeps the largest swings only. Bars are coloured by the zone they end in; bars that
    change the zone get a dark outline (the hover names the zone). Bar ends:
    ``base + x`` = score_low / score_high exactly.
    """
    m = methodology
    all_rows = list(result.rows)
    rows = all_rows[: max_rows or None]
    rows_top_first = rows[::-1]  # plotly draws the first category at the bottom
    base = float(result.base_score)
    labels = [r.label for r in rows_top_first]
    low_texts, high_texts = _tornado_texts(rows_top_first, base)
    data = []
    for end, texts in (("low", low_texts), ("high", high_texts)):
        scores = [float(getattr(r, f"score_{end}")) for r in rows_top_first]
        zones = [_as_zone(getattr(r, f"zone_{end}")) for r in rows_top_first]
        crosses = [bool(getattr(r, f"crosses_{end}")) for r in rows_top_first]
        values = [getattr(r, f"{end}_value") for r in rows_top_first]
        data.append({
            "type": "bar", "orientation": "h", "y": labels, "x": [sc - base for sc in scores],
            "base": [base] * len(rows_top_first), "name": "input lowered" if end == "low" else "input raised",
            "marker": {
                "color": [ZONE_COLOURS[z] for z in zones],
                "line": {"color": [INK if c else "rgba(0,0,0,0)" for c in crosses],
                         "width": [2.5 if c else 0 for c in crosses]},
            },
            "text": texts, "textposition": "outside", "textfont": {"size": 11, "shadow": HALO}, "cliponaxis": False,
            "customdata": [
                [_knob_value_text(r.base_value), _knob_value_text(v), sc, z.label, "crosses a zone threshold" if c else ""]
                for r, v, sc, z, c in zip(rows_top_first, values, scores, zones, crosses, strict=True)
            ],
            "hovertemplate": "%{y}<br>%{customdata[0]} -> %{customdata[1]}: score %{customdata[2]:.1f} "
                             "(%{customdata[3]})<br>%{customdata[4]}<extra></extra>",
        })
    all_scores = [base] + [float(r.score_low) for r in rows] + [float(r.score_high) for r in rows]
    lo, hi = min(all_scores), max(all_scores)
    # Room for the end labels ("45.1") on each side of the bars, inside the plot: each side
    # gets the share of the plot its longest label needs (about 6.5 px a character on a plot
    # about 240 px wide in the Explorer's column on a laptop).
    ends = [(float(getattr(r, f"score_{e}")), t) for e, texts in (("low", low_texts), ("high", high_texts))
            for r, t in zip(rows_top_first, texts, strict=True) if t]
    need_left = max([len(t) for sc, t in ends if sc < base], default=0) * 6.5 + 12
    need_right = max([len(t) for sc, t in ends if sc > base], default=0) * 6.5 + 12
    frac_left, frac_right = min(need_left / 240, 0.35), min(need_right / 240, 0.35)
    span = max(hi - lo, 2.0)
    total = span / (1 - frac_left - frac_right)
    x0, x1 = lo - max(frac_left * total, 1.0), hi + max(frac_right * total, 1.0)
    shapes, _ = _thresholds(m, "x", x0, x1, label=False)
    for shape in shapes:
        shape["layer"] = "below"  # under the bar labels
    shown = [f"{zone.label} from {t:g}" for t, zone in ((m.green_threshold, Zone.GREEN),
                                                       (m.yellow_threshold, Zone.YELLOW)) if x0 <= t <= x1]
    shapes.append(_line_shape(base, "x", INK, width=2, dash="solid"))
    notes = [{"x": base, "xref": "x", "y": 0, "yref": "paper", "text": f"current {base:.1f}", "showarrow": False,
              "yanchor": "top", "yshift": -22, "font": {"size": 11, "color": INK}}]
    ticks = [_escape(short_label(lb)) for lb in labels]  # plotly reads a few HTML tags in tick text
    mode = getattr(result, "mode", "step")
    what = "each input one step down / up" if mode == "step" else "each input over its full range"
    n_cross = sum(1 for r in rows if r.crosses_low or r.crosses_high)
    crossing = (f"outlined bars change the zone ({n_cross} input{'s' if n_cross != 1 else ''})" if n_cross
                else "no single input changes the zone")
    lines = ["solid line: current score"] + (["dotted: " + ", ".join(shown)] if shown else [])
    subtitle = f"{crossing.capitalize()}; bars are coloured by the zone they reach<br>" + "; ".join(lines)
    if len(rows) < len(all_rows):
        subtitle += f"; the {len(rows)} largest of {len(all_rows)} inputs"
    layout = _layout(
        f"What moves the score most: {what}",
        height=150 + 26 * max(len(rows), 3),
        subtitle=subtitle,
        barmode="overlay",
        bargap=0.3,
        shapes=_band_shapes(m, x0, x1) + shapes,
        annotations=notes,
        xaxis={"range": [x0, x1], "title": {"text": "JobZone score", "standoff": 24}, "gridcolor": GRID,
               "zeroline": False},
        yaxis={"automargin": False, "tickfont": {"size": 11}, "tickmode": "array", "tickvals": labels,
               "ticktext": ticks, "ticklabelstandoff": 8},
    )
    # A left margin sized for the row names (about 6 px a character at 11 px, plus the standoff).
    _fixed_margins(layout, t=100, b=76, l=int(max([len(t) for t in ticks], default=10) * 6 + 22))
    return _figure(data, layout)


# ---------------------------------------------------------------- zone map


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
        xaxis={"title": {"text": "task resistance TR (1-5)"}, "range": [tr_min, tr_max]},
        yaxis={"title": {"text": "evidence total E"}, "range": [float(ev.min()) - 0.5, float(ev.max()) + 0.5],
               "dtick": 2},
    )
    _fixed_margins(layout, l=80, b=140)  # the y title and ticks; the x title and the legend's rows
    return _figure(data, layout)


# ---------------------------------------------------------------- attribution


def _wrap(text: str, width: int = 14, max_lines: int = 3) -> str:
    """A name as a tick label: broken into lines of about ``width`` characters (``<br>``), cut
    after ``max_lines``, each line shown as written (its own '<' and '&' are not markup)."""
    lines: list[str] = []
    for word in text.split():
        if len(word) > width + 2:
            word = word[: width - 1] + "\u2026"
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "\u2026"
    return "<br>".join(_escape(line) for line in lines)


#: Bars of totals that are not a change (start and end of an attribution).
TOTAL_GREY = "#8a94a3"


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


# ---------------------------------------------------------------- trajectory


#: Line colours of trajectories: none of them is a zone colour (zones are bands and marker rings).
PATH_COLOURS = ("#1f2933", "#2563eb", "#7c3aed", "#0891b2", "#a21caf", "#475569")
#: Panels per row of the trajectory chart.
TRAJECTORY_COLUMNS = 3


def _escape(text: str) -> str:
    """A name as plotly text (which reads a few HTML tags): shown as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def trajectory_figure(
    paths: Mapping[str, Sequence[tuple[str, float]]],
    methodology: Methodology = DEFAULT,
    baseline: float | None = None,
    title: str | None = None,
) -> go.Figure:
    """Ordered scenarios as paths over the zone bands, one small panel per path.

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
    # Between rows: room for three lines of step labels and the next panel's name (about 85 px of 300 per row).
    gap_x, gap_y = 0.06, 85 / (300 * rows)
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
    plot_height = 300 * rows
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


# ---------------------------------------------------------------- uncertainty


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


# ---------------------------------------------------------------- spider


def spider_figure(result, methodology: Methodology = DEFAULT) -> go.Figure:
    """Score as each input moves over its range (one line per input; x = change from its base value)."""
    m = methodology
    by_knob: dict[str, list] = {}
    for p in result.rows:
        by_knob.setdefault(p.knob_id, []).append(p)
    data = []
    all_scores: list[float] = []
    for pts in by_knob.values():
        base_pts = [p for p in pts if p.is_base]
        base_value = float(base_pts[0].value) if base_pts else 0.0
        ys = [float(p.score) for p in pts]
        all_scores += ys
        data.append({
            "type": "scatter", "x": [float(p.value) - base_value for p in pts], "y": ys, "mode": "lines+markers",
            "name": _escape(pts[0].label), "customdata": [float(p.value) for p in pts],
            "hovertemplate": f"{_escape(pts[0].label)}<br>value %{{customdata:g}}: score %{{y:.1f}}<extra></extra>",
        })
    lo, hi = (min(all_scores), max(all_scores)) if all_scores else (SCALE_MIN, SCALE_MAX)
    pad = max(2.0, (hi - lo) * 0.1)
    layout = _layout(
        "Score as each input moves away from its baseline",
        height=440,
        showlegend=True,
        legend={"font": {"size": 11}},
        shapes=_band_shapes(m, lo - pad, hi + pad, axis="y"),
        xaxis={"title": {"text": "change of the input from its baseline value"}, "gridcolor": GRID},
        yaxis={"title": {"text": "JobZone score"}, "range": [lo - pad, hi + pad], "gridcolor": GRID},
    )
    return _figure(data, layout)


#: Line colours of response curves (never the zone colours: the bands behind carry the zones).
CURVE_COLOURS = ("#2563eb", "#7c3aed", "#0f766e", "#9a3412", "#be185d", "#374151")


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


def validate(fig: go.Figure) -> go.Figure:
    """The same figure checked property by property by plotly (for tests and reports)."""
    import plotly.graph_objects as go

    return go.Figure(fig.to_dict())
