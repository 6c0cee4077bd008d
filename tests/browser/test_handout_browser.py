"""The client hand-out printed by Chromium: one trajectory fits on at most 4 pages of A4 and of
Letter, every chart's text stays inside its chart, and axe-core finds no serious or critical
problem. The printed pages are kept as PNGs to look at: test-output/browser/handout-*.png."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser_helpers import REPO, axe_script, axe_violations

sys.path.insert(0, str(REPO / "tests"))
from test_report import coach_path  # noqa: E402 - the client's path of the unit tests

from aijri_core import bundled_role  # noqa: E402
from aijri_core.formats.report import render_report_html  # noqa: E402

pytestmark = pytest.mark.browser

OUT = REPO / "test-output" / "browser"
#: Chart texts outside their chart, and the page wider than its box (the coach's browser test has the same check).
from test_coach_browser import CHART_TEXT_JS  # noqa: E402


def _pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def _print(browser, html: str, name: str) -> dict[str, int]:
    """Open the hand-out, check its charts and accessibility, print it on A4 and Letter; pages per format."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_function(
            "Array.from(document.querySelectorAll('.plotly-graph-div')).every(d => d.querySelector('.xtick'))")
        if axe_script() is not None:
            problems = axe_violations(page)
            assert problems == [], "axe-core:\n" + "\n".join(problems)
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 703, "height": 1000})  # the printable width of A4 at 96 px/inch
        page.wait_for_timeout(300)
        problems = page.evaluate(CHART_TEXT_JS)
        assert problems == [], "\n".join(problems)
        counts = {}
        for fmt in ("A4", "Letter"):
            pdf = OUT / f"{name}-{fmt.lower()}.pdf"
            page.pdf(path=str(pdf), format=fmt, print_background=True)
            counts[fmt] = _pages(pdf)
            if shutil.which("pdftoppm"):  # the pages as pictures, to look at
                for old in OUT.glob(f"{name}-{fmt.lower()}-*.png"):
                    old.unlink()
                subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(OUT / f"{name}-{fmt.lower()}")],
                               check=True)
        assert errors == []
        return counts
    finally:
        context.close()


def test_one_trajectory_prints_on_at_most_four_pages(browser):
    if axe_script() is None:
        pytest.skip("axe-core is missing: `pip install axe-playwright-python` (the test extra has it)")
    seed = bundled_role("ai-infrastructure-engineer")
    html = render_report_html(seed, coach_path(), title="Alex: your path",
                              note="We talked about where your work is heading.\n\nNext: try the cost reviews.",
                              date=datetime.date(2026, 12, 1))
    counts = _print(browser, html, "handout")
    print(f"hand-out pages: {counts}")
    assert 1 <= counts["A4"] <= 4 and 1 <= counts["Letter"] <= 4, counts


def test_the_analyst_appendix_prints_after_the_client_pages(browser):
    if axe_script() is None:
        pytest.skip("axe-core is missing: `pip install axe-playwright-python` (the test extra has it)")
    seed = bundled_role("ai-infrastructure-engineer")
    client = _print(browser, render_report_html(seed, coach_path(), title="Alex: your path"), "handout-client")
    full = _print(browser, render_report_html(seed, coach_path(), title="Alex: your path", appendix=True),
                  "handout-appendix")
    print(f"client pages: {client}, with the appendix: {full}")
    assert full["A4"] > client["A4"] and full["Letter"] > client["Letter"]
