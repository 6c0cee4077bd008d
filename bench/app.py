"""How fast the Explorer reacts to a slider, on the server and in a real browser.

(a) Server side, with streamlit.testing.v1.AppTest in this process: the median time of one
    Explorer rerun after a slider change, beside the same measure for bench/minimal_page.py
    (one slider, one plotly chart), the two measured turn about so that load on the shared
    machine hits both alike. Target: the ratio at most 8x.
(b) In Chromium (Playwright), against `streamlit run app.py` on a fresh server: the median
    time from a slider key press to the updated score text, and to the redrawn tornado
    chart. Targets: under 200 ms and under 500 ms. Times are taken inside the page:
    performance.now() at the keydown, a MutationObserver for the moment the score shows the
    core's new value and the moment the tornado's bars are redrawn around the new score.
    Also shown: how long the browser's main thread was busy per move (its long tasks, those
    over 50 ms, added up: React and plotly redrawing, the time a further key press waits), and
    all of the main thread's work per move, short tasks too (Chromium's TaskDuration metric),
    with its ratio to the floor page's.

Each is measured twice:
  new states   every change leads to inputs never seen before (a walk over three sliders),
               so every analysis (tornado, break-even, zone map) really runs;
  revisited    one slider moved back and forth between two values: the analyses come from
               the cache, what remains is Streamlit's own work plus drawing.

Run: `.venv/bin/python bench/app.py [--changes 25] [--presses 25] [--skip-browser] [--skip-server]`.
Prints a table; never fails on a timing (exit code 1 only if something could not run).
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

from browser_helpers import ARGS, CHROMIUM, READY, VIEWPORT, ServerError, start_server, wait_ready  # noqa: E402
from explorer_page import SCORE, TORNADO, slider_input  # noqa: E402

from aijri_core import apply_changes, bundled_role, knob, score, values  # noqa: E402

EXPLORER = REPO / "app.py"
MINIMAL = REPO / "bench" / "minimal_page.py"
ROLE_SLUG = "ai-infrastructure-engineer"  # the role the Explorer opens on
#: Sliders the benchmarks move (knob ids; widget keys "knob:<id>"). Each step changes the score.
WALK_KNOBS = ("growth", "evidence:wage_trends", "evidence:expert_consensus")
WARMUP = 3

TARGET_RATIO = 8.0
TARGET_SCORE_MS = 200.0
TARGET_CHART_MS = 500.0
#: Against the floor page (same sliders and charts, no computation), in the same run.
TARGET_SCORE_RATIO = 1.3
TARGET_DONE_RATIO = 1.5
TARGET_BUSY_MS = 100.0
#: A move has finished when no chart has changed for this long after the run's end.
QUIET_MS = 300
FLOOR = REPO / "bench" / "floor_page.py"


def walk(n: int) -> list[tuple[str, int, dict[str, float]]]:
    """``n`` one-step slider moves from the role's baseline, each to inputs not seen before.

    Returns (knob id, +1/-1, the changes after the move). A depth-first walk over the grid of
    WALK_KNOBS values; whole-number knobs move by one (an arrow key).
    """
    base = bundled_role(ROLE_SLUG)
    start = values(base)
    ranges = {k: (knob(base, k).min, knob(base, k).max) for k in WALK_KNOBS}

    def search(path, pos, seen):
        if len(path) == n:
            return path
        for k in WALK_KNOBS:
            for step in (1, -1):
                new = dict(pos)
                new[k] = pos[k] + step
                key = tuple(new[x] for x in WALK_KNOBS)
                if ranges[k][0] <= new[k] <= ranges[k][1] and key not in seen:
                    found = search(path + [(k, step, new)], new, seen | {key})
                    if found:
                        return found
        return None

    pos = {k: start[k] for k in WALK_KNOBS}
    moves = search([], pos, {tuple(pos.values())})
    if moves is None:
        raise SystemExit(f"cannot walk {n} new states over {WALK_KNOBS}")
    return [(k, step, {x: v for x, v in new.items() if v != start[x]}) for k, step, new in moves]


def back_and_forth(n: int, after: dict[str, float]) -> list[tuple[str, int, dict[str, float]]]:
    """``n`` moves of the first walk knob between its value in ``after`` and one step next to it."""
    base = bundled_role(ROLE_SLUG)
    k = WALK_KNOBS[0]
    v0 = after.get(k, values(base)[k])
    step = 1 if v0 + 1 <= knob(base, k).max else -1
    moves = []
    for i in range(n):
        s = step if i % 2 == 0 else -step
        moves.append((k, s, {**after, k: v0 + step if i % 2 == 0 else v0}))
    return moves


# -- (a) server side ---------------------------------------------------------------------


def _rerun_seconds(at, key: str, value) -> float:
    at.slider(key=key).set_value(value)
    t = time.perf_counter()
    at.run()
    dt = time.perf_counter() - t
    if at.exception:
        raise SystemExit(f"a rerun raised: {at.exception[0].message}")
    return dt


def bench_server(changes: int) -> dict[str, dict[str, float]]:
    """Median rerun times (ms): Explorer for new and revisited states, the minimal page alike."""
    from streamlit.testing.v1 import AppTest

    # Cached functions called outside a served session warn on every call; the numbers do not care.
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)
    explorer = AppTest.from_file(str(EXPLORER), default_timeout=120)
    minimal = AppTest.from_file(str(MINIMAL), default_timeout=60)
    for at in (explorer, minimal):
        at.run()
        if at.exception:
            raise SystemExit(f"the first run raised: {at.exception[0].message}")
    base = bundled_role(ROLE_SLUG)
    new_moves = walk(WARMUP + changes)
    phases = {"new states": new_moves, "revisited": back_and_forth(WARMUP + changes, new_moves[-1][2])}
    out = {}
    mini_value = minimal.slider(key="value").value
    for phase, moves in phases.items():
        ex_t, mini_t = [], []
        for i, (k, _step, changes_after) in enumerate(moves):
            v = apply_changes(base, changes_after)
            ex = _rerun_seconds(explorer, f"knob:{k}", values(v)[k])
            mini_value = mini_value + 1 if i % 2 == 0 else mini_value - 1
            mn = _rerun_seconds(minimal, "value", mini_value)
            shown = explorer.metric[0].value if explorer.metric else None
            if shown != f"{score(v).score:.1f}":
                raise SystemExit(f"the Explorer shows {shown!r} after moving {k}; the core gives {score(v).score:.1f}")
            if i >= WARMUP:
                ex_t.append(ex)
                mini_t.append(mn)
        out[phase] = {
            "explorer_ms": statistics.median(ex_t) * 1000,
            "minimal_ms": statistics.median(mini_t) * 1000,
            "n": len(ex_t),
        }
    return out


# -- (b) in the browser --------------------------------------------------------------------

#: Installed once in the page. At each keydown it notes the time and the tornado's drawing;
#: then it notes when the score shows the expected text and when the tornado has been redrawn
#: with the expected axis label. Elements Streamlit marks stale mid-run do not count.
PROBE_JS = """
(cfg) => {
  const scoreText = () => {
    const el = document.querySelector(cfg.scoreSelector);
    return el ? el.textContent.trim() : null;
  };
  const chart = () => {
    const box = document.querySelector(cfg.chartSelector);
    const plots = box ? box.querySelectorAll('.js-plotly-plot') : [];
    if (!plots.length) return null;
    const plot = plots[plots.length - 1];
    const sig = Array.from(plot.querySelectorAll('path.point, .point path, .bars path, text'))
      .map(e => (e.getAttribute('d') || '') + '#' + (e.textContent || '')).join('|');
    return {sig, text: plot.textContent};
  };
  const b = window.__bench = {t0: null, tScore: null, tChart: null, chartBefore: null,
                              expectScore: null, expectChart: null, longTasks: [],
                              tRunEnd: null, sawRunning: false, tLastChart: null};

  // Main-thread tasks over 50 ms (rendering, plotly): where the browser's share of the time goes.
  new PerformanceObserver(list => list.getEntries().forEach(e => b.longTasks.push([e.startTime, e.duration])))
    .observe({type: 'longtask'});
  document.addEventListener('keydown', () => {
    b.t0 = performance.now(); b.tScore = null; b.tChart = null; b.longTasks = [];
    b.tRunEnd = null; b.sawRunning = false; b.tLastChart = null;
    const c = chart(); b.chartBefore = c ? c.sig : null;
  }, true);
  const check = () => {
    if (b.t0 === null) return;
    const now = performance.now();
    if (b.tScore === null && scoreText() === b.expectScore) b.tScore = now;
    if (b.tChart === null) {
      const c = chart();
      if (c && c.sig !== b.chartBefore && c.text.includes(b.expectChart)) b.tChart = now;
    }
  };
  // The run's end (the app's script state back to notRunning after running) and the last change
  // inside any chart: together, the moment the run has finished and every chart is redrawn.
  const watch = (mutations) => {
    if (b.t0 === null) return;
    const now = performance.now();
    for (const m of mutations) {
      if (m.attributeName === 'data-test-script-state') {
        // a run that began and ended between two callbacks shows only in the old value
        if (m.oldValue === 'running' || m.target.getAttribute(m.attributeName) === 'running') b.sawRunning = true;
        if (b.sawRunning && m.target.getAttribute(m.attributeName) === 'notRunning') b.tRunEnd = now;
        continue;
      }
      const el = m.target.nodeType === 1 ? m.target : m.target.parentElement;
      if (el && el.closest && el.closest('.js-plotly-plot')) b.tLastChart = now;
    }
    check();
  };
  new MutationObserver(watch).observe(document.body,
    {subtree: true, childList: true, characterData: true, attributes: true, attributeOldValue: true});
  return {score: scoreText(), chart: chart() !== null};
}
"""


def _quantile90(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=10)[-1] if len(xs) >= 2 else xs[0]


def _task_ms(cdp) -> float:
    """The renderer main thread's total task time so far (Chromium's TaskDuration), in ms."""
    return next(m["value"] for m in cdp.send("Performance.getMetrics")["metrics"] if m["name"] == "TaskDuration") * 1000


def _time_press(page, cdp, slider, key: str, text: str, chart_text: str) -> dict[str, float]:
    """One key press: ms to the expected text, to the chart showing ``chart_text``, to the run
    finished with every chart redrawn, the main thread's long tasks in between, and all of
    the main thread's work for the move (short tasks too)."""
    slider.focus()
    cpu0 = _task_ms(cdp)
    page.evaluate("([s, c]) => { window.__bench.expectScore = s; window.__bench.expectChart = c; }",
                  [text, chart_text])
    page.keyboard.press(key)
    try:
        page.wait_for_function("() => window.__bench.tScore !== null && window.__bench.tChart !== null")
    except Exception:
        b = page.evaluate("() => ({...window.__bench, longTasks: window.__bench.longTasks.length})")
        raise SystemExit(f"a move ({key}, expecting {text!r}) did not finish: {b}") from None
    page.wait_for_selector(READY)
    # quiet: no chart has changed for QUIET_MS after the run's end
    page.wait_for_function(
        "(q) => { const b = window.__bench; const last = Math.max(b.tRunEnd || 0, b.tLastChart || 0, b.tChart);"
        " return performance.now() - last > q; }", arg=QUIET_MS)
    b = page.evaluate("() => window.__bench")
    cpu = _task_ms(cdp) - cpu0
    return {
        "cpu": cpu,
        "score": b["tScore"] - b["t0"],
        "chart": b["tChart"] - b["t0"],
        # (a run too short to show "running" has no tRunEnd: its end is its last change)
        "done": max(b["tRunEnd"] or 0, b["tLastChart"] or 0, b["tChart"]) - b["t0"],
        "busy": sum(d for start, d in b["longTasks"] if start >= b["t0"]),
    }


def _summary(samples: list[dict[str, float]]) -> dict[str, float]:
    col = {k: [x[k] for x in samples] for k in ("score", "chart", "done", "busy", "cpu")}
    return {
        "busy_ms": statistics.median(col["busy"]),
        "cpu_ms": statistics.median(col["cpu"]),
        "score_ms": statistics.median(col["score"]),
        "chart_ms": statistics.median(col["chart"]),
        "done_ms": statistics.median(col["done"]),
        "score_p90": _quantile90(col["score"]),
        "chart_p90": _quantile90(col["chart"]),
        "n": len(samples),
    }


def _open(browser, script: str, tmp: Path, text_selector: str, chart_selector: str):
    server = start_server(script, tmp, env={"AIJRI_DB": str(tmp / "store.sqlite3")})
    page = browser.new_page(viewport=VIEWPORT)
    page.set_default_timeout(60_000)
    page.goto(server.url)
    wait_ready(page)
    page.wait_for_selector(text_selector)
    page.wait_for_selector(chart_selector + " .js-plotly-plot")
    wait_ready(page)
    state = page.evaluate(PROBE_JS, {"scoreSelector": text_selector, "chartSelector": chart_selector})
    if state["score"] is None or not state["chart"]:
        server.stop()
        raise SystemExit(f"{script}: no text at {text_selector} or no chart at {chart_selector}: {state}")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    return server, page, cdp


def bench_browser(presses: int) -> dict[str, dict[str, float]]:
    """Median ms from a key press to the new score text, to the redrawn tornado chart and to
    the finished run with every chart redrawn, and the browser's busy time per move.

    Also the same for the floor page (as many sliders and charts, no computation): what
    Streamlit and plotly need anyway, measured in the same run.
    """
    from playwright.sync_api import sync_playwright

    base = bundled_role(ROLE_SLUG)
    new_moves = walk(WARMUP + presses)
    phases = {"new states": new_moves, "revisited": back_and_forth(WARMUP + presses, new_moves[-1][2])}
    out = {}
    with tempfile.TemporaryDirectory(prefix="aijri-bench-") as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            servers = []
            try:
                # Both pages open side by side, their presses taken turn about, so the load of the
                # shared machine falls on both alike.
                server, page, page_cdp = _open(browser, "app.py", Path(tmp), SCORE, TORNADO)
                servers.append(server)
                floor_dir = Path(tmp) / "floor"
                floor_dir.mkdir()
                text = ".st-key-value_text [data-testid='stMarkdownContainer']"
                server, floor, floor_cdp = _open(browser, "bench/floor_page.py", floor_dir, text, ".st-key-chart0")
                servers.append(server)
                floor_slider = floor.locator(".st-key-s0").get_by_role("slider")
                floor_samples, floor_presses = [], 0
                for phase, moves in phases.items():
                    samples = []
                    for i, (k, step, changes_after) in enumerate(moves):
                        new = f"{score(apply_changes(base, changes_after)).score:.1f}"
                        key = "ArrowRight" if step > 0 else "ArrowLeft"
                        page.bring_to_front()
                        sample = _time_press(page, page_cdp, slider_input(page, k), key, new, f"current {new}")
                        floor.bring_to_front()
                        up = floor_presses % 2 == 0  # the floor's slider goes 5 -> 6 -> 5 ...
                        floor_presses += 1
                        floor_sample = _time_press(floor, floor_cdp, floor_slider, "ArrowRight" if up else "ArrowLeft",
                                                   f"Value: {6 if up else 5}", f"value {6 if up else 5}")
                        if i >= WARMUP:
                            samples.append(sample)
                            floor_samples.append(floor_sample)
                    out[f"Explorer, {phase}"] = _summary(samples)
                out["floor page"] = _summary(floor_samples)
            finally:
                for server in servers:
                    server.stop()
        finally:
            browser.close()
    return out


# -- report --------------------------------------------------------------------------------


def _ok(flag: bool) -> str:
    return "met" if flag else "MISSED"


def _table(rows: list[tuple[str, str, str, str]]) -> str:
    head = ("measure", "median", "target", "")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--changes", type=int, default=25, help="slider changes timed per phase (AppTest)")
    p.add_argument("--presses", type=int, default=50,
                   help="key presses timed per phase (browser; fewer give medians that move from run to run)")
    p.add_argument("--skip-browser", action="store_true", help="only the server-side measure")
    p.add_argument("--skip-server", action="store_true", help="only the browser measure")
    args = p.parse_args(argv)
    if args.changes < 20 or args.presses < 20:
        p.error("the medians need at least 20 changes / presses")
    # AppTest runs the pages here: keep the user's scenario store out of it.
    os.environ["AIJRI_DB"] = str(Path(tempfile.mkdtemp(prefix="aijri-bench-")) / "store.sqlite3")

    rows = []
    server = {} if args.skip_server else bench_server(args.changes)
    for phase, r in server.items():
        ratio = r["explorer_ms"] / r["minimal_ms"]
        rows.append((f"(a) Explorer rerun, {phase} (AppTest)", f"{r['explorer_ms']:.1f} ms", "", ""))
        rows.append(("    minimal page rerun (1 slider, 1 chart)", f"{r['minimal_ms']:.1f} ms", "", ""))
        rows.append(
            ("    ratio Explorer / minimal", f"{ratio:.1f}x", f"<= {TARGET_RATIO:g}x", _ok(ratio <= TARGET_RATIO))
        )
    if not args.skip_browser:
        try:
            browser = bench_browser(args.presses)
        except ServerError as e:
            print(e, file=sys.stderr)
            return 1
        floor = browser["floor page"]
        rows.append(("(b) floor page: key press -> its text", f"{floor['score_ms']:.0f} ms (p90 {floor['score_p90']:.0f})",
                     "(reference)", ""))
        rows.append(("    key press -> run finished, every chart redrawn",
                     f"{floor['done_ms']:.0f} ms", "(reference)", ""))
        rows.append(("    browser main thread busy per move", f"{floor['busy_ms']:.0f} ms", "(reference)", ""))
        rows.append(("    main thread work per move, short tasks too", f"{floor['cpu_ms']:.0f} ms", "(reference)", ""))
        for what, b in browser.items():
            if what == "floor page":
                continue
            r_score, r_done = b["score_ms"] / floor["score_ms"], b["done_ms"] / floor["done_ms"]
            rows.append((f"(b) {what}: key press -> score text", f"{b['score_ms']:.0f} ms (p90 {b['score_p90']:.0f})",
                         f"< {TARGET_SCORE_MS:g} ms", _ok(b["score_ms"] < TARGET_SCORE_MS)))
            rows.append(("    ratio to the floor page", f"{r_score:.2f}x", f"<= {TARGET_SCORE_RATIO:g}x",
                         _ok(r_score <= TARGET_SCORE_RATIO)))
            rows.append(("    key press -> tornado redrawn", f"{b['chart_ms']:.0f} ms (p90 {b['chart_p90']:.0f})",
                         f"< {TARGET_CHART_MS:g} ms", _ok(b["chart_ms"] < TARGET_CHART_MS)))
            rows.append(("    key press -> run finished, every chart redrawn", f"{b['done_ms']:.0f} ms", "", ""))
            rows.append(("    ratio to the floor page", f"{r_done:.2f}x", f"<= {TARGET_DONE_RATIO:g}x",
                         _ok(r_done <= TARGET_DONE_RATIO)))
            rows.append(("    browser main thread busy per move", f"{b['busy_ms']:.0f} ms", f"<= {TARGET_BUSY_MS:g} ms",
                         _ok(b["busy_ms"] <= TARGET_BUSY_MS)))
            rows.append(("    main thread work per move, short tasks too",
                         f"{b['cpu_ms']:.0f} ms ({b['cpu_ms'] / floor['cpu_ms']:.2f}x the floor)", "", ""))
    print(
        f"\nExplorer responsiveness: medians over {args.changes} slider changes (server) and "
        f"{args.presses} key presses (browser) per phase, after {WARMUP} untimed warm-up moves"
    )
    print(_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
