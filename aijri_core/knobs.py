"""Knobs: every input an analyst can move, with a stable id, a label and a range.

Knob ids (``KnobId``: the one type that parses, writes and canonicalises them):
  task:<name>:score   task score (the ``score`` scale of ``model.SCALES``)
  task:<name>:share   task time share, percent
  evidence:<dim>      evidence rating
  barrier:<barrier>   barrier rating
  growth              AI growth correlation

The share rule (one rule, in ``pinned_shares``, used by every move, scenario, link, CSV and
analysis): a role's shares stay as written (their total may be anywhere the model allows,
100 +/- 1), and a move keeps the role's own total. Moving one task's share means "spend this
much time on it": the other tasks keep their proportions to each other and fill what is
left of the role's total. When a scenario sets several shares at once, the tasks it names
take exactly the given values and the tasks it does not name share what is left in their
old proportions; if it names every task, the values are kept as given when their total is
one the model allows, and otherwise scaled to the role's total.

Scenarios may reshape the role (``reshape``): ``task:<name>:share`` and ``task:<name>:score``
for a name the role does not have add that task (both are required; ``task:<name>:mode`` 0
augmentation, the default, 1 displacement, 2 not involved); an added task takes its time
from the others under the share rule. ``task:<name>:remove`` = 1 removes a task (its time
goes to the others in proportion, as a share of 0 would). ``task:<name>:mode`` also sets the
mode of an existing task. These are scenario changes, not knobs of the analyses: an added
task is a knob of the reshaped role like any other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

import numpy as np
from pydantic import ConfigDict, Field, ValidationError

from . import exact
from .errors import AIJRIError, describe_validation_error
from .methodology import DEFAULT, Methodology, strict_number
from .model import (
    BARRIER_LABELS,
    BARRIERS,
    EVIDENCE_DIMENSIONS,
    EVIDENCE_LABELS,
    MAX_TASKS,
    SCALES,
    TASK_FIELDS,
    KnobId,
    RoleAssessment,
    Scale,
    Scenario,
    Task,
    TaskMode,
    canonical_changes,
    canonical_knob_id,
    clean_name,
)

GROUPS = ("tasks", "evidence", "barriers", "growth")

#: Percent scale of task time shares (the shares of one role sum to this).
FULL_TIME = 100.0

#: Change in a share smaller than this (percentage points) counts as no change.
SHARE_EPSILON = 1e-9

#: How far a role's share total may sit from 100 (the model's rule).
SHARE_TOLERANCE = float(DEFAULT.share_tolerance)


class KnobError(AIJRIError):
    """An unknown knob id or a value outside the knob's range."""


@dataclass(frozen=True)
class Knob:
    """One input an analyst can move. Its range is the rating scale of its kind (``model.SCALES``)."""

    id: str
    label: str
    group: str  # tasks / evidence / barriers / growth
    kind: str  # score / share / evidence / barrier / growth: a key of model.SCALES
    target: str  # task name, evidence dimension or barrier name ("" for growth)
    min: float = field(init=False)
    max: float = field(init=False)
    integer: bool = field(init=False)

    def __post_init__(self) -> None:
        scale = self.scale
        object.__setattr__(self, "min", scale.min)
        object.__setattr__(self, "max", scale.max)
        object.__setattr__(self, "integer", scale.integer)

    @property
    def scale(self) -> Scale:
        return SCALES[self.kind]

    @property
    def range_text(self) -> str:
        return self.scale.range_text

    def check(self, value: float) -> float:
        """The value as the knob stores it, or a KnobError naming the range."""
        try:
            v = float(strict_number(value))  # true/false and text are not numbers here either
        except (TypeError, ValueError):
            raise KnobError(f"{self.id}: {value!r} is not a number; allowed: {self.range_text}") from None
        if v != v or v in (float("inf"), float("-inf")):
            raise KnobError(f"{self.id}: {value!r} is not a finite number; allowed: {self.range_text}")
        if self.integer and not v.is_integer():
            raise KnobError(f"{self.id}: {value!r} is not a whole number; allowed: {self.range_text}")
        if v < self.min or v > self.max:
            raise KnobError(f"{self.id}: {value:g} is out of range; allowed: {self.range_text}")
        return int(v) if self.integer else v


def task_score_id(name: str) -> str:
    return KnobId.task(name, "score").format()


def task_share_id(name: str) -> str:
    return KnobId.task(name, "share").format()


def knobs(assessment: RoleAssessment) -> list[Knob]:
    """All knobs of an assessment, grouped: tasks (score, share), evidence, barriers, growth.

    Share knobs exist only when there are at least two tasks (one task always has 100%).
    """
    return list(knob_index(assessment).values())


def task_knob(name: str, kind: str) -> Knob:
    """The score (``kind="score"``) or time-share (``"share"``) knob of the task ``name``."""
    if kind == "score":
        return Knob(id=task_score_id(name), label=f"{name}: score", group="tasks", kind="score", target=name)
    return Knob(id=task_share_id(name), label=f"{name}: time %", group="tasks", kind="share", target=name)


def evidence_knob(dimension: str) -> Knob:
    return Knob(id=KnobId("evidence", dimension).format(), label=f"Evidence: {EVIDENCE_LABELS[dimension]}", group="evidence",
                kind="evidence", target=dimension)


def barrier_knob(barrier: str) -> Knob:
    return Knob(id=KnobId("barrier", barrier).format(), label=f"Barrier: {BARRIER_LABELS[barrier]}", group="barriers",
                kind="barrier", target=barrier)


def growth_knob() -> Knob:
    return Knob(id=KnobId("growth").format(), label=SCALES["growth"].label, group="growth", kind="growth", target="")


@lru_cache(maxsize=256)
def _knob_index(task_names: tuple[str, ...]) -> dict[str, Knob]:
    """The knobs of a role with these tasks, by id (knobs depend on the task names alone).
    Built once per role, so looking up every change of a scenario costs O(changes), not
    O(changes x tasks). Callers never change the dict."""
    out: list[Knob] = []
    for name in task_names:
        out.append(task_knob(name, "score"))
        if len(task_names) > 1:
            out.append(task_knob(name, "share"))
    out += [evidence_knob(d) for d in EVIDENCE_DIMENSIONS]
    out += [barrier_knob(b) for b in BARRIERS]
    out.append(growth_knob())
    return {k.id: k for k in out}


def knob_index(assessment: RoleAssessment) -> dict[str, Knob]:
    """Every knob of an assessment by id, in knob order (the same knobs as :func:`knobs`); do not change it."""
    return _knob_index(tuple(t.name for t in assessment.tasks))


def knob(assessment: RoleAssessment, knob_id: str) -> Knob:
    """The knob with this id, or a KnobError listing what ids look like."""
    knob_id = canonical_knob_id(knob_id)
    found = knob_index(assessment).get(knob_id)
    if found is None:
        raise _unknown_knob(knob_id)
    return found


#: The forms of a knob id, for messages.
KNOB_ID_FORMS = (
    f"{KnobId.task('<task name>', 'score')}, {KnobId.task('<task name>', 'share')}, "
    f"{KnobId('evidence', '<' + '|'.join(EVIDENCE_DIMENSIONS) + '>')}, "
    f"{KnobId('barrier', '<' + '|'.join(BARRIERS) + '>')}, {KnobId('growth')}"
)


def _unknown_knob(knob_id: str, why: str = "") -> KnobError:
    return KnobError(f"unknown knob {knob_id!r}{why}; knobs are {KNOB_ID_FORMS}")


def get_value(assessment: RoleAssessment, knob_id: str) -> float:
    """The current value of a knob."""
    k = knob(assessment, knob_id)
    return _value(assessment, k)


def _value(assessment: RoleAssessment, k: Knob) -> float:
    if k.kind == "score":
        return assessment.task(k.target).score
    if k.kind == "share":
        return assessment.task(k.target).time_share
    if k.kind == "evidence":
        return getattr(assessment.evidence, k.target)
    if k.kind == "barrier":
        return getattr(assessment.barriers, k.target)
    return assessment.growth_correlation


def values(assessment: RoleAssessment) -> dict[str, float]:
    """Every knob's current value, in knob order."""
    return {k.id: _value(assessment, k) for k in knobs(assessment)}


def role_share_total(shares) -> float:
    """A role's share total, added task by task in order (as ``score`` and the model add it)."""
    total = 0.0
    for v in shares:
        total += float(v)
    return total


def pinned_shares(base: np.ndarray, mask: np.ndarray, pinned: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Task shares after pinning some tasks, row by row: the one share rule of the project.

    base: (k,) shares (percent), or (n, k): one role's shares per row (the board pins the tasks
    of many roles with the same number of tasks at once); mask: (n, k) True where a task is
    pinned; pinned: (n, k) the pinned values. The role's total is the sum of ``base`` (task by
    task, as ``score`` adds it). Pinned tasks take their values and the others fill what is left
    of that total in their old proportions (equal parts if they all had 0; nothing if the pins
    take it all). If every task is pinned the values are kept as given when their total is within
    the model's tolerance of 100, else scaled to the role's total (each share the float nearest
    its exact value: 0.69 alone becomes 100, not 100.00000000000001); totals are compared with
    100 +/- the tolerance exactly, on the values as written. A row whose pins all equal the
    base values keeps the base shares exactly. Returns (shares (n, k), invalid (n,)): rows
    whose pins exceed 100% + tolerance with tasks left over, or that pin every task at 0, are NaN.
    """
    n, k = mask.shape
    base = np.asarray(base, dtype=float)
    rows = base if base.ndim == 2 else base[None, :]
    if base.ndim == 2:
        role_total = np.zeros(n)
        for j in range(k):  # task by task, as role_share_total adds
            role_total = role_total + base[:, j]
    else:
        role_total = role_share_total(base)
    pinned_total = np.zeros(n)
    free_total = np.zeros(n)
    for j in range(k):  # in task order, so scalar and vectorised callers add alike
        pinned_total = pinned_total + np.where(mask[:, j], pinned[:, j], 0.0)
        free_total = free_total + np.where(mask[:, j], 0.0, rows[:, j])
    n_free = k - mask.sum(axis=1)
    rest = np.maximum(0.0, role_total - pinned_total)
    with np.errstate(divide="ignore", invalid="ignore"):
        proportional = np.minimum(rest[:, None] * rows / free_total[:, None], FULL_TIME)
        equal = rest[:, None] / n_free[:, None]
        free_part = np.where(free_total[:, None] > 0, proportional, equal)
        out = np.where(mask, pinned, free_part)
        all_pinned = n_free == 0
        # The pins' total against 100 +/- the tolerance, decided exactly (floats far from a line)
        outside = _exactly(np.abs(pinned_total - FULL_TIME) > SHARE_TOLERANCE, pinned_total, pinned, mask, _outside)
        for i in np.flatnonzero(all_pinned & outside & (pinned_total > 0)):
            # each the float nearest its exact share: 0.69 alone is 100, not 100.00000000000001
            out[i] = exact.rescaled(pinned[i], exact.exact_sum(rows[i if base.ndim == 2 else 0]))
    out = np.minimum(out, FULL_TIME)  # no task takes more than all the time (a role whose total is above 100)
    unchanged = ~(mask & (pinned != rows)).any(axis=1)
    out[unchanged] = rows[unchanged] if base.ndim == 2 else base
    over = _exactly(pinned_total > FULL_TIME + SHARE_TOLERANCE, pinned_total, pinned, mask, _over)
    invalid = ((n_free > 0) & over) | (all_pinned & (pinned_total <= 0))
    out[invalid] = np.nan
    return out, invalid


def _outside(total: Fraction) -> bool:
    return abs(total - 100) > exact.as_written(SHARE_TOLERANCE)


def _over(total: Fraction) -> bool:
    return total > 100 + exact.as_written(SHARE_TOLERANCE)


def _exactly(floats: np.ndarray, totals: np.ndarray, pinned: np.ndarray, mask: np.ndarray, rule) -> np.ndarray:
    """A test of the pins' total (``floats``: its float answer per row), answered again in
    exact arithmetic on the pinned values as written for every row near the test's lines."""
    lines = (FULL_TIME - SHARE_TOLERANCE, FULL_TIME + SHARE_TOLERANCE)
    close = exact.near(totals, lines[0]) | exact.near(totals, lines[1])
    if not close.any():
        return floats
    out = floats.copy()
    for i in np.flatnonzero(close):
        out[i] = rule(exact.exact_sum(pinned[i][mask[i]]))
    return out


def _rescaled_shares(assessment: RoleAssessment, pinned: dict[str, float]) -> dict[str, float]:
    """New shares of one assessment (see ``pinned_shares``), or a KnobError."""
    names = [t.name for t in assessment.tasks]
    base = np.array([t.time_share for t in assessment.tasks], dtype=float)
    mask = np.array([[n in pinned for n in names]])
    values = np.array([[pinned.get(n, 0.0) for n in names]], dtype=float)
    out, invalid = pinned_shares(base, mask, values)
    if invalid[0]:
        total = float(values.sum())
        if mask.all():
            raise KnobError("task shares: at least one task needs a time share above 0")
        raise KnobError(
            f"task shares: the changed tasks take {total:g}% of the time together; "
            f"allowed: at most {FULL_TIME + SHARE_TOLERANCE:g}"
        )
    return {n: float(v) for n, v in zip(names, out[0], strict=True)}


def _share_task(base: RoleAssessment, name: str) -> str:
    """A task name checked against the role (a KnobError names the knob id otherwise)."""
    return knob(base, task_share_id(name)).target


# ---------------------------------------------------------------- tasks added and removed

#: Task modes by the number a change ``task:<name>:mode`` gives (0, 1, 2).
MODE_CODES: tuple[TaskMode, ...] = (TaskMode.AUGMENTATION, TaskMode.DISPLACEMENT, TaskMode.NOT_INVOLVED)

def task_mode_id(name: str) -> str:
    return KnobId.task(name, "mode").format()


def task_remove_id(name: str) -> str:
    return KnobId.task(name, "remove").format()


def task_of(knob_id: str) -> KnobId | None:
    """The parsed id when ``knob_id`` is a task's (``task:<name>:<field>``), else None."""
    parsed = KnobId.parse(knob_id)
    return parsed if parsed is not None and parsed.is_task() else None


@dataclass(frozen=True)
class TaskChange:
    """A change that reshapes a role rather than moving a knob: ``task:<name>:mode`` (0, 1, 2)
    or ``task:<name>:remove`` (1). Read like a knob (id, label, range), e.g. by the CSV layouts."""

    id: str
    label: str
    kind: str  # "mode" or "remove"
    target: str  # the task's name
    min: int
    max: int
    integer: bool = True
    group: str = "tasks"

    @property
    def range_text(self) -> str:
        if self.kind == "mode":
            return ", ".join(f"{i} ({m.value})" for i, m in enumerate(MODE_CODES))
        return "1 (the task is removed)"


def task_change(name: str, kind: str) -> TaskChange:
    """The mode (``kind="mode"``) or removal (``"remove"``) change of the task ``name``."""
    if kind == "mode":
        return TaskChange(task_mode_id(name), f"{name}: mode", "mode", name, 0, len(MODE_CODES) - 1)
    return TaskChange(task_remove_id(name), f"{name}: removed", "remove", name, 1, 1)


@lru_cache(maxsize=4096)
def knob_from_id(knob_id: str) -> Knob | TaskChange | None:
    """The knob (or task change) an id names, judged by its form alone (None: not an input).
    Cached by id (both answers are frozen): an import reads the same few ids on every row.

    Labels and ranges are those :func:`knobs` gives a role's knobs. A task the role does not
    have is added by its score and share (see :func:`reshape`); its name must be written as the
    project keeps names (``clean_name``).
    """
    k = KnobId.parse(knob_id)
    if k is None:
        return None
    if k.kind == "growth":
        return growth_knob()
    if k.kind == "evidence" and k.target in EVIDENCE_DIMENSIONS:
        return evidence_knob(k.target)
    if k.kind == "barrier" and k.target in BARRIERS:
        return barrier_knob(k.target)
    if k.kind == "task" and k.target and k.target == clean_name(k.target):
        if k.field in ("score", "share"):
            return task_knob(k.target, k.field)
        if k.field in ("mode", "remove"):
            return task_change(k.target, k.field)
    return None


@dataclass(frozen=True)
class Reshape:
    """A scenario's changes read against its role, with tasks added and removed.

    base: the role with each added task appended at share 0 (its score and mode as given:
    a task at share 0 does not move the score); changes: plain knob changes on that role
    (an added task's share, a removed task at share 0); added / removed: task names;
    modes: task name -> mode set by the changes.
    """

    base: RoleAssessment
    changes: dict[str, float]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    modes: dict[str, TaskMode]


def _mode(name: str, value) -> TaskMode:
    codes = ", ".join(f"{i} {m.value}" for i, m in enumerate(MODE_CODES))
    if isinstance(value, bool) or not isinstance(value, int | float) or value not in range(len(MODE_CODES)):
        raise KnobError(f"{task_mode_id(name)}: {value!r} is not a task mode; allowed: {codes}")
    return MODE_CODES[int(value)]


def reshape(base: RoleAssessment, changes: dict[str, float]) -> Reshape:
    """Read tasks added and removed out of ``changes`` (see the module doc)."""
    try:
        changes = canonical_changes(changes)
    except ValueError as exc:
        raise KnobError(str(exc)) from None
    names = {t.name for t in base.tasks}
    per_task: dict[str, dict[str, float]] = {}
    plain: dict[str, float] = {}
    for kid, v in changes.items():
        parsed = task_of(kid)
        if parsed is not None and (parsed.field in ("mode", "remove") or parsed.target not in names):
            if parsed.field not in TASK_FIELDS:
                knob(base, kid)  # raises the unknown-knob message
            per_task.setdefault(parsed.target, {})[parsed.field] = v
        else:
            plain[kid] = v
    if not per_task:
        return Reshape(base, plain, (), (), {})
    added: list[str] = []
    removed: list[str] = []
    modes: dict[str, TaskMode] = {}
    new_tasks: list[dict] = []
    for name, fields in per_task.items():
        if "mode" in fields:
            modes[name] = _mode(name, fields["mode"])
        if "remove" in fields:
            v = fields["remove"]
            if name not in names:
                raise KnobError(f"{task_remove_id(name)}: the role has no task {name!r} to remove")
            if isinstance(v, bool) or v != 1:
                raise KnobError(f"{task_remove_id(name)}: {v!r} is not valid; allowed: 1 (the task is removed)")
            if len(fields) > 1 or task_share_id(name) in plain or task_score_id(name) in plain:
                raise KnobError(f"task {name!r} is removed; a removed task takes no other change")
            removed.append(name)
            continue
        if name in names:
            continue  # an existing task's mode
        if "share" not in fields or "score" not in fields:
            given = next(KnobId.task(name, f).format() for f in fields)
            raise _unknown_knob(
                given,
                f": the role has no task {name!r} (to add it, give both {task_share_id(name)} "
                f"and {task_score_id(name)}, optionally {task_mode_id(name)})",
            )
        sc = task_knob(name, "score").check(fields["score"])
        plain[task_share_id(name)] = task_knob(name, "share").check(fields["share"])
        new_tasks.append(
            {"name": name, "time_share": 0.0, "score": sc, "mode": modes.get(name, TaskMode.AUGMENTATION).value}
        )
        added.append(name)
    for name in removed:
        plain[task_share_id(name)] = 0.0
    ext = _extended(base, new_tasks, removed) if new_tasks else base
    return Reshape(ext, plain, tuple(added), tuple(removed), modes)


class _ReshapingRole(RoleAssessment):
    """A role while a scenario is applied to it: its own tasks (a removed one still there, at
    share 0) and the tasks the scenario adds, side by side. Only the result is held to
    MAX_TASKS, so a full role can swap a task for another (``_extended`` checks the count)."""

    model_config = ConfigDict(title="RoleAssessment")  # validation messages name the role as usual
    tasks: list[Task] = Field(min_length=1, max_length=2 * MAX_TASKS)


def _extended(base: RoleAssessment, new_tasks: list[dict], removed: list[str]) -> RoleAssessment:
    """``base`` with ``new_tasks`` appended (share 0), or a KnobError; the role the changes leave
    (without ``removed``) may have at most MAX_TASKS tasks."""
    added = [t["name"] for t in new_tasks]
    what = f"adding task {', '.join(repr(n) for n in added)}"
    result = len(base.tasks) - len(removed) + len(new_tasks)
    if result > MAX_TASKS:
        raise KnobError(f"{what}: the role would have {result} tasks; allowed: at most {MAX_TASKS}"
                        " (remove as many as you add)")
    data = base.model_dump(mode="json")
    data["tasks"] += new_tasks
    try:
        ext = _ReshapingRole.model_validate(data)
    except ValidationError as exc:
        raise KnobError(f"{what}: {describe_validation_error(exc)}") from None
    for given, kept in zip(added, (t.name for t in ext.tasks[len(base.tasks) :]), strict=True):
        if given != kept:  # the model cleaned the name: ids must name the task as it is kept
            raise KnobError(f"task name {given!r}: write it as {kept!r} (no invisible characters at its ends)")
    return ext


def check_changes(base: RoleAssessment, changes: dict[str, float]) -> dict[str, float]:
    """The changes, checked as ``apply_changes`` checks them (every value against its knob,
    tasks added or removed, shares that fit together), or a KnobError naming the first problem."""
    apply_changes(base, changes)
    return dict(changes)


def _apply_knobs(base: RoleAssessment, changes: dict[str, float], locked: Iterable[str]) -> dict | None:
    """The model data of ``base`` with plain knob changes applied (None when there are none)."""
    checked: dict[Knob, float] = {}
    for knob_id, value in changes.items():
        k = knob(base, knob_id)
        checked[k] = k.check(value)
    held = [_share_task(base, name) for name in locked]
    if not checked:
        return None
    data = base.model_dump()
    tasks = {t["name"]: t for t in data["tasks"]}
    pinned: dict[str, float] = {}
    for k, v in checked.items():
        if k.kind == "score":
            tasks[k.target]["score"] = v
        elif k.kind == "share":
            pinned[k.target] = v
        elif k.kind == "evidence":
            data["evidence"][k.target] = v
        elif k.kind == "barrier":
            data["barriers"][k.target] = v
        else:
            data["growth_correlation"] = v
    if pinned:
        for name in held:
            pinned.setdefault(name, base.task(name).time_share)
        for name, share in _rescaled_shares(base, pinned).items():
            tasks[name]["time_share"] = share
    return data


def apply_changes(base: RoleAssessment, changes: dict[str, float], locked: Iterable[str] = ()) -> RoleAssessment:
    """The base assessment with knob changes applied (see the module doc for shares, and for
    tasks added and removed).

    locked: names of tasks whose share is pinned at its base value whenever another share
    moves (a task the changes name takes the named value).
    """
    r = reshape(base, changes)
    data = _apply_knobs(r.base, r.changes, locked)
    if data is None and not r.modes:
        return base
    if data is None:
        data = base.model_dump()
    if r.removed or r.modes:
        data["tasks"] = [t for t in data["tasks"] if t["name"] not in r.removed]
        for t in data["tasks"]:
            if t["name"] in r.modes:
                t["mode"] = r.modes[t["name"]]
    # A role in the middle of a reshape (attribution scores it with its removed tasks at share 0)
    # stays one; any other result is a role like every other, MAX_TASKS included.
    changed = type(base).model_validate(data)
    if (changed.tasks, changed.evidence, changed.barriers, changed.growth_correlation) == (
        base.tasks,
        base.evidence,
        base.barriers,
        base.growth_correlation,
    ):
        return base  # nothing moved: still the published assessment
    # A what-if role: the published result and any override were made for other inputs.
    return changed.model_copy(update={"published": None, "override": None})


def set_value(assessment: RoleAssessment, knob_id: str, value: float) -> RoleAssessment:
    """One knob moved; a share move rescales the other tasks proportionally."""
    return apply_changes(assessment, {knob_id: value})


def apply(base: RoleAssessment, scenario: Scenario) -> RoleAssessment:
    """The base assessment as the scenario describes it."""
    return apply_changes(base, scenario.changes)


def changes_between(base: RoleAssessment, changed: RoleAssessment) -> dict[str, float]:
    """Knob changes that turn ``base`` into ``changed``, in knob order.

    Tasks ``changed`` adds (after the base's tasks, in its order) are written as share, score
    and, unless augmentation, mode; tasks it drops as ``task:<name>:remove``; a task whose mode
    differs as ``task:<name>:mode``. Shares: if any moved, every share is recorded so that
    ``apply_changes`` reproduces them exactly.
    """
    before_names = [t.name for t in base.tasks]
    after_names = [t.name for t in changed.tasks]
    kept = [n for n in before_names if n in after_names]
    added = [n for n in after_names if n not in before_names]
    if [n for n in after_names if n in before_names] != kept:
        raise KnobError("the two assessments list their common tasks in different orders")
    before = values(base)
    after = values(changed)
    out: dict[str, float] = {}
    for kid, v in after.items():
        if kid in before and abs(v - before[kid]) > SHARE_EPSILON:
            out[kid] = v
    for name in before_names:
        if name not in after_names:
            out[task_remove_id(name)] = 1
    for name in added:
        t = changed.task(name)
        out[task_score_id(name)] = t.score
        if t.mode != TaskMode.AUGMENTATION:
            out[task_mode_id(name)] = MODE_CODES.index(t.mode)
    for name in kept:
        if changed.task(name).mode != base.task(name).mode:
            out[task_mode_id(name)] = MODE_CODES.index(changed.task(name).mode)
    shares_moved = added or len(kept) < len(before_names) or bool(set_share_tasks(out))
    if shares_moved and len(changed.tasks) > 1:
        for t in changed.tasks:
            out[task_share_id(t.name)] = t.time_share
    elif added:  # a single task replacing the others
        out[task_share_id(added[0])] = changed.tasks[0].time_share
    order = list(after) + [k for k in out if k not in after]
    return {kid: out[kid] for kid in order if kid in out}


# ---------------------------------------------------------------- shares the user set stay put


@dataclass(frozen=True)
class ShareMove:
    """The outcome of moving one share while the shares the user set or locked stay put."""

    changes: dict[str, float]  # the new changes: the moved share, every set share, every locked share
    value: float  # the share the moved task gets
    wanted: float  # the share that was asked for
    limited: bool  # True when ``value`` differs from ``wanted``
    message: str  # why it was limited ("" when it was not)


def set_share_tasks(changes: dict[str, float]) -> list[str]:
    """Names of the tasks whose share a changes dict sets, in its order."""
    return [k.target for k in map(task_of, changes) if k is not None and k.field == "share"]


def move_share(
    base: RoleAssessment,
    changes: dict[str, float],
    knob_id: str,
    value: float,
    locked: Iterable[str] = (),
) -> ShareMove:
    """Move one task's share on top of ``changes``; see the share rule in the module doc.

    Only tasks whose share is neither set in ``changes`` nor ``locked`` give or take time, in
    proportion, and the role keeps its own share total. The move is limited to what that
    allows: at most what the set and locked tasks leave; when every other task is set or
    locked, the share cannot move at all. Locked tasks are written into the new changes at
    their current share, so ``apply_changes(base, move.changes)`` holds them where they are.
    Tasks the changes add can be moved and locked like the others; removed tasks stay removed.
    """
    r = reshape(base, changes)
    k = knob(r.base, knob_id)
    if k.kind != "share":
        raise KnobError(f"{knob_id}: not a time share; move_share moves task:<task name>:share knobs")
    if k.target in r.removed:
        raise KnobError(f"{knob_id}: task {k.target!r} is removed by these changes")
    wanted = k.check(value)
    current = apply_changes(base, changes)
    held = {name: r.changes[task_share_id(name)] for name in set_share_tasks(r.changes) if name != k.target}
    for name in locked:
        name = _share_task(r.base, name)
        if name != k.target and name not in r.removed:
            held.setdefault(name, current.task(name).time_share)
    free = [t.name for t in r.base.tasks if t.name != k.target and t.name not in held]
    room = max(0.0, float(exact.exact_sum(t.time_share for t in r.base.tasks) - exact.exact_sum(held.values())))
    names = ", ".join(sorted(n for n in held if n not in r.removed))
    v, message = wanted, ""
    if not free:
        v = room
        if abs(wanted - room) > SHARE_EPSILON:
            message = (
                f"{k.target} stays at {room:.1f}%: every other task's share is set or locked ({names}). "
                "Unlock one of them to move this share."
            )
    elif wanted > room + SHARE_EPSILON:
        v = room
        message = (
            f"{k.target} can take at most {room:.1f}% of the time: the shares set or locked for {names} "
            "keep the rest. Unlock one of them to give this task more."
        )
    new = dict(changes)
    for name, share in held.items():
        if name not in r.removed:
            new[task_share_id(name)] = share
    new[knob_id] = min(max(v, k.min), k.max)
    return ShareMove(changes=new, value=new[knob_id], wanted=wanted, limited=bool(message), message=message)


#: Decimals of a time share as the app shows it (its slider, its tables).
SHARE_SHOWN_DECIMALS = 1


def shown_state(assessment: RoleAssessment, methodology: Methodology = DEFAULT) -> tuple:
    """What a person sees of an assessment: the published score, its zone and sub-label (as
    :func:`aijri_core.scoring.score` decides them, on exact values) and every task's time share
    to the tenth the app shows."""
    from .scoring import score  # scoring does not import knobs; kept local to keep this module light

    s = score(assessment, methodology)
    shares = tuple(f"{t.time_share:.{SHARE_SHOWN_DECIMALS}f}" for t in assessment.tasks)
    return s.score, s.clamped, s.zone, s.sublabel, s.final_zone, s.final_sublabel, shares


def shortest_shares(
    base: RoleAssessment,
    changes: dict[str, float],
    knob_ids: Iterable[str],
    methodology: Methodology = DEFAULT,
) -> dict[str, float]:
    """``changes`` with each set share of ``knob_ids`` written with the fewest decimals that
    show the same: round(v, d) for the smallest d (0 to 15) that leaves :func:`shown_state`
    and the role's share total (to SHARE_EPSILON, as move_share holds it) unchanged, or v itself.

    A share the app derives and then holds (a lock, the room left when every other share is
    set) is a float such as 8.133333333333333; held as 8.13 it shows the same score, zone and
    shares, and a link writes it in four characters. The rounded value is the state (the link
    carries it exactly), so a link reopens to exactly what the app holds.
    """
    out = dict(changes)
    for kid in knob_ids:
        v = out.get(kid)
        if v is None or task_of(kid) is None or task_of(kid).field != "share":
            continue
        wanted = total = None
        for d in range(16):
            r = round(v, d)
            if r == v:
                break
            if wanted is None:  # worked out only for a value that has a shorter decimal to try
                now = apply_changes(base, out)
                wanted, total = shown_state(now, methodology), sum(t.time_share for t in now.tasks)
            trial = {**out, kid: r}
            try:
                a = apply_changes(base, trial)
                same = (abs(sum(t.time_share for t in a.tasks) - total) <= SHARE_EPSILON
                        and shown_state(a, methodology) == wanted)
            except (AIJRIError, ValueError):  # e.g. a rounded share past what the others leave
                same = False
            if same:
                out = trial
                break
    return out


def count_changed_inputs(changes: dict[str, float]) -> int:
    """Inputs a user changed: every change counts once, each time share the user set too (the
    changes hold only the shares set; the others follow them and are not counted)."""
    return len(changes)
