"""Validated, immutable models of an AIJRI assessment (pydantic v2).

The on-disk JSON uses exactly the field names below, so other tools can write it.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from .methodology import DEFAULT, Zone

MAX_TASKS = 40
MAX_NAME = 200
MAX_TEXT = 4000


def _whole_number(value: object) -> object:
    """Reject booleans and non-integral numbers before pydantic's int coercion."""
    if isinstance(value, bool):
        raise ValueError("must be a whole number, not true/false")
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError("must be a whole number, not NaN or infinity")
        if not value.is_integer():
            raise ValueError(f"must be a whole number, got {value:g}")
        return int(value)
    return value


def _finite_number(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("must be a number, not true/false")
    return value


# Field before the validator: the range then lands in the JSON Schema as minimum/maximum
# (the other order writes non-standard "ge"/"le" keys); the validator still runs first.
TaskScore = Annotated[int, Field(ge=1, le=5), BeforeValidator(_whole_number)]
EvidenceScore = Annotated[int, Field(ge=-2, le=2), BeforeValidator(_whole_number)]
BarrierScore = Annotated[int, Field(ge=0, le=2), BeforeValidator(_whole_number)]
GrowthScore = Annotated[int, Field(ge=-2, le=2), BeforeValidator(_whole_number)]
ProtectiveScore = Annotated[int, Field(ge=0, le=3), BeforeValidator(_whole_number)]
Share = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False), BeforeValidator(_finite_number)]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME)]

#: Human ranges per field name, used in error messages and the UI.
FIELD_RANGES: dict[str, str] = {
    "score": "a whole number from 1 to 5",
    "time_share": "a percentage from 0 to 100 (all tasks together 100 +/- 1)",
    "job_postings": "a whole number from -2 to +2",
    "company_actions": "a whole number from -2 to +2",
    "wage_trends": "a whole number from -2 to +2",
    "ai_tool_maturity": "a whole number from -2 to +2",
    "expert_consensus": "a whole number from -2 to +2",
    "regulatory": "a whole number from 0 to 2",
    "physical_presence": "a whole number from 0 to 2",
    "union": "a whole number from 0 to 2",
    "liability": "a whole number from 0 to 2",
    "cultural": "a whole number from 0 to 2",
    "growth_correlation": "a whole number from -2 to +2",
    "embodied_physicality": "a whole number from 0 to 3",
    "deep_interpersonal_connection": "a whole number from 0 to 3",
    "goal_setting_moral_judgment": "a whole number from 0 to 3",
    "zone": "one of Green, Yellow, Red",
    "mode": "one of augmentation, displacement, not_involved",
    "tasks": f"a list of 1 to {MAX_TASKS} tasks",
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class TaskMode(StrEnum):
    AUGMENTATION = "augmentation"
    DISPLACEMENT = "displacement"
    NOT_INVOLVED = "not_involved"


class Task(_Frozen):
    """One task: its share of working time (percent) and its 1..5 automation score."""

    name: Name
    time_share: Share
    score: TaskScore
    mode: TaskMode = TaskMode.AUGMENTATION
    rationale: str | None = Field(None, max_length=MAX_TEXT)


class Evidence(_Frozen):
    """Five evidence dimensions, each -2..+2; E = their sum (-10..+10)."""

    job_postings: EvidenceScore
    company_actions: EvidenceScore
    wage_trends: EvidenceScore
    ai_tool_maturity: EvidenceScore
    expert_consensus: EvidenceScore

    @property
    def total(self) -> int:
        return sum(getattr(self, f) for f in EVIDENCE_DIMENSIONS)


class Barriers(_Frozen):
    """Five barriers, each 0..2; B = their sum (0..10)."""

    regulatory: BarrierScore
    physical_presence: BarrierScore
    union: BarrierScore
    liability: BarrierScore
    cultural: BarrierScore

    @property
    def total(self) -> int:
        return sum(getattr(self, f) for f in BARRIERS)


class Protective(_Frozen):
    """Three protective principles, each 0..3 (displayed, not scored)."""

    embodied_physicality: ProtectiveScore
    deep_interpersonal_connection: ProtectiveScore
    goal_setting_moral_judgment: ProtectiveScore

    @property
    def total(self) -> int:
        return sum(getattr(self, f) for f in PROTECTIVE_PRINCIPLES)


EVIDENCE_DIMENSIONS: tuple[str, ...] = tuple(Evidence.model_fields)
BARRIERS: tuple[str, ...] = tuple(Barriers.model_fields)
PROTECTIVE_PRINCIPLES: tuple[str, ...] = tuple(Protective.model_fields)

EVIDENCE_LABELS = {
    "job_postings": "Job posting trends",
    "company_actions": "Company actions",
    "wage_trends": "Wage trends",
    "ai_tool_maturity": "AI tool maturity",
    "expert_consensus": "Expert consensus",
}
BARRIER_LABELS = {
    "regulatory": "Regulatory / licensing",
    "physical_presence": "Physical presence",
    "union": "Union / collective bargaining",
    "liability": "Liability / accountability",
    "cultural": "Cultural / ethical",
}
PROTECTIVE_LABELS = {
    "embodied_physicality": "Embodied physicality",
    "deep_interpersonal_connection": "Deep interpersonal connection",
    "goal_setting_moral_judgment": "Goal-setting & moral judgment",
}


class PublishedResult(_Frozen):
    """The result as published with the assessment (shown beside the formula's)."""

    score: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
    zone: Zone
    sublabel: str | None = Field(None, max_length=MAX_NAME)


class Override(_Frozen):
    """An assessor's override of the formula's zone, with the reason."""

    zone: Zone
    sublabel: str | None = Field(None, max_length=MAX_NAME)
    reason: str = Field(min_length=1, max_length=MAX_TEXT)


class Comparator(_Frozen):
    """Another role's published result, for context."""

    title: Name
    score: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
    zone: Zone
    sublabel: str | None = Field(None, max_length=MAX_NAME)


class RoleAssessment(_Frozen):
    """A complete AIJRI assessment of one role."""

    title: Name
    seniority: str = Field("", max_length=MAX_NAME)
    tasks: list[Task] = Field(min_length=1, max_length=MAX_TASKS)
    evidence: Evidence
    barriers: Barriers
    growth_correlation: GrowthScore
    protective: Protective
    published: PublishedResult | None = None
    override: Override | None = None
    comparators: list[Comparator] | None = Field(None, max_length=200)

    @field_validator("tasks")
    @classmethod
    def _unique_names(cls, tasks: list[Task]) -> list[Task]:
        seen: dict[str, str] = {}
        for task in tasks:
            key = task.name.casefold()
            if key in seen:
                raise ValueError(f"duplicate task name {task.name!r}: each task needs its own name")
            seen[key] = task.name
        return tasks

    @model_validator(mode="after")
    def _shares_sum_to_100(self) -> RoleAssessment:
        total = self.share_total
        if abs(total - 100.0) > DEFAULT.share_tolerance:
            raise ValueError(
                f"task time shares sum to {total:g}%; they must sum to 100% (+/- {DEFAULT.share_tolerance:g})"
            )
        return self

    @property
    def share_total(self) -> float:
        total = 0.0
        for task in self.tasks:
            total += task.time_share
        return total

    def task(self, name: str) -> Task:
        for t in self.tasks:
            if t.name == name:
                return t
        raise KeyError(f"no task named {name!r}")

    def to_json_dict(self) -> dict:
        """The on-disk form: JSON-ready, optional keys left out when empty."""
        return self.model_dump(mode="json", exclude_none=True)


class Scenario(_Frozen):
    """Named changes to a base assessment, as knob id -> value (applied by ``apply``).

    ``position`` places the scenario in a trajectory (e.g. "2028", "Senior");
    ``trajectory`` names the trajectory it belongs to, if any.
    """

    name: Name
    note: str = Field("", max_length=MAX_TEXT)
    changes: dict[str, float] = Field(default_factory=dict, max_length=2 * MAX_TASKS + 11)
    position: str | None = Field(None, max_length=MAX_NAME)
    trajectory: str | None = Field(None, max_length=MAX_NAME)

    @field_validator("changes")
    @classmethod
    def _finite(cls, changes: dict[str, float]) -> dict[str, float]:
        for knob_id, value in changes.items():
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"{knob_id}: value must be a finite number, got {value}")
        return changes
