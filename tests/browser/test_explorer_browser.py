"""The Explorer in a real browser: load, keyboard sliders, URL state, shared links, bad links.

Expected numbers come from aijri_core (the same moves applied with knobs.set_value and
scored with scoring.score), never from the page itself.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from browser_helpers import VIEWPORT, ServerError, expect, start_server
from explorer_page import (
    EXCEPTION,
    SCORE,
    TORNADO,
    ZONE,
    SlowLink,
    chart_signature,
    finished,
    key_class,
    open_app,
    press,
    slider_value,
    wait_chart_changed,
)

from aijri_core import RoleAssessment, apply_changes, get_value, score, set_value, values
from aijri_core.analyses import tornado

pytestmark = pytest.mark.browser

GPU = "GPU cluster & training infrastructure management"
GPU_SCORE = f"task:{GPU}:score"
GPU_SHARE = f"task:{GPU}:share"


def _expect_score(page, assessment: RoleAssessment) -> None:
    """The page shows the core's published score and zone text for this assessment."""
    s = score(assessment)
    expect(page.locator(SCORE)).to_have_text(f"{s.score:.1f}")
    expect(page.locator(ZONE)).to_contain_text(s.zone_text)


def test_app_loads_with_the_published_score(page, base_url, seed_role):
    # The explorer works offline and tells no third party that it is being used.
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((base_url, "data:", "blob:")) else None)
    open_app(page, base_url)
    expect(page.locator(SCORE)).to_have_text("49.1")  # the published assessment, checked by hand
    expect(page.locator(ZONE)).to_contain_text("GREEN (Transforming)")
    _expect_score(page, seed_role)
    expect(page.locator(TORNADO + " .js-plotly-plot").last).to_be_visible()
    expect(page.locator(EXCEPTION)).to_have_count(0)
    # Hovering the tornado's top row (largest swing) shows the core's exact figures: one bar per end.
    top = tornado(seed_role).rows[0]
    finished(page)
    plot = page.locator(TORNADO + " .js-plotly-plot").last
    traces = plot.locator(".barlayer .trace")
    shown = []
    for i in range(traces.count()):
        bar = traces.nth(i).locator(".point path").last  # plotly draws the top row last
        bar.scroll_into_view_if_needed()
        box = bar.bounding_box()
        assert box, "a bar of the tornado's top row is not drawn"
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # plotly's drag layer covers bars
        hover = plot.locator(".hoverlayer .hovertext")
        expect(hover).to_contain_text(top.label[:20])  # long names are shortened on the chart
        shown.append(hover.text_content() or "")
        page.mouse.move(0, 0)
        expect(hover).to_have_count(0)
    for figure in (top.score_low, top.score_high):
        assert any(f"score {figure:.1f}" in text for text in shown), (figure, shown)
    assert outside == [], f"requests to other hosts: {sorted(set(outside))}"


#: Every element of the page whose content is wider than its box (clipped, cut short with an
#: ellipsis, or scrolling sideways), the Explorer's tables' scrollers included.
OVERFLOW_JS = """() => Array.from(document.querySelectorAll("[data-testid='stMain'] *, [data-testid='stMain']"))
  .filter(e => e.clientWidth > 2 && e.scrollWidth > e.clientWidth + 1)  // (1 px boxes: screen-reader-only text)
  .filter(e => !e.closest('svg'))
  .filter(e => { const s = getComputedStyle(e);
                 return s.overflowX !== 'visible' || s.textOverflow === 'ellipsis'; })  // content cut or scrolled
  .map(e => (e.getAttribute('data-testid') || e.className.baseVal || e.className || e.tagName)
            + ' [' + (e.innerText || '').slice(0, 40).replace(/\\n/g, ' ') + '] ' + e.scrollWidth + '>' + e.clientWidth)"""


#: Texts of a chart that cross one of its dotted threshold lines without a halo or a box behind
#: them: there the line would run through the glyphs.
TEXT_ON_LINE_JS = """(sel) => {
  const plot = Array.from(document.querySelectorAll(sel + ' .js-plotly-plot')).pop();
  if (!plot) return ['no chart ' + sel];
  const lines = Array.from(plot.querySelectorAll('.shapelayer path'))
    .filter(p => (getComputedStyle(p).strokeDasharray || 'none') !== 'none')
    .map(p => p.getBoundingClientRect());
  const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const covered = t => {
    if ((getComputedStyle(t).textShadow || 'none') !== 'none') return true;
    const note = t.closest('.annotation');
    const bg = note && note.querySelector('rect.bg');
    return !!bg && parseFloat(bg.style.fillOpacity || bg.getAttribute('fill-opacity') || '1') > 0.5
           && (bg.style.fill || '').indexOf('rgba(0, 0, 0, 0)') < 0;
  };
  return Array.from(plot.querySelectorAll('text'))
    .filter(t => (t.textContent || '').trim())
    .filter(t => lines.some(l => meets(t.getBoundingClientRect(), l)))
    .filter(t => !covered(t))
    .map(t => t.textContent);
}"""


#: The y tick labels of a chart that are cut (an ellipsis) or reach past the chart's left edge.
TICKS_CUT_JS = """(sel) => {
  const plot = Array.from(document.querySelectorAll(sel + ' .js-plotly-plot')).pop();
  if (!plot) return ['no chart ' + sel];
  const left = plot.getBoundingClientRect().left;
  return Array.from(plot.querySelectorAll('.ytick text'))
    .filter(t => t.textContent.includes('\u2026') || t.getBoundingClientRect().left < left - 0.5)
    .map(t => t.textContent + ' @' + Math.round(t.getBoundingClientRect().left - left));
}"""


@pytest.mark.parametrize("viewport", [(1280, 720), (1440, 900)], ids=["1280x720", "1440x900"])
def test_the_explorer_fits_a_laptop_screen(pages, base_url, viewport):
    """Nothing on the Explorer is wider than its box (tornado controls, toggles, tables, charts), and at
    1280x720 the score and its zone are in view without scrolling. Screenshots: test-output/browser/."""
    width, height = viewport
    page = pages.new_page(viewport={"width": width, "height": height})
    open_app(page, base_url + "/?t1.share=30&growth=0")  # a changed state: every table and note is drawn
    for selector in (SCORE, ZONE):
        box = page.locator(selector).bounding_box()
        assert box and box["y"] + box["height"] <= height and box["x"] + box["width"] <= width, (selector, box)
    page.locator(key_class("tornado_controls")).scroll_into_view_if_needed()
    finished(page)
    cut = page.evaluate(TICKS_CUT_JS, TORNADO)
    assert cut == [], f"tornado row names cut or outside the chart: {cut}"
    for tab, key in (("Goal seek", "goal_answer"), ("Response curves", "curve_knobs"),
                     ("What it takes to change zone", "easiest_flip")):  # each analysis in turn
        page.locator(key_class("analysis_tabs")).get_by_role("radio", name=tab, exact=True).click()
        page.locator(key_class(key)).scroll_into_view_if_needed()
        finished(page)
        found = page.evaluate(OVERFLOW_JS)
        assert found == [], f"{tab}: wider than their box:\n" + "\n".join(found)
    for chart in ("chart_scale", "chart_waterfall", "chart_tornado"):
        bare = page.evaluate(TEXT_ON_LINE_JS, key_class(chart))
        assert bare == [], f"{chart}: text on a dotted line with nothing behind it: {bare}"
    small = page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot text'))
        .filter(t => (t.textContent || '').trim() && parseFloat(getComputedStyle(t).fontSize) < 11)
        .map(t => t.textContent + ' ' + getComputedStyle(t).fontSize)""")
    assert small == [], f"chart text under 11 px: {small}"


#: Marks each chart's drawing (its SVG root) and, later, says which marks are gone. plotly keeps
#: the SVG root when it updates a chart in place, and makes a new one when it builds the chart anew.
MARK_CHARTS_JS = """(mark) => Array.from(document.querySelectorAll('.aijri-plot')).map(gd => {
  const svg = gd.querySelector('.main-svg');
  if (mark) { svg.__mark = true; return gd.closest('[class*="st-key-chart"]').className.match(/st-key-(\\S+)/)[1]; }
  return svg && svg.__mark ? 'kept' : 'rebuilt';
})"""


def test_a_move_updates_every_chart_in_place(page, base_url, seed_role):
    """Each chart gets the figure of the new inputs without being built again (aijri_ui.plot)."""
    open_app(page, base_url)
    charts = page.evaluate(MARK_CHARTS_JS, True)
    assert sorted(charts) == ["chart_scale", "chart_tornado", "chart_waterfall", "chart_zone_map"]
    moved = set_value(seed_role, "growth", get_value(seed_role, "growth") + 1)
    new = score(moved)
    press(page, "growth", "ArrowRight")
    _expect_score(page, moved)
    finished(page)
    # The new figures are drawn: the scale's marker, the waterfall's total and the tornado's axis.
    expect(page.locator(key_class("chart_scale"))).to_contain_text(f"{new.score:.1f}")
    expect(page.locator(key_class("chart_waterfall"))).to_contain_text(f"{new.score:.1f}")
    expect(page.locator(TORNADO)).to_contain_text(f"current {new.score:.1f}")
    assert page.evaluate(MARK_CHARTS_JS, False) == ["kept"] * 4
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_two_moves_that_cancel_out_leave_every_chart_drawn(page, base_url, seed_role):
    """A move and its reverse reach the browser together (messages held back, as on a slow
    network): the charts end on the figures they started with, drawn, with nothing pending."""
    link = SlowLink(page)
    open_app(page, base_url)
    before = chart_signature(page)
    link.hold()
    runs = link.runs_finished
    press(page, "growth", "ArrowLeft")
    link.wait_until(lambda: link.runs_finished > runs, "the server to finish the first move's run")
    press(page, "growth", "ArrowRight")
    link.wait_until(lambda: link.runs_finished > runs + 1, "the server to finish the second move's run")
    link.release()
    _expect_score(page, seed_role)
    finished(page)  # every chart has drawn its newest figure
    assert chart_signature(page) == before
    assert page.locator(".aijri-plot[data-pending]").count() == 0


def test_charts_draw_under_a_base_url_path(browser, tmp_path, seed_role):
    """A team serving the app under a path of its own (server.baseUrlPath) gets every chart:
    plotly.js comes from an address relative to the page, from this server only."""
    try:
        server = start_server("app.py", tmp_path, env={"AIJRI_DB": str(tmp_path / "store.sqlite3")},
                              base_path="team/aijri")
    except ServerError as e:
        pytest.fail(str(e), pytrace=False)
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    try:
        assert server.url.endswith("/team/aijri")
        scripts = []
        page.on("request", lambda r: scripts.append(r.url) if r.url.endswith("plotly.min.js") else None)
        open_app(page, server.url + "/")
        moved = set_value(seed_role, "growth", get_value(seed_role, "growth") + 1)
        press(page, "growth", "ArrowRight")
        _expect_score(page, moved)
        finished(page)
        for key in ("chart_scale", "chart_waterfall", "chart_tornado", "chart_zone_map"):
            expect(page.locator(key_class(key) + " .js-plotly-plot .main-svg").first).to_be_visible()
        expect(page.locator(TORNADO)).to_contain_text(f"current {score(moved).score:.1f}")
        assert scripts and all(u.startswith(server.url + "/component/") for u in scripts), scripts
        expect(page.locator(EXCEPTION)).to_have_count(0)
    finally:
        context.close()
        server.stop()


def test_keyboard_moves_change_score_and_redraw_tornado(page, base_url, seed_role):
    open_app(page, base_url)
    current = seed_role
    # One move of each kind: growth up, a task score down, a task share up, a barrier up.
    for knob_id, key, step in [
        ("growth", "ArrowRight", 1),
        (GPU_SCORE, "ArrowLeft", -1),
        (GPU_SHARE, "ArrowRight", 1),
        ("barrier:liability", "ArrowRight", 1),
    ]:
        before_value = get_value(current, knob_id)
        assert slider_value(page, knob_id) == pytest.approx(before_value)
        tornado_before = chart_signature(page)
        assert tornado_before, "the tornado chart has drawn nothing"
        current = set_value(current, knob_id, before_value + step)
        press(page, knob_id, key)
        _expect_score(page, current)
        # The tornado is computed around the current inputs: its axis line moves to the new score
        # and its bars are redrawn.
        expect(page.locator(TORNADO)).to_contain_text(f"current {score(current).score:.1f}")
        wait_chart_changed(page, tornado_before)
        finished(page)
        assert slider_value(page, knob_id) == pytest.approx(before_value + step)
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_reload_keeps_the_state(page, base_url, seed_role):
    open_app(page, base_url)
    press(page, "growth", "ArrowRight")
    press(page, "evidence:job_postings", "ArrowLeft")
    expected = apply_changes(seed_role, {"growth": 2, "evidence:job_postings": 0})
    _expect_score(page, expected)
    finished(page)
    # The URL carries the state once the run that changed it has finished.
    expect(page).to_have_url(re.compile(r"(?=.*[?&]growth=2(&|$))(?=.*[?&]ev\.job_postings=0(&|$))"))
    page.reload()
    finished(page)
    _expect_score(page, expected)
    assert slider_value(page, "growth") == 2
    assert slider_value(page, "evidence:job_postings") == 0
    # Reset to baseline: the published figures again, and a link that carries no changes.
    page.locator(key_class("reset_baseline")).get_by_role("button").click()
    _expect_score(page, seed_role)
    finished(page)
    expect(page).to_have_url(
        re.compile(r"\?role=bundled%3Aai-infrastructure-engineer$|\?role=bundled:ai-infrastructure-engineer$")
    )
    assert slider_value(page, "growth") == 1


def test_shared_link_opens_the_same_scenario(pages, base_url, seed_role):
    first = pages.new_page()
    open_app(first, base_url)
    press(first, GPU_SHARE, "ArrowRight")
    moved = set_value(seed_role, GPU_SHARE, 26)
    _expect_score(first, moved)
    finished(first)
    press(first, "barrier:regulatory", "ArrowRight")
    expected = set_value(moved, "barrier:regulatory", 1)
    _expect_score(first, expected)
    finished(first)
    expect(first).to_have_url(re.compile(r"(?=.*[?&]bar\.regulatory=1(&|$))(?=.*\.share=)"))
    link = first.url
    # the link names the share the user set, not the shares the rule derived from it
    assert {k for k in _query(first) if k.endswith(".share")} == {"t1.share"}

    other = pages.new_page()  # a colleague: a new browser context, nothing shared but the link
    open_app(other, link)
    _expect_score(other, expected)
    for kid, value in values(expected).items():
        assert slider_value(other, kid) == pytest.approx(value, abs=0.05), kid  # sliders show 1 decimal
    assert chart_signature(other) == chart_signature(first)


def test_moves_made_before_the_last_result_arrived_keep_the_shares(page, base_url, seed_role):
    """A move made before the browser has seen the previous move's result must not bend the shares.

    The server's messages are held back until the second key press has gone out: what a slow
    network does (the server finished the first move, the browser has not drawn it yet).
    """
    link = SlowLink(page)
    open_app(page, base_url)
    link.hold()
    runs = link.runs_finished
    press(page, GPU_SHARE, "ArrowRight")
    link.wait_until(lambda: link.runs_finished > runs, "the server to finish the share move's run")
    sent = link.sent
    press(page, "barrier:regulatory", "ArrowRight")  # the browser still shows the old shares
    link.wait_until(lambda: link.sent > sent, "the browser to send the second move")
    link.release()
    expected = apply_changes(set_value(seed_role, GPU_SHARE, 26), {"barrier:regulatory": 1})
    _expect_score(page, expected)
    finished(page)
    press(page, "growth", "ArrowLeft")  # a later, unrelated move must leave the shares alone
    expected = set_value(expected, "growth", 0)
    _expect_score(page, expected)
    finished(page)
    # the link names the share the user set; opening it gives exactly these shares
    query = parse_qs(urlsplit(page.url).query)
    assert {k: v for k, v in query.items() if k.endswith(".share")} == {"t1.share": ["26"]}
    for kid, v in values(expected).items():
        if kid.endswith(":share"):
            assert slider_value(page, kid) == pytest.approx(v, abs=0.05), kid


def _link(base_url: str, **params: str) -> str:
    return f"{base_url}/?{urlencode(params)}"


ROLE = "bundled:ai-infrastructure-engineer"


@pytest.mark.parametrize(
    "params",
    [
        {"role": ROLE, "growth": "banana"},  # not a number
        {"role": ROLE, "growth": "7"},  # out of range
        {"role": ROLE, "t99.score": "3"},  # no such task
        {"role": "bundled:no-such-role", "growth": "2"},  # unknown role
        {"role": ROLE, "m.green_threshold": "10", "m.yellow_threshold": "90"},  # thresholds out of order
    ],
    ids=["not-a-number", "out-of-range", "no-such-task", "unknown-role", "bad-method"],
)
def test_tampered_link_shows_a_message_and_the_baseline(page, base_url, seed_role, params):
    open_app(page, _link(base_url, **params))
    alert = page.get_by_role("alert").filter(has_text="could not be opened")
    expect(alert).to_be_visible()
    _expect_score(page, seed_role)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    expect(page.get_by_text("Traceback")).to_have_count(0)
    # The fallback is a valid state: the URL is rewritten to the baseline.
    query = parse_qs(urlsplit(page.url).query)
    assert query.get("role") == [ROLE]
    assert set(query) == {"role"}


# ------------------------------------------------------------------ undo, Back, accessible names


def _query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(page.url).query).items()}


def test_back_brings_back_each_earlier_state(page, base_url, seed_role):
    """Three Back presses after three slider moves: each shows the state before, URL and page alike."""
    open_app(page, base_url)
    states = [seed_role]
    for knob_id, key, step in [("growth", "ArrowRight", 1), ("evidence:job_postings", "ArrowLeft", -1),
                               ("barrier:union", "ArrowRight", 1)]:
        states.append(set_value(states[-1], knob_id, get_value(states[-1], knob_id) + step))
        press(page, knob_id, key)
        _expect_score(page, states[-1])
        finished(page)
    expect(page).to_have_url(re.compile(r"bar\.union=1"))
    for expected in reversed(states[:-1]):
        page.go_back()
        _expect_score(page, expected)
        finished(page)
        for kid in ("growth", "evidence:job_postings", "barrier:union"):
            assert slider_value(page, kid) == get_value(expected, kid), kid
    assert _query(page) == {}  # the address the test opened, unchanged
    page.go_forward()
    _expect_score(page, states[1])
    finished(page)
    assert _query(page) == {"role": ROLE, "growth": "2"}
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_undo_and_redo_buttons_and_keys(page, base_url, seed_role):
    open_app(page, base_url)
    press(page, "growth", "ArrowRight")
    moved = set_value(seed_role, "growth", 2)
    _expect_score(page, moved)
    finished(page)
    page.keyboard.press("Control+z")  # focus is still on the slider
    _expect_score(page, seed_role)
    finished(page)
    assert slider_value(page, "growth") == 1
    page.keyboard.press("Control+Shift+z")
    _expect_score(page, moved)
    finished(page)
    page.locator(key_class("undo")).get_by_role("button").click()
    _expect_score(page, seed_role)
    finished(page)
    assert slider_value(page, "growth") == 1


def test_each_slider_is_named_after_its_task_or_rating(page, base_url, seed_role):
    open_app(page, base_url)
    # (Streamlit labels the slider by its own label and its group's, so the name holds the label twice)
    for t in seed_role.tasks:
        expect(page.get_by_role("slider", name=f"{t.name}: score")).to_have_count(1)
        expect(page.get_by_role("slider", name=f"{t.name}: time %")).to_have_count(1)
    expect(page.get_by_role("slider", name="Evidence: Job posting trends")).to_have_count(1)
    expect(page.get_by_role("slider", name="Barrier: Liability")).to_have_count(1)
    expect(page.get_by_role("slider", name=re.compile(r"^(Score|Time %)$"))).to_have_count(0)
    # the direction of the ratings is written beside them
    expect(page.get_by_text("+ = more protective, raises the score").first).to_be_visible()
    # tab stops in the inputs panel: one per slider and one per task (its name, which opens its
    # rationale and the lock of its share); nothing else (no help per slider, no group headers)
    stops = page.evaluate("""() => Array.from(document.querySelector('.st-key-inputs_panel')
        .querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]'))
        .filter(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length)
        .map(e => e.type === 'range' ? 'slider' : e.getAttribute('role') === 'switch' ? 'lock'
                  : e.tagName === 'SUMMARY' ? 'group' : 'other:' + (e.innerText || e.tagName).split('\\n')[0].trim())""")
    n_tasks = len(seed_role.tasks)
    assert stops.count("slider") == 2 * n_tasks + 11  # score and time per task; 5 evidence, 5 barriers, growth
    others = [x for x in stops if x != "slider"]
    assert others == [f"other:{t.name}" for t in seed_role.tasks], others  # each task's details, in task order
    assert len(stops) == 2 * n_tasks + 11 + n_tasks
    # a task's name opens its rationale and the lock of its share
    page.locator(".st-key-inputs_panel").get_by_role("button", name=GPU).click()
    lock = page.get_by_role("switch", name="Lock this task's share of time")
    expect(lock).to_be_visible()
    expect(page.get_by_text(seed_role.tasks[0].rationale[:40])).to_be_visible()
    # switching the lock with the keyboard keeps the details open and the focus on the switch,
    # and the task's share slider says the share is set
    share = page.get_by_role("slider", name=f"{GPU}: time %")
    expect(share).to_have_attribute("aria-valuetext", "25.0")
    lock.focus()
    page.keyboard.press("Space")
    expect(share).to_have_attribute("aria-valuetext", "25.0 (set)")
    finished(page)
    expect(lock).to_be_checked()
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "switch"
    page.keyboard.press("Space")  # and off again
    expect(share).to_have_attribute("aria-valuetext", "25.0")
    finished(page)
    expect(lock).not_to_be_checked()
    page.keyboard.press("Escape")
    expect(lock).to_have_count(0)
    # keyboard focus on a slider draws a visible ring
    slider = page.get_by_role("slider", name=f"{GPU}: score")
    slider.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    ring = page.evaluate(
        """() => {
             const el = document.activeElement;
             if (!el || el.type !== 'range' || !el.matches(':focus-visible')) return null;
             for (let box = el; box && box !== document.body; box = box.parentElement) {
               const s = getComputedStyle(box);
               if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) return s.outlineStyle + ' ' + s.outlineWidth;
             }
             return 'no ring';
           }"""
    )
    assert ring and ring.startswith("solid") and not ring.endswith(" 0px"), ring


def test_clicking_a_tornado_bar_draws_that_inputs_response_curve(page, base_url, seed_role):
    open_app(page, base_url)
    top = tornado(seed_role).rows
    pick = top[9]  # a row outside the default three curves
    plot = page.locator(TORNADO + " .js-plotly-plot").last
    # plotly draws the top row last: the row's bar is at index (rows shown - 1 - rank)
    shown = plot.locator(".barlayer .trace").nth(1).locator(".point path")
    bar = shown.nth(shown.count() - 1 - 9)
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    assert box, "the bar is not drawn"
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    curves = page.locator(key_class("chart_curves"))
    expect(page.locator(key_class("curve_knobs"))).to_contain_text(pick.label)
    finished(page)
    expect(curves.locator(".legend")).to_contain_text(pick.label[:20])
    expect(page.locator(EXCEPTION)).to_have_count(0)
    # the curves, drawn below the fold, are scrolled into view (the whole chart when it fits)
    chart = curves.locator(".js-plotly-plot").last
    expect(chart).to_be_in_viewport(ratio=0.9)
    # once per click: with the curves below the fold again, drawing them anew (another analysis
    # and back) leaves the page where it is
    tabs = page.locator(key_class("analysis_tabs"))
    tabs.evaluate("e => e.scrollIntoView({block: 'end'})")
    expect(chart).not_to_be_in_viewport(ratio=0.9)
    y = tabs.bounding_box()["y"]
    for tab in ("Goal seek", "Response curves"):
        tabs.get_by_role("radio", name=tab, exact=True).click()
        finished(page)
    expect(curves.locator(".legend")).to_contain_text(pick.label[:20])
    assert abs(tabs.bounding_box()["y"] - y) < 2
