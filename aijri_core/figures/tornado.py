"""The tornado: what moves the score most, one row per input."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..methodology import DEFAULT, Methodology, Zone
from ._base import (
    _band_shapes,
    _escape,
    _figure,
    _fixed_margins,
    _knob_value_text,
    _layout,
    _line_shape,
    _thresholds,
    label_lines,
)
from .theme import GRID, HALO, INK, ZONE_COLOURS, _as_zone

if TYPE_CHECKING:  # plotly is imported by the builders, so importing this module stays cheap
    import plotly.graph_objects as go


#: Rows the Explorer's tornado shows by default (the largest swings); the rest on request.
TORNADO_TOP_ROWS = 15
#: Height of a row with a one-line name, and what each further line of its name adds (11 px text).
ROW_PX, LINE_PX = 26, 13


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
    # Row names in full, on as many lines as they need (plotly reads a few HTML tags in tick text).
    names = [label_lines(lb) for lb in labels]
    ticks = ["<br>".join(_escape(x) for x in ls) for ls in names]
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
        height=150 + sum(ROW_PX + LINE_PX * (len(ls) - 1) for ls in names) + ROW_PX * max(3 - len(rows), 0),
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
    # A left margin sized for the longest line of the row names (about 6 px a character at 11 px,
    # plus the standoff).
    _fixed_margins(layout, t=100, b=76, l=int(max([len(x) for ls in names for x in ls], default=10) * 6 + 22))
    return _figure(data, layout)
