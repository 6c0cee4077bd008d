"""Illustrative trajectories bundled with a role: ordered scenarios on its assessment.

data/trajectories/<role slug>.json holds ``{"role", "illustrative", "note",
"trajectories": [{"name", "note", "scenarios": [{"name", "position", "note", "changes"}]}]}``.
Each scenario's changes are relative to the role's base assessment (a later step repeats
the earlier steps' changes), so every scenario can be applied on its own.
"""

from __future__ import annotations

import re

import pandas as pd
from pydantic import ValidationError

from .errors import AIJRIError, describe_validation_error
from .io import data_dir, parse_json_text
from .knobs import apply
from .methodology import DEFAULT, Methodology
from .model import RoleAssessment, Scenario
from .scoring import score

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
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AIJRIError(f"{what}: cannot be read ({exc.__class__.__name__})") from None
    doc = parse_json_text(text, what)
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
                "change": round(s.score - s0.score, methodology.decimals + 6),
                "note": sc.note,
            }
        )
    columns = ["step", "trajectory", "position", "scenario", "score", "score_unclamped", "zone", "sublabel"]
    return pd.DataFrame(rows, columns=[*columns, "change", "note"])
