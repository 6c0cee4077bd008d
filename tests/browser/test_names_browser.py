"""Names a user typed show exactly as typed in a real browser, wherever Streamlit reads Markdown.

A role whose title and task names are full of Markdown, math, colour, icon, emoji and HTML
syntax is saved in a throwaway store; the Explorer opens it by link. The title, every task's
name and the easiest change of zone must read as typed, with no formula, icon, link or
formatting made from them. Screenshot: test-output/browser/test_names_*.png.
"""

from __future__ import annotations

import string
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
from browser_helpers import REPO, VIEWPORT, ServerError, expect, full_page_screenshot, start_server
from explorer_page import EXCEPTION, finished, key_class, open_app

from aijri_core import bundled_role
from aijri_core.analyses import break_even
from aijri_core.store import open_store
from aijri_core.store.contract import stored_role_key

pytestmark = pytest.mark.browser

#: Each name carries syntax Streamlit's Markdown would act on (and all ASCII punctuation once).
HOSTILE = [
    "Budget $ and $ forecasts",
    "ML*Ops* **pipelines** _owned_ ~~old~~ `code`",
    ":red[alert] :material/lock: :smile: x^2",
    "<b>bold</b> [link](http://example.invalid) # not a heading",
    "1. not a list | C++ \\ 50% (ML/DS) {x} @team",
    "All ASCII punctuation " + string.punctuation,
]
TITLE = "Lead $ engineer *in* :blue[charge]"


def hostile_role():
    base = bundled_role("ai-infrastructure-engineer")
    tasks = [t.model_copy(update={"name": HOSTILE[i]}) if i < len(HOSTILE) else t for i, t in enumerate(base.tasks)]
    return base.model_copy(update={"title": TITLE, "tasks": tasks, "published": None})


@pytest.fixture(scope="module")
def hostile_app(playwright_api):
    role = hostile_role()
    with tempfile.TemporaryDirectory(prefix="aijri-names-") as tmp:
        db = Path(tmp) / "store.sqlite3"
        key = stored_role_key(open_store(db).save_role(role))
        try:
            server = start_server("app.py", Path(tmp), env={"AIJRI_DB": str(db)})
        except ServerError as e:
            pytest.fail(str(e), pytrace=False)
        try:
            yield f"{server.url}/?role={quote(key)}"
        finally:
            server.stop()


def test_titles_and_task_names_read_as_typed(browser, hostile_app):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    try:
        open_app(page, hostile_app)
        expect(page.locator(EXCEPTION)).to_have_count(0)
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        names = page.locator("[class*='st-key-task_details'] button [data-testid='stMarkdownContainer']").all_inner_texts()
        assert [n.strip() for n in names[:len(HOSTILE)]] == HOSTILE
        # screen readers hear each slider's task as typed too
        for name in HOSTILE:
            expect(page.get_by_role("slider", name=f"{name}: score")).to_have_count(1)
        main = page.locator("[data-testid='stMain']")
        # nothing of the names became a formula, a link, bold text, an icon or a coloured span
        expect(main.locator(".katex")).to_have_count(0)
        expect(main.locator("a[href='http://example.invalid']:visible")).to_have_count(0)
        expect(main.locator("[class*='st-key-task_details'] strong strong")).to_have_count(0)
        expect(main.locator("[class*='st-key-task_details'] [data-testid='stMarkdownContainer'] [data-testid='stIconMaterial']")).to_have_count(0)
        # the tornado's row names are the names as typed (plotly reads a few HTML tags in text),
        # in full on their lines (one text element a row, one tspan a line: read without the breaks)
        ticks = page.locator(key_class("chart_tornado") + " .ytick text").all_text_contents()
        assert any(t.replace(" ", "").startswith("<b>bold</b>[link](http://example.invalid)#") for t in ticks), ticks
        # the easiest change of zone names its input as typed too
        easiest = break_even(hostile_role()).easiest
        assert easiest.label.startswith(tuple(HOSTILE))  # a hostile name is in the answer to read
        expect(page.locator(key_class("easiest_flip"))).to_contain_text(f"{easiest.label} {easiest.direction} to")
        full_page_screenshot(page, REPO / "test-output" / "browser" / "test_names_explorer.png")
    finally:
        context.close()


def test_undo_brings_back_the_role_before(browser, hostile_app):
    """A move reruns only the Explorer's inputs and results; Undo of a change of role reruns
    the whole page, so the title and the sidebar follow."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    try:
        open_app(page, hostile_app)
        title = page.get_by_role("heading", level=1)
        expect(title).to_have_text(TITLE)
        page.locator(key_class("role_picker")).click()
        page.get_by_role("option", name="AI Infrastructure Engineer").click()
        expect(title).to_have_text("AI Infrastructure Engineer")
        finished(page)
        page.locator(key_class("undo")).get_by_role("button").click()
        expect(title).to_have_text(TITLE)
        finished(page)
        expect(page.locator(key_class("role_picker") + " input")).to_have_value(f"{TITLE} (saved)")
        expect(page.locator(EXCEPTION)).to_have_count(0)
    finally:
        context.close()
