"""The Scenarios page with a large library: it shows a page, filters in the store, and scores
only what it shows (the number of scenarios scored per run is counted, never timed)."""

from __future__ import annotations

import importlib
import sys

import pytest
from app_helpers import (
    assert_no_exception,
    chart_spec,
    new_app,
    open_page,
    saved_scenario_names,
    shown,
    store_path,  # noqa: F401 - fixture
)
from big_store import STEPS, fill_sqlite, scenario_data

from aijri_core import Scenario, apply, bundled_role, scenario_batch, score
from aijri_ui.views.scenarios import MAX_PATHS, PAGE_SIZE

SLUG = "ai-infrastructure-engineer"
ROLE_KEY = f"bundled:{SLUG}"
knobs_module = importlib.import_module("aijri_core.knobs")  # the package's `knobs` is the function
N = 20_000  # the app's upload cap: what one allowed upload puts in the store


@pytest.fixture
def base():
    return bundled_role(SLUG)


@pytest.fixture
def counted(monkeypatch):
    """How many scenarios were scored (rows given to evaluate_scenarios) and how many times a
    role was built by apply_changes, wherever it was imported."""
    counts = {"scored": 0, "applied": 0}
    evaluate, apply_changes = scenario_batch.evaluate_scenarios, knobs_module.apply_changes

    def counting_evaluate(base, scenarios, *args, **kwargs):
        counts["scored"] += len(scenarios)
        return evaluate(base, scenarios, *args, **kwargs)

    def counting_apply(*args, **kwargs):
        counts["applied"] += 1
        return apply_changes(*args, **kwargs)

    monkeypatch.setattr(scenario_batch, "evaluate_scenarios", counting_evaluate)
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith(("aijri_core", "aijri_ui")) and \
                getattr(module, "apply_changes", None) is apply_changes:
            monkeypatch.setattr(module, "apply_changes", counting_apply)
    return counts


def _rows(at):
    for df in at.dataframe:
        if "Scenario" in df.value.columns:
            return df.value
    raise AssertionError("no scenario table")


def _expected(base, i: int):
    s = score(apply(base, Scenario.model_validate(scenario_data(base, i))))
    return s.score, s.zone_text


def test_a_large_library_shows_one_page_scored_alone(store_path, base, counted):  # noqa: F811
    fill_sqlite(store_path, base, ROLE_KEY, N)
    at = open_page(new_app(), "scenarios")
    assert_no_exception(at)
    assert any(f"Saved scenarios ({N:,})" in h.value for h in at.subheader)
    rows = _rows(at)
    assert list(rows["Scenario"]) == [scenario_data(base, i)["name"] for i in range(PAGE_SIZE)]
    for i in (0, 1, 17, PAGE_SIZE - 1):  # each score and zone as the core gives them one by one
        assert (rows["Score"][i], rows["Zone"][i]) == _expected(base, i)
    assert any(f"Rows 1 to {PAGE_SIZE} of {N:,}" in shown(c.value) for c in at.caption)
    # the work of these runs follows the page, not the store: at most one page scored per run
    assert counted["scored"] <= 2 * PAGE_SIZE  # the Explorer's run, then this page's
    assert counted["applied"] <= 50

    counted["scored"] = counted["applied"] = 0
    at.number_input(key="scenario_page").set_value(3).run()
    assert_no_exception(at)
    assert list(_rows(at)["Scenario"]) == [scenario_data(base, i)["name"] for i in range(2 * PAGE_SIZE, 3 * PAGE_SIZE)]
    assert counted["scored"] <= PAGE_SIZE and counted["applied"] <= 50

    counted["scored"] = 0
    at.checkbox(key="csv_overwrite").check().run()  # any other click: the page comes from the cache
    assert counted["scored"] == 0


def test_filters_by_name_trajectory_and_zone(store_path, base, counted):  # noqa: F811
    fill_sqlite(store_path, base, ROLE_KEY, N)
    at = open_page(new_app(), "scenarios")
    at.text_input(key="scenario_filter_name").set_value("client 01234").run()
    assert_no_exception(at)
    names = [scenario_data(base, 1234 * STEPS + k)["name"] for k in range(STEPS)]
    assert saved_scenario_names(at) == names
    assert any(f"Rows 1 to {STEPS} of {STEPS} matching the filters" in shown(c.value) for c in at.caption)

    at.text_input(key="scenario_filter_name").set_value("").run()
    at.selectbox(key="scenario_filter_trajectory").set_value("Client 00003").run()
    assert saved_scenario_names(at) == [scenario_data(base, 3 * STEPS + k)["name"] for k in range(STEPS)]

    at.selectbox(key="scenario_filter_trajectory").set_value("All trajectories").run()
    counted["scored"] = 0
    at.selectbox(key="scenario_filter_zone").set_value("GREEN").run()
    assert_no_exception(at)
    rows = _rows(at)
    want = [scenario_data(base, i)["name"] for i in range(PAGE_SIZE) if _expected(base, i)[1].startswith("GREEN")]
    assert want and list(rows["Scenario"]) == want
    assert all(z.startswith("GREEN") for z in rows["Zone"])
    assert counted["scored"] <= PAGE_SIZE


def test_the_trajectory_chart_draws_the_paths_in_view_and_counts_the_others(store_path, base):  # noqa: F811
    fill_sqlite(store_path, base, ROLE_KEY, 2_000)
    at = open_page(new_app(), "scenarios")
    assert_no_exception(at)
    names = {t["name"] for t in chart_spec(at, "chart_trajectory")["data"] if t.get("name")}
    in_view = {scenario_data(base, i)["trajectory"] for i in range(PAGE_SIZE)}
    assert len(in_view) <= MAX_PATHS and in_view <= names
    assert not any("not drawn" in shown(c.value) for c in at.caption)


def test_many_saved_roles_are_searched_not_listed(store_path, base):  # noqa: F811
    from aijri_core.store import SQLiteStore
    from aijri_ui.backend import ROLE_LIST_LIMIT

    store = SQLiteStore(store_path)
    n = ROLE_LIST_LIMIT + 25
    for i in range(n):
        store.save_role(base.model_copy(update={"title": f"Role {i:03d}"}), name=f"Role {i:03d}")
    at = new_app().run()
    picker = at.selectbox(key="role_picker")
    stored = [o for o in picker.options if "(saved)" in o]
    assert len(stored) == ROLE_LIST_LIMIT  # the first ones; the others are found by a search
    at.text_input(key="role_search").set_value("role 07").run()
    assert_no_exception(at)
    assert [o for o in at.selectbox(key="role_picker").options if "(saved)" in o] == [
        f"Role {i:03d} (saved)" for i in range(70, 75)]

    at = open_page(new_app(), "roles")
    assert_no_exception(at)
    table = at.dataframe[0].value
    assert sum(table["Source"] == "saved") == ROLE_LIST_LIMIT
    assert any(f"{ROLE_LIST_LIMIT} of {n:,} saved roles" in shown(c.value) for c in at.caption)
    at.text_input(key="roles_search").set_value("ROLE 060").run()
    table = at.dataframe[0].value
    assert list(table[table["Source"] == "saved"]["Role"]) == ["Role 060"]
