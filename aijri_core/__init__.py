"""AIJRI core: the AI Job Resistance Index method, its what-if analyses and file formats.

The root offers the main API below. Everything else is imported from its module
(``aijri_core.store``, ``aijri_core.formats.report``, ``aijri_core.figures`` ...). Importing
the root loads pydantic and numpy only: never streamlit, and plotly and pandas only when a
chart or table is asked for. The analyses (tornado, break_even, monte_carlo ...) are loaded
on first use.
"""

from __future__ import annotations

import importlib

from .errors import AIJRIError, AssessmentError
from .io import (
    assessment_to_json,
    bundled_role,
    bundled_roles,
    data_dir,
    load_assessment,
    parse_assessment_json,
    save_assessment,
)
from .knobs import Knob, KnobError, apply, apply_changes, changes_between, get_value, knob, knobs, set_value, values
from .methodology import DEFAULT, Methodology, Zone, publish_round, zone_of
from .model import RoleAssessment, Scenario, Task, TaskMode
from .scoring import Score, batch_inputs, score, score_many

#: Analyses reachable from the root, loaded from ``aijri_core.analyses`` on first use.
_ANALYSES = ("tornado", "spider", "break_even", "sweep", "zone_map", "monte_carlo", "attribute")

__all__ = [
    # errors
    "AIJRIError",
    "AssessmentError",
    "KnobError",
    # the assessment and the method
    "RoleAssessment",
    "Task",
    "TaskMode",
    "Scenario",
    "Methodology",
    "DEFAULT",
    "Zone",
    "zone_of",
    "publish_round",
    # scoring
    "Score",
    "score",
    "score_many",
    "batch_inputs",
    # reading and writing assessments
    "load_assessment",
    "parse_assessment_json",
    "assessment_to_json",
    "save_assessment",
    "bundled_role",
    "bundled_roles",
    "data_dir",
    # knobs: what-if changes
    "Knob",
    "knob",
    "knobs",
    "values",
    "get_value",
    "set_value",
    "apply",
    "apply_changes",
    "changes_between",
    # analyses (lazy)
    *_ANALYSES,
]


def __getattr__(name: str):
    if name in _ANALYSES:
        value = getattr(importlib.import_module(".analyses", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
