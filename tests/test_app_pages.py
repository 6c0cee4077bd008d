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
    score_text,
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


def _save_scenario(at, name, note=""):
    at.text_input(key="scenario_name").set_value(name)
    at.text_area(key="scenario_note").set_value(note)
    at.button(key="save_scenario").click().run()
    assert_no_exception(at)


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
    _save_scenario(app, "Accelerated growth", "growth +2")
    table = _scenario_table(app)
    assert list(table["Scenario"]) == ["Accelerated growth"]
    expected = score(set_value(base, "growth", 2))
    assert list(table["Score"]) == [expected.score]
    saved = SQLiteStore(store_path).list_scenarios(ROLE_KEY)
    assert [s.name for s in saved] == ["Accelerated growth"] and saved[0].changes == {"growth": 2}


def test_name_clash_asks_before_replacing(app, store_path):  # noqa: F811
    open_page(app, "scenarios")
    _save_scenario(app, "Plan", "first")
    _save_scenario(app, "Plan", "second")
    assert any("already exists" in w.value for w in app.warning)
    assert SQLiteStore(store_path).load_scenario(ROLE_KEY, "Plan").note == "first"
    app.button(key="scenario_overwrite").click().run()
    assert SQLiteStore(store_path).load_scenario(ROLE_KEY, "Plan").note == "second"
    assert list(_scenario_table(app)["Scenario"]) == ["Plan"]


def test_rename_delete_and_open_a_scenario(app, base, store_path):  # noqa: F811
    store = SQLiteStore(store_path)
    store.save_scenario(ROLE_KEY, Scenario(name="Junior", changes={"evidence:wage_trends": -1, "growth": 0}))
    open_page(app, "scenarios")
    app.text_input(key="scenario_new_name").set_value("Junior 2026")
    app.button(key="scenario_rename").click().run()
    assert [s.name for s in store.list_scenarios(ROLE_KEY)] == ["Junior 2026"]
    app.button(key="scenario_load").click().run()
    app.switch_page(PAGES["explorer"]).run()
    expected = score(apply(base, store.load_scenario(ROLE_KEY, "Junior 2026")))
    assert score_text(app) == f"{expected.score:.1f}"
    app.switch_page(PAGES["scenarios"]).run()
    app.button(key="scenario_delete").click().run()
    assert store.list_scenarios(ROLE_KEY) == []


def test_summary_and_attribution_come_from_the_core(app, base, store_path):  # noqa: F811
    from aijri_core.analyses.attribution import attribute

    sc = Scenario(name="Senior", changes={"task:Model serving & inference infrastructure:score": 2, "growth": 2})
    SQLiteStore(store_path).save_scenario(ROLE_KEY, sc)
    open_page(app, "scenarios")
    assert_no_exception(app)
    summary = next(df.value for df in app.dataframe if "Baseline" in df.value.columns)
    expected = score(apply(base, sc))
    assert summary.loc["Score", "Senior"] == f"{expected.score:.1f}"
    assert summary.loc["Score", "Baseline"] == "49.1"
    assert summary.loc["AI growth correlation", "Senior"] == "+2"
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
    assert list(_scenario_table(app)["Scenario"]) == ["Keep me"]


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
    assert list(_scenario_table(app)["Scenario"]) == ["A", "=B"]


# ------------------------------------------------------------------ uncertainty


def test_uncertainty_shows_the_cores_probabilities(app, base):
    from aijri_core.analyses.uncertainty import monte_carlo

    open_page(app, "uncertainty")
    app.slider(key="mc_p").set_value(0.5)
    app.select_slider(key="mc_n").set_value(10_000)
    app.number_input(key="mc_seed").set_value(7).run()
    assert_no_exception(app)
    mc = monte_carlo(base, n=10_000, p=0.5, seed=7)
    shown = {m.label: m.value for m in app.metric}
    assert shown["GREEN"] == f"{mc.p_green:.0%}"
    assert shown["YELLOW"] == f"{mc.p_yellow:.0%}"
    assert shown["RED"] == f"{mc.p_red:.0%}"
    words = " ".join(md.value for md in app.markdown)
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
    assert any("capped" in w.value for w in app.warning)
    app.switch_page(PAGES["methodology"]).run()
    assert "109.7" in " ".join(md.value for md in app.markdown)
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
    document = pytest.importorskip("aijri_core.formats.document")
    text = document.render_assessment_document(base)
    open_page(app, "roles")
    app.file_uploader(key="role_upload").set_value(("seed.md", text.encode(), "text/markdown")).run()
    assert_no_exception(app)
    assert not error_texts(app)
    audit = next(df.value for df in app.dataframe if "stated" in df.value.columns)
    assert len(audit) > 0 and audit["matches"].all()


def test_without_a_usable_store_scenarios_stay_in_the_session(tmp_path, monkeypatch):
    monkeypatch.setenv("AIJRI_DB", str(tmp_path))  # a folder: the store cannot open it
    monkeypatch.setenv("AIJRI_RAISE", "1")
    at = new_app().run()
    open_page(at, "scenarios")
    assert_no_exception(at)
    assert any("this session only" in w.value for w in at.warning)
    _save_scenario(at, "Kept here")
    assert list(_scenario_table(at)["Scenario"]) == ["Kept here"]
    _save_scenario(at, "Kept here")
    assert any("already exists" in w.value for w in at.warning)


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
    assert any("Old tasks" in w.value for w in app.warning)
    assert list(_scenario_table(app)["Scenario"]) == ["Fits"]


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
