"""Monte Carlo uncertainty: how likely is each zone if every rating could be one step off?

Draws (all vectorised, scored with one ``score_many`` call):

- every whole-number input (task scores, evidence ratings, barrier ratings, growth) moves
  independently by -1, 0 or +1 with probabilities p/2, 1-p, p/2, clipped to its range;
- every task share is multiplied by exp(share_jitter x N(0, 1)) (a lognormal factor: a 5%
  task and a 25% task vary by the same proportion, shares never turn negative, and a task
  at 0% stays at 0%), then all shares are rescaled to sum to 100. The
  default 0.2 moves a share by about +/-20% (one standard deviation).

Importance is Spearman's rank correlation of each knob's sampled value with the published
score (ties share their average rank; shares are ranked at 0.001 point resolution). It is 0
when a knob or the score does not vary.

Zones are the formula's (an assessor override is not a knob and is not applied to draws).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import AIJRIError
from .methodology import DEFAULT, SCALE_MAX, SCALE_MIN, Methodology, Zone, publish_round
from .model import RoleAssessment
from .scoring import score_many
from .sensitivity import FULL_TIME, layout

#: Default lognormal sigma of the share jitter (about +/-20% of each share).
DEFAULT_SHARE_JITTER = 0.2
#: Quantiles reported, in percent.
QUANTILES = (5, 25, 50, 75, 95)
#: Most draws one call accepts (memory: about 200 bytes per draw per task).
MAX_DRAWS = 2_000_000
#: Resolution (percentage points) at which sampled shares are ranked.
SHARE_RANK_RESOLUTION = 1e-3


@dataclass(frozen=True)
class Importance:
    knob_id: str
    label: str
    group: str
    rank_correlation: float  # Spearman, -1..1


@dataclass(frozen=True)
class MonteCarloResult:
    n: int
    p: float
    share_jitter: float
    seed: int | None
    base_score: float
    base_zone: Zone
    scores: np.ndarray  # published scores of all draws
    quantiles: dict[int, float]  # percent -> score
    p_green: float
    p_yellow: float
    p_red: float
    histogram_edges: np.ndarray  # 1-point bins over the scale
    histogram_counts: np.ndarray
    importance: tuple[Importance, ...]  # by |rank correlation|, largest first

    def zone_probabilities(self) -> dict[Zone, float]:
        return {Zone.GREEN: self.p_green, Zone.YELLOW: self.p_yellow, Zone.RED: self.p_red}

    def to_df(self) -> pd.DataFrame:
        """Importance table: one row per knob (knob_id, label, group, rank_correlation)."""
        return pd.DataFrame(
            {
                "knob_id": [i.knob_id for i in self.importance],
                "label": [i.label for i in self.importance],
                "group": [i.group for i in self.importance],
                "rank_correlation": [i.rank_correlation for i in self.importance],
            }
        )

    def summary_df(self) -> pd.DataFrame:
        """One row of figures: quantiles and zone probabilities."""
        row = {f"q{q}": v for q, v in self.quantiles.items()}
        row.update(p_green=self.p_green, p_yellow=self.p_yellow, p_red=self.p_red, n=self.n, p=self.p)
        return pd.DataFrame([row])

    def histogram_df(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "left": self.histogram_edges[:-1],
                "right": self.histogram_edges[1:],
                "count": self.histogram_counts,
            }
        )


def _check(n, p, share_jitter) -> None:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 1 <= n <= MAX_DRAWS:
        raise AIJRIError(f"number of draws {n!r} is out of range; allowed: a whole number from 1 to {MAX_DRAWS:,}")
    if isinstance(p, bool) or not (isinstance(p, int | float) and 0 <= p <= 1):
        raise AIJRIError(f"step probability p {p!r} is out of range; allowed: 0 to 1")
    if isinstance(share_jitter, bool) or not (isinstance(share_jitter, int | float) and 0 <= share_jitter <= 2):
        raise AIJRIError(f"share jitter {share_jitter!r} is out of range; allowed: 0 to 2 (lognormal sigma)")


#: Integer draws use 16-bit uniforms: p/2 is applied at a resolution of 1/65536.
_U16 = 1 << 16


def monte_carlo(
    a: RoleAssessment,
    n: int = 100_000,
    p: float = 0.3,
    share_jitter: float = DEFAULT_SHARE_JITTER,
    seed: int | None = None,
    methodology: Methodology = DEFAULT,
) -> MonteCarloResult:
    """Zone probabilities and score quantiles when inputs are uncertain (see module doc).

    n: draws (1..2,000,000). p: probability that each whole-number input moves one step
    (0..1; each direction p/2, applied at a resolution of 1/65536). share_jitter: lognormal
    sigma of the share factors (0..2; 0 = shares fixed). seed: for reproducible draws
    (numpy ``default_rng``). p=0 and share_jitter=0 give every draw the base score.
    """
    _check(n, p, share_jitter)
    m = methodology
    lay = layout(a)
    n = int(n)
    k = lay.n_tasks
    cols, lo, _ = _int_columns(lay)
    ints, sh = _draws(lay, n, p, share_jitter, np.random.default_rng(seed))
    e0, b0 = k, k + len(lay.evidence)
    time_shares = lay.shares if sh is None else sh.T
    # Whole-number totals are exact in any order: sum the small integers before scoring.
    evidence_total = ints[e0:b0].sum(axis=0, dtype=np.int16)
    barrier_total = ints[b0:-1].sum(axis=0, dtype=np.int16)
    batch = score_many(ints[:k].T, time_shares, evidence_total, barrier_total, ints[-1], m)
    base = score_many(lay.scores, lay.shares, lay.evidence[None, :], lay.barriers[None, :], [lay.growth], m)
    scores = batch.score
    zone_counts = np.bincount(batch.zone_code, minlength=3)
    # Published scores sit on a grid (0.1 points): count them once, read quantiles,
    # histogram and ranks off the counts (O(n), no sort).
    unit = 10.0 ** (-m.decimals)
    low = float(np.floor(scores.min()))
    codes = np.rint((scores - low) / unit).astype(np.int64)
    counts = np.bincount(codes)
    cum = np.cumsum(counts)
    quantiles = {q: low + _quantile_code(cum, n, q) * unit for q in QUANTILES}
    quantiles = {q: float(publish_round(v, m.decimals + 6)) for q, v in quantiles.items()}
    bottom = min(SCALE_MIN, low)
    top = max(SCALE_MAX, float(np.ceil(scores.max())))
    edges = np.arange(bottom, top + 1.0, 1.0)
    per_point = int(round(1.0 / unit))
    bins = np.floor((np.arange(len(counts)) + 1e-9) / per_point).astype(np.int64) + int(low - bottom)
    hist = np.bincount(bins, weights=counts, minlength=len(edges) - 1)[: len(edges) - 1].astype(np.int64)
    if top == scores.max() and len(hist):  # the last edge is inclusive, like numpy.histogram
        hist[-1] += int(counts[-1])
    importance = _importance(lay, cols, lo, ints, sh, codes, counts)
    return MonteCarloResult(
        n=n,
        p=float(p),
        share_jitter=float(share_jitter),
        seed=seed,
        base_score=float(base.score[0]),
        base_zone=base.zones()[0],
        scores=scores,
        quantiles=quantiles,
        p_green=float(zone_counts[2] / n),
        p_yellow=float(zone_counts[1] / n),
        p_red=float(zone_counts[0] / n),
        histogram_edges=edges,
        histogram_counts=hist,
        importance=importance,
    )


def _draws(lay, n: int, p: float, share_jitter: float, rng: np.random.Generator):
    """(whole-number inputs (m, n) int8 in ``_int_columns`` order, shares (k, n) or None)."""
    k = lay.n_tasks
    cols, lo, hi = _int_columns(lay)
    base_int = np.array([lay.base_values[q] for q in cols])
    # One row per whole-number input (task scores, evidence, barriers, growth), one column
    # per draw; small integers (int8) keep the memory traffic low.
    ints = np.empty((len(cols), n), dtype=np.int8)
    threshold = int(round(p / 2 * _U16))
    if threshold > 0:
        u = rng.integers(0, _U16, size=(len(cols), n), dtype=np.uint16)
        for c in range(len(cols)):
            row = ints[c]
            up = u[c] >= _U16 - threshold if base_int[c] < hi[c] else False  # at the top a +1 is clipped away
            down = u[c] < threshold if base_int[c] > lo[c] else False
            np.subtract(up, down, out=row, dtype=np.int8, casting="unsafe")
            row += np.int8(base_int[c])
    else:
        ints[:] = base_int[:, None]
    if k < 2 or share_jitter <= 0:
        return ints, None
    factors = np.exp(np.float32(share_jitter) * _standard_normal(rng, (k, n)))
    sh = factors * lay.shares[:, None]
    total = sh[0].copy()
    for j in range(1, k):
        total += sh[j]
    sh *= FULL_TIME / np.where(total > 0, total, 1.0)
    return ints, sh


def sample_inputs(
    a: RoleAssessment,
    n: int = 1000,
    p: float = 0.3,
    share_jitter: float = DEFAULT_SHARE_JITTER,
    seed: int | None = None,
) -> dict[str, np.ndarray]:
    """The draws ``monte_carlo`` scores with the same arguments and seed, per knob id
    (n values each, in knob order), e.g. to inspect or export them."""
    _check(n, p, share_jitter)
    lay = layout(a)
    ints, sh = _draws(lay, int(n), p, share_jitter, np.random.default_rng(seed))
    cols, _, _ = _int_columns(lay)
    out: dict[str, np.ndarray] = {}
    for q, (kind, t) in enumerate(zip(lay.kinds, lay.targets, strict=True)):
        if kind == "share":
            out[lay.knobs[q].id] = np.full(int(n), lay.shares[t]) if sh is None else sh[t].copy()
        else:
            out[lay.knobs[q].id] = ints[cols.index(q)].astype(float)
    return out


def _standard_normal(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Standard normal draws (float32) by the Box-Muller transform: about three times
    faster than ``Generator.standard_normal`` here, and exact in distribution."""
    size = shape[0] * shape[1]
    half = (size + 1) // 2
    u = rng.random((2, half), dtype=np.float32)
    radius = np.sqrt(np.float32(-2.0) * np.log(np.float32(1.0) - u[0]))  # 1 - u is in (0, 1]
    angle = np.float32(2.0 * np.pi) * u[1]
    z = np.empty(2 * half, dtype=np.float32)
    np.multiply(radius, np.cos(angle), out=z[:half])
    np.multiply(radius, np.sin(angle), out=z[half:])
    return z[:size].reshape(shape)


def _quantile_code(cum: np.ndarray, n: int, q: float) -> float:
    """numpy.percentile's default (linear) on values given as sorted counts per code."""
    h = (n - 1) * q / 100.0
    lo = int(np.floor(h))
    hi = min(lo + 1, n - 1)
    x_lo = int(np.searchsorted(cum, lo, side="right"))
    x_hi = int(np.searchsorted(cum, hi, side="right"))
    return x_lo + (h - lo) * (x_hi - x_lo)


def _int_columns(lay):
    """Whole-number knobs in draw order: (knob indices, lows, highs)."""
    cols = [q for q, kind in enumerate(lay.kinds) if kind != "share"]
    lo = np.array([lay.knobs[q].min for q in cols], dtype=float)
    hi = np.array([lay.knobs[q].max for q in cols], dtype=float)
    return cols, lo, hi


def _spearman_from_codes(codes: np.ndarray, score_ranks_centered: np.ndarray, score_norm: float) -> float:
    """Spearman correlation of integer-coded values with the (centred) score ranks.

    Ranks are constant within a code, so the sums need only per-code counts and per-code
    sums of the score ranks (two bincounts, O(n + codes)).
    """
    counts = np.bincount(codes)
    starts = np.cumsum(counts) - counts
    avg = starts + (counts + 1) / 2.0
    mean = (len(codes) + 1) / 2.0
    dev = avg - mean
    norm = np.sqrt(np.sum(counts * dev * dev))
    denom = norm * score_norm
    if not denom > 0:
        return 0.0
    sums = np.bincount(codes, weights=score_ranks_centered, minlength=len(counts))
    return float(np.clip(np.sum(dev * sums) / denom, -1.0, 1.0))


def _importance(lay, cols, lo, ints, shares, score_codes, score_counts) -> tuple[Importance, ...]:
    """Spearman correlation of each knob's sampled values with the published score."""
    n = len(score_codes)
    starts = np.cumsum(score_counts) - score_counts
    dev = starts + (score_counts + 1) / 2.0 - (n + 1) / 2.0
    score_norm = float(np.sqrt(np.sum(score_counts * dev * dev)))
    r_score = dev[score_codes]
    corr = np.zeros(len(lay.knobs))
    for c, q in enumerate(cols):
        corr[q] = _spearman_from_codes(ints[c] - np.int8(lo[c]), r_score, score_norm)
    if shares is not None:
        for q, (kind, t) in enumerate(zip(lay.kinds, lay.targets, strict=True)):
            if kind == "share":
                codes = (shares[t] * (1.0 / SHARE_RANK_RESOLUTION)).astype(np.int64)  # shares >= 0: bins from 0
                corr[q] = _spearman_from_codes(codes, r_score, score_norm)
    order = np.argsort(-np.abs(corr), kind="stable")
    return tuple(Importance(lay.knobs[q].id, lay.knobs[q].label, lay.knobs[q].group, float(corr[q])) for q in order)
