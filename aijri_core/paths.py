"""PathDraft: a coach's path being built, as a typed, pure model (no Streamlit).

A path starts from the baseline or a saved scenario (its changes are the start's) and goes
through named steps; each step holds its own changes, on top of the step before
(:func:`aijri_core.trajectories.cumulative_changes`). Every edit returns a new draft; an edit
that would leave a step that no longer applies to the role raises an AIJRIError naming it and
leaves the draft as it was. Step names are unique (case-insensitively, "Start" included).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from .errors import AIJRIError
from .knobs import apply_changes, changes_between
from .methodology import DEFAULT, Methodology
from .model import MAX_NAME, RoleAssessment, Scenario
from .scoring import Score
from .trajectories import cumulative_changes, path_scenarios, path_scores, step_changes

#: The name of the path's first point (the start), which no step may take.
START = "Start"
#: What the start is called when it is the role itself.
BASELINE = "Baseline"
DEFAULT_PATH_NAME = "Client path"


class PathError(AIJRIError):
    """An edit of a path that is not allowed (a taken step name, a step that does not apply)."""


@dataclass(frozen=True)
class Step:
    """One step of a path: its name, a note, and its own changes (knob id -> value)."""

    name: str
    note: str = ""
    changes: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class PathDraft:
    """A path being built: name, start (``BASELINE`` or a saved scenario's name) with its
    changes, the steps (at least one) and the step being edited (``pick``)."""

    name: str = DEFAULT_PATH_NAME
    start: str = BASELINE
    start_changes: Mapping[str, float] = field(default_factory=dict)
    steps: tuple[Step, ...] = (Step("Step 1"),)
    pick: int = 0

    def __post_init__(self) -> None:
        if not self.steps:
            raise PathError("a path keeps at least one step")
        object.__setattr__(self, "pick", min(max(self.pick, 0), len(self.steps) - 1))

    @property
    def step(self) -> Step:
        """The step being edited."""
        return self.steps[self.pick]

    # ------------------------------------------------------------ reading

    def changes_at(self, index: int, base: RoleAssessment) -> dict[str, float]:
        """The changes in force at step ``index`` (its own included); -1: the start's."""
        if index < 0:
            return dict(self.start_changes)
        names = {t.name for t in base.tasks}
        return cumulative_changes(self.start_changes, [s.changes for s in self.steps[: index + 1]], names)[-1]

    def role_at(self, index: int, base: RoleAssessment) -> RoleAssessment:
        """The role as step ``index`` leaves it (-1: at the start)."""
        return apply_changes(base, self.changes_at(index, base))

    def scores(self, base: RoleAssessment, methodology: Methodology = DEFAULT) -> list[Score]:
        """The score at the start and after each step; a PathError names the first step that does not apply."""
        try:
            return path_scores(base, self.start_changes, [s.changes for s in self.steps], methodology)
        except PathError:
            raise
        except AIJRIError as exc:
            raise PathError(str(exc)) from None

    def scenarios(self, base: RoleAssessment) -> list[Scenario]:
        """The path as scenarios to save: the start, then each step with the changes in force there."""
        return path_scenarios(self.name, self.start_changes, [(s.name, s.note, s.changes) for s in self.steps],
                              start_name=START, base_tasks={t.name for t in base.tasks})

    def unique_step_name(self, wanted: str) -> str:
        """``wanted``, or ``wanted (2)``, ``wanted (3)``... : the first no step (nor the start) has."""
        names = {s.name.casefold() for s in self.steps} | {START.casefold()}
        name, n = wanted, 2
        while name.casefold() in names:
            name, n = f"{wanted} ({n})", n + 1
        return name

    # ------------------------------------------------------------ editing (each returns a new draft)

    def renamed(self, name: str) -> PathDraft:
        return replace(self, name=name.strip())

    def started_from(self, start: str, changes: Mapping[str, float]) -> PathDraft:
        """The path from another start: ``BASELINE`` (no changes) or a saved scenario's changes."""
        return replace(self, start=start, start_changes=dict(changes) if start != BASELINE else {})

    def picked(self, index: int) -> PathDraft:
        return replace(self, pick=index)

    def with_step_name(self, name: str) -> PathDraft:
        """The edited step renamed; a PathError when the name is empty or another step (or the start) has it."""
        new = name.strip()
        taken = {s.name.casefold() for j, s in enumerate(self.steps) if j != self.pick} | {START.casefold()}
        if not new:
            raise PathError(f"step name: empty; allowed: 1 to {MAX_NAME} characters, a name no other step of this path has")
        if len(new) > MAX_NAME:
            raise PathError(f"step name: {len(new)} characters; allowed: at most {MAX_NAME}")
        if new.casefold() in taken:
            raise PathError(f"step name {new!r} is taken; allowed: a name no other step of this path has")
        return self._with_step(replace(self.step, name=new))

    def with_step_note(self, note: str) -> PathDraft:
        return self._with_step(replace(self.step, note=note))

    def with_changes(self, new: Mapping[str, float], base: RoleAssessment,
                     methodology: Methodology = DEFAULT) -> PathDraft:
        """The edited step with ``new`` changes added (a later value of an input wins); a PathError
        when the path would no longer apply (later steps build on this one)."""
        draft = self._with_step(replace(self.step, changes={**self.step.changes, **new}))
        draft.scores(base, methodology)
        return draft

    def without_changes(self, knob_ids) -> PathDraft:
        """The edited step without these changes (ids it does not hold are ignored)."""
        gone = set(knob_ids)
        return self._with_step(replace(self.step, changes={k: v for k, v in self.step.changes.items()
                                                           if k not in gone}))

    def holding(self, target: RoleAssessment, base: RoleAssessment) -> PathDraft:
        """The edited step's own changes become what turns the step before into ``target``."""
        before = self.role_at(self.pick - 1, base)
        return self._with_step(replace(self.step, changes=changes_between(before, target)))

    def with_step_added(self) -> PathDraft:
        """A new empty step after the edited one, which becomes the edited step."""
        i = self.pick + 1
        step = Step(self.unique_step_name(f"Step {len(self.steps) + 1}"))
        return replace(self, steps=(*self.steps[:i], step, *self.steps[i:]), pick=i)

    def with_step_moved(self, delta: int) -> PathDraft:
        """The edited step moved ``delta`` places (not past either end); it stays the edited step."""
        i, j = self.pick, self.pick + delta
        if not 0 <= j < len(self.steps):
            return self
        steps = list(self.steps)
        steps[i], steps[j] = steps[j], steps[i]
        return replace(self, steps=tuple(steps), pick=j)

    def with_step_deleted(self) -> PathDraft:
        """The edited step deleted; the only step of a path is emptied instead (a path keeps one)."""
        if len(self.steps) == 1:
            return self._with_step(replace(self.step, changes={}))
        steps = self.steps[: self.pick] + self.steps[self.pick + 1 :]
        return replace(self, steps=steps, pick=min(self.pick, len(steps) - 1))

    def _with_step(self, step: Step) -> PathDraft:
        return replace(self, steps=(*self.steps[: self.pick], step, *self.steps[self.pick + 1 :]))

    # ------------------------------------------------------------ from saved scenarios

    @classmethod
    def from_trajectory(cls, name: str, items: list[Scenario], base: RoleAssessment) -> PathDraft:
        """A saved trajectory (its scenarios in order) as a draft: the first is the start, the others the steps."""
        if not items:
            raise PathError(f"no saved trajectory named {name!r}")
        own = step_changes(base, items[0].changes, [dict(sc.changes) for sc in items[1:]])
        steps = tuple(Step(sc.position or sc.name, sc.note, c) for sc, c in zip(items[1:], own, strict=True))
        return cls(name=name, start=BASELINE if not items[0].changes else items[0].name,
                   start_changes=dict(items[0].changes), steps=steps or (Step("Step 1"),))
