"""How the browser tests find things in the app: one place to change if the app's layout moves.

Hooks used (documented as stable in pages/explorer.py and aijri_ui/state.py):
  container keys  score_metric, zone_text, chart_tornado, chart_scale, chart_waterfall, chart_zone_map
  widget keys     knob:<knob id> (sliders), role_picker, reset_baseline
Streamlit renders a key as the CSS class ``st-key-<key>`` with every character outside
[A-Za-z0-9_-] replaced by "-".
"""

from __future__ import annotations

import re

from browser_helpers import wait_ready

#: A script run in progress.
RUNNING = "[data-testid='stApp'][data-test-script-state='running']"
#: A page's own text that must never show (an uncaught exception in a script).
EXCEPTION = "[data-testid='stException']"


def key_class(key: str) -> str:
    """CSS selector of the element Streamlit drew for a widget/container key in the current run.

    During a rerun Streamlit may keep the previous run's element (data-stale="true") beside
    the new one when an element moved; the stale one is left out.
    """
    return ".st-key-" + re.sub(r"[^A-Za-z0-9_-]", "-", key) + ":not([data-stale='true'])"


#: Fresh (not stale) element containers only.
FRESH = "[data-testid='stElementContainer']:not([data-stale='true'])"
SCORE = key_class("score_metric") + f" {FRESH} [data-testid='stMetricValue']"
ZONE = key_class("zone_text")
#: The tornado chart's element.
TORNADO = key_class("chart_tornado")

#: Signature of what a plotly chart (the last one inside ``selector``) has drawn: paths and texts.
CHART_SIGNATURE_JS = """
(selector) => {
  const box = document.querySelector(selector);
  const plots = box ? box.querySelectorAll('.js-plotly-plot') : [];
  if (!plots.length) return null;
  const plot = plots[plots.length - 1];
  const parts = Array.from(plot.querySelectorAll('path.point, .point path, .bars path, .textpoint, text'))
    .map(e => (e.getAttribute('d') || '') + '#' + (e.textContent || ''));
  return parts.join('|');
}
"""


def slider_input(page, knob_id: str):
    """The <input type=range> of a knob's slider (keyboard focus target)."""
    return page.locator(key_class(f"knob:{knob_id}")).get_by_role("slider")


def slider_value(page, knob_id: str) -> float:
    # the value as shown: "26.0", or "26.0 (set)" for a share the user set
    return float((slider_input(page, knob_id).get_attribute("aria-valuetext") or "nan").split()[0])


def open_app(page, url: str) -> None:
    """Load a URL of the app and wait for the Explorer's score after a finished run."""
    page.goto(url)
    wait_ready(page)
    page.wait_for_selector(SCORE)
    wait_ready(page)


def score_text(page) -> str:
    return page.locator(SCORE).inner_text().strip()


def chart_signature(page, selector: str = TORNADO) -> str | None:
    return page.evaluate(CHART_SIGNATURE_JS, selector)


def wait_chart_changed(page, before: str, selector: str = TORNADO) -> None:
    """Wait until the chart's drawing differs from ``before`` (a chart_signature)."""
    page.wait_for_function(
        "([sel, before]) => { const s = (" + CHART_SIGNATURE_JS + ")(sel); return s !== null && s !== before; }",
        arg=[selector, before],
    )


def press(page, knob_id: str, key: str) -> None:
    """Focus a knob's slider and press a key (ArrowLeft/ArrowRight/Home/End)."""
    s = slider_input(page, knob_id)
    s.focus()
    page.keyboard.press(key)


def finished(page) -> None:
    """The run has finished and every chart has drawn its newest figure."""
    wait_ready(page)


class SlowLink:
    """The app's websocket routed through the test, so server messages can be held back.

    Holding the server's messages while the user keeps pressing keys reproduces, every time,
    what a slow network does now and then: the server has finished a run but the browser
    has not seen its result yet when the user makes the next change.
    Install before the page loads: ``link = SlowLink(page)``.
    """

    def __init__(self, page):
        self.page = page
        self.holding = False
        self.held: list = []
        self.sent = 0  # messages from the browser to the server
        self.runs_finished = 0  # script runs the server reported as finished (held or not)
        self.client = None
        page.route_web_socket(re.compile(r"/_stcore/stream"), self._route)

    def _route(self, ws) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        server = ws.connect_to_server()
        self.client = ws

        def from_server(message) -> None:
            if isinstance(message, bytes):
                msg = ForwardMsg()
                try:
                    msg.ParseFromString(message)
                    if msg.WhichOneof("type") == "script_finished":
                        self.runs_finished += 1
                except Exception:  # not ours to judge: pass it on unchanged
                    pass
            if self.holding:
                self.held.append(message)
            else:
                ws.send(message)

        def from_browser(message) -> None:
            self.sent += 1
            server.send(message)

        server.on_message(from_server)
        ws.on_message(from_browser)

    def hold(self) -> None:
        self.holding = True

    def release(self) -> None:
        self.holding = False
        held, self.held = self.held, []
        for message in held:
            self.client.send(message)

    def wait_until(self, condition, what: str) -> None:
        """Wait for a condition on the routed traffic (polled while playwright delivers messages)."""
        waited = 0
        while not condition():
            if waited > 20_000:
                raise AssertionError(f"waited 20 s for {what}")
            self.page.wait_for_timeout(10)  # not a fixed sleep: lets playwright deliver routed messages
            waited += 10
