"""Exact Shapley attribution of a scenario's score change, for a waterfall chart.

The change in the UNCLAMPED score (before capping and rounding, so the parts add up
exactly) is split among the four groups tasks / evidence / barriers / growth, and among
the individual changed knobs when there are at most ``MAX_SHAPLEY_KNOBS`` of them. Each
player's part is its average marginal effect over every order in which the changes could
be made (all 2^n coalitions, scored at once with ``score_many``); the parts sum to the
change.

Coalitions and shares: a coalition applies its knobs to the base. The share knobs in a
coalition are pinned together with the share rule of :mod:`aijri_core.knobs` (the pinned
tasks take their values, the other tasks fill the rest of the role's own share total in
their old proportions). When a scenario pins every task's share, the shares ``apply``
produced are used, so any subset of them is a valid set of pins.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from math import factorial
from typing import TYPE_CHECKING

import numpy as np

from ..errors import AIJRIError
from ..knobs import GROUPS, SHARE_EPSILON, apply_changes, changes_between, knob, reshape, task_share_id
from ..methodology import DEFAULT, Methodology
from ..model import RoleAssessment, Scenario
from ..scoring import score, score_many
from ._variants import layout, variant_inputs

if TYPE_CHECKING:
    import pandas as pd

#: Largest number of changed knobs attributed individually (2^12 = 4096 coalitions).
MAX_SHAPLEY_KNOBS = 12

GROUP_LABELS = {
    "tasks": "Tasks (scores and time)",
    "evidence": "Evidence",
    "barriers": "Barriers",
    "growth": "AI growth correlation",
}


@dataclass(frozen=True)
class AttributionPart:
    key: str  # group name, or knob id
    label: str
    contribution: float  # score points (unclamped)


@dataclass(frozen=True)
class Attribution:
    base_score: float  # unclamped
    scenario_score: float  # unclamped
    base_published: float
    scenario_published: float
    change: float  # scenario_score - base_score; the parts sum to it
    groups: tuple[AttributionPart, ...]  # tasks, evidence, barriers, growth (always all four)
    knobs: tuple[AttributionPart, ...] | None  # per changed knob, in knob order; None above 12

    def to_dict(self) -> dict:
        """The result as `aijri attribute --json` writes it (JSON-ready through ``io.json_text``)."""
        return {
            "base_score": self.base_score,
            "scenario_score": self.scenario_score,
            "base_published": self.base_published,
            "scenario_published": self.scenario_published,
            "change": self.change,
            "groups": [asdict(p) for p in self.groups],
            "knobs": None if self.knobs is None else [asdict(p) for p in self.knobs],
        }

    def to_df(self) -> pd.DataFrame:
        """Rows: the four groups (level "group"), then the knobs (level "knob", with knob_id)."""
        import pandas as pd

        rows = [
            {"level": "group", "key": p.key, "knob_id": None, "label": p.label, "contribution": p.contribution}
            for p in self.groups
        ]
        for p in self.knobs or ():
            rows.append(
                {"level": "knob", "key": p.key, "knob_id": p.key, "label": p.label, "contribution": p.contribution}
            )
        return pd.DataFrame(rows, columns=["level", "key", "knob_id", "label", "contribution"])


def _changes_of(base: RoleAssessment, scenario) -> dict[str, float]:
    if isinstance(scenario, Scenario):
        return dict(scenario.changes)
    if isinstance(scenario, RoleAssessment):
        return changes_between(base, scenario)
    if isinstance(scenario, dict):
        return dict(scenario)
    raise AIJRIError("attribute needs a Scenario, a changed assessment or a dict of knob changes")


def _players(base: RoleAssessment, changes: dict[str, float], applied: RoleAssessment) -> list[tuple[str, float]]:
    """(knob id, value) of every change that matters, in knob order; shares normalised."""
    lay = layout(base)
    values = dict(zip((k.id for k in lay.knobs), lay.base_values, strict=True))
    checked = {}
    for kid, v in changes.items():
        checked[kid] = knob(base, kid).check(v)
    share_ids = [kid for kid in checked if knob(base, kid).kind == "share"]
    shares_moved = any(
        abs(t_new.time_share - t_old.time_share) > SHARE_EPSILON
        for t_new, t_old in zip(applied.tasks, base.tasks, strict=True)
    )
    if share_ids and len(share_ids) == len(base.tasks):
        # every task pinned: use the shares apply() produced (see knobs.pinned_shares)
        for kid in share_ids:
            checked[kid] = applied.task(knob(base, kid).target).time_share
    out = []
    for k in lay.knobs:
        if k.id not in checked:
            continue
        if k.kind == "share":
            if shares_moved:
                out.append((k.id, float(checked[k.id])))
        elif checked[k.id] != values[k.id]:
            out.append((k.id, float(checked[k.id])))
    return out


def _coalition_values(base: RoleAssessment, players, member: np.ndarray, m: Methodology) -> np.ndarray:
    """Unclamped scores of coalitions: member (M, P) True where player p is in the coalition."""
    lay = layout(base)
    index = {k.id: q for q, k in enumerate(lay.knobs)}
    mask = np.zeros((member.shape[0], len(lay.knobs)), dtype=bool)
    vals = np.zeros((member.shape[0], len(lay.knobs)))
    for p, (kid, v) in enumerate(players):
        mask[:, index[kid]] = member[:, p]
        vals[:, index[kid]] = v
    kwargs, invalid = variant_inputs(lay, mask, vals)
    if invalid.any():  # pragma: no cover - subsets of valid pins are valid
        raise AIJRIError("scenario shares cannot be split into valid partial changes")
    return score_many(methodology=m, **kwargs).score_unclamped


def _shapley(n_players: int, value_of) -> np.ndarray:
    """Exact Shapley values; value_of(member (2^n, n) bool) -> (2^n,) coalition values."""
    if n_players == 0:
        return np.zeros(0)
    masks = np.arange(1 << n_players)
    member = ((masks[:, None] >> np.arange(n_players)[None, :]) & 1).astype(bool)
    v = value_of(member)
    size = member.sum(axis=1)
    weight = np.array([factorial(s) * factorial(n_players - s - 1) / factorial(n_players) for s in range(n_players)])
    phi = np.empty(n_players)
    for i in range(n_players):
        without = masks[~member[:, i]]
        phi[i] = np.sum(weight[size[without]] * (v[without | (1 << i)] - v[without]))
    return phi


def attribute(
    base: RoleAssessment,
    scenario: Scenario | RoleAssessment | dict,
    methodology: Methodology = DEFAULT,
) -> Attribution:
    """Shapley attribution of the unclamped score change from ``base`` to ``scenario``.

    scenario: a Scenario on this base, the changed assessment itself, or {knob id: value}.
    Groups: tasks, evidence, barriers, growth (always all four, 0 where nothing changed).
    Knobs: one part per changed knob when there are at most 12, else None. A task the
    scenario adds or removes is one part of its own ("<name> (added)", "<name> (removed)").
    """
    m = methodology
    s_base = score(base, m)
    # tasks added or removed: an added task joins the base at share 0 (no effect on the
    # score), a removed one goes to share 0; each is then the player of its own share
    r = reshape(base, _changes_of(base, scenario))
    base, changes = r.base, r.changes
    applied = apply_changes(base, changes)
    players = _players(base, changes, applied)
    s_new = score(applied, m)
    lay = layout(base)
    group_of = {k.id: k.group for k in lay.knobs}
    label_of = {k.id: k.label for k in lay.knobs}
    for name in r.added:
        label_of[task_share_id(name)] = f"{name} (added)"
    for name in r.removed:
        label_of[task_share_id(name)] = f"{name} (removed)"
    player_groups = np.array([GROUPS.index(group_of[kid]) for kid, _ in players], dtype=int)

    def group_value(member_groups: np.ndarray) -> np.ndarray:
        member = member_groups[:, player_groups] if len(players) else np.zeros((len(member_groups), 0), bool)
        return _coalition_values(base, players, member, m)

    group_phi = _shapley(len(GROUPS), group_value)
    groups = tuple(AttributionPart(g, GROUP_LABELS[g], float(group_phi[i])) for i, g in enumerate(GROUPS))
    knob_parts = None
    if len(players) <= MAX_SHAPLEY_KNOBS:
        phi = _shapley(len(players), lambda member: _coalition_values(base, players, member, m))
        knob_parts = tuple(AttributionPart(kid, label_of[kid], float(phi[p])) for p, (kid, _) in enumerate(players))
    return Attribution(
        base_score=s_base.score_unclamped,
        scenario_score=s_new.score_unclamped,
        base_published=s_base.score,
        scenario_published=s_new.score,
        change=s_new.score_unclamped - s_base.score_unclamped,
        groups=groups,
        knobs=knob_parts,
    )
