"""Break-even: the smallest move of each knob, up and down, that changes the published zone,
and where task resistance or the evidence total would put the role exactly on a threshold."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..knobs import SHARE_EPSILON
from ..methodology import DEFAULT, Methodology, Zone
from ..model import RoleAssessment
from ..scoring import ScoreBatch, task_resistance_range
from ._variants import (
    EVIDENCE_TOTAL_RANGE,
    SHARE_RESOLUTION,
    Frame,
    Layout,
    base_batch,
    layout,
    raw_score_needed,
    score_one_knob,
    zone_for,
)

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class BreakEvenRow:
    knob_id: str
    label: str
    group: str
    base_value: float
    direction: str  # "up" or "down"
    reachable: bool  # False: no value within the knob's range changes the zone
    value: float | None  # the knob value at which the zone first changes
    move: float | None  # value - base_value (positive up, negative down)
    score: float | None  # published score at that value
    zone: Zone | None
    status: str  # "changes_zone", "no_change" (not within the range) or "at_limit" (already at the range end)
    unit: str  # "step" (whole-number ratings) or "point" (time shares, percentage points)

    @property
    def text(self) -> str:
        """The value where the zone changes, 'cannot change the zone' or 'at its limit'."""
        if self.status == "changes_zone":
            return f"{self.value:g}"
        return STATUS_TEXT[self.status]


#: Words for the rows that do not change the zone.
STATUS_TEXT = {"no_change": "cannot change the zone", "at_limit": "at its limit"}


def _sort_key(r: BreakEvenRow) -> tuple:
    """Zone changes first, by the smallest move (rating steps before share points), then the
    rows that cannot change the zone, then those at their limit; ties keep knob order."""
    rank = {"changes_zone": 0, "no_change": 1, "at_limit": 2}[r.status]
    size = abs(r.move) if r.move is not None else 0.0
    return (rank, r.unit != "step", size)


@dataclass(frozen=True)
class ThresholdCrossing:
    """Where a continuous quantity would put the published score exactly on a threshold.

    value_needed is the smallest value of the quantity at which the published (rounded)
    score reaches the threshold, everything else fixed: the unclamped score there equals
    threshold - half a unit of the last published decimal (47.95 publishes as 48.0).
    Any lower value publishes below the threshold. None (and reachable False) when the
    value lies outside the quantity's range (``scoring.task_resistance_range``, ``model.total_range``).
    """

    quantity: str  # "task_resistance" or "evidence_total"
    threshold: float
    current: float
    value_needed: float | None
    reachable: bool

    @property
    def gap(self) -> float | None:
        """value_needed - current (negative: the role is above the threshold by that much)."""
        return None if self.value_needed is None else self.value_needed - self.current

    def to_dict(self) -> dict:
        """The fields and the gap, as the CLI's JSON and ``crossings_df`` give them."""
        return {**asdict(self), "gap": self.gap}


@dataclass(frozen=True)
class BreakEvenResult(Frame):
    base_score: float
    base_zone: Zone
    rows: tuple[BreakEvenRow, ...]
    crossings: tuple[ThresholdCrossing, ...]

    def to_dict(self) -> dict:
        """The result as `aijri breakeven --json` writes it (JSON-ready through ``io.json_text``)."""
        return {
            "base_score": self.base_score,
            "base_zone": self.base_zone,
            "rows": [asdict(r) for r in self.rows],
            "crossings": [c.to_dict() for c in self.crossings],
        }

    def crossings_df(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame.from_records([c.to_dict() for c in self.crossings])

    @property
    def easiest(self) -> BreakEvenRow | None:
        """The easiest zone change: the first row (smallest move, rating steps first), if any."""
        return self.rows[0] if self.rows and self.rows[0].status == "changes_zone" else None

    def row(self, knob_id: str, direction: str) -> BreakEvenRow:
        for r in self.rows:
            if r.knob_id == knob_id and r.direction == direction:
                return r
        raise KeyError(f"{knob_id} {direction}")


def _share_moves(span: float, step: float) -> np.ndarray:
    """Moves step, 2 step, ... up to span, the last one exactly span."""
    if span <= SHARE_EPSILON:
        return np.empty(0)
    n = int(np.ceil(round(span / step, 9)))
    moves = np.round(np.arange(1, n + 1) * step, 9)
    moves[-1] = min(moves[-1], span)
    return moves


def threshold_crossings(
    lay: Layout, base: ScoreBatch, m: Methodology, thresholds: tuple[float, ...] | None = None
) -> tuple[ThresholdCrossing, ...]:
    """Task resistance and evidence total needed for each threshold (default: the zone lines)."""
    tr = float(base.task_resistance[0])
    e = float(base.evidence_total[0])
    em = float(base.evidence_modifier[0])
    rest = float(base.barrier_modifier[0] * base.growth_modifier[0])
    tr_lo, tr_hi = task_resistance_range(m)
    out = []
    for threshold in (m.green_threshold, m.yellow_threshold) if thresholds is None else thresholds:
        raw_needed = raw_score_needed(threshold, m)
        tr_needed = raw_needed / (em * rest) if em * rest > 0 else None
        ok = tr_needed is not None and tr_lo <= tr_needed <= tr_hi
        out.append(ThresholdCrossing("task_resistance", threshold, tr, tr_needed if ok else None, ok))
        e_needed = None
        if m.evidence_weight > 0 and tr * rest > 0:
            e_needed = (raw_needed / (tr * rest) - 1.0) / m.evidence_weight
        ok = e_needed is not None and EVIDENCE_TOTAL_RANGE[0] <= e_needed <= EVIDENCE_TOTAL_RANGE[1]
        out.append(ThresholdCrossing("evidence_total", threshold, e, e_needed if ok else None, ok))
    return tuple(out)


def break_even(a: RoleAssessment, methodology: Methodology = DEFAULT, pinned: Iterable[str] = ()) -> BreakEvenResult:
    """For every knob, the smallest move up and down that changes the published zone.

    Integer knobs step through their levels; share knobs are solved to 0.1 percentage
    point (the move is a multiple of 0.1, or the move to the range end). The score is
    monotone in every single knob, so the first level that changes the zone is the answer.
    Rows sorted by the move needed: zone changes first, rating steps (smallest first) before
    share points (smallest first), then the moves that cannot change the zone within the
    range (status "no_change"), then inputs already at the end of their range in that
    direction ("at_limit"); ties keep knob order, "up" before "down". ``easiest`` is the
    first row when it changes the zone. ``crossings``: the task resistance and the
    evidence total at which the role would sit exactly on each threshold (see
    :class:`ThresholdCrossing`).
    """
    m = methodology
    lay = layout(a, pinned)
    base = base_batch(lay, m)
    base_code = int(base.zone_code[0])
    base_score = float(base.score[0])
    # Stage 1: every integer level, and shares on a 1-point grid.
    coarse = 10 * SHARE_RESOLUTION
    cand: list[tuple[int, str, np.ndarray]] = []  # (knob, direction, moves >= 0)
    for q, k in enumerate(lay.knobs):
        b = lay.base_values[q]
        for direction, span in (("up", k.max - b), ("down", b - k.min)):
            moves = np.arange(1, int(round(span)) + 1, dtype=float) if k.integer else _share_moves(span, coarse)
            cand.append((q, direction, moves))
    first = _first_crossings(lay, cand, base_code, m)
    # Stage 2: shares between the last coarse move that kept the zone and the first that changed it.
    fine: list[tuple[int, str, np.ndarray]] = []
    fine_slots = []
    for slot, (q, direction, moves) in enumerate(cand):
        hit = first[slot]
        if lay.knobs[q].integer or hit is None:
            continue
        i = hit[0]
        prev = moves[i - 1] if i > 0 else 0.0
        sub = prev + _share_moves(moves[i] - prev, SHARE_RESOLUTION)
        fine.append((q, direction, np.round(sub, 9)))
        fine_slots.append(slot)
    if fine:
        for slot, hit in zip(fine_slots, _first_crossings(lay, fine, base_code, m), strict=True):
            first[slot] = hit
    rows = []
    for slot, (q, direction, _) in enumerate(cand):
        k = lay.knobs[q]
        b = float(lay.base_values[q])
        hit = first[slot]
        common = {
            "knob_id": k.id,
            "label": k.label,
            "group": k.group,
            "base_value": b,
            "direction": direction,
            "unit": "step" if k.integer else "point",
        }
        if hit is None:
            at_limit = abs((k.max if direction == "up" else k.min) - b) <= SHARE_EPSILON
            status = "at_limit" if at_limit else "no_change"
            rows.append(
                BreakEvenRow(**common, reachable=False, value=None, move=None, score=None, zone=None, status=status)
            )
            continue
        _, _, s, z, value = hit
        rows.append(
            BreakEvenRow(
                **common,
                reachable=True,
                value=value,
                move=float(round(value - b, 9)),
                score=float(s),
                zone=zone_for(z),
                status="changes_zone",
            )
        )
    return BreakEvenResult(
        base_score=base_score,
        base_zone=zone_for(base_code),
        rows=tuple(sorted(rows, key=_sort_key)),
        crossings=threshold_crossings(lay, base, m),
    )


def _first_crossings(lay: Layout, cand, base_code: int, m: Methodology):
    """Per candidate list: (index, move, score, zone code, value) of the first zone change, or None."""
    idx = np.concatenate([np.full(len(mv), q) for q, _, mv in cand]) if cand else np.empty(0, int)
    vals = (
        np.concatenate([lay.base_values[q] + (mv if d == "up" else -mv) for q, d, mv in cand]) if cand else np.empty(0)
    )
    if len(idx) == 0:
        return [None] * len(cand)
    lows = np.array([lay.knobs[q].min for q in idx])
    highs = np.array([lay.knobs[q].max for q in idx])
    # The values scored are the values reported (18.4, not 18.1 + 0.3 = 18.400000000000002):
    # the first step that changes the zone is decided on the value a person reads and types.
    vals = np.clip(np.round(vals, 9), lows, highs)
    batch = score_one_knob(lay, idx.astype(int), vals, m)
    out = []
    start = 0
    for _, _, mv in cand:
        stop = start + len(mv)
        changed = np.flatnonzero(batch.zone_code[start:stop] != base_code)
        if len(changed):
            i = int(changed[0])
            out.append((i, float(mv[i]), float(batch.score[start + i]), int(batch.zone_code[start + i]), float(vals[start + i])))
        else:
            out.append(None)
        start = stop
    return out
