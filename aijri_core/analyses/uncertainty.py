"""Monte Carlo uncertainty: how likely is each zone if every rating could be one step off?

Draws (all vectorised, scored with one ``score_many`` call):

- every whole-number input (task scores, evidence ratings, barrier ratings, growth) moves
  independently by -1, 0 or +1 with probabilities p/2, 1-p, p/2, clipped to its range;
- every task share is multiplied by exp(share_jitter x N(0, 1)) (a lognormal factor: a 5%
  task and a 25% task vary by the same proportion, shares never turn negative, and a task
  at 0% stays at 0%), then all shares are rescaled to the role's own share total. The
  default 0.2 moves a share by about +/-20% (one standard deviation).

Importance is Spearman's rank correlation of each knob's sampled value with the published
score (ties share their average rank; shares are ranked in bins of 0.01 point). It is 0
when a knob or the score does not vary.

Zones are the formula's (an assessor override is not a knob and is not applied to draws).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..errors import AIJRIError
from ..knobs import role_share_total
from ..methodology import DEFAULT, SCALE_MAX, SCALE_MIN, Methodology, Zone, publish_round
from ..model import RoleAssessment
from ..scoring import score_many
from ._variants import layout

if TYPE_CHECKING:
    import pandas as pd

#: Default lognormal sigma of the share jitter (about +/-20% of each share).
DEFAULT_SHARE_JITTER = 0.2
#: Quantiles reported, in percent.
QUANTILES = (5, 25, 50, 75, 95)
#: Most draws one call accepts (memory: about 200 bytes per draw per task).
MAX_DRAWS = 2_000_000
#: Resolution (percentage points) at which sampled shares are ranked.
SHARE_RANK_RESOLUTION = 0.01


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

    def to_dict(self) -> dict:
        """The result as `aijri montecarlo --json` writes it, without the draws' scores (JSON-ready
        through ``io.json_text``)."""
        return {
            "n": self.n,
            "p": self.p,
            "share_jitter": self.share_jitter,
            "seed": self.seed,
            "base_score": self.base_score,
            "base_zone": self.base_zone,
            "quantiles": {str(q): v for q, v in self.quantiles.items()},
            "p_green": self.p_green,
            "p_yellow": self.p_yellow,
            "p_red": self.p_red,
            "histogram_edges": self.histogram_edges,
            "histogram_counts": self.histogram_counts,
            "importance": [asdict(i) for i in self.importance],
        }

    def zone_probabilities(self) -> dict[Zone, float]:
        return {Zone.GREEN: self.p_green, Zone.YELLOW: self.p_yellow, Zone.RED: self.p_red}

    def to_df(self) -> pd.DataFrame:
        """Importance table: one row per knob (knob_id, label, group, rank_correlation)."""
        import pandas as pd

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
        import pandas as pd

        row = {f"q{q}": v for q, v in self.quantiles.items()}
        row.update(p_green=self.p_green, p_yellow=self.p_yellow, p_red=self.p_red, n=self.n, p=self.p)
        return pd.DataFrame([row])

    def histogram_df(self) -> pd.DataFrame:
        import pandas as pd

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
#: Draws are made and scored in chunks of this many: every temporary array then stays small
#: (cache-sized, reused by the allocator) instead of costing fresh memory pages per call.
#: Part of the random stream's definition: changing it changes seeded results.
CHUNK = 8192


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
    d = _Drawer(lay, p, share_jitter, np.random.default_rng(seed))
    ints = np.empty((len(d.cols), n), dtype=np.int8)
    sh = np.empty((k, n)) if d.jitter else None
    scores = np.empty(n)
    zone_counts = np.zeros(3, dtype=np.int64)
    e0, b0 = k, k + len(lay.evidence)
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        ic = ints[:, start:stop]
        sc = None if sh is None else sh[:, start:stop]
        d.draw(ic, sc)
        # Whole-number totals are exact in any order: sum the small integers before scoring.
        batch = score_many(
            ic[:k].T,
            lay.shares if sc is None else sc.T,
            ic[e0:b0].sum(axis=0, dtype=np.int16),
            ic[b0:-1].sum(axis=0, dtype=np.int16),
            ic[-1],
            m,
        )
        scores[start:stop] = batch.score
        zone_counts += np.bincount(batch.zone_code, minlength=3)
    base = score_many(lay.scores, lay.shares, lay.evidence[None, :], lay.barriers[None, :], [lay.growth], m)
    # Published scores sit on a grid (0.1 points): count them once, read quantiles,
    # histogram and ranks off the counts (O(n), no sort).
    unit = 10.0 ** (-m.decimals)
    low = float(np.floor(scores.min()))
    codes = np.rint((scores - low) / unit).astype(np.intp)
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
    importance = _importance(lay, d, ints, sh, codes, counts)
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


class _Drawer:
    """Draws chunk by chunk from one generator: whole-number inputs first, then shares."""

    def __init__(self, lay, p: float, share_jitter: float, rng: np.random.Generator):
        self.lay = lay
        self.rng = rng
        self.cols, self.lo, self.hi = _int_columns(lay)
        self.base_int = np.array([lay.base_values[q] for q in self.cols])
        self.threshold = t = int(round(p / 2 * _U16))
        self.base_int8 = self.base_int.astype(np.int8)[:, None]
        # u >= up_from moves an input up, u < down_below moves it down; an input at the top
        # (bottom) of its range never moves further (the move is clipped away).
        self.up_from = np.where(self.base_int < self.hi, _U16 - t, _U16).astype(np.uint32)[:, None]
        self.down_below = np.where(self.base_int > self.lo, t, 0).astype(np.uint32)[:, None]
        self.share_jitter = float(share_jitter)
        self.jitter = lay.n_tasks > 1 and share_jitter > 0
        self.role_total = role_share_total(lay.shares)

    def draw(self, ints: np.ndarray, shares: np.ndarray | None) -> None:
        """Fill ints (m, c) int8 and, if jittering (shares is then given), shares (k, c) for c draws."""
        factors = self.draw_factors(ints)
        if shares is not None and factors is not None:
            self.apply(factors, shares)

    def draw_factors(self, ints: np.ndarray) -> np.ndarray | None:
        """Fill ints (m, c) int8 for c draws and return the share factors (k, c) float32 drawn
        after them (None without jitter), not yet applied to the shares (``apply``)."""
        c = ints.shape[1]
        if self.threshold > 0:
            u = self.rng.integers(0, _U16, size=(len(self.cols), c), dtype=np.uint16)
            np.subtract(u >= self.up_from, u < self.down_below, out=ints, dtype=np.int8, casting="unsafe")
            ints += self.base_int8
        else:
            ints[:] = self.base_int8
        if not self.jitter:
            return None
        return np.exp(np.float32(self.share_jitter) * _standard_normal(self.rng, (self.lay.n_tasks, c)))

    def apply(self, factors: np.ndarray, shares: np.ndarray) -> None:
        """Fill shares (k, c) from share factors (k, c): each share times its factor, all of them
        rescaled to the role's own share total (column by column: any subset of columns gives
        the same numbers)."""
        np.multiply(factors, self.lay.shares[:, None], out=shares)
        total = shares[0].copy()
        for j in range(1, self.lay.n_tasks):
            total += shares[j]
        shares *= self.role_total / np.where(total > 0, total, 1.0)


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
    n = int(n)
    d = _Drawer(lay, p, share_jitter, np.random.default_rng(seed))
    ints = np.empty((len(d.cols), n), dtype=np.int8)
    sh = np.empty((lay.n_tasks, n)) if d.jitter else None
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        d.draw(ints[:, start:stop], None if sh is None else sh[:, start:stop])
    out: dict[str, np.ndarray] = {}
    for q, (kind, t) in enumerate(zip(lay.kinds, lay.targets, strict=True)):
        if kind == "share":
            out[lay.knobs[q].id] = np.full(n, lay.shares[t]) if sh is None else sh[t].copy()
        else:
            out[lay.knobs[q].id] = ints[d.cols.index(q)].astype(float)
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


def _level_correlation(level_counts: np.ndarray, level_sums: np.ndarray, n: int, score_norm: float) -> float:
    """Spearman correlation from per-level counts and per-level sums of the centred score ranks.

    Levels are in ascending order of the knob's value; ties (same level) share their
    average rank, so only counts and sums per level are needed.
    """
    starts = np.cumsum(level_counts) - level_counts
    dev = starts + (level_counts + 1) / 2.0 - (n + 1) / 2.0
    norm = float(np.sqrt(np.sum(level_counts * dev * dev)))
    denom = norm * score_norm
    if not denom > 0:
        return 0.0
    return float(np.clip(np.sum(dev * level_sums) / denom, -1.0, 1.0))


def _importance(lay, d: _Drawer, ints, shares, score_codes, score_counts) -> tuple[Importance, ...]:
    """Spearman correlation of each knob's sampled values with the published score.

    Whole-number knobs take at most three levels (base - 1, base, base + 1): their per-level
    counts and rank sums come from sums of the steps and squared steps weighted by the score
    ranks (exact: ranks are half-integers). Shares are binned at SHARE_RANK_RESOLUTION.
    """
    n = len(score_codes)
    starts = np.cumsum(score_counts) - score_counts
    score_dev = starts + (score_counts + 1) / 2.0 - (n + 1) / 2.0
    score_norm = float(np.sqrt(np.sum(score_counts * score_dev * score_dev)))
    r = score_dev[score_codes]  # centred rank of every draw's score
    corr = np.zeros(len(lay.knobs))
    m = len(d.cols)
    step_sum = np.zeros(m)  # sum of steps = n_up - n_down
    step_sq = np.zeros(m)  # sum of squared steps = n_up + n_down
    rank_step = np.zeros(m)  # sum of r * step = S_up - S_down
    rank_sq = np.zeros(m)  # sum of r * step^2 = S_up + S_down
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        steps = ints[:, start:stop] - d.base_int8  # int8 (m, c), values -1, 0, 1
        sq = steps * steps
        rc = r[start:stop]
        step_sum += steps.sum(axis=1, dtype=np.int64)
        step_sq += sq.sum(axis=1, dtype=np.int64)
        rank_step += np.einsum("ij,j->i", steps, rc)
        rank_sq += np.einsum("ij,j->i", sq, rc)
    n_up, n_down = (step_sq + step_sum) / 2, (step_sq - step_sum) / 2
    s_up, s_down = (rank_sq + rank_step) / 2, (rank_sq - rank_step) / 2
    for i, q in enumerate(d.cols):
        counts = np.array([n_down[i], n - n_up[i] - n_down[i], n_up[i]])
        sums = np.array([s_down[i], -(s_up[i] + s_down[i]), s_up[i]])  # the ranks are centred: they sum to 0
        corr[q] = _level_correlation(counts, sums, n, score_norm)
    if shares is not None:
        codes = np.empty(n, dtype=np.intp)
        for q, (kind, t) in enumerate(zip(lay.kinds, lay.targets, strict=True)):
            if kind == "share":
                np.copyto(codes, shares[t] * (1.0 / SHARE_RANK_RESOLUTION), casting="unsafe")  # >= 0: bins from 0
                counts = np.bincount(codes)
                sums = np.bincount(codes, weights=r, minlength=len(counts))
                corr[q] = _level_correlation(counts, sums, n, score_norm)
    order = np.argsort(-np.abs(corr), kind="stable")
    return tuple(Importance(lay.knobs[q].id, lay.knobs[q].label, lay.knobs[q].group, float(corr[q])) for q in order)
