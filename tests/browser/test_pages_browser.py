"""Every page in a real browser (reached through the sidebar), and the scenarios CSV download."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_helpers import expect
from explorer_page import (
    EXCEPTION,
    SCORE,
    chart_signature,
    finished,
    key_class,
    open_app,
    press,
)

from aijri_core import apply_changes, get_value, score, set_value
from aijri_core.formats.scenarios_csv import scenarios_from_csv

pytestmark = pytest.mark.browser

ROLE = "bundled:ai-infrastructure-engineer"
#: The state the page tour starts from: a changed role, so every page must follow the changes.
TOUR_CHANGES = {"growth": 2, "evidence:job_postings": 0}
TOUR_LINK = "/?role=bundled%3Aai-infrastructure-engineer&ev.job_postings=0&growth=2"

#: (sidebar title, URL path, page heading, keys (or CSS selectors) of elements the page must show, chart keys)
PAGES = [
    (
        "Explorer",
        "",
        None,
        ["score_metric", "zone_text"],
        ["chart_scale", "chart_waterfall", "chart_tornado", "chart_zone_map"],
    ),
    ("Scenarios & trajectories", "scenarios", "Scenarios & trajectories", ["save_scenario"], []),
    ("Uncertainty", "uncertainty", "Uncertainty", ["mc_summary"], ["chart_histogram", "chart_importance"]),
    ("Board", "board", "Board", ["board_table", "board_search"], ["chart_board"]),
    ("Roles", "roles", "Roles", ["[data-testid='stDataFrame']"], ["chart_comparators"]),
    ("Methodology", "methodology", "Methodology", ["formula"], []),
]


def go_to(page, title: str, path: str) -> None:
    """Click a page's link in the sidebar navigation and wait for its finished run."""
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=title, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/{re.escape(path)}(\?|$)"))
    finished(page)


def expect_no_error(page, errors: list[str]) -> None:
    expect(page.locator(EXCEPTION)).to_have_count(0)
    expect(page.get_by_text("Traceback")).to_have_count(0)
    assert not errors, errors


@pytest.mark.parametrize(("title", "path", "heading", "keys", "charts"), PAGES, ids=[p[1] or "explorer" for p in PAGES])
def test_every_page_renders_without_an_exception(pages, base_url, seed_role, title, path, heading, keys, charts):
    page = pages.new_page()
    open_app(page, base_url + TOUR_LINK)
    expected = score(apply_changes(seed_role, TOUR_CHANGES))
    if path:  # leave the Explorer through the sidebar, as a user does
        go_to(page, title, path)
    else:  # from another page back to the Explorer
        go_to(page, "Roles", "roles")
        go_to(page, title, path)
    if heading:
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    for key in keys:  # a widget/container key, or a CSS selector
        selector = key if key.startswith("[") else key_class(key)
        expect(page.locator(selector).first).to_be_visible()
    for key in charts:
        chart = page.locator(key_class(key) + " .js-plotly-plot").last
        expect(chart).to_be_visible()
        assert chart_signature(page, key_class(key)), f"{title}: chart {key} has drawn nothing"
        expect(chart.locator(".gtitle")).not_to_have_text("")  # every chart has a title
    # The state followed the user from the Explorer: the sidebar shows the changed score (on the
    # Explorer itself, the score and the changes are on the page, which a move redraws alone).
    if path:
        sidebar = page.locator("[data-testid='stSidebarContent']")
        expect(sidebar).to_contain_text(f"Now {expected.score:.1f} {expected.zone_text}")
    else:
        expect(page.locator(key_class("score_metric"))).to_contain_text(f"{expected.score:.1f}")
        expect(page.get_by_text(re.compile(r"Your changes: \d+ inputs? changed"))).to_be_visible()
    expect_no_error(page, pages.errors)


def _save_scenario(page, name: str, note: str) -> None:
    page.locator(key_class("scenario_name")).get_by_role("textbox").fill(name)
    page.locator(key_class("scenario_note")).get_by_role("textbox").fill(note)
    page.locator(key_class("save_scenario")).get_by_role("button").click()
    # beside the form (and as a toast)
    expect(page.get_by_test_id("stAlertContentSuccess").get_by_text(f"Saved scenario '{name}'")).to_be_visible()
    finished(page)


def test_scenarios_csv_download_contains_the_saved_scenarios(pages, base_url, seed_role, tmp_path):
    page = pages.new_page()
    open_app(page, base_url)
    # Two states saved through the UI: growth up, then growth up and job postings down.
    press(page, "growth", "ArrowRight")
    first = apply_changes(seed_role, {"growth": 2})
    expect(page.locator(SCORE)).to_have_text(f"{score(first).score:.1f}")
    finished(page)
    go_to(page, "Scenarios & trajectories", "scenarios")
    _save_scenario(page, "Browser: growth +2", "saved by the browser test")

    go_to(page, "Explorer", "")
    press(page, "evidence:job_postings", "ArrowLeft")
    second = apply_changes(seed_role, {"growth": 2, "evidence:job_postings": 0})
    expect(page.locator(SCORE)).to_have_text(f"{score(second).score:.1f}")
    finished(page)
    go_to(page, "Scenarios & trajectories", "scenarios")
    _save_scenario(page, "Browser: growth +2, postings 0", "second, with a comma")

    # The saved scenarios table (st.dataframe draws no key class, so found by its heading).
    expect(page.get_by_role("heading", name=re.compile(r"^Saved scenarios \(\d+\)$"))).to_be_visible()
    expect(page.locator("[data-testid='stDataFrame']").first).to_be_visible()
    button = page.locator(key_class("download_csv")).get_by_role("button")
    expect(button).to_be_enabled()
    with page.expect_download() as download:
        button.click()
    finished(page)  # the click reruns the page
    expect(page.get_by_role("heading", name="Where the change comes from", exact=True)).to_have_count(1)
    path = Path(download.value.path())
    saved = tmp_path / download.value.suggested_filename
    path.replace(saved)
    assert saved.suffix == ".csv"
    data = saved.read_bytes()
    scenarios = {sc.name: sc for sc in scenarios_from_csv(data, seed_role)}
    assert set(scenarios) >= {"Browser: growth +2", "Browser: growth +2, postings 0"}
    assert scenarios["Browser: growth +2"].changes == pytest.approx({"growth": 2})
    assert scenarios["Browser: growth +2"].note == "saved by the browser test"
    assert scenarios["Browser: growth +2, postings 0"].changes == pytest.approx(
        {"growth": 2, "evidence:job_postings": 0}
    )
    expect_no_error(page, pages.errors)


@pytest.mark.slow
def test_the_installed_app_draws_the_explorer_charts(browser, wheel_install, seed_role):
    """`aijri app` from the wheel, outside the source tree: the Explorer's charts draw and follow a
    move, with plotly.js served by that server (from the installed plotly package)."""
    import subprocess
    import time

    from browser_helpers import VIEWPORT, free_port, health

    bin_dir, work, env = wheel_install
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = work / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(bin_dir / "aijri"), "app", "--server.port", str(port), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    context = browser.new_context(viewport=VIEWPORT)
    try:
        deadline = time.monotonic() + 90
        while health(url) != "ok":
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)  # polling a socket until the server listens
        page = context.new_page()
        scripts = []
        page.on("request", lambda r: scripts.append(r.url) if r.url.endswith("plotly.min.js") else None)
        open_app(page, url)
        moved = set_value(seed_role, "growth", get_value(seed_role, "growth") + 1)
        press(page, "growth", "ArrowRight")
        expect(page.locator(SCORE)).to_have_text(f"{score(moved).score:.1f}")
        finished(page)
        for key in ("chart_scale", "chart_waterfall", "chart_tornado", "chart_zone_map"):
            expect(page.locator(key_class(key) + " .js-plotly-plot .main-svg").first).to_be_visible()
        expect(page.locator(key_class("chart_tornado"))).to_contain_text(f"current {score(moved).score:.1f}")
        assert scripts and all(u.startswith(url + "/component/") for u in scripts), scripts
        expect(page.locator(EXCEPTION)).to_have_count(0)
    finally:
        context.close()
        server.terminate()  # `aijri app` became the server process
        server.wait(timeout=30)


#: Streamlit's own plotly chart code (its bundle carries a second copy of plotly.js, 4.7 MB).
STREAMLIT_PLOTLY_CHUNK = re.compile(r"/static/js/PlotlyChart\.[^/]*\.js")


def test_every_page_draws_its_charts_with_one_copy_of_plotly_js(pages, base_url):
    """Every page's charts go through aijri_ui.plot: the browser loads plotly.js once (the copy
    shipped with the plotly package) and never Streamlit's plotly chart chunk, on any page."""
    page = pages.new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    open_app(page, base_url)
    go_to(page, "Scenarios & trajectories", "scenarios")
    _save_scenario(page, "Browser: one plotly.js", "")
    tour = [("Scenarios & trajectories", "scenarios", ["chart_trajectory", "chart_attribution"]),
            *[(title, path, charts) for title, path, _, _, charts in PAGES if path != "scenarios"]]
    for title, path, charts in tour:
        go_to(page, title, path)
        for key in charts:
            chart = page.locator(key_class(key) + " .js-plotly-plot .main-svg").first
            expect(chart).to_be_visible()
            assert chart_signature(page, key_class(key)), f"{title}: chart {key} has drawn nothing"
        chunks = [url for url in fetched if STREAMLIT_PLOTLY_CHUNK.search(url)]
        assert not chunks, f"{title}: Streamlit's plotly chunk was fetched: {chunks}"
    copies = [url for url in fetched if url.split("?")[0].endswith("/plotly.min.js")]
    assert len(copies) == 1, copies
    expect_no_error(page, pages.errors)
