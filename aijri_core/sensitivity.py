"""One-at-a-time sensitivity: tornado, spider curves, break-even points, 2-D sweeps, zone map.

Every analysis builds numpy input arrays for all its variants and scores them with one or
two calls of :func:`aijri_core.scoring.score_many` (no pydantic per variant), so a full
recomputation after a slider move takes about a millisecond.

Share knobs follow the rule of :mod:`aijri_core.knobs`: the moved task takes the value and
the other tasks keep their proportions to each other, rescaled to fill 100%. The arrays
built here reproduce ``apply_changes`` exactly (same arithmetic, same order).

Zones are those of the formula on the published (rounded, clamped) score; an assessor
override is not a knob and is ignored by these analyses.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from .errors import AIJRIError
from .knobs import FULL_TIME, SHARE_EPSILON, Knob, knob, knobs, pinned_shares
from .methodology import DEFAULT, ZONES_BY_CODE, Methodology, Zone
from .model import BARRIERS, EVIDENCE_DIMENSIONS, RoleAssessment
from .scoring import ScoreBatch, score_many

#: Break-even resolution for share knobs, in percentage points.
SHARE_RESOLUTION = 0.1
#: Default grid of share values (percent) for spider curves and sweeps.
DEFAULT_SHARE_GRID: tuple[float, ...] = tuple(float(v) for v in range(0, 101, 5))
#: Task resistance grid of the zone map: from the lowest to the highest possible TR.
TASK_RESISTANCE_RANGE = (1.0, 5.0)
#: Evidence totals of the zone map (five dimensions of -2..+2).
EVIDENCE_TOTAL_RANGE = (-2 * len(EVIDENCE_DIMENSIONS), 2 * len(EVIDENCE_DIMENSIONS))


# --------------------------------------------------------------------------------------
# Vectorised variants
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """An assessment's inputs as arrays, plus its knobs (internal to the analyses)."""

    knobs: tuple[Knob, ...]
    base_values: np.ndarray  # (K,) knob values in knob order
    scores: np.ndarray  # (k,) task scores
    shares: np.ndarray  # (k,) task time shares, percent
    evidence: np.ndarray  # (5,) ratings
    barriers: np.ndarray  # (5,) ratings
    growth: float
    kinds: tuple[str, ...]  # per knob: score / share / evidence / barrier / growth
    targets: tuple[int, ...]  # per knob: task, dimension or barrier index (0 for growth)

    @property
    def n_tasks(self) -> int:
        return len(self.scores)

    def index(self, knob_id: str) -> int:
        for q, k in enumerate(self.knobs):
            if k.id == knob_id:
                return q
        raise AssertionError("unreachable: knob() validated the id")  # pragma: no cover


def layout(a: RoleAssessment) -> Layout:
    """The assessment as arrays in the order ``score_many`` expects."""
    ks = tuple(knobs(a))
    names = [t.name for t in a.tasks]
    kinds = []
    targets = []
    base = []
    for k in ks:
        kinds.append(k.kind)
        if k.kind in ("score", "share"):
            j = names.index(k.target)
            targets.append(j)
            base.append(a.tasks[j].score if k.kind == "score" else a.tasks[j].time_share)
        elif k.kind == "evidence":
            targets.append(EVIDENCE_DIMENSIONS.index(k.target))
            base.append(getattr(a.evidence, k.target))
        elif k.kind == "barrier":
            targets.append(BARRIERS.index(k.target))
            base.append(getattr(a.barriers, k.target))
        else:
            targets.append(0)
            base.append(a.growth_correlation)
    return Layout(
        knobs=ks,
        base_values=np.array(base, dtype=float),
        scores=np.array([t.score for t in a.tasks], dtype=float),
        shares=np.array([t.time_share for t in a.tasks], dtype=float),
        evidence=np.array([getattr(a.evidence, d) for d in EVIDENCE_DIMENSIONS], dtype=float),
        barriers=np.array([getattr(a.barriers, b) for b in BARRIERS], dtype=float),
        growth=float(a.growth_correlation),
        kinds=tuple(kinds),
        targets=tuple(targets),
    )


def variant_inputs(lay: Layout, mask: np.ndarray, vals: np.ndarray) -> tuple[dict, np.ndarray]:
    """``score_many`` arguments for n variants of the base.

    mask: (n, K) True where the variant sets knob q; vals: (n, K) the values it sets.
    Returns (kwargs, invalid (n,)).
    """
    n = mask.shape[0]
    k = lay.n_tasks
    sc = np.tile(lay.scores, (n, 1))
    ev = np.tile(lay.evidence, (n, 1))
    ba = np.tile(lay.barriers, (n, 1))
    g = np.full(n, lay.growth)
    pin_mask = np.zeros((n, k), dtype=bool)
    pin_vals = np.zeros((n, k))
    any_share = False
    for q, (kind, t) in enumerate(zip(lay.kinds, lay.targets, strict=True)):
        col = mask[:, q]
        if not col.any():
            continue
        v = vals[:, q]
        if kind == "score":
            sc[:, t] = np.where(col, v, sc[:, t])
        elif kind == "share":
            pin_mask[:, t] = col
            pin_vals[:, t] = v
            any_share = True
        elif kind == "evidence":
            ev[:, t] = np.where(col, v, ev[:, t])
        elif kind == "barrier":
            ba[:, t] = np.where(col, v, ba[:, t])
        else:
            g = np.where(col, v, g)
    if any_share:
        sh, invalid = pinned_shares(lay.shares, pin_mask, pin_vals)
    else:
        sh, invalid = lay.shares, np.zeros(n, dtype=bool)
    return {"task_scores": sc, "time_shares": sh, "evidence": ev, "barriers": ba, "growth": g}, invalid


def score_one_knob(lay: Layout, knob_idx: np.ndarray, values: np.ndarray, m: Methodology) -> ScoreBatch:
    """Score variants that each move one knob (row i: knob ``knob_idx[i]`` to ``values[i]``)."""
    n = len(knob_idx)
    mask = np.zeros((n, len(lay.knobs)), dtype=bool)
    vals = np.zeros((n, len(lay.knobs)))
    rows = np.arange(n)
    mask[rows, knob_idx] = True
    vals[rows, knob_idx] = values
    kwargs, _ = variant_inputs(lay, mask, vals)
    return score_many(methodology=m, **kwargs)


def _base_batch(lay: Layout, m: Methodology) -> ScoreBatch:
    return score_many(lay.scores, lay.shares, lay.evidence[None, :], lay.barriers[None, :], [lay.growth], m)


def _zone(code) -> Zone:
    return ZONES_BY_CODE[int(code)]


def _levels(k: Knob) -> np.ndarray:
    return np.arange(int(k.min), int(k.max) + 1, dtype=float)


def _grid_with_base(grid, base_value: float) -> np.ndarray:
    return np.unique(np.append(np.asarray(grid, dtype=float), base_value))


def _knob_values(k: Knob, base_value: float, share_grid) -> np.ndarray:
    return _levels(k) if k.integer else _grid_with_base(share_grid, base_value)


class _Frame:
    """``to_df`` for results holding a tuple of row dataclasses in ``rows``."""

    rows: tuple

    def to_df(self) -> pd.DataFrame:
        records = []
        for r in self.rows:
            d = asdict(r)
            for key, v in d.items():
                if isinstance(v, Zone):
                    d[key] = v.value
            records.append(d)
        return pd.DataFrame.from_records(records)


# --------------------------------------------------------------------------------------
# Tornado
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TornadoRow:
    knob_id: str
    label: str
    group: str
    base_value: float
    low_value: float
    high_value: float
    score_low: float  # published score with the knob at low_value
    score_high: float
    zone_low: Zone
    zone_high: Zone
    swing: float  # |score_high - score_low|, score points
    crosses_low: bool  # the low end's zone differs from the base zone
    crosses_high: bool

    @property
    def crosses(self) -> bool:
        return self.crosses_low or self.crosses_high


@dataclass(frozen=True)
class TornadoResult(_Frame):
    base_score: float
    base_zone: Zone
    mode: str
    rows: tuple[TornadoRow, ...]

    def to_df(self) -> pd.DataFrame:
        df = super().to_df()
        if len(df):
            df["crosses"] = df["crosses_low"] | df["crosses_high"]
        return df


def tornado(
    a: RoleAssessment,
    mode: str = "step",
    share_step: float = 5,
    methodology: Methodology = DEFAULT,
) -> TornadoResult:
    """Score at both ends of every knob, one knob at a time, sorted by swing (largest first).

    mode "step": integer knobs +/-1, share knobs +/- ``share_step`` percentage points, each
    clipped to the knob's range (an end at the bound equals the base value).
    mode "range": every knob at its minimum and its maximum.
    Ties in swing keep knob order.
    """
    if mode not in ("step", "range"):
        raise AIJRIError(f"tornado mode {mode!r} is not known; allowed: step, range")
    if not (share_step > 0):
        raise AIJRIError(f"share step {share_step!r} is out of range; allowed: a number of points above 0")
    m = methodology
    lay = layout(a)
    nk = len(lay.knobs)
    lo = np.empty(nk)
    hi = np.empty(nk)
    for q, k in enumerate(lay.knobs):
        b = lay.base_values[q]
        if mode == "range":
            lo[q], hi[q] = k.min, k.max
        else:
            step = 1.0 if k.integer else float(share_step)
            lo[q] = max(k.min, b - step)
            hi[q] = min(k.max, b + step)
    idx = np.arange(nk)
    batch = score_one_knob(lay, np.concatenate([idx, idx]), np.concatenate([lo, hi]), m)
    base = _base_batch(lay, m)
    base_score = float(base.score[0])
    base_code = int(base.zone_code[0])
    s_lo, s_hi = batch.score[:nk], batch.score[nk:]
    z_lo, z_hi = batch.zone_code[:nk], batch.zone_code[nk:]
    swing = np.round(np.abs(s_hi - s_lo), m.decimals + 6)
    order = np.argsort(-swing, kind="stable")
    rows = tuple(
        TornadoRow(
            knob_id=lay.knobs[q].id,
            label=lay.knobs[q].label,
            group=lay.knobs[q].group,
            base_value=float(lay.base_values[q]),
            low_value=float(lo[q]),
            high_value=float(hi[q]),
            score_low=float(s_lo[q]),
            score_high=float(s_hi[q]),
            zone_low=_zone(z_lo[q]),
            zone_high=_zone(z_hi[q]),
            swing=float(swing[q]),
            crosses_low=bool(z_lo[q] != base_code),
            crosses_high=bool(z_hi[q] != base_code),
        )
        for q in order
    )
    return TornadoResult(base_score=base_score, base_zone=_zone(base_code), mode=mode, rows=rows)


# --------------------------------------------------------------------------------------
# Spider
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpiderPoint:
    knob_id: str
    label: str
    group: str
    value: float
    score: float  # published
    zone: Zone
    is_base: bool


@dataclass(frozen=True)
class SpiderResult(_Frame):
    rows: tuple[SpiderPoint, ...]


def spider(
    a: RoleAssessment,
    share_grid=DEFAULT_SHARE_GRID,
    methodology: Methodology = DEFAULT,
) -> SpiderResult:
    """Each knob's full response curve: the published score at every level of every
    integer knob and at every value of ``share_grid`` (percent, plus the base share) for
    share knobs, other knobs fixed. Rows in knob order, values ascending."""
    lay = layout(a)
    idx, vals = [], []
    for q, k in enumerate(lay.knobs):
        v = _knob_values(k, lay.base_values[q], share_grid)
        if not k.integer:
            v = v[(v >= k.min) & (v <= k.max)]
        idx.append(np.full(len(v), q))
        vals.append(v)
    idx_a = np.concatenate(idx)
    vals_a = np.concatenate(vals)
    batch = score_one_knob(lay, idx_a, vals_a, methodology)
    rows = tuple(
        SpiderPoint(
            knob_id=lay.knobs[q].id,
            label=lay.knobs[q].label,
            group=lay.knobs[q].group,
            value=float(v),
            score=float(s),
            zone=_zone(z),
            is_base=bool(abs(v - lay.base_values[q]) <= SHARE_EPSILON),
        )
        for q, v, s, z in zip(idx_a, vals_a, batch.score, batch.zone_code, strict=True)
    )
    return SpiderResult(rows=rows)


# --------------------------------------------------------------------------------------
# Break-even
# --------------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class ThresholdCrossing:
    """Where a continuous quantity would put the published score exactly on a threshold.

    value_needed is the smallest value of the quantity at which the published (rounded)
    score reaches the threshold, everything else fixed: the unclamped score there equals
    threshold - half a unit of the last published decimal (47.95 publishes as 48.0).
    Any lower value publishes below the threshold. None (and reachable False) when the
    value lies outside the quantity's range (TR 1..5, evidence total -10..+10).
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


@dataclass(frozen=True)
class BreakEvenResult(_Frame):
    base_score: float
    base_zone: Zone
    rows: tuple[BreakEvenRow, ...]
    crossings: tuple[ThresholdCrossing, ...]

    def crossings_df(self) -> pd.DataFrame:
        return pd.DataFrame.from_records([{**asdict(c), "gap": c.gap} for c in self.crossings])

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


def publish_half_unit(m: Methodology) -> float:
    """Half a unit of the last published decimal (0.05 for one decimal)."""
    return 0.5 * 10.0 ** (-m.decimals)


def _crossings(lay: Layout, base: ScoreBatch, m: Methodology) -> tuple[ThresholdCrossing, ...]:
    tr = float(base.task_resistance[0])
    e = float(base.evidence_total[0])
    em = float(base.evidence_modifier[0])
    rest = float(base.barrier_modifier[0] * base.growth_modifier[0])
    out = []
    for threshold in (m.green_threshold, m.yellow_threshold):
        raw_needed = (threshold - publish_half_unit(m)) / 100.0 * m.normalisation_span + m.normalisation_offset
        tr_needed = raw_needed / (em * rest) if em * rest > 0 else None
        ok = tr_needed is not None and TASK_RESISTANCE_RANGE[0] <= tr_needed <= TASK_RESISTANCE_RANGE[1]
        out.append(ThresholdCrossing("task_resistance", threshold, tr, tr_needed if ok else None, ok))
        e_needed = None
        if m.evidence_weight > 0 and tr * rest > 0:
            e_needed = (raw_needed / (tr * rest) - 1.0) / m.evidence_weight
        ok = e_needed is not None and EVIDENCE_TOTAL_RANGE[0] <= e_needed <= EVIDENCE_TOTAL_RANGE[1]
        out.append(ThresholdCrossing("evidence_total", threshold, e, e_needed if ok else None, ok))
    return tuple(out)


def break_even(a: RoleAssessment, methodology: Methodology = DEFAULT) -> BreakEvenResult:
    """For every knob, the smallest move up and down that changes the published zone.

    Integer knobs step through their levels; share knobs are solved to 0.1 percentage
    point (the move is a multiple of 0.1, or the move to the range end). The score is
    monotone in every single knob, so the first level that changes the zone is the answer.
    Rows in knob order, "up" before "down". ``crossings``: the task resistance and the
    evidence total at which the role would sit exactly on each threshold (see
    :class:`ThresholdCrossing`).
    """
    m = methodology
    lay = layout(a)
    base = _base_batch(lay, m)
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
        common = {"knob_id": k.id, "label": k.label, "group": k.group, "base_value": b, "direction": direction}
        if hit is None:
            rows.append(BreakEvenRow(**common, reachable=False, value=None, move=None, score=None, zone=None))
            continue
        _, move, s, z = hit
        sign = 1.0 if direction == "up" else -1.0
        value = b + sign * move
        value = min(max(value, k.min), k.max)
        rows.append(
            BreakEvenRow(
                **common,
                reachable=True,
                value=float(round(value, 9)),
                move=float(round(sign * move, 9)),
                score=float(s),
                zone=_zone(z),
            )
        )
    return BreakEvenResult(
        base_score=base_score, base_zone=_zone(base_code), rows=tuple(rows), crossings=_crossings(lay, base, m)
    )


def _first_crossings(lay: Layout, cand, base_code: int, m: Methodology):
    """Per candidate list: (index, move, score, zone code) of the first zone change, or None."""
    idx = np.concatenate([np.full(len(mv), q) for q, _, mv in cand]) if cand else np.empty(0, int)
    vals = (
        np.concatenate([lay.base_values[q] + (mv if d == "up" else -mv) for q, d, mv in cand]) if cand else np.empty(0)
    )
    if len(idx) == 0:
        return [None] * len(cand)
    lows = np.array([lay.knobs[q].min for q in idx])
    highs = np.array([lay.knobs[q].max for q in idx])
    batch = score_one_knob(lay, idx.astype(int), np.clip(vals, lows, highs), m)
    out = []
    start = 0
    for _, _, mv in cand:
        stop = start + len(mv)
        changed = np.flatnonzero(batch.zone_code[start:stop] != base_code)
        if len(changed):
            i = int(changed[0])
            out.append((i, float(mv[i]), float(batch.score[start + i]), int(batch.zone_code[start + i])))
        else:
            out.append(None)
        start = stop
    return out


# --------------------------------------------------------------------------------------
# Sweep of two knobs and the zone map
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    x_knob: str
    y_knob: str
    x_values: np.ndarray
    y_values: np.ndarray
    score: np.ndarray  # [len(y), len(x)] published scores; NaN where the pair is impossible
    zone_code: np.ndarray  # [len(y), len(x)] 0 RED, 1 YELLOW, 2 GREEN; -1 where impossible
    base_x: float = 0.0
    base_y: float = 0.0

    def to_df(self) -> pd.DataFrame:
        """Long form: one row per grid cell (x_knob, x, y_knob, y, score, zone)."""
        xx, yy = np.meshgrid(self.x_values, self.y_values)
        codes = self.zone_code.ravel()
        zones = [ZONES_BY_CODE[c].value if c >= 0 else None for c in codes]
        return pd.DataFrame(
            {
                "x_knob": self.x_knob,
                "x": xx.ravel(),
                "y_knob": self.y_knob,
                "y": yy.ravel(),
                "score": self.score.ravel(),
                "zone": zones,
            }
        )


def sweep(
    a: RoleAssessment,
    x_knob: str,
    y_knob: str,
    methodology: Methodology = DEFAULT,
    share_grid=DEFAULT_SHARE_GRID,
) -> SweepResult:
    """Published score and zone over every combination of two knobs' values.

    Integer knobs take every level; share knobs take ``share_grid`` (percent) plus their base
    value. Two share knobs pinned together above 100% are impossible: NaN / zone -1.
    """
    kx = knob(a, x_knob)
    ky = knob(a, y_knob)
    if kx.id == ky.id:
        raise AIJRIError(f"sweep needs two different knobs; got {x_knob!r} twice")
    lay = layout(a)
    qx, qy = lay.index(kx.id), lay.index(ky.id)
    xv = _knob_values(kx, lay.base_values[qx], share_grid)
    yv = _knob_values(ky, lay.base_values[qy], share_grid)
    xv = xv[(xv >= kx.min) & (xv <= kx.max)]
    yv = yv[(yv >= ky.min) & (yv <= ky.max)]
    xx, yy = np.meshgrid(xv, yv)
    n = xx.size
    mask = np.zeros((n, len(lay.knobs)), dtype=bool)
    vals = np.zeros((n, len(lay.knobs)))
    mask[:, qx] = True
    mask[:, qy] = True
    vals[:, qx] = xx.ravel()
    vals[:, qy] = yy.ravel()
    kwargs, invalid = variant_inputs(lay, mask, vals)
    batch = score_many(methodology=methodology, **kwargs)
    s = np.where(invalid, np.nan, batch.score).reshape(xx.shape)
    z = np.where(invalid, -1, batch.zone_code).reshape(xx.shape)
    return SweepResult(kx.id, ky.id, xv, yv, s, z, float(lay.base_values[qx]), float(lay.base_values[qy]))


@dataclass(frozen=True)
class ZoneMapResult:
    task_resistance: np.ndarray  # 1-D grid over 1..5
    evidence_total: np.ndarray  # 1-D integers -10..+10
    score: np.ndarray  # [len(evidence_total), len(task_resistance)] published scores
    zone_code: np.ndarray  # same shape, 0 RED / 1 YELLOW / 2 GREEN
    role_task_resistance: float
    role_evidence_total: float
    role_score: float
    role_zone: Zone
    barrier_total: float
    growth_correlation: float
    # threshold -> task resistance at which the published score reaches it, per evidence total (NaN if outside 1..5)
    boundaries: dict[float, np.ndarray] = field(default_factory=dict)

    def to_df(self) -> pd.DataFrame:
        """Long form: one row per grid cell (task_resistance, evidence_total, score, zone)."""
        tt, ee = np.meshgrid(self.task_resistance, self.evidence_total)
        return pd.DataFrame(
            {
                "task_resistance": tt.ravel(),
                "evidence_total": ee.ravel(),
                "score": self.score.ravel(),
                "zone": [ZONES_BY_CODE[c].value for c in self.zone_code.ravel()],
            }
        )

    def boundaries_df(self) -> pd.DataFrame:
        return pd.DataFrame({"evidence_total": self.evidence_total, **{t: v for t, v in self.boundaries.items()}})


def task_resistance_needed(
    threshold: float, evidence_total, barrier_total: float, growth: float, m: Methodology = DEFAULT
):
    """Task resistance at which the published score reaches ``threshold`` (see ThresholdCrossing)."""
    raw_needed = (threshold - publish_half_unit(m)) / 100.0 * m.normalisation_span + m.normalisation_offset
    em = 1.0 + m.evidence_weight * np.asarray(evidence_total, dtype=float)
    bm = 1.0 + m.barrier_weight * barrier_total
    gm = 1.0 + m.growth_weight * growth
    with np.errstate(divide="ignore", invalid="ignore"):
        return raw_needed / (em * bm * gm)


def zone_map(a: RoleAssessment, methodology: Methodology = DEFAULT, resolution: int = 81) -> ZoneMapResult:
    """Score and zone over task resistance 1..5 (``resolution`` points) x evidence total
    -10..+10 (whole numbers), at the role's barriers and growth, with the role's position
    and, per threshold, the boundary curve TR(evidence total)."""
    if not (isinstance(resolution, int | np.integer) and resolution >= 2):
        raise AIJRIError(f"zone map resolution {resolution!r} is out of range; allowed: a whole number of 2 or more")
    m = methodology
    lay = layout(a)
    base = _base_batch(lay, m)
    tr = np.linspace(*TASK_RESISTANCE_RANGE, int(resolution))
    e = np.arange(EVIDENCE_TOTAL_RANGE[0], EVIDENCE_TOTAL_RANGE[1] + 1, dtype=float)
    tt, ee = np.meshgrid(tr, e)
    b_total = float(base.barrier_total[0])
    g = lay.growth
    # One task at the weighted score that gives each TR reproduces the formula on a grid.
    batch = score_many((m.task_resistance_ceiling - tt.ravel())[:, None], [FULL_TIME], ee.ravel(), b_total, g, m)
    boundaries = {}
    for threshold in (m.green_threshold, m.yellow_threshold):
        needed = task_resistance_needed(threshold, e, b_total, g, m)
        ok = (needed >= TASK_RESISTANCE_RANGE[0]) & (needed <= TASK_RESISTANCE_RANGE[1])
        boundaries[float(threshold)] = np.where(ok, needed, np.nan)
    return ZoneMapResult(
        task_resistance=tr,
        evidence_total=e,
        score=batch.score.reshape(tt.shape),
        zone_code=batch.zone_code.reshape(tt.shape),
        role_task_resistance=float(base.task_resistance[0]),
        role_evidence_total=float(base.evidence_total[0]),
        role_score=float(base.score[0]),
        role_zone=_zone(base.zone_code[0]),
        barrier_total=b_total,
        growth_correlation=g,
        boundaries=boundaries,
    )
