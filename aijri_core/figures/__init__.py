"""Plotly figure builders: results in, ``go.Figure`` out. No streamlit here.

Every chart of the app (and of the HTML report) comes from this package, so the zone
colours, titles, axis labels and hover texts are the same everywhere. The builders read
the thresholds and constants from a :class:`Methodology`; they never repeat them.

One module per figure family (``scale``, ``composite``, ``tornado``, ``zone_map``,
``attribution``, ``trajectory``, ``uncertainty``, ``curves``, ``board``), one look (``theme``) and the
helpers they share (``_base``). Every public name is importable from the package itself.

The figures are assembled as plain plotly JSON and wrapped in ``go.Figure`` without
plotly's per-property validation: building a validated figure costs 30-90 ms, which is
most of a slider move. The tests validate every builder's output with plotly instead
(``go.Figure(fig.to_dict())``), so a misspelt property still fails loudly there.

The analysis results (tornado, zone map, Monte Carlo, attribution, spider) are read by
attribute name only, so this package does not import the analysis modules.

Every figure carries the one theme (``theme.TEMPLATE``) in its layout, so a chart looks the
same in the app, in the HTML report and in the tests; the app adds no style of its own.
"""

from __future__ import annotations

from ._base import ZoneLines, short_label, validate, zone_bands
from .attribution import attribution_waterfall
from .board import board_figure
from .composite import composite_steps, composite_waterfall
from .curves import response_curves_figure
from .scale import score_scale_figure
from .theme import (
    ACCENT,
    CURVE_COLOURS,
    FONT,
    GRID,
    HALO,
    INK,
    LABEL_BOX,
    MUTED,
    NO_LINE,
    PATH_COLOURS,
    TEMPLATE,
    TOTAL_GREY,
    ZONE_BAND_COLOURS,
    ZONE_COLOURS,
    ZONE_FILL_COLOURS,
    zone_colour,
)
from .tornado import TORNADO_TOP_ROWS, tornado_figure
from .trajectory import TRAJECTORY_COLUMNS, trajectory_figure
from .uncertainty import histogram_figure, importance_figure
from .zone_map import zone_map_figure

__all__ = [
    "ACCENT", "CURVE_COLOURS", "FONT", "GRID", "HALO", "INK", "LABEL_BOX", "MUTED", "NO_LINE", "PATH_COLOURS", "TEMPLATE",
    "TORNADO_TOP_ROWS", "TOTAL_GREY", "TRAJECTORY_COLUMNS", "ZONE_BAND_COLOURS", "ZONE_COLOURS", "ZONE_FILL_COLOURS",
    "ZoneLines", "attribution_waterfall", "board_figure", "composite_steps", "composite_waterfall", "histogram_figure",
    "importance_figure", "response_curves_figure", "score_scale_figure", "short_label",
    "tornado_figure", "trajectory_figure", "validate", "zone_bands", "zone_colour", "zone_map_figure",
]
