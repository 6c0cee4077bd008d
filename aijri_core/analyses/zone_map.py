"""Zone map: score and zone over task resistance x evidence total, with the role's position
and the threshold boundaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..errors import AIJRIError
from ..knobs import FULL_TIME
from ..methodology import DEFAULT, ZONES_BY_CODE, Methodology, Zone
from ..model import RoleAssessment
from ..scoring import score_many, task_resistance_range
from ._variants import EVIDENCE_TOTAL_RANGE, base_batch, layout, raw_score_needed, zone_for

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class ZoneMapResult:
    task_resistance: np.ndarray  # 1-D grid over scoring.task_resistance_range (1..5 in the published method)
    evidence_total: np.ndarray  # 1-D whole numbers over model.total_range("evidence") (-10..+10)
    score: np.ndarray  # [len(evidence_total), len(task_resistance)] published scores
    zone_code: np.ndarray  # same shape, 0 RED / 1 YELLOW / 2 GREEN
    role_task_resistance: float
    role_evidence_total: float
    role_score: float
    role_zone: Zone
    barrier_total: float
    growth_correlation: float
    # threshold -> task resistance at which the published score reaches it, per evidence total (NaN outside the grid)
    boundaries: dict[float, np.ndarray] = field(default_factory=dict)

    def to_df(self) -> pd.DataFrame:
        """Long form: one row per grid cell (task_resistance, evidence_total, score, zone)."""
        import pandas as pd

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
        import pandas as pd

        return pd.DataFrame({"evidence_total": self.evidence_total, **{t: v for t, v in self.boundaries.items()}})


def task_resistance_needed(
    threshold: float, evidence_total, barrier_total: float, growth: float, m: Methodology = DEFAULT
):
    """Task resistance at which the published score reaches ``threshold`` (see ThresholdCrossing)."""
    raw_needed = raw_score_needed(threshold, m)
    em = 1.0 + m.evidence_weight * np.asarray(evidence_total, dtype=float)
    bm = 1.0 + m.barrier_weight * barrier_total
    gm = 1.0 + m.growth_weight * growth
    with np.errstate(divide="ignore", invalid="ignore"):
        return raw_needed / (em * bm * gm)


def zone_map(a: RoleAssessment, methodology: Methodology = DEFAULT, resolution: int = 81) -> ZoneMapResult:
    """Score and zone over every task resistance the method allows (``scoring.task_resistance_range``,
    ``resolution`` points; 1..5 in the published method) x every evidence total (whole numbers,
    -10..+10), at the role's barriers and growth, with the role's position and, per threshold, the
    boundary curve TR(evidence total)."""
    if not (isinstance(resolution, int | np.integer) and resolution >= 2):
        raise AIJRIError(f"zone map resolution {resolution!r} is out of range; allowed: a whole number of 2 or more")
    m = methodology
    lay = layout(a)
    base = base_batch(lay, m)
    tr_lo, tr_hi = task_resistance_range(m)
    tr = np.linspace(tr_lo, tr_hi, int(resolution))
    e = np.arange(EVIDENCE_TOTAL_RANGE[0], EVIDENCE_TOTAL_RANGE[1] + 1, dtype=float)
    tt, ee = np.meshgrid(tr, e)
    b_total = float(base.barrier_total[0])
    g = lay.growth
    # One task at the weighted score that gives each TR reproduces the formula on a grid.
    batch = score_many((m.task_resistance_ceiling - tt.ravel())[:, None], [FULL_TIME], ee.ravel(), b_total, g, m)
    boundaries = {}
    for threshold in (m.green_threshold, m.yellow_threshold):
        needed = task_resistance_needed(threshold, e, b_total, g, m)
        ok = (needed >= tr_lo) & (needed <= tr_hi)
        boundaries[float(threshold)] = np.where(ok, needed, np.nan)
    return ZoneMapResult(
        task_resistance=tr,
        evidence_total=e,
        score=batch.score.reshape(tt.shape),
        zone_code=batch.zone_code.reshape(tt.shape),
        role_task_resistance=float(base.task_resistance[0]),
        role_evidence_total=float(base.evidence_total[0]),
        role_score=float(base.score[0]),
        role_zone=zone_for(base.zone_code[0]),
        barrier_total=b_total,
        growth_correlation=g,
        boundaries=boundaries,
    )
