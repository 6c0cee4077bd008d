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
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..errors import AIJRIError
from ..library import Unreadable
from ..methodology import DEFAULT, ZONES_BY_CODE, Methodology, Zone
from ..model import RoleAssessment
from ..scoring import breakdown, score_many
from ..urlstate import SETTINGS
from ._variants import layout
from .break_even import break_even
from .goal_seek import nearest_zone_line
from .tornado import tornado
from .uncertainty import CHUNK, _check, _Drawer

if TYPE_CHECKING:
    import pandas as pd

#: Draws per role by default: the Uncertainty page's smallest choice (SETTINGS['mc.n'].choices[0]) (enough to tell a solid
#: zone from a coin toss; the page's own default is 100,000).
DEFAULT_DRAWS = 10_000
#: Default borderline distance, in score points.
DEFAULT_BORDERLINE = 2.0
#: Most Monte Carlo draws scored in one ``score_many`` call (memory: k x 8 bytes per draw).
_ROWS_PER_CALL = 1 << 16


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
    from ..formats.csv_safety import guard

    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = [guard(v) if isinstance(v, str) else v for v in out[col]]
    return out.to_csv(index=False)


def distance_to_line(score: float, m: Methodology = DEFAULT) -> tuple[float, float]:
    """(nearest zone line, signed distance score - line), the distance rounded away from float
    noise (49.1 - 48 is 1.1, not 1.0999999999999943)."""
    line = nearest_zone_line(score, m)
    return line, float(round(score - line, m.decimals + 6))


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
    holds = zone_holds([a for _, a in pairs], [b.zone for b in bases], s, m)
    rows = []
    for (source, a), b, p_hold in zip(pairs, bases, holds, strict=True):
        be = break_even(a, methodology=m)
        e = be.easiest
        flip = None if e is None else Flip(e.knob_id, e.label, e.base_value, e.value, e.score, e.zone)
        steps = sum(1 for r in be.rows if r.status == "changes_zone" and r.unit == "step" and abs(r.move) == 1)
        top = tornado(a, mode="step", share_step=s.share_step, methodology=m).rows
        top = top[0] if top and top[0].swing > 0 else None
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
                one_step_flips=steps,
                p_zone_holds=p_hold,
                top_input=top and top.knob_id,
                top_input_label=top and top.label,
                top_swing=top.swing if top else 0.0,
                borderline=abs(distance) <= s.borderline,
                published_differs=b.published_matches is False,
                published_score=None if a.published is None else a.published.score,
            )
        )
    rows.sort(key=lambda r: (abs(r.distance), r.title, r.source))
    return Board(rows=tuple(rows), settings=s, unreadable=tuple(unreadable))


def zone_holds(
    assessments: list[RoleAssessment], zones: list[Zone], settings: BoardSettings, m: Methodology = DEFAULT
) -> list[float]:
    """For each role, the share of ``monte_carlo``'s draws (settings' n, p, jitter, seed) in
    ``zones[i]``: the same draws as the single-role analysis, scored in batches of roles with
    the same number of tasks."""
    s = settings
    n = int(s.n)
    by_k: dict[int, list[int]] = defaultdict(list)
    lays = [layout(a) for a in assessments]
    for i, lay in enumerate(lays):
        by_k[lay.n_tasks].append(i)
    out = [0.0] * len(assessments)
    roles_per_call = max(1, _ROWS_PER_CALL // n)
    for k, members in by_k.items():
        for start in range(0, len(members), roles_per_call):
            group = members[start : start + roles_per_call]
            drawers = [_Drawer(lays[i], s.p, s.share_jitter, np.random.default_rng(s.seed)) for i in group]
            jitter = drawers[0].jitter  # the same for every role with k tasks
            ints = np.empty((len(drawers[0].cols), n * len(group)), dtype=np.int8)
            sh = np.empty((k, n * len(group))) if jitter else None
            for g, d in enumerate(drawers):
                # chunk by chunk as monte_carlo draws (the chunking is part of the random stream)
                for c0 in range(0, n, CHUNK):
                    c1 = min(n, c0 + CHUNK)
                    d.draw(ints[:, g * n + c0 : g * n + c1], None if sh is None else sh[:, g * n + c0 : g * n + c1])
            shares = np.concatenate([np.broadcast_to(lays[i].shares, (n, k)) for i in group]) if sh is None else sh.T
            batch = score_many(
                ints[:k].T,
                shares,
                ints[k : k + 5].sum(axis=0, dtype=np.int16),
                ints[k + 5 : -1].sum(axis=0, dtype=np.int16),
                ints[-1],
                m,
            )
            codes = batch.zone_code.reshape(len(group), n)
            for g, i in enumerate(group):
                out[i] = float(np.count_nonzero(codes[g] == ZONES_BY_CODE.index(zones[i])) / n)
    return out
