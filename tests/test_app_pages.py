"""AppTest tests of the Scenarios, Uncertainty, Roles and Methodology pages."""

from __future__ import annotations

import pytest
from app_helpers import (
    PAGES,
    assert_no_exception,
    chart_spec,
    decode_array,
    error_texts,
    new_app,
    open_page,
    save_scenario,
    saved_scenario_names,
    score_text,
    shown,
    store_path,  # noqa: F401 - fixture
    zone_markdown,
)

from aijri_core import Scenario, apply, assessment_to_json, bundled_role, knobs, score, set_value
from aijri_core.methodology import DEFAULT
from aijri_core.store import SQLiteStore

SLUG = "ai-infrastructure-engineer"
ROLE_KEY = f"bundled:{SLUG}"


@pytest.fixture
def base():
    return bundled_role(SLUG)


@pytest.fixture
def app(store_path):  # noqa: F811
    return new_app().run()


def _scenario_table(at):
    for df in at.dataframe:
        if "Scenario" in df.value.columns:
            return df.value
    return None


# ------------------------------------------------------------------ every page


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_runs_without_exception(app, page):
    open_page(app, page)
    assert_no_exception(app)
    assert not error_texts(app)
    assert app.title, "each page has a title"


def test_state_survives_page_switches(app, base):
    app.slider(key="knob:growth").set_value(2).run()
    for page in ("scenarios", "uncertainty", "roles", "methodology"):
        app.switch_page(PAGES[page]).run()
        assert_no_exception(app)
    app.switch_page(PAGES["explorer"]).run()
    assert score_text(app) == f"{score(set_value(base, 'growth', 2)).score:.1f}"
    assert app.slider(key="knob:growth").value == 2


# ------------------------------------------------------------------ scenarios


def test_saving_a_scenario_adds_it_to_the_table_and_the_store(app, base, store_path):  # noqa: F811
    app.slider(key="knob:growth").set_value(2).run()
    open_page(app, "scenarios")
    assert _scenario_table(app) is None
    save_scenario(app, "Accelerated growth", "growth +2")
    table = _scenario_table(app)
    assert list(table["Scenario"]) == ["Accelerated growth"]
    expected = score(set_value(base, "growth", 2))
    assert list(table["Score"]) == [expected.score]
    saved = SQLiteStore(store_path).list_scenarios(ROLE_KEY)
    assert [s.name for s in saved] == ["Accelerated growth"] and saved[0].changes == {"growth": 2}


def test_name_clash_asks_before_replacing(app, store_path):  # noqa: F811
    open_page(app, "scenarios")
    save_scenario(app, "Plan", "first")
    save_scenario(app, "Plan", "second")
    assert any("already exists" in shown(w.value) for w in app.warning)
    assert SQLiteStore(store_path).load_scenario(ROLE_KEY, "Plan").note == "first"
    app.button(key="scenario_overwrite").click().run()
    assert SQLiteStore(store_path).load_scenario(ROLE_KEY, "Plan").note == "second"
    assert saved_scenario_names(app) == ["Plan"]


def _select(at, *rows):
    """Select rows of the saved-scenarios table (as a click on their checkboxes does)."""
    at.session_state["scenario_table"] = {"selection": {"rows": list(rows), "columns": [], "cells": []}}
    at.run()
    assert_no_exception(at)


def _df_with_column(at, column):
    return next(df.value for df in [*at.dataframe, *at.table] if column in df.value.columns)


def test_rename_delete_and_open_a_scenario(app, base, store_path):  # noqa: F811
    store = SQLiteStore(store_path)
    store.save_scenario(ROLE_KEY, Scenario(name="Junior", changes={"evidence:wage_trends": -1, "growth": 0}))
    store.save_scenario(ROLE_KEY, Scenario(name="Other", changes={"growth": 2}))
    open_page(app, "scenarios")
    assert app.button(key="scenario_load").disabled and app.button(key="scenario_delete").disabled
    _select(app, 0)
    app.text_input(key="scenario_new_name").set_value("Junior 2026")
    app.button(key="scenario_rename").click().run()
    assert [s.name for s in store.list_scenarios(ROLE_KEY)] == ["Junior 2026", "Other"]
    # the message is beside the control and a toast
    assert any("Renamed 'Junior' to 'Junior 2026'" in shown(m.value) for m in app.success)
    assert any("Renamed" in shown(t.value) for t in app.toast)
    _select(app, 0)
    app.button(key="scenario_load").click().run()  # "Open in Explorer" goes to the Explorer
    assert_no_exception(app)
    expected = score(apply(base, store.load_scenario(ROLE_KEY, "Junior 2026")))
    assert score_text(app) == f"{expected.score:.1f}"
    app.switch_page(PAGES["scenarios"]).run()
    _select(app, 0, 1)
    app.button(key="scenario_delete").click().run()
    # deleting asks first: nothing is gone until the dialog's Delete is pressed
    assert len(store.list_scenarios(ROLE_KEY)) == 2
    app.button(key="cancel_delete").click().run()
    assert len(store.list_scenarios(ROLE_KEY)) == 2
    _select(app, 0, 1)
    app.button(key="scenario_delete").click().run()
    app.button(key="confirm_delete").click().run()
    assert_no_exception(app)
    assert store.list_scenarios(ROLE_KEY) == []


def test_compare_the_selected_scenarios(app, base, store_path):  # noqa: F811
    store = SQLiteStore(store_path)
    serving = "Model serving & inference infrastructure"
    items = [Scenario(name="Senior", changes={f"task:{serving}:score": 2, "growth": 2}),
             Scenario(name="Cool market", changes={"evidence:job_postings": 0}),
             Scenario(name="Unused", changes={"barrier:union": 2})]
    for sc in items:
        store.save_scenario(ROLE_KEY, sc)
    open_page(app, "scenarios")
    assert not any("Baseline" in df.value.columns for df in [*app.dataframe, *app.table])  # nothing picked yet
    _select(app, 0, 1)
    table = _df_with_column(app, "Baseline")
    assert list(table.columns) == ["Baseline", "Senior", "Cool market"]
    rows = list(table.index)
    # results first, then only the inputs that differ from the baseline (the unpicked one's barrier is not there)
    assert rows[:5] == ["Score", "Zone", "Change vs baseline", "Distance to GREEN (48)", "Distance to YELLOW (25)"]
    assert set(rows[5:]) == {f"{serving}: score", "Evidence: Job posting trends", "AI growth correlation"}
    # hand-checked: job postings 1 -> 0 gives 47.2 YELLOW, 0.8 short of GREEN
    assert table.loc["Score", "Cool market"] == "47.2"
    assert table.loc["Distance to GREEN (48)", "Cool market"] == "-0.8"
    assert table.loc["Distance to YELLOW (25)", "Baseline"] == "+24.1"
    senior = score(apply(base, items[0]))
    assert table.loc["Score", "Senior"] == f"{senior.score:.1f}"
    chart = str(chart_spec(app, "chart_compare"))
    assert "Senior" in chart and "Cool market" in chart and "Unused" not in chart
    _select(app, 0, 1, 2)
    assert list(_df_with_column(app, "Baseline").columns) == ["Baseline", "Senior", "Cool market", "Unused"]
    for i in range(4):  # seven rows are more than the side-by-side takes
        store.save_scenario(ROLE_KEY, Scenario(name=f"More {i}", changes={"growth": i - 2}))
    _select(app, 0, 1, 2, 3, 4, 5, 6)
    assert not any("Baseline" in df.value.columns for df in [*app.dataframe, *app.table])
    assert any("Select 2 to 6 rows" in c.value and "(7 selected)" in shown(c.value) for c in app.caption)


def test_path_builder_scores_every_step_and_saves_one_trajectory(app, base, store_path):  # noqa: F811
    open_page(app, "scenarios")
    steps = _df_with_column(app, "vs step before")
    assert list(steps["Step"]) == ["Start (Baseline)", "Step 1"]
    assert list(steps["Score"]) == [49.1, 49.1]
    app.selectbox(key="builder_knob").set_value("growth").run()
    assert app.number_input(key="builder_value").value == 1  # the value in force at this step
    app.number_input(key="builder_value").set_value(2)
    app.button(key="builder_set").click().run()
    assert_no_exception(app)
    app.button(key="builder_add").click().run()
    app.text_input(key="builder_step_name").set_value("Year 2").run()
    app.selectbox(key="builder_knob").set_value("evidence:job_postings").run()
    app.number_input(key="builder_value").set_value(0)
    app.button(key="builder_set").click().run()
    steps = _df_with_column(app, "vs step before")
    # hand-checked: growth +2 -> 51.8; then job postings 0 on top (E 4, G 2) -> raw 4.4902 -> 49.8
    assert list(steps["Step"]) == ["Start (Baseline)", "Step 1", "Year 2"]
    assert list(steps["Score"]) == [49.1, 51.8, 49.8]
    assert list(steps["vs step before"]) == ["", "+2.7", "-2.0"]
    assert decode_array(chart_spec(app, "chart_builder")["data"][0]["y"]) == pytest.approx([49.1, 51.8, 49.8])
    # reorder: "Year 2" first -> job postings 0 alone is 47.2 YELLOW, then both
    app.button(key="builder_up").click().run()
    assert list(_df_with_column(app, "vs step before")["Score"]) == [49.1, 47.2, 49.8]
    # a step shown in the Explorer, and back: the builder is as it was
    app.button(key="builder_open").click().run()
    assert_no_exception(app)
    assert score_text(app) == "47.2"
    app.switch_page(PAGES["scenarios"]).run()
    steps = _df_with_column(app, "vs step before")
    assert list(steps["Step"]) == ["Start (Baseline)", "Year 2", "Step 1"]
    assert app.text_input(key="builder_step_name").value == "Year 2"
    # save the whole path as one trajectory: start + steps, each with the changes in force there
    app.text_input(key="builder_name").set_value("Client A").run()
    app.button(key="builder_save").click().run()
    saved = SQLiteStore(store_path).list_scenarios(ROLE_KEY)
    assert [(s.name, s.trajectory, s.position) for s in saved] == [
        ("Client A: Start", "Client A", "Start"), ("Client A: Year 2", "Client A", "Year 2"),
        ("Client A: Step 1", "Client A", "Step 1")]
    assert [s.changes for s in saved] == [{}, {"evidence:job_postings": 0}, {"evidence:job_postings": 0, "growth": 2}]
    assert any("Saved 'Client A'" in shown(m.value) for m in app.success)
    # saving again asks before replacing
    app.button(key="builder_save").click().run()
    assert any("already saved" in shown(w.value) for w in app.warning)
    app.button(key="builder_replace").click().run()
    assert len(SQLiteStore(store_path).list_scenarios(ROLE_KEY)) == 3
    # delete a step and remove a change
    app.button(key="builder_pick_1").click().run()
    app.button(key="builder_delete").click().run()
    assert list(_df_with_column(app, "vs step before")["Step"]) == ["Start (Baseline)", "Year 2"]
    app.multiselect(key="builder_remove").set_value(["evidence:job_postings"]).run()
    app.button(key="builder_remove_button").click().run()
    assert list(_df_with_column(app, "vs step before")["Score"]) == [49.1, 49.1]


def test_hand_out_of_the_path_being_built(app):
    open_page(app, "scenarios")
    assert app.toggle(key="handout_prepare").disabled  # nothing saved, nothing ticked
    app.selectbox(key="builder_knob").set_value("growth").run()
    app.number_input(key="builder_value").set_value(2)
    app.button(key="builder_set").click().run()
    app.radio(key="handout_covers").set_value("The path being built (not saved)").run()
    assert any("'Client path': its start and 1 step(s)" in shown(c.value) for c in app.caption)
    app.toggle(key="handout_prepare").set_value(True).run()
    assert_no_exception(app)
    assert [b.label for b in app.get("download_button") if "hand-out" in b.label] == ["Download the hand-out (HTML)"]
    # the analyst appendix is a choice, off by default (the file's name: test_coach_browser.py)
    assert app.checkbox(key="handout_appendix").value is False
    app.checkbox(key="handout_appendix").check().run()
    assert_no_exception(app)


def test_builder_steps_add_and_remove_tasks(app, base, store_path):  # noqa: F811
    monitoring = base.tasks[5].name
    open_page(app, "scenarios")
    app.text_input(key="builder_new_task").set_value("AI platform cost engineering")
    app.number_input(key="builder_new_share").set_value(15.0)
    app.number_input(key="builder_new_score").set_value(2)
    app.selectbox(key="builder_new_mode").set_value("displacement")
    app.button(key="builder_add_task").click().run()
    assert_no_exception(app)
    app.button(key="builder_add").click().run()
    app.selectbox(key="builder_drop_task").set_value(monitoring)
    app.button(key="builder_drop").click().run()
    steps = _df_with_column(app, "vs step before")
    # hand-checked in test_trajectories: the added task 50.4, then without monitoring 51.1
    assert list(steps["Score"]) == [49.1, 50.4, 51.1]
    assert "AI platform cost engineering: time % = 15" in steps["Changes"].iloc[1]
    assert steps["Changes"].iloc[2] == f"{monitoring}: removed = 1"
    # the added task is an input of the later step
    assert "AI platform cost engineering: score" in app.selectbox(key="builder_knob").options
    app.text_input(key="builder_name").set_value("Reshaped").run()
    app.button(key="builder_save").click().run()
    saved = {s.name: s for s in SQLiteStore(store_path).list_scenarios(ROLE_KEY)}
    assert saved["Reshaped: Step 2"].changes == {
        "task:AI platform cost engineering:share": 15.0, "task:AI platform cost engineering:score": 2.0,
        "task:AI platform cost engineering:mode": 1.0, f"task:{monitoring}:remove": 1.0}
    _select(app, 1, 2)
    table = _df_with_column(app, "Baseline")
    assert list(table.loc["Score"]) == ["49.1", "50.4", "51.1"]
    assert table.loc[f"{monitoring}: time %", "Reshaped: Step 2"] == "removed"


def test_builder_starts_from_a_saved_scenario_and_edits_a_saved_path(app, store_path):  # noqa: F811
    store = SQLiteStore(store_path)
    store.save_scenario(ROLE_KEY, Scenario(name="Today", changes={"growth": 2}))
    for sc in [Scenario(name="P0", changes={}, trajectory="P", position="Now"),
               Scenario(name="P1", changes={"growth": 2}, trajectory="P", position="Later"),
               Scenario(name="P2", changes={"evidence:job_postings": 0}, trajectory="P", position="Last")]:
        store.save_scenario(ROLE_KEY, sc)
    open_page(app, "scenarios")
    app.selectbox(key="builder_start").set_value("Today").run()
    assert list(_df_with_column(app, "vs step before")["Score"]) == [51.8, 51.8]
    app.selectbox(key="builder_edit_pick").set_value("P")
    app.button(key="builder_edit").click().run()
    steps = _df_with_column(app, "vs step before")
    assert list(steps["Step"]) == ["Start (Baseline)", "Later", "Last"]
    # P2 sets job postings 0 and no growth: its own step undoes growth (back to the role's +1)
    assert list(steps["Score"]) == [49.1, 51.8, 47.2]
    assert app.text_input(key="builder_name").value == "P"


def test_summary_and_attribution_come_from_the_core(app, base, store_path):  # noqa: F811
    from aijri_core.analyses.attribution import attribute

    sc = Scenario(name="Senior", changes={"task:Model serving & inference infrastructure:score": 2, "growth": 2})
    SQLiteStore(store_path).save_scenario(ROLE_KEY, sc)
    open_page(app, "scenarios")
    assert_no_exception(app)
    expected = score(apply(base, sc))
    att = attribute(base, sc)
    bars = chart_spec(app, "chart_attribution")["data"][0]
    y = decode_array(bars["y"])
    assert y[0] == pytest.approx(att.base_score)
    assert y[1:-1] == pytest.approx([p.contribution for p in att.groups])
    assert y[-1] == pytest.approx(att.scenario_score)
    path = chart_spec(app, "chart_trajectory")["data"][0]
    assert decode_array(path["y"]) == pytest.approx([49.1, expected.score])


def test_bad_csv_upload_shows_one_error_and_changes_nothing(app, store_path):  # noqa: F811
    store = SQLiteStore(store_path)
    store.save_scenario(ROLE_KEY, Scenario(name="Keep me", changes={"growth": 0}))
    before = store.list_scenarios(ROLE_KEY)
    open_page(app, "scenarios")
    bad = b"scenario,step,knob,value\nA,,growth,1\nB,,growth,9\n"  # B: growth out of range
    app.file_uploader(key="csv_upload").set_value(("bad.csv", bad, "text/csv")).run()
    assert_no_exception(app)
    errors = error_texts(app)
    assert len(errors) == 1 and "nothing imported" in errors[0] and "line 3" in errors[0]
    assert store.list_scenarios(ROLE_KEY) == before
    assert saved_scenario_names(app) == ["Keep me"]


def test_binary_garbage_upload_shows_one_error(app, store_path):  # noqa: F811
    open_page(app, "scenarios")
    app.file_uploader(key="csv_upload").set_value(("x.csv", b"\xff\xfe\x00garbage\x00", "text/csv")).run()
    assert_no_exception(app)
    assert len(error_texts(app)) == 1
    assert SQLiteStore(store_path).list_scenarios(ROLE_KEY) == []


def test_csv_import_adds_every_scenario(app, store_path):  # noqa: F811
    from aijri_core.formats.scenarios_csv import scenarios_to_csv

    scenarios = [Scenario(name="A", changes={"growth": 2}, position="2027", trajectory="Path"),
                 Scenario(name="=B", note="formula-looking name", changes={"barrier:union": 2})]
    open_page(app, "scenarios")
    app.file_uploader(key="csv_upload").set_value(("s.csv", scenarios_to_csv(scenarios), "text/csv")).run()
    assert_no_exception(app)
    assert not error_texts(app)
    assert SQLiteStore(store_path).list_scenarios(ROLE_KEY) == scenarios
    assert saved_scenario_names(app) == ["A", "=B"]


def test_csv_with_many_bad_lines_lists_each_beside_the_uploader(app, store_path):  # noqa: F811
    open_page(app, "scenarios")
    bad = b"scenario,knob,value\nA,growth,1\nB,growth,9\nC,barrier:union,x\nD,colour,1\n"
    app.file_uploader(key="csv_upload").set_value(("bad.csv", bad, "text/csv")).run()
    assert_no_exception(app)
    assert error_texts(app) == ["bad.csv: nothing imported - 3 problems, listed below."]
    problems = _df_with_column(app, "Allowed")
    assert list(problems["Line"]) == [3, 4, 5]
    assert list(problems["Column"]) == ["value", "value", "knob"]
    assert list(problems["Value"]) == ["9", "x", "colour"]
    assert problems["Allowed"].iloc[0] == "a whole number from -2 to +2"
    assert SQLiteStore(store_path).list_scenarios(ROLE_KEY) == []


def test_wide_csv_upload_imports_back(app, base, store_path):  # noqa: F811
    from aijri_core.formats.scenarios_csv import scenarios_summary_csv

    items = [Scenario(name="A", changes={"growth": 2}, position="2027", trajectory="Path", note="n"),
             Scenario(name="B", changes={"barrier:union": 2})]
    open_page(app, "scenarios")
    app.file_uploader(key="csv_upload").set_value(("w.csv", scenarios_summary_csv(base, items), "text/csv")).run()
    assert_no_exception(app)
    assert not error_texts(app)
    assert SQLiteStore(store_path).list_scenarios(ROLE_KEY) == items
    assert any("Imported 2 scenario(s) from w.csv" in shown(m.value) for m in app.success)


# ------------------------------------------------------------------ uncertainty


def test_uncertainty_shows_the_cores_probabilities(app, base):
    from aijri_core.analyses.uncertainty import monte_carlo

    open_page(app, "uncertainty")
    app.slider(key="mc_p").set_value(0.5)
    app.select_slider(key="mc_n").set_value(10_000)
    app.number_input(key="mc_seed").set_value(7).run()
    assert_no_exception(app)
    mc = monte_carlo(base, n=10_000, p=0.5, seed=7)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["GREEN"] == f"{mc.p_green:.0%}"
    assert metrics["YELLOW"] == f"{mc.p_yellow:.0%}"
    assert metrics["RED"] == f"{mc.p_red:.0%}"
    words = " ".join(shown(md.value) for md in app.markdown)
    assert f"{mc.p_green:.0%} chance the role is GREEN" in words
    app.switch_page(PAGES["explorer"]).run()
    app.switch_page(PAGES["uncertainty"]).run()  # the controls keep their values
    assert (app.slider(key="mc_p").value, app.number_input(key="mc_seed").value) == (0.5, 7)


def test_uncertainty_without_noise_is_certain(app):
    open_page(app, "uncertainty")
    app.slider(key="mc_p").set_value(0.0)
    app.slider(key="mc_jitter").set_value(0.0).run()
    assert {m.label: m.value for m in app.metric}["GREEN"] == "100%"


# ------------------------------------------------------------------ methodology


def test_methodology_controls_change_the_score_as_the_core_says(app, base):
    open_page(app, "methodology")
    app.number_input(key="meth:evidence_weight").set_value(0.06).run()
    app.number_input(key="meth:green_threshold").set_value(55.0).run()
    assert_no_exception(app)
    m = DEFAULT.with_changes(evidence_weight=0.06, green_threshold=55.0)
    app.switch_page(PAGES["explorer"]).run()
    expected = score(base, m)
    assert score_text(app) == f"{expected.score:.1f}"
    assert expected.zone_text in zone_markdown(app)
    assert app.query_params["m.green_threshold"] == "55"
    app.slider(key="knob:growth").set_value(2).run()
    assert score_text(app) == f"{score(set_value(base, 'growth', 2), m).score:.1f}"


def test_clamp_switch_follows_the_core(app, base):
    # The best rating on every input: the formula gives 109.7 (see the Methodology page).
    best = {k.id: (k.min if k.kind == "score" else k.max) for k in knobs(base) if k.kind != "share"}
    for kid, v in best.items():
        app.slider(key=f"knob:{kid}").set_value(int(v)).run()
    maxed = base
    for kid, v in best.items():
        maxed = set_value(maxed, kid, v)
    capped = score(maxed)
    assert capped.clamped and score_text(app) == f"{capped.score:.1f}" == "100.0"
    assert any("capped" in shown(w.value) for w in app.warning)
    app.switch_page(PAGES["methodology"]).run()
    assert "109.7" in " ".join(shown(md.value) for md in app.markdown)
    app.toggle(key="meth:clamp").set_value(False).run()
    assert_no_exception(app)
    assert app.session_state["aijri.method"] == {"clamp": False}
    app.switch_page(PAGES["explorer"]).run()
    assert score_text(app) == f"{score(maxed, DEFAULT.with_changes(clamp=False)).score:.1f}" == "109.7"


def test_invalid_method_is_refused_with_one_message(app):
    open_page(app, "methodology")
    app.number_input(key="meth:yellow_threshold").set_value(60.0).run()
    assert_no_exception(app)
    errors = error_texts(app)
    assert len(errors) == 1 and "yellow_threshold" in errors[0]
    assert app.session_state["aijri.method"] == {}
    assert app.number_input(key="meth:yellow_threshold").value == DEFAULT.yellow_threshold
    app.number_input(key="meth:green_threshold").set_value(50.0).run()
    app.button(key="reset_method").click().run()
    assert app.session_state["aijri.method"] == {}


# ------------------------------------------------------------------ roles


def test_importing_a_json_role_makes_it_current(app, base, store_path):  # noqa: F811
    other = base.model_copy(update={"title": "Imported Engineer", "growth_correlation": 2, "published": None})
    open_page(app, "roles")
    app.file_uploader(key="role_upload").set_value(("r.json", assessment_to_json(other).encode(), "application/json"))
    app.run()
    assert_no_exception(app)
    app.button(key="role_save").click().run()
    assert_no_exception(app)
    assert "Imported Engineer" in SQLiteStore(store_path).list_roles()
    assert app.session_state["aijri.role_key"] == "stored:Imported Engineer"
    app.switch_page(PAGES["explorer"]).run()
    assert score_text(app) == f"{score(other).score:.1f}"


def test_bad_json_role_shows_one_error_and_changes_nothing(app, store_path):  # noqa: F811
    open_page(app, "roles")
    bad = b'{"title": "X", "tasks": [{"name": "a", "time_share": 100, "score": 9}]}'
    app.file_uploader(key="role_upload").set_value(("bad.json", bad, "application/json")).run()
    assert_no_exception(app)
    errors = error_texts(app)
    assert len(errors) == 1 and "bad.json" in errors[0]
    assert SQLiteStore(store_path).list_roles() == []
    assert app.session_state["aijri.role_key"] == ROLE_KEY


def test_importing_a_document_shows_its_audit(app, base):
    from aijri_core.formats.document import render_assessment_document

    text = render_assessment_document(base)
    open_page(app, "roles")
    app.file_uploader(key="role_upload").set_value(("seed.md", text.encode(), "text/markdown")).run()
    assert_no_exception(app)
    assert not error_texts(app)
    audit = _df_with_column(app, "Computed")
    assert len(audit) > 0 and (audit["Check"] == "ok").all()  # nothing differs: every figure shown


def test_document_audit_lists_each_differing_figure_once(app, base):
    from aijri_core.formats.document import render_assessment_document

    # the document states task resistance twice (task table line and composite table), both wrong
    text = render_assessment_document(base).replace("3.45/5.0", "3.35/5.0")
    open_page(app, "roles")
    app.file_uploader(key="role_upload").set_value(("seed.md", text.encode(), "text/markdown")).run()
    assert_no_exception(app)
    audit = _df_with_column(app, "Computed")
    assert audit.to_dict("records") == [
        {"Figure": "task resistance", "Stated": "3.35", "Computed": "3.45", "Check": "DIFFERS", "Line": 31}]
    app.toggle(key="role_audit_all").set_value(True).run()
    assert len(_df_with_column(app, "Computed")) > 10


def _edit_tasks(app, edited=None, added=(), deleted=()):
    app.session_state["editor_tasks"] = {"edited_rows": edited or {}, "added_rows": list(added),
                                         "deleted_rows": list(deleted)}
    app.run()
    assert_no_exception(app)


def test_role_editor_copies_a_role_checks_as_you_type_and_saves(app, base, store_path):  # noqa: F811
    open_page(app, "roles")
    app.selectbox(key="editor_source").set_value(ROLE_KEY)
    app.button(key="editor_load").click().run()
    assert app.text_input(key="editor_title").value == "AI Infrastructure Engineer (copy)"
    assert any("scores **49.1** GREEN (Transforming)" in shown(m.value) for m in app.success)
    # serving 20 -> 25: shares add up to 105
    _edit_tasks(app, {"1": {"time_share": 25.0}})
    warnings = " ".join(shown(w.value) for w in app.warning)
    assert "Time shares add up to 105%; allowed: 100% (+/- 1)" in warnings
    assert app.button(key="editor_save").disabled
    # ... and a duplicate name (other case) and a score out of range
    _edit_tasks(app, {"1": {"time_share": 25.0, "name": "gpu CLUSTER & training infrastructure management"},
                      "2": {"score": 7}})
    warnings = " ".join(shown(w.value) for w in app.warning)
    assert "Task 2 (gpu CLUSTER & training infrastructure management): the same name as task 1" in warnings
    assert "Task 3 (Training pipeline orchestration & MLOps integration): score is 7; allowed: a whole number from 1 to 5" in warnings
    # fixed: serving 25, monitoring 10 -> 5 (total 100); growth +2
    _edit_tasks(app, {"1": {"time_share": 25.0}, "5": {"time_share": 5.0}})
    app.number_input(key="editor_growth").set_value(2).run()
    assert not app.warning
    expected = base.model_copy(update={
        "title": "AI Infrastructure Engineer (copy)", "growth_correlation": 2, "published": None, "override": None,
        "comparators": None,
        "tasks": [t.model_copy(update={"time_share": {1: 25.0, 5: 5.0}.get(i, t.time_share)})
                  for i, t in enumerate(base.tasks)]})
    want = score(expected)
    assert any(f"scores **{want.score:.1f}**" in shown(m.value) for m in app.success)
    app.text_input(key="editor_name").set_value("Alex's role")
    app.button(key="editor_save").click().run()
    assert_no_exception(app)
    assert "Alex's role" in SQLiteStore(store_path).list_roles()
    assert app.session_state["aijri.role_key"] == "stored:Alex's role"
    assert any("Saved \"Alex's role\"" in shown(m.value) for m in app.success)
    saved = SQLiteStore(store_path).load_role("Alex's role")
    assert [t.time_share for t in saved.tasks] == [t.time_share for t in expected.tasks]
    assert saved.growth_correlation == 2
    app.switch_page(PAGES["explorer"]).run()
    assert score_text(app) == f"{want.score:.1f}"


def test_role_editor_builds_a_role_from_scratch(app, store_path):  # noqa: F811
    open_page(app, "roles")
    app.selectbox(key="editor_source").set_value("new")
    app.button(key="editor_load").click().run()
    app.text_input(key="editor_title").set_value("Florist").run()
    _edit_tasks(app, {"0": {"name": "Arranging", "time_share": 60.0, "score": 1, "mode": "not_involved"}},
                added=[{"name": "Ordering stock", "time_share": 40.0, "score": 4, "mode": "displacement"}])
    assert not app.warning
    # hand-checked: W = 0.6 x 1 + 0.4 x 4 = 2.2 -> TR 3.8; E 0, B 0, G 0 -> raw 3.8 -> (3.8 - 0.54) / 7.93 = 41.1
    assert any("scores **41.1** YELLOW" in shown(m.value) for m in app.success)
    app.button(key="editor_save").click().run()
    assert_no_exception(app)
    assert SQLiteStore(store_path).list_roles() == ["Florist"]
    # saving the same name again asks first
    app.button(key="editor_save").click().run()
    assert any("already exists" in shown(w.value) for w in app.warning)
    app.button(key="editor_replace").click().run()
    assert SQLiteStore(store_path).list_roles() == ["Florist"]


def test_deleting_a_role_asks_first(base, store_path):  # noqa: F811
    SQLiteStore(store_path).save_role(base.model_copy(update={"title": "Spare"}), name="Spare")
    app = new_app().run()
    open_page(app, "roles")
    app.selectbox(key="role_open_pick").set_value("stored:Spare").run()
    app.button(key="role_delete").click().run()
    assert SQLiteStore(store_path).list_roles() == ["Spare"]  # not yet
    app.button(key="confirm_role_delete").click().run()
    assert_no_exception(app)
    assert SQLiteStore(store_path).list_roles() == []
    assert any("Role 'Spare' deleted" in shown(m.value) for m in app.success), [shown(m.value) for m in app.success] + [shown(t.value) for t in app.toast]


def test_published_decimals_follow_the_method(store_path, base):  # noqa: F811
    at = new_app({"role": ROLE_KEY, "m.decimals": "2", "growth": "0"}).run()
    assert_no_exception(at)
    expected = score(set_value(base, "growth", 0), DEFAULT.with_changes(decimals=2))
    assert score_text(at) == f"{expected.score:.2f}"


def test_a_scenario_that_does_not_fit_the_role_is_left_out_with_a_warning(app, store_path):  # noqa: F811
    store = SQLiteStore(store_path)
    store.save_scenario(ROLE_KEY, Scenario(name="Fits", changes={"growth": 2}))
    store.save_scenario(ROLE_KEY, Scenario(name="Old tasks", changes={"task:No such task:score": 2}))
    open_page(app, "scenarios")
    assert_no_exception(app)
    assert not error_texts(app)
    assert any("Old tasks" in shown(w.value) for w in app.warning)
    assert saved_scenario_names(app) == ["Fits"]


@pytest.mark.parametrize(
    "method",
    [
        {"m.decimals": "0", "m.clamp": "0"},
        {"m.decimals": "4"},
        {"m.green_threshold": "100", "m.yellow_threshold": "100"},
        {"m.green_threshold": "0", "m.yellow_threshold": "0"},
        {"m.evidence_weight": "0", "m.barrier_weight": "0", "m.growth_weight": "0"},
        {"m.normalisation_span": "50", "m.normalisation_offset": "10"},
        {"m.transforming_share": "100", "m.accelerated_growth": "-2", "m.transforming_score": "5"},
    ],
)
def test_every_page_runs_under_unusual_methods(store_path, base, method):  # noqa: F811
    at = new_app({"role": ROLE_KEY, "growth": "2", **method}).run()
    assert_no_exception(at)
    assert not error_texts(at)
    m = DEFAULT.with_changes(**{k[2:]: (v == "1" if k == "m.clamp" else float(v)) for k, v in method.items()})
    expected = score(set_value(base, "growth", 2), m)
    assert score_text(at) == f"{expected.score:.{m.decimals}f}"
    for page in ("scenarios", "uncertainty", "roles", "methodology"):
        at.switch_page(PAGES[page]).run()
        assert_no_exception(at)
        assert not error_texts(at), (page, error_texts(at))


@pytest.mark.parametrize("n_tasks", [1, 2, 12])
def test_imported_roles_of_any_size_work_on_every_page(base, store_path, n_tasks):  # noqa: F811
    tasks = [{"name": f"Task {i + 1}: a/b & c", "time_share": 100 / n_tasks, "score": 1 + i % 5} for i in range(n_tasks)]
    role = base.model_validate({**base.to_json_dict(), "title": f"Role with {n_tasks}", "tasks": tasks,
                                "published": None, "comparators": None})
    SQLiteStore(store_path).save_role(role, name=role.title)
    app = new_app().run()  # saved by another process before this session started
    open_page(app, "roles")
    app.selectbox(key="role_open_pick").set_value(f"stored:{role.title}").run()
    app.button(key="role_open").click().run()
    app.switch_page(PAGES["explorer"]).run()
    assert_no_exception(app)
    assert score_text(app) == f"{score(role).score:.1f}"
    first = f"task:{tasks[0]['name']}:score"
    app.slider(key=f"knob:{first}").set_value(5).run()
    assert score_text(app) == f"{score(set_value(role, first, 5)).score:.1f}"
    for page in ("scenarios", "uncertainty", "roles", "methodology"):
        app.switch_page(PAGES[page]).run()
        assert_no_exception(app)
        assert not error_texts(app), (page, error_texts(app))


def test_role_editor_names_rows_it_cannot_use_beside_the_table(app):
    import json

    open_page(app, "roles")
    app.selectbox(key="editor_source").set_value(ROLE_KEY)
    app.button(key="editor_load").click().run()
    # new rows start as augmentation, and no column holds a row back in the browser (required cells)
    editor = next(e for e in app.dataframe if "editor_tasks" in e.proto.id)
    columns = json.loads(editor.proto.columns)
    assert columns["mode"]["type_config"]["type"] == "selectbox" and columns["mode"]["default"] == "augmentation"
    assert not any(c.get("required") for c in columns.values())
    # a row added without a mode and score (as the browser sends it): named, with the reason, next to the table
    _edit_tasks(app, added=[{"name": "Ordering", "time_share": 10.0}])
    rows = [shown(w.value) for w in app.warning if "row(s) of the table cannot be used yet" in shown(w.value)]
    assert len(rows) == 1
    assert "Task 8 (Ordering): score is empty; allowed: a whole number from 1 to 5" in rows[0]
    assert "Task 8 (Ordering): mode is empty; allowed: one of augmentation, displacement, not_involved" in rows[0]
    # the total counts the new row too (110%), said with the rest
    assert any("Time shares add up to 110%" in shown(w.value) for w in app.warning)
    assert app.button(key="editor_save").disabled


def test_every_name_field_is_submitted_with_its_dialog(app, base, store_path):  # noqa: F811
    """Enter in a name field must not save (or rename) before the rest of the dialog is filled in: every
    save / rename / create dialog is one st.form, its button the form's submit button."""
    from aijri_core.formats.document import render_assessment_document

    SQLiteStore(store_path).save_scenario(ROLE_KEY, Scenario(name="Junior", changes={"growth": 0}))
    open_page(app, "scenarios")
    names = {"scenario_name": "save_scenario", "scenario_new_name": "scenario_rename"}
    open_page(app, "roles")
    app.selectbox(key="editor_source").set_value(ROLE_KEY)
    app.button(key="editor_load").click().run()
    app.file_uploader(key="role_upload").set_value(("seed.md", render_assessment_document(base).encode(),
                                                    "text/markdown")).run()
    names |= {"editor_name": "editor_save", "role_name": "role_save"}
    open_page(app, "scenarios")
    fields = {**{k: app.text_input(key=k) for k in ("scenario_name", "scenario_new_name")}}
    open_page(app, "roles")
    fields |= {k: app.text_input(key=k) for k in ("editor_name", "role_name")}
    for field in names:
        assert fields[field].proto.form_id, f"{field} is not in a form"
    open_page(app, "scenarios")
    for field in ("scenario_name", "scenario_new_name"):
        assert app.text_input(key=field).proto.form_id == app.button(key=names[field]).proto.form_id
    open_page(app, "roles")
    for field in ("editor_name", "role_name"):
        assert app.text_input(key=field).proto.form_id == app.button(key=names[field]).proto.form_id


def test_csv_import_problems_speak_the_files_words_in_line_order(app, store_path):  # noqa: F811
    open_page(app, "scenarios")
    wide = (b"scenario,AI growth correlation,Vibe check: score\n"
            b"first,2,\nsecond,1,3\nthird,x,\n")
    app.file_uploader(key="csv_upload").set_value(("w.csv", wide, "text/csv")).run()
    assert_no_exception(app)
    problems = _df_with_column(app, "Allowed")
    assert list(problems["Line"]) == [3, 4]  # in line order (the unknown task was listed last)
    assert list(problems["Column"]) == ["Vibe check: score", "AI growth correlation"]
    assert list(problems["Value"]) == ["3", "x"]
    assert problems["Allowed"].iloc[0] == "give both 'Vibe check: time %' and 'Vibe check: score', optionally 'Vibe check: mode'"
    text = " ".join(problems["Problem"])
    assert "'AI Infrastructure Engineer' has no task 'Vibe check'" in text
    assert "knob" not in text and "task:" not in text
    # a name already saved: the role's title and the scenario's name, not the store's key
    SQLiteStore(store_path).save_scenario(ROLE_KEY, Scenario(name="Taken", changes={"growth": 2}))
    app.file_uploader(key="csv_upload").set_value(("t.csv", b"scenario,knob,value\nTaken,growth,0\n", "text/csv")).run()
    assert error_texts(app) == ["t.csv: nothing imported - 1 scenario(s) of the file are already saved for "
                                "'AI Infrastructure Engineer': 'Taken'. Tick 'Replace scenarios of the same name' "
                                "to replace them."]
