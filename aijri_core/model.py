"""Validated, immutable models of an AIJRI assessment (pydantic v2).

The on-disk JSON uses exactly the field names below, so other tools can write it.
"""

from __future__ import annotations

import math
import re
import typing
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from .methodology import DEFAULT, SCALE_MAX, SCALE_MIN, Number, Zone, strict_number, strict_whole_number

MAX_TASKS = 40
MAX_NAME = 200
MAX_TEXT = 4000


# ---------------------------------------------------------------- names

#: Characters that show nothing on screen although they are not whitespace (fillers, blanks).
_BLANK_LOOKING = frozenset("\u034f\u115f\u1160\u2800\u3164\uffa0")


def _invisible(ch: str) -> bool:
    """Whitespace, a control or format character (zero-width space, BOM, bidi mark), or a blank filler."""
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp") or ch in _BLANK_LOOKING


def clean_name(text: str) -> str:
    """A name as the project keeps it: NFC-normalised, invisible characters at both ends removed.

    Used for task names, role titles, scenario names, trajectory steps and the store's role keys,
    by the models and by every reader, so a name reads back exactly as it was saved.
    """
    text = unicodedata.normalize("NFC", text)
    start, end = 0, len(text)
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def name_key(text: str) -> str:
    """The form in which two names are compared: cleaned, case-folded, every whitespace a plain
    space and format characters (zero-width) dropped, so names that look the same are the same."""
    folded = unicodedata.normalize("NFC", clean_name(text).casefold())
    return "".join(
        " " if ch.isspace() else ch for ch in folded if unicodedata.category(ch) != "Cf" and ch not in _BLANK_LOOKING
    )


def _clean_name_input(value: object) -> object:
    return clean_name(value) if isinstance(value, str) else value


# ---------------------------------------------------------------- numbers written as text

#: A number written as text, without its sign: ASCII digits, optional decimal point and exponent.
NUMBER_DIGITS = r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?"
_NUMBER_TEXT = re.compile(r"[+-]?" + NUMBER_DIGITS, re.ASCII)
#: Longest number text accepted (full float precision needs about 25 characters).
MAX_NUMBER_TEXT = 40


def parse_number(text: str) -> float:
    """A number written as text in a link or a CSV cell: ASCII digits with an optional sign,
    decimal point and exponent (``62.5``, ``-1``, ``1e-05``), surrounding spaces ignored.

    Anything else raises ValueError whose text completes "'<text>' ...": other digits
    (``３``, ``٣``), ``1_0``, ``0x10``, ``nan``, ``inf``, a decimal comma, a unit or any junk after
    the number. The caller adds the field and its allowed range.
    """
    t = text.strip(" \t")
    if t.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        raise ValueError("is not a finite number")
    if len(t) > MAX_NUMBER_TEXT or not _NUMBER_TEXT.fullmatch(t):
        raise ValueError("is not a number")
    value = float(t)
    if not math.isfinite(value):
        raise ValueError("is not a finite number")
    return value


# ---------------------------------------------------------------- rating scales


def span_text(lo: float, hi: float, between: str = " to ") -> str:
    """"-10 to +10" (signs on both ends when the range goes below 0), "0 to 10", "1 to 5"."""
    fmt = "{:+g}" if lo < 0 else "{:g}"
    return f"{fmt.format(lo)}{between}{fmt.format(hi)}"


@dataclass(frozen=True)
class Scale:
    """One rating scale of the method: the only place its range is written.

    The model's field types, the error hints, the knobs' ranges and the app's input limits all
    read it from :data:`SCALES`.
    """

    key: str
    label: str
    min: int | float
    max: int | float
    integer: bool
    unit: str = ""
    note: str = ""

    @property
    def range_text(self) -> str:
        """"a whole number from -2 to +2", "a percentage from 0 to 100", ..."""
        if self.integer:
            signed = self.min < 0
            lo, hi = (f"{int(v):+d}" if signed else str(int(v)) for v in (self.min, self.max))
            return f"a whole number from {lo} to {hi}"
        kind = "a percentage" if self.unit == "%" else "a number"
        return f"{kind} from {self.min:g} to {self.max:g}"

    def span(self, between: str = " to ") -> str:
        """"-2 to +2", "0 to 100", "1-5": the range as headings and notes give it."""
        return span_text(self.min, self.max, between)

    @property
    def hint(self) -> str:
        """The allowed range as error messages give it (with the scale's note, if any)."""
        return f"{self.range_text} ({self.note})" if self.note else self.range_text

    def field_type(self) -> object:
        """The annotated pydantic type of a field on this scale (strict: no booleans, no text)."""
        if self.integer:
            return Annotated[int, Field(ge=self.min, le=self.max), BeforeValidator(strict_whole_number), self]
        return Annotated[
            float, Field(ge=self.min, le=self.max, allow_inf_nan=False), BeforeValidator(strict_number), self
        ]


SCALES: dict[str, Scale] = {
    s.key: s
    for s in (
        Scale("score", "Task score", 1, 5, True),
        Scale("share", "Time share", 0, 100, False, unit="%",
              note=f"all tasks together 100 +/- {DEFAULT.share_tolerance:g}"),
        Scale("evidence", "Evidence rating", -2, 2, True),
        Scale("barrier", "Barrier rating", 0, 2, True),
        Scale("growth", "AI growth correlation", -2, 2, True),
        Scale("protective", "Protective principle", 0, 3, True),
        Scale("published", "Published score", SCALE_MIN, SCALE_MAX, False),
    )
}

# Field before the validator: the range then lands in the JSON Schema as minimum/maximum
# (the other order writes non-standard "ge"/"le" keys); the validator still runs first.
TaskScore = SCALES["score"].field_type()
EvidenceScore = SCALES["evidence"].field_type()
BarrierScore = SCALES["barrier"].field_type()
GrowthScore = SCALES["growth"].field_type()
ProtectiveScore = SCALES["protective"].field_type()
Share = SCALES["share"].field_type()
PublishedScore = SCALES["published"].field_type()
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME), BeforeValidator(_clean_name_input)]
#: A trajectory or step name: cleaned like names, may be empty.
Label = Annotated[str, Field(max_length=MAX_NAME), BeforeValidator(_clean_name_input)]

#: Hints for fields that are not on a numeric scale.
_CHOICE_HINTS: dict[str, str] = {
    "zone": "one of Green, Yellow, Red",
    "mode": "one of augmentation, displacement, not_involved",
    "tasks": f"a list of 1 to {MAX_TASKS} tasks",
    "clamp": "true or false",
}


def _scale_in(annotation: object) -> Scale | None:
    for arg in typing.get_args(annotation):
        if isinstance(arg, Scale):
            return arg
        found = _scale_in(arg)
        if found is not None:
            return found
    return None


def field_hint(model: type[BaseModel], field: str) -> str | None:
    """The allowed values of ``model.field`` as error messages give them (None: nothing to add).

    Looked up on the model that holds the field, so ``published.score`` (0 to 100) and a task's
    ``score`` (1 to 5) each get their own range.
    """
    info = model.model_fields.get(field)
    if info is None:
        return None
    scale = next((m for m in info.metadata if isinstance(m, Scale)), None) or _scale_in(info.annotation)
    if scale is not None:
        return scale.hint
    if field in _CHOICE_HINTS:
        return _CHOICE_HINTS[field]
    lo = next((m.ge for m in info.metadata if getattr(m, "ge", None) is not None), None)
    hi = next((m.le for m in info.metadata if getattr(m, "le", None) is not None), None)
    if lo is not None and hi is not None:
        kind = "a whole number" if info.annotation is int else "a number"
        return f"{kind} from {lo:g} to {hi:g}"
    return None


NUL_MESSAGE = "contains the NUL character (U+0000), which text may not hold; remove it"


def _has_nul(value: object) -> bool:
    """A NUL in text, in a list's text items, or in a mapping's keys (one level: a nested model
    checks its own fields, so the message names the field that holds it)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(isinstance(k, str) and _has_nul(k) for k in value)
    if isinstance(value, list | tuple):
        return any(isinstance(v, str) and _has_nul(v) for v in value)
    return False


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        """One rule for every text of every model: no NUL character (no store keeps it alike:
        PostgreSQL refuses it, and it would cut the text short in other tools). Checked on the
        raw input, before names are cleaned, so a NUL is refused wherever it stands."""
        if _has_nul(value):
            raise ValueError(NUL_MESSAGE)
        return value


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

#: The ratings each total adds up: E (evidence), B (barriers), the protective total.
_RATED = {"evidence": EVIDENCE_DIMENSIONS, "barrier": BARRIERS, "protective": PROTECTIVE_PRINCIPLES}


def total_range(kind: str) -> tuple[int, int]:
    """(lowest, highest) total of a role's ``kind`` ratings ("evidence", "barrier", "protective"),
    from the scale of ``kind`` and how many ratings it has."""
    scale, n = SCALES[kind], len(_RATED[kind])
    return int(scale.min) * n, int(scale.max) * n


def rating_count(kind: str) -> int:
    """How many ratings of ``kind`` a role has ("evidence", "barrier", "protective")."""
    return len(_RATED[kind])

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

    score: PublishedScore
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
    score: PublishedScore
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
            key = name_key(task.name)
            if key in seen:
                same = "" if seen[key] == task.name else f" (looks the same as {seen[key]!r})"
                raise ValueError(f"duplicate task name {task.name!r}{same}: each task needs its own name")
            seen[key] = task.name
        return tasks

    @model_validator(mode="after")
    def _shares_sum_to_100(self) -> RoleAssessment:
        total = self.share_total
        # float slack: shares a move rescales add up to 98.99999999999999 for a total of 99
        if abs(total - 100.0) > DEFAULT.share_tolerance + 1e-9:
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
        wanted = clean_name(name)
        for t in self.tasks:
            if t.name == wanted:
                return t
        raise KeyError(f"no task named {name!r}")

    def to_json_dict(self) -> dict:
        """The on-disk form: JSON-ready, optional keys left out when empty."""
        return self.model_dump(mode="json", exclude_none=True)


#: What a ``task:<name>:<field>`` id may change: score and share are knobs; mode and remove reshape the role.
TASK_FIELDS = ("score", "share", "mode", "remove")


@dataclass(frozen=True)
class KnobId:
    """The id of one input, the key of ``Scenario.changes``: the one place that reads and writes it.

    Forms: ``task:<name>:<field>`` (field: score, share, mode, remove), ``evidence:<dimension>``,
    ``barrier:<barrier>``, ``growth``. A task's name may hold any text, ':' included: the field is
    what follows the last ':'. ``parse`` judges the form only; whether the role has that input is
    the knobs' business (``aijri_core.knobs``, which is where the rest of the code takes this from:
    it is defined here because a Scenario keeps its ids canonical).
    """

    kind: str  # "task", "evidence", "barrier" or "growth"
    target: str = ""  # the task's name, the evidence dimension or the barrier ("" for growth)
    field: str = ""  # a task's field (one of TASK_FIELDS); "" for the other kinds

    @classmethod
    def task(cls, name: str, field: str) -> KnobId:
        return cls("task", name, field)

    @classmethod
    def parse(cls, text: str) -> KnobId | None:
        """The id ``text`` writes, or None when it has none of the forms above."""
        if text == "growth":
            return cls("growth")
        kind, colon, rest = text.partition(":")
        if kind == "task":
            name, colon, fld = rest.rpartition(":")
            return cls("task", name, fld) if colon and fld else None
        if kind in ("evidence", "barrier") and rest:
            return cls(kind, rest)
        return None

    def format(self) -> str:
        """The id as text (``parse(k.format()) == k``)."""
        if self.kind == "task":
            return f"task:{self.target}:{self.field}"
        return f"{self.kind}:{self.target}" if self.target else self.kind

    __str__ = format

    def canonical(self) -> KnobId:
        """The same id with a task's name as the project keeps names (``clean_name``)."""
        return KnobId("task", clean_name(self.target), self.field) if self.kind == "task" else self

    def is_task(self, field: str | None = None) -> bool:
        """True for a task's id (of that ``field`` when one is given)."""
        return self.kind == "task" and (field is None or self.field == field)


def canonical_knob_id(knob_id: str) -> str:
    """A knob id with its task name written as the project keeps names (``clean_name``), so
    ``task:<name>:score`` finds its task however the name's characters were composed."""
    parsed = KnobId.parse(knob_id)
    return parsed.canonical().format() if parsed is not None else knob_id


def canonical_changes(changes: dict) -> dict:
    """``changes`` with canonical knob ids (order kept); two ids that name the same knob are refused."""
    out: dict = {}
    for kid, value in changes.items():
        key = canonical_knob_id(kid) if isinstance(kid, str) else kid
        if key in out:
            raise ValueError(f"{kid!r} names the same input as another change ({key!r}); give each input once")
        out[key] = value
    return out


class Scenario(_Frozen):
    """Named changes to a base assessment, as knob id -> value (applied by ``apply``).

    ``position`` places the scenario in a trajectory (e.g. "2028", "Senior");
    ``trajectory`` names the trajectory it belongs to, if any.
    """

    name: Name
    note: str = Field("", max_length=MAX_TEXT)
    changes: dict[str, Number] = Field(default_factory=dict, max_length=2 * MAX_TASKS + 11)
    position: Label | None = None
    trajectory: Label | None = None

    @field_validator("changes", mode="after")
    @classmethod
    def _canonical_ids(cls, changes: dict[str, float]) -> dict[str, float]:
        return canonical_changes(changes)
