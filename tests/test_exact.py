"""Exact at the line: published rounding, zones, the Transforming share, goal seek,
break-even, Monte Carlo draws and the share rule decided on the inputs as written.

Each decision is compared with an independent reference written here in
``fractions.Fraction`` (the number as written: a float's shortest repr), over roles built to
sit on a line: scores at x.x5 exactly or a hair (1e-12, 1e-9, 3e-8) either side, 3+ shares
at exactly the Transforming share or a hair off it, goal-seek targets at every line.
The first tests are the cases of issue 18, items 1 to 4, as found.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from math import ceil, floor

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from aijri_core import (
    DEFAULT,
    RoleAssessment,
    apply_changes,
    batch_inputs,
    break_even,
    bundled_role,
    knobs,
    monte_carlo,
    publish_round,
    score,
    score_many,
    sweep,
)
from aijri_core.analyses.goal_seek import goal_seek
from aijri_core.analyses.uncertainty import sample_inputs
from aijri_core.cli import main
from aijri_core.cli.score import format_breakdown
from aijri_core.knobs import get_value, move_share, pinned_shares
from aijri_core.methodology import Methodology
from aijri_core.model import BARRIERS, EVIDENCE_DIMENSIONS, PROTECTIVE_PRINCIPLES
from aijri_core.scoring import breakdown
from aijri_core.urlstate import decode_state

# ---------------------------------------------------------------- the reference


def q(x) -> Fraction:
    """A number as written: ints exactly, floats by their shortest repr (18.1 -> 181/10)."""
    return Fraction(x) if isinstance(x, int) else Fraction(repr(float(x)))


@dataclass(frozen=True)
class Ref:
    unclamped: Fraction
    published: Fraction
    clamped: bool
    zone: str
    sublabel: str | None
    share3: Fraction


def reference(shares, scores, e, b, g, m: Methodology = DEFAULT) -> Ref:
    """The method on exact values, step by step as METHODOLOGY.md writes it."""
    s = [q(v) for v in shares]
    c = [int(v) for v in scores]
    total = sum(s)
    weighted = sum(x * y for x, y in zip(s, c, strict=True)) / total
    tr = q(m.task_resistance_ceiling) - weighted
    raw = tr * (1 + q(m.evidence_weight) * e) * (1 + q(m.barrier_weight) * b) * (1 + q(m.growth_weight) * g)
    unclamped = (raw - q(m.normalisation_offset)) / q(m.normalisation_span) * 100
    capped = min(max(unclamped, Fraction(0)), Fraction(100)) if m.clamp else unclamped
    unit = 10**m.decimals
    whole = floor(abs(capped) * unit + Fraction(1, 2))
    published = Fraction(whole if capped >= 0 else -whole, unit)
    zone = "Green" if published >= q(m.green_threshold) else "Yellow" if published >= q(m.yellow_threshold) else "Red"
    share3 = sum(x for x, y in zip(s, c, strict=True) if y >= m.transforming_score) * 100 / total
    sub = None
    if zone == "Green":
        sub = "Accelerated" if g >= m.accelerated_growth else "Transforming" if share3 >= q(m.transforming_share) else "Stable"
    return Ref(unclamped, published, capped != unclamped, zone, sub, share3)


def ref_of(a: RoleAssessment, m: Methodology = DEFAULT) -> Ref:
    return reference(
        [t.time_share for t in a.tasks], [t.score for t in a.tasks],
        a.evidence.total, a.barriers.total, a.growth_correlation, m,
    )  # fmt: skip


def spread(total: int, low: int, high: int) -> list[int]:
    """Five ratings in low..high adding up to ``total``."""
    out = []
    for _ in range(5):
        v = max(low, min(high, total))
        out.append(v)
        total -= v
    assert total == 0
    return out


def role(shares, scores, e: int = 0, b: int = 0, g: int = 0) -> RoleAssessment:
    return RoleAssessment.model_validate(
        {
            "title": "Role on the line",
            "tasks": [
                {"name": f"T{i + 1}", "time_share": s, "score": c} for i, (s, c) in enumerate(zip(shares, scores, strict=True))
            ],
            "evidence": dict(zip(EVIDENCE_DIMENSIONS, spread(e, -2, 2), strict=True)),
            "barriers": dict(zip(BARRIERS, spread(b, 0, 2), strict=True)),
            "growth_correlation": g,
            "protective": dict.fromkeys(PROTECTIVE_PRINCIPLES, 0),
        }
    )


def assert_matches_reference(a: RoleAssessment, m: Methodology = DEFAULT) -> Ref:
    """score, breakdown and score_many give the reference's published score, clamp, zone and sub-label."""
    r = ref_of(a, m)
    s = score(a, m)
    assert (s.score, s.clamped, s.zone.value, s.sublabel) == (float(r.published), r.clamped, r.zone, r.sublabel)
    batch = score_many(**batch_inputs([a, a]), methodology=m)
    assert batch.score.tolist() == [s.score, s.score]
    assert [z.value for z in batch.zones()] == [r.zone] * 2
    assert batch.sublabels() == [r.sublabel] * 2
    assert batch.clamped.tolist() == [r.clamped] * 2
    assert batch.share_time_score_3_plus[0] == s.share_time_score_3_plus
    return r


#: Generated cases per property, and how many sat within 1e-6 of a line.
NEAR = Counter()
NEAR_DISTANCE = Fraction(1, 10**6)


def count(kind: str, distance: Fraction) -> None:
    NEAR[kind, "cases"] += 1
    if abs(distance) <= NEAR_DISTANCE:
        NEAR[kind, "near"] += 1
        event("within 1e-6 of a line")


def rounding_distance(u: Fraction, decimals: int) -> Fraction:
    """Distance from ``u`` to the nearest rounding boundary (x.x5 at one decimal)."""
    unit = Fraction(1, 10**decimals)
    return (u - unit / 2) - round((u - unit / 2) / unit) * unit


def run_counted(kind: str, prop, least: float = 0.25) -> None:
    """Run a property and check that its generated cases really sat on the line (at least
    the fraction ``least`` of them within 1e-6); ``pytest -s`` prints the count."""
    NEAR[kind, "cases"] = NEAR[kind, "near"] = 0
    prop()
    cases, near = NEAR[kind, "cases"], NEAR[kind, "near"]
    print(f"{kind}: {near} of {cases} generated cases within 1e-6 of a line")
    assert cases and near >= least * cases


# ---------------------------------------------------------------- issue 18, items 1-4


# Two-task roles whose exact score is just below a half unit (found by solving for the share).
JUST_BELOW = [
    # shares, scores, E, B, G, exact score (first digits), published, zone
    ([83.782865, 16.217135], [1, 2], -3, 1, 0, "47.94999995", 47.9, "Yellow"),
    ([86.197159, 13.802841], [3, 4], -3, 0, 0, "24.94999998", 24.9, "Red"),
]


@pytest.mark.parametrize(("shares", "scores", "e", "b", "g", "exact", "published", "zone"), JUST_BELOW)
def test_item1_a_score_just_below_a_half_unit_rounds_down(shares, scores, e, b, g, exact, published, zone, capsys):
    a = role(shares, scores, e, b, g)
    r = assert_matches_reference(a)
    assert str(float(r.unclamped)).startswith(exact)
    assert (score(a).score, score(a).zone.value) == (published, zone)
    assert f"Result: {published} {zone.upper()}" in format_breakdown(breakdown(a))


def test_item1_publish_round_has_no_tolerance():
    assert publish_round(47.94999997) == 47.9
    assert publish_round(24.949999999) == 24.9
    assert publish_round(np.array([47.94999997, 44.55, 47.95])).tolist() == [47.9, 44.6, 48.0]
    assert publish_round(44.55) == 44.6  # the decimal as written: 4455/100
    assert publish_round(2.675, 2) == 2.68


def test_item2_transforming_at_exactly_20_percent(capsys, tmp_path):
    # 20 + 18.1 + 37.7 + 24.2 is 100.00000000000001 in floats: the 3+ share came out 19.999...%
    a = role([20, 18.1, 37.7, 24.2], [3, 1, 2, 2], e=4)
    r = assert_matches_reference(a)
    assert r.share3 == 20
    s = score(a)
    assert (s.score, s.zone.value, s.sublabel, s.share_time_score_3_plus) == (51.4, "Green", "Transforming", 20.0)
    path = tmp_path / "role.json"
    path.write_text(a.model_dump_json())
    assert main(["score", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Result: 51.4 GREEN (Transforming)" in out
    assert "Task time at score 3+: 20%  (Transforming needs 20%" in out


def test_item2_a_share_just_under_the_line_is_printed_under_it(capsys):
    # 19.96% would print as '20%' at one decimal, beside a Stable label
    a = role([19.96, 18.14, 37.7, 24.2], [3, 1, 2, 2], e=4)
    assert score(a).sublabel == "Stable"
    assert "Task time at score 3+: 19.96%  (Transforming needs 20%" in format_breakdown(breakdown(a))


# A valid 10-task role, one-decimal shares adding up to 99: moving T8 to 39.23 gives an exact
# score of 47.94999997..., which the float path published as 48.0.
GOAL_ROLE = ([19.5, 8.9, 8.9, 11.0, 15.3, 9.2, 14.2, 2.1, 6.7, 3.2], [4, 2, 2, 2, 2, 4, 5, 2, 3, 2], 6, 0, 1)


def test_item3_goal_seek_answer_really_reaches_the_target(capsys, tmp_path):
    a = role(*GOAL_ROLE)
    assert ref_of(apply_changes(a, {"task:T8:share": 39.23})).published == Fraction("47.9")
    row = goal_seek(a, target=48, knob_id="task:T8:share").rows[0]
    assert (row.value, row.score, row.zone.value) == (39.24, 48.0, "Green")
    for value, published in ((39.24, "48.0"), (39.23, "47.9")):
        assert ref_of(apply_changes(a, {"task:T8:share": value})).published == Fraction(published)
        assert score(apply_changes(a, {"task:T8:share": value})).score == float(published)
    path = tmp_path / "role.json"
    path.write_text(a.model_dump_json())
    assert main(["goalseek", str(path), "--target", "48", "--knob", "task:T8:share", "--json"]) == 0
    (out,) = json.loads(capsys.readouterr().out)["rows"]
    assert (out["value"], out["score"], out["zone"]) == (39.24, 48.0, "Green")


def test_item4_a_scenario_setting_every_share_is_scaled_exactly(capsys, tmp_path):
    a = role([25, 25, 25, 25], [3, 2, 2, 2])
    for v in (0.7, 0.69):
        changed = apply_changes(a, {"task:T1:share": v, "task:T2:share": 0, "task:T3:share": 0, "task:T4:share": 0})
        assert [t.time_share for t in changed.tasks] == [100.0, 0.0, 0.0, 0.0]
        assert score(changed).score == 31.0
    # every two-decimal value, the rule itself
    values = np.round(np.arange(1, 10_000) / 100, 2)
    n = len(values)
    pins = np.zeros((n, 4))
    pins[:, 0] = values
    out, invalid = pinned_shares(np.array([25.0] * 4), np.ones((n, 4), dtype=bool), pins)
    assert not invalid.any()
    kept = values >= 99  # 99 .. 99.99 are within 100 +/- 1: kept as given
    assert (out[:, 0] == np.where(kept, values, 100.0)).all() and (out[:, 1:] == 0.0).all()
    assert kept.sum() == 100
    # the CLI (a scenario file) and a link
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps({"name": "all in one", "changes": {
        "task:T1:share": 0.69, "task:T2:share": 0, "task:T3:share": 0, "task:T4:share": 0}}))
    path = tmp_path / "role.json"
    path.write_text(a.model_dump_json())
    assert main(["attribute", str(path), str(scenario), "--json"]) == 0
    capsys.readouterr()
    seed = bundled_role("ai-infrastructure-engineer")
    params = {"role": "bundled:seed", "t1.share": "0.69", **{f"t{i}.share": "0" for i in range(2, len(seed.tasks) + 1)}}
    state = decode_state(params, lambda key: seed, "bundled:seed")
    assert state.changes["task:GPU cluster & training infrastructure management:share"] == 0.69


def test_a_scaled_share_never_passes_100():
    # 3 x 33.333333333333336 is 100.000000000000008 as written: one task scaled to that
    # total would be 100.00000000000001, above the share's range
    a = role([100 / 3] * 3, [2, 2, 3])
    changed = apply_changes(a, {"task:T1:share": 0.69, "task:T2:share": 0, "task:T3:share": 0})
    assert [t.time_share for t in changed.tasks] == [100.0, 0.0, 0.0]


def test_the_room_a_held_share_leaves_is_exact():
    # 99.0 - 94.7 is 4.299999999999997 in floats: the free task's own 4.3 fell outside its range
    a = role([94.7, 0.0, 4.3], [1, 1, 1])
    w = sweep(a, "task:T3:share", "task:T1:share", pinned=["T1"])
    assert w.x_values.tolist() == [0.0, 4.3]
    assert w.score[list(w.y_values).index(94.7), 1] == score(a).score
    assert move_share(a, {"task:T1:share": 94.7}, "task:T3:share", 50).value == 4.3


# ---------------------------------------------------------------- roles built on the lines

DELTAS = ("0", "0", "1e-12", "-1e-12", "1e-9", "-1e-9", "3e-8", "-3e-8", "1e-15", "-1e-15")


def decimal_text(value: Fraction) -> str:
    """A Fraction with a power-of-ten denominator written as its decimal."""
    with localcontext() as ctx:
        ctx.prec = 60
        return str(Decimal(value.numerator) / Decimal(value.denominator))


@st.composite
def on_rounding_line(draw, max_tasks: int = 6):
    """(role, method, line): a role whose exact score sits on a rounding boundary of the
    method, exactly or a hair either side. Tasks 1 and 2 have different scores and share
    what tasks 3.. leave; task 1's share is solved for the line and written with 4 to 12
    decimals (so the role lands within about 1e-4 .. 1e-12 of the line)."""
    k = draw(st.integers(2, max_tasks))
    a_score = draw(st.integers(1, 5))
    b_score = draw(st.integers(1, 4))
    b_score += b_score >= a_score
    scores = [a_score, b_score] + draw(st.lists(st.integers(1, 5), min_size=k - 2, max_size=k - 2))
    others = [Fraction(t, 10) for t in draw(st.lists(st.integers(0, 800 // max(1, k - 2)), min_size=k - 2, max_size=k - 2))]
    e, b, g = draw(st.integers(-10, 10)), draw(st.integers(0, 10)), draw(st.integers(-2, 2))
    decimals = draw(st.sampled_from([1, 1, 1, 0, 2]))
    m = DEFAULT.with_changes(decimals=decimals, clamp=draw(st.booleans()))
    rest = 100 - sum(others)
    n_others = sum(s * c for s, c in zip(others, scores[2:], strict=True))

    def exact_score(s1: Fraction) -> Fraction:
        return _unclamped((s1 * a_score + (rest - s1) * b_score + n_others) / 100, e, b, g, m)

    u0, u1 = exact_score(Fraction(0)), exact_score(rest)
    lo, hi = min(u0, u1), max(u0, u1)
    unit = Fraction(1, 10**decimals)
    first, last = ceil((lo - unit / 2) / unit), floor((hi - unit / 2) / unit)
    if first > last:
        first = last = round((lo + hi) / 2 / unit)  # no boundary inside: aim at the nearest
    zone_lines = [j for j in (ceil(Fraction(48) / unit) - 1, ceil(Fraction(25) / unit) - 1) if first <= j <= last]
    j = draw(st.sampled_from(zone_lines) | st.integers(first, last)) if zone_lines else draw(st.integers(first, last))
    line = (j + Fraction(1, 2)) * unit
    target = line + Fraction(draw(st.sampled_from(DELTAS)))
    s1 = (target - u0) / (u1 - u0) * rest
    places = draw(st.integers(4, 12))
    s1 = min(max(Fraction(round(s1 * 10**places), 10**places), Fraction(0)), rest)
    shares = [s1, rest - s1, *others]
    floats = [float(decimal_text(s)) for s in shares]
    assert [q(f) for f in floats] == shares  # the floats read back as the decimals written
    return role(floats, scores, e, b, g), m, line


def _unclamped(weighted: Fraction, e: int, b: int, g: int, m: Methodology) -> Fraction:
    raw = (q(m.task_resistance_ceiling) - weighted) * (1 + q(m.evidence_weight) * e) * (1 + q(m.barrier_weight) * b)
    raw *= 1 + q(m.growth_weight) * g
    return (raw - q(m.normalisation_offset)) / q(m.normalisation_span) * 100


@given(on_rounding_line())
def _rounding_property(case):
    a, m, _ = case
    r = assert_matches_reference(a, m)
    count("rounding", rounding_distance(r.unclamped, m.decimals))


def test_scores_on_a_rounding_line_match_the_exact_reference():
    run_counted("rounding", _rounding_property)


@st.composite
def on_share_line(draw):
    """(role, method): a role whose task time at or above the transforming score is exactly the
    Transforming share (or 1e-9 / 1e-7 either side), mostly GREEN below Accelerated growth.
    One-decimal shares, totals anywhere the model allows."""
    line = draw(st.sampled_from([20, 20, 20, 25, 50, 10, 37.5]))
    m = DEFAULT.with_changes(transforming_share=line, transforming_score=draw(st.sampled_from([3, 3, 2, 4])))
    tenths = draw(st.integers(990, 1010).filter(lambda t: t * Fraction(line) / 100 == int(t * Fraction(line) / 100)))
    hit = int(tenths * Fraction(line) / 100)
    k_hit = draw(st.integers(1, 3))
    k_rest = draw(st.integers(1, 3))
    level = m.transforming_score

    def split(total: int, parts: int) -> list[int]:
        cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
        return [y - x for x, y in zip([0, *cuts], [*cuts, total], strict=True)]

    hit_parts, rest_parts = split(hit, k_hit), split(tenths - hit, k_rest)
    assert max(hit_parts + rest_parts) <= 1000
    shares = [Fraction(t, 10) for t in hit_parts + rest_parts]
    delta = Fraction(draw(st.sampled_from(["0", "0", "0", "1e-9", "-1e-9", "1e-7", "-1e-7"])))
    if delta and shares[0] + delta >= 0 and shares[k_hit] - delta >= 0:
        shares[0] += delta
        shares[k_hit] -= delta
    scores = [draw(st.integers(level, 5)) for _ in hit_parts] + [draw(st.integers(1, level - 1)) for _ in rest_parts]
    floats = [float(decimal_text(s)) for s in shares]
    e = draw(st.integers(4, 10))
    return role(floats, scores, e, draw(st.integers(0, 10)), draw(st.integers(-2, 1))), m


@given(on_share_line())
def _share_property(case):
    a, m = case
    r = assert_matches_reference(a, m)
    count("share", r.share3 - q(m.transforming_share))
    text = format_breakdown(breakdown(a, m))
    shown = next(line for line in text.splitlines() if line.startswith("Task time at score"))
    figure = Fraction(shown.split(": ", 1)[1].split("%", 1)[0])
    assert (figure >= q(m.transforming_share)) == (r.share3 >= q(m.transforming_share))


def test_sublabels_on_the_transforming_line_match_the_exact_reference():
    run_counted("share", _share_property)


@given(on_rounding_line(max_tasks=4), st.data())
def _goal_seek_property(case, data):
    """Goal-seek targets at every line: the reported value gives the reported score and
    reaches the target; the step before it (or the role itself) does not."""
    a, m, line = case
    base = ref_of(a, m).published
    unit = Fraction(1, 10**m.decimals)
    target = data.draw(st.sampled_from([48.0, 25.0, float(line + unit / 2), float(line - unit / 2), float(base)]))
    k = data.draw(st.sampled_from(knobs(a)))
    result = goal_seek(a, target=target, knob_id=k.id, methodology=m)
    (row,) = result.rows
    step = ceil(q(target) / unit) * unit
    assert result.seeking == ("at_least" if base < step else "below")

    def passes(published: Fraction) -> bool:
        return published >= step if result.seeking == "at_least" else published < step

    count("goal seek", rounding_distance(ref_of(a, m).unclamped, m.decimals))  # the role on its line
    b = get_value(a, k.id)
    if row.status == "reachable":
        there = ref_of(apply_changes(a, {k.id: row.value}), m)
        assert float(there.published) == row.score and there.zone == row.zone.value
        assert passes(there.published)
        up = row.direction == "up"
        if k.integer:
            before = row.value - 1 if up else row.value + 1
        else:
            grid = (ceil(q(row.value) * 100) - 1) if up else (floor(q(row.value) * 100) + 1)
            before = grid / 100
            if (up and q(before) <= q(b)) or (not up and q(before) >= q(b)):
                before = b
        assert not passes(ref_of(apply_changes(a, {k.id: before}) if before != b else a, m).published)
    elif row.status == "unreachable":
        end = k.max if row.direction == "up" else k.min
        assert not passes(ref_of(apply_changes(a, {k.id: end}), m).published)


def test_goal_seek_at_every_line_matches_the_exact_reference():
    run_counted("goal seek", _goal_seek_property)


@given(on_rounding_line(max_tasks=4), st.data())
def _break_even_property(case, data):
    """Break-even's first step changes the zone exactly; the step before it does not."""
    a, m, _ = case
    base = ref_of(a, m)
    count("break-even", rounding_distance(base.unclamped, m.decimals))
    k = data.draw(st.sampled_from(knobs(a)))
    for row in (r for r in break_even(a, m).rows if r.knob_id == k.id and r.status == "changes_zone"):
        there = ref_of(apply_changes(a, {k.id: row.value}), m)
        assert there.zone != base.zone and there.zone == row.zone.value and float(there.published) == row.score
        sign = 1 if row.direction == "up" else -1
        if k.integer:
            before = row.value - sign
        else:
            steps = ceil(round(abs(row.move) / 0.1, 6)) - 1
            before = float(np.round(row.base_value + sign * np.round(steps * 0.1, 9), 9))
        prev = a if before == row.base_value else apply_changes(a, {k.id: before})
        assert ref_of(prev, m).zone == base.zone


def test_break_even_first_steps_match_the_exact_reference():
    run_counted("break-even", _break_even_property)


@settings(max_examples=50)  # 100 draws each, every one against the reference
@given(on_rounding_line(max_tasks=4), st.sampled_from([0.0, 0.02, 0.3]), st.sampled_from([0.0, 0.2]),
       st.integers(0, 2**16))
def _monte_carlo_property(case, p, jitter, seed):
    """Every Monte Carlo draw publishes the score and zone its inputs give exactly."""
    a, m, _ = case
    n = 100
    mc = monte_carlo(a, n=n, p=p, share_jitter=jitter, seed=seed, methodology=m)
    draws = sample_inputs(a, n=n, p=p, share_jitter=jitter, seed=seed)
    names = [t.name for t in a.tasks]
    zones = Counter()
    for i in range(n):
        shares = [draws[f"task:{t}:share"][i] if len(names) > 1 else 100.0 for t in names]
        scores = [int(draws[f"task:{t}:score"][i]) for t in names]
        e = int(sum(draws[f"evidence:{d}"][i] for d in EVIDENCE_DIMENSIONS))
        b = int(sum(draws[f"barrier:{x}"][i] for x in BARRIERS))
        r = reference(shares, scores, e, b, int(draws["growth"][i]), m)
        count("Monte Carlo", rounding_distance(r.unclamped, m.decimals))
        assert mc.scores[i] == float(r.published)
        zones[r.zone] += 1
    assert (mc.p_green, mc.p_yellow, mc.p_red) == (zones["Green"] / n, zones["Yellow"] / n, zones["Red"] / n)


def test_monte_carlo_draws_match_the_exact_reference():
    run_counted("Monte Carlo", _monte_carlo_property, least=0.05)  # draws move off the line


@given(st.integers(2, 8), st.lists(st.integers(0, 9_999), min_size=8, max_size=8), st.integers(0, 7),
       st.sampled_from([100, 99, 101, 99.5]))
def _share_rule_property(k, hundredths, places, role_total):
    """Setting every share: kept as given when the total is within 100 +/- 1 (exactly),
    else scaled to the role's total, each share the float nearest its exact value."""
    tenths = [int(role_total * 10) // k] * k
    tenths[0] += int(role_total * 10) - sum(tenths)
    a = role([t / 10 for t in tenths], [1] * k)
    values = [Fraction(h, 100) for h in hundredths[:k]]
    if not sum(values):
        return
    values[0] += Fraction(hundredths[-1] % 7, 10 ** (places + 3))  # more decimals, still below 100
    floats = [float(decimal_text(v)) for v in values]
    total = sum(q(v) for v in floats)
    changed = apply_changes(a, {f"task:T{i + 1}:share": v for i, v in enumerate(floats)})
    got = [t.time_share for t in changed.tasks]
    assert sum(q(t.time_share) for t in a.tasks) == q(role_total)
    if abs(total - 100) <= 1:
        assert got == floats
    else:
        assert got == [min(float(q(v) * q(role_total) / total), 100.0) for v in floats]


def test_share_rule_scales_every_share_exactly():
    _share_rule_property()


@given(st.integers(0, 10**6), st.sampled_from(DELTAS), st.integers(0, 3))
def _publish_round_property(whole, delta, decimals):
    """publish_round on decimals at a half unit and a hair either side."""
    unit = Fraction(1, 10**decimals)
    value = whole * unit / 100 + unit / 2 + Fraction(delta)  # up to 10,000 with 2 + decimals places
    text = decimal_text(value) if Fraction(decimal_text(value)) == value else None
    if text is None or len(text.replace(".", "").lstrip("0-")) > 15:
        return
    x = float(text)
    expected = Fraction(floor(value / unit + Fraction(1, 2))) * unit
    assert publish_round(x, decimals) == float(expected)
    assert publish_round(np.array([x]), decimals).tolist() == [float(expected)]


def test_publish_round_on_half_units_is_exact():
    _publish_round_property()
