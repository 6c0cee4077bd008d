"""What the figure builders share: the layout, the zone bands and threshold lines, the score range
and the texts (names are escaped for plotly, long ones shortened or wrapped).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

import numpy as np

from ..methodology import DEFAULT, SCALE_MAX, SCALE_MIN, Zone
from .theme import FONT, MUTED, NO_LINE, TEMPLATE, ZONE_BAND_COLOURS, ZONE_COLOURS

if TYPE_CHECKING:  # plotly is imported by the builders, so importing this module stays cheap
    import plotly.graph_objects as go


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
        "template": TEMPLATE,
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


def _escape(text: str) -> str:
    """A name as plotly text (which reads a few HTML tags): shown as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _knob_value_text(value: float | None) -> str:
    if value is None:
        return "-"
    v = float(value)
    return f"{v:g}" if v.is_integer() else f"{v:.1f}"


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


def label_lines(label: str, width: int = 34) -> list[str]:
    """A row label broken into lines of about ``width`` characters, never cut: the words of the
    name fill the lines, and the ": score" / ": time %" part ends the last line (its own line
    when it does not fit). A word longer than ``width`` keeps a line of its own, whole."""
    if len(label) <= width:
        return [label]
    name, sep, part = label.rpartition(": ")
    if not sep or len(part) > width // 2:
        name, sep, part = label, "", ""
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if sep:
        if len(lines[-1]) + len(sep) + len(part) <= width:
            lines[-1] += sep + part
        else:
            if len(lines[-1]) + len(sep.rstrip()) > width and " " in lines[-1]:
                # not even the colon fits: the last word takes it to a line of its own
                head, _, last = lines[-1].rpartition(" ")
                lines[-1:] = [head, last]
            lines[-1] += sep.rstrip()
            lines.append(part)
    return lines


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


def validate(fig: go.Figure) -> go.Figure:
    """The same figure checked property by property by plotly (for tests and reports)."""
    import plotly.graph_objects as go

    return go.Figure(fig.to_dict())
