"""The shared variant builder of the analyses: an assessment as arrays, and many one-knob
(or several-knob) variants of it scored with one call of :func:`aijri_core.scoring.score_many`
(no pydantic per variant), so a full recomputation after a slider move takes about a
millisecond.

Share knobs follow the one share rule of :mod:`aijri_core.knobs` (``pinned_shares``); the
arrays built here reproduce ``apply_changes`` exactly (same arithmetic, same order).

Zones are those of the formula on the published (rounded, clamped) score; an assessor
override is not a knob and is ignored by the analyses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..exact import exact_sum
from ..knobs import Knob, KnobError, knob, knobs, pinned_shares, task_share_id
from ..methodology import ZONES_BY_CODE, Methodology, Zone
from ..model import BARRIERS, EVIDENCE_DIMENSIONS, RoleAssessment, clean_name, total_range
from ..scoring import ScoreBatch, score_many

if TYPE_CHECKING:
    import pandas as pd

#: Break-even resolution for share knobs, in percentage points.
SHARE_RESOLUTION = 0.1
#: Default grid of share values (percent) for spider curves and sweeps.
DEFAULT_SHARE_GRID: tuple[float, ...] = tuple(float(v) for v in range(0, 101, 5))
#: Evidence totals of the zone map (the evidence dimensions, each on the evidence scale).
EVIDENCE_TOTAL_RANGE = total_range("evidence")


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
    held: np.ndarray | None = None  # (k,) True for tasks whose share stays put (set or locked)

    @property
    def n_tasks(self) -> int:
        return len(self.scores)

    def index(self, knob_id: str) -> int:
        """Position of a knob the caller validated with ``knob()``; a KnobError for a share
        left out because no free task is left to trade time with."""
        for q, k in enumerate(self.knobs):
            if k.id == knob_id:
                return q
        raise KnobError(f"{knob_id}: cannot move: every other task's share is set or locked")


def _with_max(k: Knob, hi: float) -> Knob:
    """A copy of a share knob whose range ends at ``hi`` (what the pinned shares leave)."""
    out = Knob(id=k.id, label=k.label, group=k.group, kind=k.kind, target=k.target)
    object.__setattr__(out, "max", float(hi))
    return out


def _held_task(a: RoleAssessment, name: str) -> str:
    """The task a pin names, or a KnobError. A role left with one task has no share knob, but
    its task can be pinned like any other (its share cannot move anyway): the shares a scenario
    set stay pins whatever the scenario leaves of the role."""
    if len(a.tasks) == 1 and a.tasks[0].name == clean_name(name):
        return a.tasks[0].name
    return knob(a, task_share_id(name)).target


def layout(a: RoleAssessment, pinned: Iterable[str] = ()) -> Layout:
    """The assessment as arrays in the order ``score_many`` expects.

    pinned: names of tasks whose share stays put while another share moves (the shares a
    scenario or the user set, or locked). Only the other tasks give or take time; a share
    knob can move as far as the role's own total allows with the pinned shares kept, and a
    share knob with no other free task to trade with is left out.
    """
    names = [t.name for t in a.tasks]
    held_names = {_held_task(a, name) for name in pinned}
    ks = tuple(knobs(a))
    held = None
    if held_names:
        held = np.array([n in held_names for n in names])
        # the room left by the held shares, exactly: 99.0 - 94.7 leaves 4.3, not 4.299999999999997
        total = exact_sum(t.time_share for t in a.tasks)
        held_total = exact_sum(t.time_share for t in a.tasks if t.name in held_names)
        kept = []
        for k in ks:
            if k.kind == "share":
                own = a.task(k.target).time_share if k.target in held_names else 0.0
                if not any(n != k.target and n not in held_names for n in names):
                    continue  # nothing left to trade time with
                k = _with_max(k, min(k.max, max(0.0, float(total - (held_total - exact_sum([own]))))))
            kept.append(k)
        ks = tuple(kept)
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
        held=held,
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
    if lay.held is not None:  # held shares stay put (a variant that moves one overrides it below)
        pin_mask[:, lay.held] = True
        pin_vals[:, lay.held] = lay.shares[lay.held]
    any_share = False
    for q, (kind, t) in enumerate(zip(lay.kinds, lay.targets, strict=True)):
        col = mask[:, q]
        if not col.any():
            continue
        v = vals[:, q]
        if kind == "score":
            sc[:, t] = np.where(col, v, sc[:, t])
        elif kind == "share":
            pin_mask[:, t] |= col
            pin_vals[:, t] = np.where(col, v, pin_vals[:, t])
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


def base_batch(lay: Layout, m: Methodology) -> ScoreBatch:
    return score_many(lay.scores, lay.shares, lay.evidence[None, :], lay.barriers[None, :], [lay.growth], m)


def zone_for(code) -> Zone:
    return ZONES_BY_CODE[int(code)]


def levels(k: Knob) -> np.ndarray:
    return np.arange(int(k.min), int(k.max) + 1, dtype=float)


def grid_with_base(grid, base_value: float) -> np.ndarray:
    return np.unique(np.append(np.asarray(grid, dtype=float), base_value))


def knob_values(k: Knob, base_value: float, share_grid) -> np.ndarray:
    return levels(k) if k.integer else grid_with_base(share_grid, base_value)


class Frame:
    """``to_df`` for results holding a tuple of row dataclasses in ``rows``."""

    rows: tuple

    def to_df(self) -> pd.DataFrame:
        import pandas as pd

        records = []
        for r in self.rows:
            d = asdict(r)
            for key, v in d.items():
                if isinstance(v, Zone):
                    d[key] = v.value
            records.append(d)
        return pd.DataFrame.from_records(records)


def publish_half_unit(m: Methodology) -> float:
    """Half a unit of the last published decimal (0.05 for one decimal)."""
    return 0.5 * 10.0 ** (-m.decimals)


def raw_score_needed(threshold: float, m: Methodology) -> float:
    """The raw score (before normalisation) whose published score just reaches ``threshold``."""
    return (threshold - publish_half_unit(m)) / 100.0 * m.normalisation_span + m.normalisation_offset
