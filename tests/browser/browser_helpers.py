"""Plain helpers for driving the app in Chromium: start/stop the server, wait, screenshot.

No pytest here: tests/browser/conftest.py and bench/app.py both use these.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures in conftest.py skip (or fail) with an install hint
    expect = None

REPO = Path(__file__).resolve().parents[2]
#: Debian's Chromium; AIJRI_CHROMIUM points elsewhere (e.g. to try the "not installed" path).
CHROMIUM = (
    os.environ.get("AIJRI_CHROMIUM")
    or shutil.which("chromium")
    or shutil.which("chromium-browser")
    or "/usr/bin/chromium"
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1440, "height": 900}
#: A finished script run (Streamlit sets this attribute on the app root).
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
#: Generous: the machine is shared and a cold start imports streamlit, plotly and pandas.
SERVER_START_TIMEOUT_S = 60.0


class ServerError(RuntimeError):
    """The Streamlit server did not come up; the message carries its output."""


@dataclass
class Server:
    proc: subprocess.Popen
    url: str
    log_path: Path
    cmd: list[str]

    def output(self, tail: int = 4000) -> str:
        return self.log_path.read_text("utf-8", "replace")[-tail:]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health(url: str) -> str | None:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return r.read().decode("utf-8", "replace").strip()
    except (urllib.error.URLError, OSError):
        return None


def start_server(script: str, workdir: Path, env: dict[str, str] | None = None, base_path: str = "") -> Server:
    """`streamlit run <script>` from the repo root on a free port; returns once /_stcore/health is ok.

    ``workdir`` holds the server log; ``env`` is added to this process's environment;
    ``base_path`` (e.g. "team/aijri") serves the app under that path (``server.baseUrlPath``),
    and the returned url includes it.
    Raises ServerError with the server's output if it exits or does not answer in time.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}" + (f"/{base_path.strip('/')}" if base_path else "")
    full_env = dict(os.environ)
    full_env.update(env or {})
    full_env["PYTHONUNBUFFERED"] = "1"
    log_path = workdir / f"server-{port}.log"
    cmd = [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        *(["--server.baseUrlPath", base_path] if base_path else []),
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=REPO, env=full_env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(proc, url, log_path, cmd)
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while health(url) != "ok":
        exited = proc.poll() is not None
        if exited or time.monotonic() > deadline:
            if not exited:
                server.stop()
            state = f"exited with code {proc.returncode}" if exited else "did not answer"
            raise ServerError(
                f"Streamlit server {state} (waited up to {SERVER_START_TIMEOUT_S:.0f} s for {url}/_stcore/health); "
                f"command: {' '.join(cmd)} (in {REPO})\n--- server output ---\n{server.output()}"
            )
        time.sleep(0.1)  # polling a socket until the server listens
    return server


#: True when every chart on the page has drawn its newest figure. Every chart of the app has a
#: key "chart_..."; the Explorer's (aijri_ui.plot) mark their graph data-pending until drawn,
#: and they mount a little after the run has finished (Streamlit loads the component's code).
CHARTS_DRAWN_JS = """() => Array.from(document.querySelectorAll(
    "[data-testid='stElementContainer'][class*='st-key-chart_']:not([data-stale='true'])"))
  .every(box => box.querySelector('.js-plotly-plot .main-svg') && !box.querySelector('.aijri-plot[data-pending]'))"""


def wait_ready(page, timeout_ms: float | None = None) -> None:
    """Wait until the app has finished its current script run and every chart has drawn its figure."""
    page.wait_for_selector(READY, timeout=timeout_ms)
    page.wait_for_function(CHARTS_DRAWN_JS, timeout=timeout_ms)


def next_frames(page, n: int = 2) -> None:
    """Let the browser paint ``n`` animation frames (not a sleep: it ends when the frames are drawn)."""
    page.evaluate(
        """n => new Promise(resolve => {
            const step = k => k <= 0 ? resolve() : requestAnimationFrame(() => step(k - 1));
            step(n);
        })""",
        n,
    )


def full_page_screenshot(page, path: Path) -> None:
    """Screenshot of the whole app, not only the viewport.

    Streamlit scrolls inside its main section, so Playwright's full_page sees one viewport:
    the viewport is grown to the content height for the shot and restored after.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or VIEWPORT
    try:
        height = page.evaluate(
            """() => {
                const main = document.querySelector("[data-testid='stMain']");
                const side = document.querySelector("[data-testid='stSidebarContent']");
                return Math.max(document.documentElement.scrollHeight,
                                main ? main.scrollHeight : 0, side ? side.scrollHeight : 0);
            }"""
        )
        height = int(min(max(height, size["height"]), 16_000))
        if height > size["height"]:
            page.set_viewport_size({"width": size["width"], "height": height})
            next_frames(page, 3)
        page.screenshot(path=str(path), full_page=True)
    finally:
        if page.viewport_size != size:
            page.set_viewport_size(size)


# ---------------------------------------------------------------- accessibility (axe-core)


def axe_script() -> Path | None:
    """axe-core's script as the axe-playwright-python package ships it (the test extra installs
    it; no network at test time), or None when that package is missing."""
    try:
        import axe_playwright_python
    except ImportError:
        return None
    path = Path(axe_playwright_python.__file__).with_name("axe.min.js")
    return path if path.is_file() else None


def axe_violations(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core's violations of the page as it is now, of the given impacts, one line each:
    '<rule id> (<impact>): <target> - <summary>'."""
    script = axe_script()
    if script is None:
        raise RuntimeError("axe-core is missing: `pip install axe-playwright-python` (the test extra has it)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(script))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    out = []
    for v in found:
        if v.get("impact") not in impacts:
            continue
        for node in v["nodes"][:5]:
            summary = " ".join((node.get("failureSummary") or "").split())[:200]
            out.append(f"{v['id']} ({v['impact']}): {node['target']} - {summary}")
    return out
