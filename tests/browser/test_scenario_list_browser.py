"""The saved scenarios list in a real browser with a large library: paging and filtering (issue 20).

A server of its own serves a store holding 1,000 scenarios of the bundled role (written by
tests/big_store.py, 125 trajectories "Client 00000".."Client 00124" of 8 steps each, in that
order), so what a page shows is known from the fixture alone: page p holds scenarios
50(p-1) .. 50p-1. Zones are computed independently with the core (apply_changes + score).
"""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path

import pytest
from browser_helpers import expect, full_page_screenshot, start_server, wait_ready
from conftest import SCREENSHOTS
from explorer_page import EXCEPTION, key_class

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from big_store import STEPS, fill_sqlite, scenario_data  # noqa: E402

from aijri_core import apply_changes, bundled_role, score  # noqa: E402
from aijri_core.store import bundled_role_key  # noqa: E402

pytestmark = pytest.mark.browser

SLUG = "ai-infrastructure-engineer"
ROLE = bundled_role_key(SLUG)
N = 1000
PAGE_SIZE = 50


@pytest.fixture(scope="module")
def big_server(tmp_path_factory, playwright_api):
    workdir = tmp_path_factory.mktemp("aijri-big-store")
    db = workdir / "store.sqlite3"
    fill_sqlite(db, bundled_role(SLUG), ROLE, N)
    server = start_server("app.py", workdir, env={"AIJRI_DB": str(db)})
    try:
        yield server.url
    finally:
        server.stop()


def _caption(page):
    return page.get_by_text(re.compile(r"^Rows [\d,]+ to [\d,]+ of [\d,]+"))


def _trajectory_options(page) -> list[str]:
    """The Trajectory filter's options (the page's own trajectories), read from its open list."""
    page.locator(key_class("scenario_filter_trajectory")).get_by_role("combobox").click()
    page.keyboard.press("ArrowDown")  # a click may only focus the box; the arrow opens its list
    expect(page.get_by_role("option", name="All trajectories", exact=True)).to_be_visible()
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    return [o.strip() for o in options]


def _pick(page, key: str, option: str) -> None:
    """Choose a selectbox's option by typing its whole label."""
    page.locator(key_class(key)).get_by_role("combobox").click()
    page.keyboard.type(option)
    expect(page.get_by_role("option", name=option, exact=True)).to_be_visible()
    page.keyboard.press("Enter")
    wait_ready(page)


def _page_number(page, number: int) -> None:
    box = page.locator(key_class("scenario_page")).locator("input")
    box.fill(str(number))
    box.press("Enter")
    wait_ready(page)


def test_the_list_pages_and_filters_a_large_library(browser, big_server):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    errors: list[str] = []
    page = context.new_page()
    try:
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{big_server}/scenarios?role=bundled%3A{SLUG}")
        wait_ready(page, 60_000)
        expect(page.get_by_role("heading", name=f"Saved scenarios ({N:,})", exact=True)).to_be_visible()
        expect(page.locator(key_class("scenario_page"))).to_contain_text(f"Page (of {N // PAGE_SIZE})")
        expect(_caption(page)).to_have_text(f"Rows 1 to 50 of {N:,}.")
        # page 1 holds scenarios 0..49: trajectories Client 00000..Client 00006 (7 of them)
        first = [f"Client {c:05d}" for c in range(0, 50 // STEPS + 1)]
        assert _trajectory_options(page) == ["All trajectories", *first]

        # page 3: scenarios 100..149, i.e. Client 00012 (steps 5-8) .. Client 00018 (steps 1-6)
        _page_number(page, 3)
        expect(_caption(page)).to_have_text(f"Rows 101 to 150 of {N:,}.")
        assert _trajectory_options(page) == ["All trajectories", *[f"Client {c:05d}" for c in range(12, 19)]]

        # the last page
        _page_number(page, N // PAGE_SIZE)
        expect(_caption(page)).to_have_text(f"Rows 951 to 1,000 of {N:,}.")

        # a name filter goes back to page 1 and counts the matches in the store
        box = page.locator(key_class("scenario_filter_name")).locator("input")
        box.fill("client 0010")  # any case: Client 00100 .. Client 00109, 8 steps each
        box.press("Enter")
        wait_ready(page)
        expect(_caption(page)).to_have_text("Rows 1 to 50 of 80 matching the filters.")
        expect(page.locator(key_class("scenario_page"))).to_contain_text("Page (of 2)")
        assert _trajectory_options(page)[1:] == [f"Client {c:05d}" for c in range(100, 107)]
        _page_number(page, 2)
        expect(_caption(page)).to_have_text("Rows 51 to 80 of 80 matching the filters.")

        # a trajectory narrows to its 8 steps; the zone filter narrows the page's rows by score
        _pick(page, "scenario_filter_trajectory", "Client 00107")
        expect(_caption(page)).to_have_text("Rows 1 to 8 of 8 matching the filters.")
        base = bundled_role(SLUG)
        rows = [scenario_data(base, 107 * STEPS + s) for s in range(STEPS)]
        zones = [score(apply_changes(base, d["changes"])).zone.label for d in rows]
        zone = max(set(zones), key=zones.count)
        _pick(page, "scenario_filter_zone", zone)
        expect(_caption(page)).to_have_text(
            f"Rows 1 to 8 of 8 matching the filters; {zones.count(zone)} of this page's 8 in {zone}.")
        expect(page.locator(EXCEPTION)).to_have_count(0)
        assert not errors, errors
    finally:
        with contextlib.suppress(Exception):  # the shot must not hide the test's own result
            full_page_screenshot(page, SCREENSHOTS / "test_the_list_pages_and_filters_a_large_library.png")
        context.close()
