"""Goal seek: for each knob, the value that brings the published score to a target.

The target is compared with the published (rounded) score, as the zones are: when the role
scores below the target the answer is the first value whose published score is at or above
it (``score >= target``); when the role scores at or above it, the first value whose
published score is below it (``score < target``), so the zone lines are goal seeks of their
own ("what drops the role out of GREEN"). A target between two published steps (47.93 with
one decimal) is reached at the next step (48.0).

Each knob moves in the one direction that brings the score towards the target (the score is
monotone in every single knob); ``direction`` is the direction of the knob's value ("up": a
higher value). Whole-number knobs take the first level past the target. Shares are solved
to 0.01 percentage point: the answer is the first value on the 0.01 grid beyond the current
share, or the end of the range; the other tasks fill the rest under the share rule of
:mod:`aijri_core.knobs`. A knob whose whole range does not reach the target is
"cannot reach it within the range" (reachable False, value None).

The continuous view (``crossings``): the task resistance and the evidence total at which the
published score just reaches the target, everything else fixed (see ThresholdCrossing).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from math import ceil, floor
from typing import TYPE_CHECKING

import numpy as np

from ..errors import AIJRIError
from ..exact import as_written
from ..knobs import SHARE_EPSILON, knob
from ..methodology import DEFAULT, SCALE_MAX, SCALE_MIN, Methodology, Zone
from ..model import RoleAssessment
from ._variants import Frame, Layout, base_batch, layout, score_one_knob, zone_for
from .break_even import ThresholdCrossing, threshold_crossings

if TYPE_CHECKING:
    import pandas as pd

#: Resolution of share answers, in percentage points.
GOAL_SEEK_SHARE_RESOLUTION = 0.01

#: Text of a row that no value in the knob's range reaches.
UNREACHABLE_TEXT = "cannot reach it within the range"
#: Text of a row whose knob already sits at the end of its range it would have to move past.
AT_LIMIT_TEXT = "at its limit"


@dataclass(frozen=True)
class GoalSeekRow:
    knob_id: str
    label: str
    group: str
    base_value: float
    direction: str  # "up" or "down": the way the knob's value moves towards the target
    reachable: bool  # False: no value within the knob's range reaches the target
    value: float | None  # the first value past the target
    score: float | None  # published score at that value
    zone: Zone | None
    status: str  # "reachable", "at_limit" (already at the end it would move to) or "unreachable"

    @property
    def text(self) -> str:
        """The answer in words: the value, or 'cannot reach it within the range'."""
        if self.reachable:
            return f"{self.value:g}"
        return AT_LIMIT_TEXT if self.status == "at_limit" else UNREACHABLE_TEXT


@dataclass(frozen=True)
class GoalSeekResult(Frame):
    target: float
    seeking: str  # "at_least" (score >= target) or "below" (score < target)
    base_score: float
    base_zone: Zone
    rows: tuple[GoalSeekRow, ...]  # knob order
    crossings: tuple[ThresholdCrossing, ...]  # task resistance and evidence total for the target

    #: The fields of a row in `aijri goalseek --json`, in this order.
    ROW_KEYS = ("knob_id", "label", "direction", "reachable", "value", "score", "zone", "status")

    def to_dict(self) -> dict:
        """The result as `aijri goalseek --json` writes it (JSON-ready through ``io.json_text``)."""
        return {
            "target": self.target,
            "seeking": self.seeking,
            "base_score": self.base_score,
            "base_zone": self.base_zone,
            "rows": [{key: getattr(r, key) for key in self.ROW_KEYS} for r in self.rows],
            "crossings": [c.to_dict() for c in self.crossings],
        }

    def row(self, knob_id: str) -> GoalSeekRow:
        for r in self.rows:
            if r.knob_id == knob_id:
                return r
        raise KeyError(knob_id)

    def crossings_df(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame.from_records(
            [
                {"quantity": c.quantity, "current": c.current, "value_needed": c.value_needed, "gap": c.gap}
                for c in self.crossings
            ]
        )


def nearest_zone_line(score: float, m: Methodology = DEFAULT) -> float:
    """The zone threshold nearest to a published score (the lower one on a tie), compared
    exactly on the values as written."""
    lines = sorted((m.yellow_threshold, m.green_threshold))
    return float(min(lines, key=lambda t: abs(as_written(score) - as_written(t))))


def _check_target(target) -> float:
    if isinstance(target, bool) or not isinstance(target, int | float | np.integer | np.floating):
        raise AIJRIError(f"target {target!r} is not a number; allowed: a score from {SCALE_MIN:g} to {SCALE_MAX:g}")
    t = float(target)
    if not (SCALE_MIN <= t <= SCALE_MAX):
        raise AIJRIError(f"target {target!r} is out of range; allowed: a score from {SCALE_MIN:g} to {SCALE_MAX:g}")
    return t


def published_step(target: float, m: Methodology) -> float:
    """The smallest published score at or above ``target`` (47.93 -> 48.0 with one decimal)."""
    unit = 10**m.decimals
    return ceil(as_written(target) * unit) / unit


#: Marker for a knob already at the end of its range in the helpful direction.
AT_LIMIT = object()


def _passes(scores: np.ndarray, target: float, seeking: str) -> np.ndarray:
    return scores >= target if seeking == "at_least" else scores < target


def _share_grid(base: float, end: float, step: float) -> np.ndarray:
    """Values on the ``step`` grid strictly beyond ``base`` towards ``end``, then ``end``."""
    n = round(1 / step)
    # Grid points counted exactly on the values as written (65.0899999999 is below 65.09);
    # k / n is then the float nearest to the decimal k / n, the value a person types.
    b, e = as_written(base) * n, as_written(end) * n
    up = end > base
    vals = (np.arange(floor(b) + 1, floor(e) + 1) if up else np.arange(ceil(b) - 1, ceil(e) - 1, -1)) / n
    if not len(vals) or abs(vals[-1] - end) > SHARE_EPSILON:
        vals = np.append(vals, end)
    return vals


def _first_passes(lay: Layout, cands: list[tuple[int, np.ndarray]], target: float, seeking: str, m: Methodology):
    """Per (knob, values) candidate list, scored in one batch: (index, score, zone code) of
    the first value that passes the target, or None."""
    sizes = [len(v) for _, v in cands]
    if not sum(sizes):
        return [None] * len(cands)
    idx = np.concatenate([np.full(len(v), q) for q, v in cands])
    batch = score_one_knob(lay, idx, np.concatenate([v for _, v in cands]), m)
    ok = _passes(batch.score, target, seeking)
    out = []
    start = 0
    for n in sizes:
        hit = np.flatnonzero(ok[start : start + n])
        if len(hit):
            i = int(hit[0])
            out.append((i, float(batch.score[start + i]), int(batch.zone_code[start + i])))
        else:
            out.append(None)
        start += n
    return out


def _seek(lay: Layout, qs: list[int], target: float, seeking: str, m: Methodology):
    """Per knob: (direction, value, score, zone code); value None out of reach, AT_LIMIT at
    the range end. Three batches: both ends of every knob, then whole levels and whole share
    points, then the 0.01 grid inside each share's bracket."""
    n = len(qs)
    ends = score_one_knob(
        lay,
        np.array(qs + qs, dtype=int),
        np.array([lay.knobs[q].max for q in qs] + [lay.knobs[q].min for q in qs], dtype=float),
        m,
    ).score
    out: list[tuple] = []
    cands: list[tuple[int, np.ndarray]] = []
    slots: list[int] = []
    for i, q in enumerate(qs):
        k = lay.knobs[q]
        b = float(lay.base_values[q])
        # the direction whose end moves the score towards the target
        up = bool(ends[i] >= ends[n + i] if seeking == "at_least" else ends[i] <= ends[n + i])
        end = k.max if up else k.min
        out.append(("up" if up else "down", AT_LIMIT if abs(end - b) <= SHARE_EPSILON else None, None, None))
        if out[-1][1] is AT_LIMIT:
            continue
        if k.integer:
            vals = np.arange(b + 1, end + 1) if up else np.arange(b - 1, end - 1, -1)
        else:
            vals = _share_grid(b, end, 1.0)
        cands.append((q, vals.astype(float)))
        slots.append(i)
    fine: list[tuple[int, np.ndarray]] = []
    fine_slots: list[int] = []
    for (q, vals), i, hit in zip(cands, slots, _first_passes(lay, cands, target, seeking, m), strict=True):
        if hit is None:
            continue
        if lay.knobs[q].integer:
            out[i] = (out[i][0], float(vals[hit[0]]), hit[1], hit[2])
            continue
        before = float(lay.base_values[q]) if hit[0] == 0 else float(vals[hit[0] - 1])
        fine.append((q, _share_grid(before, float(vals[hit[0]]), GOAL_SEEK_SHARE_RESOLUTION)))
        fine_slots.append(i)
    for (_, vals), i, hit in zip(fine, fine_slots, _first_passes(lay, fine, target, seeking, m), strict=True):
        assert hit is not None  # the bracket's end passes
        out[i] = (out[i][0], float(vals[hit[0]]), hit[1], hit[2])
    return out


def goal_seek(
    assessment: RoleAssessment,
    target: float | None = None,
    knob_id: str | None = None,
    methodology: Methodology = DEFAULT,
    pinned: Iterable[str] = (),
) -> GoalSeekResult:
    """For every knob (or only ``knob_id``), the value that brings the published score to
    ``target`` (default: the zone line nearest to the current score); see the module doc."""
    m = methodology
    lay = layout(assessment, pinned)
    base = base_batch(lay, m)
    base_score = float(base.score[0])
    t = nearest_zone_line(base_score, m) if target is None else _check_target(target)
    step = published_step(t, m)
    seeking = "at_least" if base_score < step else "below"
    qs = list(range(len(lay.knobs))) if knob_id is None else [lay.index(knob(assessment, knob_id).id)]
    rows = []
    for q, (direction, value, s, z) in zip(qs, _seek(lay, qs, step, seeking, m), strict=True):
        k = lay.knobs[q]
        status = "at_limit" if value is AT_LIMIT else "unreachable" if value is None else "reachable"
        value = None if value is AT_LIMIT else value
        rows.append(
            GoalSeekRow(
                knob_id=k.id,
                label=k.label,
                group=k.group,
                base_value=float(lay.base_values[q]),
                direction=direction,
                reachable=value is not None,
                value=value,
                score=s,
                zone=None if z is None else zone_for(z),
                status=status,
            )
        )
    return GoalSeekResult(
        target=t,
        seeking=seeking,
        base_score=base_score,
        base_zone=zone_for(base.zone_code[0]),
        rows=tuple(rows),
        crossings=threshold_crossings(lay, base, m, (step,)),
    )
