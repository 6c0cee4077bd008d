"""The AIJRI formula: one assessment (``score``) or thousands of variants (``score_many``).

Both share the same arithmetic in the same order, so they give identical numbers. What is
decided against a line (the published rounding, the clamp, the zone, the sub-label) is
decided in exact arithmetic on the inputs as written (:mod:`aijri_core.exact`): always in
``score``, and in ``score_many`` for every variant whose float result lies near a line.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict

from . import exact
from .methodology import (
    DEFAULT,
    SUBLABELS_BY_CODE,
    ZONES_BY_CODE,
    Methodology,
    Zone,
    publish,
    publish_round,
    sublabel_code,
    zone_code,
)
from .model import (
    BARRIER_LABELS,
    BARRIERS,
    EVIDENCE_DIMENSIONS,
    EVIDENCE_LABELS,
    PROTECTIVE_LABELS,
    PROTECTIVE_PRINCIPLES,
    SCALES,
    Override,
    PublishedResult,
    RoleAssessment,
    TaskMode,
    total_range,
)
from .textfmt import zone_text


def _weighted(shares, scores):
    """sum(share_i * score_i) / sum(share_i), summed task by task in order.

    ``shares``/``scores`` are sequences over tasks of floats or of numpy arrays (one value
    per variant); the explicit loop keeps the summation order the same for both.
    """
    num = 0.0
    den = 0.0
    for share, score in zip(shares, scores, strict=True):
        num = num + share * score
        den = den + share
    return num / den


def _share_at_or_above(shares, scores, level):
    """Percent of task time on tasks scoring >= level."""
    hit = 0.0
    den = 0.0
    for share, score in zip(shares, scores, strict=True):
        hit = hit + share * (score >= level)
        den = den + share
    return hit * 100.0 / den


def _composite(weighted, evidence_total, barrier_total, growth, m: Methodology):
    task_resistance = m.task_resistance_ceiling - weighted
    evidence_modifier = 1.0 + m.evidence_weight * evidence_total
    barrier_modifier = 1.0 + m.barrier_weight * barrier_total
    growth_modifier = 1.0 + m.growth_weight * growth
    raw = task_resistance * evidence_modifier * barrier_modifier * growth_modifier
    unclamped = (raw - m.normalisation_offset) / m.normalisation_span * 100.0
    return task_resistance, evidence_modifier, barrier_modifier, growth_modifier, raw, unclamped


class Score(BaseModel):
    """Every figure of one assessment's score, in the order the method computes them."""

    model_config = ConfigDict(frozen=True)

    task_weighted: tuple[float, ...]  # per task: normalised share x score (seed: 0.50, 0.60, ...)
    weighted_task_score: float  # 1..5
    task_resistance: float  # TR = ceiling - weighted, 1..5
    evidence_total: int  # E, -10..+10
    evidence_modifier: float
    barrier_total: int  # B, 0..10
    barrier_modifier: float
    growth_correlation: int  # G, -2..+2
    growth_modifier: float
    raw: float
    score_unclamped: float  # before clamping and rounding
    score: float  # published: clamped (if the method clamps), 1 decimal, half away from zero
    clamped: bool
    zone: Zone  # from the formula
    sublabel: str | None  # GREEN only: Accelerated / Transforming / Stable
    final_zone: Zone  # after an assessor override
    final_sublabel: str | None
    overridden: bool
    share_time_score_3_plus: float  # percent of task time at or above the transforming score
    displacement_share: float  # percent of task time
    augmentation_share: float
    not_involved_share: float
    protective_total: int  # 0..9, not scored
    threshold_above: float | None  # the next zone threshold above the score, if any
    distance_above: float | None  # score - threshold_above (negative: points short of it)
    threshold_below: float | None  # the zone threshold at or below the score, if any
    distance_below: float | None  # score - threshold_below (>= 0: points above it)

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json")

    @property
    def zone_text(self) -> str:
        """e.g. 'GREEN (Transforming)' for the final zone."""
        return zone_text(self.final_zone, self.final_sublabel)


def _threshold_distances(published: float, m: Methodology):
    above = [t for t in sorted((m.yellow_threshold, m.green_threshold)) if t > published]
    below = [t for t in sorted((m.yellow_threshold, m.green_threshold)) if t <= published]
    t_above = above[0] if above else None
    t_below = below[-1] if below else None
    d_above = None if t_above is None else exact.difference(published, t_above)
    d_below = None if t_below is None else exact.difference(published, t_below)
    return t_above, d_above, t_below, d_below


def score(assessment: RoleAssessment, methodology: Methodology = DEFAULT) -> Score:
    """Score one assessment with every intermediate figure."""
    m = methodology
    shares = [t.time_share for t in assessment.tasks]
    scores = [t.score for t in assessment.tasks]
    share_sum = 0.0
    for s in shares:
        share_sum += s
    weighted = _weighted(shares, scores)
    e_total = assessment.evidence.total
    b_total = assessment.barriers.total
    g = assessment.growth_correlation
    tr, em, bm, gm, raw, unclamped = _composite(weighted, e_total, b_total, g, m)
    decided = exact.decide(shares, scores, e_total, b_total, g, m)
    published, clamped = decided.score, decided.clamped
    share3 = exact.share_figure(_share_at_or_above(shares, scores, m.transforming_score), decided, m)
    sub = SUBLABELS_BY_CODE[decided.sublabel_code]
    zone = ZONES_BY_CODE[decided.zone_code]
    override = assessment.override
    mode_share = {mode: 0.0 for mode in TaskMode}
    for t in assessment.tasks:
        mode_share[t.mode] += t.time_share / share_sum * 100.0
    t_above, d_above, t_below, d_below = _threshold_distances(published, m)
    return Score(
        task_weighted=tuple(s / share_sum * sc for s, sc in zip(shares, scores, strict=True)),
        weighted_task_score=weighted,
        task_resistance=tr,
        evidence_total=e_total,
        evidence_modifier=em,
        barrier_total=b_total,
        barrier_modifier=bm,
        growth_correlation=g,
        growth_modifier=gm,
        raw=raw,
        score_unclamped=unclamped,
        score=published,
        clamped=clamped,
        zone=zone,
        sublabel=sub,
        final_zone=override.zone if override else zone,
        final_sublabel=(override.sublabel if override else sub),
        overridden=override is not None,
        share_time_score_3_plus=share3,
        displacement_share=mode_share[TaskMode.DISPLACEMENT],
        augmentation_share=mode_share[TaskMode.AUGMENTATION],
        not_involved_share=mode_share[TaskMode.NOT_INVOLVED],
        protective_total=assessment.protective.total,
        threshold_above=t_above,
        distance_above=d_above,
        threshold_below=t_below,
        distance_below=d_below,
    )


# ---------------------------------------------------------------- breakdown


@dataclass(frozen=True)
class TaskLine:
    """One task's part of the weighted task score."""

    name: str
    time_share: float  # percent, as written
    score: int  # 1..5
    weight: float  # time_share / the role's share total (the tasks' weights sum to 1)
    contribution: float  # weight x score (the tasks' contributions sum to the weighted task score)
    mode: TaskMode
    rationale: str | None


@dataclass(frozen=True)
class RatingLine:
    """One rated dimension, barrier or principle."""

    key: str
    label: str
    rating: int


@dataclass(frozen=True)
class Factor:
    """A group of ratings, its total and (if it is scored) the modifier it makes:
    modifier = 1 + weight x total."""

    name: str  # "evidence", "barriers", "growth", "protective"
    symbol: str  # E, B, G ("" for the protective principles)
    rows: tuple[RatingLine, ...]  # empty for growth (one rating, the total)
    total: int
    low: int  # the lowest and highest total the scale allows
    high: int
    weight: float | None  # None: shown, not scored (protective principles)
    modifier: float | None


@dataclass(frozen=True)
class ScoreStep:
    """One step of the composite in score points: task resistance alone, then each modifier's
    effect. Normalising is linear, so the steps before the total sum to the unclamped score."""

    key: str  # "task_resistance", "evidence", "barriers", "growth", "score"
    measure: str  # "absolute" (task resistance), "relative" (a modifier's effect) or "total"
    points: float  # score points: TR alone, the modifier's change, or the unclamped score
    raw: float  # the running raw value after this step


@dataclass(frozen=True)
class Breakdown:
    """How one assessment's score is built, every step in the order the method takes it.

    Built once by :func:`breakdown`; the CLI text, the document, the HTML report and the app
    only format it.
    """

    title: str
    seniority: str
    tasks: tuple[TaskLine, ...]
    share_total: float  # percent (100 +/- the tolerance)
    weighted_task_score: float
    task_resistance_ceiling: float
    task_resistance: float  # ceiling - weighted task score
    evidence: Factor
    barriers: Factor
    growth: Factor
    protective: Factor
    raw: float  # TR x evidence x barrier x growth modifier
    normalisation_offset: float
    normalisation_span: float
    score_unclamped: float  # (raw - offset) / span x 100
    score: float  # published: clamped (if the method clamps) and rounded
    decimals: int
    clamped: bool
    zone: Zone  # from the formula
    sublabel: str | None
    final_zone: Zone  # after an assessor override
    final_sublabel: str | None
    override: Override | None
    published: PublishedResult | None
    green_threshold: float
    yellow_threshold: float
    threshold_above: float | None  # the next zone line above the score, if any
    distance_above: float | None  # score - threshold_above (negative: points short of it)
    threshold_below: float | None  # the zone line at or below the score, if any
    distance_below: float | None  # score - threshold_below (>= 0)
    share_time_score_3_plus: float  # percent of task time at or above transforming_score
    transforming_score: int
    transforming_share: float
    accelerated_growth: int
    displacement_share: float
    augmentation_share: float
    not_involved_share: float

    @property
    def factors(self) -> tuple[Factor, Factor, Factor]:
        """The three scored modifiers, in the order the formula multiplies them."""
        return self.evidence, self.barriers, self.growth

    @property
    def steps(self) -> tuple[ScoreStep, ...]:
        """The composite in score points: TR alone, x evidence, x barriers, x growth, the score."""
        k = 100.0 / self.normalisation_span
        tr = self.task_resistance
        after_e = tr * self.evidence.modifier
        after_b = after_e * self.barriers.modifier
        raw = after_b * self.growth.modifier
        return (
            ScoreStep("task_resistance", "absolute", (tr - self.normalisation_offset) * k, tr),
            ScoreStep("evidence", "relative", (after_e - tr) * k, after_e),
            ScoreStep("barriers", "relative", (after_b - after_e) * k, after_b),
            ScoreStep("growth", "relative", (raw - after_b) * k, raw),
            ScoreStep("score", "total", self.score_unclamped, raw),
        )

    @property
    def published_matches(self) -> bool | None:
        """Whether the published result equals the formula's (score at the method's decimals,
        zone and sub-label); None without a published result."""
        p = self.published
        if p is None:
            return None
        same_score = publish_round(p.score, self.decimals) == self.score
        return same_score and p.zone is self.zone and (p.sublabel or None) == self.sublabel


def _ratings(group, keys: tuple[str, ...], labels: dict[str, str]) -> tuple[RatingLine, ...]:
    return tuple(RatingLine(k, labels[k], getattr(group, k)) for k in keys)


def breakdown(assessment: RoleAssessment, methodology: Methodology = DEFAULT) -> Breakdown:
    """Every step of one assessment's score: tasks, factors, raw value, normalising, zone."""
    a = assessment
    m = methodology
    s = score(a, m)
    total = a.share_total
    tasks = tuple(
        TaskLine(t.name, t.time_share, t.score, t.time_share / total, w, t.mode, t.rationale)
        for t, w in zip(a.tasks, s.task_weighted, strict=True)
    )
    ev, ba, gr, pr = (SCALES[k] for k in ("evidence", "barrier", "growth", "protective"))
    n_ev, n_ba, n_pr = len(EVIDENCE_DIMENSIONS), len(BARRIERS), len(PROTECTIVE_PRINCIPLES)
    return Breakdown(
        title=a.title,
        seniority=a.seniority,
        tasks=tasks,
        share_total=total,
        weighted_task_score=s.weighted_task_score,
        task_resistance_ceiling=m.task_resistance_ceiling,
        task_resistance=s.task_resistance,
        evidence=Factor(
            "evidence", "E", _ratings(a.evidence, EVIDENCE_DIMENSIONS, EVIDENCE_LABELS), s.evidence_total,
            int(ev.min) * n_ev, int(ev.max) * n_ev, m.evidence_weight, s.evidence_modifier,
        ),
        barriers=Factor(
            "barriers", "B", _ratings(a.barriers, BARRIERS, BARRIER_LABELS), s.barrier_total,
            int(ba.min) * n_ba, int(ba.max) * n_ba, m.barrier_weight, s.barrier_modifier,
        ),
        growth=Factor(
            "growth", "G", (), s.growth_correlation, int(gr.min), int(gr.max), m.growth_weight, s.growth_modifier
        ),
        protective=Factor(
            "protective", "", _ratings(a.protective, PROTECTIVE_PRINCIPLES, PROTECTIVE_LABELS), s.protective_total,
            int(pr.min) * n_pr, int(pr.max) * n_pr, None, None,
        ),
        raw=s.raw,
        normalisation_offset=m.normalisation_offset,
        normalisation_span=m.normalisation_span,
        score_unclamped=s.score_unclamped,
        score=s.score,
        decimals=m.decimals,
        clamped=s.clamped,
        zone=s.zone,
        sublabel=s.sublabel,
        final_zone=s.final_zone,
        final_sublabel=s.final_sublabel,
        override=a.override,
        published=a.published,
        green_threshold=m.green_threshold,
        yellow_threshold=m.yellow_threshold,
        threshold_above=s.threshold_above,
        distance_above=s.distance_above,
        threshold_below=s.threshold_below,
        distance_below=s.distance_below,
        share_time_score_3_plus=s.share_time_score_3_plus,
        transforming_score=m.transforming_score,
        transforming_share=m.transforming_share,
        accelerated_growth=m.accelerated_growth,
        displacement_share=s.displacement_share,
        augmentation_share=s.augmentation_share,
        not_involved_share=s.not_involved_share,
    )


@dataclass(frozen=True)
class ScoreBatch:
    """Vectorised results: one array entry per variant (see ``score_many``)."""

    weighted_task_score: np.ndarray
    task_resistance: np.ndarray
    evidence_total: np.ndarray
    evidence_modifier: np.ndarray
    barrier_total: np.ndarray
    barrier_modifier: np.ndarray
    growth_correlation: np.ndarray
    growth_modifier: np.ndarray
    raw: np.ndarray
    score_unclamped: np.ndarray
    score: np.ndarray
    clamped: np.ndarray
    zone_code: np.ndarray  # 0 RED, 1 YELLOW, 2 GREEN (index into ZONES_BY_CODE)
    sublabel_code: np.ndarray  # index into SUBLABELS_BY_CODE
    share_time_score_3_plus: np.ndarray

    def __len__(self) -> int:
        return len(self.score)

    def zones(self) -> list[Zone]:
        return [ZONES_BY_CODE[c] for c in self.zone_code]

    def sublabels(self) -> list[str | None]:
        return [SUBLABELS_BY_CODE[c] for c in self.sublabel_code]


def _totals(values, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 2:  # per-dimension ratings: sum them in order, like Evidence.total
        total = np.zeros(arr.shape[0])
        for j in range(arr.shape[1]):
            total = total + arr[:, j]
        return total
    if arr.ndim > 2:
        raise ValueError(f"{name}: expected totals (n,) or per-dimension ratings (n, k)")
    return arr


def task_resistance_range(methodology: Methodology = DEFAULT) -> tuple[float, float]:
    """(lowest, highest) task resistance a role can have: the method's ceiling less the highest
    and the lowest task score (the weighted task score stays within the task-score scale)."""
    scale = SCALES["score"]
    ceiling = methodology.task_resistance_ceiling
    return ceiling - scale.max, ceiling - scale.min


def score_extremes(methodology: Methodology = DEFAULT, barrier_total: float | None = None) -> ScoreBatch:
    """The unclamped scores at the ends of every rating scale: row 0 the lowest ratings everywhere
    (every task at the highest task score, evidence, barriers and growth at their lowest), row 1 the
    best. ``barrier_total``: hold the barrier total B at this value in both rows instead."""
    task, growth = SCALES["score"], SCALES["growth"]
    e_lo, e_hi = total_range("evidence")
    b_lo, b_hi = total_range("barrier") if barrier_total is None else (barrier_total, barrier_total)
    return score_many(
        [[float(task.max)], [float(task.min)]], [100.0], [e_lo, e_hi], [b_lo, b_hi], [growth.min, growth.max],
        methodology.with_changes(clamp=False),
    )


def score_many(
    task_scores,
    time_shares,
    evidence,
    barriers,
    growth,
    methodology: Methodology = DEFAULT,
) -> ScoreBatch:
    """Score n variants at once.

    task_scores: (n, k) task scores 1..5, or (k,) shared by all variants.
    time_shares: (n, k) or (k,) percent of time per task (the weighted mean divides by their sum).
    evidence: (n,) totals -10..+10 or (n, 5) ratings. barriers: (n,) totals 0..10 or (n, 5).
    growth: (n,) -2..+2. Scalars broadcast. Inputs are not range-checked (speed): validate
    assessments with the models first. Numbers equal ``score`` on the same inputs exactly.
    """
    m = methodology
    sc = np.asarray(task_scores, dtype=float)
    sh = np.asarray(time_shares, dtype=float)
    e = _totals(evidence, "evidence")
    b = _totals(barriers, "barriers")
    g = np.asarray(growth, dtype=float)
    n = max(
        sc.shape[0] if sc.ndim == 2 else 1,
        sh.shape[0] if sh.ndim == 2 else 1,
        e.size if e.ndim else 1,
        b.size if b.ndim else 1,
        g.size if g.ndim else 1,
    )
    k = sc.shape[-1]
    if sh.shape[-1] != k:
        raise ValueError(f"task_scores has {k} tasks but time_shares has {sh.shape[-1]}")
    sc = np.broadcast_to(sc, (n, k))
    sh = np.broadcast_to(sh, (n, k))
    e = np.broadcast_to(e, (n,))
    b = np.broadcast_to(b, (n,))
    g = np.broadcast_to(g, (n,))
    share_cols = [sh[:, j] for j in range(k)]
    score_cols = [sc[:, j] for j in range(k)]
    weighted = _weighted(share_cols, score_cols)
    tr, em, bm, gm, raw, unclamped = _composite(weighted, e, b, g, m)
    published, clamped = publish(unclamped, m, floats_only=True)  # values near a line: decided again below
    zc = zone_code(published, m)
    share3 = _share_at_or_above(share_cols, score_cols, m.transforming_score)
    sub = sublabel_code(zc, g, share3, m)
    _decide_near_lines(sc, sh, e, b, g, m, unclamped, published, clamped, zc, share3, sub)
    return ScoreBatch(
        weighted_task_score=weighted,
        task_resistance=tr,
        evidence_total=e,
        evidence_modifier=em,
        barrier_total=b,
        barrier_modifier=bm,
        growth_correlation=g,
        growth_modifier=gm,
        raw=raw,
        score_unclamped=unclamped,
        score=published,
        clamped=clamped,
        zone_code=zc,
        sublabel_code=sub,
        share_time_score_3_plus=share3,
    )


def _decide_near_lines(sc, sh, e, b, g, m, unclamped, published, clamped, zc, share3, sub) -> None:
    """Decide again, exactly, every variant whose float result lies near a line (in place).

    Far from every line the float decisions are the exact ones (``exact.BAND``); the few
    variants near one are scored once more in exact arithmetic, identical inputs once."""
    rows = np.flatnonzero(exact.near_lines(unclamped, share3, m))
    if not len(rows):
        return
    seen: dict[tuple, exact.Decision] = {}
    for i in rows:
        key = (sc[i].tobytes(), sh[i].tobytes(), float(e[i]), float(b[i]), float(g[i]))
        d = seen.get(key)
        if d is None:
            d = seen[key] = exact.decide(sh[i], sc[i], e[i], b[i], g[i], m)
        published[i] = d.score
        clamped[i] = d.clamped
        zc[i] = d.zone_code
        sub[i] = d.sublabel_code
        share3[i] = exact.share_figure(float(share3[i]), d, m)


def batch_inputs(assessments: list[RoleAssessment]) -> dict:
    """Stack assessments with the same number of tasks into ``score_many`` arguments."""
    k = {len(a.tasks) for a in assessments}
    if len(k) != 1:
        raise ValueError("batch_inputs needs assessments with the same number of tasks")
    return {
        "task_scores": np.array([[t.score for t in a.tasks] for a in assessments], dtype=float),
        "time_shares": np.array([[t.time_share for t in a.tasks] for a in assessments], dtype=float),
        "evidence": np.array([a.evidence.total for a in assessments], dtype=float),
        "barriers": np.array([a.barriers.total for a in assessments], dtype=float),
        "growth": np.array([a.growth_correlation for a in assessments], dtype=float),
    }
