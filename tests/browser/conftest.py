"""Real-browser fixtures: one Streamlit server per session, one Chromium, a fresh context per test.

The server runs `streamlit run app.py` from the repository root on a free port with its own
temporary scenario store (env AIJRI_DB), so a test run never touches the user's data.
Chromium is Debian's (/usr/bin/chromium) driven by the playwright pip package.

Without Chromium or playwright the browser tests skip with an install hint, unless
AIJRI_REQUIRE_BROWSER=1 (CI sets it), where they fail instead.

Each test gets fresh browser contexts (`page`, or `pages.new_page()` for several): a context is
a separate Chromium profile in memory (own cookies, storage, cache), so nothing leaks between
tests. Every page a test opened is saved as a full-page screenshot at
test-output/browser/<test name>.png (then <test name>-2.png, ...), viewport 1440x900, also
when the test fails.

Environment: AIJRI_REQUIRE_BROWSER=1 (fail instead of skip), AIJRI_CHROMIUM (browser path),
AIJRI_BROWSER_APP (serve another script, e.g. bench/minimal_page.py, to try the fixtures).
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import (
    ARGS,
    CHROMIUM,
    READY,
    REPO,
    VIEWPORT,
    ServerError,
    full_page_screenshot,
    start_server,
)

SCREENSHOTS = REPO / "test-output" / "browser"
#: The script the server runs (relative to the repo root); overridable to try the fixtures on another page.
APP_SCRIPT = os.environ.get("AIJRI_BROWSER_APP", "app.py")
#: Default timeout for waits inside a page (ms). A rerun takes well under a second here.
PAGE_TIMEOUT_MS = 20_000
INSTALL_HINT = (
    "real-browser tests need Chromium and the playwright pip package: "
    "`apt-get install -y chromium` (as root) and `pip install playwright` "
    "(no `playwright install` needed)"
)


def _browser_required() -> bool:
    return os.environ.get("AIJRI_REQUIRE_BROWSER", "") == "1"


def _missing(reason: str) -> None:
    message = f"{reason}; {INSTALL_HINT}"
    if _browser_required():
        pytest.fail(f"AIJRI_REQUIRE_BROWSER=1 but {message}", pytrace=False)
    pytest.skip(f"{message}; with AIJRI_REQUIRE_BROWSER=1 this is a failure")


@pytest.fixture(scope="session")
def playwright_api():
    """The sync playwright API module, or a skip/fail naming how to install it."""
    try:
        from playwright import sync_api
    except ImportError:
        _missing("the playwright pip package is not installed")
    if not Path(CHROMIUM).exists():
        _missing(f"Chromium is not installed (looked for `chromium` on PATH and {CHROMIUM})")
    sync_api.expect.set_options(timeout=PAGE_TIMEOUT_MS)
    return sync_api


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory, playwright_api) -> Iterator[str]:
    """Base URL of `streamlit run app.py` on a free port with a throwaway store (env AIJRI_DB)."""
    if not (REPO / APP_SCRIPT).exists():
        pytest.fail(f"{REPO / APP_SCRIPT} does not exist: the browser tests need the Streamlit app", pytrace=False)
    workdir = tmp_path_factory.mktemp("aijri-server")
    try:
        server = start_server(APP_SCRIPT, workdir, env={"AIJRI_DB": str(workdir / "store.sqlite3")})
    except ServerError as e:
        pytest.fail(str(e), pytrace=False)
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser(playwright_api):
    """One headless Chromium for the session (contexts are fresh per test)."""
    pw = playwright_api.sync_playwright().start()
    try:
        try:
            b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except playwright_api.Error as e:
            _missing(f"Chromium at {CHROMIUM} did not start ({str(e).splitlines()[0]})")
        yield b
        b.close()
    finally:
        pw.stop()


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")


class Pages:
    """Opens pages in fresh browser contexts for one test and screenshots them at the end."""

    def __init__(self, browser, base_url: str, test_name: str):
        self.browser = browser
        self.base_url = base_url
        self.test_name = _safe_name(test_name)
        self.opened: list = []
        self.errors: list[str] = []

    def new_page(self, viewport: dict | None = None):
        context = self.browser.new_context(viewport=viewport or VIEWPORT, accept_downloads=True)
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        page = context.new_page()
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.opened.append(page)
        return page

    def screenshot_all(self) -> list[Path]:
        paths = []
        for i, page in enumerate(self.opened):
            suffix = "" if i == 0 else f"-{i + 1}"
            path = SCREENSHOTS / f"{self.test_name}{suffix}.png"
            try:
                with contextlib.suppress(Exception):  # a page still running is shot as it is
                    page.wait_for_selector(READY, timeout=10_000)
                full_page_screenshot(page, path)
                paths.append(path)
            except Exception as e:  # a failed shot must not hide the test's own result
                print(f"screenshot {path} failed: {e}", file=sys.stderr)
        return paths

    def close(self) -> None:
        for page in self.opened:
            page.context.close()


@pytest.fixture
def pages(browser, app_server, request) -> Iterator[Pages]:
    """Factory for pages in fresh contexts; all of them are screenshotted at teardown."""
    p = Pages(browser, app_server, request.node.name)
    yield p
    p.screenshot_all()
    p.close()


@pytest.fixture
def page(pages: Pages):
    """A page in a fresh browser context (its own cookies, storage and session)."""
    return pages.new_page()


@pytest.fixture
def base_url(app_server: str) -> str:
    return app_server
