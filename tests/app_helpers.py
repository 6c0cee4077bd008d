"""Helpers for the AppTest tests of the Streamlit app (tests/test_app_*.py).

Every app test gets its own scenario store (AIJRI_DB in a tmp folder), so the tests never
touch the user's store and do not see each other's scenarios.
"""

from __future__ import annotations

import base64
import json
import re
import string
import sys
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
if str(ROOT) not in sys.path:  # aijri_ui lives next to app.py
    sys.path.insert(0, str(ROOT))

PAGES = {
    "explorer": "app_pages/explorer.py",
    "scenarios": "app_pages/scenarios.py",
    "uncertainty": "app_pages/uncertainty.py",
    "roles": "app_pages/roles.py",
    "methodology": "app_pages/methodology.py",
    "board": "app_pages/board.py",
}
TIMEOUT = 60


@pytest.fixture
def store_path(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "store.sqlite3"
    monkeypatch.setenv("AIJRI_DB", str(path))
    monkeypatch.setenv("AIJRI_RAISE", "1")  # a bug fails the test instead of becoming a message
    return path


def new_app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if query:
        at.query_params.update(query)
    return at


def open_page(at: AppTest, page: str) -> AppTest:
    """Run the app (first run on the Explorer), then switch to a page and run it."""
    if not at._tree or not len(at.main):  # noqa: SLF001 - first run needed before switch_page
        at.run()
    if page != "explorer":
        at.switch_page(PAGES[page]).run()
    return at


def assert_no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def metric_value(at: AppTest, label: str) -> str:
    for m in at.metric:
        if m.label == label:
            return m.value
    raise AssertionError(f"no metric {label!r}; have {[m.label for m in at.metric]}")


def score_text(at: AppTest) -> str:
    return metric_value(at, "JobZone score")


def lock_switch(at: AppTest, task: str):
    """A task's lock switch. It is drawn while the task's details are open, so they are opened
    first if need be (as a user clicks the task's name)."""
    key, details = f"lock:{task}", f"task_details:{task}"
    if not any(t.key == key for t in at.toggle):
        at.session_state[details] = True
        at.run()
    # A browser keeps the details open through the next run; AppTest does not send a popover's
    # state back, so it is set again for that run.
    at.session_state[details] = True
    return at.toggle(key=key)


def share_is_set(at: AppTest, task: str) -> bool:
    """Whether a task's share slider shows the share as set (pinned) by the user."""
    return at.slider(key=f"knob:task:{task}:share").proto.format.endswith("(set)")


def task_headings(at: AppTest) -> dict[str, str]:
    """The Explorer's task headings (each task's details button), by task name: "**name** marks"."""
    out, todo = {}, list(at._tree.children.values())
    while todo:
        node = todo.pop()
        todo.extend(getattr(node, "children", {}).values())
        if getattr(node, "type", None) == "popover" and (node.proto.popover.label or "").startswith("**"):
            label = shown(node.proto.popover.label)
            out[label[2:label.index("**", 2)]] = label
    return out


def shown(markdown: str) -> str:
    """What a Markdown source shows for its backslash escapes: in CommonMark a backslash before
    an ASCII punctuation character is that character (written here apart from aijri_ui.text).
    User text reaches Streamlit escaped, so tests compare what the user reads."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def escaped(text: str) -> str:
    """``text`` with a backslash before every ASCII punctuation character: how user text must
    reach Streamlit so that none of it is read as Markdown (written apart from aijri_ui.text)."""
    return "".join("\\" + c if c in string.punctuation else c for c in text)


def zone_markdown(at: AppTest) -> str:
    texts = [md.value for md in at.markdown if "-badge[" in md.value]
    assert texts, "no zone badge"
    return texts[0]


def save_scenario(at: AppTest, name: str, note: str = "") -> None:
    """Save the Explorer's state on the Scenarios page under ``name``, as a user does."""
    at.text_input(key="scenario_name").set_value(name)
    at.text_area(key="scenario_note").set_value(note)
    at.button(key="save_scenario").click().run()
    assert_no_exception(at)


def saved_scenario_names(at: AppTest) -> list[str]:
    """The names in the Scenarios page's table of saved scenarios (none when it is not shown)."""
    for df in at.dataframe:
        if "Scenario" in df.value.columns:
            return list(df.value["Scenario"])
    return []


def error_texts(at: AppTest) -> list[str]:
    return [shown(e.value) for e in at.error]


def decode_array(value):
    """plotly >= 6 stores numeric arrays as {"dtype", "bdata"}; lists stay lists."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    return value


def chart_spec(at: AppTest, key: str) -> dict:
    """The figure JSON of the chart drawn with this key (e.g. "chart_tornado").

    Every page draws its charts with aijri_ui.plot (a component whose data carries the figure
    JSON); st.plotly_chart only when plotly.js is missing (plot.chart's fallback).
    """
    ids = []
    for chart in at.get("bidi_component"):
        ids.append(chart.proto.id)
        if chart.proto.component_name == "aijri_plot" and chart.proto.id.endswith(f"-{key}"):
            return json.loads(json.loads(chart.proto.json)["spec"])
    for chart in at.get("plotly_chart"):
        ids.append(chart.proto.id)
        if chart.proto.id.endswith(f"-{key}"):
            return json.loads(chart.proto.spec)
    raise AssertionError(f"no chart with key {key!r}; have {ids}")
