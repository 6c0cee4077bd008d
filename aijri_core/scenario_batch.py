"""Many saved scenarios of one role scored at once: what a page of scenarios, the wide CSV and
an import check need, at a cost that follows the number of scenarios, not scenarios x tasks.

``apply`` + ``score`` build and validate one pydantic role per scenario (about 1.5 ms each),
which makes 100,000 scenarios take minutes. Here a scenario that only moves knobs of the role
(task scores and shares, evidence, barriers, growth: what almost every saved scenario does)
becomes one row of arrays; the share rule (``knobs.pinned_shares``) and the score
(``scoring.score_many``) then run on all rows together. A scenario that reshapes the role
(adds, removes or re-modes a task), or that the role refuses, goes through ``apply`` and
``score`` one by one, so its result or its error is exactly theirs.

The fast rows agree with ``score(apply(base, scenario))`` exactly: the same checks of every
value (``Knob.check``), the same share rule on the same numbers in the same order, the share
total checked as the model checks it, and ``score_many`` equals ``score`` on the same inputs.
A row that changes nothing keeps the role's own assessment (and its override), as ``apply``
does. tests/test_scenario_batch.py checks the agreement on generated scenarios.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import ValidationError

from .errors import AIJRIError, describe_validation_error
from .knobs import KnobError, apply_changes, knob_index, pinned_shares, values
from .methodology import DEFAULT, Methodology
from .model import BARRIERS, EVIDENCE_DIMENSIONS, RoleAssessment, Scenario, TaskMode, Zone
from .scoring import SUBLABELS_BY_CODE, ZONES_BY_CODE, score, score_many
from .textfmt import zone_text

_SHARE_SLACK = 1e-9  # the model's float slack on the share total (RoleAssessment._shares_sum_to_100)


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario's result: the published score, the final zone and sub-label (after an
    assessor override, which only an unchanged role keeps), and, when asked for, the value
    of every input of the changed role (knob id -> value, knob order) and each task's mode."""

    score: float
    zone: Zone
    sublabel: str | None
    values: dict[str, float] | None = None
    modes: dict[str, TaskMode] | None = None
    overridden: bool = False  # the zone is the role's own override (the scenario changes nothing)

    @property
    def zone_text(self) -> str:
        return zone_text(self.zone, self.sublabel)


def _plain_row(index: dict, changes: dict[str, float]):
    """The scenario's changes as (knob, value) pairs, or None when it needs ``apply``
    (a change that is not a knob of the role, or a value the knob refuses)."""
    out = []
    for kid, v in changes.items():
        k = index.get(kid)
        if k is None:
            return None
        # Knob.check's rules, inlined for plain numbers (its own call is the slow path)
        if type(v) is not float and type(v) is not int:
            return None
        if not (k.min <= v <= k.max) or (k.integer and not float(v).is_integer()):
            return None
        out.append((k, int(v) if k.integer else float(v)))
    return out


def _one(base: RoleAssessment, scenario: Scenario, m: Methodology, with_values: bool) -> ScenarioResult | AIJRIError:
    try:
        changed = apply_changes(base, scenario.changes)
    except AIJRIError as exc:
        return exc
    except ValidationError as exc:
        return KnobError(describe_validation_error(exc))
    s = score(changed, m)
    return ScenarioResult(
        s.score,
        s.final_zone,
        s.final_sublabel,
        values(changed) if with_values else None,
        {t.name: t.mode for t in changed.tasks} if with_values else None,
        s.overridden,
    )


def evaluate_scenarios(
    base: RoleAssessment,
    scenarios: Sequence[Scenario],
    methodology: Methodology = DEFAULT,
    with_values: bool = False,
) -> list[ScenarioResult | AIJRIError]:
    """Each scenario's result on ``base``, in order; a scenario the role refuses gives the
    error ``apply`` raises for it (an AIJRIError naming the change) instead of a result.

    ``with_values``: also give every input's value and the task modes (the wide CSV's cells).
    """
    m = methodology
    index = knob_index(base)
    out: list[ScenarioResult | AIJRIError | None] = [None] * len(scenarios)
    fast: list[tuple[int, list]] = []
    for i, sc in enumerate(scenarios):
        row = _plain_row(index, sc.changes)
        if row is None:
            out[i] = _one(base, sc, m, with_values)
        else:
            fast.append((i, row))
    if fast:
        _fast(base, scenarios, fast, m, with_values, out)
    return out  # type: ignore[return-value]


def _fast(base: RoleAssessment, scenarios: Sequence[Scenario], fast: list[tuple[int, list]], m: Methodology, with_values: bool, out: list) -> None:
    names = [t.name for t in base.tasks]
    col = {n: j for j, n in enumerate(names)}
    ev_col = {d: j for j, d in enumerate(EVIDENCE_DIMENSIONS)}
    ba_col = {b: j for j, b in enumerate(BARRIERS)}
    n, k = len(fast), len(names)
    base_scores = np.array([t.score for t in base.tasks], dtype=float)
    base_shares = np.array([t.time_share for t in base.tasks], dtype=float)
    base_ev = np.array([getattr(base.evidence, d) for d in EVIDENCE_DIMENSIONS], dtype=float)
    base_ba = np.array([getattr(base.barriers, b) for b in BARRIERS], dtype=float)
    sc = np.tile(base_scores, (n, 1))
    ev = np.tile(base_ev, (n, 1))
    ba = np.tile(base_ba, (n, 1))
    g = np.full(n, float(base.growth_correlation))
    mask = np.zeros((n, k), dtype=bool)
    pinned = np.zeros((n, k))
    # (row, column, value) per kind, set with one fancy-indexed assignment each
    cols = {"score": col, "share": col, "evidence": ev_col, "barrier": ba_col, "growth": {"": 0}}
    hits: dict[str, tuple[list, list, list]] = {kind: ([], [], []) for kind in cols}
    for r, (_, row) in enumerate(fast):
        for kn, v in row:
            rs, cs, vs = hits[kn.kind]
            rs.append(r)
            cs.append(cols[kn.kind][kn.target])
            vs.append(v)
    for kind, target in (("score", sc), ("evidence", ev), ("barrier", ba)):
        rs, cs, vs = hits[kind]
        if rs:
            target[rs, cs] = vs
    rs, cs, vs = hits["share"]
    if rs:
        mask[rs, cs] = True
        pinned[rs, cs] = vs
    rs, _, vs = hits["growth"]
    if rs:
        g[rs] = vs
    if mask.any():
        shares, invalid = pinned_shares(base_shares, mask, pinned)
    else:
        shares, invalid = np.tile(base_shares, (n, 1)), np.zeros(n, dtype=bool)
    total = np.zeros(n)
    for j in range(k):  # task by task, as the model adds them
        total = total + np.nan_to_num(shares[:, j])
    # the model's own check (it uses the default methodology's tolerance, whatever ``m`` is)
    refused = invalid | (np.abs(total - 100.0) > DEFAULT.share_tolerance + _SHARE_SLACK)
    with np.errstate(divide="ignore", invalid="ignore"):  # refused rows (no time at all) are redone by apply
        batch = score_many(sc, np.nan_to_num(shares), ev, ba, g, m)
    unchanged = (
        (sc == base_scores).all(axis=1)
        & (shares == base_shares).all(axis=1)
        & (ev == base_ev).all(axis=1)
        & (ba == base_ba).all(axis=1)
        & (g == float(base.growth_correlation))
    )
    override = base.override
    modes = {t.name: t.mode for t in base.tasks} if with_values else None
    knob_ids = list(knob_index(base)) if with_values else None
    table = _value_table(sc, shares, ev, ba, g) if with_values else None
    for r, (i, _row) in enumerate(fast):
        if refused[r]:
            # the share rule or the model refuses this row: apply says why, in its own words
            out[i] = _one(base, scenarios[i], m, with_values)
            continue
        overridden = bool(unchanged[r]) and override is not None
        if overridden:
            zone, sub = override.zone, override.sublabel
        else:
            zone, sub = ZONES_BY_CODE[batch.zone_code[r]], SUBLABELS_BY_CODE[batch.sublabel_code[r]]
        vals = dict(zip(knob_ids, table[r].tolist(), strict=True)) if with_values else None
        out[i] = ScenarioResult(float(batch.score[r]), zone, sub, vals, modes, overridden)


def _value_table(sc, sh, ev, ba, g) -> np.ndarray:
    """Every input of every fast row, columns in knob order (what :func:`knobs.values` lists;
    whole-number inputs come out as floats of the same value)."""
    n, k = sc.shape
    cols = []
    for j in range(k):
        cols.append(sc[:, j])
        if k > 1:
            cols.append(sh[:, j])
    cols += [ev[:, j] for j in range(ev.shape[1])]
    cols += [ba[:, j] for j in range(ba.shape[1])]
    cols.append(g)
    return np.column_stack(cols)
