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
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from aijri_core import apply_changes, break_even, bundled_role, knobs, monte_carlo, score, tornado, zone_map  # noqa: E402
from aijri_core.analyses.uncertainty import sample_inputs  # noqa: E402
from aijri_core.knobs import get_value  # noqa: E402
from aijri_core.methodology import DEFAULT  # noqa: E402
from aijri_core.model import RoleAssessment, Task  # noqa: E402

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


# ---------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and smaller naive samples")
    args = parser.parse_args()
    repeat = 5 if args.quick else 15
    a = bundled_role(SLUG)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
