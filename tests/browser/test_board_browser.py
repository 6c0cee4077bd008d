"""The Board page in a real browser: filter the table, choose a row, land in the Explorer on
that role; a click on the chart's point does the same. The store holds two saved roles beside
the bundled one. Screenshot: test-output/browser/test_board_*.png."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from browser_helpers import REPO, VIEWPORT, ServerError, expect, full_page_screenshot, start_server, wait_ready
from explorer_page import EXCEPTION, SCORE, finished, key_class, open_app

from aijri_core import bundled_role, score
from aijri_core.store import open_store

pytestmark = pytest.mark.browser


def roles():
    seed = bundled_role("ai-infrastructure-engineer")
    low = seed.model_copy(update={"title": "Lower role", "growth_correlation": -2})
    far = seed.model_validate({**seed.model_dump(), "title": "Far lower role",
                               "tasks": [{**t.model_dump(), "score": 5} for t in seed.tasks]})
    return {"lower": low, "far": far}


@pytest.fixture(scope="module")
def board_app(playwright_api):
    with tempfile.TemporaryDirectory(prefix="aijri-board-") as tmp:
        db = Path(tmp) / "store.sqlite3"
        store = open_store(db)
        for name, role in roles().items():
            store.save_role(role, name=name)
        try:
            server = start_server("app.py", Path(tmp), env={"AIJRI_DB": str(db)})
        except ServerError as e:
            pytest.fail(str(e), pytrace=False)
        try:
            yield server.url
        finally:
            server.stop()


def open_board(page, url: str) -> None:
    open_app(page, url)
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Board", exact=True).click()
    expect(page.get_by_role("heading", name="Board", exact=True)).to_be_visible()
    finished(page)
    expect(page.locator(key_class("board_table"))).to_be_visible()


def expect_explorer_on(page, name: str) -> None:
    """The Explorer shows the saved role ``name``: its title as the heading, its score."""
    role = roles()[name]
    expect(page.get_by_role("heading", level=1)).to_have_text(role.title)
    finished(page)
    expect(page.locator(SCORE)).to_have_text(f"{score(role).score:.1f}")
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_filter_then_choose_a_row_opens_the_role(browser, board_app):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    try:
        open_board(page, board_app)
        search = page.locator(key_class("board_search")).get_by_role("textbox")
        search.fill("far lower")
        search.press("Enter")
        finished(page)
        expect(page.get_by_text("1 of 3 roles")).to_be_visible()
        full_page_screenshot(page, REPO / "test-output" / "browser" / "test_board_filtered.png")
        grid = page.locator(key_class("board_table") + " [data-testid='stDataFrameResizable']")
        box = grid.bounding_box()
        assert box, "the table is not drawn"
        # the selection column is the first one; the first data row sits under the 35 px header
        page.mouse.click(box["x"] + 14, box["y"] + 35 + 17)
        expect_explorer_on(page, "far")
    finally:
        context.close()


def test_a_click_on_a_point_opens_the_role(browser, board_app):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    try:
        open_board(page, board_app)
        chart = page.locator(key_class("chart_board") + " .js-plotly-plot").last
        expect(chart).to_be_visible()
        finished(page)
        # the RED trace holds one point: the far lower role
        points = chart.locator(".scatterlayer .trace .points path")
        expect(points).to_have_count(3)
        target = None
        for i in range(points.count()):
            p = points.nth(i)
            if "209, 73, 63" in (p.get_attribute("style") or ""):  # the RED zone colour
                target = p
        assert target is not None, "no RED point"
        target.scroll_into_view_if_needed()
        # the run has ended and every chart holds its newest figure: a click lands on the graph
        # that stays, not on one a later run is still redrawing
        finished(page)
        wait_ready(page)
        box = target.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        expect_explorer_on(page, "far")
    finally:
        context.close()
