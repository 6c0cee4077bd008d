"""Trajectories: ordered scenarios on a role's assessment (a client's path, a career, years).

A path is built as steps, each a set of changes on top of the previous step (cumulative);
it is saved as scenarios whose changes are relative to the role's base assessment (every
saved step repeats the earlier steps' changes), so each step can be applied on its own.
:func:`cumulative_changes` and :func:`step_changes` convert between the two views.

Illustrative trajectories bundled with a role:

data/trajectories/<role slug>.json holds ``{"role", "illustrative", "note",
"trajectories": [{"name", "note", "scenarios": [{"name", "position", "note", "changes"}]}]}``.
Each scenario's changes are relative to the role's base assessment (a later step repeats
the earlier steps' changes), so every scenario can be applied on its own.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

from pydantic import ValidationError

from .errors import AIJRIError, describe_validation_error
from .exact import difference
from .io import data_dir, decode_text, parse_json_text, read_file_bytes
from .knobs import MODE_CODES, SHARE_EPSILON, apply, apply_changes, knobs, task_of, task_remove_id, values
from .methodology import DEFAULT, Methodology, Zone
from .model import BARRIER_LABELS, EVIDENCE_LABELS, MAX_NAME, RoleAssessment, Scenario
from .scoring import Score, score
from .textfmt import fixed, percent, signed, signed_fixed, trimmed

if TYPE_CHECKING:
    import pandas as pd

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


def trajectories_path(role_slug: str):
    """The bundled trajectories file of a role (it may not exist)."""
    if not isinstance(role_slug, str) or not _SLUG.match(role_slug):
        raise AIJRIError(f"role {role_slug!r} is not a bundled role name; allowed: lower-case letters, digits, '-'")
    return data_dir() / "trajectories" / f"{role_slug}.json"


def bundled_trajectories(role_slug: str) -> dict[str, list[Scenario]]:
    """Trajectory name -> its scenarios in order (each with ``trajectory`` set to the name).

    A role without a trajectories file has none ({}). A malformed file raises AIJRIError
    naming the file and the problem.
    """
    path = trajectories_path(role_slug)
    if not path.is_file():
        return {}
    what = f"trajectories file {path.name}"
    doc = parse_json_text(decode_text(read_file_bytes(path, what), what), what)
    if not isinstance(doc, dict) or not isinstance(doc.get("trajectories"), list):
        raise AIJRIError(f"{what}: expected an object with a list 'trajectories'")
    out: dict[str, list[Scenario]] = {}
    for i, tr in enumerate(doc["trajectories"], start=1):
        if not isinstance(tr, dict) or not isinstance(tr.get("name"), str) or not isinstance(tr.get("scenarios"), list):
            raise AIJRIError(f"{what}: trajectory {i} needs a 'name' and a list 'scenarios'")
        name = tr["name"]
        if name in out:
            raise AIJRIError(f"{what}: trajectory name {name!r} appears twice")
        scenarios = []
        for j, sc in enumerate(tr["scenarios"], start=1):
            if not isinstance(sc, dict):
                raise AIJRIError(f"{what}: {name!r} step {j} is not an object")
            try:
                scenarios.append(Scenario.model_validate({**sc, "trajectory": name}))
            except ValidationError as exc:
                raise AIJRIError(describe_validation_error(exc, context=f"{what}, {name!r} step {j}")) from None
        out[name] = scenarios
    return out


def trajectory_table(
    base: RoleAssessment,
    scenarios: list[Scenario],
    methodology: Methodology = DEFAULT,
) -> pd.DataFrame:
    """One row per scenario in order: trajectory, position, scenario, score (published),
    score_unclamped, zone, sublabel, change (published points vs the base)."""
    import pandas as pd

    s0 = score(base, methodology)
    rows = []
    for i, sc in enumerate(scenarios):
        s = score(apply(base, sc), methodology)
        rows.append(
            {
                "step": i,
                "trajectory": sc.trajectory,
                "position": sc.position if sc.position is not None else sc.name,
                "scenario": sc.name,
                "score": s.score,
                "score_unclamped": s.score_unclamped,
                "zone": s.zone.value,
                "sublabel": s.sublabel,
                "change": difference(s.score, s0.score),
                "note": sc.note,
            }
        )
    columns = ["step", "trajectory", "position", "scenario", "score", "score_unclamped", "zone", "sublabel"]
    return pd.DataFrame(rows, columns=[*columns, "change", "note"])


# ---------------------------------------------------------------- building a path step by step


def _task_name(knob_id: str) -> str | None:
    """The task a change names, else None."""
    task = task_of(knob_id)
    return task.target if task is not None else None


def cumulative_changes(
    start: Mapping[str, float], steps: Sequence[Mapping[str, float]], base_tasks: Collection[str] | None = None
) -> list[dict[str, float]]:
    """The changes (relative to the base) in force at each step: the start's, then each
    step's own changes on top of the previous step's (a later value of an input wins).

    A step that removes a task drops the earlier changes of that task; a task an earlier step
    added (not one of ``base_tasks``, the role's own task names) then simply goes away. A step
    that sets a removed task's score or share brings it back.
    """
    out: list[dict[str, float]] = []
    current = dict(start)
    for step in steps:
        current = dict(current)
        for kid, v in step.items():
            task = task_of(kid)
            if task is not None:
                mine = [k for k in current if _task_name(k) == task.target]
                if task.field == "remove":
                    for k in mine:
                        current.pop(k)
                    if base_tasks is not None and task.target not in base_tasks:
                        continue  # an added task removed again: it is simply not there
                else:
                    current.pop(task_remove_id(task.target), None)
            current[kid] = v
        out.append(dict(current))
    return out


def step_changes(
    base: RoleAssessment, start: Mapping[str, float], cumulative: Sequence[Mapping[str, float]]
) -> list[dict[str, float]]:
    """Each step's own changes from the changes in force at each step (the inverse of
    :func:`cumulative_changes`): the inputs whose value differs from the step before. An
    input a step no longer changes goes back to the base's value."""
    base_values = values(base)
    base_tasks = {t.name for t in base.tasks}
    out: list[dict[str, float]] = []
    previous = dict(start)
    for current in cumulative:
        own = {k: v for k, v in current.items() if k not in previous or previous[k] != v}
        for k in previous:
            if k in current:
                continue
            task = task_of(k)
            if k in base_values:
                own[k] = base_values[k]
            elif task is None or task.field == "remove":
                continue
            elif task.target not in base_tasks:
                if not any(_task_name(c) == task.target for c in current):
                    own[task_remove_id(task.target)] = 1  # a task added earlier that this step no longer has
            elif task.field == "mode":
                own[k] = MODE_CODES.index(base.task(task.target).mode)
        out.append(own)
        previous = dict(current)
    return out


def path_scores(
    base: RoleAssessment, start: Mapping[str, float], steps: Sequence[Mapping[str, float]],
    methodology: Methodology = DEFAULT,
) -> list[Score]:
    """The score at the start and after each step (len(steps) + 1 results); an AIJRIError
    names the first step whose changes do not apply."""
    out = [score(apply_changes(base, dict(start)), methodology)]
    for i, changes in enumerate(cumulative_changes(start, steps, {t.name for t in base.tasks}), start=1):
        try:
            out.append(score(apply_changes(base, changes), methodology))
        except AIJRIError as exc:
            raise AIJRIError(f"step {i}: {exc}") from None
    return out


def saved_paths(
    base: RoleAssessment, scenarios: Sequence[Scenario], methodology: Methodology = DEFAULT,
) -> dict[str, list[tuple[str, float]]]:
    """Saved scenarios grouped by trajectory (in saved order), each as [(step label, published score)].

    Scenarios without a trajectory form one path named "Saved scenarios". A path starts at
    the baseline unless one of its scenarios is the baseline itself (no changes). A step's
    label is its position (or its name); a label seen before in the path gets the name added.
    """
    base_score = score(base, methodology).score
    groups: dict[str, list[Scenario]] = {}
    for sc in scenarios:
        groups.setdefault(sc.trajectory or "Saved scenarios", []).append(sc)
    paths: dict[str, list[tuple[str, float]]] = {}
    for name, items in groups.items():
        path: list[tuple[str, float]] = []
        if all(sc.changes for sc in items):
            path.append(("Baseline", base_score))
        for sc in items:
            label = sc.position or sc.name
            if label in {p[0] for p in path}:
                label = f"{label} ({sc.name})"
            path.append((label, score(apply(base, sc), methodology).score))
        paths[name] = path
    return paths


def step_scenario_name(path: str, step: str) -> str:
    """The saved name of a path's step: "<path>: <step>" (cut to the longest name allowed)."""
    return f"{path}: {step}"[:MAX_NAME].strip()


def path_scenarios(
    path: str,
    start: Mapping[str, float],
    steps: Sequence[tuple[str, str, Mapping[str, float]]],
    start_name: str = "Start",
    base_tasks: Collection[str] | None = None,
) -> list[Scenario]:
    """A built path as scenarios to save: the start, then each (name, note, own changes)
    step with the changes in force there; ``trajectory`` is the path's name and
    ``position`` the step's name. Step names must be distinct and non-empty."""
    names = [start_name, *(name for name, _, _ in steps)]
    seen: set[str] = set()
    for name in names:
        key = name.strip().casefold()
        if not key:
            raise AIJRIError(f"step name: empty; allowed: 1 to {MAX_NAME} characters")
        if key in seen:
            raise AIJRIError(f"step name {name!r} appears twice; each step needs its own name")
        seen.add(key)
    path = path.strip()
    if not path:
        raise AIJRIError(f"path name: empty; allowed: 1 to {MAX_NAME} characters")
    out = [Scenario(name=step_scenario_name(path, start_name), changes=dict(start), position=start_name,
                    trajectory=path)]
    cumulative = cumulative_changes(start, [c for _, _, c in steps], base_tasks)
    for (name, note, _), changes in zip(steps, cumulative, strict=True):
        out.append(Scenario(name=step_scenario_name(path, name), note=note, changes=changes, position=name,
                            trajectory=path))
    return out


def comparison_table(
    base: RoleAssessment, scenarios: Sequence[Scenario], methodology: Methodology = DEFAULT
) -> pd.DataFrame:
    """The baseline and scenarios side by side (one column each), results first: score,
    zone, change vs the baseline, distance to each zone line; then only the inputs that
    some scenario sets to another value than the baseline's (rows labelled as in the app)."""
    import pandas as pd

    m = methodology
    d = m.decimals
    variants = {"Baseline": base}
    for i, sc in enumerate(scenarios, start=1):
        variants[sc.name if sc.name not in variants else f"{sc.name} ({i})"] = apply(base, sc)
    scores = {name: score(a, m) for name, a in variants.items()}
    b = scores["Baseline"].score
    rows: dict[str, dict[str, str]] = {
        "Score": {n: fixed(s.score, d) for n, s in scores.items()},
        "Zone": {n: s.zone_text for n, s in scores.items()},
        "Change vs baseline": {n: signed_fixed(difference(s.score, b), d) for n, s in scores.items()},
    }
    for zone, line in ((Zone.GREEN, m.green_threshold), (Zone.YELLOW, m.yellow_threshold)):
        rows[f"Distance to {zone.label} ({line:g})"] = {
            n: signed_fixed(difference(s.score, line), d) for n, s in scores.items()
        }
    vals = {n: values(a) for n, a in variants.items()}
    # The role's inputs, then those of tasks a scenario adds; a task a scenario removes reads "removed".
    inputs = {k.id: k for k in knobs(base)}
    for a in variants.values():
        inputs.update({k.id: k for k in knobs(a) if k.id not in inputs})
    base_vals = vals["Baseline"]
    for kid, k in inputs.items():
        texts = {n: _input_text(k.kind, v[kid]) if kid in v else ("removed" if kid in base_vals else "-")
                 for n, v in vals.items()}
        if any(kid not in v or kid not in base_vals or abs(v[kid] - base_vals[kid]) > SHARE_EPSILON
               for v in vals.values()):
            rows[k.label] = texts
    for t in base.tasks:  # a task's mode, where a scenario changes it
        modes = {n: next((u.mode.value.replace("_", " ") for u in a.tasks if u.name == t.name), "removed")
                 for n, a in variants.items()}
        if any(m not in (modes["Baseline"], "removed") for m in modes.values()):
            rows[f"{t.name}: mode"] = modes
    df = pd.DataFrame.from_dict(rows, orient="index")
    df.index.name = "Result / input"
    return df


#: Rows of :func:`comparison_table` that are results, not inputs.
RESULT_ROWS = 5


def _input_text(kind: str, v: float) -> str:
    if kind == "share":
        return percent(v)
    if kind in ("evidence", "growth"):
        return signed(int(v))
    return trimmed(v)


def choose_scenarios(
    scenarios: Sequence[Scenario], only: Sequence[str] = (), trajectory: str | None = None
) -> list[Scenario]:
    """The scenarios a hand-out covers: those named in ``only`` and the steps of
    ``trajectory`` (in the given order, each once); all of them when neither is given.
    An unknown name is an AIJRIError listing the names there are."""
    if not only and trajectory is None:
        return list(scenarios)
    by_name = {sc.name: sc for sc in scenarios}
    missing = [n for n in only if n not in by_name]
    if missing:
        known = ", ".join(repr(n) for n in list(by_name)[:10]) + (" ..." if len(by_name) > 10 else "")
        raise AIJRIError(f"--only: no scenario named {missing[0]!r}; allowed: one of {known}")
    chosen = [by_name[n] for n in dict.fromkeys(only)]
    if trajectory is not None:
        steps = [sc for sc in scenarios if sc.trajectory == trajectory]
        if not steps:
            paths = list(dict.fromkeys(sc.trajectory for sc in scenarios if sc.trajectory))
            raise AIJRIError(f"--trajectory: no trajectory named {trajectory!r}; allowed: one of "
                             + (", ".join(repr(p) for p in paths) or "none (the file has no trajectories)"))
        chosen += [sc for sc in steps if sc not in chosen]
    return chosen


# ---------------------------------------------------------------- what a step changes, in words

#: How a task's mode reads in a sentence (augmentation, the usual mode, goes unsaid for a new task).
MODE_WORDS = {"augmentation": "AI assists", "displacement": "AI takes it over", "not_involved": "AI not involved"}


def change_clauses(before: RoleAssessment, after: RoleAssessment, changes: Mapping[str, float]) -> list[str]:
    """``changes`` (as applied to the role ``before``, giving ``after``) as short clauses in plain
    words, in the order: new tasks, changed tasks, removed tasks, then the other inputs, e.g.
    "spends 20% of time on a new task, AI platform cost engineering, rated 2",
    "Model serving goes to 30% of time (was 25%)", "AI growth correlation goes to +2 (was +1)".
    Shares are those of ``after`` (what the share rule made of the values given)."""
    had = {t.name: t for t in before.tasks}
    has = {t.name: t for t in after.tasks}
    added: list[str] = []
    changed: list[str] = []
    removed: list[str] = []
    other: list[str] = []
    done: set[str] = set()
    for kid in changes:
        parsed = task_of(kid)
        task = (parsed.target, parsed.field) if parsed is not None else None
        if task is None:
            k = next((k for k in knobs(before) if k.id == kid), None)
            if k is None:
                continue
            old, new = values(before)[kid], values(after)[kid]
            if old != new:
                label = {"evidence": f"{EVIDENCE_LABELS.get(k.target, k.target)} (evidence)",
                         "barrier": f"{BARRIER_LABELS.get(k.target, k.target)} (barrier)"}.get(k.kind, k.label)
                other.append(f"{label} goes to {_input_text(k.kind, new)} (was {_input_text(k.kind, old)})")
            continue
        name, field = task
        if name in done:
            continue
        if name not in had:
            if name in has:
                t = has[name]
                mode = "" if t.mode.value == "augmentation" else f" ({MODE_WORDS[t.mode.value]})"
                added.append(f"spends {percent(t.time_share)} of time on a new task, {name}, rated {t.score}{mode}")
            done.add(name)
            continue
        if name not in has:
            removed.append(f"no longer does {name} (its time goes to the other tasks)")
            done.add(name)
            continue
        old, new = had[name], has[name]
        if field == "share" and abs(new.time_share - old.time_share) > SHARE_EPSILON:
            changed.append(f"{name} goes to {percent(new.time_share)} of time (was {percent(old.time_share)})")
        elif field == "score" and new.score != old.score:
            changed.append(f"{name} rated {new.score} (was {old.score})")
        elif field == "mode" and new.mode != old.mode:
            changed.append(f"{name}: {MODE_WORDS[new.mode.value]} (was: {MODE_WORDS[old.mode.value]})")
    return added + changed + removed + other


def change_sentences(base: RoleAssessment, scenarios: Sequence[Scenario]) -> list[tuple[str, str]]:
    """For each scenario, what it changes in words: (what it is compared with, the clauses joined
    with '; ', or '' when nothing changes). A step of a trajectory is compared with the step
    before it in ``scenarios``; the first step and a scenario outside a trajectory with the
    role as assessed."""
    out: list[tuple[str, str]] = []
    previous: Scenario | None = None
    for sc in scenarios:
        after = apply(base, sc)
        if previous is not None and sc.trajectory is not None and previous.trajectory == sc.trajectory:
            own = step_changes(base, previous.changes, [sc.changes])[0]
            before = apply(base, previous)
            what = f"compared with {previous.position or previous.name}"
        else:
            own = dict(sc.changes)
            before = base
            what = "compared with the role as assessed"
        out.append((what, "; ".join(change_clauses(before, after, own))))
        previous = sc
    return out
