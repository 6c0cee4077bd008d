"""Sweep: the published score and zone over every combination of two knobs' values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..errors import AIJRIError
from ..knobs import knob
from ..methodology import DEFAULT, ZONES_BY_CODE, Methodology
from ..model import RoleAssessment
from ..scoring import score_many
from ._variants import DEFAULT_SHARE_GRID, knob_values, layout, variant_inputs

if TYPE_CHECKING:
    import pandas as pd


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
        import pandas as pd

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
    pinned: Iterable[str] = (),
) -> SweepResult:
    """Published score and zone over every combination of two knobs' values.

    Integer knobs take every level; share knobs take ``share_grid`` (percent) plus their base
    value. Two share knobs pinned together above 100% are impossible: NaN / zone -1.
    """
    kx = knob(a, x_knob)
    ky = knob(a, y_knob)
    if kx.id == ky.id:
        raise AIJRIError(f"sweep needs two different knobs; got {x_knob!r} twice")
    lay = layout(a, pinned)
    qx, qy = lay.index(kx.id), lay.index(ky.id)
    kx, ky = lay.knobs[qx], lay.knobs[qy]  # share ranges as the pinned shares allow
    xv = knob_values(kx, lay.base_values[qx], share_grid)
    yv = knob_values(ky, lay.base_values[qy], share_grid)
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
