"""A coach's session in a real browser: build a client's path, compare, hand out a printed report,
edit a role. Screenshots (1440x900 and 1280x720) and the printed pages: test-output/browser/."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from browser_helpers import REPO, expect
from explorer_page import SCORE, finished, key_class, open_app
from test_explorer_browser import OVERFLOW_JS
from test_pages_browser import expect_no_error, go_to

pytestmark = pytest.mark.browser

#: Where the browser tests keep their screenshots (as tests/browser/conftest.py does).
SCREENSHOTS = REPO / "test-output" / "browser"

#: Every text of every chart inside its own drawing, and no axis title over its tick labels.
CHART_TEXT_JS = """() => {
  const out = [];
  const overlap = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  document.querySelectorAll('.js-plotly-plot').forEach((plot, i) => {
    const svg = plot.querySelector('svg.main-svg').getBoundingClientRect();
    plot.querySelectorAll('.xtick text, .ytick text, .g-xtitle text, .g-ytitle text, .gtitle, .annotation-text')
      .forEach(t => {
        const r = t.getBoundingClientRect();
        if (!r.width) return;
        if (r.left < svg.left - 1 || r.right > svg.right + 1 || r.top < svg.top - 1 || r.bottom > svg.bottom + 1)
          out.push(`chart ${i}: '${t.textContent}' outside its chart`);
      });
    plot.querySelectorAll('.g-xtitle text').forEach(title => {
      const tr = title.getBoundingClientRect();
      plot.querySelectorAll('.xtick text').forEach(t => {
        if (t.textContent && overlap(tr, t.getBoundingClientRect()))
          out.push(`chart ${i}: axis title '${title.textContent}' over tick '${t.textContent}'`);
      });
    });
  });
  const main = document.querySelector('main');
  if (main && main.scrollWidth > main.clientWidth + 1) out.push(`page content ${main.scrollWidth} px wide`);
  return out;
}"""


def _fill(page, key: str, text: str) -> None:
    box = page.locator(key_class(key)).get_by_role("textbox")
    box.fill(text)
    box.press("Enter")
    finished(page)


def _pick(page, key: str, text: str) -> None:
    """Choose an option of a selectbox by typing part of its label."""
    page.locator(key_class(key)).get_by_role("combobox").click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    finished(page)


def _click(page, key: str) -> None:
    page.locator(key_class(key)).get_by_role("button").click()
    finished(page)


def _set_change(page, input_label: str, before: str, value: str) -> None:
    _pick(page, "builder_knob", input_label)
    number = page.locator(key_class("builder_value")).get_by_role("spinbutton")
    expect(number).to_have_value(before)  # the value in force at this step, once the pick's run is drawn
    number.fill(value)
    number.press("Enter")
    finished(page)
    _click(page, "builder_set")


def _chart_has(page, key: str, text: str):
    return expect(page.locator(key_class(key) + " .js-plotly-plot text", has_text=re.compile(rf"^{re.escape(text)}$"))
                  .first).to_be_visible()


def test_build_a_path_open_a_step_come_back_and_save(pages, base_url):
    page = pages.new_page()
    open_app(page, base_url)
    go_to(page, "Scenarios & trajectories", "scenarios")
    _fill(page, "builder_name", "Browser client")
    _set_change(page, "AI growth", "1", "2")
    _chart_has(page, "chart_builder", "51.8")  # growth +2: 51.8 (hand-checked in the unit tests)
    _click(page, "builder_add")
    name = page.locator(key_class("builder_step_name")).get_by_role("textbox")
    expect(name).to_have_value("Step 2")  # the new step is the one being edited
    _fill(page, "builder_step_name", "Year 2")
    expect(page.locator(key_class("builder_pick_1")).get_by_role("button")).to_have_text("Year 2")
    _set_change(page, "Job posting", "1", "0")
    _chart_has(page, "chart_builder", "49.8")  # ... then job postings 0 on top: 49.8
    success = page.get_by_test_id("stAlertContentSuccess")
    expect(success.filter(has_text="Year 2: Evidence: Job posting trends set to 0.")).to_be_visible()
    # a step in the Explorer, then back: the builder has kept its steps
    _click(page, "builder_open")
    expect(page).to_have_url(re.compile(r"/(\?|$)"))
    expect(page.locator(SCORE)).to_have_text("49.8")
    go_to(page, "Scenarios & trajectories", "scenarios")
    _chart_has(page, "chart_builder", "49.8")
    expect(page.locator(key_class("builder_step_name")).get_by_role("textbox")).to_have_value("Year 2")
    _click(page, "builder_save")
    expect(success.filter(has_text="Saved 'Browser client' as a trajectory of 3 scenarios")).to_be_visible()
    # the message is beside the Save button, not only at the top of the page
    message = success.filter(has_text="Saved 'Browser client'").bounding_box()
    button = page.locator(key_class("builder_save")).bounding_box()
    assert abs(message["y"] - button["y"]) < 120, (message, button)
    page.locator(key_class("chart_trajectory")).scroll_into_view_if_needed()
    finished(page)
    expect_no_error(page, pages.errors)


@pytest.mark.parametrize("viewport", [(1440, 900), (1280, 720)], ids=["1440x900", "1280x720"])
def test_scenarios_and_roles_pages_fit_the_screen(pages, base_url, viewport):
    width, height = viewport
    page = pages.new_page(viewport={"width": width, "height": height})
    open_app(page, base_url + "/?growth=2")
    go_to(page, "Scenarios & trajectories", "scenarios")
    for key in ("builder_save", "save_scenario", "download_csv"):
        page.locator(key_class(key)).scroll_into_view_if_needed()
    finished(page)
    found = page.evaluate(OVERFLOW_JS)
    assert found == [], "wider than their box:\n" + "\n".join(found)
    roles = pages.new_page(viewport={"width": width, "height": height})
    open_app(roles, base_url)
    go_to(roles, "Roles", "roles")
    roles.get_by_text("Create or edit a role").click()
    _pick(roles, "editor_source", "A copy of AI Infrastructure")
    _click(roles, "editor_load")
    expect(roles.get_by_test_id("stAlertContentSuccess").filter(has_text="This role scores 49.1")).to_be_visible()
    found = roles.evaluate(OVERFLOW_JS)
    assert found == [], "wider than their box:\n" + "\n".join(found)
    expect_no_error(roles, pages.errors)


def test_the_client_hand_out_prints_on_a4_without_clipping(pages, base_url):
    page = pages.new_page()
    open_app(page, base_url)
    go_to(page, "Scenarios & trajectories", "scenarios")
    _click(page, "load_trajectories")
    page.locator(key_class("handout_prepare")).scroll_into_view_if_needed()
    _pick(page, "handout_trajectory", "Seniority")
    _fill(page, "handout_title", "Alex: your path")
    page.locator(key_class("handout_prepare")).locator("label").click()  # a toggle (role "switch")
    finished(page)
    with page.expect_download() as download:
        page.locator(key_class("download_handout")).get_by_role("button").click()
    assert download.value.suggested_filename == "alex-your-path.html"  # named after the title
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    html_path = SCREENSHOTS / "handout.html"
    Path(download.value.path()).replace(html_path)
    text = html_path.read_text(encoding="utf-8")
    assert "<h1>Alex: your path</h1>" in text and "Junior (0-2 years)" in text and "Outlook" not in text

    report = pages.browser.new_context().new_page()
    report.goto(html_path.as_uri())
    report.wait_for_function(  # every chart drawn (each has x ticks)
        "Array.from(document.querySelectorAll('.plotly-graph-div')).every(d => d.querySelector('.xtick'))")
    report.emulate_media(media="print")
    report.set_viewport_size({"width": 703, "height": 1000})  # the printable width of A4 at 96 px/inch
    report.wait_for_timeout(300)
    problems = report.evaluate(CHART_TEXT_JS)
    assert problems == [], "\n".join(problems)
    pdf = SCREENSHOTS / "handout-a4.pdf"
    report.pdf(path=str(pdf), format="A4", print_background=True)
    letter = SCREENSHOTS / "handout-letter.pdf"
    report.pdf(path=str(letter), format="Letter", print_background=True)
    report.context.close()
    pages_in_pdf = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    # one trajectory's hand-out for a client: at most 4 pages on A4 and on Letter (no analyst appendix)
    assert 1 <= len(re.findall(rb"/Type\s*/Page[^s]", letter.read_bytes())) <= 4
    assert 1 <= pages_in_pdf <= 4, pages_in_pdf
    if shutil.which("pdftoppm"):  # the pages as pictures, to look at
        for old in SCREENSHOTS.glob("handout-a4-page-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(SCREENSHOTS / "handout-a4-page")], check=True)
        assert len(list(SCREENSHOTS.glob("handout-a4-page-*.png"))) == pages_in_pdf
    expect_no_error(page, pages.errors)


def _select_rows(page, nth: int, rows: list[int]) -> None:
    """Tick rows of the nth st.dataframe on the page (st.dataframe draws no key class); the grid
    is a canvas: a click in its row-marker column ticks the row."""
    grid = page.locator("[data-testid='stDataFrame']").nth(nth)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    row_height = 35  # Streamlit's default row height; the header row is as high
    for r in rows:
        page.mouse.click(box["x"] + 16, box["y"] + row_height * (r + 1) + row_height / 2)
        finished(page)


def test_compare_picked_rows_and_delete_them_after_confirming(pages, base_url):
    page = pages.new_page()
    open_app(page, base_url)
    go_to(page, "Scenarios & trajectories", "scenarios")
    _click(page, "load_trajectories")
    expect(page.get_by_test_id("stAlertContentSuccess").filter(has_text="illustrative scenario")).to_be_visible()
    _select_rows(page, 1, [0, 2])  # the saved scenarios (after the builder's steps table)
    expect(page.get_by_role("heading", name="Compare", exact=True)).to_be_visible()
    compare = page.locator(key_class("compare_table"))
    expect(compare).to_be_visible()
    expect(page.locator(key_class("chart_compare") + " .js-plotly-plot")).to_be_visible()
    compare.scroll_into_view_if_needed()
    finished(page)
    # with rows ticked, Delete asks first; Cancel keeps them
    _click(page, "scenario_delete")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("This cannot be undone")
    dialog.locator(key_class("cancel_delete")).get_by_role("button").click()
    finished(page)
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect_no_error(page, pages.errors)


def test_compare_six_scenarios_on_a_laptop_without_a_sideways_scroll(pages, base_url):
    page = pages.new_page(viewport={"width": 1280, "height": 720})
    open_app(page, base_url)
    go_to(page, "Scenarios & trajectories", "scenarios")
    _click(page, "load_trajectories")
    _select_rows(page, 1, [0, 1, 2, 3, 4, 5])
    compare = page.locator(key_class("compare_table"))
    expect(compare.locator("table thead th")).to_have_count(8)  # the row labels, the baseline, six scenarios
    compare.scroll_into_view_if_needed()
    finished(page)
    found = page.evaluate(OVERFLOW_JS)
    assert found == [], "wider than their box:\n" + "\n".join(found)
    table = compare.locator("table").bounding_box()
    main = page.get_by_test_id("stMainBlockContainer").bounding_box()
    assert table["x"] + table["width"] <= main["x"] + main["width"] + 1, (table, main)
    compare.screenshot(path=str(SCREENSHOTS / "compare-6-at-1280.png"))  # to look at
    expect_no_error(page, pages.errors)
