"""The borderline board: every role of a library ranked by how close it is to changing zone.

One row per role, each figure the one the single-role analyses give for that role alone:

- the published score, zone and sub-label (``scoring.breakdown``), and the signed distance
  to the nearest zone line (``goal_seek.nearest_zone_line``: positive above the line);
- the easiest flip: the first zone change in ``break_even``'s order (rating steps first,
  then share points, smallest move first), and how many single rating steps flip the zone;
- P(zone holds): the share of Monte Carlo draws (``uncertainty.monte_carlo`` with the same
  n, p, share jitter and seed) that keep the role's zone;
- the top input by swing: the first row of the one-step ``tornado``;
- flags: borderline (distance within ``settings.borderline`` points of a line, inclusive) and
  published_differs (a published result that differs from the formula's).

The Monte Carlo, which is most of the work, draws every role's inputs from its own
generator exactly as ``monte_carlo`` does (the same stream, chunk by chunk) and scores the
draws of all roles with the same number of tasks in a few ``score_many`` calls, so each
row's probability equals the single-role analysis's to the last bit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from ..errors import AIJRIError
from ..exact import difference
from ..knobs import SHARE_EPSILON, pinned_shares
from ..library import Unreadable
from ..methodology import DEFAULT, ZONES_BY_CODE, Methodology, Zone, publish, zone_code
from ..model import SCALES, RoleAssessment, total_range
from ..scoring import _composite, breakdown, score_many
from ..textfmt import fixed, trimmed
from ..urlstate import SETTINGS
from ._variants import SHARE_RESOLUTION, Layout, layout
from .goal_seek import nearest_zone_line
from .uncertainty import CHUNK, _check, _Drawer

if TYPE_CHECKING:
    import pandas as pd

#: Draws per role by default: the Uncertainty page's smallest choice, 10,000 (enough to tell a
#: solid zone from a coin toss; the page's own default is 100,000).
DEFAULT_DRAWS = int(SETTINGS["mc.n"].choices[0])
#: Default borderline distance, in score points.
DEFAULT_BORDERLINE = 2.0


@dataclass(frozen=True)
class BoardSettings:
    """How the board is made. n, p, share_jitter, seed: the Monte Carlo's (the Uncertainty
    page's settings; see ``monte_carlo``). borderline: score points (0..100) within which a
    role counts as borderline. share_step: the tornado's share step, percentage points."""

    n: int = DEFAULT_DRAWS
    p: float = SETTINGS["mc.p"].default
    share_jitter: float = SETTINGS["mc.jitter"].default
    seed: int = int(SETTINGS["mc.seed"].default)
    borderline: float = DEFAULT_BORDERLINE
    share_step: float = 5.0

    def __post_init__(self) -> None:
        _check(self.n, self.p, self.share_jitter)
        b = self.borderline
        if isinstance(b, bool) or not isinstance(b, int | float) or not 0 <= b <= 100:
            raise AIJRIError(f"borderline distance {b!r} is out of range; allowed: 0 to 100 score points")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int | np.integer) or self.seed < 0:
            raise AIJRIError(f"seed {self.seed!r} is out of range; allowed: a whole number from 0")

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Flip:
    """The smallest move of one input that changes the zone (a ``break_even`` row)."""

    knob_id: str
    label: str
    base_value: float
    value: float
    score: float  # published score at that value
    zone: Zone

    @property
    def move(self) -> float:
        return round(self.value - self.base_value, 9)

    def text(self, decimals: int = 1) -> str:
        """e.g. 'GPU cluster ...: score 2 -> 3 (YELLOW 45.1)', as the CLI and the page show it."""
        return f"{self.label} {trimmed(self.base_value, 3)} -> {trimmed(self.value, 3)} ({self.zone.label} {fixed(self.score, decimals)})"


@dataclass(frozen=True)
class BoardRow:
    source: str  # where the role came from: bundled:<slug>, stored:<name> or a file path
    title: str
    seniority: str
    score: float  # published (rounded) score of the formula
    zone: Zone
    sublabel: str | None
    line: float  # the nearest zone line
    distance: float  # score - line, score points (>= 0: at or above the line)
    easiest_flip: Flip | None  # None: no single input can change the zone
    one_step_flips: int  # single rating steps (one input, up or down) that change the zone
    p_zone_holds: float  # share of the Monte Carlo draws in the role's zone, 0..1
    top_input: str | None  # knob id with the largest one-step swing (None: nothing moves the score)
    top_input_label: str | None
    top_swing: float  # its swing, score points
    borderline: bool  # |distance| <= settings.borderline
    published_differs: bool  # the file's published result differs from the formula's
    published_score: float | None  # as published in the file, if any

    def to_dict(self) -> dict:
        """The row as the CLI's ``--json`` prints it."""
        flip = self.easiest_flip
        return {
            "title": self.title,
            "seniority": self.seniority,
            "score": self.score,
            "zone": self.zone.value,
            "sublabel": self.sublabel,
            "distance": self.distance,
            "easiest_flip": None if flip is None else {**asdict(flip), "zone": flip.zone.value},
            "one_step_flips": self.one_step_flips,
            "p_zone_holds": self.p_zone_holds,
            "top_input": self.top_input,
            "borderline": self.borderline,
            "published_differs": self.published_differs,
            "source": self.source,
        }


@dataclass(frozen=True)
class Board:
    rows: tuple[BoardRow, ...]  # closest to a line first (|distance|, then title, then source)
    settings: BoardSettings
    unreadable: tuple[Unreadable, ...] = field(default=())

    def with_borderline(self, points: float) -> Board:
        """The same board with another borderline distance (only the flags change)."""
        s = replace(self.settings, borderline=points)
        return replace(self, settings=s, rows=tuple(replace(r, borderline=abs(r.distance) <= s.borderline) for r in self.rows))

    def to_dict(self) -> dict:
        return {
            "roles": [r.to_dict() for r in self.rows],
            "unreadable": [asdict(u) for u in self.unreadable],
            "settings": self.settings.to_dict(),
        }

    def to_df(self) -> pd.DataFrame:
        """One row per role; the easiest flip spread over flip_* columns (empty without one)."""
        import pandas as pd

        records = []
        for r in self.rows:
            f = r.easiest_flip
            records.append(
                {
                    "title": r.title,
                    "seniority": r.seniority,
                    "score": r.score,
                    "zone": r.zone.value,
                    "sublabel": r.sublabel,
                    "line": r.line,
                    "distance": r.distance,
                    "flip_knob_id": f and f.knob_id,
                    "flip_label": f and f.label,
                    "flip_from": f and f.base_value,
                    "flip_to": f and f.value,
                    "flip_score": f and f.score,
                    "flip_zone": f and f.zone.value,
                    "one_step_flips": r.one_step_flips,
                    "p_zone_holds": r.p_zone_holds,
                    "top_input": r.top_input,
                    "top_input_label": r.top_input_label,
                    "top_swing": r.top_swing,
                    "borderline": r.borderline,
                    "published_differs": r.published_differs,
                    "published_score": r.published_score,
                    "source": r.source,
                }
            )
        columns = list(records[0]) if records else list(BoardRow.__dataclass_fields__)
        return pd.DataFrame.from_records(records, columns=columns)


def csv_text(df: pd.DataFrame) -> str:
    """The frame as CSV, every text cell guarded against spreadsheet formulas (csv_safety)."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    from ..formats.csv_safety import guard

    out = df.copy()
    for col in out.columns:
        if not (is_numeric_dtype(out[col]) or is_bool_dtype(out[col])):
            out[col] = [guard(v) if isinstance(v, str) else v for v in out[col]]
    return out.to_csv(index=False)


def distance_to_line(score: float, m: Methodology = DEFAULT) -> tuple[float, float]:
    """(nearest zone line, signed distance score - line), the distance on the values as written
    (49.1 - 48 is 1.1, not 1.0999999999999943)."""
    line = nearest_zone_line(score, m)
    return line, difference(score, line)


def board(
    roles: Iterable[RoleAssessment | tuple[str, RoleAssessment]],
    methodology: Methodology = DEFAULT,
    settings: BoardSettings | None = None,
    unreadable: Iterable[Unreadable] = (),
) -> Board:
    """The board of a library: one row per role (see the module doc).

    roles: assessments, or (source, assessment) pairs (a plain assessment's source is its
    title). unreadable: entries of the library that could not be read, passed through to the
    result so every format can list them.
    """
    m = methodology
    s = settings or BoardSettings()
    pairs = [(r.title, r) if isinstance(r, RoleAssessment) else (str(r[0]), r[1]) for r in roles]
    bases = [breakdown(a, m) for _, a in pairs]
    lays = [layout(a) for _, a in pairs]
    codes = [ZONES_BY_CODE.index(b.zone) for b in bases]
    holds = zone_holds([a for _, a in pairs], [b.zone for b in bases], s, m, lays=lays)
    probes = _probe(lays, codes, s.share_step, m)
    # Rating steps come first in break_even's order: only a role no rating can flip needs its shares.
    share_flips = _share_flips(lays, codes, [i for i, pr in enumerate(probes) if pr.flip is None], m)
    rows = []
    for i, ((source, a), b, lay, p_hold, pr) in enumerate(zip(pairs, bases, lays, holds, probes, strict=True)):
        flip = pr.flip or share_flips.get(i)
        top = None if pr.top is None else lay.knobs[pr.top]
        line, distance = distance_to_line(b.score, m)
        rows.append(
            BoardRow(
                source=source,
                title=a.title,
                seniority=a.seniority,
                score=b.score,
                zone=b.zone,
                sublabel=b.sublabel,
                line=line,
                distance=distance,
                easiest_flip=flip,
                one_step_flips=pr.one_step_flips,
                p_zone_holds=p_hold,
                top_input=top and top.id,
                top_input_label=top and top.label,
                top_swing=pr.top_swing,
                borderline=abs(distance) <= s.borderline,
                published_differs=b.published_matches is False,
                published_score=None if a.published is None else a.published.score,
            )
        )
    rows.sort(key=lambda r: (abs(r.distance), r.title, r.source))
    return Board(rows=tuple(rows), settings=s, unreadable=tuple(unreadable))


@dataclass
class _Probe:
    """What one batch of variants tells about one role (see ``_probe``)."""

    flip: Flip | None  # the easiest zone change by a rating (None: no rating can change the zone)
    one_step_flips: int
    top: int | None  # knob index with the largest one-step swing
    top_swing: float


def _probe(lays: list[Layout], base_codes: list[int], share_step: float, m: Methodology) -> list[_Probe]:
    """Every role's rating levels (break_even's integer candidates) and its tornado ends, scored
    in one ``score_many`` call per task count, without a Python loop over roles or knobs.

    Roles with the same number of tasks have the same knobs in the same order, so their
    variants are built as arrays (role, knob, level): every level of every rating, and both
    tornado ends of every share (``pinned_shares``, as ``variant_inputs`` moves one share).
    The values equal those ``break_even`` and ``tornado`` score for the role alone, so do the
    scores; the first level that changes the zone outward from the base is break_even's.
    """
    by_k: dict[int, list[int]] = defaultdict(list)
    for i, lay in enumerate(lays):
        by_k[lay.n_tasks].append(i)
    out: list[_Probe | None] = [None] * len(lays)
    for members in by_k.values():
        for i, pr in zip(members, _probe_group([lays[i] for i in members], [base_codes[i] for i in members], share_step, m), strict=True):
            out[i] = pr
    return out  # type: ignore[return-value]


def _probe_group(lays: list[Layout], base_codes: list[int], share_step: float, m: Methodology) -> list[_Probe]:
    first = lays[0]
    r, k = len(lays), first.n_tasks
    kinds = first.kinds
    ints = [q for q, kind in enumerate(kinds) if kind != "share"]  # rating knobs, knob order
    shares_q = [q for q, kind in enumerate(kinds) if kind == "share"]
    lo = np.array([first.knobs[q].min for q in ints], dtype=float)
    hi = np.array([first.knobs[q].max for q in ints], dtype=float)
    width = int(round((hi - lo).max())) + 1
    level = lo[:, None] + np.arange(width)  # (Q, L): every level of each rating (past the top: unused)
    valid = level <= hi[:, None]
    level = np.minimum(level, hi[:, None])
    nq = len(ints)
    sc = np.stack([lay.scores for lay in lays])  # (r, k)
    sh = np.stack([lay.shares for lay in lays])
    ev = np.stack([lay.evidence for lay in lays])
    ba = np.stack([lay.barriers for lay in lays])
    g = np.array([lay.growth for lay in lays])
    base = np.stack([lay.base_values for lay in lays])  # (r, K)
    # Rating variants (r, Q, L): each with one rating at one level.
    v_sc = np.broadcast_to(sc[:, None, None, :], (r, nq, width, k)).copy()
    v_ev = np.broadcast_to(ev[:, None, None, :], (r, nq, width, 5)).copy()
    v_ba = np.broadcast_to(ba[:, None, None, :], (r, nq, width, 5)).copy()
    v_g = np.broadcast_to(g[:, None, None], (r, nq, width)).copy()
    for j, q in enumerate(ints):
        t = first.targets[q]
        target = {"score": v_sc, "evidence": v_ev, "barrier": v_ba}.get(kinds[q])
        if target is None:
            v_g[:, j, :] = level[j]
        else:
            target[:, j, :, t] = level[j]
    # Tornado ends of the shares (r, S, 2): low then high, one share pinned.
    ns = len(shares_q)
    sb = base[:, shares_q] if ns else np.empty((r, 0))
    smin = np.array([first.knobs[q].min for q in shares_q], dtype=float)
    smax = np.array([first.knobs[q].max for q in shares_q], dtype=float)
    ends = np.stack([np.maximum(smin, sb - share_step), np.minimum(smax, sb + share_step)], axis=-1)  # (r, S, 2)
    starget = np.array([first.targets[q] for q in shares_q], dtype=int)
    mask = np.zeros((r, ns, 2, k), dtype=bool)
    pins = np.zeros((r, ns, 2, k))
    mask[:, np.arange(ns), :, starget] = True
    pins[:, np.arange(ns), :, starget] = np.moveaxis(ends, 1, 0) if ns else 0.0
    n_rat, n_sh = r * nq * width, r * ns * 2
    rows_sh = np.repeat(sh, ns * 2, axis=0)
    pinned, _ = pinned_shares(rows_sh, mask.reshape(n_sh, k), pins.reshape(n_sh, k)) if ns else (np.empty((0, k)), None)
    rep = ns * 2
    batch = score_many(
        np.concatenate([v_sc.reshape(n_rat, k), np.repeat(sc, rep, axis=0)]),
        np.concatenate([np.repeat(sh, nq * width, axis=0), pinned]),
        np.concatenate([v_ev.reshape(n_rat, 5), np.repeat(ev, rep, axis=0)]),
        np.concatenate([v_ba.reshape(n_rat, 5), np.repeat(ba, rep, axis=0)]),
        np.concatenate([v_g.reshape(n_rat), np.repeat(g, rep)]),
        m,
    )
    score = batch.score[:n_rat].reshape(r, nq, width)
    zone = batch.zone_code[:n_rat].reshape(r, nq, width)
    s_score = batch.score[n_rat:].reshape(r, ns, 2)
    # First zone change outward from the base level, up and down.
    codes = np.array(base_codes)[:, None, None]
    base_lvl = np.rint(base[:, ints] - lo).astype(int)  # (r, Q)
    steps = np.arange(width)
    changed = (zone != codes) & valid
    up = changed & (steps > base_lvl[..., None])
    down = changed & (steps < base_lvl[..., None])
    up_l = np.argmax(up, axis=-1)
    down_l = width - 1 - np.argmax(down[..., ::-1], axis=-1)
    moves = np.stack([np.where(up.any(-1), up_l - base_lvl, np.inf), np.where(down.any(-1), base_lvl - down_l, np.inf)], axis=-1)
    flat = moves.reshape(r, nq * 2)  # knob order, up before down: argmin keeps the first of the smallest
    best = np.argmin(flat, axis=1) if nq else np.zeros(r, dtype=int)
    one_step = np.count_nonzero(flat == 1.0, axis=1)
    # Tornado swings in knob order: ratings at base -/+ 1 (clipped), shares at their ends.
    swing = np.zeros((r, len(kinds)))
    lo_l = np.maximum(base_lvl - 1, 0)
    hi_l = np.minimum(base_lvl + 1, np.rint(hi - lo).astype(int))
    rr = np.arange(r)[:, None]
    qq = np.arange(nq)[None, :]
    swing[:, ints] = np.abs(score[rr, qq, hi_l] - score[rr, qq, lo_l])
    if ns:
        swing[:, shares_q] = np.abs(s_score[..., 1] - s_score[..., 0])
    swing = np.round(swing, m.decimals + 6)
    out = []
    for i, lay in enumerate(lays):
        flip = None
        if nq and np.isfinite(flat[i, best[i]]):
            j, direction = divmod(int(best[i]), 2)
            q = ints[j]
            kb = lay.knobs[q]
            b = float(lay.base_values[q])
            move = float(flat[i, best[i]])
            sign = -1.0 if direction else 1.0
            lvl = base_lvl[i, j] + int(sign * move)
            value = float(round(min(max(b + sign * move, kb.min), kb.max), 9))
            flip = Flip(kb.id, kb.label, b, value, float(score[i, j, lvl]), ZONES_BY_CODE[int(zone[i, j, lvl])])
        sw = swing[i]
        top = int(np.argmax(sw)) if len(sw) and sw.max() > 0 else None  # the first of the largest, as tornado sorts
        out.append(_Probe(flip=flip, one_step_flips=int(one_step[i]), top=top, top_swing=float(sw[top]) if top is not None else 0.0))
    return out


def zone_holds(
    assessments: list[RoleAssessment],
    zones: list[Zone],
    settings: BoardSettings,
    m: Methodology = DEFAULT,
    lays: list[Layout] | None = None,
    band_scale: float = 1.0,
) -> list[float]:
    """For each role, the share of ``monte_carlo``'s draws (settings' n, p, jitter, seed) in
    ``zones[i]``, equal to the single-role analysis's to the last bit.

    Each role's inputs are drawn from its own seeded generator exactly as ``monte_carlo``
    draws them (the same calls, chunk by chunk, the same whole-number steps and share
    factors). The zone of a draw is then read off a fast float32 score (no share rescaling,
    dot products): a draw whose fast score lies farther than a proven error bound from the
    score where the zone changes has the zone ``score_many`` gives it; every other draw (a
    handful per role, all of them when the draws are few distinct values sitting on a line)
    gets its exact shares, rescaled as ``monte_carlo`` rescales them, and is decided by
    ``score_many`` itself, with its exact re-check near a line. ``band_scale`` widens (or,
    0, removes) the band; the tests use it to send every draw down either path.
    """
    s = settings
    n = int(s.n)
    lays = lays or [layout(a) for a in assessments]
    cuts = _zone_cuts(m)
    out = [0.0] * len(assessments)
    undecided: dict[int, list] = defaultdict(list)  # task count -> (role, ints, shares) of draws to score exactly
    counts = [0] * len(assessments)
    for i, lay in enumerate(lays):
        code = ZONES_BY_CODE.index(zones[i])
        d = _Drawer(lay, s.p, s.share_jitter, np.random.default_rng(s.seed))
        k = lay.n_tasks
        band = band_scale * _fast_error_bound(k, m)
        sh32 = lay.shares.astype(np.float32)
        held = 0
        for c0 in range(0, n, CHUNK):
            c = min(n, c0 + CHUNK) - c0
            ints = np.empty((len(d.cols), c), dtype=np.int8)
            factors = d.draw_factors(ints)  # monte_carlo's draws, the factors not yet applied
            x = ints[:k]
            if factors is None:
                weighted = (sh32 @ x.astype(np.float32)) / sh32.sum()
            else:
                weighted = (sh32 @ (factors * x)) / (sh32 @ factors)
            e = ints[k : k + 5].sum(axis=0, dtype=np.int16)
            b = ints[k + 5 : -1].sum(axis=0, dtype=np.int16)
            g = ints[-1]
            u = _composite(weighted.astype(float), e, b, g, m)[-1]
            fast = (u >= cuts[0]).astype(np.int8) + (u >= cuts[1])
            near = ~((np.abs(u - cuts[0]) > band) & (np.abs(u - cuts[1]) > band))  # NaN: near
            held += int(np.count_nonzero((fast == code) & ~near))
            if near.any():
                cols = np.flatnonzero(near)
                undecided[k].append((i, ints[:, cols], _exact_shares(d, None if factors is None else factors[:, cols], len(cols))))
        counts[i] = held
    for k, parts in undecided.items():
        ints = np.concatenate([p[1] for p in parts], axis=1)
        shares = np.concatenate([p[2] for p in parts], axis=1)
        batch = score_many(
            ints[:k].T, shares.T, ints[k : k + 5].sum(axis=0, dtype=np.int16),
            ints[k + 5 : -1].sum(axis=0, dtype=np.int16), ints[-1], m,
        )
        start = 0
        for i, cols, _ in parts:
            stop = start + cols.shape[1]
            counts[i] += int(np.count_nonzero(batch.zone_code[start:stop] == ZONES_BY_CODE.index(zones[i])))
            start = stop
    for i in range(len(lays)):
        out[i] = float(counts[i] / n)
    return out


def _exact_shares(d: _Drawer, factors: np.ndarray | None, c: int) -> np.ndarray:
    """The shares (k, c) ``_Drawer.draw`` makes of these factors, or the role's own without jitter."""
    if factors is None:
        return np.repeat(d.lay.shares[:, None], c, axis=1)
    shares = np.empty(factors.shape)
    d.apply(factors, shares)
    return shares


def _zone_cuts(m: Methodology) -> tuple[float, float]:
    """The unclamped scores at which the zone of the published score turns YELLOW and GREEN
    (the smallest float that publishes into the zone, to 1e-12; +/-inf when no score does)."""
    out = []
    for code in (1, 2):
        lo, hi = -1e4, 1e4
        if zone_code(publish(hi, m)[0], m) < code:
            out.append(np.inf)
            continue
        if zone_code(publish(lo, m)[0], m) >= code:
            out.append(-np.inf)
            continue
        while hi - lo > 1e-12 * max(1.0, abs(hi)):
            mid = (lo + hi) / 2
            if zone_code(publish(mid, m)[0], m) >= code:
                hi = mid
            else:
                lo = mid
        out.append(hi)
    return out[0], out[1]


def _fast_error_bound(k: int, m: Methodology) -> float:
    """A bound on |fast unclamped score - score_many's|, score points, with a margin of 4.

    The fast weighted task score is two float32 dot products over k positive terms (shares
    rounded to float32 too): relative error at most (2k + 4) float32 units. The score moves
    by at most (largest product of the modifiers) x 100 / span per point of weighted score,
    whose largest value is the task-score scale's top. The float64 path's own error (below
    1e-10) and the exact re-check's band (1e-9 relative) are covered by the 1e-6 added.
    """
    unit = float(np.finfo(np.float32).eps)
    ev_hi, ba_hi = (max(abs(v) for v in total_range(x)) for x in ("evidence", "barrier"))
    g_hi = max(abs(SCALES["growth"].min), abs(SCALES["growth"].max))
    mods = (1 + m.evidence_weight * ev_hi) * (1 + m.barrier_weight * ba_hi) * (1 + m.growth_weight * g_hi)
    slope = mods * 100.0 / m.normalisation_span
    w_top = float(SCALES["score"].max)
    return 4.0 * (2 * k + 4) * unit * w_top * slope + 1e-6


class _Searches:
    """Many bisections at once, one per (role, share, direction) of roles with the same number
    of tasks: the first candidate move at which the zone changes. The zone is monotone along a
    single knob's moves (break_even's premise), so the first change the linear scan of
    ``break_even`` finds is the one bisection finds.

    Candidate i of a search is ``_share_moves(span, step)[i]`` (offset by ``prev`` and rounded
    to 9 decimals as break_even's fine stage does), computed for the asked index alone.
    """

    def __init__(self, roles, targets, base, sign, span, step: float, prev, lows, highs):
        self.roles, self.targets, self.base, self.sign, self.span = roles, targets, base, sign, span
        self.step, self.prev, self.lows, self.highs = step, prev, lows, highs
        with np.errstate(invalid="ignore"):
            count = np.ceil(np.round(span / step, 9))
        self.count = np.where(span <= SHARE_EPSILON, 0, count).astype(np.int64)
        n = len(roles)
        self.lo = np.full(n, -1)  # the last candidate known to keep the zone (-1: the role itself)
        self.hi = self.count - 1  # the first known to change it (asked first: the last candidate)
        self.asked_hi = np.zeros(n, dtype=bool)
        self.none = self.count == 0  # no candidate changes the zone
        self.score = np.full(n, np.nan)  # at hi, once known
        self.zone = np.zeros(n, dtype=int)

    def move(self, i: np.ndarray, rows: np.ndarray) -> np.ndarray:
        mv = np.round((i + 1).astype(float) * self.step, 9)
        mv = np.where(i == self.count[rows] - 1, np.minimum(mv, self.span[rows]), mv)
        return mv if self.prev is None else np.round(self.prev[rows] + mv, 9)

    def value(self, i: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """The value scored and reported (break_even's: the base plus the move, to 9 decimals)."""
        return np.clip(np.round(self.base[rows] + self.sign[rows] * self.move(i, rows), 9), self.lows[rows], self.highs[rows])

    def run(self, sc, sh, ev, ba, g, base_codes, m: Methodology) -> None:
        """Bisect every search to its end (one ``score_many`` call per round)."""
        k = sc.shape[1]
        while True:
            first = ~self.asked_hi & ~self.none
            mid = np.where(first, self.hi, (self.lo + self.hi) // 2)
            rows = np.flatnonzero(~self.none & (first | (self.hi - self.lo > 1)))
            if not len(rows):
                return
            i = mid[rows]
            roles = self.roles[rows]
            mask = np.zeros((len(rows), k), dtype=bool)
            pins = np.zeros((len(rows), k))
            mask[np.arange(len(rows)), self.targets[rows]] = True
            pins[np.arange(len(rows)), self.targets[rows]] = self.value(i, rows)
            shares, _ = pinned_shares(sh[roles], mask, pins)
            batch = score_many(sc[roles], shares, ev[roles], ba[roles], g[roles], m)
            changed = batch.zone_code != base_codes[roles]
            was_first = first[rows]
            self.none[rows[was_first & ~changed]] = True
            self.asked_hi[rows[was_first]] = True
            hit = rows[changed]
            self.hi[hit] = i[changed]
            self.score[hit] = batch.score[changed]
            self.zone[hit] = batch.zone_code[changed]
            keep = rows[~changed & ~was_first]
            self.lo[keep] = i[~changed & ~was_first]


def _share_flips(lays: list[Layout], base_codes: list[int], roles: list[int], m: Methodology) -> dict[int, Flip]:
    """The easiest zone change by a time share of each of ``roles`` (break_even's share rows:
    the first 1-point move that changes the zone, then the first 0.1-point move up to it),
    bisected for all roles with the same number of tasks at once."""
    by_k: dict[int, list[int]] = defaultdict(list)
    for i in roles:
        if lays[i].n_tasks > 1:
            by_k[lays[i].n_tasks].append(i)
    out: dict[int, Flip] = {}
    for members in by_k.values():
        group = [lays[i] for i in members]
        first = group[0]
        shares_q = [q for q, kind in enumerate(first.kinds) if kind == "share"]
        targets = np.array([first.targets[q] for q in shares_q])
        ns = len(shares_q)
        sc = np.stack([lay.scores for lay in group])
        sh = np.stack([lay.shares for lay in group])
        ev = np.stack([lay.evidence for lay in group])
        ba = np.stack([lay.barriers for lay in group])
        g = np.array([lay.growth for lay in group])
        codes = np.array([base_codes[i] for i in members])
        b = np.stack([lay.base_values[shares_q] for lay in group])  # (r, S)
        # searches in (role, share, direction) order, up before down: break_even's ties
        r_idx = np.repeat(np.arange(len(group)), ns * 2)
        t_idx = np.tile(np.repeat(targets, 2), len(group))
        q_idx = np.tile(np.repeat(np.arange(ns), 2), len(group))
        base = np.repeat(b.reshape(-1), 2)
        sign = np.tile([1.0, -1.0], len(group) * ns)
        lows = np.repeat([float(first.knobs[q].min) for q in shares_q], 2)
        highs = np.repeat([float(first.knobs[q].max) for q in shares_q], 2)
        lows, highs = np.tile(lows, len(group)), np.tile(highs, len(group))
        span = np.where(sign > 0, highs - base, base - lows)
        coarse = _Searches(r_idx, t_idx, base, sign, span, 10 * SHARE_RESOLUTION, None, lows, highs)
        coarse.run(sc, sh, ev, ba, g, codes, m)
        found = np.flatnonzero(~coarse.none)
        hi_move = coarse.move(coarse.hi[found], found)
        prev = np.where(coarse.hi[found] > 0, np.round(coarse.hi[found].astype(float) * coarse.step, 9), 0.0)
        # A slot whose last coarse move that kept the zone is at or above another slot's first
        # that changed it cannot hold the role's smallest move: no fine search for it.
        upper = np.full(len(group), np.inf)
        np.minimum.at(upper, r_idx[found], hi_move)
        fine_rows = found[prev < upper[r_idx[found]]]
        keep = prev < upper[r_idx[found]]
        fine = _Searches(r_idx[fine_rows], t_idx[fine_rows], base[fine_rows], sign[fine_rows],
                         hi_move[keep] - prev[keep], SHARE_RESOLUTION, prev[keep], lows[fine_rows], highs[fine_rows])
        fine.run(sc, sh, ev, ba, g, codes, m)
        ok = np.flatnonzero(~fine.none)
        if not len(ok):
            continue
        moves = np.full(len(fine_rows), np.inf)
        moves[ok] = fine.move(fine.hi[ok], ok)
        for r in range(len(group)):
            mine = np.flatnonzero(fine.roles == r)
            if not len(mine) or not np.isfinite(moves[mine]).any():
                continue
            j = mine[int(np.argmin(moves[mine]))]  # the first of the smallest: knob order, up before down
            lay = group[r]
            kb = lay.knobs[shares_q[int(q_idx[fine_rows[j]])]]
            value = float(fine.value(fine.hi[j : j + 1], np.array([j]))[0])
            out[members[r]] = Flip(kb.id, kb.label, float(fine.base[j]), value, float(fine.score[j]),
                                   ZONES_BY_CODE[int(fine.zone[j])])
    return out
