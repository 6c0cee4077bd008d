"""AIJRI core: the AI Job Resistance Index method, its what-if analyses and file formats.

Pure Python (pydantic, numpy, pandas, plotly); never imports streamlit.
"""

from .errors import AIJRIError, AssessmentError
from .io import (
    MAX_UPLOAD_BYTES,
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
from .model import (
    BARRIERS,
    EVIDENCE_DIMENSIONS,
    PROTECTIVE_PRINCIPLES,
    Barriers,
    Comparator,
    Evidence,
    Override,
    Protective,
    PublishedResult,
    RoleAssessment,
    Scenario,
    Task,
    TaskMode,
)
from .scoring import Score, ScoreBatch, batch_inputs, score, score_many

# -- sensitivity / uncertainty / attribution (issue 3) --
# isort: split
from .attribution import Attribution, AttributionPart, attribute
from .sensitivity import (
    BreakEvenResult,
    BreakEvenRow,
    SpiderPoint,
    SpiderResult,
    SweepResult,
    ThresholdCrossing,
    TornadoResult,
    TornadoRow,
    ZoneMapResult,
    break_even,
    spider,
    sweep,
    tornado,
    zone_map,
)
from .trajectories import bundled_trajectories, trajectory_table
from .uncertainty import Importance, MonteCarloResult, monte_carlo

# -- store and formats (issue 5) --
# isort: split
from .formats.document import Audit, AuditRow, DocumentError, parse_assessment_document, render_assessment_document
from .formats.report import render_report_html
from .formats.scenarios_csv import scenarios_from_csv, scenarios_summary_csv, scenarios_to_csv
from .store import NameClashError, ScenarioStore, StoreError, bundled_role_key, default_store_path, stored_role_key

__all__ = [name for name in dir() if not name.startswith("_")]
