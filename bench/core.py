"""Benchmark of the scoring core and the what-if engine on the bundled role.

Run: .venv/bin/python bench/core.py [--quick]

Prints, for the bundled AI Infrastructure Engineer assessment:
  1. one `score` call;
  2. tornado + break-even + zone map together (what one slider move recomputes);
  3. monte_carlo(n=100_000);
each beside a naive baseline measured in the same run: a Python loop that builds every
variant with `apply_changes` and calls `score` on it. Where the naive loop would take
minutes it runs on a sample and the time is scaled to the full count (said so in the
output). Times are medians of several runs; the machine is shared, so read the ratios.
Targets: Monte Carlo under 50 ms and at least 50x faster than the loop; the three
analyses together under 10 ms.
  4. the cost of exact decisions at the lines: score_many on 100,000 variants and
monte_carlo(n=100_000), each beside the float-only path as it was before (kept below as
``float_only_score_many``: rounding with a 1e-6 noise tolerance, no exact re-check), runs
alternating. Target: within 1.2x.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from aijri_core import (  # noqa: E402
    apply_changes,
    break_even,
    bundled_role,
    exact,
    knobs,
    monte_carlo,
    score,
    score_many,
    scoring,
    tornado,
    zone_map,
)
from aijri_core.analyses import uncertainty  # noqa: E402
from aijri_core.analyses.uncertainty import sample_inputs  # noqa: E402
from aijri_core.knobs import get_value  # noqa: E402
from aijri_core.methodology import DEFAULT, SCALE_MAX, SCALE_MIN, sublabel_code, zone_code  # noqa: E402
from aijri_core.model import RoleAssessment, Task  # noqa: E402
from aijri_core.scoring import ScoreBatch  # noqa: E402

SLUG = "ai-infrastructure-engineer"


def timed(fn, repeat: int) -> float:
    """Median wall time of ``fn()`` in seconds (after one warm-up call)."""
    fn()
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:9.3f} ms"


# ---------------------------------------------------------------- naive baselines


def naive_tornado(a: RoleAssessment) -> list[tuple[str, float, float]]:
    out = []
    for k in knobs(a):
        b = get_value(a, k.id)
        step = 1 if k.integer else 5
        lo, hi = max(k.min, b - step), min(k.max, b + step)
        out.append((k.id, score(apply_changes(a, {k.id: lo})).score, score(apply_changes(a, {k.id: hi})).score))
    return out


def naive_break_even(a: RoleAssessment) -> list[tuple[str, str, float | None]]:
    """Walk each knob level by level (shares in 0.1-point steps) until the zone changes."""
    base_zone = score(a).zone
    out = []
    for k in knobs(a):
        b = get_value(a, k.id)
        step = 1 if k.integer else 0.1
        for direction in (1, -1):
            found = None
            i = 1
            while True:
                v = round(b + direction * i * step, 9)
                v = min(max(v, k.min), k.max)
                s = score(apply_changes(a, {k.id: v}))
                if s.zone != base_zone:
                    found = v
                    break
                if v in (k.min, k.max):
                    break
                i += 1
            out.append((k.id, "up" if direction > 0 else "down", found))
    return out


def naive_zone_map(a: RoleAssessment, resolution: int = 81) -> np.ndarray:
    """Score each grid cell by building a two-task assessment with the cell's weighted score."""
    s0 = score(a)
    m = DEFAULT
    grid = np.empty((21, resolution))
    for iy, e in enumerate(range(-10, 11)):
        for ix, tr in enumerate(np.linspace(1, 5, resolution)):
            weighted = m.task_resistance_ceiling - tr
            lo = int(np.floor(weighted))
            hi = min(lo + 1, 5)
            frac = weighted - lo
            tasks = [
                Task(name="a", time_share=100 * (1 - frac), score=lo),
                Task(name="b", time_share=100 * frac, score=hi),
            ]
            ev = {
                d: 0 for d in ("job_postings", "company_actions", "wage_trends", "ai_tool_maturity", "expert_consensus")
            }
            # spread the evidence total over the five dimensions (-2..+2 each)
            remaining = e
            for d in ev:
                ev[d] = max(-2, min(2, remaining))
                remaining -= ev[d]
            cell = a.model_copy(update={"tasks": tasks, "evidence": a.evidence.model_validate(ev)})
            grid[iy, ix] = score(RoleAssessment.model_validate(cell.model_dump())).score
    del s0
    return grid


def naive_monte_carlo(a: RoleAssessment, draws: dict[str, np.ndarray], count: int) -> np.ndarray:
    out = np.empty(count)
    for i in range(count):
        out[i] = score(apply_changes(a, {kid: float(v[i]) for kid, v in draws.items()})).score
    return out


# ---------------------------------------------------------------- the float-only baseline


def float_only_score_many(task_scores, time_shares, evidence, barriers, growth, methodology=DEFAULT) -> ScoreBatch:
    """``score_many`` as it was before decisions at the lines were made exactly: the same
    float arithmetic, rounding after a 1e-6 noise tolerance, nothing decided again."""
    m = methodology
    sc = np.asarray(task_scores, dtype=float)
    sh = np.asarray(time_shares, dtype=float)
    e = scoring._totals(evidence, "evidence")
    b = scoring._totals(barriers, "barriers")
    g = np.asarray(growth, dtype=float)
    n = max(sc.shape[0] if sc.ndim == 2 else 1, sh.shape[0] if sh.ndim == 2 else 1,
            e.size if e.ndim else 1, b.size if b.ndim else 1, g.size if g.ndim else 1)
    k = sc.shape[-1]
    sc, sh = np.broadcast_to(sc, (n, k)), np.broadcast_to(sh, (n, k))
    e, b, g = np.broadcast_to(e, (n,)), np.broadcast_to(b, (n,)), np.broadcast_to(g, (n,))
    share_cols = [sh[:, j] for j in range(k)]
    score_cols = [sc[:, j] for j in range(k)]
    weighted = scoring._weighted(share_cols, score_cols)
    tr, em, bm, gm, raw, unclamped = scoring._composite(weighted, e, b, g, m)
    capped = np.clip(unclamped, SCALE_MIN, SCALE_MAX) if m.clamp else unclamped
    clamped = capped != unclamped
    factor = 10.0**m.decimals
    scaled = np.round(capped * factor, 6)
    published = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) / factor + 0.0
    zc = zone_code(published, m)
    share3 = scoring._share_at_or_above(share_cols, score_cols, m.transforming_score)
    return ScoreBatch(weighted, tr, e, em, b, bm, g, gm, raw, unclamped, published, clamped, zc,
                      sublabel_code(zc, g, share3, m), share3)


def timed_pair(new, old, repeat: int) -> tuple[float, float]:
    """Median wall times of ``new()`` and ``old()``, run alternately (the load is shared)."""
    new(), old()
    runs_new, runs_old = [], []
    for _ in range(repeat):
        for fn, runs in ((new, runs_new), (old, runs_old)):
            t0 = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - t0)
    return statistics.median(runs_new), statistics.median(runs_old)


def random_variants(a: RoleAssessment, n: int, seed: int = 7) -> dict:
    """n random variants of the role: every rating anywhere in its range, shares jittered."""
    rng = np.random.default_rng(seed)
    k = len(a.tasks)
    shares = np.array([t.time_share for t in a.tasks]) * np.exp(0.3 * rng.standard_normal((n, k)))
    shares *= 100.0 / shares.sum(axis=1, keepdims=True)
    return {
        "task_scores": rng.integers(1, 6, size=(n, k)).astype(float),
        "time_shares": shares,
        "evidence": rng.integers(-2, 3, size=(n, 5)).astype(float),
        "barriers": rng.integers(0, 3, size=(n, 5)).astype(float),
        "growth": rng.integers(-2, 3, size=n).astype(float),
    }


def exact_cost(a: RoleAssessment, repeat: int) -> None:
    """Section 4: exact decisions at the lines against the float-only path."""
    n = 100_000
    inputs = random_variants(a, n)
    new, old = score_many(**inputs), float_only_score_many(**inputs)
    near = int(exact.near_lines(new.score_unclamped, new.share_time_score_3_plus, DEFAULT).sum())
    differ = int((new.score != old.score).sum() + (new.zone_code != old.zone_code).sum())
    t_new, t_old = timed_pair(lambda: score_many(**inputs), lambda: float_only_score_many(**inputs), repeat)

    def mc_before():
        uncertainty.score_many = float_only_score_many
        try:
            monte_carlo(a, n=n, seed=1)
        finally:
            uncertainty.score_many = score_many

    t_mc_new, t_mc_old = timed_pair(lambda: monte_carlo(a, n=n, seed=1), mc_before, repeat)
    # the worst case: every variant distinct and on a line (each is decided exactly, one by one)
    line = on_the_line_variants(2_000)
    t_line = timed(lambda: score_many(**line), max(3, repeat // 3))
    wrong = int((float_only_score_many(**line).score != score_many(**line).score).sum())
    print("\n4. exact decisions at the lines (new) vs the float-only path (before), same run")
    print("   what                                   new          before     ratio   target <= 1.2x")
    for what, tn, to in ((f"score_many, {n:,} variants", t_new, t_old), (f"monte_carlo(n={n:,})", t_mc_new, t_mc_old)):
        print(f"   {what:<32} {ms(tn)}  {ms(to)}   {tn / to:5.2f}x   {'met' if tn <= 1.2 * to else 'NOT met'}")
    print(f"   ({near} of the {n:,} random variants lay within the band of a line and were decided again;")
    print(f"    {differ} published scores or zones differ from the float-only path)")
    print(f"   worst case, {len(line['growth']):,} distinct variants all on a line: {ms(t_line)}"
          f" ({t_line / len(line['growth']) * 1e6:.0f} us each);\n"
          f"   the float-only path publishes {wrong:,} of them as 48.0 instead of 47.9")


def on_the_line_variants(n: int) -> dict:
    """n distinct two-task variants whose exact score is 47.95 minus a hair (found by
    solving for task 1's share and writing it with 9 decimals)."""
    from fractions import Fraction

    rng = np.random.default_rng(3)
    shares = np.empty((n, 2))
    for i in range(n):
        # scores 1 and 2, E -3, B 1, G 0: score(s1) is linear in s1; aim at 47.95 - i * 1e-12
        mods = Fraction(88, 100) * Fraction(102, 100)
        target = Fraction(4795, 100) - Fraction(int(rng.integers(1, 1000)), 10**12)
        weighted = 6 - (target * Fraction(793, 10000) + Fraction(54, 100)) / mods
        s1 = (2 - weighted) * 100
        s1 = round(float(s1), 9)
        shares[i] = (s1, round(100 - s1, 9))
    return {"task_scores": np.array([1.0, 2.0]), "time_shares": shares, "evidence": np.full(n, -3.0),
            "barriers": np.full(n, 1.0), "growth": np.zeros(n)}


# ---------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and smaller naive samples")
    parser.add_argument("--board", action="store_true", help="only the board bench (10, 100 and 1,000 roles)")
    parser.add_argument("--exact-only", action="store_true", help="only section 4 (the cost of exact decisions)")
    args = parser.parse_args()
    if args.board:
        return bench_board(args.quick)
    repeat = 5 if args.quick else 15
    a = bundled_role(SLUG)
    if args.exact_only:
        exact_cost(a, repeat)
        return 0
    print(f"Bundled role: {a.title} ({score(a).score} {score(a).zone_text}); {len(knobs(a))} knobs")
    print(f"numpy {np.__version__}, Python {sys.version.split()[0]}; medians of {repeat} runs\n")

    # 1. one score
    t_score = timed(lambda: score(a), repeat * 20)
    print(f"1. score(assessment)                      {ms(t_score)}")

    # 2. slider move: tornado + break-even + zone map
    def slider():
        tornado(a)
        break_even(a)
        zone_map(a)

    t_slider = timed(slider, repeat)
    t_tor = timed(lambda: tornado(a), repeat)
    t_be = timed(lambda: break_even(a), repeat)
    t_zm = timed(lambda: zone_map(a), repeat)
    t_naive_tor = timed(lambda: naive_tornado(a), 3)
    t_naive_be = timed(lambda: naive_break_even(a), 1)
    t_naive_zm = timed(lambda: naive_zone_map(a), 1)
    t_naive_slider = t_naive_tor + t_naive_be + t_naive_zm
    # the vectorised results agree with the naive loops
    vt = {r.knob_id: (r.score_low, r.score_high) for r in tornado(a).rows}
    assert all(vt[kid] == (lo, hi) for kid, lo, hi in naive_tornado(a)), "tornado differs from the naive loop"
    vb = {(r.knob_id, r.direction): r.value for r in break_even(a).rows}
    nb = naive_break_even(a)
    assert all(
        (vb[(kid, d)] is None and v is None) or (v is not None and abs(vb[(kid, d)] - v) < 1e-6) for kid, d, v in nb
    ), "break-even differs from the naive walk"
    assert np.array_equal(zone_map(a).score, naive_zone_map(a)), "zone map differs from the naive loop"
    print(
        f"2. tornado + break-even + zone map         {ms(t_slider)}   target < 10 ms: "
        f"{'met' if t_slider < 0.010 else 'NOT met'}"
    )
    print(f"     tornado {ms(t_tor)}   break-even {ms(t_be)}   zone map {ms(t_zm)}")
    print(
        f"   naive loops (apply_changes + score)    {ms(t_naive_slider)}   -> {t_naive_slider / t_slider:,.0f}x faster"
    )
    print(f"     tornado {ms(t_naive_tor)}   break-even {ms(t_naive_be)}   zone map {ms(t_naive_zm)}")
    print("   (results identical to the naive loops: checked)")

    # 3. Monte Carlo
    n = 100_000
    t_mc = timed(lambda: monte_carlo(a, n=n, seed=1), repeat)
    sample = 500 if args.quick else 2_000
    draws = sample_inputs(a, n=sample, seed=1)
    t0 = time.perf_counter()
    naive_scores = naive_monte_carlo(a, draws, sample)
    t_naive_each = (time.perf_counter() - t0) / sample
    t_naive_mc = t_naive_each * n
    vec = monte_carlo(a, n=sample, seed=1).scores
    assert np.allclose(vec, naive_scores, atol=1e-9), "Monte Carlo scores differ from the naive loop"
    ratio = t_naive_mc / t_mc
    print(
        f"3. monte_carlo(n={n:,})                  {ms(t_mc)}   target < 50 ms: {'met' if t_mc < 0.050 else 'NOT met'}"
    )
    print(
        f"   naive loop, {n:,} draws                {ms(t_naive_mc)}   -> {ratio:,.0f}x faster "
        f"(target >= 50x: {'met' if ratio >= 50 else 'NOT met'})"
    )
    print(f"   (naive loop timed on {sample:,} draws, {t_naive_each * 1e6:.0f} us each, scaled to {n:,};")
    print("    its scores equal the vectorised ones on those draws: checked)")
    print(f"   vectorised per draw: {t_mc / n * 1e9:.0f} ns; score() alone per draw: {t_score * 1e6:.0f} us")

    exact_cost(a, repeat)
    print()
    return bench_board(args.quick)


# ---------------------------------------------------------------- the board of a library


def random_library(count: int, seed: int = 7) -> list[tuple[str, RoleAssessment]]:
    """``count`` valid roles of 5 to 40 tasks (shares in tenths summing to 100, every rating random)."""
    from aijri_core.model import BARRIERS, EVIDENCE_DIMENSIONS

    rng = np.random.default_rng(seed)
    base = bundled_role(SLUG).model_dump(mode="json")
    out = []
    for i in range(count):
        k = int(rng.integers(5, 41))
        tenths = rng.multinomial(1000 - k, np.ones(k) / k) + 1  # every task at least 0.1%
        role = {
            **base,
            "title": f"Role {i}",
            "published": None,
            "tasks": [{"name": f"task {j}", "time_share": float(tenths[j]) / 10, "score": int(rng.integers(1, 6)),
                       "mode": "augmentation"} for j in range(k)],
            "evidence": {d: int(rng.integers(-2, 3)) for d in EVIDENCE_DIMENSIONS},
            "barriers": {b: int(rng.integers(0, 3)) for b in BARRIERS},
            "growth_correlation": int(rng.integers(-2, 3)),
        }
        out.append((f"role-{i}", RoleAssessment.model_validate(role)))
    return out


def one_role_at_a_time(roles, n: int) -> None:
    """The baseline: each role through the single-role analyses the board stands for."""
    for _, a in roles:
        score(a)
        break_even(a)
        tornado(a)
        monte_carlo(a, n=n, seed=1)


def _board_half(roles):
    from aijri_core.analyses.board import board

    return board(roles).rows


def timed_cpu(fn, repeat: int) -> tuple[float, float]:
    """(median wall time, median CPU time of this process) of ``fn()`` in seconds, after one
    warm-up call. On a shared machine the CPU time is what the work costs; the wall time also
    holds the waits for a core."""
    fn()
    walls, cpus = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus)


def bench_board(quick: bool = False) -> int:
    """board() over 10, 100 and 1,000 random roles of 5-40 tasks (10,000 Monte Carlo draws each),
    against the single-role analyses one role at a time, and split over two processes."""
    import os
    from concurrent.futures import ProcessPoolExecutor

    from aijri_core.analyses.board import DEFAULT_DRAWS, board

    sizes = (10, 100, 1000)
    print(f"Board: score, break-even, one-step flips, Monte Carlo ({DEFAULT_DRAWS:,} draws), tornado per role; "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print(f"{'roles':>6}  {'board() wall':>12}  {'cpu':>7}  {'per role':>9}  {'one at a time':>14}  {'cpu':>8}  {'ratio':>6}")
    per_role_naive = None
    for count in sizes:
        roles = random_library(count)
        runs = 1 if count >= 1000 or quick else 3
        t_board, c_board = timed_cpu(lambda roles=roles: board(roles), runs)
        if count <= 100:
            t_naive, c_naive = timed_cpu(lambda roles=roles: one_role_at_a_time(roles, DEFAULT_DRAWS), 1)
            per_role_naive = (t_naive / count, c_naive / count)
            naive_text = f"{t_naive:13.2f}s  {c_naive:7.2f}s"
        else:
            t_naive, c_naive = per_role_naive[0] * count, per_role_naive[1] * count
            naive_text = f"~{t_naive:12.2f}s  ~{c_naive:6.2f}s"
        print(f"{count:6,}  {t_board:11.2f}s  {c_board:6.2f}s  {c_board / count * 1e3:7.2f}ms  {naive_text}  "
              f"{c_naive / c_board:5.1f}x"
              + ("   target < 5 s: " + ("met" if c_board < 5 else "NOT met") + " (cpu)" if count == 1000 else ""))
    print("  (cpu: this process's CPU time, per role and ratio from it; one at a time for 1,000 roles: the 100-role\n"
          f"   time per role, scaled; load {os.getloadavg()[0]:.1f} at the end)")
    # Two processes, half of the roles each (fork: the roles are not pickled on the way in).
    roles = random_library(1000)
    halves = [roles[:500], roles[500:]]
    t0 = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        parts = list(pool.map(_board_half, halves))
    t_two = time.perf_counter() - t0
    t_one = timed(lambda: board(roles), 1)
    merged = sorted((r for part in parts for r in part), key=lambda r: (abs(r.distance), r.title, r.source))
    assert tuple(merged) == board(roles).rows, "the two halves differ from one board"
    print(f"  1,000 roles in 2 processes: {t_two:.2f}s vs {t_one:.2f}s in one -> {t_one / t_two:.2f}x "
          f"({'pays' if t_one / t_two > 1.2 else 'does not pay'} on this machine now; results identical)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
