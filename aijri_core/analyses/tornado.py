"""Tornado: the published score at both ends of every knob, one knob at a time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..errors import AIJRIError
from ..methodology import DEFAULT, Methodology, Zone
from ..model import RoleAssessment
from ._variants import Frame, base_batch, layout, score_one_knob, zone_for

if TYPE_CHECKING:
    import pandas as pd


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
class TornadoResult(Frame):
    base_score: float
    base_zone: Zone
    mode: str
    rows: tuple[TornadoRow, ...]

    def to_dict(self) -> dict:
        """The result as `aijri tornado --json` writes it (JSON-ready through ``io.json_text``)."""
        return {
            "base_score": self.base_score,
            "base_zone": self.base_zone,
            "mode": self.mode,
            "rows": [{**asdict(r), "crosses": r.crosses} for r in self.rows],
        }

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
    pinned: Iterable[str] = (),
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
    lay = layout(a, pinned)
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
    base = base_batch(lay, m)
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
            zone_low=zone_for(z_lo[q]),
            zone_high=zone_for(z_hi[q]),
            swing=float(swing[q]),
            crosses_low=bool(z_lo[q] != base_code),
            crosses_high=bool(z_hi[q] != base_code),
        )
        for q in order
    )
    return TornadoResult(base_score=base_score, base_zone=zone_for(base_code), mode=mode, rows=rows)
