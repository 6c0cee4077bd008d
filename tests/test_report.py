"""The self-contained HTML report: figures embedded, no network, the seed's numbers."""

from __future__ import annotations

import html
import re

import pytest
from formats_helpers import SEED, seed_scenarios
from hypothesis import given
from hypothesis import strategies as st
from plotly.offline import get_plotlyjs

from aijri_core import Scenario, apply, bundled_role, score
from aijri_core.analyses.attribution import attribute
from aijri_core.formats.report import MAX_ATTRIBUTION_CHARTS, handout_file_name, render_report_html
from aijri_core.methodology import DEFAULT, publish_round
from aijri_core.model import Override
from aijri_core.textfmt import apportion
from aijri_core.trajectories import bundled_trajectories, path_scenarios

COST = "AI platform cost engineering"
SERVING = "Model serving & inference infrastructure"
PATH = "Alex: towards platform economics"


def coach_path() -> list[Scenario]:
    """A client's path as the app's path builder saves it: a new task, then a share and growth, then a
    removed task and job postings (each step's own changes on top of the step before)."""
    a = bundled_role(SEED)
    return path_scenarios(PATH, {}, [
        ("Year 1", "Takes on the cost reviews of the platform team.",
         {f"task:{COST}:share": 20.0, f"task:{COST}:score": 2.0}),
        ("Year 2", "", {f"task:{SERVING}:share": 30.0, "growth": 2.0}),
        ("Year 3", "", {f"task:{a.tasks[5].name}:remove": 1.0, "evidence:job_postings": 2.0}),
    ], base_tasks={t.name for t in a.tasks})


@pytest.fixture(scope="module")
def seed():
    return bundled_role(SEED)


@pytest.fixture(scope="module")
def report(seed) -> str:
    return render_report_html(seed, seed_scenarios())


def _plots(text: str) -> int:
    return text.count("Plotly.newPlot(")


def test_self_contained(report):
    assert report.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script[^>]*\bsrc\s*=", report, re.IGNORECASE)
    assert not re.search(r"<link[^>]*\bhref\s*=\s*[\"']?https?:", report, re.IGNORECASE)
    assert report.count(get_plotlyjs()[:500]) == 1  # plotly.js embedded exactly once


def test_contains_the_seed_figures(seed):
    report = render_report_html(seed, seed_scenarios(), appendix=True)
    s = score(seed)
    assert s.score == 49.1
    assert ">49.1</span>" in report
    assert "GREEN (Transforming)" in report
    assert "Published result: 49.1 GREEN (Transforming)." in report
    for t in seed.tasks:
        assert html.escape(t.name) in report
    assert ">2.55<" in report and ">3.45<" in report and "4.4339" in report
    # score scale, trajectory; the appendix: composite waterfall, zone map, tornado
    assert _plots(report) == 2 + 3
    assert "Sensitivity (tornado)" in report and "Zone map" in report and "Break-even" in report
    # break-even of the seed: a GPU cluster rating of 3 (one step up) gives 45.1 YELLOW (as the tornado's end)
    assert re.search(r"GPU cluster &amp; training infrastructure management: score</td><td class=\"num\">2</td>"
                     r"<td class=\"num\">3</td><td class=\"num\">\+1 step</td><td class=\"num\">45.1</td>", report)


def test_analyst_sections_only_with_the_appendix(report, seed):
    assert _plots(report) == 2  # the score scale and the path chart
    report = report.replace(get_plotlyjs(), "")
    for analyst in ("Analyst appendix", "Zone map", "tornado", "Break-even", "Composite", "4.4339"):
        assert analyst not in report
    # plain words: no jargon of the method in the client's pages
    for jargon in ("Shapley", "unclamped", "knob", "task resistance", "TR)"):
        assert jargon.lower() not in report.lower()


def test_scenarios_and_their_attribution(report, seed):
    items = seed_scenarios()
    for sc in items:
        r = score(apply(seed, sc))
        assert html.escape(sc.name) in report
        assert f">{r.score:.1f}<" in report
    att = attribute(seed, items[2])  # growth +2: all of the change comes from growth
    assert att.groups[3].contribution == pytest.approx(att.change)
    # 49.1 -> 51.8: the one group line and the total both say +2.7
    assert '<td>AI growth correlation</td><td class="num">+2.7</td>' in report
    assert "Change from the role as assessed</td><td class=\"num\">+2.7</td>" in report
    assert "Managed platforms" in report  # one scenario belongs to a trajectory


def test_text_is_escaped(seed):
    a = seed.model_copy(update={"title": "<script>alert(1)</script>", "override": Override(zone="Green", reason="<b>x</b>")})
    out = render_report_html(a, [Scenario(name="<img src=x onerror=alert(1)>", changes={"growth": 0})])
    assert "<script>alert(1)</script>" not in out
    assert "<img src=x" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "Assessor override" in out


def test_without_scenarios_and_with_a_changed_method(seed):
    m = DEFAULT.with_changes(green_threshold=50)
    out = render_report_html(seed, methodology=m)
    assert _plots(out) == 1
    assert "green_threshold = 50" in out
    assert "YELLOW" in out  # 49.1 is below a threshold of 50


def test_bundled_trajectories_and_many_scenarios(seed):
    scen = [s for steps in bundled_trajectories(SEED).values() for s in steps]
    extra = [Scenario(name=f"s{i}", changes={"growth": float(i % 5 - 2)}) for i in range(30)]
    out = render_report_html(seed, scen + extra)
    assert _plots(out) == 2
    assert out.count('<div class="step">') == MAX_ATTRIBUTION_CHARTS
    assert f"The first {MAX_ATTRIBUTION_CHARTS} steps are explained here" in out


def test_hand_out_has_title_client_note_and_date(seed):
    import datetime

    out = render_report_html(seed, seed_scenarios()[:1], title="Alex <your path>", note="First line.\n\n<b>Next</b>",
                             date=datetime.date(2026, 12, 1))
    assert "<h1>Alex &lt;your path&gt;</h1>" in out
    assert f"{html.escape(seed.title)} - {html.escape(seed.seniority)} - 1 December 2026" in out
    assert '<div class="client-note"><p>First line.</p><p>&lt;b&gt;Next&lt;/b&gt;</p></div>' in out
    # the chosen scenarios come before the analyst appendix
    out = render_report_html(seed, seed_scenarios()[:1], appendix=True)
    assert out.index("<h2>The scenarios</h2>") < out.index("Analyst appendix: how") < out.index("Zone map")


def test_print_rules_and_charts_sized_for_a_page(report):
    from aijri_core.formats.report import FIGURE_WIDTH

    assert "@media print" in report and "break-inside: avoid" in report
    widths = re.findall(r'"width":\s*(\d+)', report)
    # every chart is drawn at the printable width of an A4 page (186 mm = 703 px), none wider
    assert FIGURE_WIDTH <= 703
    assert widths.count(str(FIGURE_WIDTH)) >= _plots(report)
    assert '"autosize":false' in report.replace(" ", "")


def test_report_of_scenarios_that_reshape_the_role(seed):
    monitoring = seed.tasks[5].name
    items = [Scenario(name="Takes on cost work", changes={"task:AI platform cost engineering:share": 15.0,
                                                          "task:AI platform cost engineering:score": 2.0},
                      trajectory="Client", position="Year 1"),
             Scenario(name="Hands monitoring over", changes={f"task:{monitoring}:remove": 1.0},
                      trajectory="Client", position="Year 2")]
    out = render_report_html(seed, items)
    # hand-checked (see test_trajectories): 50.4 with the added task, 49.9 without monitoring
    assert "<td>Takes on cost work</td><td class=\"num\">50.4</td>" in out
    assert "<td>Hands monitoring over</td><td class=\"num\">49.9</td>" in out
    assert "spends 15% of time on a new task, AI platform cost engineering, rated 2." in out
    assert f"no longer does {html.escape(monitoring)} (its time goes to the other tasks)" in out


# ---------------------------------------------------------------- the client hand-out of one path


@pytest.fixture(scope="module")
def handout(seed) -> str:
    return render_report_html(seed, coach_path(), title="Alex: your path", note="Talk again in March.")


def test_every_step_says_what_it_changes(handout, seed):
    text = html.unescape(re.sub(r"<[^>]+>", "", handout))
    serving_before = seed.task(SERVING).time_share * (100 - 20) / 100  # the new task's 20% comes from the others
    assert "What changes (compared with the role as assessed): nothing." in text
    assert ("What changes (compared with Start): spends 20% of time on a new task, AI platform cost engineering,"
            " rated 2.") in text
    assert (f"What changes (compared with Year 1): {SERVING} goes to 30% of time (was {serving_before:g}%);"
            " AI growth correlation goes to +2 (was +1).") in text
    assert (f"What changes (compared with Year 2): no longer does {seed.tasks[5].name} (its time goes to the"
            " other tasks); Job posting trends (evidence) goes to +2 (was +1).") in text
    assert "Takes on the cost reviews of the platform team." in text


def test_the_path_name_is_said_once(handout):
    outside_charts = re.sub(r"<script.*?</script>", "", handout, flags=re.DOTALL)
    assert outside_charts.count(html.escape(PATH)) == 1  # in the section's heading only
    assert f"<h2>The path: {html.escape(PATH)}</h2>" in handout
    table = handout[handout.index("<h2>The path"):handout.index("<h2>What each step changes")]
    assert re.findall(r"<tr><td>(.*?)</td>", table) == ["The role as assessed", "Start", "Year 1", "Year 2", "Year 3"]
    assert "<th>Trajectory</th>" not in table and "<th>Path</th>" not in table


def _legend_gap_px(fig) -> float:
    """How far (px) the legend's top lies below the plot area of a chart with its legend under the plot."""
    lay = fig.layout
    return -lay.legend.y * (lay.height - lay.margin.t - lay.margin.b)


def test_the_path_charts_legend_stays_clear_of_the_step_labels(seed, monkeypatch):
    # The hand-out's path chart is shorter than the app's; its legend must still sit under the step
    # labels and the axis title (about 60 px), not on them (it did when the report squashed the
    # figure's height after it was laid out).
    from aijri_core.formats import report as report_module

    drawn = []
    real = report_module._figure
    monkeypatch.setattr(report_module, "_figure", lambda fig, **kw: drawn.append(fig) or real(fig, **kw))
    path = path_scenarios("Client path", {}, [("Year 1", "", {"growth": 2})])
    render_report_html(seed, path, title="A path")
    legends = [f for f in drawn if f.layout.showlegend and f.layout.legend.y is not None and f.layout.legend.y < 0]
    assert legends, "the hand-out draws its path chart"
    for fig in legends:
        assert _legend_gap_px(fig) >= 55


def _parts_tables(text: str) -> list[list[tuple[str, str, int]]]:
    """Each 'where the change comes from' table as (kind, label, tenths) rows: group, input or total."""
    out = []
    for table in re.findall(r'<table class="parts">(.*?)</table>', text):
        rows = []
        for cls, label, points in re.findall(r'<tr(?: class="([^"]*)")?><td[^>]*>(.*?)</td><td class="num">(.*?)</td>', table):
            kind = "total" if "total" in cls else "group" if cls else "input"
            rows.append((kind, html.unescape(label), round(float(points) * 10)))
        out.append(rows)
    return out


def _check_parts_add_up(text: str, scenarios, seed) -> None:
    base = score(seed).score
    tables = _parts_tables(text)
    assert len(tables) == sum(1 for sc in scenarios if sc.changes)
    for rows, sc in zip(tables, [sc for sc in scenarios if sc.changes], strict=True):
        total = rows[-1]
        assert total[0] == "total"
        shown = round((score(apply(seed, sc)).score - base) * 10)  # the change in the step's heading and table
        assert total[2] == shown, sc.name
        groups = [r for r in rows if r[0] == "group"]
        assert sum(g[2] for g in groups) == total[2], (sc.name, rows)
        for i, r in enumerate(rows):
            if r[0] == "group":
                inputs = []
                for nxt in rows[i + 1:]:
                    if nxt[0] != "input":
                        break
                    inputs.append(nxt[2])
                assert not inputs or sum(inputs) == r[2], (sc.name, rows)


def test_rounded_parts_add_up_to_the_change_shown(handout, seed):
    _check_parts_add_up(handout, coach_path(), seed)
    rows = _parts_tables(handout)[1]  # Year 2: serving's share, the new task's share, growth
    assert [r[2] for r in rows] == [5, -11, 16, 27, 32]


@given(st.lists(st.sampled_from([("growth", 2.0), ("growth", -2.0), ("evidence:job_postings", -2.0),
                                 ("evidence:wage_trends", 2.0), ("barrier:regulatory", 2.0),
                                 (f"task:{SERVING}:share", 33.3), (f"task:{SERVING}:score", 1.0),
                                 ("task:GPU cluster & training infrastructure management:score", 4.0),
                                 (f"task:{COST}:share", 12.5)]), min_size=1, max_size=6))
def test_rounded_parts_add_up_for_any_changes(seed, changes):
    changes = dict(changes)
    if f"task:{COST}:share" in changes:
        changes[f"task:{COST}:score"] = 3.0
    sc = Scenario(name="What if", changes=changes)
    _check_parts_add_up(render_report_html(seed, [sc]), [sc], seed)


@given(st.lists(st.floats(-50, 50, allow_nan=False), min_size=1, max_size=8))
def test_apportion_keeps_the_total_and_each_part_within_one_unit(values):
    total = round(sum(values))
    parts = apportion(values, total)
    assert sum(parts) == total
    assert all(abs(p - v) < 2 for p, v in zip(parts, values, strict=True))
    if total == publish_round(sum(values), 0) and all(v >= 0 for v in values):
        assert all(abs(p - v) < 1 for p, v in zip(parts, values, strict=True))


def test_the_file_is_named_after_the_title_and_carries_no_unused_data(handout):
    assert handout_file_name("Alex: your path") == "alex-your-path.html"
    assert handout_file_name("Zoë's plan / 2027 <draft>") == "zoe-s-plan-2027-draft.html"
    assert handout_file_name("???") == "hand-out.html"
    assert handout_file_name("x" * 300) == "x" * 80 + ".html"
    # plotly.js once; the rest (text, styles, two charts' data) is small
    assert len(handout) - len(get_plotlyjs()) < 40_000, len(handout) - len(get_plotlyjs())
