"""A team deployment in a real browser: two app servers on two ports, one PostgreSQL database.

A scenario saved in a browser on one server appears on the other after a reload, both ways;
a server of another workspace on the same database does not show it. Screenshots of every
page: test-output/browser/test_team_*.png.
"""

from __future__ import annotations

import re

import pytest
from browser_helpers import READY, REPO, VIEWPORT, ServerError, expect, full_page_screenshot, start_server
from explorer_page import EXCEPTION, finished, key_class

from aijri_core.store import bundled_role_key
from aijri_core.store.postgresql import PostgresStore

pytestmark = pytest.mark.browser

ROLE = bundled_role_key("ai-infrastructure-engineer")
WORKSPACE = "browser-team"
SCREENSHOTS = REPO / "test-output" / "browser"
PAGE_TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def team(postgres_cluster, playwright_api, tmp_path_factory):
    """Two servers of one workspace and one of another, all on the same new database."""
    url = postgres_cluster.new_database("team")
    workdir = tmp_path_factory.mktemp("aijri-team")
    servers = {}
    try:
        for name, workspace in (("one", WORKSPACE), ("two", WORKSPACE), ("other", "someone-else")):
            servers[name] = start_server("app.py", workdir, env={"AIJRI_DB": url, "AIJRI_WORKSPACE": workspace})
        yield url, {name: s.url for name, s in servers.items()}
    except ServerError as e:
        pytest.fail(str(e), pytrace=False)
    finally:
        for s in servers.values():
            s.stop()


def _open_scenarios(browser, base_url: str):
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{base_url}/scenarios")
    page.wait_for_selector(READY)
    expect(page.locator(key_class("save_scenario")).get_by_role("button")).to_be_visible()
    return page


def _save(page, name: str) -> None:
    page.locator(key_class("scenario_name")).get_by_role("textbox").fill(name)
    page.locator(key_class("save_scenario")).get_by_role("button").click()
    expect(page.get_by_text(f"Saved scenario '{name}'")).to_be_visible()
    finished(page)


def _saved_heading(page, count: int):
    return page.get_by_role("heading", name=re.compile(rf"^Saved scenarios \({count}\)$"))


def _grid_cell(page, text: str):
    """A cell of the saved-scenarios table: the grid is drawn on a canvas; its cells are kept
    for screen readers in an (invisible) table of the same text."""
    return page.locator("[data-testid='stDataFrame'] [role='gridcell']", has_text=re.compile(rf"^{re.escape(text)}$"))


def _reload(page) -> None:
    page.reload()
    page.wait_for_selector(READY)
    expect(page.locator(key_class("save_scenario")).get_by_role("button")).to_be_visible()
    finished(page)


def test_team_servers_share_one_library(browser, team):
    url, servers = team
    one = _open_scenarios(browser, servers["one"])
    two = _open_scenarios(browser, servers["two"])
    other = _open_scenarios(browser, servers["other"])
    try:
        expect(_saved_heading(two, 1)).to_have_count(0)

        _save(one, "Saved on server one")
        expect(_saved_heading(one, 1)).to_be_visible()
        _reload(two)
        expect(_saved_heading(two, 1)).to_be_visible()  # the other server reads the same database
        expect(_grid_cell(two, "Saved on server one")).to_be_attached()

        _save(two, "Saved on server two")
        _reload(one)
        expect(_saved_heading(one, 2)).to_be_visible()
        expect(_grid_cell(one, "Saved on server two")).to_be_attached()

        _reload(other)  # another workspace on the same database sees none of it
        expect(_saved_heading(other, 1)).to_have_count(0)
        expect(other.get_by_text("Saved on server one")).to_have_count(0)

        for page in (one, two, other):
            expect(page.locator(EXCEPTION)).to_have_count(0)
            expect(page.get_by_text("this session only")).to_have_count(0)
        assert PostgresStore(url, workspace=WORKSPACE).scenario_names(ROLE) == ["Saved on server one", "Saved on server two"]
        assert PostgresStore(url, workspace="someone-else").role_keys() == []
    finally:
        for suffix, page in (("one", one), ("two", two), ("other-workspace", other)):
            full_page_screenshot(page, SCREENSHOTS / f"test_team_servers_share_one_library-{suffix}.png")
            page.context.close()
