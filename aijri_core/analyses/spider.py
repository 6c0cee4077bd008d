"""Spider: each knob's full response curve, other knobs fixed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from ..knobs import SHARE_EPSILON
from ..methodology import DEFAULT, Methodology, Zone
from ..model import RoleAssessment
from ._variants import DEFAULT_SHARE_GRID, Frame, knob_values, layout, score_one_knob, zone_for


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
class SpiderResult(Frame):
    rows: tuple[SpiderPoint, ...]


def spider(
    a: RoleAssessment,
    share_grid=DEFAULT_SHARE_GRID,
    methodology: Methodology = DEFAULT,
    pinned: Iterable[str] = (),
) -> SpiderResult:
    """Each knob's full response curve: the published score at every level of every
    integer knob and at every value of ``share_grid`` (percent, plus the base share) for
    share knobs, other knobs fixed. Rows in knob order, values ascending."""
    lay = layout(a, pinned)
    idx, vals = [], []
    for q, k in enumerate(lay.knobs):
        v = knob_values(k, lay.base_values[q], share_grid)
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
            zone=zone_for(z),
            is_base=bool(abs(v - lay.base_values[q]) <= SHARE_EPSILON),
        )
        for q, v, s, z in zip(idx_a, vals_a, batch.score, batch.zone_code, strict=True)
    )
    return SpiderResult(rows=rows)
