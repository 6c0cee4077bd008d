"""axe-core on every page of the app (and test_handout_browser.py on the hand-out): no serious or
critical violation. axe-core comes from the axe-playwright-python package (the test extra), so
the check needs no network."""

from __future__ import annotations

import pytest
from browser_helpers import axe_script, axe_violations
from explorer_page import finished, open_app
from test_pages_browser import expect_no_error, go_to

pytestmark = pytest.mark.browser

#: (sidebar title, url path); "" is the Explorer.
APP_PAGES = [("Explorer", ""), ("Scenarios & trajectories", "scenarios"), ("Uncertainty", "uncertainty"),
             ("Board", "board"), ("Roles", "roles"), ("Methodology", "methodology")]


@pytest.mark.parametrize(("title", "path"), APP_PAGES, ids=[p[1] or "explorer" for p in APP_PAGES])
def test_no_serious_or_critical_accessibility_problem(pages, base_url, title, path):
    if axe_script() is None:
        pytest.skip("axe-core is missing: `pip install axe-playwright-python` (the test extra has it)")
    page = pages.new_page()
    open_app(page, base_url + "/?growth=2")
    if path:
        go_to(page, title, path)
    page.wait_for_function("document.querySelectorAll('input[type=range]').length > 0 || location.pathname.length > 1")
    finished(page)
    page.wait_for_timeout(500)
    problems = axe_violations(page)
    print(f"axe {title}: {len(problems)} serious/critical")
    assert problems == [], f"axe-core on {title}:\n" + "\n".join(problems)
    expect_no_error(page, pages.errors)


#: What has keyboard focus: its accessible label (or text) and its kind.
FOCUSED_JS = """() => { const e = document.activeElement;
  return [(e.getAttribute('aria-label') || e.innerText || '').trim(), e.getAttribute('type') || e.tagName]; }"""


def test_sliders_are_named_once_and_undo_comes_before_them_in_tab_order(pages, base_url):
    page = pages.new_page()
    open_app(page, base_url + "/?growth=2&t6.score=4")
    page.wait_for_function("document.querySelectorAll('input[type=range]').length > 10")
    finished(page)
    page.wait_for_timeout(500)
    snapshot = page.get_by_test_id("stMain").aria_snapshot()
    # a task's details button is named by its words, not its Markdown
    assert 'button "Monitoring, observability & incident response (changed)"' in snapshot
    assert not [line for line in snapshot.splitlines() if "button" in line and ("**" in line or "\\" in line)]
    sliders = [line for line in snapshot.splitlines() if "slider " in line]
    assert len(sliders) > 10
    for line in sliders:  # e.g. slider "AI growth correlation": "2", not the name twice
        name = line.split('slider "', 1)[1].split('"', 1)[0]
        half = len(name) // 2
        assert name[:half].strip() != name[half:].strip(), line
    # Tab from the top: Reset (above the sliders) is reached before the first slider
    stops = []
    for _ in range(40):
        page.keyboard.press("Tab")
        stops.append(tuple(page.evaluate(FOCUSED_JS)))
    kinds = [k for _, k in stops]
    reset = next(i for i, (text, _) in enumerate(stops) if text.endswith("Reset"))
    assert reset < kinds.index("range"), stops
    expect_no_error(page, pages.errors)
