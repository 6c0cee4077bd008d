"""What-if analyses of one assessment, all scored through the shared variant builder.

One module per analysis: tornado, spider, break_even, goal_seek, sweep, zone_map, uncertainty (Monte
Carlo), attribution (Shapley parts of a scenario's change). pandas is imported only by the
``to_df`` methods.
"""

from .attribution import MAX_SHAPLEY_KNOBS, Attribution, AttributionPart, attribute
from .break_even import BreakEvenResult, BreakEvenRow, ThresholdCrossing, break_even
from .goal_seek import GoalSeekResult, GoalSeekRow, goal_seek, nearest_zone_line
from .spider import SpiderPoint, SpiderResult, spider
from .sweep import SweepResult, sweep
from .tornado import TornadoResult, TornadoRow, tornado
from .uncertainty import DEFAULT_SHARE_JITTER, MAX_DRAWS, Importance, MonteCarloResult, monte_carlo
from .zone_map import ZoneMapResult, task_resistance_needed, zone_map

__all__ = [
    "DEFAULT_SHARE_JITTER",
    "MAX_DRAWS",
    "MAX_SHAPLEY_KNOBS",
    "Attribution",
    "AttributionPart",
    "BreakEvenResult",
    "BreakEvenRow",
    "GoalSeekResult",
    "GoalSeekRow",
    "Importance",
    "MonteCarloResult",
    "SpiderPoint",
    "SpiderResult",
    "SweepResult",
    "ThresholdCrossing",
    "TornadoResult",
    "TornadoRow",
    "ZoneMapResult",
    "attribute",
    "break_even",
    "goal_seek",
    "monte_carlo",
    "nearest_zone_line",
    "spider",
    "sweep",
    "task_resistance_needed",
    "tornado",
    "zone_map",
]
