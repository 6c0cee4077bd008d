"""A link past Streamlit's limits in a real browser: Streamlit drops such a query string whole
before the app sees it (more than 1,000 parameters), so only the page can tell. The app says
so next to the role instead of showing the baseline without a word. Screenshot:
test-output/browser/test_a_link_*.png."""

from __future__ import annotations

import pytest
from browser_helpers import expect
from explorer_page import EXCEPTION, open_app, score_text

pytestmark = pytest.mark.browser

ROLE = "bundled%3Aai-infrastructure-engineer"


def test_a_link_with_too_many_parameters_says_it_was_not_opened(page, base_url):
    # growth=2 would move the score (49.1 -> 51.8, as the core computes it); 1,200 tracking tags push it past 1,000 parameters
    tags = "&".join(f"utm_{i}=x" for i in range(1200))
    open_app(page, f"{base_url}/?role={ROLE}&growth=2&{tags}")
    sidebar = page.locator("[data-testid='stSidebar']")
    alert = sidebar.locator("[data-testid='stAlert']")
    expect(alert).to_have_text(
        "This link has 1,202 parameters; a link may carry at most 1,000, so it was not opened: "
        "the role's baseline is shown.")
    assert score_text(page).startswith("49.1")
    expect(page.locator(EXCEPTION)).to_have_count(0)
    # the message is one, and the check says nothing for a link Streamlit reads
    expect(alert).to_have_count(1)
    open_app(page, f"{base_url}/?role={ROLE}&growth=2")
    expect(sidebar.locator("[data-testid='stAlert']")).to_have_count(0)
    assert score_text(page).startswith("51.8")
    # a long link within the limits opens as usual (its unknown tags are ignored), with no message
    open_app(page, f"{base_url}/?role={ROLE}&growth=2&" + "&".join(f"utm_{i}=x" for i in range(900)))
    assert score_text(page).startswith("51.8")
    expect(sidebar.locator("[data-testid='stAlert']")).to_have_count(0)
